/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/83-srcu.nw (appendix C); do not edit. */
#include "fault.h"
#include "report.h"

static struct fault_site *fault_sites;

void fault_site_register(struct fault_site *site)
{
	struct fault_site **p = &fault_sites;

	while (*p && strcmp((*p)->name, site->name) < 0)
		p = &(*p)->next;
	site->next = *p;
	*p = site;
}

struct fault_site *fault_site_find(const char *name)
{
	for (struct fault_site *s = fault_sites; s; s = s->next)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

int fault_inject_set(const char *name, long nth)
{
	struct fault_site *s = fault_site_find(name);

	if (!s || nth < 0)
		return -ENOENT;
	s->calls = 0;
	WRITE_ONCE(s->nth, nth);
	return 0;
}

bool __should_fail(struct fault_site *site)
{
	long calls = __atomic_add_fetch(&site->calls, 1, __ATOMIC_SEQ_CST);

	if (calls != READ_ONCE(site->nth))
		return false;
	WRITE_ONCE(site->nth, 0);
	site->failed++;
	mmlit_trace("fault injected at %s (call %ld)", site->name, calls);
	return true;
}

void fault_site_for_each(void (*fn)(const char *name, const char *desc))
{
	for (struct fault_site *s = fault_sites; s; s = s->next)
		fn(s->name, s->desc);
}

void fault_inject_reset(void)
{
	for (struct fault_site *s = fault_sites; s; s = s->next) {
		s->nth = 0;
		s->calls = 0;
	}
}
