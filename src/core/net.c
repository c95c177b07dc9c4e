/* Network model: layer types, the key table shared by every descriptor format, and
 * construction/copy of struct augur_net (see net.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"

static const char *const type_names[AUGUR_LAYER_TYPE_COUNT] = {
        [AUGUR_LAYER_CONV] = "conv",
        [AUGUR_LAYER_POOL] = "pool",
        [AUGUR_LAYER_FC] = "fc",
        [AUGUR_LAYER_RELU] = "relu",
        [AUGUR_LAYER_SIGMOID] = "sigmoid",
        [AUGUR_LAYER_TANH] = "tanh",
        [AUGUR_LAYER_SOFTMAX] = "softmax",
        [AUGUR_LAYER_DROPOUT] = "dropout",
        [AUGUR_LAYER_FLATTEN] = "flatten",
        [AUGUR_LAYER_LRN] = "lrn",
        [AUGUR_LAYER_BATCHNORM] = "batchnorm",
        [AUGUR_LAYER_SCALE] = "scale",
        [AUGUR_LAYER_ELTWISE] = "eltwise",
        [AUGUR_LAYER_CONCAT] = "concat",
        [AUGUR_LAYER_HARDSWISH] = "hardswish",
        [AUGUR_LAYER_HARDSIGMOID] = "hardsigmoid",
        [AUGUR_LAYER_SWISH] = "swish",
        [AUGUR_LAYER_PRELU] = "prelu",
        [AUGUR_LAYER_ELU] = "elu",
        [AUGUR_LAYER_REDUCE] = "reduce",
        [AUGUR_LAYER_SHUFFLE] = "shuffle",
        [AUGUR_LAYER_UPSAMPLE] = "upsample",
        [AUGUR_LAYER_DECONV] = "deconv",
        [AUGUR_LAYER_PAD] = "pad",
        [AUGUR_LAYER_CROP] = "crop",
        [AUGUR_LAYER_SLICE] = "slice",
        [AUGUR_LAYER_RESHAPE] = "reshape",
        [AUGUR_LAYER_PERMUTE] = "permute",
        [AUGUR_LAYER_NORMALIZE] = "normalize",
        [AUGUR_LAYER_PRIORBOX] = "priorbox",
        [AUGUR_LAYER_DETECTION] = "detection",
};

#define T(x)      (1u << AUGUR_LAYER_##x)
#define ALL_TYPES ((1u << AUGUR_LAYER_TYPE_COUNT) - 1)

static const struct {
	const char *name;
	uint32_t types; /* which layer types accept the key */
} keys[AUGUR_KEY_COUNT] = {
        [AUGUR_KEY_NAME] = {"name", ALL_TYPES},
        [AUGUR_KEY_TYPE] = {"type", ALL_TYPES},
        [AUGUR_KEY_INPUTS] = {"inputs", ALL_TYPES},
        [AUGUR_KEY_FILTERS] = {"filters", T(CONV) | T(DECONV)},
        [AUGUR_KEY_OUTPUTS] = {"outputs", T(FC)},
        [AUGUR_KEY_KERNEL] = {"kernel", T(CONV) | T(POOL) | T(DECONV)},
        [AUGUR_KEY_STRIDE] = {"stride", T(CONV) | T(POOL) | T(DECONV)},
        [AUGUR_KEY_PAD] = {"pad", T(CONV) | T(POOL) | T(DECONV) | T(PAD)},
        [AUGUR_KEY_DILATION] = {"dilation", T(CONV) | T(DECONV)},
        [AUGUR_KEY_GROUPS] = {"groups", T(CONV) | T(DECONV) | T(SHUFFLE)},
        [AUGUR_KEY_BIAS] = {"bias", T(CONV) | T(FC) | T(SCALE) | T(DECONV)},
        [AUGUR_KEY_OP] = {"op", T(POOL) | T(ELTWISE) | T(UPSAMPLE)},
        [AUGUR_KEY_GLOBAL] = {"global", T(POOL)},
        [AUGUR_KEY_CEIL] = {"ceil", T(POOL)},
        [AUGUR_KEY_NEGATIVE_SLOPE] = {"negative_slope", T(RELU)},
        [AUGUR_KEY_MAX] = {"max", T(RELU)},
        [AUGUR_KEY_SIZE] = {"size", T(LRN)},
        [AUGUR_KEY_SHARED] = {"shared", T(PRELU) | T(NORMALIZE)},
        [AUGUR_KEY_SCALE] = {"scale", T(UPSAMPLE)},
        [AUGUR_KEY_OUTPUT_SIZE] = {"output_size", T(UPSAMPLE) | T(CROP)},
        [AUGUR_KEY_RANGE] = {"range", T(SLICE)},
        [AUGUR_KEY_SHAPE] = {"shape", T(RESHAPE)},
        [AUGUR_KEY_ORDER] = {"order", T(PERMUTE)},
        [AUGUR_KEY_PRIORS] = {"priors", T(PRIORBOX)},
        [AUGUR_KEY_KEEP] = {"keep", T(DETECTION)},
        [AUGUR_KEY_AXIS] = {"axis", T(CROP)},
        [AUGUR_KEY_OFFSET] = {"offset", T(CROP)},
        [AUGUR_KEY_TRIM] = {"trim", T(UPSAMPLE)},
};

const char *augur_layer_type_name(enum augur_layer_type type)
{
	return (unsigned)type < AUGUR_LAYER_TYPE_COUNT ? type_names[type] : "?";
}

int augur_layer_type_from_name(const char *name)
{
	for (int i = 0; i < AUGUR_LAYER_TYPE_COUNT; i++)
		if (strcmp(type_names[i], name) == 0)
			return i;
	if (strcmp(name, "silu") == 0) /* PyTorch's name for swish */
		return AUGUR_LAYER_SWISH;
	return -1;
}

const char *augur_layer_type_list(void)
{
	return "conv, pool, fc, relu, sigmoid, tanh, softmax, dropout, flatten, lrn, "
	       "batchnorm, scale, eltwise, concat, hardswish, hardsigmoid, swish (silu), prelu, elu, "
	       "reduce, shuffle, upsample, deconv, pad, crop, slice, reshape, permute, normalize, "
	       "priorbox, detection";
}

const char *augur_key_name(enum augur_key key)
{
	return (unsigned)key < AUGUR_KEY_COUNT ? keys[key].name : "?";
}

int augur_key_from_name(const char *name)
{
	for (int i = 0; i < AUGUR_KEY_COUNT; i++)
		if (strcmp(keys[i].name, name) == 0)
			return i;
	return -1;
}

bool augur_key_applies(enum augur_key key, enum augur_layer_type type)
{
	return (unsigned)key < AUGUR_KEY_COUNT && (keys[key].types & (1u << type));
}

bool augur_key_required(enum augur_key key, const struct augur_layer *layer)
{
	switch (layer->type) {
	case AUGUR_LAYER_CONV:
	case AUGUR_LAYER_DECONV:
		return key == AUGUR_KEY_FILTERS || key == AUGUR_KEY_KERNEL;
	case AUGUR_LAYER_SHUFFLE:
		return key == AUGUR_KEY_GROUPS;
	case AUGUR_LAYER_SLICE:
		return key == AUGUR_KEY_RANGE;
	case AUGUR_LAYER_RESHAPE:
		return key == AUGUR_KEY_SHAPE;
	case AUGUR_LAYER_PERMUTE:
		return key == AUGUR_KEY_ORDER;
	case AUGUR_LAYER_PAD:
		return key == AUGUR_KEY_PAD;
	case AUGUR_LAYER_PRIORBOX:
		return key == AUGUR_KEY_PRIORS;
	case AUGUR_LAYER_DETECTION:
		return key == AUGUR_KEY_KEEP || key == AUGUR_KEY_INPUTS;
	case AUGUR_LAYER_FC:
		return key == AUGUR_KEY_OUTPUTS;
	case AUGUR_LAYER_POOL:
		return key == AUGUR_KEY_KERNEL && !layer->global;
	case AUGUR_LAYER_ELTWISE:
	case AUGUR_LAYER_CONCAT:
		return key == AUGUR_KEY_INPUTS;
	default:
		return false;
	}
}

static void layer_defaults(struct augur_layer *l, enum augur_layer_type type)
{
	l->type = type;
	l->kernel = (struct augur_hw){0, 0};
	l->stride = (struct augur_hw){1, 1};
	l->pad = (struct augur_hw){0, 0};
	l->dilation = (struct augur_hw){1, 1};
	l->groups = 1;
	l->bias = true;
	l->op = 0; /* max pooling; eltwise sum; nearest upsampling */
	l->size = 5;
	l->axis = 2; /* crop: H and W */
	l->order[0] = 0;
	l->order[1] = 1;
	l->order[2] = 2;
}

struct augur_net *augur_net_new(const char *name, const char *path)
{
	struct augur_net *net = calloc(1, sizeof(*net));
	if (!net)
		return NULL;
	net->batch = 1;
	net->input.rank = 3;
	if ((name && !(net->name = strdup(name))) || (path && !(net->path = strdup(path)))) {
		augur_net_free(net);
		return NULL;
	}
	return net;
}

void augur_net_free(struct augur_net *net)
{
	if (!net)
		return;
	for (size_t i = 0; i < net->n_layers; i++) {
		free(net->layers[i].name);
		free(net->layers[i].inputs);
	}
	free(net->layers);
	free(net->other_inputs);
	free(net->name);
	free(net->path);
	free(net);
}

struct augur_net *augur_net_clone(const struct augur_net *src)
{
	struct augur_net *net = augur_net_new(src->name, src->path);
	if (!net)
		return NULL;
	net->input = src->input;
	net->input_loc = src->input_loc;
	net->batch = src->batch;
	net->batch_loc = src->batch_loc;
	if (src->other_inputs && !(net->other_inputs = strdup(src->other_inputs)))
		goto fail;
	net->layers = calloc(src->n_layers ? src->n_layers : 1, sizeof(*net->layers));
	if (!net->layers)
		goto fail;
	net->cap_layers = src->n_layers ? src->n_layers : 1;
	for (size_t i = 0; i < src->n_layers; i++) {
		struct augur_layer *d = &net->layers[i];
		*d = src->layers[i];
		d->name = NULL;
		d->inputs = NULL;
		net->n_layers = i + 1;
		if (!(d->name = strdup(src->layers[i].name)))
			goto fail;
		if (augur_layer_set_inputs(d, src->layers[i].inputs, src->layers[i].n_inputs))
			goto fail;
	}
	return net;
fail:
	augur_net_free(net);
	return NULL;
}

struct augur_layer *augur_net_append(struct augur_net *net, const char *name,
                                     enum augur_layer_type type)
{
	if (net->n_layers >= AUGUR_MAX_LAYERS)
		return NULL;
	if (net->n_layers == net->cap_layers) {
		size_t ncap = net->cap_layers ? net->cap_layers * 2 : 16;
		struct augur_layer *n = realloc(net->layers, ncap * sizeof(*n));
		if (!n)
			return NULL;
		net->layers = n;
		net->cap_layers = ncap;
	}
	struct augur_layer *l = &net->layers[net->n_layers];
	memset(l, 0, sizeof(*l));
	layer_defaults(l, type);
	if (!(l->name = strdup(name)))
		return NULL;
	int32_t prev = net->n_layers ? (int32_t)net->n_layers - 1 : AUGUR_NET_INPUT;
	if (augur_layer_set_inputs(l, &prev, 1)) {
		free(l->name);
		return NULL;
	}
	net->n_layers++;
	return l;
}

int augur_layer_set_inputs(struct augur_layer *layer, const int32_t *inputs, uint32_t n)
{
	int32_t *copy = malloc((n ? n : 1) * sizeof(*copy));
	if (!copy)
		return AUGUR_E_NOMEM;
	if (n)
		memcpy(copy, inputs, n * sizeof(*copy));
	free(layer->inputs);
	layer->inputs = copy;
	layer->n_inputs = n;
	return AUGUR_OK;
}

long augur_net_find(const struct augur_net *net, const char *name)
{
	for (size_t i = 0; i < net->n_layers; i++)
		if (strcmp(net->layers[i].name, name) == 0)
			return (long)i;
	return -1;
}

int augur_net_add_other_input(struct augur_net *net, const char *name)
{
	size_t old = net->other_inputs ? strlen(net->other_inputs) : 0;
	size_t size = old + strlen(name) + 3;
	char *s = realloc(net->other_inputs, size);
	if (!s)
		return AUGUR_E_NOMEM;
	snprintf(s + old, size - old, "%s%s", old ? ", " : "", name);
	net->other_inputs = s;
	return AUGUR_OK;
}

int augur_net_set_name(struct augur_net *net, const char *name)
{
	char *copy = strdup(name);
	if (!copy)
		return AUGUR_E_NOMEM;
	free(net->name);
	net->name = copy;
	return AUGUR_OK;
}
