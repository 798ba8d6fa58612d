// SPDX-License-Identifier: GPL-2.0
/* btf-filter: the command-line front end of libbtf_filter. */
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "libbtf_filter.h"
#include "core_relo.h"


static const char usage_text[] =
"NAME\n"
"    btf-filter - extract the closure of a few types from a kernel's BTF\n"
"\n"
"SYNOPSIS\n"
"    btf-filter query [--source vmlinux|MODULE|PATH] [--base PATH]\n"
"                     [--mode full|shallow|fields]\n"
"                     [--backend auto|kernel|user] [--allow-missing]\n"
"                     [--id-map FILE] [--stats] [-o FILE] SELECTOR...\n"
"    btf-filter from-obj [--source vmlinux|MODULE|PATH] [--base PATH]\n"
"                     [--backend auto|kernel|user]\n"
"                     [--explain] [--stats] [-o FILE] OBJ.bpf.o...\n"
"    btf-filter --help | --version\n"
"\n"
"DESCRIPTION\n"
"    A CO-RE tool needs a few dozen of the kernel's 100,000+ BTF types.\n"
"    btf-filter query reads the source BTF in two streaming passes, never\n"
"    holding it in memory, and writes a small standard BTF blob with just\n"
"    the types the SELECTORs name and the types they refer to.  The blob\n"
"    is what libbpf's btf_custom_path, bpftool btf dump file and\n"
"    BPF_BTF_LOAD take.  Type IDs are renumbered densely from 1 in\n"
"    ascending source order and strings are deduplicated, so the same\n"
"    source and query always give the same bytes.\n"
"\n"
"    btf-filter from-obj reads the CO-RE relocations of compiled BPF\n"
"    objects (their .BTF and .BTF.ext), turns each into a fields-mode\n"
"    selector, and writes the one BTF blob that all of them need: load\n"
"    the objects with libbpf's btf_custom_path set to it.  A relocation\n"
"    is named by its root type (___flavor suffixes stripped, as libbpf\n"
"    matches candidates) and the member names its access string walks:\n"
"    field offset, size, existence, signedness and bitfield shifts give\n"
"    'struct task_struct.real_parent'; type existence, size, ID and\n"
"    matches give the whole type ('struct task_struct', shallow); enum\n"
"    value existence and value give 'enum pid_type.PIDTYPE_TGID'; a\n"
"    local type ID needs nothing.  Selectors the source lacks are\n"
"    counted, not an error (the program may test for them with\n"
"    bpf_core_field_exists()).  A relocation no selector can express is\n"
"    reported by object, section and relocation, and fails the command.\n"
"\n"
"SELECTORS\n"
"    NAME          every type called NAME: task_struct, 'long unsigned int'\n"
"    'KIND NAME'   when the first word is a kind, only types of that kind:\n"
"                  struct, union, enum (also 64-bit enums), typedef, func,\n"
"                  var, datasec, fwd, int, float ('struct file',\n"
"                  'func do_sys_open', 'int long unsigned int')\n"
"    '#ID'         the source type with that ID ('#1234')\n"
"    In fields mode, NAME or 'KIND NAME' may go on with a member path:\n"
"    NAME.MEMBER[.MEMBER...] ('task_struct.real_parent',\n"
"                  'file.f_path.dentry', 'sk_buff.len'), or an enum value:\n"
"                  'enum pid_type.PIDTYPE_TGID'.\n"
"    A selector that matches no type is an error unless --allow-missing.\n"
"\n"
"OPTIONS\n"
"    -s, --source vmlinux|MODULE|PATH\n"
"        The BTF to filter.  vmlinux (the default) is the running kernel's\n"
"        " BTF_FILTER_VMLINUX ".  MODULE is a loaded module's name\n"
"        (nf_conntrack): its BTF, " BTF_FILTER_SYSFS_BTF "/MODULE, is split\n"
"        BTF on top of vmlinux's, and the result holds the module's types\n"
"        and the vmlinux types they reach, in one standalone blob; the ID\n"
"        map gives the module's own numbering, which continues vmlinux's.\n"
"        Selectors may name types of either.  A name with no '/' is taken\n"
"        as a file when one of that name is here.  PATH is a raw BTF file\n"
"        or an ELF file with a .BTF section, such as a vmlinux image.\n"
"    --base PATH\n"
"        The base of a split BTF source (raw BTF or ELF): for a module's\n"
"        .BTF taken from its .ko, its kernel's vmlinux BTF.  The default\n"
"        for a MODULE source is " BTF_FILTER_VMLINUX ".\n"
"    -m, --mode full|shallow|fields\n"
"        full (the default) keeps every type reachable from the roots.\n"
"        shallow follows references by value but stops at pointers: a\n"
"        named struct or union reached only through a pointer becomes a\n"
"        forward declaration.  That is enough for CO-RE field access on\n"
"        the roots and is usually orders of magnitude smaller.\n"
"        fields keeps what CO-RE relocations against member paths need,\n"
"        as bpftool gen min_core_btf does: each struct or union on a path\n"
"        with only the members on paths (offsets and size unchanged),\n"
"        each member's type but not what a pointer member points to\n"
"        (void, unless kept for itself), an enum with only the values\n"
"        named.  A member is found by name, also inside anonymous\n"
"        members, and a path may go on behind a pointer.  A selector\n"
"        with no path keeps its type whole, as in shallow mode.  A path\n"
"        that is not there counts as a missing selector.\n"
"    -b, --backend auto|kernel|user\n"
"        Who runs the filter.  kernel asks the btf_filter module through\n"
"        " BTF_FILTER_DEVICE ", which filters the running kernel's own\n"
"        BTF and returns only the result; it serves --source vmlinux only.\n"
"        user reads the source in this process.  auto (the default) is\n"
"        kernel when the source is vmlinux and the device exists, else\n"
"        user.  Both give the same bytes for the same query.\n"
"    -a, --allow-missing\n"
"        Selectors that match nothing are counted, not an error.\n"
"    -i, --id-map FILE\n"
"        Write one line 'RESULT_ID SOURCE_ID' per result type to FILE.\n"
"    -o, --output FILE\n"
"        Write the BTF blob to FILE (via a temporary file and rename) or,\n"
"        for '-', to standard output.  Without -o, standard output is\n"
"        used unless it is a terminal.\n"
"    -e, --explain\n"
"        from-obj: print to standard error one line per relocation:\n"
"        object, section, relocation number, instruction, kind, local\n"
"        type and access string, and the selector it became.\n"
"    -S, --stats\n"
"        Print to standard error: source and result type counts and\n"
"        bytes, wall time, the filter's peak heap (user backend) and\n"
"        the peak RSS.\n"
"    -h, --help\n"
"        Print this text.\n"
"    -V, --version\n"
"        Print the version.\n"
"\n"
"EXIT STATUS\n"
"    0 success; 1 the query failed (message on standard error); 2 usage.\n"
"\n"
"EXAMPLES\n"
"    btf-filter query -m shallow -o task.btf task_struct\n"
"    btf-filter query --source vmlinux-6.1 'struct file' 'struct inode' \\\n"
"        -o fs.btf --id-map fs.map --stats\n"
"    btf-filter query -m fields -o min.btf task_struct.real_parent \\\n"
"        task_struct.tgid 'enum pid_type.PIDTYPE_TGID'\n"
"    btf-filter from-obj --explain -o min.btf execsnoop.bpf.o\n"
"    bpftool btf dump file task.btf format c\n";

static const struct option query_opts[] = {
	{ "source", required_argument, NULL, 's' },
	{ "base", required_argument, NULL, 'B' },
	{ "mode", required_argument, NULL, 'm' },
	{ "backend", required_argument, NULL, 'b' },
	{ "allow-missing", no_argument, NULL, 'a' },
	{ "id-map", required_argument, NULL, 'i' },
	{ "output", required_argument, NULL, 'o' },
	{ "stats", no_argument, NULL, 'S' },
	{ "explain", no_argument, NULL, 'e' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "btf-filter: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'btf-filter --help'.\n");
	return 2;
}

/* The words of --mode and --backend, at their values in the ABI. */
static const char *const mode_words[] = {
	[BTF_FILTER_MODE_FULL] = "full",
	[BTF_FILTER_MODE_SHALLOW] = "shallow",
	[BTF_FILTER_MODE_FIELDS] = "fields",
	NULL,
};

/* The index of word in the NULL-terminated words, or -1. */
static __u32 word_index(const char *word, const char *const *words)
{
	__u32 i;

	for (i = 0; words[i]; i++)
		if (!strcmp(words[i], word))
			return i;
	return (__u32)-1;
}

static int write_stream(FILE *f, const char *name, const void *data,
			size_t len)
{
	int ok = fwrite(data, 1, len, f) == len && !fflush(f);

	if (!ok)
		fprintf(stderr, "btf-filter: %s: %s\n", name, strerror(errno));
	return ok ? 0 : 1;
}

/*
 * Write len bytes to path: a regular file atomically (temp file + rename),
 * so a failure leaves no partial file; a device or pipe (/dev/null) in
 * place; "-" to stdout.
 */
static int write_out(const char *path, const void *data, size_t len)
{
	struct stat st;
	char tmp[4096];
	FILE *f;
	int ok;

	if (!strcmp(path, "-"))
		return write_stream(stdout, "stdout", data, len);
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		f = fopen(path, "wb");
		if (!f) {
			fprintf(stderr, "btf-filter: %s: %s\n", path,
				strerror(errno));
			return 1;
		}
		ok = !write_stream(f, path, data, len);
		return !(fclose(f) == 0 && ok);
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >=
	    (int)sizeof(tmp)) {
		fprintf(stderr, "btf-filter: %s: path too long\n", path);
		return 1;
	}
	f = fopen(tmp, "wb");
	if (!f) {
		fprintf(stderr, "btf-filter: %s: %s\n", path, strerror(errno));
		return 1;
	}
	ok = fwrite(data, 1, len, f) == len;
	ok = !fclose(f) && ok;
	if (!ok || rename(tmp, path)) {
		fprintf(stderr, "btf-filter: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return 1;
	}
	return 0;
}

static int write_id_map(const char *path, const struct btf_filter_result *r)
{
	const __u32 *map;
	size_t len = 0, cap;
	__u32 nr, i;
	char *text;
	int ret;

	map = btf_filter_result__id_map(r, &nr);
	cap = (size_t)nr * 24 + 1;
	text = malloc(cap);
	if (!text) {
		fprintf(stderr, "btf-filter: %s\n", strerror(ENOMEM));
		return 1;
	}
	for (i = 0; i < nr; i++)
		len += snprintf(text + len, cap - len, "%u %u\n", i + 1, map[i]);
	ret = write_out(path, text, len);
	free(text);
	return ret;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void print_stats(const char *source, const struct btf_filter_result *r,
			double ms)
{
	struct btf_filter_stats st;
	struct rusage ru;

	btf_filter_result__stats(r, &st);
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr,
		"backend       %s\n"
		"source        %s\n"
		"source types  %u\n"
		"source bytes  %llu\n"
		"result types  %u\n"
		"result bytes  %u\n"
		"missing       %u\n"
		"time          %.3f ms\n",
		btf_filter__backend_str(st.backend),
		source, st.src_types, (unsigned long long)st.src_bytes,
		st.res_types, st.res_bytes, st.nr_missing, ms);
	if (st.backend == BTF_FILTER_BACKEND_USER)	/* the kernel's own */
		fprintf(stderr,
			"peak heap     %llu bytes (%.2f per source type)\n"
			"source reads  %llu\n",
			(unsigned long long)st.peak_heap,
			st.src_types ? (double)st.peak_heap / st.src_types : 0.0,
			(unsigned long long)st.reads);
	fprintf(stderr, "peak RSS      %ld KiB\n", ru.ru_maxrss);
}

/* from-obj: the objects' relocations as selectors, or NULL (reported). */
static struct sel_set *obj_selectors(char **objs, int n, bool explain)
{
	static struct sel_set set;
	int i, bad = 0;
	char err[512];

	for (i = 0; i < n; i++) {
		if (core_relo_selectors(objs[i], &set, explain ? stderr : NULL,
					stderr, &bad, err, sizeof(err))) {
			fprintf(stderr, "btf-filter: %s\n", err);
			sel_set_free(&set);
			return NULL;
		}
	}
	if (bad) {
		fprintf(stderr, "btf-filter: %d relocation%s cannot be expressed; no output written\n",
			bad, bad == 1 ? "" : "s");
		sel_set_free(&set);
		return NULL;
	}
	if (!set.nr) {
		fprintf(stderr, "btf-filter: the objects have no CO-RE relocation that needs the kernel's BTF\n");
		return NULL;
	}
	return &set;
}

/* from-obj: say which selectors the source lacked (the first, and a count). */
static void report_missing(const struct btf_filter_result *r,
			   const struct sel_set *set, bool explain)
{
	struct btf_filter_stats st;

	btf_filter_result__stats(r, &st);
	if (st.nr_missing && st.first_missing < set->nr)
		fprintf(stderr, "btf-filter: note: %u of %zu selectors are not in the source, first '%s'%s\n",
			st.nr_missing, set->nr, set->sels[st.first_missing],
			explain ? "" : " (--explain lists the relocations)");
}

static int cmd_query(int argc, char **argv, bool from_obj)
{
	const char *output = NULL, *id_map = NULL;
	char log[512] = "";
	BTF_FILTER_OPTS(opts, .log_buf = log, .log_size = sizeof(log));
	struct btf_filter_result *r;
	struct sel_set *set = NULL;
	bool stats = false, explain = false;
	const char *const *sels;
	const void *data;
	double t0, t1;
	size_t nr_sels;
	__u32 size;
	int c, ret;

	optind = 1;
	opterr = 0;	/* one line of our own instead */
	while ((c = getopt_long(argc, argv, ":s:B:m:b:ai:o:SehV", query_opts,
				NULL)) != -1) {
		if (from_obj && strchr("mai", c)) {
			char opt[3] = { '-', (char)c, 0 };

			return usage_error("from-obj takes no '%s': it asks for fields, allowing missing ones",
					   opt);
		}
		if (!from_obj && c == 'e')
			return usage_error("%s", "--explain is for from-obj");
		switch (c) {
		case 's':
			opts.source = optarg;
			break;
		case 'B':
			opts.base = optarg;
			break;
		case 'm':
			opts.mode = word_index(optarg, mode_words);
			if (opts.mode == (__u32)-1)
				return usage_error("unknown mode '%s' (full, shallow or fields)",
						   optarg);
			break;
		case 'b': {
			int be = btf_filter__backend_from_str(optarg);

			if (be < 0)
				return usage_error("unknown backend '%s' (auto, kernel or user)",
						   optarg);
			opts.backend = be;
			break;
		}
		case 'a':
			opts.flags |= BTF_FILTER_F_ALLOW_MISSING;
			break;
		case 'i':
			id_map = optarg;
			opts.flags |= BTF_FILTER_F_ID_MAP;
			break;
		case 'o':
			output = optarg;
			break;
		case 'S':
			stats = true;
			break;
		case 'e':
			explain = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'V':
			printf("btf-filter " BTF_FILTER_VERSION "\n");
			return 0;
		case ':':
			return usage_error("option '%s' needs an argument",
					   argv[optind - 1]);
		default:
			return usage_error("unrecognized option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("%s", from_obj ?
				   "from-obj needs at least one OBJ.bpf.o" :
				   "query needs at least one SELECTOR");
	if (!output) {
		if (isatty(STDOUT_FILENO))
			return usage_error("%s", "will not write binary BTF to a terminal; use -o FILE");
		output = "-";
	}

	t0 = now_ms();
	sels = (const char *const *)argv + optind;
	nr_sels = argc - optind;
	if (from_obj) {
		libbpf_set_print(NULL);	/* our messages name the object */
		set = obj_selectors(argv + optind, argc - optind, explain);
		if (!set)
			return 1;
		sels = (const char *const *)set->sels;
		nr_sels = set->nr;
		opts.mode = BTF_FILTER_MODE_FIELDS;
		opts.flags |= BTF_FILTER_F_ALLOW_MISSING;
	}
	r = btf_filter__query(sels, nr_sels, &opts);
	t1 = now_ms();
	if (r && set)
		report_missing(r, set, explain);
	if (set)
		sel_set_free(set);
	if (!r) {
		fprintf(stderr, "btf-filter: %s%s%s\n", log, log[0] ? ": " : "",
			strerror(errno));
		return 1;
	}
	data = btf_filter_result__data(r, &size);
	ret = write_out(output, data, size);
	if (!ret && id_map)
		ret = write_id_map(id_map, r);
	if (stats)
		print_stats(opts.source ? opts.source : BTF_FILTER_VMLINUX, r,
			    t1 - t0);
	btf_filter_result__free(r);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s", "missing command (query or from-obj)");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("btf-filter " BTF_FILTER_VERSION "\n");
		return 0;
	}
	if (!strcmp(argv[1], "query"))
		return cmd_query(argc - 1, argv + 1, false);
	if (!strcmp(argv[1], "from-obj"))
		return cmd_query(argc - 1, argv + 1, true);
	return usage_error("unknown command '%s' (query or from-obj)", argv[1]);
}
