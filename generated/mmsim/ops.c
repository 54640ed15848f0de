/* Tangled from src-lit/90-mmsim.nw (appendix F); do not edit. */
/*
 * mmsim: the operation table, the argument types, and the binding of
 * each operation to the methods of the backends.
 * Tangled from src-lit/90-mmsim.nw (appendix "The scenario tool").
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include "mmsim.h"

static const struct mmsim_flag uffd_wp_flags[] = {
	{ "wp",			1 },	/* UFFDIO_WRITEPROTECT_MODE_WP */
	{ "dontwake",		2 },	/* UFFDIO_WRITEPROTECT_MODE_DONTWAKE */
	{ NULL }
};

const struct mmsim_flag mmsim_seal_flags[] = {
	{ "SEAL",		MMSIM_SEAL_SEAL },
	{ "SHRINK",		MMSIM_SEAL_SHRINK },
	{ "GROW",		MMSIM_SEAL_GROW },
	{ "WRITE",		MMSIM_SEAL_WRITE },
	{ "FUTURE_WRITE",	MMSIM_SEAL_FUTURE_WRITE },
	{ "EXEC",		MMSIM_SEAL_EXEC },
	{ NULL }
};

static const struct mmsim_flag falloc_flags[] = {
	{ "KEEP_SIZE",		MMSIM_FALLOC_KEEP_SIZE },
	{ "PUNCH_HOLE",		MMSIM_FALLOC_PUNCH_HOLE },
	{ "COLLAPSE_RANGE",	MMSIM_FALLOC_COLLAPSE_RANGE },
	{ "ZERO_RANGE",		MMSIM_FALLOC_ZERO_RANGE },
	{ "INSERT_RANGE",	MMSIM_FALLOC_INSERT_RANGE },
	{ "UNSHARE_RANGE",	MMSIM_FALLOC_UNSHARE_RANGE },
	{ NULL }
};

static const struct mmsim_flag uffd_flags[] = {
	{ "missing",		MMSIM_UFFD_MISSING },
	{ "minor",		MMSIM_UFFD_MINOR },
	{ "wp",			MMSIM_UFFD_WP },
	{ NULL }
};

#define FIELD(f, type)							\
	(offsetof(struct mmsim_args, f) +				\
	 0 * sizeof(char[_Generic(((struct mmsim_args *)0)->f,		\
				  type: 1, default: -1)]))
#define ARG(t, k, f, type, ...)						\
	{ .token = t, .kind = k, .field = FIELD(f, type), __VA_ARGS__ }
#define NAME_ARG(t, k, f)	ARG(t, MMSIM_A_NAME, f, int, .name_kind = k)
#define NUM_ARG(t, f)		ARG(t, MMSIM_A_NUM, f, long long)
#define BYTE_ARG(t, f)		ARG(t, MMSIM_A_BYTE, f, int)
#define FLAGS_ARG(t, set, f)						\
	ARG(t, MMSIM_A_FLAGS, f, unsigned long long, .flags = set)
#define WORD_ARG(t, f)		ARG(t, MMSIM_A_WORD, f, const char *)
#define CHOICE_ARG(t, f)	ARG(t, MMSIM_A_CHOICE, f, int)
#define OPTION_ARG(t, f)	ARG(t, MMSIM_A_OPTION, f, int)

static const struct mmsim_argtype mmsim_argtypes[] = {
	NAME_ARG("F",		MMSIM_FILE, f),
	NAME_ARG("G",		MMSIM_FILE, g),
	NAME_ARG("M",		MMSIM_MAP, m),
	NAME_ARG("U",		MMSIM_UFFD, u),
	NUM_ARG("SIZE",		size),
	NUM_ARG("OFFSET",	off),
	NUM_ARG("LEN",		len),
	NUM_ARG("N",		n),
	BYTE_ARG("BYTE",	byte),
	FLAGS_ARG("MODE",	falloc_flags, mode),
	FLAGS_ARG("SEALS",	mmsim_seal_flags, seals),
	FLAGS_ARG("UFFD_MODE",	uffd_flags, uffd_mode),
	CHOICE_ARG("ro|rw",	rw),
	CHOICE_ARG("r|rw",	rw),
	CHOICE_ARG("shared|private", priv),
	OPTION_ARG("[sealing]",	sealing),
	OPTION_ARG("[noexec]",	noexec),
	WORD_ARG("AREA",	area),
	WORD_ARG("NAME",	variant),
	WORD_ARG("SITE",	site),
	WORD_ARG("KIND",	report),
	FLAGS_ARG("UFFD_WP_MODE",	uffd_wp_flags, uffd_mode),
	/* argument types added by chapters come here */
	{ NULL }
};

static int check_variant(const struct mmsim_line *l, char *msg, size_t n)
{
	return mmsim_shim_check_variant(l->a.area, l->a.variant, msg, n);
}

static int check_site(const struct mmsim_line *l, char *msg, size_t n)
{
	return mmsim_shim_check_site(l->a.site, msg, n);
}

#define OP(n, syn, ...)	{ .name = n, .syntax = syn, __VA_ARGS__ }
#define MODEL_ONLY	.flags = MMSIM_OP_MODEL_ONLY	/* | MMSIM_OP_ASSERT */

struct mmsim_op mmsim_ops[] = {
	/* every backend */
	OP("memfd",		"+F [sealing] [noexec]"),
	OP("reopen",		"+G F ro|rw"),
	OP("close",		"-F"),
	OP("ftruncate",		"F SIZE"),
	OP("fallocate",		"F MODE OFFSET LEN"),
	OP("pwrite",		"F OFFSET LEN BYTE"),
	OP("pread",		"F OFFSET LEN",	.result = MMSIM_K_PREAD),
	OP("add_seals",		"F SEALS"),
	OP("get_seals",		"F",		.result = MMSIM_K_SEALS),
	OP("size",		"F"),
	OP("blocks",		"F"),
	OP("seek_data",		"F OFFSET"),
	OP("seek_hole",		"F OFFSET"),
	OP("mmap",		"+M F shared|private r|rw OFFSET LEN"),
	OP("munmap",		"-M"),
	OP("mprotect",		"M r|rw"),
	OP("load",		"M OFFSET",	.result = MMSIM_K_LOAD),
	OP("store",		"M OFFSET BYTE"),
	OP("uffd",		"+U"),
	OP("uffd_register",	"U M UFFD_MODE"),
	OP("uffd_copy",		"U M OFFSET LEN BYTE"),
	OP("uffd_zeropage",	"U M OFFSET LEN"),
	OP("uffd_continue",	"U M OFFSET LEN"),

	/* the model only */
	OP("freeze",		"F",		MODEL_ONLY),
	OP("unfreeze",		"F",		MODEL_ONLY),
	OP("variant",		"AREA NAME",	MODEL_ONLY,
						.check = check_variant),
	OP("inject",		"SITE N",	MODEL_ONLY,
						.check = check_site),
	OP("expect_report",	"KIND",		MODEL_ONLY | MMSIM_OP_ASSERT),

	OP("uffd_api",		"U"),
	OP("uffd_unregister",	"U M OFFSET LEN"),
	OP("uffd_writeprotect",	"U M OFFSET LEN UFFD_WP_MODE"),
	/* operations added by chapters come here */
	{ NULL }
};

const struct mmsim_backend *const mmsim_backends[MMSIM_NR_BACKENDS] = {
	[MMSIM_KERNEL]	= &mmsim_kernel_backend,
	[MMSIM_SHIM]	= &mmsim_shim_backend,
};

static int table_error(FILE *err, const struct mmsim_op *op, const char *what)
{
	fprintf(err, "mmsim: internal error: operation %s: %s\n",
		op ? op->name : "?", what);
	return -1;
}

static int parse_spec_token(struct mmsim_argspec *a, const char *tok)
{
	const struct mmsim_argtype *t;

	if (tok[0] == '+' || tok[0] == '-') {
		a->creates = tok[0] == '+';
		a->ends = tok[0] == '-';
		tok++;
	}
	for (t = mmsim_argtypes; t->token; t++) {
		if (!strcmp(t->token, tok))
			break;
	}
	if (!t->token || strlen(tok) >= sizeof(a->text))
		return -1;
	if ((a->creates || a->ends) && t->kind != MMSIM_A_NAME)
		return -1;
	a->kind = t->kind;
	a->field = t->field;
	a->name_kind = t->name_kind;
	a->flags = t->flags;
	if (a->kind == MMSIM_A_OPTION)
		tok++;
	strcpy(a->text, tok);
	if (a->kind == MMSIM_A_OPTION)
		a->text[strlen(a->text) - 1] = '\0';
	return 0;
}

static int field_taken(const struct mmsim_op *op, const struct mmsim_argspec *a)
{
	int i;

	for (i = 0; i < op->nspec - 1; i++) {
		if (op->spec[i].field == a->field)
			return 1;
	}
	return 0;
}

static int parse_syntax(struct mmsim_op *op, FILE *err)
{
	char buf[128], *tok, *save;

	if (strlen(op->syntax) >= sizeof(buf))
		return table_error(err, op, "syntax too long");
	strcpy(buf, op->syntax);
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		struct mmsim_argspec *a;

		if (op->nspec == MMSIM_MAX_ARGS)
			return table_error(err, op, "too many arguments");
		a = &op->spec[op->nspec++];
		if (parse_spec_token(a, tok))
			return table_error(err, op, "unknown token in syntax");
		if (field_taken(op, a))
			return table_error(err, op, "two tokens of one field");
		if (a->kind == MMSIM_A_OPTION)
			continue;
		if (op->nreq != op->nspec - 1)
			return table_error(err, op, "a required argument "
					   "after an optional one");
		op->nreq++;
	}
	return 0;
}

static mmsim_fn *find_method(const struct mmsim_backend *be, const char *name)
{
	const struct mmsim_method *m;

	for (m = be->methods; m->op; m++) {
		if (!strcmp(m->op, name))
			return m->fn;
	}
	return NULL;
}

static int bind_methods(struct mmsim_op *op, FILE *err)
{
	int b;

	for (b = 0; b < MMSIM_NR_BACKENDS; b++)
		op->method[b] = find_method(mmsim_backends[b], op->name);
	if (!op->method[MMSIM_SHIM])
		return table_error(err, op, "the shim backend has no method");
	if (op->flags & MMSIM_OP_MODEL_ONLY) {
		if (op->method[MMSIM_KERNEL])
			return table_error(err, op,
					   "model-only, but the kernel backend "
					   "has a method");
		return 0;
	}
	if (!op->method[MMSIM_KERNEL])
		return table_error(err, op, "the kernel backend has no "
				   "method (model-only?)");
	return 0;
}

int mmsim_ops_init(FILE *err)
{
	struct mmsim_op *op;
	int b, ret = 0;

	for (op = mmsim_ops; op->name; op++) {
		if (parse_syntax(op, err) || bind_methods(op, err))
			ret = -1;
	}
	for (b = 0; b < MMSIM_NR_BACKENDS; b++) {
		const struct mmsim_method *m;

		for (m = mmsim_backends[b]->methods; m->op; m++) {
			if (!mmsim_op_find(m->op))
				ret = table_error(err, NULL,
						  "a method of no operation");
		}
	}
	return ret;
}

const struct mmsim_op *mmsim_op_find(const char *name)
{
	const struct mmsim_op *op;

	for (op = mmsim_ops; op->name; op++) {
		if (!strcmp(op->name, name))
			return op;
	}
	return NULL;
}

void mmsim_usage_of(const struct mmsim_op *op, char *buf, size_t n)
{
	size_t len;
	int i;

	len = snprintf(buf, n, "%s", op->name);
	for (i = 0; i < op->nspec && len < n; i++) {
		const struct mmsim_argspec *a = &op->spec[i];

		len += snprintf(buf + len, n - len, a->kind == MMSIM_A_OPTION ?
				" [%s]" : " %s", a->text);
	}
}
