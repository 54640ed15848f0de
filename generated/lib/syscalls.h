/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/01-shim.nw (chapter 1); do not edit. */
/* syscalls.h: the model's system calls, on one simulated process. */
#ifndef MMLIT_SYSCALLS_H
#define MMLIT_SYSCALLS_H

#include "fs.h"

#define MAX_FDS		256

struct files_struct {
	spinlock_t file_lock;
	struct file *fd_array[MAX_FDS];
};

/* Install @file at the lowest free fd: the fd, or -EMFILE. */
int fd_install_new(struct file *file);
/* The file at @fd with a reference, or NULL. */
struct file *fget(int fd);

int ksys_reopen(int fd, int write);
int ksys_close(int fd);
long ksys_ftruncate(int fd, loff_t length);
long ksys_fallocate(int fd, int mode, loff_t offset, loff_t len);
long vfs_fallocate(struct file *file, int mode, loff_t offset, loff_t len);
ssize_t ksys_pread64(int fd, void *buf, size_t count, loff_t pos);
ssize_t ksys_pwrite64(int fd, const void *buf, size_t count, loff_t pos);
int ksys_fstat(int fd, struct kstat *st);
loff_t ksys_lseek(int fd, loff_t offset, int whence);
int do_truncate(struct file *file, loff_t length);

#ifndef PROT_READ
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_ANONYMOUS	0x20
#endif
unsigned long ksys_mmap_pgoff(unsigned long addr, unsigned long len,
			      unsigned long prot, unsigned long flags, int fd,
			      unsigned long pgoff);
int ksys_munmap(unsigned long addr, size_t len);
int ksys_mprotect(unsigned long addr, size_t len, unsigned long prot);

/* Chapter 2: memfd and the live-update freeze. */
int ksys_memfd_create(const char *name, unsigned int flags);
long ksys_fcntl(int fd, unsigned int cmd, unsigned long arg);
int mmlit_memfd_freeze(int fd, bool freeze);
/* Chapter 5: userfaultfd (lib/userfaultfd.c). */
int ksys_userfaultfd(unsigned int flags);
long ksys_uffd_ioctl(int ufd, unsigned int cmd, void *arg);

/*
 * A fresh process and a fresh machine: closes every file, unmaps
 * everything, and puts memory, swap, memcg, lockdep-lite, reports,
 * variants and fault sites back to their defaults. Subsystems with state
 * of their own register a reset hook.
 */
void mmlit_process_reset(void);
struct mmlit_reset_hook {
	void (*fn)(void);
	struct mmlit_reset_hook *next;
};
void mmlit_register_reset(struct mmlit_reset_hook *hook);
#define DEFINE_RESET_HOOK(fn)						\
	static struct mmlit_reset_hook fn##_hook = { fn, NULL };	\
	__attribute__((constructor)) static void fn##_register(void)	\
	{ mmlit_register_reset(&fn##_hook); }

#endif /* MMLIT_SYSCALLS_H */
