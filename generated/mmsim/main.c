/*
 * mmsim: run scenario files against the model, the kernel, or both.
 * Tangled from src-lit/90-mmsim.nw (appendix "The scenario tool").
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mmsim.h"

static void usage(FILE *f)
{
	const struct mmsim_op *op;
	char buf[160];

	fprintf(f, "usage: mmsim [--backend shim|kernel] [--diff] [--trace] FILE.scn...\n"
		   "       mmsim --variants | --sites | --help\n"
		   "exit status: 0 all passed or skipped, 1 a scenario failed or differed,\n"
		   "             2 a usage error or a file that could not be read or parsed\n"
		   "operations:\n");
	for (op = mmsim_ops; op->name; op++) {
		mmsim_usage_of(op, buf, sizeof(buf));
		fprintf(f, "  %-44s%s\n", buf,
			op->flags & MMSIM_OP_MODEL_ONLY ? "(model only)" : "");
	}
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
				fprintf(stderr, "mmsim: error: unknown backend '%s': expected shim or kernel\n",
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
		int ret = mmsim_run_file(argv[i], &o);

		if (ret > status)
			status = ret;
	}
	printf("mmsim: %d passed, %d failed, %d skipped, %d not run\n",
	       mmsim_tally.pass, mmsim_tally.fail, mmsim_tally.skip, mmsim_tally.error);
	return status;
}
