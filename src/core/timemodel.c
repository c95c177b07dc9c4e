/* GEMM time model evaluation (see timemodel.h): region lookup, the term vector and a
 * prediction clamped to the model's floor, so an estimate never goes negative or to zero
 * outside the calibrated range, and never silently below it on overflow. Fitting lives in
 * fit.c. */
#include <math.h>
#include <string.h>

#include "timemodel.h"

const char *augur_term_name(enum augur_term t)
{
	static const char *const names[AUGUR_TERM_COUNT] = {"nkm", "nk",    "km",    "nm",
	                                                    "one", "nk_4k", "km_4k", "km_256"};
	return (unsigned)t < AUGUR_TERM_COUNT ? names[t] : "?";
}

bool augur_rows_4k(uint64_t len)
{
	return len % 1024 == 0;
}

bool augur_rows_256(uint64_t len)
{
	return len % 64 == 0;
}

void augur_term_values(uint64_t n, uint64_t k, uint64_t m, double v[AUGUR_TERM_COUNT])
{
	/* doubles: n*k*m of real networks fits, but a hostile shape must not wrap */
	double dn = (double)n, dk = (double)k, dm = (double)m;
	v[AUGUR_TERM_NKM] = dn * dk * dm;
	v[AUGUR_TERM_NK] = dn * dk;
	v[AUGUR_TERM_KM] = dk * dm;
	v[AUGUR_TERM_NM] = dn * dm;
	v[AUGUR_TERM_ONE] = 1.0;
	v[AUGUR_TERM_NK_4K] = augur_rows_4k(k) ? dn * dk : 0.0;
	v[AUGUR_TERM_KM_4K] = augur_rows_4k(m) ? dk * dm : 0.0;
	v[AUGUR_TERM_KM_256] = augur_rows_256(m) ? dk * dm : 0.0;
}

static uint32_t axis_index(const uint64_t *breaks, uint32_t n_breaks, uint64_t v)
{
	uint32_t i = 0;
	while (i < n_breaks && i < AUGUR_MODEL_MAX_BREAKS && v >= breaks[i])
		i++;
	return i;
}

size_t augur_timemodel_region(const struct augur_timemodel *tm, uint64_t n, uint64_t m)
{
	uint32_t bm =
	        tm->n_breaks_m < AUGUR_MODEL_MAX_BREAKS ? tm->n_breaks_m : AUGUR_MODEL_MAX_BREAKS;
	uint32_t in = axis_index(tm->breaks_n, tm->n_breaks_n, n);
	uint32_t im = axis_index(tm->breaks_m, bm, m);
	return (size_t)in * (bm + 1) + im;
}

bool augur_timemodel_direct(const struct augur_timemodel *tm, uint64_t n, uint64_t k, uint64_t m,
                            bool fc_layout)
{
	const struct augur_direct_path *d = &tm->direct;
	if (!d->max_nkm)
		return false;
	/* doubles: a hostile shape must not wrap into the direct path */
	if ((double)n * (double)k * (double)m > (double)d->max_nkm)
		return false;
	if (fc_layout &&
	    ((d->fc_max_nm && (double)n * (double)m > (double)d->fc_max_nm) || k < d->fc_min_k))
		return false;
	return true;
}

void augur_direct_path_for_library(const char *library, struct augur_direct_path *out)
{
	memset(out, 0, sizeof(*out));
	if (!library || strncmp(library, "OpenBLAS", 8))
		return;
	/* OpenBLAS names the kernel set it chose in its config string; the small-matrix
	 * permit (kernel/x86_64/sgemm_small_kernel_permit_skylakex.c) serves these three */
	static const char *const cores[] = {"SkylakeX", "Cooperlake", "SapphireRapids"};
	for (size_t i = 0; i < sizeof(cores) / sizeof(*cores); i++)
		if (strstr(library, cores[i])) {
			out->max_nkm = 1000000;
			out->fc_max_nm = 1200;
			out->fc_min_k = 32;
			return;
		}
}

/* The region whose coefficients predict a call: the direct path's, or the (n, m) one. */
static const struct augur_region *region_of(const struct augur_timemodel *tm, uint64_t n,
                                            uint64_t k, uint64_t m, bool fc_layout)
{
	return augur_timemodel_direct(tm, n, k, m, fc_layout)
	               ? &tm->direct_region
	               : &tm->regions[augur_timemodel_region(tm, n, m)];
}

double augur_timemodel_predict(const struct augur_timemodel *tm, uint64_t n, uint64_t k, uint64_t m,
                               bool fc_layout)
{
	double floor_ms = tm->min_ms > 0 && isfinite(tm->min_ms) ? tm->min_ms : 1e-6;
	double v[AUGUR_TERM_COUNT];
	augur_term_values(n, k, m, v);
	const struct augur_region *r = region_of(tm, n, k, m, fc_layout);
	double t = 0;
	for (int i = 0; i < AUGUR_TERM_COUNT; i++)
		if (tm->term_mask & (1u << i))
			t += r->coef[i] * v[i];
	/* overflow is not a fast GEMM: report it as such (NaN comes from inf - inf) */
	if (isnan(t) || t == INFINITY)
		return INFINITY;
	if (t < floor_ms)
		return floor_ms;
	return t;
}

bool augur_timemodel_in_range(const struct augur_timemodel *tm, uint64_t n, uint64_t k, uint64_t m)
{
	const struct augur_validity *r = &tm->range;
	return n >= r->n_min && n <= r->n_max && k >= r->k_min && k <= r->k_max && m >= r->m_min &&
	       m <= r->m_max;
}

double augur_gemm_time_ms(const struct augur_timemodel *tm, const struct augur_gemm *g,
                          bool *outside)
{
	if (outside)
		*outside = g->count && !augur_timemodel_in_range(tm, g->n, g->k, g->m);
	if (!g->count)
		return 0.0;
	double call = augur_timemodel_predict(tm, g->n, g->k, g->m, g->fc_layout);
	if (!tm->one_per_layer || g->count == 1 || !(tm->term_mask & (1u << AUGUR_TERM_ONE)))
		return (double)g->count * call;
	/* the constant once for the layer, the rest per call */
	const struct augur_region *r = region_of(tm, g->n, g->k, g->m, g->fc_layout);
	double one = r->coef[AUGUR_TERM_ONE] > 0 ? r->coef[AUGUR_TERM_ONE] : 0;
	double rest = call > one ? call - one : 0;
	return (double)g->count * rest + (call > one ? one : call);
}
