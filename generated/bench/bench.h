/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/04-srcu-freeze.nw (chapter 4); do not edit. */
/* bench.h: what the benchmark's files share. */
#ifndef MMLIT_BENCH_H
#define MMLIT_BENCH_H

#include <stdbool.h>

#define BENCH_BATCH	256		/* sections between looks at stop */
#define BENCH_FROZEN	(1UL << 63)	/* the flag every read section checks */

/* The word the read sections check, as the fault path checks i_flags. */
extern unsigned long bench_flags;

/* liburcu urcu-memb, inlined (bench-urcu.c). */
void bench_urcu_thread_init(void);
void bench_urcu_thread_exit(void);
unsigned long bench_urcu_loop(const int *stop, unsigned long *hits);
void bench_urcu_synchronize(void);
const char *bench_urcu_version(void);

#endif /* MMLIT_BENCH_H */
