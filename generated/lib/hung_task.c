/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/81-tasks.nw (appendix A); do not edit. */
#include "task-internal.h"

static long hung_timeout_ms = 1000;

void sched_set_hung_timeout(long ms)
{
	hung_timeout_ms = ms;
}

/*
 * Whom @u waits for. A lock's waits_for may take the lock's wait_lock, under
 * which records are set, so it runs on a copy. Any other record is read
 * under @u's pi_lock: @u cannot leave the wait meanwhile, and so still
 * holds its reference to the folio the record names.
 */
static int wf_next(struct task_struct *u, struct task_struct **out, int max)
{
	struct blocked_on b;
	int n = 0;

	pthread_mutex_lock(&u->pi_lock);
	b = u->blocked_on;
	if (b.kind != BLOCK_LOCK && b.kind != BLOCK_NONE && b.waits_for)
		n = b.waits_for(&b, u, out, max);
	pthread_mutex_unlock(&u->pi_lock);
	if (b.kind == BLOCK_LOCK && b.waits_for)
		n = b.waits_for(&b, u, out, max);
	return n;
}

#define WF_MAX	16

struct wf_path {
	int n;
	struct task_struct *task[WF_MAX];
};

static bool task_blocked(struct task_struct *u)
{
	if (READ_ONCE(u->stuck))
		return true;
	return READ_ONCE(u->waiting) && READ_ONCE(u->__state) != TASK_RUNNING &&
	       !READ_ONCE(u->abort_pending);
}

int lock_holders(const struct lockdep_map *map, bool readers_only,
		 struct task_struct **out, int max)
{
	struct task_struct *u;
	int n = 0;

	/*
	 * Another task's held-lock stack, read while it pushes and pops: the
	 * entries below the depth it published are filled in. A stale answer
	 * is harmless; the detector looks twice before it reports.
	 */
	list_for_each_entry(u, &all_tasks, tasks) {
		int depth = __atomic_load_n(&u->lockdep_depth,
					    __ATOMIC_ACQUIRE);

		if (READ_ONCE(u->exited) && !READ_ONCE(u->stuck))
			continue;
		for (int i = 0; i < depth && i < MAX_LOCK_DEPTH; i++) {
			struct held_lock *hl = &u->held_locks[i];

			if (READ_ONCE(hl->instance) != map ||
			    !READ_ONCE(hl->acquired))
				continue;
			if (readers_only && !READ_ONCE(hl->read))
				continue;
			if (n < max)
				out[n++] = u;
			break;
		}
	}
	return n;
}

static bool wf_search(struct task_struct *u, struct task_struct *start,
		      struct wf_path *path, bool *to_stuck)
{
	struct task_struct *next[WF_MAX];
	int n = 0;

	path->task[path->n++] = u;
	if (READ_ONCE(u->stuck) && u != start) {
		*to_stuck = true;
		return true;
	}
	if (path->n < WF_MAX)
		n = wf_next(u, next, WF_MAX);
	for (int i = 0; i < n; i++) {
		struct task_struct *v = next[i];
		bool seen = false;

		if (v == start)
			return true;
		if (!task_blocked(v))
			continue;
		for (int j = 0; j < path->n; j++)
			seen |= path->task[j] == v;
		if (!seen && wf_search(v, start, path, to_stuck))
			return true;
	}
	path->n--;
	return false;
}

static unsigned long wf_signature(struct task_struct **tasks, int n)
{
	unsigned long sig = 1469598103934665603UL;

	for (int i = 0; i < n; i++) {
		sig = (sig ^ (unsigned long)tasks[i]->pid) * 1099511628211UL;
		sig = (sig ^ tasks[i]->block_seq) * 1099511628211UL;
	}
	return sig | 1;
}

static const char *block_mode(const struct blocked_on *b)
{
	if (b->kind != BLOCK_LOCK)
		return "wait";
	return b->read == 0 ? "write" :
	       b->read == 1 ? "read" : "recursive-read";
}

void wf_describe(struct report *r, struct task_struct *u)
{
	struct blocked_on copy;
	const struct blocked_on *b = &copy;

	if (u->stuck) {
		report_printf(r, "  task %s is stuck (aborted earlier), "
			      "holding %d locks\n", u->comm, u->lockdep_depth);
		report_add_link(r, u->comm, "(stuck)", "stuck",
				(struct lock_site){ "", 0, "" });
		return;
	}
	blocked_on_get(u, &copy);
	report_printf(r, "  task %s waits for %s (%s) at %s:%d %s()\n",
		      u->comm, b->what ? b->what : "?", block_mode(b),
		      b->site.file ? b->site.file : "?", b->site.line,
		      b->site.func ? b->site.func : "?");
	report_add_link(r, u->comm, b->what, block_mode(b), b->site);
}

/* Called with tasks_lock held. Joiners are left to their join. */
static void wf_abort(struct task_struct **tasks, int n)
{
	for (int i = 0; i < n; i++) {
		struct blocked_on b;

		blocked_on_get(tasks[i], &b);
		if (!tasks[i]->stuck && b.kind != BLOCK_TASK)
			wake_to_abort(tasks[i]);
	}
}

static bool all_tasks_asleep(struct task_struct **out, int *nr)
{
	struct task_struct *u;
	int n = 0;

	list_for_each_entry(u, &all_tasks, tasks) {
		struct wf_path path = { 0 };
		bool to_stuck = false;

		if (u->exited || u->stuck)
			continue;
		if (!task_blocked(u))
			return false;
		/* A task whose wait a cycle explains reports it itself. */
		if (wf_search(u, u, &path, &to_stuck))
			return false;
		if (n < WF_MAX)
			out[n++] = u;
	}
	*nr = n;
	return n > 0;
}

static unsigned long all_progress(void)
{
	struct task_struct *u;
	unsigned long sum = 0;

	list_for_each_entry(u, &all_tasks, tasks)
		if (!u->exited)
			sum += __atomic_load_n(&u->progress, __ATOMIC_RELAXED) +
			       READ_ONCE(u->block_seq);
	return sum;
}

/* Does @u's wait lead to a task that runs? @seen: visited tasks. */
static bool wf_reaches_running(struct task_struct *u,
			       struct task_struct **seen, int *nr,
			       bool *ownerless)
{
	struct task_struct *next[WF_MAX];
	int n = wf_next(u, next, WF_MAX);

	if (!n)
		*ownerless = true;
	for (int i = 0; i < n; i++) {
		struct task_struct *v = next[i];
		bool dup = false;

		if (READ_ONCE(v->stuck))
			continue;
		if (!task_blocked(v))
			return true;
		for (int j = 0; j < *nr; j++)
			dup |= seen[j] == v;
		if (dup || *nr >= WF_MAX)
			continue;
		seen[(*nr)++] = v;
		if (wf_reaches_running(v, seen, nr, ownerless))
			return true;
	}
	return false;
}

/* Called with tasks_lock held, by @t about its own wait. */
static bool wait_progresses(struct task_struct *t)
{
	struct task_struct *seen[WF_MAX] = { t };
	bool ownerless = false;
	unsigned long now;
	int nr = 1;

	if (wf_reaches_running(t, seen, &nr, &ownerless))
		return true;
	if (!ownerless)
		return false;
	now = all_progress();
	if (now == t->hung_seen)
		return false;
	t->hung_seen = now;
	return true;
}

void detect_deadlock(struct task_struct *t, long waited_ms)
{
	struct wf_path path = { 0 };
	struct task_struct *asleep[WF_MAX];
	bool to_stuck = false;
	unsigned long sig;
	struct report r;
	int n;

	if (!(mmlit_hooks & MMLIT_HOOK_LOCKDEP) &&
	    waited_ms - t->hung_base_ms < hung_timeout_ms)
		return;
	pthread_mutex_lock(&tasks_lock);
	if (!task_blocked(t))
		goto out;
	/* A join ends when the joined task does: the tasks it waits for
	 * find their own deadlock; only the hung-task timeout applies. */
	if (t->blocked_on.kind == BLOCK_TASK)
		goto hung;
	if (wf_search(t, t, &path, &to_stuck)) {
		sig = wf_signature(path.task, path.n);
		if (path.n > 1 && !to_stuck && t->suspect_sig != sig) {
			t->suspect_sig = sig;	/* look again next period */
			goto out;
		}
		report_init(&r, REPORT_DEADLOCK);
		report_printf(&r, "DEADLOCK: %s\n", to_stuck ?
			      "tasks wait for a task that is stuck for good" :
			      "tasks wait for each other");
		for (int i = 0; i < path.n; i++)
			wf_describe(&r, path.task[i]);
		report_printf(&r, "aborting the waiting tasks\n");
		wf_abort(path.task, path.n);
		pthread_mutex_unlock(&tasks_lock);
		report_file(&r);
		return;
	}
	if (all_tasks_asleep(asleep, &n)) {
		sig = wf_signature(asleep, n);
		if (t->suspect_sig != sig) {
			t->suspect_sig = sig;
			goto out;
		}
		report_init(&r, REPORT_DEADLOCK);
		report_printf(&r, "DEADLOCK: every task is asleep\n");
		for (int i = 0; i < n; i++)
			wf_describe(&r, asleep[i]);
		for (int i = 0; i < n; i++)
			if (!asleep[i]->adopted)
				wake_to_abort(asleep[i]);
		pthread_mutex_unlock(&tasks_lock);
		report_file(&r);
		return;
	}
hung:
	if (!hung_timeout_ms)
		goto out;
	if (wait_progresses(t))
		t->hung_base_ms = waited_ms;	/* not hung: count again */
	if (waited_ms - t->hung_base_ms >= hung_timeout_ms) {
		report_init(&r, REPORT_HUNG);
		report_printf(&r, "INFO: task %s blocked for more than %ld ms "
			      "with no progress by any task it waits for\n",
			      t->comm, waited_ms - t->hung_base_ms);
		wf_describe(&r, t);
		wake_to_abort(t);
		pthread_mutex_unlock(&tasks_lock);
		report_file(&r);
		return;
	}
out:
	pthread_mutex_unlock(&tasks_lock);
}

static void __attribute__((noreturn)) task_abort(struct task_struct *t)
{
	WRITE_ONCE(t->abort_pending, false);
	__set_current_state(TASK_RUNNING);
	clear_blocked_on();
	WRITE_ONCE(t->stuck, true);
	if (t->abort_armed)
		siglongjmp(t->abort_env, 1);
	fprintf(stderr, "mmlit: task %s, not started by task_run, is "
		"deadlocked and cannot be unwound\n", t->comm);
	report_print_pending(stderr);
	abort();
}

void task_abort_if_pending(void)
{
	struct task_struct *t = current;

	if (unlikely(t->abort_pending))
		task_abort(t);
}
