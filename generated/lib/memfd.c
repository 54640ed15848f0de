/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/02-seals-freeze.nw (chapter 2); do not edit. */
/* memfd.c: memfd_create, file seals, and the live-update preservation. */
#include "shmem.h"
#include <unistd.h>

#define MFD_NAME_PREFIX		"memfd:"
#define MFD_NAME_PREFIX_LEN	(sizeof(MFD_NAME_PREFIX) - 1)
#define MFD_NAME_MAX_LEN	(NAME_MAX - MFD_NAME_PREFIX_LEN)
#define MFD_ALL_FLAGS		(MFD_CLOEXEC | MFD_ALLOW_SEALING | \
				 MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC)

enum {
	MEMFD_NOEXEC_SCOPE_EXEC,		/* MFD_EXEC implied */
	MEMFD_NOEXEC_SCOPE_NOEXEC_SEAL,		/* MFD_NOEXEC_SEAL implied */
	MEMFD_NOEXEC_SCOPE_NOEXEC_ENFORCED,	/* and MFD_EXEC refused */
};

/* vm.memfd_noexec; the model runs with the default. */
static int memfd_noexec_scope = MEMFD_NOEXEC_SCOPE_EXEC;

static int check_sysctl_memfd_noexec(unsigned int *flags)
{
	int sysctl = READ_ONCE(memfd_noexec_scope);

	if (!(*flags & (MFD_EXEC | MFD_NOEXEC_SEAL))) {
		if (sysctl >= MEMFD_NOEXEC_SCOPE_NOEXEC_SEAL)
			*flags |= MFD_NOEXEC_SEAL;
		else
			*flags |= MFD_EXEC;
	}
	if (!(*flags & MFD_NOEXEC_SEAL) &&
	    sysctl >= MEMFD_NOEXEC_SCOPE_NOEXEC_ENFORCED)
		return -EACCES;
	return 0;
}

static int sanitize_flags(unsigned int *flags_ptr)
{
	unsigned int flags = *flags_ptr;
	int error;

	if (!(flags & MFD_HUGETLB)) {
		if (flags & ~MFD_ALL_FLAGS)
			return -EINVAL;
	} else {
		/* Allow huge page size encoding in flags. */
		if (flags & ~(MFD_ALL_FLAGS |
			      (MFD_HUGE_MASK << MFD_HUGE_SHIFT)))
			return -EINVAL;
	}
	/* Invalid if both EXEC and NOEXEC_SEAL are set. */
	if ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL))
		return -EINVAL;
	error = check_sysctl_memfd_noexec(&flags);
	if (error < 0)
		return error;
	*flags_ptr = flags;
	return 0;
}

static char *alloc_name(const char *uname)
{
	char *name;

	if (!uname)
		return ERR_PTR(-EFAULT);
	if (strlen(uname) > MFD_NAME_MAX_LEN)
		return ERR_PTR(-EINVAL);
	name = kmalloc(NAME_MAX + 1, GFP_KERNEL);
	if (!name)
		return ERR_PTR(-ENOMEM);
	strcpy(name, MFD_NAME_PREFIX);
	strcpy(name + MFD_NAME_PREFIX_LEN, uname);
	return name;
}

struct file *memfd_alloc_file(const char *name, unsigned int flags)
{
	unsigned int *file_seals;
	struct file *file;

	if (flags & MFD_HUGETLB)
		return ERR_PTR(-EINVAL);	/* the model has no hugetlbfs */
	file = shmem_file_setup(name, 0, VM_NORESERVE);
	if (IS_ERR(file))
		return file;
	file->f_mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;

	if (flags & MFD_NOEXEC_SEAL) {
		struct inode *inode = file_inode(file);

		inode->i_mode &= ~0111;
		file_seals = memfd_file_seals_ptr(file);
		if (file_seals) {
			*file_seals &= ~F_SEAL_SEAL;
			*file_seals |= F_SEAL_EXEC;
		}
	} else if (flags & MFD_ALLOW_SEALING) {
		/* MFD_EXEC and MFD_ALLOW_SEALING are set */
		file_seals = memfd_file_seals_ptr(file);
		if (file_seals)
			*file_seals &= ~F_SEAL_SEAL;
	}
	return file;
}

int ksys_memfd_create(const char *uname, unsigned int flags)
{
	struct file *file;
	char *name;
	int error, fd;

	error = sanitize_flags(&flags);
	if (error < 0)
		return error;
	name = alloc_name(uname);
	if (IS_ERR(name))
		return PTR_ERR(name);
	file = memfd_alloc_file(name, flags);
	kfree(name);
	if (IS_ERR(file))
		return PTR_ERR(file);
	fd = fd_install_new(file);
	if (fd < 0)
		fput(file);
	return fd;
}

unsigned int *memfd_file_seals_ptr(struct file *file)
{
	if (shmem_file(file))
		return &SHMEM_I(file_inode(file))->seals;
	return NULL;
}

static int memfd_wait_for_pins(struct address_space *mapping);

static int memfd_add_seals(struct file *file, unsigned int seals)
{
	struct inode *inode = file_inode(file);
	unsigned int *file_seals;
	int error;

	/*
	 * SEALING
	 * Sealing allows multiple parties to share a tmpfs or hugetlbfs file
	 * but restrict access to a specific subset of file operations. Seals
	 * can only be added, but never removed.
	 */
	if (!(file->f_mode & FMODE_WRITE))
		return -EPERM;
	if (seals & ~(unsigned int)F_ALL_SEALS)
		return -EINVAL;

	inode_lock(inode);

	file_seals = memfd_file_seals_ptr(file);
	if (!file_seals) {
		error = -EINVAL;
		goto unlock;
	}
	if (*file_seals & F_SEAL_SEAL) {
		error = -EPERM;
		goto unlock;
	}
	/*
	 * SEAL_EXEC implies SEAL_WRITE, making W^X from the start.
	 */
	if ((seals & F_SEAL_EXEC) && inode->i_mode & 0111)
		seals |= F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
			 F_SEAL_FUTURE_WRITE;

	if ((seals & F_SEAL_WRITE) && !(*file_seals & F_SEAL_WRITE)) {
		error = mapping_deny_writable(file->f_mapping);
		if (error)
			goto unlock;
		error = memfd_wait_for_pins(file->f_mapping);
		if (error) {
			mapping_allow_writable(file->f_mapping);
			goto unlock;
		}
	}
	*file_seals |= seals;
	error = 0;
unlock:
	inode_unlock(inode);
	return error;
}

static int memfd_get_seals(struct file *file)
{
	unsigned int *seals = memfd_file_seals_ptr(file);

	if (!seals)
		return -EINVAL;
	return *seals;
}

long memfd_fcntl(struct file *file, unsigned int cmd, unsigned int arg)
{
	switch (cmd) {
	case F_ADD_SEALS:
		return memfd_add_seals(file, arg);
	case F_GET_SEALS:
		return memfd_get_seals(file);
	default:
		return -EINVAL;
	}
}

#define LAST_SCAN	4	/* about 150ms max in the kernel */

/* References beyond the page cache's, the mappings' and @held of ours. */
static bool memfd_folio_has_extra_refs(struct folio *folio, int held)
{
	return folio_ref_count(folio) - folio_mapcount(folio) !=
	       folio_nr_pages(folio) + held;
}

/* Collect the indexes of folios with extra references. */
static long memfd_tag_pins(struct address_space *mapping, pgoff_t **tagged)
{
	pgoff_t *tags = NULL, index;
	long nr = 0, max = 0;
	void *entry;

	xa_for_each(&mapping->i_pages, index, entry) {
		struct folio *folio;

		if (xa_is_value(entry))
			continue;
		folio = filemap_get_folio(mapping, index);
		if (IS_ERR_OR_NULL(folio))
			continue;
		if (memfd_folio_has_extra_refs(folio, 1)) {
			if (nr == max) {
				max = max ? 2 * max : 16;
				tags = realloc(tags, max * sizeof(*tags));
				BUG_ON(!tags);
			}
			tags[nr++] = index;
		}
		folio_put(folio);
	}
	*tagged = tags;
	return nr;
}

static int memfd_wait_for_pins(struct address_space *mapping)
{
	pgoff_t *tagged;
	long nr, i;
	int error = 0, scan;

	nr = memfd_tag_pins(mapping, &tagged);
	for (scan = 0; scan <= LAST_SCAN && nr; scan++) {
		long left = 0;

		if (scan) {
			cond_resched();
			usleep(((1000 << scan) / 2));	/* 1, 2, 4, 8 ms */
			if (fatal_signal_pending(current))
				scan = LAST_SCAN;
		}
		for (i = 0; i < nr; i++) {
			struct folio *folio = filemap_get_folio(mapping,
								tagged[i]);
			bool pinned = false;

			if (!IS_ERR_OR_NULL(folio)) {
				pinned = memfd_folio_has_extra_refs(folio, 1);
				folio_put(folio);
			}
			if (!pinned)
				continue;
			if (scan == LAST_SCAN) {
				error = -EBUSY;
				break;
			}
			tagged[left++] = tagged[i];
		}
		nr = left;
		if (error)
			break;
	}
	free(tagged);
	return error;
}

long ksys_fcntl(int fd, unsigned int cmd, unsigned long arg)
{
	struct file *file = fget(fd);
	long error;

	if (!file)
		return -EBADF;
	switch (cmd) {
	case F_ADD_SEALS:
	case F_GET_SEALS:
		error = memfd_fcntl(file, cmd, (unsigned int)arg);
		break;
	default:
		error = -EINVAL;
	}
	fput(file);
	return error;
}

static struct folio *memfd_alloc_folio(struct file *memfd, pgoff_t idx)
{
	return shmem_read_folio(memfd->f_mapping, idx);
}

long memfd_pin_folios(struct file *memfd, loff_t start, loff_t end,
		      struct folio **folios, unsigned int max_folios,
		      pgoff_t *offset)
{
	struct address_space *mapping = memfd->f_mapping;
	pgoff_t start_idx, end_idx, idx;
	unsigned int nr_folios = 0;
	long ret;

	if (start < 0 || start > end || !max_folios)
		return -EINVAL;
	if (!shmem_file(memfd))
		return -EINVAL;
	if (end >= i_size_read(file_inode(memfd)))
		return -EINVAL;

	start_idx = start >> PAGE_SHIFT;
	end_idx = end >> PAGE_SHIFT;
	for (idx = start_idx; idx <= end_idx && nr_folios < max_folios; idx++) {
		void *entry = filemap_get_entry(mapping, idx);
		struct folio *folio = NULL;

		if (entry && !xa_is_value(entry))
			folio = filemap_get_folio(mapping, idx);
		if (IS_ERR_OR_NULL(folio))
			folio = memfd_alloc_folio(memfd, idx);
		if (IS_ERR(folio)) {
			ret = PTR_ERR(folio);
			goto err;
		}
		/* The reference we hold is the pin. */
		folios[nr_folios++] = folio;
	}
	*offset = start & ~PAGE_MASK;
	return nr_folios;
err:
	unpin_folios(folios, nr_folios);
	return ret;
}

void unpin_folio(struct folio *folio)
{
	folio_put(folio);
}

void unpin_folios(struct folio **folios, unsigned long nfolios)
{
	for (unsigned long i = 0; i < nfolios; i++)
		unpin_folio(folios[i]);
}

struct memfd_luo_ser {			/* what survives the kexec, and more */
	struct list_head list;
	struct file *file;		/* LUO's reference */
	loff_t pos;
	loff_t size;
	long nr_folios;
	struct folio **folios;		/* pinned; index is folio->index */
};

struct luo_session {
	struct file *file;		/* the session fd's file */
	struct list_head files;		/* memfd_luo_ser */
};

static DEFINE_MUTEX(luo_session_mutex);
static struct luo_session *luo_session;	/* the process's session */

static int memfd_luo_preserve_folios(struct file *file,
				     struct memfd_luo_ser *ser)
{
	struct inode *inode = file_inode(file);
	loff_t size = i_size_read(inode);
	unsigned int max_folios;
	struct folio **folios;
	pgoff_t offset;
	long nr_pinned;

	/* If the file has zero size, there are no folios to record. */
	if (!size)
		return 0;
	max_folios = DIV_ROUND_UP(size, PAGE_SIZE);
	folios = kzalloc(max_folios * sizeof(*folios), GFP_KERNEL);
	if (!folios)
		return -ENOMEM;
	/*
	 * Pin the folios so they don't move around behind our back. A side
	 * effect is that it allocates a folio for all indices in the file.
	 */
	nr_pinned = memfd_pin_folios(file, 0, size - 1, folios, max_folios,
				     &offset);
	if (nr_pinned < 0) {
		kfree(folios);
		return nr_pinned;
	}
	ser->folios = folios;
	ser->nr_folios = nr_pinned;
	return 0;
}

static int memfd_luo_preserve(struct luo_session *session, struct file *file)
{
	struct inode *inode = file_inode(file);
	struct memfd_luo_ser *ser;
	int err;

	inode_lock(inode);
	shmem_freeze(inode, true);

	ser = kzalloc(sizeof(*ser), GFP_KERNEL);
	if (!ser) {
		err = -ENOMEM;
		goto err_unlock;
	}
	ser->pos = file->f_pos;
	ser->size = i_size_read(inode);
	err = memfd_luo_preserve_folios(file, ser);
	if (err)
		goto err_free_ser;
	inode_unlock(inode);

	ser->file = get_file(file);
	list_add(&ser->list, &session->files);
	return 0;

err_free_ser:
	kfree(ser);
err_unlock:
	shmem_freeze(inode, false);
	inode_unlock(inode);
	return err;
}

static void memfd_luo_unpreserve(struct memfd_luo_ser *ser)
{
	struct inode *inode = file_inode(ser->file);

	inode_lock(inode);
	shmem_freeze(inode, false);
	unpin_folios(ser->folios, ser->nr_folios);
	inode_unlock(inode);

	list_del(&ser->list);
	fput(ser->file);
	kfree(ser->folios);
	kfree(ser);
}

static bool memfd_luo_can_preserve(struct file *file)
{
	return shmem_file(file) && file_inode(file)->i_unlinked;
}

static struct memfd_luo_ser *memfd_luo_find(struct inode *inode)
{
	struct memfd_luo_ser *ser;

	if (!luo_session)
		return NULL;
	list_for_each_entry(ser, &luo_session->files, list)
		if (file_inode(ser->file) == inode)
			return ser;
	return NULL;
}

static int luo_session_release(struct inode *inode, struct file *file)
{
	struct luo_session *session;

	mutex_lock(&luo_session_mutex);
	session = luo_session;
	if (session && session->file == file) {
		while (!list_empty(&session->files))
			memfd_luo_unpreserve(list_first_entry(&session->files,
						struct memfd_luo_ser, list));
		luo_session = NULL;
		kfree(session);
	}
	mutex_unlock(&luo_session_mutex);
	return 0;
}

static const struct file_operations luo_session_fops = {
	.release	= luo_session_release,
};

static struct super_block *luo_super;

static void luo_sb_init(void)
{
	luo_super = alloc_super("liveupdate", NULL, NULL);
}

static struct super_block *luo_sb(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, luo_sb_init);
	return luo_super;
}

/* The process's session, made on first use; luo_session_mutex held. */
static struct luo_session *luo_session_get(void)
{
	struct luo_session *session;
	struct inode *inode;
	int fd;

	if (luo_session)
		return luo_session;
	session = kzalloc(sizeof(*session), GFP_KERNEL);
	inode = new_inode(luo_sb());
	if (!session || !inode)
		goto nomem;
	session->file = alloc_file(inode, FMODE_READ, &luo_session_fops);
	iput(inode);
	inode = NULL;
	if (!session->file)
		goto nomem;
	INIT_LIST_HEAD(&session->files);
	fd = fd_install_new(session->file);
	if (fd < 0) {
		session->file->f_op = NULL;	/* nothing to release */
		fput(session->file);
		kfree(session);
		return ERR_PTR(fd);
	}
	luo_session = session;
	return session;
nomem:
	if (inode)
		iput(inode);
	kfree(session);
	return ERR_PTR(-ENOMEM);
}

int mmlit_memfd_freeze(int fd, bool freeze)
{
	struct file *file = fget(fd);
	struct luo_session *session;
	struct memfd_luo_ser *ser;
	int err;

	if (!file)
		return -EBADF;
	mutex_lock(&luo_session_mutex);
	ser = memfd_luo_find(file_inode(file));
	if (!freeze) {
		err = -ENOENT;
		if (ser) {
			memfd_luo_unpreserve(ser);
			err = 0;
		}
	} else if (!memfd_luo_can_preserve(file)) {
		err = -ENOENT;
	} else if (ser) {
		err = -EBUSY;
	} else {
		session = luo_session_get();
		err = IS_ERR(session) ? PTR_ERR(session) :
					memfd_luo_preserve(session, file);
	}
	mutex_unlock(&luo_session_mutex);
	fput(file);
	return err;
}

long memfd_luo_preserved(struct inode *inode, struct folio ***foliosp)
{
	struct memfd_luo_ser *ser;
	long nr = -ENOENT;

	mutex_lock(&luo_session_mutex);
	ser = memfd_luo_find(inode);
	if (ser) {
		*foliosp = ser->folios;
		nr = ser->nr_folios;
	}
	mutex_unlock(&luo_session_mutex);
	return nr;
}

/*
 * A fresh process: its fds were closed, which released the session. After
 * a deadlock the old process is abandoned instead, session included.
 */
static void memfd_luo_reset(void)
{
	luo_session = NULL;
}
DEFINE_RESET_HOOK(memfd_luo_reset)
