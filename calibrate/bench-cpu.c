/* The OpenBLAS timing backend (see bench.h): cblas_sgemm in the im2col layouts Caffe uses,
 * conv as W[n x k] . col[k x m] and fc as X[m x k] . W[n x k]^T, row-major, timed with
 * CLOCK_MONOTONIC around back-to-back calls. The one file that includes cblas.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>

#include "bench.h"

struct cpu_impl {
	float *a, *b, *c;
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int cpu_run(struct augur_bench *b, uint64_t n, uint64_t k, uint64_t m, bool fc,
                   uint64_t reps, double *ms, struct augur_diag *diag)
{
	struct cpu_impl *im = b->impl;
	int rc = augur_bench_check_dims(n, k, m, "BLAS", diag);
	if (rc)
		return rc;
	int N = (int)n, K = (int)k, M = (int)m;
	double t0 = now_ms();
	for (uint64_t r = 0; r < reps; r++) {
		if (fc)
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1.0f, im->b,
			            K, im->a, K, 0.0f, im->c, N);
		else
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, M, K, 1.0f, im->a,
			            K, im->b, M, 0.0f, im->c, M);
	}
	*ms = now_ms() - t0;
	return AUGUR_OK;
}

static void cpu_release(void *impl)
{
	struct cpu_impl *im = impl;
	free(im->a);
	free(im->b);
	free(im->c);
}

static void cpu_close(struct augur_bench *b)
{
	augur_bench_free(b, cpu_release);
}

static float *filled(uint64_t count)
{
	float *p = malloc((count ? count : 1) * sizeof(float));
	/* small values away from zero: no denormals, no overflow over k terms */
	for (uint64_t i = 0; p && i < count; i++)
		p[i] = 0.25f + (float)(i % 13) * 0.0625f;
	return p;
}

int augur_bench_cpu_open(uint32_t threads, const struct augur_bench_sizes *sizes,
                         struct augur_bench **out, struct augur_diag *diag)
{
	*out = NULL;
	struct augur_bench *b;
	int rc = augur_bench_alloc(sizeof(struct cpu_impl), cpu_run, cpu_close, &b, diag);
	if (rc)
		return rc;
	struct cpu_impl *im = b->impl;
	im->a = filled(sizes->a);
	im->b = filled(sizes->b);
	im->c = filled(sizes->c);
	if (!im->a || !im->b || !im->c) {
		cpu_close(b);
		return augur_diag_set(diag, AUGUR_E_NOMEM, "calibrate", 0, 0,
		                      "cannot allocate %.1f MiB of GEMM operands",
		                      (double)(sizes->a + sizes->b + sizes->c) * 4 / 1048576.0);
	}
	if (threads)
		openblas_set_num_threads((int)threads);
	int t = openblas_get_num_threads();
	b->threads = t > 0 ? (uint32_t)t : 1;
	const char *cfg = openblas_get_config();
	snprintf(b->library, sizeof(b->library), "%s", cfg ? cfg : "OpenBLAS (unknown version)");
	*out = b;
	return AUGUR_OK;
}
