/* The cuBLAS timing backend (see bench.h): cublasSgemm on device 0, the same row-major
 * layouts as the CPU (expressed column-major), a handle and one warm-up call before any
 * timing, and each measurement as back-to-back launches between two CUDA events with a
 * single synchronisation. The one file that includes cublas_v2.h. It is built as a module
 * (augur-cublas.so) that bench-gpu-loader.c opens only when a GPU calibration asks for it:
 * linking the CUDA libraries into augur itself cost every command ~80 ms of start-up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include "bench.h"

struct gpu_impl {
	float *a, *b, *c;
	cublasHandle_t handle;
	cudaEvent_t start, stop;
};

static int cuda_fail(struct augur_diag *diag, const char *what, cudaError_t e)
{
	return augur_diag_set(diag, AUGUR_E_IO, "calibrate", 0, 0, "%s failed: %s", what,
	                      cudaGetErrorString(e));
}

static cublasStatus_t launch(struct gpu_impl *im, int n, int k, int m, bool fc)
{
	const float one = 1.0f, zero = 0.0f;
	/* row-major C[n x m] = W[n x k] . col[k x m] is column-major C^T = col^T . W^T */
	if (!fc)
		return cublasSgemm(im->handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &one, im->b, m,
		                   im->a, k, &zero, im->c, m);
	/* row-major C[m x n] = X[m x k] . W^T is column-major C^T[n x m] = W . X^T */
	return cublasSgemm(im->handle, CUBLAS_OP_T, CUBLAS_OP_N, n, m, k, &one, im->a, k, im->b, k,
	                   &zero, im->c, n);
}

static int gpu_run(struct augur_bench *b, uint64_t n, uint64_t k, uint64_t m, bool fc,
                   uint64_t reps, double *ms, struct augur_diag *diag)
{
	struct gpu_impl *im = b->impl;
	int rc = augur_bench_check_dims(n, k, m, "cuBLAS", diag);
	if (rc)
		return rc;
	cudaError_t e;
	if ((e = cudaEventRecord(im->start, 0)) != cudaSuccess)
		return cuda_fail(diag, "cudaEventRecord", e);
	for (uint64_t r = 0; r < reps; r++)
		if (launch(im, (int)n, (int)k, (int)m, fc) != CUBLAS_STATUS_SUCCESS)
			return augur_diag_set(diag, AUGUR_E_IO, "calibrate", 0, 0,
			                      "cublasSgemm %llux%llux%llu failed",
			                      (unsigned long long)n, (unsigned long long)k,
			                      (unsigned long long)m);
	if ((e = cudaEventRecord(im->stop, 0)) != cudaSuccess)
		return cuda_fail(diag, "cudaEventRecord", e);
	if ((e = cudaEventSynchronize(im->stop)) != cudaSuccess)
		return cuda_fail(diag, "cudaEventSynchronize", e);
	float elapsed = 0;
	if ((e = cudaEventElapsedTime(&elapsed, im->start, im->stop)) != cudaSuccess)
		return cuda_fail(diag, "cudaEventElapsedTime", e);
	*ms = elapsed;
	return AUGUR_OK;
}

static void gpu_release(void *impl)
{
	struct gpu_impl *im = impl;
	if (im->handle)
		cublasDestroy(im->handle);
	if (im->start)
		cudaEventDestroy(im->start);
	if (im->stop)
		cudaEventDestroy(im->stop);
	cudaFree(im->a);
	cudaFree(im->b);
	cudaFree(im->c);
}

static void gpu_close(struct augur_bench *b)
{
	augur_bench_free(b, gpu_release);
}

static int dev_buffer(float **p, uint64_t count, struct augur_diag *diag)
{
	size_t bytes = (size_t)(count ? count : 1) * sizeof(float);
	cudaError_t e = cudaMalloc((void **)p, bytes);
	if (e != cudaSuccess) {
		*p = NULL;
		return augur_diag_set(diag, AUGUR_E_NOMEM, "calibrate", 0, 0,
		                      "cannot allocate %.1f MiB on the GPU: %s",
		                      (double)bytes / 1048576.0, cudaGetErrorString(e));
	}
	/* bytes 0x3e: every float is about 0.186, no denormals, no overflow */
	e = cudaMemset(*p, 0x3e, bytes);
	return e == cudaSuccess ? AUGUR_OK : cuda_fail(diag, "cudaMemset", e);
}

/* The module's entry point, looked up by name with dlsym. */
int augur_bench_cublas_open(const struct augur_bench_sizes *sizes, struct augur_bench **out,
                            struct augur_diag *diag);

int augur_bench_cublas_open(const struct augur_bench_sizes *sizes, struct augur_bench **out,
                            struct augur_diag *diag)
{
	*out = NULL;
	int count = 0, rc;
	cudaError_t e = cudaGetDeviceCount(&count);
	if (e != cudaSuccess || count == 0)
		return augur_diag_set(diag, AUGUR_E_USAGE, "calibrate", 0, 0,
		                      "no CUDA device found (%s)",
		                      e != cudaSuccess ? cudaGetErrorString(e) : "none present");
	struct augur_bench *b;
	if ((rc = augur_bench_alloc(sizeof(struct gpu_impl), gpu_run, gpu_close, &b, diag)))
		return rc;
	struct gpu_impl *im = b->impl;
	struct cudaDeviceProp prop;
	if ((e = cudaSetDevice(0)) != cudaSuccess ||
	    (e = cudaGetDeviceProperties(&prop, 0)) != cudaSuccess) {
		rc = cuda_fail(diag, "cudaGetDeviceProperties", e);
		goto fail;
	}
	snprintf(b->processor, sizeof(b->processor), "%s", prop.name);
	b->memory_bytes = prop.totalGlobalMem;
	if ((rc = dev_buffer(&im->a, sizes->a, diag)) ||
	    (rc = dev_buffer(&im->b, sizes->b, diag)) || (rc = dev_buffer(&im->c, sizes->c, diag)))
		goto fail;
	if (cublasCreate(&im->handle) != CUBLAS_STATUS_SUCCESS) {
		im->handle = NULL;
		rc = augur_diag_set(diag, AUGUR_E_IO, "calibrate", 0, 0, "cublasCreate failed");
		goto fail;
	}
	if ((e = cudaEventCreate(&im->start)) != cudaSuccess ||
	    (e = cudaEventCreate(&im->stop)) != cudaSuccess) {
		rc = cuda_fail(diag, "cudaEventCreate", e);
		goto fail;
	}
	int major = 0, minor = 0, patch = 0;
	cublasGetProperty(MAJOR_VERSION, &major);
	cublasGetProperty(MINOR_VERSION, &minor);
	cublasGetProperty(PATCH_LEVEL, &patch);
	snprintf(b->library, sizeof(b->library), "cuBLAS %d.%d.%d", major, minor, patch);
	/* the first call loads kernels and sets up the handle: never timed */
	if (launch(im, 64, 64, 64, false) != CUBLAS_STATUS_SUCCESS) {
		rc = augur_diag_set(diag, AUGUR_E_IO, "calibrate", 0, 0,
		                    "the warm-up cublasSgemm failed");
		goto fail;
	}
	/* an asynchronous failure of the warm-up shows here: report CUDA's own error */
	if ((e = cudaDeviceSynchronize()) != cudaSuccess) {
		rc = cuda_fail(diag, "cudaDeviceSynchronize after the warm-up cublasSgemm", e);
		goto fail;
	}
	*out = b;
	return AUGUR_OK;
fail:
	gpu_close(b);
	return rc;
}
