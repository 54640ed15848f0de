/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/01-shim.nw (chapter 1); do not edit. */
/* srcu.h: sleepable RCU with fenceless readers. */
#ifndef MMLIT_SRCU_H
#define MMLIT_SRCU_H

#include "locks.h"

struct srcu_data {
	unsigned long srcu_lock_count[2];
	unsigned long srcu_unlock_count[2];
} __cacheline_aligned;
/* One slot per cache line: a reader finds its own at __this_cpu_off. */
_Static_assert(sizeof(struct srcu_data) == SMP_CACHE_BYTES, "srcu_data");

struct srcu_struct {
	/* Read by every reader, written only by a grace period's flip. */
	unsigned int srcu_idx;
	struct srcu_data *sda;			/* NR_CPUS slots */
	struct lockdep_map dep_map;
	/* Updater side, on its own cache lines. */
	struct mutex srcu_gp_mutex __cacheline_aligned;
	unsigned long srcu_gp_seq;		/* grace periods completed */
	bool sda_allocated;
};

#define __SRCU_STRUCT_INIT(name, pcpu) {				\
	.srcu_idx = 0, .sda = (pcpu),					\
	.dep_map = STATIC_LOCKDEP_MAP_INIT(#name, NULL),		\
	.srcu_gp_mutex = __MUTEX_INITIALIZER(name.srcu_gp_mutex),	\
	.srcu_gp_seq = 0, .sda_allocated = false }

#define DEFINE_SRCU(name)						\
	static struct srcu_data name##_srcu_data[NR_CPUS];		\
	struct srcu_struct name = __SRCU_STRUCT_INIT(name, name##_srcu_data)
#define DEFINE_STATIC_SRCU(name)					\
	static struct srcu_data name##_srcu_data[NR_CPUS];		\
	static struct srcu_struct name =				\
		__SRCU_STRUCT_INIT(name, name##_srcu_data)

/* Allocate the per-CPU data: 0 or -ENOMEM (injectable: site "alloc_percpu"). */
int __init_srcu_struct(struct srcu_struct *ssp, const char *name,
		       struct lock_class_key *key);
#define init_srcu_struct(ssp) ({					\
	static struct lock_class_key __key;				\
	__init_srcu_struct((ssp), #ssp, &__key); })
/* Free it; WARNs if readers are still inside. */
void cleanup_srcu_struct(struct srcu_struct *ssp);

/* The read side with lockdep-lite, tracing, scheduling points, fences. */
int __srcu_read_lock_slow(struct srcu_struct *ssp, struct lock_site site)
	__cold;
void __srcu_read_unlock_slow(struct srcu_struct *ssp, int idx,
			     struct lock_site site) __cold;

/* The slow path's index carries this bit: the unlock tests it, not hooks. */
#define SRCU_IDX_SLOW	2

/*
 * this_cpu_inc() of a reader's counter. On x86-64 one add to memory through
 * a base register, as the kernel's incq %gs:...; its "memory" clobber is the
 * compiler barrier, and x86 orders the store after every earlier access.
 */
static inline void __srcu_inc_lock(unsigned long *p)
{
#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__)
	asm volatile("incq (%1)" : "+m"(*p) : "r"(p) : "memory");
#else
	WRITE_ONCE(*p, *p + 1);
	barrier();
#endif
}

static inline void __srcu_inc_unlock(unsigned long *p)
{
#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__)
	asm volatile("incq (%1)" : "+m"(*p) : "r"(p) : "memory");
#else
	smp_store_release(p, *p + 1);
#endif
}

/* @off: this thread's slot, in bytes (__this_cpu_off); never negative. */
static inline struct srcu_data *__srcu_slot(struct srcu_struct *ssp, long off)
{
	return (struct srcu_data *)((char *)ssp->sda + off);
}

static inline int __srcu_read_lock_fast(struct srcu_struct *ssp, long off)
{
	int idx = READ_ONCE(ssp->srcu_idx) & 1;

	/* the grace period's membarrier() stands in for smp_mb() */
	__srcu_inc_lock(&__srcu_slot(ssp, off)->srcu_lock_count[idx]);
	return idx;
}

static inline void __srcu_read_unlock_fast(struct srcu_struct *ssp, int idx)
{
	__srcu_inc_unlock(&__srcu_slot(ssp, __this_cpu_off)->
			  srcu_unlock_count[idx]);
}

/* One test decides the path of the whole section, at the lock: a thread
 * without a task (slot -1) and any hook go slow; the returned index says so.
 * The call site is built only on the slow branch: on the fast one it would
 * be stored to the stack on every call. */
#define srcu_read_lock(ssp) ({						\
	long __off = __this_cpu_off;					\
	likely(!(mmlit_hooks | (__off < 0))) ?				\
		__srcu_read_lock_fast((ssp), __off) :			\
		__srcu_read_lock_slow((ssp), THIS_SITE); })
#define srcu_read_unlock(ssp, idx) ({					\
	int __idx = (idx);						\
	likely(!(__idx & SRCU_IDX_SLOW)) ?				\
		__srcu_read_unlock_fast((ssp), __idx) :			\
		__srcu_read_unlock_slow((ssp), __idx, THIS_SITE); })

static inline int srcu_read_lock_fenced(struct srcu_struct *ssp)
{
	struct srcu_data *sdp = &ssp->sda[current->cpu];
	int idx = READ_ONCE(ssp->srcu_idx) & 1;

	WRITE_ONCE(sdp->srcu_lock_count[idx], sdp->srcu_lock_count[idx] + 1);
	smp_mb();
	return idx;
}

static inline void srcu_read_unlock_fenced(struct srcu_struct *ssp, int idx)
{
	struct srcu_data *sdp = &ssp->sda[current->cpu];

	smp_mb();
	WRITE_ONCE(sdp->srcu_unlock_count[idx],
		   sdp->srcu_unlock_count[idx] + 1);
}

/* Wait until every reader that began before the call has ended. */
void __synchronize_srcu(struct srcu_struct *ssp, struct lock_site site);
#define synchronize_srcu(ssp)	__synchronize_srcu((ssp), THIS_SITE)
bool srcu_read_lock_held(const struct srcu_struct *ssp);
unsigned long srcu_batches_completed(const struct srcu_struct *ssp);
/* Readers inside right now (sum over slots); for tests and reports. */
long srcu_readers_active(const struct srcu_struct *ssp);
/* Bytes of per-CPU data allocated by init_srcu_struct and not freed. */
long pcpu_nr_bytes(void);
/* membarrier(2) calls made by grace periods (what the updater pays). */
long srcu_membarrier_calls(void);

/* guard(srcu)(&ssp): a read section to the end of the scope. */
struct srcu_guard {
	struct srcu_struct *ssp;
	int idx;
};
static inline void __srcu_guard_exit(struct srcu_guard *g)
{
	srcu_read_unlock(g->ssp, g->idx);
}
#define __GUARD_ID(a, b)	a##b
#define __GUARD_NAME(n)		__GUARD_ID(__guard_, n)
#define guard(srcu)		__srcu_guard_at(__COUNTER__)
#define __srcu_guard_at(n)	__srcu_guard_ctor(__GUARD_NAME(n))
#define __srcu_guard_ctor(var)						\
	struct srcu_guard var __cleanup(__srcu_guard_exit) =		\
		__srcu_guard_enter
static inline struct srcu_guard __srcu_guard_enter(struct srcu_struct *ssp)
{
	return (struct srcu_guard){ ssp, srcu_read_lock(ssp) };
}

#endif /* MMLIT_SRCU_H */
