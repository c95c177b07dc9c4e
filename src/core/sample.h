/* Timing samples and how well a GEMM model predicts them. A sample is one measured GEMM
 * or the sum of several (a network's published CONV time); profiles store them, the
 * fitter fits models to them, and a model's quality is measured on them. Evaluating a
 * model is prediction, not fitting: readers and predictors may use this module. */
#ifndef AUGUR_SAMPLE_H
#define AUGUR_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "timemodel.h"

/* One timing sample. A single GEMM has n_gemms == 1; an aggregate row (e.g. a network's
 * summed CONV time from a published table) lists every GEMM it sums. */
struct augur_sample_gemm {
	uint64_t n, k, m, count;
};

struct augur_sample {
	double time_ms; /* median over trials, for all gemms together */
	double spread;  /* relative spread of the trials (e.g. (p90 - p10) / median) */
	bool held_out;  /* validation only: never used for fitting */
	char *label;    /* optional: "vgg16 conv" for aggregate rows; NULL otherwise */
	size_t n_gemms;
	struct augur_sample_gemm *gemms; /* n_gemms entries (owned) */
	bool fc_layout; /* measured as an fc layer (batch x inputs . weights^T); conv otherwise */
};

struct augur_fit_quality {
	double train_median_rel_err;   /* |pred - t| / t over fitted samples */
	double heldout_median_rel_err; /* over held-out samples; NAN when there are none */
	double heldout_max_rel_err;
	size_t n_train, n_heldout;
	size_t n_dropped; /* training samples left out of the fit as outliers */
};

/* Frees what a sample owns (label, gemms) and zeroes it. */
void augur_sample_clear(struct augur_sample *s);

/* Predicted time of a sample (sum over its GEMMs of count * prediction). */
double augur_sample_predict(const struct augur_timemodel *tm, const struct augur_sample *s);

/* |predicted - measured| / measured for one sample. */
double augur_sample_rel_err(const struct augur_timemodel *tm, const struct augur_sample *s);

/* The most GEMM calls one layer (gemm entry) of an aggregate sample (n_gemms > 1) makes;
 * 0 when no sample is an aggregate. */
uint64_t augur_samples_max_aggregate_calls(const struct augur_sample *s, size_t n);

/* Fills q's error fields by evaluating tm on the samples (held_out decides the set);
 * n_dropped is left as it is. */
void augur_fit_evaluate(const struct augur_timemodel *tm, const struct augur_sample *s, size_t n,
                        struct augur_fit_quality *q);

#endif
