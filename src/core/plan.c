/* Planning CPU/GPU placement (see plan.h; formulas and Rallapalli et al.'s numbers in
 * docs/plan.md). Every time comes from the units' estimates (per layer) or, for the split fc GEMM,
 * from the GPU's time model; nothing here re-implements a cost. */
#include <stdlib.h>
#include <string.h>

#include "checked.h"
#include "plan.h"

const char *augur_plan_kind_name(enum augur_plan_kind kind)
{
	static const char *const names[AUGUR_PLAN_KIND_COUNT] = {"cpu", "gpu", "split",
	                                                         "fc-offload", "split-fc"};
	return (unsigned)kind < AUGUR_PLAN_KIND_COUNT ? names[kind] : "none";
}

const char *augur_plan_reason_text(enum augur_plan_reason reason)
{
	static const char *const texts[AUGUR_PLAN_REASON_COUNT] = {
	        [AUGUR_PLAN_OK] = "",
	        [AUGUR_PLAN_NO_UNIT] = "the profile lacks a unit it needs",
	        /* parenthesised: one message over two lines, not two elements */
	        [AUGUR_PLAN_NOT_SHARED] = ("CPU and GPU do not share memory: every switch would "
	                                   "copy activations between them, which augur does not "
	                                   "model"),
	        [AUGUR_PLAN_GPU_FITS] = "the network fits in the GPU's memory",
	        [AUGUR_PLAN_NO_FC] = "the network has no fc layer",
	        [AUGUR_PLAN_CONV_AFTER_FC] = "conv or pool layers follow its first fc layer",
	        [AUGUR_PLAN_FC_TOO_SMALL] = "its largest fc layer has a single input",
	};
	return (unsigned)reason < AUGUR_PLAN_REASON_COUNT ? texts[reason] : "?";
}

void augur_plan_clear(struct augur_plan *plan)
{
	if (!plan)
		return;
	for (size_t u = 0; u < 2; u++)
		augur_unit_estimate_clear(&plan->est[u]);
	free(plan->placement);
	memset(plan, 0, sizeof(*plan));
}

/* Bytes of a layer's weights, biases and statistics. */
static uint64_t layer_weight_bytes(const struct augur_layer_stats *s)
{
	uint64_t b;
	if (augur_mul_overflow(augur_add_sat(s->params, s->stats), AUGUR_BYTES_PER_VALUE, &b))
		return UINT64_MAX;
	return b;
}

static uint64_t sub_sat(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

static bool fits(uint64_t bytes, uint64_t capacity)
{
	return !capacity || bytes <= capacity;
}

static void set_option(struct augur_plan_option *o, double time_ms, double latency_ms,
                       uint64_t memory_bytes, uint64_t capacity_bytes)
{
	o->available = true;
	o->time_ms = time_ms;
	o->latency_ms = latency_ms;
	o->memory_bytes = memory_bytes;
	o->capacity_bytes = capacity_bytes;
	o->fits = fits(memory_bytes, capacity_bytes);
}

/* The framework of a process that drives both units: the larger of the two overheads. */
static uint64_t both_overhead(const struct augur_plan *plan)
{
	uint64_t c = plan->cpu->overhead_bytes, g = plan->gpu->overhead_bytes;
	return c > g ? c : g;
}

/* Whether a GPU run holds a second copy of the weights (shared memory, Caffe's copy). */
static bool gpu_copies(const struct augur_plan *plan)
{
	return plan->gpu->weights_copy_bytes > 0;
}

static void plan_split(struct augur_plan *plan, const struct augur_analysis *a,
                       const struct augur_profile *p)
{
	const struct augur_unit_estimate *c = plan->cpu, *g = plan->gpu;
	enum augur_unit_kind prev =
	        plan->single == AUGUR_PLAN_GPU ? AUGUR_UNIT_GPU : AUGUR_UNIT_CPU;
	if (!c || !g) {
		plan->reason[AUGUR_PLAN_SPLIT] = AUGUR_PLAN_NO_UNIT;
	} else if (!p->shared_memory) {
		plan->reason[AUGUR_PLAN_SPLIT] = AUGUR_PLAN_NOT_SHARED;
	}
	if (plan->reason[AUGUR_PLAN_SPLIT] != AUGUR_PLAN_OK) {
		for (size_t i = 0; i < plan->n_layers; i++)
			plan->placement[i] = prev;
		plan->split_layers[prev] = (uint32_t)plan->n_layers;
		return;
	}
	/* each layer on its faster unit, but never on a unit that does not cost it (its 0 ms
	 * there is "not known", not free); a tie (a layer costed on neither takes 0 on both)
	 * stays on the unit of the layer before, so it adds no switch */
	double time = 0;
	uint64_t copy = 0;
	for (size_t i = 0; i < plan->n_layers; i++) {
		double tc = c->layers[i].time_ms, tg = g->layers[i].time_ms;
		bool on_c = c->layers[i].costed, on_g = g->layers[i].costed;
		enum augur_unit_kind k = on_c && !on_g   ? AUGUR_UNIT_CPU
		                         : on_g && !on_c ? AUGUR_UNIT_GPU
		                         : tc < tg       ? AUGUR_UNIT_CPU
		                         : tg < tc       ? AUGUR_UNIT_GPU
		                                         : prev;
		if (i > 0 && k != prev)
			plan->split_switches++;
		plan->placement[i] = k;
		plan->split_layers[k]++;
		time += k == AUGUR_UNIT_CPU ? tc : tg;
		if (k == AUGUR_UNIT_GPU)
			copy = augur_add_sat(copy, layer_weight_bytes(&a->layers[i]));
		prev = k;
	}
	plan->split_copy_bytes = gpu_copies(plan) ? copy : 0;
	uint64_t memory = augur_add_sat(augur_add_sat(c->model_bytes, both_overhead(plan)),
	                                plan->split_copy_bytes);
	set_option(&plan->option[AUGUR_PLAN_SPLIT], time, time, memory, g->capacity_bytes);
}

/* The offload boundary: the first fc layer, provided no conv or pool layer follows it. */
static enum augur_plan_reason offload_from(const struct augur_net *net, size_t *from)
{
	size_t n = net->n_layers, first = n;
	for (size_t i = 0; i < n && first == n; i++)
		if (net->layers[i].type == AUGUR_LAYER_FC)
			first = i;
	if (first == n)
		return AUGUR_PLAN_NO_FC;
	for (size_t i = first; i < n; i++)
		if (net->layers[i].type == AUGUR_LAYER_CONV ||
		    net->layers[i].type == AUGUR_LAYER_POOL)
			return AUGUR_PLAN_CONV_AFTER_FC;
	*from = first;
	return AUGUR_PLAN_OK;
}

static void plan_offload(struct augur_plan *plan, const struct augur_net *net,
                         const struct augur_analysis *a, const struct augur_profile *p)
{
	const struct augur_unit_estimate *c = plan->cpu, *g = plan->gpu;
	enum augur_plan_reason *reason = &plan->reason[AUGUR_PLAN_FC_OFFLOAD];
	if (!c) {
		*reason = AUGUR_PLAN_NO_UNIT;
		return;
	}
	if ((*reason = offload_from(net, &plan->offload_from)) != AUGUR_PLAN_OK)
		return;
	size_t s = plan->offload_from;
	double gpu_ms = 0, cpu_ms = 0;
	uint64_t head = 0, tail = 0; /* weights before and from the boundary */
	for (size_t i = 0; i < plan->n_layers; i++) {
		if (i < s) {
			gpu_ms += g->layers[i].time_ms;
			head = augur_add_sat(head, layer_weight_bytes(&a->layers[i]));
		} else {
			cpu_ms += c->layers[i].time_ms;
			tail = augur_add_sat(tail, layer_weight_bytes(&a->layers[i]));
		}
	}
	plan->offload_gpu_ms = gpu_ms;
	plan->offload_cpu_ms = cpu_ms;
	plan->offload_cpu_bytes = tail;
	struct augur_plan_option *o = &plan->option[AUGUR_PLAN_FC_OFFLOAD];
	double time = gpu_ms > cpu_ms ? gpu_ms : cpu_ms;
	if (p->shared_memory) {
		/* one RAM: the host copy of everything, the GPU's copy of the head's weights
		 * only, one framework driving both units */
		plan->offload_gpu_bytes = augur_add_sat(
		        augur_add_sat(sub_sat(c->model_bytes, tail), both_overhead(plan)),
		        gpu_copies(plan) ? head : 0);
		set_option(o, time, gpu_ms + cpu_ms,
		           augur_add_sat(plan->offload_gpu_bytes, plan->offload_cpu_bytes),
		           g->capacity_bytes);
	} else {
		/* two memories: the GPU holds all but the tail's weights, the CPU those */
		plan->offload_gpu_bytes =
		        augur_add_sat(sub_sat(g->model_bytes, tail), g->overhead_bytes);
		set_option(o, time, gpu_ms + cpu_ms, plan->offload_gpu_bytes, g->capacity_bytes);
		o->fits =
		        o->fits && fits(augur_add_sat(tail, c->overhead_bytes), c->capacity_bytes);
	}
}

/* GPU memory of the split-fc plan with parts of at most k_max inputs. */
static uint64_t split_fc_memory(const struct augur_plan *plan, const struct augur_layer_stats *s,
                                uint64_t k_max, uint64_t *part_bytes)
{
	const struct augur_gemm *gm = &s->gemm;
	/* the weights of one part and every bias: params - n*k + n*k_max values */
	uint64_t values = s->params - gm->n * gm->k + gm->n * k_max;
	*part_bytes = values * AUGUR_BYTES_PER_VALUE;
	uint64_t copies = gpu_copies(plan) ? 2 : 1;
	uint64_t whole = plan->split_fc_weights_bytes;
	return augur_add_sat(sub_sat(plan->gpu->memory_bytes, copies * whole),
	                     copies * *part_bytes);
}

static int plan_split_fc(struct augur_plan *plan, const struct augur_net *net,
                         const struct augur_analysis *a, const struct augur_unit *gpu_unit,
                         uint32_t fc_parts, struct augur_diag *diag)
{
	const struct augur_unit_estimate *g = plan->gpu;
	size_t n = plan->n_layers, L = n;
	for (size_t i = 0; i < n; i++)
		if (net->layers[i].type == AUGUR_LAYER_FC &&
		    (L == n || a->layers[i].params > a->layers[L].params))
			L = i;
	if (L == n) {
		plan->reason[AUGUR_PLAN_SPLIT_FC] = AUGUR_PLAN_NO_FC;
		return AUGUR_OK;
	}
	const struct augur_layer_stats *s = &a->layers[L];
	const struct augur_gemm *gm = &s->gemm;
	if (gm->k < 2) {
		plan->reason[AUGUR_PLAN_SPLIT_FC] = AUGUR_PLAN_FC_TOO_SMALL;
		return AUGUR_OK;
	}
	if (fc_parts == 1 || fc_parts > gm->k)
		return augur_diag_set(diag, AUGUR_E_USAGE, net->path, 0, 0,
		                      "cannot split fc layer '%s' into %u parts (expected 2 to its "
		                      "%llu inputs)",
		                      net->layers[L].name, fc_parts, (unsigned long long)gm->k);
	plan->split_fc_layer = L;
	plan->split_fc_weights_bytes = layer_weight_bytes(s);
	uint64_t capacity = g->capacity_bytes, part_bytes = 0;
	uint64_t parts = fc_parts;
	if (!parts) {
		/* the fewest parts that fit; Rallapalli et al.'s 4 when none does */
		for (parts = 2; parts <= gm->k; parts++)
			if (fits(split_fc_memory(plan, s, (gm->k + parts - 1) / parts, &part_bytes),
			         capacity))
				break;
		if (parts > gm->k)
			parts = gm->k < 4 ? gm->k : 4;
	}
	uint64_t q = gm->k / parts, rem = gm->k % parts;
	uint64_t memory = split_fc_memory(plan, s, q + (rem > 0), &part_bytes);
	/* parts 0 .. rem-1 take one input more, as the rows of a matrix split evenly */
	double split_ms = 0;
	for (uint64_t j = 0; j < parts; j++)
		split_ms += (double)gm->count * augur_timemodel_predict(&gpu_unit->gemm, gm->n,
		                                                        q + (j < rem), gm->m,
		                                                        gm->fc_layout);
	double time = 0;
	for (size_t i = 0; i < n; i++)
		time += i == L ? split_ms : g->layers[i].time_ms;
	plan->split_fc_parts = (uint32_t)parts;
	plan->split_fc_ms = split_ms;
	plan->split_fc_part_bytes = part_bytes;
	set_option(&plan->option[AUGUR_PLAN_SPLIT_FC], time, time, memory, capacity);
	return AUGUR_OK;
}

/* The fastest available option among kinds [from, to) that fits, or AUGUR_PLAN_KIND_COUNT. */
static enum augur_plan_kind fastest(const struct augur_plan *plan, int from, int to, bool must_fit)
{
	enum augur_plan_kind best = AUGUR_PLAN_KIND_COUNT;
	for (int k = from; k < to; k++) {
		const struct augur_plan_option *o = &plan->option[k];
		if (!o->available || (must_fit && !o->fits))
			continue;
		/* plans come simplest first: a later one must be faster by more than the
		 * rounding of its own sum (a split with every layer on one unit is that unit) */
		if (best == AUGUR_PLAN_KIND_COUNT ||
		    o->time_ms < plan->option[best].time_ms * (1 - 1e-9))
			best = (enum augur_plan_kind)k;
	}
	return best;
}

int augur_plan_make(const struct augur_net *net, const struct augur_analysis *a,
                    const struct augur_profile *p, uint32_t fc_parts, struct augur_plan *out,
                    struct augur_diag *diag)
{
	memset(out, 0, sizeof(*out));
	out->n_layers = a->n_layers;
	out->placement = calloc(a->n_layers ? a->n_layers : 1, sizeof(*out->placement));
	if (!out->placement)
		return augur_diag_set(diag, AUGUR_E_NOMEM, net->path, 0, 0, "out of memory");
	const struct augur_unit *units[2] = {p->cpu, p->gpu};
	int rc = AUGUR_OK;
	for (int k = AUGUR_PLAN_CPU; k <= AUGUR_PLAN_GPU && !rc; k++) {
		if (!units[k]) {
			out->reason[k] = AUGUR_PLAN_NO_UNIT;
			continue;
		}
		struct augur_unit_estimate *e = &out->est[out->n_units++];
		if ((rc = augur_estimate_unit(net, a, p, units[k], e, diag)))
			break;
		if (k == AUGUR_PLAN_CPU)
			out->cpu = e;
		else
			out->gpu = e;
		set_option(&out->option[k], e->total_ms, e->total_ms, e->memory_bytes,
		           e->capacity_bytes);
	}
	if (rc)
		goto fail;
	out->single = fastest(out, AUGUR_PLAN_CPU, AUGUR_PLAN_GPU + 1, true);
	if (out->single == AUGUR_PLAN_KIND_COUNT)
		out->single = fastest(out, AUGUR_PLAN_CPU, AUGUR_PLAN_GPU + 1, false);
	plan_split(out, a, p);
	if (!out->gpu) {
		out->reason[AUGUR_PLAN_FC_OFFLOAD] = out->reason[AUGUR_PLAN_SPLIT_FC] =
		        AUGUR_PLAN_NO_UNIT;
	} else if (out->gpu->fits) {
		out->reason[AUGUR_PLAN_FC_OFFLOAD] = out->reason[AUGUR_PLAN_SPLIT_FC] =
		        AUGUR_PLAN_GPU_FITS;
	} else {
		plan_offload(out, net, a, p);
		if ((rc = plan_split_fc(out, net, a, p->gpu, fc_parts, diag)))
			goto fail;
	}
	/* the split-fc time leaves out reading each part from storage every frame, which the
	 * Rallapalli et al. found to dominate (10.2 s a frame against 0.42 pipelined): recommended
	 * only when nothing else fits */
	out->best = fastest(out, 0, AUGUR_PLAN_SPLIT_FC, true);
	if (out->best == AUGUR_PLAN_KIND_COUNT)
		out->best = fastest(out, AUGUR_PLAN_SPLIT_FC, AUGUR_PLAN_KIND_COUNT, true);
	return AUGUR_OK;
fail:
	augur_plan_clear(out);
	return rc;
}
