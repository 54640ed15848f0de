/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/81-tasks.nw (appendix A); do not edit. */
#include "task-internal.h"
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

__thread struct task_struct *__current_task;
__thread int __this_cpu = -1;
__thread long __this_cpu_off = -1;
int mmlit_hooks = MMLIT_HOOK_LOCKDEP;
struct mmlit_process mmlit_proc;
int nr_cpu_ids;

pthread_mutex_t tasks_lock = PTHREAD_MUTEX_INITIALIZER;
LIST_HEAD(all_tasks);
static u64 cpu_slots[NR_CPUS / 64];
static int last_pid;
static pthread_key_t adopt_key;
static pthread_once_t adopt_once = PTHREAD_ONCE_INIT;

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

struct task_struct *task_alloc(const char *name)
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

void task_free(struct task_struct *t)
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

void blocked_on_get(struct task_struct *u, struct blocked_on *b)
{
	pthread_mutex_lock(&u->pi_lock);
	*b = u->blocked_on;
	pthread_mutex_unlock(&u->pi_lock);
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
void wake_to_abort(struct task_struct *p)
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

void *task_trampoline(void *p)
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
