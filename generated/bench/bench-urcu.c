/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/04-srcu-freeze.nw (chapter 4); do not edit. */
/* bench-urcu.c: the liburcu urcu-memb peer, with the inline read side. */
#define _LGPL_SOURCE
#define URCU_API_MAP		/* rcu_read_lock() is urcu_memb_read_lock() */
#include <urcu/urcu-memb.h>
#include <stdio.h>
#include <string.h>
#include "bench.h"

void bench_urcu_thread_init(void)
{
	rcu_register_thread();
}

void bench_urcu_thread_exit(void)
{
	rcu_unregister_thread();
}

unsigned long bench_urcu_loop(const int *stop, unsigned long *hits)
{
	unsigned long n = 0, h = 0;

	while (!CMM_LOAD_SHARED(*stop)) {
		for (int i = 0; i < BENCH_BATCH; i++) {
			rcu_read_lock();
			if (caa_unlikely(CMM_LOAD_SHARED(bench_flags) &
					 BENCH_FROZEN))
				h++;
			rcu_read_unlock();
		}
		n += BENCH_BATCH;
	}
	*hits = h;
	return n;
}

void bench_urcu_synchronize(void)
{
	synchronize_rcu();
}

/* liburcu 0.13's headers carry no version: ask pkg-config. */
const char *bench_urcu_version(void)
{
	static char buf[32] = "unknown";
	FILE *p = popen("pkg-config --modversion liburcu-memb 2>/dev/null",
			"r");

	if (!p)
		return buf;
	if (fgets(buf, sizeof(buf), p))
		buf[strcspn(buf, "\n")] = 0;
	pclose(p);
	return buf;
}
