/* Fitting GEMM time models to timing samples: weighted least squares (weights 1/t^2, so the
 * fit minimises relative error) over the model's terms, piecewise over regions along n and
 * m whose breakpoints are either given or chosen by cross-validated relative error. A
 * sample may be one GEMM or a sum of several (a network's published CONV time). */
#ifndef AUGUR_FIT_H
#define AUGUR_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample.h"
#include "status.h"
#include "timemodel.h"

struct augur_fit_options {
	uint32_t term_mask; /* terms to fit (bit t for enum augur_term); 0 means all */
	bool fixed_breaks;  /* use breaks_n/breaks_m below instead of searching */
	uint32_t n_breaks_n, n_breaks_m;
	uint64_t breaks_n[AUGUR_MODEL_MAX_BREAKS];
	uint64_t breaks_m[AUGUR_MODEL_MAX_BREAKS];
	uint32_t max_breaks_n, max_breaks_m; /* search limits, at most AUGUR_MODEL_MAX_BREAKS */
	uint32_t folds;         /* cross-validation folds for the breakpoint search (>= 2) */
	double min_gain;        /* a breakpoint is kept when it cuts the CV error by this
	                           fraction (0.03 = 3%) */
	bool nonneg;            /* coefficients >= 0 (terms that would go negative are dropped
	                           from their region) */
	uint32_t max_outliers;  /* training samples that may be dropped as outliers */
	double outlier_rel_err; /* ... when their relative residual exceeds this and 5 times
	                           the median residual */
	struct augur_direct_path direct; /* the library's direct path: its calls are fitted
	                                    as a region of their own (zero: none) */
};

/* Defaults: all terms, search up to 2 breaks per axis with 5 folds, min_gain 0.03,
 * nonneg, up to 4 outliers above 15%, no direct path. */
void augur_fit_options_init(struct augur_fit_options *opt);

/* Fits a model to the samples whose held_out is false and measures it on those whose
 * held_out is true. opt may be NULL (defaults). On success *out holds the model (range
 * and min_ms from the training samples) and *q (may be NULL) its quality; q->n_dropped
 * tells how many outliers were left out. Fails with AUGUR_E_NUMERIC (a non-positive or
 * non-finite time, fewer samples than coefficients, a singular system) or AUGUR_E_USAGE
 * (bad options), filling diag (path "fit", no line). */
int augur_fit_model(const struct augur_sample *s, size_t n, const struct augur_fit_options *opt,
                    struct augur_timemodel *out, struct augur_fit_quality *q,
                    struct augur_diag *diag);

/* The weighted least-squares core every fit here shares: coef (cols entries) minimising
 * sum_i ((t_i - x_i . coef) / t_i)^2 over the nrows x cols row-major design x, i.e. relative
 * error. Columns that are zero everywhere get 0. With nonneg, a coefficient that would go
 * negative is dropped (set to 0) and the rest refitted, most negative first. Returns 0, or
 * -1 when a time is not positive and finite, the system is underdetermined or singular, or
 * memory runs out. */
int augur_fit_linear(const double *x, const double *t, size_t nrows, size_t cols, bool nonneg,
                     double *coef);

#endif
