/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/82-locks.nw (appendix B); do not edit. */
#include "locks.h"
#include <sched.h>
#include <time.h>

void __spin_lock_init(spinlock_t *lock, const char *name,
		      struct lock_class_key *key)
{
	lock->locked = 0;
	lock->owner = NULL;
	lockdep_init_map(&lock->dep_map, name, key);
}

void __spin_lock_hooks(spinlock_t *lock, unsigned int subclass,
		       struct lock_site site)
{
	lock_acquire(&lock->dep_map, subclass, 0, 0, site);
	sched_point(SP_LOCK, lock);
}

void __spin_unlock_hooks(spinlock_t *lock, struct lock_site site)
{
	lock_release(&lock->dep_map, site);
	sched_point(SP_UNLOCK, lock);
}

void __spin_unlock_wake(spinlock_t *lock)
{
	det_wake_blocked_on(lock);
}

static int spin_waits_for(const struct blocked_on *b, struct task_struct *self,
			  struct task_struct **out, int max)
{
	const spinlock_t *lock = b->obj;
	struct task_struct *owner = READ_ONCE(lock->owner);

	if (!owner)
		return 0;
	out[0] = owner;
	return 1;
}

void __spin_lock_slow(spinlock_t *lock, struct lock_site site)
{
	struct task_struct *t = current;
	struct blocked_on b = {
		.kind = BLOCK_LOCK, .obj = lock, .map = &lock->dep_map,
		.what = lock->dep_map.name, .read = 0, .site = site,
		.waits_for = spin_waits_for,
	};
	long start = 0, last = 0, spins = 0;

	lock_contended(&lock->dep_map);
	if ((mmlit_hooks & MMLIT_HOOK_DET) && t->det) {
		set_blocked_on(&b);
		while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE)) {
			set_current_state(TASK_UNINTERRUPTIBLE);
			if (READ_ONCE(lock->locked))
				schedule();
			__set_current_state(TASK_RUNNING);
			if (t->abort_pending)
				goto abort;
		}
		clear_blocked_on();
		lock_acquired(&lock->dep_map);
		return;
	}
	for (;;) {
		if (!READ_ONCE(lock->locked) &&
		    !__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
			break;
		cpu_relax();
		if (++spins % 1024)
			continue;
		sched_yield();
		if (!start) {
			start = last = now_ms();
			sched_poll_begin(&b);
		} else if (now_ms() - last >= 10) {
			last = now_ms();
			sched_poll_check(last - start);
			if (t->abort_pending)
				goto abort;
		}
	}
	if (start)
		sched_poll_end();
	lock_acquired(&lock->dep_map);
	return;
abort:
	if (start)
		sched_poll_end();
	clear_blocked_on();
	lock_release(&lock->dep_map, site);
	t->preempt_count--;
	task_abort_if_pending();
}

void __mutex_init(struct mutex *lock, const char *name,
		  struct lock_class_key *key)
{
	lock->wait_lock = (arch_spinlock_t)__ARCH_SPIN_LOCK_UNLOCKED;
	lock->owner = NULL;
	INIT_LIST_HEAD(&lock->wait_list);
	lockdep_init_map(&lock->dep_map, name, key);
}

static int mutex_waits_for(const struct blocked_on *b, struct task_struct *self,
			   struct task_struct **out, int max)
{
	const struct mutex *lock = b->obj;
	struct task_struct *owner = READ_ONCE(lock->owner);

	if (!owner)
		return 0;
	out[0] = owner;
	return 1;
}

int __mutex_lock(struct mutex *lock, unsigned int subclass, long state,
		 struct lock_site site)
{
	struct task_struct *t = current;
	struct lock_waiter w = { .task = t, .read = 0 };
	struct blocked_on b = {
		.kind = BLOCK_LOCK, .obj = lock, .map = &lock->dep_map,
		.what = lock->dep_map.name, .read = 0, .site = site,
		.waits_for = mutex_waits_for,
	};
	int ret = 0;

	might_sleep();
	lock_acquire(&lock->dep_map, subclass, 0, 0, site);
	sched_point(SP_LOCK, lock);
	arch_spin_lock(&lock->wait_lock);
	if (!lock->owner) {
		WRITE_ONCE(lock->owner, t);
		arch_spin_unlock(&lock->wait_lock);
		sched_point(SP_LOCKED, lock);
		return 0;
	}
	list_add_tail(&w.list, &lock->wait_list);
	lock_contended(&lock->dep_map);
	set_blocked_on(&b);
	for (;;) {
		if (!lock->owner) {
			WRITE_ONCE(lock->owner, t);
			break;
		}
		if (signal_pending_state(state, t)) {
			ret = -EINTR;
			break;
		}
		set_current_state(state);
		arch_spin_unlock(&lock->wait_lock);
		schedule();
		arch_spin_lock(&lock->wait_lock);
		if (t->abort_pending)
			break;
	}
	list_del(&w.list);
	__set_current_state(TASK_RUNNING);
	clear_blocked_on();
	arch_spin_unlock(&lock->wait_lock);
	if (ret || t->abort_pending) {
		lock_release(&lock->dep_map, site);
		task_abort_if_pending();
		return ret;
	}
	lock_acquired(&lock->dep_map);
	sched_point(SP_LOCKED, lock);
	return 0;
}

bool __mutex_trylock(struct mutex *lock, struct lock_site site)
{
	bool ok;

	sched_point(SP_TRY, lock);
	arch_spin_lock(&lock->wait_lock);
	ok = !lock->owner;
	if (ok)
		WRITE_ONCE(lock->owner, current);
	arch_spin_unlock(&lock->wait_lock);
	if (ok) {
		lock_acquire(&lock->dep_map, 0, 1, 0, site);
		sched_point(SP_LOCKED, lock);
	}
	return ok;
}

void __mutex_unlock(struct mutex *lock, struct lock_site site)
{
	struct lock_waiter *w;

	WARN(READ_ONCE(lock->owner) != current,
	     "mutex %s unlocked by a task that does not own it",
	     lock->dep_map.name);
	lock_release(&lock->dep_map, site);
	arch_spin_lock(&lock->wait_lock);
	WRITE_ONCE(lock->owner, NULL);
	list_for_each_entry(w, &lock->wait_list, list)
		wake_up_process(w->task);
	arch_spin_unlock(&lock->wait_lock);
	sched_point(SP_UNLOCK, lock);
}

/* @count and @owner: the lock's state before the release. */
static void rwsem_check_release(struct rw_semaphore *sem, int read,
				long count, struct task_struct *owner,
				struct lock_site site)
{
	bool is_rwsem_reader_owned = count > 0;
	bool is_writer = count < 0 && owner == current;

	if (read)
		WARN(!is_rwsem_reader_owned,
		     "DEBUG_RWSEMS: up_read of %s, %s, at %s:%d",
		     sem->dep_map.name, count ? "held for write" : "not held",
		     site.file, site.line);
	else
		WARN(!is_writer, "DEBUG_RWSEMS: up_write of %s, %s, at %s:%d",
		     sem->dep_map.name, count > 0 ? "held for read" :
		     count == 0 ? "not held" : "held by another task",
		     site.file, site.line);
}

void __init_rwsem(struct rw_semaphore *sem, const char *name,
		  struct lock_class_key *key)
{
	sem->wait_lock = (arch_spinlock_t)__ARCH_SPIN_LOCK_UNLOCKED;
	sem->count = 0;
	sem->owner = NULL;
	INIT_LIST_HEAD(&sem->wait_list);
	lockdep_init_map(&sem->dep_map, name, key);
}

static bool rwsem_mode_fits(struct rw_semaphore *sem, int read)
{
	return read ? sem->count >= 0 : sem->count == 0;
}

/* Called with wait_lock held; @w is queued. */
static bool rwsem_can_take(struct rw_semaphore *sem, struct lock_waiter *w)
{
	struct lock_waiter *x;

	if (!rwsem_mode_fits(sem, w->read))
		return false;
	list_for_each_entry(x, &sem->wait_list, list) {
		if (x == w)
			break;
		if (!w->read || !x->read)
			return false;
	}
	return true;
}

static void rwsem_take(struct rw_semaphore *sem, int read)
{
	if (read) {
		sem->count++;
	} else {
		sem->count = -1;
		WRITE_ONCE(sem->owner, current);
	}
}

static void rwsem_wake_all(struct rw_semaphore *sem)
{
	struct lock_waiter *w;

	list_for_each_entry(w, &sem->wait_list, list)
		wake_up_process(w->task);
}

static int rwsem_waits_for(const struct blocked_on *b, struct task_struct *self,
			   struct task_struct **out, int max)
{
	struct rw_semaphore *sem = (struct rw_semaphore *)b->obj;
	struct lock_waiter *x;
	long count;
	int n = 0;

	arch_spin_lock(&sem->wait_lock);
	if (sem->count < 0 && sem->owner)
		out[n++] = sem->owner;
	list_for_each_entry(x, &sem->wait_list, list) {
		if (x->task == self)
			break;
		if ((!b->read || !x->read) && n < max)
			out[n++] = x->task;
	}
	count = sem->count;
	arch_spin_unlock(&sem->wait_lock);
	if (!b->read && count > 0)
		n += lock_holders(&sem->dep_map, true, out + n, max - n);
	return n;
}

int __down(struct rw_semaphore *sem, int read, unsigned int subclass,
	   long state, struct lock_site site)
{
	struct task_struct *t = current;
	struct lock_waiter w = { .task = t, .read = read };
	struct blocked_on b = {
		.kind = BLOCK_LOCK, .obj = sem, .map = &sem->dep_map,
		.what = sem->dep_map.name, .read = read, .site = site,
		.waits_for = rwsem_waits_for,
	};
	int ret = 0;

	might_sleep();
	lock_acquire(&sem->dep_map, subclass, 0, read, site);
	sched_point(SP_LOCK, sem);
	arch_spin_lock(&sem->wait_lock);
	if (list_empty(&sem->wait_list) && rwsem_mode_fits(sem, read)) {
		rwsem_take(sem, read);
		arch_spin_unlock(&sem->wait_lock);
		sched_point(SP_LOCKED, sem);
		return 0;
	}
	list_add_tail(&w.list, &sem->wait_list);
	lock_contended(&sem->dep_map);
	set_blocked_on(&b);
	for (;;) {
		if (rwsem_can_take(sem, &w)) {
			rwsem_take(sem, read);
			break;
		}
		if (signal_pending_state(state, t)) {
			ret = -EINTR;
			break;
		}
		set_current_state(state);
		arch_spin_unlock(&sem->wait_lock);
		schedule();
		arch_spin_lock(&sem->wait_lock);
		if (t->abort_pending)
			break;
	}
	list_del(&w.list);
	if (ret || t->abort_pending)
		rwsem_wake_all(sem);	/* those behind us may go now */
	__set_current_state(TASK_RUNNING);
	clear_blocked_on();
	arch_spin_unlock(&sem->wait_lock);
	if (ret || t->abort_pending) {
		lock_release(&sem->dep_map, site);
		task_abort_if_pending();
		return ret;
	}
	lock_acquired(&sem->dep_map);
	sched_point(SP_LOCKED, sem);
	return 0;
}

bool __down_trylock(struct rw_semaphore *sem, int read, struct lock_site site)
{
	bool ok;

	sched_point(SP_TRY, sem);
	arch_spin_lock(&sem->wait_lock);
	ok = list_empty(&sem->wait_list) && rwsem_mode_fits(sem, read);
	if (ok)
		rwsem_take(sem, read);
	arch_spin_unlock(&sem->wait_lock);
	if (ok) {
		lock_acquire(&sem->dep_map, 0, 1, read, site);
		sched_point(SP_LOCKED, sem);
	}
	return ok;
}

void __up(struct rw_semaphore *sem, int read, struct lock_site site)
{
	struct task_struct *owner;
	long count;

	lock_release(&sem->dep_map, site);
	arch_spin_lock(&sem->wait_lock);
	count = sem->count;
	owner = sem->owner;
	if (count > 0) {
		sem->count--;
	} else if (count < 0) {
		sem->count = 0;
		WRITE_ONCE(sem->owner, NULL);
	}
	if (sem->count == 0)
		rwsem_wake_all(sem);
	arch_spin_unlock(&sem->wait_lock);
	rwsem_check_release(sem, read, count, owner, site);
	sched_point(SP_UNLOCK, sem);
}

void __downgrade_write(struct rw_semaphore *sem, struct lock_site site)
{
	struct task_struct *t = current;

	for (int i = t->lockdep_depth - 1; i >= 0; i--)
		if (t->held_locks[i].instance == &sem->dep_map) {
			t->held_locks[i].read = 1;
			break;
		}
	arch_spin_lock(&sem->wait_lock);
	WARN_ON(sem->count != -1 || sem->owner != t);
	sem->count = 1;
	WRITE_ONCE(sem->owner, NULL);
	rwsem_wake_all(sem);
	arch_spin_unlock(&sem->wait_lock);
	sched_point(SP_UNLOCK, sem);
}

void __init_waitqueue_head(struct wait_queue_head *wq, const char *name,
			   struct lock_class_key *key)
{
	__spin_lock_init(&wq->lock, name, key);
	INIT_LIST_HEAD(&wq->head);
}

int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			  int flags, void *key)
{
	return wake_up_state(wq_entry->private, mode);
}

int autoremove_wake_function(struct wait_queue_entry *wq_entry,
			     unsigned int mode, int flags, void *key)
{
	int ret = default_wake_function(wq_entry, mode, flags, key);

	if (ret)
		list_del_init(&wq_entry->entry);
	return ret;
}

static void __prepare_to_wait(struct wait_queue_head *wq,
			      struct wait_queue_entry *wait, int state,
			      bool exclusive)
{
	struct blocked_on b = {
		.kind = BLOCK_WAITQ, .obj = wq, .what = wq->lock.dep_map.name,
		.site = { __FILE__, __LINE__, "prepare_to_wait" },
	};

	spin_lock(&wq->lock);
	if (exclusive)
		wait->flags |= WQ_FLAG_EXCLUSIVE;
	else
		wait->flags &= ~WQ_FLAG_EXCLUSIVE;
	if (list_empty(&wait->entry)) {
		if (exclusive)
			list_add_tail(&wait->entry, &wq->head);
		else
			list_add(&wait->entry, &wq->head);
	}
	set_current_state(state);
	set_blocked_on(&b);
	spin_unlock(&wq->lock);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *wait,
		     int state)
{
	__prepare_to_wait(wq, wait, state, false);
}

void prepare_to_wait_exclusive(struct wait_queue_head *wq,
			       struct wait_queue_entry *wait, int state)
{
	__prepare_to_wait(wq, wait, state, true);
}

/*
 * Like the kernel's: when the entry is already off the queue (a wake
 * function removed it), the queue is not touched; it may be gone.
 */
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *wait)
{
	struct list_head *e = &wait->entry;

	__set_current_state(TASK_RUNNING);
	clear_blocked_on();
	if (!(READ_ONCE(e->next) == e && READ_ONCE(e->prev) == e)) {
		spin_lock(&wq->lock);
		list_del_init(e);
		spin_unlock(&wq->lock);
	}
}

void __wake_up(struct wait_queue_head *wq, unsigned int mode, int nr, void *key)
{
	struct wait_queue_entry *curr, *next;

	spin_lock(&wq->lock);
	list_for_each_entry_safe(curr, next, &wq->head, entry) {
		unsigned int flags = curr->flags;
		int ret = curr->func(curr, mode, 0, key);

		if (ret < 0)
			break;
		if (ret && (flags & WQ_FLAG_EXCLUSIVE) && !--nr)
			break;
	}
	spin_unlock(&wq->lock);
	sched_point(SP_WAKE, wq);
}

void complete(struct completion *x)
{
	spin_lock(&x->wait.lock);
	if (x->done != UINT_MAX)
		WRITE_ONCE(x->done, x->done + 1);
	spin_unlock(&x->wait.lock);
	wake_up(&x->wait);
}

void complete_all(struct completion *x)
{
	spin_lock(&x->wait.lock);
	x->done = UINT_MAX;
	spin_unlock(&x->wait.lock);
	wake_up_all(&x->wait);
}

static bool try_wait_for_completion(struct completion *x)
{
	bool ret = false;

	spin_lock(&x->wait.lock);
	if (x->done) {
		if (x->done != UINT_MAX)
			x->done--;
		ret = true;
	}
	spin_unlock(&x->wait.lock);
	return ret;
}

void wait_for_completion(struct completion *x)
{
	while (!try_wait_for_completion(x))
		wait_event(x->wait, READ_ONCE(x->done) != 0);
}

int wait_for_completion_killable(struct completion *x)
{
	while (!try_wait_for_completion(x))
		if (wait_event_killable(x->wait, READ_ONCE(x->done) != 0))
			return -ERESTARTSYS;
	return 0;
}

bool completion_done(struct completion *x)
{
	return READ_ONCE(x->done) != 0;
}
