// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libbpf-loader: load CO-RE BPF objects with libbpf, giving it only the
 * kernel types their relocations need instead of all of vmlinux's BTF.
 *
 * One call, btf_filter__custom_path(), turns the objects into a
 * btf_custom_path: /dev/btf_filter answers if the module is loaded, else
 * the library reads /sys/kernel/btf/vmlinux itself.  Each object is then
 * opened with that path, loaded and attached as usual.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/libbpf.h>

#include "libbtf_filter.h"

#define MAX_OBJS	64
#define MAX_LINKS	256

static const char usage[] =
"usage: libbpf-loader [-s SOURCE] [-b auto|kernel|user] [-t SECONDS] OBJ...\n"
"\n"
"Load and attach the CO-RE BPF objects OBJ..., with libbpf given only the\n"
"kernel types their relocations need (btf_filter__custom_path()).  Then\n"
"keep them attached for SECONDS (default 0), detach and exit.\n"
"\n"
"  -s SOURCE   the BTF to take the types from (default vmlinux: the\n"
"              running kernel's)\n"
"  -b BACKEND  auto (default): /dev/btf_filter if present, else this\n"
"              process reads the source; kernel; user\n"
"  -t SECONDS  how long to stay attached\n"
"  -h          this text\n"
"\n"
"Exit status: 0 when every program of every object is attached, 1 on an\n"
"error (one line on standard error), 2 on a usage error.\n";

/* Open obj with btf, load it, attach every program: 0, or 1 (said). */
static int load_attach(const char *path, const char *btf,
		       struct bpf_object **objp, struct bpf_link **links,
		       int *nr_links)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .btf_custom_path = btf);
	struct bpf_program *prog;
	struct bpf_object *obj;
	int err, n = 0;

	obj = bpf_object__open_file(path, &o);
	if (!obj) {
		fprintf(stderr, "libbpf-loader: %s: open: %s\n", path,
			strerror(errno));
		return 1;
	}
	*objp = obj;
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "libbpf-loader: %s: load: %s\n", path,
			strerror(-err));
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		struct bpf_link *l;

		if (*nr_links == MAX_LINKS) {
			fprintf(stderr, "libbpf-loader: more than %d programs\n",
				MAX_LINKS);
			return 1;
		}
		l = bpf_program__attach(prog);
		if (!l) {
			fprintf(stderr, "libbpf-loader: %s: attach %s: %s\n",
				path, bpf_program__name(prog), strerror(errno));
			return 1;
		}
		links[(*nr_links)++] = l;
		n++;
	}
	printf("%s: %d program%s attached\n", path, n, n == 1 ? "" : "s");
	return 0;
}

int main(int argc, char **argv)
{
	struct bpf_link *links[MAX_LINKS];
	struct bpf_object *objs[MAX_OBJS] = { 0 };
	char log[512] = "", *btf;
	int c, i, rc = 0, nr_links = 0, seconds = 0, be = 0;
	const char *source = NULL;
	struct stat st;

	while ((c = getopt(argc, argv, "s:b:t:h")) != -1) {
		switch (c) {
		case 's':
			source = optarg;
			break;
		case 'b':
			be = btf_filter__backend_from_str(optarg);
			if (be < 0) {
				fprintf(stderr, "libbpf-loader: unknown backend '%s' (auto, kernel, user)\n",
					optarg);
				return 2;
			}
			break;
		case 't':
			seconds = atoi(optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind == argc || argc - optind > MAX_OBJS) {
		fprintf(stderr, "libbpf-loader: give 1 to %d BPF objects\n",
			MAX_OBJS);
		return 2;
	}

	BTF_FILTER_OPTS(opts, .source = source, .backend = be,
			.log_buf = log, .log_size = sizeof(log));
	btf = btf_filter__custom_path((const char *const *)argv + optind,
				      argc - optind, NULL, 0, &opts);
	if (!btf) {
		fprintf(stderr, "libbpf-loader: %s\n", log[0] ? log :
			strerror(errno));
		return 1;
	}
	if (!stat(btf, &st))
		printf("kernel types for libbpf: %lld bytes at %s\n",
		       (long long)st.st_size, btf);
	for (i = optind; i < argc && !rc; i++)
		rc = load_attach(argv[i], btf, &objs[i - optind], links,
				 &nr_links);
	/* libbpf has what it needs from the BTF once the objects are loaded */
	btf_filter__custom_path_free(btf);
	if (!rc && seconds > 0)
		sleep(seconds);
	for (i = 0; i < nr_links; i++)
		bpf_link__destroy(links[i]);
	for (i = 0; i < MAX_OBJS; i++)
		bpf_object__close(objs[i]);
	return rc;
}
