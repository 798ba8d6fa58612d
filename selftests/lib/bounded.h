/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounded work: run one query in a child process under a CPU time limit
 * and an address-space limit, so that a query that runs away fails its
 * test instead of hanging it or eating the machine's memory, and report
 * its CPU time (the budget: wall time depends on what else the machine
 * runs, e.g. make check's VMs), wall time, stats and result to the parent.
 */
#ifndef BTF_FILTER_BOUNDED_H
#define BTF_FILTER_BOUNDED_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "libbtf_filter.h"
#include "common.h"

/*
 * The heap a query may hold (user backend): 8 bytes a source type (its
 * offset and name-table slot, the closure's bits), 64 KiB of I/O windows
 * and buffers, 64 bytes a selector byte (its parsed form and matches), and
 * O(result): 12 bytes a result byte and 32 a result type (the blob, the ID
 * map, the emit tables).  Nothing grows with the product of selectors and
 * strings, or with the number of paths tried.
 */
static inline unsigned long long
bounded_heap(const struct btf_filter_stats *st, size_t sel_bytes)
{
	return 8ULL * st->src_types + 65536 + 64ULL * sel_bytes +
	       12ULL * st->res_bytes + 32ULL * st->res_types;
}

#define BOUNDED_SHM	(64UL << 20)	/* room for the result */

struct bounded_out {
	int status;		/* the child's, from waitpid() */
	int err;		/* 0, or the query's errno */
	double secs;		/* the query's CPU time */
	double wall;		/* and its wall time */
	struct btf_filter_stats st;
	char log[256];
	__u32 size;		/* blob bytes at data */
	__u32 nr_map;		/* ID map words after them */
	unsigned char data[];
};

/*
 * Query (from mem if not NULL, else opts->source) in a child that is
 * killed after kill_s seconds of CPU time (SIGXCPU; SIGALRM after four
 * times that in wall time) and that may map at most as_limit bytes.
 * Returns the shared page to munmap(out, BOUNDED_SHM), or NULL.  The query
 * finished if WIFEXITED(out->status) && !WEXITSTATUS(out->status).
 */
static inline struct bounded_out *
bounded_query(const void *mem, size_t mem_size, const char *const *sels,
	      size_t n, const struct btf_filter_opts *opts,
	      unsigned int kill_s, size_t as_limit)
{
	struct bounded_out *out;
	pid_t pid;

	out = mmap(NULL, BOUNDED_SHM, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (out == MAP_FAILED)
		return NULL;
	memset(out, 0, sizeof(*out));
	out->err = -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		munmap(out, BOUNDED_SHM);
		return NULL;
	}
	if (!pid) {
		struct rlimit rl = { as_limit, as_limit };
		struct rlimit cpu = { kill_s, kill_s + 1 };
		struct btf_filter_opts o = *opts;
		struct btf_filter_result *r;
		const void *data;
		const __u32 *map;
		double t0, w0;

		o.log_buf = out->log;
		o.log_size = sizeof(out->log);
		if (as_limit)
			setrlimit(RLIMIT_AS, &rl);
		signal(SIGALRM, SIG_DFL);
		signal(SIGXCPU, SIG_DFL);
		alarm(4 * kill_s);
		t0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		cpu.rlim_cur += t0;	/* what the child has used already */
		cpu.rlim_max += t0;
		setrlimit(RLIMIT_CPU, &cpu);
		w0 = clock_s(CLOCK_MONOTONIC);
		r = mem ? btf_filter__query_mem(mem, mem_size, sels, n, &o) :
			  btf_filter__query(sels, n, &o);
		out->secs = clock_s(CLOCK_PROCESS_CPUTIME_ID) - t0;
		out->wall = clock_s(CLOCK_MONOTONIC) - w0;
		out->err = r ? 0 : errno;
		if (r) {
			btf_filter_result__stats(r, &out->st);
			data = btf_filter_result__data(r, &out->size);
			map = btf_filter_result__id_map(r, &out->nr_map);
			if (sizeof(*out) + out->size +
			    out->nr_map * sizeof(__u32) > BOUNDED_SHM)
				_exit(3);
			memcpy(out->data, data, out->size);
			memcpy(out->data + out->size, map,
			       out->nr_map * sizeof(__u32));
		}
		_exit(0);
	}
	while (waitpid(pid, &out->status, 0) < 0 && errno == EINTR)
		;
	return out;
}

/* What happened to the child, for a message. */
static inline const char *bounded_fate(const struct bounded_out *o,
				       char *buf, size_t sz)
{
	if (WIFSIGNALED(o->status))
		snprintf(buf, sz, "killed by signal %d (%s)",
			 WTERMSIG(o->status),
			 WTERMSIG(o->status) == SIGXCPU ? "over the CPU limit" :
			 WTERMSIG(o->status) == SIGALRM ? "over the deadline" :
			 strsignal(WTERMSIG(o->status)));
	else if (WEXITSTATUS(o->status))
		snprintf(buf, sz, "exited with %d", WEXITSTATUS(o->status));
	else if (o->err)
		snprintf(buf, sz, "failed after %.3f s of CPU: %s: %s",
			 o->secs, strerror(o->err), o->log);
	else
		snprintf(buf, sz, "done in %.3f s of CPU (%.3f s wall), peak heap %llu",
			 o->secs, o->wall,
			 (unsigned long long)o->st.peak_heap);
	return buf;
}

static inline bool bounded_ok(const struct bounded_out *o)
{
	return o && WIFEXITED(o->status) && !WEXITSTATUS(o->status) &&
	       !o->err;
}

#endif /* BTF_FILTER_BOUNDED_H */
