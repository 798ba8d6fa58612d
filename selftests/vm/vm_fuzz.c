// SPDX-License-Identifier: GPL-2.0
/*
 * In-VM ioctl fuzzer for /dev/btf_filter: random and mutated calls of every
 * command, with sizes, flags, modes and reserved fields off by a little or
 * a lot, user pointers that are NULL, unmapped, kernel addresses or end at
 * a PROT_NONE page, and selector lists of random bytes, with no terminator,
 * huge counts, or the hostile-caller issue's adversarial lists.  Every call
 * must succeed or fail with an errno of the uapi table.  Beside it, other
 * processes toggle index_cached, read sysfs, and make a normal query whose
 * answer must stay byte-identical.  The seed is printed; set it with
 * BTF_FILTER_FUZZ_SEED, the number of calls with BTF_FILTER_FUZZ_CALLS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "common.h"

#define SYSFS		"/sys/class/misc/btf_filter/"
#define PAGE		4096
#define ARENA_PAGES	64

/* The errnos of the uapi table. */
static const int table_errnos[] = {
	EINVAL, E2BIG, EFAULT, ENOENT, EMSGSIZE, ENOMEM, EINTR, ENODEV,
	EOPNOTSUPP, EPERM, ENOTTY, EIO, ELOOP,
};

static bool in_table(int e)
{
	size_t i;

	for (i = 0; i < sizeof(table_errnos) / sizeof(table_errnos[0]); i++)
		if (table_errnos[i] == e)
			return true;
	return false;
}

static unsigned long long rnd(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * An arena of ARENA_PAGES pages whose last page is PROT_NONE, so a buffer
 * placed at its end runs into a fault.
 */
static unsigned char *arena;

/* The arena's guard page: PROT_NONE. */
static unsigned char *guard_page(void)
{
	return arena + (ARENA_PAGES - 1) * PAGE;
}

static __u64 pick_ptr(unsigned long long *s, __u32 len)
{
	unsigned char *end = guard_page();

	switch (rnd(s) % 8) {
	case 0:
		return 0;
	case 1:
		return 0xffffffff81000000ULL + rnd(s) % PAGE;	/* kernel */
	case 2:
		return 0x10000ULL * (1 + rnd(s) % 16);		/* unmapped */
	case 3:					/* runs into PROT_NONE */
		/*
		 * Never below the arena: a length past the arena's size
		 * would point into this process's own heap, which the kernel
		 * then rightly writes (a malloc chunk below the arena was
		 * overwritten that way, and free() aborted).
		 */
		return (__u64)(unsigned long)(end - (len ? rnd(s) %
			(len < end - arena ? len : end - arena) : 0));
	case 4:
		return (__u64)(unsigned long)end;	/* PROT_NONE itself */
	default:				/* fits */
		return (__u64)(unsigned long)(arena + rnd(s) %
					      ((ARENA_PAGES - 2) * PAGE));
	}
}

/*
 * Where pick_ptr() aims: 0, the kernel's text, the unmapped low pages, or
 * inside the arena up to and including its guard page.
 */
static bool as_picked(__u64 p)
{
	unsigned char *q = (unsigned char *)(unsigned long)p;

	return !p || (p >= 0xffffffff81000000ULL &&
		      p < 0xffffffff81000000ULL + PAGE) ||
	       (p >= 0x10000ULL && p <= 0x100000ULL) ||
	       (q >= arena && q < guard_page() + PAGE);
}

/*
 * Names whose closures are small in every mode: what is fuzzed is the
 * interface, and under KASAN a closure of thousands of types (task_struct
 * in full mode) costs a second; the kmod suite checks those.
 */
static const char *const good_names[] = {
	"int", "unsigned int", "e", "s", "list_head", "struct callback_head",
	"lookup_args", "#1", "#0", "#4294967295", "enum pid_type.PIDTYPE_TGID",
	"task_struct.pid", "task_struct.real_parent", "file.f_path.dentry",
	"typedef u64", "func do_sys_open", ".data", "datasec .bss",
	"enum pid_type", "struct rb_node",
};

/* What kind of call the last one was, for the cost table. */
enum kind { K_INFO, K_RANDOM, K_REPEATED, K_ALL_SHORT, K_REAL, NR_KINDS };
static const char *const kind_names[NR_KINDS] = {
	"info", "random bytes", "one name repeated", "1-2 letter names",
	"real names",
};
static enum kind last_kind;

/* A selector list at buf (room for cap bytes): its length. */
static __u32 make_sels(unsigned long long *s, char *buf, __u32 cap)
{
	__u32 n = 0, i, count, pick = rnd(s) % 6;

	last_kind = pick < 3 ? K_RANDOM + pick : K_REAL;
	switch (pick) {
	case 0:		/* random bytes, maybe no terminator */
		n = rnd(s) % 512;
		for (i = 0; i < n; i++)
			buf[i] = rnd(s);
		return n;
	case 1:		/* thousands of one short name */
		count = 1 + rnd(s) % 8000;
		for (i = 0; i < count && n + 2 <= cap; i++) {
			buf[n++] = "es_t"[rnd(s) % 4];
			buf[n++] = 0;
		}
		return n;
	case 2:
		/*
		 * Every one- and two-letter name: 702 selectors that are
		 * suffixes of thousands of names, a quarter of a second a
		 * call under KASAN, so 1 in 43 times; else up to 40 of them.
		 */
		count = rnd(s) % 43 ? 1 + rnd(s) % 40 : 26 * 27;
		for (i = 0; i < count && n + 3 <= cap; i++) {
			__u32 j = count == 26 * 27 ? i : rnd(s) % (26 * 27);

			buf[n++] = 'a' + j % 26;
			if (j >= 26)
				buf[n++] = 'a' + j / 26 - 1;
			buf[n++] = 0;
		}
		return n;
	default:	/* a few real ones, maybe mangled */
		count = 1 + rnd(s) % 5;
		for (i = 0; i < count; i++) {
			const char *g = good_names[rnd(s) %
				(sizeof(good_names) / sizeof(good_names[0]))];
			__u32 l = strlen(g);

			if (n + l + 1 > cap)
				break;
			memcpy(buf + n, g, l + 1);
			if (rnd(s) % 10 == 0)
				buf[n + rnd(s) % (l + 1)] = rnd(s);
			n += l + 1;
		}
		if (n && rnd(s) % 10 == 0)
			n--;			/* no terminator */
		return n;
	}
}

static __u32 mutate_u32(unsigned long long *s, __u32 v)
{
	switch (rnd(s) % 8) {
	case 0:
		return rnd(s);
	case 1:
		return v + 1;
	case 2:
		return v - 1;
	case 3:
		return v ^ (1U << (rnd(s) % 32));
	default:
		return v;
	}
}

/* One random call; the errno it gave, 0 on success. */
static int one_call(int fd, unsigned long long *s, char *sels, __u32 sels_cap)
{
	union {
		struct btf_filter_query q;
		struct btf_filter_info i;
		unsigned char raw[256];
	} u;
	unsigned long cmd;
	__u32 n;
	void *arg = &u;

	memset(&u, 0, sizeof(u));
	if (rnd(s) % 4 == 0) {
		u.i.size = sizeof(u.i);
		u.i.flags = rnd(s) % 8 ? 0 : rnd(s);
		u.i.source_ptr = rnd(s) % 4 ? 0 : pick_ptr(s, 16);
		if (rnd(s) % 8 == 0)
			u.i.reserved[rnd(s) % 4] = rnd(s);
		cmd = BTF_FILTER_IOC_INFO;
		last_kind = K_INFO;
	} else {
		n = make_sels(s, sels, sels_cap);
		u.q.size = sizeof(u.q);
		u.q.mode = rnd(s) % 4;
		u.q.flags = rnd(s) % 4;
		u.q.sel_ptr = rnd(s) % 6 ? (__u64)(unsigned long)sels :
					   pick_ptr(s, n);
		u.q.sel_len = rnd(s) % 10 ? n : mutate_u32(s, n);
		u.q.source_ptr = rnd(s) % 8 ? 0 : pick_ptr(s, 8);
		u.q.buf_len = rnd(s) % 2 ? 1 << 20 : rnd(s) % 70000;
		u.q.buf_ptr = pick_ptr(s, u.q.buf_len);
		u.q.id_map_len = rnd(s) % 16384;
		u.q.id_map_ptr = pick_ptr(s, u.q.id_map_len * 4);
		u.q.log_len = rnd(s) % 300;
		u.q.log_ptr = pick_ptr(s, u.q.log_len);
		if (rnd(s) % 8 == 0)
			u.q.reserved[rnd(s) % 2] = rnd(s);
		cmd = BTF_FILTER_IOC_QUERY;
	}
	switch (rnd(s) % 10) {	/* sizes: short, long with junk, random */
	case 0:
		u.q.size = mutate_u32(s, u.q.size);
		break;
	case 1:
		u.q.size = sizeof(u.raw);
		u.raw[100 + rnd(s) % 150] = rnd(s) % 2 ? 0 : rnd(s);
		break;
	case 2:
		arg = (void *)(unsigned long)pick_ptr(s, sizeof(u.q));
		break;
	case 3:
		cmd = _IO(BTF_FILTER_IOC_MAGIC, rnd(s) % 4);
		break;
	}
	if (rnd(s) % 20 == 0) {		/* a field or two of pure noise */
		unsigned int at = 4 + rnd(s) % (sizeof(u.q) - 4);

		u.raw[at] = rnd(s);
	}
	/*
	 * Never noise in a pointer the kernel writes through: one byte of
	 * it aims the write anywhere in this process.  Under the debug
	 * kernel a result landed in the heap and free() aborted at the end
	 * ('double free or corruption (out)', CI of 59a66b7).  Those
	 * pointers are pick_ptr()'s, and a struct the kernel reads from the
	 * arena is this one, not what earlier results left there.
	 */
	if (cmd == BTF_FILTER_IOC_QUERY) {
		if (!as_picked(u.q.buf_ptr))
			u.q.buf_ptr = pick_ptr(s, u.q.buf_len);
		if (!as_picked(u.q.id_map_ptr))
			u.q.id_map_ptr = pick_ptr(s, u.q.id_map_len * 4);
		if (!as_picked(u.q.log_ptr))
			u.q.log_ptr = pick_ptr(s, u.q.log_len);
	}
	if ((unsigned char *)arg >= arena &&
	    (unsigned char *)arg < guard_page()) {
		size_t room = guard_page() - (unsigned char *)arg;

		memcpy(arg, &u, room < sizeof(u.q) ? room : sizeof(u.q));
	}
	return ioctl(fd, cmd, arg) ? errno : 0;
}

/* Beside the fuzzer: toggling, sysfs reading, and a query that must not change. */
static const char *const ref_sels[] = { "struct list_head", "struct rb_root", "enum pid_type" };
#define NR_REF_SELS	3

static void helper(int role, const struct btf_filter_result *ref)
{
	const char *const *sels = ref_sels;
	BTF_FILTER_OPTS(o, .mode = BTF_FILTER_MODE_SHALLOW,
			.backend = BTF_FILTER_BACKEND_KERNEL);
	char buf[64];
	double t;
	int k;

	for (k = 0;; k++) {
		struct btf_filter_result *r;
		int fd;

		switch (role) {
		case 0:		/* drop the index and build it again */
			fd = open(SYSFS "index_cached", O_WRONLY);
			if (fd < 0 || pwrite(fd, "0", 1, 0) != 1 ||
			    pwrite(fd, "1", 1, 0) != 1)
				_exit(10);
			close(fd);
			/*
			 * Build it, and wait four times as long as that took
			 * (2 s at least): under KASAN a build takes seconds,
			 * and the fuzzer's calls should not all wait for one.
			 */
			t = now_s();
			r = btf_filter__query(sels, NR_REF_SELS, &o);
			if (!r || !same_result(r, ref))
				_exit(10);
			btf_filter_result__free(r);
			t = 4 * (now_s() - t);
			usleep(1e6 * (t > 2 ? t : 2));
			break;
		case 1:
			fd = open(SYSFS "stats/queries", O_RDONLY);
			if (fd < 0 || read(fd, buf, sizeof(buf)) <= 0)
				_exit(11);
			close(fd);
			usleep(20000);
			break;
		default:
			r = btf_filter__query(sels, NR_REF_SELS, &o);
			if (!r || !same_result(r, ref))
				_exit(12);
			btf_filter_result__free(r);
			usleep(100000);
			break;
		}
	}
}

FIXTURE(fuzz) {
	int unused;
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

TEST_F_TIMEOUT(fuzz, ioctls, 3000)
{
	const char *env_seed = getenv("BTF_FILTER_FUZZ_SEED");
	const char *env_calls = getenv("BTF_FILTER_FUZZ_CALLS");
	unsigned long long seed = env_seed ? strtoull(env_seed, NULL, 0) :
					     0x5eedbf1f;
	long calls = env_calls ? atol(env_calls) : 100000, i, ok = 0;
	const char *const *sels = ref_sels;
	BTF_FILTER_OPTS(o, .mode = BTF_FILTER_MODE_SHALLOW,
			.backend = BTF_FILTER_BACKEND_KERNEL);
	static long per_errno[256], kind_calls[NR_KINDS], kind_ok[NR_KINDS];
	static double kind_s[NR_KINDS], kind_max[NR_KINDS];
	struct btf_filter_result *ref;
	const __u32 sels_cap = 64 * 1024;
	unsigned char *want;
	__u32 want_size;
	char *selbuf = malloc(sels_cap);
	pid_t kids[3];
	int fd, k, status;
	double t0 = now_s();

	TH_LOG("seed 0x%llx, %ld calls (BTF_FILTER_FUZZ_SEED, _CALLS)", seed,
	       calls);
	ASSERT_NE(NULL, selbuf);
	arena = mmap(NULL, ARENA_PAGES * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, arena);
	ASSERT_EQ(0, mprotect(guard_page(), PAGE, PROT_NONE));
	ref = btf_filter__query(sels, NR_REF_SELS, &o);
	ASSERT_NE(NULL, ref);
	/*
	 * The calls hand the kernel wild pointers, and the kernel writes
	 * results through them: into this process's heap too, now and then.
	 * The answer to compare with at the end is kept where no write lands.
	 */
	btf_filter_result__data(ref, &want_size);
	want = mmap(NULL, want_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, want);
	memcpy(want, btf_filter_result__data(ref, NULL), want_size);
	ASSERT_EQ(0, mprotect(want, want_size, PROT_READ));
	for (k = 0; k < 3; k++) {
		kids[k] = fork();
		ASSERT_LE(0, kids[k]);
		if (!kids[k])
			helper(k, ref);
	}
	fd = open(BTF_FILTER_DEVICE, O_RDONLY);
	ASSERT_LE(0, fd);
	for (i = 0; i < calls; i++) {
		double tc = now_s();
		int e = one_call(fd, &seed, selbuf, sels_cap);

		tc = now_s() - tc;
		kind_calls[last_kind]++;
		kind_s[last_kind] += tc;
		kind_ok[last_kind] += !e;
		if (tc > kind_max[last_kind])
			kind_max[last_kind] = tc;

		if (e && !in_table(e)) {
			TH_LOG("call %ld: errno %d (%s) is not in the uapi table",
			       i, e, strerror(e));
			ASSERT_TRUE(in_table(e));
		}
		ok += !e;
		per_errno[e & 255]++;
		if (i && !(i % (calls / 10 ? calls / 10 : 1)))
			TH_LOG("%ld calls, %.1f s", i, now_s() - t0);
	}
	close(fd);
	for (k = 0; k < 3; k++) {
		ASSERT_EQ(0, waitpid(kids[k], &status, WNOHANG)) {
			TH_LOG("helper %d stopped (status 0x%x)", k, status);
		}
		kill(kids[k], SIGKILL);
		waitpid(kids[k], &status, 0);
	}
	/* still usable, and still the same answer */
	{
		struct btf_filter_result *r;

		fd = open(SYSFS "index_cached", O_WRONLY);
		ASSERT_LE(0, fd);
		ASSERT_EQ(1, write(fd, "1", 1));
		close(fd);
		const void *data;
		__u32 size;

		r = btf_filter__query(sels, NR_REF_SELS, &o);
		ASSERT_NE(NULL, r);
		data = btf_filter_result__data(r, &size);
		ASSERT_EQ(want_size, size);
		ASSERT_EQ(0, memcmp(want, data, size));
		btf_filter_result__free(r);
	}
	TH_LOG("%ld calls in %.1f s: %ld succeeded, EINVAL %ld, EFAULT %ld, E2BIG %ld, ENOENT %ld, EMSGSIZE %ld, ENOTTY %ld",
	       calls, now_s() - t0, ok, per_errno[EINVAL], per_errno[EFAULT],
	       per_errno[E2BIG], per_errno[ENOENT], per_errno[EMSGSIZE],
	       per_errno[ENOTTY]);
	for (k = 0; k < NR_KINDS; k++)
		TH_LOG("%-22s %7ld calls, %6ld succeeded, %7.1f s, mean %6.2f ms, max %7.1f ms",
		       kind_names[k], kind_calls[k], kind_ok[k], kind_s[k],
		       kind_calls[k] ? 1e3 * kind_s[k] / kind_calls[k] : 0,
		       1e3 * kind_max[k]);
	ASSERT_LT(0, ok);
	btf_filter_result__free(ref);
}

TEST_HARNESS_MAIN
