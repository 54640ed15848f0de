/* Tangled from src-lit/90-mmsim.nw (appendix F); do not edit. */
/*
 * mmsim: the kernel backend, the real system calls of this machine.
 * Includes only libc and Linux UAPI headers, never the model's.
 * Tangled from src-lit/90-mmsim.nw (appendix "The scenario tool").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/falloc.h>
#include <linux/userfaultfd.h>
#include "backend.h"

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL		0x0008U
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE	0x0010
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC		0x0020
#endif
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY	1
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
_Static_assert(UFFDIO_REGISTER_MODE_MISSING == MMSIM_UFFD_MISSING &&
	       UFFDIO_REGISTER_MODE_WP == MMSIM_UFFD_WP &&
	       UFFDIO_REGISTER_MODE_MINOR == MMSIM_UFFD_MINOR,
	       "userfaultfd modes");
static sigjmp_buf access_jmp;
static volatile sig_atomic_t access_armed;

static void access_fault(int sig)
{
	if (!access_armed) {
		signal(sig, SIG_DFL);
		return;
	}
	access_armed = 0;
	siglongjmp(access_jmp, sig);
}

static int user_access(unsigned long addr, unsigned char *val, int store)
{
	volatile unsigned char *p = (volatile unsigned char *)addr;
	int sig;

	sig = sigsetjmp(access_jmp, 1);
	if (sig)
		return sig == SIGBUS ? -MMSIM_SIGBUS : -MMSIM_SIGSEGV;
	access_armed = 1;
	if (store)
		*p = *val;
	else
		*val = *p;
	access_armed = 0;
	return 0;
}

static long long sys_ret(long long ret)
{
	return ret < 0 ? -errno : ret;
}

static int kfd(struct mmsim_ctx *c, int slot)
{
	return (int)mmsim_obj(c, slot)->h;
}

static void kernel_memfd(struct mmsim_ctx *c, const struct mmsim_line *l,
			 struct mmsim_result *r)
{
	struct mmsim_obj *f = mmsim_obj(c, l->a.f);
	unsigned int flags = 0;
	int fd;

	if (l->a.sealing)
		flags |= MFD_ALLOW_SEALING;
	if (l->a.noexec)
		flags |= MFD_NOEXEC_SEAL;
	fd = memfd_create(f->name, flags);
	f->h = fd;
	mmsim_ret(r, fd < 0 ? -errno : 0);
}

static void kernel_reopen(struct mmsim_ctx *c, const struct mmsim_line *l,
			  struct mmsim_result *r)
{
	struct mmsim_obj *g = mmsim_obj(c, l->a.g);
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", kfd(c, l->a.f));
	fd = open(path, l->a.rw ? O_RDWR : O_RDONLY);
	g->h = fd;
	mmsim_ret(r, fd < 0 ? -errno : 0);
}

static void kernel_close(struct mmsim_ctx *c, const struct mmsim_line *l,
			 struct mmsim_result *r)
{
	mmsim_ret(r, sys_ret(close(kfd(c, l->a.f))));
	mmsim_obj(c, l->a.f)->h = -1;
}

static void kernel_ftruncate(struct mmsim_ctx *c, const struct mmsim_line *l,
			     struct mmsim_result *r)
{
	mmsim_ret(r, sys_ret(ftruncate(kfd(c, l->a.f), l->a.size)));
}

static void kernel_fallocate(struct mmsim_ctx *c, const struct mmsim_line *l,
			     struct mmsim_result *r)
{
	mmsim_ret(r, sys_ret(fallocate(kfd(c, l->a.f), l->a.mode,
				       l->a.off, l->a.len)));
}

static void kernel_pwrite(struct mmsim_ctx *c, const struct mmsim_line *l,
			  struct mmsim_result *r)
{
	unsigned char *buf = mmsim_buffer(c, r, l->a.len, l->a.byte);

	if (!buf)
		return;
	mmsim_ret(r, sys_ret(pwrite(kfd(c, l->a.f), buf, l->a.len, l->a.off)));
	mmsim_buffer_free(buf);
}

static void kernel_pread(struct mmsim_ctx *c, const struct mmsim_line *l,
			 struct mmsim_result *r)
{
	unsigned char *buf = mmsim_buffer(c, r, l->a.len, -1);

	if (!buf)
		return;
	mmsim_pread_result(r, buf, l->a.len,
			   sys_ret(pread(kfd(c, l->a.f), buf, l->a.len,
					 l->a.off)));
	mmsim_buffer_free(buf);
}

static void kernel_add_seals(struct mmsim_ctx *c, const struct mmsim_line *l,
			     struct mmsim_result *r)
{
	mmsim_ret(r,
		  sys_ret(fcntl(kfd(c, l->a.f), F_ADD_SEALS,
				(unsigned int)l->a.seals)));
}

static void kernel_get_seals(struct mmsim_ctx *c, const struct mmsim_line *l,
			     struct mmsim_result *r)
{
	int seals = fcntl(kfd(c, l->a.f), F_GET_SEALS);

	mmsim_ret(r, sys_ret(seals));
	if (seals >= 0)
		r->type = MMSIM_R_SEALS;
}

static void kernel_stat(struct mmsim_ctx *c, const struct mmsim_line *l,
			struct mmsim_result *r, int blocks)
{
	struct stat st;

	if (fstat(kfd(c, l->a.f), &st)) {
		mmsim_ret(r, -errno);
		return;
	}
	mmsim_ret(r, blocks ? st.st_blocks * 512 / MMSIM_PAGE_SIZE :
		  st.st_size);
}

static void kernel_size(struct mmsim_ctx *c, const struct mmsim_line *l,
			struct mmsim_result *r)
{
	kernel_stat(c, l, r, 0);
}

static void kernel_blocks(struct mmsim_ctx *c, const struct mmsim_line *l,
			  struct mmsim_result *r)
{
	kernel_stat(c, l, r, 1);
}

static void kernel_seek_data(struct mmsim_ctx *c, const struct mmsim_line *l,
			     struct mmsim_result *r)
{
	mmsim_ret(r, sys_ret(lseek(kfd(c, l->a.f), l->a.off, SEEK_DATA)));
}

static void kernel_seek_hole(struct mmsim_ctx *c, const struct mmsim_line *l,
			     struct mmsim_result *r)
{
	mmsim_ret(r, sys_ret(lseek(kfd(c, l->a.f), l->a.off, SEEK_HOLE)));
}

static void kernel_mmap(struct mmsim_ctx *c, const struct mmsim_line *l,
			struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	int flags = l->a.priv ? MAP_PRIVATE : MAP_SHARED;
	int prot = l->a.rw ? PROT_READ | PROT_WRITE : PROT_READ;
	long long len = l->a.len;
	void *hint = (void *)mmsim_map_hint(c, len);
	void *p;

	m->h = 0;
	m->len = len;
	m->live = 0;
	p = mmap(hint, len, prot, flags, kfd(c, l->a.f), l->a.off);
	if (p == MAP_FAILED) {
		mmsim_ret(r, -errno);
		return;
	}
	m->h = (long long)(unsigned long)p;
	m->live = 1;
	mmsim_ret(r, 0);
}

static void kernel_munmap(struct mmsim_ctx *c, const struct mmsim_line *l,
			  struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	int ret = munmap((void *)(unsigned long)m->h, m->len);

	if (!ret)
		m->live = 0;
	mmsim_ret(r, sys_ret(ret));
}

static void kernel_mprotect(struct mmsim_ctx *c, const struct mmsim_line *l,
			    struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	int prot = l->a.rw ? PROT_READ | PROT_WRITE : PROT_READ;

	mmsim_ret(r,
		  sys_ret(mprotect((void *)(unsigned long)m->h, m->len, prot)));
}

static void kernel_load(struct mmsim_ctx *c, const struct mmsim_line *l,
			struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	unsigned char val;
	int ret;

	if (!mmsim_in_mapping(m, l->a.off))
		ret = -MMSIM_SIGSEGV;
	else
		ret = user_access(m->h + l->a.off, &val, 0);
	r->type = ret ? MMSIM_R_SIGNAL : MMSIM_R_BYTE;
	r->val = ret ? -ret : val;
}

static void kernel_store(struct mmsim_ctx *c, const struct mmsim_line *l,
			 struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	unsigned char val = l->a.byte;
	int ret;

	if (!mmsim_in_mapping(m, l->a.off))
		ret = -MMSIM_SIGSEGV;
	else
		ret = user_access(m->h + l->a.off, &val, 1);
	r->type = ret ? MMSIM_R_SIGNAL : MMSIM_R_NUM;
	r->val = ret ? -ret : 0;
}

static unsigned long long uffd_features;	/* what UFFDIO_API offered */

static int uffd_open(void)
{
	int fd;

	fd = syscall(SYS_userfaultfd,
		     O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	if (fd < 0 && errno == EINVAL)
		fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

static int uffd_api(int fd, unsigned long long features,
		    unsigned long long *offered)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features };

	if (ioctl(fd, UFFDIO_API, &api))
		return -errno;
	*offered = api.features;
	return 0;
}

static const char *errno_text(int err)
{
	return strerrorname_np(err) ? strerrorname_np(err) : "unknown errno";
}

static int uffd_create(char *why, size_t n)
{
	unsigned long long want, got;
	int fd, ret;

	fd = uffd_open();
	if (fd < 0) {
		snprintf(why, n, "userfaultfd refused by this machine (%s)",
			 errno_text(-fd));
		return -1;
	}
	ret = uffd_api(fd, 0, &uffd_features);
	close(fd);
	if (ret) {
		snprintf(why, n, "UFFDIO_API refused by this machine (%s)",
			 errno_text(-ret));
		return -1;
	}
	if (!(uffd_features & UFFD_FEATURE_SIGBUS)) {
		snprintf(why, n, "this kernel has no UFFD_FEATURE_SIGBUS");
		return -1;
	}
	want = UFFD_FEATURE_SIGBUS |
	       (uffd_features & (UFFD_FEATURE_MINOR_SHMEM |
				 UFFD_FEATURE_WP_HUGETLBFS_SHMEM));
	fd = uffd_open();
	if (fd < 0) {
		snprintf(why, n, "userfaultfd refused by this machine (%s)",
			 errno_text(-fd));
		return -1;
	}
	ret = uffd_api(fd, want, &got);
	if (ret) {
		close(fd);
		snprintf(why, n, "UFFDIO_API refused the features (%s)",
			 errno_text(-ret));
		return -1;
	}
	return fd;
}

static void kernel_uffd(struct mmsim_ctx *c, const struct mmsim_line *l,
			struct mmsim_result *r)
{
	struct mmsim_obj *u = mmsim_obj(c, l->a.u);
	char why[160];
	int fd;

	fd = uffd_create(why, sizeof(why));
	if (fd < 0) {
		mmsim_skip(c, r, "%s", why);
		return;
	}
	u->h = fd;
	mmsim_ret(r, 0);
}

static void kernel_uffd_register(struct mmsim_ctx *c,
				 const struct mmsim_line *l,
				 struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	struct uffdio_register reg = {
		.range = { .start = m->h, .len = m->len },
		.mode = l->a.uffd_mode,
	};

	if ((reg.mode & UFFDIO_REGISTER_MODE_MINOR) &&
	    !(uffd_features & UFFD_FEATURE_MINOR_SHMEM)) {
		mmsim_skip(c, r, "this kernel has no UFFD_FEATURE_MINOR_SHMEM");
		return;
	}
	if ((reg.mode & UFFDIO_REGISTER_MODE_WP) &&
	    !(uffd_features & UFFD_FEATURE_WP_HUGETLBFS_SHMEM)) {
		mmsim_skip(c, r, "this kernel has no "
			   "UFFD_FEATURE_WP_HUGETLBFS_SHMEM");
		return;
	}
	mmsim_ret(r, sys_ret(ioctl(kfd(c, l->a.u), UFFDIO_REGISTER, &reg)));
}

static void kernel_uffd_copy(struct mmsim_ctx *c, const struct mmsim_line *l,
			     struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	long long len = l->a.len;
	struct uffdio_copy copy;
	size_t srclen;
	void *src;

	if (len < 0 || len > MMSIM_MAX_IO) {
		mmsim_abort(c, r, "LEN %lld is outside what mmsim buffers",
			    len);
		return;
	}
	srclen = (len + MMSIM_PAGE_SIZE) & ~(MMSIM_PAGE_SIZE - 1);
	src = mmap(NULL, srclen, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED) {
		mmsim_abort(c, r, "no memory for the source of UFFDIO_COPY");
		return;
	}
	memset(src, l->a.byte, srclen);
	copy = (struct uffdio_copy){
		.dst = m->h + l->a.off,
		.src = (unsigned long)src,
		.len = len,
	};
	if (ioctl(kfd(c, l->a.u), UFFDIO_COPY, &copy))
		mmsim_ret(r, -errno);
	else
		mmsim_ret(r, copy.copy);
	munmap(src, srclen);
}

static void kernel_uffd_zeropage(struct mmsim_ctx *c,
				 const struct mmsim_line *l,
				 struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	struct uffdio_zeropage z = {
		.range = { .start = m->h + l->a.off, .len = l->a.len },
	};

	if (ioctl(kfd(c, l->a.u), UFFDIO_ZEROPAGE, &z))
		mmsim_ret(r, -errno);
	else
		mmsim_ret(r, z.zeropage);
}

static void kernel_uffd_continue(struct mmsim_ctx *c,
				 const struct mmsim_line *l,
				 struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	struct uffdio_continue cont = {
		.range = { .start = m->h + l->a.off, .len = l->a.len },
	};

	if (ioctl(kfd(c, l->a.u), UFFDIO_CONTINUE, &cont))
		mmsim_ret(r, -errno);
	else
		mmsim_ret(r, cont.mapped);
}

static void kernel_uffd_api(struct mmsim_ctx *c, const struct mmsim_line *l,
			    struct mmsim_result *r)
{
	struct uffdio_api api = { .api = UFFD_API };

	mmsim_ret(r, sys_ret(ioctl(kfd(c, l->a.u), UFFDIO_API, &api)));
}

static void kernel_uffd_unregister(struct mmsim_ctx *c,
				   const struct mmsim_line *l,
				   struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	struct uffdio_range range = { m->h + l->a.off, l->a.len };

	mmsim_ret(r, sys_ret(ioctl(kfd(c, l->a.u), UFFDIO_UNREGISTER, &range)));
}

static void kernel_uffd_writeprotect(struct mmsim_ctx *c,
				     const struct mmsim_line *l,
				     struct mmsim_result *r)
{
	struct mmsim_obj *m = mmsim_obj(c, l->a.m);
	struct uffdio_writeprotect wp = {
		.range = { m->h + l->a.off, l->a.len },
		.mode = l->a.uffd_mode,
	};

	mmsim_ret(r, sys_ret(ioctl(kfd(c, l->a.u), UFFDIO_WRITEPROTECT, &wp)));
}

/* methods of operations added by chapters come here */

static int kernel_host_ok(char *why, size_t n)
{
	long size = sysconf(_SC_PAGESIZE);

	if (size == MMSIM_PAGE_SIZE)
		return 1;
	snprintf(why, n,
		 "this machine's page size is %ld, scenarios assume %ld",
		 size, MMSIM_PAGE_SIZE);
	return 0;
}

static int kernel_start(struct mmsim_ctx *c)
{
	struct sigaction sa = { .sa_handler = access_fault };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	signal(SIGXFSZ, SIG_IGN);
	return 0;
}

static int kernel_run(struct mmsim_ctx *c, int (*body)(void *data), void *data)
{
	return body(data);
}

static int kernel_finish(struct mmsim_ctx *c, int aborted)
{
	int i;

	for (i = 0; i < c->nobj; i++) {
		struct mmsim_obj *o = &c->obj[i];

		if (o->kind == MMSIM_MAP && o->live)
			munmap((void *)(unsigned long)o->h, o->len);
		else if (o->kind != MMSIM_MAP && o->h >= 0)
			close(o->h);
	}
	return 0;
}

static const struct mmsim_method kernel_methods[] = {
	{ "memfd",		kernel_memfd },
	{ "reopen",		kernel_reopen },
	{ "close",		kernel_close },
	{ "ftruncate",		kernel_ftruncate },
	{ "fallocate",		kernel_fallocate },
	{ "pwrite",		kernel_pwrite },
	{ "pread",		kernel_pread },
	{ "add_seals",		kernel_add_seals },
	{ "get_seals",		kernel_get_seals },
	{ "size",		kernel_size },
	{ "blocks",		kernel_blocks },
	{ "seek_data",		kernel_seek_data },
	{ "seek_hole",		kernel_seek_hole },
	{ "mmap",		kernel_mmap },
	{ "munmap",		kernel_munmap },
	{ "mprotect",		kernel_mprotect },
	{ "load",		kernel_load },
	{ "store",		kernel_store },
	{ "uffd",		kernel_uffd },
	{ "uffd_register",	kernel_uffd_register },
	{ "uffd_copy",		kernel_uffd_copy },
	{ "uffd_zeropage",	kernel_uffd_zeropage },
	{ "uffd_continue",	kernel_uffd_continue },
	{ "uffd_api",		kernel_uffd_api },
	{ "uffd_unregister",	kernel_uffd_unregister },
	{ "uffd_writeprotect",	kernel_uffd_writeprotect },
	/* the table lines of methods added by chapters come here */
	{ NULL }
};

const struct mmsim_backend mmsim_kernel_backend = {
	.name		= "kernel",
	.methods	= kernel_methods,
	.host_ok	= kernel_host_ok,
	.start		= kernel_start,
	.run		= kernel_run,
	.finish		= kernel_finish,
};
