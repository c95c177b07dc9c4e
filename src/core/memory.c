/* Memory views (see memory.h). */
#include "checked.h"
#include "memory.h"

bool augur_type_in_place(enum augur_layer_type type)
{
	switch (type) {
	case AUGUR_LAYER_RELU:
	case AUGUR_LAYER_SIGMOID:
	case AUGUR_LAYER_TANH:
	case AUGUR_LAYER_DROPOUT:
	case AUGUR_LAYER_BATCHNORM:
	case AUGUR_LAYER_SCALE:
		return true;
	default:
		return false;
	}
}

static uint64_t weight_bytes(uint64_t values)
{
	uint64_t b;
	return augur_mul_overflow(values, AUGUR_BYTES_PER_VALUE, &b) ? UINT64_MAX : b;
}

static void paper_view(const struct augur_net *net, struct augur_analysis *a)
{
	struct augur_memory *m = &a->memory;
	m->paper_weights = m->paper_workspace = 0;
	/* the input blob, plus the copies Caffe's Split layer makes when several layers read it */
	m->paper_data = a->input_bytes;
	if (a->input_readers > 1) {
		uint64_t copies;
		if (augur_mul_overflow(a->input_readers, a->input_bytes, &copies))
			copies = UINT64_MAX;
		m->paper_data = augur_add_sat(m->paper_data, copies);
	}
	for (size_t i = 0; i < a->n_layers; i++) {
		const struct augur_layer_stats *s = &a->layers[i];
		enum augur_layer_type t = net->layers[i].type;
		if (t == AUGUR_LAYER_CONV || t == AUGUR_LAYER_FC)
			m->paper_weights = augur_add_sat(m->paper_weights, weight_bytes(s->params));
		m->paper_workspace = augur_add_sat(m->paper_workspace, s->workspace_paper_bytes);
		m->paper_data = augur_add_sat(m->paper_data, s->out_bytes);
		if (s->readers > 1) {
			uint64_t copies;
			if (augur_mul_overflow(s->readers, s->out_bytes, &copies))
				copies = UINT64_MAX;
			m->paper_data = augur_add_sat(m->paper_data, copies);
		}
	}
}

/* An element-wise layer writes over its input when nobody else reads that input; a
 * flatten is a reshaped view of its input. */
static bool aliases_input(const struct augur_net *net, const struct augur_analysis *a, size_t i,
                          bool sole_reader_only)
{
	const struct augur_layer *l = &net->layers[i];
	if (l->type == AUGUR_LAYER_FLATTEN)
		return true;
	if (!augur_type_in_place(l->type))
		return false;
	int32_t src = l->inputs[0];
	uint32_t readers = src == AUGUR_NET_INPUT ? a->input_readers : a->layers[src].readers;
	uint32_t last = src == AUGUR_NET_INPUT ? 0 : a->layers[src].last_reader;
	if (sole_reader_only)
		return readers == 1;
	/* minimal view: the last reader may overwrite, everyone else has finished */
	return src == AUGUR_NET_INPUT ? readers == 1 : last == i;
}

static void allocated_view(const struct augur_net *net, struct augur_analysis *a)
{
	struct augur_memory *m = &a->memory;
	m->alloc_params = m->alloc_stats = m->alloc_workspace = 0;
	m->alloc_data = a->input_bytes;
	for (size_t i = 0; i < a->n_layers; i++) {
		struct augur_layer_stats *s = &a->layers[i];
		s->in_place = aliases_input(net, a, i, true);
		m->alloc_params = augur_add_sat(m->alloc_params, weight_bytes(s->params));
		m->alloc_stats = augur_add_sat(m->alloc_stats, weight_bytes(s->stats));
		m->alloc_workspace = augur_add_sat(m->alloc_workspace, s->workspace_bytes);
		if (!s->in_place)
			m->alloc_data = augur_add_sat(m->alloc_data, s->out_bytes);
	}
	m->alloc_total = augur_add_sat(augur_add_sat(m->alloc_params, m->alloc_stats),
	                               augur_add_sat(m->alloc_data, m->alloc_workspace));
}

/* Sweep over execution order: each buffer is live from the step that creates it to the
 * last reader of any layer aliasing it. Step 0 holds the input; layer i runs at step i. */
static void minimal_view(const struct augur_net *net, struct augur_analysis *a)
{
	struct augur_memory *m = &a->memory;
	size_t n = a->n_layers;
	int64_t *diff = a->scratch;          /* n + 1 entries: bytes born minus bytes freed */
	int64_t *owner = a->scratch + n + 1; /* buffer each layer's output lives in, -1 = input */
	int64_t *end = owner + n + 1;        /* last step of each buffer; [n] is the input's */
	for (size_t i = 0; i <= n; i++)
		diff[i] = end[i] = 0;
	end[n] = 0;
	m->min_weights = m->min_workspace = 0;
	for (size_t i = 0; i < n; i++) {
		const struct augur_layer_stats *s = &a->layers[i];
		int32_t src = net->layers[i].inputs[0];
		if (aliases_input(net, a, i, false))
			owner[i] = src == AUGUR_NET_INPUT ? -1 : owner[src];
		else
			owner[i] = (int64_t)i;
		size_t slot = owner[i] < 0 ? n : (size_t)owner[i];
		if ((int64_t)s->last_reader > end[slot])
			end[slot] = s->last_reader;
		if (owner[i] == (int64_t)i && (int64_t)i > end[slot])
			end[slot] = (int64_t)i;
		m->min_weights =
		        augur_add_sat(m->min_weights, augur_add_sat(weight_bytes(s->params),
		                                                    weight_bytes(s->stats)));
		if (s->workspace_bytes > m->min_workspace)
			m->min_workspace = s->workspace_bytes;
	}
	for (size_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < net->layers[i].n_inputs; j++)
			if (net->layers[i].inputs[j] == AUGUR_NET_INPUT && (int64_t)i > end[n])
				end[n] = (int64_t)i;
	/* bytes fit in int64: every blob was checked against overflow and is far below 2^63
	 * for any descriptor within AUGUR_MAX_DIM */
	diff[0] += (int64_t)a->input_bytes;
	diff[end[n] + 1] -= (int64_t)a->input_bytes;
	for (size_t i = 0; i < n; i++) {
		if (owner[i] != (int64_t)i)
			continue;
		diff[i] += (int64_t)a->layers[i].out_bytes;
		diff[end[i] + 1] -= (int64_t)a->layers[i].out_bytes;
	}
	int64_t live = 0;
	m->min_data_peak = 0;
	m->min_peak_layer = 0;
	for (size_t i = 0; i < n; i++) {
		live += diff[i];
		a->layers[i].live_bytes = (uint64_t)live;
		if ((uint64_t)live > m->min_data_peak) {
			m->min_data_peak = (uint64_t)live;
			m->min_peak_layer = i;
		}
	}
	m->min_total =
	        augur_add_sat(augur_add_sat(m->min_weights, m->min_workspace), m->min_data_peak);
}

void augur_memory_compute(const struct augur_net *net, struct augur_analysis *a)
{
	paper_view(net, a);
	allocated_view(net, a);
	minimal_view(net, a);
}
