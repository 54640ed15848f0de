/* Tangled from src-lit/90-mmsim.nw (appendix F); do not edit. */
/*
 * mmsim: running scenarios on one backend or on both, checking the
 * expectations, comparing the backends, and printing verdicts.
 * Tangled from src-lit/90-mmsim.nw (appendix "The scenario tool").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "mmsim.h"

/* 16 TiB: where mappings are laid out */
#define MMSIM_MAP_BASE	(1UL << 44)

struct mmsim_tally mmsim_tally;

struct run {
	const struct mmsim_scenario *s;
	const struct mmsim_opts *o;
	enum mmsim_backend_id id;
	const struct mmsim_backend *be;
	struct mmsim_ctx ctx;
	struct mmsim_result *res;
	int cur;			/* the line running */
	int skipped, aborted;
	int problems;			/* found by the backend's finish() */
	char *notes;			/* what finish() printed */
	size_t notes_len;
};

static void trace_event(const char *line)
{
	printf("        | %s\n", line);
}

static int run_lines(void *data)
{
	struct run *run = data;
	const struct mmsim_scenario *s = run->s;
	char buf[128];
	int i;

	for (i = 0; i < s->nlines; i++) {
		const struct mmsim_line *l = &s->lines[i];
		struct mmsim_result *r = &run->res[i];

		run->cur = i;
		if (run->o->trace)
			printf("[%s] %s:%d: %s\n", run->be->name, s->file,
			       l->lineno, l->text);
		l->op->method[run->id](&run->ctx, l, r);
		if (r->type == MMSIM_R_ERRNO && r->val == ENOSYS)
			mmsim_skip(&run->ctx, r,
				   "%s has no %s%s (ENOSYS at line %d)",
				   run->id == MMSIM_SHIM ?
				   "the model" : "this kernel", l->op->name,
				   run->id == MMSIM_SHIM ? " yet" : "",
				   l->lineno);
		if (run->o->trace) {
			mmsim_format(r, buf, sizeof(buf));
			printf("        => %s\n", buf);
		}
		if (r->type == MMSIM_R_SKIP) {
			run->skipped = 1;
			break;
		}
		if (r->type == MMSIM_R_ABORT) {
			run->aborted = 1;
			break;
		}
	}
	run->cur = i;
	return 0;
}

static void run_backend(struct run *run)
{
	const struct mmsim_scenario *s = run->s;
	struct mmsim_ctx *c = &run->ctx;
	int i;

	run->be = mmsim_backends[run->id];
	run->res = calloc(s->nlines + 1, sizeof(*run->res));
	c->be = run->be;
	c->nobj = s->nnames;
	c->obj = calloc(s->nnames + 1, sizeof(*c->obj));
	c->next_addr = MMSIM_MAP_BASE;
	c->out = open_memstream(&run->notes, &run->notes_len);
	if (!run->res || !c->obj || !c->out) {
		fprintf(stderr, "mmsim: out of memory\n");
		exit(2);
	}
	for (i = 0; i < s->nnames; i++) {
		c->obj[i].kind = s->names[i].kind;
		c->obj[i].name = s->names[i].name;
		c->obj[i].h = s->names[i].kind == MMSIM_MAP ? 0 : -1;
	}
	if (run->be->start(c) < 0) {
		run->skipped = 1;
		goto out;
	}
	if (run->o->trace && run->be->set_trace)
		run->be->set_trace(trace_event);
	if (run->be->run(c, run_lines, run) < 0) {
		run->aborted = 1;
		if (run->cur < s->nlines &&
		    run->res[run->cur].type == MMSIM_R_NONE)
			run->res[run->cur].type = MMSIM_R_ABORT;
	}
	if (run->o->trace && run->be->set_trace)
		run->be->set_trace(NULL);
	run->problems = run->be->finish(c, run->aborted);
out:
	fclose(c->out);
}

static void run_free(struct run *run)
{
	free(run->res);
	free(run->ctx.obj);
	free(run->notes);
}

static void print_line(FILE *out, const struct mmsim_scenario *s,
		       const struct mmsim_line *l)
{
	fprintf(out, "  %s:%d: %s\n", s->file, l->lineno, l->text);
}

static int check_expectations(struct run *run, FILE *out)
{
	const struct mmsim_scenario *s = run->s;
	char want[128], got[128];
	int i, bad = 0;

	for (i = 0; i < s->nlines; i++) {
		const struct mmsim_line *l = &s->lines[i];
		const struct mmsim_result *r = &run->res[i];

		if (r->type == MMSIM_R_ABORT) {
			print_line(out, s, l);
			fprintf(out, "      %s: aborted: %s\n", run->be->name,
				run->ctx.why);
			bad++;
			continue;
		}
		if (!l->has_expect || r->type == MMSIM_R_NONE ||
		    r->type == MMSIM_R_SKIP)
			continue;
		if (mmsim_same(r, &l->expect))
			continue;
		mmsim_format(&l->expect, want, sizeof(want));
		mmsim_format(r, got, sizeof(got));
		print_line(out, s, l);
		fprintf(out, "      %s: expected %s, got %s\n", run->be->name,
			want, got);
		bad++;
	}
	return bad;
}

static int ran(const struct mmsim_result *r)
{
	return r->type != MMSIM_R_NONE && r->type != MMSIM_R_SKIP &&
	       r->type != MMSIM_R_ABORT;
}

static int compare_runs(const struct run *k, const struct run *m, FILE *out)
{
	const struct mmsim_scenario *s = k->s;
	char a[128], b[128];
	int i, bad = 0;

	for (i = 0; i < s->nlines; i++) {
		if (!ran(&k->res[i]) || !ran(&m->res[i]))
			continue;
		if (mmsim_same(&k->res[i], &m->res[i]))
			continue;
		mmsim_format(&k->res[i], a, sizeof(a));
		mmsim_format(&m->res[i], b, sizeof(b));
		print_line(out, s, &s->lines[i]);
		fprintf(out, "      differs: %s %s, %s %s\n",
			k->be->name, a, m->be->name, b);
		bad++;
	}
	return bad;
}

static void verdict(const char *what, const char *who, const char *file,
		    const char *why, FILE *details)
{
	if (why)
		printf("%s (%s) %s: %s\n", what, who, file, why);
	else
		printf("%s (%s) %s\n", what, who, file);
	if (details)
		fflush(details);
}

static void model_only_reason(const struct mmsim_scenario *s, char *buf,
			      size_t n)
{
	int i;

	for (i = 0; i < s->nlines; i++) {
		if (s->lines[i].lineno == s->model_only)
			break;
	}
	snprintf(buf, n, "line %d uses %s, which only the model has",
		 s->model_only, s->lines[i].op->name);
}

static int finish_file(const char *what, const char *who, const char *file,
		       const char *why, char *details, struct run *runs,
		       int nruns)
{
	int i;

	verdict(what, who, file, why, NULL);
	fputs(details, stdout);
	for (i = 0; i < nruns; i++) {
		if (runs[i].notes_len)
			fputs(runs[i].notes, stdout);
	}
	fflush(stdout);
	if (!strcmp(what, "FAIL")) {
		mmsim_tally.fail++;
		return 1;
	}
	if (!strcmp(what, "SKIP"))
		mmsim_tally.skip++;
	else
		mmsim_tally.pass++;
	return 0;
}

static int run_one(const struct mmsim_scenario *s, const struct mmsim_opts *o,
		   enum mmsim_backend_id id, int shim_only)
{
	struct run run = { .s = s, .o = o, .id = id };
	const char *name = mmsim_backends[id]->name;
	char *details = NULL, why[640], reason[160] = "";
	size_t len = 0;
	FILE *out;
	int bad, ret;

	if (s->model_only)
		model_only_reason(s, reason, sizeof(reason));
	if (id == MMSIM_KERNEL && s->model_only)
		return finish_file("SKIP", name, s->file, reason, "", NULL, 0);
	out = open_memstream(&details, &len);
	if (!out)
		exit(2);
	run_backend(&run);
	bad = check_expectations(&run, out) + run.problems;
	fclose(out);
	if (shim_only && !bad) {
		if (run.skipped)
			snprintf(why, sizeof(why), "shim: %s; %s", run.ctx.why,
				 reason);
		else
			snprintf(why, sizeof(why), "passed on the shim; %s",
				 reason);
		ret = finish_file("SKIP", "shim-only", s->file, why, details,
				  &run, 1);
	} else if (bad) {
		ret = finish_file("FAIL", name, s->file, NULL, details,
				  &run, 1);
	} else if (run.skipped) {
		ret = finish_file("SKIP", name, s->file, run.ctx.why, details,
				  &run, 1);
	} else {
		ret = finish_file("PASS", name, s->file, NULL, details,
				  &run, 1);
	}
	free(details);
	run_free(&run);
	return ret;
}

static int run_both(const struct mmsim_scenario *s, const struct mmsim_opts *o)
{
	struct run runs[2] = {
		{ .s = s, .o = o, .id = MMSIM_KERNEL },
		{ .s = s, .o = o, .id = MMSIM_SHIM },
	};
	struct run *k = &runs[0], *m = &runs[1];
	char *details = NULL, why[640];
	size_t len = 0;
	FILE *out;
	int bad, ret;

	if (s->model_only)
		return run_one(s, o, MMSIM_SHIM, 1);
	out = open_memstream(&details, &len);
	if (!out)
		exit(2);
	run_backend(k);
	run_backend(m);
	bad = check_expectations(k, out) + check_expectations(m, out) +
	      compare_runs(k, m, out) + k->problems + m->problems;
	fclose(out);
	if (bad) {
		ret = finish_file("FAIL", "kernel, shim", s->file, NULL,
				  details, runs, 2);
	} else if (k->skipped || m->skipped) {
		snprintf(why, sizeof(why), "%s%s%s%s%s",
			 k->skipped ? "kernel: " : "",
			 k->skipped ? k->ctx.why : "",
			 k->skipped && m->skipped ? "; " : "",
			 m->skipped ? "shim: " : "",
			 m->skipped ? m->ctx.why : "");
		ret = finish_file("SKIP", "kernel, shim", s->file, why, details,
				  runs, 2);
	} else {
		ret = finish_file("PASS", "kernel, shim", s->file, NULL,
				  details, runs, 2);
	}
	free(details);
	run_free(k);
	run_free(m);
	return ret;
}

int mmsim_run_file(const char *file, const struct mmsim_opts *o)
{
	struct mmsim_scenario s;
	int ret;

	if (mmsim_parse(file, &s, stderr)) {
		printf("ERROR %s: not run (%d error%s)\n", file, s.errors,
		       s.errors == 1 ? "" : "s");
		fflush(stdout);
		mmsim_scenario_free(&s);
		mmsim_tally.error++;
		return 2;
	}
	if (o->diff)
		ret = run_both(&s, o);
	else
		ret = run_one(&s, o, o->backend, 0);
	mmsim_scenario_free(&s);
	return ret;
}
