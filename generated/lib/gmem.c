/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/04-srcu-freeze.nw (chapter 4); do not edit. */
/* gmem.c: guest_memfd and the freeze of RFC v2 06/10, with its variants. */
#include "gmem.h"
#include "fault.h"

struct srcu_struct kvm_gmem_freeze_srcu;
DEFINE_PERCPU_RWSEM(kvm_gmem_freeze_rwsem);

DEFINE_VARIANT_AREA(gmem_freeze_variants, "gmem-freeze",
	"how guest_memfd's page cache is frozen (chapter 4)",
	{ "posted",
	  "RFC v2 06/10: global SRCU, frozen check before validation" },
	{ "validate-first", "fallocate validates its arguments, then checks" },
	{ "no-falloc-check", "only kvm_gmem_get_folio() checks the flag" },
	{ "per-inode", "an SRCU domain per inode instead of one global" },
	{ "unsynchronized", "broken on purpose: the freeze does not wait" },
	{ "sync-unfreeze", "unfreezing waits for a grace period too" },
	{ "invalidate-lock",
	  "read side: invalidate_lock shared; freeze: exclusive" },
	{ "percpu-rwsem",
	  "read side: a global percpu-rwsem; freeze: for write" },
	{ "scope-guard",
	  "posted, with guard(srcu) instead of the goto out unlock" })
static struct inode *kvm_gmem_alloc_inode(struct super_block *sb)
{
	struct gmem_inode *gi = calloc(1, sizeof(*gi));

	return gi ? &gi->vfs_inode : NULL;
}

static void kvm_gmem_evict_inode(struct inode *inode)
{
	struct gmem_inode *gi = GMEM_I(inode);

	truncate_inode_pages(inode->i_mapping, 0);
	if (gi->has_srcu)
		cleanup_srcu_struct(&gi->srcu);
}

static void kvm_gmem_free_inode(struct inode *inode)
{
	free(GMEM_I(inode));
}

static const struct super_operations kvm_gmem_super_operations = {
	.alloc_inode = kvm_gmem_alloc_inode,
	.evict_inode = kvm_gmem_evict_inode,
	.free_inode = kvm_gmem_free_inode,
};

DEFINE_FAULT_SITE(fail_gmem_inode_cache, "kvm_gmem_inode_cache",
		  "kmem_cache_create() in kvm_gmem_init()");
DEFINE_FAULT_SITE(fail_gmem_init_mount, "kvm_gmem_init_mount",
		  "kern_mount() in kvm_gmem_init()");

struct kvm_gmem_module kvm_gmem_module;

static int kvm_gmem_init_mount(void)
{
	if (should_fail(&fail_gmem_init_mount))
		return -ENOMEM;
	kvm_gmem_module.mnt_sb = alloc_super("guest_memfd",
					     &kvm_gmem_super_operations, NULL);
	return 0;
}

int kvm_gmem_init(void)
{
	int ret;

	if (should_fail(&fail_gmem_inode_cache))
		return -ENOMEM;
	kvm_gmem_module.inode_cache = true;

	ret = init_srcu_struct(&kvm_gmem_freeze_srcu);
	if (ret)
		goto err_cache;
	kvm_gmem_module.srcu = true;

	ret = kvm_gmem_init_mount();
	if (ret)
		goto err_srcu;
	return 0;

err_srcu:
	cleanup_srcu_struct(&kvm_gmem_freeze_srcu);
	kvm_gmem_module.srcu = false;
err_cache:
	kvm_gmem_module.inode_cache = false;	/* kmem_cache_destroy() */
	return ret;
}

void kvm_gmem_exit(void)
{
	/* kern_unmount(): no inode is left */
	free(kvm_gmem_module.mnt_sb);
	kvm_gmem_module.mnt_sb = NULL;
	/* rcu_barrier(): the model frees inodes at once */
	cleanup_srcu_struct(&kvm_gmem_freeze_srcu);
	kvm_gmem_module.srcu = false;
	kvm_gmem_module.inode_cache = false;
}

__attribute__((constructor)) static void kvm_gmem_load(void)
{
	WARN_ON(kvm_gmem_init());
}

static void kvm_gmem_reload(void)
{
	if (kvm_gmem_freeze_srcu.sda)
		memset(kvm_gmem_freeze_srcu.sda, 0,
		       NR_CPUS * sizeof(struct srcu_data));
	if (kvm_gmem_module.inode_cache)
		kvm_gmem_exit();
	WARN_ON(kvm_gmem_init());
}
DEFINE_RESET_HOOK(kvm_gmem_reload);

static struct srcu_struct *kvm_gmem_srcu(struct inode *inode)
{
	struct gmem_inode *gi = GMEM_I(inode);

	return gi->has_srcu ? &gi->srcu : &kvm_gmem_freeze_srcu;
}

static int kvm_gmem_freeze_read_lock(struct inode *inode)
{
	switch (gmem_variant()) {
	case GMEM_INVALIDATE_LOCK:
		lockdep_assert_held(&inode->i_mapping->invalidate_lock);
		return 0;
	case GMEM_PERCPU_RWSEM:
		percpu_rwsem_assert_held(&kvm_gmem_freeze_rwsem);
		return 0;
	default:
		return srcu_read_lock(kvm_gmem_srcu(inode));
	}
}

static void kvm_gmem_freeze_read_unlock(struct inode *inode, int idx)
{
	switch (gmem_variant()) {
	case GMEM_INVALIDATE_LOCK:
	case GMEM_PERCPU_RWSEM:
		return;
	default:
		srcu_read_unlock(kvm_gmem_srcu(inode), idx);
	}
}

static struct folio *kvm_gmem_create_folio_guarded(struct inode *inode,
						   pgoff_t index)
{
	struct address_space *mapping = inode->i_mapping;

	guard(srcu)(kvm_gmem_srcu(inode));
	if (kvm_gmem_is_frozen(inode))
		return ERR_PTR(-EPERM);
	return __filemap_get_folio(mapping, index,
				   FGP_LOCK | FGP_ACCESSED | FGP_CREAT,
				   mapping_gfp_mask(mapping));
}

/* fallocate written with the guard: below, after the posted one */
static long kvm_gmem_fallocate_guarded(struct file *file, int mode,
				       loff_t offset, loff_t len);
static struct folio *kvm_gmem_get_folio(struct inode *inode, pgoff_t index)
{
	struct address_space *mapping = inode->i_mapping;
	struct folio *folio;
	int idx;

	folio = filemap_lock_folio(mapping, index);
	if (!IS_ERR(folio))
		return folio;
	if (gmem_variant() == GMEM_SCOPE_GUARD)
		return kvm_gmem_create_folio_guarded(inode, index);

	idx = kvm_gmem_freeze_read_lock(inode);
	if (kvm_gmem_is_frozen(inode)) {
		kvm_gmem_freeze_read_unlock(inode, idx);
		return ERR_PTR(-EPERM);
	}
	folio = __filemap_get_folio(mapping, index,
				    FGP_LOCK | FGP_ACCESSED | FGP_CREAT,
				    mapping_gfp_mask(mapping));
	kvm_gmem_freeze_read_unlock(inode, idx);
	return folio;
}

static long kvm_gmem_punch_hole(struct inode *inode, loff_t offset, loff_t len)
{
	struct address_space *mapping = inode->i_mapping;
	long ret = 0;

	filemap_invalidate_lock(mapping);
	if (gmem_variant() == GMEM_INVALIDATE_LOCK &&
	    kvm_gmem_is_frozen(inode)) {
		ret = -EPERM;
		goto out;
	}
	truncate_inode_pages_range(mapping, offset, offset + len - 1);
out:
	filemap_invalidate_unlock(mapping);
	return ret;
}

static long kvm_gmem_allocate(struct inode *inode, loff_t offset, loff_t len)
{
	struct address_space *mapping = inode->i_mapping;
	pgoff_t start, index, end;
	long r = 0;

	if (offset + len > i_size_read(inode))
		return -EINVAL;

	filemap_invalidate_lock_shared(mapping);
	start = offset >> PAGE_SHIFT;
	end = (offset + len) >> PAGE_SHIFT;
	for (index = start; index < end; ) {
		struct folio *folio;

		if (signal_pending(current)) {
			r = -EINTR;
			break;
		}
		folio = kvm_gmem_get_folio(inode, index);
		if (IS_ERR(folio)) {
			r = PTR_ERR(folio);
			break;
		}
		index = folio->index + folio_nr_pages(folio);
		folio_unlock(folio);
		folio_put(folio);
		cond_resched();
	}
	filemap_invalidate_unlock_shared(mapping);
	return r;
}

static long kvm_gmem_fallocate_rules(int mode, loff_t offset, loff_t len)
{
	if (!(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if (!PAGE_ALIGNED(offset) || !PAGE_ALIGNED(len))
		return -EINVAL;
	return 0;
}

static long kvm_gmem_do_fallocate(struct inode *inode, int mode, loff_t offset,
				  loff_t len)
{
	if (mode & FALLOC_FL_PUNCH_HOLE)
		return kvm_gmem_punch_hole(inode, offset, len);
	return kvm_gmem_allocate(inode, offset, len);
}

static long kvm_gmem_fallocate_posted(struct file *file, int mode,
				      loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(file);
	struct srcu_struct *ssp = kvm_gmem_srcu(inode);
	long ret;
	int idx;

	idx = srcu_read_lock(ssp);
	if (kvm_gmem_is_frozen(inode)) {
		ret = -EPERM;
		goto out;
	}
	ret = kvm_gmem_fallocate_rules(mode, offset, len);
	if (ret)
		goto out;
	ret = kvm_gmem_do_fallocate(inode, mode, offset, len);
	if (!ret)
		file_modified(file);
out:
	srcu_read_unlock(ssp, idx);
	return ret;
}

static long kvm_gmem_fallocate_validate_first(struct file *file, int mode,
					      loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(file);
	struct srcu_struct *ssp = kvm_gmem_srcu(inode);
	long ret;
	int idx;

	ret = kvm_gmem_fallocate_rules(mode, offset, len);
	if (ret)
		return ret;
	idx = srcu_read_lock(ssp);
	if (kvm_gmem_is_frozen(inode))
		ret = -EPERM;
	else
		ret = kvm_gmem_do_fallocate(inode, mode, offset, len);
	srcu_read_unlock(ssp, idx);
	if (!ret)
		file_modified(file);
	return ret;
}

static long kvm_gmem_fallocate_unchecked(struct file *file, int mode,
					 loff_t offset, loff_t len)
{
	long ret = kvm_gmem_fallocate_rules(mode, offset, len);

	if (ret)
		return ret;
	ret = kvm_gmem_do_fallocate(file_inode(file), mode, offset, len);
	if (!ret)
		file_modified(file);
	return ret;
}

static long kvm_gmem_fallocate_percpu_rwsem(struct file *file, int mode,
					    loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(file);
	long ret;

	percpu_down_read(&kvm_gmem_freeze_rwsem);
	if (kvm_gmem_is_frozen(inode))
		ret = -EPERM;
	else
		ret = kvm_gmem_fallocate_rules(mode, offset, len);
	if (!ret)
		ret = kvm_gmem_do_fallocate(inode, mode, offset, len);
	percpu_up_read(&kvm_gmem_freeze_rwsem);
	if (!ret)
		file_modified(file);
	return ret;
}

static long kvm_gmem_fallocate(struct file *file, int mode, loff_t offset,
			       loff_t len)
{
	switch (gmem_variant()) {
	case GMEM_VALIDATE_FIRST:
		return kvm_gmem_fallocate_validate_first(file, mode, offset,
							 len);
	case GMEM_NO_FALLOC_CHECK:
	case GMEM_INVALIDATE_LOCK:
		return kvm_gmem_fallocate_unchecked(file, mode, offset, len);
	case GMEM_PERCPU_RWSEM:
		return kvm_gmem_fallocate_percpu_rwsem(file, mode, offset, len);
	case GMEM_SCOPE_GUARD:
		return kvm_gmem_fallocate_guarded(file, mode, offset, len);
	default:
		return kvm_gmem_fallocate_posted(file, mode, offset, len);
	}
}

static long kvm_gmem_fallocate_guarded(struct file *file, int mode,
				       loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(file);
	long ret;

	guard(srcu)(kvm_gmem_srcu(inode));
	if (kvm_gmem_is_frozen(inode))
		return -EPERM;
	ret = kvm_gmem_fallocate_rules(mode, offset, len);
	if (ret)
		return ret;
	ret = kvm_gmem_do_fallocate(inode, mode, offset, len);
	if (!ret)
		file_modified(file);
	return ret;
}

static void kvm_gmem_set_frozen(struct inode *inode, bool freeze)
{
	u64 flags = READ_ONCE(GMEM_I(inode)->flags);

	if (freeze)
		flags |= GUEST_MEMFD_F_MAPPING_FROZEN;
	else
		flags &= ~GUEST_MEMFD_F_MAPPING_FROZEN;
	WRITE_ONCE(GMEM_I(inode)->flags, flags);
}

void kvm_gmem_freeze(struct inode *inode, bool freeze)
{
	int v = gmem_variant();

	if (v == GMEM_INVALIDATE_LOCK) {
		filemap_invalidate_lock(inode->i_mapping);
		kvm_gmem_set_frozen(inode, freeze);
		filemap_invalidate_unlock(inode->i_mapping);
		return;
	}
	if (v == GMEM_PERCPU_RWSEM) {
		percpu_down_write(&kvm_gmem_freeze_rwsem);
		kvm_gmem_set_frozen(inode, freeze);
		percpu_up_write(&kvm_gmem_freeze_rwsem);
		return;
	}
	kvm_gmem_set_frozen(inode, freeze);
	if ((freeze && v != GMEM_UNSYNCHRONIZED) || v == GMEM_SYNC_UNFREEZE)
		synchronize_srcu(kvm_gmem_srcu(inode));
}

static int kvm_gmem_mmap(struct file *file, struct vm_area_struct *vma);

static const struct file_operations kvm_gmem_fops = {
	.mmap = kvm_gmem_mmap,
	.fallocate = kvm_gmem_fallocate,
};

static int __kvm_gmem_create(loff_t size, u64 flags)
{
	struct gmem_inode *gi;
	struct inode *inode;
	struct file *file;
	int fd, err;

	if (WARN_ON(!kvm_gmem_module.mnt_sb))	/* KVM not loaded */
		return -ENODEV;
	inode = new_inode(kvm_gmem_module.mnt_sb);
	if (!inode)
		return -ENOMEM;
	gi = GMEM_I(inode);
	gi->flags = flags;
	if (gmem_variant() == GMEM_PER_INODE) {
		err = init_srcu_struct(&gi->srcu);
		if (err)
			goto err_inode;
		gi->has_srcu = true;
	}
	inode->i_size = size;
	inode->i_mapping->gfp_mask = GFP_HIGHUSER;
	file = alloc_file(inode, FMODE_READ | FMODE_WRITE, &kvm_gmem_fops);
	if (!file) {
		err = -ENOMEM;
		goto err_inode;
	}
	iput(inode);			/* the file holds it now */
	fd = fd_install_new(file);
	if (fd < 0)
		fput(file);
	return fd;
err_inode:
	iput(inode);
	return err;
}

int kvm_gmem_create(loff_t size, u64 flags)
{
	if (flags & ~(GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED))
		return -EINVAL;
	if (size <= 0 || !PAGE_ALIGNED(size))
		return -EINVAL;
	return __kvm_gmem_create(size, flags);
}

struct inode *kvm_gmem_inode(int fd)
{
	struct file *file = fget(fd);
	struct inode *inode = NULL;

	if (!file)
		return NULL;
	if (file->f_op == &kvm_gmem_fops)
		inode = file_inode(file);
	fput(file);		/* the fd still holds the file */
	return inode;
}

int kvm_gmem_freeze_fd(int fd, bool freeze)
{
	struct inode *inode = kvm_gmem_inode(fd);

	if (!inode)
		return -EBADF;
	kvm_gmem_freeze(inode, freeze);
	return 0;
}

static void kvm_gmem_fault_lock(struct inode *inode)
{
	if (gmem_variant() == GMEM_INVALIDATE_LOCK)
		filemap_invalidate_lock_shared(inode->i_mapping);
	else if (gmem_variant() == GMEM_PERCPU_RWSEM)
		percpu_down_read(&kvm_gmem_freeze_rwsem);
}

static void kvm_gmem_fault_unlock(struct inode *inode)
{
	if (gmem_variant() == GMEM_INVALIDATE_LOCK)
		filemap_invalidate_unlock_shared(inode->i_mapping);
	else if (gmem_variant() == GMEM_PERCPU_RWSEM)
		percpu_up_read(&kvm_gmem_freeze_rwsem);
}

int kvm_gmem_get_pfn(struct file *file, pgoff_t index, struct folio **foliop,
		     int *max_order)
{
	struct inode *inode = file_inode(file);
	struct folio *folio;

	kvm_gmem_fault_lock(inode);
	folio = kvm_gmem_get_folio(inode, index);
	kvm_gmem_fault_unlock(inode);
	if (IS_ERR(folio))
		return PTR_ERR(folio);
	if (!folio_test_uptodate(folio)) {
		folio_zero_range(folio, 0, PAGE_SIZE);
		folio_mark_uptodate(folio);
	}
	folio_unlock(folio);
	*foliop = folio;
	*max_order = 0;
	return 0;
}

static void kvm_mmu_prepare_memory_fault_exit(struct kvm_vcpu *vcpu, gfn_t gfn)
{
	vcpu->run.exit_reason = KVM_EXIT_MEMORY_FAULT;
	/* the series' guest_memfd is fully shared: no private faults */
	vcpu->run.memory_fault.flags = 0;
	vcpu->run.memory_fault.gpa = gfn << PAGE_SHIFT;
	vcpu->run.memory_fault.size = PAGE_SIZE;
}

int kvm_vcpu_fault(struct kvm_vcpu *vcpu, gfn_t gfn)
{
	struct folio *folio;
	int max_order, r;

	r = kvm_gmem_get_pfn(vcpu->gmem, gfn, &folio, &max_order);
	if (r) {
		kvm_mmu_prepare_memory_fault_exit(vcpu, gfn);
		return r;
	}
	vcpu->faults++;			/* mapped into the guest */
	folio_put(folio);		/* kvm_release_faultin_page() */
	return 0;
}

static vm_fault_t kvm_gmem_fault_user_mapping(struct vm_fault *vmf)
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	struct folio *folio;

	if (((loff_t)vmf->pgoff << PAGE_SHIFT) >= i_size_read(inode))
		return VM_FAULT_SIGBUS;
	if (!(GMEM_I(inode)->flags & GUEST_MEMFD_FLAG_INIT_SHARED))
		return VM_FAULT_SIGBUS;
	kvm_gmem_fault_lock(inode);
	folio = kvm_gmem_get_folio(inode, vmf->pgoff);
	kvm_gmem_fault_unlock(inode);
	if (IS_ERR(folio))		/* vmf_error() */
		return PTR_ERR(folio) == -ENOMEM ? VM_FAULT_OOM :
						   VM_FAULT_SIGBUS;
	if (!folio_test_uptodate(folio)) {
		folio_zero_range(folio, 0, PAGE_SIZE);
		folio_mark_uptodate(folio);
	}
	vmf->folio = folio;
	return VM_FAULT_LOCKED;
}

static const struct vm_operations_struct kvm_gmem_vm_ops = {
	.fault = kvm_gmem_fault_user_mapping,
};

static int kvm_gmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (!(GMEM_I(file_inode(file))->flags & GUEST_MEMFD_FLAG_MMAP))
		return -ENODEV;
	if ((vma->vm_flags & (VM_SHARED | VM_MAYSHARE)) !=
	    (VM_SHARED | VM_MAYSHARE))
		return -EINVAL;
	vma->vm_ops = &kvm_gmem_vm_ops;
	return 0;
}
