/* Shape tracing (see trace.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis.h"
#include "checked.h"
#include "trace.h"

static void err_key_fill(const struct augur_net *net, const struct augur_layer *l,
                         enum augur_key key, int code, struct augur_diag *diag, const char *fmt,
                         ...) __attribute__((format(printf, 6, 7)));
/* err_key returns the error code: a macro over err_key_fill, so the static analyser (which does
 * not follow variadic functions) sees a failure stay a failure. */
#define err_key(net, l, key, code, ...)                                                            \
	(err_key_fill((net), (l), (key), (code), __VA_ARGS__), (code))

/* Points at the key's value if the descriptor gave it, else at the layer entry. */
static void err_key_fill(const struct augur_net *net, const struct augur_layer *l,
                         enum augur_key key, int code, struct augur_diag *diag, const char *fmt,
                         ...)
{
	struct augur_loc at = l->key_loc[key].line ? l->key_loc[key] : l->loc;
	va_list ap;
	va_start(ap, fmt);
	augur_diag_vfill(diag, code, net->path, at.line, at.col, fmt, ap);
	va_end(ap);
}

bool augur_window_out(uint64_t in, uint32_t kernel, uint32_t stride, uint32_t pad,
                      uint32_t dilation, bool ceil_mode, uint64_t *out)
{
	uint64_t padded, last;
	if (kernel == 0 || stride == 0 || augur_add_overflow(in, 2ull * pad, &padded))
		return false;
	/* both factors are below 2^32, so the extent cannot wrap */
	uint64_t extent = (uint64_t)dilation * (kernel - 1) + 1;
	if (padded < extent)
		return false;
	uint64_t span = padded - extent;
	uint64_t o = (ceil_mode ? span / stride + (span % stride != 0) : span / stride) + 1;
	/* Caffe: with padding, a last window that would start inside the right padding is
	 * dropped, so every window overlaps the image. */
	if (ceil_mode && pad > 0 && !augur_mul_overflow(o - 1, stride, &last) && last >= in + pad)
		o--;
	*out = o;
	return true;
}

bool augur_shape_elems(const struct augur_shape *s, uint64_t *out)
{
	return !augur_mul3_overflow(s->c, s->h, s->w, out);
}

static void shape_str(const struct augur_shape *s, char *buf, size_t size)
{
	if (s->rank == 1)
		snprintf(buf, size, "%llu", (unsigned long long)s->c);
	else
		snprintf(buf, size, "%llux%llux%llu", (unsigned long long)s->c,
		         (unsigned long long)s->h, (unsigned long long)s->w);
}

static const struct augur_shape *input_shape(const struct augur_net *net,
                                             const struct augur_layer_stats *earlier, int32_t idx)
{
	return idx == AUGUR_NET_INPUT ? &net->input : &earlier[idx].out;
}

static const char *input_name(const struct augur_net *net, int32_t idx)
{
	return idx == AUGUR_NET_INPUT ? "input" : net->layers[idx].name;
}

static int trace_window(const struct augur_net *net, const struct augur_layer *l,
                        const struct augur_shape *in, struct augur_shape *out,
                        struct augur_diag *diag)
{
	bool pool = l->type == AUGUR_LAYER_POOL;
	const char *kind = augur_layer_type_name(l->type);
	if (pool && l->global) {
		*out = (struct augur_shape){in->c, 1, 1, 3};
		return AUGUR_OK;
	}
	if (pool && (l->pad.h >= l->kernel.h || l->pad.w >= l->kernel.w))
		return err_key(net, l, AUGUR_KEY_PAD, AUGUR_E_SHAPE, diag,
		               "padding %ux%u of pool layer '%s' must be smaller than its kernel "
		               "%ux%u",
		               l->pad.h, l->pad.w, l->name, l->kernel.h, l->kernel.w);
	uint64_t oh, ow;
	bool ceil_mode = pool && l->ceil;
	uint32_t dil_h = pool ? 1 : l->dilation.h, dil_w = pool ? 1 : l->dilation.w;
	if (!augur_window_out(in->h, l->kernel.h, l->stride.h, l->pad.h, dil_h, ceil_mode, &oh) ||
	    !augur_window_out(in->w, l->kernel.w, l->stride.w, l->pad.w, dil_w, ceil_mode, &ow)) {
		char s[64];
		shape_str(in, s, sizeof(s));
		return err_key(net, l, AUGUR_KEY_KERNEL, AUGUR_E_SHAPE, diag,
		               "kernel %ux%u of %s layer '%s' is larger than its padded input "
		               "(input %s, pad %ux%u, dilation %ux%u)",
		               l->kernel.h, l->kernel.w, kind, l->name, s, l->pad.h, l->pad.w,
		               dil_h, dil_w);
	}
	uint64_t c = pool ? in->c : l->filters;
	*out = (struct augur_shape){c, oh, ow, 3};
	return AUGUR_OK;
}

/* Eltwise broadcasting: each of C, H, W equal, or 1 in one of the two (a C x 1 x 1
 * per-channel vector times a C x H x W map is a squeeze-and-excitation block's scale). */
static bool broadcast(const struct augur_shape *a, const struct augur_shape *b,
                      struct augur_shape *out)
{
	if (a->rank != b->rank)
		return false;
	const uint64_t x[3] = {a->c, a->h, a->w}, y[3] = {b->c, b->h, b->w};
	uint64_t z[3];
	for (int i = 0; i < 3; i++) {
		if (x[i] != y[i] && x[i] != 1 && y[i] != 1)
			return false;
		z[i] = x[i] > y[i] ? x[i] : y[i];
	}
	*out = (struct augur_shape){z[0], z[1], z[2], a->rank};
	return true;
}

static int trace_multi(const struct augur_net *net, const struct augur_layer *l,
                       const struct augur_layer_stats *shapes, struct augur_shape *out,
                       struct augur_diag *diag)
{
	const struct augur_shape *first = input_shape(net, shapes, l->inputs[0]);
	*out = *first;
	bool concat = l->type == AUGUR_LAYER_CONCAT;
	for (uint32_t j = 1; j < l->n_inputs; j++) {
		const struct augur_shape *s = input_shape(net, shapes, l->inputs[j]);
		bool same_map = s->h == first->h && s->w == first->w;
		if ((concat && !same_map) || (!concat && !broadcast(out, s, out))) {
			char a[64], b[64];
			shape_str(first, a, sizeof(a));
			shape_str(s, b, sizeof(b));
			return err_key(
			        net, l, AUGUR_KEY_INPUTS, AUGUR_E_SHAPE, diag,
			        concat ? "inputs of concat layer '%s' differ in spatial size: "
			                 "'%s' is %s, '%s' is %s"
			               : "inputs of eltwise layer '%s' differ in shape and do "
			                 "not broadcast: '%s' is %s, '%s' is %s",
			        l->name, input_name(net, l->inputs[0]), a,
			        input_name(net, l->inputs[j]), b);
		}
		if (concat && augur_add_overflow(out->c, s->c, &out->c))
			return err_key(net, l, AUGUR_KEY_INPUTS, AUGUR_E_OVERFLOW, diag,
			               "output of concat layer '%s' has too many channels",
			               l->name);
	}
	return AUGUR_OK;
}

/* deconv: the output a convolution of the same window would take as input. */
static int trace_deconv(const struct augur_net *net, const struct augur_layer *l,
                        const struct augur_shape *in, struct augur_shape *out,
                        struct augur_diag *diag)
{
	uint64_t o[2];
	const uint64_t x[2] = {in->h, in->w};
	const uint32_t k[2] = {l->kernel.h, l->kernel.w}, s[2] = {l->stride.h, l->stride.w},
	               p[2] = {l->pad.h, l->pad.w}, d[2] = {l->dilation.h, l->dilation.w};
	if (in->c % l->groups || l->filters % l->groups)
		return err_key(net, l, AUGUR_KEY_GROUPS, AUGUR_E_SHAPE, diag,
		               "groups %u of deconv layer '%s' must divide both its input "
		               "channels (%llu) and its filters (%u)",
		               l->groups, l->name, (unsigned long long)in->c, l->filters);
	for (int i = 0; i < 2; i++) {
		/* (in - 1) * stride + dilation * (kernel - 1) + 1 - 2 * pad; every factor is
		 * below 2^32, so nothing wraps */
		uint64_t full = (x[i] - 1) * s[i] + (uint64_t)d[i] * (k[i] - 1) + 1;
		if (full <= 2ull * p[i])
			return err_key(net, l, AUGUR_KEY_PAD, AUGUR_E_SHAPE, diag,
			               "padding %ux%u of deconv layer '%s' leaves no output",
			               l->pad.h, l->pad.w, l->name);
		o[i] = full - 2ull * p[i];
	}
	*out = (struct augur_shape){l->filters, o[0], o[1], 3};
	return AUGUR_OK;
}

/* crop (Caffe's CropLayer): the axes from 'axis' on (1 C, 2 H, 3 W) take the second
 * input's size (or output_size, H and W), the others the first's; each window starts at
 * its offset and must fit inside the first input (offsets along the axes not cut are
 * not read). */
static int trace_crop(const struct augur_net *net, const struct augur_layer *l,
                      const struct augur_layer_stats *shapes, const struct augur_shape *in,
                      struct augur_shape *out, struct augur_diag *diag)
{
	const struct augur_shape *ref =
	        l->n_inputs > 1 ? input_shape(net, shapes, l->inputs[1]) : NULL;
	static const char *const axis[3] = {"C", "H", "W"};
	const uint64_t from[3] = {in->c, in->h, in->w};
	uint64_t to[3] = {in->c, in->h, in->w};
	unsigned first = l->axis >= 1 && l->axis <= 3 ? l->axis - 1u : 1u;
	if (!ref && !l->out_size.h)
		return err_key(net, l, AUGUR_KEY_TYPE, AUGUR_E_SHAPE, diag,
		               "crop layer '%s' needs a second input or 'output_size'", l->name);
	if (!ref && first != 1)
		return err_key(
		        net, l, AUGUR_KEY_AXIS, AUGUR_E_SHAPE, diag,
		        "crop layer '%s' cuts to 'output_size' (H and W): its axis must be 2",
		        l->name);
	if (ref && ref->rank != 3 && first > 0)
		return err_key(net, l, AUGUR_KEY_INPUTS, AUGUR_E_SHAPE, diag,
		               "crop layer '%s' takes its size from a vector, which has no H or W",
		               l->name);
	for (unsigned i = first; i < 3; i++)
		to[i] = !ref     ? (i == 1 ? l->out_size.h : l->out_size.w)
		        : i == 0 ? ref->c
		        : i == 1 ? ref->h
		                 : ref->w;
	for (unsigned i = 0; i < 3; i++) {
		if (i >= first && to[i] + l->offset[i] > from[i])
			return err_key(net, l,
			               l->offset[i] ? AUGUR_KEY_OFFSET
			               : ref        ? AUGUR_KEY_INPUTS
			                            : AUGUR_KEY_OUTPUT_SIZE,
			               AUGUR_E_SHAPE, diag,
			               "crop layer '%s' cuts %llu values at offset %u along %s out "
			               "of its input's %llu",
			               l->name, (unsigned long long)to[i], l->offset[i], axis[i],
			               (unsigned long long)from[i]);
	}
	*out = (struct augur_shape){to[0], to[1], to[2], 3};
	return AUGUR_OK;
}

/* upsample: by integer factors, or to output_size. */
static int trace_upsample(const struct augur_net *net, const struct augur_layer *l,
                          const struct augur_shape *in, struct augur_shape *out,
                          struct augur_diag *diag)
{
	if (l->out_size.h) {
		*out = (struct augur_shape){in->c, l->out_size.h, l->out_size.w, 3};
		return AUGUR_OK;
	}
	if (!l->scale.h)
		return err_key(net, l, AUGUR_KEY_TYPE, AUGUR_E_SHAPE, diag,
		               "upsample layer '%s' needs 'scale' or 'output_size'", l->name);
	*out = (struct augur_shape){in->c, 0, 0, 3};
	if (augur_mul_overflow(in->h, l->scale.h, &out->h) ||
	    augur_mul_overflow(in->w, l->scale.w, &out->w))
		return err_key(net, l, AUGUR_KEY_SCALE, AUGUR_E_OVERFLOW, diag,
		               "output of upsample layer '%s' is too large", l->name);
	/* caffe-segnet's pad_out_h / pad_out_w: one row or column fewer than scaled */
	if (out->h <= l->trim.h || out->w <= l->trim.w)
		return err_key(net, l, AUGUR_KEY_TRIM, AUGUR_E_SHAPE, diag,
		               "upsample layer '%s' trims its whole output", l->name);
	out->h -= l->trim.h;
	out->w -= l->trim.w;
	return AUGUR_OK;
}

/* reshape and permute: the same values in another shape. */
static int trace_reshape(const struct augur_net *net, const struct augur_layer *l,
                         const struct augur_shape *in, uint64_t elems, struct augur_shape *out,
                         struct augur_diag *diag)
{
	if (l->type == AUGUR_LAYER_PERMUTE) {
		const uint64_t d[3] = {in->c, in->h, in->w};
		*out = (struct augur_shape){d[l->order[0] % 3], d[l->order[1] % 3],
		                            d[l->order[2] % 3], 3};
		return AUGUR_OK;
	}
	/* Caffe's rules without the batch: 0 copies the input's axis at that place, one -1
	 * takes what the count leaves */
	const uint64_t ind[3] = {in->c, in->h, in->w};
	const char *const axis[3] = {"C", "H", "W"};
	uint64_t d[3] = {1, 1, 1}, known = 1;
	int infer = -1;
	for (int i = 0; i < l->shape_rank && i < 3; i++) {
		if (l->shape[i] == 0 && i >= (in->rank == 3 ? 3 : 1))
			return err_key(net, l, AUGUR_KEY_SHAPE, AUGUR_E_SHAPE, diag,
			               "reshape layer '%s' copies axis %s (0) of its input, a "
			               "vector of %llu values that has no such axis",
			               l->name, axis[i], (unsigned long long)elems);
		if (l->shape[i] < 0) {
			infer = i;
			continue;
		}
		d[i] = l->shape[i] ? (uint64_t)l->shape[i] : ind[i];
		if (augur_mul_overflow(known, d[i], &known))
			known = UINT64_MAX;
	}
	if (infer >= 0 && known && elems % known == 0)
		d[infer] = elems / known;
	uint64_t n = 0;
	if (augur_mul3_overflow(d[0], d[1], d[2], &n) || n != elems || !n)
		return err_key(
		        net, l, AUGUR_KEY_SHAPE, AUGUR_E_SHAPE, diag,
		        "reshape layer '%s' cannot hold its input's %llu values in its shape",
		        l->name, (unsigned long long)elems);
	*out = l->shape_rank == 1 ? (struct augur_shape){d[0], 1, 1, 1}
	                          : (struct augur_shape){d[0], d[1], d[2], 3};
	return AUGUR_OK;
}

/* The layer types beyond the paper's: data movement and the newer activations. */
static int trace_more(const struct augur_net *net, const struct augur_layer *l,
                      const struct augur_shape *in, uint64_t elems, struct augur_shape *out,
                      struct augur_diag *diag)
{
	bool map = in->rank == 3;
	switch (l->type) {
	case AUGUR_LAYER_REDUCE:
		*out = (struct augur_shape){in->c, 1, 1, 3};
		break;
	case AUGUR_LAYER_SHUFFLE:
		if (l->groups == 0 || in->c % l->groups)
			return err_key(net, l, AUGUR_KEY_GROUPS, AUGUR_E_SHAPE, diag,
			               "groups %u of shuffle layer '%s' must divide its input "
			               "channels (%llu)",
			               l->groups, l->name, (unsigned long long)in->c);
		*out = *in;
		break;
	case AUGUR_LAYER_SLICE:
		if (l->range[0] >= l->range[1] || l->range[1] > in->c)
			return err_key(
			        net, l, AUGUR_KEY_RANGE, AUGUR_E_SHAPE, diag,
			        "range [%u, %u] of slice layer '%s' is not within its input's "
			        "%llu channels",
			        l->range[0], l->range[1], l->name, (unsigned long long)in->c);
		*out = (struct augur_shape){l->range[1] - l->range[0], in->h, in->w, in->rank};
		break;
	case AUGUR_LAYER_PAD:
		*out = (struct augur_shape){in->c, in->h + 2ull * l->pad.h, in->w + 2ull * l->pad.w,
		                            3};
		break;
	case AUGUR_LAYER_RESHAPE:
		return trace_reshape(net, l, in, elems, out, diag);
	case AUGUR_LAYER_PRIORBOX: {
		/* SSD's priors: 4 coordinates and 4 variances per box, priors boxes per
		 * position, one set for the batch (a vector here) */
		uint64_t n;
		if (augur_mul3_overflow(in->h * in->w, l->priors, 8, &n))
			return err_key(net, l, AUGUR_KEY_PRIORS, AUGUR_E_OVERFLOW, diag,
			               "output of priorbox layer '%s' is too large", l->name);
		*out = (struct augur_shape){n, 1, 1, 1};
		break;
	}
	default:
		*out = *in;
		map = true;
		break;
	}
	if (!map)
		return err_key(net, l, AUGUR_KEY_TYPE, AUGUR_E_SHAPE, diag,
		               "%s layer '%s' needs a C x H x W input, not a vector",
		               augur_layer_type_name(l->type), l->name);
	return AUGUR_OK;
}

int augur_trace_layer(const struct augur_net *net, size_t i, const struct augur_layer_stats *shapes,
                      struct augur_shape *in, struct augur_shape *out, struct augur_diag *diag)
{
	const struct augur_layer *l = &net->layers[i];
	*in = *input_shape(net, shapes, l->inputs[0]);
	uint64_t elems;
	if (!augur_shape_elems(in, &elems))
		return err_key(net, l, AUGUR_KEY_TYPE, AUGUR_E_OVERFLOW, diag,
		               "input of layer '%s' has more elements than 64 bits can count",
		               l->name);
	int rc = AUGUR_OK;
	switch (l->type) {
	case AUGUR_LAYER_CONV:
		if (in->c % l->groups || l->filters % l->groups)
			return err_key(net, l, AUGUR_KEY_GROUPS, AUGUR_E_SHAPE, diag,
			               "groups %u of conv layer '%s' must divide both its input "
			               "channels (%llu) and its filters (%u)",
			               l->groups, l->name, (unsigned long long)in->c, l->filters);
		rc = trace_window(net, l, in, out, diag);
		break;
	case AUGUR_LAYER_POOL:
		rc = trace_window(net, l, in, out, diag);
		break;
	case AUGUR_LAYER_FC:
		*out = (struct augur_shape){l->outputs, 1, 1, 1};
		break;
	case AUGUR_LAYER_FLATTEN:
		*out = (struct augur_shape){elems, 1, 1, 1};
		break;
	case AUGUR_LAYER_ELTWISE:
	case AUGUR_LAYER_CONCAT:
		rc = trace_multi(net, l, shapes, out, diag);
		break;
	case AUGUR_LAYER_DECONV:
	case AUGUR_LAYER_CROP:
	case AUGUR_LAYER_UPSAMPLE:
	case AUGUR_LAYER_PERMUTE:
		rc = in->rank != 3 ? err_key(net, l, AUGUR_KEY_TYPE, AUGUR_E_SHAPE, diag,
		                             "%s layer '%s' needs a C x H x W input, not a vector",
		                             augur_layer_type_name(l->type), l->name)
		     : l->type == AUGUR_LAYER_DECONV  ? trace_deconv(net, l, in, out, diag)
		     : l->type == AUGUR_LAYER_CROP    ? trace_crop(net, l, shapes, in, out, diag)
		     : l->type == AUGUR_LAYER_PERMUTE ? trace_reshape(net, l, in, elems, out, diag)
		                                      : trace_upsample(net, l, in, out, diag);
		break;
	case AUGUR_LAYER_REDUCE:
	case AUGUR_LAYER_SHUFFLE:
	case AUGUR_LAYER_SLICE:
	case AUGUR_LAYER_PAD:
	case AUGUR_LAYER_RESHAPE:
	case AUGUR_LAYER_PRIORBOX:
		rc = trace_more(net, l, in, elems, out, diag);
		break;
	case AUGUR_LAYER_DETECTION: /* keep boxes of 7 values (image, label, score, box) */
		*out = (struct augur_shape){(uint64_t)l->keep * 7, 1, 1, 1};
		break;
	default: /* element-wise and normalisation layers keep their input's shape */
		*out = *in;
		break;
	}
	if (rc)
		return rc;
	if (!augur_shape_elems(out, &elems))
		return err_key(net, l, AUGUR_KEY_TYPE, AUGUR_E_OVERFLOW, diag,
		               "output of layer '%s' has more elements than 64 bits can count",
		               l->name);
	return AUGUR_OK;
}

int augur_net_set_input(struct augur_net *net, const struct augur_shape *input)
{
	size_t n = net->n_layers;
	struct augur_layer_stats *st = calloc(n ? n : 1, sizeof(*st));
	uint8_t *tie = calloc(n ? n : 1, 1);
	struct augur_diag d;
	if (!st || !tie) {
		free(st);
		free(tie);
		return AUGUR_E_NOMEM;
	}
	/* under the file's input: which conv layers are depthwise (2: one filter a group) */
	for (size_t i = 0; i < n; i++) {
		const struct augur_layer *l = &net->layers[i];
		if (augur_trace_layer(net, i, st, &st[i].in, &st[i].out, &d))
			break;
		if (l->type == AUGUR_LAYER_CONV && l->groups > 1 && l->groups == st[i].in.c)
			tie[i] = l->filters == l->groups ? 2 : 1;
	}
	net->input = *input;
	for (size_t i = 0; i < n; i++) {
		struct augur_layer *l = &net->layers[i];
		int rc = augur_trace_layer(net, i, st, &st[i].in, &st[i].out, &d);
		if (tie[i] && st[i].in.c >= 1 && st[i].in.c <= AUGUR_MAX_DIM) {
			l->groups = (uint32_t)st[i].in.c;
			if (tie[i] == 2)
				l->filters = l->groups;
			rc = augur_trace_layer(net, i, st, &st[i].in, &st[i].out, &d);
		}
		if (rc)
			break;
	}
	free(st);
	free(tie);
	return AUGUR_OK;
}
