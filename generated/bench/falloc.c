/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/03-falloc.nw (chapter 3); do not edit. */
/* falloc.c: claim FX5, fault latency while a long fallocate runs. */
#include <time.h>
#include <unistd.h>
#include "shmem.h"
#include "falloc.h"

#define FB_RANGE	65536	/* pages fallocate allocates or punches */
#define FB_OUTSIDE	16384	/* pages after it, faulted one by one */
#define FB_BASE		512	/* faults of the baseline */
#define FB_RUNS		9
#define FB_MAP_PACE_US	100	/* between two mmaps of the mapper */

struct fb_sample {
	double base_us;		/* mean fault, nothing else running */
	double mean_us;		/* mean fault during the operation */
	double p99_us;		/* its 99th percentile */
	double max_us;		/* longest fault during the operation */
	double op_ms;		/* the operation */
	long faults;		/* faults that overlapped it */
	double map_mean_us;	/* mmap+munmap of another thread, meanwhile */
	double map_calls;	/* how many it completed */
};

struct fb_op {
	int fd, mode;
	double t0, t1;		/* when it ran, in fb_now_us() time */
	int done;
};

static double fb_start[FB_OUTSIDE], fb_end[FB_OUTSIDE], fb_us[FB_OUTSIDE];

static int fb_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double fb_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int fb_op_fn(void *data)
{
	struct fb_op *op = data;

	op->t0 = fb_now_us();
	BUG_ON(ksys_fallocate(op->fd, op->mode, 0,
			      (loff_t)FB_RANGE << PAGE_SHIFT));
	op->t1 = fb_now_us();
	smp_store_release(&op->done, 1);
	return 0;
}

struct fb_mapper {
	struct fb_op *op;
	double sum_us;
	long calls;
};

/*
 * Another thread of the process maps and unmaps one anonymous page every
 * FB_MAP_PACE_US until the operation ends: mmap_lock for writing, twice.
 */
static int fb_mapper_fn(void *data)
{
	struct fb_mapper *m = data;

	while (!smp_load_acquire(&m->op->done)) {
		double t0 = fb_now_us(), us;
		unsigned long a = ksys_mmap_pgoff(0, PAGE_SIZE, PROT_READ,
						  MAP_PRIVATE | MAP_ANONYMOUS,
						  -1, 0);

		BUG_ON(IS_ERR_VALUE(a) || ksys_munmap(a, PAGE_SIZE));
		us = fb_now_us() - t0;
		m->sum_us += us;
		m->calls++;
		usleep(FB_MAP_PACE_US);
	}
	return 0;
}

/* Fault page @n after @addr; record when it ran. */
static void fb_fault(unsigned long addr, unsigned long n)
{
	u8 byte;

	fb_start[n] = fb_now_us();
	BUG_ON(user_load_byte(addr + (n << PAGE_SHIFT), &byte));
	fb_end[n] = fb_now_us();
}

#define FB_PACE_US	10

static void fb_run(int design, bool punch, struct fb_sample *s)
{
	loff_t size = (loff_t)(FB_RANGE + FB_OUTSIDE) << PAGE_SHIFT;
	struct fb_op op = { .mode = punch ? FALLOC_FL_PUNCH_HOLE |
					    FALLOC_FL_KEEP_SIZE : 0 };
	struct fb_mapper map = { .op = &op };
	unsigned long addr, outside, n, last;
	struct task_struct *t, *mapper;
	double sum = 0, next;

	mmlit_process_reset();
	variant_select(&shmem_falloc_area, design);
	op.fd = ksys_memfd_create("fx5", 0);
	BUG_ON(op.fd < 0 || ksys_ftruncate(op.fd, size));
	if (punch)
		BUG_ON(ksys_fallocate(op.fd, 0, 0,
				      (loff_t)FB_RANGE << PAGE_SHIFT));
	addr = ksys_mmap_pgoff(0, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			       op.fd, 0);
	BUG_ON(IS_ERR_VALUE(addr));
	outside = addr + ((unsigned long)FB_RANGE << PAGE_SHIFT);
	for (n = 0; n < FB_BASE; n++) {
		fb_fault(outside, n);
		sum += fb_end[n] - fb_start[n];
	}
	s->base_us = sum / FB_BASE;

	t = task_run(fb_op_fn, &op, "falloc");
	mapper = task_run(fb_mapper_fn, &map, "mmap");
	next = fb_now_us();
	for (last = FB_BASE; last < FB_OUTSIDE && !smp_load_acquire(&op.done);
	     last++) {
		while (fb_now_us() < next)
			cpu_relax();
		fb_fault(outside, last);
		next = max(next + FB_PACE_US, fb_end[last]);
	}
	BUG_ON(task_join(t) || task_join(mapper));

	s->op_ms = (op.t1 - op.t0) / 1e3;
	s->map_mean_us = map.calls ? map.sum_us / map.calls : 0;
	s->map_calls = map.calls;
	s->faults = 0;
	sum = 0;
	for (n = FB_BASE; n < last; n++) {
		if (fb_end[n] < op.t0 || fb_start[n] > op.t1)
			continue;
		fb_us[s->faults] = fb_end[n] - fb_start[n];
		sum += fb_us[s->faults++];
	}
	qsort(fb_us, s->faults, sizeof(fb_us[0]), fb_cmp);
	s->mean_us = s->faults ? sum / s->faults : 0;
	s->p99_us = s->faults ? fb_us[(s->faults * 99 + 99) / 100 - 1] : 0;
	s->max_us = s->faults ? fb_us[s->faults - 1] : 0;
	BUG_ON(ksys_munmap(addr, size) || ksys_close(op.fd));
}

static double fb_median(struct fb_sample *s, size_t off)
{
	double v[FB_RUNS];

	for (int r = 0; r < FB_RUNS; r++)
		v[r] = *(double *)((char *)&s[r] + off);
	qsort(v, FB_RUNS, sizeof(v[0]), fb_cmp);
	return v[FB_RUNS / 2];
}

/* "# machine: CPU model, N CPUs" from /proc/cpuinfo. */
static void fb_describe_machine(FILE *f)
{
	char line[256], model[128] = "unknown CPU";
	FILE *c = fopen("/proc/cpuinfo", "r");

	while (c && fgets(line, sizeof(line), c)) {
		char *v = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && v) {
			snprintf(model, sizeof(model), "%s", v + 2);
			model[strcspn(model, "\n")] = 0;
			break;
		}
	}
	if (c)
		fclose(c);
	fprintf(f, "# machine: %s, %ld CPUs\n", model,
		sysconf(_SC_NPROCESSORS_ONLN));
}

static void fb_measure(int design, bool punch, struct fb_sample *m)
{
	struct fb_sample s[FB_RUNS];
	double faults[FB_RUNS];

	for (int r = 0; r < FB_RUNS; r++) {
		fb_run(design, punch, &s[r]);
		faults[r] = s[r].faults;
	}
	m->base_us = fb_median(s, offsetof(struct fb_sample, base_us));
	m->mean_us = fb_median(s, offsetof(struct fb_sample, mean_us));
	m->p99_us = fb_median(s, offsetof(struct fb_sample, p99_us));
	m->max_us = fb_median(s, offsetof(struct fb_sample, max_us));
	m->op_ms = fb_median(s, offsetof(struct fb_sample, op_ms));
	m->map_mean_us = fb_median(s, offsetof(struct fb_sample, map_mean_us));
	m->map_calls = fb_median(s, offsetof(struct fb_sample, map_calls));
	qsort(faults, FB_RUNS, sizeof(faults[0]), fb_cmp);
	m->faults = faults[FB_RUNS / 2];
}

void bench_falloc(FILE *out, FILE *data)
{
	static const char *const ops[] = { "alloc", "punch" };
	struct fb_sample m[NR_EXCL_DESIGNS][2];
	bool lockdep = lockdep_enabled();

	lockdep_set_enabled(false);
	sched_set_hung_timeout(0);
	for (int i = 0; i < NR_EXCL_DESIGNS; i++)
		for (int p = 0; p < 2; p++)
			fb_measure(i, p, &m[i][p]);
	sched_set_hung_timeout(1000);
	lockdep_set_enabled(lockdep);

	fprintf(out, "\nClaim FX5: faults outside a fallocate of %d pages, "
		"median of %d runs\n", FB_RANGE, FB_RUNS);
	fprintf(out, "%-13s %-5s %8s %9s %9s %9s %7s %6s %9s %9s %9s\n",
		"design", "op", "base us", "mean us", "p99 us", "max us",
		"op ms", "faults", "p99/upst", "mmap us", "mmaps");
	for (int p = 0; p < 2; p++)
		for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
			variant_select(&shmem_falloc_area, i);
			fprintf(out, "%-13s %-5s %8.2f %9.2f %9.1f %9.1f %7.1f "
				"%6ld %9.1f %9.1f %9.0f\n",
				variant_name(&shmem_falloc_area),
				ops[p], m[i][p].base_us, m[i][p].mean_us,
				m[i][p].p99_us, m[i][p].max_us, m[i][p].op_ms,
				m[i][p].faults,
				m[i][p].p99_us / m[EXCL_SHMEM_FALLOC][p].p99_us,
				m[i][p].map_mean_us, m[i][p].map_calls);
		}
	if (!data)
		return;
	fprintf(data, "# bench_falloc (chapter 3, claim FX5): faults on holes "
		"outside a fallocate\n# of %d pages, median of %d runs; "
		"written by make bench.\n", FB_RANGE, FB_RUNS);
	fb_describe_machine(data);
	fprintf(data, "# design op base_us mean_us p99_us max_us op_ms "
		"faults map_mean_us map_calls\n");
	for (int p = 0; p < 2; p++)
		for (int i = 0; i < NR_EXCL_DESIGNS; i++) {
			variant_select(&shmem_falloc_area, i);
			fprintf(data, "%s %s %.3f %.3f %.1f %.1f %.2f %ld "
				"%.1f %.0f\n",
				variant_name(&shmem_falloc_area), ops[p],
				m[i][p].base_us, m[i][p].mean_us,
				m[i][p].p99_us, m[i][p].max_us, m[i][p].op_ms,
				m[i][p].faults, m[i][p].map_mean_us,
				m[i][p].map_calls);
		}
	variant_reset_all();
}
