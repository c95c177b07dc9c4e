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
#include "machine.h"
#include "netfile.h"
#include "netbench.h"
#include "runtime.h"
#include "stats.h"
#include "strbuf.h"

struct settings {
	struct augur_netbench_options nb;
	bool layers;
	enum cli_format format;
	const char *times_out, *board;
};

static void print_table(const struct augur_net_run *r, const struct settings *s, const char *blas,
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
	       r->forward.median > 0 ? 100 * r->gemm_ms / r->forward.median : 0);
	printf("memory    %10.2f MiB held: params %.1f, stats %.1f, data %.1f, im2col %.1f\n",
	       cli_mib(m->held), cli_mib(m->params), cli_mib(m->stats), cli_mib(m->data),
	       cli_mib(m->workspace));
	if (m->extra)
		printf("          %10.2f MiB more for blobs that could not be written in place\n",
		       cli_mib(m->extra));
	if (r->have_rss)
		printf("peak RSS  %10.2f MiB above the process before the network was built\n",
		       cli_mib(r->peak_rss));
	if (s->layers) {
		int w = 5;
		for (size_t i = 0; i < r->a->n_layers; i++) {
			int len = (int)strlen(r->net->layers[i].name);
			w = len > w ? len : w;
		}
		w = w > 30 ? 30 : w;
		printf("\n%-*s %-9s %10s %10s %10s %6s\n", w, "layer", "type", "median ms", "p10",
		       "p90", "share");
		for (size_t i = 0; i < r->a->n_layers; i++) {
			const struct augur_times *l = &r->layer[i];
			printf("%-*.*s %-9s %10.4f %10.4f %10.4f %5.1f%%\n", w, w,
			       r->net->layers[i].name,
			       augur_layer_type_name(r->net->layers[i].type), l->median, l->p10,
			       l->p90,
			       r->forward.median > 0 ? 100 * l->median / r->forward.median : 0);
		}
		printf("\n%-10s %6s %12s %6s\n", "type", "layers", "median ms", "share");
		for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++) {
			if (!r->a->by_type[t].layers)
				continue;
			double v = augur_net_run_type_ms(r, (enum augur_layer_type)t);
			printf("%-10s %6u %12.4f %5.1f%%\n", augur_layer_type_name(t),
			       r->a->by_type[t].layers, v,
			       r->forward.median > 0 ? 100 * v / r->forward.median : 0);
		}
	}
}

static void json_stat(const char *key, const struct augur_times *st, bool comma)
{
	printf("\"%s\": {", key);
	cli_json_num("median", st->median, true);
	cli_json_num("p10", st->p10, true);
	cli_json_num("p90", st->p90, true);
	cli_json_num("spread", st->spread, false);
	printf("}%s", comma ? ", " : "");
}

static void print_json(const struct augur_net_run *rs, size_t n, const struct settings *s,
                       const char *blas, const char *config, uint32_t threads)
{
	printf("{\"runtime\": \"augur\", \"blas\": ");
	cli_json_string(stdout, blas);
	printf(", \"blas_config\": ");
	cli_json_string(stdout, config);
	printf(", \"threads\": %u, \"reps\": %llu, \"warmup\": %llu, \"seed\": %llu, \"runs\": [",
	       threads, (unsigned long long)s->nb.reps, (unsigned long long)s->nb.warmup,
	       (unsigned long long)s->nb.seed);
	for (size_t k = 0; k < n; k++) {
		const struct augur_net_run *r = &rs[k];
		const struct augur_runtime_memory *m = &r->mem;
		printf("%s\n {\"network\": ", k ? "," : "");
		cli_json_string(stdout, r->net->name);
		printf(", \"path\": ");
		cli_json_string(stdout, r->path);
		printf(", \"batch\": %u, ", r->a->batch);
		json_stat("forward_ms", &r->forward, true);
		cli_json_num("gemm_ms", r->gemm_ms, true);
		cli_json_num("gemm_share",
		             r->forward.median > 0 ? r->gemm_ms / r->forward.median : 0, true);
		printf("\"memory\": {\"params_bytes\": %llu, \"stats_bytes\": %llu, \"data_bytes\": "
		       "%llu, \"workspace_bytes\": %llu, \"extra_bytes\": %llu, \"held_bytes\": %llu, "
		       "\"allocated_view_bytes\": %llu, \"peak_rss_bytes\": ",
		       (unsigned long long)m->params, (unsigned long long)m->stats,
		       (unsigned long long)m->data, (unsigned long long)m->workspace,
		       (unsigned long long)m->extra, (unsigned long long)m->held,
		       (unsigned long long)r->a->memory.alloc_total);
		if (r->have_rss)
			printf("%llu}, ", (unsigned long long)r->peak_rss);
		else
			printf("null}, ");
		printf("\"by_type\": {");
		bool first = true;
		for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++) {
			if (!r->a->by_type[t].layers)
				continue;
			if (!first)
				printf(", ");
			first = false;
			cli_json_num(augur_layer_type_name(t),
			             augur_net_run_type_ms(r, (enum augur_layer_type)t), false);
		}
		printf("}, \"layers\": [");
		for (size_t i = 0; i < r->a->n_layers; i++) {
			printf("%s\n  {\"name\": ", i ? "," : "");
			cli_json_string(stdout, r->net->layers[i].name);
			printf(", \"type\": \"%s\", ",
			       augur_layer_type_name(r->net->layers[i].type));
			json_stat("ms", &r->layer[i], false);
			printf("}");
		}
		printf("]}");
	}
	printf("]}\n");
}

static void print_csv(const struct augur_net_run *rs, size_t n, const struct settings *s)
{
	if (s->layers)
		printf("network,layer,type,median_ms,p10_ms,p90_ms\n");
	else
		printf("network,batch,forward_ms,p10_ms,p90_ms,spread,gemm_ms,held_bytes,"
		       "peak_rss_bytes\n");
	for (size_t k = 0; k < n; k++) {
		const struct augur_net_run *r = &rs[k];
		if (!s->layers) {
			cli_csv_field(stdout, r->net->name);
			printf(",%u,%.6f,%.6f,%.6f,%.4f,%.6f,%llu,", r->a->batch, r->forward.median,
			       r->forward.p10, r->forward.p90, r->forward.spread, r->gemm_ms,
			       (unsigned long long)r->mem.held);
			if (r->have_rss)
				printf("%llu", (unsigned long long)r->peak_rss);
			printf("\n");
			continue;
		}
		for (size_t i = 0; i < r->a->n_layers; i++) {
			cli_csv_field(stdout, r->net->name);
			putchar(',');
			cli_csv_field(stdout, r->net->layers[i].name);
			printf(",%s,%.6f,%.6f,%.6f\n",
			       augur_layer_type_name(r->net->layers[i].type), r->layer[i].median,
			       r->layer[i].p10, r->layer[i].p90);
		}
	}
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
	if (s.format == CLI_JSON)
		print_json(rs, n, &s, blas, config, threads);
	else if (s.format == CLI_CSV)
		print_csv(rs, n, &s);
	else
		for (size_t k = 0; k < n; k++) {
			if (k)
				printf("\n");
			print_table(&rs[k], &s, blas, threads);
		}
out:
	for (size_t k = 0; k < done; k++)
		augur_net_run_clear(&rs[k]);
	free(rs);
	augur_speed_probe_free(&probe);
	return rc;
}
