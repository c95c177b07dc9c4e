/* Caffe prototxt reading (prototxt.c over pbtext.c). The hand-written AlexNet (legacy
 * syntax), GoogLeNet and ResNet-50 deploy files must give the published parameter counts
 * and, field by field, the same analysis as the shipped YAML descriptors (when present)
 * and as their own YAML conversion. Bad input is a table {input, status, line, column,
 * message fragment}; good snippets check Caffe's defaults and the blob -> layer mapping. */
#include <unistd.h>

#include "analysis.h"
#include "check.h"
#include "descriptor.h"
#include "descwriter.h"
#include "fileio.h"
#include "netfile.h"
#include "pbtext.h"
#include "prototxt.h"
#include "trace.h"

/* ---- field-by-field comparison of two analyses ---- */

static int compare_failures;

#define SAME(what, x, y)                                                                           \
	do {                                                                                       \
		unsigned long long x_ = (unsigned long long)(x), y_ = (unsigned long long)(y);     \
		if (x_ == y_) {                                                                    \
			check_passed++;                                                            \
		} else if (compare_failures++ < 20) {                                              \
			CHECK_FAIL_("%s: %s differs: %llu vs %llu", label, what, x_, y_);          \
		} else {                                                                           \
			check_failed++;                                                            \
		}                                                                                  \
	} while (0)

static void same_shape(const char *label, const char *what, const struct augur_shape *x,
                       const struct augur_shape *y)
{
	SAME(what, x->c, y->c);
	SAME(what, x->h, y->h);
	SAME(what, x->w, y->w);
	SAME(what, x->rank, y->rank);
}

static void same_totals(const char *label, const struct augur_totals *x,
                        const struct augur_totals *y)
{
	SAME("totals.layers", x->layers, y->layers);
	SAME("totals.params", x->params, y->params);
	SAME("totals.stats", x->stats, y->stats);
	SAME("totals.macs", x->macs, y->macs);
	SAME("totals.flops", x->flops, y->flops);
	SAME("totals.gemm_calls", x->gemm_calls, y->gemm_calls);
	SAME("totals.out_bytes", x->out_bytes, y->out_bytes);
}

/* Everything augur_analyze computes, and each layer's type, must agree. */
static void compare_analyses(const char *label, const struct augur_net *nx,
                             const struct augur_analysis *x, const struct augur_net *ny,
                             const struct augur_analysis *y)
{
	compare_failures = 0;
	SAME("batch", x->batch, y->batch);
	SAME("layer count", x->n_layers, y->n_layers);
	same_shape(label, "input", &x->input, &y->input);
	SAME("input_bytes", x->input_bytes, y->input_bytes);
	SAME("input_readers", x->input_readers, y->input_readers);
	size_t n = x->n_layers < y->n_layers ? x->n_layers : y->n_layers;
	for (size_t i = 0; i < n; i++) {
		const struct augur_layer_stats *a = &x->layers[i], *b = &y->layers[i];
		char what[96];
		snprintf(what, sizeof(what), "layer %zu (%s) type", i, nx->layers[i].name);
		SAME(what, nx->layers[i].type, ny->layers[i].type);
		snprintf(what, sizeof(what), "layer %zu (%s)", i, nx->layers[i].name);
		same_shape(label, what, &a->in, &b->in);
		same_shape(label, what, &a->out, &b->out);
		SAME(what, a->params, b->params);
		SAME(what, a->stats, b->stats);
		SAME(what, a->macs, b->macs);
		SAME(what, a->flops, b->flops);
		SAME(what, a->gemm.n, b->gemm.n);
		SAME(what, a->gemm.k, b->gemm.k);
		SAME(what, a->gemm.m, b->gemm.m);
		SAME(what, a->gemm.count, b->gemm.count);
		SAME(what, a->out_bytes, b->out_bytes);
		SAME(what, a->workspace_paper_bytes, b->workspace_paper_bytes);
		SAME(what, a->workspace_bytes, b->workspace_bytes);
		SAME(what, a->readers, b->readers);
		SAME(what, a->last_reader, b->last_reader);
		SAME(what, a->in_place, b->in_place);
		SAME(what, a->live_bytes, b->live_bytes);
	}
	for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++)
		same_totals(label, &x->by_type[t], &y->by_type[t]);
	same_totals(label, &x->total, &y->total);
	const struct augur_memory *a = &x->memory, *b = &y->memory;
	SAME("paper_weights", a->paper_weights, b->paper_weights);
	SAME("paper_data", a->paper_data, b->paper_data);
	SAME("paper_workspace", a->paper_workspace, b->paper_workspace);
	SAME("alloc_params", a->alloc_params, b->alloc_params);
	SAME("alloc_stats", a->alloc_stats, b->alloc_stats);
	SAME("alloc_data", a->alloc_data, b->alloc_data);
	SAME("alloc_workspace", a->alloc_workspace, b->alloc_workspace);
	SAME("alloc_total", a->alloc_total, b->alloc_total);
	SAME("min_weights", a->min_weights, b->min_weights);
	SAME("min_workspace", a->min_workspace, b->min_workspace);
	SAME("min_data_peak", a->min_data_peak, b->min_data_peak);
	SAME("min_total", a->min_total, b->min_total);
	SAME("min_peak_layer", a->min_peak_layer, b->min_peak_layer);
}

/* ---- loading helpers ---- */

static const char *source_root(void)
{
	const char *root = getenv("AUGUR_SOURCE_ROOT");
	return root && *root ? root : ".";
}

static struct augur_net *load_file(const char *rel, enum augur_net_format expect)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", source_root(), rel);
	struct augur_diag diag = {0};
	struct augur_net *net = NULL;
	enum augur_net_format format = AUGUR_NET_YAML;
	if (augur_net_load_format(path, &net, &format, &diag)) {
		char line[1200];
		augur_diag_format(&diag, line, sizeof(line));
		CHECK_FAIL_("cannot load %s: %s", rel, line);
		return NULL;
	}
	CHECK_EQ_INT(format, expect);
	return net;
}

static struct augur_analysis *analyze(const struct augur_net *net, uint32_t batch)
{
	struct augur_diag diag = {0};
	struct augur_analysis *a = NULL;
	if (augur_analyze(net, batch, &a, &diag))
		CHECK_FAIL_("cannot analyse %s: %u:%u: %s", net->name, diag.line, diag.col,
		            diag.message);
	return a;
}

/* prototxt -> YAML text -> network, through the same entry point files take. */
static struct augur_net *round_trip(const struct augur_net *net)
{
	char *text = NULL;
	size_t len = 0;
	CHECK_EQ_INT(augur_descriptor_write(net, &text, &len, "round trip"), AUGUR_OK);
	if (!text)
		return NULL;
	struct augur_diag diag = {0};
	struct augur_net *back = NULL;
	enum augur_net_format format = AUGUR_NET_PROTOTXT;
	if (augur_net_parse("rt.yaml", text, len, &back, &format, &diag))
		CHECK_FAIL_("converted YAML does not load: %u:%u: %s\n%s", diag.line, diag.col,
		            diag.message, text);
	CHECK_EQ_INT(format, AUGUR_NET_YAML);
	free(text);
	return back;
}

struct fixture {
	const char *prototxt, *yaml;
	uint64_t params; /* published learned parameters */
	uint32_t batch;  /* what the file's input says */
	size_t layers;   /* augur layers after Split/Input/in-place handling */
	uint64_t out_c;  /* final output */
};

static const struct fixture fixtures[] = {
        {"tests/data/alexnet.prototxt", "descriptors/alexnet.yaml", 60965224, 10, 23, 1000},
        {"tests/data/googlenet.prototxt", "descriptors/googlenet.yaml", 6998552, 10, 142, 1000},
        {"tests/data/resnet50.prototxt", "descriptors/resnet50.yaml", 25557096, 1, 228, 1000},
};

static void test_fixture(const struct fixture *f)
{
	struct augur_net *net = load_file(f->prototxt, AUGUR_NET_PROTOTXT);
	if (!net)
		return;
	CHECK_EQ_U64(net->batch, f->batch);
	CHECK_EQ_U64(net->n_layers, f->layers);
	struct augur_analysis *a = analyze(net, 0), *a1 = analyze(net, 1);
	if (a && a1) {
		CHECK_EQ_U64(a->total.params, f->params);
		CHECK_EQ_U64(a1->total.params, f->params);
		CHECK_EQ_U64(a->layers[a->n_layers - 1].out.c, f->out_c);
		CHECK_EQ_U64(a->batch, f->batch);
	}

	/* round trip: prototxt -> convert -> YAML -> analyse equals prototxt -> analyse */
	struct augur_net *back = round_trip(net);
	if (back && a) {
		CHECK_EQ_U64(back->batch, net->batch);
		struct augur_analysis *b = analyze(back, 0);
		if (b)
			compare_analyses(f->prototxt, net, a, back, b);
		for (size_t i = 0; i < net->n_layers && i < back->n_layers; i++)
			CHECK_STR_EQ(back->layers[i].name, net->layers[i].name);
		augur_analysis_free(b);
	}
	augur_net_free(back);

	/* the shipped descriptor, when this tree has it, at batch 1 and at the file's batch */
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", source_root(), f->yaml);
	if (access(path, R_OK) != 0) {
		printf("note: %s not present, compared with the published figures only\n", f->yaml);
	} else {
		struct augur_net *y = load_file(f->yaml, AUGUR_NET_YAML);
		for (int pass = 0; y && pass < 2; pass++) {
			uint32_t batch = pass ? f->batch : 1;
			struct augur_analysis *pa = analyze(net, batch), *ya = analyze(y, batch);
			if (pa && ya)
				compare_analyses(f->yaml, net, pa, y, ya);
			augur_analysis_free(pa);
			augur_analysis_free(ya);
		}
		augur_net_free(y);
	}
	augur_analysis_free(a);
	augur_analysis_free(a1);
	augur_net_free(net);
}

/* ---- good snippets: defaults and blob mapping ---- */

static struct augur_net *parse(const char *text)
{
	struct augur_diag diag = {0};
	struct augur_net *net = NULL;
	if (augur_prototxt_parse("good.prototxt", text, strlen(text), &net, &diag))
		CHECK_FAIL_("unexpected error %u:%u: %s", diag.line, diag.col, diag.message);
	return net;
}

#define IN8 "input: \"data\"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 8\ninput_dim: 8\n"

static void test_blobs(void)
{
	/* in-place ReLU: "c" now names the ReLU; Split tops alias their bottom; Silence and
	 * TRAIN-only layers vanish; an unnamed layer is named as YAML would */
	struct augur_net *net = parse(
	        IN8 "layer { name: 'c' type: 'Convolution' bottom: 'data' top: 'c'\n"
	            "  convolution_param { num_output: 4 kernel_size: 3 pad: 1 } }\n"
	            "layer { name: 'r' type: 'ReLU' bottom: 'c' top: 'c' }\n"
	            "layer { name: 's' type: 'Split' bottom: 'c' top: 's1' top: 's2' }\n"
	            "layer { name: 'drop' type: 'Dropout' bottom: 's1' top: 's1'\n"
	            "  include { phase: TRAIN } }\n"
	            "layer { name: 'a' type: 'Pooling' bottom: 's1' top: 'a'\n"
	            "  pooling_param { pool: AVE kernel_size: 2 stride: 2 } }\n"
	            "layer { type: 'Pooling' bottom: 's2' top: 'b'\n"
	            "  exclude { phase: TRAIN }\n"
	            "  pooling_param { kernel_h: 2 kernel_w: 2 stride: 2 round_mode: FLOOR } }\n"
	            "layer { name: 'sil' type: 'Silence' bottom: 'data' }\n"
	            "layer { name: 'e' type: 'Eltwise' bottom: 'a' bottom: 'b'\n"
	            "  eltwise_param { operation: PROD } top: 'e' }\n"
	            "layer { name: 'x' type: 'Concat' bottom: 'e' bottom: 'data' top: 'x'\n"
	            "  include { phase: TEST stage: 'deploy-only-with-stage' } }\n"
	            "layer { name: 'sc' type: 'Scale' bottom: 'e' top: 'e' }\n"
	            "layer { name: 'f' type: 'InnerProduct' bottom: 'e' top: 'f'\n"
	            "  inner_product_param { num_output: 10 bias_term: false } }\n");
	if (!net)
		return;
	CHECK_EQ_U64(net->n_layers, 7);
	CHECK_EQ_U64(net->batch, 1);
	CHECK_EQ_U64(net->input.c, 3);
	CHECK_STR_EQ(net->name, "good");
	const struct augur_layer *l = net->layers;
	CHECK_STR_EQ(l[0].name, "c");
	CHECK_EQ_INT(l[0].inputs[0], AUGUR_NET_INPUT);
	CHECK(l[0].bias);
	CHECK_EQ_U64(l[0].pad.h, 1);
	CHECK_EQ_INT(l[1].inputs[0], 0);
	CHECK_STR_EQ(l[2].name, "a");
	CHECK_EQ_INT(l[2].inputs[0], 1); /* s1 -> c -> the ReLU */
	CHECK_EQ_INT(l[2].op, AUGUR_POOL_AVG);
	CHECK(l[2].ceil);
	CHECK_STR_EQ(l[3].name, "pool_4");
	CHECK_EQ_INT(l[3].inputs[0], 1);
	CHECK(!l[3].ceil);
	CHECK_EQ_U64(l[3].kernel.w, 2);
	CHECK_EQ_U64(l[4].n_inputs, 2);
	CHECK_EQ_INT(l[4].inputs[0], 2);
	CHECK_EQ_INT(l[4].inputs[1], 3);
	CHECK_EQ_INT(l[4].op, AUGUR_ELTWISE_PROD);
	CHECK_EQ_INT(l[5].type, AUGUR_LAYER_SCALE);
	CHECK(!l[5].bias); /* Caffe's Scale has no bias unless bias_term: true */
	CHECK_EQ_INT(l[6].inputs[0], 5);
	CHECK(!l[6].bias);
	augur_net_free(net);
}

/* Fork types and fields, several network inputs. */
static void test_forks(void)
{
	/* ceil_mode: 3x3/2 pad 1 over 112 gives 56 rounding down, 57 up (hand-computed);
	 * a depthwise conv over 16 channels has 16 groups: 16 x 1 x 3 x 3 weights; the fork's BN
	 * is a batchnorm (2C stats) and a scale with shift (2C params); the second input is
	 * listed, not modelled */
	struct augur_net *net = parse(
	        "input: 'data' input_shape { dim: 1 dim: 16 dim: 112 dim: 112 }\n"
	        "input: 'im_info' input_shape { dim: 1 dim: 3 }\n"
	        "layer { name: 'p1' type: 'Pooling' bottom: 'data' top: 'p1'\n"
	        "  pooling_param { kernel_size: 3 stride: 2 pad: 1 ceil_mode: false } }\n"
	        "layer { name: 'p2' type: 'Pooling' bottom: 'data' top: 'p2'\n"
	        "  pooling_param { kernel_size: 3 stride: 2 pad: 1 ceil_mode: true } }\n"
	        "layer { name: 'dw' type: 'ConvolutionDepthwise' bottom: 'p1' top: 'dw'\n"
	        "  convolution_param { num_output: 16 kernel_size: 3 pad: 1 bias_term: false } }\n"
	        "layer { name: 'dw2' type: 'DepthwiseConvolution' bottom: 'dw' top: 'dw2'\n"
	        "  convolution_param { num_output: 32 kernel_size: 3 group: 1 } }\n"
	        "layer { name: 'bn' type: 'BN' bottom: 'dw2' top: 'dw2'\n"
	        "  bn_param { frozen: true } }\n"
	        "layer { name: 'r' type: 'ReLU' bottom: 'dw2' top: 'dw2' }\n"
	        /* SegNet's BN (caffe-segnet): bn_mode and its fillers change no count */
	        "layer { name: 'bn2' type: 'BN' bottom: 'dw2' top: 'dw2'\n"
	        "  bn_param { bn_mode: INFERENCE scale_filler { type: 'constant' value: 1 }\n"
	        "    shift_filler { type: 'constant' value: 0.001 } } }\n");
	if (!net)
		return;
	CHECK_EQ_U64(net->n_layers, 9);
	CHECK_STR_EQ(net->other_inputs, "im_info");
	const struct augur_layer *l = net->layers;
	CHECK(!l[0].ceil);
	CHECK(l[1].ceil);
	CHECK_EQ_U64(l[2].groups, 16);
	CHECK_EQ_U64(l[3].groups, 16); /* a multiplier of 2: 32 filters over 16 channels */
	CHECK_EQ_INT(l[4].type, AUGUR_LAYER_BATCHNORM);
	CHECK_EQ_INT(l[5].type, AUGUR_LAYER_SCALE);
	CHECK_STR_EQ(l[5].name, "bn_scale");
	CHECK(l[5].bias);
	CHECK_EQ_INT(l[6].inputs[0], 5);
	struct augur_analysis *a = analyze(net, 1);
	if (a) {
		CHECK_EQ_U64(a->layers[0].out.h, 56);
		CHECK_EQ_U64(a->layers[1].out.h, 57);
		CHECK_EQ_U64(a->layers[2].params, 16 * 9);
		CHECK_EQ_U64(a->layers[3].params, 32 * 9 + 32);
		CHECK_EQ_U64(a->layers[4].stats, 64);
		CHECK_EQ_U64(a->layers[5].params, 64);
		CHECK_EQ_U64(a->layers[8].params, 64); /* bn2's scale and shift: 2 x 32 */
	}
	augur_analysis_free(a);
	augur_net_free(net);

	/* an Input layer with two tops and a shape each */
	net = parse("layer { name: 'in' type: 'Input' top: 'data' top: 'info'\n"
	            "  input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } shape { dim: 1 dim: 3 }"
	            " } }\n"
	            "layer { name: 'r' type: 'ReLU' bottom: 'data' top: 'r' }\n");
	if (net) {
		CHECK_EQ_U64(net->input.h, 8);
		CHECK_STR_EQ(net->other_inputs, "info");
	}
	augur_net_free(net);
}

/* The Caffe and fork types beyond the paper's, with hand-traced shapes. */
static void test_more_types(void)
{
	struct augur_net *net = parse(
	        "input: 'data' input_shape { dim: 1 dim: 8 dim: 8 dim: 8 }\n"
	        "layer { name: 'p' type: 'Pooling' bottom: 'data' top: 'p' top: 'mask'\n"
	        "  pooling_param { pool: MAX kernel_size: 2 stride: 2 } }\n"
	        "layer { name: 'u' type: 'Upsample' bottom: 'p' bottom: 'mask' top: 'u'\n"
	        "  upsample_param { scale: 2 } }\n"
	        "layer { name: 'sh' type: 'ShuffleChannel' bottom: 'u' top: 'sh'\n"
	        "  shuffle_channel_param { group: 4 } }\n"
	        "layer { name: 'sl' type: 'Slice' bottom: 'sh' top: 'a' top: 'b'\n"
	        "  slice_param { axis: 1 slice_point: 3 } }\n"
	        "layer { name: 'dc' type: 'Deconvolution' bottom: 'b' top: 'dc'\n"
	        "  convolution_param { num_output: 4 kernel_size: 4 stride: 2 pad: 1 } }\n"
	        "layer { name: 'cr' type: 'Crop' bottom: 'dc' bottom: 'data' top: 'cr'\n"
	        "  crop_param { axis: 2 offset: 4 } }\n"
	        "layer { name: 'pr' type: 'PReLU' bottom: 'cr' top: 'cr' }\n"
	        "layer { name: 'el' type: 'ELU' bottom: 'cr' top: 'cr' }\n"
	        "layer { name: 'ip' type: 'Interp' bottom: 'cr' top: 'ip'\n"
	        "  interp_param { height: 5 width: 6 } }\n"
	        "layer { name: 'pm' type: 'Permute' bottom: 'ip' top: 'pm'\n"
	        "  permute_param { order: 0 order: 2 order: 3 order: 1 } }\n"
	        "layer { name: 'rs' type: 'Reshape' bottom: 'pm' top: 'rs'\n"
	        "  reshape_param { shape { dim: 0 dim: 4 dim: 5 dim: 6 } } }\n"
	        "layer { name: 'g' type: 'Pooling' bottom: 'a' top: 'g'\n"
	        "  pooling_param { pool: AVE global_pooling: true } }\n"
	        "layer { name: 'ax' type: 'Axpy' bottom: 'g' bottom: 'a' bottom: 'a' top: 'ax' }\n");
	if (!net)
		return;
	static const struct {
		const char *name, *type;
		uint64_t c, h, w, params;
	} want[] = {
	        {"p", "pool", 8, 4, 4, 0},     {"u", "upsample", 8, 8, 8, 0},
	        {"sh", "shuffle", 8, 8, 8, 0}, {"sl", "slice", 3, 8, 8, 0},
	        {"sl_2", "slice", 5, 8, 8, 0}, {"dc", "deconv", 4, 16, 16, 5 * 4 * 16 + 4},
	        {"cr", "crop", 4, 8, 8, 0},    {"pr", "prelu", 4, 8, 8, 4},
	        {"el", "elu", 4, 8, 8, 0},     {"ip", "upsample", 4, 5, 6, 0},
	        {"pm", "permute", 5, 6, 4, 0}, {"rs", "reshape", 4, 5, 6, 0},
	        {"g", "pool", 3, 1, 1, 0},     {"ax_ax", "eltwise", 3, 8, 8, 0},
	        {"ax", "eltwise", 3, 8, 8, 0},
	};
	size_t n = sizeof(want) / sizeof(*want);
	CHECK_EQ_U64(net->n_layers, n);
	struct augur_analysis *a = analyze(net, 1);
	for (size_t i = 0; a && i < n && i < net->n_layers; i++) {
		CHECK_STR_EQ(net->layers[i].name, want[i].name);
		CHECK_STR_EQ(augur_layer_type_name(net->layers[i].type), want[i].type);
		CHECK_EQ_U64(a->layers[i].out.c, want[i].c);
		CHECK_EQ_U64(a->layers[i].out.h, want[i].h);
		CHECK_EQ_U64(a->layers[i].out.w, want[i].w);
		CHECK_EQ_U64(a->layers[i].params, want[i].params);
	}
	const struct augur_layer *l = net->layers;
	CHECK_EQ_U64(l[1].n_inputs, 1); /* the pooling mask only places values */
	CHECK_EQ_U64(l[4].range[0], 3);
	CHECK_EQ_U64(l[4].range[1], 8);
	CHECK_EQ_INT(l[9].op, AUGUR_UPSAMPLE_BILINEAR);
	CHECK_EQ_INT(l[13].op, AUGUR_ELTWISE_PROD);
	CHECK_EQ_INT(l[14].op, AUGUR_ELTWISE_SUM);
	CHECK_EQ_INT(l[14].inputs[0], 13);
	augur_analysis_free(a);
	augur_net_free(net);
}

/* Reshape with Caffe's 0 (copy that axis) and -1 (infer), Crop with its axis and offsets,
 * caffe-segnet's Upsample with pad_out_h (SegNet's 23 -> 45 rows), each against shapes
 * computed by hand; and the YAML conversion keeps them. */
static void test_reshape_crop(void)
{
	/* 3 x 8 x 8 = 192 values; p is 3 x 4 x 4, c2 is 2 x 6 x 6 (3x3 conv, no pad) */
	struct augur_net *net = parse(
	        IN8 "layer { name: 'r1' type: 'Reshape' bottom: 'data' top: 'r1'\n"
	            "  reshape_param { shape { dim: 0 dim: 0 dim: -1 } } }\n" /* 3 x 64 (x 1) */
	            "layer { name: 'r2' type: 'Reshape' bottom: 'data' top: 'r2'\n"
	            "  reshape_param { shape { dim: 0 dim: 6 dim: 0 dim: -1 } } }\n" /* 6 x 8 x 4 */
	            "layer { name: 'r3' type: 'Reshape' bottom: 'data' top: 'r3'\n"
	            "  reshape_param { axis: 1 shape { dim: -1 } } }\n" /* 192 */
	            "layer { name: 'r4' type: 'Reshape' bottom: 'data' top: 'r4'\n"
	            "  reshape_param { shape { dim: -1 dim: 12 dim: 4 dim: 4 } } }\n" /* 12x4x4 */
	            "layer { name: 'p' type: 'Pooling' bottom: 'data' top: 'p'\n"
	            "  pooling_param { kernel_size: 2 stride: 2 } }\n"
	            "layer { name: 'c2' type: 'Convolution' bottom: 'data' top: 'c2'\n"
	            "  convolution_param { num_output: 2 kernel_size: 3 } }\n"
	            "layer { name: 'cr1' type: 'Crop' bottom: 'data' bottom: 'p' top: 'cr1'\n"
	            "  crop_param { offset: 4 } }\n" /* H, W from p: 3 x 4 x 4, 4 + 4 <= 8 */
	            "layer { name: 'cr2' type: 'Crop' bottom: 'data' bottom: 'c2' top: 'cr2'\n"
	            "  crop_param { axis: 1 offset: 1 offset: 2 offset: 0 } }\n" /* 2 x 6 x 6 */
	            "layer { name: 'cr3' type: 'Crop' bottom: 'data' bottom: 'p' top: 'cr3'\n"
	            "  crop_param { axis: -1 offset: 3 } }\n" /* W only: 3 x 8 x 4 */
	            "layer { name: 'pm' type: 'Pooling' bottom: 'data' top: 'pm' top: 'mask'\n"
	            "  pooling_param { pool: MAX kernel_size: 2 stride: 2 } }\n"
	            "layer { name: 'up' type: 'Upsample' bottom: 'pm' bottom: 'mask' top: 'up'\n"
	            "  upsample_param { scale: 2 pad_out_h: true } }\n"); /* 2 x 4 - 1 = 7 */
	if (!net)
		return;
	static const struct {
		const char *name;
		uint64_t c, h, w;
		uint8_t rank;
	} want[] = {
	        {"r1", 3, 64, 1, 3}, {"r2", 6, 8, 4, 3}, {"r3", 192, 1, 1, 1}, {"r4", 12, 4, 4, 3},
	        {"p", 3, 4, 4, 3},   {"c2", 2, 6, 6, 3}, {"cr1", 3, 4, 4, 3},  {"cr2", 2, 6, 6, 3},
	        {"cr3", 3, 8, 4, 3}, {"pm", 3, 4, 4, 3}, {"up", 3, 7, 8, 3},
	};
	struct augur_analysis *a = analyze(net, 1);
	struct augur_net *back = a ? round_trip(net) : NULL;
	struct augur_analysis *b = back ? analyze(back, 1) : NULL;
	for (size_t i = 0; a && i < sizeof(want) / sizeof(*want); i++) {
		CHECK_EQ_U64(a->layers[i].out.c, want[i].c);
		CHECK_EQ_U64(a->layers[i].out.h, want[i].h);
		CHECK_EQ_U64(a->layers[i].out.w, want[i].w);
		CHECK_EQ_U64(a->layers[i].out.rank, want[i].rank);
	}
	const struct augur_layer *l = net->layers;
	CHECK_EQ_U64(l[7].axis, 1);
	CHECK_EQ_U64(l[7].offset[0], 1);
	CHECK_EQ_U64(l[7].offset[1], 2);
	CHECK_EQ_U64(l[8].axis, 3);
	CHECK_EQ_U64(l[8].offset[1], 0);
	CHECK_EQ_U64(l[8].offset[2], 3);
	if (a && b)
		compare_analyses("reshape and crop", net, a, back, b);
	for (size_t i = 0; back && i < net->n_layers && i < back->n_layers; i++) {
		CHECK_EQ_U64(back->layers[i].axis, l[i].axis);
		for (unsigned k = l[i].axis ? l[i].axis - 1u : 0; k < 3; k++)
			CHECK_EQ_U64(back->layers[i].offset[k], l[i].offset[k]);
		CHECK_EQ_U64(back->layers[i].shape[0], l[i].shape[0]);
		CHECK_EQ_U64(back->layers[i].shape[2], l[i].shape[2]);
		CHECK_EQ_U64(back->layers[i].trim.h, l[i].trim.h);
	}
	augur_analysis_free(b);
	augur_net_free(back);
	augur_analysis_free(a);
	augur_net_free(net);
}

/* --input: a depthwise conv (groups == its input channels) follows the new channel count,
 * its filters too when it had one a group; an ordinary conv keeps what the file says. */
static void test_depthwise_input(void)
{
	struct augur_net *net =
	        parse("input: 'data' input_shape { dim: 1 dim: 16 dim: 8 dim: 8 }\n"
	              "layer { name: 'dw' type: 'Convolution' bottom: 'data' top: 'dw'\n"
	              "  convolution_param { num_output: 16 group: 16 kernel_size: 3 pad: 1 } }\n"
	              "layer { name: 'dw2' type: 'ConvolutionDepthwise' bottom: 'dw' top: 'dw2'\n"
	              "  convolution_param { num_output: 32 kernel_size: 3 pad: 1 } }\n"
	              "layer { name: 'g' type: 'Convolution' bottom: 'dw2' top: 'g'\n"
	              "  convolution_param { num_output: 8 group: 4 kernel_size: 1 } }\n");
	if (!net)
		return;
	CHECK_EQ_U64(net->layers[1].groups, 16);
	struct augur_shape in = {32, 10, 10, 3};
	CHECK_EQ_INT(augur_net_set_input(net, &in), AUGUR_OK);
	const struct augur_layer *l = net->layers;
	CHECK_EQ_U64(l[0].groups, 32); /* one filter a channel: 32 x 1 x 3 x 3 */
	CHECK_EQ_U64(l[0].filters, 32);
	CHECK_EQ_U64(l[1].groups, 32); /* two filters a channel before: 32 filters kept */
	CHECK_EQ_U64(l[1].filters, 32);
	CHECK_EQ_U64(l[2].groups, 4);
	struct augur_analysis *a = analyze(net, 1);
	if (a) {
		CHECK_EQ_U64(a->layers[0].params, 32 * 9 + 32);
		CHECK_EQ_U64(a->layers[1].params, 32 * 9 + 32);
		CHECK_EQ_U64(a->layers[2].params, 8 * 8 + 8);
		CHECK_EQ_U64(a->layers[2].out.h, 10);
	}
	augur_analysis_free(a);
	augur_net_free(net);
}

/* A data layer (SegNet's inference files) is the network input: its first top the
 * image, sized by --input, the others (labels) listed; analysing without a size fails. */
static void test_data_layer(void)
{
	struct augur_net *net =
	        parse("layer { name: 'data' type: 'DenseImageData' top: 'data' top: 'label'\n"
	              "  dense_image_data_param { source: 'test.txt' batch_size: 1 } }\n"
	              "layer { name: 'c' type: 'Convolution' bottom: 'data' top: 'c'\n"
	              "  convolution_param { num_output: 4 kernel_size: 3 pad: 1 } }\n");
	if (!net)
		return;
	CHECK_STR_EQ(net->other_inputs, "label");
	struct augur_diag diag = {0};
	struct augur_analysis *a = NULL;
	CHECK_EQ_INT(augur_analyze(net, 1, &a, &diag), AUGUR_E_SHAPE);
	CHECK_EQ_U64(diag.line, 1);
	CHECK_CONTAINS(diag.message, "--input C,H,W");
	struct augur_shape in = {3, 10, 12, 3};
	CHECK_EQ_INT(augur_net_set_input(net, &in), AUGUR_OK);
	a = analyze(net, 1);
	if (a) {
		CHECK_EQ_U64(a->layers[0].out.c, 4);
		CHECK_EQ_U64(a->layers[0].out.h, 10);
		CHECK_EQ_U64(a->layers[0].out.w, 12);
		CHECK_EQ_U64(a->layers[0].params, 4 * 27 + 4);
	}
	augur_analysis_free(a);
	augur_net_free(net);
}

/* The V0 syntax, read as Caffe's upgrade_net_proto_text upgrades it: AlexNet's first
 * layers, a padding layer folded into the conv that reads it. */
static void test_v0(void)
{
	struct augur_net *net = parse(
	        "name: 'CaffeNet' input: 'data' input_dim: 10 input_dim: 3 input_dim: 227\n"
	        "input_dim: 227\n"
	        "layers { layer { name: 'conv1' type: 'conv' num_output: 96 kernelsize: 11\n"
	        "  stride: 4 weight_filler { type: 'gaussian' std: 0.01 } blobs_lr: 1. }\n"
	        "  bottom: 'data' top: 'conv1' }\n"
	        "layers { layer { name: 'relu1' type: 'relu' } bottom: 'conv1' top: 'conv1' }\n"
	        "layers { layer { name: 'pool1' type: 'pool' pool: MAX kernelsize: 3 stride: 2 }\n"
	        "  bottom: 'conv1' top: 'pool1' }\n"
	        "layers { layer { name: 'norm1' type: 'lrn' local_size: 5 alpha: 0.0001 }\n"
	        "  bottom: 'pool1' top: 'norm1' }\n"
	        "layers { layer { name: 'pad2' type: 'padding' pad: 2 } bottom: 'norm1' top: 'pad2' }\n"
	        "layers { layer { name: 'conv2' type: 'conv' num_output: 256 group: 2 kernelsize: 5\n"
	        "  biasterm: false } bottom: 'pad2' top: 'conv2' }\n"
	        "layers { layer { name: 'fc' type: 'innerproduct' num_output: 10 }\n"
	        "  bottom: 'conv2' top: 'fc' }\n");
	if (!net)
		return;
	CHECK_EQ_U64(net->n_layers, 6);
	CHECK_EQ_U64(net->batch, 10);
	const struct augur_layer *l = net->layers;
	CHECK_STR_EQ(l[4].name, "conv2");
	CHECK_EQ_INT(l[4].inputs[0], 3); /* the padding layer is gone: norm1 */
	CHECK_EQ_U64(l[4].pad.h, 2);
	CHECK(!l[4].bias);
	CHECK(l[2].ceil);
	struct augur_analysis *a = analyze(net, 1);
	if (a) {
		/* AlexNet's GEMMs (the paper's Table 2): conv1 96 x 363 x 3025, conv2
		 * 128 x 1200 x 729 per group */
		CHECK_EQ_U64(a->layers[0].gemm.n, 96);
		CHECK_EQ_U64(a->layers[0].gemm.k, 363);
		CHECK_EQ_U64(a->layers[0].gemm.m, 3025);
		CHECK_EQ_U64(a->layers[4].gemm.n, 128);
		CHECK_EQ_U64(a->layers[4].gemm.k, 1200);
		CHECK_EQ_U64(a->layers[4].gemm.m, 729);
		CHECK_EQ_U64(a->layers[4].params, 256 * 48 * 25);
	}
	augur_analysis_free(a);
	augur_net_free(net);
}

/* An SSD head (the fuzz seed ssd-head.prototxt), counted by hand: priorbox 1 has
 * aspect ratios 1, 2, 1/2 (flip) for one min_size, plus one max_size: 4 boxes a position;
 * priorbox 2 has 1, 2, 1/2, 3, 1/3: 5. 16 x 16 x 4 + 8 x 8 x 5 = 1344 boxes: 5376
 * locations, 28224 confidences (21 classes), 10752 prior values (4 coordinates and 4
 * variances); keep_top_k 100 gives 700 values. */
static void test_ssd(void)
{
	struct augur_net *net =
	        load_file("tests/fuzz/corpus/prototxt/ssd-head.prototxt", AUGUR_NET_PROTOTXT);
	struct augur_analysis *a = net ? analyze(net, 1) : NULL;
	if (!a) {
		augur_net_free(net);
		return;
	}
	static const struct {
		const char *name;
		uint64_t c, params;
	} want[] = {
	        {"conv1_norm", 16, 16},    {"prior1", 8192, 0},       {"prior2", 2560, 0},
	        {"mbox_loc", 5376, 0},     {"mbox_conf", 28224, 0},   {"mbox_priorbox", 10752, 0},
	        {"conf_reshape", 1344, 0}, {"detection_out", 700, 0},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
		long at = augur_net_find(net, want[i].name);
		CHECK(at >= 0);
		if (at < 0)
			continue;
		CHECK_EQ_U64(a->layers[at].out.c, want[i].c);
		CHECK_EQ_U64(a->layers[at].params, want[i].params);
	}
	/* Reshape 0, -1, 21: the batch, 28224 / 21 = 1344 boxes, 21 classes: 1344 x 21 x 1 */
	CHECK_EQ_U64(a->layers[augur_net_find(net, "conf_reshape")].out.h, 21);
	CHECK_EQ_U64(net->layers[augur_net_find(net, "prior1")].priors, 4);
	CHECK_EQ_U64(net->layers[augur_net_find(net, "prior2")].priors, 5);
	augur_analysis_free(a);
	/* Caffe's PriorBox writes one 1 x 2 x n blob for the whole batch (its top's first dim
	 * is 1), and the Concat of priors too; locations are per image */
	a = analyze(net, 4);
	if (a) {
		CHECK_EQ_U64(a->layers[augur_net_find(net, "prior1")].out_bytes, 8192 * 4);
		CHECK_EQ_U64(a->layers[augur_net_find(net, "mbox_priorbox")].out_bytes, 10752 * 4);
		CHECK_EQ_U64(a->layers[augur_net_find(net, "mbox_loc")].out_bytes, 5376 * 4 * 4);
		CHECK_EQ_U64(a->layers[augur_net_find(net, "detection_out")].out_bytes,
		             700 * 4 * 4);
	}
	augur_analysis_free(a);
	augur_net_free(net);
}

static void test_syntax_variants(void)
{
	/* comments, '<>' messages, lists, separators, escapes and joined strings, legacy
	 * enum types, rank-1 input, PReLU read as prelu, leaky ReLU slope */
	struct augur_net *net = parse("# a comment\nname: \"n\\x41\" 'et'  # trailing\n"
	                              "version: 1\n" /* 2014's NetParameter (BVLC's examples) */
	                              "input: 'in'; input_shape < dim: [2, 16] >\n"
	                              "layers { name: \"fc\\\"1\" type: INNER_PRODUCT, bottom: "
	                              "'in' top: 'f' inner_product_param { num_output: 8 } }\n"
	                              "layers { name: 'r' type: RELU bottom: 'f' top: 'f'\n"
	                              "  relu_param { negative_slope: 0.1f } }\n");
	if (net) {
		CHECK_STR_EQ(net->name, "nAet");
		CHECK_EQ_U64(net->input.rank, 1);
		CHECK_EQ_U64(net->input.c, 16);
		CHECK_EQ_U64(net->batch, 2);
		CHECK_STR_EQ(net->layers[0].name, "fc\"1");
		CHECK_NEAR(net->layers[1].negative_slope, 0.1, 1e-12);
	}
	augur_net_free(net);
	net = parse("layer { name: 'in' type: 'Input' top: 'd'\n"
	            "  input_param { shape: { dim: 4 dim: 1 dim: 5 dim: 7 } } }\n"
	            "layer { name: 'p' type: 'PReLU' bottom: 'd' top: 'd' }\n"
	            "layer { name: 'c' type: 'Convolution' bottom: 'd' top: 'c'\n"
	            "  convolution_param { num_output: 2 kernel_size: 3 kernel_size: 1\n"
	            "    pad_h: 1 pad_w: 0 stride: [1, 2] dilation: 1 group: 1 } }\n"
	            "layer { name: 'g' type: 'Pooling' bottom: 'c' top: 'g'\n"
	            "  pooling_param { global_pooling: true pool: AVE } }\n"
	            "layer { name: 'fl' type: 'Flatten' bottom: 'g' top: 'fl' }\n"
	            "layer { name: 'sm' type: 'Softmax' bottom: 'fl' top: 'sm' }\n");
	if (net) {
		CHECK_EQ_U64(net->batch, 4);
		CHECK_EQ_U64(net->input.h, 5);
		CHECK_EQ_INT(net->layers[0].type, AUGUR_LAYER_PRELU);
		const struct augur_layer *c = &net->layers[1];
		CHECK_EQ_U64(c->kernel.h, 3);
		CHECK_EQ_U64(c->kernel.w, 1);
		CHECK_EQ_U64(c->pad.h, 1);
		CHECK_EQ_U64(c->pad.w, 0);
		CHECK_EQ_U64(c->stride.w, 2);
		CHECK(net->layers[2].global);
		struct augur_analysis *a = analyze(net, 0);
		if (a) {
			CHECK_EQ_U64(a->layers[1].out.h, 5);
			CHECK_EQ_U64(a->layers[1].out.w, 4);
			CHECK_EQ_U64(a->layers[2].out.h, 1);
			CHECK_EQ_U64(a->layers[3].out.c, 2);
		}
		augur_analysis_free(a);
	}
	augur_net_free(net);
}

/* ---- bad input ---- */

struct bad_case {
	const char *text;
	int status;
	unsigned line, col;
	const char *fragment;
};

#define L(body) "layer { " body " }\n"
#define A10     "a { a { a { a { a { a { a { a { a { a { "
#define CONV(extra)                                                                                \
	L("name: 'c' type: 'Convolution' bottom: 'data' top: 'c' convolution_param { " extra " }")

static const struct bad_case bad[] = {
        /* syntax */
        {IN8 "layer { name: \"oops }\n", AUGUR_E_SYNTAX, 6, 15, "unterminated string"},
        {IN8 "layer { name: 'c'\n", AUGUR_E_SYNTAX, 6, 7,
         "'layer' opened here is never closed (expected '}'"},
        {IN8 "layer { name: 'a' } }\n", AUGUR_E_SYNTAX, 6, 21, "unexpected '}'"},
        {IN8 "layer name: 'a'\n", AUGUR_E_SYNTAX, 6, 7,
         "expected ':' or '{' after field 'layer', got 'name'"},
        {IN8 "layer { name: }\n", AUGUR_E_SYNTAX, 6, 15, "expected a value for 'name', got '}'"},
        {IN8 "layer { name: 'a\\q' }\n", AUGUR_E_SYNTAX, 6, 17, "unknown escape '\\q'"},
        {IN8 "layer { name: 'a\\0' }\n", AUGUR_E_SYNTAX, 6, 17, "NUL byte"},
        {IN8 "layer { @ }\n", AUGUR_E_SYNTAX, 6, 9, "unexpected character '@'"},
        /* names YAML cannot hold (found by fuzzing: convert wrote a descriptor that
         * did not load): U+FFFF, a surrogate, a C1 control, an overlong '/' */
        {IN8 "layer { name: 'a\xef\xbf\xbf' type: 'ReLU' bottom: 'data' top: 'data' }\n",
         AUGUR_E_SCHEMA, 6, 15, "invalid UTF-8"},
        {IN8 "layer { name: 'a\xed\xa0\x80' type: 'ReLU' bottom: 'data' top: 'data' }\n",
         AUGUR_E_SCHEMA, 6, 15, "invalid UTF-8"},
        {IN8 "layer { name: 'a\xc2\x81' type: 'ReLU' bottom: 'data' top: 'data' }\n",
         AUGUR_E_SCHEMA, 6, 15, "invalid UTF-8"},
        {IN8 "layer { name: 'a\xc0\xaf' type: 'ReLU' bottom: 'data' top: 'data' }\n",
         AUGUR_E_SCHEMA, 6, 15, "invalid UTF-8"},
        {IN8 "layer { [ext.x]: 1 }\n", AUGUR_E_SYNTAX, 6, 9, "extension fields"},
        {"input_dim: [1, 2\n", AUGUR_E_SYNTAX, 1, 12, "'[' opened here is never closed"},
        {A10 A10 A10 A10 A10 A10 A10 "\n", AUGUR_E_LIMIT, 1, 0,
         "nesting is too deep (the limit is 64"},
        /* the network */
        {"name: 'x'\n", AUGUR_E_SCHEMA, 1, 1, "no network input"},
        {IN8, AUGUR_E_SCHEMA, 1, 1, "no layers"},
        {"input: 'data'\ninput_dim: 1\ninput_dim: 3\ninput_dim: 8\nlayer { }\n", AUGUR_E_SCHEMA, 2,
         12, "expected 4 dimensions (N, C, H, W) or 2 (N, C)"},
        {"input: 'data'\n" L("type: 'ReLU' bottom: 'data' top: 'r'"), AUGUR_E_SCHEMA, 1, 8,
         "network input 'data' has no shape"},
        {IN8 "input: 'label'\n", AUGUR_E_SCHEMA, 2, 1,
         "2 'input' blobs but 4 'input_dim' (four per input)"},
        {IN8 "input: 'label'\ninput_dim: 1\ninput_dim: 1\ninput_dim: 1\ninput_dim: 1\n" L(
                 "name: 'c' type: 'Concat' bottom: 'data' bottom: 'label' top: 'c'"),
         AUGUR_E_SCHEMA, 11, 57, "layer 'c' reads 'label', a second network input"},
        {IN8 L("name: 'p' type: 'Pooling' bottom: 'data' top: 'p' pooling_param { "
               "kernel_size: 2 round_mode: CEIL ceil_mode: true }"),
         AUGUR_E_SCHEMA, 6, 107, "give either 'round_mode' or 'ceil_mode', not both"},
        {IN8 L("name: 'f' type: 'Flatten' bottom: 'data' top: 'f'")
                 L("name: 'd' type: 'DepthwiseConvolution' bottom: 'f' top: 'd' "
                   "convolution_param { num_output: 4 kernel_size: 1 }"),
         AUGUR_E_SCHEMA, 7, 1, "cannot tell the input channels of depthwise layer 'd'"},
        {"input: 'data'\ninput_dim: 1\ninput_dim: 3\ninput_dim: 0\ninput_dim: 8\n", AUGUR_E_SCHEMA,
         4, 12, "'input_dim' must be between 1 and"},
        {"input: 'data'\ninput_dim: 1\ninput_dim: 3\ninput_dim: 8x\ninput_dim: 8\n", AUGUR_E_SCHEMA,
         4, 12, "expected an integer for 'input_dim', got '8x'"},
        {"inputs: 'data'\n", AUGUR_E_SCHEMA, 1, 1,
         "unknown field 'inputs' in the network (did you mean 'input'?)"},
        {IN8 "layers { name: 'a' type: RELU bottom: 'data' top: 'a' }\n"
             "layer { name: 'b' type: 'ReLU' bottom: 'a' top: 'b' }\n",
         AUGUR_E_SCHEMA, 7, 1, "either 'layer' or the legacy 'layers', not both"},
        {"layers { layer { name: 'a' } }\n", AUGUR_E_SCHEMA, 1, 10, "V0 layer 'a' has no 'type'"},
        {IN8 "layers { layer { name: 'a' type: 'bnll' } bottom: 'data' top: 'a' }\n",
         AUGUR_E_SCHEMA, 6, 34, "unsupported V0 layer type 'bnll' of layer 'a'"},
        {IN8 "layers { layer { name: 'a' type: 'conv' kernel_size: 3 } }\n", AUGUR_E_SCHEMA, 6, 41,
         "unknown field 'kernel_size' in a V0 layer"},
        {IN8 "layers { layer { name: 'p' type: 'padding' pad: 1 } bottom: 'data' top: 'p' }\n"
             "layers { layer { name: 'r' type: 'relu' } bottom: 'p' top: 'r' }\n",
         AUGUR_E_SCHEMA, 7, 51, "reads a padding layer's output"},
        /* layer types */
        {IN8 L("name: 'i' type: 'Interp' bottom: 'data' top: 'i' interp_param { zoom_factor: 2 }"),
         AUGUR_E_SCHEMA, 6, 73, "Interp layer 'i': 'zoom_factor' is not supported"},
        {IN8 L("name: 's' type: 'Slice' bottom: 'data' top: 'a' top: 'b'"), AUGUR_E_SCHEMA, 6, 1,
         "Slice layer 's' needs 1 'slice_point' values for its 2 tops"},
        {IN8 L("name: 'r' type: 'Reshape' bottom: 'data' top: 'r' reshape_param { shape { dim: 2 "
               "dim: 24 dim: 4 dim: 4 } }"),
         AUGUR_E_SCHEMA, 6, 88, "changes the batch (its first dim is 2)"},
        {IN8 L("name: 'r' type: 'Reshape' bottom: 'data' top: 'r' reshape_param { shape { dim: 0 "
               "dim: -1 dim: -1 } }"),
         AUGUR_E_SCHEMA, 6, 103, "infers more than one dim"},
        {IN8 L("name: 'r' type: 'Reshape' bottom: 'data' top: 'r' reshape_param { shape { dim: -1 "
               "} }"),
         AUGUR_E_SCHEMA, 6, 75, "folds the batch into one axis"},
        {IN8 L("name: 'r' type: 'Reshape' bottom: 'data' top: 'r' reshape_param { shape { dim: 0 "
               "dim: 1 dim: 1 dim: 1 dim: -1 } }"),
         AUGUR_E_SCHEMA, 6, 116, "more than 4 dims"},
        {IN8 L("name: 'r' type: 'Reshape' bottom: 'data' top: 'r' reshape_param { axis: 2 shape { "
               "dim: -1 } }"),
         AUGUR_E_SCHEMA, 6, 81, "'axis: 2' is not supported"},
        /* 192 values do not fill whole rows of 7 */
        {IN8 L("name: 'r' type: 'Reshape' bottom: 'data' top: 'r' reshape_param { shape { dim: 0 "
               "dim: 7 dim: -1 } }"),
         AUGUR_E_SHAPE, 6, 81, "cannot hold its input's 192 values"},
        {IN8 L("name: 'f' type: 'Flatten' bottom: 'data' top: 'f'")
                 L("name: 'r' type: 'Reshape' bottom: 'f' top: 'r' reshape_param { shape { dim: 0 "
                   "dim: 0 dim: 0 } }"),
         AUGUR_E_SHAPE, 7, 78, "copies axis H (0) of its input, a vector of 192 values"},
        /* Crop: 8 + 2 > 10 along H; an offset count that fits neither rule; the batch */
        {IN8 L("name: 'p' type: 'Pooling' bottom: 'data' top: 'p' pooling_param { kernel_size: 2 "
               "stride: 2 }") L("name: 'cr' type: 'Crop' bottom: 'data' bottom: 'p' top: 'cr' "
                                "crop_param { offset: 5 }"),
         AUGUR_E_SHAPE, 7, 91, "cuts 4 values at offset 5 along H out of its input's 8"},
        {IN8 L("name: 'p' type: 'Pooling' bottom: 'data' top: 'p' pooling_param { kernel_size: 2 "
               "stride: 2 }") L("name: 'cr' type: 'Crop' bottom: 'data' bottom: 'p' top: 'cr' "
                                "crop_param { axis: 1 offset: 1 offset: 2 }"),
         AUGUR_E_SCHEMA, 7, 1, "has 2 offsets for the 3 axes it cuts"},
        {IN8 L("name: 'p' type: 'Pooling' bottom: 'data' top: 'p' pooling_param { kernel_size: 2 "
               "stride: 2 }") L("name: 'cr' type: 'Crop' bottom: 'data' bottom: 'p' top: 'cr' "
                                "crop_param { axis: 0 }"),
         AUGUR_E_SCHEMA, 7, 89, "'axis: 0' is not supported"},
        {IN8 L("name: 'p' type: 'Permute' bottom: 'data' top: 'p' permute_param { order: 1 }"),
         AUGUR_E_SCHEMA, 6, 1, "'order' must keep N first"},
        {IN8 L("name: 'x' type: 'Axpy' bottom: 'data' bottom: 'data' top: 'x'"), AUGUR_E_SCHEMA, 6,
         1, "Axpy layer 'x' takes three bottoms"},
        {IN8 L("name: 'd' type: 'SpatialConvolution' bottom: 'data' top: 'd'"), AUGUR_E_SCHEMA, 6,
         25, "unsupported layer type 'SpatialConvolution' of layer 'd' (augur reads"},
        {IN8 L("name: 'd' type: 'Convolutoin' bottom: 'data' top: 'd'"), AUGUR_E_SCHEMA, 6, 25,
         "did you mean 'Convolution'?"},
        {"version: -1\n" IN8, AUGUR_E_SCHEMA, 1, 10, "'version' must be between 0 and"},
        {IN8 L("name: 'd' bottom: 'data' top: 'd'"), AUGUR_E_SCHEMA, 6, 1,
         "layer 'd' has no 'type'"},
        {L("name: 'data' type: 'Data' top: 'data' top: 'label'")
                 L("name: 'loss' type: 'SoftmaxWithLoss' bottom: 'data' bottom: 'label' top: 'l'"),
         AUGUR_E_SCHEMA, 2, 28, "belongs to a training net; augur reads deploy prototxts"},
        {IN8 L("name: 'loss' type: 'SoftmaxWithLoss' bottom: 'data' top: 'l'"), AUGUR_E_SCHEMA, 6,
         28, "training net"},
        /* SegNet's inference files read their images through caffe-segnet's data layer:
         * the input, sized by --input only */
        {L("name: 'data' type: 'DenseImageData' top: 'data' top: 'label'")
                 L("name: 'r' type: 'ReLU' bottom: 'data' top: 'r'"),
         AUGUR_E_SHAPE, 1, 28, "the network input has no size in the file"},
        {IN8 L("name: 'd' type: 'Data' top: 'd'"), AUGUR_E_SCHEMA, 6, 25,
         "data layer 'd' after the network input declared at line 1"},
        {L("name: 'd' type: 'Data' bottom: 'x' top: 'd'"), AUGUR_E_SCHEMA, 1, 32,
         "data layer 'd' takes no bottom"},
        /* blobs */
        {IN8 L("name: 'r' type: 'ReLU' bottom: 'nope' top: 'r'"), AUGUR_E_SCHEMA, 6, 40,
         "unknown bottom 'nope' of layer 'r'"},
        {IN8 L("name: 'r' type: 'ReLU' bottom: 'd2' top: 'r' include { phase: TEST }")
                 L("name: 'd2' type: 'ReLU' bottom: 'data' top: 'd2'"),
         AUGUR_E_SCHEMA, 6, 40, "unknown bottom 'd2'"},
        {IN8 L("name: 'r' type: 'ReLU' bottom: 'data' top: 'a' top: 'b'"), AUGUR_E_SCHEMA, 6, 1,
         "has 2 tops"},
        {IN8 L("name: 'r' type: 'ReLU' top: 'a'"), AUGUR_E_SCHEMA, 6, 1,
         "takes exactly one bottom, got 0"},
        {IN8 L("name: 'e' type: 'Eltwise' bottom: 'data' top: 'e'"), AUGUR_E_SCHEMA, 6, 1,
         "needs two or more bottoms"},
        {IN8 L("name: 'r' type: 'ReLU' bottom: data top: 'r'"), AUGUR_E_SCHEMA, 6, 40,
         "expected a quoted string for 'bottom', got a name"},
        {IN8 L("name: 'r' type: 'ReLU' bottom: 'data' top: 'r'")
                 L("name: 'r' type: 'ReLU' bottom: 'r' top: 's'"),
         AUGUR_E_SCHEMA, 7, 15, "duplicate layer name 'r' (first defined at line 6)"},
        {IN8 L("name: 'input' type: 'ReLU' bottom: 'data' top: 'r'"), AUGUR_E_SCHEMA, 6, 15,
         "reserved"},
        /* parameters */
        {IN8 CONV("num_output: 8 kernel_size: 3 kernel_size: 3 kernel_size: 3"), AUGUR_E_SCHEMA, 6,
         127, "too many values for 'kernel_size'"},
        {IN8 CONV("num_output: -8 kernel_size: 3"), AUGUR_E_SCHEMA, 6, 95,
         "'num_output' must be between 1 and"},
        {IN8 CONV("num_output: 2.5 kernel_size: 3"), AUGUR_E_SCHEMA, 6, 95, "whole number"},
        {IN8 CONV("num_output: 8 kernal_size: 3"), AUGUR_E_SCHEMA, 6, 97,
         "unknown field 'kernal_size' in convolution_param (did you mean 'kernel_size'?)"},
        {IN8 CONV("kernel_size: 3"), AUGUR_E_SCHEMA, 6, 1,
         "Convolution layer 'c' needs 'num_output' in convolution_param"},
        {IN8 CONV("num_output: 8 num_output: 9 kernel_size: 3"), AUGUR_E_SCHEMA, 6, 97,
         "duplicate field 'num_output'"},
        {IN8 CONV("num_output: 8 kernel_size: 3 kernel_h: 3 kernel_w: 3"), AUGUR_E_SCHEMA, 6, 112,
         "give either 'kernel_size' or 'kernel_h' and 'kernel_w', not both"},
        {IN8 CONV("num_output: 8 kernel_h: 3"), AUGUR_E_SCHEMA, 6, 97,
         "'kernel_h' needs 'kernel_w'"},
        {IN8 CONV("num_output: 8 kernel_size: 3 bias_term: maybe"), AUGUR_E_SCHEMA, 6, 123,
         "expected true or false for 'bias_term'"},
        {IN8 CONV("num_output: 8 kernel_size: 3 axis: 2"), AUGUR_E_SCHEMA, 6, 118,
         "'axis: 2' is not supported"},
        {IN8 L("name: 'r' type: 'ReLU' bottom: 'data' top: 'r'")
                 L("name: 'x' type: 'Concat' bottom: 'data' bottom: 'r' top: 'x'"
                   " concat_param { axis: 2 }"),
         AUGUR_E_SCHEMA, 7, 91, "'axis: 2' is not supported (augur concatenates along channels"},
        {IN8 L("name: 'p' type: 'Pooling' bottom: 'data' top: 'p' pooling_param { pool: MEAN "
               "kernel_size: 2 }"),
         AUGUR_E_SCHEMA, 6, 81, "unknown value 'MEAN' for 'pool' (expected MAX, AVE"},
        {IN8 L("name: 'p' type: 'Pooling' bottom: 'data' top: 'p' pooling_param { pool: MAX }"),
         AUGUR_E_SCHEMA, 6, 1, "Pooling layer 'p' needs 'kernel_size'"},
        {IN8 L("name: 'p' type: 'Pooling' bottom: 'data' top: 'p' pooling_param { "
               "global_pooling: true kernel_size: 2 }"),
         AUGUR_E_SCHEMA, 6, 109, "global_pooling and a kernel size"},
        {IN8 L("name: 'r' type: 'ReLU' bottom: 'data' top: 'r' relu_param { negative_slope: "
               "x1 } include { phase: TEST }"),
         AUGUR_E_SCHEMA, 6, 85, "expected a number for 'negative_slope'"},
        {IN8 L("name: 'r' type: 'ReLU' bottom: 'data' top: 'r' include { phase: DEPLOY }"),
         AUGUR_E_SCHEMA, 6, 73, "unknown value 'DEPLOY' for 'phase' (expected TRAIN, TEST)"},
        {IN8 L("name: 'r' type: 'ReLU' bottom: 'data' top: 'r' include { phase: TEST } exclude "
               "{ phase: TRAIN }"),
         AUGUR_E_SCHEMA, 6, 80, "include rules or exclude rules, not both"},
        {IN8 L("name: 'r' type: 'ReLU' bottom: 'data' top: 'r' kernel_size: 3"), AUGUR_E_SCHEMA, 6,
         56, "unknown field 'kernel_size' in layer"},
        /* shapes are traced afterwards, pointing into the prototxt */
        {IN8 CONV("num_output: 8 kernel_size: 30"), AUGUR_E_SHAPE, 6, 110,
         "kernel 30x30 of conv layer 'c' is larger than its padded input"},
        {IN8 CONV("num_output: 8 kernel_size: 3 group: 2"), AUGUR_E_SHAPE, 6, 119,
         "groups 2 of conv layer 'c' must divide"},
};

static void test_bad_inputs(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		const struct bad_case *t = &bad[i];
		struct augur_diag diag = {0};
		struct augur_net *net = NULL;
		struct augur_analysis *a = NULL;
		int rc = augur_prototxt_parse("t.prototxt", t->text, strlen(t->text), &net, &diag);
		if (rc == AUGUR_OK)
			rc = augur_analyze(net, 0, &a, &diag);
		if (rc != t->status || diag.line != t->line || (t->col && diag.col != t->col) ||
		    !strstr(diag.message, t->fragment))
			fprintf(stderr, "case %zu: got status %d at %u:%u: %s\n", i, rc, diag.line,
			        diag.col, diag.message);
		CHECK_EQ_INT(rc, t->status);
		CHECK_EQ_U64(diag.line, t->line);
		if (t->col)
			CHECK_EQ_U64(diag.col, t->col);
		CHECK_CONTAINS(diag.message, t->fragment);
		CHECK_STR_EQ(diag.path, "t.prototxt");
		CHECK(rc == AUGUR_E_SHAPE || net == NULL);
		augur_analysis_free(a);
		augur_net_free(net);
	}
}

static void test_limits(void)
{
	/* a string past the bound, and many fields, stay bounded errors */
	size_t n = AUGUR_PB_MAX_STRING + 1;
	char *text = malloc(n + 32);
	if (!text)
		return;
	memcpy(text, "name: '", 7);
	memset(text + 7, 'a', n);
	memcpy(text + 7 + n, "'\n", 3);
	struct augur_diag diag = {0};
	struct augur_net *net = NULL;
	CHECK_EQ_INT(augur_prototxt_parse("t.prototxt", text, strlen(text), &net, &diag),
	             AUGUR_E_LIMIT);
	CHECK_CONTAINS(diag.message, "string is too long");
	CHECK_EQ_U64(diag.line, 1);
	CHECK_EQ_U64(diag.col, 7);
	free(text);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(*fixtures); i++)
		test_fixture(&fixtures[i]);
	test_blobs();
	test_forks();
	test_more_types();
	test_v0();
	test_ssd();
	test_reshape_crop();
	test_depthwise_input();
	test_data_layer();
	test_syntax_variants();
	test_bad_inputs();
	test_limits();
	return check_finish();
}
