/* augur_plan_make on a network and boards small enough to follow by hand: a 3x3 conv (4
 * filters over a 1x8x8 input: GEMM 4 x 9 x 64) and two fc layers (10 x 256, 5 x 10), on a
 * cpu costing 1e-3 ms a multiply-add and a gpu costing 1e-4 ms a multiply-add plus 1 ms a
 * call; shared and separate memories; capacities set around the GPU's need. */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "check.h"
#include "plan.h"

static struct augur_net *small_net(void)
{
	struct augur_net *net = augur_net_new("small", "small.yaml");
	net->input = (struct augur_shape){1, 8, 8, 3};
	struct augur_layer *l = augur_net_append(net, "c1", AUGUR_LAYER_CONV);
	l->filters = 4;
	l->kernel = (struct augur_hw){3, 3};
	l->pad = (struct augur_hw){1, 1};
	augur_net_append(net, "f1", AUGUR_LAYER_FC)->outputs = 10;
	augur_net_append(net, "f2", AUGUR_LAYER_FC)->outputs = 5;
	return net;
}

static struct augur_unit *unit(enum augur_unit_kind kind, double nkm, double one, uint64_t overhead)
{
	struct augur_unit *u = augur_unit_new(kind);
	u->gemm.term_mask = 1u << AUGUR_TERM_NKM | 1u << AUGUR_TERM_ONE;
	u->gemm.regions[0].coef[AUGUR_TERM_NKM] = nkm;
	u->gemm.regions[0].coef[AUGUR_TERM_ONE] = one;
	u->gemm.min_ms = 1e-9;
	u->gemm.range = (struct augur_validity){1, 1000, 1, 1000, 1, 1000};
	u->framework_overhead_bytes = overhead;
	u->weights_copied = kind == AUGUR_UNIT_GPU;
	return u;
}

static struct augur_profile *board(bool shared)
{
	struct augur_profile *p = augur_profile_new();
	p->name = strdup("small-board");
	p->shared_memory = shared;
	p->cpu = unit(AUGUR_UNIT_CPU, 1e-3, 0, 1000);
	p->gpu = unit(AUGUR_UNIT_GPU, 1e-4, 1.0, 2000);
	return p;
}

static int make(const struct augur_net *net, const struct augur_analysis *a,
                const struct augur_profile *p, uint32_t parts, struct augur_plan *plan)
{
	struct augur_diag diag = {0};
	int rc = augur_plan_make(net, a, p, parts, plan, &diag);
	if (rc)
		fprintf(stderr, "plan: %s\n", diag.message);
	return rc;
}

int main(void)
{
	struct augur_net *net = small_net();
	struct augur_analysis *a = NULL;
	struct augur_diag diag = {0};
	CHECK_EQ_INT(augur_analyze(net, 0, &a, &diag), 0);
	if (!a)
		return check_finish();
	/* weights: c1 4*9 + 4 = 40 values, f1 256*10 + 10 = 2570, f2 10*5 + 5 = 55 */
	CHECK_EQ_U64(a->layers[1].params, 2570);
	struct augur_profile *p = board(true);
	struct augur_plan plan;

	/* capacity unknown: everything fits, no remedies */
	CHECK_EQ_INT(make(net, a, p, 0, &plan), 0);
	/* cpu 2.304 + 2.56 + 0.05; gpu 1.2304 + 1.256 + 1.005 */
	CHECK_NEAR(plan.option[AUGUR_PLAN_CPU].time_ms, 4.914, 1e-9);
	CHECK_NEAR(plan.option[AUGUR_PLAN_GPU].time_ms, 3.4914, 1e-9);
	CHECK_EQ_INT(plan.single, AUGUR_PLAN_GPU);
	/* split: c1 and f1 on the gpu, f2 on the cpu: one switch */
	CHECK(plan.option[AUGUR_PLAN_SPLIT].available);
	CHECK_NEAR(plan.option[AUGUR_PLAN_SPLIT].time_ms, 1.2304 + 1.256 + 0.05, 1e-9);
	CHECK_EQ_INT(plan.placement[0], AUGUR_UNIT_GPU);
	CHECK_EQ_INT(plan.placement[1], AUGUR_UNIT_GPU);
	CHECK_EQ_INT(plan.placement[2], AUGUR_UNIT_CPU);
	CHECK_EQ_U64(plan.split_switches, 1);
	CHECK_EQ_U64(plan.split_copy_bytes, 4 * (40 + 2570));
	uint64_t model = plan.cpu->model_bytes, gpu_mem = plan.gpu->memory_bytes;
	CHECK_EQ_U64(gpu_mem, model + 2000 + 4 * 2665);
	CHECK_EQ_U64(plan.option[AUGUR_PLAN_SPLIT].memory_bytes, model + 2000 + 4 * 2610);
	CHECK_EQ_INT(plan.reason[AUGUR_PLAN_FC_OFFLOAD], AUGUR_PLAN_GPU_FITS);
	CHECK(!plan.option[AUGUR_PLAN_SPLIT_FC].available);
	CHECK_EQ_INT(plan.best, AUGUR_PLAN_SPLIT);
	augur_plan_clear(&plan);

	/* the gpu one byte short: remedies */
	p->gpu->memory_bytes = p->cpu->memory_bytes = gpu_mem - 1;
	CHECK_EQ_INT(make(net, a, p, 0, &plan), 0);
	CHECK(!plan.option[AUGUR_PLAN_GPU].fits);
	/* offload from f1: gpu stage c1 = 1.2304, cpu stage f1 + f2 = 2.61 */
	const struct augur_plan_option *o = &plan.option[AUGUR_PLAN_FC_OFFLOAD];
	CHECK(o->available && o->fits);
	CHECK_EQ_U64(plan.offload_from, 1);
	CHECK_NEAR(o->time_ms, 2.61, 1e-9);
	CHECK_NEAR(o->latency_ms, 1.2304 + 2.61, 1e-9);
	CHECK_EQ_U64(plan.offload_cpu_bytes, 4 * (2570 + 55));
	CHECK_EQ_U64(o->memory_bytes, model + 2000 + 4 * 40);
	/* split fc: f1 (the largest) in 2 parts of 128 inputs: 2 x (1e-4 * 1280 + 1) ms */
	o = &plan.option[AUGUR_PLAN_SPLIT_FC];
	CHECK(o->available && o->fits);
	CHECK_EQ_U64(plan.split_fc_layer, 1);
	CHECK_EQ_U64(plan.split_fc_parts, 2);
	CHECK_NEAR(plan.split_fc_ms, 2.256, 1e-9);
	CHECK_NEAR(o->time_ms, 1.2304 + 2.256 + 1.005, 1e-9);
	CHECK_EQ_U64(plan.split_fc_part_bytes, 4 * (10 * 128 + 10));
	CHECK_EQ_U64(o->memory_bytes, gpu_mem - 2 * 4 * 2570 + 2 * 4 * 1290);
	/* the split still fits (its copy leaves out f2's weights) and is fastest */
	CHECK_EQ_INT(plan.best, AUGUR_PLAN_SPLIT);
	augur_plan_clear(&plan);

	/* three parts: 86, 85, 85 inputs */
	CHECK_EQ_INT(make(net, a, p, 3, &plan), 0);
	CHECK_EQ_U64(plan.split_fc_parts, 3);
	CHECK_NEAR(plan.split_fc_ms, 1e-4 * 10 * 256 + 3, 1e-9);
	CHECK_EQ_U64(plan.split_fc_part_bytes, 4 * (10 * 86 + 10));
	augur_plan_clear(&plan);
	CHECK(augur_plan_make(net, a, p, 257, &plan, &diag) == AUGUR_E_USAGE);
	CHECK_CONTAINS(diag.message, "cannot split fc layer 'f1' into 257 parts");

	/* tighter: parts of at most 64 inputs fit, 86 do not: 4 parts */
	uint64_t base = gpu_mem - 2 * 4 * 2570;
	p->gpu->memory_bytes = p->cpu->memory_bytes = base + 2 * 4 * (10 * 64 + 10);
	CHECK_EQ_INT(make(net, a, p, 0, &plan), 0);
	CHECK_EQ_U64(plan.split_fc_parts, 4);
	CHECK(plan.option[AUGUR_PLAN_SPLIT_FC].fits);
	augur_plan_clear(&plan);
	/* nothing fits: the seed's 4 parts, and no recommendation */
	p->gpu->memory_bytes = p->cpu->memory_bytes = 100;
	CHECK_EQ_INT(make(net, a, p, 0, &plan), 0);
	CHECK_EQ_U64(plan.split_fc_parts, 4);
	CHECK(!plan.option[AUGUR_PLAN_SPLIT_FC].fits);
	CHECK_EQ_INT(plan.best, AUGUR_PLAN_KIND_COUNT);
	augur_plan_clear(&plan);
	augur_profile_free(p);

	/* separate memories: no split; offload checks the GPU's part and the CPU's part */
	p = board(false);
	CHECK_EQ_INT(make(net, a, p, 0, &plan), 0);
	gpu_mem = plan.gpu->memory_bytes; /* no second copy */
	CHECK_EQ_U64(gpu_mem, model + 2000);
	CHECK_EQ_INT(plan.reason[AUGUR_PLAN_SPLIT], AUGUR_PLAN_NOT_SHARED);
	CHECK(!plan.option[AUGUR_PLAN_SPLIT].available);
	augur_plan_clear(&plan);
	p->gpu->memory_bytes = gpu_mem - 1;
	p->cpu->memory_bytes = 4 * (2570 + 55) + 1000; /* the fc weights and the overhead */
	CHECK_EQ_INT(make(net, a, p, 0, &plan), 0);
	o = &plan.option[AUGUR_PLAN_FC_OFFLOAD];
	CHECK_EQ_U64(o->memory_bytes, model - 4 * (2570 + 55) + 2000);
	CHECK(o->fits);
	CHECK_EQ_U64(plan.option[AUGUR_PLAN_SPLIT_FC].memory_bytes,
	             gpu_mem - 4 * 2570 + 4 * 1290); /* weights held once */
	augur_plan_clear(&plan);
	p->cpu->memory_bytes -= 1;
	CHECK_EQ_INT(make(net, a, p, 0, &plan), 0);
	CHECK(!plan.option[AUGUR_PLAN_FC_OFFLOAD].fits);
	augur_plan_clear(&plan);

	/* a cpu-only board: one unit, nothing to split, no remedies */
	augur_unit_free(p->gpu);
	p->gpu = NULL;
	CHECK_EQ_INT(make(net, a, p, 0, &plan), 0);
	CHECK_EQ_INT(plan.n_units, 1);
	CHECK_EQ_INT(plan.single, AUGUR_PLAN_CPU);
	CHECK_EQ_INT(plan.reason[AUGUR_PLAN_SPLIT], AUGUR_PLAN_NO_UNIT);
	CHECK_EQ_INT(plan.reason[AUGUR_PLAN_FC_OFFLOAD], AUGUR_PLAN_NO_UNIT);
	CHECK_EQ_INT(plan.placement[1], AUGUR_UNIT_CPU);
	CHECK_STR_EQ(augur_plan_kind_name(plan.single), "cpu");
	augur_plan_clear(&plan);

	augur_profile_free(p);
	augur_analysis_free(a);
	augur_net_free(net);
	return check_finish();
}
