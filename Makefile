# SPDX-License-Identifier: GPL-2.0
#
# btf-filter: `make` builds what its dependencies allow, `make check` runs
# every test suite, `make bench` prints the benchmark tables.

CC ?= gcc
CLANG ?= clang
BUILD ?= build
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wno-unused-parameter
# The version, in one place: the file VERSION.
VERSION := $(shell cat VERSION)
CPPFLAGS += -Iinclude/uapi -Icore -Iuser/lib -DBTF_FILTER_VERSION='"$(VERSION)"'
ALL_CFLAGS = $(CFLAGS) $(WARN) $(CPPFLAGS) -std=gnu11 -fPIC -fvisibility=hidden

CORE_SRCS := $(sort $(wildcard core/*.c))
# user/lib: the library, on libc alone.  user/cli: the CLI, which also
# needs libbpf and libelf (for from-obj).
LIB_SRCS := $(sort $(wildcard user/lib/*.c))
CLI_SRCS := $(sort $(wildcard user/cli/*.c))
CORE_HDRS := $(wildcard core/*.h user/lib/*.h user/cli/*.h) \
	include/uapi/linux/btf_filter.h VERSION

LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(CORE_SRCS) $(LIB_SRCS))

.PHONY: all clean check bench fuzz install
all: $(BUILD)/btf-filter $(BUILD)/libbtf_filter.a $(BUILD)/libbtf_filter.so \
	$(BUILD)/examples/libbpf-loader

$(BUILD)/obj/%.o: %.c $(CORE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libbtf_filter.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

# Only the API (LIBBTF_FILTER_API) is exported, versioned by the map.
$(BUILD)/libbtf_filter.so: $(LIB_OBJS) user/lib/libbtf_filter.map
	$(CC) -shared -Wl,-soname,libbtf_filter.so.0 \
		-Wl,--version-script=user/lib/libbtf_filter.map -o $@ $(LIB_OBJS) \
		-lbpf -lelf

CLI_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_SRCS))
$(BUILD)/btf-filter: $(CLI_OBJS) $(BUILD)/libbtf_filter.a
	$(CC) $(CFLAGS) -o $@ $^ -lbpf -lelf

# examples/libbpf-loader: libbpf fed by btf_filter__custom_path().
$(BUILD)/examples/libbpf-loader: examples/libbpf-loader/loader.c $(BUILD)/libbtf_filter.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS) -std=gnu11 -o $@ $< $(BUILD)/libbtf_filter.a -lbpf -lelf

# examples/cilium-ebpf: cilium/ebpf fed by the library, in Go (sid's Go and
# cilium/ebpf 0.22, unpacked by selftests/go-toolchain.sh: not in all).
# go_build OUT,LDFLAGS: build it to OUT.
define go_build
	@rm -rf $(1).src && mkdir -p $(1).src
	cp examples/cilium-ebpf/main.go examples/cilium-ebpf/go.mod $(1).src/
	root=$$(selftests/go-toolchain.sh) && gosrc=$$root/usr/share/gocode/src && \
	export GOROOT=$$root/usr/lib/go-1.26 GOTOOLCHAIN=local GOPROXY=off \
		GOFLAGS=-mod=mod GOCACHE=$(abspath $(BUILD))/go/cache \
		GOPATH=$(abspath $(BUILD))/go/path \
		CGO_CFLAGS="-I$(CURDIR)/user/lib -I$(CURDIR)/include/uapi" \
		CGO_LDFLAGS="$(abspath $(BUILD))/libbtf_filter.a" && \
	cd $(1).src && \
	$$GOROOT/bin/go mod edit -replace=github.com/cilium/ebpf=$$gosrc/github.com/cilium/ebpf \
		-replace=golang.org/x/sys=$$gosrc/golang.org/x/sys && \
	$$GOROOT/bin/go build $(2) -o $(abspath $(1)) . && touch $(abspath $(1))
endef
GO_EX := $(BUILD)/examples/cilium-ebpf
$(GO_EX): examples/cilium-ebpf/main.go examples/cilium-ebpf/go.mod $(BUILD)/libbtf_filter.a
	$(call go_build,$@,)

include selftests/Makefile.inc

# ---- install ----
PREFIX ?= /usr/local
DESTDIR ?=

install: all
	install -D -m 0755 $(BUILD)/btf-filter $(DESTDIR)$(PREFIX)/bin/btf-filter
	install -D -m 0644 $(BUILD)/libbtf_filter.a $(DESTDIR)$(PREFIX)/lib/libbtf_filter.a
	install -D -m 0755 $(BUILD)/libbtf_filter.so $(DESTDIR)$(PREFIX)/lib/libbtf_filter.so.0
	ln -sf libbtf_filter.so.0 $(DESTDIR)$(PREFIX)/lib/libbtf_filter.so
	install -D -m 0644 user/lib/libbtf_filter.h $(DESTDIR)$(PREFIX)/include/libbtf_filter.h
	install -D -m 0644 include/uapi/linux/btf_filter.h $(DESTDIR)$(PREFIX)/include/linux/btf_filter.h
	@mkdir -p $(DESTDIR)$(PREFIX)/lib/pkgconfig
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' user/lib/libbtf_filter.pc.in \
		>$(DESTDIR)$(PREFIX)/lib/pkgconfig/libbtf_filter.pc
	@if [ -d "$(KDIR)" ]; then \
		$(MAKE) module && \
		$(MAKE) -C $(KDIR) M=$(MODULE_DIR)/kmod INSTALL_MOD_PATH=$(DESTDIR) modules_install; \
	else \
		echo "install: no kernel build tree at $(KDIR); the module is not installed (KDIR=...)"; \
	fi

# The module's source as dkms takes it: /usr/src/btf-filter-VERSION.
DKMS_SRC = $(DESTDIR)/usr/src/btf-filter-$(VERSION)
install-dkms:
	rm -rf $(DKMS_SRC) && mkdir -p $(DKMS_SRC)
	cp -r core kmod include VERSION $(DKMS_SRC)/
	sed 's|@VERSION@|$(VERSION)|' dkms.conf.in >$(DKMS_SRC)/dkms.conf

# ---- the kernel module ----
KDIR ?= /lib/modules/$(shell uname -r)/build

# Built in a copy of the tree, so that no object lands beside the sources.
MODULE_DIR = $(abspath $(BUILD))/module
module:
	rm -rf $(MODULE_DIR) && mkdir -p $(MODULE_DIR)
	cp -r core kmod include VERSION $(MODULE_DIR)/
	$(MAKE) -C $(KDIR) M=$(MODULE_DIR)/kmod modules

.PHONY: install install-dkms module

clean:
	rm -rf $(BUILD)/obj $(BUILD)/btf-filter $(BUILD)/libbtf_filter.* $(BUILD)/selftests

