/* Incremental re-analysis (see incremental.h). An update walks the layers from the first
 * edited one: a layer is re-traced and re-counted when it was edited or one of its inputs
 * changed shape in this walk (or the batch changed), else its cached figures stand. The
 * integer totals and memory views are exact sums (a network whose sums pass 64 bits is an
 * error), so a redone layer swaps its old terms for its new ones (an overflowing swap
 * falls back to the full analysis, which reports it). The
 * estimates' sums are doubles, whose result depends on the order of the additions: they
 * resume from a snapshot of the totals after the layers before the walk and add the rest
 * in order, as a full estimate does. Topology never changes (an edit cannot change inputs,
 * names or types), so readers and the memory views' structure stay as first found. */
#include <stdlib.h>
#include <string.h>

#include "checked.h"
#include "edit.h"
#include "incremental.h"
#include "layercost.h"
#include "memory.h"

struct augur_incr {
	struct augur_net *net; /* borrowed, edited in place */
	uint32_t batch;        /* the caller's batch, 0 = the network's */
	const struct augur_profile *p;
	size_t n_units;
	const struct augur_unit *units[2];
	struct augur_analysis *a;
	struct augur_unit_estimate est[2];
	/* estimate totals of layers [0, snap_at): where an update resumes summing */
	size_t snap_at;
	struct augur_unit_estimate snap_est[2]; /* totals only; layers is not used */
	double pass_cold, pass_warm;            /* augur_pass_cold, _warm of the estimates */
	uint8_t *touched;                       /* per layer: edited since the last update */
	uint8_t *changed;                /* per layer, during an update: its output shape changed */
	size_t dirty_from;               /* first touched layer, n_layers when none */
	bool globals;                    /* input or batch edited since the last update */
	bool full;                       /* analyse everything on the next update */
	size_t last_retraced, last_from; /* what the last update redid */
	size_t n_undo;
	struct augur_edit undo[AUGUR_INCR_MAX_EDITS]; /* what reverts each applied edit */
};

int augur_incr_new(struct augur_net *net, uint32_t batch, const struct augur_profile *p,
                   const struct augur_unit *const *units, size_t n_units, struct augur_incr **out,
                   struct augur_diag *diag)
{
	*out = NULL;
	if (n_units < 1 || n_units > 2)
		return augur_diag_set(diag, AUGUR_E_USAGE, net->path, 0, 0,
		                      "incremental analysis takes 1 or 2 units, not %zu", n_units);
	size_t n = net->n_layers ? net->n_layers : 1;
	struct augur_incr *inc = calloc(1, sizeof(*inc));
	if (!inc || !(inc->a = calloc(1, sizeof(*inc->a))) || !(inc->touched = calloc(n, 1)) ||
	    !(inc->changed = calloc(n, 1)))
		goto nomem;
	inc->net = net;
	inc->batch = batch;
	inc->p = p;
	inc->n_units = n_units;
	for (size_t u = 0; u < n_units; u++) {
		inc->units[u] = units[u];
		inc->est[u].unit = units[u];
		inc->est[u].n_layers = net->n_layers;
		if (!(inc->est[u].layers = calloc(n, sizeof(*inc->est[u].layers))))
			goto nomem;
	}
	inc->dirty_from = net->n_layers;
	inc->full = true;
	*out = inc;
	return AUGUR_OK;
nomem:
	augur_incr_free(inc);
	return augur_diag_set(diag, AUGUR_E_NOMEM, net->path, 0, 0, "out of memory");
}

void augur_incr_free(struct augur_incr *inc)
{
	if (!inc)
		return;
	for (size_t u = 0; u < 2; u++)
		free(inc->est[u].layers);
	augur_analysis_free(inc->a);
	free(inc->touched);
	free(inc->changed);
	free(inc);
}

static void touch(struct augur_incr *inc, size_t layer)
{
	inc->touched[layer] = 1;
	if (layer < inc->dirty_from)
		inc->dirty_from = layer;
}

/* Marks what an edit (applied or reverted) makes stale. */
static void touch_edit(struct augur_incr *inc, const struct augur_edit *e)
{
	if (e->kind == AUGUR_EDIT_LAYER)
		touch(inc, e->layer);
	else
		inc->globals = true;
}

int augur_incr_apply(struct augur_incr *inc, const struct augur_edit *e)
{
	if (inc->n_undo == AUGUR_INCR_MAX_EDITS)
		return AUGUR_E_USAGE;
	int rc = augur_edit_apply(inc->net, e, &inc->undo[inc->n_undo]);
	if (rc)
		return rc;
	inc->n_undo++;
	touch_edit(inc, e);
	return AUGUR_OK;
}

void augur_incr_revert(struct augur_incr *inc)
{
	while (inc->n_undo) {
		const struct augur_edit *u = &inc->undo[--inc->n_undo];
		struct augur_edit redo;
		augur_edit_apply(inc->net, u, &redo);
		touch_edit(inc, u);
	}
}

/* augur_pass_cold and augur_pass_warm of analysis a on the context's profile. */
static void pass_residency(const struct augur_incr *inc, const struct augur_analysis *a,
                           double *cold, double *warm)
{
	struct augur_thresholds th;
	augur_profile_thresholds(inc->p, &th);
	*cold = augur_pass_cold(a, &th);
	*warm = augur_pass_warm(a, &th);
}

/* An estimate's totals as augur_estimate_unit starts them. */
static void zero_estimate(struct augur_unit_estimate *e, const struct augur_unit *u, size_t n)
{
	memset(e, 0, sizeof(*e));
	e->unit = u;
	e->n_layers = n;
}

/* Sets e's totals to snap's, keeping e's per-layer array. */
static void copy_totals(struct augur_unit_estimate *e, const struct augur_unit_estimate *snap)
{
	struct augur_layer_estimate *layers = e->layers;
	*e = *snap;
	e->layers = layers;
}

static bool same_shape(const struct augur_shape *x, const struct augur_shape *y)
{
	return x->c == y->c && x->h == y->h && x->w == y->w && x->rank == y->rank;
}

static int update_full(struct augur_incr *inc, struct augur_diag *diag)
{
	struct augur_net *net = inc->net;
	int rc = augur_analyze_into(net, inc->batch, inc->a, diag);
	for (size_t u = 0; u < inc->n_units && !rc; u++) {
		zero_estimate(&inc->snap_est[u], inc->units[u], net->n_layers);
		copy_totals(&inc->est[u], &inc->snap_est[u]);
		rc = augur_estimate_range(net, inc->a, inc->p, inc->units[u], 0, net->n_layers,
		                          &inc->est[u], diag);
	}
	if (rc)
		return rc;
	inc->snap_at = 0;
	pass_residency(inc, inc->a, &inc->pass_cold, &inc->pass_warm);
	inc->last_retraced = net->n_layers;
	inc->last_from = 0;
	memset(inc->touched, 0, net->n_layers);
	inc->dirty_from = net->n_layers;
	inc->globals = false;
	inc->full = false;
	return AUGUR_OK;
}

/* Moves the estimates' snapshot to layer f: back to the start when it lies beyond f, then
 * forward over the unchanged layers before f (their per-layer figures are current). Leaves
 * each estimate holding the totals of layers [0, f). */
static int snapshot_at(struct augur_incr *inc, size_t f, struct augur_diag *diag)
{
	struct augur_net *net = inc->net;
	if (inc->snap_at > f) {
		for (size_t u = 0; u < inc->n_units; u++)
			zero_estimate(&inc->snap_est[u], inc->units[u], net->n_layers);
		inc->snap_at = 0;
	}
	for (size_t u = 0; u < inc->n_units; u++) {
		copy_totals(&inc->est[u], &inc->snap_est[u]);
		if (inc->snap_at == f)
			continue;
		int rc = augur_estimate_range(net, inc->a, inc->p, inc->units[u], inc->snap_at, f,
		                              &inc->est[u], diag);
		if (rc)
			return rc;
		inc->snap_est[u] = inc->est[u];
	}
	inc->snap_at = f;
	return AUGUR_OK;
}

/* Swaps a layer's old counts for its new ones in a totals record; false when a total would
 * pass 64 bits (the full analysis then reports the network as too large). */
static bool swap_totals(struct augur_totals *t, const struct augur_layer_stats *old,
                        const struct augur_layer_stats *s)
{
	uint64_t *f[] = {&t->params, &t->stats, &t->macs, &t->flops, &t->gemm_calls, &t->out_bytes};
	const uint64_t o[] = {old->params, old->stats,      old->macs,
	                      old->flops,  old->gemm.count, old->out_bytes};
	const uint64_t v[] = {s->params, s->stats, s->macs, s->flops, s->gemm.count, s->out_bytes};
	for (size_t k = 0; k < 6; k++)
		if (augur_add_overflow(*f[k] - o[k], v[k], f[k]))
			return false;
	return true;
}

static int update_incremental(struct augur_incr *inc, struct augur_diag *diag)
{
	struct augur_net *net = inc->net;
	struct augur_analysis *a = inc->a;
	size_t n = net->n_layers, f = inc->dirty_from;
	bool all = false, input_changed = false, totals_ok = true, memory_ok = true;
	int rc;
	if (inc->globals) {
		uint32_t batch = a->batch;
		struct augur_shape input = a->input;
		uint64_t input_bytes = a->input_bytes;
		if ((rc = augur_analyze_input(net, inc->batch, a, diag)))
			return rc;
		all = a->batch != batch;
		input_changed = !same_shape(&input, &a->input);
		if (all || input_changed)
			f = 0;
		if (input_bytes != a->input_bytes)
			memory_ok = augur_memory_replace_input(a, input_bytes);
	}
	inc->last_retraced = 0;
	inc->last_from = n;
	if (f >= n) {
		inc->globals = false;
		return AUGUR_OK;
	}
	for (size_t i = f; i < n; i++) {
		const struct augur_layer *l = &net->layers[i];
		struct augur_layer_stats *s = &a->layers[i];
		bool redo = all || inc->touched[i];
		for (uint32_t j = 0; j < l->n_inputs && !redo; j++) {
			int32_t src = l->inputs[j];
			redo = src == AUGUR_NET_INPUT ? input_changed
			                              : (size_t)src >= f && inc->changed[src];
		}
		inc->changed[i] = 0;
		if (!redo)
			continue;
		struct augur_layer_stats old = *s;
		if ((rc = augur_analyze_layer(net, i, a->batch, a, diag)))
			return rc;
		inc->changed[i] = !same_shape(&old.out, &s->out);
		inc->touched[i] = 0;
		inc->last_retraced++;
		totals_ok = totals_ok && swap_totals(&a->by_type[l->type], &old, s) &&
		            swap_totals(&a->total, &old, s);
		memory_ok = memory_ok && augur_memory_replace(net, a, i, &old);
	}
	/* a total or a memory view past 64 bits: the network is too large, and only the full
	 * analysis says so exactly as a fresh one would (the layer where the sum overflows) */
	if (!totals_ok || !memory_ok)
		return update_full(inc, diag);
	augur_memory_finish(a);
	const struct augur_memory *m = &a->memory;
	if (m->alloc_total == UINT64_MAX || m->min_total == UINT64_MAX)
		return update_full(inc, diag);
	/* every layer's cost depends on how far the whole pass outgrows the caches: when an
	 * edit moves that, the layers before the walk are costed again too */
	size_t from = f;
	double cold, warm;
	pass_residency(inc, a, &cold, &warm);
	if (cold != inc->pass_cold || warm != inc->pass_warm) {
		inc->pass_cold = cold;
		inc->pass_warm = warm;
		from = 0;
	}
	/* and so does the scale of a pass of its size */
	for (size_t u = 0; u < inc->n_units; u++)
		if (inc->units[u]->costs &&
		    augur_pass_scale_factor(&inc->units[u]->costs->pass, m->alloc_total) !=
		            inc->est[u].pass_scale)
			from = 0;
	if ((rc = snapshot_at(inc, from, diag)))
		return rc;
	for (size_t u = 0; u < inc->n_units; u++)
		if ((rc = augur_estimate_range(net, a, inc->p, inc->units[u], from, n, &inc->est[u],
		                               diag)))
			return rc;
	inc->dirty_from = n;
	inc->globals = false;
	inc->last_from = f;
	return AUGUR_OK;
}

int augur_incr_update(struct augur_incr *inc, struct augur_diag *diag)
{
	int rc = inc->full ? update_full(inc, diag) : update_incremental(inc, diag);
	/* a failed update leaves figures of a network that does not trace: start over */
	if (rc)
		inc->full = true;
	return rc;
}

const struct augur_analysis *augur_incr_analysis(const struct augur_incr *inc)
{
	return inc->a;
}

const struct augur_unit_estimate *augur_incr_estimate(const struct augur_incr *inc, size_t unit)
{
	return unit < inc->n_units ? &inc->est[unit] : NULL;
}

void augur_incr_last(const struct augur_incr *inc, size_t *retraced, size_t *from)
{
	*retraced = inc->last_retraced;
	*from = inc->last_from;
}
