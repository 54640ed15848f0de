/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/02-seals-freeze.nw (chapter 2); do not edit. */
/* fd-helpers.h: what the tests of chapters 2 and 3 ask of a descriptor. */
#ifndef MMLIT_FD_HELPERS_H
#define MMLIT_FD_HELPERS_H

#include "ktest.h"
#include "shmem.h"

#define P(n)	((loff_t)(n) * (loff_t)PAGE_SIZE)

static inline struct inode *fd_inode(int fd)
{
	struct file *file = fget(fd);
	struct inode *inode;

	ck_assert_ptr_nonnull(file);
	inode = file_inode(file);
	fput(file);		/* the fd keeps it */
	return inode;
}

/* st_blocks, in pages. */
static inline long fd_pages(int fd)
{
	struct kstat st;

	ck_assert_int_eq(ksys_fstat(fd, &st), 0);
	return st.blocks * 512 / PAGE_SIZE;
}

static inline loff_t fd_size(int fd)
{
	struct kstat st;

	ck_assert_int_eq(ksys_fstat(fd, &st), 0);
	return st.size;
}

#endif /* MMLIT_FD_HELPERS_H */
