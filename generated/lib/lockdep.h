/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/01-shim.nw (chapter 1); do not edit. */
/* lockdep.h: lockdep-lite, the lock-class dependency validator. */
#ifndef MMLIT_LOCKDEP_H
#define MMLIT_LOCKDEP_H

#include "report.h"

#define MAX_LOCKDEP_SUBCLASSES	8

struct lock_class_key {
	char subkeys[MAX_LOCKDEP_SUBCLASSES];
};

struct lockdep_map {
	struct lock_class_key *key;	/* NULL: the map's own address */
	const char *name;
	struct lock_class *class_cache;	/* subclass 0 */
	unsigned int cache_gen;		/* class_cache valid for this gen */
};

#define STATIC_LOCKDEP_MAP_INIT(_name, _key) \
	{ .key = (_key), .name = (_name), .class_cache = NULL, .cache_gen = 0 }

void lockdep_init_map(struct lockdep_map *map, const char *name,
		      struct lock_class_key *key);

/*
 * lock_acquire - validate and record that current takes @map.
 * Call before blocking on the lock: reports come before the wait.
 * @read: 0 write, 1 read, 2 recursive read. @trylock: cannot block, so
 * it adds no dependency.
 */
void lock_acquire(struct lockdep_map *map, unsigned int subclass, int trylock,
		  int read, struct lock_site site);
void lock_release(struct lockdep_map *map, struct lock_site site);
/* lock_contended: current must wait for @map, which it asked for with
 * lock_acquire; lock_acquired: it now holds it. Only held locks count
 * as holders for the waits-for detector. */
void lock_contended(struct lockdep_map *map);
void lock_acquired(struct lockdep_map *map);
/* lock_sync - take and drop at once (synchronize_srcu). */
void lock_sync(struct lockdep_map *map, unsigned int subclass, int read,
	       struct lock_site site);
/* Is @map held by current, in mode @read (-1: any, 0 write, 1 any read)? */
bool lock_is_held_type(const struct lockdep_map *map, int read);
#define lock_is_held(map)	lock_is_held_type((map), -1)
void __lockdep_assert(const struct lockdep_map *map, int read, bool held,
		      struct lock_site site);

#define lockdep_assert_held(l) \
	__lockdep_assert(&(l)->dep_map, -1, true, THIS_SITE)
#define lockdep_assert_held_write(l) \
	__lockdep_assert(&(l)->dep_map, 0, true, THIS_SITE)
#define lockdep_assert_held_read(l) \
	__lockdep_assert(&(l)->dep_map, 1, true, THIS_SITE)
#define lockdep_assert_not_held(l) \
	__lockdep_assert(&(l)->dep_map, -1, false, THIS_SITE)

/* On by default; benchmarks turn it off. Turning it on clears nothing. */
void lockdep_set_enabled(bool on);
bool lockdep_enabled(void);
/* Forget every class and dependency (a fresh boot for mmsim scenarios). */
void lockdep_reset(void);

/* The observed graph. */
int lockdep_nr_classes(void);
int lockdep_nr_dependencies(void);
/* Does the graph hold a dependency @from -> @to (class names)? */
bool lockdep_has_dependency(const char *from, const char *to);
/* Write the graph in Graphviz syntax; edges of reported cycles in red. */
void lockdep_export_dot(FILE *f, const char *title);

/* Print the held locks of @t (a kernel-style "locks held by" list). */
void lockdep_print_held_locks(FILE *f, struct task_struct *t);

#endif /* MMLIT_LOCKDEP_H */
