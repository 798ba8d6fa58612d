#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test_cli.sh BUILD_DIR: the btf-filter command line, as TAP.  Every error
# must be one clear line and the documented exit status.
set -u
build=${1:?usage: test_cli.sh BUILD_DIR}
bin=$build/btf-filter
top=$(cd "$(dirname "$0")/.." && pwd)
objs=("$build"/selftests/bpf/{task,file,net}.bpf.o)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

ok() {	# ok DESCRIPTION COMMAND...: the command must succeed
	local d=$1; shift
	n=$((n + 1))
	if "$@" >"$tmp/out" 2>&1; then
		echo "ok $n $d"
	else
		echo "not ok $n $d"; sed 's/^/# /' "$tmp/out" | head -5
		failed=$((failed + 1))
	fi
}

# run RC PATTERN ARGS...: btf-filter ARGS must exit RC and print PATTERN
# to stderr, in one line
run() {
	local rc=$1 pat=$2 got; shift 2
	"$bin" "$@" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
	got=$?
	[ "$got" -eq "$rc" ] || { echo "exit $got, want $rc"; cat "$tmp/stderr"; return 1; }
	[ -z "$pat" ] || grep -q -- "$pat" "$tmp/stderr" ||
		{ echo "stderr lacks '$pat':"; cat "$tmp/stderr"; return 1; }
	[ "$rc" -eq 0 ] || [ "$(grep -cv '^Try ' "$tmp/stderr")" -eq 1 ] ||
		{ echo "error is not one line:"; cat "$tmp/stderr"; return 1; }
}

fields_mode() {
	"$bin" query -m fields -o "$tmp/f.btf" task_struct.real_parent \
		'enum pid_type.PIDTYPE_TGID' || return 1
	bpftool btf dump file "$tmp/f.btf" >"$tmp/f.txt" || return 1
	grep -q "STRUCT 'task_struct' size=[0-9]* vlen=1" "$tmp/f.txt" &&
		grep -q "'real_parent'" "$tmp/f.txt" &&
		grep -q "ENUM 'pid_type' .* vlen=1" "$tmp/f.txt" &&
		grep -q "'PIDTYPE_TGID' val=1" "$tmp/f.txt" ||
		{ cat "$tmp/f.txt"; return 1; }
}

# A BPF object compiled here from C on stdin.
bpf_obj() {
	clang -g -O2 -target bpf -x c -c - -o "$1" 2>"$tmp/clang.err" ||
		{ cat "$tmp/clang.err"; return 1; }
}

from_obj_explains() {
	"$bin" from-obj -b user --explain -o "$tmp/m.btf" "${objs[@]}" \
		2>"$tmp/explain" || { cat "$tmp/explain"; return 1; }
	grep -q "field_byte_offset.*-> struct task_struct.real_parent$" "$tmp/explain" &&
	grep -q "field_exists.*-> struct task_struct.state$" "$tmp/explain" &&
	grep -q "enumval_value.*-> enum pid_type.PIDTYPE_TGID$" "$tmp/explain" &&
	grep -q "field_lshift_u64.*-> struct sock.__sk_common.skc_reuse$" "$tmp/explain" &&
	grep -q "type_size.*-> struct path$" "$tmp/explain" &&
	grep -q "not in the source, first 'struct task_struct.state'" "$tmp/explain" ||
		{ cat "$tmp/explain"; return 1; }
	bpftool btf dump file "$tmp/m.btf" | grep -q "'real_parent'"
}

from_obj_inexpressible() {
	bpf_obj "$tmp/anon.o" <<-'EOF' || return 1
	struct { int x, y; } __attribute__((preserve_access_index)) *p;
	int out;
	__attribute__((section("raw_tp/sys_enter"), used)) int prog(void *c)
	{ out = p->y; return 0; }
	EOF
	# one line for the relocation, one for the verdict
	"$bin" from-obj -o "$tmp/anon.btf" "$tmp/anon.o" 2>"$tmp/err" && return 1
	grep -q "relocation #0 (field_byte_offset, insn [0-9]*) in raw_tp/sys_enter: type \[[0-9]*\] '(anonymous)' access '0:1' cannot be expressed" "$tmp/err" &&
	grep -q "1 relocation cannot be expressed; no output written" "$tmp/err" &&
	[ "$(wc -l <"$tmp/err")" -eq 2 ] && [ ! -e "$tmp/anon.btf" ] ||
		{ cat "$tmp/err"; return 1; }
}

from_obj_no_relocations() {
	bpf_obj "$tmp/plain.o" <<-'EOF' || return 1
	int out;
	__attribute__((section("raw_tp/sys_enter"), used)) int prog(void *c)
	{ out++; return 0; }
	EOF
	run 1 "no CO-RE relocation that needs the kernel's BTF" from-obj -o "$tmp/a" "$tmp/plain.o"
}

help_is_complete() {
	"$bin" --help >"$tmp/help" || return 1
	for s in NAME SYNOPSIS DESCRIPTION SELECTORS OPTIONS 'EXIT STATUS' \
		 EXAMPLES --source --base MODULE --mode --backend --allow-missing --id-map --stats \
		 --output; do
		grep -q -- "$s" "$tmp/help" || { echo "help lacks $s"; return 1; }
	done
	"$bin" query --help >"$tmp/qhelp" && cmp -s "$tmp/qhelp" "$tmp/help"
}

version() {
	run 0 "" --version && grep -qx "btf-filter $(cat "$top/VERSION")" "$tmp/stdout"
}

allow_missing_counts() {
	run 0 "" query --allow-missing --stats -o "$tmp/a" task_struct no_such_struct_qq &&
		cat "$tmp/stdout" "$tmp/stderr" | grep -qE '^missing +1$'
}

blob_and_map() {
	"$bin" query -m shallow -o "$tmp/t.btf" --id-map "$tmp/t.map" \
		task_struct || return 1
	bpftool btf dump file "$tmp/t.btf" >"$tmp/dump" || return 1
	local types maps
	types=$(grep -c '^\[' "$tmp/dump")
	maps=$(wc -l <"$tmp/t.map")
	[ "$types" -gt 10 ] && [ "$types" -eq "$maps" ] ||
		{ echo "$types types, $maps map lines"; return 1; }
	# Map lines are "RESULT SOURCE" and the source type has the same name.
	local line rid sid
	line=$(grep -n "STRUCT 'task_struct'" "$tmp/dump" | head -1 | cut -d: -f1)
	rid=$(sed -n "${line}p" "$tmp/dump" | sed 's/^\[\([0-9]*\)\].*/\1/')
	sid=$(awk -v r="$rid" '$1 == r { print $2 }' "$tmp/t.map")
	bpftool btf dump file /sys/kernel/btf/vmlinux | grep -q "^\[$sid\] STRUCT 'task_struct'"
}

stdout_equals_file() {
	"$bin" query -m shallow task_struct >"$tmp/s.btf" &&
		"$bin" query -m shallow -o - task_struct | cmp -s - "$tmp/s.btf" &&
		"$bin" query -m shallow -o "$tmp/f.btf" task_struct &&
		cmp -s "$tmp/s.btf" "$tmp/f.btf"
}

stats_fields() {
	"$bin" query -S -m shallow -o "$tmp/x.btf" task_struct 2>"$tmp/stats" || return 1
	for f in 'source types' 'source bytes' 'result types' 'result bytes' \
		 'time' 'peak heap' 'peak RSS'; do
		grep -q "^$f " "$tmp/stats" || { echo "no '$f'"; return 1; }
	done
}

no_partial_output() {
	run 1 "No such file" query -o "$tmp/nodir/x.btf" task_struct &&
		[ ! -e "$tmp/nodir/x.btf" ] &&
		run 1 "no_such_struct_qq" query -o "$tmp/y.btf" task_struct no_such_struct_qq &&
		[ ! -e "$tmp/y.btf" ]
}

# A module's split BTF on its kernel's vmlinux BTF: nf_conn_acct (the module's)
# and nf_conn (vmlinux's), and the ID map in the module's numbering
# (its own types after vmlinux's), as bpftool sees the same split pair.
module_source() {
	local k=${BTF_FILTER_KERNELS:-$build/kernels}/6.1 id
	"$bin" query -b user -s "$k/modules/nf_conntrack.btf" --base "$k/vmlinux.btf" \
		-m shallow --id-map "$tmp/m.map" -o "$tmp/m.btf" nf_conn_acct nf_conn || return 1
	bpftool btf dump file "$tmp/m.btf" format c >"$tmp/m.h" || return 1
	grep -q '^struct nf_conn_acct {' "$tmp/m.h" && grep -q '^struct nf_conn {' "$tmp/m.h" ||
		{ echo "nf_conn_acct or nf_conn missing"; return 1; }
	# The ID map's entry for nf_conn_acct: its ID in the split pair.
	id=$(bpftool -B "$k/vmlinux.btf" btf dump file "$k/modules/nf_conntrack.btf" |
		awk "/STRUCT 'nf_conn_acct' /" | head -n1 | tr -d '[]' | cut -d' ' -f1)
	[ -n "$id" ] && awk -v id="$id" '$2 == id { f = 1 } END { exit !f }' "$tmp/m.map" ||
		{ echo "id map lacks nf_conn_acct's ID '$id'"; return 1; }
	[ "$id" -gt "$(bpftool btf dump file "$k/vmlinux.btf" | grep '^\[' | tail -n1 | tr -d '[]' | cut -d' ' -f1)" ] ||
		{ echo "nf_conn_acct's $id is not past vmlinux's types"; return 1; }
}

elf_without_btf() {
	cp /bin/true "$tmp/true.elf"
	run 1 "no .BTF section" query -s "$tmp/true.elf" -o "$tmp/z" task_struct
}

ok "--help is a full manual page, also as query --help" help_is_complete
ok "--version prints the version" version
ok "no command: usage error" run 2 "missing command" 
ok "unknown command: usage error" run 2 "unknown command 'frob'" frob
ok "unknown option: usage error" run 2 "unrecognized option" query --frob task_struct
ok "option without its argument: usage error" run 2 "option '--source' needs an argument" query task_struct --source
ok "unknown backend: usage error" run 2 "unknown backend 'gpu'" query -b gpu -o "$tmp/a" task_struct
if [ -e /dev/btf_filter ]; then
	n=$((n + 1))
	echo "ok $n kernel backend without the module: says so # SKIP the module is loaded here"
else
	ok "kernel backend without the module: says so" run 1 "is the btf_filter module loaded" query -b kernel -o "$tmp/a" task_struct
fi
ok "kernel backend for a file: refused" run 1 "serves only vmlinux" query -b kernel -s /etc/passwd -o "$tmp/a" task_struct
ok "unknown mode: usage error" run 2 "unknown mode 'deep'" query -m deep -o "$tmp/a" task_struct
ok "no selector: usage error" run 2 "at least one SELECTOR" query -o "$tmp/a"
ok "unreadable source: one line, exit 1" run 1 "/nonexistent/btf: No such file" query -s /nonexistent/btf -o "$tmp/a" task_struct
ok "not BTF: bad magic" run 1 "bad magic" query -s /etc/passwd -o "$tmp/a" task_struct
ok "ELF without .BTF" elf_without_btf
ok "a module's split BTF with --base: its types and vmlinux's, IDs as bpftool numbers them" module_source
ok "a module that is not loaded: one line, exit 1" run 1 "no module 'no_such_module_qq' with BTF is loaded" query -s no_such_module_qq -o "$tmp/a" task_struct
ok "split BTF without its base: says what it needs" run 1 "split BTF? give its base" query -s "${BTF_FILTER_KERNELS:-$build/kernels}/6.1/modules/nf_conntrack.btf" -o "$tmp/a" nf_conn
ok "kernel backend for split BTF: refused" run 1 "serves only vmlinux" query -b kernel -s "${BTF_FILTER_KERNELS:-$build/kernels}/6.1/modules/nf_conntrack.btf" --base "${BTF_FILTER_KERNELS:-$build/kernels}/6.1/vmlinux.btf" -o "$tmp/a" nf_conn
ok "malformed selector names itself" run 1 "selector '#x1'" query -o "$tmp/a" '#x1'
ok "missing selector is an error naming it" run 1 "'struct no_such_struct_qq' matches no type" query -o "$tmp/a" 'struct no_such_struct_qq'
ok "--allow-missing turns it into a count" allow_missing_counts
ok "default source is the running kernel; blob and id map agree with bpftool" blob_and_map
ok "stdout and -o give the same bytes" stdout_equals_file
ok "--stats reports counts, bytes, time, heap, RSS" stats_fields
ok "fields mode keeps the named members only" fields_mode
ok "from-obj --explain: each relocation and its selector" from_obj_explains
ok "from-obj: an inexpressible relocation is named, nothing written" from_obj_inexpressible
ok "from-obj: an object without CO-RE relocations" from_obj_no_relocations
ok "from-obj: not an object" run 1 "/etc/passwd: not an ELF object with a .BTF section" from-obj -o "$tmp/a" /etc/passwd
ok "from-obj: an ELF file without .BTF is no object, not a missing file" run 1 "$bin: not an ELF object with a .BTF section" from-obj -o "$tmp/a" "$bin"
ok "from-obj: no object: usage error" run 2 "from-obj needs at least one OBJ.bpf.o" from-obj -o "$tmp/a"
ok "from-obj: no --mode: usage error" run 2 "from-obj takes no '-m'" from-obj -m full -o "$tmp/a" "${objs[0]}"
ok "--explain is for from-obj" run 2 "explain is for from-obj" query --explain -o "$tmp/a" task_struct
ok "fields mode: a member that is not there is missing" run 1 "'task_struct.no_such_member_qq' matches no type" query -m fields -o "$tmp/a" task_struct.no_such_member_qq
ok "fields mode: a bad path names itself" run 1 "selector 'task_struct..pid'" query -m fields -o "$tmp/a" task_struct..pid
ok "failed queries and bad paths leave no partial file" no_partial_output

# examples/libbpf-loader: libbpf loads and attaches the test objects with
# the library's btf_custom_path (test_e2e checks what the programs read).
loader=$build/examples/libbpf-loader
loader_attaches() {
	"$loader" -b user "${objs[@]}" >"$tmp/l.out" || return 1
	grep -q '^kernel types for libbpf: [0-9]* bytes at /proc/self/fd/' "$tmp/l.out" &&
		[ "$(grep -c ': 1 program attached$' "$tmp/l.out")" -eq 3 ]
}
loader_fails() {	# loader_fails RC PATTERN ARGS...
	local rc=$1 pat=$2 got; shift 2
	"$loader" "$@" >/dev/null 2>"$tmp/l.err"
	got=$?
	[ "$got" -eq "$rc" ] && grep -q -- "$pat" "$tmp/l.err" ||
		{ echo "exit $got, want $rc"; cat "$tmp/l.err"; return 1; }
}
ok "libbpf-loader attaches the three objects through btf_filter__custom_path()" loader_attaches
ok "libbpf-loader: a missing object, exit 1" loader_fails 1 "^libbpf-loader: .*no-such.o: No such file" "$tmp/no-such.o"
ok "libbpf-loader: no object, usage error" loader_fails 2 "give 1 to 64 BPF objects"
ok "libbpf-loader: an ELF file without .BTF, exit 1" loader_fails 1 "^libbpf-loader: .*: not an ELF object with a .BTF section" "$bin"
ok "libbpf-loader: an object without CO-RE relocations, exit 1" loader_fails 1 "^libbpf-loader: the objects have no CO-RE relocation that needs the kernel's BTF" "$tmp/plain.o"

# examples/cilium-ebpf: cilium/ebpf 0.22 loads task.bpf.o with the types
# from the library (here, with no device, the library reads vmlinux
# itself), and the program reads this shell's child: pid, parent, name.
cilium=$build/examples/cilium-ebpf
cilium_reads_itself() {	# cilium_reads_itself [FLAG...]
	local self
	"$cilium" "$@" "${objs[0]}" >"$tmp/c.out" || return 1
	cat "$tmp/c.out"
	self=$(sed -n 's/^self //p' "$tmp/c.out")
	grep -q '^kernel types for cilium/ebpf: [0-9]* bytes$' "$tmp/c.out" &&
		[ -n "$self" ] && grep -qx "pid $self" "$tmp/c.out" &&
		grep -qx "ppid $$" "$tmp/c.out" &&
		grep -qx "comm cilium-ebpf" "$tmp/c.out"
}
cilium_fails() {	# cilium_fails RC PATTERN ARGS...
	local rc=$1 pat=$2 got; shift 2
	"$cilium" "$@" >/dev/null 2>"$tmp/c.err"
	got=$?
	[ "$got" -eq "$rc" ] && grep -q -- "$pat" "$tmp/c.err" ||
		{ echo "exit $got, want $rc"; cat "$tmp/c.err"; return 1; }
}
# -blob: the types from a file btf-filter wrote earlier.
cilium_from_file() {
	"$build/btf-filter" from-obj -o "$tmp/task-types.btf" "${objs[0]}" 2>/dev/null &&
		cilium_reads_itself -blob "$tmp/task-types.btf"
}
ok "cilium-ebpf: cilium/ebpf loads task.bpf.o with the library's types and reads this process" cilium_reads_itself
ok "cilium-ebpf -blob: the same with the types from a file btf-filter from-obj wrote" cilium_from_file
ok "cilium-ebpf: a missing object, exit 1" cilium_fails 1 "^cilium-ebpf: kernel types: .*no-such.o: No such file" "$tmp/no-such.o"
echo "not BTF" >"$tmp/not.btf"
ok "cilium-ebpf -blob: a file that is not BTF, exit 1" cilium_fails 1 "^cilium-ebpf: kernel types: $tmp/not.btf: " -blob "$tmp/not.btf" "${objs[0]}"
ok "cilium-ebpf -blob with -mode none, usage error" cilium_fails 2 "^usage: cilium-ebpf" -blob "$tmp/task-types.btf" -mode none "${objs[0]}"
echo "1..$n"
exit $((failed > 0))
