/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/01-shim.nw (chapter 1); do not edit. */
/* locks.h: spin locks, mutexes, rw semaphores, wait queues, completions. */
#ifndef MMLIT_LOCKS_H
#define MMLIT_LOCKS_H

#include "lockdep.h"

typedef struct {
	int locked;
} arch_spinlock_t;

#define __ARCH_SPIN_LOCK_UNLOCKED	{ 0 }

static inline void arch_spin_lock(arch_spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(l->locked))
			cpu_relax();
}

static inline void arch_spin_unlock(arch_spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

/* A waiter queued on a sleeping lock; lives on the waiter's stack. */
struct lock_waiter {
	struct list_head list;
	struct task_struct *task;
	int read;
};

typedef struct spinlock {
	int locked;
	struct task_struct *owner;
	struct lockdep_map dep_map;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name) \
	{ .locked = 0, .owner = NULL,					\
	  .dep_map = STATIC_LOCKDEP_MAP_INIT(#name, NULL) }
#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED(x)

void __spin_lock_init(spinlock_t *lock, const char *name,
		      struct lock_class_key *key);
#define spin_lock_init(lock) do {					\
	static struct lock_class_key __key;				\
	__spin_lock_init((lock), #lock, &__key);			\
} while (0)

void __spin_lock_hooks(spinlock_t *lock, unsigned int subclass,
		       struct lock_site site);
void __spin_lock_slow(spinlock_t *lock, struct lock_site site);
void __spin_unlock_hooks(spinlock_t *lock, struct lock_site site);
void __spin_unlock_wake(spinlock_t *lock);

static inline void __spin_lock(spinlock_t *lock, unsigned int subclass,
			       struct lock_site site)
{
	current->preempt_count++;
	if (unlikely(mmlit_hooks))
		__spin_lock_hooks(lock, subclass, site);
	if (unlikely(__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE)))
		__spin_lock_slow(lock, site);
	WRITE_ONCE(lock->owner, current);
	sched_point(SP_LOCKED, lock);
}

static inline bool __spin_trylock(spinlock_t *lock, struct lock_site site)
{
	sched_point(SP_TRY, lock);
	if (READ_ONCE(lock->locked) ||
	    __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		return false;
	current->preempt_count++;
	WRITE_ONCE(lock->owner, current);
	if (unlikely(mmlit_hooks & MMLIT_HOOK_LOCKDEP))
		lock_acquire(&lock->dep_map, 0, 1, 0, site);
	sched_point(SP_LOCKED, lock);
	return true;
}

static inline void __spin_unlock(spinlock_t *lock, struct lock_site site)
{
	if (unlikely(mmlit_hooks))
		__spin_unlock_hooks(lock, site);
	WRITE_ONCE(lock->owner, NULL);
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
	current->preempt_count--;
	if (unlikely(mmlit_hooks & MMLIT_HOOK_DET))
		__spin_unlock_wake(lock);
}

#define spin_lock(l)		__spin_lock((l), 0, THIS_SITE)
#define spin_lock_nested(l, s)	__spin_lock((l), (s), THIS_SITE)
#define spin_trylock(l)		__spin_trylock((l), THIS_SITE)
#define spin_unlock(l)		__spin_unlock((l), THIS_SITE)
#define spin_lock_irq(l)	spin_lock(l)	/* no interrupts in the shim */
#define spin_unlock_irq(l)	spin_unlock(l)
#define spin_is_locked(l)	\
	({ sched_point(SP_TRY, (l)); READ_ONCE((l)->locked) != 0; })
#define assert_spin_locked(l)	((void)WARN_ON(!READ_ONCE((l)->locked)))

struct mutex {
	arch_spinlock_t wait_lock;
	struct task_struct *owner;
	struct list_head wait_list;
	struct lockdep_map dep_map;
};

#define __MUTEX_INITIALIZER(name) {					\
	.wait_lock = __ARCH_SPIN_LOCK_UNLOCKED, .owner = NULL,		\
	.wait_list = LIST_HEAD_INIT((name).wait_list),			\
	.dep_map = STATIC_LOCKDEP_MAP_INIT(#name, NULL) }
#define DEFINE_MUTEX(name)	struct mutex name = __MUTEX_INITIALIZER(name)

void __mutex_init(struct mutex *lock, const char *name,
		  struct lock_class_key *key);
#define mutex_init(m) do {						\
	static struct lock_class_key __key;				\
	__mutex_init((m), #m, &__key);					\
} while (0)

int __mutex_lock(struct mutex *lock, unsigned int subclass, long state,
		 struct lock_site site);
bool __mutex_trylock(struct mutex *lock, struct lock_site site);
void __mutex_unlock(struct mutex *lock, struct lock_site site);

#define mutex_lock(m)	\
	((void)__mutex_lock((m), 0, TASK_UNINTERRUPTIBLE, THIS_SITE))
#define mutex_lock_nested(m, s) \
	((void)__mutex_lock((m), (s), TASK_UNINTERRUPTIBLE, THIS_SITE))
#define mutex_lock_killable(m)	__mutex_lock((m), 0, TASK_KILLABLE, THIS_SITE)
#define mutex_lock_interruptible(m) \
	__mutex_lock((m), 0, TASK_INTERRUPTIBLE, THIS_SITE)
#define mutex_trylock(m)	__mutex_trylock((m), THIS_SITE)
#define mutex_unlock(m)		__mutex_unlock((m), THIS_SITE)
#define mutex_is_locked(m)	\
	({ sched_point(SP_TRY, (m)); READ_ONCE((m)->owner) != NULL; })
struct rw_semaphore {
	arch_spinlock_t wait_lock;
	long count;			/* readers, or -1: a writer */
	struct task_struct *owner;	/* the writer */
	struct list_head wait_list;
	struct lockdep_map dep_map;
};

#define __RWSEM_INITIALIZER(name) {					\
	.wait_lock = __ARCH_SPIN_LOCK_UNLOCKED, .count = 0, .owner = NULL, \
	.wait_list = LIST_HEAD_INIT((name).wait_list),			\
	.dep_map = STATIC_LOCKDEP_MAP_INIT(#name, NULL) }
#define DECLARE_RWSEM(name)	\
	struct rw_semaphore name = __RWSEM_INITIALIZER(name)

void __init_rwsem(struct rw_semaphore *sem, const char *name,
		  struct lock_class_key *key);
#define init_rwsem(sem) do {						\
	static struct lock_class_key __key;				\
	__init_rwsem((sem), #sem, &__key);				\
} while (0)

int __down(struct rw_semaphore *sem, int read, unsigned int subclass,
	   long state, struct lock_site site);
bool __down_trylock(struct rw_semaphore *sem, int read, struct lock_site site);
void __up(struct rw_semaphore *sem, int read, struct lock_site site);
void __downgrade_write(struct rw_semaphore *sem, struct lock_site site);

#define down_read(s)	\
	((void)__down((s), 1, 0, TASK_UNINTERRUPTIBLE, THIS_SITE))
#define down_read_nested(s, sub) \
	((void)__down((s), 1, (sub), TASK_UNINTERRUPTIBLE, THIS_SITE))
#define down_read_killable(s)	__down((s), 1, 0, TASK_KILLABLE, THIS_SITE)
#define down_read_interruptible(s) \
	__down((s), 1, 0, TASK_INTERRUPTIBLE, THIS_SITE)
#define down_read_trylock(s)	__down_trylock((s), 1, THIS_SITE)
#define up_read(s)		__up((s), 1, THIS_SITE)
#define down_write(s)	\
	((void)__down((s), 0, 0, TASK_UNINTERRUPTIBLE, THIS_SITE))
#define down_write_nested(s, sub) \
	((void)__down((s), 0, (sub), TASK_UNINTERRUPTIBLE, THIS_SITE))
#define down_write_killable(s)	__down((s), 0, 0, TASK_KILLABLE, THIS_SITE)
#define down_write_trylock(s)	__down_trylock((s), 0, THIS_SITE)
#define up_write(s)		__up((s), 0, THIS_SITE)
#define downgrade_write(s)	__downgrade_write((s), THIS_SITE)
#define rwsem_is_locked(s)	\
	({ sched_point(SP_TRY, (s)); READ_ONCE((s)->count) != 0; })
struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry,
				 unsigned int mode, int flags, void *key);

struct wait_queue_entry {
	unsigned int flags;
	void *private;			/* the task */
	wait_queue_func_t func;
	struct list_head entry;
};
typedef struct wait_queue_entry wait_queue_entry_t;

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;

#define WQ_FLAG_EXCLUSIVE	0x01
#define TASK_NORMAL		(TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			  int flags, void *key);
int autoremove_wake_function(struct wait_queue_entry *wq_entry,
			     unsigned int mode, int flags, void *key);
#define __WAIT_QUEUE_HEAD_INITIALIZER(name) {				\
	.lock = __SPIN_LOCK_UNLOCKED(name.lock),			\
	.head = LIST_HEAD_INIT((name).head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)
void __init_waitqueue_head(struct wait_queue_head *wq, const char *name,
			   struct lock_class_key *key);
#define init_waitqueue_head(wq) do {					\
	static struct lock_class_key __key;				\
	__init_waitqueue_head((wq), #wq, &__key);			\
} while (0)
#define DECLARE_WAIT_QUEUE_HEAD_ONSTACK(name)				\
	struct wait_queue_head name;					\
	init_waitqueue_head(&name)

#define DEFINE_WAIT_FUNC(name, function)				\
	struct wait_queue_entry name = {				\
		.private = current, .func = function,			\
		.entry = LIST_HEAD_INIT((name).entry) }
#define DEFINE_WAIT(name)	DEFINE_WAIT_FUNC(name, autoremove_wake_function)

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *wait,
		     int state);
void prepare_to_wait_exclusive(struct wait_queue_head *wq,
			       struct wait_queue_entry *wait, int state);
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *wait);
void __wake_up(struct wait_queue_head *wq, unsigned int mode, int nr,
	       void *key);
#define wake_up(wq)		__wake_up((wq), TASK_NORMAL, 1, NULL)
#define wake_up_all(wq)		__wake_up((wq), TASK_NORMAL, 0, NULL)
#define wake_up_interruptible(wq) __wake_up((wq), TASK_INTERRUPTIBLE, 1, NULL)

static inline bool waitqueue_active(struct wait_queue_head *wq)
{
	return !list_empty(&wq->head);
}

/* Abort the current task if the deadlock detector asked for it. */
void task_abort_if_pending(void);

#define ___wait_event(wq, condition, state, ret) ({			\
	long __ret = 0;							\
	DEFINE_WAIT(__wait);						\
	for (;;) {							\
		prepare_to_wait(&(wq), &__wait, state);			\
		if (condition)						\
			break;						\
		if (signal_pending_state(state, current)) {		\
			__ret = (ret);					\
			break;						\
		}							\
		schedule();						\
		if (unlikely(current->abort_pending)) {			\
			finish_wait(&(wq), &__wait);			\
			task_abort_if_pending();			\
		}							\
	}								\
	finish_wait(&(wq), &__wait);					\
	__ret; })

#define wait_event(wq, condition) do {					\
	might_sleep();							\
	if (!(condition))						\
		(void)___wait_event(wq, condition, TASK_UNINTERRUPTIBLE, 0); \
} while (0)
#define wait_event_killable(wq, condition) ({				\
	might_sleep();							\
	(condition) ? 0 :						\
	___wait_event(wq, condition, TASK_KILLABLE, -ERESTARTSYS); })
#define wait_event_interruptible(wq, condition) ({			\
	might_sleep();							\
	(condition) ? 0 :						\
	___wait_event(wq, condition, TASK_INTERRUPTIBLE, -ERESTARTSYS); })
struct completion {
	unsigned int done;
	struct wait_queue_head wait;
};

#define init_completion(x) do {						\
	(x)->done = 0;							\
	init_waitqueue_head(&(x)->wait);				\
} while (0)
#define reinit_completion(x)	((x)->done = 0)
void complete(struct completion *x);
void complete_all(struct completion *x);
void wait_for_completion(struct completion *x);
int wait_for_completion_killable(struct completion *x);
bool completion_done(struct completion *x);

#define lock_map_acquire(m)	lock_acquire((m), 0, 0, 0, THIS_SITE)
#define lock_map_acquire_read(m) lock_acquire((m), 0, 0, 2, THIS_SITE)
#define lock_map_release(m)	lock_release((m), THIS_SITE)
#define might_lock(l) do {						\
	lock_acquire(&(l)->dep_map, 0, 0, 0, THIS_SITE);		\
	lock_release(&(l)->dep_map, THIS_SITE);				\
} while (0)
#define might_lock_read(l) do {						\
	lock_acquire(&(l)->dep_map, 0, 0, 1, THIS_SITE);		\
	lock_release(&(l)->dep_map, THIS_SITE);				\
} while (0)

#endif /* MMLIT_LOCKS_H */
