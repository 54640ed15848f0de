/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/01-shim.nw (chapter 1); do not edit. */
/* xarray.h: a radix tree from unsigned long to pointers and values. */
#ifndef MMLIT_XARRAY_H
#define MMLIT_XARRAY_H

#include "locks.h"

#define XA_CHUNK_SHIFT	6
#define XA_CHUNK_SIZE	(1UL << XA_CHUNK_SHIFT)

struct xa_node {
	unsigned char shift;		/* bits below this level */
	unsigned char count;		/* non-NULL slots */
	void *slots[XA_CHUNK_SIZE];
};

struct xarray {
	arch_spinlock_t xa_lock;
	void *xa_head;			/* entry (shift 0 tree) or node */
	unsigned char xa_shift;		/* shift of the top node; 0: none */
	bool xa_is_node;
	unsigned long xa_count;		/* entries stored */
};

static inline void *xa_mk_value(unsigned long v)
{
	return (void *)((v << 1) | 1);
}
static inline bool xa_is_value(const void *entry)
{
	return (unsigned long)entry & 1;
}
static inline unsigned long xa_to_value(const void *entry)
{
	return (unsigned long)entry >> 1;
}

/* An error entry, as the kernel encodes one: bit 1 set, errno above it. */
#define XA_ERROR(errno)	((void *)(((unsigned long)(long)(errno) << 2) | 2UL))
static inline bool xa_is_err(const void *entry)
{
	return ((unsigned long)entry & 3) == 2 &&
	       (unsigned long)entry >= (unsigned long)XA_ERROR(-4095);
}
static inline int xa_err(const void *entry)
{
	return xa_is_err(entry) ? (int)((long)entry >> 2) : 0;
}

void xa_init(struct xarray *xa);
void *xa_load(struct xarray *xa, unsigned long index);
/* Store @entry (NULL erases); returns the old entry, or XA_ERROR(-ENOMEM)
 * when a node cannot be allocated: then nothing was stored. */
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
/* Allocate the nodes a later store at @index needs: 0 or -ENOMEM. */
int xa_prealloc(struct xarray *xa, unsigned long index);
static inline void *xa_erase(struct xarray *xa, unsigned long index)
{
	return xa_store(xa, index, NULL, 0);
}
/* Store @entry only if the slot holds @old; returns what it held. */
void *xa_cmpxchg(struct xarray *xa, unsigned long index, void *old,
		 void *entry, gfp_t gfp);
/* Under the lock, for callers that must act on an entry before it can go. */
#define xa_lock(xa)	arch_spin_lock(&(xa)->xa_lock)
#define xa_unlock(xa)	arch_spin_unlock(&(xa)->xa_lock)
void *__xa_load(struct xarray *xa, unsigned long index);
/* The first entry at an index in [*indexp, max]; *indexp is set to it. */
void *xa_find(struct xarray *xa, unsigned long *indexp, unsigned long max);
static inline bool xa_empty(const struct xarray *xa)
{
	return READ_ONCE(xa->xa_count) == 0;
}
void xa_destroy(struct xarray *xa);

#define xa_for_each_range(xa, index, entry, start, last)		\
	for (index = (start), entry = xa_find((xa), &index, (last));	\
	     entry;							\
	     entry = (index == (last) || ++index == 0) ? NULL :		\
		     xa_find((xa), &index, (last)))
#define xa_for_each(xa, index, entry) \
	xa_for_each_range(xa, index, entry, 0, ULONG_MAX)

#endif /* MMLIT_XARRAY_H */
