/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/03-falloc.nw (chapter 3); do not edit. */
/* shmem-excl.c: how shmem_fallocate keeps faults and reclaim out. */
#include "shmem.h"

static void excl_nop(struct inode *inode)
{
}

static void excl_no_punch_begin(struct inode *inode, struct shmem_falloc *sf,
				wait_queue_head_t *waitq, loff_t unmap_start,
				loff_t unmap_end)
{
}

static void excl_no_falloc(struct inode *inode, struct shmem_falloc *sf)
{
}

static void excl_no_alloc_begin(struct inode *inode, struct shmem_falloc *sf,
				pgoff_t start)
{
}

static int excl_no_alloc_check(struct inode *inode, struct shmem_falloc *sf)
{
	return 0;
}

static gfp_t excl_mapping_gfp(struct inode *inode, gfp_t gfp)
{
	return gfp;
}

static void excl_no_alloc_progress(struct inode *inode,
				   struct shmem_falloc *sf,
				   struct folio *folio, pgoff_t index)
{
}

static void excl_no_fault_end(struct vm_fault *vmf, struct inode *inode)
{
}

static void shmem_falloc_publish(struct inode *inode, struct shmem_falloc *sf)
{
	spin_lock(&inode->i_lock);
	inode->i_private = sf;
	spin_unlock(&inode->i_lock);
}

static void shmem_falloc_punch_begin(struct inode *inode,
				     struct shmem_falloc *sf,
				     wait_queue_head_t *waitq,
				     loff_t unmap_start, loff_t unmap_end)
{
	sf->waitq = waitq;
	sf->start = (u64)unmap_start >> PAGE_SHIFT;
	sf->next = (unmap_end + 1) >> PAGE_SHIFT;
	shmem_falloc_publish(inode, sf);
}

static void shmem_falloc_punch_end(struct inode *inode,
				   struct shmem_falloc *sf)
{
	spin_lock(&inode->i_lock);
	inode->i_private = NULL;
	wake_up_all(sf->waitq);
	WARN_ON_ONCE(!list_empty(&sf->waitq->head));
	spin_unlock(&inode->i_lock);
}

/*
 * autoremove_wake_function, but remove the entry even if already woken
 * (Linus Torvalds, commit 10d20bd25e06, 4.9).
 */
static int synchronous_wake_function(wait_queue_entry_t *wait,
				     unsigned int mode, int sync, void *key)
{
	int ret = default_wake_function(wait, mode, sync, key);

	list_del_init(&wait->entry);
	return ret;
}

/* Wait for a hole punch over the faulting index (commit f00cdc6df7d7). */
static vm_fault_t shmem_falloc_wait(struct vm_fault *vmf, struct inode *inode)
{
	struct shmem_falloc *shmem_falloc;
	struct file *fpin = NULL;
	vm_fault_t ret = 0;

	spin_lock(&inode->i_lock);
	shmem_falloc = inode->i_private;
	if (shmem_falloc &&
	    shmem_falloc->waitq &&
	    vmf->pgoff >= shmem_falloc->start &&
	    vmf->pgoff < shmem_falloc->next) {
		wait_queue_head_t *shmem_falloc_waitq;
		DEFINE_WAIT_FUNC(shmem_fault_wait, synchronous_wake_function);

		ret = VM_FAULT_NOPAGE;
		fpin = maybe_unlock_mmap_for_io(vmf, NULL);
		shmem_falloc_waitq = shmem_falloc->waitq;
		prepare_to_wait(shmem_falloc_waitq, &shmem_fault_wait,
				TASK_UNINTERRUPTIBLE);
		spin_unlock(&inode->i_lock);
		schedule();

		/*
		 * The queue was on the punching task's stack and may be gone:
		 * our entry is already off it, so finish_wait() leaves it
		 * alone; i_lock keeps us out of a wake_up_all() in progress.
		 */
		spin_lock(&inode->i_lock);
		finish_wait(shmem_falloc_waitq, &shmem_fault_wait);
	}
	spin_unlock(&inode->i_lock);
	if (fpin) {
		fput(fpin);
		ret = VM_FAULT_RETRY;
	}
	return ret;
}

static vm_fault_t shmem_falloc_fault_begin(struct vm_fault *vmf,
					   struct inode *inode)
{
	if (unlikely(inode->i_private))
		return shmem_falloc_wait(vmf, inode);
	return 0;
}

static void shmem_falloc_alloc_begin(struct inode *inode,
				     struct shmem_falloc *sf, pgoff_t start)
{
	sf->waitq = NULL;
	sf->start = start;
	sf->next = start;
	sf->nr_falloced = 0;
	sf->nr_unswapped = 0;
	shmem_falloc_publish(inode, sf);
}

static int shmem_falloc_alloc_check(struct inode *inode,
				    struct shmem_falloc *sf)
{
	if (sf->nr_unswapped > sf->nr_falloced)
		return -ENOMEM;
	return 0;
}

static void shmem_falloc_alloc_progress(struct inode *inode,
					struct shmem_falloc *sf,
					struct folio *folio, pgoff_t index)
{
	/* Tell shmem_writeout() how far we are: the folio lock orders it. */
	if (!folio_test_uptodate(folio))
		sf->nr_falloced += index - sf->next;
	sf->next = index;
}

static void shmem_falloc_alloc_end(struct inode *inode,
				   struct shmem_falloc *sf)
{
	shmem_falloc_publish(inode, NULL);
}

static bool shmem_falloc_writeout_unfalloced(struct folio *folio,
					     struct inode *inode)
{
	pgoff_t index = folio->index;

	if (inode->i_private) {
		struct shmem_falloc *shmem_falloc;

		spin_lock(&inode->i_lock);
		shmem_falloc = inode->i_private;
		if (shmem_falloc &&
		    !shmem_falloc->waitq &&
		    index >= shmem_falloc->start &&
		    index < shmem_falloc->next)
			shmem_falloc->nr_unswapped += folio_nr_pages(folio);
		else
			shmem_falloc = NULL;
		spin_unlock(&inode->i_lock);
		if (shmem_falloc)
			return true;
	}
	folio_zero_range(folio, 0, folio_size(folio));
	flush_dcache_folio(folio);
	folio_mark_uptodate(folio);
	return false;
}

static const struct shmem_excl_ops shmem_falloc_excl_ops = {
	.name			= "shmem_falloc",
	.falloc_begin		= excl_nop,
	.falloc_end		= excl_nop,
	.punch_begin		= shmem_falloc_punch_begin,
	.punch_end		= shmem_falloc_punch_end,
	.alloc_begin		= shmem_falloc_alloc_begin,
	.alloc_check		= shmem_falloc_alloc_check,
	.alloc_gfp		= excl_mapping_gfp,
	.alloc_progress		= shmem_falloc_alloc_progress,
	.alloc_end		= shmem_falloc_alloc_end,
	.fault_begin		= shmem_falloc_fault_begin,
	.fault_end		= excl_no_fault_end,
	.writeout_unfalloced	= shmem_falloc_writeout_unfalloced,
};

static void rfc_falloc_begin(struct inode *inode)
{
	filemap_invalidate_lock(inode->i_mapping);
}

static void rfc_falloc_end(struct inode *inode)
{
	filemap_invalidate_unlock(inode->i_mapping);
}

static vm_fault_t rfc_fault_begin(struct vm_fault *vmf, struct inode *inode)
{
	filemap_invalidate_lock_shared(vmf->vma->vm_file->f_mapping);
	return 0;
}

static void rfc_fault_end(struct vm_fault *vmf, struct inode *inode)
{
	filemap_invalidate_unlock_shared(vmf->vma->vm_file->f_mapping);
}

/* The RFC waits here for a fallocate in progress to finish. */
static bool rfc_writeout_unfalloced(struct folio *folio, struct inode *inode)
{
	struct address_space *mapping = folio->mapping;

	filemap_invalidate_lock_shared(mapping);
	folio_zero_range(folio, 0, folio_size(folio));
	flush_dcache_folio(folio);
	folio_mark_uptodate(folio);
	filemap_invalidate_unlock_shared(mapping);
	return false;
}

static const struct shmem_excl_ops rfc_excl_ops = {
	.name			= "rfc",
	.falloc_begin		= rfc_falloc_begin,
	.falloc_end		= rfc_falloc_end,
	.punch_begin		= excl_no_punch_begin,
	.punch_end		= excl_no_falloc,
	.alloc_begin		= excl_no_alloc_begin,
	.alloc_check		= excl_no_alloc_check,
	.alloc_gfp		= excl_mapping_gfp,
	.alloc_progress		= excl_no_alloc_progress,
	.alloc_end		= excl_no_falloc,
	.fault_begin		= rfc_fault_begin,
	.fault_end		= rfc_fault_end,
	.writeout_unfalloced	= rfc_writeout_unfalloced,
};

/* Never sleep in reclaim on a lock an allocating task may hold. */
static bool trylock_writeout_unfalloced(struct folio *folio,
					struct inode *inode)
{
	struct address_space *mapping = folio->mapping;

	if (!filemap_invalidate_trylock_shared(mapping))
		return true;	/* a fallocate is running: keep the folio */
	folio_zero_range(folio, 0, folio_size(folio));
	flush_dcache_folio(folio);
	folio_mark_uptodate(folio);
	filemap_invalidate_unlock_shared(mapping);
	return false;
}

static const struct shmem_excl_ops rfc_trylock_excl_ops = {
	.name			= "rfc-trylock",
	.falloc_begin		= rfc_falloc_begin,
	.falloc_end		= rfc_falloc_end,
	.punch_begin		= excl_no_punch_begin,
	.punch_end		= excl_no_falloc,
	.alloc_begin		= excl_no_alloc_begin,
	.alloc_check		= excl_no_alloc_check,
	.alloc_gfp		= excl_mapping_gfp,
	.alloc_progress		= excl_no_alloc_progress,
	.alloc_end		= excl_no_falloc,
	.fault_begin		= rfc_fault_begin,
	.fault_end		= rfc_fault_end,
	.writeout_unfalloced	= trylock_writeout_unfalloced,
};

static void fix_punch_begin(struct inode *inode, struct shmem_falloc *sf,
			    wait_queue_head_t *waitq, loff_t unmap_start,
			    loff_t unmap_end)
{
	sf->waitq = NULL;	/* faults wait on invalidate_lock instead */
	sf->start = (u64)unmap_start >> PAGE_SHIFT;
	sf->next = (unmap_end + 1) >> PAGE_SHIFT;
	shmem_falloc_publish(inode, sf);
}

static void fix_punch_end(struct inode *inode, struct shmem_falloc *sf)
{
	shmem_falloc_publish(inode, NULL);
}

static gfp_t fix_alloc_gfp(struct inode *inode, gfp_t gfp)
{
	/* Fail rather than OOM-kill once reclaim cannot make progress. */
	return gfp | __GFP_RETRY_MAYFAIL;
}

static bool fix_fault_in_punch(struct vm_fault *vmf, struct inode *inode)
{
	struct shmem_falloc *sf;
	bool inside;

	spin_lock(&inode->i_lock);
	sf = inode->i_private;
	inside = sf && vmf->pgoff >= sf->start && vmf->pgoff < sf->next;
	spin_unlock(&inode->i_lock);
	return inside;
}

static vm_fault_t fix_fault_begin(struct vm_fault *vmf, struct inode *inode)
{
	struct address_space *mapping = inode->i_mapping;
	struct file *fpin;

	if (likely(!inode->i_private) || !fix_fault_in_punch(vmf, inode))
		return 0;
	fpin = maybe_unlock_mmap_for_io(vmf, NULL);
	filemap_invalidate_lock_shared(mapping);	/* the punch is done */
	filemap_invalidate_unlock_shared(mapping);
	if (fpin) {
		fput(fpin);
		return VM_FAULT_RETRY;
	}
	return VM_FAULT_NOPAGE;
}

static const struct shmem_excl_ops fix_excl_ops = {
	.name			= "fix",
	.falloc_begin		= rfc_falloc_begin,
	.falloc_end		= rfc_falloc_end,
	.punch_begin		= fix_punch_begin,
	.punch_end		= fix_punch_end,
	.alloc_begin		= excl_no_alloc_begin,
	.alloc_check		= excl_no_alloc_check,
	.alloc_gfp		= fix_alloc_gfp,
	.alloc_progress		= excl_no_alloc_progress,
	.alloc_end		= excl_no_falloc,
	.fault_begin		= fix_fault_begin,
	.fault_end		= excl_no_fault_end,
	.writeout_unfalloced	= trylock_writeout_unfalloced,
};

DEFINE_VARIANT_AREA(shmem_falloc_area, "falloc",
	"how shmem_fallocate excludes faults and reclaim (chapter 3)",
	{ "shmem_falloc", "today's kernel: struct shmem_falloc in i_private" },
	{ "rfc", "the invalidate_lock RFC as posted (22 Jun 2026)" },
	{ "rfc-trylock", "the RFC; writeout only tries invalidate_lock" },
	{ "fix",
	  "invalidate_lock, range-limited waits, no OOM from fallocate" })

static const struct shmem_excl_ops *const shmem_excl_designs[] = {
	[EXCL_SHMEM_FALLOC]	= &shmem_falloc_excl_ops,
	[EXCL_RFC]		= &rfc_excl_ops,
	[EXCL_RFC_TRYLOCK]	= &rfc_trylock_excl_ops,
	[EXCL_FIX]		= &fix_excl_ops,
};

const struct shmem_excl_ops *shmem_excl(void)
{
	return shmem_excl_designs[variant_current(&shmem_falloc_area)];
}
