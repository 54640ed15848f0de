/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/81-tasks.nw (appendix A); do not edit. */
#include "locks.h"
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

__thread struct task_struct *__current_task;
__thread int __this_cpu = -1;
__thread long __this_cpu_off = -1;
int mmlit_hooks = MMLIT_HOOK_LOCKDEP;
struct mmlit_process mmlit_proc;
int nr_cpu_ids;

static pthread_mutex_t tasks_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(all_tasks);
static u64 cpu_slots[NR_CPUS / 64];
static int last_pid;
static pthread_key_t adopt_key;
static pthread_once_t adopt_once = PTHREAD_ONCE_INIT;
static sched_hook_t sched_hook;

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

static int cpu_slot_get(void)
{
	for (int i = 0; i < NR_CPUS; i++) {
		if (cpu_slots[i / 64] & (1ULL << (i % 64)))
			continue;
		cpu_slots[i / 64] |= 1ULL << (i % 64);
		if (i + 1 > nr_cpu_ids)
			WRITE_ONCE(nr_cpu_ids, i + 1);
		return i;
	}
	fprintf(stderr, "mmlit: more than %d live tasks\n", NR_CPUS);
	abort();
}

static void cpu_slot_put(int cpu)
{
	cpu_slots[cpu / 64] &= ~(1ULL << (cpu % 64));
}

static struct task_struct *task_alloc(const char *name)
{
	struct task_struct *t = calloc(1, sizeof(*t));
	struct task_struct *parent = __current_task;
	pthread_condattr_t ca;

	if (!t)
		abort();
	pthread_mutex_init(&t->pi_lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&t->wake, &ca);
	pthread_cond_init(&t->det_cond, &ca);
	pthread_condattr_destroy(&ca);
	t->__state = TASK_RUNNING;
	t->mm = parent ? parent->mm : mmlit_proc.mm;
	t->files = parent ? parent->files : mmlit_proc.files;
	t->memcg = parent ? parent->memcg : mmlit_proc.memcg;
	pthread_mutex_lock(&tasks_lock);
	t->cpu = cpu_slot_get();
	t->pid = ++last_pid;
	snprintf(t->comm, sizeof(t->comm), "%s", name);
	list_add_tail(&t->tasks, &all_tasks);
	pthread_mutex_unlock(&tasks_lock);
	return t;
}

static void task_free(struct task_struct *t)
{
	pthread_mutex_lock(&tasks_lock);
	list_del(&t->tasks);
	cpu_slot_put(t->cpu);
	pthread_mutex_unlock(&tasks_lock);
	pthread_mutex_destroy(&t->pi_lock);
	pthread_cond_destroy(&t->wake);
	pthread_cond_destroy(&t->det_cond);
	free(t);
}

static void adopted_thread_exit(void *p)
{
	struct task_struct *t = p;

	if (t && t->adopted && !t->stuck) {
		__current_task = t;
		WARN_ON(t->lockdep_depth);
		__current_task = NULL;
		task_free(t);
	}
}

static void adopt_key_init(void)
{
	pthread_key_create(&adopt_key, adopted_thread_exit);
}

struct task_struct *__task_adopt(void)
{
	struct task_struct *t;
	char name[TASK_COMM_LEN];

	pthread_once(&adopt_once, adopt_key_init);
	snprintf(name, sizeof(name), "%s", last_pid ? "thread" : "main");
	t = task_alloc(name);
	if (strcmp(name, "main"))
		snprintf(t->comm, sizeof(t->comm), "thread-%d", t->pid);
	t->adopted = true;
	t->thread = pthread_self();
	__current_task = t;
	__this_cpu = t->cpu;
	__this_cpu_off = (long)t->cpu * SMP_CACHE_BYTES;
	pthread_setspecific(adopt_key, t);
	return t;
}

void task_release_current(void)
{
	struct task_struct *t = __current_task;

	if (!t || !t->adopted)
		return;
	WARN_ON(t->lockdep_depth);
	pthread_setspecific(adopt_key, NULL);
	__current_task = NULL;
	__this_cpu = -1;
	__this_cpu_off = -1;
	task_free(t);
}

void send_sig(int sig, struct task_struct *p)
{
	unsigned int state = TASK_INTERRUPTIBLE;

	__atomic_or_fetch(&p->signal, sigmask(sig), __ATOMIC_SEQ_CST);
	if (sig == SIGKILL)
		state |= TASK_WAKEKILL;
	wake_up_state(p, state);
}

void flush_signals(struct task_struct *p)
{
	__atomic_store_n(&p->signal, 0, __ATOMIC_SEQ_CST);
}

#define DETECT_PERIOD_MS	10
static long hung_timeout_ms = 1000;

static void detect_deadlock(struct task_struct *t, long waited_ms);
static void det_block(struct task_struct *t);

void sched_set_hung_timeout(long ms)
{
	hung_timeout_ms = ms;
}

/*
 * The detector reads another task's record: it is written and copied
 * whole under the task's pi_lock, so no reader sees half of one. Tests
 * that only peek at the kind and the lock map read them unlocked.
 */
void set_blocked_on(const struct blocked_on *b)
{
	struct blocked_on *d = &current->blocked_on;

	pthread_mutex_lock(&current->pi_lock);
	WRITE_ONCE(d->kind, b->kind);
	WRITE_ONCE(d->map, b->map);
	d->obj = b->obj;
	d->owner = b->owner;
	d->what = b->what;
	d->read = b->read;
	d->site = b->site;
	d->waits_for = b->waits_for;
	pthread_mutex_unlock(&current->pi_lock);
}

void clear_blocked_on(void)
{
	struct task_struct *t = current;

	pthread_mutex_lock(&t->pi_lock);
	WRITE_ONCE(t->blocked_on.kind, BLOCK_NONE);
	pthread_mutex_unlock(&t->pi_lock);
}

static void blocked_on_get(struct task_struct *u, struct blocked_on *b)
{
	pthread_mutex_lock(&u->pi_lock);
	*b = u->blocked_on;
	pthread_mutex_unlock(&u->pi_lock);
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

static void deadline_after_ms(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

void schedule(void)
{
	struct task_struct *t = current;
	long waited = 0;
	struct timespec ts;

	if ((mmlit_hooks & MMLIT_HOOK_DET) && t->det) {
		det_block(t);
		return;
	}
	sched_point(SP_SLEEP, t->blocked_on.obj);
	pthread_mutex_lock(&t->pi_lock);
	WRITE_ONCE(t->block_seq, t->block_seq + 1);
	t->hung_base_ms = 0;
	WRITE_ONCE(t->waiting, true);
	while (READ_ONCE(t->__state) != TASK_RUNNING && !t->abort_pending) {
		if (signal_pending_state(t->__state, t)) {
			WRITE_ONCE(t->__state, TASK_RUNNING);
			break;
		}
		deadline_after_ms(&ts, DETECT_PERIOD_MS);
		if (pthread_cond_timedwait(&t->wake, &t->pi_lock, &ts) != ETIMEDOUT)
			continue;
		waited += DETECT_PERIOD_MS;
		pthread_mutex_unlock(&t->pi_lock);
		detect_deadlock(t, waited);
		pthread_mutex_lock(&t->pi_lock);
	}
	WRITE_ONCE(t->waiting, false);
	t->suspect_sig = 0;
	pthread_mutex_unlock(&t->pi_lock);
}

int wake_up_state(struct task_struct *p, unsigned int state)
{
	struct task_struct *self = current;
	int ret = 0;

	__atomic_store_n(&self->progress, self->progress + 1, __ATOMIC_RELAXED);
	/* The waker's condition store before its read of the state. */
	smp_mb();
	pthread_mutex_lock(&p->pi_lock);
	if (READ_ONCE(p->__state) & state) {
		WRITE_ONCE(p->__state, TASK_RUNNING);
		pthread_cond_signal(&p->wake);
		ret = 1;
	}
	pthread_mutex_unlock(&p->pi_lock);
	return ret;
}

int wake_up_process(struct task_struct *p)
{
	return wake_up_state(p, TASK_NORMAL);
}

/* Wake @p to abort, whatever it sleeps in. */
static void wake_to_abort(struct task_struct *p)
{
	pthread_mutex_lock(&p->pi_lock);
	p->abort_pending = true;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->pi_lock);
}

void sched_poll_begin(const struct blocked_on *b)
{
	struct task_struct *t = current;

	set_blocked_on(b);
	WRITE_ONCE(t->block_seq, t->block_seq + 1);
	t->suspect_sig = 0;
	t->hung_base_ms = 0;
	WRITE_ONCE(t->waiting, true);
}

void sched_poll_check(long waited_ms)
{
	struct task_struct *t = current;

	WRITE_ONCE(t->__state, TASK_UNINTERRUPTIBLE);
	detect_deadlock(t, waited_ms);
	WRITE_ONCE(t->__state, TASK_RUNNING);
}

void sched_poll_end(void)
{
	struct task_struct *t = current;

	WRITE_ONCE(t->waiting, false);
	t->suspect_sig = 0;
	clear_blocked_on();
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

static void wf_describe(struct report *r, struct task_struct *u)
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

static void detect_deadlock(struct task_struct *t, long waited_ms)
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

static void det_add(struct task_struct *t);
static void det_wait_turn(struct task_struct *t);
static void det_exit(struct task_struct *t);
static void det_forget(struct task_struct *t);

static void task_exit(struct task_struct *t)
{
	struct task_struct *u;

	if (!t->stuck && t->lockdep_depth) {
		struct report r;

		report_init(&r, REPORT_LEAK);
		report_printf(&r, "BUG: task %s exited with %d locks held\n",
			      t->comm, t->lockdep_depth);
		for (int i = 0; i < t->lockdep_depth; i++) {
			struct held_lock *hl = &t->held_locks[i];

			report_printf(&r, "  #%d: %s taken at %s:%d %s()\n", i,
				      hl->instance->name, hl->site.file,
				      hl->site.line, hl->site.func);
			report_add_link(&r, t->comm, hl->instance->name,
					hl->read ? "read" : "write", hl->site);
		}
		report_file(&r);
	}
	if (t->det) {
		det_exit(t);
		return;
	}
	pthread_mutex_lock(&tasks_lock);
	WRITE_ONCE(t->exited, true);
	smp_mb();
	list_for_each_entry(u, &all_tasks, tasks) {
		struct blocked_on b;

		blocked_on_get(u, &b);
		if (b.kind == BLOCK_TASK && b.obj == t)
			wake_up_process(u);
	}
	pthread_mutex_unlock(&tasks_lock);
}

static void *task_trampoline(void *p)
{
	struct task_struct *t = p;

	__current_task = t;
	__this_cpu = t->cpu;
	__this_cpu_off = (long)t->cpu * SMP_CACHE_BYTES;
	if (t->det)
		det_wait_turn(t);
	if (!sigsetjmp(t->abort_env, 0)) {
		t->abort_armed = true;
		t->result = t->threadfn(t->data);
	} else {
		t->result = -EDEADLK;
	}
	t->abort_armed = false;
	task_exit(t);
	return NULL;
}

struct task_struct *task_run(int (*fn)(void *data), void *data,
			     const char *name)
{
	struct task_struct *parent = current;
	struct task_struct *t = task_alloc(name);

	t->threadfn = fn;
	t->data = data;
	if (parent->det && (mmlit_hooks & MMLIT_HOOK_DET))
		det_add(t);
	if (pthread_create(&t->thread, NULL, task_trampoline, t))
		BUG();
	sched_point(SP_TASK, t);
	return t;
}

static int waits_for_task(const struct blocked_on *b, struct task_struct *self,
			  struct task_struct **out, int max)
{
	struct task_struct *t = b->owner;

	if (READ_ONCE(t->exited) && !t->stuck)
		return 0;
	out[0] = t;
	return 1;
}

int task_join(struct task_struct *t)
{
	struct blocked_on b = {
		.kind = BLOCK_TASK, .obj = t, .owner = t, .what = t->comm,
		.site = THIS_SITE, .waits_for = waits_for_task,
	};
	int ret;

	might_sleep();
	set_blocked_on(&b);
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (READ_ONCE(t->exited))
			break;
		schedule();
		task_abort_if_pending();
	}
	__set_current_state(TASK_RUNNING);
	clear_blocked_on();
	pthread_join(t->thread, NULL);
	ret = t->result;
	if (!t->stuck) {
		if (t->det)
			det_forget(t);
		task_free(t);
	}
	return ret;
}

int task_call(int (*fn)(void *data), void *data, const char *name)
{
	return task_join(task_run(fn, data, name));
}

int tasks_stuck(void)
{
	struct task_struct *u;
	int n = 0;

	pthread_mutex_lock(&tasks_lock);
	list_for_each_entry(u, &all_tasks, tasks)
		n += u->stuck;
	pthread_mutex_unlock(&tasks_lock);
	return n;
}

static struct task_struct *task_left_running(void)
{
	struct task_struct *u, *t = NULL;

	pthread_mutex_lock(&tasks_lock);
	list_for_each_entry(u, &all_tasks, tasks) {
		if (u != current && !u->adopted && !u->stuck) {
			t = u;
			break;
		}
	}
	pthread_mutex_unlock(&tasks_lock);
	return t;
}

int tasks_join_left(void)
{
	struct task_struct *t;
	int n = 0;

	while ((t = task_left_running())) {
		task_join(t);
		n++;
	}
	return n;
}

/*
 * A reaped task is never freed: a lock it held (a static one outlives any
 * model) still names it as owner, and the detector may follow that pointer.
 * It leaves the task list and its CPU slot; the memory is a deliberate leak.
 */
static LIST_HEAD(reaped_tasks);

void tasks_reap_stuck(void)
{
	struct task_struct *u, *n;

	pthread_mutex_lock(&tasks_lock);
	list_for_each_entry_safe(u, n, &all_tasks, tasks) {
		if (!u->stuck || !u->exited)
			continue;
		list_move_tail(&u->tasks, &reaped_tasks);
		cpu_slot_put(u->cpu);
	}
	pthread_mutex_unlock(&tasks_lock);
}

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

static void det_add(struct task_struct *t)
{
	pthread_mutex_lock(&det.lock);
	BUG_ON(det.nr_tasks >= DET_MAX_TASKS);
	t->det = true;
	t->det_order = det.nr_tasks;
	det.tasks[det.nr_tasks++] = t;
	det.live++;
	pthread_mutex_unlock(&det.lock);
}

static void det_forget(struct task_struct *t)
{
	pthread_mutex_lock(&det.lock);
	for (int i = 0; i < det.nr_tasks; i++)
		if (det.tasks[i] == t)
			det.tasks[i] = NULL;
	pthread_mutex_unlock(&det.lock);
}

static void det_wait_turn(struct task_struct *t)
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

static void det_block(struct task_struct *t)
{
	pthread_mutex_lock(&det.lock);
	WRITE_ONCE(t->block_seq, t->block_seq + 1);
	WRITE_ONCE(t->waiting, true);
	det_switch(t, false);
	WRITE_ONCE(t->waiting, false);
	pthread_mutex_unlock(&det.lock);
}

static void det_exit(struct task_struct *t)
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
