/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/01-shim.nw (chapter 1); do not edit. */
/* task.h: tasks, current, signals, blocking and the scheduling point. */
#ifndef MMLIT_TASK_H
#define MMLIT_TASK_H

#include "kernel.h"
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <time.h>

struct lockdep_map;
struct lock_class;
struct mm_struct;
struct files_struct;
struct mem_cgroup;

#define TASK_RUNNING		0x0000
#define TASK_INTERRUPTIBLE	0x0001
#define TASK_UNINTERRUPTIBLE	0x0002
#define TASK_WAKEKILL		0x0100
#define TASK_KILLABLE		(TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)

#define PF_MEMALLOC		0x00000800	/* in reclaim: no recursion */
#define PF_MEMALLOC_NOFS	0x00040000	/* allocations drop __GFP_FS */
#define PF_MEMALLOC_NOIO	0x00080000	/* drop __GFP_IO|__GFP_FS */

#define MAX_LOCK_DEPTH		48
#define TASK_COMM_LEN		16

struct lock_site {
	const char *file;
	int line;
	const char *func;
};
#define THIS_SITE	((struct lock_site){ __FILE__, __LINE__, __func__ })

struct held_lock {
	struct lockdep_map *instance;	/* the lock itself */
	struct lock_class *class;
	int read;		/* 0: write, 1: read, 2: recursive read */
	bool trylock;
	bool acquired;		/* false while still waiting for it */
	struct lock_site site;	/* where it was taken */
};

enum block_kind {
	BLOCK_NONE,
	BLOCK_LOCK,		/* mutex, rw_semaphore, spinlock: see map */
	BLOCK_SRCU,		/* synchronize_srcu waiting for readers */
	BLOCK_WAITQ,		/* wait queue or completion: no owner */
	BLOCK_TASK,		/* task_join */
	BLOCK_OWNER,		/* an owned object, e.g. a folio lock */
};

struct blocked_on {
	enum block_kind kind;
	const void *obj;
	struct lockdep_map *map;	/* BLOCK_LOCK, BLOCK_SRCU */
	struct task_struct *owner;	/* BLOCK_OWNER, BLOCK_TASK */
	const char *what;
	int read;			/* wanted mode for BLOCK_LOCK */
	struct lock_site site;
	/* Fill @out with the tasks @self waits for; the detector calls it. */
	int (*waits_for)(const struct blocked_on *b, struct task_struct *self,
			 struct task_struct **out, int max);
};

/* Tasks holding @map (acquired, not waiting), for waits_for methods. */
int lock_holders(const struct lockdep_map *map, bool readers_only,
		 struct task_struct **out, int max);
struct task_struct {
	/* Read on fast paths: keep together. */
	int cpu;
	int preempt_count;
	int pagefault_disabled;
	unsigned int flags;			/* PF_* */
	unsigned long signal;			/* pending signals, bit sig-1 */

	int lockdep_depth;
	struct held_lock held_locks[MAX_LOCK_DEPTH];

	volatile long __state;
	struct blocked_on blocked_on;
	bool waiting;				/* inside a blocking wait */
	bool abort_pending;			/* detector chose us to abort */
	unsigned long block_seq;		/* counts blocking waits */
	unsigned long progress;			/* might_sleep()s and wakeups */
	long hung_base_ms;			/* this wait's last progress */
	unsigned long hung_seen;		/* progress seen then */

	int pid;
	char comm[TASK_COMM_LEN];
	struct mm_struct *mm;
	struct files_struct *files;
	struct mem_cgroup *memcg;

	/* The thread behind the task. */
	pthread_t thread;
	bool adopted;				/* not started by task_run */
	int (*threadfn)(void *data);
	void *data;
	int result;
	bool exited;
	bool stuck;				/* aborted by the detector */
	sigjmp_buf abort_env;
	bool abort_armed;
	pthread_mutex_t pi_lock;
	pthread_cond_t wake;
	struct list_head tasks;
	/* The detector's suspicion, confirmed if unchanged next period. */
	unsigned long suspect_sig;

	/* Deterministic scheduler. */
	bool det;
	bool det_preempted;		/* yielded at a scheduling point */
	int det_order;
	pthread_cond_t det_cond;
};

extern __thread struct task_struct *__current_task;
/* current->cpu, or -1 while the thread has no task: one load for fast paths. */
extern __thread int __this_cpu;
#define raw_smp_processor_id()	(__this_cpu)
/* The same slot in bytes, __this_cpu * SMP_CACHE_BYTES, or -1: for SRCU. */
extern __thread long __this_cpu_off;
struct task_struct *__task_adopt(void);

static inline struct task_struct *get_current(void)
{
	struct task_struct *t = __current_task;

	if (likely(t))
		return t;
	return __task_adopt();
}
#define current get_current()

/* The process all tasks belong to: set up by the memory part of the shim. */
struct mmlit_process {
	struct mm_struct *mm;
	struct files_struct *files;
	struct mem_cgroup *memcg;
};
extern struct mmlit_process mmlit_proc;

/* One more than the highest CPU slot handed out so far. */
extern int nr_cpu_ids;

/* Adopted threads that end should give their slot back. */
void task_release_current(void);

#undef sigmask
#define sigmask(sig)	(1UL << ((sig) - 1))

void send_sig(int sig, struct task_struct *p);
void flush_signals(struct task_struct *p);

static inline bool signal_pending(struct task_struct *p)
{
	return READ_ONCE(p->signal) != 0;
}

static inline bool fatal_signal_pending(struct task_struct *p)
{
	return READ_ONCE(p->signal) & sigmask(SIGKILL);
}

static inline bool signal_pending_state(long state, struct task_struct *p)
{
	if (!(state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL)))
		return false;
	if (!signal_pending(p))
		return false;
	return (state & TASK_INTERRUPTIBLE) || fatal_signal_pending(p);
}

static inline void pagefault_disable(void)
{
	current->pagefault_disabled++;
	barrier();
}

static inline void pagefault_enable(void)
{
	barrier();
	current->pagefault_disabled--;
}

static inline bool pagefault_disabled(void)
{
	return current->pagefault_disabled != 0;
}

static inline unsigned int __memalloc_save(unsigned int flag)
{
	unsigned int old = current->flags & flag;

	current->flags |= flag;
	return old;
}

static inline void __memalloc_restore(unsigned int flag, unsigned int old)
{
	current->flags = (current->flags & ~flag) | old;
}

#define memalloc_nofs_save()	__memalloc_save(PF_MEMALLOC_NOFS)
#define memalloc_nofs_restore(f) __memalloc_restore(PF_MEMALLOC_NOFS, f)
#define memalloc_noio_save()	__memalloc_save(PF_MEMALLOC_NOIO)
#define memalloc_noio_restore(f) __memalloc_restore(PF_MEMALLOC_NOIO, f)
#define memalloc_noreclaim_save() __memalloc_save(PF_MEMALLOC)
#define memalloc_noreclaim_restore(f) __memalloc_restore(PF_MEMALLOC, f)

void __might_sleep(const char *file, int line, const char *func);
#define might_sleep()	__might_sleep(__FILE__, __LINE__, __func__)
#define preempt_disable()	(current->preempt_count++)
#define preempt_enable()	(current->preempt_count--)
#define in_atomic()	(current->preempt_count != 0)

static inline void __set_current_state(long state)
{
	WRITE_ONCE(current->__state, state);
}

static inline void set_current_state(long state)
{
	WRITE_ONCE(current->__state, state);
	smp_mb();
}

void set_blocked_on(const struct blocked_on *b);
void clear_blocked_on(void);
/* The hung-task timeout: a wait without progress this long (ms; 0: none). */
void sched_set_hung_timeout(long ms);
void schedule(void);
int wake_up_process(struct task_struct *p);
/*
 * For primitives that poll instead of sleeping (spin locks, grace periods):
 * begin with the blocked_on description, call sched_poll_check() every few
 * milliseconds of waiting (it runs the detector), and end.
 */
void sched_poll_begin(const struct blocked_on *b);
void sched_poll_check(long waited_ms);
void sched_poll_end(void);

/* Monotonic milliseconds, for polling waits. Modeled code never reads it. */
static inline long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}
int wake_up_state(struct task_struct *p, unsigned int state);

/*
 * task_run - start @fn(@data) in a new task named @name.
 * The task shares current's mm, files and memcg. Never fails: a failure to
 * create the thread is a BUG.
 */
struct task_struct *task_run(int (*fn)(void *data), void *data,
			     const char *name);
/*
 * task_join - wait for @t to end; return what its function returned, or
 * -EDEADLK when the deadlock detector aborted it. A task that was aborted
 * stays behind as a stuck task that still holds its locks.
 */
int task_join(struct task_struct *t);
/* task_call - run @fn(@data) in a new task and join it. */
int task_call(int (*fn)(void *data), void *data, const char *name);
/* Number of tasks left stuck by the deadlock detector. */
int tasks_stuck(void);
/* Forget the stuck tasks, with the locks they hold (a fresh process). */
void tasks_reap_stuck(void);
/*
 * Join every task started by task_run() that nobody joined and the detector
 * did not abort; returns how many. The test fixture's: what such a task
 * reports after the test's body ends is filed before the test is judged.
 */
int tasks_join_left(void);

enum sched_point_kind {
	SP_LOCK,		/* about to take a lock */
	SP_LOCKED,		/* took it */
	SP_TRY,			/* a trylock, or a look at a lock's state */
	SP_ALLOC,		/* an allocation that may sleep */
	SP_UNLOCK,
	SP_SRCU_LOCK,
	SP_SRCU_UNLOCK,
	SP_GP,			/* a grace-period step */
	SP_SLEEP,
	SP_WAKE,
	SP_YIELD,		/* cond_resched() */
	SP_MARK,		/* a point modeled code asks for */
	SP_TASK,		/* task start and exit */
	NR_SCHED_POINTS
};

extern int mmlit_hooks;
#define MMLIT_HOOK_LOCKDEP	0x1
#define MMLIT_HOOK_TRACE	0x2
#define MMLIT_HOOK_SCHED	0x4
#define MMLIT_HOOK_DET		0x8
#define MMLIT_HOOK_FENCE	0x10	/* no membarrier(2): readers fence */

typedef void (*sched_hook_t)(enum sched_point_kind kind, const void *obj);
void sched_set_hook(sched_hook_t hook);
void __sched_point(enum sched_point_kind kind, const void *obj);

static inline void sched_point(enum sched_point_kind kind, const void *obj)
{
	if (unlikely(mmlit_hooks & (MMLIT_HOOK_SCHED | MMLIT_HOOK_DET)))
		__sched_point(kind, obj);
}

static inline void cond_resched(void)
{
	sched_point(SP_YIELD, NULL);
}

const char *sched_point_name(enum sched_point_kind kind);

struct sched_stats {
	long runs;		/* schedules run */
	long choice_points;	/* in the last run */
	long deadlocks;		/* runs that ended in a detected deadlock */
	long pruned;		/* choices the preemption bound took away */
	bool capped;		/* stopped by max_runs or the choice cap */
	bool complete;		/* every schedule within the bound was run */
};

/*
 * sched_run_seeded - run @fn(@data) as the root task of one deterministic
 * run whose choices come from @seed. Returns what @fn returned, or -EDEADLK.
 */
int sched_run_seeded(int (*fn)(void *data), void *data, u64 seed,
		     struct sched_stats *stats);
/*
 * sched_explore - run @fn(@data) once for every schedule with at most
 * @max_preemptions preemptions, stopping after @max_runs runs. @fn must
 * rebuild its state each run. Returns 0, or the first non-zero value @fn
 * returned (the explorer stops there; @stats tells which run).
 * @stats->complete: every schedule within the bound was run; never set when
 * max_runs or the per-run choice cap cut the search short (@stats->capped).
 */
int __sched_explore(int (*fn)(void *data), const char *name, void *data,
		    int max_preemptions, long max_runs,
		    struct sched_stats *stats);
#define sched_explore(fn, data, max_preemptions, max_runs, stats)	\
	__sched_explore((fn), #fn, (data), (max_preemptions), (max_runs), \
			(stats))
/* The choices of the last run, for a failure message. */
const char *sched_last_schedule(void);
/* Make the tasks of the run that sleep on @obj runnable (spin locks, SRCU). */
void det_wake_blocked_on(const void *obj);

#endif /* MMLIT_TASK_H */
