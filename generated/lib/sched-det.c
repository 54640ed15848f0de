/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/81-tasks.nw (appendix A); do not edit. */
#include "task-internal.h"

#define DET_MAX_TASKS	64
#define DET_MAX_CHOICES	8192

static struct {
	pthread_mutex_t lock;
	pthread_cond_t done;
	struct task_struct *running;
	struct task_struct *tasks[DET_MAX_TASKS];
	int nr_tasks;
	int live;
	bool seeded;
	u64 rng;
	int max_preempt;
	int preemptions;
	long pruned;			/* choices the bound took away */
	bool overflow;			/* more than DET_MAX_CHOICES */
	int nr;				/* choices made this run */
	u16 choice[DET_MAX_CHOICES];
	u16 options[DET_MAX_CHOICES];
	int script_len;			/* choices to replay */
	u16 script[DET_MAX_CHOICES];
	bool deadlocked;
} det = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.done = PTHREAD_COND_INITIALIZER,
};

static sched_hook_t sched_hook;

static const char *const sched_point_names[NR_SCHED_POINTS] = {
	[SP_LOCK] = "lock", [SP_LOCKED] = "locked", [SP_TRY] = "try",
	[SP_ALLOC] = "alloc", [SP_UNLOCK] = "unlock",
	[SP_SRCU_LOCK] = "srcu_lock", [SP_SRCU_UNLOCK] = "srcu_unlock",
	[SP_GP] = "gp", [SP_SLEEP] = "sleep", [SP_WAKE] = "wake",
	[SP_YIELD] = "yield", [SP_MARK] = "mark", [SP_TASK] = "task",
};

const char *sched_point_name(enum sched_point_kind kind)
{
	return kind < NR_SCHED_POINTS ? sched_point_names[kind] : "?";
}

static void det_yield(struct task_struct *t);

void __sched_point(enum sched_point_kind kind, const void *obj)
{
	struct task_struct *t = current;
	sched_hook_t hook;

	if ((mmlit_hooks & MMLIT_HOOK_DET) && t->det) {
		det_yield(t);
		return;
	}
	hook = READ_ONCE(sched_hook);
	if (hook)
		hook(kind, obj);
}

void sched_set_hook(sched_hook_t hook)
{
	WRITE_ONCE(sched_hook, hook);
	if (hook)
		__atomic_or_fetch(&mmlit_hooks, MMLIT_HOOK_SCHED,
				  __ATOMIC_SEQ_CST);
	else
		__atomic_and_fetch(&mmlit_hooks, ~MMLIT_HOOK_SCHED,
				   __ATOMIC_SEQ_CST);
}

static bool det_runnable(struct task_struct *u)
{
	return u && !u->exited &&
	       (READ_ONCE(u->__state) == TASK_RUNNING || u->det_preempted ||
		u->abort_pending);
}

static u64 det_rand(void)
{
	det.rng ^= det.rng >> 12;
	det.rng ^= det.rng << 25;
	det.rng ^= det.rng >> 27;
	return det.rng * 2685821657736338717ULL;
}

static int det_choose(int n)
{
	int c = 0;

	if (det.nr < det.script_len)
		c = det.script[det.nr];
	else if (det.seeded)
		c = det_rand() % n;
	if (WARN_ON(c >= n))	/* a replay that diverged */
		c = 0;
	if (det.nr < DET_MAX_CHOICES) {
		det.choice[det.nr] = c;
		det.options[det.nr] = n;
		det.nr++;
	} else {
		det.overflow = true;	/* unrecorded: never explored */
	}
	return c;
}

static struct task_struct *det_pick(struct task_struct *self, bool self_ok)
{
	struct task_struct *opt[DET_MAX_TASKS];
	int n = 0, c;

	if (self_ok)
		opt[n++] = self;
	for (int i = 0; i < det.nr_tasks; i++)
		if (det.tasks[i] != self && det_runnable(det.tasks[i]))
			opt[n++] = det.tasks[i];
	if (!n)
		return NULL;
	if (n == 1)
		return opt[0];
	if (self_ok && det.preemptions >= det.max_preempt) {
		det.pruned++;
		return opt[0];
	}
	c = det_choose(n);
	if (self_ok && c)
		det.preemptions++;
	return opt[c];
}

/*
 * Every task of the run is blocked: report, and abort them all but those
 * that only wait to join another; they go on when it ends.
 */
static void det_all_blocked(void)
{
	struct report r;

	report_init(&r, REPORT_DEADLOCK);
	report_printf(&r, "DEADLOCK: every task of the deterministic run "
		      "is blocked\n");
	for (int i = 0; i < det.nr_tasks; i++) {
		struct task_struct *u = det.tasks[i];

		if (!u || u->exited)
			continue;
		wf_describe(&r, u);
		if (u->blocked_on.kind != BLOCK_TASK)
			u->abort_pending = true;
	}
	det.deadlocked = true;
	report_file(&r);
}

/*
 * Hand the turn on; return when it is ours again. det.lock held.
 * A task that yields at a scheduling point can go on whatever its state
 * (it may be between prepare_to_wait and its condition check); a task that
 * blocks cannot until it is woken.
 */
static void det_switch(struct task_struct *self, bool yielding)
{
	bool self_ok = !self->exited && (yielding || det_runnable(self));
	struct task_struct *next = det_pick(self, self_ok);

	if (!next) {
		det_all_blocked();
		next = det_pick(self, det_runnable(self));
		BUG_ON(!next);
	}
	det.running = next;
	if (next != self)
		pthread_cond_signal(&next->det_cond);
	if (self->exited)
		return;
	while (det.running != self)
		pthread_cond_wait(&self->det_cond, &det.lock);
}

void det_add(struct task_struct *t)
{
	pthread_mutex_lock(&det.lock);
	BUG_ON(det.nr_tasks >= DET_MAX_TASKS);
	t->det = true;
	t->det_order = det.nr_tasks;
	det.tasks[det.nr_tasks++] = t;
	det.live++;
	pthread_mutex_unlock(&det.lock);
}

void det_forget(struct task_struct *t)
{
	pthread_mutex_lock(&det.lock);
	for (int i = 0; i < det.nr_tasks; i++)
		if (det.tasks[i] == t)
			det.tasks[i] = NULL;
	pthread_mutex_unlock(&det.lock);
}

void det_wait_turn(struct task_struct *t)
{
	pthread_mutex_lock(&det.lock);
	while (det.running != t)
		pthread_cond_wait(&t->det_cond, &det.lock);
	pthread_mutex_unlock(&det.lock);
}

static void det_yield(struct task_struct *t)
{
	pthread_mutex_lock(&det.lock);
	t->det_preempted = true;	/* preemption does not dequeue a task */
	det_switch(t, true);
	t->det_preempted = false;
	pthread_mutex_unlock(&det.lock);
}

void det_block(struct task_struct *t)
{
	pthread_mutex_lock(&det.lock);
	WRITE_ONCE(t->block_seq, t->block_seq + 1);
	WRITE_ONCE(t->waiting, true);
	det_switch(t, false);
	WRITE_ONCE(t->waiting, false);
	pthread_mutex_unlock(&det.lock);
}

void det_exit(struct task_struct *t)
{
	pthread_mutex_lock(&det.lock);
	WRITE_ONCE(t->exited, true);
	for (int i = 0; i < det.nr_tasks; i++) {
		struct task_struct *u = det.tasks[i];

		if (u && u->blocked_on.kind == BLOCK_TASK &&
		    u->blocked_on.obj == t)
			WRITE_ONCE(u->__state, TASK_RUNNING);
	}
	if (--det.live == 0)
		pthread_cond_signal(&det.done);
	else
		det_switch(t, false);
	pthread_mutex_unlock(&det.lock);
}

/* Wake the tasks of the run that sleep on @obj (spin locks, SRCU). */
void det_wake_blocked_on(const void *obj)
{
	pthread_mutex_lock(&det.lock);
	for (int i = 0; i < det.nr_tasks; i++) {
		struct task_struct *u = det.tasks[i];

		if (u && !u->exited && (u->blocked_on.kind == BLOCK_LOCK ||
					u->blocked_on.kind == BLOCK_SRCU) &&
		    u->blocked_on.obj == obj)
			WRITE_ONCE(u->__state, TASK_RUNNING);
	}
	pthread_mutex_unlock(&det.lock);
}

static int det_run(int (*fn)(void *data), void *data)
{
	struct task_struct *root;
	int ret;

	pthread_mutex_lock(&det.lock);
	det.nr = 0;
	det.preemptions = 0;
	det.overflow = false;
	det.nr_tasks = 0;
	det.live = 0;
	det.deadlocked = false;
	__atomic_or_fetch(&mmlit_hooks, MMLIT_HOOK_DET, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&det.lock);

	root = task_alloc("root");
	root->threadfn = fn;
	root->data = data;
	det_add(root);
	pthread_mutex_lock(&det.lock);
	det.running = root;
	pthread_mutex_unlock(&det.lock);
	if (pthread_create(&root->thread, NULL, task_trampoline, root))
		BUG();

	pthread_mutex_lock(&det.lock);
	while (det.live > 0)
		pthread_cond_wait(&det.done, &det.lock);
	__atomic_and_fetch(&mmlit_hooks, ~MMLIT_HOOK_DET, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&det.lock);

	pthread_join(root->thread, NULL);
	ret = root->result;
	/* Tasks of the run nobody joined, and stuck ones, go with it. */
	for (int i = 0; i < det.nr_tasks; i++) {
		struct task_struct *u = det.tasks[i];

		if (!u)
			continue;
		if (u != root)
			pthread_join(u->thread, NULL);
		det.tasks[i] = NULL;
		task_free(u);
	}
	det.nr_tasks = 0;
	return ret;
}

int sched_run_seeded(int (*fn)(void *data), void *data, u64 seed,
		     struct sched_stats *stats)
{
	int ret;

	det.seeded = true;
	det.rng = seed ? seed : 0x9e3779b97f4a7c15ULL;
	det.max_preempt = INT_MAX;
	det.script_len = 0;
	det.pruned = 0;
	ret = det_run(fn, data);
	if (stats) {
		*stats = (struct sched_stats){ .runs = 1 };
		stats->choice_points = det.nr;
		stats->deadlocks = det.deadlocked;
		stats->capped = det.overflow;
	}
	return ret;
}

static void det_format(char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = 0;
	for (int i = 0; i < det.nr && len + 16 < size; i++)
		len += snprintf(buf + len, size - len, "%s%d/%d",
				i ? " " : "", det.choice[i], det.options[i]);
}

static int explore_log_level(void)
{
	const char *env = getenv("MMLIT_EXPLORE_LOG");

	return env ? atoi(env) : 0;
}

static void explore_log(const char *name, int bound,
			const struct sched_stats *st, int ret)
{
	fprintf(stderr, "explore %s: %ld schedules, bound %d, %ld pruned, "
		"%s\n", name, st->runs, bound, st->pruned,
		ret ? "stopped: the scenario failed" :
		st->complete ? "complete" : "capped");
}

int __sched_explore(int (*fn)(void *data), const char *name, void *data,
		    int max_preemptions, long max_runs,
		    struct sched_stats *stats)
{
	struct sched_stats st = { 0 };
	int log = explore_log_level();
	int ret = 0;

	det.seeded = false;
	det.max_preempt = max_preemptions;
	det.script_len = 0;
	det.pruned = 0;
	for (;;) {
		int k;

		if (st.runs >= max_runs) {
			st.capped = true;
			break;
		}
		ret = det_run(fn, data);
		st.runs++;
		st.choice_points = det.nr;
		st.deadlocks += det.deadlocked;
		st.capped |= det.overflow;
		if (log >= 2) {
			static char buf[4096];

			det_format(buf, sizeof(buf));
			fprintf(stderr, "explore %s #%ld: %s\n", name,
				st.runs, buf);
		}
		if (ret)
			break;
		/* Depth first: the deepest choice with an untried option. */
		for (k = det.nr - 1; k >= 0; k--)
			if (det.choice[k] + 1 < det.options[k])
				break;
		if (k < 0) {
			st.complete = !st.capped;
			break;
		}
		memcpy(det.script, det.choice, k * sizeof(det.script[0]));
		det.script[k] = det.choice[k] + 1;
		det.script_len = k + 1;
	}
	st.pruned = det.pruned;
	if (log)
		explore_log(name, max_preemptions, &st, ret);
	if (stats)
		*stats = st;
	return ret;
}

const char *sched_last_schedule(void)
{
	static char buf[4096];

	det_format(buf, sizeof(buf));
	return buf;
}
