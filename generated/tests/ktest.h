/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/01-shim.nw (chapter 1); do not edit. */
/* ktest.h: how mmlit's Check suites register and what every test shares. */
#ifndef MMLIT_KTEST_H
#define MMLIT_KTEST_H

#include <check.h>
#include "mmlit.h"

struct ktest_suite {
	const char *name;
	Suite *(*make)(void);
	struct ktest_suite *next;
};

void ktest_register(struct ktest_suite *s);
#define KTEST_SUITE(fn)							\
	static struct ktest_suite fn##_entry = { #fn, fn, NULL };	\
	__attribute__((constructor)) static void fn##_register(void)	\
	{ ktest_register(&fn##_entry); }

/* A test case with the shim fixture and the suite's timeout. */
TCase *ktest_tcase(const char *name);
void ktest_setup(void);
void ktest_teardown(void);
/*
 * Run @test alone under the fixture, in a child process with a runner of
 * its own; returns how many tests failed (0 or 1), or -1. For tests of the
 * fixture: a body that must fail its test.
 */
int ktest_run_alone(const TTest *test);

#define ck_assert_report(kind)						\
	ck_assert_msg(report_expect(kind), "expected a %s report", kind)

/*
 * A figure made by a run: [[mmlit-tests --figure NAME]] runs @fn in a
 * fresh model and @fn writes Graphviz (or LaTeX) to stdout. The book's
 * figures/NAME.dot.gen files call it, so the figure is the code's truth.
 */
struct ktest_figure {
	const char *name;
	void (*fn)(void);
	struct ktest_figure *next;
};
void ktest_register_figure(struct ktest_figure *f);
#define KTEST_FIGURE(fname, fn)						\
	static struct ktest_figure fn##_figure = { fname, fn, NULL };	\
	__attribute__((constructor)) static void fn##_figure_register(void) \
	{ ktest_register_figure(&fn##_figure); }

/* The root of the source tree ($MMLIT_ROOT, else "."). */
const char *ktest_root(void);
/* Run a shell command from the root; its exit status (or -1). */
int ktest_system(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* MMLIT_KTEST_H */
