/* Memory views (see memory.h). */
#include <stdlib.h>

#include "checked.h"
#include "heapsim.h"
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
	case AUGUR_LAYER_HARDSWISH:
	case AUGUR_LAYER_HARDSIGMOID:
	case AUGUR_LAYER_SWISH:
	case AUGUR_LAYER_PRELU:
	case AUGUR_LAYER_ELU:
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
		if (t == AUGUR_LAYER_CONV || t == AUGUR_LAYER_FC || t == AUGUR_LAYER_DECONV)
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
 * flatten or a reshape is a view of its input. */
static bool aliases_input(const struct augur_net *net, const struct augur_analysis *a, size_t i,
                          bool sole_reader_only)
{
	const struct augur_layer *l = &net->layers[i];
	if (l->type == AUGUR_LAYER_FLATTEN || l->type == AUGUR_LAYER_RESHAPE)
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

/* What depends only on the network's topology (types, inputs, readers): which layers write
 * over their input (allocated view) and, for the minimal view, the buffer each layer's
 * output lives in (owner) and the last step that buffer is read (end). Kept in a->scratch
 * so augur_memory_update can re-sum sizes without recomputing it. */
static void structure(const struct augur_net *net, struct augur_analysis *a)
{
	size_t n = a->n_layers;
	int64_t *owner = a->scratch + n + 1; /* buffer each layer's output lives in, -1 = input */
	int64_t *end = owner + n + 1;        /* last step of each buffer; [n] is the input's */
	for (size_t i = 0; i <= n; i++)
		end[i] = 0;
	for (size_t i = 0; i < n; i++) {
		struct augur_layer_stats *s = &a->layers[i];
		s->in_place = aliases_input(net, a, i, true);
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
	}
	for (size_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < net->layers[i].n_inputs; j++)
			if (net->layers[i].inputs[j] == AUGUR_NET_INPUT && (int64_t)i > end[n])
				end[n] = (int64_t)i;
}

static void allocated_view(struct augur_analysis *a)
{
	struct augur_memory *m = &a->memory;
	m->alloc_params = m->alloc_stats = m->alloc_workspace = 0;
	m->alloc_data = a->input_bytes;
	for (size_t i = 0; i < a->n_layers; i++) {
		const struct augur_layer_stats *s = &a->layers[i];
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
static void minimal_view(struct augur_analysis *a)
{
	struct augur_memory *m = &a->memory;
	size_t n = a->n_layers;
	int64_t *diff = a->scratch; /* n + 1 entries: bytes born minus bytes freed */
	const int64_t *owner = a->scratch + n + 1, *end = owner + n + 1;
	for (size_t i = 0; i <= n; i++)
		diff[i] = 0;
	m->min_weights = m->min_workspace = 0;
	for (size_t i = 0; i < n; i++) {
		const struct augur_layer_stats *s = &a->layers[i];
		m->min_weights =
		        augur_add_sat(m->min_weights, augur_add_sat(weight_bytes(s->params),
		                                                    weight_bytes(s->stats)));
		if (s->workspace_bytes > m->min_workspace)
			m->min_workspace = s->workspace_bytes;
	}
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

void augur_memory_update(const struct augur_net *net, struct augur_analysis *a)
{
	paper_view(net, a);
	allocated_view(a);
	minimal_view(a);
}

static bool saturated(const struct augur_memory *m)
{
	return m->paper_weights == UINT64_MAX || m->paper_data == UINT64_MAX ||
	       m->paper_workspace == UINT64_MAX || m->alloc_params == UINT64_MAX ||
	       m->alloc_stats == UINT64_MAX || m->alloc_data == UINT64_MAX ||
	       m->alloc_workspace == UINT64_MAX || m->min_weights == UINT64_MAX;
}

/* A sum that never saturated is the exact sum of its terms: one term can be swapped. */
static uint64_t swap_term(uint64_t sum, uint64_t old, uint64_t now)
{
	return augur_add_sat(sum - old, now);
}

/* What a layer adds to the paper view's data: its blob and the split copies of it. */
static uint64_t paper_data_term(const struct augur_layer_stats *s)
{
	uint64_t copies = 0;
	if (s->readers > 1 && augur_mul_overflow(s->readers, s->out_bytes, &copies))
		copies = UINT64_MAX;
	return augur_add_sat(s->out_bytes, copies);
}

static uint64_t input_data_term(const struct augur_analysis *a, uint64_t input_bytes)
{
	return augur_add_sat(input_bytes,
	                     a->input_readers > 1 ? a->input_readers * input_bytes : 0);
}

/* Adds delta to the live bytes of steps [from, to]. */
static void shift_live(struct augur_analysis *a, size_t from, int64_t to, int64_t delta)
{
	for (int64_t k = (int64_t)from; k <= to; k++)
		a->layers[k].live_bytes = (uint64_t)((int64_t)a->layers[k].live_bytes + delta);
}

bool augur_memory_replace(const struct augur_net *net, struct augur_analysis *a, size_t i,
                          const struct augur_layer_stats *old)
{
	struct augur_memory *m = &a->memory;
	if (saturated(m))
		return false;
	const struct augur_layer_stats *s = &a->layers[i];
	enum augur_layer_type t = net->layers[i].type;
	if (t == AUGUR_LAYER_CONV || t == AUGUR_LAYER_FC || t == AUGUR_LAYER_DECONV)
		m->paper_weights = swap_term(m->paper_weights, weight_bytes(old->params),
		                             weight_bytes(s->params));
	m->paper_workspace =
	        swap_term(m->paper_workspace, old->workspace_paper_bytes, s->workspace_paper_bytes);
	m->paper_data = swap_term(m->paper_data, paper_data_term(old), paper_data_term(s));
	m->alloc_params =
	        swap_term(m->alloc_params, weight_bytes(old->params), weight_bytes(s->params));
	m->alloc_stats =
	        swap_term(m->alloc_stats, weight_bytes(old->stats), weight_bytes(s->stats));
	m->alloc_workspace =
	        swap_term(m->alloc_workspace, old->workspace_bytes, s->workspace_bytes);
	if (!s->in_place)
		m->alloc_data = swap_term(m->alloc_data, old->out_bytes, s->out_bytes);
	m->min_weights = swap_term(
	        m->min_weights, augur_add_sat(weight_bytes(old->params), weight_bytes(old->stats)),
	        augur_add_sat(weight_bytes(s->params), weight_bytes(s->stats)));
	const int64_t *owner = a->scratch + a->n_layers + 1, *end = owner + a->n_layers + 1;
	if (owner[i] == (int64_t)i && old->out_bytes != s->out_bytes)
		shift_live(a, i, end[i], (int64_t)s->out_bytes - (int64_t)old->out_bytes);
	return true;
}

bool augur_memory_replace_input(struct augur_analysis *a, uint64_t old_input_bytes)
{
	struct augur_memory *m = &a->memory;
	if (saturated(m))
		return false;
	m->paper_data = swap_term(m->paper_data, input_data_term(a, old_input_bytes),
	                          input_data_term(a, a->input_bytes));
	m->alloc_data = swap_term(m->alloc_data, old_input_bytes, a->input_bytes);
	const int64_t *end = a->scratch + 2 * (a->n_layers + 1);
	shift_live(a, 0, end[a->n_layers], (int64_t)a->input_bytes - (int64_t)old_input_bytes);
	return true;
}

void augur_memory_finish(struct augur_analysis *a)
{
	struct augur_memory *m = &a->memory;
	m->alloc_total = augur_add_sat(augur_add_sat(m->alloc_params, m->alloc_stats),
	                               augur_add_sat(m->alloc_data, m->alloc_workspace));
	m->min_workspace = m->min_data_peak = 0;
	m->min_peak_layer = 0;
	for (size_t i = 0; i < a->n_layers; i++) {
		const struct augur_layer_stats *s = &a->layers[i];
		if (s->workspace_bytes > m->min_workspace)
			m->min_workspace = s->workspace_bytes;
		if (s->live_bytes > m->min_data_peak) {
			m->min_data_peak = s->live_bytes;
			m->min_peak_layer = i;
		}
	}
	m->min_total =
	        augur_add_sat(augur_add_sat(m->min_weights, m->min_workspace), m->min_data_peak);
}

void augur_memory_compute(const struct augur_net *net, struct augur_analysis *a)
{
	structure(net, a);
	augur_memory_update(net, a);
}

/* The bytes of layer i's first input blob, whole batch. */
static uint64_t input_blob_bytes(const struct augur_net *net, const struct augur_analysis *a,
                                 size_t i)
{
	int32_t from = net->layers[i].inputs[0];
	return from == AUGUR_NET_INPUT ? a->input_bytes : a->layers[from].out_bytes;
}

/* A direct convolution's blocked copies: its output, and an ungrouped one's input (oneDNN
 * through PyTorch 1.13, first call of a conv alone: 64 -> 64 channels on 224x224 peaked
 * 40.5 MiB above its input, output 12.2 plus 28; a depthwise one on 49 MiB, 101 MiB: the
 * output twice). */
static uint64_t blocked_copy_bytes(const struct augur_net *net, const struct augur_analysis *a,
                                   size_t i, bool input)
{
	if (input)
		return net->layers[i].groups > 1 ? 0 : input_blob_bytes(net, a, i);
	return a->layers[i].out_bytes;
}

uint64_t augur_layer_workspace(const struct augur_net *net, const struct augur_analysis *a,
                               size_t i, enum augur_conv_workspace rule)
{
	const struct augur_layer_stats *s = &a->layers[i];
	const struct augur_layer *l = &net->layers[i];
	if (l->type != AUGUR_LAYER_CONV || rule == AUGUR_CONV_COLUMNS)
		return s->workspace_bytes;
	if (rule == AUGUR_CONV_BLOCKED)
		return augur_add_sat(blocked_copy_bytes(net, a, i, false),
		                     blocked_copy_bytes(net, a, i, true));
	if (l->groups <= 1)
		return s->workspace_bytes;
	/* workspace_paper_bytes is one group's columns; a direct conv has none */
	return augur_add_sat(s->workspace_bytes ? s->workspace_paper_bytes : 0, s->out_bytes);
}

uint64_t augur_memory_model_bytes(const struct augur_net *net, const struct augur_analysis *a,
                                  bool minimal, enum augur_conv_workspace rule)
{
	const struct augur_memory *m = &a->memory;
	if (rule == AUGUR_CONV_COLUMNS)
		return minimal ? m->min_total : m->alloc_total;
	uint64_t sum = 0, most = 0;
	for (size_t i = 0; i < a->n_layers; i++) {
		uint64_t w = augur_layer_workspace(net, a, i, rule);
		sum = augur_add_sat(sum, w);
		if (w > most)
			most = w;
	}
	if (minimal)
		return augur_add_sat(augur_add_sat(m->min_weights, most), m->min_data_peak);
	return augur_add_sat(augur_add_sat(m->alloc_params, m->alloc_stats),
	                     augur_add_sat(m->alloc_data, sum));
}

bool augur_conv_runs_direct(const struct augur_net *net, const struct augur_analysis *a, size_t i,
                            const struct augur_conv_dispatch *d)
{
	const struct augur_layer *l = &net->layers[i];
	if (!d->direct || l->type != AUGUR_LAYER_CONV)
		return false;
	bool one_by_one = l->kernel.h == 1 && l->kernel.w == 1 && l->stride.h == 1 &&
	                  l->stride.w == 1 && l->dilation.h == 1 && l->dilation.w == 1;
	if (d->min_batch_1x1 && one_by_one && a->batch < d->min_batch_1x1 && d->threads <= 1)
		return false;
	if (!d->min_input_values || l->groups > 1 || (l->kernel.h > 3 && l->kernel.w > 3) ||
	    a->batch > 1)
		return true;
	const struct augur_shape *in = &a->layers[i].in;
	uint64_t values;
	return augur_mul3_overflow(in->c, in->h, in->w, &values) || values > d->min_input_values;
}

uint32_t augur_conv_direct_width(const struct augur_net *net, const struct augur_analysis *a,
                                 size_t i, const struct augur_conv_dispatch *d)
{
	const struct augur_layer *l = &net->layers[i];
	uint32_t groups = l->groups ? l->groups : 1, block = d->block ? d->block : 8;
	uint32_t cin = a->layers[i].in.c / groups, cout = l->filters / groups;
	if (groups == 1 || cin <= 1 || (cin % block == 0 && cout % block == 0))
		return block;
	/* oneDNN's AVX-512 kernels (blocks of 16) try 8- and then 4-wide vectors for a
	 * grouped conv (jit_avx512_common_conv_fwd_kernel::init_conf, "lower zmm") */
	if (block == 16)
		for (uint32_t width = 8; width >= 4; width /= 2)
			if (cin % width == 0 && cout % width == 0)
				return width;
	return 0;
}

bool augur_conv_direct_in_blocks(const struct augur_net *net, const struct augur_analysis *a,
                                 size_t i, const struct augur_conv_dispatch *d)
{
	return augur_conv_direct_width(net, a, i, d) != 0;
}

/* The output of direct convolution i in the library's blocked layout: its channels
 * rounded up to whole blocks. */
static uint64_t blocked_output_bytes(const struct augur_net *net, const struct augur_analysis *a,
                                     size_t i, const struct augur_conv_dispatch *d)
{
	const struct augur_layer *l = &net->layers[i];
	uint64_t block = d->block ? d->block : 8, bytes;
	uint64_t rounded = (l->filters + block - 1) / block * block;
	if (augur_mul_overflow(a->layers[i].out_bytes / (l->filters ? l->filters : 1), rounded,
	                       &bytes))
		return UINT64_MAX;
	return bytes;
}

/* Layer i's buffers in one pass, through the simulated heap: a convolution's columns (a
 * grouped one's group by group, each group's output a buffer of its own until they are
 * concatenated) or blocked copies, an LRN's temporaries, a max pool's indices; then its
 * output (unless it writes over its input); the transients freed once it is done. */
static int run_layer(const struct augur_net *net, const struct augur_analysis *a, size_t i,
                     const struct augur_heap_facts *f, struct augur_heapsim *h, const int64_t *own,
                     struct augur_heapsim_block *out, struct augur_heapsim_block *parts)
{
	const struct augur_layer_stats *s = &a->layers[i];
	const struct augur_layer *l = &net->layers[i];
	struct augur_heapsim_block t[2];
	size_t n_t = 0;
	int rc = AUGUR_OK;
	bool conv = l->type == AUGUR_LAYER_CONV;
	if (conv && f->rule == AUGUR_CONV_COLUMNS_BY_GROUP && l->groups > 1) {
		uint64_t columns = s->workspace_bytes ? s->workspace_paper_bytes : 0;
		for (uint32_t g = 0; g < l->groups && !rc; g++) {
			struct augur_heapsim_block c;
			if (columns && (rc = augur_heapsim_alloc(h, columns, &c)))
				break;
			rc = augur_heapsim_alloc(h, s->out_bytes / l->groups, &parts[g]);
			if (columns)
				augur_heapsim_free(h, &c);
		}
		if (!rc)
			rc = augur_heapsim_alloc(h, s->out_bytes, out);
		for (uint32_t g = 0; g < l->groups; g++)
			augur_heapsim_free(h, &parts[g]);
		return rc;
	}
	if (l->type == AUGUR_LAYER_LRN) {
		struct augur_heapsim_block *held = parts;
		uint32_t k = 0;
		for (; k < f->lrn_temporaries && !rc; k++)
			rc = augur_heapsim_alloc(h, s->out_bytes, &held[k]);
		if (!rc)
			rc = augur_heapsim_alloc(h, s->out_bytes, out);
		while (k--)
			augur_heapsim_free(h, &held[k]);
		return rc;
	}
	if (conv && f->rule == AUGUR_CONV_BLOCKED &&
	    augur_conv_runs_direct(net, a, i, &f->dispatch)) {
		/* oneDNN through PyTorch 1.13 (traced): the input in its blocked layout (a conv
		 * reading at least a block of channels per group: a 4-group conv of 16 channels
		 * per group copies its input, a depthwise one does not), the weights reordered,
		 * the output in blocked layout (channels rounded up to the block); the weights'
		 * and input's copies freed, then PyTorch's output, then the blocked one freed */
		uint64_t block = f->dispatch.block ? f->dispatch.block : 8;
		uint64_t cin = s->in.c / (l->groups ? l->groups : 1);
		uint64_t blocked_out = blocked_output_bytes(net, a, i, &f->dispatch);
		struct augur_heapsim_block bout;
		if (cin >= block &&
		    !(rc = augur_heapsim_alloc(h, input_blob_bytes(net, a, i), &t[n_t])))
			n_t++;
		if (!rc && s->params &&
		    !(rc = augur_heapsim_alloc(h, weight_bytes(s->params), &t[n_t])))
			n_t++;
		if (!rc)
			rc = augur_heapsim_alloc(h, blocked_out, &bout);
		while (n_t--)
			augur_heapsim_free(h, &t[n_t]);
		if (rc)
			return rc;
		rc = augur_heapsim_alloc(h, s->out_bytes, out);
		augur_heapsim_free(h, &bout);
		return rc;
	} else {
		if (s->workspace_bytes &&
		    !(rc = augur_heapsim_alloc(h, s->workspace_bytes, &t[n_t])))
			n_t++;
		if (!rc && own[i] == (int64_t)i)
			rc = augur_heapsim_alloc(h, s->out_bytes, out);
		/* max pooling's indices, written beside its output and dropped */
		uint64_t index_bytes;
		if (!rc && l->type == AUGUR_LAYER_POOL && l->op == AUGUR_POOL_MAX &&
		    f->pool_index_bytes &&
		    !augur_mul_overflow(s->out_bytes / AUGUR_BYTES_PER_VALUE, f->pool_index_bytes,
		                        &index_bytes) &&
		    !(rc = augur_heapsim_alloc(h, index_bytes, &t[n_t])))
			n_t++;
	}
	while (n_t--)
		augur_heapsim_free(h, &t[n_t]);
	return rc;
}

/* The weights: each tensor on its own, through a staging buffer of its size when the
 * framework stages them; then the input, held by the caller throughout. */
static int load_weights(const struct augur_analysis *a, const struct augur_heap_facts *f,
                        struct augur_heapsim *h, uint64_t *mapped_weights)
{
	int rc = AUGUR_OK;
	*mapped_weights = 0;
	for (size_t i = 0; i < a->n_layers && !rc; i++) {
		uint64_t tensors[2] = {weight_bytes(a->layers[i].params),
		                       weight_bytes(a->layers[i].stats)};
		for (int k = 0; k < 2 && !rc; k++) {
			struct augur_heapsim_block stage, w;
			if (!tensors[k])
				continue;
			if (f->staged_weights && (rc = augur_heapsim_alloc(h, tensors[k], &stage)))
				break;
			if (!(rc = augur_heapsim_alloc(h, tensors[k], &w)) && w.mapped)
				*mapped_weights = augur_add_sat(*mapped_weights, w.bytes);
			if (f->staged_weights)
				augur_heapsim_free(h, &stage);
		}
	}
	struct augur_heapsim_block input;
	if (!rc)
		rc = augur_heapsim_alloc(h, a->input_bytes, &input);
	if (!rc && f->staged_weights)
		rc = augur_heapsim_trim(h);
	return rc;
}

/* Which buffer each layer's output lives in (own[i], -1 the input) and the last step
 * reading each buffer (last[i], last[n] the input's), as the analysis's structure has
 * them but with the framework's batchnorm and scale writing buffers of their own when
 * f says so. */
static void heap_lifetimes(const struct augur_net *net, const struct augur_analysis *a,
                           const struct augur_heap_facts *f, int64_t *own, int64_t *last)
{
	size_t n = a->n_layers;
	const int64_t *owner = a->scratch + n + 1;
	for (size_t i = 0; i <= n; i++)
		last[i] = 0;
	for (size_t i = 0; i < n; i++) {
		enum augur_layer_type t = net->layers[i].type;
		bool forced = f->affine_out_of_place &&
		              (t == AUGUR_LAYER_BATCHNORM || t == AUGUR_LAYER_SCALE);
		int32_t src = net->layers[i].inputs[0];
		if (owner[i] != (int64_t)i && !forced)
			own[i] = src == AUGUR_NET_INPUT ? -1 : own[src];
		else
			own[i] = (int64_t)i;
		size_t slot = own[i] < 0 ? n : (size_t)own[i];
		int64_t until = a->layers[i].last_reader > i ? (int64_t)a->layers[i].last_reader
		                                             : (int64_t)i;
		/* a buffer's readers are its layers' readers: each was counted as its writer's
		 * last_reader, so nothing is read past its slot's last */
		if (until > last[slot])
			last[slot] = until;
	}
}

/* The largest buffer a convolution of a's network takes from the heap and frees again
 * in every pass, under f: its columns (one group's, when groups fill theirs one at a
 * time), or a direct convolution's blocked output. Buffers above map_above are mapped,
 * not heap. */
static uint64_t largest_heap_transient(const struct augur_net *net, const struct augur_analysis *a,
                                       const struct augur_heap_facts *f)
{
	uint64_t most = 0;
	for (size_t i = 0; i < a->n_layers; i++) {
		const struct augur_layer *l = &net->layers[i];
		const struct augur_layer_stats *s = &a->layers[i];
		if (l->type != AUGUR_LAYER_CONV)
			continue;
		uint64_t bytes;
		if (f->rule == AUGUR_CONV_BLOCKED &&
		    augur_conv_runs_direct(net, a, i, &f->dispatch))
			bytes = blocked_output_bytes(net, a, i, &f->dispatch);
		else
			bytes = f->rule == AUGUR_CONV_COLUMNS_BY_GROUP && l->groups > 1
			                ? s->workspace_paper_bytes
			                : s->workspace_bytes;
		if (bytes <= f->map_above && bytes > most)
			most = bytes;
	}
	return most;
}

/* Passes simulated: the heap settles by the second (what the first leaves free is where
 * the next one's buffers land); the third confirms. */
enum { HEAP_PASSES = 3 };

int augur_memory_heap_view(const struct augur_net *net, const struct augur_analysis *a,
                           const struct augur_heap_facts *f, struct augur_heap_view *out)
{
	size_t n = a->n_layers;
	uint32_t most_parts = f->lrn_temporaries;
	for (size_t i = 0; i < n; i++)
		if (net->layers[i].groups > most_parts)
			most_parts = net->layers[i].groups;
	/* blocks[i]: layer i's output; frees[s]: the outputs whose last reader runs at step s,
	 * chained through next (outputs nobody reads are held to the pass's end, step n) */
	struct augur_heapsim_block *blocks = calloc(n + 1, sizeof(*blocks));
	struct augur_heapsim_block *parts = calloc(most_parts + 1, sizeof(*parts));
	size_t *frees = malloc((n + 1) * sizeof(*frees)), *next = malloc((n + 1) * sizeof(*next));
	int64_t *own = malloc((n + 1) * sizeof(*own)), *last = malloc((n + 1) * sizeof(*last));
	struct augur_heapsim h;
	augur_heapsim_init(&h, (struct augur_heapsim_params){
	                               .map_above = f->map_above,
	                               .slack = f->slack_bytes,
	                               .trim_above = augur_heap_trim_bytes(f->map_above),
	                               .page_bytes = f->page_bytes,
	                       });
	int rc = AUGUR_E_NOMEM;
	uint64_t mapped_weights = 0;
	if (!blocks || !parts || !frees || !next || !own || !last)
		goto out;
	heap_lifetimes(net, a, f, own, last);
	for (size_t s = 0; s <= n; s++)
		frees[s] = SIZE_MAX;
	for (size_t i = n; i-- > 0;) {
		if (own[i] != (int64_t)i)
			continue;
		size_t s = a->layers[i].readers ? (size_t)last[i] : n;
		next[i] = frees[s];
		frees[s] = i;
	}
	if ((rc = load_weights(a, f, &h, &mapped_weights)))
		goto out;
	augur_heapsim_reset_peak(&h);
	for (int pass = 0; pass < HEAP_PASSES && !rc; pass++) {
		for (size_t i = 0; i < n && !rc; i++) {
			if ((rc = run_layer(net, a, i, f, &h, own, &blocks[i], parts)))
				break;
			for (size_t j = frees[i]; j != SIZE_MAX; j = next[j])
				augur_heapsim_free(&h, &blocks[j]);
		}
		for (size_t j = frees[n]; !rc && j != SIZE_MAX; j = next[j])
			augur_heapsim_free(&h, &blocks[j]);
	}
	if (rc)
		goto out;
	out->hole_bytes = f->slack_bytes ? largest_heap_transient(net, a, f) : 0;
	out->weights_bytes = a->memory.min_weights;
	out->mapped_bytes = h.peak_mapped > mapped_weights ? h.peak_mapped - mapped_weights : 0;
	uint64_t rest = augur_add_sat(out->weights_bytes, out->mapped_bytes);
	out->heap_bytes = h.peak > rest ? h.peak - rest : 0;
out:
	augur_heapsim_clear(&h);
	free(blocks);
	free(parts);
	free(frees);
	free(next);
	free(own);
	free(last);
	return rc;
}

static bool same_hw(struct augur_hw x, struct augur_hw y)
{
	return x.h == y.h && x.w == y.w;
}

static bool same_shape(const struct augur_shape *x, const struct augur_shape *y)
{
	return x->c == y->c && x->h == y->h && x->w == y->w;
}

/* Whether convolutions i and j would compile to the same primitive. */
static bool same_conv(const struct augur_net *net, const struct augur_analysis *a, size_t i,
                      size_t j)
{
	const struct augur_layer *x = &net->layers[i], *y = &net->layers[j];
	return x->filters == y->filters && x->groups == y->groups &&
	       same_hw(x->kernel, y->kernel) && same_hw(x->stride, y->stride) &&
	       same_hw(x->pad, y->pad) && same_hw(x->dilation, y->dilation) &&
	       same_shape(&a->layers[i].in, &a->layers[j].in) &&
	       same_shape(&a->layers[i].out, &a->layers[j].out);
}

uint64_t augur_memory_distinct_conv_output_bytes(const struct augur_net *net,
                                                 const struct augur_analysis *a,
                                                 const struct augur_conv_dispatch *d)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < a->n_layers; i++) {
		if (!augur_conv_runs_direct(net, a, i, d))
			continue;
		/* same_conv compares shapes, so a conv equal to an earlier one runs as it did */
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = net->layers[j].type == AUGUR_LAYER_CONV && same_conv(net, a, i, j);
		if (!seen)
			sum = augur_add_sat(sum, a->layers[i].out_bytes);
	}
	return sum;
}

bool augur_net_has_conv(const struct augur_net *net)
{
	for (size_t i = 0; i < net->n_layers; i++)
		if (net->layers[i].type == AUGUR_LAYER_CONV ||
		    net->layers[i].type == AUGUR_LAYER_DECONV)
			return true;
	return false;
}
