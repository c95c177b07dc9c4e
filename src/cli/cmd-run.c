/* augur run: measures networks in augur's own Caffe-style runtime (calibrate/runtime.h) on
 * this machine, with random weights and input: forward time (median and spread over
 * passes), each layer's time inside those passes, the time spent in BLAS, and the memory
 * held. Optionally writes a layer-times file (the format `augur fit --layer-times` reads)
 * and the weights, input and outputs of one pass as raw float32 files. docs/run.md. */
#include <errno.h>
#include <limits.h>
#include <math.h>
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
#include "estimate.h"
#include "evaluate.h"
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
	const char *device; /* --device: predict each network with this profile too */
	/* with --device: the profile, its path, and each run's estimate on its cpu unit */
	struct augur_profile *p;
	char profile_path[4096];
	struct augur_unit_estimate *est;
	char *here; /* this machine's CPU model, to tell a profile of another machine */
	/* the reference workload's usual time now, when the profile has its time from the
	 * calibration (machine.probe_ms) and was made on this CPU model; else 0 */
	double probe_now;
	size_t n_nets; /* the networks measured, for the progress lines */
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
        /* with --device only (the table is made with all columns, else without these) */
        {.head = "predicted",
         .key = "predicted_ms",
         .kind = TBL_DOUBLE,
         .fmt = "%.4f",
         .csv_fmt = "%.6f",
         .min_width = 10,
         .fixed = true},
        {.head = "error",
         .key = "error",
         .kind = TBL_DOUBLE,
         .fmt = "%+.1f%%",
         .csv_fmt = "%.4f",
         .min_width = 7,
         .fixed = true},
};
#define N_LAYER_COLS     (sizeof(layer_cols) / sizeof(layer_cols[0]))
#define N_PREDICTED_COLS 2

/* A run's share of the pass, in percent. */
static double share(const struct augur_net_run *r, double ms)
{
	return r->forward.median > 0 ? 100 * ms / r->forward.median : 0;
}

/* The relative error of predicted against measured, as a fraction. */
static double error_of(double predicted, double measured)
{
	return measured > 0 ? predicted / measured - 1 : 0;
}

/* A run's layers; with e (--device), each layer's prediction and its error (null for a
 * layer the profile does not cost). */
static void add_layers(struct tbl *t, const struct augur_net_run *r,
                       const struct augur_unit_estimate *e)
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
		if (!e)
			continue;
		if (e->layers[i].costed) {
			tbl_double(t, e->layers[i].time_ms);
			tbl_double(t, error_of(e->layers[i].time_ms, l->median));
			/* the text table shows the error in percent */
			char pct[32];
			snprintf(pct, sizeof(pct), "%+.1f%%",
			         100 * error_of(e->layers[i].time_ms, l->median));
			tbl_show(t, pct);
		} else {
			tbl_null(t);
			tbl_show(t, "-");
			tbl_null(t);
			tbl_show(t, "-");
		}
	}
}

/* The layers of n runs; with est (--device, one estimate per run), their predictions. */
static struct tbl *layer_table(const struct augur_net_run *rs, size_t n,
                               const struct augur_unit_estimate *est)
{
	struct tbl *t = tbl_new(layer_cols, est ? N_LAYER_COLS : N_LAYER_COLS - N_PREDICTED_COLS);
	for (size_t k = 0; t && k < n; k++)
		add_layers(t, &rs[k], est ? &est[k] : NULL);
	return t;
}

static const struct tbl_col type_cols[] = {
        {.head = "type", .kind = TBL_TEXT, .min_width = 10, .left = true, .fixed = true},
        {.head = "layers", .kind = TBL_UINT, .min_width = 6, .fixed = true},
        {.head = "median ms", .kind = TBL_DOUBLE, .fmt = "%.4f", .min_width = 12, .fixed = true},
        {.head = "share", .kind = TBL_DOUBLE, .fmt = "%.1f%%", .min_width = 6, .fixed = true},
};

/* The layers' and the types' tables of one run; -1 when out of memory. */
static int print_layers(const struct augur_net_run *r, const struct augur_unit_estimate *e)
{
	struct tbl *l = layer_table(r, 1, e);
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

/* A reference workload this much slower or faster than at the calibration is worth a
 * sentence: the speed of this machine has moved (the VM of docs/accuracy.md drifted 4-10%
 * within an hour) */
#define MACHINE_MOVED 0.05

/* With --device: the prediction against the measurement, what it leaves out or
 * extrapolates, and whose times the profile's are. */
static void print_predicted(const struct augur_net_run *r, const struct settings *s,
                            const struct augur_unit_estimate *e)
{
	printf("predicted %10.3f ms by %s (%+.1f%% against the median)\n", e->total_ms, s->p->name,
	       100 * error_of(e->total_ms, r->forward.median));
	double peak = r->have_rss ? (double)r->peak_rss : (double)r->mem.held;
	printf("          %10.2f MiB of memory (%+.1f%% against the %s)\n",
	       cli_mib(e->memory_bytes), 100 * error_of((double)e->memory_bytes, peak),
	       r->have_rss ? "peak RSS" : "memory held");
	cli_print_uncosted(stdout, "note: ", e);
	cli_print_extrapolated(stdout, "note: ", e);
	/* a profile of another framework or another machine predicts something else */
	char fw[160];
	if (!augur_framework_is_augur(s->p->framework.name))
		cli_wrapf(stdout, 8, "note: %s's times are for %s, not augur's runtime", s->p->name,
		          augur_framework_describe(&s->p->framework, fw, sizeof(fw))
		                  ? fw
		                  : "a framework it does not name");
	if (s->here && s->p->cpu_model && strcmp(s->here, s->p->cpu_model))
		cli_wrapf(stdout, 8, "note: %s was calibrated on %s; this machine is %s",
		          s->p->name, s->p->cpu_model, s->here);
	if (s->probe_now > 0) {
		double speed = s->probe_now / s->p->machine.probe_ms - 1;
		cli_wrapf(
		        stdout, 10,
		        "machine   the reference workload ran %+.1f%% against its time when %s was "
		        "calibrated (%.3f ms against %.3f)%s",
		        100 * speed, s->p->name, s->probe_now, s->p->machine.probe_ms,
		        fabs(speed) > MACHINE_MOVED
		                ? ": the machine runs at another speed than then, and a prediction "
		                  "is off by about as much"
		                : "");
	}
}

static int print_table(const struct augur_net_run *r, const struct settings *s, const char *blas,
                       uint32_t threads, const struct augur_unit_estimate *e)
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
	if (e)
		print_predicted(r, s, e);
	return s->layers ? print_layers(r, e) : 0;
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
static int json_run(struct jsonw *w, const struct augur_net_run *r, const struct settings *s,
                    const struct augur_unit_estimate *e)
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
	if (e) {
		jw_object(w, "predicted", true);
		jw_string(w, "device", s->p->name);
		jw_string(w, "profile", s->profile_path);
		jw_double(w, "forward_ms", e->total_ms);
		jw_double(w, "error", error_of(e->total_ms, r->forward.median));
		jw_uint(w, "memory_bytes", e->memory_bytes);
		jw_uint(w, "layers_uncosted", e->layers_uncosted);
		jw_bool(w, "whole_network", e->whole_network);
		if (s->probe_now > 0)
			jw_double(w, "machine_speed", s->probe_now / s->p->machine.probe_ms - 1);
		else
			jw_null(w, "machine_speed");
		jw_end(w);
	}
	struct tbl *t = layer_table(r, 1, e);
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
		rc |= json_run(w, &rs[k], s, s->est ? &s->est[k] : NULL);
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
        /* with --device only */
        {.key = "predicted_ms", .kind = TBL_DOUBLE, .csv_fmt = "%.6f"},
        {.key = "error", .kind = TBL_DOUBLE, .csv_fmt = "%.4f"},
        {.key = "predicted_memory_bytes", .kind = TBL_UINT},
};
#define N_NET_COLS           (sizeof(net_cols) / sizeof(net_cols[0]))
#define N_NET_PREDICTED_COLS 3

static int print_csv(const struct augur_net_run *rs, size_t n, const struct settings *s)
{
	struct tbl *t = s->layers ? layer_table(rs, n, s->est)
	                          : tbl_new(net_cols, s->est ? N_NET_COLS
	                                                     : N_NET_COLS - N_NET_PREDICTED_COLS);
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
		if (s->est) {
			tbl_double(t, s->est[k].total_ms);
			tbl_double(t, error_of(s->est[k].total_ms, r->forward.median));
			tbl_uint(t, s->est[k].memory_bytes);
		}
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
                 "(another program ran), each time after the other networks;\n"
                 "the calmest is kept (default 0)"),
        CLI_STRING("device", struct settings, device, "D",
                   "also predict each network with profile D (a name or a path) on\n"
                   "its cpu, beside the measurement: time, memory, per layer with\n"
                   "--layers, and the error"),
        CLI_STRING("dump", struct settings, nb.dump, "DIR",
                   "before timing, run one pass writing the input, every layer's\n"
                   "parameters and output as raw float32 files to DIR (one NET)"),
        CLI_END,
};

const struct cli_spec cmd_run_spec = {"run", run_opts, 1, -1, "a descriptor", true};

/* r is the calmest measurement so far: after the first retry it may be an earlier one,
 * so the figures say which it is rather than repeat themselves as if measured anew */
static void retrying(const struct augur_net_run *r, uint64_t k, void *ctx)
{
	const struct settings *s = ctx;
	cli_warning("run",
	            "%s: %s (spread %.1f%%, layers sum %.2fx the pass, reference "
	            "workload %.0f%% slower than usual), measuring again (%llu of %llu)",
	            r->net->name, k ? "still disturbed, the calmest so far" : "disturbed",
	            100 * r->forward.spread, augur_net_run_layers_ratio(r), 100 * r->slowdown,
	            (unsigned long long)k + 1, (unsigned long long)s->nb.retries);
}

/* Progress, when measuring several networks into a layer-times file (a campaign's pace) */
static void measured(const struct augur_net_run *r, size_t k, void *ctx)
{
	const struct settings *s = ctx;
	if (s->n_nets > 1 && s->times_out)
		fprintf(stderr, "[%zu/%zu] %s: forward %.3f ms (spread %.1f%%)\n", k + 1, s->n_nets,
		        r->net->name, r->forward.median, 100 * r->forward.spread);
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

/* --device: the profile, before anything is measured (a wrong name costs nothing), and
 * room for n estimates. */
static int open_device(struct settings *s, size_t n, struct augur_diag *diag)
{
	int rc =
	        eval_load_profile(s->device, s->profile_path, sizeof(s->profile_path), &s->p, diag);
	if (!rc && !s->p->cpu)
		rc = augur_diag_set(diag, AUGUR_E_USAGE, s->profile_path, 0, 0,
		                    "profile '%s' has no cpu unit: augur run measures this "
		                    "machine's CPU",
		                    s->p->name);
	if (!rc && !(s->est = calloc(n, sizeof(*s->est))))
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, s->profile_path, 0, 0, "out of memory");
	s->here = augur_machine_cpu_model();
	return rc;
}

/* Each measured network estimated on the profile's cpu, at the batch it ran with. */
static int predict(const struct augur_net_run *rs, size_t n, struct settings *s,
                   struct augur_diag *diag)
{
	/* the machine's speed against the calibration's, on the CPU it was made on */
	if (s->p->machine.probe_ms > 0 && s->here && s->p->cpu_model &&
	    !strcmp(s->here, s->p->cpu_model))
		s->probe_now = augur_speed_probe_usual();
	for (size_t k = 0; k < n; k++)
		if (augur_estimate_unit(rs[k].net, rs[k].a, s->p, s->p->cpu, &s->est[k], diag))
			return -1;
	return 0;
}

static void close_device(struct settings *s, size_t n)
{
	for (size_t k = 0; s->est && k < n; k++)
		augur_unit_estimate_clear(&s->est[k]);
	free(s->est);
	free(s->here);
	augur_profile_free(s->p);
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
	s.nb.measured = measured;
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
	if ((s.device && open_device(&s, n, &diag)) ||
	    (s.nb.retries && augur_speed_probe_new(&probe, &diag))) {
		rc = cli_report(&diag);
		goto out;
	}
	s.nb.probe = s.nb.retries ? &probe : NULL;
	s.n_nets = n;
	if (augur_netbench_measure_list((const char *const *)args, n, &s.nb, rs, &done, &diag)) {
		rc = cli_report(&diag);
		goto out;
	}
	uint32_t threads;
	const char *config;
	char blas[128];
	augur_netbench_blas(blas, sizeof(blas), &config, &threads);
	if ((s.times_out && write_layer_times(rs, n, &s, argc, argv, &diag)) ||
	    (s.device && predict(rs, n, &s, &diag))) {
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
			printed = print_table(&rs[k], &s, blas, threads, s.est ? &s.est[k] : NULL);
		}
	if (printed)
		rc = cli_error("run", "out of memory");
out:
	for (size_t k = 0; k < done; k++)
		augur_net_run_clear(&rs[k]);
	free(rs);
	augur_speed_probe_free(&probe);
	close_device(&s, n);
	return rc;
}
