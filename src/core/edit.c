/* Applying and reverting edits (see edit.h). */
#include <string.h>

#include "edit.h"

/* Copies what one key sets from src to dst, and where the key was written. */
static void copy_key(struct augur_layer *dst, const struct augur_layer *src, enum augur_key key)
{
	switch (key) {
	case AUGUR_KEY_FILTERS:
		dst->filters = src->filters;
		break;
	case AUGUR_KEY_OUTPUTS:
		dst->outputs = src->outputs;
		break;
	case AUGUR_KEY_KERNEL:
		dst->kernel = src->kernel;
		break;
	case AUGUR_KEY_STRIDE:
		dst->stride = src->stride;
		break;
	case AUGUR_KEY_PAD:
		dst->pad = src->pad;
		break;
	case AUGUR_KEY_DILATION:
		dst->dilation = src->dilation;
		break;
	case AUGUR_KEY_GROUPS:
		dst->groups = src->groups;
		break;
	case AUGUR_KEY_BIAS:
		dst->bias = src->bias;
		break;
	case AUGUR_KEY_OP:
		dst->op = src->op;
		break;
	case AUGUR_KEY_GLOBAL:
		dst->global = src->global;
		break;
	case AUGUR_KEY_CEIL:
		dst->ceil = src->ceil;
		break;
	case AUGUR_KEY_NEGATIVE_SLOPE:
		dst->negative_slope = src->negative_slope;
		break;
	case AUGUR_KEY_MAX:
		dst->max = src->max;
		break;
	case AUGUR_KEY_SIZE:
		dst->size = src->size;
		break;
	case AUGUR_KEY_SHARED:
		dst->shared = src->shared;
		break;
	case AUGUR_KEY_SCALE:
		dst->scale = src->scale;
		break;
	case AUGUR_KEY_OUTPUT_SIZE:
		dst->out_size = src->out_size;
		break;
	case AUGUR_KEY_RANGE:
		memcpy(dst->range, src->range, sizeof(dst->range));
		break;
	case AUGUR_KEY_SHAPE:
		memcpy(dst->shape, src->shape, sizeof(dst->shape));
		dst->shape_rank = src->shape_rank;
		break;
	case AUGUR_KEY_ORDER:
		memcpy(dst->order, src->order, sizeof(dst->order));
		break;
	case AUGUR_KEY_PRIORS:
		dst->priors = src->priors;
		break;
	case AUGUR_KEY_KEEP:
		dst->keep = src->keep;
		break;
	case AUGUR_KEY_AXIS:
		dst->axis = src->axis;
		break;
	case AUGUR_KEY_OFFSET:
		memcpy(dst->offset, src->offset, sizeof(dst->offset));
		break;
	case AUGUR_KEY_TRIM:
		dst->trim = src->trim;
		break;
	case AUGUR_KEY_NAME:
	case AUGUR_KEY_TYPE:
	case AUGUR_KEY_INPUTS:
	case AUGUR_KEY_COUNT:
		return; /* name, type and inputs cannot be set */
	}
	dst->key_loc[key] = src->key_loc[key];
}

int augur_edit_apply(struct augur_net *net, const struct augur_edit *e, struct augur_edit *undo)
{
	memset(undo, 0, sizeof(*undo));
	undo->kind = e->kind;
	switch (e->kind) {
	case AUGUR_EDIT_LAYER:
		if (e->layer >= net->n_layers)
			return AUGUR_E_USAGE;
		undo->layer = e->layer;
		undo->key = e->key;
		undo->value = net->layers[e->layer];
		copy_key(&net->layers[e->layer], &e->value, e->key);
		break;
	case AUGUR_EDIT_INPUT:
		undo->input = net->input;
		net->input = e->input;
		break;
	case AUGUR_EDIT_BATCH:
		undo->batch = net->batch;
		net->batch = e->batch;
		break;
	}
	return AUGUR_OK;
}
