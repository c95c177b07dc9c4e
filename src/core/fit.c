/* Segmented weighted least squares for GEMM time models (see fit.h): the one file that
 * includes GSL. Each sample is a row; each GEMM of a row adds count times its term vector
 * to the columns of the region it falls in, so single GEMMs and aggregate rows (a
 * network's summed CONV time) share one design matrix. Breakpoints are searched greedily
 * among the sample values, kept when they cut the cross-validated relative error. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>

#include "checked.h"
#include "fit.h"
#include "stats.h"

#define FIT_PATH "fit"

struct breaks {
	uint32_t nn, nm;
	uint64_t bn[AUGUR_MODEL_MAX_BREAKS], bm[AUGUR_MODEL_MAX_BREAKS];
};

struct fitctx {
	const struct augur_sample *s;
	const struct augur_fit_options *opt;
	uint32_t mask;
	int terms[AUGUR_TERM_COUNT]; /* used terms, in enum order */
	size_t nt;
	double min_ms;
	bool one_per_layer; /* fitted from per-layer sums (timemodel.h) */
};

void augur_fit_options_init(struct augur_fit_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->term_mask = (1u << AUGUR_TERM_COUNT) - 1;
	opt->max_breaks_n = 2;
	opt->max_breaks_m = 2;
	opt->folds = 5;
	opt->min_gain = 0.03;
	opt->nonneg = true;
	opt->max_outliers = 4; /* a shared machine disturbs more than one sample */
	opt->outlier_rel_err = 0.15;
}

static void model_init(const struct fitctx *c, const struct breaks *b, struct augur_timemodel *tm)
{
	memset(tm, 0, sizeof(*tm));
	tm->term_mask = c->mask;
	tm->n_breaks_n = b->nn;
	tm->n_breaks_m = b->nm;
	memcpy(tm->breaks_n, b->bn, sizeof(b->bn));
	memcpy(tm->breaks_m, b->bm, sizeof(b->bm));
	tm->min_ms = c->min_ms;
	tm->direct = c->opt->direct;
	tm->one_per_layer = c->one_per_layer;
}

static size_t region_count(const struct breaks *b)
{
	return (size_t)(b->nn + 1) * (b->nm + 1);
}

/* The design's column block of a GEMM: its region, or region_count for the direct path. */
static size_t column_block(const struct augur_timemodel *tm, const struct augur_sample *s,
                           const struct augur_sample_gemm *g)
{
	if (augur_timemodel_direct(tm, g->n, g->k, g->m, s->fc_layout))
		return (size_t)(tm->n_breaks_n + 1) * (tm->n_breaks_m + 1);
	return augur_timemodel_region(tm, g->n, g->m);
}

static void design_row(const struct fitctx *c, const struct augur_timemodel *tm,
                       const struct augur_sample *s, double *x, size_t cols)
{
	memset(x, 0, cols * sizeof(*x));
	for (size_t i = 0; i < s->n_gemms; i++) {
		const struct augur_sample_gemm *g = &s->gemms[i];
		double v[AUGUR_TERM_COUNT];
		augur_term_values(g->n, g->k, g->m, v);
		size_t r = column_block(tm, s, g);
		for (size_t j = 0; j < c->nt; j++) {
			/* a model fitted from per-layer sums has a per-layer constant: one per
			 * GEMM entry (a layer), however many calls (groups) it makes */
			bool per_layer = tm->one_per_layer && c->terms[j] == AUGUR_TERM_ONE;
			x[r * c->nt + j] += (per_layer ? 1.0 : (double)g->count) * v[c->terms[j]];
		}
	}
}

/* GSL's weighted least-squares system of nrows rows and p columns, and its solver. */
struct lsq {
	gsl_matrix *X, *cov;
	gsl_vector *w, *y, *beta;
	gsl_multifit_linear_workspace *ws;
};

/* 0, or -1 when out of memory (free l either way). */
static int lsq_alloc(struct lsq *l, size_t nrows, size_t p)
{
	l->X = gsl_matrix_alloc(nrows, p);
	l->cov = gsl_matrix_alloc(p, p);
	l->w = gsl_vector_alloc(nrows);
	l->y = gsl_vector_alloc(nrows);
	l->beta = gsl_vector_alloc(p);
	l->ws = gsl_multifit_linear_alloc(nrows, p);
	return l->X && l->cov && l->w && l->y && l->beta && l->ws ? 0 : -1;
}

/* Frees what l holds and empties it (GSL's free functions take NULL). */
static void lsq_free(struct lsq *l)
{
	gsl_matrix_free(l->X);
	gsl_matrix_free(l->cov);
	gsl_vector_free(l->w);
	gsl_vector_free(l->y);
	gsl_vector_free(l->beta);
	gsl_multifit_linear_free(l->ws);
	memset(l, 0, sizeof(*l));
}

int augur_fit_linear(const double *x, const double *t, size_t nrows, size_t cols, bool nonneg,
                     double *coef)
{
	if (!nrows || !cols)
		return -1; /* nothing to solve (and no zero-byte allocations) */
	int rc = -1;
	double *scale = calloc(cols, sizeof(double));
	bool *active = calloc(cols, sizeof(bool));
	struct lsq l = {0};
	if (!scale || !active || !nrows)
		goto out;
	gsl_set_error_handler_off();
	/* columns scaled to a largest value of 1, so terms of very different magnitudes
	 * (bytes next to a per-call constant) stay well conditioned */
	for (size_t i = 0; i < nrows; i++) {
		if (!(t[i] > 0) || !isfinite(t[i]))
			goto out;
		for (size_t j = 0; j < cols; j++)
			if (fabs(x[i * cols + j]) > scale[j])
				scale[j] = fabs(x[i * cols + j]);
	}
	for (size_t j = 0; j < cols; j++) {
		active[j] = scale[j] > 0 && isfinite(scale[j]);
		coef[j] = 0;
	}
	for (;;) {
		size_t p = 0;
		for (size_t j = 0; j < cols; j++)
			p += active[j];
		if (!p || nrows < p)
			goto out;
		if (lsq_alloc(&l, nrows, p))
			goto out;
		for (size_t i = 0; i < nrows; i++) {
			gsl_vector_set(l.y, i, t[i]);
			gsl_vector_set(l.w, i, 1.0 / (t[i] * t[i]));
			for (size_t j = 0, q = 0; j < cols; j++)
				if (active[j])
					gsl_matrix_set(l.X, i, q++, x[i * cols + j] / scale[j]);
		}
		double chisq;
		if (gsl_multifit_wlinear(l.X, l.w, l.y, l.beta, l.cov, &chisq, l.ws) != GSL_SUCCESS)
			goto out;
		size_t worst = cols;
		double worst_v = 0;
		for (size_t j = 0, q = 0; j < cols; j++) {
			coef[j] = 0;
			if (!active[j])
				continue;
			double bq = gsl_vector_get(l.beta, q++);
			if (!isfinite(bq))
				goto out;
			coef[j] = bq / scale[j];
			if (bq < worst_v) { /* scaled: the coefficient's largest contribution */
				worst_v = bq;
				worst = j;
			}
		}
		lsq_free(&l);
		if (!nonneg || worst == cols)
			break;
		active[worst] = false;
		coef[worst] = 0;
	}
	rc = 0;
out:
	lsq_free(&l);
	free(scale);
	free(active);
	return rc;
}

/* Weighted least squares over the rows idx[0..nrows) with tm's breakpoints; fills
 * tm->regions and tm->direct_region. Regions no row touches copy their nearest
 * neighbour's coefficients; an empty direct region copies region 0's (the smallest
 * shapes). Returns 0, or -1 when the system is underdetermined or GSL fails. */
static int solve(const struct fitctx *c, struct augur_timemodel *tm, const size_t *idx,
                 size_t nrows)
{
	struct breaks b = {tm->n_breaks_n, tm->n_breaks_m, {0}, {0}};
	size_t nr = region_count(&b), cols = (nr + 1) * c->nt;
	int rc = -1;
	double *x = malloc((nrows ? nrows : 1) * cols * sizeof(double));
	double *t = malloc((nrows ? nrows : 1) * sizeof(double));
	double *coef = calloc(cols, sizeof(double));
	bool *support = calloc(nr + 1, sizeof(bool));
	if (!x || !t || !coef || !support || !nrows)
		goto out;
	for (size_t i = 0; i < nrows; i++) {
		design_row(c, tm, &c->s[idx[i]], x + i * cols, cols);
		t[i] = c->s[idx[i]].time_ms;
		for (size_t j = 0; j < cols; j++)
			if (x[i * cols + j] != 0)
				support[j / c->nt] = true;
	}
	if (augur_fit_linear(x, t, nrows, cols, c->opt->nonneg, coef))
		goto out;
	uint32_t mcols = tm->n_breaks_m + 1;
	for (size_t r = 0; r < nr; r++) {
		size_t from = r;
		if (!support[r]) {
			/* the nearest region with data, by steps along n and m */
			long best = -1;
			for (size_t o = 0; o < nr; o++) {
				if (!support[o])
					continue;
				long d = labs((long)(o / mcols) - (long)(r / mcols)) +
				         labs((long)(o % mcols) - (long)(r % mcols));
				if (best < 0 || d < best) {
					best = d;
					from = o;
				}
			}
		}
		memset(&tm->regions[r], 0, sizeof(tm->regions[r]));
		for (size_t j = 0; j < c->nt; j++)
			tm->regions[r].coef[c->terms[j]] = coef[from * c->nt + j];
	}
	memset(&tm->direct_region, 0, sizeof(tm->direct_region));
	if (support[nr])
		for (size_t j = 0; j < c->nt; j++)
			tm->direct_region.coef[c->terms[j]] = coef[nr * c->nt + j];
	else
		tm->direct_region = tm->regions[0];
	rc = 0;
out:
	free(x);
	free(t);
	free(coef);
	free(support);
	return rc;
}

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Every region with rows must hold enough to determine its coefficients: rows enough for
 * the terms that are not zero there (nk_4k and km_4k are zero for most shapes), and at
 * least two values of n and of m (a region holding one m, say the grid's 56^2 alone,
 * cannot tell n*k*m from n*k and extrapolates wildly to the m values it lacks). */
static bool enough_support(const struct fitctx *c, const struct breaks *b, const size_t *idx,
                           size_t nrows)
{
	struct augur_timemodel tm;
	model_init(c, b, &tm);
	enum { NB = AUGUR_MODEL_MAX_REGIONS + 1 };
	size_t cnt[NB] = {0}, used[NB] = {0};
	uint32_t nonzero[NB] = {0};
	uint64_t n_lo[NB], n_hi[NB] = {0}, m_lo[NB], m_hi[NB] = {0};
	for (size_t r = 0; r < NB; r++)
		n_lo[r] = m_lo[r] = UINT64_MAX;
	for (size_t i = 0; i < nrows; i++) {
		const struct augur_sample *s = &c->s[idx[i]];
		bool seen[NB] = {false};
		for (size_t g = 0; g < s->n_gemms; g++) {
			const struct augur_sample_gemm *gg = &s->gemms[g];
			size_t r = column_block(&tm, s, gg);
			if (!seen[r])
				cnt[r]++;
			seen[r] = true;
			double v[AUGUR_TERM_COUNT];
			augur_term_values(gg->n, gg->k, gg->m, v);
			for (size_t j = 0; j < c->nt; j++)
				if (v[c->terms[j]] != 0)
					nonzero[r] |= 1u << j;
			n_lo[r] = gg->n < n_lo[r] ? gg->n : n_lo[r];
			n_hi[r] = gg->n > n_hi[r] ? gg->n : n_hi[r];
			m_lo[r] = gg->m < m_lo[r] ? gg->m : m_lo[r];
			m_hi[r] = gg->m > m_hi[r] ? gg->m : m_hi[r];
		}
	}
	/* an empty region borrows its neighbour's coefficients (an fc region along m has no
	 * small-n shapes); a sparsely filled one would be fitted to noise */
	for (size_t r = 0; r <= region_count(b); r++) {
		for (uint32_t bits = nonzero[r]; bits; bits &= bits - 1)
			used[r]++;
		if (cnt[r] && (cnt[r] < used[r] + 2 || n_lo[r] == n_hi[r] || m_lo[r] == m_hi[r]))
			return false;
	}
	return true;
}

/* Mean relative error of K-fold cross-validation with breakpoints b. */
static double cv_error(const struct fitctx *c, const struct breaks *b, const size_t *idx,
                       size_t nrows)
{
	uint32_t k = c->opt->folds;
	size_t *tr = malloc(nrows * sizeof(size_t));
	double sum = 0;
	size_t cnt = 0;
	if (!tr)
		return INFINITY;
	for (uint32_t f = 0; f < k; f++) {
		size_t ntr = 0;
		for (size_t i = 0; i < nrows; i++)
			if (mix(idx[i]) % k != f)
				tr[ntr++] = idx[i];
		struct augur_timemodel tm;
		model_init(c, b, &tm);
		if (solve(c, &tm, tr, ntr)) {
			free(tr);
			return INFINITY;
		}
		for (size_t i = 0; i < nrows; i++)
			if (mix(idx[i]) % k == f) {
				sum += augur_sample_rel_err(&tm, &c->s[idx[i]]);
				cnt++;
			}
	}
	free(tr);
	return cnt ? sum / (double)cnt : INFINITY;
}

/* Sorted distinct values of n (axis 0) or m (axis 1) over the rows' GEMMs, without the
 * smallest (a breakpoint there would leave an empty region). */
static size_t candidates(const struct fitctx *c, const size_t *idx, size_t nrows, int axis,
                         uint64_t *out, size_t cap)
{
	size_t n = 0;
	uint64_t lo = UINT64_MAX;
	for (size_t i = 0; i < nrows; i++) {
		const struct augur_sample *s = &c->s[idx[i]];
		for (size_t g = 0; g < s->n_gemms; g++) {
			uint64_t v = axis ? s->gemms[g].m : s->gemms[g].n;
			lo = v < lo ? v : lo;
			bool dup = false;
			for (size_t j = 0; j < n && !dup; j++)
				dup = out[j] == v;
			if (!dup && n < cap)
				out[n++] = v;
		}
	}
	size_t w = 0;
	for (size_t j = 0; j < n; j++)
		if (out[j] != lo)
			out[w++] = out[j];
	return w;
}

static bool insert_break(uint64_t *arr, uint32_t *len, uint64_t v)
{
	for (uint32_t i = 0; i < *len; i++)
		if (arr[i] == v)
			return false;
	uint32_t i = *len;
	while (i > 0 && arr[i - 1] > v) {
		arr[i] = arr[i - 1];
		i--;
	}
	arr[i] = v;
	(*len)++;
	return true;
}

static void search_breaks(const struct fitctx *c, const size_t *idx, size_t nrows,
                          struct breaks *best)
{
	memset(best, 0, sizeof(*best));
	double best_err = cv_error(c, best, idx, nrows);
	uint64_t cand[2][64];
	size_t ncand[2] = {candidates(c, idx, nrows, 0, cand[0], 64),
	                   candidates(c, idx, nrows, 1, cand[1], 64)};
	uint32_t limit[2] = {c->opt->max_breaks_n, c->opt->max_breaks_m};
	for (;;) {
		struct breaks step_best = *best;
		double step_err = INFINITY;
		for (int axis = 0; axis < 2; axis++) {
			if ((axis ? best->nm : best->nn) >= limit[axis])
				continue;
			for (size_t j = 0; j < ncand[axis]; j++) {
				struct breaks b = *best;
				if (!insert_break(axis ? b.bm : b.bn, axis ? &b.nm : &b.nn,
				                  cand[axis][j]))
					continue;
				if (!enough_support(c, &b, idx, nrows))
					continue;
				double e = cv_error(c, &b, idx, nrows);
				if (e < step_err) {
					step_err = e;
					step_best = b;
				}
			}
		}
		if (!(step_err < best_err * (1.0 - c->opt->min_gain)))
			break;
		*best = step_best;
		best_err = step_err;
	}
}

static int check_options(const struct augur_fit_options *o, struct augur_diag *diag)
{
	if (!(o->term_mask & ((1u << AUGUR_TERM_COUNT) - 1)) || (o->term_mask >> AUGUR_TERM_COUNT))
		return augur_diag_set(diag, AUGUR_E_USAGE, FIT_PATH, 0, 0,
		                      "fit options: no valid term selected (mask 0x%x)",
		                      (unsigned)o->term_mask);
	if (o->folds < 2)
		return augur_diag_set(diag, AUGUR_E_USAGE, FIT_PATH, 0, 0,
		                      "fit options: at least 2 folds needed, got %u", o->folds);
	if (o->max_breaks_n > AUGUR_MODEL_MAX_BREAKS || o->max_breaks_m > AUGUR_MODEL_MAX_BREAKS ||
	    o->n_breaks_n > AUGUR_MODEL_MAX_BREAKS || o->n_breaks_m > AUGUR_MODEL_MAX_BREAKS)
		return augur_diag_set(diag, AUGUR_E_USAGE, FIT_PATH, 0, 0,
		                      "fit options: at most %d breakpoints per axis",
		                      AUGUR_MODEL_MAX_BREAKS);
	if (o->fixed_breaks) {
		for (uint32_t i = 0; i < o->n_breaks_n; i++)
			if (!o->breaks_n[i] || (i && o->breaks_n[i] <= o->breaks_n[i - 1]))
				return augur_diag_set(diag, AUGUR_E_USAGE, FIT_PATH, 0, 0,
				                      "fit options: breakpoints along n must be "
				                      "positive and increasing");
		for (uint32_t i = 0; i < o->n_breaks_m; i++)
			if (!o->breaks_m[i] || (i && o->breaks_m[i] <= o->breaks_m[i - 1]))
				return augur_diag_set(diag, AUGUR_E_USAGE, FIT_PATH, 0, 0,
				                      "fit options: breakpoints along m must be "
				                      "positive and increasing");
	}
	return AUGUR_OK;
}

static int check_samples(const struct augur_sample *s, size_t n, struct augur_diag *diag)
{
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(s[i].time_ms) || s[i].time_ms <= 0)
			return augur_diag_set(diag, AUGUR_E_NUMERIC, FIT_PATH, 0, 0,
			                      "sample %zu: time_ms must be positive and finite, "
			                      "got %g",
			                      i + 1, s[i].time_ms);
		if (!s[i].n_gemms || !s[i].gemms)
			return augur_diag_set(diag, AUGUR_E_NUMERIC, FIT_PATH, 0, 0,
			                      "sample %zu: no GEMM", i + 1);
		for (size_t g = 0; g < s[i].n_gemms; g++) {
			const struct augur_sample_gemm *gg = &s[i].gemms[g];
			if (!gg->n || !gg->k || !gg->m || !gg->count)
				return augur_diag_set(diag, AUGUR_E_NUMERIC, FIT_PATH, 0, 0,
				                      "sample %zu: GEMM dimensions and count must "
				                      "be positive",
				                      i + 1);
		}
	}
	return AUGUR_OK;
}

/* The training rows (samples not held out) into idx; returns their count. Sets c's
 * floor (the fastest single call measured) and the shapes' range. */
static size_t training_rows(struct fitctx *c, const struct augur_sample *s, size_t n, size_t *idx,
                            struct augur_validity *range)
{
	size_t nrows = 0;
	double agg_floor = INFINITY;
	*range = (struct augur_validity){UINT64_MAX, 0, UINT64_MAX, 0, UINT64_MAX, 0};
	for (size_t i = 0; i < n; i++) {
		if (s[i].held_out)
			continue;
		idx[nrows++] = i;
		uint64_t calls = 0;
		for (size_t g = 0; g < s[i].n_gemms; g++) {
			const struct augur_sample_gemm *gg = &s[i].gemms[g];
			calls = augur_add_sat(calls, gg->count);
			range->n_min = gg->n < range->n_min ? gg->n : range->n_min;
			range->n_max = gg->n > range->n_max ? gg->n : range->n_max;
			range->k_min = gg->k < range->k_min ? gg->k : range->k_min;
			range->k_max = gg->k > range->k_max ? gg->k : range->k_max;
			range->m_min = gg->m < range->m_min ? gg->m : range->m_min;
			range->m_max = gg->m > range->m_max ? gg->m : range->m_max;
		}
		/* the floor is the fastest single call measured; an aggregate row only bounds
		 * its average call, so it gives a much lower floor (used when no row is single) */
		double per_call = s[i].time_ms / (double)calls;
		if (s[i].n_gemms == 1)
			c->min_ms = per_call < c->min_ms ? per_call : c->min_ms;
		else
			agg_floor = per_call * 1e-3 < agg_floor ? per_call * 1e-3 : agg_floor;
	}
	if (!isfinite(c->min_ms))
		c->min_ms = agg_floor;
	return nrows;
}

/* Drops up to opt->max_outliers rows, worst first, while one is far off the fit (one bad
 * sample, a burst of interference, should not bend the whole model), refitting tm each
 * time. res is scratch of *nrows values. Returns how many were dropped. */
static size_t drop_outliers(const struct fitctx *c, struct augur_timemodel *tm, size_t *idx,
                            size_t *nrows, double *res)
{
	const struct augur_fit_options *opt = c->opt;
	size_t dropped = 0;
	while (dropped<opt->max_outliers && * nrows> c->nt + 1) {
		size_t worst = 0, nr = *nrows;
		for (size_t i = 0; i < nr; i++) {
			res[i] = augur_sample_rel_err(tm, &c->s[idx[i]]);
			if (res[i] > res[worst])
				worst = i;
		}
		double w = res[worst];
		double med = augur_median_in_place(res, nr);
		if (!(w > opt->outlier_rel_err && w > 5 * med))
			break;
		struct augur_timemodel t2 = *tm;
		size_t gone = idx[worst];
		memmove(idx + worst, idx + worst + 1, (nr - worst - 1) * sizeof(size_t));
		if (solve(c, &t2, idx, nr - 1)) {
			memmove(idx + worst + 1, idx + worst, (nr - worst - 1) * sizeof(size_t));
			idx[worst] = gone;
			break;
		}
		(*nrows)--;
		*tm = t2;
		dropped++;
	}
	return dropped;
}

/* Holds the fit to what a profile may store, so a saved profile loads again: AUGUR_OK, or
 * AUGUR_E_NUMERIC for a coefficient past the limit. */
static int check_coefs(const struct augur_timemodel *tm, struct augur_diag *diag)
{
	for (size_t r = 0; r < AUGUR_MODEL_MAX_REGIONS; r++)
		for (int t = 0; t < AUGUR_TERM_COUNT; t++)
			if (!(fabs(tm->regions[r].coef[t]) <= AUGUR_MODEL_MAX_COEF))
				return augur_diag_set(
				        diag, AUGUR_E_NUMERIC, FIT_PATH, 0, 0,
				        "the fitted model has a coefficient of %g ms per "
				        "'%s' (the limit is %g): the samples are not GEMM "
				        "times",
				        tm->regions[r].coef[t], augur_term_name(t),
				        AUGUR_MODEL_MAX_COEF);
	return AUGUR_OK;
}

int augur_fit_model(const struct augur_sample *s, size_t n, const struct augur_fit_options *opt,
                    struct augur_timemodel *out, struct augur_fit_quality *q,
                    struct augur_diag *diag)
{
	struct augur_fit_options defaults;
	if (!opt) {
		augur_fit_options_init(&defaults);
		opt = &defaults;
	}
	int rc = check_options(opt, diag);
	if (rc || (rc = check_samples(s, n, diag)))
		return rc;
	/* GSL's default handler aborts the process; the core reports errors instead */
	gsl_set_error_handler_off();

	struct fitctx c = {.s = s,
	                   .opt = opt,
	                   .mask = opt->term_mask,
	                   .min_ms = INFINITY,
	                   .one_per_layer = augur_samples_max_aggregate_calls(s, n) > 0};
	for (int t = 0; t < AUGUR_TERM_COUNT; t++)
		if (c.mask & (1u << t))
			c.terms[c.nt++] = t;
	size_t *idx = malloc((n ? n : 1) * sizeof(size_t));
	if (!idx)
		return augur_diag_set(diag, AUGUR_E_NOMEM, FIT_PATH, 0, 0, "out of memory");
	double *res = NULL;
	struct augur_validity range;
	size_t nrows = training_rows(&c, s, n, idx, &range);
	if (nrows < c.nt) {
		rc = augur_diag_set(diag, AUGUR_E_NUMERIC, FIT_PATH, 0, 0,
		                    "%zu training samples cannot determine %zu coefficients", nrows,
		                    c.nt);
		goto out;
	}

	struct breaks b = {0};
	if (opt->fixed_breaks) {
		b.nn = opt->n_breaks_n;
		b.nm = opt->n_breaks_m;
		memcpy(b.bn, opt->breaks_n, sizeof(b.bn));
		memcpy(b.bm, opt->breaks_m, sizeof(b.bm));
	} else if (nrows >= 2 * opt->folds) {
		search_breaks(&c, idx, nrows, &b);
	}

	struct augur_timemodel tm;
	model_init(&c, &b, &tm);
	if (solve(&c, &tm, idx, nrows)) {
		rc = augur_diag_set(diag, AUGUR_E_NUMERIC, FIT_PATH, 0, 0,
		                    "the least-squares system is singular or underdetermined "
		                    "(%zu samples for %zu regions of %zu terms)",
		                    nrows, region_count(&b), c.nt);
		goto out;
	}
	if (!(res = malloc(nrows * sizeof(double)))) {
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, FIT_PATH, 0, 0, "out of memory");
		goto out;
	}
	size_t dropped = drop_outliers(&c, &tm, idx, &nrows, res);
	for (size_t i = 0; i < nrows; i++)
		res[i] = augur_sample_rel_err(&tm, &s[idx[i]]);
	if ((rc = check_coefs(&tm, diag)))
		goto out;
	tm.min_ms = tm.min_ms < AUGUR_MODEL_MIN_FLOOR_MS   ? AUGUR_MODEL_MIN_FLOOR_MS
	            : tm.min_ms > AUGUR_MODEL_MAX_FLOOR_MS ? AUGUR_MODEL_MAX_FLOOR_MS
	                                                   : tm.min_ms;
	tm.range = range;
	*out = tm;
	if (q) {
		augur_fit_evaluate(&tm, s, n, q);
		q->train_median_rel_err = augur_median_in_place(res, nrows);
		q->n_train = nrows;
		q->n_dropped = dropped;
	}
out:
	free(res);
	free(idx);
	return rc;
}
