/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/01-shim.nw (chapter 1); do not edit. */
/* variant.h: design variants, selected at run time by name. */
#ifndef MMLIT_VARIANT_H
#define MMLIT_VARIANT_H

#include "kernel.h"

struct variant_choice {
	const char *name;
	const char *desc;
};

struct variant_area {
	const char *name;
	const char *desc;
	const struct variant_choice *choices;
	int nr;
	int cur;
	struct variant_area *next;
};

void variant_register(struct variant_area *area);
#define DEFINE_VARIANT_AREA(var, aname, adesc, ...)			\
	static const struct variant_choice var##_choices[] = { __VA_ARGS__ }; \
	struct variant_area var = {					\
		.name = (aname), .desc = (adesc),			\
		.choices = var##_choices,				\
		.nr = ARRAY_SIZE(var##_choices), .cur = 0 };		\
	__attribute__((constructor)) static void var##_register(void)	\
	{ variant_register(&var); }

static inline int variant_current(const struct variant_area *area)
{
	return READ_ONCE(area->cur);
}

/* Select by names: 0, or -ENOENT for an unknown area or choice. */
int variant_set(const char *area, const char *name);
/* Select by index within a known area (tests loop over indexes). */
void variant_select(struct variant_area *area, int idx);
const char *variant_name(const struct variant_area *area);
struct variant_area *variant_find(const char *area);
void variant_for_each(void (*fn)(const char *area, const char *name,
				 const char *desc, bool is_current));
void variant_reset_all(void);

#endif /* MMLIT_VARIANT_H */
