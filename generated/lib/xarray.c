/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/84-memory.nw (appendix D); do not edit. */
#include "xarray.h"

#define XA_MAX_SHIFT	60	/* top node covers every unsigned long */

void xa_init(struct xarray *xa)
{
	memset(xa, 0, sizeof(*xa));
}

static unsigned long xa_max_index(unsigned char shift)
{
	if (shift >= XA_MAX_SHIFT)
		return ULONG_MAX;
	return (XA_CHUNK_SIZE << shift) - 1;
}

static struct xa_node *xa_node_alloc(unsigned char shift)
{
	struct xa_node *node = calloc(1, sizeof(*node));

	BUG_ON(!node);
	node->shift = shift;
	return node;
}

void *xa_load(struct xarray *xa, unsigned long index)
{
	void *entry;

	arch_spin_lock(&xa->xa_lock);
	entry = __xa_load(xa, index);
	arch_spin_unlock(&xa->xa_lock);
	return entry;
}

/* Called with xa_lock held; make the tree tall enough for @index. */
static void xa_grow(struct xarray *xa, unsigned long index)
{
	if (!xa->xa_head) {
		unsigned char shift = 0;

		while (index > xa_max_index(shift))
			shift += XA_CHUNK_SHIFT;
		xa->xa_head = xa_node_alloc(shift);
		xa->xa_shift = shift;
		return;
	}
	while (index > xa_max_index(xa->xa_shift)) {
		struct xa_node *top = xa_node_alloc(xa->xa_shift + XA_CHUNK_SHIFT);

		top->slots[0] = xa->xa_head;
		top->count = 1;
		xa->xa_head = top;
		xa->xa_shift = top->shift;
	}
}

/* Called with xa_lock held. */
static void *__xa_store(struct xarray *xa, unsigned long index, void *entry)
{
	struct xa_node *path[XA_MAX_SHIFT / XA_CHUNK_SHIFT + 2];
	struct xa_node *node;
	void *old;
	int depth = 0, slot;

	if (!entry && (!xa->xa_head || index > xa_max_index(xa->xa_shift)))
		return NULL;
	if (entry)
		xa_grow(xa, index);
	node = xa->xa_head;
	for (;;) {
		path[depth++] = node;
		if (!node->shift)
			break;
		slot = (index >> node->shift) & (XA_CHUNK_SIZE - 1);
		if (!node->slots[slot]) {
			if (!entry)
				return NULL;
			node->slots[slot] = xa_node_alloc(node->shift - XA_CHUNK_SHIFT);
			node->count++;
		}
		node = node->slots[slot];
	}
	slot = index & (XA_CHUNK_SIZE - 1);
	old = node->slots[slot];
	node->slots[slot] = entry;
	if (!old && entry) {
		node->count++;
		xa->xa_count++;
	} else if (old && !entry) {
		node->count--;
		xa->xa_count--;
		/* Free emptied nodes below the top, bottom up. */
		while (depth > 1 && !path[depth - 1]->count) {
			struct xa_node *parent = path[depth - 2];

			slot = (index >> parent->shift) & (XA_CHUNK_SIZE - 1);
			free(parent->slots[slot]);
			parent->slots[slot] = NULL;
			parent->count--;
			depth--;
		}
	}
	return old;
}

void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	void *old;

	arch_spin_lock(&xa->xa_lock);
	old = __xa_store(xa, index, entry);
	arch_spin_unlock(&xa->xa_lock);
	return old;
}

void *__xa_load(struct xarray *xa, unsigned long index)
{
	struct xa_node *node = xa->xa_head;

	if (!node || index > xa_max_index(xa->xa_shift))
		return NULL;
	while (node->shift) {
		node = node->slots[(index >> node->shift) & (XA_CHUNK_SIZE - 1)];
		if (!node)
			return NULL;
	}
	return node->slots[index & (XA_CHUNK_SIZE - 1)];
}

void *xa_cmpxchg(struct xarray *xa, unsigned long index, void *old,
		 void *entry, gfp_t gfp)
{
	void *cur;

	arch_spin_lock(&xa->xa_lock);
	cur = __xa_load(xa, index);
	if (cur == old)
		__xa_store(xa, index, entry);
	arch_spin_unlock(&xa->xa_lock);
	return cur;
}

static void *xa_find_node(struct xa_node *node, unsigned long base,
			  unsigned long start, unsigned long max,
			  unsigned long *found)
{
	unsigned long step = 1UL << node->shift;
	unsigned long i = start > base ? (start - base) >> node->shift : 0;

	for (; i < XA_CHUNK_SIZE; i++) {
		unsigned long lo = base + i * step;
		void *e = node->slots[i], *r;

		if (lo > max)
			break;
		if (!e)
			continue;
		if (!node->shift) {
			*found = lo;
			return e;
		}
		r = xa_find_node(e, lo, start > lo ? start : lo, max, found);
		if (r)
			return r;
	}
	return NULL;
}

void *xa_find(struct xarray *xa, unsigned long *indexp, unsigned long max)
{
	void *entry = NULL;

	arch_spin_lock(&xa->xa_lock);
	if (xa->xa_head && *indexp <= xa_max_index(xa->xa_shift))
		entry = xa_find_node(xa->xa_head, 0, *indexp, max, indexp);
	arch_spin_unlock(&xa->xa_lock);
	return entry;
}

static void xa_free_node(struct xa_node *node)
{
	if (node->shift)
		for (unsigned int i = 0; i < XA_CHUNK_SIZE; i++)
			if (node->slots[i])
				xa_free_node(node->slots[i]);
	free(node);
}

void xa_destroy(struct xarray *xa)
{
	arch_spin_lock(&xa->xa_lock);
	if (xa->xa_head)
		xa_free_node(xa->xa_head);
	xa->xa_head = NULL;
	xa->xa_shift = 0;
	xa->xa_count = 0;
	arch_spin_unlock(&xa->xa_lock);
}
