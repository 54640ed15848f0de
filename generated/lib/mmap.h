/* SPDX-License-Identifier: GPL-2.0 */
/* mmap.h: the mmap_prepare path (chapter 6). */
#ifndef MMLIT_MMAP_H
#define MMLIT_MMAP_H

#include "mm.h"
#include "fs.h"

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
};

unsigned long mmap_region_prepare(struct file *file, unsigned long addr,
				  unsigned long len, vm_flags_t vm_flags,
				  unsigned long pgoff);
bool file_mmap_ops_valid(const struct file_operations *fop);
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
void remove_vma(struct mm_struct *mm, struct vm_area_struct *vma);

#endif /* MMLIT_MMAP_H */
