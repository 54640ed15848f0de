/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/82-locks.nw (appendix B); do not edit. */
#include "locks.h"

#define MAX_LOCKDEP_CLASSES	1024
#define CLASSHASH_SIZE		2048
#define MAX_CYCLE_REPORTS	64
#define MAX_RECURSION_REPORTS	64

enum dep_kind { DEP_EN, DEP_ER, DEP_SN, DEP_SR };
static const char *const dep_kind_names[] = { "EN", "ER", "SN", "SR" };

struct lock_dep {
	struct lock_class *to;
	u8 kinds;			/* bit per enum dep_kind */
	bool in_cycle;			/* part of a reported cycle */
	struct lock_site held_site;	/* where the first lock was taken */
	struct lock_site acq_site;	/* where the second one was taken */
	char comm[TASK_COMM_LEN];
	struct lock_dep *next;
};

struct lock_class {
	int id;
	const void *key;
	char name[64];
	struct lock_dep *after;
	struct lock_class *hash_next;
};

static inline enum dep_kind dep_kind(int held_read, int acq_read)
{
	return (held_read ? 2 : 0) | (acq_read == 2 ? 1 : 0);
}

static const char *read_mode(int read)
{
	return read == 0 ? "write" : read == 1 ? "read" : "recursive-read";
}

static pthread_mutex_t lockdep_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lock_class lock_classes[MAX_LOCKDEP_CLASSES];
static struct lock_class *classhash[CLASSHASH_SIZE];
static int nr_lock_classes;
static int nr_lock_deps;
static unsigned int lockdep_gen = 1;

/* Dependencies refused because they closed a cycle: reported once each. */
static struct {
	struct lock_class *from, *to;
	u8 kind;
} cycle_reports[MAX_CYCLE_REPORTS];
static int nr_cycle_reports;

/* Recursions reported, by class and acquisition site: once each. */
static struct {
	struct lock_class *class;
	const char *file;
	int line;
} recursion_reports[MAX_RECURSION_REPORTS];
static int nr_recursion_reports;

void lockdep_set_enabled(bool on)
{
	if (on)
		__atomic_or_fetch(&mmlit_hooks, MMLIT_HOOK_LOCKDEP,
				  __ATOMIC_SEQ_CST);
	else
		__atomic_and_fetch(&mmlit_hooks, ~MMLIT_HOOK_LOCKDEP,
				   __ATOMIC_SEQ_CST);
}

bool lockdep_enabled(void)
{
	return mmlit_hooks & MMLIT_HOOK_LOCKDEP;
}

void lockdep_reset(void)
{
	pthread_mutex_lock(&lockdep_lock);
	for (int i = 0; i < nr_lock_classes; i++) {
		struct lock_dep *d = lock_classes[i].after, *n;

		for (; d; d = n) {
			n = d->next;
			free(d);
		}
	}
	memset(lock_classes, 0, sizeof(lock_classes));
	memset(classhash, 0, sizeof(classhash));
	nr_lock_classes = 0;
	nr_lock_deps = 0;
	nr_cycle_reports = 0;
	nr_recursion_reports = 0;
	lockdep_gen++;
	pthread_mutex_unlock(&lockdep_lock);
}

/* The start of the last member in @p ("a->b.c" -> "c"), or @p. */
static const char *last_member(const char *start, const char *end)
{
	for (const char *q = end; q > start; q--) {
		if (q[-1] == '.')
			return q;
		if (q[-1] == '>' && q - 1 > start && q[-2] == '-')
			return q;
	}
	return start;
}

static void class_name(char *buf, size_t len, const char *name,
		       unsigned int subclass)
{
	const char *p = name ? name : "?";
	const char *end, *m;

	while (*p == '&' || *p == '(')
		p++;
	end = p + strcspn(p, ")");
	m = last_member(p, end);
	/* A bare "lock" or "wait" says little: keep its owner's member. */
	if (m > p && end - m <= 4) {
		const char *sep = m[-1] == '.' ? m - 1 : m - 2;

		m = last_member(p, sep);
	}
	snprintf(buf, len, "%.*s", (int)(end - m), m);
	for (char *c = buf; *c; c++)
		if (*c == '-' && c[1] == '>')
			memmove(c, c + 1, strlen(c));	/* "a->b" -> "a>b" */
	for (char *c = buf; *c; c++)
		if (*c == '>')
			*c = '.';
	if (subclass)
		snprintf(buf + strlen(buf), len - strlen(buf), "/%u", subclass);
}

void lockdep_init_map(struct lockdep_map *map, const char *name,
		      struct lock_class_key *key)
{
	map->name = name;
	map->key = key;
	map->class_cache = NULL;
	map->cache_gen = 0;
}

/* Called with lockdep_lock held. */
static struct lock_class *look_up_class(struct lockdep_map *map,
					unsigned int subclass)
{
	const void *key;
	struct lock_class *c;
	unsigned long h;

	if (!subclass && map->class_cache && map->cache_gen == lockdep_gen)
		return map->class_cache;
	if (subclass >= MAX_LOCKDEP_SUBCLASSES)
		subclass = MAX_LOCKDEP_SUBCLASSES - 1;
	key = map->key ? (const void *)&map->key->subkeys[subclass] :
			 (const void *)((const char *)map + subclass);
	h = ((unsigned long)key >> 3) % CLASSHASH_SIZE;
	for (c = classhash[h]; c; c = c->hash_next)
		if (c->key == key)
			goto found;
	if (nr_lock_classes >= MAX_LOCKDEP_CLASSES) {
		fprintf(stderr, "lockdep-lite: out of lock classes\n");
		abort();
	}
	c = &lock_classes[nr_lock_classes];
	c->id = nr_lock_classes++;
	c->key = key;
	class_name(c->name, sizeof(c->name), map->name, subclass);
	c->hash_next = classhash[h];
	classhash[h] = c;
found:
	if (!subclass) {
		map->class_cache = c;
		map->cache_gen = lockdep_gen;
	}
	return c;
}

/* Called with lockdep_lock held; fills @r when a recursion is found. */
static bool check_recursion(struct task_struct *t, struct lock_class *class,
			    struct lockdep_map *map, int read,
			    struct lock_site site, struct report *r)
{
	struct held_lock *prev = NULL;

	for (int i = 0; i < t->lockdep_depth; i++) {
		struct held_lock *hl = &t->held_locks[i];

		if (hl->class != class)
			continue;
		if (read == 2 && hl->read)
			continue;
		prev = hl;
		break;
	}
	if (!prev)
		return false;
	for (int i = 0; i < nr_recursion_reports; i++)
		if (recursion_reports[i].class == class &&
		    recursion_reports[i].file == site.file &&
		    recursion_reports[i].line == site.line)
			return false;
	if (nr_recursion_reports < MAX_RECURSION_REPORTS) {
		recursion_reports[nr_recursion_reports].class = class;
		recursion_reports[nr_recursion_reports].file = site.file;
		recursion_reports[nr_recursion_reports++].line = site.line;
	}
	report_init(r, REPORT_RECURSION);
	report_printf(r, "RECURSION: possible recursive locking detected\n"
		      "task %s is trying to take %s (%s) at %s:%d %s()\n"
		      "but it already holds %s (%s) taken at %s:%d %s()%s\n",
		      t->comm, class->name, read_mode(read), site.file,
		      site.line, site.func, prev->class->name,
		      read_mode(prev->read), prev->site.file, prev->site.line,
		      prev->site.func,
		      prev->instance == map ? "" : " (another lock of the class)");
	report_printf(r, "locks held by %s, then the new one:\n", t->comm);
	for (int i = 0; i < t->lockdep_depth; i++) {
		struct held_lock *hl = &t->held_locks[i];

		report_printf(r, "  #%d: %s (%s) at %s:%d %s()\n", i,
			      hl->class->name, read_mode(hl->read),
			      hl->site.file, hl->site.line, hl->site.func);
		report_add_link(r, t->comm, hl->class->name,
				read_mode(hl->read), hl->site);
	}
	report_printf(r, "  new: %s (%s) at %s:%d %s()\n", class->name,
		      read_mode(read), site.file, site.line, site.func);
	report_add_link(r, t->comm, class->name, read_mode(read), site);
	return true;
}

struct bfs_state {
	short prev;			/* parent state, -1 at the start */
	struct lock_dep *via;		/* dependency from the parent */
	u8 kind;
};

/*
 * Is there a strong path from @next (entered as a recursive reader if
 * @next_r) to @prev that may be followed by a dependency out of @prev held
 * shared (@prev_s)? On success fill @path with the dependencies in order.
 */
static int find_strong_path(struct lock_class *next, bool next_r,
			    struct lock_class *prev, bool prev_s,
			    struct lock_dep **path, u8 *kinds, int max)
{
	static struct bfs_state st[2 * MAX_LOCKDEP_CLASSES];
	static short queue[2 * MAX_LOCKDEP_CLASSES];
	static bool seen[2 * MAX_LOCKDEP_CLASSES];
	int head = 0, tail = 0, s0 = next->id * 2 + next_r;

	memset(seen, 0, sizeof(seen[0]) * 2 * nr_lock_classes);
	seen[s0] = true;
	st[s0].prev = -1;
	queue[tail++] = s0;
	while (head < tail) {
		int s = queue[head++];
		struct lock_class *c = &lock_classes[s / 2];
		bool entered_r = s & 1;

		if (c == prev && !(entered_r && prev_s)) {
			int n = 0;

			for (int x = s; st[x].prev >= 0; x = st[x].prev)
				n++;
			if (n > max)
				n = max;
			for (int x = s, i = n - 1; st[x].prev >= 0 && i >= 0;
			     x = st[x].prev, i--) {
				path[i] = st[x].via;
				kinds[i] = st[x].kind;
			}
			return n;
		}
		for (struct lock_dep *d = c->after; d; d = d->next) {
			for (int k = 0; k < 4; k++) {
				bool held_s = k & 2, acq_r = k & 1;
				int ns = d->to->id * 2 + acq_r;

				if (!(d->kinds & (1 << k)))
					continue;
				if (entered_r && held_s)	/* -(*R)-> -(S*)-> */
					continue;
				if (seen[ns])
					continue;
				seen[ns] = true;
				st[ns].prev = s;
				st[ns].via = d;
				st[ns].kind = k;
				queue[tail++] = ns;
			}
		}
	}
	return -1;
}

static struct lock_dep *find_dep(struct lock_class *from,
				 struct lock_class *to)
{
	for (struct lock_dep *d = from->after; d; d = d->next)
		if (d->to == to)
			return d;
	return NULL;
}

static bool cycle_reported(struct lock_class *from, struct lock_class *to,
			   u8 kind)
{
	for (int i = 0; i < nr_cycle_reports; i++)
		if (cycle_reports[i].from == from &&
		    cycle_reports[i].to == to &&
		    cycle_reports[i].kind == kind)
			return true;
	return false;
}

/* Called with lockdep_lock held. Returns true and fills @r on a cycle. */
static bool add_dependency(struct task_struct *t, struct held_lock *prev,
			   struct lock_class *next, int read,
			   struct lock_site site, struct report *r)
{
	enum dep_kind kind = dep_kind(prev->read, read);
	struct lock_dep *d = find_dep(prev->class, next);
	struct lock_dep *path[REPORT_MAX_CHAIN];
	u8 kinds[REPORT_MAX_CHAIN];
	int n;

	if (d && (d->kinds & (1 << kind)))
		return false;
	if (cycle_reported(prev->class, next, kind))
		return false;
	n = find_strong_path(next, read == 2, prev->class, prev->read != 0,
			     path, kinds, REPORT_MAX_CHAIN - 2);
	if (n >= 0) {
		if (nr_cycle_reports < MAX_CYCLE_REPORTS) {
			cycle_reports[nr_cycle_reports].from = prev->class;
			cycle_reports[nr_cycle_reports].to = next;
			cycle_reports[nr_cycle_reports++].kind = kind;
		}
		report_init(r, REPORT_CYCLE);
		report_printf(r, "CYCLE: possible circular locking dependency "
			      "detected\n"
			      "task %s is trying to take %s (%s) at %s:%d %s()\n"
			      "while holding %s (%s) taken at %s:%d %s()\n"
			      "but %s already depends on %s:\n",
			      t->comm, next->name, read_mode(read), site.file,
			      site.line, site.func, prev->class->name,
			      read_mode(prev->read), prev->site.file,
			      prev->site.line, prev->site.func, next->name,
			      prev->class->name);
		report_add_link(r, t->comm, prev->class->name,
				read_mode(prev->read), prev->site);
		report_add_link(r, t->comm, next->name, read_mode(read), site);
		for (int i = 0; i < n; i++) {
			struct lock_dep *e = path[i];
			const char *from = i ? path[i - 1]->to->name : next->name;

			e->in_cycle = true;
			report_printf(r, "  %s -> %s (%s): task %s took %s at "
				      "%s:%d %s() while holding %s\n", from,
				      e->to->name, dep_kind_names[kinds[i]],
				      e->comm, e->to->name, e->acq_site.file,
				      e->acq_site.line, e->acq_site.func, from);
			report_add_link(r, e->comm, e->to->name,
					dep_kind_names[kinds[i]], e->acq_site);
		}
		return true;
	}
	if (!d) {
		d = calloc(1, sizeof(*d));
		if (!d)
			abort();
		d->to = next;
		d->held_site = prev->site;
		d->acq_site = site;
		snprintf(d->comm, sizeof(d->comm), "%s", t->comm);
		d->next = prev->class->after;
		prev->class->after = d;
		nr_lock_deps++;
	}
	d->kinds |= 1 << kind;
	return false;
}

void lock_acquire(struct lockdep_map *map, unsigned int subclass, int trylock,
		  int read, struct lock_site site)
{
	struct task_struct *t = current;
	struct report r1, r2, r3;	/* recursion, first cycle, more */
	bool rec = false, cyc = false;
	struct lock_class *class;
	struct held_lock *hl;

	if (!(mmlit_hooks & MMLIT_HOOK_LOCKDEP))
		return;
	if (t->lockdep_depth >= MAX_LOCK_DEPTH) {
		WARN_ON_ONCE(1);
		return;
	}
	pthread_mutex_lock(&lockdep_lock);
	class = look_up_class(map, subclass);
	if (!trylock) {
		rec = check_recursion(t, class, map, read, site, &r1);
		for (int i = t->lockdep_depth - 1; i >= 0 && !rec; i--) {
			hl = &t->held_locks[i];
			if (hl->class != class &&
			    add_dependency(t, hl, class, read, site,
					   cyc ? &r3 : &r2))
				cyc = true;
			if (!hl->trylock)
				break;
		}
	}
	hl = &t->held_locks[t->lockdep_depth];
	WRITE_ONCE(hl->instance, map);	/* lock_holders() reads these */
	hl->class = class;
	WRITE_ONCE(hl->read, read);
	hl->trylock = trylock;
	WRITE_ONCE(hl->acquired, true);
	hl->site = site;
	smp_store_release(&t->lockdep_depth, t->lockdep_depth + 1);
	pthread_mutex_unlock(&lockdep_lock);
	mmlit_trace("lock %s (%s) at %s:%d", class->name, read_mode(read),
		    site.file, site.line);
	if (rec)
		report_file(&r1);
	if (cyc)
		report_file(&r2);
}

static struct held_lock *find_held(struct task_struct *t,
				   const struct lockdep_map *map)
{
	for (int i = t->lockdep_depth - 1; i >= 0; i--)
		if (t->held_locks[i].instance == map)
			return &t->held_locks[i];
	return NULL;
}

void lock_contended(struct lockdep_map *map)
{
	struct held_lock *hl;

	if (!(mmlit_hooks & MMLIT_HOOK_LOCKDEP))
		return;
	hl = find_held(current, map);
	if (hl)
		WRITE_ONCE(hl->acquired, false);
}

void lock_acquired(struct lockdep_map *map)
{
	struct held_lock *hl;

	if (!(mmlit_hooks & MMLIT_HOOK_LOCKDEP))
		return;
	hl = find_held(current, map);
	if (hl)
		WRITE_ONCE(hl->acquired, true);
}

void lock_release(struct lockdep_map *map, struct lock_site site)
{
	struct task_struct *t = current;
	struct held_lock *hl;
	int i;

	if (!(mmlit_hooks & MMLIT_HOOK_LOCKDEP))
		return;
	hl = find_held(t, map);
	if (!hl) {
		WARN(1, "bad unlock balance: %s released at %s:%d but not held",
		     map->name, site.file, site.line);
		return;
	}
	mmlit_trace("unlock %s at %s:%d", hl->class->name, site.file,
		    site.line);
	i = hl - t->held_locks;
	memmove(hl, hl + 1, (t->lockdep_depth - i - 1) * sizeof(*hl));
	WRITE_ONCE(t->lockdep_depth, t->lockdep_depth - 1);
}

void lock_sync(struct lockdep_map *map, unsigned int subclass, int read,
	       struct lock_site site)
{
	lock_acquire(map, subclass, 0, read, site);
	lock_release(map, site);
}

bool lock_is_held_type(const struct lockdep_map *map, int read)
{
	struct held_lock *hl = find_held(current, map);

	if (!hl || !hl->acquired)
		return false;
	if (read < 0)
		return true;
	return read ? hl->read != 0 : hl->read == 0;
}

void __lockdep_assert(const struct lockdep_map *map, int read, bool held,
		      struct lock_site site)
{
	struct report r;

	if (!(mmlit_hooks & MMLIT_HOOK_LOCKDEP))
		return;
	if (lock_is_held_type(map, read) == held)
		return;
	report_init(&r, REPORT_ASSERT);
	report_printf(&r, "WARNING: lockdep assertion failed at %s:%d %s(): "
		      "%s %s%s\n", site.file, site.line, site.func, map->name,
		      held ? "not held" : "held",
		      !held ? "" : read == 0 ? " for write" :
		      read == 1 ? " for read" : "");
	report_add_link(&r, current->comm, map->name, held ? "must hold" :
			"must not hold", site);
	report_file(&r);
}

int lockdep_nr_classes(void)
{
	return nr_lock_classes;
}

int lockdep_nr_dependencies(void)
{
	return nr_lock_deps;
}

bool lockdep_has_dependency(const char *from, const char *to)
{
	bool found = false;

	pthread_mutex_lock(&lockdep_lock);
	for (int i = 0; i < nr_lock_classes && !found; i++) {
		if (strcmp(lock_classes[i].name, from))
			continue;
		for (struct lock_dep *d = lock_classes[i].after; d; d = d->next)
			found |= !strcmp(d->to->name, to);
	}
	pthread_mutex_unlock(&lockdep_lock);
	return found;
}

void lockdep_print_held_locks(FILE *f, struct task_struct *t)
{
	fprintf(f, "%d locks held by %s:\n", t->lockdep_depth, t->comm);
	for (int i = 0; i < t->lockdep_depth; i++) {
		struct held_lock *hl = &t->held_locks[i];

		fprintf(f, "  #%d: %s (%s)%s at %s:%d %s()\n", i,
			hl->class->name, read_mode(hl->read),
			hl->acquired ? "" : " waiting", hl->site.file,
			hl->site.line, hl->site.func);
	}
}

static bool class_in_graph(struct lock_class *c)
{
	if (c->after)
		return true;
	for (int i = 0; i < nr_lock_classes; i++)
		if (find_dep(&lock_classes[i], c))
			return true;
	for (int i = 0; i < nr_cycle_reports; i++)
		if (cycle_reports[i].from == c || cycle_reports[i].to == c)
			return true;
	return false;
}

void lockdep_export_dot(FILE *f, const char *title)
{
	pthread_mutex_lock(&lockdep_lock);
	fprintf(f, "digraph lockdep {\n  label=\"%s\";\n  labelloc=t;\n"
		"  node [shape=box, fontname=\"Helvetica\"];\n"
		"  edge [fontname=\"Helvetica\", fontsize=12];\n",
		title ? title : "");
	for (int i = 0; i < nr_lock_classes; i++)
		if (class_in_graph(&lock_classes[i]))
			fprintf(f, "  c%d [label=\"%s\"];\n", i,
				lock_classes[i].name);
	for (int i = 0; i < nr_lock_classes; i++) {
		for (struct lock_dep *d = lock_classes[i].after; d;
		     d = d->next) {
			char label[16] = "";

			for (int k = 0; k < 4; k++)
				if (d->kinds & (1 << k))
					snprintf(label + strlen(label),
						 sizeof(label) - strlen(label),
						 "%s%s", label[0] ? "," : "",
						 dep_kind_names[k]);
			fprintf(f, "  c%d -> c%d [label=\"%s\"%s];\n", i,
				d->to->id, label,
				d->in_cycle ? ", color=red, penwidth=2" : "");
		}
	}
	for (int i = 0; i < nr_cycle_reports; i++)
		fprintf(f, "  c%d -> c%d [label=\"%s (refused)\", color=red, "
			"style=dashed, penwidth=2];\n",
			cycle_reports[i].from->id, cycle_reports[i].to->id,
			dep_kind_names[cycle_reports[i].kind]);
	fprintf(f, "}\n");
	pthread_mutex_unlock(&lockdep_lock);
}
