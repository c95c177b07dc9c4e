/* augur compare: two networks side by side on one device: per layer type the layer count,
 * parameters, MACs and predicted time per unit, then totals and memory. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "evaluate.h"
#include "netfile.h"

static void line(const char *label, double a, double b, const char *fmt)
{
	char x[32], y[32], ratio[32] = "-";
	if (fmt) {
		snprintf(x, sizeof(x), fmt, a);
		snprintf(y, sizeof(y), fmt, b);
	} else { /* a time */
		cli_ms(x, sizeof(x), a);
		cli_ms(y, sizeof(y), b);
	}
	if (a > 0)
		snprintf(ratio, sizeof(ratio), "%.2fx", b / a);
	printf("  %-30s %14s %14s %9s\n", label, x, y, ratio);
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"device", required_argument, NULL, 'd'},
	        {"unit", required_argument, NULL, 'u'},
	        {"batch", required_argument, NULL, 'b'},
	        {NULL, 0, NULL, 0},
	};
	const char *device = NULL, *unit = "all";
	uint64_t batch = 0;
	int c;
	while ((c = cli_getopt(argc, argv, "d:u:b:", opts)) != -1) {
		switch (c) {
		case 'd':
			device = optarg;
			break;
		case 'u':
			if (cli_parse_unit("compare", optarg, &unit))
				return CLI_USAGE;
			break;
		case 'b':
			if (cli_parse_uint("compare", "--batch", optarg, AUGUR_MAX_BATCH, &batch))
				return CLI_USAGE;
			break;
		default:
			return CLI_USAGE;
		}
	}
	if (optind != argc - 2 || !device)
		return cli_usage_error("compare",
		                       "expects two descriptors and --device (usage: %s)",
		                       augur_command_find("compare")->usage);
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
		if (augur_net_load(argv[optind + i], &net[i], &diag) ||
		    eval_run(net[i], (uint32_t)batch, p, units, n_units, &ev[i], &diag)) {
			rc = cli_report(&diag);
			goto out;
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
