/* augur check: does a network meet its budgets on a device? Exit 0 when every budget
 * holds on every unit checked, 1 when one does not, 2 on trouble (as grep and diff): for
 * scripts and architecture-search loops. Every budget is evaluated first, then printed as
 * a table, JSON or CSV. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "augur-config.h"
#include "budget.h"
#include "cli.h"
#include "options.h"
#include "descriptor.h"
#include "evaluate.h"
#include "jsonw.h"
#include "netfile.h"
#include "table.h"

#define MAX_BUDGETS CLI_MAX_BUDGETS

/* One budget on one unit (unit NULL: a budget on the network itself). */
struct verdict {
	const struct augur_budget *budget;
	const struct augur_unit_estimate *unit;
	double value;
	bool holds;
	double margin; /* how far inside (holds) or outside the budget, >= 0 */
};

/* The budgets on the network first (params, macs), then each unit's. */
static size_t judge(const struct evaluation *ev, const struct augur_budget *budgets,
                    size_t n_budgets, struct verdict *out)
{
	size_t n = 0;
	for (size_t b = 0; b < n_budgets; b++) {
		const struct augur_budget *bg = &budgets[b];
		if (bg->kind != AUGUR_BUDGET_PARAMS && bg->kind != AUGUR_BUDGET_MACS)
			continue;
		double v = (double)(bg->kind == AUGUR_BUDGET_PARAMS ? ev->a->total.params
		                                                    : ev->a->total.macs);
		out[n++] = (struct verdict){bg, NULL, v, augur_budget_holds(bg, v), 0};
	}
	for (size_t u = 0; u < ev->n_units; u++) {
		const struct augur_unit_estimate *e = &ev->est[u];
		for (size_t b = 0; b < n_budgets; b++) {
			const struct augur_budget *bg = &budgets[b];
			double v;
			if (bg->kind == AUGUR_BUDGET_TIME)
				v = e->total_ms;
			else if (bg->kind == AUGUR_BUDGET_MEMORY)
				v = (double)e->memory_bytes;
			else if (bg->kind == AUGUR_BUDGET_THROUGHPUT)
				v = e->total_ms > 0 ? 1000.0 * ev->a->batch / e->total_ms : 0.0;
			else
				continue;
			out[n++] = (struct verdict){bg, e, v, augur_budget_holds(bg, v), 0};
		}
	}
	for (size_t i = 0; i < n; i++)
		out[i].margin = out[i].value > out[i].budget->limit
		                        ? out[i].value - out[i].budget->limit
		                        : out[i].budget->limit - out[i].value;
	return n;
}

static void print_table(const struct verdict *v, size_t n, const struct evaluation *ev)
{
	for (size_t i = 0; i < n; i++) {
		const struct augur_budget *bg = v[i].budget;
		const char *mark = v[i].holds ? "ok  " : "FAIL";
		/* "under" / "over" the limit: a throughput holds over it */
		const char *side = v[i].value > bg->limit ? "over" : "under";
		const char *un = v[i].unit ? augur_unit_kind_name(v[i].unit->unit->kind) : "";
		char a[32], m[32];
		switch (bg->kind) {
		case AUGUR_BUDGET_TIME:
			cli_ms(a, sizeof(a), v[i].value);
			cli_ms(m, sizeof(m), v[i].margin);
			printf("%s %s time %s ms, budget %s: %s by %s ms\n", mark, un, a, bg->text,
			       side, m);
			break;
		case AUGUR_BUDGET_MEMORY:
			printf("%s %s memory %.1f MiB, budget %s: %s by %.1f MiB\n", mark, un,
			       cli_mib((uint64_t)v[i].value), bg->text, side,
			       v[i].margin / 1048576.0);
			/* the estimate is one process's heap history (augur_heap_view) */
			if (v[i].holds && v[i].unit && v[i].unit->memory_hole_bytes &&
			    !augur_budget_holds(bg, (double)v[i].unit->memory_high_bytes))
				cli_wrapf(
				        stdout, 8,
				        "note: %s memory may settle at %.1f MiB in another process "
				        "(a freed buffer's hole the heap does not reuse), over the "
				        "budget",
				        un, cli_mib(v[i].unit->memory_high_bytes));
			break;
		case AUGUR_BUDGET_THROUGHPUT:
			printf("%s %s throughput %.4g/s, budget %s: %s by %.4g/s\n", mark, un,
			       v[i].value, bg->text, side, v[i].margin);
			break;
		default:
			cli_count(a, sizeof(a), (uint64_t)v[i].value);
			cli_count(m, sizeof(m), (uint64_t)v[i].margin);
			printf("%s %s %s, budget %s: %s by %s\n", mark,
			       augur_budget_kind_name(bg->kind), a, bg->text, side, m);
		}
	}
	for (size_t u = 0; u < ev->n_units; u++) {
		cli_print_uncosted(stdout, "note: ", &ev->est[u]);
		cli_print_extrapolated(stdout, "note: ", &ev->est[u]);
	}
}

/* The unit's coverage: how many layers its time leaves out, and their types. */
static void json_uncosted(struct jsonw *w, const struct augur_unit_estimate *e)
{
	jw_object(w, NULL, true);
	jw_string(w, "unit", augur_unit_kind_name(e->unit->kind));
	jw_string(w, "method", e->unit->costs ? "layer-costs" : "gemm-sum");
	jw_uint(w, "layers_uncosted", e->layers_uncosted);
	jw_uint(w, "layers_outside_calls", e->layers_outside_calls);
	jw_uint(w, "gemms_outside_range", e->gemms_outside_range);
	jw_array(w, "uncosted_types", true);
	for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++)
		if (e->types_uncosted & (1u << t))
			jw_string(w, NULL, augur_layer_type_name(t));
	jw_end(w);
	jw_end(w);
}

/* One row per verdict. JSON keeps counts and bytes whole and exact, times and
 * throughputs as numbers; CSV writes the network's counts rounded and every unit's figure
 * as a number, and holds as true/false. */
static const struct tbl_col verdict_cols[] = {
        {.key = "budget", .kind = TBL_TEXT},
        {.key = "limit", .kind = TBL_TEXT},
        {.key = "unit", .kind = TBL_TEXT},
        {.key = "value", .kind = TBL_DOUBLE, .in = TBL_IN_JSON},
        {.key = "value", .kind = TBL_DOUBLE, .in = TBL_IN_CSV},
        {.key = "limit_value", .kind = TBL_DOUBLE, .in = TBL_IN_JSON},
        {.key = "limit_value", .kind = TBL_DOUBLE, .in = TBL_IN_CSV},
        {.key = "holds", .kind = TBL_BOOL, .in = TBL_IN_JSON},
        {.key = "holds", .kind = TBL_TEXT, .in = TBL_IN_CSV},
        {.key = "margin", .kind = TBL_DOUBLE, .in = TBL_IN_JSON},
        {.key = "margin", .kind = TBL_DOUBLE, .in = TBL_IN_CSV},
};

/* A figure of a verdict: in JSON whole (truncated) when json_whole, in CSV whole
 * (rounded) when csv_whole, else a number. */
static void figure(struct tbl *t, double v, bool json_whole, bool csv_whole)
{
	if (json_whole)
		tbl_uint(t, (uint64_t)v);
	else
		tbl_double(t, v);
	if (csv_whole)
		tbl_uint(t, (uint64_t)nearbyint(v));
	else
		tbl_double(t, v);
}

static struct tbl *verdict_table(const struct verdict *v, size_t n)
{
	struct tbl *t = tbl_new(verdict_cols, sizeof(verdict_cols) / sizeof(verdict_cols[0]));
	for (size_t i = 0; t && i < n; i++) {
		tbl_row(t);
		tbl_text(t, augur_budget_kind_name(v[i].budget->kind));
		tbl_text(t, v[i].budget->text);
		if (v[i].unit)
			tbl_text(t, augur_unit_kind_name(v[i].unit->unit->kind));
		else
			tbl_null(t);
		/* counts and bytes: whole numbers, exactly */
		bool exact = !v[i].unit || v[i].budget->kind == AUGUR_BUDGET_MEMORY;
		figure(t, v[i].value, exact, !v[i].unit);
		figure(t, v[i].budget->limit, exact, !v[i].unit);
		tbl_uint(t, v[i].holds);
		tbl_text(t, v[i].holds ? "true" : "false");
		figure(t, v[i].margin, exact, !v[i].unit);
	}
	return t;
}

static int print_json(const struct verdict *v, size_t n, const struct evaluated *evd, bool all_hold)
{
	struct jsonw *w = jw_new(stdout);
	struct tbl *t = verdict_table(v, n);
	int rc = -1;
	if (!w || !t)
		goto out;
	jw_object(w, NULL, false);
	jw_string(w, "augur_version", AUGUR_VERSION);
	jw_string(w, "network", evd->net->name);
	jw_uint(w, "batch", evd->ev.a->batch);
	jw_device(w, evd->p, evd->profile_path);
	jw_bool(w, "all_hold", all_hold);
	if (tbl_write_json(t, w, "budgets"))
		goto out;
	jw_array(w, "coverage", false);
	for (size_t u = 0; u < evd->ev.n_units; u++)
		json_uncosted(w, &evd->ev.est[u]);
	jw_end(w);
	jw_end(w);
	rc = 0;
out:
	tbl_free(t);
	jw_free(w);
	return rc;
}

static int print_csv(const struct verdict *v, size_t n)
{
	struct tbl *t = verdict_table(v, n);
	int rc = t ? tbl_print_csv(t, stdout) : -1;
	tbl_free(t);
	return rc;
}

struct check_args {
	const char *device, *unit;
	struct cli_budgets budgets;
	const char *sets[64];
	size_t n_sets;
	uint64_t batch;
	enum cli_format format;
};

static const struct cli_opt check_opts[] = {
        CLI_DEVICE(struct check_args, device),
        CLI_BUDGETS(struct check_args, budgets,
                    "a budget: time=100ms, memory=1GiB, params=N, macs=N or\n"
                    "throughput=N/s (see below); at least one, repeatable"),
        CLI_UNITS(struct check_args, unit),
        CLI_SET(struct check_args, sets, n_sets,
                "edit the descriptor first, as whatif does (repeatable)"),
        CLI_BATCH(struct check_args, batch),
        CLI_FORMAT(struct check_args, format,
                   "table, json (every verdict) or csv (one row per verdict)"),
        CLI_END,
};

const struct cli_spec cmd_check_spec = {"check", check_opts, 1, 1, "a descriptor", true};

int cmd_check(int argc, char **argv)
{
	struct check_args o = {.unit = "all", .format = CLI_TABLE};
	struct augur_diag diag = {0};
	char **args;
	int n_args;
	if (cli_parse(&cmd_check_spec, argc, argv, &o, &args, &n_args))
		return CLI_USAGE;
	if (!o.budgets.n)
		return cli_usage_error("check", "needs at least one --budget, e.g. "
		                                "--budget time=100ms --budget memory=1GiB");
	struct eval_request req = {.net_path = args[0],
	                           .device = o.device,
	                           .unit = o.unit,
	                           .batch = (uint32_t)o.batch,
	                           .sets = o.sets,
	                           .n_sets = o.n_sets,
	                           .estimate = true};
	struct evaluated evd = {0};
	int rc = CLI_OK;
	if (eval_open(&req, &evd, &diag)) {
		rc = cli_trouble(&diag);
		goto out;
	}
	struct verdict verdicts[MAX_BUDGETS * 2];
	size_t n = judge(&evd.ev, o.budgets.b, o.budgets.n, verdicts);
	bool all_ok = true;
	for (size_t i = 0; i < n; i++)
		all_ok &= verdicts[i].holds;
	int printed = 0;
	if (o.format == CLI_JSON)
		printed = print_json(verdicts, n, &evd, all_ok);
	else if (o.format == CLI_CSV)
		printed = print_csv(verdicts, n);
	else
		print_table(verdicts, n, &evd.ev);
	if (printed) {
		cli_error("check", "out of memory");
		rc = 2; /* trouble, not a verdict */
		goto out;
	}
	rc = all_ok ? CLI_OK : CLI_FAIL;
out:
	eval_close(&evd);
	return rc;
}
