/* Per-layer cost models (see layercost.h): features, prediction and fitting. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heapsim.h"
#include "layercost.h"
#include "memory.h"

static const char *const feature_names[AUGUR_FEAT_COUNT] = {
        [AUGUR_FEAT_GEMM_MS] = "gemm_ms",
        [AUGUR_FEAT_GEMM_CALLS] = "gemm_calls",
        [AUGUR_FEAT_IM2COL_BYTES] = "im2col_bytes",
        [AUGUR_FEAT_IN_BYTES] = "in_bytes",
        [AUGUR_FEAT_OUT_BYTES] = "out_bytes",
        [AUGUR_FEAT_WINDOW] = "window",
        [AUGUR_FEAT_WINDOW_AVG] = "window_avg",
        [AUGUR_FEAT_PARAM_BYTES] = "param_bytes",
        [AUGUR_FEAT_FRESH_BYTES] = "fresh_bytes",
        [AUGUR_FEAT_ONE] = "one",
        [AUGUR_FEAT_IM2COL_STRIDED_BYTES] = "im2col_strided_bytes",
        [AUGUR_FEAT_IM2COL_DILATED_BYTES] = "im2col_dilated_bytes",
        [AUGUR_FEAT_PARAM_BYTES_4K] = "param_bytes_4k",
        [AUGUR_FEAT_PARAM_BYTES_STREAMED] = "param_bytes_streamed",
        [AUGUR_FEAT_PARAM_BYTES_4K_STREAMED] = "param_bytes_4k_streamed",
        [AUGUR_FEAT_WINDOW_STRIDED] = "window_strided",
        [AUGUR_FEAT_NARROW_GEMM_BYTES] = "narrow_gemm_bytes",
        [AUGUR_FEAT_FIRST_FC] = "first_fc",
        [AUGUR_FEAT_COLD_PASS] = "cold_pass",
        [AUGUR_FEAT_PARAM_BYTES_COLD] = "param_bytes_cold",
        [AUGUR_FEAT_IM2COL_BYTES_COLD] = "im2col_bytes_cold",
        [AUGUR_FEAT_DATA_BYTES_COLD] = "data_bytes_cold",
        [AUGUR_FEAT_PLANES] = "planes",
        [AUGUR_FEAT_PARAM_BYTES_4K_COLD] = "param_bytes_4k_cold",
        [AUGUR_FEAT_OUT_BYTES_LEAKY] = "out_bytes_leaky",
        [AUGUR_FEAT_DATA_BYTES_SPILLED] = "data_bytes_spilled",
        [AUGUR_FEAT_DATA_BYTES_SPILLED_LLC] = "data_bytes_spilled_llc",
        [AUGUR_FEAT_IN_BYTES_AFTER_GEMM] = "in_bytes_after_gemm",
        [AUGUR_FEAT_GLOBAL_READS] = "global_reads",
        [AUGUR_FEAT_IN_BYTES_FRESH] = "in_bytes_fresh",
        [AUGUR_FEAT_WRITER_EVICTED] = "writer_evicted",
        [AUGUR_FEAT_WARM_PASS] = "warm_pass",
        [AUGUR_FEAT_PARAM_BYTES_WARM] = "param_bytes_warm",
        [AUGUR_FEAT_IM2COL_BYTES_WARM] = "im2col_bytes_warm",
        [AUGUR_FEAT_DATA_BYTES_WARM] = "data_bytes_warm",
        [AUGUR_FEAT_PARAM_BYTES_4K_WARM] = "param_bytes_4k_warm",
        [AUGUR_FEAT_IM2COL_ROWS] = "im2col_rows",
        [AUGUR_FEAT_DIRECT_MACS] = "direct_macs",
        [AUGUR_FEAT_DIRECT_DW_MACS] = "direct_dw_macs",
        [AUGUR_FEAT_DIRECT_THIN_MACS] = "direct_thin_macs",
        [AUGUR_FEAT_PARAM_BYTES_SHORT] = "param_bytes_short",
        [AUGUR_FEAT_STEM_OUT_BYTES_COLD] = "stem_out_bytes_cold",
        [AUGUR_FEAT_GEMM_COLUMNS_MS] = "gemm_columns_ms",
        [AUGUR_FEAT_DIRECT_IN_BYTES] = "direct_in_bytes",
        [AUGUR_FEAT_DIRECT_OUT_BYTES] = "direct_out_bytes",
        [AUGUR_FEAT_DIRECT_PARAM_BYTES] = "direct_param_bytes",
        [AUGUR_FEAT_DIRECT_CALLS] = "direct_calls",
};

const char *augur_feature_name(enum augur_feature f)
{
	return f < AUGUR_FEAT_COUNT ? feature_names[f] : "?";
}

int augur_feature_from_name(const char *name)
{
	for (int f = 0; f < AUGUR_FEAT_COUNT; f++)
		if (!strcmp(name, feature_names[f]))
			return f;
	return -1;
}

enum augur_cost_class augur_feature_class(enum augur_feature f)
{
	switch (f) {
	case AUGUR_FEAT_GEMM_MS:
	case AUGUR_FEAT_GEMM_COLUMNS_MS:
	case AUGUR_FEAT_DIRECT_MACS:
	case AUGUR_FEAT_DIRECT_DW_MACS:
	case AUGUR_FEAT_DIRECT_THIN_MACS:
		return AUGUR_COST_GEMM;
	case AUGUR_FEAT_IM2COL_BYTES:
	case AUGUR_FEAT_IN_BYTES:
	case AUGUR_FEAT_OUT_BYTES:
	case AUGUR_FEAT_WINDOW:
	case AUGUR_FEAT_WINDOW_AVG:
	case AUGUR_FEAT_PARAM_BYTES:
	case AUGUR_FEAT_FRESH_BYTES:
	case AUGUR_FEAT_IM2COL_STRIDED_BYTES:
	case AUGUR_FEAT_IM2COL_DILATED_BYTES:
	case AUGUR_FEAT_PARAM_BYTES_4K:
	case AUGUR_FEAT_PARAM_BYTES_STREAMED:
	case AUGUR_FEAT_PARAM_BYTES_4K_STREAMED:
	case AUGUR_FEAT_WINDOW_STRIDED:
	case AUGUR_FEAT_NARROW_GEMM_BYTES:
	case AUGUR_FEAT_PARAM_BYTES_COLD:
	case AUGUR_FEAT_IM2COL_BYTES_COLD:
	case AUGUR_FEAT_DATA_BYTES_COLD:
	case AUGUR_FEAT_PARAM_BYTES_4K_COLD:
	case AUGUR_FEAT_PARAM_BYTES_WARM:
	case AUGUR_FEAT_IM2COL_BYTES_WARM:
	case AUGUR_FEAT_DATA_BYTES_WARM:
	case AUGUR_FEAT_PARAM_BYTES_4K_WARM:
	case AUGUR_FEAT_PARAM_BYTES_SHORT:
	case AUGUR_FEAT_IM2COL_ROWS:
	case AUGUR_FEAT_OUT_BYTES_LEAKY:
	case AUGUR_FEAT_DATA_BYTES_SPILLED:
	case AUGUR_FEAT_DATA_BYTES_SPILLED_LLC:
	case AUGUR_FEAT_IN_BYTES_AFTER_GEMM:
	case AUGUR_FEAT_IN_BYTES_FRESH:
	case AUGUR_FEAT_GLOBAL_READS:
	case AUGUR_FEAT_STEM_OUT_BYTES_COLD:
	case AUGUR_FEAT_DIRECT_IN_BYTES:
	case AUGUR_FEAT_DIRECT_OUT_BYTES:
	case AUGUR_FEAT_DIRECT_PARAM_BYTES:
		return AUGUR_COST_MEMORY;
	default:
		return AUGUR_COST_OTHER;
	}
}

const char *augur_cost_class_name(enum augur_cost_class c)
{
	static const char *const names[] = {"gemm", "memory", "other"};
	return c < AUGUR_COST_CLASSES ? names[c] : "?";
}

void augur_thresholds_derive(uint64_t llc_bytes, uint64_t fresh_buffer_bytes,
                             int64_t pool_index_bytes, struct augur_thresholds *out)
{
	uint64_t llc = llc_bytes ? llc_bytes : AUGUR_REFERENCE_LLC_BYTES;
	*out = (struct augur_thresholds){
	        .fresh_buffer_bytes = fresh_buffer_bytes ? fresh_buffer_bytes
	                                                 : AUGUR_REFERENCE_FRESH_BUFFER_BYTES,
	        .pool_index_bytes = pool_index_bytes >= 0 ? (uint64_t)pool_index_bytes
	                                                  : AUGUR_REFERENCE_POOL_INDEX_BYTES,
	        .streamed_weight_bytes = llc,
	        .pass_cached_bytes = llc / 8,
	        .pass_evicted_bytes = llc * 2,
	        .pass_cliff_lo_bytes = llc / 2,
	        .pass_cliff_hi_bytes = llc,
	        .pass_core_bytes = AUGUR_REFERENCE_L2_BYTES / 2,
	        .pass_core_hi_bytes = AUGUR_REFERENCE_L2_BYTES * 4,
	        /* a property of the GEMM kernels' arithmetic per byte, not of the caches */
	        .narrow_gemm_n = 64,
	        .narrow_cached_bytes = llc / 8,
	        .narrow_streamed_bytes = llc / 2,
	        .first_fc_cold_bytes = llc,
	        .core_cache_bytes = AUGUR_REFERENCE_L2_BYTES / 2,
	};
}

#define F(x) AUGUR_FEAT_BIT(AUGUR_FEAT_##x)

/* What a layer of this type costs beyond the framework's per-layer dispatch. */
static uint64_t own_features(enum augur_layer_type type)
{
	switch (type) {
	case AUGUR_LAYER_CONV:
		/* the GEMMs (and the columns a narrow one streams from memory), the im2col
		 * copy (and the page faults of a large column buffer mapped afresh), the bias
		 * broadcast into the output and, for grouped convolutions, one framework call
		 * per group */
		return F(GEMM_MS) | F(GEMM_COLUMNS_MS) | F(GEMM_CALLS) | F(IM2COL_BYTES) |
		       F(IM2COL_STRIDED_BYTES) | F(IM2COL_DILATED_BYTES) | F(FRESH_BYTES) |
		       F(NARROW_GEMM_BYTES) | F(OUT_BYTES);
	case AUGUR_LAYER_FC:
		/* at small batch a matrix-vector product: bound by streaming the weights,
		 * slower when their rows are whole 4 KiB, at another rate beyond the cache;
		 * more of it when the pass has evicted them since the last one; the first fc
		 * call of a pass finds the framework's fc code path cold */
		return F(GEMM_MS) | F(PARAM_BYTES) | F(PARAM_BYTES_4K) | F(PARAM_BYTES_STREAMED) |
		       F(PARAM_BYTES_4K_STREAMED) | F(PARAM_BYTES_COLD) | F(FIRST_FC);
	case AUGUR_LAYER_POOL:
		return F(WINDOW) | F(WINDOW_STRIDED) | F(WINDOW_AVG) | F(IN_BYTES) | F(OUT_BYTES);
	case AUGUR_LAYER_LRN:
		return F(WINDOW) | F(OUT_BYTES);
	case AUGUR_LAYER_ELTWISE:
	case AUGUR_LAYER_REDUCE:
	case AUGUR_LAYER_DETECTION: /* decodes and sorts what it reads */
		return F(IN_BYTES);
	case AUGUR_LAYER_DECONV:
		/* the GEMMs into the column buffer, col2im adding it into the output (its
		 * bytes), the buffer's page faults, one call per group */
		return F(GEMM_MS) | F(GEMM_CALLS) | F(IM2COL_BYTES) | F(FRESH_BYTES) | F(OUT_BYTES);
	case AUGUR_LAYER_DROPOUT:
	case AUGUR_LAYER_FLATTEN:
	case AUGUR_LAYER_RESHAPE:
		return 0;
	case AUGUR_LAYER_SHUFFLE:
	case AUGUR_LAYER_PERMUTE:
	case AUGUR_LAYER_SLICE:
	case AUGUR_LAYER_CROP:
	case AUGUR_LAYER_PAD:
	case AUGUR_LAYER_UPSAMPLE:
		/* copies: what they read and what they write */
		return F(IN_BYTES) | F(OUT_BYTES);
	default:
		return F(OUT_BYTES);
	}
}

bool augur_framework_holds_blobs(const char *name)
{
	return name && (!strcmp(name, "augur") || !strcmp(name, "caffe"));
}

bool augur_framework_is_augur(const char *name)
{
	return name && !strcmp(name, "augur");
}

static struct augur_conv_dispatch conv_dispatch(const struct augur_thresholds *th)
{
	return (struct augur_conv_dispatch){.direct = th->conv_direct,
	                                    .min_input_values = th->direct_min_input_values,
	                                    .min_batch_1x1 = th->direct_1x1_min_batch,
	                                    .threads = th->threads,
	                                    .block = th->conv_block};
}

bool augur_layer_is_direct_conv(const struct augur_net *net, const struct augur_analysis *a,
                                size_t i, const struct augur_thresholds *th)
{
	struct augur_conv_dispatch d = conv_dispatch(th);
	return augur_conv_runs_direct(net, a, i, &d) && augur_conv_direct_in_blocks(net, a, i, &d);
}

uint64_t augur_layer_cost_features(enum augur_layer_type type, bool holds_blobs, bool augur_runtime,
                                   bool cache_terms, bool conv_direct)
{
	/* every layer pays the dispatch, more of it when the pass has evicted the caches */
	uint64_t own = own_features(type);
	/* a direct convolution (oneDNN): its kernels' multiply-adds in SIMD blocks of
	 * channels, depthwise and thin ones apart, what it reads, writes and copies into its
	 * blocked layout, its weights. Fitted on PyTorch with mkldnn on (Intel Xeon guest,
	 * 148 fit networks, one held-out run): conv layers' median |error| 14.8% with the GEMM
	 * model's time as the feature, 11.5% with these (docs/model.md). The convolutions its
	 * framework runs through im2col and a GEMM all the same (augur_conv_runs_direct:
	 * PyTorch's small and 1x1 ones) get the GEMM's time and the columns instead, 0 for
	 * the direct ones. The two kinds' bytes and dispatch are fitted apart (direct_in_bytes,
	 * direct_out_bytes, direct_param_bytes, direct_calls): shared, the fit put gemm_ms at
	 * 0.70-0.76 and the im2col convs of 0.3 ms and more 10-23% low. Refitted on the 15
	 * stored mkldnn-on runs (session 40): 580 -> 589 of 780 held-out networks within 10%,
	 * the per-layer median 0.7-2.1 points lower in 12 runs (docs/model.md). */
	if (conv_direct && type == AUGUR_LAYER_CONV)
		own = F(DIRECT_MACS) | F(DIRECT_DW_MACS) | F(DIRECT_THIN_MACS) |
		      F(DIRECT_IN_BYTES) | F(DIRECT_OUT_BYTES) | F(DIRECT_PARAM_BYTES) |
		      F(DIRECT_CALLS) | F(IN_BYTES) | F(OUT_BYTES) | F(PARAM_BYTES) |
		      F(FRESH_BYTES) | F(GEMM_MS) | F(IM2COL_BYTES);
	/* in a framework that keeps every buffer of the pass, a layer that moves data then
	 * moves it from memory */
	if (holds_blobs && (own & F(IM2COL_BYTES)))
		own |= F(IM2COL_BYTES_COLD);
	if (holds_blobs && own)
		own |= F(DATA_BYTES_COLD);
	if (holds_blobs && (own & F(PARAM_BYTES_4K)))
		own |= F(PARAM_BYTES_4K_COLD);
	if (holds_blobs && (type == AUGUR_LAYER_CONV || type == AUGUR_LAYER_DECONV))
		own |= F(PARAM_BYTES_COLD);
	if (augur_runtime && (type == AUGUR_LAYER_POOL || type == AUGUR_LAYER_BATCHNORM ||
	                      type == AUGUR_LAYER_SCALE || type == AUGUR_LAYER_LRN))
		own |= F(PLANES);
	if (augur_runtime && type == AUGUR_LAYER_RELU)
		own |= F(OUT_BYTES_LEAKY) | F(IN_BYTES_FRESH);
	if (augur_runtime && type == AUGUR_LAYER_POOL)
		own |= F(GLOBAL_READS);
	if (augur_runtime && type == AUGUR_LAYER_FC)
		own |= F(PARAM_BYTES_SHORT);
	if (augur_runtime && (own & F(IM2COL_BYTES)))
		own |= F(IM2COL_ROWS);
	/* plain loops over blobs (not the GEMM layers, whose columns and weights the im2col
	 * and narrow-GEMM features cover) slow down once their data leaves the core's L2 */
	if (augur_runtime && (own & (F(IN_BYTES) | F(OUT_BYTES))) && !(own & F(GEMM_MS)))
		own |= F(DATA_BYTES_SPILLED) | F(DATA_BYTES_SPILLED_LLC) | F(IN_BYTES_AFTER_GEMM);
	/* a framework whose facts say cache_terms (PyTorch 1.13 without mkldnn, measured on
	 * an Intel Xeon; docs/model.md, "Cache terms for PyTorch"): the same for its relu and
	 * concat; for scale (addcmul) only beyond the last-level share and after a GEMM (with
	 * data_bytes_spilled too, the scale after a network's first conv and batchnorm was
	 * put 40-50% high: 1.78 ms for 1.24 measured); a leaky relu's select; fc weights with
	 * 4 KiB rows from memory in a cold pass. Each helped the held-out networks of both
	 * runs; the rest of augur's own features did not. */
	if (cache_terms && (type == AUGUR_LAYER_RELU || type == AUGUR_LAYER_CONCAT))
		own |= F(DATA_BYTES_SPILLED) | F(DATA_BYTES_SPILLED_LLC) | F(IN_BYTES_AFTER_GEMM);
	/* element-wise sums and products, sigmoid and LRN: the same loops over blobs (a
	 * residual sum ran at 35-40 GB/s on inputs the core's L2 held, 17-21 GB/s beyond the
	 * last-level share). Over seven runs (five with mkldnn off, two on; numpy), held-out
	 * time-weighted |error| fell in each: eltwise 24 -> 14% (off), 32 -> 17% (on), LRN
	 * 7.6 -> 4.1%, sigmoid 47 -> 40%; tanh moved both ways and keeps its own */
	if (cache_terms &&
	    (type == AUGUR_LAYER_ELTWISE || type == AUGUR_LAYER_SIGMOID || type == AUGUR_LAYER_LRN))
		own |= F(DATA_BYTES_SPILLED) | F(DATA_BYTES_SPILLED_LLC);
	if (cache_terms && type == AUGUR_LAYER_SCALE)
		own |= F(DATA_BYTES_SPILLED_LLC) | F(IN_BYTES_AFTER_GEMM);
	/* batchnorm: the spill features and a cost per plane (PyTorch's kernel sets up each
	 * channel; in-sample its rate spread over 68-200 ns/KiB at one size): held-out
	 * median |error| 28.8, 33.1, 23.8% -> 22.5, 29.0, 21.9% in three runs (numpy) */
	if (cache_terms && type == AUGUR_LAYER_BATCHNORM)
		own |= F(PLANES) | F(DATA_BYTES_SPILLED) | F(DATA_BYTES_SPILLED_LLC) |
		       F(IN_BYTES_AFTER_GEMM);
	if (cache_terms && type == AUGUR_LAYER_RELU)
		own |= F(OUT_BYTES_LEAKY);
	if (cache_terms && (own & F(PARAM_BYTES_4K)))
		own |= F(PARAM_BYTES_4K_COLD);
	/* a conv layer's weights, read on every call: the GEMM calibration reuses one weight
	 * matrix call after call and times it hot, while inside a pass they come from
	 * further out (ResNet-50's res5 1x1 convs, 4 MiB of weights on 7 x 7 maps: 1.1 ms
	 * timed alone, 1.55 in the network, Xeon model 167). Refitted on the five stored
	 * mkldnn-off runs of two Xeons (bench/refit-runs): 220 -> 222 of 260 held-out
	 * networks within 10%, the per-layer median 0.1-0.4 points lower in each. Their cold
	 * share instead (param_bytes_cold) lost two networks of a run with mkldnn on. */
	if (cache_terms && type == AUGUR_LAYER_CONV)
		own |= F(PARAM_BYTES);
	/* the first conv of a pass writes its output into a buffer last touched a whole pass
	 * ago, from memory: the stems of PyTorch's im2col convs (3 input channels, 4-22 MiB
	 * of output) ran 20-39% over their prediction in and out of the fit set, the more
	 * the larger their output (VGG-16's conv1_1: 4.6 ms for 2.9 predicted), at 0.13-0.28
	 * ms per MiB written, while no page faulted. Refitted on the stored runs at each
	 * run's cache (bench/refit-runs): mkldnn off 744 -> 751 of 884 held-out networks
	 * within 10%, no run fewer, the per-layer median 0.07 points lower (with the cache
	 * chosen again, 753 -> 754: one run's choice moved from 256 to 48 MiB and lost five,
	 * six others gained nine); oneDNN's direct convs lost three networks with it and go
	 * without. */
	if (cache_terms && !conv_direct && type == AUGUR_LAYER_CONV)
		own |= F(STEM_OUT_BYTES_COLD);
	/* an fc call is cheapest in a pass that stays in the core's own cache (its code and
	 * small weights still there from the pass before): kws, 8 layers in 17 us, was
	 * predicted 15-82% high in ten of twelve stored PyTorch runs, its fc layers at 3 us
	 * where the small fc layers of larger networks, after layers that evicted the L2,
	 * take 4-5. Refitted on those runs: +3 networks within 10% (kws in one), none lost;
	 * for every type instead, 339 -> 338 of 416 over eight runs (docs/model.md) */
	if (cache_terms && type == AUGUR_LAYER_FC)
		own |= F(WARM_PASS);
	/* and in such a pass its weights are still in that cache from the pass before, read
	 * at the rate the GEMM calibration timed them (hot): what reading them costs beyond it
	 * is paid only in a pass that outgrows the core's cache (their warm and cold shares,
	 * not param_bytes); relu and softmax, the other layers of a pass the core's cache
	 * holds (kws, a multilayer perceptron), pay a smaller constant there too (warm_pass).
	 * Refitted on the fifteen stored PyTorch runs (bench/refit-runs, two Xeons, mkldnn
	 * off and on): +5 networks within 10% in four runs, -1 in two (kws, then under
	 * predicted by 16-18%), the per-layer median within 0.1 points; kws from +13 to
	 * +58% high in the model 167's nine runs to -16 to +23%. Either alone gained less. */
	if (cache_terms && type == AUGUR_LAYER_FC)
		own = (own & ~F(PARAM_BYTES)) | F(PARAM_BYTES_WARM) | F(PARAM_BYTES_COLD);
	if (cache_terms && (type == AUGUR_LAYER_RELU || type == AUGUR_LAYER_SOFTMAX))
		own |= F(WARM_PASS);
	/* relu and batchnorm after a layer that streamed the caches' worth of weights or
	 * columns: their call path comes from memory */
	if (cache_terms && (type == AUGUR_LAYER_RELU || type == AUGUR_LAYER_BATCHNORM))
		own |= F(WRITER_EVICTED);
	own |= F(COLD_PASS) | F(ONE);
	/* augur's runtime: each cold feature's twin for a pass held by the LLC alone */
	if (augur_runtime) {
		static const enum augur_feature twins[][2] = {
		        {AUGUR_FEAT_COLD_PASS, AUGUR_FEAT_WARM_PASS},
		        {AUGUR_FEAT_PARAM_BYTES_COLD, AUGUR_FEAT_PARAM_BYTES_WARM},
		        {AUGUR_FEAT_IM2COL_BYTES_COLD, AUGUR_FEAT_IM2COL_BYTES_WARM},
		        {AUGUR_FEAT_DATA_BYTES_COLD, AUGUR_FEAT_DATA_BYTES_WARM},
		        {AUGUR_FEAT_PARAM_BYTES_4K_COLD, AUGUR_FEAT_PARAM_BYTES_4K_WARM}};
		for (size_t i = 0; i < sizeof(twins) / sizeof(*twins); i++)
			if (own & AUGUR_FEAT_BIT(twins[i][0]))
				own |= AUGUR_FEAT_BIT(twins[i][1]);
	}
	return own;
}

enum augur_feature augur_layer_cost_main_feature(enum augur_layer_type type)
{
	switch (type) {
	case AUGUR_LAYER_CONV:
	case AUGUR_LAYER_FC:
	case AUGUR_LAYER_DECONV:
		return AUGUR_FEAT_GEMM_MS;
	case AUGUR_LAYER_POOL:
	case AUGUR_LAYER_LRN:
		return AUGUR_FEAT_WINDOW;
	case AUGUR_LAYER_ELTWISE:
	case AUGUR_LAYER_REDUCE:
	case AUGUR_LAYER_DETECTION:
		return AUGUR_FEAT_IN_BYTES;
	case AUGUR_LAYER_DROPOUT:
	case AUGUR_LAYER_FLATTEN:
	case AUGUR_LAYER_RESHAPE:
		return AUGUR_FEAT_ONE;
	default:
		return AUGUR_FEAT_OUT_BYTES;
	}
}

/* Dropout (an identity at inference), flatten and reshape (views) hand on their input: no
 * buffer of their own, so no page faults. */
bool augur_layer_allocates_output(enum augur_layer_type type)
{
	return type != AUGUR_LAYER_DROPOUT && type != AUGUR_LAYER_FLATTEN &&
	       type != AUGUR_LAYER_RESHAPE;
}

/* bytes, when a buffer of `decides` bytes is mapped afresh (above th's threshold) and, if
 * unsure, small enough that glibc's heap top may hold it instead; 0 otherwise */
static double mapped(double bytes, double decides, const struct augur_thresholds *th, bool unsure)
{
	bool fresh = decides > (double)th->fresh_buffer_bytes;
	bool maybe = decides <= (double)augur_heap_trim_bytes(th->fresh_buffer_bytes);
	return fresh && (!unsure || maybe) ? bytes : 0;
}

/* The buffers of layer i the allocator maps afresh on every call: all of them, or (unsure)
 * only those glibc may serve from its heap's free top instead (augur_layer_fresh_bytes,
 * augur_layer_fresh_bytes_unsure). */
static double fresh_bytes(const struct augur_net *net, const struct augur_analysis *a, size_t i,
                          const struct augur_thresholds *th, bool unsure)
{
	const struct augur_layer *l = &net->layers[i];
	const struct augur_layer_stats *s = &a->layers[i];
	double fresh = 0;
	/* the column buffers and the output blob, when the allocator maps them afresh: a
	 * grouped conv fills one group's columns per call, so the size that decides is one
	 * group's (workspace_paper_bytes), not the layer's total. An in-place layer writes
	 * into its input and allocates nothing. */
	if (augur_layer_is_direct_conv(net, a, i, th)) {
		/* direct: its blocked copies instead of columns (augur_layer_workspace) */
		double copies = (double)augur_layer_workspace(net, a, i, AUGUR_CONV_BLOCKED);
		fresh += mapped(copies, copies, th, unsure);
		/* and its weights, reordered into the blocked layout on every call into a
		 * buffer of their own (PyTorch 1.13: YOLO's conv21-24, 36 MiB of weights each,
		 * faulted exactly 36.0 MiB per call in each of five runs on the Xeon guest) */
		double weights = (double)s->params * AUGUR_BYTES_PER_VALUE;
		fresh += mapped(weights, weights, th, unsure);
	} else if (s->workspace_bytes) {
		fresh += mapped((double)s->workspace_bytes * a->batch,
		                (double)s->workspace_paper_bytes, th, unsure);
	}
	if (!s->in_place && augur_layer_allocates_output(l->type))
		fresh += mapped((double)s->out_bytes, (double)s->out_bytes, th, unsure);
	/* a framework's max pooling may also return every output's position: PyTorch's an
	 * int64, a buffer twice the output's bytes (measured: a pool with 20.5 MiB of output
	 * faulted 41 MiB of pages per call) */
	double indices =
	        (double)th->pool_index_bytes / AUGUR_BYTES_PER_VALUE * (double)s->out_bytes;
	if (l->type == AUGUR_LAYER_POOL && l->op == AUGUR_POOL_MAX)
		fresh += mapped(indices, indices, th, unsure);
	return fresh;
}

double augur_layer_fresh_bytes(const struct augur_net *net, const struct augur_analysis *a,
                               size_t i, const struct augur_thresholds *th)
{
	return fresh_bytes(net, a, i, th, false);
}

double augur_layer_fresh_bytes_unsure(const struct augur_net *net, const struct augur_analysis *a,
                                      size_t i, const struct augur_thresholds *th)
{
	return fresh_bytes(net, a, i, th, true);
}

double augur_first_fc(const struct augur_net *net, const struct augur_analysis *a, size_t i,
                      const struct augur_thresholds *th)
{
	if (net->layers[i].type != AUGUR_LAYER_FC)
		return 0;
	double written = 0;
	for (size_t j = 0; j < i; j++) {
		if (net->layers[j].type == AUGUR_LAYER_FC)
			return 0;
		written += (double)a->layers[j].out_bytes +
		           (double)a->layers[j].workspace_bytes * a->batch;
	}
	return written >= (double)th->first_fc_cold_bytes
	               ? 1
	               : written / (double)th->first_fc_cold_bytes;
}

double augur_writer_evicted(const struct augur_net *net, const struct augur_analysis *a, size_t i,
                            const struct augur_thresholds *th)
{
	const struct augur_layer *l = &net->layers[i];
	if (!l->n_inputs || l->inputs[0] == AUGUR_NET_INPUT)
		return 0;
	size_t w = (size_t)l->inputs[0];
	const struct augur_layer_stats *ws = &a->layers[w];
	double other =
	        (double)ws->workspace_bytes * a->batch + (double)ws->params * AUGUR_BYTES_PER_VALUE;
	for (uint32_t q = 0; !ws->in_place && q < net->layers[w].n_inputs; q++) {
		int32_t from = net->layers[w].inputs[q];
		other += (double)(from == AUGUR_NET_INPUT ? a->input_bytes
		                                          : a->layers[from].out_bytes);
	}
	double lim = (double)th->first_fc_cold_bytes;
	return other >= lim ? 1 : other / lim;
}

double augur_pass_cold(const struct augur_analysis *a, const struct augur_thresholds *th)
{
	double touched = (double)a->memory.alloc_total;
	if (th->pass_cliff) {
		double lo = (double)th->pass_cliff_lo_bytes, hi = (double)th->pass_cliff_hi_bytes;
		return touched <= lo ? 0 : touched >= hi ? 1 : (touched - lo) / (hi - lo);
	}
	double lo = (double)th->pass_cached_bytes, hi = (double)th->pass_evicted_bytes;
	if (touched <= lo)
		return 0;
	if (touched >= hi)
		return 1;
	return log(touched / lo) / log(hi / lo);
}

double augur_pass_scale_factor(const struct augur_pass_scale *s, uint64_t touched_bytes)
{
	if (!s->networks || !(s->knee_bytes > 0) || !(s->top_bytes >= s->knee_bytes))
		return 1;
	double touched = (double)touched_bytes;
	double x = touched <= s->knee_bytes  ? 0
	           : touched >= s->top_bytes ? log(s->top_bytes / s->knee_bytes)
	                                     : log(touched / s->knee_bytes);
	return exp(s->intercept + s->slope * x);
}

double augur_pass_scale_reach(const struct augur_pass_scale *s)
{
	double at_top = s->intercept + s->slope * log(s->top_bytes / s->knee_bytes);
	return fmax(fabs(s->intercept), fabs(at_top));
}

double augur_pass_warm(const struct augur_analysis *a, const struct augur_thresholds *th)
{
	double touched = (double)a->memory.alloc_total;
	double lo = (double)th->pass_core_bytes, hi = (double)th->pass_core_hi_bytes;
	double beyond_core = touched <= lo   ? 0
	                     : touched >= hi ? 1
	                                     : log(touched / lo) / log(hi / lo);
	return beyond_core * (1 - augur_pass_cold(a, th));
}

/* A conv GEMM (n filters x k x m columns) packs its column matrix, k x m values, once
 * and multiplies it by every filter: the packing is a share of the GEMM's time that
 * shrinks as 1 / n. The GEMM benchmark repeats each call on the same operands, so it
 * packs columns it finds in cache; in a network they were just written by im2col or by
 * the layer before, and come from further out. Measured (bench/layer-features, 2026-12-07):
 * PyTorch's GEMM-bound conv layers ran at 1.16-1.21x their GEMM model with fewer than 64
 * filters, 1.02x with 256 and more on a Zen 5 guest; 1.09 and 1.00 on an Intel Xeon
 * family 6 model 207; 1.5 and 1.2 on a model 167, and one factor for all (gemm_ms's
 * coefficient) sat between them. At or below 16 filters (a micro-kernel's rows) the
 * share no longer grows: there gemm_ms and this feature are one. Refitted on the 49
 * stored runs (bench/refit-runs --choose-cache): mkldnn off 1,618 -> 1,640 of 1,872
 * held-out networks within 10%, the per-layer median 12.2 -> 12.0% on the model 167 and
 * 12.2 -> 11.6% on the Zen 5 (at each run's measured cache: 1,623 -> 1,632); 32
 * filters instead of 16: 1,630; 64, at the measured cache: 1,601; the column bytes
 * (k x m) as the feature there: 1,620. oneDNN's direct convs have no GEMM. */
#define GEMM_COLUMNS_FILTERS 16.0

double augur_gemm_columns_ms(const struct augur_gemm *g, double gemm_ms)
{
	if (!g->count || g->fc_layout || !g->n)
		return 0;
	return gemm_ms * fmin(1, GEMM_COLUMNS_FILTERS / (double)g->n);
}

double augur_narrow_gemm_bytes(const struct augur_gemm *g, const struct augur_thresholds *th)
{
	if (!g->count || g->fc_layout || g->n >= th->narrow_gemm_n)
		return 0;
	double columns = (double)g->k * (double)g->m * AUGUR_BYTES_PER_VALUE;
	double lo = (double)th->narrow_cached_bytes;
	double hi = (double)th->narrow_streamed_bytes;
	double streamed = columns <= lo ? 0 : columns >= hi ? 1 : (columns - lo) / (hi - lo);
	/* the fewer filters, the less arithmetic covers each byte read */
	double exposed = 1 - (double)g->n / (double)th->narrow_gemm_n;
	return (double)g->count * columns * streamed * exposed;
}

/* A direct convolution's multiply-adds, by the kernel that runs them: depthwise (one input
 * channel per group), thin (fewer input channels per group than a SIMD block of block
 * channels) or blocked (input and output channels per group rounded up to the block). */
static void direct_conv_macs(const struct augur_layer *l, const struct augur_layer_stats *s,
                             uint32_t batch, uint32_t block, uint32_t width,
                             double f[AUGUR_FEAT_COUNT])
{
	double g = l->groups ? l->groups : 1, b = block ? block : 1;
	double cin = (double)s->in.c / g, cout = (double)l->filters / g;
	double taps = (double)l->kernel.h * l->kernel.w;
	double outputs = (double)s->out.h * s->out.w * batch * g;
	double macs = cin * cout * taps * outputs;
	if (g > 1 && cin == 1)
		f[AUGUR_FEAT_DIRECT_DW_MACS] = macs;
	else if (width && width < b)
		/* a grouped conv in narrower vectors (augur_conv_direct_width): the same kernel
		 * issues block / width times the instructions per multiply-add. Refitted on the
		 * 13 stored mkldnn-on runs: 504 -> 512 of 676 held-out networks within 10%; with
		 * run 4431 besides, 536 -> 546 of 728 (width 8 alone 541, the multiply-adds
		 * unscaled 542); docs/model.md */
		f[AUGUR_FEAT_DIRECT_MACS] = macs * b / width;
	else if (cin < b)
		f[AUGUR_FEAT_DIRECT_THIN_MACS] = macs;
	else
		f[AUGUR_FEAT_DIRECT_MACS] = ceil(cin / b) * b * ceil(cout / b) * b * taps * outputs;
}

void augur_layer_features(const struct augur_net *net, const struct augur_analysis *a, size_t i,
                          const struct augur_timemodel *gemm, const struct augur_thresholds *th,
                          double f[AUGUR_FEAT_COUNT], bool *gemm_outside)
{
	const struct augur_layer *l = &net->layers[i];
	const struct augur_layer_stats *s = &a->layers[i];
	bool outside = false;
	memset(f, 0, AUGUR_FEAT_COUNT * sizeof(*f));
	if (s->gemm.count) {
		f[AUGUR_FEAT_GEMM_MS] = augur_gemm_time_ms(gemm, &s->gemm, &outside);
		f[AUGUR_FEAT_GEMM_CALLS] = (double)s->gemm.count;
	}
	/* the im2col buffer holds one image; it is refilled for every image of the batch; a
	 * direct convolution fills none and calls no GEMM */
	bool columns = !augur_layer_is_direct_conv(net, a, i, th);
	f[AUGUR_FEAT_IM2COL_BYTES] = columns ? (double)s->workspace_bytes * a->batch : 0;
	if (!columns) {
		struct augur_conv_dispatch d = conv_dispatch(th);
		direct_conv_macs(l, s, a->batch, th->conv_block,
		                 augur_conv_direct_width(net, a, i, &d), f);
		f[AUGUR_FEAT_GEMM_MS] = f[AUGUR_FEAT_GEMM_CALLS] = 0;
	}
	if (s->out.w)
		f[AUGUR_FEAT_IM2COL_ROWS] =
		        f[AUGUR_FEAT_IM2COL_BYTES] / (AUGUR_BYTES_PER_VALUE * (double)s->out.w);
	if (l->type == AUGUR_LAYER_CONV && (l->dilation.h != 1 || l->dilation.w != 1))
		f[AUGUR_FEAT_IM2COL_DILATED_BYTES] = f[AUGUR_FEAT_IM2COL_BYTES];
	else if (l->type == AUGUR_LAYER_CONV && l->stride.w != 1)
		f[AUGUR_FEAT_IM2COL_STRIDED_BYTES] = f[AUGUR_FEAT_IM2COL_BYTES];
	for (uint32_t j = 0; j < l->n_inputs; j++) {
		int32_t from = l->inputs[j];
		f[AUGUR_FEAT_IN_BYTES] +=
		        (double)(from == AUGUR_NET_INPUT ? a->input_bytes
		                                         : a->layers[from].out_bytes);
		if (from != AUGUR_NET_INPUT && a->layers[from].gemm.count)
			f[AUGUR_FEAT_IN_BYTES_AFTER_GEMM] += (double)a->layers[from].out_bytes;
		else if (from != AUGUR_NET_INPUT && !a->layers[from].in_place &&
		         augur_layer_allocates_output(net->layers[from].type))
			f[AUGUR_FEAT_IN_BYTES_FRESH] += (double)a->layers[from].out_bytes;
	}
	f[AUGUR_FEAT_OUT_BYTES] = (double)s->out_bytes;
	if (l->type == AUGUR_LAYER_POOL && !l->global) {
		/* outputs x window, whole batch */
		f[l->op == AUGUR_POOL_MAX ? AUGUR_FEAT_WINDOW : AUGUR_FEAT_WINDOW_AVG] =
		        (double)s->flops;
		if (l->op == AUGUR_POOL_MAX && (l->stride.h != 1 || l->stride.w != 1))
			f[AUGUR_FEAT_WINDOW_STRIDED] = (double)s->flops;
	} else if (l->type == AUGUR_LAYER_POOL)
		f[AUGUR_FEAT_GLOBAL_READS] = f[AUGUR_FEAT_IN_BYTES];
	else if (l->type == AUGUR_LAYER_LRN)
		f[AUGUR_FEAT_WINDOW] = (double)s->out_bytes / AUGUR_BYTES_PER_VALUE *
		                       (double)(l->size ? l->size : 1);
	double weight_bytes = (double)(s->params + s->stats) * AUGUR_BYTES_PER_VALUE;
	f[AUGUR_FEAT_PARAM_BYTES] = weight_bytes;
	/* the weights of an fc layer with 4 KiB rows: held-out fc layers over 8 MiB stream at
	 * 0.19 ms/MiB with them (AlexNet's fc6-fc8, k = 9216, 4096) and 0.10-0.12 without
	 * (VGG-16's fc6, k = 25088); one param_bytes term for both was 20% high on the first */
	if (l->type == AUGUR_LAYER_FC && s->gemm.count && augur_rows_4k(s->gemm.k)) {
		f[AUGUR_FEAT_PARAM_BYTES_4K] = f[AUGUR_FEAT_PARAM_BYTES];
		f[AUGUR_FEAT_PARAM_BYTES] = 0;
	}
	if (l->type == AUGUR_LAYER_FC && weight_bytes > (double)th->streamed_weight_bytes) {
		f[AUGUR_FEAT_PARAM_BYTES_STREAMED] = f[AUGUR_FEAT_PARAM_BYTES];
		f[AUGUR_FEAT_PARAM_BYTES_4K_STREAMED] = f[AUGUR_FEAT_PARAM_BYTES_4K];
		f[AUGUR_FEAT_PARAM_BYTES] = f[AUGUR_FEAT_PARAM_BYTES_4K] = 0;
	}
	/* rows under 4 KiB, on top of param_bytes (docs/model.md, "Short fc rows"): held-out
	 * networks of augur's runtime on an Intel Xeon guest 43 -> 49 of 52 within 10%
	 * refitted with it; a boundary at 512, 2048 or 4096 values gave 45, 47 and 46 */
	if (l->type == AUGUR_LAYER_FC && s->gemm.count && s->gemm.k < AUGUR_SHORT_ROW_VALUES)
		f[AUGUR_FEAT_PARAM_BYTES_SHORT] = f[AUGUR_FEAT_PARAM_BYTES];
	f[AUGUR_FEAT_FRESH_BYTES] = augur_layer_fresh_bytes(net, a, i, th);
	f[AUGUR_FEAT_NARROW_GEMM_BYTES] = augur_narrow_gemm_bytes(&s->gemm, th);
	f[AUGUR_FEAT_GEMM_COLUMNS_MS] = augur_gemm_columns_ms(&s->gemm, f[AUGUR_FEAT_GEMM_MS]);
	/* a pass's conv and pooling layers stream megabytes through the caches, and with
	 * them the code and data of the fc call path (Python, ATen's addmm, OpenBLAS's
	 * driver): measured here, a network's first fc call took 45 us after a 7 ms conv and
	 * the next one, same size, 7 us. Random networks' first fc layers under 1 MiB of
	 * weights were predicted at half their time with one constant for every fc layer. */
	f[AUGUR_FEAT_FIRST_FC] = augur_first_fc(net, a, i, th);
	f[AUGUR_FEAT_COLD_PASS] = augur_pass_cold(a, th);
	f[AUGUR_FEAT_WRITER_EVICTED] = augur_writer_evicted(net, a, i, th);
	/* weights the caches hold (not streamed) are still there from the last pass when the
	 * whole pass fits the caches: a 100 x 21632 fc (8.3 MiB) took 0.57 ms in a 1.3 ms
	 * network and was predicted 1.01 with one rate for every pass */
	f[AUGUR_FEAT_PARAM_BYTES_COLD] = f[AUGUR_FEAT_PARAM_BYTES] * f[AUGUR_FEAT_COLD_PASS];
	f[AUGUR_FEAT_IM2COL_BYTES_COLD] = f[AUGUR_FEAT_IM2COL_BYTES] * f[AUGUR_FEAT_COLD_PASS];
	f[AUGUR_FEAT_PARAM_BYTES_4K_COLD] = f[AUGUR_FEAT_PARAM_BYTES_4K] * f[AUGUR_FEAT_COLD_PASS];
	f[AUGUR_FEAT_WARM_PASS] = augur_pass_warm(a, th);
	f[AUGUR_FEAT_PARAM_BYTES_WARM] = f[AUGUR_FEAT_PARAM_BYTES] * f[AUGUR_FEAT_WARM_PASS];
	f[AUGUR_FEAT_IM2COL_BYTES_WARM] = f[AUGUR_FEAT_IM2COL_BYTES] * f[AUGUR_FEAT_WARM_PASS];
	f[AUGUR_FEAT_PARAM_BYTES_4K_WARM] = f[AUGUR_FEAT_PARAM_BYTES_4K] * f[AUGUR_FEAT_WARM_PASS];
	f[AUGUR_FEAT_PLANES] = (double)s->out.c * a->batch;
	if (l->n_inputs && l->inputs[0] == AUGUR_NET_INPUT)
		f[AUGUR_FEAT_STEM_OUT_BYTES_COLD] =
		        f[AUGUR_FEAT_OUT_BYTES] * f[AUGUR_FEAT_COLD_PASS];
	if (l->type == AUGUR_LAYER_RELU && l->negative_slope != 0)
		f[AUGUR_FEAT_OUT_BYTES_LEAKY] = f[AUGUR_FEAT_OUT_BYTES];
	f[AUGUR_FEAT_DATA_BYTES_COLD] =
	        (f[AUGUR_FEAT_IN_BYTES] + f[AUGUR_FEAT_OUT_BYTES]) * f[AUGUR_FEAT_COLD_PASS];
	f[AUGUR_FEAT_DATA_BYTES_WARM] =
	        (f[AUGUR_FEAT_IN_BYTES] + f[AUGUR_FEAT_OUT_BYTES]) * f[AUGUR_FEAT_WARM_PASS];
	double moved = f[AUGUR_FEAT_IN_BYTES] + f[AUGUR_FEAT_OUT_BYTES];
	f[AUGUR_FEAT_DATA_BYTES_SPILLED] = fmax(moved - (double)th->core_cache_bytes, 0);
	f[AUGUR_FEAT_DATA_BYTES_SPILLED_LLC] = fmax(moved - (double)th->pass_cached_bytes, 0);
	f[AUGUR_FEAT_IN_BYTES_AFTER_GEMM] =
	        fmax(f[AUGUR_FEAT_IN_BYTES_AFTER_GEMM] - (double)th->core_cache_bytes, 0);
	/* the writer moved several times its output through the core's cache (an eltwise
	 * reads two inputs for each value it writes), so its output has left that cache
	 * from a quarter of it on: with the whole share as the threshold, relu after an
	 * eltwise of 0.25-2 MiB was still 22-31% low in four runs (docs/model.md) */
	f[AUGUR_FEAT_IN_BYTES_FRESH] =
	        fmax(f[AUGUR_FEAT_IN_BYTES_FRESH] - (double)th->core_cache_bytes / 4, 0);
	f[AUGUR_FEAT_ONE] = 1;
	/* a direct conv's own reorders and dispatch, apart from the im2col convs' */
	if (!columns) {
		f[AUGUR_FEAT_DIRECT_IN_BYTES] = f[AUGUR_FEAT_IN_BYTES];
		f[AUGUR_FEAT_DIRECT_OUT_BYTES] = f[AUGUR_FEAT_OUT_BYTES];
		f[AUGUR_FEAT_DIRECT_PARAM_BYTES] = f[AUGUR_FEAT_PARAM_BYTES];
		f[AUGUR_FEAT_DIRECT_CALLS] = 1;
		f[AUGUR_FEAT_IN_BYTES] = f[AUGUR_FEAT_OUT_BYTES] = f[AUGUR_FEAT_PARAM_BYTES] = 0;
	}
	if (gemm_outside)
		*gemm_outside = outside;
}

/* Weights in a regime no fitted row had (the feature's range ends at 0, its coefficient
 * is 0) are costed at the rate of the nearest regime the fit saw, in this order: YOLO's
 * 784 MiB fc with 4 KiB rows in a profile whose fit networks had no 4 KiB-row weights
 * beyond the cache it chose (192 MiB) was put at 0.09 ms for 143 measured (PyTorch with
 * mkldnn on, Intel Xeon guest, session 26). The layer stays flagged as outside its data. */
static const enum augur_feature unseen_weights[][2] = {
        {AUGUR_FEAT_PARAM_BYTES_4K_STREAMED, AUGUR_FEAT_PARAM_BYTES_STREAMED},
        {AUGUR_FEAT_PARAM_BYTES_4K_STREAMED, AUGUR_FEAT_PARAM_BYTES_4K},
        {AUGUR_FEAT_PARAM_BYTES_STREAMED, AUGUR_FEAT_PARAM_BYTES_4K_STREAMED},
        {AUGUR_FEAT_PARAM_BYTES_STREAMED, AUGUR_FEAT_PARAM_BYTES},
        {AUGUR_FEAT_PARAM_BYTES_4K, AUGUR_FEAT_PARAM_BYTES},
        {AUGUR_FEAT_PARAM_BYTES, AUGUR_FEAT_PARAM_BYTES_4K},
};

static bool seen(const struct augur_layer_cost *c, enum augur_feature j)
{
	return (c->feature_mask & AUGUR_FEAT_BIT(j)) && c->hi[j] > 0;
}

double augur_layer_cost_predict(const struct augur_layer_cost *c, const double f[AUGUR_FEAT_COUNT],
                                double split[AUGUR_COST_CLASSES], bool *outside)
{
	double total = 0, parts[AUGUR_COST_CLASSES] = {0};
	bool out = false;
	double g[AUGUR_FEAT_COUNT];
	memcpy(g, f, sizeof(g));
	if (!c->aggregate)
		for (size_t i = 0; i < sizeof(unseen_weights) / sizeof(*unseen_weights); i++) {
			enum augur_feature from = unseen_weights[i][0], to = unseen_weights[i][1];
			if (g[from] > 0 && (c->feature_mask & AUGUR_FEAT_BIT(from)) &&
			    !seen(c, from) && seen(c, to)) {
				g[to] += g[from];
				g[from] = 0;
			}
		}
	for (int j = 0; j < AUGUR_FEAT_COUNT; j++) {
		if (!(c->feature_mask & AUGUR_FEAT_BIT(j)))
			continue;
		double t = c->coef[j] * g[j];
		parts[augur_feature_class(j)] += t;
		total += t;
		/* a 1% margin: a layer exactly at the edge of what was measured is inside */
		if (j != AUGUR_FEAT_ONE && !c->aggregate &&
		    (f[j] > c->hi[j] * 1.01 || f[j] < c->lo[j] * 0.99))
			out = true;
	}
	if (split)
		memcpy(split, parts, sizeof(parts));
	if (outside)
		*outside = out;
	return total;
}

void augur_layer_costs_free(struct augur_layer_costs *c)
{
	if (!c)
		return;
	free(c->source);
	free(c);
}
