/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/83-srcu.nw (appendix C); do not edit. */
#include "variant.h"

static struct variant_area *variant_areas;

void variant_register(struct variant_area *area)
{
	struct variant_area **p = &variant_areas;

	/* Keep them sorted by name, for stable listings. */
	while (*p && strcmp((*p)->name, area->name) < 0)
		p = &(*p)->next;
	area->next = *p;
	*p = area;
}

struct variant_area *variant_find(const char *area)
{
	for (struct variant_area *a = variant_areas; a; a = a->next)
		if (!strcmp(a->name, area))
			return a;
	return NULL;
}

int variant_set(const char *area, const char *name)
{
	struct variant_area *a = variant_find(area);

	if (!a)
		return -ENOENT;
	for (int i = 0; i < a->nr; i++) {
		if (!strcmp(a->choices[i].name, name)) {
			WRITE_ONCE(a->cur, i);
			return 0;
		}
	}
	return -ENOENT;
}

void variant_select(struct variant_area *area, int idx)
{
	BUG_ON(idx < 0 || idx >= area->nr);
	WRITE_ONCE(area->cur, idx);
}

const char *variant_name(const struct variant_area *area)
{
	return area->choices[variant_current(area)].name;
}

void variant_for_each(void (*fn)(const char *area, const char *name,
				 const char *desc, bool is_current))
{
	for (struct variant_area *a = variant_areas; a; a = a->next)
		for (int i = 0; i < a->nr; i++)
			fn(a->name, a->choices[i].name, a->choices[i].desc,
			   i == a->cur);
}

void variant_reset_all(void)
{
	for (struct variant_area *a = variant_areas; a; a = a->next)
		a->cur = 0;
}
