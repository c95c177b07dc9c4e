/* augur's reference executor: runs a traced network on this machine's CPU with Caffe's
 * semantics, written as a Caffe-style runtime is (conv = im2col + one OpenBLAS sgemm per
 * group and image, fc = sgemm or sgemv, plain C loops for everything else). Its buffers
 * are those of the allocated memory view (memory.h): one per parameter blob, per blob
 * that is not written in place, per conv layer's im2col matrix. `augur run` times it; the
 * tests check it against hand-computed values and PyTorch. docs/run.md. */
#ifndef AUGUR_RUNTIME_H
#define AUGUR_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "net.h"
#include "status.h"

/* Caffe's LRN constants as AlexNet and GoogLeNet set them (descriptors keep only the
 * size), and the batchnorm epsilon: the same as bench/validate's PyTorch networks. */
#define AUGUR_RUNTIME_LRN_ALPHA 1e-4f
#define AUGUR_RUNTIME_LRN_BETA  0.75f
#define AUGUR_RUNTIME_LRN_K     1.0f
#define AUGUR_RUNTIME_BN_EPS    1e-5f

struct augur_runtime;

struct augur_runtime_options {
	uint32_t threads; /* OpenBLAS threads; 0 = leave OpenBLAS's own setting */
	uint64_t seed;    /* random weights and input */
	bool fill;        /* fill weights and input with random values (else left unset) */
};

/* Where the buffers went, in bytes. held = params + stats + data + workspace is the
 * allocated view's total; extra is data held beyond the view (an element-wise layer that
 * cannot write in place because a flatten shares its input with another reader). */
struct augur_runtime_memory {
	uint64_t params, stats, data, workspace, extra, held;
};

/* Builds an executor for net analysed as a (the caller keeps both alive until
 * augur_runtime_free). Sets OpenBLAS's thread count and flushes denormals in the calling
 * thread. Fails with AUGUR_E_NOMEM (naming the bytes) or AUGUR_E_LIMIT (a GEMM dimension
 * past BLAS's int), diag naming the layer. *out is freed with augur_runtime_free. */
int augur_runtime_new(const struct augur_net *net, const struct augur_analysis *a,
                      const struct augur_runtime_options *opt, struct augur_runtime **out,
                      struct augur_diag *diag);
void augur_runtime_free(struct augur_runtime *rt);

/* Runs layer i, reading its inputs' buffers. Layers must run in order for a pass to be
 * meaningful; a pass may be repeated. */
void augur_runtime_step(struct augur_runtime *rt, size_t i);

/* One forward pass. layer_ms (n_layers entries, may be NULL) receives each layer's wall
 * time, gemm_ms (may be NULL) the time spent inside BLAS calls. Returns the pass's wall
 * time in ms. */
double augur_runtime_forward(struct augur_runtime *rt, double *layer_ms, double *gemm_ms);

/* The blob layer i writes (i = -1: the network input), batch x C x H x W floats, *count
 * of them. A layer written in place shares its input's buffer: read it right after its
 * step. Writable, so tests can set the input. */
float *augur_runtime_blob(struct augur_runtime *rt, long i, uint64_t *count);

/* Parameter blob j of layer i, *count floats, or NULL when the layer has none:
 * conv, fc: 0 weights (outputs x inputs [x Kh x Kw], PyTorch's layout), 1 bias;
 * batchnorm: 0 mean, 1 variance; scale: 0 gamma, 1 beta. */
float *augur_runtime_param(struct augur_runtime *rt, size_t i, unsigned j, uint64_t *count);

/* The name of parameter blob j of layer i's type ("weight", "bias", "mean", "var",
 * "gamma", "beta"), or NULL. */
const char *augur_runtime_param_name(enum augur_layer_type type, unsigned j);

/* The bytes the executor holds. */
void augur_runtime_memory(const struct augur_runtime *rt, struct augur_runtime_memory *m);

/* OpenBLAS's configuration string ("OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ...") and its
 * thread count; the kernels it chose for this CPU ("SkylakeX", "Zen"). */
const char *augur_runtime_blas(uint32_t *threads);
const char *augur_runtime_blas_core(void);

#endif
