module btf-filter.example/cilium-ebpf

go 1.25

require github.com/cilium/ebpf v0.22.0

require golang.org/x/sys v0.49.0
