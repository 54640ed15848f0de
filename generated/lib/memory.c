/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/85-mm.nw (appendix E); do not edit. */
#include "syscalls.h"
#include "fault.h"
#include "mmap.h"

#define MMAP_BASE	0x10000000UL
/* x86-64 with 4-level page tables: 128 TiB less the guard page. */
#define TASK_SIZE	((1UL << 47) - PAGE_SIZE)

DEFINE_FAULT_SITE(fail_vm_area_alloc, "vm_area_alloc",
		  "the VMA of a new mapping");

struct mm_struct *mm_alloc(void)
{
	static struct lock_class_key mmap_lock_key, ptl_key;
	struct mm_struct *mm = calloc(1, sizeof(*mm));

	BUG_ON(!mm);
	__init_rwsem(&mm->mmap_lock, "mm.mmap_lock", &mmap_lock_key);
	__spin_lock_init(&mm->page_table_lock, "mm.page_table_lock", &ptl_key);
	INIT_LIST_HEAD(&mm->mmap);
	xa_init(&mm->page_table);
	mm->mmap_base = MMAP_BASE;
	return mm;
}

void __mmap_write_unlock(struct mm_struct *mm, struct lock_site site)
{
	/* Ends every VMA write lock taken under this hold. */
	WRITE_ONCE(mm->mm_lock_seq, mm->mm_lock_seq + 1);
	__up(&mm->mmap_lock, 0, site);
}

void vma_start_write(struct vm_area_struct *vma)
{
	mmap_assert_write_locked(vma->vm_mm);
	vma->vm_lock_seq = vma->vm_mm->mm_lock_seq + 1;
}

bool vma_is_write_locked(const struct vm_area_struct *vma)
{
	return vma->vm_lock_seq == READ_ONCE(vma->vm_mm->mm_lock_seq) + 1 &&
	       lock_is_held_type(&vma->vm_mm->mmap_lock.dep_map, 0);
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	list_for_each_entry(vma, &mm->mmap, vm_list)
		if (addr < vma->vm_end)
			return vma;
	return NULL;
}

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	if (should_fail(&fail_vm_area_alloc))
		return NULL;
	vma = kzalloc(sizeof(*vma), GFP_KERNEL);
	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	INIT_LIST_HEAD(&vma->vm_list);
	INIT_LIST_HEAD(&vma->vm_shared);
	return vma;
}

void vm_area_free(struct vm_area_struct *vma)
{
	kfree(vma);
}

struct pte *pte_offset_map_lock(struct mm_struct *mm, unsigned long addr,
				spinlock_t **ptlp)
{
	*ptlp = &mm->page_table_lock;
	spin_lock(*ptlp);
	return xa_load(&mm->page_table, addr >> PAGE_SHIFT);
}

int set_pte_at(struct mm_struct *mm, unsigned long addr, struct folio *folio,
	       bool write)
{
	struct pte *pte;

	assert_spin_locked(&mm->page_table_lock);
	if (xa_load(&mm->page_table, addr >> PAGE_SHIFT))
		return -EEXIST;
	pte = malloc(sizeof(*pte));
	if (!pte)
		return -ENOMEM;
	pte->folio = folio;
	pte->write = write;
	pte->uffd_wp = false;
	if (xa_is_err(xa_store(&mm->page_table, addr >> PAGE_SHIFT, pte, 0))) {
		free(pte);
		return -ENOMEM;
	}
	folio_get(folio);
	atomic_inc(&folio->_mapcount);
	return 0;
}

/* The page-table pages for @addr, allocated before a fault asks anyone. */
int pte_alloc(struct mm_struct *mm, unsigned long addr)
{
	return xa_prealloc(&mm->page_table, addr >> PAGE_SHIFT);
}

void pte_clear(struct mm_struct *mm, unsigned long addr)
{
	struct pte *pte = xa_erase(&mm->page_table, addr >> PAGE_SHIFT);

	assert_spin_locked(&mm->page_table_lock);
	if (!pte)
		return;
	atomic_dec(&pte->folio->_mapcount);
	folio_put(pte->folio);
	free(pte);
}

void zap_page_range(struct vm_area_struct *vma, unsigned long start,
		    unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr;
	struct pte *pte;

	spin_lock(&mm->page_table_lock);
	xa_for_each_range(&mm->page_table, addr, pte, start >> PAGE_SHIFT,
			  (end - 1) >> PAGE_SHIFT)
		pte_clear(mm, addr << PAGE_SHIFT);
	spin_unlock(&mm->page_table_lock);
}

#define PTRS_PER_PTE	512	/* x86-64: one page table page */

unsigned long fault_around_pages = 65536 >> PAGE_SHIFT;

static bool should_fault_around(struct vm_fault *vmf)
{
	if (!vmf->vma->vm_ops->map_pages)
		return false;
	if (vmf->vma->vm_flags & (VM_UFFD_WP | VM_UFFD_MINOR))
		return false;
	return fault_around_pages > 1;
}

static vm_fault_t do_fault_around(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long nr_pages = fault_around_pages;
	unsigned long pte_off = (vmf->address >> PAGE_SHIFT) % PTRS_PER_PTE;
	unsigned long vma_off = vmf->pgoff - vma->vm_pgoff;
	unsigned long vma_pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	unsigned long from_pte, to_pte;
	vm_fault_t ret;

	from_pte = max(pte_off / nr_pages * nr_pages,	/* ALIGN_DOWN */
		       pte_off - min(pte_off, vma_off));
	to_pte = min(min(from_pte + nr_pages, (unsigned long)PTRS_PER_PTE),
		     pte_off + vma_pages - vma_off) - 1;
	preempt_disable();		/* the kernel's rcu_read_lock() */
	ret = vma->vm_ops->map_pages(vmf, vmf->pgoff + from_pte - pte_off,
				     vmf->pgoff + to_pte - pte_off);
	preempt_enable();
	return ret;
}

static bool map_one_cached(struct vm_fault *vmf, struct folio *folio,
			   pgoff_t index, pgoff_t max_idx)
{
	struct mm_struct *mm = vmf->vma->vm_mm;
	/* mod 2^64: an index below vmf->pgoff gives a lower address */
	unsigned long addr = vmf->address +
			     ((index - vmf->pgoff) << PAGE_SHIFT);
	bool mapped = false;
	spinlock_t *ptl;
	struct pte *pte;

	if (!folio_trylock(folio))
		return false;
	if (folio_test_uptodate(folio) && folio->mapping ==
	    vmf->vma->vm_file->f_mapping && index <= max_idx) {
		pte = pte_offset_map_lock(mm, addr, &ptl);
		if (!pte)
			mapped = !set_pte_at(mm, addr, folio, false);
		pte_unmap_unlock(pte, ptl);
	}
	folio_unlock(folio);
	return mapped;
}

vm_fault_t filemap_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff,
			     pgoff_t end_pgoff)
{
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;
	loff_t size = i_size_read(mapping->host);
	pgoff_t max_idx = (size + PAGE_SIZE - 1) / PAGE_SIZE - 1;
	vm_fault_t ret = 0;
	pgoff_t index;

	if (!size)
		return 0;
	for (index = start_pgoff; index <= end_pgoff; index++) {
		struct folio *folio;

		xa_lock(&mapping->i_pages);
		folio = __xa_load(&mapping->i_pages, index);
		if (folio && !xa_is_value(folio))
			folio_get(folio);
		else
			folio = NULL;
		xa_unlock(&mapping->i_pages);
		if (!folio)
			continue;
		if (map_one_cached(vmf, folio, index, max_idx) &&
		    index == vmf->pgoff)
			ret = VM_FAULT_NOPAGE;
		folio_put(folio);
	}
	return ret;
}

struct file *maybe_unlock_mmap_for_io(struct vm_fault *vmf, struct file *fpin)
{
	if (fpin)
		return fpin;
	if (fault_flag_allow_retry_first(vmf->flags) &&
	    !(vmf->flags & FAULT_FLAG_RETRY_NOWAIT)) {
		fpin = get_file(vmf->vma->vm_file);
		mmap_read_unlock(vmf->vma->vm_mm);
	}
	return fpin;
}

static struct folio *alloc_anon_folio(struct vm_fault *vmf)
{
	struct folio *folio = folio_alloc(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0);

	if (!folio)
		return NULL;
	if (mem_cgroup_charge(folio, vmf->vma->vm_mm, GFP_KERNEL)) {
		folio_put(folio);
		return NULL;
	}
	__folio_set_anon(folio);
	__folio_set_swapbacked(folio);
	return folio;
}

static vm_fault_t map_new_folio(struct vm_fault *vmf, struct folio *folio,
				bool write)
{
	struct mm_struct *mm = vmf->vma->vm_mm;
	spinlock_t *ptl;
	struct pte *pte = pte_offset_map_lock(mm, vmf->address, &ptl);
	vm_fault_t ret = VM_FAULT_NOPAGE;	/* raced: someone mapped it */

	if (!pte)
		ret = set_pte_at(mm, vmf->address, folio, write) ?
		      VM_FAULT_OOM : 0;
	pte_unmap_unlock(pte, ptl);
	return ret;
}

static vm_fault_t do_anonymous_page(struct vm_fault *vmf)
{
	struct folio *folio = alloc_anon_folio(vmf);
	vm_fault_t ret;

	if (!folio)
		return VM_FAULT_OOM;
	ret = map_new_folio(vmf, folio, vmf->vma->vm_flags & VM_WRITE);
	folio_put(folio);
	return ret;
}

static vm_fault_t __do_fault(struct vm_fault *vmf)
{
	vm_fault_t ret = vmf->vma->vm_ops->fault(vmf);

	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	if (!(ret & VM_FAULT_LOCKED))
		folio_lock(vmf->folio);
	return ret;
}

static vm_fault_t do_read_fault(struct vm_fault *vmf)
{
	vm_fault_t ret;

	if (should_fault_around(vmf)) {
		ret = do_fault_around(vmf);
		if (ret)
			return ret;
	}
	ret = __do_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	ret = map_new_folio(vmf, vmf->folio, false);
	folio_unlock(vmf->folio);
	folio_put(vmf->folio);
	return ret;
}

static vm_fault_t do_shared_fault(struct vm_fault *vmf)
{
	vm_fault_t ret = __do_fault(vmf);

	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	folio_mark_dirty(vmf->folio);
	ret = map_new_folio(vmf, vmf->folio, true);
	folio_unlock(vmf->folio);
	folio_put(vmf->folio);
	return ret;
}

static vm_fault_t do_cow_fault(struct vm_fault *vmf)
{
	struct folio *copy = alloc_anon_folio(vmf);
	vm_fault_t ret;

	if (!copy)
		return VM_FAULT_OOM;
	ret = __do_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) {
		folio_put(copy);
		return ret;
	}
	ret = folio_copy_data(copy, vmf->folio) ? VM_FAULT_OOM : 0;
	folio_unlock(vmf->folio);
	folio_put(vmf->folio);
	if (!ret)
		ret = map_new_folio(vmf, copy, true);
	folio_put(copy);
	return ret;
}

/* A write to a present read-only entry (PTL held on entry, dropped). */
static vm_fault_t do_wp_page(struct vm_fault *vmf, struct pte *pte,
			     spinlock_t *ptl)
{
	struct mm_struct *mm = vmf->vma->vm_mm;
	struct folio *old = pte->folio, *copy;
	vm_fault_t ret = 0;

	if (userfaultfd_pte_wp(vmf->vma, pte)) {	/* chapter 5 */
		pte_unmap_unlock(pte, ptl);
		return VM_FAULT_SIGBUS;
	}
	if (vmf->vma->vm_flags & VM_SHARED) {
		pte->write = true;
		folio_mark_dirty(old);
		pte_unmap_unlock(pte, ptl);
		return 0;
	}
	if (folio_test_anon(old)) {		/* our own copy already */
		pte->write = true;
		pte_unmap_unlock(pte, ptl);
		return 0;
	}
	folio_get(old);
	pte_unmap_unlock(pte, ptl);
	copy = alloc_anon_folio(vmf);
	if (!copy) {
		folio_put(old);
		return VM_FAULT_OOM;
	}
	if (folio_copy_data(copy, old)) {
		folio_put(old);
		folio_put(copy);
		return VM_FAULT_OOM;
	}
	folio_put(old);
	pte = pte_offset_map_lock(mm, vmf->address, &ptl);
	if (pte && pte->folio == old) {
		pte_clear(mm, vmf->address);
		/* the cleared entry's node may have gone: it can fail */
		if (set_pte_at(mm, vmf->address, copy, true))
			ret = VM_FAULT_OOM;
	}
	pte_unmap_unlock(pte, ptl);
	folio_put(copy);
	return ret;
}

vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags)
{
	struct vm_fault vmf = {
		.vma = vma, .address = address & PAGE_MASK, .flags = flags,
		.pgoff = linear_page_index(vma, address),
		.gfp_mask = vma->vm_file ?
			mapping_gfp_mask(vma->vm_file->f_mapping) : GFP_KERNEL,
	};
	spinlock_t *ptl;
	struct pte *pte;

	mmap_assert_locked(vma->vm_mm);
	if (pte_alloc(vma->vm_mm, vmf.address))
		return VM_FAULT_OOM;
	pte = pte_offset_map_lock(vma->vm_mm, vmf.address, &ptl);
	if (pte) {
		if (!(flags & FAULT_FLAG_WRITE) || pte->write) {
			pte_unmap_unlock(pte, ptl);
			return 0;
		}
		return do_wp_page(&vmf, pte, ptl);
	}
	pte_unmap_unlock(pte, ptl);
	if (userfaultfd_fault(&vmf))
		return VM_FAULT_SIGBUS;		/* chapter 5 */
	if (vma_is_anonymous(vma))
		return do_anonymous_page(&vmf);
	if (!vma->vm_ops->fault)
		return VM_FAULT_SIGBUS;
	if (!(flags & FAULT_FLAG_WRITE))
		return do_read_fault(&vmf);
	if (!(vma->vm_flags & VM_SHARED))
		return do_cow_fault(&vmf);
	return do_shared_fault(&vmf);
}

void __might_fault(struct lock_site site)
{
	struct mm_struct *mm = current->mm;

	if (pagefault_disabled())
		return;
	__might_sleep(site.file, site.line, site.func);
	if (mm) {
		lock_acquire(&mm->mmap_lock.dep_map, 0, 0, 1, site);
		lock_release(&mm->mmap_lock.dep_map, site);
	}
}

#define ACCESS_MAX_TRIES	1000

/*
 * Is the entry there and good for the access? Copy if so: 1. Not there: 0.
 * The host could not back a first write: -ENOMEM. PTL taken here.
 */
static int access_present(struct mm_struct *mm, unsigned long addr,
			  bool write, u8 *buf, size_t len)
{
	size_t off = addr & (PAGE_SIZE - 1);
	spinlock_t *ptl;
	struct pte *pte = pte_offset_map_lock(mm, addr, &ptl);
	int ok = pte && (!write || pte->write);

	if (pte && userfaultfd_pte_poisoned(pte))
		ok = -EBUSY;			/* chapter 5: SIGBUS */
	if (ok > 0 && write) {
		if (folio_write_data(pte->folio, off, buf, len))
			ok = -ENOMEM;
		else
			folio_mark_dirty(pte->folio);
	} else if (ok > 0) {
		folio_read_data(pte->folio, off, buf, len);
	}
	pte_unmap_unlock(pte, ptl);
	return ok;
}

int fault_in_user_page(unsigned long addr, bool write)
{
	struct mm_struct *mm = current->mm;
	unsigned int flags = FAULT_FLAG_USER | FAULT_FLAG_ALLOW_RETRY |
			     FAULT_FLAG_KILLABLE;

	if (write)
		flags |= FAULT_FLAG_WRITE;
	for (int tries = 0; tries < ACCESS_MAX_TRIES; tries++) {
		struct vm_area_struct *vma;
		vm_fault_t ret;

		mmap_read_lock(mm);
		vma = find_vma(mm, addr);
		if (!vma || addr < vma->vm_start ||
		    !(vma->vm_flags & (write ? VM_WRITE : VM_READ))) {
			mmap_read_unlock(mm);
			return -EFAULT;
		}
		ret = handle_mm_fault(vma, addr, flags);
		if (ret & VM_FAULT_RETRY) {	/* the lock was dropped */
			flags |= FAULT_FLAG_TRIED;
			continue;
		}
		mmap_read_unlock(mm);
		if (ret & VM_FAULT_SIGSEGV)
			return -EFAULT;
		if (ret & VM_FAULT_SIGBUS)
			return -EBUSY;
		if (ret & VM_FAULT_OOM)
			return -ENOMEM;
		if (!(ret & VM_FAULT_NOPAGE))
			return 0;
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	WARN(1, "fault at %#lx never resolved", addr);
	return -EBUSY;
}

static int user_access(unsigned long addr, bool write, u8 *buf, size_t len)
{
	for (int tries = 0; tries < ACCESS_MAX_TRIES; tries++) {
		int err = access_present(current->mm, addr, write, buf, len);

		if (err)
			return err > 0 ? 0 : err;
		err = fault_in_user_page(addr, write);
		if (err)
			return err;
	}
	WARN(1, "access at %#lx never succeeded", addr);
	return -EBUSY;
}

static int access_to_signal(int err)
{
	switch (err) {
	case 0:
		return 0;
	case -EFAULT:
		return -SIGSEGV;
	case -EBUSY:
		return -SIGBUS;
	default:
		return err;
	}
}

int user_load_byte(unsigned long addr, u8 *val)
{
	return access_to_signal(user_access(addr, false, val, 1));
}

int user_store_byte(unsigned long addr, u8 val)
{
	return access_to_signal(user_access(addr, true, &val, 1));
}

static unsigned long copy_user(unsigned long uaddr, u8 *buf, unsigned long n,
			       bool write)
{
	while (n) {
		size_t chunk = min_t(size_t, n,
				     PAGE_SIZE - (uaddr & (PAGE_SIZE - 1)));
		int ok = access_present(current->mm, uaddr, write, buf, chunk);

		if (ok < 0)
			return n;
		if (!ok) {
			if (pagefault_disabled() ||
			    fault_in_user_page(uaddr, write))
				return n;
			continue;
		}
		uaddr += chunk;
		buf += chunk;
		n -= chunk;
	}
	return 0;
}

unsigned long copy_from_user(void *to, unsigned long from, unsigned long n)
{
	might_fault();
	return copy_user(from, to, n, false);
}

unsigned long copy_to_user(unsigned long to, const void *from, unsigned long n)
{
	might_fault();
	return copy_user(to, (u8 *)from, n, true);
}

static vm_flags_t calc_vm_prot_bits(unsigned long prot)
{
	return ((prot & PROT_READ) ? VM_READ : 0) |
	       ((prot & PROT_WRITE) ? VM_WRITE : 0) |
	       ((prot & PROT_EXEC) ? VM_EXEC : 0);
}

void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *next;

	list_for_each_entry(next, &mm->mmap, vm_list)
		if (next->vm_start > vma->vm_start)
			break;
	list_add_tail(&vma->vm_list, &next->vm_list);
	mm->map_count++;
	if (vma->vm_file) {
		struct address_space *mapping = vma->vm_file->f_mapping;

		down_write(&mapping->i_mmap_rwsem);
		list_add_tail(&vma->vm_shared, &mapping->i_mmap);
		up_write(&mapping->i_mmap_rwsem);
	}
}

static unsigned long get_unmapped_area(struct mm_struct *mm,
				       unsigned long addr, unsigned long len,
				       unsigned long flags)
{
	struct vm_area_struct *vma;

	if (flags & MAP_FIXED_NOREPLACE) {
		if (len > TASK_SIZE || addr > TASK_SIZE - len)
			return -ENOMEM;
		if (addr & ~PAGE_MASK)
			return -EINVAL;
		return addr;
	}
	addr = mm->mmap_base;
	while ((vma = find_vma(mm, addr)) && vma->vm_start < addr + len)
		addr = vma->vm_end + PAGE_SIZE;
	if (len > TASK_SIZE || addr > TASK_SIZE - len)
		return -ENOMEM;
	return addr;
}

static unsigned long mmap_region(struct file *file, unsigned long addr,
				 unsigned long len, vm_flags_t vm_flags,
				 unsigned long pgoff)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int err;

	if (file && !file_mmap_ops_valid(file->f_op))
		return -EINVAL;
	if (file && file->f_op->mmap_prepare)
		return mmap_region_prepare(file, addr, len, vm_flags, pgoff);
	if (file && file->f_op->mmap_hook) {
		struct mmap_req req = { addr, len, vm_flags, pgoff };

		err = file->f_op->mmap_hook(file, &req);
		return err ? (unsigned long)err : addr;
	}
	vma = vm_area_alloc(mm);
	if (!vma)
		return -ENOMEM;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = vm_flags;
	vma->vm_pgoff = pgoff;
	if (file) {
		vma->vm_file = get_file(file);
		err = file->f_op->mmap(file, vma);
		if (err)
			goto free_vma;
		if (vma_is_shared_maywrite(vma)) {
			err = mapping_map_writable(file->f_mapping);
			if (err)
				goto close_vma;
		}
	}
	vma_link(mm, vma);
	return addr;
close_vma:
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
free_vma:
	zap_page_range(vma, vma->vm_start, vma->vm_end);
	if (vma->vm_file)
		fput(vma->vm_file);
	vm_area_free(vma);
	return err;
}

static unsigned long do_mmap(struct file *file, unsigned long addr,
			     unsigned long len, unsigned long prot,
			     unsigned long flags, unsigned long pgoff)
{
	struct mm_struct *mm = current->mm;
	vm_flags_t vm_flags;

	if (!len)
		return -EINVAL;
	len = round_up(len, PAGE_SIZE);
	if (!len)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	addr = get_unmapped_area(mm, addr, len, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if (flags & MAP_FIXED_NOREPLACE) {
		struct vm_area_struct *vma = find_vma(mm, addr);

		if (vma && vma->vm_start < addr + len)
			return -EEXIST;
	}
	vm_flags = calc_vm_prot_bits(prot) |
		   VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	switch (flags & 0x0f) {
	case MAP_SHARED:
		if (!file)
			return -EINVAL;		/* shared anonymous: not modeled */
		if (!(file->f_mode & FMODE_READ))
			return -EACCES;
		if ((prot & PROT_WRITE) && !(file->f_mode & FMODE_WRITE))
			return -EACCES;
		vm_flags |= VM_SHARED | VM_MAYSHARE;
		if (!(file->f_mode & FMODE_WRITE))
			vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
		break;
	case MAP_PRIVATE:
		if (file && !(file->f_mode & FMODE_READ))
			return -EACCES;
		break;
	default:
		return -EINVAL;
	}
	if (file && !file->f_op->mmap && !file->f_op->mmap_prepare &&
	    !file->f_op->mmap_hook)
		return -ENODEV;
	if (!(flags & MAP_FIXED_NOREPLACE))
		mm->mmap_base = addr + len + PAGE_SIZE;	/* a guard page */
	return mmap_region(file, addr, len, vm_flags, pgoff);
}

unsigned long ksys_mmap_pgoff(unsigned long addr, unsigned long len,
			      unsigned long prot, unsigned long flags, int fd,
			      unsigned long pgoff)
{
	struct file *file = NULL;
	unsigned long ret;

	if (flags & ~(unsigned long)(MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS |
				    MAP_FIXED_NOREPLACE))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = fget(fd);
		if (!file)
			return -EBADF;
	}
	mmap_write_lock(current->mm);
	ret = do_mmap(file, addr, len, prot, flags, pgoff);
	mmap_write_unlock(current->mm);
	if (file)
		fput(file);
	return ret;
}

void remove_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	list_del(&vma->vm_list);
	mm->map_count--;
	zap_page_range(vma, vma->vm_start, vma->vm_end);
	if (vma->vm_file) {
		struct address_space *mapping = vma->vm_file->f_mapping;

		down_write(&mapping->i_mmap_rwsem);
		list_del(&vma->vm_shared);
		up_write(&mapping->i_mmap_rwsem);
		if (vma_is_shared_maywrite(vma))
			mapping_unmap_writable(mapping);
	}
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	if (vma->vm_file)
		fput(vma->vm_file);
	vm_area_free(vma);
}

int ksys_munmap(unsigned long addr, size_t len)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	LIST_HEAD(uf);
	int ret = 0;

	if ((addr & ~PAGE_MASK) || !len)
		return -EINVAL;
	len = round_up(len, PAGE_SIZE);
	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start < addr + len) {
		if (vma->vm_start != addr || vma->vm_end != addr + len)
			ret = -EINVAL;	/* partial unmaps: not modeled */
		else	/* chapter 5 */
			ret = userfaultfd_unmap_prep(vma, addr, addr + len,
						     &uf);
		if (!ret)
			remove_vma(mm, vma);
	}
	mmap_write_unlock(mm);
	userfaultfd_unmap_complete(mm, &uf);
	return ret;
}

int ksys_mprotect(unsigned long addr, size_t len, unsigned long prot)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	vm_flags_t newflags;
	int ret = 0;

	if ((addr & ~PAGE_MASK) || !len)
		return -EINVAL;
	len = round_up(len, PAGE_SIZE);
	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr) {
		ret = -ENOMEM;
		goto out;
	}
	if (vma->vm_start != addr || vma->vm_end != addr + len) {
		ret = -EINVAL;			/* splits: not modeled */
		goto out;
	}
	newflags = (vma->vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC)) |
		   calc_vm_prot_bits(prot);
	/* Each VM_MAY* bit sits four bits above its VM_* bit. */
	if ((newflags & ~(newflags >> 4)) & (VM_READ | VM_WRITE | VM_EXEC)) {
		ret = -EACCES;
		goto out;
	}
	vma_start_write(vma);
	vma->vm_flags = newflags;
	if (!(newflags & VM_WRITE)) {
		unsigned long a;
		struct pte *pte;

		spin_lock(&mm->page_table_lock);
		xa_for_each_range(&mm->page_table, a, pte, addr >> PAGE_SHIFT,
				  (addr + len - 1) >> PAGE_SHIFT)
			pte->write = false;
		spin_unlock(&mm->page_table_lock);
	}
out:
	mmap_write_unlock(mm);
	return ret;
}

void mmput(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *n;

	userfaultfd_mm_release(mm);

	mmap_write_lock(mm);
	list_for_each_entry_safe(vma, n, &mm->mmap, vm_list)
		remove_vma(mm, vma);
	mmap_write_unlock(mm);
	xa_destroy(&mm->page_table);
	free(mm);
}
