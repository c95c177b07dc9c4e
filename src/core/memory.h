/* The three memory views of a traced network (docs/descriptors.md ("Memory views")): the paper's
 * Table 4 accounting, what an im2col framework allocates, and the minimal peak over execution order
 * with the live bytes of each layer. */
#ifndef AUGUR_MEMORY_H
#define AUGUR_MEMORY_H

#include "analysis.h"
#include "net.h"

/* Fills a->memory and each layer's in_place and live_bytes from the counts, readers and
 * last readers already in a. Totals saturate rather than wrap. */
void augur_memory_compute(const struct augur_net *net, struct augur_analysis *a);

/* As augur_memory_compute, for an analysis whose network kept its topology (layer types
 * and inputs, hence readers) since the last augur_memory_compute on it: only re-sums the
 * byte sizes, reusing the in-place and buffer-lifetime structure computed then. */
void augur_memory_update(const struct augur_net *net, struct augur_analysis *a);

/* Whether a layer of this type may write its output over its input. */
bool augur_type_in_place(enum augur_layer_type type);

#endif
