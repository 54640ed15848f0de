/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/03-falloc.nw (chapter 3); do not edit. */
/* falloc.h: chapter 3's benchmark, claim FX5. */
#ifndef MMLIT_BENCH_FALLOC_H
#define MMLIT_BENCH_FALLOC_H

#include <stdio.h>

/*
 * bench_falloc - fault latency outside a long fallocate (allocate, punch)
 * under each design of the variant area "falloc". Prints a table to @out
 * and, if @data is not NULL, the rows in the format of
 * figures/falloc-fx5.dat.
 */
void bench_falloc(FILE *out, FILE *data);

#endif /* MMLIT_BENCH_FALLOC_H */
