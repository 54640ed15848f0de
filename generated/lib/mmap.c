/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/06-mmap.nw (chapter 6); do not edit. */
#include "syscalls.h"
#include "fault.h"
#include "variant.h"
#include "mmap.h"

DEFINE_FAULT_SITE(fail_vma_iter_prealloc, "vma_iter_prealloc",
		  "the maple tree nodes for a new VMA");
DEFINE_FAULT_SITE(fail_remap_pfn_range, "remap_pfn_range",
		  "page tables for remap_pfn_range");
DEFINE_VARIANT_AREA(mmap_action_area, "mmap-action",
	"the error path of v2's mmap actions (chapter 6)",
	{ "fixed", "unlock the rmap lock before unmapping (f96e1d5f15b7)" },
	{ "unfixed", "unmap while holding i_mmap_rwsem, as first landed" })

static int desc_check_immutable(const struct vm_area_desc *desc,
				struct file *file, unsigned long addr,
				unsigned long len)
{
	if (WARN(desc->mm != current->mm || desc->file != file ||
		 desc->start != addr || desc->end != addr + len,
		 "mmap_prepare changed an immutable field"))
		return -EINVAL;
	return 0;
}

static bool vma_can_merge(const struct vm_area_struct *vma,
			  const struct vm_area_desc *desc)
{
	return vma->vm_file == desc->vm_file && vma->vm_flags == desc->vm_flags;
}

static void vma_remove_merged(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma->vm_file->f_mapping;

	vma_start_write(vma);
	list_del(&vma->vm_list);
	vma->vm_mm->map_count--;
	down_write(&mapping->i_mmap_rwsem);
	list_del(&vma->vm_shared);
	up_write(&mapping->i_mmap_rwsem);
	if (vma_is_shared_maywrite(vma))
		mapping_unmap_writable(mapping);
	fput(vma->vm_file);
	vm_area_free(vma);
}

static struct vm_area_struct *vma_merge_new_range(struct vm_area_desc *desc)
{
	struct vm_area_struct *vma, *prev = NULL, *next = NULL;
	pgoff_t pglen = (desc->end - desc->start) >> PAGE_SHIFT;
	bool left, right;

	if (desc->vm_flags & VM_SPECIAL)
		return NULL;
	list_for_each_entry(vma, &desc->mm->mmap, vm_list) {
		if (vma->vm_end == desc->start)
			prev = vma;
		if (vma->vm_start == desc->end)
			next = vma;
	}
	left = prev && vma_can_merge(prev, desc) &&
	       prev->vm_pgoff +
	       ((prev->vm_end - prev->vm_start) >> PAGE_SHIFT) == desc->pgoff;
	right = next && vma_can_merge(next, desc) &&
		desc->pgoff + pglen == next->vm_pgoff;
	if (left && right && next->vm_ops && next->vm_ops->close)
		right = false;
	if (left) {
		vma_start_write(prev);
		prev->vm_end = right ? next->vm_end : desc->end;
		if (right)
			vma_remove_merged(next);
		return prev;
	}
	if (right) {
		vma_start_write(next);
		next->vm_start = desc->start;
		next->vm_pgoff = desc->pgoff;
		return next;
	}
	return NULL;
}

static struct vm_area_struct *vma_from_desc(const struct vm_area_desc *desc)
{
	struct vm_area_struct *vma = vm_area_alloc(desc->mm);

	if (!vma)
		return NULL;
	vma->vm_start = desc->start;
	vma->vm_end = desc->end;
	vma->vm_pgoff = desc->pgoff;
	vma->vm_flags = desc->vm_flags;
	vma->vm_file = get_file(desc->vm_file);
	vma->vm_ops = desc->vm_ops;
	vma->vm_private_data = desc->private_data;
	return vma;
}

int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr,
		    struct folio **pfns, unsigned long size)
{
	struct mm_struct *mm = vma->vm_mm;
	int err = 0;

	if (addr < vma->vm_start || addr + size > vma->vm_end)
		return -EINVAL;
	vma->vm_flags |= VM_REMAP_FLAGS;
	spin_lock(&mm->page_table_lock);
	for (unsigned long i = 0; i < size >> PAGE_SHIFT && !err; i++) {
		if (should_fail(&fail_remap_pfn_range))
			err = -ENOMEM;
		else
			err = set_pte_at(mm, addr + i * PAGE_SIZE, pfns[i],
					 vma->vm_flags & VM_WRITE);
	}
	spin_unlock(&mm->page_table_lock);
	return err;
}

static void mmap_action_prepare(struct vm_area_desc *desc)
{
	if (desc->action.type == MMAP_REMAP_PFN ||
	    desc->action.type == MMAP_IO_REMAP_PFN)
		desc->vm_flags |= VM_REMAP_FLAGS;
}

static int mmap_action_finish(struct mmap_action *action,
			      struct vm_area_struct *vma, int err)
{
	if (!err && action->success_hook)
		err = action->success_hook(vma);
	if (!err)
		return 0;
	if (variant_current(&mmap_action_area) == 1)	/* unfixed */
		remove_vma(vma->vm_mm, vma);
	if (action->error_hook)
		err = action->error_hook(err);
	return err;
}

static int mmap_action_complete(struct mmap_action *action,
				struct vm_area_struct *vma)
{
	struct address_space *mapping = vma->vm_file->f_mapping;
	bool hidden = action->hide_from_rmap_until_complete;
	int err = 0;

	if (hidden)
		down_write(&mapping->i_mmap_rwsem);
	if (action->type == MMAP_REMAP_PFN ||
	    action->type == MMAP_IO_REMAP_PFN)
		err = remap_pfn_range(vma, action->remap.start,
				      action->remap.pfns, action->remap.size);
	err = mmap_action_finish(action, vma, err);
	if (hidden)
		up_write(&mapping->i_mmap_rwsem);
	if (err && variant_current(&mmap_action_area) == 0)
		remove_vma(vma->vm_mm, vma);
	return err;
}

unsigned long mmap_region_prepare(struct file *file, unsigned long addr,
				  unsigned long len, vm_flags_t vm_flags,
				  unsigned long pgoff)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_desc desc = {
		.mm = mm, .file = file, .start = addr, .end = addr + len,
		.pgoff = pgoff, .vm_file = file, .vm_flags = vm_flags,
	};
	struct vm_area_struct *vma;
	int err;

	err = file->f_op->mmap_prepare(&desc);
	if (err)
		return err;
	err = desc_check_immutable(&desc, file, addr, len);
	if (err)
		goto abort;
	mmap_action_prepare(&desc);
	vma = vma_merge_new_range(&desc);
	if (vma) {
		if (desc.vm_ops)
			vma->vm_ops = desc.vm_ops;
		vma->vm_private_data = desc.private_data;
		return addr;
	}
	err = -ENOMEM;
	vma = vma_from_desc(&desc);
	if (!vma)
		goto abort;
	if (vma_is_shared_maywrite(vma)) {
		err = mapping_map_writable(file->f_mapping);
		if (err)
			goto free_vma;
	}
	err = -ENOMEM;
	if (should_fail(&fail_vma_iter_prealloc))
		goto unmap_writable;
	vma_start_write(vma);
	vma_link(mm, vma);
	err = mmap_action_complete(&desc.action, vma);
	if (err)
		return err;
	if (file->f_op->mmap_complete) {
		err = file->f_op->mmap_complete(file, vma, desc.mmap_context);
		if (err) {
			remove_vma(mm, vma);
			return err;
		}
	}
	return addr;
unmap_writable:
	if (vma_is_shared_maywrite(vma))
		mapping_unmap_writable(file->f_mapping);
free_vma:
	fput(vma->vm_file);
	vm_area_free(vma);
abort:
	if (file->f_op->mmap_abort)
		file->f_op->mmap_abort(file, desc.private_data,
				       desc.mmap_context);
	return err;
}

struct vm_area_struct *mmap_generic(struct file *file, struct mmap_req *req,
				    const struct vm_operations_struct *ops,
				    vm_flags_t set, void *private_data)
{
	struct vm_area_desc desc = {
		.mm = current->mm, .file = file, .start = req->addr,
		.end = req->addr + req->len, .pgoff = req->pgoff,
		.vm_file = file, .vm_flags = req->vm_flags | set,
		.vm_ops = ops, .private_data = private_data,
	};
	struct vm_area_struct *vma = vma_from_desc(&desc);
	int err;

	if (!vma)
		return ERR_PTR(-ENOMEM);
	err = vma_is_shared_maywrite(vma) ?
	      mapping_map_writable(file->f_mapping) : 0;
	if (err)
		goto free_vma;
	if (should_fail(&fail_vma_iter_prealloc)) {
		err = -ENOMEM;
		if (vma_is_shared_maywrite(vma))
			mapping_unmap_writable(file->f_mapping);
		goto free_vma;
	}
	vma_start_write(vma);
	vma_link(current->mm, vma);
	return vma;
free_vma:
	fput(vma->vm_file);
	vm_area_free(vma);
	return ERR_PTR(err);
}

void mmap_undo(struct vm_area_struct *vma)
{
	vma_assert_write_locked(vma);
	remove_vma(vma->vm_mm, vma);
}

bool file_mmap_ops_valid(const struct file_operations *fop)
{
	if (fop->mmap_complete && !fop->mmap_prepare)
		return false;
	if (fop->mmap_abort && !(fop->mmap_prepare && fop->mmap_complete))
		return false;
	return true;
}
