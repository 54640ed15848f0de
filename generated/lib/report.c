/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/81-tasks.nw (appendix A); do not edit. */
#include "lockdep.h"
#include <stdarg.h>

#define MAX_REPORTS	64

static const char *const report_kind_names[NR_REPORT_KINDS] = {
	[REPORT_RECURSION]	= "recursion",
	[REPORT_CYCLE]		= "cycle",
	[REPORT_DEADLOCK]	= "deadlock",
	[REPORT_HUNG]		= "hung",
	[REPORT_WARN]		= "warn",
	[REPORT_ASSERT]		= "assert",
	[REPORT_ATOMIC_SLEEP]	= "atomic-sleep",
	[REPORT_LEAK]		= "leak",
};

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static struct report reports[MAX_REPORTS];
static int nr_reports;		/* filed, including dropped ones */
static int nr_consumed;
static bool report_quiet;
static void (*report_sink)(const struct report *r);

const char *report_kind_name(enum report_kind kind)
{
	if ((unsigned int)kind >= NR_REPORT_KINDS)
		return "?";
	return report_kind_names[kind];
}

int report_kind_parse(const char *name)
{
	for (int i = 0; i < NR_REPORT_KINDS; i++)
		if (!strcmp(name, report_kind_names[i]))
			return i;
	return -EINVAL;
}

void report_init(struct report *r, enum report_kind kind)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	snprintf(r->task, sizeof(r->task), "%s", current->comm);
}

void report_printf(struct report *r, const char *fmt, ...)
{
	size_t len = strlen(r->text);
	va_list ap;

	if (len + 1 >= sizeof(r->text))
		return;
	va_start(ap, fmt);
	vsnprintf(r->text + len, sizeof(r->text) - len, fmt, ap);
	va_end(ap);
}

void report_add_link(struct report *r, const char *task, const char *lock,
		     const char *mode, struct lock_site site)
{
	struct report_link *l;

	if (r->nr >= REPORT_MAX_CHAIN)
		return;
	l = &r->chain[r->nr++];
	snprintf(l->task, sizeof(l->task), "%s", task ? task : "");
	snprintf(l->lock, sizeof(l->lock), "%s", lock ? lock : "?");
	l->mode = mode;
	l->site = site;
}

void report_file(const struct report *r)
{
	void (*sink)(const struct report *r);

	pthread_mutex_lock(&report_lock);
	if (nr_reports < MAX_REPORTS) {
		reports[nr_reports] = *r;
		reports[nr_reports].consumed = false;
	}
	WRITE_ONCE(nr_reports, nr_reports + 1);
	sink = report_sink;
	pthread_mutex_unlock(&report_lock);
	if (!report_quiet)
		fprintf(stderr, "%s", r->text);
	if (sink)
		sink(r);
}

void report_set_quiet(bool quiet)
{
	report_quiet = quiet;
}

void report_set_sink(void (*sink)(const struct report *r))
{
	report_sink = sink;
}

int report_count(void)
{
	return READ_ONCE(nr_reports);
}

int report_pending(void)
{
	int n;

	pthread_mutex_lock(&report_lock);
	n = nr_reports - nr_consumed;
	pthread_mutex_unlock(&report_lock);
	return n;
}

const struct report *report_get(int i)
{
	if (i < 0 || i >= min(READ_ONCE(nr_reports), MAX_REPORTS))
		return NULL;
	return &reports[i];
}

bool report_expect_kind(enum report_kind kind)
{
	bool found = false;

	pthread_mutex_lock(&report_lock);
	for (int i = 0; i < min(nr_reports, MAX_REPORTS); i++) {
		if (reports[i].consumed || reports[i].kind != kind)
			continue;
		reports[i].consumed = true;
		nr_consumed++;
		found = true;
		break;
	}
	pthread_mutex_unlock(&report_lock);
	return found;
}

bool report_expect(const char *kind)
{
	int k = report_kind_parse(kind);

	return k >= 0 && report_expect_kind(k);
}

int report_print_pending(FILE *f)
{
	int n = 0;

	pthread_mutex_lock(&report_lock);
	for (int i = 0; i < min(nr_reports, MAX_REPORTS); i++) {
		if (reports[i].consumed)
			continue;
		fprintf(f, "pending report %d (%s):\n%s", i,
			report_kind_name(reports[i].kind), reports[i].text);
		n++;
	}
	if (nr_reports > MAX_REPORTS)
		fprintf(f, "%d more reports were dropped\n",
			nr_reports - MAX_REPORTS);
	pthread_mutex_unlock(&report_lock);
	return n;
}

void report_discard(void)
{
	pthread_mutex_lock(&report_lock);
	nr_reports = 0;
	nr_consumed = 0;
	pthread_mutex_unlock(&report_lock);
}

int report_reset(void)
{
	int ret = 0;

	pthread_mutex_lock(&report_lock);
	if (nr_consumed < nr_reports)
		ret = -EBUSY;
	else
		nr_reports = nr_consumed = 0;
	pthread_mutex_unlock(&report_lock);
	if (ret)
		fprintf(stderr, "report_reset: %d pending report(s) kept\n",
			report_pending());
	return ret;
}

static void report_held_locks(struct report *r, struct task_struct *t)
{
	for (int i = 0; i < t->lockdep_depth; i++) {
		struct held_lock *hl = &t->held_locks[i];

		report_add_link(r, t->comm, hl->instance->name,
				hl->read == 0 ? "write" :
				hl->read == 1 ? "read" : "recursive-read",
				hl->site);
		report_printf(r, "  #%d: %s (%s) taken at %s:%d %s()\n", i,
			      hl->instance->name, r->chain[r->nr - 1].mode,
			      hl->site.file, hl->site.line, hl->site.func);
	}
}

unsigned int warn_once_gen = 1;

void warn_once_rearm(void)
{
	WRITE_ONCE(warn_once_gen, warn_once_gen + 1);
}

void __warn(const char *file, int line, const char *func, const char *cond,
	    const char *fmt, ...)
{
	struct report r;
	va_list ap;

	report_init(&r, REPORT_WARN);
	report_printf(&r, "WARNING: task %s at %s:%d %s(): %s\n",
		      current->comm, file, line, func, cond);
	if (fmt) {
		char msg[256];

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		report_printf(&r, "  %s\n", msg);
	}
	report_add_link(&r, current->comm, cond, "warn",
			(struct lock_site){ file, line, func });
	if (current->lockdep_depth)
		report_printf(&r, "locks held by %s:\n", current->comm);
	report_held_locks(&r, current);
	report_file(&r);
}

void __bug(const char *file, int line, const char *func, const char *cond)
{
	fprintf(stderr, "kernel BUG at %s:%d %s(): %s (task %s)\n",
		file, line, func, cond, current->comm);
	report_print_pending(stderr);
	abort();
}

void __might_sleep(const char *file, int line, const char *func)
{
	struct task_struct *t = current;
	struct report r;

	/* The hung-task rule's sign of life; only the task writes it. */
	__atomic_store_n(&t->progress, t->progress + 1, __ATOMIC_RELAXED);
	if (likely(!t->preempt_count))
		return;
	report_init(&r, REPORT_ATOMIC_SLEEP);
	report_printf(&r, "BUG: sleeping function called from invalid context "
		      "at %s:%d %s()\n  task %s, preempt_count %d\n",
		      file, line, func, t->comm, t->preempt_count);
	report_printf(&r, "locks held by %s:\n", t->comm);
	report_held_locks(&r, t);
	report_file(&r);
}

static void (*trace_sink)(const char *line);

void mmlit_set_trace(void (*sink)(const char *line))
{
	trace_sink = sink;
	if (sink)
		__atomic_or_fetch(&mmlit_hooks, MMLIT_HOOK_TRACE,
				  __ATOMIC_SEQ_CST);
	else
		__atomic_and_fetch(&mmlit_hooks, ~MMLIT_HOOK_TRACE,
				   __ATOMIC_SEQ_CST);
}

void __mmlit_trace(const char *fmt, ...)
{
	void (*sink)(const char *line) = trace_sink;
	char line[256];
	int n;
	va_list ap;

	if (!sink)
		return;
	n = snprintf(line, sizeof(line), "[%s] ", current->comm);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	sink(line);
}
