/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/04-srcu-freeze.nw (chapter 4); do not edit. */
#include "ktest.h"
#include "gmem.h"
#include <math.h>
#include <unistd.h>
#include "../bench/bench-data.h"

#define GMEM_PAGES	4
#define GMEM_SIZE	((loff_t)GMEM_PAGES * PAGE_SIZE)
#define KEEP		FALLOC_FL_KEEP_SIZE
#define PUNCH		(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)

struct gmem_file {
	int fd;
	struct file *file;
	struct inode *inode;
};

static struct gmem_file gmem_open(unsigned long present)
{
	struct gmem_file g;

	g.fd = kvm_gmem_create(GMEM_SIZE, 0);
	ck_assert_int_ge(g.fd, 0);
	g.file = fget(g.fd);
	g.inode = file_inode(g.file);
	for (int i = 0; i < GMEM_PAGES; i++)
		if (present & BIT(i))
			ck_assert_int_eq(ksys_fallocate(g.fd, KEEP,
							i * PAGE_SIZE,
							PAGE_SIZE), 0);
	return g;
}

static void gmem_close(struct gmem_file *g)
{
	fput(g->file);
	ck_assert_int_eq(ksys_close(g->fd), 0);
}

static unsigned long gmem_present(struct inode *inode)
{
	unsigned long mask = 0;

	for (int i = 0; i < GMEM_PAGES; i++) {
		void *entry = filemap_get_entry(inode->i_mapping, i);

		if (entry && !xa_is_value(entry))
			mask |= BIT(i);
	}
	return mask;
}

static int vcpu_fault(struct file *file, gfn_t gfn, struct kvm_run *run)
{
	struct kvm_vcpu vcpu = { .gmem = file };
	int r = kvm_vcpu_fault(&vcpu, gfn);

	if (run)
		*run = vcpu.run;
	return r;
}

static const char *gmem_variant_name(int v)
{
	return gmem_freeze_variants.choices[v].name;
}

struct falloc_vs_freeze {
	long ret;
	unsigned long present;
	struct gmem_file g;
};

static int sr1_fallocate_task(void *data)
{
	struct falloc_vs_freeze *r = data;

	r->ret = ksys_fallocate(r->g.fd, KEEP, 0, GMEM_SIZE);
	return 0;
}

static int sr1_freeze_task(void *data)
{
	struct falloc_vs_freeze *r = data;

	kvm_gmem_freeze(r->g.inode, true);
	return 0;
}

static int sr1_run(void *data)
{
	struct falloc_vs_freeze *r = data;
	struct task_struct *a, *f;
	int bad = 0;

	r->g = gmem_open(0);
	a = task_run(sr1_fallocate_task, r, "fallocate");
	f = task_run(sr1_freeze_task, r, "freeze");
	bad |= task_join(a) | task_join(f);
	r->present = gmem_present(r->g.inode);
	if (r->ret == 0)
		bad |= r->present != BIT(GMEM_PAGES) - 1;
	else
		bad |= r->ret != -EPERM || r->present == BIT(GMEM_PAGES) - 1;
	gmem_close(&r->g);
	return bad;
}

START_TEST(sr1_fallocate_nests_read_sections_under_every_schedule)
{
	struct falloc_vs_freeze r = { 0 };
	struct sched_stats st;
	int ret;

	ret = sched_explore(sr1_run, &r, 2, 100000, &st);
	ck_assert_msg(ret == 0, "ret %ld present %#lx; schedule %s", r.ret,
		      r.present, sched_last_schedule());
	ck_assert(st.complete);
	ck_assert_int_eq(st.deadlocks, 0);
	ck_assert_int_gt(st.runs, 10);
	ck_assert_int_eq(report_count(), 0);
}
END_TEST

DEFINE_STATIC_PERCPU_RWSEM(sr1_sem);
static struct completion sr1_reader_in;

static int sr1_reader_twice(void *unused)
{
	percpu_down_read(&sr1_sem);
	complete(&sr1_reader_in);
	while (!atomic_read(&sr1_sem.block))
		cond_resched();
	percpu_down_read(&sr1_sem);	/* behind the writer: never */
	percpu_up_read(&sr1_sem);
	percpu_up_read(&sr1_sem);
	return 0;
}

static int sr1_writer(void *unused)
{
	wait_for_completion(&sr1_reader_in);
	percpu_down_write(&sr1_sem);
	percpu_up_write(&sr1_sem);
	return 0;
}

static int sr1_percpu_run(void *unused)
{
	struct task_struct *r, *w;
	int rr, rw;

	init_completion(&sr1_reader_in);
	r = task_run(sr1_reader_twice, NULL, "reader");
	w = task_run(sr1_writer, NULL, "writer");
	rr = task_join(r);
	rw = task_join(w);
	return rr == -EDEADLK && rw == -EDEADLK ? 0 : 1;
}

START_TEST(sr1_percpu_rwsem_read_does_not_nest)
{
	struct sched_stats st;

	ck_assert_int_eq(sched_run_seeded(sr1_percpu_run, NULL, 1, &st), 0);
	ck_assert_int_eq(st.deadlocks, 1);
	ck_assert_report("recursion");
	ck_assert_report("deadlock");
}
END_TEST

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct task_struct *target;
	bool entered, parked, release;
} park = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
};

static void park_hook(enum sched_point_kind kind, const void *obj)
{
	if (current != READ_ONCE(park.target))
		return;
	if (kind == SP_SRCU_LOCK && obj == &kvm_gmem_freeze_srcu)
		park.entered = true;
	if (kind != SP_ALLOC || !park.entered || park.parked)
		return;
	pthread_mutex_lock(&park.lock);
	park.parked = true;
	pthread_cond_broadcast(&park.cond);
	while (!park.release)
		pthread_cond_wait(&park.cond, &park.lock);
	pthread_mutex_unlock(&park.lock);
}

static void park_release(void)
{
	pthread_mutex_lock(&park.lock);
	park.release = true;
	pthread_cond_broadcast(&park.cond);
	pthread_mutex_unlock(&park.lock);
}

static void park_wait_parked(void)
{
	pthread_mutex_lock(&park.lock);
	while (!park.parked)
		pthread_cond_wait(&park.cond, &park.lock);
	pthread_mutex_unlock(&park.lock);
}

struct sr2_ctx {
	struct gmem_file g;
	int fault_ret;
	int freeze_done;
	struct completion late_in, late_go;
};

static int sr2_parked_fault(void *data)
{
	struct sr2_ctx *c = data;

	WRITE_ONCE(park.target, current);
	c->fault_ret = vcpu_fault(c->g.file, 1, NULL);
	return 0;
}

static int sr2_freezer(void *data)
{
	struct sr2_ctx *c = data;

	kvm_gmem_freeze(c->g.inode, true);
	WRITE_ONCE(c->freeze_done, 1);
	return 0;
}

static int sr2_late_reader(void *data)
{
	struct sr2_ctx *c = data;
	int idx = srcu_read_lock(&kvm_gmem_freeze_srcu);

	complete(&c->late_in);
	wait_for_completion(&c->late_go);
	srcu_read_unlock(&kvm_gmem_freeze_srcu, idx);
	return 0;
}

START_TEST(sr2_freeze_waits_for_allocations_in_flight_only)
{
	struct sr2_ctx c = { .g = gmem_open(BIT(0)) };
	unsigned int idx0 = READ_ONCE(kvm_gmem_freeze_srcu.srcu_idx);
	struct task_struct *fault, *freezer, *late;
	struct kvm_run run;

	init_completion(&c.late_in);
	init_completion(&c.late_go);
	sched_set_hook(park_hook);
	fault = task_run(sr2_parked_fault, &c, "vcpu0");
	park_wait_parked();
	freezer = task_run(sr2_freezer, &c, "freeze");
	for (int ms = 0; READ_ONCE(kvm_gmem_freeze_srcu.srcu_idx) == idx0;
	     ms++) {
		ck_assert_msg(ms < 2000, "the grace period never flipped");
		usleep(1000);
	}
	usleep(20000);
	ck_assert_msg(!READ_ONCE(c.freeze_done),
		      "the freeze returned while an allocation was in flight");
	ck_assert(kvm_gmem_is_frozen(c.g.inode));
	ck_assert_int_eq(vcpu_fault(c.g.file, 2, &run), -EPERM);
	ck_assert_int_eq(run.exit_reason, KVM_EXIT_MEMORY_FAULT);
	ck_assert_uint_eq(run.memory_fault.gpa, 2 * PAGE_SIZE);
	late = task_run(sr2_late_reader, &c, "late");
	wait_for_completion(&c.late_in);
	park_release();
	/* The late reader is still inside. */
	ck_assert_int_eq(task_join(freezer), 0);
	ck_assert_int_eq(srcu_readers_active(&kvm_gmem_freeze_srcu), 1);
	ck_assert_int_eq(task_join(fault), 0);
	ck_assert_int_eq(c.fault_ret, 0);
	ck_assert_uint_eq(gmem_present(c.g.inode), BIT(0) | BIT(1));
	complete(&c.late_go);
	ck_assert_int_eq(task_join(late), 0);
	sched_set_hook(NULL);
	gmem_close(&c.g);
}
END_TEST

enum sr3_op { SR3_FAULT, SR3_ALLOCATE, SR3_PUNCH };

struct sr3_run;

struct sr3_task {
	struct sr3_run *run;
	enum sr3_op op;
	pgoff_t index;
	bool after;		/* began after the freeze had returned */
	long ret;
};

struct sr3_run {
	struct gmem_file g;
	int nr;
	struct sr3_task t[4];
	int frozen;		/* kvm_gmem_freeze() has returned */
	unsigned long at_freeze;
	const char *why;
};

static int sr3_op_task(void *data)
{
	struct sr3_task *t = data;
	struct sr3_run *r = t->run;

	t->after = READ_ONCE(r->frozen);
	switch (t->op) {
	case SR3_FAULT:
		t->ret = vcpu_fault(r->g.file, t->index, NULL);
		break;
	case SR3_ALLOCATE:
		t->ret = ksys_fallocate(r->g.fd, KEEP, t->index * PAGE_SIZE,
					2 * PAGE_SIZE);
		break;
	case SR3_PUNCH:
		t->ret = ksys_fallocate(r->g.fd, PUNCH, t->index * PAGE_SIZE,
					PAGE_SIZE);
		break;
	}
	return 0;
}

static int sr3_freezer(void *data)
{
	struct sr3_run *r = data;

	kvm_gmem_freeze(r->g.inode, true);
	r->at_freeze = gmem_present(r->g.inode);
	WRITE_ONCE(r->frozen, 1);
	return 0;
}

static const char *sr3_violation(struct sr3_run *r)
{
	if (gmem_present(r->g.inode) != r->at_freeze)
		return "the page cache changed after the freeze returned";
	for (int i = 0; i < r->nr; i++) {
		struct sr3_task *t = &r->t[i];
		bool present = r->at_freeze & BIT(t->index);

		if (!t->after)
			continue;
		if (t->op == SR3_FAULT && present && t->ret != 0)
			return "a fault on a frozen folio failed";
		if (!(t->op == SR3_FAULT && present) && t->ret != -EPERM)
			return "an operation after the freeze did not fail "
			       "EPERM";
	}
	return NULL;
}

/* One run: a file with a folio at 0, the tasks of @r, the freezer. */
static int sr3_scenario(void *data)
{
	struct sr3_run *r = data;
	struct task_struct *tasks[5];
	int n = 0;

	r->g = gmem_open(BIT(0));
	r->frozen = 0;
	r->at_freeze = 0;
	for (int i = 0; i < r->nr; i++) {
		r->t[i].run = r;
		r->t[i].after = false;
		r->t[i].ret = 1;
		tasks[n++] = task_run(sr3_op_task, &r->t[i], "op");
	}
	tasks[n++] = task_run(sr3_freezer, r, "freeze");
	for (int i = 0; i < n; i++)
		task_join(tasks[i]);
	r->why = sr3_violation(r);
	gmem_close(&r->g);
	return r->why != NULL;
}

static int sr3_explore(int variant, struct sched_stats *st, struct sr3_run *r)
{
	variant_select(&gmem_freeze_variants, variant);
	*r = (struct sr3_run){ .nr = 1,
			       .t = { { .op = SR3_FAULT, .index = 1 } } };
	return sched_explore(sr3_scenario, r, 2, 100000, st);
}

START_TEST(sr3_no_allocation_after_freeze_every_schedule)
{
	struct sched_stats st;
	struct sr3_run r;

	for (int v = 0; v < NR_GMEM_VARIANTS; v++) {
		if (v == GMEM_UNSYNCHRONIZED)
			continue;
		ck_assert_msg(sr3_explore(v, &st, &r) == 0,
			      "%s: %s; schedule %s", gmem_variant_name(v),
			      r.why, sched_last_schedule());
		ck_assert_msg(st.complete, "%s", gmem_variant_name(v));
		ck_assert_int_eq(st.deadlocks, 0);
	}
	ck_assert_int_ne(sr3_explore(GMEM_UNSYNCHRONIZED, &st, &r), 0);
	ck_assert_str_eq(r.why,
			 "the page cache changed after the freeze returned");
}
END_TEST

#define SR3_SEEDS	300

START_TEST(sr3_random_schedules_with_fallocate)
{
	struct sched_stats st;
	struct sr3_run r;

	for (int v = 0; v < NR_GMEM_VARIANTS; v++) {
		if (v == GMEM_UNSYNCHRONIZED || v == GMEM_NO_FALLOC_CHECK)
			continue;
		variant_select(&gmem_freeze_variants, v);
		for (u64 seed = 1; seed <= SR3_SEEDS; seed++) {
			r = (struct sr3_run){ .nr = 3, .t = {
				{ .op = SR3_FAULT, .index = 1 },
				{ .op = SR3_FAULT, .index = 0 },
				{ .op = seed & 1 ? SR3_PUNCH : SR3_ALLOCATE,
				  .index = seed & 1 ? 0 : 2 } } };
			ck_assert_msg(sched_run_seeded(sr3_scenario, &r, seed,
						       &st) == 0,
				      "%s, seed %llu: %s; schedule %s",
				      gmem_variant_name(v),
				      (unsigned long long)seed, r.why,
				      sched_last_schedule());
			ck_assert_int_eq(st.deadlocks, 0);
		}
	}
}
END_TEST

START_TEST(sr4_frozen_file_serves_existing_folios)
{
	for (int v = 0; v < NR_GMEM_VARIANTS; v++) {
		struct gmem_file g;
		struct kvm_run run = { 0 };

		variant_select(&gmem_freeze_variants, v);
		g = gmem_open(BIT(0) | BIT(3));
		kvm_gmem_freeze(g.inode, true);
		ck_assert_int_eq(vcpu_fault(g.file, 0, &run), 0);
		ck_assert_int_eq(vcpu_fault(g.file, 3, &run), 0);
		ck_assert_int_eq(vcpu_fault(g.file, 1, &run), -EPERM);
		ck_assert_int_eq(run.exit_reason, KVM_EXIT_MEMORY_FAULT);
		ck_assert_uint_eq(run.memory_fault.gpa, PAGE_SIZE);
		ck_assert_uint_eq(run.memory_fault.size, PAGE_SIZE);
		ck_assert_uint_eq(gmem_present(g.inode), BIT(0) | BIT(3));
		kvm_gmem_freeze(g.inode, false);
		ck_assert_int_eq(vcpu_fault(g.file, 1, &run), 0);
		ck_assert_uint_eq(gmem_present(g.inode),
				  BIT(0) | BIT(1) | BIT(3));
		gmem_close(&g);
	}
}
END_TEST

static struct completion sr5_in, sr5_go;
static int sr5_unfrozen;

static int sr5_reader(void *unused)
{
	int idx = srcu_read_lock(&kvm_gmem_freeze_srcu);

	complete(&sr5_in);
	wait_for_completion(&sr5_go);
	srcu_read_unlock(&kvm_gmem_freeze_srcu, idx);
	return 0;
}

static int sr5_unfreezer(void *data)
{
	kvm_gmem_freeze(data, false);
	WRITE_ONCE(sr5_unfrozen, 1);
	return 0;
}

static bool sr5_unfreeze_returns_with_reader_inside(int variant)
{
	struct task_struct *reader, *unfreezer;
	struct gmem_file g;
	bool returned;

	variant_select(&gmem_freeze_variants, variant);
	g = gmem_open(0);
	kvm_gmem_freeze(g.inode, true);
	init_completion(&sr5_in);
	init_completion(&sr5_go);
	WRITE_ONCE(sr5_unfrozen, 0);
	reader = task_run(sr5_reader, NULL, "reader");
	wait_for_completion(&sr5_in);
	unfreezer = task_run(sr5_unfreezer, g.inode, "unfreeze");
	for (int ms = 0; ms < 50 && !READ_ONCE(sr5_unfrozen); ms++)
		usleep(1000);
	returned = READ_ONCE(sr5_unfrozen);
	complete(&sr5_go);
	ck_assert_int_eq(task_join(reader), 0);
	ck_assert_int_eq(task_join(unfreezer), 0);
	ck_assert(!kvm_gmem_is_frozen(g.inode));
	ck_assert_int_eq(vcpu_fault(g.file, 2, NULL), 0);
	gmem_close(&g);
	return returned;
}

START_TEST(sr5_unfreeze_does_not_wait_for_readers)
{
	unsigned long gp = srcu_batches_completed(&kvm_gmem_freeze_srcu);

	ck_assert(sr5_unfreeze_returns_with_reader_inside(GMEM_POSTED));
	ck_assert_uint_eq(srcu_batches_completed(&kvm_gmem_freeze_srcu),
			  gp + 1);
	ck_assert(!sr5_unfreeze_returns_with_reader_inside(GMEM_SYNC_UNFREEZE));
}
END_TEST

struct sr5_run {
	struct gmem_file g;
	int first, second;
	long inside;		/* readers inside when unfreeze returned */
	int unfrozen;
	long late_eperm;	/* runs with a late EPERM, in all */
};

static int sr5_first_fault(void *data)
{
	struct sr5_run *r = data;

	r->first = vcpu_fault(r->g.file, 1, NULL);
	return 0;
}

static int sr5_unfreeze_then_fault(void *data)
{
	struct sr5_run *r = data;

	kvm_gmem_freeze(r->g.inode, false);
	r->inside = srcu_readers_active(&kvm_gmem_freeze_srcu);
	r->second = vcpu_fault(r->g.file, 2, NULL);
	return 0;
}

static int sr5_scenario(void *data)
{
	struct sr5_run *r = data;
	struct task_struct *a, *b;

	r->g = gmem_open(0);
	kvm_gmem_freeze(r->g.inode, true);
	a = task_run(sr5_first_fault, r, "vcpu0");
	b = task_run(sr5_unfreeze_then_fault, r, "unfreeze");
	task_join(a);
	task_join(b);
	if (r->first == -EPERM && r->inside)
		r->late_eperm++;
	gmem_close(&r->g);
	return r->second != 0;
}

START_TEST(sr5_late_eperm_only_without_grace_period)
{
	struct sched_stats st;
	struct sr5_run r = { 0 };

	variant_select(&gmem_freeze_variants, GMEM_POSTED);
	ck_assert_int_eq(sched_explore(sr5_scenario, &r, 2, 100000, &st), 0);
	ck_assert(st.complete);
	ck_assert_int_gt(r.late_eperm, 0);

	r = (struct sr5_run){ 0 };
	variant_select(&gmem_freeze_variants, GMEM_SYNC_UNFREEZE);
	ck_assert_int_eq(sched_explore(sr5_scenario, &r, 2, 100000, &st), 0);
	ck_assert(st.complete);
	ck_assert_int_eq(r.late_eperm, 0);
}
END_TEST

START_TEST(sr6_punch_on_frozen_file_needs_the_fallocate_check)
{
	for (int v = 0; v < NR_GMEM_VARIANTS; v++) {
		bool unchecked = v == GMEM_NO_FALLOC_CHECK;
		struct gmem_file g;

		variant_select(&gmem_freeze_variants, v);
		g = gmem_open(BIT(0) | BIT(1));
		kvm_gmem_freeze(g.inode, true);
		ck_assert_msg(ksys_fallocate(g.fd, PUNCH, 0, PAGE_SIZE) ==
			      (unchecked ? 0 : -EPERM), "%s",
			      gmem_variant_name(v));
		ck_assert_uint_eq(gmem_present(g.inode),
				  unchecked ? BIT(1) : BIT(0) | BIT(1));
		ck_assert_int_eq(ksys_fallocate(g.fd, KEEP, 2 * PAGE_SIZE,
						PAGE_SIZE), -EPERM);
		ck_assert_uint_eq(gmem_present(g.inode),
				  unchecked ? BIT(1) : BIT(0) | BIT(1));
		gmem_close(&g);
	}
}
END_TEST

struct sr7_case {
	const char *what;
	int mode;
	loff_t offset, len;
	long validated;		/* the answer with validation first */
};

static const struct sr7_case sr7_cases[] = {
	{ "allocate without KEEP_SIZE", 0, 0, PAGE_SIZE, -EOPNOTSUPP },
	{ "zero range", KEEP | FALLOC_FL_ZERO_RANGE, 0, PAGE_SIZE,
	  -EOPNOTSUPP },
	{ "misaligned punch", PUNCH, 100, PAGE_SIZE, -EINVAL },
	{ "misaligned length", KEEP, 0, 100, -EINVAL },
};

static bool sr7_checks_first(int v)
{
	return v != GMEM_VALIDATE_FIRST && v != GMEM_NO_FALLOC_CHECK &&
	       v != GMEM_INVALIDATE_LOCK;
}

START_TEST(sr7_frozen_check_before_or_after_validation)
{
	for (int v = 0; v < NR_GMEM_VARIANTS; v++) {
		struct gmem_file g;

		variant_select(&gmem_freeze_variants, v);
		g = gmem_open(0);
		for (size_t i = 0; i < ARRAY_SIZE(sr7_cases); i++) {
			const struct sr7_case *c = &sr7_cases[i];

			ck_assert_int_eq(ksys_fallocate(g.fd, c->mode,
							c->offset, c->len),
					 c->validated);
		}
		kvm_gmem_freeze(g.inode, true);
		for (size_t i = 0; i < ARRAY_SIZE(sr7_cases); i++) {
			const struct sr7_case *c = &sr7_cases[i];
			long want = sr7_checks_first(v) ? -EPERM : c->validated;

			ck_assert_msg(ksys_fallocate(g.fd, c->mode, c->offset,
						     c->len) == want,
				      "%s, %s: want %ld", gmem_variant_name(v),
				      c->what, want);
		}
		ck_assert_int_eq(ksys_fallocate(g.fd, FALLOC_FL_PUNCH_HOLE, 0,
						PAGE_SIZE), -EOPNOTSUPP);
		gmem_close(&g);
	}
}
END_TEST

START_TEST(gmem_allocate_up_to_the_end_not_past)
{
	for (int v = 0; v < NR_GMEM_VARIANTS; v++) {
		struct gmem_file g;

		variant_select(&gmem_freeze_variants, v);
		g = gmem_open(0);
		ck_assert_int_eq(ksys_fallocate(g.fd, KEEP,
						GMEM_SIZE - PAGE_SIZE,
						PAGE_SIZE), 0);
		ck_assert_int_eq(g.inode->i_mapping->nrpages, 1);
		ck_assert_int_eq(ksys_fallocate(g.fd, KEEP,
						GMEM_SIZE - PAGE_SIZE,
						2 * PAGE_SIZE), -EINVAL);
		ck_assert_int_eq(ksys_fallocate(g.fd, KEEP, GMEM_SIZE,
						PAGE_SIZE), -EINVAL);
		ck_assert_int_eq(g.inode->i_mapping->nrpages, 1);
		gmem_close(&g);
	}
}
END_TEST

struct sr8_ctx {
	struct gmem_file a, b;
	struct completion locked, in_punch;
};

static int sr8_freeze_in_read_section(void *data)
{
	struct sr8_ctx *c = data;
	int idx = srcu_read_lock(&kvm_gmem_freeze_srcu);

	kvm_gmem_freeze(c->a.inode, true);	/* waits for itself */
	srcu_read_unlock(&kvm_gmem_freeze_srcu, idx);
	return 0;
}

START_TEST(sr8_freeze_inside_read_section_is_recursion)
{
	struct sr8_ctx c = { .a = gmem_open(0) };

	ck_assert_int_eq(task_call(sr8_freeze_in_read_section, &c, "freeze"),
			 -EDEADLK);
	ck_assert_report("recursion");
	ck_assert_report("deadlock");
	gmem_close(&c.a);
}
END_TEST

static int sr8_punch(void *data)
{
	struct gmem_file *g = data;

	return ksys_fallocate(g->fd, PUNCH, 0, PAGE_SIZE);
}

static int sr8_freeze_under_invalidate_lock(void *data)
{
	struct sr8_ctx *c = data;

	filemap_invalidate_lock(c->a.inode->i_mapping);
	kvm_gmem_freeze(c->b.inode, true);
	filemap_invalidate_unlock(c->a.inode->i_mapping);
	return 0;
}

START_TEST(sr8_freeze_under_invalidate_lock_is_a_cycle)
{
	struct sr8_ctx c = { .a = gmem_open(BIT(0)), .b = gmem_open(0) };

	ck_assert_int_eq(task_call(sr8_punch, &c.a, "punch"), 0);
	ck_assert_int_eq(report_count(), 0);
	ck_assert(lockdep_has_dependency("kvm_gmem_freeze_srcu",
					 "invalidate_lock"));
	ck_assert_int_eq(task_call(sr8_freeze_under_invalidate_lock, &c,
				   "freeze"), 0);
	ck_assert_report("cycle");
	ck_assert(lockdep_has_dependency("invalidate_lock",
					 "kvm_gmem_freeze_srcu"));
	gmem_close(&c.b);
	gmem_close(&c.a);
}
END_TEST

static int sr8_locker(void *data)
{
	struct sr8_ctx *c = data;
	struct address_space *mapping = c->a.inode->i_mapping;

	filemap_invalidate_lock(mapping);
	complete(&c->locked);
	while (list_empty(&mapping->invalidate_lock.wait_list))
		usleep(100);		/* until the punch waits for us */
	kvm_gmem_freeze(c->a.inode, true);
	filemap_invalidate_unlock(mapping);
	return 0;
}

START_TEST(sr8_freeze_under_invalidate_lock_deadlocks)
{
	struct sr8_ctx c = { .a = gmem_open(BIT(0)) };
	struct task_struct *locker, *punch;

	init_completion(&c.locked);
	locker = task_run(sr8_locker, &c, "freeze");
	wait_for_completion(&c.locked);
	punch = task_run(sr8_punch, &c.a, "punch");
	ck_assert_int_eq(task_join(locker), -EDEADLK);
	ck_assert_int_eq(task_join(punch), -EDEADLK);
	ck_assert_report("cycle");
	ck_assert_report("deadlock");
	gmem_close(&c.a);
}
END_TEST

#define SR9_FILES	8

START_TEST(sr9_per_inode_domains_are_charged_to_nobody)
{
	struct mem_cgroup *tenant = mem_cgroup_create("tenant", 64);
	long per_inode = NR_CPUS * sizeof(struct srcu_data);
	long base = pcpu_nr_bytes();
	int fd[SR9_FILES];

	current->memcg = tenant;
	for (int k = 0; k < 2; k++) {
		bool own = k == 1;

		variant_select(&gmem_freeze_variants,
			       own ? GMEM_PER_INODE : GMEM_POSTED);
		for (int i = 0; i < SR9_FILES; i++) {
			fd[i] = kvm_gmem_create(GMEM_SIZE, 0);
			ck_assert_int_ge(fd[i], 0);
		}
		ck_assert_int_eq(pcpu_nr_bytes() - base,
				 own ? SR9_FILES * per_inode : 0);
		ck_assert_int_eq(mem_cgroup_usage(tenant), 0);
		ck_assert_int_eq(ksys_fallocate(fd[0], KEEP, 0,
						2 * PAGE_SIZE), 0);
		ck_assert_int_eq(mem_cgroup_usage(tenant), 2);
		for (int i = 0; i < SR9_FILES; i++)
			ck_assert_int_eq(ksys_close(fd[i]), 0);
		ck_assert_int_eq(pcpu_nr_bytes(), base);
		ck_assert_int_eq(mem_cgroup_usage(tenant), 0);
	}
	current->memcg = &root_mem_cgroup;
	mem_cgroup_destroy(tenant);
}
END_TEST

START_TEST(sr9_per_inode_domain_allocation_can_fail)
{
	long base = pcpu_nr_bytes();

	variant_select(&gmem_freeze_variants, GMEM_PER_INODE);
	ck_assert_int_eq(fault_inject_set("alloc_percpu", 1), 0);
	ck_assert_int_eq(kvm_gmem_create(GMEM_SIZE, 0), -ENOMEM);
	ck_assert_int_eq(pcpu_nr_bytes(), base);
	ck_assert_int_ge(kvm_gmem_create(GMEM_SIZE, 0), 0);
}
END_TEST

static void tex_puts(const char *s, FILE *f)
{
	for (; *s; s++) {
		if (strchr("_&%#${}", *s))
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void tex_machine(const struct bench_dataset *ds, FILE *f)
{
	fprintf(f, "\\par\\noindent{\\small Measured by "
		"\\texttt{make bench} on ");
	tex_puts(bench_meta(ds, "date"), f);
	fprintf(f, ": ");
	tex_puts(bench_meta(ds, "cpu"), f);
	fprintf(f, ", %s CPUs, ", bench_meta(ds, "nproc"));
	tex_puts(bench_meta(ds, "kernel"), f);
	fprintf(f, ", ");
	tex_puts(bench_meta(ds, "compiler"), f);
	fprintf(f, ", liburcu %s; medians of %s rounds.}\\par\n",
		bench_meta(ds, "liburcu"), bench_meta(ds, "runs"));
}

static void tex_block(const struct bench_dataset *ds, int k, const char *corner,
		      const char *unit, const char *colword, FILE *f)
{
	const struct bench_block *b = &ds->blk[k];

	fprintf(f, "\\begin{center}\n\\begin{tabular}{l");
	for (int c = 0; c < 2 * b->nr_cols; c++)
		fputc('r', f);
	fprintf(f, "}\n\\toprule\n%s", corner);
	for (int c = 0; c < b->nr_cols; c++)
		fprintf(f, " & %s, %d %s", unit, b->cols[c], colword);
	for (int c = 0; c < b->nr_cols; c++)
		fprintf(f, " & $\\times$ urcu, %d", b->cols[c]);
	fprintf(f, " \\\\\n\\midrule\n");
	for (int r = 0; r < b->nr_rows; r++) {
		tex_puts(b->row[r].label, f);
		for (int c = 0; c < b->nr_cols; c++)
			fprintf(f, b->row[r].v[c] < 1000 ? " & %.3g" :
				" & %.0f", b->row[r].v[c]);
		for (int c = 0; c < b->nr_cols; c++) {
			double x = b->row[r].v[c] /
				   bench_get(ds, k, "urcu-memb", b->cols[c]);

			fprintf(f, isnan(x) ? " & --" : " & %.2f", x);
		}
		fprintf(f, " \\\\\n");
	}
	fprintf(f, "\\bottomrule\n\\end{tabular}\n\\end{center}\n");
}

static void tex_bar(const struct bench_dataset *ds, FILE *f)
{
	struct bench_bar bars[8];
	int n = bench_bar_check(ds, bars);

	fprintf(f, "\\begin{center}\n\\begin{tabular}{lrrl}\n\\toprule\n"
		"the bar (issues 5, 8) & measured & limit & \\\\\n\\midrule\n");
	for (int i = 0; i < n; i++) {
		tex_puts(bars[i].what, f);
		fprintf(f, " & %.2f & %.2f & %s \\\\\n", bars[i].value,
			bars[i].limit, bench_bar_held(&bars[i]) ? "held" :
			"\\textbf{not held}");
	}
	fprintf(f, "\\bottomrule\n\\end{tabular}\n\\end{center}\n");
}

static void tex_read(const struct bench_dataset *ds, FILE *f)
{
	tex_block(ds, BENCH_BLK_READ, "read side", "ns", "thr.", f);
	tex_machine(ds, f);
	tex_bar(ds, f);
}

static void tex_gp(const struct bench_dataset *ds, FILE *f)
{
	const struct bench_block *mb = &ds->blk[BENCH_BLK_GP_MB];

	tex_block(ds, BENCH_BLK_GP, "update side", "\\textmu s", "rd.", f);
	fprintf(f, "\\noindent\\texttt{membarrier(2)} calls per grace period:");
	for (int r = 0; r < mb->nr_rows; r++) {
		if (isnan(mb->row[r].v[0]))
			continue;
		fprintf(f, " ");
		tex_puts(mb->row[r].label, f);
		for (int c = 0; c < mb->nr_cols; c++)
			fprintf(f, "%s%.2f", c ? "/" : " ", mb->row[r].v[c]);
		fprintf(f, " (with");
		for (int c = 0; c < mb->nr_cols; c++)
			fprintf(f, "%s%d", c ? "/" : " ", mb->cols[c]);
		fprintf(f, " readers);");
	}
	fprintf(f, " the others are not counted.\n");
	tex_machine(ds, f);
}

#define KERNEL_SRCU_DATA_ESTIMATE	384	/* bytes, x86-64, estimated */

static void tex_bytes(double b, FILE *f)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (b >= 1024 && u < 4) {
		b /= 1024;
		u++;
	}
	fprintf(f, b < 10 && u ? "%.1f\\,%s" : "%.0f\\,%s", b, unit[u]);
}

static int tex_sr9(FILE *f)
{
	static const long files[] = { 1, 1024, 1048576 };
	static const int cpus[] = { 8, 64, 256 };
	double sd = sizeof(struct srcu_data), kd = KERNEL_SRCU_DATA_ESTIMATE;

	fprintf(f, "\\begin{center}\n\\begin{tabular}{rrrrrr}\n\\toprule\n"
		"open files & CPUs & model, per inode & model, global & "
		"kernel (est.), per inode & kernel (est.), global \\\\\n"
		"\\midrule\n");
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		for (size_t c = 0; c < ARRAY_SIZE(cpus); c++) {
			fprintf(f, "%ld & %d & ", files[i], cpus[c]);
			tex_bytes(sd * cpus[c] * files[i], f);
			fprintf(f, " & ");
			tex_bytes(sd * cpus[c], f);
			fprintf(f, " & ");
			tex_bytes(kd * cpus[c] * files[i], f);
			fprintf(f, " & ");
			tex_bytes(kd * cpus[c], f);
			fprintf(f, " \\\\\n");
		}
	}
	fprintf(f, "\\bottomrule\n\\end{tabular}\n\\end{center}\n"
		"\\noindent{\\small Model: "
		"\\texttt{sizeof(struct srcu\\_data)} = "
		"%zu bytes per CPU. Kernel: %d bytes per possible CPU, "
		"an estimate "
		"(see the text), plus a \\texttt{srcu\\_usage} per domain not "
		"counted.}\\par\n", sizeof(struct srcu_data),
		KERNEL_SRCU_DATA_ESTIMATE);
	return 0;
}

static const char *bench_data_path(void)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/figures/srcu-bench.dat", ktest_root());
	return path;
}

static struct bench_dataset *bench_data(void)
{
	static struct bench_dataset ds;

	ck_assert_msg(bench_data_read(&ds, bench_data_path()) == 0,
		      "%s: missing or malformed (make bench writes it)",
		      bench_data_path());
	return &ds;
}

DEFINE_STATIC_SRCU(sr10_srcu);
static int sr10_stop;

static int sr10_reader(void *unused)
{
	while (!READ_ONCE(sr10_stop)) {
		int idx = srcu_read_lock(&sr10_srcu);

		srcu_read_unlock(&sr10_srcu, idx);
	}
	return 0;
}

static long sr10_calls_for(int gps)
{
	long before = srcu_membarrier_calls();

	for (int i = 0; i < gps; i++)
		synchronize_srcu(&sr10_srcu);
	return srcu_membarrier_calls() - before;
}

START_TEST(sr10_one_membarrier_per_grace_period)
{
	long per_gp = (mmlit_hooks & MMLIT_HOOK_FENCE) ? 0 : 1;
	struct bench_dataset *ds = bench_data();
	int n = bench_max_col(ds, BENCH_BLK_GP);
	static const char *const peers[] = { "srcu", "urcu-memb",
					     "percpu-rwsem", "rwsem" };
	struct task_struct *r;

	ck_assert_int_eq(sr10_calls_for(20), 20 * per_gp);
	r = task_run(sr10_reader, NULL, "reader");
	ck_assert_int_eq(sr10_calls_for(20), 20 * per_gp);
	WRITE_ONCE(sr10_stop, 1);
	ck_assert_int_eq(task_join(r), 0);

	ck_assert_int_ge(n, 1);
	for (size_t i = 0; i < ARRAY_SIZE(peers); i++)
		for (int readers = 0; readers <= n; readers++) {
			double us = bench_get(ds, BENCH_BLK_GP, peers[i],
					      readers);

			if (readers > 1 && readers < n)
				continue;
			ck_assert_msg(us > 0 && isfinite(us), "%s, %d readers",
				      peers[i], readers);
		}
	ck_assert(fabs(bench_get(ds, BENCH_BLK_GP_MB, "srcu", 1) - 1) < 0.01);
}
END_TEST

START_TEST(sr11_read_side_costs_in_the_data)
{
	static const char *const keys[] = { "none", "srcu", "srcu-fenced",
		"urcu-memb", "percpu-rwsem", "rwsem", "spinlock",
		"pthread-rwlock" };
	static const char *const shared[] = { "rwsem", "spinlock",
					      "pthread-rwlock" };
	struct bench_dataset *ds = bench_data();
	const struct bench_block *b = &ds->blk[BENCH_BLK_READ];
	int n = bench_max_col(ds, BENCH_BLK_READ);

	for (int c = 0; c < b->nr_cols; c++) {
		int t = b->cols[c];
		double srcu = bench_get(ds, BENCH_BLK_READ, "srcu", t);
		double pcpu = bench_get(ds, BENCH_BLK_READ, "percpu-rwsem", t);

		for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
			ck_assert_msg(isfinite(bench_get(ds, BENCH_BLK_READ,
							 keys[i], t)),
				      "%s at %d threads", keys[i], t);
		ck_assert_msg(pcpu / srcu < 2 && srcu / pcpu < 2,
			      "%d threads: srcu %.2f, percpu-rwsem %.2f", t,
			      srcu, pcpu);
	}
	if (n < 2)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(shared); i++)
		ck_assert_msg(bench_get(ds, BENCH_BLK_READ, shared[i], n) >=
			      2 * bench_get(ds, BENCH_BLK_READ, "srcu", n),
			      "%s at %d threads", shared[i], n);
}
END_TEST

enum vmm_action { VMM_RESUME, VMM_MEMORY_FAULT, VMM_RUN_ERROR };

/* What a VMM written to api.rst makes of KVM_RUN's result @r. */
static enum vmm_action vmm_documented_exit(int r, const struct kvm_run *run)
{
	if (!r)
		return VMM_RESUME;
	if ((r == -EFAULT || r == -EHWPOISON) &&
	    run->exit_reason == KVM_EXIT_MEMORY_FAULT)
		return VMM_MEMORY_FAULT;
	return VMM_RUN_ERROR;		/* exit_reason is stale */
}

START_TEST(sr12_documented_vmm_ignores_the_eperm_exit)
{
	struct kvm_run run = { 0 };
	struct gmem_file g;
	int r;

	variant_select(&gmem_freeze_variants, GMEM_POSTED);
	g = gmem_open(BIT(0));
	ck_assert_int_eq(vmm_documented_exit(vcpu_fault(g.file, 0, &run),
					     &run), VMM_RESUME);
	kvm_gmem_freeze(g.inode, true);
	r = vcpu_fault(g.file, 2, &run);
	ck_assert_int_eq(run.exit_reason, KVM_EXIT_MEMORY_FAULT);
	ck_assert_uint_eq(run.memory_fault.gpa, 2 * PAGE_SIZE);
	ck_assert(!(run.memory_fault.flags & KVM_MEMORY_EXIT_FLAG_PRIVATE));
	ck_assert_msg(vmm_documented_exit(r, &run) == VMM_RUN_ERROR,
		      "the documented VMM handled the freeze as a "
		      "memory fault");
	ck_assert_int_eq(r, -EPERM);
	/* the same exit within the ABI is handled */
	ck_assert_int_eq(vmm_documented_exit(-EFAULT, &run), VMM_MEMORY_FAULT);
	kvm_gmem_freeze(g.inode, false);
	gmem_close(&g);
}
END_TEST

#define SR13_EXITS	16

struct sr13_exit {
	char what[64];
	long ret;
};

static void sr13_record(struct sr13_exit *e, int *n, int v, const char *what,
			bool frozen, long ret)
{
	snprintf(e[*n].what, sizeof(e[*n].what), "%s, %s", what,
		 frozen ? "frozen" : "unfrozen");
	ck_assert_msg(srcu_readers_active(&kvm_gmem_freeze_srcu) == 0,
		      "%s: %s left a reader", gmem_variant_name(v), e[*n].what);
	e[(*n)++].ret = ret;
}

/* Every exit of fallocate and of the fault path under variant @v. */
static int sr13_exits(int v, struct sr13_exit *e)
{
	struct gmem_file g;
	int n = 0;

	variant_select(&gmem_freeze_variants, v);
	g = gmem_open(BIT(0));
	for (int f = 0; f < 2; f++) {
		pgoff_t hole = f ? 3 : 1;

		kvm_gmem_freeze(g.inode, f);
		for (size_t i = 0; i < ARRAY_SIZE(sr7_cases); i++) {
			const struct sr7_case *c = &sr7_cases[i];

			sr13_record(e, &n, v, c->what, f, ksys_fallocate(g.fd,
				    c->mode, c->offset, c->len));
		}
		sr13_record(e, &n, v, "allocate", f, ksys_fallocate(g.fd, KEEP,
			    hole * PAGE_SIZE, PAGE_SIZE));
		sr13_record(e, &n, v, "punch", f, ksys_fallocate(g.fd, PUNCH,
			    hole * PAGE_SIZE, PAGE_SIZE));
		sr13_record(e, &n, v, "fault on a hole", f,
			    vcpu_fault(g.file, f ? hole : 2, NULL));
		sr13_record(e, &n, v, "fault on a folio", f,
			    vcpu_fault(g.file, 0, NULL));
	}
	kvm_gmem_freeze(g.inode, false);
	gmem_close(&g);
	return n;
}

START_TEST(sr13_scope_guard_unlocks_on_every_exit)
{
	struct sr13_exit posted[SR13_EXITS], guarded[SR13_EXITS];
	int n = sr13_exits(GMEM_POSTED, posted);

	ck_assert_int_eq(n, SR13_EXITS);
	ck_assert_int_eq(sr13_exits(GMEM_SCOPE_GUARD, guarded), n);
	for (int i = 0; i < n; i++) {
		ck_assert_msg(posted[i].ret == guarded[i].ret,
			      "%s: posted %ld, scope-guard %ld", posted[i].what,
			      posted[i].ret, guarded[i].ret);
		/* frozen: every exit but the lookup's is the early EPERM */
		if (i >= n / 2)
			ck_assert_int_eq(posted[i].ret,
					 i == n - 1 ? 0 : -EPERM);
		else if (i >= 4)
			ck_assert_int_eq(posted[i].ret, 0);
	}
}
END_TEST

static void sr14_nothing_loaded(long base, const char *after)
{
	ck_assert_msg(pcpu_nr_bytes() == base, "%s left the domain's per-CPU "
		      "data", after);
	ck_assert_msg(!kvm_gmem_module.srcu && !kvm_gmem_module.inode_cache &&
		      !kvm_gmem_module.mnt_sb, "%s left a step set up", after);
}

START_TEST(sr14_gmem_init_unwinds_as_posted)
{
	static const char *const step[] = {
		"kvm_gmem_inode_cache", "alloc_percpu", "kvm_gmem_init_mount",
	};
	long domain = NR_CPUS * sizeof(struct srcu_data);
	struct gmem_file g;
	long base;

	ck_assert(kvm_gmem_module.srcu);	/* loaded by the reset */
	kvm_gmem_exit();
	base = pcpu_nr_bytes();
	sr14_nothing_loaded(base, "the unload");
	for (int i = 0; i < 3; i++) {
		char what[64];

		ck_assert_int_eq(fault_inject_set(step[i], 1), 0);
		ck_assert_int_eq(kvm_gmem_init(), -ENOMEM);
		snprintf(what, sizeof(what), "a failed %s",
			 i == 2 ? "mount" : step[i]);
		sr14_nothing_loaded(base, what);
	}
	ck_assert_int_eq(kvm_gmem_init(), 0);
	ck_assert_int_eq(pcpu_nr_bytes(), base + domain);
	ck_assert(kvm_gmem_module.inode_cache && kvm_gmem_module.mnt_sb);
	g = gmem_open(BIT(0));
	kvm_gmem_freeze(g.inode, true);
	ck_assert_int_eq(vcpu_fault(g.file, 1, NULL), -EPERM);
	kvm_gmem_freeze(g.inode, false);
	ck_assert_int_eq(vcpu_fault(g.file, 1, NULL), 0);
	gmem_close(&g);
	kvm_gmem_exit();
	sr14_nothing_loaded(base, "the unload");
	ck_assert_int_eq(kvm_gmem_init(), 0);
}
END_TEST

START_TEST(sr15_vmm_fault_on_a_frozen_hole_is_sigbus)
{
	const u64 flags = GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED;

	for (int v = 0; v < NR_GMEM_VARIANTS; v++) {
		struct inode *inode;
		unsigned long addr;
		int fd;
		u8 b;

		variant_select(&gmem_freeze_variants, v);
		fd = kvm_gmem_create(GMEM_SIZE, flags);
		ck_assert_int_ge(fd, 0);
		inode = kvm_gmem_inode(fd);
		ck_assert_int_eq(ksys_fallocate(fd, KEEP, 0, PAGE_SIZE), 0);
		addr = ksys_mmap_pgoff(0, GMEM_SIZE, PROT_READ | PROT_WRITE,
				       MAP_SHARED, fd, 0);
		ck_assert(!IS_ERR_VALUE(addr));
		kvm_gmem_freeze(inode, true);
		ck_assert_int_eq(user_store_byte(addr, 0x5a), 0);
		ck_assert_int_eq(user_load_byte(addr, &b), 0);
		ck_assert_int_eq(b, 0x5a);
		ck_assert_msg(user_load_byte(addr + PAGE_SIZE, &b) == -SIGBUS,
			      "%s: the VMM's read of a hole of a frozen file "
			      "did not get SIGBUS", gmem_variant_name(v));
		ck_assert_int_eq(user_store_byte(addr + 2 * PAGE_SIZE, 1),
				 -SIGBUS);
		ck_assert_uint_eq(gmem_present(inode), BIT(0));
		kvm_gmem_freeze(inode, false);
		ck_assert_int_eq(user_store_byte(addr + 2 * PAGE_SIZE, 1), 0);
		ck_assert_uint_eq(gmem_present(inode), BIT(0) | BIT(2));
		ck_assert_int_eq(ksys_munmap(addr, GMEM_SIZE), 0);
		ck_assert_int_eq(ksys_close(fd), 0);
	}
}
END_TEST

START_TEST(sr15_vmm_mapping_needs_mmap_flag_and_shared)
{
	int fd = kvm_gmem_create(GMEM_SIZE, 0);
	long r;

	ck_assert_int_ge(fd, 0);
	r = ksys_mmap_pgoff(0, GMEM_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	ck_assert_int_eq(r, -ENODEV);
	ck_assert_int_eq(ksys_close(fd), 0);
	fd = kvm_gmem_create(GMEM_SIZE, GUEST_MEMFD_FLAG_MMAP);
	ck_assert_int_ge(fd, 0);
	r = ksys_mmap_pgoff(0, GMEM_SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	ck_assert_int_eq(r, -EINVAL);
	ck_assert_int_eq(ksys_close(fd), 0);
}
END_TEST

static void figure_srcu_read(void)
{
	tex_read(bench_data(), stdout);
}
KTEST_FIGURE("srcu-read", figure_srcu_read)

static void figure_srcu_gp(void)
{
	tex_gp(bench_data(), stdout);
}
KTEST_FIGURE("srcu-gp", figure_srcu_gp)

static void figure_srcu_sr9(void)
{
	tex_sr9(stdout);
}
KTEST_FIGURE("srcu-sr9", figure_srcu_sr9)

static void figure_srcu_locks(void)
{
	struct sr8_ctx c = { .a = gmem_open(BIT(0)), .b = gmem_open(0) };

	task_call(sr8_punch, &c.a, "punch");
	task_call(sr8_freeze_under_invalidate_lock, &c, "freeze");
	lockdep_export_dot(stdout,
			   "guest_memfd: a freeze under invalidate_lock");
}
KTEST_FIGURE("srcu-locks", figure_srcu_locks)

static Suite *srcu_freeze_suite(void)
{
	Suite *s = suite_create("srcu-freeze");
	TCase *tc = ktest_tcase("srcu-freeze");

	tcase_add_test(tc, sr1_fallocate_nests_read_sections_under_every_schedule);
	tcase_add_test(tc, sr1_percpu_rwsem_read_does_not_nest);
	tcase_add_test(tc, sr2_freeze_waits_for_allocations_in_flight_only);
	tcase_add_test(tc, sr3_no_allocation_after_freeze_every_schedule);
	tcase_add_test(tc, sr3_random_schedules_with_fallocate);
	tcase_add_test(tc, sr4_frozen_file_serves_existing_folios);
	tcase_add_test(tc, sr5_unfreeze_does_not_wait_for_readers);
	tcase_add_test(tc, sr5_late_eperm_only_without_grace_period);
	tcase_add_test(tc, sr6_punch_on_frozen_file_needs_the_fallocate_check);
	tcase_add_test(tc, sr7_frozen_check_before_or_after_validation);
	tcase_add_test(tc, gmem_allocate_up_to_the_end_not_past);
	tcase_add_test(tc, sr8_freeze_inside_read_section_is_recursion);
	tcase_add_test(tc, sr8_freeze_under_invalidate_lock_is_a_cycle);
	tcase_add_test(tc, sr8_freeze_under_invalidate_lock_deadlocks);
	tcase_add_test(tc, sr9_per_inode_domains_are_charged_to_nobody);
	tcase_add_test(tc, sr9_per_inode_domain_allocation_can_fail);
	tcase_add_test(tc, sr10_one_membarrier_per_grace_period);
	tcase_add_test(tc, sr11_read_side_costs_in_the_data);
	tcase_add_test(tc, sr12_documented_vmm_ignores_the_eperm_exit);
	tcase_add_test(tc, sr13_scope_guard_unlocks_on_every_exit);
	tcase_add_test(tc, sr14_gmem_init_unwinds_as_posted);
	tcase_add_test(tc, sr15_vmm_fault_on_a_frozen_hole_is_sigbus);
	tcase_add_test(tc, sr15_vmm_mapping_needs_mmap_flag_and_shared);
	suite_add_tcase(s, tc);
	return s;
}
KTEST_SUITE(srcu_freeze_suite)
