/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/06-mmap.nw (chapter 6); do not edit. */
#include <sys/mman.h>
#include "ktest.h"
#include "mmap.h"
#include "shmem.h"

#define DRV_PAGES	4

static struct drv {
	int prepare, complete, abort, faults, legacy;
	bool fail_prepare, fail_complete, bad_start, with_close;
	int closed;
	bool seen_vma, complete_locked, complete_linked;
	struct folio *pfn[DRV_PAGES];
	int refs;
} drv;
static DEFINE_MUTEX(drv_lock);

static void drv_reset(void)
{
	for (int i = 0; i < DRV_PAGES; i++)
		if (drv.pfn[i])
			folio_put(drv.pfn[i]);
	memset(&drv, 0, sizeof(drv));
}

static vm_fault_t drv_fault(struct vm_fault *vmf)
{
	drv.faults++;
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct drv_vm_ops = {
	.fault = drv_fault,
};

static void drv_close(struct vm_area_struct *vma)
{
	drv.closed++;
}

static const struct vm_operations_struct drv_close_vm_ops = {
	.fault = drv_fault,
	.close = drv_close,
};

static int plain_mmap_prepare(struct vm_area_desc *desc)
{
	drv.prepare++;
	drv.seen_vma = find_vma(desc->mm, desc->start) &&
		       find_vma(desc->mm, desc->start)->vm_start < desc->end;
	if (drv.fail_prepare)
		return -EINVAL;
	if (drv.bad_start)
		*(unsigned long *)&desc->start += PAGE_SIZE;
	desc->vm_flags |= VM_NORESERVE;
	desc->vm_ops = drv.with_close ? &drv_close_vm_ops : &drv_vm_ops;
	desc->private_data = &drv;
	return 0;
}

static int plain_mmap(struct file *file, struct vm_area_struct *vma)
{
	drv.legacy++;
	drv.seen_vma = find_vma(vma->vm_mm, vma->vm_start) == vma;
	drv.complete_locked = vma_is_write_locked(vma);
	vma->vm_flags |= VM_NORESERVE;
	vma->vm_ops = &drv_vm_ops;
	if (drv.bad_start)
		vma->vm_end = vma->vm_start + PAGE_SIZE;
	return 0;
}

static const struct file_operations plain_v1_fops = {
	.mmap_prepare = plain_mmap_prepare,
};
static const struct file_operations plain_legacy_fops = {
	.mmap = plain_mmap,
};

static int drv_remap(struct vm_area_struct *vma)
{
	for (int i = 0; i < DRV_PAGES; i++)
		if (!drv.pfn[i] && !(drv.pfn[i] = folio_alloc(GFP_KERNEL, 0)))
			return -ENOMEM;
	return remap_pfn_range(vma, vma->vm_start, drv.pfn,
			       DRV_PAGES * PAGE_SIZE);
}

static int prepop_mmap_complete(struct file *file, struct vm_area_struct *vma,
				const void *context)
{
	int err;

	drv.complete++;
	drv.complete_locked = vma_is_write_locked(vma);
	drv.complete_linked = find_vma(vma->vm_mm, vma->vm_start) == vma &&
			      !list_empty(&vma->vm_shared);
	err = drv_remap(vma);
	if (!err && drv.fail_complete)
		err = -EIO;
	return err;
}

static int prepop_mmap(struct file *file, struct vm_area_struct *vma)
{
	drv.legacy++;
	vma->vm_ops = &drv_vm_ops;
	return drv_remap(vma);
}

static const struct file_operations prepop_v1_fops = {
	.mmap_prepare = plain_mmap_prepare,
	.mmap_complete = prepop_mmap_complete,
};
static const struct file_operations prepop_legacy_fops = {
	.mmap = prepop_mmap,
};

static int hold_mmap_prepare(struct vm_area_desc *desc)
{
	int err = plain_mmap_prepare(desc);

	if (err)
		return err;
	mutex_lock(&drv_lock);
	drv.refs++;
	return 0;
}

static void hold_release(void)
{
	drv.refs--;
	mutex_unlock(&drv_lock);
}

static int hold_mmap_complete(struct file *file, struct vm_area_struct *vma,
			      const void *context)
{
	int err = prepop_mmap_complete(file, vma, context);

	hold_release();
	return err;
}

static void hold_mmap_abort(const struct file *file,
			    const void *vm_private_data, const void *context)
{
	drv.abort++;
	hold_release();
}

static int hold_mmap(struct file *file, struct vm_area_struct *vma)
{
	int err;

	mutex_lock(&drv_lock);
	drv.refs++;
	err = prepop_mmap(file, vma);
	hold_release();
	return err;
}

static const struct file_operations hold_v1_fops = {
	.mmap_prepare = hold_mmap_prepare,
	.mmap_complete = hold_mmap_complete,
	.mmap_abort = hold_mmap_abort,
};
static const struct file_operations hold_legacy_fops = {
	.mmap = hold_mmap,
};

static int v2_success(const struct vm_area_struct *vma)
{
	drv.complete++;
	drv.complete_locked = vma_is_write_locked(vma);
	drv.complete_linked = find_vma(vma->vm_mm, vma->vm_start) == vma;
	return drv.fail_complete ? -EIO : 0;
}

static int v2_error(int err)
{
	drv.abort++;
	return err;
}

static int prepop_v2_mmap_prepare(struct vm_area_desc *desc)
{
	int err = plain_mmap_prepare(desc);

	for (int i = 0; !err && i < DRV_PAGES; i++)
		if (!drv.pfn[i] && !(drv.pfn[i] = folio_alloc(GFP_KERNEL, 0)))
			err = -ENOMEM;
	if (err)
		return err;
	desc->action.type = MMAP_REMAP_PFN;
	desc->action.remap.start = desc->start;
	desc->action.remap.pfns = drv.pfn;
	desc->action.remap.size = desc->end - desc->start;
	desc->action.success_hook = v2_success;
	desc->action.error_hook = v2_error;
	desc->action.hide_from_rmap_until_complete = true;
	return 0;
}

static int hold_v2_success(const struct vm_area_struct *vma)
{
	mutex_lock(&drv_lock);
	drv.refs++;
	hold_release();
	return v2_success(vma);
}

static int hold_v2_mmap_prepare(struct vm_area_desc *desc)
{
	int err = prepop_v2_mmap_prepare(desc);

	desc->action.success_hook = hold_v2_success;
	/* Not under i_mmap_rwsem: see the sweep of every site. */
	desc->action.hide_from_rmap_until_complete = false;
	return err;
}

static const struct file_operations prepop_v2_fops = {
	.mmap_prepare = prepop_v2_mmap_prepare,
};
static const struct file_operations hold_v2_fops = {
	.mmap_prepare = hold_v2_mmap_prepare,
};

static int hold_plain_mmap_complete(struct file *file,
				    struct vm_area_struct *vma,
				    const void *context)
{
	drv.complete++;
	hold_release();
	return 0;
}

static const struct file_operations holdplain_v1_fops = {
	.mmap_prepare = hold_mmap_prepare,
	.mmap_complete = hold_plain_mmap_complete,
	.mmap_abort = hold_mmap_abort,
};

static int hooked_v2_mmap_prepare(struct vm_area_desc *desc)
{
	desc->action.success_hook = v2_success;
	desc->action.error_hook = v2_error;
	return plain_mmap_prepare(desc);
}

static const struct file_operations hooked_v2_fops = {
	.mmap_prepare = hooked_v2_mmap_prepare,
};

static bool jk_forget_undo;

static int prepop_jk_hook(struct file *file, struct mmap_req *req)
{
	struct vm_area_struct *vma;
	int err = 0;

	for (int i = 0; !err && i < DRV_PAGES; i++)
		if (!drv.pfn[i] && !(drv.pfn[i] = folio_alloc(GFP_KERNEL, 0)))
			err = -ENOMEM;
	if (err)
		return err;
	vma = mmap_generic(file, req, &drv_vm_ops, VM_NORESERVE, &drv);
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	err = remap_pfn_range(vma, vma->vm_start, drv.pfn, req->len);
	if (err && !jk_forget_undo)
		mmap_undo(vma);
	return err;
}

static int plain_jk_hook(struct file *file, struct mmap_req *req)
{
	struct vm_area_struct *vma;

	vma = mmap_generic(file, req, &drv_vm_ops, VM_NORESERVE, &drv);
	return IS_ERR(vma) ? PTR_ERR(vma) : 0;
}

static int hold_jk_hook(struct file *file, struct mmap_req *req)
{
	int err;

	mutex_lock(&drv_lock);
	drv.refs++;
	err = prepop_jk_hook(file, req);
	hold_release();
	return err;
}

static const struct file_operations plain_jk_fops = {
	.mmap_hook = plain_jk_hook,
};
static const struct file_operations prepop_jk_fops = {
	.mmap_hook = prepop_jk_hook,
};
static const struct file_operations hold_jk_fops = {
	.mmap_hook = hold_jk_hook,
};

static int drv_open(const struct file_operations *fops)
{
	static struct super_block *sb;
	struct inode *inode;
	struct file *file;
	int fd;

	if (!sb)
		sb = alloc_super("drvfs", NULL, NULL);
	inode = new_inode(sb);
	ck_assert_ptr_nonnull(inode);
	file = alloc_file(inode, FMODE_READ | FMODE_WRITE, fops);
	iput(inode);
	ck_assert_ptr_nonnull(file);
	fd = fd_install_new(file);
	ck_assert_int_ge(fd, 0);
	drv_reset();
	return fd;
}

static unsigned long drv_map(int fd)
{
	return ksys_mmap_pgoff(0, DRV_PAGES * PAGE_SIZE,
			       PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
}

static void assert_nothing_left(int fd)
{
	struct mm_struct *mm = current->mm;
	struct file *file = fget(fd);

	ck_assert_int_eq(mm->map_count, 0);
	ck_assert(list_empty(&mm->mmap));
	ck_assert(xa_empty(&mm->page_table));
	ck_assert(list_empty(&file->f_mapping->i_mmap));
	ck_assert_int_eq(atomic_read(&file->f_mapping->i_mmap_writable), 0);
	/* The fd table's reference and fget's: none from a mapping. */
	ck_assert_int_eq(atomic_long_read(&file->f_count), 2);
	for (int i = 0; i < DRV_PAGES; i++)
		ck_assert(!drv.pfn[i] ||
			  (atomic_read(&drv.pfn[i]->_mapcount) == 0 &&
			   folio_ref_count(drv.pfn[i]) == 1));
	ck_assert(!mutex_is_locked(&drv_lock));
	ck_assert_int_eq(drv.refs, 0);
	ck_assert_int_eq(current->lockdep_depth, 0);
	fput(file);
}

static void mp1_seal_cases(const struct file_operations *fops, long res[4])
{
	int fd = ksys_memfd_create("m", MFD_ALLOW_SEALING);
	struct file *file = fget(fd);
	unsigned long a;

	ck_assert_int_eq(ksys_ftruncate(fd, PAGE_SIZE), 0);
	ck_assert_int_eq(ksys_fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), 0);
	file->f_op = fops;
	fput(file);
	res[0] = (long)ksys_mmap_pgoff(0, PAGE_SIZE, PROT_READ | PROT_WRITE,
				       MAP_SHARED, fd, 0);
	a = ksys_mmap_pgoff(0, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	ck_assert(!IS_ERR_VALUE(a));
	res[1] = ksys_mprotect(a, PAGE_SIZE, PROT_READ | PROT_WRITE);
	a = ksys_mmap_pgoff(0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE, fd, 0);
	res[2] = IS_ERR_VALUE(a) ? (long)a : 0;
	res[3] = user_store_byte(a, 1);
	ksys_close(fd);
}

START_TEST(mp1_shmem_seals_same_through_mmap_prepare)
{
	long legacy[4], prepare[4];

	mp1_seal_cases(&shmem_file_operations_legacy, legacy);
	mp1_seal_cases(&shmem_file_operations, prepare);
	ck_assert_int_eq(legacy[0], -EPERM);
	ck_assert_int_eq(legacy[1], -EACCES);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(prepare[i], legacy[i]);
	ck_assert_int_eq(legacy[2], 0);
	ck_assert_int_eq(legacy[3], 0);
}
END_TEST

START_TEST(mp1_frozen_memfd_maps_shared_writable)
{
	int fd = ksys_memfd_create("m", 0);
	unsigned long a;
	u8 byte = 0;

	ck_assert_int_eq(ksys_ftruncate(fd, PAGE_SIZE), 0);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, true), 0);
	a = ksys_mmap_pgoff(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			    fd, 0);
	ck_assert(!IS_ERR_VALUE(a));
	ck_assert_int_eq(user_store_byte(a, 7), 0);
	ck_assert_int_eq(ksys_pread64(fd, &byte, 1, 0), 1);
	ck_assert_int_eq(byte, 7);
	ck_assert_int_eq(ksys_ftruncate(fd, 2 * PAGE_SIZE), -EPERM);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, false), 0);
	ksys_close(fd);
}
END_TEST

START_TEST(mp1_prepare_sees_no_vma_and_its_fields_land)
{
	int fd = drv_open(&plain_v1_fops);
	unsigned long addr = drv_map(fd);
	struct vm_area_struct *vma = find_vma(current->mm, addr);

	ck_assert(!IS_ERR_VALUE(addr));
	ck_assert_int_eq(drv.prepare, 1);
	ck_assert(!drv.seen_vma);
	ck_assert_ptr_nonnull(vma);
	ck_assert(vma->vm_flags & VM_NORESERVE);
	ck_assert_ptr_eq(vma->vm_ops, &drv_vm_ops);
	ck_assert_ptr_eq(vma->vm_private_data, &drv);
}
END_TEST

START_TEST(mp1_pgoff_lands_in_the_vma)
{
	int fd = drv_open(&plain_v1_fops);
	unsigned long addr = ksys_mmap_pgoff(0, DRV_PAGES * PAGE_SIZE,
					     PROT_READ, MAP_SHARED, fd, 3);

	ck_assert(!IS_ERR_VALUE(addr));
	ck_assert_int_eq(find_vma(current->mm, addr)->vm_pgoff, 3);
}
END_TEST

START_TEST(mp1_changed_start_is_caught)
{
	int fd = drv_open(&hold_v1_fops);
	unsigned long addr;

	drv.bad_start = true;
	addr = drv_map(fd);
	ck_assert_int_eq((long)addr, -EINVAL);
	ck_assert_report("warn");
	ck_assert_int_eq(drv.abort, 1);
	assert_nothing_left(fd);
}
END_TEST

START_TEST(mp2_complete_runs_linked_locked_and_prepopulates)
{
	int fd = drv_open(&prepop_v1_fops);
	unsigned long addr = drv_map(fd);
	u8 byte;

	ck_assert(!IS_ERR_VALUE(addr));
	ck_assert_int_eq(drv.complete, 1);
	ck_assert(drv.complete_locked);
	ck_assert(drv.complete_linked);
	for (int i = 0; i < DRV_PAGES; i++)
		ck_assert_int_eq(user_load_byte(addr + i * PAGE_SIZE, &byte),
				 0);
	ck_assert_int_eq(drv.faults, 0);
}
END_TEST

static const char *const mp3_sites[] = { "vm_area_alloc", "vma_iter_prealloc" };

static int mp3_sweep(const struct file_operations *const *fops, int n,
		     bool v1)
{
	int runs = 0;

	for (int d = 0; d < n; d++) {
		for (unsigned int s = 0; s < ARRAY_SIZE(mp3_sites); s++) {
			unsigned long addr;
			int fd;

			/* the legacy path links in one go */
			if (!v1 && s == 1)
				continue;
			fd = drv_open(fops[d]);
			ck_assert_int_eq(fault_inject_set(mp3_sites[s], 1), 0);
			addr = drv_map(fd);
			fault_inject_reset();
			ck_assert_int_eq((long)addr, -ENOMEM);
			ck_assert_int_eq(drv.abort,
					 fops[d]->mmap_abort ? 1 : 0);
			ck_assert_int_eq(drv.complete, 0);
			assert_nothing_left(fd);
			ksys_close(fd);
			runs++;
		}
	}
	return runs;
}

START_TEST(mp3_every_step_between_prepare_and_complete)
{
	static const struct file_operations *const v1[] = {
		&plain_v1_fops, &prepop_v1_fops, &hold_v1_fops };
	static const struct file_operations *const legacy[] = {
		&plain_legacy_fops, &prepop_legacy_fops, &hold_legacy_fops };
	int n1 = mp3_sweep(v1, 3, true), n0 = mp3_sweep(legacy, 3, false);

	ck_assert_int_eq(n1, 6);
	ck_assert_int_eq(n0, 3);
	printf("mp3 sweep: v1 hooks: 2 sites x 3 drivers = %d runs; "
	       "legacy: 1 site x 3 drivers = %d runs\n", n1, n0);
}
END_TEST

static const char *sweep_sites[16];
static int sweep_nr;

static void sweep_collect_site(const char *name, const char *desc)
{
	if (sweep_nr < 16)
		sweep_sites[sweep_nr++] = name;
}

static bool sweep_run(const struct file_operations *fops, int design,
		      const char *site, long nth)
{
	struct fault_site *fs = fault_site_find(site);
	long failed = fs->failed;
	int fd = drv_open(fops);
	unsigned long addr;

	ck_assert_int_eq(fault_inject_set(site, nth), 0);
	addr = drv_map(fd);
	fault_inject_reset();
	if (fs->failed == failed) {		/* not reached: done */
		ck_assert(!IS_ERR_VALUE(addr));
		ck_assert_int_eq(ksys_munmap(addr, DRV_PAGES * PAGE_SIZE), 0);
		ksys_close(fd);
		return false;
	}
	ck_assert_msg((long)addr == -ENOMEM, "design %d, %s #%ld: %ld",
		      design, site, nth, (long)addr);
	assert_nothing_left(fd);
	switch (design) {
	case 1:		/* v1: abort if and only if complete did not run */
		ck_assert_int_eq(drv.abort,
				 fops->mmap_abort && drv.complete == 0 ? 1 : 0);
		break;
	case 2:		/* v2: the error hook if and only if the action failed */
		ck_assert_int_eq(drv.abort, !strcmp(site, "remap_pfn_range") ||
				 !strcmp(site, "xa_node_alloc"));
		ck_assert_int_eq(drv.complete, 0);
		break;
	default:	/* legacy, Jan Kara's: no hooks to call */
		ck_assert_int_eq(drv.abort + drv.complete, 0);
	}
	ksys_close(fd);
	return true;
}

START_TEST(mp3_sweep_every_site_every_design)
{
	static const char *const names[] = {
		"legacy", "v1 hooks", "v2 actions", "Jan Kara's hook" };
	const struct file_operations *fops[4][3] = {
		{ &plain_legacy_fops, &prepop_legacy_fops, &hold_legacy_fops },
		{ &plain_v1_fops, &prepop_v1_fops, &hold_v1_fops },
		{ &plain_v1_fops, &prepop_v2_fops, &hold_v2_fops },
		{ &plain_jk_fops, &prepop_jk_fops, &hold_jk_fops },
	};

	if (!sweep_nr)
		fault_site_for_each(sweep_collect_site);
	for (int d = 0; d < 4; d++) {
		char list[256] = "";
		int failures = 0, reached = 0;

		for (int s = 0; s < sweep_nr; s++) {
			long calls = 0;

			for (int v = 0; v < 3; v++) {
				long nth = 1;

				while (sweep_run(fops[d][v], d, sweep_sites[s],
						 nth))
					nth++;
				calls += nth - 1;
			}
			if (!calls)
				continue;
			reached++;
			failures += calls;
			snprintf(list + strlen(list),
				 sizeof(list) - strlen(list), " %s x%ld",
				 sweep_sites[s], calls);
		}
		ck_assert_int_ge(reached, 3);
		printf("mmap sweep: %s: %d of %d sites reached, %d failures "
		       "checked:%s\n", names[d], reached, sweep_nr, failures,
		       list);
	}
}
END_TEST

START_TEST(mp3_no_abort_when_prepare_fails_or_after_complete)
{
	int fd = drv_open(&hold_v1_fops);

	drv.fail_prepare = true;
	ck_assert_int_eq((long)drv_map(fd), -EINVAL);
	ck_assert_int_eq(drv.abort, 0);
	assert_nothing_left(fd);
	drv.fail_prepare = false;
	ck_assert(!IS_ERR_VALUE(drv_map(fd)));
	ck_assert_int_eq(drv.complete, 1);
	ck_assert_int_eq(drv.abort, 0);
}
END_TEST

START_TEST(mp4_failing_complete_leaves_nothing)
{
	static const struct file_operations *const fops[] = {
		&prepop_v1_fops, &hold_v1_fops };

	for (int d = 0; d < 2; d++) {
		int fd = drv_open(fops[d]);

		drv.fail_complete = true;
		ck_assert_int_eq((long)drv_map(fd), -EIO);
		ck_assert_int_eq(drv.complete, 1);
		ck_assert_int_eq(drv.abort, 0);
		assert_nothing_left(fd);
		ksys_close(fd);
	}
}
END_TEST

START_TEST(mp5_impossible_hooks_refused_at_mmap)
{
	static const struct file_operations complete_only = {
		.mmap = plain_mmap, .mmap_complete = prepop_mmap_complete };
	static const struct file_operations abort_no_complete = {
		.mmap_prepare = hold_mmap_prepare,
		.mmap_abort = hold_mmap_abort };
	const struct file_operations *bad[] = {
		&complete_only, &abort_no_complete };

	for (int i = 0; i < 2; i++) {
		int fd = drv_open(bad[i]);

		ck_assert_int_eq((long)drv_map(fd), -EINVAL);
		ck_assert_int_eq(drv.prepare + drv.legacy + drv.complete +
				 drv.abort, 0);
		assert_nothing_left(fd);
		ksys_close(fd);
	}
	ck_assert(file_mmap_ops_valid(&hold_v1_fops));
}
END_TEST

START_TEST(mp6_legacy_mmap_gets_a_half_built_vma)
{
	int fd = drv_open(&plain_legacy_fops);
	unsigned long addr;
	struct vm_area_struct *vma;

	drv.bad_start = true;
	addr = drv_map(fd);
	ck_assert(!IS_ERR_VALUE(addr));
	ck_assert(!drv.seen_vma);
	ck_assert(!drv.complete_locked);
	vma = find_vma(current->mm, addr);
	ck_assert_int_eq(vma->vm_end - vma->vm_start, PAGE_SIZE);
}
END_TEST

START_TEST(mp6_legacy_partial_remap_is_undone)
{
	int fd = drv_open(&prepop_legacy_fops);

	fault_inject_set("remap_pfn_range", 2);
	ck_assert_int_eq((long)drv_map(fd), -ENOMEM);
	fault_inject_reset();
	assert_nothing_left(fd);
}
END_TEST

START_TEST(mp7_remap_action_prepopulates)
{
	int fd = drv_open(&prepop_v2_fops);
	unsigned long addr = drv_map(fd);
	u8 byte;

	ck_assert(!IS_ERR_VALUE(addr));
	ck_assert_int_eq(drv.complete, 1);
	ck_assert(drv.complete_locked && drv.complete_linked);
	for (int i = 0; i < DRV_PAGES; i++)
		ck_assert_int_eq(user_load_byte(addr + i * PAGE_SIZE, &byte),
				 0);
	ck_assert_int_eq(drv.faults, 0);
}
END_TEST

static int io_v2_mmap_prepare(struct vm_area_desc *desc)
{
	int err = prepop_v2_mmap_prepare(desc);

	desc->action.type = MMAP_IO_REMAP_PFN;
	return err;
}

START_TEST(mp7_io_remap_action_prepopulates)
{
	static const struct file_operations io_v2_fops = {
		.mmap_prepare = io_v2_mmap_prepare };
	int fd = drv_open(&io_v2_fops);
	unsigned long addr = drv_map(fd);
	u8 byte;

	ck_assert(!IS_ERR_VALUE(addr));
	ck_assert_int_eq(drv.complete, 1);
	ck_assert(find_vma(current->mm, addr)->vm_flags & VM_IO);
	for (int i = 0; i < DRV_PAGES; i++)
		ck_assert_int_eq(user_load_byte(addr + i * PAGE_SIZE, &byte),
				 0);
	ck_assert_int_eq(drv.faults, 0);
}
END_TEST

START_TEST(mp7_v2_sweep_error_hook_only_for_the_action)
{
	static const char *const sites[] = {
		"vm_area_alloc", "vma_iter_prealloc", "remap_pfn_range" };
	static const struct file_operations *const fops[] = {
		&plain_v1_fops, &prepop_v2_fops, &hold_v2_fops };
	int runs = 0;

	for (int d = 0; d < 3; d++) {
		for (int s = 0; s < 3; s++) {
			bool acts = d > 0 && s == 2;
			int fd;

			if (s == 2 && d == 0)	/* no action: no such step */
				continue;
			fd = drv_open(fops[d]);
			fault_inject_set(sites[s], s == 2 ? 2 : 1);
			ck_assert_int_eq((long)drv_map(fd), -ENOMEM);
			fault_inject_reset();
			ck_assert_int_eq(drv.abort, acts ? 1 : 0);
			ck_assert_int_eq(drv.complete, 0);
			assert_nothing_left(fd);
			ksys_close(fd);
			runs++;
		}
	}
	ck_assert_int_eq(runs, 8);
	printf("mp7 sweep: v2 actions: 3 drivers, %d runs "
	       "(2 sites each, and the remap for the 2 that remap)\n", runs);
}
END_TEST

static int mp7_map_failing(void *arg)
{
	int fd = *(int *)arg;

	fault_inject_set("remap_pfn_range", 2);
	return (int)(long)drv_map(fd);
}

/*
 * The unfixed path leaves the mapper stuck holding mmap_lock: give it an
 * mm of its own, so that the process's mm stays usable after the test
 * (the stuck task and its mm are never freed, as chapter 1 says).
 */
static int mp7_map_failing_own_mm(void *arg)
{
	current->mm = mm_alloc();
	return mp7_map_failing(arg);
}

START_TEST(mp7_unfixed_error_path_unmaps_under_rmap_lock)
{
	int fd = drv_open(&prepop_v2_fops);

	ck_assert_int_eq(variant_set("mmap-action", "unfixed"), 0);
	task_call(mp7_map_failing_own_mm, &fd, "mapper");
	ck_assert_report("recursion");
	/* The second down_write waits for its own task: aborted. */
	ck_assert_report("deadlock");
}
END_TEST

START_TEST(mp7_fixed_error_path_unlocks_first)
{
	int fd = drv_open(&prepop_v2_fops);

	ck_assert_int_eq(task_call(mp7_map_failing, &fd, "mapper"), -ENOMEM);
	fault_inject_reset();
	ck_assert_int_eq(drv.abort, 1);
	assert_nothing_left(fd);
}
END_TEST

START_TEST(mp8_jan_kara_hook_same_drivers_same_sweep)
{
	static const char *const sites[] = {
		"vm_area_alloc", "vma_iter_prealloc", "remap_pfn_range" };
	static const struct file_operations *const fops[] = {
		&plain_jk_fops, &prepop_jk_fops, &hold_jk_fops };
	int runs = 0;

	for (int d = 0; d < 3; d++) {
		int fd = drv_open(fops[d]);
		unsigned long addr = drv_map(fd);
		u8 byte;

		ck_assert(!IS_ERR_VALUE(addr));
		if (d > 0) {
			ck_assert_int_eq(user_load_byte(addr, &byte), 0);
			ck_assert_int_eq(drv.faults, 0);
		}
		ck_assert_int_eq(ksys_munmap(addr, DRV_PAGES * PAGE_SIZE), 0);
		for (int s = 0; s < 3; s++) {
			if (s == 2 && d == 0)
				continue;
			fault_inject_set(sites[s], s == 2 ? 2 : 1);
			ck_assert_int_eq((long)drv_map(fd), -ENOMEM);
			fault_inject_reset();
			assert_nothing_left(fd);
			runs++;
		}
		ksys_close(fd);
	}
	ck_assert_int_eq(runs, 8);
	printf("mp8 sweep: Jan Kara's hook: 3 drivers, %d runs\n", runs);
}
END_TEST

START_TEST(mp8_jan_kara_driver_that_forgets_to_undo_leaves_a_vma)
{
	int fd = drv_open(&prepop_jk_fops);

	jk_forget_undo = true;
	fault_inject_set("remap_pfn_range", 2);
	ck_assert_int_eq((long)drv_map(fd), -ENOMEM);
	fault_inject_reset();
	jk_forget_undo = false;
	/* mmap failed, yet the VMA and its first page stay mapped. */
	ck_assert_int_eq(current->mm->map_count, 1);
	ck_assert(!xa_empty(&current->mm->page_table));
}
END_TEST

#define MP9_LEN	(DRV_PAGES * PAGE_SIZE)

static unsigned long mp9_map_at(int fd, unsigned long addr, pgoff_t pgoff)
{
	return ksys_mmap_pgoff(addr, MP9_LEN, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_FIXED_NOREPLACE, fd, pgoff);
}

START_TEST(mp9_v1_merge_runs_neither_complete_nor_abort)
{
	int fd = drv_open(&holdplain_v1_fops);
	unsigned long a = drv_map(fd);
	struct vm_area_struct *vma;

	ck_assert(!IS_ERR_VALUE(a));
	ck_assert_int_eq(drv.complete, 1);
	ck_assert_int_eq(drv.refs, 0);
	ck_assert_int_eq(mp9_map_at(fd, a + MP9_LEN, DRV_PAGES), a + MP9_LEN);
	vma = find_vma(current->mm, a);
	ck_assert_int_eq(current->mm->map_count, 1);
	ck_assert_int_eq(vma->vm_end, a + 2 * MP9_LEN);
	ck_assert_int_eq(drv.prepare, 2);
	/* The second prepare took the lock; nothing will drop it. */
	ck_assert_int_eq(drv.complete + drv.abort, 1);
	ck_assert_int_eq(drv.refs, 1);
	ck_assert(mutex_is_locked(&drv_lock));
	hold_release();			/* the test cleans up for the driver */
	ck_assert_int_eq(ksys_munmap(a, 2 * MP9_LEN), 0);
	assert_nothing_left(fd);
}
END_TEST

START_TEST(mp9_no_merge_without_contiguous_offset)
{
	int fd = drv_open(&holdplain_v1_fops);
	unsigned long a = drv_map(fd);

	ck_assert_int_eq(mp9_map_at(fd, a + MP9_LEN, 0), a + MP9_LEN);
	ck_assert_int_eq(current->mm->map_count, 2);
	ck_assert_int_eq(drv.complete, 2);
	ck_assert_int_eq(drv.refs, 0);
	/* The next one's offset must continue the new range's too. */
	ck_assert_int_eq(mp9_map_at(fd, a + 3 * MP9_LEN, 1), a + 3 * MP9_LEN);
	ck_assert_int_eq(mp9_map_at(fd, a + 2 * MP9_LEN, 0), a + 2 * MP9_LEN);
	ck_assert_int_eq(current->mm->map_count, 4);
	ck_assert_int_eq(drv.refs, 0);
}
END_TEST

START_TEST(mp9_v2_merge_runs_no_action)
{
	int fd = drv_open(&hooked_v2_fops);
	unsigned long a = drv_map(fd);

	ck_assert_int_eq(drv.complete, 1);
	ck_assert_int_eq(mp9_map_at(fd, a + MP9_LEN, DRV_PAGES), a + MP9_LEN);
	ck_assert_int_eq(current->mm->map_count, 1);
	ck_assert_int_eq(drv.complete, 1);
	ck_assert_int_eq(drv.abort, 0);
}
END_TEST

START_TEST(mp9_remapped_mapping_never_merges)
{
	int fd = drv_open(&prepop_v2_fops);
	unsigned long a = drv_map(fd);

	ck_assert_int_eq(mp9_map_at(fd, a + MP9_LEN, DRV_PAGES), a + MP9_LEN);
	ck_assert_int_eq(current->mm->map_count, 2);
	ck_assert_int_eq(drv.complete, 2);
	ck_assert(find_vma(current->mm, a)->vm_flags & VM_PFNMAP);
}
END_TEST

static int mp9_fill_the_gap(bool with_close)
{
	int fd = drv_open(&hooked_v2_fops);
	unsigned long a = drv_map(fd);

	drv.with_close = with_close;
	ck_assert_int_eq(mp9_map_at(fd, a + 2 * MP9_LEN, 2 * DRV_PAGES),
			 a + 2 * MP9_LEN);
	ck_assert_int_eq(current->mm->map_count, 2);
	ck_assert_int_eq(mp9_map_at(fd, a + MP9_LEN, DRV_PAGES), a + MP9_LEN);
	ck_assert_int_eq(drv.closed, 0);
	return current->mm->map_count;
}

START_TEST(mp9_next_with_close_is_not_absorbed)
{
	ck_assert_int_eq(mp9_fill_the_gap(false), 1);
	mmlit_process_reset();
	ck_assert_int_eq(mp9_fill_the_gap(true), 2);
}
END_TEST

START_TEST(mp9_fixed_noreplace_over_a_mapping_is_eexist)
{
	int fd = drv_open(&holdplain_v1_fops);
	unsigned long a = drv_map(fd);

	ck_assert_int_eq((long)mp9_map_at(fd, a + PAGE_SIZE, 1), -EEXIST);
	ck_assert_int_eq((long)mp9_map_at(fd, a + MP9_LEN + 1, 0), -EINVAL);
	ck_assert_int_eq(drv.prepare, 1);
	ck_assert_int_eq(current->mm->map_count, 1);
}
END_TEST

static bool nothing_left_now(int fd)
{
	struct mm_struct *mm = current->mm;
	struct file *file = fget(fd);
	bool ok = mm->map_count == 0 && xa_empty(&mm->page_table) &&
		  list_empty(&file->f_mapping->i_mmap) &&
		  atomic_read(&file->f_mapping->i_mmap_writable) == 0 &&
		  !mutex_is_locked(&drv_lock) && drv.refs == 0;

	fput(file);
	return ok;
}

static void design_cell(const struct file_operations *fops, char *buf,
			size_t len)
{
	static const char *const sites[] = {
		"vm_area_alloc", "vma_iter_prealloc", "remap_pfn_range" };
	int fd = drv_open(fops), runs = 0, clean = 0, hooks = 0, faults;
	unsigned long addr = drv_map(fd);
	u8 byte;

	ck_assert(!IS_ERR_VALUE(addr));
	for (int i = 0; i < DRV_PAGES; i++)
		user_load_byte(addr + i * PAGE_SIZE, &byte);
	faults = drv.faults;
	ck_assert_int_eq(ksys_munmap(addr, DRV_PAGES * PAGE_SIZE), 0);
	for (int s = 0; s < 3; s++) {
		drv.abort = 0;
		fault_inject_set(sites[s], s == 2 ? 2 : 1);
		addr = drv_map(fd);
		fault_inject_reset();
		if (!IS_ERR_VALUE(addr)) {	/* not on this path */
			ksys_munmap(addr, DRV_PAGES * PAGE_SIZE);
			continue;
		}
		runs++;
		clean += nothing_left_now(fd);
		hooks += drv.abort;
	}
	ksys_close(fd);
	snprintf(buf, len, "%d & %d/%d & %d", faults, clean, runs, hooks);
}

static void mmap_designs_figure(void)
{
	static const char *const designs[] = {
		"legacy \\texttt{->mmap}", "v1 hooks", "v2 actions",
		"Jan Kara's hook" };
	static const char *const drivers[] = {
		"plain", "prepopulating", "holding" };
	const struct file_operations *fops[4][3] = {
		{ &plain_legacy_fops, &prepop_legacy_fops, &hold_legacy_fops },
		{ &plain_v1_fops, &prepop_v1_fops, &hold_v1_fops },
		{ &plain_v1_fops, &prepop_v2_fops, &hold_v2_fops },
		{ &plain_jk_fops, &prepop_jk_fops, &hold_jk_fops },
	};
	char cell[64];

	printf("\\begin{table}\n\\centering\n\\begin{tabular}{llrrr}\n");
	printf("design & driver & faults & clean/failed & hooks \\\\\n"
	       "\\hline\n");
	for (int d = 0; d < 4; d++) {
		for (int v = 0; v < 3; v++) {
			design_cell(fops[d][v], cell, sizeof(cell));
			printf("%s & %s & %s \\\\\n", v ? "" : designs[d],
			       drivers[v], cell);
		}
		printf("\\hline\n");
	}
	printf("\\end{tabular}\n\\caption{The designs against the drivers, "
	       "from a run: faults taken reading four mapped pages; of the "
	       "injected failures that made \\texttt{mmap} fail, how many "
	       "left nothing behind; calls of abort or of the error hook "
	       "(claims MP2--MP4, MP6--MP8).}\n"
	       "\\label{tab:mmap-designs}\n\\end{table}\n");
}
KTEST_FIGURE("mmap-designs", mmap_designs_figure)

static int function_lines(const char *src, const char *name)
{
	char head[96];
	const char *p, *end;
	int lines = 0;

	snprintf(head, sizeof(head), " %s(", name);
	for (p = strstr(src, head); p; p = strstr(p + 1, head))
		if (p[strlen(head)] != ')' && strchr(p, '{') <
		    strchr(p, ';'))		/* a definition */
			break;
	if (!p)
		return -1;
	while (p > src && p[-1] != '\n')
		p--;
	end = strstr(p, "\n}\n");
	for (; p && p <= end + 1; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (*p != '\n')
			lines++;
	return lines;
}

static int driver_lines(const char *src, const char *const *fns)
{
	int total = 0, n;

	for (; *fns; fns++) {
		n = function_lines(src, *fns);
		ck_assert_msg(n > 0, "%s not found", *fns);
		total += n;
	}
	return total;
}

static const char *const *const driver_fns[4][3] = {
	{ (const char *[]){ "plain_mmap", NULL },
	  (const char *[]){ "prepop_mmap", "drv_remap", NULL },
	  (const char *[]){ "hold_mmap", "prepop_mmap", "drv_remap",
			    "hold_release", NULL } },
	{ (const char *[]){ "plain_mmap_prepare", NULL },
	  (const char *[]){ "plain_mmap_prepare", "prepop_mmap_complete",
			    "drv_remap", NULL },
	  (const char *[]){ "hold_mmap_prepare", "plain_mmap_prepare",
			    "hold_mmap_complete", "prepop_mmap_complete",
			    "drv_remap", "hold_mmap_abort", "hold_release",
			    NULL } },
	{ (const char *[]){ "plain_mmap_prepare", NULL },
	  (const char *[]){ "prepop_v2_mmap_prepare", "plain_mmap_prepare",
			    "v2_success", "v2_error", NULL },
	  (const char *[]){ "hold_v2_mmap_prepare", "prepop_v2_mmap_prepare",
			    "plain_mmap_prepare", "hold_v2_success",
			    "v2_success", "v2_error", "hold_release", NULL } },
	{ (const char *[]){ "plain_jk_hook", NULL },
	  (const char *[]){ "prepop_jk_hook", NULL },
	  (const char *[]){ "hold_jk_hook", "prepop_jk_hook", "hold_release",
			    NULL } },
};

static char *read_test_source(void)
{
	char path[512];
	FILE *f;
	char *buf = calloc(1, 1 << 20);

	snprintf(path, sizeof(path), "%s/generated/tests/test-mmap.c",
		 ktest_root());
	f = fopen(path, "r");
	ck_assert_msg(f && buf, "cannot read %s", path);
	fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	return buf;
}

static void mmap_lines_figure(void)
{
	static const char *const designs[] = {
		"legacy \\texttt{->mmap}", "v1 hooks", "v2 actions",
		"Jan Kara's hook" };
	char *src = read_test_source();

	printf("\\begin{table}\n\\centering\n\\begin{tabular}{lrrr}\n"
	       "design & plain & prepopulating & holding \\\\\n"
	       "\\hline\n");
	for (int d = 0; d < 4; d++)
		printf("%s & %d & %d & %d \\\\\n", designs[d],
		       driver_lines(src, driver_fns[d][0]),
		       driver_lines(src, driver_fns[d][1]),
		       driver_lines(src, driver_fns[d][2]));
	printf("\\end{tabular}\n\\caption{Lines of driver code per "
	       "design, counted in the tangled source at build time "
	       "(non-blank lines of the functions each driver needs, "
	       "without its \\texttt{file\\_operations}).}\n"
	       "\\label{tab:mmap-lines}\n\\end{table}\n");
	free(src);
}
KTEST_FIGURE("mmap-lines", mmap_lines_figure)

START_TEST(mp8_driver_lines_are_counted_from_the_source)
{
	char *src = read_test_source();

	for (int d = 0; d < 4; d++)
		for (int v = 0; v < 3; v++)
			ck_assert_int_gt(driver_lines(src,
						      driver_fns[d][v]), 0);
	ck_assert_int_eq(function_lines(src, "no_such_driver_hook"), -1);
	ck_assert_int_eq(function_lines(src, "hold_release"), 5);
	for (int d = 1; d < 3; d++)	/* the prose's claim */
		for (int v = 0; v < 3; v++)
			ck_assert_int_lt(driver_lines(src, driver_fns[3][v]),
					 driver_lines(src, driver_fns[d][v]));
	free(src);
}
END_TEST

static Suite *mmap_suite(void)
{
	Suite *s = suite_create("mmap");
	TCase *tc = ktest_tcase("mmap");

	tcase_add_test(tc, mp9_v1_merge_runs_neither_complete_nor_abort);
	tcase_add_test(tc, mp9_no_merge_without_contiguous_offset);
	tcase_add_test(tc, mp9_v2_merge_runs_no_action);
	tcase_add_test(tc, mp9_remapped_mapping_never_merges);
	tcase_add_test(tc, mp9_next_with_close_is_not_absorbed);
	tcase_add_test(tc, mp9_fixed_noreplace_over_a_mapping_is_eexist);
	tcase_add_test(tc, mp1_shmem_seals_same_through_mmap_prepare);
	tcase_add_test(tc, mp1_pgoff_lands_in_the_vma);
	tcase_add_test(tc, mp1_frozen_memfd_maps_shared_writable);
	tcase_add_test(tc, mp8_jan_kara_hook_same_drivers_same_sweep);
	tcase_add_test(tc, mp8_jan_kara_driver_that_forgets_to_undo_leaves_a_vma);
	tcase_add_test(tc, mp8_driver_lines_are_counted_from_the_source);
	tcase_add_test(tc, mp6_legacy_partial_remap_is_undone);
	tcase_add_test(tc, mp1_prepare_sees_no_vma_and_its_fields_land);
	tcase_add_test(tc, mp1_changed_start_is_caught);
	tcase_add_test(tc, mp2_complete_runs_linked_locked_and_prepopulates);
	tcase_add_test(tc, mp3_every_step_between_prepare_and_complete);
	tcase_add_test(tc, mp3_sweep_every_site_every_design);
	tcase_add_test(tc, mp3_no_abort_when_prepare_fails_or_after_complete);
	tcase_add_test(tc, mp4_failing_complete_leaves_nothing);
	tcase_add_test(tc, mp5_impossible_hooks_refused_at_mmap);
	tcase_add_test(tc, mp6_legacy_mmap_gets_a_half_built_vma);
	tcase_add_test(tc, mp7_remap_action_prepopulates);
	tcase_add_test(tc, mp7_io_remap_action_prepopulates);
	tcase_add_test(tc, mp7_v2_sweep_error_hook_only_for_the_action);
	tcase_add_test(tc, mp7_unfixed_error_path_unmaps_under_rmap_lock);
	tcase_add_test(tc, mp7_fixed_error_path_unlocks_first);
	suite_add_tcase(s, tc);
	return s;
}
KTEST_SUITE(mmap_suite)
