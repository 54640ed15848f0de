/* Tangled from src-lit/90-mmsim.nw (appendix F); do not edit. */
/*
 * mmsim: run scenario files against the model, the kernel, or both.
 * Tangled from src-lit/90-mmsim.nw (appendix "The scenario tool").
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "mmsim.h"

static void usage(FILE *f)
{
	const struct mmsim_op *op;
	char buf[160];

	fprintf(f, "usage: mmsim [--backend shim|kernel] [--diff] [--trace] "
		   "FILE.scn...\n"
		   "       mmsim --variants | --sites | --help\n"
		   "exit status: 0 all passed or skipped, "
		   "1 a scenario failed or differed,\n"
		   "             2 a usage error or a file that could not "
		   "be read or parsed\n"
		   "operations:\n");
	for (op = mmsim_ops; op->name; op++) {
		mmsim_usage_of(op, buf, sizeof(buf));
		fprintf(f, "  %-44s%s\n", buf,
			op->flags & MMSIM_OP_MODEL_ONLY ? "(model only)" : "");
	}
}

static void crash_verdict(const char *file, int st)
{
	if (WIFSIGNALED(st))
		printf("FAIL (mmsim) %s: crashed: killed by signal %d (%s)\n",
		       file, WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		printf("FAIL (mmsim) %s: crashed: exit status %d "
		       "without a verdict\n",
		       file, WEXITSTATUS(st));
	fflush(stdout);
	mmsim_tally.fail++;
}

static int run_file_in_child(const char *file, const struct mmsim_opts *o)
{
	struct mmsim_tally t;
	int pfd[2], st, ret;
	ssize_t n;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	if (pipe(pfd))
		return mmsim_run_file(file, o);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return mmsim_run_file(file, o);
	}
	if (!pid) {
		close(pfd[0]);
		memset(&mmsim_tally, 0, sizeof(mmsim_tally));
		ret = mmsim_run_file(file, o);
		fflush(stdout);
		fflush(stderr);
		n = write(pfd[1], &mmsim_tally, sizeof(mmsim_tally));
		_exit(n == sizeof(mmsim_tally) ? ret : 3);
	}
	close(pfd[1]);
	n = read(pfd[0], &t, sizeof(t));
	close(pfd[0]);
	while (waitpid(pid, &st, 0) < 0)
		;
	if (n != sizeof(t) || !WIFEXITED(st) || WEXITSTATUS(st) > 2) {
		crash_verdict(file, st);
		return 1;
	}
	mmsim_tally.pass += t.pass;
	mmsim_tally.fail += t.fail;
	mmsim_tally.skip += t.skip;
	mmsim_tally.error += t.error;
	return WEXITSTATUS(st);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "backend",	required_argument,	NULL, 'b' },
		{ "diff",	no_argument,		NULL, 'd' },
		{ "trace",	no_argument,		NULL, 't' },
		{ "variants",	no_argument,		NULL, 'v' },
		{ "sites",	no_argument,		NULL, 's' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL }
	};
	struct mmsim_opts o = { .backend = MMSIM_SHIM };
	int c, i, status = 0, listed = 0, backend_given = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mmsim_ops_init(stderr))
		return 2;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'b':
			backend_given = 1;
			if (!strcmp(optarg, "kernel")) {
				o.backend = MMSIM_KERNEL;
			} else if (!strcmp(optarg, "shim")) {
				o.backend = MMSIM_SHIM;
			} else {
				fprintf(stderr, "mmsim: error: unknown backend '%s': "
					"expected shim or kernel\n",
					optarg);
				return 2;
			}
			break;
		case 'd':
			o.diff = 1;
			break;
		case 't':
			o.trace = 1;
			break;
		case 'v':
			mmsim_shim_list_variants(stdout);
			listed = 1;
			break;
		case 's':
			mmsim_shim_list_sites(stdout);
			listed = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (o.diff && backend_given) {
		fprintf(stderr, "mmsim: error: --diff runs both backends: "
			"expected no --backend with it\n");
		return 2;
	}
	if (optind == argc) {
		if (listed)
			return 0;
		usage(stderr);
		return 2;
	}
	if (o.diff || o.backend == MMSIM_KERNEL) {
		char why[160];

		if (!mmsim_kernel_backend.host_ok(why, sizeof(why))) {
			fprintf(stderr, "mmsim: error: kernel backend: %s\n", why);
			return 2;
		}
	}
	for (i = optind; i < argc; i++) {
		int ret = run_file_in_child(argv[i], &o);

		if (ret > status)
			status = ret;
	}
	printf("mmsim: %d passed, %d failed, %d skipped, %d not run\n",
	       mmsim_tally.pass, mmsim_tally.fail, mmsim_tally.skip,
	       mmsim_tally.error);
	return status;
}
