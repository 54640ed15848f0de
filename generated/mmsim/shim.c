/* Tangled from src-lit/90-mmsim.nw (appendix F); do not edit. */
/*
 * mmsim: the shim backend, the model's system calls.
 * Includes the model's headers, never the kernel's UAPI headers.
 * Tangled from src-lit/90-mmsim.nw (appendix "The scenario tool").
 */
#include "mmlit.h"
#include "userfaultfd.h"
#include "backend.h"

#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING	0x0002U
#endif
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL		0x0008U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS		1033
#define F_GET_SEALS		1034
#endif
#ifndef F_SEAL_SEAL
#define F_SEAL_SEAL		0x0001
#define F_SEAL_SHRINK		0x0002
#define F_SEAL_GROW		0x0004
#define F_SEAL_WRITE		0x0008
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE	0x0010
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC		0x0020
#endif

_Static_assert(F_SEAL_SEAL == MMSIM_SEAL_SEAL &&
	       F_SEAL_SHRINK == MMSIM_SEAL_SHRINK &&
	       F_SEAL_GROW == MMSIM_SEAL_GROW &&
	       F_SEAL_WRITE == MMSIM_SEAL_WRITE &&
	       F_SEAL_FUTURE_WRITE == MMSIM_SEAL_FUTURE_WRITE &&
	       F_SEAL_EXEC == MMSIM_SEAL_EXEC, "seal bits");
_Static_assert(FALLOC_FL_KEEP_SIZE == MMSIM_FALLOC_KEEP_SIZE &&
	       FALLOC_FL_PUNCH_HOLE == MMSIM_FALLOC_PUNCH_HOLE &&
	       FALLOC_FL_COLLAPSE_RANGE == MMSIM_FALLOC_COLLAPSE_RANGE &&
	       FALLOC_FL_ZERO_RANGE == MMSIM_FALLOC_ZERO_RANGE &&
	       FALLOC_FL_INSERT_RANGE == MMSIM_FALLOC_INSERT_RANGE &&
	       FALLOC_FL_UNSHARE_RANGE == MMSIM_FALLOC_UNSHARE_RANGE,
	       "fallocate modes");
static int sfd(struct mmsim_ctx *c, int slot)
{
	return (int)mmsim_obj(c, slot)->h;
}

static void shim_memfd(struct mmsim_ctx *c, const struct mmsim_line *l,
		       struct mmsim_result *r)
{
	struct mmsim_obj *f = mmsim_obj(c, l->a.f);
	unsigned int flags = 0;
	int fd;

	if (l->a.sealing)
		flags |= MFD_ALLOW_SEALING;
	if (l->a.noexec)
		flags |= MFD_NOEXEC_SEAL;
	fd = ksys_memfd_create(f->name, flags);
	f->h = fd < 0 ? -1 : fd;
	mmsim_ret(r, fd < 0 ? fd : 0);
}

static void shim_reopen(struct mmsim_ctx *c, const struct mmsim_line *l,
			struct mmsim_result *r)
{
	struct mmsim_obj *g = mmsim_obj(c, l->a.g);
	int fd = ksys_reopen(sfd(c, l->a.f), l->a.rw);

	g->h = fd < 0 ? -1 : fd;
	mmsim_ret(r, fd < 0 ? fd : 0);
}

static void shim_close(struct mmsim_ctx *c, const struct mmsim_line *l,
		       struct mmsim_result *r)
{
	mmsim_ret(r, ksys_close(sfd(c, l->a.f)));
	mmsim_obj(c, l->a.f)->h = -1;
}

static void shim_ftruncate(struct mmsim_ctx *c, const struct mmsim_line *l,
			   struct mmsim_result *r)
{
	mmsim_ret(r, ksys_ftruncate(sfd(c, l->a.f), l->a.size));
}

static void shim_fallocate(struct mmsim_ctx *c, const struct mmsim_line *l,
			   struct mmsim_result *r)
{
	mmsim_ret(r,
		  ksys_fallocate(sfd(c, l->a.f), l->a.mode, l->a.off,
				 l->a.len));
}

static void shim_pwrite(struct mmsim_ctx *c, const struct mmsim_line *l,
			struct mmsim_result *r)
{
	unsigned char *buf = mmsim_buffer(c, r, l->a.len, l->a.byte);

	if (!buf)
		return;
	mmsim_ret(r, ksys_pwrite64(sfd(c, l->a.f), buf, l->a.len, l->a.off));
	mmsim_buffer_free(buf);
}

static void shim_pread(struct mmsim_ctx *c, const struct mmsim_line *l,
		       struct mmsim_result *r)
{
	unsigned char *buf = mmsim_buffer(c, r, l->a.len, -1);

	if (!buf)
		return;
	mmsim_pread_result(r, buf, l->a.len,
			   ksys_pread64(sfd(c, l->a.f), buf, l->a.len,
					l->a.off));
	mmsim_buffer_free(buf);
}

static void shim_add_seals(struct mmsim_ctx *c, const struct mmsim_line *l,
			   struct mmsim_result *r)
{
	mmsim_ret(r,
		  ksys_fcntl(sfd(c, l->a.f), F_ADD_SEALS,
			     (unsigned int)l->a.seals));
}

static void shim_get_seals(struct mmsim_ctx *c, const struct mmsim_line *l,
			   struct mmsim_result *r)
{
	long seals = ksys_fcntl(sfd(c, l->a.f), F_GET_SEALS, 0);

	mmsim_ret(r, seals);
	if (seals >= 0)
		r->type = MMSIM_R_SEALS;
}

static void shim_stat(struct mmsim_ctx *c, const struct mmsim_line *l,
		      struct mmsim_result *r, int blocks)
{
	struct kstat st;
	int ret = ksys_fstat(sfd(c, l->a.f), &st);

	if (ret) {
		mmsim_ret(r, ret);
		return;
	}
	mmsim_ret(r, blocks ? (long long)(st.blocks * 512 / MMSIM_PAGE_SIZE) :
		  st.size);
}

static void shim_size(struct mmsim_ctx *c, const struct mmsim_line *l,
		      struct mmsim_result *r)
{
	shim_stat(c, l, r, 0);
}

static void shim_blocks(struct mmsim_ctx *c, const struct mmsim_line *l,
			struct mmsim_result *r)
{
	shim_stat(c, l, r, 1);
}

static void shim_seek_data(struct mmsim_ctx *c, const struct mmsim_line *l,
			   struct mmsim_result *r)
{
	mmsim_ret(r, ksys_lseek(sfd(c, l->a.f), l->a.off, SEEK_DATA));
}

static void shim_seek_hole(struct mmsim_ctx *c, const struct mmsim_line *l,
			   struct mmsim_result *r)
{
	mmsim_ret(r, ksys_lseek(sfd(c, l->a.f), l->a.off, SEEK_HOLE));
}

static void shim_mmap(struct mmsim_ctx *c, const struct mmsim_line *l,
		      struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	unsigned long flags = l->a.priv ? MAP_PRIVATE : MAP_SHARED;
	unsigned long prot = l->a.rw ? PROT_READ | PROT_WRITE : PROT_READ;
	unsigned long off = l->a.off;
	long long len = l->a.len;
	unsigned long hint = mmsim_map_hint(c, len);
	unsigned long addr;

	m->h = 0;
	m->len = len;
	m->live = 0;
	if (off & (MMSIM_PAGE_SIZE - 1)) {
		mmsim_ret(r, -EINVAL);
		return;
	}
	addr = ksys_mmap_pgoff(hint, len, prot, flags, sfd(c, l->a.f),
			       off / MMSIM_PAGE_SIZE);
	if (IS_ERR_VALUE(addr)) {
		mmsim_ret(r, (long)addr);
		return;
	}
	m->h = addr;
	m->live = 1;
	mmsim_ret(r, 0);
}

static void shim_munmap(struct mmsim_ctx *c, const struct mmsim_line *l,
			struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	int ret = ksys_munmap(m->h, m->len);

	if (!ret)
		m->live = 0;
	mmsim_ret(r, ret);
}

static void shim_mprotect(struct mmsim_ctx *c, const struct mmsim_line *l,
			  struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	unsigned long prot = l->a.rw ? PROT_READ | PROT_WRITE : PROT_READ;

	mmsim_ret(r, ksys_mprotect(m->h, m->len, prot));
}

static int shim_signal(struct mmsim_ctx *c, struct mmsim_result *r, int ret)
{
	if (ret == -SIGBUS || ret == -SIGSEGV) {
		r->type = MMSIM_R_SIGNAL;
		r->val = ret == -SIGBUS ? MMSIM_SIGBUS : MMSIM_SIGSEGV;
		return 1;
	}
	if (ret) {
		mmsim_abort(c, r, "the model's user access returned %d", ret);
		return 1;
	}
	return 0;
}

static void shim_load(struct mmsim_ctx *c, const struct mmsim_line *l,
		      struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	u8 val;

	if (!mmsim_in_mapping(m, l->a.off)) {
		shim_signal(c, r, -SIGSEGV);
		return;
	}
	if (shim_signal(c, r, user_load_byte(m->h + l->a.off, &val)))
		return;
	r->type = MMSIM_R_BYTE;
	r->val = val;
}

static void shim_store(struct mmsim_ctx *c, const struct mmsim_line *l,
		       struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);

	if (!mmsim_in_mapping(m, l->a.off))
		shim_signal(c, r, -SIGSEGV);
	else if (!shim_signal(c, r, user_store_byte(m->h + l->a.off,
						    l->a.byte)))
		mmsim_ret(r, 0);
}

static void shim_uffd(struct mmsim_ctx *c, const struct mmsim_line *l,
		      struct mmsim_result *r)
{
	struct mmsim_obj *u = mmsim_obj(c, l->a.u);
	struct uffdio_api api = {
		.api = UFFD_API,
		.features = UFFD_FEATURE_SIGBUS | UFFD_FEATURE_MINOR_SHMEM |
			    UFFD_FEATURE_WP_HUGETLBFS_SHMEM,
	};
	int fd = ksys_userfaultfd(O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	long ret;

	u->h = -1;
	if (fd < 0) {
		mmsim_ret(r, fd);
		return;
	}
	ret = ksys_uffd_ioctl(fd, UFFDIO_API, &api);
	if (ret) {
		ksys_close(fd);
		mmsim_ret(r, ret);
		return;
	}
	u->h = fd;
	mmsim_ret(r, 0);
}

static void shim_uffd_register(struct mmsim_ctx *c, const struct mmsim_line *l,
			       struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	struct uffdio_register reg = {
		.range = { .start = m->h, .len = m->len },
		.mode = l->a.uffd_mode,
	};

	mmsim_ret(r, ksys_uffd_ioctl(sfd(c, l->a.u), UFFDIO_REGISTER, &reg));
}

static void shim_uffd_copy(struct mmsim_ctx *c, const struct mmsim_line *l,
			   struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	long long len = l->a.len;
	size_t srclen = (len + MMSIM_PAGE_SIZE) & ~(MMSIM_PAGE_SIZE - 1);
	unsigned char *buf = mmsim_buffer(c, r, srclen, l->a.byte);
	struct uffdio_copy copy;
	unsigned long src;
	long ret;

	if (!buf)
		return;
	src = ksys_mmap_pgoff(0, srclen, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (IS_ERR_VALUE(src) || copy_to_user(src, buf, srclen)) {
		mmsim_abort(c, r,
			    "no model memory for the source of UFFDIO_COPY");
		mmsim_buffer_free(buf);
		return;
	}
	mmsim_buffer_free(buf);
	copy = (struct uffdio_copy){
		.dst = m->h + l->a.off, .src = src, .len = len,
	};
	ret = ksys_uffd_ioctl(sfd(c, l->a.u), UFFDIO_COPY, &copy);
	mmsim_ret(r, ret ? ret : copy.copy);
	ksys_munmap(src, srclen);
}

static void shim_uffd_zeropage(struct mmsim_ctx *c, const struct mmsim_line *l,
			       struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	struct uffdio_zeropage z = {
		.range = { .start = m->h + l->a.off, .len = l->a.len },
	};
	long ret = ksys_uffd_ioctl(sfd(c, l->a.u), UFFDIO_ZEROPAGE, &z);

	mmsim_ret(r, ret ? ret : z.zeropage);
}

static void shim_uffd_continue(struct mmsim_ctx *c, const struct mmsim_line *l,
			       struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	struct uffdio_continue cont = {
		.range = { .start = m->h + l->a.off, .len = l->a.len },
	};
	long ret = ksys_uffd_ioctl(sfd(c, l->a.u), UFFDIO_CONTINUE, &cont);

	mmsim_ret(r, ret ? ret : cont.mapped);
}

static void shim_freeze(struct mmsim_ctx *c, const struct mmsim_line *l,
			struct mmsim_result *r)
{
	mmsim_ret(r, mmlit_memfd_freeze(sfd(c, l->a.f), true));
}

static void shim_unfreeze(struct mmsim_ctx *c, const struct mmsim_line *l,
			  struct mmsim_result *r)
{
	mmsim_ret(r, mmlit_memfd_freeze(sfd(c, l->a.f), false));
}

static void shim_variant(struct mmsim_ctx *c, const struct mmsim_line *l,
			 struct mmsim_result *r)
{
	mmsim_ret(r, variant_set(l->a.area, l->a.variant));
}

static void shim_inject(struct mmsim_ctx *c, const struct mmsim_line *l,
			struct mmsim_result *r)
{
	mmsim_ret(r, fault_inject_set(l->a.site, l->a.n));
}

static void shim_expect_report(struct mmsim_ctx *c, const struct mmsim_line *l,
			       struct mmsim_result *r)
{
	mmsim_ret(r, report_expect(l->a.report) ? 0 : -ENOENT);
}

static void shim_uffd_api(struct mmsim_ctx *c, const struct mmsim_line *l,
			  struct mmsim_result *r)
{
	struct uffdio_api api = { .api = UFFD_API };

	mmsim_ret(r, ksys_uffd_ioctl(sfd(c, l->a.u), UFFDIO_API, &api));
}

static void shim_uffd_unregister(struct mmsim_ctx *c,
				 const struct mmsim_line *l,
				 struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	struct uffdio_range range = { m->h + l->a.off, l->a.len };

	mmsim_ret(r, ksys_uffd_ioctl(sfd(c, l->a.u), UFFDIO_UNREGISTER,
				     &range));
}

static void shim_uffd_writeprotect(struct mmsim_ctx *c,
				   const struct mmsim_line *l,
				   struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	struct uffdio_writeprotect wp = {
		.range = { m->h + l->a.off, l->a.len },
		.mode = l->a.uffd_mode,
	};

	mmsim_ret(r, ksys_uffd_ioctl(sfd(c, l->a.u), UFFDIO_WRITEPROTECT, &wp));
}

/* methods of operations added by chapters come here */

static struct {
	const char *area, *name;
	int area_found, name_found;
	char known[512];
	size_t len;
} look;

static void look_add(const char *word)
{
	if (look.len < sizeof(look.known))
		look.len += snprintf(look.known + look.len,
				     sizeof(look.known) - look.len,
				     "%s%s", look.len ? ", " : "", word);
}

static void look_variant(const char *area, const char *name, const char *desc,
			 bool is_current)
{
	if (!look.area) {
		if (!strstr(look.known, area))
			look_add(area);
		return;
	}
	if (strcmp(area, look.area))
		return;
	look.area_found = 1;
	look_add(name);
	if (!strcmp(name, look.name))
		look.name_found = 1;
}

int mmsim_shim_check_variant(const char *area, const char *name, char *msg,
			     size_t n)
{
	memset(&look, 0, sizeof(look));
	look.area = area;
	look.name = name;
	variant_for_each(look_variant);
	if (look.name_found)
		return 0;
	if (look.area_found) {
		snprintf(msg, n, "unknown variant '%s' of area '%s': "
			 "expected one of %s", name, area, look.known);
		return -1;
	}
	memset(&look, 0, sizeof(look));
	variant_for_each(look_variant);
	snprintf(msg, n, "unknown variant area '%s': expected one of %s", area,
		 look.len ? look.known : "(the model has no variants)");
	return -1;
}

static void look_site(const char *name, const char *desc)
{
	look_add(name);
	if (!strcmp(name, look.name))
		look.name_found = 1;
}

int mmsim_shim_check_site(const char *site, char *msg, size_t n)
{
	memset(&look, 0, sizeof(look));
	look.name = site;
	fault_site_for_each(look_site);
	if (look.name_found)
		return 0;
	snprintf(msg, n, "unknown injection site '%s': expected one of %s",
		 site, look.len ? look.known : "(the model has no sites)");
	return -1;
}

static FILE *list_out;

static void list_variant(const char *area, const char *name, const char *desc,
			 bool is_current)
{
	fprintf(list_out, "%s %s%s  %s\n", area, name,
		is_current ? " (default)" : "", desc);
}

static void list_site(const char *name, const char *desc)
{
	fprintf(list_out, "%s  %s\n", name, desc);
}

void mmsim_shim_list_variants(FILE *f)
{
	list_out = f;
	variant_for_each(list_variant);
}

void mmsim_shim_list_sites(FILE *f)
{
	list_out = f;
	fault_site_for_each(list_site);
}

static int shim_start(struct mmsim_ctx *c)
{
	report_discard();
	mmlit_process_reset();
	report_set_quiet(true);
	return 0;
}

static int shim_run(struct mmsim_ctx *c, int (*body)(void *data), void *data)
{
	int ret = task_call(body, data, "mmsim");

	if (ret == -EDEADLK) {
		snprintf(c->why, sizeof(c->why),
			 "the model's deadlock detector aborted the task");
		return -1;
	}
	return ret;
}

static int shim_finish(struct mmsim_ctx *c, int aborted)
{
	int n = report_pending();

	if (n <= 0)
		return 0;
	fprintf(c->out, "  shim: %d lockdep-lite report%s %s:\n", n,
		n == 1 ? "" : "s", aborted ? "when the task was aborted" :
		"pending at the end of the scenario");
	report_print_pending(c->out);
	return n;
}

static void (*trace_sink)(const char *line);

static void shim_trace_report(const struct report *r)
{
	char line[256];
	const char *p = r->text, *end;

	while (*p && trace_sink) {
		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		snprintf(line, sizeof(line), "report: %.*s", (int)(end - p), p);
		trace_sink(line);
		p = *end ? end + 1 : end;
	}
}

static void shim_set_trace(void (*sink)(const char *line))
{
	trace_sink = sink;
	mmlit_set_trace(sink);
	report_set_sink(sink ? shim_trace_report : NULL);
}

static const struct mmsim_method shim_methods[] = {
	{ "memfd",		shim_memfd },
	{ "reopen",		shim_reopen },
	{ "close",		shim_close },
	{ "ftruncate",		shim_ftruncate },
	{ "fallocate",		shim_fallocate },
	{ "pwrite",		shim_pwrite },
	{ "pread",		shim_pread },
	{ "add_seals",		shim_add_seals },
	{ "get_seals",		shim_get_seals },
	{ "size",		shim_size },
	{ "blocks",		shim_blocks },
	{ "seek_data",		shim_seek_data },
	{ "seek_hole",		shim_seek_hole },
	{ "mmap",		shim_mmap },
	{ "munmap",		shim_munmap },
	{ "mprotect",		shim_mprotect },
	{ "load",		shim_load },
	{ "store",		shim_store },
	{ "uffd",		shim_uffd },
	{ "uffd_register",	shim_uffd_register },
	{ "uffd_copy",		shim_uffd_copy },
	{ "uffd_zeropage",	shim_uffd_zeropage },
	{ "uffd_continue",	shim_uffd_continue },
	{ "freeze",		shim_freeze },
	{ "unfreeze",		shim_unfreeze },
	{ "variant",		shim_variant },
	{ "inject",		shim_inject },
	{ "expect_report",	shim_expect_report },
	{ "uffd_api",		shim_uffd_api },
	{ "uffd_unregister",	shim_uffd_unregister },
	{ "uffd_writeprotect",	shim_uffd_writeprotect },
	/* the table lines of methods added by chapters come here */
	{ NULL }
};

const struct mmsim_backend mmsim_shim_backend = {
	.name		= "shim",
	.methods	= shim_methods,
	.start		= shim_start,
	.run		= shim_run,
	.finish		= shim_finish,
	.set_trace	= shim_set_trace,
};
