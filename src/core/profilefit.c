/* Fitting a profile from a layer-times file (see profilefit.h): rows become GEMM samples
 * and layer-cost rows of the networks they name, then the GEMM, layer-cost and memory
 * overhead fits. The file itself is read by layertimes.c, which fits nothing. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis.h"
#include "augur-config.h"
#include "checked.h"
#include "datadir.h"
#include "estimate.h"
#include "fit.h"
#include "layercostfit.h"
#include "memory.h"
#include "netfile.h"
#include "profilefit.h"
#include "stats.h"

int augur_layer_times_network(const struct augur_layer_times *lt, const char *network,
                              uint32_t line, uint32_t col, struct augur_net **out,
                              struct augur_diag *diag)
{
	char candidate[3][4096];
	const char *slash = strrchr(lt->path, '/');
	int dirlen = slash ? (int)(slash - lt->path) : 1;
	const char *dir = slash ? lt->path : ".";
	bool has_ext = strstr(network, ".yaml") || strstr(network, ".prototxt");
	snprintf(candidate[0], sizeof(candidate[0]), "%.*s/%s%s", dirlen, dir, network,
	         has_ext ? "" : ".yaml");
	char shipped[2048] = ".";
	augur_shipped_data_dir(AUGUR_DATADIR, shipped, sizeof(shipped));
	snprintf(candidate[1], sizeof(candidate[1]), "%s/descriptors/%s%s", shipped, network,
	         has_ext ? "" : ".yaml");
	snprintf(candidate[2], sizeof(candidate[2]), "%s", network);
	for (int i = 0; i < 3; i++) {
		FILE *f = fopen(candidate[i], "r");
		if (!f)
			continue;
		fclose(f);
		return augur_net_load(candidate[i], out, diag);
	}
	return augur_diag_set(diag, AUGUR_E_USAGE, lt->path, line, col,
	                      "network '%s' not found (looked for %s and %s)", network,
	                      candidate[0], candidate[1]);
}

/* The network a row names, analysed at batch; on failure nothing is left to free. */
static int load_analysed(const struct augur_layer_times *lt, const char *network, uint32_t line,
                         uint32_t col, uint32_t batch, struct augur_net **net,
                         struct augur_analysis **a, struct augur_diag *diag)
{
	*net = NULL;
	*a = NULL;
	int rc = augur_layer_times_network(lt, network, line, col, net, diag);
	if (!rc && (rc = augur_analyze(*net, batch, a, diag))) {
		augur_net_free(*net);
		*net = NULL;
	}
	return rc;
}

static bool row_matches(const char *row_board, const char *board)
{
	return !strcmp(row_board, board);
}

/* A visitor of a layer-times row with its network analysed at the row's batch. */
typedef int row_visit(const struct augur_layer_times_row *row, const struct augur_net *net,
                      const struct augur_analysis *a, void *ctx, struct augur_diag *diag);

/* Visits each row of board and unit that keep accepts (NULL: every one), in file order;
 * stops at the first error and returns it. */
static int each_row(const struct augur_layer_times *lt, const char *board,
                    enum augur_unit_kind unit, bool (*keep)(const struct augur_layer_times_row *),
                    row_visit *visit, void *ctx, struct augur_diag *diag)
{
	int rc = AUGUR_OK;
	for (size_t r = 0; r < lt->n_rows && !rc; r++) {
		const struct augur_layer_times_row *row = &lt->rows[r];
		if (!row_matches(row->board, board) || row->unit != unit || (keep && !keep(row)))
			continue;
		struct augur_net *net = NULL;
		struct augur_analysis *a = NULL;
		if ((rc = load_analysed(lt, row->network, row->line, row->col, row->batch, &net, &a,
		                        diag)))
			break;
		rc = visit(row, net, a, ctx, diag);
		augur_analysis_free(a);
		augur_net_free(net);
	}
	return rc;
}

struct sample_ctx {
	const char *path;
	struct augur_sample *samples;
	size_t count;
};

/* A row's conv and fc sums, each a sample of all the network's GEMMs of its type. */
static int row_samples(const struct augur_layer_times_row *row, const struct augur_net *net,
                       const struct augur_analysis *a, void *ctx, struct augur_diag *diag)
{
	static const enum augur_layer_type gemm_types[] = {AUGUR_LAYER_CONV, AUGUR_LAYER_FC};
	struct sample_ctx *c = ctx;
	for (size_t t = 0; t < 2; t++) {
		enum augur_layer_type type = gemm_types[t];
		if (!row->has[type] || !a->by_type[type].layers)
			continue;
		struct augur_sample *s = &c->samples[c->count];
		s->time_ms = row->type_ms[type];
		s->fc_layout = type == AUGUR_LAYER_FC;
		s->gemms = calloc(a->by_type[type].layers, sizeof(*s->gemms));
		char label[160];
		snprintf(label, sizeof(label), "%s %s", row->network, augur_layer_type_name(type));
		s->label = strdup(label);
		if (!s->gemms || !s->label)
			return augur_diag_set(diag, AUGUR_E_NOMEM, c->path, 0, 0, "out of memory");
		for (size_t i = 0; i < a->n_layers; i++) {
			const struct augur_gemm *g = &a->layers[i].gemm;
			if (net->layers[i].type != type || !g->count)
				continue;
			s->gemms[s->n_gemms++] =
			        (struct augur_sample_gemm){g->n, g->k, g->m, g->count};
		}
		c->count++;
	}
	return AUGUR_OK;
}

int augur_layer_times_samples(const struct augur_layer_times *lt, const char *board,
                              enum augur_unit_kind unit, struct augur_sample **out, size_t *n,
                              struct augur_diag *diag)
{
	*out = NULL;
	*n = 0;
	struct sample_ctx c = {lt->path, NULL, 0};
	c.samples = calloc(2 * lt->n_rows + 1, sizeof(*c.samples));
	if (!c.samples)
		return augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
	int rc = each_row(lt, board, unit, NULL, row_samples, &c, diag);
	if (rc) {
		for (size_t i = 0; i <= c.count && i < 2 * lt->n_rows; i++)
			augur_sample_clear(&c.samples[i]);
		free(c.samples);
		return rc;
	}
	*out = c.samples;
	*n = c.count;
	return AUGUR_OK;
}

/* Whether a row's layer-wise times add up to its timed forward pass (within 10%). */
static bool sums_to_forward(const struct augur_layer_times_row *row)
{
	double total = row->total_ms;
	if (!(total > 0))
		for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++)
			total += row->has[t] ? row->type_ms[t] : 0;
	return row->forward_ms > 0 && fabs(total - row->forward_ms) <= 0.1 * row->forward_ms;
}

/* A row worth costing: its layers' times, or per-type sums that add up to its pass. */
static bool costable(const struct augur_layer_times_row *row)
{
	return row->n_layers || sums_to_forward(row);
}

static int find_layer(const struct augur_net *net, const char *name)
{
	for (size_t i = 0; i < net->n_layers; i++)
		if (!strcmp(net->layers[i].name, name))
			return (int)i;
	return -1;
}

struct cost_ctx {
	const char *path;
	const struct augur_timemodel *gemm;
	const struct augur_thresholds *th;
	double timer_ms; /* what timing one layer adds to it (augur_layer_times_timer_ms) */
	struct augur_cost_row *rows;
	size_t count;
};

/* The networks whose layers average under this (10 us) tell the timer's cost apart from
 * their run-to-run spread: 2% of such a layer is 0.2 us, the cost itself. */
#define TIMER_PROBE_MS_PER_LAYER 0.01
/* ... and at least this many of them, so that one disturbed pass does not set it */
#define TIMER_PROBE_MIN_ROWS 3

int augur_layer_times_timer_ms(const struct augur_layer_times *lt, const char *board,
                               enum augur_unit_kind unit, double *timer_ms)
{
	*timer_ms = 0;
	double *excess = calloc(lt->n_rows + 1, sizeof(*excess));
	if (!excess)
		return AUGUR_E_NOMEM;
	size_t m = 0;
	for (size_t r = 0; r < lt->n_rows; r++) {
		const struct augur_layer_times_row *row = &lt->rows[r];
		if (!row_matches(row->board, board) || row->unit != unit || !row->n_layers ||
		    !(row->forward_ms > 0) || !(row->total_ms > 0) ||
		    row->forward_ms / (double)row->n_layers >= TIMER_PROBE_MS_PER_LAYER)
			continue;
		excess[m++] = (row->total_ms - row->forward_ms) / (double)row->n_layers;
	}
	double med = m >= TIMER_PROBE_MIN_ROWS ? augur_median_in_place(excess, m) : 0;
	*timer_ms = med > 0 && isfinite(med) ? med : 0;
	free(excess);
	return AUGUR_OK;
}

/* A row's cost rows: one per timed layer, or one per type sum (the GEMM types feed the
 * GEMM model instead). */
static int row_costs(const struct augur_layer_times_row *row, const struct augur_net *net,
                     const struct augur_analysis *a, void *ctx, struct augur_diag *diag)
{
	struct cost_ctx *c = ctx;
	for (size_t j = 0; j < row->n_layers; j++) {
		int i = find_layer(net, row->layer_names[j]);
		if (i < 0)
			return augur_diag_set(diag, AUGUR_E_SCHEMA, c->path, row->layer_loc[j].line,
			                      row->layer_loc[j].col,
			                      "network '%s' has no layer '%s'", row->network,
			                      row->layer_names[j]);
		struct augur_cost_row *cr = &c->rows[c->count++];
		cr->type = net->layers[i].type;
		/* what the layer takes in an untimed pass: the timer's cost out, never more
		 * than half of it (a layer that fast is one the cost does not describe) */
		cr->time_ms = fmax(row->layer_ms[j] - c->timer_ms, 0.5 * row->layer_ms[j]);
		augur_layer_features(net, a, (size_t)i, c->gemm, c->th, cr->f, NULL);
	}
	if (row->n_layers)
		return AUGUR_OK;
	double f[AUGUR_FEAT_COUNT];
	for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++) {
		if (!row->has[t] || t == AUGUR_LAYER_CONV || t == AUGUR_LAYER_FC ||
		    !a->by_type[t].layers)
			continue;
		struct augur_cost_row *cr = &c->rows[c->count++];
		cr->type = t;
		cr->aggregate = true;
		cr->time_ms = row->type_ms[t];
		for (size_t i = 0; i < a->n_layers; i++) {
			if (net->layers[i].type != (enum augur_layer_type)t)
				continue;
			augur_layer_features(net, a, i, c->gemm, c->th, f, NULL);
			for (int k = 0; k < AUGUR_FEAT_COUNT; k++)
				cr->f[k] += f[k];
		}
	}
	return AUGUR_OK;
}

int augur_layer_times_cost_rows(const struct augur_layer_times *lt, const char *board,
                                enum augur_unit_kind unit, const struct augur_timemodel *gemm,
                                const struct augur_thresholds *th, struct augur_cost_row **out,
                                size_t *n, struct augur_diag *diag)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	for (size_t r = 0; r < lt->n_rows; r++)
		cap += lt->rows[r].n_layers + AUGUR_LAYER_TYPE_COUNT;
	struct cost_ctx c = {lt->path, gemm, th, 0, NULL, 0};
	if (augur_layer_times_timer_ms(lt, board, unit, &c.timer_ms))
		return augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
	c.rows = calloc(cap + 1, sizeof(*c.rows));
	if (!c.rows)
		return augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
	int rc = each_row(lt, board, unit, costable, row_costs, &c, diag);
	if (rc) {
		free(c.rows);
		return rc;
	}
	*out = c.rows;
	*n = c.count;
	return AUGUR_OK;
}

/* The fewest rows of each kind (with convolutions, without) that get an overhead of their
 * own: fewer and one median serves both. */
#define OVERHEAD_MIN_ROWS 3

int augur_layer_times_overhead(const struct augur_layer_times *lt, const char *board,
                               enum augur_unit_kind unit, bool shared_memory, bool weights_copied,
                               uint64_t page_bytes, uint64_t *overhead_bytes,
                               uint64_t *overhead_without_conv_bytes, size_t *rows_used,
                               struct augur_diag *diag)
{
	/* rows with convolutions from the front, rows without from the back */
	size_t cap = lt->n_memory + 1;
	double *over = calloc(cap, sizeof(*over));
	double *weight = calloc(cap, sizeof(*weight));
	if (!over || !weight) {
		free(over);
		free(weight);
		return augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
	}
	size_t with = 0, without = 0;
	int rc = AUGUR_OK;
	/* measured against the view the measured framework follows (PyTorch: heap) */
	for (size_t r = 0; r < lt->n_memory && !rc; r++) {
		const struct augur_memory_row *row = &lt->memory[r];
		if (!row_matches(row->board, board) || row->mb[unit] <= 0)
			continue;
		struct augur_net *net = NULL;
		struct augur_analysis *a = NULL;
		if (!(rc = load_analysed(lt, row->network, row->line, row->col, 1, &net, &a,
		                         diag))) {
			uint64_t bytes = 0;
			if (augur_framework_model_bytes(net, a, &lt->framework, page_bytes, &bytes,
			                                NULL))
				rc = augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0,
				                    "out of memory");
			double model = (double)bytes;
			if (unit == AUGUR_UNIT_GPU && shared_memory && weights_copied)
				model += (double)(a->memory.alloc_params + a->memory.alloc_stats);
			double measured = row->mb[unit] * 1048576.0;
			size_t at = augur_net_has_conv(net) ? with++ : cap - 1 - without++;
			over[at] = measured - model;
			weight[at] = 1.0 / measured;
		}
		augur_analysis_free(a);
		augur_net_free(net);
	}
	if (!rc && !(with + without))
		rc = augur_diag_set(diag, AUGUR_E_USAGE, lt->path, 0, 0,
		                    "no memory row for board '%s' and unit %s", board,
		                    augur_unit_kind_name(unit));
	if (!rc) {
		/* networks without convolutions measured 8.7-10 MiB above their model on the
		 * Xeon guest, with them 15 (mkldnn off) and 29 (on): two medians when both
		 * kinds have rows enough, else one over all */
		double med_without = 0;
		bool split = with >= OVERHEAD_MIN_ROWS && without >= OVERHEAD_MIN_ROWS;
		/* without convolutions the overhead is most of a small network's peak (KWS:
		 * 9 of 9.3 MiB) and the rows' residuals drift by a MiB with the weights' size:
		 * the median weighted by 1/peak minimises the relative error the +-10% goal
		 * counts. With convolutions the plain median stays: the residuals' tail is
		 * the heap's pinned holes, and weighted it lost 13 of 1,248 held-out peaks
		 * over the stored runs of the Xeon model 167 (the no-conv weighting: +3) */
		if (split)
			med_without = augur_weighted_median_in_place(
			        over + cap - without, weight + cap - without, without);
		else
			memmove(over + with, over + cap - without, without * sizeof(*over));
		double med = augur_median_in_place(over, split ? with : with + without);
		*overhead_bytes = med > 0 ? (uint64_t)med : 0;
		/* 0 is how "not fitted" is kept (the one overhead then serves): a fitted
		 * overhead of nothing is kept as one byte, unless the other is nothing too */
		uint64_t without_b = med_without > 1 ? (uint64_t)med_without : 1;
		*overhead_without_conv_bytes =
		        split && (without_b > 1 || *overhead_bytes) ? without_b : 0;
		*rows_used = with + without;
	}
	free(over);
	free(weight);
	return rc;
}

static const struct augur_board *find_board(const struct augur_layer_times *lt, const char *name)
{
	for (size_t i = 0; i < lt->n_boards; i++)
		if (!strcmp(lt->boards[i].name, name))
			return &lt->boards[i];
	return NULL;
}

static bool has_rows(const struct augur_layer_times *lt, const char *board,
                     enum augur_unit_kind unit)
{
	for (size_t i = 0; i < lt->n_rows; i++)
		if (!strcmp(lt->rows[i].board, board) && lt->rows[i].unit == unit)
			return true;
	return false;
}

static bool has_layer_rows(const struct augur_layer_times *lt, const char *board,
                           enum augur_unit_kind unit)
{
	for (size_t i = 0; i < lt->n_rows; i++)
		if (row_matches(lt->rows[i].board, board) && lt->rows[i].unit == unit &&
		    lt->rows[i].n_layers)
			return true;
	return false;
}

/* The GEMM model of u from the per-type conv and fc sums (the paper's tables). */
static int fit_gemm(struct augur_profile *p, struct augur_unit *u,
                    const struct augur_layer_times *lt, struct augur_diag *diag)
{
	struct augur_sample *samples = NULL;
	size_t n = 0;
	int rc = augur_layer_times_samples(lt, p->name, u->kind, &samples, &n, diag);
	if (rc)
		return rc;
	struct augur_fit_options opt;
	augur_fit_options_init(&opt);
	/* A handful of aggregate rows identify few coefficients: the multiply-adds, the
	 * weights read (what makes a batch-1 fc layer memory-bound) and a per-call cost. */
	opt.term_mask = 1u << AUGUR_TERM_NKM | 1u << AUGUR_TERM_NK | 1u << AUGUR_TERM_ONE;
	opt.fixed_breaks = true;
	opt.max_outliers = 0;
	const struct augur_board *b = find_board(lt, p->name);
	if (u->kind == AUGUR_UNIT_GPU && b) {
		/* section 5.2's split along n; its m regions need per-GEMM samples, which
		 * eight aggregate rows cannot separate (docs/profiles.md) */
		opt.n_breaks_n = b->n_breaks_n;
		memcpy(opt.breaks_n, b->breaks_n, sizeof(opt.breaks_n));
	} else {
		/* on a CPU, fc layers at batch 1 are matrix-vector products bound by memory,
		 * not compute: they get their own region, m below 2 */
		opt.n_breaks_m = 1;
		opt.breaks_m[0] = 2;
	}
	struct augur_timemodel tm;
	struct augur_fit_quality q;
	rc = augur_fit_model(samples, n, &opt, &tm, &q, diag);
	if (rc == AUGUR_OK) {
		for (size_t i = 0; i < u->n_samples; i++)
			augur_sample_clear(&u->samples[i]);
		free(u->samples);
		u->samples = samples;
		u->n_samples = n;
		samples = NULL;
		augur_unit_derive(u);
		/* the fitter floors predictions at the fastest call it saw; an aggregate row
		 * only tells the average call of a network, far above its smallest GEMM */
		tm.min_ms = 1e-3;
		u->gemm = tm;
		u->quality = q;
	}
	for (size_t i = 0; samples && i < n; i++)
		augur_sample_clear(&samples[i]);
	free(samples);
	return rc;
}

/* Every layer type's cost model of u, on top of its GEMM model. */
static int fit_costs(const struct augur_profile *p, struct augur_unit *u,
                     const struct augur_layer_times *lt, struct augur_diag *diag)
{
	struct augur_cost_row *rows = NULL;
	size_t n = 0;
	/* the facts of the framework the rows were measured in: the file's, else the
	 * profile's */
	const struct augur_framework *fw = lt->framework.name ? &lt->framework : &p->framework;
	struct augur_thresholds th;
	augur_profile_thresholds(p, &th);
	th.pass_cliff = augur_framework_pass_cliff(fw);
	th.conv_direct = augur_framework_conv_direct(fw);
	th.conv_block = augur_framework_conv_block(fw);
	th.direct_min_input_values = fw->direct_conv_min_input_values;
	th.direct_1x1_min_batch = fw->direct_conv_1x1_min_batch;
	th.threads = fw->threads;
	int rc = augur_layer_times_cost_rows(lt, p->name, u->kind, &u->gemm, &th, &rows, &n, diag);
	if (rc)
		return rc;
	if (!n) {
		free(rows);
		return AUGUR_OK;
	}
	struct augur_layer_costs *costs = calloc(1, sizeof(*costs));
	const char *src = lt->source ? lt->source : lt->path;
	if (!costs || !(costs->source = strdup(src))) {
		free(costs);
		free(rows);
		return augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
	}
	/* a runtime that holds its blobs across passes faults only in its first: its fresh
	 * pages cost what its rows say, not the machine's rate */
	double fault = augur_framework_holds_blobs(fw->name) ? NAN : p->machine.fault_ms_per_mib;
	rc = augur_layer_costs_fit(rows, n, fw->name, augur_framework_cache_terms(fw),
	                           augur_framework_conv_direct(fw), fault, costs, diag);
	free(rows);
	if (rc) {
		augur_layer_costs_free(costs);
		return rc;
	}
	augur_layer_costs_free(u->costs);
	u->costs = costs;
	return AUGUR_OK;
}

/* The rows cross-validation predicts: per-layer cpu rows of board with a forward time. */
static bool crossval_row(const struct augur_layer_times_row *r, const char *board)
{
	return r->unit == AUGUR_UNIT_CPU && r->n_layers && r->forward_ms > 0 &&
	       !strcmp(r->board, board);
}

/* Predicts row with p: its predicted forward time into *pred and, with touched, the bytes
 * its pass touches (augur_memory.alloc_total) into *touched. */
static int crossval_predict(const struct augur_layer_times *lt,
                            const struct augur_layer_times_row *row, const struct augur_profile *p,
                            double *pred, uint64_t *touched, struct augur_diag *diag)
{
	struct augur_net *net = NULL;
	struct augur_analysis *a = NULL;
	struct augur_unit_estimate e = {0};
	int rc = augur_layer_times_network(lt, row->network, row->line, row->col, &net, diag);
	if (!rc)
		rc = augur_analyze(net, row->batch, &a, diag);
	if (!rc)
		rc = augur_estimate_unit(net, a, p, p->cpu, &e, diag);
	if (!rc) {
		*pred = e.total_ms;
		if (touched)
			*touched = a->memory.alloc_total;
	}
	augur_unit_estimate_clear(&e);
	augur_analysis_free(a);
	augur_net_free(net);
	return rc;
}

/* The pass scale of u's fresh layer costs (struct augur_pass_scale): each fit network's
 * forward time against its prediction, by least squares on the log ratio. Fewer networks
 * than AUGUR_PASS_SCALE_MIN_NETWORKS leave it off. */
static int fit_pass_scale(const struct augur_profile *p, struct augur_unit *u,
                          const struct augur_layer_times *lt, struct augur_diag *diag)
{
	struct augur_pass_scale *s = &u->costs->pass;
	*s = (struct augur_pass_scale){0};
	if (u != p->cpu)
		return AUGUR_OK;
	size_t n = 0;
	for (size_t i = 0; i < lt->n_rows; i++)
		n += crossval_row(&lt->rows[i], p->name);
	if (n < AUGUR_PASS_SCALE_MIN_NETWORKS)
		return AUGUR_OK;
	double *x = calloc(2 * n, sizeof(*x));
	double *sorted = calloc(n, sizeof(*sorted));
	if (!x || !sorted) {
		free(x);
		free(sorted);
		return augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
	}
	double *y = x + n;
	size_t m = 0;
	int rc = AUGUR_OK;
	for (size_t i = 0; i < lt->n_rows && !rc; i++) {
		const struct augur_layer_times_row *r = &lt->rows[i];
		if (!crossval_row(r, p->name))
			continue;
		double pred = 0;
		uint64_t touched = 0;
		rc = crossval_predict(lt, r, p, &pred, &touched, diag);
		if (rc || !(pred > 0) || !touched)
			continue;
		x[m] = log((double)touched);
		y[m] = log(r->forward_ms / pred);
		sorted[m] = x[m];
		m++;
	}
	if (!rc && m >= AUGUR_PASS_SCALE_MIN_NETWORKS) {
		double knee = augur_median_in_place(sorted, m), top = knee;
		/* the hinge: 0 up to the median pass, then log bytes beyond it */
		double sh = 0, sy = 0, shh = 0, shy = 0;
		for (size_t i = 0; i < m; i++) {
			top = x[i] > top ? x[i] : top;
			double h = x[i] > knee ? x[i] - knee : 0;
			sh += h;
			sy += y[i];
			shh += h * h;
			shy += h * y[i];
		}
		double var = shh - sh * sh / (double)m;
		double slope = var > 1e-12 ? (shy - sh * sy / (double)m) / var : 0;
		*s = (struct augur_pass_scale){.networks = (uint32_t)m,
		                               .knee_bytes = exp(knee),
		                               .top_bytes = exp(top),
		                               .intercept = (sy - slope * sh) / (double)m,
		                               .slope = slope};
		if (!(augur_pass_scale_reach(s) <= log(AUGUR_PASS_SCALE_MAX)))
			*s = (struct augur_pass_scale){0};
	}
	free(x);
	free(sorted);
	return rc;
}

static int fit_unit(struct augur_profile *p, struct augur_unit *u,
                    const struct augur_layer_times *lt, struct augur_diag *diag)
{
	int rc;
	if (has_layer_rows(lt, p->name, u->kind)) {
		if (!u->n_samples)
			return augur_diag_set(
			        diag, AUGUR_E_USAGE, lt->path, 0, 0,
			        "per-layer times need a calibrated GEMM model: profile "
			        "'%s' has no %s samples (run augur calibrate first)",
			        p->name, augur_unit_kind_name(u->kind));
	} else if ((rc = fit_gemm(p, u, lt, diag))) {
		snprintf(diag->message + strlen(diag->message),
		         sizeof(diag->message) - strlen(diag->message), " (fitting %s %s)", p->name,
		         augur_unit_kind_name(u->kind));
		return rc;
	}
	if ((rc = fit_costs(p, u, lt, diag)))
		return rc;
	if (u->costs && (rc = fit_pass_scale(p, u, lt, diag)))
		return rc;
	uint64_t overhead, without_conv;
	size_t used;
	struct augur_diag ignored;
	if (augur_layer_times_overhead(lt, p->name, u->kind, p->shared_memory, u->weights_copied,
	                               p->machine.page_bytes, &overhead, &without_conv, &used,
	                               &ignored) == AUGUR_OK) {
		u->framework_overhead_bytes = overhead;
		u->overhead_without_conv_bytes = without_conv;
	}
	return AUGUR_OK;
}

int augur_profile_fit_layer_times(struct augur_profile *p, const struct augur_layer_times *lt,
                                  struct augur_diag *diag)
{
	struct augur_unit *units[2] = {p->cpu, p->gpu};
	int rc = AUGUR_OK;
	/* the layer costs describe the framework the times were measured in, and their
	 * features use its facts (fresh buffers, pool indices) */
	if (lt->framework.name && augur_framework_copy(&p->framework, &lt->framework))
		return augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
	for (int i = 0; i < 2 && !rc; i++)
		if (units[i] && has_rows(lt, p->name, units[i]->kind))
			rc = fit_unit(p, units[i], lt, diag);
	return rc;
}

int augur_profile_crossval(struct augur_profile *p, const struct augur_layer_times *lt,
                           size_t folds, struct augur_crossval *out, struct augur_diag *diag)
{
	*out = (struct augur_crossval){0};
	size_t n = lt->n_rows;
	if (!p->cpu || folds < 2)
		return AUGUR_OK;
	/* fold[i]: the fold of row i's network (SIZE_MAX: not predicted) */
	size_t *fold = calloc(n + 1, sizeof(*fold));
	double *errors = calloc(n + 1, sizeof(*errors));
	struct augur_layer_times_row *kept = calloc(n + 1, sizeof(*kept));
	if (!fold || !errors || !kept) {
		free(fold);
		free(errors);
		free(kept);
		return augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
	}
	size_t networks = 0;
	for (size_t i = 0; i < n; i++) {
		fold[i] = SIZE_MAX;
		if (!crossval_row(&lt->rows[i], p->name))
			continue;
		for (size_t j = 0; j < i && fold[i] == SIZE_MAX; j++)
			if (fold[j] != SIZE_MAX &&
			    !strcmp(lt->rows[j].network, lt->rows[i].network))
				fold[i] = fold[j];
		if (fold[i] == SIZE_MAX)
			fold[i] = networks++ % folds;
	}
	struct augur_unit *u = p->cpu;
	struct augur_layer_costs *costs = u->costs;
	uint64_t overhead = u->framework_overhead_bytes;
	uint64_t without_conv = u->overhead_without_conv_bytes;
	int rc = AUGUR_OK;
	double off_ms = 0, total_ms = 0;
	if (networks < 2 * folds)
		goto out;
	for (size_t k = 0; k < folds && !rc; k++) {
		/* the other folds' rows, and every row that is not predicted (other boards,
		 * per-type sums): a shallow copy that owns nothing */
		struct augur_layer_times sub = *lt;
		sub.rows = kept;
		sub.n_rows = 0;
		for (size_t i = 0; i < n; i++)
			if (fold[i] != k)
				kept[sub.n_rows++] = lt->rows[i];
		u->costs = NULL;
		rc = fit_unit(p, u, &sub, diag);
		for (size_t i = 0; i < n && !rc; i++) {
			if (fold[i] != k)
				continue;
			double pred = 0, meas = lt->rows[i].forward_ms;
			rc = crossval_predict(lt, &lt->rows[i], p, &pred, NULL, diag);
			errors[out->networks++] = fabs(pred / meas - 1);
			off_ms += fabs(pred - meas);
			total_ms += meas;
		}
		augur_layer_costs_free(u->costs);
	}
	if (!rc) {
		out->folds = folds;
		for (size_t i = 0; i < out->networks; i++)
			out->within_10 += errors[i] <= 0.10;
		out->median_error = augur_median_in_place(errors, out->networks);
		out->time_error = off_ms / total_ms;
	} else {
		*out = (struct augur_crossval){0};
	}
out:
	u->costs = costs;
	u->framework_overhead_bytes = overhead;
	u->overhead_without_conv_bytes = without_conv;
	free(fold);
	free(errors);
	free(kept);
	return rc;
}

size_t augur_llc_pick(const uint64_t *sizes, const struct augur_crossval *cv, size_t n)
{
	double best = INFINITY;
	for (size_t i = 0; i < n; i++)
		if (cv[i].folds && cv[i].time_error < best)
			best = cv[i].time_error;
	size_t pick = SIZE_MAX;
	for (size_t i = 0; i < n; i++)
		if (cv[i].folds && cv[i].time_error <= best * (1 + AUGUR_LLC_TIE) &&
		    (pick == SIZE_MAX || sizes[i] > sizes[pick]))
			pick = i;
	return pick;
}

int augur_profile_choose_llc(struct augur_profile *p, const struct augur_layer_times *lt,
                             size_t folds, struct augur_llc_choice *out, struct augur_diag *diag)
{
	struct augur_machine_facts *m = &p->machine;
	const uint64_t before = m->llc_fitted_bytes;
	m->llc_fitted_bytes = 0;
	*out = (struct augur_llc_choice){.measured = augur_machine_llc(m)};
	const uint64_t measured = out->measured ? out->measured : AUGUR_REFERENCE_LLC_BYTES;
	/* between a lower and an upper bound. The measured knee is a lower one: another
	 * program's load on a shared cache makes a streaming read fall to memory speed sooner
	 * (6 MiB measured on a busy machine where the networks behaved as with 48-64), never
	 * later; without one, a quarter of the reported cache. The reported cache is an upper
	 * one (a VM's may be the host's whole L3); without one, four times the knee. */
	uint64_t small = m->llc_effective_bytes ? measured : measured / 4;
	if (m->llc_bytes && !m->llc_effective_bytes && m->llc_bytes / 4 < small)
		small = m->llc_bytes / 4;
	uint64_t top = m->llc_bytes ? (m->llc_bytes > measured ? m->llc_bytes : measured)
	               : measured > (1ull << 30) ? 4ull << 30
	                                         : measured * 4;
	uint64_t sizes[AUGUR_LLC_CANDIDATES + 1];
	size_t n = augur_cache_ladder(small, top, sizes, AUGUR_LLC_CANDIDATES);
	bool has_measured = false;
	for (size_t i = 0; i < n; i++)
		has_measured |= sizes[i] == measured;
	if (!has_measured)
		sizes[n++] = measured;
	struct augur_diag first = {0};
	int first_rc = AUGUR_OK;
	struct augur_crossval cvs[AUGUR_LLC_CANDIDATES + 1] = {0};
	for (size_t i = 0; i < n; i++) {
		struct augur_diag d = {0};
		m->llc_fitted_bytes = sizes[i];
		int rc = augur_profile_crossval(p, lt, folds, &cvs[i], &d);
		if (rc) {
			cvs[i] = (struct augur_crossval){0}; /* passed over */
			if (!first_rc) {
				first_rc = rc;
				first = d;
			}
			continue;
		}
		if (!cvs[i].folds)
			break; /* too few networks: the same at every size */
		out->tried++;
		if (sizes[i] == measured)
			out->at_measured = cvs[i];
	}
	size_t pick = augur_llc_pick(sizes, cvs, n);
	if (pick != SIZE_MAX) {
		out->chosen = sizes[pick];
		out->at_chosen = cvs[pick];
	}
	if (!out->chosen) {
		m->llc_fitted_bytes = before;
		if (first_rc) {
			*diag = first;
			return first_rc;
		}
		return AUGUR_OK;
	}
	m->llc_fitted_bytes = out->chosen;
	int rc = augur_profile_fit_layer_times(p, lt, diag);
	if (rc) {
		/* the fit on every network failed where the folds' did not: keep the costs p
		 * had, with the size they were fitted at */
		m->llc_fitted_bytes = before;
		out->chosen = 0;
	}
	return rc;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int augur_profile_from_layer_times(const struct augur_layer_times *lt, const char *board,
                                   struct augur_profile **out, struct augur_diag *diag)
{
	*out = NULL;
	const struct augur_board *b = find_board(lt, board);
	if (!b)
		return augur_diag_set(diag, AUGUR_E_USAGE, lt->path, 0, 0,
		                      "no board '%s' under 'boards:'", board);
	struct augur_profile *p = augur_profile_new();
	if (!p)
		return augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
	char source[512];
	snprintf(source, sizeof(source), "fitted by augur fit --layer-times %s (%s)", lt->path,
	         lt->source ? lt->source : "layer times");
	p->name = strdup(board);
	p->description = strdup(b->description);
	p->source = strdup(source);
	p->augur_version = strdup(AUGUR_VERSION);
	char date[32];
	time_t now = time(NULL);
	struct tm tmv;
	strftime(date, sizeof(date), "%Y-%m-%d", gmtime_r(&now, &tmv));
	p->created = strdup(date);
	p->cpu_model = strdup(b->cpu);
	p->ram_bytes = b->ram_bytes;
	p->cpu_cores = b->cores;
	p->pointer_bits = b->pointer_bits;
	/* boards described by layer-time files are SoCs whose GPU shares the RAM, timed in
	 * Caffe (the paper's framework, whose libraries the units name below) */
	p->shared_memory = true;
	p->framework.name = strdup("caffe");
	int rc = AUGUR_OK;
	if (!p->name || !p->description || !p->source || !p->augur_version || !p->cpu_model ||
	    !p->created || !p->framework.name)
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
	for (int k = 0; k < 2 && !rc; k++) {
		enum augur_unit_kind kind = k ? AUGUR_UNIT_GPU : AUGUR_UNIT_CPU;
		if (!has_rows(lt, board, kind))
			continue;
		struct augur_unit *u = augur_unit_new(kind);
		if (!u) {
			rc = augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
			break;
		}
		u->library = dup_or_null(kind ? "cuBLAS (as used by Caffe)"
		                              : "OpenBLAS (as used by Caffe)");
		u->processor = dup_or_null(kind ? b->gpu : b->cpu);
		u->memory_bytes = b->ram_bytes;
		u->weights_copied = kind == AUGUR_UNIT_GPU;
		if (kind)
			p->gpu = u;
		else
			p->cpu = u;
	}
	if (!rc)
		rc = augur_profile_fit_layer_times(p, lt, diag);
	if (rc) {
		augur_profile_free(p);
		return rc;
	}
	*out = p;
	return AUGUR_OK;
}
