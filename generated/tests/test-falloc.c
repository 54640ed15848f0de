/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/03-falloc.nw (chapter 3); do not edit. */
/* test-falloc.c: claims FX1-FX10, against every design of chapter 3. */
#include <unistd.h>
#include "ktest.h"
#include "shmem.h"
#include "fd-helpers.h"

static const char *design_name(void)
{
	return variant_name(&shmem_falloc_area);
}

/* A fresh process under design @i; the last one's reports were expected. */
static void use_design(int i)
{
	if (report_pending()) {
		report_print_pending(stderr);
		ck_abort_msg("unexpected report(s) under falloc/%s",
			     design_name());
	}
	mmlit_process_reset();
	variant_select(&shmem_falloc_area, i);
	ck_assert_str_eq(shmem_excl()->name, design_name());
}

static int new_memfd(const char *name, loff_t size)
{
	int fd = ksys_memfd_create(name, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ksys_ftruncate(fd, size), 0);
	return fd;
}

static void fill(int fd, pgoff_t first, pgoff_t nr, int byte)
{
	static char buf[PAGE_SIZE];

	memset(buf, byte, sizeof(buf));
	for (pgoff_t i = first; i < first + nr; i++)
		ck_assert_int_eq(ksys_pwrite64(fd, buf, PAGE_SIZE, P(i)),
				 PAGE_SIZE);
}

static unsigned long map_shared(int fd, pgoff_t pages)
{
	unsigned long addr = ksys_mmap_pgoff(0, P(pages),
					     PROT_READ | PROT_WRITE,
					     MAP_SHARED, fd, 0);

	ck_assert(!IS_ERR_VALUE(addr));
	return addr;
}

static bool has_folio(struct inode *inode, pgoff_t index)
{
	void *entry = filemap_get_entry(inode->i_mapping, index);

	return entry && !xa_is_value(entry);
}

static bool task_sleeps(struct task_struct *t)
{
	return READ_ONCE(t->waiting) && READ_ONCE(t->__state) != TASK_RUNNING;
}

/* Until @t sleeps on a folio lock: the pause the test holds. */
static void until_paused(struct task_struct *t)
{
	long start = now_ms();

	while (!(task_sleeps(t) &&
		 READ_ONCE(t->blocked_on.kind) == BLOCK_OWNER)) {
		ck_assert_msg(!READ_ONCE(t->exited),
			      "%s ended before the pause",
			      t->comm);
		ck_assert_msg(now_ms() - start < 2000, "%s never paused",
			      t->comm);
		usleep(100);
	}
}

/* Did @t end (false), or does it sleep in @mapping's exclusion (true)? */
static bool waits_in_exclusion(struct task_struct *t,
			       struct address_space *mapping)
{
	long start = now_ms();

	for (;;) {
		if (READ_ONCE(t->exited))
			return false;
		if (task_sleeps(t)) {
			enum block_kind kind = READ_ONCE(t->blocked_on.kind);
			struct lockdep_map *map = READ_ONCE(t->blocked_on.map);

			if (kind == BLOCK_WAITQ ||
			    (kind == BLOCK_LOCK &&
			     map == &mapping->invalidate_lock.dep_map))
				return true;
		}
		ck_assert_msg(now_ms() - start < 2000,
			      "%s neither ended nor waited", t->comm);
		usleep(100);
	}
}

struct falloc_call {
	int fd, mode;
	loff_t offset, len;
	long ret;
	bool self_killed;
	int done;		/* order of completion */
};

struct touch_call {
	unsigned long addr;
	bool write;	/* a store: write faults never fault around */
	int ret;
	int done;
};

static int done_seq;

static int falloc_fn(void *data)
{
	struct falloc_call *c = data;

	c->ret = ksys_fallocate(c->fd, c->mode, c->offset, c->len);
	c->done = __atomic_add_fetch(&done_seq, 1, __ATOMIC_SEQ_CST);
	return 0;
}

/* A read through the mapping: a fault if nothing is mapped there. */
static int touch_fn(void *data)
{
	struct touch_call *c = data;
	u8 byte;

	if (c->write)
		c->ret = user_store_byte(c->addr, 0x77);
	else
		c->ret = user_load_byte(c->addr, &byte);
	c->done = __atomic_add_fetch(&done_seq, 1, __ATOMIC_SEQ_CST);
	return 0;
}

#define FX_BALLAST	20	/* fewer than SWAP_CLUSTER_MAX */
#define FX_BYSTANDER	24
#define FX_FREE		40
#define FX_TOTAL	(FX_BALLAST + 2 * FX_BYSTANDER + FX_FREE)
#define FX_WANT		200	/* more than memory and swap together */

struct falloc_pressure {
	int ballast;		/* fd */
	int bystander[2];
	int victim;		/* fd of the file fallocate fills */
};

static void falloc_pressure_setup(struct falloc_pressure *p, long swap)
{
	mem_set_total_pages(FX_TOTAL);
	swap_set_slots(swap);
	p->ballast = new_memfd("ballast", P(FX_BALLAST));
	fill(p->ballast, 0, FX_BALLAST, 0xba);
	p->bystander[0] = oom_register_bystander("bystander-1", FX_BYSTANDER);
	p->bystander[1] = oom_register_bystander("bystander-2", FX_BYSTANDER);
	p->victim = new_memfd("victim", 0);
	ck_assert_int_eq(mem_free_pages(), FX_FREE);
	ck_assert_int_eq(lru_nr_folios(), FX_BALLAST);
}

struct pressure_result {
	long ret;		/* fallocate's result, or -EDEADLK */
	int killed;		/* bystanders the OOM killer chose */
	bool self_killed;	/* the fallocate task got SIGKILL */
	long pswpout;		/* folios written to swap */
	long victim_swapped;	/* of the victim file's folios */
	long victim_blocks;	/* its st_blocks, in pages */
	loff_t victim_size;
	long used;		/* pages in use after */
};

static int pressure_falloc(void *data)
{
	struct falloc_call *c = data;

	c->ret = ksys_fallocate(c->fd, c->mode, c->offset, c->len);
	c->self_killed = fatal_signal_pending(current);
	return 0;
}

static void falloc_under_pressure(long swap, struct pressure_result *r)
{
	struct falloc_pressure p;
	struct falloc_call c = { .mode = 0, .offset = 0, .len = P(FX_WANT) };
	int ret;

	falloc_pressure_setup(&p, swap);
	c.fd = p.victim;
	ret = task_call(pressure_falloc, &c, "falloc");
	memset(r, 0, sizeof(*r));
	r->ret = ret == -EDEADLK ? -EDEADLK : c.ret;
	r->killed = !oom_bystander_alive(p.bystander[0]) +
		    !oom_bystander_alive(p.bystander[1]);
	r->self_killed = ret != -EDEADLK && c.self_killed;
	r->pswpout = vm_events.pswpout;
	r->used = mem_used_pages();
	if (ret == -EDEADLK)
		return;
	r->victim_swapped = SHMEM_I(fd_inode(p.victim))->swapped;
	r->victim_blocks = fd_pages(p.victim);
	r->victim_size = fd_size(p.victim);
}

struct punch_pause {
	int fd;
	struct inode *inode;
	unsigned long addr;
	struct folio *held;
	struct falloc_call punch;
	struct task_struct *puncher;
	int resumed;		/* done_seq when the test let the punch go */
};

/* Punch pages 0-7 of a 16-page file with data in 0-11; pause at page 5. */
static void punch_and_pause(struct punch_pause *pp)
{
	pp->fd = new_memfd("punched", P(16));
	fill(pp->fd, 0, 12, 0x11);
	pp->inode = fd_inode(pp->fd);
	pp->addr = map_shared(pp->fd, 16);
	pp->held = filemap_lock_folio(pp->inode->i_mapping, 5);
	ck_assert(!IS_ERR_OR_NULL(pp->held));
	pp->punch = (struct falloc_call){ .fd = pp->fd, .offset = 0,
		.len = P(8),
		.mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE };
	pp->puncher = task_run(falloc_fn, &pp->punch, "punch");
	until_paused(pp->puncher);
	ck_assert(!has_folio(pp->inode, 2) && has_folio(pp->inode, 6));
}

static void punch_resume(struct punch_pause *pp)
{
	pp->resumed = __atomic_add_fetch(&done_seq, 1, __ATOMIC_SEQ_CST);
	folio_unlock(pp->held);
	folio_put(pp->held);
	ck_assert_int_eq(task_join(pp->puncher), 0);
	ck_assert_int_eq(pp->punch.ret, 0);
	for (pgoff_t i = 0; i < 8; i++)
		ck_assert(i == 2 || !has_folio(pp->inode, i));
}

START_TEST(fx1_fault_into_punched_hole_waits_for_the_punch)
{
	for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
		struct touch_call t = { 0 };
		struct task_struct *toucher;
		struct punch_pause pp;

		use_design(i);
		punch_and_pause(&pp);
		t.addr = pp.addr + P(2);
		toucher = task_run(touch_fn, &t, "fault");
		ck_assert_msg(waits_in_exclusion(toucher, pp.inode->i_mapping),
			      "falloc/%s: a fault into the hole being punched "
			      "did not wait", design_name());
		ck_assert_msg(!has_folio(pp.inode, 2),
			      "falloc/%s: the hole was refilled "
			      "during the punch",
			      design_name());
		punch_resume(&pp);
		ck_assert_int_eq(task_join(toucher), 0);
		ck_assert_int_eq(t.ret, 0);
		ck_assert_int_gt(t.done, pp.resumed);
		ck_assert(has_folio(pp.inode, 2));	/* faulted in after */
	}
}
END_TEST

START_TEST(fx2_fault_outside_punched_range_does_not_wait)
{
	for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
		bool whole_file = i == EXCL_RFC || i == EXCL_RFC_TRYLOCK;
		pgoff_t outside[] = { 10, 13 };	/* data, hole */
		/* a read fault on cached data is mapped by fault-around */
		bool reaches_fault[] = { false, true };

		use_design(i);
		for (int k = 0; k < 2; k++) {
			struct touch_call t = { 0 };
			struct task_struct *toucher;
			struct punch_pause pp;
			bool waited;

			punch_and_pause(&pp);
			t.addr = pp.addr + P(outside[k]);
			toucher = task_run(touch_fn, &t, "fault");
			waited = waits_in_exclusion(toucher,
						    pp.inode->i_mapping);
			ck_assert_msg(waited == (whole_file &&
						 reaches_fault[k]),
				      "falloc/%s: a fault at page %lu, "
				      "outside the punch, %s",
				      design_name(), outside[k],
				      waited ? "waited" : "did not wait");
			punch_resume(&pp);
			ck_assert_int_eq(task_join(toucher), 0);
			ck_assert_int_eq(t.ret, 0);
			ck_assert(waited ? t.done > pp.resumed :
					   t.done < pp.resumed);
			ck_assert_int_eq(ksys_munmap(pp.addr, P(16)), 0);
			ck_assert_int_eq(ksys_close(pp.fd), 0);
		}
	}
}
END_TEST

static bool fault_waits_for_punch(pgoff_t page, bool *after)
{
	struct touch_call t = { 0 };
	struct task_struct *toucher;
	struct punch_pause pp;
	bool waited;

	punch_and_pause(&pp);
	t.addr = pp.addr + P(page);
	t.write = true;		/* page 7 and 8 are cached: reach ->fault */
	toucher = task_run(touch_fn, &t, "fault");
	waited = waits_in_exclusion(toucher, pp.inode->i_mapping);
	pp.resumed = __atomic_add_fetch(&done_seq, 1, __ATOMIC_SEQ_CST);
	folio_unlock(pp.held);		/* punch_resume, but the fault may */
	folio_put(pp.held);		/* fill its page before we look */
	ck_assert_int_eq(task_join(pp.puncher), 0);
	ck_assert_int_eq(pp.punch.ret, 0);
	ck_assert_int_eq(task_join(toucher), 0);
	ck_assert_int_eq(t.ret, 0);
	*after = t.done > pp.resumed;
	ck_assert_int_eq(ksys_munmap(pp.addr, P(16)), 0);
	ck_assert_int_eq(ksys_close(pp.fd), 0);
	return waited;
}

START_TEST(fx1_fault_at_the_edges_of_a_punch)
{
	static const pgoff_t edges[] = { 0, 7 };

	for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
		use_design(i);
		for (int k = 0; k < 2; k++) {
			bool after;

			ck_assert_msg(fault_waits_for_punch(edges[k], &after) &&
				      after, "falloc/%s: a fault at page %lu, "
				      "an edge of the punch, did not wait",
				      design_name(), edges[k]);
		}
	}
}
END_TEST

START_TEST(fx2_fault_just_outside_a_punch)
{
	for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
		bool whole_file = i == EXCL_RFC || i == EXCL_RFC_TRYLOCK;
		bool after, waited;

		use_design(i);
		waited = fault_waits_for_punch(8, &after);
		ck_assert_msg(waited == whole_file && after == whole_file,
			      "falloc/%s: a fault at page 8, just past the "
			      "punch, %s", design_name(),
			      waited ? "waited" : "did not wait");
	}
}
END_TEST

START_TEST(fx3_enomem_exactly_when_unswapped_exceeds_falloced)
{
	struct shmem_falloc sf = { 0 };
	const struct shmem_excl_ops *e;
	struct folio *old, *young;
	int fd;

	use_design(EXCL_SHMEM_FALLOC);
	e = shmem_excl();
	fd = new_memfd("edges", P(8));
	e->alloc_begin(fd_inode(fd), &sf, 2);
	sf.nr_falloced = 3;
	sf.nr_unswapped = 3;
	ck_assert_int_eq(e->alloc_check(fd_inode(fd), &sf), 0);
	sf.nr_unswapped = 4;
	ck_assert_int_eq(e->alloc_check(fd_inode(fd), &sf), -ENOMEM);
	old = folio_alloc(GFP_KERNEL, 0);
	young = folio_alloc(GFP_KERNEL, 0);
	folio_mark_uptodate(old);
	e->alloc_progress(fd_inode(fd), &sf, old, 3);	/* was there */
	ck_assert_int_eq(sf.nr_falloced, 3);
	ck_assert_int_eq(sf.next, 3);
	e->alloc_progress(fd_inode(fd), &sf, young, 4);	/* new */
	ck_assert_int_eq(sf.nr_falloced, 4);
	ck_assert_int_eq(sf.next, 4);
	e->alloc_end(fd_inode(fd), &sf);
	folio_put(old);
	folio_put(young);
	ksys_close(fd);
}
END_TEST

START_TEST(fx5_writeout_counts_only_the_range_covered_so_far)
{
	struct shmem_falloc sf = { 0 };
	const struct shmem_excl_ops *e;
	struct folio *in, *edge;
	int fd;

	use_design(EXCL_SHMEM_FALLOC);
	e = shmem_excl();
	fd = new_memfd("edges", P(8));
	e->alloc_begin(fd_inode(fd), &sf, 2);
	sf.next = 5;
	in = folio_alloc(GFP_KERNEL, 0);
	edge = folio_alloc(GFP_KERNEL, 0);
	in->index = 4;
	edge->index = 5;
	ck_assert(e->writeout_unfalloced(in, fd_inode(fd)));
	ck_assert_int_eq(sf.nr_unswapped, 1);
	ck_assert(!folio_test_uptodate(in));
	ck_assert(!e->writeout_unfalloced(edge, fd_inode(fd)));
	ck_assert_int_eq(sf.nr_unswapped, 1);
	ck_assert(folio_test_uptodate(edge));
	e->alloc_end(fd_inode(fd), &sf);
	folio_put(in);
	folio_put(edge);
	ksys_close(fd);
}
END_TEST

static bool pte_mapped(unsigned long addr)
{
	spinlock_t *ptl;
	struct pte *pte = pte_offset_map_lock(current->mm, addr, &ptl);

	pte_unmap_unlock(pte, ptl);
	return pte != NULL;
}

START_TEST(fx12_fault_around_neither_sleeps_nor_waits)
{
	for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
		struct touch_call t = { 0 };
		struct task_struct *toucher;
		struct punch_pause pp;
		unsigned long addr;
		int fd;
		u8 byte;

		use_design(i);
		fd = new_memfd("cached", P(16));	/* nothing locked */
		fill(fd, 0, 12, 0x11);
		addr = map_shared(fd, 16);
		ck_assert_int_eq(user_load_byte(addr + P(10), &byte), 0);
		ck_assert_msg(!report_pending(), "falloc/%s: fault-around "
			      "reported a sleep", design_name());
		ck_assert(pte_mapped(addr + P(10)) && pte_mapped(addr + P(3)));
		ck_assert_int_eq(ksys_munmap(addr, P(16)), 0);
		ck_assert_int_eq(ksys_close(fd), 0);

		/* page 5 locked, in the window */
		punch_and_pause(&pp);
		t.addr = pp.addr + P(10);
		toucher = task_run(touch_fn, &t, "fault");
		ck_assert_msg(!waits_in_exclusion(toucher, pp.inode->i_mapping),
			      "falloc/%s: fault-around waited during a punch",
			      design_name());
		ck_assert_int_eq(task_join(toucher), 0);
		ck_assert_int_eq(t.ret, 0);
		ck_assert_msg(!report_pending(), "falloc/%s: fault-around "
			      "reported a sleep", design_name());
		ck_assert(pte_mapped(pp.addr + P(10)) &&
			  pte_mapped(pp.addr + P(6)));
		ck_assert(!pte_mapped(pp.addr + P(5)));	/* locked: skipped */
		punch_resume(&pp);
		ck_assert_int_gt(pp.punch.done, t.done);
		ck_assert_int_eq(ksys_munmap(pp.addr, P(16)), 0);
		ck_assert_int_eq(ksys_close(pp.fd), 0);
	}
}
END_TEST

struct fx11_map {
	unsigned long addr;
	long done;
};

static int fx11_mmap_fn(void *data)
{
	struct fx11_map *m = data;

	m->addr = ksys_mmap_pgoff(0, P(1), PROT_READ, MAP_PRIVATE |
				  MAP_ANONYMOUS, -1, 0);
	m->done = __atomic_add_fetch(&done_seq, 1, __ATOMIC_SEQ_CST);
	return 0;
}

/* Did @t end (false), or does it sleep on @mm's mmap_lock (true)? */
static bool waits_on_mmap_lock(struct task_struct *t, struct mm_struct *mm)
{
	long start = now_ms();

	for (;;) {
		if (READ_ONCE(t->exited))
			return false;
		if (task_sleeps(t) &&
		    READ_ONCE(t->blocked_on.kind) == BLOCK_LOCK &&
		    READ_ONCE(t->blocked_on.map) == &mm->mmap_lock.dep_map)
			return true;
		ck_assert_msg(now_ms() - start < 2000,
			      "%s neither ended nor waited", t->comm);
		usleep(100);
	}
}

START_TEST(fx11_waiting_fault_holds_mmap_lock_under_the_rfc)
{
	for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
		bool whole_file = i == EXCL_RFC || i == EXCL_RFC_TRYLOCK;
		struct touch_call t = { 0 };
		struct fx11_map m = { 0 };
		struct task_struct *toucher, *mapper;
		struct punch_pause pp;
		bool waited;

		use_design(i);
		punch_and_pause(&pp);
		t.addr = pp.addr + P(2);
		toucher = task_run(touch_fn, &t, "fault");
		ck_assert(waits_in_exclusion(toucher, pp.inode->i_mapping));
		mapper = task_run(fx11_mmap_fn, &m, "mmap");
		waited = waits_on_mmap_lock(mapper, current->mm);
		ck_assert_msg(waited == whole_file, "falloc/%s: an mmap %s",
			      design_name(),
			      waited ? "waited" : "did not wait");
		punch_resume(&pp);
		ck_assert_int_eq(task_join(mapper), 0);
		ck_assert_int_eq(task_join(toucher), 0);
		ck_assert_int_eq(t.ret, 0);
		ck_assert(!IS_ERR_VALUE(m.addr));
		ck_assert(waited ? m.done > pp.resumed :
				   m.done < pp.resumed);
		ck_assert_int_eq(ksys_munmap(m.addr, P(1)), 0);
		ck_assert_int_eq(ksys_munmap(pp.addr, P(16)), 0);
		ck_assert_int_eq(ksys_close(pp.fd), 0);
	}
}
END_TEST

START_TEST(fx3_fallocate_stops_with_enomem_under_pressure)
{
	for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
		struct pressure_result r;

		use_design(i);
		falloc_under_pressure(64, &r);
		if (i == EXCL_RFC) {
			ck_assert_int_eq(r.ret, -EDEADLK);
			ck_assert_report("recursion");
			ck_assert_report("deadlock");
			continue;
		}
		ck_assert_msg(r.ret == -ENOMEM,
			      "falloc/%s: fallocate returned %ld",
			      design_name(), r.ret);
		ck_assert_int_eq(r.victim_size, 0);
		ck_assert_int_eq(r.victim_blocks, 0);
		ck_assert_int_eq(r.victim_swapped, 0);
		ck_assert_int_eq(r.pswpout, FX_BALLAST);
		if (i == EXCL_RFC_TRYLOCK) {
			ck_assert_int_eq(r.killed, 2);
			ck_assert(r.self_killed);
			ck_assert_int_eq(r.used, 0);
			continue;
		}
		ck_assert_msg(r.killed == 0 && !r.self_killed,
			      "falloc/%s: the OOM killer killed %d "
			      "bystander(s)%s",
			      design_name(), r.killed,
			      r.self_killed ? " and fallocate" : "");
		ck_assert_int_eq(r.used, 2 * FX_BYSTANDER);
	}
}
END_TEST

static struct task_struct *fx4_target;
static int fx4_sig, fx4_allocs;

static void fx4_sink(const char *line)
{
	if (current != READ_ONCE(fx4_target) || !strstr(line, "alloc folio"))
		return;
	if (++fx4_allocs == 3)
		send_sig(fx4_sig, current);
}

static int fx4_falloc(void *data)
{
	WRITE_ONCE(fx4_target, current);
	return falloc_fn(data);
}

START_TEST(fx4_only_a_fatal_signal_stops_fallocate)
{
	for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
		int sigs[] = { SIGUSR1, SIGKILL };

		use_design(i);
		for (int k = 0; k < 2; k++) {
			struct falloc_call c = { .mode = 0, .len = P(8) };

			c.fd = new_memfd("signalled", 0);
			fx4_sig = sigs[k];
			fx4_allocs = 0;
			fx4_target = NULL;
			mmlit_set_trace(fx4_sink);
			ck_assert_int_eq(task_call(fx4_falloc, &c, "falloc"),
					 0);
			mmlit_set_trace(NULL);
			ck_assert_int_ge(fx4_allocs, 3);
			if (sigs[k] == SIGKILL) {
				ck_assert_int_eq(c.ret, -EINTR);
				ck_assert_int_eq(fd_pages(c.fd), 0);
				ck_assert_int_eq(fd_size(c.fd), 0);
				ck_assert_int_eq(mem_used_pages(), 0);
			} else {
				ck_assert_msg(c.ret == 0, "falloc/%s: SIGUSR1 "
					      "stopped fallocate (%ld)",
					      design_name(), c.ret);
				ck_assert_int_eq(fd_pages(c.fd), 8);
				ck_assert_int_eq(fd_size(c.fd), P(8));
			}
			ck_assert_int_eq(ksys_close(c.fd), 0);
		}
	}
}
END_TEST

START_TEST(fx5_faults_wait_for_an_allocation_only_under_the_rfc)
{
	for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
		bool whole_file = i == EXCL_RFC || i == EXCL_RFC_TRYLOCK;
		pgoff_t where[] = { 2, 12 };	/* inside, outside */

		use_design(i);
		for (int k = 0; k < 2; k++) {
			int fd = new_memfd("allocated", P(16));
			struct inode *inode = fd_inode(fd);
			unsigned long addr = map_shared(fd, 16);
			struct falloc_call c = { .fd = fd, .len = P(8) };
			struct touch_call t = { .addr = addr + P(where[k]) };
			struct task_struct *allocator, *toucher;
			struct folio *held;
			bool waited;

			fill(fd, 5, 1, 0x55);
			held = filemap_lock_folio(inode->i_mapping, 5);
			allocator = task_run(falloc_fn, &c, "falloc");
			until_paused(allocator);
			toucher = task_run(touch_fn, &t, "fault");
			waited = waits_in_exclusion(toucher, inode->i_mapping);
			ck_assert_msg(waited == whole_file,
				      "falloc/%s: a fault at page %lu "
				      "during the allocation %s",
				      design_name(), where[k],
				      waited ? "waited" : "did not wait");
			folio_unlock(held);
			folio_put(held);
			ck_assert_int_eq(task_join(allocator), 0);
			ck_assert_int_eq(task_join(toucher), 0);
			ck_assert_int_eq(c.ret, 0);
			ck_assert_int_eq(t.ret, 0);
			ck_assert_int_eq(fd_pages(fd), where[k] == 2 ? 8 : 9);
			ck_assert_int_eq(ksys_munmap(addr, P(16)), 0);
			ck_assert_int_eq(ksys_close(fd), 0);
		}
	}
}
END_TEST

/* A folio reserved the way fallocate reserves one, without its locks. */
static void reserve_folio(int fd, pgoff_t index)
{
	struct folio *folio;

	ck_assert_int_eq(shmem_get_folio(fd_inode(fd), index, 0, &folio,
					 SGP_FALLOC), 0);
	ck_assert(!folio_test_uptodate(folio));
	folio_mark_dirty(folio);
	folio_unlock(folio);
	folio_put(folio);
}

static int reclaim_once(void *unused)
{
	struct folio *folio;

	mm_force_direct_reclaim(1);
	folio = folio_alloc(GFP_HIGHUSER_MOVABLE, 0);
	if (!folio)
		return -ENOMEM;
	folio_put(folio);
	return 0;
}

/* Reclaim writes out a reserved folio of another file, as kswapd may. */
static void reclaim_a_reserved_folio(void)
{
	int other = new_memfd("reserved", P(4));

	swap_set_slots(8);
	reserve_folio(other, 0);
	ck_assert_int_eq(task_call(reclaim_once, NULL, "reclaim"), 0);
	ck_assert_int_eq(vm_events.pswpout, 1);
	ck_assert(xa_is_value(filemap_get_entry(fd_inode(other)->i_mapping,
						0)));
}

static bool report_names(const struct report *r, const char *lock)
{
	for (int i = 0; i < r->nr; i++)
		if (!strcmp(r->chain[i].lock, lock))
			return true;
	return false;
}

START_TEST(fx6_rfc_cycle_is_reported_without_reclaim)
{
	for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
		long stalls;
		int fd;

		use_design(i);
		reclaim_a_reserved_folio();
		ck_assert_int_eq(report_count(), 0);
		fd = new_memfd("small", 0);
		stalls = vm_events.allocstall;
		ck_assert_int_eq(ksys_fallocate(fd, 0, 0, P(4)), 0);
		ck_assert_int_eq(vm_events.allocstall, stalls);
		if (i != EXCL_RFC) {
			ck_assert_msg(report_count() == 0,
				      "falloc/%s: a report", design_name());
			ck_assert(!lockdep_has_dependency("fs_reclaim",
							  "invalidate_lock"));
			ck_assert(lockdep_has_dependency("invalidate_lock",
							 "fs_reclaim") ==
				  (i != EXCL_SHMEM_FALLOC));
			continue;
		}
		ck_assert_int_eq(report_count(), 1);
		ck_assert_int_eq(report_get(0)->kind, REPORT_CYCLE);
		ck_assert(report_names(report_get(0), "invalidate_lock"));
		ck_assert(report_names(report_get(0), "fs_reclaim"));
		ck_assert_str_eq(report_get(0)->chain[0].lock,
				 "invalidate_lock");
		ck_assert_str_eq(report_get(0)->chain[1].lock, "fs_reclaim");
		ck_assert_report("cycle");
	}
}
END_TEST

START_TEST(fx6_rfc_fault_path_closes_the_cycle_too)
{
	for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
		unsigned long addr;
		u8 byte;
		int fd;

		use_design(i);
		reclaim_a_reserved_folio();
		fd = new_memfd("faulted", P(4));
		addr = map_shared(fd, 4);
		ck_assert_int_eq(user_load_byte(addr + P(1), &byte), 0);
		if (i != EXCL_RFC && i != EXCL_RFC_TRYLOCK) {
			ck_assert_int_eq(report_count(), 0);
			continue;
		}
		if (i == EXCL_RFC_TRYLOCK) {	/* no edge back: no cycle */
			ck_assert_int_eq(report_count(), 0);
			ck_assert(lockdep_has_dependency("invalidate_lock",
							 "fs_reclaim"));
			continue;
		}
		ck_assert_int_eq(report_count(), 1);
		ck_assert(report_names(report_get(0), "invalidate_lock"));
		ck_assert(report_names(report_get(0), "fs_reclaim"));
		ck_assert_report("cycle");
	}
}
END_TEST

static const struct report *first_report(enum report_kind kind)
{
	for (int i = 0; i < report_count(); i++)
		if (report_get(i)->kind == kind)
			return report_get(i);
	return NULL;
}

/* Consume every pending report of @kind; returns how many there were. */
static int consume_reports(enum report_kind kind)
{
	int n = 0;

	while (report_expect_kind(kind))
		n++;
	return n;
}

/*
 * FX7's deadlock, two reports: recursion on invalidate_lock, then the
 * detector's. A figure consumes what it shows; any other report is left
 * pending, report_reset() refuses, and the next use_design() fails.
 */
static void consume_fx7_reports(void)
{
	ck_assert(report_expect_kind(REPORT_RECURSION));
	ck_assert(report_expect_kind(REPORT_DEADLOCK));
}

static void assert_link(const struct report *r, int i, const char *lock,
			const char *mode, const char *func)
{
	ck_assert_int_gt(r->nr, i);
	ck_assert_str_eq(r->chain[i].lock, lock);
	ck_assert_str_eq(r->chain[i].mode, mode);
	ck_assert_str_eq(r->chain[i].site.func, func);
}

START_TEST(fx7_rfc_reclaim_in_fallocate_waits_for_itself)
{
	for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
		const struct report *rec, *dl;
		struct pressure_result r;

		use_design(i);
		falloc_under_pressure(64, &r);
		if (i != EXCL_RFC) {
			ck_assert_msg(r.ret != -EDEADLK,
				      "falloc/%s deadlocked", design_name());
			ck_assert_int_eq(report_count(), 0);
			continue;
		}
		ck_assert_int_eq(r.ret, -EDEADLK);
		ck_assert_int_eq(tasks_stuck(), 1);
		ck_assert_int_ge(vm_events.allocstall, 1);
		rec = first_report(REPORT_RECURSION);
		ck_assert_ptr_nonnull(rec);
		ck_assert_str_eq(rec->task, "falloc");
		ck_assert_int_eq(rec->nr, 4);
		assert_link(rec, 0, "i_rwsem", "write", "shmem_fallocate");
		assert_link(rec, 1, "invalidate_lock", "write",
			    "rfc_falloc_begin");
		assert_link(rec, 2, "fs_reclaim", "write", "__perform_reclaim");
		assert_link(rec, 3, "invalidate_lock", "read",
			    "rfc_writeout_unfalloced");
		dl = first_report(REPORT_DEADLOCK);
		ck_assert_ptr_nonnull(dl);
		ck_assert_int_eq(dl->nr, 1);
		ck_assert_str_eq(dl->chain[0].task, "falloc");
		ck_assert_str_eq(dl->chain[0].lock, "mapping.invalidate_lock");
		ck_assert_str_eq(dl->chain[0].site.func,
				 "rfc_writeout_unfalloced");
		ck_assert_report("recursion");
		ck_assert_report("deadlock");
	}
}
END_TEST

struct two_tasks {
	struct inode *inode;
	struct folio *held;
	struct falloc_call c;
	struct task_struct *allocator, *reclaimer;
};

static void two_tasks_start(struct two_tasks *x)
{
	int ballast;

	swap_set_slots(64);
	x->c = (struct falloc_call){ .len = P(10) };
	x->c.fd = new_memfd("twice", P(16));
	x->inode = fd_inode(x->c.fd);
	reserve_folio(x->c.fd, 9);
	ballast = new_memfd("ballast", P(SWAP_CLUSTER_MAX - 1));
	fill(ballast, 0, SWAP_CLUSTER_MAX - 1, 0xba);
	fill(x->c.fd, 5, 1, 0x55);
	x->held = filemap_lock_folio(x->inode->i_mapping, 5);
	x->allocator = task_run(falloc_fn, &x->c, "falloc");
	until_paused(x->allocator);
	x->reclaimer = task_run(reclaim_once, NULL, "reclaim");
}

static void two_tasks_release(struct two_tasks *x)
{
	folio_unlock(x->held);
	folio_put(x->held);
}

START_TEST(fx7_rfc_deadlock_between_reclaim_and_fallocate_tasks)
{
	for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
		struct two_tasks x;

		use_design(i);
		two_tasks_start(&x);
		if (i != EXCL_RFC) {
			ck_assert_int_eq(task_join(x.reclaimer), 0);
			ck_assert_int_eq(vm_events.allocstall, 1);
			two_tasks_release(&x);
			ck_assert_int_eq(task_join(x.allocator), 0);
			ck_assert_msg(x.c.ret == 0, "falloc/%s: fallocate "
				      "returned %ld", design_name(), x.c.ret);
			ck_assert_int_eq(fd_pages(x.c.fd), 10);
			ck_assert_int_eq(report_count(), 0);
			continue;
		}
		ck_assert(waits_in_exclusion(x.reclaimer, x.inode->i_mapping));
		two_tasks_release(&x);
		ck_assert_int_eq(task_join(x.allocator), -EDEADLK);
		ck_assert_int_eq(task_join(x.reclaimer), -EDEADLK);
		ck_assert_int_eq(first_report(REPORT_DEADLOCK)->nr, 2);
		ck_assert_report("cycle");	/* the FX6 cycle, by the way */
		ck_assert_report("deadlock");
	}
}
END_TEST

START_TEST(fx8_without_feedback_the_oom_killer_kills_bystanders)
{
	static const struct {
		long ret;
		int killed;
	} expect[NR_EXCL_DESIGNS][2] = {	/* [design][swap?] */
		[EXCL_SHMEM_FALLOC]	= { { -ENOMEM, 2 }, { -ENOMEM, 0 } },
		[EXCL_RFC]		= { { -ENOMEM, 2 }, { -EDEADLK, 0 } },
		[EXCL_RFC_TRYLOCK]	= { { -ENOMEM, 2 }, { -ENOMEM, 2 } },
		[EXCL_FIX]		= { { -ENOMEM, 0 }, { -ENOMEM, 0 } },
	};

	for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
		for (int swap = 0; swap < 2; swap++) {
			struct pressure_result r;

			use_design(i);
			falloc_under_pressure(swap ? 64 : 0, &r);
			ck_assert_msg(r.ret == expect[i][swap].ret &&
				      r.killed == expect[i][swap].killed,
				      "falloc/%s, %s swap: returned %ld, %d "
				      "bystander(s) killed", design_name(),
				      swap ? "with" : "without",
				      r.ret, r.killed);
			ck_assert(r.self_killed == (r.killed == 2));
			if (r.ret == -EDEADLK) {
				ck_assert_report("recursion");
				ck_assert_report("deadlock");
			}
			ck_assert_int_eq(vm_events.oom_kill,
					 r.killed + r.self_killed);
		}
	}
}
END_TEST

struct design_row {
	bool fx1_waits;		/* fault in the punched hole waited */
	bool fx1_refilled;	/* the hole was refilled during the punch */
	bool fx2_waits;		/* a fault outside the punch waited */
	bool fx5_waits;		/* a fault outside an allocation waited */
	long fx3_ret;		/* fallocate under pressure, with swap */
	int fx3_killed;
	long fx8_ret;		/* the same without swap */
	int fx8_killed;
	bool fx6_cycle;		/* lockdep-lite reported a cycle */
	bool fx7_self;		/* Usama Arif's deadlock */
	bool fx7_cross;		/* the two-task deadlock */
};

/* The row of the current design; each part in a fresh process. */
static void design_row(int i, struct design_row *row)
{
	struct pressure_result r;
	struct punch_pause pp;
	struct touch_call t;
	struct task_struct *toucher;

	memset(row, 0, sizeof(*row));
	use_design(i);
	punch_and_pause(&pp);
	t = (struct touch_call){ .addr = pp.addr + P(2) };
	toucher = task_run(touch_fn, &t, "fault");
	row->fx1_waits = waits_in_exclusion(toucher, pp.inode->i_mapping);
	row->fx1_refilled = has_folio(pp.inode, 2);
	punch_resume(&pp);
	task_join(toucher);

	use_design(i);
	punch_and_pause(&pp);
	t = (struct touch_call){ .addr = pp.addr + P(13) };
	toucher = task_run(touch_fn, &t, "fault");
	row->fx2_waits = waits_in_exclusion(toucher, pp.inode->i_mapping);
	punch_resume(&pp);
	task_join(toucher);

	{
		int fd;
		struct inode *inode;
		unsigned long addr;
		struct falloc_call c;
		struct task_struct *allocator;
		struct folio *held;

		use_design(i);
		fd = new_memfd("allocated", P(16));
		inode = fd_inode(fd);
		addr = map_shared(fd, 16);
		c = (struct falloc_call){ .fd = fd, .len = P(8) };
		fill(fd, 5, 1, 0x55);
		held = filemap_lock_folio(inode->i_mapping, 5);
		allocator = task_run(falloc_fn, &c, "falloc");
		until_paused(allocator);
		t = (struct touch_call){ .addr = addr + P(12) };
		toucher = task_run(touch_fn, &t, "fault");
		row->fx5_waits = waits_in_exclusion(toucher, inode->i_mapping);
		folio_unlock(held);
		folio_put(held);
		task_join(allocator);
		task_join(toucher);
	}

	use_design(i);
	falloc_under_pressure(64, &r);
	row->fx3_ret = r.ret;
	row->fx3_killed = r.killed + r.self_killed;
	row->fx7_self = r.ret == -EDEADLK;
	if (row->fx7_self)
		consume_fx7_reports();
	report_reset();

	use_design(i);
	falloc_under_pressure(0, &r);
	row->fx8_ret = r.ret;
	row->fx8_killed = r.killed + r.self_killed;

	use_design(i);
	reclaim_a_reserved_folio();
	ksys_fallocate(new_memfd("small", 0), 0, 0, P(4));
	row->fx6_cycle = consume_reports(REPORT_CYCLE) > 0;
	report_reset();

	{
		struct two_tasks x;

		bool waits;

		use_design(i);
		two_tasks_start(&x);
		waits = waits_in_exclusion(x.reclaimer, x.inode->i_mapping);
		if (!waits)
			task_join(x.reclaimer);
		two_tasks_release(&x);
		row->fx7_cross = task_join(x.allocator) == -EDEADLK;
		if (waits)
			task_join(x.reclaimer);
		/*
		 * the two tasks' deadlock: lockdep-lite's cycle, the detector's
		 * report
		 */
		if (row->fx7_cross) {
			ck_assert(report_expect_kind(REPORT_DEADLOCK));
			consume_reports(REPORT_CYCLE);
		}
		report_reset();
	}
}

START_TEST(fx9_fix_keeps_fx1_to_fx3_without_fx6_or_fx7)
{
	struct design_row row;

	design_row(EXCL_FIX, &row);
	ck_assert(row.fx1_waits && !row.fx1_refilled);
	ck_assert(!row.fx2_waits);
	ck_assert(!row.fx5_waits);
	ck_assert_int_eq(row.fx3_ret, -ENOMEM);
	ck_assert_int_eq(row.fx3_killed, 0);
	ck_assert_int_eq(row.fx8_ret, -ENOMEM);
	ck_assert_int_eq(row.fx8_killed, 0);
	ck_assert(!row.fx6_cycle);
	ck_assert(!row.fx7_self);
	ck_assert(!row.fx7_cross);
	ck_assert_int_eq(report_pending(), 0);
}
END_TEST

START_TEST(fx10_every_design_refuses_fallocate_when_frozen)
{
	for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
		int modes[] = { 0, FALLOC_FL_KEEP_SIZE,
				FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE };
		int fd;

		struct falloc_call c;

		use_design(i);
		fd = new_memfd("frozen", P(4));
		fill(fd, 0, 4, 0x44);
		ck_assert_int_eq(mmlit_memfd_freeze(fd, true), 0);
		for (int k = 0; k < 3; k++) {
			c = (struct falloc_call){ .fd = fd, .mode = modes[k],
						  .len = P(8) };
			ck_assert_int_eq(task_call(falloc_fn, &c, "falloc"), 0);
			ck_assert_msg(c.ret == -EPERM,
				      "falloc/%s: mode %#x on a frozen "
				      "inode: %ld",
				      design_name(), modes[k], c.ret);
		}
		ck_assert_int_eq(fd_pages(fd), 4);
		ck_assert_int_eq(fd_size(fd), P(4));
		ck_assert_int_eq(mmlit_memfd_freeze(fd, false), 0);
		c = (struct falloc_call){ .fd = fd, .mode = modes[2],
					 .len = P(2) };
		ck_assert_int_eq(task_call(falloc_fn, &c, "falloc"), 0);
		ck_assert_int_eq(c.ret, 0);
		ck_assert_int_eq(fd_pages(fd), 2);
		ck_assert_int_eq(ksys_close(fd), 0);
	}
}
END_TEST

static void falloc_lock_workload(void)
{
	unsigned long addr;
	u8 byte;
	int fd;

	reclaim_a_reserved_folio();
	fd = new_memfd("workload", P(8));
	fill(fd, 6, 1, 0x66);
	ck_assert_int_eq(ksys_fallocate(fd, 0, 0, P(4)), 0);
	addr = map_shared(fd, 8);
	ck_assert_int_eq(user_load_byte(addr + P(6), &byte), 0);
	ck_assert_int_eq(user_load_byte(addr + P(5), &byte), 0);
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_PUNCH_HOLE |
					FALLOC_FL_KEEP_SIZE, 0, P(2)), 0);
}

/* @s for LaTeX: the underscores of variant names escaped. */
static void print_tex(const char *s)
{
	for (; *s; s++) {
		if (*s == '_')
			putchar('\\');
		putchar(*s);
	}
}

static void falloc_graph(int i)
{
	char title[96];

	use_design(i);
	falloc_lock_workload();
	snprintf(title, sizeof(title), "lock graph of falloc/%s",
		 design_name());
	lockdep_export_dot(stdout, title);
	/* the cycles the graph shows (FX6), reported as they closed */
	consume_reports(REPORT_CYCLE);
	report_reset();
}

static void falloc_graph_shmem_falloc(void) { falloc_graph(EXCL_SHMEM_FALLOC); }
static void falloc_graph_rfc(void) { falloc_graph(EXCL_RFC); }
static void falloc_graph_rfc_trylock(void) { falloc_graph(EXCL_RFC_TRYLOCK); }
static void falloc_graph_fix(void) { falloc_graph(EXCL_FIX); }
KTEST_FIGURE("falloc-graph-upstream", falloc_graph_shmem_falloc)
KTEST_FIGURE("falloc-graph-rfc", falloc_graph_rfc)
KTEST_FIGURE("falloc-graph-rfc-trylock", falloc_graph_rfc_trylock)
KTEST_FIGURE("falloc-graph-fix", falloc_graph_fix)

static void print_verbatim_line(const char *line)
{
	fputs(line, stdout);
	if (!*line || line[strlen(line) - 1] != '\n')
		fputc('\n', stdout);
}

/*
 * The fallocate task's trace from its last direct reclaim on: the reclaim,
 * the writeouts (the ballast's are counted, the last two kept), and the
 * invalidate_lock it then takes.
 */
#define FX7_KEEP	4
static char fx7_reclaim[256], fx7_last[FX7_KEEP][256];
static int fx7_writeouts, fx7_nr;

static void fx7_keep(const char *line)
{
	if (fx7_nr == FX7_KEEP) {
		memmove(fx7_last[0], fx7_last[1], sizeof(fx7_last[0]) *
			(FX7_KEEP - 1));
		fx7_nr--;
	}
	snprintf(fx7_last[fx7_nr++], sizeof(fx7_last[0]), "%s", line);
}

static void fx7_sink(const char *line)
{
	if (strncmp(line, "[falloc]", 8))
		return;
	if (strstr(line, "direct reclaim")) {
		snprintf(fx7_reclaim, sizeof(fx7_reclaim), "%s", line);
		fx7_writeouts = fx7_nr = 0;
	} else if (strstr(line, "writeout folio")) {
		fx7_writeouts++;
		fx7_keep(line);
	} else if (strstr(line, "] lock invalidate_lock")) {
		fx7_keep(line);
	}
}

/* Claim FX7's chain: trace, then the two reports, as LaTeX verbatim. */
static void falloc_fx7_chain(void)
{
	const struct report *rec, *dl;
	struct pressure_result r;

	use_design(EXCL_RFC);
	mmlit_set_trace(fx7_sink);
	falloc_under_pressure(64, &r);
	mmlit_set_trace(NULL);
	ck_assert_int_eq(r.ret, -EDEADLK);
	rec = first_report(REPORT_RECURSION);
	dl = first_report(REPORT_DEADLOCK);
	ck_assert(rec && dl);
	printf("\\begin{verbatim}\n");
	print_verbatim_line(fx7_reclaim);
	printf("  ... %d writeouts in this reclaim, the last ones:\n",
	       fx7_writeouts);
	for (int i = 0; i < fx7_nr; i++)
		print_verbatim_line(fx7_last[i]);
	printf("\n");
	print_verbatim_line(rec->text);
	print_verbatim_line(dl->text);
	printf("\\end{verbatim}\n");
	consume_fx7_reports();
	report_reset();
}
KTEST_FIGURE("falloc-fx7-chain", falloc_fx7_chain)

/* The FX5 table, from figures/falloc-fx5.dat. */
static void falloc_fx5_table(void)
{
	struct {
		char design[32], op[8];
		double base, mean, p99, max, op_ms, map_us;
		long faults, maps;
	} row[2 * NR_EXCL_DESIGNS];
	double upstream[2] = { 0, 0 };
	char path[4096], line[256], machine[256] = "";
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/figures/falloc-fx5.dat", ktest_root());
	f = fopen(path, "r");
	ck_assert_msg(f, "%s: cannot open", path);
	while (n < 2 * NR_EXCL_DESIGNS && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "# machine: ", 11)) {
			snprintf(machine, sizeof(machine), "%s", line + 11);
			machine[strcspn(machine, "\n")] = 0;
			for (char *c = machine; *c; c++)	/* LaTeX-safe */
				if (strchr("%$&_#{}\\^~", *c))
					*c = ' ';
		}
		if (line[0] == '#' ||
		    sscanf(line, "%31s %7s %lf %lf %lf %lf %lf %ld %lf %ld",
			   row[n].design, row[n].op, &row[n].base, &row[n].mean,
			   &row[n].p99, &row[n].max, &row[n].op_ms,
			   &row[n].faults, &row[n].map_us, &row[n].maps) != 10)
			continue;
		if (!strcmp(row[n].design, "shmem_falloc"))
			upstream[!strcmp(row[n].op, "punch")] = row[n].p99;
		n++;
	}
	fclose(f);
	ck_assert_int_eq(n, 2 * NR_EXCL_DESIGNS);
	printf("\\begin{tabular}{llrrrrrrrrr}\n"
	       "design & op & baseline $\\mu$s & mean $\\mu$s & "
	       "99\\%% $\\mu$s & longest $\\mu$s & op ms & faults & "
	       "99\\%% / today & mmap $\\mu$s & mmaps \\\\\n\\hline\n");
	for (int i = 0; i < n; i++) {
		printf("\\texttt{");
		print_tex(row[i].design);
		printf("} & %s & %.2f & %.1f & %.1f & %.0f & %.1f & %ld & "
		       "%.1f & %.0f & %ld \\\\\n", row[i].op, row[i].base,
		       row[i].mean, row[i].p99, row[i].max, row[i].op_ms,
		       row[i].faults,
		       row[i].p99 / upstream[!strcmp(row[i].op, "punch")],
		       row[i].map_us, row[i].maps);
	}
	printf("\\end{tabular}\n\n\\smallskip Measured on: %s.\n", machine);
}
KTEST_FIGURE("falloc-fx5", falloc_fx5_table)

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

static const char *outcome(long ret, char *buf, size_t len)
{
	if (ret == -EDEADLK)
		return "deadlock";
	if (ret == -ENOMEM)
		return "\\texttt{ENOMEM}";
	snprintf(buf, len, "%ld", ret);
	return buf;
}

static void falloc_tradeoffs(void)
{
	char b1[16], b2[16];

	printf("\\begin{tabular}{lccccccccc}\n"
	       "& \\multicolumn{2}{c}{FX1} & FX2 & FX5 & "
	       "\\multicolumn{2}{c}{FX3 (swap)} & "
	       "\\multicolumn{2}{c}{FX8 (no swap)} & FX6/FX7 \\\\\n"
	       "design & waits & refilled & waits & waits & result & killed & "
	       "result & killed & cycle, deadlocks \\\\\n\\hline\n");
	for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
		struct design_row row;

		design_row(i, &row);
		printf("\\texttt{");
		print_tex(design_name());
		printf("} & %s & %s & %s & %s & %s & %d & %s & %d & "
		       "%s, %d \\\\\n", yes(row.fx1_waits),
		       yes(row.fx1_refilled), yes(row.fx2_waits),
		       yes(row.fx5_waits),
		       outcome(row.fx3_ret, b1, sizeof(b1)), row.fx3_killed,
		       outcome(row.fx8_ret, b2, sizeof(b2)), row.fx8_killed,
		       yes(row.fx6_cycle), row.fx7_self + row.fx7_cross);
		report_reset();
	}
	printf("\\end{tabular}\n");
}
KTEST_FIGURE("falloc-tradeoffs", falloc_tradeoffs)

static Suite *falloc_suite(void)
{
	Suite *s = suite_create("falloc");
	TCase *tc = ktest_tcase("falloc");

	tcase_add_test(tc, fx1_fault_into_punched_hole_waits_for_the_punch);
	tcase_add_test(tc, fx2_fault_outside_punched_range_does_not_wait);
	tcase_add_test(tc, fx1_fault_at_the_edges_of_a_punch);
	tcase_add_test(tc, fx2_fault_just_outside_a_punch);
	tcase_add_test(tc, fx3_enomem_exactly_when_unswapped_exceeds_falloced);
	tcase_add_test(tc, fx5_writeout_counts_only_the_range_covered_so_far);
	tcase_add_test(tc, fx12_fault_around_neither_sleeps_nor_waits);
	tcase_add_test(tc, fx11_waiting_fault_holds_mmap_lock_under_the_rfc);
	tcase_add_test(tc, fx3_fallocate_stops_with_enomem_under_pressure);
	tcase_add_test(tc, fx4_only_a_fatal_signal_stops_fallocate);
	tcase_add_test(tc, fx5_faults_wait_for_an_allocation_only_under_the_rfc);
	tcase_add_test(tc, fx6_rfc_cycle_is_reported_without_reclaim);
	tcase_add_test(tc, fx6_rfc_fault_path_closes_the_cycle_too);
	tcase_add_test(tc, fx7_rfc_reclaim_in_fallocate_waits_for_itself);
	tcase_add_test(tc, fx7_rfc_deadlock_between_reclaim_and_fallocate_tasks);
	tcase_add_test(tc, fx8_without_feedback_the_oom_killer_kills_bystanders);
	tcase_add_test(tc, fx9_fix_keeps_fx1_to_fx3_without_fx6_or_fx7);
	tcase_add_test(tc, fx10_every_design_refuses_fallocate_when_frozen);
	suite_add_tcase(s, tc);
	return s;
}
KTEST_SUITE(falloc_suite)
