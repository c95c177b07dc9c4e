/* Caffe prototxt reader (see prototxt.h, docs/prototxt.md). Walks the pbtext tree of a
 * NetParameter: registers the network input, drops layers Caffe's TEST phase would drop,
 * maps each kept layer's type and *_param onto an augur layer with Caffe's defaults, and
 * resolves bottoms through a blob -> producing-layer map (the last writer of a blob wins,
 * so in-place layers chain). Every error names the field it comes from. */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"
#include "pbtext.h"
#include "prototxt.h"
#include "strmap.h"
#include "suggest.h"

#define NAME_MAX_LEN 256

/* The blob map's index for a network input other than the first (never a layer's). */
#define OTHER_INPUT (-2)

typedef struct augur_pbfield field;

struct ctx {
	const char *path;
	struct augur_diag *diag;
	struct augur_net *net;
	struct augur_strmap *blobs;  /* blob name (borrowed from the tree) -> producer */
	struct augur_strmap *names;  /* layer name (the layer's own copy) -> index */
	const field *input_at;       /* where the network input was declared */
	struct augur_strmap *padded; /* V0: a padding layer's top -> its pad */
};

static void err_fill(const struct ctx *c, uint32_t line, uint32_t col, int code, const char *fmt,
                     ...) __attribute__((format(printf, 5, 6)));
/* err_at returns the error code: a macro over err_fill, so the static analyser (which does
 * not follow variadic functions) sees a failure stay a failure. */
#define err_at(c, line, col, code, ...) (err_fill((c), (line), (col), (code), __VA_ARGS__), (code))

static void err_fill(const struct ctx *c, uint32_t line, uint32_t col, int code, const char *fmt,
                     ...)
{
	va_list ap;
	va_start(ap, fmt);
	augur_diag_vfill(c->diag, code, c->path, line, col, fmt, ap);
	va_end(ap);
}

/* Errors about a field's value point at the value; about the field itself, at its name. */
#define ERR_V(c, f, ...) err_at((c), (f)->vline, (f)->vcol, AUGUR_E_SCHEMA, __VA_ARGS__)
#define ERR_F(c, f, ...) err_at((c), (f)->line, (f)->col, AUGUR_E_SCHEMA, __VA_ARGS__)

static struct augur_loc vloc(const field *f)
{
	return (struct augur_loc){f->vline, f->vcol};
}

/* ---- generic field access ---- */

/* The one field called name in msg (NULL when absent); a second one is an error, as in
 * protobuf for a non-repeated field. */
static int single(const struct ctx *c, const field *msg, const char *name, const field **out)
{
	*out = NULL;
	for (size_t i = 0; msg && i < msg->len; i++) {
		const field *f = &msg->fields[i];
		if (strcmp(f->name, name))
			continue;
		if (*out)
			return ERR_F(c, f,
			             "duplicate field '%s' (first given at line %u; it is not a "
			             "repeated field)",
			             name, (*out)->line);
		*out = f;
	}
	return AUGUR_OK;
}

/* The k-th field called name in msg (counting from 0), or NULL. */
static const field *nth_field(const field *msg, const char *name, size_t k)
{
	for (size_t i = 0; msg && i < msg->len; i++)
		if (!strcmp(msg->fields[i].name, name) && k-- == 0)
			return &msg->fields[i];
	return NULL;
}

static size_t count_of(const field *msg, const char *name)
{
	size_t n = 0;
	for (size_t i = 0; msg && i < msg->len; i++)
		n += !strcmp(msg->fields[i].name, name);
	return n;
}

/* Rejects fields of msg that are not in known (NULL-terminated), with a "did you mean";
 * allow_params also lets any "*_param" through (the parameters of other layer types). */
static int check_known(const struct ctx *c, const field *msg, const char *what,
                       const char *const *known, bool allow_params)
{
	size_t n = 0;
	while (known[n])
		n++;
	for (size_t i = 0; i < msg->len; i++) {
		const field *f = &msg->fields[i];
		bool ok = false;
		for (size_t k = 0; k < n && !ok; k++)
			ok = !strcmp(f->name, known[k]);
		size_t len = strlen(f->name);
		if (ok || (allow_params && len > 6 && !strcmp(f->name + len - 6, "_param")))
			continue;
		const char *near = augur_nearest(f->name, known, n);
		if (near)
			return ERR_F(c, f, "unknown field '%s' in %s (did you mean '%s'?)", f->name,
			             what, near);
		return ERR_F(c, f, "unknown field '%s' in %s", f->name, what);
	}
	return AUGUR_OK;
}

static int want_kind(const struct ctx *c, const field *f, enum augur_pb_kind kind, const char *what)
{
	if (f->kind == kind)
		return AUGUR_OK;
	return ERR_V(c, f, "expected %s for '%s', got %s", what, f->name,
	             augur_pb_kind_name(f->kind));
}

static int get_string(const struct ctx *c, const field *f, const char **out)
{
	int rc = want_kind(c, f, AUGUR_PB_STRING, "a quoted string");
	if (rc == AUGUR_OK)
		*out = f->text;
	return rc;
}

static int get_uint(const struct ctx *c, const field *f, uint64_t min, uint64_t max, uint64_t *out)
{
	if (f->kind != AUGUR_PB_NUMBER)
		return ERR_V(c, f, "expected an integer for '%s', got %s%s%s%s", f->name,
		             augur_pb_kind_name(f->kind), f->text ? " '" : "",
		             f->text ? f->text : "", f->text ? "'" : "");
	enum augur_num_error e = augur_parse_u64(f->text, min, max, out);
	switch (e) {
	case AUGUR_NUM_OK:
		return AUGUR_OK;
	case AUGUR_NUM_NOT_NUMBER:
		return ERR_V(c, f, "expected an integer for '%s', got '%s'", f->name, f->text);
	case AUGUR_NUM_FRACTIONAL:
		return ERR_V(c, f, "'%s' must be a whole number, got %s", f->name, f->text);
	default:
		return ERR_V(c, f, "'%s' must be between %llu and %llu, got %s", f->name,
		             (unsigned long long)min, (unsigned long long)max, f->text);
	}
}

/* A signed integer (Caffe's int32/int64 axes): "-1" or "3". */
static int get_int(const struct ctx *c, const field *f, int64_t *out)
{
	uint64_t u = 0;
	bool neg = f->kind == AUGUR_PB_NUMBER && f->text[0] == '-';
	if (f->kind != AUGUR_PB_NUMBER ||
	    augur_parse_u64(f->text + neg, 0, 1u << 30, &u) != AUGUR_NUM_OK)
		return ERR_V(c, f, "expected an integer for '%s', got %s%s%s%s", f->name,
		             augur_pb_kind_name(f->kind), f->text ? " '" : "",
		             f->text ? f->text : "", f->text ? "'" : "");
	*out = neg ? -(int64_t)u : (int64_t)u;
	return AUGUR_OK;
}

static int get_double(const struct ctx *c, const field *f, double min, double max, double *out)
{
	if (f->kind != AUGUR_PB_NUMBER)
		return ERR_V(c, f, "expected a number for '%s', got %s", f->name,
		             augur_pb_kind_name(f->kind));
	/* protobuf allows a float suffix: 0.1f */
	char buf[64];
	size_t len = strlen(f->text);
	snprintf(buf, sizeof(buf), "%s", f->text);
	if (len && len < sizeof(buf) && (buf[len - 1] == 'f' || buf[len - 1] == 'F'))
		buf[len - 1] = '\0';
	enum augur_num_error e = augur_parse_double(buf, min, max, out);
	if (e == AUGUR_NUM_OK)
		return AUGUR_OK;
	if (e == AUGUR_NUM_NOT_NUMBER)
		return ERR_V(c, f, "expected a number for '%s', got '%s'", f->name, f->text);
	return ERR_V(c, f, "'%s' must be between %g and %g, got %s", f->name, min, max, f->text);
}

static int get_bool(const struct ctx *c, const field *f, bool *out)
{
	if (f->kind == AUGUR_PB_IDENT || f->kind == AUGUR_PB_NUMBER) {
		static const char *const yes[] = {"true", "True", "t", "1"};
		static const char *const no[] = {"false", "False", "f", "0"};
		for (int i = 0; i < 4; i++) {
			if (!strcmp(f->text, yes[i])) {
				*out = true;
				return AUGUR_OK;
			}
			if (!strcmp(f->text, no[i])) {
				*out = false;
				return AUGUR_OK;
			}
		}
	}
	return ERR_V(c, f, "expected true or false for '%s', got %s%s%s%s", f->name,
	             f->text ? "'" : "", f->text ? f->text : augur_pb_kind_name(f->kind),
	             f->text ? "'" : "", "");
}

/* An enum value from names (NULL-terminated); *out is its index. */
static int get_enum(const struct ctx *c, const field *f, const char *const *names, int *out)
{
	if (f->kind == AUGUR_PB_IDENT)
		for (int i = 0; names[i]; i++)
			if (!strcmp(f->text, names[i])) {
				*out = i;
				return AUGUR_OK;
			}
	char list[128] = "";
	for (int i = 0; names[i]; i++) {
		if (i)
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, names[i], sizeof(list) - strlen(list) - 1);
	}
	return ERR_V(c, f, "unknown value %s%s%s for '%s' (expected %s)", f->text ? "'" : "",
	             f->text ? f->text : augur_pb_kind_name(f->kind), f->text ? "'" : "", f->name,
	             list);
}

/* Names end up in YAML descriptors and terminals: printable UTF-8, 1 to 256 bytes. */
static int check_name(const struct ctx *c, const field *f, const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > NAME_MAX_LEN)
		return ERR_V(c, f, "'%s' must be 1 to %d characters long", f->name, NAME_MAX_LEN);
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int extra = *p < 0x80             ? 0
		            : (*p & 0xe0) == 0xc0 ? 1
		            : (*p & 0xf0) == 0xe0 ? 2
		            : (*p & 0xf8) == 0xf0 ? 3
		                                  : -1;
		bool bad = extra < 0 || *p < 0x20 || *p == 0x7f;
		uint32_t cp = extra > 0 ? *p & (0x3f >> extra) : *p;
		for (int i = 1; !bad && i <= extra; i++) {
			bad = (p[i] & 0xc0) != 0x80;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		/* what YAML calls printable (a descriptor written by convert must load): no
		 * overlong forms, C1 controls but NEL, surrogates, U+FFFE/U+FFFF, or beyond
		 * U+10FFFF */
		static const uint32_t min_cp[] = {0, 0x80, 0x800, 0x10000};
		if (!bad && extra > 0)
			bad = cp < min_cp[extra] || (cp >= 0x80 && cp < 0xa0 && cp != 0x85) ||
			      (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff ||
			      cp > 0x10ffff;
		if (bad)
			return ERR_V(c, f,
			             "'%s' holds a control character or invalid UTF-8 (names must "
			             "be printable text)",
			             f->name);
		p += 1 + extra;
	}
	return AUGUR_OK;
}

/* ---- layer types ---- */

enum kind {
	K_LAYER,    /* becomes an augur layer */
	K_INPUT,    /* declares the network input */
	K_SPLIT,    /* an alias: its tops are its bottom */
	K_SILENCE,  /* consumes blobs, produces nothing */
	K_DATA,     /* a data source: the network input, its size unknown until --input */
	K_TRAINING, /* loss and accuracy layers: a train_val file */
};

/* Fork types that become more than a plain layer of their augur type. */
enum fork {
	FORK_NONE,
	FORK_DEPTHWISE, /* a conv with one group per input channel */
	FORK_BN_SCALE,  /* batchnorm and its scale and shift in one layer */
	FORK_AXPY,      /* a x + y with a per-channel a: two eltwise layers */
};

struct type_info {
	const char *name, *v1; /* modern name, legacy enum name (NULL: none) */
	enum kind kind;
	enum augur_layer_type type;
	const char *param; /* its parameter message */
	enum fork fork;
};

static const struct type_info types[] = {
        {"Convolution", "CONVOLUTION", K_LAYER, AUGUR_LAYER_CONV, "convolution_param", FORK_NONE},
        {"ConvolutionDepthwise", NULL, K_LAYER, AUGUR_LAYER_CONV, "convolution_param",
         FORK_DEPTHWISE},
        {"DepthwiseConvolution", NULL, K_LAYER, AUGUR_LAYER_CONV, "convolution_param",
         FORK_DEPTHWISE},
        {"BN", NULL, K_LAYER, AUGUR_LAYER_BATCHNORM, "bn_param", FORK_BN_SCALE},
        {"Pooling", "POOLING", K_LAYER, AUGUR_LAYER_POOL, "pooling_param", FORK_NONE},
        {"InnerProduct", "INNER_PRODUCT", K_LAYER, AUGUR_LAYER_FC, "inner_product_param",
         FORK_NONE},
        {"ReLU", "RELU", K_LAYER, AUGUR_LAYER_RELU, "relu_param", FORK_NONE},
        {"PReLU", NULL, K_LAYER, AUGUR_LAYER_PRELU, "prelu_param", FORK_NONE},
        {"ELU", NULL, K_LAYER, AUGUR_LAYER_ELU, "elu_param", FORK_NONE},
        {"Deconvolution", "DECONVOLUTION", K_LAYER, AUGUR_LAYER_DECONV, "convolution_param",
         FORK_NONE},
        {"ShuffleChannel", NULL, K_LAYER, AUGUR_LAYER_SHUFFLE, "shuffle_channel_param", FORK_NONE},
        {"Interp", NULL, K_LAYER, AUGUR_LAYER_UPSAMPLE, "interp_param", FORK_NONE},
        {"Upsample", NULL, K_LAYER, AUGUR_LAYER_UPSAMPLE, "upsample_param", FORK_NONE},
        {"Axpy", NULL, K_LAYER, AUGUR_LAYER_ELTWISE, NULL, FORK_AXPY},
        {"Crop", NULL, K_LAYER, AUGUR_LAYER_CROP, "crop_param", FORK_NONE},
        {"Slice", "SLICE", K_LAYER, AUGUR_LAYER_SLICE, "slice_param", FORK_NONE},
        {"Permute", NULL, K_LAYER, AUGUR_LAYER_PERMUTE, "permute_param", FORK_NONE},
        {"Reshape", NULL, K_LAYER, AUGUR_LAYER_RESHAPE, "reshape_param", FORK_NONE},
        {"Normalize", NULL, K_LAYER, AUGUR_LAYER_NORMALIZE, "norm_param", FORK_NONE},
        {"PriorBox", NULL, K_LAYER, AUGUR_LAYER_PRIORBOX, "prior_box_param", FORK_NONE},
        {"DetectionOutput", NULL, K_LAYER, AUGUR_LAYER_DETECTION, "detection_output_param",
         FORK_NONE},
        {"Sigmoid", "SIGMOID", K_LAYER, AUGUR_LAYER_SIGMOID, "sigmoid_param", FORK_NONE},
        {"TanH", "TANH", K_LAYER, AUGUR_LAYER_TANH, "tanh_param", FORK_NONE},
        {"LRN", "LRN", K_LAYER, AUGUR_LAYER_LRN, "lrn_param", FORK_NONE},
        {"BatchNorm", NULL, K_LAYER, AUGUR_LAYER_BATCHNORM, "batch_norm_param", FORK_NONE},
        {"Scale", NULL, K_LAYER, AUGUR_LAYER_SCALE, "scale_param", FORK_NONE},
        {"Eltwise", "ELTWISE", K_LAYER, AUGUR_LAYER_ELTWISE, "eltwise_param", FORK_NONE},
        {"Concat", "CONCAT", K_LAYER, AUGUR_LAYER_CONCAT, "concat_param", FORK_NONE},
        {"Softmax", "SOFTMAX", K_LAYER, AUGUR_LAYER_SOFTMAX, "softmax_param", FORK_NONE},
        {"Dropout", "DROPOUT", K_LAYER, AUGUR_LAYER_DROPOUT, "dropout_param", FORK_NONE},
        {"Flatten", "FLATTEN", K_LAYER, AUGUR_LAYER_FLATTEN, "flatten_param", FORK_NONE},
        {"Input", NULL, K_INPUT, 0, "input_param", FORK_NONE},
        {"Split", "SPLIT", K_SPLIT, 0, NULL, FORK_NONE},
        {"Silence", "SILENCE", K_SILENCE, 0, NULL, FORK_NONE},
        {"Data", "DATA", K_DATA, 0, NULL, FORK_NONE},
        {"ImageData", "IMAGE_DATA", K_DATA, 0, NULL, FORK_NONE},
        {"DenseImageData", NULL, K_DATA, 0, NULL, FORK_NONE}, /* caffe-segnet */
        {"HDF5Data", "HDF5_DATA", K_DATA, 0, NULL, FORK_NONE},
        {"MemoryData", "MEMORY_DATA", K_DATA, 0, NULL, FORK_NONE},
        {"WindowData", "WINDOW_DATA", K_DATA, 0, NULL, FORK_NONE},
        {"DummyData", "DUMMY_DATA", K_DATA, 0, NULL, FORK_NONE},
        {"SoftmaxWithLoss", "SOFTMAX_LOSS", K_TRAINING, 0, NULL, FORK_NONE},
        {"EuclideanLoss", "EUCLIDEAN_LOSS", K_TRAINING, 0, NULL, FORK_NONE},
        {"SigmoidCrossEntropyLoss", "SIGMOID_CROSS_ENTROPY_LOSS", K_TRAINING, 0, NULL, FORK_NONE},
        {"HingeLoss", "HINGE_LOSS", K_TRAINING, 0, NULL, FORK_NONE},
        {"InfogainLoss", "INFOGAIN_LOSS", K_TRAINING, 0, NULL, FORK_NONE},
        {"MultinomialLogisticLoss", "MULTINOMIAL_LOGISTIC_LOSS", K_TRAINING, 0, NULL, FORK_NONE},
        {"ContrastiveLoss", "CONTRASTIVE_LOSS", K_TRAINING, 0, NULL, FORK_NONE},
        {"Accuracy", "ACCURACY", K_TRAINING, 0, NULL, FORK_NONE},
        {"HDF5Output", "HDF5_OUTPUT", K_TRAINING, 0, NULL, FORK_NONE},
};

#define N_TYPES (sizeof(types) / sizeof(*types))

const char *augur_prototxt_type_list(void)
{
	return "Convolution, ConvolutionDepthwise, DepthwiseConvolution, Deconvolution, Pooling, "
	       "InnerProduct, ReLU, PReLU, ELU, Sigmoid, TanH, LRN, BatchNorm, BN, Scale, Eltwise, "
	       "Axpy, Concat, Slice, Softmax, Dropout, Flatten, Reshape, Permute, Crop, "
	       "ShuffleChannel, Interp, Upsample, Normalize, PriorBox, DetectionOutput, Input, "
	       "Split, Silence";
}

static int lookup_type(const struct ctx *c, const field *tf, const char *layer,
                       const struct type_info **out)
{
	if (tf->kind != AUGUR_PB_STRING && tf->kind != AUGUR_PB_IDENT)
		return ERR_V(c, tf, "expected a layer type for 'type', got %s",
		             augur_pb_kind_name(tf->kind));
	for (size_t i = 0; i < N_TYPES; i++)
		if (!strcmp(tf->text, types[i].name) ||
		    (types[i].v1 && !strcmp(tf->text, types[i].v1))) {
			*out = &types[i];
			return AUGUR_OK;
		}
	const char *names[2 * N_TYPES];
	for (size_t i = 0; i < N_TYPES; i++) {
		bool listed = types[i].kind != K_TRAINING && types[i].kind != K_DATA;
		names[2 * i] = listed ? types[i].name : NULL;
		names[2 * i + 1] = listed ? types[i].v1 : NULL;
	}
	const char *near = augur_nearest(tf->text, names, 2 * N_TYPES);
	if (near)
		return ERR_V(c, tf,
		             "unsupported layer type '%s' of layer '%s' (did you mean '%s'? augur "
		             "reads %s)",
		             tf->text, layer, near, augur_prototxt_type_list());
	return ERR_V(c, tf, "unsupported layer type '%s' of layer '%s' (augur reads %s)", tf->text,
	             layer, augur_prototxt_type_list());
}

/* ---- phase rules ---- */

/* Caffe's StateMeetsRule for the state a deploy net runs in: phase TEST, level 0, no
 * stages. */
static int rule_matches(const struct ctx *c, const field *rule, bool *out)
{
	static const char *const known[] = {"phase", "min_level", "max_level",
	                                    "stage", "not_stage", NULL};
	static const char *const phases[] = {"TRAIN", "TEST", NULL};
	int rc = want_kind(c, rule, AUGUR_PB_MESSAGE, "a message");
	if (rc || (rc = check_known(c, rule, "include/exclude rule", known, false)))
		return rc;
	const field *f;
	*out = true;
	if ((rc = single(c, rule, "phase", &f)))
		return rc;
	if (f) {
		int phase;
		if ((rc = get_enum(c, f, phases, &phase)))
			return rc;
		*out &= phase == 1;
	}
	if ((rc = single(c, rule, "min_level", &f)))
		return rc;
	int64_t level = 0;
	if (f) {
		if ((rc = get_int(c, f, &level)))
			return rc;
		*out &= level <= 0;
	}
	if ((rc = single(c, rule, "max_level", &f)))
		return rc;
	if (f) {
		if ((rc = get_int(c, f, &level)))
			return rc;
		*out &= level >= 0;
	}
	/* the net has no stages: a rule that requires one never matches */
	if (count_of(rule, "stage"))
		*out = false;
	return AUGUR_OK;
}

static int layer_included(const struct ctx *c, const field *lf, bool *out)
{
	size_t inc = count_of(lf, "include"), exc = count_of(lf, "exclude");
	if (inc && exc) {
		const field *f;
		for (size_t i = 0; i < lf->len; i++)
			if (!strcmp(lf->fields[i].name, "exclude")) {
				f = &lf->fields[i];
				return ERR_F(
				        c, f,
				        "a layer takes include rules or exclude rules, not both");
			}
	}
	*out = !inc;
	for (size_t i = 0; i < lf->len; i++) {
		const field *f = &lf->fields[i];
		if (strcmp(f->name, "include") && strcmp(f->name, "exclude"))
			continue;
		bool match;
		int rc = rule_matches(c, f, &match);
		if (rc)
			return rc;
		if (match)
			*out = inc ? true : false;
	}
	return AUGUR_OK;
}

/* ---- layer parameters ---- */

/* Caffe's spatial values: "base" (repeated in convolution_param, 1 or 2 values: both or
 * h, w) or "base_h" and "base_w". *given says whether any was present. */
static int get_spatial(const struct ctx *c, const field *p, const char *base, const char *hname,
                       const char *wname, size_t max_base, uint64_t min, struct augur_hw *out,
                       struct augur_loc *at, bool *given)
{
	const field *vals[3] = {NULL, NULL, NULL}, *hf, *wf;
	size_t n = 0;
	int rc;
	*given = false;
	for (size_t i = 0; p && i < p->len; i++) {
		const field *f = &p->fields[i];
		if (strcmp(f->name, base))
			continue;
		if (n == max_base)
			return max_base == 1
			               ? ERR_F(c, f,
			                       "duplicate field '%s' (first given at line %u; "
			                       "it is not a repeated field)",
			                       base, vals[0]->line)
			               : ERR_F(c, f,
			                       "too many values for '%s' (augur handles 2-D "
			                       "layers: 1 value, or 2 for height and width)",
			                       base);
		vals[n++] = f;
	}
	if ((rc = single(c, p, hname, &hf)) || (rc = single(c, p, wname, &wf)))
		return rc;
	uint64_t h = 0, w = 0;
	if (n && (hf || wf))
		return ERR_F(c, hf ? hf : wf, "give either '%s' or '%s' and '%s', not both", base,
		             hname, wname);
	if ((hf != NULL) != (wf != NULL))
		return ERR_F(c, hf ? hf : wf, "'%s' needs '%s'", hf ? hname : wname,
		             hf ? wname : hname);
	if (hf) {
		if ((rc = get_uint(c, hf, min, AUGUR_MAX_WINDOW, &h)) ||
		    (rc = get_uint(c, wf, min, AUGUR_MAX_WINDOW, &w)))
			return rc;
		*at = vloc(hf);
	} else if (n) {
		if ((rc = get_uint(c, vals[0], min, AUGUR_MAX_WINDOW, &h)))
			return rc;
		w = h;
		if (n == 2 && (rc = get_uint(c, vals[1], min, AUGUR_MAX_WINDOW, &w)))
			return rc;
		*at = vloc(vals[0]);
	} else {
		return AUGUR_OK;
	}
	*out = (struct augur_hw){(uint32_t)h, (uint32_t)w};
	*given = true;
	return AUGUR_OK;
}

/* An axis field that must hold its default (augur traces N x C x H x W along C). */
static int want_axis(const struct ctx *c, const field *p, const char *name, int64_t expect,
                     const char *why)
{
	const field *f;
	int64_t v = 0;
	int rc = single(c, p, name, &f);
	if (rc || !f)
		return rc;
	if ((rc = get_int(c, f, &v)))
		return rc;
	if (v != expect)
		return ERR_V(c, f, "'%s: %lld' is not supported (%s)", name, (long long)v, why);
	return AUGUR_OK;
}

static int opt_bool(const struct ctx *c, const field *p, const char *name, bool *out,
                    struct augur_loc *at)
{
	const field *f;
	int rc = single(c, p, name, &f);
	if (rc || !f)
		return rc;
	if ((rc = get_bool(c, f, out)))
		return rc;
	if (at)
		*at = vloc(f);
	return AUGUR_OK;
}

static int opt_uint(const struct ctx *c, const field *p, const char *name, uint64_t min,
                    uint64_t max, uint32_t *out, struct augur_loc *at)
{
	const field *f;
	uint64_t v = 0;
	int rc = single(c, p, name, &f);
	if (rc || !f)
		return rc;
	if ((rc = get_uint(c, f, min, max, &v)))
		return rc;
	*out = (uint32_t)v;
	if (at)
		*at = vloc(f);
	return AUGUR_OK;
}

static int need(const struct ctx *c, const field *lf, const struct augur_layer *l, const char *type,
                const char *key, const char *param, struct augur_loc at)
{
	if (at.line)
		return AUGUR_OK;
	return ERR_F(c, lf, "%s layer '%s' needs '%s' in %s", type, l->name, key, param);
}

static int conv_params(const struct ctx *c, const field *lf, const field *p, struct augur_layer *l)
{
	static const char *const known[] = {
	        "num_output", "bias_term",       "pad",         "kernel_size",
	        "stride",     "dilation",        "pad_h",       "pad_w",
	        "kernel_h",   "kernel_w",        "stride_h",    "stride_w",
	        "group",      "weight_filler",   "bias_filler", "engine",
	        "axis",       "force_nd_im2col", NULL};
	struct augur_loc *k = l->key_loc;
	bool given;
	int rc;
	if ((rc = check_known(c, p, "convolution_param", known, false)) ||
	    (rc = opt_uint(c, p, "num_output", 1, AUGUR_MAX_DIM, &l->filters,
	                   &k[AUGUR_KEY_FILTERS])) ||
	    (rc = opt_bool(c, p, "bias_term", &l->bias, &k[AUGUR_KEY_BIAS])) ||
	    (rc = opt_uint(c, p, "group", 1, AUGUR_MAX_DIM, &l->groups, &k[AUGUR_KEY_GROUPS])) ||
	    (rc = want_axis(c, p, "axis", 1, "augur convolves N x C x H x W blobs along C")) ||
	    (rc = get_spatial(c, p, "kernel_size", "kernel_h", "kernel_w", 2, 1, &l->kernel,
	                      &k[AUGUR_KEY_KERNEL], &given)) ||
	    (rc = get_spatial(c, p, "stride", "stride_h", "stride_w", 2, 1, &l->stride,
	                      &k[AUGUR_KEY_STRIDE], &given)) ||
	    (rc = get_spatial(c, p, "pad", "pad_h", "pad_w", 2, 0, &l->pad, &k[AUGUR_KEY_PAD],
	                      &given)) ||
	    (rc = get_spatial(c, p, "dilation", "dilation_h", "dilation_w", 2, 1, &l->dilation,
	                      &k[AUGUR_KEY_DILATION], &given)))
		return rc;
	if ((rc = need(c, lf, l, "Convolution", "num_output", "convolution_param",
	               k[AUGUR_KEY_FILTERS])))
		return rc;
	return need(c, lf, l, "Convolution", "kernel_size", "convolution_param",
	            k[AUGUR_KEY_KERNEL]);
}

static int pool_params(const struct ctx *c, const field *lf, const field *p, struct augur_layer *l)
{
	static const char *const known[] = {
	        "pool",       "pad",       "pad_h",    "pad_w",    "kernel_size", "kernel_h",
	        "kernel_w",   "stride",    "stride_h", "stride_w", "engine",      "global_pooling",
	        "round_mode", "ceil_mode", NULL};
	static const char *const ops[] = {"MAX", "AVE", "STOCHASTIC", NULL};
	static const char *const rounding[] = {"CEIL", "FLOOR", NULL};
	struct augur_loc *k = l->key_loc;
	const field *f;
	bool given;
	int rc;
	l->ceil = true; /* Caffe's pooled size rounds up */
	if ((rc = check_known(c, p, "pooling_param", known, false)) ||
	    (rc = single(c, p, "pool", &f)))
		return rc;
	if (f) {
		if ((rc = get_enum(c, f, ops, &l->op)))
			return rc;
		if (l->op == 2)
			return ERR_V(c, f,
			             "stochastic pooling is not supported (expected MAX or AVE)");
		k[AUGUR_KEY_OP] = vloc(f);
	}
	if ((rc = single(c, p, "round_mode", &f)))
		return rc;
	if (f) {
		int mode;
		if ((rc = get_enum(c, f, rounding, &mode)))
			return rc;
		l->ceil = mode == 0;
		k[AUGUR_KEY_CEIL] = vloc(f);
	}
	/* a fork's field (DenseNet, ResNeXt deploy files): the same rounding as a bool */
	if ((rc = single(c, p, "ceil_mode", &f)))
		return rc;
	if (f && k[AUGUR_KEY_CEIL].line)
		return ERR_F(c, f, "give either 'round_mode' or 'ceil_mode', not both");
	if ((rc = opt_bool(c, p, "ceil_mode", &l->ceil, &k[AUGUR_KEY_CEIL])))
		return rc;
	if ((rc = opt_bool(c, p, "global_pooling", &l->global, &k[AUGUR_KEY_GLOBAL])) ||
	    (rc = get_spatial(c, p, "kernel_size", "kernel_h", "kernel_w", 1, 1, &l->kernel,
	                      &k[AUGUR_KEY_KERNEL], &given)) ||
	    (rc = get_spatial(c, p, "stride", "stride_h", "stride_w", 1, 1, &l->stride,
	                      &k[AUGUR_KEY_STRIDE], &given)) ||
	    (rc = get_spatial(c, p, "pad", "pad_h", "pad_w", 1, 0, &l->pad, &k[AUGUR_KEY_PAD],
	                      &given)))
		return rc;
	if (l->global && k[AUGUR_KEY_KERNEL].line)
		return err_at(c, k[AUGUR_KEY_KERNEL].line, k[AUGUR_KEY_KERNEL].col, AUGUR_E_SCHEMA,
		              "pooling layer '%s' has global_pooling and a kernel size; give one "
		              "of them",
		              l->name);
	if (l->global)
		return AUGUR_OK;
	return need(c, lf, l, "Pooling", "kernel_size", "pooling_param", k[AUGUR_KEY_KERNEL]);
}

static int fc_params(const struct ctx *c, const field *lf, const field *p, struct augur_layer *l)
{
	static const char *const known[] = {"num_output",  "bias_term", "weight_filler",
	                                    "bias_filler", "axis",      "transpose",
	                                    NULL};
	struct augur_loc *k = l->key_loc;
	int rc;
	if ((rc = check_known(c, p, "inner_product_param", known, false)) ||
	    (rc = opt_uint(c, p, "num_output", 1, AUGUR_MAX_DIM, &l->outputs,
	                   &k[AUGUR_KEY_OUTPUTS])) ||
	    (rc = opt_bool(c, p, "bias_term", &l->bias, &k[AUGUR_KEY_BIAS])) ||
	    (rc = want_axis(c, p, "axis", 1, "augur's fc layers flatten C x H x W")))
		return rc;
	return need(c, lf, l, "InnerProduct", "num_output", "inner_product_param",
	            k[AUGUR_KEY_OUTPUTS]);
}

static int shape_dims(const struct ctx *c, const field *shape, const field **dims, size_t *n);

/* Interp (height and width) and the forks' Upsample (scale, or upsample_h and _w). */
static int upsample_params(const struct ctx *c, const field *lf, const struct type_info *t,
                           const field *p, struct augur_layer *l, bool interp)
{
	struct augur_loc *k = l->key_loc;
	struct augur_loc at = {0, 0};
	const field *f;
	int rc;
	if (interp) {
		l->op = AUGUR_UPSAMPLE_BILINEAR;
		if ((rc = single(c, p, "zoom_factor", &f)) ||
		    (!f && (rc = single(c, p, "shrink_factor", &f))))
			return rc;
		if (f)
			return ERR_F(c, f,
			             "Interp layer '%s': '%s' is not supported (augur needs the "
			             "output's 'height' and 'width')",
			             l->name, f->name);
		if ((rc = opt_uint(c, p, "height", 1, AUGUR_MAX_DIM, &l->out_size.h,
		                   &k[AUGUR_KEY_OUTPUT_SIZE])) ||
		    (rc = opt_uint(c, p, "width", 1, AUGUR_MAX_DIM, &l->out_size.w, &at)))
			return rc;
		if (!l->out_size.h || !l->out_size.w)
			return ERR_F(c, lf, "Interp layer '%s' needs 'height' and 'width' in %s",
			             l->name, t->param);
		return AUGUR_OK;
	}
	uint32_t s = 0;
	if ((rc = opt_uint(c, p, "scale", 1, AUGUR_MAX_WINDOW, &s, &k[AUGUR_KEY_SCALE])) ||
	    (rc = opt_uint(c, p, "scale_h", 1, AUGUR_MAX_WINDOW, &l->scale.h, &at)) ||
	    (rc = opt_uint(c, p, "scale_w", 1, AUGUR_MAX_WINDOW, &l->scale.w, &at)) ||
	    (rc = opt_uint(c, p, "upsample_h", 1, AUGUR_MAX_DIM, &l->out_size.h,
	                   &k[AUGUR_KEY_OUTPUT_SIZE])) ||
	    (rc = opt_uint(c, p, "upsample_w", 1, AUGUR_MAX_DIM, &l->out_size.w, &at)))
		return rc;
	if (s)
		l->scale = (struct augur_hw){s, s};
	/* caffe-segnet: the output is in x scale - 1 along an axis with pad_out set */
	bool pad_h = false, pad_w = false;
	if ((rc = opt_bool(c, p, "pad_out_h", &pad_h, &k[AUGUR_KEY_TRIM])) ||
	    (rc = opt_bool(c, p, "pad_out_w", &pad_w, &at)))
		return rc;
	l->trim = (struct augur_hw){pad_h, pad_w};
	if (!l->scale.h != !l->scale.w || !l->out_size.h != !l->out_size.w)
		return ERR_F(c, lf, "Upsample layer '%s' needs both of its height and width values",
		             l->name);
	if (!l->scale.h && !l->out_size.h)
		l->scale = (struct augur_hw){2, 2}; /* the fork's default scale */
	return AUGUR_OK;
}

/* Permute (SSD): order over N, C, H, W with N first. */
static int permute_params(const struct ctx *c, const field *lf, const field *p,
                          struct augur_layer *l)
{
	int64_t order[4];
	size_t n = 0;
	for (size_t i = 0; i < p->len; i++) {
		if (n == 4)
			return ERR_V(c, &p->fields[i],
			             "Permute takes 4 'order' values (N, C, H, W)");
		int rc = get_int(c, &p->fields[i], &order[n++]);
		if (rc)
			return rc;
	}
	if (n == 0) /* Caffe's default: unchanged */
		return AUGUR_OK;
	bool seen[4] = {false, false, false, false};
	for (size_t i = 0; i < n; i++) {
		if (order[i] < 0 || order[i] > 3 || seen[order[i]] || (i == 0 && order[i] != 0))
			return ERR_F(c, lf,
			             "Permute layer '%s': 'order' must keep N first and permute C, "
			             "H, W",
			             l->name);
		seen[order[i]] = true;
		if (i)
			l->order[i - 1] = (uint8_t)(order[i] - 1);
	}
	if (n < 4) /* Caffe fills the axes not named in order */
		for (size_t i = n, a = 1; i < 4; i++) {
			while (seen[a])
				a++;
			seen[a] = true;
			l->order[i - 1] = (uint8_t)(a - 1);
		}
	l->key_loc[AUGUR_KEY_ORDER] = vloc(p);
	return AUGUR_OK;
}

/* Reshape, with Caffe's semantics: 0 copies the input's axis at its place, one -1 takes
 * what the count leaves (resolved when the network is traced). The first dim is the
 * batch (0, -1, 1 or the batch itself); 2, 3 or 4 dims give a vector, a C x H x 1 map or
 * a C x H x W map. axis: 1 leaves the batch out of the shape. */
static int reshape_params(const struct ctx *c, const field *lf, const field *p,
                          struct augur_layer *l)
{
	static const char *const known[] = {"shape", "axis", "num_axes", NULL};
	static const char *const dims_known[] = {"dim", NULL};
	const field *shape, *af;
	int64_t axis = 0, v[4];
	size_t n = 0;
	int rc = check_known(c, p, "reshape_param", known, false);
	if (rc || (rc = want_axis(c, p, "num_axes", -1, "augur reshapes whole blobs")) ||
	    (rc = single(c, p, "axis", &af)) || (af && (rc = get_int(c, af, &axis))) ||
	    (rc = single(c, p, "shape", &shape)))
		return rc;
	if (axis != 0 && axis != 1)
		return ERR_V(c, af,
		             "'axis: %lld' is not supported (augur reshapes from axis 0 or 1, the "
		             "batch kept)",
		             (long long)axis);
	if (!shape)
		return ERR_F(c, lf, "Reshape layer '%s' needs 'shape' in reshape_param", l->name);
	if ((rc = want_kind(c, shape, AUGUR_PB_MESSAGE, "a message")) ||
	    (rc = check_known(c, shape, "shape", dims_known, false)))
		return rc;
	if (axis == 1)
		v[n++] = 0; /* the batch, untouched */
	int infers = 0;
	for (size_t i = 0; i < shape->len; i++) {
		const field *f = &shape->fields[i];
		if (n == 4)
			return ERR_V(c, f,
			             "Reshape layer '%s' gives more than 4 dims (N, C, H, W): not "
			             "expressible in augur",
			             l->name);
		if ((rc = get_int(c, f, &v[n])))
			return rc;
		if (v[n] < -1 || v[n] > (int64_t)AUGUR_MAX_DIM)
			return ERR_V(c, f, "'dim' must be -1, 0 or a size up to %u, got %s",
			             AUGUR_MAX_DIM, f->text);
		if (v[n] == -1 && infers++)
			return ERR_V(c, f, "Reshape layer '%s' infers more than one dim (-1)",
			             l->name);
		n++;
	}
	if (n < 2)
		return ERR_F(c, shape,
		             "Reshape layer '%s' folds the batch into one axis: not expressible "
		             "in augur (expected N then 1 to 3 dims)",
		             l->name);
	/* the batch: kept (0), inferred when nothing else is, or the batch itself */
	bool batch_ok = v[0] == 0 || v[0] == 1 || v[0] == (int64_t)c->net->batch ||
	                (v[0] == -1 && infers == 1);
	if (!batch_ok)
		return ERR_V(c, shape->fields,
		             "Reshape layer '%s' changes the batch (its first dim is %lld): not "
		             "expressible in augur (use 0 to keep it)",
		             l->name, (long long)v[0]);
	l->shape_rank = (uint8_t)(n - 1);
	for (size_t i = 1; i < n; i++)
		l->shape[i - 1] = v[i];
	l->key_loc[AUGUR_KEY_SHAPE] = vloc(shape);
	return AUGUR_OK;
}

/* Crop: 'axis' (2; negative counts from the end) and 'offset' (none: 0; one: every axis
 * cut; else one per axis cut), as Caffe's CropLayer reads them. */
static int crop_params(const struct ctx *c, const field *lf, const field *p, struct augur_layer *l)
{
	const field *af;
	int64_t axis = 2;
	int rc = single(c, p, "axis", &af);
	if (rc || (af && (rc = get_int(c, af, &axis))))
		return rc;
	if (axis < 0)
		axis += 4;
	if (axis < 1 || axis > 3)
		return ERR_V(c, af,
		             "'axis: %s' is not supported (augur crops C, H or W: axis 1 to 3; 0, "
		             "the batch, is not modelled)",
		             af->text);
	l->axis = (uint8_t)axis;
	if (af)
		l->key_loc[AUGUR_KEY_AXIS] = vloc(af);
	size_t n = count_of(p, "offset"), cut = 4 - (size_t)axis;
	if (n > 1 && n != cut)
		return ERR_F(c, lf,
		             "Crop layer '%s' has %zu offsets for the %zu axes it cuts (give one, "
		             "or one per axis)",
		             l->name, n, cut);
	for (size_t k = 0; k < n; k++) {
		const field *f = nth_field(p, "offset", k);
		uint64_t v;
		if ((rc = get_uint(c, f, 0, AUGUR_MAX_DIM, &v)))
			return rc;
		for (size_t i = (size_t)axis - 1; i < 3; i++)
			if (n == 1 || i == (size_t)axis - 1 + k)
				l->offset[i] = (uint32_t)v;
		if (k == 0)
			l->key_loc[AUGUR_KEY_OFFSET] = vloc(f);
	}
	return AUGUR_OK;
}

/* Parameters of the types beyond the paper's (and the forks'). */
static int more_params(const struct ctx *c, const field *lf, const struct type_info *t,
                       const field *p, struct augur_layer *l)
{
	static const char *const prelu[] = {"filler", "channel_shared", NULL};
	static const char *const elu[] = {"alpha", "engine", NULL};
	static const char *const shuffle[] = {"group", NULL};
	static const char *const interp[] = {"height",  "width",   "zoom_factor", "shrink_factor",
	                                     "pad_beg", "pad_end", NULL};
	static const char *const upsample[] = {"scale",      "scale_h",   "scale_w",   "upsample_h",
	                                       "upsample_w", "pad_out_h", "pad_out_w", NULL};
	static const char *const crop[] = {"axis", "offset", NULL};
	static const char *const permute[] = {"order", NULL};
	static const char *const none[] = {NULL};
	struct augur_loc *k = l->key_loc;
	bool is_interp = !strcmp(t->name, "Interp");
	const char *const *known = l->type == AUGUR_LAYER_PRELU     ? prelu
	                           : l->type == AUGUR_LAYER_ELU     ? elu
	                           : l->type == AUGUR_LAYER_SHUFFLE ? shuffle
	                           : l->type == AUGUR_LAYER_UPSAMPLE
	                                   ? (is_interp ? interp : upsample)
	                           : l->type == AUGUR_LAYER_CROP    ? crop
	                           : l->type == AUGUR_LAYER_PERMUTE ? permute
	                                                            : none;
	int rc = check_known(c, p, t->param, known, false);
	if (rc)
		return rc;
	switch (l->type) {
	case AUGUR_LAYER_PRELU:
		return opt_bool(c, p, "channel_shared", &l->shared, &k[AUGUR_KEY_SHARED]);
	case AUGUR_LAYER_SHUFFLE:
		if ((rc = opt_uint(c, p, "group", 1, AUGUR_MAX_DIM, &l->groups,
		                   &k[AUGUR_KEY_GROUPS])))
			return rc;
		return need(c, lf, l, t->name, "group", t->param, k[AUGUR_KEY_GROUPS]);
	case AUGUR_LAYER_UPSAMPLE:
		return upsample_params(c, lf, t, p, l, is_interp);
	case AUGUR_LAYER_CROP:
		return crop_params(c, lf, p, l);
	case AUGUR_LAYER_PERMUTE:
		return permute_params(c, lf, p, l);
	default:
		return AUGUR_OK;
	}
}

/* SSD's heads: Normalize (a learned scale per channel, or one), PriorBox (boxes per
 * position from min_size, max_size, aspect_ratio and flip, as Caffe's PriorBoxLayer
 * counts them) and DetectionOutput (keep_top_k boxes). */
static int ssd_params(const struct ctx *c, const field *lf, const struct type_info *t,
                      const field *p, struct augur_layer *l)
{
	static const char *const norm[] = {"across_spatial", "scale_filler", "channel_shared",
	                                   "eps", NULL};
	static const char *const prior[] = {"min_size", "max_size", "aspect_ratio", "flip",  "clip",
	                                    "variance", "img_size", "img_h",        "img_w", "step",
	                                    "step_h",   "step_w",   "offset",       NULL};
	static const char *const det[] = {"num_classes",
	                                  "share_location",
	                                  "background_label_id",
	                                  "nms_param",
	                                  "save_output_param",
	                                  "code_type",
	                                  "variance_encoded_in_target",
	                                  "keep_top_k",
	                                  "confidence_threshold",
	                                  "eta",
	                                  "visualize",
	                                  "visualize_threshold",
	                                  "save_file",
	                                  NULL};
	const char *const *known = l->type == AUGUR_LAYER_NORMALIZE  ? norm
	                           : l->type == AUGUR_LAYER_PRIORBOX ? prior
	                                                             : det;
	int rc = check_known(c, p, t->param, known, false);
	if (rc)
		return rc;
	if (l->type == AUGUR_LAYER_NORMALIZE)
		return opt_bool(c, p, "channel_shared", &l->shared, &l->key_loc[AUGUR_KEY_SHARED]);
	if (l->type == AUGUR_LAYER_DETECTION) {
		const field *f;
		int64_t keep = -1;
		if ((rc = single(c, p, "keep_top_k", &f)) || (f && (rc = get_int(c, f, &keep))))
			return rc;
		if (keep < 1 || keep > AUGUR_MAX_DIM)
			return ERR_F(
			        c, f ? f : lf,
			        "DetectionOutput layer '%s' needs 'keep_top_k' from 1 to %u (the "
			        "boxes it keeps)",
			        l->name, AUGUR_MAX_DIM);
		l->keep = (uint32_t)keep;
		l->key_loc[AUGUR_KEY_KEEP] = vloc(f);
		return AUGUR_OK;
	}
	double ars[64] = {1.0};
	size_t n_ar = 1;
	bool flip = true;
	if ((rc = opt_bool(c, p, "flip", &flip, NULL)))
		return rc;
	for (size_t i = 0; i < p->len; i++) {
		const field *f = &p->fields[i];
		double ar;
		if (strcmp(f->name, "aspect_ratio"))
			continue;
		if ((rc = get_double(c, f, 1e-6, 1e6, &ar)))
			return rc;
		bool seen = false;
		for (size_t k = 0; k < n_ar; k++)
			seen |= fabs(ar - ars[k]) < 1e-6;
		if (seen)
			continue;
		if (n_ar + 2 > sizeof(ars) / sizeof(*ars))
			return ERR_F(c, f, "too many aspect ratios");
		ars[n_ar++] = ar;
		if (flip)
			ars[n_ar++] = 1.0 / ar;
	}
	size_t n_min = count_of(p, "min_size"), n_max = count_of(p, "max_size");
	if (!n_min || n_min > 64 || n_max > 64)
		return ERR_F(c, lf, "PriorBox layer '%s' needs 1 to 64 'min_size' values", l->name);
	l->priors = (uint32_t)(n_ar * n_min + n_max);
	l->key_loc[AUGUR_KEY_PRIORS] = vloc(nth_field(p, "min_size", 0));
	return AUGUR_OK;
}

/* Parameters of the simple types: which fields are known, and the few augur keeps. */
/* The other layer types' parameters: one reader per Caffe type that keeps a value, and a
 * table from the type's name to the fields its message may hold and that reader. */

static int relu_params(const struct ctx *c, const field *p, struct augur_layer *l)
{
	const field *f;
	int rc;
	if ((rc = single(c, p, "negative_slope", &f)) || !f)
		return rc;
	if ((rc = get_double(c, f, -1e6, 1e6, &l->negative_slope)))
		return rc;
	l->key_loc[AUGUR_KEY_NEGATIVE_SLOPE] = vloc(f);
	return AUGUR_OK;
}

static int lrn_params(const struct ctx *c, const field *p, struct augur_layer *l)
{
	static const char *const regions[] = {"ACROSS_CHANNELS", "WITHIN_CHANNEL", NULL};
	const field *f;
	int rc, region;
	if ((rc = single(c, p, "norm_region", &f)))
		return rc;
	if (f && (rc = get_enum(c, f, regions, &region)))
		return rc;
	return opt_uint(c, p, "local_size", 1, AUGUR_MAX_WINDOW, &l->size,
	                &l->key_loc[AUGUR_KEY_SIZE]);
}

static int scale_params(const struct ctx *c, const field *p, struct augur_layer *l)
{
	int rc;
	l->bias = false; /* Caffe's ScaleParameter.bias_term defaults to false */
	if ((rc = want_axis(c, p, "axis", 1, "augur scales per channel")) ||
	    (rc = want_axis(c, p, "num_axes", 1, "augur scales per channel")))
		return rc;
	return opt_bool(c, p, "bias_term", &l->bias, &l->key_loc[AUGUR_KEY_BIAS]);
}

static int eltwise_params(const struct ctx *c, const field *p, struct augur_layer *l)
{
	static const char *const ops[] = {"PROD", "SUM", "MAX", NULL};
	const field *f;
	int rc, op;
	if ((rc = single(c, p, "operation", &f)) || !f)
		return rc;
	if ((rc = get_enum(c, f, ops, &op)))
		return rc;
	l->op = op == 0 ? AUGUR_ELTWISE_PROD : op == 1 ? AUGUR_ELTWISE_SUM : AUGUR_ELTWISE_MAX;
	l->key_loc[AUGUR_KEY_OP] = vloc(f);
	return AUGUR_OK;
}

static int concat_params(const struct ctx *c, const field *p, struct augur_layer *l)
{
	const char *why = "augur concatenates along channels only (axis 1)";
	/* SSD's priors, 1 x 2 x n each, join along axis 2: as vectors, the same values */
	bool priors = true;
	for (uint32_t j = 0; j < l->n_inputs; j++)
		priors &= l->inputs[j] >= 0 &&
		          c->net->layers[l->inputs[j]].type == AUGUR_LAYER_PRIORBOX;
	if (priors)
		return want_axis(c, p, "axis", 2, why);
	int rc;
	if ((rc = want_axis(c, p, "axis", 1, why)) || (rc = want_axis(c, p, "concat_dim", 1, why)))
		return rc;
	return AUGUR_OK;
}

static int flatten_params(const struct ctx *c, const field *p, struct augur_layer *l)
{
	(void)l;
	int rc;
	if ((rc = want_axis(c, p, "axis", 1, "augur flattens C x H x W")) ||
	    (rc = want_axis(c, p, "end_axis", -1, "augur flattens C x H x W")))
		return rc;
	return AUGUR_OK;
}

static const char *const relu_fields[] = {"negative_slope", "engine", NULL};
static const char *const lrn_fields[] = {"local_size", "alpha",  "beta", "norm_region",
                                         "k",          "engine", NULL};
static const char *const bn_fields[] = {"use_global_stats", "moving_average_fraction", "eps", NULL};
/* the forks' BN: bn_mode, scale_filler and shift_filler are SegNet's (caffe-segnet) */
static const char *const bn_fork_fields[] = {
        "slope_filler", "bias_filler", "momentum",     "eps",          "frozen",
        "engine",       "bn_mode",     "scale_filler", "shift_filler", NULL};
static const char *const scale_fields[] = {"axis",      "num_axes",    "filler",
                                           "bias_term", "bias_filler", NULL};
static const char *const eltwise_fields[] = {"operation", "coeff", "stable_prod_grad", NULL};
static const char *const concat_fields[] = {"axis", "concat_dim", NULL};
static const char *const softmax_fields[] = {"engine", "axis", NULL};
static const char *const dropout_fields[] = {"dropout_ratio", "scale_train", NULL};
static const char *const flatten_fields[] = {"axis", "end_axis", NULL};
/* any other type (Sigmoid, TanH, ...): its engine at most */
static const char *const engine_fields[] = {"engine", NULL};

static const struct {
	const char *type;          /* Caffe's name (the modern one; legacy names map to it) */
	const char *const *fields; /* what its parameter message may hold */
	int (*read)(const struct ctx *c, const field *p, struct augur_layer *l); /* or NULL */
} param_readers[] = {
        {"ReLU", relu_fields, relu_params},       {"LRN", lrn_fields, lrn_params},
        {"BatchNorm", bn_fields, NULL},           {"BN", bn_fork_fields, NULL},
        {"Scale", scale_fields, scale_params},    {"Eltwise", eltwise_fields, eltwise_params},
        {"Concat", concat_fields, concat_params}, {"Softmax", softmax_fields, NULL},
        {"Dropout", dropout_fields, NULL},        {"Flatten", flatten_fields, flatten_params},
};

static int other_params(const struct ctx *c, const struct type_info *t, const field *p,
                        struct augur_layer *l)
{
	const char *const *fields = engine_fields;
	int (*read)(const struct ctx *, const field *, struct augur_layer *) = NULL;
	for (size_t i = 0; i < sizeof(param_readers) / sizeof(*param_readers); i++)
		if (!strcmp(t->name, param_readers[i].type)) {
			fields = param_readers[i].fields;
			read = param_readers[i].read;
		}
	int rc = check_known(c, p, t->param, fields, false);
	if (rc || !read)
		return rc;
	return read(c, p, l);
}

/* ---- the network input ---- */

/* Dims N x C x H x W (or N x C) -> batch and input shape. */
static int set_input(struct ctx *c, const field *at, const field *const *dims, size_t n)
{
	if (n != 4 && n != 2)
		return ERR_V(c, at,
		             "expected 4 dimensions (N, C, H, W) or 2 (N, C) for the network "
		             "input, got %zu",
		             n);
	uint64_t v[4] = {0, 0, 0, 0};
	for (size_t i = 0; i < n; i++) {
		int rc = get_uint(c, dims[i], 1, i == 0 ? AUGUR_MAX_BATCH : AUGUR_MAX_DIM, &v[i]);
		if (rc)
			return rc;
	}
	struct augur_net *net = c->net;
	net->batch = (uint32_t)v[0];
	net->batch_loc = vloc(dims[0]);
	net->input = n == 4 ? (struct augur_shape){v[1], v[2], v[3], 3}
	                    : (struct augur_shape){v[1], 1, 1, 1};
	net->input_loc = vloc(dims[1]);
	return AUGUR_OK;
}

/* dims of a BlobShape message { dim: ... } */
static int shape_dims(const struct ctx *c, const field *shape, const field **dims, size_t *n)
{
	static const char *const known[] = {"dim", NULL};
	int rc = want_kind(c, shape, AUGUR_PB_MESSAGE, "a message");
	if (rc || (rc = check_known(c, shape, "shape", known, false)))
		return rc;
	*n = 0;
	for (size_t i = 0; i < shape->len; i++) {
		if (*n == 4)
			return ERR_V(c, &shape->fields[i],
			             "too many dimensions for the network input (expected N, C, H, "
			             "W)");
		dims[(*n)++] = &shape->fields[i];
	}
	return AUGUR_OK;
}

/* Registers a network input blob. The first is the image; later ones (Faster R-CNN's
 * im_info) are accepted and listed in net->other_inputs, and a layer that reads one is
 * refused. *first says which this was. */
static int add_input_blob(struct ctx *c, const field *top, bool *first)
{
	const char *name;
	int rc = get_string(c, top, &name);
	if (rc)
		return rc;
	*first = !c->input_at;
	if (*first)
		c->input_at = top;
	else if ((rc = augur_net_add_other_input(c->net, name)))
		return err_at(c, top->line, top->col, rc, "out of memory");
	if (augur_strmap_put(&c->blobs, name, *first ? AUGUR_NET_INPUT : OTHER_INPUT))
		return err_at(c, top->line, top->col, AUGUR_E_NOMEM, "out of memory");
	return AUGUR_OK;
}

/* One input's shape: the image's sets the network input; another's is only checked. */
static int input_shape_of(struct ctx *c, bool first, const field *at, const field *const *dims,
                          size_t n)
{
	if (first)
		return set_input(c, at, dims, n);
	for (size_t i = 0; i < n; i++) {
		uint64_t v;
		int rc = get_uint(c, dims[i], 0, UINT32_MAX, &v);
		if (rc)
			return rc;
	}
	return AUGUR_OK;
}

/* "input:" with "input_dim" (four per input) or one "input_shape" per input. */
static int top_level_input(struct ctx *c, const field *root)
{
	const field *inputs[AUGUR_MAX_INPUTS], *shapes[AUGUR_MAX_INPUTS], *dims[4 * 16];
	size_t n_in = 0, n_shapes = 0, n_dims = 0;
	int rc;
	for (size_t i = 0; i < root->len; i++) {
		const field *f = &root->fields[i];
		bool in = !strcmp(f->name, "input"), sh = !strcmp(f->name, "input_shape");
		bool dim = !strcmp(f->name, "input_dim");
		if ((in && n_in == AUGUR_MAX_INPUTS) || (sh && n_shapes == AUGUR_MAX_INPUTS) ||
		    (dim && n_dims == 4 * 16))
			return err_at(c, f->line, f->col, AUGUR_E_LIMIT,
			              "too many network inputs or input dimensions");
		if (in)
			inputs[n_in++] = f;
		else if (sh)
			shapes[n_shapes++] = f;
		else if (dim)
			dims[n_dims++] = f;
	}
	if (!n_in) {
		const field *f = n_shapes ? shapes[0] : n_dims ? dims[0] : NULL;
		return f ? ERR_F(c, f, "'%s' without an 'input' blob name", f->name) : AUGUR_OK;
	}
	if (n_shapes && n_dims)
		return ERR_F(c, shapes[0], "give either 'input_dim' or 'input_shape', not both");
	if (!n_shapes && !n_dims)
		return ERR_V(c, inputs[0],
		             "network input '%s' has no shape (expected four 'input_dim' values or "
		             "an 'input_shape')",
		             inputs[0]->text);
	if (n_shapes && n_shapes != n_in)
		return ERR_F(c, shapes[n_shapes < n_in ? 0 : n_in],
		             "%zu 'input' blobs but %zu 'input_shape' (one per input)", n_in,
		             n_shapes);
	/* one input may give 2 or 4 dims; several give 4 each, as Caffe requires */
	if (n_dims && n_in > 1 && n_dims != 4 * n_in)
		return ERR_F(c, dims[0], "%zu 'input' blobs but %zu 'input_dim' (four per input)",
		             n_in, n_dims);
	for (size_t k = 0; k < n_in; k++) {
		bool first;
		const field *sd[4] = {NULL, NULL, NULL, NULL};
		size_t n = n_dims;
		if ((rc = add_input_blob(c, inputs[k], &first)))
			return rc;
		if (n_shapes)
			rc = shape_dims(c, shapes[k], sd, &n);
		else if (n_in > 1)
			n = 4;
		if (rc || (rc = input_shape_of(c, first, n_shapes ? shapes[k] : dims[4 * k],
		                               n_shapes ? sd : dims + 4 * k, n)))
			return rc;
	}
	return AUGUR_OK;
}

/* An Input layer: one top per input, with one shape for all or one per top. */
static int input_layer(struct ctx *c, const field *lf, const field *p, const char *lname)
{
	static const char *const known[] = {"shape", NULL};
	size_t n_top = count_of(lf, "top"), n_shape = count_of(p, "shape");
	for (size_t i = 0; i < lf->len; i++)
		if (!strcmp(lf->fields[i].name, "bottom"))
			return ERR_F(c, &lf->fields[i], "Input layer '%s' takes no bottom", lname);
	if (!n_top)
		return ERR_F(c, lf, "Input layer '%s' has no top", lname);
	if (!p)
		return ERR_F(c, lf, "Input layer '%s' needs input_param { shape { dim: ... } }",
		             lname);
	int rc = check_known(c, p, "input_param", known, false);
	if (rc)
		return rc;
	if (!n_shape)
		return ERR_F(c, p, "Input layer '%s' needs 'shape' in input_param", lname);
	if (n_shape != 1 && n_shape != n_top)
		return ERR_F(c, p,
		             "Input layer '%s' has %zu tops and %zu shapes (give one shape, or "
		             "one per top)",
		             lname, n_top, n_shape);
	size_t k = 0;
	for (size_t i = 0; i < lf->len; i++) {
		const field *f = &lf->fields[i];
		if (strcmp(f->name, "top"))
			continue;
		/* the k-th top takes the k-th shape, or the only one */
		const field *shape = nth_field(p, "shape", n_shape == 1 ? 0 : k++);
		bool first;
		const field *dims[4];
		size_t n;
		if ((rc = add_input_blob(c, f, &first)) || (rc = shape_dims(c, shape, dims, &n)) ||
		    (rc = input_shape_of(c, first, shape, dims, n)))
			return rc;
	}
	return AUGUR_OK;
}

/* A data layer (Data, ImageData, caffe-segnet's DenseImageData, ...) that the TEST phase
 * keeps, as SegNet's inference files have: its first top is the network input, whose
 * size the file does not hold (the layer reads images from its source at run time, so
 * --input must give it; analysing without one is a located error); further tops (the
 * labels) are other inputs. */
static int data_layer(struct ctx *c, const field *lf, const field *tf, const char *lname)
{
	const field *b = nth_field(lf, "bottom", 0);
	if (b)
		return ERR_F(c, b, "data layer '%s' takes no bottom", lname);
	if (!count_of(lf, "top"))
		return ERR_F(c, lf, "data layer '%s' has no top", lname);
	if (c->input_at)
		return ERR_V(c, tf,
		             "data layer '%s' after the network input declared at line %u (a "
		             "deploy net has one image input)",
		             lname, c->input_at->line);
	for (size_t k = 0; k < count_of(lf, "top"); k++) {
		bool first;
		int rc = add_input_blob(c, nth_field(lf, "top", k), &first);
		if (rc)
			return rc;
	}
	c->net->input = (struct augur_shape){0, 0, 0, 3};
	c->net->input_loc = vloc(tf);
	return AUGUR_OK;
}

/* ---- layers ---- */

static int find_bottom(struct ctx *c, const field *b, const char *lname, int32_t *out)
{
	const char *name;
	int64_t at;
	int rc = get_string(c, b, &name);
	if (rc)
		return rc;
	if (!augur_strmap_get(c->blobs, name, &at))
		return ERR_V(c, b,
		             "unknown bottom '%s' of layer '%s' (no earlier layer has it as a "
		             "top, and it is not the network input)",
		             name, lname);
	if (at == OTHER_INPUT)
		return ERR_V(c, b,
		             "layer '%s' reads '%s', a second network input; augur models one "
		             "input (the first, the image)",
		             lname, name);
	*out = (int32_t)at;
	return AUGUR_OK;
}

static char *fallback_name(const struct augur_net *net, enum augur_layer_type type)
{
	char buf[48];
	snprintf(buf, sizeof(buf), "%s_%zu", augur_layer_type_name(type), net->n_layers + 1);
	return strdup(buf);
}

/* Split (its tops alias its bottom) and Silence (it only consumes). */
static int alias_layer(struct ctx *c, const field *lf, const struct type_info *t, const char *lname,
                       size_t n_bottom)
{
	int32_t src = AUGUR_NET_INPUT;
	int rc;
	for (size_t i = 0; i < lf->len; i++)
		if (!strcmp(lf->fields[i].name, "bottom") &&
		    (rc = find_bottom(c, &lf->fields[i], lname, &src)))
			return rc;
	if (t->kind == K_SILENCE)
		return AUGUR_OK;
	if (n_bottom != 1)
		return ERR_F(c, lf, "Split layer '%s' needs exactly one bottom, got %zu", lname,
		             n_bottom);
	for (size_t i = 0; i < lf->len; i++) {
		const field *f = &lf->fields[i];
		const char *top;
		if (strcmp(f->name, "top"))
			continue;
		if ((rc = get_string(c, f, &top)))
			return rc;
		if (augur_strmap_put(&c->blobs, top, src))
			return err_at(c, f->line, f->col, AUGUR_E_NOMEM, "out of memory");
	}
	return AUGUR_OK;
}

static int check_arity(const struct ctx *c, const field *lf, const struct type_info *t,
                       const char *lname, size_t n_bottom, size_t n_top)
{
	bool multi = t->type == AUGUR_LAYER_ELTWISE || t->type == AUGUR_LAYER_CONCAT;
	/* crop reads a second bottom for its size; SegNet's Upsample a pooling mask */
	bool two = t->type == AUGUR_LAYER_CROP || t->type == AUGUR_LAYER_UPSAMPLE ||
	           t->type == AUGUR_LAYER_PRIORBOX;
	if (t->type == AUGUR_LAYER_DETECTION && (n_bottom != 3 || n_top != 1))
		return ERR_F(c, lf,
		             "DetectionOutput layer '%s' takes three bottoms (locations, "
		             "confidences, priors) and one top",
		             lname);
	if (t->type == AUGUR_LAYER_DETECTION)
		return AUGUR_OK;
	if (n_top == 0)
		return ERR_F(c, lf, "layer '%s' has no top", lname);
	if (n_top == 2 && t->type == AUGUR_LAYER_POOL)
		return AUGUR_OK; /* the second is the max positions' mask */
	if (two && n_bottom == 2)
		return AUGUR_OK;
	if (n_top > 1)
		return ERR_F(c, lf,
		             "layer '%s' has %zu tops; augur models one output per layer (Split "
		             "excepted)",
		             lname, n_top);
	if (multi && n_bottom < 2)
		return ERR_F(c, lf, "%s layer '%s' needs two or more bottoms, got %zu", t->name,
		             lname, n_bottom);
	if (!multi && n_bottom != 1)
		return ERR_F(c, lf, "%s layer '%s' takes exactly one bottom, got %zu", t->name,
		             lname, n_bottom);
	if (n_bottom > AUGUR_MAX_INPUTS)
		return err_at(c, lf->line, lf->col, AUGUR_E_LIMIT,
		              "too many bottoms (the limit is %u)", AUGUR_MAX_INPUTS);
	return AUGUR_OK;
}

/* A layer's own name: unique, and never "input". */
static int check_own_name(struct ctx *c, const field *lf, const field *nf, const char *own)
{
	int64_t prev;
	if (nf && !strcmp(own, "input")) /* a made-up name is "<type>_<n>", never "input" */
		return ERR_V(c, nf,
		             "layer name 'input' is reserved for the network input in augur "
		             "descriptors; rename the layer");
	if (augur_strmap_get(c->names, own, &prev))
		return nf ? ERR_V(c, nf, "duplicate layer name '%s' (first defined at line %u)",
		                  own, c->net->layers[prev].loc.line)
		          : ERR_F(c, lf, "layer name '%s' (made up for an unnamed layer) is taken",
		                  own);
	return AUGUR_OK;
}

/* Appends the layer named own reading inputs; registers its name. */
static int append_layer(struct ctx *c, const field *lf, const char *own, enum augur_layer_type type,
                        const int32_t *inputs, size_t n, struct augur_layer **out)
{
	struct augur_layer *l = augur_net_append(c->net, own, type);
	if (!l)
		return c->net->n_layers >= AUGUR_MAX_LAYERS
		               ? err_at(c, lf->line, lf->col, AUGUR_E_LIMIT,
		                        "too many layers (the limit is %u)", AUGUR_MAX_LAYERS)
		               : err_at(c, lf->line, lf->col, AUGUR_E_NOMEM, "out of memory");
	if (augur_layer_set_inputs(l, inputs, (uint32_t)n) ||
	    augur_strmap_put(&c->names, l->name, (int64_t)c->net->n_layers - 1))
		return err_at(c, lf->line, lf->col, AUGUR_E_NOMEM, "out of memory");
	l->loc = (struct augur_loc){lf->line, lf->col};
	*out = l;
	return AUGUR_OK;
}

/* Reads the bottoms (into inputs) and finds the one top. */
static int bottoms_and_top(struct ctx *c, const field *lf, const char *own, int32_t *inputs,
                           const field **first_bottom, const field **top)
{
	size_t j = 0;
	int rc = AUGUR_OK;
	*first_bottom = *top = NULL;
	for (size_t i = 0; i < lf->len && rc == AUGUR_OK; i++) {
		const field *f = &lf->fields[i];
		if (!strcmp(f->name, "bottom")) {
			*first_bottom = *first_bottom ? *first_bottom : f;
			rc = find_bottom(c, f, own, &inputs[j++]);
		} else if (!strcmp(f->name, "top")) {
			const char *s;
			*top = *top ? *top : f;
			rc = get_string(c, f, &s);
		}
	}
	/* n_top == 1 and n_bottom >= 1 were checked before, so both were found */
	if (rc == AUGUR_OK && (!*top || !*first_bottom))
		rc = err_at(c, lf->line, lf->col, AUGUR_E_INTERNAL, "layer '%s' lost its top", own);
	return rc;
}

/* The fork's BN: a batchnorm followed by its learned scale and shift, "<name>_scale". */
static int bn_scale(struct ctx *c, const field *lf, const field *tf, struct augur_layer *bn,
                    const field *top)
{
	char name[NAME_MAX_LEN + 16];
	snprintf(name, sizeof(name), "%s_scale", bn->name);
	int32_t from = (int32_t)c->net->n_layers - 1;
	int rc = check_own_name(c, lf, NULL, name);
	struct augur_layer *l;
	if (rc || (rc = append_layer(c, lf, name, AUGUR_LAYER_SCALE, &from, 1, &l)))
		return rc;
	l->bias = true;
	l->key_loc[AUGUR_KEY_TYPE] = vloc(tf);
	if (augur_strmap_put(&c->blobs, top->text, from + 1))
		return err_at(c, lf->line, lf->col, AUGUR_E_NOMEM, "out of memory");
	return AUGUR_OK;
}

/* Caffe's Slice: one slice layer per top, named "<name>", "<name>_2", ... (a layer of
 * augur has one output); slice_point gives the channel boundaries. */
static int slice_layer(struct ctx *c, const field *lf, const field *nf, const field *tf,
                       const field *p, const char *lname)
{
	static const char *const known[] = {"axis", "slice_dim", "slice_point", NULL};
	static const field empty = {.name = "", .kind = AUGUR_PB_MESSAGE};
	size_t n_top = count_of(lf, "top");
	const field *bottom = nth_field(lf, "bottom", 0);
	int32_t from;
	int rc;
	p = p ? p : &empty;
	if (count_of(lf, "bottom") != 1 || !n_top)
		return ERR_F(c, lf, "Slice layer '%s' takes one bottom and one or more tops",
		             lname);
	if ((rc = check_known(c, p, "slice_param", known, false)) ||
	    (rc = want_axis(c, p, "axis", 1, "augur slices channels")) ||
	    (rc = want_axis(c, p, "slice_dim", 1, "augur slices channels")) ||
	    (rc = find_bottom(c, bottom, lname, &from)))
		return rc;
	if (count_of(p, "slice_point") != n_top - 1)
		return ERR_F(c, lf,
		             "Slice layer '%s' needs %zu 'slice_point' values for its %zu tops "
		             "(an even split needs the channel count, which the reader does not "
		             "trace)",
		             lname, n_top - 1, n_top);
	char *base = nf ? strdup(lname) : fallback_name(c->net, AUGUR_LAYER_SLICE);
	if (!base)
		return err_at(c, lf->line, lf->col, AUGUR_E_NOMEM, "out of memory");
	uint64_t begin = 0;
	for (size_t k = 0; k < n_top && rc == AUGUR_OK; k++) {
		const field *top = nth_field(lf, "top", k), *sp = nth_field(p, "slice_point", k);
		uint64_t end = UINT32_MAX;
		const char *blob;
		char name[NAME_MAX_LEN + 16];
		snprintf(name, sizeof(name), k ? "%s_%zu" : "%s", base, k + 1);
		struct augur_layer *l;
		if ((rc = get_string(c, top, &blob)) ||
		    (sp && (rc = get_uint(c, sp, begin + 1, AUGUR_MAX_DIM, &end))) ||
		    (rc = check_own_name(c, lf, k ? NULL : nf, name)) ||
		    (rc = append_layer(c, lf, name, AUGUR_LAYER_SLICE, &from, 1, &l)))
			break;
		/* the last top runs to the end: 0 until the channels are known */
		l->range[0] = (uint32_t)begin;
		l->range[1] = sp ? (uint32_t)end : 0;
		l->key_loc[AUGUR_KEY_TYPE] = vloc(tf);
		l->key_loc[AUGUR_KEY_INPUTS] = vloc(bottom);
		if (augur_strmap_put(&c->blobs, blob, (int64_t)c->net->n_layers - 1))
			rc = err_at(c, lf->line, lf->col, AUGUR_E_NOMEM, "out of memory");
		begin = end;
	}
	free(base);
	return rc;
}

/* The fork's Axpy (SENet files): a (N x C x 1 x 1) times x plus y, as an eltwise prod
 * "<name>_ax" that broadcasts a, then an eltwise sum "<name>". */
static int axpy_layer(struct ctx *c, const field *lf, const field *nf, const field *tf,
                      const char *lname)
{
	int32_t in[3];
	const field *top = nth_field(lf, "top", 0);
	int rc;
	if (count_of(lf, "bottom") != 3 || count_of(lf, "top") != 1)
		return ERR_F(c, lf, "Axpy layer '%s' takes three bottoms (a, x, y) and one top",
		             lname);
	for (size_t i = 0; i < 3; i++)
		if ((rc = find_bottom(c, nth_field(lf, "bottom", i), lname, &in[i])))
			return rc;
	char *own = nf ? strdup(lname) : fallback_name(c->net, AUGUR_LAYER_ELTWISE);
	char ax[NAME_MAX_LEN + 16];
	if (!own)
		return err_at(c, lf->line, lf->col, AUGUR_E_NOMEM, "out of memory");
	snprintf(ax, sizeof(ax), "%s_ax", own);
	struct augur_layer *l;
	const char *blob;
	if (!(rc = get_string(c, top, &blob)) && !(rc = check_own_name(c, lf, NULL, ax)) &&
	    !(rc = append_layer(c, lf, ax, AUGUR_LAYER_ELTWISE, in, 2, &l))) {
		l->op = AUGUR_ELTWISE_PROD;
		l->key_loc[AUGUR_KEY_TYPE] = vloc(tf);
		int32_t sum[2] = {(int32_t)c->net->n_layers - 1, in[2]};
		if (!(rc = check_own_name(c, lf, nf, own)) &&
		    !(rc = append_layer(c, lf, own, AUGUR_LAYER_ELTWISE, sum, 2, &l))) {
			l->key_loc[AUGUR_KEY_TYPE] = vloc(tf);
			if (augur_strmap_put(&c->blobs, blob, (int64_t)c->net->n_layers - 1))
				rc = err_at(c, lf->line, lf->col, AUGUR_E_NOMEM, "out of memory");
		}
	}
	free(own);
	return rc;
}

/* A layer that becomes an augur layer (K_LAYER). */
static int mapped_layer(struct ctx *c, const field *lf, const field *nf, const field *tf,
                        const struct type_info *t, const field *p, const char *lname)
{
	if (t->type == AUGUR_LAYER_SLICE)
		return slice_layer(c, lf, nf, tf, p, lname);
	if (t->fork == FORK_AXPY)
		return axpy_layer(c, lf, nf, tf, lname);
	size_t n_bottom = count_of(lf, "bottom"), n_top = count_of(lf, "top");
	int rc = check_arity(c, lf, t, lname, n_bottom, n_top);
	if (rc)
		return rc;
	/* the name: given, or as the YAML loader would make it up */
	char *own = nf ? strdup(lname) : fallback_name(c->net, t->type);
	int32_t *inputs = malloc(n_bottom * sizeof(*inputs));
	const field *first_bottom = NULL, *top = NULL;
	struct augur_layer *l = NULL;
	if (!own || !inputs)
		rc = err_at(c, lf->line, lf->col, AUGUR_E_NOMEM, "out of memory");
	if (!rc)
		rc = check_own_name(c, lf, nf, own);
	if (!rc)
		rc = bottoms_and_top(c, lf, own, inputs, &first_bottom, &top);
	if (!rc)
		rc = append_layer(c, lf, own, t->type, inputs, n_bottom, &l);
	free(inputs);
	free(own);
	if (rc)
		return rc;
	size_t index = c->net->n_layers - 1;
	l->key_loc[AUGUR_KEY_TYPE] = vloc(tf);
	if (nf)
		l->key_loc[AUGUR_KEY_NAME] = vloc(nf);
	l->key_loc[AUGUR_KEY_INPUTS] = vloc(first_bottom);
	/* the top now names this layer's output: an in-place layer takes over its bottom */
	if (augur_strmap_put(&c->blobs, top->text, (int64_t)index))
		return err_at(c, lf->line, lf->col, AUGUR_E_NOMEM, "out of memory");

	static const field empty = {.name = "", .kind = AUGUR_PB_MESSAGE};
	const field *params = p ? p : &empty;
	/* SegNet's max pooling also tops its argmax mask, which the Upsample that reads it
	 * as its second bottom only uses for placement: the mask names the pooling layer */
	const field *mask = nth_field(lf, "top", 1);
	if (mask && augur_strmap_put(&c->blobs, mask->text, (int64_t)index))
		return err_at(c, lf->line, lf->col, AUGUR_E_NOMEM, "out of memory");
	if (n_bottom == 2 && t->type == AUGUR_LAYER_UPSAMPLE)
		l->n_inputs = 1;
	switch (t->type) {
	case AUGUR_LAYER_CONV:
	case AUGUR_LAYER_DECONV:
		rc = conv_params(c, lf, params, l);
		if (t->fork == FORK_DEPTHWISE)
			l->groups = 0; /* one per input channel: resolved once the net is read */
		return rc;
	case AUGUR_LAYER_POOL:
		return pool_params(c, lf, params, l);
	case AUGUR_LAYER_FC:
		return fc_params(c, lf, params, l);
	case AUGUR_LAYER_RESHAPE:
		return reshape_params(c, lf, params, l);
	case AUGUR_LAYER_PRELU:
	case AUGUR_LAYER_ELU:
	case AUGUR_LAYER_SHUFFLE:
	case AUGUR_LAYER_UPSAMPLE:
	case AUGUR_LAYER_CROP:
	case AUGUR_LAYER_PERMUTE:
		return more_params(c, lf, t, params, l);
	case AUGUR_LAYER_NORMALIZE:
	case AUGUR_LAYER_PRIORBOX:
	case AUGUR_LAYER_DETECTION:
		return ssd_params(c, lf, t, params, l);
	default:
		rc = other_params(c, t, params, l);
		if (rc == AUGUR_OK && t->fork == FORK_BN_SCALE)
			rc = bn_scale(c, lf, tf, l, top);
		return rc;
	}
}

static int v0_layer(struct ctx *c, const field *conn);

static int one_layer(struct ctx *c, const field *lf, bool legacy)
{
	static const char *const known[] = {"name",
	                                    "type",
	                                    "bottom",
	                                    "top",
	                                    "phase",
	                                    "loss_weight",
	                                    "param",
	                                    "blobs",
	                                    "propagate_down",
	                                    "include",
	                                    "exclude",
	                                    "blobs_lr",
	                                    "weight_decay",
	                                    "blob_share_mode",
	                                    NULL};
	const field *nf, *tf;
	const char *lname = "";
	int rc = want_kind(c, lf, AUGUR_PB_MESSAGE, "a message");
	if (rc)
		return rc;
	if (legacy && nth_field(lf, "layer", 0))
		return v0_layer(c, lf);
	if ((rc = check_known(c, lf, legacy ? "layers" : "layer", known, true)) ||
	    (rc = single(c, lf, "name", &nf)) || (rc = single(c, lf, "type", &tf)))
		return rc;
	if (nf && ((rc = get_string(c, nf, &lname)) || (rc = check_name(c, nf, lname))))
		return rc;
	bool keep = false;
	if ((rc = layer_included(c, lf, &keep)) || !keep)
		return rc;
	if (!tf)
		return ERR_F(c, lf, "layer '%s' has no 'type' (augur reads %s)", lname,
		             augur_prototxt_type_list());
	const struct type_info *t = NULL;
	if ((rc = lookup_type(c, tf, lname, &t)))
		return rc;
	const field *p = NULL;
	if (t->param) {
		if ((rc = single(c, lf, t->param, &p)))
			return rc;
		if (p && (rc = want_kind(c, p, AUGUR_PB_MESSAGE, "a message")))
			return rc;
	}
	switch (t->kind) {
	case K_TRAINING:
		return ERR_V(
		        c, tf,
		        "layer '%s' of type '%s' belongs to a training net; augur reads deploy "
		        "prototxts (drop loss and accuracy layers, or mark them "
		        "include { phase: TRAIN })",
		        lname, tf->text);
	case K_INPUT:
		return input_layer(c, lf, p, lname);
	case K_DATA:
		return data_layer(c, lf, tf, lname);
	case K_SILENCE:
	case K_SPLIT:
		return alias_layer(c, lf, t, lname, count_of(lf, "bottom"));
	case K_LAYER:
	default:
		return mapped_layer(c, lf, nf, tf, t, p, lname);
	}
}

/* Output channels of each layer, as far as the reader can tell without tracing (0: it
 * cannot, after a flatten); fills the groups of depthwise layers (0 until now) with their
 * input's channels, and the end of a Slice's last top. */
static int resolve_depthwise(struct ctx *c)
{
	struct augur_net *net = c->net;
	uint64_t *ch = calloc(net->n_layers ? net->n_layers : 1, sizeof(*ch));
	if (!ch)
		return err_at(c, 1, 1, AUGUR_E_NOMEM, "out of memory");
	int rc = AUGUR_OK;
	for (size_t i = 0; i < net->n_layers && rc == AUGUR_OK; i++) {
		struct augur_layer *l = &net->layers[i];
		int32_t from = l->inputs[0];
		uint64_t in = from == AUGUR_NET_INPUT ? net->input.c : ch[from];
		switch (l->type) {
		case AUGUR_LAYER_CONV:
			if (l->groups == 0 && (in == 0 || in > AUGUR_MAX_DIM))
				rc = err_at(
				        c, l->loc.line, l->loc.col, AUGUR_E_SCHEMA,
				        "cannot tell the input channels of depthwise layer '%s'",
				        l->name);
			else if (l->groups == 0)
				l->groups = (uint32_t)in;
			ch[i] = l->filters;
			break;
		case AUGUR_LAYER_FC:
			ch[i] = l->outputs;
			break;
		case AUGUR_LAYER_DECONV:
			ch[i] = l->filters;
			break;
		case AUGUR_LAYER_FLATTEN:
		case AUGUR_LAYER_PERMUTE:
		case AUGUR_LAYER_PRIORBOX:
		case AUGUR_LAYER_DETECTION:
			ch[i] = 0;
			break;
		case AUGUR_LAYER_RESHAPE: /* 0 keeps the channels; -1 is known once traced */
			ch[i] = l->shape[0] > 0 ? (uint64_t)l->shape[0] : l->shape[0] ? 0 : in;
			break;
		case AUGUR_LAYER_SLICE:
			if (l->range[1] == 0 && (in == 0 || in > AUGUR_MAX_DIM))
				rc = err_at(c, l->loc.line, l->loc.col, AUGUR_E_SCHEMA,
				            "cannot tell the channels the last top of slice layer "
				            "'%s' ends at",
				            l->name);
			else if (l->range[1] == 0)
				l->range[1] = (uint32_t)in;
			ch[i] = l->range[1] > l->range[0] ? l->range[1] - l->range[0] : 0;
			break;
		case AUGUR_LAYER_CONCAT:
			for (uint32_t j = 0; j < l->n_inputs; j++) {
				int32_t f = l->inputs[j];
				uint64_t cj = f == AUGUR_NET_INPUT ? net->input.c : ch[f];
				ch[i] = cj && ch[i] + cj <= AUGUR_MAX_DIM && (j == 0 || ch[i])
				                ? ch[i] + cj
				                : 0;
			}
			break;
		default:
			ch[i] = in;
			break;
		}
	}
	free(ch);
	return rc;
}

/* ---- the V0 syntax (before 2014): layers { layer { ... } bottom: top: } ---- */

/* How Caffe's upgrade_net_proto_text maps a V0 layer: its type, the parameter message its
 * fields move into, and the fields renamed on the way. */
struct v0_type {
	const char *v0, *type, *param;
};

static const struct v0_type v0_types[] = {
        {"conv", "Convolution", "convolution_param"},
        {"pool", "Pooling", "pooling_param"},
        {"innerproduct", "InnerProduct", "inner_product_param"},
        {"relu", "ReLU", NULL},
        {"sigmoid", "Sigmoid", NULL},
        {"tanh", "TanH", NULL},
        {"softmax", "Softmax", NULL},
        {"flatten", "Flatten", NULL},
        {"split", "Split", NULL},
        {"concat", "Concat", "concat_param"},
        {"lrn", "LRN", "lrn_param"},
        {"dropout", "Dropout", "dropout_param"},
        {"data", "Data", NULL},
        {"images", "ImageData", NULL},
        {"hdf5_data", "HDF5Data", NULL},
        {"window_data", "WindowData", NULL},
        {"softmax_loss", "SoftmaxWithLoss", NULL},
        {"euclidean_loss", "EuclideanLoss", NULL},
        {"infogain_loss", "InfogainLoss", NULL},
        {"multinomial_logistic_loss", "MultinomialLogisticLoss", NULL},
        {"accuracy", "Accuracy", NULL},
        {"hdf5_output", "HDF5Output", NULL},
};

/* V0 field -> its name in the V1 parameter message ("" = dropped, as the upgrade does
 * with fillers and learning rates). */
static const char *v0_field(const char *name)
{
	static const char *const map[][2] = {
	        {"num_output", "num_output"},
	        {"biasterm", "bias_term"},
	        {"pad", "pad"},
	        {"kernelsize", "kernel_size"},
	        {"group", "group"},
	        {"stride", "stride"},
	        {"pool", "pool"},
	        {"dropout_ratio", "dropout_ratio"},
	        {"local_size", "local_size"},
	        {"alpha", "alpha"},
	        {"beta", "beta"},
	        {"k", "k"},
	        {"concat_dim", "concat_dim"},
	        {"name", ""},
	        {"type", ""},
	        {"weight_filler", ""},
	        {"bias_filler", ""},
	        {"blobs", ""},
	        {"blobs_lr", ""},
	        {"weight_decay", ""},
	        {"source", ""},
	        {"scale", ""},
	        {"meanfile", ""},
	        {"batchsize", ""},
	        {"cropsize", ""},
	        {"mirror", ""},
	        {"rand_skip", ""},
	        {"shuffle_images", ""},
	        {"new_height", ""},
	        {"new_width", ""},
	        {"new_num", ""},
	        {"new_channels", ""},
	        {"hdf5_output_param", ""},
	        {"det_fg_threshold", ""},
	        {"det_bg_threshold", ""},
	        {"det_fg_fraction", ""},
	        {"det_context_pad", ""},
	        {"det_crop_mode", ""},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (!strcmp(name, map[i][0]))
			return map[i][1];
	return NULL;
}

/* A V0 "padding" layer: its top aliases its bottom, and the conv or pool that reads it
 * takes its pad (UpgradeV0PaddingLayers). */
static int v0_padding(struct ctx *c, const field *conn, const field *lp, const char *lname)
{
	const field *pf, *b = nth_field(conn, "bottom", 0), *t = nth_field(conn, "top", 0);
	uint64_t pad = 0;
	int32_t src;
	const char *top;
	int rc = single(c, lp, "pad", &pf);
	if (rc || (pf && (rc = get_uint(c, pf, 0, AUGUR_MAX_WINDOW, &pad))))
		return rc;
	if (!b || !t || count_of(conn, "bottom") != 1 || count_of(conn, "top") != 1)
		return ERR_F(c, conn, "padding layer '%s' takes one bottom and one top", lname);
	if ((rc = find_bottom(c, b, lname, &src)) || (rc = get_string(c, t, &top)))
		return rc;
	if (augur_strmap_put(&c->blobs, top, src) ||
	    augur_strmap_put(&c->padded, top, (int64_t)pad))
		return err_at(c, t->line, t->col, AUGUR_E_NOMEM, "out of memory");
	return AUGUR_OK;
}

/* Builds the V1 layer a V0 one upgrades to (fields borrowed from the tree, renamed) and
 * reads it. */
static int v0_layer(struct ctx *c, const field *conn)
{
	static const char *const conn_known[] = {"layer", "bottom", "top", NULL};
	const field *lp, *tf, *nf;
	const char *lname = "", *tname;
	int rc = check_known(c, conn, "layers (V0)", conn_known, false);
	if (rc || (rc = single(c, conn, "layer", &lp)))
		return rc;
	if (!lp)
		return ERR_F(c, conn, "V0 'layers' entry without its 'layer' message");
	if ((rc = want_kind(c, lp, AUGUR_PB_MESSAGE, "a message")) ||
	    (rc = single(c, lp, "name", &nf)) || (rc = single(c, lp, "type", &tf)) ||
	    (nf && (rc = get_string(c, nf, &lname))))
		return rc;
	if (!tf)
		return ERR_F(c, lp, "V0 layer '%s' has no 'type'", lname);
	if ((rc = get_string(c, tf, &tname)))
		return rc;
	for (size_t i = 0; i < lp->len; i++)
		if (!v0_field(lp->fields[i].name))
			return ERR_F(c, &lp->fields[i], "unknown field '%s' in a V0 layer",
			             lp->fields[i].name);
	if (!strcmp(tname, "padding"))
		return v0_padding(c, conn, lp, lname);
	const struct v0_type *t = NULL;
	for (size_t i = 0; i < sizeof(v0_types) / sizeof(*v0_types) && !t; i++)
		t = strcmp(tname, v0_types[i].v0) ? NULL : &v0_types[i];
	if (!t)
		return ERR_V(c, tf, "unsupported V0 layer type '%s' of layer '%s'", tname, lname);

	/* the V1 layer: name, type, bottoms, tops, and one parameter message */
	field *f = calloc(conn->len + 3, sizeof(*f)), *pf = calloc(lp->len + 1, sizeof(*pf));
	if (!f || !pf) {
		free(f);
		free(pf);
		return err_at(c, conn->line, conn->col, AUGUR_E_NOMEM, "out of memory");
	}
	size_t n = 0, np = 0;
	char padtext[24] = "";
	if (nf)
		f[n++] = *nf;
	f[n] = *tf;
	f[n++].text = (char *)t->type;
	for (size_t i = 0; i < conn->len; i++)
		if (strcmp(conn->fields[i].name, "layer"))
			f[n++] = conn->fields[i];
	for (size_t i = 0; i < lp->len; i++) {
		const char *to = v0_field(lp->fields[i].name);
		if (!*to || !t->param)
			continue;
		pf[np] = lp->fields[i];
		pf[np++].name = (char *)to;
	}
	/* a conv or pool reading a padding layer's top takes its pad */
	const field *b0 = nth_field(conn, "bottom", 0);
	int64_t pad = 0;
	if (rc == AUGUR_OK && b0 && b0->text && augur_strmap_get(c->padded, b0->text, &pad)) {
		if (strcmp(tname, "conv") && strcmp(tname, "pool"))
			rc = ERR_V(
			        c, b0,
			        "V0 layer '%s' of type '%s' reads a padding layer's output (only "
			        "conv and pool can take its pad)",
			        lname, tname);
		else if (nth_field(lp, "pad", 0))
			rc = ERR_F(c, nth_field(lp, "pad", 0),
			           "V0 layer '%s' has a pad and reads a padding layer", lname);
		snprintf(padtext, sizeof(padtext), "%lld", (long long)pad);
		pf[np] = (field){.name = "pad", .kind = AUGUR_PB_NUMBER, .text = padtext};
		pf[np].line = pf[np].vline = b0->line;
		pf[np].col = pf[np].vcol = b0->col;
		np++;
	}
	if (t->param && np)
		f[n++] = (field){.name = (char *)t->param,
		                 .kind = AUGUR_PB_MESSAGE,
		                 .line = lp->line,
		                 .col = lp->col,
		                 .vline = lp->vline,
		                 .vcol = lp->vcol,
		                 .len = np,
		                 .fields = pf};
	field layer = *conn;
	layer.name = "layer";
	layer.fields = f;
	layer.len = n;
	if (rc == AUGUR_OK)
		rc = one_layer(c, &layer, false);
	free(f);
	free(pf);
	return rc;
}

/* version: a field of 2014's NetParameter (BVLC's own example deploy files carry it) */
static const char *const top_known[] = {"name",       "input",   "input_shape", "input_dim",
                                        "layer",      "layers",  "state",       "force_backward",
                                        "debug_info", "version", NULL};

static int parse_root(struct ctx *c, const field *root)
{
	const field *nf, *first_layer = NULL;
	int rc;
	const field *vf;
	uint64_t version;
	if ((rc = check_known(c, root, "the network", top_known, false)) ||
	    (rc = single(c, root, "name", &nf)) || (rc = single(c, root, "version", &vf)) ||
	    (vf && (rc = get_uint(c, vf, 0, INT32_MAX, &version))))
		return rc;
	if (nf) {
		const char *name;
		if ((rc = get_string(c, nf, &name)) || (rc = check_name(c, nf, name)))
			return rc;
		if (augur_net_set_name(c->net, name))
			return err_at(c, nf->line, nf->col, AUGUR_E_NOMEM, "out of memory");
	}
	if ((rc = top_level_input(c, root)))
		return rc;
	for (size_t i = 0; i < root->len; i++) {
		const field *f = &root->fields[i];
		bool legacy = !strcmp(f->name, "layers");
		if (!legacy && strcmp(f->name, "layer"))
			continue;
		if (first_layer && strcmp(first_layer->name, f->name))
			return ERR_F(
			        c, f,
			        "'%s' after '%s' at line %u: a prototxt uses either 'layer' or "
			        "the legacy 'layers', not both",
			        f->name, first_layer->name, first_layer->line);
		first_layer = first_layer ? first_layer : f;
		if ((rc = one_layer(c, f, legacy)))
			return rc;
	}
	if (!c->input_at)
		return err_at(c, 1, 1, AUGUR_E_SCHEMA,
		              "prototxt has no network input (expected 'input' with 'input_shape' "
		              "or four 'input_dim', or an Input layer)");
	if (!c->net->n_layers)
		return err_at(c, 1, 1, AUGUR_E_SCHEMA,
		              "prototxt has no layers augur can trace (after dropping layers "
		              "outside the TEST phase)");
	return resolve_depthwise(c);
}

static char *default_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return strndup(base, strcspn(base, "."));
}

int augur_prototxt_parse(const char *path, const char *buf, size_t len, struct augur_net **out,
                         struct augur_diag *diag)
{
	*out = NULL;
	struct augur_pbfield *root = NULL;
	int rc = augur_pbtext_parse(path, buf, len, &root, diag);
	if (rc)
		return rc;
	char *name = default_name(path);
	struct ctx c = {.path = path, .diag = diag};
	c.net = name ? augur_net_new(name, path) : NULL;
	free(name);
	if (!c.net)
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
	else
		rc = parse_root(&c, root);
	augur_strmap_clear(&c.blobs);
	augur_strmap_clear(&c.names);
	augur_strmap_clear(&c.padded);
	augur_pbtext_free(root);
	if (rc) {
		augur_net_free(c.net);
		return rc;
	}
	*out = c.net;
	return AUGUR_OK;
}
