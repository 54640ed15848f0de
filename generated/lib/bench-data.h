/* SPDX-License-Identifier: GPL-2.0 */
/* bench-data.h: chapter 4's benchmark results, in memory and on file. */
#ifndef MMLIT_BENCH_DATA_H
#define MMLIT_BENCH_DATA_H

#include <stdbool.h>
#include <stdio.h>

#define MAX_TCOUNTS	16		/* columns: thread or reader counts */
#define MAX_ROWS	16
#define MAX_META	16
#define MAX_REPS	15

enum { BLK_READ, BLK_GP, BLK_GP_P90, BLK_GP_MB, NR_BLOCKS };

struct block {
	int nr_cols;
	int cols[MAX_TCOUNTS];
	int nr_rows;
	struct {
		char key[32];
		char label[64];
		double v[MAX_TCOUNTS];
	} row[MAX_ROWS];
};

struct dataset {
	int nr_meta;
	char meta_key[MAX_META][32];
	char meta_val[MAX_META][160];
	struct block blk[NR_BLOCKS];
};

void ds_meta_set(struct dataset *ds, const char *key, const char *val);
/* The value of meta line @key, or "?". */
const char *ds_meta(const struct dataset *ds, const char *key);
/* A new row of @b, every value NaN; returns its index. */
int blk_row(struct block *b, const char *key, const char *label);
/* The value for @key at column value @col (threads or readers), or NAN. */
double ds_get(const struct dataset *ds, int blk, const char *key, int col);
/* The last column value of block @blk (the most threads or readers), or 0. */
int ds_max_col(const struct dataset *ds, int blk);
/* qsort's comparison of doubles, and the median of @v (which it sorts). */
int cmp_double(const void *a, const void *b);
double median(double *v, int n);
/* Write @ds to @f in the format above. */
void ds_write(const struct dataset *ds, FILE *f);
/* Read the file at @path into @ds: 0, -errno, or -EINVAL if malformed. */
int ds_read(struct dataset *ds, const char *path);
#define BAR_READ	1.2
#define BAR_SCALING	1.10
#define BAR_GP		1.0

struct bar {
	char what[96];
	double value, limit;
};

/* Fill @bars (room for 8) with the bar's ratios in @ds; returns how many. */
int bar_check(const struct dataset *ds, struct bar *bars);
bool bar_held(const struct bar *b);
/* How much slower a read section is with two threads than with one. */
double bar_scaling(const struct dataset *ds, const char *key);
/* @key's cost at @threads over urcu-memb's, less the check alone's in both. */
double bar_net(const struct dataset *ds, const char *key, int threads);

#endif /* MMLIT_BENCH_DATA_H */
