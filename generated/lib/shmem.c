/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/02-seals-freeze.nw (chapter 2); do not edit. */
/* shmem.c: the shmem (tmpfs) file system of memfds, as mm/shmem.c. */
#include "shmem.h"
#include "mmap.h"
#include <pthread.h>

static const struct inode_operations shmem_inode_operations;
static const struct vm_operations_struct shmem_vm_ops;

#include "userfaultfd.h"

/* fs/attr.c: may the file grow to @offset? (No RLIMIT_FSIZE here.) */
static int inode_newsize_ok(const struct inode *inode, loff_t offset)
{
	if (offset < 0)
		return -EINVAL;
	if (inode->i_size < offset && offset > inode->i_sb->s_maxbytes)
		return -EFBIG;
	return 0;
}

/* fs/stat.c: i_blocks, in 512-byte units, under i_lock. */
static void inode_add_bytes(struct inode *inode, loff_t bytes)
{
	spin_lock(&inode->i_lock);
	inode->i_blocks += bytes >> 9;
	spin_unlock(&inode->i_lock);
}

static void inode_sub_bytes(struct inode *inode, loff_t bytes)
{
	spin_lock(&inode->i_lock);
	inode->i_blocks -= bytes >> 9;
	spin_unlock(&inode->i_lock);
}

/* include/linux/mm.h */
static vm_fault_t vmf_error(int err)
{
	if (err == -ENOMEM)
		return VM_FAULT_OOM;
	return VM_FAULT_SIGBUS;
}

/* fs/read_write.c */
static loff_t vfs_setpos(struct file *file, loff_t offset, loff_t maxsize)
{
	if (offset < 0 || offset > maxsize)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

static loff_t generic_file_llseek_size(struct file *file, loff_t offset,
				       int whence, loff_t maxsize, loff_t eof)
{
	switch (whence) {
	case SEEK_SET:
		break;
	case SEEK_END:
		offset += eof;
		break;
	case SEEK_CUR:
		if (offset == 0)
			return file->f_pos;
		offset += file->f_pos;
		break;
	default:
		return -EINVAL;
	}
	return vfs_setpos(file, offset, maxsize);
}

/* mm/truncate.c: take a locked folio out of the file and its mappings. */
static void truncate_inode_folio(struct address_space *mapping,
				 struct folio *folio)
{
	if (folio->mapping != mapping)
		return;
	if (folio_mapped(folio))
		unmap_mapping_range(mapping, folio_pos(folio),
				    folio_size(folio), 0);
	folio_clear_dirty(folio);
	filemap_remove_folio(folio);
}

static struct shmem_sb_info shmem_sbinfo;
static struct super_block *shm_sb;
static pthread_once_t shmem_once = PTHREAD_ONCE_INIT;

static struct inode *shmem_alloc_inode(struct super_block *sb)
{
	struct shmem_inode_info *info = kzalloc(sizeof(*info), GFP_KERNEL);

	return info ? &info->vfs_inode : NULL;
}

static void shmem_free_in_core_inode(struct inode *inode)
{
	kfree(SHMEM_I(inode));
}

static void shmem_evict_inode(struct inode *inode)
{
	if (shmem_mapping(inode->i_mapping)) {
		inode->i_size = 0;
		shmem_truncate_range(inode, 0, (loff_t)-1);
	}
	WARN_ON(inode->i_blocks);
}

static const struct super_operations shmem_ops = {
	.alloc_inode	= shmem_alloc_inode,
	.free_inode	= shmem_free_in_core_inode,
	.evict_inode	= shmem_evict_inode,
};

static void shmem_init(void)
{
	shm_sb = alloc_super("shm", &shmem_ops, &shmem_sbinfo);
	BUG_ON(!shm_sb);
	shm_sb->s_maxbytes = MAX_LFS_FILESIZE;
}

struct super_block *shmem_sb(void)
{
	pthread_once(&shmem_once, shmem_init);
	return shm_sb;
}

/* A fresh machine: the internal mount's defaults. */
static void shmem_reset(void)
{
	shmem_sbinfo.max_blocks = 0;
	shmem_sbinfo.noswap = false;
}
DEFINE_RESET_HOOK(shmem_reset)

static struct inode *shmem_get_inode(struct super_block *sb, umode_t mode,
				     unsigned long flags)
{
	struct shmem_inode_info *info;
	struct inode *inode;

	inode = new_inode(sb);
	if (!inode)
		return ERR_PTR(-ENOSPC);
	info = SHMEM_I(inode);
	spin_lock_init(&info->lock);
	info->seals = F_SEAL_SEAL;
	info->flags = (flags & VM_NORESERVE) ? SHMEM_F_NORESERVE : 0;
	inode->i_mode = mode;
	inode->i_op = &shmem_inode_operations;
	inode->i_fop = &shmem_file_operations;
	inode->i_mapping->a_ops = &shmem_aops;
	return inode;
}

struct file *shmem_file_setup(const char *name, loff_t size,
			      unsigned long flags)
{
	struct inode *inode;
	struct file *file;

	if (size < 0 || size > MAX_LFS_FILESIZE)
		return ERR_PTR(-EINVAL);
	inode = shmem_get_inode(shmem_sb(), S_IFREG | 0777, flags);
	if (IS_ERR(inode))
		return ERR_CAST(inode);
	inode->i_size = size;
	inode->i_unlinked = true;	/* It is unlinked */
	file = alloc_file(inode, FMODE_READ | FMODE_WRITE,
			  &shmem_file_operations);
	iput(inode);			/* the file holds its own reference */
	if (!file)
		return ERR_PTR(-ENOMEM);
	return file;
}

int shmem_inode_acct_blocks(struct inode *inode, long pages)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(inode->i_sb);
	long used = atomic_long_read(&sbinfo->used_blocks);

	might_sleep();
	for (;;) {
		long old;

		if (sbinfo->max_blocks && used + pages > sbinfo->max_blocks)
			return -ENOSPC;
		old = atomic_long_cmpxchg(&sbinfo->used_blocks, used,
					  used + pages);
		if (old == used)
			break;
		used = old;
	}
	inode_add_bytes(inode, (loff_t)pages << PAGE_SHIFT);
	return 0;
}

void shmem_inode_unacct_blocks(struct inode *inode, long pages)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(inode->i_sb);

	inode_sub_bytes(inode, (loff_t)pages << PAGE_SHIFT);
	atomic_long_sub(pages, &sbinfo->used_blocks);
}

bool shmem_recalc_inode(struct inode *inode, long alloced, long swapped)
{
	struct shmem_inode_info *info = SHMEM_I(inode);
	bool first_swapped = false;
	long freed;

	spin_lock(&info->lock);
	info->alloced += alloced;
	info->swapped += swapped;
	freed = info->alloced - info->swapped -
		READ_ONCE(inode->i_mapping->nrpages);
	/*
	 * Special case: shmem_writeout() raises swapped before nrpages is
	 * lowered, to stop a racing shmem_recalc_inode() from thinking that
	 * a page has been freed. Compensate here.
	 */
	if (swapped > 0) {
		if (info->swapped == (unsigned long)swapped)
			first_swapped = true;
		freed += swapped;
	}
	if (freed > 0)
		info->alloced -= freed;
	spin_unlock(&info->lock);

	if (freed > 0)
		shmem_inode_unacct_blocks(inode, freed);
	return first_swapped;
}

static int shmem_getattr(struct inode *inode, struct kstat *stat)
{
	struct shmem_inode_info *info = SHMEM_I(inode);

	if (info->alloced - info->swapped != inode->i_mapping->nrpages)
		shmem_recalc_inode(inode, 0, 0);
	generic_fillattr(inode, stat);
	return 0;
}

static int shmem_add_to_page_cache(struct folio *folio,
				   struct address_space *mapping,
				   pgoff_t index, void *expected, gfp_t gfp)
{
	void *cur;

	VM_BUG_ON(!folio_test_locked(folio));
	VM_BUG_ON(!folio_test_swapbacked(folio));

	folio_get(folio);		/* the page cache's reference */
	folio->mapping = mapping;
	folio->index = index;
	cur = xa_cmpxchg(&mapping->i_pages, index, expected, folio, gfp);
	if (cur != expected) {
		folio->mapping = NULL;
		folio_put(folio);
		return xa_is_err(cur) ? xa_err(cur) : -EEXIST;
	}
	mapping_nrpages_add(mapping, 1);
	mmlit_trace("page cache add folio #%lu index %lu", folio->serial,
		    index);
	return 0;
}

/* Writeout: the folio leaves, its swap entry takes its place. */
static void shmem_delete_from_page_cache(struct folio *folio, void *radswap)
{
	__filemap_remove_folio(folio, radswap);
	folio_put(folio);		/* the page cache's reference */
}

/* Truncation: free a swap entry if it is still there; pages freed. */
static long shmem_free_swap(struct address_space *mapping, pgoff_t index,
			    void *radswap)
{
	struct shmem_inode_info *info = SHMEM_I(mapping->host);
	long freed = 0;

	spin_lock(&info->lock);
	if (xa_cmpxchg(&mapping->i_pages, index, radswap, NULL, 0) == radswap) {
		swap_free(radix_to_swp_entry(radswap));
		freed = 1;
	}
	spin_unlock(&info->lock);
	return freed;
}

DEFINE_FAULT_SITE(shmem_alloc_folio_site, "shmem_alloc_folio",
		  "shmem's folio allocation (fault, write, fallocate, "
		  "swap-in)");

static struct folio *shmem_alloc_folio(gfp_t gfp, int order,
				       struct shmem_inode_info *info,
				       pgoff_t index)
{
	if (should_fail(&shmem_alloc_folio_site))
		return NULL;
	return folio_alloc(gfp, order);
}

static struct folio *shmem_alloc_and_add_folio(struct vm_fault *vmf,
		gfp_t gfp, struct inode *inode, pgoff_t index,
		struct mm_struct *fault_mm)
{
	struct address_space *mapping = inode->i_mapping;
	struct shmem_inode_info *info = SHMEM_I(inode);
	long pages = 1;
	struct folio *folio;
	int error;

	folio = shmem_alloc_folio(gfp, 0, info, index);
	if (!folio)
		return ERR_PTR(-ENOMEM);
	folio_lock(folio);
	__folio_set_swapbacked(folio);

	error = mem_cgroup_charge(folio, fault_mm, gfp);
	if (error) {
		if (filemap_get_entry(mapping, index))
			error = -EEXIST;
		goto unlock;
	}

	error = shmem_add_to_page_cache(folio, mapping, index, NULL, gfp);
	if (error)
		goto unlock;

	error = shmem_inode_acct_blocks(inode, pages);
	if (error) {
		long freed;

		/*
		 * Do a shmem_recalc_inode() to account for freed pages:
		 * except our folio is there in cache, so not quite balanced.
		 */
		spin_lock(&info->lock);
		freed = pages + info->alloced - info->swapped -
			READ_ONCE(mapping->nrpages);
		if (freed > 0)
			info->alloced -= freed;
		spin_unlock(&info->lock);
		if (freed > 0)
			shmem_inode_unacct_blocks(inode, freed);
		error = shmem_inode_acct_blocks(inode, pages);
		if (error) {
			filemap_remove_folio(folio);
			goto unlock;
		}
	}

	shmem_recalc_inode(inode, pages, 0);
	folio_add_lru(folio);
	return folio;

unlock:
	folio_unlock(folio);
	folio_put(folio);
	return ERR_PTR(error);
}

static int shmem_swapin_folio(struct inode *inode, pgoff_t index,
			      void *radswap, struct folio **foliop,
			      enum sgp_type sgp, gfp_t gfp,
			      struct vm_area_struct *vma,
			      vm_fault_t *fault_type)
{
	struct address_space *mapping = inode->i_mapping;
	struct mm_struct *fault_mm = vma ? vma->vm_mm : NULL;
	struct shmem_inode_info *info = SHMEM_I(inode);
	swp_entry_t swap = radix_to_swp_entry(radswap);
	struct folio *folio;
	int error;

	*foliop = NULL;
	folio = shmem_alloc_folio(gfp, 0, info, index);
	if (!folio)
		return -ENOMEM;
	folio_lock(folio);
	__folio_set_swapbacked(folio);
	error = mem_cgroup_charge(folio, fault_mm, gfp);
	if (error)
		goto failed;
	/* The slot stays while we read it: see shmem_free_swap(). */
	spin_lock(&info->lock);
	if (filemap_get_entry(mapping, index) != radswap) {
		spin_unlock(&info->lock);
		error = -EEXIST;
		goto failed;
	}
	error = swap_read_folio(folio, swap);	/* the model's: -ENOMEM */
	spin_unlock(&info->lock);
	if (error)
		goto failed;
	folio_mark_uptodate(folio);

	error = shmem_add_to_page_cache(folio, mapping, index, radswap, gfp);
	if (error)
		goto failed;
	shmem_recalc_inode(inode, 0, -1);
	if (fault_type)
		*fault_type |= VM_FAULT_MAJOR;
	folio_mark_dirty(folio);
	swap_free(swap);
	folio_add_lru(folio);
	*foliop = folio;
	return 0;

failed:
	folio_unlock(folio);
	folio_put(folio);
	return error;
}

int shmem_get_folio_gfp(struct inode *inode, pgoff_t index, loff_t write_end,
			struct folio **foliop, enum sgp_type sgp, gfp_t gfp,
			struct vm_fault *vmf, vm_fault_t *fault_type)
{
	struct vm_area_struct *vma = vmf ? vmf->vma : NULL;
	struct address_space *mapping = inode->i_mapping;
	struct mm_struct *fault_mm = vma ? vma->vm_mm : NULL;
	struct folio *folio;
	bool alloced;
	void *entry;
	int error;

	if (WARN_ON_ONCE(!shmem_mapping(mapping)))
		return -EINVAL;
	if (index > (pgoff_t)(MAX_LFS_FILESIZE >> PAGE_SHIFT))
		return -EFBIG;
repeat:
	if (sgp <= SGP_CACHE &&
	    ((loff_t)index << PAGE_SHIFT) >= i_size_read(inode))
		return -EINVAL;

	alloced = false;
	entry = filemap_get_entry(mapping, index);
	if (xa_is_value(entry)) {
		error = shmem_swapin_folio(inode, index, entry, &folio, sgp,
					   gfp, vma, fault_type);
		if (error == -EEXIST)
			goto repeat;
		*foliop = folio;
		return error;
	}
	if (entry) {
		folio = filemap_lock_folio(mapping, index);
		if (IS_ERR_OR_NULL(folio))
			goto repeat;
		/* Has the folio been truncated or swapped out? */
		if (unlikely(folio->mapping != mapping ||
			     folio->index != index)) {
			folio_unlock(folio);
			folio_put(folio);
			goto repeat;
		}
		if (folio_test_uptodate(folio))
			goto out;
		/* fallocated folio */
		if (sgp != SGP_READ)
			goto clear;
		folio_unlock(folio);
		folio_put(folio);
	}

	/*
	 * SGP_READ: succeed on hole, with NULL folio, letting caller zero.
	 * SGP_NOALLOC: fail on hole, with NULL folio, letting caller fail.
	 */
	*foliop = NULL;
	if (sgp == SGP_READ)
		return 0;
	if (sgp == SGP_NOALLOC)
		return -ENOENT;

	folio = shmem_alloc_and_add_folio(vmf, gfp, inode, index, fault_mm);
	if (IS_ERR(folio)) {
		error = PTR_ERR(folio);
		if (error == -EEXIST)
			goto repeat;
		return error;
	}
	alloced = true;
	/*
	 * Let SGP_FALLOC use the SGP_WRITE optimization on a new folio.
	 */
	if (sgp == SGP_FALLOC)
		sgp = SGP_WRITE;
clear:
	/*
	 * Let SGP_WRITE caller clear ends if write does not fill folio;
	 * but SGP_FALLOC on a folio fallocated earlier must initialize
	 * it now, lest undo on failure cancel our earlier guarantee.
	 */
	if (sgp != SGP_WRITE && !folio_test_uptodate(folio)) {
		folio_zero_range(folio, 0, folio_size(folio));
		flush_dcache_folio(folio);
		folio_mark_uptodate(folio);
	}

	/* Perhaps the file has been truncated since we checked */
	if (sgp <= SGP_CACHE &&
	    ((loff_t)index << PAGE_SHIFT) >= i_size_read(inode)) {
		error = -EINVAL;
		goto unlock;
	}
out:
	*foliop = folio;
	return 0;

	/*
	 * Error recovery.
	 */
unlock:
	if (alloced)
		filemap_remove_folio(folio);
	shmem_recalc_inode(inode, 0, 0);
	folio_unlock(folio);
	folio_put(folio);
	return error;
}

int shmem_get_folio(struct inode *inode, pgoff_t index, loff_t write_end,
		    struct folio **foliop, enum sgp_type sgp)
{
	return shmem_get_folio_gfp(inode, index, write_end, foliop, sgp,
				   mapping_gfp_mask(inode->i_mapping),
				   NULL, NULL);
}

struct folio *shmem_read_folio(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio;
	int error;

	error = shmem_get_folio_gfp(mapping->host, index, 0, &folio, SGP_CACHE,
				    mapping_gfp_mask(mapping), NULL, NULL);
	if (error)
		return ERR_PTR(error);
	folio_unlock(folio);
	return folio;
}

/* A partial page: the folio, swapped in if need be; NULL for a hole. */
static struct folio *shmem_get_partial_folio(struct inode *inode,
					     pgoff_t index)
{
	struct folio *folio;
	void *entry;

	/*
	 * At first avoid shmem_get_folio(,,,SGP_READ): that fails
	 * beyond i_size, and reports fallocated folios as holes.
	 */
	entry = filemap_get_entry(inode->i_mapping, index);
	if (!entry)
		return NULL;
	if (!xa_is_value(entry)) {
		folio = filemap_lock_folio(inode->i_mapping, index);
		if (!IS_ERR_OR_NULL(folio)) {
			if (folio->mapping == inode->i_mapping)
				return folio;
			/* The folio has been swapped out */
			folio_unlock(folio);
			folio_put(folio);
		}
	}
	/*
	 * But read a folio back from swap if any of it is within i_size
	 * (although in some cases this is just a waste of time).
	 */
	folio = NULL;
	shmem_get_folio(inode, index, 0, &folio, SGP_READ);
	return folio;
}

static void shmem_zero_partial(struct inode *inode, pgoff_t index,
			       size_t from, size_t to)
{
	struct folio *folio = shmem_get_partial_folio(inode, index);

	if (!folio)
		return;
	folio_mark_dirty(folio);
	folio_zero_range(folio, from, to - from);
	folio_unlock(folio);
	folio_put(folio);
}

void shmem_undo_range(struct inode *inode, loff_t lstart, loff_t lend,
		      bool unfalloc)
{
	struct address_space *mapping = inode->i_mapping;
	pgoff_t start = (lstart + PAGE_SIZE - 1) >> PAGE_SHIFT;
	pgoff_t end = (lend + 1) >> PAGE_SHIFT;	/* exclusive */
	size_t partial_start = lstart & (PAGE_SIZE - 1);
	size_t partial_end = (lend + 1) & (PAGE_SIZE - 1);
	long nr_swaps_freed = 0;
	pgoff_t index = start;

	if (lend == -1)
		end = -1;	/* unsigned, so actually very big */

	while (index < end) {
		struct folio *folio;
		void *entry;

		entry = xa_find(&mapping->i_pages, &index, end - 1);
		if (!entry)
			break;
		if (xa_is_value(entry)) {
			if (!unfalloc)
				nr_swaps_freed += shmem_free_swap(mapping, index,
								  entry);
			index++;
			continue;
		}
		folio = filemap_lock_folio(mapping, index);
		if (IS_ERR_OR_NULL(folio))
			continue;	/* gone meanwhile: look again */
		if (folio->mapping != mapping || folio->index != index) {
			folio_unlock(folio);
			folio_put(folio);
			continue;
		}
		if (!unfalloc || !folio_test_uptodate(folio))
			truncate_inode_folio(mapping, folio);
		folio_unlock(folio);
		folio_put(folio);
		index++;
	}

	if (!unfalloc && partial_start) {
		pgoff_t pindex = lstart >> PAGE_SHIFT;
		size_t top = PAGE_SIZE;

		if (lend != -1 && (pgoff_t)(lend >> PAGE_SHIFT) == pindex)
			top = (lend & (PAGE_SIZE - 1)) + 1;
		shmem_zero_partial(inode, pindex, partial_start, top);
	}
	if (!unfalloc && partial_end && lend != -1 &&
	    (!partial_start || (pgoff_t)(lstart >> PAGE_SHIFT) != end))
		shmem_zero_partial(inode, end, 0, partial_end);

	shmem_recalc_inode(inode, 0, -nr_swaps_freed);
}

void shmem_truncate_range(struct inode *inode, loff_t lstart, loff_t lend)
{
	shmem_undo_range(inode, lstart, lend, false);
}

DEFINE_VARIANT_AREA(shmem_freeze_area, "freeze",
	"where shmem_setattr checks SHMEM_F_MAPPING_FROZEN",
	{ "final", "v8 as merged: own check where the size changes" },
	{ "v6", "folded into the seal check: same size refused" },
	{ "v7", "both checks under newsize != oldsize" });

enum { FREEZE_FINAL, FREEZE_V6, FREEZE_V7 };

static bool shmem_seals_refuse_size(struct shmem_inode_info *info,
				    loff_t oldsize, loff_t newsize)
{
	return (newsize < oldsize && (info->seals & F_SEAL_SHRINK)) ||
	       (newsize > oldsize && (info->seals & F_SEAL_GROW));
}

/* v8, merged: the seal check alone, then the freeze where size changes. */
static int shmem_size_change_ok_final(struct shmem_inode_info *info,
				      loff_t oldsize, loff_t newsize)
{
	if (shmem_seals_refuse_size(info, oldsize, newsize))
		return -EPERM;
	if (newsize != oldsize) {
		if (info->flags & SHMEM_F_MAPPING_FROZEN)
			return -EPERM;
	}
	return 0;
}

/* v6 12/20: the freeze folded into the seal condition. */
static int shmem_size_change_ok_v6(struct shmem_inode_info *info,
				   loff_t oldsize, loff_t newsize)
{
	if ((info->flags & SHMEM_F_MAPPING_FROZEN) ||
	    shmem_seals_refuse_size(info, oldsize, newsize))
		return -EPERM;
	return 0;
}

/* v7 11/22: both under newsize != oldsize, the freeze first. */
static int shmem_size_change_ok_v7(struct shmem_inode_info *info,
				   loff_t oldsize, loff_t newsize)
{
	if (newsize != oldsize) {
		if (info->flags & SHMEM_F_MAPPING_FROZEN)
			return -EPERM;
		if (shmem_seals_refuse_size(info, oldsize, newsize))
			return -EPERM;
	}
	return 0;
}

static int shmem_size_change_ok(struct shmem_inode_info *info,
				loff_t oldsize, loff_t newsize)
{
	switch (variant_current(&shmem_freeze_area)) {
	case FREEZE_V6:
		return shmem_size_change_ok_v6(info, oldsize, newsize);
	case FREEZE_V7:
		return shmem_size_change_ok_v7(info, oldsize, newsize);
	default:
		return shmem_size_change_ok_final(info, oldsize, newsize);
	}
}

static int shmem_setattr(struct inode *inode, struct iattr *attr)
{
	struct shmem_inode_info *info = SHMEM_I(inode);
	int error;

	if ((attr->ia_valid & ATTR_SIZE) &&
	    (error = inode_newsize_ok(inode, attr->ia_size)))
		return error;

	if ((info->seals & F_SEAL_EXEC) && (attr->ia_valid & ATTR_MODE) &&
	    ((inode->i_mode ^ attr->ia_mode) & 0111))
		return -EPERM;

	if (S_ISREG(inode->i_mode) && (attr->ia_valid & ATTR_SIZE)) {
		loff_t oldsize = inode->i_size;
		loff_t newsize = attr->ia_size;

		/* protected by i_rwsem */
		error = shmem_size_change_ok(info, oldsize, newsize);
		if (error)
			return error;

		if (newsize != oldsize)
			i_size_write(inode, newsize);
		if (newsize <= oldsize) {
			loff_t holebegin = round_up(newsize, (loff_t)PAGE_SIZE);

			if (oldsize > holebegin)
				unmap_mapping_range(inode->i_mapping, holebegin,
						    0, 1);
			if (info->alloced)
				shmem_truncate_range(inode, newsize,
						     (loff_t)-1);
			/* unmap again to remove racily COWed private pages */
			if (oldsize > holebegin)
				unmap_mapping_range(inode->i_mapping, holebegin,
						    0, 1);
		}
	}
	if (attr->ia_valid & ATTR_MODE)
		inode->i_mode =
			(inode->i_mode & S_IFMT) | (attr->ia_mode & ~S_IFMT);
	return 0;
}

static int shmem_write_begin(struct file *file, struct address_space *mapping,
			     loff_t pos, unsigned int len,
			     struct folio **foliop)
{
	struct inode *inode = mapping->host;
	struct shmem_inode_info *info = SHMEM_I(inode);
	pgoff_t index = pos >> PAGE_SHIFT;
	struct folio *folio;
	int ret;

	/* i_rwsem is held by caller */
	if (unlikely(info->seals & (F_SEAL_GROW |
				   F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))) {
		if (info->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
			return -EPERM;
		if ((info->seals & F_SEAL_GROW) && pos + len > inode->i_size)
			return -EPERM;
	}
	if (unlikely((info->flags & SHMEM_F_MAPPING_FROZEN) &&
		     pos + len > inode->i_size))
		return -EPERM;

	ret = shmem_get_folio(inode, index, pos + len, &folio, SGP_WRITE);
	if (ret)
		return ret;
	*foliop = folio;
	return 0;
}

static int shmem_write_end(struct file *file, struct address_space *mapping,
			   loff_t pos, unsigned int len, unsigned int copied,
			   struct folio *folio)
{
	struct inode *inode = mapping->host;

	if (pos + copied > inode->i_size)
		i_size_write(inode, pos + copied);

	if (!folio_test_uptodate(folio)) {
		if (copied < folio_size(folio)) {
			size_t from = pos & (folio_size(folio) - 1);

			folio_zero_range(folio, 0, from);
			folio_zero_range(folio, from + copied,
					 folio_size(folio) - from - copied);
		}
		folio_mark_uptodate(folio);
	}
	folio_mark_dirty(folio);
	folio_unlock(folio);
	folio_put(folio);
	return copied;
}

static ssize_t shmem_file_write(struct file *file, const char *buf,
				size_t count, loff_t *ppos)
{
	struct inode *inode = file_inode(file);
	ssize_t ret;

	inode_lock(inode);
	ret = generic_write_checks(file, *ppos, count);
	if (ret <= 0)
		goto unlock;
	ret = generic_perform_write(file, buf, ret, *ppos);
	if (ret > 0)
		*ppos += ret;
unlock:
	inode_unlock(inode);
	return ret;
}

static ssize_t shmem_file_read(struct file *file, char *buf, size_t count,
			       loff_t *ppos)
{
	struct inode *inode = file_inode(file);
	loff_t pos = *ppos;
	ssize_t retval = 0;
	int error = 0;

	while (count) {
		pgoff_t index = pos >> PAGE_SHIFT;
		size_t offset = pos & (PAGE_SIZE - 1);
		struct folio *folio = NULL;
		pgoff_t end_index;
		loff_t i_size;
		size_t nr;

		i_size = i_size_read(inode);
		end_index = i_size >> PAGE_SHIFT;
		if (index > end_index)
			break;
		if (index == end_index) {
			nr = i_size & (PAGE_SIZE - 1);
			if (nr <= offset)
				break;
		}

		error = shmem_get_folio(inode, index, 0, &folio, SGP_READ);
		if (error) {
			if (error == -EINVAL)
				error = 0;
			break;
		}
		if (folio)
			folio_unlock(folio);

		/*
		 * We must evaluate after, since reads (unlike writes)
		 * are called without i_rwsem protection against truncate
		 */
		nr = PAGE_SIZE;
		i_size = i_size_read(inode);
		end_index = i_size >> PAGE_SHIFT;
		if (index == end_index) {
			nr = i_size & (PAGE_SIZE - 1);
			if (nr <= offset) {
				if (folio)
					folio_put(folio);
				break;
			}
		}
		nr = min(nr - offset, count);
		if (folio) {
			folio_read_data(folio, offset, buf + retval, nr);
			folio_put(folio);
		} else {
			memset(buf + retval, 0, nr);
		}
		retval += nr;
		pos += nr;
		count -= nr;
	}
	*ppos = pos;
	return retval ? retval : error;
}

static bool shmem_entry_is_data(struct address_space *mapping, pgoff_t index,
				void *entry)
{
	struct folio *folio;
	bool data;

	if (xa_is_value(entry))
		return true;
	folio = filemap_get_folio(mapping, index);
	if (IS_ERR_OR_NULL(folio))
		return false;
	data = folio_test_uptodate(folio);
	folio_put(folio);
	return data;
}

static loff_t mapping_seek_hole_data(struct address_space *mapping,
				     loff_t start, loff_t end, int whence)
{
	bool seek_data = (whence == SEEK_DATA);
	pgoff_t index = start >> PAGE_SHIFT;
	pgoff_t last = (end - 1) >> PAGE_SHIFT;

	if (end <= start)
		return -ENXIO;
	for (;;) {
		pgoff_t next = index;
		void *entry = xa_find(&mapping->i_pages, &next, last);
		bool data = entry && shmem_entry_is_data(mapping, next, entry);

		if (!seek_data && (!entry || next > index || !data))
			break;		/* a hole at index */
		if (!entry)
			return -ENXIO;	/* no data up to end */
		if (seek_data && data) {
			index = next;
			break;
		}
		if (next == last)
			return seek_data ? -ENXIO : end;
		index = next + 1;
	}
	return min(max(start, (loff_t)index << PAGE_SHIFT), end);
}

static loff_t shmem_file_llseek(struct file *file, loff_t offset, int whence)
{
	struct inode *inode = file_inode(file);

	if (whence != SEEK_DATA && whence != SEEK_HOLE)
		return generic_file_llseek_size(file, offset, whence,
						MAX_LFS_FILESIZE,
						i_size_read(inode));
	if (offset < 0)
		return -ENXIO;

	inode_lock(inode);
	/* We're holding i_rwsem so we can access i_size directly */
	offset = mapping_seek_hole_data(inode->i_mapping, offset,
					inode->i_size, whence);
	if (offset >= 0)
		offset = vfs_setpos(file, offset, MAX_LFS_FILESIZE);
	inode_unlock(inode);
	return offset;
}

long shmem_fallocate(struct file *file, int mode, loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(file);
	struct shmem_sb_info *sbinfo = SHMEM_SB(inode->i_sb);
	struct shmem_inode_info *info = SHMEM_I(inode);
	const struct shmem_excl_ops *excl = shmem_excl();
	struct shmem_falloc shmem_falloc = { 0 };
	pgoff_t start, index, end, undo_fallocend;
	int error;

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;

	inode_lock(inode);
	excl->falloc_begin(inode);

	if (info->flags & SHMEM_F_MAPPING_FROZEN) {
		mmlit_trace("shmem_fallocate: refused: frozen");
		error = -EPERM;
		goto out;
	}

	if (mode & FALLOC_FL_PUNCH_HOLE) {
		struct address_space *mapping = file->f_mapping;
		loff_t unmap_start = round_up(offset, (loff_t)PAGE_SIZE);
		loff_t unmap_end = round_down(offset + len, (loff_t)PAGE_SIZE) - 1;
		DECLARE_WAIT_QUEUE_HEAD_ONSTACK(shmem_falloc_waitq);

		/* protected by i_rwsem */
		if (info->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) {
			mmlit_trace("shmem_fallocate: refused: write-sealed");
			error = -EPERM;
			goto out;
		}

		excl->punch_begin(inode, &shmem_falloc, &shmem_falloc_waitq,
				  unmap_start, unmap_end);
		if ((u64)unmap_end > (u64)unmap_start)
			unmap_mapping_range(mapping, unmap_start,
					    1 + unmap_end - unmap_start, 0);
		shmem_truncate_range(inode, offset, offset + len - 1);
		/* No need to unmap again: hole-punching leaves COWed pages */
		excl->punch_end(inode, &shmem_falloc);
		error = 0;
		goto out;
	}

	/* We need to check rlimit even when FALLOC_FL_KEEP_SIZE */
	error = inode_newsize_ok(inode, offset + len);
	if (error)
		goto out;

	if ((info->seals & F_SEAL_GROW) && offset + len > inode->i_size) {
		mmlit_trace("shmem_fallocate: refused: grow-sealed");
		error = -EPERM;
		goto out;
	}

	start = offset >> PAGE_SHIFT;
	end = (offset + len + PAGE_SIZE - 1) >> PAGE_SHIFT;
	/* Try to avoid a swapstorm if len is impossible to satisfy */
	if (sbinfo->max_blocks && end - start > (pgoff_t)sbinfo->max_blocks) {
		error = -ENOSPC;
		goto out;
	}

	excl->alloc_begin(inode, &shmem_falloc, start);

	/*
	 * info->fallocend is only relevant when huge pages might be
	 * involved: to prevent split_huge_page() freeing fallocated
	 * pages when FALLOC_FL_KEEP_SIZE committed beyond i_size.
	 */
	undo_fallocend = info->fallocend;
	if (info->fallocend < end)
		info->fallocend = end;

	for (index = start; index < end; ) {
		struct folio *folio;

		/*
		 * Check for fatal signal so that we abort early in OOM
		 * situations. We don't want to abort in case of non-fatal
		 * signals as large fallocate can take noticeable time and
		 * e.g. periodic timers may result in fallocate constantly
		 * restarting.
		 */
		if (fatal_signal_pending(current))
			error = -EINTR;
		else
			error = excl->alloc_check(inode, &shmem_falloc);
		if (!error)
			error = shmem_get_folio_gfp(inode, index, offset + len,
					&folio, SGP_FALLOC,
					excl->alloc_gfp(inode,
						mapping_gfp_mask(inode->i_mapping)),
					NULL, NULL);
		if (error) {
			info->fallocend = undo_fallocend;
			/* Remove the !uptodate folios we added */
			if (index > start) {
				shmem_undo_range(inode,
					(loff_t)start << PAGE_SHIFT,
					((loff_t)index << PAGE_SHIFT) - 1, true);
			}
			goto undone;
		}
		/*
		 * Here is a more important optimization than it appears:
		 * a second SGP_FALLOC on the same large folio will clear it,
		 * making it uptodate and un-undoable if we fail later.
		 */
		index = folio->index + folio_nr_pages(folio);
		/* Beware 32-bit wraparound */
		if (!index)
			index--;

		excl->alloc_progress(inode, &shmem_falloc, folio, index);

		/*
		 * If !uptodate, leave it that way so that freeable folios
		 * can be recognized if we need to rollback on error later.
		 * But mark it dirty so that memory pressure will swap rather
		 * than free the folios we are allocating (and SGP_CACHE folios
		 * might still be clean: we now need to mark those dirty too).
		 */
		folio_mark_dirty(folio);
		folio_unlock(folio);
		folio_put(folio);
		cond_resched();
	}

	if (!(mode & FALLOC_FL_KEEP_SIZE) && offset + len > inode->i_size)
		i_size_write(inode, offset + len);
undone:
	excl->alloc_end(inode, &shmem_falloc);
out:
	excl->falloc_end(inode);
	if (!error)
		file_modified(file);
	inode_unlock(inode);
	return error;
}

static int seal_check_write(int seals, struct vm_area_struct *vma)
{
	if (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) {
		/*
		 * New PROT_WRITE and MAP_SHARED mmaps are not allowed when
		 * write seals are active.
		 */
		if ((vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_WRITE))
			return -EPERM;
		/*
		 * Since an F_SEAL_[FUTURE_]WRITE sealed memfd can be mapped
		 * as MAP_SHARED and read-only, take care to not allow
		 * mprotect to revert protections on such mappings. Private
		 * mappings stay COW-writable.
		 */
		if (vma->vm_flags & VM_SHARED)
			vma->vm_flags &= ~VM_MAYWRITE;
	}
	return 0;
}

static int shmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct shmem_inode_info *info = SHMEM_I(file_inode(file));
	int ret;

	ret = seal_check_write(info->seals, vma);
	if (ret)
		return ret;
	vma->vm_ops = &shmem_vm_ops;
	return 0;
}

vm_fault_t shmem_fault(struct vm_fault *vmf)
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	gfp_t gfp = mapping_gfp_mask(inode->i_mapping);
	const struct shmem_excl_ops *excl = shmem_excl();
	struct folio *folio = NULL;
	vm_fault_t ret;
	int err;

	ret = excl->fault_begin(vmf, inode);
	if (ret)
		return ret;

	WARN_ON_ONCE(vmf->folio != NULL);
	err = shmem_get_folio_gfp(inode, vmf->pgoff, 0, &folio, SGP_CACHE,
				  gfp, vmf, &ret);
	excl->fault_end(vmf, inode);
	if (err)
		return vmf_error(err);
	if (folio) {
		vmf->folio = folio;
		ret |= VM_FAULT_LOCKED;
	}
	return ret;
}

static const struct vm_operations_struct shmem_vm_ops = {
	.fault		= shmem_fault,
	.map_pages	= filemap_map_pages,	/* read faults: fault-around */
	.uffd_ops	= &shmem_uffd_ops,	/* chapter 5 */
};

DEFINE_FAULT_SITE(shmem_mfill_acct_site, "shmem_acct_blocks",
		  "shmem_inode_acct_blocks() on the userfaultfd fill path");

static int shmem_mfill_acct_blocks(struct inode *inode)
{
	if (should_fail(&shmem_mfill_acct_site))
		return -ENOSPC;
	return shmem_inode_acct_blocks(inode, 1);
}

int shmem_mfill_atomic_pte(struct vm_area_struct *dst_vma,
			   unsigned long dst_addr, unsigned long src_addr,
			   uffd_flags_t flags, struct folio **foliop)
{
	struct inode *inode = file_inode(dst_vma->vm_file);
	struct shmem_inode_info *info = SHMEM_I(inode);
	struct address_space *mapping = inode->i_mapping;
	gfp_t gfp = mapping_gfp_mask(mapping);
	pgoff_t pgoff = linear_page_index(dst_vma, dst_addr);
	struct folio *folio;
	int ret;

	if (shmem_mfill_acct_blocks(inode)) {
		/* a folio kept for the retry must not leak (claim UF5) */
		if (unlikely(*foliop)) {
			folio_put(*foliop);
			*foliop = NULL;
		}
		return -ENOMEM;
	}
	if (!*foliop) {
		ret = -ENOMEM;
		folio = shmem_alloc_folio(gfp, 0, info, pgoff);
		if (!folio)
			goto out_unacct_blocks;
		if (uffd_flags_mode_is(flags, MFILL_ATOMIC_COPY)) {
			if (unlikely(mfill_copy_folio(folio, src_addr, true))) {
				*foliop = folio;
				ret = -ENOENT;
				/* don't free the page */
				goto out_unacct_blocks;
			}
		} else {			/* ZEROPAGE */
			folio_zero_range(folio, 0, PAGE_SIZE);
		}
	} else {
		folio = *foliop;
		*foliop = NULL;
	}
	__folio_set_locked(folio);
	__folio_set_swapbacked(folio);
	__folio_mark_uptodate(folio);

	ret = -EFAULT;
	if (unlikely(pgoff >= DIV_ROUND_UP(i_size_read(inode), PAGE_SIZE)))
		goto out_release;
	ret = mem_cgroup_charge(folio, dst_vma->vm_mm, gfp);
	if (ret)
		goto out_release;
	ret = shmem_add_to_page_cache(folio, mapping, pgoff, NULL, gfp);
	if (ret)
		goto out_release;
	ret = mfill_atomic_install_pte(dst_vma, dst_addr, folio, true, flags);
	if (ret)
		goto out_delete_from_cache;
	shmem_recalc_inode(inode, 1, 0);
	folio_unlock(folio);
	folio_put(folio);		/* the model's PTE has its own */
	return 0;
	out_delete_from_cache:
	filemap_remove_folio(folio);
	out_release:
	folio_unlock(folio);
	folio_put(folio);
	out_unacct_blocks:
	shmem_inode_unacct_blocks(inode, 1);
	return ret;
}

static bool shmem_can_userfault(struct vm_area_struct *vma, vm_flags_t vm_flags)
{
	return true;			/* missing, minor and wp */
}

static struct folio *shmem_get_folio_noalloc(struct inode *inode,
					     pgoff_t pgoff)
{
	struct folio *folio;
	int err = shmem_get_folio(inode, pgoff, 0, &folio, SGP_NOALLOC);

	return err ? ERR_PTR(err) : folio;
}

static struct folio *shmem_mfill_folio_alloc(struct vm_area_struct *vma,
					     unsigned long addr)
{
	struct inode *inode = file_inode(vma->vm_file);
	struct address_space *mapping = inode->i_mapping;
	struct shmem_inode_info *info = SHMEM_I(inode);
	pgoff_t pgoff = linear_page_index(vma, addr);
	gfp_t gfp = mapping_gfp_mask(mapping);
	struct folio *folio;

	if (unlikely(pgoff >= DIV_ROUND_UP(i_size_read(inode), PAGE_SIZE)))
		return NULL;
	folio = shmem_alloc_folio(gfp, 0, info, pgoff);
	if (!folio)
		return NULL;
	if (mem_cgroup_charge(folio, vma->vm_mm, GFP_KERNEL)) {
		folio_put(folio);
		return NULL;
	}
	return folio;
}

static int shmem_mfill_reacct(struct inode *inode)
{
	struct shmem_inode_info *info = SHMEM_I(inode);
	long freed;

	spin_lock(&info->lock);
	freed = 1 + info->alloced - info->swapped -
		READ_ONCE(inode->i_mapping->nrpages);
	if (freed > 0)
		info->alloced -= freed;
	spin_unlock(&info->lock);
	if (freed > 0)
		shmem_inode_unacct_blocks(inode, freed);
	return shmem_mfill_acct_blocks(inode);
}

static int shmem_mfill_filemap_add(struct folio *folio,
				   struct vm_area_struct *vma,
				   unsigned long addr)
{
	struct inode *inode = file_inode(vma->vm_file);
	struct address_space *mapping = inode->i_mapping;
	pgoff_t pgoff = linear_page_index(vma, addr);
	gfp_t gfp = mapping_gfp_mask(mapping);
	int err;

	__folio_set_locked(folio);
	__folio_set_swapbacked(folio);
	err = shmem_add_to_page_cache(folio, mapping, pgoff, NULL, gfp);
	if (err)
		goto err_unlock;
	if (shmem_mfill_acct_blocks(inode) &&
	    (uffd_design() != UFFD_FIX || shmem_mfill_reacct(inode))) {
		err = -ENOMEM;
		goto err_delete_from_cache;
	}
	folio_add_lru(folio);
	shmem_recalc_inode(inode, 1, 0);
	return 0;

err_delete_from_cache:
	filemap_remove_folio(folio);
err_unlock:
	folio_unlock(folio);
	return err;
}

static void shmem_mfill_filemap_remove(struct folio *folio,
				       struct vm_area_struct *vma)
{
	struct inode *inode = file_inode(vma->vm_file);

	filemap_remove_folio(folio);
	if (uffd_design() != UFFD_RFC_NO_RECALC)
		shmem_recalc_inode(inode, 0, 0);
	folio_unlock(folio);
}

const struct vm_uffd_ops shmem_uffd_ops = {
	.can_userfault		= shmem_can_userfault,
	.get_folio_noalloc	= shmem_get_folio_noalloc,
	.alloc_folio		= shmem_mfill_folio_alloc,
	.filemap_add		= shmem_mfill_filemap_add,
	.filemap_remove		= shmem_mfill_filemap_remove,
};

static int memfd_check_seals_mmap(struct file *file, vm_flags_t *vm_flags)
{
	struct vm_area_struct flags_only = { .vm_flags = *vm_flags };
	int err;

	err = seal_check_write(SHMEM_I(file_inode(file))->seals, &flags_only);
	*vm_flags = flags_only.vm_flags;
	return err;
}

static int shmem_mmap_prepare(struct vm_area_desc *desc)
{
	int err = memfd_check_seals_mmap(desc->file, &desc->vm_flags);

	if (err)
		return err;
	desc->vm_ops = &shmem_vm_ops;
	return 0;
}

const struct file_operations shmem_file_operations_legacy = {
	.llseek		= shmem_file_llseek,
	.read		= shmem_file_read,
	.write		= shmem_file_write,
	.mmap		= shmem_mmap,
	.fallocate	= shmem_fallocate,
};

int shmem_writeout(struct folio *folio, struct writeback_control *wbc)
{
	struct address_space *mapping = folio->mapping;
	struct inode *inode = mapping->host;
	struct shmem_inode_info *info = SHMEM_I(inode);
	struct shmem_sb_info *sbinfo = SHMEM_SB(inode->i_sb);
	long nr_pages = folio_nr_pages(folio);
	swp_entry_t swap;

	if ((info->flags & SHMEM_F_LOCKED) || sbinfo->noswap)
		goto redirty;
	if (!total_swap_pages())
		goto redirty;

	/*
	 * If /sys/kernel/mm/transparent_hugepage/shmem_enabled were "always"
	 * or "force", large folios would be split here; the model has none.
	 *
	 * This is somewhat ridiculous, but without plumbing a SWAP_MAP_FALLOC
	 * value into swapfile.c, the only way we can correctly account for a
	 * fallocated folio arriving here is now to initialize it and write it.
	 * A fallocate still in progress keeps it (the exclusion hook).
	 */
	if (!folio_test_uptodate(folio) &&
	    shmem_excl()->writeout_unfalloced(folio, inode))
		goto redirty;

	if (!folio_alloc_swap(folio, &swap)) {
		BUG_ON(folio_mapped(folio));
		swap_write_folio(folio, swap);
		shmem_recalc_inode(inode, 0, nr_pages);
		shmem_delete_from_page_cache(folio, swp_to_radix_entry(swap));
		folio_unlock(folio);
		return 0;
	}
redirty:
	folio_mark_dirty(folio);
	return AOP_WRITEPAGE_ACTIVATE;	/* Return with folio locked */
}

static const struct inode_operations shmem_inode_operations = {
	.setattr	= shmem_setattr,
	.getattr	= shmem_getattr,
};

const struct file_operations shmem_file_operations = {
	.llseek		= shmem_file_llseek,
	.read		= shmem_file_read,
	.write		= shmem_file_write,
	.mmap_prepare	= shmem_mmap_prepare,	/* chapter 6 */
	.fallocate	= shmem_fallocate,
};

const struct address_space_operations shmem_aops = {
	.writeout	= shmem_writeout,
	.write_begin	= shmem_write_begin,
	.write_end	= shmem_write_end,
};
