/* Tangled from src-lit/90-mmsim.nw (appendix F); do not edit. */
/*
 * Check tests of mmsim, the scenario tool. They run the mmsim binary
 * ($MMLIT_MMSIM) from the repository root ($MMLIT_ROOT) and check its
 * exit status and output.
 * Tangled from src-lit/90-mmsim.nw (appendix "The scenario tool").
 */
#define _GNU_SOURCE
#include "ktest.h"
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

struct mm_run {
	int status;		/* exit status, or 128 + the signal */
	char *out;		/* standard output and error */
};

enum mm_limit {
	MM_NONE, MM_FSIZE_2P, MM_NO_UFFD, MM_NO_MEMFD, MM_KILL_FTRUNCATE
};

static const char *mm_root(void)
{
	return ktest_root();
}

static void mm_bin(char *bin)
{
	const char *env = getenv("MMLIT_MMSIM");
	char path[PATH_MAX];

	if (env && *env)
		snprintf(path, sizeof(path), "%s", env);
	else
		snprintf(path, sizeof(path), "%s/build/mmsim", mm_root());
	if (!realpath(path, bin))
		ck_abort_msg("mmsim binary %s: %s (set MMLIT_MMSIM)", path,
			     strerror(errno));
}

static int mm_filter_syscall(unsigned int nr, unsigned int action)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = sizeof(insns) / sizeof(insns[0]),
		.filter = insns,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

static int mm_deny_syscall(unsigned int nr, unsigned int err)
{
	return mm_filter_syscall(nr, SECCOMP_RET_ERRNO | err);
}

static void mm_exec(const char *bin, enum mm_limit limit,
		    const char *const *args, int pfd[2])
{
	const char *argv[32] = { bin };
	struct rlimit fsize = { 2 * 4096, 2 * 4096 };
	int i;

	for (i = 0; args[i] && i < 30; i++)
		argv[i + 1] = args[i];
	dup2(pfd[1], 1);
	dup2(pfd[1], 2);
	close(pfd[0]);
	close(pfd[1]);
	if (chdir(mm_root()))
		_exit(126);
	if (limit == MM_FSIZE_2P && setrlimit(RLIMIT_FSIZE, &fsize))
		_exit(126);
	if (limit == MM_NO_UFFD && mm_deny_syscall(__NR_userfaultfd, EPERM))
		_exit(126);
	if (limit == MM_NO_MEMFD && mm_deny_syscall(__NR_memfd_create, ENOSYS))
		_exit(126);
	if (limit == MM_KILL_FTRUNCATE &&
	    mm_filter_syscall(__NR_ftruncate, SECCOMP_RET_KILL_PROCESS))
		_exit(126);
	execv(bin, (char *const *)argv);
	_exit(127);
}

static void mm_run_mmsim(struct mm_run *r, enum mm_limit limit,
			 const char *const *args)
{
	char bin[PATH_MAX];
	size_t cap = 4096, len = 0;
	int pfd[2], st;
	ssize_t n;
	pid_t pid;

	mm_bin(bin);
	ck_assert_int_eq(pipe(pfd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		mm_exec(bin, limit, args, pfd);
	close(pfd[1]);
	r->out = malloc(cap);
	ck_assert_ptr_nonnull(r->out);
	while ((n = read(pfd[0], r->out + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 2) {
			cap *= 2;
			r->out = realloc(r->out, cap);
			ck_assert_ptr_nonnull(r->out);
		}
	}
	r->out[len] = '\0';
	close(pfd[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#define MM_RUN(r, limit, ...) \
	mm_run_mmsim(r, limit, (const char *const[]){ __VA_ARGS__, NULL })
static void mm_has(const struct mm_run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void mm_lacks(const struct mm_run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void mm_has(const struct mm_run *r, const char *fmt, ...)
{
	char want[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	ck_assert_msg(strstr(r->out, want),
		      "expected \"%s\" in mmsim's output:\n%s",
		      want, r->out);
}

static void mm_lacks(const struct mm_run *r, const char *fmt, ...)
{
	char want[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	ck_assert_msg(!strstr(r->out, want),
		      "did not expect \"%s\" in mmsim's output:\n%s",
		      want, r->out);
}

static void mm_status(const struct mm_run *r, int want, const char *what)
{
	ck_assert_msg(r->status == want,
		      "%s: mmsim exited with %d, expected %d:\n%s",
		      what, r->status, want, r->out);
}

static void mm_detail(const struct mm_run *r, const char *file, int line,
		      const char *detail)
{
	char head[PATH_MAX + 32];
	const char *at, *next;

	snprintf(head, sizeof(head), "  %s:%d: ", file, line);
	at = strstr(r->out, head);
	ck_assert_msg(at, "expected a report of %s:%d in mmsim's output:\n%s",
		      file, line, r->out);
	next = strchr(at, '\n');
	ck_assert_msg(next && strstr(next + 1, detail) &&
		      strstr(next + 1, detail) < strchr(next + 1, '\n') + 1,
		      "expected \"%s\" under %s:%d in mmsim's output:\n%s",
		      detail, file, line, r->out);
}

static void mm_scenario_file(char *path, const char *fmt, ...)
{
	va_list ap;
	FILE *f;
	int fd;

	strcpy(path, "/tmp/mmsim-test-XXXXXX.scn");
	fd = mkstemps(path, 4);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

struct mm_header {
	char verb[16];		/* error, fails, differs */
	int line;
	char text[256];
};

static void mm_header(const char *file, struct mm_header *h)
{
	char path[PATH_MAX], buf[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", mm_root(), file);
	f = fopen(path, "r");
	ck_assert_msg(f, "%s: %s", path, strerror(errno));
	ck_assert_msg(fgets(buf, sizeof(buf), f), "%s is empty", path);
	fclose(f);
	ck_assert_msg(sscanf(buf, "# mmsim-test: %15s at line %d: %255[^\n]",
			     h->verb, &h->line, h->text) == 3,
		      "%s: the first line must be "
		      "'# mmsim-test: VERB at line N: TEXT'", file);
}

static size_t mm_glob(const char *pattern, glob_t *g)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", mm_root(), pattern);
	if (glob(path, 0, NULL, g))
		g->gl_pathc = 0;
	return g->gl_pathc;
}

static const char *mm_rel(const char *path)
{
	size_t n = strlen(mm_root());

	if (strncmp(path, mm_root(), n) || path[n] != '/')
		return path;
	return path + n + 1;
}

static glob_t mm_scenarios, mm_errors;

START_TEST(mmsim_scenarios_exist)
{
	ck_assert_msg(mm_scenarios.gl_pathc > 0, "no %s/tests/scenarios/*.scn",
		      mm_root());
}
END_TEST

START_TEST(mmsim_scenario_passes_diff)
{
	const char *file = mm_rel(mm_scenarios.gl_pathv[_i]);
	struct mm_run r;

	MM_RUN(&r, MM_NONE, "--diff", file);
	ck_assert_msg(r.status == 0, "%s: mmsim --diff exited with %d:\n%s",
		      file, r.status, r.out);
	free(r.out);
}
END_TEST

START_TEST(mmsim_bad_line_is_reported)
{
	const char *bad = mm_rel(mm_errors.gl_pathv[_i]);
	const char *good = "tests/scenarios/mmsim-seek.scn";
	struct mm_header h;
	struct mm_run r;
	const char *at;
	int n = 0;

	mm_header(bad, &h);
	ck_assert_str_eq(h.verb, "error");
	MM_RUN(&r, MM_NONE, "--backend", "kernel", bad, good);
	mm_status(&r, 2, bad);
	mm_has(&r, "%s:%d: error: ", bad, h.line);
	mm_has(&r, "%s", h.text);
	mm_has(&r, "ERROR %s: not run (1 error)", bad);
	mm_has(&r, "PASS (kernel) %s", good);
	mm_has(&r, "mmsim: 1 passed, 0 failed, 0 skipped, 1 not run");
	for (at = r.out; (at = strstr(at, ": error: ")); at++)
		n++;
	ck_assert_msg(n == 1, "%s: %d errors, expected 1:\n%s", bad, n, r.out);
	free(r.out);
}
END_TEST

START_TEST(mmsim_all_errors_of_a_file_are_reported)
{
	const char *bad = "tests/bad/multi-errors.scn";
	struct mm_run r;

	MM_RUN(&r, MM_NONE, "--backend", "kernel", bad);
	mm_status(&r, 2, bad);
	mm_has(&r, "%s:4: error: bad number 'x' for OFFSET", bad);
	mm_has(&r, "%s:6: error: wrong number of arguments to pwrite", bad);
	mm_has(&r, "ERROR %s: not run (2 errors)", bad);
	free(r.out);
}
END_TEST

static void mm_run_failing(struct mm_run *r, const char *file,
			   struct mm_header *h)
{
	mm_header(file, h);
	ck_assert_str_eq(h->verb, "fails");
	MM_RUN(r, MM_NONE, "--backend", "kernel", file);
	mm_status(r, 1, file);
	mm_has(r, "FAIL (kernel) %s", file);
	mm_detail(r, file, h->line, h->text);
}

START_TEST(mmsim_wrong_expectation_fails)
{
	const char *file = "tests/bad/fail-expect.scn";
	struct mm_header h;
	struct mm_run r;

	mm_run_failing(&r, file, &h);
	mm_has(&r, "mmsim: 0 passed, 1 failed, 0 skipped, 0 not run");
	mm_has(&r, "  %s:%d: ftruncate f 1p\n", file, h.line);
	free(r.out);
}
END_TEST

START_TEST(mmsim_aborted_line_fails)
{
	const char *file = "tests/bad/fail-abort.scn";
	struct mm_header h;
	struct mm_run r;

	mm_run_failing(&r, file, &h);
	mm_has(&r, "      kernel: %s", h.text);
	free(r.out);

	MM_RUN(&r, MM_NONE, "--trace", "--backend", "kernel", file);
	mm_status(&r, 1, file);
	mm_lacks(&r, "size f");
	free(r.out);
}
END_TEST

START_TEST(mmsim_diff_reports_a_differing_line)
{
	const char *file = "tests/bad/diff-fsize.scn";
	struct mm_header h;
	struct mm_run r;

	mm_header(file, &h);
	ck_assert_str_eq(h.verb, "differs");
	MM_RUN(&r, MM_NONE, "--diff", file);
	ck_assert_msg(!strstr(r.out, "the model has no memfd yet"),
		      "a difference needs a file on both backends, and "
		      "the model has no memfd yet (chapter 2):\n%s", r.out);
	mm_status(&r, 0, "without a file-size limit");
	mm_has(&r, "PASS (kernel, shim) %s", file);
	free(r.out);

	MM_RUN(&r, MM_FSIZE_2P, "--diff", file);
	mm_status(&r, 1, "under a file-size limit");
	mm_has(&r, "FAIL (kernel, shim) %s", file);
	mm_detail(&r, file, h.line, h.text);
	free(r.out);
}
END_TEST

START_TEST(mmsim_model_only_runs_on_the_shim_alone)
{
	const char *file = "tests/scenarios/mmsim-model-only.scn";
	struct mm_run r;

	MM_RUN(&r, MM_NONE, "--diff", file);
	mm_status(&r, 0, "--diff");
	mm_has(&r, "SKIP (shim-only) %s: passed on the shim; "
	       "line 5 uses expect_report", file);
	mm_has(&r, "mmsim: 0 passed, 0 failed, 1 skipped, 0 not run");
	free(r.out);

	MM_RUN(&r, MM_NONE, "--backend", "kernel", file);
	mm_status(&r, 0, "--backend kernel");
	mm_has(&r, "SKIP (kernel) %s: line 5 uses expect_report, "
	       "which only the model has", file);
	free(r.out);

	MM_RUN(&r, MM_NONE, "--backend", "shim", file);
	mm_status(&r, 0, "--backend shim");
	mm_has(&r, "PASS (shim) %s", file);
	free(r.out);
}
END_TEST

START_TEST(mmsim_model_only_failure_fails_under_diff)
{
	const char *file = "tests/bad/fail-model-only.scn";
	struct mm_header h;
	struct mm_run r;

	mm_header(file, &h);
	MM_RUN(&r, MM_NONE, "--diff", file);
	mm_status(&r, 1, file);
	mm_has(&r, "FAIL (shim) %s", file);
	mm_detail(&r, file, h.line, h.text);
	free(r.out);
}
END_TEST

START_TEST(mmsim_refused_userfaultfd_skips)
{
	const char *file = "tests/scenarios/mmsim-uffd.scn";
	struct mm_run r;

	MM_RUN(&r, MM_NO_UFFD, "--backend", "kernel", file);
	mm_status(&r, 0, "--backend kernel without userfaultfd");
	mm_has(&r, "SKIP (kernel) %s: "
	       "userfaultfd refused by this machine (EPERM)", file);
	mm_has(&r, "mmsim: 0 passed, 0 failed, 1 skipped, 0 not run");
	free(r.out);

	MM_RUN(&r, MM_NO_UFFD, "--diff", file);
	mm_status(&r, 0, "--diff without userfaultfd");
	mm_has(&r, "SKIP (kernel, shim) %s: kernel: "
	       "userfaultfd refused by this machine (EPERM)", file);
	mm_lacks(&r, "PASS");
	free(r.out);
}
END_TEST

/*
 * A failure is never hidden by a later skip (the verdict rules, in order).
 * Checked by letting the skip win in run_one and in run_both: SKIP came.
 */
START_TEST(mmsim_failure_before_a_skip_fails)
{
	const char *file = "tests/bad/fail-before-skip.scn";
	struct mm_run r;

	MM_RUN(&r, MM_NO_UFFD, "--backend", "kernel", file);
	mm_status(&r, 1, "a failed line, then a skip");
	mm_has(&r, "FAIL (kernel) %s", file);
	mm_has(&r, "mmsim: 0 passed, 1 failed, 0 skipped, 0 not run");
	free(r.out);

	MM_RUN(&r, MM_NO_UFFD, "--diff", file);
	mm_status(&r, 1, "--diff: a failed line, then a skip");
	mm_has(&r, "FAIL (kernel, shim) %s", file);
	mm_lacks(&r, "SKIP");
	free(r.out);
}
END_TEST

START_TEST(mmsim_userfaultfd_runs_on_the_shim)
{
	char path[64];
	struct mm_run r;

	mm_scenario_file(path, "uffd u => 0\n");
	MM_RUN(&r, MM_NONE, "--backend", "shim", path);
	unlink(path);
	mm_status(&r, 0, "uffd u => 0");
	mm_has(&r, "PASS (shim) %s", path);
	mm_lacks(&r, "SKIP");
	free(r.out);
}
END_TEST

START_TEST(mmsim_missing_call_skips)
{
	const char *file = "tests/scenarios/mmsim-seek.scn";
	char path[64];
	struct mm_run r;

	MM_RUN(&r, MM_NO_MEMFD, "--backend", "kernel", file);
	mm_status(&r, 0, "--backend kernel without memfd_create");
	mm_has(&r, "SKIP (kernel) %s: "
	       "this kernel has no memfd (ENOSYS at line 3)", file);
	mm_has(&r, "mmsim: 0 passed, 0 failed, 1 skipped, 0 not run");
	free(r.out);

	mm_scenario_file(path, "memfd f\nsize f => ENOSYS\n");
	MM_RUN(&r, MM_NONE, "--backend", "kernel", path);
	unlink(path);
	mm_status(&r, 2, "=> ENOSYS");
	mm_has(&r, "%s:2: error: ENOSYS is not a result", path);
	free(r.out);
}
END_TEST

static void mm_listed_names_are_accepted(const char *option,
					 const char *line_fmt,
					 int two_words)
{
	char a[128], b[128], path[64];
	struct mm_run r, one;
	char *line, *save;
	int n;

	MM_RUN(&r, MM_NONE, option);
	mm_status(&r, 0, option);
	for (line = strtok_r(r.out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		n = sscanf(line, "%127s %127s", a, b);
		ck_assert_msg(n >= (two_words ? 2 : 1), "%s: bad line '%s'",
			      option, line);
		mm_scenario_file(path, line_fmt, a, b);
		MM_RUN(&one, MM_NONE, "--backend", "shim", path);
		unlink(path);
		mm_status(&one, 0, line);
		mm_has(&one, "PASS (shim) %s", path);
		free(one.out);
	}
	free(r.out);
}

static int mm_count;

static void mm_count_variant(const char *area, const char *name,
			     const char *desc, bool is_current)
{
	mm_count++;
}

static void mm_count_site(const char *name, const char *desc)
{
	mm_count++;
}

static int mm_model_variants(void)
{
	mm_count = 0;
	variant_for_each(mm_count_variant);
	return mm_count;
}

static int mm_model_sites(void)
{
	mm_count = 0;
	fault_site_for_each(mm_count_site);
	return mm_count;
}

static int mm_lines(const char *out)
{
	int n = 0;

	for (; *out; out++)
		n += *out == '\n';
	return n;
}

static void mm_check_listing(const char *option, int model_count,
			     const char *line_fmt, int two_words,
			     const char *unlisted_line,
			     const char *unlisted_error)
{
	char path[64];
	struct mm_run r;

	MM_RUN(&r, MM_NONE, option);
	mm_status(&r, 0, option);
	ck_assert_msg(mm_lines(r.out) == model_count,
		      "%s listed %d lines, the model has %d:\n%s",
		      option, mm_lines(r.out), model_count, r.out);
	free(r.out);
	mm_listed_names_are_accepted(option, line_fmt, two_words);

	mm_scenario_file(path, "%s\n", unlisted_line);
	MM_RUN(&r, MM_NONE, "--backend", "shim", path);
	unlink(path);
	mm_status(&r, 2, unlisted_line);
	mm_has(&r, "%s:1: error: %s", path, unlisted_error);
	free(r.out);
}

START_TEST(mmsim_variants_are_listed)
{
	mm_check_listing("--variants", mm_model_variants(),
			 "variant %s %s => 0\n", 1,
			 "variant mmsim_no_such_area before",
			 "unknown variant area 'mmsim_no_such_area'");
}
END_TEST

START_TEST(mmsim_sites_are_listed)
{
	mm_check_listing("--sites", mm_model_sites(),
			 "inject %s 1000000 => 0\n", 0,
			 "inject mmsim_no_such_site 1",
			 "unknown injection site 'mmsim_no_such_site'");
}
END_TEST

START_TEST(mmsim_trace_shows_lines_results_and_events)
{
	const char *file = "tests/scenarios/mmsim-seek.scn";
	struct mm_run r;

	MM_RUN(&r, MM_NONE, "--trace", "--backend", "shim", file);
	mm_status(&r, 0, "--trace --backend shim");
	mm_has(&r, "[shim] %s:3: memfd f\n", file);
	if (strstr(r.out, "the model has no memfd yet")) {
		mm_has(&r, "[shim] %s:3: memfd f\n        => skipped\n", file);
	} else {
		mm_has(&r, "[shim] %s:4: ftruncate f 8p\n", file);
		mm_has(&r, "\n        => 0\n");
		mm_has(&r, "\n        | ");
	}
	free(r.out);

	MM_RUN(&r, MM_NONE, "--trace", "--backend", "kernel", file);
	mm_status(&r, 0, "--trace --backend kernel");
	mm_has(&r, "[kernel] %s:4: ftruncate f 8p\n        => 0\n", file);
	mm_lacks(&r, "\n        | ");
	free(r.out);
}
END_TEST

START_TEST(mmsim_input_that_is_not_text)
{
	const char *good = "tests/scenarios/mmsim-seek.scn";
	struct mm_run r;

	MM_RUN(&r, MM_NONE, "tests", "/dev/zero", good);
	mm_status(&r, 2, "a directory and /dev/zero");
	mm_has(&r, "tests:1: error: cannot read: Is a directory");
	mm_has(&r, "ERROR tests: not run (1 error)");
	mm_has(&r, "/dev/zero:1: error: line longer than 4096 bytes");
	mm_has(&r, "ERROR /dev/zero: not run (1 error)");
	mm_has(&r, "PASS (shim) %s", good);
	mm_has(&r, "mmsim: 1 passed, 0 failed, 0 skipped, 2 not run");
	free(r.out);
}
END_TEST

START_TEST(mmsim_crash_spares_the_other_files)
{
	const char *first = "tests/scenarios/sf2-seal-seal.scn";
	const char *dies = "tests/bad/fail-expect.scn";
	const char *last = "tests/scenarios/sf2-seal-seal.scn";	/* again */
	struct mm_run r;

	MM_RUN(&r, MM_KILL_FTRUNCATE, "--backend", "kernel", first, dies, last);
	mm_status(&r, 1, "a crash in the middle file");
	mm_has(&r, "FAIL (mmsim) %s: crashed: killed by signal %d", dies,
	       SIGSYS);
	mm_has(&r, "mmsim: 2 passed, 1 failed, 0 skipped, 0 not run");
	mm_lacks(&r, "FAIL (kernel) %s", dies);
	free(r.out);
}
END_TEST

START_TEST(mmsim_usage_errors)
{
	const char *good = "tests/scenarios/mmsim-seek.scn";
	struct mm_run r;

	MM_RUN(&r, MM_NONE, "--trace");
	mm_status(&r, 2, "no file");
	mm_has(&r, "usage: mmsim");
	free(r.out);

	MM_RUN(&r, MM_NONE, "--backend", "nosuch", good);
	mm_status(&r, 2, "unknown backend");
	mm_has(&r, "unknown backend 'nosuch': expected shim or kernel");
	free(r.out);

	MM_RUN(&r, MM_NONE, "--diff", "--backend", "kernel", good);
	mm_status(&r, 2, "--diff with --backend");
	free(r.out);

	MM_RUN(&r, MM_NONE, "--no-such-option", good);
	mm_status(&r, 2, "unknown option");
	free(r.out);

	MM_RUN(&r, MM_NONE, "--backend", "kernel",
	       "tests/scenarios/no-such-file.scn", good);
	mm_status(&r, 2, "a missing file");
	mm_has(&r, "tests/scenarios/no-such-file.scn: error: cannot open");
	mm_has(&r, "PASS (kernel) %s", good);
	free(r.out);

	MM_RUN(&r, MM_NONE, "--help");
	mm_status(&r, 0, "--help");
	mm_has(&r, "  uffd_continue U M OFFSET LEN");
	mm_has(&r, "  freeze F");
	free(r.out);
}
END_TEST

static Suite *mmsim_suite(void)
{
	Suite *s = suite_create("mmsim");
	TCase *files = ktest_tcase("scenarios");
	TCase *tool = ktest_tcase("tool");

	mm_glob("tests/scenarios/*.scn", &mm_scenarios);
	mm_glob("tests/bad/err-*.scn", &mm_errors);

	tcase_add_test(files, mmsim_scenarios_exist);
	tcase_add_loop_test(files, mmsim_scenario_passes_diff, 0,
			    mm_scenarios.gl_pathc);
	tcase_set_timeout(files, 60);
	suite_add_tcase(s, files);

	tcase_add_loop_test(tool, mmsim_bad_line_is_reported, 0,
			    mm_errors.gl_pathc);
	tcase_add_test(tool, mmsim_all_errors_of_a_file_are_reported);
	tcase_add_test(tool, mmsim_wrong_expectation_fails);
	tcase_add_test(tool, mmsim_aborted_line_fails);
	tcase_add_test(tool, mmsim_diff_reports_a_differing_line);
	tcase_add_test(tool, mmsim_model_only_runs_on_the_shim_alone);
	tcase_add_test(tool, mmsim_model_only_failure_fails_under_diff);
	tcase_add_test(tool, mmsim_refused_userfaultfd_skips);
	tcase_add_test(tool, mmsim_userfaultfd_runs_on_the_shim);
	tcase_add_test(tool, mmsim_failure_before_a_skip_fails);
	tcase_add_test(tool, mmsim_missing_call_skips);
	tcase_add_test(tool, mmsim_variants_are_listed);
	tcase_add_test(tool, mmsim_sites_are_listed);
	tcase_add_test(tool, mmsim_trace_shows_lines_results_and_events);
	tcase_add_test(tool, mmsim_usage_errors);
	tcase_add_test(tool, mmsim_input_that_is_not_text);
	tcase_add_test(tool, mmsim_crash_spares_the_other_files);
	tcase_set_timeout(tool, 120);
	suite_add_tcase(s, tool);
	return s;
}
KTEST_SUITE(mmsim_suite)
