/* The timing backends of the calibration harness: each opens a BLAS library on one
 * processing unit and times back-to-back calls of one GEMM shape. bench-cpu.c (OpenBLAS)
 * and bench-gpu.c (cuBLAS) are the only files that include BLAS headers. */
#ifndef AUGUR_BENCH_H
#define AUGUR_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "status.h"

/* Largest operands the backend must hold, in floats. */
struct augur_bench_sizes {
	uint64_t a, b, c;
};

struct augur_bench {
	char library[160];     /* "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ..." */
	char processor[256];   /* the GPU's name; empty for the CPU (the caller reads cpuinfo) */
	uint32_t threads;      /* BLAS threads (cpu) */
	uint64_t memory_bytes; /* a discrete GPU's memory; 0 for the CPU */
	/* Times reps back-to-back calls of [n x k] . [k x m] (fc: the m x k batch times the
	 * transposed n x k weights); *ms is the elapsed wall time of all of them. */
	int (*run)(struct augur_bench *b, uint64_t n, uint64_t k, uint64_t m, bool fc,
	           uint64_t reps, double *ms, struct augur_diag *diag);
	void (*close)(struct augur_bench *b);
	void *impl;
};

/* For the backends: a new bench with impl_size bytes of zeroed state in impl, and its run
 * and close. 0, or AUGUR_E_NOMEM (nothing to free). */
static inline int augur_bench_alloc(size_t impl_size,
                                    int (*run)(struct augur_bench *b, uint64_t n, uint64_t k,
                                               uint64_t m, bool fc, uint64_t reps, double *ms,
                                               struct augur_diag *diag),
                                    void (*close)(struct augur_bench *b), struct augur_bench **out,
                                    struct augur_diag *diag)
{
	struct augur_bench *b = calloc(1, sizeof(*b));
	void *impl = calloc(1, impl_size);
	if (!b || !impl) {
		free(b);
		free(impl);
		return augur_diag_set(diag, AUGUR_E_NOMEM, "calibrate", 0, 0, "out of memory");
	}
	b->impl = impl;
	b->run = run;
	b->close = close;
	*out = b;
	return AUGUR_OK;
}

/* For the backends' close: releases what the state in b->impl holds, then frees the
 * state and b; NULL does nothing. */
static inline void augur_bench_free(struct augur_bench *b, void (*release)(void *impl))
{
	if (!b)
		return;
	if (b->impl) {
		release(b->impl);
		free(b->impl);
	}
	free(b);
}

/* For the backends: AUGUR_OK when n, k and m fit the BLAS's int, else AUGUR_E_USAGE
 * naming the BLAS. */
static inline int augur_bench_check_dims(uint64_t n, uint64_t k, uint64_t m, const char *blas,
                                         struct augur_diag *diag)
{
	if (n > 0x7fffffff || k > 0x7fffffff || m > 0x7fffffff)
		return augur_diag_set(diag, AUGUR_E_USAGE, "calibrate", 0, 0,
		                      "GEMM %llux%llux%llu too large for %s int",
		                      (unsigned long long)n, (unsigned long long)k,
		                      (unsigned long long)m, blas);
	return AUGUR_OK;
}

/* OpenBLAS with threads threads (0: OpenBLAS's default). Fails with AUGUR_E_NOMEM when the
 * operands cannot be allocated. Close with b->close(b). */
int augur_bench_cpu_open(uint32_t threads, const struct augur_bench_sizes *sizes,
                         struct augur_bench **out, struct augur_diag *diag);

/* cuBLAS on device 0. Fails with AUGUR_E_USAGE when augur was built without CUDA or no
 * CUDA device is present, saying which. */
int augur_bench_gpu_open(const struct augur_bench_sizes *sizes, struct augur_bench **out,
                         struct augur_diag *diag);

#endif
