/* The YAML descriptor writer and format sniffing: writing a network and loading the text
 * back gives the same network (every key, names however odd), only non-default keys are
 * written, and augur_net_sniff tells YAML from prototxt by content. */
#include "check.h"
#include "descriptor.h"
#include "descwriter.h"
#include "netfile.h"

static struct augur_net *load_yaml(const char *text)
{
	struct augur_diag diag = {0};
	struct augur_net *net = NULL;
	if (augur_descriptor_parse("w.yaml", text, strlen(text), &net, &diag))
		CHECK_FAIL_("does not load: %u:%u: %s\n%s", diag.line, diag.col, diag.message,
		            text);
	return net;
}

static void same_net(const struct augur_net *x, const struct augur_net *y)
{
	CHECK_STR_EQ(y->name, x->name);
	CHECK_EQ_U64(y->batch, x->batch);
	CHECK(!memcmp(&y->input, &x->input, sizeof(x->input)));
	CHECK_EQ_U64(y->n_layers, x->n_layers);
	for (size_t i = 0; i < x->n_layers && i < y->n_layers; i++) {
		const struct augur_layer *a = &x->layers[i], *b = &y->layers[i];
		CHECK_STR_EQ(b->name, a->name);
		CHECK_EQ_INT(b->type, a->type);
		CHECK_EQ_U64(b->n_inputs, a->n_inputs);
		for (uint32_t j = 0; j < a->n_inputs && j < b->n_inputs; j++)
			CHECK_EQ_INT(b->inputs[j], a->inputs[j]);
		CHECK_EQ_U64(b->filters, a->filters);
		CHECK_EQ_U64(b->outputs, a->outputs);
		CHECK(!memcmp(&b->kernel, &a->kernel, sizeof(a->kernel)));
		CHECK(!memcmp(&b->stride, &a->stride, sizeof(a->stride)));
		CHECK(!memcmp(&b->pad, &a->pad, sizeof(a->pad)));
		CHECK(!memcmp(&b->dilation, &a->dilation, sizeof(a->dilation)));
		CHECK_EQ_U64(b->groups, a->groups);
		CHECK_EQ_INT(b->bias, a->bias);
		CHECK_EQ_INT(b->op, a->op);
		CHECK_EQ_INT(b->global, a->global);
		CHECK_EQ_INT(b->ceil, a->ceil);
		CHECK(b->negative_slope == a->negative_slope);
		CHECK(b->max == a->max);
		CHECK_EQ_U64(b->size, a->size);
		CHECK_EQ_INT(b->shared, a->shared);
		CHECK(!memcmp(&b->scale, &a->scale, sizeof(a->scale)));
		CHECK(!memcmp(&b->out_size, &a->out_size, sizeof(a->out_size)));
		CHECK(!memcmp(b->range, a->range, sizeof(a->range)));
		CHECK(!memcmp(b->shape, a->shape, sizeof(a->shape)));
		CHECK_EQ_U64(b->shape_rank, a->shape_rank);
		CHECK(!memcmp(b->order, a->order, sizeof(a->order)));
	}
}

/* text -> net -> text -> net: the two nets agree; returns the written text (caller frees) */
static char *check_round_trip(const char *yaml)
{
	struct augur_net *net = load_yaml(yaml);
	if (!net)
		return NULL;
	char *text = NULL;
	size_t len = 0;
	CHECK_EQ_INT(augur_descriptor_write(net, &text, &len, "line one\n\nline three"), AUGUR_OK);
	if (text) {
		CHECK_EQ_U64(strlen(text), len);
		struct augur_net *back = load_yaml(text);
		if (back)
			same_net(net, back);
		augur_net_free(back);
	}
	augur_net_free(net);
	return text;
}

static void test_round_trips(void)
{
	char *text = check_round_trip(
	        "name: \"odd net\"\ninput: [3, 17, 19]\nbatch: 3\nlayers:\n"
	        "  - {name: \"a b\", type: conv, filters: 8, kernel: [3, 1], stride: [2, 1], "
	        "pad: [1, 0], dilation: 2, groups: 1, bias: false}\n"
	        "  - {name: 'null', type: relu, negative_slope: 0.1}\n"
	        "  - {name: '1x1', type: relu, max: 6}\n"
	        "  - {name: 'q\"\\', type: pool, op: avg, kernel: 2, ceil: true}\n"
	        "  - {name: 'x:y', type: pool, global: true, inputs: input}\n"
	        "  - {name: 'c/1', type: conv, filters: 8, kernel: 1, inputs: 'a b'}\n"
	        "  - {name: e, type: eltwise, op: max, inputs: ['q\"\\', 'c/1']}\n"
	        "  - {name: n, type: lrn, size: 3}\n"
	        "  - {name: s, type: scale, bias: false}\n"
	        "  - {name: cat, type: concat, inputs: [n, s]}\n"
	        "  - {name: f, type: fc, outputs: 10, bias: false}\n");
	if (text) {
		CHECK_CONTAINS(text, "# line one\n#\n# line three\nname: \"odd net\"\n");
		CHECK_CONTAINS(text, "batch: 3\n");
		CHECK_CONTAINS(text, "  - {name: \"null\", type: relu, negative_slope: 0.1}\n");
		CHECK_CONTAINS(text, "  - {name: \"1x1\", type: relu, max: 6}\n");
		CHECK_CONTAINS(text, "{name: \"q\\\"\\\\\", type: pool, kernel: 2, op: avg, ceil: "
		                     "true}");
		CHECK_CONTAINS(text, "{name: \"x:y\", type: pool, inputs: input, global: true}");
		CHECK_CONTAINS(text, "{name: c/1, type: conv, inputs: \"a b\", filters: 8, kernel: "
		                     "1}");
		CHECK_CONTAINS(text, "{name: \"n\", type: lrn, size: 3}");
		CHECK_CONTAINS(text, "kernel: [3, 1], stride: [2, 1], pad: [1, 0], dilation: 2, "
		                     "bias: false}");
	}
	free(text);
	/* the newer types' keys */
	text = check_round_trip(
	        "input: [8, 6, 6]\nlayers:\n"
	        "  - {name: d, type: deconv, filters: 8, kernel: 3, stride: 2, pad: 1, groups: 2}\n"
	        "  - {name: p, type: prelu, shared: true}\n"
	        "  - {name: sw, type: silu}\n"
	        "  - {name: m, type: reduce}\n"
	        "  - {name: se, type: eltwise, op: prod, inputs: [sw, m]}\n"
	        "  - {name: u, type: upsample, op: bilinear, scale: [2, 1]}\n"
	        "  - {name: v, type: upsample, output_size: 7, inputs: se}\n"
	        "  - {name: a, type: slice, range: [0, 2], inputs: u}\n"
	        "  - {name: sh, type: shuffle, groups: 2}\n"
	        "  - {name: pd, type: pad, pad: [1, 0]}\n"
	        "  - {name: cr, type: crop, inputs: [pd, v]}\n"
	        "  - {name: pm, type: permute, order: [0, 2, 1]}\n"
	        "  - {name: r, type: reshape, shape: [2, 7, 7]}\n"
	        "  - {name: f, type: reshape, shape: [98]}\n");
	if (text) {
		CHECK_CONTAINS(text, "{name: sw, type: swish}");
		CHECK_CONTAINS(text, "{name: p, type: prelu, shared: true}");
		CHECK_CONTAINS(text, "{name: u, type: upsample, op: bilinear, scale: [2, 1]}");
		CHECK_CONTAINS(text, "{name: a, type: slice, inputs: u, range: [0, 2]}");
		CHECK_CONTAINS(text, "{name: sh, type: shuffle, groups: 2}");
		CHECK_CONTAINS(text, "{name: f, type: reshape, shape: [98]}");
	}
	free(text);
	/* defaults are left out; a rank-1 input is [N] */
	text = check_round_trip("input: [64]\nlayers:\n  - {name: f, type: fc, outputs: 10}\n");
	if (text)
		CHECK_CONTAINS(text, "name: w\ninput: [64]\nlayers:\n  - {name: f, type: fc, "
		                     "outputs: 10}\n");
	free(text);
}

struct sniff_case {
	const char *text, *path;
	enum augur_net_format expect;
};

static const struct sniff_case sniffs[] = {
        {"layer {\n", "x.yaml", AUGUR_NET_PROTOTXT},
        {"# c\n\n  layers{\n", "x", AUGUR_NET_PROTOTXT},
        {"name: \"a\"\ninput: \"data\"\n", "x", AUGUR_NET_PROTOTXT},
        {"name: \"a\"\ninput_dim: 1\n", "x", AUGUR_NET_PROTOTXT},
        {"\xef\xbb\xbfinput_shape { dim: 1 }\n", "x", AUGUR_NET_PROTOTXT},
        {"name: 'a'\nlayer: x\n", "x", AUGUR_NET_PROTOTXT},
        {"name: \"a\"\ninput: [3, 2, 2]\n", "x.prototxt", AUGUR_NET_YAML},
        {"name: a\nlayers:\n", "x.prototxt", AUGUR_NET_YAML},
        {"- 1\n", "x.prototxt", AUGUR_NET_YAML},
        {"---\n", "x.prototxt", AUGUR_NET_YAML},
        {"{name: a}\n", "x.prototxt", AUGUR_NET_YAML},
        {"batch: 2\n", "x.prototxt", AUGUR_NET_YAML},
        {"name: \"a\"\n", "x.prototxt", AUGUR_NET_PROTOTXT},
        {"name: \"a\"\n", "x.pbtxt", AUGUR_NET_PROTOTXT},
        {"name: \"a\"\n", "x.yaml", AUGUR_NET_YAML},
        {"", "x.prototxt", AUGUR_NET_PROTOTXT},
        {"", "x", AUGUR_NET_YAML},
};

static void test_sniff(void)
{
	for (size_t i = 0; i < sizeof(sniffs) / sizeof(*sniffs); i++) {
		const struct sniff_case *t = &sniffs[i];
		enum augur_net_format got = augur_net_sniff(t->path, t->text, strlen(t->text));
		if (got != t->expect)
			fprintf(stderr, "sniff case %zu (%s)\n", i, t->text);
		CHECK_EQ_INT(got, t->expect);
	}
}

int main(void)
{
	test_round_trips();
	test_sniff();
	return check_finish();
}
