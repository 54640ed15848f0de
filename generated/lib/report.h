/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/01-shim.nw (chapter 1); do not edit. */
/* report.h: structured reports of what the shim found, and tracing. */
#ifndef MMLIT_REPORT_H
#define MMLIT_REPORT_H

#include "task.h"

enum report_kind {
	REPORT_RECURSION,
	REPORT_CYCLE,
	REPORT_DEADLOCK,
	REPORT_HUNG,
	REPORT_WARN,
	REPORT_ASSERT,
	REPORT_ATOMIC_SLEEP,
	REPORT_LEAK,
	NR_REPORT_KINDS
};

#define REPORT_MAX_CHAIN	16

struct report_link {
	char task[TASK_COMM_LEN];	/* who held it, or who waits */
	char lock[48];			/* lock class, or what is waited on */
	/* "write", "read", "recursive-read", ... */
	const char *mode;
	struct lock_site site;		/* where it was taken */
};

struct report {
	enum report_kind kind;
	char task[TASK_COMM_LEN];
	int nr;
	struct report_link chain[REPORT_MAX_CHAIN];
	char text[2048];
	bool consumed;
};

const char *report_kind_name(enum report_kind kind);
int report_kind_parse(const char *name);	/* kind or -EINVAL */

/* File a report: prints it to stderr (unless quiet) and keeps it. */
void report_file(const struct report *r);
void report_set_quiet(bool quiet);

int report_count(void);				/* all reports filed */
int report_pending(void);			/* not yet consumed */
const struct report *report_get(int i);
/* Consume the oldest pending report of @kind; false when there is none. */
bool report_expect(const char *kind);
bool report_expect_kind(enum report_kind kind);
/* Print the pending reports to @f; returns how many. */
int report_print_pending(FILE *f);
/*
 * Forget the reports filed so far; refused (-EBUSY, every report kept) while
 * one is pending, so a reset cannot hide a report nobody consumed.
 */
int report_reset(void);
/* Forget every report, pending or not: a new test or scenario only. */
void report_discard(void);
/* Called for each report as it is filed (mmsim --trace). */
void report_set_sink(void (*sink)(const struct report *r));

/* Building a report, for the shim's own use. */
void report_init(struct report *r, enum report_kind kind);
void report_printf(struct report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void report_add_link(struct report *r, const char *task, const char *lock,
		     const char *mode, struct lock_site site);

/* Tracing: one line per model event, to a sink (mmsim --trace). */
void mmlit_set_trace(void (*sink)(const char *line));
void __mmlit_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define mmlit_trace(...) do {						\
	if (unlikely(mmlit_hooks & MMLIT_HOOK_TRACE))			\
		__mmlit_trace(__VA_ARGS__);				\
} while (0)

#endif /* MMLIT_REPORT_H */
