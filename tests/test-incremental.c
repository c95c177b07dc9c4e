/* Incremental re-analysis against a fresh one: 1,000 seeded random single-key edits (and
 * reverts) on each of ResNet-50, VGG16 and GoogLeNet, every field of the analysis and of
 * the estimates compared (doubles bit for bit), errors included; edit parsing; and how much
 * an update redoes for a late and an early edit. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "check.h"
#include "descriptor.h"
#include "estimate.h"
#include "incremental.h"
#include "netfile.h"
#include "profile.h"

static const char *root(void)
{
	const char *r = getenv("AUGUR_SOURCE_ROOT");
	return r ? r : ".";
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n) /* uniform-ish in [0, n) */
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)((rng_state >> 11) % n);
}

/* The first field that differs, or NULL. */
static const char *diff;

#define SAME(x, y, field)                                                                          \
	do {                                                                                       \
		if (!diff && memcmp(&(x)->field, &(y)->field, sizeof((x)->field)))                 \
			diff = #field;                                                             \
	} while (0)

static void same_totals(const struct augur_totals *x, const struct augur_totals *y)
{
	SAME(x, y, layers);
	SAME(x, y, params);
	SAME(x, y, stats);
	SAME(x, y, macs);
	SAME(x, y, flops);
	SAME(x, y, gemm_calls);
	SAME(x, y, out_bytes);
}

static void same_shape(const struct augur_shape *x, const struct augur_shape *y)
{
	SAME(x, y, c);
	SAME(x, y, h);
	SAME(x, y, w);
	SAME(x, y, rank);
}

static void same_analysis(const struct augur_analysis *x, const struct augur_analysis *y)
{
	SAME(x, y, batch);
	SAME(x, y, n_layers);
	same_shape(&x->input, &y->input);
	SAME(x, y, input_bytes);
	SAME(x, y, input_readers);
	for (size_t i = 0; i < x->n_layers && !diff; i++) {
		const struct augur_layer_stats *s = &x->layers[i], *t = &y->layers[i];
		same_shape(&s->in, &t->in);
		same_shape(&s->out, &t->out);
		SAME(s, t, params);
		SAME(s, t, stats);
		SAME(s, t, macs);
		SAME(s, t, flops);
		SAME(s, t, gemm.n);
		SAME(s, t, gemm.k);
		SAME(s, t, gemm.m);
		SAME(s, t, gemm.count);
		SAME(s, t, out_bytes);
		SAME(s, t, workspace_paper_bytes);
		SAME(s, t, workspace_bytes);
		SAME(s, t, readers);
		SAME(s, t, last_reader);
		SAME(s, t, in_place);
		SAME(s, t, live_bytes);
	}
	for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++)
		same_totals(&x->by_type[t], &y->by_type[t]);
	same_totals(&x->total, &y->total);
	const struct augur_memory *m = &x->memory, *n = &y->memory;
	SAME(m, n, paper_weights);
	SAME(m, n, paper_data);
	SAME(m, n, paper_workspace);
	SAME(m, n, alloc_params);
	SAME(m, n, alloc_stats);
	SAME(m, n, alloc_data);
	SAME(m, n, alloc_workspace);
	SAME(m, n, alloc_total);
	SAME(m, n, min_weights);
	SAME(m, n, min_workspace);
	SAME(m, n, min_data_peak);
	SAME(m, n, min_total);
	SAME(m, n, min_peak_layer);
}

static void same_estimate(const struct augur_unit_estimate *x, const struct augur_unit_estimate *y)
{
	SAME(x, y, unit);
	SAME(x, y, gemm_ms);
	SAME(x, y, memory_ms);
	SAME(x, y, other_ms);
	SAME(x, y, total_ms);
	SAME(x, y, type_ms);
	SAME(x, y, layers_uncosted);
	SAME(x, y, types_uncosted);
	SAME(x, y, gemms_outside_range);
	SAME(x, y, layers_outside_costs);
	SAME(x, y, layers_faults_unsure);
	SAME(x, y, faults_unsure_ms);
	SAME(x, y, layers_gemm_only);
	SAME(x, y, whole_network);
	SAME(x, y, model_bytes);
	SAME(x, y, overhead_bytes);
	SAME(x, y, weights_copy_bytes);
	SAME(x, y, memory_bytes);
	SAME(x, y, capacity_bytes);
	SAME(x, y, fits);
	SAME(x, y, n_layers);
	for (size_t i = 0; i < x->n_layers && !diff; i++) {
		SAME(&x->layers[i], &y->layers[i], time_ms);
		SAME(&x->layers[i], &y->layers[i], costed);
		SAME(&x->layers[i], &y->layers[i], outside_range);
		SAME(&x->layers[i], &y->layers[i], split_ms);
		SAME(&x->layers[i], &y->layers[i], whole);
		SAME(&x->layers[i], &y->layers[i], outside_costs);
		SAME(&x->layers[i], &y->layers[i], faults_unsure_ms);
	}
}

/* A random value for key of layer l, in descriptor syntax; some make the network invalid,
 * which both analyses must then report alike. */
static void random_value(const struct augur_layer *l, enum augur_key key, char *buf, size_t size)
{
	static const char *const bools[] = {"true", "false"};
	switch (key) {
	case AUGUR_KEY_FILTERS:
	case AUGUR_KEY_OUTPUTS:
		snprintf(buf, size, "%u", rnd(4) ? 16 * (1 + rnd(64)) : 1 + rnd(3000));
		break;
	case AUGUR_KEY_KERNEL:
		if (rnd(2))
			snprintf(buf, size, "%u", 1 + rnd(7));
		else
			snprintf(buf, size, "[%u, %u]", 1 + rnd(7), 1 + rnd(7));
		break;
	case AUGUR_KEY_STRIDE:
		snprintf(buf, size, "%u", 1 + rnd(3));
		break;
	case AUGUR_KEY_PAD:
		snprintf(buf, size, "%u", rnd(4));
		break;
	case AUGUR_KEY_DILATION:
		snprintf(buf, size, "%u", 1 + rnd(2));
		break;
	case AUGUR_KEY_GROUPS:
		snprintf(buf, size, "%u", 1u << rnd(3));
		break;
	case AUGUR_KEY_OP:
		if (l->type == AUGUR_LAYER_POOL)
			snprintf(buf, size, "%s", rnd(2) ? "max" : "avg");
		else
			snprintf(buf, size, "%s", (const char *[]){"sum", "prod", "max"}[rnd(3)]);
		break;
	case AUGUR_KEY_NEGATIVE_SLOPE:
		snprintf(buf, size, "0.%u", rnd(10));
		break;
	case AUGUR_KEY_MAX:
		snprintf(buf, size, "%u", 1 + rnd(8));
		break;
	case AUGUR_KEY_SIZE:
		snprintf(buf, size, "%u", 1 + 2 * rnd(5));
		break;
	default: /* bias, global, ceil */
		snprintf(buf, size, "%s", bools[rnd(2)]);
		break;
	}
}

/* A random assignment for net: mostly a key of a random layer, sometimes input or batch. */
static void random_assignment(const struct augur_net *net, char *buf, size_t size)
{
	uint32_t r = rnd(100);
	if (r < 6) {
		uint32_t hw = 32 + 16 * rnd(30);
		snprintf(buf, size, "input=[%llu, %u, %u]", (unsigned long long)net->input.c, hw,
		         rnd(4) ? hw : 32 + 16 * rnd(30));
		return;
	}
	if (r < 10) {
		snprintf(buf, size, "batch=%u", 1 + rnd(8));
		return;
	}
	for (;;) {
		const struct augur_layer *l = &net->layers[rnd((uint32_t)net->n_layers)];
		enum augur_key keys[AUGUR_KEY_COUNT];
		size_t n = 0;
		for (int k = AUGUR_KEY_FILTERS; k < AUGUR_KEY_COUNT; k++)
			if (augur_key_applies(k, l->type))
				keys[n++] = k;
		if (!n)
			continue;
		enum augur_key key = keys[rnd((uint32_t)n)];
		char value[64];
		random_value(l, key, value, sizeof(value));
		snprintf(buf, size, "%s.%s=%s", l->name, augur_key_name(key), value);
		return;
	}
}

struct fixture {
	struct augur_net *net;
	struct augur_profile *p;
	const struct augur_unit *units[2];
	size_t n_units;
	uint32_t batch;
};

/* Compares the context's figures with a fresh analysis of the network as it now stands. */
static void compare_fresh(struct augur_incr *inc, const struct fixture *fx, int inc_rc,
                          const struct augur_diag *inc_diag, const char *what)
{
	struct augur_diag diag = {0};
	struct augur_analysis *a = NULL;
	struct augur_unit_estimate est[2] = {{0}};
	int rc = augur_analyze(fx->net, fx->batch, &a, &diag);
	for (size_t u = 0; u < fx->n_units && !rc; u++)
		rc = augur_estimate_unit(fx->net, a, fx->p, fx->units[u], &est[u], &diag);
	diff = NULL;
	if (rc != inc_rc)
		diff = "status";
	else if (rc && (strcmp(diag.message, inc_diag->message) || diag.line != inc_diag->line))
		diff = "error message";
	if (!rc && !inc_rc) {
		same_analysis(augur_incr_analysis(inc), a);
		for (size_t u = 0; u < fx->n_units; u++)
			same_estimate(augur_incr_estimate(inc, u), &est[u]);
	}
	if (diff)
		CHECK_FAIL_("%s: %s differs from a fresh analysis (status %d vs %d: %s)", what,
		            diff, inc_rc, rc, rc ? diag.message : "");
	else
		check_passed++;
	for (size_t u = 0; u < 2; u++)
		augur_unit_estimate_clear(&est[u]);
	augur_analysis_free(a);
}

static void load(struct fixture *fx, const char *net, const char *profile, uint32_t batch)
{
	char path[4096];
	struct augur_diag diag = {0};
	memset(fx, 0, sizeof(*fx));
	snprintf(path, sizeof(path), "%s/descriptors/%s.yaml", root(), net);
	CHECK_EQ_INT(augur_net_load(path, &fx->net, &diag), 0);
	snprintf(path, sizeof(path), "%s/profiles/%s.yaml", root(), profile);
	CHECK_EQ_INT(augur_profile_load(path, &fx->p, &diag), 0);
	if (fx->p && fx->p->cpu)
		fx->units[fx->n_units++] = fx->p->cpu;
	if (fx->p && fx->p->gpu)
		fx->units[fx->n_units++] = fx->p->gpu;
	fx->batch = batch;
}

static void unload(struct fixture *fx)
{
	augur_net_free(fx->net);
	augur_profile_free(fx->p);
}

static void random_edits(const char *name, const char *profile, uint32_t batch, int n_edits)
{
	struct fixture fx;
	load(&fx, name, profile, batch);
	if (!fx.net || !fx.p)
		return;
	struct augur_incr *inc = NULL;
	struct augur_diag diag = {0};
	CHECK_EQ_INT(augur_incr_new(fx.net, batch, fx.p, fx.units, fx.n_units, &inc, &diag), 0);
	int rc = augur_incr_update(inc, &diag);
	compare_fresh(inc, &fx, rc, &diag, "first update");
	int applied = 0, failed = 0, invalid = 0;
	size_t retraced_sum = 0, updates = 0;
	for (int e = 0; e < n_edits; e++) {
		char assignment[128], what[256];
		random_assignment(fx.net, assignment, sizeof(assignment));
		snprintf(what, sizeof(what), "%s edit %d '%s'", name, e, assignment);
		struct augur_edit edit;
		if (augur_edit_parse(fx.net, assignment, &edit, &diag)) {
			failed++; /* e.g. groups on a layer whose channels it does not divide */
			continue;
		}
		if (augur_incr_apply(inc, &edit)) {
			augur_incr_revert(inc);
			CHECK_EQ_INT(augur_incr_apply(inc, &edit), 0);
		}
		applied++;
		rc = augur_incr_update(inc, &diag);
		invalid += rc != 0;
		if (!rc) {
			size_t retraced, from;
			augur_incr_last(inc, &retraced, &from);
			retraced_sum += retraced;
			updates++;
		}
		compare_fresh(inc, &fx, rc, &diag, what);
		/* keep up to a few edits stacked, so updates also start before older edits */
		if (rnd(3) == 0) {
			augur_incr_revert(inc);
			rc = augur_incr_update(inc, &diag);
			snprintf(what, sizeof(what), "%s revert after edit %d", name, e);
			compare_fresh(inc, &fx, rc, &diag, what);
		}
	}
	augur_incr_revert(inc);
	rc = augur_incr_update(inc, &diag);
	compare_fresh(inc, &fx, rc, &diag, "final revert");
	CHECK_EQ_INT(rc, 0);
	/* the edits must exercise both outcomes */
	CHECK(applied > n_edits / 2);
	CHECK(invalid > 0 && invalid < applied);
	printf("%s: %d edits applied (%d made the network invalid, %d refused), %.1f layers "
	       "re-traced per update of %zu\n",
	       name, applied, invalid, failed, updates ? (double)retraced_sum / updates : 0.0,
	       fx.net->n_layers);
	augur_incr_free(inc);
	unload(&fx);
}

/* Parsing leaves the network alone; a late edit redoes a handful of layers. */
static void parse_and_scope(void)
{
	struct fixture fx;
	load(&fx, "resnet50", "tx1", 0);
	if (!fx.net || !fx.p)
		return;
	struct augur_diag diag = {0};
	struct augur_edit e;
	long fc = augur_net_find(fx.net, "fc1000");
	long b2b = augur_net_find(fx.net, "res5c_branch2b");
	CHECK(fc > 0 && b2b > 0);
	CHECK_EQ_INT(augur_edit_parse(fx.net, "fc1000.outputs=10", &e, &diag), 0);
	CHECK_EQ_INT(e.kind, AUGUR_EDIT_LAYER);
	CHECK_EQ_INT(e.layer, fc);
	CHECK_EQ_INT(e.key, AUGUR_KEY_OUTPUTS);
	CHECK_EQ_U64(e.value.outputs, 10);
	CHECK_EQ_U64(fx.net->layers[fc].outputs, 1000);
	CHECK_EQ_INT(augur_edit_parse(fx.net, "input=[3,320,320]", &e, &diag), 0);
	CHECK_EQ_INT(e.kind, AUGUR_EDIT_INPUT);
	CHECK_EQ_U64(e.input.h, 320);
	CHECK_EQ_U64(fx.net->input.h, 224);
	CHECK_EQ_INT(augur_edit_parse(fx.net, "batch=4", &e, &diag), 0);
	CHECK_EQ_INT(e.kind, AUGUR_EDIT_BATCH);
	CHECK_EQ_U64(fx.net->batch, 1);
	CHECK(augur_edit_parse(fx.net, "fc9.outputs=10", &e, &diag) != 0);
	CHECK_CONTAINS(diag.message, "unknown layer 'fc9'");
	CHECK(augur_edit_parse(fx.net, "fc1000.outputs=ten", &e, &diag) != 0);
	CHECK_CONTAINS(diag.message, "expected an integer for 'outputs'");
	CHECK_EQ_U64(fx.net->layers[fc].outputs, 1000);

	struct augur_incr *inc = NULL;
	CHECK_EQ_INT(augur_incr_new(fx.net, 0, fx.p, fx.units, fx.n_units, &inc, &diag), 0);
	CHECK_EQ_INT(augur_incr_update(inc, &diag), 0);
	size_t retraced, from;
	augur_incr_last(inc, &retraced, &from);
	CHECK_EQ_U64(retraced, fx.net->n_layers);
	CHECK_EQ_U64(from, 0);
	/* res5c_branch2b's filters reach its batchnorm, scale and relu and res5c_branch2c's
	 * k; res5c_branch2c's output keeps its shape, so the walk stops there: 5 layers */
	CHECK_EQ_INT(augur_edit_parse(fx.net, "res5c_branch2b.filters=256", &e, &diag), 0);
	CHECK_EQ_INT(augur_incr_apply(inc, &e), 0);
	CHECK_EQ_INT(augur_incr_update(inc, &diag), 0);
	augur_incr_last(inc, &retraced, &from);
	CHECK_EQ_U64(retraced, 5);
	CHECK_EQ_U64(from, (size_t)b2b);
	CHECK_EQ_U64(fx.net->layers[b2b].filters, 256);
	compare_fresh(inc, &fx, 0, &diag, "res5c_branch2b.filters=256");
	/* an update with nothing changed redoes nothing */
	CHECK_EQ_INT(augur_incr_update(inc, &diag), 0);
	augur_incr_last(inc, &retraced, &from);
	CHECK_EQ_U64(retraced, 0);
	augur_incr_revert(inc);
	CHECK_EQ_U64(fx.net->layers[b2b].filters, 512);
	CHECK_EQ_INT(augur_incr_update(inc, &diag), 0);
	augur_incr_last(inc, &retraced, &from);
	CHECK_EQ_U64(retraced, 5);
	compare_fresh(inc, &fx, 0, &diag, "revert of res5c_branch2b.filters");
	/* an invalid variant fails, and the next update starts over */
	CHECK_EQ_INT(augur_edit_parse(fx.net, "res5c_branch2b.kernel=11", &e, &diag), 0);
	CHECK_EQ_INT(augur_incr_apply(inc, &e), 0);
	CHECK_EQ_INT(augur_incr_update(inc, &diag), AUGUR_E_SHAPE);
	CHECK_CONTAINS(diag.message, "kernel 11x11 of conv layer 'res5c_branch2b'");
	augur_incr_revert(inc);
	CHECK_EQ_INT(augur_incr_update(inc, &diag), 0);
	augur_incr_last(inc, &retraced, &from);
	CHECK_EQ_U64(retraced, fx.net->n_layers);
	compare_fresh(inc, &fx, 0, &diag, "after an invalid variant");
	/* at most AUGUR_INCR_MAX_EDITS stacked */
	CHECK_EQ_INT(augur_edit_parse(fx.net, "fc1000.outputs=10", &e, &diag), 0);
	for (int i = 0; i < AUGUR_INCR_MAX_EDITS; i++)
		CHECK_EQ_INT(augur_incr_apply(inc, &e), 0);
	CHECK_EQ_INT(augur_incr_apply(inc, &e), AUGUR_E_USAGE);
	augur_incr_revert(inc);
	CHECK_EQ_U64(fx.net->layers[fc].outputs, 1000);
	augur_incr_free(inc);
	unload(&fx);
}

/* Two convs of 2^63 MACs each over one input (2048 x 2079 x 1055 through 2^21 filters of
 * 2048 x 32 x 32: k = 2^21, m = 2048 x 1024 = 2^21; weights, output and columns each
 * exactly the 16 TiB a blob may hold): the network's MAC total passes 64 bits, an error
 * for a fresh analysis and the incremental one alike; halving one layer brings it back
 * under 2^64, and restoring it fails again. */
static void overflowing_totals(void)
{
	static const char desc[] =
	        "input: [2048, 2079, 1055]\n"
	        "layers:\n"
	        "  - {name: a, type: conv, filters: 2097152, kernel: 32, bias: false}\n"
	        "  - {name: b, type: conv, filters: 2097152, kernel: 32, bias: false, inputs: "
	        "input}\n";
	const uint64_t macs_one = 1ull << 63; /* per conv at 2^21 filters */
	struct fixture fx;
	load(&fx, "alexnet", "tx1", 0);
	augur_net_free(fx.net);
	fx.net = NULL;
	struct augur_diag diag = {0};
	CHECK_EQ_INT(augur_descriptor_parse("big.yaml", desc, sizeof(desc) - 1, &fx.net, &diag), 0);
	if (!fx.net || !fx.p)
		return;
	struct augur_analysis *fresh = NULL;
	CHECK_EQ_INT(augur_analyze(fx.net, 0, &fresh, &diag), AUGUR_E_OVERFLOW);
	CHECK_CONTAINS(diag.message, "network is too large");
	struct augur_incr *inc = NULL;
	CHECK_EQ_INT(augur_incr_new(fx.net, 0, fx.p, fx.units, fx.n_units, &inc, &diag), 0);
	CHECK_EQ_INT(augur_incr_update(inc, &diag), AUGUR_E_OVERFLOW);
	struct augur_edit e;
	CHECK_EQ_INT(augur_edit_parse(fx.net, "a.filters=1048576", &e, &diag), 0);
	CHECK_EQ_INT(augur_incr_apply(inc, &e), 0);
	CHECK_EQ_INT(augur_incr_update(inc, &diag), 0);
	CHECK_EQ_U64(augur_incr_analysis(inc)->total.macs, macs_one / 2 + macs_one);
	compare_fresh(inc, &fx, 0, &diag, "halved a");
	augur_incr_revert(inc);
	CHECK_EQ_INT(augur_incr_update(inc, &diag), AUGUR_E_OVERFLOW);
	CHECK_CONTAINS(diag.message, "network is too large");
	augur_incr_free(inc);
	unload(&fx);
}

int main(void)
{
	parse_and_scope();
	overflowing_totals();
	random_edits("resnet50", "tx1", 0, 1000);
	random_edits("vgg16", "tk1", 0, 1000);
	random_edits("googlenet", "epyc-2core", 2, 1000);
	/* layer costs whose every term moves with the size of the whole pass (cold_pass) */
	random_edits("squeezenet", "epyc-1t", 0, 500);
	return check_finish();
}
