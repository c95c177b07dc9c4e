/* Where to run each layer on a board with a CPU and a GPU (augur plan). From each unit's
 * estimate (augur_estimate_unit): the fastest single-unit plan; a per-layer split, each
 * layer on its faster unit, when the units share memory (a switch then moves no data); and,
 * when the network does not fit in the GPU's memory, the remedies Rallapalli et al.
 * measured on a TK1: the fc layers offloaded to the CPU and pipelined with the next frame's
 * conv layers on the GPU, and the largest fc layer's GEMM split into parts whose weights
 * are resident one at a time. Every formula is in docs/plan.md. */
#ifndef AUGUR_PLAN_H
#define AUGUR_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "estimate.h"
#include "net.h"
#include "profile.h"

enum augur_plan_kind {
	AUGUR_PLAN_CPU,        /* every layer on the cpu */
	AUGUR_PLAN_GPU,        /* every layer on the gpu */
	AUGUR_PLAN_SPLIT,      /* each layer on its faster unit (shared memory only) */
	AUGUR_PLAN_FC_OFFLOAD, /* remedy: layers from the first fc on, on the cpu, pipelined */
	AUGUR_PLAN_SPLIT_FC,   /* remedy: all on the gpu, the largest fc's GEMM in parts */
	AUGUR_PLAN_KIND_COUNT
};

/* One way of running the network. */
struct augur_plan_option {
	bool available;          /* applies to this network and profile (see the reasons) */
	double time_ms;          /* per frame at steady state: a pipeline's slower stage */
	double latency_ms;       /* one frame, start to end: the sum of the stages */
	uint64_t memory_bytes;   /* what it needs in the memory checked (see docs/plan.md) */
	uint64_t capacity_bytes; /* that memory's size; 0 when the profile does not say */
	bool fits;
};

/* Why an option is not available. */
enum augur_plan_reason {
	AUGUR_PLAN_OK,
	AUGUR_PLAN_NO_UNIT,       /* the profile lacks a unit the option needs */
	AUGUR_PLAN_NOT_SHARED,    /* split: CPU and GPU do not share memory */
	AUGUR_PLAN_GPU_FITS,      /* remedies: only offered when the GPU plan does not fit */
	AUGUR_PLAN_NO_FC,         /* remedies: the network has no fc layer */
	AUGUR_PLAN_CONV_AFTER_FC, /* offload: conv or pool layers follow the first fc */
	AUGUR_PLAN_FC_TOO_SMALL,  /* split fc: a GEMM with one input cannot be split */
	AUGUR_PLAN_REASON_COUNT
};

struct augur_plan {
	size_t n_layers;
	size_t n_units;
	struct augur_unit_estimate est[2];           /* per unit, cpu first; owned */
	const struct augur_unit_estimate *cpu, *gpu; /* into est, NULL when absent */
	struct augur_plan_option option[AUGUR_PLAN_KIND_COUNT];
	enum augur_plan_reason reason[AUGUR_PLAN_KIND_COUNT];
	enum augur_plan_kind single; /* fastest single-unit plan that fits, else fastest */
	enum augur_plan_kind best;   /* fastest option that fits, split fc only when no other
	                                does (its time leaves out reading the parts); none:
	                                AUGUR_PLAN_KIND_COUNT */

	/* per layer: the unit it runs on in the split (without a split: the single plan's) */
	enum augur_unit_kind *placement; /* n_layers entries, owned */
	uint32_t split_switches;         /* changes of unit along the execution order */
	uint32_t split_layers[2];        /* layers on the cpu, on the gpu */
	uint64_t split_copy_bytes;       /* weights of the gpu's layers held twice */

	/* fc offload: layers [offload_from, n) run on the cpu */
	size_t offload_from;
	double offload_gpu_ms, offload_cpu_ms; /* the two pipeline stages */
	uint64_t offload_gpu_bytes;            /* all but the cpu's weights, with overhead */
	uint64_t offload_cpu_bytes;            /* the weights of the cpu's layers */

	/* split fc: layer split_fc_layer's [n x k] . [k x m] GEMM as parts of k/P inputs */
	size_t split_fc_layer;
	uint32_t split_fc_parts;
	double split_fc_ms;              /* the parts' predicted GEMMs, summed */
	uint64_t split_fc_weights_bytes; /* the layer's weights and biases */
	uint64_t split_fc_part_bytes;    /* the largest part's weights and the biases */
};

/* Plans net (analysed as a) on profile p. fc_parts is the number of parts of the split-fc
 * remedy: 0 picks the fewest from 2 up that fit (Rallapalli et al.'s 4 when none does). Fills *out
 * (free with augur_plan_clear). Fails like augur_estimate_unit, or with AUGUR_E_USAGE when
 * fc_parts is 1 or exceeds the inputs of the fc layer it splits. */
int augur_plan_make(const struct augur_net *net, const struct augur_analysis *a,
                    const struct augur_profile *p, uint32_t fc_parts, struct augur_plan *out,
                    struct augur_diag *diag);

void augur_plan_clear(struct augur_plan *plan);

/* "cpu", "gpu", "split", "fc-offload", "split-fc": names in augur plan's output. */
const char *augur_plan_kind_name(enum augur_plan_kind kind);

/* A short phrase for a reason, e.g. "CPU and GPU do not share memory". */
const char *augur_plan_reason_text(enum augur_plan_reason reason);

#endif
