/* augur plan: where to run each layer on a board with a CPU and a GPU. descriptor ->
 * analysis -> plan (src/core/plan.c: single unit, per-layer split, the very-deep-CNNs
 * Rallapalli et al.'s remedies when the GPU lacks memory) -> report (table, json or csv). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "cli.h"
#include "options.h"
#include "descriptor.h"
#include "evaluate.h"
#include "jsonw.h"
#include "netfile.h"
#include "plan.h"
#include "table.h"

struct report {
	const struct augur_net *net;
	const struct augur_analysis *a;
	const struct augur_profile *p;
	const char *profile_path;
	const struct augur_plan *plan;
};

static const char *unit_name(enum augur_unit_kind k)
{
	return augur_unit_kind_name(k);
}

/* "conv1 .. pool5" */
static void span(const struct augur_net *net, size_t from, size_t to, char *buf, size_t size)
{
	if (from == to)
		snprintf(buf, size, "%s", net->layers[from].name);
	else
		snprintf(buf, size, "%s .. %s", net->layers[from].name, net->layers[to].name);
}

static const char *option_label(const struct report *r, enum augur_plan_kind k, char *buf,
                                size_t size)
{
	const struct augur_plan *pl = r->plan;
	switch (k) {
	case AUGUR_PLAN_CPU:
		return "cpu only";
	case AUGUR_PLAN_GPU:
		return "gpu only";
	case AUGUR_PLAN_SPLIT:
		return "per-layer split";
	case AUGUR_PLAN_FC_OFFLOAD:
		snprintf(buf, size, "fc offload (%.20s on, pipelined)",
		         r->net->layers[pl->offload_from].name);
		return buf;
	case AUGUR_PLAN_SPLIT_FC:
		snprintf(buf, size, "split fc (%.20s in %u parts)",
		         r->net->layers[pl->split_fc_layer].name, pl->split_fc_parts);
		return buf;
	default:
		return "?";
	}
}

static void print_runs(const struct report *r)
{
	const struct augur_plan *pl = r->plan;
	size_t n = pl->n_layers, runs = 0, start = 0;
	for (size_t i = 1; i <= n; i++) {
		if (i < n && pl->placement[i] == pl->placement[start])
			continue;
		if (runs < 12) {
			char s[160];
			span(r->net, start, i - 1, s, sizeof(s));
			printf("  %-3s %s (%zu layer%s)\n", unit_name(pl->placement[start]), s,
			       i - start, i - start == 1 ? "" : "s");
		}
		runs++;
		start = i;
	}
	if (runs > 12)
		printf("  ... %zu more runs (see --layers)\n", runs - 12);
}

/* One row per layer: its time on each unit (null without the unit; "-" in the table when
 * the unit does not cost it) and the unit the plan runs it on. */
static const struct tbl_col layer_cols[] = {
        {.key = "index", .kind = TBL_UINT, .in = TBL_IN_CSV | TBL_IN_JSON},
        {.head = "layer",
         .key = "name",
         .kind = TBL_TEXT,
         .left = true,
         .min_width = 24,
         .max_width = 24},
        {.head = "type",
         .key = "type",
         .kind = TBL_TEXT,
         .left = true,
         .min_width = 9,
         .fixed = true},
        {.head = "cpu",
         .key = "cpu_ms",
         .kind = TBL_DOUBLE,
         .min_width = 10,
         .fixed = true,
         .fmt = "%.3f"},
        {.head = "gpu",
         .key = "gpu_ms",
         .kind = TBL_DOUBLE,
         .min_width = 10,
         .fixed = true,
         .fmt = "%.3f"},
        {.head = "runs on", .key = "unit", .kind = TBL_TEXT, .left = true, .gap = 2},
};

static struct tbl *layer_table(const struct report *r)
{
	const struct augur_plan *pl = r->plan;
	struct tbl *t = tbl_new(layer_cols, sizeof(layer_cols) / sizeof(layer_cols[0]));
	for (size_t i = 0; t && i < pl->n_layers; i++) {
		tbl_row(t);
		tbl_uint(t, i);
		tbl_text(t, r->net->layers[i].name);
		tbl_text(t, augur_layer_type_name(r->net->layers[i].type));
		const struct augur_unit_estimate *e[2] = {pl->cpu, pl->gpu};
		for (int u = 0; u < 2; u++) {
			if (!e[u]) {
				tbl_null(t);
				tbl_show(t, "n/a");
				continue;
			}
			tbl_double(t, e[u]->layers[i].time_ms);
			if (!e[u]->layers[i].costed)
				tbl_show(t, "-");
		}
		tbl_text(t, unit_name(pl->placement[i]));
	}
	return t;
}

static int print_layers(const struct report *r)
{
	struct tbl *t = layer_table(r);
	printf("\nper layer (ms; '-' not costed)\n");
	int rc = t ? tbl_print_text(t, stdout, INT32_MAX, 2) : -1;
	tbl_free(t);
	return rc;
}

/* The remedies of Rallapalli et al. when the network does not fit in the GPU's memory. */
static void print_remedies(const struct report *r)
{
	const struct augur_plan *pl = r->plan;
	const struct augur_profile *p = r->p;
	char fit[256];
	cli_wrapf(
	        stdout, 2,
	        "\ngpu: does NOT fit in %.0f MiB (%.1f MiB short); the remedies Rallapalli et al. "
	        "measured:",
	        cli_mib(pl->gpu->capacity_bytes),
	        cli_mib(pl->gpu->memory_bytes - pl->gpu->capacity_bytes));
	const struct augur_plan_option *o = &pl->option[AUGUR_PLAN_FC_OFFLOAD];
	if (o->available) {
		if (p->shared_memory)
			snprintf(fit, sizeof(fit),
			         "%.1f MiB in all, the cpu's %.1f MiB of weights held once: %s",
			         cli_mib(o->memory_bytes), cli_mib(pl->offload_cpu_bytes),
			         o->fits ? "fits" : "does NOT fit");
		else
			snprintf(fit, sizeof(fit),
			         "the gpu holds %.1f MiB, the cpu %.1f MiB of weights: %s",
			         cli_mib(pl->offload_gpu_bytes), cli_mib(pl->offload_cpu_bytes),
			         o->fits ? "both fit" : "does NOT fit");
		cli_wrapf(
		        stdout, 4,
		        "  fc offload: gpu runs %s .. %s (%.1f ms) while the cpu runs %s .. %s of the "
		        "frame before (%.1f ms): %.1f ms a frame, %.1f ms latency; %s",
		        r->net->layers[0].name, r->net->layers[pl->offload_from - 1].name,
		        pl->offload_gpu_ms, r->net->layers[pl->offload_from].name,
		        r->net->layers[pl->n_layers - 1].name, pl->offload_cpu_ms, o->time_ms,
		        o->latency_ms, fit);
	} else {
		cli_wrapf(stdout, 4, "  fc offload: not possible: %s",
		          augur_plan_reason_text(pl->reason[AUGUR_PLAN_FC_OFFLOAD]));
	}
	o = &pl->option[AUGUR_PLAN_SPLIT_FC];
	if (!o->available) {
		cli_wrapf(stdout, 4, "  split fc: not possible: %s",
		          augur_plan_reason_text(pl->reason[AUGUR_PLAN_SPLIT_FC]));
		return;
	}
	const struct augur_layer_stats *s = &r->a->layers[pl->split_fc_layer];
	cli_wrapf(
	        stdout, 4,
	        "  split fc: %s's [%llu x %llu] . [%llu x %llu] GEMM as %u parts, %.1f ms instead "
	        "of %.1f; resident weights %.1f MiB instead of %.1f: %.1f ms a frame, %.1f MiB: "
	        "%s",
	        r->net->layers[pl->split_fc_layer].name, (unsigned long long)s->gemm.n,
	        (unsigned long long)s->gemm.k, (unsigned long long)s->gemm.k,
	        (unsigned long long)s->gemm.m, pl->split_fc_parts, pl->split_fc_ms,
	        pl->gpu->layers[pl->split_fc_layer].time_ms, cli_mib(pl->split_fc_part_bytes),
	        cli_mib(pl->split_fc_weights_bytes), o->time_ms, cli_mib(o->memory_bytes),
	        o->fits ? "fits" : "does NOT fit");
	cli_wrap(stdout, 4,
	         "    (compute only: Rallapalli et al. read each part from storage every frame, "
	         "10.2 s a frame for YOLO on a TK1 against 0.42 s pipelined)");
}

static int print_table(const struct report *r, bool layers)
{
	const struct augur_plan *pl = r->plan;
	const struct augur_profile *p = r->p;
	char head[1024], line[1100];
	snprintf(head, sizeof(head), "%s on %s: %s", r->net->name, p->name,
	         p->description ? p->description : "");
	cli_cut(line, sizeof(line), head, cli_width());
	printf("%s\nbatch %u, %zu layer%s; ", line, r->a->batch, r->a->n_layers,
	       r->a->n_layers == 1 ? "" : "s");
	if (pl->cpu && pl->gpu)
		printf("%s\n\n", p->shared_memory ? "CPU and GPU share the RAM"
		                                  : "CPU and GPU have separate memories");
	else
		printf("the profile has only a %s unit\n\n", pl->cpu ? "cpu" : "gpu");
	/* 80 columns: the label takes 32 */
	printf("  %-32s %9s %9s %9s %9s  %s\n", "plan", "ms/frame", "frames/s", "latency", "MiB",
	       "fits");
	for (int k = 0; k < AUGUR_PLAN_KIND_COUNT; k++) {
		const struct augur_plan_option *o = &pl->option[k];
		if (!o->available)
			continue;
		char buf[160], label[160];
		cli_cut(label, sizeof(label),
		        option_label(r, (enum augur_plan_kind)k, buf, sizeof(buf)), 32);
		printf("  %s%*s %9.1f %9.2f %9.1f %9.1f  %s%s\n", label, 32 - cli_chars(label), "",
		       o->time_ms, o->time_ms > 0 ? 1000.0 * r->a->batch / o->time_ms : 0.0,
		       o->latency_ms, cli_mib(o->memory_bytes), o->fits ? "yes" : "NO",
		       o->capacity_bytes ? "" : " (capacity unknown)");
	}
	printf("\n");
	if (pl->best == AUGUR_PLAN_KIND_COUNT) {
		const struct augur_plan_option *o = &pl->option[pl->single];
		printf("nothing fits: the fastest single unit, the %s, needs %.1f MiB of %.0f MiB\n",
		       augur_plan_kind_name(pl->single), cli_mib(o->memory_bytes),
		       cli_mib(o->capacity_bytes));
	} else {
		const struct augur_plan_option *o = &pl->option[pl->best];
		char buf[160], latency[64] = "", memory[64] = "";
		if (o->latency_ms != o->time_ms)
			snprintf(latency, sizeof(latency), " (%.1f ms latency)", o->latency_ms);
		if (o->capacity_bytes)
			snprintf(memory, sizeof(memory), ", %.1f of %.0f MiB",
			         cli_mib(o->memory_bytes), cli_mib(o->capacity_bytes));
		cli_wrapf(stdout, 2, "recommended: %s: %.1f ms a frame%s%s",
		          option_label(r, pl->best, buf, sizeof(buf)), o->time_ms, latency, memory);
	}
	/* a unit's peak that may settle higher in another process (its estimate's high end) */
	for (size_t u = 0; u < pl->n_units; u++)
		cli_print_memory_high(stdout, &pl->est[u]);

	/* the split, or why there is none */
	if (pl->option[AUGUR_PLAN_SPLIT].available) {
		printf("\nsplit: %u layers on the cpu, %u on the gpu, %u switches:\n",
		       pl->split_layers[AUGUR_UNIT_CPU], pl->split_layers[AUGUR_UNIT_GPU],
		       pl->split_switches);
		print_runs(r);
	} else if (pl->cpu && pl->gpu) {
		printf("\nno split: %s\n", augur_plan_reason_text(pl->reason[AUGUR_PLAN_SPLIT]));
	}

	/* the remedies, exactly when the GPU does not fit */
	if (pl->gpu && !pl->gpu->fits)
		print_remedies(r);
	bool noted = false;
	for (size_t u = 0; u < pl->n_units; u++) {
		if (pl->est[u].layers_uncosted && !noted) {
			printf("\n");
			noted = true;
		}
		cli_print_uncosted(stdout, "", &pl->est[u]);
		cli_print_extrapolated(stdout, "", &pl->est[u]);
	}
	if (noted && pl->cpu && pl->gpu && pl->reason[AUGUR_PLAN_SPLIT] == AUGUR_PLAN_OK)
		cli_wrap(stdout, 0,
		         "the per-layer split puts a layer only on a unit that costs it; a unit's "
		         "single-unit time leaves its uncosted layers out");
	return layers && print_layers(r) < 0 ? -1 : 0;
}

/* An option's figures, inside its object. */
static void json_option(struct jsonw *w, const struct augur_plan_option *o)
{
	jw_double(w, "time_ms", o->time_ms);
	jw_double(w, "latency_ms", o->latency_ms);
	jw_uint(w, "memory_bytes", o->memory_bytes);
	jw_uint(w, "capacity_bytes", o->capacity_bytes);
	jw_bool(w, "fits", o->fits);
}

static void json_kind(struct jsonw *w, const char *key, enum augur_plan_kind k)
{
	if (k == AUGUR_PLAN_KIND_COUNT)
		jw_null(w, key);
	else
		jw_string(w, key, augur_plan_kind_name(k));
}

/* The remedies of Rallapalli et al. when the GPU does not hold the network, else null. */
static void json_remedies(struct jsonw *w, const struct report *r)
{
	const struct augur_plan *pl = r->plan;
	if (!pl->gpu || pl->gpu->fits) {
		jw_null(w, "remedies");
		return;
	}
	jw_object(w, "remedies", false);
	if (pl->option[AUGUR_PLAN_FC_OFFLOAD].available) {
		jw_object(w, "fc_offload", true);
		jw_string(w, "first_cpu_layer", r->net->layers[pl->offload_from].name);
		jw_double(w, "gpu_ms", pl->offload_gpu_ms);
		jw_double(w, "cpu_ms", pl->offload_cpu_ms);
		jw_uint(w, "gpu_bytes", pl->offload_gpu_bytes);
		jw_uint(w, "cpu_bytes", pl->offload_cpu_bytes);
		json_option(w, &pl->option[AUGUR_PLAN_FC_OFFLOAD]);
		jw_end(w);
	} else {
		jw_null(w, "fc_offload");
	}
	if (pl->option[AUGUR_PLAN_SPLIT_FC].available) {
		const struct augur_gemm *g = &r->a->layers[pl->split_fc_layer].gemm;
		jw_object(w, "split_fc", true);
		jw_string(w, "layer", r->net->layers[pl->split_fc_layer].name);
		jw_uint(w, "parts", pl->split_fc_parts);
		jw_object(w, "gemm", true);
		jw_uint(w, "n", g->n);
		jw_uint(w, "k", g->k);
		jw_uint(w, "m", g->m);
		jw_end(w);
		jw_double(w, "layer_ms", pl->gpu->layers[pl->split_fc_layer].time_ms);
		jw_double(w, "split_ms", pl->split_fc_ms);
		jw_uint(w, "weights_bytes", pl->split_fc_weights_bytes);
		jw_uint(w, "part_bytes", pl->split_fc_part_bytes);
		json_option(w, &pl->option[AUGUR_PLAN_SPLIT_FC]);
		jw_end(w);
	} else {
		jw_null(w, "split_fc");
	}
	jw_end(w);
}

static int print_json(const struct report *r)
{
	const struct augur_plan *pl = r->plan;
	struct tbl *t = layer_table(r);
	struct jsonw *w = t ? jw_new(stdout) : NULL;
	if (!w) {
		tbl_free(t);
		return -1;
	}
	jw_net(w, r->net);
	jw_uint(w, "batch", r->a->batch);
	jw_object(w, "device", true);
	jw_string(w, "name", r->p->name);
	jw_string(w, "profile", r->profile_path);
	jw_uint(w, "ram_bytes", r->p->ram_bytes);
	jw_bool(w, "shared_memory", r->p->shared_memory);
	jw_end(w);
	jw_array(w, "units", true);
	for (size_t u = 0; u < pl->n_units; u++) {
		const struct augur_unit_estimate *e = &pl->est[u];
		jw_object(w, NULL, true);
		jw_string(w, "unit", unit_name(e->unit->kind));
		jw_double(w, "time_ms", e->total_ms);
		jw_uint(w, "memory_bytes", e->memory_bytes);
		jw_uint(w, "memory_high_bytes", e->memory_high_bytes);
		jw_uint(w, "capacity_bytes", e->capacity_bytes);
		jw_bool(w, "fits", e->fits);
		jw_end(w);
	}
	jw_end(w);
	jw_array(w, "plans", false);
	for (int k = 0; k < AUGUR_PLAN_KIND_COUNT; k++) {
		const struct augur_plan_option *o = &pl->option[k];
		jw_object(w, NULL, true);
		jw_string(w, "plan", augur_plan_kind_name((enum augur_plan_kind)k));
		jw_bool(w, "available", o->available);
		jw_string(w, "reason", augur_plan_reason_text(pl->reason[k]));
		if (o->available)
			json_option(w, o);
		jw_end(w);
	}
	jw_end(w);
	json_kind(w, "single", pl->single);
	json_kind(w, "recommended", pl->best);
	jw_object(w, "split", true);
	jw_bool(w, "offered", pl->option[AUGUR_PLAN_SPLIT].available);
	jw_uint(w, "switches", pl->split_switches);
	jw_uint(w, "cpu_layers", pl->split_layers[AUGUR_UNIT_CPU]);
	jw_uint(w, "gpu_layers", pl->split_layers[AUGUR_UNIT_GPU]);
	jw_uint(w, "weights_copy_bytes", pl->split_copy_bytes);
	jw_end(w);
	json_remedies(w, r);
	int rc = tbl_write_json(t, w, "layers");
	jw_end(w);
	jw_free(w);
	tbl_free(t);
	return rc;
}

static int print_csv(const struct report *r)
{
	struct tbl *t = layer_table(r);
	int rc = t ? tbl_print_csv(t, stdout) : -1;
	tbl_free(t);
	return rc;
}

struct plan_args {
	const char *sets[64];
	size_t n_sets;
	const char *device;
	uint64_t batch, parts;
	bool layers;
	enum cli_format format;
};

static const struct cli_opt plan_opts[] = {
        CLI_DEVICE(struct plan_args, device),
        CLI_SET(struct plan_args, sets, n_sets,
                "edit the descriptor first, as whatif does (repeatable)"),
        CLI_BATCH(struct plan_args, batch),
        CLI_FLAG("layers", struct plan_args, layers,
                 "add the per-layer table: time per unit and the unit it runs on"),
        CLI_UINT("fc-parts", struct plan_args, parts, 2, AUGUR_MAX_DIM, "P",
                 "parts of the split-fc remedy (default: the fewest that fit)"),
        CLI_FORMAT(struct plan_args, format, "table, json (every figure) or csv (per layer)"),
        CLI_END,
};

const struct cli_spec cmd_plan_spec = {"plan", plan_opts, 1, 1, "a descriptor", true};

int cmd_plan(int argc, char **argv)
{
	struct plan_args o = {.format = CLI_TABLE};
	char **args;
	int n_args;
	if (cli_parse(&cmd_plan_spec, argc, argv, &o, &args, &n_args))
		return CLI_USAGE;
	struct augur_diag diag = {0};
	struct eval_request req = {.net_path = args[0],
	                           .device = o.device,
	                           .unit = "all",
	                           .batch = (uint32_t)o.batch,
	                           .sets = o.sets,
	                           .n_sets = o.n_sets,
	                           .analyse = true};
	struct evaluated ev = {0};
	struct augur_plan plan = {0};
	int rc = CLI_OK;
	if (eval_open(&req, &ev, &diag) ||
	    augur_plan_make(ev.net, ev.ev.a, ev.p, (uint32_t)o.parts, &plan, &diag)) {
		rc = cli_report(&diag);
		goto out;
	}
	struct report r = {ev.net, ev.ev.a, ev.p, ev.profile_path, &plan};
	int printed = o.format == CLI_JSON  ? print_json(&r)
	              : o.format == CLI_CSV ? print_csv(&r)
	                                    : print_table(&r, o.layers);
	if (printed)
		rc = cli_error("plan", "out of memory");
out:
	augur_plan_clear(&plan);
	eval_close(&ev);
	return rc;
}
