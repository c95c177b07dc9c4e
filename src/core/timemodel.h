/* GEMM time models: piecewise-linear in their coefficients over terms of (n, k, m), with
 * regions along n and m (the paper's section 5.2). A model predicts the time of one
 * [n x k] . [k x m] call; fit.c produces models, profile.c stores them. */
#ifndef AUGUR_TIMEMODEL_H
#define AUGUR_TIMEMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis.h"

/* The terms a model may use, each a function of (n, k, m). */
enum augur_term {
	AUGUR_TERM_NKM,    /* n*k*m: the multiply-adds */
	AUGUR_TERM_NK,     /* n*k: reading the weights */
	AUGUR_TERM_KM,     /* k*m: reading the im2col matrix */
	AUGUR_TERM_NM,     /* n*m: writing the output */
	AUGUR_TERM_ONE,    /* per-call overhead */
	AUGUR_TERM_NK_4K,  /* n*k again when a weight row is a whole number of 4 KiB (k a multiple
	                      of 1024): the rows the packing copy reads side by side then share
	                      cache sets and evict each other (fc layers of 4096 or 9216 inputs
	                      stream their weights at half the speed of 3744 or 25088) */
	AUGUR_TERM_KM_4K,  /* k*m again when an im2col row is a whole number of 4 KiB (m a multiple
	                      of 1024, e.g. outputs of 160x160 or 224x224): the same cache-set
	                      conflicts in the copy that packs the column matrix; 8 or 16 filters
	                      over 3 channels take 1.5-1.9x as long per element as at 150x150 or
	                      170x170 (docs/model.md) */
	AUGUR_TERM_KM_256, /* k*m again when an im2col row is a whole number of 256 bytes (m a
	                      multiple of 64, e.g. outputs of 56x56, 112x112 or 200x200): a
	                      milder form of the same conflicts, as slow as 4 KiB rows on an
	                      Intel Xeon (24 filters x 147 rows: 0.74 ns per column element at
	                      m = 5952 and 5888, 0.49 at 5904 or 5936; docs/model.md) */
	AUGUR_TERM_COUNT
};

#define AUGUR_MODEL_MAX_BREAKS 3 /* breakpoints per axis: up to 4 regions along n and m */

/* What a profile may hold (the loader refuses more, a fit that gets more fails): a
 * coefficient within +-AUGUR_MODEL_MAX_COEF ms per unit of its term and a floor in
 * [AUGUR_MODEL_MIN_FLOOR_MS, AUGUR_MODEL_MAX_FLOOR_MS]. Real models are nine orders of
 * magnitude inside; with these bounds every prediction of a traceable network is finite. */
#define AUGUR_MODEL_MAX_COEF     1e9
#define AUGUR_MODEL_MIN_FLOOR_MS 1e-12
#define AUGUR_MODEL_MAX_FLOOR_MS 1e9
#define AUGUR_MODEL_MAX_REGIONS  ((AUGUR_MODEL_MAX_BREAKS + 1) * (AUGUR_MODEL_MAX_BREAKS + 1))

/* One region's coefficients, in milliseconds per unit of each term. */
struct augur_region {
	double coef[AUGUR_TERM_COUNT];
};

/* A BLAS's direct path for small GEMMs: OpenBLAS's "small matrix" kernels (SkylakeX-class
 * cores, since 0.3.16) multiply the operands where they lie instead of first copying them
 * into packed panels, when n*k*m is at most 10^6 and, with the weights transposed (the fc
 * layout), n*m is at most 1200 and k at least 32. Calls on either side of that line run at
 * very different speeds (an fc layer of 100 x 9216 weights: 0.05 ms direct; 400 x 9216:
 * 6 ms packed), which no linear form spans, so direct calls get a region of their own.
 * max_nkm == 0: the library has no such path. */
struct augur_direct_path {
	uint64_t max_nkm;   /* n*k*m at most this */
	uint64_t fc_max_nm; /* fc layout: also n*m at most this (0: no such limit) */
	uint64_t fc_min_k;  /* fc layout: also k at least this */
};

/* The shapes a model was calibrated on; predictions outside are flagged. */
struct augur_validity {
	uint64_t n_min, n_max, k_min, k_max, m_min, m_max;
};

struct augur_timemodel {
	uint32_t term_mask; /* bit t set when term t is used */
	uint32_t n_breaks_n, n_breaks_m;
	uint64_t breaks_n[AUGUR_MODEL_MAX_BREAKS]; /* region i along n: breaks_n[i-1] <= n <
	                                              breaks_n[i] */
	uint64_t breaks_m[AUGUR_MODEL_MAX_BREAKS];
	struct augur_region regions[AUGUR_MODEL_MAX_REGIONS]; /* [i_n * (n_breaks_m + 1) + i_m] */
	struct augur_direct_path direct; /* calls on it use direct_region instead */
	struct augur_region direct_region;
	struct augur_validity range;
	double min_ms;      /* floor: a prediction never goes below the fastest call measured */
	bool one_per_layer; /* derived, not stored: the model was fitted from per-layer sums
	                       (aggregate samples), whose constant term cannot be told from a
	                       per-layer cost; a layer of many calls (groups) pays it once */
};

/* Predicted milliseconds for one call of an [n x k] . [k x m] GEMM (fc_layout: the batch
 * times transposed weights, as an fc layer calls it): at least min_ms, also outside the
 * calibrated range where a region's linear form goes negative. INFINITY when the form
 * overflows a double (coefficients beyond the profile bounds), so a caller reports it
 * instead of printing it; never NaN. */
double augur_timemodel_predict(const struct augur_timemodel *tm, uint64_t n, uint64_t k, uint64_t m,
                               bool fc_layout);

/* Whether the call runs on the library's direct path (tm->direct). */
bool augur_timemodel_direct(const struct augur_timemodel *tm, uint64_t n, uint64_t k, uint64_t m,
                            bool fc_layout);

/* The direct path of the BLAS a unit's library string names ("OpenBLAS 0.3.21 ...
 * Cooperlake ..."); all zero when it has none or the string does not say. */
void augur_direct_path_for_library(const char *library, struct augur_direct_path *out);

/* Whether (n, k, m) lies inside the calibrated range. */
bool augur_timemodel_in_range(const struct augur_timemodel *tm, uint64_t n, uint64_t k, uint64_t m);

/* Predicted milliseconds for all g->count calls of a layer's GEMM; *outside (may be NULL)
 * is set when its shape is outside the calibrated range. */
double augur_gemm_time_ms(const struct augur_timemodel *tm, const struct augur_gemm *g,
                          bool *outside);

/* The index into tm->regions of the region holding (n, m) off the direct path. */
size_t augur_timemodel_region(const struct augur_timemodel *tm, uint64_t n, uint64_t m);

/* The value of each term for (n, k, m), in enum augur_term order. */
void augur_term_values(uint64_t n, uint64_t k, uint64_t m, double v[AUGUR_TERM_COUNT]);

/* Whether a row of len float values is a whole number of 4 KiB (len a multiple of 1024):
 * such rows map to the same cache sets and stream at about half the speed (a weight row
 * of k values: the nk_4k term and an fc layer's param_bytes_4k cost; an im2col row of m
 * values: the km_4k term). */
bool augur_rows_4k(uint64_t len);

/* Whether a row of len float values is a whole number of 256 bytes (len a multiple of
 * 64): the km_256 term. */
bool augur_rows_256(uint64_t len);

/* "nkm", "nk", "km", "nm", "one", "nk_4k", "km_4k", "km_256": the names profiles use for
 * terms. */
const char *augur_term_name(enum augur_term t);

#endif
