/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/01-shim.nw (chapter 1); do not edit. */
/* mm.h: gfp flags, folios, allocation, memcg, LRU, reclaim, swap, the
 * page cache, address spaces, and the process address space. */
#ifndef MMLIT_MM_H
#define MMLIT_MM_H

#include "srcu.h"
#include "xarray.h"

struct inode;
struct file;
struct vm_area_struct;
struct mm_struct;

#define __GFP_HIGHMEM		0x02u
#define __GFP_MOVABLE		0x08u
#define __GFP_IO		0x40u
#define __GFP_FS		0x80u
#define __GFP_ZERO		0x100u
#define __GFP_DIRECT_RECLAIM	0x400u
#define __GFP_KSWAPD_RECLAIM	0x800u
#define __GFP_NOWARN		0x2000u
#define __GFP_RETRY_MAYFAIL	0x4000u
#define __GFP_NORETRY		0x10000u
#define __GFP_HARDWALL		0x100000u
#define __GFP_ACCOUNT		0x400000u
#define __GFP_RECLAIM		(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)

#define GFP_NOWAIT		__GFP_KSWAPD_RECLAIM
#define GFP_NOIO		__GFP_RECLAIM
#define GFP_NOFS		(__GFP_RECLAIM | __GFP_IO)
#define GFP_KERNEL		(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_USER		(GFP_KERNEL | __GFP_HARDWALL)
#define GFP_HIGHUSER		(GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE	(GFP_HIGHUSER | __GFP_MOVABLE)

static inline gfp_t current_gfp_context(gfp_t flags)
{
	unsigned int pflags = READ_ONCE(current->flags);

	if (pflags & PF_MEMALLOC_NOIO)
		flags &= ~(__GFP_IO | __GFP_FS);
	else if (pflags & PF_MEMALLOC_NOFS)
		flags &= ~__GFP_FS;
	return flags;
}

static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return gfp & __GFP_DIRECT_RECLAIM;
}

enum pageflags {
	PG_locked,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_active,
	PG_swapbacked,
	PG_swapcache,
	PG_writeback,
	PG_anon,		/* the kernel says so in ->mapping's low bit */
	NR_PAGEFLAGS
};

struct address_space;
struct mem_cgroup;

struct folio {
	unsigned long flags;
	atomic_t _refcount;
	atomic_t _mapcount;		/* page table entries mapping it */
	struct address_space *mapping;
	pgoff_t index;
	unsigned long private;		/* swap entry while in the swap cache */
	struct list_head lru;
	struct mem_cgroup *memcg;
	struct task_struct *lock_owner;
	unsigned long serial;		/* for traces */
	u8 *data;			/* NULL: all zeros until written */
};

#define FOLIO_FLAG_FUNCS(name, bit)					\
static inline bool folio_test_##name(const struct folio *folio)	\
{ return __atomic_load_n(&folio->flags, __ATOMIC_ACQUIRE) & BIT(bit); }	\
static inline void folio_set_##name(struct folio *folio)		\
{ __atomic_or_fetch(&folio->flags, BIT(bit), __ATOMIC_SEQ_CST); }	\
static inline void folio_clear_##name(struct folio *folio)		\
{ __atomic_and_fetch(&folio->flags, ~BIT(bit), __ATOMIC_SEQ_CST); }	\
static inline void __folio_set_##name(struct folio *folio)		\
{ folio->flags |= BIT(bit); }						\
static inline void __folio_clear_##name(struct folio *folio)		\
{ folio->flags &= ~BIT(bit); }

FOLIO_FLAG_FUNCS(locked, PG_locked)
FOLIO_FLAG_FUNCS(uptodate, PG_uptodate)
FOLIO_FLAG_FUNCS(dirty, PG_dirty)
FOLIO_FLAG_FUNCS(lru, PG_lru)
FOLIO_FLAG_FUNCS(active, PG_active)
FOLIO_FLAG_FUNCS(swapbacked, PG_swapbacked)
FOLIO_FLAG_FUNCS(swapcache, PG_swapcache)
FOLIO_FLAG_FUNCS(writeback, PG_writeback)
FOLIO_FLAG_FUNCS(anon, PG_anon)

static inline long folio_nr_pages(const struct folio *folio) { return 1; }
static inline size_t folio_size(const struct folio *folio) { return PAGE_SIZE; }
static inline loff_t folio_pos(const struct folio *folio)
{
	return (loff_t)folio->index << PAGE_SHIFT;
}
static inline int folio_ref_count(const struct folio *folio)
{
	return atomic_read(&folio->_refcount);
}
static inline int folio_mapcount(const struct folio *folio)
{
	return atomic_read(&folio->_mapcount);
}
static inline bool folio_mapped(const struct folio *folio)
{
	return folio_mapcount(folio) > 0;
}
static inline void folio_get(struct folio *folio)
{
	WARN_ON(folio_ref_count(folio) <= 0);
	atomic_inc(&folio->_refcount);
}
void folio_put(struct folio *folio);
bool folio_try_get(struct folio *folio);

/* Uptodate is published with a barrier, as the kernel's is. */
static inline void folio_mark_uptodate(struct folio *folio)
{
	smp_wmb();
	folio_set_uptodate(folio);
}
static inline void __folio_mark_uptodate(struct folio *folio)
{
	__folio_set_uptodate(folio);
}
/* Returns true if the folio was clean. */
bool folio_mark_dirty(struct folio *folio);
bool folio_clear_dirty_for_io(struct folio *folio);

void folio_zero_range(struct folio *folio, size_t offset, size_t len);
static inline void flush_dcache_folio(struct folio *folio) { }

/* The bytes of a folio: NULL data reads as zeros until a first write. */
void folio_read_data(const struct folio *folio, size_t off, void *buf,
		     size_t len);
int folio_write_data(struct folio *folio, size_t off, const void *buf,
		     size_t len);
int folio_copy_data(struct folio *dst, const struct folio *src);

/* The folio lock. */
void __folio_lock(struct folio *folio, struct lock_site site);
int __folio_lock_killable(struct folio *folio, struct lock_site site);
#define folio_lock(f)		__folio_lock((f), THIS_SITE)
#define folio_lock_killable(f)	__folio_lock_killable((f), THIS_SITE)
bool folio_trylock(struct folio *folio);
void folio_unlock(struct folio *folio);

extern struct lockdep_map __fs_reclaim_map;
/* The pseudo-lock is taken if the allocation may enter direct reclaim
 * and call into filesystems, outside of reclaim itself. */
bool __need_fs_reclaim(gfp_t gfp);
void __fs_reclaim_acquire(gfp_t gfp, struct lock_site site);
void __fs_reclaim_release(gfp_t gfp, struct lock_site site);
#define fs_reclaim_acquire(gfp)	__fs_reclaim_acquire((gfp), THIS_SITE)
#define fs_reclaim_release(gfp)	__fs_reclaim_release((gfp), THIS_SITE)
void __might_alloc(gfp_t gfp, struct lock_site site);
#define might_alloc(gfp)	__might_alloc((gfp), THIS_SITE)

/*
 * Allocation entry points are macros so that lockdep-lite and the traces
 * name the caller, as the kernel's reports name the call site.
 */
struct folio *__folio_alloc(gfp_t gfp, unsigned int order,
			    struct lock_site site);
#define folio_alloc(gfp, order)	__folio_alloc((gfp), (order), THIS_SITE)
#define filemap_alloc_folio(gfp, order) \
	__folio_alloc((gfp), (order), THIS_SITE)

void *__kmalloc(size_t size, gfp_t gfp, struct lock_site site);
#define kmalloc(size, gfp)	__kmalloc((size), (gfp), THIS_SITE)
#define kzalloc(size, gfp)	__kmalloc((size), (gfp) | __GFP_ZERO, THIS_SITE)
void kfree(const void *p);

/* The machine's memory, in pages. */
void mem_set_total_pages(long pages);
long totalram_pages(void);
long mem_used_pages(void);
static inline long mem_free_pages(void)
{
	return totalram_pages() - mem_used_pages();
}

/* Event counters, named after the kernel's /proc/vmstat lines. */
struct vm_event_state {
	long pgalloc;		/* folios allocated */
	long pgfree;		/* folios freed */
	long allocstall;	/* entries into direct reclaim */
	long pgscan;		/* folios scanned by reclaim */
	long pgsteal;		/* folios reclaimed */
	long pswpout;		/* folios written to swap */
	long pswpin;		/* folios read back from swap */
	long pgactivate;	/* folios reclaim kept (activated) */
	long oom_kill;		/* OOM kills */
	long alloc_fail;	/* allocations that failed */
};
extern struct vm_event_state vm_events;

struct mem_cgroup {
	char name[32];
	long limit;			/* pages; LONG_MAX: none */
	atomic_long_t usage;
	long failcnt;
};

extern struct mem_cgroup root_mem_cgroup;
struct mem_cgroup *mem_cgroup_create(const char *name, long limit_pages);
void mem_cgroup_destroy(struct mem_cgroup *memcg);
int mem_cgroup_charge(struct folio *folio, struct mm_struct *mm, gfp_t gfp);
void mem_cgroup_uncharge(struct folio *folio);
static inline long mem_cgroup_usage(const struct mem_cgroup *memcg)
{
	return atomic_long_read(&memcg->usage);
}

struct writeback_control {
	long nr_to_write;
	bool for_reclaim;
};

/* Writeout refused: the folio is still locked. */
#define AOP_WRITEPAGE_ACTIVATE	0x80000
#define SWAP_CLUSTER_MAX	32
#define MAX_RECLAIM_RETRIES	16

void folio_add_lru(struct folio *folio);
long lru_nr_folios(void);
/* Folios on the LRU by walking it; -1 if one lacks PG_lru (invariants). */
long lru_walk_count(void);
unsigned long try_to_free_pages(gfp_t gfp, long nr_pages);
unsigned long try_to_free_mem_cgroup_pages(struct mem_cgroup *memcg,
					   long nr_pages, gfp_t gfp);
/* The next @count allocations that may reclaim enter direct reclaim first,
 * even when memory is free (a test's way to make reclaim happen). */
void mm_force_direct_reclaim(int count);

/* A process that holds @pages of memory until the OOM killer kills it. */
int oom_register_bystander(const char *name, long pages);
bool oom_bystander_alive(int id);
/* Returns true if it killed something (freeing memory). */
bool out_of_memory(gfp_t gfp);
/* All memory free, no swap, no bystanders, counters at zero. */
void mm_reset_machine(void);

typedef struct { unsigned long val; } swp_entry_t;

void swap_set_slots(long slots);
long total_swap_pages(void);
long nr_free_swap_pages(void);
/* A free slot for @folio: 0 on success, -ENOMEM when swap is full. */
int folio_alloc_swap(struct folio *folio, swp_entry_t *entry);
void swap_write_folio(struct folio *folio, swp_entry_t entry);
int swap_read_folio(struct folio *folio, swp_entry_t entry);
void swap_free(swp_entry_t entry);
static inline void *swp_to_radix_entry(swp_entry_t entry)
{
	return xa_mk_value(entry.val);
}
static inline swp_entry_t radix_to_swp_entry(void *arg)
{
	return (swp_entry_t){ xa_to_value(arg) };
}

struct writeback_control;

struct address_space_operations {
	/* Reclaim's writeout of a dirty folio, locked; see shmem_writeout. */
	int (*writeout)(struct folio *folio, struct writeback_control *wbc);
	int (*write_begin)(struct file *file, struct address_space *mapping,
			   loff_t pos, unsigned int len, struct folio **foliop);
	int (*write_end)(struct file *file, struct address_space *mapping,
			 loff_t pos, unsigned int len, unsigned int copied,
			 struct folio *folio);
};

struct address_space {
	struct inode *host;
	struct xarray i_pages;
	unsigned long nrpages;
	struct rw_semaphore invalidate_lock;
	gfp_t gfp_mask;
	atomic_t i_mmap_writable;
	struct list_head i_mmap;		/* VMAs, through vm_shared */
	struct rw_semaphore i_mmap_rwsem;
	const struct address_space_operations *a_ops;
};

static inline gfp_t mapping_gfp_mask(const struct address_space *mapping)
{
	return mapping->gfp_mask;
}

#define filemap_invalidate_lock(m)	down_write(&(m)->invalidate_lock)
#define filemap_invalidate_unlock(m)	up_write(&(m)->invalidate_lock)
#define filemap_invalidate_lock_shared(m) down_read(&(m)->invalidate_lock)
#define filemap_invalidate_unlock_shared(m) up_read(&(m)->invalidate_lock)
#define filemap_invalidate_trylock_shared(m) \
	down_read_trylock(&(m)->invalidate_lock)

/* i_mmap_writable: > 0 shared writable mappings, < 0 denied (sealed). */
static inline int mapping_map_writable(struct address_space *mapping)
{
	int c = atomic_read(&mapping->i_mmap_writable);

	for (;;) {
		int old;

		if (c < 0)
			return -EPERM;
		old = atomic_cmpxchg(&mapping->i_mmap_writable, c, c + 1);
		if (old == c)
			return 0;
		c = old;
	}
}
static inline void mapping_unmap_writable(struct address_space *mapping)
{
	atomic_dec(&mapping->i_mmap_writable);
}
static inline int mapping_deny_writable(struct address_space *mapping)
{
	int c = atomic_read(&mapping->i_mmap_writable);

	for (;;) {
		int old;

		if (c > 0)
			return -EBUSY;
		old = atomic_cmpxchg(&mapping->i_mmap_writable, c, c - 1);
		if (old == c)
			return 0;
		c = old;
	}
}
static inline void mapping_allow_writable(struct address_space *mapping)
{
	atomic_inc(&mapping->i_mmap_writable);
}
static inline bool mapping_writably_mapped(struct address_space *mapping)
{
	return atomic_read(&mapping->i_mmap_writable) > 0;
}

void address_space_init(struct address_space *mapping, struct inode *host);

#define FGP_ACCESSED	0x01
#define FGP_LOCK	0x02
#define FGP_CREAT	0x04
#define FGP_NOWAIT	0x20

struct folio *__filemap_get_folio(struct address_space *mapping, pgoff_t index,
				  unsigned int fgp_flags, gfp_t gfp);
static inline struct folio *filemap_get_folio(struct address_space *mapping,
					      pgoff_t index)
{
	return __filemap_get_folio(mapping, index, 0, 0);
}
static inline struct folio *filemap_lock_folio(struct address_space *mapping,
					       pgoff_t index)
{
	return __filemap_get_folio(mapping, index, FGP_LOCK, 0);
}
/*
 * The raw entry: a folio, a value entry, or NULL. No reference is taken, so
 * a folio pointer from here must not be dereferenced: it tells only that a
 * folio was there. filemap_get_folio and friends take the reference.
 */
void *filemap_get_entry(struct address_space *mapping, pgoff_t index);
/* nrpages changes under no common lock: atomically. */
static inline void mapping_nrpages_add(struct address_space *mapping, long d)
{
	__atomic_add_fetch(&mapping->nrpages, d, __ATOMIC_RELAXED);
}
int filemap_add_folio(struct address_space *mapping, struct folio *folio,
		      pgoff_t index, gfp_t gfp);
/* Insert a locked folio without charging or LRU (for owners that do it). */
int __filemap_add_folio(struct address_space *mapping, struct folio *folio,
			pgoff_t index, gfp_t gfp);
void filemap_remove_folio(struct folio *folio);
void __filemap_remove_folio(struct folio *folio, void *shadow);
/* Remove every folio in [lstart, lend] (bytes, inclusive), zeroing
 * partial pages at the edges. */
void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart,
				loff_t lend);
void truncate_inode_pages(struct address_space *mapping, loff_t lstart);
/* Zap the page table entries that map [holebegin, +holelen) of the file. */
void unmap_mapping_range(struct address_space *mapping, loff_t holebegin,
			 loff_t holelen, int even_cows);
/* Unmap @folio from every VMA that maps it; true when no mapping is left. */
bool try_to_unmap(struct folio *folio);

#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_UFFD_MISSING	0x00000200UL
#define VM_UFFD_WP	0x00001000UL
#define VM_UFFD_MINOR	0x00100000UL
#define VM_NORESERVE	0x00200000UL

#define FAULT_FLAG_WRITE	0x01
#define FAULT_FLAG_ALLOW_RETRY	0x04
#define FAULT_FLAG_RETRY_NOWAIT	0x08
#define FAULT_FLAG_KILLABLE	0x10
#define FAULT_FLAG_TRIED	0x20
#define FAULT_FLAG_USER		0x40

#define VM_FAULT_OOM		0x000001
#define VM_FAULT_SIGBUS		0x000002
#define VM_FAULT_MAJOR		0x000004
#define VM_FAULT_SIGSEGV	0x000040
#define VM_FAULT_NOPAGE		0x000100
#define VM_FAULT_LOCKED		0x000200
#define VM_FAULT_RETRY		0x000400
#define VM_FAULT_ERROR		\
	(VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV)
struct vm_fault {
	struct vm_area_struct *vma;
	gfp_t gfp_mask;
	pgoff_t pgoff;
	unsigned long address;
	unsigned int flags;
	struct folio *folio;		/* the kernel's vmf->page */
};

struct vm_uffd_ops;			/* chapter 5 */

struct vm_operations_struct {
	void (*open)(struct vm_area_struct *vma);
	void (*close)(struct vm_area_struct *vma);
	vm_fault_t (*fault)(struct vm_fault *vmf);
	vm_fault_t (*map_pages)(struct vm_fault *vmf, pgoff_t start_pgoff,
				pgoff_t end_pgoff);
	const struct vm_uffd_ops *uffd_ops;
};

/* mm/filemap.c: map the uptodate, unlocked cached folios of a window. */
vm_fault_t filemap_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff,
			     pgoff_t end_pgoff);
/* mm/memory.c: the fault-around window, 64 KiB by default. */
extern unsigned long fault_around_pages;

struct vm_area_struct {
	unsigned long vm_start, vm_end;
	pgoff_t vm_pgoff;
	vm_flags_t vm_flags;
	struct mm_struct *vm_mm;
	struct file *vm_file;
	const struct vm_operations_struct *vm_ops;
	void *vm_private_data;
	void *vm_userfaultfd_ctx;
	unsigned long vm_lock_seq;	/* == mm_lock_seq: write-locked */
	struct list_head vm_list;	/* in mm->mmap, by address */
	struct list_head vm_shared;	/* in mapping->i_mmap */
};

struct pte {
	struct folio *folio;
	bool write;
	bool uffd_wp;		/* chapter 5: write-protected by userfaultfd */
};

struct mm_struct {
	struct rw_semaphore mmap_lock;
	unsigned long mm_lock_seq;
	struct list_head mmap;
	struct xarray page_table;	/* page number -> struct pte * */
	spinlock_t page_table_lock;
	unsigned long mmap_base;
	long map_count;
};

#define mmap_read_lock(mm)	down_read(&(mm)->mmap_lock)
#define mmap_read_unlock(mm)	up_read(&(mm)->mmap_lock)
#define mmap_read_lock_killable(mm) down_read_killable(&(mm)->mmap_lock)
#define mmap_write_lock(mm)	down_write(&(mm)->mmap_lock)
void __mmap_write_unlock(struct mm_struct *mm, struct lock_site site);
#define mmap_write_unlock(mm)	__mmap_write_unlock((mm), THIS_SITE)
#define mmap_assert_locked(mm)	lockdep_assert_held(&(mm)->mmap_lock)
#define mmap_assert_write_locked(mm) lockdep_assert_held_write(&(mm)->mmap_lock)

void vma_start_write(struct vm_area_struct *vma);
bool vma_is_write_locked(const struct vm_area_struct *vma);
#define vma_assert_write_locked(vma) \
	((void)WARN(!vma_is_write_locked(vma), "VMA not write-locked"))
static inline pgoff_t linear_page_index(const struct vm_area_struct *vma,
					unsigned long address)
{
	return ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}
static inline bool vma_is_shared_maywrite(const struct vm_area_struct *vma)
{
	return (vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) ==
	       (VM_SHARED | VM_MAYWRITE);
}
static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return !vma->vm_ops;
}

struct mm_struct *mm_alloc(void);
void mmput(struct mm_struct *mm);
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
void vm_area_free(struct vm_area_struct *vma);

/*
 * Page tables. pte_offset_map_lock returns with the page-table lock held,
 * whether or not an entry is there; the others need it held.
 */
struct pte *pte_offset_map_lock(struct mm_struct *mm, unsigned long addr,
				spinlock_t **ptlp);
#define pte_unmap_unlock(pte, ptl)	spin_unlock(ptl)
/* Install: -EEXIST if present, -ENOMEM without a page-table page.
 * Takes a map count and a reference. */
int set_pte_at(struct mm_struct *mm, unsigned long addr, struct folio *folio,
	       bool write);
/* Allocate the page-table pages for @addr: 0 or -ENOMEM. */
int pte_alloc(struct mm_struct *mm, unsigned long addr);
/* Remove; drops the map count and the reference. */
void pte_clear(struct mm_struct *mm, unsigned long addr);
void zap_page_range(struct vm_area_struct *vma, unsigned long start,
		    unsigned long end);
/* The fault entry point, called with mmap_lock held for read. When it
 * returns VM_FAULT_RETRY the lock was dropped (by the handler). */
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags);
/* Chapter 5: a fault userfaultfd must answer (SIGBUS here), or 0. */
vm_fault_t userfaultfd_fault(struct vm_fault *vmf);
/* Chapter 5: @mm is going away; contexts on it forget it. */
void userfaultfd_mm_release(struct mm_struct *mm);
/* Chapter 5: an unmap's event (under mmap_lock), sent once unlocked. */
int userfaultfd_unmap_prep(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end, struct list_head *unmaps);
void userfaultfd_unmap_complete(struct mm_struct *mm, struct list_head *uf);
/* Chapter 5: the entry is UFFDIO_POISON's marker (access: SIGBUS). */
bool userfaultfd_pte_poisoned(const struct pte *pte);
/* Chapter 5: a write to the entry is userfaultfd's (SIGBUS here). */
bool userfaultfd_pte_wp(struct vm_area_struct *vma, const struct pte *pte);
static inline bool fault_flag_allow_retry_first(unsigned int flags)
{
	return (flags & FAULT_FLAG_ALLOW_RETRY) && !(flags & FAULT_FLAG_TRIED);
}
/* Drop mmap_lock for a handler about to sleep, keeping the file pinned;
 * returns the pinned file, or NULL when the fault may not drop it. */
struct file *maybe_unlock_mmap_for_io(struct vm_fault *vmf, struct file *fpin);
/* Fault in one user page for @write: 0, -EFAULT (SIGSEGV), -EBUSY (SIGBUS),
 * -ENOMEM. Takes mmap_lock itself. */
int fault_in_user_page(unsigned long addr, bool write);
/* What every user copy with page faults enabled does first: it may sleep,
 * and it may take current->mm's mmap_lock for read (recorded, not taken). */
void __might_fault(struct lock_site site);
#define might_fault()	__might_fault(THIS_SITE)
/* Returns the number of bytes NOT copied, like the kernel's. */
unsigned long copy_from_user(void *to, unsigned long from, unsigned long n);
unsigned long copy_to_user(unsigned long to, const void *from, unsigned long n);
/* One byte through the current mm: 0 or -SIGBUS / -SIGSEGV / -ENOMEM. */
int user_load_byte(unsigned long addr, u8 *val);
int user_store_byte(unsigned long addr, u8 val);

#endif /* MMLIT_MM_H */
