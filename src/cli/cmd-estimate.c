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
#include "netfile.h"
#include "profile.h"

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

/* One row of the side-by-side unit table. */
static void row(const struct run *r, const char *label, const char *fmt,
                double (*value)(const struct run *, const struct augur_unit_estimate *))
{
	printf("  %-28s", label);
	for (size_t u = 0; u < r->n_units; u++) {
		char cell[32];
		cli_cell(cell, sizeof(cell), fmt, value(r, &r->est[u]));
		printf(" %14s", cell);
	}
	printf("\n");
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

static void print_layers(const struct run *r)
{
	cli_wrap(stdout, 0,
	         "per layer (ms; '*' GEMM outside the calibrated range, '+' outside the cost "
	         "model's data, '-' not costed)");
	/* the name column takes what the units leave of the terminal's width */
	int name = cli_width() - 2 - 10 - (int)r->n_units * 17 - 9;
	name = name < 12 ? 12 : name > 28 ? 28 : name;
	printf("  %-*s %-9s", name, "layer", "type");
	for (size_t u = 0; u < r->n_units; u++)
		printf(" %9s %6s", augur_unit_kind_name(r->est[u].unit->kind), "share");
	printf(" %8s\n", "live MiB");
	for (size_t i = 0; i < r->a->n_layers; i++) {
		char cut[128];
		cli_cut(cut, sizeof(cut), r->net->layers[i].name, name);
		printf("  %s%*s %-9s", cut, name - cli_chars(cut), "",
		       augur_layer_type_name(r->net->layers[i].type));
		for (size_t u = 0; u < r->n_units; u++) {
			const struct augur_unit_estimate *e = &r->est[u];
			const struct augur_layer_estimate *le = &e->layers[i];
			char cell[32];
			if (!le->costed)
				snprintf(cell, sizeof(cell), "-");
			else
				snprintf(cell, sizeof(cell), "%.3f%s%s", le->time_ms,
				         le->outside_range ? "*" : "",
				         le->outside_costs ? "+" : "");
			double share = e->total_ms > 0 ? 100.0 * le->time_ms / e->total_ms : 0;
			printf(" %9s %5.1f%%", cell, share);
		}
		printf(" %8.2f\n", cli_mib(r->a->layers[i].live_bytes));
	}
}

static void print_table(const struct run *r, bool layers)
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
	printf("  %-28s", "");
	for (size_t u = 0; u < r->n_units; u++)
		printf(" %14s", augur_unit_kind_name(r->est[u].unit->kind));
	printf("\n");
	row(r, "forward time (ms)", NULL, v_total);
	row(r, "  GEMM (ms)", NULL, v_gemm);
	row(r, "  memory-bound (ms)", NULL, v_memory);
	row(r, "  other: per-call (ms)", NULL, v_other);
	row(r, "  conv layers (ms)", NULL, v_conv);
	row(r, "  fc layers (ms)", NULL, v_fc);
	row(r, "throughput (inferences/s)", "%.2f", v_rate);
	row(r, "memory needed (MiB)", "%.1f", v_mem);
	/* every unit of a profile follows its one framework's view */
	row(r,
	    r->n_units && r->est[0].memory_view == AUGUR_VIEW_MINIMAL ? "  network, minimal view"
	                                                              : "  network, allocated view",
	    "%.1f", v_model);
	row(r, "  framework overhead", "%.1f", v_overhead);
	row(r, "  second copy of weights", "%.1f", v_copy);
	row(r, "memory available (MiB)", "%.0f", v_cap);
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
	}
	if (layers)
		print_layers(r);
}

/* The framework the times are for, or null when the profile does not say. */
static void print_framework_json(const struct augur_framework *fw)
{
	char text[512];
	if (!augur_framework_describe(fw, text, sizeof(text))) {
		printf("null");
		return;
	}
	printf("{\"name\": ");
	cli_json_string(stdout, fw->name);
	printf(", \"version\": ");
	if (fw->version)
		cli_json_string(stdout, fw->version);
	else
		printf("null");
	printf(", \"library\": ");
	if (fw->library)
		cli_json_string(stdout, fw->library);
	else
		printf("null");
	printf(", \"mkldnn\": %s, \"threads\": ", fw->mkldnn < 0 ? "null"
	                                          : fw->mkldnn   ? "true"
	                                                         : "false");
	if (fw->threads)
		printf("%u", fw->threads);
	else
		printf("null");
	printf(", \"text\": ");
	cli_json_string(stdout, text);
	printf("}");
}

static void print_json(const struct run *r)
{
	struct augur_thresholds th;
	augur_profile_thresholds(r->p, &th);
	cli_json_open(r->net);
	cli_json_device(r->a->batch, r->p, r->profile_path);
	printf(", \"description\": ");
	cli_json_string(stdout, r->p->description ? r->p->description : "");
	printf(", \"source\": ");
	cli_json_string(stdout, r->p->source ? r->p->source : "");
	printf(", \"created\": ");
	cli_json_string(stdout, r->p->created ? r->p->created : "");
	printf(", \"ram_bytes\": %llu, \"shared_memory\": %s, \"framework\": ",
	       (unsigned long long)r->p->ram_bytes, r->p->shared_memory ? "true" : "false");
	print_framework_json(&r->p->framework);
	printf("},\n  \"units\": [\n");
	for (size_t u = 0; u < r->n_units; u++) {
		const struct augur_unit_estimate *e = &r->est[u];
		printf("    {\"unit\": \"%s\", \"library\": ", augur_unit_kind_name(e->unit->kind));
		cli_json_string(stdout, e->unit->library ? e->unit->library : "");
		printf(", \"processor\": ");
		cli_json_string(stdout, e->unit->processor ? e->unit->processor : "");
		printf(",\n     \"time\": {");
		cli_json_num("total_ms", e->total_ms, true);
		cli_json_num("gemm_ms", e->gemm_ms, true);
		cli_json_num("memory_ms", e->memory_ms, true);
		cli_json_num("other_ms", e->other_ms, true);
		cli_json_num("throughput_per_s", throughput(r, e), true);
		printf("\"method\": \"%s\", \"whole_network\": %s, \"by_type_ms\": {",
		       e->unit->costs ? "layer-costs" : "gemm-sum",
		       e->whole_network ? "true" : "false");
		bool first = true;
		for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++) {
			if (!r->a->by_type[t].layers)
				continue;
			printf("%s", first ? "" : ", ");
			cli_json_num(augur_layer_type_name(t), e->type_ms[t], false);
			first = false;
		}
		char types[256];
		cli_uncosted_types(e, types, sizeof(types));
		printf("}, \"layers_uncosted\": %u, \"uncosted_types\": ", e->layers_uncosted);
		cli_json_string(stdout, types);
		printf(", \"gemms_outside_range\": %u, \"layers_outside_costs\": %u, "
		       "\"layers_outside_calls\": %u, \"calls_max\": %llu, \"calls_fitted_max\": %llu},\n",
		       e->gemms_outside_range, e->layers_outside_costs, e->layers_outside_calls,
		       (unsigned long long)e->calls_max,
		       (unsigned long long)e->unit->calls_fitted_max);
		printf("     \"memory\": {\"view\": \"%s\", \"model_bytes\": %llu, \"overhead_bytes\": %llu, "
		       "\"weights_copy_bytes\": %llu, \"total_bytes\": %llu, \"capacity_bytes\": "
		       "%llu, \"fits\": %s},\n     \"layers\": [\n",
		       augur_memory_view_name(e->memory_view), (unsigned long long)e->model_bytes,
		       (unsigned long long)e->overhead_bytes,
		       (unsigned long long)e->weights_copy_bytes,
		       (unsigned long long)e->memory_bytes, (unsigned long long)e->capacity_bytes,
		       e->fits ? "true" : "false");
		for (size_t i = 0; i < e->n_layers; i++) {
			const struct augur_layer_estimate *le = &e->layers[i];
			printf("       {\"name\": ");
			cli_json_string(stdout, r->net->layers[i].name);
			printf(", \"type\": \"%s\", ",
			       augur_layer_type_name(r->net->layers[i].type));
			cli_json_num("time_ms", le->time_ms, true);
			cli_json_num("gemm_ms", le->split_ms[AUGUR_COST_GEMM], true);
			cli_json_num("memory_ms", le->split_ms[AUGUR_COST_MEMORY], true);
			cli_json_num("other_ms", le->split_ms[AUGUR_COST_OTHER], true);
			printf("\"costed\": %s, \"outside_range\": %s, \"outside_costs\": %s, "
			       "\"live_bytes\": %llu, \"fresh_bytes\": %llu}%s\n",
			       le->costed ? "true" : "false", le->outside_range ? "true" : "false",
			       le->outside_costs ? "true" : "false",
			       (unsigned long long)r->a->layers[i].live_bytes,
			       (unsigned long long)augur_layer_fresh_bytes(r->net, r->a, i, &th),
			       i + 1 < e->n_layers ? "," : "");
		}
		printf("     ]}%s\n", u + 1 < r->n_units ? "," : "");
	}
	printf("  ]\n}\n");
}

static void print_csv(const struct run *r)
{
	printf("unit,index,name,type,time_ms,costed,outside_range,share,live_bytes,gemm_ms,"
	       "memory_ms,other_ms,outside_costs\n");
	for (size_t u = 0; u < r->n_units; u++) {
		const struct augur_unit_estimate *e = &r->est[u];
		for (size_t i = 0; i < e->n_layers; i++) {
			const struct augur_layer_estimate *le = &e->layers[i];
			printf("%s,%zu,", augur_unit_kind_name(e->unit->kind), i);
			cli_csv_field(stdout, r->net->layers[i].name);
			printf(",%s,%.6g,%d,%d,%.6g,%llu,%.6g,%.6g,%.6g,%d\n",
			       augur_layer_type_name(r->net->layers[i].type), le->time_ms,
			       le->costed, le->outside_range,
			       e->total_ms > 0 ? le->time_ms / e->total_ms : 0.0,
			       (unsigned long long)r->a->layers[i].live_bytes,
			       le->split_ms[AUGUR_COST_GEMM], le->split_ms[AUGUR_COST_MEMORY],
			       le->split_ms[AUGUR_COST_OTHER], le->outside_costs);
		}
	}
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
	if (a.format == CLI_JSON)
		print_json(&r);
	else if (a.format == CLI_CSV)
		print_csv(&r);
	else
		print_table(&r, a.layers);
out:
	eval_close(&ev);
	return rc;
}
