/* Per-layer and whole-network figures of a traced network: shapes, parameters, MACs,
 * FLOPs, GEMMs and the three memory views. augur_analyze runs the pipeline
 * trace -> counts -> memory over a network; estimators and reports only read the result. */
#ifndef AUGUR_ANALYSIS_H
#define AUGUR_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"
#include "status.h"

/* Activations, weights and workspaces are float32 throughout, as in the paper's Caffe. */
#define AUGUR_BYTES_PER_VALUE 4u

/* One GEMM shape in the paper's notation, [n x k] . [k x m], performed count times. */
struct augur_gemm {
	uint64_t n, k, m, count;
	bool fc_layout; /* batch x inputs . weights^T (an fc layer); conv's W . columns otherwise */
};

struct augur_layer_stats {
	struct augur_shape in;  /* the first input's shape */
	struct augur_shape out; /* per image */
	uint64_t params;        /* learned values: weights, biases, scale's gamma and beta */
	uint64_t stats;         /* batchnorm running mean and variance: held, not learned */
	uint64_t macs;          /* multiply-accumulates, whole batch */
	uint64_t flops;         /* the paper's FLOPs convention, whole batch (see docs) */
	struct augur_gemm gemm; /* count == 0 when the layer performs no GEMM */
	uint64_t out_bytes;     /* output blob, whole batch */
	uint64_t workspace_paper_bytes; /* conv: one group's im2col matrix k*m (Table 4) */
	uint64_t workspace_bytes;       /* conv: full im2col buffer, 0 for 1x1/stride 1/pad 0 */
	uint32_t readers;               /* layers that read this layer's output */
	uint32_t last_reader;           /* index of the last of them (self when none) */
	bool in_place;                  /* allocated view: writes into its input, holds no blob */
	bool once;           /* one blob for the whole batch (SSD's priors), not one per image */
	uint64_t live_bytes; /* minimal view: activation bytes live while it runs */
};

/* The three memory views of docs/descriptors.md ("Memory views"), in bytes. */
struct augur_memory {
	/* paper view: reproduces the paper's Table 4 */
	uint64_t paper_weights;   /* conv and fc weights and biases */
	uint64_t paper_data;      /* every blob incl. input and in-place ones, plus split copies */
	uint64_t paper_workspace; /* sum of per-group im2col matrices of all conv layers */
	/* allocated view: what an im2col framework (Caffe) holds */
	uint64_t alloc_params, alloc_stats, alloc_data, alloc_workspace, alloc_total;
	/* minimal view: peak over execution order, blobs freed after their last reader */
	uint64_t min_weights;   /* every layer's params and stats, resident */
	uint64_t min_workspace; /* one buffer of the largest layer's need */
	uint64_t min_data_peak; /* activation bytes at the peak */
	uint64_t min_total;     /* weights + workspace + data peak */
	size_t min_peak_layer;  /* the layer running at the peak */
};

struct augur_totals {
	uint32_t layers;
	uint64_t params, stats, macs, flops, gemm_calls, out_bytes;
};

struct augur_analysis {
	uint32_t batch;
	size_t n_layers, cap_layers;
	struct augur_shape input;
	uint64_t input_bytes; /* the network input blob, whole batch */
	uint32_t input_readers;
	struct augur_layer_stats *layers;
	struct augur_totals by_type[AUGUR_LAYER_TYPE_COUNT];
	struct augur_totals total;
	struct augur_memory memory;
	int64_t *scratch; /* minimal view's sweep, cap_layers + 1 entries */
};

/* Traces and analyses net at the given batch (0 = the descriptor's own). Returns a new
 * analysis in *out (free with augur_analysis_free), or a negative status with a located
 * diagnostic (AUGUR_E_SHAPE, AUGUR_E_OVERFLOW, AUGUR_E_NOMEM). */
int augur_analyze(const struct augur_net *net, uint32_t batch, struct augur_analysis **out,
                  struct augur_diag *diag);

/* Re-analyses into an existing analysis, reusing its buffers (no allocation when it already
 * has room for net's layers): the path what-if sweeps take. */
int augur_analyze_into(const struct augur_net *net, uint32_t batch, struct augur_analysis *a,
                       struct augur_diag *diag);

/* The first step of augur_analyze_into: resolves batch (0 = the network's, or 1), checks it
 * and the input blob's size, and sets a->batch, a->input and a->input_bytes. */
int augur_analyze_input(const struct augur_net *net, uint32_t batch, struct augur_analysis *a,
                        struct augur_diag *diag);

/* One step of augur_analyze_into: traces and counts layer i of net into a->layers[i] from the
 * output shapes of earlier layers there, at batch (already resolved, >= 1). Readers, totals
 * and memory views are left alone. For incremental re-analysis (incremental.h). */
int augur_analyze_layer(const struct augur_net *net, size_t i, uint32_t batch,
                        struct augur_analysis *a, struct augur_diag *diag);

/* Adds a layer's counts to a totals record; true when a total would pass 64 bits (an
 * error: augur_analyze reports the network as too large). */
bool augur_totals_add(struct augur_totals *t, const struct augur_layer_stats *s);

void augur_analysis_free(struct augur_analysis *a);

/* Elements of a shape (c*h*w), with overflow reported as false. */
bool augur_shape_elems(const struct augur_shape *s, uint64_t *out);

#endif
