/* The reference executor (see runtime.h). Every layer follows Caffe's CPU code: conv as
 * im2col per image and one sgemm per group, fc as one sgemm (sgemv for one image), pooling
 * windows clipped as Caffe clips them, LRN across channels with a running window sum.
 * With bench-cpu.c, the files that include cblas.h. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

#include "runtime.h"

struct layer_rt {
	float *out;       /* output buffer (may be the input's, in place) */
	float *params[2]; /* weights/bias, mean/var, gamma/beta */
	uint64_t n_params[2];
	float *col;       /* conv's im2col buffer; NULL when direct */
	int64_t *cols;    /* a window pool's output columns each kernel column reaches:
	                     [2 kx] first, [2 kx + 1] past the last (valid_range) */
	const float **in; /* each input's buffer */
};

struct augur_runtime {
	const struct augur_net *net;
	const struct augur_analysis *a;
	float *input;
	struct layer_rt *layers;
	void **owned; /* every buffer allocated, freed at the end */
	size_t n_owned;
	struct augur_runtime_memory mem;
	double gemm_ms; /* BLAS time of the current pass */
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* Denormal operands make x86 arithmetic up to a hundred times slower; leaky ReLUs and
 * long products reach them. PyTorch's set_flush_denormal does the same. */
static void flush_denormals(void)
{
#if defined(__x86_64__) || defined(__i386__)
	_mm_setcsr(_mm_getcsr() | 0x8040); /* FTZ and DAZ */
#elif defined(__aarch64__)
	uint64_t fpcr;
	__asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
	__asm__ volatile("msr fpcr, %0" : : "r"(fpcr | (1ull << 24)));
#endif
}

/* xorshift64*: fast, and the same stream on every machine. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

/* count values uniform in [center - half, center + half). */
static void fill_uniform(float *p, uint64_t count, float center, float half, uint64_t *s)
{
	for (uint64_t i = 0; i < count; i++) {
		float u = (float)(next_random(s) >> 40) * (1.0f / 16777216.0f); /* [0, 1) */
		p[i] = center + half * (2.0f * u - 1.0f);
	}
}

static void *own(struct augur_runtime *rt, uint64_t bytes)
{
	void *p = NULL;
	if (posix_memalign(&p, 64, bytes ? (size_t)bytes : 64))
		return NULL;
	rt->owned[rt->n_owned++] = p;
	return p;
}

/* The valid outputs of one kernel column: lo <= o < hi where 0 <= x0 + o * stride < n. */
static void valid_range(int64_t x0, int64_t stride, int64_t n, int64_t outs, int64_t *lo,
                        int64_t *hi)
{
	*lo = x0 >= 0 ? 0 : (-x0 + stride - 1) / stride;
	*hi = x0 >= n ? 0 : (n - 1 - x0) / stride + 1;
	if (*hi > outs)
		*hi = outs;
	if (*lo > *hi)
		*lo = *hi;
}

static uint64_t elems(const struct augur_shape *s)
{
	return s->c * s->h * s->w; /* checked by the analysis */
}

/* An element-wise layer marked in place by the allocated view writes over its input's
 * buffer; that buffer may also be a flatten's, which any number of layers read. */
static bool safe_in_place(const struct augur_net *net, const struct augur_analysis *a, size_t i)
{
	int32_t src = net->layers[i].inputs[0];
	while (src != AUGUR_NET_INPUT && (net->layers[src].type == AUGUR_LAYER_FLATTEN ||
	                                  net->layers[src].type == AUGUR_LAYER_RESHAPE)) {
		if (a->layers[src].readers != 1)
			return false;
		src = net->layers[src].inputs[0];
	}
	return (src == AUGUR_NET_INPUT ? a->input_readers : a->layers[src].readers) == 1;
}

static uint32_t param_blobs(const struct augur_layer *l, uint64_t c,
                            const struct augur_layer_stats *s, uint64_t n[2])
{
	n[0] = n[1] = 0;
	switch (l->type) {
	case AUGUR_LAYER_CONV:
	case AUGUR_LAYER_DECONV:
	case AUGUR_LAYER_FC: {
		uint64_t b = l->bias ? (l->type == AUGUR_LAYER_FC ? l->outputs : l->filters) : 0;
		n[0] = s->params - b;
		n[1] = b;
		return 2;
	}
	case AUGUR_LAYER_PRELU:
	case AUGUR_LAYER_NORMALIZE:
		n[0] = s->params;
		return 1;
	case AUGUR_LAYER_BATCHNORM:
		n[0] = n[1] = c;
		return 2;
	case AUGUR_LAYER_SCALE:
		n[0] = c;
		n[1] = l->bias ? c : 0;
		return 2;
	default:
		return 0;
	}
}

static void fill_params(struct augur_runtime *rt, size_t i, uint64_t *seed)
{
	const struct augur_layer *l = &rt->net->layers[i];
	const struct augur_layer_stats *s = &rt->a->layers[i];
	struct layer_rt *L = &rt->layers[i];
	switch (l->type) {
	case AUGUR_LAYER_CONV:
	case AUGUR_LAYER_DECONV: {
		/* He initialisation, uniform: variance 2 / fan-in */
		uint64_t per_group = s->in.c / l->groups; /* exact: groups divide C */
		double fan_in = (double)per_group * l->kernel.h * l->kernel.w;
		fill_uniform(L->params[0], L->n_params[0], 0, (float)sqrt(6.0 / fan_in), seed);
		fill_uniform(L->params[1], L->n_params[1], 0, 0.01f, seed);
		break;
	}
	case AUGUR_LAYER_FC: {
		double fan_in = (double)elems(&s->in);
		fill_uniform(L->params[0], L->n_params[0], 0, (float)sqrt(3.0 / fan_in), seed);
		fill_uniform(L->params[1], L->n_params[1], 0, 0.01f, seed);
		break;
	}
	case AUGUR_LAYER_BATCHNORM:
		fill_uniform(L->params[0], L->n_params[0], 0, 0.1f, seed);
		fill_uniform(L->params[1], L->n_params[1], 1.0f, 0.5f, seed);
		break;
	case AUGUR_LAYER_SCALE:
		fill_uniform(L->params[0], L->n_params[0], 1.0f, 0.1f, seed);
		fill_uniform(L->params[1], L->n_params[1], 0, 0.1f, seed);
		break;
	case AUGUR_LAYER_PRELU:
		fill_uniform(L->params[0], L->n_params[0], 0.25f, 0.05f, seed);
		break;
	case AUGUR_LAYER_NORMALIZE:
		fill_uniform(L->params[0], L->n_params[0], 20.0f, 1.0f, seed); /* SSD's 20 */
		break;
	default:
		break;
	}
}

static int check_blas_dims(const struct augur_net *net, size_t i, const struct augur_gemm *g,
                           struct augur_diag *diag)
{
	if (g->n <= INT32_MAX && g->k <= INT32_MAX && g->m <= INT32_MAX)
		return AUGUR_OK;
	const struct augur_layer *l = &net->layers[i];
	return augur_diag_set(
	        diag, AUGUR_E_LIMIT, net->path ? net->path : "run", l->loc.line, l->loc.col,
	        "layer '%s': GEMM %llux%llux%llu is past BLAS's 32-bit dimensions", l->name,
	        (unsigned long long)g->n, (unsigned long long)g->k, (unsigned long long)g->m);
}

void augur_runtime_free(struct augur_runtime *rt)
{
	if (!rt)
		return;
	for (size_t i = 0; rt->owned && i < rt->n_owned; i++)
		free(rt->owned[i]);
	free(rt->owned);
	if (rt->layers)
		for (size_t i = 0; i < rt->a->n_layers; i++)
			free(rt->layers[i].in);
	free(rt->layers);
	free(rt);
}

int augur_runtime_new(const struct augur_net *net, const struct augur_analysis *a,
                      const struct augur_runtime_options *opt, struct augur_runtime **out,
                      struct augur_diag *diag)
{
	const char *path = net->path ? net->path : "run";
	*out = NULL;
	struct augur_runtime *rt = calloc(1, sizeof(*rt));
	if (!rt)
		return augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
	rt->net = net;
	rt->a = a;
	size_t n = a->n_layers;
	rt->layers = calloc(n ? n : 1, sizeof(*rt->layers));
	rt->owned = calloc(4 * n + 1, sizeof(*rt->owned));
	int rc = AUGUR_OK;
	if (!rt->layers || !rt->owned) {
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
		goto done;
	}
	uint64_t seed = opt->seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	uint64_t bytes = 0;
	rt->input = own(rt, a->input_bytes);
	rt->mem.data = a->input_bytes;
	if (!rt->input) {
		bytes = a->input_bytes;
		goto nomem;
	}
	if (opt->fill)
		fill_uniform(rt->input, a->input_bytes / AUGUR_BYTES_PER_VALUE, 0, 1.0f, &seed);
	for (size_t i = 0; i < n; i++) {
		const struct augur_layer *l = &net->layers[i];
		const struct augur_layer_stats *s = &a->layers[i];
		struct layer_rt *L = &rt->layers[i];
		if (s->gemm.count && (rc = check_blas_dims(net, i, &s->gemm, diag)))
			goto done;
		if (l->type == AUGUR_LAYER_PRIORBOX || l->type == AUGUR_LAYER_DETECTION) {
			/* SSD's heads: box geometry and non-maximum suppression, not kernels */
			rc = augur_diag_set(
			        diag, AUGUR_E_SCHEMA, path, l->loc.line, l->loc.col,
			        "augur run has no reference kernel for layer '%s' of "
			        "type %s (SSD's detection head: box geometry and suppression, "
			        "which augur does not run)",
			        l->name, augur_layer_type_name(l->type));
			goto done;
		}
		L->in = calloc(l->n_inputs, sizeof(*L->in));
		if (!L->in) {
			rc = augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
			goto done;
		}
		for (uint32_t j = 0; j < l->n_inputs; j++)
			L->in[j] = l->inputs[j] == AUGUR_NET_INPUT ? rt->input
			                                           : rt->layers[l->inputs[j]].out;
		uint64_t np[2];
		uint32_t blobs = param_blobs(l, s->in.c, s, np);
		if (blobs) {
			uint64_t total = np[0] + np[1];
			bytes = total * AUGUR_BYTES_PER_VALUE;
			float *p = own(rt, bytes);
			if (!p)
				goto nomem;
			L->params[0] = p;
			L->params[1] = np[1] ? p + np[0] : NULL;
			L->n_params[0] = np[0];
			L->n_params[1] = np[1];
			if (l->type == AUGUR_LAYER_BATCHNORM)
				rt->mem.stats += bytes;
			else
				rt->mem.params += bytes;
		}
		if (l->type == AUGUR_LAYER_POOL && !l->global) {
			/* the same for every row of every plane: found once, not per row (two
			 * divisions per kernel column and row ran a 7 x 7 average pool over
			 * 2048 planes of 7 x 7 at 140 ns per plane, the sums themselves 5) */
			bytes = 2 * (uint64_t)l->kernel.w * sizeof(int64_t);
			if (!(L->cols = own(rt, bytes)))
				goto nomem;
			for (int64_t kx = 0; kx < (int64_t)l->kernel.w; kx++)
				valid_range(kx - (int64_t)l->pad.w, (int64_t)l->stride.w,
				            (int64_t)s->in.w, (int64_t)s->out.w, &L->cols[2 * kx],
				            &L->cols[2 * kx + 1]);
		}
		if (s->workspace_bytes) {
			bytes = s->workspace_bytes;
			if (!(L->col = own(rt, bytes)))
				goto nomem;
			rt->mem.workspace += bytes;
		}
		if (l->type == AUGUR_LAYER_FLATTEN || l->type == AUGUR_LAYER_RESHAPE ||
		    (s->in_place && safe_in_place(net, a, i))) {
			L->out = (float *)L->in[0];
		} else {
			bytes = s->out_bytes;
			if (!(L->out = own(rt, bytes)))
				goto nomem;
			if (s->in_place)
				rt->mem.extra += bytes;
			else
				rt->mem.data += bytes;
		}
		if (opt->fill)
			fill_params(rt, i, &seed);
	}
	rt->mem.held = rt->mem.params + rt->mem.stats + rt->mem.data + rt->mem.workspace;
	if (opt->threads)
		openblas_set_num_threads((int)opt->threads);
	flush_denormals();
	*out = rt;
	return AUGUR_OK;
nomem:
	rc = augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0,
	                    "out of memory: cannot allocate a buffer of %.1f MiB",
	                    (double)bytes / 1048576.0);
done:
	augur_runtime_free(rt);
	return rc;
}

/* ---- conv ---------------------------------------------------------------------------- */

/* Caffe's im2col_cpu with dilation: col[(c * Kh + ki) * Kw + kj][oy * Ow + ox] is the
 * input value under kernel tap (ki, kj) of output position (oy, ox), 0 in the padding. */
static void im2col(const float *x, uint64_t C, uint64_t H, uint64_t W, const struct augur_layer *l,
                   uint64_t OH, uint64_t OW, float *col)
{
	int64_t kh = l->kernel.h, kw = l->kernel.w, sh = l->stride.h, sw = l->stride.w;
	int64_t ph = l->pad.h, pw = l->pad.w, dh = l->dilation.h, dw = l->dilation.w;
	for (uint64_t c = 0; c < C; c++) {
		const float *xc = x + c * H * W;
		for (int64_t ki = 0; ki < kh; ki++)
			for (int64_t kj = 0; kj < kw; kj++) {
				float *dst =
				        col + ((c * (uint64_t)kh + (uint64_t)ki) * (uint64_t)kw +
				               (uint64_t)kj) *
				                      OH * OW;
				int64_t x0 = kj * dw - pw, lo, hi; /* input column of ox = 0 */
				valid_range(x0, sw, (int64_t)W, (int64_t)OW, &lo, &hi);
				for (uint64_t oy = 0; oy < OH; oy++, dst += OW) {
					int64_t iy = (int64_t)oy * sh - ph + ki * dh;
					if (iy < 0 || iy >= (int64_t)H) {
						memset(dst, 0, OW * sizeof(float));
						continue;
					}
					const float *row = xc + (uint64_t)iy * W;
					for (int64_t ox = 0; ox < lo; ox++)
						dst[ox] = 0;
					if (sw == 1 && hi > lo)
						memcpy(dst + lo, row + x0 + lo,
						       (size_t)(hi - lo) * sizeof(float));
					else
						for (int64_t ox = lo; ox < hi; ox++)
							dst[ox] = row[x0 + ox * sw];
					for (int64_t ox = hi; ox < (int64_t)OW; ox++)
						dst[ox] = 0;
				}
			}
	}
}

static void conv(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer *l = &rt->net->layers[i];
	const struct augur_layer_stats *s = &rt->a->layers[i];
	struct layer_rt *L = &rt->layers[i];
	uint64_t C = s->in.c, H = s->in.h, W = s->in.w, OH = s->out.h, OW = s->out.w;
	uint64_t g = l->groups, n = s->gemm.n, k = s->gemm.k, m = s->gemm.m;
	const float *wt = L->params[0], *bias = L->params[1];
	for (uint32_t b = 0; b < rt->a->batch; b++) {
		const float *x = L->in[0] + b * C * H * W;
		float *y = L->out + b * l->filters * m;
		const float *col = x;
		if (L->col) {
			im2col(x, C, H, W, l, OH, OW, L->col);
			col = L->col;
		}
		if (bias)
			for (uint64_t f = 0; f < l->filters; f++)
				for (uint64_t j = 0; j < m; j++)
					y[f * m + j] = bias[f];
		double t0 = now_ms();
		for (uint64_t gi = 0; gi < g; gi++)
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)m,
			            (int)k, 1.0f, wt + gi * n * k, (int)k, col + gi * k * m, (int)m,
			            bias ? 1.0f : 0.0f, y + gi * n * m, (int)m);
		rt->gemm_ms += now_ms() - t0;
	}
}

static void fc(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer *l = &rt->net->layers[i];
	const struct augur_layer_stats *s = &rt->a->layers[i];
	struct layer_rt *L = &rt->layers[i];
	uint64_t N = l->outputs, K = s->gemm.k, B = rt->a->batch;
	const float *bias = L->params[1];
	for (uint64_t b = 0; b < B; b++)
		for (uint64_t j = 0; j < N; j++)
			L->out[b * N + j] = bias ? bias[j] : 0.0f;
	float beta = bias ? 1.0f : 0.0f;
	double t0 = now_ms();
	if (B == 1)
		cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)N, (int)K, 1.0f, L->params[0], (int)K,
		            L->in[0], 1, beta, L->out, 1);
	else
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)N, (int)K, 1.0f,
		            L->in[0], (int)K, L->params[0], (int)K, beta, L->out, (int)N);
	rt->gemm_ms += now_ms() - t0;
}

/* ---- pooling ------------------------------------------------------------------------- */

/* Row by row: each input row of the window and each kernel column update the whole
 * output row (max or sum), a loop the compiler vectorises; Caffe's windows, clipped to
 * the image for max and to the padded map for the average's divisor. */
static void pool_rows(const float *x, float *y, int64_t H, int64_t W, int64_t OH, int64_t OW,
                      const struct augur_layer *l, const int64_t *cols, bool max)
{
	int64_t kh = l->kernel.h, kw = l->kernel.w, sh = l->stride.h, sw = l->stride.w;
	int64_t ph = l->pad.h, pw = l->pad.w;
	for (int64_t oy = 0; oy < OH; oy++) {
		float *out = y + oy * OW;
		int64_t y0 = oy * sh - ph, y1 = y0 + kh;
		int64_t ya = y0 < 0 ? 0 : y0, yb = y1 < H ? y1 : H;
		for (int64_t ox = 0; ox < OW; ox++)
			out[ox] = max ? -FLT_MAX : 0.0f;
		for (int64_t yy = ya; yy < yb; yy++) {
			const float *row = x + yy * W;
			for (int64_t kx = 0; kx < kw; kx++) {
				int64_t x0 = kx - pw, lo = cols[2 * kx], hi = cols[2 * kx + 1];
				if (max)
					for (int64_t ox = lo; ox < hi; ox++) {
						float v = row[x0 + ox * sw];
						out[ox] = v > out[ox] ? v : out[ox];
					}
				else
					for (int64_t ox = lo; ox < hi; ox++)
						out[ox] += row[x0 + ox * sw];
			}
		}
		if (max)
			continue;
		int64_t rows = (y1 < H + ph ? y1 : H + ph) - y0;
		for (int64_t ox = 0; ox < OW; ox++) {
			int64_t x0 = ox * sw - pw, x1 = x0 + kw;
			int64_t area = rows * ((x1 < W + pw ? x1 : W + pw) - x0);
			/* a ceil-rounded window past an unpadded edge holds nothing */
			out[ox] = area > 0 ? out[ox] / (float)area : 0.0f;
		}
	}
}

/* A plane's sum and maximum in REDUCE_LANES independent lanes: with one running value
 * every add waits for the one before (the compiler may not reorder float adds), which ran
 * a global pool at 120-200 ns per KiB against 85-105 for a window pool's reads; lanes
 * vectorise as a real runtime's reductions do. */
#define REDUCE_LANES 16
static float plane_sum(const float *x, uint64_t n)
{
	float lane[REDUCE_LANES] = {0};
	uint64_t j = 0;
	for (; j + REDUCE_LANES <= n; j += REDUCE_LANES)
		for (int k = 0; k < REDUCE_LANES; k++)
			lane[k] += x[j + k];
	float sum = 0.0f;
	for (int k = 0; k < REDUCE_LANES; k++)
		sum += lane[k];
	for (; j < n; j++)
		sum += x[j];
	return sum;
}

static float plane_max(const float *x, uint64_t n)
{
	float lane[REDUCE_LANES];
	for (int k = 0; k < REDUCE_LANES; k++)
		lane[k] = -FLT_MAX;
	uint64_t j = 0;
	for (; j + REDUCE_LANES <= n; j += REDUCE_LANES)
		for (int k = 0; k < REDUCE_LANES; k++)
			lane[k] = x[j + k] > lane[k] ? x[j + k] : lane[k];
	float top = -FLT_MAX;
	for (int k = 0; k < REDUCE_LANES; k++)
		top = lane[k] > top ? lane[k] : top;
	for (; j < n; j++)
		top = x[j] > top ? x[j] : top;
	return top;
}

/* Window by window, as Caffe's loops run, for maps with fewer outputs per row than the
 * window is wide (a 7 x 7 average pool to one value): there the row-by-row loops above run
 * kernel-height x kernel-width loops of one value each per output row (97 ns per plane of
 * ResNet-50's pool5), a window's rows are read here in kernel-height short loops. The
 * same windows, clipping and divisor as pool_rows. */
static void pool_windows(const float *x, float *y, int64_t H, int64_t W, int64_t OH, int64_t OW,
                         const struct augur_layer *l, bool max)
{
	int64_t kh = l->kernel.h, kw = l->kernel.w, sh = l->stride.h, sw = l->stride.w;
	int64_t ph = l->pad.h, pw = l->pad.w;
	for (int64_t oy = 0; oy < OH; oy++) {
		int64_t y0 = oy * sh - ph, y1 = y0 + kh;
		int64_t ya = y0 < 0 ? 0 : y0, yb = y1 < H ? y1 : H;
		for (int64_t ox = 0; ox < OW; ox++) {
			int64_t x0 = ox * sw - pw, x1 = x0 + kw;
			int64_t xa = x0 < 0 ? 0 : x0, xb = x1 < W ? x1 : W;
			float acc = max ? -FLT_MAX : 0.0f;
			for (int64_t yy = ya; yy < yb; yy++) {
				const float *row = x + yy * W;
				if (max)
					for (int64_t xx = xa; xx < xb; xx++)
						acc = row[xx] > acc ? row[xx] : acc;
				else
					for (int64_t xx = xa; xx < xb; xx++)
						acc += row[xx];
			}
			if (!max) {
				int64_t area = ((y1 < H + ph ? y1 : H + ph) - y0) *
				               ((x1 < W + pw ? x1 : W + pw) - x0);
				acc = area > 0 ? acc / (float)area : 0.0f;
			}
			y[oy * OW + ox] = acc;
		}
	}
}

static void pool(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer *l = &rt->net->layers[i];
	const struct augur_layer_stats *s = &rt->a->layers[i];
	struct layer_rt *L = &rt->layers[i];
	int64_t H = (int64_t)s->in.h, W = (int64_t)s->in.w;
	int64_t OH = (int64_t)s->out.h, OW = (int64_t)s->out.w;
	uint64_t planes = s->in.c * rt->a->batch, hw = (uint64_t)(H * W);
	bool max = l->op == AUGUR_POOL_MAX;
	for (uint64_t p = 0; p < planes; p++) {
		const float *x = L->in[0] + p * hw;
		float *y = L->out + p * (uint64_t)(OH * OW);
		if (l->global)
			*y = max ? plane_max(x, hw) : plane_sum(x, hw) / (float)hw;
		else if (OW <= (int64_t)l->kernel.w)
			pool_windows(x, y, H, W, OH, OW, l, max);
		else
			pool_rows(x, y, H, W, OH, OW, l, L->cols, max);
	}
}

/* ---- normalisation ------------------------------------------------------------------- */

/* Across channels: y = x * (k + alpha / size * sum of x^2 over the size channels around
 * it)^-beta, the window from c - (size - 1) / 2 to c + size / 2 (Caffe's pre-pad). The
 * sums run through the output buffer, one plane at a time. */
static void lrn(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer *l = &rt->net->layers[i];
	const struct augur_layer_stats *s = &rt->a->layers[i];
	struct layer_rt *L = &rt->layers[i];
	int64_t C = (int64_t)s->in.c, size = l->size;
	uint64_t hw = s->in.h * s->in.w;
	int64_t pre = (size - 1) / 2, post = size - 1 - pre;
	float a = AUGUR_RUNTIME_LRN_ALPHA / (float)size;
	for (uint32_t b = 0; b < rt->a->batch; b++) {
		const float *x = L->in[0] + (uint64_t)b * (uint64_t)C * hw;
		float *y = L->out + (uint64_t)b * (uint64_t)C * hw;
		/* y[0] = sum over channels 0..post; y[c] = y[c-1] + x[c+post]^2 - x[c-pre-1]^2 */
		for (uint64_t j = 0; j < hw; j++)
			y[j] = 0;
		for (int64_t c = 0; c <= post && c < C; c++)
			for (uint64_t j = 0; j < hw; j++)
				y[j] += x[(uint64_t)c * hw + j] * x[(uint64_t)c * hw + j];
		for (int64_t c = 1; c < C; c++) {
			float *yc = y + (uint64_t)c * hw;
			const float *prev = yc - hw;
			for (uint64_t j = 0; j < hw; j++)
				yc[j] = prev[j];
			if (c + post < C) {
				const float *add = x + (uint64_t)(c + post) * hw;
				for (uint64_t j = 0; j < hw; j++)
					yc[j] += add[j] * add[j];
			}
			if (c - pre - 1 >= 0) {
				const float *sub = x + (uint64_t)(c - pre - 1) * hw;
				for (uint64_t j = 0; j < hw; j++)
					yc[j] -= sub[j] * sub[j];
			}
		}
		/* beta = 0.75: s^-0.75 = 1 / sqrt(s * sqrt(s)) */
		for (uint64_t j = 0; j < (uint64_t)C * hw; j++) {
			float sc = AUGUR_RUNTIME_LRN_K + a * y[j];
			y[j] = x[j] / sqrtf(sc * sqrtf(sc));
		}
	}
}

/* Per channel: y = x * mul[c] + add[c] (batchnorm and scale). */
static void channel_affine(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer *l = &rt->net->layers[i];
	const struct augur_layer_stats *s = &rt->a->layers[i];
	struct layer_rt *L = &rt->layers[i];
	uint64_t C = s->in.c, hw = s->in.h * s->in.w;
	bool bn = l->type == AUGUR_LAYER_BATCHNORM;
	for (uint32_t b = 0; b < rt->a->batch; b++)
		for (uint64_t c = 0; c < C; c++) {
			float mul, add;
			if (bn) {
				mul = 1.0f / sqrtf(L->params[1][c] + AUGUR_RUNTIME_BN_EPS);
				add = -L->params[0][c] * mul;
			} else {
				mul = L->params[0][c];
				add = L->params[1] ? L->params[1][c] : 0.0f;
			}
			const float *x = L->in[0] + (b * C + c) * hw;
			float *y = L->out + (b * C + c) * hw;
			for (uint64_t j = 0; j < hw; j++)
				y[j] = x[j] * mul + add;
		}
}

/* ---- element-wise -------------------------------------------------------------------- */

static uint64_t out_count(const struct augur_runtime *rt, size_t i)
{
	return rt->a->layers[i].out_bytes / AUGUR_BYTES_PER_VALUE;
}

/* Each element-wise loop is written twice, in place (one pointer) and out of place
 * (restrict pointers), so that the compiler vectorises both without alias checks that
 * would send an in-place layer down the scalar path. */
#define ELEMENTWISE(name, expr)                                                                    \
	static void name##_inplace(float *y, uint64_t n, float slope, float top)                   \
	{                                                                                          \
		(void)slope;                                                                       \
		(void)top;                                                                         \
		for (uint64_t j = 0; j < n; j++) {                                                 \
			float v = y[j];                                                            \
			y[j] = (expr);                                                             \
		}                                                                                  \
	}                                                                                          \
	static void name##_copy(float *restrict y, const float *restrict x, uint64_t n,            \
	                        float slope, float top)                                            \
	{                                                                                          \
		(void)slope;                                                                       \
		(void)top;                                                                         \
		for (uint64_t j = 0; j < n; j++) {                                                 \
			float v = x[j];                                                            \
			y[j] = (expr);                                                             \
		}                                                                                  \
	}                                                                                          \
	static void name(float *y, const float *x, uint64_t n, float slope, float top)             \
	{                                                                                          \
		if (y == x)                                                                        \
			name##_inplace(y, n, slope, top);                                          \
		else                                                                               \
			name##_copy(y, x, n, slope, top);                                          \
	}

/* leaky: max(v, 0) + slope min(v, 0), exact, and without the branch GCC keeps around a
 * conditional product (it would not vectorise) */
#define POS(v)   ((v) > 0.0f ? (v) : 0.0f)
#define NEG(v)   ((v) < 0.0f ? (v) : 0.0f)
#define LEAKY(v) (POS(v) + slope * NEG(v))
ELEMENTWISE(relu_plain, POS(v))
ELEMENTWISE(relu_leaky, LEAKY(v))
ELEMENTWISE(relu_clipped, LEAKY(v) < top ? LEAKY(v) : top)
/* ReLU6 and other clips without a slope: a max and a min per value. Through the leaky
 * expression (a product by a zero slope, which the compiler must keep) MobileNet's relu6
 * ran at twice a plain relu's time (56 against 28 us on 1 MiB); inlined into the layer
 * loop GCC 12 selects the min and max as masks and blends, as slow. Kept out of line it
 * compiles to a max and a min: 30 us. */
__attribute__((noinline)) static void relu_clamp(float *y, const float *x, uint64_t n, float top)
{
	for (uint64_t j = 0; j < n; j++) {
		float v = x[j] > 0.0f ? x[j] : 0.0f;
		y[j] = v < top ? v : top;
	}
}
ELEMENTWISE(sigmoid_fn, 1.0f / (1.0f + expf(-v)))
/* tanh through expf: libm's tanhf takes another path for each range of |v| (its time
 * depends on the values, so held-out tanh layers ran 12-17% over the fit networks' rate);
 * expf costs the same for every value an activation takes */
static inline float tanh_by_exp(float v)
{
	float e = expf(-2.0f * fabsf(v));
	return copysignf((1.0f - e) / (1.0f + e), v);
}
ELEMENTWISE(tanh_fn, tanh_by_exp(v))

static void relu(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer *l = &rt->net->layers[i];
	struct layer_rt *L = &rt->layers[i];
	uint64_t count = out_count(rt, i);
	float slope = (float)l->negative_slope, top = (float)l->max;
	if (top > 0.0f && slope == 0.0f)
		relu_clamp(L->out, L->in[0], count, top);
	else if (top > 0.0f)
		relu_clipped(L->out, L->in[0], count, slope, top);
	else if (slope != 0.0f)
		relu_leaky(L->out, L->in[0], count, slope, top);
	else
		relu_plain(L->out, L->in[0], count, slope, top);
}

static void unary(struct augur_runtime *rt, size_t i)
{
	struct layer_rt *L = &rt->layers[i];
	uint64_t count = out_count(rt, i);
	switch (rt->net->layers[i].type) {
	case AUGUR_LAYER_SIGMOID:
		sigmoid_fn(L->out, L->in[0], count, 0, 0);
		break;
	case AUGUR_LAYER_TANH:
		tanh_fn(L->out, L->in[0], count, 0, 0);
		break;
	default: /* dropout (identity at inference), flatten: a copy unless in place */
		if (L->out != L->in[0])
			memcpy(L->out, L->in[0], count * sizeof(float));
		break;
	}
}

/* Over the channels of each position (Caffe's axis 1). */
static void softmax(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer_stats *s = &rt->a->layers[i];
	struct layer_rt *L = &rt->layers[i];
	uint64_t C = s->in.c, hw = s->in.h * s->in.w;
	for (uint32_t b = 0; b < rt->a->batch; b++)
		for (uint64_t j = 0; j < hw; j++) {
			const float *x = L->in[0] + b * C * hw + j;
			float *y = L->out + b * C * hw + j;
			float top = -FLT_MAX, sum = 0.0f;
			for (uint64_t c = 0; c < C; c++)
				top = x[c * hw] > top ? x[c * hw] : top;
			for (uint64_t c = 0; c < C; c++) {
				y[c * hw] = expf(x[c * hw] - top);
				sum += y[c * hw];
			}
			float inv = 1.0f / sum;
			for (uint64_t c = 0; c < C; c++)
				y[c * hw] *= inv;
		}
}

/* Whether an eltwise layer's inputs differ in shape (and so broadcast). */
static bool broadcasts(const struct augur_runtime *rt, size_t i)
{
	const struct augur_layer *l = &rt->net->layers[i];
	uint64_t n = elems(&rt->a->layers[i].out);
	for (uint32_t k = 0; k < l->n_inputs; k++) {
		int32_t src = l->inputs[k];
		if (elems(src == AUGUR_NET_INPUT ? &rt->a->input : &rt->a->layers[src].out) != n)
			return true;
	}
	return false;
}

static void eltwise(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer *l = &rt->net->layers[i];
	struct layer_rt *L = &rt->layers[i];
	uint64_t count = out_count(rt, i);
	float *y = L->out;
	const float *a = L->in[0], *b = L->in[1];
	switch (l->op) {
	case AUGUR_ELTWISE_SUM:
		for (uint64_t j = 0; j < count; j++)
			y[j] = a[j] + b[j];
		break;
	case AUGUR_ELTWISE_PROD:
		for (uint64_t j = 0; j < count; j++)
			y[j] = a[j] * b[j];
		break;
	default:
		for (uint64_t j = 0; j < count; j++)
			y[j] = a[j] > b[j] ? a[j] : b[j];
		break;
	}
	for (uint32_t k = 2; k < l->n_inputs; k++) {
		const float *x = L->in[k];
		switch (l->op) {
		case AUGUR_ELTWISE_SUM:
			for (uint64_t j = 0; j < count; j++)
				y[j] += x[j];
			break;
		case AUGUR_ELTWISE_PROD:
			for (uint64_t j = 0; j < count; j++)
				y[j] *= x[j];
			break;
		default:
			for (uint64_t j = 0; j < count; j++)
				y[j] = x[j] > y[j] ? x[j] : y[j];
			break;
		}
	}
}

static void concat(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer *l = &rt->net->layers[i];
	struct layer_rt *L = &rt->layers[i];
	uint64_t per_image = out_count(rt, i) / rt->a->batch;
	for (uint32_t b = 0; b < rt->a->batch; b++) {
		float *y = L->out + b * per_image;
		for (uint32_t k = 0; k < l->n_inputs; k++) {
			int32_t src = l->inputs[k];
			uint64_t n = elems(src == AUGUR_NET_INPUT ? &rt->a->input
			                                          : &rt->a->layers[src].out);
			memcpy(y, L->in[k] + b * n, n * sizeof(float));
			y += n;
		}
	}
}

/* ---- the layer types beyond the paper's ------------------------------------------------ */

/* PyTorch's: hardsigmoid relu6(v + 3) / 6, hardswish v times it; ELU with alpha 1 */
#define HSIG(v) ((v) <= -3.0f ? 0.0f : (v) >= 3.0f ? 1.0f : (v) / 6.0f + 0.5f)
ELEMENTWISE(hardsigmoid_fn, HSIG(v))
ELEMENTWISE(hardswish_fn, v *HSIG(v))
ELEMENTWISE(swish_fn, v / (1.0f + expf(-v)))
ELEMENTWISE(elu_fn, v > 0.0f ? v : expm1f(v))

/* PReLU: one slope per channel (or one for all). */
static void prelu(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer_stats *s = &rt->a->layers[i];
	struct layer_rt *L = &rt->layers[i];
	uint64_t C = s->in.c, hw = s->in.h * s->in.w;
	const float *slope = L->params[0];
	for (uint32_t b = 0; b < rt->a->batch; b++)
		for (uint64_t c = 0; c < C; c++) {
			const float *x = L->in[0] + (b * C + c) * hw;
			float *y = L->out + (b * C + c) * hw;
			float a = slope[L->n_params[0] == 1 ? 0 : c];
			for (uint64_t j = 0; j < hw; j++)
				y[j] = x[j] > 0.0f ? x[j] : a * x[j];
		}
}

/* y[0..n) combined with an input's run x: its own n values, or (repeat) its one value
 * repeated, as the first input (a copy) or a later one (the op). */
static void combine_run(float *y, const float *x, uint64_t n, bool repeat, bool first,
                        enum augur_eltwise_op op)
{
	float v = x[0];
	if (first) {
		if (repeat)
			for (uint64_t j = 0; j < n; j++)
				y[j] = v;
		else
			memcpy(y, x, n * sizeof(float));
		return;
	}
	switch (op) {
	case AUGUR_ELTWISE_SUM:
		if (repeat)
			for (uint64_t j = 0; j < n; j++)
				y[j] += v;
		else
			for (uint64_t j = 0; j < n; j++)
				y[j] += x[j];
		break;
	case AUGUR_ELTWISE_PROD:
		if (repeat)
			for (uint64_t j = 0; j < n; j++)
				y[j] *= v;
		else
			for (uint64_t j = 0; j < n; j++)
				y[j] *= x[j];
		break;
	default:
		if (repeat)
			for (uint64_t j = 0; j < n; j++)
				y[j] = v > y[j] ? v : y[j];
		else
			for (uint64_t j = 0; j < n; j++)
				y[j] = x[j] > y[j] ? x[j] : y[j];
		break;
	}
}

/* Eltwise whose inputs broadcast (a C x 1 x 1 vector over a C x H x W map, as
 * squeeze-and-excitation scales a map): run by run, each input giving its own run or one
 * value repeated along it, so the loops vectorise as eltwise's do. A run is a whole plane
 * when every input has the plane or a single value for it, a row otherwise. (An index
 * computed per value ran 10x slower than eltwise over the same blob: probe_act_00's
 * excitation layers, 2.5 ms against 0.24 predicted.) */
static void eltwise_broadcast(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer *l = &rt->net->layers[i];
	const struct augur_layer_stats *s = &rt->a->layers[i];
	struct layer_rt *L = &rt->layers[i];
	uint64_t C = s->out.c, H = s->out.h, W = s->out.w;
	const struct augur_shape *d[AUGUR_MAX_INPUTS];
	bool planes = true;
	for (uint32_t k = 0; k < l->n_inputs; k++) {
		int32_t src = l->inputs[k];
		d[k] = src == AUGUR_NET_INPUT ? &rt->a->input : &rt->a->layers[src].out;
		planes = planes && (d[k]->h == 1) == (d[k]->w == 1);
	}
	uint64_t rows = planes ? 1 : H, run = planes ? H * W : W;
	for (uint32_t b = 0; b < rt->a->batch; b++)
		for (uint64_t c = 0; c < C; c++)
			for (uint64_t h = 0; h < rows; h++) {
				float *y = L->out + ((b * C + c) * H + h) * W;
				for (uint32_t k = 0; k < l->n_inputs; k++) {
					uint64_t at =
					        ((b * d[k]->c + (d[k]->c == 1 ? 0 : c)) * d[k]->h +
					         (d[k]->h == 1 ? 0 : h)) *
					        d[k]->w;
					combine_run(y, L->in[k] + at, run, d[k]->w == 1, k == 0,
					            l->op);
				}
			}
}

/* reduce: the mean over H x W of each channel. */
static void reduce(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer_stats *s = &rt->a->layers[i];
	struct layer_rt *L = &rt->layers[i];
	uint64_t C = s->in.c, hw = s->in.h * s->in.w;
	for (uint64_t bc = 0; bc < rt->a->batch * C; bc++)
		L->out[bc] = plane_sum(L->in[0] + bc * hw, hw) / (float)hw;
}

/* Channel copies: shuffle (channel gi * C/g + j goes to j * g + gi, as ShuffleNet's
 * reshape-transpose-reshape does), slice (channels [begin, end)), crop (the top-left
 * H x W), pad (zeros around). */
static void channel_copy(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer *l = &rt->net->layers[i];
	const struct augur_layer_stats *s = &rt->a->layers[i];
	struct layer_rt *L = &rt->layers[i];
	uint64_t C = s->in.c, H = s->in.h, W = s->in.w, OC = s->out.c, OH = s->out.h, OW = s->out.w;
	uint64_t ph = l->type == AUGUR_LAYER_PAD ? l->pad.h : 0;
	uint64_t pw = l->type == AUGUR_LAYER_PAD ? l->pad.w : 0;
	if (l->type == AUGUR_LAYER_PAD)
		memset(L->out, 0, out_count(rt, i) * sizeof(float));
	for (uint32_t b = 0; b < rt->a->batch; b++)
		for (uint64_t oc = 0; oc < OC; oc++) {
			uint64_t c = oc;
			if (l->type == AUGUR_LAYER_SHUFFLE)
				c = (oc % l->groups) * (C / l->groups) + oc / l->groups;
			else if (l->type == AUGUR_LAYER_SLICE)
				c = oc + l->range[0];
			const float *x = L->in[0] + (b * C + c) * H * W;
			float *y = L->out + (b * OC + oc) * OH * OW;
			uint64_t rows = H < OH ? H : OH, cols = W < OW ? W : OW;
			for (uint64_t h = 0; h < rows; h++)
				memcpy(y + (h + ph) * OW + pw, x + h * W, cols * sizeof(float));
		}
}

/* permute: output axis a is input axis order[a]. */
static void permute(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer *l = &rt->net->layers[i];
	const struct augur_layer_stats *s = &rt->a->layers[i];
	struct layer_rt *L = &rt->layers[i];
	const uint64_t d[3] = {s->in.c, s->in.h, s->in.w};
	uint64_t stride[3] = {d[1] * d[2], d[2], 1}, n = elems(&s->in), o[3];
	for (uint32_t b = 0; b < rt->a->batch; b++)
		for (o[0] = 0; o[0] < d[l->order[0]]; o[0]++)
			for (o[1] = 0; o[1] < d[l->order[1]]; o[1]++)
				for (o[2] = 0; o[2] < d[l->order[2]]; o[2]++) {
					uint64_t from = o[0] * stride[l->order[0]] +
					                o[1] * stride[l->order[1]] +
					                o[2] * stride[l->order[2]];
					uint64_t to =
					        (o[0] * d[l->order[1]] + o[1]) * d[l->order[2]] +
					        o[2];
					L->out[b * n + to] = L->in[0][b * n + from];
				}
}

/* upsample: nearest (the source pixel floor(o * in / out)) or bilinear with half-pixel
 * centres (PyTorch's align_corners=False). */
static void upsample(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer *l = &rt->net->layers[i];
	const struct augur_layer_stats *s = &rt->a->layers[i];
	struct layer_rt *L = &rt->layers[i];
	uint64_t H = s->in.h, W = s->in.w, OH = s->out.h, OW = s->out.w;
	double sh = (double)H / (double)OH, sw = (double)W / (double)OW;
	for (uint64_t bc = 0; bc < rt->a->batch * s->in.c; bc++) {
		const float *x = L->in[0] + bc * H * W;
		float *y = L->out + bc * OH * OW;
		for (uint64_t oh = 0; oh < OH; oh++)
			for (uint64_t ow = 0; ow < OW; ow++) {
				if (l->op != AUGUR_UPSAMPLE_BILINEAR) {
					uint64_t h = (uint64_t)((double)oh * sh),
					         w = (uint64_t)((double)ow * sw);
					y[oh * OW + ow] =
					        x[(h < H ? h : H - 1) * W + (w < W ? w : W - 1)];
					continue;
				}
				double fh = ((double)oh + 0.5) * sh - 0.5,
				       fw = ((double)ow + 0.5) * sw - 0.5;
				fh = fh < 0 ? 0 : fh;
				fw = fw < 0 ? 0 : fw;
				uint64_t h0 = (uint64_t)fh, w0 = (uint64_t)fw;
				uint64_t h1 = h0 + 1 < H ? h0 + 1 : h0,
				         w1 = w0 + 1 < W ? w0 + 1 : w0;
				double dh = fh - (double)h0, dw = fw - (double)w0;
				y[oh * OW + ow] = (float)((1 - dh) * ((1 - dw) * x[h0 * W + w0] +
				                                      dw * x[h0 * W + w1]) +
				                          dh * ((1 - dw) * x[h1 * W + w0] +
				                                dw * x[h1 * W + w1]));
			}
	}
}

/* deconv as Caffe runs it: per image and group the weights (C x filters/g x Kh x Kw)
 * transposed times the input into columns, col2im adding them into the output. */
static void deconv(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer *l = &rt->net->layers[i];
	const struct augur_layer_stats *s = &rt->a->layers[i];
	struct layer_rt *L = &rt->layers[i];
	uint64_t C = s->in.c, H = s->in.h, W = s->in.w, OH = s->out.h, OW = s->out.w;
	uint64_t g = l->groups, n = s->gemm.n, k = s->gemm.k, m = s->gemm.m;
	uint64_t F = l->filters, fg = F / g, kh = l->kernel.h, kw = l->kernel.w;
	const float *wt = L->params[0], *bias = L->params[1];
	for (uint32_t b = 0; b < rt->a->batch; b++) {
		const float *x = L->in[0] + b * C * H * W;
		float *y = L->out + b * F * OH * OW;
		for (uint64_t j = 0; j < F * OH * OW; j++)
			y[j] = bias ? bias[j / (OH * OW)] : 0.0f;
		for (uint64_t gi = 0; gi < g; gi++) {
			/* a 1x1, stride-1, unpadded deconv writes its columns straight out */
			float *col = L->col ? L->col : y + gi * fg * OH * OW;
			double t0 = now_ms();
			cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)n, (int)m, (int)k,
			            1.0f, wt + gi * k * n, (int)n, x + gi * k * m, (int)m,
			            L->col ? 0.0f : 1.0f, col, (int)m);
			rt->gemm_ms += now_ms() - t0;
			if (!L->col)
				continue;
			for (uint64_t r = 0; r < n; r++) {
				uint64_t f = gi * fg + r / (kh * kw), ki = r / kw % kh, kj = r % kw;
				for (uint64_t ih = 0; ih < H; ih++) {
					int64_t oh =
					        (int64_t)(ih * l->stride.h + ki * l->dilation.h) -
					        (int64_t)l->pad.h;
					if (oh < 0 || oh >= (int64_t)OH)
						continue;
					for (uint64_t iw = 0; iw < W; iw++) {
						int64_t ow = (int64_t)(iw * l->stride.w +
						                       kj * l->dilation.w) -
						             (int64_t)l->pad.w;
						if (ow >= 0 && ow < (int64_t)OW)
							y[(f * OH + (uint64_t)oh) * OW +
							  (uint64_t)ow] += col[r * m + ih * W + iw];
					}
				}
			}
		}
	}
}

/* SSD's Normalize: each position's channel vector divided by its L2 norm, times a
 * learned scale per channel (or one). */
static void normalize(struct augur_runtime *rt, size_t i)
{
	const struct augur_layer_stats *s = &rt->a->layers[i];
	struct layer_rt *L = &rt->layers[i];
	uint64_t C = s->in.c, hw = s->in.h * s->in.w;
	const float *scale = L->params[0];
	for (uint32_t b = 0; b < rt->a->batch; b++)
		for (uint64_t j = 0; j < hw; j++) {
			const float *x = L->in[0] + b * C * hw + j;
			float *y = L->out + b * C * hw + j;
			double sum = 1e-10; /* Caffe's eps */
			for (uint64_t c = 0; c < C; c++)
				sum += (double)x[c * hw] * x[c * hw];
			float inv = (float)(1.0 / sqrt(sum));
			for (uint64_t c = 0; c < C; c++)
				y[c * hw] = x[c * hw] * inv * scale[L->n_params[0] == 1 ? 0 : c];
		}
}

/* The newer types' dispatch; false for a type this executor does not run. */
static bool step_more(struct augur_runtime *rt, size_t i)
{
	struct layer_rt *L = &rt->layers[i];
	uint64_t count = out_count(rt, i);
	switch (rt->net->layers[i].type) {
	case AUGUR_LAYER_HARDSIGMOID:
		hardsigmoid_fn(L->out, L->in[0], count, 0, 0);
		return true;
	case AUGUR_LAYER_HARDSWISH:
		hardswish_fn(L->out, L->in[0], count, 0, 0);
		return true;
	case AUGUR_LAYER_SWISH:
		swish_fn(L->out, L->in[0], count, 0, 0);
		return true;
	case AUGUR_LAYER_ELU:
		elu_fn(L->out, L->in[0], count, 0, 0);
		return true;
	case AUGUR_LAYER_PRELU:
		prelu(rt, i);
		return true;
	case AUGUR_LAYER_REDUCE:
		reduce(rt, i);
		return true;
	case AUGUR_LAYER_SHUFFLE:
	case AUGUR_LAYER_SLICE:
	case AUGUR_LAYER_CROP:
	case AUGUR_LAYER_PAD:
		channel_copy(rt, i);
		return true;
	case AUGUR_LAYER_PERMUTE:
		permute(rt, i);
		return true;
	case AUGUR_LAYER_UPSAMPLE:
		upsample(rt, i);
		return true;
	case AUGUR_LAYER_DECONV:
		deconv(rt, i);
		return true;
	case AUGUR_LAYER_NORMALIZE:
		normalize(rt, i);
		return true;
	default:
		return false;
	}
}

void augur_runtime_step(struct augur_runtime *rt, size_t i)
{
	switch (rt->net->layers[i].type) {
	case AUGUR_LAYER_CONV:
		conv(rt, i);
		break;
	case AUGUR_LAYER_FC:
		fc(rt, i);
		break;
	case AUGUR_LAYER_POOL:
		pool(rt, i);
		break;
	case AUGUR_LAYER_RELU:
		relu(rt, i);
		break;
	case AUGUR_LAYER_LRN:
		lrn(rt, i);
		break;
	case AUGUR_LAYER_BATCHNORM:
	case AUGUR_LAYER_SCALE:
		channel_affine(rt, i);
		break;
	case AUGUR_LAYER_SOFTMAX:
		softmax(rt, i);
		break;
	case AUGUR_LAYER_ELTWISE:
		if (broadcasts(rt, i))
			eltwise_broadcast(rt, i);
		else
			eltwise(rt, i);
		break;
	case AUGUR_LAYER_CONCAT:
		concat(rt, i);
		break;
	default:
		if (!step_more(rt, i))
			unary(rt, i); /* dropout, flatten, reshape */
		break;
	}
}

double augur_runtime_forward(struct augur_runtime *rt, double *layer_ms, double *gemm_ms)
{
	rt->gemm_ms = 0;
	double start = now_ms(), t = start;
	for (size_t i = 0; i < rt->a->n_layers; i++) {
		augur_runtime_step(rt, i);
		if (layer_ms) {
			double t1 = now_ms();
			layer_ms[i] = t1 - t;
			t = t1;
		}
	}
	double total = now_ms() - start;
	if (gemm_ms)
		*gemm_ms = rt->gemm_ms;
	return total;
}

float *augur_runtime_blob(struct augur_runtime *rt, long i, uint64_t *count)
{
	if (i < 0) {
		*count = rt->a->input_bytes / AUGUR_BYTES_PER_VALUE;
		return rt->input;
	}
	*count = out_count(rt, (size_t)i);
	return rt->layers[i].out;
}

float *augur_runtime_param(struct augur_runtime *rt, size_t i, unsigned j, uint64_t *count)
{
	*count = 0;
	if (j > 1 || !rt->layers[i].params[j])
		return NULL;
	*count = rt->layers[i].n_params[j];
	return rt->layers[i].params[j];
}

const char *augur_runtime_param_name(enum augur_layer_type type, unsigned j)
{
	if (j > 1)
		return NULL;
	switch (type) {
	case AUGUR_LAYER_CONV:
	case AUGUR_LAYER_DECONV:
	case AUGUR_LAYER_FC:
		return j ? "bias" : "weight";
	case AUGUR_LAYER_PRELU:
	case AUGUR_LAYER_NORMALIZE:
		return j ? NULL : "weight";
	case AUGUR_LAYER_BATCHNORM:
		return j ? "var" : "mean";
	case AUGUR_LAYER_SCALE:
		return j ? "beta" : "gamma";
	default:
		return NULL;
	}
}

void augur_runtime_memory(const struct augur_runtime *rt, struct augur_runtime_memory *m)
{
	*m = rt->mem;
}

const char *augur_runtime_blas(uint32_t *threads)
{
	int t = openblas_get_num_threads();
	*threads = t > 0 ? (uint32_t)t : 1;
	const char *cfg = openblas_get_config();
	return cfg ? cfg : "OpenBLAS (unknown version)";
}

const char *augur_runtime_blas_core(void)
{
	const char *core = openblas_get_corename();
	return core ? core : "unknown";
}
