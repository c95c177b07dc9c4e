/* augur report: one self-contained HTML page of pictures of a network on a device:
 * totals, per-layer time, time by type, the memory timeline and views, the network's GEMM
 * shapes on the profile's calibrated range, and the top layers. Every number comes from
 * the evaluation estimate and inspect use (evaluate.h), drawn by src/core/svg.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "cli.h"
#include "options.h"
#include "evaluate.h"
#include "netfile.h"
#include "page.h"
#include "profile.h"
#include "table.h"

#define TOP_LAYERS 15

struct report {
	const struct augur_net *net;
	const struct augur_profile *p;
	const char *profile_path;
	const struct evaluation *ev;
};

/* Owned strings built with the text helpers; freed together. */
struct strs {
	size_t n;
	char **s;
};

static char *take(struct augur_strbuf *t)
{
	if (t->failed || !t->data) {
		augur_strbuf_clear(t);
		return NULL;
	}
	char *s = t->data;
	memset(t, 0, sizeof(*t));
	return s;
}

static bool strs_init(struct strs *s, size_t n)
{
	s->n = n;
	s->s = calloc(n ? n : 1, sizeof(*s->s));
	return s->s != NULL;
}

static void strs_free(struct strs *s)
{
	for (size_t i = 0; s->s && i < s->n; i++)
		free(s->s[i]);
	free(s->s);
	s->s = NULL;
	s->n = 0;
}

static const char *unit_name(const struct augur_unit_estimate *e)
{
	return augur_unit_kind_name(e->unit->kind);
}

static void cell_num(struct augur_strbuf *t, const char *fmt, double v)
{
	augur_strbuf_puts(t, "<td class=\"num\">");
	augur_strbuf_put(t, fmt, v);
	augur_strbuf_puts(t, "</td>");
}

static void kv(struct augur_strbuf *t, const char *k, const char *v)
{
	augur_strbuf_put(t, "<tr><th>%s</th><td>", k);
	augur_svg_xml(t, v && *v ? v : "unknown");
	augur_strbuf_puts(t, "</td></tr>\n");
}

/* The model a unit's times come from, and how well it fitted. */
static void model_kind(struct augur_strbuf *t, const struct augur_unit_estimate *e)
{
	const struct augur_unit *u = e->unit;
	augur_strbuf_put(t, "<tr><th>%s model</th><td>", unit_name(e));
	if (u->costs) {
		size_t types = 0;
		double lo = INFINITY, hi = 0;
		char names[256] = "";
		for (int k = 0; k < AUGUR_LAYER_TYPE_COUNT; k++) {
			const struct augur_layer_cost *c = &u->costs->type[k];
			if (!c->feature_mask)
				continue;
			types++;
			lo = c->median_rel_err < lo ? c->median_rel_err : lo;
			hi = c->median_rel_err > hi ? c->median_rel_err : hi;
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			         names[0] ? ", " : "", augur_layer_type_name(k));
		}
		if (types == AUGUR_LAYER_TYPE_COUNT)
			augur_strbuf_put(t,
			                 "every layer type: the GEMM model plus layer costs for "
			                 "all %d types",
			                 AUGUR_LAYER_TYPE_COUNT);
		else
			augur_strbuf_put(t,
			                 "the GEMM model plus layer costs for %zu of the %d layer "
			                 "types (%s); layers of other types are costed by their "
			                 "GEMMs (conv, fc) or not at all",
			                 types, AUGUR_LAYER_TYPE_COUNT, names);
		augur_strbuf_put(t, " (median fit error %.1f%% to %.1f%% per type), fitted from ",
		                 100 * (types ? lo : 0), 100 * hi);
		augur_svg_xml(t, u->costs->source ? u->costs->source : "?");
	} else {
		augur_strbuf_puts(t, "GEMM only (Lu et al.'s method): conv and fc layers by their "
		                     "predicted GEMM times; other layers are not costed");
	}
	const struct augur_fit_quality *q = &u->quality;
	augur_strbuf_put(t, "<br/>GEMM fit: median error %.1f%% over %zu samples",
	                 100 * q->train_median_rel_err, q->n_train);
	if (q->n_heldout && isfinite(q->heldout_median_rel_err))
		augur_strbuf_put(t, "; held out: median %.1f%%, max %.1f%% over %zu",
		                 100 * q->heldout_median_rel_err, 100 * q->heldout_max_rel_err,
		                 q->n_heldout);
	augur_strbuf_puts(t, "</td></tr>\n");
}

static void header(struct augur_strbuf *t, const struct report *r)
{
	const struct augur_analysis *a = r->ev->a;
	augur_strbuf_puts(t, "<h1>");
	augur_svg_xml(t, r->net->name);
	augur_strbuf_puts(t, " on ");
	augur_svg_xml(t, r->p->name);
	augur_strbuf_puts(t, "</h1>\n<table class=\"facts\">\n");
	kv(t, "network", r->net->path ? r->net->path : r->net->name);
	char shape[96], buf[4400], params[32], macs[32];
	cli_shape(shape, sizeof(shape), &a->input);
	cli_count(params, sizeof(params), a->total.params);
	cli_count(macs, sizeof(macs), a->total.macs);
	snprintf(buf, sizeof(buf), "%s, batch %u, %zu layers, %s parameters, %s MACs", shape,
	         a->batch, a->n_layers, params, macs);
	augur_strbuf_put(t, "<tr><th>input</th><td data-batch=\"%u\" data-layers=\"%zu\">",
	                 a->batch, a->n_layers);
	augur_svg_xml(t, buf);
	augur_strbuf_puts(t, "</td></tr>\n");
	kv(t, "device", r->p->description);
	snprintf(buf, sizeof(buf), "%s (created %s)", r->profile_path,
	         r->p->created ? r->p->created : "?");
	kv(t, "profile", buf);
	kv(t, "profile source", r->p->source);
	for (size_t u = 0; u < r->ev->n_units; u++)
		model_kind(t, &r->ev->est[u]);
	augur_strbuf_puts(t, "</table>\n");
}

static void totals(struct augur_strbuf *t, const struct report *r)
{
	const struct evaluation *ev = r->ev;
	augur_strbuf_puts(t, "<h2>Totals</h2>\n<table class=\"totals\"><tr><th></th>");
	for (size_t u = 0; u < ev->n_units; u++)
		augur_strbuf_put(t, "<th class=\"num\">%s</th>", unit_name(&ev->est[u]));
	augur_strbuf_puts(t, "</tr>\n");
	static const char *const rows[] = {"forward time (ms)",
	                                   "&#160;&#160;GEMM (ms)",
	                                   "&#160;&#160;memory-bound (ms)",
	                                   "&#160;&#160;other (ms)",
	                                   "throughput (inferences/s)",
	                                   "memory needed (MiB)",
	                                   "memory available (MiB)",
	                                   "&#160;&#160;high end (MiB)"};
	enum { ROW_AVAILABLE = 6, ROW_HIGH = 7 };
	/* the high end only where a heap view gave one (the same test as estimate's line) */
	bool any_hole = false;
	for (size_t u = 0; u < ev->n_units; u++)
		any_hole = any_hole || ev->est[u].memory_hole_bytes > 0;
	static const size_t order[] = {0, 1, 2, 3, 4, 5, ROW_HIGH, ROW_AVAILABLE};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		size_t k = order[i];
		if (k == ROW_HIGH && !any_hole)
			continue;
		augur_strbuf_put(t, "<tr><th>%s</th>", rows[k]);
		for (size_t u = 0; u < ev->n_units; u++) {
			const struct augur_unit_estimate *e = &ev->est[u];
			double v = k == 0   ? e->total_ms
			           : k == 1 ? e->gemm_ms
			           : k == 2 ? e->memory_ms
			           : k == 3 ? e->other_ms
			           : k == 4 ? (e->total_ms > 0 ? 1000.0 * ev->a->batch / e->total_ms
			                                       : 0)
			           : k == 5 ? cli_mib(e->memory_bytes)
			           : k == ROW_HIGH ? cli_mib(e->memory_high_bytes)
			                           : cli_mib(e->capacity_bytes);
			cell_num(t, k == 4 ? "%.2f" : k == ROW_AVAILABLE ? "%.0f" : "%.1f", v);
		}
		augur_strbuf_puts(t, "</tr>\n");
	}
	augur_strbuf_puts(t, "<tr><th>verdict</th>");
	for (size_t u = 0; u < ev->n_units; u++) {
		const struct augur_unit_estimate *e = &ev->est[u];
		augur_strbuf_put(t, "<td class=\"num\" data-unit=\"%s\"", unit_name(e));
		page_num_attr(t, "data-total-ms", e->total_ms);
		page_num_attr(t, "data-gemm-ms", e->gemm_ms);
		page_num_attr(t, "data-memory-ms", e->memory_ms);
		page_num_attr(t, "data-other-ms", e->other_ms);
		page_num_attr(t, "data-memory-bytes", (double)e->memory_bytes);
		page_num_attr(t, "data-memory-high-bytes", (double)e->memory_high_bytes);
		augur_strbuf_put(t, " data-fits=\"%s\">", e->fits ? "true" : "false");
		if (!e->capacity_bytes)
			augur_strbuf_puts(t, "unknown (no capacity)");
		else if (e->fits && e->memory_high_bytes > e->capacity_bytes)
			augur_strbuf_put(t,
			                 "<span class=\"ok\">fits</span>, %.1f MiB to spare; "
			                 "<span class=\"bad\">its high end does not</span>",
			                 cli_mib(e->capacity_bytes - e->memory_bytes));
		else if (e->fits)
			augur_strbuf_put(t, "<span class=\"ok\">fits</span>, %.1f MiB to spare",
			                 cli_mib(e->capacity_bytes - e->memory_bytes));
		else
			augur_strbuf_put(t,
			                 "<span class=\"bad\">does not fit</span>: %.1f MiB short",
			                 cli_mib(e->memory_bytes - e->capacity_bytes));
		augur_strbuf_puts(t, "</td>");
	}
	augur_strbuf_puts(t, "</tr>\n<tr><th>not costed / GEMMs extrapolated</th>");
	for (size_t u = 0; u < ev->n_units; u++) {
		const struct augur_unit_estimate *e = &ev->est[u];
		augur_strbuf_put(t,
		                 "<td class=\"num\" data-unit=\"%s\" data-layers-uncosted=\"%u\" "
		                 "data-gemms-outside-range=\"%u\">%u / %u</td>",
		                 unit_name(e), e->layers_uncosted, e->gemms_outside_range,
		                 e->layers_uncosted, e->gemms_outside_range);
	}
	augur_strbuf_puts(t, "</tr>\n</table>\n");
}

/* Per-layer predicted time: stacked GEMM / memory-bound / other, one panel per unit. */
static int layer_bars(struct augur_strbuf *t, const struct report *r)
{
	const struct evaluation *ev = r->ev;
	size_t n = ev->a->n_layers, np = ev->n_units;
	int rc = CLI_FAIL;
	double *v = calloc(np * n * AUGUR_COST_CLASSES + 1, sizeof(*v));
	bool *marked = calloc(np * n + 1, sizeof(*marked));
	const char **rows = calloc(n + 1, sizeof(*rows));
	struct strs attrs = {0}, notes = {0};
	if (!v || !marked || !rows || !strs_init(&attrs, np * n) || !strs_init(&notes, np * n))
		goto out;
	for (size_t i = 0; i < n; i++)
		rows[i] = r->net->layers[i].name;
	const char *panels[2];
	for (size_t u = 0; u < np; u++) {
		const struct augur_unit_estimate *e = &ev->est[u];
		panels[u] = unit_name(e);
		for (size_t i = 0; i < n; i++) {
			const struct augur_layer_estimate *le = &e->layers[i];
			size_t pr = u * n + i;
			for (int k = 0; k < AUGUR_COST_CLASSES; k++)
				v[pr * AUGUR_COST_CLASSES + (size_t)k] = le->split_ms[k];
			marked[pr] = le->outside_range;
			struct augur_strbuf a = {0};
			augur_strbuf_puts(&a, "data-layer=\"");
			augur_svg_xml(&a, rows[i]);
			augur_strbuf_put(&a, "\" data-unit=\"%s\"", panels[u]);
			page_num_attr(&a, "data-time-ms", le->time_ms);
			page_num_attr(&a, "data-gemm-ms", le->split_ms[AUGUR_COST_GEMM]);
			page_num_attr(&a, "data-memory-ms", le->split_ms[AUGUR_COST_MEMORY]);
			page_num_attr(&a, "data-other-ms", le->split_ms[AUGUR_COST_OTHER]);
			page_num_attr(&a, "data-faults-unsure-ms", le->faults_unsure_ms);
			augur_strbuf_put(&a, " data-costed=\"%s\" data-outside-range=\"%s\"",
			                 le->costed ? "true" : "false",
			                 le->outside_range ? "true" : "false");
			if (!(attrs.s[pr] = take(&a)))
				goto out;
			char note[48];
			double share = e->total_ms > 0 ? 100.0 * le->time_ms / e->total_ms : 0;
			if (!le->costed)
				snprintf(note, sizeof(note), "not costed");
			else
				cli_layer_marks(note, le);
			if (le->costed && share >= 1)
				snprintf(note + strlen(note), sizeof(note) - strlen(note),
				         " %.0f%%", share);
			notes.s[pr] = strdup(note);
		}
	}
	static const char *const series[] = {"GEMM", "memory-bound", "other (per call)"};
	struct augur_hbars c = {
	        .title = "predicted time per layer",
	        .x_label = "predicted time (ms)",
	        .n_rows = n,
	        .n_series = AUGUR_COST_CLASSES,
	        .n_panels = np,
	        .rows = rows,
	        .series = series,
	        .panels = panels,
	        .v = v,
	        .attrs = (const char *const *)attrs.s,
	        .notes = (const char *const *)notes.s,
	        .marked = marked,
	        .row_height = n > 120  ? 9
	                      : n > 40 ? 11
	                               : 14,
	        .label_width = 170,
	        .panel_width = np > 1 ? 420 : 700,
	};
	augur_strbuf_puts(t, "<h2>Time per layer</h2>\n");
	page_hbars_figure(t, &c,
	                  "Predicted time of each layer in execution order, split "
	                  "into GEMM, memory-bound and per-call time as <code>augur estimate "
	                  "--layers</code> reports it. <b>*</b> and a dashed outline: the "
	                  "layer's GEMM lies outside the calibrated shapes (its time is "
	                  "extrapolated); <b>+</b>: a feature lies outside the data its cost "
	                  "model was fitted on; <b>~</b>: part of its time is page faults of "
	                  "buffers just above the allocator's mmap threshold, which glibc's "
	                  "heap may serve instead; <i>not costed</i>: the profile has no model for "
	                  "the layer's type. Percentages: share of the unit's total (1% and "
	                  "up).");
	rc = CLI_OK;
out:
	free(v);
	free(marked);
	free(rows);
	strs_free(&attrs);
	strs_free(&notes);
	return rc;
}

/* Time by layer type, with each type's share of the unit's total. */
static int type_bars(struct augur_strbuf *t, const struct report *r)
{
	const struct evaluation *ev = r->ev;
	const char *rows[AUGUR_LAYER_TYPE_COUNT];
	int types[AUGUR_LAYER_TYPE_COUNT];
	size_t n = 0, np = ev->n_units;
	for (int k = 0; k < AUGUR_LAYER_TYPE_COUNT; k++)
		if (ev->a->by_type[k].layers) {
			types[n] = k;
			rows[n++] = augur_layer_type_name(k);
		}
	double v[2 * AUGUR_LAYER_TYPE_COUNT];
	struct strs attrs = {0}, notes = {0};
	if (!strs_init(&attrs, np * n) || !strs_init(&notes, np * n)) {
		strs_free(&attrs);
		return CLI_FAIL;
	}
	const char *panels[2];
	for (size_t u = 0; u < np; u++) {
		const struct augur_unit_estimate *e = &ev->est[u];
		panels[u] = unit_name(e);
		for (size_t i = 0; i < n; i++) {
			size_t pr = u * n + i;
			double ms = e->type_ms[types[i]];
			v[pr] = ms;
			double share = e->total_ms > 0 ? 100.0 * ms / e->total_ms : 0;
			char note[64];
			if (e->types_uncosted & (1u << types[i]))
				snprintf(note, sizeof(note), "%.1f%% (%u layers, some not costed)",
				         share, ev->a->by_type[types[i]].layers);
			else
				snprintf(note, sizeof(note), "%.1f%% (%u layers)", share,
				         ev->a->by_type[types[i]].layers);
			notes.s[pr] = strdup(note);
			struct augur_strbuf a = {0};
			augur_strbuf_put(&a, "data-type=\"%s\" data-unit=\"%s\"", rows[i],
			                 panels[u]);
			page_num_attr(&a, "data-time-ms", ms);
			attrs.s[pr] = take(&a);
		}
	}
	static const char *const series[] = {"predicted time"};
	struct augur_hbars c = {
	        .title = "predicted time by layer type",
	        .x_label = "predicted time (ms)",
	        .n_rows = n,
	        .n_series = 1,
	        .n_panels = np,
	        .rows = rows,
	        .series = series,
	        .panels = panels,
	        .v = v,
	        .attrs = (const char *const *)attrs.s,
	        .notes = (const char *const *)notes.s,
	        .row_height = 20,
	        .label_width = 90,
	        .panel_width = np > 1 ? 330 : 500,
	};
	augur_strbuf_puts(t, "<h2>Time by layer type</h2>\n");
	page_hbars_figure(t, &c,
	                  "The estimate's time per layer type and its share of the "
	                  "unit's forward time.");
	strs_free(&attrs);
	strs_free(&notes);
	return CLI_OK;
}

/* The minimal view per layer in execution order, for the memory charts: the tops of the
 * stacked weights, workspace and live activations, and the activations alone. */
struct mem_stack {
	double *x, *yw, *yws, *ya, *live;
	struct strs attrs, titles;
};

static void mem_stack_free(struct mem_stack *s)
{
	free(s->x);
	free(s->yw);
	free(s->yws);
	free(s->ya);
	free(s->live);
	strs_free(&s->attrs);
	strs_free(&s->titles);
}

/* 0, or -1 when out of memory (free s either way). */
static int mem_stack_fill(struct mem_stack *s, const struct report *r)
{
	const struct augur_analysis *a = r->ev->a;
	const struct augur_memory *m = &a->memory;
	size_t n = a->n_layers;
	s->x = calloc(n + 1, sizeof(*s->x));
	s->yw = calloc(n + 1, sizeof(*s->yw));
	s->yws = calloc(n + 1, sizeof(*s->yws));
	s->ya = calloc(n + 1, sizeof(*s->ya));
	s->live = calloc(n + 1, sizeof(*s->live));
	if (!s->x || !s->yw || !s->yws || !s->ya || !s->live || !strs_init(&s->attrs, n) ||
	    !strs_init(&s->titles, n))
		return -1;
	double w = cli_mib(m->min_weights), ws = cli_mib(m->min_workspace);
	for (size_t i = 0; i < n; i++) {
		s->x[i] = (double)i;
		s->yw[i] = w;
		s->yws[i] = w + ws;
		s->live[i] = cli_mib(a->layers[i].live_bytes);
		s->ya[i] = w + ws + s->live[i];
		struct augur_strbuf at = {0};
		augur_strbuf_puts(&at, "data-layer=\"");
		augur_svg_xml(&at, r->net->layers[i].name);
		augur_strbuf_put(&at, "\" data-live-bytes=\"%llu\"",
		                 (unsigned long long)a->layers[i].live_bytes);
		s->attrs.s[i] = take(&at);
		char title[320];
		snprintf(title, sizeof(title), "%s: %.2f MiB live activations (%.1f MiB in all)",
		         r->net->layers[i].name, cli_mib(a->layers[i].live_bytes), s->ya[i]);
		s->titles.s[i] = strdup(title);
	}
	return 0;
}

/* The layer at the minimal view's peak: its index into *index and its name ("?" for a
 * network without layers). */
static const char *peak_layer(const struct report *r, size_t *index)
{
	size_t n = r->ev->a->n_layers, pk = r->ev->a->memory.min_peak_layer;
	*index = pk < n ? pk : 0;
	return n ? r->net->layers[*index].name : "?";
}

/* The least memory of the units (0 when none is known): the one that matters. */
static uint64_t least_capacity(const struct evaluation *ev)
{
	uint64_t cap = 0;
	for (size_t u = 0; u < ev->n_units; u++) {
		uint64_t c = ev->est[u].capacity_bytes;
		if (c && (!cap || c < cap))
			cap = c;
	}
	return cap;
}

/* A chart of MiB over the layers in execution order, as wide as the page. */
static struct augur_xy layer_mib_chart(const char *title, double height,
                                       const struct augur_series *series, size_t n_series,
                                       const struct augur_rule *rules, size_t n_rules)
{
	return (struct augur_xy){
	        .title = title,
	        .x_label = "layer (execution order)",
	        .y_label = "MiB",
	        .width = 900,
	        .height = height,
	        .n_series = n_series,
	        .series = series,
	        .n_rules = n_rules,
	        .rules = rules,
	        .y_from_zero = true,
	};
}

/* Weights, workspace and live activations stacked over execution order, the peak marked,
 * the device's memory as a line when it is in reach. */
static void memory_timeline(struct augur_strbuf *t, const struct report *r,
                            const struct mem_stack *s)
{
	const struct augur_memory *m = &r->ev->a->memory;
	size_t n = r->ev->a->n_layers, pk;
	const char *peak = peak_layer(r, &pk);
	struct augur_series series[3] = {
	        {"weights and statistics", AUGUR_MARK_AREA, 0, n, s->x, s->yw, NULL, NULL, false},
	        {"workspace (largest im2col)", AUGUR_MARK_AREA, 1, n, s->x, s->yws, NULL, NULL,
	         false},
	        {"live activations", AUGUR_MARK_AREA, 2, n, s->x, s->ya,
	         (const char *const *)s->titles.s, (const char *const *)s->attrs.s, false},
	};
	char peak_label[320], cap_label[160], peak_attr[64];
	snprintf(peak_label, sizeof(peak_label), "peak %.1f MiB while %s runs",
	         cli_mib(m->min_total), peak);
	snprintf(peak_attr, sizeof(peak_attr), "data-peak-layer-index=\"%zu\"", pk);
	struct augur_rule rules[2] = {{true, (double)pk, 0, peak_label, 5, peak_attr}};
	size_t nr = 1;
	uint64_t cap = least_capacity(r->ev);
	bool cap_drawn = cap && cli_mib(cap) <= 4 * cli_mib(m->min_total);
	if (cap_drawn) {
		snprintf(cap_label, sizeof(cap_label), "device memory %.0f MiB", cli_mib(cap));
		rules[nr++] = (struct augur_rule){false, cli_mib(cap), 0, cap_label, 7, NULL};
	}
	struct augur_xy c =
	        layer_mib_chart("memory timeline (minimal view)", 380, series, 3, rules, nr);
	augur_strbuf_puts(t, "<figure>\n");
	augur_svg_xy(t, &c);
	augur_strbuf_put(t,
	                 "<figcaption>The minimal view over execution order (as <code>augur "
	                 "inspect</code>): every layer's weights and statistics resident, one "
	                 "workspace the size of the largest layer's im2col buffer, and the "
	                 "activations live while each layer runs (blobs freed after their last "
	                 "reader). Peak: %.1f MiB while <b>",
	                 cli_mib(m->min_total));
	augur_svg_xml(t, peak);
	augur_strbuf_puts(t, "</b> runs.");
	if (cap && !cap_drawn)
		augur_strbuf_put(t,
		                 " The device's memory (%.0f MiB) is %.0f times the peak and is "
		                 "left off the scale.",
		                 cli_mib(cap), cli_mib(cap) / cli_mib(m->min_total));
	augur_strbuf_puts(t, "</figcaption>\n</figure>\n");
}

/* The activations alone, whose changes the weights dwarf in the timeline. */
static void activation_chart(struct augur_strbuf *t, const struct report *r,
                             const struct mem_stack *s)
{
	size_t pk;
	const char *peak = peak_layer(r, &pk);
	struct augur_series act = {"live activations",
	                           AUGUR_MARK_AREA,
	                           2,
	                           r->ev->a->n_layers,
	                           s->x,
	                           s->live,
	                           (const char *const *)s->titles.s,
	                           NULL,
	                           false};
	char act_label[320];
	snprintf(act_label, sizeof(act_label), "activation peak %.1f MiB (%s)",
	         cli_mib(r->ev->a->memory.min_data_peak), peak);
	struct augur_rule act_peak = {true, (double)pk, 0, act_label, 5, NULL};
	struct augur_xy ac = layer_mib_chart("live activations per layer (minimal view)", 260, &act,
	                                     1, &act_peak, 1);
	page_xy_figure(t, &ac, "The activations alone, on their own scale.");
}

/* The three memory views side by side. */
static void memory_views(struct augur_strbuf *t, const struct report *r)
{
	const struct augur_memory *m = &r->ev->a->memory;
	static const char *const views[] = {"paper (Lu et al., Table 4)",
	                                    "allocated (im2col framework)",
	                                    "minimal (execution order)"};
	static const char *const parts[] = {"weights", "data", "workspace"};
	double v[9] = {cli_mib(m->paper_weights),   cli_mib(m->paper_data),
	               cli_mib(m->paper_workspace), cli_mib(m->alloc_params + m->alloc_stats),
	               cli_mib(m->alloc_data),      cli_mib(m->alloc_workspace),
	               cli_mib(m->min_weights),     cli_mib(m->min_data_peak),
	               cli_mib(m->min_workspace)};
	static const char *const keys[] = {"paper", "allocated", "minimal"};
	char vattr[3][96], vnote[3][32];
	const char *va[3], *vn[3];
	for (int k = 0; k < 3; k++) {
		double total = v[3 * k] + v[3 * k + 1] + v[3 * k + 2];
		uint64_t bytes = k == 0   ? m->paper_weights + m->paper_data + m->paper_workspace
		                 : k == 1 ? m->alloc_total
		                          : m->min_total;
		snprintf(vattr[k], sizeof(vattr[k]), "data-view=\"%s\" data-total-bytes=\"%llu\"",
		         keys[k], (unsigned long long)bytes);
		snprintf(vnote[k], sizeof(vnote[k]), "%.1f MiB", total);
		va[k] = vattr[k];
		vn[k] = vnote[k];
	}
	struct augur_hbars views_chart = {
	        .title = "the three memory views",
	        .x_label = "MiB",
	        .n_rows = 3,
	        .n_series = 3,
	        .n_panels = 1,
	        .rows = views,
	        .series = parts,
	        .v = v,
	        .attrs = va,
	        .notes = vn,
	        .row_height = 34,
	        .label_width = 190,
	        .panel_width = 330,
	};
	/* which of them the estimate builds on is the profile's framework's fact */
	char caption[640];
	enum augur_memory_view view = augur_framework_memory_view(&r->p->framework);
	snprintf(caption, sizeof(caption),
	         "Lu et al.'s Table 4 accounting, what an im2col framework (Caffe) allocates, "
	         "and the minimal peak (docs/descriptors.md, \"Memory views\"). %s plus the "
	         "profile's framework overhead (and a second copy of the weights on a GPU "
	         "sharing the RAM).",
	         view == AUGUR_VIEW_HEAP
	                 ? "This profile's framework frees each blob after its last reader and "
	                   "takes buffers from glibc's heap, so the estimate's memory needed is "
	                   "none of these: it is the most resident at once in a simulated heap "
	                   "(docs/model.md, \"Peak memory\")"
	         : view == AUGUR_VIEW_MINIMAL ? "The estimate's memory needed is the minimal view"
	                                      : "The estimate's memory needed is the allocated "
	                                        "view");
	page_hbars_figure(t, &views_chart, caption);
}

/* The memory section: the minimal view's timeline and activations, and the three views. */
static int memory_section(struct augur_strbuf *t, const struct report *r)
{
	struct mem_stack s = {0};
	int rc = CLI_FAIL;
	if (mem_stack_fill(&s, r))
		goto out;
	augur_strbuf_puts(t, "<h2>Memory</h2>\n<div class=\"figs\">\n");
	memory_timeline(t, r, &s);
	activation_chart(t, r, &s);
	memory_views(t, r);
	augur_strbuf_puts(t, "</div>\n");
	rc = CLI_OK;
out:
	mem_stack_free(&s);
	return rc;
}

/* Points of one chart series with their tooltips and attributes; owned. */
struct points {
	size_t n;
	double *x, *y;
	struct strs attrs, titles;
};

static void points_free(struct points *p)
{
	free(p->x);
	free(p->y);
	strs_free(&p->attrs);
	strs_free(&p->titles);
}

/* Room for cap points: 0, or -1 when out of memory (free p either way). */
static int points_init(struct points *p, size_t cap)
{
	p->x = calloc(cap + 1, sizeof(*p->x));
	p->y = calloc(cap + 1, sizeof(*p->y));
	if (!p->x || !p->y || !strs_init(&p->attrs, cap) || !strs_init(&p->titles, cap))
		return -1;
	return 0;
}

/* The unit's single-GEMM calibration samples: n*k*m and measured time per call. */
static void calibration_points(struct points *p, const struct augur_unit *un)
{
	for (size_t i = 0; i < un->n_samples; i++) {
		const struct augur_sample *s = &un->samples[i];
		if (s->n_gemms != 1 || !s->gemms[0].count)
			continue;
		const struct augur_sample_gemm *g = &s->gemms[0];
		p->x[p->n] = (double)g->n * (double)g->k * (double)g->m;
		p->y[p->n] = s->time_ms / (double)g->count;
		p->n++;
	}
}

/* The network's GEMMs at their predicted time per call, in the calibrated range or
 * outside it. */
static void network_points(struct points *in, struct points *out, const struct report *r,
                           const struct augur_unit_estimate *e)
{
	const struct augur_unit *un = e->unit;
	for (size_t i = 0; i < r->ev->a->n_layers; i++) {
		const struct augur_gemm *g = &r->ev->a->layers[i].gemm;
		if (!g->count)
			continue;
		bool outside = false;
		double ms = augur_gemm_time_ms(&un->gemm, g, &outside) / (double)g->count;
		struct augur_strbuf at = {0};
		augur_strbuf_puts(&at, "data-layer=\"");
		augur_svg_xml(&at, r->net->layers[i].name);
		augur_strbuf_put(&at,
		                 "\" data-unit=\"%s\" data-n=\"%llu\" data-k=\"%llu\" "
		                 "data-m=\"%llu\" data-outside-range=\"%s\"",
		                 unit_name(e), (unsigned long long)g->n, (unsigned long long)g->k,
		                 (unsigned long long)g->m, outside ? "true" : "false");
		char title[320];
		snprintf(title, sizeof(title),
		         "%s: n %llu, k %llu, m %llu (x%llu): %.4g ms a call%s",
		         r->net->layers[i].name, (unsigned long long)g->n, (unsigned long long)g->k,
		         (unsigned long long)g->m, (unsigned long long)g->count, ms,
		         outside ? ", outside the calibrated range" : "");
		struct points *p = outside ? out : in;
		p->x[p->n] = (double)g->n * (double)g->k * (double)g->m;
		p->y[p->n] = ms;
		p->attrs.s[p->n] = take(&at);
		p->titles.s[p->n++] = strdup(title);
	}
}

/* One unit's chart of the network's GEMMs over its calibration samples. */
static void gemm_chart(struct augur_strbuf *t, const struct report *r,
                       const struct augur_unit_estimate *e, const struct points *cal,
                       const struct points *in, const struct points *out)
{
	struct augur_series series[3] = {
	        {"calibration samples (measured)", AUGUR_MARK_RING, 7, cal->n, cal->x, cal->y, NULL,
	         NULL, true},
	        {"network GEMMs in range", AUGUR_MARK_DOT, 0, in->n, in->x, in->y,
	         (const char *const *)in->titles.s, (const char *const *)in->attrs.s, false},
	        {"network GEMMs extrapolated", AUGUR_MARK_CROSS, 5, out->n, out->x, out->y,
	         (const char *const *)out->titles.s, (const char *const *)out->attrs.s, false},
	};
	/* the calibrated box's smallest and largest corners */
	const struct augur_validity *v = &e->unit->gemm.range;
	struct augur_rule band = {true,
	                          (double)v->n_min * (double)v->k_min * (double)v->m_min,
	                          (double)v->n_max * (double)v->k_max * (double)v->m_max,
	                          "calibrated range, n*k*m from its corners",
	                          2,
	                          NULL};
	char title[64];
	snprintf(title, sizeof(title), "GEMM shapes on the %s calibration", unit_name(e));
	struct augur_xy c = {
	        .title = title,
	        .x_label = "n*k*m (multiply-adds per call)",
	        .y_label = "time per call (ms)",
	        .x_log = true,
	        .y_log = true,
	        .width = r->ev->n_units > 1 ? 660 : 900,
	        .height = 420,
	        .n_series = 3,
	        .series = series,
	        .n_rules = band.to > band.at ? 1 : 0,
	        .rules = &band,
	};
	augur_strbuf_put(t,
	                 "<figure data-unit=\"%s\" data-gemms-in-range=\"%zu\" "
	                 "data-gemms-outside-range=\"%zu\">\n",
	                 unit_name(e), in->n, out->n);
	augur_svg_xy(t, &c);
	augur_strbuf_put(
	        t,
	        "<figcaption>%s: the network's GEMMs at their predicted time per "
	        "call (the model estimate uses) over the single-GEMM samples the "
	        "profile was calibrated on. Calibrated range: n %llu..%llu, k "
	        "%llu..%llu, m %llu..%llu; a GEMM outside it in any dimension is "
	        "extrapolated (%zu of %zu here). Samples that sum several GEMMs (a network's published time) are not drawn.</figcaption>\n</figure>\n",
	        unit_name(e), (unsigned long long)v->n_min, (unsigned long long)v->n_max,
	        (unsigned long long)v->k_min, (unsigned long long)v->k_max,
	        (unsigned long long)v->m_min, (unsigned long long)v->m_max, out->n, in->n + out->n);
}

/* One unit's GEMM chart: CLI_OK, or CLI_FAIL when out of memory. */
static int gemm_unit(struct augur_strbuf *t, const struct report *r,
                     const struct augur_unit_estimate *e)
{
	size_t n = r->ev->a->n_layers;
	struct points cal = {0}, in = {0}, out = {0};
	int rc = CLI_FAIL;
	if (points_init(&cal, e->unit->n_samples) || points_init(&in, n) || points_init(&out, n))
		goto out;
	calibration_points(&cal, e->unit);
	network_points(&in, &out, r, e);
	gemm_chart(t, r, e, &cal, &in, &out);
	rc = CLI_OK;
out:
	points_free(&cal);
	points_free(&in);
	points_free(&out);
	return rc;
}

/* The network's GEMMs at their predicted time per call, over the profile's calibration
 * samples (measured), so extrapolated shapes show where they fall. One chart per unit. */
static int gemm_section(struct augur_strbuf *t, const struct report *r)
{
	augur_strbuf_puts(t,
	                  "<h2>GEMM shapes against the calibration</h2>\n<div class=\"figs\">\n");
	for (size_t u = 0; u < r->ev->n_units; u++)
		if (gemm_unit(t, r, &r->ev->est[u]))
			return CLI_FAIL;
	augur_strbuf_puts(t, "</div>\n");
	return CLI_OK;
}

/* The layers that take longest on the first unit, with their shapes. */
static int top_layers(struct augur_strbuf *t, const struct report *r)
{
	const struct evaluation *ev = r->ev;
	const struct augur_unit_estimate *e0 = &ev->est[0];
	size_t n = ev->a->n_layers, top[TOP_LAYERS], nt = 0;
	for (size_t i = 0; i < n; i++) {
		size_t at = nt < TOP_LAYERS ? nt++ : TOP_LAYERS;
		while (at > 0 && e0->layers[top[at - 1]].time_ms < e0->layers[i].time_ms) {
			if (at < TOP_LAYERS)
				top[at] = top[at - 1];
			at--;
		}
		if (at < TOP_LAYERS)
			top[at] = i;
	}
	char heads[2][32];
	struct tbl_col cols[6 + 2 * 2] = {
	        {.head = "#", .kind = TBL_UINT, .in = TBL_IN_HTML, .plain_head = true},
	        {.head = "layer", .kind = TBL_TEXT, .in = TBL_IN_HTML, .left = true},
	        {.head = "type", .kind = TBL_TEXT, .in = TBL_IN_HTML, .left = true},
	        {.head = "input", .kind = TBL_TEXT, .in = TBL_IN_HTML, .left = true},
	        {.head = "output", .kind = TBL_TEXT, .in = TBL_IN_HTML, .left = true},
	        {.head = "GEMM n x k x m (calls)",
	         .kind = TBL_TEXT,
	         .in = TBL_IN_HTML,
	         .left = true},
	};
	size_t n_cols = 6;
	for (size_t u = 0; u < ev->n_units && u < 2; u++) {
		snprintf(heads[u], sizeof(heads[u]), "%s ms", unit_name(&ev->est[u]));
		/* the time, marked when extrapolated or not costed */
		cols[n_cols++] =
		        (struct tbl_col){.head = heads[u], .kind = TBL_TEXT, .in = TBL_IN_HTML};
		cols[n_cols++] = (struct tbl_col){
		        .head = "share", .kind = TBL_DOUBLE, .fmt = "%.1f%%", .in = TBL_IN_HTML};
	}
	struct tbl *tb = tbl_new(cols, n_cols);
	for (size_t k = 0; tb && k < nt; k++) {
		size_t i = top[k];
		const struct augur_layer_stats *s = &ev->a->layers[i];
		char in[96], out[96], gemm[128] = "", cell[64];
		cli_shape(in, sizeof(in), &s->in);
		cli_shape(out, sizeof(out), &s->out);
		if (s->gemm.count)
			snprintf(gemm, sizeof(gemm), "%llu x %llu x %llu (%llu)",
			         (unsigned long long)s->gemm.n, (unsigned long long)s->gemm.k,
			         (unsigned long long)s->gemm.m, (unsigned long long)s->gemm.count);
		struct augur_strbuf attr = {0};
		augur_strbuf_put(&attr, "data-rank=\"%zu\" data-layer=\"", k + 1);
		augur_svg_xml(&attr, r->net->layers[i].name);
		augur_strbuf_puts(&attr, "\"");
		tbl_row(tb);
		tbl_row_attr(tb, attr.data ? attr.data : "");
		augur_strbuf_clear(&attr);
		tbl_uint(tb, k + 1);
		tbl_text(tb, r->net->layers[i].name);
		tbl_text(tb, augur_layer_type_name(r->net->layers[i].type));
		tbl_text(tb, in);
		tbl_text(tb, out);
		tbl_text(tb, gemm);
		for (size_t u = 0; u < ev->n_units && u < 2; u++) {
			const struct augur_unit_estimate *e = &ev->est[u];
			const struct augur_layer_estimate *le = &e->layers[i];
			snprintf(cell, sizeof(cell), "%.3f%s%s", le->time_ms,
			         le->outside_range ? "*" : "", !le->costed ? " (not costed)" : "");
			tbl_text(tb, cell);
			tbl_double(tb, e->total_ms > 0 ? 100 * le->time_ms / e->total_ms : 0);
		}
	}
	augur_strbuf_put(t, "<h2>Top layers by %s time</h2>\n", unit_name(e0));
	int rc = tb ? tbl_write_html(tb, t, "top") : -1;
	tbl_free(tb);
	return rc ? CLI_FAIL : CLI_OK;
}

struct report_args {
	const char *device, *unit, *output;
	uint64_t batch;
};

static const struct cli_opt report_opts[] = {
        CLI_DEVICE(struct report_args, device),
        CLI_UNITS(struct report_args, unit),
        CLI_BATCH(struct report_args, batch),
        CLI_OUTPUT(struct report_args, output,
                   "where to write (atomically; '-' for stdout); default\n"
                   "NAME-report.html for the network's NAME"),
        CLI_END,
};

const struct cli_spec cmd_report_spec = {"report", report_opts, 1, 1, "a descriptor", true};

int cmd_report(int argc, char **argv)
{
	struct report_args o = {.unit = "all"};
	char **args;
	int n_args;
	if (cli_parse(&cmd_report_spec, argc, argv, &o, &args, &n_args))
		return CLI_USAGE;
	const char *device = o.device, *output = o.output;
	struct augur_diag diag = {0};
	struct eval_request req = {.net_path = args[0],
	                           .device = device,
	                           .unit = o.unit,
	                           .batch = (uint32_t)o.batch,
	                           .estimate = true};
	struct evaluated ev = {0};
	struct augur_strbuf t = {0};
	char name[300];
	int rc = CLI_OK;
	if (eval_open(&req, &ev, &diag)) {
		rc = cli_report(&diag);
		goto out;
	}
	const struct augur_net *net = ev.net;
	const struct augur_profile *p = ev.p;
	struct report r = {net, p, ev.profile_path, &ev.ev};
	char title[256];
	snprintf(title, sizeof(title), "%s on %s: augur report", net->name, p->name);
	page_begin(&t, title);
	header(&t, &r);
	totals(&t, &r);
	if (layer_bars(&t, &r) || type_bars(&t, &r) || memory_section(&t, &r) ||
	    gemm_section(&t, &r) || top_layers(&t, &r)) {
		cli_error("report", "out of memory");
		rc = CLI_FAIL;
		goto out;
	}
	char cmdline[256];
	snprintf(cmdline, sizeof(cmdline), "augur report %s --device %s", args[0], device);
	page_end(&t, cmdline);
	bool named = output != NULL;
	if (!named) {
		page_default_name(name, sizeof(name), net->name, "report");
		output = name;
	}
	rc = page_write("report", output, &t);
	if (rc == CLI_OK && !named)
		fprintf(stderr, "augur report: wrote %s\n", output);
out:
	augur_strbuf_clear(&t);
	eval_close(&ev);
	return rc;
}
