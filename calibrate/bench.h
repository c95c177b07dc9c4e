/* The timing backends of the calibration harness: each opens a BLAS library on one
 * processing unit and times back-to-back calls of one GEMM shape. bench-cpu.c (OpenBLAS)
 * and bench-gpu.c (cuBLAS) are the only files that include BLAS headers. */
#ifndef AUGUR_BENCH_H
#define AUGUR_BENCH_H

#include <stdbool.h>
#include <stdint.h>

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

/* OpenBLAS with threads threads (0: OpenBLAS's default). Fails with AUGUR_E_NOMEM when the
 * operands cannot be allocated. Close with b->close(b). */
int augur_bench_cpu_open(uint32_t threads, const struct augur_bench_sizes *sizes,
                         struct augur_bench **out, struct augur_diag *diag);

/* cuBLAS on device 0. Fails with AUGUR_E_USAGE when augur was built without CUDA or no
 * CUDA device is present, saying which. */
int augur_bench_gpu_open(const struct augur_bench_sizes *sizes, struct augur_bench **out,
                         struct augur_diag *diag);

#endif
