/* augur estimate: the user's main command. descriptor -> analysis -> estimate per unit of a
 * device profile -> report (table, json or csv). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "cli.h"
#include "options.h"
#include "estimate.h"
#include "evaluate.h"
#include "jsonw.h"
#include "netfile.h"
#include "profile.h"
#include "table.h"

struct run {
	const struct augur_net *net;
	const struct augur_analysis *a;
	const struct augur_profile *p;
	const char *profile_path;
	size_t n_units;
	const struct augur_unit_estimate *est; /* n_units entries */
};

static double throughput(const struct run *r, const struct augur_unit_estimate *e)
{
	return e->total_ms > 0 ? 1000.0 * r->a->batch / e->total_ms : 0.0;
}

static double v_total(const struct run *r, const struct augur_unit_estimate *e)
{
	(void)r;
	return e->total_ms;
}
static double v_gemm(const struct run *r, const struct augur_unit_estimate *e)
{
	(void)r;
	return e->gemm_ms;
}
static double v_memory(const struct run *r, const struct augur_unit_estimate *e)
{
	(void)r;
	return e->memory_ms;
}
static double v_other(const struct run *r, const struct augur_unit_estimate *e)
{
	(void)r;
	return e->other_ms;
}
static double v_conv(const struct run *r, const struct augur_unit_estimate *e)
{
	(void)r;
	return e->type_ms[AUGUR_LAYER_CONV];
}
static double v_fc(const struct run *r, const struct augur_unit_estimate *e)
{
	(void)r;
	return e->type_ms[AUGUR_LAYER_FC];
}
static double v_rate(const struct run *r, const struct augur_unit_estimate *e)
{
	return throughput(r, e);
}
static double v_model(const struct run *r, const struct augur_unit_estimate *e)
{
	(void)r;
	return cli_mib(e->model_bytes);
}
static double v_overhead(const struct run *r, const struct augur_unit_estimate *e)
{
	(void)r;
	return cli_mib(e->overhead_bytes);
}
static double v_copy(const struct run *r, const struct augur_unit_estimate *e)
{
	(void)r;
	return cli_mib(e->weights_copy_bytes);
}
static double v_mem(const struct run *r, const struct augur_unit_estimate *e)
{
	(void)r;
	return cli_mib(e->memory_bytes);
}
static double v_cap(const struct run *r, const struct augur_unit_estimate *e)
{
	(void)r;
	return cli_mib(e->capacity_bytes);
}

/* Columns made for the units present: a label or name and type, then per unit. */
#define MAX_COLS (3 + 2 * 2)
struct unit_cols {
	struct tbl_col col[MAX_COLS];
	size_t n;
};

/* The side-by-side unit table: a row per quantity, a column per unit, each value in its
 * row's format (cli_cell). */
static int print_summary(const struct run *r)
{
	static const struct {
		const char *label, *fmt;
		double (*value)(const struct run *, const struct augur_unit_estimate *);
	} rows[] = {
	        {"forward time (ms)", NULL, v_total},
	        {"  GEMM (ms)", NULL, v_gemm},
	        {"  memory-bound (ms)", NULL, v_memory},
	        {"  other: per-call (ms)", NULL, v_other},
	        {"  conv layers (ms)", NULL, v_conv},
	        {"  fc layers (ms)", NULL, v_fc},
	        {"throughput (inferences/s)", "%.2f", v_rate},
	        {"memory needed (MiB)", "%.1f", v_mem},
	        {"  network, allocated view", "%.1f", v_model},
	        {"  framework overhead", "%.1f", v_overhead},
	        {"  second copy of weights", "%.1f", v_copy},
	        {"memory available (MiB)", "%.0f", v_cap},
	};
	struct unit_cols uc = {.n = 1};
	uc.col[0] = (struct tbl_col){
	        .head = "", .kind = TBL_TEXT, .left = true, .min_width = 28, .fixed = true};
	for (size_t u = 0; u < r->n_units; u++)
		uc.col[uc.n++] =
		        (struct tbl_col){.head = augur_unit_kind_name(r->est[u].unit->kind),
		                         .kind = TBL_TEXT,
		                         .min_width = 14,
		                         .fixed = true};
	struct tbl *t = tbl_new(uc.col, uc.n);
	for (size_t i = 0; t && i < sizeof(rows) / sizeof(rows[0]); i++) {
		tbl_row(t);
		/* every unit of a profile follows its one framework's memory view */
		enum augur_memory_view view =
		        r->n_units ? r->est[0].memory_view : AUGUR_VIEW_ALLOCATED;
		tbl_text(t, rows[i].value != v_model     ? rows[i].label
		            : view == AUGUR_VIEW_MINIMAL ? "  network, minimal view"
		            : view == AUGUR_VIEW_HEAP    ? "  network, heap view"
		                                         : rows[i].label);
		for (size_t u = 0; u < r->n_units; u++) {
			char cell[32];
			cli_cell(cell, sizeof(cell), rows[i].fmt, rows[i].value(r, &r->est[u]));
			tbl_text(t, cell);
		}
	}
	int rc = t ? tbl_print_text(t, stdout, INT32_MAX, 2) : -1;
	tbl_free(t);
	return rc;
}

/* The per-layer table: the name column takes what the units leave of the terminal's
 * width (12 to 28 characters); per unit the time ('*' GEMM outside the calibrated range,
 * '+' outside the cost model's data, '-' not costed) and its share; the live memory. */
static int print_layers(const struct run *r)
{
	cli_wrap(stdout, 0,
	         "per layer (ms; '*' GEMM outside the calibrated range, '+' outside the cost "
	         "model's data, '~' page faults that may not happen, '-' not costed)");
	int name = cli_width() - 2 - 10 - (int)r->n_units * 17 - 9;
	name = name < 12 ? 12 : name > 28 ? 28 : name;
	struct unit_cols uc = {.n = 0};
	uc.col[uc.n++] = (struct tbl_col){.head = "layer",
	                                  .kind = TBL_TEXT,
	                                  .left = true,
	                                  .min_width = name,
	                                  .max_width = name};
	uc.col[uc.n++] = (struct tbl_col){
	        .head = "type", .kind = TBL_TEXT, .left = true, .min_width = 9, .fixed = true};
	for (size_t u = 0; u < r->n_units; u++) {
		uc.col[uc.n++] =
		        (struct tbl_col){.head = augur_unit_kind_name(r->est[u].unit->kind),
		                         .kind = TBL_TEXT,
		                         .min_width = 9,
		                         .fixed = true};
		uc.col[uc.n++] = (struct tbl_col){.head = "share",
		                                  .kind = TBL_DOUBLE,
		                                  .min_width = 6,
		                                  .fixed = true,
		                                  .fmt = "%.1f%%"};
	}
	uc.col[uc.n++] = (struct tbl_col){.head = "live MiB",
	                                  .kind = TBL_DOUBLE,
	                                  .min_width = 8,
	                                  .fixed = true,
	                                  .fmt = "%.2f"};
	struct tbl *t = tbl_new(uc.col, uc.n);
	for (size_t i = 0; t && i < r->a->n_layers; i++) {
		tbl_row(t);
		tbl_text(t, r->net->layers[i].name);
		tbl_text(t, augur_layer_type_name(r->net->layers[i].type));
		for (size_t u = 0; u < r->n_units; u++) {
			const struct augur_unit_estimate *e = &r->est[u];
			const struct augur_layer_estimate *le = &e->layers[i];
			char cell[32];
			char marks[4];
			if (!le->costed)
				snprintf(cell, sizeof(cell), "-");
			else
				snprintf(cell, sizeof(cell), "%.3f%s", le->time_ms,
				         cli_layer_marks(marks, le));
			tbl_text(t, cell);
			tbl_double(t, e->total_ms > 0 ? 100.0 * le->time_ms / e->total_ms : 0);
		}
		tbl_double(t, cli_mib(r->a->layers[i].live_bytes));
	}
	int rc = t ? tbl_print_text(t, stdout, INT32_MAX, 2) : -1;
	tbl_free(t);
	return rc;
}

static int print_table(const struct run *r, bool layers)
{
	/* one line of the terminal's width: the profile's provenance is profile show's */
	char head[1024], line[1100];
	snprintf(head, sizeof(head), "%s on %s: %s", r->net->name, r->p->name,
	         r->p->description ? r->p->description : "");
	cli_cut(line, sizeof(line), head, cli_width());
	printf("%s\nprofile: %s\n", line, r->profile_path);
	char fw[512], fwline[600];
	if (augur_framework_describe(&r->p->framework, fw, sizeof(fw))) {
		snprintf(head, sizeof(head), "times for: %s", fw);
		cli_cut(fwline, sizeof(fwline), head, cli_width());
		printf("%s\n", fwline);
	}
	char shape[64];
	cli_shape(shape, sizeof(shape), &r->a->input);
	printf("input %s, batch %u, %zu layers\n", shape, r->a->batch, r->a->n_layers);
	/* a partial model is said before its numbers, not after them */
	for (size_t u = 0; u < r->n_units; u++) {
		cli_print_uncosted(stdout, "", &r->est[u]);
		cli_print_extrapolated(stdout, "", &r->est[u]);
	}
	printf("\n");
	if (print_summary(r) < 0)
		return -1;
	printf("\n");
	for (size_t u = 0; u < r->n_units; u++) {
		const struct augur_unit_estimate *e = &r->est[u];
		const char *unit = augur_unit_kind_name(e->unit->kind);
		if (!e->capacity_bytes)
			printf("%s: memory verdict unknown (the profile gives no capacity)\n",
			       unit);
		else if (e->fits)
			printf("%s: fits in %.0f MiB, %.1f MiB to spare\n", unit,
			       cli_mib(e->capacity_bytes),
			       cli_mib(e->capacity_bytes - e->memory_bytes));
		else
			printf("%s: does NOT fit in %.0f MiB: %.1f MiB short\n", unit,
			       cli_mib(e->capacity_bytes),
			       cli_mib(e->memory_bytes - e->capacity_bytes));
		cli_print_memory_high(stdout, e);
	}
	printf("\n");
	for (size_t u = 0; u < r->n_units; u++) {
		const struct augur_unit_estimate *e = &r->est[u];
		const char *unit = augur_unit_kind_name(e->unit->kind);
		if (e->whole_network) {
			char line[256];
			snprintf(line, sizeof(line),
			         "%s: every layer costed (GEMM model + layer costs; what they were "
			         "fitted from: augur profile show %s)",
			         unit, r->p->name);
			cli_wrap(stdout, 2, line);
		}
		if (e->pass_scale != 1) {
			char line[256];
			snprintf(line, sizeof(line),
			         "%s: layer times x %.3f for a pass of %.0f MiB (the pass scale "
			         "fitted on %u networks' forward times)",
			         unit, e->pass_scale, cli_mib(r->a->memory.alloc_total),
			         e->unit->costs->pass.networks);
			cli_wrap(stdout, 2, line);
		}
		char checked[512];
		if (e->unit->costs &&
		    cli_cost_check(&e->unit->costs->checked, checked, sizeof(checked))) {
			char line[600];
			snprintf(line, sizeof(line), "%s: accuracy of these costs: %s", unit,
			         checked);
			cli_wrap(stdout, 2, line);
		}
	}
	return layers && print_layers(r) < 0 ? -1 : 0;
}

/* The device: the profile's name, file and what it says of the board. */
static void json_device(struct jsonw *w, const struct run *r)
{
	const struct augur_profile *p = r->p;
	jw_object(w, "device", true);
	jw_string(w, "name", p->name);
	jw_string(w, "profile", r->profile_path);
	jw_string(w, "description", p->description ? p->description : "");
	jw_string(w, "source", p->source ? p->source : "");
	jw_string(w, "created", p->created ? p->created : "");
	jw_uint(w, "ram_bytes", p->ram_bytes);
	jw_bool(w, "shared_memory", p->shared_memory);
	cli_json_framework(w, &p->framework);
	jw_end(w);
}

/* A unit's time: the totals, per type, and how much of it its profile backs. */
static void json_time(struct jsonw *w, const struct run *r, const struct augur_unit_estimate *e)
{
	jw_object(w, "time", true);
	jw_double(w, "total_ms", e->total_ms);
	jw_double(w, "gemm_ms", e->gemm_ms);
	jw_double(w, "memory_ms", e->memory_ms);
	jw_double(w, "other_ms", e->other_ms);
	jw_double(w, "throughput_per_s", throughput(r, e));
	jw_string(w, "method", e->unit->costs ? "layer-costs" : "gemm-sum");
	jw_bool(w, "whole_network", e->whole_network);
	jw_double(w, "pass_scale", e->pass_scale);
	jw_object(w, "by_type_ms", true);
	for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++)
		if (r->a->by_type[t].layers)
			jw_double(w, augur_layer_type_name(t), e->type_ms[t]);
	jw_end(w);
	char types[256];
	cli_uncosted_types(e, types, sizeof(types));
	jw_uint(w, "layers_uncosted", e->layers_uncosted);
	jw_string(w, "uncosted_types", types);
	jw_uint(w, "gemms_outside_range", e->gemms_outside_range);
	jw_uint(w, "layers_outside_costs", e->layers_outside_costs);
	jw_uint(w, "layers_outside_calls", e->layers_outside_calls);
	jw_uint(w, "calls_max", e->calls_max);
	jw_uint(w, "calls_fitted_max", e->unit->calls_fitted_max);
	jw_uint(w, "layers_faults_unsure", e->layers_faults_unsure);
	jw_double(w, "faults_unsure_ms", e->faults_unsure_ms);
	cli_json_cost_check(w, e->unit->costs);
	jw_end(w);
}

static void json_memory(struct jsonw *w, const struct augur_unit_estimate *e)
{
	jw_object(w, "memory", true);
	jw_string(w, "view", augur_memory_view_name(e->memory_view));
	jw_uint(w, "model_bytes", e->model_bytes);
	jw_uint(w, "overhead_bytes", e->overhead_bytes);
	jw_uint(w, "weights_copy_bytes", e->weights_copy_bytes);
	jw_uint(w, "total_bytes", e->memory_bytes);
	jw_uint(w, "hole_bytes", e->memory_hole_bytes);
	jw_uint(w, "high_bytes", e->memory_high_bytes);
	jw_uint(w, "capacity_bytes", e->capacity_bytes);
	jw_bool(w, "fits", e->fits);
	jw_end(w);
}

/* A unit's layers in JSON: its estimate of each, and the analysis' memory of it. */
static const struct tbl_col json_layer_cols[] = {
        {.key = "name", .kind = TBL_TEXT},          {.key = "type", .kind = TBL_TEXT},
        {.key = "time_ms", .kind = TBL_DOUBLE},     {.key = "gemm_ms", .kind = TBL_DOUBLE},
        {.key = "memory_ms", .kind = TBL_DOUBLE},   {.key = "other_ms", .kind = TBL_DOUBLE},
        {.key = "costed", .kind = TBL_BOOL},        {.key = "outside_range", .kind = TBL_BOOL},
        {.key = "outside_costs", .kind = TBL_BOOL}, {.key = "live_bytes", .kind = TBL_UINT},
        {.key = "fresh_bytes", .kind = TBL_UINT},   {.key = "faults_unsure_ms", .kind = TBL_DOUBLE},
};

static int json_layers(struct jsonw *w, const struct run *r, const struct augur_unit_estimate *e,
                       const struct augur_thresholds *th)
{
	struct tbl *t =
	        tbl_new(json_layer_cols, sizeof(json_layer_cols) / sizeof(json_layer_cols[0]));
	for (size_t i = 0; t && i < e->n_layers; i++) {
		const struct augur_layer_estimate *le = &e->layers[i];
		tbl_row(t);
		tbl_text(t, r->net->layers[i].name);
		tbl_text(t, augur_layer_type_name(r->net->layers[i].type));
		tbl_double(t, le->time_ms);
		tbl_double(t, le->split_ms[AUGUR_COST_GEMM]);
		tbl_double(t, le->split_ms[AUGUR_COST_MEMORY]);
		tbl_double(t, le->split_ms[AUGUR_COST_OTHER]);
		tbl_uint(t, le->costed);
		tbl_uint(t, le->outside_range);
		tbl_uint(t, le->outside_costs);
		tbl_uint(t, r->a->layers[i].live_bytes);
		tbl_uint(t, augur_layer_fresh_bytes(r->net, r->a, i, th));
		tbl_double(t, le->faults_unsure_ms);
	}
	jw_rows(w, "layers", 2, true);
	int rc = t ? tbl_write_json_rows(t, w) : -1;
	jw_end(w);
	tbl_free(t);
	return rc;
}

/* The estimate as JSON (docs/output.md): each unit's object keeps its members in
 * groups, one line each under its first (a hanging indent), its layers a row each. */
static int print_json(const struct run *r)
{
	struct augur_thresholds th;
	augur_profile_thresholds(r->p, &th);
	struct jsonw *w = jw_new(stdout);
	if (!w)
		return -1;
	int rc = 0;
	jw_net(w, r->net);
	jw_uint(w, "batch", r->a->batch);
	json_device(w, r);
	jw_array(w, "units", false);
	for (size_t u = 0; u < r->n_units; u++) {
		const struct augur_unit_estimate *e = &r->est[u];
		jw_object(w, NULL, true);
		jw_string(w, "unit", augur_unit_kind_name(e->unit->kind));
		jw_string(w, "library", e->unit->library ? e->unit->library : "");
		jw_string(w, "processor", e->unit->processor ? e->unit->processor : "");
		jw_break(w);
		json_time(w, r, e);
		jw_break(w);
		json_memory(w, e);
		jw_break(w);
		rc |= json_layers(w, r, e, &th);
		jw_end(w);
	}
	jw_end(w);
	jw_end(w);
	jw_free(w);
	return rc;
}

/* One row per unit and layer (docs/output.md). */
static const struct tbl_col csv_cols[] = {
        {.key = "unit", .kind = TBL_TEXT},          {.key = "index", .kind = TBL_UINT},
        {.key = "name", .kind = TBL_TEXT},          {.key = "type", .kind = TBL_TEXT},
        {.key = "time_ms", .kind = TBL_DOUBLE},     {.key = "costed", .kind = TBL_BOOL},
        {.key = "outside_range", .kind = TBL_BOOL}, {.key = "share", .kind = TBL_DOUBLE},
        {.key = "live_bytes", .kind = TBL_UINT},    {.key = "gemm_ms", .kind = TBL_DOUBLE},
        {.key = "memory_ms", .kind = TBL_DOUBLE},   {.key = "other_ms", .kind = TBL_DOUBLE},
        {.key = "outside_costs", .kind = TBL_BOOL}, {.key = "faults_unsure_ms", .kind = TBL_DOUBLE},
};

static int print_csv(const struct run *r)
{
	struct tbl *t = tbl_new(csv_cols, sizeof(csv_cols) / sizeof(csv_cols[0]));
	for (size_t u = 0; t && u < r->n_units; u++) {
		const struct augur_unit_estimate *e = &r->est[u];
		for (size_t i = 0; i < e->n_layers; i++) {
			const struct augur_layer_estimate *le = &e->layers[i];
			tbl_row(t);
			tbl_text(t, augur_unit_kind_name(e->unit->kind));
			tbl_uint(t, i);
			tbl_text(t, r->net->layers[i].name);
			tbl_text(t, augur_layer_type_name(r->net->layers[i].type));
			tbl_double(t, le->time_ms);
			tbl_uint(t, le->costed);
			tbl_uint(t, le->outside_range);
			tbl_double(t, e->total_ms > 0 ? le->time_ms / e->total_ms : 0.0);
			tbl_uint(t, r->a->layers[i].live_bytes);
			tbl_double(t, le->split_ms[AUGUR_COST_GEMM]);
			tbl_double(t, le->split_ms[AUGUR_COST_MEMORY]);
			tbl_double(t, le->split_ms[AUGUR_COST_OTHER]);
			tbl_uint(t, le->outside_costs);
			tbl_double(t, le->faults_unsure_ms);
		}
	}
	int rc = t ? tbl_print_csv(t, stdout) : -1;
	tbl_free(t);
	return rc;
}

struct estimate_args {
	const char *device, *unit;
	bool layers;
	uint64_t batch;
	enum cli_format format;
};

static const struct cli_opt estimate_opts[] = {
        CLI_DEVICE(struct estimate_args, device),
        CLI_UNITS(struct estimate_args, unit),
        CLI_FLAG("layers", struct estimate_args, layers,
                 "add the per-layer table: time per unit, share, live memory"),
        CLI_BATCH(struct estimate_args, batch),
        CLI_FORMAT(struct estimate_args, format,
                   "table, json (every figure) or csv (per layer); docs/output.md"),
        CLI_END,
};

const struct cli_spec cmd_estimate_spec = {"estimate", estimate_opts, 1, 1, "a descriptor", true};

int cmd_estimate(int argc, char **argv)
{
	struct estimate_args a = {.unit = "all", .format = CLI_TABLE};
	char **args;
	int n_args;
	if (cli_parse(&cmd_estimate_spec, argc, argv, &a, &args, &n_args))
		return CLI_USAGE;
	struct augur_diag diag = {0};
	struct eval_request req = {.net_path = args[0],
	                           .device = a.device,
	                           .unit = a.unit,
	                           .batch = (uint32_t)a.batch,
	                           .estimate = true};
	struct evaluated ev = {0};
	int rc = CLI_OK;
	if (eval_open(&req, &ev, &diag)) {
		rc = cli_report(&diag);
		goto out;
	}
	struct run r = {ev.net, ev.ev.a, ev.p, ev.profile_path, ev.n_units, ev.ev.est};
	int printed = a.format == CLI_JSON  ? print_json(&r)
	              : a.format == CLI_CSV ? print_csv(&r)
	                                    : print_table(&r, a.layers);
	if (printed)
		rc = cli_error("estimate", "out of memory");
out:
	eval_close(&ev);
	return rc;
}
