/* The calibration harness (see harness.h): plan, budget, time, fit. Shapes are measured in
 * a fixed shuffled order so a burst of interference from other processes spreads over the
 * grid instead of bending one corner of it. Each shape: one untimed call, one call to size
 * the repetitions, then trials of back-to-back calls lasting at least min_time; the
 * median trial is kept with its spread, and a noisy shape is measured again. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "harness.h"
#include "stats.h"

#define HALL(n, k, m, label)                                                                       \
	{                                                                                          \
		n, k, m, false, true, label                                                        \
	}
#define HFC(n, k, m, label)                                                                        \
	{                                                                                          \
		n, k, m, true, true, label                                                         \
	}

/* Real networks' GEMMs off the grid: validation only. */
static const struct augur_cal_shape heldout[] = {
        HALL(96, 363, 3025, "alexnet conv1"),
        HALL(128, 1200, 729, "alexnet conv2 (one group)"),
        HALL(384, 2304, 169, "alexnet conv3"),
        HALL(192, 1728, 169, "alexnet conv4 (one group)"),
        HALL(64, 27, 50176, "vgg16 conv1_1"),
        HALL(512, 4608, 196, "vgg16 conv5_2"),
        HALL(64, 147, 12544, "resnet50 conv1"),
        HALL(64, 256, 3136, "resnet50 res2 1x1"),
        HALL(128, 512, 784, "resnet50 res3 1x1"),
        HALL(192, 576, 3136, "googlenet conv2 3x3"),
        HALL(64, 192, 784, "googlenet 3a 1x1"),
        HALL(128, 864, 784, "googlenet 3a 3x3"),
        HALL(48, 400, 196, "googlenet 4a 5x5"),
        HALL(64, 144, 3025, "squeezenet fire2 3x3"),
        HFC(4096, 9216, 8, "alexnet fc6, batch 8"),
        HFC(4096, 4096, 2, "vgg16 fc7, batch 2"),
        HFC(1000, 2048, 1, "resnet50 fc"),
};

#define MAX_PLAN 512
static struct augur_cal_shape plan_full[MAX_PLAN], plan_quick[MAX_PLAN];
static size_t n_full, n_quick;

static size_t build(struct augur_cal_shape *out, const uint64_t *ns, size_t nn, const uint64_t *ks,
                    size_t nk, const uint64_t *ms, size_t nm, bool fc)
{
	size_t c = 0;
	for (size_t a = 0; a < nn; a++)
		for (size_t b = 0; b < nk; b++)
			for (size_t d = 0; d < nm; d++)
				out[c++] = (struct augur_cal_shape){ns[a], ks[b], ms[d],
				                                    fc,    false, NULL};
	return c;
}

#define LEN(a) (sizeof(a) / sizeof(*(a)))

const struct augur_cal_shape *augur_cal_plan(bool quick, size_t *n)
{
	if (!n_full) {
		/* the paper's grid (section 5.2) */
		static const uint64_t ns[] = {32, 64, 96, 128, 256, 512};
		static const uint64_t ks[] = {64, 64 * 9, 128 * 9, 64 * 25, 256 * 9, 64 * 49};
		static const uint64_t ms[] = {7 * 7, 14 * 14, 28 * 28, 56 * 56, 112 * 112};
		/* small GEMMs the paper's grid leaves out: a depthwise conv's per-group call (1
		 * filter, k = 9), thin first layers (k = 27), narrow layers; without them the
		 * model extrapolates its smallest calls from 32 x 64 x 49 */
		static const uint64_t sn[] = {1, 8, 16}, sk[] = {9, 27, 144};
		static const uint64_t sm[] = {7 * 7, 28 * 28, 56 * 56};
		/* fc: outputs x inputs x batch, from a 10-way classifier to VGG's fc6 */
		static const uint64_t fn[] = {10, 100, 1000, 4096};
		static const uint64_t fk[] = {256, 1024, 4096, 9216, 25088};
		static const uint64_t fm[] = {1, 4, 16};
		/* first layers of large images (a 3-channel 3x3, 5x5 or 7x7 conv, or a narrow
		 * layer, over 160x160 to 224x224 outputs): the column matrix outgrows the
		 * last-level cache and a narrow GEMM streams it from memory. Without them the
		 * model extrapolated from m = 12544 and predicted such layers 7-50% low
		 * (bench/validate, docs/model.md). 160x160 and 224x224 have rows of whole 4 KiB,
		 * which alias in the cache (the km_4k term): alone, they made every first layer
		 * of a few filters 1.5-1.9x too slow, so most sizes here are off that grid */
		static const uint64_t ln[] = {8, 16, 32, 64, 96}, lk[] = {27, 75, 147, 576};
		static const uint64_t lm[] = {160 * 160, 170 * 170, 200 * 200, 224 * 224,
		                              230 * 230};
		/* deep layers: 3x3 and 5x5 over 512 channels (k = 4608, 12800) */
		static const uint64_t dn[] = {64, 256, 512}, dk[] = {512 * 9, 512 * 25};
		static const uint64_t dm[] = {7 * 7, 14 * 14, 28 * 28};
		/* fc heads of 256 and 512 outputs over a flattened feature map (k up to
		 * 50176): weights of 4-100 MiB, where n = 100 and 1000 predicted them 25-50%
		 * low */
		static const uint64_t hn[] = {256, 512}, hk[] = {4096, 25088, 50176};
		static const uint64_t hm[] = {1, 16};
		/* the paper's 56^2 and 112^2 have rows of whole 256 bytes, which alias in the
		 * cache (the km_256 term: 1.2-1.9x the time per column element on an Intel Xeon
		 * when k >= 64); most real maps do not, so the grid has twins off that stride
		 * (57^2, 111^2), and narrow layers over them, where the model was weakest (conv
		 * layers of 8-31 filters: 17% median error, docs/model.md) */
		static const uint64_t an[] = {32, 64, 128, 256}, ak[] = {64, 576, 1600};
		static const uint64_t am[] = {57 * 57, 111 * 111};
		static const uint64_t wn[] = {8, 16, 24}, wk[] = {27, 144, 288};
		static const uint64_t wm[] = {57 * 57, 111 * 111, 112 * 112};
		n_full = build(plan_full, ns, LEN(ns), ks, LEN(ks), ms, LEN(ms), false);
		n_full += build(plan_full + n_full, an, LEN(an), ak, LEN(ak), am, LEN(am), false);
		n_full += build(plan_full + n_full, wn, LEN(wn), wk, LEN(wk), wm, LEN(wm), false);
		n_full += build(plan_full + n_full, sn, LEN(sn), sk, LEN(sk), sm, LEN(sm), false);
		n_full += build(plan_full + n_full, fn, LEN(fn), fk, LEN(fk), fm, LEN(fm), true);
		n_full += build(plan_full + n_full, ln, LEN(ln), lk, LEN(lk), lm, LEN(lm), false);
		n_full += build(plan_full + n_full, dn, LEN(dn), dk, LEN(dk), dm, LEN(dm), false);
		n_full += build(plan_full + n_full, hn, LEN(hn), hk, LEN(hk), hm, LEN(hm), true);
		memcpy(plan_full + n_full, heldout, sizeof(heldout));
		n_full += LEN(heldout);

		static const uint64_t qn[] = {32, 64, 128, 256, 512};
		static const uint64_t qk[] = {64, 64 * 9, 64 * 49};
		static const uint64_t qm[] = {7 * 7, 14 * 14, 28 * 28, 56 * 56, 112 * 112};
		static const uint64_t qsn[] = {1, 16}, qsk[] = {9, 144}, qsm[] = {7 * 7, 56 * 56};
		static const uint64_t qfn[] = {10, 1000, 4096}, qfk[] = {256, 4096, 25088};
		static const uint64_t qfm[] = {1, 16};
		n_quick = build(plan_quick, qn, LEN(qn), qk, LEN(qk), qm, LEN(qm), false);
		n_quick += build(plan_quick + n_quick, qsn, LEN(qsn), qsk, LEN(qsk), qsm, LEN(qsm),
		                 false);
		n_quick += build(plan_quick + n_quick, qfn, LEN(qfn), qfk, LEN(qfk), qfm, LEN(qfm),
		                 true);
		memcpy(plan_quick + n_quick, heldout, sizeof(heldout));
		n_quick += LEN(heldout);
	}
	*n = quick ? n_quick : n_full;
	return quick ? plan_quick : plan_full;
}

void augur_cal_options_init(struct augur_cal_options *opt, enum augur_unit_kind unit)
{
	memset(opt, 0, sizeof(*opt));
	opt->unit = unit;
	opt->max_remeasure = 2;
}

/* Small conv shapes around the canary's size: operands of kilobytes, calls of
 * microseconds, so the whole plan runs in about a second; two held-out shapes in range. */
static const struct augur_cal_shape plan_tiny[] = {
        {32, 64, 49, false, false, NULL},
        {32, 64, 196, false, false, NULL},
        {32, 256, 49, false, false, NULL},
        {32, 256, 196, false, false, NULL},
        {64, 64, 49, false, false, NULL},
        {64, 64, 196, false, false, NULL},
        {64, 256, 49, false, false, NULL},
        {64, 256, 196, false, false, NULL},
        {128, 64, 49, false, false, NULL},
        {128, 64, 196, false, false, NULL},
        {128, 256, 49, false, false, NULL},
        {128, 256, 196, false, false, NULL},
        {96, 128, 100, false, false, NULL},
        {48, 192, 150, false, false, NULL},
        {128, 128, 128, false, false, NULL},
        {32, 192, 100, false, false, NULL},
        {96, 144, 121, false, true, "tiny held-out a"},
        {48, 100, 169, false, true, "tiny held-out b"},
};

void augur_cal_options_tiny(struct augur_cal_options *opt)
{
	opt->quick = false;
	opt->shapes = plan_tiny;
	opt->n_shapes = LEN(plan_tiny);
	opt->min_time_ms = 2;
	opt->trials = 3;
	opt->budget_s = 10;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct plan_item {
	const struct augur_cal_shape *shape;
	double est_ms; /* estimated cost of measuring it */
	bool skip;
	bool suspect; /* noisy, or measured while the machine was busy */
	long sample;  /* index of its sample in the unit, -1 before it is measured */
};

struct cost_model {
	double flops_per_ms, bytes_per_ms, min_time_ms;
	uint32_t trials;
};

static double est_call_ms(const struct cost_model *cm, const struct augur_cal_shape *s)
{
	double flops = 2.0 * (double)s->n * (double)s->k * (double)s->m;
	double bytes = 4.0 * ((double)s->n * s->k + (double)s->k * s->m + (double)s->n * s->m);
	double a = flops / cm->flops_per_ms, b = bytes / cm->bytes_per_ms;
	return (a > b ? a : b) + 0.002;
}

static double est_shape_ms(const struct cost_model *cm, const struct augur_cal_shape *s)
{
	double call = est_call_ms(cm, s);
	double trial = call > cm->min_time_ms ? call : cm->min_time_ms + call;
	return 2 * call + cm->trials * trial;
}

struct measure {
	double median_ms, spread, best_ms;
};

/* Times one shape: trials of reps back-to-back calls, each trial at least min_time. */
static int measure(struct augur_bench *b, const struct augur_cal_options *opt,
                   const struct augur_cal_shape *s, uint32_t trials, double min_time_ms,
                   struct measure *out, struct augur_diag *diag)
{
	double t;
	int rc;
	if ((rc = b->run(b, s->n, s->k, s->m, s->fc, 1, &t, diag)) || /* untimed warm-up */
	    (rc = b->run(b, s->n, s->k, s->m, s->fc, 1, &t, diag)))
		return rc;
	uint64_t reps = 1;
	if (t < min_time_ms)
		reps = (uint64_t)ceil(min_time_ms / (t > 1e-6 ? t : 1e-6));
	double v[64];
	uint32_t n = 0;
	for (; n < trials && n < 64; n++) {
		if (opt->stop && *opt->stop)
			break;
		if ((rc = b->run(b, s->n, s->k, s->m, s->fc, reps, &t, diag)))
			return rc;
		v[n] = t / (double)reps;
	}
	if (!n) {
		out->median_ms = NAN;
		return AUGUR_OK;
	}
	out->median_ms = augur_median_in_place(v, n); /* sorts v */
	out->spread = (v[n - 1] - v[0]) / out->median_ms;
	out->best_ms = v[0];
	return AUGUR_OK;
}

struct run_state {
	struct augur_bench *b;
	const struct augur_cal_options *opt;
	struct augur_unit *u;
	struct augur_cal_result *res;
	const struct cost_model *cm;
	double noisy, t0, budget_ms;
	double best_canary; /* fastest canary seen: the machine when nothing else runs */
};

/* A small fixed GEMM timed between shapes: when it runs slower than its best, something
 * else is using the cores and what is measured now would be too slow. */
static int canary(struct run_state *st, double *ms, struct augur_diag *diag)
{
	double t;
	int rc = st->b->run(st->b, 128, 576, 196, false, 4, &t, diag);
	if (rc)
		return rc;
	*ms = t / 4;
	if (*ms < st->best_canary)
		st->best_canary = *ms;
	return AUGUR_OK;
}

#define BUSY_RATIO 1.2

/* Waits (a bounded time) for the canary to run at its best again; *quiet says whether it
 * did. */
static int wait_quiet(struct run_state *st, bool *quiet, struct augur_diag *diag)
{
	double c;
	int rc;
	for (int tries = 0; tries < 6; tries++) {
		if ((rc = canary(st, &c, diag)))
			return rc;
		if (c <= BUSY_RATIO * st->best_canary) {
			*quiet = true;
			return AUGUR_OK;
		}
		if ((st->opt->stop && *st->opt->stop) || (now_s() - st->t0) * 1e3 > st->budget_ms)
			break;
		struct timespec nap = {0, 20 * 1000 * 1000};
		nanosleep(&nap, NULL);
	}
	*quiet = false;
	return AUGUR_OK;
}

/* Measures one shape and stores it; a shape measured before keeps the faster median
 * (interference only ever adds time). */
static int measure_item(struct run_state *st, struct plan_item *it, struct augur_diag *diag)
{
	const struct augur_cal_shape *sh = it->shape;
	bool quiet_before, quiet_after;
	struct measure m = {0};
	int rc;
	if ((rc = wait_quiet(st, &quiet_before, diag)) ||
	    (rc = measure(st->b, st->opt, sh, st->cm->trials, st->cm->min_time_ms, &m, diag)))
		return rc;
	if (isnan(m.median_ms)) { /* stopped before its first trial */
		st->res->interrupted = true;
		return AUGUR_OK;
	}
	double c;
	if ((rc = canary(st, &c, diag)))
		return rc;
	quiet_after = c <= BUSY_RATIO * st->best_canary;
	bool suspect = m.spread > st->noisy || !quiet_before || !quiet_after;
	double gf = 2.0 * (double)sh->n * sh->k * sh->m / m.best_ms / 1e6;
	st->res->gflops_best = gf > st->res->gflops_best ? gf : st->res->gflops_best;
	if (it->sample >= 0) {
		struct augur_sample *s = &st->u->samples[it->sample];
		if (m.median_ms < s->time_ms) {
			s->time_ms = m.median_ms;
			s->spread = m.spread;
			it->suspect = suspect;
		}
		if (st->opt->stop && *st->opt->stop)
			st->res->interrupted = true;
		return AUGUR_OK;
	}
	struct augur_sample_gemm g = {sh->n, sh->k, sh->m, 1};
	struct augur_sample s = {.time_ms = m.median_ms,
	                         .spread = m.spread,
	                         .held_out = sh->held_out,
	                         .label = (char *)sh->label,
	                         .n_gemms = 1,
	                         .gemms = &g,
	                         .fc_layout = sh->fc};
	if (augur_unit_add_sample(st->u, &s))
		return augur_diag_set(diag, AUGUR_E_NOMEM, "calibrate", 0, 0, "out of memory");
	it->sample = (long)st->u->n_samples - 1;
	it->suspect = suspect;
	st->res->measured++;
	if (st->opt->stop && *st->opt->stop)
		st->res->interrupted = true;
	return AUGUR_OK;
}

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static void note_skip(struct augur_cal_result *res, const struct augur_cal_shape *s)
{
	size_t len = strlen(res->skipped_what);
	if (len + 40 < sizeof(res->skipped_what))
		snprintf(res->skipped_what + len, sizeof(res->skipped_what) - len,
		         "%s%llux%llux%llu%s", len ? ", " : "", (unsigned long long)s->n,
		         (unsigned long long)s->k, (unsigned long long)s->m, s->fc ? " (fc)" : "");
	else if (len + 5 < sizeof(res->skipped_what) && strcmp(res->skipped_what + len - 3, "..."))
		snprintf(res->skipped_what + len, sizeof(res->skipped_what) - len, ", ...");
	res->skipped++;
}

/* Drops the costliest training shapes until the estimate fits the budget. Held-out
 * shapes are kept: they are what the calibration is judged on. */
static void trim_to_budget(struct plan_item *items, size_t n, double budget_ms,
                           struct augur_cal_result *res)
{
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += items[i].est_ms;
	while (total > budget_ms) {
		size_t worst = n;
		for (size_t i = 0; i < n; i++)
			if (!items[i].skip && !items[i].shape->held_out &&
			    (worst == n || items[i].est_ms > items[worst].est_ms))
				worst = i;
		if (worst == n)
			break;
		items[worst].skip = true;
		total -= items[worst].est_ms;
		note_skip(res, items[worst].shape);
	}
}

static int probe_rate(struct augur_bench *b, struct cost_model *cm, struct augur_diag *diag)
{
	double t;
	int rc;
	/* a mid-sized conv GEMM for the compute rate, an fc one at batch 1 for bandwidth */
	if ((rc = b->run(b, 128, 576, 784, false, 1, &t, diag)) ||
	    (rc = b->run(b, 128, 576, 784, false, 3, &t, diag)))
		return rc;
	cm->flops_per_ms = 3 * 2.0 * 128 * 576 * 784 / (t > 1e-6 ? t : 1e-6);
	if ((rc = b->run(b, 1000, 1024, 1, true, 1, &t, diag)) ||
	    (rc = b->run(b, 1000, 1024, 1, true, 3, &t, diag)))
		return rc;
	cm->bytes_per_ms = 3 * 4.0 * 1000 * 1024 / (t > 1e-6 ? t : 1e-6);
	/* the operand buffers dwarf caches later on: be pessimistic */
	cm->bytes_per_ms *= 0.5;
	return AUGUR_OK;
}

/* The largest operands of the shapes, at least those of a mid-sized conv, so the bench
 * allocates its buffers once. */
static void bench_sizes(const struct augur_cal_shape *shapes, size_t n,
                        struct augur_bench_sizes *sizes)
{
	*sizes = (struct augur_bench_sizes){1024 * 1000, 1024, 1000 * 1024};
	for (size_t i = 0; i < n; i++) {
		const struct augur_cal_shape *s = &shapes[i];
		uint64_t a = s->n * s->k, bb = s->k * s->m, c = s->n * s->m;
		sizes->a = a > sizes->a ? a : sizes->a;
		sizes->b = bb > sizes->b ? bb : sizes->b;
		sizes->c = c > sizes->c ? c : sizes->c;
	}
	if (sizes->b < 128 * 784 || sizes->a < 128 * 576 || sizes->c < 128 * 784) {
		sizes->a = sizes->a > 128 * 576 ? sizes->a : 128 * 576;
		sizes->b = sizes->b > 576 * 784 ? sizes->b : 576 * 784;
		sizes->c = sizes->c > 128 * 784 ? sizes->c : 128 * 784;
	}
}

/* A new unit describing the bench's library and machine, or NULL when out of memory. */
static struct augur_unit *bench_unit(const struct augur_cal_options *opt,
                                     const struct augur_bench *b)
{
	struct augur_unit *u = augur_unit_new(opt->unit);
	if (!u)
		return NULL;
	u->library = strdup(b->library);
	u->processor = strdup(b->processor);
	u->threads = opt->unit == AUGUR_UNIT_CPU ? b->threads : 0;
	u->memory_bytes = b->memory_bytes;
	if (!u->library || !u->processor) {
		augur_unit_free(u);
		return NULL;
	}
	return u;
}

/* The plan: the shapes in a fixed shuffle (interference from other processes lands all
 * over the grid), each with its estimated time, trimmed to three quarters of the budget
 * (a quarter stays for measuring disturbed shapes again). */
static void plan_items(struct plan_item *items, const struct augur_cal_shape *shapes, size_t n,
                       const struct cost_model *cm, double budget_ms, struct augur_cal_result *res)
{
	for (size_t i = 0; i < n; i++)
		items[i].shape = &shapes[i];
	for (size_t i = n; i > 1; i--) {
		size_t j = mix(i) % i;
		struct plan_item tmp = items[i - 1];
		items[i - 1] = items[j];
		items[j] = tmp;
	}
	for (size_t i = 0; i < n; i++)
		items[i].est_ms = est_shape_ms(cm, items[i].shape);
	trim_to_budget(items, n, 0.75 * budget_ms, res);
	res->planned = n - res->skipped;
	for (size_t i = 0; i < n; i++)
		items[i].sample = -1;
}

/* Pass 1: every planned shape once, reporting progress. */
static int measure_all(struct run_state *st, struct plan_item *items, size_t n,
                       struct augur_diag *diag)
{
	const struct augur_cal_options *opt = st->opt;
	struct augur_cal_result *res = st->res;
	double est_left = 0, est_done = 0;
	for (size_t i = 0; i < n; i++)
		est_left += items[i].skip ? 0 : items[i].est_ms;
	size_t done = 0;
	for (size_t i = 0; i < n && !res->interrupted; i++) {
		struct plan_item *it = &items[i];
		if (it->skip)
			continue;
		double elapsed_ms = (now_s() - st->t0) * 1e3;
		/* the plan fitted the budget on estimates; if they were optimistic, stop adding
		 * training shapes once well past it (held-out ones still run) */
		if (elapsed_ms > st->budget_ms && !it->shape->held_out) {
			note_skip(res, it->shape);
			res->planned--;
			est_left -= it->est_ms;
			continue;
		}
		if (opt->progress) {
			double ratio = est_done > 0 ? elapsed_ms / est_done : 1.0;
			struct augur_cal_progress p = {done, res->planned, it->shape,
			                               elapsed_ms / 1e3, est_left * ratio / 1e3};
			opt->progress(&p, opt->progress_ctx);
		}
		int rc = measure_item(st, it, diag);
		if (rc)
			return rc;
		done++;
		est_done += it->est_ms;
		est_left -= it->est_ms;
	}
	return AUGUR_OK;
}

/* Pass 2: shapes that were noisy or measured while the machine was busy, again. */
static int measure_suspects(struct run_state *st, struct plan_item *items, size_t n,
                            struct augur_diag *diag)
{
	struct augur_cal_result *res = st->res;
	for (uint32_t r = 0; r < st->opt->max_remeasure && !res->interrupted; r++)
		for (size_t i = 0; i < n && !res->interrupted; i++) {
			if (!items[i].suspect || items[i].sample < 0 ||
			    (now_s() - st->t0) * 1e3 > st->budget_ms)
				continue;
			int rc = measure_item(st, &items[i], diag);
			if (rc)
				return rc;
			res->remeasured++;
		}
	return AUGUR_OK;
}

/* Fits the unit's model; when too few shapes are left for the model's terms it says
 * what to change, not the fitter's algebra. */
static int fit_unit(const struct run_state *st, const struct augur_fit_options *fit_opt,
                    struct augur_diag *diag)
{
	struct augur_unit *u = st->u;
	size_t n_train = 0, n_terms = 0;
	for (size_t i = 0; i < u->n_samples; i++)
		n_train += !u->samples[i].held_out;
	for (int t = 0; t < AUGUR_TERM_COUNT; t++)
		n_terms += !fit_opt->term_mask || (fit_opt->term_mask & (1u << t));
	if (n_train < n_terms)
		return augur_diag_set(diag, AUGUR_E_USAGE, "calibrate", 0, 0,
		                      "the time budget (%.0f s) left %zu shapes to fit (of %zu "
		                      "planned), too few for the model's %zu terms: raise --budget",
		                      st->budget_ms / 1e3, n_train, st->res->planned, n_terms);
	return augur_fit_model(u->samples, u->n_samples, fit_opt, &u->gemm, &u->quality, diag);
}

/* Pass 3: training samples far off the fit are more likely disturbed than real: measures
 * the worst again (a bounded number, within the budget) and refits. */
static int remeasure_worst(struct run_state *st, struct plan_item *items, size_t n,
                           const struct augur_fit_options *fit_opt, struct augur_diag *diag)
{
	struct augur_unit *u = st->u;
	struct augur_cal_result *res = st->res;
	size_t redo = 0;
	int rc;
	for (size_t i = 0; i < n && redo < u->n_samples / 10 + 1 && !res->interrupted; i++) {
		struct plan_item *it = &items[i];
		if (it->sample < 0 || it->shape->held_out ||
		    (now_s() - st->t0) * 1e3 > 1.1 * st->budget_ms)
			continue;
		const struct augur_sample *sm = &u->samples[it->sample];
		double e = fabs(augur_sample_predict(&u->gemm, sm) / sm->time_ms - 1);
		if (e < 0.15 || e < 4 * u->quality.train_median_rel_err)
			continue;
		if ((rc = measure_item(st, it, diag)))
			return rc;
		res->remeasured++;
		redo++;
	}
	if (redo && !res->interrupted)
		return augur_fit_model(u->samples, u->n_samples, fit_opt, &u->gemm, &u->quality,
		                       diag);
	return AUGUR_OK;
}

/* The result's counts of noisy shapes and the held-out samples' totals. */
static void summarize(const struct augur_unit *u, const struct plan_item *items, size_t n,
                      struct augur_cal_result *res)
{
	for (size_t i = 0; i < n; i++)
		res->still_noisy += items[i].sample >= 0 && items[i].suspect;
	for (size_t i = 0; i < u->n_samples; i++) {
		const struct augur_sample *sm = &u->samples[i];
		if (!sm->held_out)
			continue;
		res->heldout_measured_ms += sm->time_ms;
		res->heldout_predicted_ms += augur_sample_predict(&u->gemm, sm);
		res->heldout_outside += !augur_timemodel_in_range(&u->gemm, sm->gemms->n,
		                                                  sm->gemms->k, sm->gemms->m);
	}
}

int augur_calibrate(const struct augur_cal_options *opt, struct augur_unit **unit,
                    struct augur_cal_result *res, struct augur_diag *diag)
{
	*unit = NULL;
	memset(res, 0, sizeof(*res));
	size_t n = opt->n_shapes;
	const struct augur_cal_shape *shapes = opt->shapes;
	if (!shapes)
		shapes = augur_cal_plan(opt->quick, &n);
	if (!n)
		return augur_diag_set(diag, AUGUR_E_USAGE, "calibrate", 0, 0,
		                      "no shapes to measure");
	/* the full grid's default times every shape on a 2-core x86 guest (465 in 143 s on a
	 * Zen 5, 2026-12-07): with 90 s the plan dropped the 140 costliest, every GEMM over
	 * 0.92 GFLOP, and the model extrapolated them 12% low in the median (narrow ones with
	 * large maps 15-16%, a 4096 x 25088 fc at batch 16 26%), VGG's 3x3 convs among them */
	double budget_ms = 1e3 * (opt->budget_s > 0 ? opt->budget_s : opt->quick ? 14 : 240);
	struct cost_model cm = {
	        .min_time_ms = opt->min_time_ms > 0 ? opt->min_time_ms
	                       : opt->quick         ? 15
	                                            : 40,
	        .trials = opt->trials ? opt->trials : 5,
	};
	double noisy = opt->noisy_spread > 0 ? opt->noisy_spread : 0.15;
	struct augur_fit_options fo;
	augur_fit_options_init(&fo);

	struct augur_bench_sizes sizes;
	bench_sizes(shapes, n, &sizes);
	struct augur_bench *b = NULL;
	struct augur_unit *u = NULL;
	struct plan_item *items = NULL;
	int rc = opt->unit == AUGUR_UNIT_GPU ? augur_bench_gpu_open(&sizes, &b, diag)
	                                     : augur_bench_cpu_open(opt->threads, &sizes, &b, diag);
	if (rc)
		return rc;
	u = bench_unit(opt, b);
	items = calloc(n, sizeof(*items));
	if (!u || !items) {
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, "calibrate", 0, 0, "out of memory");
		goto out;
	}

	double t0 = now_s();
	if ((rc = probe_rate(b, &cm, diag)))
		goto out;
	plan_items(items, shapes, n, &cm, budget_ms, res);
	struct run_state st = {b, opt, u, res, &cm, noisy, t0, budget_ms, INFINITY};
	if ((rc = measure_all(&st, items, n, diag)) || (rc = measure_suspects(&st, items, n, diag)))
		goto out;
	res->measure_s = now_s() - t0;
	if (res->interrupted)
		goto finish;
	double t1 = now_s();
	augur_direct_path_for_library(u->library, &fo.direct);
	const struct augur_fit_options *fit_opt = opt->fit ? opt->fit : &fo;
	if ((rc = fit_unit(&st, fit_opt, diag)) ||
	    (rc = remeasure_worst(&st, items, n, fit_opt, diag)))
		goto out;
	res->measure_s = now_s() - t0;
	res->fit_s = now_s() - t1;
	summarize(u, items, n, res);
finish:
	*unit = u;
	u = NULL;
out:
	free(items);
	augur_unit_free(u);
	if (b)
		b->close(b);
	return rc;
}
