/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/04-srcu-freeze.nw (chapter 4); do not edit. */
#include "percpu-rwsem.h"
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

static long pcpu_rwsem_membarriers;

__attribute__((constructor)) static void percpu_rwsem_membarrier_register(void)
{
	if (!getenv("MMLIT_NO_MEMBARRIER") &&
	    !syscall(__NR_membarrier,
		     MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0))
		return;
	__atomic_or_fetch(&mmlit_hooks, MMLIT_HOOK_FENCE, __ATOMIC_SEQ_CST);
}

/* What rcu_sync_enter()'s synchronize_rcu() is for the kernel's writer. */
static void percpu_rwsem_membarrier(void)
{
	if (mmlit_hooks & MMLIT_HOOK_FENCE) {
		smp_mb();	/* readers fence themselves */
		return;
	}
	syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
	__atomic_add_fetch(&pcpu_rwsem_membarriers, 1, __ATOMIC_RELAXED);
}

long percpu_rwsem_membarrier_calls(void)
{
	return __atomic_load_n(&pcpu_rwsem_membarriers, __ATOMIC_RELAXED);
}

void rcu_sync_enter(struct rcu_sync *rsp)
{
	bool first;

	spin_lock(&rsp->gp_wait.lock);
	first = rsp->gp_count++ == 0;
	if (first)
		WRITE_ONCE(rsp->gp_state, GP_ENTER);
	spin_unlock(&rsp->gp_wait.lock);
	if (!first) {
		wait_event(rsp->gp_wait, READ_ONCE(rsp->gp_state) == GP_PASSED);
		return;
	}
	percpu_rwsem_membarrier();
	spin_lock(&rsp->gp_wait.lock);
	WRITE_ONCE(rsp->gp_state, GP_PASSED);
	spin_unlock(&rsp->gp_wait.lock);
	wake_up_all(&rsp->gp_wait);
}

void rcu_sync_exit(struct rcu_sync *rsp)
{
	spin_lock(&rsp->gp_wait.lock);
	if (--rsp->gp_count == 0)
		WRITE_ONCE(rsp->gp_state, GP_IDLE);
	spin_unlock(&rsp->gp_wait.lock);
}

static struct percpu_rw_count *this_count(struct percpu_rw_semaphore *sem)
{
	return &sem->read_count[current->cpu];
}

bool __percpu_down_read(struct percpu_rw_semaphore *sem, bool try)
{
	struct percpu_rw_count *rc = this_count(sem);

	for (;;) {
		smp_mb();	/* A: pairs with the writer's xchg (D) */
		if (likely(!atomic_read(&sem->block)))
			return true;
		smp_store_release(&rc->count, rc->count - 1);
		wake_up(&sem->writer);
		if (try)
			return false;
		wait_event(sem->waiters, !atomic_read(&sem->block));
		WRITE_ONCE(rc->count, rc->count + 1);
	}
}

void __percpu_up_read(struct percpu_rw_semaphore *sem)
{
	smp_mb();	/* the decrement before waking (B) */
	wake_up(&sem->writer);
}

bool __percpu_down_read_hooks(struct percpu_rw_semaphore *sem, bool try,
			      struct lock_site site)
{
	struct percpu_rw_count *rc = this_count(sem);

	if (!try)
		might_sleep();
	lock_acquire(&sem->dep_map, 0, try, 1, site);
	sched_point(SP_LOCK, sem);
	WRITE_ONCE(rc->count, rc->count + 1);
	if (mmlit_hooks & MMLIT_HOOK_FENCE)
		smp_mb();
	sched_point(SP_MARK, sem);
	if ((!rcu_sync_is_idle(&sem->rss) ||
	     (mmlit_hooks & MMLIT_HOOK_FENCE)) &&
	    !__percpu_down_read(sem, try)) {
		lock_release(&sem->dep_map, site);
		return false;
	}
	lock_acquired(&sem->dep_map);
	return true;
}

void __percpu_up_read_hooks(struct percpu_rw_semaphore *sem,
			    struct lock_site site)
{
	struct percpu_rw_count *rc = this_count(sem);

	lock_release(&sem->dep_map, site);
	sched_point(SP_UNLOCK, sem);
	if (mmlit_hooks & MMLIT_HOOK_FENCE)
		smp_mb();
	smp_store_release(&rc->count, rc->count - 1);
	if (!rcu_sync_is_idle(&sem->rss) || (mmlit_hooks & MMLIT_HOOK_FENCE))
		__percpu_up_read(sem);
}

long percpu_rwsem_readers(const struct percpu_rw_semaphore *sem)
{
	unsigned long sum = 0;
	int n = READ_ONCE(nr_cpu_ids);

	for (int cpu = 0; cpu < n; cpu++)
		sum += smp_load_acquire(&sem->read_count[cpu].count);
	return (long)sum;
}

static bool readers_active_check(struct percpu_rw_semaphore *sem)
{
	if (percpu_rwsem_readers(sem))
		return false;
	smp_mb();	/* C: the readers' critical sections before ours */
	return true;
}

void __percpu_down_write(struct percpu_rw_semaphore *sem, struct lock_site site)
{
	might_sleep();
	lock_acquire(&sem->dep_map, 0, 0, 0, site);
	lock_contended(&sem->dep_map);		/* not a holder while waiting */
	rcu_sync_enter(&sem->rss);
	wait_event(sem->waiters, !atomic_xchg(&sem->block, 1));	/* D */
	wait_event(sem->writer, readers_active_check(sem));
	lock_acquired(&sem->dep_map);
}

void __percpu_up_write(struct percpu_rw_semaphore *sem, struct lock_site site)
{
	lock_release(&sem->dep_map, site);
	__atomic_store_n(&sem->block.counter, 0, __ATOMIC_RELEASE);
	wake_up_all(&sem->waiters);
	rcu_sync_exit(&sem->rss);
}

int __percpu_init_rwsem(struct percpu_rw_semaphore *sem, const char *name,
			struct lock_class_key *key)
{
	static struct lock_class_key gp_key, writer_key, waiters_key;
	size_t size = NR_CPUS * sizeof(struct percpu_rw_count);

	memset(sem, 0, sizeof(*sem));
	sem->read_count = aligned_alloc(64, size);
	if (!sem->read_count)
		return -ENOMEM;
	memset(sem->read_count, 0, size);
	sem->allocated = true;
	__init_waitqueue_head(&sem->rss.gp_wait, "rss.gp_wait", &gp_key);
	__init_waitqueue_head(&sem->writer, "percpu_rwsem.writer", &writer_key);
	__init_waitqueue_head(&sem->waiters, "percpu_rwsem.waiters",
			      &waiters_key);
	lockdep_init_map(&sem->dep_map, name, key);
	return 0;
}

void percpu_free_rwsem(struct percpu_rw_semaphore *sem)
{
	if (WARN_ON(percpu_rwsem_readers(sem)))
		return;
	if (sem->allocated)
		free(sem->read_count);
	sem->read_count = NULL;
	sem->allocated = false;
}
