/* Tangled from src-lit/90-mmsim.nw (appendix F); do not edit. */
/*
 * mmsim: declarations shared by the parser, the runner and the table.
 * Tangled from src-lit/90-mmsim.nw (appendix "The scenario tool").
 */
#ifndef MMSIM_H
#define MMSIM_H

#include "backend.h"

enum mmsim_rkind {
	MMSIM_K_NUM,		/* a number, an errno or a signal */
	MMSIM_K_SEALS,		/* seal flags or an errno */
	MMSIM_K_PREAD,		/* 0xNN, mixed, a count or an errno */
	MMSIM_K_LOAD,		/* 0xNN or a signal */
};

#define MMSIM_OP_MODEL_ONLY	0x1	/* only the shim backend has it */
#define MMSIM_OP_ASSERT		0x2	/* without "=>" it expects 0 */

enum mmsim_argkind {
	MMSIM_A_NAME,		/* a file, mapping or userfaultfd name */
	MMSIM_A_NUM,		/* a number: 0x, k, p, a minus sign */
	MMSIM_A_BYTE,		/* a number from 0 to 255 */
	MMSIM_A_FLAGS,		/* flag names (or numbers) joined by | */
	MMSIM_A_WORD,		/* a word passed as it is */
	/* one of the words of the syntax: shared|private */
	MMSIM_A_CHOICE,
	MMSIM_A_OPTION,		/* an optional keyword: [sealing] */
};

struct mmsim_flag {
	const char *name;
	long long value;
};

struct mmsim_argtype {
	const char *token;		/* as written in a syntax */
	enum mmsim_argkind kind;
	size_t field;			/* its place in struct mmsim_args */
	enum mmsim_kind name_kind;	/* MMSIM_A_NAME */
	const struct mmsim_flag *flags;	/* MMSIM_A_FLAGS */
};

struct mmsim_argspec {
	enum mmsim_argkind kind;
	char text[32];			/* the token without + - [ ] */
	int creates, ends;		/* +NAME, -NAME */
	size_t field;
	enum mmsim_kind name_kind;
	const struct mmsim_flag *flags;
};

extern const struct mmsim_flag mmsim_seal_flags[];

struct mmsim_op {
	const char *name;
	/* arguments, as the contract writes them */
	const char *syntax;
	enum mmsim_rkind result;
	unsigned int flags;		/* MMSIM_OP_* */
	int (*check)(const struct mmsim_line *l, char *msg, size_t n);

	/* filled in by mmsim_ops_init() */
	int nspec, nreq;		/* arguments; the required ones */
	struct mmsim_argspec spec[MMSIM_MAX_ARGS];
	mmsim_fn *method[MMSIM_NR_BACKENDS];
};

extern struct mmsim_op mmsim_ops[];
extern const struct mmsim_backend *const mmsim_backends[MMSIM_NR_BACKENDS];

struct mmsim_name {
	char *name;
	enum mmsim_kind kind;
	int line;		/* where it was first created */
	/* while parsing: created and not closed since */
	int open;
};

struct mmsim_scenario {
	const char *file;
	struct mmsim_line *lines;
	int nlines;
	struct mmsim_name *names;
	int nnames;
	/* line of the first model-only operation, or 0 */
	int model_only;
	int errors;
};

int mmsim_ops_init(FILE *err);
const struct mmsim_op *mmsim_op_find(const char *name);
void mmsim_usage_of(const struct mmsim_op *op, char *buf, size_t n);

int mmsim_number(const char *w, long long *v);
int mmsim_flags(const struct mmsim_flag *set, const char *w, long long *v,
		const char **bad);
int mmsim_parse_result(const struct mmsim_op *op, const char *w,
		       struct mmsim_result *r);
const char *mmsim_result_forms(const struct mmsim_op *op);
void mmsim_format(const struct mmsim_result *r, char *buf, size_t n);
int mmsim_same(const struct mmsim_result *a, const struct mmsim_result *b);

int mmsim_parse(const char *file, struct mmsim_scenario *s, FILE *err);
void mmsim_scenario_free(struct mmsim_scenario *s);

struct mmsim_opts {
	enum mmsim_backend_id backend;
	int diff, trace;
};

struct mmsim_tally {
	int pass, fail, skip, error;
};
extern struct mmsim_tally mmsim_tally;

int mmsim_run_file(const char *file, const struct mmsim_opts *o);

#endif /* MMSIM_H */
