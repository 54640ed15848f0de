/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/84-memory.nw (appendix D); do not edit. */
#include "xarray.h"
#include "fault.h"

#define XA_MAX_SHIFT	60	/* top node covers every unsigned long */

DEFINE_FAULT_SITE(fail_xa_node_alloc, "xa_node_alloc",
		  "every node of an xarray (page cache, page tables)");

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
	struct xa_node *node;

	if (should_fail(&fail_xa_node_alloc))
		return NULL;
	node = calloc(1, sizeof(*node));
	if (node)
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

/*
 * Called with xa_lock held; make the tree tall enough for @index. A failure
 * leaves it as tall as it got, which holds the same entries.
 */
static int xa_grow(struct xarray *xa, unsigned long index)
{
	if (!xa->xa_head) {
		unsigned char shift = 0;

		while (index > xa_max_index(shift))
			shift += XA_CHUNK_SHIFT;
		xa->xa_head = xa_node_alloc(shift);
		if (!xa->xa_head)
			return -ENOMEM;
		xa->xa_shift = shift;
		return 0;
	}
	while (index > xa_max_index(xa->xa_shift)) {
		struct xa_node *top;

		top = xa_node_alloc(xa->xa_shift + XA_CHUNK_SHIFT);

		if (!top)
			return -ENOMEM;
		top->slots[0] = xa->xa_head;
		top->count = 1;
		xa->xa_head = top;
		xa->xa_shift = top->shift;
	}
	return 0;
}

/* Free the emptied nodes of @index's path below the top, bottom up. */
static void xa_prune(struct xa_node **path, int depth, unsigned long index)
{
	while (depth > 1 && !path[depth - 1]->count) {
		struct xa_node *parent = path[depth - 2];
		int slot = (index >> parent->shift) & (XA_CHUNK_SIZE - 1);

		free(parent->slots[slot]);
		parent->slots[slot] = NULL;
		parent->count--;
		depth--;
	}
}

/*
 * Called with xa_lock held: the path of nodes down to @index's leaf, made
 * when @create, else NULL where it is missing; XA_ERROR on a failed node.
 */
static struct xa_node *xa_walk(struct xarray *xa, unsigned long index,
			       bool create, struct xa_node **path, int *depthp)
{
	struct xa_node *node;
	int depth = 0, slot;

	if (!create && (!xa->xa_head || index > xa_max_index(xa->xa_shift)))
		return NULL;
	if (create && xa_grow(xa, index))
		return XA_ERROR(-ENOMEM);
	node = xa->xa_head;
	for (;;) {
		path[depth++] = node;
		if (!node->shift)
			break;
		slot = (index >> node->shift) & (XA_CHUNK_SIZE - 1);
		if (!node->slots[slot]) {
			if (!create)
				return NULL;
			node->slots[slot] = xa_node_alloc(node->shift -
							  XA_CHUNK_SHIFT);
			if (!node->slots[slot]) {
				xa_prune(path, depth, index);
				return XA_ERROR(-ENOMEM);
			}
			node->count++;
		}
		node = node->slots[slot];
	}
	*depthp = depth;
	return node;
}

/* Called with xa_lock held. */
static void *__xa_store(struct xarray *xa, unsigned long index, void *entry)
{
	struct xa_node *path[XA_MAX_SHIFT / XA_CHUNK_SHIFT + 2];
	struct xa_node *node;
	void *old;
	int depth = 0, slot;

	node = xa_walk(xa, index, entry != NULL, path, &depth);
	if (!node || xa_is_err(node))
		return node;
	slot = index & (XA_CHUNK_SIZE - 1);
	old = node->slots[slot];
	node->slots[slot] = entry;
	if (!old && entry) {
		node->count++;
		xa->xa_count++;
	} else if (old && !entry) {
		node->count--;
		xa->xa_count--;
		xa_prune(path, depth, index);
	}
	return old;
}

int xa_prealloc(struct xarray *xa, unsigned long index)
{
	struct xa_node *path[XA_MAX_SHIFT / XA_CHUNK_SHIFT + 2];
	struct xa_node *node;
	int depth;

	arch_spin_lock(&xa->xa_lock);
	node = xa_walk(xa, index, true, path, &depth);
	arch_spin_unlock(&xa->xa_lock);
	return xa_err(node);
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
		int slot = (index >> node->shift) & (XA_CHUNK_SIZE - 1);

		node = node->slots[slot];
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
	if (cur == old && xa_is_err(__xa_store(xa, index, entry)))
		cur = XA_ERROR(-ENOMEM);
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
