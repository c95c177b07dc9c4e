/* The estimator: predicted forward time and process memory of an analysed network on one
 * processing unit of a device profile. Time is the sum of per-layer predictions: a layer
 * type the profile has a cost model for (layercost.h) is costed whole; otherwise conv and
 * fc layers get the paper's method (their predicted GEMM time) and layers of any other
 * type are counted and named as not costed, never silently taken as free. Memory is the view
 * the profile's framework follows (allocated; minimal or heap for PyTorch) plus its overhead, plus
 * a second copy of the weights for a GPU run on memory shared with the CPU (the paper's
 * section 4.2).
 */
#ifndef AUGUR_ESTIMATE_H
#define AUGUR_ESTIMATE_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis.h"
#include "net.h"
#include "layercost.h"
#include "profile.h"

struct augur_layer_estimate {
	double time_ms;                      /* predicted time of this layer (0 when not costed) */
	double split_ms[AUGUR_COST_CLASSES]; /* time_ms by cost class: GEMM, memory, other */
	bool costed;                         /* the profile models this layer's cost */
	bool whole;                          /* costed by a layer cost model, not GEMM only */
	bool outside_range;                  /* its GEMM lies outside the calibrated shapes */
	bool outside_costs;      /* a feature lies outside the data its cost model was fitted on */
	bool outside_calls;      /* more GEMM calls than any layer the GEMM model was fitted on */
	double faults_unsure_ms; /* of time_ms, the page faults of buffers the allocator may
	                            serve from its heap instead (augur_layer_fresh_bytes_unsure
	                            at the fitted fault rate) */
};

struct augur_unit_estimate {
	const struct augur_unit *unit;
	double gemm_ms;   /* GEMM work (the GEMM model's share of every layer) */
	double memory_ms; /* memory-bound work: im2col, streamed weights, element-wise layers */
	double other_ms;  /* per-call and per-layer framework costs */
	double total_ms;
	double type_ms[AUGUR_LAYER_TYPE_COUNT]; /* predicted time by layer type */
	uint32_t layers_uncosted;               /* layers whose cost is not modelled */
	uint32_t types_uncosted;                /* bit t set when a layer of type t is not costed */
	uint32_t gemms_outside_range;       /* layers whose GEMM is outside the calibrated range */
	uint32_t layers_outside_costs;      /* layers outside their cost model's fitted data */
	uint32_t layers_outside_calls;      /* layers making more GEMM calls than the model's
	                                       per-layer rows held (augur_unit.calls_fitted_max) */
	uint64_t calls_max;                 /* the most GEMM calls of such a layer */
	uint32_t layers_faults_unsure;      /* layers with faults_unsure_ms */
	double faults_unsure_ms;            /* their sum: total_ms may be that much high */
	uint32_t layers_gemm_only;          /* conv/fc layers costed by their GEMMs alone (no
	                                       cost model for their type) */
	bool whole_network;                 /* the profile has layer costs and every layer was
	                                       costed by one */
	double pass_scale;                  /* the factor the layer costs' times carry for the
	                                       pass's size (augur_pass_scale_factor; 1: none) */
	enum augur_memory_view memory_view; /* the view model_bytes is (the framework's) */
	uint64_t model_bytes;               /* that view: the allocated one (params, stats, data,
	                                       workspace), the minimal one (weights, one
	                                       workspace, the data live at the peak) or the
	                                       heap one (the most resident at once in a
	                                       simulated glibc heap: memory.h) */
	uint64_t overhead_bytes;            /* the framework's own memory (from the profile) */
	uint64_t weights_copy_bytes;        /* second copy of weights on a shared-memory GPU */
	uint64_t memory_bytes;              /* what the process needs: the three above */
	uint64_t memory_hole_bytes;         /* a process's peak may settle this much higher:
	                                       one more column buffer whose freed hole the
	                                       heap does not reuse (augur_heap_view) */
	uint64_t memory_high_bytes;         /* memory_bytes + memory_hole_bytes */
	uint64_t capacity_bytes; /* what the unit can use; 0 when the profile does not say */
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

/* The bytes net (analysed as a) holds in the memory view framework fw follows, with its
 * grouped convolutions' workspace and its LRN's temporaries as fw says (memory.h): what
 * estimate reports as the network's memory and what a measured peak's framework overhead
 * is fitted against. page_bytes: the machine's page (the heap view counts resident pages;
 * 0: 4 KiB). *hole_bytes (when not NULL): how much higher a process's peak may settle
 * in the heap view (augur_heap_view.hole_bytes; 0 in the others). Fails only with
 * AUGUR_E_NOMEM. */
int augur_framework_model_bytes(const struct augur_net *net, const struct augur_analysis *a,
                                const struct augur_framework *fw, uint64_t page_bytes,
                                uint64_t *bytes, uint64_t *hole_bytes);

#endif
