/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/83-srcu.nw (appendix C); do not edit. */
#include "srcu.h"
#include "fault.h"
#include <linux/membarrier.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long pcpu_bytes;
static long membarrier_calls;
static bool have_membarrier;

DEFINE_FAULT_SITE(fail_alloc_percpu, "alloc_percpu",
		  "per-CPU data of init_srcu_struct()");

__attribute__((constructor)) static void srcu_membarrier_register(void)
{
	if (!getenv("MMLIT_NO_MEMBARRIER") &&
	    !syscall(__NR_membarrier,
		     MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0)) {
		have_membarrier = true;
		return;
	}
	__atomic_or_fetch(&mmlit_hooks, MMLIT_HOOK_FENCE, __ATOMIC_SEQ_CST);
}

/* Every other running thread of the process executes a full barrier. */
static void srcu_membarrier(void)
{
	if (have_membarrier) {
		syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED,
			0, 0);
		__atomic_add_fetch(&membarrier_calls, 1, __ATOMIC_RELAXED);
		return;
	}
	smp_mb();	/* readers fence themselves */
}

long srcu_membarrier_calls(void)
{
	return __atomic_load_n(&membarrier_calls, __ATOMIC_RELAXED);
}

int __init_srcu_struct(struct srcu_struct *ssp, const char *name,
		       struct lock_class_key *key)
{
	static struct lock_class_key gp_mutex_key;
	size_t size = NR_CPUS * sizeof(struct srcu_data);
	struct srcu_data *sda;

	if (should_fail(&fail_alloc_percpu))
		return -ENOMEM;
	sda = aligned_alloc(64, size);
	if (!sda)
		return -ENOMEM;
	memset(sda, 0, size);
	ssp->srcu_idx = 0;
	ssp->sda = sda;
	ssp->sda_allocated = true;
	ssp->srcu_gp_seq = 0;
	lockdep_init_map(&ssp->dep_map, name, key);
	__mutex_init(&ssp->srcu_gp_mutex, "srcu_gp_mutex", &gp_mutex_key);
	__atomic_add_fetch(&pcpu_bytes, size, __ATOMIC_RELAXED);
	return 0;
}

void cleanup_srcu_struct(struct srcu_struct *ssp)
{
	if (WARN_ON(srcu_readers_active(ssp)))
		return;		/* leak rather than free under readers */
	if (ssp->sda_allocated) {
		free(ssp->sda);
		__atomic_sub_fetch(&pcpu_bytes,
				   NR_CPUS * sizeof(struct srcu_data),
				   __ATOMIC_RELAXED);
	}
	ssp->sda = NULL;
	ssp->sda_allocated = false;
}

long pcpu_nr_bytes(void)
{
	return __atomic_load_n(&pcpu_bytes, __ATOMIC_RELAXED);
}

unsigned long srcu_batches_completed(const struct srcu_struct *ssp)
{
	return READ_ONCE(ssp->srcu_gp_seq);
}

static unsigned long srcu_readers_lock_idx(const struct srcu_struct *ssp,
					   int idx)
{
	unsigned long sum = 0;
	int n = READ_ONCE(nr_cpu_ids);

	for (int cpu = 0; cpu < n; cpu++)
		sum += READ_ONCE(ssp->sda[cpu].srcu_lock_count[idx]);
	return sum;
}

static unsigned long srcu_readers_unlock_idx(const struct srcu_struct *ssp,
					     int idx)
{
	unsigned long sum = 0;
	int n = READ_ONCE(nr_cpu_ids);

	for (int cpu = 0; cpu < n; cpu++)
		sum += smp_load_acquire(&ssp->sda[cpu].srcu_unlock_count[idx]);
	return sum;
}

static bool srcu_readers_active_idx_check(const struct srcu_struct *ssp,
					  int idx)
{
	unsigned long unlocks = srcu_readers_unlock_idx(ssp, idx);

	smp_mb();
	return srcu_readers_lock_idx(ssp, idx) == unlocks;
}

long srcu_readers_active(const struct srcu_struct *ssp)
{
	long sum = 0;

	for (int idx = 0; idx < 2; idx++)
		sum += srcu_readers_lock_idx(ssp, idx) -
		       srcu_readers_unlock_idx(ssp, idx);
	return sum;
}

int __srcu_read_lock_slow(struct srcu_struct *ssp, struct lock_site site)
{
	struct srcu_data *sdp = &ssp->sda[current->cpu];
	int idx;

	sched_point(SP_SRCU_LOCK, ssp);
	idx = READ_ONCE(ssp->srcu_idx) & 1;
	sched_point(SP_MARK, ssp);
	WRITE_ONCE(sdp->srcu_lock_count[idx], sdp->srcu_lock_count[idx] + 1);
	if (mmlit_hooks & MMLIT_HOOK_FENCE)
		smp_mb();
	else
		barrier();
	lock_acquire(&ssp->dep_map, 0, 0, 2, site);
	mmlit_trace("srcu_read_lock %s idx %d", ssp->dep_map.name, idx);
	return idx | SRCU_IDX_SLOW;
}

void __srcu_read_unlock_slow(struct srcu_struct *ssp, int idx,
			     struct lock_site site)
{
	struct srcu_data *sdp = &ssp->sda[current->cpu];

	WARN_ON((idx & ~1) != SRCU_IDX_SLOW);
	idx &= 1;
	lock_release(&ssp->dep_map, site);
	sched_point(SP_SRCU_UNLOCK, ssp);
	if (mmlit_hooks & MMLIT_HOOK_FENCE)
		smp_mb();
	smp_store_release(&sdp->srcu_unlock_count[idx],
			  sdp->srcu_unlock_count[idx] + 1);
	mmlit_trace("srcu_read_unlock %s idx %d", ssp->dep_map.name, idx);
	if (mmlit_hooks & MMLIT_HOOK_DET)
		det_wake_blocked_on(ssp);
}

bool srcu_read_lock_held(const struct srcu_struct *ssp)
{
	if (!lockdep_enabled())
		return true;	/* as the kernel, without lockdep */
	return lock_is_held_type(&ssp->dep_map, 1);
}

static int srcu_waits_for(const struct blocked_on *b, struct task_struct *self,
			  struct task_struct **out, int max)
{
	return lock_holders(b->map, true, out, max);
}

static void srcu_wait_readers(struct srcu_struct *ssp, int idx,
			      struct lock_site site)
{
	struct task_struct *t = current;
	struct blocked_on b = {
		.kind = BLOCK_SRCU, .obj = ssp, .map = &ssp->dep_map,
		.what = ssp->dep_map.name, .read = 0, .site = site,
		.waits_for = srcu_waits_for,
	};
	long start = 0, last = 0, delay_ns = 1000;

	for (int i = 0; i < 64; i++) {
		if (srcu_readers_active_idx_check(ssp, idx))
			return;
		cpu_relax();
	}
	if ((mmlit_hooks & MMLIT_HOOK_DET) && t->det) {
		set_blocked_on(&b);
		for (;;) {
			set_current_state(TASK_UNINTERRUPTIBLE);
			if (srcu_readers_active_idx_check(ssp, idx))
				break;
			schedule();
			task_abort_if_pending();
		}
		__set_current_state(TASK_RUNNING);
		clear_blocked_on();
		return;
	}
	start = last = now_ms();
	sched_poll_begin(&b);
	while (!srcu_readers_active_idx_check(ssp, idx)) {
		struct timespec ts = { 0, delay_ns };

		if (delay_ns < 2000)
			sched_yield();
		else
			nanosleep(&ts, NULL);
		if (delay_ns < 1000000)
			delay_ns *= 2;
		if (now_ms() - last >= 10) {
			last = now_ms();
			sched_poll_check(last - start);
			if (t->abort_pending) {
				sched_poll_end();
				task_abort_if_pending();
			}
		}
	}
	sched_poll_end();
}

void __synchronize_srcu(struct srcu_struct *ssp, struct lock_site site)
{
	int idx;

	might_sleep();
	lock_sync(&ssp->dep_map, 0, 0, site);
	mutex_lock(&ssp->srcu_gp_mutex);
	sched_point(SP_GP, ssp);
	srcu_membarrier();	/* pairs with the readers' missing smp_mb() */
	idx = !(READ_ONCE(ssp->srcu_idx) & 1);
	srcu_wait_readers(ssp, idx, site);	/* stragglers, inactive set */
	WRITE_ONCE(ssp->srcu_idx, ssp->srcu_idx + 1);
	smp_mb();
	sched_point(SP_GP, ssp);
	srcu_wait_readers(ssp, !idx, site);	/* readers before the flip */
	WRITE_ONCE(ssp->srcu_gp_seq, ssp->srcu_gp_seq + 1);
	mutex_unlock(&ssp->srcu_gp_mutex);
	mmlit_trace("synchronize_srcu %s done", ssp->dep_map.name);
}
