/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/01-shim.nw (chapter 1); do not edit. */
/* fault.h: named fault-injection sites. */
#ifndef MMLIT_FAULT_H
#define MMLIT_FAULT_H

#include "kernel.h"

struct fault_site {
	const char *name;
	const char *desc;
	long nth;		/* fail the nth call from arming; 0: off */
	long calls;		/* calls since arming */
	long failed;		/* failures injected, ever */
	struct fault_site *next;
};

void fault_site_register(struct fault_site *site);
#define DEFINE_FAULT_SITE(var, sname, sdesc)				\
	struct fault_site var = { .name = (sname), .desc = (sdesc) };	\
	__attribute__((constructor)) static void var##_register(void)	\
	{ fault_site_register(&var); }

bool __should_fail(struct fault_site *site);
static inline bool should_fail(struct fault_site *site)
{
	if (likely(!READ_ONCE(site->nth)))
		return false;
	return __should_fail(site);
}

/* Arm @name to fail its @nth call from now (1 = the next): 0 or -ENOENT. */
int fault_inject_set(const char *name, long nth);
struct fault_site *fault_site_find(const char *name);
void fault_site_for_each(void (*fn)(const char *name, const char *desc));
void fault_inject_reset(void);

#endif /* MMLIT_FAULT_H */
