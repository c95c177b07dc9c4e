/* The network model: what a descriptor says, independent of its file format. The YAML
 * loader (descriptor.c) and the prototxt reader build it; shape tracing and analysis read
 * it. Layers are stored in execution order and refer to their inputs by index. */
#ifndef AUGUR_NET_H
#define AUGUR_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

enum augur_layer_type {
	AUGUR_LAYER_CONV,
	AUGUR_LAYER_POOL,
	AUGUR_LAYER_FC,
	AUGUR_LAYER_RELU,
	AUGUR_LAYER_SIGMOID,
	AUGUR_LAYER_TANH,
	AUGUR_LAYER_SOFTMAX,
	AUGUR_LAYER_DROPOUT,
	AUGUR_LAYER_FLATTEN,
	AUGUR_LAYER_LRN,
	AUGUR_LAYER_BATCHNORM,
	AUGUR_LAYER_SCALE,
	AUGUR_LAYER_ELTWISE,
	AUGUR_LAYER_CONCAT,
	AUGUR_LAYER_HARDSWISH,
	AUGUR_LAYER_HARDSIGMOID,
	AUGUR_LAYER_SWISH,
	AUGUR_LAYER_PRELU,
	AUGUR_LAYER_ELU,
	AUGUR_LAYER_REDUCE,
	AUGUR_LAYER_SHUFFLE,
	AUGUR_LAYER_UPSAMPLE,
	AUGUR_LAYER_DECONV,
	AUGUR_LAYER_PAD,
	AUGUR_LAYER_CROP,
	AUGUR_LAYER_SLICE,
	AUGUR_LAYER_RESHAPE,
	AUGUR_LAYER_PERMUTE,
	AUGUR_LAYER_NORMALIZE,
	AUGUR_LAYER_PRIORBOX,
	AUGUR_LAYER_DETECTION,
	AUGUR_LAYER_TYPE_COUNT /* at most 32: type sets are uint32_t masks */
};

enum augur_pool_op { AUGUR_POOL_MAX, AUGUR_POOL_AVG };
enum augur_eltwise_op { AUGUR_ELTWISE_SUM, AUGUR_ELTWISE_PROD, AUGUR_ELTWISE_MAX };
enum augur_upsample_op { AUGUR_UPSAMPLE_NEAREST, AUGUR_UPSAMPLE_BILINEAR };

/* The keys a layer may carry, in the order descriptors document them. */
enum augur_key {
	AUGUR_KEY_NAME,
	AUGUR_KEY_TYPE,
	AUGUR_KEY_INPUTS,
	AUGUR_KEY_FILTERS,
	AUGUR_KEY_OUTPUTS,
	AUGUR_KEY_KERNEL,
	AUGUR_KEY_STRIDE,
	AUGUR_KEY_PAD,
	AUGUR_KEY_DILATION,
	AUGUR_KEY_GROUPS,
	AUGUR_KEY_BIAS,
	AUGUR_KEY_OP,
	AUGUR_KEY_GLOBAL,
	AUGUR_KEY_CEIL,
	AUGUR_KEY_NEGATIVE_SLOPE,
	AUGUR_KEY_MAX,
	AUGUR_KEY_SIZE,
	AUGUR_KEY_SHARED,
	AUGUR_KEY_SCALE,
	AUGUR_KEY_OUTPUT_SIZE,
	AUGUR_KEY_RANGE,
	AUGUR_KEY_SHAPE,
	AUGUR_KEY_ORDER,
	AUGUR_KEY_PRIORS,
	AUGUR_KEY_KEEP,
	AUGUR_KEY_AXIS,
	AUGUR_KEY_OFFSET,
	AUGUR_KEY_TRIM,
	AUGUR_KEY_COUNT
};

/* Index used in augur_layer.inputs for the network's input blob. */
#define AUGUR_NET_INPUT (-1)

/* Bounds that keep every later product of dimensions meaningful; larger values are
 * rejected by the loaders as "out of range" rather than traced into nonsense. */
#define AUGUR_MAX_LAYERS 100000u
#define AUGUR_MAX_INPUTS 1024u
#define AUGUR_MAX_DIM    (1u << 24) /* channels, filters, outputs, H, W */
#define AUGUR_MAX_WINDOW (1u << 16) /* kernel, stride, pad, dilation */
#define AUGUR_MAX_BATCH  (1u << 20)

struct augur_hw {
	uint32_t h, w;
};

/* A position in the descriptor file; line 0 = not from the file (a default). */
struct augur_loc {
	uint32_t line, col;
};

struct augur_layer {
	char *name;
	enum augur_layer_type type;
	struct augur_loc loc;                      /* the layer's entry */
	struct augur_loc key_loc[AUGUR_KEY_COUNT]; /* each key's value, for diagnostics */
	uint32_t n_inputs;
	int32_t *inputs; /* layer indices (all earlier), or AUGUR_NET_INPUT */

	uint32_t filters; /* conv */
	uint32_t outputs; /* fc */
	struct augur_hw kernel, stride, pad, dilation;
	uint32_t groups;
	bool bias;                /* conv, fc, scale */
	int op;                   /* enum augur_pool_op (pool) or augur_eltwise_op (eltwise) */
	bool global;              /* pool over the whole map */
	bool ceil;                /* pool output size rounds up (Caffe) */
	double negative_slope;    /* relu: leaky slope */
	double max;               /* relu: clip value (6 = ReLU6); 0 = none */
	uint32_t size;            /* lrn: local size */
	bool shared;              /* prelu: one slope for every channel */
	struct augur_hw scale;    /* upsample: integer factors (0 = from output_size) */
	struct augur_hw out_size; /* upsample, crop: output height and width (0 = none) */
	uint32_t range[2];        /* slice: channels [begin, end) */
	/* reshape: C, H, W (shape_rank 3), C, H (2: a C x H x 1 map) or C (1); an entry 0
	 * copies the input's axis at its place, -1 (at most one) takes what the count leaves */
	int64_t shape[3];
	uint8_t shape_rank;
	uint8_t order[3];     /* permute: output axis i is input axis order[i] (0 C, 1 H, 2 W) */
	uint32_t priors;      /* priorbox: boxes per position */
	uint32_t keep;        /* detection: boxes kept (keep_top_k) */
	uint8_t axis;         /* crop: the first axis cut, Caffe's numbering (1 C, 2 H, 3 W) */
	uint32_t offset[3];   /* crop: where the window starts along C, H, W */
	struct augur_hw trim; /* upsample: rows and columns dropped after scaling (0 or 1) */
};

/* A feature map: C x H x W, or a vector of C values (rank 1). Batch is kept apart. */
struct augur_shape {
	uint64_t c, h, w;
	uint8_t rank;
};

struct augur_net {
	char *name;
	char *path; /* the file it came from, for diagnostics */
	struct augur_shape input;
	struct augur_loc input_loc;
	uint32_t batch;
	struct augur_loc batch_loc;
	size_t n_layers, cap_layers;
	struct augur_layer *layers;
	/* inputs beyond the first that a file declares (Faster R-CNN's im_info), by name,
	 * comma-separated, or NULL: accepted and reported, not modelled */
	char *other_inputs;
};

/* Type names as descriptors spell them ("conv", "pool"...). */
const char *augur_layer_type_name(enum augur_layer_type type);
/* Returns the type for a name, or -1. */
int augur_layer_type_from_name(const char *name);
/* "conv, pool, fc, ...": the valid names, for messages. */
const char *augur_layer_type_list(void);

/* Descriptor key names ("filters", "kernel"...). */
const char *augur_key_name(enum augur_key key);
/* Returns the key for a name, or -1. */
int augur_key_from_name(const char *name);
/* Whether a layer of this type accepts the key. */
bool augur_key_applies(enum augur_key key, enum augur_layer_type type);
/* Whether the key must be given for this type (e.g. conv needs filters and kernel). */
bool augur_key_required(enum augur_key key, const struct augur_layer *layer);

/* Returns a new empty network (batch 1), or NULL when out of memory. Free with
 * augur_net_free. name and path are copied; either may be NULL. */
struct augur_net *augur_net_new(const char *name, const char *path);
void augur_net_free(struct augur_net *net);

/* A deep copy, or NULL when out of memory. */
struct augur_net *augur_net_clone(const struct augur_net *net);

/* Appends a layer of the given type with every key at its default, named name (copied),
 * reading the previous layer. Returns it (valid until the next append), or NULL when out
 * of memory or past AUGUR_MAX_LAYERS. */
struct augur_layer *augur_net_append(struct augur_net *net, const char *name,
                                     enum augur_layer_type type);

/* Replaces a layer's inputs (copied). Returns AUGUR_E_NOMEM on failure. */
int augur_layer_set_inputs(struct augur_layer *layer, const int32_t *inputs, uint32_t n);

/* Index of the layer named name, or -1. Linear; callers that look up many names keep
 * their own index. */
long augur_net_find(const struct augur_net *net, const char *name);

/* Appends name to net->other_inputs. Returns AUGUR_E_NOMEM on failure. */
int augur_net_add_other_input(struct augur_net *net, const char *name);

/* Sets name (copied). */
int augur_net_set_name(struct augur_net *net, const char *name);

#endif
