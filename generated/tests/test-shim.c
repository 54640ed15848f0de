/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/82-locks.nw (appendix B); do not edit. */
#include "ktest.h"
#include <unistd.h>

static DEFINE_MUTEX(sh1_mutex);
static DECLARE_RWSEM(sh1_rwsem);
static DECLARE_RWSEM(sh1_rwsem_w);	/* left held by a stuck task */
DEFINE_STATIC_SRCU(sh1_srcu);

static int sh1_mutex_twice(void *unused)
{
	mutex_lock(&sh1_mutex);
	mutex_lock(&sh1_mutex);		/* never returns */
	return 0;
}

START_TEST(sh1_mutex_taken_twice_is_recursion)
{
	ck_assert_int_eq(task_call(sh1_mutex_twice, NULL, "twice"), -EDEADLK);
	ck_assert_report("recursion");
	ck_assert_report("deadlock");
	ck_assert_int_eq(tasks_stuck(), 1);
}
END_TEST

static int sh1_read_under_write(void *unused)
{
	down_write(&sh1_rwsem_w);
	down_read(&sh1_rwsem_w);		/* waits on itself */
	return 0;
}

START_TEST(sh1_rwsem_read_under_write_is_recursion)
{
	const struct report *r;

	ck_assert_int_eq(task_call(sh1_read_under_write, NULL, "rw"), -EDEADLK);
	r = report_get(0);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->kind, REPORT_RECURSION);
	/* The chain: the write hold, then the read attempt, with sites. */
	ck_assert_int_eq(r->nr, 2);
	ck_assert_str_eq(r->chain[0].mode, "write");
	ck_assert_str_eq(r->chain[1].mode, "read");
	ck_assert_str_eq(r->chain[1].site.func, "sh1_read_under_write");
	ck_assert_report("recursion");
	ck_assert_report("deadlock");
}
END_TEST

/* down_read twice is reported even when it happens not to block. */
static int sh1_read_twice(void *unused)
{
	down_read(&sh1_rwsem);
	down_read(&sh1_rwsem);
	up_read(&sh1_rwsem);
	up_read(&sh1_rwsem);
	return 0;
}

START_TEST(sh1_rwsem_read_twice_is_recursion)
{
	ck_assert_int_eq(task_call(sh1_read_twice, NULL, "rr"), 0);
	ck_assert_report("recursion");
}
END_TEST

START_TEST(sh1_srcu_readers_nest_silently)
{
	int a = srcu_read_lock(&sh1_srcu);
	int b = srcu_read_lock(&sh1_srcu);

	srcu_read_unlock(&sh1_srcu, b);
	srcu_read_unlock(&sh1_srcu, a);
	ck_assert_int_eq(report_count(), 0);
}
END_TEST

static DEFINE_MUTEX(sh2_a);
static DEFINE_MUTEX(sh2_b);

static int sh2_a_then_b(void *unused)
{
	mutex_lock(&sh2_a);
	mutex_lock(&sh2_b);
	mutex_unlock(&sh2_b);
	mutex_unlock(&sh2_a);
	return 0;
}

static int sh2_b_then_a(void *unused)
{
	mutex_lock(&sh2_b);
	mutex_lock(&sh2_a);
	mutex_unlock(&sh2_a);
	mutex_unlock(&sh2_b);
	return 0;
}

START_TEST(sh2_abba_reported_without_a_race)
{
	const struct report *r;

	ck_assert_int_eq(task_call(sh2_a_then_b, NULL, "ab"), 0);
	ck_assert_int_eq(report_count(), 0);
	ck_assert_int_eq(task_call(sh2_b_then_a, NULL, "ba"), 0);
	r = report_get(0);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->kind, REPORT_CYCLE);
	/* held sh2_b, taking sh2_a, which already depends on sh2_b */
	ck_assert_str_eq(r->chain[0].lock, "sh2_b");
	ck_assert_str_eq(r->chain[1].lock, "sh2_a");
	ck_assert_str_eq(r->chain[2].lock, "sh2_b");
	ck_assert_str_eq(r->chain[2].site.func, "sh2_a_then_b");
	ck_assert_report("cycle");
	ck_assert(lockdep_has_dependency("sh2_a", "sh2_b"));
	ck_assert(!lockdep_has_dependency("sh2_b", "sh2_a"));
}
END_TEST

/* Two recursive readers cannot deadlock: no strong cycle, no report. */
DEFINE_STATIC_SRCU(sh2_srcu);
static DEFINE_MUTEX(sh2_m);

static int sh2_srcu_then_mutex(void *unused)
{
	int idx = srcu_read_lock(&sh2_srcu);

	mutex_lock(&sh2_m);
	mutex_unlock(&sh2_m);
	srcu_read_unlock(&sh2_srcu, idx);
	return 0;
}

static int sh2_mutex_then_srcu(void *unused)
{
	int idx;

	mutex_lock(&sh2_m);
	idx = srcu_read_lock(&sh2_srcu);
	srcu_read_unlock(&sh2_srcu, idx);
	mutex_unlock(&sh2_m);
	return 0;
}

START_TEST(sh2_recursive_read_cycle_is_not_strong)
{
	ck_assert_int_eq(task_call(sh2_srcu_then_mutex, NULL, "sm"), 0);
	ck_assert_int_eq(task_call(sh2_mutex_then_srcu, NULL, "ms"), 0);
	ck_assert_int_eq(report_count(), 0);
}
END_TEST

static int sh2_mutex_then_sync(void *unused)
{
	mutex_lock(&sh2_m);
	synchronize_srcu(&sh2_srcu);
	mutex_unlock(&sh2_m);
	return 0;
}

/* But a grace period under the mutex closes a strong cycle. */
START_TEST(sh2_sync_under_lock_that_readers_take_is_cycle)
{
	ck_assert_int_eq(task_call(sh2_srcu_then_mutex, NULL, "sm"), 0);
	ck_assert_int_eq(task_call(sh2_mutex_then_sync, NULL, "sync"), 0);
	ck_assert_report("cycle");
}
END_TEST

DEFINE_STATIC_SRCU(sh4_srcu);
static struct completion sh4_r1_in, sh4_r1_go, sh4_r2_in, sh4_u_done;
static int sh4_updater_done, sh4_r1_idx;

static int sh4_reader1(void *unused)
{
	int idx = srcu_read_lock(&sh4_srcu);
	int nested = srcu_read_lock(&sh4_srcu);

	WRITE_ONCE(sh4_r1_idx, idx | nested);
	complete(&sh4_r1_in);
	wait_for_completion(&sh4_r1_go);
	srcu_read_unlock(&sh4_srcu, nested);
	srcu_read_unlock(&sh4_srcu, idx);
	return 0;
}

static int sh4_updater(void *unused)
{
	synchronize_srcu(&sh4_srcu);
	WRITE_ONCE(sh4_updater_done, 1);
	return 0;
}

static int sh4_reader2(void *unused)
{
	int idx = srcu_read_lock(&sh4_srcu);

	complete(&sh4_r2_in);
	wait_for_completion(&sh4_u_done);
	srcu_read_unlock(&sh4_srcu, idx);
	return 0;
}

static void sh4_gp_waits_for_old_readers(void)
{
	struct task_struct *r1, *u, *r2;
	unsigned int idx0 = READ_ONCE(sh4_srcu.srcu_idx);

	WRITE_ONCE(sh4_updater_done, 0);
	init_completion(&sh4_r1_in);
	init_completion(&sh4_r1_go);
	init_completion(&sh4_r2_in);
	init_completion(&sh4_u_done);
	r1 = task_run(sh4_reader1, NULL, "r1");
	wait_for_completion(&sh4_r1_in);
	u = task_run(sh4_updater, NULL, "updater");
	for (int ms = 0; READ_ONCE(sh4_srcu.srcu_idx) == idx0; ms++) {
		ck_assert_msg(ms < 2000, "the grace period never flipped");
		usleep(1000);	/* until the flip: r1 is on the old set */
	}
	usleep(20000);
	ck_assert_msg(!READ_ONCE(sh4_updater_done),
		      "synchronize_srcu returned while a reader was inside");
	r2 = task_run(sh4_reader2, NULL, "r2");
	wait_for_completion(&sh4_r2_in);
	complete(&sh4_r1_go);
	ck_assert_int_eq(task_join(u), 0);	/* with r2 still inside */
	ck_assert_int_eq(srcu_readers_active(&sh4_srcu), 1);
	complete(&sh4_u_done);
	ck_assert_int_eq(task_join(r1), 0);
	ck_assert_int_eq(task_join(r2), 0);
	ck_assert_int_eq(srcu_readers_active(&sh4_srcu), 0);
}

START_TEST(sh4_gp_waits_for_old_readers_not_new_ones)
{
	sh4_gp_waits_for_old_readers();
	ck_assert(READ_ONCE(sh4_r1_idx) & SRCU_IDX_SLOW);
}
END_TEST

START_TEST(sh4_gp_waits_for_fast_path_readers)
{
	lockdep_set_enabled(false);
	sh4_gp_waits_for_old_readers();
	if (!(mmlit_hooks & MMLIT_HOOK_FENCE))	/* membarrier(2) works */
		ck_assert(!(READ_ONCE(sh4_r1_idx) & SRCU_IDX_SLOW));
}
END_TEST

static void sh4_trace_sink(const char *line)
{
}

START_TEST(sh4_section_keeps_its_path_when_hooks_change)
{
	struct srcu_struct s;
	int idx;

	lockdep_set_enabled(false);
	ck_assert_int_eq(init_srcu_struct(&s), 0);
	idx = srcu_read_lock(&s);	/* the fast path: no hook */
	mmlit_set_trace(sh4_trace_sink);
	srcu_read_unlock(&s, idx);
	idx = srcu_read_lock(&s);	/* the slow path: tracing */
	mmlit_set_trace(NULL);
	srcu_read_unlock(&s, idx);
	ck_assert_int_eq(srcu_readers_active(&s), 0);
	ck_assert_int_eq(report_count(), 0);
	synchronize_srcu(&s);
	cleanup_srcu_struct(&s);
}
END_TEST

static struct srcu_struct sh4_det_srcu;
static int sh4_reader_state;	/* 0 before, 1 inside, 2 left */
static int sh4_violations;
static int sh4_stragglers;	/* runs where the flip came inside the lock */

static int sh4_det_reader(void *unused)
{
	int idx = srcu_read_lock(&sh4_det_srcu);

	if ((idx & 1) != (READ_ONCE(sh4_det_srcu.srcu_idx) & 1))
		sh4_stragglers++;
	WRITE_ONCE(sh4_reader_state, 1);
	cond_resched();
	WRITE_ONCE(sh4_reader_state, 2);
	srcu_read_unlock(&sh4_det_srcu, idx);
	return 0;
}

static int sh4_det_updater(void *unused)
{
	int before = READ_ONCE(sh4_reader_state);

	synchronize_srcu(&sh4_det_srcu);
	if (before == 1 && READ_ONCE(sh4_reader_state) != 2)
		sh4_violations++;
	return 0;
}

static int sh4_det_run(void *unused)
{
	struct task_struct *r, *u;

	WRITE_ONCE(sh4_reader_state, 0);
	r = task_run(sh4_det_reader, NULL, "reader");
	u = task_run(sh4_det_updater, NULL, "updater");
	task_join(r);
	task_join(u);
	return sh4_violations;
}

START_TEST(sh4_gp_waits_under_every_schedule)
{
	struct sched_stats st;
	int ret;

	ck_assert_int_eq(init_srcu_struct(&sh4_det_srcu), 0);
	ret = sched_explore(sh4_det_run, NULL, 3, 100000, &st);
	ck_assert_msg(ret == 0,
		      "grace period ended under a reader; schedule: %s",
		      sched_last_schedule());
	ck_assert(st.complete);
	ck_assert_int_gt(st.runs, 10);
	ck_assert_int_eq(st.deadlocks, 0);
	cleanup_srcu_struct(&sh4_det_srcu);
}
END_TEST

#define TORTURE_UPDATES	2000
#define TORTURE_POISON	0xdead

struct torture_obj {
	long value;
};

static struct srcu_struct torture_srcu;
static struct torture_obj *torture_ptr;
static int torture_done, torture_started;
static long torture_bad, torture_reads;

static int torture_reader(void *unused)
{
	long bad = 0, reads = 0;

	__atomic_add_fetch(&torture_started, 1, __ATOMIC_SEQ_CST);
	while (!READ_ONCE(torture_done)) {
		int idx = srcu_read_lock(&torture_srcu);
		struct torture_obj *p = smp_load_acquire(&torture_ptr);

		barrier();
		if (READ_ONCE(p->value) == TORTURE_POISON)
			bad++;
		reads++;
		srcu_read_unlock(&torture_srcu, idx);
	}
	__atomic_add_fetch(&torture_bad, bad, __ATOMIC_RELAXED);
	__atomic_add_fetch(&torture_reads, reads, __ATOMIC_RELAXED);
	return 0;
}

START_TEST(sh4_srcu_torture_on_the_fast_path)
{
	static struct torture_obj objs[TORTURE_UPDATES + 1];
	struct task_struct *r[2];

	lockdep_set_enabled(false);
	ck_assert_int_eq(init_srcu_struct(&torture_srcu), 0);
	torture_ptr = &objs[0];
	for (int i = 0; i < 2; i++)
		r[i] = task_run(torture_reader, NULL, "reader");
	while (READ_ONCE(torture_started) < 2)
		sched_yield();
	for (int i = 1; i <= TORTURE_UPDATES; i++) {
		struct torture_obj *old = torture_ptr;

		objs[i].value = i;
		smp_store_release(&torture_ptr, &objs[i]);
		synchronize_srcu(&torture_srcu);
		WRITE_ONCE(old->value, TORTURE_POISON);
	}
	WRITE_ONCE(torture_done, 1);
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(task_join(r[i]), 0);
	ck_assert_int_eq(torture_bad, 0);
	ck_assert_int_gt(torture_reads, TORTURE_UPDATES);
	ck_assert_int_eq(srcu_batches_completed(&torture_srcu),
			 TORTURE_UPDATES);
	cleanup_srcu_struct(&torture_srcu);
}
END_TEST

static int sh4_det_two_gps(void *unused)
{
	for (int gp = 0; gp < 2; gp++)
		sh4_det_updater(NULL);
	return 0;
}

static int sh4_det_run_two(void *unused)
{
	struct task_struct *r, *u;

	WRITE_ONCE(sh4_reader_state, 0);
	r = task_run(sh4_det_reader, NULL, "reader");
	u = task_run(sh4_det_two_gps, NULL, "updater");
	task_join(r);
	task_join(u);
	return sh4_violations;
}

START_TEST(sh4_two_grace_periods_in_a_row_wait_for_a_straggler)
{
	struct sched_stats st;
	int ret;

	ck_assert_int_eq(init_srcu_struct(&sh4_det_srcu), 0);
	sh4_stragglers = 0;
	ret = sched_explore(sh4_det_run_two, NULL, 3, 100000, &st);
	ck_assert_msg(ret == 0, "a second grace period ended under a straggler;"
		      " schedule: %s", sched_last_schedule());
	ck_assert(st.complete);
	ck_assert_int_gt(sh4_stragglers, 0);	/* the case was explored */
	ck_assert_int_eq(st.deadlocks, 0);
	cleanup_srcu_struct(&sh4_det_srcu);
}
END_TEST

/*
 * Each deadlocking test has locks of its own: its stuck tasks keep them held
 * for the rest of the process, which under CK_FORK=no is the whole run.
 */
static DEFINE_MUTEX(sh6_a);
static DEFINE_MUTEX(sh6_b);
static DEFINE_MUTEX(sh6_det_a);
static DEFINE_MUTEX(sh6_det_b);
struct sh6_pair {
	struct mutex *a, *b;
	struct completion has_a, has_b;
};

static void sh6_pair_init(struct sh6_pair *p, struct mutex *a,
			  struct mutex *b)
{
	p->a = a;
	p->b = b;
	init_completion(&p->has_a);
	init_completion(&p->has_b);
}

static int sh6_first(void *data)
{
	struct sh6_pair *p = data;

	mutex_lock(p->a);
	complete(&p->has_a);
	wait_for_completion(&p->has_b);
	mutex_lock(p->b);
	mutex_unlock(p->b);
	mutex_unlock(p->a);
	return 0;
}

static int sh6_second(void *data)
{
	struct sh6_pair *p = data;

	mutex_lock(p->b);
	complete(&p->has_b);
	wait_for_completion(&p->has_a);
	mutex_lock(p->a);
	mutex_unlock(p->a);
	mutex_unlock(p->b);
	return 0;
}

static bool report_mentions(const struct report *r, const char *what)
{
	for (int i = 0; i < r->nr; i++)
		if (!strcmp(r->chain[i].lock, what) ||
		    !strcmp(r->chain[i].task, what))
			return true;
	return false;
}

START_TEST(sh6_abba_deadlock_detected_within_a_second)
{
	static struct sh6_pair p;	/* the stuck tasks keep using it */
	struct task_struct *t1, *t2;
	const struct report *r = NULL;
	long start = now_ms();

	sh6_pair_init(&p, &sh6_a, &sh6_b);
	t1 = task_run(sh6_first, &p, "first");
	t2 = task_run(sh6_second, &p, "second");
	ck_assert_int_eq(task_join(t1), -EDEADLK);
	ck_assert_int_eq(task_join(t2), -EDEADLK);
	ck_assert_int_lt(now_ms() - start, 1000);
	for (int i = 0; i < report_count(); i++)
		if (report_get(i)->kind == REPORT_DEADLOCK)
			r = report_get(i);
	ck_assert_ptr_nonnull(r);
	ck_assert(report_mentions(r, "first") && report_mentions(r, "second"));
	ck_assert(report_mentions(r, "sh6_a") && report_mentions(r, "sh6_b"));
	ck_assert_report("cycle");
	ck_assert_report("deadlock");
	ck_assert_int_eq(tasks_stuck(), 2);
}
END_TEST

static struct completion sh6_never;

static int sh6_wait_forever(void *unused)
{
	wait_for_completion(&sh6_never);
	return 0;
}

START_TEST(sh6_everybody_asleep_is_deadlock)
{
	init_completion(&sh6_never);
	ck_assert_int_eq(task_call(sh6_wait_forever, NULL, "waiter"), -EDEADLK);
	ck_assert_report("deadlock");
}
END_TEST

DEFINE_STATIC_SRCU(sh6_srcu);

static int sh6_sync_in_reader(void *unused)
{
	int idx = srcu_read_lock(&sh6_srcu);

	synchronize_srcu(&sh6_srcu);
	srcu_read_unlock(&sh6_srcu, idx);
	return 0;
}

START_TEST(sh6_synchronize_srcu_in_own_reader)
{
	ck_assert_int_eq(task_call(sh6_sync_in_reader, NULL, "sync"), -EDEADLK);
	ck_assert_report("recursion");
	ck_assert_report("deadlock");
}
END_TEST

/* Under the deterministic scheduler a deadlock ends the run, too. */
static int sh6_det_run(void *unused)
{
	static struct sh6_pair p;
	struct task_struct *t1, *t2;
	int r1, r2;

	sh6_pair_init(&p, &sh6_det_a, &sh6_det_b);
	t1 = task_run(sh6_first, &p, "first");
	t2 = task_run(sh6_second, &p, "second");
	r1 = task_join(t1);
	r2 = task_join(t2);
	return r1 == -EDEADLK && r2 == -EDEADLK ? 0 : 1;
}

START_TEST(sh6_deterministic_deadlock_ends_the_run)
{
	struct sched_stats st;

	ck_assert_int_eq(sched_run_seeded(sh6_det_run, NULL, 42, &st), 0);
	ck_assert_int_eq(st.deadlocks, 1);
	ck_assert_report("cycle");
	ck_assert_report("deadlock");
}
END_TEST

DEFINE_STATIC_SRCU(sh6_long_srcu);
static struct completion sh6_reader_in;

static int sh6_long_reader(void *unused)
{
	int idx = srcu_read_lock(&sh6_long_srcu);

	complete(&sh6_reader_in);
	usleep(1500 * 1000);		/* long, not stuck */
	srcu_read_unlock(&sh6_long_srcu, idx);
	return 0;
}

static int sh6_long_updater(void *unused)
{
	synchronize_srcu(&sh6_long_srcu);
	return 0;
}

START_TEST(sh6_long_grace_period_is_not_a_hang)
{
	struct task_struct *reader, *updater;
	long start;

	init_completion(&sh6_reader_in);
	reader = task_run(sh6_long_reader, NULL, "reader");
	wait_for_completion(&sh6_reader_in);
	start = now_ms();
	updater = task_run(sh6_long_updater, NULL, "updater");
	ck_assert_int_eq(task_join(updater), 0);
	ck_assert_int_ge(now_ms() - start, 1400);
	ck_assert_int_eq(task_join(reader), 0);
	ck_assert_int_eq(report_count(), 0);
}
END_TEST

START_TEST(sh6_wait_nobody_ends_is_hung)
{
	struct task_struct *waiter;
	long start = now_ms();

	init_completion(&sh6_never);
	waiter = task_run(sh6_wait_forever, NULL, "waiter");
	while (!report_count() && now_ms() - start < 5000)
		usleep(10 * 1000);	/* runs, but ends nothing */
	ck_assert_int_lt(now_ms() - start, 2500);
	ck_assert_int_eq(task_join(waiter), -EDEADLK);
	ck_assert_report("hung");
}
END_TEST

enum sh7_lock_kind {
	SH7_FOLIO_LOCK, SH7_FOLIO_TRYLOCK, SH7_MUTEX_TRYLOCK, SH7_SPIN_TRYLOCK,
	SH7_RWSEM_TRYLOCK, NR_SH7_KINDS
};

static struct {
	enum sh7_lock_kind kind;
	bool want_zeros;	/* look for r1 == r2 == 0 instead */
	int x, y, r1, r2;
} sh7;
static struct folio sh7_folio;
static DEFINE_MUTEX(sh7_mutex);
static DEFINE_SPINLOCK(sh7_spin);
static DECLARE_RWSEM(sh7_rwsem);

/* The lock of the first task: a trylock when the kind names one. */
static bool sh7_try_or_lock(void)
{
	switch (sh7.kind) {
	case SH7_FOLIO_LOCK:	folio_lock(&sh7_folio); return true;
	case SH7_FOLIO_TRYLOCK:	return folio_trylock(&sh7_folio);
	case SH7_MUTEX_TRYLOCK:	return mutex_trylock(&sh7_mutex);
	case SH7_SPIN_TRYLOCK:	return spin_trylock(&sh7_spin);
	default:		return down_write_trylock(&sh7_rwsem);
	}
}

/* The second task always waits for its lock. */
static void sh7_lock(void)
{
	switch (sh7.kind) {
	case SH7_FOLIO_LOCK:
	case SH7_FOLIO_TRYLOCK:	folio_lock(&sh7_folio); break;
	case SH7_MUTEX_TRYLOCK:	mutex_lock(&sh7_mutex); break;
	case SH7_SPIN_TRYLOCK:	spin_lock(&sh7_spin); break;
	default:		down_write(&sh7_rwsem); break;
	}
}

static void sh7_unlock(void)
{
	switch (sh7.kind) {
	case SH7_FOLIO_LOCK:
	case SH7_FOLIO_TRYLOCK:	folio_unlock(&sh7_folio); break;
	case SH7_MUTEX_TRYLOCK:	mutex_unlock(&sh7_mutex); break;
	case SH7_SPIN_TRYLOCK:	spin_unlock(&sh7_spin); break;
	default:		up_write(&sh7_rwsem); break;
	}
}

static int sh7_first(void *unused)
{
	WRITE_ONCE(sh7.y, 1);
	if (!sh7_try_or_lock()) {
		sh7.r1 = -1;
		return 0;
	}
	sh7.r1 = READ_ONCE(sh7.x);
	sh7_unlock();
	return 0;
}

static int sh7_second(void *unused)
{
	sh7_lock();
	WRITE_ONCE(sh7.x, 1);
	sh7.r2 = READ_ONCE(sh7.y);
	sh7_unlock();
	return 0;
}

static int sh7_scenario(void *unused)
{
	struct task_struct *a, *b;
	int want = sh7.want_zeros ? 0 : 1;

	sh7.x = sh7.y = sh7.r1 = sh7.r2 = 0;
	a = task_run(sh7_first, NULL, "first");
	b = task_run(sh7_second, NULL, "second");
	task_join(a);
	task_join(b);
	return sh7.r1 == want && sh7.r2 == want;
}

static const char *const sh7_kind_names[NR_SH7_KINDS] = {
	"folio_lock", "folio_trylock", "mutex_trylock", "spin_trylock",
	"down_write_trylock",
};

static void sh7_check(enum sh7_lock_kind kind)
{
	struct sched_stats st;

	sh7.kind = kind;
	sh7.want_zeros = false;
	ck_assert_msg(sched_explore(sh7_scenario, NULL, 1, 100000, &st) == 1,
		      "%s: r1 == r2 == 1 not found in %ld schedules",
		      sh7_kind_names[kind], st.runs);
	sh7.want_zeros = true;
	ck_assert_msg(sched_explore(sh7_scenario, NULL, 2, 100000, &st) == 0,
		      "%s: r1 == r2 == 0 found: %s", sh7_kind_names[kind],
		      sched_last_schedule());
	ck_assert(st.complete && !st.capped);
	ck_assert_int_eq(st.deadlocks, 0);
}

START_TEST(sh7_folio_lock_critical_sections_interleave)
{
	sh7_check(SH7_FOLIO_LOCK);
}
END_TEST

START_TEST(sh7_trylock_against_a_critical_section)
{
	for (int k = SH7_FOLIO_TRYLOCK; k < NR_SH7_KINDS; k++)
		sh7_check(k);
}
END_TEST

static gfp_t sh7_gfp;

static int sh7_allocator(void *unused)
{
	WRITE_ONCE(sh7.y, 1);
	kfree(kmalloc(16, sh7_gfp));
	sh7.r1 = READ_ONCE(sh7.x);
	return 0;
}

static int sh7_writer(void *unused)
{
	WRITE_ONCE(sh7.x, 1);
	sh7.r2 = READ_ONCE(sh7.y);
	return 0;
}

static int sh7_alloc_scenario(void *unused)
{
	struct task_struct *a, *b;

	sh7.x = sh7.y = sh7.r1 = sh7.r2 = 0;
	a = task_run(sh7_allocator, NULL, "allocator");
	b = task_run(sh7_writer, NULL, "writer");
	task_join(a);
	task_join(b);
	return sh7.r1 == 1 && sh7.r2 == 1;
}

START_TEST(sh7_allocation_that_may_sleep_is_a_point)
{
	struct sched_stats st;

	sh7_gfp = GFP_KERNEL;
	ck_assert_int_eq(sched_explore(sh7_alloc_scenario, NULL, 1, 1000, &st),
			 1);
	sh7_gfp = GFP_NOWAIT;
	ck_assert_int_eq(sched_explore(sh7_alloc_scenario, NULL, 1, 1000, &st),
			 0);
	ck_assert(st.complete);
}
END_TEST

static int sh7_yields;

static int sh7_yielder(void *unused)
{
	for (int i = 0; i < sh7_yields; i++)
		cond_resched();
	return 0;
}

static int sh7_yield_scenario(void *unused)
{
	struct task_struct *a = task_run(sh7_yielder, NULL, "a");
	struct task_struct *b = task_run(sh7_yielder, NULL, "b");

	task_join(a);
	task_join(b);
	return 0;
}

START_TEST(sh7_capped_exploration_is_not_complete)
{
	struct sched_stats st;

	sh7.kind = SH7_FOLIO_LOCK;
	sh7.want_zeros = true;
	ck_assert_int_eq(sched_explore(sh7_scenario, NULL, 2, 3, &st), 0);
	ck_assert_int_eq(st.runs, 3);
	ck_assert(st.capped && !st.complete);

	sh7_yields = 100;
	ck_assert_int_eq(sched_run_seeded(sh7_yield_scenario, NULL, 1, &st), 0);
	ck_assert(!st.capped);
	sh7_yields = 5000;
	ck_assert_int_eq(sched_run_seeded(sh7_yield_scenario, NULL, 1, &st), 0);
	ck_assert(st.capped);
}
END_TEST

static DECLARE_RWSEM(sem_fair);
static struct completion fair_reader_in, fair_writer_queued;

static int fair_reader(void *unused)
{
	down_read(&sem_fair);
	complete(&fair_reader_in);
	wait_for_completion(&fair_writer_queued);
	down_read(&sem_fair);		/* behind the writer: never */
	up_read(&sem_fair);
	up_read(&sem_fair);
	return 0;
}

static int fair_writer(void *unused)
{
	down_write(&sem_fair);
	up_write(&sem_fair);
	return 0;
}

START_TEST(rwsem_reader_queues_behind_waiting_writer)
{
	struct task_struct *r, *w;

	init_completion(&fair_reader_in);
	init_completion(&fair_writer_queued);
	r = task_run(fair_reader, NULL, "reader");
	wait_for_completion(&fair_reader_in);
	w = task_run(fair_writer, NULL, "writer");
	while (list_empty(&sem_fair.wait_list))
		usleep(100);
	complete(&fair_writer_queued);
	ck_assert_int_eq(task_join(r), -EDEADLK);
	ck_assert_int_eq(task_join(w), -EDEADLK);	/* waits on stuck r */
	ck_assert_report("recursion");
	ck_assert_report("deadlock");
}
END_TEST

static DEFINE_MUTEX(sig_mutex);
static struct completion sig_holding, sig_release;

static int sig_holder(void *unused)
{
	mutex_lock(&sig_mutex);
	complete(&sig_holding);
	wait_for_completion(&sig_release);
	mutex_unlock(&sig_mutex);
	return 0;
}

static int sig_killable_waiter(void *unused)
{
	return mutex_lock_killable(&sig_mutex);
}

START_TEST(killable_lock_gives_up_on_fatal_signal)
{
	struct task_struct *h, *w;

	init_completion(&sig_holding);
	init_completion(&sig_release);
	h = task_run(sig_holder, NULL, "holder");
	wait_for_completion(&sig_holding);
	w = task_run(sig_killable_waiter, NULL, "waiter");
	while (list_empty(&sig_mutex.wait_list))	/* w waits for h */
		usleep(100);
	send_sig(SIGKILL, w);
	ck_assert_int_eq(task_join(w), -EINTR);
	complete(&sig_release);
	ck_assert_int_eq(task_join(h), 0);
}
END_TEST

static DEFINE_SPINLOCK(atomic_lock);
static DEFINE_MUTEX(atomic_mutex);

START_TEST(sleeping_under_spin_lock_is_reported)
{
	spin_lock(&atomic_lock);
	mutex_lock(&atomic_mutex);
	mutex_unlock(&atomic_mutex);
	spin_unlock(&atomic_lock);
	ck_assert_report("atomic-sleep");
}
END_TEST

START_TEST(warn_on_fails_unless_expected)
{
	ck_assert(WARN_ON(1 + 1 == 2));
	ck_assert_report("warn");
	ck_assert(!WARN_ON(0));
}
END_TEST

/*
 * A WARN_ON_ONCE site fires once per test, also when the tests share one
 * process: the next test's setup re-arms it. Broken once: without
 * warn_once_rearm() in ktest_setup() and mmlit_process_reset(), the second
 * expectation fails.
 */
static bool warn_once_site(void)
{
	return WARN_ON_ONCE(1);
}

START_TEST(warn_on_once_fires_once_per_test)
{
	ck_assert(warn_once_site() && warn_once_site());
	ck_assert_report("warn");
	ck_assert(!report_expect("warn"));
	ktest_setup();			/* as the next test starts */
	warn_once_site();
	ck_assert_report("warn");
}
END_TEST

static DEFINE_MUTEX(assert_mutex);

START_TEST(lockdep_assert_held_reports_when_not_held)
{
	mutex_lock(&assert_mutex);
	lockdep_assert_held(&assert_mutex);
	mutex_unlock(&assert_mutex);
	ck_assert_int_eq(report_count(), 0);
	lockdep_assert_held(&assert_mutex);
	ck_assert_report("assert");
}
END_TEST

static DECLARE_RWSEM(sem_mode);

static bool last_report_says(const char *what)
{
	const struct report *r = report_get(report_count() - 1);

	return r && strstr(r->text, what);
}

START_TEST(rwsem_release_in_the_other_mode_warns)
{
	down_write(&sem_mode);
	up_read(&sem_mode);
	ck_assert_report("warn");
	ck_assert(last_report_says("up_read of sem_mode, held for write"));
	ck_assert(down_write_trylock(&sem_mode));
	up_write(&sem_mode);
	down_read(&sem_mode);
	up_write(&sem_mode);
	ck_assert_report("warn");
	ck_assert(last_report_says("up_write of sem_mode, held for read"));
	ck_assert(down_write_trylock(&sem_mode));
	up_write(&sem_mode);
	ck_assert_int_eq(report_pending(), 0);
}
END_TEST

START_TEST(sh5_fault_site_fails_the_nth_call_once)
{
	struct srcu_struct a, b, c;
	long base = pcpu_nr_bytes();	/* guest_memfd's domain is loaded */

	ck_assert_int_eq(fault_inject_set("alloc_percpu", 2), 0);
	ck_assert_int_eq(init_srcu_struct(&a), 0);
	ck_assert_int_eq(init_srcu_struct(&b), -ENOMEM);
	ck_assert_int_eq(init_srcu_struct(&c), 0);
	ck_assert_int_eq(fault_inject_set("no_such_site", 1), -ENOENT);
	cleanup_srcu_struct(&a);
	cleanup_srcu_struct(&c);
	ck_assert_int_eq(pcpu_nr_bytes(), base);
}
END_TEST

static Suite *shim_suite(void)
{
	Suite *s = suite_create("shim");
	TCase *tc = ktest_tcase("locks");

	tcase_add_test(tc, sh6_long_grace_period_is_not_a_hang);
	tcase_add_test(tc, sh6_wait_nobody_ends_is_hung);
	tcase_add_test(tc, sh7_folio_lock_critical_sections_interleave);
	tcase_add_test(tc, sh7_trylock_against_a_critical_section);
	tcase_add_test(tc, sh7_allocation_that_may_sleep_is_a_point);
	tcase_add_test(tc, sh7_capped_exploration_is_not_complete);
	tcase_add_test(tc, sh1_mutex_taken_twice_is_recursion);
	tcase_add_test(tc, sh1_rwsem_read_under_write_is_recursion);
	tcase_add_test(tc, sh1_rwsem_read_twice_is_recursion);
	tcase_add_test(tc, sh1_srcu_readers_nest_silently);
	tcase_add_test(tc, sh2_abba_reported_without_a_race);
	tcase_add_test(tc, sh2_recursive_read_cycle_is_not_strong);
	tcase_add_test(tc, sh2_sync_under_lock_that_readers_take_is_cycle);
	tcase_add_test(tc, sh4_gp_waits_for_old_readers_not_new_ones);
	tcase_add_test(tc, sh4_gp_waits_for_fast_path_readers);
	tcase_add_test(tc, sh4_section_keeps_its_path_when_hooks_change);
	tcase_add_test(tc, sh4_gp_waits_under_every_schedule);
	tcase_add_test(tc, sh4_two_grace_periods_in_a_row_wait_for_a_straggler);
	tcase_add_test(tc, sh4_srcu_torture_on_the_fast_path);
	tcase_add_test(tc, sh6_abba_deadlock_detected_within_a_second);
	tcase_add_test(tc, sh6_everybody_asleep_is_deadlock);
	tcase_add_test(tc, sh6_synchronize_srcu_in_own_reader);
	tcase_add_test(tc, sh6_deterministic_deadlock_ends_the_run);
	tcase_add_test(tc, rwsem_reader_queues_behind_waiting_writer);
	tcase_add_test(tc, killable_lock_gives_up_on_fatal_signal);
	tcase_add_test(tc, sleeping_under_spin_lock_is_reported);
	tcase_add_test(tc, warn_on_fails_unless_expected);
	tcase_add_test(tc, warn_on_once_fires_once_per_test);
	tcase_add_test(tc, lockdep_assert_held_reports_when_not_held);
	tcase_add_test(tc, rwsem_release_in_the_other_mode_warns);
	tcase_add_test(tc, sh5_fault_site_fails_the_nth_call_once);
	suite_add_tcase(s, tc);
	return s;
}
KTEST_SUITE(shim_suite)
