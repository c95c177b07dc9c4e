/* augur check: does a network meet its time and memory budgets on a device? Exit 0 when
 * every budget holds on every unit checked, 1 otherwise: for scripts and architecture
 * search loops. */
#include <stdio.h>
#include <string.h>

#include "budget.h"
#include "cli.h"
#include "descriptor.h"
#include "evaluate.h"
#include "netfile.h"

#define MAX_BUDGETS 16

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"device", required_argument, NULL, 'd'}, {"unit", required_argument, NULL, 'u'},
	        {"budget", required_argument, NULL, 'B'}, {"batch", required_argument, NULL, 'b'},
	        {"set", required_argument, NULL, 's'},    {NULL, 0, NULL, 0},
	};
	const char *device = NULL, *unit = "all";
	struct augur_budget budgets[MAX_BUDGETS];
	const char *sets[64];
	size_t n_budgets = 0, n_sets = 0;
	uint64_t batch = 0;
	struct augur_diag diag = {0};
	int c;
	while ((c = cli_getopt(argc, argv, "d:u:B:b:s:", opts)) != -1) {
		switch (c) {
		case 'd':
			device = optarg;
			break;
		case 'u':
			if (cli_parse_unit("check", optarg, &unit))
				return CLI_USAGE;
			break;
		case 'B':
			if (n_budgets == MAX_BUDGETS)
				return cli_usage_error("check", "at most %d budgets", MAX_BUDGETS);
			if (augur_budget_parse(optarg, &budgets[n_budgets], &diag)) {
				fprintf(stderr, "augur check: %s: %s\n", diag.path, diag.message);
				return CLI_USAGE;
			}
			n_budgets++;
			break;
		case 'b':
			if (cli_parse_uint("check", "--batch", optarg, AUGUR_MAX_BATCH, &batch))
				return CLI_USAGE;
			break;
		case 's':
			if (n_sets == 64)
				return cli_usage_error("check", "at most 64 --set");
			sets[n_sets++] = optarg;
			break;
		default:
			return CLI_USAGE;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("check", "expects one descriptor (usage: %s)",
		                       augur_command_find("check")->usage);
	if (!device)
		return cli_usage_error("check", "needs --device (a profile name or path)");
	if (!n_budgets)
		return cli_usage_error("check", "needs at least one --budget, e.g. "
		                                "--budget time=100ms --budget memory=1GiB");
	struct eval_request req = {.net_path = argv[optind],
	                           .device = device,
	                           .unit = unit,
	                           .batch = (uint32_t)batch,
	                           .sets = sets,
	                           .n_sets = n_sets,
	                           .estimate = true};
	struct evaluated evd = {0};
	int rc = CLI_OK;
	if (eval_open(&req, &evd, &diag)) {
		rc = cli_trouble(&diag);
		goto out;
	}
	const struct evaluation ev = evd.ev;
	bool all_ok = true;
	/* the network's own budgets once, then each unit's */
	for (size_t b = 0; b < n_budgets; b++) {
		const struct augur_budget *bg = &budgets[b];
		if (bg->kind != AUGUR_BUDGET_PARAMS && bg->kind != AUGUR_BUDGET_MACS)
			continue;
		double value = (double)(bg->kind == AUGUR_BUDGET_PARAMS ? ev.a->total.params
		                                                        : ev.a->total.macs);
		bool ok = augur_budget_holds(bg, value);
		all_ok &= ok;
		char v[32], m[32];
		cli_count(v, sizeof(v), (uint64_t)value);
		cli_count(m, sizeof(m), (uint64_t)(ok ? bg->limit - value : value - bg->limit));
		printf("%-4s %s %s, budget %s: %s by %s\n", ok ? "ok" : "FAIL",
		       augur_budget_kind_name(bg->kind), v, bg->text, ok ? "under" : "over", m);
	}
	for (size_t u = 0; u < ev.n_units; u++) {
		const struct augur_unit_estimate *e = &ev.est[u];
		const char *un = augur_unit_kind_name(e->unit->kind);
		for (size_t b = 0; b < n_budgets; b++) {
			const struct augur_budget *bg = &budgets[b];
			double value;
			switch (bg->kind) {
			case AUGUR_BUDGET_TIME:
				value = e->total_ms;
				break;
			case AUGUR_BUDGET_MEMORY:
				value = (double)e->memory_bytes;
				break;
			case AUGUR_BUDGET_THROUGHPUT:
				value = e->total_ms > 0 ? 1000.0 * ev.a->batch / e->total_ms : 0.0;
				break;
			default: /* the network's own, above */
				continue;
			}
			bool ok = augur_budget_holds(bg, value);
			all_ok &= ok;
			double margin = ok ? bg->limit - value : value - bg->limit;
			if (bg->kind == AUGUR_BUDGET_THROUGHPUT)
				margin = -margin; /* a minimum: "over" means more than asked */
			const char *side =
			        (bg->kind == AUGUR_BUDGET_THROUGHPUT) == ok ? "over" : "under";
			if (bg->kind == AUGUR_BUDGET_TIME) {
				char v[32], m[32];
				cli_ms(v, sizeof(v), value);
				cli_ms(m, sizeof(m), margin);
				printf("%-4s %s time %s ms, budget %s: %s by %s ms\n",
				       ok ? "ok" : "FAIL", un, v, bg->text, side, m);
			} else if (bg->kind == AUGUR_BUDGET_MEMORY) {
				printf("%-4s %s memory %.1f MiB, budget %s: %s by %.1f MiB\n",
				       ok ? "ok" : "FAIL", un, cli_mib((uint64_t)value), bg->text,
				       side, margin / 1048576.0);
			} else {
				printf("%-4s %s throughput %.4g/s, budget %s: %s by %.4g/s\n",
				       ok ? "ok" : "FAIL", un, value, bg->text, side, margin);
			}
		}
	}
	for (size_t u = 0; u < ev.n_units; u++)
		cli_print_uncosted(stdout, "note: ", &ev.est[u]);
	rc = all_ok ? CLI_OK : CLI_FAIL;
out:
	eval_close(&evd);
	return rc;
}
