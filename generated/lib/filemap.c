/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/84-memory.nw (appendix D); do not edit. */
#include "syscalls.h"

void address_space_init(struct address_space *mapping, struct inode *host)
{
	static struct lock_class_key invalidate_key, i_mmap_key;
	struct super_block *sb = host ? host->i_sb : NULL;

	memset(mapping, 0, sizeof(*mapping));
	mapping->host = host;
	xa_init(&mapping->i_pages);
	__init_rwsem(&mapping->invalidate_lock, "mapping.invalidate_lock",
		     sb ? &sb->s_invalidate_lock_key : &invalidate_key);
	__init_rwsem(&mapping->i_mmap_rwsem, "mapping.i_mmap_rwsem",
		     sb ? &sb->s_i_mmap_rwsem_key : &i_mmap_key);
	INIT_LIST_HEAD(&mapping->i_mmap);
	mapping->gfp_mask = GFP_HIGHUSER_MOVABLE;
}

#define FOLIO_WAIT_TABLE_SIZE	64
static struct wait_queue_head folio_wait_table[FOLIO_WAIT_TABLE_SIZE];

__attribute__((constructor)) static void folio_wait_table_init(void)
{
	static struct lock_class_key key;

	for (int i = 0; i < FOLIO_WAIT_TABLE_SIZE; i++)
		__init_waitqueue_head(&folio_wait_table[i], "folio_wait_table",
				      &key);
}

static struct wait_queue_head *folio_waitqueue(struct folio *folio)
{
	return &folio_wait_table[((unsigned long)folio >> 6) %
				 FOLIO_WAIT_TABLE_SIZE];
}

static bool __folio_trylock(struct folio *folio)
{
	if (__atomic_fetch_or(&folio->flags, BIT(PG_locked), __ATOMIC_ACQUIRE) &
	    BIT(PG_locked))
		return false;
	WRITE_ONCE(folio->lock_owner, current);
	return true;
}

static int folio_waits_for(const struct blocked_on *b, struct task_struct *self,
			   struct task_struct **out, int max)
{
	const struct folio *folio = b->obj;
	struct task_struct *owner = READ_ONCE(folio->lock_owner);

	if (!owner || !folio_test_locked(folio))
		return 0;
	out[0] = owner;
	return 1;
}

static int folio_lock_wait(struct folio *folio, int state,
			   struct lock_site site)
{
	struct wait_queue_head *wq = folio_waitqueue(folio);
	struct blocked_on b = {
		.kind = BLOCK_OWNER, .obj = folio, .what = "folio lock",
		.site = site, .waits_for = folio_waits_for,
	};
	DEFINE_WAIT(wait);
	int ret = 0;

	for (;;) {
		prepare_to_wait(wq, &wait, state);
		set_blocked_on(&b);
		if (__folio_trylock(folio))
			break;
		if (signal_pending_state(state, current)) {
			ret = -EINTR;
			break;
		}
		schedule();
		if (current->abort_pending) {
			finish_wait(wq, &wait);
			task_abort_if_pending();
		}
	}
	finish_wait(wq, &wait);
	return ret;
}

bool folio_trylock(struct folio *folio)
{
	sched_point(SP_TRY, folio);
	if (!__folio_trylock(folio))
		return false;
	sched_point(SP_LOCKED, folio);
	return true;
}

void __folio_lock(struct folio *folio, struct lock_site site)
{
	__might_sleep(site.file, site.line, site.func);	/* even if free */
	sched_point(SP_LOCK, folio);
	if (!__folio_trylock(folio))
		folio_lock_wait(folio, TASK_UNINTERRUPTIBLE, site);
	sched_point(SP_LOCKED, folio);
}

int __folio_lock_killable(struct folio *folio, struct lock_site site)
{
	__might_sleep(site.file, site.line, site.func);
	sched_point(SP_LOCK, folio);
	if (!__folio_trylock(folio) &&
	    folio_lock_wait(folio, TASK_KILLABLE, site))
		return -EINTR;
	sched_point(SP_LOCKED, folio);
	return 0;
}

void folio_unlock(struct folio *folio)
{
	struct wait_queue_head *wq = folio_waitqueue(folio);

	WARN_ON(!folio_test_locked(folio));
	WRITE_ONCE(folio->lock_owner, NULL);
	__atomic_and_fetch(&folio->flags, ~BIT(PG_locked), __ATOMIC_RELEASE);
	smp_mb();
	if (waitqueue_active(wq))
		wake_up_all(wq);
	sched_point(SP_UNLOCK, folio);
}

bool folio_mark_dirty(struct folio *folio)
{
	return !(__atomic_fetch_or(&folio->flags, BIT(PG_dirty),
				   __ATOMIC_SEQ_CST) & BIT(PG_dirty));
}

bool folio_clear_dirty_for_io(struct folio *folio)
{
	return __atomic_fetch_and(&folio->flags, ~BIT(PG_dirty),
				  __ATOMIC_SEQ_CST) & BIT(PG_dirty);
}

void folio_zero_range(struct folio *folio, size_t offset, size_t len)
{
	u8 *data = __atomic_load_n(&folio->data, __ATOMIC_ACQUIRE);

	if (data)
		memset(data + offset, 0, len);
}

void *filemap_get_entry(struct address_space *mapping, pgoff_t index)
{
	return xa_load(&mapping->i_pages, index);
}

struct folio *__filemap_get_folio(struct address_space *mapping, pgoff_t index,
				  unsigned int fgp_flags, gfp_t gfp)
{
	struct folio *folio;
	void *entry;
	int err;

repeat:
	xa_lock(&mapping->i_pages);
	entry = __xa_load(&mapping->i_pages, index);
	if (entry && !xa_is_value(entry))
		folio_get(entry);
	xa_unlock(&mapping->i_pages);
	if (entry && !xa_is_value(entry)) {
		folio = entry;
		if (fgp_flags & FGP_LOCK) {
			if (fgp_flags & FGP_NOWAIT) {
				if (!folio_trylock(folio)) {
					folio_put(folio);
					return ERR_PTR(-EAGAIN);
				}
			} else {
				folio_lock(folio);
			}
		}
		if (READ_ONCE(folio->mapping) != mapping || folio->index != index) {
			if (fgp_flags & FGP_LOCK)
				folio_unlock(folio);
			folio_put(folio);
			goto repeat;
		}
		return folio;
	}
	if (!(fgp_flags & FGP_CREAT))
		return ERR_PTR(-ENOENT);
	folio = filemap_alloc_folio(gfp, 0);
	if (!folio)
		return ERR_PTR(-ENOMEM);
	err = filemap_add_folio(mapping, folio, index, gfp);
	if (err) {
		folio_put(folio);
		if (err == -EEXIST)
			goto repeat;
		return ERR_PTR(err);
	}
	if (!(fgp_flags & FGP_LOCK))
		folio_unlock(folio);
	return folio;
}

int __filemap_add_folio(struct address_space *mapping, struct folio *folio,
			pgoff_t index, gfp_t gfp)
{
	void *old, *cur = NULL;

	VM_BUG_ON(!folio_test_locked(folio));
	folio_get(folio);			/* the page cache's reference */
	folio->mapping = mapping;
	folio->index = index;
	old = xa_load(&mapping->i_pages, index);
	if (old && !xa_is_value(old))
		goto exists;
	/* A value entry is a shadow: the new folio replaces it. */
	cur = xa_cmpxchg(&mapping->i_pages, index, old, folio, gfp);
	if (cur != old)
		goto exists;
	mapping_nrpages_add(mapping, 1);
	mmlit_trace("page cache add folio #%lu index %lu", folio->serial,
		    index);
	return 0;
exists:
	folio->mapping = NULL;
	folio_put(folio);
	return xa_is_err(cur) ? xa_err(cur) : -EEXIST;
}

int filemap_add_folio(struct address_space *mapping, struct folio *folio,
		      pgoff_t index, gfp_t gfp)
{
	int ret;

	__folio_set_locked(folio);
	WRITE_ONCE(folio->lock_owner, current);
	ret = mem_cgroup_charge(folio, NULL, gfp);
	if (!ret)
		ret = __filemap_add_folio(mapping, folio, index, gfp);
	if (ret) {
		mem_cgroup_uncharge(folio);
		WRITE_ONCE(folio->lock_owner, NULL);
		__folio_clear_locked(folio);
		return ret;
	}
	folio_add_lru(folio);
	return 0;
}

void __filemap_remove_folio(struct folio *folio, void *shadow)
{
	struct address_space *mapping = folio->mapping;
	void *old;

	VM_BUG_ON(!folio_test_locked(folio));
	old = xa_cmpxchg(&mapping->i_pages, folio->index, folio, shadow, 0);
	WARN_ON(old != folio);
	mapping_nrpages_add(mapping, -1);
	WRITE_ONCE(folio->mapping, NULL);	/* read unlocked */
	mmlit_trace("page cache remove folio #%lu index %lu", folio->serial,
		    folio->index);
}

void filemap_remove_folio(struct folio *folio)
{
	__filemap_remove_folio(folio, NULL);
	folio_put(folio);
}

void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart,
				loff_t lend)
{
	pgoff_t start = lstart >> PAGE_SHIFT;
	pgoff_t end = (pgoff_t)(lend >> PAGE_SHIFT);
	unsigned long index;
	void *entry;

	if (lend < lstart)
		return;
	xa_for_each_range(&mapping->i_pages, index, entry, start, end) {
		struct folio *folio = entry;
		loff_t pos = (loff_t)index << PAGE_SHIFT;
		size_t from = 0, to = PAGE_SIZE;

		if (xa_is_value(entry)) {
			xa_cmpxchg(&mapping->i_pages, index, entry, NULL, 0);
			continue;
		}
		folio = filemap_lock_folio(mapping, index);
		if (IS_ERR(folio))
			continue;
		if (folio->mapping != mapping)
			goto next;
		if (pos < lstart)
			from = lstart - pos;
		if (pos + (loff_t)PAGE_SIZE - 1 > lend)
			to = lend - pos + 1;
		if (from || to != PAGE_SIZE) {
			folio_zero_range(folio, from, to - from);
			goto next;
		}
		if (folio_mapped(folio))
			unmap_mapping_range(mapping, pos, PAGE_SIZE, 0);
		filemap_remove_folio(folio);
next:
		folio_unlock(folio);
		folio_put(folio);
	}
}

void truncate_inode_pages(struct address_space *mapping, loff_t lstart)
{
	truncate_inode_pages_range(mapping, lstart, LLONG_MAX);
}

static void zap_file_range(struct vm_area_struct *vma, pgoff_t first,
			   pgoff_t last, struct folio *only, int even_cows)
{
	pgoff_t vstart = vma->vm_pgoff;
	pgoff_t vend = vma->vm_pgoff +
		       ((vma->vm_end - vma->vm_start) >> PAGE_SHIFT) - 1;
	struct mm_struct *mm = vma->vm_mm;

	if (last < vstart || first > vend)
		return;
	if (first < vstart)
		first = vstart;
	if (last > vend)
		last = vend;
	for (pgoff_t pg = first; pg <= last; pg++) {
		unsigned long addr = vma->vm_start +
				     ((pg - vstart) << PAGE_SHIFT);
		spinlock_t *ptl;
		struct pte *pte = pte_offset_map_lock(mm, addr, &ptl);

		if (pte && (only ? pte->folio == only :
			    even_cows || !folio_test_anon(pte->folio)))
			pte_clear(mm, addr);
		pte_unmap_unlock(pte, ptl);
	}
}

void unmap_mapping_range(struct address_space *mapping, loff_t holebegin,
			 loff_t holelen, int even_cows)
{
	pgoff_t first = holebegin >> PAGE_SHIFT;
	pgoff_t last = holelen ?
		(pgoff_t)((holebegin + holelen - 1) >> PAGE_SHIFT) : ULONG_MAX;
	struct vm_area_struct *vma;

	down_read(&mapping->i_mmap_rwsem);
	list_for_each_entry(vma, &mapping->i_mmap, vm_shared)
		zap_file_range(vma, first, last, NULL, even_cows);
	up_read(&mapping->i_mmap_rwsem);
}

bool try_to_unmap(struct folio *folio)
{
	struct address_space *mapping = folio->mapping;
	struct vm_area_struct *vma;

	if (!mapping || folio_test_anon(folio))
		return !folio_mapped(folio);
	if (!down_read_trylock(&mapping->i_mmap_rwsem))
		return false;
	list_for_each_entry(vma, &mapping->i_mmap, vm_shared)
		zap_file_range(vma, folio->index, folio->index, folio, 0);
	up_read(&mapping->i_mmap_rwsem);
	return !folio_mapped(folio);
}
