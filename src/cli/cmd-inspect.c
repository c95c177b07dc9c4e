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
#include "table.h"

static void json_shape(FILE *f, const struct augur_shape *s)
{
	if (s->rank == 1)
		fprintf(f, "[%llu]", (unsigned long long)s->c);
	else
		fprintf(f, "[%llu, %llu, %llu]", (unsigned long long)s->c, (unsigned long long)s->h,
		        (unsigned long long)s->w);
}

static const char *input_name(const struct augur_net *net, int32_t idx)
{
	return idx == AUGUR_NET_INPUT ? "input" : net->layers[idx].name;
}

/* A double in the shortest form that reads back exactly (0.1, not 0.10000000000000001). */
static void json_double(FILE *f, double v)
{
	char buf[32];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, f);
}

static void json_hw(FILE *f, const char *key, struct augur_hw hw, const char *after)
{
	fprintf(f, "\"%s\": [%u, %u]%s", key, hw.h, hw.w, after);
}

/* The parameters a layer's type uses, enough to rebuild it in another framework
 * (bench/validate does). Defaults are filled in; a global pool reports the window it
 * effectively uses: the whole input, stride 1, no padding. */
static void json_attrs(FILE *f, const struct augur_layer *l, const struct augur_layer_stats *s)
{
	static const char *const pool_ops[] = {[AUGUR_POOL_MAX] = "max", [AUGUR_POOL_AVG] = "avg"};
	static const char *const eltwise_ops[] = {[AUGUR_ELTWISE_SUM] = "sum",
	                                          [AUGUR_ELTWISE_PROD] = "prod",
	                                          [AUGUR_ELTWISE_MAX] = "max"};
	fputc('{', f);
	switch (l->type) {
	case AUGUR_LAYER_CONV:
		fprintf(f, "\"filters\": %u, ", l->filters);
		json_hw(f, "kernel", l->kernel, ", ");
		json_hw(f, "stride", l->stride, ", ");
		json_hw(f, "pad", l->pad, ", ");
		json_hw(f, "dilation", l->dilation, "");
		fprintf(f, ", \"groups\": %u, \"bias\": %s", l->groups, l->bias ? "true" : "false");
		break;
	case AUGUR_LAYER_FC:
		fprintf(f, "\"outputs\": %u, \"bias\": %s", l->outputs, l->bias ? "true" : "false");
		break;
	case AUGUR_LAYER_POOL: {
		struct augur_hw kernel = l->kernel, stride = l->stride, pad = l->pad;
		if (l->global) {
			kernel = (struct augur_hw){(uint32_t)s->in.h, (uint32_t)s->in.w};
			stride = (struct augur_hw){1, 1};
			pad = (struct augur_hw){0, 0};
		}
		fprintf(f, "\"op\": \"%s\", ", pool_ops[l->op == AUGUR_POOL_AVG]);
		json_hw(f, "kernel", kernel, ", ");
		json_hw(f, "stride", stride, ", ");
		json_hw(f, "pad", pad, "");
		fprintf(f, ", \"global\": %s, \"ceil\": %s", l->global ? "true" : "false",
		        l->ceil ? "true" : "false");
		break;
	}
	case AUGUR_LAYER_RELU:
		fprintf(f, "\"negative_slope\": ");
		json_double(f, l->negative_slope);
		fprintf(f, ", \"max\": ");
		if (l->max > 0)
			json_double(f, l->max);
		else
			fprintf(f, "null");
		break;
	case AUGUR_LAYER_LRN:
		fprintf(f, "\"size\": %u", l->size);
		break;
	case AUGUR_LAYER_ELTWISE:
		fprintf(f, "\"op\": \"%s\"",
		        eltwise_ops[l->op >= 0 && l->op <= AUGUR_ELTWISE_MAX ? l->op
		                                                             : AUGUR_ELTWISE_SUM]);
		break;
	case AUGUR_LAYER_CONCAT:
		fprintf(f, "\"axis\": \"channels\"");
		break;
	case AUGUR_LAYER_SCALE:
		fprintf(f, "\"bias\": %s", l->bias ? "true" : "false");
		break;
	default: /* sigmoid, tanh, softmax, dropout, flatten, batchnorm: no parameters */
		break;
	}
	fputc('}', f);
}

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

enum { T = TBL_IN_TEXT, C = TBL_IN_CSV, J = TBL_IN_JSON, CJ = TBL_IN_CSV | TBL_IN_JSON };

/* One row per layer: the text table's columns, the csv fields and the json members (their
 * names are a contract: docs/output.md), each in its own order. When the table is too
 * wide, the input shape goes first (it is the previous layer's output), then the im2col
 * column (both are in --format csv), then names are cut with an ellipsis. */
static const struct tbl_col layer_cols[] = {
        {.key = "index", .kind = TBL_UINT, .in = CJ},
        {.head = "layer", .key = "name", .kind = TBL_TEXT, .left = true, .cut = true},
        {.head = "type", .key = "type", .kind = TBL_TEXT, .left = true},
        {.key = "inputs", .kind = TBL_TEXT, .in = C}, /* joined by ';' */
        {.key = "inputs", .kind = TBL_JSON, .in = J},
        {.head = "input", .kind = TBL_TEXT, .in = T, .drop = 1},
        {.key = "in_c", .kind = TBL_UINT, .in = C},
        {.key = "in_h", .kind = TBL_UINT, .in = C},
        {.key = "in_w", .kind = TBL_UINT, .in = C},
        {.head = "output", .kind = TBL_TEXT, .in = T},
        {.key = "out_c", .kind = TBL_UINT, .in = C},
        {.key = "out_h", .kind = TBL_UINT, .in = C},
        {.key = "out_w", .kind = TBL_UINT, .in = C},
        {.key = "input_shape", .kind = TBL_JSON, .in = J},
        {.key = "output_shape", .kind = TBL_JSON, .in = J},
        {.key = "attrs", .kind = TBL_JSON, .in = J},
        {.head = "params", .key = "params", .kind = TBL_COUNT},
        {.key = "stats", .kind = TBL_UINT, .in = CJ},
        {.head = "MACs", .key = "macs", .kind = TBL_COUNT},
        {.key = "flops", .kind = TBL_UINT, .in = CJ},
        {.head = "GEMM", .kind = TBL_TEXT, .in = T, .left = true},
        {.key = "gemm_n", .kind = TBL_UINT, .in = C},
        {.key = "gemm_k", .kind = TBL_UINT, .in = C},
        {.key = "gemm_m", .kind = TBL_UINT, .in = C},
        {.key = "gemm_count", .kind = TBL_UINT, .in = C},
        {.key = "gemm", .kind = TBL_JSON, .in = J},
        {.head = "output", .key = "output_bytes", .kind = TBL_BYTES},
        {.head = "im2col", .key = "workspace_bytes", .kind = TBL_BYTES, .drop = 2},
        {.key = "workspace_paper_bytes", .kind = TBL_UINT, .in = CJ},
        {.key = "readers", .kind = TBL_UINT, .in = CJ},
        {.key = "in_place", .kind = TBL_BOOL, .in = CJ},
        {.key = "live_bytes", .kind = TBL_UINT, .in = CJ},
};

static struct tbl *layer_table(const struct augur_net *net, const struct augur_analysis *a)
{
	struct tbl *t = tbl_new(layer_cols, sizeof(layer_cols) / sizeof(layer_cols[0]));
	char text[64];
	for (size_t i = 0; t && i < a->n_layers; i++) {
		const struct augur_layer *l = &net->layers[i];
		const struct augur_layer_stats *s = &a->layers[i];
		tbl_row(t);
		tbl_uint(t, i);
		tbl_text(t, l->name);
		tbl_text(t, augur_layer_type_name(l->type));
		FILE *f = tbl_stream(t);
		for (uint32_t j = 0; f && j < l->n_inputs; j++)
			fprintf(f, "%s%s", j ? ";" : "", input_name(net, l->inputs[j]));
		tbl_end_stream(t);
		if ((f = tbl_stream(t))) {
			fputc('[', f);
			for (uint32_t j = 0; j < l->n_inputs; j++) {
				fputs(j ? ", " : "", f);
				cli_json_string(f, input_name(net, l->inputs[j]));
			}
			fputc(']', f);
		}
		tbl_end_stream(t);
		cli_shape(text, sizeof(text), &s->in);
		tbl_text(t, text);
		tbl_uint(t, s->in.c);
		tbl_uint(t, s->in.h);
		tbl_uint(t, s->in.w);
		cli_shape(text, sizeof(text), &s->out);
		tbl_text(t, text);
		tbl_uint(t, s->out.c);
		tbl_uint(t, s->out.h);
		tbl_uint(t, s->out.w);
		if ((f = tbl_stream(t)))
			json_shape(f, &s->in);
		tbl_end_stream(t);
		if ((f = tbl_stream(t)))
			json_shape(f, &s->out);
		tbl_end_stream(t);
		if ((f = tbl_stream(t)))
			json_attrs(f, l, s);
		tbl_end_stream(t);
		tbl_uint(t, s->params);
		tbl_uint(t, s->stats);
		tbl_uint(t, s->macs);
		tbl_uint(t, s->flops);
		gemm_text(text, sizeof(text), &s->gemm);
		tbl_text(t, text);
		tbl_uint(t, s->gemm.n);
		tbl_uint(t, s->gemm.k);
		tbl_uint(t, s->gemm.m);
		tbl_uint(t, s->gemm.count);
		if ((f = tbl_stream(t)) && s->gemm.count)
			fprintf(f, "{\"n\": %llu, \"k\": %llu, \"m\": %llu, \"count\": %llu}",
			        (unsigned long long)s->gemm.n, (unsigned long long)s->gemm.k,
			        (unsigned long long)s->gemm.m, (unsigned long long)s->gemm.count);
		else if (f)
			fputs("null", f);
		tbl_end_stream(t);
		tbl_uint(t, s->out_bytes);
		if (s->in_place)
			tbl_show(t, "in-place");
		tbl_uint(t, s->workspace_bytes);
		if (!s->workspace_bytes)
			tbl_show(t, "-");
		tbl_uint(t, s->workspace_paper_bytes);
		tbl_uint(t, s->readers);
		tbl_uint(t, s->in_place);
		tbl_uint(t, s->live_bytes);
	}
	return t;
}
/* The per-type totals: the type column fits its longest name present ("hardsigmoid"). */
static const struct tbl_col type_cols[] = {
        {.head = "type", .kind = TBL_TEXT, .left = true, .min_width = 10},
        {.head = "layers", .kind = TBL_UINT, .min_width = 6},
        {.head = "params", .kind = TBL_COUNT, .min_width = 9},
        {.head = "MACs", .kind = TBL_COUNT, .min_width = 9},
        {.head = "FLOPs", .kind = TBL_COUNT, .min_width = 9},
        {.head = "GEMMs", .kind = TBL_UINT, .min_width = 8},
        {.head = "output", .kind = TBL_BYTES, .min_width = 9},
};

static int print_types(const struct augur_analysis *a)
{
	struct tbl *t = tbl_new(type_cols, sizeof(type_cols) / sizeof(type_cols[0]));
	for (int i = 0; t && i <= AUGUR_LAYER_TYPE_COUNT; i++) {
		const struct augur_totals *tt =
		        i < AUGUR_LAYER_TYPE_COUNT ? &a->by_type[i] : &a->total;
		if (!tt->layers)
			continue;
		tbl_row(t);
		tbl_text(t, i < AUGUR_LAYER_TYPE_COUNT ? augur_layer_type_name(i) : "total");
		tbl_uint(t, tt->layers);
		tbl_uint(t, tt->params);
		tbl_uint(t, tt->macs);
		tbl_uint(t, tt->flops);
		tbl_uint(t, tt->gemm_calls);
		tbl_uint(t, tt->out_bytes);
	}
	int rc = t ? tbl_print_text(t, stdout, INT32_MAX, 0) : -1;
	tbl_free(t);
	return rc < 0 ? -1 : 0;
}

static int print_table(const struct augur_net *net, const struct augur_analysis *a)
{
	char in[64];
	cli_shape(in, sizeof(in), &a->input);
	printf("network %s: input %s, batch %u, %zu layer%s\n", net->name, in, a->batch,
	       a->n_layers, a->n_layers == 1 ? "" : "s");
	if (net->other_inputs)
		cli_wrapf(stdout, 2, "other inputs (not modelled): %s", net->other_inputs);
	printf("\n");
	struct tbl *t = layer_table(net, a);
	int limit = cli_width();
	int dropped = t ? tbl_print_text(t, stdout, limit, 0) : -1;
	tbl_free(t);
	if (dropped < 0)
		return -1;
	if (dropped)
		cli_wrapf(stdout, 1,
		          "(%s left out to fit %d columns: $COLUMNS widens the table; --format csv "
		          "has every field)",
		          dropped > 1 ? "the input and im2col columns are" : "the input column is",
		          limit);
	printf("\nGEMM: n x k x m (the paper's notation), *calls when run per image or group.\n");
	printf("\n");
	if (print_types(a))
		return -1;

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
	return 0;
}

static void json_totals(struct jsonw *w, const char *key, const struct augur_totals *t)
{
	jw_object(w, key, true);
	jw_uint(w, "layers", t->layers);
	jw_uint(w, "params", t->params);
	jw_uint(w, "stats", t->stats);
	jw_uint(w, "macs", t->macs);
	jw_uint(w, "flops", t->flops);
	jw_uint(w, "gemm_calls", t->gemm_calls);
	jw_uint(w, "output_bytes", t->out_bytes);
	jw_end(w);
}

static int print_json(const struct augur_net *net, const struct augur_analysis *a)
{
	struct tbl *t = layer_table(net, a);
	if (!t)
		return -1;
	struct jsonw *w = jw_new(stdout);
	if (!w) {
		tbl_free(t);
		return -1;
	}
	jw_net(w, net);
	jw_uint(w, "batch", a->batch);
	jw_uint(w, "bytes_per_value", AUGUR_BYTES_PER_VALUE);
	jw_object(w, "input", true);
	jw_array(w, "shape", false);
	jw_uint(w, NULL, a->input.c);
	if (a->input.rank != 1) {
		jw_uint(w, NULL, a->input.h);
		jw_uint(w, NULL, a->input.w);
	}
	jw_end(w);
	jw_uint(w, "bytes", a->input_bytes);
	jw_uint(w, "readers", a->input_readers);
	jw_end(w);
	if (net->other_inputs)
		jw_string(w, "other_inputs", net->other_inputs);
	int rc = tbl_write_json(t, w, "layers");
	tbl_free(t);
	jw_object(w, "by_type", false);
	for (int i = 0; i < AUGUR_LAYER_TYPE_COUNT; i++)
		if (a->by_type[i].layers)
			json_totals(w, augur_layer_type_name(i), &a->by_type[i]);
	jw_end(w);
	json_totals(w, "totals", &a->total);
	const struct augur_memory *m = &a->memory;
	jw_object(w, "memory", false);
	jw_object(w, "paper", true);
	jw_uint(w, "weights_bytes", m->paper_weights);
	jw_uint(w, "data_bytes", m->paper_data);
	jw_uint(w, "workspace_bytes", m->paper_workspace);
	jw_end(w);
	jw_object(w, "allocated", true);
	jw_uint(w, "params_bytes", m->alloc_params);
	jw_uint(w, "stats_bytes", m->alloc_stats);
	jw_uint(w, "data_bytes", m->alloc_data);
	jw_uint(w, "workspace_bytes", m->alloc_workspace);
	jw_uint(w, "total_bytes", m->alloc_total);
	jw_end(w);
	jw_object(w, "minimal", true);
	jw_uint(w, "weights_bytes", m->min_weights);
	jw_uint(w, "workspace_bytes", m->min_workspace);
	jw_uint(w, "data_peak_bytes", m->min_data_peak);
	jw_uint(w, "total_bytes", m->min_total);
	jw_string(w, "peak_layer", a->n_layers ? net->layers[m->min_peak_layer].name : "");
	jw_end(w);
	jw_end(w);
	jw_end(w);
	jw_free(w);
	return rc;
}

static int print_csv(const struct augur_net *net, const struct augur_analysis *a)
{
	struct tbl *t = layer_table(net, a);
	int rc = t ? tbl_print_csv(t, stdout) : -1;
	tbl_free(t);
	return rc;
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
	int printed = o.format == CLI_JSON  ? print_json(net, a)
	              : o.format == CLI_CSV ? print_csv(net, a)
	                                    : print_table(net, a);
	if (printed)
		rc = cli_error("inspect", "out of memory");
out:
	augur_analysis_free(a);
	augur_net_free(net);
	return rc;
}
