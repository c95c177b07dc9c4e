/* ONNX reader (see onnx.h, docs/onnx.md). The ModelProto is walked with a small
 * wire-format scanner so that initializer data is skipped, never copied: protobuf-c's
 * unpack of a whole model copies every raw_data (a 550 MB VGG-16 would need 550 MB of
 * memory). protobuf-c decodes each NodeProto and ValueInfoProto, and each TensorProto
 * with its data fields cut out (small tensors, which may be shape arguments, whole).
 * Nodes are then mapped in graph order onto augur layers; every tensor name resolves to
 * a feature map (a layer's output or the network input) or a tensor (an initializer or
 * a constant computed from shapes). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <protobuf-c/protobuf-c.h>

#include "analysis.h"
#include "checked.h"
#include "onnx.h"
#include "onnx.pb-c.h"
#include "strmap.h"
#include "trace.h"

#define MAX_RANK 8
/* A tensor whose values are kept (a shape, a Reshape target, Clip's bounds). */
#define MAX_CONST_ELEMS 4096u
/* An initializer this small is decoded whole; larger ones lose their data fields first. */
#define SMALL_TENSOR_BYTES (64u << 10)
/* Nodes hold attributes, not weights (a Constant may hold a small tensor). */
#define MAX_NODE_BYTES (16u << 20)
/* Nodes and tensor names: the largest torchvision model has a few thousand. */
#define MAX_VALUES   500000u
#define NAME_MAX_LEN 256

/* ONNX TensorProto.DataType values read as numbers */
enum { DT_FLOAT = 1, DT_INT32 = 6, DT_INT64 = 7, DT_DOUBLE = 11 };

/* ---- wire format ---- */

struct wire {
	const uint8_t *p, *end;
};

struct wfield {
	uint32_t num, type;
	uint64_t v;           /* varint value */
	const uint8_t *start; /* the key */
	const uint8_t *data;  /* length-delimited payload */
	size_t len;
};

static bool get_varint(struct wire *w, uint64_t *out)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (w->p >= w->end)
			return false;
		uint8_t b = *w->p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return true;
		}
	}
	return false;
}

/* 1: a field was read into *f; 0: end of the message; -1: malformed; -2: the field
 * runs past the end of the message (f->start says where it began). */
static int next_field(struct wire *w, struct wfield *f)
{
	if (w->p >= w->end)
		return 0;
	uint64_t key, n;
	f->start = w->p;
	if (!get_varint(w, &key) || (key >> 3) == 0 || (key >> 3) > 0x1fffffff)
		return -1;
	f->num = (uint32_t)(key >> 3);
	f->type = (uint32_t)(key & 7);
	f->data = NULL;
	f->len = 0;
	f->v = 0;
	size_t left = (size_t)(w->end - w->p);
	switch (f->type) {
	case 0:
		return get_varint(w, &f->v) ? 1 : -2;
	case 1:
		if (left < 8)
			return -2;
		w->p += 8;
		return 1;
	case 5:
		if (left < 4)
			return -2;
		w->p += 4;
		return 1;
	case 2:
		if (!get_varint(w, &n))
			return -2;
		if (n > (uint64_t)(w->end - w->p))
			return -2;
		f->data = w->p;
		f->len = (size_t)n;
		w->p += n;
		return 1;
	default: /* groups (3, 4): ONNX has none */
		return -1;
	}
}

bool augur_onnx_sniff(const char *path, const unsigned char *buf, size_t len)
{
	/* ModelProto field 1 (ir_version, a varint): key byte 0x08, then a small version */
	if (len >= 2 && buf[0] == 0x08) {
		struct wire w = {buf + 1, buf + (len < 11 ? len : 11)};
		uint64_t v;
		if (get_varint(&w, &v) && v >= 1 && v < 1000)
			return true;
		if (len < 11 && !(buf[len - 1] & 0x80))
			return false;
		return len < 11; /* cut short inside the varint: a truncated model */
	}
	size_t n = path ? strlen(path) : 0;
	if (n < 5 || strcmp(path + n - 5, ".onnx") || len == 0)
		return false;
	/* named .onnx: binary unless its start reads as text */
	size_t look = len < 512 ? len : 512;
	for (size_t i = 0; i < look; i++)
		if ((buf[i] < 0x20 && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r') ||
		    buf[i] == 0x7f)
			return true;
	return false;
}

/* ---- values: what a tensor name stands for ---- */

struct value {
	char *name;
	bool feature; /* a feature map (a layer's output or the input), else a tensor */
	/* feature */
	int32_t layer;            /* producer, or AUGUR_NET_INPUT */
	struct augur_shape shape; /* per image */
	int32_t fc_nobias;        /* made by MatMul: that fc layer (a bias Add folds in), or -1 */
	uint32_t pad[4];          /* a Pad's zeros, begin h, w, end h, w: the next conv or pool
	                           * takes them over */
	uint8_t shuffle; /* a channel shuffle under way: 1 the map viewed as N x g x C/g x H x W
	                  * (in dims), 2 that view transposed to N x C/g x g x H x W */
	/* tensor */
	uint32_t ndims;
	int64_t dims[MAX_RANK];
	bool has_data;
	size_t n;
	double *data; /* n values, when has_data */
	bool initializer;
};

struct ctx {
	const char *path;
	struct augur_diag *diag;
	struct augur_net *net;
	struct value *values;
	size_t n_values, cap_values;
	struct augur_strmap *by_name; /* tensor name (the value's copy) -> index into values */
	struct augur_strmap *layers;  /* layer name (the layer's copy) -> index */
	struct augur_layer_stats *st; /* traced shapes, one per layer */
	size_t cap_st;
	bool have_input;
	const struct augur_shape *input; /* --input: the graph input's C x H x W, or NULL */
	bool pad_ok;                     /* the op being mapped takes over a Pad (conv, pool) */
	/* the node being mapped */
	size_t node_index;
	const Onnx__NodeProto *node;
};

static void err_fill(const struct ctx *c, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
#define ERR(c, code, ...) (err_fill((c), (code), __VA_ARGS__), (code))
#define ERR_NODE(c, ...)  ERR((c), AUGUR_E_SCHEMA, __VA_ARGS__)

/* Prefixes the node being mapped: "node 57 'Conv_57' (op Conv): ". */
static void err_fill(const struct ctx *c, int code, const char *fmt, ...)
{
	char msg[AUGUR_DIAG_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->node)
		augur_diag_fill(c->diag, code, c->path, 0, 0, "node %zu '%.128s' (op %.64s): %s",
		                c->node_index, c->node->name && *c->node->name ? c->node->name : "",
		                c->node->op_type ? c->node->op_type : "", msg);
	else
		augur_diag_fill(c->diag, code, c->path, 0, 0, "%s", msg);
}

static int nomem(const struct ctx *c)
{
	return ERR(c, AUGUR_E_NOMEM, "out of memory");
}

static void value_clear(struct value *v)
{
	free(v->name);
	free(v->data);
}

/* Defines name as *v (taking its data); a second definition replaces the first. */
static int define(struct ctx *c, const char *name, struct value *v)
{
	if (c->n_values >= MAX_VALUES) {
		free(v->data);
		return ERR(c, AUGUR_E_LIMIT, "too many tensors (the limit is %u)", MAX_VALUES);
	}
	if (c->n_values == c->cap_values) {
		size_t ncap = c->cap_values ? c->cap_values * 2 : 64;
		struct value *nv = realloc(c->values, ncap * sizeof(*nv));
		if (!nv) {
			free(v->data);
			return nomem(c);
		}
		c->values = nv;
		c->cap_values = ncap;
	}
	v->name = strdup(name);
	if (!v->name) {
		free(v->data);
		return nomem(c);
	}
	c->values[c->n_values] = *v;
	if (augur_strmap_put(&c->by_name, c->values[c->n_values].name, (int64_t)c->n_values)) {
		value_clear(&c->values[c->n_values]);
		return nomem(c);
	}
	c->n_values++;
	return AUGUR_OK;
}

static const struct value *lookup(const struct ctx *c, const char *name)
{
	int64_t i;
	return augur_strmap_get(c->by_name, name, &i) ? &c->values[i] : NULL;
}

static uint64_t numel(const struct value *v)
{
	uint64_t n = 1;
	for (uint32_t i = 0; i < v->ndims; i++)
		n = v->dims[i] < 0 || augur_mul_overflow(n, (uint64_t)v->dims[i], &n) ? UINT64_MAX
		                                                                      : n;
	return n;
}

/* A feature map's dims as ONNX sees them: N x C x H x W, or N x C. */
static uint32_t feature_dims(const struct ctx *c, const struct value *v, int64_t *dims)
{
	dims[0] = c->net->batch;
	dims[1] = (int64_t)v->shape.c;
	if (v->shape.rank == 1)
		return 2;
	dims[2] = (int64_t)v->shape.h + v->pad[0] + v->pad[2];
	dims[3] = (int64_t)v->shape.w + v->pad[1] + v->pad[3];
	return 4;
}

/* ---- tensors ---- */

/* The values of a decoded TensorProto, when it holds numbers and few of them. */
static int tensor_data(const struct ctx *c, const Onnx__TensorProto *t, struct value *v)
{
	uint64_t n = numel(v);
	v->has_data = false;
	if (n > MAX_CONST_ELEMS || !t->has_data_type)
		return AUGUR_OK;
	size_t width = t->data_type == DT_INT64 || t->data_type == DT_DOUBLE  ? 8
	               : t->data_type == DT_INT32 || t->data_type == DT_FLOAT ? 4
	                                                                      : 0;
	if (!width)
		return AUGUR_OK;
	const uint8_t *raw = t->has_raw_data ? t->raw_data.data : NULL;
	size_t have = raw                         ? t->raw_data.len / width
	              : t->data_type == DT_INT64  ? t->n_int64_data
	              : t->data_type == DT_DOUBLE ? t->n_double_data
	              : t->data_type == DT_INT32  ? t->n_int32_data
	                                          : t->n_float_data;
	if (have != n)
		return AUGUR_OK; /* external or missing data: shapes only */
	double *d = malloc((n ? n : 1) * sizeof(*d));
	if (!d)
		return nomem(c);
	for (size_t i = 0; i < n; i++) {
		if (raw) {
			uint64_t u = 0;
			for (size_t b = 0; b < width; b++)
				u |= (uint64_t)raw[i * width + b] << (8 * b);
			if (t->data_type == DT_INT64)
				d[i] = (double)(int64_t)u;
			else if (t->data_type == DT_INT32)
				d[i] = (double)(int32_t)(uint32_t)u;
			else if (t->data_type == DT_DOUBLE) {
				double x;
				memcpy(&x, &u, sizeof(x));
				d[i] = x;
			} else {
				uint32_t u32 = (uint32_t)u;
				float x;
				memcpy(&x, &u32, sizeof(x));
				d[i] = x;
			}
		} else {
			d[i] = t->data_type == DT_INT64    ? (double)t->int64_data[i]
			       : t->data_type == DT_DOUBLE ? t->double_data[i]
			       : t->data_type == DT_INT32  ? (double)t->int32_data[i]
			                                   : (double)t->float_data[i];
		}
	}
	v->data = d;
	v->n = n;
	v->has_data = true;
	return AUGUR_OK;
}

/* A decoded TensorProto -> a tensor value (dims, and values when small). */
static int tensor_value(const struct ctx *c, const Onnx__TensorProto *t, struct value *v)
{
	memset(v, 0, sizeof(*v));
	v->layer = AUGUR_NET_INPUT;
	v->fc_nobias = -1;
	if (t->n_dims > MAX_RANK)
		return ERR(c, AUGUR_E_SCHEMA, "tensor '%.128s' has %zu dimensions (at most %d)",
		           t->name ? t->name : "", t->n_dims, MAX_RANK);
	v->ndims = (uint32_t)t->n_dims;
	for (size_t i = 0; i < t->n_dims; i++) {
		if (t->dims[i] < 0 || t->dims[i] > (int64_t)1 << 40)
			return ERR(c, AUGUR_E_SCHEMA,
			           "tensor '%.128s' has dimension %zu of %lld (out of range)",
			           t->name ? t->name : "", i, (long long)t->dims[i]);
		v->dims[i] = t->dims[i];
	}
	return tensor_data(c, t, v);
}

/* An initializer (a TensorProto at data, len bytes): large ones are decoded with their
 * data fields cut out, so their bytes are never read, let alone copied. */
static int add_initializer(struct ctx *c, const uint8_t *data, size_t len, size_t at)
{
	uint8_t *stripped = NULL;
	const uint8_t *msg = data;
	size_t msg_len = len;
	int rc = AUGUR_OK;
	if (len > SMALL_TENSOR_BYTES) {
		/* keep dims (1), data_type (2), name (8), data_location (14) */
		struct wire w = {data, data + len};
		struct wfield f;
		size_t kept = 0;
		int r;
		while ((r = next_field(&w, &f)) == 1)
			if (f.num == 1 || f.num == 2 || f.num == 8 || f.num == 14)
				kept += (size_t)(w.p - f.start);
		if (r < 0)
			return ERR(c, AUGUR_E_SYNTAX,
			           "initializer at byte %zu is not a well-formed TensorProto", at);
		stripped = malloc(kept ? kept : 1);
		if (!stripped)
			return nomem(c);
		w = (struct wire){data, data + len};
		msg_len = 0;
		while (next_field(&w, &f) == 1)
			if (f.num == 1 || f.num == 2 || f.num == 8 || f.num == 14) {
				memcpy(stripped + msg_len, f.start, (size_t)(w.p - f.start));
				msg_len += (size_t)(w.p - f.start);
			}
		msg = stripped;
	}
	Onnx__TensorProto *t = onnx__tensor_proto__unpack(NULL, msg_len, msg);
	free(stripped);
	if (!t)
		return ERR(c, AUGUR_E_SYNTAX,
		           "initializer at byte %zu is not a well-formed TensorProto", at);
	struct value v;
	if (!t->name || !*t->name)
		rc = ERR(c, AUGUR_E_SCHEMA, "initializer at byte %zu has no name", at);
	else if (!(rc = tensor_value(c, t, &v))) {
		v.initializer = true;
		rc = define(c, t->name, &v);
	}
	onnx__tensor_proto__free_unpacked(t, NULL);
	return rc;
}

/* ---- the network input ---- */

static int graph_input(struct ctx *c, const uint8_t *data, size_t len, size_t at)
{
	Onnx__ValueInfoProto *vi = onnx__value_info_proto__unpack(NULL, len, data);
	if (!vi)
		return ERR(c, AUGUR_E_SYNTAX,
		           "graph input at byte %zu is not a well-formed ValueInfoProto", at);
	int rc = AUGUR_OK;
	const char *name = vi->name ? vi->name : "";
	const struct value *known = lookup(c, name);
	if (known && !known->feature)
		goto out; /* an initializer listed as an input too (older exporters) */
	if (!*name) {
		rc = ERR(c, AUGUR_E_SCHEMA, "graph input at byte %zu has no name", at);
		goto out;
	}
	if (c->have_input) {
		rc = ERR(c, AUGUR_E_SCHEMA,
		         "second graph input '%.128s' (augur models one network input; inputs "
		         "that are initializers are fine)",
		         name);
		goto out;
	}
	const Onnx__TypeProto *tp = vi->type;
	const Onnx__TensorShapeProto *sh =
	        tp && tp->value_case == ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE && tp->tensor_type
	                ? tp->tensor_type->shape
	                : NULL;
	if (!sh || (sh->n_dim != 4 && sh->n_dim != 2)) {
		rc = ERR(c, AUGUR_E_SCHEMA,
		         "graph input '%.128s' has %s (expected N x C x H x W or N x C)", name,
		         sh ? "another rank" : "no shape");
		goto out;
	}
	uint64_t d[4] = {1, 1, 1, 1};
	if (c->input && sh->n_dim != 4) {
		rc = ERR(c, AUGUR_E_SCHEMA,
		         "graph input '%.128s' is N x C; --input gives C x H x W (an image)", name);
		goto out;
	}
	if (c->input) {
		d[1] = c->input->c;
		d[2] = c->input->h;
		d[3] = c->input->w;
	}
	/* with --input only the batch comes from the file */
	for (size_t i = 0; i < (c->input ? 1 : sh->n_dim); i++) {
		const Onnx__TensorShapeProto__Dimension *dim = sh->dim[i];
		bool fixed =
		        dim->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE;
		if (i == 0 && !fixed)
			continue; /* a symbolic batch: 1, as for a descriptor without batch */
		static const char *const what[] = {"batch", "channels", "height", "width"};
		const char *w = sh->n_dim == 2 && i == 1 ? "features" : what[i];
		if (!fixed) {
			const char *param =
			        dim->value_case ==
			                        ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM
			                ? dim->dim_param
			                : "";
			rc = ERR(
			        c, AUGUR_E_SCHEMA,
			        "graph input '%.128s' has a dynamic size: its %s is '%.64s', not a "
			        "number (export the model with a fixed input size, or give one with --input "
			        "C,H,W)",
			        name, w, param);
			goto out;
		}
		uint64_t max = i == 0 ? AUGUR_MAX_BATCH : AUGUR_MAX_DIM;
		if (dim->dim_value < 1 || (uint64_t)dim->dim_value > max) {
			rc = ERR(c, AUGUR_E_SCHEMA,
			         "graph input '%.128s': %s %lld is out of range (1 to %llu)", name,
			         w, (long long)dim->dim_value, (unsigned long long)max);
			goto out;
		}
		d[i] = (uint64_t)dim->dim_value;
	}
	c->net->batch = (uint32_t)d[0];
	c->net->input = sh->n_dim == 4 ? (struct augur_shape){d[1], d[2], d[3], 3}
	                               : (struct augur_shape){d[1], 1, 1, 1};
	struct value v = {.feature = true, .layer = AUGUR_NET_INPUT, .fc_nobias = -1};
	v.shape = c->net->input;
	c->have_input = true;
	rc = define(c, name, &v);
out:
	onnx__value_info_proto__free_unpacked(vi, NULL);
	return rc;
}

/* ---- attributes ---- */

static const Onnx__AttributeProto *attr(const struct ctx *c, const char *name)
{
	for (size_t i = 0; i < c->node->n_attribute; i++)
		if (c->node->attribute[i]->name && !strcmp(c->node->attribute[i]->name, name))
			return c->node->attribute[i];
	return NULL;
}

static int attr_int(const struct ctx *c, const char *name, int64_t def, int64_t *out)
{
	const Onnx__AttributeProto *a = attr(c, name);
	*out = def;
	if (!a)
		return AUGUR_OK;
	if (!a->has_i)
		return ERR_NODE(c, "attribute '%s' is not an integer", name);
	*out = a->i;
	return AUGUR_OK;
}

static int attr_float(const struct ctx *c, const char *name, double def, double *out)
{
	const Onnx__AttributeProto *a = attr(c, name);
	*out = def;
	if (!a)
		return AUGUR_OK;
	if (!a->has_f)
		return ERR_NODE(c, "attribute '%s' is not a float", name);
	*out = a->f;
	return AUGUR_OK;
}

/* Exactly n integers (absent: *given false, out untouched). */
static int attr_ints(const struct ctx *c, const char *name, size_t n, int64_t *out, bool *given)
{
	const Onnx__AttributeProto *a = attr(c, name);
	*given = a != NULL;
	if (!a)
		return AUGUR_OK;
	if (a->n_ints != n)
		return ERR_NODE(c, "attribute '%s' has %zu values (expected %zu for a 2-D op)",
		                name, a->n_ints, n);
	memcpy(out, a->ints, n * sizeof(*out));
	return AUGUR_OK;
}

static bool attr_is(const Onnx__AttributeProto *a, const char *s)
{
	size_t n = strlen(s);
	return a && a->has_s && a->s.len == n && !memcmp(a->s.data, s, n);
}

/* ---- inputs ---- */

static const char *in_name(const struct ctx *c, size_t i)
{
	return i < c->node->n_input && c->node->input[i] ? c->node->input[i] : "";
}

static bool has_in(const struct ctx *c, size_t i)
{
	return *in_name(c, i) != '\0';
}

static int input(const struct ctx *c, size_t i, const struct value **out)
{
	const char *name = in_name(c, i);
	if (!*name)
		return ERR_NODE(c, "input %zu is missing", i + 1);
	*out = lookup(c, name);
	if (!*out)
		return ERR_NODE(c,
		                "input '%.128s' is not a graph input, an initializer or an "
		                "earlier node's output",
		                name);
	return AUGUR_OK;
}

/* A feature map, or a 5-D view of one on its way to a channel shuffle. */
static int view_in(const struct ctx *c, size_t i, const struct value **out)
{
	int rc = input(c, i, out);
	if (!rc && !(*out)->feature)
		return ERR_NODE(
		        c,
		        "input '%.128s' is a constant tensor, not a feature map (augur maps "
		        "ops on the network's data)",
		        (*out)->name);
	return rc;
}

static int feature_in(const struct ctx *c, size_t i, const struct value **out)
{
	int rc = view_in(c, i, out);
	const uint32_t *pad = rc ? NULL : (*out)->pad;
	if (pad && (pad[0] || pad[1] || pad[2] || pad[3]) && !c->pad_ok)
		return ERR_NODE(c,
		                "input '%.128s' is a Pad's output, which augur folds into a "
		                "Conv or pool that reads it; this op is neither",
		                (*out)->name);
	if (!rc && (*out)->shuffle)
		return ERR_NODE(c,
		                "input '%.128s' is a 5-D view of a map, which augur expresses only "
		                "as a channel shuffle (Reshape to N x g x C/g x H x W, Transpose "
		                "[0, 2, 1, 3, 4], Reshape back)",
		                (*out)->name);
	return rc;
}

static int tensor_in(const struct ctx *c, size_t i, const char *what, const struct value **out)
{
	int rc = input(c, i, out);
	if (!rc && (*out)->feature)
		return ERR_NODE(
		        c,
		        "%s '%.128s' is computed from the network's data; augur needs it as "
		        "an initializer",
		        what, (*out)->name);
	return rc;
}

/* A tensor input whose values are known (a shape, axes, a bound). */
static int const_in(const struct ctx *c, size_t i, const char *what, const struct value **out)
{
	int rc = tensor_in(c, i, what, out);
	if (!rc && !(*out)->has_data)
		return ERR_NODE(c, "%s '%.128s' has no values augur can read", what, (*out)->name);
	return rc;
}

static int map_rank4(const struct ctx *c, const struct value *x)
{
	if (x->shape.rank != 3)
		return ERR_NODE(c, "input '%.128s' is a vector; the op needs an N x C x H x W map",
		                x->name);
	return AUGUR_OK;
}

/* ---- outputs ---- */

static const char *out_name(const struct ctx *c)
{
	return c->node->n_output && c->node->output[0] ? c->node->output[0] : "";
}

/* Defines the node's first output as a copy of *src under the new name. */
static int alias(struct ctx *c, const struct value *src)
{
	struct value v = *src;
	v.name = NULL;
	v.initializer = false;
	if (src->data) {
		v.data = malloc(src->n * sizeof(*v.data) + 1);
		if (!v.data)
			return nomem(c);
		memcpy(v.data, src->data, src->n * sizeof(*v.data));
	}
	return define(c, out_name(c), &v);
}

/* A new tensor output of n values (data is taken). */
static int const_out(struct ctx *c, const int64_t *dims, uint32_t ndims, double *data, size_t n)
{
	struct value v = {.layer = AUGUR_NET_INPUT, .fc_nobias = -1, .has_data = true};
	v.ndims = ndims;
	if (ndims)
		memcpy(v.dims, dims, ndims * sizeof(*dims));
	v.data = data;
	v.n = n;
	return define(c, out_name(c), &v);
}

/* ---- layers ---- */

static bool plain_name(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > NAME_MAX_LEN || !strcmp(s, "input"))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			return false;
	return true;
}

/* Appends a layer named after the node (made unique) reading inputs. */
static int add_layer(struct ctx *c, enum augur_layer_type type, const char *suffix,
                     const int32_t *inputs, uint32_t n, struct augur_layer **out)
{
	char base[NAME_MAX_LEN + 32], name[NAME_MAX_LEN + 64];
	const char *given = c->node->name ? c->node->name : "";
	if (plain_name(given))
		snprintf(base, sizeof(base), "%s%s", given, suffix);
	else
		snprintf(base, sizeof(base), "%.64s_%zu%s", c->node->op_type, c->node_index,
		         suffix);
	snprintf(name, sizeof(name), "%s", base);
	int64_t prev;
	for (unsigned k = 2; augur_strmap_get(c->layers, name, &prev); k++)
		snprintf(name, sizeof(name), "%s_%u", base, k);
	struct augur_layer *l = augur_net_append(c->net, name, type);
	if (!l)
		return c->net->n_layers >= AUGUR_MAX_LAYERS
		               ? ERR(c, AUGUR_E_LIMIT, "too many layers (the limit is %u)",
		                     AUGUR_MAX_LAYERS)
		               : nomem(c);
	if (augur_layer_set_inputs(l, inputs, n) ||
	    augur_strmap_put(&c->layers, l->name, (int64_t)c->net->n_layers - 1))
		return nomem(c);
	*out = l;
	return AUGUR_OK;
}

static int finish_layer_as(struct ctx *c, int32_t fc_nobias, const char *name);

/* Traces the last layer and defines the node's first output as its feature map. */
static int finish_layer(struct ctx *c, int32_t fc_nobias)
{
	return finish_layer_as(c, fc_nobias, out_name(c));
}

/* Traces the last layer and defines name as its feature map. */
static int finish_layer_as(struct ctx *c, int32_t fc_nobias, const char *name)
{
	size_t i = c->net->n_layers - 1;
	if (c->net->n_layers > c->cap_st) {
		size_t ncap = c->cap_st ? c->cap_st * 2 : 64;
		struct augur_layer_stats *ns = realloc(c->st, ncap * sizeof(*ns));
		if (!ns)
			return nomem(c);
		c->st = ns;
		c->cap_st = ncap;
	}
	memset(&c->st[i], 0, sizeof(c->st[i]));
	struct augur_diag d;
	int rc = augur_trace_layer(c->net, i, c->st, &c->st[i].in, &c->st[i].out, &d);
	if (rc)
		return ERR(c, rc, "%s", d.message);
	struct value v = {.feature = true, .layer = (int32_t)i, .fc_nobias = fc_nobias};
	v.shape = c->st[i].out;
	return define(c, name, &v);
}

/* A layer of one input (the node's first) that keeps or sets its own shape. */
static int simple_layer(struct ctx *c, enum augur_layer_type type, struct augur_layer **out)
{
	const struct value *x;
	int rc = feature_in(c, 0, &x);
	if (rc)
		return rc;
	int32_t in = x->layer;
	return add_layer(c, type, "", &in, 1, out);
}

/* ---- windows: conv and pool ---- */

static int window_value(const struct ctx *c, const char *what, int64_t v, int64_t min,
                        uint32_t *out)
{
	if (v < min || v > (int64_t)AUGUR_MAX_WINDOW)
		return ERR_NODE(c, "%s %lld is out of range (%lld to %u)", what, (long long)v,
		                (long long)min, AUGUR_MAX_WINDOW);
	*out = (uint32_t)v;
	return AUGUR_OK;
}

/* Strides, dilations, pads and auto_pad onto l (kernel already set). Pads augur expresses
 * as one value per axis: begin + end even gives the same output size and work; a pool
 * padded at the end only may be a ceil_mode pool. */
static int window(struct ctx *c, const struct value *x, struct augur_layer *l, bool pool,
                  bool ceil_mode)
{
	int64_t strides[2] = {1, 1}, dil[2] = {1, 1}, pads[4] = {0, 0, 0, 0};
	bool given;
	int rc;
	if ((rc = attr_ints(c, "strides", 2, strides, &given)) ||
	    (rc = attr_ints(c, "dilations", 2, dil, &given)) ||
	    (rc = attr_ints(c, "pads", 4, pads, &given)))
		return rc;
	if ((rc = window_value(c, "stride", strides[0], 1, &l->stride.h)) ||
	    (rc = window_value(c, "stride", strides[1], 1, &l->stride.w)) ||
	    (rc = window_value(c, "dilation", dil[0], 1, &l->dilation.h)) ||
	    (rc = window_value(c, "dilation", dil[1], 1, &l->dilation.w)))
		return rc;
	if (pool && (dil[0] != 1 || dil[1] != 1))
		return ERR_NODE(c, "dilated pooling is not expressible in augur");
	for (int a = 0; a < 4; a++)
		pads[a] += x->pad[a];
	const Onnx__AttributeProto *ap = attr(c, "auto_pad");
	uint32_t k[2] = {l->kernel.h, l->kernel.w}, s[2] = {l->stride.h, l->stride.w};
	uint32_t d[2] = {l->dilation.h, l->dilation.w};
	uint64_t in[2] = {x->shape.h, x->shape.w};
	int64_t total[2];
	if (ap && !attr_is(ap, "NOTSET")) {
		bool same = attr_is(ap, "SAME_UPPER") || attr_is(ap, "SAME_LOWER");
		if (!same && !attr_is(ap, "VALID"))
			return ERR_NODE(c,
			                "unknown auto_pad (expected NOTSET, SAME_UPPER, SAME_LOWER "
			                "or VALID)");
		for (int a = 0; a < 2; a++) {
			int64_t o = ((int64_t)in[a] + s[a] - 1) / s[a];
			int64_t ext = (int64_t)d[a] * (k[a] - 1) + 1;
			int64_t t = (o - 1) * s[a] + ext - (int64_t)in[a];
			total[a] = (same && t > 0 ? t : 0) + x->pad[a] + x->pad[a + 2];
		}
	} else {
		for (int a = 0; a < 2; a++) {
			if (pads[a] < 0 || pads[a + 2] < 0)
				return ERR_NODE(c, "negative pads are not expressible in augur");
			total[a] = pads[a] + pads[a + 2];
			if (ceil_mode && pads[a] != pads[a + 2])
				return ERR_NODE(c,
				                "asymmetric pads [%lld, %lld, %lld, %lld] with "
				                "ceil_mode are not expressible in augur",
				                (long long)pads[0], (long long)pads[1],
				                (long long)pads[2], (long long)pads[3]);
		}
	}
	/* before opset 10, MaxPool had no ceil_mode: exporters pad the end instead. No
	 * leading pad and the output ceil_mode would give: a ceil pool. */
	bool odd = total[0] % 2 || total[1] % 2;
	if (odd && pool && !ceil_mode && (!ap || attr_is(ap, "NOTSET")) && !pads[0] && !pads[1]) {
		bool same_out = true;
		for (int a = 0; a < 2; a++) {
			int64_t span = (int64_t)in[a] - k[a];
			same_out &= span >= 0 && span + pads[a + 2] >= 0 &&
			            (span + pads[a + 2]) / s[a] == (span + s[a] - 1) / s[a];
		}
		if (same_out) {
			l->ceil = true;
			total[0] = total[1] = 0;
		}
	}
	for (int a = 0; a < 2; a++)
		if (total[a] % 2)
			return ERR_NODE(
			        c,
			        "padding of %lld in total along %s is split unevenly; augur "
			        "pads both sides alike (an even total is expressible)",
			        (long long)total[a], a ? "the width" : "the height");
	if ((rc = window_value(c, "pad", total[0] / 2, 0, &l->pad.h)) ||
	    (rc = window_value(c, "pad", total[1] / 2, 0, &l->pad.w)))
		return rc;
	return AUGUR_OK;
}

/* ---- ops ---- */

static int op_conv(struct ctx *c)
{
	const struct value *x, *w, *b = NULL;
	int rc;
	c->pad_ok = true;
	rc = feature_in(c, 0, &x);
	c->pad_ok = false;
	if (rc || (rc = map_rank4(c, x)) || (rc = tensor_in(c, 1, "weight", &w)))
		return rc;
	if (has_in(c, 2) && (rc = tensor_in(c, 2, "bias", &b)))
		return rc;
	if (w->ndims != 4)
		return ERR_NODE(c,
		                "weight '%.128s' has %u dimensions; augur reads 2-D convolutions "
		                "(M x C/group x kH x kW)",
		                w->name, w->ndims);
	int64_t group;
	if ((rc = attr_int(c, "group", 1, &group)))
		return rc;
	if (group < 1 || group > (int64_t)AUGUR_MAX_DIM)
		return ERR_NODE(c, "group %lld is out of range", (long long)group);
	if ((uint64_t)w->dims[1] * (uint64_t)group != x->shape.c)
		return ERR_NODE(c,
		                "weight '%.128s' takes %lld channels per group x %lld groups, but "
		                "input '%.128s' has %llu channels",
		                w->name, (long long)w->dims[1], (long long)group, x->name,
		                (unsigned long long)x->shape.c);
	if (w->dims[0] < 1 || w->dims[0] > (int64_t)AUGUR_MAX_DIM)
		return ERR_NODE(c, "weight '%.128s' has %lld filters (out of range)", w->name,
		                (long long)w->dims[0]);
	int64_t ks[2] = {w->dims[2], w->dims[3]};
	bool given;
	if ((rc = attr_ints(c, "kernel_shape", 2, ks, &given)))
		return rc;
	if (ks[0] != w->dims[2] || ks[1] != w->dims[3])
		return ERR_NODE(c,
		                "kernel_shape %lldx%lld differs from weight '%.128s' (%lldx%lld)",
		                (long long)ks[0], (long long)ks[1], w->name, (long long)w->dims[2],
		                (long long)w->dims[3]);
	struct augur_layer *l;
	int32_t in = x->layer;
	if ((rc = add_layer(c, AUGUR_LAYER_CONV, "", &in, 1, &l)))
		return rc;
	l->filters = (uint32_t)w->dims[0];
	l->groups = (uint32_t)group;
	l->bias = b != NULL;
	if ((rc = window_value(c, "kernel", ks[0], 1, &l->kernel.h)) ||
	    (rc = window_value(c, "kernel", ks[1], 1, &l->kernel.w)) ||
	    (rc = window(c, x, l, false, false)))
		return rc;
	return finish_layer(c, -1);
}

static int op_pool(struct ctx *c, int op)
{
	const struct value *x;
	int rc;
	c->pad_ok = true;
	rc = feature_in(c, 0, &x);
	c->pad_ok = false;
	if (rc || (rc = map_rank4(c, x)))
		return rc;
	if (c->node->n_output > 1 && c->node->output[1] && *c->node->output[1])
		return ERR_NODE(c, "MaxPool's indices output is not expressible in augur");
	int64_t ks[2] = {0, 0}, ceil_mode;
	bool given;
	if ((rc = attr_ints(c, "kernel_shape", 2, ks, &given)) ||
	    (rc = attr_int(c, "ceil_mode", 0, &ceil_mode)))
		return rc;
	if (!given)
		return ERR_NODE(c, "attribute 'kernel_shape' is missing");
	struct augur_layer *l;
	int32_t in = x->layer;
	if ((rc = add_layer(c, AUGUR_LAYER_POOL, "", &in, 1, &l)))
		return rc;
	l->op = op;
	l->ceil = ceil_mode != 0;
	if ((rc = window_value(c, "kernel", ks[0], 1, &l->kernel.h)) ||
	    (rc = window_value(c, "kernel", ks[1], 1, &l->kernel.w)) ||
	    (rc = window(c, x, l, true, l->ceil)))
		return rc;
	return finish_layer(c, -1);
}

static int op_maxpool(struct ctx *c)
{
	return op_pool(c, AUGUR_POOL_MAX);
}

static int op_avgpool(struct ctx *c)
{
	return op_pool(c, AUGUR_POOL_AVG);
}

static int global_pool(struct ctx *c, int op)
{
	const struct value *x;
	int rc;
	if ((rc = feature_in(c, 0, &x)) || (rc = map_rank4(c, x)))
		return rc;
	struct augur_layer *l;
	int32_t in = x->layer;
	if ((rc = add_layer(c, AUGUR_LAYER_POOL, "", &in, 1, &l)))
		return rc;
	l->op = op;
	l->global = true;
	return finish_layer(c, -1);
}

static int op_globalavg(struct ctx *c)
{
	return global_pool(c, AUGUR_POOL_AVG);
}

static int op_globalmax(struct ctx *c)
{
	return global_pool(c, AUGUR_POOL_MAX);
}

/* ReduceMean over H and W: a global average pool. */
static int op_reducemean(struct ctx *c)
{
	const struct value *x, *ax;
	int64_t axes[MAX_RANK];
	size_t n = 0;
	int rc;
	if ((rc = feature_in(c, 0, &x)) || (rc = map_rank4(c, x)))
		return rc;
	const Onnx__AttributeProto *a = attr(c, "axes");
	if (a) {
		n = a->n_ints < MAX_RANK ? a->n_ints : MAX_RANK;
		memcpy(axes, a->ints, n * sizeof(*axes));
	} else if (has_in(c, 1)) { /* opset 18: axes as an input */
		if ((rc = const_in(c, 1, "axes", &ax)))
			return rc;
		n = ax->n < MAX_RANK ? ax->n : MAX_RANK;
		for (size_t i = 0; i < n; i++)
			axes[i] = (int64_t)ax->data[i];
	}
	bool h = false, w = false, other = n == 0;
	for (size_t i = 0; i < n; i++) {
		int64_t v = axes[i] < 0 ? axes[i] + 4 : axes[i];
		h |= v == 2;
		w |= v == 3;
		other |= v != 2 && v != 3;
	}
	if (other || !h || !w)
		return ERR_NODE(c, "ReduceMean over axes other than H and W is not expressible in "
		                   "augur (a global average pool)");
	return global_pool(c, AUGUR_POOL_AVG);
}

static int fc_layer(struct ctx *c, const struct value *x, uint64_t k, int64_t n, bool bias,
                    int32_t nobias)
{
	uint64_t elems;
	if (!augur_shape_elems(&x->shape, &elems) || elems != k)
		return ERR_NODE(c,
		                "weight takes %llu inputs, but input '%.128s' holds %llu values "
		                "per image",
		                (unsigned long long)k, x->name, (unsigned long long)elems);
	if (n < 1 || n > (int64_t)AUGUR_MAX_DIM)
		return ERR_NODE(c, "%lld outputs is out of range", (long long)n);
	struct augur_layer *l;
	int32_t in = x->layer;
	int rc = add_layer(c, AUGUR_LAYER_FC, "", &in, 1, &l);
	if (rc)
		return rc;
	l->outputs = (uint32_t)n;
	l->bias = bias;
	return finish_layer(c, nobias ? (int32_t)c->net->n_layers - 1 : -1);
}

static int op_gemm(struct ctx *c)
{
	const struct value *x, *w, *b = NULL;
	int64_t ta, tb;
	int rc;
	if ((rc = feature_in(c, 0, &x)) || (rc = tensor_in(c, 1, "weight", &w)) ||
	    (rc = attr_int(c, "transA", 0, &ta)) || (rc = attr_int(c, "transB", 0, &tb)))
		return rc;
	if (has_in(c, 2) && (rc = tensor_in(c, 2, "bias", &b)))
		return rc;
	if (ta)
		return ERR_NODE(c, "transA=1 (a transposed batch) is not expressible in augur");
	if (w->ndims != 2)
		return ERR_NODE(c, "weight '%.128s' has %u dimensions (expected 2)", w->name,
		                w->ndims);
	uint64_t k = (uint64_t)(tb ? w->dims[1] : w->dims[0]);
	return fc_layer(c, x, k, tb ? w->dims[0] : w->dims[1], b != NULL, 0);
}

/* MatMul by a weight matrix: an fc layer, whose bias a following Add supplies. */
static int op_matmul(struct ctx *c)
{
	const struct value *x, *w;
	int rc;
	if ((rc = feature_in(c, 0, &x)) || (rc = tensor_in(c, 1, "weight", &w)))
		return rc;
	if (x->shape.rank != 1)
		return ERR_NODE(c, "MatMul of a 4-D map is not expressible in augur (an fc layer "
		                   "reads N x K)");
	if (w->ndims != 2)
		return ERR_NODE(c, "weight '%.128s' has %u dimensions (expected 2)", w->name,
		                w->ndims);
	return fc_layer(c, x, (uint64_t)w->dims[0], w->dims[1], false, 1);
}

static int op_relu(struct ctx *c)
{
	struct augur_layer *l;
	int rc = simple_layer(c, AUGUR_LAYER_RELU, &l);
	return rc ? rc : finish_layer(c, -1);
}

static int op_leakyrelu(struct ctx *c)
{
	double alpha;
	struct augur_layer *l;
	int rc = attr_float(c, "alpha", 0.01, &alpha);
	if (rc)
		return rc;
	if (!(alpha >= -1e6 && alpha <= 1e6)) /* the descriptors' bound; NaN fails too */
		return ERR_NODE(c, "alpha %g is out of range (-1e6 to 1e6)", alpha);
	if ((rc = simple_layer(c, AUGUR_LAYER_RELU, &l)))
		return rc;
	l->negative_slope = alpha;
	return finish_layer(c, -1);
}

/* Clip(0, max): ReLU clipped at max (ReLU6). Bounds are attributes before opset 11,
 * inputs since. */
static int op_clip(struct ctx *c)
{
	double lo = -INFINITY, hi = INFINITY;
	const struct value *v;
	int rc;
	if ((rc = attr_float(c, "min", -INFINITY, &lo)) ||
	    (rc = attr_float(c, "max", INFINITY, &hi)))
		return rc;
	if (has_in(c, 1)) {
		if ((rc = const_in(c, 1, "min", &v)))
			return rc;
		lo = v->n == 1 ? v->data[0] : NAN;
	}
	if (has_in(c, 2)) {
		if ((rc = const_in(c, 2, "max", &v)))
			return rc;
		hi = v->n == 1 ? v->data[0] : NAN;
	}
	if (lo != 0 || !(hi >= 1e-30) || (hi > 1e30 && !isinf(hi)))
		return ERR_NODE(c,
		                "Clip to [%g, %g] is not expressible in augur (a relu clips at 0 "
		                "and, optionally, at a positive maximum)",
		                lo, hi);
	struct augur_layer *l;
	if ((rc = simple_layer(c, AUGUR_LAYER_RELU, &l)))
		return rc;
	l->max = isinf(hi) ? 0 : hi;
	return finish_layer(c, -1);
}

/* An op that maps to a layer of type with no attribute augur reads. */
static int unary_layer(struct ctx *c, enum augur_layer_type type)
{
	struct augur_layer *l;
	int rc = simple_layer(c, type, &l);
	return rc ? rc : finish_layer(c, -1);
}

static int op_sigmoid(struct ctx *c)
{
	return unary_layer(c, AUGUR_LAYER_SIGMOID);
}

static int op_tanh(struct ctx *c)
{
	return unary_layer(c, AUGUR_LAYER_TANH);
}

static int op_softmax(struct ctx *c)
{
	return unary_layer(c, AUGUR_LAYER_SOFTMAX);
}

static int op_dropout(struct ctx *c)
{
	return unary_layer(c, AUGUR_LAYER_DROPOUT);
}

static int op_lrn(struct ctx *c)
{
	int64_t size;
	struct augur_layer *l;
	int rc = attr_int(c, "size", 0, &size);
	if (rc)
		return rc;
	if (size < 1 || size > (int64_t)AUGUR_MAX_WINDOW)
		return ERR_NODE(c, "attribute 'size' must be between 1 and %u", AUGUR_MAX_WINDOW);
	if ((rc = simple_layer(c, AUGUR_LAYER_LRN, &l)))
		return rc;
	l->size = (uint32_t)size;
	return finish_layer(c, -1);
}

/* BatchNormalization: Caffe's pair, batchnorm (mean, variance) then scale (gamma, beta). */
static int op_batchnorm(struct ctx *c)
{
	const struct value *x, *t;
	int rc;
	if ((rc = feature_in(c, 0, &x)))
		return rc;
	for (size_t i = 1; i <= 4; i++) {
		if ((rc = tensor_in(c, i, "parameter", &t)))
			return rc;
		if (numel(t) != x->shape.c)
			return ERR_NODE(c, "parameter '%.128s' holds %llu values for %llu channels",
			                t->name, (unsigned long long)numel(t),
			                (unsigned long long)x->shape.c);
	}
	struct augur_layer *l;
	int32_t in = x->layer;
	if ((rc = add_layer(c, AUGUR_LAYER_BATCHNORM, "", &in, 1, &l)) ||
	    (rc = finish_layer(c, -1)))
		return rc;
	in = (int32_t)c->net->n_layers - 1;
	if ((rc = add_layer(c, AUGUR_LAYER_SCALE, "_scale", &in, 1, &l)))
		return rc;
	l->bias = true;
	return finish_layer(c, -1);
}

static int op_flatten(struct ctx *c)
{
	int64_t axis;
	struct augur_layer *l;
	int rc = attr_int(c, "axis", 1, &axis);
	if (rc)
		return rc;
	if (axis != 1)
		return ERR_NODE(c, "Flatten with axis %lld is not expressible in augur (axis 1 is)",
		                (long long)axis);
	if ((rc = simple_layer(c, AUGUR_LAYER_FLATTEN, &l)))
		return rc;
	return finish_layer(c, -1);
}

static int op_identity(struct ctx *c)
{
	const struct value *x;
	int rc = input(c, 0, &x);
	return rc ? rc : alias(c, x);
}

static int reshape_to(struct ctx *c, const struct value *x, const int64_t *in, uint32_t rank,
                      const int64_t *outd, size_t n);

/* Reshape of a feature map: to its own shape nothing, to N x (everything) a flatten, to
 * another N x C x H x W a reshape layer; to N x g x C/g x H x W the first step of a
 * channel shuffle, whose transposed view reshaped back to the map's shape is the shuffle. */
static int op_reshape(struct ctx *c)
{
	const struct value *x, *s;
	int rc;
	if ((rc = view_in(c, 0, &x)) || (rc = const_in(c, 1, "shape", &s)))
		return rc;
	int64_t in[MAX_RANK], outd[MAX_RANK];
	uint32_t rank = x->shuffle ? x->ndims : feature_dims(c, x, in);
	if (x->shuffle)
		memcpy(in, x->dims, rank * sizeof(*in));
	if (s->n > MAX_RANK)
		return ERR_NODE(c, "shape '%.128s' has %zu dimensions (at most %d)", s->name, s->n,
		                MAX_RANK);
	uint64_t total = 1, known = 1;
	for (uint32_t i = 0; i < rank; i++)
		if (augur_mul_overflow(total, (uint64_t)in[i], &total))
			return ERR(c, AUGUR_E_OVERFLOW, "input '%.128s' is too large to reshape",
			           x->name);
	int infer = -1;
	for (size_t i = 0; i < s->n; i++) {
		double v = s->data[i];
		if (v == 0 && i < rank)
			outd[i] = in[i];
		else if (v == -1 && infer < 0)
			infer = (int)i;
		else if (v >= 1 && v <= (double)(1ull << 40))
			outd[i] = (int64_t)v;
		else
			return ERR_NODE(c, "shape '%.128s' has an invalid entry %g", s->name, v);
		if ((int)i != infer && augur_mul_overflow(known, (uint64_t)outd[i], &known))
			return ERR_NODE(c, "shape '%.128s' is too large", s->name);
	}
	if (infer >= 0)
		outd[infer] = known && total % known == 0 ? (int64_t)(total / known) : 0;
	uint64_t got = known * (uint64_t)(infer >= 0 ? outd[infer] : 1);
	if (got != total)
		return ERR_NODE(c, "cannot reshape %llu values per batch to shape '%.128s'",
		                (unsigned long long)total, s->name);
	return reshape_to(c, x, in, rank, outd, s->n);
}

/* What a Reshape of x (dims in, rank) to outd (n dims) becomes. */
static int reshape_to(struct ctx *c, const struct value *x, const int64_t *in, uint32_t rank,
                      const int64_t *outd, size_t n)
{
	struct augur_layer *l;
	int32_t src = x->layer;
	int rc;
	int64_t map[4];
	uint32_t map_rank = feature_dims(c, x, map);
	bool back = n == map_rank && !memcmp(outd, map, n * sizeof(*outd));
	if (x->shuffle && back && x->shuffle == 1) { /* viewed and back: nothing */
		struct value v = *x;
		v.shuffle = 0;
		v.ndims = 0;
		return alias(c, &v);
	}
	if (x->shuffle && back) {
		if ((rc = add_layer(c, AUGUR_LAYER_SHUFFLE, "", &src, 1, &l)))
			return rc;
		l->groups = (uint32_t)x->dims[2];
		return finish_layer(c, -1);
	}
	if (x->shuffle)
		return ERR_NODE(c, "a 5-D view of a map is expressible only as a channel shuffle "
		                   "(Reshape to N x g x C/g x H x W, Transpose [0, 2, 1, 3, 4], "
		                   "Reshape back)");
	if (n == rank && !memcmp(in, outd, rank * sizeof(*in)))
		return alias(c, x);
	if (n == 5 && rank == 4 && outd[0] == in[0] && outd[3] == in[2] && outd[4] == in[3] &&
	    outd[1] <= (int64_t)AUGUR_MAX_DIM && !x->pad[0] && !x->pad[1] && !x->pad[2] &&
	    !x->pad[3]) {
		struct value v = *x;
		v.shuffle = 1;
		v.ndims = 5;
		memcpy(v.dims, outd, 5 * sizeof(*outd));
		return alias(c, &v);
	}
	if (n == 2 && outd[0] == in[0]) {
		if ((rc = simple_layer(c, AUGUR_LAYER_FLATTEN, &l)))
			return rc;
		return finish_layer(c, -1);
	}
	if (n == 4 && outd[0] == in[0] && outd[1] <= (int64_t)AUGUR_MAX_DIM &&
	    outd[2] <= (int64_t)AUGUR_MAX_DIM && outd[3] <= (int64_t)AUGUR_MAX_DIM) {
		if ((rc = simple_layer(c, AUGUR_LAYER_RESHAPE, &l)))
			return rc;
		l->shape_rank = 3;
		for (int i = 0; i < 3; i++)
			l->shape[i] = outd[i + 1];
		return finish_layer(c, -1);
	}
	char buf[128] = "";
	for (size_t i = 0; i < n; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%lld", i ? ", " : "",
		         (long long)outd[i]);
	return ERR_NODE(c,
	                "Reshape to [%s] is not expressible in augur (a reshape keeps the batch "
	                "and gives N x C x H x W, N x everything, or a channel shuffle's "
	                "N x g x C/g x H x W)",
	                buf);
}

/* Element-wise ops: feature maps of one shape -> eltwise; an Add of a bias vector to a
 * MatMul's output -> that fc layer's bias; constants -> computed. */
static int binary_const(struct ctx *c, char op)
{
	const struct value *a, *b;
	int rc;
	if ((rc = const_in(c, 0, "operand", &a)) || (rc = const_in(c, 1, "operand", &b)))
		return rc;
	if (a->n != b->n && a->n != 1 && b->n != 1)
		return ERR_NODE(c, "constant operands of %zu and %zu values do not broadcast", a->n,
		                b->n);
	const struct value *big = a->n >= b->n ? a : b;
	double *d = malloc((big->n ? big->n : 1) * sizeof(*d));
	if (!d)
		return nomem(c);
	for (size_t i = 0; i < big->n; i++) {
		double x = a->data[a->n == 1 ? 0 : i], y = b->data[b->n == 1 ? 0 : i];
		d[i] = op == '+' ? x + y : op == '-' ? x - y : op == '*' ? x * y : y ? x / y : 0;
		if (op == '/' && y && x == floor(x) && y == floor(y))
			d[i] = trunc(x / y); /* integer division of shape values */
	}
	return const_out(c, big->dims, big->ndims, d, big->n);
}

static int eltwise(struct ctx *c, int op, char cop)
{
	const struct value *a, *b;
	int rc;
	if ((rc = input(c, 0, &a)) || (rc = input(c, 1, &b)))
		return rc;
	if (!a->feature && !b->feature && cop)
		return binary_const(c, cop);
	if (!a->feature || !b->feature) {
		const struct value *f = a->feature ? a : b, *t = a->feature ? b : a;
		if (cop == '+' && f->fc_nobias >= 0 && f->shape.rank == 1 &&
		    numel(t) == f->shape.c) {
			c->net->layers[f->fc_nobias].bias = true;
			struct value v = *f;
			v.fc_nobias = -1;
			v.name = NULL;
			v.data = NULL;
			return define(c, out_name(c), &v);
		}
		return ERR_NODE(
		        c,
		        "broadcasting a constant tensor ('%.128s') over a feature map is "
		        "not expressible in augur (it needs a broadcast element-wise layer)",
		        t->name);
	}
	size_t n = c->node->n_input;
	if (n > AUGUR_MAX_INPUTS)
		return ERR(c, AUGUR_E_LIMIT, "too many inputs (the limit is %u)", AUGUR_MAX_INPUTS);
	int32_t ins[AUGUR_MAX_INPUTS];
	for (size_t i = 0; i < n; i++) {
		const struct value *x;
		if ((rc = feature_in(c, i, &x)))
			return rc;
		/* shapes that differ must broadcast (a squeeze-and-excitation block's C x 1 x
		 * 1 scale): the trace checks */
		ins[i] = x->layer;
	}
	struct augur_layer *l;
	if ((rc = add_layer(c, AUGUR_LAYER_ELTWISE, "", ins, (uint32_t)n, &l)))
		return rc;
	l->op = op;
	return finish_layer(c, -1);
}

static int op_add(struct ctx *c)
{
	return eltwise(c, AUGUR_ELTWISE_SUM, '+');
}

static int op_sum(struct ctx *c)
{
	return c->node->n_input == 1 ? op_identity(c) : eltwise(c, AUGUR_ELTWISE_SUM, 0);
}

static int op_mul(struct ctx *c)
{
	return eltwise(c, AUGUR_ELTWISE_PROD, '*');
}

static int op_max(struct ctx *c)
{
	return eltwise(c, AUGUR_ELTWISE_MAX, 0);
}

/* Sub and Div: only of constants (shape arithmetic). */
static int op_sub(struct ctx *c)
{
	const struct value *a, *b;
	int rc;
	if ((rc = input(c, 0, &a)) || (rc = input(c, 1, &b)))
		return rc;
	if (a->feature || b->feature)
		return ERR_NODE(c,
		                "Sub of feature maps needs a layer type augur does not have yet");
	return binary_const(c, '-');
}

static int op_div(struct ctx *c)
{
	const struct value *a, *b;
	int rc;
	if ((rc = input(c, 0, &a)) || (rc = input(c, 1, &b)))
		return rc;
	if (a->feature || b->feature)
		return ERR_NODE(c,
		                "Div of feature maps needs a layer type augur does not have yet");
	return binary_const(c, '/');
}

static int op_concat(struct ctx *c)
{
	const struct value *a;
	int64_t axis;
	int rc;
	if ((rc = input(c, 0, &a)) || (rc = attr_int(c, "axis", 0, &axis)))
		return rc;
	size_t n = c->node->n_input;
	if (!a->feature) { /* constants: shape arithmetic, 1-D */
		size_t total = 0;
		for (size_t i = 0; i < n; i++) {
			const struct value *v;
			if ((rc = const_in(c, i, "operand", &v)))
				return rc;
			if (v->ndims > 1)
				return ERR_NODE(c, "Concat of constant tensors of rank %u",
				                v->ndims);
			total += v->n;
		}
		if (total > MAX_CONST_ELEMS)
			return ERR_NODE(c, "Concat of constants holds too many values");
		double *d = malloc((total ? total : 1) * sizeof(*d));
		if (!d)
			return nomem(c);
		size_t at = 0;
		for (size_t i = 0; i < n; i++) {
			const struct value *v = lookup(c, in_name(c, i));
			memcpy(d + at, v->data, v->n * sizeof(*d));
			at += v->n;
		}
		int64_t dims[1] = {(int64_t)total};
		return const_out(c, dims, 1, d, total);
	}
	int64_t rank = a->shape.rank == 1 ? 2 : 4;
	if (axis != 1 && axis != 1 - rank)
		return ERR_NODE(c,
		                "Concat along axis %lld is not expressible in augur (channels are)",
		                (long long)axis);
	if (n > AUGUR_MAX_INPUTS)
		return ERR(c, AUGUR_E_LIMIT, "too many inputs (the limit is %u)", AUGUR_MAX_INPUTS);
	int32_t ins[AUGUR_MAX_INPUTS];
	for (size_t i = 0; i < n; i++) {
		const struct value *x;
		if ((rc = feature_in(c, i, &x)))
			return rc;
		ins[i] = x->layer;
	}
	if (n == 1)
		return alias(c, a);
	struct augur_layer *l;
	if ((rc = add_layer(c, AUGUR_LAYER_CONCAT, "", ins, (uint32_t)n, &l)))
		return rc;
	return finish_layer(c, -1);
}

/* Pad of a map with zeros on H and W: nothing, or padding the next conv or pool takes
 * over. */
static int op_pad(struct ctx *c)
{
	const struct value *x, *p;
	int64_t pads[8] = {0};
	int rc;
	if ((rc = feature_in(c, 0, &x)) || (rc = map_rank4(c, x)))
		return rc;
	const Onnx__AttributeProto *mode = attr(c, "mode");
	if (mode && !attr_is(mode, "constant"))
		return ERR_NODE(c, "Pad in a mode other than 'constant' needs a pad layer, which "
		                   "augur does not have yet");
	const Onnx__AttributeProto *a = attr(c, "pads");
	if (a) { /* before opset 11 */
		if (a->n_ints != 8)
			return ERR_NODE(c, "attribute 'pads' has %zu values (expected 8)",
			                a->n_ints);
		memcpy(pads, a->ints, sizeof(pads));
	} else {
		if ((rc = const_in(c, 1, "pads", &p)))
			return rc;
		if (p->n != 8)
			return ERR_NODE(c, "pads '%.128s' has %zu values (expected 8)", p->name,
			                p->n);
		for (int i = 0; i < 8; i++)
			pads[i] = (int64_t)p->data[i];
	}
	double value = 0;
	if ((rc = attr_float(c, "value", 0, &value)))
		return rc;
	if (has_in(c, 2)) {
		if ((rc = const_in(c, 2, "constant_value", &p)))
			return rc;
		value = p->n == 1 ? p->data[0] : NAN;
	}
	if (pads[0] || pads[1] || pads[4] || pads[5] || value != 0)
		return ERR_NODE(c,
		                "Pad of batch or channels, or with a value other than 0, needs a "
		                "pad layer, which augur does not have yet");
	struct value v = *x;
	v.name = NULL;
	v.data = NULL;
	int64_t add[4] = {pads[2], pads[3], pads[6], pads[7]};
	for (int i = 0; i < 4; i++) {
		if (add[i] < 0 || add[i] + x->pad[i] > (int64_t)AUGUR_MAX_WINDOW)
			return ERR_NODE(c, "pad %lld is out of range", (long long)add[i]);
		v.pad[i] = x->pad[i] + (uint32_t)add[i];
	}
	return define(c, out_name(c), &v);
}

/* ---- shape-only ops ---- */

static int op_shape(struct ctx *c)
{
	const struct value *x;
	int rc = input(c, 0, &x);
	if (rc)
		return rc;
	int64_t dims[MAX_RANK];
	uint32_t rank;
	if (x->feature)
		rank = feature_dims(c, x, dims);
	else {
		rank = x->ndims;
		memcpy(dims, x->dims, rank * sizeof(*dims));
	}
	int64_t start, end;
	if ((rc = attr_int(c, "start", 0, &start)) || (rc = attr_int(c, "end", rank, &end)))
		return rc;
	start = start < 0 ? start + rank : start;
	end = end < 0 ? end + rank : end;
	start = start < 0 ? 0 : start > rank ? rank : start;
	end = end < start ? start : end > rank ? rank : end;
	size_t n = (size_t)(end - start);
	double *d = malloc((n ? n : 1) * sizeof(*d));
	if (!d)
		return nomem(c);
	for (size_t i = 0; i < n; i++)
		d[i] = (double)dims[(size_t)start + i];
	int64_t od[1] = {(int64_t)n};
	return const_out(c, od, 1, d, n);
}

static int op_gather(struct ctx *c)
{
	const struct value *x, *idx;
	int64_t axis;
	int rc;
	if ((rc = const_in(c, 0, "data", &x)) || (rc = const_in(c, 1, "indices", &idx)) ||
	    (rc = attr_int(c, "axis", 0, &axis)))
		return rc;
	if (axis != 0 || x->ndims > 1)
		return ERR_NODE(c, "Gather of constants is read along axis 0 of a vector only");
	double *d = malloc((idx->n ? idx->n : 1) * sizeof(*d));
	if (!d)
		return nomem(c);
	for (size_t i = 0; i < idx->n; i++) {
		double j = idx->data[i] < 0 ? idx->data[i] + (double)x->n : idx->data[i];
		if (!(j >= 0 && j < (double)x->n)) {
			free(d);
			return ERR_NODE(c, "index %g is out of range (%zu values)", idx->data[i],
			                x->n);
		}
		d[i] = x->data[(size_t)j];
	}
	return const_out(c, idx->dims, idx->ndims, d, idx->n);
}

/* Unsqueeze, Squeeze, Cast: the values stay; a scalar becomes a vector and back. */
static int op_keep_values(struct ctx *c)
{
	const struct value *x;
	int rc = input(c, 0, &x);
	if (rc)
		return rc;
	if (x->feature)
		return ERR_NODE(c, "%s of a feature map is not expressible in augur",
		                c->node->op_type);
	if (!x->has_data)
		return ERR_NODE(c, "input '%.128s' has no values augur can read", x->name);
	double *d = malloc((x->n ? x->n : 1) * sizeof(*d));
	if (!d)
		return nomem(c);
	memcpy(d, x->data, x->n * sizeof(*d));
	int64_t dims[1] = {(int64_t)x->n};
	bool scalar = !strcmp(c->node->op_type, "Squeeze") && x->n == 1;
	if (!strcmp(c->node->op_type, "Cast") || scalar)
		return const_out(c, x->dims, scalar ? 0 : x->ndims, d, x->n);
	return const_out(c, dims, 1, d, x->n);
}

static int op_constant(struct ctx *c)
{
	const Onnx__AttributeProto *a;
	struct value v;
	int rc;
	if ((a = attr(c, "value")) && a->t) {
		if ((rc = tensor_value(c, a->t, &v)))
			return rc;
		return define(c, out_name(c), &v);
	}
	double *d;
	if ((a = attr(c, "value_int")) || (a = attr(c, "value_float"))) {
		if (!(d = malloc(sizeof(*d))))
			return nomem(c);
		d[0] = a->has_i ? (double)a->i : a->f;
		return const_out(c, NULL, 0, d, 1);
	}
	if ((a = attr(c, "value_ints")) || (a = attr(c, "value_floats"))) {
		size_t n = a->n_ints ? a->n_ints : a->n_floats;
		if (n > MAX_CONST_ELEMS)
			return ERR_NODE(c, "constant holds too many values");
		if (!(d = malloc((n ? n : 1) * sizeof(*d))))
			return nomem(c);
		for (size_t i = 0; i < n; i++)
			d[i] = a->n_ints ? (double)a->ints[i] : a->floats[i];
		int64_t dims[1] = {(int64_t)n};
		return const_out(c, dims, 1, d, n);
	}
	return ERR_NODE(c, "Constant without a value augur reads (value, value_int(s), "
	                   "value_float(s))");
}

/* ---- the layer types beyond the paper's ---- */

static int op_hardsigmoid(struct ctx *c)
{
	return unary_layer(c, AUGUR_LAYER_HARDSIGMOID);
}

static int op_hardswish(struct ctx *c)
{
	return unary_layer(c, AUGUR_LAYER_HARDSWISH);
}

static int op_elu(struct ctx *c)
{
	return unary_layer(c, AUGUR_LAYER_ELU);
}

/* PRelu: one learned slope per channel, or one for all. */
static int op_prelu(struct ctx *c)
{
	const struct value *x, *s;
	int rc;
	if ((rc = feature_in(c, 0, &x)) || (rc = tensor_in(c, 1, "slope", &s)))
		return rc;
	uint64_t n = numel(s);
	if (n != 1 && n != x->shape.c)
		return ERR_NODE(c,
		                "slope '%.128s' has %llu values; augur's prelu takes one per "
		                "channel (%llu) or one",
		                s->name, (unsigned long long)n, (unsigned long long)x->shape.c);
	struct augur_layer *l;
	int32_t in = x->layer;
	if ((rc = add_layer(c, AUGUR_LAYER_PRELU, "", &in, 1, &l)))
		return rc;
	l->shared = n == 1;
	return finish_layer(c, -1);
}

/* ConvTranspose: a deconv layer; weight C x M/group x kH x kW. */
static int op_convtranspose(struct ctx *c)
{
	const struct value *x, *w, *b = NULL;
	int64_t group, pads[4] = {0, 0, 0, 0}, st[2] = {1, 1}, dil[2] = {1, 1}, op[2] = {0, 0};
	bool given;
	int rc;
	if ((rc = feature_in(c, 0, &x)) || (rc = map_rank4(c, x)) ||
	    (rc = tensor_in(c, 1, "weight", &w)) || (rc = attr_int(c, "group", 1, &group)) ||
	    (rc = attr_ints(c, "pads", 4, pads, &given)) ||
	    (rc = attr_ints(c, "strides", 2, st, &given)) ||
	    (rc = attr_ints(c, "dilations", 2, dil, &given)) ||
	    (rc = attr_ints(c, "output_padding", 2, op, &given)))
		return rc;
	if (has_in(c, 2) && (rc = tensor_in(c, 2, "bias", &b)))
		return rc;
	const Onnx__AttributeProto *ap = attr(c, "auto_pad");
	if (attr(c, "output_shape") || (ap && !attr_is(ap, "NOTSET")) || op[0] || op[1])
		return ERR_NODE(c, "ConvTranspose with output_shape, auto_pad or output_padding is "
		                   "not expressible in augur (pads are)");
	if (w->ndims != 4 || group < 1 || group > (int64_t)AUGUR_MAX_DIM ||
	    (uint64_t)w->dims[0] != x->shape.c || w->dims[1] < 1 ||
	    (uint64_t)w->dims[1] * (uint64_t)group > AUGUR_MAX_DIM)
		return ERR_NODE(c,
		                "weight '%.128s' does not fit input '%.128s' (expected C x "
		                "M/group x kH x kW with C = %llu)",
		                w->name, x->name, (unsigned long long)x->shape.c);
	if (pads[0] != pads[2] || pads[1] != pads[3])
		return ERR_NODE(c, "asymmetric pads of ConvTranspose are not expressible in augur");
	struct augur_layer *l;
	int32_t in = x->layer;
	if ((rc = add_layer(c, AUGUR_LAYER_DECONV, "", &in, 1, &l)))
		return rc;
	l->filters = (uint32_t)(w->dims[1] * group);
	l->groups = (uint32_t)group;
	l->bias = b != NULL;
	if ((rc = window_value(c, "kernel", w->dims[2], 1, &l->kernel.h)) ||
	    (rc = window_value(c, "kernel", w->dims[3], 1, &l->kernel.w)) ||
	    (rc = window_value(c, "stride", st[0], 1, &l->stride.h)) ||
	    (rc = window_value(c, "stride", st[1], 1, &l->stride.w)) ||
	    (rc = window_value(c, "dilation", dil[0], 1, &l->dilation.h)) ||
	    (rc = window_value(c, "dilation", dil[1], 1, &l->dilation.w)) ||
	    (rc = window_value(c, "pad", pads[0], 0, &l->pad.h)) ||
	    (rc = window_value(c, "pad", pads[1], 0, &l->pad.w)))
		return rc;
	return finish_layer(c, -1);
}

/* Resize (opset 11+: X, roi, scales, sizes) and Upsample (X, scales): an upsample layer,
 * by integer factors or to a size. */
static int op_resize(struct ctx *c)
{
	const struct value *x, *sc = NULL, *sz = NULL;
	int rc;
	if ((rc = feature_in(c, 0, &x)) || (rc = map_rank4(c, x)))
		return rc;
	bool upsample = !strcmp(c->node->op_type, "Upsample");
	size_t si = upsample ? 1 : 2;
	if (has_in(c, si) && (rc = const_in(c, si, "scales", &sc)))
		return rc;
	if (!upsample && has_in(c, 3) && (rc = const_in(c, 3, "sizes", &sz)))
		return rc;
	sc = sc && sc->n ? sc : NULL;
	const struct value *v = sz ? sz : sc;
	if (!v || v->n != 4 || v->data[0] != (sz ? (double)c->net->batch : 1.0) ||
	    v->data[1] != (sz ? (double)x->shape.c : 1.0))
		return ERR_NODE(c, "Resize needs scales [1, 1, h, w] or sizes [N, C, H, W]");
	const Onnx__AttributeProto *mode = attr(c, "mode");
	bool linear = mode && (attr_is(mode, "linear") || attr_is(mode, "bilinear"));
	if (mode && !linear && !attr_is(mode, "nearest"))
		return ERR_NODE(c, "Resize mode other than nearest or linear");
	double h = sz ? v->data[2] : floor((double)x->shape.h * v->data[2]);
	double w = sz ? v->data[3] : floor((double)x->shape.w * v->data[3]);
	if (!(h >= 1 && w >= 1 && h <= AUGUR_MAX_DIM && w <= AUGUR_MAX_DIM))
		return ERR_NODE(c, "Resize to %gx%g is out of range", h, w);
	struct augur_layer *l;
	int32_t in = x->layer;
	if ((rc = add_layer(c, AUGUR_LAYER_UPSAMPLE, "", &in, 1, &l)))
		return rc;
	l->op = linear ? AUGUR_UPSAMPLE_BILINEAR : AUGUR_UPSAMPLE_NEAREST;
	bool whole = !sz && v->data[2] == floor(v->data[2]) && v->data[3] == floor(v->data[3]) &&
	             v->data[2] <= AUGUR_MAX_WINDOW && v->data[3] <= AUGUR_MAX_WINDOW;
	if (whole)
		l->scale = (struct augur_hw){(uint32_t)v->data[2], (uint32_t)v->data[3]};
	else
		l->out_size = (struct augur_hw){(uint32_t)h, (uint32_t)w};
	return finish_layer(c, -1);
}

/* Slice along channels, step 1: a slice layer. */
static int op_slice(struct ctx *c)
{
	const struct value *x, *v[4] = {NULL, NULL, NULL, NULL};
	int rc;
	if ((rc = feature_in(c, 0, &x)))
		return rc;
	int64_t starts = 0, ends = 0, axis = 0, step = 1;
	const Onnx__AttributeProto *as = attr(c, "starts");
	if (as) { /* before opset 10: attributes */
		const Onnx__AttributeProto *ae = attr(c, "ends"), *ax = attr(c, "axes");
		if (as->n_ints != 1 || !ae || ae->n_ints != 1 || (ax && ax->n_ints != 1))
			return ERR_NODE(c, "Slice of more than one axis");
		starts = as->ints[0];
		ends = ae->ints[0];
		axis = ax ? ax->ints[0] : 0;
	} else {
		for (size_t i = 0; i < 4; i++)
			if (has_in(c, i + 1) && (rc = const_in(c, i + 1, "slice bound", &v[i])))
				return rc;
		if (!v[0] || !v[1] || v[0]->n != 1 || v[1]->n != 1 || (v[2] && v[2]->n != 1) ||
		    (v[3] && v[3]->n != 1))
			return ERR_NODE(c, "Slice of more than one axis");
		starts = v[0]->data[0] < -1e15 ? INT64_MIN / 2 : (int64_t)fmin(v[0]->data[0], 1e15);
		ends = v[1]->data[0] > 1e15 ? INT64_MAX / 2 : (int64_t)fmax(v[1]->data[0], -1e15);
		axis = v[2] ? (int64_t)v[2]->data[0] : 0;
		step = v[3] ? (int64_t)v[3]->data[0] : 1;
	}
	int64_t C = (int64_t)x->shape.c;
	if ((axis != 1 && axis != (x->shape.rank == 1 ? -1 : -3)) || step != 1)
		return ERR_NODE(c, "Slice other than of channels with step 1 is not expressible in "
		                   "augur");
	starts = starts < 0 ? starts + C : starts;
	ends = ends < 0 ? ends + C : ends;
	starts = starts < 0 ? 0 : starts > C ? C : starts;
	ends = ends < 0 ? 0 : ends > C ? C : ends;
	struct augur_layer *l;
	int32_t in = x->layer;
	if ((rc = add_layer(c, AUGUR_LAYER_SLICE, "", &in, 1, &l)))
		return rc;
	l->range[0] = (uint32_t)starts;
	l->range[1] = (uint32_t)ends;
	return finish_layer(c, -1);
}

/* Split along channels: one slice layer per output ("<node>", "<node>_2", ...). */
static int op_split(struct ctx *c)
{
	const struct value *x, *s = NULL;
	int64_t axis, parts[64];
	size_t n = c->node->n_output;
	int rc;
	if ((rc = feature_in(c, 0, &x)) || (rc = attr_int(c, "axis", 0, &axis)))
		return rc;
	if ((axis != 1 && axis != (x->shape.rank == 1 ? -1 : -3)) || n < 1 || n > 64)
		return ERR_NODE(c, "Split other than of channels into 1 to 64 parts is not "
		                   "expressible in augur");
	const Onnx__AttributeProto *a = attr(c, "split");
	if (has_in(c, 1) && (rc = const_in(c, 1, "split", &s)))
		return rc;
	uint64_t at = 0;
	for (size_t i = 0; i < n; i++) {
		parts[i] = a && a->n_ints == n ? a->ints[i]
		           : s && s->n == n    ? (int64_t)s->data[i]
		           : (a || s)          ? -1
		                               : (int64_t)(x->shape.c / n);
		if (parts[i] < 0 || (uint64_t)parts[i] > x->shape.c - at)
			return ERR_NODE(c, "Split sizes do not fit the %llu channels",
			                (unsigned long long)x->shape.c);
		at += (uint64_t)parts[i];
	}
	if (at != x->shape.c)
		return ERR_NODE(c, "Split sizes do not add up to the %llu channels",
		                (unsigned long long)x->shape.c);
	at = 0;
	for (size_t i = 0; i < n; i++) {
		struct augur_layer *l;
		int32_t in = x->layer;
		if ((rc = add_layer(c, AUGUR_LAYER_SLICE, "", &in, 1, &l)))
			return rc;
		l->range[0] = (uint32_t)at;
		l->range[1] = (uint32_t)(at + (uint64_t)parts[i]);
		at += (uint64_t)parts[i];
		const char *name = c->node->output[i] ? c->node->output[i] : "";
		if ((rc = finish_layer_as(c, -1, name)))
			return rc;
	}
	return AUGUR_OK;
}

/* Transpose: of a map, a permute layer; of a channel shuffle's 5-D view (N, g, C/g, H, W)
 * with perm [0, 2, 1, 3, 4], the shuffle's second step. */
static int op_transpose(struct ctx *c)
{
	const struct value *x;
	int rc = view_in(c, 0, &x);
	if (rc)
		return rc;
	const Onnx__AttributeProto *p = attr(c, "perm");
	if (x->shuffle == 1) {
		static const int64_t swap[5] = {0, 2, 1, 3, 4};
		if (!p || p->n_ints != 5 || memcmp(p->ints, swap, sizeof(swap)))
			return ERR_NODE(c, "a 5-D view of a map is expressible only as a channel "
			                   "shuffle (Reshape to N x g x C/g x H x W, Transpose "
			                   "[0, 2, 1, 3, 4], Reshape back)");
		struct value v = *x;
		v.name = NULL;
		v.data = NULL;
		v.shuffle = 2;
		v.dims[1] = x->dims[2];
		v.dims[2] = x->dims[1];
		return define(c, out_name(c), &v);
	}
	if ((rc = map_rank4(c, x)))
		return rc;
	if (!p || p->n_ints != 4 || p->ints[0] != 0)
		return ERR_NODE(c,
		                "Transpose other than of C, H and W is not expressible in augur");
	struct augur_layer *l;
	int32_t in = x->layer;
	if ((rc = add_layer(c, AUGUR_LAYER_PERMUTE, "", &in, 1, &l)))
		return rc;
	for (int i = 0; i < 3; i++) {
		if (p->ints[i + 1] < 1 || p->ints[i + 1] > 3)
			return ERR_NODE(c, "perm is not a permutation of the axes");
		l->order[i] = (uint8_t)(p->ints[i + 1] - 1);
	}
	if (l->order[0] == l->order[1] || l->order[0] == l->order[2] || l->order[1] == l->order[2])
		return ERR_NODE(c, "perm is not a permutation of the axes");
	return finish_layer(c, -1);
}

/* ---- the op table ---- */

struct op {
	const char *name;
	int (*map)(struct ctx *c);
};

static const struct op ops[] = {
        {"Conv", op_conv},
        {"Gemm", op_gemm},
        {"MatMul", op_matmul},
        {"Relu", op_relu},
        {"LeakyRelu", op_leakyrelu},
        {"Clip", op_clip},
        {"Sigmoid", op_sigmoid},
        {"Tanh", op_tanh},
        {"Softmax", op_softmax},
        {"MaxPool", op_maxpool},
        {"AveragePool", op_avgpool},
        {"GlobalAveragePool", op_globalavg},
        {"GlobalMaxPool", op_globalmax},
        {"ReduceMean", op_reducemean},
        {"BatchNormalization", op_batchnorm},
        {"Add", op_add},
        {"Sum", op_sum},
        {"Mul", op_mul},
        {"Max", op_max},
        {"Sub", op_sub},
        {"Div", op_div},
        {"Concat", op_concat},
        {"Flatten", op_flatten},
        {"Reshape", op_reshape},
        {"Dropout", op_dropout},
        {"Identity", op_identity},
        {"Pad", op_pad},
        {"LRN", op_lrn},
        {"Shape", op_shape},
        {"Gather", op_gather},
        {"Unsqueeze", op_keep_values},
        {"Squeeze", op_keep_values},
        {"Cast", op_keep_values},
        {"Constant", op_constant},
        {"HardSigmoid", op_hardsigmoid},
        {"HardSwish", op_hardswish},
        {"Elu", op_elu},
        {"PRelu", op_prelu},
        {"ConvTranspose", op_convtranspose},
        {"Resize", op_resize},
        {"Upsample", op_resize},
        {"Slice", op_slice},
        {"Split", op_split},
        {"Transpose", op_transpose},
};

/* Ops of real networks that need a layer type augur does not have yet. */
static const struct {
	const char *op, *needs;
} missing[] = {
        {"InstanceNormalization", "instance norm"},
        {"LayerNormalization", "layer norm"},
        {"Erf", "GELU"},
};

const char *augur_onnx_op_list(void)
{
	return "Conv, Gemm, MatMul, Relu, LeakyRelu, Clip, Sigmoid, Tanh, Softmax, MaxPool, "
	       "AveragePool, GlobalAveragePool, GlobalMaxPool, ReduceMean, BatchNormalization, "
	       "Add, Sum, Mul, Max, Sub, Div, Concat, Flatten, Reshape, Dropout, Identity, Pad, "
	       "LRN, Shape, Gather, Unsqueeze, Squeeze, Cast, Constant, HardSigmoid, HardSwish, "
	       "Elu, PRelu, ConvTranspose, Resize, Upsample, Slice, Split, Transpose";
}

static int map_node(struct ctx *c)
{
	const Onnx__NodeProto *n = c->node;
	if (!n->op_type || !*n->op_type)
		return ERR_NODE(c, "the node has no op_type");
	if (n->domain && *n->domain && strcmp(n->domain, "ai.onnx"))
		return ERR_NODE(c, "op of domain '%.64s' (augur reads the default ONNX domain)",
		                n->domain);
	if (!n->n_output || !n->output[0] || !*n->output[0])
		return ERR_NODE(c, "the node has no output");
	for (size_t i = 0; i < sizeof(ops) / sizeof(*ops); i++)
		if (!strcmp(n->op_type, ops[i].name))
			return ops[i].map(c);
	for (size_t i = 0; i < sizeof(missing) / sizeof(*missing); i++)
		if (!strcmp(n->op_type, missing[i].op))
			return ERR_NODE(c,
			                "op '%s' needs a layer type augur does not have yet (%s)",
			                n->op_type, missing[i].needs);
	return ERR_NODE(c, "unsupported op '%.64s' (augur reads %s)", n->op_type,
	                augur_onnx_op_list());
}

/* ---- the model ---- */

static int syntax(const struct ctx *c, const char *what, int r, const struct wfield *f,
                  const uint8_t *buf)
{
	size_t at = (size_t)(f->start - buf);
	if (r == -2)
		return ERR(c, AUGUR_E_SYNTAX,
		           "not a well-formed ONNX model: a field of %s at byte %zu runs past its "
		           "end (a truncated file?)",
		           what, at);
	return ERR(c, AUGUR_E_SYNTAX,
	           "not an ONNX model: byte %zu of %s does not start a protobuf field (expected "
	           "a binary ModelProto as torch.onnx.export writes it)",
	           at, what);
}

static int parse_graph(struct ctx *c, const uint8_t *buf, const uint8_t *g, size_t glen)
{
	struct wire w = {g, g + glen};
	struct wfield f;
	int r, rc;
	/* initializers first: nodes may come before them in the file */
	while ((r = next_field(&w, &f)) == 1)
		if (f.num == 5 && f.type == 2 &&
		    (rc = add_initializer(c, f.data, f.len, (size_t)(f.data - buf))))
			return rc;
	if (r < 0)
		return syntax(c, "the graph", r, &f, buf);
	w = (struct wire){g, g + glen};
	while (next_field(&w, &f) == 1)
		if (f.num == 11 && f.type == 2 &&
		    (rc = graph_input(c, f.data, f.len, (size_t)(f.data - buf))))
			return rc;
	if (!c->have_input)
		return ERR(c, AUGUR_E_SCHEMA,
		           "the graph has no input besides its initializers (augur needs the "
		           "network input and its shape)");
	w = (struct wire){g, g + glen};
	c->node_index = 0;
	while (next_field(&w, &f) == 1) {
		if (f.num != 1 || f.type != 2)
			continue;
		if (c->node_index >= MAX_VALUES)
			return ERR(c, AUGUR_E_LIMIT, "too many nodes (the limit is %u)",
			           MAX_VALUES);
		if (f.len > MAX_NODE_BYTES)
			return ERR(c, AUGUR_E_LIMIT, "node %zu is %zu bytes (the limit is %u)",
			           c->node_index, f.len, MAX_NODE_BYTES);
		Onnx__NodeProto *node = onnx__node_proto__unpack(NULL, f.len, f.data);
		if (!node)
			return ERR(c, AUGUR_E_SYNTAX,
			           "node %zu (at byte %zu) is not a well-formed "
			           "NodeProto",
			           c->node_index, (size_t)(f.data - buf));
		c->node = node;
		rc = map_node(c);
		c->node = NULL;
		onnx__node_proto__free_unpacked(node, NULL);
		if (rc)
			return rc;
		c->node_index++;
	}
	if (!c->net->n_layers)
		return ERR(c, AUGUR_E_SCHEMA, "the graph has no nodes augur maps onto layers");
	return AUGUR_OK;
}

static char *default_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strcspn(base, ".");
	return strndup(base, n ? n : strlen(base));
}

int augur_onnx_parse(const char *path, const unsigned char *buf, size_t len, struct augur_net **out,
                     struct augur_diag *diag)
{
	return augur_onnx_parse_input(path, buf, len, NULL, out, diag);
}

int augur_onnx_parse_input(const char *path, const unsigned char *buf, size_t len,
                           const struct augur_shape *input, struct augur_net **out,
                           struct augur_diag *diag)
{
	*out = NULL;
	struct ctx c = {.path = path, .diag = diag, .input = input};
	char *name = default_name(path);
	c.net = name ? augur_net_new(name, path) : NULL;
	free(name);
	if (!c.net)
		return augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
	struct wire w = {buf, buf + len};
	struct wfield f;
	const uint8_t *graph = NULL;
	size_t glen = 0;
	bool ir = false;
	int r, rc = AUGUR_OK;
	while ((r = next_field(&w, &f)) == 1) {
		if (f.num == 1 && f.type == 0)
			ir = true;
		else if (f.num == 7 && f.type == 2) {
			if (graph) {
				rc = ERR(&c, AUGUR_E_SCHEMA, "the model holds two graphs");
				goto out;
			}
			graph = f.data;
			glen = f.len;
		}
	}
	if (r < 0) {
		rc = syntax(&c, "the model", r, &f, buf);
		goto out;
	}
	if (!ir || !graph) {
		rc = ERR(&c, AUGUR_E_SYNTAX,
		         "not an ONNX model (no %s; expected a binary ModelProto as "
		         "torch.onnx.export writes it)",
		         ir ? "graph" : "ir_version");
		goto out;
	}
	rc = parse_graph(&c, buf, graph, glen);
out:
	for (size_t i = 0; i < c.n_values; i++)
		value_clear(&c.values[i]);
	free(c.values);
	free(c.st);
	augur_strmap_clear(&c.by_name);
	augur_strmap_clear(&c.layers);
	if (rc) {
		augur_net_free(c.net);
		return rc;
	}
	*out = c.net;
	return AUGUR_OK;
}
