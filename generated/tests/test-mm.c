/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/84-memory.nw (appendix D); do not edit. */
#include "ktest.h"
#include <unistd.h>

static DEFINE_MUTEX(testfs_mutex);
static bool testfs_take_mutex;
static bool testfs_refuse;
static int testfs_writeouts;

static int testfs_writeout(struct folio *folio, struct writeback_control *wbc)
{
	struct address_space *mapping = folio->mapping;
	swp_entry_t entry;

	testfs_writeouts++;
	if (testfs_take_mutex)
		mutex_lock(&testfs_mutex);
	if (testfs_refuse || folio_alloc_swap(folio, &entry)) {
		if (testfs_take_mutex)
			mutex_unlock(&testfs_mutex);
		folio_mark_dirty(folio);
		return AOP_WRITEPAGE_ACTIVATE;
	}
	swap_write_folio(folio, entry);
	__filemap_remove_folio(folio, swp_to_radix_entry(entry));
	folio_put(folio);
	folio_unlock(folio);
	if (testfs_take_mutex)
		mutex_unlock(&testfs_mutex);
	(void)mapping;
	return 0;
}

static const struct address_space_operations testfs_aops = {
	.writeout = testfs_writeout,
};

static struct super_block *testfs_sb;

static struct inode *testfs_inode(void)
{
	struct inode *inode;

	if (!testfs_sb)
		testfs_sb = alloc_super("testfs", NULL, NULL);
	inode = new_inode(testfs_sb);
	ck_assert_ptr_nonnull(inode);
	inode->i_mapping->a_ops = &testfs_aops;
	return inode;
}

/* Fill @n pages of @inode's cache with dirty folios holding @byte. */
static void testfs_fill(struct inode *inode, int n, u8 byte)
{
	static u8 page[PAGE_SIZE];

	for (int i = 0; i < n; i++) {
		struct folio *folio = __filemap_get_folio(inode->i_mapping, i,
				FGP_LOCK | FGP_CREAT, GFP_KERNEL);

		ck_assert(!IS_ERR(folio));
		memset(page, byte, PAGE_SIZE);
		ck_assert_int_eq(folio_write_data(folio, 0, page, PAGE_SIZE),
				 0);
		folio_mark_uptodate(folio);
		folio_mark_dirty(folio);
		folio_unlock(folio);
		folio_put(folio);
	}
}

/* Its knobs are the model's state: a fresh process starts them over. */
static void testfs_reset(void)
{
	testfs_take_mutex = false;
	testfs_refuse = false;
	testfs_writeouts = 0;
}
DEFINE_RESET_HOOK(testfs_reset);

static void sh3_learn_reclaim_takes_mutex(void)
{
	struct inode *inode = testfs_inode();
	struct folio *folio;

	swap_set_slots(16);
	testfs_take_mutex = true;
	testfs_fill(inode, 4, 0x5a);
	mm_force_direct_reclaim(1);
	folio = folio_alloc(GFP_KERNEL, 0);
	ck_assert_ptr_nonnull(folio);
	folio_put(folio);
	ck_assert_int_gt(testfs_writeouts, 0);
	ck_assert(lockdep_has_dependency("fs_reclaim", "testfs_mutex"));
	iput(inode);
}

START_TEST(sh3_alloc_under_lock_taken_in_reclaim_is_cycle)
{
	const struct report *r;
	void *p;

	sh3_learn_reclaim_takes_mutex();
	ck_assert_int_eq(report_count(), 0);
	mutex_lock(&testfs_mutex);
	p = kmalloc(64, GFP_KERNEL);		/* no pressure at all */
	mutex_unlock(&testfs_mutex);
	kfree(p);
	r = report_get(0);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->kind, REPORT_CYCLE);
	ck_assert_str_eq(r->chain[0].lock, "testfs_mutex");
	ck_assert_str_eq(r->chain[1].lock, "fs_reclaim");
	ck_assert_str_eq(r->chain[1].site.func,
			 "sh3_alloc_under_lock_taken_in_reclaim_is_cycle_fn");
	ck_assert_report("cycle");
	/* only the forced one */
	ck_assert_int_eq(vm_events.allocstall, 1);
}
END_TEST

START_TEST(sh3_nofs_allocation_is_not_a_cycle)
{
	unsigned int nofs;
	void *p, *q;

	sh3_learn_reclaim_takes_mutex();
	mutex_lock(&testfs_mutex);
	p = kmalloc(64, GFP_NOFS);
	nofs = memalloc_nofs_save();
	q = kmalloc(64, GFP_KERNEL);
	memalloc_nofs_restore(nofs);
	mutex_unlock(&testfs_mutex);
	kfree(p);
	kfree(q);
	ck_assert_int_eq(report_count(), 0);
}
END_TEST

static void sh3_figure(void)
{
	void *p;

	sh3_learn_reclaim_takes_mutex();
	mutex_lock(&testfs_mutex);
	p = kmalloc(64, GFP_KERNEL);
	mutex_unlock(&testfs_mutex);
	kfree(p);
	lockdep_export_dot(stdout,
			   "fs_reclaim and a lock taken inside reclaim");
}
KTEST_FIGURE("shim-fs-reclaim", sh3_figure)

START_TEST(sh5_page_alloc_fails_the_nth_allocation)
{
	struct folio *f[4];

	ck_assert_int_eq(fault_inject_set("page_alloc", 3), 0);
	for (int i = 0; i < 4; i++)
		f[i] = folio_alloc(GFP_KERNEL, 0);
	ck_assert_ptr_nonnull(f[0]);
	ck_assert_ptr_nonnull(f[1]);
	ck_assert_ptr_null(f[2]);
	ck_assert_ptr_nonnull(f[3]);
	ck_assert_int_eq(vm_events.alloc_fail, 1);
	for (int i = 0; i < 4; i++)
		if (f[i])
			folio_put(f[i]);
	ck_assert_int_eq(mem_used_pages(), 0);
}
END_TEST

/* Memory is full of dirty file folios; the next allocation reclaims. */
START_TEST(sh5_pressure_reclaim_calls_owner_writeout)
{
	struct inode *inode = testfs_inode();
	struct folio *folio;
	u8 byte;

	mem_set_total_pages(8);
	swap_set_slots(8);
	testfs_fill(inode, 8, 0x77);
	ck_assert_int_eq(mem_free_pages(), 0);
	folio = folio_alloc(GFP_KERNEL, 0);
	ck_assert_ptr_nonnull(folio);
	ck_assert_int_gt(testfs_writeouts, 0);
	ck_assert_int_gt(vm_events.pswpout, 0);
	ck_assert_int_gt(vm_events.pgsteal, 0);
	/* The oldest folio went to swap; its data is in the slot. */
	ck_assert(xa_is_value(filemap_get_entry(inode->i_mapping, 0)));
	ck_assert_int_eq(swap_read_folio(folio, radix_to_swp_entry(
				filemap_get_entry(inode->i_mapping, 0))), 0);
	folio_read_data(folio, 100, &byte, 1);
	ck_assert_int_eq(byte, 0x77);
	folio_put(folio);
	iput(inode);
}
END_TEST

/* When writeout refuses, the flags decide: fail, or call the OOM killer. */
START_TEST(sh5_refused_writeout_fails_or_kills_a_bystander)
{
	struct inode *inode = testfs_inode();
	struct folio *folio;
	int big, small;

	mem_set_total_pages(40);
	big = oom_register_bystander("big", 20);
	small = oom_register_bystander("small", 10);
	testfs_refuse = true;
	testfs_fill(inode, 10, 0x11);
	folio = folio_alloc(GFP_KERNEL | __GFP_RETRY_MAYFAIL, 0);
	ck_assert_ptr_null(folio);
	ck_assert_int_gt(testfs_writeouts, 0);
	ck_assert_int_eq(vm_events.oom_kill, 0);
	folio = folio_alloc(GFP_KERNEL, 0);
	ck_assert_ptr_nonnull(folio);
	ck_assert_int_eq(vm_events.oom_kill, 1);
	ck_assert(!oom_bystander_alive(big));
	ck_assert(oom_bystander_alive(small));
	folio_put(folio);
	iput(inode);
}
END_TEST

START_TEST(xarray_store_find_erase)
{
	struct xarray xa;
	unsigned long index;
	void *entry;
	int n = 0;

	xa_init(&xa);
	ck_assert_ptr_null(xa_store(&xa, 5, (void *)0x50, 0));
	ck_assert_ptr_null(xa_store(&xa, 70000, (void *)0x60, 0));
	ck_assert_ptr_null(xa_store(&xa, 64, xa_mk_value(7), 0));
	ck_assert_ptr_eq(xa_load(&xa, 5), (void *)0x50);
	ck_assert_ptr_null(xa_load(&xa, 6));
	index = 6;
	ck_assert_ptr_eq(xa_find(&xa, &index, ULONG_MAX), xa_mk_value(7));
	ck_assert_uint_eq(index, 64);
	xa_for_each(&xa, index, entry)
		n++;
	ck_assert_int_eq(n, 3);
	ck_assert_ptr_eq(xa_cmpxchg(&xa, 5, NULL, (void *)0x70, 0),
			 (void *)0x50);
	ck_assert_ptr_eq(xa_erase(&xa, 5), (void *)0x50);
	ck_assert_ptr_null(xa_load(&xa, 5));
	ck_assert_uint_eq(xa.xa_count, 2);
	xa_destroy(&xa);
	ck_assert(xa_empty(&xa));
}
END_TEST

START_TEST(xarray_indexes_up_to_ulong_max)
{
	const unsigned long last = MAX_LFS_FILESIZE / PAGE_SIZE;
	const unsigned long big[] = { 1UL << 48, last, ULONG_MAX };
	struct xarray xa;
	unsigned long index = 6;
	void *entry;
	int i, n = 0;

	xa_init(&xa);
	ck_assert_ptr_null(xa_store(&xa, 5, (void *)0x50, 0));
	for (i = 0; i < 3; i++)
		ck_assert_ptr_null(xa_store(&xa, big[i],
					    (void *)(0x100UL << i), 0));
	for (i = 0; i < 3; i++) {
		ck_assert_ptr_eq(xa_load(&xa, big[i]), (void *)(0x100UL << i));
		ck_assert_ptr_null(xa_load(&xa, big[i] - 1));
	}
	xa_for_each_range(&xa, index, entry, 6, ULONG_MAX)
		ck_assert_uint_eq(index, big[n++]);
	ck_assert_int_eq(n, 3);
	for (i = 0; i < 3; i++)
		ck_assert_ptr_eq(xa_erase(&xa, big[i]), (void *)(0x100UL << i));
	ck_assert_uint_eq(xa.xa_count, 1);
	ck_assert_ptr_eq(xa_load(&xa, 5), (void *)0x50);
	xa_destroy(&xa);
}
END_TEST

START_TEST(xarray_node_allocation_failure_is_enomem)
{
	static const int nths[] = { 1, 2, 7, 4 };
	const unsigned long far = 1UL << 40;
	struct xarray xa;
	void *old;

	xa_init(&xa);
	ck_assert_ptr_null(xa_store(&xa, 5, (void *)0x50, 0));
	/*
	 * 2^40 needs six new levels above the leaf: the first fails, then
	 * the second (the first stays: a taller tree holds the same). Then
	 * five levels, and six nodes on the way down: the second fails, then
	 * (the tree is tall now) the fourth.
	 */
	for (int i = 0; i < 4; i++) {
		int nth = nths[i];
		struct xa_node *top;

		ck_assert_int_eq(fault_inject_set("xa_node_alloc", nth), 0);
		old = xa_store(&xa, far, (void *)0x60, 0);
		fault_inject_reset();
		ck_assert(xa_is_err(old));
		ck_assert_int_eq(xa_err(old), -ENOMEM);
		ck_assert_ptr_null(xa_load(&xa, far));
		ck_assert_ptr_eq(xa_load(&xa, 5), (void *)0x50);
		ck_assert_uint_eq(xa.xa_count, 1);
		top = xa.xa_head;
		/* the new nodes below the top are gone */
		if (i > 1)
			ck_assert_ptr_null(top->slots[far >> top->shift]);
	}
	ck_assert_ptr_null(xa_store(&xa, far, (void *)0x60, 0));
	ck_assert_ptr_eq(xa_load(&xa, far), (void *)0x60);
	ck_assert_int_eq(xa_err(xa_store(&xa, 5, NULL, 0)), 0);
	xa_destroy(&xa);
}
END_TEST

START_TEST(folio_data_is_allocated_on_first_write)
{
	struct folio *a = folio_alloc(GFP_KERNEL, 0);
	struct folio *b = folio_alloc(GFP_KERNEL, 0);
	u8 buf[8] = { 1, 1, 1, 1, 1, 1, 1, 1 }, x = 0x5a;

	ck_assert_ptr_null(a->data);
	folio_read_data(a, 100, buf, sizeof(buf));
	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(buf[i], 0);
	ck_assert_int_eq(folio_copy_data(b, a), 0);
	ck_assert_ptr_null(b->data);
	folio_zero_range(a, 0, PAGE_SIZE);
	ck_assert_ptr_null(a->data);
	ck_assert_int_eq(folio_write_data(a, 4095, &x, 1), 0);
	ck_assert_ptr_nonnull(a->data);
	ck_assert_int_eq(folio_copy_data(b, a), 0);
	ck_assert_ptr_nonnull(b->data);
	ck_assert_ptr_ne(a->data, b->data);
	x = 0;
	folio_read_data(b, 4095, &x, 1);
	ck_assert_int_eq(x, 0x5a);
	folio_put(a);
	folio_put(b);
}
END_TEST

START_TEST(page_cache_add_remove_and_refcounts)
{
	struct inode *inode = testfs_inode();
	struct folio *folio = folio_alloc(GFP_KERNEL, 0), *again;

	ck_assert_int_eq(filemap_add_folio(inode->i_mapping, folio, 3,
					   GFP_KERNEL), 0);
	ck_assert_int_eq(folio_ref_count(folio), 2);	/* ours + cache */
	ck_assert(folio_test_locked(folio) && folio_test_lru(folio));
	ck_assert_uint_eq(inode->i_mapping->nrpages, 1);
	ck_assert_int_eq(mem_cgroup_usage(&root_mem_cgroup), 1);
	folio_unlock(folio);
	again = filemap_lock_folio(inode->i_mapping, 3);
	ck_assert_ptr_eq(again, folio);
	ck_assert_int_eq(folio_ref_count(folio), 3);
	filemap_remove_folio(folio);
	folio_unlock(folio);
	folio_put(again);
	ck_assert_int_eq(folio_ref_count(folio), 1);
	ck_assert(IS_ERR(filemap_get_folio(inode->i_mapping, 3)));
	folio_put(folio);				/* freed: off the LRU */
	ck_assert_int_eq(lru_nr_folios(), 0);
	ck_assert_int_eq(mem_used_pages(), 0);
	ck_assert_int_eq(mem_cgroup_usage(&root_mem_cgroup), 0);
	iput(inode);
}
END_TEST

START_TEST(memcg_limit_reclaims_then_fails)
{
	struct mem_cgroup *memcg = mem_cgroup_create("tenant", 4);
	struct folio *held[2], *folio;
	struct inode *inode;

	current->memcg = memcg;
	inode = testfs_inode();
	swap_set_slots(2);
	testfs_fill(inode, 4, 0x22);
	ck_assert_int_eq(mem_cgroup_usage(memcg), 4);
	/* Two folios can go to swap, so two more pages can be charged... */
	for (int i = 0; i < 2; i++) {
		held[i] = folio_alloc(GFP_KERNEL, 0);
		ck_assert_int_eq(mem_cgroup_charge(held[i], NULL,
						   GFP_KERNEL), 0);
	}
	ck_assert_int_eq(vm_events.pswpout, 2);
	ck_assert_int_eq(nr_free_swap_pages(), 0);
	/* ...but with swap full, the next charge fails. */
	folio = folio_alloc(GFP_KERNEL, 0);
	ck_assert_int_eq(mem_cgroup_charge(folio, NULL, GFP_KERNEL), -ENOMEM);
	ck_assert_int_eq(memcg->failcnt, 1);
	ck_assert_int_eq(mem_cgroup_usage(memcg), 4);
	folio_put(folio);
	folio_put(held[0]);
	folio_put(held[1]);
	iput(inode);
	current->memcg = &root_mem_cgroup;
	mem_cgroup_destroy(memcg);
}
END_TEST

/* Returns what copy_from_user left uncopied with page faults disabled. */
static int copy_nofault(void *arg)
{
	unsigned long addr = *(unsigned long *)arg;
	u8 buf[16] = { 0 };
	unsigned long left;

	pagefault_disable();
	left = copy_from_user(buf, addr, sizeof(buf));
	pagefault_enable();
	return left ? (int)left : 0x100 | buf[0];
}

START_TEST(copy_from_user_fails_with_page_faults_disabled)
{
	unsigned long addr = ksys_mmap_pgoff(0, 2 * PAGE_SIZE,
					     PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS,
					     -1, 0);
	u8 c;

	ck_assert(!IS_ERR_VALUE(addr));
	/* No page yet: nothing copied. With faults allowed it works. */
	ck_assert_int_eq(task_call(copy_nofault, &addr, "copy"), 16);
	ck_assert_int_eq(copy_to_user(addr, "\x42", 1), 0);
	ck_assert_int_eq(copy_from_user(&c, addr, 1), 0);
	ck_assert_int_eq(c, 0x42);
	/* Present now: the copy with faults disabled succeeds. */
	ck_assert_int_eq(task_call(copy_nofault, &addr, "copy"), 0x142);
	ck_assert_int_eq(ksys_munmap(addr, 2 * PAGE_SIZE), 0);
	ck_assert_int_eq(mem_used_pages(), 0);
}
END_TEST

static int copy_under_mmap_lock(void *arg)
{
	unsigned long addr = *(unsigned long *)arg;
	u8 c;

	mmap_read_lock(current->mm);
	c = copy_from_user(&c, addr, 1);
	mmap_read_unlock(current->mm);
	return 0;
}

START_TEST(copy_from_user_faulting_under_mmap_lock_is_recursion)
{
	unsigned long addr = ksys_mmap_pgoff(0, PAGE_SIZE, PROT_READ,
					     MAP_PRIVATE | MAP_ANONYMOUS,
					     -1, 0);

	ck_assert_int_eq(task_call(copy_under_mmap_lock, &addr, "copy"), 0);
	ck_assert_report("recursion");
	ck_assert_report("recursion");
}
END_TEST

/* Map a private anonymous page, make it present, return its address. */
static unsigned long present_user_page(void)
{
	unsigned long addr = ksys_mmap_pgoff(0, PAGE_SIZE,
					     PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS,
					     -1, 0);

	ck_assert(!IS_ERR_VALUE(addr));
	ck_assert_int_eq(copy_to_user(addr, "\x5a", 1), 0);
	return addr;
}

START_TEST(might_fault_present_page_under_spin_lock_is_atomic_sleep)
{
	unsigned long addr = present_user_page();
	spinlock_t lock;
	u8 c = 0;

	spin_lock_init(&lock);
	spin_lock(&lock);
	ck_assert_int_eq(copy_from_user(&c, addr, 1), 0);
	spin_unlock(&lock);
	ck_assert_int_eq(c, 0x5a);
	ck_assert_report("atomic-sleep");
	spin_lock(&lock);
	pagefault_disable();
	ck_assert_int_eq(copy_to_user(addr, "\x5b", 1), 0);
	pagefault_enable();
	spin_unlock(&lock);
	ck_assert_int_eq(report_pending(), 0);
}
END_TEST

START_TEST(sh1_user_copy_under_another_mms_mmap_lock_is_recursion)
{
	unsigned long addr = present_user_page();
	struct mm_struct *other = mm_alloc();
	u8 c = 0;

	mmap_write_lock(other);
	ck_assert_int_eq(copy_from_user(&c, addr, 1), 0);
	mmap_write_unlock(other);
	ck_assert_int_eq(c, 0x5a);
	ck_assert_report("recursion");
	mmput(other);
}
END_TEST

static DEFINE_MUTEX(might_fault_x);
static DEFINE_MUTEX(might_fault_y);

START_TEST(might_fault_teaches_lock_to_mmap_lock)
{
	unsigned long addr = present_user_page();
	u8 c = 0;

	mutex_lock(&might_fault_x);
	ck_assert_int_eq(copy_from_user(&c, addr, 1), 0);
	mutex_unlock(&might_fault_x);
	ck_assert(lockdep_has_dependency("might_fault_x", "mmap_lock"));
	mutex_lock(&might_fault_y);
	pagefault_disable();
	ck_assert_int_eq(copy_from_user(&c, addr, 1), 0);
	pagefault_enable();
	mutex_unlock(&might_fault_y);
	ck_assert(!lockdep_has_dependency("might_fault_y", "mmap_lock"));
}
END_TEST

START_TEST(access_outside_a_mapping_is_sigsegv)
{
	unsigned long addr = ksys_mmap_pgoff(0, PAGE_SIZE, PROT_READ,
					     MAP_PRIVATE | MAP_ANONYMOUS,
					     -1, 0);
	u8 v;

	ck_assert_int_eq(user_load_byte(addr, &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(user_store_byte(addr, 1), -SIGSEGV);
	ck_assert_int_eq(user_load_byte(addr + PAGE_SIZE, &v), -SIGSEGV);
	ck_assert_int_eq(ksys_mprotect(addr, PAGE_SIZE,
				       PROT_READ | PROT_WRITE), 0);
	ck_assert_int_eq(user_store_byte(addr, 1), 0);
}
END_TEST

START_TEST(mprotect_read_only_write_protects_present_entries)
{
	unsigned long addr = present_user_page();	/* holds 0x5a */
	u8 v = 0;

	ck_assert_int_eq(user_store_byte(addr, 0x11), 0);
	ck_assert_int_eq(ksys_mprotect(addr, PAGE_SIZE, PROT_READ), 0);
	ck_assert_int_eq(user_store_byte(addr, 0x22), -SIGSEGV);
	ck_assert_int_eq(user_load_byte(addr, &v), 0);
	ck_assert_int_eq(v, 0x11);
	ck_assert_int_eq(ksys_mprotect(addr, PAGE_SIZE,
				       PROT_READ | PROT_WRITE), 0);
	ck_assert_int_eq(user_store_byte(addr, 0x33), 0);
	ck_assert_int_eq(user_load_byte(addr, &v), 0);
	ck_assert_int_eq(v, 0x33);
}
END_TEST

static int vma_lock_check(void *unused)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	bool during, after;

	mmap_write_lock(mm);
	vma = find_vma(mm, 0);
	vma_start_write(vma);
	during = vma_is_write_locked(vma);
	mmap_write_unlock(mm);
	mmap_write_lock(mm);
	after = vma_is_write_locked(vma);
	mmap_write_unlock(mm);
	return during && !after ? 0 : -1;
}

START_TEST(vma_write_lock_ends_with_mmap_write_unlock)
{
	ck_assert(!IS_ERR_VALUE(ksys_mmap_pgoff(0, PAGE_SIZE, PROT_READ,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
	ck_assert_int_eq(task_call(vma_lock_check, NULL, "vma"), 0);
}
END_TEST

START_TEST(warn_then_reset)
{
	WARN_ON(1);
	mmlit_process_reset();
}
END_TEST

START_TEST(consume_warn_then_reset)
{
	WARN_ON(1);
	ck_assert_report("warn");
	mmlit_process_reset();
}
END_TEST

START_TEST(a_reset_does_not_hide_a_report)
{
	ck_assert_int_eq(ktest_run_alone(warn_then_reset), 1);
	ck_assert_int_eq(ktest_run_alone(consume_warn_then_reset), 0);
}
END_TEST

static int warn_late(void *unused)
{
	usleep(100 * 1000);		/* after the body has returned */
	WARN_ON(1);
	return 0;
}

START_TEST(leave_a_task_running)
{
	task_run(warn_late, NULL, "late");
}
END_TEST

START_TEST(a_late_report_of_an_unjoined_task_fails_its_test)
{
	ck_assert_int_eq(ktest_run_alone(leave_a_task_running), 1);
}
END_TEST

START_TEST(a_test_run_alone_leaves_the_runners_log_whole)
{
	char path[] = "/tmp/mmlit-log-XXXXXX", buf[16] = "";
	const char *old = getenv("CK_XML_LOG_FILE_NAME");
	char *saved = old ? strdup(old) : NULL;
	int fd = mkstemp(path);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "<log/>", 6), 6);
	setenv("CK_XML_LOG_FILE_NAME", path, 1);
	ck_assert_int_eq(ktest_run_alone(consume_warn_then_reset), 0);
	if (saved)
		setenv("CK_XML_LOG_FILE_NAME", saved, 1);
	else
		unsetenv("CK_XML_LOG_FILE_NAME");
	free(saved);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	unlink(path);
	ck_assert_int_eq(n, 6);
	ck_assert_str_eq(buf, "<log/>");
}
END_TEST

static Suite *mm_suite(void)
{
	Suite *s = suite_create("mm");
	TCase *tc = ktest_tcase("memory");

	tcase_add_test(tc, sh3_alloc_under_lock_taken_in_reclaim_is_cycle);
	tcase_add_test(tc, sh3_nofs_allocation_is_not_a_cycle);
	tcase_add_test(tc, sh5_page_alloc_fails_the_nth_allocation);
	tcase_add_test(tc, sh5_pressure_reclaim_calls_owner_writeout);
	tcase_add_test(tc, sh5_refused_writeout_fails_or_kills_a_bystander);
	tcase_add_test(tc, xarray_store_find_erase);
	tcase_add_test(tc, xarray_indexes_up_to_ulong_max);
	tcase_add_test(tc, xarray_node_allocation_failure_is_enomem);
	tcase_add_test(tc, folio_data_is_allocated_on_first_write);
	tcase_add_test(tc, page_cache_add_remove_and_refcounts);
	tcase_add_test(tc, memcg_limit_reclaims_then_fails);
	tcase_add_test(tc, copy_from_user_fails_with_page_faults_disabled);
	tcase_add_test(tc, copy_from_user_faulting_under_mmap_lock_is_recursion);
	tcase_add_test(tc, might_fault_present_page_under_spin_lock_is_atomic_sleep);
	tcase_add_test(tc, sh1_user_copy_under_another_mms_mmap_lock_is_recursion);
	tcase_add_test(tc, might_fault_teaches_lock_to_mmap_lock);
	tcase_add_test(tc, access_outside_a_mapping_is_sigsegv);
	tcase_add_test(tc, mprotect_read_only_write_protects_present_entries);
	tcase_add_test(tc, vma_write_lock_ends_with_mmap_write_unlock);
	tcase_add_test(tc, a_reset_does_not_hide_a_report);
	tcase_add_test(tc, a_late_report_of_an_unjoined_task_fails_its_test);
	tcase_add_test(tc, a_test_run_alone_leaves_the_runners_log_whole);
	suite_add_tcase(s, tc);
	return s;
}
KTEST_SUITE(mm_suite)
