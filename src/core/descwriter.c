/* YAML descriptor writer (see descwriter.h). Keys come out in the order docs/descriptors.md
 * lists them; names are quoted only when YAML would read them as something else. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "descwriter.h"
#include "strbuf.h"

static void put_name(struct augur_strbuf *b, const char *s)
{
	static const char *const special[] = {
	        "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
	        "yes",  "Yes",  "YES",  "no",   "No",   "NO",   "on",    "On",    "ON",
	        "off",  "Off",  "OFF",  "y",    "Y",    "n",    "N"};
	bool plain = (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_';
	for (const char *p = s; *p && plain; p++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-",
		               *p) != NULL;
	for (size_t i = 0; plain && i < sizeof(special) / sizeof(*special); i++)
		plain = strcmp(s, special[i]) != 0;
	if (plain) {
		augur_strbuf_put(b, "%s", s);
		return;
	}
	augur_strbuf_put(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			augur_strbuf_put(b, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			augur_strbuf_put(b, "\\x%02x", *p);
		else
			augur_strbuf_put(b, "%c", *p);
	}
	augur_strbuf_put(b, "\"");
}

static void put_pair(struct augur_strbuf *b, const char *key, struct augur_hw v)
{
	if (v.h == v.w)
		augur_strbuf_put(b, ", %s: %u", key, v.h);
	else
		augur_strbuf_put(b, ", %s: [%u, %u]", key, v.h, v.w);
}

/* The shortest text strtod reads back as exactly v. */
static void put_double(struct augur_strbuf *b, const char *key, double v)
{
	char text[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(text, sizeof(text), "%.*g", prec, v);
		if (strtod(text, NULL) == v)
			break;
	}
	augur_strbuf_put(b, ", %s: %s", key, text);
}

static bool same_hw(struct augur_hw a, uint32_t v)
{
	return a.h == v && a.w == v;
}

static const char *input_name(const struct augur_net *net, int32_t idx)
{
	return idx == AUGUR_NET_INPUT ? "input" : net->layers[idx].name;
}

static void put_layer(struct augur_strbuf *b, const struct augur_net *net, size_t i)
{
	static const char *const pool_ops[] = {"max", "avg"};
	static const char *const eltwise_ops[] = {"sum", "prod", "max"};
	static const char *const upsample_ops[] = {"nearest", "bilinear"};
	const struct augur_layer *l = &net->layers[i];
	enum augur_layer_type t = l->type;
	augur_strbuf_put(b, "  - {name: ");
	put_name(b, l->name);
	augur_strbuf_put(b, ", type: %s", augur_layer_type_name(t));
	/* a layer reads the one before it unless it says otherwise */
	int32_t prev = i ? (int32_t)i - 1 : AUGUR_NET_INPUT;
	if (l->n_inputs != 1 || l->inputs[0] != prev) {
		augur_strbuf_put(b, ", inputs: %s", l->n_inputs == 1 ? "" : "[");
		for (uint32_t j = 0; j < l->n_inputs; j++) {
			if (j)
				augur_strbuf_put(b, ", ");
			put_name(b, input_name(net, l->inputs[j]));
		}
		augur_strbuf_put(b, "%s", l->n_inputs == 1 ? "" : "]");
	}
#define APPLIES(k) augur_key_applies(AUGUR_KEY_##k, t)
	if (APPLIES(FILTERS))
		augur_strbuf_put(b, ", filters: %u", l->filters);
	if (APPLIES(OUTPUTS))
		augur_strbuf_put(b, ", outputs: %u", l->outputs);
	if (APPLIES(KERNEL) && (t == AUGUR_LAYER_CONV || !l->global || l->kernel.h))
		put_pair(b, "kernel", l->kernel);
	if (APPLIES(STRIDE) && !same_hw(l->stride, 1))
		put_pair(b, "stride", l->stride);
	if (APPLIES(PAD) && !same_hw(l->pad, 0))
		put_pair(b, "pad", l->pad);
	if (APPLIES(DILATION) && !same_hw(l->dilation, 1))
		put_pair(b, "dilation", l->dilation);
	if (APPLIES(GROUPS) && (l->groups != 1 || t == AUGUR_LAYER_SHUFFLE))
		augur_strbuf_put(b, ", groups: %u", l->groups);
	if (APPLIES(BIAS) && !l->bias)
		augur_strbuf_put(b, ", bias: false");
	if (APPLIES(OP) && l->op != 0)
		augur_strbuf_put(b, ", op: %s",
		                 t == AUGUR_LAYER_POOL       ? pool_ops[l->op & 1]
		                 : t == AUGUR_LAYER_UPSAMPLE ? upsample_ops[l->op & 1]
		                                             : eltwise_ops[l->op % 3]);
	if (APPLIES(GLOBAL) && l->global)
		augur_strbuf_put(b, ", global: true");
	if (APPLIES(CEIL) && l->ceil)
		augur_strbuf_put(b, ", ceil: true");
	if (APPLIES(NEGATIVE_SLOPE) && l->negative_slope != 0)
		put_double(b, "negative_slope", l->negative_slope);
	if (APPLIES(MAX) && l->max != 0)
		put_double(b, "max", l->max);
	if (APPLIES(SIZE) && l->size != 5)
		augur_strbuf_put(b, ", size: %u", l->size);
	if (APPLIES(SHARED) && l->shared)
		augur_strbuf_put(b, ", shared: true");
	if (APPLIES(SCALE) && l->scale.h)
		put_pair(b, "scale", l->scale);
	if (APPLIES(OUTPUT_SIZE) && l->out_size.h)
		put_pair(b, "output_size", l->out_size);
	if (APPLIES(RANGE))
		augur_strbuf_put(b, ", range: [%u, %u]", l->range[0], l->range[1]);
	if (APPLIES(SHAPE)) {
		augur_strbuf_put(b, ", shape: [");
		for (uint8_t i = 0; i < l->shape_rank && i < 3; i++)
			augur_strbuf_put(b, "%s%lld", i ? ", " : "", (long long)l->shape[i]);
		augur_strbuf_put(b, "]");
	}
	if (APPLIES(PRIORS))
		augur_strbuf_put(b, ", priors: %u", l->priors);
	if (APPLIES(KEEP))
		augur_strbuf_put(b, ", keep: %u", l->keep);
	if (APPLIES(TRIM) && (l->trim.h || l->trim.w))
		put_pair(b, "trim", l->trim);
	if (APPLIES(AXIS) && l->axis != 2)
		augur_strbuf_put(b, ", axis: %u", l->axis);
	if (APPLIES(OFFSET) && (l->offset[0] || l->offset[1] || l->offset[2])) {
		augur_strbuf_put(b, ", offset: [");
		for (unsigned i = l->axis ? l->axis - 1u : 0; i < 3; i++)
			augur_strbuf_put(b, "%s%u", i + 1u == l->axis ? "" : ", ", l->offset[i]);
		augur_strbuf_put(b, "]");
	}
	if (APPLIES(ORDER))
		augur_strbuf_put(b, ", order: [%u, %u, %u]", l->order[0], l->order[1], l->order[2]);
#undef APPLIES
	augur_strbuf_put(b, "}\n");
}

int augur_descriptor_write(const struct augur_net *net, char **out, size_t *len, const char *header)
{
	*out = NULL;
	*len = 0;
	for (size_t i = 0; i < net->n_layers; i++)
		for (uint32_t j = 0; j < net->layers[i].n_inputs; j++) {
			int32_t in = net->layers[i].inputs[j];
			if (in < AUGUR_NET_INPUT || (in >= 0 && (size_t)in >= i))
				return AUGUR_E_USAGE;
		}
	struct augur_strbuf b = {0};
	for (const char *h = header; h && *h;) {
		size_t n = strcspn(h, "\n");
		if (n)
			augur_strbuf_put(&b, "# %.*s\n", (int)n, h);
		else
			augur_strbuf_put(&b, "#\n");
		h += n + (h[n] == '\n');
	}
	if (net->name && net->name[0]) {
		augur_strbuf_put(&b, "name: ");
		put_name(&b, net->name);
		augur_strbuf_put(&b, "\n");
	}
	if (net->input.rank == 1)
		augur_strbuf_put(&b, "input: [%llu]\n", (unsigned long long)net->input.c);
	else
		augur_strbuf_put(&b, "input: [%llu, %llu, %llu]\n",
		                 (unsigned long long)net->input.c, (unsigned long long)net->input.h,
		                 (unsigned long long)net->input.w);
	if (net->batch > 1)
		augur_strbuf_put(&b, "batch: %u\n", net->batch);
	augur_strbuf_put(&b, "layers:\n");
	for (size_t i = 0; i < net->n_layers; i++)
		put_layer(&b, net, i);
	return augur_strbuf_take(&b, out, len) ? AUGUR_E_NOMEM : AUGUR_OK;
}
