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

static void line(const char *label, double a, double b, const char *fmt)
{
	char x[32], y[32], ratio[32] = "-";
	cli_cell(x, sizeof(x), fmt, a);
	cli_cell(y, sizeof(y), fmt, b);
	if (a > 0)
		snprintf(ratio, sizeof(ratio), "%.2fx", b / a);
	printf("  %-30s %14s %14s %9s\n", label, x, y, ratio);
}

/* One network's figures: totals, per unit, per layer type. */
static void json_network(struct jsonw *w, const struct augur_net *net, const char *source,
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
		jw_uint(w, "layers_uncosted", ev->est[u].layers_uncosted);
		jw_end(w);
	}
	jw_end(w);
	jw_array(w, "by_type", false);
	for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++) {
		const struct augur_totals *x = &ev->a->by_type[t];
		if (!x->layers)
			continue;
		jw_object(w, NULL, true);
		jw_string(w, "type", augur_layer_type_name(t));
		jw_uint(w, "layers", x->layers);
		jw_uint(w, "params", x->params);
		jw_uint(w, "macs", x->macs);
		for (size_t u = 0; u < n_units; u++) {
			char key[32];
			snprintf(key, sizeof(key), "%s_time_ms",
			         augur_unit_kind_name(ev->est[u].unit->kind));
			jw_double(w, key, ev->est[u].type_ms[t]);
		}
		jw_end(w);
	}
	jw_end(w);
	jw_end(w);
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
	for (int i = 0; i < 2; i++)
		json_network(w, net[i], sources[i], &ev[i], n_units);
	jw_end(w);
	jw_end(w);
	jw_free(w);
	return 0;
}

/* network,type,layers,params,macs,<unit>_time_ms...: one row per layer type present and a
 * 'total' row (with each unit's memory) per network. */
static void print_csv(struct augur_net *const *net, const struct evaluation *ev, size_t n_units)
{
	printf("network,type,layers,params,macs");
	for (size_t u = 0; u < n_units; u++)
		printf(",%s_time_ms", augur_unit_kind_name(ev[0].est[u].unit->kind));
	for (size_t u = 0; u < n_units; u++)
		printf(",%s_memory_bytes", augur_unit_kind_name(ev[0].est[u].unit->kind));
	printf("\n");
	for (int i = 0; i < 2; i++) {
		for (int t = 0; t <= AUGUR_LAYER_TYPE_COUNT; t++) {
			bool total = t == AUGUR_LAYER_TYPE_COUNT;
			const struct augur_totals *x =
			        total ? &ev[i].a->total : &ev[i].a->by_type[t];
			if (!total && !x->layers)
				continue;
			cli_csv_field(stdout, net[i]->name);
			printf(",%s,%llu,%llu,%llu", total ? "total" : augur_layer_type_name(t),
			       (unsigned long long)x->layers, (unsigned long long)x->params,
			       (unsigned long long)x->macs);
			for (size_t u = 0; u < n_units; u++)
				printf(",%.6g",
				       total ? ev[i].est[u].total_ms : ev[i].est[u].type_ms[t]);
			for (size_t u = 0; u < n_units; u++)
				if (total)
					printf(",%llu",
					       (unsigned long long)ev[i].est[u].memory_bytes);
				else
					printf(",");
			printf("\n");
		}
	}
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
		print_csv(net, ev, n_units);
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
	}
out:
	for (int i = 0; i < 2; i++) {
		eval_clear(&ev[i]);
		augur_net_free(net[i]);
	}
	augur_profile_free(p);
	return rc;
}
