/* The estimator (see estimate.h): analysis + profile -> time and memory per unit. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "checked.h"
#include "estimate.h"
#include "memory.h"

void augur_unit_estimate_clear(struct augur_unit_estimate *e)
{
	if (!e)
		return;
	free(e->layers);
	memset(e, 0, sizeof(*e));
}

int augur_framework_model_bytes(const struct augur_net *net, const struct augur_analysis *a,
                                const struct augur_framework *fw, uint64_t page_bytes,
                                uint64_t *bytes, uint64_t *hole_bytes)
{
	if (hole_bytes)
		*hole_bytes = 0;
	/* the view the framework's process follows: Caffe and augur's runtime hold every
	 * blob, PyTorch frees each after its last reader (through glibc's heap); and its
	 * convolutions' workspace: Caffe's one im2col buffer, PyTorch's one group at a time,
	 * oneDNN's blocked copies */
	enum augur_memory_view view = augur_framework_memory_view(fw);
	enum augur_conv_workspace rule =
	        augur_framework_conv_direct(fw) ? AUGUR_CONV_BLOCKED
	        : augur_framework_conv_groups(fw) == AUGUR_GROUPS_ONE_AT_A_TIME
	                ? AUGUR_CONV_COLUMNS_BY_GROUP
	                : AUGUR_CONV_COLUMNS;
	/* what the library's primitive cache keeps of each distinct direct convolution */
	struct augur_conv_dispatch dispatch = augur_framework_conv_dispatch(fw);
	double cached =
	        rule == AUGUR_CONV_BLOCKED && fw->conv_cache_share > 0
	                ? fw->conv_cache_share *
	                          (double)augur_memory_distinct_conv_output_bytes(net, a, &dispatch)
	                : 0;
	uint64_t kept = cached < 18446744073709551616.0 ? (uint64_t)cached : UINT64_MAX;
	if (view != AUGUR_VIEW_HEAP) {
		*bytes = augur_add_sat(
		        augur_memory_model_bytes(net, a, view == AUGUR_VIEW_MINIMAL, rule), kept);
		return AUGUR_OK;
	}
	struct augur_heap_facts facts = {
	        .map_above = fw->fresh_buffer_bytes ? fw->fresh_buffer_bytes
	                                            : AUGUR_REFERENCE_FRESH_BUFFER_BYTES,
	        .slack_bytes = fw->alloc_slack_bytes,
	        .page_bytes = page_bytes,
	        .rule = rule,
	        .dispatch = dispatch,
	        .lrn_temporaries = fw->lrn_temporaries,
	        .pool_index_bytes = fw->pool_index_bytes > 0 ? (uint64_t)fw->pool_index_bytes : 0,
	        .staged_weights = fw->weights_staged > 0,
	        .affine_out_of_place = fw->affine_in_place < 0,
	};
	struct augur_heap_view hv;
	int rc = augur_memory_heap_view(net, a, &facts, &hv);
	if (rc)
		return rc;
	*bytes = augur_add_sat(augur_add_sat(hv.weights_bytes, kept),
	                       augur_add_sat(hv.heap_bytes, hv.mapped_bytes));
	if (hole_bytes)
		*hole_bytes = hv.hole_bytes;
	return AUGUR_OK;
}

static int estimate_memory(const struct augur_net *net, const struct augur_analysis *a,
                           const struct augur_profile *p, const struct augur_unit *u,
                           struct augur_unit_estimate *e, struct augur_diag *diag)
{
	const struct augur_memory *m = &a->memory;
	e->memory_view = augur_framework_memory_view(&p->framework);
	if (augur_framework_model_bytes(net, a, &p->framework, p->machine.page_bytes,
	                                &e->model_bytes, &e->memory_hole_bytes))
		return augur_diag_set(diag, AUGUR_E_NOMEM, net->path, 0, 0, "out of memory");
	/* a network without convolutions never loads the framework's convolution machinery */
	e->overhead_bytes = !augur_net_has_conv(net) && u->overhead_without_conv_bytes
	                            ? u->overhead_without_conv_bytes
	                            : u->framework_overhead_bytes;
	/* Caffe on a unified-memory board copies the parameters "to the GPU", which is the
	 * same RAM: GPU runs hold them twice (Table 4: TK1 AlexNet GPU 560 MB vs CPU 324). */
	e->weights_copy_bytes = u->kind == AUGUR_UNIT_GPU && p->shared_memory && u->weights_copied
	                                ? augur_add_sat(m->alloc_params, m->alloc_stats)
	                                : 0;
	e->memory_bytes = augur_add_sat(augur_add_sat(e->model_bytes, e->overhead_bytes),
	                                e->weights_copy_bytes);
	e->memory_high_bytes = augur_add_sat(e->memory_bytes, e->memory_hole_bytes);
	e->capacity_bytes = u->memory_bytes ? u->memory_bytes : p->ram_bytes;
	e->fits = !e->capacity_bytes || e->memory_bytes <= e->capacity_bytes;
	return AUGUR_OK;
}

int augur_estimate_range(const struct augur_net *net, const struct augur_analysis *a,
                         const struct augur_profile *p, const struct augur_unit *u, size_t from,
                         size_t to, struct augur_unit_estimate *out, struct augur_diag *diag)
{
	struct augur_thresholds th;
	augur_profile_thresholds(p, &th);
	const bool unsure_faults = !augur_framework_holds_blobs(p->framework.name);
	/* the whole pass's scale, on every layer its layer costs predict */
	const double scale =
	        u->costs ? augur_pass_scale_factor(&u->costs->pass, a->memory.alloc_total) : 1;
	out->pass_scale = scale;
	for (size_t i = from; i < to; i++) {
		const struct augur_layer_stats *s = &a->layers[i];
		struct augur_layer_estimate *le = &out->layers[i];
		enum augur_layer_type t = net->layers[i].type;
		const struct augur_layer_cost *lc =
		        u->costs && u->costs->type[t].feature_mask ? &u->costs->type[t] : NULL;
		*le = (struct augur_layer_estimate){0};
		if (lc) {
			double f[AUGUR_FEAT_COUNT];
			augur_layer_features(net, a, i, &u->gemm, &th, f, &le->outside_range);
			le->time_ms =
			        augur_layer_cost_predict(lc, f, le->split_ms, &le->outside_costs);
			if (scale != 1) {
				le->time_ms *= scale;
				for (int c = 0; c < AUGUR_COST_CLASSES; c++)
					le->split_ms[c] *= scale;
			}
			le->whole = true;
			/* a runtime that holds its buffers from pass to pass (augur's, Caffe's)
			 * faults them in its first pass only: nothing to be unsure of */
			if (unsure_faults &&
			    lc->feature_mask & AUGUR_FEAT_BIT(AUGUR_FEAT_FRESH_BYTES))
				le->faults_unsure_ms =
				        lc->coef[AUGUR_FEAT_FRESH_BYTES] *
				        augur_layer_fresh_bytes_unsure(net, a, i, &th);
		} else if (s->gemm.count) {
			le->time_ms = augur_gemm_time_ms(&u->gemm, &s->gemm, &le->outside_range);
			le->split_ms[AUGUR_COST_GEMM] = le->time_ms;
			out->layers_gemm_only++;
		} else {
			/* flatten is a view and dropout is the identity at inference: free by
			 * construction, not by omission */
			le->costed = t == AUGUR_LAYER_FLATTEN || t == AUGUR_LAYER_DROPOUT;
			if (!le->costed) {
				out->layers_uncosted++;
				out->types_uncosted |= 1u << t;
			}
			continue;
		}
		if (!isfinite(le->time_ms) || le->time_ms < 0)
			return augur_diag_set(diag, AUGUR_E_NUMERIC, p->name, 0, 0,
			                      "the %s model of profile '%s' predicts a non-finite "
			                      "time for layer '%s'",
			                      augur_unit_kind_name(u->kind), p->name,
			                      net->layers[i].name);
		/* a model fitted from per-layer sums cannot tell its per-call constant from a
		 * per-layer one: more calls than any fitted layer made is an extrapolation */
		le->outside_calls = u->calls_fitted_max && s->gemm.count > u->calls_fitted_max;
		if (le->outside_calls) {
			out->layers_outside_calls++;
			if (s->gemm.count > out->calls_max)
				out->calls_max = s->gemm.count;
		}
		le->costed = true;
		out->gemms_outside_range += le->outside_range;
		out->layers_faults_unsure += le->faults_unsure_ms > 0;
		out->faults_unsure_ms += le->faults_unsure_ms;
		out->layers_outside_costs += le->outside_costs;
		out->gemm_ms += le->split_ms[AUGUR_COST_GEMM];
		out->memory_ms += le->split_ms[AUGUR_COST_MEMORY];
		out->other_ms += le->split_ms[AUGUR_COST_OTHER];
		out->type_ms[t] += le->time_ms;
	}
	out->total_ms = out->gemm_ms + out->memory_ms + out->other_ms;
	if (!isfinite(out->total_ms))
		return augur_diag_set(
		        diag, AUGUR_E_NUMERIC, p->name, 0, 0,
		        "the %s model of profile '%s' predicts a total time too large "
		        "for a double for network '%s'",
		        augur_unit_kind_name(u->kind), p->name, net->name);
	out->whole_network = u->costs && !out->layers_gemm_only && !out->layers_uncosted;
	return estimate_memory(net, a, p, u, out, diag);
}

int augur_estimate_unit(const struct augur_net *net, const struct augur_analysis *a,
                        const struct augur_profile *p, const struct augur_unit *u,
                        struct augur_unit_estimate *out, struct augur_diag *diag)
{
	memset(out, 0, sizeof(*out));
	out->unit = u;
	out->n_layers = a->n_layers;
	out->layers = calloc(a->n_layers ? a->n_layers : 1, sizeof(*out->layers));
	if (!out->layers)
		return augur_diag_set(diag, AUGUR_E_NOMEM, net->path, 0, 0, "out of memory");
	int rc = augur_estimate_range(net, a, p, u, 0, a->n_layers, out, diag);
	if (rc)
		augur_unit_estimate_clear(out);
	return rc;
}
