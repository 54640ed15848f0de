/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/04-srcu-freeze.nw (chapter 4); do not edit. */
/* gmem.h: guest_memfd as far as the freeze of chapter 4 touches it. */
#ifndef MMLIT_GMEM_H
#define MMLIT_GMEM_H

#include "syscalls.h"
#include "percpu-rwsem.h"
#include "variant.h"

#define GUEST_MEMFD_FLAG_MMAP		(1ULL << 0)
#define GUEST_MEMFD_FLAG_INIT_SHARED	(1ULL << 1)
#define GUEST_MEMFD_F_MAPPING_FROZEN	(1ULL << 63)	/* runtime, the RFC's */

struct gmem_inode {
	u64 flags;
	bool has_srcu;			/* per-inode variant: its own domain */
	struct srcu_struct srcu;
	struct inode vfs_inode;
};

static inline struct gmem_inode *GMEM_I(struct inode *inode)
{
	return container_of(inode, struct gmem_inode, vfs_inode);
}

static inline bool kvm_gmem_is_frozen(struct inode *inode)
{
	return READ_ONCE(GMEM_I(inode)->flags) & GUEST_MEMFD_F_MAPPING_FROZEN;
}

enum gmem_freeze_variant {
	GMEM_POSTED,
	GMEM_VALIDATE_FIRST,
	GMEM_NO_FALLOC_CHECK,
	GMEM_PER_INODE,
	GMEM_UNSYNCHRONIZED,
	GMEM_SYNC_UNFREEZE,
	GMEM_INVALIDATE_LOCK,
	GMEM_PERCPU_RWSEM,
	GMEM_SCOPE_GUARD,
	NR_GMEM_VARIANTS
};

extern struct variant_area gmem_freeze_variants;

static inline int gmem_variant(void)
{
	return variant_current(&gmem_freeze_variants);
}

/*
 * The one domain of the patch: a static struct srcu_struct in the RFC, set
 * up by kvm_gmem_init() and torn down by kvm_gmem_exit(); not static here,
 * so that the tests can enter it.
 */
extern struct srcu_struct kvm_gmem_freeze_srcu;
extern struct percpu_rw_semaphore kvm_gmem_freeze_rwsem;

/* What kvm_gmem_init() has set up, for the tests of its error path. */
struct kvm_gmem_module {
	bool inode_cache;		/* kvm_gmem_inode_cachep */
	bool srcu;			/* kvm_gmem_freeze_srcu */
	struct super_block *mnt_sb;	/* kvm_gmem_mnt */
};
extern struct kvm_gmem_module kvm_gmem_module;

/* Module load and unload: 0 or -ENOMEM, with everything undone. */
int kvm_gmem_init(void);
void kvm_gmem_exit(void);

/* KVM_CREATE_GUEST_MEMFD: a new file of @size bytes; fd or -errno. */
int kvm_gmem_create(loff_t size, u64 flags);
/* Freeze or unfreeze the page cache of @inode (the RFC's API). */
void kvm_gmem_freeze(struct inode *inode, bool freeze);
/* The same through an fd, for tests and mmsim: 0 or -EBADF. */
int kvm_gmem_freeze_fd(int fd, bool freeze);
/* The inode behind a guest_memfd fd, without a reference; NULL if none. */
struct inode *kvm_gmem_inode(int fd);

typedef u64 gfn_t;

#define KVM_EXIT_MEMORY_FAULT		39
#define KVM_MEMORY_EXIT_FLAG_PRIVATE	(1ULL << 3)

struct kvm_run {
	u32 exit_reason;
	struct {
		u64 flags;
		u64 gpa;
		u64 size;
	} memory_fault;
};

struct kvm_vcpu {
	int vcpu_id;
	struct file *gmem;		/* the one memslot: gfn == index */
	struct kvm_run run;
	long faults;			/* pages mapped */
};

int kvm_gmem_get_pfn(struct file *file, pgoff_t index, struct folio **foliop,
		     int *max_order);
/* A guest access to @gfn that missed: 0, or -errno with an exit in run. */
int kvm_vcpu_fault(struct kvm_vcpu *vcpu, gfn_t gfn);

#endif /* MMLIT_GMEM_H */
