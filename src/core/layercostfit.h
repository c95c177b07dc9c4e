/* Fitting layer cost models from measured rows (layer times of a framework): the fitting
 * wing's half of layercost.h. Only fitters include this header. */
#ifndef AUGUR_LAYERCOSTFIT_H
#define AUGUR_LAYERCOSTFIT_H

#include <stdbool.h>
#include <stddef.h>

#include "layercost.h"
#include "status.h"

/* One measured row: a single layer, or the sum over a network's layers of one type. */
struct augur_cost_row {
	enum augur_layer_type type;
	bool aggregate;
	double f[AUGUR_FEAT_COUNT];
	double time_ms;
};

/* Fits every type that has rows: weighted (1/t^2) non-negative least squares over the
 * type's features (augur_layer_cost_features for the framework the rows were measured
 * in, named framework, NULL: none of the framework-specific features; cache_terms: its
 * facts say cache_terms, augur_framework_cache_terms; conv_direct: its convolutions are
 * direct, augur_framework_conv_direct; fault_ms_per_mib: the machine's measured cost of a
 * page fault per MiB, which every type's fresh_bytes then pays instead of a fitted one,
 * or NAN to fit it from conv's rows), reduced to one
 * feature when the rows are too few to identify more. Types without rows keep whatever
 * out already holds. Fails with AUGUR_E_NUMERIC when a fit is impossible (diag names the
 * type). */
int augur_layer_costs_fit(const struct augur_cost_row *rows, size_t n, const char *framework,
                          bool cache_terms, bool conv_direct, double fault_ms_per_mib,
                          struct augur_layer_costs *out, struct augur_diag *diag);

#endif
