/* Tangled from src-lit/90-mmsim.nw (appendix F); do not edit. */
/*
 * mmsim: the operation table, the argument types, and the binding of
 * each operation to the methods of the backends.
 * Tangled from src-lit/90-mmsim.nw (appendix "The scenario tool").
 */
#include <ctype.h>
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

#define NAME_ARG(t, k)		{ .token = t, .kind = MMSIM_A_NAME, .name_kind = k }
#define PLAIN_ARG(t, k)		{ .token = t, .kind = k }
#define FLAGS_ARG(t, set)	{ .token = t, .kind = MMSIM_A_FLAGS, .flags = set }

static const struct mmsim_argtype mmsim_argtypes[] = {
	NAME_ARG("F",		MMSIM_FILE),
	NAME_ARG("G",		MMSIM_FILE),
	NAME_ARG("M",		MMSIM_MAP),
	NAME_ARG("U",		MMSIM_UFFD),
	PLAIN_ARG("SIZE",	MMSIM_A_NUM),
	PLAIN_ARG("OFFSET",	MMSIM_A_NUM),
	PLAIN_ARG("LEN",	MMSIM_A_NUM),
	PLAIN_ARG("N",		MMSIM_A_NUM),
	PLAIN_ARG("BYTE",	MMSIM_A_BYTE),
	FLAGS_ARG("MODE",	falloc_flags),
	FLAGS_ARG("SEALS",	mmsim_seal_flags),
	FLAGS_ARG("UFFD_MODE",	uffd_flags),
	PLAIN_ARG("AREA",	MMSIM_A_WORD),
	PLAIN_ARG("NAME",	MMSIM_A_WORD),
	PLAIN_ARG("SITE",	MMSIM_A_WORD),
	PLAIN_ARG("KIND",	MMSIM_A_WORD),
	FLAGS_ARG("UFFD_WP_MODE",	uffd_wp_flags),
	/* argument types added by chapters come here */
	{ NULL }
};

static int check_variant(const struct mmsim_line *l, char *msg, size_t n)
{
	return mmsim_shim_check_variant(l->arg[0].word, l->arg[1].word, msg, n);
}

static int check_site(const struct mmsim_line *l, char *msg, size_t n)
{
	return mmsim_shim_check_site(l->arg[0].word, msg, n);
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
	OP("pread",		"F OFFSET LEN",		.result = MMSIM_K_PREAD),
	OP("add_seals",		"F SEALS"),
	OP("get_seals",		"F",			.result = MMSIM_K_SEALS),
	OP("size",		"F"),
	OP("blocks",		"F"),
	OP("seek_data",		"F OFFSET"),
	OP("seek_hole",		"F OFFSET"),
	OP("mmap",		"+M F shared|private r|rw OFFSET LEN"),
	OP("munmap",		"-M"),
	OP("mprotect",		"M r|rw"),
	OP("load",		"M OFFSET",		.result = MMSIM_K_LOAD),
	OP("store",		"M OFFSET BYTE"),
	OP("uffd",		"+U"),
	OP("uffd_register",	"U M UFFD_MODE"),
	OP("uffd_copy",		"U M OFFSET LEN BYTE"),
	OP("uffd_zeropage",	"U M OFFSET LEN"),
	OP("uffd_continue",	"U M OFFSET LEN"),

	/* the model only */
	OP("freeze",		"F",			MODEL_ONLY),
	OP("unfreeze",		"F",			MODEL_ONLY),
	OP("variant",		"AREA NAME",		MODEL_ONLY, .check = check_variant),
	OP("inject",		"SITE N",		MODEL_ONLY, .check = check_site),
	OP("expect_report",	"KIND",			MODEL_ONLY | MMSIM_OP_ASSERT),

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
	size_t len = strlen(tok);

	if (len >= sizeof(a->text))
		return -1;
	if (tok[0] == '[' && tok[len - 1] == ']') {
		a->kind = MMSIM_A_OPTION;
		memcpy(a->text, tok + 1, len - 2);
		return 0;
	}
	strcpy(a->text, tok);
	if (islower((unsigned char)tok[0])) {
		a->kind = MMSIM_A_CHOICE;
		return 0;
	}
	if (tok[0] == '+' || tok[0] == '-') {
		a->creates = tok[0] == '+';
		a->ends = tok[0] == '-';
		strcpy(a->text, tok + 1);
	}
	for (t = mmsim_argtypes; t->token; t++) {
		if (strcmp(t->token, a->text))
			continue;
		if ((a->creates || a->ends) && t->kind != MMSIM_A_NAME)
			return -1;
		a->kind = t->kind;
		a->name_kind = t->name_kind;
		a->flags = t->flags;
		return 0;
	}
	return -1;
}

static int parse_syntax(struct mmsim_op *op, FILE *err)
{
	char buf[128], *tok, *save;

	if (strlen(op->syntax) >= sizeof(buf))
		return table_error(err, op, "syntax too long");
	strcpy(buf, op->syntax);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		struct mmsim_argspec *a;

		if (op->nspec == MMSIM_MAX_ARGS)
			return table_error(err, op, "too many arguments");
		a = &op->spec[op->nspec++];
		if (parse_spec_token(a, tok))
			return table_error(err, op, "unknown token in syntax");
		if (a->kind == MMSIM_A_OPTION)
			continue;
		if (op->nreq != op->nspec - 1)
			return table_error(err, op, "a required argument after an optional one");
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
					   "model-only, but the kernel backend has a method");
		return 0;
	}
	if (!op->method[MMSIM_KERNEL])
		return table_error(err, op, "the kernel backend has no method (model-only?)");
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
				ret = table_error(err, NULL, "a method of no operation");
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
