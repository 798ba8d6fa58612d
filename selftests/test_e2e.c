// SPDX-License-Identifier: GPL-2.0
/*
 * End to end: BPF programs with CO-RE relocations (selftests/bpf/) loaded
 * by libbpf with btf_custom_path set to what `btf-filter from-obj` made
 * for them, attached, triggered, and the values they read compared with
 * the truth this process knows (its pid, parent, name, the file it opened,
 * the datagram it sent) or that libbpf reads from the kernel's own BTF.
 * The same with `bpftool gen min_core_btf`'s BTF, which ours must not
 * exceed; and a negative control: our BTF without one member the programs
 * need must make the load fail, so the custom BTF is the one used.
 *
 * Environment: BTF_FILTER_E2E_DIR holds task.bpf.o, file.bpf.o, net.bpf.o
 * (default: this program's directory, with btf-filter in it, as in the
 * VM); BTF_FILTER_CLI is the btf-filter to run (BTF_FILTER_BACKEND: user or
 * kernel, default auto); BPFTOOL the bpftool to compare with (the VM build,
 * -DE2E_NO_BPFTOOL, has no such test).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libgen.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "bpf/e2e.h"
#include "bpf_obj.h"
#include "common.h"
#include "libbtf_filter.h"

static const char *const objs[] = { "task", "file", "net" };

/* BTF_FILTER_E2E_DIR, or the directory this program is in (the VM's). */
static const char *dir(void)
{
	static char self_dir[PATH_MAX];
	const char *d = getenv("BTF_FILTER_E2E_DIR");
	ssize_t n;

	if (d)
		return d;
	n = readlink("/proc/self/exe", self_dir, sizeof(self_dir) - 1);
	self_dir[n > 0 ? n : 0] = 0;
	return dirname(self_dir);
}

static int run(const char *cmd)
{
	int rc = system(cmd);

	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Make dir/NAME.btf for all three objects with our tool or bpftool. */
static int make_btf(const char *name, bool bpftool)
{
	char cmd[8192];
	const char *cli = getenv("BTF_FILTER_CLI");
	const char *be = getenv("BTF_FILTER_BACKEND");
	const char *d = dir();

	if (bpftool)
		snprintf(cmd, sizeof(cmd), "%s gen min_core_btf /sys/kernel/btf/vmlinux %s/%s.btf %s/task.bpf.o %s/file.bpf.o %s/net.bpf.o",
			 getenv("BPFTOOL"), d, name, d, d, d);
	else if (cli)
		snprintf(cmd, sizeof(cmd), "%s from-obj -b %s -o %s/%s.btf %s/task.bpf.o %s/file.bpf.o %s/net.bpf.o",
			 cli, be ? be : "auto", d, name, d, d, d);
	else
		snprintf(cmd, sizeof(cmd), "%s/btf-filter from-obj -b %s -o %s/%s.btf %s/task.bpf.o %s/file.bpf.o %s/net.bpf.o",
			 d, be ? be : "auto", d, name, d, d, d);
	return run(cmd);
}

struct loaded {
	struct bpf_object *obj;
	struct bpf_link *link;
};

/* Open, point at btf, set target_pid, load, attach: 0, or -errno. */
static int load(const char *obj_name, const char *btf, struct loaded *l)
{
	char path[PATH_MAX];
	LIBBPF_OPTS(bpf_object_open_opts, o, .btf_custom_path = btf);
	struct bpf_program *prog;
	struct bpf_map *ro;
	char init[4096];
	const void *cur;
	__u32 pid;
	size_t sz;
	int off, err;

	memset(l, 0, sizeof(*l));
	snprintf(path, sizeof(path), "%s/%s.bpf.o", dir(), obj_name);
	l->obj = bpf_object__open_file(path, &o);
	if (!l->obj)
		return -errno;
	ro = section_map(l->obj, ".rodata");
	off = var_offset(l->obj, ".rodata", "target_pid");
	cur = ro ? bpf_map__initial_value(ro, &sz) : NULL;
	if (!cur || off < 0 || off + sizeof(__u32) > sz ||
	    sz > sizeof(init))
		return -ENOENT;
	memcpy(init, cur, sz);
	pid = getpid();
	memcpy(init + off, &pid, sizeof(pid));
	err = bpf_map__set_initial_value(ro, init, sz);
	if (!err)
		err = bpf_object__load(l->obj);
	if (err)
		return err;
	prog = bpf_object__next_program(l->obj, NULL);
	l->link = bpf_program__attach(prog);
	return l->link ? 0 : -errno;
}

static void unload(struct loaded *l)
{
	bpf_link__destroy(l->link);
	bpf_object__close(l->obj);
}

static int read_report(struct loaded *l, void *out, size_t size)
{
	struct bpf_map *bss = section_map(l->obj, ".bss");
	int off = var_offset(l->obj, ".bss", "report"), zero = 0;
	char buf[4096];

	if (!bss || off < 0 || off + size > sizeof(buf) ||
	    bpf_map__value_size(bss) > sizeof(buf) ||
	    bpf_map_lookup_elem(bpf_map__fd(bss), &zero, buf))
		return -1;
	memcpy(out, buf + off, size);
	return 0;
}

/* The kernel's own BTF, read by libbpf: the truth about types. */
static void kernel_facts(__u32 *has_state, __u32 *has_old_state,
			 __u32 *tgid_value, __u32 *path_sz)
{
	struct btf *k = btf__load_vmlinux_btf();
	int id, i;
	const struct btf_type *t;

	*has_state = 0;
	*has_old_state = 0;	/* task_struct.state, before 5.14 */
	*tgid_value = ~0U;
	*path_sz = 0;
	if (!k)
		return;
	id = btf__find_by_name_kind(k, "task_struct", BTF_KIND_STRUCT);
	t = btf__type_by_id(k, id);
	for (i = 0; t && i < btf_vlen(t); i++) {
		const char *m = btf__name_by_offset(k, btf_members(t)[i].name_off);

		*has_state |= !strcmp(m, "__state");
		*has_old_state |= !strcmp(m, "state");
	}
	id = btf__find_by_name_kind(k, "pid_type", BTF_KIND_ENUM);
	t = btf__type_by_id(k, id);
	for (i = 0; t && i < btf_vlen(t); i++)
		if (!strcmp(btf__name_by_offset(k, btf_enum(t)[i].name_off),
			    "PIDTYPE_TGID"))
			*tgid_value = btf_enum(t)[i].val;
	*path_sz = btf__resolve_size(k, btf__find_by_name_kind(k, "path",
							BTF_KIND_STRUCT));
	btf__free(k);
}

/* Load all three programs with btf, trigger them, check every value. */
static void check_truth(struct __test_metadata *_metadata, const char *btf)
{
	struct task_report tr = { 0 };
	struct file_report fr = { 0 };
	struct net_report nr = { 0 };
	struct loaded l[3];
	char tmpl[] = "/tmp/btf-filter-e2e-XXXXXX", exe[PATH_MAX] = "";
	char comm[17] = "", payload[100] = { 0 };
	struct sockaddr_in a = { .sin_family = AF_INET };
	__u32 has_state, has_old_state, tgid_value, path_sz;
	socklen_t alen = sizeof(a);
	int i, fd, s, c, one = 1;
	struct stat st;

	for (i = 0; i < 3; i++) {
		const char *name = objs[i];

		ASSERT_EQ(0, load(name, btf, &l[i]))
			TH_LOG("%s.bpf.o with %s", name, btf);
	}
	/* trigger: a system call, an open, a datagram */
	getppid();
	fd = mkstemp(tmpl);
	ASSERT_LE(0, fd);
	close(fd);
	fd = open(tmpl, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fstat(fd, &st));
	close(fd);
	unlink(tmpl);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	c = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, s);
	ASSERT_LE(0, c);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(0, bind(s, (void *)&a, sizeof(a)));
	ASSERT_EQ(0, getsockname(s, (void *)&a, &alen));
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	ASSERT_EQ(0, connect(c, (void *)&a, sizeof(a)));
	ASSERT_EQ(sizeof(payload), send(c, payload, sizeof(payload), 0));
	close(c);
	close(s);

	ASSERT_EQ(0, read_report(&l[0], &tr, sizeof(tr)));
	ASSERT_EQ(0, read_report(&l[1], &fr, sizeof(fr)));
	ASSERT_EQ(0, read_report(&l[2], &nr, sizeof(nr)));
	for (i = 0; i < 3; i++)
		unload(&l[i]);

	ASSERT_EQ(1, tr.seen);
	EXPECT_EQ(getpid(), tr.pid);
	EXPECT_EQ(getppid(), tr.ppid);
	prctl(PR_GET_NAME, comm);
	EXPECT_STREQ(comm, tr.comm);
	ASSERT_LT(0, readlink("/proc/self/exe", exe, sizeof(exe) - 1));
	EXPECT_EQ(0, strncmp(basename(exe), tr.exe, E2E_NAME_LEN - 1));
	kernel_facts(&has_state, &has_old_state, &tgid_value, &path_sz);
	EXPECT_EQ(has_old_state, tr.has_old_state);
	EXPECT_EQ(has_state, tr.has_state);
	EXPECT_EQ(tgid_value, tr.tgid_value);
	EXPECT_EQ(path_sz, tr.path_size);
	EXPECT_EQ(1, tr.path_exists);
	EXPECT_EQ(1, tr.pid_exists);	/* PIDTYPE_PID: in every kernel */

	ASSERT_LE(1, fr.seen);
	EXPECT_STREQ(basename(tmpl), fr.name);
	EXPECT_EQ(st.st_ino, fr.ino);

	ASSERT_EQ(1, nr.seen);
	/* Ethernet (loopback), IPv4 and UDP headers, then the payload */
	EXPECT_EQ(14 + 20 + 8 + sizeof(payload), nr.len);
	EXPECT_EQ(1, nr.reuse);		/* SK_CAN_REUSE */
	EXPECT_EQ(IPPROTO_UDP, nr.protocol);
	EXPECT_EQ(a.sin_port, nr.dport);
}

FIXTURE(e2e) {
	char ours[PATH_MAX];
};

FIXTURE_SETUP(e2e)
{
	snprintf(self->ours, sizeof(self->ours), "%s/from-obj.btf", dir());
	ASSERT_EQ(0, make_btf("from-obj", false));
}

FIXTURE_TEARDOWN(e2e)
{
}

TEST_F(e2e, from_obj_btf_gives_the_truth)
{
	check_truth(_metadata, self->ours);
}

/* BTF_FILTER_BACKEND (user, kernel; default auto) as the library's. */
static __u32 backend(void)
{
	const char *be = getenv("BTF_FILTER_BACKEND");

	if (be && !strcmp(be, "user"))
		return BTF_FILTER_BACKEND_USER;
	if (be && !strcmp(be, "kernel"))
		return BTF_FILTER_BACKEND_KERNEL;
	return BTF_FILTER_BACKEND_AUTO;
}

/* The two files hold the same bytes. */
static bool same_file(const char *a, const char *b)
{
	size_t alen = 0, blen = 0;
	void *da = read_file(a, &alen), *db = read_file(b, &blen);
	bool same = da && db && alen == blen && !memcmp(da, db, alen);

	free(da);
	free(db);
	return same;
}

/*
 * btf_filter__custom_path() for the three objects: a /proc/self/fd path
 * that libbpf opens as btf_custom_path, holding the bytes from-obj wrote,
 * and the programs read the truth through it; freed, the fd is closed.
 */
TEST_F(e2e, library_custom_path_gives_the_truth)
{
	char paths[3][PATH_MAX], log[512] = "";
	const char *o[3];
	char *path;
	int i, fd;
	BTF_FILTER_OPTS(opts, .backend = backend(), .log_buf = log,
			.log_size = sizeof(log));

	for (i = 0; i < 3; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/%s.bpf.o", dir(),
			 objs[i]);
		o[i] = paths[i];
	}
	path = btf_filter__custom_path(o, 3, NULL, 0, &opts);
	ASSERT_NE(NULL, path) TH_LOG("%s", log);
	ASSERT_EQ(0, strncmp(path, "/proc/self/fd/", 14));
	fd = atoi(path + 14);
	EXPECT_TRUE(same_file(self->ours, path));
	/* sealed: not even this process can change it under libbpf */
	EXPECT_EQ(-1, write(fd, "x", 1));
	check_truth(_metadata, path);
	btf_filter__custom_path_free(path);
	EXPECT_EQ(-1, fcntl(fd, F_GETFD));
	EXPECT_EQ(EBADF, errno);
}

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL	0x0008U
#endif

/*
 * The memfd can never be made executable where the kernel knows how to
 * say so (6.3+: MFD_NOEXEC_SEAL); before that the library falls back to
 * a plain sealed memfd.
 */
TEST(library_custom_path_is_never_executable)
{
	const char *sel[] = { "task_struct" };
	BTF_FILTER_OPTS(opts, .backend = backend(),
			.mode = BTF_FILTER_MODE_SHALLOW);
	int probe = memfd_create("probe", MFD_NOEXEC_SEAL), fd;
	struct stat st;
	char *path;

	if (probe < 0)
		ASSERT_EQ(EINVAL, errno);	/* before 6.3 */
	path = btf_filter__custom_path(NULL, 0, sel, 1, &opts);
	ASSERT_NE(NULL, path);
	fd = atoi(path + 14);
	ASSERT_EQ(0, fstat(fd, &st));
	if (probe >= 0) {
		EXPECT_EQ(0, st.st_mode & 0111) TH_LOG("mode %o", st.st_mode);
		EXPECT_EQ(-1, fchmod(fd, 0755));
		EXPECT_EQ(EPERM, errno);
		close(probe);
	}
	btf_filter__custom_path_free(path);
}

/*
 * A copy of obj at path whose .BTF.ext lists no CO-RE relocation: its
 * header's core_relo_len (bytes 28-31, Documentation/bpf/btf.rst) zeroed.
 */
static int copy_without_relocations(const char *obj, const char *path)
{
	size_t len = 0, shstrndx;
	char *data = read_file(obj, &len);
	Elf_Scn *scn = NULL;
	int ret = -1;
	GElf_Shdr sh;
	FILE *f;
	Elf *elf;

	elf_version(EV_CURRENT);
	elf = data ? elf_memory(data, len) : NULL;
	while (elf && !elf_getshdrstrndx(elf, &shstrndx) &&
	       (scn = elf_nextscn(elf, scn)) && gelf_getshdr(scn, &sh)) {
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);

		if (!name || strcmp(name, ".BTF.ext") || sh.sh_size < 32 ||
		    sh.sh_offset > len - 32)
			continue;
		memset(data + sh.sh_offset + 28, 0, 4);
		f = fopen(path, "wb");
		if (f && fwrite(data, 1, len, f) == len)
			ret = 0;
		if (f && fclose(f))
			ret = -1;
		break;
	}
	elf_end(elf);
	free(data);
	return ret;
}

/*
 * btf_filter__custom_path() fails with errno e and a line in the log that
 * says so (log_has), whatever the log held before.
 */
static void expect_failure(struct __test_metadata *_metadata,
			   const char *const *objs, size_t nr_objs,
			   const char *const *sels, size_t nr_sels,
			   const struct btf_filter_opts *opts, int e,
			   const char *log_has)
{
	snprintf(opts->log_buf, opts->log_size, "stale");
	errno = 0;
	EXPECT_EQ(NULL, btf_filter__custom_path(objs, nr_objs, sels, nr_sels,
						 opts));
	EXPECT_EQ(e, errno);
	EXPECT_NE(NULL, strstr(opts->log_buf, log_has))
		TH_LOG("'%s' lacks '%s'", opts->log_buf, log_has);
}

/* Each misuse fails with its errno and a line saying what is wrong. */
TEST(library_custom_path_errors)
{
	char log[512], obj[PATH_MAX], missing[PATH_MAX];
	const char *sel[] = { "task_struct" }, *o[1] = { obj };
	const char *self_exe[] = { "/proc/self/exe" };
	BTF_FILTER_OPTS(opts, .backend = backend(), .log_buf = log,
			.log_size = sizeof(log));
	char *path;
	FILE *f;

	/* nothing asked for; counts without their arrays */
	expect_failure(_metadata, NULL, 0, NULL, 0, &opts, EINVAL,
		       "no objects and no selectors");
	expect_failure(_metadata, NULL, 2, NULL, 0, &opts, EINVAL,
		       "objs is NULL but nr_objs is 2");
	snprintf(obj, sizeof(obj), "%s/task.bpf.o", dir());
	expect_failure(_metadata, o, 1, NULL, 3, &opts, EINVAL,
		       "sels is NULL but nr_sels is 3");
	expect_failure(_metadata, NULL, 0, NULL, 3, &opts, EINVAL,
		       "sels is NULL but nr_sels is 3");
	/* an object that is not there */
	snprintf(missing, sizeof(missing), "%s/no-such.bpf.o", dir());
	o[0] = missing;
	expect_failure(_metadata, o, 1, NULL, 0, &opts, ENOENT,
		       "no-such.bpf.o: No such file");
	/* a file that is no BPF object */
	snprintf(obj, sizeof(obj), "%s/custom-errors.txt", dir());
	f = fopen(obj, "w");
	ASSERT_NE(NULL, f);
	fputs("not an object\n", f);
	fclose(f);
	o[0] = obj;
	expect_failure(_metadata, o, 1, NULL, 0, &opts, EINVAL,
		       "custom-errors.txt: not an ELF object");
	unlink(obj);
	/* an ELF file that is there but has no .BTF: no object, not missing */
	expect_failure(_metadata, self_exe, 1, NULL, 0, &opts, EINVAL,
		       "/proc/self/exe: not an ELF object with a .BTF section");
	/* selectors alone: their closure in opts.mode; the log emptied */
	opts.mode = BTF_FILTER_MODE_SHALLOW;
	strcpy(log, "stale");
	path = btf_filter__custom_path(NULL, 0, sel, 1, &opts);
	ASSERT_NE(NULL, path) TH_LOG("%s", log);
	EXPECT_EQ(0, log[0]) TH_LOG("%s", log);
	btf_filter__custom_path_free(path);
}

/*
 * Objects without a relocation that needs the kernel's BTF: ENODATA (the
 * file is there), unless selectors ask for something.
 */
TEST(library_custom_path_no_relocations)
{
	char log[512], src[PATH_MAX], obj[PATH_MAX];
	const char *sel[] = { "task_struct" }, *o[1] = { obj };
	BTF_FILTER_OPTS(opts, .backend = backend(), .log_buf = log,
			.log_size = sizeof(log));
	char *path;

	snprintf(src, sizeof(src), "%s/task.bpf.o", dir());
	snprintf(obj, sizeof(obj), "%s/no-relocations.bpf.o", dir());
	ASSERT_EQ(0, copy_without_relocations(src, obj));
	expect_failure(_metadata, o, 1, NULL, 0, &opts, ENODATA,
		       "no CO-RE relocation that needs the kernel's BTF");
	path = btf_filter__custom_path(o, 1, sel, 1, &opts);
	EXPECT_NE(NULL, path) TH_LOG("%s", log);
	btf_filter__custom_path_free(path);
	unlink(obj);
}

/*
 * Writing the memfd: a short write goes on where it stopped; an error
 * (here EFBIG, past RLIMIT_FSIZE after a short write) is the caller's
 * errno, with a log line.
 */
TEST(library_custom_path_write_error)
{
	const char *sel[] = { "task_struct" };
	char log[512] = "";
	BTF_FILTER_OPTS(opts, .backend = backend(), .log_buf = log,
			.log_size = sizeof(log),
			.mode = BTF_FILTER_MODE_SHALLOW);
	struct rlimit old, lim;
	char *path;

	ASSERT_EQ(0, getrlimit(RLIMIT_FSIZE, &old));
	lim = old;
	lim.rlim_cur = 64;
	signal(SIGXFSZ, SIG_IGN);
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &lim));
	errno = 0;
	path = btf_filter__custom_path(NULL, 0, sel, 1, &opts);
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &old));
	EXPECT_EQ(NULL, path);
	EXPECT_EQ(EFBIG, errno);
	EXPECT_NE(NULL, strstr(log, "memfd")) TH_LOG("%s", log);
	btf_filter__custom_path_free(path);
}

/*
 * Our BTF rebuilt type by type into path, without task_struct's member
 * drop (NULL: with every member); the members dropped.
 */
static int rebuild_btf(struct __test_metadata *_metadata, struct btf *b,
		       const char *drop, const char *path)
{
	struct btf *cut = btf__new_empty();
	int i, dropped = 0;
	const void *raw;
	__u32 id, size;
	FILE *f;

	for (id = 1; id < btf__type_cnt(b); id++) {
		const struct btf_type *t = btf__type_by_id(b, id);
		const char *name = btf__name_by_offset(b, t->name_off);

		if (!btf_is_struct(t) || strcmp(name, "task_struct")) {
			EXPECT_LT(0, btf__add_type(cut, b, t));
			continue;
		}
		EXPECT_LT(0, btf__add_struct(cut, name, t->size));
		for (i = 0; i < btf_vlen(t); i++) {
			const struct btf_member *m = btf_members(t) + i;
			const char *mn = btf__name_by_offset(b, m->name_off);

			if (drop && !strcmp(mn, drop)) {
				dropped++;
				continue;
			}
			EXPECT_EQ(0, btf__add_field(cut, mn, m->type,
						    btf_member_bit_offset(t, i),
						    btf_member_bitfield_size(t, i)));
		}
	}
	raw = btf__raw_data(cut, &size);
	f = fopen(path, "wb");
	EXPECT_NE(NULL, f);
	if (f) {
		EXPECT_EQ(size, fwrite(raw, 1, size, f));
		fclose(f);
	}
	btf__free(cut);
	return dropped;
}

/*
 * Our BTF without task_struct.real_parent: task.bpf.o must not load.  The
 * same rebuild with every member loads, so the member is what it lacks.
 */
TEST_F(e2e, negative_control_without_a_member)
{
	struct btf *b = btf__parse_raw(self->ours);
	char path[PATH_MAX];
	struct loaded l;

	ASSERT_NE(NULL, b);
	snprintf(path, sizeof(path), "%s/negative.btf", dir());
	ASSERT_EQ(0, rebuild_btf(_metadata, b, NULL, path));
	ASSERT_EQ(0, load("task", path, &l));	/* the rebuild itself is sound */
	unload(&l);
	ASSERT_EQ(1, rebuild_btf(_metadata, b, "real_parent", path));
	btf__free(b);
	libbpf_set_print(NULL);		/* the failure is expected */
	EXPECT_NE(0, load("task", path, &l));
	unload(&l);
	ASSERT_EQ(0, load("task", self->ours, &l));	/* and ours loads */
	unload(&l);
}

#ifndef E2E_NO_BPFTOOL	/* the VM has no bpftool: the host compares */
/* bpftool's BTF for the same objects: it works too, and is no smaller. */
TEST_F(e2e, bpftool_min_core_btf_is_no_smaller)
{
	char theirs[PATH_MAX];
	struct stat a, b;

	ASSERT_NE(NULL, getenv("BPFTOOL"));
	ASSERT_EQ(0, make_btf("bpftool", true));
	snprintf(theirs, sizeof(theirs), "%s/bpftool.btf", dir());
	check_truth(_metadata, theirs);
	ASSERT_EQ(0, stat(self->ours, &a));
	ASSERT_EQ(0, stat(theirs, &b));
	TH_LOG("from-obj %lld bytes, bpftool gen min_core_btf %lld bytes",
	       (long long)a.st_size, (long long)b.st_size);
	EXPECT_LE(a.st_size, b.st_size);
}
#endif

TEST_HARNESS_MAIN
