/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/01-shim.nw (chapter 1); do not edit. */
/* kernel.h: the basic vocabulary of kernel C, for the mmlit shim. */
#ifndef MMLIT_KERNEL_H
#define MMLIT_KERNEL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef unsigned long pgoff_t;
typedef unsigned int gfp_t;
typedef unsigned int vm_fault_t;
typedef unsigned long vm_flags_t;
typedef unsigned int fmode_t;
typedef unsigned short umode_t;

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define NR_CPUS		128	/* reader slots: at most this many live tasks */

/* Interrupted by a signal; the syscall restarts. */
#define ERESTARTSYS	512
#define ENOIOCTLCMD	515
#ifndef EOPNOTSUPP
#define EOPNOTSUPP	ENOTSUP
#endif

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define barrier()	__asm__ __volatile__("" ::: "memory")
#define cpu_relax()	__builtin_ia32_pause()
#define __aligned(x)	__attribute__((aligned(x)))
#define SMP_CACHE_BYTES	64
#define __cacheline_aligned __aligned(SMP_CACHE_BYTES)
#define __maybe_unused	__attribute__((unused))
#define __cold		__attribute__((cold))
#define __must_check	__attribute__((warn_unused_result))
#define __cleanup(f)	__attribute__((cleanup(f)))

#ifndef __SANITIZE_THREAD__
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) \
	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)
#else	/* marked accesses, as KCSAN sees them: relaxed atomics for TSan */
#define READ_ONCE(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val) __atomic_store_n(&(x), (val), __ATOMIC_RELAXED)
#endif

#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __stringify_1(x) #x
#define __stringify(x)	__stringify_1(x)

#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	\
	unlikely((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE(ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR_VALUE(ptr);
}
static inline void *ERR_CAST(const void *ptr) { return (void *)ptr; }

#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define round_up(x, y)	((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define round_down(x, y) ((x) & ~((__typeof__(x))((y) - 1)))
#define ALIGN(x, a)	round_up(x, a)
#define PAGE_ALIGNED(x)	(((unsigned long)(x) & (PAGE_SIZE - 1)) == 0)
#define BIT(n)		(1UL << (n))

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
#define ATOMIC_INIT(i)	{ (i) }

#define __ATOMIC_OPS(pfx, t, T)						\
static inline T pfx##_read(const t *v)					\
{ return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }		\
static inline void pfx##_set(t *v, T i)					\
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }			\
static inline void pfx##_add(T i, t *v)					\
{ __atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED); }		\
static inline void pfx##_sub(T i, t *v)					\
{ __atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED); }		\
static inline void pfx##_inc(t *v) { pfx##_add(1, v); }			\
static inline void pfx##_dec(t *v) { pfx##_sub(1, v); }			\
static inline T pfx##_add_return(T i, t *v)				\
{ return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline T pfx##_sub_return(T i, t *v)				\
{ return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline T pfx##_inc_return(t *v) { return pfx##_add_return(1, v); } \
static inline T pfx##_dec_return(t *v) { return pfx##_sub_return(1, v); } \
static inline bool pfx##_dec_and_test(t *v)				\
{ return pfx##_sub_return(1, v) == 0; }					\
static inline T pfx##_cmpxchg(t *v, T old, T new)			\
{									\
	__atomic_compare_exchange_n(&v->counter, &old, new, false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
	return old;							\
}									\
static inline T pfx##_xchg(t *v, T new)					\
{ return __atomic_exchange_n(&v->counter, new, __ATOMIC_SEQ_CST); }

__ATOMIC_OPS(atomic, atomic_t, int)
__ATOMIC_OPS(atomic_long, atomic_long_t, long)
#undef __ATOMIC_OPS

#define xchg(p, v)	__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
#define cmpxchg(p, o, n) ({						\
	__typeof__(*(p)) __old = (o);					\
	__atomic_compare_exchange_n((p), &__old, (n), false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
	__old; })
struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)	struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	WRITE_ONCE(list->next, list);	/* list_empty() reads it unlocked */
	WRITE_ONCE(list->prev, list);	/* and finish_wait() this one */
}

static inline void __list_add(struct list_head *new, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = new;
	new->next = next;
	new->prev = prev;
	WRITE_ONCE(prev->next, new);
}

static inline void list_add(struct list_head *new, struct list_head *head)
{
	__list_add(new, head, head->next);
}

static inline void list_add_tail(struct list_head *new, struct list_head *head)
{
	__list_add(new, head->prev, head);
}

static inline void list_del_init(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	WRITE_ONCE(entry->prev->next, entry->next);
	INIT_LIST_HEAD(entry);
}

static inline void list_del(struct list_head *entry)
{
	list_del_init(entry);
}

static inline bool list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}

static inline void list_move_tail(struct list_head *entry,
				  struct list_head *head)
{
	list_del_init(entry);
	list_add_tail(entry, head);
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) \
	list_entry((ptr)->next, type, member)
#define list_last_entry(ptr, type, member) \
	list_entry((ptr)->prev, type, member)
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_entry((head)->next, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_entry((head)->next, __typeof__(*pos), member),	\
	     n = list_entry(pos->member.next, __typeof__(*pos), member); \
	     &pos->member != (head);					\
	     pos = n, n = list_entry(n->member.next, __typeof__(*n), member))
extern unsigned int warn_once_gen;
/* Re-arm every WARN_ON_ONCE site: each test, each fresh model. */
void warn_once_rearm(void);
void __warn(const char *file, int line, const char *func, const char *cond,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void __bug(const char *file, int line, const char *func, const char *cond)
	__attribute__((noreturn));

#define WARN(cond, ...) ({						\
	bool __c = !!(cond);						\
	if (unlikely(__c))						\
		__warn(__FILE__, __LINE__, __func__, #cond, __VA_ARGS__); \
	unlikely(__c); })
#define WARN_ON(cond) ({						\
	bool __c = !!(cond);						\
	if (unlikely(__c))						\
		__warn(__FILE__, __LINE__, __func__, #cond, NULL);	\
	unlikely(__c); })
#define WARN_ON_ONCE(cond) ({						\
	static unsigned int __warned;	/* generation it fired in */	\
	bool __c = !!(cond);						\
	if (unlikely(__c) && __warned != READ_ONCE(warn_once_gen)) {	\
		__warned = READ_ONCE(warn_once_gen);			\
		__warn(__FILE__, __LINE__, __func__, #cond, NULL);	\
	}								\
	unlikely(__c); })
#define BUG_ON(cond) do {						\
	if (unlikely(cond))						\
		__bug(__FILE__, __LINE__, __func__, #cond);		\
} while (0)
#define BUG()		__bug(__FILE__, __LINE__, __func__, "BUG()")
#define VM_BUG_ON(cond)	BUG_ON(cond)
#define VM_WARN_ON(cond) ((void)WARN_ON(cond))
#define VM_WARN_ON_ONCE(cond) ((void)WARN_ON_ONCE(cond))

#endif /* MMLIT_KERNEL_H */
