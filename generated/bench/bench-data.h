/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/04-srcu-freeze.nw (chapter 4); do not edit. */
/* bench-data.h: chapter 4's benchmark results, in memory and on file. */
#ifndef MMLIT_BENCH_DATA_H
#define MMLIT_BENCH_DATA_H

#include <stdbool.h>
#include <stdio.h>

#define BENCH_MAX_COLS	16		/* columns: thread or reader counts */
#define BENCH_MAX_ROWS	16
#define BENCH_MAX_META	16
#define BENCH_MAX_RUNS	15
#define BENCH_MAX_TRIALS	99	/* of the bar, per thread count */

enum {
	BENCH_BLK_READ, BENCH_BLK_GP, BENCH_BLK_GP_P90, BENCH_BLK_GP_MB,
	BENCH_BLK_BAR, BENCH_NR_BLKS
};

struct bench_block {
	int nr_cols;
	int cols[BENCH_MAX_COLS];
	int nr_rows;
	struct {
		char key[32];
		char label[64];
		double v[BENCH_MAX_COLS];
	} row[BENCH_MAX_ROWS];
};

struct bench_dataset {
	int nr_meta;
	char meta_key[BENCH_MAX_META][32];
	char meta_val[BENCH_MAX_META][160];
	struct bench_block blk[BENCH_NR_BLKS];
};

void bench_meta_set(struct bench_dataset *ds, const char *key, const char *val);
/* The value of meta line @key, or "?". */
const char *bench_meta(const struct bench_dataset *ds, const char *key);
/* A new row of @b, every value NaN; returns its index. */
int bench_row_add(struct bench_block *b, const char *key, const char *label);
/* The value for @key at column value @col (threads or readers), or NAN. */
double bench_get(const struct bench_dataset *ds, int blk, const char *key,
		 int col);
/* The last column value of block @blk (the most threads or readers), or 0. */
int bench_max_col(const struct bench_dataset *ds, int blk);
/* qsort's comparison of doubles, and the median of @v (which it sorts). */
int bench_cmp_double(const void *a, const void *b);
double bench_median(double *v, int n);
/* The @q quantile of @v (which it sorts), interpolated between neighbours. */
double bench_quantile(double *v, int n, double q);

/* Write @ds to @f in the format above. */
void bench_data_write(const struct bench_dataset *ds, FILE *f);
/* Read the file at @path into @ds: 0, -errno, or -EINVAL if malformed. */
int bench_data_read(struct bench_dataset *ds, const char *path);

#define BENCH_BAR_READ	1.2
#define BENCH_BAR_SCALING	1.10
#define BENCH_BAR_GP		1.0

struct bench_bar {
	char what[96];
	double value, limit;
};

/* Fill @bars (room for 8) with the bar's ratios in @ds; returns how many. */
int bench_bar_check(const struct bench_dataset *ds, struct bench_bar *bars);
bool bench_bar_held(const struct bench_bar *b);
/* How much slower a read section is with two threads than with one. */
double bench_bar_scaling(const struct bench_dataset *ds, const char *key);
/* @key's cost at @threads over urcu-memb's, less the check alone's in both. */
double bench_bar_net(const struct bench_dataset *ds, const char *key,
		     int threads);

#endif /* MMLIT_BENCH_DATA_H */
