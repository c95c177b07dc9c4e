/* augur run: measures networks in augur's own Caffe-style runtime (calibrate/runtime.h) on
 * this machine, with random weights and input: forward time (median and spread over
 * passes), each layer's time inside those passes, the time spent in BLAS, and the memory
 * held. Optionally writes a layer-times file (the format `augur fit --layer-times` reads)
 * and the weights, input and outputs of one pass as raw float32 files. docs/run.md. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "analysis.h"
#include "augur-config.h"
#include "cli.h"
#include "options.h"
#include "fileio.h"
#include "jsonw.h"
#include "machine.h"
#include "netfile.h"
#include "netbench.h"
#include "runtime.h"
#include "stats.h"
#include "strbuf.h"
#include "table.h"

struct settings {
	struct augur_netbench_options nb;
	bool layers;
	enum cli_format format;
	const char *times_out, *board;
};

/* Each layer's times: the text table (with its share of the pass), CSV with --layers (one
 * table over every network) and JSON's layers of a run. */
static const struct tbl_col layer_cols[] = {
        {.key = "network", .kind = TBL_TEXT, .in = TBL_IN_CSV},
        {.head = "layer",
         .key = "layer",
         .kind = TBL_TEXT,
         .in = TBL_IN_TEXT | TBL_IN_CSV,
         .max_width = 30,
         .left = true,
         .clip = true},
        {.key = "name", .kind = TBL_TEXT, .in = TBL_IN_JSON},
        {.head = "type",
         .key = "type",
         .kind = TBL_TEXT,
         .min_width = 9,
         .left = true,
         .fixed = true},
#define RUN_MS(h, k)                                                                               \
	{                                                                                          \
		.head = (h), .key = (k), .kind = TBL_DOUBLE, .fmt = "%.4f", .csv_fmt = "%.6f",     \
		.in = TBL_IN_TEXT | TBL_IN_CSV, .min_width = 10, .fixed = true                     \
	}
        RUN_MS("median ms", "median_ms"),
        RUN_MS("p10", "p10_ms"),
        RUN_MS("p90", "p90_ms"),
#undef RUN_MS
        {.head = "share",
         .kind = TBL_DOUBLE,
         .fmt = "%.1f%%",
         .in = TBL_IN_TEXT,
         .min_width = 6,
         .fixed = true},
        {.key = "median", .kind = TBL_DOUBLE, .in = TBL_IN_JSON, .group = "ms"},
        {.key = "p10", .kind = TBL_DOUBLE, .in = TBL_IN_JSON, .group = "ms"},
        {.key = "p90", .kind = TBL_DOUBLE, .in = TBL_IN_JSON, .group = "ms"},
        {.key = "spread", .kind = TBL_DOUBLE, .in = TBL_IN_JSON, .group = "ms"},
};

/* A run's share of the pass, in percent. */
static double share(const struct augur_net_run *r, double ms)
{
	return r->forward.median > 0 ? 100 * ms / r->forward.median : 0;
}

static void add_layers(struct tbl *t, const struct augur_net_run *r)
{
	for (size_t i = 0; i < r->a->n_layers; i++) {
		const struct augur_times *l = &r->layer[i];
		const char *type = augur_layer_type_name(r->net->layers[i].type);
		tbl_row(t);
		tbl_text(t, r->net->name);
		tbl_text(t, r->net->layers[i].name);
		tbl_text(t, r->net->layers[i].name);
		tbl_text(t, type);
		tbl_double(t, l->median);
		tbl_double(t, l->p10);
		tbl_double(t, l->p90);
		tbl_double(t, share(r, l->median));
		tbl_double(t, l->median);
		tbl_double(t, l->p10);
		tbl_double(t, l->p90);
		tbl_double(t, l->spread);
	}
}

static struct tbl *layer_table(const struct augur_net_run *rs, size_t n)
{
	struct tbl *t = tbl_new(layer_cols, sizeof(layer_cols) / sizeof(layer_cols[0]));
	for (size_t k = 0; t && k < n; k++)
		add_layers(t, &rs[k]);
	return t;
}

static const struct tbl_col type_cols[] = {
        {.head = "type", .kind = TBL_TEXT, .min_width = 10, .left = true, .fixed = true},
        {.head = "layers", .kind = TBL_UINT, .min_width = 6, .fixed = true},
        {.head = "median ms", .kind = TBL_DOUBLE, .fmt = "%.4f", .min_width = 12, .fixed = true},
        {.head = "share", .kind = TBL_DOUBLE, .fmt = "%.1f%%", .min_width = 6, .fixed = true},
};

/* The layers' and the types' tables of one run; -1 when out of memory. */
static int print_layers(const struct augur_net_run *r)
{
	struct tbl *l = layer_table(r, 1);
	struct tbl *t = tbl_new(type_cols, sizeof(type_cols) / sizeof(type_cols[0]));
	for (int k = 0; t && k < AUGUR_LAYER_TYPE_COUNT; k++) {
		if (!r->a->by_type[k].layers)
			continue;
		double v = augur_net_run_type_ms(r, (enum augur_layer_type)k);
		tbl_row(t);
		tbl_text(t, augur_layer_type_name(k));
		tbl_uint(t, r->a->by_type[k].layers);
		tbl_double(t, v);
		tbl_double(t, share(r, v));
	}
	int rc = -1;
	if (l && t) {
		printf("\n");
		rc = tbl_print_text(l, stdout, INT32_MAX, 0);
		printf("\n");
		if (rc >= 0)
			rc = tbl_print_text(t, stdout, INT32_MAX, 0);
	}
	tbl_free(l);
	tbl_free(t);
	return rc < 0 ? -1 : 0;
}

static int print_table(const struct augur_net_run *r, const struct settings *s, const char *blas,
                       uint32_t threads)
{
	const struct augur_runtime_memory *m = &r->mem;
	printf("network %s (%s): batch %u, %llu passes after %llu warm-up\n", r->net->name, r->path,
	       r->a->batch, (unsigned long long)s->nb.reps, (unsigned long long)s->nb.warmup);
	printf("runtime: augur's, im2col + sgemm per group; %s, %u thread%s\n", blas, threads,
	       threads == 1 ? "" : "s");
	printf("forward   %10.3f ms median (p10 %.3f, p90 %.3f; spread %.1f%%)\n",
	       r->forward.median, r->forward.p10, r->forward.p90, 100 * r->forward.spread);
	printf("in BLAS   %10.3f ms (%.1f%% of the pass: sgemm and sgemv calls)\n", r->gemm_ms,
	       share(r, r->gemm_ms));
	printf("memory    %10.2f MiB held: params %.1f, stats %.1f, data %.1f, im2col %.1f\n",
	       cli_mib(m->held), cli_mib(m->params), cli_mib(m->stats), cli_mib(m->data),
	       cli_mib(m->workspace));
	if (m->extra)
		printf("          %10.2f MiB more for blobs that could not be written in place\n",
		       cli_mib(m->extra));
	if (r->have_rss)
		printf("peak RSS  %10.2f MiB above the process before the network was built\n",
		       cli_mib(r->peak_rss));
	return s->layers ? print_layers(r) : 0;
}

static void json_stat(struct jsonw *w, const char *key, const struct augur_times *st)
{
	jw_object(w, key, true);
	jw_double(w, "median", st->median);
	jw_double(w, "p10", st->p10);
	jw_double(w, "p90", st->p90);
	jw_double(w, "spread", st->spread);
	jw_end(w);
}

/* One run: its figures, memory, time per type, and its layers' table. */
static int json_run(struct jsonw *w, const struct augur_net_run *r)
{
	const struct augur_runtime_memory *m = &r->mem;
	jw_object(w, NULL, true);
	jw_string(w, "network", r->net->name);
	jw_string(w, "path", r->path);
	jw_uint(w, "batch", r->a->batch);
	json_stat(w, "forward_ms", &r->forward);
	jw_double(w, "gemm_ms", r->gemm_ms);
	jw_double(w, "gemm_share", r->forward.median > 0 ? r->gemm_ms / r->forward.median : 0);
	jw_object(w, "memory", true);
	jw_uint(w, "params_bytes", m->params);
	jw_uint(w, "stats_bytes", m->stats);
	jw_uint(w, "data_bytes", m->data);
	jw_uint(w, "workspace_bytes", m->workspace);
	jw_uint(w, "extra_bytes", m->extra);
	jw_uint(w, "held_bytes", m->held);
	jw_uint(w, "allocated_view_bytes", r->a->memory.alloc_total);
	if (r->have_rss)
		jw_uint(w, "peak_rss_bytes", r->peak_rss);
	else
		jw_null(w, "peak_rss_bytes");
	jw_end(w);
	jw_object(w, "by_type", true);
	for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++)
		if (r->a->by_type[t].layers)
			jw_double(w, augur_layer_type_name(t),
			          augur_net_run_type_ms(r, (enum augur_layer_type)t));
	jw_end(w);
	struct tbl *t = layer_table(r, 1);
	jw_rows(w, "layers", 1, false);
	int rc = t ? tbl_write_json_rows(t, w) : -1;
	jw_end(w);
	jw_end(w);
	tbl_free(t);
	return rc;
}

static int print_json(const struct augur_net_run *rs, size_t n, const struct settings *s,
                      const char *blas, const char *config, uint32_t threads)
{
	struct jsonw *w = jw_new(stdout);
	if (!w)
		return -1;
	int rc = 0;
	jw_object(w, NULL, true);
	jw_string(w, "runtime", "augur");
	jw_string(w, "blas", blas);
	jw_string(w, "blas_config", config);
	jw_uint(w, "threads", threads);
	jw_uint(w, "reps", s->nb.reps);
	jw_uint(w, "warmup", s->nb.warmup);
	jw_uint(w, "seed", s->nb.seed);
	jw_rows(w, "runs", 1, false);
	for (size_t k = 0; k < n; k++)
		rc |= json_run(w, &rs[k]);
	jw_end(w);
	jw_end(w);
	jw_free(w);
	return rc;
}

/* One row per network (without --layers). */
static const struct tbl_col net_cols[] = {
        {.key = "network", .kind = TBL_TEXT},
        {.key = "batch", .kind = TBL_UINT},
        {.key = "forward_ms", .kind = TBL_DOUBLE, .csv_fmt = "%.6f"},
        {.key = "p10_ms", .kind = TBL_DOUBLE, .csv_fmt = "%.6f"},
        {.key = "p90_ms", .kind = TBL_DOUBLE, .csv_fmt = "%.6f"},
        {.key = "spread", .kind = TBL_DOUBLE, .csv_fmt = "%.4f"},
        {.key = "gemm_ms", .kind = TBL_DOUBLE, .csv_fmt = "%.6f"},
        {.key = "held_bytes", .kind = TBL_UINT},
        {.key = "peak_rss_bytes", .kind = TBL_UINT},
};

static int print_csv(const struct augur_net_run *rs, size_t n, const struct settings *s)
{
	struct tbl *t = s->layers ? layer_table(rs, n)
	                          : tbl_new(net_cols, sizeof(net_cols) / sizeof(net_cols[0]));
	for (size_t k = 0; t && !s->layers && k < n; k++) {
		const struct augur_net_run *r = &rs[k];
		tbl_row(t);
		tbl_text(t, r->net->name);
		tbl_uint(t, r->a->batch);
		tbl_double(t, r->forward.median);
		tbl_double(t, r->forward.p10);
		tbl_double(t, r->forward.p90);
		tbl_double(t, r->forward.spread);
		tbl_double(t, r->gemm_ms);
		tbl_uint(t, r->mem.held);
		if (r->have_rss)
			tbl_uint(t, r->peak_rss);
		else
			tbl_null(t);
	}
	int rc = t ? tbl_print_csv(t, stdout) : -1;
	tbl_free(t);
	return rc;
}

/* ---- layer-times file ------------------------------------------------------------------ */

static const struct cli_opt run_opts[] = {
        CLI_BATCH(struct settings, nb.batch),
        CLI_FLAG("layers", struct settings, layers,
                 "add each layer's median time inside the passes, and per type"),
        CLI_UINT("reps", struct settings, nb.reps, 1, 100000, "N",
                 "timed forward passes (default 10)"),
        CLI_UINT("warmup", struct settings, nb.warmup, 0, 100000, "N",
                 "untimed passes first (default 2)"),
        CLI_UINT("threads", struct settings, nb.threads, 1, 1024, "N",
                 "OpenBLAS threads (default 1, as the epyc-1t profile)"),
        CLI_UINT("seed", struct settings, nb.seed, 1, UINT32_MAX, "N",
                 "random weights and input (default 1)"),
        CLI_FORMAT(struct settings, format,
                   "table, json (every figure) or csv (per network, or per layer\n"
                   "with --layers)"),
        CLI_STRING("layer-times-out", struct settings, times_out, "FILE",
                   "write the measurements as a layer-times file, one row\n"
                   "per network, for 'augur fit PROFILE --layer-times FILE'"),
        CLI_STRING("board", struct settings, board, "NAME",
                   "the board its rows are for (default augur)"),
        CLI_UINT("retries", struct settings, nb.retries, 0, 100, "N",
                 "measure a network again, up to N times, when its passes spread\n"
                 "over 10% or its layers do not add up to its pass within 10%\n"
                 "(another program ran); the calmest is kept (default 0)"),
        CLI_STRING("dump", struct settings, nb.dump, "DIR",
                   "before timing, run one pass writing the input, every layer's\n"
                   "parameters and output as raw float32 files to DIR (one NET)"),
        CLI_END,
};

const struct cli_spec cmd_run_spec = {"run", run_opts, 1, -1, "a descriptor", true};

static void retrying(const struct augur_net_run *r, uint64_t k, void *ctx)
{
	const struct settings *s = ctx;
	cli_warning("run",
	            "%s: disturbed (spread %.1f%%, layers sum %.2fx the pass, reference "
	            "workload %.0f%% slower than usual), measuring again (%llu of %llu)",
	            r->net->name, 100 * r->forward.spread, augur_net_run_layers_ratio(r),
	            100 * r->slowdown, (unsigned long long)k + 1,
	            (unsigned long long)s->nb.retries);
}

/* The measurements as a layer-times file, written atomically. */
static int write_layer_times(const struct augur_net_run *rs, size_t n, const struct settings *s,
                             int argc, char **argv, struct augur_diag *diag)
{
	struct augur_strbuf command = {0}, b = {0};
	augur_strbuf_puts(&command, "augur");
	for (int i = 0; i < argc; i++)
		augur_strbuf_put(&command, " %s", argv[i]);
	augur_netbench_layer_times(rs, n, &s->nb, s->board, command.data ? command.data : "augur",
	                           &b);
	int rc;
	if (b.failed || command.failed)
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, s->times_out, 0, 0, "out of memory");
	else
		rc = augur_write_file_atomic(s->times_out, b.data, b.len, diag);
	augur_strbuf_clear(&b);
	augur_strbuf_clear(&command);
	return rc;
}

/* A network with the --input size, when one was given. */
static int load(const char *path, struct augur_net **out, struct augur_diag *diag)
{
	return cli_net_load(path, out, NULL, diag);
}

int cmd_run(int argc, char **argv)
{
	struct settings s = {.nb = {.reps = 10, .warmup = 2, .threads = 1, .seed = 1},
	                     .format = CLI_TABLE,
	                     .board = "augur"};
	char **args;
	int n_args;
	if (cli_parse(&cmd_run_spec, argc, argv, &s, &args, &n_args))
		return CLI_USAGE;
	s.nb.retrying = retrying;
	s.nb.load = load;
	s.nb.ctx = &s;
	size_t n = (size_t)n_args;
	if (s.nb.dump && n != 1)
		return cli_usage_error("run", "--dump takes one network, not %zu", n);
	if (!s.board || !*s.board)
		return cli_usage_error("run", "--board needs a name");
	struct augur_net_run *rs = calloc(n, sizeof(*rs));
	if (!rs)
		return cli_error("run", "out of memory");
	struct augur_diag diag = {0};
	int rc = CLI_OK;
	size_t done = 0;
	struct augur_speed_probe probe = {0};
	if (s.nb.retries) {
		if (augur_speed_probe_new(&probe, &diag)) {
			free(rs);
			return cli_report(&diag);
		}
		s.nb.probe = &probe;
	}
	for (; done < n; done++) {
		if (augur_netbench_measure(args[done], &s.nb, &rs[done], &diag)) {
			rc = cli_report(&diag);
			done++;
			goto out;
		}
		if (n > 1 && s.times_out)
			fprintf(stderr, "[%zu/%zu] %s: forward %.3f ms (spread %.1f%%)\n", done + 1,
			        n, rs[done].net->name, rs[done].forward.median,
			        100 * rs[done].forward.spread);
	}
	uint32_t threads;
	const char *config;
	char blas[128];
	augur_netbench_blas(blas, sizeof(blas), &config, &threads);
	if (s.times_out && write_layer_times(rs, n, &s, argc, argv, &diag)) {
		rc = cli_report(&diag);
		goto out;
	}
	int printed = 0;
	if (s.format == CLI_JSON)
		printed = print_json(rs, n, &s, blas, config, threads);
	else if (s.format == CLI_CSV)
		printed = print_csv(rs, n, &s);
	else
		for (size_t k = 0; k < n && !printed; k++) {
			if (k)
				printf("\n");
			printed = print_table(&rs[k], &s, blas, threads);
		}
	if (printed)
		rc = cli_error("run", "out of memory");
out:
	for (size_t k = 0; k < done; k++)
		augur_net_run_clear(&rs[k]);
	free(rs);
	augur_speed_probe_free(&probe);
	return rc;
}
