/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/85-mm.nw (appendix E); do not edit. */
#include "syscalls.h"
#include "fault.h"
#include "variant.h"

static struct files_struct *files_alloc(void)
{
	static struct lock_class_key key;
	struct files_struct *files = calloc(1, sizeof(*files));

	BUG_ON(!files);
	__spin_lock_init(&files->file_lock, "files.file_lock", &key);
	return files;
}

int fd_install_new(struct file *file)
{
	struct files_struct *files = current->files;
	int fd = -EMFILE;

	spin_lock(&files->file_lock);
	for (int i = 0; i < MAX_FDS; i++) {
		if (!files->fd_array[i]) {
			files->fd_array[i] = file;
			fd = i;
			break;
		}
	}
	spin_unlock(&files->file_lock);
	return fd;
}

struct file *fget(int fd)
{
	struct files_struct *files = current->files;
	struct file *file = NULL;

	if (fd < 0 || fd >= MAX_FDS)
		return NULL;
	spin_lock(&files->file_lock);
	if (files->fd_array[fd])
		file = get_file(files->fd_array[fd]);
	spin_unlock(&files->file_lock);
	return file;
}

int ksys_close(int fd)
{
	struct files_struct *files = current->files;
	struct file *file = NULL;

	if (fd < 0 || fd >= MAX_FDS)
		return -EBADF;
	spin_lock(&files->file_lock);
	file = files->fd_array[fd];
	files->fd_array[fd] = NULL;
	spin_unlock(&files->file_lock);
	if (!file)
		return -EBADF;
	fput(file);
	return 0;
}

/* Opening /proc/self/fd/N: a new open file on the same inode. */
int ksys_reopen(int fd, int write)
{
	struct file *old = fget(fd), *file;
	fmode_t mode = FMODE_READ | FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	int nfd;

	if (!old)
		return -EBADF;
	if (write)
		mode |= FMODE_WRITE;
	file = alloc_file(file_inode(old), mode, old->f_op);
	fput(old);
	if (!file)
		return -ENOMEM;
	nfd = fd_install_new(file);
	if (nfd < 0)
		fput(file);
	return nfd;
}

long vfs_fallocate(struct file *file, int mode, loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(file);

	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~(FALLOC_FL_MODE_MASK | FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	switch (mode & FALLOC_FL_MODE_MASK) {
	case FALLOC_FL_ALLOCATE_RANGE:
	case FALLOC_FL_UNSHARE_RANGE:
	case FALLOC_FL_ZERO_RANGE:
		break;
	case FALLOC_FL_PUNCH_HOLE:
		if (!(mode & FALLOC_FL_KEEP_SIZE))
			return -EOPNOTSUPP;
		break;
	case FALLOC_FL_COLLAPSE_RANGE:
	case FALLOC_FL_INSERT_RANGE:
		if (mode & FALLOC_FL_KEEP_SIZE)
			return -EOPNOTSUPP;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!S_ISREG(inode->i_mode))
		return -ENODEV;
	if (offset > inode->i_sb->s_maxbytes - len)
		return -EFBIG;
	if (!file->f_op->fallocate)
		return -EOPNOTSUPP;
	return file->f_op->fallocate(file, mode, offset, len);
}

long ksys_fallocate(int fd, int mode, loff_t offset, loff_t len)
{
	struct file *file = fget(fd);
	long ret;

	if (!file)
		return -EBADF;
	ret = vfs_fallocate(file, mode, offset, len);
	fput(file);
	return ret;
}

int do_truncate(struct file *file, loff_t length)
{
	struct inode *inode = file_inode(file);
	struct iattr attr = {
		.ia_valid = ATTR_SIZE | ATTR_FILE, .ia_size = length,
		.ia_file = file,
	};
	int ret;

	if (length < 0)
		return -EINVAL;
	if (length > inode->i_sb->s_maxbytes)
		return -EFBIG;
	if (inode_lock_killable(inode))
		return -EINTR;
	ret = inode->i_op && inode->i_op->setattr ?
	      inode->i_op->setattr(inode, &attr) : -EPERM;
	inode_unlock(inode);
	return ret;
}

long ksys_ftruncate(int fd, loff_t length)
{
	struct file *file;
	long ret;

	if (length < 0)
		return -EINVAL;
	file = fget(fd);
	if (!file)
		return -EBADF;
	if (!S_ISREG(file_inode(file)->i_mode) || !(file->f_mode & FMODE_WRITE))
		ret = -EINVAL;
	else
		ret = do_truncate(file, length);
	fput(file);
	return ret;
}

/*
 * The kernel's rw_verify_area for a regular file: a count that is negative
 * as ssize_t, or a range whose end overflows loff_t, is -EINVAL.
 */
static int rw_verify_area(loff_t pos, size_t count)
{
	if ((ssize_t)count < 0)
		return -EINVAL;
	if ((loff_t)((unsigned long long)pos + count) < 0)
		return -EINVAL;
	return 0;
}

ssize_t ksys_pread64(int fd, void *buf, size_t count, loff_t pos)
{
	struct file *file;
	ssize_t ret;

	if (pos < 0)
		return -EINVAL;
	file = fget(fd);
	if (!file)
		return -EBADF;
	if (!(file->f_mode & FMODE_READ))
		ret = -EBADF;
	else if (!file->f_op->read)
		ret = -EINVAL;
	else if ((ret = rw_verify_area(pos, count)))
		;
	else
		ret = count ? file->f_op->read(file, buf, count, &pos) : 0;
	fput(file);
	return ret;
}

ssize_t ksys_pwrite64(int fd, const void *buf, size_t count, loff_t pos)
{
	struct file *file;
	ssize_t ret;

	if (pos < 0)
		return -EINVAL;
	file = fget(fd);
	if (!file)
		return -EBADF;
	if (!(file->f_mode & FMODE_WRITE))
		ret = -EBADF;
	else if (!file->f_op->write)
		ret = -EINVAL;
	else if ((ret = rw_verify_area(pos, count)))
		;
	else
		ret = count ? file->f_op->write(file, buf, count, &pos) : 0;
	fput(file);
	return ret;
}

int ksys_fstat(int fd, struct kstat *st)
{
	struct file *file = fget(fd);
	struct inode *inode;
	int ret = 0;

	if (!file)
		return -EBADF;
	inode = file_inode(file);
	memset(st, 0, sizeof(*st));
	if (inode->i_op && inode->i_op->getattr)
		ret = inode->i_op->getattr(inode, st);
	else
		generic_fillattr(inode, st);
	fput(file);
	return ret;
}

static loff_t generic_file_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t size = i_size_read(file_inode(file));

	switch (whence) {
	case SEEK_SET:
		break;
	case SEEK_CUR:
		offset += file->f_pos;
		break;
	case SEEK_END:
		offset += size;
		break;
	case SEEK_DATA:
		if (offset < 0 || offset >= size)
			return -ENXIO;
		break;
	case SEEK_HOLE:
		if (offset < 0 || offset >= size)
			return -ENXIO;
		offset = size;
		break;
	default:
		return -EINVAL;
	}
	if (offset < 0)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

loff_t ksys_lseek(int fd, loff_t offset, int whence)
{
	struct file *file = fget(fd);
	loff_t ret;

	if (!file)
		return -EBADF;
	ret = file->f_op->llseek ? file->f_op->llseek(file, offset, whence) :
				   generic_file_llseek(file, offset, whence);
	fput(file);
	return ret;
}

/* userfaultfd: lib/userfaultfd.c (chapter 5) */

static struct mmlit_reset_hook *reset_hooks;

void mmlit_register_reset(struct mmlit_reset_hook *hook)
{
	hook->next = reset_hooks;
	reset_hooks = hook;
}

static void process_teardown(void)
{
	struct files_struct *files = mmlit_proc.files;

	if (mmlit_proc.mm)
		mmput(mmlit_proc.mm);
	if (files) {
		for (int i = 0; i < MAX_FDS; i++)
			if (files->fd_array[i])
				fput(files->fd_array[i]);
		free(files);
	}
}

void mmlit_process_reset(void)
{
	struct task_struct *t = current;
	bool clean = !tasks_stuck();

	tasks_reap_stuck();
	if (clean)
		process_teardown();
	mm_reset_machine();
	report_reset();
	warn_once_rearm();
	lockdep_reset();
	variant_reset_all();
	fault_inject_reset();
	for (struct mmlit_reset_hook *h = reset_hooks; h; h = h->next)
		h->fn();
	mmlit_proc.mm = mm_alloc();
	mmlit_proc.files = files_alloc();
	mmlit_proc.memcg = &root_mem_cgroup;
	t->mm = mmlit_proc.mm;
	t->files = mmlit_proc.files;
	t->memcg = mmlit_proc.memcg;
	flush_signals(t);
}

__attribute__((constructor)) static void mmlit_process_init(void)
{
	mmlit_proc.mm = mm_alloc();
	mmlit_proc.files = files_alloc();
	mmlit_proc.memcg = &root_mem_cgroup;
}
