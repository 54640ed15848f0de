/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/84-memory.nw (appendix D); do not edit. */
#include "syscalls.h"
#include "fault.h"

#define DEFAULT_TOTAL_PAGES	(1L << 20)	/* 4 GiB */

static long total_pages = DEFAULT_TOTAL_PAGES;
static long used_pages;
static long folio_serial;
static int force_reclaim;
struct vm_event_state vm_events;

DEFINE_FAULT_SITE(fail_page_alloc, "page_alloc",
		  "every folio allocation (folio_alloc)");
DEFINE_FAULT_SITE(fail_kmalloc, "kmalloc", "every kmalloc()");
DEFINE_FAULT_SITE(fail_memcg_charge, "memcg_charge",
		  "mem_cgroup_charge() of a folio");
DEFINE_FAULT_SITE(fail_swap_read, "swap_read_folio",
		  "the buffer of a folio read back from swap (swap-in)");

static struct lock_class_key __fs_reclaim_key;
struct lockdep_map __fs_reclaim_map =
	STATIC_LOCKDEP_MAP_INIT("fs_reclaim", &__fs_reclaim_key);

bool __need_fs_reclaim(gfp_t gfp)
{
	gfp = current_gfp_context(gfp);
	if (!(gfp & __GFP_DIRECT_RECLAIM))
		return false;
	if (current->flags & PF_MEMALLOC)
		return false;
	return gfp & __GFP_FS;
}

void __fs_reclaim_acquire(gfp_t gfp, struct lock_site site)
{
	if (__need_fs_reclaim(gfp))
		lock_acquire(&__fs_reclaim_map, 0, 0, 0, site);
}

void __fs_reclaim_release(gfp_t gfp, struct lock_site site)
{
	if (__need_fs_reclaim(gfp))
		lock_release(&__fs_reclaim_map, site);
}

void __might_alloc(gfp_t gfp, struct lock_site site)
{
	__fs_reclaim_acquire(gfp, site);
	__fs_reclaim_release(gfp, site);
	if (gfpflags_allow_blocking(gfp)) {
		__might_sleep(site.file, site.line, site.func);
		sched_point(SP_ALLOC, NULL);	/* it may sleep: others run */
	}
}

static arch_spinlock_t lru_lock = __ARCH_SPIN_LOCK_UNLOCKED;
static LIST_HEAD(lru_list);		/* oldest first */
static long lru_size;

void folio_add_lru(struct folio *folio)
{
	arch_spin_lock(&lru_lock);
	if (!folio_test_lru(folio)) {
		folio_set_lru(folio);
		list_add_tail(&folio->lru, &lru_list);
		WRITE_ONCE(lru_size, lru_size + 1);
	}
	arch_spin_unlock(&lru_lock);
}

long lru_nr_folios(void)
{
	return READ_ONCE(lru_size);
}

long lru_walk_count(void)
{
	struct folio *folio;
	long n = 0;

	arch_spin_lock(&lru_lock);
	list_for_each_entry(folio, &lru_list, lru) {
		if (!folio_test_lru(folio)) {
			n = -1;
			break;
		}
		n++;
	}
	arch_spin_unlock(&lru_lock);
	return n;
}

/* Take the oldest folio (of @memcg, if given) off the LRU, with a ref. */
static struct folio *lru_isolate(struct mem_cgroup *memcg)
{
	struct folio *folio, *found = NULL;

	arch_spin_lock(&lru_lock);
	list_for_each_entry(folio, &lru_list, lru) {
		if (memcg && folio->memcg != memcg)
			continue;
		if (!folio_try_get(folio))
			continue;
		list_del_init(&folio->lru);
		folio_clear_lru(folio);
		WRITE_ONCE(lru_size, lru_size - 1);
		found = folio;
		break;
	}
	arch_spin_unlock(&lru_lock);
	return found;
}

/* Put an isolated folio back at the young end and drop the ref. */
static void lru_putback(struct folio *folio)
{
	if (READ_ONCE(folio->mapping))
		folio_add_lru(folio);
	folio_put(folio);
}

static void free_folio(struct folio *folio)
{
	if (folio_test_lru(folio)) {
		arch_spin_lock(&lru_lock);
		if (folio_test_lru(folio)) {
			list_del_init(&folio->lru);
			folio_clear_lru(folio);
			WRITE_ONCE(lru_size, lru_size - 1);
		}
		arch_spin_unlock(&lru_lock);
	}
	WARN_ON(folio_mapped(folio));
	WARN_ON(folio->mapping && !folio_test_anon(folio));
	mem_cgroup_uncharge(folio);
	__atomic_sub_fetch(&used_pages, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&vm_events.pgfree, 1, __ATOMIC_RELAXED);
	mmlit_trace("free folio #%lu", folio->serial);
	free(folio->data);
	free(folio);
}

void folio_put(struct folio *folio)
{
	int ref = atomic_dec_return(&folio->_refcount);

	WARN_ON(ref < 0);
	if (!ref)
		free_folio(folio);
}

bool folio_try_get(struct folio *folio)
{
	int c = atomic_read(&folio->_refcount);

	while (c > 0) {
		int old = atomic_cmpxchg(&folio->_refcount, c, c + 1);

		if (old == c)
			return true;
		c = old;
	}
	return false;
}

void folio_read_data(const struct folio *folio, size_t off, void *buf,
		     size_t len)
{
	const u8 *data = __atomic_load_n(&folio->data, __ATOMIC_ACQUIRE);

	if (data)
		memcpy(buf, data + off, len);
	else
		memset(buf, 0, len);
}

static u8 *folio_data_prepare(struct folio *folio)
{
	u8 *data = __atomic_load_n(&folio->data, __ATOMIC_ACQUIRE);
	u8 *none = NULL;

	if (data)
		return data;
	data = calloc(1, PAGE_SIZE);
	if (!data)
		return NULL;
	if (!__atomic_compare_exchange_n(&folio->data, &none, data, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		free(data);
		data = none;
	}
	return data;
}

int folio_write_data(struct folio *folio, size_t off, const void *buf,
		     size_t len)
{
	u8 *data = folio_data_prepare(folio);

	if (!data)
		return -ENOMEM;
	memcpy(data + off, buf, len);
	return 0;
}

/* A copy of a folio that was never written is never written either. */
int folio_copy_data(struct folio *dst, const struct folio *src)
{
	const u8 *from = __atomic_load_n(&src->data, __ATOMIC_ACQUIRE);

	if (!from)
		return 0;
	return folio_write_data(dst, 0, from, PAGE_SIZE);
}

static void give_back_page(void)
{
	__atomic_sub_fetch(&used_pages, 1, __ATOMIC_RELAXED);
}

static bool take_free_page(void)
{
	long used = __atomic_load_n(&used_pages, __ATOMIC_RELAXED);

	while (used < READ_ONCE(total_pages))
		if (__atomic_compare_exchange_n(&used_pages, &used, used + 1,
						false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return true;
	return false;
}

/* The kernel's __perform_reclaim: reclaim with fs_reclaim held. */
static unsigned long __perform_reclaim(gfp_t gfp, long nr,
				       struct lock_site site)
{
	unsigned int noreclaim;
	unsigned long progress;

	__atomic_add_fetch(&vm_events.allocstall, 1, __ATOMIC_RELAXED);
	mmlit_trace("direct reclaim for %s", site.func);
	__fs_reclaim_acquire(gfp, THIS_SITE);
	noreclaim = memalloc_noreclaim_save();
	progress = try_to_free_pages(gfp, nr);
	memalloc_noreclaim_restore(noreclaim);
	__fs_reclaim_release(gfp, THIS_SITE);
	return progress;
}

static bool take_forced_reclaim(gfp_t gfp)
{
	int n = READ_ONCE(force_reclaim);

	if (!(gfp & __GFP_DIRECT_RECLAIM) || (current->flags & PF_MEMALLOC))
		return false;
	while (n > 0)
		if (__atomic_compare_exchange_n(&force_reclaim, &n, n - 1,
						false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return true;
	return false;
}

struct folio *__folio_alloc(gfp_t gfp, unsigned int order,
			    struct lock_site site)
{
	struct folio *folio;
	int retries = 0;

	if (WARN(order, "the shim has no large folios"))
		return NULL;
	__might_alloc(gfp, site);
	gfp = current_gfp_context(gfp);
	if (should_fail(&fail_page_alloc))
		goto fail;
	if (take_forced_reclaim(gfp))
		__perform_reclaim(gfp, SWAP_CLUSTER_MAX, site);
	while (!take_free_page()) {
		unsigned long progress;

		if (!(gfp & __GFP_DIRECT_RECLAIM) ||
		    (current->flags & PF_MEMALLOC) || fatal_signal_pending(current))
			goto fail;
		progress = __perform_reclaim(gfp, SWAP_CLUSTER_MAX, site);
		if (progress && ++retries < MAX_RECLAIM_RETRIES)
			continue;
		if (take_free_page())
			break;
		if (gfp & (__GFP_NORETRY | __GFP_RETRY_MAYFAIL))
			goto fail;
		if (!(gfp & __GFP_FS) || !out_of_memory(gfp))
			goto fail;
		retries = 0;
	}
	folio = calloc(1, sizeof(*folio));
	if (!folio) {
		give_back_page();
		goto fail;
	}
	atomic_set(&folio->_refcount, 1);
	INIT_LIST_HEAD(&folio->lru);
	folio->serial = __atomic_add_fetch(&folio_serial, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&vm_events.pgalloc, 1, __ATOMIC_RELAXED);
	mmlit_trace("alloc folio #%lu for %s", folio->serial, site.func);
	return folio;
fail:
	__atomic_add_fetch(&vm_events.alloc_fail, 1, __ATOMIC_RELAXED);
	mmlit_trace("allocation failed in %s", site.func);
	return NULL;
}

void mem_set_total_pages(long pages)
{
	WRITE_ONCE(total_pages, pages);
}

long totalram_pages(void)
{
	return READ_ONCE(total_pages);
}

long mem_used_pages(void)
{
	return __atomic_load_n(&used_pages, __ATOMIC_RELAXED);
}

void mm_force_direct_reclaim(int count)
{
	WRITE_ONCE(force_reclaim, count);
}

void *__kmalloc(size_t size, gfp_t gfp, struct lock_site site)
{
	__might_alloc(gfp, site);
	if (should_fail(&fail_kmalloc))
		return NULL;
	return (gfp & __GFP_ZERO) ? calloc(1, size) : malloc(size);
}

void kfree(const void *p)
{
	free((void *)p);
}

struct mem_cgroup root_mem_cgroup = { .name = "root", .limit = LONG_MAX };

struct mem_cgroup *mem_cgroup_create(const char *name, long limit_pages)
{
	struct mem_cgroup *memcg = calloc(1, sizeof(*memcg));

	BUG_ON(!memcg);
	snprintf(memcg->name, sizeof(memcg->name), "%s", name);
	memcg->limit = limit_pages;
	return memcg;
}

void mem_cgroup_destroy(struct mem_cgroup *memcg)
{
	WARN_ON(mem_cgroup_usage(memcg));
	free(memcg);
}

static bool memcg_try_charge(struct mem_cgroup *memcg)
{
	long usage = atomic_long_read(&memcg->usage);

	while (usage < memcg->limit) {
		long old = atomic_long_cmpxchg(&memcg->usage, usage, usage + 1);

		if (old == usage)
			return true;
		usage = old;
	}
	return false;
}

int mem_cgroup_charge(struct folio *folio, struct mm_struct *mm, gfp_t gfp)
{
	struct mem_cgroup *memcg = current->memcg ? current->memcg :
						    &root_mem_cgroup;
	int retries = 0;

	if (should_fail(&fail_memcg_charge))
		return -ENOMEM;
	while (!memcg_try_charge(memcg)) {
		if (!gfpflags_allow_blocking(gfp) ||
		    retries++ >= MAX_RECLAIM_RETRIES ||
		    !try_to_free_mem_cgroup_pages(memcg, 1, gfp)) {
			memcg->failcnt++;
			mmlit_trace("memcg %s charge failed", memcg->name);
			return -ENOMEM;
		}
	}
	folio->memcg = memcg;
	return 0;
}

void mem_cgroup_uncharge(struct folio *folio)
{
	if (folio->memcg) {
		atomic_long_dec(&folio->memcg->usage);
		folio->memcg = NULL;
	}
}

enum folio_verdict { FOLIO_KEEP, FOLIO_ACTIVATE, FOLIO_RECLAIMED };

static bool may_enter_fs(gfp_t gfp)
{
	return gfp & __GFP_FS;
}

static enum folio_verdict shrink_folio(struct folio *folio, gfp_t gfp)
{
	struct address_space *mapping;
	int ret;

	if (!folio_trylock(folio))
		return FOLIO_KEEP;
	mapping = folio->mapping;
	if (!mapping) {
		folio_unlock(folio);
		return folio_ref_count(folio) == 1 ? FOLIO_RECLAIMED :
						     FOLIO_KEEP;
	}
	if (folio_mapped(folio) && !try_to_unmap(folio))
		goto activate_locked;
	if (folio_test_dirty(folio)) {
		struct writeback_control wbc = {
			.nr_to_write = SWAP_CLUSTER_MAX, .for_reclaim = true,
		};

		if (!may_enter_fs(gfp) || folio_ref_count(folio) != 2)
			goto keep_locked;
		if (!mapping->a_ops || !mapping->a_ops->writeout)
			goto activate_locked;
		folio_clear_dirty_for_io(folio);
		mmlit_trace("writeout folio #%lu index %lu", folio->serial,
			    folio->index);
		ret = mapping->a_ops->writeout(folio, &wbc);
		if (ret == AOP_WRITEPAGE_ACTIVATE)
			goto activate_locked;
		if (ret < 0)
			return FOLIO_ACTIVATE;	/* unlocked by writeout */
		/* Written: the owner took it out of the page cache. */
		if (!folio->mapping && folio_ref_count(folio) == 1)
			return FOLIO_RECLAIMED;
		return FOLIO_KEEP;
	}
	if (folio_ref_count(folio) != 2)
		goto keep_locked;
	__filemap_remove_folio(folio, NULL);
	folio_put(folio);		/* the page cache's reference */
	folio_unlock(folio);
	return FOLIO_RECLAIMED;
activate_locked:
	folio_unlock(folio);
	__atomic_add_fetch(&vm_events.pgactivate, 1, __ATOMIC_RELAXED);
	return FOLIO_ACTIVATE;
keep_locked:
	folio_unlock(folio);
	return FOLIO_KEEP;
}

static unsigned long shrink_lru(struct mem_cgroup *memcg, gfp_t gfp, long nr)
{
	long budget = 2 * lru_nr_folios() + SWAP_CLUSTER_MAX;
	unsigned long reclaimed = 0;

	gfp = current_gfp_context(gfp);
	while ((long)reclaimed < nr && budget-- > 0) {
		struct folio *folio = lru_isolate(memcg);

		if (!folio)
			break;
		cond_resched();
		__atomic_add_fetch(&vm_events.pgscan, 1, __ATOMIC_RELAXED);
		switch (shrink_folio(folio, gfp)) {
		case FOLIO_RECLAIMED:
			__atomic_add_fetch(&vm_events.pgsteal, 1,
					   __ATOMIC_RELAXED);
			reclaimed++;
			folio_put(folio);
			break;
		default:
			lru_putback(folio);
			break;
		}
	}
	return reclaimed;
}

unsigned long try_to_free_pages(gfp_t gfp, long nr_pages)
{
	return shrink_lru(NULL, gfp, nr_pages);
}

unsigned long try_to_free_mem_cgroup_pages(struct mem_cgroup *memcg,
					   long nr_pages, gfp_t gfp)
{
	unsigned int noreclaim = memalloc_noreclaim_save();
	unsigned long progress = shrink_lru(memcg, gfp, nr_pages);

	memalloc_noreclaim_restore(noreclaim);
	return progress;
}

#define MAX_BYSTANDERS	16

static struct {
	char name[32];
	long pages;
	bool alive;
} bystanders[MAX_BYSTANDERS];
static int nr_bystanders;
static pthread_mutex_t oom_lock = PTHREAD_MUTEX_INITIALIZER;

int oom_register_bystander(const char *name, long pages)
{
	int id;

	pthread_mutex_lock(&oom_lock);
	BUG_ON(nr_bystanders >= MAX_BYSTANDERS);
	id = nr_bystanders++;
	snprintf(bystanders[id].name, sizeof(bystanders[id].name), "%s", name);
	bystanders[id].pages = pages;
	bystanders[id].alive = true;
	__atomic_add_fetch(&used_pages, pages, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&oom_lock);
	return id;
}

bool oom_bystander_alive(int id)
{
	return id >= 0 && id < nr_bystanders && bystanders[id].alive;
}

bool out_of_memory(gfp_t gfp)
{
	int victim = -1;

	pthread_mutex_lock(&oom_lock);
	for (int i = 0; i < nr_bystanders; i++)
		if (bystanders[i].alive &&
		    (victim < 0 ||
		     bystanders[i].pages > bystanders[victim].pages))
			victim = i;
	__atomic_add_fetch(&vm_events.oom_kill, 1, __ATOMIC_RELAXED);
	if (victim >= 0) {
		bystanders[victim].alive = false;
		__atomic_sub_fetch(&used_pages, bystanders[victim].pages,
				   __ATOMIC_RELAXED);
		mmlit_trace("OOM: killed %s (%ld pages)",
			    bystanders[victim].name, bystanders[victim].pages);
	} else {
		mmlit_trace("OOM: killed %s, the allocating task",
			    current->comm);
		send_sig(SIGKILL, current);
	}
	pthread_mutex_unlock(&oom_lock);
	return victim >= 0;
}

static pthread_mutex_t swap_lock = PTHREAD_MUTEX_INITIALIZER;
static long swap_slots;
static long swap_used;
static u8 **swap_data;

void swap_set_slots(long slots)
{
	pthread_mutex_lock(&swap_lock);
	for (long i = 0; i < swap_slots; i++)
		free(swap_data[i]);
	free(swap_data);
	swap_data = slots ? calloc(slots, sizeof(*swap_data)) : NULL;
	BUG_ON(slots && !swap_data);
	swap_slots = slots;
	swap_used = 0;
	pthread_mutex_unlock(&swap_lock);
}

long total_swap_pages(void)
{
	return READ_ONCE(swap_slots);
}

long nr_free_swap_pages(void)
{
	return READ_ONCE(swap_slots) - READ_ONCE(swap_used);
}

int folio_alloc_swap(struct folio *folio, swp_entry_t *entry)
{
	int ret = -ENOMEM;

	pthread_mutex_lock(&swap_lock);
	for (long i = 0; i < swap_slots; i++) {
		if (swap_data[i])
			continue;
		swap_data[i] = calloc(1, PAGE_SIZE);
		if (!swap_data[i])
			break;		/* the host's memory: -ENOMEM */
		swap_used++;
		entry->val = i + 1;
		ret = 0;
		break;
	}
	pthread_mutex_unlock(&swap_lock);
	return ret;
}

void swap_write_folio(struct folio *folio, swp_entry_t entry)
{
	pthread_mutex_lock(&swap_lock);
	BUG_ON(!entry.val || entry.val > (unsigned long)swap_slots ||
	       !swap_data[entry.val - 1]);
	folio_read_data(folio, 0, swap_data[entry.val - 1], PAGE_SIZE);
	pthread_mutex_unlock(&swap_lock);
	__atomic_add_fetch(&vm_events.pswpout, 1, __ATOMIC_RELAXED);
}

/*
 * The kernel's read fails only with -EIO; the model's can also find no host
 * memory for the folio's buffer (its page, which the kernel allocated with
 * the folio): -ENOMEM, and the entry stays in swap. The site fails it on
 * demand, so that the sweeps reach this path.
 */
int swap_read_folio(struct folio *folio, swp_entry_t entry)
{
	int ret = -ENOMEM;

	pthread_mutex_lock(&swap_lock);
	BUG_ON(!entry.val || entry.val > (unsigned long)swap_slots ||
	       !swap_data[entry.val - 1]);
	if (!should_fail(&fail_swap_read))
		ret = folio_write_data(folio, 0, swap_data[entry.val - 1],
				       PAGE_SIZE);
	pthread_mutex_unlock(&swap_lock);
	if (!ret)
		__atomic_add_fetch(&vm_events.pswpin, 1, __ATOMIC_RELAXED);
	return ret;
}

void swap_free(swp_entry_t entry)
{
	pthread_mutex_lock(&swap_lock);
	if (entry.val && entry.val <= (unsigned long)swap_slots &&
	    swap_data[entry.val - 1]) {
		free(swap_data[entry.val - 1]);
		swap_data[entry.val - 1] = NULL;
		swap_used--;
	}
	pthread_mutex_unlock(&swap_lock);
}

void mm_reset_machine(void)
{
	arch_spin_lock(&lru_lock);
	INIT_LIST_HEAD(&lru_list);
	lru_size = 0;
	arch_spin_unlock(&lru_lock);
	WRITE_ONCE(used_pages, 0);
	WRITE_ONCE(total_pages, DEFAULT_TOTAL_PAGES);
	WRITE_ONCE(force_reclaim, 0);
	memset(&vm_events, 0, sizeof(vm_events));
	nr_bystanders = 0;
	swap_set_slots(0);
	atomic_long_set(&root_mem_cgroup.usage, 0);
	root_mem_cgroup.failcnt = 0;
}
