/* The estimator: predicted forward time and process memory of an analysed network on one
 * processing unit of a device profile. Time is the paper's method (the sum of predicted
 * GEMM times of conv and fc layers); layers whose cost the profile does not model are
 * counted and named, never silently taken as free. Memory is the allocated view plus the
 * profile's framework overhead, plus a second copy of the weights for a GPU run on memory
 * shared with the CPU (the paper's section 4.2). */
#ifndef AUGUR_ESTIMATE_H
#define AUGUR_ESTIMATE_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis.h"
#include "net.h"
#include "profile.h"

struct augur_layer_estimate {
	double time_ms;     /* predicted time of this layer (0 when not costed) */
	bool costed;        /* the profile models this layer's cost */
	bool outside_range; /* its GEMM lies outside the calibrated shapes */
};

struct augur_unit_estimate {
	const struct augur_unit *unit;
	double gemm_ms;  /* conv and fc GEMMs */
	double other_ms; /* every other costed layer */
	double total_ms;
	double type_ms[AUGUR_LAYER_TYPE_COUNT]; /* predicted time by layer type */
	uint32_t layers_uncosted;               /* layers whose cost is not modelled */
	uint32_t types_uncosted;                /* bit t set when a layer of type t is not costed */
	uint32_t gemms_outside_range; /* layers whose GEMM is outside the calibrated range */
	uint64_t model_bytes;         /* allocated view: params, stats, data, workspace */
	uint64_t overhead_bytes;      /* the framework's own memory (from the profile) */
	uint64_t weights_copy_bytes;  /* second copy of weights on a shared-memory GPU */
	uint64_t memory_bytes;        /* what the process needs: the three above */
	uint64_t capacity_bytes;      /* what the unit can use; 0 when the profile does not say */
	bool fits;
	size_t n_layers;
	struct augur_layer_estimate *layers; /* n_layers entries, owned */
};

/* Estimates net (analysed as a) on unit u of profile p. Fills *out; the caller frees it
 * with augur_unit_estimate_clear. Fails with AUGUR_E_NOMEM or AUGUR_E_NUMERIC (a profile
 * whose model predicts a non-finite time). */
int augur_estimate_unit(const struct augur_net *net, const struct augur_analysis *a,
                        const struct augur_profile *p, const struct augur_unit *u,
                        struct augur_unit_estimate *out, struct augur_diag *diag);

/* Estimates layers [from, to) into out->layers (which holds a->n_layers entries), adds their
 * times and counts to out's totals, then sets total_ms and the memory figures. With out
 * zeroed but for unit, n_layers and layers, the range [0, n) is augur_estimate_unit; a
 * caller that kept a copy of out's totals after [0, from) (incremental re-analysis) gets
 * the same bytes from that copy plus [from, n). Fails like augur_estimate_unit; out is
 * then partly updated but still owned by the caller. */
int augur_estimate_range(const struct augur_net *net, const struct augur_analysis *a,
                         const struct augur_profile *p, const struct augur_unit *u, size_t from,
                         size_t to, struct augur_unit_estimate *out, struct augur_diag *diag);

void augur_unit_estimate_clear(struct augur_unit_estimate *e);

#endif
