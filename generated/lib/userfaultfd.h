/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/05-uffd.nw (chapter 5); do not edit. */
/* userfaultfd.h: the userfaultfd context and its fill operations. */
#ifndef MMLIT_USERFAULTFD_H
#define MMLIT_USERFAULTFD_H

#include "syscalls.h"
#include "variant.h"
#include "fault.h"

#define UFFD_API			((u64)0xAA)
#define UFFD_USER_MODE_ONLY		1
#ifndef O_CLOEXEC
#define O_CLOEXEC	02000000
#endif
#ifndef O_NONBLOCK
#define O_NONBLOCK	00004000
#endif
#define UFFD_SHARED_FCNTL_FLAGS	(O_CLOEXEC | O_NONBLOCK)
#define UFFD_FEATURE_MISSING_SHMEM	(1ULL << 5)
#define UFFD_FEATURE_EVENT_UNMAP	(1ULL << 6)
#define UFFD_FEATURE_SIGBUS		(1ULL << 7)
#define UFFD_FEATURE_MINOR_SHMEM	(1ULL << 10)
#define UFFD_FEATURE_WP_HUGETLBFS_SHMEM	(1ULL << 12)
#define UFFD_FEATURE_POISON		(1ULL << 14)
#define UFFD_API_FEATURES	(UFFD_FEATURE_MISSING_SHMEM |		\
				 UFFD_FEATURE_EVENT_UNMAP |		\
				 UFFD_FEATURE_SIGBUS |			\
				 UFFD_FEATURE_MINOR_SHMEM |		\
				 UFFD_FEATURE_WP_HUGETLBFS_SHMEM |	\
				 UFFD_FEATURE_POISON)

#define UFFDIO_REGISTER_MODE_MISSING	((u64)1 << 0)
#define UFFDIO_REGISTER_MODE_WP		((u64)1 << 1)
#define UFFDIO_REGISTER_MODE_MINOR	((u64)1 << 2)
#define UFFD_API_REGISTER_MODES	(UFFDIO_REGISTER_MODE_MISSING |	\
				 UFFDIO_REGISTER_MODE_WP |		\
				 UFFDIO_REGISTER_MODE_MINOR)
#define UFFDIO_COPY_MODE_DONTWAKE	((u64)1 << 0)
#define UFFDIO_COPY_MODE_WP		((u64)1 << 1)
#define UFFDIO_ZEROPAGE_MODE_DONTWAKE	((u64)1 << 0)
#define UFFDIO_CONTINUE_MODE_DONTWAKE	((u64)1 << 0)
#define UFFDIO_CONTINUE_MODE_WP		((u64)1 << 1)
#define UFFDIO_POISON_MODE_DONTWAKE	((u64)1 << 0)
#define UFFDIO_WRITEPROTECT_MODE_WP	((u64)1 << 0)
#define UFFDIO_WRITEPROTECT_MODE_DONTWAKE	((u64)1 << 1)

/* The kernel's _UFFDIO_* command numbers, without the _IOWR encoding. */
#define UFFDIO_REGISTER		0x00
#define UFFDIO_UNREGISTER	0x01
#define UFFDIO_COPY		0x03
#define UFFDIO_ZEROPAGE		0x04
#define UFFDIO_WRITEPROTECT	0x06
#define UFFDIO_CONTINUE		0x07
#define UFFDIO_POISON		0x08
#define UFFDIO_API		0x3F

struct uffdio_api { u64 api, features, ioctls; };
struct uffdio_range { u64 start, len; };
struct uffdio_register { struct uffdio_range range; u64 mode, ioctls; };
struct uffdio_copy { u64 dst, src, len, mode; s64 copy; };
struct uffdio_zeropage { struct uffdio_range range; u64 mode; s64 zeropage; };
struct uffdio_continue { struct uffdio_range range; u64 mode; s64 mapped; };
struct uffdio_poison { struct uffdio_range range; u64 mode; s64 updated; };
struct uffdio_writeprotect { struct uffdio_range range; u64 mode; };

/* What read(2) returns: the kernel's event code, its union cut to one. */
#define UFFD_EVENT_UNMAP		0x16
struct uffd_msg { u8 event; u64 start, end; };

/* A combined operation mode + behavior flags (mm/userfaultfd.c). */
typedef unsigned int uffd_flags_t;
enum mfill_atomic_mode {
	MFILL_ATOMIC_COPY,
	MFILL_ATOMIC_ZEROPAGE,
	MFILL_ATOMIC_CONTINUE,
	MFILL_ATOMIC_POISON,
	NR_MFILL_ATOMIC_MODES,
};
#define MFILL_ATOMIC_MODE_BITS	3
#define MFILL_ATOMIC_MODE_MASK	((1u << MFILL_ATOMIC_MODE_BITS) - 1)
#define MFILL_ATOMIC_FLAG(nr)	(1u << (MFILL_ATOMIC_MODE_BITS + (nr)))
#define MFILL_ATOMIC_WP		MFILL_ATOMIC_FLAG(0)

static inline bool uffd_flags_mode_is(uffd_flags_t flags,
				      enum mfill_atomic_mode expected)
{
	return (flags & MFILL_ATOMIC_MODE_MASK) == expected;
}

static inline uffd_flags_t uffd_flags_set_mode(uffd_flags_t flags,
					       enum mfill_atomic_mode mode)
{
	return (flags & ~MFILL_ATOMIC_MODE_MASK) | mode;
}

struct vm_uffd_ops {
	bool (*can_userfault)(struct vm_area_struct *vma, vm_flags_t vm_flags);
	struct folio *(*get_folio_noalloc)(struct inode *inode, pgoff_t pgoff);
	struct folio *(*alloc_folio)(struct vm_area_struct *vma,
				     unsigned long addr);
	int (*filemap_add)(struct folio *folio, struct vm_area_struct *vma,
			   unsigned long addr);
	void (*filemap_remove)(struct folio *folio, struct vm_area_struct *vma);
};

extern const struct vm_uffd_ops anon_uffd_ops;
extern const struct vm_uffd_ops shmem_uffd_ops;

static inline const struct vm_uffd_ops *
vma_uffd_ops(struct vm_area_struct *vma)
{
	if (vma_is_anonymous(vma))
		return &anon_uffd_ops;
	return vma->vm_ops->uffd_ops;
}

struct userfaultfd_ctx {
	struct mm_struct *mm;		/* NULL once the mm is gone */
	unsigned int flags;		/* of userfaultfd() */
	u64 features;
	bool initialized;		/* UFFDIO_API done */
	atomic_t mmap_changing;		/* events not yet read */
	bool released;			/* the file is closed */
	spinlock_t event_lock;		/* protects events */
	struct list_head events;	/* waiting to be read */
	struct list_head list;		/* in the list of all contexts */
};

/* Read one event of @ufd into @msg: its size, or -EAGAIN if none. */
long ksys_uffd_read(int ufd, struct uffd_msg *msg);

/* The context behind a userfaultfd @fd of this process, or NULL. */
struct userfaultfd_ctx *userfaultfd_ctx_of(int fd);

ssize_t mfill_atomic_copy(struct userfaultfd_ctx *ctx, unsigned long dst_start,
			  unsigned long src_start, unsigned long len,
			  uffd_flags_t flags);
ssize_t mfill_atomic_zeropage(struct userfaultfd_ctx *ctx,
			      unsigned long start, unsigned long len);
ssize_t mfill_atomic_continue(struct userfaultfd_ctx *ctx, unsigned long start,
			      unsigned long len, uffd_flags_t flags);
ssize_t mfill_atomic_poison(struct userfaultfd_ctx *ctx, unsigned long start,
			    unsigned long len, uffd_flags_t flags);

/* Shared by the two shmem paths and the generic one. */
int mfill_atomic_install_pte(struct vm_area_struct *dst_vma,
			     unsigned long dst_addr, struct folio *folio,
			     bool newly_allocated, uffd_flags_t flags);
int mfill_copy_folio(struct folio *folio, unsigned long src_addr, bool locked);
int shmem_mfill_atomic_pte(struct vm_area_struct *dst_vma,
			   unsigned long dst_addr, unsigned long src_addr,
			   uffd_flags_t flags, struct folio **foliop);
bool vma_is_shmem(const struct vm_area_struct *vma);
extern void (*mfill_unlocked_hook)(void);
extern void (*mfill_locked_hook)(void);

enum uffd_design {
	UFFD_UPSTREAM,		/* shmem_mfill_atomic_pte */
	UFFD_RFC,		/* RFC 10/17 as posted */
	UFFD_FIX,		/* the RFC with this chapter's fixes */
	UFFD_RFC_NO_RECALC,	/* no recalc in filemap_remove */
	NR_UFFD_DESIGNS
};
extern struct variant_area uffd_area;
extern struct variant_area uffd_copy_area;
static inline int uffd_design(void)
{
	return variant_current(&uffd_area);
}
extern struct fault_site shmem_mfill_acct_site;

#endif /* MMLIT_USERFAULTFD_H */
