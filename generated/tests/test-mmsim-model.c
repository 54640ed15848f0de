/*
 * The model's own count of its variants and injection sites, for the
 * tests of mmsim --variants and --sites. Includes only the model's
 * header, as mmsim's shim backend does.
 * Tangled from src-lit/90-mmsim.nw (appendix "The scenario tool").
 */
#include "mmlit.h"

int mm_model_variants(void);
int mm_model_sites(void);

static int count;

static void count_variant(const char *area, const char *name, const char *desc,
			  bool current)
{
	count++;
}

static void count_site(const char *name, const char *desc)
{
	count++;
}

int mm_model_variants(void)
{
	count = 0;
	variant_for_each(count_variant);
	return count;
}

int mm_model_sites(void)
{
	count = 0;
	fault_site_for_each(count_site);
	return count;
}
