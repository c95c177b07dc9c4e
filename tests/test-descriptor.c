/* Descriptor loading and shape tracing on bad input: each row of the table is a descriptor,
 * the status it must fail with, the line and column the diagnostic must point at and a
 * fragment of its message. Good descriptors check the defaults and inputs resolution. */
#include "analysis.h"
#include "check.h"
#include "descriptor.h"

#define HEAD "input: [3, 32, 32]\nlayers:\n"

struct bad_case {
	const char *yaml;
	int status;
	unsigned line, col;
	const char *fragment;
};

static const struct bad_case bad[] = {
        /* not YAML, empty, wrong kinds */
        {"input: [3, 32\nlayers: x\n", AUGUR_E_SYNTAX, 2, 7, "invalid YAML"},
        /* the reader's errors (encoding, control characters) are located too, not at 1:1 */
        {HEAD "  - {type: relu, name: \"a\xff\"}\n", AUGUR_E_SYNTAX, 3, 26,
         "invalid leading UTF-8 octet (byte 0xff)"},
        {HEAD "  - {type: relu}\n  - {type: relu, name: a\x01}\n", AUGUR_E_SYNTAX, 4, 25,
         "control characters are not allowed (byte 0x01)"},
        {"", AUGUR_E_SCHEMA, 1, 1, "empty descriptor"},
        {"# only a comment\n", AUGUR_E_SCHEMA, 1, 1, "empty descriptor"},
        {"- 1\n- 2\n", AUGUR_E_SCHEMA, 1, 1, "expected a mapping"},
        {"input: 3\nlayers: []\n", AUGUR_E_SCHEMA, 1, 8, "expected 'input' as [C, H, W]"},
        {"input: [3, 32, 32]\nlayers: {a: 1}\n", AUGUR_E_SCHEMA, 2, 9, "non-empty sequence"},
        {"input: [3, 32, 32]\nlayers: []\n", AUGUR_E_SCHEMA, 2, 9, "an empty one"},
        {"input: [3, 32, 32]\n", AUGUR_E_SCHEMA, 1, 1, "no 'layers'"},
        {"layers: [{type: relu}]\n", AUGUR_E_SCHEMA, 1, 1, "no 'input'"},
        {"inputs: [3, 32, 32]\nlayers: [{type: relu}]\n", AUGUR_E_SCHEMA, 1, 1,
         "unknown top-level key 'inputs' (did you mean 'input'?)"},
        {HEAD "  - relu\n", AUGUR_E_SCHEMA, 3, 5, "expected a layer mapping"},
        /* numbers */
        {HEAD "  - {type: conv, filters: abc, kernel: 3}\n", AUGUR_E_SCHEMA, 3, 27,
         "expected an integer for 'filters', got 'abc'"},
        {HEAD "  - {type: conv, filters: '8', kernel: 3}\n", AUGUR_E_SCHEMA, 3, 27,
         "expected an integer"},
        {HEAD "  - {type: conv, filters: 0, kernel: 3}\n", AUGUR_E_SCHEMA, 3, 27,
         "'filters' must be between 1 and"},
        {HEAD "  - {type: conv, filters: -4, kernel: 3}\n", AUGUR_E_SCHEMA, 3, 27,
         "'filters' must be between 1 and"},
        {HEAD "  - {type: conv, filters: 2.5, kernel: 3}\n", AUGUR_E_SCHEMA, 3, 27, "whole number"},
        {HEAD "  - {type: conv, filters: 99999999999999999999, kernel: 3}\n", AUGUR_E_SCHEMA, 3, 27,
         "must be between"},
        {HEAD "  - {type: conv, filters: 8, kernel: [3, 3, 3]}\n", AUGUR_E_SCHEMA, 3, 38,
         "expected an integer or [h, w] for 'kernel'"},
        {"input: [3, 0, 32]\nlayers: [{type: relu}]\n", AUGUR_E_SCHEMA, 1, 12,
         "'input' must be between 1"},
        {"input: [3, 32, 32]\nbatch: 0\nlayers: [{type: relu}]\n", AUGUR_E_SCHEMA, 2, 8,
         "'batch' must be between 1"},
        {HEAD "  - {type: relu, negative_slope: fast}\n", AUGUR_E_SCHEMA, 3, 34,
         "expected a number for 'negative_slope'"},
        {HEAD "  - {type: conv, filters: 8, kernel: 3, bias: maybe}\n", AUGUR_E_SCHEMA, 3, 47,
         "expected true or false for 'bias'"},
        /* types and keys */
        {HEAD "  - {name: c1, type: conv3, filters: 8, kernel: 3}\n", AUGUR_E_SCHEMA, 3, 22,
         "unknown layer type 'conv3' (did you mean 'conv'?"},
        {HEAD "  - {name: c1, type: convolution}\n", AUGUR_E_SCHEMA, 3, 22,
         "unknown layer type 'convolution' (expected conv, pool"},
        {HEAD "  - {name: c1, filters: 8}\n", AUGUR_E_SCHEMA, 3, 5, "layer has no 'type'"},
        {HEAD "  - {name: c1, type: conv, filter: 8, kernel: 3}\n", AUGUR_E_SCHEMA, 3, 28,
         "unknown key 'filter' in conv layer 'c1' (did you mean 'filters'?)"},
        {HEAD "  - {name: p1, type: pool, filters: 8, kernel: 3}\n", AUGUR_E_SCHEMA, 3, 28,
         "key 'filters' does not apply to pool layer 'p1'"},
        {HEAD "  - {name: c1, type: conv, kernel: 3}\n", AUGUR_E_SCHEMA, 3, 5,
         "conv layer 'c1' needs 'filters'"},
        {HEAD "  - {name: f, type: fc}\n", AUGUR_E_SCHEMA, 3, 5, "fc layer 'f' needs 'outputs'"},
        {HEAD "  - {name: p, type: pool, op: mean, kernel: 2}\n", AUGUR_E_SCHEMA, 3, 31,
         "unknown pooling op 'mean' (expected max|avg)"},
        {HEAD "  - {name: c1, type: conv, filters: 8, kernel: 3, filters: 9}\n", AUGUR_E_SCHEMA, 3,
         51, "duplicate key 'filters'"},
        /* names and references */
        {HEAD "  - {name: a, type: relu}\n  - {name: a, type: relu}\n", AUGUR_E_SCHEMA, 4, 12,
         "duplicate layer name 'a' (first defined at line 3)"},
        {HEAD "  - {name: input, type: relu}\n", AUGUR_E_SCHEMA, 3, 12, "reserved"},
        {HEAD "  - {name: a, type: relu, inputs: nope}\n", AUGUR_E_SCHEMA, 3, 35,
         "unknown input 'nope' of layer 'a'"},
        {HEAD "  - {name: a, type: relu, inputs: b}\n  - {name: b, type: relu}\n", AUGUR_E_SCHEMA,
         3, 35, "input 'b' of layer 'a' is defined later"},
        {HEAD "  - {name: a, type: relu, inputs: a}\n", AUGUR_E_SCHEMA, 3, 35,
         "reads its own output (a cycle)"},
        {HEAD "  - {name: a, type: relu}\n  - {name: s, type: eltwise, inputs: [a]}\n",
         AUGUR_E_SCHEMA, 4, 38, "needs two or more inputs"},
        {HEAD "  - {name: a, type: relu, inputs: [input, input]}\n", AUGUR_E_SCHEMA, 3, 35,
         "takes exactly one input"},
        {HEAD "  - {name: a, type: relu, inputs: {x: 1}}\n", AUGUR_E_SCHEMA, 3, 35,
         "expected 'inputs' as a layer name"},
        /* impossible shapes */
        {HEAD "  - {name: c, type: conv, filters: 8, kernel: 40}\n", AUGUR_E_SHAPE, 3, 47,
         "kernel 40x40 of conv layer 'c' is larger than its padded input"},
        {HEAD "  - {name: c, type: conv, filters: 8, kernel: 3, dilation: 20}\n", AUGUR_E_SHAPE, 3,
         47, "larger than its padded input"},
        {HEAD "  - {name: c, type: conv, filters: 8, kernel: 3, groups: 2}\n", AUGUR_E_SHAPE, 3, 58,
         "groups 2 of conv layer 'c' must divide both its input channels (3)"},
        {HEAD "  - {name: p, type: pool, kernel: 2, pad: 2}\n", AUGUR_E_SHAPE, 3, 43,
         "must be smaller than its kernel"},
        {HEAD "  - {name: a, type: conv, filters: 8, kernel: 1}\n"
              "  - {name: b, type: conv, filters: 4, kernel: 1, inputs: input}\n"
              "  - {name: s, type: eltwise, inputs: [a, b]}\n",
         AUGUR_E_SHAPE, 5, 38,
         "inputs of eltwise layer 's' differ in shape and do not broadcast: 'a' is "
         "8x32x32, 'b' is 4x32x32"},
        {HEAD "  - {name: a, type: conv, filters: 8, kernel: 1}\n"
              "  - {name: b, type: conv, filters: 4, kernel: 3, inputs: input}\n"
              "  - {name: s, type: concat, inputs: [a, b]}\n",
         AUGUR_E_SHAPE, 5, 37, "differ in spatial size"},
        {"input: [16777216, 16777216, 16777216]\nlayers: [{type: relu}]\n", AUGUR_E_OVERFLOW, 1, 8,
         "input is too large"},
        {"input: [65536, 16777216, 16777216]\nlayers: [{type: relu}]\n", AUGUR_E_OVERFLOW, 1, 8,
         "input is too large"},
        {"input: [1024, 4096, 4096]\nlayers:\n  - {name: big, type: conv, filters: 16777216, "
         "kernel: 1}\n",
         AUGUR_E_OVERFLOW, 3, 5, "layer 'big' is too large"},
        /* each layer's MACs fit in 64 bits, their sum does not: an error, not a saturated
         * total */
        {"input: [1, 1, 1]\nbatch: 1048576\nlayers:\n"
         "  - {name: c1, type: conv, filters: 1024, kernel: 65535, pad: 32767}\n"
         "  - {name: c2, type: conv, filters: 1024, kernel: 65535, pad: 32767, inputs: input}\n"
         "  - {name: c3, type: conv, filters: 1024, kernel: 65535, pad: 32767, inputs: input}\n"
         "  - {name: c4, type: conv, filters: 1024, kernel: 65535, pad: 32767, inputs: input}\n"
         "  - {name: c5, type: conv, filters: 1024, kernel: 65535, pad: 32767, inputs: input}\n",
         AUGUR_E_OVERFLOW, 8, 5,
         "network is too large: its total parameters, MACs or bytes "
         "pass 64 bits at layer 'c5'"},
        /* a layer whose weights alone pass 16 TiB */
        {"input: [1, 1, 1]\nlayers:\n  - {name: w, type: conv, filters: 2048, kernel: 65535, "
         "pad: 32767}\n",
         AUGUR_E_OVERFLOW, 3, 5, "layer 'w' is too large"},
        /* hostile YAML */
        {"a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, "
         "*c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, "
         "*e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
         AUGUR_E_LIMIT, 7, 0, "alias bomb"},
        {"a: *nothing\n", AUGUR_E_SYNTAX, 1, 0, "alias"},
        /* past 16 keys a mapping finds duplicates through a hash map */
        {"m: {k0: 1, k1: 1, k2: 1, k3: 1, k4: 1, k5: 1, k6: 1, k7: 1, k8: 1, k9: 1, k10: 1, k11: 1, k12: 1, k13: 1, k14: 1, k15: 1, k16: 1, k17: 1, k18: 1, k19: 1, k3: 2}\n",
         AUGUR_E_SCHEMA, 1, 155, "duplicate key 'k3' (first given at line 1)"},
        /* a diagnostic is one printable line, whatever the key holds (found by fuzzing) */
        {HEAD "  - {type: relu, \"a\\nb\\e\": 1}\n", AUGUR_E_SCHEMA, 3, 18,
         "unknown key 'a\\x0ab\\x1b' in relu layer"},
        {"input: [3, 32, 32]\n---\ninput: [3, 32, 32]\n", AUGUR_E_SCHEMA, 2, 1,
         "single YAML document"},
        {"a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]"
         "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
         AUGUR_E_LIMIT, 1, 0, "nesting is too deep"},
};

static void test_bad_inputs(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		const struct bad_case *t = &bad[i];
		struct augur_diag diag = {0};
		struct augur_net *net = NULL;
		struct augur_analysis *a = NULL;
		int rc = augur_descriptor_parse("t.yaml", t->yaml, strlen(t->yaml), &net, &diag);
		if (rc == AUGUR_OK)
			rc = augur_analyze(net, 0, &a, &diag);
		if (rc != t->status || diag.line != t->line || (t->col && diag.col != t->col) ||
		    !strstr(diag.message, t->fragment))
			fprintf(stderr, "case %zu: got status %d at %u:%u: %s\n", i, rc, diag.line,
			        diag.col, diag.message);
		CHECK_EQ_INT(rc, t->status);
		CHECK_EQ_U64(diag.line, t->line);
		if (t->col)
			CHECK_EQ_U64(diag.col, t->col);
		CHECK_CONTAINS(diag.message, t->fragment);
		CHECK_STR_EQ(diag.path, "t.yaml");
		CHECK(net == NULL || rc != AUGUR_E_SYNTAX);
		augur_analysis_free(a);
		augur_net_free(net);
	}
}

static struct augur_net *load(const char *yaml)
{
	struct augur_diag diag = {0};
	struct augur_net *net = NULL;
	if (augur_descriptor_parse("good.yaml", yaml, strlen(yaml), &net, &diag))
		fprintf(stderr, "unexpected error %u:%u: %s\n", diag.line, diag.col, diag.message);
	return net;
}

static void test_defaults_and_references(void)
{
	struct augur_net *net = load("input: [3, 8, 8]\nlayers:\n"
	                             "  - {type: conv, filters: 4, kernel: [3, 1]}\n"
	                             "  - {name: p, type: pool, kernel: 2, stride: 2}\n"
	                             "  - {name: q, type: pool, kernel: 2, inputs: conv_1}\n");
	CHECK(net != NULL);
	if (!net)
		return;
	CHECK_STR_EQ(net->name, "good");
	CHECK_EQ_U64(net->batch, 1);
	const struct augur_layer *c = &net->layers[0];
	CHECK_STR_EQ(c->name, "conv_1");
	CHECK_EQ_U64(c->kernel.h, 3);
	CHECK_EQ_U64(c->kernel.w, 1);
	CHECK_EQ_U64(c->stride.h, 1);
	CHECK_EQ_U64(c->groups, 1);
	CHECK(c->bias);
	CHECK_EQ_INT(c->inputs[0], AUGUR_NET_INPUT);
	CHECK_EQ_INT(net->layers[1].inputs[0], 0);
	CHECK_EQ_INT(net->layers[2].inputs[0], 0);
	CHECK_EQ_INT(net->layers[1].op, AUGUR_POOL_MAX);
	CHECK(!net->layers[1].ceil);
	augur_net_free(net);
}

static void test_set(void)
{
	struct augur_net *net = load("input: [3, 8, 8]\nlayers:\n"
	                             "  - {name: c, type: conv, filters: 4, kernel: 3}\n");
	if (!net)
		return;
	struct augur_diag diag = {0};
	CHECK_EQ_INT(augur_descriptor_set(net, "c.filters=16", &diag), AUGUR_OK);
	CHECK_EQ_U64(net->layers[0].filters, 16);
	CHECK_EQ_INT(augur_descriptor_set(net, "c.kernel=[5,1]", &diag), AUGUR_OK);
	CHECK_EQ_U64(net->layers[0].kernel.h, 5);
	CHECK_EQ_INT(augur_descriptor_set(net, "input=[1,28,28]", &diag), AUGUR_OK);
	CHECK_EQ_U64(net->input.h, 28);
	CHECK_EQ_INT(augur_descriptor_set(net, "batch=4", &diag), AUGUR_OK);
	CHECK_EQ_U64(net->batch, 4);
	CHECK_EQ_INT(augur_descriptor_set(net, "d.filters=16", &diag), AUGUR_E_USAGE);
	CHECK_CONTAINS(diag.message, "unknown layer 'd'");
	CHECK_STR_EQ(diag.path, "--set d.filters=16");
	CHECK_EQ_INT(augur_descriptor_set(net, "c.filter=16", &diag), AUGUR_E_SCHEMA);
	CHECK_CONTAINS(diag.message, "did you mean 'filters'");
	CHECK_EQ_INT(augur_descriptor_set(net, "c.filters=-1", &diag), AUGUR_E_SCHEMA);
	/* a value that fails leaves the layer as it was (found by clang-tidy: an
	 * uninitialised value used to be stored) */
	CHECK_EQ_U64(net->layers[0].filters, 16);
	CHECK_EQ_INT(augur_descriptor_set(net, "c.filters=[1,2]", &diag), AUGUR_E_SCHEMA);
	CHECK_EQ_U64(net->layers[0].filters, 16);
	CHECK_EQ_INT(augur_descriptor_set(net, "c.type=pool", &diag), AUGUR_E_USAGE);
	CHECK_EQ_INT(augur_descriptor_set(net, "nothing", &diag), AUGUR_E_USAGE);
	augur_net_free(net);
}

int main(void)
{
	test_bad_inputs();
	test_defaults_and_references();
	test_set();
	return check_finish();
}
