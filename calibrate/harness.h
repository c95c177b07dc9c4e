/* The calibration harness: plans a set of GEMM shapes (the paper's (n, k, m) grid, fc
 * shapes and a held-out set of real networks' GEMMs), times each on a processing unit
 * within a time budget, fits the unit's time model and reports how well it predicts the
 * held-out shapes. Never prints: progress goes through a callback, results into structs. */
#ifndef AUGUR_HARNESS_H
#define AUGUR_HARNESS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fit.h"
#include "profile.h"
#include "status.h"

struct augur_cal_shape {
	uint64_t n, k, m;
	bool fc;           /* fc layout (m is the batch) */
	bool held_out;     /* validation only */
	const char *label; /* static text or NULL */
};

struct augur_cal_progress {
	size_t index, total; /* the shape about to be measured (0-based), shapes planned */
	const struct augur_cal_shape *shape;
	double elapsed_s, eta_s; /* eta_s: estimated seconds left */
};

struct augur_cal_options {
	enum augur_unit_kind unit;
	uint32_t threads;       /* BLAS threads (cpu); 0: the library's default */
	bool quick;             /* the quick plan and shorter timing */
	double budget_s;        /* measuring time budget; 0: 90 s (quick: 14 s) */
	double min_time_ms;     /* each trial repeats the call at least this long; 0: 40 (quick
	                           15) */
	uint32_t trials;        /* trials per shape (median taken); 0: 5 */
	double noisy_spread;    /* (max - min) / median above which a shape is re-measured; 0:
	                           0.15 */
	uint32_t max_remeasure; /* re-measurements of a noisy shape */
	const struct augur_cal_shape *shapes; /* NULL: the built-in plan */
	size_t n_shapes;
	volatile sig_atomic_t *stop; /* set (e.g. by SIGINT) to stop between trials */
	void (*progress)(const struct augur_cal_progress *p, void *ctx);
	void *progress_ctx;
	const struct augur_fit_options *fit; /* NULL: augur_fit_options_init's defaults */
};

struct augur_cal_result {
	size_t planned, measured, skipped, remeasured, still_noisy;
	double measure_s, fit_s;
	double gflops_best;          /* fastest GEMM throughput seen */
	bool interrupted;            /* stopped by opt->stop: the unit is not fitted */
	char skipped_what[512];      /* what the budget made the harness skip */
	double heldout_measured_ms;  /* sum over held-out shapes of their measured time */
	double heldout_predicted_ms; /* ... and of the fitted model's prediction */
	size_t heldout_outside;      /* held-out shapes outside the calibrated range */
};

/* Sets opt to the defaults for unit (full plan; set quick for the quick one). */
void augur_cal_options_init(struct augur_cal_options *opt, enum augur_unit_kind unit);

/* The tiny plan (augur calibrate --grid tiny), for tests of the tool itself: 16 small
 * conv shapes and 2 held-out ones, 3 trials of 2 ms each, a 10 s budget; about a second.
 * Its model is valid only for n 32..128, k 64..256, m 49..196: not for real predictions.
 * Sets opt's shapes, timing and budget; the caller may change them afterwards. */
void augur_cal_options_tiny(struct augur_cal_options *opt);

/* The built-in plan: *n shapes (static storage). quick selects the subset. */
const struct augur_cal_shape *augur_cal_plan(bool quick, size_t *n);

/* Measures and fits. On success *unit (caller frees with augur_unit_free) holds the
 * library, processor, threads, every sample measured and, unless res->interrupted, the
 * fitted model and its quality. Fails with AUGUR_E_USAGE (no such unit: no GPU, no CUDA),
 * AUGUR_E_NOMEM, AUGUR_E_IO (a BLAS call failed) or the fit's errors, filling diag. */
int augur_calibrate(const struct augur_cal_options *opt, struct augur_unit **unit,
                    struct augur_cal_result *res, struct augur_diag *diag);

#endif
