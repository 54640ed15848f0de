/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/01-shim.nw (chapter 1); do not edit. */
/* fs.h: superblocks, inodes, files and their operations. */
#ifndef MMLIT_FS_H
#define MMLIT_FS_H

#include "mm.h"
#include <sys/stat.h>

#define FMODE_READ		0x1
#define FMODE_WRITE		0x2
#define FMODE_LSEEK		0x4
#define FMODE_PREAD		0x8
#define FMODE_PWRITE		0x10

#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE	0x01
#define FALLOC_FL_PUNCH_HOLE	0x02
#define FALLOC_FL_COLLAPSE_RANGE 0x08
#define FALLOC_FL_ZERO_RANGE	0x10
#define FALLOC_FL_INSERT_RANGE	0x20
#define FALLOC_FL_UNSHARE_RANGE	0x40
#endif
#define FALLOC_FL_ALLOCATE_RANGE 0x00
#define FALLOC_FL_MODE_MASK	(FALLOC_FL_PUNCH_HOLE |		\
				 FALLOC_FL_COLLAPSE_RANGE |	\
				 FALLOC_FL_ZERO_RANGE |		\
				 FALLOC_FL_INSERT_RANGE |	\
				 FALLOC_FL_UNSHARE_RANGE)

#ifndef SEEK_DATA
#define SEEK_DATA		3
#define SEEK_HOLE		4
#endif
#define MAX_LFS_FILESIZE	((loff_t)LLONG_MAX)

#define ATTR_MODE		(1 << 0)
#define ATTR_SIZE		(1 << 3)
#define ATTR_FILE		(1 << 13)

struct inode;
struct file;
struct super_block;

struct iattr {
	unsigned int ia_valid;
	umode_t ia_mode;
	loff_t ia_size;
	struct file *ia_file;
};

struct kstat {
	umode_t mode;
	unsigned long ino;
	loff_t size;
	unsigned long long blocks;	/* 512-byte units */
};

struct super_operations {
	struct inode *(*alloc_inode)(struct super_block *sb);
	void (*evict_inode)(struct inode *inode);
	void (*free_inode)(struct inode *inode);
};

struct shmem_sb_info {
	long max_blocks;		/* 0: no limit */
	atomic_long_t used_blocks;
	bool noswap;
};

struct super_block {
	char s_id[32];
	loff_t s_maxbytes;
	const struct super_operations *s_op;
	void *s_fs_info;
	unsigned long s_next_ino;
	/* One lock class per lock of all this superblock's inodes. */
	struct lock_class_key s_i_rwsem_key;
	struct lock_class_key s_i_lock_key;
	struct lock_class_key s_invalidate_lock_key;
	struct lock_class_key s_i_mmap_rwsem_key;
};

static inline struct shmem_sb_info *SHMEM_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

struct vm_area_desc;
struct mmap_req;

struct inode_operations {
	int (*setattr)(struct inode *inode, struct iattr *attr);
	int (*getattr)(struct inode *inode, struct kstat *stat);
};

/*
 * The model's read and write take the caller's buffer directly: the copy
 * to or from user memory of the real syscalls is not what any claim is
 * about (copy_from_user of mapped memory is, and the shim has it).
 */
struct file_operations {
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
	ssize_t (*read)(struct file *file, char *buf, size_t count,
			loff_t *pos);
	ssize_t (*write)(struct file *file, const char *buf, size_t count,
			 loff_t *pos);
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	int (*mmap_prepare)(struct vm_area_desc *desc);
	int (*mmap_complete)(struct file *file, struct vm_area_struct *vma,
			     const void *context);
	void (*mmap_abort)(const struct file *file, const void *vm_private_data,
			   const void *context);
	int (*mmap_hook)(struct file *file, struct mmap_req *req);
	long (*fallocate)(struct file *file, int mode, loff_t offset,
			  loff_t len);
	int (*release)(struct inode *inode, struct file *file);
};

struct inode {
	umode_t i_mode;
	unsigned long i_ino;
	loff_t i_size;
	unsigned long long i_blocks;	/* 512-byte units, as st_blocks */
	unsigned int i_flags;
	struct rw_semaphore i_rwsem;
	spinlock_t i_lock;
	void *i_private;
	struct address_space *i_mapping;
	struct address_space i_data;
	struct super_block *i_sb;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	atomic_t i_count;
	bool i_unlinked;
};

struct file {
	struct inode *f_inode;
	struct address_space *f_mapping;
	fmode_t f_mode;
	unsigned int f_flags;
	const struct file_operations *f_op;
	void *private_data;
	atomic_long_t f_count;
	loff_t f_pos;
};

static inline struct inode *file_inode(const struct file *f)
{
	return f->f_inode;
}
static inline loff_t i_size_read(const struct inode *inode)
{
	return READ_ONCE(inode->i_size);
}
static inline void i_size_write(struct inode *inode, loff_t i_size)
{
	WRITE_ONCE(inode->i_size, i_size);
}

#define inode_lock(inode)		down_write(&(inode)->i_rwsem)
#define inode_unlock(inode)		up_write(&(inode)->i_rwsem)
#define inode_lock_shared(inode)	down_read(&(inode)->i_rwsem)
#define inode_unlock_shared(inode)	up_read(&(inode)->i_rwsem)
#define inode_lock_killable(inode)	down_write_killable(&(inode)->i_rwsem)
#define inode_lock_nested(inode, sub)	\
	down_write_nested(&(inode)->i_rwsem, (sub))
#define inode_trylock(inode)		down_write_trylock(&(inode)->i_rwsem)

struct super_block *alloc_super(const char *id,
				const struct super_operations *ops,
				void *fs_info);
/* A new inode of @sb with one reference, its page cache initialized. */
struct inode *new_inode(struct super_block *sb);
void ihold(struct inode *inode);
/* Drop a reference; the last one evicts the inode (->evict_inode). */
void iput(struct inode *inode);

/* A file on @inode, taking a reference on it; NULL on -ENOMEM. */
struct file *alloc_file(struct inode *inode, fmode_t mode,
			const struct file_operations *fop);
static inline struct file *get_file(struct file *f)
{
	atomic_long_inc(&f->f_count);
	return f;
}
void fput(struct file *file);
static inline void file_modified(struct file *file) { }

/* The generic write loop over ->write_begin / ->write_end. */
ssize_t generic_perform_write(struct file *file, const char *buf, size_t count,
			      loff_t pos);
/* The VFS's checks for a write of @count at @pos: the count, or -EFBIG. */
ssize_t generic_write_checks(struct file *file, loff_t pos, size_t count);
void generic_fillattr(struct inode *inode, struct kstat *stat);

#endif /* MMLIT_FS_H */
