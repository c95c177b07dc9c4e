/* augur profile: looks at device profiles. "show NAME" prints a profile's machine, memory
 * facts and per unit the model, its fit quality and validity range; "list" the profiles
 * augur can find by name; "plot NAME" draws the calibration as an HTML page. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "augur-config.h"
#include "cli.h"
#include "options.h"
#include "fileio.h"
#include "jsonw.h"
#include "page.h"
#include "profile.h"
#include "suggest.h"
#include "table.h"

static const char *or_unknown(const char *s)
{
	return s && *s ? s : "unknown";
}

/* "n < 128", "128 <= n < 512", "n >= 512" or "any n" for region i along an axis. */
static void axis_text(char *buf, size_t size, const char *axis, const uint64_t *b, uint32_t nb,
                      uint32_t i)
{
	if (!nb)
		snprintf(buf, size, "any %s", axis);
	else if (i == 0)
		snprintf(buf, size, "%s < %llu", axis, (unsigned long long)b[0]);
	else if (i == nb)
		snprintf(buf, size, "%s >= %llu", axis, (unsigned long long)b[nb - 1]);
	else
		snprintf(buf, size, "%llu <= %s < %llu", (unsigned long long)b[i - 1], axis,
		         (unsigned long long)b[i]);
}

/* One line of profile show: "  label      text", text wrapped at the terminal's width
 * under itself. */
static void show_line(const char *label, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
static void show_line(const char *label, const char *fmt, ...)
{
	char text[2048], line[2100];
	va_list ap;
	va_start(ap, fmt);
	/* clang 14's analyzer reports ap uninitialised right after va_start (as in cli.c) */
	vsnprintf(text, sizeof(text), fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	va_end(ap);
	snprintf(line, sizeof(line), "  %-10s %s", label, text);
	cli_wrap(stdout, 13, line);
}

/* Appends to buf (of size) what fmt makes. */
static void append(char *buf, size_t size, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	if (len + 1 >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	va_end(ap);
}

/* One region's coefficients and the speed its n*k*m term implies, after text in buf. */
static void region_text(char *buf, size_t size, const struct augur_timemodel *tm,
                        const struct augur_region *r)
{
	for (int t = 0; t < AUGUR_TERM_COUNT; t++)
		if (tm->term_mask & (1u << t))
			append(buf, size, " %s %.4g", augur_term_name(t), r->coef[t]);
	double g = r->coef[AUGUR_TERM_NKM];
	if ((tm->term_mask & 1u) && g > 0)
		append(buf, size, " (%.1f GFLOPS asymptotic)", 2.0 / g / 1e6);
}

/* "gemm-only" or "layer-costs": the unit's model kind, as estimate's JSON calls it. */
static const char *model_kind(const struct augur_unit *u)
{
	return u->costs ? "layer-costs" : "gemm-only";
}

/* What a unit's time covers, for profile show, into buf. */
static void model_kind_text(const struct augur_unit *u, char *buf, size_t size)
{
	if (!u->costs) {
		snprintf(buf, size,
		         "GEMM time of conv and fc only (the paper's method); other "
		         "layers are not costed");
		return;
	}
	int types = 0;
	for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++)
		types += u->costs->type[t].feature_mask != 0;
	snprintf(buf, size, "GEMM model plus layer costs for %d of %d layer types", types,
	         AUGUR_LAYER_TYPE_COUNT);
}

static void show_model(const struct augur_timemodel *tm)
{
	char text[1024] = "terms";
	for (int t = 0; t < AUGUR_TERM_COUNT; t++)
		if (tm->term_mask & (1u << t))
			append(text, sizeof(text), " %s", augur_term_name(t));
	append(text, sizeof(text), "; breaks n [");
	for (uint32_t i = 0; i < tm->n_breaks_n; i++)
		append(text, sizeof(text), "%s%llu", i ? ", " : "",
		       (unsigned long long)tm->breaks_n[i]);
	append(text, sizeof(text), "] m [");
	for (uint32_t i = 0; i < tm->n_breaks_m; i++)
		append(text, sizeof(text), "%s%llu", i ? ", " : "",
		       (unsigned long long)tm->breaks_m[i]);
	append(text, sizeof(text), "]; floor %.4g ms", tm->min_ms);
	show_line("model", "%s", text);
	show_line("valid for", "n %llu..%llu, k %llu..%llu, m %llu..%llu",
	          (unsigned long long)tm->range.n_min, (unsigned long long)tm->range.n_max,
	          (unsigned long long)tm->range.k_min, (unsigned long long)tm->range.k_max,
	          (unsigned long long)tm->range.m_min, (unsigned long long)tm->range.m_max);
	uint32_t nr = (tm->n_breaks_n + 1) * (tm->n_breaks_m + 1);
	for (uint32_t r = 0; r < nr; r++) {
		uint32_t in = r / (tm->n_breaks_m + 1), im = r % (tm->n_breaks_m + 1);
		char nr_txt[64], mr_txt[64], label[32];
		axis_text(nr_txt, sizeof(nr_txt), "n", tm->breaks_n, tm->n_breaks_n, in);
		axis_text(mr_txt, sizeof(mr_txt), "m", tm->breaks_m, tm->n_breaks_m, im);
		snprintf(text, sizeof(text), "%s, %s:", nr_txt, mr_txt);
		region_text(text, sizeof(text), tm, &tm->regions[r]);
		snprintf(label, sizeof(label), "region %u", r);
		show_line(label, "%s", text);
	}
	if (tm->direct.max_nkm) {
		snprintf(text, sizeof(text), "n*k*m <= %llu (fc: also n*m <= %llu, k >= %llu):",
		         (unsigned long long)tm->direct.max_nkm,
		         (unsigned long long)tm->direct.fc_max_nm,
		         (unsigned long long)tm->direct.fc_min_k);
		region_text(text, sizeof(text), tm, &tm->direct_region);
		show_line("direct", "%s", text);
	}
}

static void show_unit(const struct augur_unit *u)
{
	char mem[32], fw[32], kind[160];
	cli_bytes(mem, sizeof(mem), u->memory_bytes);
	printf("\n%s unit\n", augur_unit_kind_name(u->kind));
	show_line("library", "%s", or_unknown(u->library));
	show_line("processor", "%s", or_unknown(u->processor));
	if (u->threads)
		show_line("threads", "%u", u->threads);
	model_kind_text(u, kind, sizeof(kind));
	show_line("costs", "%s", kind);
	if (u->costs && u->costs->source)
		show_line("", "fitted from %s", u->costs->source);
	char checked[512];
	if (u->costs && cli_cost_check(&u->costs->checked, checked, sizeof(checked)))
		show_line("checked", "%s", checked);
	char scale[256];
	if (u->costs && cli_pass_scale(&u->costs->pass, scale, sizeof(scale)))
		show_line("pass scale", "%s", scale);
	cli_bytes(fw, sizeof(fw), u->framework_overhead_bytes);
	char without[64] = "";
	if (u->overhead_without_conv_bytes) {
		char b[32];
		cli_bytes(b, sizeof(b), u->overhead_without_conv_bytes);
		snprintf(without, sizeof(without), " (%s without convolutions)", b);
	}
	show_line("memory", "%s, framework overhead %s%s, weights copied: %s", mem, fw, without,
	          u->weights_copied ? "yes" : "no");
	show_model(&u->gemm);
	const struct augur_fit_quality *q = &u->quality;
	char train[32] = "-", med[32] = "-", max[32] = "-";
	if (!isnan(q->train_median_rel_err))
		snprintf(train, sizeof(train), "%.2f%%", 100 * q->train_median_rel_err);
	if (!isnan(q->heldout_median_rel_err))
		snprintf(med, sizeof(med), "%.2f%%", 100 * q->heldout_median_rel_err);
	if (!isnan(q->heldout_max_rel_err))
		snprintf(max, sizeof(max), "%.2f%%", 100 * q->heldout_max_rel_err);
	show_line("fit",
	          "train median error %s over %zu samples (%zu dropped); held-out median "
	          "%s, max %s over %zu",
	          train, q->n_train, q->n_dropped, med, max, q->n_heldout);
	size_t agg = 0;
	for (size_t i = 0; i < u->n_samples; i++)
		agg += u->samples[i].n_gemms != 1;
	show_line("samples", "%zu stored (%zu aggregate row%s)", u->n_samples, agg,
	          agg == 1 ? "" : "s");
}

/* A size for profile show ("32Mi"), or "?" when not known (0). */
static const char *size_or_unknown(char *buf, size_t size, uint64_t v)
{
	if (!v)
		return "?";
	cli_bytes(buf, size, v);
	return buf;
}

/* The machine's caches and rates, the framework, and the layer-cost thresholds derived
 * from them (a fact the profile does not state takes the reference board's). */
static void show_facts(const struct augur_profile *p)
{
	const struct augur_machine_facts *m = &p->machine;
	char a[32], b[32], c[32], d[32];
	if (m->llc_bytes || m->l2_bytes || m->l1d_bytes || m->page_bytes)
		show_line("caches", "L1d %s, L2 %s, last level %s; pages %s",
		          size_or_unknown(a, sizeof(a), m->l1d_bytes),
		          size_or_unknown(b, sizeof(b), m->l2_bytes),
		          size_or_unknown(c, sizeof(c), m->llc_bytes),
		          size_or_unknown(d, sizeof(d), m->page_bytes));
	else
		show_line("caches", "not recorded");
	if (m->llc_effective_bytes)
		show_line("measured", "reads at cache speed up to %s",
		          size_or_unknown(a, sizeof(a), m->llc_effective_bytes));
	if (m->llc_fitted_bytes)
		show_line("model",
		          "its layer costs fitted with a %s cache, the size their fit "
		          "networks chose in cross-validation",
		          size_or_unknown(a, sizeof(a), m->llc_fitted_bytes));
	if (!isnan(m->stream_gib_per_s) || !isnan(m->fault_ms_per_mib)) {
		char rates[128] = "";
		if (!isnan(m->stream_gib_per_s))
			append(rates, sizeof(rates), "streaming %.3g GiB/s", m->stream_gib_per_s);
		if (!isnan(m->fault_ms_per_mib))
			append(rates, sizeof(rates), "%spage faults %.3g ms/MiB",
			       isnan(m->stream_gib_per_s) ? "" : ", ", m->fault_ms_per_mib);
		show_line("rates", "%s", rates);
	}
	if (m->probe_ms > 0)
		show_line("reference", "augur's reference workload ran in %.3f ms", m->probe_ms);
	const struct augur_framework *fw = &p->framework;
	char text[512];
	printf("framework\n");
	if (augur_framework_describe(fw, text, sizeof(text))) {
		show_line("times for", "%s", text);
		if (fw->fresh_buffer_bytes || fw->pool_index_bytes >= 0) {
			char buffers[256] = "";
			if (fw->fresh_buffer_bytes)
				append(buffers, sizeof(buffers), "mapped afresh above %s%s",
				       size_or_unknown(a, sizeof(a), fw->fresh_buffer_bytes),
				       fw->pool_index_bytes >= 0 ? "; " : "");
			if (fw->pool_index_bytes > 0)
				append(buffers, sizeof(buffers),
				       "max pooling writes %lld-byte indices",
				       (long long)fw->pool_index_bytes);
			else if (fw->pool_index_bytes == 0)
				append(buffers, sizeof(buffers), "max pooling writes no indices");
			show_line("buffers", "%s", buffers);
		}
		enum augur_memory_view view = augur_framework_memory_view(fw);
		show_line("blobs", "%s",
		          view == AUGUR_VIEW_MINIMAL
		                  ? "freed after their last reader (the minimal memory view)"
		          : view == AUGUR_VIEW_HEAP
		                  ? "freed after their last reader into a best-fit heap that "
		                    "keeps the pages it touched (the heap memory view)"
		                  : "held for the whole pass (the allocated memory view)");
		if (fw->alloc_slack_bytes || fw->weights_staged > 0) {
			char heap[256] = "";
			if (fw->alloc_slack_bytes)
				append(heap, sizeof(heap),
				       "a free chunk serves only a buffer at least %u bytes smaller%s",
				       fw->alloc_slack_bytes, fw->weights_staged > 0 ? "; " : "");
			if (fw->weights_staged > 0)
				append(heap, sizeof(heap),
				       "each weight staged through a buffer of its size");
			show_line("heap", "%s", heap);
		}
		if (fw->lrn_temporaries)
			show_line("lrn", "holds %u temporaries the size of its input",
			          fw->lrn_temporaries);
		if (augur_framework_conv_direct(fw) &&
		    (fw->direct_conv_min_input_values || fw->direct_conv_1x1_min_batch)) {
			char rule[256] = "";
			if (fw->direct_conv_min_input_values)
				append(rule, sizeof(rule),
				       "; im2col and a GEMM when ungrouped, at most 3x3, batch 1 and "
				       "reading at most %llu values",
				       (unsigned long long)fw->direct_conv_min_input_values);
			if (fw->direct_conv_1x1_min_batch)
				append(rule, sizeof(rule),
				       "; a 1x1 one on one thread below a batch of %u too",
				       fw->direct_conv_1x1_min_batch);
			show_line("convs", "direct (oneDNN) in %u-channel blocks%s",
			          augur_framework_conv_block(fw), rule);
		} else if (augur_framework_conv_direct(fw))
			show_line(
			        "convs",
			        "direct (oneDNN) in %u-channel blocks: no im2col columns; blocked "
			        "copies of the output and of an ungrouped conv's input",
			        augur_framework_conv_block(fw));
		else
			show_line(
			        "groups", "%s",
			        augur_framework_conv_groups(fw) == AUGUR_GROUPS_ONE_AT_A_TIME
			                ? "a grouped conv runs one group at a time: one group's columns, "
			                  "its output held twice"
			                : "a grouped conv's columns in one buffer for all groups");
		if (augur_framework_cache_terms(fw))
			show_line("cache", "its loop layers' times follow where their data is "
			                   "(cache_terms: the spill features of docs/model.md)");
	} else {
		show_line("times for", "not recorded");
	}
	struct augur_thresholds th;
	augur_profile_thresholds(p, &th);
	/* name the facts the reference board stands in for, so a reader knows which
	 * thresholds below are this board's own */
	char missing[96] = "";
	if (!augur_machine_llc(m))
		append(missing, sizeof(missing), "%slast-level cache", *missing ? ", " : "");
	if (!fw->fresh_buffer_bytes)
		append(missing, sizeof(missing), "%sfresh-buffer threshold", *missing ? ", " : "");
	if (fw->pool_index_bytes < 0)
		append(missing, sizeof(missing), "%spool index bytes", *missing ? ", " : "");
	printf("thresholds\n");
	if (*missing)
		show_line("unstated", "%s: the reference EPYC board's", missing);
	show_line("weights", "streamed above %s; first fc cold after %s written",
	          size_or_unknown(a, sizeof(a), th.streamed_weight_bytes),
	          size_or_unknown(b, sizeof(b), th.first_fc_cold_bytes));
	if (th.pass_cliff) {
		char c[32], d[32];
		show_line("pass",
		          "in the core's cache under %s, the LLC's from %s, evicted from "
		          "%s to %s (a cliff)",
		          size_or_unknown(a, sizeof(a), th.pass_core_bytes),
		          size_or_unknown(b, sizeof(b), th.pass_core_hi_bytes),
		          size_or_unknown(c, sizeof(c), th.pass_cliff_lo_bytes),
		          size_or_unknown(d, sizeof(d), th.pass_cliff_hi_bytes));
	} else {
		show_line("pass", "cached under %s, evicted over %s",
		          size_or_unknown(a, sizeof(a), th.pass_cached_bytes),
		          size_or_unknown(b, sizeof(b), th.pass_evicted_bytes));
	}
	show_line("narrow", "n < %llu: GEMM columns cached under %s, streamed over %s",
	          (unsigned long long)th.narrow_gemm_n,
	          size_or_unknown(a, sizeof(a), th.narrow_cached_bytes),
	          size_or_unknown(b, sizeof(b), th.narrow_streamed_bytes));
	show_line("buffers", "fresh pages above %s; %llu bytes of pool index per output",
	          size_or_unknown(a, sizeof(a), th.fresh_buffer_bytes),
	          (unsigned long long)th.pool_index_bytes);
}

/* ---- profile show --format json ------------------------------------------------------ */

/* A size fact, null when not known (0). */
static void json_size(struct jsonw *w, const char *key, uint64_t v)
{
	if (v)
		jw_uint(w, key, v);
	else
		jw_null(w, key);
}

static void json_machine(struct jsonw *w, const struct augur_profile *p)
{
	const struct augur_machine_facts *m = &p->machine;
	jw_object(w, "machine", false);
	jw_string(w, "cpu", p->cpu_model);
	jw_uint(w, "cores", p->cpu_cores);
	jw_uint(w, "ram_bytes", p->ram_bytes);
	jw_bool(w, "shared_memory", p->shared_memory);
	json_size(w, "l1d_bytes", m->l1d_bytes);
	json_size(w, "l2_bytes", m->l2_bytes);
	json_size(w, "llc_bytes", m->llc_bytes);
	json_size(w, "llc_effective_bytes", m->llc_effective_bytes);
	json_size(w, "llc_fitted_bytes", m->llc_fitted_bytes);
	json_size(w, "page_bytes", m->page_bytes);
	jw_double(w, "stream_gib_per_s", m->stream_gib_per_s);
	jw_double(w, "page_fault_ms_per_mib", m->fault_ms_per_mib);
	if (m->probe_ms > 0)
		jw_double(w, "probe_ms", m->probe_ms);
	else
		jw_null(w, "probe_ms");
	jw_end(w);
	cli_json_framework(w, &p->framework);
}

static void json_gemm(struct jsonw *w, const struct augur_timemodel *tm)
{
	jw_object(w, "gemm_model", false);
	jw_array(w, "terms", true);
	for (int t = 0; t < AUGUR_TERM_COUNT; t++)
		if (tm->term_mask & (1u << t))
			jw_string(w, NULL, augur_term_name(t));
	jw_end(w);
	jw_array(w, "breaks_n", true);
	for (uint32_t i = 0; i < tm->n_breaks_n; i++)
		jw_uint(w, NULL, tm->breaks_n[i]);
	jw_end(w);
	jw_array(w, "breaks_m", true);
	for (uint32_t i = 0; i < tm->n_breaks_m; i++)
		jw_uint(w, NULL, tm->breaks_m[i]);
	jw_end(w);
	jw_object(w, "valid_for", true);
	jw_uint(w, "n_min", tm->range.n_min);
	jw_uint(w, "n_max", tm->range.n_max);
	jw_uint(w, "k_min", tm->range.k_min);
	jw_uint(w, "k_max", tm->range.k_max);
	jw_uint(w, "m_min", tm->range.m_min);
	jw_uint(w, "m_max", tm->range.m_max);
	jw_end(w);
	jw_end(w);
}

static void json_unit(struct jsonw *w, const struct augur_unit *u)
{
	jw_object(w, NULL, false);
	jw_string(w, "unit", augur_unit_kind_name(u->kind));
	jw_string(w, "library", u->library);
	jw_string(w, "processor", u->processor);
	jw_uint(w, "threads", u->threads);
	jw_uint(w, "memory_bytes", u->memory_bytes);
	jw_uint(w, "framework_overhead_bytes", u->framework_overhead_bytes);
	jw_uint(w, "overhead_without_conv_bytes", u->overhead_without_conv_bytes);
	jw_string(w, "model", model_kind(u));
	jw_uint(w, "samples", u->n_samples);
	const struct augur_fit_quality *q = &u->quality;
	jw_object(w, "quality", true);
	jw_double(w, "train_median_rel_err", q->train_median_rel_err);
	jw_double(w, "heldout_median_rel_err", q->heldout_median_rel_err);
	jw_double(w, "heldout_max_rel_err", q->heldout_max_rel_err);
	jw_uint(w, "heldout", q->n_heldout);
	jw_end(w);
	json_gemm(w, &u->gemm);
	jw_array(w, "layer_costs", false);
	for (int t = 0; u->costs && t < AUGUR_LAYER_TYPE_COUNT; t++) {
		const struct augur_layer_cost *c = &u->costs->type[t];
		if (!c->feature_mask)
			continue;
		jw_object(w, NULL, true);
		jw_string(w, "type", augur_layer_type_name(t));
		jw_uint(w, "rows", c->n_rows);
		jw_bool(w, "aggregate", c->aggregate);
		jw_double(w, "median_rel_err", c->median_rel_err);
		jw_object(w, "coef", true);
		for (int f = 0; f < AUGUR_FEAT_COUNT; f++)
			if (c->feature_mask & AUGUR_FEAT_BIT(f))
				jw_double(w, augur_feature_name(f), c->coef[f]);
		jw_end(w);
		jw_end(w);
	}
	jw_end(w);
	cli_json_cost_check(w, u->costs);
	jw_end(w);
}

static int show_json(const struct augur_profile *p, const char *path)
{
	struct jsonw *w = jw_new(stdout);
	if (!w)
		return -1;
	jw_object(w, NULL, false);
	jw_string(w, "augur_version", AUGUR_VERSION);
	jw_device(w, p, path);
	jw_string(w, "created", p->created);
	jw_string(w, "source", p->source);
	json_machine(w, p);
	jw_array(w, "units", false);
	if (p->cpu)
		json_unit(w, p->cpu);
	if (p->gpu)
		json_unit(w, p->gpu);
	jw_end(w);
	jw_end(w);
	jw_free(w);
	return 0;
}

static int show(const char *name, enum cli_format format)
{
	struct augur_diag diag = {0};
	char path[1024];
	struct augur_profile *p = NULL;
	if (augur_profile_find(name, path, sizeof(path), &diag) ||
	    augur_profile_load(path, &p, &diag))
		return cli_report(&diag);
	if (format == CLI_JSON) {
		int rc = show_json(p, path) ? cli_error("profile", "out of memory") : CLI_OK;
		augur_profile_free(p);
		return rc;
	}
	char ram[32];
	cli_bytes(ram, sizeof(ram), p->ram_bytes);
	printf("profile %s\n", p->name);
	show_line("file", "%s", path);
	show_line("device", "%s", p->description);
	show_line("created", "%s by augur %s; %s", p->created, p->augur_version, p->source);
	printf("machine\n");
	show_line("cpu", "%s, %u cores, governor %s%s%s", or_unknown(p->cpu_model), p->cpu_cores,
	          or_unknown(p->cpu_governor), p->openblas_coretype ? ", OPENBLAS_CORETYPE=" : "",
	          p->openblas_coretype ? p->openblas_coretype : "");
	show_line("memory", "%s RAM%s, %u-bit pointers", ram,
	          p->shared_memory ? " shared by CPU and GPU" : "", p->pointer_bits);
	show_facts(p);
	if (p->cpu)
		show_unit(p->cpu);
	if (p->gpu)
		show_unit(p->gpu);
	augur_profile_free(p);
	return CLI_OK;
}

/* "cpu", "gpu", "cpu,gpu" */
static const char *units_text(const struct augur_profile *p)
{
	return p->cpu && p->gpu ? "cpu,gpu" : p->cpu ? "cpu" : "gpu";
}

/* augur profile list [--format F]: every profile on the search path, with its description
 * and units; a profile that does not load is reported on stderr and makes the exit 1. */
/* profile list's records: the same fields in CSV (units and models as text, shadowed as
 * true/false) and JSON (units an array, models an object per unit). */
static const struct tbl_col list_cols[] = {
        {.key = "name", .kind = TBL_TEXT, .in = TBL_IN_CSV | TBL_IN_JSON},
        {.key = "units", .kind = TBL_TEXT, .in = TBL_IN_CSV},
        {.key = "units", .kind = TBL_JSON, .in = TBL_IN_JSON},
        {.key = "description", .kind = TBL_TEXT, .in = TBL_IN_CSV | TBL_IN_JSON},
        {.key = "path", .kind = TBL_TEXT, .in = TBL_IN_CSV | TBL_IN_JSON},
        {.key = "shadowed", .kind = TBL_TEXT, .in = TBL_IN_CSV},
        {.key = "shadowed", .kind = TBL_BOOL, .in = TBL_IN_JSON},
        {.key = "models", .kind = TBL_TEXT, .in = TBL_IN_CSV},
        {.key = "models", .kind = TBL_JSON, .in = TBL_IN_JSON},
};

static int print_records(const struct augur_profile_file *files,
                         struct augur_profile *const *loaded, size_t n, enum cli_format fmt)
{
	struct tbl *t = tbl_new(list_cols, sizeof(list_cols) / sizeof(list_cols[0]));
	for (size_t i = 0; t && i < n; i++) {
		const struct augur_profile *p = loaded[i];
		if (!p)
			continue;
		const struct augur_profile_file *f = &files[i];
		tbl_row(t);
		tbl_text(t, f->name);
		tbl_text(t, units_text(p));
		tbl_text(t, p->cpu && p->gpu ? "[\"cpu\", \"gpu\"]"
		            : p->cpu         ? "[\"cpu\"]"
		                             : "[\"gpu\"]");
		tbl_text(t, p->description);
		tbl_text(t, f->path);
		tbl_text(t, f->shadowed ? "true" : "false");
		tbl_uint(t, f->shadowed);
		char models[64];
		snprintf(models, sizeof(models), "%s%s%s%s%s", p->cpu ? "cpu:" : "",
		         p->cpu ? model_kind(p->cpu) : "", p->cpu && p->gpu ? " " : "",
		         p->gpu ? "gpu:" : "", p->gpu ? model_kind(p->gpu) : "");
		tbl_text(t, models);
		snprintf(models, sizeof(models), "{%s%s%s%s%s%s%s}", p->cpu ? "\"cpu\": \"" : "",
		         p->cpu ? model_kind(p->cpu) : "", p->cpu ? "\"" : "",
		         p->cpu && p->gpu ? ", " : "", p->gpu ? "\"gpu\": \"" : "",
		         p->gpu ? model_kind(p->gpu) : "", p->gpu ? "\"" : "");
		tbl_text(t, models);
	}
	int rc = -1;
	if (t && fmt == CLI_CSV) {
		rc = tbl_print_csv(t, stdout);
	} else if (t) {
		struct jsonw *w = jw_new(stdout);
		if (w) {
			jw_object(w, NULL, false);
			rc = tbl_write_json(t, w, "profiles");
			jw_end(w);
		}
		jw_free(w);
	}
	tbl_free(t);
	return rc;
}

/* The profiles for people: one heading per directory, so each line fits the terminal. */
static void print_list(const struct augur_profile_file *files, struct augur_profile *const *loaded,
                       size_t n, int wname)
{
	printf("  %-*s  %-7s  %s\n", wname, "NAME", "UNITS", "DESCRIPTION");
	char dir[4096] = "";
	for (size_t i = 0; i < n; i++) {
		const struct augur_profile *p = loaded[i];
		if (!p)
			continue;
		const struct augur_profile_file *f = &files[i];
		const char *slash = strrchr(f->path, '/');
		size_t dl = slash ? (size_t)(slash - f->path) : 0;
		if (dl < sizeof(dir) && (strlen(dir) != dl || strncmp(dir, f->path, dl))) {
			memcpy(dir, f->path, dl);
			dir[dl] = '\0';
			printf("%s/\n", dir);
		}
		const char *mark = f->shadowed ? " (shadowed)" : "";
		int room = cli_width() - (2 + wname + 2 + 7 + 2) - (int)strlen(mark);
		char desc[1024];
		cli_cut(desc, sizeof(desc), p->description, room > 10 ? room : 10);
		printf("  %-*s  %-7s  %s%s\n", wname, f->name, units_text(p), desc, mark);
	}
}

static int list(enum cli_format fmt)
{
	struct augur_profile_file *files = NULL;
	size_t n = 0;
	if (augur_profile_list(&files, &n)) {
		cli_error("profile", "out of memory");
		return CLI_FAIL;
	}
	/* an array of pointers, one per file */
	struct augur_profile **loaded =
	        calloc(n ? n : 1, sizeof(*loaded)); // NOLINT(bugprone-sizeof-expression)
	if (!loaded) {
		augur_profile_files_free(files, n);
		cli_error("profile", "out of memory");
		return CLI_FAIL;
	}
	int rc = CLI_OK;
	int wname = 4;
	size_t not_profiles = 0;
	const char *first_other = NULL;
	for (size_t i = 0; i < n; i++) {
		struct augur_diag diag = {0};
		char *buf = NULL;
		size_t len = 0;
		int lrc = augur_read_file(files[i].path, AUGUR_MAX_FILE_BYTES, &buf, &len, &diag);
		if (!lrc && !augur_profile_claims(buf, len)) {
			/* another YAML file kept beside the profiles: not an error */
			if (!not_profiles++)
				first_other = files[i].path;
			free(buf);
			continue;
		}
		if (!lrc)
			lrc = augur_profile_parse(files[i].path, buf, len, &loaded[i], &diag);
		free(buf);
		if (lrc) {
			rc = cli_report(&diag);
			continue;
		}
		int ln = (int)strlen(files[i].name);
		wname = ln > wname ? ln : wname;
	}
	if (fmt == CLI_TABLE)
		print_list(files, loaded, n, wname);
	else if (print_records(files, loaded, n, fmt))
		rc = cli_error("profile", "out of memory");
	if (not_profiles == 1)
		cli_warning("profile", "skipped %s: not a profile (no 'augur_profile:' line)",
		            first_other);
	else if (not_profiles)
		cli_warning("profile",
		            "skipped %zu YAML files that are not profiles (no "
		            "'augur_profile:' line), e.g. %s",
		            not_profiles, first_other);
	for (size_t i = 0; i < n; i++)
		augur_profile_free(loaded[i]);
	free(loaded);
	augur_profile_files_free(files, n);
	return rc;
}

/* The region a sample is drawn in: the direct path (region count), an aggregate row
 * (count + 1), or its region of the model. */
static size_t sample_region(const struct augur_timemodel *tm, const struct augur_sample *s,
                            size_t n_regions)
{
	if (s->n_gemms != 1)
		return n_regions + 1;
	const struct augur_sample_gemm *g = &s->gemms[0];
	if (augur_timemodel_direct(tm, g->n, g->k, g->m, s->fc_layout))
		return n_regions;
	return augur_timemodel_region(tm, g->n, g->m);
}

static void region_name(char *buf, size_t size, const struct augur_timemodel *tm, size_t r,
                        size_t n_regions)
{
	if (r == n_regions) {
		snprintf(buf, size, "direct path (n*k*m <= %llu)",
		         (unsigned long long)tm->direct.max_nkm);
		return;
	}
	if (r == n_regions + 1) {
		snprintf(buf, size, "aggregate rows (sums of GEMMs)");
		return;
	}
	uint32_t in = (uint32_t)r / (tm->n_breaks_m + 1), im = (uint32_t)r % (tm->n_breaks_m + 1);
	char a[64], b[64];
	axis_text(a, sizeof(a), "n", tm->breaks_n, tm->n_breaks_n, in);
	axis_text(b, sizeof(b), "m", tm->breaks_m, tm->n_breaks_m, im);
	snprintf(buf, size, "region %zu: %s, %s", r, a, b);
}

/* One unit's samples for the charts, grouped by region (regions, direct path, aggregate
 * rows), each group split by the held-out flag: group g's samples are start[g] to
 * start[g + 1] in the per-sample arrays, and each non-empty group is a series. */
struct unit_plot {
	size_t ns, nr, ngroups, nse;
	size_t *start;
	double *meas, *pred, *nkm, *err, *pm, *pn;
	char **attrs, **titles, **names;
	struct augur_series *series, *err_series, *nm_series;
};

static void unit_plot_free(struct unit_plot *d)
{
	for (size_t i = 0; d->attrs && d->titles && i < d->ns; i++) {
		free(d->attrs[i]);
		free(d->titles[i]);
	}
	for (size_t g = 0; d->names && g < 2 * d->ngroups; g++)
		free(d->names[g]);
	free(d->start);
	free(d->meas);
	free(d->pred);
	free(d->nkm);
	free(d->err);
	free(d->pm);
	free(d->pn);
	free(d->attrs);
	free(d->titles);
	free(d->names);
	free(d->series);
	free(d->err_series);
	free(d->nm_series);
}

/* 0, or -1 when out of memory (free d either way). */
static int unit_plot_alloc(struct unit_plot *d, const struct augur_unit *u)
{
	const struct augur_timemodel *tm = &u->gemm;
	size_t ns = u->n_samples;
	d->ns = ns;
	d->nr = (tm->n_breaks_n + 1) * (tm->n_breaks_m + 1);
	d->ngroups = d->nr + 2; /* regions, direct path, aggregate rows */
	size_t ng = 2 * d->ngroups + 1;
	d->start = calloc(ng, sizeof(*d->start));
	d->meas = calloc(ns + 1, sizeof(*d->meas));
	d->pred = calloc(ns + 1, sizeof(*d->pred));
	d->nkm = calloc(ns + 1, sizeof(*d->nkm));
	d->err = calloc(ns + 1, sizeof(*d->err));
	d->pm = calloc(ns + 1, sizeof(*d->pm));
	d->pn = calloc(ns + 1, sizeof(*d->pn));
	d->attrs = calloc(ns + 1, sizeof(*d->attrs));
	d->titles = calloc(ns + 1, sizeof(*d->titles));
	d->names = calloc(ng, sizeof(*d->names));
	d->series = calloc(ng, sizeof(*d->series));
	d->err_series = calloc(ng, sizeof(*d->err_series));
	d->nm_series = calloc(ng, sizeof(*d->nm_series));
	if (!d->start || !d->meas || !d->pred || !d->nkm || !d->err || !d->pm || !d->pn ||
	    !d->attrs || !d->titles || !d->names || !d->series || !d->err_series || !d->nm_series)
		return -1;
	return 0;
}

/* Sample s's tooltip: its shape (or GEMM count), the two times and the error. */
static char *sample_title(const struct augur_sample *s, double meas, double pred, double err)
{
	char title[256];
	if (s->n_gemms == 1)
		snprintf(title, sizeof(title),
		         "%s n %llu, k %llu, m %llu: measured %.4g ms, predicted %.4g ms "
		         "(%+.1f%%)%s",
		         s->fc_layout ? "fc" : "conv", (unsigned long long)s->gemms[0].n,
		         (unsigned long long)s->gemms[0].k, (unsigned long long)s->gemms[0].m, meas,
		         pred, err, s->held_out ? ", held out" : "");
	else
		snprintf(title, sizeof(title),
		         "%s (%zu GEMMs): measured %.4g ms, predicted %.4g ms (%+.1f%%)%s",
		         s->label ? s->label : "aggregate", s->n_gemms, meas, pred, err,
		         s->held_out ? ", held out" : "");
	return strdup(title);
}

/* Puts sample i, of group g, at index at of the per-sample arrays. */
static void place_sample(struct unit_plot *d, const struct augur_unit *u, size_t i, size_t g,
                         size_t at)
{
	const struct augur_sample *s = &u->samples[i];
	const char *un = augur_unit_kind_name(u->kind);
	d->meas[at] = s->time_ms;
	d->pred[at] = augur_sample_predict(&u->gemm, s);
	d->err[at] = 100 * (d->pred[at] - d->meas[at]) / d->meas[at];
	double size = 0;
	for (size_t k = 0; k < s->n_gemms; k++)
		size += (double)s->gemms[k].n * (double)s->gemms[k].k * (double)s->gemms[k].m *
		        (double)s->gemms[k].count;
	d->nkm[at] = size;
	d->pm[at] = s->n_gemms == 1 ? (double)s->gemms[0].m : NAN;
	d->pn[at] = s->n_gemms == 1 ? (double)s->gemms[0].n : NAN;
	struct augur_strbuf a = {0};
	augur_strbuf_put(&a, "data-sample=\"%zu\" data-unit=\"%s\" data-region=\"%zu\"", i, un,
	                 g / 2);
	page_num_attr(&a, "data-measured-ms", d->meas[at]);
	page_num_attr(&a, "data-predicted-ms", d->pred[at]);
	augur_strbuf_put(&a, " data-held-out=\"%s\"", s->held_out ? "true" : "false");
	d->attrs[at] = a.data;
	d->titles[at] = sample_title(s, d->meas[at], d->pred[at], d->err[at]);
}

/* Sorts the samples into their groups (a counting sort, stable). 0, or -1 when out of
 * memory. */
static int group_samples(struct unit_plot *d, const struct augur_unit *u)
{
	size_t ns = d->ns;
	size_t *group = calloc(ns + 1, sizeof(*group));
	if (!group)
		return -1;
	size_t count[2 * AUGUR_MODEL_MAX_REGIONS + 5] = {0};
	for (size_t i = 0; i < ns; i++) {
		const struct augur_sample *s = &u->samples[i];
		group[i] = 2 * sample_region(&u->gemm, s, d->nr) + (s->held_out ? 1 : 0);
		count[group[i]]++;
	}
	for (size_t g = 1; g <= 2 * d->ngroups; g++)
		d->start[g] = d->start[g - 1] + count[g - 1];
	size_t fill[2 * AUGUR_MODEL_MAX_REGIONS + 5] = {0};
	for (size_t i = 0; i < ns; i++)
		place_sample(d, u, i, group[i], d->start[group[i]] + fill[group[i]]++);
	free(group);
	return 0;
}

/* One series per non-empty group for each of the three sample charts, and after the
 * first chart's a legend entry for the held-out points. */
static void build_series(struct unit_plot *d, const struct augur_timemodel *tm)
{
	size_t nse = 0, colour = 0, nr = d->nr;
	const size_t *start = d->start;
	for (size_t g = 0; g < 2 * d->ngroups; g++) {
		size_t n = start[g + 1] - start[g];
		bool held = g % 2;
		/* colours in order of the regions drawn, so seven stay distinct (black is
		 * the held-out points' crosses); the direct path as rings */
		if (!held && n)
			colour++;
		if (!n)
			continue;
		char name[160];
		region_name(name, sizeof(name), tm, g / 2, nr);
		d->names[nse] = held ? NULL : strdup(name);
		d->series[nse] = (struct augur_series){d->names[nse],
		                                       held          ? AUGUR_MARK_CROSS
		                                       : g / 2 == nr ? AUGUR_MARK_RING
		                                                     : AUGUR_MARK_DOT,
		                                       held ? 7 : (colour - 1) % 7,
		                                       n,
		                                       d->pred + start[g],
		                                       d->meas + start[g],
		                                       (const char *const *)d->titles + start[g],
		                                       (const char *const *)d->attrs + start[g],
		                                       false};
		d->err_series[nse] = d->series[nse];
		d->err_series[nse].x = d->nkm + start[g];
		d->err_series[nse].y = d->err + start[g];
		d->err_series[nse].attrs = NULL;
		d->nm_series[nse] = d->err_series[nse];
		d->nm_series[nse].x = d->pm + start[g];
		d->nm_series[nse].y = d->pn + start[g];
		nse++;
	}
	/* the legend's entry for held-out points */
	d->series[nse] = (struct augur_series){
	        "held out (never fitted)", AUGUR_MARK_CROSS, 7, 0, NULL, NULL, NULL, NULL, false};
	d->nse = nse;
}

/* The unit's facts: library, model regions and validity, fit quality. */
static void unit_facts(struct augur_strbuf *t, const struct augur_unit *u, size_t nr)
{
	const struct augur_timemodel *tm = &u->gemm;
	const char *un = augur_unit_kind_name(u->kind);
	const struct augur_fit_quality *q = &u->quality;
	augur_strbuf_put(t, "<h2>%s unit</h2>\n<table class=\"facts\">\n", un);
	augur_strbuf_puts(t, "<tr><th>library</th><td>");
	augur_svg_xml(t, u->library ? u->library : "unknown");
	augur_strbuf_put(t, "</td></tr>\n<tr><th>model</th><td>%zu regions (breaks n [", nr);
	for (uint32_t i = 0; i < tm->n_breaks_n; i++)
		augur_strbuf_put(t, "%s%llu", i ? ", " : "", (unsigned long long)tm->breaks_n[i]);
	augur_strbuf_puts(t, "], m [");
	for (uint32_t i = 0; i < tm->n_breaks_m; i++)
		augur_strbuf_put(t, "%s%llu", i ? ", " : "", (unsigned long long)tm->breaks_m[i]);
	augur_strbuf_put(t, "])%s; valid for n %llu..%llu, k %llu..%llu, m %llu..%llu</td></tr>\n",
	                 tm->direct.max_nkm ? " and a direct path" : "",
	                 (unsigned long long)tm->range.n_min, (unsigned long long)tm->range.n_max,
	                 (unsigned long long)tm->range.k_min, (unsigned long long)tm->range.k_max,
	                 (unsigned long long)tm->range.m_min, (unsigned long long)tm->range.m_max);
	augur_strbuf_put(t,
	                 "<tr><th>fit</th><td data-unit=\"%s\" data-samples=\"%zu\">median error "
	                 "%.2f%% over %zu training samples (%zu dropped as outliers)",
	                 un, u->n_samples, 100 * q->train_median_rel_err, q->n_train, q->n_dropped);
	if (q->n_heldout && isfinite(q->heldout_median_rel_err))
		augur_strbuf_put(t, "; held out: median %.2f%%, max %.2f%% over %zu",
		                 100 * q->heldout_median_rel_err, 100 * q->heldout_max_rel_err,
		                 q->n_heldout);
	augur_strbuf_puts(t, "</td></tr>\n</table>\n");
}

/* The three charts of the samples: measured against predicted, relative error against
 * size, and the (m, n) plane with the model's region breaks. */
static void sample_charts(struct augur_strbuf *t, const struct unit_plot *d,
                          const struct augur_unit *u)
{
	const struct augur_timemodel *tm = &u->gemm;
	const char *un = augur_unit_kind_name(u->kind);
	char title[96];
	snprintf(title, sizeof(title), "%s: measured against predicted time of every sample", un);
	struct augur_xy c = {
	        .title = title,
	        .x_label = "predicted time (ms)",
	        .y_label = "measured time (ms)",
	        .x_log = true,
	        .y_log = true,
	        .width = 660,
	        .height = 620,
	        .n_series = d->nse + 1,
	        .series = d->series,
	        .diagonal = true,
	};
	page_xy_figure(t, &c,
	               "Each stored sample at the time the profile's GEMM model "
	               "predicts for it (the sum over its GEMMs for an aggregate row) and the "
	               "time measured; on the dashed line the two agree. Colour: the model "
	               "region (or direct path) the sample falls in; crosses: held-out samples, "
	               "never fitted.");
	snprintf(title, sizeof(title), "%s: relative error against size", un);
	struct augur_rule zero = {false, 0, 0, NULL, 7, NULL};
	struct augur_xy ce = {
	        .title = title,
	        .x_label = "n*k*m (multiply-adds, all GEMMs of the sample)",
	        .y_label = "predicted - measured (% of measured)",
	        .x_log = true,
	        .width = 600,
	        .height = 400,
	        .n_series = d->nse,
	        .series = d->err_series,
	        .n_rules = 1,
	        .rules = &zero,
	};
	page_xy_figure(t, &ce,
	               "The same samples' relative error by size: a trend "
	               "along the axis shows what the model's terms miss.");
	/* the regions on the (m, n) plane: breaks as lines */
	struct augur_rule breaks[2 * AUGUR_MODEL_MAX_BREAKS];
	size_t nb = 0;
	for (uint32_t i = 0; i < tm->n_breaks_m; i++)
		breaks[nb++] = (struct augur_rule){
		        true, (double)tm->breaks_m[i], 0, i ? NULL : "region breaks", 7, NULL};
	for (uint32_t i = 0; i < tm->n_breaks_n; i++) {
		const char *label = nb ? NULL : "region breaks";
		breaks[nb++] =
		        (struct augur_rule){false, (double)tm->breaks_n[i], 0, label, 7, NULL};
	}
	snprintf(title, sizeof(title), "%s: the model's regions", un);
	struct augur_xy cr = {
	        .title = title,
	        .x_label = "m (output columns: output pixels)",
	        .y_label = "n (output rows: filters)",
	        .x_log = true,
	        .y_log = true,
	        .width = 620,
	        .height = 400,
	        .n_series = d->nse,
	        .series = d->nm_series,
	        .n_rules = nb,
	        .rules = breaks,
	};
	page_xy_figure(t, &cr,
	               "The piecewise-linear model's regions: single-GEMM samples "
	               "by n and m, the breakpoints as dashed lines. Each region has its own "
	               "coefficients (<code>augur profile show</code>).");
}

/* The layer-cost models' median fit error per type, when the unit has them. */
static void cost_bars(struct augur_strbuf *t, const struct augur_unit *u)
{
	if (!u->costs)
		return;
	const char *rows[AUGUR_LAYER_TYPE_COUNT];
	double v[AUGUR_LAYER_TYPE_COUNT];
	char notes_buf[AUGUR_LAYER_TYPE_COUNT][64], attr_buf[AUGUR_LAYER_TYPE_COUNT][96];
	const char *notes[AUGUR_LAYER_TYPE_COUNT], *at[AUGUR_LAYER_TYPE_COUNT];
	size_t n = 0;
	for (int k = 0; k < AUGUR_LAYER_TYPE_COUNT; k++) {
		const struct augur_layer_cost *lc = &u->costs->type[k];
		if (!lc->feature_mask)
			continue;
		rows[n] = augur_layer_type_name(k);
		v[n] = 100 * lc->median_rel_err;
		snprintf(notes_buf[n], sizeof(notes_buf[n]), "%.1f%% over %u %s%s", v[n],
		         lc->n_rows, lc->aggregate ? "sums" : "layers",
		         lc->n_dropped ? " (some dropped)" : "");
		snprintf(attr_buf[n], sizeof(attr_buf[n]),
		         "data-type=\"%s\" data-median-rel-err=\"%.9g\"", rows[n],
		         lc->median_rel_err);
		notes[n] = notes_buf[n];
		at[n] = attr_buf[n];
		n++;
	}
	static const char *const series1[] = {"median relative error"};
	struct augur_hbars cb = {
	        .title = "layer-cost fit: median error per type",
	        .x_label = "median |predicted - measured| / measured (%)",
	        .n_rows = n,
	        .n_series = 1,
	        .n_panels = 1,
	        .rows = rows,
	        .series = series1,
	        .v = v,
	        .attrs = at,
	        .notes = notes,
	        .row_height = 20,
	        .label_width = 90,
	        .panel_width = 380,
	};
	augur_strbuf_puts(t, "<figure>\n");
	augur_svg_hbars(t, &cb);
	augur_strbuf_puts(t, "<figcaption>The layer-cost models' fit: per layer type, the "
	                     "median relative residual over the measured layers (or per-type "
	                     "sums) it was fitted on, as the profile records it. Fitted from ");
	augur_svg_xml(t, u->costs->source ? u->costs->source : "?");
	augur_strbuf_puts(t, ".</figcaption>\n</figure>\n");
}

/* One unit's charts: measured against predicted per sample, relative error against size,
 * the samples on the (m, n) plane with the region breaks, and the layer-cost fit errors. */
static int plot_unit(struct augur_strbuf *t, const struct augur_unit *u)
{
	struct unit_plot d = {0};
	int rc = CLI_FAIL;
	if (unit_plot_alloc(&d, u) || group_samples(&d, u))
		goto out;
	build_series(&d, &u->gemm);
	unit_facts(t, u, d.nr);
	augur_strbuf_puts(t, "<div class=\"figs\">\n");
	sample_charts(t, &d, u);
	cost_bars(t, u);
	augur_strbuf_puts(t, "</div>\n");
	rc = CLI_OK;
out:
	unit_plot_free(&d);
	return rc;
}

/* augur profile plot NAME [-o FILE] */
static int plot(const char *profile, const char *output)
{
	struct augur_diag diag = {0};
	char path[1024], name[300];
	struct augur_profile *p = NULL;
	if (augur_profile_find(profile, path, sizeof(path), &diag) ||
	    augur_profile_load(path, &p, &diag))
		return cli_report(&diag);
	struct augur_strbuf t = {0};
	char title[256];
	snprintf(title, sizeof(title), "profile %s: augur profile plot", p->name);
	page_begin(&t, title);
	augur_strbuf_puts(&t, "<h1>profile ");
	augur_svg_xml(&t, p->name);
	augur_strbuf_puts(&t, "</h1>\n<table class=\"facts\">\n<tr><th>device</th><td>");
	augur_svg_xml(&t, p->description);
	augur_strbuf_puts(&t, "</td></tr>\n<tr><th>file</th><td>");
	augur_svg_xml(&t, path);
	augur_strbuf_puts(&t, "</td></tr>\n<tr><th>source</th><td>");
	augur_svg_xml(&t, p->source ? p->source : "unknown");
	augur_strbuf_puts(&t, "</td></tr>\n<tr><th>created</th><td>");
	augur_svg_xml(&t, p->created ? p->created : "unknown");
	augur_strbuf_puts(&t, "</td></tr>\n</table>\n");
	int rc = CLI_OK;
	if ((p->cpu && plot_unit(&t, p->cpu)) || (p->gpu && plot_unit(&t, p->gpu))) {
		cli_error("profile", "out of memory");
		rc = CLI_FAIL;
		goto out;
	}
	char cmd[1100];
	snprintf(cmd, sizeof(cmd), "augur profile plot %s", profile);
	page_end(&t, cmd);
	bool named = output != NULL;
	if (!named) {
		page_default_name(name, sizeof(name), p->name, "profile");
		output = name;
	}
	rc = page_write("profile", output, &t);
	if (rc == CLI_OK && !named)
		fprintf(stderr, "augur profile: wrote %s\n", output);
out:
	augur_strbuf_clear(&t);
	augur_profile_free(p);
	return rc;
}

struct profile_args {
	int format; /* enum cli_format, or -1 when not given */
	const char *output;
};

static int parse_format(const char *cmd, const char *option, const char *value, void *field)
{
	(void)option;
	enum cli_format f;
	if (cli_parse_format(cmd, value, &f))
		return -1;
	*(int *)field = (int)f;
	return 0;
}

static const struct cli_opt profile_opts[] = {
        CLI_CALL("format", struct profile_args, format, parse_format, "FMT",
                 "list: table, json or csv; show: table or json\n(docs/output.md)"),
        CLI_OUTPUT(struct profile_args, output,
                   "plot: where to write ('-': stdout; default NAME-profile.html)"),
        CLI_END,
};

const struct cli_spec cmd_profile_spec = {
        "profile", profile_opts, 1, 2, "'show NAME', 'list' or 'plot NAME'", false};

/* The actions, each with whether it takes a profile NAME and which option it takes. */
enum profile_action { SHOW, LIST, PLOT };
static const struct {
	const char *name;
	bool takes_name;
} actions[] = {[SHOW] = {"show", true}, [LIST] = {"list", false}, [PLOT] = {"plot", true}};
#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

static int unknown_action(const char *word)
{
	const char *names[N_ACTIONS];
	for (size_t i = 0; i < N_ACTIONS; i++)
		names[i] = actions[i].name;
	const char *near = augur_nearest(word, names, N_ACTIONS);
	if (near)
		return cli_usage_error("profile",
		                       "unknown action '%s' (did you mean '%s'? expected show, "
		                       "list or plot)",
		                       word, near);
	return cli_usage_error("profile", "unknown action '%s' (expected show, list or plot)",
	                       word);
}

int cmd_profile(int argc, char **argv)
{
	struct profile_args o = {.format = -1};
	char **args;
	int n_args;
	if (cli_parse(&cmd_profile_spec, argc, argv, &o, &args, &n_args))
		return CLI_USAGE;
	size_t a = 0;
	while (a < N_ACTIONS && strcmp(args[0], actions[a].name))
		a++;
	if (a == N_ACTIONS)
		return unknown_action(args[0]);
	if (actions[a].takes_name && n_args != 2)
		return cli_usage_error("profile", "%s expects one profile name or path",
		                       actions[a].name);
	if (!actions[a].takes_name && n_args != 1)
		return cli_usage_error("profile", "%s takes no argument, got '%s'", actions[a].name,
		                       args[1]);
	if (o.format >= 0 && a == PLOT)
		return cli_usage_error("profile", "--format is an option of 'profile list' and "
		                                  "'profile show'");
	if (o.format == CLI_CSV && a == SHOW)
		return cli_usage_error("profile",
		                       "profile show has no rows for csv: --format table "
		                       "or json");
	if (o.output && a != PLOT)
		return cli_usage_error("profile", "--output is an option of 'profile plot'");
	switch ((enum profile_action)a) {
	case SHOW:
		return show(args[1], o.format >= 0 ? (enum cli_format)o.format : CLI_TABLE);
	case LIST:
		return list(o.format >= 0 ? (enum cli_format)o.format : CLI_TABLE);
	case PLOT:
		return plot(args[1], o.output);
	}
	return CLI_USAGE;
}
