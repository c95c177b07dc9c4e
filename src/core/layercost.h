/* Per-layer cost models: the time of every layer, not only its GEMM. A layer's predicted
 * time is linear in a few features of the layer (its predicted GEMM time, the bytes its
 * im2col copy writes, the bytes it reads and writes, its pooling-window reads, the weights
 * it streams, and per-call and per-layer constants), with non-negative coefficients per
 * layer type fitted from per-layer times measured in the target framework
 * (docs/model.md). The GEMM model stays the paper's; these models add what it leaves out:
 * im2col copies, memory-bound fc layers at small batch, pooling, normalisation,
 * element-wise layers and the framework's per-call overhead. */
#ifndef AUGUR_LAYERCOST_H
#define AUGUR_LAYERCOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "memory.h"
#include "net.h"
#include "status.h"
#include "timemodel.h"

/* An fc row shorter than this many values (4 KiB of floats) streams from memory at about
 * half the rate of longer ones in a matrix-vector product (param_bytes_short) */
#define AUGUR_SHORT_ROW_VALUES 1024

enum augur_feature {
	AUGUR_FEAT_GEMM_MS,      /* the GEMM model's predicted time of the layer's GEMMs */
	AUGUR_FEAT_GEMM_CALLS,   /* GEMM calls (groups x batch): per-call overhead */
	AUGUR_FEAT_IM2COL_BYTES, /* bytes the im2col copy writes (0 for a direct 1x1 conv) */
	AUGUR_FEAT_IN_BYTES,     /* bytes read from the layer's inputs */
	AUGUR_FEAT_OUT_BYTES,    /* bytes written to its output */
	AUGUR_FEAT_WINDOW,       /* window reads: outputs x window (max pool), x size (lrn) */
	AUGUR_FEAT_WINDOW_AVG,   /* window reads of an average pool (a third of max's cost in
	                            PyTorch, which also records max's indices); a global pool
	                            reads its input once (in_bytes) */
	AUGUR_FEAT_PARAM_BYTES,  /* weights and statistics read */
	AUGUR_FEAT_FRESH_BYTES,  /* buffers so large the allocator maps fresh pages on every
	                            call (above fresh_buffer_bytes: glibc's highest mmap
	                            threshold, 32 MiB): one page fault per page touched */
	AUGUR_FEAT_IM2COL_STRIDED_BYTES,    /* im2col bytes again when the window moves by more
	                                       than one column: PyTorch (and Caffe) then gather
	                                       value by value instead of copying rows */
	AUGUR_FEAT_IM2COL_DILATED_BYTES,    /* im2col bytes again for a dilated window (PyTorch's
	                                       separate dilated-conv im2col, value by value) */
	AUGUR_FEAT_PARAM_BYTES_4K,          /* an fc layer's weights when its rows are whole 4 KiB
	                                       (k a multiple of 1024): they stream at about half
	                                       the speed (cache-set conflicts, as the GEMM model's
	                                       nk_4k term) and apart from param_bytes */
	AUGUR_FEAT_PARAM_BYTES_STREAMED,    /* an fc layer's weights above
	                                       streamed_weight_bytes, rows not 4 KiB */
	AUGUR_FEAT_PARAM_BYTES_4K_STREAMED, /* the same with rows of whole 4 KiB */
	AUGUR_FEAT_WINDOW_STRIDED,          /* a max pool's window reads again when the window
	                                       moves by more than one value: neighbouring windows
	                                       no longer share their rows in cache */
	AUGUR_FEAT_NARROW_GEMM_BYTES,       /* a conv GEMM's column matrix when few filters read
	                                       it (n < narrow_gemm_n) and it outgrows the
	                                       caches: streamed from memory, not hidden behind
	                                       the arithmetic (augur_narrow_gemm_bytes) */
	AUGUR_FEAT_FIRST_FC,                /* 1 for a pass's first fc layer: the layers before
	                                       it have pushed the framework's fc code path out
	                                       of the caches (augur_first_fc) */
	AUGUR_FEAT_COLD_PASS,               /* per layer, 0 to 1: how far one forward pass
	                                       outgrows the caches (augur_pass_cold); the
	                                       framework's code and the layer's data are then
	                                       fetched from memory on every pass */
	AUGUR_FEAT_PARAM_BYTES_COLD,        /* param_bytes times cold_pass: in a pass that
	                                       fits the caches an fc layer's weights are still
	                                       there from the pass before and cost only the
	                                       smaller param_bytes rate (rows of whole 4 KiB
	                                       keep param_bytes_4k for both: sharing this rate
	                                       put AlexNet's fc8 20% high) */
	AUGUR_FEAT_IM2COL_BYTES_COLD,       /* im2col_bytes times cold_pass: a column buffer
	                                       the pass has evicted is written to memory, not
	                                       to cache (MobileNetV2's depthwise layers ran 3x
	                                       their time alone in augur's runtime) */
	AUGUR_FEAT_DATA_BYTES_COLD,         /* in_bytes + out_bytes times cold_pass: the same
	                                       for the blobs a layer reads and writes */
	AUGUR_FEAT_PLANES,                  /* channels x batch of a pooling, normalisation
	                                       or scale layer: a runtime that loops plane by
	                                       plane pays per plane (GoogLeNet's 3x3 pools on
	                                       832 x 7 x 7 maps ran at 4x their window cost) */
	AUGUR_FEAT_PARAM_BYTES_4K_COLD,     /* param_bytes_4k times cold_pass, for a runtime
	                                       that holds every blob: its fc weights with 4 KiB
	                                       rows come from memory in a cold pass too
	                                       (AlexNet's fc8 ran 40% over the warm rate) */
	AUGUR_FEAT_OUT_BYTES_LEAKY,         /* out_bytes of a leaky relu: a select per value,
	                                       not a max (YOLO's leaky layers ran 3-4x a
	                                       plain relu of the same size) */
	AUGUR_FEAT_DATA_BYTES_SPILLED,      /* of what a memory-bound layer reads and writes
	                                       (in_bytes + out_bytes), the part beyond half the
	                                       core's L2 (th->core_cache_bytes): fetched from
	                                       the shared cache or memory, not from L2 (augur's
	                                       relu ran at 27 ns/KiB up to 512 KiB blobs and
	                                       54-95 at 2-8 MiB on a 2 MiB L2) */
	AUGUR_FEAT_DATA_BYTES_SPILLED_LLC,  /* the same beyond an eighth of the last-level cache
	                                       (th->pass_cached_bytes) */
	AUGUR_FEAT_IN_BYTES_AFTER_GEMM,     /* in_bytes of inputs a conv, fc or deconv layer
	                                       wrote, beyond th->core_cache_bytes: a GEMM
	                                       leaves a large output out of the core's caches
	                                       (augur's relu after a conv ran at 70-140 ns/KiB,
	                                       after a scale of the same blob 33-57) */
	AUGUR_FEAT_GLOBAL_READS,            /* in_bytes of a global pool in augur's runtime, a
	                                       reduction apart from a window pool's reads
	                                       (with one running sum per plane it ran at
	                                       120-200 ns/KiB against 85-105; the runtime now
	                                       sums in 16 lanes, and the fit finds its rate) */
	AUGUR_FEAT_IN_BYTES_FRESH,          /* in_bytes of inputs a loop layer wrote into a buffer
	                                       of its own (an eltwise, concat or pool: not in
	                                       place, no GEMM), beyond a quarter of
	                                       th->core_cache_bytes; for
	                                       augur's relu, whose input after an element-wise
	                                       sum arrives at memory speed (relu after eltwise
	                                       was predicted 36-55% low in seven held-out runs,
	                                       after this feature -26% to +6%) */
	AUGUR_FEAT_WRITER_EVICTED,          /* 0 to 1: how far the layer that wrote this one's
	                                       input evicted the caches with what else it
	                                       touched (augur_writer_evicted); this layer's
	                                       call path is then fetched from memory (PyTorch:
	                                       a relu of 16 KiB after a 64 MiB fc took 52-64 us,
	                                       after a small one 1 us) */
	AUGUR_FEAT_WARM_PASS,               /* per layer, 0 to 1: how far the pass outgrows
	                                       the core's own cache while the last-level
	                                       cache still holds it (augur_pass_warm): in
	                                       augur's runtime its layers then find their
	                                       data in the LLC, not in L2; in PyTorch an fc
	                                       call no longer finds its code path there */
	AUGUR_FEAT_PARAM_BYTES_WARM,        /* param_bytes times warm_pass */
	AUGUR_FEAT_IM2COL_BYTES_WARM,       /* im2col_bytes times warm_pass */
	AUGUR_FEAT_DATA_BYTES_WARM,         /* in_bytes + out_bytes times warm_pass */
	AUGUR_FEAT_PARAM_BYTES_4K_WARM,     /* param_bytes_4k times warm_pass */
	AUGUR_FEAT_IM2COL_ROWS,             /* the rows the im2col copy writes (one per input
	                                       channel, kernel tap and output row, per image):
	                                       augur's runtime copies row by row, about 4 ns
	                                       each beyond the bytes */
	AUGUR_FEAT_DIRECT_MACS,             /* a direct (oneDNN) conv's multiply-adds with its
	                                       input and output channels per group rounded up
	                                       to the SIMD block it computes in (conv_block):
	                                       what its kernels really run */
	AUGUR_FEAT_DIRECT_DW_MACS,          /* a direct depthwise conv's multiply-adds (one
	                                       input channel per group: bound by its data) */
	AUGUR_FEAT_DIRECT_THIN_MACS,        /* a direct conv's multiply-adds with fewer input
	                                       channels per group than a block (a first conv:
	                                       another kernel, from the plain layout) */
	AUGUR_FEAT_PARAM_BYTES_SHORT,       /* an fc layer's weights again when its rows are
	                                       under 4 KiB (k < 1024), for augur's runtime
	                                       (cblas_sgemv): from memory such rows streamed at
	                                       5-6 GB/s and rows of 4 KiB and more at 10-12 on
	                                       an Intel Xeon guest (Prescott kernels), alike
	                                       from cache (docs/model.md) */
	AUGUR_FEAT_STEM_OUT_BYTES_COLD,     /* out_bytes times cold_pass of a layer that reads
	                                       the network's input: its output buffer was last
	                                       touched a whole pass ago */
	AUGUR_FEAT_GEMM_COLUMNS_MS,         /* an im2col conv's gemm_ms times 16 / filters (at
	                                       most 1): the share of its GEMM's time that goes
	                                       with packing the column matrix, which the
	                                       benchmark found in cache and a network did not
	                                       (augur_gemm_columns_ms) */
	AUGUR_FEAT_DIRECT_IN_BYTES,         /* a direct conv's in_bytes (0 in in_bytes) */
	AUGUR_FEAT_DIRECT_OUT_BYTES,        /* its out_bytes (0 in out_bytes) */
	AUGUR_FEAT_DIRECT_PARAM_BYTES,      /* its param_bytes (0 in param_bytes) */
	AUGUR_FEAT_DIRECT_CALLS,            /* 1 per direct conv: its reorders and oneDNN's
	                                       dispatch, apart from the convs its framework
	                                       runs through im2col, which keep in_bytes,
	                                       out_bytes, param_bytes and one */
	AUGUR_FEAT_ONE,                     /* per layer: the framework's dispatch cost */
	AUGUR_FEAT_COUNT
};
/* a layer cost's features are bits of a uint64_t mask */
_Static_assert(AUGUR_FEAT_COUNT <= 64, "layer-cost feature masks hold 64 features");
#define AUGUR_FEAT_BIT(f) (UINT64_C(1) << (f))

/* The sizes at which the layer-cost features change regime. They are facts of the machine
 * (its last-level cache) and of the framework (its allocator, its max pooling), derived by
 * augur_thresholds_derive from a profile's 'machine:' and 'framework:' sections
 * (docs/model.md, "Thresholds"). A profile is read with its own thresholds; of them only
 * narrow_gemm_n, a property of the GEMM kernels rather than of a board, is a constant. */
struct augur_thresholds {
	/* a buffer above this is mapped afresh by the allocator on every allocation (glibc's
	 * dynamic mmap threshold stops rising at 32 MiB on 64-bit systems) */
	uint64_t fresh_buffer_bytes;
	/* bytes of index a max pool writes per output value (PyTorch: an int64; 0: none) */
	uint64_t pool_index_bytes;
	/* fc weights above this do not fit the last-level cache, so the GEMM calibration,
	 * which runs them warm, already streamed them from memory: they pay no cold-weights
	 * penalty (param_bytes, param_bytes_4k) but their own streaming rate. With one term for
	 * all sizes, every held-out fc layer over the EPYC board's 32 MiB L3 without 4 KiB rows
	 * was predicted 11-28% high. */
	uint64_t streamed_weight_bytes;
	/* a forward pass that touches at most pass_cached_bytes (weights, activations and
	 * workspace: the allocated view's total) runs from the caches pass after pass; one
	 * that touches pass_evicted_bytes or more finds them evicted, with a ramp in
	 * log(bytes) between. Measured on the EPYC board (1 MiB L2 per core, 32 MiB L3 shared
	 * with other tenants), session-9 model over 424 held-out networks: softmax layers ran
	 * 2.9x faster than predicted in passes of 4-8 MiB and 1.3x slower in passes over
	 * 64 MiB, relu and batchnorm 1.2-1.3x faster and 1.1-1.3x slower. Ramps of 2-16 MiB to
	 * 64-256 MiB were tried (docs/model.md): 4 to 64 MiB (an eighth of the L3 to twice it)
	 * predicted the held-out networks best. */
	uint64_t pass_cached_bytes;
	uint64_t pass_evicted_bytes;
	/* augur's runtime holds every buffer and touches them in the same order every pass,
	 * so the last-level cache keeps a pass whole or not at all (a cyclic access larger
	 * than an LRU-like cache misses throughout): cold_pass rises linearly from
	 * pass_cliff_lo_bytes (half the LLC) to pass_cliff_hi_bytes (the LLC), and warm_pass
	 * tells a pass the core's cache holds (under pass_core_bytes) from one only the LLC
	 * holds (8 times that and more), in log(bytes) between. The log ramp above put fc
	 * layers whose weights stayed in the LLC (a 28 MiB fc in a 31 MiB pass: 1.12 ms at
	 * 26 GB/s) 60% high and tiny passes' weights, read from L2 at 90 GB/s, 50% low
	 * (docs/model.md, "A pass's three homes"). The framework fact pass_cliff turns the
	 * cliff on (augur_profile_thresholds); without it warm_pass follows the log ramp's
	 * cold_pass (PyTorch's fc uses it). */
	bool pass_cliff;
	uint64_t pass_cliff_lo_bytes;
	uint64_t pass_cliff_hi_bytes;
	uint64_t pass_core_bytes;
	uint64_t pass_core_hi_bytes;
	/* a GEMM with fewer filters than narrow_gemm_n does too little arithmetic per byte of
	 * its column matrix to hide reading it from memory; one with a column matrix (per
	 * call) below narrow_cached_bytes finds it in cache, one above narrow_streamed_bytes
	 * streams all of it, with a linear ramp between. Measured on the EPYC board: layers
	 * with 1-16 filters and 8-32 MiB columns ran 27-37% slower than the GEMM calibration
	 * (hot cache) predicted, 2-4 MiB ones as predicted. */
	uint64_t narrow_gemm_n;
	uint64_t narrow_cached_bytes;
	uint64_t narrow_streamed_bytes;
	/* bytes written before a network's first fc layer from which its call path is cold */
	uint64_t first_fc_cold_bytes;
	/* what a layer touches beyond this no longer comes from the core's own cache: half
	 * its L2 (the other half holds the previous layer's weights, columns and code) */
	uint64_t core_cache_bytes;
	/* the framework's convolutions are direct (oneDNN; the framework fact conv_im2col:
	 * false): they fill no im2col columns, so the column features are 0, and the
	 * buffers they may get afresh are their blocked copies of output and input */
	bool conv_direct;
	/* channels per SIMD block of those direct convolutions (oneDNN: 16 with AVX-512,
	 * 8 with AVX2) */
	uint32_t conv_block;
	/* which convolutions run direct when conv_direct: the rest are costed as im2col and
	 * a GEMM (augur_conv_runs_direct) */
	uint64_t direct_min_input_values;
	uint32_t direct_1x1_min_batch;
	uint32_t threads;
};

/* Whether layer i runs as a direct convolution with blocked kernels under th
 * (augur_conv_runs_direct, augur_conv_direct_in_blocks); the other convolutions are
 * costed as columns and a GEMM. */
bool augur_layer_is_direct_conv(const struct augur_net *net, const struct augur_analysis *a,
                                size_t i, const struct augur_thresholds *th);

/* What a profile that does not state a fact is taken to have: the facts of the machine and
 * framework the model was built on (an AMD EPYC family 25 model 17 VM with a 32 MiB L3;
 * glibc; PyTorch 1.13), so a format-1 profile keeps the thresholds it was fitted with. */
#define AUGUR_REFERENCE_LLC_BYTES          (32ull << 20)
#define AUGUR_REFERENCE_FRESH_BUFFER_BYTES (32ull << 20)
#define AUGUR_REFERENCE_POOL_INDEX_BYTES   8
#define AUGUR_REFERENCE_L2_BYTES           (512ull << 10)

/* The thresholds of a machine whose last-level cache holds llc_bytes, under a framework
 * whose allocator maps buffers above fresh_buffer_bytes afresh and whose max pooling writes
 * pool_index_bytes per output value. An unknown fact (llc_bytes or fresh_buffer_bytes 0,
 * pool_index_bytes negative) takes the reference value above. The cache sizes scale with
 * the last-level cache: streamed weights and a cold first fc above it, the pass ramp from
 * an eighth of it to twice it, the narrow-GEMM ramp from an eighth to a half of it. The
 * core's cache (core_cache_bytes) is half the reference L2; augur_profile_thresholds sets
 * it from the profile's l2_bytes when the machine states one. */
void augur_thresholds_derive(uint64_t llc_bytes, uint64_t fresh_buffer_bytes,
                             int64_t pool_index_bytes, struct augur_thresholds *out);

/* Where a feature's time goes in the estimate's split. */
enum augur_cost_class { AUGUR_COST_GEMM, AUGUR_COST_MEMORY, AUGUR_COST_OTHER, AUGUR_COST_CLASSES };

struct augur_layer_cost {
	uint64_t feature_mask;         /* 0: no model for this type */
	double coef[AUGUR_FEAT_COUNT]; /* ms per unit of each feature, >= 0 */
	double lo[AUGUR_FEAT_COUNT];   /* range of each feature over the fitted rows */
	double hi[AUGUR_FEAT_COUNT];
	uint32_t n_rows;          /* rows the fit was given */
	uint32_t n_dropped;       /* of those, left out as disturbed measurements */
	bool aggregate;           /* fitted from per-type sums, not single layers */
	double median_rel_err;    /* over those rows */
	double constant_left_out; /* ms: the per-layer constant the fit found and left out
	                             as extrapolated (0: none; augur_layer_costs_fit says
	                             it, a profile does not keep it) */
};

/* How well the costs predicted networks when they were made (augur calibrate's verdict),
 * kept so that every estimate made with them can say it: networks == 0 and
 * crossval_networks == 0 when unknown (a refit, a hand-made profile). */
struct augur_cost_check {
	uint32_t networks;            /* networks the fit never saw, measured after it */
	uint32_t within_10;           /* of them, predicted within 10% of their forward time */
	double median_error;          /* of |predicted / measured - 1| over them */
	double layer_median_error;    /* the same over their layers of 0.01 ms and more; NAN:
	                                 not measured */
	uint32_t crossval_networks;   /* fit networks cross-validated (0: not done) */
	uint32_t crossval_within_10;  /* of them, within 10% */
	double crossval_median_error; /* of |predicted / measured - 1| over them */
};

/* A whole pass's scale: the layer fits leave a bias that grows with the bytes a pass
 * touches (the same conv shape ran a median 1.14x slower in a PyTorch pass over 30 ms than
 * in one under 10 ms on an Intel Xeon guest: a large pass evicts what a small one finds
 * still cached from the pass before; docs/model.md, "A pass's scale"). Fitted on the fit
 * networks' forward times after their layers' fits, one row per network:
 *   ln(measured / predicted) = intercept + slope * ln(clamp(touched, knee, top) / knee)
 * with touched the pass's allocated bytes (augur_memory.alloc_total), knee the fit
 * networks' median and top their largest: a pass beyond them is never extrapolated. */
struct augur_pass_scale {
	uint32_t networks; /* fit networks it was fitted on; 0: none (a factor of 1) */
	double knee_bytes, top_bytes;
	double intercept, slope;
};

struct augur_layer_costs {
	char *source; /* what the models were fitted from (a layer-times file) */
	struct augur_layer_cost type[AUGUR_LAYER_TYPE_COUNT];
	struct augur_cost_check checked;
	struct augur_pass_scale pass;
};

/* The factor every layer time of a pass touching touched_bytes is scaled by (1 when s has
 * no networks). */
double augur_pass_scale_factor(const struct augur_pass_scale *s, uint64_t touched_bytes);
/* The largest |ln factor| of s over all passes (at the knee or at the top). */
double augur_pass_scale_reach(const struct augur_pass_scale *s);
/* A pass scale is a correction of the layer fits' bias, a few percent: one that moves a
 * pass by more than this factor either way is not one (a profile holding it is corrupt, a
 * fit finding it is left without) */
#define AUGUR_PASS_SCALE_MAX 2.0

/* The gemm_columns_ms feature of a layer's GEMMs, whose model time is gemm_ms: gemm_ms
 * times GEMM_COLUMNS_FILTERS / n, at most gemm_ms (0 for fc layers). */
double augur_gemm_columns_ms(const struct augur_gemm *g, double gemm_ms);

/* The narrow_gemm_bytes feature of a layer's GEMMs (0 for fc layers and wide GEMMs). */
double augur_narrow_gemm_bytes(const struct augur_gemm *g, const struct augur_thresholds *th);

/* The first_fc feature of layer i: for the first fc layer of net's forward pass, how much
 * of the caches the layers before it have overwritten (the bytes they write, outputs and
 * im2col columns, over th->first_fc_cold_bytes, at most 1); 0 for other layers. */
double augur_first_fc(const struct augur_net *net, const struct augur_analysis *a, size_t i,
                      const struct augur_thresholds *th);

/* The writer_evicted feature of layer i: what the layer that wrote its (first) input
 * touched besides that output (its im2col columns, weights, and the inputs it read unless
 * it ran in place) over th->first_fc_cold_bytes (the last-level cache), at most 1; 0 for a
 * layer that reads the network's input. */
double augur_writer_evicted(const struct augur_net *net, const struct augur_analysis *a, size_t i,
                            const struct augur_thresholds *th);

/* "gemm_ms", "gemm_calls", ...: the names profiles use. */
const char *augur_feature_name(enum augur_feature f);
/* The feature for a name, or -1. */
int augur_feature_from_name(const char *name);
enum augur_cost_class augur_feature_class(enum augur_feature f);
const char *augur_cost_class_name(enum augur_cost_class c);

/* Whether the framework named name keeps every blob and column buffer of a pass allocated
 * from one pass to the next (the allocated memory view: augur's runtime, Caffe), so that a
 * pass that outgrows the caches finds each layer's buffers in memory: the *_bytes_cold
 * features apply. PyTorch's caching allocator hands a layer blocks just freed, still in
 * cache; its shipped fits (epyc-1t) were validated without these features. */
bool augur_framework_holds_blobs(const char *name);

/* Whether the framework named name is augur's own runtime, whose plain C loops add
 * costs per plane and per leaky select (planes, out_bytes_leaky) that no other
 * framework's fit was validated with. */
bool augur_framework_is_augur(const char *name);

/* The features a layer type's model uses when there are enough single-layer rows (with the
 * cold-data features for a framework that holds its blobs, augur's runtime's own, for
 * a framework whose facts say cache_terms (augur_framework_cache_terms) the cache features
 * its held-out networks were validated with, and for one whose convolutions are direct
 * (augur_framework_conv_direct) their multiply-adds in place of GEMMs and columns), and the
 * one it keeps when only a few aggregate rows exist. The one place that decides which
 * features a fit uses. */
uint64_t augur_layer_cost_features(enum augur_layer_type type, bool holds_blobs, bool augur_runtime,
                                   bool cache_terms, bool conv_direct);
enum augur_feature augur_layer_cost_main_feature(enum augur_layer_type type);

/* Whether a layer of this type writes a buffer of its own (dropout and flatten hand on
 * their input). */
bool augur_layer_allocates_output(enum augur_layer_type type);

/* The bytes of buffers layer i (of net, analysed as a) gets as fresh pages on every call:
 * its im2col columns, its output (unless in place) and a max pool's indices, each when
 * above th->fresh_buffer_bytes (the fresh_bytes feature).
 * Smaller buffers come from the heap and fault only when it grows, which depends on the
 * allocator's history (docs/model.md, "Known gaps"). */
double augur_layer_fresh_bytes(const struct augur_net *net, const struct augur_analysis *a,
                               size_t i, const struct augur_thresholds *th);

/* The part of augur_layer_fresh_bytes in buffers no larger than glibc's trim threshold
 * (twice th->fresh_buffer_bytes, augur_heap_trim_bytes): glibc serves a buffer above its
 * mmap threshold from its heap's free top when the top holds it, and keeps up to that
 * many free bytes there, so such a buffer faults or not as the heap's layout decides.
 * Measured with PyTorch 1.13 on two Xeon guests (nine held-out runs): of the layers whose
 * buffers were 32-48 MiB, 84 of 97 faulted them; 48-64 MiB, 58 of 59; beyond, all. */
double augur_layer_fresh_bytes_unsure(const struct augur_net *net, const struct augur_analysis *a,
                                      size_t i, const struct augur_thresholds *th);

/* The warm_pass feature of every layer of a network analysed as a: how far the pass
 * outgrows the core's cache, 0 at th->pass_core_bytes, 1 at pass_core_hi_bytes
 * (log(bytes) between), times 1 - cold_pass. */
double augur_pass_warm(const struct augur_analysis *a, const struct augur_thresholds *th);

/* The cold_pass feature of every layer of a network analysed as a: 0 when a forward pass
 * fits the caches, 1 when it evicts them (th->pass_cached_bytes, pass_evicted_bytes). */
double augur_pass_cold(const struct augur_analysis *a, const struct augur_thresholds *th);

/* The feature values of layer i of net (analysed as a) on a board with thresholds th
 * (the profile's: augur_profile_thresholds). gemm predicts the GEMM feature;
 * *gemm_outside (may be NULL) tells whether that GEMM lies outside gemm's range. */
void augur_layer_features(const struct augur_net *net, const struct augur_analysis *a, size_t i,
                          const struct augur_timemodel *gemm, const struct augur_thresholds *th,
                          double f[AUGUR_FEAT_COUNT], bool *gemm_outside);

/* Predicted milliseconds for feature values f; split (may be NULL) receives the time by
 * cost class and *outside (may be NULL) whether a feature lies outside the fitted range. */
double augur_layer_cost_predict(const struct augur_layer_cost *c, const double f[AUGUR_FEAT_COUNT],
                                double split[AUGUR_COST_CLASSES], bool *outside);

void augur_layer_costs_free(struct augur_layer_costs *c);

#endif
