// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause

// Command cilium-ebpf loads a CO-RE BPF object with cilium/ebpf, giving it
// only the kernel types the object's relocations need instead of all of
// vmlinux's BTF, and reads what the program saw.
//
// The types come from libbtf_filter (through cgo): /dev/btf_filter answers
// when the module is loaded, else the library reads the kernel's BTF in
// this process. cilium/ebpf parses the small blob with
// btf.LoadSpecFromReader and uses it as ProgramOptions.KernelTypes.
// With -blob it reads a blob btf-filter wrote earlier instead.
//
// The object is selftests/bpf/task.bpf.o: on this process's first system
// call after it is attached (raw_tp/sys_enter), it reports the process's
// pid, its parent's, its name and its executable's name.
package main

/*
#cgo LDFLAGS: -lbpf -lelf -lz
#include <stdlib.h>
#include "libbtf_filter.h"
*/
import "C"

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"
)

// taskReport is struct task_report of selftests/bpf/e2e.h.
type taskReport struct {
	Seen, Pid, Ppid, HasOldState, HasState     uint32
	TgidValue, PathSize, PathExists, PidExists uint32
	Comm                                       [16]byte
	Exe                                        [64]byte
}

// kernelTypes asks libbtf_filter for kernel types: with shallow false,
// those obj's CO-RE relocations need, plus the fields sels name; with
// shallow true, the shallow closure of sels alone. It returns them parsed,
// with the size of the blob.
func kernelTypes(obj string, sels []string, shallow bool, source string, backend uint32) (*btf.Spec, int64, error) {
	var cstrs []*C.char
	for _, s := range append([]string{obj}, sels...) {
		cs := C.CString(s)
		defer C.free(unsafe.Pointer(cs))
		cstrs = append(cstrs, cs)
	}
	objs, nrObjs := &cstrs[0], C.size_t(1)
	if shallow {
		objs, nrObjs = nil, 0
	}
	var csels **C.char
	if len(sels) > 0 {
		csels = &cstrs[1]
	}
	// opts points at the log: both in C's memory, as cgo requires
	const logSize = 512
	log := (*C.char)(C.calloc(logSize, 1))
	defer C.free(unsafe.Pointer(log))
	opts := (*C.struct_btf_filter_opts)(C.calloc(1, C.sizeof_struct_btf_filter_opts))
	defer C.free(unsafe.Pointer(opts))
	opts.sz = C.sizeof_struct_btf_filter_opts
	opts.backend = C.__u32(backend)
	if shallow {
		opts.mode = C.BTF_FILTER_MODE_SHALLOW
	}
	opts.log_buf = log
	opts.log_size = logSize
	if source != "" {
		csrc := C.CString(source)
		defer C.free(unsafe.Pointer(csrc))
		opts.source = csrc
	}
	path, err := C.btf_filter__custom_path(objs, nrObjs, csels, C.size_t(len(sels)), opts)
	if path == nil {
		if msg := C.GoString(log); msg != "" {
			return nil, 0, errors.New(msg)
		}
		if err == nil {
			err = errors.New("btf_filter__custom_path failed")
		}
		return nil, 0, err
	}
	defer C.btf_filter__custom_path_free(path)
	return blobTypes(C.GoString(path))
}

// blobTypes reads kernel types from a BTF blob: the memfd kernelTypes
// gets, or a file btf-filter wrote earlier (from-obj or query -o FILE).
func blobTypes(path string) (*btf.Spec, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	spec, err := btf.LoadSpecFromReader(f)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	return spec, st.Size(), nil
}

// run loads obj with cilium/ebpf: with the kernel types btf-filter gives
// (mode fields or shallow, sels as kernelTypes takes them), with those of
// a blob btf-filter wrote earlier (blob), or with none (mode none:
// cilium/ebpf loads the kernel's BTF itself). With stats it also prints
// the lines make experiment reads (selftests/experiment/exp.h).
func run(obj string, sels []string, mode, source, blob string, backend uint32, stats bool) error {
	var kt *btf.Spec
	var size int64
	if mode != "none" {
		var err error
		if blob != "" {
			kt, size, err = blobTypes(blob)
		} else {
			kt, size, err = kernelTypes(obj, sels, mode == "shallow", source, backend)
		}
		if err != nil {
			return fmt.Errorf("kernel types: %w", err)
		}
		fmt.Printf("kernel types for cilium/ebpf: %d bytes\n", size)
	}
	spec, err := ebpf.LoadCollectionSpec(obj)
	if err != nil {
		return err
	}
	if err := spec.Variables["target_pid"].Set(uint32(os.Getpid())); err != nil {
		return fmt.Errorf("target_pid: %w", err)
	}
	coll, err := ebpf.NewCollectionWithOptions(spec, ebpf.CollectionOptions{
		Programs: ebpf.ProgramOptions{KernelTypes: kt},
	})
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	defer coll.Close()
	l, err := link.AttachRawTracepoint(link.RawTracepointOptions{
		Name: "sys_enter", Program: coll.Programs["report_task"],
	})
	if err != nil {
		return fmt.Errorf("attach: %w", err)
	}
	defer l.Close()
	if stats {
		printStats(size)
	}
	var rep taskReport
	for i := 0; i < 100 && rep.Seen == 0; i++ {
		time.Sleep(10 * time.Millisecond) // a system call
		if err := coll.Variables["report"].Get(&rep); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	if rep.Seen == 0 {
		return errors.New("the program saw no system call of this process")
	}
	str := func(b []byte) string { return string(bytes.TrimRight(b, "\x00")) }
	fmt.Printf("seen %d\nself %d\npid %d\nppid %d\ncomm %s\nexe %s\n", rep.Seen,
		os.Getpid(), rep.Pid, rep.Ppid, str(rep.Comm[:]), str(rep.Exe[:]))
	return nil
}

// printStats prints the time since BTF_FILTER_EXP_T0 (CLOCK_MONOTONIC ns,
// set by make experiment's exp-run), the bytes Go has allocated so far and
// the size of the kernel types given.
func printStats(size int64) {
	var ts unix.Timespec
	var ms runtime.MemStats
	attached := int64(-1)
	if t0, err := strconv.ParseInt(os.Getenv("BTF_FILTER_EXP_T0"), 10, 64); err == nil &&
		unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts) == nil {
		attached = (ts.Nano() - t0) / 1000
	}
	runtime.ReadMemStats(&ms)
	fmt.Printf("attached_us %d\ntotal_alloc %d\nbtf_bytes %d\n", attached, ms.TotalAlloc, size)
}

func main() {
	source := flag.String("source", "", "the BTF to take the types from (default: the running kernel's)")
	be := flag.String("backend", "auto", "auto: /dev/btf_filter if present, else this process reads the source; kernel; user")
	mode := flag.String("mode", "fields", "fields: the types the object's relocations need (and the fields SELECTORs name);\n"+
		"shallow: the shallow closure of the SELECTORs alone;\nnone: no help, cilium/ebpf loads all of the kernel's BTF itself")
	stats := flag.Bool("stats", false, "also print the time from BTF_FILTER_EXP_T0 to attached, Go's TotalAlloc then, and the types' size")
	blob := flag.String("blob", "", "take the kernel types from this BTF blob, written earlier by btf-filter\n"+
		"(from-obj or query -o FILE), instead of asking libbtf_filter now")
	empty := flag.Bool("empty", false, "exit at once (the empty process make experiment measures against)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: cilium-ebpf [-source SOURCE] [-backend auto|kernel|user]\n"+
			"                   [-mode fields|shallow|none] [-stats] task.bpf.o [SELECTOR...]\n"+
			"       cilium-ebpf -blob FILE [-stats] task.bpf.o\n\n"+
			"Load task.bpf.o with cilium/ebpf given only the kernel types it needs,\n"+
			"attach it, and print what it read of this process.  Exit status: 0 when\n"+
			"it reported, 1 on an error, 2 on a usage error.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *empty {
		return
	}
	cbe := C.CString(*be)
	backend := C.btf_filter__backend_from_str(cbe)
	C.free(unsafe.Pointer(cbe))
	modes := map[string]bool{"fields": true, "shallow": true, "none": true}
	if flag.NArg() < 1 || backend < 0 || !modes[*mode] || (*mode == "shallow" && flag.NArg() < 2) ||
		(*blob != "" && (*mode == "none" || flag.NArg() > 1)) {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), flag.Args()[1:], *mode, *source, *blob, uint32(backend), *stats); err != nil {
		fmt.Fprintln(os.Stderr, "cilium-ebpf:", err)
		os.Exit(1)
	}
}
