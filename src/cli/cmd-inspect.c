/* augur inspect: the descriptor -> net -> analysis pipeline, printed per layer, per layer
 * type and for the network, with the three memory views. Field names of the json and csv
 * forms are a contract documented in docs/output.md. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "cli.h"
#include "options.h"
#include "netfile.h"

static void gemm_text(char *buf, size_t size, const struct augur_gemm *g)
{
	if (!g->count)
		snprintf(buf, size, "-");
	else if (g->count == 1)
		snprintf(buf, size, "%llux%llux%llu", (unsigned long long)g->n,
		         (unsigned long long)g->k, (unsigned long long)g->m);
	else
		snprintf(buf, size, "%llux%llux%llu*%llu", (unsigned long long)g->n,
		         (unsigned long long)g->k, (unsigned long long)g->m,
		         (unsigned long long)g->count);
}

enum {
	COL_NAME,
	COL_TYPE,
	COL_IN,
	COL_OUT,
	COL_PARAMS,
	COL_MACS,
	COL_GEMM,
	COL_BYTES,
	COL_WS,
	COL_COUNT
};

static void layer_cells(const struct augur_net *net, const struct augur_analysis *a, size_t i,
                        char cells[COL_COUNT][64])
{
	const struct augur_layer_stats *s = &a->layers[i];
	snprintf(cells[COL_NAME], 64, "%s", net->layers[i].name);
	snprintf(cells[COL_TYPE], 64, "%s", augur_layer_type_name(net->layers[i].type));
	cli_shape(cells[COL_IN], 64, &s->in);
	cli_shape(cells[COL_OUT], 64, &s->out);
	cli_count(cells[COL_PARAMS], 64, s->params);
	cli_count(cells[COL_MACS], 64, s->macs);
	gemm_text(cells[COL_GEMM], 64, &s->gemm);
	cli_bytes(cells[COL_BYTES], 64, s->in_place ? 0 : s->out_bytes);
	if (s->in_place)
		snprintf(cells[COL_BYTES], 64, "in-place");
	cli_bytes(cells[COL_WS], 64, s->workspace_bytes);
	if (!s->workspace_bytes)
		snprintf(cells[COL_WS], 64, "-");
}

/* Prints one cell padded to width (UTF-8 aware), left- or right-aligned, then sep. */
static void cell(const char *text, int width, bool left, const char *sep)
{
	int pad = width - cli_chars(text);
	if (pad < 0)
		pad = 0;
	if (left)
		printf("%s%*s%s", text, pad, "", sep);
	else
		printf("%*s%s%s", pad, "", text, sep);
}

static bool left_aligned(int c)
{
	return c == COL_NAME || c == COL_TYPE || c == COL_GEMM;
}

/* The per-layer table within the terminal's width (cli_width): columns sized to their
 * content; when that is too wide, the input shape goes first (it is the previous layer's
 * output), then the im2col column (both are in --format csv), then names are cut with
 * an ellipsis down to 12 characters. */
static void print_layers(const struct augur_net *net, const struct augur_analysis *a)
{
	int width[COL_COUNT];
	bool shown[COL_COUNT];
	char cells[COL_COUNT][64];
	static const char *const head[COL_COUNT] = {"layer", "type", "input",  "output", "params",
	                                            "MACs",  "GEMM", "output", "im2col"};
	for (int c = 0; c < COL_COUNT; c++) {
		width[c] = (int)strlen(head[c]);
		shown[c] = true;
	}
	for (size_t i = 0; i < a->n_layers; i++) {
		layer_cells(net, a, i, cells);
		for (int c = 0; c < COL_COUNT; c++)
			if (cli_chars(cells[c]) > width[c])
				width[c] = cli_chars(cells[c]);
	}
	static const int drop_order[] = {COL_IN, COL_WS};
	int limit = cli_width(), total = 0;
	for (int c = 0; c < COL_COUNT; c++)
		total += width[c] + (c ? 1 : 0);
	for (size_t d = 0; d < 2 && total > limit; d++) {
		shown[drop_order[d]] = false;
		total -= width[drop_order[d]] + 1;
	}
	if (total > limit) {
		int name = width[COL_NAME] - (total - limit);
		width[COL_NAME] = name > 12 ? name : 12;
	}
	int last = COL_COUNT - 1;
	while (!shown[last])
		last--;
	for (int c = 0; c < COL_COUNT; c++)
		if (shown[c])
			cell(head[c], width[c], left_aligned(c), c == last ? "\n" : " ");
	for (size_t i = 0; i < a->n_layers; i++) {
		layer_cells(net, a, i, cells);
		char cut[64];
		cli_cut(cut, sizeof(cut), cells[COL_NAME], width[COL_NAME]);
		memcpy(cells[COL_NAME], cut, sizeof(cut));
		for (int c = 0; c < COL_COUNT; c++)
			if (shown[c])
				cell(cells[c], width[c], left_aligned(c), c == last ? "\n" : " ");
	}
	if (!shown[COL_IN] || !shown[COL_WS]) {
		char note[256];
		snprintf(note, sizeof(note),
		         "(%s left out to fit %d columns: $COLUMNS widens the table; --format csv "
		         "has every field)",
		         !shown[COL_WS] ? "the input and im2col columns are"
		                        : "the input column is",
		         limit);
		cli_wrap(stdout, 1, note);
	}
}

static void print_table(const struct augur_net *net, const struct augur_analysis *a)
{
	char in[64];
	cli_shape(in, sizeof(in), &a->input);
	printf("network %s: input %s, batch %u, %zu layer%s\n", net->name, in, a->batch,
	       a->n_layers, a->n_layers == 1 ? "" : "s");
	if (net->other_inputs)
		cli_wrapf(stdout, 2, "other inputs (not modelled): %s", net->other_inputs);
	printf("\n");
	print_layers(net, a);
	printf("\nGEMM: n x k x m (the paper's notation), *calls when run per image or group.\n");

	/* the type column fits its longest name present ("hardsigmoid"), 10 at least */
	int tw = 10;
	for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++)
		if (a->by_type[t].layers && (int)strlen(augur_layer_type_name(t)) > tw)
			tw = (int)strlen(augur_layer_type_name(t));
	printf("\n%-*s %6s %9s %9s %9s %8s %9s\n", tw, "type", "layers", "params", "MACs", "FLOPs",
	       "GEMMs", "output");
	for (int t = 0; t <= AUGUR_LAYER_TYPE_COUNT; t++) {
		const struct augur_totals *tt =
		        t < AUGUR_LAYER_TYPE_COUNT ? &a->by_type[t] : &a->total;
		if (!tt->layers)
			continue;
		char p[32], m[32], f[32], o[32];
		cli_count(p, sizeof(p), tt->params);
		cli_count(m, sizeof(m), tt->macs);
		cli_count(f, sizeof(f), tt->flops);
		cli_bytes(o, sizeof(o), tt->out_bytes);
		printf("%-*s %6u %9s %9s %9s %8llu %9s\n", tw,
		       t < AUGUR_LAYER_TYPE_COUNT ? augur_layer_type_name(t) : "total", tt->layers,
		       p, m, f, (unsigned long long)tt->gemm_calls, o);
	}
	char params[32], stats[32], macs[32], flops[32];
	cli_thousands(params, sizeof(params), a->total.params);
	cli_thousands(stats, sizeof(stats), a->total.stats);
	cli_thousands(macs, sizeof(macs), a->total.macs);
	cli_thousands(flops, sizeof(flops), a->total.flops);
	printf("\n");
	cli_wrapf(stdout, 2, "parameters %s (learned) + %s batchnorm statistics; MACs %s", params,
	          stats, macs);
	cli_wrapf(stdout, 2, "FLOPs %s (the paper's convention: conv and fc count k+1 per output)",
	          flops);

	const struct augur_memory *m = &a->memory;
	printf("\nmemory: MiB = 2^20 bytes, float32, batch %u\n", a->batch);
	printf("%-39s%9s %9s  %9s  %9s\n", "", "weights", "data", "workspace", "total");
	printf("%-39s%9.2f %9.2f  %9.2f\n", "  paper view (the paper's Table 4)",
	       cli_mib(m->paper_weights), cli_mib(m->paper_data), cli_mib(m->paper_workspace));
	printf("%-39s%9.2f %9.2f  %9.2f  %9.2f\n", "  allocated view (an im2col framework)",
	       cli_mib(m->alloc_params + m->alloc_stats), cli_mib(m->alloc_data),
	       cli_mib(m->alloc_workspace), cli_mib(m->alloc_total));
	printf("%-39s%9.2f %9.2f  %9.2f  %9.2f\n", "  minimal view (peak over the layers)",
	       cli_mib(m->min_weights), cli_mib(m->min_data_peak), cli_mib(m->min_workspace),
	       cli_mib(m->min_total));
	printf("  the minimal view peaks while '%s' runs\n",
	       a->n_layers ? net->layers[m->min_peak_layer].name : "-");
}

static void json_shape(const struct augur_shape *s)
{
	if (s->rank == 1)
		printf("[%llu]", (unsigned long long)s->c);
	else
		printf("[%llu, %llu, %llu]", (unsigned long long)s->c, (unsigned long long)s->h,
		       (unsigned long long)s->w);
}

static void json_totals(const struct augur_totals *t)
{
	printf("{\"layers\": %u, \"params\": %llu, \"stats\": %llu, \"macs\": %llu, "
	       "\"flops\": %llu, \"gemm_calls\": %llu, \"output_bytes\": %llu}",
	       t->layers, (unsigned long long)t->params, (unsigned long long)t->stats,
	       (unsigned long long)t->macs, (unsigned long long)t->flops,
	       (unsigned long long)t->gemm_calls, (unsigned long long)t->out_bytes);
}

static const char *input_name(const struct augur_net *net, int32_t idx)
{
	return idx == AUGUR_NET_INPUT ? "input" : net->layers[idx].name;
}

/* A double in the shortest form that reads back exactly (0.1, not 0.10000000000000001). */
static void json_double(double v)
{
	char buf[32];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	printf("%s", buf);
}

static void json_hw(const char *key, struct augur_hw hw)
{
	printf("\"%s\": [%u, %u]", key, hw.h, hw.w);
}

/* The parameters a layer's type uses, enough to rebuild it in another framework
 * (bench/validate does). Defaults are filled in; a global pool reports the window it
 * effectively uses: the whole input, stride 1, no padding. */
static void json_attrs(const struct augur_layer *l, const struct augur_layer_stats *s)
{
	static const char *const pool_ops[] = {[AUGUR_POOL_MAX] = "max", [AUGUR_POOL_AVG] = "avg"};
	static const char *const eltwise_ops[] = {[AUGUR_ELTWISE_SUM] = "sum",
	                                          [AUGUR_ELTWISE_PROD] = "prod",
	                                          [AUGUR_ELTWISE_MAX] = "max"};
	printf("\"attrs\": {");
	switch (l->type) {
	case AUGUR_LAYER_CONV:
		printf("\"filters\": %u, ", l->filters);
		json_hw("kernel", l->kernel);
		printf(", ");
		json_hw("stride", l->stride);
		printf(", ");
		json_hw("pad", l->pad);
		printf(", ");
		json_hw("dilation", l->dilation);
		printf(", \"groups\": %u, \"bias\": %s", l->groups, l->bias ? "true" : "false");
		break;
	case AUGUR_LAYER_FC:
		printf("\"outputs\": %u, \"bias\": %s", l->outputs, l->bias ? "true" : "false");
		break;
	case AUGUR_LAYER_POOL: {
		struct augur_hw kernel = l->kernel, stride = l->stride, pad = l->pad;
		if (l->global) {
			kernel = (struct augur_hw){(uint32_t)s->in.h, (uint32_t)s->in.w};
			stride = (struct augur_hw){1, 1};
			pad = (struct augur_hw){0, 0};
		}
		printf("\"op\": \"%s\", ", pool_ops[l->op == AUGUR_POOL_AVG]);
		json_hw("kernel", kernel);
		printf(", ");
		json_hw("stride", stride);
		printf(", ");
		json_hw("pad", pad);
		printf(", \"global\": %s, \"ceil\": %s", l->global ? "true" : "false",
		       l->ceil ? "true" : "false");
		break;
	}
	case AUGUR_LAYER_RELU:
		printf("\"negative_slope\": ");
		json_double(l->negative_slope);
		printf(", \"max\": ");
		if (l->max > 0)
			json_double(l->max);
		else
			printf("null");
		break;
	case AUGUR_LAYER_LRN:
		printf("\"size\": %u", l->size);
		break;
	case AUGUR_LAYER_ELTWISE:
		printf("\"op\": \"%s\"",
		       eltwise_ops[l->op >= 0 && l->op <= AUGUR_ELTWISE_MAX ? l->op
		                                                            : AUGUR_ELTWISE_SUM]);
		break;
	case AUGUR_LAYER_CONCAT:
		printf("\"axis\": \"channels\"");
		break;
	case AUGUR_LAYER_SCALE:
		printf("\"bias\": %s", l->bias ? "true" : "false");
		break;
	default: /* sigmoid, tanh, softmax, dropout, flatten, batchnorm: no parameters */
		break;
	}
	printf("}, ");
}

static void print_json(const struct augur_net *net, const struct augur_analysis *a)
{
	cli_json_open(net);
	printf(",\n  \"batch\": %u,\n  \"bytes_per_value\": %u,\n  \"input\": {\"shape\": ",
	       a->batch, AUGUR_BYTES_PER_VALUE);
	json_shape(&a->input);
	printf(", \"bytes\": %llu, \"readers\": %u},\n", (unsigned long long)a->input_bytes,
	       a->input_readers);
	if (net->other_inputs) {
		printf("  \"other_inputs\": ");
		cli_json_string(stdout, net->other_inputs);
		printf(",\n");
	}
	printf("  \"layers\": [\n");
	for (size_t i = 0; i < a->n_layers; i++) {
		const struct augur_layer *l = &net->layers[i];
		const struct augur_layer_stats *s = &a->layers[i];
		printf("    {\"index\": %zu, \"name\": ", i);
		cli_json_string(stdout, l->name);
		printf(", \"type\": \"%s\", \"inputs\": [", augur_layer_type_name(l->type));
		for (uint32_t j = 0; j < l->n_inputs; j++) {
			cli_json_string(stdout, input_name(net, l->inputs[j]));
			printf(j + 1 < l->n_inputs ? ", " : "");
		}
		printf("], \"input_shape\": ");
		json_shape(&s->in);
		printf(", \"output_shape\": ");
		json_shape(&s->out);
		printf(", ");
		json_attrs(l, s);
		printf("\"params\": %llu, \"stats\": %llu, \"macs\": %llu, \"flops\": %llu, ",
		       (unsigned long long)s->params, (unsigned long long)s->stats,
		       (unsigned long long)s->macs, (unsigned long long)s->flops);
		if (s->gemm.count)
			printf("\"gemm\": {\"n\": %llu, \"k\": %llu, \"m\": %llu, \"count\": "
			       "%llu}, ",
			       (unsigned long long)s->gemm.n, (unsigned long long)s->gemm.k,
			       (unsigned long long)s->gemm.m, (unsigned long long)s->gemm.count);
		else
			printf("\"gemm\": null, ");
		printf("\"output_bytes\": %llu, \"workspace_bytes\": %llu, "
		       "\"workspace_paper_bytes\": %llu, \"readers\": %u, \"in_place\": %s, "
		       "\"live_bytes\": %llu}%s\n",
		       (unsigned long long)s->out_bytes, (unsigned long long)s->workspace_bytes,
		       (unsigned long long)s->workspace_paper_bytes, s->readers,
		       s->in_place ? "true" : "false", (unsigned long long)s->live_bytes,
		       i + 1 < a->n_layers ? "," : "");
	}
	printf("  ],\n  \"by_type\": {");
	bool first = true;
	for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++) {
		if (!a->by_type[t].layers)
			continue;
		printf("%s\n    \"%s\": ", first ? "" : ",", augur_layer_type_name(t));
		json_totals(&a->by_type[t]);
		first = false;
	}
	printf("\n  },\n  \"totals\": ");
	json_totals(&a->total);
	const struct augur_memory *m = &a->memory;
	printf(",\n  \"memory\": {\n"
	       "    \"paper\": {\"weights_bytes\": %llu, \"data_bytes\": %llu, "
	       "\"workspace_bytes\": %llu},\n"
	       "    \"allocated\": {\"params_bytes\": %llu, \"stats_bytes\": %llu, "
	       "\"data_bytes\": %llu, \"workspace_bytes\": %llu, \"total_bytes\": %llu},\n"
	       "    \"minimal\": {\"weights_bytes\": %llu, \"workspace_bytes\": %llu, "
	       "\"data_peak_bytes\": %llu, \"total_bytes\": %llu, \"peak_layer\": ",
	       (unsigned long long)m->paper_weights, (unsigned long long)m->paper_data,
	       (unsigned long long)m->paper_workspace, (unsigned long long)m->alloc_params,
	       (unsigned long long)m->alloc_stats, (unsigned long long)m->alloc_data,
	       (unsigned long long)m->alloc_workspace, (unsigned long long)m->alloc_total,
	       (unsigned long long)m->min_weights, (unsigned long long)m->min_workspace,
	       (unsigned long long)m->min_data_peak, (unsigned long long)m->min_total);
	cli_json_string(stdout, a->n_layers ? net->layers[m->min_peak_layer].name : "");
	printf("}\n  }\n}\n");
}

static void print_csv(const struct augur_net *net, const struct augur_analysis *a)
{
	printf("index,name,type,inputs,in_c,in_h,in_w,out_c,out_h,out_w,params,stats,macs,flops,"
	       "gemm_n,gemm_k,gemm_m,gemm_count,output_bytes,workspace_bytes,"
	       "workspace_paper_bytes,readers,in_place,live_bytes\n");
	for (size_t i = 0; i < a->n_layers; i++) {
		const struct augur_layer *l = &net->layers[i];
		const struct augur_layer_stats *s = &a->layers[i];
		printf("%zu,", i);
		cli_csv_field(stdout, l->name);
		printf(",%s,", augur_layer_type_name(l->type));
		/* inputs joined by ';' in one field */
		size_t len = 0;
		for (uint32_t j = 0; j < l->n_inputs; j++)
			len += strlen(input_name(net, l->inputs[j])) + 1;
		char *joined = malloc(len + 1);
		if (joined) {
			size_t at = 0;
			for (uint32_t j = 0; j < l->n_inputs; j++) {
				const char *name = input_name(net, l->inputs[j]);
				size_t n = strlen(name);
				if (j)
					joined[at++] = ';';
				memcpy(joined + at, name, n);
				at += n;
			}
			joined[at] = '\0';
			cli_csv_field(stdout, joined);
			free(joined);
		}
		printf(",%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,"
		       "%llu,%llu,%llu,%u,%d,%llu\n",
		       (unsigned long long)s->in.c, (unsigned long long)s->in.h,
		       (unsigned long long)s->in.w, (unsigned long long)s->out.c,
		       (unsigned long long)s->out.h, (unsigned long long)s->out.w,
		       (unsigned long long)s->params, (unsigned long long)s->stats,
		       (unsigned long long)s->macs, (unsigned long long)s->flops,
		       (unsigned long long)s->gemm.n, (unsigned long long)s->gemm.k,
		       (unsigned long long)s->gemm.m, (unsigned long long)s->gemm.count,
		       (unsigned long long)s->out_bytes, (unsigned long long)s->workspace_bytes,
		       (unsigned long long)s->workspace_paper_bytes, s->readers, s->in_place,
		       (unsigned long long)s->live_bytes);
	}
}

struct inspect_args {
	enum cli_format format;
	uint64_t batch;
};

static const struct cli_opt inspect_opts[] = {
        CLI_FORMAT(struct inspect_args, format,
                   "table (default, for people), json (everything, for scripts)\n"
                   "or csv (one row per layer); field names in docs/output.md"),
        CLI_UINT("batch", struct inspect_args, batch, 1, AUGUR_MAX_BATCH, "N",
                 "images per forward pass (default: the descriptor's batch, or 1)"),
        CLI_END,
};

const struct cli_spec cmd_inspect_spec = {"inspect", inspect_opts, 1, 1, "a descriptor", true};

int cmd_inspect(int argc, char **argv)
{
	struct inspect_args o = {.format = CLI_TABLE};
	char **args;
	int n_args;
	if (cli_parse(&cmd_inspect_spec, argc, argv, &o, &args, &n_args))
		return CLI_USAGE;
	struct augur_diag diag = {0};
	struct augur_net *net = NULL;
	struct augur_analysis *a = NULL;
	int rc = CLI_OK;
	if (cli_net_load(args[0], &net, NULL, &diag) ||
	    augur_analyze(net, (uint32_t)o.batch, &a, &diag)) {
		rc = cli_report(&diag);
		goto out;
	}
	if (o.format == CLI_JSON)
		print_json(net, a);
	else if (o.format == CLI_CSV)
		print_csv(net, a);
	else
		print_table(net, a);
out:
	augur_analysis_free(a);
	augur_net_free(net);
	return rc;
}
