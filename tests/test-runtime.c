/* The reference executor (calibrate/runtime.h) on small networks whose outputs were worked
 * out by hand: a padded 3x3 conv on a 4x4 input, grouped convs (im2col and direct), a
 * dilated conv, max and average pooling windows at the padded edge with ceil rounding,
 * global pools, LRN across channels, softmax, the relu family, eltwise, concat, batchnorm
 * with scale and fc (sgemv and sgemm). Then the buffers it holds against the allocated
 * memory view for every shipped descriptor. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "check.h"
#include "descriptor.h"
#include "netfile.h"
#include "runtime.h"

struct case_net {
	struct augur_net *net;
	struct augur_analysis *a;
	struct augur_runtime *rt;
};

static bool build(struct case_net *c, const char *yaml)
{
	struct augur_diag diag = {0};
	memset(c, 0, sizeof(*c));
	struct augur_runtime_options opt = {1, 1, false};
	if (augur_descriptor_parse("case.yaml", yaml, strlen(yaml), &c->net, &diag) ||
	    augur_analyze(c->net, 0, &c->a, &diag) ||
	    augur_runtime_new(c->net, c->a, &opt, &c->rt, &diag)) {
		fprintf(stderr, "%s:%u:%u: %s\n", diag.path, diag.line, diag.col, diag.message);
		CHECK(!"network builds");
		return false;
	}
	return true;
}

static void clear(struct case_net *c)
{
	augur_runtime_free(c->rt);
	augur_analysis_free(c->a);
	augur_net_free(c->net);
}

static void set(struct case_net *c, long layer, int param, const float *v, uint64_t n)
{
	uint64_t count;
	float *p = param < 0 ? augur_runtime_blob(c->rt, layer, &count)
	                     : augur_runtime_param(c->rt, (size_t)layer, (unsigned)param, &count);
	CHECK_EQ_U64(count, n);
	if (p && count == n)
		memcpy(p, v, n * sizeof(float));
}

static void input(struct case_net *c, const float *v, uint64_t n)
{
	set(c, -1, -1, v, n);
}

static void run(struct case_net *c)
{
	augur_runtime_forward(c->rt, NULL, NULL);
}

/* The output of the layer named name against expected values, relative tolerance 1e-5. */
static void expect(struct case_net *c, const char *name, const float *want, uint64_t n)
{
	long i = augur_net_find(c->net, name);
	CHECK(i >= 0);
	if (i < 0)
		return;
	uint64_t count;
	const float *got = augur_runtime_blob(c->rt, i, &count);
	CHECK_EQ_U64(count, n);
	for (uint64_t j = 0; j < n && j < count; j++)
		CHECK_NEAR(got[j], want[j], 1e-5 * (fabs(want[j]) + 1));
}

static void test_conv_padded(void)
{
	struct case_net c;
	if (!build(&c, "input: [1, 4, 4]\nlayers:\n"
	               "  - {name: c, type: conv, filters: 1, kernel: 3, pad: 1}\n"))
		return;
	float x[16], w[9] = {1, 0, 0, 0, 0, 0, 0, 0, 2}, b = 0.5f;
	for (int i = 0; i < 16; i++)
		x[i] = (float)(i + 1);
	input(&c, x, 16);
	set(&c, 0, 0, w, 9);
	set(&c, 0, 1, &b, 1);
	run(&c);
	/* out(i, j) = x(i-1, j-1) + 2 x(i+1, j+1) + 0.5, zero outside the image */
	static const float want[16] = {12.5f, 14.5f, 16.5f, 0.5f, 20.5f, 23.5f, 26.5f, 3.5f,
	                               28.5f, 35.5f, 38.5f, 7.5f, 0.5f,  9.5f,  10.5f, 11.5f};
	expect(&c, "c", want, 16);
	clear(&c);
}

static void test_conv_strided(void)
{
	/* 3x3 of ones, stride 2, pad 1 on 1..16: windows centred on (0,0), (0,2), (2,0), (2,2) */
	struct case_net c;
	if (!build(&c, "input: [1, 4, 4]\nlayers:\n"
	               "  - {name: c, type: conv, filters: 1, kernel: 3, pad: 1, stride: 2, "
	               "bias: false}\n"))
		return;
	float x[16], w[9];
	for (int i = 0; i < 16; i++)
		x[i] = (float)(i + 1);
	for (int i = 0; i < 9; i++)
		w[i] = 1;
	input(&c, x, 16);
	set(&c, 0, 0, w, 9);
	run(&c);
	static const float want[4] = {14, 30, 57, 99};
	expect(&c, "c", want, 4);
	clear(&c);
}

static void test_conv_grouped(void)
{
	struct case_net c;
	/* im2col path: two groups of one channel, 2x2 kernel on a 2x2 map */
	if (build(&c,
	          "input: [2, 2, 2]\nlayers:\n"
	          "  - {name: g, type: conv, filters: 2, kernel: 2, groups: 2, bias: false}\n")) {
		static const float x[8] = {1, 2, 3, 4, 5, 6, 7, 8};
		static const float w[8] = {1, 1, 1, 1, 1, 0, 0, -1};
		input(&c, x, 8);
		set(&c, 0, 0, w, 8);
		run(&c);
		static const float want[2] = {10, -3};
		expect(&c, "g", want, 2);
		clear(&c);
	}
	/* direct path (1x1, stride 1, no padding): groups of two channels, with bias */
	if (build(&c, "input: [4, 1, 2]\nlayers:\n"
	              "  - {name: g, type: conv, filters: 2, kernel: 1, groups: 2}\n")) {
		static const float x[8] = {1, 2, 3, 4, 5, 6, 7, 8};
		static const float w[4] = {1, 10, 2, -1}, b[2] = {0, 100};
		input(&c, x, 8);
		set(&c, 0, 0, w, 4);
		set(&c, 0, 1, b, 2);
		run(&c);
		static const float want[4] = {31, 42, 103, 104};
		expect(&c, "g", want, 4);
		clear(&c);
	}
}

static void test_conv_dilated(void)
{
	struct case_net c;
	if (!build(&c, "input: [1, 5, 5]\nlayers:\n"
	               "  - {name: d, type: conv, filters: 1, kernel: 2, dilation: 2, bias: "
	               "false}\n"))
		return;
	float x[25];
	for (int i = 0; i < 25; i++)
		x[i] = (float)i;
	static const float w[4] = {1, 2, 3, 4};
	input(&c, x, 25);
	set(&c, 0, 0, w, 4);
	run(&c);
	/* x(i,j) + 2 x(i,j+2) + 3 x(i+2,j) + 4 x(i+2,j+2) = 10 (5i + j) + 82 */
	static const float want[9] = {82, 92, 102, 132, 142, 152, 182, 192, 202};
	expect(&c, "d", want, 9);
	clear(&c);
}

static void test_pool_edges(void)
{
	struct case_net c;
	/* 3x3/2, pad 1, ceil on 4x4: 3x3 outputs, the last windows half in the padding */
	if (!build(&c,
	           "input: [1, 4, 4]\nlayers:\n"
	           "  - {name: mx, type: pool, op: max, kernel: 3, stride: 2, pad: 1, ceil: true}\n"
	           "  - {name: av, type: pool, op: avg, kernel: 3, stride: 2, pad: 1, ceil: true,"
	           " inputs: input}\n"))
		return;
	float x[16];
	for (int i = 0; i < 16; i++)
		x[i] = (float)(i + 1);
	input(&c, x, 16);
	run(&c);
	static const float want_max[9] = {6, 8, 8, 14, 16, 16, 14, 16, 16};
	expect(&c, "mx", want_max, 9);
	/* Caffe divides by the window clipped to the padded map (pad counted): 9, 9, 6 per
	 * side; e.g. the corner window holds 11, 12, 15, 16 out of 2 x 2 */
	static const float want_avg[9] = {14.0f / 9, 30.0f / 9, 12.0f / 6, 57.0f / 9, 99.0f / 9,
	                                  36.0f / 6, 27.0f / 6, 45.0f / 6, 16.0f / 4};
	expect(&c, "av", want_avg, 9);
	clear(&c);

	/* the same windows on a 5 x 9 map (5 outputs per row: the runtime's row-by-row loops
	 * rather than its window-by-window ones), against Caffe's rule written out here */
	if (!build(&c,
	           "input: [1, 5, 9]\nlayers:\n"
	           "  - {name: mx, type: pool, op: max, kernel: 3, stride: 2, pad: 1, ceil: true}\n"
	           "  - {name: av, type: pool, op: avg, kernel: 3, stride: 2, pad: 1, ceil: true,"
	           " inputs: input}\n"))
		return;
	float z[45], zmax[15], zavg[15];
	for (int i = 0; i < 45; i++)
		z[i] = (float)((i * 7) % 45) - 20.0f;
	for (int oy = 0; oy < 3; oy++)
		for (int ox = 0; ox < 5; ox++) {
			int y0 = 2 * oy - 1, x0 = 2 * ox - 1;
			float top = -1e30f, sum = 0;
			for (int yy = y0; yy < y0 + 3; yy++)
				for (int xx = x0; xx < x0 + 3; xx++)
					if (yy >= 0 && yy < 5 && xx >= 0 && xx < 9) {
						top = fmaxf(top, z[yy * 9 + xx]);
						sum += z[yy * 9 + xx];
					}
			/* the divisor: the window clipped to the padded map (rows -1..5, cols
			 * -1..9) */
			int rows = (y0 + 3 < 6 ? y0 + 3 : 6) - y0,
			    cols = (x0 + 3 < 10 ? x0 + 3 : 10) - x0;
			zmax[oy * 5 + ox] = top;
			zavg[oy * 5 + ox] = sum / (float)(rows * cols);
		}
	input(&c, z, 45);
	run(&c);
	expect(&c, "mx", zmax, 15);
	expect(&c, "av", zavg, 15);
	clear(&c);

	if (!build(&c, "input: [2, 2, 2]\nlayers:\n"
	               "  - {name: gm, type: pool, op: max, global: true}\n"
	               "  - {name: ga, type: pool, op: avg, global: true, inputs: input}\n"))
		return;
	static const float y[8] = {1, -2, 3, 4, -5, -6, -7, -1};
	input(&c, y, 8);
	run(&c);
	static const float want_gm[2] = {4, -1}, want_ga[2] = {1.5f, -4.75f};
	expect(&c, "gm", want_gm, 2);
	expect(&c, "ga", want_ga, 2);
	clear(&c);
}

static void test_lrn(void)
{
	struct case_net c;
	if (!build(&c, "input: [4, 1, 1]\nlayers:\n  - {name: n, type: lrn, size: 3}\n"))
		return;
	static const float x[4] = {100, 200, 300, 400};
	input(&c, x, 4);
	run(&c);
	/* y = x (1 + 1e-4 / 3 * sum of squares of channels c-1..c+1)^-0.75: the sums are
	 * 5e4, 14e4, 29e4 and 25e4 */
	static const float want[4] = {47.92073f, 54.45456f, 50.82761f, 74.90873f};
	expect(&c, "n", want, 4);
	clear(&c);
}

static void test_softmax(void)
{
	struct case_net c;
	if (build(&c, "input: [3]\nlayers:\n  - {name: s, type: softmax}\n")) {
		static const float x[3] = {1, 2, 3};
		input(&c, x, 3);
		run(&c);
		static const float want[3] = {0.09003057f, 0.2447285f, 0.665241f};
		expect(&c, "s", want, 3);
		clear(&c);
	}
	/* over the channels of each position: (0, 1) and (1, 1) */
	if (build(&c, "input: [2, 1, 2]\nlayers:\n  - {name: s, type: softmax}\n")) {
		static const float x[4] = {0, 1, 1, 1};
		input(&c, x, 4);
		run(&c);
		static const float want[4] = {0.2689414f, 0.5f, 0.7310586f, 0.5f};
		expect(&c, "s", want, 4);
		clear(&c);
	}
}

static void test_elementwise(void)
{
	struct case_net c;
	if (!build(&c, "input: [4]\nlayers:\n"
	               "  - {name: leaky, type: relu, negative_slope: 0.1, inputs: input}\n"
	               "  - {name: six, type: relu, max: 6, inputs: input}\n"
	               "  - {name: sum, type: eltwise, op: sum, inputs: [input, leaky, six]}\n"
	               "  - {name: prod, type: eltwise, op: prod, inputs: [input, six]}\n"
	               "  - {name: mx, type: eltwise, op: max, inputs: [leaky, six]}\n"
	               "  - {name: cat, type: concat, inputs: [six, leaky]}\n"
	               "  - {name: t, type: tanh, inputs: input}\n"
	               "  - {name: sg, type: sigmoid, inputs: input}\n"
	               "  - {name: lsix, type: relu, negative_slope: 0.1, max: 6, inputs: input}\n"
	               "  - {name: twice, type: eltwise, op: sum, inputs: [input, input]}\n"
	               "  - {name: six2, type: relu, max: 6}\n"))
		return;
	static const float x[4] = {-10, 5, 7, 0};
	input(&c, x, 4);
	run(&c);
	static const float leaky[4] = {-1, 5, 7, 0}, six[4] = {0, 5, 6, 0};
	static const float sum[4] = {-11, 15, 20, 0}, prod[4] = {0, 25, 42, 0};
	static const float mx[4] = {0, 5, 7, 0}, cat[8] = {0, 5, 6, 0, -1, 5, 7, 0};
	static const float t[4] = {-1.0f, 0.9999092f, 0.9999983f, 0};
	static const float sg[4] = {4.539787e-05f, 0.9933071f, 0.9990889f, 0.5f};
	expect(&c, "leaky", leaky, 4);
	expect(&c, "six", six, 4);
	expect(&c, "sum", sum, 4);
	expect(&c, "prod", prod, 4);
	expect(&c, "mx", mx, 4);
	expect(&c, "cat", cat, 8);
	expect(&c, "t", t, 4);
	expect(&c, "sg", sg, 4);
	/* a clip with a slope (the general path), and one in place over a sum's buffer */
	static const float lsix[4] = {-1, 5, 6, 0}, six2[4] = {0, 6, 6, 0};
	expect(&c, "lsix", lsix, 4);
	expect(&c, "six2", six2, 4);
	clear(&c);

	/* concat of maps: per image, the first input's channels then the second's */
	if (!build(&c, "input: [1, 1, 2]\nbatch: 2\nlayers:\n"
	               "  - {name: r, type: relu, inputs: input}\n"
	               "  - {name: cat, type: concat, inputs: [input, r]}\n"))
		return;
	static const float y[4] = {-1, 2, 3, -4};
	input(&c, y, 4);
	run(&c);
	static const float cat2[8] = {-1, 2, 0, 2, 3, -4, 3, 0};
	expect(&c, "cat", cat2, 8);
	clear(&c);
}

/* The activations beyond the paper's, on a vector (PyTorch's definitions). */
static void test_new_activations(void)
{
	struct case_net c;
	if (!build(&c, "input: [4]\nlayers:\n"
	               "  - {name: hsig, type: hardsigmoid, inputs: input}\n"
	               "  - {name: hswish, type: hardswish, inputs: input}\n"
	               "  - {name: swish, type: silu, inputs: input}\n"
	               "  - {name: elu, type: elu, inputs: input}\n"
	               "  - {name: prelu, type: prelu, inputs: input}\n"))
		return;
	static const float x[4] = {-4, -1, 0, 2}, slopes[4] = {0.5f, 0.25f, 1, 2};
	input(&c, x, 4);
	set(&c, 4, 0, slopes, 4);
	run(&c);
	/* relu6(v + 3) / 6; v times that; v / (1 + e^-v); e^v - 1 below 0 */
	static const float hsig[4] = {0, 1.0f / 3, 0.5f, 5.0f / 6};
	static const float hswish[4] = {0, -1.0f / 3, 0, 5.0f / 3};
	static const float swish[4] = {-0.07194484f, -0.26894142f, 0, 1.76159416f};
	static const float elu[4] = {-0.98168436f, -0.63212056f, 0, 2};
	static const float prelu[4] = {-2, -0.25f, 0, 2};
	expect(&c, "hsig", hsig, 4);
	expect(&c, "hswish", hswish, 4);
	expect(&c, "swish", swish, 4);
	expect(&c, "elu", elu, 4);
	expect(&c, "prelu", prelu, 4);
	clear(&c);
}

/* Reductions over planes longer than the runtime's lanes (a 5 x 7 plane: two full rounds
 * of 16 and a tail of 3), and eltwise broadcasts of a row, a column and a single value
 * over a 2 x 3 x 4 map, with the expected values written out from their definitions. */
static void test_reductions_and_broadcasts(void)
{
	struct case_net c;
	if (!build(&c, "input: [1, 5, 7]\nlayers:\n"
	               "  - {name: gm, type: pool, op: max, global: true}\n"
	               "  - {name: ga, type: pool, op: avg, global: true, inputs: input}\n"
	               "  - {name: mean, type: reduce, inputs: input}\n"))
		return;
	/* x[j] = (13 j mod 35) - 10: a permutation of -10..24, so max 24, mean (595 - 350) / 35 */
	float x[35];
	for (int j = 0; j < 35; j++)
		x[j] = (float)((13 * j) % 35 - 10);
	input(&c, x, 35);
	run(&c);
	static const float want_max[1] = {24}, want_mean[1] = {7};
	expect(&c, "gm", want_max, 1);
	expect(&c, "ga", want_mean, 1);
	expect(&c, "mean", want_mean, 1);
	clear(&c);

	if (!build(&c, "input: [2, 3, 4]\nlayers:\n"
	               "  - {name: row, type: pool, op: max, kernel: [3, 1], inputs: input}\n"
	               "  - {name: col, type: pool, op: max, kernel: [1, 4], inputs: input}\n"
	               "  - {name: one, type: reduce, inputs: input}\n"
	               "  - {name: addrow, type: eltwise, op: sum, inputs: [input, row]}\n"
	               "  - {name: mulcol, type: eltwise, op: prod, inputs: [col, input]}\n"
	               "  - {name: maxone, type: eltwise, op: max, inputs: [input, one, row]}\n"))
		return;
	/* x[c][h][w] = 12 c + 4 h + w + 1; row[c][w] = x[c][2][w]; col[c][h] = x[c][h][3];
	 * one[c] = 12 c + 6.5 */
	float m[24], addrow[24], mulcol[24], maxone[24];
	for (int ch = 0; ch < 2; ch++)
		for (int h = 0; h < 3; h++)
			for (int w = 0; w < 4; w++) {
				int j = (ch * 3 + h) * 4 + w;
				float v = (float)(12 * ch + 4 * h + w + 1);
				float row = (float)(12 * ch + 8 + w + 1),
				      col = (float)(12 * ch + 4 * h + 4);
				float one = 12.0f * (float)ch + 6.5f;
				m[j] = v;
				addrow[j] = v + row;
				mulcol[j] = col * v;
				maxone[j] = fmaxf(fmaxf(v, one), row);
			}
	input(&c, m, 24);
	run(&c);
	expect(&c, "addrow", addrow, 24);
	expect(&c, "mulcol", mulcol, 24);
	expect(&c, "maxone", maxone, 24);
	clear(&c);
}

/* Data movement and the squeeze-and-excitation scale on a 4x1x2 map: channel c holds
 * [2c + 1, 2c + 2]. */
static void test_data_movement(void)
{
	struct case_net c;
	if (!build(&c, "input: [4, 1, 2]\nlayers:\n"
	               "  - {name: mean, type: reduce, inputs: input}\n"
	               "  - {name: se, type: eltwise, op: prod, inputs: [input, mean]}\n"
	               "  - {name: shuf, type: shuffle, groups: 2, inputs: input}\n"
	               "  - {name: sl, type: slice, range: [1, 3], inputs: input}\n"
	               "  - {name: pd, type: pad, pad: [0, 1], inputs: input}\n"
	               "  - {name: pm, type: permute, order: [2, 1, 0], inputs: input}\n"
	               "  - {name: rs, type: reshape, shape: [2, 2, 2], inputs: input}\n"
	               "  - {name: cr, type: crop, output_size: [1, 1], inputs: input}\n"
	               "  - {name: up, type: upsample, scale: 2, inputs: input}\n"
	               "  - {name: bl, type: upsample, op: bilinear, output_size: [1, 4], "
	               "inputs: input}\n"))
		return;
	static const float x[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	input(&c, x, 8);
	run(&c);
	static const float mean[4] = {1.5f, 3.5f, 5.5f, 7.5f};
	static const float se[8] = {1.5f, 3, 10.5f, 14, 27.5f, 33, 52.5f, 60};
	/* channels c0 c2 c1 c3, as view(2, 2).transpose(0, 1) orders them */
	static const float shuf[8] = {1, 2, 5, 6, 3, 4, 7, 8};
	static const float sl[4] = {3, 4, 5, 6};
	static const float pd[16] = {0, 1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 0, 0, 7, 8, 0};
	/* W x H x C: out[w][0][c] = in[c][0][w] */
	static const float pm[8] = {1, 3, 5, 7, 2, 4, 6, 8};
	static const float cr[4] = {1, 3, 5, 7};
	static const float up[32] = {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4,
	                             5, 5, 6, 6, 5, 5, 6, 6, 7, 7, 8, 8, 7, 7, 8, 8};
	/* half-pixel centres: x at 0, 0.25, 0.75, 1 (clamped) */
	static const float bl[16] = {1, 1.25f, 1.75f, 2, 3, 3.25f, 3.75f, 4,
	                             5, 5.25f, 5.75f, 6, 7, 7.25f, 7.75f, 8};
	expect(&c, "mean", mean, 4);
	expect(&c, "se", se, 8);
	expect(&c, "shuf", shuf, 8);
	expect(&c, "sl", sl, 4);
	expect(&c, "pd", pd, 16);
	expect(&c, "pm", pm, 8);
	expect(&c, "rs", x, 8);
	expect(&c, "cr", cr, 4);
	expect(&c, "up", up, 32);
	expect(&c, "bl", bl, 16);
	clear(&c);
}

/* SSD's normalize: (3, 4) / 5 and (0, 2) / 2, times scales 2 and 10; its prior boxes and
 * detection output are refused with a located message. */
static void test_ssd_layers(void)
{
	struct case_net c;
	if (!build(&c, "input: [2, 1, 2]\nlayers:\n  - {name: n, type: normalize}\n"))
		return;
	static const float x[4] = {3, 0, 4, 2}, scale[2] = {2, 10};
	static const float want[4] = {1.2f, 0, 8, 10};
	input(&c, x, 4);
	set(&c, 0, 0, scale, 2);
	run(&c);
	expect(&c, "n", want, 4);
	clear(&c);

	struct augur_net *net = NULL;
	struct augur_analysis *a = NULL;
	struct augur_runtime *rt = NULL;
	struct augur_diag diag = {0};
	struct augur_runtime_options opt = {1, 1, false};
	static const char yaml[] = "input: [2, 4, 4]\nlayers:\n"
	                           "  - {name: pb, type: priorbox, priors: 3}\n";
	CHECK(!augur_descriptor_parse("ssd.yaml", yaml, strlen(yaml), &net, &diag));
	CHECK(net && !augur_analyze(net, 0, &a, &diag));
	if (a) {
		CHECK_EQ_INT(augur_runtime_new(net, a, &opt, &rt, &diag), AUGUR_E_SCHEMA);
		CHECK(rt == NULL);
		CHECK_EQ_U64(diag.line, 3);
		CHECK_CONTAINS(diag.message, "no reference kernel for layer 'pb' of type priorbox");
	}
	augur_analysis_free(a);
	augur_net_free(net);
}

/* Transposed convolutions: each input value stamps the kernel into the output. */
static void test_deconv(void)
{
	struct case_net c;
	if (!build(&c,
	           "input: [1, 2, 2]\nlayers:\n"
	           "  - {name: up, type: deconv, filters: 1, kernel: 2, stride: 2, bias: false}\n"
	           "  - {name: box, type: deconv, filters: 1, kernel: 3, pad: 1, inputs: input}\n"
	           "  - {name: pw, type: deconv, filters: 2, kernel: 1, inputs: input}\n"))
		return;
	static const float x[4] = {1, 2, 3, 4}, w[4] = {1, 2, 3, 4};
	static const float ones[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1}, half = 0.5f;
	static const float pw[2] = {2, -1}, pwb[2] = {0.5f, 0};
	input(&c, x, 4);
	set(&c, 0, 0, w, 4);
	set(&c, 1, 0, ones, 9);
	set(&c, 1, 1, &half, 1);
	set(&c, 2, 0, pw, 2);
	set(&c, 2, 1, pwb, 2);
	run(&c);
	static const float up[16] = {1, 2, 2, 4, 3, 4, 6, 8, 3, 6, 4, 8, 9, 12, 12, 16};
	/* 3x3 of ones, pad 1, on 2x2: every output sums all four inputs */
	static const float box[4] = {10.5f, 10.5f, 10.5f, 10.5f};
	static const float pwo[8] = {2.5f, 4.5f, 6.5f, 8.5f, -1, -2, -3, -4};
	expect(&c, "up", up, 16);
	expect(&c, "box", box, 4);
	expect(&c, "pw", pwo, 8);
	clear(&c);
}

static void test_batchnorm_scale(void)
{
	struct case_net c;
	if (!build(&c, "input: [2, 1, 2]\nlayers:\n"
	               "  - {name: bn, type: batchnorm}\n  - {name: sc, type: scale}\n"))
		return;
	static const float x[4] = {1, 2, 3, 4};
	static const float mean[2] = {1, 2}, var[2] = {4 - 1e-5f, 0.25f - 1e-5f};
	static const float gamma[2] = {2, -1}, beta[2] = {1, 0};
	input(&c, x, 4);
	set(&c, 0, 0, mean, 2);
	set(&c, 0, 1, var, 2);
	set(&c, 1, 0, gamma, 2);
	set(&c, 1, 1, beta, 2);
	run(&c);
	/* (x - mean) / sqrt(var + eps): [0, 0.5], [2, 4]; then * gamma + beta; both in place */
	static const float want[4] = {1, 2, -2, -4};
	expect(&c, "sc", want, 4);
	clear(&c);
}

static void test_fc(void)
{
	static const float w[6] = {1, 0, -1, 2, 1, 0}, b[2] = {0.5f, -1};
	struct case_net c;
	if (build(&c, "input: [3]\nlayers:\n  - {name: f, type: fc, outputs: 2}\n")) {
		static const float x[3] = {1, 2, 3};
		input(&c, x, 3);
		set(&c, 0, 0, w, 6);
		set(&c, 0, 1, b, 2);
		run(&c);
		static const float want[2] = {-1.5f, 3};
		expect(&c, "f", want, 2);
		clear(&c);
	}
	/* batch 2 (sgemm), reading a 3x1x1 map */
	if (build(&c,
	          "input: [3, 1, 1]\nbatch: 2\nlayers:\n  - {name: f, type: fc, outputs: 2}\n")) {
		static const float x[6] = {1, 2, 3, 0, 1, 0};
		input(&c, x, 6);
		set(&c, 0, 0, w, 6);
		set(&c, 0, 1, b, 2);
		run(&c);
		static const float want[4] = {-1.5f, 3, 0.5f, 0};
		expect(&c, "f", want, 4);
		clear(&c);
	}
}

/* An in-place relu after a flatten whose input another layer also reads must not write
 * over that input. */
static void test_flatten_alias(void)
{
	struct case_net c;
	if (!build(&c, "input: [2, 1, 1]\nlayers:\n"
	               "  - {name: id, type: pool, op: max, kernel: 1}\n"
	               "  - {name: fl, type: flatten}\n  - {name: r, type: relu}\n"
	               "  - {name: cat, type: concat, inputs: [r, id]}\n"))
		return;
	static const float x[2] = {-1, 2};
	input(&c, x, 2);
	run(&c);
	static const float want[4] = {0, 2, -1, 2};
	expect(&c, "cat", want, 4);
	struct augur_runtime_memory m;
	augur_runtime_memory(c.rt, &m);
	CHECK_EQ_U64(m.extra, 8);
	clear(&c);
}

/* What the executor holds is the allocated view, for every shipped descriptor. */
static void test_shipped_memory(void)
{
	const char *root = getenv("AUGUR_SOURCE_ROOT");
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/descriptors", root ? root : ".");
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
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		struct augur_diag diag = {0};
		struct augur_net *net = NULL;
		struct augur_analysis *a = NULL;
		struct augur_runtime *rt = NULL;
		struct augur_runtime_options opt = {1, 1, false};
		if (augur_net_load(path, &net, &diag) || augur_analyze(net, 0, &a, &diag) ||
		    augur_runtime_new(net, a, &opt, &rt, &diag)) {
			fprintf(stderr, "%s: %s\n", path, diag.message);
			CHECK(!"shipped descriptor runs");
		} else {
			struct augur_runtime_memory m;
			augur_runtime_memory(rt, &m);
			CHECK_EQ_U64(m.held, a->memory.alloc_total);
			CHECK_EQ_U64(m.params, a->memory.alloc_params);
			CHECK_EQ_U64(m.stats, a->memory.alloc_stats);
			CHECK_EQ_U64(m.data, a->memory.alloc_data);
			CHECK_EQ_U64(m.workspace, a->memory.alloc_workspace);
			CHECK_EQ_U64(m.extra, 0);
			seen++;
		}
		augur_runtime_free(rt);
		augur_analysis_free(a);
		augur_net_free(net);
	}
	closedir(d);
	CHECK(seen >= 12);
}

int main(void)
{
	test_new_activations();
	test_data_movement();
	test_reductions_and_broadcasts();
	test_deconv();
	test_ssd_layers();
	test_conv_padded();
	test_conv_strided();
	test_conv_grouped();
	test_conv_dilated();
	test_pool_edges();
	test_lrn();
	test_softmax();
	test_elementwise();
	test_batchnorm_scale();
	test_fc();
	test_flatten_alias();
	test_shipped_memory();
	return check_finish();
}
