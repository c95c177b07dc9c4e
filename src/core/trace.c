/* Shape tracing (see trace.h). */
#include <stdarg.h>
#include <stdio.h>

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
		if ((concat && !same_map) || (!concat && (!same_map || s->c != first->c))) {
			char a[64], b[64];
			shape_str(first, a, sizeof(a));
			shape_str(s, b, sizeof(b));
			return err_key(
			        net, l, AUGUR_KEY_INPUTS, AUGUR_E_SHAPE, diag,
			        concat ? "inputs of concat layer '%s' differ in spatial size: "
			                 "'%s' is %s, '%s' is %s"
			               : "inputs of eltwise layer '%s' differ in shape: '%s' "
			                 "is %s, '%s' is %s",
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
