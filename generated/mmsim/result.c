/* Tangled from src-lit/90-mmsim.nw (appendix F); do not edit. */
/*
 * mmsim: results of scenario lines, and the helpers of the methods.
 * Tangled from src-lit/90-mmsim.nw (appendix "The scenario tool").
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "mmsim.h"

#define ERRNO_NAME(e)	{ #e, e }

static const struct mmsim_flag errno_names[] = {
	ERRNO_NAME(EPERM), ERRNO_NAME(ENOENT), ERRNO_NAME(ESRCH),
	ERRNO_NAME(EINTR), ERRNO_NAME(EIO), ERRNO_NAME(ENXIO),
	ERRNO_NAME(E2BIG), ERRNO_NAME(EBADF), ERRNO_NAME(EAGAIN),
	ERRNO_NAME(ENOMEM), ERRNO_NAME(EACCES), ERRNO_NAME(EFAULT),
	ERRNO_NAME(EBUSY), ERRNO_NAME(EEXIST), ERRNO_NAME(EXDEV),
	ERRNO_NAME(ENODEV), ERRNO_NAME(ENOTDIR), ERRNO_NAME(EISDIR),
	ERRNO_NAME(EINVAL), ERRNO_NAME(ENFILE), ERRNO_NAME(EMFILE),
	ERRNO_NAME(ENOTTY), ERRNO_NAME(ETXTBSY), ERRNO_NAME(EFBIG),
	ERRNO_NAME(ENOSPC), ERRNO_NAME(ESPIPE), ERRNO_NAME(EROFS),
	ERRNO_NAME(EPIPE), ERRNO_NAME(ERANGE), ERRNO_NAME(EDEADLK),
	ERRNO_NAME(ENAMETOOLONG), ERRNO_NAME(ENOSYS), ERRNO_NAME(ELOOP),
	ERRNO_NAME(EOVERFLOW), ERRNO_NAME(EOPNOTSUPP), ERRNO_NAME(ETIMEDOUT),
	ERRNO_NAME(ENOTSUP), ERRNO_NAME(EWOULDBLOCK),
	{ NULL }
};

static const struct mmsim_flag signal_names[] = {
	{ "SIGBUS",	MMSIM_SIGBUS },
	{ "SIGSEGV",	MMSIM_SIGSEGV },
	{ NULL }
};

static const char *flag_name(const struct mmsim_flag *set, long long v)
{
	for (; set->name; set++) {
		if (set->value == v)
			return set->name;
	}
	return NULL;
}

static int flag_value(const struct mmsim_flag *set, const char *name,
		      long long *v)
{
	for (; set->name; set++) {
		if (!strcmp(set->name, name)) {
			*v = set->value;
			return 0;
		}
	}
	return -1;
}

static int digit_value(int ch, int base)
{
	if (isdigit(ch))
		return ch - '0';
	if (base == 16 && isxdigit(ch))
		return tolower(ch) - 'a' + 10;
	return -1;
}

int mmsim_number(const char *w, long long *v)
{
	long long n = 0, mul = 1;
	int base = 10, neg = 0, d;

	if (*w == '-') {
		neg = 1;
		w++;
	}
	if (w[0] == '0' && w[1] == 'x') {
		base = 16;
		w += 2;
	}
	if (digit_value(*w, base) < 0)
		return -1;
	for (; (d = digit_value(*w, base)) >= 0; w++) {
		if (__builtin_mul_overflow(n, base, &n) ||
		    __builtin_add_overflow(n, d, &n))
			return -1;
	}
	if (*w == 'k')
		mul = 1024;
	else if (*w == 'p')
		mul = MMSIM_PAGE_SIZE;
	if (mul != 1)
		w++;
	if (*w || __builtin_mul_overflow(n, mul, &n))
		return -1;
	*v = neg ? -n : n;
	return 0;
}

int mmsim_flags(const struct mmsim_flag *set, const char *w, long long *v,
		const char **bad)
{
	static char part[64];
	long long bits = 0, n;
	const char *end;

	*bad = w;
	do {
		size_t len;

		end = strchr(w, '|');
		len = end ? (size_t)(end - w) : strlen(w);
		if (len == 0 || len >= sizeof(part))
			return -1;
		memcpy(part, w, len);
		part[len] = '\0';
		*bad = part;
		if (flag_value(set, part, &n) &&
		    (mmsim_number(part, &n) || n < 0))
			return -1;
		bits |= n;
		w = end + 1;
	} while (end);
	*v = bits;
	return 0;
}

static int parse_byte(const char *w, long long *v)
{
	size_t len = strlen(w);

	if (len < 3 || len > 4 || strncmp(w, "0x", 2))
		return -1;
	return mmsim_number(w, v);
}

static int set_result(struct mmsim_result *r, enum mmsim_rtype type,
		      long long v)
{
	r->type = type;
	r->val = v;
	return 0;
}

int mmsim_parse_result(const struct mmsim_op *op, const char *w,
		       struct mmsim_result *r)
{
	const char *bad;
	long long v;

	if (op->result != MMSIM_K_LOAD && !flag_value(errno_names, w, &v))
		return set_result(r, MMSIM_R_ERRNO, v);
	if ((op->result == MMSIM_K_NUM || op->result == MMSIM_K_LOAD) &&
	    !flag_value(signal_names, w, &v))
		return set_result(r, MMSIM_R_SIGNAL, v);
	switch (op->result) {
	case MMSIM_K_NUM:
		if (!mmsim_number(w, &v))
			return set_result(r, MMSIM_R_NUM, v);
		break;
	case MMSIM_K_SEALS:
		if (!mmsim_flags(mmsim_seal_flags, w, &v, &bad))
			return set_result(r, MMSIM_R_SEALS, v);
		break;
	case MMSIM_K_PREAD:
		if (!strcmp(w, "mixed"))
			return set_result(r, MMSIM_R_MIXED, 0);
		if (!strncmp(w, "0x", 2))
			return parse_byte(w, &v) ? -1 :
			       set_result(r, MMSIM_R_BYTE, v);
		if (!mmsim_number(w, &v) && v >= 0)
			return set_result(r, MMSIM_R_NUM, v);
		break;
	case MMSIM_K_LOAD:
		if (!parse_byte(w, &v))
			return set_result(r, MMSIM_R_BYTE, v);
		break;
	}
	return -1;
}

const char *mmsim_result_forms(const struct mmsim_op *op)
{
	switch (op->result) {
	case MMSIM_K_SEALS:
		return "seals joined by | "
		       "(SEAL|SHRINK|GROW|WRITE|FUTURE_WRITE|EXEC), "
		       "0, or an errno name";
	case MMSIM_K_PREAD:
		return "0xNN (every byte read was NN), mixed, a byte count, or "
		       "an errno name";
	case MMSIM_K_LOAD:
		return "0xNN (the byte read) or SIGBUS or SIGSEGV";
	default:
		return "a number, an errno name (EPERM, EINVAL, ...), or "
		       "SIGBUS or SIGSEGV";
	}
}

static void format_seals(long long v, char *buf, size_t n)
{
	const struct mmsim_flag *f;
	size_t len = 0;

	if (!v) {
		snprintf(buf, n, "0");
		return;
	}
	buf[0] = '\0';
	for (f = mmsim_seal_flags; f->name && len < n; f++) {
		if (!(v & f->value))
			continue;
		len += snprintf(buf + len, n - len, "%s%s", len ? "|" : "",
				f->name);
		v &= ~f->value;
	}
	if (v && len < n)
		snprintf(buf + len, n - len, "%s0x%llx", len ? "|" : "", v);
}

void mmsim_format(const struct mmsim_result *r, char *buf, size_t n)
{
	const char *name;

	switch (r->type) {
	case MMSIM_R_NUM:
		snprintf(buf, n, "%lld", r->val);
		break;
	case MMSIM_R_ERRNO:
		name = flag_name(errno_names, r->val);
		if (name)
			snprintf(buf, n, "%s", name);
		else
			snprintf(buf, n, "errno %lld", r->val);
		break;
	case MMSIM_R_SIGNAL:
		name = flag_name(signal_names, r->val);
		snprintf(buf, n, "%s", name ? name : "signal?");
		break;
	case MMSIM_R_SEALS:
		format_seals(r->val, buf, n);
		break;
	case MMSIM_R_BYTE:
		snprintf(buf, n, "0x%02llx", r->val);
		break;
	case MMSIM_R_MIXED:
		snprintf(buf, n, "mixed");
		break;
	case MMSIM_R_SKIP:
		snprintf(buf, n, "skipped");
		break;
	case MMSIM_R_ABORT:
		snprintf(buf, n, "aborted");
		break;
	default:
		snprintf(buf, n, "not run");
		break;
	}
}

int mmsim_same(const struct mmsim_result *a, const struct mmsim_result *b)
{
	if (a->type != b->type)
		return 0;
	return a->type == MMSIM_R_MIXED || a->val == b->val;
}

void mmsim_ret(struct mmsim_result *r, long long ret)
{
	if (ret < 0)
		set_result(r, MMSIM_R_ERRNO, -ret);
	else
		set_result(r, MMSIM_R_NUM, ret);
}

void mmsim_pread_result(struct mmsim_result *r, const unsigned char *buf,
			long long len, long long ret)
{
	long long i;

	if (ret < 0 || ret < len || len == 0) {
		mmsim_ret(r, ret);
		return;
	}
	for (i = 1; i < len; i++) {
		if (buf[i] != buf[0]) {
			set_result(r, MMSIM_R_MIXED, 0);
			return;
		}
	}
	set_result(r, MMSIM_R_BYTE, buf[0]);
}

static void give_up(struct mmsim_ctx *c, struct mmsim_result *r,
		    enum mmsim_rtype type, const char *fmt, va_list ap)
{
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	set_result(r, type, 0);
}

void mmsim_skip(struct mmsim_ctx *c, struct mmsim_result *r, const char *fmt,
		...)
{
	va_list ap;

	va_start(ap, fmt);
	give_up(c, r, MMSIM_R_SKIP, fmt, ap);
	va_end(ap);
}

void mmsim_abort(struct mmsim_ctx *c, struct mmsim_result *r, const char *fmt,
		 ...)
{
	va_list ap;

	va_start(ap, fmt);
	give_up(c, r, MMSIM_R_ABORT, fmt, ap);
	va_end(ap);
}

unsigned char *mmsim_buffer(struct mmsim_ctx *c, struct mmsim_result *r,
			    long long len, int byte)
{
	unsigned char *buf;

	if (len < 0 || len > MMSIM_MAX_IO) {
		mmsim_abort(c, r,
			    "LEN %lld is outside what mmsim buffers (0 to %ld)",
			    len, MMSIM_MAX_IO);
		return NULL;
	}
	buf = malloc(len ? len : 1);
	if (!buf) {
		mmsim_abort(c, r, "mmsim is out of memory");
		return NULL;
	}
	if (byte >= 0)
		memset(buf, byte, len);
	return buf;
}

void mmsim_buffer_free(unsigned char *buf)
{
	free(buf);
}

unsigned long mmsim_map_hint(struct mmsim_ctx *c, long long len)
{
	unsigned long hint = c->next_addr;
	unsigned long pages;

	if (len <= 0 || len > (1LL << 40))
		return hint;
	pages = (len + MMSIM_PAGE_SIZE - 1) / MMSIM_PAGE_SIZE;
	c->next_addr += (pages + 1) * MMSIM_PAGE_SIZE;
	return hint;
}

int mmsim_in_mapping(const struct mmsim_obj *m, long long off)
{
	long long pages = (m->len + MMSIM_PAGE_SIZE - 1) / MMSIM_PAGE_SIZE;

	return m->live && m->h && m->len > 0 && off >= 0 &&
	       off / MMSIM_PAGE_SIZE < pages;
}
