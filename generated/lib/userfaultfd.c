/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/05-uffd.nw (chapter 5); do not edit. */
/* userfaultfd.c: fs/userfaultfd.c and mm/userfaultfd.c of the model. */
#include "userfaultfd.h"
#include "shmem.h"

#define for_each_vma_range(mm, vma, start, end)			\
	list_for_each_entry(vma, &(mm)->mmap, vm_list)			\
		if ((vma)->vm_end <= (start) || (vma)->vm_start >= (end)) \
			continue;					\
		else
DEFINE_VARIANT_AREA(uffd_area, "uffd", "userfaultfd fill path (chapter 5)",
	{ "upstream", "shmem_mfill_atomic_pte, before the vm_uffd_ops series" },
	{ "rfc", "RFC 10/17 as posted: vm_uffd_ops, __mfill_atomic_pte" },
	{ "fix", "the RFC; EFAULT past i_size; recalc when accounting fails" },
	{ "rfc-no-recalc", "the RFC, filemap_remove without the recalc" });
DEFINE_VARIANT_AREA(uffd_copy_area, "uffd-copy",
		    "the fill's first copy from the source (claim UF12)",
	{ "nofault", "page faults disabled under mmap_lock (the kernel)" },
	{ "fault", "page faults enabled under mmap_lock (the deadlock)" });

void (*mfill_unlocked_hook)(void);
void (*mfill_locked_hook)(void);

bool vma_is_shmem(const struct vm_area_struct *vma)
{
	return vma->vm_file && shmem_file(vma->vm_file);
}

#define __VM_UFFD_FLAGS	(VM_UFFD_MISSING | VM_UFFD_WP | VM_UFFD_MINOR)

bool userfaultfd_pte_wp(struct vm_area_struct *vma, const struct pte *pte)
{
	return (vma->vm_flags & VM_UFFD_WP) && pte->uffd_wp;
}

/* Protect (read-only, uffd-wp) or release the entries in [start, end). */
static void uffd_wp_range(struct vm_area_struct *vma, unsigned long start,
			  unsigned long end, bool enable_wp)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long index;
	struct pte *pte;

	spin_lock(&mm->page_table_lock);
	xa_for_each_range(&mm->page_table, index, pte, start >> PAGE_SHIFT,
			  (end - 1) >> PAGE_SHIFT) {
		if (userfaultfd_pte_poisoned(pte))
			continue;		/* a marker, not a mapping */
		pte->uffd_wp = enable_wp;
		if (enable_wp)
			pte->write = false;
	}
	spin_unlock(&mm->page_table_lock);
}

static void userfaultfd_clear_vma(struct vm_area_struct *vma)
{
	vma_start_write(vma);
	if (vma->vm_flags & VM_UFFD_WP)
		uffd_wp_range(vma, vma->vm_start, vma->vm_end, false);
	vma->vm_flags &= ~__VM_UFFD_FLAGS;
	vma->vm_userfaultfd_ctx = NULL;
}

struct userfaultfd_unmap_ctx {
	struct userfaultfd_ctx *ctx;
	unsigned long start, end;
	struct list_head list;
};

struct uffd_event {
	struct uffd_msg msg;
	struct completion done;		/* read by the monitor */
	struct list_head list;		/* in ctx->events */
};

int userfaultfd_unmap_prep(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end, struct list_head *unmaps)
{
	struct userfaultfd_ctx *ctx = vma->vm_userfaultfd_ctx;
	struct userfaultfd_unmap_ctx *unmap_ctx;

	if (!ctx || !(ctx->features & UFFD_FEATURE_EVENT_UNMAP))
		return 0;
	unmap_ctx = kzalloc(sizeof(*unmap_ctx), GFP_KERNEL);
	if (!unmap_ctx)
		return -ENOMEM;
	atomic_inc(&ctx->mmap_changing);
	unmap_ctx->ctx = ctx;
	unmap_ctx->start = start;
	unmap_ctx->end = end;
	list_add_tail(&unmap_ctx->list, unmaps);
	return 0;
}

static void userfaultfd_event_wait_completion(struct userfaultfd_ctx *ctx,
					      struct uffd_event *ev)
{
	init_completion(&ev->done);
	spin_lock(&ctx->event_lock);
	if (!ctx->released)
		list_add_tail(&ev->list, &ctx->events);
	else
		complete(&ev->done);
	spin_unlock(&ctx->event_lock);
	wait_for_completion(&ev->done);
	atomic_dec(&ctx->mmap_changing);
}

void userfaultfd_unmap_complete(struct mm_struct *mm, struct list_head *uf)
{
	struct userfaultfd_unmap_ctx *unmap_ctx, *n;
	struct uffd_event ev;

	list_for_each_entry_safe(unmap_ctx, n, uf, list) {
		ev.msg = (struct uffd_msg){ .event = UFFD_EVENT_UNMAP,
					    .start = unmap_ctx->start,
					    .end = unmap_ctx->end };
		userfaultfd_event_wait_completion(unmap_ctx->ctx, &ev);
		list_del(&unmap_ctx->list);
		kfree(unmap_ctx);
	}
}

static void userfaultfd_release_events(struct userfaultfd_ctx *ctx)
{
	struct uffd_event *ev, *n;

	spin_lock(&ctx->event_lock);
	ctx->released = true;
	list_for_each_entry_safe(ev, n, &ctx->events, list) {
		list_del(&ev->list);
		complete(&ev->done);
	}
	spin_unlock(&ctx->event_lock);
}

static LIST_HEAD(uffd_ctxs);
static DEFINE_SPINLOCK(uffd_ctxs_lock);

void userfaultfd_mm_release(struct mm_struct *mm)
{
	struct userfaultfd_ctx *ctx;

	spin_lock(&uffd_ctxs_lock);
	list_for_each_entry(ctx, &uffd_ctxs, list)
		if (ctx->mm == mm)
			ctx->mm = NULL;
	spin_unlock(&uffd_ctxs_lock);
}

static int userfaultfd_release(struct inode *inode, struct file *file)
{
	struct userfaultfd_ctx *ctx = file->private_data;
	struct vm_area_struct *vma;
	struct mm_struct *mm;

	spin_lock(&uffd_ctxs_lock);
	mm = ctx->mm;
	list_del(&ctx->list);
	spin_unlock(&uffd_ctxs_lock);
	userfaultfd_release_events(ctx);
	if (mm) {
		mmap_write_lock(mm);
		list_for_each_entry(vma, &mm->mmap, vm_list)
			if (vma->vm_userfaultfd_ctx == ctx)
				userfaultfd_clear_vma(vma);
		mmap_write_unlock(mm);
	}
	kfree(ctx);
	return 0;
}

static const struct file_operations userfaultfd_fops = {
	.release	= userfaultfd_release,
};

struct userfaultfd_ctx *userfaultfd_ctx_of(int fd)
{
	struct file *file = fget(fd);
	struct userfaultfd_ctx *ctx = NULL;

	if (!file)
		return NULL;
	if (file->f_op == &userfaultfd_fops)
		ctx = file->private_data;
	fput(file);
	return ctx;
}

long ksys_uffd_read(int ufd, struct uffd_msg *msg)
{
	struct file *file = fget(ufd);
	struct userfaultfd_ctx *ctx;
	struct uffd_event *ev;
	long ret = -EINVAL;

	if (!file)
		return -EBADF;
	ctx = file->private_data;
	if (file->f_op != &userfaultfd_fops || !ctx->initialized)
		goto out;
	spin_lock(&ctx->event_lock);
	ev = list_empty(&ctx->events) ? NULL :
	     list_first_entry(&ctx->events, struct uffd_event, list);
	if (ev) {
		*msg = ev->msg;
		list_del(&ev->list);
		complete(&ev->done);	/* userfaultfd_event_complete */
	}
	spin_unlock(&ctx->event_lock);
	ret = ev ? (long)sizeof(*msg) : -EAGAIN;
out:
	fput(file);
	return ret;
}

static struct super_block *uffd_sb;

int ksys_userfaultfd(unsigned int flags)
{
	struct userfaultfd_ctx *ctx;
	struct inode *inode;
	struct file *file;
	int fd;

	if (!(flags & UFFD_USER_MODE_ONLY))
		return -EPERM;
	if (flags & ~(UFFD_SHARED_FCNTL_FLAGS | UFFD_USER_MODE_ONLY))
		return -EINVAL;
	if (!uffd_sb)
		uffd_sb = alloc_super("anon_inodefs", NULL, NULL);
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	inode = new_inode(uffd_sb);
	if (!inode)
		goto free_ctx;
	file = alloc_file(inode, FMODE_READ | FMODE_WRITE, &userfaultfd_fops);
	iput(inode);
	if (!file)
		goto free_ctx;
	ctx->mm = current->mm;
	ctx->flags = flags;
	spin_lock_init(&ctx->event_lock);
	INIT_LIST_HEAD(&ctx->events);
	INIT_LIST_HEAD(&ctx->list);
	file->private_data = ctx;
	spin_lock(&uffd_ctxs_lock);
	list_add(&ctx->list, &uffd_ctxs);
	spin_unlock(&uffd_ctxs_lock);
	fd = fd_install_new(file);
	if (fd < 0)
		fput(file);
	return fd;
free_ctx:
	kfree(ctx);
	return -ENOMEM;
}

static int userfaultfd_api(struct userfaultfd_ctx *ctx, struct uffdio_api *api)
{
	if (api->api != UFFD_API || (api->features & ~UFFD_API_FEATURES) ||
	    ctx->initialized) {
		api->features = 0;
		api->ioctls = 0;
		return -EINVAL;
	}
	ctx->features = api->features;
	ctx->initialized = true;
	api->features = UFFD_API_FEATURES;
	api->ioctls = BIT(UFFDIO_REGISTER) | BIT(UFFDIO_UNREGISTER) |
		      BIT(UFFDIO_API);
	return 0;
}

#define UFFD_TASK_SIZE	((1UL << 47) - PAGE_SIZE)	/* x86-64 */

static int validate_range(unsigned long start, unsigned long len)
{
	if ((start | len) & ~PAGE_MASK || !len)
		return -EINVAL;
	if (start >= UFFD_TASK_SIZE || len > UFFD_TASK_SIZE - start)
		return -EINVAL;
	return 0;
}

static bool vma_can_userfault(struct vm_area_struct *vma, vm_flags_t vm_flags)
{
	const struct vm_uffd_ops *ops;

	if (uffd_design() == UFFD_UPSTREAM) {
		if ((vm_flags & VM_UFFD_MINOR) && !vma_is_shmem(vma))
			return false;
		return vma_is_anonymous(vma) || vma_is_shmem(vma);
	}
	ops = vma_uffd_ops(vma);
	return ops && ops->can_userfault(vma, vm_flags);
}

static int userfaultfd_register(struct userfaultfd_ctx *ctx,
				struct uffdio_register *reg)
{
	unsigned long start = reg->range.start, end;
	struct mm_struct *mm = ctx->mm;
	struct vm_area_struct *vma;
	vm_flags_t vm_flags = 0;
	bool found = false;
	int ret;

	if (!reg->mode || (reg->mode & ~UFFD_API_REGISTER_MODES))
		return -EINVAL;
	if (reg->mode & UFFDIO_REGISTER_MODE_MISSING)
		vm_flags |= VM_UFFD_MISSING;
	if (reg->mode & UFFDIO_REGISTER_MODE_WP)
		vm_flags |= VM_UFFD_WP;
	if (reg->mode & UFFDIO_REGISTER_MODE_MINOR)
		vm_flags |= VM_UFFD_MINOR;
	ret = validate_range(start, reg->range.len);
	if (ret)
		return ret;
	if (!mm)
		return -ESRCH;
	end = start + reg->range.len;
	mmap_write_lock(mm);
	ret = -EINVAL;
	for_each_vma_range(mm, vma, start, end) {
		found = true;
		ret = -EINVAL;
		if (vma->vm_start < start || vma->vm_end > end)
			goto out_unlock;		/* a split: not modeled */
		if (!vma_can_userfault(vma, vm_flags))
			goto out_unlock;
		ret = -EPERM;
		if (!(vma->vm_flags & VM_MAYWRITE))
			goto out_unlock;
		ret = -EBUSY;
		if (vma->vm_userfaultfd_ctx && vma->vm_userfaultfd_ctx != ctx)
			goto out_unlock;
		ret = 0;
	}
	if (!found)
		ret = -EINVAL;
	if (ret)
		goto out_unlock;
	for_each_vma_range(mm, vma, start, end) {
		vma_start_write(vma);
		vma->vm_flags = (vma->vm_flags & ~__VM_UFFD_FLAGS) | vm_flags;
		vma->vm_userfaultfd_ctx = ctx;
	}
	reg->ioctls = BIT(UFFDIO_COPY) | BIT(UFFDIO_ZEROPAGE) |
		      BIT(UFFDIO_CONTINUE) | BIT(UFFDIO_POISON);
	if (vm_flags & VM_UFFD_WP)
		reg->ioctls |= BIT(UFFDIO_WRITEPROTECT);
out_unlock:
	mmap_write_unlock(mm);
	return ret;
}

static int userfaultfd_unregister(struct userfaultfd_ctx *ctx,
				  struct uffdio_range *range)
{
	unsigned long start = range->start, end = start + range->len;
	struct mm_struct *mm = ctx->mm;
	struct vm_area_struct *vma;
	bool found = false;
	int ret = validate_range(start, range->len);

	if (ret)
		return ret;
	if (!mm)
		return -ENOMEM;
	mmap_write_lock(mm);
	ret = -EINVAL;
	for_each_vma_range(mm, vma, start, end) {
		found = true;
		if (vma->vm_userfaultfd_ctx && vma->vm_userfaultfd_ctx != ctx)
			goto out_unlock;
		if (!vma_can_userfault(vma, vma->vm_flags))
			goto out_unlock;
		if (vma->vm_userfaultfd_ctx &&
		    (vma->vm_start < start || vma->vm_end > end))
			goto out_unlock;	/* a split: not modeled */
	}
	if (!found)
		goto out_unlock;
	ret = 0;
	list_for_each_entry(vma, &mm->mmap, vm_list)
		if (vma->vm_end > start && vma->vm_start < end &&
		    vma->vm_userfaultfd_ctx)
			userfaultfd_clear_vma(vma);
out_unlock:
	mmap_write_unlock(mm);
	return ret;
}

static int mwriteprotect_range(struct userfaultfd_ctx *ctx,
			       unsigned long start, unsigned long len,
			       bool enable_wp)
{
	struct mm_struct *mm = ctx->mm;
	unsigned long end = start + len;
	struct vm_area_struct *vma;
	int err = -EAGAIN;

	mmap_read_lock(mm);
	if (atomic_read(&ctx->mmap_changing))
		goto out_unlock;
	err = -ENOENT;
	for_each_vma_range(mm, vma, start, end) {
		if (!(vma->vm_flags & VM_UFFD_WP)) {
			err = -ENOENT;
			break;
		}
		uffd_wp_range(vma, max(vma->vm_start, start),
			      min(vma->vm_end, end), enable_wp);
		err = 0;
	}
out_unlock:
	mmap_read_unlock(mm);
	return err;
}

static int userfaultfd_writeprotect(struct userfaultfd_ctx *ctx,
				    struct uffdio_writeprotect *wp)
{
	bool mode_wp = wp->mode & UFFDIO_WRITEPROTECT_MODE_WP;
	bool dontwake = wp->mode & UFFDIO_WRITEPROTECT_MODE_DONTWAKE;
	int ret;

	if (atomic_read(&ctx->mmap_changing))
		return -EAGAIN;
	ret = validate_range(wp->range.start, wp->range.len);
	if (ret)
		return ret;
	if (wp->mode & ~(UFFDIO_WRITEPROTECT_MODE_DONTWAKE |
			 UFFDIO_WRITEPROTECT_MODE_WP))
		return -EINVAL;
	if (mode_wp && dontwake)
		return -EINVAL;
	if (!ctx->mm)
		return -ESRCH;
	return mwriteprotect_range(ctx, wp->range.start, wp->range.len,
				   mode_wp);
}

vm_fault_t userfaultfd_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	void *entry;

	if (!(vma->vm_flags & (VM_UFFD_MISSING | VM_UFFD_MINOR)))
		return 0;
	if (vma_is_anonymous(vma))
		return vma->vm_flags & VM_UFFD_MISSING ? VM_FAULT_SIGBUS : 0;
	if (!vma_is_shmem(vma))
		return 0;
	entry = filemap_get_entry(vma->vm_file->f_mapping, vmf->pgoff);
	if (!entry)
		return vma->vm_flags & VM_UFFD_MISSING ? VM_FAULT_SIGBUS : 0;
	if (xa_is_value(entry))
		return 0;			/* swapped out: not missing */
	return vma->vm_flags & VM_UFFD_MINOR ? VM_FAULT_SIGBUS : 0;
}

int mfill_copy_folio(struct folio *folio, unsigned long src_addr, bool locked)
{
	bool nofault = locked && variant_current(&uffd_copy_area) == 0;
	/* READ_ONCE: a test clears it while fillers run */
	void (*hook)(void) = READ_ONCE(mfill_locked_hook);
	u8 buf[PAGE_SIZE];
	unsigned long left;

	if (locked && hook)
		hook();
	if (nofault)
		pagefault_disable();
	left = copy_from_user(buf, src_addr, PAGE_SIZE);
	if (nofault)
		pagefault_enable();
	if (left)
		return -EFAULT;
	if (folio_write_data(folio, 0, buf, PAGE_SIZE))
		return -ENOMEM;
	flush_dcache_folio(folio);
	return 0;
}

static bool mfill_file_over_size(struct vm_area_struct *dst_vma,
				 unsigned long dst_addr)
{
	pgoff_t offset, max_off;

	if (!dst_vma->vm_file)
		return false;
	offset = linear_page_index(dst_vma, dst_addr);
	max_off = DIV_ROUND_UP(i_size_read(file_inode(dst_vma->vm_file)),
			       PAGE_SIZE);
	return offset >= max_off;
}

int mfill_atomic_install_pte(struct vm_area_struct *dst_vma,
			     unsigned long dst_addr, struct folio *folio,
			     bool newly_allocated, uffd_flags_t flags)
{
	struct mm_struct *dst_mm = dst_vma->vm_mm;
	bool page_in_cache = folio->mapping && !folio_test_anon(folio);
	bool writable = dst_vma->vm_flags & VM_WRITE;
	bool rfc = uffd_design() != UFFD_UPSTREAM;
	spinlock_t *ptl;
	struct pte *pte;
	int ret;

	if (page_in_cache && !(dst_vma->vm_flags & VM_SHARED))
		writable = false;
	if (flags & MFILL_ATOMIC_WP)
		writable = false;
	pte = pte_offset_map_lock(dst_mm, dst_addr, &ptl);
	ret = -EFAULT;
	if (mfill_file_over_size(dst_vma, dst_addr))
		goto out_unlock;
	ret = -EEXIST;
	if (pte)
		goto out_unlock;
	if (!page_in_cache) {
		__folio_set_anon(folio);	/* folio_add_new_anon_rmap */
		__folio_set_swapbacked(folio);
		folio_add_lru(folio);		/* folio_add_lru_vma */
	} else if (newly_allocated && !rfc) {
		folio_add_lru(folio);
	}
	ret = set_pte_at(dst_mm, dst_addr, folio, writable);
	if (!ret && (flags & MFILL_ATOMIC_WP))		/* pte_mkuffd_wp */
		((struct pte *)xa_load(&dst_mm->page_table,
				       dst_addr >> PAGE_SHIFT))->uffd_wp = true;
	if (page_in_cache && rfc)
		folio_unlock(folio);
out_unlock:
	pte_unmap_unlock(pte, ptl);
	return ret;
}

struct mfill_state {
	struct userfaultfd_ctx *ctx;
	struct vm_area_struct *vma;
	unsigned long src_addr, dst_addr, src_start, len;
	uffd_flags_t flags;
	struct folio *folio;		/* upstream: kept for the retry */
};

static struct folio *anon_alloc_folio(struct vm_area_struct *vma,
				      unsigned long addr)
{
	struct folio *folio = folio_alloc(GFP_HIGHUSER_MOVABLE, 0);

	if (!folio)
		return NULL;
	if (mem_cgroup_charge(folio, vma->vm_mm, GFP_KERNEL)) {
		folio_put(folio);
		return NULL;
	}
	return folio;
}

static bool anon_can_userfault(struct vm_area_struct *vma, vm_flags_t vm_flags)
{
	return !(vm_flags & VM_UFFD_MINOR);	/* no page cache */
}

const struct vm_uffd_ops anon_uffd_ops = {
	.can_userfault	= anon_can_userfault,
	.alloc_folio	= anon_alloc_folio,
};

static struct vm_area_struct *find_dst_vma(struct mm_struct *mm,
					   unsigned long dst_start,
					   unsigned long len)
{
	struct vm_area_struct *vma = find_vma(mm, dst_start);

	if (!vma || dst_start < vma->vm_start || dst_start + len > vma->vm_end)
		return NULL;
	if (!vma->vm_userfaultfd_ctx)
		return NULL;
	return vma;
}

static int mfill_copy_folio_retry(struct mfill_state *state,
				  struct folio *folio)
{
	struct mm_struct *mm = state->ctx->mm;
	int err;

	mmap_read_unlock(mm);
	if (mfill_unlocked_hook)
		mfill_unlocked_hook();
	err = mfill_copy_folio(folio, state->src_addr, false);
	mmap_read_lock(mm);
	if (err)
		return err;
	if (atomic_read(&state->ctx->mmap_changing))
		return -EAGAIN;
	state->vma = find_dst_vma(mm, state->dst_addr, PAGE_SIZE);
	return state->vma ? 0 : -ENOENT;
}

static int __mfill_atomic_pte(struct mfill_state *state,
			      const struct vm_uffd_ops *ops)
{
	unsigned long dst_addr = state->dst_addr;
	struct folio *folio;
	int ret;

	if (uffd_design() == UFFD_FIX &&
	    mfill_file_over_size(state->vma, dst_addr))
		return -EFAULT;
	folio = ops->alloc_folio(state->vma, dst_addr);
	if (!folio)
		return -ENOMEM;
	if (uffd_flags_mode_is(state->flags, MFILL_ATOMIC_COPY)) {
		ret = mfill_copy_folio(folio, state->src_addr, true);
		if (ret)
			ret = mfill_copy_folio_retry(state, folio);
		if (ret)
			goto err_folio_put;
	} else {
		folio_zero_range(folio, 0, PAGE_SIZE);
	}
	__folio_mark_uptodate(folio);
	if (ops->filemap_add) {
		ret = ops->filemap_add(folio, state->vma, dst_addr);
		if (ret)
			goto err_folio_put;
	}
	ret = mfill_atomic_install_pte(state->vma, dst_addr, folio, true,
				       state->flags);
	if (ret)
		goto err_filemap_remove;
	folio_put(folio);		/* the model's PTE has its own */
	return 0;

err_filemap_remove:
	if (ops->filemap_remove)
		ops->filemap_remove(folio, state->vma);
err_folio_put:
	folio_put(folio);
	/* Don't return -ENOENT so that our caller won't retry */
	if (ret == -ENOENT)
		ret = -EFAULT;
	return ret;
}

static int mfill_atomic_pte_copy(struct mfill_state *state)
{
	const struct vm_uffd_ops *ops = vma_uffd_ops(state->vma);

	if (!(state->vma->vm_flags & VM_SHARED))
		ops = &anon_uffd_ops;
	return __mfill_atomic_pte(state, ops);
}

static int mfill_atomic_pte_copy_upstream(struct mfill_state *state)
{
	struct folio *folio = state->folio;
	int ret;

	if (!folio) {
		folio = folio_alloc(GFP_HIGHUSER_MOVABLE, 0);
		if (!folio)
			return -ENOMEM;
		if (mfill_copy_folio(folio, state->src_addr, true)) {
			state->folio = folio;	/* caller copies, retries */
			return -ENOENT;
		}
	} else {
		state->folio = NULL;
	}
	__folio_mark_uptodate(folio);
	ret = -ENOMEM;
	if (mem_cgroup_charge(folio, state->vma->vm_mm, GFP_KERNEL))
		goto out_release;
	ret = mfill_atomic_install_pte(state->vma, state->dst_addr, folio,
				       true, state->flags);
out_release:
	folio_put(folio);	/* on success: the model's PTE has its own */
	return ret;
}

static struct folio zero_folio = { ._refcount = ATOMIC_INIT(1) };
static struct folio poison_folio = { ._refcount = ATOMIC_INIT(1) };

static int mfill_atomic_pte_special(struct mfill_state *state,
				    struct folio *special)
{
	struct mm_struct *mm = state->vma->vm_mm;
	spinlock_t *ptl;
	struct pte *pte = pte_offset_map_lock(mm, state->dst_addr, &ptl);
	int ret = -EFAULT;

	if (mfill_file_over_size(state->vma, state->dst_addr))
		goto out_unlock;
	ret = -EEXIST;
	if (pte)
		goto out_unlock;
	ret = set_pte_at(mm, state->dst_addr, special, false);
out_unlock:
	pte_unmap_unlock(pte, ptl);
	return ret;
}

bool userfaultfd_pte_poisoned(const struct pte *pte)
{
	return pte->folio == &poison_folio;
}

static int mfill_atomic_pte_zeropage(struct mfill_state *state)
{
	if (state->vma->vm_flags & VM_SHARED)
		return __mfill_atomic_pte(state, vma_uffd_ops(state->vma));
	return mfill_atomic_pte_special(state, &zero_folio);
}

static int mfill_atomic_pte_continue(struct mfill_state *state)
{
	struct vm_area_struct *dst_vma = state->vma;
	struct inode *inode = file_inode(dst_vma->vm_file);
	pgoff_t pgoff = linear_page_index(dst_vma, state->dst_addr);
	struct folio *folio;
	int ret;

	if (!vma_is_shmem(dst_vma))
		return -EFAULT;
	folio = vma_uffd_ops(dst_vma)->get_folio_noalloc(inode, pgoff);
	/* Our caller expects us to return -EFAULT if we failed to find folio */
	if (IS_ERR_OR_NULL(folio))
		return !folio || PTR_ERR(folio) == -ENOENT ? -EFAULT :
							      PTR_ERR(folio);
	ret = mfill_atomic_install_pte(dst_vma, state->dst_addr, folio, false,
				       state->flags);
	if (ret)
		goto out_release;
	if (uffd_design() == UFFD_UPSTREAM)
		folio_unlock(folio);
	folio_put(folio);		/* the model's PTE has its own */
	return 0;
out_release:
	folio_unlock(folio);
	folio_put(folio);
	return ret;
}

static int mfill_atomic_pte(struct mfill_state *state)
{
	uffd_flags_t flags = state->flags;
	bool shared = state->vma->vm_flags & VM_SHARED;

	if (uffd_flags_mode_is(flags, MFILL_ATOMIC_CONTINUE))
		return mfill_atomic_pte_continue(state);
	if (uffd_flags_mode_is(flags, MFILL_ATOMIC_POISON))
		return mfill_atomic_pte_special(state, &poison_folio);
	if (uffd_design() == UFFD_UPSTREAM) {
		if (shared)
			return shmem_mfill_atomic_pte(state->vma,
						      state->dst_addr,
						      state->src_addr, flags,
						      &state->folio);
		if (uffd_flags_mode_is(flags, MFILL_ATOMIC_COPY))
			return mfill_atomic_pte_copy_upstream(state);
		return mfill_atomic_pte_zeropage(state);
	}
	if (uffd_flags_mode_is(flags, MFILL_ATOMIC_COPY))
		return mfill_atomic_pte_copy(state);
	if (uffd_flags_mode_is(flags, MFILL_ATOMIC_ZEROPAGE))
		return mfill_atomic_pte_zeropage(state);
	return -EOPNOTSUPP;
}

static ssize_t mfill_atomic(struct userfaultfd_ctx *ctx,
			    unsigned long dst_start, unsigned long src_start,
			    unsigned long len, uffd_flags_t flags)
{
	struct mfill_state state = {
		.ctx = ctx, .src_addr = src_start, .dst_addr = dst_start,
		.src_start = src_start, .len = len, .flags = flags,
	};
	struct mm_struct *dst_mm = ctx->mm;
	ssize_t copied = 0, err;

retry:
	mmap_read_lock(dst_mm);
	err = -EAGAIN;
	if (atomic_read(&ctx->mmap_changing))
		goto out_unlock;
	err = -ENOENT;
	state.vma = find_dst_vma(dst_mm, dst_start, len);
	if (!state.vma)
		goto out_unlock;
	err = -EINVAL;
	if ((flags & MFILL_ATOMIC_WP) && !(state.vma->vm_flags & VM_UFFD_WP))
		goto out_unlock;
	if (!vma_is_anonymous(state.vma) && !vma_is_shmem(state.vma))
		goto out_unlock;
	while (state.src_addr < src_start + len) {
		err = mfill_atomic_pte(&state);
		cond_resched();
		if (unlikely(err == -ENOENT)) {
			mmap_read_unlock(dst_mm);
			BUG_ON(!state.folio);
			if (mfill_unlocked_hook)
				mfill_unlocked_hook();
			err = mfill_copy_folio(state.folio, state.src_addr,
					       false);
			if (unlikely(err)) {
				err = -EFAULT;
				goto out;
			}
			goto retry;
		}
		BUG_ON(state.folio);
		if (!err) {
			state.dst_addr += PAGE_SIZE;
			state.src_addr += PAGE_SIZE;
			copied += PAGE_SIZE;
			if (fatal_signal_pending(current))
				err = -EINTR;
		}
		if (err)
			break;
	}
out_unlock:
	mmap_read_unlock(dst_mm);
out:
	if (state.folio)
		folio_put(state.folio);
	return copied ? copied : err;
}

ssize_t mfill_atomic_copy(struct userfaultfd_ctx *ctx, unsigned long dst_start,
			  unsigned long src_start, unsigned long len,
			  uffd_flags_t flags)
{
	return mfill_atomic(ctx, dst_start, src_start, len,
			    uffd_flags_set_mode(flags, MFILL_ATOMIC_COPY));
}

ssize_t mfill_atomic_zeropage(struct userfaultfd_ctx *ctx,
			      unsigned long start, unsigned long len)
{
	return mfill_atomic(ctx, start, 0, len,
			    uffd_flags_set_mode(0, MFILL_ATOMIC_ZEROPAGE));
}

ssize_t mfill_atomic_continue(struct userfaultfd_ctx *ctx, unsigned long start,
			      unsigned long len, uffd_flags_t flags)
{
	return mfill_atomic(ctx, start, 0, len,
			    uffd_flags_set_mode(flags, MFILL_ATOMIC_CONTINUE));
}

ssize_t mfill_atomic_poison(struct userfaultfd_ctx *ctx, unsigned long start,
			    unsigned long len, uffd_flags_t flags)
{
	return mfill_atomic(ctx, start, 0, len,
			    uffd_flags_set_mode(flags, MFILL_ATOMIC_POISON));
}

static long uffd_fill_result(ssize_t ret, u64 len, s64 *out)
{
	*out = ret;
	if (ret < 0)
		return ret;
	return (u64)ret == len ? 0 : -EAGAIN;
}

static long userfaultfd_copy(struct userfaultfd_ctx *ctx,
			     struct uffdio_copy *uc)
{
	uffd_flags_t flags = 0;
	long ret;

	if (atomic_read(&ctx->mmap_changing))
		return -EAGAIN;
	ret = validate_range(uc->dst, uc->len);
	if (ret)
		return ret;
	if (uc->src + uc->len <= uc->src ||
	    (uc->mode & ~(UFFDIO_COPY_MODE_DONTWAKE | UFFDIO_COPY_MODE_WP)))
		return -EINVAL;
	if (uc->mode & UFFDIO_COPY_MODE_WP)
		flags |= MFILL_ATOMIC_WP;
	if (!ctx->mm)
		return -ESRCH;
	return uffd_fill_result(mfill_atomic_copy(ctx, uc->dst, uc->src,
						  uc->len, flags),
				uc->len, &uc->copy);
}

static long userfaultfd_range_fill(struct userfaultfd_ctx *ctx,
				   struct uffdio_range *range, u64 mode,
				   u64 modes_ok, enum mfill_atomic_mode m,
				   s64 *out)
{
	uffd_flags_t flags = 0;
	long ret;

	if (atomic_read(&ctx->mmap_changing))
		return -EAGAIN;
	ret = validate_range(range->start, range->len);
	if (ret)
		return ret;
	if (mode & ~modes_ok)
		return -EINVAL;
	if (mode & UFFDIO_CONTINUE_MODE_WP && m == MFILL_ATOMIC_CONTINUE)
		flags |= MFILL_ATOMIC_WP;
	if (!ctx->mm)
		return -ESRCH;
	return uffd_fill_result(mfill_atomic(ctx, range->start, 0, range->len,
					     uffd_flags_set_mode(flags, m)),
				range->len, out);
}

long ksys_uffd_ioctl(int ufd, unsigned int cmd, void *arg)
{
	struct file *file = fget(ufd);
	struct userfaultfd_ctx *ctx;
	long ret = -ENOTTY;

	if (!file)
		return -EBADF;
	if (file->f_op != &userfaultfd_fops)
		goto out;
	ctx = file->private_data;
	ret = -EINVAL;
	if (cmd != UFFDIO_API && !ctx->initialized)
		goto out;
	switch (cmd) {
	case UFFDIO_API:
		ret = userfaultfd_api(ctx, arg);
		break;
	case UFFDIO_REGISTER:
		ret = userfaultfd_register(ctx, arg);
		break;
	case UFFDIO_UNREGISTER:
		ret = userfaultfd_unregister(ctx, arg);
		break;
	case UFFDIO_WRITEPROTECT:
		ret = userfaultfd_writeprotect(ctx, arg);
		break;
	case UFFDIO_COPY:
		ret = userfaultfd_copy(ctx, arg);
		break;
	case UFFDIO_ZEROPAGE: {
		struct uffdio_zeropage *z = arg;

		ret = userfaultfd_range_fill(ctx, &z->range, z->mode,
					     UFFDIO_ZEROPAGE_MODE_DONTWAKE,
					     MFILL_ATOMIC_ZEROPAGE, &z->zeropage);
		break;
	}
	case UFFDIO_CONTINUE: {
		struct uffdio_continue *c = arg;

		ret = userfaultfd_range_fill(ctx, &c->range, c->mode,
					     UFFDIO_CONTINUE_MODE_DONTWAKE |
					     UFFDIO_CONTINUE_MODE_WP,
					     MFILL_ATOMIC_CONTINUE, &c->mapped);
		break;
	}
	case UFFDIO_POISON: {
		struct uffdio_poison *p = arg;

		ret = userfaultfd_range_fill(ctx, &p->range, p->mode,
					     UFFDIO_POISON_MODE_DONTWAKE,
					     MFILL_ATOMIC_POISON, &p->updated);
		break;
	}
	default:
		ret = -ENOTTY;
	}
out:
	fput(file);
	return ret;
}
