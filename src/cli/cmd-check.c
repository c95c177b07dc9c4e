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
	for (size_t u = 0; u < ev.n_units; u++) {
		const struct augur_unit_estimate *e = &ev.est[u];
		for (size_t b = 0; b < n_budgets; b++) {
			const struct augur_budget *bg = &budgets[b];
			bool time = bg->kind == AUGUR_BUDGET_TIME;
			double value = time ? e->total_ms : (double)e->memory_bytes;
			bool ok = value <= bg->limit;
			all_ok &= ok;
			double margin = bg->limit - value;
			if (time) {
				char v[32], m[32];
				cli_ms(v, sizeof(v), value);
				cli_ms(m, sizeof(m), ok ? margin : -margin);
				printf("%-4s %s time %s ms, budget %s: %s by %s ms\n",
				       ok ? "ok" : "FAIL", augur_unit_kind_name(e->unit->kind), v,
				       bg->text, ok ? "under" : "over", m);
			} else
				printf("%-4s %s memory %.1f MiB, budget %s: %s by %.1f MiB\n",
				       ok ? "ok" : "FAIL", augur_unit_kind_name(e->unit->kind),
				       cli_mib((uint64_t)value), bg->text, ok ? "under" : "over",
				       (ok ? margin : -margin) / 1048576.0);
		}
	}
	for (size_t u = 0; u < ev.n_units; u++)
		cli_print_uncosted(stdout, "note: ", &ev.est[u]);
	rc = all_ok ? CLI_OK : CLI_FAIL;
out:
	eval_close(&evd);
	return rc;
}
