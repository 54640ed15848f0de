/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/04-srcu-freeze.nw (chapter 4); do not edit. */
/* bench.c: the read side and the grace period of chapter 4, against peers. */
#include "mmlit.h"
#include "percpu-rwsem.h"
#include "bench.h"
#include "bench-data.h"
#include "falloc.h"
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

unsigned long bench_flags __cacheline_aligned;
DEFINE_STATIC_SRCU(bench_srcu);
DEFINE_STATIC_PERCPU_RWSEM(bench_pcpu_rwsem);
static DECLARE_RWSEM(bench_rwsem);		/* stands for invalidate_lock */
static struct inode bench_inode __cacheline_aligned;	/* i_lock, i_private */
static pthread_rwlock_t bench_pthread_rwlock = PTHREAD_RWLOCK_INITIALIZER;

#define FLAG_CHECK	(READ_ONCE(bench_flags) & BENCH_FROZEN)

#define READ_SECTION_LOOP(name, lock, check, unlock)			\
static unsigned long name##_loop(const int *stop, unsigned long *hits)	\
{									\
	unsigned long n = 0, h = 0;					\
									\
	while (!READ_ONCE(*stop)) {					\
		for (int i = 0; i < BENCH_BATCH; i++) {			\
			int tok = (lock);				\
									\
			if (unlikely(check))				\
				h++;					\
			unlock;						\
		}							\
		n += BENCH_BATCH;					\
	}								\
	*hits = h;							\
	return n;							\
}

READ_SECTION_LOOP(none, 0, FLAG_CHECK, (void)tok)
READ_SECTION_LOOP(srcu, srcu_read_lock(&bench_srcu), FLAG_CHECK,
		  srcu_read_unlock(&bench_srcu, tok))
READ_SECTION_LOOP(srcu_fenced, srcu_read_lock_fenced(&bench_srcu), FLAG_CHECK,
		  srcu_read_unlock_fenced(&bench_srcu, tok))
READ_SECTION_LOOP(pcpu_rwsem, (percpu_down_read(&bench_pcpu_rwsem), 0),
		  FLAG_CHECK, (percpu_up_read(&bench_pcpu_rwsem), (void)tok))
READ_SECTION_LOOP(rwsem, (down_read(&bench_rwsem), 0), FLAG_CHECK,
		  (up_read(&bench_rwsem), (void)tok))
READ_SECTION_LOOP(spinlock, (spin_lock(&bench_inode.i_lock), 0),
		  READ_ONCE(bench_inode.i_private) != NULL,
		  (spin_unlock(&bench_inode.i_lock), (void)tok))
READ_SECTION_LOOP(pthread_rwlock, pthread_rwlock_rdlock(&bench_pthread_rwlock),
		  FLAG_CHECK, (pthread_rwlock_unlock(&bench_pthread_rwlock),
			       (void)tok))
struct mechanism {
	const char *key;		/* in the data file */
	const char *label;		/* in tables and the plot */
	unsigned long (*loop)(const int *stop, unsigned long *hits);
	void (*thread_init)(void);
	void (*thread_exit)(void);
	void (*synchronize)(void);	/* the updater; NULL: not measured */
	const char *sync_label;
	long (*membarriers)(void);	/* membarrier(2) calls so far */
	bool may_sleep;			/* its readers: timed in wall time */
};

static void shim_thread_init(void)
{
	(void)current;		/* adopt: the thread gets a reader slot */
}

static void shim_thread_exit(void)
{
	task_release_current();
}

static void srcu_sync(void)
{
	synchronize_srcu(&bench_srcu);
}

static void pcpu_rwsem_write(void)
{
	percpu_down_write(&bench_pcpu_rwsem);
	percpu_up_write(&bench_pcpu_rwsem);
}

static void rwsem_write(void)
{
	down_write(&bench_rwsem);
	up_write(&bench_rwsem);
}

static const struct mechanism mechanisms[] = {
	{ .key = "none", .label = "the check alone", .loop = none_loop,
	  .thread_init = shim_thread_init, .thread_exit = shim_thread_exit },
	{ .key = "srcu", .label = "SRCU (shim, no fence)", .loop = srcu_loop,
	  .thread_init = shim_thread_init, .thread_exit = shim_thread_exit,
	  .synchronize = srcu_sync, .sync_label = "synchronize_srcu",
	  .membarriers = srcu_membarrier_calls },
	{ .key = "srcu-fenced", .label = "SRCU, classic (smp_mb)",
	  .loop = srcu_fenced_loop,
	  .thread_init = shim_thread_init, .thread_exit = shim_thread_exit },
	{ .key = "urcu-memb", .label = "liburcu urcu-memb",
	  .loop = bench_urcu_loop,
	  .thread_init = bench_urcu_thread_init,
	  .thread_exit = bench_urcu_thread_exit,
	  .synchronize = bench_urcu_synchronize,
	  .sync_label = "synchronize_rcu (urcu-memb)" },
	{ .key = "percpu-rwsem", .label = "percpu-rwsem read",
	  .loop = pcpu_rwsem_loop,
	  .thread_init = shim_thread_init, .thread_exit = shim_thread_exit,
	  .synchronize = pcpu_rwsem_write,
	  .sync_label = "percpu_down_write + up",
	  .membarriers = percpu_rwsem_membarrier_calls },
	{ .key = "rwsem", .label = "rwsem shared (invalidate_lock)",
	  .loop = rwsem_loop, .may_sleep = true,
	  .thread_init = shim_thread_init, .thread_exit = shim_thread_exit,
	  .synchronize = rwsem_write, .sync_label = "down_write + up_write" },
	{ .key = "spinlock", .label = "spin lock + i_private",
	  .loop = spinlock_loop,
	  .thread_init = shim_thread_init, .thread_exit = shim_thread_exit },
	{ .key = "pthread-rwlock", .label = "pthread_rwlock read",
	  .loop = pthread_rwlock_loop, .may_sleep = true },
};
#define NR_MECH		ARRAY_SIZE(mechanisms)

#define MAX_THREADS	64

static int bench_cpus[CPU_SETSIZE];
static int bench_ncpus;

static void cpus_init(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set)) {
		bench_cpus[bench_ncpus++] = 0;
		return;
	}
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			bench_cpus[bench_ncpus++] = c;
}

static void pin_to(int i)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(bench_cpus[i % bench_ncpus], &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static int thread_counts(int *counts)
{
	int max = min(bench_ncpus, MAX_THREADS), n = 0;

	for (int t = 1; t < max && n < BENCH_MAX_COLS - 1; t *= 2)
		counts[n++] = t;
	counts[n++] = max;
	return n;
}

static double ts_diff_ns(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1e9 + (b->tv_nsec - a->tv_nsec);
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

struct bench_ctl {
	int stop __cacheline_aligned;
	pthread_barrier_t ready;
};

struct bench_thread {
	pthread_t thread;
	int slot;
	const struct mechanism *m;
	struct bench_ctl *ctl;
	unsigned long iters, hits;
	double ns;
};

static void *bench_reader(void *p)
{
	struct bench_thread *bt = p;
	clockid_t clock = bt->m->may_sleep ? CLOCK_MONOTONIC :
					     CLOCK_THREAD_CPUTIME_ID;
	struct timespec a, b;

	pin_to(bt->slot);
	if (bt->m->thread_init)
		bt->m->thread_init();
	pthread_barrier_wait(&bt->ctl->ready);
	clock_gettime(clock, &a);
	bt->iters = bt->m->loop(&bt->ctl->stop, &bt->hits);
	clock_gettime(clock, &b);
	bt->ns = ts_diff_ns(&a, &b);
	if (bt->m->thread_exit)
		bt->m->thread_exit();
	return NULL;
}

static void readers_start(struct bench_ctl *ctl, struct bench_thread *bt,
			  const struct mechanism *m, int n)
{
	WRITE_ONCE(ctl->stop, 0);
	pthread_barrier_init(&ctl->ready, NULL, n + 1);
	for (int i = 0; i < n; i++) {
		bt[i] = (struct bench_thread){ .slot = i, .m = m, .ctl = ctl };
		if (pthread_create(&bt[i].thread, NULL, bench_reader, &bt[i]))
			BUG();
	}
	pthread_barrier_wait(&ctl->ready);
}

static void readers_stop(struct bench_ctl *ctl, struct bench_thread *bt, int n)
{
	WRITE_ONCE(ctl->stop, 1);
	for (int i = 0; i < n; i++)
		pthread_join(bt[i].thread, NULL);
	pthread_barrier_destroy(&ctl->ready);
}


#define BENCH_MIN_SECTIONS	(64 * BENCH_BATCH)
#define BENCH_RETRIES		10

static double measure_read(const struct mechanism *m, int threads, int ms)
{
	struct bench_thread bt[MAX_THREADS];
	struct bench_ctl ctl;

	for (int try = 0; try < BENCH_RETRIES; try++) {
		double sum = 0;
		bool short_run = false;

		readers_start(&ctl, bt, m, threads);
		sleep_ms(ms);
		readers_stop(&ctl, bt, threads);
		for (int i = 0; i < threads; i++) {
			short_run |= bt[i].iters < BENCH_MIN_SECTIONS;
			sum += bt[i].ns / bt[i].iters;
		}
		if (!short_run)
			return sum / threads;
	}
	return NAN;
}

#define MAX_GP		200000

struct gp_sample {
	double median, p90;		/* microseconds */
	long n;
	double membarriers;		/* per grace period; NAN: not counted */
};

static struct gp_sample measure_gp(const struct mechanism *m, int readers,
				   int ms)
{
	static double lat[MAX_GP];
	struct bench_thread bt[MAX_THREADS];
	struct gp_sample s = { .membarriers = NAN };
	struct timespec start, a, b;
	struct bench_ctl ctl;
	long mb0 = m->membarriers ? m->membarriers() : 0;

	readers_start(&ctl, bt, m, readers);
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		clock_gettime(CLOCK_MONOTONIC, &a);
		m->synchronize();
		clock_gettime(CLOCK_MONOTONIC, &b);
		lat[s.n++] = ts_diff_ns(&a, &b) / 1000;
	} while (s.n < MAX_GP && ts_diff_ns(&start, &b) < ms * 1e6);
	readers_stop(&ctl, bt, readers);
	if (m->membarriers)
		s.membarriers = (double)(m->membarriers() - mb0) / s.n;
	qsort(lat, s.n, sizeof(lat[0]), bench_cmp_double);
	s.median = lat[s.n / 2];
	s.p90 = lat[s.n * 9 / 10];
	return s;
}

struct run_params {
	int runs, read_ms, gp_ms;
	int trials, trial_ms;	/* the bar's trials per round; one slice */
};

static double rs[NR_MECH][BENCH_MAX_COLS][BENCH_MAX_RUNS];
static struct gp_sample gs[NR_MECH][3][BENCH_MAX_RUNS];

/* The median over the rounds of one statistic (@k, a block) of gs[m][g]. */
static double gp_median(size_t m, int g, int k, int runs)
{
	double v[BENCH_MAX_RUNS];

	for (int run = 0; run < runs; run++) {
		struct gp_sample *x = &gs[m][g][run];

		v[run] = k == BENCH_BLK_GP ? x->median :
			 k == BENCH_BLK_GP_P90 ? x->p90 : x->membarriers;
	}
	return bench_median(v, runs);
}

static double bar_ns[2][BENCH_MAX_TRIALS][3];	/* none, srcu, urcu-memb */

static const struct mechanism *mechanism_by_key(const char *key)
{
	for (size_t m = 0; m < NR_MECH; m++)
		if (!strcmp(mechanisms[m].key, key))
			return &mechanisms[m];
	BUG();
}

/* One trial at @threads: the slices in an order that rotates with @trial. */
static void measure_trial(int threads, int trial, int ms)
{
	static const char *const keys[3] = { "none", "srcu", "urcu-memb" };
	double ns[3];

	for (int k = 0; k < 3; k++) {
		int i = (trial + k) % 3;

		ns[i] = measure_read(mechanism_by_key(keys[i]), threads, ms);
	}
	memcpy(bar_ns[threads - 1][trial], ns, sizeof(ns));
}

enum bar_what { BAR_RAW, BAR_NET, BAR_SCALING };

/* One trial's ratio of the bar at @threads. */
static double bar_ratio(enum bar_what what, int threads, int i)
{
	const double *x = bar_ns[threads - 1][i], *one = bar_ns[0][i];

	if (what == BAR_RAW)
		return x[1] / x[2];
	if (what == BAR_NET)
		return (x[1] - x[0]) / (x[2] - x[0]);
	return x[1] / one[1] / max(1.0, x[0] / one[0]);
}

static const struct bar_row {
	const char *key, *label;
	enum bar_what what;
	double q;		/* the quantile; NAN: share of trials held */
} bar_rows[] = {
	{ "raw", "SRCU / urcu-memb, median of the trials", BAR_RAW, 0.5 },
	{ "raw-q1", "the same, first quartile", BAR_RAW, 0.25 },
	{ "raw-q3", "the same, third quartile", BAR_RAW, 0.75 },
	{ "net", "SRCU / urcu-memb, net of the check alone", BAR_NET, 0.5 },
	{ "net-q1", "the same, first quartile", BAR_NET, 0.25 },
	{ "net-q3", "the same, third quartile", BAR_NET, 0.75 },
	{ "held", "share of trials within the bar, raw and net", BAR_RAW,
	  NAN },
	{ "scaling", "SRCU's threads / 1, over the check alone's",
	  BAR_SCALING, 0.5 },
};

static double bar_statistic(const struct bar_row *row, int threads, int n)
{
	double v[BENCH_MAX_TRIALS];
	int held = 0;

	for (int i = 0; i < n; i++) {
		v[i] = bar_ratio(row->what, threads, i);
		held += bar_ratio(BAR_RAW, threads, i) <= BENCH_BAR_READ &&
			bar_ratio(BAR_NET, threads, i) <= BENCH_BAR_READ;
	}
	if (isnan(row->q))
		return (double)held / n;
	return bench_quantile(v, n, row->q);
}

static void run_all(struct bench_dataset *ds, const struct run_params *p)
{
	int counts[BENCH_MAX_COLS], nc = thread_counts(counts);
	int gpr[3] = { 0, 1, min(bench_ncpus, MAX_THREADS) };
	int ng = gpr[2] > 1 ? 3 : 2, nt = min(bench_ncpus, 2), trial = 0;
	struct bench_block *b;

	for (size_t m = 0; m < NR_MECH; m++)
		measure_read(&mechanisms[m], 1, 20);
	for (int run = 0; run < p->runs; run++) {
		fprintf(stderr, "mmlit-bench: round %d of %d\n", run + 1,
			p->runs);
		for (size_t m = 0; m < NR_MECH; m++)
			for (int c = 0; c < nc; c++)
				rs[m][c][run] = measure_read(&mechanisms[m], counts[c],
							     p->read_ms);
		for (size_t m = 0; m < NR_MECH; m++)
			for (int g = 0; g < ng && mechanisms[m].synchronize; g++)
				gs[m][g][run] = measure_gp(&mechanisms[m], gpr[g], p->gp_ms);
		for (int i = 0; i < p->trials && trial < BENCH_MAX_TRIALS; i++, trial++)
			for (int t = 1; t <= nt; t++)
				measure_trial(t, trial, p->trial_ms);
	}
	b = &ds->blk[BENCH_BLK_READ];
	b->nr_cols = nc;
	memcpy(b->cols, counts, sizeof(counts));
	for (size_t m = 0; m < NR_MECH; m++) {
		int r = bench_row_add(b, mechanisms[m].key, mechanisms[m].label);

		for (int c = 0; c < nc; c++)
			b->row[r].v[c] = bench_median(rs[m][c], p->runs);
	}
	for (int k = BENCH_BLK_GP; k <= BENCH_BLK_GP_MB; k++) {
		b = &ds->blk[k];
		b->nr_cols = ng;
		memcpy(b->cols, gpr, sizeof(gpr));
		for (size_t m = 0; m < NR_MECH; m++) {
			int r;

			if (!mechanisms[m].synchronize)
				continue;
			r = bench_row_add(b, mechanisms[m].key,
					  mechanisms[m].sync_label);
			for (int g = 0; g < ng; g++)
				b->row[r].v[g] = gp_median(m, g, k, p->runs);
		}
	}
	b = &ds->blk[BENCH_BLK_BAR];
	b->nr_cols = nt;
	for (int t = 1; t <= nt; t++)
		b->cols[t - 1] = t;
	for (size_t q = 0; q < ARRAY_SIZE(bar_rows); q++) {
		int r = bench_row_add(b, bar_rows[q].key, bar_rows[q].label);

		for (int t = 1; t <= nt; t++)
			b->row[r].v[t - 1] = bar_statistic(&bar_rows[q], t, trial);
	}
}

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !colon)
			continue;
		colon += 1 + strspn(colon + 1, " \t");
		colon[strcspn(colon, "\n")] = 0;
		snprintf(buf, len, "%s", colon);
		break;
	}
	fclose(f);
}

static void describe_machine(struct bench_dataset *ds,
			     const struct run_params *p)
{
	char buf[320];
	struct utsname u;
	time_t now = time(NULL);

	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	bench_meta_set(ds, "date", buf);
	cpu_model(buf, sizeof(buf));
	bench_meta_set(ds, "cpu", buf);
	snprintf(buf, sizeof(buf), "%d", bench_ncpus);
	bench_meta_set(ds, "nproc", buf);
	uname(&u);
	snprintf(buf, sizeof(buf), "%s %s %s", u.sysname, u.release, u.machine);
	bench_meta_set(ds, "kernel", buf);
	bench_meta_set(ds, "compiler", "gcc " __VERSION__);
	bench_meta_set(ds, "liburcu", bench_urcu_version());
	bench_meta_set(ds, "membarrier",
		       mmlit_hooks & MMLIT_HOOK_FENCE ? "no (readers fence)" :
		       "yes");
	snprintf(buf, sizeof(buf), "%d", p->runs);
	bench_meta_set(ds, "runs", buf);
	snprintf(buf, sizeof(buf), "%d", p->read_ms);
	bench_meta_set(ds, "read-ms", buf);
	snprintf(buf, sizeof(buf), "%d", p->gp_ms);
	bench_meta_set(ds, "gp-ms", buf);
	snprintf(buf, sizeof(buf), "%d", min(p->runs * p->trials,
					     BENCH_MAX_TRIALS));
	bench_meta_set(ds, "bar-trials", buf);
	snprintf(buf, sizeof(buf), "%d", p->trial_ms);
	bench_meta_set(ds, "bar-slice-ms", buf);
}

static void print_block(const struct bench_dataset *ds, int k, const char *what,
			const char *colname, FILE *f)
{
	const struct bench_block *b = &ds->blk[k];
	const char *refs[2] = { "urcu-memb", "srcu" };

	fprintf(f, "\n%s\n%-32s", what, colname);
	for (int c = 0; c < b->nr_cols; c++)
		fprintf(f, " %8d", b->cols[c]);
	for (int x = 0; x < 2 && k < BENCH_BLK_GP_MB; x++) {
		fprintf(f, "  | x %-9s", refs[x]);
		for (int c = 1; c < b->nr_cols; c++)
			fprintf(f, " %6s", "");
	}
	fputc('\n', f);
	for (int r = 0; r < b->nr_rows; r++) {
		fprintf(f, "%-32.32s", b->row[r].label);
		for (int c = 0; c < b->nr_cols; c++)
			fprintf(f, " %8.3g", b->row[r].v[c]);
		for (int x = 0; x < 2 && k < BENCH_BLK_GP_MB; x++) {
			fprintf(f, "  |");
			for (int c = 0; c < b->nr_cols; c++)
				fprintf(f, " %6.2f", b->row[r].v[c] /
					bench_get(ds, k, refs[x], b->cols[c]));
		}
		fputc('\n', f);
	}
}

static int print_results(const struct bench_dataset *ds, FILE *f)
{
	struct bench_bar bars[8];
	int n = bench_bar_check(ds, bars), failed = 0;

	fprintf(f, "mmlit-bench on %s, %s CPUs, %s; %s; liburcu %s\n",
		bench_meta(ds, "cpu"), bench_meta(ds, "nproc"),
		bench_meta(ds, "kernel"),
		bench_meta(ds, "compiler"), bench_meta(ds, "liburcu"));
	print_block(ds, BENCH_BLK_READ, "Read side: ns per lock+unlock pair "
		    "(threads pinned one per CPU)", "threads:", f);
	print_block(ds, BENCH_BLK_GP, "Grace period: median latency, us",
		    "readers:", f);
	print_block(ds, BENCH_BLK_GP_P90, "Grace period: 90th percentile, us",
		    "readers:", f);
	print_block(ds, BENCH_BLK_GP_MB,
		    "Grace period: membarrier(2) calls each",
		    "readers:", f);
	print_block(ds, BENCH_BLK_BAR, "The bar's trials: SRCU / urcu-memb "
		    "within each trial", "threads:", f);
	fprintf(f, "\nThe bar (issues 5, 8); "
		"SRCU 2-thread/1-thread alone: %.2f, "
		"the check alone's: %.2f\n", bench_bar_scaling(ds, "srcu"),
		bench_bar_scaling(ds, "none"));
	for (int i = 0; i < n; i++) {
		fprintf(f, "  %-52s %6.2f <= %4.2f  %s\n", bars[i].what,
			bars[i].value, bars[i].limit,
			bench_bar_held(&bars[i]) ? "held" : "NOT HELD");
		failed += !bench_bar_held(&bars[i]);
	}
	return failed;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: mmlit-bench [--quick] [--out FILE]   "
		"measure, print, write\n"
		"       mmlit-bench [--quick] --falloc       "
		"chapter 3's FX5 only\n"
		"       mmlit-bench [--quick] --srcu         "
		"chapter 4's only\n"
		"       mmlit-bench --print FILE             "
		"print a data file\n");
	return 2;
}

static int print_file(const char *path)
{
	static struct bench_dataset ds;
	int ret = bench_data_read(&ds, path);

	if (ret) {
		fprintf(stderr, "mmlit-bench: %s: %s\n", path, strerror(-ret));
		return 1;
	}
	print_results(&ds, stdout);
	return 0;
}

static int measure(const struct run_params *p, const char *out)
{
	static struct bench_dataset ds;
	FILE *f;

	lockdep_set_enabled(false);
	if (mmlit_hooks)
		fprintf(stderr, "mmlit-bench: mmlit_hooks is %#x: "
			"the read sides run their slow paths\n",
			mmlit_hooks);
	spin_lock_init(&bench_inode.i_lock);
	describe_machine(&ds, p);
	run_all(&ds, p);
	print_results(&ds, stdout);
	if (!out)
		return 0;
	f = fopen(out, "w");
	if (!f) {
		fprintf(stderr, "mmlit-bench: %s: %s\n", out, strerror(errno));
		return 1;
	}
	bench_data_write(&ds, f);
	fclose(f);
	printf("\nwrote %s\n", out);
	return 0;
}

/*
 * Chapter 3's claim FX5 shares the program: fault latency during a long
 * fallocate, per design. It runs last, since it resets the model process
 * before each run; a quick run writes no data file.
 */
static int measure_falloc(bool quick, const char *root)
{
	char path[4096];
	FILE *data = NULL;

	printf("\n");
	if (!quick) {
		snprintf(path, sizeof(path), "%s/figures/falloc-fx5.dat", root);
		data = fopen(path, "w");
		if (!data) {
			fprintf(stderr, "mmlit-bench: %s: %s\n", path,
				strerror(errno));
			return 1;
		}
	}
	bench_falloc(stdout, data);
	if (data) {
		fclose(data);
		printf("\nwrote %s\n", path);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct run_params p = { .runs = 15, .read_ms = 70, .gp_ms = 60,
				.trials = 5, .trial_ms = 10 };
	int ret;
	const char *root = getenv("MMLIT_ROOT");
	char path[4096];
	const char *out = NULL;
	bool quick = false, falloc_only = false, srcu_only = false;

	cpus_init();
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			quick = true;
		} else if (!strcmp(argv[i], "--falloc")) {
			falloc_only = true;
		} else if (!strcmp(argv[i], "--srcu")) {
			srcu_only = true;
		} else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			out = argv[++i];
		} else if (!strcmp(argv[i], "--print") && i + 1 < argc) {
			return print_file(argv[i + 1]);
		} else {
			return usage();
		}
	}
	if (quick)
		p = (struct run_params){ .runs = 3, .read_ms = 30, .gp_ms = 30,
					 .trials = 3, .trial_ms = 10 };
	if (!out && !quick) {
		snprintf(path, sizeof(path), "%s/figures/srcu-bench.dat",
			 root && *root ? root : ".");
		out = path;
	}
	ret = falloc_only ? 0 : measure(&p, out);
	if (ret || srcu_only)
		return ret;
	return measure_falloc(quick, root && *root ? root : ".");
}
