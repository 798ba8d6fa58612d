/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic BTF for the tests and the fuzz corpus, built with libbpf. */
#ifndef BTF_FILTER_SYNTH_H
#define BTF_FILTER_SYNTH_H

struct btf;

struct btf *build_recursive(void);	/* 8 types: node, peer, link */
struct btf *build_every_kind(void);	/* 29 types: every kind */
struct btf *build_typedef_cycle(void);	/* 4 types, typedef a <-> b */

#endif /* BTF_FILTER_SYNTH_H */
