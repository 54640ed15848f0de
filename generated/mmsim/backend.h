/* Tangled from src-lit/90-mmsim.nw (appendix F); do not edit. */
/*
 * mmsim: the interface between the scenario runner and its backends.
 * Only C's own types here: the kernel backend includes the host's
 * headers, the shim backend the model's, and neither may see the other.
 *
 * Tangled from src-lit/90-mmsim.nw (appendix "The scenario tool").
 */
#ifndef MMSIM_BACKEND_H
#define MMSIM_BACKEND_H

#include <stdio.h>

#define MMSIM_PAGE_SIZE		4096L
#define MMSIM_MAX_ARGS		8
/* the largest buffer of one line */
#define MMSIM_MAX_IO		(256L * 1024 * 1024)

#define MMSIM_SEAL_SEAL		0x0001	/* F_SEAL_SEAL ... */
#define MMSIM_SEAL_SHRINK	0x0002
#define MMSIM_SEAL_GROW		0x0004
#define MMSIM_SEAL_WRITE	0x0008
#define MMSIM_SEAL_FUTURE_WRITE	0x0010
#define MMSIM_SEAL_EXEC		0x0020	/* ... F_SEAL_EXEC */

#define MMSIM_FALLOC_KEEP_SIZE	0x01	/* FALLOC_FL_KEEP_SIZE */
#define MMSIM_FALLOC_PUNCH_HOLE	0x02	/* FALLOC_FL_PUNCH_HOLE */
#define MMSIM_FALLOC_COLLAPSE_RANGE 0x08 /* FALLOC_FL_COLLAPSE_RANGE ... */
#define MMSIM_FALLOC_ZERO_RANGE	0x10
#define MMSIM_FALLOC_INSERT_RANGE 0x20
#define MMSIM_FALLOC_UNSHARE_RANGE 0x40	/* ... FALLOC_FL_UNSHARE_RANGE */

#define MMSIM_UFFD_MISSING	0x1	/* UFFDIO_REGISTER_MODE_MISSING */
#define MMSIM_UFFD_WP		0x2	/* UFFDIO_REGISTER_MODE_WP */
#define MMSIM_UFFD_MINOR	0x4	/* UFFDIO_REGISTER_MODE_MINOR */

enum { MMSIM_SIGBUS = 1, MMSIM_SIGSEGV = 2 };

enum mmsim_backend_id { MMSIM_KERNEL, MMSIM_SHIM, MMSIM_NR_BACKENDS };

enum mmsim_kind { MMSIM_FILE, MMSIM_MAP, MMSIM_UFFD };

enum mmsim_rtype {
	MMSIM_R_NONE,		/* the line did not run */
	MMSIM_R_NUM,		/* what the call returned */
	MMSIM_R_ERRNO,		/* the call failed; val is the errno */
	/* the access raised MMSIM_SIGBUS or MMSIM_SIGSEGV */
	MMSIM_R_SIGNAL,
	MMSIM_R_SEALS,		/* get_seals: the seal bits */
	MMSIM_R_BYTE,		/* pread, load: every byte had the value val */
	MMSIM_R_MIXED,		/* pread: all read, not all equal */
	/* the backend cannot run this: the scenario is skipped */
	MMSIM_R_SKIP,
	MMSIM_R_ABORT,		/* the backend gave up: the scenario fails */
};

struct mmsim_result {
	enum mmsim_rtype type;
	long long val;
};

struct mmsim_op;

struct mmsim_args {
	int f, g;		/* F, G: files (slots of the run's objects) */
	int m;			/* M: a mapping */
	int u;			/* U: a userfaultfd */
	long long size;		/* SIZE */
	long long off, len;	/* OFFSET, LEN */
	long long n;		/* N */
	int byte;		/* BYTE: 0 to 255 */
	unsigned long long mode;	/* MODE: fallocate's mode bits */
	unsigned long long seals;	/* SEALS: seal bits */
	unsigned long long uffd_mode;	/* UFFD_MODE: register mode bits */
	int rw;			/* ro|rw or r|rw: 1 for rw */
	int priv;		/* shared|private: 1 for private */
	int sealing, noexec;	/* [sealing], [noexec]: 1 if given */
	const char *area;	/* AREA */
	const char *variant;	/* NAME (of a variant) */
	const char *site;	/* SITE */
	const char *report;	/* KIND (of a report) */
};

struct mmsim_line {
	const struct mmsim_op *op;	/* the verb */
	struct mmsim_args a;		/* its arguments, decoded */
	int lineno;
	char *text;		/* the operation, without comment and result */
	int has_expect;
	struct mmsim_result expect;
};

struct mmsim_obj {
	enum mmsim_kind kind;
	const char *name;
	/* descriptor (-1: none), or mapping address (0: none) */
	long long h;
	long long len;		/* mapping: the length asked for */
	int live;		/* mapping: mapped and not unmapped since */
};

struct mmsim_ctx {
	const struct mmsim_backend *be;
	struct mmsim_obj *obj;
	int nobj;
	unsigned long next_addr;	/* address hint of the next mmap */
	char why[256];			/* why the run was skipped or aborted */
	FILE *out;			/* details printed under the verdict */
};

static inline struct mmsim_obj *mmsim_obj(struct mmsim_ctx *c, int slot)
{
	return &c->obj[slot];
}

typedef void mmsim_fn(struct mmsim_ctx *c, const struct mmsim_line *l,
		      struct mmsim_result *r);

struct mmsim_method {
	const char *op;
	mmsim_fn *fn;
};

struct mmsim_backend {
	const char *name;
	const struct mmsim_method *methods;	/* ends with { NULL } */
	int (*host_ok)(char *why, size_t n);	/* 1, or 0 and why */
	int (*start)(struct mmsim_ctx *c);	/* 0, or <0 and why: skip */
	/* body's value, or <0 and why: abort */
	int (*run)(struct mmsim_ctx *c, int (*body)(void *data), void *data);
	/* problems found (printed to c->out) */
	int (*finish)(struct mmsim_ctx *c, int aborted);
	void (*set_trace)(void (*sink)(const char *line));
};

extern const struct mmsim_backend mmsim_kernel_backend;
extern const struct mmsim_backend mmsim_shim_backend;

void mmsim_ret(struct mmsim_result *r, long long ret);
void mmsim_pread_result(struct mmsim_result *r, const unsigned char *buf,
			long long len, long long ret);
void mmsim_skip(struct mmsim_ctx *c, struct mmsim_result *r, const char *fmt,
		...)
	__attribute__((format(printf, 3, 4)));
void mmsim_abort(struct mmsim_ctx *c, struct mmsim_result *r, const char *fmt,
		 ...)
	__attribute__((format(printf, 3, 4)));
unsigned char *mmsim_buffer(struct mmsim_ctx *c, struct mmsim_result *r,
			    long long len, int byte);
void mmsim_buffer_free(unsigned char *buf);
unsigned long mmsim_map_hint(struct mmsim_ctx *c, long long len);
int mmsim_in_mapping(const struct mmsim_obj *m, long long off);

int mmsim_shim_check_variant(const char *area, const char *name, char *msg,
			     size_t n);
int mmsim_shim_check_site(const char *site, char *msg, size_t n);
void mmsim_shim_list_variants(FILE *f);
void mmsim_shim_list_sites(FILE *f);

#endif /* MMSIM_BACKEND_H */
