/* What one layer costs in work and storage, from its traced shapes: parameters, batchnorm
 * statistics, MACs, FLOPs (the paper's convention), the GEMM it performs and its im2col
 * workspace. Conventions are documented in docs/descriptors.md ("What augur counts"). */
#ifndef AUGUR_COUNTS_H
#define AUGUR_COUNTS_H

#include <stdbool.h>

#include "analysis.h"
#include "net.h"

/* Fills the count fields of *st (params, stats, macs, flops, gemm, out_bytes and both
 * workspaces) for layer l with traced shapes st->in and st->out. Returns false when a
 * count overflows 64 bits. */
bool augur_count_layer(const struct augur_layer *l, uint32_t batch, struct augur_layer_stats *st);

#endif
