/* Per-layer counts (see counts.h). GEMMs follow the paper's notation and an im2col
 * framework's loop: a conv layer runs, for each image and each group, one
 * [n = filters/groups x k = (C/groups)*Kh*Kw] . [k x m = Oh*Ow] product; an fc layer one
 * [n = outputs x k = inputs] . [k x m = batch] product. */
#include "checked.h"
#include "counts.h"

/* FLOPs per output element of the cheap layers, as the paper's Tables 2-6 count them. */
static uint64_t flops_per_element(enum augur_layer_type t)
{
	switch (t) {
	case AUGUR_LAYER_LRN:
		return 4;
	case AUGUR_LAYER_BATCHNORM:
		return 3;
	case AUGUR_LAYER_SCALE:
	case AUGUR_LAYER_RELU:
	case AUGUR_LAYER_SIGMOID:
	case AUGUR_LAYER_TANH:
	case AUGUR_LAYER_ELTWISE:
	case AUGUR_LAYER_HARDSIGMOID:
	case AUGUR_LAYER_PRELU:
	case AUGUR_LAYER_ELU:
		return 1;
	case AUGUR_LAYER_HARDSWISH: /* x times hardsigmoid(x) */
	case AUGUR_LAYER_SWISH:     /* x times sigmoid(x) */
		return 2;
	default: /* concat, dropout, softmax, flatten, shuffle, slice, crop, pad, reshape,
	          * permute, nearest upsampling: data movement only */
		return 0;
	}
}

/* A transposed convolution as Caffe runs it: per image and group, the weights transposed
 * times the input, [n = filters/groups x Kh x Kw  x  k = C/groups] . [k x m = H x W], into
 * a column buffer that col2im adds into the output. */
static bool count_deconv(const struct augur_layer *l, uint32_t batch, uint64_t out_total,
                         struct augur_layer_stats *st)
{
	uint64_t g = l->groups, k = st->in.c / g, n, m, calls, weights, col, macs1;
	if (augur_mul3_overflow(l->filters / g, l->kernel.h, l->kernel.w, &n) ||
	    augur_mul_overflow(st->in.h, st->in.w, &m) || augur_mul_overflow(batch, g, &calls) ||
	    augur_mul3_overflow(n, k, g, &weights) ||
	    augur_add_overflow(weights, l->bias ? l->filters : 0, &st->params) ||
	    augur_mul3_overflow(n, k, m, &macs1) || augur_mul_overflow(macs1, calls, &st->macs) ||
	    augur_add_overflow(st->macs, out_total, &st->flops) ||
	    augur_mul3_overflow(n, m, AUGUR_BYTES_PER_VALUE, &st->workspace_paper_bytes) ||
	    augur_mul_overflow(st->workspace_paper_bytes, g, &col))
		return false;
	st->gemm = (struct augur_gemm){n, k, m, calls, false};
	bool direct = l->kernel.h == 1 && l->kernel.w == 1 && l->stride.h == 1 &&
	              l->stride.w == 1 && l->pad.h == 0 && l->pad.w == 0;
	st->workspace_bytes = direct ? 0 : col;
	return true;
}

bool augur_count_layer(const struct augur_layer *l, uint32_t batch, struct augur_layer_stats *st)
{
	uint64_t in_elems, out_elems, out_total;
	st->params = st->stats = st->macs = st->flops = 0;
	st->gemm = (struct augur_gemm){0, 0, 0, 0, false};
	st->workspace_paper_bytes = st->workspace_bytes = 0;
	if (!augur_shape_elems(&st->in, &in_elems) || !augur_shape_elems(&st->out, &out_elems) ||
	    augur_mul_overflow(out_elems, batch, &out_total) ||
	    augur_mul_overflow(out_total, AUGUR_BYTES_PER_VALUE, &st->out_bytes))
		return false;

	switch (l->type) {
	case AUGUR_LAYER_CONV: {
		uint64_t g = l->groups;
		uint64_t n = l->filters / g, m, k, weights, col, calls;
		if (augur_mul_overflow(st->out.h, st->out.w, &m) ||
		    augur_mul_overflow(batch, g, &calls) ||
		    augur_mul3_overflow(st->in.c / g, l->kernel.h, l->kernel.w, &k) ||
		    augur_mul_overflow(k, l->filters, &weights) ||
		    augur_add_overflow(weights, l->bias ? l->filters : 0, &st->params) ||
		    augur_mul3_overflow(out_total, k, 1, &st->macs) ||
		    augur_mul_overflow(out_total, k + 1, &st->flops) ||
		    augur_mul3_overflow(k, m, AUGUR_BYTES_PER_VALUE, &st->workspace_paper_bytes) ||
		    augur_mul_overflow(st->workspace_paper_bytes, g, &col))
			return false;
		st->gemm = (struct augur_gemm){n, k, m, calls, false};
		/* a 1x1, stride-1, unpadded conv multiplies the input in place: no im2col */
		bool direct = l->kernel.h == 1 && l->kernel.w == 1 && l->stride.h == 1 &&
		              l->stride.w == 1 && l->pad.h == 0 && l->pad.w == 0;
		st->workspace_bytes = direct ? 0 : col;
		return true;
	}
	case AUGUR_LAYER_FC: {
		uint64_t weights;
		if (augur_mul_overflow(in_elems, l->outputs, &weights) ||
		    augur_add_overflow(weights, l->bias ? l->outputs : 0, &st->params) ||
		    augur_mul_overflow(out_total, in_elems, &st->macs) ||
		    augur_mul_overflow(out_total, in_elems + 1, &st->flops))
			return false;
		st->gemm = (struct augur_gemm){l->outputs, in_elems, batch, 1, true};
		return true;
	}
	case AUGUR_LAYER_POOL: {
		uint64_t window;
		if (augur_mul_overflow(l->global ? st->in.h : l->kernel.h,
		                       l->global ? st->in.w : l->kernel.w, &window))
			return false;
		return !augur_mul_overflow(out_total, window, &st->flops);
	}
	case AUGUR_LAYER_DECONV:
		return count_deconv(l, batch, out_total, st);
	case AUGUR_LAYER_PRELU:
		st->params = l->shared ? 1 : st->in.c;
		break;
	case AUGUR_LAYER_NORMALIZE: /* SSD's L2 norm across channels, then a learned scale */
		st->params = l->shared ? 1 : st->in.c;
		return !augur_mul_overflow(out_total, 3, &st->flops);
	case AUGUR_LAYER_REDUCE: /* one add per input value */
		return !augur_mul_overflow(in_elems, batch, &st->flops);
	case AUGUR_LAYER_UPSAMPLE: /* bilinear: four weighted taps per output value */
		return !augur_mul_overflow(out_total, l->op == AUGUR_UPSAMPLE_BILINEAR ? 4 : 0,
		                           &st->flops);
	case AUGUR_LAYER_BATCHNORM:
		if (augur_mul_overflow(st->in.c, 2, &st->stats))
			return false;
		break;
	case AUGUR_LAYER_SCALE:
		if (augur_mul_overflow(st->in.c, l->bias ? 2 : 1, &st->params))
			return false;
		break;
	default:
		break;
	}
	return !augur_mul_overflow(out_total, flops_per_element(l->type), &st->flops);
}
