/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/05-uffd.nw (chapter 5); do not edit. */
#define _GNU_SOURCE			/* strerrorname_np */
#include <string.h>
#include <unistd.h>
#include "ktest.h"
#include "shmem.h"
#include "userfaultfd.h"

#define UF_FILE	4
#define UF_MAP	8

struct uf {
	int fd, ufd;
	unsigned long shared, private, src, absent, minor;
	struct inode *inode;
	struct userfaultfd_ctx *ctx;
};

static unsigned long uf_map(int fd, long pages, unsigned long flags)
{
	unsigned long addr = ksys_mmap_pgoff(0, pages * PAGE_SIZE,
					     PROT_READ | PROT_WRITE, flags,
					     fd, 0);

	ck_assert(!IS_ERR_VALUE(addr));
	return addr;
}

static long uf_register(struct uf *u, unsigned long addr, long pages, u64 mode)
{
	struct uffdio_register reg = {
		.range = { .start = addr, .len = pages * PAGE_SIZE },
		.mode = mode,
	};

	return ksys_uffd_ioctl(u->ufd, UFFDIO_REGISTER, &reg);
}

static void uf_setup(struct uf *u, int design)
{
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_SIGBUS };
	u8 buf[PAGE_SIZE];
	struct file *file;

	mmlit_process_reset();
	variant_select(&uffd_area, design);
	u->fd = ksys_memfd_create("uf", 0);
	ck_assert_int_ge(u->fd, 0);
	ck_assert_int_eq(ksys_ftruncate(u->fd, UF_FILE * PAGE_SIZE), 0);
	u->shared = uf_map(u->fd, UF_MAP, MAP_SHARED);
	u->private = uf_map(u->fd, UF_MAP, MAP_PRIVATE);
	u->src = uf_map(-1, 4, MAP_PRIVATE | MAP_ANONYMOUS);
	memset(buf, 0xab, sizeof(buf));
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(copy_to_user(u->src + i * PAGE_SIZE, buf,
					      PAGE_SIZE), 0);
	file = fget(u->fd);
	u->inode = file_inode(file);
	fput(file);
	u->ufd = ksys_userfaultfd(UFFD_USER_MODE_ONLY);
	ck_assert_int_ge(u->ufd, 0);
	ck_assert_int_eq(ksys_uffd_ioctl(u->ufd, UFFDIO_API, &api), 0);
	ck_assert_int_eq(uf_register(u, u->shared, UF_MAP,
				     UFFDIO_REGISTER_MODE_MISSING), 0);
	ck_assert_int_eq(uf_register(u, u->private, UF_MAP,
				     UFFDIO_REGISTER_MODE_MISSING), 0);
	u->ctx = userfaultfd_ctx_of(u->ufd);
}

static int uf_only = -1;	/* the one design to run, or -1: all */

static void uf_each_design(void (*fn)(int d))
{
	for (int d = 0; d < NR_UFFD_DESIGNS; d++)
		if (uf_only < 0 || uf_only == d)
			fn(d);
}

static void uf_teardown(void)
{
	mfill_unlocked_hook = NULL;
	mfill_locked_hook = NULL;
}

static long uf_copy(struct uf *u, unsigned long dst, unsigned long src,
		    long pages, u64 mode)
{
	struct uffdio_copy c = { .dst = dst, .src = src,
				 .len = pages * PAGE_SIZE, .mode = mode };
	long ret = ksys_uffd_ioctl(u->ufd, UFFDIO_COPY, &c);

	return ret ? ret : c.copy;
}

static long uf_zeropage(struct uf *u, unsigned long dst, long pages)
{
	struct uffdio_zeropage z = {
		.range = { .start = dst, .len = pages * PAGE_SIZE } };
	long ret = ksys_uffd_ioctl(u->ufd, UFFDIO_ZEROPAGE, &z);

	return ret ? ret : z.zeropage;
}

static long uf_continue(struct uf *u, unsigned long dst, long pages)
{
	struct uffdio_continue c = {
		.range = { .start = dst, .len = pages * PAGE_SIZE } };
	long ret = ksys_uffd_ioctl(u->ufd, UFFDIO_CONTINUE, &c);

	return ret ? ret : c.mapped;
}

static int uf_load(unsigned long addr)
{
	u8 v;
	int ret = user_load_byte(addr, &v);

	return ret ? ret : v;
}

static int uf_pread(struct uf *u, long page)
{
	u8 v;

	ck_assert_int_eq(ksys_pread64(u->fd, &v, 1, page * PAGE_SIZE), 1);
	return v;
}

struct uf_counters {
	long alloced, swapped, nrpages, blocks, used_blocks, memcg, folios, lru;
};

static void uf_count(struct uf *u, struct uf_counters *c)
{
	struct shmem_inode_info *info = SHMEM_I(u->inode);

	c->alloced = info->alloced;
	c->swapped = info->swapped;
	c->nrpages = u->inode->i_mapping->nrpages;
	c->blocks = u->inode->i_blocks * 512 / PAGE_SIZE;
	c->used_blocks =
		atomic_long_read(&SHMEM_SB(u->inode->i_sb)->used_blocks);
	c->memcg = mem_cgroup_usage(current->memcg ? current->memcg :
				    &root_mem_cgroup);
	c->folios = mem_used_pages();
	c->lru = lru_nr_folios();
}

#define uf_assert_counters_eq(a, b)					\
	ck_assert_msg(!memcmp((a), (b), sizeof(*(a))),			\
		      "counters changed: alloced %ld->%ld blocks %ld->%ld " \
		      "nrpages %ld->%ld memcg %ld->%ld folios %ld->%ld " \
		      "lru %ld->%ld", (a)->alloced, (b)->alloced,	\
		      (a)->blocks, (b)->blocks, (a)->nrpages, (b)->nrpages, \
		      (a)->memcg, (b)->memcg, (a)->folios, (b)->folios,	\
		      (a)->lru, (b)->lru)
static int uf_windows;
static struct uf *uf_hook_uf;

static void uf_count_window(void)
{
	uf_windows++;
	ck_assert(!lock_is_held(&current->mm->mmap_lock.dep_map));
}

static unsigned long uf_absent_source(struct uf *u, u8 byte)
{
	u8 buf[PAGE_SIZE];
	int sfd = ksys_memfd_create("src", 0);

	memset(buf, byte, sizeof(buf));
	ck_assert_int_eq(ksys_pwrite64(sfd, buf, PAGE_SIZE, 0), PAGE_SIZE);
	return uf_map(sfd, 1, MAP_SHARED);
}

static void uf_truncate_in_window(void)
{
	uf_windows++;
	ck_assert_int_eq(ksys_ftruncate(uf_hook_uf->fd, PAGE_SIZE), 0);
}

/* Fill page 2 from @src while the file shrinks to one page. */
static long uf_fill_across_truncate(struct uf *u, unsigned long src)
{
	long ret;

	uf_hook_uf = u;
	uf_windows = 0;
	mfill_unlocked_hook = uf_truncate_in_window;
	ret = uf_copy(u, u->shared + 2 * PAGE_SIZE, src, 1, 0);
	mfill_unlocked_hook = NULL;
	ck_assert_int_eq(uf_windows, 1);
	return ret;
}

enum uf_path {
	UF_PATH_PRESENT,	/* the page is in the page cache */
	UF_PATH_PAST_EOF,	/* the page is at i_size */
	UF_PATH_REFUSED,	/* the PTE is refused after the add (UF7) */
	UF_PATH_ACCT,		/* the block charge fails */
	UF_PATH_MEMCG,		/* the memcg charge fails */
	UF_PATH_ALLOC,		/* the allocation fails */
	UF_NR_PATHS
};

static long uf_error_path(struct uf *u, int d, enum uf_path path,
			  struct uf_counters *before, struct uf_counters *after)
{
	static const char *const site[UF_NR_PATHS] = {
		[UF_PATH_ACCT] = "shmem_acct_blocks",
		[UF_PATH_MEMCG] = "memcg_charge",
		[UF_PATH_ALLOC] = "shmem_alloc_folio",
	};
	unsigned long dst, src;
	long ret;

	uf_setup(u, d);
	src = uf_absent_source(u, 0x99);
	dst = u->shared;
	if (path == UF_PATH_PAST_EOF)
		dst += UF_FILE * PAGE_SIZE;
	if (path == UF_PATH_PRESENT)
		ck_assert_int_eq(uf_copy(u, dst, u->src, 1, 0), PAGE_SIZE);
	uf_count(u, before);
	if (site[path])
		ck_assert_int_eq(fault_inject_set(site[path], 1), 0);
	if (path == UF_PATH_REFUSED)
		ret = uf_fill_across_truncate(u, src);
	else
		ret = uf_copy(u, dst, u->src, 1, 0);
	fault_inject_reset();
	uf_count(u, after);
	return ret;
}

static long uf_unregister(int ufd, unsigned long addr, long pages)
{
	struct uffdio_range r = { addr, pages * PAGE_SIZE };

	return ksys_uffd_ioctl(ufd, UFFDIO_UNREGISTER, &r);
}

static long uf_writeprotect(struct uf *u, unsigned long addr, long pages,
			    u64 mode)
{
	struct uffdio_writeprotect wp = { { addr, pages * PAGE_SIZE }, mode };

	return ksys_uffd_ioctl(u->ufd, UFFDIO_WRITEPROTECT, &wp);
}

/* @u's shared mapping registered missing|wp, page 0 filled. */
static void uf_setup_wp(struct uf *u, int d)
{
	uf_setup(u, d);
	ck_assert_int_eq(uf_register(u, u->shared, UF_MAP,
				     UFFDIO_REGISTER_MODE_MISSING |
				     UFFDIO_REGISTER_MODE_WP), 0);
	ck_assert_int_eq(uf_copy(u, u->shared, u->src, 1, 0), PAGE_SIZE);
}

static void uf1_design(int d)
{
	struct uf u;
	unsigned long other;

	uf_setup(&u, d);
	ck_assert_int_eq(uf_copy(&u, u.shared, u.src, 1, 0), PAGE_SIZE);
	ck_assert_int_eq(uf_pread(&u, 0), 0xab);
	other = uf_map(u.fd, UF_FILE, MAP_SHARED);
	ck_assert_int_eq(uf_load(other), 0xab);
	ck_assert_int_eq(uf_load(u.shared + 17), 0xab);
	ck_assert_int_eq(u.inode->i_blocks * 512 / PAGE_SIZE, 1);
	ck_assert_int_eq(u.inode->i_mapping->nrpages, 1);
}

START_TEST(uf1_copy_shared_fills_the_page_cache)
{
	uf_each_design(uf1_design);
}
END_TEST

static void uf2_design(int d)
{
	struct uf u;

	uf_setup(&u, d);
	ck_assert_int_eq(uf_copy(&u, u.private + PAGE_SIZE, u.src,
				 1, 0), PAGE_SIZE);
	ck_assert_int_eq(uf_load(u.private + PAGE_SIZE), 0xab);
	ck_assert_int_eq(uf_pread(&u, 1), 0);
	ck_assert_int_eq(u.inode->i_blocks, 0);
	ck_assert_int_eq(u.inode->i_mapping->nrpages, 0);
	ck_assert_int_eq(uf_load(u.shared + PAGE_SIZE), -SIGBUS);
}

START_TEST(uf2_copy_private_leaves_the_hole)
{
	uf_each_design(uf2_design);
}
END_TEST

static void uf6_design(int d)
{
	struct uf u;

	uf_setup(&u, d);
	ck_assert_int_eq(uf_zeropage(&u, u.shared, 1), PAGE_SIZE);
	ck_assert_int_eq(u.inode->i_mapping->nrpages, 1);
	ck_assert_int_eq(u.inode->i_blocks * 512 / PAGE_SIZE, 1);
	ck_assert_int_eq(uf_load(u.shared), 0);
	ck_assert_int_eq(uf_pread(&u, 0), 0);
	ck_assert_int_eq(uf_zeropage(&u, u.private + PAGE_SIZE, 1),
			 PAGE_SIZE);
	ck_assert_int_eq(u.inode->i_mapping->nrpages, 1);
	ck_assert_int_eq(uf_load(u.private + PAGE_SIZE), 0);
	ck_assert_int_eq(user_store_byte(u.private + PAGE_SIZE, 7), 0);
	ck_assert_int_eq(uf_load(u.private + PAGE_SIZE), 7);
	ck_assert_int_eq(uf_pread(&u, 1), 0);
}

START_TEST(uf6_zeropage_shared_folio_private_zero_page)
{
	uf_each_design(uf6_design);
}
END_TEST

static void uf11_design(int d)
{
	struct uf u;
	unsigned long minor;
	u8 c = 0x5c;

	uf_setup(&u, d);
	minor = uf_map(u.fd, UF_FILE, MAP_SHARED);
	ck_assert_int_eq(uf_register(&u, minor, UF_FILE,
				     UFFDIO_REGISTER_MODE_MINOR), 0);
	ck_assert_int_eq(ksys_pwrite64(u.fd, &c, 1, 0), 1);
	ck_assert_int_eq(uf_load(minor), -SIGBUS);
	ck_assert_int_eq(uf_continue(&u, minor, 1), PAGE_SIZE);
	ck_assert_int_eq(uf_load(minor), 0x5c);
	ck_assert_int_eq(uf_continue(&u, minor, 1), -EEXIST);
	ck_assert_int_eq(uf_continue(&u, minor + PAGE_SIZE, 1),
			 -EFAULT);
	ck_assert_int_eq(u.inode->i_mapping->nrpages, 1);
}

START_TEST(uf11_continue_maps_the_cached_folio)
{
	uf_each_design(uf11_design);
}
END_TEST

static void uf3_design(int d)
{
	struct uf_counters before, after;
	struct uf u;

	uf_setup(&u, d);
	ck_assert_int_eq(uf_copy(&u, u.shared, u.src, 1, 0), PAGE_SIZE);
	ck_assert_int_eq(uf_copy(&u, u.private, u.src, 1, 0),
			 PAGE_SIZE);
	uf_count(&u, &before);
	ck_assert_int_eq(uf_copy(&u, u.shared, u.src, 1, 0), -EEXIST);
	ck_assert_int_eq(uf_zeropage(&u, u.shared, 1), -EEXIST);
	ck_assert_int_eq(uf_copy(&u, u.private, u.src, 1, 0), -EEXIST);
	ck_assert_int_eq(uf_zeropage(&u, u.private, 1), -EEXIST);
	uf_count(&u, &after);
	uf_assert_counters_eq(&before, &after);
}

START_TEST(uf3_fill_onto_a_present_page_is_eexist_and_clean)
{
	uf_each_design(uf3_design);
}
END_TEST

static const int uf4_want[NR_UFFD_DESIGNS] = {
	[UFFD_UPSTREAM] = -EFAULT, [UFFD_RFC] = -ENOMEM,
	[UFFD_FIX] = -EFAULT, [UFFD_RFC_NO_RECALC] = -ENOMEM,
};

static void uf4_design(int d)
{
	struct uf_counters before, after;
	unsigned long eof;
	struct uf u;

	uf_setup(&u, d);
	eof = u.shared + UF_FILE * PAGE_SIZE;
	uf_count(&u, &before);
	ck_assert_int_eq(uf_copy(&u, eof, u.src, 1, 0), uf4_want[d]);
	ck_assert_int_eq(uf_zeropage(&u, eof + PAGE_SIZE, 1), uf4_want[d]);
	uf_count(&u, &after);
	uf_assert_counters_eq(&before, &after);
}

START_TEST(uf4_fill_past_eof_errno_per_design)
{
	uf_each_design(uf4_design);
}
END_TEST

static void uf5_design(int d)
{
	struct uf_counters before, after;
	unsigned long src;
	struct uf u;
	long ret;

	uf_setup(&u, d);
	src = uf_absent_source(&u, 0x77);
	uf_windows = 0;
	mfill_unlocked_hook = uf_count_window;
	ck_assert_int_eq(uf_copy(&u, u.shared, src, 1, 0), PAGE_SIZE);
	ck_assert_int_eq(uf_windows, 1);
	ck_assert_int_eq(uf_pread(&u, 0), 0x77);
	ksys_munmap(src, PAGE_SIZE);
	src = uf_absent_source(&u, 0x78);
	uf_count(&u, &before);
	if (d == UFFD_UPSTREAM)		/* the second charge */
		fault_inject_set("shmem_acct_blocks", 2);
	else				/* a full tmpfs */
		SHMEM_SB(u.inode->i_sb)->max_blocks = 1;
	ret = uf_copy(&u, u.shared + PAGE_SIZE, src, 1, 0);
	mfill_unlocked_hook = NULL;
	SHMEM_SB(u.inode->i_sb)->max_blocks = 0;
	uf_count(&u, &after);
	ck_assert_msg(ret == -ENOMEM, "%s: %ld", uffd_area.choices[d].name,
		      ret);
	ck_assert_int_eq(uf_windows, 2);
	uf_assert_counters_eq(&before, &after);
}

START_TEST(uf5_absent_source_is_copied_outside_mmap_lock)
{
	uf_each_design(uf5_design);
}
END_TEST

static void uf7_design(int d)
{
	struct uf_counters before, after;
	struct kstat st;
	struct uf u;

	ck_assert_int_eq(uf_error_path(&u, d, UF_PATH_REFUSED, &before,
				       &after), -EFAULT);
	if (d != UFFD_RFC_NO_RECALC) {
		uf_assert_counters_eq(&before, &after);
		return;
	}
	ck_assert_int_eq(after.alloced, before.alloced + 1);
	ck_assert_int_eq(after.blocks, before.blocks + 1);
	ck_assert_int_eq(after.used_blocks, before.used_blocks + 1);
	ck_assert_int_eq(after.nrpages, before.nrpages);
	ck_assert_int_eq(after.folios, before.folios);
	ck_assert_int_eq(after.lru, before.lru);
	ck_assert_int_eq(ksys_fstat(u.fd, &st), 0);	/* recalcs */
	uf_count(&u, &after);
	uf_assert_counters_eq(&before, &after);
}

START_TEST(uf7_filemap_remove_recalc_gives_the_block_back)
{
	uf_each_design(uf7_design);
}
END_TEST

/* A fill in design @d of a page an inode with a stale alloced lacks. */
static long uf8_stale_fill(struct uf *u, int d)
{
	struct shmem_sb_info *sbinfo;

	uf_setup(u, d);
	sbinfo = SHMEM_SB(u->inode->i_sb);
	variant_select(&uffd_area, UFFD_RFC_NO_RECALC);
	ck_assert_int_eq(uf_fill_across_truncate(u,
			 uf_absent_source(u, 0x99)), -EFAULT);
	variant_select(&uffd_area, d);
	ck_assert_int_eq(ksys_ftruncate(u->fd, UF_FILE * PAGE_SIZE), 0);
	sbinfo->max_blocks = atomic_long_read(&sbinfo->used_blocks);
	ck_assert_int_eq(SHMEM_I(u->inode)->alloced, 1);
	return uf_copy(u, u->shared, u->src, 1, 0);
}

static void uf8_design(int d)
{
	struct shmem_sb_info *sbinfo;
	struct uf_counters before, after;
	struct uf u;

	uf_setup(&u, d);
	sbinfo = SHMEM_SB(u.inode->i_sb);
	ck_assert_int_eq(uf_copy(&u, u.shared + PAGE_SIZE, u.src, 1, 0),
			 PAGE_SIZE);
	sbinfo->max_blocks = atomic_long_read(&sbinfo->used_blocks);
	uf_count(&u, &before);
	ck_assert_int_eq(uf_copy(&u, u.shared, u.src, 1, 0), -ENOMEM);
	uf_count(&u, &after);
	uf_assert_counters_eq(&before, &after);
	sbinfo->max_blocks = 0;
	ck_assert_int_eq(uf8_stale_fill(&u, d),
			 d == UFFD_FIX ? (long)PAGE_SIZE : -ENOMEM);
	if (d != UFFD_FIX) {
		ck_assert_int_eq(SHMEM_I(u.inode)->alloced, 1);
		ck_assert_int_eq(ksys_pwrite64(u.fd, "x", 1, 0), 1);
	}
	ck_assert_int_eq(SHMEM_I(u.inode)->alloced, 1);
	ck_assert_int_eq(u.inode->i_mapping->nrpages, 1);
	SHMEM_SB(u.inode->i_sb)->max_blocks = 0;
}

START_TEST(uf8_acct_failure_without_recalc)
{
	uf_each_design(uf8_design);
}
END_TEST

static void uf9_design(int d)
{
	struct uf_counters before, after;
	struct uf u;

	ck_assert_int_eq(uf_error_path(&u, d, UF_PATH_REFUSED, &before,
				       &after), -EFAULT);
	ck_assert_int_eq(after.lru, before.lru);
	ck_assert_int_eq(after.folios, before.folios);
	ck_assert_int_eq(after.nrpages, before.nrpages);
	if (d == UFFD_FIX)
		return;		/* it recalculates and succeeds */
	fault_inject_set("shmem_acct_blocks", 1);
	ck_assert_int_eq(uf_copy(&u, u.shared, u.src, 1, 0), -ENOMEM);
	uf_count(&u, &after);
	ck_assert_int_eq(after.lru, before.lru);
	ck_assert_int_eq(after.folios, before.folios);
}

START_TEST(uf9_lru_before_pte_is_undone_on_error)
{
	uf_each_design(uf9_design);
}
END_TEST

static int uf_run_scenario(const char *design, const char *file)
{
	return ktest_system("f=$(mktemp) && { echo 'variant uffd %s'; "
			    "grep -v '^variant' %s; } > $f && "
			    "${MMLIT_MMSIM:-build/mmsim} --backend shim $f "
			    ">/dev/null 2>&1; r=$?; rm -f $f; exit $r",
			    design, file);
}

static void uf10_design(int d)
{
	static const char *const files[] = {
		"tests/scenarios/mmsim-uffd.scn",
		"tests/scenarios/uf-register-errors.scn",
		"tests/scenarios/uf1-copy-shared.scn",
		"tests/scenarios/uf2-copy-private.scn",
		"tests/scenarios/uf3-eexist.scn",
		"tests/scenarios/uf4-past-eof.scn",
		"tests/scenarios/uf6-zeropage.scn",
		"tests/scenarios/uf11-continue.scn",
		"tests/scenarios/uf13-unregister.scn",
		"tests/scenarios/uf14-writeprotect.scn",
	};

	const char *name = uffd_area.choices[d].name;
	bool enomem = d == UFFD_RFC || d == UFFD_RFC_NO_RECALC;

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		bool uf4 = strstr(files[i], "uf4-") != NULL;

		ck_assert_msg(!uf_run_scenario(name, files[i]) ==
			      !(enomem && uf4), "%s: %s", name, files[i]);
	}
}

START_TEST(uf10_old_and_new_paths_agree_but_for_uf4)
{
	uf_each_design(uf10_design);
}
END_TEST

struct uf12_proc {
	struct mm_struct *mm;
	struct userfaultfd_ctx *ctx;
	unsigned long dst, src;
	struct task_struct *filler, *writer;
	long ret;
};

static struct {
	struct uf12_proc p[2];
	atomic_t holding;
	int go;
} uf12;

static void uf12_hold(void)
{
	atomic_inc(&uf12.holding);
	while (!READ_ONCE(uf12.go))
		usleep(100);
}

static int uf12_filler(void *data)
{
	struct uf12_proc *me = data, *other = &uf12.p[me == uf12.p];

	current->mm = me->mm;
	me->ret = mfill_atomic_copy(other->ctx, other->dst, me->src,
				    PAGE_SIZE, 0);
	return 0;
}

static int uf12_writer(void *data)
{
	struct uf12_proc *me = data;

	current->mm = me->mm;
	mmap_write_lock(me->mm);
	mmap_write_unlock(me->mm);
	return 0;
}

static void uf12_make_proc(struct uf12_proc *p)
{
	struct mm_struct *mine = current->mm;
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	int fd, ufd;

	p->mm = current->mm = mm_alloc();
	fd = ksys_memfd_create("uf12", 0);
	ck_assert_int_eq(ksys_ftruncate(fd, PAGE_SIZE), 0);
	p->dst = uf_map(fd, 1, MAP_SHARED);
	p->src = uf_map(-1, 1, MAP_PRIVATE | MAP_ANONYMOUS);
	ufd = ksys_userfaultfd(UFFD_USER_MODE_ONLY);
	ck_assert_int_eq(ksys_uffd_ioctl(ufd, UFFDIO_API, &api), 0);
	reg.range = (struct uffdio_range){ p->dst, PAGE_SIZE };
	ck_assert_int_eq(ksys_uffd_ioctl(ufd, UFFDIO_REGISTER, &reg), 0);
	p->ctx = userfaultfd_ctx_of(ufd);
	current->mm = mine;
}

static bool uf12_waits_for_write(struct task_struct *t, struct mm_struct *mm)
{
	for (long start = now_ms(); now_ms() - start < 2000; usleep(100))
		if (READ_ONCE(t->waiting) &&
		    READ_ONCE(t->blocked_on.kind) == BLOCK_LOCK &&
		    READ_ONCE(t->blocked_on.map) == &mm->mmap_lock.dep_map)
			return true;
	return false;
}

/* 0: both fills done; -EDEADLK: the detector aborted the run. */
static int uf12_run(int design, int copy_variant)
{
	int ret = 0;

	memset(&uf12, 0, sizeof(uf12));
	variant_select(&uffd_area, design);
	variant_select(&uffd_copy_area, copy_variant);
	uf12_make_proc(&uf12.p[0]);
	uf12_make_proc(&uf12.p[1]);
	mfill_locked_hook = uf12_hold;
	for (int i = 0; i < 2; i++)
		uf12.p[i].filler = task_run(uf12_filler, &uf12.p[i], "filler");
	for (long start = now_ms(); atomic_read(&uf12.holding) < 2;
	     usleep(100))
		ck_assert(now_ms() - start < 2000);
	WRITE_ONCE(mfill_locked_hook, NULL);	/* the fillers may look again */
	for (int i = 0; i < 2; i++) {
		uf12.p[i].writer = task_run(uf12_writer, &uf12.p[i], "mmap");
		ck_assert(uf12_waits_for_write(uf12.p[i].writer, uf12.p[i].mm));
	}
	WRITE_ONCE(uf12.go, 1);
	for (int i = 0; i < 2; i++) {
		if (task_join(uf12.p[i].filler) == -EDEADLK)
			ret = -EDEADLK;
		if (task_join(uf12.p[i].writer) == -EDEADLK)
			ret = -EDEADLK;
	}
	return ret;
}

/*
 * Some report of @kind says @what. Not the first one: each filler's
 * report is written under lockdep's lock but filed after it, so the other
 * filler's fault report may be filed before this one's copy report.
 */
static bool uf12_a_report_says(enum report_kind kind, const char *what)
{
	for (int i = 0; i < report_count(); i++)
		if (report_get(i)->kind == kind &&
		    strstr(report_get(i)->text, what))
			return true;
	return false;
}

static void uf12_design(int d)
{
	mmlit_process_reset();
	ck_assert_int_eq(uf12_run(d, 0), 0);
	ck_assert_int_eq(uf12.p[0].ret, PAGE_SIZE);
	ck_assert_int_eq(uf12.p[1].ret, PAGE_SIZE);
	ck_assert_int_eq(report_pending(), 0);
	for (int i = 0; i < 2; i++)
		mmput(uf12.p[i].mm);

	ck_assert_int_eq(uf12_run(d, 1), -EDEADLK);
	ck_assert(uf12_a_report_says(REPORT_RECURSION, "copy_from_user()"));
	ck_assert(uf12_a_report_says(REPORT_DEADLOCK, "mmap_lock"));
	while (report_expect("recursion"))
		;			/* might_fault's, then the fault's */
	ck_assert_report("deadlock");
	for (int i = 0; i < 2; i++)	/* abandoned: closing must not lock */
		userfaultfd_mm_release(uf12.p[i].mm);
}

START_TEST(uf12_copy_with_faults_enabled_deadlocks_two_processes)
{
	uf_each_design(uf12_design);
}
END_TEST

START_TEST(uffd_register_modes_and_errors)
{
	struct uffdio_api api = { .api = UFFD_API };
	unsigned long anon, ro;
	struct uf u;
	int other, rofd;

	uf_setup(&u, UFFD_UPSTREAM);
	anon = uf_map(-1, 2, MAP_PRIVATE | MAP_ANONYMOUS);
	ck_assert_int_eq(uf_register(&u, anon, 2, UFFDIO_REGISTER_MODE_MINOR),
			 -EINVAL);
	ck_assert_int_eq(uf_register(&u, anon, 2, UFFDIO_REGISTER_MODE_MISSING |
				     UFFDIO_REGISTER_MODE_WP), 0);
	ck_assert_int_eq(uf_register(&u, u.private, UF_MAP,
				     UFFDIO_REGISTER_MODE_MINOR), 0);
	ck_assert_int_eq(uf_register(&u, u.shared, UF_MAP, 0), -EINVAL);
	ck_assert_int_eq(uf_register(&u, u.shared, UF_MAP, 8), -EINVAL);
	ck_assert_int_eq(uf_register(&u, u.shared + 1, 1, 1), -EINVAL);
	other = ksys_userfaultfd(UFFD_USER_MODE_ONLY);
	ck_assert_int_eq(ksys_userfaultfd(0), -EPERM);
	ck_assert_int_eq(ksys_uffd_ioctl(other, UFFDIO_REGISTER, &api),
			 -EINVAL);
	ck_assert_int_eq(ksys_uffd_ioctl(other, UFFDIO_API, &api), 0);
	ck_assert_int_eq(ksys_uffd_ioctl(other, UFFDIO_API, &api), -EINVAL);
	u.ufd = other;
	ck_assert_int_eq(uf_register(&u, anon, 2, 1), -EBUSY);
	rofd = ksys_reopen(u.fd, 0);
	ro = ksys_mmap_pgoff(0, PAGE_SIZE, PROT_READ, MAP_SHARED, rofd, 0);
	ck_assert(!IS_ERR_VALUE(ro));
	ck_assert_int_eq(uf_register(&u, ro, 1, 1), -EPERM);
	/* find_dst_vma asks only that the VMA is registered, not with whom */
	ck_assert_int_eq(uf_copy(&u, anon, u.src, 1, 0), PAGE_SIZE);
}
END_TEST

START_TEST(uffd_wp_flag_and_poison)
{
	for (int d = 0; d < NR_UFFD_DESIGNS; d++) {
		struct uffdio_poison p = { .range = { 0, PAGE_SIZE } };
		unsigned long anon;
		struct uf u;

		uf_setup(&u, d);
		anon = uf_map(-1, 2, MAP_PRIVATE | MAP_ANONYMOUS);
		ck_assert_int_eq(uf_register(&u, anon, 2,
					     UFFDIO_REGISTER_MODE_MISSING |
					     UFFDIO_REGISTER_MODE_WP), 0);
		ck_assert_int_eq(uf_copy(&u, u.shared, u.src, 1,
					 UFFDIO_COPY_MODE_WP), -EINVAL);
		ck_assert_int_eq(uf_copy(&u, anon, u.src, 1,
					 UFFDIO_COPY_MODE_WP), PAGE_SIZE);
		ck_assert_int_eq(uf_load(anon), 0xab);
		ck_assert(!((struct pte *)xa_load(&current->mm->page_table,
						  anon >> PAGE_SHIFT))->write);
		p.range.start = anon + PAGE_SIZE;
		ck_assert_int_eq(ksys_uffd_ioctl(u.ufd, UFFDIO_POISON, &p), 0);
		ck_assert_int_eq(p.updated, PAGE_SIZE);
		ck_assert_int_eq(uf_load(anon + PAGE_SIZE), -SIGBUS);
		ck_assert_int_eq(ksys_uffd_ioctl(u.ufd, UFFDIO_POISON, &p),
				 -EEXIST);
	}
}
END_TEST

static void uf13_design(int d)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uf u;
	int other;

	uf_setup_wp(&u, d);
	other = ksys_userfaultfd(UFFD_USER_MODE_ONLY);
	ck_assert_int_eq(ksys_uffd_ioctl(other, UFFDIO_API, &api), 0);
	ck_assert_int_eq(uf_writeprotect(&u, u.shared, 1,
					 UFFDIO_WRITEPROTECT_MODE_WP), 0);
	ck_assert_int_eq(uf_unregister(other, u.shared, UF_MAP), -EINVAL);
	ck_assert_int_eq(uf_unregister(u.ufd, u.shared + 1, 1), -EINVAL);
	ck_assert_int_eq(uf_unregister(u.ufd, u.shared, 0), -EINVAL);
	ck_assert_int_eq(uf_unregister(u.ufd, u.shared, UF_MAP), 0);
	ck_assert_int_eq(uf_unregister(u.ufd, u.shared, UF_MAP), 0);
	ck_assert_int_eq(uf_register(&u, u.shared, UF_MAP,
				     UFFDIO_REGISTER_MODE_WP), 0);
	ck_assert_int_eq(user_store_byte(u.shared, 1), 0);
	ck_assert_int_eq(uf_unregister(u.ufd, u.shared, UF_MAP), 0);
	ck_assert_int_eq(uf_load(u.shared + PAGE_SIZE), 0);
	ck_assert_int_eq(uf_copy(&u, u.shared + 2 * PAGE_SIZE, u.src, 1, 0),
			 -ENOENT);
	ck_assert_int_eq(uf_writeprotect(&u, u.shared, 1,
					 UFFDIO_WRITEPROTECT_MODE_WP), -ENOENT);
	ck_assert_int_eq(ksys_munmap(u.shared, UF_MAP * PAGE_SIZE), 0);
	ck_assert_int_eq(uf_unregister(u.ufd, u.shared, UF_MAP), -EINVAL);
}

START_TEST(uf13_unregister_ends_the_hold_on_the_range)
{
	uf_each_design(uf13_design);
}
END_TEST

static void uf14_design(int d)
{
	const u64 wp = UFFDIO_WRITEPROTECT_MODE_WP;
	unsigned long anon;
	struct uf u;

	uf_setup_wp(&u, d);
	anon = uf_map(-1, 2, MAP_PRIVATE | MAP_ANONYMOUS);
	ck_assert_int_eq(user_store_byte(u.shared, 1), 0);
	ck_assert_int_eq(uf_writeprotect(&u, u.shared, 1,
			 wp | UFFDIO_WRITEPROTECT_MODE_DONTWAKE), -EINVAL);
	ck_assert_int_eq(uf_writeprotect(&u, u.shared, 1, 4), -EINVAL);
	ck_assert_int_eq(uf_writeprotect(&u, u.shared + 1, 1, wp), -EINVAL);
	ck_assert_int_eq(uf_writeprotect(&u, u.private, 1, wp), -ENOENT);
	ck_assert_int_eq(uf_writeprotect(&u, anon, 1, wp), -ENOENT);
	ck_assert_int_eq(uf_writeprotect(&u, u.shared, 1, wp), 0);
	ck_assert_int_eq(uf_load(u.shared), 1);
	ck_assert_int_eq(user_store_byte(u.shared, 2), -SIGBUS);
	ck_assert_int_eq(uf_pread(&u, 0), 1);
	ck_assert_int_eq(uf_writeprotect(&u, u.shared, 1, 0), 0);
	ck_assert_int_eq(user_store_byte(u.shared, 2), 0);
	ck_assert_int_eq(uf_pread(&u, 0), 2);
	ck_assert_int_eq(uf_copy(&u, u.shared + PAGE_SIZE, u.src, 1,
				 UFFDIO_COPY_MODE_WP), PAGE_SIZE);
	ck_assert_int_eq(uf_load(u.shared + PAGE_SIZE), 0xab);
	ck_assert_int_eq(user_store_byte(u.shared + PAGE_SIZE, 3), -SIGBUS);
}

START_TEST(uf14_write_to_a_protected_page_is_the_uffds)
{
	uf_each_design(uf14_design);
}
END_TEST

static struct {
	struct mm_struct *mm;
	unsigned long victim;
	int unmapped;
} uf15;

static int uf15_unmap(void *data)
{
	current->mm = uf15.mm;
	ck_assert_int_eq(ksys_munmap(uf15.victim, 2 * PAGE_SIZE), 0);
	WRITE_ONCE(uf15.unmapped, 1);
	return 0;
}

/* A context with UFFD_FEATURE_EVENT_UNMAP holding @addr's two pages. */
static int uf15_monitor(unsigned long victim, unsigned long target)
{
	struct uffdio_api api = {
		.api = UFFD_API,
		.features = UFFD_FEATURE_SIGBUS | UFFD_FEATURE_EVENT_UNMAP,
	};
	int fd = ksys_userfaultfd(UFFD_USER_MODE_ONLY);
	struct uf m = { .ufd = fd };

	ck_assert_int_eq(ksys_uffd_ioctl(fd, UFFDIO_API, &api), 0);
	ck_assert_int_eq(uf_register(&m, victim, 2,
				     UFFDIO_REGISTER_MODE_MISSING), 0);
	ck_assert_int_eq(uf_register(&m, target, 2,
				     UFFDIO_REGISTER_MODE_MISSING |
				     UFFDIO_REGISTER_MODE_WP), 0);
	return fd;
}

static void uf15_design(int d)
{
	struct task_struct *t;
	struct uffd_msg msg;
	unsigned long target;
	struct uf u, m;

	uf_setup(&u, d);
	m = u;
	uf15 = (typeof(uf15)){ .mm = current->mm };
	uf15.victim = uf_map(-1, 2, MAP_PRIVATE | MAP_ANONYMOUS);
	target = uf_map(-1, 2, MAP_PRIVATE | MAP_ANONYMOUS);
	m.ufd = uf15_monitor(uf15.victim, target);
	t = task_run(uf15_unmap, NULL, "munmap");
	for (long start = now_ms(); !READ_ONCE(t->waiting); usleep(100))
		ck_assert(now_ms() - start < 2000);
	ck_assert_int_eq(uf_copy(&m, target, u.src, 1, 0), -EAGAIN);
	ck_assert_int_eq(uf_zeropage(&m, target, 1), -EAGAIN);
	ck_assert_int_eq(uf_writeprotect(&m, target, 1,
					 UFFDIO_WRITEPROTECT_MODE_WP), -EAGAIN);
	ck_assert_int_eq(uf_load(target), -SIGBUS);
	ck_assert_int_eq(uf_copy(&u, u.shared, u.src, 1, 0), PAGE_SIZE);
	ck_assert(!READ_ONCE(uf15.unmapped));
	ck_assert_int_eq(ksys_uffd_read(m.ufd, &msg), sizeof(msg));
	ck_assert_int_eq(task_join(t), 0);
	ck_assert(uf15.unmapped);
	ck_assert_int_eq(msg.event, UFFD_EVENT_UNMAP);
	ck_assert_int_eq(msg.start, uf15.victim);
	ck_assert_int_eq(msg.end, uf15.victim + 2 * PAGE_SIZE);
	ck_assert_int_eq(ksys_uffd_read(m.ufd, &msg), -EAGAIN);
	ck_assert_int_eq(uf_copy(&m, target, u.src, 1, 0), PAGE_SIZE);
}

START_TEST(uf15_fills_wait_out_an_unread_event)
{
	uf_each_design(uf15_design);
}
END_TEST

struct uf_sweep_op {
	const char *name;
	void (*prep)(struct uf *u);
	long (*op)(struct uf *u);
};

static void uf_prep_absent(struct uf *u)
{
	u->absent = uf_absent_source(u, 0x66);
}

static void uf_prep_minor(struct uf *u)
{
	u->minor = uf_map(u->fd, UF_FILE, MAP_SHARED);
	ck_assert_int_eq(uf_register(u, u->minor, UF_FILE,
				     UFFDIO_REGISTER_MODE_MINOR), 0);
	ck_assert_int_eq(ksys_pwrite64(u->fd, "m", 1, 0), 1);
}

static long uf_op_copy(struct uf *u)
{
	return uf_copy(u, u->shared, u->src, 1, 0);
}
static long uf_op_copy_absent(struct uf *u)
{
	return uf_copy(u, u->shared, u->absent, 1, 0);
}
static long uf_op_copy_private(struct uf *u)
{
	return uf_copy(u, u->private, u->src, 1, 0);
}
static long uf_op_zero(struct uf *u) { return uf_zeropage(u, u->shared, 1); }
static long uf_op_zero_private(struct uf *u)
{
	return uf_zeropage(u, u->private, 1);
}
static long uf_op_continue(struct uf *u) { return uf_continue(u, u->minor, 1); }

static const struct uf_sweep_op uf_sweep_ops[] = {
	{ "copy", NULL, uf_op_copy },
	{ "copy-absent-source", uf_prep_absent, uf_op_copy_absent },
	{ "copy-private", NULL, uf_op_copy_private },
	{ "zeropage", NULL, uf_op_zero },
	{ "zeropage-private", NULL, uf_op_zero_private },
	{ "continue", uf_prep_minor, uf_op_continue },
};

static const char *uf_sites[32];
static int uf_nr_sites;

static void uf_collect_site(const char *name, const char *desc)
{
	if (uf_nr_sites < 32)
		uf_sites[uf_nr_sites++] = name;
}

/* Fail the @nth call of @site in @o; false when it was not reached. */
static bool uf_sweep_once(const struct uf_sweep_op *o, int d,
			  const char *site, long nth, int *failures)
{
	struct fault_site *fs = fault_site_find(site);
	struct uf_counters before, after;
	bool cached;
	long failed, ret;
	struct uf u;

	uf_setup(&u, d);
	if (o->prep)
		o->prep(&u);
	uf_count(&u, &before);
	cached = filemap_get_entry(u.inode->i_mapping, 0);
	failed = fs->failed;
	ck_assert_int_eq(fault_inject_set(site, nth), 0);
	ret = o->op(&u);
	fault_inject_reset();
	if (fs->failed == failed)
		return false;
	(*failures)++;
	ck_assert_msg(current->lockdep_depth == 0, "%s (%s) %s #%ld: a lock "
		      "is held", o->name, uffd_area.choices[d].name, site, nth);
	if (ret >= 0)
		return true;			/* absorbed */
	ck_assert_msg(ret == -ENOMEM, "%s (%s) %s #%ld: returned %ld", o->name,
		      uffd_area.choices[d].name, site, nth, ret);
	uf_count(&u, &after);
	uf_assert_counters_eq(&before, &after);
	ck_assert(!filemap_get_entry(u.inode->i_mapping, 0) == !cached);
	return true;
}

static const char uf_fill_sites[] =
	" page_alloc shmem_alloc_folio memcg_charge shmem_acct_blocks ";

static void uf_sweep_design(const struct uf_sweep_op *o, int d, bool verbose)
{
	int reached = 0, failures = 0, fill_sites = 0;
	char names[256] = "";
	size_t len;

	for (int s = 0; s < uf_nr_sites; s++) {
		long nth = 1;

		while (uf_sweep_once(o, d, uf_sites[s], nth, &failures))
			nth++;
		if (nth == 1)
			continue;
		reached++;
		fill_sites += !!strstr(uf_fill_sites, uf_sites[s]);
		len = strlen(names);
		snprintf(names + len, sizeof(names) - len, " %s x%ld",
			 uf_sites[s], nth - 1);
	}
	if (!strcmp(o->name, "copy"))
		ck_assert_int_eq(fill_sites, 4);
	if (verbose)
		printf("sweep: uffd %s, %s: %d of %d sites reached, %d "
		       "failures checked:%s\n", o->name,
		       uffd_area.choices[d].name, reached, uf_nr_sites,
		       failures, names);
}

START_TEST(uffd_sweep_every_site_of_the_fill_path)
{
	bool verbose = getenv("MMLIT_SWEEP_REPORT");

	if (!uf_nr_sites)
		fault_site_for_each(uf_collect_site);
	for (size_t i = 0; i < ARRAY_SIZE(uf_sweep_ops); i++)
		for (int d = 0; d < NR_UFFD_DESIGNS; d++)
			uf_sweep_design(&uf_sweep_ops[i], d, verbose);
}
END_TEST

static const char *const uf_path_names[UF_NR_PATHS] = {
	"page present", "past i\\_size", "PTE refused after add",
	"block charge fails", "memcg charge fails", "allocation fails",
};

static const char *uf_result(long ret)
{
	static char buf[24];

	if (ret >= 0)
		snprintf(buf, sizeof(buf), "%ld", ret);
	else
		snprintf(buf, sizeof(buf), "%s", strerrorname_np(-ret));
	return buf;
}

static void uffd_counters_figure(void)
{
	printf("\\begin{table}\n\\centering\\small\n"
	       "\\begin{tabular}{llrrrrrrrr}\n"
	       "path & design & result & alloced & blocks & used & nrpages "
	       "& memcg & folios & LRU \\\\\n\\hline\n");
	for (size_t p = 0; p < UF_NR_PATHS; p++) {
		for (int d = 0; d < NR_UFFD_DESIGNS; d++) {
			struct uf_counters b, a;
			struct uf u;
			long ret = uf_error_path(&u, d, p, &b, &a);

			printf("%s & %s & %s & %+ld & %+ld & %+ld & %+ld "
			       "& %+ld & %+ld & %+ld \\\\\n",
			       d ? "" : uf_path_names[p],
			       uffd_area.choices[d].name, uf_result(ret),
			       a.alloced - b.alloced, a.blocks - b.blocks,
			       a.used_blocks - b.used_blocks,
			       a.nrpages - b.nrpages, a.memcg - b.memcg,
			       a.folios - b.folios, a.lru - b.lru);
		}
		printf("\\hline\n");
	}
	printf("\\end{tabular}\n\\caption{Counters across each error path "
	       "of a shared UFFDIO\\_COPY, per design, from a run: the "
	       "change of each (0: exactly as before). A result of 4096 is "
	       "a failure the design absorbed (claims UF3, UF4, UF7--UF9).}\n"
	       "\\label{tab:uffd-counters}\n\\end{table}\n");
	mmlit_process_reset();
}
KTEST_FIGURE("uffd-counters", uffd_counters_figure)

#define UF_U	(1u << UFFD_UPSTREAM)
#define UF_R	(1u << UFFD_RFC)
#define UF_F	(1u << UFFD_FIX)
#define UF_N	(1u << UFFD_RFC_NO_RECALC)
#define UF_RFCS	(UF_R | UF_F | UF_N)
#define UF_ALL	(UF_U | UF_RFCS)
#define UF_P(p)	(1u << UF_PATH_##p)
#define UF_ALL_PATHS	((1u << UF_NR_PATHS) - 1)

struct uf_flow_node {
	const char *id;
	unsigned int designs;
	const char *label;
};

static const struct uf_flow_node uf_flow_nodes[] = {
	{ "fixsize", UF_F, "pgoff < i_size?" },
	{ "acct", UF_U, "shmem_inode_acct_blocks(inode, 1)" },
	{ "alloc", UF_U, "shmem_alloc_folio" },
	{ "alloc", UF_RFCS, "->alloc_folio: i_size check,\\n"
			    "shmem_alloc_folio, mem_cgroup_charge" },
	{ "copy", UF_ALL, "copy_from_user,\\npage faults disabled" },
	{ "retry", UF_U, "-ENOENT: drop mmap_lock, copy with\\n"
			 "faults, call again with the folio" },
	{ "retry", UF_RFCS, "drop mmap_lock, copy with faults,\\n"
			    "retake it, find the VMA again" },
	{ "size", UF_U, "pgoff < i_size?" },
	{ "memcg", UF_U, "mem_cgroup_charge" },
	{ "add", UF_U, "shmem_add_to_page_cache" },
	{ "add", UF_RFCS, "->filemap_add: page cache,\\n"
			  "shmem_inode_acct_blocks, LRU,\\n"
			  "shmem_recalc_inode(inode, 1, 0)" },
	{ "reacct", UF_F, "shmem_recalc_inode,\\ncharge again" },
	{ "pte", UF_U, "mfill_atomic_install_pte:\\n"
		       "i_size and PTE under the PTL, LRU add" },
	{ "pte", UF_RFCS, "mfill_atomic_install_pte:\\n"
			  "i_size and PTE under the PTL, folio_unlock" },
	{ "remove", UF_U, "filemap_remove_folio, folio_put,\\n"
			  "unacct the block" },
	{ "remove", UF_R | UF_F, "->filemap_remove: filemap_remove_folio,\\n"
				 "shmem_recalc_inode(inode, 0, 0)" },
	{ "remove", UF_N, "->filemap_remove: filemap_remove_folio\\n"
			  "(no recalc)" },
	{ "ok", UF_ALL, "mapped" },
	{ "err", UF_ALL, "the error" },
};

struct uf_flow_edge {
	const char *from, *to;
	unsigned int designs, paths;	/* paths: the runs that take it */
	long ret;			/* what they return */
	const char *label;
};

#define UF_EDGE(from, to, designs)	{ from, to, designs, 0, 0, NULL }

static const struct uf_flow_edge uf_flow_edges[] = {
	UF_EDGE("fixsize", "alloc", UF_F),
	{ "fixsize", "err", UF_F, UF_P(PAST_EOF), -EFAULT, "EFAULT" },
	UF_EDGE("acct", "alloc", UF_U),
	{ "acct", "err", UF_U, UF_P(ACCT), -ENOMEM, "ENOMEM" },
	UF_EDGE("alloc", "copy", UF_ALL),
	{ "alloc", "err", UF_U, UF_P(ALLOC), -ENOMEM,
	  "ENOMEM: unacct the block" },
	{ "alloc", "err", UF_R | UF_N, UF_P(ALLOC) | UF_P(MEMCG) |
	  UF_P(PAST_EOF), -ENOMEM, "NULL: ENOMEM, past i_size too;\\n"
	  "put the folio" },
	{ "alloc", "err", UF_F, UF_P(ALLOC) | UF_P(MEMCG), -ENOMEM,
	  "NULL: ENOMEM; put the folio" },
	{ "copy", "retry", UF_ALL, UF_P(REFUSED), 0, "the source faults" },
	UF_EDGE("retry", "acct", UF_U),
	UF_EDGE("retry", "add", UF_RFCS),
	{ "retry", "err", UF_RFCS, 0, -EFAULT, "EFAULT: put the folio" },
	UF_EDGE("copy", "size", UF_U),
	UF_EDGE("copy", "add", UF_RFCS),
	UF_EDGE("size", "memcg", UF_U),
	{ "size", "err", UF_U, UF_P(PAST_EOF) | UF_P(REFUSED), -EFAULT,
	  "EFAULT: put the folio,\\nunacct the block" },
	UF_EDGE("memcg", "add", UF_U),
	{ "memcg", "err", UF_U, UF_P(MEMCG), -ENOMEM,
	  "ENOMEM: put the folio,\\nunacct the block" },
	UF_EDGE("add", "pte", UF_ALL),
	{ "add", "err", UF_U, UF_P(PRESENT), -EEXIST,
	  "EEXIST: uncharge and put\\nthe folio, unacct the block" },
	{ "add", "err", UF_RFCS, UF_P(PRESENT), -EEXIST,
	  "EEXIST: unlock, put the folio" },
	{ "add", "err", UF_R | UF_N, UF_P(ACCT), -ENOMEM,
	  "ENOMEM: out of the page cache,\\nput the folio" },
	{ "add", "reacct", UF_F, UF_P(ACCT), PAGE_SIZE, "charge fails" },
	UF_EDGE("reacct", "pte", UF_F),
	{ "reacct", "err", UF_F, 0, -ENOMEM, "ENOMEM: out of the page cache,\\n"
	  "put the folio" },
	UF_EDGE("pte", "ok", UF_ALL),
	{ "pte", "remove", UF_U, 0, -EFAULT, "EEXIST, EFAULT" },
	{ "pte", "remove", UF_RFCS, UF_P(REFUSED), -EFAULT, "EEXIST, EFAULT" },
	{ "remove", "err", UF_U, 0, 0, "" },
	{ "remove", "err", UF_RFCS, UF_P(REFUSED), 0, "put the folio" },
};

static const char *const uf_path_ids[UF_NR_PATHS] = {
	"present", "past i_size", "refused", "acct", "memcg", "alloc",
};

static void uf_verdict(char *buf, size_t n, enum uf_path p, long ret,
		       const struct uf_counters *b,
		       const struct uf_counters *a)
{
	static const char *const names[] = {
		"alloced", "swapped", "nrpages", "blocks", "used", "memcg",
		"folios", "lru",
	};
	const long *x = (const long *)b, *y = (const long *)a;
	size_t len;

	_Static_assert(sizeof(struct uf_counters) == sizeof(names) /
		       sizeof(names[0]) * sizeof(long), "one name a counter");
	len = snprintf(buf, n, "\\nrun %s: %s", uf_path_ids[p],
		       ret >= 0 ? "mapped" : "as before");
	if (ret >= 0 || !memcmp(b, a, sizeof(*b)))
		return;
	len = snprintf(buf, n, "\\nrun %s: kept", uf_path_ids[p]);
	for (size_t i = 0; i < ARRAY_SIZE(names) && len < n; i++)
		if (x[i] != y[i])
			len += snprintf(buf + len, n - len, " %s %+ld",
					names[i], y[i] - x[i]);
}

/* The edge of design @d that run @p ends on; NULL unless exactly one. */
static const struct uf_flow_edge *uf_flow_end(int d, enum uf_path p)
{
	const struct uf_flow_edge *found = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(uf_flow_edges); i++) {
		const struct uf_flow_edge *e = &uf_flow_edges[i];

		if (!(e->designs & 1u << d) || !(e->paths & 1u << p) ||
		    !e->ret)
			continue;
		if (found)
			return NULL;
		found = e;
	}
	return found;
}

/* Run every path in @d; the verdicts by edge; false on a mismatch. */
static bool uf_flow_check(int d, char verdicts[][96])
{
	bool ok = true;

	for (int p = 0; p < UF_NR_PATHS; p++) {
		const struct uf_flow_edge *e = uf_flow_end(d, p);
		struct uf_counters b, a;
		struct uf u;
		long ret = uf_error_path(&u, d, p, &b, &a);
		char *v;

		if (!e || e->ret != ret) {
			fprintf(stderr, "uffd flow %s: run %s returned %s, "
				"the description says %s\n",
				uffd_area.choices[d].name, uf_path_ids[p],
				uf_result(ret), e ? "another result" :
				"no single edge");
			ok = false;
			continue;
		}
		v = verdicts[e - uf_flow_edges];
		uf_verdict(v + strlen(v), 96 - strlen(v), p, ret, &b, &a);
	}
	mmlit_process_reset();
	return ok;
}

static void uf_flow_figure(int d)
{
	char verdicts[ARRAY_SIZE(uf_flow_edges)][96] = { { 0 } };
	unsigned int bit = 1u << d;

	if (!uf_flow_check(d, verdicts))
		exit(1);
	printf("// Chapter 5: the shared COPY of uffd/%s, from a run.\n"
	       "digraph uffd_fill {\n\trankdir=TB;\n"
	       "\tnode [shape=box, fontname=\"Helvetica\", fontsize=10];\n"
	       "\tedge [fontname=\"Helvetica\", fontsize=9];\n",
	       uffd_area.choices[d].name);
	for (size_t i = 0; i < ARRAY_SIZE(uf_flow_nodes); i++)
		if (uf_flow_nodes[i].designs & bit &&
		    strcmp(uf_flow_nodes[i].id, "err"))
			printf("\t\"%s\" [label=\"%s\"%s];\n",
			       uf_flow_nodes[i].id, uf_flow_nodes[i].label,
			       strcmp(uf_flow_nodes[i].id, "ok") ? "" :
			       ", shape=ellipse");
	for (size_t i = 0; i < ARRAY_SIZE(uf_flow_edges); i++) {
		const struct uf_flow_edge *e = &uf_flow_edges[i];
		char to[16];

		if (!(e->designs & bit))
			continue;
		if (strcmp(e->to, "err")) {
			snprintf(to, sizeof(to), "%s", e->to);
		} else {
			snprintf(to, sizeof(to), "err%zu", i);
			printf("\t\"%s\" [label=\"error\", shape=plaintext, "
			       "fontcolor=red];\n", to);
		}
		printf("\t\"%s\" -> \"%s\" [label=\"%s%s\"%s%s];\n", e->from,
		       to, e->label ? e->label : "", verdicts[i],
		       e->ret < 0 ? ", color=red" : "",
		       e->label && !(e->paths & UF_ALL_PATHS) ?
		       ", style=dashed" : "");
	}
	printf("}\n");
	fflush(stdout);
}

static void uf_flow_upstream(void) { uf_flow_figure(UFFD_UPSTREAM); }
static void uf_flow_rfc(void) { uf_flow_figure(UFFD_RFC); }
static void uf_flow_fix(void) { uf_flow_figure(UFFD_FIX); }
static void uf_flow_no_recalc(void) { uf_flow_figure(UFFD_RFC_NO_RECALC); }
KTEST_FIGURE("uffd-fill-upstream", uf_flow_upstream)
KTEST_FIGURE("uffd-fill-rfc", uf_flow_rfc)
KTEST_FIGURE("uffd-fill-fix", uf_flow_fix)
KTEST_FIGURE("uffd-fill-rfc-no-recalc", uf_flow_no_recalc)

START_TEST(uffd_fill_flows_match_the_runs)
{
	for (int d = 0; d < NR_UFFD_DESIGNS; d++) {
		char verdicts[ARRAY_SIZE(uf_flow_edges)][96] = { { 0 } };

		ck_assert_msg(uf_flow_check(d, verdicts), "uffd/%s",
			      uffd_area.choices[d].name);
	}
}
END_TEST

/* What claim @claim says differs between designs, in design @d. */
static const char *uf_claim_detail(int claim, int d)
{
	static char buf[24];
	struct uf_counters b, a;
	struct uf u;

	switch (claim) {
	case 4:
		return uf_result(uf_error_path(&u, d, UF_PATH_PAST_EOF, &b,
					       &a));
	case 7:
		uf_error_path(&u, d, UF_PATH_REFUSED, &b, &a);
		snprintf(buf, sizeof(buf), "%+ld block", a.blocks - b.blocks);
		return buf;
	case 8:
		return uf_result(uf8_stale_fill(&u, d));
	}
	return NULL;
}

static const char *uf_claim_cell(const TTest *test, int claim, int d,
				 char *buf, size_t n)
{
	const char *detail;
	int failed;

	if (!test)
		return "not tested";
	uf_only = d;
	failed = ktest_run_alone(test);
	uf_only = -1;
	if (failed)
		return failed < 0 ? "no result" : "fails";
	detail = uf_claim_detail(claim, d);
	mmlit_process_reset();
	if (!detail)
		return "holds";
	snprintf(buf, n, "holds: %s", detail);
	return buf;
}

static void uffd_claims_figure(void)
{
	const TTest *tests[] = {
		NULL, uf1_copy_shared_fills_the_page_cache,
		uf2_copy_private_leaves_the_hole,
		uf3_fill_onto_a_present_page_is_eexist_and_clean,
		uf4_fill_past_eof_errno_per_design,
		uf5_absent_source_is_copied_outside_mmap_lock,
		uf6_zeropage_shared_folio_private_zero_page,
		uf7_filemap_remove_recalc_gives_the_block_back,
		uf8_acct_failure_without_recalc,
		uf9_lru_before_pte_is_undone_on_error,
		uf10_old_and_new_paths_agree_but_for_uf4,
		uf11_continue_maps_the_cached_folio,
		uf12_copy_with_faults_enabled_deadlocks_two_processes,
		uf13_unregister_ends_the_hold_on_the_range,
		uf14_write_to_a_protected_page_is_the_uffds,
		uf15_fills_wait_out_an_unread_event,
	};
	char buf[48];

	printf("\\begin{table}\n\\centering\\small\n"
	       "\\begin{tabular}{lllll}\nclaim");
	for (int d = 0; d < NR_UFFD_DESIGNS; d++)
		printf(" & %s", uffd_area.choices[d].name);
	printf(" \\\\\n\\hline\n");
	for (size_t c = 1; c < ARRAY_SIZE(tests); c++) {
		printf("UF%zu", c);
		for (int d = 0; d < NR_UFFD_DESIGNS; d++)
			printf(" & %s", uf_claim_cell(tests[c], c, d, buf,
						      sizeof(buf)));
		printf(" \\\\\n");
	}
	printf("\\end{tabular}\n\\caption{The four designs against the "
	       "claims of this chapter: each cell the result of the claim's "
	       "test run in that design alone.}\n"
	       "\\label{tab:uffd-claims}\n\\end{table}\n");
	fflush(stdout);
}
KTEST_FIGURE("uffd-claims", uffd_claims_figure)

static Suite *uffd_suite(void)
{
	Suite *s = suite_create("uffd");
	TCase *tc = ktest_tcase("uffd");
	TCase *sweep = ktest_tcase("uffd-sweep");

	tcase_add_checked_fixture(tc, NULL, uf_teardown);

	tcase_add_test(tc, uf1_copy_shared_fills_the_page_cache);
	tcase_add_test(tc, uf2_copy_private_leaves_the_hole);
	tcase_add_test(tc, uf3_fill_onto_a_present_page_is_eexist_and_clean);
	tcase_add_test(tc, uf4_fill_past_eof_errno_per_design);
	tcase_add_test(tc, uf6_zeropage_shared_folio_private_zero_page);
	tcase_add_test(tc, uf11_continue_maps_the_cached_folio);
	tcase_add_test(tc, uf5_absent_source_is_copied_outside_mmap_lock);
	tcase_add_test(tc, uf7_filemap_remove_recalc_gives_the_block_back);
	tcase_add_test(tc, uf8_acct_failure_without_recalc);
	tcase_add_test(tc, uf9_lru_before_pte_is_undone_on_error);
	tcase_add_test(tc, uf10_old_and_new_paths_agree_but_for_uf4);
	tcase_add_test(tc, uffd_register_modes_and_errors);
	tcase_add_test(tc, uffd_wp_flag_and_poison);
	tcase_add_test(tc, uf12_copy_with_faults_enabled_deadlocks_two_processes);
	tcase_add_test(tc, uffd_fill_flows_match_the_runs);
	tcase_add_test(tc, uf13_unregister_ends_the_hold_on_the_range);
	tcase_add_test(tc, uf14_write_to_a_protected_page_is_the_uffds);
	tcase_add_test(tc, uf15_fills_wait_out_an_unread_event);
	tcase_add_test(sweep, uffd_sweep_every_site_of_the_fill_path);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, sweep);
	return s;
}
KTEST_SUITE(uffd_suite)
