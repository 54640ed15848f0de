/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/06-mmap.nw (chapter 6); do not edit. */
/* mmap.h: the mmap_prepare path (chapter 6). */
#ifndef MMLIT_MMAP_H
#define MMLIT_MMAP_H

#include "mm.h"
#include "fs.h"

enum mmap_action_type {
	MMAP_NOTHING,
	MMAP_REMAP_PFN,
	MMAP_IO_REMAP_PFN,
};

struct mmap_action {
	enum mmap_action_type type;
	struct {
		unsigned long start;
		struct folio **pfns;	/* the model's page frames */
		unsigned long size;
	} remap;
	int (*success_hook)(const struct vm_area_struct *vma);
	int (*error_hook)(int err);
	bool hide_from_rmap_until_complete;
};

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif
#define VM_PFNMAP	0x00000400UL
#define VM_IO		0x00004000UL
#define VM_DONTEXPAND	0x00040000UL
#define VM_DONTDUMP	0x04000000UL
#define VM_MIXEDMAP	0x10000000UL
#define VM_SPECIAL	(VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
#define VM_REMAP_FLAGS	(VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP)

struct vm_area_desc {
	/* Immutable: which mapping this is. */
	struct mm_struct *const mm;
	struct file *const file;
	const unsigned long start;
	const unsigned long end;
	/* Mutable: the driver may change them. */
	pgoff_t pgoff;
	struct file *vm_file;
	vm_flags_t vm_flags;
	unsigned long page_prot;
	/* Write-only: the driver sets them. */
	const struct vm_operations_struct *vm_ops;
	void *private_data;
	/* v1: handed to mmap_complete or mmap_abort. */
	void *mmap_context;
	/* v2: what the mm does once the VMA is linked. */
	struct mmap_action action;
};

unsigned long mmap_region_prepare(struct file *file, unsigned long addr,
				  unsigned long len, vm_flags_t vm_flags,
				  unsigned long pgoff);
bool file_mmap_ops_valid(const struct file_operations *fop);
int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr,
		    struct folio **pfns, unsigned long size);
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
void remove_vma(struct mm_struct *mm, struct vm_area_struct *vma);

extern const struct file_operations shmem_file_operations_legacy;

struct mmap_req {
	unsigned long addr, len;
	vm_flags_t vm_flags;
	pgoff_t pgoff;
};
struct vm_area_struct *mmap_generic(struct file *file, struct mmap_req *req,
				    const struct vm_operations_struct *ops,
				    vm_flags_t set, void *private_data);
void mmap_undo(struct vm_area_struct *vma);

#endif /* MMLIT_MMAP_H */
