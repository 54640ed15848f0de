/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/02-seals-freeze.nw (chapter 2); do not edit. */
/* shmem.h: shmem inodes, memfd seals and the live-update freeze. */
#ifndef MMLIT_SHMEM_H
#define MMLIT_SHMEM_H

#include "syscalls.h"
#include "variant.h"
#include "fault.h"

#ifndef F_ADD_SEALS
#define F_LINUX_SPECIFIC_BASE	1024
#define F_ADD_SEALS		(F_LINUX_SPECIFIC_BASE + 9)
#define F_GET_SEALS		(F_LINUX_SPECIFIC_BASE + 10)
#endif
#ifndef F_SEAL_SEAL
/* prevent further seals from being set */
#define F_SEAL_SEAL		0x0001
#define F_SEAL_SHRINK		0x0002	/* prevent file from shrinking */
#define F_SEAL_GROW		0x0004	/* prevent file from growing */
#define F_SEAL_WRITE		0x0008	/* prevent writes */
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE	0x0010	/* prevent future writes while mapped */
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC		0x0020	/* prevent chmod modifying exec bits */
#endif
#define F_ALL_SEALS		(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | \
				 F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | \
				 F_SEAL_EXEC)

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC		0x0001U
#define MFD_ALLOW_SEALING	0x0002U
#define MFD_HUGETLB		0x0004U
#endif
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL		0x0008U
#define MFD_EXEC		0x0010U
#endif
#define MFD_HUGE_SHIFT		26
#define MFD_HUGE_MASK		0x3fU

#define SHMEM_F_NORESERVE	BIT(0)	/* charge pages as they come */
#define SHMEM_F_LOCKED		BIT(1)	/* disallow swapping */
/*
 * Disallow growing, shrinking, or hole punching in the inode. With the
 * folios pinned, the inode's index -> folio map stays fixed. Like
 * F_SEAL_GROW | F_SEAL_SHRINK, but removable and invisible to userspace.
 */
#define SHMEM_F_MAPPING_FROZEN	BIT(2)

struct shmem_inode_info {
	spinlock_t lock;		/* alloced, swapped */
	unsigned int seals;		/* F_SEAL_*, under i_rwsem */
	unsigned long flags;		/* SHMEM_F_* */
	unsigned long alloced;		/* pages charged: page cache + swap */
	unsigned long swapped;		/* of which in swap */
	pgoff_t fallocend;		/* highest fallocate end index */
	struct inode vfs_inode;
};

static inline struct shmem_inode_info *SHMEM_I(struct inode *inode)
{
	return container_of(inode, struct shmem_inode_info, vfs_inode);
}

/* Must be called with inode lock taken exclusive. */
static inline void shmem_freeze(struct inode *inode, bool freeze)
{
	lockdep_assert_held_write(&inode->i_rwsem);
	if (freeze)
		SHMEM_I(inode)->flags |= SHMEM_F_MAPPING_FROZEN;
	else
		SHMEM_I(inode)->flags &= ~SHMEM_F_MAPPING_FROZEN;
}

enum sgp_type {
	SGP_READ,	/* don't exceed i_size, don't allocate folio */
	SGP_NOALLOC,	/* similar, but fail on hole or use fallocated folio */
	SGP_CACHE,	/* don't exceed i_size, may allocate folio */
	SGP_WRITE,	/* may exceed i_size, may allocate !uptodate folio */
	SGP_FALLOC,	/* like SGP_WRITE, but make existing folio uptodate */
};

struct shmem_falloc {
	/* faults into hole wait for punch to end */
	wait_queue_head_t *waitq;
	/* start of range currently being fallocated */
	pgoff_t start;
	/* the next page offset to be fallocated */
	pgoff_t next;
	/* how many new pages have been fallocated */
	pgoff_t nr_falloced;
	/* how often writeout refused to swap out */
	pgoff_t nr_unswapped;
};

struct shmem_excl_ops {
	const char *name;
	void (*falloc_begin)(struct inode *inode);
	void (*falloc_end)(struct inode *inode);
	void (*punch_begin)(struct inode *inode, struct shmem_falloc *sf,
			    wait_queue_head_t *waitq, loff_t unmap_start,
			    loff_t unmap_end);
	void (*punch_end)(struct inode *inode, struct shmem_falloc *sf);
	void (*alloc_begin)(struct inode *inode, struct shmem_falloc *sf,
			    pgoff_t start);
	int (*alloc_check)(struct inode *inode, struct shmem_falloc *sf);
	gfp_t (*alloc_gfp)(struct inode *inode, gfp_t gfp);
	void (*alloc_progress)(struct inode *inode, struct shmem_falloc *sf,
			       struct folio *folio, pgoff_t index);
	void (*alloc_end)(struct inode *inode, struct shmem_falloc *sf);
	vm_fault_t (*fault_begin)(struct vm_fault *vmf, struct inode *inode);
	void (*fault_end)(struct vm_fault *vmf, struct inode *inode);
	bool (*writeout_unfalloced)(struct folio *folio, struct inode *inode);
};

/* The exclusion design in use (chapter 3's variant area). */
const struct shmem_excl_ops *shmem_excl(void);

/* Chapter 3: the designs of the variant area "falloc", in its order. */
enum shmem_excl_design {
	EXCL_SHMEM_FALLOC,	/* today's kernel: struct shmem_falloc */
	EXCL_RFC,		/* the invalidate_lock RFC, as posted */
	EXCL_RFC_TRYLOCK,	/* the RFC, writeout only tries the lock */
	EXCL_FIX,		/* the book's fix */
	NR_EXCL_DESIGNS
};
extern struct variant_area shmem_falloc_area;

extern const struct address_space_operations shmem_aops;
extern const struct file_operations shmem_file_operations;
extern struct variant_area shmem_freeze_area;	/* "freeze": final, v6, v7 */
extern struct fault_site shmem_alloc_folio_site;

static inline bool shmem_mapping(const struct address_space *mapping)
{
	return mapping && mapping->a_ops == &shmem_aops;
}

static inline bool shmem_file(struct file *file)
{
	return shmem_mapping(file->f_mapping);
}

/* The internal mount's superblock (the kernel's shm_mnt), and its limits. */
struct super_block *shmem_sb(void);
/* An unlinked shmem file of @size; flags: VM_NORESERVE. ERR_PTR on error. */
struct file *shmem_file_setup(const char *name, loff_t size,
			      unsigned long flags);

/* 0 with *foliop locked and referenced (or NULL: SGP_READ hole), or -errno. */
int shmem_get_folio_gfp(struct inode *inode, pgoff_t index, loff_t write_end,
			struct folio **foliop, enum sgp_type sgp, gfp_t gfp,
			struct vm_fault *vmf, vm_fault_t *fault_type);
int shmem_get_folio(struct inode *inode, pgoff_t index, loff_t write_end,
		    struct folio **foliop, enum sgp_type sgp);
/* The folio at @index, allocated if missing, referenced and unlocked. */
struct folio *shmem_read_folio(struct address_space *mapping, pgoff_t index);

/* Remove folios and swap entries in [lstart, lend], zeroing partial pages;
 * unfalloc: only the fallocated (!uptodate) folios, nothing else. */
void shmem_undo_range(struct inode *inode, loff_t lstart, loff_t lend,
		      bool unfalloc);
void shmem_truncate_range(struct inode *inode, loff_t lstart, loff_t lend);

/* Block accounting (i_blocks, the superblock's used_blocks). */
int shmem_inode_acct_blocks(struct inode *inode, long pages);
void shmem_inode_unacct_blocks(struct inode *inode, long pages);
bool shmem_recalc_inode(struct inode *inode, long alloced, long swapped);

long shmem_fallocate(struct file *file, int mode, loff_t offset, loff_t len);
vm_fault_t shmem_fault(struct vm_fault *vmf);
int shmem_writeout(struct folio *folio, struct writeback_control *wbc);

struct file *memfd_alloc_file(const char *name, unsigned int flags);
unsigned int *memfd_file_seals_ptr(struct file *file);
long memfd_fcntl(struct file *file, unsigned int cmd, unsigned int arg);
long memfd_pin_folios(struct file *memfd, loff_t start, loff_t end,
		      struct folio **folios, unsigned int max_folios,
		      pgoff_t *offset);
void unpin_folio(struct folio *folio);
void unpin_folios(struct folio **folios, unsigned long nfolios);
/* Folios pinned by the live-update preservation of @inode, or -ENOENT. */
long memfd_luo_preserved(struct inode *inode, struct folio ***foliosp);

#endif /* MMLIT_SHMEM_H */
