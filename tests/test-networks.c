/* The shipped descriptors against published figures: parameter counts of the original
 * models, the paper's Table 1 (layers per type), Table 4 (memory, paper view) and the
 * FLOPs rows of Tables 2, 3, 5 and 6, the AlexNet GEMMs, and hand-computed figures for the
 * networks no table covers. Every .yaml file in descriptors/ must load and trace. Files
 * are found through AUGUR_SOURCE_ROOT, which tests/meson.build sets. */
#include <dirent.h>

#include "analysis.h"
#include "check.h"
#include "netfile.h"

#define MIB (1024.0 * 1024.0)

static const char *source_root(void)
{
	const char *root = getenv("AUGUR_SOURCE_ROOT");
	return root && root[0] ? root : ".";
}

struct loaded {
	struct augur_net *net;
	struct augur_analysis *a;
};

/* Loads and analyses descriptors/<file> at batch 1; on failure prints the diagnostic,
 * counts a failed check and returns {NULL, NULL}. Free with unload(). */
static struct loaded load(const char *file)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/descriptors/%s", source_root(), file);
	struct loaded l = {NULL, NULL};
	struct augur_diag diag = {0};
	int rc = augur_net_load(path, &l.net, &diag);
	if (rc == AUGUR_OK)
		rc = augur_analyze(l.net, 1, &l.a, &diag);
	if (rc != AUGUR_OK) {
		fprintf(stderr, "%s:%u:%u: error: %s\n", diag.path, diag.line, diag.col,
		        diag.message);
		augur_net_free(l.net);
		l.net = NULL;
	}
	CHECK_EQ_INT(rc, AUGUR_OK);
	return l;
}

static void unload(struct loaded l)
{
	augur_analysis_free(l.a);
	augur_net_free(l.net);
}

/* The stats of the layer called name, or NULL (a failed check) when there is none. */
static const struct augur_layer_stats *layer(struct loaded l, const char *name)
{
	long i = augur_net_find(l.net, name);
	if (i < 0)
		fprintf(stderr, "%s: no layer '%s'\n", l.net->name, name);
	CHECK(i >= 0);
	return i < 0 ? NULL : &l.a->layers[i];
}

/* CHECK_NEAR with the network and figure named when it fails, for table-driven checks. */
static void near(const char *net, const char *what, double actual, double expected, double tol)
{
	if (fabs(actual - expected) > tol)
		fprintf(stderr, "%s %s: got %.3f, expected %.3f within %.3g\n", net, what, actual,
		        expected, tol);
	CHECK_NEAR(actual, expected, tol);
}

static void equal(const char *net, const char *what, uint64_t actual, uint64_t expected)
{
	if (actual != expected)
		fprintf(stderr, "%s %s: got %llu, expected %llu\n", net, what,
		        (unsigned long long)actual, (unsigned long long)expected);
	CHECK_EQ_U64(actual, expected);
}

/* Every shipped descriptor loads, traces, opens with a header comment and has some
 * parameters. New files are picked up without touching this test. */
static void test_all_shipped(void)
{
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/descriptors", source_root());
	DIR *d = opendir(dir);
	CHECK(d != NULL);
	if (!d)
		return;
	int seen = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
			continue;
		seen++;
		struct loaded l = load(e->d_name);
		if (!l.net)
			continue;
		CHECK(l.a->total.params > 0);
		char path[4096];
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
			continue;
		FILE *f = fopen(path, "r");
		int first = f ? fgetc(f) : EOF;
		if (f)
			fclose(f);
		if (first != '#')
			fprintf(stderr, "%s: no header comment\n", e->d_name);
		CHECK(first == '#');
		unload(l);
	}
	closedir(d);
	CHECK(seen >= 12);
}

/* Parameter counts of the original models: Caffe's caffemodels for AlexNet, VGG, GoogLeNet
 * and ResNet-50, torchvision's for ResNet-18, MobileNetV2 and SqueezeNet 1.1. Params are
 * conv/fc weights and biases plus scale's gamma and beta; batchnorm's running mean and
 * variance are stats (torchvision's counts include BN gamma/beta, not the running stats). */
static void test_params(void)
{
	static const struct {
		const char *file;
		uint64_t params;
	} rows[] = {
	        {"alexnet.yaml", 60965224},    {"vgg16.yaml", 138357544},
	        {"vgg19.yaml", 143667240},     {"googlenet.yaml", 6998552},
	        {"resnet50.yaml", 25557096},   {"resnet18.yaml", 11689512},
	        {"mobilenetv2.yaml", 3504872}, {"squeezenet.yaml", 1235496},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		struct loaded l = load(rows[i].file);
		if (!l.net)
			continue;
		equal(rows[i].file, "params", l.a->total.params, rows[i].params);
		unload(l);
	}

	/* BN statistics are counted apart: 2 per channel of every batchnorm */
	struct loaded l = load("resnet50.yaml");
	if (l.net) {
		/* 2 x (64 + 3 x (64+64+256) + 256 + 4 x (128+128+512) + 512
		 *      + 6 x (256+256+1024) + 1024 + 3 x (512+512+2048) + 2048) */
		CHECK_EQ_U64(l.a->total.stats, 53120);
		CHECK_EQ_U64(l.a->by_type[AUGUR_LAYER_SCALE].params, 53120);
		unload(l);
	}

	/* AlexNet per layer, as Caffe's bvlc_alexnet blobs hold them */
	l = load("alexnet.yaml");
	if (!l.net)
		return;
	static const struct {
		const char *name;
		uint64_t params;
	} alex[] = {
	        {"conv1", 34944},  {"conv2", 307456}, {"conv3", 885120}, {"conv4", 663936},
	        {"conv5", 442624}, {"fc6", 37752832}, {"fc7", 16781312}, {"fc8", 4097000},
	};
	for (size_t i = 0; i < sizeof(alex) / sizeof(*alex); i++) {
		const struct augur_layer_stats *s = layer(l, alex[i].name);
		if (s)
			equal("alexnet", alex[i].name, s->params, alex[i].params);
	}
	unload(l);
}

/* The paper's GEMM notation [n x k] . [k x m], count times, for AlexNet. */
static void test_alexnet_gemms(void)
{
	struct loaded l = load("alexnet.yaml");
	if (!l.net)
		return;
	const struct augur_layer_stats *c1 = layer(l, "conv1"), *c2 = layer(l, "conv2");
	const struct augur_layer_stats *f6 = layer(l, "fc6");
	if (c1 && c2 && f6) {
		CHECK_EQ_U64(c1->gemm.n, 96);
		CHECK_EQ_U64(c1->gemm.k, 363);
		CHECK_EQ_U64(c1->gemm.m, 3025);
		CHECK_EQ_U64(c1->gemm.count, 1);
		CHECK_EQ_U64(c2->gemm.n, 128); /* two groups of 128 filters */
		CHECK_EQ_U64(c2->gemm.k, 1200);
		CHECK_EQ_U64(c2->gemm.m, 729);
		CHECK_EQ_U64(c2->gemm.count, 2);
		CHECK_EQ_U64(f6->gemm.n, 4096);
		CHECK_EQ_U64(f6->gemm.k, 9216);
		CHECK_EQ_U64(f6->gemm.m, 1);
	}
	CHECK_EQ_U64(l.a->total.gemm_calls, 11); /* 5 convs, 3 of them in 2 groups, 3 fc */
	unload(l);
}

/* Table 1: layers per type. The paper counts neither the input nor dropout and softmax;
 * its NORM row is LRN for AlexNet and GoogLeNet and BatchNorm for ResNet. */
static void test_table1(void)
{
	enum { CONV, POOL, NORM, RELU, FC, CONCAT, SCALE, ELTWISE, TOTAL, COLS };
	static const struct {
		const char *file;
		enum augur_layer_type norm;
		unsigned n[COLS];
	} rows[] = {
	        {"alexnet.yaml", AUGUR_LAYER_LRN, {5, 3, 2, 7, 3, 0, 0, 0, 20}},
	        {"vgg16.yaml", AUGUR_LAYER_LRN, {13, 5, 0, 15, 3, 0, 0, 0, 36}},
	        {"googlenet.yaml", AUGUR_LAYER_LRN, {57, 14, 2, 57, 1, 9, 0, 0, 140}},
	        {"resnet50.yaml", AUGUR_LAYER_BATCHNORM, {53, 2, 53, 49, 1, 0, 53, 16, 227}},
	};
	static const enum augur_layer_type types[] = {
	        AUGUR_LAYER_CONV, AUGUR_LAYER_POOL,   AUGUR_LAYER_LRN,   AUGUR_LAYER_RELU,
	        AUGUR_LAYER_FC,   AUGUR_LAYER_CONCAT, AUGUR_LAYER_SCALE, AUGUR_LAYER_ELTWISE,
	};
	static const char *const names[] = {"CONV", "POOL",   "NORM",  "ReLU",
	                                    "FC",   "Concat", "Scale", "Eltwise"};
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		struct loaded l = load(rows[i].file);
		if (!l.net)
			continue;
		const struct augur_totals *bt = l.a->by_type;
		for (int c = CONV; c < TOTAL; c++) {
			enum augur_layer_type t = c == NORM ? rows[i].norm : types[c];
			equal(rows[i].file, names[c], bt[t].layers, rows[i].n[c]);
		}
		uint64_t counted = l.a->total.layers - bt[AUGUR_LAYER_DROPOUT].layers -
		                   bt[AUGUR_LAYER_SOFTMAX].layers;
		equal(rows[i].file, "Total", counted, rows[i].n[TOTAL]);
		unload(l);
	}
}

/* Table 4, "weights & biases / data / workspace" (MB in the paper, which are MiB: AlexNet's
 * 60,965,224 x 4 bytes = 232.56 MiB = 243.9 MB). NAN = not checked. Two figures are not
 * reproduced, and are not asserted:
 * - VGGNet workspace 168: the per-group im2col matrices of VGG-16's 13 convs sum to
 *   311.80 MiB (the largest one, conv1_2's 576 x 50176, is 110.25 MiB). This sum is the
 *   convention that gives AlexNet's 11, GoogLeNet's 46 and ResNet's 79 exactly; no
 *   consistent convention yields 168, so the paper's figure looks like an error.
 * - GoogLeNet weights 26: bvlc_googlenet holds 6,998,552 values = 26.70 MiB, which rounds
 *   to 27; the paper's other weights figures are rounded (232.56 -> 233, 527.79 -> 528,
 *   97.29 -> 97), so 26 appears truncated. The text's "26MB parameters" is the same value.
 */
static void test_table4(void)
{
	static const struct {
		const char *file;
		double weights, data, workspace;
	} rows[] = {
	        {"alexnet.yaml", 233, 8, 11},
	        {"vgg16.yaml", 528, 110, NAN},
	        {"googlenet.yaml", NAN, 53, 46},
	        {"resnet50.yaml", 97, 221, 79},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		struct loaded l = load(rows[i].file);
		if (!l.net)
			continue;
		const struct augur_memory *m = &l.a->memory;
		if (!isnan(rows[i].weights))
			near(rows[i].file, "weights MiB", m->paper_weights / MIB, rows[i].weights,
			     0.5);
		if (!isnan(rows[i].data))
			near(rows[i].file, "data MiB", m->paper_data / MIB, rows[i].data, 0.5);
		if (!isnan(rows[i].workspace))
			near(rows[i].file, "workspace MiB", m->paper_workspace / MIB,
			     rows[i].workspace, 0.5);
		unload(l);
	}
	/* the figures the paper does not reproduce, pinned so a change is noticed */
	struct loaded l = load("vgg16.yaml");
	if (l.net) {
		near("vgg16", "workspace MiB", l.a->memory.paper_workspace / MIB, 311.80, 0.01);
		unload(l);
	}
	l = load("googlenet.yaml");
	if (l.net) {
		near("googlenet", "weights MiB", l.a->memory.paper_weights / MIB, 26.70, 0.01);
		unload(l);
	}
}

/* The FLOPs rows of Tables 2, 3, 5 and 6, in millions, within 1M. The convention
 * (docs/descriptors.md): conv/fc k+1 per output, pool Kh*Kw per output, LRN 4,
 * batchnorm 3, scale/relu/eltwise 1 per element. */
static void test_flops_tables(void)
{
	static const struct {
		const char *file;
		enum augur_layer_type type; /* AUGUR_LAYER_TYPE_COUNT = the whole network */
		double mflops;
	} rows[] = {
	        /* Table 2, AlexNet. Its ReLU cell reads "59M 0.10%", a typo: 0.10% of 729M is
	         * ~0.7M, and the seven ReLUs see 658,272 elements; the value consistent with
	         * the percentage is asserted. */
	        {"alexnet.yaml", AUGUR_LAYER_CONV, 666},
	        {"alexnet.yaml", AUGUR_LAYER_POOL, 1},
	        {"alexnet.yaml", AUGUR_LAYER_LRN, 2},
	        {"alexnet.yaml", AUGUR_LAYER_RELU, 729 * 0.0010},
	        {"alexnet.yaml", AUGUR_LAYER_FC, 59},
	        {"alexnet.yaml", AUGUR_LAYER_TYPE_COUNT, 729},
	        /* Table 3, VGGNet (VGG-16) */
	        {"vgg16.yaml", AUGUR_LAYER_CONV, 15360},
	        {"vgg16.yaml", AUGUR_LAYER_POOL, 6},
	        {"vgg16.yaml", AUGUR_LAYER_RELU, 14},
	        {"vgg16.yaml", AUGUR_LAYER_FC, 124},
	        {"vgg16.yaml", AUGUR_LAYER_TYPE_COUNT, 15503},
	        /* Table 5, GoogLeNet (its Concat FLOPs cell is empty: 0) */
	        {"googlenet.yaml", AUGUR_LAYER_CONV, 1585},
	        {"googlenet.yaml", AUGUR_LAYER_POOL, 13},
	        {"googlenet.yaml", AUGUR_LAYER_LRN, 3},
	        {"googlenet.yaml", AUGUR_LAYER_RELU, 3},
	        {"googlenet.yaml", AUGUR_LAYER_CONCAT, 0},
	        {"googlenet.yaml", AUGUR_LAYER_FC, 1},
	        {"googlenet.yaml", AUGUR_LAYER_TYPE_COUNT, 1606},
	        /* Table 6, ResNet (ResNet-50). Its total reads 3922M, but its own cells sum to
	         * 3866+2+32+9+11+6+2 = 3928M; the per-type cells all match, so the row sum
	         * is asserted (computed: 3927.4M). */
	        {"resnet50.yaml", AUGUR_LAYER_CONV, 3866},
	        {"resnet50.yaml", AUGUR_LAYER_POOL, 2},
	        {"resnet50.yaml", AUGUR_LAYER_BATCHNORM, 32},
	        {"resnet50.yaml", AUGUR_LAYER_RELU, 9},
	        {"resnet50.yaml", AUGUR_LAYER_SCALE, 11},
	        {"resnet50.yaml", AUGUR_LAYER_ELTWISE, 6},
	        {"resnet50.yaml", AUGUR_LAYER_FC, 2},
	        {"resnet50.yaml", AUGUR_LAYER_TYPE_COUNT, 3928},
	};
	struct loaded l = {NULL, NULL};
	const char *open = "";
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		if (strcmp(open, rows[i].file)) {
			unload(l);
			l = load(rows[i].file);
			open = rows[i].file;
		}
		if (!l.net)
			continue;
		bool all = rows[i].type == AUGUR_LAYER_TYPE_COUNT;
		uint64_t flops = all ? l.a->total.flops : l.a->by_type[rows[i].type].flops;
		near(rows[i].file, all ? "total MFLOPs" : augur_layer_type_name(rows[i].type),
		     flops / 1e6, rows[i].mflops, 1.0);
	}
	unload(l);
}

/* MACs of the torchvision models, as torchvision's model table lists them ("GFLOPS",
 * which there means multiply-adds): ResNet-18 1.81, MobileNetV2 0.30, SqueezeNet 1.1 0.35,
 * VGG-16 15.47 (the same network as Caffe's). */
static void test_torchvision_macs(void)
{
	static const struct {
		const char *file;
		double gmacs;
	} rows[] = {
	        {"resnet18.yaml", 1.81},
	        {"mobilenetv2.yaml", 0.30},
	        {"squeezenet.yaml", 0.35},
	        {"vgg16.yaml", 15.47},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		struct loaded l = load(rows[i].file);
		if (!l.net)
			continue;
		near(rows[i].file, "GMACs", l.a->total.macs / 1e9, rows[i].gmacs, 0.005);
		unload(l);
	}
}

static void check_shape(struct loaded l, const char *name, uint64_t c, uint64_t h, uint64_t w)
{
	const struct augur_layer_stats *s = layer(l, name);
	if (!s)
		return;
	if (s->out.c != c || s->out.h != h || s->out.w != w)
		fprintf(stderr, "%s %s: output %llux%llux%llu, expected %llux%llux%llu\n",
		        l.net->name, name, (unsigned long long)s->out.c,
		        (unsigned long long)s->out.h, (unsigned long long)s->out.w,
		        (unsigned long long)c, (unsigned long long)h, (unsigned long long)w);
	CHECK_EQ_U64(s->out.c, c);
	CHECK_EQ_U64(s->out.h, h);
	CHECK_EQ_U64(s->out.w, w);
}

/* Shapes where rounding up matters: Caffe's ceil rule in GoogLeNet and ResNet-50 pools. */
static void test_caffe_shapes(void)
{
	struct loaded l = load("googlenet.yaml");
	if (l.net) {
		check_shape(l, "pool1/3x3_s2", 64, 56, 56);  /* (112-3)/2 = 54.5 -> 55, +1 */
		check_shape(l, "pool2/3x3_s2", 192, 28, 28); /* (56-3)/2 = 26.5 -> 27, +1 */
		check_shape(l, "inception_3b/output", 480, 28, 28);
		check_shape(l, "pool3/3x3_s2", 480, 14, 14);
		check_shape(l, "inception_4e/output", 832, 14, 14);
		check_shape(l, "pool4/3x3_s2", 832, 7, 7); /* (14-3)/2 = 5.5 -> 6, +1 */
		check_shape(l, "inception_5b/output", 1024, 7, 7);
		check_shape(l, "pool5/7x7_s1", 1024, 1, 1);
		unload(l);
	}
	l = load("resnet50.yaml");
	if (l.net) {
		check_shape(l, "pool1", 64, 56, 56);
		check_shape(l, "res3a_relu", 512, 28, 28);
		check_shape(l, "res5c_relu", 2048, 7, 7);
		unload(l);
	}
	l = load("squeezenet.yaml");
	if (l.net) {
		check_shape(l, "pool1", 64, 55, 55);
		check_shape(l, "fire9/concat", 512, 13, 13);
		unload(l);
	}
}

/* Networks no published table covers: figures computed by hand. */
static void test_hand_computed(void)
{
	/* NIN (224 input): conv1 11x11/4 -> 54; ceil pools 54 -> 27 -> 13 -> 6; the last
	 * cccp gives 1000x6x6 and the global pool 1000x1x1. Params (weights + biases):
	 *   conv1 96*3*121+96 = 34,944      cccp1, cccp2 96*96+96 = 9,312 each
	 *   conv2 256*96*25+256 = 614,656   cccp3, cccp4 256*256+256 = 65,792 each
	 *   conv3 384*256*9+384 = 885,120   cccp5, cccp6 384*384+384 = 147,840 each
	 *   conv4 1024*384*9+1024 = 3,539,968
	 *   cccp7 1024*1024+1024 = 1,049,600  cccp8 1000*1024+1000 = 1,025,000
	 *   total 7,595,176 */
	struct loaded l = load("nin.yaml");
	if (l.net) {
		CHECK_EQ_U64(l.a->total.params, 7595176);
		check_shape(l, "conv1", 96, 54, 54);
		check_shape(l, "pool0", 96, 27, 27);
		check_shape(l, "pool3", 384, 6, 6);
		check_shape(l, "cccp8-1024", 1000, 6, 6);
		check_shape(l, "prob", 1000, 1, 1);
		CHECK_EQ_U64(l.a->by_type[AUGUR_LAYER_CONV].layers, 12);
		unload(l);
	}

	/* VGG19M: VGG-19's convs (143,667,240 - fc6 102,764,544 - fc7 16,781,312 - fc8
	 * 4,097,000 = 20,024,384) + conv6 1x1 512 -> 1000 (512,000 + 1,000) = 20,537,384 */
	l = load("vgg19m.yaml");
	if (l.net) {
		CHECK_EQ_U64(l.a->total.params, 20537384);
		CHECK_EQ_U64(l.a->by_type[AUGUR_LAYER_FC].layers, 0);
		check_shape(l, "conv6", 1000, 7, 7);
		check_shape(l, "prob", 1000, 1, 1);
		unload(l);
	}

	/* YOLO v1: 448 -> conv1/2 224 -> pools 112, 56, 28, 14 -> conv22/2 7. Params:
	 *   conv1 64*3*49+64 = 9,472           conv2 192*64*9+192 = 110,784
	 *   conv3 128*192+128 = 24,704         conv4 256*128*9+256 = 295,168
	 *   conv5 256*256+256 = 65,792         conv6 512*256*9+512 = 1,180,160
	 *   4 x (256*512+256 + 512*256*9+512) = 4 x 1,311,488 = 5,245,952
	 *   conv15 512*512+512 = 262,656       conv16 1024*512*9+1024 = 4,719,616
	 *   2 x (512*1024+512 + 1024*512*9+1024) = 2 x 5,244,416 = 10,488,832
	 *   conv21-24 4 x (1024*1024*9+1024) = 4 x 9,438,208 = 37,752,832
	 *   fc25 50176*4096+4096 = 205,524,992  fc26 4096*1470+1470 = 6,022,590
	 *   total 271,703,550 */
	l = load("yolo.yaml");
	if (l.net) {
		CHECK_EQ_U64(l.a->total.params, 271703550);
		CHECK_EQ_U64(l.a->by_type[AUGUR_LAYER_CONV].layers, 24);
		CHECK_EQ_U64(l.a->by_type[AUGUR_LAYER_FC].layers, 2);
		check_shape(l, "conv1", 64, 224, 224);
		check_shape(l, "conv24", 1024, 7, 7);
		const struct augur_layer_stats *out = layer(l, "fc26");
		if (out) {
			CHECK_EQ_U64(out->out.c, 7 * 7 * 30);
			CHECK_EQ_INT(out->out.rank, 1);
		}
		unload(l);
	}

	/* KWS DNN: 400 -> 128 -> 128 -> 128 -> 12. Params 400*128+128 = 51,328,
	 * 2 x (128*128+128) = 33,024, 128*12+12 = 1,548: 85,900. MACs 51,200 + 2 x 16,384
	 * + 1,536 = 85,504; FLOPs (k+1 per output) 85,504 + 396 + 384 ReLU = 86,284. */
	l = load("kws.yaml");
	if (l.net) {
		CHECK_EQ_U64(l.a->total.params, 85900);
		CHECK_EQ_U64(l.a->total.macs, 85504);
		CHECK_EQ_U64(l.a->total.flops, 86284);
		const struct augur_layer_stats *out = layer(l, "prob");
		if (out) {
			CHECK_EQ_U64(out->out.c, 12);
			CHECK_EQ_INT(out->out.rank, 1);
		}
		unload(l);
	}
}

int main(void)
{
	test_all_shipped();
	test_params();
	test_alexnet_gemms();
	test_table1();
	test_table4();
	test_flops_tables();
	test_torchvision_macs();
	test_caffe_shapes();
	test_hand_computed();
	return check_finish();
}
