/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/84-memory.nw (appendix D); do not edit. */
#include "syscalls.h"
#include "fault.h"

DEFINE_FAULT_SITE(fail_alloc_inode, "alloc_inode", "new_inode()");
DEFINE_FAULT_SITE(fail_alloc_file, "alloc_file", "alloc_file()");

struct super_block *alloc_super(const char *id,
				const struct super_operations *ops,
				void *fs_info)
{
	struct super_block *sb = calloc(1, sizeof(*sb));

	BUG_ON(!sb);
	snprintf(sb->s_id, sizeof(sb->s_id), "%s", id);
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_op = ops;
	sb->s_fs_info = fs_info;
	return sb;
}

struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode;

	if (should_fail(&fail_alloc_inode))
		return NULL;
	if (sb->s_op && sb->s_op->alloc_inode)
		inode = sb->s_op->alloc_inode(sb);
	else
		inode = calloc(1, sizeof(*inode));
	if (!inode)
		return NULL;
	inode->i_sb = sb;
	inode->i_ino = ++sb->s_next_ino;
	inode->i_mode = S_IFREG | 0600;
	__init_rwsem(&inode->i_rwsem, "inode.i_rwsem", &sb->s_i_rwsem_key);
	__spin_lock_init(&inode->i_lock, "inode.i_lock", &sb->s_i_lock_key);
	address_space_init(&inode->i_data, inode);
	inode->i_mapping = &inode->i_data;
	atomic_set(&inode->i_count, 1);
	return inode;
}

void ihold(struct inode *inode)
{
	atomic_inc(&inode->i_count);
}

void iput(struct inode *inode)
{
	if (!inode || !atomic_dec_and_test(&inode->i_count))
		return;
	if (inode->i_sb->s_op && inode->i_sb->s_op->evict_inode)
		inode->i_sb->s_op->evict_inode(inode);
	else
		truncate_inode_pages(&inode->i_data, 0);
	WARN_ON(inode->i_data.nrpages);
	xa_destroy(&inode->i_data.i_pages);
	if (inode->i_sb->s_op && inode->i_sb->s_op->free_inode)
		inode->i_sb->s_op->free_inode(inode);
	else
		free(inode);
}

struct file *alloc_file(struct inode *inode, fmode_t mode,
			const struct file_operations *fop)
{
	struct file *file;

	if (should_fail(&fail_alloc_file))
		return NULL;
	file = calloc(1, sizeof(*file));
	if (!file)
		return NULL;
	ihold(inode);
	file->f_inode = inode;
	file->f_mapping = inode->i_mapping;
	file->f_mode = mode;
	file->f_op = fop;
	atomic_long_set(&file->f_count, 1);
	return file;
}

void fput(struct file *file)
{
	if (!atomic_long_dec_and_test(&file->f_count))
		return;
	if (file->f_op && file->f_op->release)
		file->f_op->release(file->f_inode, file);
	iput(file->f_inode);
	free(file);
}

ssize_t generic_write_checks(struct file *file, loff_t pos, size_t count)
{
	loff_t max = file_inode(file)->i_sb->s_maxbytes;

	if (!count)
		return 0;
	if (pos >= max)
		return -EFBIG;
	return min_t(loff_t, count, max - pos);
}

ssize_t generic_perform_write(struct file *file, const char *buf, size_t count,
			      loff_t pos)
{
	struct address_space *mapping = file->f_mapping;
	const struct address_space_operations *a_ops = mapping->a_ops;
	ssize_t written = 0;
	int status = 0;

	while (count) {
		size_t offset = pos & (PAGE_SIZE - 1);
		size_t bytes = min_t(size_t, PAGE_SIZE - offset, count);
		struct folio *folio;

		status = a_ops->write_begin(file, mapping, pos, bytes, &folio);
		if (status)
			break;
		if (folio_write_data(folio, offset, buf, bytes)) {
			a_ops->write_end(file, mapping, pos, bytes, 0, folio);
			status = -ENOMEM;
			break;
		}
		status = a_ops->write_end(file, mapping, pos, bytes, bytes,
					  folio);
		if (status < 0)
			break;
		pos += bytes;
		buf += bytes;
		written += bytes;
		count -= bytes;
		cond_resched();
	}
	return written ? written : status;
}

void generic_fillattr(struct inode *inode, struct kstat *stat)
{
	stat->mode = inode->i_mode;
	stat->ino = inode->i_ino;
	stat->size = i_size_read(inode);
	stat->blocks = inode->i_blocks;
}
