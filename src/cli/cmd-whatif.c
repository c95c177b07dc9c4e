/* augur whatif: change a network on paper and see time and memory move. --set edits the
 * descriptor (re-traced from the edit on, so fc6's k follows conv5_3's filters); --sweep
 * evaluates one row per value (two sweeps: the cross product), like the very-deep-CNNs
 * seed's Table 1 of fc sizes on a TK1, re-analysing each variant incrementally. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "augur-config.h"
#include "cli.h"
#include "descriptor.h"
#include "evaluate.h"
#include "incremental.h"
#include "netfile.h"
#include "sweep.h"

#define MAX_SETS 64

struct sweep {
	const char *spec;          /* as given */
	struct augur_sweep parsed; /* target and values (src/core/sweep.c) */
	struct augur_edit *edits;  /* one per value, parsed against the network */
};

/* --sweep errors are usage errors: "augur whatif: MESSAGE", exit 2 */
static int parse_sweep(const char *spec, struct sweep *s)
{
	struct augur_diag diag = {0};
	s->spec = spec;
	int rc = augur_sweep_parse(spec, &s->parsed, &diag);
	if (rc == AUGUR_E_NOMEM)
		return cli_report(&diag);
	if (rc)
		return cli_usage_error("whatif", "%s", diag.message);
	return CLI_OK;
}

static void sweep_free(struct sweep *s)
{
	augur_sweep_clear(&s->parsed);
	free(s->edits);
	s->edits = NULL;
}

/* Rewrites a diagnostic about a variant so it names the option that made it. */
static void name_variant(struct augur_diag *diag, const char *what)
{
	char msg[AUGUR_DIAG_MSG_MAX + AUGUR_DIAG_PATH_MAX + 32];
	snprintf(msg, sizeof(msg), "%s (in %s:%u)", diag->message, diag->path, diag->line);
	/* keep the message's start: the cause comes first */
	msg[AUGUR_DIAG_MSG_MAX - 1] = '\0';
	memcpy(diag->message, msg, sizeof(diag->message));
	snprintf(diag->path, sizeof(diag->path), "%s", what);
	diag->line = diag->col = 0;
}

/* Evaluates a variant; a variant that no longer traces names the option that broke it. */
static int evaluate_variant(const struct augur_net *net, uint32_t batch,
                            const struct augur_profile *p, const struct augur_unit *const *units,
                            size_t n_units, const char *what, struct evaluation *ev,
                            struct augur_diag *diag)
{
	int rc = eval_run(net, batch, p, units, n_units, ev, diag);
	if (rc && what)
		name_variant(diag, what);
	return rc;
}

static double pct(double before, double after)
{
	return before ? 100.0 * (after - before) / before : 0.0;
}

static void compare_row(const char *label, double before, double after, const char *fmt)
{
	char b[32], a[32];
	snprintf(b, sizeof(b), fmt, before);
	snprintf(a, sizeof(a), fmt, after);
	printf("  %-30s %14s %14s %+9.1f%%\n", label, b, a, pct(before, after));
}

static void print_before_after(const struct augur_net *net, const struct augur_profile *p,
                               const struct evaluation *b, const struct evaluation *a)
{
	printf("%s on %s\n\n  %-30s %14s %14s %10s\n", net->name, p->name, "", "before", "after",
	       "change");
	compare_row("parameters", (double)b->a->total.params, (double)a->a->total.params, "%.0f");
	compare_row("MACs", (double)b->a->total.macs, (double)a->a->total.macs, "%.0f");
	for (size_t u = 0; u < b->n_units; u++) {
		char label[64];
		const char *un = augur_unit_kind_name(b->est[u].unit->kind);
		snprintf(label, sizeof(label), "%s forward time (ms)", un);
		compare_row(label, b->est[u].total_ms, a->est[u].total_ms, "%.2f");
		snprintf(label, sizeof(label), "%s memory needed (MiB)", un);
		compare_row(label, cli_mib(b->est[u].memory_bytes), cli_mib(a->est[u].memory_bytes),
		            "%.1f");
	}
	const struct augur_memory *mb = &b->a->memory, *ma = &a->a->memory;
	compare_row("paper view: weights (MiB)", cli_mib(mb->paper_weights),
	            cli_mib(ma->paper_weights), "%.2f");
	compare_row("paper view: data (MiB)", cli_mib(mb->paper_data), cli_mib(ma->paper_data),
	            "%.2f");
	compare_row("paper view: workspace (MiB)", cli_mib(mb->paper_workspace),
	            cli_mib(ma->paper_workspace), "%.2f");
	compare_row("allocated view: total (MiB)", cli_mib(mb->alloc_total),
	            cli_mib(ma->alloc_total), "%.2f");
	compare_row("minimal view: total (MiB)", cli_mib(mb->min_total), cli_mib(ma->min_total),
	            "%.2f");
	for (size_t u = 0; u < b->n_units; u++)
		if (b->est[u].fits != a->est[u].fits)
			printf("\n%s: the network %s fits in %.0f MiB\n",
			       augur_unit_kind_name(b->est[u].unit->kind),
			       a->est[u].fits ? "now" : "no longer",
			       cli_mib(a->est[u].capacity_bytes));
	/* the layers whose predicted time moved most, on the first unit */
	const struct augur_unit_estimate *eb = &b->est[0], *ea = &a->est[0];
	size_t order[5] = {0};
	size_t n = 0;
	for (size_t i = 0; i < eb->n_layers; i++) {
		double d = ea->layers[i].time_ms - eb->layers[i].time_ms;
		if (d == 0)
			continue;
		size_t at = n < 5 ? n++ : 5;
		for (; at > 0; at--) {
			size_t j = order[at - 1];
			double dj = ea->layers[j].time_ms - eb->layers[j].time_ms;
			if ((d < 0 ? -d : d) <= (dj < 0 ? -dj : dj))
				break;
			if (at < 5)
				order[at] = j;
		}
		if (at < 5)
			order[at] = i;
	}
	if (!n)
		return;
	printf("\nlayers whose %s time moved most:\n", augur_unit_kind_name(eb->unit->kind));
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		printf("  %-24s %-8s %10.3f -> %10.3f ms (%+.3f)\n", net->layers[i].name,
		       augur_layer_type_name(net->layers[i].type), eb->layers[i].time_ms,
		       ea->layers[i].time_ms, ea->layers[i].time_ms - eb->layers[i].time_ms);
	}
}

struct row_ctx {
	enum cli_format format;
	const struct sweep *sweeps;
	size_t n_sweeps;
	bool first;
};

static void print_row(struct row_ctx *rc, const size_t *idx, const struct evaluation *ev)
{
	if (rc->format == CLI_JSON) {
		printf("%s    {", rc->first ? "" : ",\n");
		for (size_t s = 0; s < rc->n_sweeps; s++) {
			printf("\"%s\": ", rc->sweeps[s].parsed.target);
			cli_json_string(stdout, rc->sweeps[s].parsed.values[idx[s]]);
			printf(", ");
		}
		printf("\"params\": %llu, \"macs\": %llu, \"units\": [",
		       (unsigned long long)ev->a->total.params,
		       (unsigned long long)ev->a->total.macs);
		for (size_t u = 0; u < ev->n_units; u++)
			printf("%s{\"unit\": \"%s\", \"time_ms\": %.6g, \"memory_bytes\": %llu, "
			       "\"fits\": %s}",
			       u ? ", " : "", augur_unit_kind_name(ev->est[u].unit->kind),
			       ev->est[u].total_ms, (unsigned long long)ev->est[u].memory_bytes,
			       ev->est[u].fits ? "true" : "false");
		printf("]}");
	} else if (rc->format == CLI_CSV) {
		for (size_t s = 0; s < rc->n_sweeps; s++) {
			cli_csv_field(stdout, rc->sweeps[s].parsed.values[idx[s]]);
			printf(",");
		}
		printf("%llu,%llu", (unsigned long long)ev->a->total.params,
		       (unsigned long long)ev->a->total.macs);
		for (size_t u = 0; u < ev->n_units; u++)
			printf(",%.6g,%llu,%d", ev->est[u].total_ms,
			       (unsigned long long)ev->est[u].memory_bytes, ev->est[u].fits);
		printf("\n");
	} else {
		for (size_t s = 0; s < rc->n_sweeps; s++)
			printf("%-16s ", rc->sweeps[s].parsed.values[idx[s]]);
		char params[32], macs[32];
		cli_count(params, sizeof(params), ev->a->total.params);
		cli_count(macs, sizeof(macs), ev->a->total.macs);
		printf("%9s %9s", params, macs);
		for (size_t u = 0; u < ev->n_units; u++)
			printf(" %12.1f %10.1f %-4s", ev->est[u].total_ms,
			       cli_mib(ev->est[u].memory_bytes), ev->est[u].fits ? "yes" : "NO");
		printf("\n");
	}
	rc->first = false;
}

static void print_header(const struct row_ctx *rc, const struct augur_net *net,
                         const struct augur_profile *p, const struct evaluation *ev)
{
	if (rc->format == CLI_JSON) {
		printf("{\n  \"augur_version\": \"%s\",\n  \"network\": ", AUGUR_VERSION);
		cli_json_string(stdout, net->name);
		printf(",\n  \"device\": ");
		cli_json_string(stdout, p->name);
		printf(",\n  \"rows\": [\n");
		return;
	}
	if (rc->format == CLI_CSV) {
		for (size_t s = 0; s < rc->n_sweeps; s++) {
			cli_csv_field(stdout, rc->sweeps[s].parsed.target);
			printf(",");
		}
		printf("params,macs");
		for (size_t u = 0; u < ev->n_units; u++) {
			const char *un = augur_unit_kind_name(ev->est[u].unit->kind);
			printf(",%s_time_ms,%s_memory_bytes,%s_fits", un, un, un);
		}
		printf("\n");
		return;
	}
	printf("%s on %s\n\n", net->name, p->name);
	for (size_t s = 0; s < rc->n_sweeps; s++)
		printf("%-16s ", rc->sweeps[s].parsed.target);
	printf("%9s %9s", "params", "MACs");
	for (size_t u = 0; u < ev->n_units; u++) {
		const char *un = augur_unit_kind_name(ev->est[u].unit->kind);
		char t[32], m[32];
		snprintf(t, sizeof(t), "%s ms", un);
		snprintf(m, sizeof(m), "%s MiB", un);
		printf(" %12s %10s %-4s", t, m, "fits");
	}
	printf("\n");
}

int cmd_whatif(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"device", required_argument, NULL, 'd'},
	        {"unit", required_argument, NULL, 'u'},
	        {"set", required_argument, NULL, 's'},
	        {"sweep", required_argument, NULL, 'S'},
	        {"batch", required_argument, NULL, 'b'},
	        {"format", required_argument, NULL, 'f'},
	        {NULL, 0, NULL, 0},
	};
	const char *device = NULL, *unit = "all";
	const char *sets[MAX_SETS];
	size_t n_sets = 0, n_sweeps = 0;
	struct sweep sweeps[2] = {{0}};
	uint64_t batch = 0;
	enum cli_format format = CLI_TABLE;
	int rc = CLI_OK, c;
	while ((c = cli_getopt(argc, argv, "d:u:s:S:b:f:", opts)) != -1) {
		switch (c) {
		case 'd':
			device = optarg;
			break;
		case 'u':
			if (cli_parse_unit("whatif", optarg, &unit)) {
				rc = CLI_USAGE;
				goto out_sweeps;
			}
			break;
		case 's':
			if (n_sets == MAX_SETS) {
				rc = cli_usage_error("whatif", "at most %d --set", MAX_SETS);
				goto out_sweeps;
			}
			sets[n_sets++] = optarg;
			break;
		case 'S':
			if (n_sweeps == 2) {
				rc = cli_usage_error("whatif", "at most two --sweep");
				goto out_sweeps;
			}
			if ((rc = parse_sweep(optarg, &sweeps[n_sweeps++])))
				goto out_sweeps;
			break;
		case 'b':
			if (cli_parse_uint("whatif", "--batch", optarg, AUGUR_MAX_BATCH, &batch)) {
				rc = CLI_USAGE;
				goto out_sweeps;
			}
			break;
		case 'f':
			if (cli_parse_format("whatif", optarg, &format)) {
				rc = CLI_USAGE;
				goto out_sweeps;
			}
			break;
		default:
			rc = CLI_USAGE;
			goto out_sweeps;
		}
	}
	if (optind != argc - 1 || !device || (!n_sets && !n_sweeps)) {
		rc = cli_usage_error("whatif",
		                     "expects one descriptor, --device and at least one "
		                     "--set or --sweep (usage: %s)",
		                     augur_command_find("whatif")->usage);
		goto out_sweeps;
	}
	struct augur_diag diag = {0};
	char path[4096];
	struct augur_profile *p = NULL;
	struct augur_net *base = NULL, *changed = NULL;
	struct evaluation before = {0}, after = {0};
	struct augur_incr *inc = NULL;
	const struct augur_unit *units[2];
	size_t n_units = 0;
	if (eval_load_profile(device, path, sizeof(path), &p, &diag) ||
	    eval_units(p, unit, path, units, &n_units, &diag) ||
	    augur_net_load(argv[optind], &base, &diag) ||
	    evaluate_variant(base, (uint32_t)batch, p, units, n_units, NULL, &before, &diag)) {
		rc = cli_report(&diag);
		goto out;
	}
	if (!(changed = augur_net_clone(base))) {
		rc = CLI_FAIL;
		goto out;
	}
	for (size_t i = 0; i < n_sets; i++)
		if (augur_descriptor_set(changed, sets[i], &diag)) {
			rc = cli_report(&diag);
			goto out;
		}
	if (!n_sweeps) {
		char what[AUGUR_DIAG_PATH_MAX];
		snprintf(what, sizeof(what), "--set %s%s", sets[0], n_sets > 1 ? " ..." : "");
		if (evaluate_variant(changed, (uint32_t)batch, p, units, n_units, what, &after,
		                     &diag)) {
			rc = cli_report(&diag);
			goto out;
		}
		print_before_after(base, p, &before, &after);
		goto out;
	}
	/* every value parsed once, then each variant applied to the network in place and
	 * re-analysed from the layers it changes (incremental.h) */
	for (size_t s = 0; s < n_sweeps; s++) {
		if (!(sweeps[s].edits = calloc(sweeps[s].parsed.n, sizeof(*sweeps[s].edits)))) {
			rc = CLI_FAIL;
			goto out;
		}
		for (size_t i = 0; i < sweeps[s].parsed.n; i++)
			if (augur_sweep_edit(changed, &sweeps[s].parsed, i, &sweeps[s].edits[i],
			                     &diag)) {
				rc = cli_report(&diag);
				goto out;
			}
	}
	if (augur_incr_new(changed, (uint32_t)batch, p, units, n_units, &inc, &diag)) {
		rc = cli_report(&diag);
		goto out;
	}
	struct row_ctx ctx = {format, sweeps, n_sweeps, true};
	print_header(&ctx, base, p, &before);
	size_t n1 = sweeps[0].parsed.n, n2 = n_sweeps > 1 ? sweeps[1].parsed.n : 1;
	for (size_t i = 0; i < n1 && rc == CLI_OK; i++) {
		for (size_t j = 0; j < n2 && rc == CLI_OK; j++) {
			size_t idx[2] = {i, j};
			if (augur_incr_apply(inc, &sweeps[0].edits[i]) ||
			    (n_sweeps > 1 && augur_incr_apply(inc, &sweeps[1].edits[j]))) {
				rc = CLI_FAIL;
				break;
			}
			if (augur_incr_update(inc, &diag)) {
				char what[AUGUR_DIAG_PATH_MAX];
				int len = snprintf(what, sizeof(what), "--sweep %s (value %s)",
				                   sweeps[0].spec, sweeps[0].parsed.values[i]);
				if (n_sweeps > 1 && len > 0 && (size_t)len < sizeof(what))
					snprintf(what + len, sizeof(what) - (size_t)len,
					         ", --sweep %s (value %s)", sweeps[1].spec,
					         sweeps[1].parsed.values[j]);
				name_variant(&diag, what);
				rc = cli_report(&diag);
			} else {
				/* a read-only view of the context's figures, for print_row */
				struct evaluation ev = {0};
				ev.a = (struct augur_analysis *)augur_incr_analysis(inc);
				ev.n_units = n_units;
				for (size_t u = 0; u < n_units; u++)
					ev.est[u] = *augur_incr_estimate(inc, u);
				print_row(&ctx, idx, &ev);
			}
			augur_incr_revert(inc);
		}
	}
	if (format == CLI_JSON)
		printf("\n  ]\n}\n");
out:
	augur_incr_free(inc);
	eval_clear(&before);
	eval_clear(&after);
	augur_net_free(base);
	augur_net_free(changed);
	augur_profile_free(p);
out_sweeps:
	for (size_t s = 0; s < 2; s++)
		sweep_free(&sweeps[s]);
	return rc;
}
