/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/01-shim.nw (chapter 1); do not edit. */
#include "ktest.h"
#include <stdarg.h>
#include <sys/wait.h>
#include <unistd.h>

static struct ktest_suite *ktest_suites;

void ktest_register(struct ktest_suite *s)
{
	struct ktest_suite **p = &ktest_suites;

	while (*p && strcmp((*p)->name, s->name) < 0)
		p = &(*p)->next;
	s->next = *p;
	*p = s;
}

void ktest_setup(void)
{
	report_discard();
	warn_once_rearm();
	lockdep_set_enabled(true);
	variant_reset_all();
	fault_inject_reset();
	lockdep_reset();
	tasks_reap_stuck();
	mmlit_process_reset();
}

void ktest_teardown(void)
{
	int left = tasks_join_left();
	int n = report_pending();

	if (left)
		fprintf(stderr, "the test left %d task(s) unjoined\n", left);
	if (n) {
		const struct report *r = report_get(report_count() - n);

		report_print_pending(stderr);
		ck_abort_msg("%d unexpected report(s); the first: %s", n,
			     r ? report_kind_name(r->kind) : "?");
	}
}

int ktest_run_alone(const TTest *test)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		Suite *s = suite_create("alone");
		TCase *tc = ktest_tcase("alone");
		SRunner *sr;

		if (!freopen("/dev/null", "w", stderr))
			_exit(127);
		/* the parent's logs: reopening them here would truncate them */
		unsetenv("CK_XML_LOG_FILE_NAME");
		unsetenv("CK_LOG_FILE_NAME");
		unsetenv("CK_TAP_LOG_FILE_NAME");
		unsetenv("CK_INCLUDE_TAGS");
		unsetenv("CK_EXCLUDE_TAGS");
		tcase_add_test(tc, test);
		suite_add_tcase(s, tc);
		sr = srunner_create(s);
		srunner_set_fork_status(sr, CK_NOFORK);
		/* named, so that CK_RUN_SUITE and CK_RUN_CASE cannot skip it */
		srunner_run(sr, "alone", "alone", CK_SILENT);
		if (srunner_ntests_run(sr) != 1)
			_exit(126);
		_exit(srunner_ntests_failed(sr));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TCase *ktest_tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
	tcase_set_timeout(tc, 60);
	return tc;
}

const char *ktest_root(void)
{
	const char *root = getenv("MMLIT_ROOT");

	return root && *root ? root : ".";
}

int ktest_system(const char *fmt, ...)
{
	char cmd[2048];
	int n, status;
	va_list ap;

	n = snprintf(cmd, sizeof(cmd), "cd '%s' && ", ktest_root());
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - n, fmt, ap);
	va_end(ap);
	status = system(cmd);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

START_TEST(generated_is_fresh)
{
	ck_assert_msg(ktest_system("tools/check-generated") == 0,
		      "generated/ differs from what src-lit/ tangles to: "
		      "run make, review, commit");
}
END_TEST

START_TEST(claims_are_traceable)
{
	ck_assert_msg(ktest_system("tools/claims --check") == 0,
		      "a claim without a test, or a test naming an undeclared "
		      "claim (tools/claims --check)");
}
END_TEST

static Suite *book_suite(void)
{
	Suite *s = suite_create("book");
	TCase *tc = ktest_tcase("book");

	tcase_add_test(tc, generated_is_fresh);
	tcase_add_test(tc, claims_are_traceable);
	suite_add_tcase(s, tc);
	return s;
}
KTEST_SUITE(book_suite)

static struct ktest_figure *ktest_figures;

void ktest_register_figure(struct ktest_figure *f)
{
	f->next = ktest_figures;
	ktest_figures = f;
}

static struct ktest_figure *the_figure;

/* A figure runs as a Check test, so that its assertions work. */
START_TEST(draw_figure)
{
	the_figure->fn();
	fflush(stdout);
}
END_TEST

static int run_figure(const char *name)
{
	for (struct ktest_figure *f = ktest_figures; f; f = f->next) {
		Suite *s = suite_create("figure");
		TCase *tc = tcase_create("figure");
		SRunner *sr;
		int failed;

		if (strcmp(f->name, name))
			continue;
		the_figure = f;
		report_set_quiet(true);
		tcase_add_unchecked_fixture(tc, ktest_setup, NULL);
		tcase_add_test(tc, draw_figure);
		suite_add_tcase(s, tc);
		sr = srunner_create(s);
		srunner_set_fork_status(sr, CK_NOFORK);
		srunner_run_all(sr, CK_SILENT);
		failed = srunner_ntests_failed(sr);
		srunner_free(sr);
		if (failed)
			fprintf(stderr, "mmlit-tests: figure %s failed\n",
				name);
		return failed ? 1 : 0;
	}
	fprintf(stderr, "mmlit-tests: no figure named %s; there are:", name);
	for (struct ktest_figure *f = ktest_figures; f; f = f->next)
		fprintf(stderr, " %s", f->name);
	fprintf(stderr, "\n");
	return 2;
}

int main(int argc, char **argv)
{
	SRunner *sr = NULL;
	int failed;

	if (argc == 3 && !strcmp(argv[1], "--figure"))
		return run_figure(argv[2]);
	if (argc != 1) {
		fprintf(stderr, "usage: mmlit-tests [--figure NAME]\n"
			"  (CK_RUN_SUITE, CK_RUN_CASE, CK_FORK select "
			"tests)\n");
		return 2;
	}

	for (struct ktest_suite *k = ktest_suites; k; k = k->next) {
		if (!sr)
			sr = srunner_create(k->make());
		else
			srunner_add_suite(sr, k->make());
	}
	if (!sr)
		return 1;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
