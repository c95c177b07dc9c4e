/* Fitting a profile from layer times: turning a layer-times file's rows (layertimes.h)
 * into GEMM samples, layer-cost rows and a framework memory overhead, and fitting a
 * profile's units to them (augur fit --layer-times). Part of the fitting wing: readers
 * and predictors never include it. */
#ifndef AUGUR_PROFILEFIT_H
#define AUGUR_PROFILEFIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layercostfit.h"
#include "layertimes.h"
#include "net.h"
#include "profile.h"
#include "sample.h"
#include "status.h"

/* Loads the network a row names: NAME.yaml / a path relative to the layer-times file, else
 * descriptors/NAME.yaml of the source tree. */
int augur_layer_times_network(const struct augur_layer_times *lt, const char *network,
                              uint32_t line, uint32_t col, struct augur_net **out,
                              struct augur_diag *diag);

/* Builds the aggregate GEMM samples of every row for (board, unit): one sample per row and
 * per GEMM layer type (conv, fc) the row times, labelled "alexnet conv". *out is a new
 * array of *n samples (free each with augur_sample_clear, then the array). */
int augur_layer_times_samples(const struct augur_layer_times *lt, const char *board,
                              enum augur_unit_kind unit, struct augur_sample **out, size_t *n,
                              struct augur_diag *diag);

/* Framework overhead for (board, unit): the median over memory rows of measured memory
 * minus what augur predicts without overhead (the memory view lt's framework follows,
 * augur_framework_model_bytes; plus the second copy of the weights for a GPU on shared
 * memory when weights_copied). With at least three rows of networks with convolutions and
 * three without, two: *overhead_bytes the median over the first, *overhead_without_conv_bytes
 * the median over the second weighted by 1/peak (the value minimising the rows' relative
 * error); else one median over all and *overhead_without_conv_bytes 0. Returns
 * AUGUR_E_USAGE when no row has that unit; *rows_used tells how many rows it used.
 * page_bytes: the machine's page, for the heap view (0: 4 KiB). */
int augur_layer_times_overhead(const struct augur_layer_times *lt, const char *board,
                               enum augur_unit_kind unit, bool shared_memory, bool weights_copied,
                               uint64_t page_bytes, uint64_t *overhead_bytes,
                               uint64_t *overhead_without_conv_bytes, size_t *rows_used,
                               struct augur_diag *diag);

/* What timing one layer in context adds to its time, in ms, from the rows of (board,
 * unit) that give per-layer times, a timed forward pass and their sum: the median over
 * networks of fast layers (under 10 us each) of (layer-wise sum - forward pass) per
 * layer; 0 when fewer than three such networks or their median is not above 0. Measured:
 * PyTorch's in-context timer (a clock read and a getrusage call per layer) adds 0.12-0.40
 * us per layer on a Xeon guest, 10% of kws's 18 us pass. 0 or AUGUR_E_NOMEM. */
int augur_layer_times_timer_ms(const struct augur_layer_times *lt, const char *board,
                               enum augur_unit_kind unit, double *timer_ms);

/* Builds the layer-cost rows for (board, unit) (layercost.h), features computed with the
 * board's thresholds th (augur_profile_thresholds): one per layer of every row
 * that has per-layer times, and one per non-GEMM layer type of every row that has only
 * per-type sums whose layer-wise total agrees with its timed forward pass within 10% (on
 * the paper's GPUs the layer-wise sums are inflated by per-layer synchronisation: 673 ms
 * against a 149 ms forward pass for ResNet-50 on the TK1). gemm predicts the GEMM
 * feature; each layer's time less augur_layer_times_timer_ms (at most half of it off),
 * what it takes in an untimed pass. *out is a new array of *n rows (free it). */
int augur_layer_times_cost_rows(const struct augur_layer_times *lt, const char *board,
                                enum augur_unit_kind unit, const struct augur_timemodel *gemm,
                                const struct augur_thresholds *th, struct augur_cost_row **out,
                                size_t *n, struct augur_diag *diag);

/* Creates a profile for a board the file describes under 'boards:' (facts, shared memory,
 * framework caffe, a cpu and a gpu unit when rows exist for them), then fits it as
 * augur_profile_fit_layer_times does. *out is freed with augur_profile_free. */
int augur_profile_from_layer_times(const struct augur_layer_times *lt, const char *board,
                                   struct augur_profile **out, struct augur_diag *diag);

/* Refits every unit of p from the file's rows for board p->name, after taking the file's
 * framework (when it names one) as p's. Rows with per-type sums
 * only (the paper's tables): the GEMM model from the conv and fc aggregate samples (terms
 * n*k*m, n*k and 1; a GPU model split at the n breakpoints the file gives for the board),
 * replacing the unit's samples. Rows with per-layer times (a real framework measured on
 * this board): the unit keeps its calibrated GEMM model, which must exist. Then in both
 * cases the layer costs from augur_layer_times_cost_rows, and the framework overhead from
 * the memory rows. */
int augur_profile_fit_layer_times(struct augur_profile *p, const struct augur_layer_times *lt,
                                  struct augur_diag *diag);

/* How p's cpu layer costs predict networks they were not fitted on: lt's networks with
 * per-layer rows for p->name are dealt into folds (a network's rows together, in the order
 * they first appear), and each fold's rows are predicted by costs fitted to the other
 * folds' rows as augur_profile_fit_layer_times fits them (p's GEMM model and framework).
 * Cheaper and steadier than a few held-out networks: every fit network is held out once. */
struct augur_crossval {
	size_t folds;        /* 0: too few networks (under 2 per fold) or no cpu unit */
	size_t networks;     /* rows predicted */
	size_t within_10;    /* of them, within 10% of their forward time */
	double median_error; /* of |predicted / measured - 1| */
	double time_error;   /* sum of |predicted - measured| over sum of measured: the error
	                        of the networks' total time, which the large ones carry */
};

/* Cross-validates with folds folds (at least 2) into out. p is left as it was (its costs,
 * overheads); fails with a fold's fit or estimate error, or AUGUR_E_NOMEM. */
int augur_profile_crossval(struct augur_profile *p, const struct augur_layer_times *lt,
                           size_t folds, struct augur_crossval *out, struct augur_diag *diag);

/* The fewest fit networks (rows with a forward time) a pass scale is fitted on: two
 * coefficients from fewer would follow one disturbed measurement. */
#define AUGUR_PASS_SCALE_MIN_NETWORKS 12

/* The most cache sizes augur_profile_choose_llc cross-validates (a 1 MiB knee to a VM's
 * reported 480 MiB L3 is 18). */
#define AUGUR_LLC_CANDIDATES 24

/* The last-level cache size chosen for p's layer-cost model by cross-validation. */
struct augur_llc_choice {
	uint64_t measured;                 /* the size the model used before (the knee) */
	uint64_t chosen;                   /* 0: nothing chosen (too few networks), p unchanged */
	size_t tried;                      /* sizes cross-validated */
	struct augur_crossval at_measured; /* folds 0 when measured was not among them */
	struct augur_crossval at_chosen;
};

/* Cross-validated errors of the networks' total time within this fraction of the best
 * are ties (AUGUR_LLC_TIE: 0.02 is 0.0508 against 0.0518). */
#define AUGUR_LLC_TIE 0.02

/* Which of n cache sizes (cross-validated as cv[i]; folds 0: not measured) the layer
 * costs use: the largest whose error of the networks' total time (time_error) ties the
 * lowest. The size moves the large passes' times, and the time error is theirs; a count of
 * networks is mostly the fit set's many small ones, whose errors are noise to this choice
 * (over 17 campaigns of one guest the time error chose sizes that put 712 of 884 held-out
 * networks within 10%, the count 702, the measured knee 673). Among ties the largest: a
 * neighbour's load during the campaign only makes the cache look smaller, and over the 18
 * stored runs of two Xeon guests (bench/runs) the largest tie put 4384 and 4379's
 * held-out networks within 10% five and one more times than the lowest error did, and no
 * run's fewer (docs/model.md). SIZE_MAX when no size was measured. */
size_t augur_llc_pick(const uint64_t *sizes, const struct augur_crossval *cv, size_t n);

/* Chooses the last-level cache size p's layer costs describe best: each size of
 * augur_cache_ladder from the measured knee (a lower bound: a neighbour's load only makes
 * it look smaller; without one, a quarter of the reported cache) to the reported cache
 * (an upper bound; without one, four times the knee), and the measured size itself, is
 * cross-validated on lt (augur_profile_crossval, folds folds); the one augur_llc_pick
 * picks (the largest whose total-time error ties the lowest) becomes
 * p->machine.llc_fitted_bytes, and p is refitted to lt with it.
 * A size whose fit fails is passed over; when every size fails, p is as it was and the
 * first failure is returned. Too few networks: out->chosen 0 and p unchanged. The
 * threshold is one number chosen from about a dozen, so at_chosen reads a little high as
 * a measure of accuracy. */
int augur_profile_choose_llc(struct augur_profile *p, const struct augur_layer_times *lt,
                             size_t folds, struct augur_llc_choice *out, struct augur_diag *diag);

#endif
