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
	AUGUR_TERM_NKM, /* n*k*m: the multiply-adds */
	AUGUR_TERM_NK,  /* n*k: reading the weights */
	AUGUR_TERM_KM,  /* k*m: reading the im2col matrix */
	AUGUR_TERM_NM,  /* n*m: writing the output */
	AUGUR_TERM_ONE, /* per-call overhead */
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
	struct augur_validity range;
	double min_ms; /* floor: a prediction never goes below the fastest call measured */
};

/* Predicted milliseconds for one call of an [n x k] . [k x m] GEMM: at least min_ms, also
 * outside the calibrated range where a region's linear form goes negative. INFINITY when
 * the form overflows a double (coefficients beyond the profile bounds), so a caller
 * reports it instead of printing it; never NaN. */
double augur_timemodel_predict(const struct augur_timemodel *tm, uint64_t n, uint64_t k,
                               uint64_t m);

/* Whether (n, k, m) lies inside the calibrated range. */
bool augur_timemodel_in_range(const struct augur_timemodel *tm, uint64_t n, uint64_t k, uint64_t m);

/* Predicted milliseconds for all g->count calls of a layer's GEMM; *outside (may be NULL)
 * is set when its shape is outside the calibrated range. */
double augur_gemm_time_ms(const struct augur_timemodel *tm, const struct augur_gemm *g,
                          bool *outside);

/* The index into tm->regions of the region holding (n, m). */
size_t augur_timemodel_region(const struct augur_timemodel *tm, uint64_t n, uint64_t m);

/* The value of each term for (n, k, m), in enum augur_term order. */
void augur_term_values(uint64_t n, uint64_t k, uint64_t m, double v[AUGUR_TERM_COUNT]);

/* "nkm", "nk", "km", "nm", "one": the names profiles use for terms. */
const char *augur_term_name(enum augur_term t);

#endif
