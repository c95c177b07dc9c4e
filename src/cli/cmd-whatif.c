/* augur whatif: change a network on paper and see time and memory move. --set edits the
 * descriptor (re-traced from the edit on, so fc6's k follows conv5_3's filters); --sweep
 * evaluates one row per value (two sweeps: the cross product), like the very-deep-CNNs
 * Rallapalli et al.'s Table 1 of fc sizes on a TK1, re-analysing each variant incrementally. --plot
 * draws the sweep as an HTML page: lines against the value, or heat maps for two. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "augur-config.h"
#include "budget.h"
#include "cli.h"
#include "options.h"
#include "descriptor.h"
#include "evaluate.h"
#include "incremental.h"
#include "jsonw.h"
#include "netfile.h"
#include "page.h"
#include "sweep.h"
#include "table.h"

#define MAX_SETS    64
#define MAX_BUDGETS 4

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

/* Up to five layers whose predicted time moved most between eb and ea, largest move
 * first, into order; returns how many moved at all. */
static size_t moved_most(const struct augur_unit_estimate *eb, const struct augur_unit_estimate *ea,
                         size_t order[5])
{
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
	return n;
}

/* One side (before or after) of a --set comparison. */
static void json_side(struct jsonw *w, const char *key, const struct evaluation *e)
{
	jw_object(w, key, false);
	jw_uint(w, "params", e->a->total.params);
	jw_uint(w, "macs", e->a->total.macs);
	jw_array(w, "units", false);
	for (size_t u = 0; u < e->n_units; u++) {
		jw_object(w, NULL, true);
		jw_string(w, "unit", augur_unit_kind_name(e->est[u].unit->kind));
		jw_double(w, "time_ms", e->est[u].total_ms);
		jw_uint(w, "memory_bytes", e->est[u].memory_bytes);
		jw_uint(w, "memory_high_bytes", e->est[u].memory_high_bytes);
		jw_bool(w, "fits", e->est[u].fits);
		jw_uint(w, "layers_uncosted", e->est[u].layers_uncosted);
		jw_end(w);
	}
	jw_end(w);
	const struct augur_memory *m = &e->a->memory;
	jw_object(w, "memory_views", true);
	jw_uint(w, "paper_weights_bytes", m->paper_weights);
	jw_uint(w, "paper_data_bytes", m->paper_data);
	jw_uint(w, "paper_workspace_bytes", m->paper_workspace);
	jw_uint(w, "allocated_bytes", m->alloc_total);
	jw_uint(w, "minimal_bytes", m->min_total);
	jw_end(w);
	jw_end(w);
}

/* A whatif document on stdout, its root open: the version, the network and the device (a
 * loaded profile always has a description). NULL when out of memory. */
static struct jsonw *json_begin(const struct augur_net *net, const struct augur_profile *p,
                                const char *profile_path)
{
	struct jsonw *w = jw_new(stdout);
	if (!w)
		return NULL;
	jw_object(w, NULL, false);
	jw_string(w, "augur_version", AUGUR_VERSION);
	jw_string(w, "network", net->name);
	jw_device(w, p, profile_path);
	return w;
}

static int print_before_after_json(const struct augur_net *net, const struct augur_profile *p,
                                   const char *profile_path, const struct evaluation *b,
                                   const struct evaluation *a, const char *const *sets,
                                   size_t n_sets)
{
	struct jsonw *w = json_begin(net, p, profile_path);
	if (!w)
		return -1;
	jw_array(w, "set", true);
	for (size_t i = 0; i < n_sets; i++)
		jw_string(w, NULL, sets[i]);
	jw_end(w);
	json_side(w, "before", b);
	json_side(w, "after", a);
	size_t order[5];
	size_t n = moved_most(&b->est[0], &a->est[0], order);
	jw_array(w, "moved_most", false);
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		jw_object(w, NULL, true);
		jw_string(w, "layer", net->layers[i].name);
		jw_string(w, "type", augur_layer_type_name(net->layers[i].type));
		jw_string(w, "unit", augur_unit_kind_name(b->est[0].unit->kind));
		jw_double(w, "before_ms", b->est[0].layers[i].time_ms);
		jw_double(w, "after_ms", a->est[0].layers[i].time_ms);
		jw_end(w);
	}
	jw_end(w);
	jw_end(w);
	jw_free(w);
	return 0;
}

/* The quantities of a --set comparison: for people a label, the values in MiB or as
 * counts or times, and the change; for CSV (quantity,before,after) a key and the values
 * in their base units. */
static const struct tbl_col quantity_cols[] = {
        {.head = "",
         .kind = TBL_TEXT,
         .in = TBL_IN_TEXT,
         .min_width = 30,
         .left = true,
         .fixed = true},
        {.key = "quantity", .kind = TBL_TEXT, .in = TBL_IN_CSV},
        {.head = "before", .kind = TBL_TEXT, .in = TBL_IN_TEXT, .min_width = 14, .fixed = true},
        {.key = "before", .kind = TBL_TEXT, .in = TBL_IN_CSV},
        {.head = "after", .kind = TBL_TEXT, .in = TBL_IN_TEXT, .min_width = 14, .fixed = true},
        {.key = "after", .kind = TBL_TEXT, .in = TBL_IN_CSV},
        {.head = "change",
         .kind = TBL_DOUBLE,
         .in = TBL_IN_TEXT,
         .min_width = 10,
         .fixed = true,
         .fmt = "%+.1f%%"},
};

/* One quantity: shown as b and a with fmt (cli_cell), written as cb and ca. */
static void quantity(struct tbl *t, const char *label, const char *key, const char *fmt, double b,
                     double a, const char *cb, const char *ca)
{
	char cell[32];
	tbl_row(t);
	tbl_text(t, label);
	tbl_text(t, key);
	cli_cell(cell, sizeof(cell), fmt, b);
	tbl_text(t, cell);
	tbl_text(t, cb);
	cli_cell(cell, sizeof(cell), fmt, a);
	tbl_text(t, cell);
	tbl_text(t, ca);
	tbl_double(t, pct(b, a));
}

/* A count or byte size (shown in MiB when mib): exact in CSV. */
static void exact(struct tbl *t, const char *label, const char *key, const char *fmt, bool mib,
                  uint64_t b, uint64_t a)
{
	char cb[32], ca[32];
	snprintf(cb, sizeof(cb), "%llu", (unsigned long long)b);
	snprintf(ca, sizeof(ca), "%llu", (unsigned long long)a);
	quantity(t, label, key, fmt, mib ? cli_mib(b) : (double)b, mib ? cli_mib(a) : (double)a, cb,
	         ca);
}

static struct tbl *quantity_table(const struct evaluation *b, const struct evaluation *a)
{
	struct tbl *t = tbl_new(quantity_cols, sizeof(quantity_cols) / sizeof(quantity_cols[0]));
	if (!t)
		return NULL;
	exact(t, "parameters", "params", "%.0f", false, b->a->total.params, a->a->total.params);
	exact(t, "MACs", "macs", "%.0f", false, b->a->total.macs, a->a->total.macs);
	for (size_t u = 0; u < b->n_units; u++) {
		char label[64], key[64], cb[32], ca[32];
		const char *un = augur_unit_kind_name(b->est[u].unit->kind);
		snprintf(label, sizeof(label), "%s forward time (ms)", un);
		snprintf(key, sizeof(key), "%s_time_ms", un);
		snprintf(cb, sizeof(cb), "%.6g", b->est[u].total_ms);
		snprintf(ca, sizeof(ca), "%.6g", a->est[u].total_ms);
		quantity(t, label, key, NULL, b->est[u].total_ms, a->est[u].total_ms, cb, ca);
		snprintf(label, sizeof(label), "%s memory needed (MiB)", un);
		snprintf(key, sizeof(key), "%s_memory_bytes", un);
		exact(t, label, key, "%.1f", true, b->est[u].memory_bytes, a->est[u].memory_bytes);
		/* where another process's peak may settle (the heap view: estimate says it) */
		if (b->est[u].memory_hole_bytes || a->est[u].memory_hole_bytes) {
			snprintf(label, sizeof(label), "%s memory, high end (MiB)", un);
			snprintf(key, sizeof(key), "%s_memory_high_bytes", un);
			exact(t, label, key, "%.1f", true, b->est[u].memory_high_bytes,
			      a->est[u].memory_high_bytes);
		}
	}
	const struct augur_memory *mb = &b->a->memory, *ma = &a->a->memory;
	exact(t, "paper view: weights (MiB)", "paper_weights_bytes", "%.2f", true,
	      mb->paper_weights, ma->paper_weights);
	exact(t, "paper view: data (MiB)", "paper_data_bytes", "%.2f", true, mb->paper_data,
	      ma->paper_data);
	exact(t, "paper view: workspace (MiB)", "paper_workspace_bytes", "%.2f", true,
	      mb->paper_workspace, ma->paper_workspace);
	exact(t, "allocated view: total (MiB)", "allocated_bytes", "%.2f", true, mb->alloc_total,
	      ma->alloc_total);
	exact(t, "minimal view: total (MiB)", "minimal_bytes", "%.2f", true, mb->min_total,
	      ma->min_total);
	return t;
}

static int print_before_after_csv(const struct evaluation *b, const struct evaluation *a)
{
	struct tbl *t = quantity_table(b, a);
	int rc = t ? tbl_print_csv(t, stdout) : -1;
	tbl_free(t);
	return rc;
}

static int print_before_after(const struct augur_net *net, const struct augur_profile *p,
                              const struct evaluation *b, const struct evaluation *a)
{
	struct tbl *t = quantity_table(b, a);
	if (!t)
		return -1;
	printf("%s on %s\n\n", net->name, p->name);
	int rc = tbl_print_text(t, stdout, INT32_MAX, 2);
	tbl_free(t);
	if (rc < 0)
		return -1;
	for (size_t u = 0; u < a->n_units; u++) {
		cli_print_uncosted(stdout, "after: ", &a->est[u]);
		cli_print_extrapolated(stdout, "after: ", &a->est[u]);
	}
	for (size_t u = 0; u < b->n_units; u++)
		if (b->est[u].fits != a->est[u].fits)
			printf("\n%s: the network %s fits in %.0f MiB\n",
			       augur_unit_kind_name(b->est[u].unit->kind),
			       a->est[u].fits ? "now" : "no longer",
			       cli_mib(a->est[u].capacity_bytes));
	/* the layers whose predicted time moved most, on the first unit */
	const struct augur_unit_estimate *eb = &b->est[0], *ea = &a->est[0];
	size_t order[5];
	size_t n = moved_most(eb, ea, order);
	if (!n)
		return 0;
	printf("\nlayers whose %s time moved most:\n", augur_unit_kind_name(eb->unit->kind));
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		printf("  %-24s %-8s %10.3f -> %10.3f ms (%+.3f)\n", net->layers[i].name,
		       augur_layer_type_name(net->layers[i].type), eb->layers[i].time_ms,
		       ea->layers[i].time_ms, ea->layers[i].time_ms - eb->layers[i].time_ms);
	}
	return 0;
}

/* The sweep's rows: one column per sweep (its values), params and MACs, then per unit
 * the time, memory and whether it fits; JSON nests the units as an array per row. */
#define SWEEP_MAX_COLS (2 + 2 + 2 * 5 + 2)

struct row_ctx {
	const struct sweep *sweeps;
	size_t n_sweeps, n_units;
	bool quiet; /* --plot -: stdout is the page's */
	struct tbl *t;
	struct tbl_col cols[SWEEP_MAX_COLS];
	char heads[2][64];        /* each sweep's target, cut to its column */
	char unit_text[2][5][32]; /* per unit: heads and keys */
};

static const struct tbl_col unit_cols[] = {
        {.key = "unit", .kind = TBL_TEXT},
        {.key = "time_ms", .kind = TBL_DOUBLE},
        {.key = "memory_bytes", .kind = TBL_UINT},
        {.key = "fits", .kind = TBL_BOOL},
};

/* The columns: each sweep's values as wide as the widest (at most 16, the header cut
 * to it), then params and MACs while they fit beside the units' columns (MACs go first). */
static struct tbl *sweep_table(struct row_ctx *rc, const struct evaluation *ev)
{
	struct tbl_col *c = rc->cols;
	for (size_t s = 0; s < rc->n_sweeps; s++) {
		const struct augur_sweep *sw = &rc->sweeps[s].parsed;
		int w = cli_chars(sw->target);
		for (size_t i = 0; i < sw->n; i++)
			if (cli_chars(sw->values[i]) > w)
				w = cli_chars(sw->values[i]);
		w = w > 16 ? 16 : w;
		cli_cut(rc->heads[s], sizeof(rc->heads[s]), sw->target, w);
		*c++ = (struct tbl_col){.head = rc->heads[s],
		                        .key = sw->target,
		                        .kind = TBL_TEXT,
		                        .min_width = w,
		                        .left = true,
		                        .fixed = true};
	}
	*c++ = (struct tbl_col){.head = "params",
	                        .key = "params",
	                        .kind = TBL_COUNT,
	                        .min_width = 7,
	                        .fixed = true,
	                        .drop = 2};
	*c++ = (struct tbl_col){.head = "MACs",
	                        .key = "macs",
	                        .kind = TBL_COUNT,
	                        .min_width = 7,
	                        .fixed = true,
	                        .drop = 1};
	for (size_t u = 0; u < rc->n_units; u++) {
		const char *un = augur_unit_kind_name(ev->est[u].unit->kind);
		char(*x)[32] = rc->unit_text[u];
		snprintf(x[0], sizeof(x[0]), "%s ms", un);
		snprintf(x[1], sizeof(x[1]), "%s_time_ms", un);
		snprintf(x[2], sizeof(x[2]), "%s MiB", un);
		snprintf(x[3], sizeof(x[3]), "%s_memory_bytes", un);
		snprintf(x[4], sizeof(x[4]), "%s_fits", un);
		*c++ = (struct tbl_col){.head = x[0],
		                        .key = x[1],
		                        .kind = TBL_DOUBLE,
		                        .fmt = "%.1f",
		                        .in = TBL_IN_TEXT | TBL_IN_CSV,
		                        .min_width = 9,
		                        .fixed = true};
		*c++ = (struct tbl_col){.head = x[2],
		                        .kind = TBL_DOUBLE,
		                        .fmt = "%.1f",
		                        .in = TBL_IN_TEXT,
		                        .min_width = 8,
		                        .fixed = true};
		*c++ = (struct tbl_col){.key = x[3], .kind = TBL_UINT, .in = TBL_IN_CSV};
		*c++ = (struct tbl_col){.head = "fits",
		                        .kind = TBL_TEXT,
		                        .in = TBL_IN_TEXT,
		                        .left = true,
		                        .bare = true};
		*c++ = (struct tbl_col){.key = x[4], .kind = TBL_BOOL, .in = TBL_IN_CSV};
	}
	*c++ = (struct tbl_col){.key = "units", .kind = TBL_ROWS, .in = TBL_IN_JSON};
	*c++ = (struct tbl_col){.key = "error", .kind = TBL_TEXT, .in = TBL_IN_JSON | TBL_IN_CSV};
	return tbl_new(rc->cols, (size_t)(c - rc->cols));
}

/* A row's values, one per sweep. */
static void row_values(struct row_ctx *rc, const size_t *idx)
{
	tbl_row(rc->t);
	for (size_t s = 0; s < rc->n_sweeps && s < 2; s++) /* idx has two */
		tbl_text(rc->t, rc->sweeps[s].parsed.values[idx[s]]);
}

/* The row of a variant that does not trace: its values and the reason, every figure
 * left empty (null in JSON), so a sweep keeps one row per variant. */
static void add_invalid_row(struct row_ctx *rc, const size_t *idx, const char *error)
{
	char note[AUGUR_DIAG_MSG_MAX + 16];
	snprintf(note, sizeof(note), "invalid: %s", error);
	row_values(rc, idx);
	tbl_note(rc->t, note);
	tbl_null(rc->t); /* params */
	tbl_null(rc->t); /* MACs */
	for (size_t k = 0; k < 5 * rc->n_units; k++)
		tbl_null(rc->t);
	tbl_table(rc->t, NULL);
	tbl_text(rc->t, error);
}

/* The row of a variant; -1 when out of memory. */
static int add_row(struct row_ctx *rc, const size_t *idx, const struct evaluation *ev)
{
	struct tbl *units = tbl_new(unit_cols, sizeof(unit_cols) / sizeof(unit_cols[0]));
	if (!units)
		return -1;
	row_values(rc, idx);
	tbl_uint(rc->t, ev->a->total.params);
	tbl_uint(rc->t, ev->a->total.macs);
	for (size_t u = 0; u < ev->n_units; u++) {
		const struct augur_unit_estimate *e = &ev->est[u];
		tbl_double(rc->t, e->total_ms);
		tbl_double(rc->t, cli_mib(e->memory_bytes));
		tbl_uint(rc->t, e->memory_bytes);
		tbl_text(rc->t, e->fits ? "yes" : "NO");
		tbl_uint(rc->t, e->fits);
		tbl_row(units);
		tbl_text(units, augur_unit_kind_name(e->unit->kind));
		tbl_double(units, e->total_ms);
		tbl_uint(units, e->memory_bytes);
		tbl_uint(units, e->fits);
	}
	tbl_table(rc->t, units);
	tbl_null(rc->t); /* no error */
	return 0;
}

/* The sweep's rows as a table, JSON or CSV; -1 when out of memory. */
static int print_sweep(const struct row_ctx *ctx, enum cli_format format,
                       const struct augur_net *net, const struct augur_profile *p,
                       const char *profile_path)
{
	if (format == CLI_CSV)
		return tbl_print_csv(ctx->t, stdout);
	if (format == CLI_TABLE) {
		printf("%s on %s\n\n", net->name, p->name);
		return tbl_print_text(ctx->t, stdout, cli_width(), 0) < 0 ? -1 : 0;
	}
	struct jsonw *w = json_begin(net, p, profile_path);
	if (!w)
		return -1;
	int rc = tbl_write_json(ctx->t, w, "rows");
	jw_end(w);
	jw_free(w);
	return rc;
}

/* A sweep's figures kept for --plot: per row (value, or pair of values, in output order)
 * and unit, the time and memory the table printed. */
struct sweep_plot {
	const char *path;
	const struct augur_budget *budgets;
	size_t n_budgets;
	size_t n_rows, n_units;
	double *time_ms, *memory_mib; /* [row][unit] */
	bool *fits;
	const char *units[2];
	uint64_t capacity[2];
};

/* Whether every value of a sweep is a plain number (then the x axis is numeric). */
static bool numeric_values(const struct augur_sweep *s, double *out)
{
	for (size_t i = 0; i < s->n; i++) {
		char *end;
		out[i] = strtod(s->values[i], &end);
		if (end == s->values[i] || *end || !isfinite(out[i]))
			return false;
	}
	return true;
}

static void row_attrs(struct augur_strbuf *a, size_t row, const char *unit, const char *kind,
                      double v)
{
	augur_strbuf_put(a, "data-row=\"%zu\" data-unit=\"%s\"", row, unit);
	char name[32];
	snprintf(name, sizeof(name), "data-%s", kind);
	page_num_attr(a, name, v);
}

/* One sweep: time and memory against the value, a line per unit, budgets and (when in
 * reach) the units' memory as dashed lines. */
static int plot_lines(struct augur_strbuf *t, const struct sweep_plot *sp, const struct sweep *sw)
{
	size_t n = sp->n_rows, nu = sp->n_units;
	int rc = CLI_FAIL;
	double *x = calloc(n + 1, sizeof(*x)), *yt = calloc(nu * n + 1, sizeof(*yt));
	double *ym = calloc(nu * n + 1, sizeof(*ym));
	char **at = calloc(2 * nu * n + 1, sizeof(*at));
	if (!x || !yt || !ym || !at)
		goto out;
	bool numeric = numeric_values(&sw->parsed, x);
	if (!numeric)
		for (size_t i = 0; i < n; i++)
			x[i] = (double)i;
	for (size_t u = 0; u < nu; u++)
		for (size_t i = 0; i < n; i++) {
			yt[u * n + i] = sp->time_ms[i * nu + u];
			ym[u * n + i] = sp->memory_mib[i * nu + u];
			struct augur_strbuf a = {0};
			row_attrs(&a, i, sp->units[u], "time", yt[u * n + i]);
			at[u * n + i] = a.data;
			struct augur_strbuf b = {0};
			row_attrs(&b, i, sp->units[u], "memory", ym[u * n + i]);
			at[nu * n + u * n + i] = b.data;
		}
	struct augur_series st[2], sm[2];
	char names[2][48];
	for (size_t u = 0; u < nu; u++) {
		snprintf(names[u], sizeof(names[u]), "%s", sp->units[u]);
		st[u] = (struct augur_series){
		        names[u], AUGUR_MARK_LINE, u,    n,
		        x,        yt + u * n,      NULL, (const char *const *)at + u * n,
		        false};
		sm[u] = st[u];
		sm[u].y = ym + u * n;
		sm[u].attrs = (const char *const *)at + nu * n + u * n;
	}
	struct augur_rule rt[MAX_BUDGETS], rm[MAX_BUDGETS + 2];
	char labels[MAX_BUDGETS + 2][96];
	size_t nrt = 0, nrm = 0, nl = 0;
	double max_mem = 0;
	for (size_t i = 0; i < nu * n; i++)
		max_mem = ym[i] > max_mem ? ym[i] : max_mem;
	for (size_t b = 0; b < sp->n_budgets; b++) {
		const struct augur_budget *bg = &sp->budgets[b];
		snprintf(labels[nl], sizeof(labels[nl]), "budget %s", bg->text);
		if (bg->kind == AUGUR_BUDGET_TIME)
			rt[nrt++] = (struct augur_rule){false, bg->limit, 0, labels[nl++], 5, NULL};
		else
			rm[nrm++] = (struct augur_rule){
			        false, cli_mib((uint64_t)bg->limit), 0, labels[nl++], 5, NULL};
	}
	for (size_t u = 0; u < nu; u++) {
		double cap = cli_mib(sp->capacity[u]);
		if (!sp->capacity[u] || cap > 4 * max_mem)
			continue;
		if (u && sp->capacity[u] == sp->capacity[0]) /* shared memory: one line */
			continue;
		bool shared = nu > 1 && sp->capacity[1] == sp->capacity[0];
		snprintf(labels[nl], sizeof(labels[nl]), "%s memory %.0f MiB",
		         shared ? "device" : sp->units[u], cap);
		rm[nrm++] = (struct augur_rule){false, cap, 0, labels[nl++], 7, NULL};
	}
	struct augur_xy ct = {.title = "predicted time against the swept value",
	                      .x_label = sw->parsed.target,
	                      .y_label = "forward time (ms)",
	                      .width = 620,
	                      .height = 380,
	                      .n_series = nu,
	                      .series = st,
	                      .n_rules = nrt,
	                      .rules = rt,
	                      .n_categories = numeric ? 0 : n,
	                      .categories = (const char *const *)sw->parsed.values,
	                      .y_from_zero = true};
	struct augur_xy cm = ct;
	cm.title = "memory needed against the swept value";
	cm.y_label = "memory needed (MiB)";
	cm.series = sm;
	cm.n_rules = nrm;
	cm.rules = rm;
	augur_strbuf_puts(t, "<div class=\"figs\">\n<figure>\n");
	augur_svg_xy(t, &ct);
	augur_strbuf_puts(t, "</figure>\n<figure>\n");
	augur_svg_xy(t, &cm);
	augur_strbuf_puts(t, "</figure>\n</div>\n");
	rc = CLI_OK;
out:
	for (size_t i = 0; at && i < 2 * nu * n; i++)
		free(at[i]);
	free(at);
	free(x);
	free(yt);
	free(ym);
	return rc;
}

/* Two sweeps: a heat map of time and one of memory per unit, cells over a budget (or,
 * for memory, not fitting the unit) outlined. */
static int plot_heat(struct augur_strbuf *t, const struct sweep_plot *sp, const struct sweep *sw)
{
	size_t n1 = sw[0].parsed.n, n2 = sw[1].parsed.n, nu = sp->n_units;
	int rc = CLI_FAIL;
	double *v = calloc(n1 * n2 + 1, sizeof(*v));
	bool *marked = calloc(n1 * n2 + 1, sizeof(*marked));
	char **at = calloc(n1 * n2 + 1, sizeof(*at));
	if (!v || !marked || !at)
		goto out;
	augur_strbuf_puts(t, "<div class=\"figs\">\n");
	for (size_t u = 0; u < nu; u++) {
		for (int kind = 0; kind < 2; kind++) {
			for (size_t i = 0; i < n1 * n2; i++) {
				double tm = sp->time_ms[i * nu + u],
				       mm = sp->memory_mib[i * nu + u];
				v[i] = kind ? mm : tm;
				marked[i] = kind && !sp->fits[i * nu + u];
				for (size_t b = 0; b < sp->n_budgets; b++) {
					const struct augur_budget *bg = &sp->budgets[b];
					if (!kind && bg->kind == AUGUR_BUDGET_TIME &&
					    tm > bg->limit)
						marked[i] = true;
					if (kind && bg->kind == AUGUR_BUDGET_MEMORY &&
					    mm > cli_mib((uint64_t)bg->limit))
						marked[i] = true;
				}
				free(at[i]);
				struct augur_strbuf a = {0};
				row_attrs(&a, i, sp->units[u], kind ? "memory" : "time", v[i]);
				at[i] = a.data;
			}
			char title[96], value[64];
			snprintf(title, sizeof(title), "%s %s", sp->units[u],
			         kind ? "memory needed" : "predicted time");
			snprintf(value, sizeof(value), "%s: %s", sp->units[u],
			         kind ? "memory needed (MiB)" : "forward time (ms)");
			struct augur_heat h = {title,
			                       sw[0].parsed.target,
			                       sw[1].parsed.target,
			                       value,
			                       n1,
			                       n2,
			                       (const char *const *)sw[0].parsed.values,
			                       (const char *const *)sw[1].parsed.values,
			                       v,
			                       (const char *const *)at,
			                       marked};
			augur_strbuf_puts(t, "<figure>\n");
			augur_svg_heat(t, &h);
			augur_strbuf_puts(t, "</figure>\n");
		}
	}
	augur_strbuf_puts(t, "</div>\n<p class=\"note\">Outlined cells: over a budget given with "
	                     "--budget, or (memory) not fitting the unit's memory.</p>\n");
	rc = CLI_OK;
out:
	for (size_t i = 0; at && i < n1 * n2; i++)
		free(at[i]);
	free(at);
	free(v);
	free(marked);
	return rc;
}

static int write_plot(const struct sweep_plot *sp, const struct sweep *sw, size_t n_sweeps,
                      const struct augur_net *net, const struct augur_profile *p)
{
	struct augur_strbuf t = {0};
	char title[256];
	snprintf(title, sizeof(title), "%s on %s: augur whatif", net->name, p->name);
	page_begin(&t, title);
	augur_strbuf_puts(&t, "<h1>");
	augur_svg_xml(&t, net->name);
	augur_strbuf_puts(&t, " on ");
	augur_svg_xml(&t, p->name);
	augur_strbuf_puts(&t, ": what if</h1>\n<p class=\"note\">");
	for (size_t s = 0; s < n_sweeps; s++) {
		augur_strbuf_puts(&t, s ? "; " : "sweep ");
		augur_svg_xml(&t, sw[s].spec);
	}
	augur_strbuf_puts(&t, n_sweeps > 1 ? " (the cross product)" : "");
	augur_strbuf_puts(&t, ". Each variant is estimated as <code>augur estimate</code> would "
	                      "the edited descriptor; the numbers are the table's.</p>\n");
	int rc = n_sweeps == 1 ? plot_lines(&t, sp, sw) : plot_heat(&t, sp, sw);
	if (rc) {
		augur_strbuf_clear(&t);
		cli_error("whatif", "out of memory");
		return rc;
	}
	page_end(&t, "augur whatif --plot");
	rc = page_write("whatif", sp->path, &t);
	augur_strbuf_clear(&t);
	return rc;
}

struct whatif_args {
	const char *device, *unit, *plot;
	const char *sets[MAX_SETS];
	size_t n_sets;
	const char *sweeps[2];
	size_t n_sweeps;
	struct cli_budgets budgets;
	uint64_t batch;
	enum cli_format format;
};

static const struct cli_opt whatif_opts[] = {
        CLI_SET(struct whatif_args, sets, n_sets,
                "edit the descriptor: LAYER.KEY=VALUE (fc6.outputs=2048,\n"
                "conv1.kernel=[5,5]), input=[C,H,W] or batch=N; repeatable"),
        CLI_LIST("sweep", struct whatif_args, sweeps, n_sweeps, "K=V,..",
                 "one row per value (input=224,320 for square inputs); two sweeps\n"
                 "give the cross product; applied after every --set"),
        CLI_DEVICE(struct whatif_args, device),
        CLI_UNITS(struct whatif_args, unit),
        CLI_BATCH(struct whatif_args, batch),
        CLI_FORMAT(struct whatif_args, format,
                   "table, json (every figure) or csv (one row per variant)"),
        CLI_STRING("plot", struct whatif_args, plot, "FILE",
                   "also draw the sweep as an HTML page, written atomically: time\n"
                   "and memory against the value, or heat maps for two sweeps\n"
                   "(docs/report.md); '-' writes the page to stdout instead of\n"
                   "the table"),
        CLI_BUDGETS(struct whatif_args, budgets,
                    "a budget to draw on the plot (time=100ms, memory=1GiB, as\n"
                    "for check); repeatable"),
        CLI_END,
};

const struct cli_spec cmd_whatif_spec = {"whatif", whatif_opts, 1, 1, "a descriptor", true};

/* One run: the options, the profile and the network before any edit. */
struct whatif {
	const struct whatif_args *o;
	struct augur_profile *p;
	char path[4096];
	const struct augur_unit *units[2];
	size_t n_units;
	struct augur_net *base, *changed; /* changed: base with every --set applied */
	struct evaluation before;
};

/* Without --sweep: before / after / change of the --set edits. */
static int before_after(struct whatif *w, struct augur_diag *diag)
{
	const struct whatif_args *o = w->o;
	struct evaluation after = {0};
	char what[AUGUR_DIAG_PATH_MAX];
	snprintf(what, sizeof(what), "--set %s%s", o->sets[0], o->n_sets > 1 ? " ..." : "");
	if (evaluate_variant(w->changed, (uint32_t)o->batch, w->p, w->units, w->n_units, what,
	                     &after, diag)) {
		eval_clear(&after);
		return cli_report(diag);
	}
	int printed = 0;
	if (o->format == CLI_JSON)
		printed = print_before_after_json(w->base, w->p, w->path, &w->before, &after,
		                                  o->sets, o->n_sets);
	else if (o->format == CLI_CSV)
		printed = print_before_after_csv(&w->before, &after);
	else
		printed = print_before_after(w->base, w->p, &w->before, &after);
	eval_clear(&after);
	return printed ? cli_error("whatif", "out of memory") : CLI_OK;
}

/* The plot's figures of variant row (NaN for an invalid one, ev NULL). */
static void plot_record(struct sweep_plot *plot, size_t row, const struct evaluation *ev)
{
	for (size_t u = 0; plot->time_ms && u < plot->n_units; u++) {
		size_t at = row * plot->n_units + u;
		plot->time_ms[at] = ev ? ev->est[u].total_ms : NAN;
		plot->memory_mib[at] = ev ? cli_mib(ev->est[u].memory_bytes) : NAN;
		plot->fits[at] = ev && ev->est[u].fits;
	}
}

static int plot_alloc(struct sweep_plot *plot, size_t rows, const struct evaluation *before)
{
	plot->n_rows = rows;
	plot->n_units = before->n_units;
	for (size_t u = 0; u < before->n_units; u++) {
		plot->units[u] = augur_unit_kind_name(before->est[u].unit->kind);
		plot->capacity[u] = before->est[u].capacity_bytes;
	}
	size_t n = rows * before->n_units + 1;
	plot->time_ms = calloc(n, sizeof(*plot->time_ms));
	plot->memory_mib = calloc(n, sizeof(*plot->memory_mib));
	plot->fits = calloc(n, sizeof(*plot->fits));
	if (plot->time_ms && plot->memory_mib && plot->fits)
		return CLI_OK;
	cli_error("whatif", "out of memory");
	return CLI_FAIL;
}

/* Variant (i, j) of the sweeps: applied to the incremental engine, re-analysed, given its
 * row (an invalid one with the reason) and recorded for the plot, then reverted. Returns
 * CLI_FAIL for an invalid variant, which does not stop the sweep, -1 on trouble. */
static int one_variant(struct augur_incr *inc, struct row_ctx *ctx, const struct sweep *sw,
                       size_t n_sweeps, size_t i, size_t j, struct sweep_plot *plot)
{
	struct augur_diag diag = {0};
	size_t idx[2] = {i, j};
	size_t n2 = n_sweeps > 1 ? sw[1].parsed.n : 1;
	if (augur_incr_apply(inc, &sw[0].edits[i]) ||
	    (n_sweeps > 1 && augur_incr_apply(inc, &sw[1].edits[j])))
		return -1;
	size_t n_units = plot->n_units;
	int rc = CLI_OK;
	if (augur_incr_update(inc, &diag)) {
		char what[AUGUR_DIAG_PATH_MAX];
		int len = snprintf(what, sizeof(what), "--sweep %s (value %s)", sw[0].spec,
		                   sw[0].parsed.values[i]);
		if (n_sweeps > 1 && len > 0 && (size_t)len < sizeof(what))
			snprintf(what + len, sizeof(what) - (size_t)len, ", --sweep %s (value %s)",
			         sw[1].spec, sw[1].parsed.values[j]);
		name_variant(&diag, what);
		/* the variant gets its row, with the reason; the rest still run, and the exit
		 * status is 1 */
		add_invalid_row(ctx, idx, diag.message);
		cli_report(&diag);
		plot_record(plot, i * n2 + j, NULL);
		rc = CLI_FAIL;
	} else {
		/* a read-only view of the context's figures, for add_row */
		struct evaluation ev = {0};
		ev.a = (struct augur_analysis *)augur_incr_analysis(inc);
		ev.n_units = n_units;
		for (size_t u = 0; u < n_units; u++)
			ev.est[u] = *augur_incr_estimate(inc, u);
		if (add_row(ctx, idx, &ev)) {
			cli_error("whatif", "out of memory");
			rc = -1;
		}
		plot_record(plot, i * n2 + j, &ev);
	}
	augur_incr_revert(inc);
	return rc;
}

/* With --sweep: one row per variant; every value parsed once, then each variant applied
 * to the network in place and re-analysed from the layers it changes (incremental.h). */
static int sweep_variants(struct whatif *w, struct sweep *sw, size_t n_sweeps,
                          struct augur_diag *diag)
{
	const struct whatif_args *o = w->o;
	struct augur_incr *inc = NULL;
	struct sweep_plot plot = {.path = o->plot,
	                          .budgets = o->budgets.b,
	                          .n_budgets = o->budgets.n,
	                          .n_units = w->n_units};
	struct row_ctx ctx = {.sweeps = sw,
	                      .n_sweeps = n_sweeps,
	                      .n_units = w->n_units,
	                      .quiet = o->plot && !strcmp(o->plot, "-")};
	int rc = CLI_OK;
	for (size_t s = 0; s < n_sweeps; s++) {
		/* a sweep has at least one value (augur_sweep_parse) */
		if (!(sw[s].edits =
		              calloc(sw[s].parsed.n ? sw[s].parsed.n : 1, sizeof(*sw[s].edits)))) {
			rc = CLI_FAIL;
			goto out;
		}
		for (size_t i = 0; i < sw[s].parsed.n; i++)
			if (augur_sweep_edit(w->changed, &sw[s].parsed, i, &sw[s].edits[i], diag)) {
				rc = cli_report(diag);
				goto out;
			}
	}
	if (augur_incr_new(w->changed, (uint32_t)o->batch, w->p, w->units, w->n_units, &inc,
	                   diag)) {
		rc = cli_report(diag);
		goto out;
	}
	if (!(ctx.t = sweep_table(&ctx, &w->before))) {
		rc = cli_error("whatif", "out of memory");
		goto out;
	}
	size_t n1 = sw[0].parsed.n, n2 = n_sweeps > 1 ? sw[1].parsed.n : 1;
	if (o->plot && (rc = plot_alloc(&plot, n1 * n2, &w->before)))
		goto out;
	size_t invalid = 0;
	for (size_t i = 0; i < n1 && rc == CLI_OK; i++)
		for (size_t j = 0; j < n2 && rc == CLI_OK; j++) {
			int vrc = one_variant(inc, &ctx, sw, n_sweeps, i, j, &plot);
			if (vrc < 0)
				rc = CLI_FAIL;
			invalid += vrc == CLI_FAIL;
		}
	if (!ctx.quiet && print_sweep(&ctx, o->format, w->base, w->p, w->path))
		rc = cli_error("whatif", "out of memory");
	if (rc == CLI_OK && invalid)
		rc = CLI_FAIL;
	if (rc == CLI_OK && o->plot)
		rc = write_plot(&plot, sw, n_sweeps, w->base, w->p);
out:
	free(plot.time_ms);
	free(plot.memory_mib);
	free(plot.fits);
	tbl_free(ctx.t);
	augur_incr_free(inc);
	return rc;
}

/* The usage rules the option table cannot say. */
static int check_usage(const struct whatif_args *o)
{
	if (!o->n_sets && !o->n_sweeps)
		return cli_usage_error("whatif",
		                       "expects at least one --set or --sweep (usage: %s)",
		                       augur_command_find("whatif")->usage);
	if (o->plot && !o->n_sweeps)
		return cli_usage_error("whatif", "--plot draws a --sweep; give one or two");
	if (o->budgets.n && !o->plot)
		return cli_usage_error("whatif", "--budget is drawn on --plot's charts (to test "
		                                 "budgets, use augur check)");
	if (o->budgets.n > MAX_BUDGETS)
		return cli_usage_error("whatif", "at most %d --budget", MAX_BUDGETS);
	return CLI_OK;
}

int cmd_whatif(int argc, char **argv)
{
	struct whatif_args o = {.unit = "all", .format = CLI_TABLE};
	char **args;
	int n_args;
	if (cli_parse(&cmd_whatif_spec, argc, argv, &o, &args, &n_args))
		return CLI_USAGE;
	int rc = check_usage(&o);
	if (rc)
		return rc;
	struct sweep sweeps[2] = {{0}};
	struct whatif w = {.o = &o};
	struct augur_diag diag = {0};
	for (size_t s = 0; s < o.n_sweeps; s++)
		if ((rc = parse_sweep(o.sweeps[s], &sweeps[s])))
			goto out;
	if (eval_load_profile(o.device, w.path, sizeof(w.path), &w.p, &diag) ||
	    eval_units(w.p, o.unit, w.path, w.units, &w.n_units, &diag) ||
	    cli_net_load(args[0], &w.base, NULL, &diag) ||
	    evaluate_variant(w.base, (uint32_t)o.batch, w.p, w.units, w.n_units, NULL, &w.before,
	                     &diag)) {
		rc = cli_report(&diag);
		goto out;
	}
	if (!(w.changed = augur_net_clone(w.base))) {
		rc = CLI_FAIL;
		goto out;
	}
	for (size_t i = 0; i < o.n_sets; i++)
		if (augur_descriptor_set(w.changed, o.sets[i], &diag)) {
			rc = cli_report(&diag);
			goto out;
		}
	rc = o.n_sweeps ? sweep_variants(&w, sweeps, o.n_sweeps, &diag) : before_after(&w, &diag);
out:
	eval_clear(&w.before);
	augur_net_free(w.base);
	augur_net_free(w.changed);
	augur_profile_free(w.p);
	for (size_t s = 0; s < 2; s++)
		sweep_free(&sweeps[s]);
	return rc;
}
