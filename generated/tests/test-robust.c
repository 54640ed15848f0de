/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/91-robust.nw (appendix G); do not edit. */
/* test-robust.c: failure sweeps and the soak (appendix "Reliability"). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "ktest.h"
#include "shmem.h"
#include "gmem.h"
#include "fd-helpers.h"

#define SNAP_PAGES	16

struct snap_page {
	void *entry;
	int ref, mapcount;
	bool lru;
	unsigned long sum;
};

struct snap {
	loff_t size;
	unsigned long flags;		/* shmem: SHMEM_F_MAPPING_FROZEN */
	unsigned int seals;
	long blocks, used, lru;
	struct snap_page page[SNAP_PAGES];
};

static unsigned long folio_sum(struct folio *folio)
{
	static u8 buf[PAGE_SIZE];
	unsigned long sum = 0;

	folio_read_data(folio, 0, buf, PAGE_SIZE);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		sum = sum * 31 + buf[i];
	return sum;
}

static void snap_take(int fd, struct snap *s)
{
	struct inode *inode = fd_inode(fd);

	memset(s, 0, sizeof(*s));
	s->size = i_size_read(inode);
	if (shmem_mapping(inode->i_mapping)) {
		s->flags = SHMEM_I(inode)->flags;
		s->seals = SHMEM_I(inode)->seals;
	}
	s->blocks = inode->i_blocks;
	s->used = mem_used_pages();
	s->lru = lru_nr_folios();
	for (int i = 0; i < SNAP_PAGES; i++) {
		void *e = xa_load(&inode->i_mapping->i_pages, i);
		struct snap_page *p = &s->page[i];

		p->entry = e;
		if (!e || xa_is_value(e))
			continue;
		p->ref = folio_ref_count(e);
		p->mapcount = folio_mapcount(e);
		p->lru = folio_test_lru((struct folio *)e);
		p->sum = folio_sum(e);
	}
}

/* A folio that came in (from a hole or from swap): no pin, on the LRU. */
static bool snap_new_folio_ok(const struct snap_page *q, bool hole)
{
	return q->entry && !xa_is_value(q->entry) &&
	       q->ref == 1 + q->mapcount && q->lru &&
	       (!hole || !q->sum);		/* the sum of zeros is 0 */
}

/* NULL when @b may follow @a after a failure, else what differs first. */
static const char *snap_diff(const struct snap *a, const struct snap *b,
			     bool fills, char *buf, size_t n)
{
	long came = 0, filled = 0;

	if (a->size != b->size)
		return "i_size";
	if (a->flags != b->flags || a->seals != b->seals)
		return "the inode's flags (the freeze) or seals";
	for (int i = 0; i < SNAP_PAGES; i++) {
		const struct snap_page *p = &a->page[i], *q = &b->page[i];
		bool same = p->entry == q->entry && p->ref == q->ref &&
			    p->mapcount == q->mapcount && p->lru == q->lru &&
			    p->sum == q->sum;

		if (same)
			continue;
		if (p->entry && xa_is_value(p->entry) &&
		    snap_new_folio_ok(q, false)) {
			came++;			/* swapped in, and kept */
			continue;
		}
		if (!p->entry && fills && snap_new_folio_ok(q, true)) {
			came++;			/* a hole filled with zeros */
			filled++;
			continue;
		}
		snprintf(buf, n, "page %d (entry, references, LRU or bytes)",
			 i);
		return buf;
	}
	if (b->used - a->used != came)
		return "the model's used pages";
	if (b->lru - a->lru != came)
		return "the LRU's size";
	if (b->blocks - a->blocks != filled * (long)(PAGE_SIZE / 512))
		return "i_blocks";
	return NULL;
}

static const char *invariants_broken(void)
{
	long walked = lru_walk_count();

	if (walked < 0)
		return "a folio on the LRU without PG_lru";
	if (walked != lru_nr_folios())
		return "the LRU's counter is not the length of its list";
	if (current->lockdep_depth)
		return "a lock is still held";
	if (report_pending())
		return "a lockdep-lite report is pending";
	return NULL;
}

struct sweep_ctx {
	int fd;
	unsigned long map;
	struct file *gmem;
};

static void sweep_memfd_setup(struct sweep_ctx *c)
{
	static u8 buf[2 * PAGE_SIZE];

	swap_set_slots(16);
	c->fd = ksys_memfd_create("sweep", MFD_ALLOW_SEALING);
	ck_assert_int_ge(c->fd, 0);
	ck_assert_int_eq(ksys_ftruncate(c->fd, P(8)), 0);
	memset(buf, 0x11, sizeof(buf));
	ck_assert_int_eq(ksys_pwrite64(c->fd, buf, P(2), 0), P(2));
	ck_assert_int_eq(ksys_fallocate(c->fd, 0, P(4), P(2)), 0);
	ck_assert_int_eq(ksys_pwrite64(c->fd, buf, P(1), P(6)), P(1));
	try_to_free_pages(GFP_KERNEL, 1);	/* the oldest, page 0 */
	c->map = ksys_mmap_pgoff(0, P(8), PROT_READ | PROT_WRITE, MAP_SHARED,
				 c->fd, 0);
	ck_assert(!IS_ERR_VALUE(c->map));
}

static void sweep_gmem_setup(struct sweep_ctx *c)
{
	c->fd = kvm_gmem_create(P(8), 0);
	ck_assert_int_ge(c->fd, 0);
	ck_assert_int_eq(ksys_fallocate(c->fd, FALLOC_FL_KEEP_SIZE, P(2),
					P(2)), 0);
	c->gmem = fget(c->fd);
	ck_assert_ptr_nonnull(c->gmem);
}

static long op_allocate(struct sweep_ctx *c)
{
	return ksys_fallocate(c->fd, 0, 0, P(10));
}

static long op_punch(struct sweep_ctx *c)
{
	return ksys_fallocate(c->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      P(1), P(4));
}

static long op_write(struct sweep_ctx *c)
{
	static u8 buf[4 * PAGE_SIZE];

	memset(buf, 0x22, sizeof(buf));
	return ksys_pwrite64(c->fd, buf, sizeof(buf), P(1) + 100);
}

static long op_truncate(struct sweep_ctx *c)
{
	long ret = ksys_ftruncate(c->fd, P(3) + 7);

	return ret ? ret : ksys_ftruncate(c->fd, P(9));
}

static long op_fault(struct sweep_ctx *c)
{
	return user_store_byte(c->map + P(2) + 1, 0x33);	/* a hole */
}

static long op_swapin(struct sweep_ctx *c)
{
	/* A write fault: a read would fault around and map page 1 too */
	return user_store_byte(c->map, 0x33);		/* in swap */
}

static long op_preserve(struct sweep_ctx *c)
{
	long ret = mmlit_memfd_freeze(c->fd, true);

	if (!ret)
		ret = mmlit_memfd_freeze(c->fd, false);
	return ret;
}

static long op_gmem_allocate(struct sweep_ctx *c)
{
	return ksys_fallocate(c->fd, FALLOC_FL_KEEP_SIZE, 0, P(8));
}

static long op_gmem_punch(struct sweep_ctx *c)
{
	return ksys_fallocate(c->fd, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE,
			      P(1), P(2));
}

static long op_gmem_fault(struct sweep_ctx *c)
{
	struct kvm_vcpu vcpu = { .gmem = c->gmem };

	return kvm_vcpu_fault(&vcpu, 5);
}

struct sweep_op {
	const char *name;
	const char *area;
	void (*setup)(struct sweep_ctx *c);
	long (*op)(struct sweep_ctx *c);
	bool undone;		/* a failure leaves the file as it was... */
	bool fills;		/* ...except for holes filled with zeros */
};

static const struct sweep_op sweep_ops[] = {
	{ "fallocate", "falloc", sweep_memfd_setup, op_allocate, true, false },
	{ "punch", "falloc", sweep_memfd_setup, op_punch, true, false },
	{ "write", "falloc", sweep_memfd_setup, op_write, false, false },
	{ "ftruncate", "freeze", sweep_memfd_setup, op_truncate, true, false },
	{ "fault", "falloc", sweep_memfd_setup, op_fault, true, false },
	{ "swapin", "falloc", sweep_memfd_setup, op_swapin, true, false },
	{ "preserve", "freeze", sweep_memfd_setup, op_preserve, true, true },
	{ "gmem-allocate", "gmem-freeze", sweep_gmem_setup, op_gmem_allocate,
	  false, false },
	{ "gmem-punch", "gmem-freeze", sweep_gmem_setup, op_gmem_punch,
	  true, false },
	{ "gmem-fault", "gmem-freeze", sweep_gmem_setup, op_gmem_fault,
	  true, false },
	{ NULL }
};

struct sweep_tally {
	int reached, failures;
	char sites[256];
};

static const char *sweep_site_list[32];
static int sweep_nr_sites;

static void sweep_collect(const char *name, const char *desc)
{
	if (sweep_nr_sites < 32)
		sweep_site_list[sweep_nr_sites++] = name;
}

static bool sweep_once(const struct sweep_op *o, const char *variant,
		       const char *site, long nth, struct sweep_tally *t)
{
	struct fault_site *fs = fault_site_find(site);
	struct sweep_ctx c = { 0 };
	struct snap before, after;
	const char *why;
	char buf[64];
	long failed, ret;

	mmlit_process_reset();
	ck_assert_int_eq(variant_set(o->area, variant), 0);
	o->setup(&c);
	snap_take(c.fd, &before);
	failed = fs->failed;
	ck_assert_int_eq(fault_inject_set(site, nth), 0);
	ret = o->op(&c);
	fault_inject_reset();
	if (fs->failed == failed)
		goto out;		/* the nth call was never made */
	t->failures++;
	why = invariants_broken();
	ck_assert_msg(!why, "%s (%s) with %s #%ld failed: %s", o->name,
		      variant, site, nth, why);
	if (ret >= 0)
		goto out;			/* absorbed, or a short write */
	ck_assert_msg(ret == -ENOMEM, "%s (%s) with %s #%ld failed: "
		      "returned %ld, expected -ENOMEM", o->name, variant,
		      site, nth, ret);
	snap_take(c.fd, &after);
	why = NULL;
	if (o->undone)
		why = snap_diff(&before, &after, o->fills, buf, sizeof(buf));
	ck_assert_msg(!why, "%s (%s) with %s #%ld failed: %s changed",
		      o->name, variant, site, nth, why);
out:
	if (c.gmem)
		fput(c.gmem);
	return fs->failed != failed;
}

/* make sweeps sets MMLIT_SWEEP_REPORT; make check stays quiet. */
static bool sweep_verbose;

static void sweep_variant(const struct sweep_op *o, const char *variant,
			  struct sweep_tally *t)
{
	for (int s = 0; s < sweep_nr_sites; s++) {
		long nth = 1;

		while (sweep_once(o, variant, sweep_site_list[s], nth, t))
			nth++;
		if (nth > 1) {
			t->reached++;
			snprintf(t->sites + strlen(t->sites),
				 sizeof(t->sites) - strlen(t->sites),
				 " %s x%ld", sweep_site_list[s], nth - 1);
		}
	}
}

static void sweep_op_named(const char *name)
{
	const struct sweep_op *o = sweep_ops;
	struct variant_area *a;
	int total = 0;

	while (strcmp(o->name, name))
		o++;
	sweep_verbose = getenv("MMLIT_SWEEP_REPORT");
	if (!sweep_nr_sites)
		fault_site_for_each(sweep_collect);
	a = variant_find(o->area);
	ck_assert_ptr_nonnull(a);
	for (int v = 0; v < a->nr; v++) {
		struct sweep_tally t = { 0 };

		sweep_variant(o, a->choices[v].name, &t);
		if (sweep_verbose)
			printf("sweep: %s, %s %s: %d of %d sites reached, %d "
			       "failures checked:%s\n", o->name, o->area,
			       a->choices[v].name, t.reached, sweep_nr_sites,
			       t.failures, t.sites);
		total += t.failures;
	}
	if (sweep_verbose)
		printf("sweep: %s: %d failures checked in all\n", o->name,
		       total);
	mmlit_process_reset();
}

START_TEST(sweep_fallocate) { sweep_op_named("fallocate"); } END_TEST
START_TEST(sweep_punch) { sweep_op_named("punch"); } END_TEST
START_TEST(sweep_write) { sweep_op_named("write"); } END_TEST
START_TEST(sweep_ftruncate) { sweep_op_named("ftruncate"); } END_TEST
START_TEST(sweep_fault) {
	sweep_op_named("fault");
	sweep_op_named("swapin");
} END_TEST
START_TEST(sweep_preserve) { sweep_op_named("preserve"); } END_TEST
START_TEST(sweep_gmem) {
	sweep_op_named("gmem-allocate");
	sweep_op_named("gmem-punch");
	sweep_op_named("gmem-fault");
} END_TEST
START_TEST(swap_read_failure_is_enomem_and_leaves_nothing)
{
	struct sweep_ctx c = { 0 };
	struct snap before, after;
	const char *why;
	long free_swap;
	char buf[64];
	u8 byte = 0;

	mmlit_process_reset();
	sweep_memfd_setup(&c);			/* page 0 is in swap */
	snap_take(c.fd, &before);
	free_swap = nr_free_swap_pages();
	ck_assert_int_eq(fault_inject_set("swap_read_folio", 1), 0);
	ck_assert_int_eq(ksys_pread64(c.fd, &byte, 1, 0), -ENOMEM);
	fault_inject_reset();
	ck_assert_ptr_null(invariants_broken());
	snap_take(c.fd, &after);
	why = snap_diff(&before, &after, false, buf, sizeof(buf));
	ck_assert_msg(!why, "a failed swap-in changed %s", why);
	ck_assert(xa_is_value(after.page[0].entry));
	ck_assert_int_eq(nr_free_swap_pages(), free_swap);
	ck_assert_int_eq(ksys_pread64(c.fd, &byte, 1, 0), 1);
	ck_assert_int_eq(byte, 0x11);
	ck_assert_int_eq(nr_free_swap_pages(), free_swap + 1);
	mmlit_process_reset();
}
END_TEST

#define SOAK_THREADS	4
#define SOAK_ROUNDS	50
#define SOAK_OPS	200
#define SOAK_SECONDS	20
#define SOAK_SEED	0x5eedc0ffeeULL
#define SOAK_PAGES	12

struct soak_task {
	u64 rng;
	long ops;
	char bad[160];
};

static int soak_fd[2];
static unsigned long soak_map[2];
static u64 soak_seed;

static u64 soak_rand(struct soak_task *t, u64 n)
{
	t->rng ^= t->rng << 13;
	t->rng ^= t->rng >> 7;
	t->rng ^= t->rng << 17;
	return t->rng % n;
}

static bool soak_one(struct soak_task *t, int op, long *retp)
{
	static __thread u8 buf[3 * PAGE_SIZE];
	int f = soak_rand(t, 2), fd = soak_fd[f];
	loff_t off = soak_rand(t, P(SOAK_PAGES));
	size_t len = 1 + soak_rand(t, sizeof(buf) - 1);
	long ret = 0;
	u8 v;

	switch (op) {
	case 0:
		memset(buf, soak_rand(t, 256), len);
		ret = ksys_pwrite64(fd, buf, len, off);
		*retp = ret;
		return ret > 0 || ret == -EPERM;
	case 1:
		ret = ksys_pread64(fd, buf, len, off);
		*retp = ret;
		return ret >= 0;
	case 2:
		ret = ksys_ftruncate(fd, soak_rand(t, P(SOAK_PAGES)));
		*retp = ret;
		return !ret || ret == -EPERM;
	case 3:
		/* ENOMEM: writeout refused its new folios (claim FX3) */
		ret = ksys_fallocate(fd,
				     soak_rand(t, 2) ? FALLOC_FL_KEEP_SIZE : 0,
				     off, len);
		*retp = ret;
		return !ret || ret == -EPERM || ret == -ENOMEM;
	case 4:
		ret = ksys_fallocate(fd,
				     FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				     off, len);
		*retp = ret;
		return !ret || ret == -EPERM;
	case 5:
		ret = user_store_byte(soak_map[f] + off, soak_rand(t, 256));
		*retp = ret;
		return !ret || ret == -SIGBUS;
	case 6:
		ret = user_load_byte(soak_map[f] + off, &v);
		*retp = ret;
		return !ret || ret == -SIGBUS;
	case 7:
		ret = mmlit_memfd_freeze(fd, true);
		*retp = ret;
		return !ret || ret == -EBUSY;
	case 8:
		ret = mmlit_memfd_freeze(fd, false);
		*retp = ret;
		return !ret || ret == -ENOENT;
	default:
		try_to_free_pages(GFP_KERNEL, 4);
		return true;
	}
}

static int soak_task_fn(void *data)
{
	struct soak_task *t = data;

	for (int i = 0; i < SOAK_OPS; i++) {
		int op = soak_rand(t, 10);
		long ret = 0;

		t->ops++;
		if (!soak_one(t, op, &ret) && !t->bad[0])
			snprintf(t->bad, sizeof(t->bad),
				 "operation %d of kind %d gave %ld, which it "
				 "cannot give", i, op, ret);
	}
	return 0;
}

static const char *soak_file_broken(int fd)
{
	struct inode *inode = fd_inode(fd);
	struct shmem_inode_info *info = SHMEM_I(inode);
	unsigned long folios = 0, values = 0, index;
	struct kstat st;
	void *e;

	ck_assert_int_eq(ksys_fstat(fd, &st), 0);	/* settles alloced */
	xa_for_each(&inode->i_mapping->i_pages, index, e) {
		if (xa_is_value(e)) {
			values++;
			continue;
		}
		folios++;
		if (folio_ref_count(e) < 1 + folio_mapcount(e))
			return "a folio with fewer references than mappings";
	}
	if (folios != inode->i_mapping->nrpages)
		return "nrpages is not the number of folios in the cache";
	if (values != info->swapped)
		return "swapped is not the number of swap entries";
	if (info->alloced != info->swapped + inode->i_mapping->nrpages)
		return "alloced is not nrpages + swapped";
	return NULL;
}

START_TEST(soak_random_operations_keep_the_invariants)
{
	const char *env = getenv("MMLIT_SOAK_SEED"), *why = NULL;
	const char *nr = getenv("MMLIT_SOAK_ROUNDS");
	int rounds = nr && *nr ? atoi(nr) : SOAK_ROUNDS;
	struct soak_task tasks[SOAK_THREADS] = { 0 };
	struct task_struct *ts[SOAK_THREADS];
	time_t start = time(NULL);
	long ops = 0;
	int round;

	soak_seed = env && *env ? strtoull(env, NULL, 0) : SOAK_SEED;
	swap_set_slots(32);
	for (int f = 0; f < 2; f++) {
		soak_fd[f] = ksys_memfd_create("soak", MFD_ALLOW_SEALING);
		ck_assert_int_ge(soak_fd[f], 0);
		soak_map[f] = ksys_mmap_pgoff(0, P(SOAK_PAGES),
					      PROT_READ | PROT_WRITE,
					      MAP_SHARED, soak_fd[f], 0);
		ck_assert(!IS_ERR_VALUE(soak_map[f]));
	}
	for (int i = 0; i < SOAK_THREADS; i++)
		tasks[i].rng = soak_seed + i + 1;
	for (round = 0; round < rounds && !why; round++) {
		if (time(NULL) - start >= SOAK_SECONDS)
			break;
		for (int i = 0; i < SOAK_THREADS; i++)
			ts[i] = task_run(soak_task_fn, &tasks[i], "soak");
		for (int i = 0; i < SOAK_THREADS; i++) {
			ck_assert_msg(task_join(ts[i]) == 0,
				      "seed %#llx: a task failed in round %d",
				      (unsigned long long)soak_seed, round);
			if (tasks[i].bad[0])
				why = tasks[i].bad;
		}
		for (int f = 0; f < 2 && !why; f++)
			why = soak_file_broken(soak_fd[f]);
		if (!why)
			why = invariants_broken();
	}
	for (int i = 0; i < SOAK_THREADS; i++)
		ops += tasks[i].ops;
	ck_assert_msg(!why, "seed %#llx, round %d: %s",
		      (unsigned long long)soak_seed, round, why);
	if (getenv("MMLIT_SWEEP_REPORT"))
		printf("soak: seed %#llx: %d rounds, %ld operations by %d "
		       "tasks\n", (unsigned long long)soak_seed, round, ops,
		       SOAK_THREADS);
	for (int f = 0; f < 2; f++) {
		mmlit_memfd_freeze(soak_fd[f], false);
		ksys_close(soak_fd[f]);
	}
}
END_TEST

static Suite *robust_suite(void)
{
	Suite *s = suite_create("robust");
	TCase *sweeps = ktest_tcase("sweeps");
	TCase *soak = ktest_tcase("soak");

	tcase_add_test(sweeps, sweep_fallocate);
	tcase_add_test(sweeps, swap_read_failure_is_enomem_and_leaves_nothing);
	tcase_add_test(sweeps, sweep_punch);
	tcase_add_test(sweeps, sweep_write);
	tcase_add_test(sweeps, sweep_ftruncate);
	tcase_add_test(sweeps, sweep_fault);
	tcase_add_test(sweeps, sweep_preserve);
	tcase_add_test(sweeps, sweep_gmem);
	tcase_set_timeout(sweeps, 300);
	suite_add_tcase(s, sweeps);
	tcase_add_test(soak, soak_random_operations_keep_the_invariants);
	tcase_set_timeout(soak, 300);
	suite_add_tcase(s, soak);
	return s;
}
KTEST_SUITE(robust_suite)
