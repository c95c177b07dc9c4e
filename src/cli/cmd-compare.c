/* augur compare: two networks side by side on one device: per layer type the layer count,
 * parameters, MACs and predicted time per unit, then totals and memory. */
#include <stdio.h>
#include <string.h>

#include "augur-config.h"
#include "cli.h"
#include "options.h"
#include "evaluate.h"
#include "jsonw.h"
#include "netfile.h"
#include "table.h"

static void line(const char *label, double a, double b, const char *fmt)
{
	char x[32], y[32], ratio[32] = "-";
	cli_cell(x, sizeof(x), fmt, a);
	cli_cell(y, sizeof(y), fmt, b);
	if (a > 0)
		snprintf(ratio, sizeof(ratio), "%.2fx", b / a);
	printf("  %-30s %14s %14s %9s\n", label, x, y, ratio);
}

/* The per-type rows of both networks: network, type, layers, params, MACs, then each
 * unit's time and (on the 'total' row of the CSV form) memory; the JSON form gives each
 * network's types without the network, the total or the memory. */
struct type_cols {
	struct tbl_col col[5 + 2 * 2];
	char keys[2 * 2][32];
	size_t n;
};

static void type_columns(struct type_cols *tc, const struct evaluation *ev, size_t n_units)
{
	enum { CJ = TBL_IN_CSV | TBL_IN_JSON };
	static const struct tbl_col head[] = {
	        {.key = "network", .kind = TBL_TEXT, .in = TBL_IN_CSV},
	        {.key = "type", .kind = TBL_TEXT, .in = CJ},
	        {.key = "layers", .kind = TBL_UINT, .in = CJ},
	        {.key = "params", .kind = TBL_UINT, .in = CJ},
	        {.key = "macs", .kind = TBL_UINT, .in = CJ},
	};
	tc->n = 0;
	for (size_t c = 0; c < 5; c++)
		tc->col[tc->n++] = head[c];
	for (size_t k = 0; k < 2; k++)
		for (size_t u = 0; u < n_units; u++) {
			snprintf(tc->keys[k * 2 + u], sizeof(tc->keys[0]), "%s_%s",
			         augur_unit_kind_name(ev->est[u].unit->kind),
			         k ? "memory_bytes" : "time_ms");
			tc->col[tc->n++] = (struct tbl_col){
			        .key = tc->keys[k * 2 + u],
			        .kind = k ? TBL_UINT : TBL_DOUBLE,
			        .in = k ? TBL_IN_CSV : CJ,
			};
		}
}

/* One network's rows of type_columns, and its total when total. */
static void type_rows(struct tbl *t, const struct augur_net *net, const struct evaluation *ev,
                      size_t n_units, bool total)
{
	for (int i = 0; i <= AUGUR_LAYER_TYPE_COUNT; i++) {
		bool is_total = i == AUGUR_LAYER_TYPE_COUNT;
		const struct augur_totals *x = is_total ? &ev->a->total : &ev->a->by_type[i];
		if (is_total ? !total : !x->layers)
			continue;
		tbl_row(t);
		tbl_text(t, net->name);
		tbl_text(t, is_total ? "total" : augur_layer_type_name(i));
		tbl_uint(t, x->layers);
		tbl_uint(t, x->params);
		tbl_uint(t, x->macs);
		for (size_t u = 0; u < n_units; u++)
			tbl_double(t, is_total ? ev->est[u].total_ms : ev->est[u].type_ms[i]);
		for (size_t u = 0; u < n_units; u++)
			if (is_total)
				tbl_uint(t, ev->est[u].memory_bytes);
			else
				tbl_null(t);
	}
}

/* One network's figures: totals, per unit, per layer type. */
static int json_network(struct jsonw *w, const struct augur_net *net, const char *source,
                        const struct evaluation *ev, size_t n_units)
{
	jw_object(w, NULL, false);
	jw_string(w, "network", net->name);
	jw_string(w, "source", source);
	jw_uint(w, "params", ev->a->total.params);
	jw_uint(w, "macs", ev->a->total.macs);
	jw_array(w, "units", false);
	for (size_t u = 0; u < n_units; u++) {
		jw_object(w, NULL, true);
		jw_string(w, "unit", augur_unit_kind_name(ev->est[u].unit->kind));
		jw_double(w, "time_ms", ev->est[u].total_ms);
		jw_uint(w, "memory_bytes", ev->est[u].memory_bytes);
		jw_uint(w, "memory_high_bytes", ev->est[u].memory_high_bytes);
		jw_uint(w, "layers_uncosted", ev->est[u].layers_uncosted);
		jw_end(w);
	}
	jw_end(w);
	struct type_cols tc;
	type_columns(&tc, ev, n_units);
	struct tbl *t = tbl_new(tc.col, tc.n);
	if (t)
		type_rows(t, net, ev, n_units, false);
	int rc = t ? tbl_write_json(t, w, "by_type") : -1;
	tbl_free(t);
	jw_end(w);
	return rc;
}

static int print_json(struct augur_net *const *net, char *const *sources,
                      const struct evaluation *ev, size_t n_units, const struct augur_profile *p,
                      const char *profile_path)
{
	struct jsonw *w = jw_new(stdout);
	if (!w)
		return -1;
	jw_object(w, NULL, false);
	jw_string(w, "augur_version", AUGUR_VERSION);
	jw_device(w, p, profile_path);
	jw_array(w, "networks", false);
	int rc = 0;
	for (int i = 0; i < 2; i++)
		rc |= json_network(w, net[i], sources[i], &ev[i], n_units);
	jw_end(w);
	jw_end(w);
	jw_free(w);
	return rc;
}

/* network,type,layers,params,macs,<unit>_time_ms...,<unit>_memory_bytes...: one row per
 * layer type present and a 'total' row (with each unit's memory) per network. */
static int print_csv(struct augur_net *const *net, const struct evaluation *ev, size_t n_units)
{
	struct type_cols tc;
	type_columns(&tc, &ev[0], n_units);
	struct tbl *t = tbl_new(tc.col, tc.n);
	for (int i = 0; t && i < 2; i++)
		type_rows(t, net[i], &ev[i], n_units, true);
	int rc = t ? tbl_print_csv(t, stdout) : -1;
	tbl_free(t);
	return rc;
}

struct compare_args {
	const char *device, *unit;
	uint64_t batch;
	enum cli_format format;
};

static const struct cli_opt compare_opts[] = {
        CLI_DEVICE(struct compare_args, device),
        CLI_UNITS(struct compare_args, unit),
        CLI_BATCH(struct compare_args, batch),
        CLI_FORMAT(struct compare_args, format,
                   "table, json (every figure) or csv (per layer type)"),
        CLI_END,
};

const struct cli_spec cmd_compare_spec = {"compare", compare_opts, 2, 2, "two descriptors", true};

int cmd_compare(int argc, char **argv)
{
	struct compare_args o = {.unit = "all", .format = CLI_TABLE};
	char **args;
	int n_args;
	if (cli_parse(&cmd_compare_spec, argc, argv, &o, &args, &n_args))
		return CLI_USAGE;
	const char *device = o.device, *unit = o.unit;
	uint64_t batch = o.batch;
	enum cli_format format = o.format;
	struct augur_diag diag = {0};
	char path[4096];
	struct augur_profile *p = NULL;
	struct augur_net *net[2] = {NULL, NULL};
	struct evaluation ev[2] = {{0}};
	const struct augur_unit *units[2];
	size_t n_units = 0;
	int rc = CLI_OK;
	if (eval_load_profile(device, path, sizeof(path), &p, &diag) ||
	    eval_units(p, unit, path, units, &n_units, &diag)) {
		rc = cli_report(&diag);
		goto out;
	}
	for (int i = 0; i < 2; i++)
		if (cli_net_load(args[i], &net[i], NULL, &diag) ||
		    eval_run(net[i], (uint32_t)batch, p, units, n_units, &ev[i], &diag)) {
			rc = cli_report(&diag);
			goto out;
		}
	if (format == CLI_JSON) {
		if (print_json(net, args, ev, n_units, p, path))
			rc = cli_error("compare", "out of memory");
		goto out;
	}
	if (format == CLI_CSV) {
		if (print_csv(net, ev, n_units))
			rc = cli_error("compare", "out of memory");
		goto out;
	}
	for (int i = 0; i < 2; i++)
		for (size_t u = 0; u < n_units; u++) {
			char pre[300];
			snprintf(pre, sizeof(pre), "%s: ", net[i]->name);
			cli_print_extrapolated(stdout, pre, &ev[i].est[u]);
		}
	printf("on %s\n\n  %-30s %14s %14s %9s\n", p->name, "", net[0]->name, net[1]->name,
	       "B / A");
	for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++) {
		const struct augur_totals *a = &ev[0].a->by_type[t], *b = &ev[1].a->by_type[t];
		if (!a->layers && !b->layers)
			continue;
		char label[64];
		snprintf(label, sizeof(label), "%s layers", augur_layer_type_name(t));
		line(label, a->layers, b->layers, "%.0f");
		if (a->params || b->params) {
			snprintf(label, sizeof(label), "  %s parameters", augur_layer_type_name(t));
			line(label, (double)a->params, (double)b->params, "%.0f");
		}
		if (a->macs || b->macs) {
			snprintf(label, sizeof(label), "  %s MACs", augur_layer_type_name(t));
			line(label, (double)a->macs, (double)b->macs, "%.0f");
		}
		for (size_t u = 0; u < n_units; u++) {
			double ta = ev[0].est[u].type_ms[t], tb = ev[1].est[u].type_ms[t];
			if (!ta && !tb)
				continue;
			snprintf(label, sizeof(label), "  %s %s time (ms)",
			         augur_layer_type_name(t), augur_unit_kind_name(units[u]->kind));
			line(label, ta, tb, NULL);
		}
	}
	printf("\n");
	line("parameters", (double)ev[0].a->total.params, (double)ev[1].a->total.params, "%.0f");
	line("MACs", (double)ev[0].a->total.macs, (double)ev[1].a->total.macs, "%.0f");
	for (size_t u = 0; u < n_units; u++) {
		char label[64];
		const char *un = augur_unit_kind_name(units[u]->kind);
		snprintf(label, sizeof(label), "%s forward time (ms)", un);
		line(label, ev[0].est[u].total_ms, ev[1].est[u].total_ms, NULL);
		snprintf(label, sizeof(label), "%s memory needed (MiB)", un);
		line(label, cli_mib(ev[0].est[u].memory_bytes), cli_mib(ev[1].est[u].memory_bytes),
		     "%.1f");
		if (ev[0].est[u].memory_hole_bytes || ev[1].est[u].memory_hole_bytes) {
			snprintf(label, sizeof(label), "%s memory, high end (MiB)", un);
			line(label, cli_mib(ev[0].est[u].memory_high_bytes),
			     cli_mib(ev[1].est[u].memory_high_bytes), "%.1f");
		}
	}
out:
	for (int i = 0; i < 2; i++) {
		eval_clear(&ev[i]);
		augur_net_free(net[i]);
	}
	augur_profile_free(p);
	return rc;
}
