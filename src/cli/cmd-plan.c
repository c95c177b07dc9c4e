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
#include "netfile.h"
#include "plan.h"

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

static void print_layers(const struct report *r)
{
	const struct augur_plan *pl = r->plan;
	printf("\nper layer (ms; '-' not costed)\n  %-24s %-9s %10s %10s  %s\n", "layer", "type",
	       "cpu", "gpu", "runs on");
	for (size_t i = 0; i < pl->n_layers; i++) {
		char cells[2][32];
		const struct augur_unit_estimate *e[2] = {pl->cpu, pl->gpu};
		for (int u = 0; u < 2; u++) {
			if (!e[u])
				snprintf(cells[u], sizeof(cells[u]), "n/a");
			else if (!e[u]->layers[i].costed)
				snprintf(cells[u], sizeof(cells[u]), "-");
			else
				snprintf(cells[u], sizeof(cells[u]), "%.3f",
				         e[u]->layers[i].time_ms);
		}
		char name[128];
		cli_cut(name, sizeof(name), r->net->layers[i].name, 24);
		printf("  %s%*s %-9s %10s %10s  %s\n", name, 24 - cli_chars(name), "",
		       augur_layer_type_name(r->net->layers[i].type), cells[0], cells[1],
		       unit_name(pl->placement[i]));
	}
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

static void print_table(const struct report *r, bool layers)
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
	if (layers)
		print_layers(r);
}

static void json_option(const struct augur_plan_option *o)
{
	cli_json_num("time_ms", o->time_ms, true);
	cli_json_num("latency_ms", o->latency_ms, true);
	printf("\"memory_bytes\": %llu, \"capacity_bytes\": %llu, \"fits\": %s",
	       (unsigned long long)o->memory_bytes, (unsigned long long)o->capacity_bytes,
	       o->fits ? "true" : "false");
}

static void json_kind(const char *key, enum augur_plan_kind k, bool comma)
{
	printf("\"%s\": ", key);
	if (k == AUGUR_PLAN_KIND_COUNT)
		printf("null");
	else
		printf("\"%s\"", augur_plan_kind_name(k));
	printf("%s", comma ? ",\n  " : "\n");
}

static void print_json(const struct report *r)
{
	const struct augur_plan *pl = r->plan;
	cli_json_open(r->net);
	cli_json_device(r->a->batch, r->p, r->profile_path);
	printf(", \"ram_bytes\": %llu, \"shared_memory\": %s},\n  \"units\": [",
	       (unsigned long long)r->p->ram_bytes, r->p->shared_memory ? "true" : "false");
	for (size_t u = 0; u < pl->n_units; u++) {
		const struct augur_unit_estimate *e = &pl->est[u];
		printf("%s{\"unit\": \"%s\", ", u ? ", " : "", unit_name(e->unit->kind));
		cli_json_num("time_ms", e->total_ms, true);
		printf("\"memory_bytes\": %llu, \"capacity_bytes\": %llu, \"fits\": %s}",
		       (unsigned long long)e->memory_bytes, (unsigned long long)e->capacity_bytes,
		       e->fits ? "true" : "false");
	}
	printf("],\n  \"plans\": [\n");
	for (int k = 0; k < AUGUR_PLAN_KIND_COUNT; k++) {
		const struct augur_plan_option *o = &pl->option[k];
		printf("    {\"plan\": \"%s\", \"available\": %s, \"reason\": ",
		       augur_plan_kind_name((enum augur_plan_kind)k),
		       o->available ? "true" : "false");
		cli_json_string(stdout, augur_plan_reason_text(pl->reason[k]));
		if (o->available) {
			printf(", ");
			json_option(o);
		}
		printf("}%s\n", k + 1 < AUGUR_PLAN_KIND_COUNT ? "," : "");
	}
	printf("  ],\n  ");
	json_kind("single", pl->single, true);
	json_kind("recommended", pl->best, true);
	printf("\"split\": {\"offered\": %s, \"switches\": %u, \"cpu_layers\": %u, "
	       "\"gpu_layers\": %u, \"weights_copy_bytes\": %llu},\n",
	       pl->option[AUGUR_PLAN_SPLIT].available ? "true" : "false", pl->split_switches,
	       pl->split_layers[AUGUR_UNIT_CPU], pl->split_layers[AUGUR_UNIT_GPU],
	       (unsigned long long)pl->split_copy_bytes);
	if (!pl->gpu || pl->gpu->fits) {
		printf("  \"remedies\": null,\n");
	} else {
		printf("  \"remedies\": {\n    \"fc_offload\": ");
		if (pl->option[AUGUR_PLAN_FC_OFFLOAD].available) {
			printf("{\"first_cpu_layer\": ");
			cli_json_string(stdout, r->net->layers[pl->offload_from].name);
			printf(", ");
			cli_json_num("gpu_ms", pl->offload_gpu_ms, true);
			cli_json_num("cpu_ms", pl->offload_cpu_ms, true);
			printf("\"gpu_bytes\": %llu, \"cpu_bytes\": %llu, ",
			       (unsigned long long)pl->offload_gpu_bytes,
			       (unsigned long long)pl->offload_cpu_bytes);
			json_option(&pl->option[AUGUR_PLAN_FC_OFFLOAD]);
			printf("}");
		} else {
			printf("null");
		}
		printf(",\n    \"split_fc\": ");
		if (pl->option[AUGUR_PLAN_SPLIT_FC].available) {
			const struct augur_gemm *g = &r->a->layers[pl->split_fc_layer].gemm;
			printf("{\"layer\": ");
			cli_json_string(stdout, r->net->layers[pl->split_fc_layer].name);
			printf(", \"parts\": %u, \"gemm\": {\"n\": %llu, \"k\": %llu, \"m\": %llu}, ",
			       pl->split_fc_parts, (unsigned long long)g->n,
			       (unsigned long long)g->k, (unsigned long long)g->m);
			cli_json_num("layer_ms", pl->gpu->layers[pl->split_fc_layer].time_ms, true);
			cli_json_num("split_ms", pl->split_fc_ms, true);
			printf("\"weights_bytes\": %llu, \"part_bytes\": %llu, ",
			       (unsigned long long)pl->split_fc_weights_bytes,
			       (unsigned long long)pl->split_fc_part_bytes);
			json_option(&pl->option[AUGUR_PLAN_SPLIT_FC]);
			printf("}");
		} else {
			printf("null");
		}
		printf("\n  },\n");
	}
	printf("  \"layers\": [\n");
	for (size_t i = 0; i < pl->n_layers; i++) {
		printf("    {\"index\": %zu, \"name\": ", i);
		cli_json_string(stdout, r->net->layers[i].name);
		printf(", \"type\": \"%s\", ", augur_layer_type_name(r->net->layers[i].type));
		if (pl->cpu)
			cli_json_num("cpu_ms", pl->cpu->layers[i].time_ms, true);
		else
			printf("\"cpu_ms\": null, ");
		if (pl->gpu)
			cli_json_num("gpu_ms", pl->gpu->layers[i].time_ms, true);
		else
			printf("\"gpu_ms\": null, ");
		printf("\"unit\": \"%s\"}%s\n", unit_name(pl->placement[i]),
		       i + 1 < pl->n_layers ? "," : "");
	}
	printf("  ]\n}\n");
}

static void print_csv(const struct report *r)
{
	const struct augur_plan *pl = r->plan;
	printf("index,name,type,cpu_ms,gpu_ms,unit\n");
	for (size_t i = 0; i < pl->n_layers; i++) {
		printf("%zu,", i);
		cli_csv_field(stdout, r->net->layers[i].name);
		printf(",%s,", augur_layer_type_name(r->net->layers[i].type));
		if (pl->cpu)
			printf("%.6g", pl->cpu->layers[i].time_ms);
		printf(",");
		if (pl->gpu)
			printf("%.6g", pl->gpu->layers[i].time_ms);
		printf(",%s\n", unit_name(pl->placement[i]));
	}
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
	if (o.format == CLI_JSON)
		print_json(&r);
	else if (o.format == CLI_CSV)
		print_csv(&r);
	else
		print_table(&r, o.layers);
out:
	augur_plan_clear(&plan);
	eval_close(&ev);
	return rc;
}
