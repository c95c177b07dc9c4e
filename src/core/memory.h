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

/* Incremental form of augur_memory_update, same preconditions: layer i's sizes changed from
 * old to a->layers[i] (augur_memory_replace) or the input blob's from old_input_bytes
 * (augur_memory_replace_input); the view totals and live bytes are adjusted by the
 * difference. After the last change, augur_memory_finish recomputes the totals, maxima and
 * peak that are not sums. Returns false, changing nothing, when a total saturated: the
 * difference is then unknown and the caller runs augur_memory_update instead. */
bool augur_memory_replace(const struct augur_net *net, struct augur_analysis *a, size_t i,
                          const struct augur_layer_stats *old);
bool augur_memory_replace_input(struct augur_analysis *a, uint64_t old_input_bytes);
void augur_memory_finish(struct augur_analysis *a);

/* How a framework holds a convolution's workspace. */
enum augur_conv_workspace {
	AUGUR_CONV_COLUMNS,          /* one im2col buffer of every group's columns (Caffe,
	                                augur's runtime; the analysis's workspace_bytes) */
	AUGUR_CONV_COLUMNS_BY_GROUP, /* a grouped conv one group at a time (PyTorch 1.13
	                                without mkldnn): one group's columns (none when the
	                                conv multiplies its input directly) plus its output's
	                                bytes again (the groups' outputs, concatenated into the
	                                output at the end) */
	AUGUR_CONV_BLOCKED,          /* direct convolutions (oneDNN): no columns, but a copy
	                                of the output and, ungrouped, of the input in the
	                                library's blocked layout */
};

/* The workspace layer i of a holds under rule: a conv's as the rule says, any other
 * layer's workspace_bytes. Saturates rather than wraps. */
uint64_t augur_layer_workspace(const struct augur_net *net, const struct augur_analysis *a,
                               size_t i, enum augur_conv_workspace rule);

/* The model bytes of a's network in the minimal view (minimal true: a->memory.min_total
 * with each layer's workspace under rule) or the allocated one (alloc_total likewise);
 * with AUGUR_CONV_COLUMNS exactly the view's total. Saturates rather than wraps. */
uint64_t augur_memory_model_bytes(const struct augur_net *net, const struct augur_analysis *a,
                                  bool minimal, enum augur_conv_workspace rule);

/* Which convolutions a framework with direct kernels (oneDNN) runs with them; the others
 * go through im2col and a GEMM. PyTorch 1.13 with mkldnn on chooses per call
 * (ConvParams::use_mkldnn): a grouped conv, a kernel over 3x3 both ways, a batch over 1 or
 * an input of more than 20480 values runs direct, except an unstrided undilated 1x1 conv
 * on one thread with a batch under 16 (traced: such convs allocate columns or nothing,
 * the direct ones blocked copies). */
struct augur_conv_dispatch {
	bool direct;               /* the framework has direct convolutions at all */
	uint64_t min_input_values; /* 0: every conv is direct (no size rule) */
	uint32_t min_batch_1x1;    /* 0: 1x1 convs are direct too */
	uint32_t threads;          /* the framework's threads (0: one) */
	uint32_t block;            /* channels per SIMD block of the direct kernels (0: 8) */
};

/* Whether layer i of a's network is a convolution d runs direct. */
bool augur_conv_runs_direct(const struct augur_net *net, const struct augur_analysis *a, size_t i,
                            const struct augur_conv_dispatch *d);

/* The SIMD width, in channels, of the direct kernel that runs conv i (one that runs
 * direct: augur_conv_runs_direct), or 0 when none of the blocked kernels takes it.
 * oneDNN pads channels up to whole blocks only for a conv of one group; a grouped conv
 * (a depthwise one aside, which has kernels of its own) whose channels per group are not
 * whole blocks is tried by the AVX-512 kernels (blocks of 16) in 8- and then 4-wide
 * vectors when both counts divide, and otherwise runs in oneDNN's GEMM-based convolution
 * (columns and a GEMM per group); the AVX2 kernels (blocks of 8) have no narrower try.
 * Measured (PyTorch 1.13, bench/runs' mkldnn-on campaigns): grouped convs that were not
 * whole blocks ran up to 8x over the blocked kernels' predicted time (session 37), so
 * layercost.c costs those of no width as a GEMM; those of width 8, costed as a GEMM too
 * until session 40, ran at a median 0.40-0.76 of that cost per machine (layercost.c now
 * costs a narrow width as its multiply-adds times block / width). What they allocate
 * stays the blocked path's:
 * counted as columns instead, the held-out peaks of ten stored mkldnn runs fell from 411
 * to 399 of 520 within 10% (bench/runs, 2026-12-07). */
uint32_t augur_conv_direct_width(const struct augur_net *net, const struct augur_analysis *a,
                                 size_t i, const struct augur_conv_dispatch *d);

/* Whether a conv that runs direct computes with the blocked kernels: a width above. */
bool augur_conv_direct_in_blocks(const struct augur_net *net, const struct augur_analysis *a,
                                 size_t i, const struct augur_conv_dispatch *d);

/* The heap view (docs/descriptors.md, "Memory views"): each blob freed after its last
 * reader, as in the minimal view, but through glibc's malloc as the framework meets it
 * (heapsim.h): buffers above map_above mapped afresh on every allocation, smaller ones
 * placed by best fit in a heap that keeps every page it touched, so holes a buffer cannot
 * reuse make it grow past the bytes live at once. Simulated over passes from the weights'
 * loading on; the peak is the most resident at once. */
struct augur_heap_facts {
	uint64_t map_above;                  /* the allocator maps buffers above this */
	uint64_t slack_bytes;                /* a free chunk serves a buffer this much smaller */
	uint64_t page_bytes;                 /* the kernel's page (0: 4096) */
	enum augur_conv_workspace rule;      /* how convolutions hold their workspace */
	struct augur_conv_dispatch dispatch; /* with AUGUR_CONV_BLOCKED: which convs are
	                                        direct (the rest fill columns) */
	uint32_t lrn_temporaries;  /* output-sized buffers an LRN holds besides its output */
	uint64_t pool_index_bytes; /* bytes of index max pooling writes per output value */
	bool staged_weights;       /* each weight through a staging buffer of its size,
	                              its pages given back before the passes */
	bool affine_out_of_place;  /* batchnorm and scale write a buffer of their own even
	                              where the descriptor has them in place */
};

struct augur_heap_view {
	uint64_t weights_bytes;
	uint64_t heap_bytes;   /* the heap's resident bytes at the peak, weights apart */
	uint64_t mapped_bytes; /* the mapped buffers' bytes at the peak, weights apart */
	uint64_t hole_bytes;   /* the largest buffer a convolution takes from the heap and
	                          frees in every pass, when the allocator's slack keeps a
	                          hole from fitting its size again: how much higher a
	                          process's peak may settle (below) */
};

/* Which process a peak is: a buffer freed in every pass (a convolution's columns, a
 * direct one's blocked output) leaves a hole the next pass's buffer of the same size
 * reuses only once it has merged with its neighbours, and whether it has depends on
 * where the small allocations between passes landed, which differs from one process to
 * the next (PyTorch 1.13 with glibc, traced: the same network's columns settle one, two
 * or three buffers deep). The simulation follows one history; hole_bytes is what one
 * more unreused buffer adds. Measured on the stored runs' held-out networks, each run
 * refitted: mkldnn off, 87.6% of 2,132 measured peaks within 10% of the heap view and
 * 96.0% within [0.9 x it, 1.1 x (it + hole_bytes)]; mkldnn on, 78.7% and 86.9% of 624
 * (bench/runs, 2026-12-07).
 * Fills *out for a's network under f. Saturates rather than wraps; fails only with
 * AUGUR_E_NOMEM. */
int augur_memory_heap_view(const struct augur_net *net, const struct augur_analysis *a,
                           const struct augur_heap_facts *f, struct augur_heap_view *out);

/* The output bytes of a's network's convolutions that d runs direct, each distinct
 * convolution (same input and output shape, kernel, stride, padding, dilation and groups)
 * counted once: what a library that caches one compiled primitive, and its buffers, per
 * distinct convolution (oneDNN under PyTorch) keeps alive. The convs d sends through
 * im2col and a GEMM compile no primitive. Saturates rather than wraps. */
uint64_t augur_memory_distinct_conv_output_bytes(const struct augur_net *net,
                                                 const struct augur_analysis *a,
                                                 const struct augur_conv_dispatch *d);

/* Whether net has a convolution (conv or deconv): a network without one never loads its
 * framework's convolution machinery (the library's buffers and caches), which the
 * framework's overhead then leaves out. */
bool augur_net_has_conv(const struct augur_net *net);

/* Whether a layer of this type may write its output over its input. */
bool augur_type_in_place(enum augur_layer_type type);

#endif
