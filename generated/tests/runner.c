/* SPDX-License-Identifier: GPL-2.0 */
#include "ktest.h"
#include <stdarg.h>
#include <sys/wait.h>

static struct ktest_suite *suites;

void ktest_register(struct ktest_suite *s)
{
	struct ktest_suite **p = &suites;

	while (*p && strcmp((*p)->name, s->name) < 0)
		p = &(*p)->next;
	s->next = *p;
	*p = s;
}

void ktest_setup(void)
{
	report_reset();
	lockdep_set_enabled(true);
	variant_reset_all();
	fault_inject_reset();
	mmlit_process_reset();
	lockdep_reset();
	tasks_reap_stuck();
}

void ktest_teardown(void)
{
	int n = report_pending();

	if (n) {
		report_print_pending(stderr);
		ck_abort_msg("%d unexpected report(s); the first: %s", n,
			     report_get(report_count() - n) ?
			     report_kind_name(report_get(report_count() - n)->kind) :
			     "?");
	}
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

int main(void)
{
	SRunner *sr = NULL;
	int failed;

	for (struct ktest_suite *k = suites; k; k = k->next) {
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
