/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/02-seals-freeze.nw (chapter 2); do not edit. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ktest.h"
#include "shmem.h"
#include "fd-helpers.h"

static int new_memfd(unsigned int flags)
{
	int fd = ksys_memfd_create("test", flags);

	ck_assert_int_ge(fd, 0);
	return fd;
}

static long get_seals(int fd)
{
	return ksys_fcntl(fd, F_GET_SEALS, 0);
}

static long add_seals(int fd, unsigned int seals)
{
	return ksys_fcntl(fd, F_ADD_SEALS, seals);
}

static ssize_t fill(int fd, loff_t pos, size_t len, int byte)
{
	char *buf = malloc(len);
	ssize_t ret;

	memset(buf, byte, len);
	ret = ksys_pwrite64(fd, buf, len, pos);
	free(buf);
	return ret;
}

/* Do all @len bytes at @pos read back as @byte? */
static bool reads_as(int fd, loff_t pos, size_t len, int byte)
{
	unsigned char *buf = malloc(len);
	bool ok = ksys_pread64(fd, buf, len, pos) == (ssize_t)len;

	for (size_t i = 0; ok && i < len; i++)
		ok = buf[i] == byte;
	free(buf);
	return ok;
}

static unsigned long map_fd(int fd, size_t len, int prot, int flags)
{
	unsigned long addr = ksys_mmap_pgoff(0, len, prot, flags, fd, 0);

	return addr;
}

static void *entry_at(int fd, pgoff_t index)
{
	return filemap_get_entry(fd_inode(fd)->i_mapping, index);
}

static bool is_folio(void *entry)
{
	return entry && !xa_is_value(entry);
}

/* The trace lines of one test, for claims about which check refused. */
static char seal_trace[64][256];
static int seal_trace_nr;

static void seal_trace_sink(const char *line)
{
	if (seal_trace_nr < 64)
		snprintf(seal_trace[seal_trace_nr++], 256, "%s", line);
}

static bool traced(const char *what)
{
	for (int i = 0; i < seal_trace_nr; i++)
		if (strstr(seal_trace[i], what))
			return true;
	return false;
}

static void trace_start(void)
{
	seal_trace_nr = 0;
	mmlit_set_trace(seal_trace_sink);
}

START_TEST(sf1_born_sealed_without_allow_sealing)
{
	int fd = new_memfd(0);

	ck_assert_int_eq(get_seals(fd), F_SEAL_SEAL);
	ck_assert_int_eq(add_seals(fd, 0), -EPERM);
	ck_assert_int_eq(add_seals(fd, F_SEAL_GROW), -EPERM);
	ck_assert_int_eq(add_seals(fd, F_SEAL_SEAL), -EPERM);
	ck_assert_int_eq(add_seals(fd, 0x100), -EINVAL);
	ck_assert_int_eq(get_seals(fd), F_SEAL_SEAL);
	/* Otherwise an ordinary memfd. */
	ck_assert_int_eq(ksys_ftruncate(fd, P(2)), 0);
	ck_assert_int_eq(fill(fd, 0, PAGE_SIZE, 0x5a), PAGE_SIZE);
	ck_assert(reads_as(fd, 0, PAGE_SIZE, 0x5a));
	ck_assert_int_eq(fd_pages(fd), 1);
	ck_assert_int_eq(fd_inode(fd)->i_mode & 0777, 0777);
}
END_TEST

START_TEST(sf1_allow_sealing_and_noexec_seal_unseal)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);
	int nx = new_memfd(MFD_NOEXEC_SEAL);

	ck_assert_int_eq(get_seals(fd), 0);
	ck_assert_int_eq(get_seals(nx), F_SEAL_EXEC);
	ck_assert_int_eq(fd_inode(nx)->i_mode & 0111, 0);
	ck_assert_int_eq(add_seals(nx, F_SEAL_GROW), 0);
	ck_assert_int_eq(get_seals(nx), F_SEAL_GROW | F_SEAL_EXEC);
	/* The flags themselves. */
	ck_assert_int_eq(ksys_memfd_create("x", MFD_EXEC | MFD_NOEXEC_SEAL),
			 -EINVAL);
	ck_assert_int_eq(ksys_memfd_create("x", 0x100), -EINVAL);
	ck_assert_int_eq(ksys_memfd_create(NULL, 0), -EFAULT);
}
END_TEST

START_TEST(sf2_seal_seal_refuses_even_nothing)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);

	ck_assert_int_eq(add_seals(fd, F_SEAL_SHRINK), 0);
	ck_assert_int_eq(add_seals(fd, F_SEAL_SEAL), 0);
	ck_assert_int_eq(add_seals(fd, 0), -EPERM);
	ck_assert_int_eq(add_seals(fd, F_SEAL_SHRINK), -EPERM);
	ck_assert_int_eq(add_seals(fd, F_SEAL_GROW), -EPERM);
	ck_assert_int_eq(get_seals(fd), F_SEAL_SEAL | F_SEAL_SHRINK);
}
END_TEST

START_TEST(sf2_readding_a_held_seal_succeeds)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);

	ck_assert_int_eq(add_seals(fd, F_SEAL_GROW), 0);
	ck_assert_int_eq(add_seals(fd, F_SEAL_GROW), 0);
	ck_assert_int_eq(add_seals(fd, F_SEAL_GROW | F_SEAL_SHRINK), 0);
	ck_assert_int_eq(add_seals(fd, 0), 0);
	ck_assert_int_eq(get_seals(fd), F_SEAL_GROW | F_SEAL_SHRINK);
}
END_TEST

START_TEST(sf2_seals_are_seen_through_every_fd)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);
	int rw = ksys_reopen(fd, 1);
	int ro = ksys_reopen(fd, 0);

	ck_assert_int_ge(rw, 0);
	ck_assert_int_ge(ro, 0);
	ck_assert_int_eq(add_seals(rw, F_SEAL_SHRINK | F_SEAL_GROW), 0);
	ck_assert_int_eq(get_seals(fd), F_SEAL_SHRINK | F_SEAL_GROW);
	ck_assert_int_eq(get_seals(ro), F_SEAL_SHRINK | F_SEAL_GROW);
	ck_assert_int_eq(add_seals(fd, F_SEAL_SEAL), 0);
	ck_assert_int_eq(add_seals(rw, 0), -EPERM);
	ck_assert_int_eq(get_seals(ro), F_SEAL_SEAL | F_SEAL_SHRINK |
					F_SEAL_GROW);
	ck_assert_int_eq(SHMEM_I(fd_inode(ro))->seals, get_seals(fd));
}
END_TEST

START_TEST(sf2_add_seals_checks_in_order)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);
	int ro = ksys_reopen(fd, 0);

	/* Not open for writing: EPERM, whatever the bits. */
	ck_assert_int_eq(add_seals(ro, F_SEAL_WRITE), -EPERM);
	ck_assert_int_eq(add_seals(ro, 0x100), -EPERM);
	ck_assert_int_eq(add_seals(ro, 0), -EPERM);
	/* Unknown bits: EINVAL, before and after F_SEAL_SEAL. */
	ck_assert_int_eq(add_seals(fd, 0x100), -EINVAL);
	ck_assert_int_eq(add_seals(fd, F_SEAL_SEAL), 0);
	ck_assert_int_eq(add_seals(fd, 0x100), -EINVAL);
	ck_assert_int_eq(add_seals(fd, 0), -EPERM);
	/* Reading needs no write access. */
	ck_assert_int_eq(get_seals(ro), F_SEAL_SEAL);
	/* Only the seal commands exist in the model's fcntl. */
	ck_assert_int_eq(ksys_fcntl(fd, 1 /* F_GETFD */, 0), -EINVAL);
	ck_assert_int_eq(ksys_fcntl(200, F_GET_SEALS, 0), -EBADF);
}
END_TEST

START_TEST(sf3_shrink_seal_refuses_shrinking)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);

	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(fill(fd, 0, P(4), 0x11), P(4));
	ck_assert_int_eq(add_seals(fd, F_SEAL_SHRINK), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(3)), -EPERM);
	ck_assert_int_eq(ksys_ftruncate(fd, 0), -EPERM);
	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(6)), 0);
	ck_assert_int_eq(fd_size(fd), P(6));
	ck_assert_int_eq(fd_pages(fd), 4);
	/* A punch is not a shrink. */
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_PUNCH_HOLE |
					FALLOC_FL_KEEP_SIZE, 0, P(1)), 0);
}
END_TEST

START_TEST(sf3_grow_seal_refuses_every_growth)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);

	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(add_seals(fd, F_SEAL_GROW), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(5)), -EPERM);
	ck_assert_int_eq(ksys_fallocate(fd, 0, P(3), P(2)), -EPERM);
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_KEEP_SIZE, P(3), P(2)),
			 -EPERM);
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_KEEP_SIZE, P(4), 1),
			 -EPERM);
	ck_assert_int_eq(fd_pages(fd), 0);
	ck_assert_int_eq(ksys_fallocate(fd, 0, 0, P(4)), 0);
	ck_assert_int_eq(fd_pages(fd), 4);
	ck_assert_int_eq(fill(fd, P(4), 1, 0x22), -EPERM);
	/* Crossing EOF: the page inside goes in, the one past it does not. */
	ck_assert_int_eq(fill(fd, P(3), P(2), 0x22), P(1));
	ck_assert(reads_as(fd, P(3), P(1), 0x22));
	ck_assert_int_eq(fd_size(fd), P(4));
	/* Shrinking is still allowed. */
	ck_assert_int_eq(ksys_ftruncate(fd, P(2)), 0);
	ck_assert_int_eq(fd_pages(fd), 2);
}
END_TEST

START_TEST(sf3_same_size_truncate_passes_both_seals)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);

	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(add_seals(fd, F_SEAL_SHRINK | F_SEAL_GROW), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(4) - 1), -EPERM);
	ck_assert_int_eq(ksys_ftruncate(fd, P(4) + 1), -EPERM);
	ck_assert_int_eq(fd_size(fd), P(4));
}
END_TEST

START_TEST(sf4_grow_shrink_allow_punch)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);
	struct inode *inode = fd_inode(fd);

	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(fill(fd, 0, P(4), 0xab), P(4));
	ck_assert_int_eq(add_seals(fd, F_SEAL_GROW | F_SEAL_SHRINK), 0);
	ck_assert_int_eq(fd_pages(fd), 4);
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_PUNCH_HOLE |
					FALLOC_FL_KEEP_SIZE, P(1), P(2)), 0);
	ck_assert_int_eq(fd_pages(fd), 2);
	ck_assert_int_eq(fd_size(fd), P(4));
	ck_assert_ptr_null(entry_at(fd, 1));
	ck_assert_ptr_null(entry_at(fd, 2));
	ck_assert_int_eq(inode->i_mapping->nrpages, 2);
	ck_assert_int_eq(SHMEM_I(inode)->alloced, 2);
	ck_assert(reads_as(fd, 0, P(1), 0xab));
	ck_assert(reads_as(fd, P(1), P(2), 0x00));
	ck_assert(reads_as(fd, P(3), P(1), 0xab));
	ck_assert_int_eq(ksys_lseek(fd, 0, SEEK_HOLE), P(1));
	ck_assert_int_eq(ksys_lseek(fd, P(1), SEEK_DATA), P(3));
	/* A partial punch zeroes bytes and frees nothing. */
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_PUNCH_HOLE |
					FALLOC_FL_KEEP_SIZE, 10, 100), 0);
	ck_assert(reads_as(fd, 10, 100, 0x00));
	ck_assert(reads_as(fd, 0, 10, 0xab));
	ck_assert(reads_as(fd, 110, 100, 0xab));
	ck_assert_int_eq(fd_pages(fd), 2);
	/* The seals still hold. */
	ck_assert_int_eq(ksys_ftruncate(fd, P(8)), -EPERM);
	ck_assert_int_eq(ksys_ftruncate(fd, P(2)), -EPERM);
}
END_TEST

START_TEST(sf4_punch_frees_swapped_pages)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);
	struct inode *inode = fd_inode(fd);
	int swapped = 0;

	swap_set_slots(16);
	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(fill(fd, 0, P(4), 0xcd), P(4));
	try_to_free_pages(GFP_KERNEL, 4);
	for (pgoff_t i = 0; i < 4; i++)
		swapped += xa_is_value(entry_at(fd, i));
	ck_assert_int_gt(swapped, 0);
	ck_assert_int_eq(SHMEM_I(inode)->swapped, swapped);
	ck_assert_int_eq(fd_pages(fd), 4);	/* swap counts too */
	ck_assert_int_eq(add_seals(fd, F_SEAL_GROW | F_SEAL_SHRINK), 0);
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_PUNCH_HOLE |
					FALLOC_FL_KEEP_SIZE, 0, P(4)), 0);
	for (pgoff_t i = 0; i < 4; i++)
		ck_assert_ptr_null(entry_at(fd, i));
	ck_assert_int_eq(SHMEM_I(inode)->swapped, 0);
	ck_assert_int_eq(fd_pages(fd), 0);
	ck_assert_int_eq(nr_free_swap_pages(), 16);
	ck_assert(reads_as(fd, 0, P(4), 0x00));
}
END_TEST

static const unsigned int sf5_write_seals[] = { F_SEAL_WRITE,
						F_SEAL_FUTURE_WRITE };
START_TEST(sf5_write_seals_refuse_write_and_punch)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);

	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(fill(fd, 0, P(2), 0x77), P(2));
	ck_assert_int_eq(add_seals(fd, sf5_write_seals[_i]), 0);
	ck_assert_int_eq(fill(fd, 0, 1, 0x01), -EPERM);
	ck_assert_int_eq(fill(fd, P(3), 1, 0x01), -EPERM);
	ck_assert_int_eq(fill(fd, P(4), 1, 0x01), -EPERM);
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_PUNCH_HOLE |
					FALLOC_FL_KEEP_SIZE, 0, P(1)), -EPERM);
	ck_assert(reads_as(fd, 0, P(2), 0x77));
	/* Allocation changes no byte: allowed, inside and past EOF. */
	ck_assert_int_eq(ksys_fallocate(fd, 0, P(2), P(2)), 0);
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_KEEP_SIZE, P(4), P(1)),
			 0);
	ck_assert_int_eq(ksys_fallocate(fd, 0, P(4), P(2)), 0);
	ck_assert_int_eq(fd_size(fd), P(6));
	ck_assert_int_eq(fd_pages(fd), 6);
	ck_assert(reads_as(fd, P(2), P(4), 0x00));
	/* Nor are they size seals. */
	ck_assert_int_eq(ksys_ftruncate(fd, P(8)), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(2)), 0);
}
END_TEST

START_TEST(sf5_write_seals_and_mappings)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);
	unsigned long r, p;
	u8 b;

	ck_assert_int_eq(ksys_ftruncate(fd, P(2)), 0);
	ck_assert_int_eq(fill(fd, 0, P(1), 0x77), P(1));
	ck_assert_int_eq(add_seals(fd, sf5_write_seals[_i]), 0);
	ck_assert_int_eq((long)map_fd(fd, P(1), PROT_READ | PROT_WRITE,
				      MAP_SHARED), -EPERM);
	r = map_fd(fd, P(1), PROT_READ, MAP_SHARED);
	ck_assert(!IS_ERR_VALUE(r));
	ck_assert_int_eq(user_load_byte(r, &b), 0);
	ck_assert_int_eq(b, 0x77);
	ck_assert_int_eq(user_store_byte(r, 1), -SIGSEGV);
	ck_assert_int_eq(ksys_mprotect(r, P(1), PROT_READ | PROT_WRITE),
			 -EACCES);
	/* A private mapping copies: the file does not change. */
	p = map_fd(fd, P(1), PROT_READ | PROT_WRITE, MAP_PRIVATE);
	ck_assert(!IS_ERR_VALUE(p));
	ck_assert_int_eq(user_store_byte(p, 2), 0);
	ck_assert_int_eq(user_load_byte(p, &b), 0);
	ck_assert_int_eq(b, 2);
	ck_assert_int_eq(ksys_mprotect(p, P(1), PROT_READ), 0);
	ck_assert_int_eq(ksys_mprotect(p, P(1), PROT_READ | PROT_WRITE), 0);
	ck_assert(reads_as(fd, 0, P(1), 0x77));
}
END_TEST

START_TEST(sf5_write_seal_busy_while_mapped_shared)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);
	struct address_space *mapping = fd_inode(fd)->i_mapping;
	unsigned long w, r;
	int ro;

	ck_assert_int_eq(ksys_ftruncate(fd, P(2)), 0);
	w = map_fd(fd, P(2), PROT_READ | PROT_WRITE, MAP_SHARED);
	ck_assert(!IS_ERR_VALUE(w));
	ck_assert_int_eq(user_store_byte(w, 0x10), 0);
	ck_assert_int_eq(add_seals(fd, F_SEAL_WRITE), -EBUSY);
	ck_assert_int_eq(get_seals(fd), 0);
	ck_assert_int_eq(atomic_read(&mapping->i_mmap_writable), 1);
	ck_assert_int_eq(ksys_munmap(w, P(2)), 0);
	/* Read-only, but through a writable fd: VM_MAYWRITE, counted. */
	r = map_fd(fd, P(1), PROT_READ, MAP_SHARED);
	ck_assert(!IS_ERR_VALUE(r));
	ck_assert_int_eq(add_seals(fd, F_SEAL_WRITE), -EBUSY);
	ck_assert_int_eq(ksys_munmap(r, P(1)), 0);
	/* Through a read-only fd: not counted; private: never counted. */
	ro = ksys_reopen(fd, 0);
	ck_assert_int_ge(ro, 0);
	r = map_fd(ro, P(1), PROT_READ, MAP_SHARED);
	ck_assert(!IS_ERR_VALUE(r));
	ck_assert(!IS_ERR_VALUE(map_fd(fd, P(1), PROT_READ | PROT_WRITE,
				       MAP_PRIVATE)));
	ck_assert_int_eq(add_seals(fd, F_SEAL_WRITE), 0);
	ck_assert_int_lt(atomic_read(&mapping->i_mmap_writable), 0);
	ck_assert_int_eq((long)map_fd(ro, P(1), PROT_READ | PROT_WRITE,
				      MAP_SHARED), -EACCES);
	ck_assert_int_eq((long)map_fd(fd, P(1), PROT_READ | PROT_WRITE,
				      MAP_SHARED), -EPERM);
	/* Shared read-only through the writable fd is fine now. */
	ck_assert(!IS_ERR_VALUE(map_fd(fd, P(1), PROT_READ, MAP_SHARED)));
}
END_TEST

START_TEST(sf5_future_write_leaves_existing_mappings)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);
	unsigned long w;

	ck_assert_int_eq(ksys_ftruncate(fd, P(2)), 0);
	w = map_fd(fd, P(2), PROT_READ | PROT_WRITE, MAP_SHARED);
	ck_assert(!IS_ERR_VALUE(w));
	ck_assert_int_eq(add_seals(fd, F_SEAL_FUTURE_WRITE), 0);
	ck_assert_int_eq(user_store_byte(w + 1, 0x11), 0);
	ck_assert(reads_as(fd, 1, 1, 0x11));
	ck_assert_int_eq(fill(fd, 0, 1, 0x12), -EPERM);
	ck_assert_int_eq((long)map_fd(fd, P(1), PROT_READ | PROT_WRITE,
				      MAP_SHARED), -EPERM);
	ck_assert_int_eq(add_seals(fd, F_SEAL_WRITE), -EBUSY);
	ck_assert_int_eq(ksys_munmap(w, P(2)), 0);
	ck_assert_int_eq(add_seals(fd, F_SEAL_WRITE), 0);
	ck_assert_int_eq(get_seals(fd), F_SEAL_WRITE | F_SEAL_FUTURE_WRITE);
}
END_TEST

START_TEST(sf5_write_seal_waits_for_pins)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);
	struct address_space *mapping = fd_inode(fd)->i_mapping;
	struct folio *pin;
	unsigned long w;

	ck_assert_int_eq(ksys_ftruncate(fd, P(2)), 0);
	ck_assert_int_eq(fill(fd, 0, P(2), 0x33), P(2));
	pin = filemap_get_folio(mapping, 1);	/* an extra reference */
	ck_assert(!IS_ERR_OR_NULL(pin));
	ck_assert_int_eq(add_seals(fd, F_SEAL_WRITE), -EBUSY);
	/* The denial of writable mappings was undone. */
	ck_assert_int_eq(atomic_read(&mapping->i_mmap_writable), 0);
	w = map_fd(fd, P(1), PROT_READ | PROT_WRITE, MAP_SHARED);
	ck_assert(!IS_ERR_VALUE(w));
	ck_assert_int_eq(ksys_munmap(w, P(1)), 0);
	folio_put(pin);
	ck_assert_int_eq(add_seals(fd, F_SEAL_WRITE), 0);
}
END_TEST

START_TEST(sf5_exec_implies_write_seals)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);
	int nx = new_memfd(MFD_NOEXEC_SEAL);
	unsigned long w;

	ck_assert_int_eq(ksys_ftruncate(fd, P(1)), 0);
	w = map_fd(fd, P(1), PROT_READ | PROT_WRITE, MAP_SHARED);
	ck_assert(!IS_ERR_VALUE(w));
	ck_assert_int_eq(add_seals(fd, F_SEAL_EXEC), -EBUSY);
	ck_assert_int_eq(get_seals(fd), 0);
	ck_assert_int_eq(ksys_munmap(w, P(1)), 0);
	ck_assert_int_eq(add_seals(fd, F_SEAL_EXEC), 0);
	ck_assert_int_eq(get_seals(fd), F_SEAL_SHRINK | F_SEAL_GROW |
			 F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | F_SEAL_EXEC);
	ck_assert_int_eq(fill(fd, 0, 1, 0x01), -EPERM);
	/* Not executable: F_SEAL_EXEC is only itself. */
	ck_assert_int_eq(add_seals(nx, F_SEAL_EXEC), 0);
	ck_assert_int_eq(get_seals(nx), F_SEAL_EXEC);
	ck_assert_int_eq(ksys_ftruncate(nx, P(1)), 0);
}
END_TEST

START_TEST(sf6_no_operation_removes_a_seal)
{
	const unsigned int all = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
				 F_SEAL_FUTURE_WRITE | F_SEAL_EXEC;
	int fd = new_memfd(MFD_ALLOW_SEALING);
	unsigned int expect = all;
	unsigned long r;
	int g;

#define SEALS_STAY(op) do {						\
		(void)(op);						\
		ck_assert_msg(get_seals(g) == (long)expect,		\
			      "seals changed by %s", #op);		\
	} while (0)

	swap_set_slots(16);
	ck_assert_int_eq(ksys_ftruncate(fd, P(2)), 0);
	ck_assert_int_eq(fill(fd, 0, P(2), 0x61), P(2));
	ck_assert_int_eq(add_seals(fd, all), 0);
	g = ksys_reopen(fd, 1);
	ck_assert_int_ge(g, 0);
	SEALS_STAY(ksys_ftruncate(fd, 0));
	SEALS_STAY(ksys_ftruncate(fd, P(2)));
	SEALS_STAY(ksys_ftruncate(fd, P(3)));
	SEALS_STAY(ksys_fallocate(fd, 0, 0, P(2)));
	SEALS_STAY(ksys_fallocate(fd, FALLOC_FL_PUNCH_HOLE |
				  FALLOC_FL_KEEP_SIZE, 0, P(1)));
	SEALS_STAY(fill(fd, 0, 1, 0x01));
	SEALS_STAY(r = map_fd(fd, P(2), PROT_READ, MAP_SHARED));
	SEALS_STAY(ksys_munmap(r, P(2)));
	SEALS_STAY(try_to_free_pages(GFP_KERNEL, 2));
	SEALS_STAY(mmlit_memfd_freeze(fd, true));
	SEALS_STAY(mmlit_memfd_freeze(fd, false));
	SEALS_STAY(add_seals(g, 0));
	SEALS_STAY(add_seals(g, F_SEAL_SHRINK));
	SEALS_STAY(ksys_close(fd));
	expect |= F_SEAL_SEAL;
	SEALS_STAY(add_seals(g, F_SEAL_SEAL));
	SEALS_STAY(add_seals(g, 0));
	ck_assert(reads_as(g, 0, P(2), 0x61));
#undef SEALS_STAY
}
END_TEST

START_TEST(sf7_freeze_refuses_size_changes)
{
	int fd = new_memfd(0);

	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, true), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(5)), -EPERM);
	ck_assert_int_eq(ksys_ftruncate(fd, P(3)), -EPERM);
	ck_assert_int_eq(ksys_ftruncate(fd, 0), -EPERM);
	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(fd_size(fd), P(4));
}
END_TEST

START_TEST(sf7_freeze_refuses_every_fallocate)
{
	int fd = new_memfd(0);

	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(fill(fd, 0, P(4), 0x44), P(4));
	ck_assert_int_eq(mmlit_memfd_freeze(fd, true), 0);
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_PUNCH_HOLE |
					FALLOC_FL_KEEP_SIZE, 0, P(1)), -EPERM);
	ck_assert_int_eq(ksys_fallocate(fd, 0, 0, P(1)), -EPERM);
	ck_assert_int_eq(ksys_fallocate(fd, 0, P(4), P(1)), -EPERM);
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_KEEP_SIZE, P(4), P(1)),
			 -EPERM);
	ck_assert(reads_as(fd, 0, P(4), 0x44));
	ck_assert_int_eq(fd_pages(fd), 4);
	ck_assert_int_eq(fd_size(fd), P(4));
}
END_TEST

START_TEST(sf7_freeze_refuses_extending_writes)
{
	int fd = new_memfd(0);

	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, true), 0);
	ck_assert_int_eq(fill(fd, P(4), 1, 0x01), -EPERM);
	ck_assert_int_eq(fill(fd, P(3) + 1, P(1), 0x02), P(1) - 1);
	ck_assert_int_eq(fill(fd, 0, P(1), 0x03), P(1));
	ck_assert(reads_as(fd, 0, P(1), 0x03));
	ck_assert(reads_as(fd, P(3) + 1, P(1) - 1, 0x02));
	ck_assert_int_eq(fd_size(fd), P(4));
}
END_TEST

START_TEST(sf7_freeze_allows_writes_and_faults_inside)
{
	int fd = new_memfd(0);
	unsigned long m;
	u8 b;

	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	m = map_fd(fd, P(6), PROT_READ | PROT_WRITE, MAP_SHARED);
	ck_assert(!IS_ERR_VALUE(m));
	ck_assert_int_eq(mmlit_memfd_freeze(fd, true), 0);
	ck_assert_int_eq(user_store_byte(m + P(2), 0x55), 0);
	ck_assert_int_eq(user_load_byte(m + P(3), &b), 0);
	ck_assert_int_eq(b, 0);
	ck_assert(reads_as(fd, P(2), 1, 0x55));
	ck_assert_int_eq(user_store_byte(m + P(4), 0x56), -SIGBUS);
	ck_assert(!IS_ERR_VALUE(map_fd(fd, P(4), PROT_READ | PROT_WRITE,
				       MAP_SHARED)));
	ck_assert_int_eq(fill(fd, P(1), 10, 0x57), 10);
}
END_TEST

/* Same test, each placement of the check in shmem_setattr. */
static const struct {
	const char *variant;
	long same_size_frozen;
} sf7_placements[] = {
	{ "final", 0 },
	{ "v6", -EPERM },
	{ "v7", 0 },
};

START_TEST(sf7_same_size_truncate_per_variant)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);

	ck_assert_int_eq(variant_set("freeze", sf7_placements[_i].variant), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, true), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(4)),
			 sf7_placements[_i].same_size_frozen);
	ck_assert_int_eq(ksys_ftruncate(fd, P(5)), -EPERM);
	ck_assert_int_eq(ksys_ftruncate(fd, P(3)), -EPERM);
	/* The seals themselves behave the same in every placement. */
	ck_assert_int_eq(mmlit_memfd_freeze(fd, false), 0);
	ck_assert_int_eq(add_seals(fd, F_SEAL_SHRINK | F_SEAL_GROW), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(3)), -EPERM);
	ck_assert_int_eq(ksys_ftruncate(fd, P(5)), -EPERM);
}
END_TEST

START_TEST(sf8_freeze_is_invisible_to_get_seals)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);
	int fs = new_memfd(0);

	ck_assert_int_eq(ksys_ftruncate(fd, P(1)), 0);
	ck_assert_int_eq(add_seals(fd, F_SEAL_SHRINK), 0);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, true), 0);
	ck_assert_int_eq(mmlit_memfd_freeze(fs, true), 0);
	ck_assert_int_eq(get_seals(fd), F_SEAL_SHRINK);
	ck_assert_int_eq(get_seals(fs), F_SEAL_SEAL);
	/* Sealing goes on while frozen. */
	ck_assert_int_eq(add_seals(fd, F_SEAL_GROW), 0);
	ck_assert_int_eq(get_seals(fd), F_SEAL_SHRINK | F_SEAL_GROW);
	ck_assert_int_eq(add_seals(fs, 0), -EPERM);
	/* Preserving twice, or unpreserving what is not: refused. */
	ck_assert_int_eq(mmlit_memfd_freeze(fd, true), -EBUSY);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, false), 0);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, false), -ENOENT);
	ck_assert_int_eq(get_seals(fd), F_SEAL_SHRINK | F_SEAL_GROW);
}
END_TEST

START_TEST(sf8_unfreeze_restores_every_operation)
{
	int fd = new_memfd(0);

	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, true), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(5)), -EPERM);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, false), 0);
	ck_assert_int_eq(SHMEM_I(fd_inode(fd))->flags & SHMEM_F_MAPPING_FROZEN,
			 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(5)), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(3)), 0);
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_PUNCH_HOLE |
					FALLOC_FL_KEEP_SIZE, 0, P(3)), 0);
	ck_assert_int_eq(fd_pages(fd), 0);
	ck_assert_int_eq(ksys_fallocate(fd, 0, P(3), P(2)), 0);
	ck_assert_int_eq(fill(fd, P(5), 1, 0x01), 1);
	ck_assert_int_eq(fd_size(fd), P(5) + 1);
	/* And the pins are gone: the write seal can be added. */
	ck_assert_int_eq(mmlit_memfd_freeze(fd, true), 0);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, false), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, 0), 0);
	ck_assert_int_eq(fd_pages(fd), 0);
}
END_TEST

START_TEST(sf8_freeze_and_seals_compose)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);

	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(fill(fd, 0, P(4), 0x66), P(4));
	ck_assert_int_eq(add_seals(fd, F_SEAL_GROW), 0);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, true), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(2)), -EPERM);	/* freeze */
	ck_assert_int_eq(ksys_ftruncate(fd, P(5)), -EPERM);	/* both */
	ck_assert_int_eq(add_seals(fd, F_SEAL_SHRINK), 0);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, false), 0);
	ck_assert_int_eq(ksys_ftruncate(fd, P(2)), -EPERM);	/* SHRINK */
	ck_assert_int_eq(ksys_ftruncate(fd, P(5)), -EPERM);	/* GROW */
	/* The size seals allow a punch again; the freeze did not. */
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_PUNCH_HOLE |
					FALLOC_FL_KEEP_SIZE, 0, P(1)), 0);
	ck_assert(reads_as(fd, 0, P(1), 0x00));
}
END_TEST

START_TEST(sf8_write_seal_busy_while_preserved)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);

	ck_assert_int_eq(ksys_ftruncate(fd, P(2)), 0);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, true), 0);
	ck_assert_int_eq(add_seals(fd, F_SEAL_WRITE), -EBUSY);
	ck_assert_int_eq(add_seals(fd, F_SEAL_FUTURE_WRITE), 0);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, false), 0);
	ck_assert_int_eq(add_seals(fd, F_SEAL_WRITE), 0);
}
END_TEST

START_TEST(sf9_freeze_requires_inode_lock_exclusive)
{
	int fd = new_memfd(0);
	struct inode *inode = fd_inode(fd);

	shmem_freeze(inode, true);
	ck_assert_report("assert");
	inode_lock_shared(inode);
	shmem_freeze(inode, false);
	inode_unlock_shared(inode);
	ck_assert_report("assert");
	inode_lock(inode);
	shmem_freeze(inode, true);
	shmem_freeze(inode, false);
	inode_unlock(inode);
	ck_assert_int_eq(report_pending(), 0);
}
END_TEST

START_TEST(sf10_fallocate_checks_mode_then_freeze_then_seals)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);

	ck_assert_int_eq(ksys_ftruncate(fd, P(2)), 0);
	ck_assert_int_eq(add_seals(fd, F_SEAL_WRITE | F_SEAL_GROW), 0);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, true), 0);
	trace_start();
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, P(1)),
			 -EOPNOTSUPP);
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0, P(1)),
			 -EOPNOTSUPP);
	ck_assert(!traced("refused"));
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_PUNCH_HOLE |
					FALLOC_FL_KEEP_SIZE, 0, P(1)), -EPERM);
	ck_assert(traced("refused: frozen"));
	ck_assert(!traced("refused: write-sealed"));
	ck_assert_int_eq(ksys_fallocate(fd, 0, P(2), P(1)), -EPERM);
	ck_assert(!traced("refused: grow-sealed"));
	/* Unfrozen, the seals answer, with the same errno. */
	ck_assert_int_eq(mmlit_memfd_freeze(fd, false), 0);
	seal_trace_nr = 0;
	ck_assert_int_eq(ksys_fallocate(fd, FALLOC_FL_PUNCH_HOLE |
					FALLOC_FL_KEEP_SIZE, 0, P(1)), -EPERM);
	ck_assert(traced("refused: write-sealed"));
	ck_assert_int_eq(ksys_fallocate(fd, 0, P(2), P(1)), -EPERM);
	ck_assert(traced("refused: grow-sealed"));
	ck_assert(!traced("refused: frozen"));
	mmlit_set_trace(NULL);
}
END_TEST

struct sf11_map {
	long nr;
	pgoff_t index[64];
	void *entry[64];
};

static void sf11_snapshot(int fd, struct sf11_map *map)
{
	struct address_space *mapping = fd_inode(fd)->i_mapping;
	pgoff_t index;
	void *entry;

	map->nr = 0;
	xa_for_each(&mapping->i_pages, index, entry) {
		ck_assert_int_lt(map->nr, 64);
		map->index[map->nr] = index;
		map->entry[map->nr++] = entry;
	}
}

static bool sf11_same(const struct sf11_map *a, const struct sf11_map *b)
{
	if (a->nr != b->nr)
		return false;
	for (long i = 0; i < a->nr; i++)
		if (a->index[i] != b->index[i] || a->entry[i] != b->entry[i])
			return false;
	return true;
}

static u64 sf11_seed = 0x5eed5eed5eedULL;

static unsigned int sf11_rand(unsigned int n)
{
	sf11_seed ^= sf11_seed << 13;
	sf11_seed ^= sf11_seed >> 7;
	sf11_seed ^= sf11_seed << 17;
	return sf11_seed % n;
}

/* One random operation on @fd; a shared mapping is kept in @m. */
static void sf11_random_op(int fd, unsigned long *m)
{
	static const int modes[] = {
		0, FALLOC_FL_KEEP_SIZE,
		FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		FALLOC_FL_ZERO_RANGE,
	};
	loff_t off = sf11_rand(P(20));
	size_t len = 1 + sf11_rand(P(3));
	u8 b;

	switch (sf11_rand(9)) {
	case 0:
		ksys_ftruncate(fd, sf11_rand(P(20)));
		break;
	case 1:
		ksys_fallocate(fd, modes[sf11_rand(4)], off, len);
		break;
	case 2:
		fill(fd, off, len, sf11_rand(256));
		break;
	case 3:
		reads_as(fd, off, len, 0);
		break;
	case 4:
		user_store_byte(*m + off, sf11_rand(256));
		break;
	case 5:
		user_load_byte(*m + off, &b);
		break;
	case 6:
		try_to_free_pages(GFP_KERNEL, 8);
		break;
	case 7:
		add_seals(fd, 1U << sf11_rand(6));
		break;
	case 8:
		ksys_munmap(*m, P(20));
		*m = map_fd(fd, P(20), PROT_READ | PROT_WRITE,
			    sf11_rand(2) ? MAP_SHARED : MAP_PRIVATE);
		break;
	}
}

START_TEST(sf11_preserve_keeps_the_index_folio_map_fixed)
{
	int fd = new_memfd(MFD_ALLOW_SEALING);
	struct folio **pinned;
	struct sf11_map before, after;
	unsigned long m;

	swap_set_slots(64);
	ck_assert_int_eq(ksys_ftruncate(fd, P(16)), 0);
	ck_assert_int_eq(fill(fd, 0, P(4), 0x71), P(4));
	ck_assert_int_eq(ksys_fallocate(fd, 0, P(6), P(2)), 0);
	ck_assert_int_eq(fill(fd, P(10), P(2), 0x72), P(2));
	try_to_free_pages(GFP_KERNEL, 4);	/* some go to swap */
	ck_assert_int_gt(SHMEM_I(fd_inode(fd))->swapped, 0);
	ck_assert_int_eq(mmlit_memfd_freeze(fd, true), 0);
	ck_assert_int_eq(memfd_luo_preserved(fd_inode(fd), &pinned), 16);
	sf11_snapshot(fd, &before);
	ck_assert_int_eq(before.nr, 16);
	for (long i = 0; i < 16; i++) {
		ck_assert(is_folio(before.entry[i]));
		ck_assert_ptr_eq(before.entry[i], pinned[i]);
	}
	ck_assert(reads_as(fd, 0, P(4), 0x71));
	ck_assert(reads_as(fd, P(10), P(2), 0x72));

	m = map_fd(fd, P(20), PROT_READ | PROT_WRITE, MAP_SHARED);
	for (int op = 0; op < 400; op++) {
		sf11_random_op(fd, &m);
		sf11_snapshot(fd, &after);
		ck_assert_msg(sf11_same(&before, &after),
			      "map changed at operation %d", op);
		ck_assert_int_eq(fd_size(fd), P(16));
	}
	ck_assert_int_eq(mmlit_memfd_freeze(fd, false), 0);
}
END_TEST

START_TEST(sf11_freeze_without_pins_lets_the_map_change)
{
	int fd = new_memfd(0);
	struct inode *inode = fd_inode(fd);
	unsigned long m;

	swap_set_slots(16);
	ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(fill(fd, 0, P(1), 0x81), P(1));
	inode_lock(inode);
	shmem_freeze(inode, true);
	inode_unlock(inode);
	/* The syscalls are refused as before... */
	ck_assert_int_eq(ksys_fallocate(fd, 0, P(2), P(1)), -EPERM);
	/* ...but a fault fills a hole, */
	ck_assert_ptr_null(entry_at(fd, 2));
	m = map_fd(fd, P(4), PROT_READ | PROT_WRITE, MAP_SHARED);
	ck_assert(!IS_ERR_VALUE(m));
	ck_assert_int_eq(user_store_byte(m + P(2), 0x82), 0);
	ck_assert(is_folio(entry_at(fd, 2)));
	/* and reclaim moves an unpinned folio to swap. */
	ck_assert_int_eq(ksys_munmap(m, P(4)), 0);
	ck_assert(is_folio(entry_at(fd, 0)));
	try_to_free_pages(GFP_KERNEL, 4);
	ck_assert(xa_is_value(entry_at(fd, 0)));
	ck_assert(reads_as(fd, 0, P(1), 0x81));
	inode_lock(inode);
	shmem_freeze(inode, false);
	inode_unlock(inode);
}
END_TEST

START_TEST(sf11_preserve_that_cannot_allocate_leaves_no_freeze)
{
	static const char *const sites[] = { "kmalloc", "page_alloc" };
	int failures = 0;

	for (int s = 0; s < 2; s++) {
		for (long n = 1; ; n++) {
			int fd = new_memfd(0), err, ref;
			struct folio **pinned;

			ck_assert_int_eq(ksys_ftruncate(fd, P(4)), 0);
			ck_assert_int_eq(fill(fd, 0, P(1), 0x91), P(1));
			ref = folio_ref_count(entry_at(fd, 0));
			ck_assert_int_eq(fault_inject_set(sites[s], n), 0);
			err = mmlit_memfd_freeze(fd, true);
			fault_inject_reset();
			if (!err) {
				ck_assert_int_eq(mmlit_memfd_freeze(fd, false),
						 0);
				ksys_close(fd);
				break;
			}
			failures++;
			ck_assert_int_eq(err, -ENOMEM);
			ck_assert_int_eq(memfd_luo_preserved(fd_inode(fd),
							     &pinned),
					 -ENOENT);
			ck_assert_int_eq(folio_ref_count(entry_at(fd, 0)), ref);
			ck_assert_int_eq(ksys_ftruncate(fd, P(5)), 0);
			ksys_close(fd);
		}
	}
	ck_assert_int_ge(failures, 3);
}
END_TEST

START_TEST(shmem_swap_roundtrip_keeps_data_and_counts)
{
	int fd = new_memfd(0);
	struct inode *inode = fd_inode(fd);
	long out = vm_events.pswpout;

	swap_set_slots(8);
	ck_assert_int_eq(ksys_ftruncate(fd, P(3)), 0);
	ck_assert_int_eq(fill(fd, 0, P(2), 0x91), P(2));
	ck_assert_int_eq(ksys_fallocate(fd, 0, P(2), P(1)), 0);
	try_to_free_pages(GFP_KERNEL, 8);
	ck_assert_int_eq(vm_events.pswpout - out, 3);
	for (pgoff_t i = 0; i < 3; i++)
		ck_assert(xa_is_value(entry_at(fd, i)));
	ck_assert_int_eq(inode->i_mapping->nrpages, 0);
	ck_assert_int_eq(SHMEM_I(inode)->swapped, 3);
	ck_assert_int_eq(fd_pages(fd), 3);
	ck_assert_int_eq(nr_free_swap_pages(), 5);
	/* The fallocated page went out zeroed and uptodate: data now. */
	ck_assert_int_eq(ksys_lseek(fd, P(2), SEEK_DATA), P(2));
	ck_assert(reads_as(fd, 0, P(2), 0x91));
	ck_assert(reads_as(fd, P(2), P(1), 0x00));
	for (pgoff_t i = 0; i < 3; i++)
		ck_assert(is_folio(entry_at(fd, i)));
	ck_assert_int_eq(SHMEM_I(inode)->swapped, 0);
	ck_assert_int_eq(fd_pages(fd), 3);
	ck_assert_int_eq(nr_free_swap_pages(), 8);
}
END_TEST

START_TEST(shmem_failed_fallocate_removes_what_it_added)
{
	int fd = new_memfd(0);

	ck_assert_int_eq(ksys_ftruncate(fd, P(2)), 0);
	ck_assert_int_eq(fill(fd, P(1), 1, 0x92), 1);
	ck_assert_int_eq(fault_inject_set("shmem_alloc_folio", 4), 0);
	ck_assert_int_eq(ksys_fallocate(fd, 0, 0, P(8)), -ENOMEM);
	ck_assert_int_eq(fd_size(fd), P(2));
	ck_assert_int_eq(fd_pages(fd), 1);
	ck_assert(is_folio(entry_at(fd, 1)));
	for (pgoff_t i = 2; i < 8; i++)
		ck_assert_ptr_null(entry_at(fd, i));
	ck_assert_ptr_null(entry_at(fd, 0));
	ck_assert(reads_as(fd, P(1), 1, 0x92));
}
END_TEST

START_TEST(shmem_last_close_gives_every_block_back)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(shmem_sb());
	long used = atomic_long_read(&sbinfo->used_blocks);
	int fd = new_memfd(0);

	swap_set_slots(4);
	ck_assert_int_eq(ksys_ftruncate(fd, P(8)), 0);
	ck_assert_int_eq(ksys_fallocate(fd, 0, 0, P(4)), 0);
	ck_assert_int_eq(fill(fd, P(4), P(4), 0x93), P(4));
	try_to_free_pages(GFP_KERNEL, 2);
	ck_assert_int_eq(atomic_long_read(&sbinfo->used_blocks) - used, 8);
	ck_assert_int_eq(ksys_close(fd), 0);
	ck_assert_int_eq(atomic_long_read(&sbinfo->used_blocks), used);
	ck_assert_int_eq(nr_free_swap_pages(), 4);
}
END_TEST

struct matrix_backend {
	const char *name;
	int (*create)(void);
	long (*ftruncate)(int fd, loff_t len);
	long (*fallocate)(int fd, int mode, loff_t off, loff_t len);
	long (*pwrite)(int fd, loff_t pos, size_t len);
	long (*add_seals)(int fd, unsigned int seals);
	long (*freeze)(int fd);			/* NULL: not offered */
	long (*mmap)(int fd, int prot, int flags, unsigned long *addr);
	long (*mprotect)(unsigned long addr, int prot);
	long (*store)(unsigned long addr);
	void (*cleanup)(int fd, unsigned long addr);
};

#define MATRIX_LEN	P(4)

static sigjmp_buf host_jmp;
static volatile int host_sig;

static void host_fault(int sig)
{
	host_sig = sig;
	siglongjmp(host_jmp, 1);
}

static long host_ret(long r)
{
	return r < 0 ? -errno : r;
}

static int host_create(void)
{
	return memfd_create("matrix", MFD_ALLOW_SEALING);
}

static long host_ftruncate(int fd, loff_t len)
{
	return host_ret(ftruncate(fd, len));
}

static long host_fallocate(int fd, int mode, loff_t off, loff_t len)
{
	return host_ret(fallocate(fd, mode, off, len));
}

static long host_pwrite(int fd, loff_t pos, size_t len)
{
	char buf[2 * 4096];

	memset(buf, 0x5a, len);
	return host_ret(pwrite(fd, buf, len, pos));
}

static long host_add_seals(int fd, unsigned int seals)
{
	return host_ret(fcntl(fd, F_ADD_SEALS, seals));
}

static long host_mmap(int fd, int prot, int flags, unsigned long *addr)
{
	void *p = mmap(NULL, MATRIX_LEN, prot, flags, fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	*addr = (unsigned long)p;
	return 0;
}

static long host_mprotect(unsigned long addr, int prot)
{
	return host_ret(mprotect((void *)addr, MATRIX_LEN, prot));
}

static long host_store(unsigned long addr)
{
	struct sigaction sa = { .sa_handler = host_fault }, old_segv, old_bus;
	long ret;

	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	if (sigsetjmp(host_jmp, 1)) {
		ret = -host_sig;
	} else {
		*(volatile char *)addr = 0x5b;
		ret = 0;
	}
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return ret;
}

static void host_cleanup(int fd, unsigned long addr)
{
	if (addr)
		munmap((void *)addr, MATRIX_LEN);
	close(fd);
}

static const struct matrix_backend host_backend = {
	.name = "kernel", .create = host_create, .ftruncate = host_ftruncate,
	.fallocate = host_fallocate, .pwrite = host_pwrite,
	.add_seals = host_add_seals, .freeze = NULL, .mmap = host_mmap,
	.mprotect = host_mprotect, .store = host_store,
	.cleanup = host_cleanup,
};

static int model_create(void)
{
	return ksys_memfd_create("matrix", MFD_ALLOW_SEALING);
}

static long model_ftruncate(int fd, loff_t len)
{
	return ksys_ftruncate(fd, len);
}

static long model_fallocate(int fd, int mode, loff_t off, loff_t len)
{
	return ksys_fallocate(fd, mode, off, len);
}

static long model_pwrite(int fd, loff_t pos, size_t len)
{
	return fill(fd, pos, len, 0x5a);
}

static long model_add_seals(int fd, unsigned int seals)
{
	return add_seals(fd, seals);
}

static long model_freeze(int fd)
{
	return mmlit_memfd_freeze(fd, true);
}

static long model_mmap(int fd, int prot, int flags, unsigned long *addr)
{
	unsigned long a = map_fd(fd, MATRIX_LEN, prot, flags);

	if (IS_ERR_VALUE(a))
		return (long)a;
	*addr = a;
	return 0;
}

static long model_mprotect(unsigned long addr, int prot)
{
	return ksys_mprotect(addr, MATRIX_LEN, prot);
}

static long model_store(unsigned long addr)
{
	return user_store_byte(addr, 0x5b);
}

static void model_cleanup(int fd, unsigned long addr)
{
	mmlit_process_reset();
}

static const struct matrix_backend model_backend = {
	.name = "model", .create = model_create, .ftruncate = model_ftruncate,
	.fallocate = model_fallocate, .pwrite = model_pwrite,
	.add_seals = model_add_seals, .freeze = model_freeze,
	.mmap = model_mmap, .mprotect = model_mprotect, .store = model_store,
	.cleanup = model_cleanup,
};

#define COL_FREEZE	0x80000000u

static const struct {
	const char *name;
	unsigned int seal;
} matrix_cols[] = {
	{ "none", 0 },
	{ "SHRINK", F_SEAL_SHRINK },
	{ "GROW", F_SEAL_GROW },
	{ "WRITE", F_SEAL_WRITE },
	{ "FUT.\\_WRITE", F_SEAL_FUTURE_WRITE },
	{ "freeze", COL_FREEZE },
};

enum matrix_op {
	OP_SHRINK, OP_SAME, OP_GROW, OP_WRITE_IN, OP_WRITE_PAST,
	OP_FALLOC_IN, OP_FALLOC_PAST, OP_FALLOC_KEEP, OP_PUNCH,
	OP_MAP_SHARED_RW, OP_MAP_SHARED_R_MPROTECT, OP_STORE_PRIVATE,
	OP_STORE_EXISTING, NR_MATRIX_OPS
};

static const char *const matrix_rows[] = {
	[OP_SHRINK]		= "ftruncate, smaller",
	[OP_SAME]		= "ftruncate, same size",
	[OP_GROW]		= "ftruncate, larger",
	[OP_WRITE_IN]		= "pwrite inside",
	[OP_WRITE_PAST]		= "pwrite at EOF",
	[OP_FALLOC_IN]		= "fallocate inside",
	[OP_FALLOC_PAST]	= "fallocate past EOF",
	[OP_FALLOC_KEEP]	= "same, KEEP\\_SIZE",
	[OP_PUNCH]		= "punch a hole",
	[OP_MAP_SHARED_RW]	= "mmap shared rw",
	[OP_MAP_SHARED_R_MPROTECT] = "mmap shared r, mprotect rw",
	[OP_STORE_PRIVATE]	= "store, private map",
	[OP_STORE_EXISTING]	= "store, earlier shared map",
};

/* One cell on one backend: "ok", an errno name, a signal, or "add: ..." */
static void matrix_cell(const struct matrix_backend *be, enum matrix_op op,
			unsigned int seal, char *out, size_t size)
{
	unsigned long addr = 0;
	long ret = 0, full = 0;
	int fd = be->create();

	ck_assert_msg(fd >= 0, "%s: memfd_create failed: %d", be->name, fd);
	ck_assert_int_eq(be->ftruncate(fd, P(4)), 0);
	ck_assert_int_eq(be->pwrite(fd, 0, P(2)), P(2));
	if (op == OP_STORE_EXISTING)
		ck_assert_int_eq(be->mmap(fd, PROT_READ | PROT_WRITE,
					  MAP_SHARED, &addr), 0);
	if (seal == COL_FREEZE) {
		if (!be->freeze) {
			snprintf(out, size, "--");
			goto out;
		}
		ret = be->freeze(fd);
	} else if (seal) {
		ret = be->add_seals(fd, seal);
	}
	if (ret) {
		snprintf(out, size, "add: %s", strerrorname_np(-ret));
		goto out;
	}

	switch (op) {
	case OP_SHRINK:
		ret = be->ftruncate(fd, P(2));
		break;
	case OP_SAME:
		ret = be->ftruncate(fd, P(4));
		break;
	case OP_GROW:
		ret = be->ftruncate(fd, P(6));
		break;
	case OP_WRITE_IN:
		ret = be->pwrite(fd, P(1), P(1));
		full = P(1);
		break;
	case OP_WRITE_PAST:
		ret = be->pwrite(fd, P(4), P(1));
		full = P(1);
		break;
	case OP_FALLOC_IN:
		ret = be->fallocate(fd, 0, P(2), P(2));
		break;
	case OP_FALLOC_PAST:
		ret = be->fallocate(fd, 0, P(3), P(2));
		break;
	case OP_FALLOC_KEEP:
		ret = be->fallocate(fd, FALLOC_FL_KEEP_SIZE, P(3), P(2));
		break;
	case OP_PUNCH:
		ret = be->fallocate(fd, FALLOC_FL_PUNCH_HOLE |
				    FALLOC_FL_KEEP_SIZE, 0, P(1));
		break;
	case OP_MAP_SHARED_RW:
		ret = be->mmap(fd, PROT_READ | PROT_WRITE, MAP_SHARED, &addr);
		break;
	case OP_MAP_SHARED_R_MPROTECT:
		ret = be->mmap(fd, PROT_READ, MAP_SHARED, &addr);
		if (!ret)
			ret = be->mprotect(addr, PROT_READ | PROT_WRITE);
		break;
	case OP_STORE_PRIVATE:
		ret = be->mmap(fd, PROT_READ | PROT_WRITE, MAP_PRIVATE, &addr);
		if (!ret)
			ret = be->store(addr + P(1));
		break;
	case OP_STORE_EXISTING:
		ret = be->store(addr + P(1));
		break;
	default:
		break;
	}
	if (ret == full)
		snprintf(out, size, "ok");
	else if (ret == -SIGSEGV && (op == OP_STORE_PRIVATE ||
				     op == OP_STORE_EXISTING))
		snprintf(out, size, "SIGSEGV");
	else if (ret == -SIGBUS && (op == OP_STORE_PRIVATE ||
				    op == OP_STORE_EXISTING))
		snprintf(out, size, "SIGBUS");
	else if (ret < 0)
		snprintf(out, size, "%s", strerrorname_np(-ret));
	else
		snprintf(out, size, "%ld", ret);
out:
	be->cleanup(fd, addr);
}

#define NR_COLS	ARRAY_SIZE(matrix_cols)

static char seal_matrix[2][NR_MATRIX_OPS][NR_COLS][24];

static void matrix_print(FILE *f, int differ)
{
	fprintf(f, "%% Generated by tests/test-seals.c (seals_matrix_agrees_"
		   "with_kernel) from a run; do not edit.\n");
	fprintf(f, "\\begin{table}[ht]\n\\centering\\footnotesize\n");
	fprintf(f, "\\setlength{\\tabcolsep}{4pt}\n");
	fprintf(f, "\\begin{tabular}{ll");
	for (size_t c = 0; c < NR_COLS; c++)
		fprintf(f, "l");
	fprintf(f, "}\n\\hline\noperation & backend");
	for (size_t c = 0; c < NR_COLS; c++)
		fprintf(f, " & %s", matrix_cols[c].name);
	fprintf(f, " \\\\\n\\hline\n");
	for (int op = 0; op < NR_MATRIX_OPS; op++) {
		for (int b = 0; b < 2; b++) {
			fprintf(f, "%s & %s", b ? "" : matrix_rows[op],
				b ? "kernel" : "model");
			for (size_t c = 0; c < NR_COLS; c++) {
				bool bad = strcmp(seal_matrix[0][op][c],
						  seal_matrix[1][op][c]) &&
					   strcmp(seal_matrix[1][op][c], "--");

				fprintf(f, bad ? " & \\textbf{%s}" : " & %s",
					seal_matrix[b][op][c]);
			}
			fprintf(f, " \\\\\n");
		}
		fprintf(f, "\\hline\n");
	}
	fprintf(f, "\\end{tabular}\n");
	fprintf(f, "\\caption{What each seal and the freeze refuse, on the "
		   "model and on the kernel of the build machine (%d "
		   "difference%s). A memfd of four pages, the first two "
		   "written; \\emph{inside}: within \\texttt{i\\_size}; "
		   "FUT.\\_WRITE: \\texttt{F\\_SEAL\\_FUTURE\\_WRITE}. "
		   "\\texttt{ok}: the call succeeded; \\texttt{add:}~the "
		   "seal itself was refused; \\texttt{--}: the kernel offers "
		   "no freeze to userspace.}\n",
		differ, differ == 1 ? "" : "s");
	fprintf(f, "\\label{tab:seals-matrix}\n\\end{table}\n");
}

static int matrix_run(void)
{
	int differ = 0;

	for (int op = 0; op < NR_MATRIX_OPS; op++) {
		for (size_t c = 0; c < NR_COLS; c++) {
			matrix_cell(&model_backend, op, matrix_cols[c].seal,
				    seal_matrix[0][op][c],
				    sizeof(seal_matrix[0][op][c]));
			matrix_cell(&host_backend, op, matrix_cols[c].seal,
				    seal_matrix[1][op][c],
				    sizeof(seal_matrix[1][op][c]));
			if (strcmp(seal_matrix[1][op][c], "--") &&
			    strcmp(seal_matrix[0][op][c],
				   seal_matrix[1][op][c])) {
				fprintf(stderr, "seal matrix: %s under %s: "
					"model %s, kernel %s\n",
					matrix_rows[op], matrix_cols[c].name,
					seal_matrix[0][op][c],
					seal_matrix[1][op][c]);
				differ++;
			}
		}
	}
	return differ;
}

START_TEST(seals_matrix_agrees_with_kernel)
{
	int differ = matrix_run();

	ck_assert_msg(!differ, "%d cells differ between model and kernel",
		      differ);
}
END_TEST

static void seals_matrix_figure(void)
{
	int differ = matrix_run();

	matrix_print(stdout, differ);
	ck_assert_msg(!differ, "%d cells differ between model and kernel",
		      differ);
}
KTEST_FIGURE("seals-matrix", seals_matrix_figure)

static void seals_setup(void)
{
	mmlit_process_reset();
}

static Suite *seals_suite(void)
{
	Suite *s = suite_create("seals");
	TCase *tc = ktest_tcase("seals");
	TCase *mx = ktest_tcase("matrix");

	tcase_add_checked_fixture(tc, seals_setup, NULL);
	tcase_add_checked_fixture(mx, seals_setup, NULL);
	tcase_add_test(tc, sf1_born_sealed_without_allow_sealing);
	tcase_add_test(tc, sf1_allow_sealing_and_noexec_seal_unseal);
	tcase_add_test(tc, sf2_seal_seal_refuses_even_nothing);
	tcase_add_test(tc, sf2_readding_a_held_seal_succeeds);
	tcase_add_test(tc, sf2_seals_are_seen_through_every_fd);
	tcase_add_test(tc, sf2_add_seals_checks_in_order);
	tcase_add_test(tc, sf3_shrink_seal_refuses_shrinking);
	tcase_add_test(tc, sf3_grow_seal_refuses_every_growth);
	tcase_add_test(tc, sf3_same_size_truncate_passes_both_seals);
	tcase_add_test(tc, sf4_grow_shrink_allow_punch);
	tcase_add_test(tc, sf4_punch_frees_swapped_pages);
	tcase_add_loop_test(tc, sf5_write_seals_refuse_write_and_punch, 0, 2);
	tcase_add_loop_test(tc, sf5_write_seals_and_mappings, 0, 2);
	tcase_add_test(tc, sf5_write_seal_busy_while_mapped_shared);
	tcase_add_test(tc, sf5_future_write_leaves_existing_mappings);
	tcase_add_test(tc, sf5_write_seal_waits_for_pins);
	tcase_add_test(tc, sf5_exec_implies_write_seals);
	tcase_add_test(tc, sf6_no_operation_removes_a_seal);
	tcase_add_test(tc, sf7_freeze_refuses_size_changes);
	tcase_add_test(tc, sf7_freeze_refuses_every_fallocate);
	tcase_add_test(tc, sf7_freeze_refuses_extending_writes);
	tcase_add_test(tc, sf7_freeze_allows_writes_and_faults_inside);
	tcase_add_loop_test(tc, sf7_same_size_truncate_per_variant, 0,
			    ARRAY_SIZE(sf7_placements));
	tcase_add_test(tc, sf8_freeze_is_invisible_to_get_seals);
	tcase_add_test(tc, sf8_unfreeze_restores_every_operation);
	tcase_add_test(tc, sf8_freeze_and_seals_compose);
	tcase_add_test(tc, sf8_write_seal_busy_while_preserved);
	tcase_add_test(tc, sf9_freeze_requires_inode_lock_exclusive);
	tcase_add_test(tc, sf10_fallocate_checks_mode_then_freeze_then_seals);
	tcase_add_test(tc, sf11_preserve_keeps_the_index_folio_map_fixed);
	tcase_add_test(tc, sf11_freeze_without_pins_lets_the_map_change);
	tcase_add_test(tc, sf11_preserve_that_cannot_allocate_leaves_no_freeze);
	tcase_add_test(tc, shmem_swap_roundtrip_keeps_data_and_counts);
	tcase_add_test(tc, shmem_failed_fallocate_removes_what_it_added);
	tcase_add_test(tc, shmem_last_close_gives_every_block_back);
	tcase_add_test(mx, seals_matrix_agrees_with_kernel);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, mx);
	return s;
}
KTEST_SUITE(seals_suite)
