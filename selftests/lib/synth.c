// SPDX-License-Identifier: GPL-2.0
/* Synthetic BTF for the tests and the fuzz corpus, built with libbpf. */
#include <bpf/btf.h>

#include "synth.h"

/*
 *  1 long                         5 PTR -> 4
 *  2 struct node { 3 next; 5 peer; long v; }
 *  3 PTR -> 2                     6 struct link { 8 next; }
 *  4 struct peer { 3 back; }      7 typedef link_t -> 6;  8 PTR -> 7
 */
struct btf *build_recursive(void)
{
	struct btf *b = btf__new_empty();

	btf__add_int(b, "long", 8, BTF_INT_SIGNED);		/* 1 */
	btf__add_struct(b, "node", 24);				/* 2 */
	btf__add_field(b, "next", 3, 0, 0);
	btf__add_field(b, "peer", 5, 64, 0);
	btf__add_field(b, "v", 1, 128, 0);
	btf__add_ptr(b, 2);					/* 3 */
	btf__add_struct(b, "peer", 8);				/* 4 */
	btf__add_field(b, "back", 3, 0, 0);
	btf__add_ptr(b, 4);					/* 5 */
	btf__add_struct(b, "link", 8);				/* 6 */
	btf__add_field(b, "next", 8, 0, 0);
	btf__add_typedef(b, "link_t", 6);			/* 7 */
	btf__add_ptr(b, 7);					/* 8 */
	return b;
}

/* Every kind, see the numbers in the comments. */
struct btf *build_every_kind(void)
{
	struct btf *b = btf__new_empty();

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);		/* 1 */
	btf__add_int(b, "char", 1, BTF_INT_CHAR);		/* 2 */
	btf__add_ptr(b, 2);					/* 3 */
	btf__add_array(b, 1, 1, 1);				/* 4 */
	btf__add_struct(b, "bits", 8);				/* 5 */
	btf__add_field(b, "a", 1, 0, 3);	/* bitfields: kind_flag */
	btf__add_field(b, "b", 1, 3, 5);
	btf__add_field(b, "c", 4, 32, 0);
	btf__add_union(b, "u", 8);				/* 6 */
	btf__add_field(b, "i", 1, 0, 0);
	btf__add_field(b, NULL, 7, 0, 0);	/* anonymous member */
	btf__add_struct(b, NULL, 8);				/* 7 */
	btf__add_field(b, "x", 1, 0, 0);
	btf__add_field(b, "y", 1, 32, 0);
	btf__add_enum(b, "color", 4);				/* 8 */
	btf__add_enum_value(b, "RED", 0);
	btf__add_enum_value(b, "GREEN", 1);
	btf__add_enum_value(b, "BLUE", -1);
	btf__add_enum64(b, "big", 8, false);			/* 9 */
	btf__add_enum64_value(b, "HUGE", 0xffffffff00000000ULL);
	btf__add_enum64_value(b, "SMALL", 1);
	btf__add_fwd(b, "opaque", BTF_FWD_STRUCT);		/* 10 */
	btf__add_typedef(b, "bits_t", 5);			/* 11 */
	btf__add_volatile(b, 1);				/* 12 */
	btf__add_const(b, 12);					/* 13 */
	btf__add_restrict(b, 3);				/* 14 */
	btf__add_func_proto(b, 1);				/* 15 */
	btf__add_func_param(b, "fmt", 14);
	btf__add_func_param(b, "", 0);		/* varargs */
	btf__add_func(b, "my_printf", BTF_FUNC_GLOBAL, 15);	/* 16 */
	btf__add_var(b, "counter", BTF_VAR_GLOBAL_ALLOCATED, 13); /* 17 */
	btf__add_datasec(b, ".data", 8);			/* 18 */
	btf__add_datasec_var_info(b, 17, 0, 4);
	btf__add_float(b, "double", 8);				/* 19 */
	btf__add_ptr(b, 21);					/* 20 */
	btf__add_type_tag(b, "user", 5);			/* 21 */
	btf__add_decl_tag(b, "tagged", 5, -1);			/* 22 */
	btf__add_decl_tag(b, "member_tag", 5, 1);		/* 23 */
	btf__add_decl_tag(b, "param_tag", 16, 0);		/* 24 */
	btf__add_struct(b, "holder", 56);			/* 25 */
	btf__add_field(b, "b", 11, 0, 0);
	btf__add_field(b, "p", 20, 64, 0);
	btf__add_field(b, "u", 6, 128, 0);
	btf__add_field(b, "e", 8, 192, 0);
	btf__add_field(b, "e64", 9, 256, 0);
	btf__add_field(b, "f", 19, 320, 0);
	btf__add_field(b, "o", 26, 384, 0);
	btf__add_ptr(b, 10);					/* 26 */
	btf__add_struct(b, "opaque", 4);			/* 27 */
	btf__add_field(b, "v", 1, 0, 0);
	btf__add_decl_tag(b, "holder_tag", 25, -1);		/* 28 */
	btf__add_int(b, "long unsigned int", 8, 0);		/* 29 */
	return b;
}

/*
 *  1 int   2 typedef a -> 3   3 typedef b -> 2   4 struct s { a x; }
 * A typedef cycle: malformed, the kernel refuses it.
 */
struct btf *build_typedef_cycle(void)
{
	struct btf *b = btf__new_empty();

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);		/* 1 */
	btf__add_typedef(b, "a", 3);				/* 2 */
	btf__add_typedef(b, "b", 2);				/* 3 */
	btf__add_struct(b, "s", 4);				/* 4 */
	btf__add_field(b, "x", 2, 0, 0);
	return b;
}
