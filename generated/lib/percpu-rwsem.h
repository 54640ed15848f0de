/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/04-srcu-freeze.nw (chapter 4); do not edit. */
/* percpu-rwsem.h: per-CPU reader/writer semaphores, after the kernel's. */
#ifndef MMLIT_PERCPU_RWSEM_H
#define MMLIT_PERCPU_RWSEM_H

#include "locks.h"

enum { GP_IDLE = 0, GP_ENTER, GP_PASSED };

struct rcu_sync {
	int gp_state;
	int gp_count;			/* writers inside; under gp_wait.lock */
	wait_queue_head_t gp_wait;
};

static inline bool rcu_sync_is_idle(const struct rcu_sync *rsp)
{
	return !READ_ONCE(rsp->gp_state);
}

void rcu_sync_enter(struct rcu_sync *rsp);
void rcu_sync_exit(struct rcu_sync *rsp);

struct percpu_rw_count {
	unsigned long count;
} __cacheline_aligned;

struct percpu_rw_semaphore {
	struct percpu_rw_count *read_count;	/* NR_CPUS slots */
	struct rcu_sync rss;
	struct lockdep_map dep_map;
	bool allocated;
	/* Written by writers and by readers on the slow path. */
	atomic_t block __cacheline_aligned;
	wait_queue_head_t writer;		/* the kernel's rcuwait */
	wait_queue_head_t waiters;
};

#define __PERCPU_RWSEM_INIT(name, slots) {				\
	.read_count = (slots),						\
	.rss = { .gp_state = GP_IDLE, .gp_count = 0,			\
		 .gp_wait = __WAIT_QUEUE_HEAD_INITIALIZER(name.rss.gp_wait) }, \
	.dep_map = STATIC_LOCKDEP_MAP_INIT(#name, NULL),		\
	.block = ATOMIC_INIT(0),					\
	.writer = __WAIT_QUEUE_HEAD_INITIALIZER(name.writer),		\
	.waiters = __WAIT_QUEUE_HEAD_INITIALIZER(name.waiters) }

#define DEFINE_STATIC_PERCPU_RWSEM(name)				\
	static struct percpu_rw_count name##_read_count[NR_CPUS];	\
	static struct percpu_rw_semaphore name =			\
		__PERCPU_RWSEM_INIT(name, name##_read_count)
#define DEFINE_PERCPU_RWSEM(name)					\
	static struct percpu_rw_count name##_read_count[NR_CPUS];	\
	struct percpu_rw_semaphore name =				\
		__PERCPU_RWSEM_INIT(name, name##_read_count)
bool __percpu_down_read(struct percpu_rw_semaphore *sem, bool try);
void __percpu_up_read(struct percpu_rw_semaphore *sem);
bool __percpu_down_read_hooks(struct percpu_rw_semaphore *sem, bool try,
			      struct lock_site site) __attribute__((cold));
void __percpu_up_read_hooks(struct percpu_rw_semaphore *sem,
			    struct lock_site site) __attribute__((cold));

static inline int percpu_rw_slot(void)
{
	int cpu = raw_smp_processor_id();

	return likely(cpu >= 0) ? cpu : current->cpu;	/* adopts the thread */
}

static inline bool __percpu_down_read_fast(struct percpu_rw_semaphore *sem,
					   bool try)
{
	struct percpu_rw_count *rc = &sem->read_count[percpu_rw_slot()];

	WRITE_ONCE(rc->count, rc->count + 1);
	barrier();	/* the writer's membarrier() stands in for smp_mb() */
	if (likely(rcu_sync_is_idle(&sem->rss)))
		return true;
	return __percpu_down_read(sem, try);
}

static inline void __percpu_up_read_fast(struct percpu_rw_semaphore *sem)
{
	struct percpu_rw_count *rc = &sem->read_count[raw_smp_processor_id()];

	smp_store_release(&rc->count, rc->count - 1);
	if (unlikely(!rcu_sync_is_idle(&sem->rss)))
		__percpu_up_read(sem);
}

/* The site is built only on the slow branch: see section "The bar". */
#define percpu_down_read_trylock(sem)					\
	(likely(!mmlit_hooks) ? __percpu_down_read_fast((sem), true) :	\
	 __percpu_down_read_hooks((sem), true, THIS_SITE))
#define percpu_down_read(sem)						\
	((void)(likely(!mmlit_hooks) ? __percpu_down_read_fast((sem), false) : \
		__percpu_down_read_hooks((sem), false, THIS_SITE)))
#define percpu_up_read(sem)						\
	(likely(!mmlit_hooks) ? __percpu_up_read_fast(sem) :		\
	 __percpu_up_read_hooks((sem), THIS_SITE))
void __percpu_down_write(struct percpu_rw_semaphore *sem,
			 struct lock_site site);
void __percpu_up_write(struct percpu_rw_semaphore *sem, struct lock_site site);
#define percpu_down_write(sem)	__percpu_down_write((sem), THIS_SITE)
#define percpu_up_write(sem)	__percpu_up_write((sem), THIS_SITE)

int __percpu_init_rwsem(struct percpu_rw_semaphore *sem, const char *name,
			struct lock_class_key *key);
#define percpu_init_rwsem(sem) ({					\
	static struct lock_class_key __key;				\
	__percpu_init_rwsem((sem), #sem, &__key); })
void percpu_free_rwsem(struct percpu_rw_semaphore *sem);

/* Readers inside right now (sum of the slots); for tests. */
long percpu_rwsem_readers(const struct percpu_rw_semaphore *sem);
#define percpu_rwsem_assert_held(sem)	lockdep_assert_held(sem)
/* membarrier(2) calls made by writers. */
long percpu_rwsem_membarrier_calls(void);

#endif /* MMLIT_PERCPU_RWSEM_H */
