/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/04-srcu-freeze.nw (chapter 4); do not edit. */
/* bench-data.c: chapter 4's benchmark results, in memory and on file. */
#include "kernel.h"
#include "bench-data.h"
#include <math.h>

void bench_meta_set(struct bench_dataset *ds, const char *key, const char *val)
{
	int i = ds->nr_meta++;

	BUG_ON(i >= BENCH_MAX_META);
	snprintf(ds->meta_key[i], sizeof(ds->meta_key[i]), "%.31s", key);
	snprintf(ds->meta_val[i], sizeof(ds->meta_val[i]), "%.159s", val);
}

const char *bench_meta(const struct bench_dataset *ds, const char *key)
{
	for (int i = 0; i < ds->nr_meta; i++)
		if (!strcmp(ds->meta_key[i], key))
			return ds->meta_val[i];
	return "?";
}

int bench_row_add(struct bench_block *b, const char *key, const char *label)
{
	int r = b->nr_rows++;

	BUG_ON(r >= BENCH_MAX_ROWS);
	snprintf(b->row[r].key, sizeof(b->row[r].key), "%s", key);
	snprintf(b->row[r].label, sizeof(b->row[r].label), "%s", label);
	for (int c = 0; c < BENCH_MAX_COLS; c++)
		b->row[r].v[c] = NAN;
	return r;
}

double bench_get(const struct bench_dataset *ds, int blk, const char *key,
		 int col)
{
	const struct bench_block *b = &ds->blk[blk];

	for (int r = 0; r < b->nr_rows; r++) {
		if (strcmp(b->row[r].key, key))
			continue;
		for (int c = 0; c < b->nr_cols; c++)
			if (b->cols[c] == col)
				return b->row[r].v[c];
	}
	return NAN;
}

int bench_max_col(const struct bench_dataset *ds, int blk)
{
	const struct bench_block *b = &ds->blk[blk];

	return b->nr_cols ? b->cols[b->nr_cols - 1] : 0;
}

int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	if (isnan(x) || isnan(y))		/* NaN sorts last */
		return isnan(x) - isnan(y);
	return x < y ? -1 : x > y;
}

double bench_median(double *v, int n)
{
	qsort(v, n, sizeof(v[0]), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double bench_quantile(double *v, int n, double q)
{
	double x = q * (n - 1);
	int i = (int)x;

	if (n < 1)
		return NAN;
	qsort(v, n, sizeof(v[0]), bench_cmp_double);
	return i + 1 < n ? v[i] + (x - i) * (v[i + 1] - v[i]) : v[n - 1];
}

static const char *const block_desc[BENCH_NR_BLKS] = {
	"read side: ns per lock+unlock pair, median of the runs; "
	"columns: threads",
	"grace period: latency in microseconds, median; columns: readers",
	"grace period: latency in microseconds, 90th percentile; "
	"columns: readers",
	"grace period: membarrier(2) calls per grace period; columns: readers",
	"the bar: SRCU / urcu-memb within interleaved trials; columns: threads",
};

void bench_data_write(const struct bench_dataset *ds, FILE *f)
{
	fprintf(f, "# mmlit-bench results: chapter 4, "
		"\"What the read side costs\".\n"
		"# Written by `make bench` (build/mmlit-bench); "
		"the book's tables and\n"
		"# plot are made from this file. "
		"Only ratios between rows measured in\n"
		"# one run carry over to another machine.\n#\n");
	for (int i = 0; i < ds->nr_meta; i++)
		fprintf(f, "# meta %s %s\n", ds->meta_key[i], ds->meta_val[i]);
	for (int k = 0; k < BENCH_NR_BLKS; k++) {
		const struct bench_block *b = &ds->blk[k];

		fprintf(f, "%s# index %d: %s\nkey label", k ? "\n\n" : "#\n",
			k, block_desc[k]);
		for (int c = 0; c < b->nr_cols; c++)
			fprintf(f, " %d", b->cols[c]);
		fputc('\n', f);
		for (int r = 0; r < b->nr_rows; r++) {
			fprintf(f, "%s \"%s\"", b->row[r].key, b->row[r].label);
			for (int c = 0; c < b->nr_cols; c++)
				fprintf(f, isnan(b->row[r].v[c]) ? " NaN" :
					" %.4g", b->row[r].v[c]);
			fputc('\n', f);
		}
	}
}

/* Split @line into words; a word in double quotes may hold spaces. */
static int split_words(char *line, char **w, int max)
{
	int n = 0;

	while (n < max) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || *line == '\n')
			break;
		if (*line == '"') {
			w[n++] = ++line;
			line += strcspn(line, "\"");
		} else {
			w[n++] = line;
			line += strcspn(line, " \t\n");
		}
		if (!*line)
			break;
		*line++ = 0;
	}
	return n;
}

int bench_data_read(struct bench_dataset *ds, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512], *w[BENCH_MAX_COLS + 2];
	int blk = -1;

	if (!f)
		return -errno;
	memset(ds, 0, sizeof(*ds));
	while (fgets(line, sizeof(line), f)) {
		int n;

		if (!strncmp(line, "# meta ", 7)) {
			char *key = line + 7, *val = strchr(key, ' ');

			if (val) {
				*val++ = 0;
				val[strcspn(val, "\n")] = 0;
				bench_meta_set(ds, key, val);
			}
			continue;
		}
		if (line[0] == '#')
			continue;
		n = split_words(line, w, ARRAY_SIZE(w));
		if (n < 2)
			continue;
		if (!strcmp(w[0], "key")) {
			if (++blk >= BENCH_NR_BLKS)
				break;
			ds->blk[blk].nr_cols = n - 2;
			for (int c = 2; c < n; c++)
				ds->blk[blk].cols[c - 2] = atoi(w[c]);
		} else if (blk >= 0) {
			int r = bench_row_add(&ds->blk[blk], w[0], w[1]);

			for (int c = 2; c < n; c++)
				ds->blk[blk].row[r].v[c - 2] =
					strtod(w[c], NULL);
		}
	}
	fclose(f);
	return blk == BENCH_NR_BLKS - 1 ? 0 : -EINVAL;
}

static void bar_add(struct bench_bar *bars, int *n, double value, double limit,
		    const char *what, int nr)
{
	bars[*n].value = value;
	bars[*n].limit = limit;
	if (nr)
		snprintf(bars[*n].what, sizeof(bars[*n].what), "%s%d", what,
			 nr);
	else
		snprintf(bars[*n].what, sizeof(bars[*n].what), "%s", what);
	(*n)++;
}

bool bench_bar_held(const struct bench_bar *b)
{
	return b->value <= b->limit;	/* false for NaN */
}

double bench_bar_scaling(const struct bench_dataset *ds, const char *key)
{
	return bench_get(ds, BENCH_BLK_READ, key, 2) /
	       bench_get(ds, BENCH_BLK_READ, key, 1);
}

double bench_bar_net(const struct bench_dataset *ds, const char *key,
		     int threads)
{
	double none = bench_get(ds, BENCH_BLK_READ, "none", threads);

	return (bench_get(ds, BENCH_BLK_READ, key, threads) - none) /
	       (bench_get(ds, BENCH_BLK_READ, "urcu-memb", threads) - none);
}

int bench_bar_check(const struct bench_dataset *ds, struct bench_bar *bars)
{
	int n = 0, N = bench_max_col(ds, BENCH_BLK_GP);

	for (int t = 1; t <= 2; t++)
		if (!isnan(bench_get(ds, BENCH_BLK_READ, "srcu", t)))
			bar_add(bars, &n,
				bench_get(ds, BENCH_BLK_BAR, "raw", t),
				BENCH_BAR_READ,
				"SRCU reader / urcu-memb reader, threads: ", t);
	for (int t = 1; t <= 2; t++)
		if (!isnan(bench_get(ds, BENCH_BLK_READ, "srcu", t)))
			bar_add(bars, &n,
				bench_get(ds, BENCH_BLK_BAR, "net", t),
				BENCH_BAR_READ,
				"the same, net of the check alone, threads: ",
				t);
	if (!isnan(bench_get(ds, BENCH_BLK_READ, "srcu", 2)))
		bar_add(bars, &n, bench_get(ds, BENCH_BLK_BAR, "scaling", 2),
			BENCH_BAR_SCALING,
			"SRCU 2 threads / 1, over the check alone's", 0);
	for (int r = 1; r <= N; r = r == N ? N + 1 : N)
		bar_add(bars, &n, bench_get(ds, BENCH_BLK_GP, "srcu", r) /
			bench_get(ds, BENCH_BLK_GP, "urcu-memb", r),
			BENCH_BAR_GP,
			"synchronize_srcu / synchronize_rcu, readers: ", r);
	return n;
}
