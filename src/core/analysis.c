/* The analysis pipeline (see analysis.h): trace each layer's shape, count its work, then
 * derive readers and the memory views. Buffers are reused across calls so a what-if sweep
 * re-analyses without allocating. */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "checked.h"
#include "counts.h"
#include "memory.h"
#include "trace.h"

/* No device holds a 16 TiB blob, or 16 TiB of one layer's weights or workspace; refusing
 * larger ones keeps every sum of byte sizes inside 64 bits (each of the four memory
 * categories sums to at most AUGUR_MAX_LAYERS * 2^44 < 2^61). */
#define AUGUR_MAX_BLOB_BYTES (1ull << 44)

void augur_analysis_free(struct augur_analysis *a)
{
	if (!a)
		return;
	free(a->layers);
	free(a->scratch);
	free(a);
}

static int reserve(struct augur_analysis *a, size_t n)
{
	if (n <= a->cap_layers && a->layers)
		return AUGUR_OK;
	struct augur_layer_stats *layers = realloc(a->layers, (n ? n : 1) * sizeof(*layers));
	if (!layers)
		return AUGUR_E_NOMEM;
	a->layers = layers;
	int64_t *scratch = realloc(a->scratch, 3 * (n + 1) * sizeof(*scratch));
	if (!scratch)
		return AUGUR_E_NOMEM;
	a->scratch = scratch;
	a->cap_layers = n;
	return AUGUR_OK;
}

/* Adds a layer to totals; true when a total would pass 64 bits (it is reported as an
 * error: a saturated figure would be a wrong one). */
bool augur_totals_add(struct augur_totals *t, const struct augur_layer_stats *s)
{
	t->layers++;
	return augur_add_overflow(t->params, s->params, &t->params) ||
	       augur_add_overflow(t->stats, s->stats, &t->stats) ||
	       augur_add_overflow(t->macs, s->macs, &t->macs) ||
	       augur_add_overflow(t->flops, s->flops, &t->flops) ||
	       augur_add_overflow(t->gemm_calls, s->gemm.count, &t->gemm_calls) ||
	       augur_add_overflow(t->out_bytes, s->out_bytes, &t->out_bytes);
}

/* Every byte size of a layer within AUGUR_MAX_BLOB_BYTES, so no sum of them over
 * AUGUR_MAX_LAYERS layers (the memory views) can saturate. */
static bool sizes_fit(const struct augur_layer_stats *s)
{
	uint64_t weights, stats;
	return !augur_mul_overflow(s->params, AUGUR_BYTES_PER_VALUE, &weights) &&
	       !augur_mul_overflow(s->stats, AUGUR_BYTES_PER_VALUE, &stats) &&
	       weights <= AUGUR_MAX_BLOB_BYTES && stats <= AUGUR_MAX_BLOB_BYTES &&
	       s->out_bytes <= AUGUR_MAX_BLOB_BYTES && s->workspace_bytes <= AUGUR_MAX_BLOB_BYTES &&
	       s->workspace_paper_bytes <= AUGUR_MAX_BLOB_BYTES;
}

static int too_large(const struct augur_net *net, const struct augur_layer *l,
                     struct augur_diag *diag)
{
	return augur_diag_set(diag, AUGUR_E_OVERFLOW, net->path, l->loc.line, l->loc.col,
	                      "layer '%s' is too large: its counts or byte sizes pass what 64 "
	                      "bits hold or any device has (the limit is 16 TiB a blob)",
	                      l->name);
}

int augur_analyze_layer(const struct augur_net *net, size_t i, uint32_t batch,
                        struct augur_analysis *a, struct augur_diag *diag)
{
	const struct augur_layer *l = &net->layers[i];
	struct augur_layer_stats *s = &a->layers[i];
	int rc = augur_trace_layer(net, i, a->layers, &s->in, &s->out, diag);
	if (rc)
		return rc;
	/* Caffe's PriorBox writes one 1 x 2 x n blob whatever the batch, and so do the layers
	 * that only move such blobs (the Concat of SSD's priors) */
	s->once = l->type == AUGUR_LAYER_PRIORBOX;
	if (l->type != AUGUR_LAYER_DETECTION && l->type != AUGUR_LAYER_PRIORBOX) {
		s->once = l->n_inputs > 0;
		for (uint32_t j = 0; j < l->n_inputs; j++)
			s->once &= l->inputs[j] >= 0 && a->layers[l->inputs[j]].once;
	}
	if (!augur_count_layer(l, s->once ? 1 : batch, s) || !sizes_fit(s))
		return too_large(net, l, diag);
	return AUGUR_OK;
}

int augur_analyze_input(const struct augur_net *net, uint32_t batch, struct augur_analysis *a,
                        struct augur_diag *diag)
{
	if (batch == 0)
		batch = net->batch ? net->batch : 1;
	if (batch > AUGUR_MAX_BATCH)
		return augur_diag_set(diag, AUGUR_E_USAGE, net->path, 0, 0,
		                      "batch %u is out of range (1 to %u)", batch, AUGUR_MAX_BATCH);
	if (!net->input.c || !net->input.h || !net->input.w)
		return augur_diag_set(
		        diag, AUGUR_E_SHAPE, net->path, net->input_loc.line, net->input_loc.col,
		        "the network input has no size in the file (a data layer reads "
		        "its images at run time): give it with --input C,H,W");
	a->batch = batch;
	a->input = net->input;
	uint64_t elems;
	if (!augur_shape_elems(&net->input, &elems) ||
	    augur_mul3_overflow(elems, batch, AUGUR_BYTES_PER_VALUE, &a->input_bytes) ||
	    a->input_bytes > AUGUR_MAX_BLOB_BYTES)
		return augur_diag_set(diag, AUGUR_E_OVERFLOW, net->path, net->input_loc.line,
		                      net->input_loc.col,
		                      "input is too large (the limit is 16 TiB a blob)");
	return AUGUR_OK;
}

int augur_analyze_into(const struct augur_net *net, uint32_t batch, struct augur_analysis *a,
                       struct augur_diag *diag)
{
	if (reserve(a, net->n_layers))
		return augur_diag_set(diag, AUGUR_E_NOMEM, net->path, 0, 0, "out of memory");
	a->n_layers = net->n_layers;
	a->input_readers = 0;
	memset(a->by_type, 0, sizeof(a->by_type));
	memset(&a->total, 0, sizeof(a->total));
	int rc = augur_analyze_input(net, batch, a, diag);
	if (rc)
		return rc;
	batch = a->batch;

	for (size_t i = 0; i < net->n_layers; i++) {
		const struct augur_layer *l = &net->layers[i];
		struct augur_layer_stats *s = &a->layers[i];
		if ((rc = augur_analyze_layer(net, i, batch, a, diag)))
			return rc;
		s->readers = 0;
		s->last_reader = (uint32_t)i;
		for (uint32_t j = 0; j < l->n_inputs; j++) {
			int32_t src = l->inputs[j];
			if (src == AUGUR_NET_INPUT) {
				a->input_readers++;
			} else {
				a->layers[src].readers++;
				a->layers[src].last_reader = (uint32_t)i;
			}
		}
		/* by type never passes what the whole network holds */
		if (augur_totals_add(&a->total, s))
			return augur_diag_set(diag, AUGUR_E_OVERFLOW, net->path, l->loc.line,
			                      l->loc.col,
			                      "network is too large: its total parameters, MACs or "
			                      "bytes pass 64 bits at layer '%s'",
			                      l->name);
		augur_totals_add(&a->by_type[l->type], s);
	}
	augur_memory_compute(net, a);
	/* the views saturate rather than wrap; only the paper view's Split copies (a blob
	 * times its readers) can get there, and a saturated figure is not a figure */
	const struct augur_memory *m = &a->memory;
	if (m->paper_data == UINT64_MAX || m->paper_weights == UINT64_MAX ||
	    m->paper_workspace == UINT64_MAX || m->alloc_total == UINT64_MAX ||
	    m->min_total == UINT64_MAX)
		return augur_diag_set(diag, AUGUR_E_OVERFLOW, net->path, 0, 0,
		                      "network is too large: its memory passes 64 bits");
	return AUGUR_OK;
}

int augur_analyze(const struct augur_net *net, uint32_t batch, struct augur_analysis **out,
                  struct augur_diag *diag)
{
	*out = NULL;
	struct augur_analysis *a = calloc(1, sizeof(*a));
	if (!a)
		return augur_diag_set(diag, AUGUR_E_NOMEM, net->path, 0, 0, "out of memory");
	int rc = augur_analyze_into(net, batch, a, diag);
	if (rc) {
		augur_analysis_free(a);
		return rc;
	}
	*out = a;
	return AUGUR_OK;
}
