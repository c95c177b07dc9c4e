/* Shared CLI helpers (see cli.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsonw.h"
#include "numparse.h"
#include "options.h"
#include "profile.h"
#include "strbuf.h"
#include "suggest.h"

static void say(const char *cmd, const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "augur %s: %s: ", cmd, kind);
	/* clang 14's analyzer loses va_start across the call and reports ap uninitialised */
	vfprintf(stderr, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(cmd, "error", fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

int cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(cmd, "error", fmt, ap);
	va_end(ap);
	return CLI_FAIL;
}

void cli_warning(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(cmd, "warning", fmt, ap);
	va_end(ap);
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	opterr = 0;
	int c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c != '?' && c != ':')
		return c;
	const char *bad = argv[optind - 1];
	if (optopt && strchr(shortopts, optopt)) {
		cli_usage_error(argv[0], "option '%s' needs a value", bad);
		return '?';
	}
	for (const struct option *o = longopts; o->name; o++) {
		size_t len = strlen(o->name);
		if (!strncmp(bad, "--", 2) && !strncmp(bad + 2, o->name, len) &&
		    (bad[2 + len] == '\0' || bad[2 + len] == '=') && o->has_arg) {
			cli_usage_error(argv[0], "option '--%s' needs a value", o->name);
			return '?';
		}
	}
	const char *names[64];
	size_t n = 0;
	for (const struct option *o = longopts; o->name && n < 64; o++)
		names[n++] = o->name;
	const char *word = bad;
	while (*word == '-')
		word++;
	char stem[64];
	snprintf(stem, sizeof(stem), "%.*s", (int)strcspn(word, "="), word);
	const char *near = augur_nearest(stem, names, n);
	if (near)
		cli_usage_error(argv[0], "unknown option '%s' (did you mean '--%s'?)", bad, near);
	else
		cli_usage_error(argv[0], "unknown option '%s' (see 'augur %s --help')", bad,
		                argv[0]);
	return '?';
}

int cli_report(const struct augur_diag *diag)
{
	char line[AUGUR_DIAG_PATH_MAX + AUGUR_DIAG_MSG_MAX + 64];
	augur_diag_format(diag, line, sizeof(line));
	fprintf(stderr, "%s\n", line);
	return CLI_FAIL;
}

int cli_trouble(const struct augur_diag *diag)
{
	cli_report(diag);
	return CLI_USAGE;
}

int cli_help(const char *cmd)
{
	const struct augur_command *c = augur_command_find(cmd);
	if (!c)
		return CLI_USAGE;
	printf("usage: %s\n\n%s\n", c->usage, c->help);
	if (c->details && *c->details)
		printf("\n%s", c->details);
	if (c->spec) {
		printf("\n");
		cli_print_options(c->spec);
	}
	if (c->notes && *c->notes)
		printf("\n%s", c->notes);
	return CLI_OK;
}

int cli_budget_add(const char *cmd, const char *option, const char *value, void *budgets)
{
	struct cli_budgets *bs = budgets;
	struct augur_diag diag = {0};
	if (bs->n == CLI_MAX_BUDGETS) {
		cli_usage_error(cmd, "at most %d --%s", CLI_MAX_BUDGETS, option);
		return -1;
	}
	if (augur_budget_parse(value, &bs->b[bs->n], &diag)) {
		cli_usage_error(cmd, "%s: %s", diag.path, diag.message);
		return -1;
	}
	bs->n++;
	return 0;
}

int cli_parse_format(const char *cmd, const char *value, enum cli_format *out)
{
	static const char *const names[] = {"table", "json", "csv"};
	for (int i = 0; i < 3; i++)
		if (!strcmp(value, names[i])) {
			*out = (enum cli_format)i;
			return 0;
		}
	const char *near = augur_nearest(value, names, 3);
	if (near)
		cli_usage_error(cmd,
		                "unknown format '%s' (did you mean '%s'? expected table, "
		                "json or csv)",
		                value, near);
	else
		cli_usage_error(cmd, "unknown format '%s' (expected table, json or csv)", value);
	return -1;
}

int cli_parse_unit(const char *cmd, const char *value, const char **out)
{
	if (strcmp(value, "cpu") && strcmp(value, "gpu") && strcmp(value, "all")) {
		cli_usage_error(cmd, "unknown unit '%s' (expected cpu, gpu or all)", value);
		return -1;
	}
	*out = value;
	return 0;
}

int cli_parse_uint(const char *cmd, const char *option, const char *value, uint64_t min,
                   uint64_t max, uint64_t *out)
{
	enum augur_num_error e = augur_parse_u64(value, min, max, out);
	if (e == AUGUR_NUM_OK)
		return 0;
	cli_usage_error(cmd, "%s expects an integer from %llu to %llu, got '%s'", option,
	                (unsigned long long)min, (unsigned long long)max, value);
	return -1;
}

/* --input, taken out of argv before the command parses its options */
static struct augur_shape input_size;
static bool input_given;

static int parse_input(const char *cmd, const char *value)
{
	uint64_t v[3];
	const char *p = value;
	for (int i = 0; i < 3; i++) {
		char part[32];
		size_t n = strcspn(p, ",");
		if (n >= sizeof(part) || (i < 2 && p[n] != ',') || (i == 2 && p[n]))
			goto bad;
		memcpy(part, p, n);
		part[n] = '\0';
		if (augur_parse_u64(part, 1, AUGUR_MAX_DIM, &v[i]) != AUGUR_NUM_OK)
			goto bad;
		p += n + (i < 2);
	}
	input_size = (struct augur_shape){v[0], v[1], v[2], 3};
	input_given = true;
	return 0;
bad:
	return cli_usage_error(cmd, "--input expects C,H,W (three integers from 1 to %u), got '%s'",
	                       AUGUR_MAX_DIM, value);
}

int cli_take_input(const char *cmd, int *argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		const char *value = NULL;
		if (!strcmp(argv[i], "--input")) {
			if (i + 1 >= *argc)
				return cli_usage_error(cmd, "option '--input' needs a value");
			value = argv[++i];
		} else if (!strncmp(argv[i], "--input=", 8)) {
			value = argv[i] + 8;
		}
		if (!value)
			argv[out++] = argv[i];
		else if (parse_input(cmd, value))
			return CLI_USAGE;
	}
	argv[out] = NULL;
	*argc = out;
	return 0;
}

int cli_net_load(const char *path, struct augur_net **out, enum augur_net_format *format,
                 struct augur_diag *diag)
{
	return augur_net_load_input(path, input_given ? &input_size : NULL, out, format, diag);
}

static void scaled(char *buf, size_t size, double v, double base, const char *const *units)
{
	int u = 0;
	while (v >= base * 0.9995 && units[u + 1]) {
		v /= base;
		u++;
	}
	if (u == 0)
		snprintf(buf, size, "%.0f%s", v, units[0]);
	else if (v < 9.995)
		snprintf(buf, size, "%.2f%s", v, units[u]);
	else if (v < 99.95)
		snprintf(buf, size, "%.1f%s", v, units[u]);
	else
		snprintf(buf, size, "%.0f%s", v, units[u]);
}

void cli_count(char *buf, size_t size, uint64_t v)
{
	static const char *const units[] = {"", "K", "M", "G", "T", "P", "E", NULL};
	scaled(buf, size, (double)v, 1000.0, units);
}

void cli_bytes(char *buf, size_t size, uint64_t v)
{
	static const char *const units[] = {" B",   " KiB", " MiB", " GiB",
	                                    " TiB", " PiB", " EiB", NULL};
	scaled(buf, size, (double)v, 1024.0, units);
}

void cli_thousands(char *buf, size_t size, uint64_t v)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
	size_t o = 0;
	for (int i = 0; i < n && o + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

int cli_chars(const char *text)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		n += (*p & 0xc0) != 0x80;
	return n;
}

void cli_wrapf(FILE *f, int indent, const char *fmt, ...)
{
	char text[4096];
	va_list ap;
	va_start(ap, fmt);
	/* the analyzer's false report, as in say */
	vsnprintf(text, sizeof(text), fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	va_end(ap);
	cli_wrap(f, indent, text);
}

void cli_wrap(FILE *f, int indent, const char *text)
{
	cli_wrap_at(f, cli_width(), indent, text);
}

void cli_wrap_at(FILE *f, int width, int indent, const char *text)
{
	int col = 0;
	const char *p = text;
	while (*p) {
		/* a run of spaces, then a word: the spaces are kept unless the word wraps */
		size_t spaces = strspn(p, " ");
		size_t word = strcspn(p + spaces, " ");
		char piece[512];
		snprintf(piece, sizeof(piece), "%.*s", (int)word, p + spaces);
		int len = cli_chars(piece);
		if (col > indent && col + (int)spaces + len > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else {
			fprintf(f, "%*s", (int)spaces, "");
			col += (int)spaces;
		}
		fputs(piece, f);
		col += len;
		p += spaces + word;
	}
	fputc('\n', f);
}

void cli_shape(char *buf, size_t size, const struct augur_shape *s)
{
	if (s->rank == 1)
		snprintf(buf, size, "%llu", (unsigned long long)s->c);
	else
		snprintf(buf, size, "%llux%llux%llu", (unsigned long long)s->c,
		         (unsigned long long)s->h, (unsigned long long)s->w);
}

double cli_mib(uint64_t bytes)
{
	return (double)bytes / (1024.0 * 1024.0);
}

void cli_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void cli_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void cli_ms(char *buf, size_t size, double ms)
{
	if (ms == 0)
		snprintf(buf, size, "0");
	else if (fabs(ms) >= 9.995) /* from here %#.3g would print one decimal or none */
		snprintf(buf, size, "%.1f", ms);
	else
		snprintf(buf, size, "%#.3g", ms);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool cli_pass_scale(const struct augur_pass_scale *s, char *buf, size_t size)
{
	buf[0] = 0;
	if (!s->networks)
		return false;
	snprintf(buf, size,
	         "x %.3f for a pass of up to %.0f MiB, x %.3f from %.0f MiB (fitted on %u "
	         "networks' forward times)",
	         exp(s->intercept), s->knee_bytes / 1048576.0,
	         exp(s->intercept + s->slope * log(s->top_bytes / s->knee_bytes)),
	         s->top_bytes / 1048576.0, s->networks);
	return true;
}

bool cli_cost_check(const struct augur_cost_check *k, char *buf, size_t size)
{
	if (size)
		*buf = '\0';
	if (!size || (!k->networks && !k->crossval_networks))
		return false;
	struct augur_strbuf b = {0};
	if (k->networks) {
		augur_strbuf_put(
		        &b, "%u of %u networks it was not fitted on within 10%% when calibrated",
		        k->within_10, k->networks);
		if (!isnan(k->median_error) && !isnan(k->layer_median_error))
			augur_strbuf_put(&b, " (median error %.1f%%, per layer %.1f%%)",
			                 100 * k->median_error, 100 * k->layer_median_error);
		else if (!isnan(k->median_error))
			augur_strbuf_put(&b, " (median error %.1f%%)", 100 * k->median_error);
	}
	if (k->crossval_networks)
		augur_strbuf_put(&b, "%sits %u fit networks cross-validated: %u within 10%%",
		                 k->networks ? "; " : "", k->crossval_networks,
		                 k->crossval_within_10);
	snprintf(buf, size, "%s", b.failed || !b.data ? "" : b.data);
	augur_strbuf_clear(&b);
	return true;
}

void cli_json_cost_check(struct jsonw *w, const struct augur_layer_costs *costs)
{
	const struct augur_cost_check *k = costs ? &costs->checked : NULL;
	if (!k || (!k->networks && !k->crossval_networks)) {
		jw_null(w, "checked");
		return;
	}
	jw_object(w, "checked", true);
	jw_uint(w, "networks", k->networks);
	jw_uint(w, "within_10", k->within_10);
	jw_double(w, "median_error", k->median_error);
	jw_double(w, "layer_median_error", k->layer_median_error);
	jw_uint(w, "crossval_networks", k->crossval_networks);
	jw_uint(w, "crossval_within_10", k->crossval_within_10);
	jw_double(w, "crossval_median_error", k->crossval_median_error);
	jw_end(w);
}

void cli_uncosted_types(const struct augur_unit_estimate *e, char *buf, size_t size)
{
	const char *names[AUGUR_LAYER_TYPE_COUNT] = {0};
	size_t n = 0;
	for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++)
		if (e->types_uncosted & (1u << t))
			names[n++] = augur_layer_type_name(t);
	qsort(names, n, sizeof(names[0]), by_name);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (buf[0])
			strncat(buf, ", ", size - strlen(buf) - 1);
		strncat(buf, names[i], size - strlen(buf) - 1);
	}
}

void cli_print_memory_high(FILE *f, const struct augur_unit_estimate *e)
{
	/* the number is one process's history; another may settle higher */
	if (!e->memory_hole_bytes)
		return;
	bool high_fits = !e->capacity_bytes || e->memory_high_bytes <= e->capacity_bytes;
	cli_wrapf(f, 2,
	          "%s: a process's peak may settle up to %.1f MiB higher, at %.1f MiB%s: glibc's "
	          "heap may leave a convolution's freed buffer's hole unused and take fresh pages "
	          "for the next pass's (docs/model.md, \"Peak memory\")",
	          augur_unit_kind_name(e->unit->kind), cli_mib(e->memory_hole_bytes),
	          cli_mib(e->memory_high_bytes),
	          e->fits && !high_fits ? ", which does NOT fit" : "");
}

void cli_print_uncosted(FILE *f, const char *prefix, const struct augur_unit_estimate *e)
{
	if (!e->layers_uncosted)
		return;
	char types[256], line[512];
	cli_uncosted_types(e, types, sizeof(types));
	snprintf(line, sizeof(line), "%s%s: %s; %u layer%s not costed: %s", prefix,
	         augur_unit_kind_name(e->unit->kind),
	         e->unit->costs ? "time is the sum of the layer costs the profile has"
	                        : "GEMM time of conv and fc only (the paper's method)",
	         e->layers_uncosted, e->layers_uncosted == 1 ? " is" : "s are", types);
	cli_wrap(f, (int)strlen(prefix) + 2, line);
}

int cli_width(void)
{
	const char *c = getenv("COLUMNS");
	long w = c ? strtol(c, NULL, 10) : 0;
	return w >= 40 && w <= 1000 ? (int)w : 80;
}

void cli_cut(char *buf, size_t size, const char *text, int width)
{
	size_t o = 0;
	int chars = 0;
	const unsigned char *p = (const unsigned char *)text;
	/* the characters of text, counting a UTF-8 sequence as one */
	int total = 0;
	for (const unsigned char *q = p; *q; q++)
		total += (*q & 0xc0) != 0x80;
	int keep = total <= width ? total : width - 1;
	while (*p && o + 4 < size) {
		if ((*p & 0xc0) != 0x80 && chars++ == keep)
			break;
		buf[o++] = (char)*p++;
	}
	if (total > width && o + 4 <= size) {
		memcpy(buf + o, "\xe2\x80\xa6", 3); /* … */
		o += 3;
	}
	buf[o] = '\0';
}

void cli_print_extrapolated(FILE *f, const char *prefix, const struct augur_unit_estimate *e)
{
	const char *unit = augur_unit_kind_name(e->unit->kind);
	int indent = (int)strlen(prefix) + 2;
	char line[512];
	if (e->gemms_outside_range) {
		snprintf(line, sizeof(line),
		         "%s%s: %u layer%s GEMMs lie outside the calibrated range: their times are "
		         "extrapolated (see --layers)",
		         prefix, unit, e->gemms_outside_range,
		         e->gemms_outside_range == 1 ? "'s" : "s'");
		cli_wrap(f, indent, line);
	}
	if (e->layers_outside_costs) {
		snprintf(line, sizeof(line),
		         "%s%s: %u layer%s outside the data their cost model was fitted on "
		         "(marked '+' in --layers)",
		         prefix, unit, e->layers_outside_costs,
		         e->layers_outside_costs == 1 ? " lies" : "s lie");
		cli_wrap(f, indent, line);
	}
	if (e->layers_outside_calls) {
		snprintf(line, sizeof(line),
		         "%s%s: EXTRAPOLATED: %u layer%s up to %llu GEMM calls, %.0fx the most a "
		         "layer of the fitted data made (%llu); the model charges %s",
		         prefix, unit, e->layers_outside_calls,
		         e->layers_outside_calls == 1 ? " makes" : "s make",
		         (unsigned long long)e->calls_max,
		         (double)e->calls_max / (double)e->unit->calls_fitted_max,
		         (unsigned long long)e->unit->calls_fitted_max,
		         e->unit->gemm.one_per_layer
		                 ? "its constant once per layer and its size terms per call"
		                 : "its per-call constant to each");
		cli_wrap(f, indent, line);
	}
	if (e->layers_faults_unsure) {
		char ms[32];
		cli_ms(ms, sizeof(ms), e->faults_unsure_ms);
		snprintf(line, sizeof(line),
		         "%s%s: %s ms of the time is page faults that may not happen: %u layer%s "
		         "buffers just above the allocator's mmap threshold, which glibc maps "
		         "afresh on every pass unless its heap's free top holds them (marked '~' "
		         "in --layers)",
		         prefix, unit, ms, e->layers_faults_unsure,
		         e->layers_faults_unsure == 1 ? "'s" : "s'");
		cli_wrap(f, indent, line);
	}
}

char *cli_layer_marks(char *buf, const struct augur_layer_estimate *le)
{
	snprintf(buf, 4, "%s%s%s", le->outside_range ? "*" : "", le->outside_costs ? "+" : "",
	         le->faults_unsure_ms > 0 ? "~" : "");
	return buf;
}

void cli_cell(char *buf, size_t size, const char *fmt, double v)
{
	if (fmt)
		snprintf(buf, size, fmt, v);
	else
		cli_ms(buf, size, v);
}

void cli_json_framework(struct jsonw *w, const struct augur_framework *fw)
{
	char text[512];
	if (!augur_framework_describe(fw, text, sizeof(text))) {
		jw_null(w, "framework");
		return;
	}
	jw_object(w, "framework", true);
	jw_string(w, "name", fw->name);
	jw_string(w, "version", fw->version);
	jw_string(w, "library", fw->library);
	if (fw->mkldnn < 0)
		jw_null(w, "mkldnn");
	else
		jw_bool(w, "mkldnn", fw->mkldnn);
	if (fw->threads)
		jw_uint(w, "threads", fw->threads);
	else
		jw_null(w, "threads");
	jw_string(w, "memory_view", augur_memory_view_name(augur_framework_memory_view(fw)));
	jw_string(w, "conv_groups", augur_conv_groups_name(augur_framework_conv_groups(fw)));
	jw_bool(w, "cache_terms", augur_framework_cache_terms(fw));
	jw_bool(w, "pass_cliff", augur_framework_pass_cliff(fw));
	jw_bool(w, "conv_im2col", !augur_framework_conv_direct(fw));
	jw_uint(w, "conv_block", augur_framework_conv_block(fw));
	jw_double(w, "conv_cache_share", fw->conv_cache_share);
	jw_uint(w, "lrn_temporaries", fw->lrn_temporaries);
	jw_uint(w, "alloc_slack_bytes", fw->alloc_slack_bytes);
	jw_bool(w, "weights_staged", fw->weights_staged > 0);
	jw_bool(w, "affine_in_place", fw->affine_in_place >= 0);
	jw_uint(w, "direct_conv_min_input_values", fw->direct_conv_min_input_values);
	jw_uint(w, "direct_conv_1x1_min_batch", fw->direct_conv_1x1_min_batch);
	jw_string(w, "text", text);
	jw_end(w);
}
