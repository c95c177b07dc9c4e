/* The estimator against the paper: the shipped TK1 and TX1 profiles (fitted to the paper's
 * Tables 2-6 and 4, profiles/sources/lu2017.yaml) predict each network's CONV+FC time and
 * Caffe's process memory. This is agreement with the data the profiles were fitted to,
 * not validation; the table printed here is the one in the README. Also: the estimate is
 * the sum of its layers, batch scales the GEMM work, and the shipped profiles are exactly
 * what refitting the source data gives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "estimate.h"
#include "fit.h"
#include "memory.h"
#include "profilefit.h"
#include "netfile.h"
#include "refit.h"

static const char *root(void)
{
	const char *r = getenv("AUGUR_SOURCE_ROOT");
	return r ? r : ".";
}

static struct augur_profile *load_profile(const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/profiles/%s.yaml", root(), name);
	struct augur_profile *p = NULL;
	struct augur_diag d = {0};
	if (augur_profile_load(path, &p, &d))
		fprintf(stderr, "%s:%u:%u: %s\n", d.path, d.line, d.col, d.message);
	return p;
}

static int estimate(const char *network, uint32_t batch, const struct augur_profile *p,
                    const struct augur_unit *u, struct augur_unit_estimate *e,
                    struct augur_analysis **out_a)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/descriptors/%s.yaml", root(), network);
	struct augur_diag d = {0};
	struct augur_net *net = NULL;
	struct augur_analysis *a = NULL;
	int rc = augur_net_load(path, &net, &d);
	if (!rc)
		rc = augur_analyze(net, batch, &a, &d);
	if (!rc)
		rc = augur_estimate_unit(net, a, p, u, e, &d);
	if (rc)
		fprintf(stderr, "%s: %s\n", network, d.message);
	if (out_a)
		*out_a = a;
	else
		augur_analysis_free(a);
	augur_net_free(net);
	return rc;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Per board and unit, the median |error| of CONV+FC time must stay under the bound: the
 * fit's own residual on the paper's rows (tighter where the paper's data are consistent). */
static void test_paper_agreement(const struct augur_layer_times *lt)
{
	static const struct {
		const char *board;
		enum augur_unit_kind unit;
		double median_bound;
	} cases[] = {
	        {"tk1", AUGUR_UNIT_CPU, 0.05},
	        {"tk1", AUGUR_UNIT_GPU, 0.15},
	        {"tx1", AUGUR_UNIT_CPU, 0.30},
	        {"tx1", AUGUR_UNIT_GPU, 0.15},
	};
	printf("| board | unit | network | measured CONV+FC ms | predicted ms | error |\n");
	printf("|---|---|---|---:|---:|---:|\n");
	for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
		struct augur_profile *p = load_profile(cases[c].board);
		CHECK(p != NULL);
		if (!p)
			continue;
		const struct augur_unit *u = cases[c].unit == AUGUR_UNIT_CPU ? p->cpu : p->gpu;
		double err[8];
		size_t n = 0;
		for (size_t r = 0; r < lt->n_rows; r++) {
			const struct augur_layer_times_row *row = &lt->rows[r];
			if (strcmp(row->board, cases[c].board) || row->unit != cases[c].unit)
				continue;
			struct augur_unit_estimate e;
			if (estimate(row->network, 1, p, u, &e, NULL))
				continue;
			double measured =
			        row->type_ms[AUGUR_LAYER_CONV] + row->type_ms[AUGUR_LAYER_FC];
			double predicted = e.type_ms[AUGUR_LAYER_CONV] + e.type_ms[AUGUR_LAYER_FC];
			CHECK_NEAR(predicted, e.gemm_ms, 1e-9 * e.gemm_ms);
			err[n++] = fabs(predicted / measured - 1);
			printf("| %s | %s | %s | %.1f | %.1f | %+.1f%% |\n", cases[c].board,
			       augur_unit_kind_name(cases[c].unit), row->network, measured,
			       predicted, 100 * (predicted / measured - 1));
			augur_unit_estimate_clear(&e);
		}
		CHECK_EQ_U64(n, 4);
		qsort(err, n, sizeof(*err), cmp);
		double median = (err[1] + err[2]) / 2;
		if (median > cases[c].median_bound)
			fprintf(stderr, "%s %s: median error %.3f\n", cases[c].board,
			        augur_unit_kind_name(cases[c].unit), median);
		CHECK(median <= cases[c].median_bound);
		augur_profile_free(p);
	}
}

/* The whole forward pass on the CPUs, where the paper's layer-wise times add up to its
 * timed forward pass and the profiles therefore cost every layer type the tables list
 * (softmax, which no table times, stays uncosted). Printed for the README; each network's
 * prediction is the GEMM fit plus the per-type fits, so the error is again agreement
 * with fitted data, bounded by the GEMM fit's own (AlexNet on the TX1: -33%). */
static void test_paper_forward(const struct augur_layer_times *lt)
{
	printf("\n| board | network | measured forward ms | predicted ms | error | not costed |\n");
	printf("|---|---|---:|---:|---:|---|\n");
	for (size_t r = 0; r < lt->n_rows; r++) {
		const struct augur_layer_times_row *row = &lt->rows[r];
		if (row->unit != AUGUR_UNIT_CPU)
			continue;
		struct augur_profile *p = load_profile(row->board);
		struct augur_unit_estimate e;
		if (!p || estimate(row->network, 1, p, p->cpu, &e, NULL)) {
			CHECK(!"estimate");
			augur_profile_free(p);
			continue;
		}
		double error = e.total_ms / row->forward_ms - 1;
		/* only softmax is left out, and it is a few microseconds */
		CHECK_EQ_U64(e.types_uncosted, 1u << AUGUR_LAYER_SOFTMAX);
		CHECK(fabs(error) < 0.35);
		printf("| %s | %s | %.1f | %.1f | %+.1f%% | softmax |\n", row->board, row->network,
		       row->forward_ms, e.total_ms, 100 * error);
		augur_unit_estimate_clear(&e);
		augur_profile_free(p);
	}
}

/* Table 4's measured rows against predicted process memory. */
static void test_memory_agreement(const struct augur_layer_times *lt)
{
	printf("\n| board | unit | network | Table 4 MiB | predicted MiB | error |\n");
	printf("|---|---|---|---:|---:|---:|\n");
	for (size_t r = 0; r < lt->n_memory; r++) {
		const struct augur_memory_row *row = &lt->memory[r];
		struct augur_profile *p = load_profile(row->board);
		if (!p)
			continue;
		for (int k = 0; k < 2; k++) {
			const struct augur_unit *u = k ? p->gpu : p->cpu;
			struct augur_unit_estimate e;
			if (!u || row->mb[k] <= 0 || estimate(row->network, 1, p, u, &e, NULL))
				continue;
			double predicted = e.memory_bytes / 1048576.0;
			double error = predicted / row->mb[k] - 1;
			printf("| %s | %s | %s | %.0f | %.1f | %+.1f%% |\n", row->board,
			       augur_unit_kind_name(u->kind), row->network, row->mb[k], predicted,
			       100 * error);
			/* one overhead per unit for all networks: within 15% of each row */
			CHECK(fabs(error) < 0.15);
			/* a GPU run on shared memory holds the weights twice (section 4.2) */
			if (k)
				CHECK(e.weights_copy_bytes > 0);
			augur_unit_estimate_clear(&e);
		}
		augur_profile_free(p);
	}
}

/* The shipped profiles are what refitting profiles/sources/lu2017.yaml gives, to rounding
 * (tests/refit.h): the same regions and feature masks, coefficients and every shipped
 * descriptor's estimate within 1e-9 relative. */
static void test_reproducible(const struct augur_layer_times *lt)
{
	static const char *const boards[] = {"tk1", "tx1"};
	for (int b = 0; b < 2; b++) {
		struct augur_profile *shipped = load_profile(boards[b]), *fresh = NULL;
		struct augur_diag d = {0};
		CHECK_EQ_INT(augur_profile_from_layer_times(lt, boards[b], &fresh, &d), AUGUR_OK);
		if (!shipped || !fresh) {
			augur_profile_free(shipped);
			augur_profile_free(fresh);
			continue;
		}
		const struct augur_unit *us[2][2] = {{shipped->cpu, fresh->cpu},
		                                     {shipped->gpu, fresh->gpu}};
		for (int k = 0; k < 2; k++) {
			const struct augur_unit *s = us[k][0], *f = us[k][1];
			CHECK(s && f);
			if (!s || !f)
				continue;
			CHECK_EQ_U64(s->n_samples, f->n_samples);
			CHECK_EQ_U64(s->framework_overhead_bytes, f->framework_overhead_bytes);
			refit_check_timemodel(&f->gemm, &s->gemm);
			refit_check_costs(f->costs, s->costs);
			refit_check_estimates(root(), shipped, s, fresh, f);
		}
		augur_profile_free(shipped);
		augur_profile_free(fresh);
	}
}

/* The estimate is the sum of its layers; twice the batch is twice the GEMM calls of conv
 * layers and twice fc's m. */
static void test_sums_and_batch(void)
{
	struct augur_profile *p = load_profile("tx1");
	if (!p)
		return;
	struct augur_unit_estimate e1, e2;
	struct augur_analysis *a1 = NULL, *a2 = NULL;
	if (!estimate("resnet50", 1, p, p->cpu, &e1, &a1) &&
	    !estimate("resnet50", 2, p, p->cpu, &e2, &a2)) {
		double sum = 0;
		for (size_t i = 0; i < e1.n_layers; i++)
			sum += e1.layers[i].time_ms;
		CHECK_NEAR(sum, e1.total_ms, 1e-9 * e1.total_ms);
		CHECK_EQ_U64(a2->total.macs, 2 * a1->total.macs);
		/* conv GEMMs run once per image: exactly double; fc's m grows 1 -> 2 */
		CHECK_NEAR(e2.type_ms[AUGUR_LAYER_CONV], 2 * e1.type_ms[AUGUR_LAYER_CONV],
		           1e-9 * e1.type_ms[AUGUR_LAYER_CONV]);
		CHECK(e2.total_ms > 1.9 * e1.total_ms && e2.total_ms < 2.1 * e1.total_ms);
		CHECK(e2.memory_bytes > e1.memory_bytes);
		augur_unit_estimate_clear(&e1);
		augur_unit_estimate_clear(&e2);
	}
	augur_analysis_free(a1);
	augur_analysis_free(a2);
	augur_profile_free(p);
}

/* A model that overflows a double (only possible past the profile loader's bounds) is a
 * numeric error naming the layer, never an infinite or floor-clamped time. */
static void test_overflow_is_an_error(void)
{
	struct augur_profile *p = load_profile("tx1");
	if (!p)
		return;
	struct augur_unit_estimate e;
	for (size_t r = 0; r < AUGUR_MODEL_MAX_REGIONS; r++)
		p->cpu->gemm.regions[r].coef[AUGUR_TERM_NKM] = 1e300;
	CHECK_EQ_INT(estimate("vgg16", 1, p, p->cpu, &e, NULL), AUGUR_E_NUMERIC);
	/* each layer finite, their sum not: the total is checked too */
	for (size_t r = 0; r < AUGUR_MODEL_MAX_REGIONS; r++) {
		p->cpu->gemm.regions[r].coef[AUGUR_TERM_NKM] = 0;
		p->cpu->gemm.regions[r].coef[AUGUR_TERM_NK] = 0;
		p->cpu->gemm.regions[r].coef[AUGUR_TERM_ONE] = 1e308;
	}
	CHECK_EQ_INT(estimate("vgg16", 1, p, p->cpu, &e, NULL), AUGUR_E_NUMERIC);
	augur_profile_free(p);
}

/* The framework's memory view decides the memory estimate: the allocated view unless the
 * profile states minimal (PyTorch frees each blob after its last reader). Lu et al.'s
 * AlexNet holds 61.0M parameters (233 MiB); the minimal view of AlexNet at batch 1
 * is 242 MiB, its allocated view 255 MiB. */
static void test_memory_view(void)
{
	struct augur_profile *p = load_profile("tx1");
	if (!p)
		return;
	struct augur_unit_estimate e;
	struct augur_analysis *a = NULL;
	CHECK_EQ_INT(estimate("alexnet", 1, p, p->cpu, &e, &a), 0);
	if (a) {
		CHECK_EQ_INT(e.memory_view, AUGUR_VIEW_ALLOCATED);
		CHECK_EQ_U64(e.model_bytes, a->memory.alloc_total);
		CHECK(fabs((double)e.model_bytes / 1048576.0 - 255) < 1.5);
	}
	augur_unit_estimate_clear(&e);
	augur_analysis_free(a);
	a = NULL;
	p->framework.memory_view = AUGUR_VIEW_MINIMAL;
	p->cpu->framework_overhead_bytes = 10u << 20;
	CHECK_EQ_INT(estimate("alexnet", 1, p, p->cpu, &e, &a), 0);
	if (a) {
		CHECK_EQ_INT(e.memory_view, AUGUR_VIEW_MINIMAL);
		CHECK_EQ_U64(e.model_bytes, a->memory.min_total);
		CHECK(fabs((double)e.model_bytes / 1048576.0 - 242) < 1.5);
		CHECK_EQ_U64(e.memory_bytes, a->memory.min_total + (10u << 20));
	}
	augur_unit_estimate_clear(&e);
	augur_analysis_free(a);
	augur_profile_free(p);
}

/* Parses and analyses a descriptor given as text, checking both succeed: *net and *a are
 * NULL where they did not. */
static void parse_text(const char *path, const char *text, size_t len, struct augur_net **net,
                       struct augur_analysis **a)
{
	struct augur_diag d = {0};
	CHECK_EQ_INT(augur_net_parse(path, text, len, net, NULL, &d), 0);
	CHECK(*net && augur_analyze(*net, 1, a, &d) == 0);
}

/* A grouped convolution's workspace follows the framework's conv_groups fact. Hand
 * computed for an 8-channel 16x16 input (float32): a depthwise 3x3 conv (8 groups, 16
 * filters, pad 1) has k = 1*3*3 = 9 and m = 16*16 = 256, so one group's columns are
 * 9*256*4 = 9216 bytes and all eight groups' 73728; its output is 16*256*4 = 16384 bytes.
 * A 1x1 conv of 2 groups (4 filters) multiplies its input directly: no columns, output
 * 4*256*4 = 4096 bytes. Together (Caffe, augur's runtime): 73728 + 0. One group at a time
 * (PyTorch without mkldnn): the depthwise conv 9216 + 16384 = 25600, the grouped 1x1 4096
 * (its groups' outputs before they are concatenated), the plain 1x1 conv 0. */
static void test_conv_groups(void)
{
	static const char text[] = "name: dw\n"
	                           "input: [8, 16, 16]\n"
	                           "layers:\n"
	                           "  - {name: dw, type: conv, filters: 16, kernel: 3, pad: 1, "
	                           "groups: 8}\n"
	                           "  - {name: pw, type: conv, filters: 8, kernel: 1}\n"
	                           "  - {name: g2, type: conv, filters: 4, kernel: 1, groups: 2}\n";
	struct augur_profile *p = load_profile("tx1");
	struct augur_net *net = NULL;
	struct augur_analysis *a = NULL;
	struct augur_diag d = {0};
	parse_text("dw.yaml", text, sizeof(text) - 1, &net, &a);
	if (!p || !a)
		goto out;
	CHECK_EQ_U64(a->memory.alloc_workspace, 73728);
	CHECK_EQ_U64(a->memory.min_workspace, 73728);
	CHECK_EQ_U64(augur_layer_workspace(net, a, 0, AUGUR_CONV_COLUMNS_BY_GROUP), 25600);
	CHECK_EQ_U64(augur_layer_workspace(net, a, 1, AUGUR_CONV_COLUMNS_BY_GROUP), 0);
	CHECK_EQ_U64(augur_layer_workspace(net, a, 2, AUGUR_CONV_COLUMNS_BY_GROUP), 4096);
	p->cpu->framework_overhead_bytes = 0;
	static const enum augur_memory_view views[] = {AUGUR_VIEW_ALLOCATED, AUGUR_VIEW_MINIMAL};
	for (int v = 0; v < 2; v++) {
		bool minimal = views[v] == AUGUR_VIEW_MINIMAL;
		uint64_t total = minimal ? a->memory.min_total : a->memory.alloc_total;
		struct augur_unit_estimate e = {0};
		p->framework.memory_view = views[v];
		/* unstated and together: the analysis's own view, byte for byte */
		p->framework.conv_groups = AUGUR_GROUPS_UNSTATED;
		CHECK_EQ_INT(augur_estimate_unit(net, a, p, p->cpu, &e, &d), 0);
		CHECK_EQ_U64(e.model_bytes, total);
		augur_unit_estimate_clear(&e);
		p->framework.conv_groups = AUGUR_GROUPS_TOGETHER;
		CHECK_EQ_INT(augur_estimate_unit(net, a, p, p->cpu, &e, &d), 0);
		CHECK_EQ_U64(e.model_bytes, total);
		augur_unit_estimate_clear(&e);
		/* one at a time: the allocated view sums 25600 + 0 + 4096 instead of 73728, the
		 * minimal view holds the largest, 25600 */
		p->framework.conv_groups = AUGUR_GROUPS_ONE_AT_A_TIME;
		CHECK_EQ_INT(augur_estimate_unit(net, a, p, p->cpu, &e, &d), 0);
		CHECK_EQ_U64(e.model_bytes, total - 73728 + (minimal ? 25600 : 29696));
		augur_unit_estimate_clear(&e);
	}
	/* direct convolutions (oneDNN): no columns; a copy of the output, and of an ungrouped
	 * conv's input: dw (8 groups) 16384, pw 8192 + its 16384-byte input, g2 (2 groups)
	 * 4096 */
	CHECK_EQ_U64(augur_layer_workspace(net, a, 0, AUGUR_CONV_BLOCKED), 16384);
	CHECK_EQ_U64(augur_layer_workspace(net, a, 1, AUGUR_CONV_BLOCKED), 8192 + 16384);
	CHECK_EQ_U64(augur_layer_workspace(net, a, 2, AUGUR_CONV_BLOCKED), 4096);
	/* a grouped direct conv copies its input into the blocked layout when each group
	 * reads a block of channels (traced: 4 groups of 16 channels under a block of 16).
	 * g1: 2 groups of 4 channels, 2 filters, a block of 4, every buffer above 1 KiB
	 * mapped: the input (8192) held, its copy (8192) and the blocked output (2 filters
	 * rounded up to the block: 4096) live at once, 20480 mapped; then the output (2048:
	 * a page) replaces the copy. Without the copy the most would be 16384. */
	{
		static const char g1_text[] = "name: g1\n"
		                              "input: [8, 16, 16]\n"
		                              "layers:\n"
		                              "  - {name: g1, type: conv, filters: 2, kernel: 1, "
		                              "groups: 2}\n";
		struct augur_net *g1 = NULL;
		struct augur_analysis *ga = NULL;
		parse_text("g1.yaml", g1_text, sizeof(g1_text) - 1, &g1, &ga);
		struct augur_heap_view hv;
		struct augur_heap_facts f = {
		        .map_above = 1024,
		        .slack_bytes = 96,
		        .rule = AUGUR_CONV_BLOCKED,
		        .dispatch = (struct augur_conv_dispatch){.direct = true, .block = 4}};
		if (ga) {
			CHECK_EQ_INT(augur_memory_heap_view(g1, ga, &f, &hv), 0);
			CHECK_EQ_U64(hv.mapped_bytes, 8192 + 8192 + 4096);
		}
		augur_analysis_free(ga);
		augur_net_free(g1);
	}
	/* the heap view, one group at a time, nothing mapped: the weights as chunks of 656,
	 * 560 and 96 bytes ((16*9 + 16), (8*16 + 8), (4*4 + 4) values), the input (8208)
	 * to 9520; each of dw's groups takes one group's columns (9232) where the group
	 * before freed them and leaves its output (2064) above, the eighth ending at 35264;
	 * dw's output (16400) above that to 51664, the heap's most (page: 53248) */
	struct augur_unit_estimate e = {0};
	p->framework.memory_view = AUGUR_VIEW_HEAP;
	p->framework.fresh_buffer_bytes = 1u << 20;
	CHECK_EQ_INT(augur_estimate_unit(net, a, p, p->cpu, &e, &d), 0);
	CHECK_EQ_INT(e.memory_view, AUGUR_VIEW_HEAP);
	CHECK_EQ_U64(e.model_bytes, 53248);
	augur_unit_estimate_clear(&e);
out:
	augur_analysis_free(a);
	augur_net_free(net);
	augur_profile_free(p);
}

/* The heap view (PyTorch on glibc, heapsim.c): buffers above the allocator's threshold are
 * mapped per allocation, smaller ones placed by best fit in a heap that keeps the pages it
 * touched. Hand computed for a 4x64x64 input (65536 bytes), threshold 1.2 MB: c1 (5x5,
 * pad 2, 8 filters) has k = 4*25 = 100 and m = 4096, columns 100*4096*4 = 1638400 bytes
 * (mapped) and an output of 8*4096*4 = 131072; c2 (3x3, pad 1) columns 8*9*4096*4 =
 * 1179648 (heap); n1 an LRN of the same 131072 bytes. Weights: (8*100 + 8) + (8*72 + 8)
 * = 1392 values, 5568 bytes. The minimal view instead holds the largest workspace beside
 * the data peak: 5568 + 1638400 + 262144. */
static void test_heap_view(void)
{
	static const char text[] = "name: heap\n"
	                           "input: [4, 64, 64]\n"
	                           "layers:\n"
	                           "  - {name: c1, type: conv, filters: 8, kernel: 5, pad: 2}\n"
	                           "  - {name: r1, type: relu}\n"
	                           "  - {name: c2, type: conv, filters: 8, kernel: 3, pad: 1}\n"
	                           "  - {name: n1, type: lrn, size: 5}\n";
	struct augur_profile *p = load_profile("tx1");
	struct augur_net *net = NULL;
	struct augur_analysis *a = NULL;
	struct augur_diag d = {0};
	struct augur_unit_estimate e = {0};
	parse_text("heap.yaml", text, sizeof(text) - 1, &net, &a);
	if (!p || !a)
		goto out;
	CHECK_EQ_U64(a->memory.min_total, 5568 + 1638400 + 262144);
	/* the heap simulated (heapsim.c): c1's and c2's weights (3248 and 2352 bytes as
	 * chunks) and the input (65552) from 0 to 71152; c1's columns (1638400) mapped, its
	 * output at 71152; c2's columns (1179664) above it, c2's output above them to
	 * 1512992; the columns and c1 freed make one hole that n1's output takes. From the
	 * second pass on the heap's 1515520 touched bytes are resident while c1's columns
	 * are mapped again. */
	struct augur_heap_view hv;
	struct augur_heap_facts f = {
	        .map_above = 1200000, .slack_bytes = 96, .rule = AUGUR_CONV_COLUMNS};
	CHECK_EQ_INT(augur_memory_heap_view(net, a, &f, &hv), 0);
	CHECK_EQ_U64(hv.weights_bytes, 5568);
	CHECK_EQ_U64(hv.mapped_bytes, 1638400);
	CHECK_EQ_U64(hv.heap_bytes, 1515520 - 5568);
	/* the hole a process may leave unreused: the largest heap-served column buffer, c2's
	 * 8 channels x 3x3 x 64x64 floats (c1's 4 x 5x5 x 64x64 floats, 1638400 bytes, are
	 * mapped) */
	CHECK_EQ_U64(hv.hole_bytes, 8 * 9 * 64 * 64 * 4);
	/* without the allocator's slack a hole fits a buffer of its size again */
	f.slack_bytes = 0;
	CHECK_EQ_INT(augur_memory_heap_view(net, a, &f, &hv), 0);
	CHECK_EQ_U64(hv.hole_bytes, 0);
	f.slack_bytes = 96;
	/* a threshold above every buffer maps nothing: c1's columns (1638416) take the heap
	 * from 71152, c1's output above them to 1840656; c2's columns and output then fit
	 * in the hole c1's columns left (with the slack) */
	f.map_above = 1u << 30;
	CHECK_EQ_INT(augur_memory_heap_view(net, a, &f, &hv), 0);
	CHECK_EQ_U64(hv.mapped_bytes, 0);
	CHECK_EQ_U64(hv.heap_bytes, 1843200 - 5568);
	CHECK_EQ_U64(hv.hole_bytes, 4 * 25 * 64 * 64 * 4); /* c1's columns, now heap */
	/* direct convolutions instead (oneDNN, traced: the input's blocked copy when it has a
	 * block of channels, the weights' reorder, the blocked output, then the output; all on
	 * the heap): c1 (4 input channels, under the block of 8) copies its weights (3248)
	 * and leaves its blocked output (131088) below its output, which the freed pair
	 * cannot hold with the slack, to 336576; c2 copies its input into that hole, its
	 * blocked output above c1's output to 467664, the heap's most (page: 471040) */
	f.map_above = 1200000;
	f.rule = AUGUR_CONV_BLOCKED;
	f.dispatch = (struct augur_conv_dispatch){.direct = true, .block = 8};
	CHECK_EQ_INT(augur_memory_heap_view(net, a, &f, &hv), 0);
	CHECK_EQ_U64(hv.heap_bytes, 471040 - 5568);
	CHECK_EQ_U64(hv.mapped_bytes, 0);
	/* direct convolutions fill no columns: the hole is a blocked output, 8 channels (a
	 * whole block) x 64x64 floats */
	CHECK_EQ_U64(hv.hole_bytes, 8 * 64 * 64 * 4);
	/* with blocks of 16 the 8 filters round up to one block */
	f.dispatch.block = 16;
	CHECK_EQ_INT(augur_memory_heap_view(net, a, &f, &hv), 0);
	CHECK_EQ_U64(hv.hole_bytes, 16 * 64 * 64 * 4);
	f.dispatch.block = 8;
	/* and the minimal view with them: the largest workspace (c2's 262144) beside the data
	 * peak (262144) */
	CHECK_EQ_U64(augur_memory_model_bytes(net, a, true, AUGUR_CONV_BLOCKED),
	             5568 + 262144 + 262144);
	/* through estimate: the profile's facts, and its overhead on top */
	p->framework.memory_view = AUGUR_VIEW_HEAP;
	p->framework.fresh_buffer_bytes = 1200000;
	p->framework.alloc_slack_bytes = 96;
	p->cpu->framework_overhead_bytes = 1000;
	CHECK_EQ_INT(augur_estimate_unit(net, a, p, p->cpu, &e, &d), 0);
	CHECK_EQ_U64(e.model_bytes, 1515520 + 1638400);
	CHECK_EQ_U64(e.memory_bytes, 1515520 + 1638400 + 1000);
	CHECK_EQ_U64(e.memory_hole_bytes, 8 * 9 * 64 * 64 * 4);
	CHECK_EQ_U64(e.memory_high_bytes, e.memory_bytes + 8 * 9 * 64 * 64 * 4);
	augur_unit_estimate_clear(&e);
	p->framework.conv_im2col = -1; /* conv_im2col: false */
	p->framework.conv_block = 8;
	CHECK_EQ_INT(augur_estimate_unit(net, a, p, p->cpu, &e, &d), 0);
	CHECK_EQ_U64(e.model_bytes, 471040);
	augur_unit_estimate_clear(&e);
out:
	augur_analysis_free(a);
	augur_net_free(net);
	augur_profile_free(p);
}

/* A network of fc layers alone never loads the convolution machinery: the profile's
 * overhead for networks without convolutions (fitted apart: 10.3 MiB against 15.7 on the
 * Xeon guest), or the one overhead when it has none. */
static void test_overhead_without_conv(void)
{
	static const char text[] = "name: mlp\n"
	                           "input: [64]\n"
	                           "layers:\n"
	                           "  - {name: fc1, type: fc, outputs: 32}\n"
	                           "  - {name: relu1, type: relu}\n";
	struct augur_profile *p = load_profile("tx1");
	struct augur_net *net = NULL;
	struct augur_analysis *a = NULL;
	struct augur_diag d = {0};
	struct augur_unit_estimate e = {0};
	parse_text("mlp.yaml", text, sizeof(text) - 1, &net, &a);
	if (!p || !a)
		goto out;
	CHECK(!augur_net_has_conv(net));
	p->cpu->framework_overhead_bytes = 15000000;
	p->cpu->overhead_without_conv_bytes = 10000000;
	CHECK_EQ_INT(augur_estimate_unit(net, a, p, p->cpu, &e, &d), 0);
	CHECK_EQ_U64(e.overhead_bytes, 10000000);
	CHECK_EQ_U64(e.memory_bytes, e.model_bytes + 10000000);
	augur_unit_estimate_clear(&e);
	p->cpu->overhead_without_conv_bytes = 0;
	CHECK_EQ_INT(augur_estimate_unit(net, a, p, p->cpu, &e, &d), 0);
	CHECK_EQ_U64(e.overhead_bytes, 15000000);
	augur_unit_estimate_clear(&e);
out:
	augur_analysis_free(a);
	augur_net_free(net);
	augur_profile_free(p);
}

/* The model bytes p estimates for net with the framework's primitive cache at share. */
static uint64_t model_bytes_at_share(const struct augur_net *net, const struct augur_analysis *a,
                                     struct augur_profile *p, double share)
{
	struct augur_diag d = {0};
	struct augur_unit_estimate e = {0};
	p->framework.conv_cache_share = share;
	CHECK_EQ_INT(augur_estimate_unit(net, a, p, p->cpu, &e, &d), 0);
	uint64_t bytes = e.model_bytes;
	augur_unit_estimate_clear(&e);
	return bytes;
}

/* oneDNN's primitive cache keeps buffers for each distinct convolution: c1 and c2 are the
 * same convolution (16 -> 16 channels, 3x3, pad 1, on 8x8: an output of 16 x 64 x 4 =
 * 4096 bytes), c3 another (32 filters: 8192 bytes). Counted once each: 12288 bytes, and
 * a share of 0.5 of them (6144) is what the profile adds to a direct-conv network. */
static void test_conv_cache(void)
{
	static const char text[] = "name: cache\n"
	                           "input: [16, 8, 8]\n"
	                           "layers:\n"
	                           "  - {name: c1, type: conv, filters: 16, kernel: 3, pad: 1}\n"
	                           "  - {name: c2, type: conv, filters: 16, kernel: 3, pad: 1}\n"
	                           "  - {name: c3, type: conv, filters: 32, kernel: 3, pad: 1}\n";
	struct augur_profile *p = load_profile("tx1");
	struct augur_net *net = NULL;
	struct augur_analysis *a = NULL;
	struct augur_diag d = {0};
	struct augur_unit_estimate e = {0};
	parse_text("cache.yaml", text, sizeof(text) - 1, &net, &a);
	if (!p || !a)
		goto out;
	const struct augur_conv_dispatch all = {.direct = true}, none = {.direct = false},
	                                 sized = {.direct = true, .min_input_values = 2000};
	CHECK_EQ_U64(augur_memory_distinct_conv_output_bytes(net, a, &all), 4096 + 8192);
	/* convs the framework sends through im2col compile no primitive: none direct, or
	 * inputs of 16 x 8 x 8 = 1024 values under a 2000-value rule (3x3, one group) */
	CHECK_EQ_U64(augur_memory_distinct_conv_output_bytes(net, a, &none), 0);
	CHECK_EQ_U64(augur_memory_distinct_conv_output_bytes(net, a, &sized), 0);
	p->framework.memory_view = AUGUR_VIEW_HEAP;
	p->framework.conv_im2col = -1;
	CHECK_EQ_U64(model_bytes_at_share(net, a, p, 0.5),
	             model_bytes_at_share(net, a, p, 0) + 6144);
	/* the same profile with the size rule: no conv runs direct, nothing is cached */
	p->framework.direct_conv_min_input_values = 2000;
	CHECK_EQ_U64(model_bytes_at_share(net, a, p, 0.5), model_bytes_at_share(net, a, p, 0));
	p->framework.direct_conv_min_input_values = 0;
	p->framework.conv_cache_share = 0.5;
	/* the overhead of a network with convolutions; one without gets its own when the
	 * profile has it (c1-c3 are convolutions: the first) */
	p->cpu->framework_overhead_bytes = 15000000;
	p->cpu->overhead_without_conv_bytes = 10000000;
	CHECK_EQ_INT(augur_estimate_unit(net, a, p, p->cpu, &e, &d), 0);
	CHECK_EQ_U64(e.overhead_bytes, 15000000);
	augur_unit_estimate_clear(&e);
	/* an im2col framework caches no primitives, whatever the share */
	p->framework.conv_im2col = 0;
	CHECK_EQ_U64(model_bytes_at_share(net, a, p, 0.5), model_bytes_at_share(net, a, p, 0));
out:
	augur_analysis_free(a);
	augur_net_free(net);
	augur_profile_free(p);
}

int main(void)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/profiles/sources/lu2017.yaml", root());
	struct augur_layer_times *lt = NULL;
	struct augur_diag d = {0};
	CHECK_EQ_INT(augur_layer_times_load(path, &lt, &d), AUGUR_OK);
	if (!lt) {
		fprintf(stderr, "%s:%u:%u: %s\n", d.path, d.line, d.col, d.message);
		return check_finish();
	}
	CHECK_EQ_U64(lt->n_rows, 16);
	CHECK_EQ_U64(lt->n_memory, 6);
	test_paper_agreement(lt);
	test_memory_agreement(lt);
	test_reproducible(lt);
	test_paper_forward(lt);
	test_sums_and_batch();
	test_overflow_is_an_error();
	test_memory_view();
	test_conv_groups();
	test_heap_view();
	test_conv_cache();
	test_overhead_without_conv();
	augur_layer_times_free(lt);
	return check_finish();
}
