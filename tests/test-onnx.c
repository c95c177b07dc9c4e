/* ONNX reader: the hand-built models of tests/data/onnx (written by tests/onnx/onnxgen.py
 * with the bare protobuf wire format) against shapes, parameters and MACs worked out by
 * hand below; their YAML round trip; and the bad-input table. torchvision models are
 * checked against torch's own counts by tests/onnx/test-torchvision.sh. */
#include <stdlib.h>

#include "analysis.h"
#include "check.h"
#include "descwriter.h"
#include "netfile.h"
#include "onnx.h"

static const char *source_root(void)
{
	const char *root = getenv("AUGUR_SOURCE_ROOT");
	return root && *root ? root : ".";
}

static int load(const char *name, struct augur_net **net, struct augur_diag *diag)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/tests/data/onnx/%s", source_root(), name);
	enum augur_net_format format = AUGUR_NET_YAML;
	*diag = (struct augur_diag){0};
	int rc = augur_net_load_format(path, net, &format, diag);
	CHECK_EQ_INT(format, AUGUR_NET_ONNX);
	return rc;
}

struct want_layer {
	const char *name, *type;
	uint64_t c, h, w; /* output per image (h = w = 0: a vector) */
	uint64_t params, macs;
};

/* The YAML augur writes for net loads back with the same figures. */
static void check_round_trip(const struct augur_net *net, const struct augur_analysis *a)
{
	char *text = NULL;
	size_t len = 0;
	CHECK_EQ_INT(augur_descriptor_write(net, &text, &len, "round trip"), AUGUR_OK);
	struct augur_diag diag = {0};
	struct augur_net *back = NULL;
	struct augur_analysis *b = NULL;
	if (!text || augur_net_parse("rt.yaml", text, len, &back, NULL, &diag) ||
	    augur_analyze(back, 0, &b, &diag)) {
		CHECK_FAIL_("round trip of %s: %s\n%s", net->name, diag.message, text ? text : "");
	} else {
		CHECK_EQ_U64(b->n_layers, a->n_layers);
		CHECK_EQ_U64(b->total.params, a->total.params);
		CHECK_EQ_U64(b->total.macs, a->total.macs);
		CHECK_EQ_U64(b->total.flops, a->total.flops);
		CHECK_EQ_U64(b->memory.alloc_total, a->memory.alloc_total);
		CHECK_EQ_U64(b->memory.min_total, a->memory.min_total);
	}
	augur_analysis_free(b);
	augur_net_free(back);
	free(text);
}

static void check_model(const char *file, uint32_t batch, const struct want_layer *want, size_t n,
                        uint64_t params, uint64_t stats, uint64_t macs)
{
	struct augur_net *net = NULL;
	struct augur_analysis *a = NULL;
	struct augur_diag diag;
	if (load(file, &net, &diag) || augur_analyze(net, 0, &a, &diag)) {
		CHECK_FAIL_("%s: %s", file, diag.message);
		augur_net_free(net);
		return;
	}
	CHECK_EQ_U64(net->batch, batch);
	CHECK_EQ_U64(a->n_layers, n);
	for (size_t i = 0; i < n && i < a->n_layers; i++) {
		const struct augur_layer_stats *s = &a->layers[i];
		CHECK_STR_EQ(net->layers[i].name, want[i].name);
		CHECK_STR_EQ(augur_layer_type_name(net->layers[i].type), want[i].type);
		CHECK_EQ_U64(s->out.c, want[i].c);
		CHECK_EQ_U64(s->out.rank, want[i].h ? 3 : 1);
		if (want[i].h) {
			CHECK_EQ_U64(s->out.h, want[i].h);
			CHECK_EQ_U64(s->out.w, want[i].w);
		}
		CHECK_EQ_U64(s->params, want[i].params);
		CHECK_EQ_U64(s->macs / batch, want[i].macs);
	}
	CHECK_EQ_U64(a->total.params, params);
	CHECK_EQ_U64(a->total.stats, stats);
	CHECK_EQ_U64(a->total.macs, macs);
	check_round_trip(net, a);
	augur_analysis_free(a);
	augur_net_free(net);
}

/* tiny-cnn: 3x32x32 input. */
static void test_tiny_cnn(void)
{
	static const struct want_layer want[] = {
	        /* 3x3 pad 1: 8 x (3*3*3) + 8 bias; 32*32*8 outputs x 27 */
	        {"conv1", "conv", 8, 32, 32, 8 * 27 + 8, 32 * 32 * 8 * 27},
	        {"relu1", "relu", 8, 32, 32, 0, 0},
	        {"pool1", "pool", 8, 16, 16, 0, 0},
	        /* group 2: 4 input channels per filter; (16 + 2 - 3) / 2 + 1 = 8 */
	        {"conv2", "conv", 8, 8, 8, 8 * 4 * 9, 8 * 8 * 8 * 36},
	        {"bn2", "batchnorm", 8, 8, 8, 0, 0},
	        {"bn2_scale", "scale", 8, 8, 8, 16, 0},
	        /* its weight is stored outside the file: only the shape is read */
	        {"conv3", "conv", 8, 8, 8, 64, 8 * 8 * 8 * 8},
	        {"sum", "eltwise", 8, 8, 8, 0, 0},
	        {"gap", "pool", 8, 1, 1, 0, 0},
	        {"flat", "flatten", 8, 0, 0, 0, 0},
	        {"fc", "fc", 10, 0, 0, 10 * 8 + 10, 80},
	        {"prob", "softmax", 10, 0, 0, 0, 0},
	};
	check_model("tiny-cnn.onnx", 1, want, sizeof(want) / sizeof(*want),
	            224 + 288 + 16 + 64 + 90, 16, 221184 + 18432 + 4096 + 80);
}

/* tiny-shapes: 3x15x15 input, a symbolic batch. */
static void test_tiny_shapes(void)
{
	static const struct want_layer want[] = {
	        /* pads [0, 0, 2, 2]: as pad 1 on both sides, 15 + 2 - 3 + 1 = 15; a bias
	         * shared through Identity counts for each consumer */
	        {"conv1", "conv", 16, 15, 15, 16 * 27 + 16, 15 * 15 * 16 * 27},
	        {"relu6", "relu", 16, 15, 15, 0, 0},
	        /* VALID 2x2: 14 */
	        {"conv2", "conv", 16, 14, 14, 16 * 16 * 4, 14 * 14 * 16 * 64},
	        /* SAME_UPPER 3x3 stride 1: pad (14 - 1) + 3 - 14 = 2 in total */
	        {"conv3", "conv", 16, 14, 14, 16 * 16 * 9 + 16, 14 * 14 * 16 * 144},
	        {"leaky", "relu", 16, 14, 14, 0, 0},
	        {"cat", "concat", 32, 14, 14, 0, 0},
	        {"mean", "pool", 32, 1, 1, 0, 0},
	        /* Shape -> Gather -> Unsqueeze -> Concat [N, -1] -> Reshape */
	        {"flat", "flatten", 32, 0, 0, 0, 0},
	        /* MatMul with the following Add as its bias */
	        {"mm", "fc", 5, 0, 0, 32 * 5 + 5, 160},
	        {"drop", "dropout", 5, 0, 0, 0, 0},
	};
	check_model("tiny-shapes.onnx", 1, want, sizeof(want) / sizeof(*want),
	            448 + 1024 + 2320 + 165, 0, 97200 + 200704 + 451584 + 160);

	struct augur_net *net = NULL;
	struct augur_diag diag;
	if (!load("tiny-shapes.onnx", &net, &diag)) {
		CHECK_NEAR(net->layers[1].max, 6, 0);
		CHECK_NEAR(net->layers[4].negative_slope, 0.1, 1e-6);
		CHECK_EQ_U64(net->layers[0].pad.h, 1);
		CHECK_EQ_U64(net->layers[3].pad.w, 1);
	}
	augur_net_free(net);
}

/* An end-only pad on a pool (ceil_mode before opset 10) reads as a ceil pool. */
static void test_ceil_pads(void)
{
	static const struct want_layer want[] = {{"pool", "pool", 4, 6, 6, 0, 0}};
	check_model("ceil-pads.onnx", 1, want, 1, 0, 0, 0);
	struct augur_net *net = NULL;
	struct augur_diag diag;
	if (!load("ceil-pads.onnx", &net, &diag)) {
		CHECK(net->layers[0].ceil);
		CHECK_EQ_U64(net->layers[0].pad.h, 0);
	}
	augur_net_free(net);
}

/* The newer layer types, worked out by hand. */
static void test_new_types(void)
{
	/* conv 4 x 3x3x3 on 3x8x8: 4x6x6, 108 weights, 144 x 27 MACs; hardswish keeps it */
	static const struct want_layer hs[] = {{"conv", "conv", 4, 6, 6, 108, 3888},
	                                       {"hs", "hardswish", 4, 6, 6, 0, 0}};
	check_model("hardswish.onnx", 1, hs, 2, 108, 0, 3888);
	/* a squeeze-and-excitation scale: the 4x1x1 mean times the 4x6x6 map */
	static const struct want_layer se[] = {{"conv", "conv", 4, 6, 6, 108, 3888},
	                                       {"se_pool", "pool", 4, 1, 1, 0, 0},
	                                       {"se_scale", "eltwise", 4, 6, 6, 0, 0}};
	check_model("broadcast-mul.onnx", 1, se, 3, 108, 0, 3888);
	/* 8x6x6 in. ConvTranspose 3x3/2 pad 1, group 2, 8 -> 8: (6 - 1) * 2 + 3 - 2 = 11;
	 * weights 8 x 4 x 3 x 3 = 288 + 8 biases; MACs 8 x 36 inputs x 4 x 9 = 10368. PRelu:
	 * 8 slopes. Resize x2: 22. Split [2, 6]; the shuffle keeps 6x22x22; Transpose of H and
	 * W; Slice [0, 1) of the 2; Concat 1 + 6 = 7; Reshape to 7x11x44. */
	static const struct want_layer nt[] = {
	        {"deconv", "deconv", 8, 11, 11, 296, 10368},
	        {"prelu", "prelu", 8, 11, 11, 8, 0},
	        {"hsig", "hardsigmoid", 8, 11, 11, 0, 0},
	        {"elu", "elu", 8, 11, 11, 0, 0},
	        {"up", "upsample", 8, 22, 22, 0, 0},
	        {"split", "slice", 2, 22, 22, 0, 0},
	        {"split_2", "slice", 6, 22, 22, 0, 0},
	        {"shuffle", "shuffle", 6, 22, 22, 0, 0},
	        {"hw", "permute", 6, 22, 22, 0, 0},
	        {"first", "slice", 1, 22, 22, 0, 0},
	        {"cat", "concat", 7, 22, 22, 0, 0},
	        {"reshape", "reshape", 7, 11, 44, 0, 0},
	};
	check_model("new-types.onnx", 1, nt, 12, 304, 0, 10368);
	struct augur_net *net = NULL;
	struct augur_diag diag;
	if (!load("new-types.onnx", &net, &diag)) {
		const struct augur_layer *l = net->layers;
		CHECK_EQ_U64(l[0].groups, 2);
		CHECK_EQ_U64(l[0].stride.h, 2);
		CHECK_EQ_U64(l[0].pad.w, 1);
		CHECK(!l[1].shared);
		CHECK_EQ_U64(l[4].scale.h, 2);
		CHECK_EQ_U64(l[6].range[0], 2);
		CHECK_EQ_U64(l[6].range[1], 8);
		CHECK_EQ_U64(l[7].groups, 2);
		CHECK_EQ_INT(l[7].inputs[0], 6);
		CHECK_EQ_U64(l[8].order[1], 2);
		CHECK_EQ_U64(l[9].range[1], 1);
	}
	augur_net_free(net);
}

struct bad {
	const char *file;
	int code;
	const char *message;
};

static void test_bad_inputs(void)
{
	static const struct bad table[] = {
	        {"truncated.onnx", AUGUR_E_SYNTAX, "runs past its end (a truncated file?)"},
	        {"not-a-model.onnx", AUGUR_E_SYNTAX, "not an ONNX model"},
	        {"unknown-op.onnx", AUGUR_E_SCHEMA,
	         "node 1 'frob_1' (op Frobnicate): unsupported op 'Frobnicate'"},
	        {"missing-init.onnx", AUGUR_E_SCHEMA,
	         "node 0 'conv' (op Conv): input 'w_missing' is not a graph input, an "
	         "initializer or an earlier node's output"},
	        {"dynamic.onnx", AUGUR_E_SCHEMA,
	         "graph input 'x' has a dynamic size: its height is 'height'"},
	        {"odd-pads.onnx", AUGUR_E_SCHEMA, "padding of 1 in total along the height"},
	        {"odd-pool-pads.onnx", AUGUR_E_SCHEMA, "node 0 'pool' (op MaxPool): padding of 1"},
	        {"no-input.onnx", AUGUR_E_SCHEMA, "the graph has no input"},
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++) {
		struct augur_net *net = NULL;
		struct augur_diag diag;
		int rc = load(table[i].file, &net, &diag);
		CHECK_EQ_INT(rc, table[i].code);
		CHECK(net == NULL);
		CHECK_EQ_INT(diag.code, table[i].code);
		CHECK_CONTAINS(diag.message, table[i].message);
		CHECK_CONTAINS(diag.path, table[i].file);
		augur_net_free(net);
	}
}

/* Every prefix of a good model fails cleanly (or, cut at a field boundary, reads as a
 * smaller model); none crashes. */
static void test_prefixes(void)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/tests/data/onnx/tiny-cnn.onnx", source_root());
	FILE *f = fopen(path, "rb");
	unsigned char buf[8192];
	size_t len = f ? fread(buf, 1, sizeof(buf), f) : 0;
	if (f)
		fclose(f);
	CHECK(len > 1000);
	size_t failed = 0;
	for (size_t n = 0; n < len; n++) {
		struct augur_net *net = NULL;
		struct augur_diag diag = {0};
		int rc = augur_onnx_parse("cut.onnx", buf, n, &net, &diag);
		if (rc) {
			failed++;
			if (diag.code != rc || !diag.message[0])
				CHECK_FAIL_("prefix %zu: rc %d, diag code %d", n, rc, diag.code);
		}
		augur_net_free(net);
	}
	/* only a cut between the graph and the trailing opset_import leaves a model */
	CHECK(failed + 1 >= len);
}

static void test_sniff(void)
{
	static const unsigned char model[] = {0x08, 0x07, 0x12, 0x01, 'a'};
	CHECK(augur_onnx_sniff("m.bin", model, sizeof(model)));
	CHECK(!augur_onnx_sniff("m.onnx", (const unsigned char *)"name: x\n", 8));
	CHECK(augur_onnx_sniff("m.onnx", (const unsigned char *)"\x00\x01", 2));
	CHECK(!augur_onnx_sniff("m.yaml", (const unsigned char *)"\x00\x01", 2));
	CHECK_EQ_INT(augur_net_sniff("x.yaml", "layers:\n", 8), AUGUR_NET_YAML);
	CHECK_EQ_INT(augur_net_sniff("x", (const char *)model, sizeof(model)), AUGUR_NET_ONNX);
}

int main(void)
{
	test_tiny_cnn();
	test_tiny_shapes();
	test_ceil_pads();
	test_new_types();
	test_bad_inputs();
	test_prefixes();
	test_sniff();
	return check_finish();
}
