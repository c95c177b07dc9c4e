/* YAML descriptor loader (see descriptor.h). Walks the yamldoc tree, applies each key through
 * one table-driven function that --set assignments share, and resolves layer references by
 * name. Every error names the node it comes from. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "descriptor.h"
#include "numparse.h"
#include "schema.h"
#include "strmap.h"
#include "suggest.h"
#include "yamldoc.h"

static struct augur_loc loc_of(const struct augur_ynode *n)
{
	return (struct augur_loc){n->line, n->col};
}

/* An integer or an [h, w] pair. */
static int get_pair(const struct augur_schema *c, const struct augur_ynode *n, const char *what,
                    uint64_t min, uint64_t max, struct augur_hw *out)
{
	uint64_t h, w;
	int rc;
	if (n->kind == AUGUR_YSEQ) {
		if (n->len != 2)
			return augur_schema_err(
			        c, n, AUGUR_E_SCHEMA,
			        "expected an integer or [h, w] for '%s', got %zu values", what,
			        n->len);
		if ((rc = augur_schema_u64(c, n->items[0], what, min, max, &h)) ||
		    (rc = augur_schema_u64(c, n->items[1], what, min, max, &w)))
			return rc;
	} else {
		if ((rc = augur_schema_u64(c, n, what, min, max, &h)))
			return rc;
		w = h;
	}
	*out = (struct augur_hw){(uint32_t)h, (uint32_t)w};
	return AUGUR_OK;
}

static int get_name(const struct augur_schema *c, const struct augur_ynode *n, const char *what,
                    const char **out)
{
	if (n->kind != AUGUR_YSCALAR || augur_ynode_is_null(n))
		return augur_schema_err(
		        c, n, AUGUR_E_SCHEMA, "expected a name for '%s', got %s", what,
		        n->kind == AUGUR_YSCALAR ? "nothing" : augur_ynode_kind_name(n->kind));
	if (!n->text[0] || strlen(n->text) > 256)
		return augur_schema_err(c, n, AUGUR_E_SCHEMA,
		                        "'%s' must be 1 to 256 characters long", what);
	*out = n->text;
	return AUGUR_OK;
}

static int get_enum(const struct augur_schema *c, const struct augur_ynode *n, const char *what,
                    const char *const *names, size_t count, int *out)
{
	const char *text;
	int rc = get_name(c, n, what, &text);
	if (rc)
		return rc;
	for (size_t i = 0; i < count; i++)
		if (!strcmp(names[i], text)) {
			*out = (int)i;
			return AUGUR_OK;
		}
	char list[128] = "";
	for (size_t i = 0; i < count; i++) {
		strncat(list, names[i], sizeof(list) - strlen(list) - 1);
		if (i + 1 < count)
			strncat(list, "|", sizeof(list) - strlen(list) - 1);
	}
	return augur_schema_err(c, n, AUGUR_E_SCHEMA, "unknown %s '%s' (expected %s)", what, text,
	                        list);
}

static const char *const pool_ops[] = {"max", "avg"};
static const char *const eltwise_ops[] = {"sum", "prod", "max"};
static const char *const upsample_ops[] = {"nearest", "bilinear"};

/* A list of 1 to max integers in [min, limit]; *n receives the count. */
static int get_list(const struct augur_schema *c, const struct augur_ynode *n, const char *what,
                    size_t max, uint64_t min, uint64_t limit, uint64_t *out, size_t *count)
{
	if (n->kind != AUGUR_YSEQ || n->len < 1 || n->len > max)
		return augur_schema_err(c, n, AUGUR_E_SCHEMA,
		                        "expected a list of %s%zu integers for '%s'",
		                        max > 1 ? "1 to " : "", max, what);
	for (size_t i = 0; i < n->len; i++) {
		int rc = augur_schema_u64(c, n->items[i], what, min, limit, &out[i]);
		if (rc)
			return rc;
	}
	*count = n->len;
	return AUGUR_OK;
}

/* reshape's shape: [C, H, W], [C, H] or [C]; 0 copies the input's axis at its place and
 * one -1 is inferred (Caffe's ReshapeLayer, without the batch). */
static int get_shape(const struct augur_schema *c, const struct augur_ynode *n,
                     struct augur_layer *l)
{
	if (n->kind != AUGUR_YSEQ || n->len < 1 || n->len > 3)
		return augur_schema_err(c, n, AUGUR_E_SCHEMA,
		                        "expected [C, H, W], [C, H] or [C] for 'shape'");
	bool infer = false;
	for (size_t i = 0; i < n->len; i++) {
		const struct augur_ynode *v = n->items[i];
		uint64_t u = 0;
		if (v->kind == AUGUR_YSCALAR && v->plain && !strcmp(v->text, "-1")) {
			if (infer)
				return augur_schema_err(c, v, AUGUR_E_SCHEMA,
				                        "'shape' may infer one axis (-1) only");
			infer = true;
			l->shape[i] = -1;
			continue;
		}
		int rc = augur_schema_u64(c, v, "shape", 0, 1ull << 40, &u);
		if (rc)
			return rc;
		l->shape[i] = (int64_t)u;
	}
	l->shape_rank = (uint8_t)n->len;
	return AUGUR_OK;
}

/* crop's offset: one number for every axis (only those cut are read), or a list for the
 * last axes: [W], [H, W] or [C, H, W]. */
static int get_offset(const struct augur_schema *c, const struct augur_ynode *n,
                      struct augur_layer *l)
{
	uint64_t v[3];
	size_t len = 0;
	int rc = n->kind == AUGUR_YSEQ ? get_list(c, n, "offset", 3, 0, AUGUR_MAX_DIM, v, &len)
	                               : augur_schema_u64(c, n, "offset", 0, AUGUR_MAX_DIM, v);
	if (rc)
		return rc;
	l->offset[0] = l->offset[1] = l->offset[2] = (uint32_t)v[0];
	if (len > 1)
		for (size_t i = 0; i < 3; i++)
			l->offset[i] = i < 3 - len ? 0 : (uint32_t)v[i - (3 - len)];
	return AUGUR_OK;
}

/* permute's order: a permutation of [0, 1, 2] (C, H, W). */
static int get_order(const struct augur_schema *c, const struct augur_ynode *n,
                     struct augur_layer *l)
{
	uint64_t v[3];
	size_t len = 0;
	int rc = get_list(c, n, "order", 3, 0, 2, v, &len);
	if (rc)
		return rc;
	if (len != 3 || v[0] == v[1] || v[0] == v[2] || v[1] == v[2])
		return augur_schema_err(c, n, AUGUR_E_SCHEMA,
		                        "expected 'order' as a permutation of [0, 1, 2] (C, H, W)");
	for (int i = 0; i < 3; i++)
		l->order[i] = (uint8_t)v[i];
	return AUGUR_OK;
}

/* The keys a layer type takes, for "expected ..." messages. */
static void keys_of_type(enum augur_layer_type type, char *buf, size_t size)
{
	buf[0] = '\0';
	for (int k = AUGUR_KEY_INPUTS; k < AUGUR_KEY_COUNT; k++) {
		if (!augur_key_applies(k, type))
			continue;
		if (buf[0])
			strncat(buf, ", ", size - strlen(buf) - 1);
		strncat(buf, augur_key_name(k), size - strlen(buf) - 1);
	}
}

/* Applies one key (other than name, type, inputs) to a layer. Shared by the loader and
 * augur_descriptor_set, so a --set value is checked exactly like a descriptor value. A
 * value that fails leaves the layer as it was (it used to store an uninitialised one). */
static int apply_key(const struct augur_schema *c, struct augur_layer *l, enum augur_key key,
                     const struct augur_ynode *v)
{
	const char *kn = augur_key_name(key);
	uint64_t u;
	int rc = AUGUR_OK;
	switch (key) {
	case AUGUR_KEY_FILTERS:
		if ((rc = augur_schema_u64(c, v, kn, 1, AUGUR_MAX_DIM, &u)) == AUGUR_OK)
			l->filters = (uint32_t)u;
		break;
	case AUGUR_KEY_OUTPUTS:
		if ((rc = augur_schema_u64(c, v, kn, 1, AUGUR_MAX_DIM, &u)) == AUGUR_OK)
			l->outputs = (uint32_t)u;
		break;
	case AUGUR_KEY_GROUPS:
		if ((rc = augur_schema_u64(c, v, kn, 1, AUGUR_MAX_DIM, &u)) == AUGUR_OK)
			l->groups = (uint32_t)u;
		break;
	case AUGUR_KEY_SIZE:
		if ((rc = augur_schema_u64(c, v, kn, 1, AUGUR_MAX_WINDOW, &u)) == AUGUR_OK)
			l->size = (uint32_t)u;
		break;
	case AUGUR_KEY_KERNEL:
		rc = get_pair(c, v, kn, 1, AUGUR_MAX_WINDOW, &l->kernel);
		break;
	case AUGUR_KEY_STRIDE:
		rc = get_pair(c, v, kn, 1, AUGUR_MAX_WINDOW, &l->stride);
		break;
	case AUGUR_KEY_PAD:
		rc = get_pair(c, v, kn, 0, AUGUR_MAX_WINDOW, &l->pad);
		break;
	case AUGUR_KEY_DILATION:
		rc = get_pair(c, v, kn, 1, AUGUR_MAX_WINDOW, &l->dilation);
		break;
	case AUGUR_KEY_BIAS:
		rc = augur_schema_bool(c, v, kn, &l->bias);
		break;
	case AUGUR_KEY_GLOBAL:
		rc = augur_schema_bool(c, v, kn, &l->global);
		break;
	case AUGUR_KEY_CEIL:
		rc = augur_schema_bool(c, v, kn, &l->ceil);
		break;
	case AUGUR_KEY_OP:
		if (l->type == AUGUR_LAYER_POOL)
			rc = get_enum(c, v, "pooling op", pool_ops, 2, &l->op);
		else if (l->type == AUGUR_LAYER_UPSAMPLE)
			rc = get_enum(c, v, "upsampling op", upsample_ops, 2, &l->op);
		else
			rc = get_enum(c, v, "eltwise op", eltwise_ops, 3, &l->op);
		break;
	case AUGUR_KEY_SHARED:
		rc = augur_schema_bool(c, v, kn, &l->shared);
		break;
	case AUGUR_KEY_SCALE:
		rc = get_pair(c, v, kn, 1, AUGUR_MAX_WINDOW, &l->scale);
		break;
	case AUGUR_KEY_OUTPUT_SIZE:
		rc = get_pair(c, v, kn, 1, AUGUR_MAX_DIM, &l->out_size);
		break;
	case AUGUR_KEY_RANGE: {
		struct augur_hw r;
		if ((rc = get_pair(c, v, kn, 0, AUGUR_MAX_DIM, &r)) == AUGUR_OK) {
			l->range[0] = r.h;
			l->range[1] = r.w;
		}
		break;
	}
	case AUGUR_KEY_SHAPE:
		rc = get_shape(c, v, l);
		break;
	case AUGUR_KEY_ORDER:
		rc = get_order(c, v, l);
		break;
	case AUGUR_KEY_PRIORS:
		if ((rc = augur_schema_u64(c, v, kn, 1, AUGUR_MAX_WINDOW, &u)) == AUGUR_OK)
			l->priors = (uint32_t)u;
		break;
	case AUGUR_KEY_KEEP:
		if ((rc = augur_schema_u64(c, v, kn, 1, AUGUR_MAX_DIM, &u)) == AUGUR_OK)
			l->keep = (uint32_t)u;
		break;
	case AUGUR_KEY_AXIS:
		if ((rc = augur_schema_u64(c, v, kn, 1, 3, &u)) == AUGUR_OK)
			l->axis = (uint8_t)u;
		break;
	case AUGUR_KEY_OFFSET:
		rc = get_offset(c, v, l);
		break;
	case AUGUR_KEY_TRIM:
		rc = get_pair(c, v, kn, 0, 1, &l->trim);
		break;
	case AUGUR_KEY_NEGATIVE_SLOPE:
		rc = augur_schema_double(c, v, kn, -1e6, 1e6, &l->negative_slope);
		break;
	case AUGUR_KEY_MAX:
		rc = augur_schema_double(c, v, kn, 1e-30, 1e30, &l->max);
		break;
	default:
		return augur_schema_err(c, v, AUGUR_E_INTERNAL, "key '%s' cannot be set here", kn);
	}
	if (rc == AUGUR_OK)
		l->key_loc[key] = loc_of(v);
	return rc;
}

/* Looks a key name up for a layer, with a "did you mean" for typos. */
static int lookup_key(const struct augur_schema *c, const struct augur_layer *l,
                      const struct augur_ynode *kn, enum augur_key *out)
{
	int key = augur_key_from_name(kn->text);
	if (key >= 0 && augur_key_applies(key, l->type)) {
		*out = key;
		return AUGUR_OK;
	}
	/* the error path only: list what the type takes */
	char keys[256];
	keys_of_type(l->type, keys, sizeof(keys));
	if (key < 0) {
		const char *names[AUGUR_KEY_COUNT];
		for (int k = 0; k < AUGUR_KEY_COUNT; k++)
			names[k] = augur_key_applies(k, l->type) ? augur_key_name(k) : NULL;
		const char *near = augur_nearest(kn->text, names, AUGUR_KEY_COUNT);
		if (near)
			return augur_schema_err(
			        c, kn, AUGUR_E_SCHEMA,
			        "unknown key '%s' in %s layer '%s' (did you mean '%s'?)", kn->text,
			        augur_layer_type_name(l->type), l->name, near);
		return augur_schema_err(
		        c, kn, AUGUR_E_SCHEMA,
		        "unknown key '%s' in %s layer '%s' (expected name, type, %s)", kn->text,
		        augur_layer_type_name(l->type), l->name, keys);
	}
	if (!augur_key_applies(key, l->type))
		return augur_schema_err(c, kn, AUGUR_E_SCHEMA,
		                        "key '%s' does not apply to %s layer '%s' (it takes %s)",
		                        kn->text, augur_layer_type_name(l->type), l->name, keys);
	*out = key;
	return AUGUR_OK;
}

static int parse_type(const struct augur_schema *c, const struct augur_ynode *tn,
                      enum augur_layer_type *out)
{
	const char *text;
	int rc = get_name(c, tn, "type", &text);
	if (rc)
		return rc;
	int t = augur_layer_type_from_name(text);
	if (t >= 0) {
		*out = t;
		return AUGUR_OK;
	}
	const char *names[AUGUR_LAYER_TYPE_COUNT];
	for (int i = 0; i < AUGUR_LAYER_TYPE_COUNT; i++)
		names[i] = augur_layer_type_name(i);
	const char *near = augur_nearest(text, names, AUGUR_LAYER_TYPE_COUNT);
	if (near)
		return augur_schema_err(c, tn, AUGUR_E_SCHEMA,
		                        "unknown layer type '%s' (did you mean '%s'? expected %s)",
		                        text, near, augur_layer_type_list());
	return augur_schema_err(c, tn, AUGUR_E_SCHEMA, "unknown layer type '%s' (expected %s)",
	                        text, augur_layer_type_list());
}

static int parse_input_shape(const struct augur_schema *c, const struct augur_ynode *n,
                             struct augur_shape *out)
{
	if (n->kind != AUGUR_YSEQ || (n->len != 1 && n->len != 3))
		return augur_schema_err(c, n, AUGUR_E_SCHEMA,
		                        "expected 'input' as [C, H, W] or [N], got %s",
		                        n->kind == AUGUR_YSEQ ? "another number of values"
		                                              : augur_ynode_kind_name(n->kind));
	uint64_t v[3] = {1, 1, 1};
	for (size_t i = 0; i < n->len; i++) {
		int rc = augur_schema_u64(c, n->items[i], "input", 1, AUGUR_MAX_DIM, &v[i]);
		if (rc)
			return rc;
	}
	*out = (struct augur_shape){v[0], v[1], v[2], (uint8_t)n->len};
	return AUGUR_OK;
}

/* Resolves "inputs:" names into indices of earlier layers (or the network input). */
static int resolve_inputs(const struct augur_schema *c, const struct augur_net *net,
                          const struct augur_strmap *names, size_t self,
                          const struct augur_ynode *n)
{
	const struct augur_layer *l = &net->layers[self];
	size_t count = n->kind == AUGUR_YSEQ ? n->len : 1;
	if (n->kind == AUGUR_YMAP || count == 0)
		return augur_schema_err(
		        c, n, AUGUR_E_SCHEMA,
		        "expected 'inputs' as a layer name or a list of names, got %s",
		        count == 0 ? "an empty list" : "a mapping");
	if (count > AUGUR_MAX_INPUTS)
		return augur_schema_err(c, n, AUGUR_E_LIMIT, "too many inputs (the limit is %u)",
		                        AUGUR_MAX_INPUTS);
	int32_t *idx = malloc(count * sizeof(*idx));
	if (!idx)
		return augur_schema_err(c, n, AUGUR_E_NOMEM, "out of memory");
	int rc = AUGUR_OK;
	for (size_t i = 0; i < count && rc == AUGUR_OK; i++) {
		const struct augur_ynode *item = n->kind == AUGUR_YSEQ ? n->items[i] : n;
		const char *name;
		if ((rc = get_name(c, item, "inputs", &name)))
			break;
		int64_t at;
		if (!strcmp(name, "input")) {
			idx[i] = AUGUR_NET_INPUT;
		} else if (!augur_strmap_get(names, name, &at)) {
			const char *cand[2] = {"input", self ? net->layers[self - 1].name : NULL};
			const char *near = augur_nearest(name, cand, 2);
			rc = near ? augur_schema_err(
			                    c, item, AUGUR_E_SCHEMA,
			                    "unknown input '%s' of layer '%s' (did you mean '%s'?)",
			                    name, l->name, near)
			          : augur_schema_err(
			                    c, item, AUGUR_E_SCHEMA,
			                    "unknown input '%s' of layer '%s' (no layer has that name)",
			                    name, l->name);
		} else if ((size_t)at == self) {
			rc = augur_schema_err(c, item, AUGUR_E_SCHEMA,
			                      "layer '%s' reads its own output (a cycle)", l->name);
		} else if ((size_t)at > self) {
			rc = augur_schema_err(
			        c, item, AUGUR_E_SCHEMA,
			        "input '%s' of layer '%s' is defined later, at line %u (layers "
			        "run in the order listed, so this would be a cycle or a "
			        "forward reference)",
			        name, l->name, net->layers[at].loc.line);
		} else {
			idx[i] = (int32_t)at;
		}
	}
	if (rc == AUGUR_OK && augur_layer_set_inputs(&net->layers[self], idx, (uint32_t)count))
		rc = augur_schema_err(c, n, AUGUR_E_NOMEM, "out of memory");
	free(idx);
	return rc;
}

static bool multi_input(enum augur_layer_type t)
{
	return t == AUGUR_LAYER_ELTWISE || t == AUGUR_LAYER_CONCAT;
}

/* crop takes one input (cut to output_size) or two (cut to the second's size); priorbox
 * a feature map and, optionally, the image */
static bool one_or_two(enum augur_layer_type t)
{
	return t == AUGUR_LAYER_CROP || t == AUGUR_LAYER_PRIORBOX;
}

/* First pass over one layer entry: name and type, so names are known before any
 * "inputs:" is resolved. */
static int parse_layer_head(const struct augur_schema *c, struct augur_net *net,
                            const struct augur_ynode *ln, size_t index, struct augur_strmap **names)
{
	if (ln->kind != AUGUR_YMAP)
		return augur_schema_err(c, ln, AUGUR_E_SCHEMA, "expected a layer mapping, got %s",
		                        augur_ynode_kind_name(ln->kind));
	const struct augur_ynode *tn = augur_ynode_get(ln, "type");
	if (!tn)
		return augur_schema_err(c, ln, AUGUR_E_SCHEMA,
		                        "layer has no 'type' (expected one of %s)",
		                        augur_layer_type_list());
	enum augur_layer_type type = AUGUR_LAYER_CONV;
	int rc = parse_type(c, tn, &type);
	if (rc)
		return rc;
	const struct augur_ynode *nn = augur_ynode_get(ln, "name");
	char fallback[48];
	const char *name = fallback;
	if (nn && (rc = get_name(c, nn, "name", &name)))
		return rc;
	if (!nn)
		snprintf(fallback, sizeof(fallback), "%s_%zu", augur_layer_type_name(type),
		         index + 1);
	if (!strcmp(name, "input"))
		return augur_schema_err(c, nn, AUGUR_E_SCHEMA,
		                        "layer name 'input' is reserved for the network input");
	int64_t prev;
	if (augur_strmap_get(*names, name, &prev))
		return augur_schema_err(c, nn ? nn : ln, AUGUR_E_SCHEMA,
		                        "duplicate layer name '%s' (first defined at line %u)",
		                        name, net->layers[prev].loc.line);
	struct augur_layer *l = augur_net_append(net, name, type);
	if (!l)
		return net->n_layers >= AUGUR_MAX_LAYERS
		               ? augur_schema_err(c, ln, AUGUR_E_LIMIT,
		                                  "too many layers (the limit is %u)",
		                                  AUGUR_MAX_LAYERS)
		               : augur_schema_err(c, ln, AUGUR_E_NOMEM, "out of memory");
	l->loc = loc_of(ln);
	l->key_loc[AUGUR_KEY_TYPE] = loc_of(tn);
	if (nn)
		l->key_loc[AUGUR_KEY_NAME] = loc_of(nn);
	/* key on the layer's own heap copy: it stays put when the layer array grows */
	if (augur_strmap_put(names, l->name, (int64_t)index))
		return augur_schema_err(c, ln, AUGUR_E_NOMEM, "out of memory");
	return AUGUR_OK;
}

static int parse_layer_keys(const struct augur_schema *c, struct augur_net *net,
                            const struct augur_ynode *ln, size_t index,
                            const struct augur_strmap *names)
{
	struct augur_layer *l = &net->layers[index];
	int rc;
	for (size_t i = 0; i < ln->len; i++) {
		const struct augur_ynode *k = ln->items[2 * i], *v = ln->items[2 * i + 1];
		enum augur_key key;
		if ((rc = lookup_key(c, l, k, &key)))
			return rc;
		if (key == AUGUR_KEY_NAME || key == AUGUR_KEY_TYPE)
			continue;
		if (key == AUGUR_KEY_INPUTS) {
			if ((rc = resolve_inputs(c, net, names, index, v)))
				return rc;
			l->key_loc[AUGUR_KEY_INPUTS] = loc_of(v);
			continue;
		}
		if ((rc = apply_key(c, l, key, v)))
			return rc;
	}
	for (int k = 0; k < AUGUR_KEY_COUNT; k++)
		if (augur_key_required(k, l) && !l->key_loc[k].line)
			return augur_schema_err(c, ln, AUGUR_E_SCHEMA, "%s layer '%s' needs '%s'",
			                        augur_layer_type_name(l->type), l->name,
			                        augur_key_name(k));
	if (multi_input(l->type) && l->n_inputs < 2)
		return augur_schema_err(c, augur_ynode_get(ln, "inputs"), AUGUR_E_SCHEMA,
		                        "%s layer '%s' needs two or more inputs, got %u",
		                        augur_layer_type_name(l->type), l->name, l->n_inputs);
	if (one_or_two(l->type) && l->n_inputs > 2)
		return augur_schema_err(c, augur_ynode_get(ln, "inputs"), AUGUR_E_SCHEMA,
		                        "%s layer '%s' takes one or two inputs, got %u",
		                        augur_layer_type_name(l->type), l->name, l->n_inputs);
	if (l->type == AUGUR_LAYER_DETECTION && l->n_inputs != 3)
		return augur_schema_err(c, augur_ynode_get(ln, "inputs"), AUGUR_E_SCHEMA,
		                        "detection layer '%s' takes three inputs (locations, "
		                        "confidences, priors), got %u",
		                        l->name, l->n_inputs);
	if (!multi_input(l->type) && !one_or_two(l->type) && l->type != AUGUR_LAYER_DETECTION &&
	    l->n_inputs != 1)
		return augur_schema_err(c, augur_ynode_get(ln, "inputs"), AUGUR_E_SCHEMA,
		                        "%s layer '%s' takes exactly one input, got %u",
		                        augur_layer_type_name(l->type), l->name, l->n_inputs);
	return AUGUR_OK;
}

static const char *const top_keys[] = {"name", "input", "batch", "layers"};

static int parse_root(const struct augur_schema *c, const struct augur_ynode *root,
                      struct augur_net *net)
{
	int rc;
	if (!root)
		return augur_diag_set(c->diag, AUGUR_E_SCHEMA, c->path, 1, 1,
		                      "empty descriptor (expected a mapping with 'input' and "
		                      "'layers')");
	if (root->kind != AUGUR_YMAP)
		return augur_schema_err(c, root, AUGUR_E_SCHEMA,
		                        "expected a mapping with 'input' and 'layers', got %s",
		                        augur_ynode_kind_name(root->kind));
	for (size_t i = 0; i < root->len; i++) {
		const struct augur_ynode *k = root->items[2 * i];
		bool known = false;
		for (size_t j = 0; j < sizeof(top_keys) / sizeof(*top_keys); j++)
			known |= !strcmp(k->text, top_keys[j]);
		if (known)
			continue;
		const char *near = augur_nearest(k->text, top_keys, 4);
		return near ? augur_schema_err(c, k, AUGUR_E_SCHEMA,
		                               "unknown top-level key '%s' (did you mean '%s'?)",
		                               k->text, near)
		            : augur_schema_err(
		                      c, k, AUGUR_E_SCHEMA,
		                      "unknown top-level key '%s' (expected name, input, batch, "
		                      "layers)",
		                      k->text);
	}
	const struct augur_ynode *n;
	if ((n = augur_ynode_get(root, "name"))) {
		const char *name;
		if ((rc = get_name(c, n, "name", &name)))
			return rc;
		if (augur_net_set_name(net, name))
			return augur_schema_err(c, n, AUGUR_E_NOMEM, "out of memory");
	}
	if (!(n = augur_ynode_get(root, "input")))
		return augur_schema_err(c, root, AUGUR_E_SCHEMA,
		                        "descriptor has no 'input' (expected [C, H, W] or [N])");
	if ((rc = parse_input_shape(c, n, &net->input)))
		return rc;
	net->input_loc = loc_of(n);
	if ((n = augur_ynode_get(root, "batch"))) {
		uint64_t b;
		if ((rc = augur_schema_u64(c, n, "batch", 1, AUGUR_MAX_BATCH, &b)))
			return rc;
		net->batch = (uint32_t)b;
		net->batch_loc = loc_of(n);
	}
	const struct augur_ynode *layers = augur_ynode_get(root, "layers");
	if (!layers)
		return augur_schema_err(c, root, AUGUR_E_SCHEMA, "descriptor has no 'layers'");
	if (layers->kind != AUGUR_YSEQ || layers->len == 0)
		return augur_schema_err(c, layers, AUGUR_E_SCHEMA,
		                        "expected 'layers' as a non-empty sequence, got %s",
		                        layers->kind == AUGUR_YSEQ
		                                ? "an empty one"
		                                : augur_ynode_kind_name(layers->kind));
	if (layers->len > AUGUR_MAX_LAYERS)
		return augur_schema_err(c, layers, AUGUR_E_LIMIT,
		                        "too many layers (%zu; the limit is %u)", layers->len,
		                        AUGUR_MAX_LAYERS);
	struct augur_strmap *names = NULL;
	rc = AUGUR_OK;
	for (size_t i = 0; i < layers->len && rc == AUGUR_OK; i++)
		rc = parse_layer_head(c, net, layers->items[i], i, &names);
	for (size_t i = 0; i < layers->len && rc == AUGUR_OK; i++)
		rc = parse_layer_keys(c, net, layers->items[i], i, names);
	augur_strmap_clear(&names);
	return rc;
}

static char *default_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strcspn(base, ".");
	char *name = malloc(len + 1);
	if (name) {
		memcpy(name, base, len);
		name[len] = '\0';
	}
	return name;
}

int augur_descriptor_parse(const char *path, const char *buf, size_t len, struct augur_net **out,
                           struct augur_diag *diag)
{
	*out = NULL;
	struct augur_schema c = {path, diag};
	struct augur_ydoc *doc = NULL;
	int rc = augur_ydoc_parse(path, buf, len, &doc, diag);
	if (rc)
		return rc;
	char *name = default_name(path);
	struct augur_net *net = name ? augur_net_new(name, path) : NULL;
	free(name);
	if (!net) {
		augur_ydoc_free(doc);
		return augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
	}
	rc = parse_root(&c, augur_ydoc_root(doc), net);
	augur_ydoc_free(doc);
	if (rc) {
		augur_net_free(net);
		return rc;
	}
	*out = net;
	return AUGUR_OK;
}

int augur_edit_parse(const struct augur_net *net, const char *assignment, struct augur_edit *out,
                     struct augur_diag *diag)
{
	memset(out, 0, sizeof(*out));
	char where[AUGUR_DIAG_PATH_MAX];
	snprintf(where, sizeof(where), "--set %s", assignment);
	struct augur_schema c = {where, diag};
	const char *eq = strchr(assignment, '=');
	if (!eq || eq == assignment)
		return augur_diag_set(diag, AUGUR_E_USAGE, where, 0, 0,
		                      "expected LAYER.KEY=VALUE, input=[C,H,W] or batch=N");
	size_t tlen = (size_t)(eq - assignment);
	char *target = strndup(assignment, tlen);
	if (!target)
		return augur_diag_set(diag, AUGUR_E_NOMEM, where, 0, 0, "out of memory");
	const char *value = eq + 1;
	struct augur_ydoc *doc = NULL;
	int rc = augur_ydoc_parse(where, value, strlen(value), &doc, diag);
	const struct augur_ynode *v = rc ? NULL : augur_ydoc_root(doc);
	if (rc == AUGUR_OK && !v)
		rc = augur_diag_set(diag, AUGUR_E_USAGE, where, 0, 0, "no value after '='");
	if (rc)
		goto out;
	/* positions in a one-line value are meaningless for a command-line argument */
	if (!strcmp(target, "input")) {
		out->kind = AUGUR_EDIT_INPUT;
		out->input = net->input;
		rc = parse_input_shape(&c, v, &out->input);
	} else if (!strcmp(target, "batch")) {
		uint64_t b;
		out->kind = AUGUR_EDIT_BATCH;
		rc = augur_schema_u64(&c, v, "batch", 1, AUGUR_MAX_BATCH, &b);
		if (rc == AUGUR_OK)
			out->batch = (uint32_t)b;
	} else {
		char *dot = strrchr(target, '.');
		long li = dot ? (*dot = '\0', augur_net_find(net, target)) : -1;
		if (!dot) {
			rc = augur_diag_set(diag, AUGUR_E_USAGE, where, 0, 0,
			                    "expected LAYER.KEY=VALUE, input=[C,H,W] or batch=N");
		} else if (li < 0) {
			rc = augur_diag_set(diag, AUGUR_E_USAGE, where, 0, 0, "unknown layer '%s'",
			                    target);
		} else {
			/* the key is set on a copy of the layer: the network stays as it is */
			struct augur_layer l = net->layers[li];
			struct augur_ynode kn = {.kind = AUGUR_YSCALAR, .text = dot + 1};
			enum augur_key key;
			rc = lookup_key(&c, &l, &kn, &key);
			if (rc == AUGUR_OK && (key == AUGUR_KEY_NAME || key == AUGUR_KEY_TYPE ||
			                       key == AUGUR_KEY_INPUTS))
				rc = augur_diag_set(diag, AUGUR_E_USAGE, where, 0, 0,
				                    "'%s' cannot be changed with --set",
				                    augur_key_name(key));
			if (rc == AUGUR_OK)
				rc = apply_key(&c, &l, key, v);
			/* the value's position is in the argument, not the file: shape errors
			 * found later point at the layer's entry instead */
			if (rc == AUGUR_OK) {
				l.key_loc[key] = (struct augur_loc){0, 0};
				out->kind = AUGUR_EDIT_LAYER;
				out->layer = (size_t)li;
				out->key = key;
				out->value = l;
			}
		}
	}
	if (rc && diag) /* drop the 1:1 position that parsing the value alone produced */
		diag->line = diag->col = 0;
out:
	augur_ydoc_free(doc);
	free(target);
	return rc;
}

int augur_descriptor_set(struct augur_net *net, const char *assignment, struct augur_diag *diag)
{
	struct augur_edit e, undo;
	int rc = augur_edit_parse(net, assignment, &e, diag);
	return rc ? rc : augur_edit_apply(net, &e, &undo);
}
