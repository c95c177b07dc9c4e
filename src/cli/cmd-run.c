/* augur run: measures networks in augur's own Caffe-style runtime (calibrate/runtime.h) on
 * this machine, with random weights and input: forward time (median and spread over
 * passes), each layer's time inside those passes, the time spent in BLAS, and the memory
 * held. Optionally writes a layer-times file (the format `augur fit --layer-times` reads)
 * and the weights, input and outputs of one pass as raw float32 files. docs/run.md. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
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
#include "fileio.h"
#include "machine.h"
#include "netfile.h"
#include "runtime.h"

struct stat3 {
	double median, p10, p90, spread;
};

struct result {
	const char *path;
	struct augur_net *net;
	struct augur_analysis *a;
	struct stat3 forward;
	double gemm_ms;      /* median over passes of BLAS time */
	struct stat3 *layer; /* per layer */
	struct augur_runtime_memory mem;
	uint64_t peak_rss; /* above the process's RSS before the runtime was built */
	bool have_rss;
};

struct settings {
	uint64_t batch, reps, warmup, threads, seed, retries;
	bool layers;
	enum cli_format format;
	const char *dump, *times_out, *board;
};

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

/* Linear interpolation between order statistics (numpy's default, as bench/validate). */
static double quantile(const double *sorted, size_t n, double q)
{
	if (n == 1)
		return sorted[0];
	double pos = q * (double)(n - 1);
	size_t lo = (size_t)pos, hi = lo + 1 < n ? lo + 1 : n - 1;
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - (double)lo);
}

/* Statistics of v[0], v[stride], ... (n values); sorts a copy in tmp. */
static struct stat3 summarise(const double *v, size_t n, size_t stride, double *tmp)
{
	for (size_t i = 0; i < n; i++)
		tmp[i] = v[i * stride];
	qsort(tmp, n, sizeof(double), cmp_double);
	struct stat3 s;
	s.median = quantile(tmp, n, 0.5);
	s.p10 = quantile(tmp, n, 0.1);
	s.p90 = quantile(tmp, n, 0.9);
	s.spread = s.median > 0 ? (s.p90 - s.p10) / s.median : 0;
	return s;
}

/* A field of /proc/self/status in bytes ("VmHWM", "VmRSS"), or 0. */
static uint64_t proc_status_bytes(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return 0;
	char line[256];
	size_t len = strlen(field);
	uint64_t v = 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			v = strtoull(line + len + 1, NULL, 10) * 1024;
			break;
		}
	fclose(f);
	return v;
}

/* Resets the kernel's peak-RSS mark to the current RSS (Linux 4.0 on); false when it
 * cannot, and the peak is then not reported. */
static bool reset_peak_rss(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	if (!f)
		return false;
	bool ok = fputs("5", f) >= 0;
	return fclose(f) == 0 && ok;
}

static int write_floats(const char *dir, const char *name, const float *v, uint64_t count,
                        struct augur_diag *diag)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return augur_write_file_atomic(path, (const char *)v, count * sizeof(float), diag);
}

/* One pass layer by layer, writing input.f32 before it, then for layer i its parameter
 * blobs (i.weight.f32, i.bias.f32, i.mean.f32, i.var.f32, i.gamma.f32, i.beta.f32) and its
 * output i.out.f32 as soon as it has run (layers written in place overwrite their input). */
static int dump_pass(struct augur_runtime *rt, const struct result *r, const char *dir,
                     struct augur_diag *diag)
{
	if (mkdir(dir, 0777) && errno != EEXIST)
		return augur_diag_set(diag, AUGUR_E_IO, dir, 0, 0, "cannot create directory: %s",
		                      strerror(errno));
	uint64_t count;
	const float *v = augur_runtime_blob(rt, -1, &count);
	int rc = write_floats(dir, "input.f32", v, count, diag);
	for (size_t i = 0; i < r->a->n_layers && !rc; i++) {
		char name[64];
		for (unsigned j = 0; j < 2 && !rc; j++) {
			const float *p = augur_runtime_param(rt, i, j, &count);
			if (!p)
				continue;
			snprintf(name, sizeof(name), "%zu.%s.f32", i,
			         augur_runtime_param_name(r->net->layers[i].type, j));
			rc = write_floats(dir, name, p, count, diag);
		}
		augur_runtime_step(rt, i);
		snprintf(name, sizeof(name), "%zu.out.f32", i);
		v = augur_runtime_blob(rt, (long)i, &count);
		if (!rc)
			rc = write_floats(dir, name, v, count, diag);
	}
	return rc;
}

static int measure(struct result *r, const struct settings *s, struct augur_diag *diag)
{
	int rc = cli_net_load(r->path, &r->net, NULL, diag);
	if (!rc)
		rc = augur_analyze(r->net, (uint32_t)s->batch, &r->a, diag);
	if (rc)
		return rc;
	size_t n = r->a->n_layers, reps = (size_t)s->reps;
	r->layer = calloc(n ? n : 1, sizeof(*r->layer));
	double *ms = calloc((n + 2) * reps, sizeof(double));
	double *tmp = calloc(reps, sizeof(double));
	struct augur_runtime *rt = NULL;
	if (!r->layer || !ms || !tmp) {
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, r->path, 0, 0, "out of memory");
		goto out;
	}
	r->have_rss = reset_peak_rss();
	uint64_t base = proc_status_bytes("VmRSS");
	struct augur_runtime_options opt = {(uint32_t)s->threads, s->seed, true};
	if ((rc = augur_runtime_new(r->net, r->a, &opt, &rt, diag)))
		goto out;
	augur_runtime_memory(rt, &r->mem);
	if (s->dump && (rc = dump_pass(rt, r, s->dump, diag)))
		goto out;
	for (uint64_t w = 0; w < s->warmup; w++)
		augur_runtime_forward(rt, NULL, NULL);
	/* row p of ms: n layer times, then the pass's time and its BLAS time */
	for (size_t p = 0; p < reps; p++) {
		double *row = ms + p * (n + 2);
		row[n] = augur_runtime_forward(rt, row, &row[n + 1]);
	}
	r->forward = summarise(ms + n, reps, n + 2, tmp);
	r->gemm_ms = summarise(ms + n + 1, reps, n + 2, tmp).median;
	for (size_t i = 0; i < n; i++)
		r->layer[i] = summarise(ms + i, reps, n + 2, tmp);
	uint64_t hwm = proc_status_bytes("VmHWM");
	r->have_rss = r->have_rss && base && hwm;
	r->peak_rss = hwm > base ? hwm - base : 0;
out:
	augur_runtime_free(rt);
	free(ms);
	free(tmp);
#ifdef __GLIBC__
	/* glibc keeps freed heap pages resident: the next network would reuse them and its
	 * peak would not rise above its baseline */
	malloc_trim(0);
#endif
	return rc;
}

static void result_clear(struct result *r)
{
	free(r->layer);
	augur_analysis_free(r->a);
	augur_net_free(r->net);
}

static double type_ms(const struct result *r, enum augur_layer_type t)
{
	double sum = 0;
	for (size_t i = 0; i < r->a->n_layers; i++)
		if (r->net->layers[i].type == t)
			sum += r->layer[i].median;
	return sum;
}

/* The layers' medians added up, against the pass's median. */
static double layers_ratio(const struct result *r)
{
	double total = 0;
	for (size_t i = 0; i < r->a->n_layers; i++)
		total += r->layer[i].median;
	return r->forward.median > 0 ? total / r->forward.median : 1;
}

/* How far a measurement is from a quiet one (bench/validate's rule): the passes' spread,
 * or how far the layers' medians add up from the pass's median. */
static double disturbance(const struct result *r)
{
	double off = layers_ratio(r) - 1;
	off = off < 0 ? -off : off;
	return r->forward.spread > off ? r->forward.spread : off;
}

/* A measurement over this disturbance is taken again with --retries. */
#define NOISY 0.10

static void print_table(const struct result *r, const struct settings *s, const char *blas,
                        uint32_t threads)
{
	const struct augur_runtime_memory *m = &r->mem;
	printf("network %s (%s): batch %u, %llu passes after %llu warm-up\n", r->net->name, r->path,
	       r->a->batch, (unsigned long long)s->reps, (unsigned long long)s->warmup);
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
			const struct stat3 *l = &r->layer[i];
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
			double v = type_ms(r, (enum augur_layer_type)t);
			printf("%-10s %6u %12.4f %5.1f%%\n", augur_layer_type_name(t),
			       r->a->by_type[t].layers, v,
			       r->forward.median > 0 ? 100 * v / r->forward.median : 0);
		}
	}
}

static void json_stat(const char *key, const struct stat3 *st, bool comma)
{
	printf("\"%s\": {", key);
	cli_json_num("median", st->median, true);
	cli_json_num("p10", st->p10, true);
	cli_json_num("p90", st->p90, true);
	cli_json_num("spread", st->spread, false);
	printf("}%s", comma ? ", " : "");
}

static void print_json(const struct result *rs, size_t n, const struct settings *s,
                       const char *blas, const char *config, uint32_t threads)
{
	printf("{\"runtime\": \"augur\", \"blas\": ");
	cli_json_string(stdout, blas);
	printf(", \"blas_config\": ");
	cli_json_string(stdout, config);
	printf(", \"threads\": %u, \"reps\": %llu, \"warmup\": %llu, \"seed\": %llu, \"runs\": [",
	       threads, (unsigned long long)s->reps, (unsigned long long)s->warmup,
	       (unsigned long long)s->seed);
	for (size_t k = 0; k < n; k++) {
		const struct result *r = &rs[k];
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
			cli_json_num(augur_layer_type_name(t), type_ms(r, (enum augur_layer_type)t),
			             false);
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

static void print_csv(const struct result *rs, size_t n, const struct settings *s)
{
	if (s->layers)
		printf("network,layer,type,median_ms,p10_ms,p90_ms\n");
	else
		printf("network,batch,forward_ms,p10_ms,p90_ms,spread,gemm_ms,held_bytes,"
		       "peak_rss_bytes\n");
	for (size_t k = 0; k < n; k++) {
		const struct result *r = &rs[k];
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

struct buf {
	char *p;
	size_t len, cap;
	bool failed;
};

static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct buf *b, const char *fmt, ...)
{
	for (int attempt = 0; attempt < 2 && !b->failed; attempt++) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = true;
			return;
		}
		if (b->p && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = (b->cap + (size_t)n + 1) * 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
}

/* A YAML double-quoted scalar (JSON's escapes are YAML's). */
static void put_quoted(struct buf *b, const char *s)
{
	put(b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			put(b, "\\%c", c);
		else if (c < 0x20)
			put(b, "\\x%02x", c);
		else
			put(b, "%c", c);
	}
	put(b, "\"");
}

static int write_layer_times(const struct result *rs, size_t n, const struct settings *s, int argc,
                             char **argv, const char *blas, const char *config, uint32_t threads,
                             struct augur_diag *diag)
{
	char date[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	char *cpuinfo = NULL, *cpu = NULL;
	size_t len;
	struct augur_diag ignored;
	if (!augur_read_file("/proc/cpuinfo", AUGUR_MAX_FILE_BYTES, &cpuinfo, &len, &ignored))
		cpu = augur_cpuinfo_model(cpuinfo);
	free(cpuinfo);
	const char *coretype = getenv("OPENBLAS_CORETYPE");
	struct buf b = {0};
	put(&b,
	    "# Layer times measured in augur's own runtime by augur run (docs/run.md); one row "
	    "per network.\n"
	    "# forward: median of the timed forward passes, ms; forward_spread: (p90 - p10) / "
	    "median;\n"
	    "# layers: each layer's median time inside those passes (timestamps between "
	    "layers), ms;\n"
	    "# a layer type's column is the sum of its layers; total: the sum of all layers.\n");
	put(&b, "# command: augur");
	for (int i = 0; i < argc; i++)
		put(&b, " %s", argv[i]);
	put(&b, "\n# date: %s\n# machine: %s\n# blas: %s, %u thread%s (%s)\n", date,
	    cpu ? cpu : "unknown CPU", blas, threads, threads == 1 ? "" : "s", config);
	put(&b, "# OPENBLAS_CORETYPE: %s\n", coretype ? coretype : "unset");
	put(&b,
	    "# reps: %llu forward passes after %llu warm-up; random weights (seed %llu); a "
	    "network whose spread, or whose layers' sum against its pass, is over %.0f%% is "
	    "measured again, up to %llu times, the calmest kept\n",
	    (unsigned long long)s->reps, (unsigned long long)s->warmup, (unsigned long long)s->seed,
	    100 * NOISY, (unsigned long long)s->retries);
	put(&b, "source: ");
	char source[512];
	snprintf(source, sizeof(source),
	         "augur run: augur %s runtime, %s, %u thread%s, layers timed in context, %s",
	         AUGUR_VERSION, blas, threads, threads == 1 ? "" : "s", date);
	put_quoted(&b, source);
	put(&b, "\nlayer_times:\n");
	for (size_t k = 0; k < n; k++) {
		const struct result *r = &rs[k];
		char abs[PATH_MAX];
		put(&b, "  - {network: ");
		put_quoted(&b, realpath(r->path, abs) ? abs : r->path);
		put(&b, ", board: ");
		put_quoted(&b, s->board);
		put(&b, ", unit: cpu, batch: %u, forward: %.6f, forward_spread: %.4f", r->a->batch,
		    r->forward.median, r->forward.spread);
		double total = 0;
		for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++)
			if (r->a->by_type[t].layers)
				put(&b, ", %s: %.6f", augur_layer_type_name(t),
				    type_ms(r, (enum augur_layer_type)t));
		for (size_t i = 0; i < r->a->n_layers; i++)
			total += r->layer[i].median;
		put(&b, ", total: %.6f, layers: {", total);
		for (size_t i = 0; i < r->a->n_layers; i++) {
			put(&b, "%s", i ? ", " : "");
			put_quoted(&b, r->net->layers[i].name);
			put(&b, ": %.6f", r->layer[i].median);
		}
		put(&b, "}}\n");
	}
	/* the peak RSS of each network's run (above the process before it was built), for
	 * augur fit's framework overhead: what the runtime holds beyond the allocated view */
	bool any = false;
	for (size_t k = 0; k < n; k++)
		any = any || rs[k].have_rss;
	if (any)
		put(&b, "memory_mb:\n");
	for (size_t k = 0; k < n; k++) {
		char abs[PATH_MAX];
		if (!rs[k].have_rss)
			continue;
		put(&b, "  - {network: ");
		put_quoted(&b, realpath(rs[k].path, abs) ? abs : rs[k].path);
		put(&b, ", board: ");
		put_quoted(&b, s->board);
		put(&b, ", cpu: %.4f}\n", (double)rs[k].peak_rss / 1048576.0);
	}
	free(cpu);
	int rc;
	if (b.failed)
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, s->times_out, 0, 0, "out of memory");
	else
		rc = augur_write_file_atomic(s->times_out, b.p, b.len, diag);
	free(b.p);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"batch", required_argument, NULL, 'b'},
	        {"layers", no_argument, NULL, 'l'},
	        {"reps", required_argument, NULL, 'r'},
	        {"warmup", required_argument, NULL, 'w'},
	        {"threads", required_argument, NULL, 't'},
	        {"seed", required_argument, NULL, 's'},
	        {"format", required_argument, NULL, 'f'},
	        {"dump", required_argument, NULL, 'D'},
	        {"layer-times-out", required_argument, NULL, 'o'},
	        {"board", required_argument, NULL, 'B'},
	        {"retries", required_argument, NULL, 'R'},
	        {NULL, 0, NULL, 0},
	};
	struct settings s = {0, 10, 2, 1, 1, 0, false, CLI_TABLE, NULL, NULL, "augur"};
	int c;
	while ((c = cli_getopt(argc, argv, "b:lr:w:t:s:f:D:o:B:R:", opts)) != -1) {
		int bad = 0;
		switch (c) {
		case 'b':
			bad = cli_parse_uint("run", "--batch", optarg, AUGUR_MAX_BATCH, &s.batch);
			break;
		case 'l':
			s.layers = true;
			break;
		case 'r':
			bad = cli_parse_uint("run", "--reps", optarg, 100000, &s.reps);
			break;
		case 'w':
			if (!strcmp(optarg, "0"))
				s.warmup = 0;
			else
				bad = cli_parse_uint("run", "--warmup", optarg, 100000, &s.warmup);
			break;
		case 't':
			bad = cli_parse_uint("run", "--threads", optarg, 1024, &s.threads);
			break;
		case 's':
			bad = cli_parse_uint("run", "--seed", optarg, UINT32_MAX, &s.seed);
			break;
		case 'f':
			bad = cli_parse_format("run", optarg, &s.format);
			break;
		case 'D':
			s.dump = optarg;
			break;
		case 'o':
			s.times_out = optarg;
			break;
		case 'B':
			s.board = optarg;
			break;
		case 'R':
			if (!strcmp(optarg, "0"))
				s.retries = 0;
			else
				bad = cli_parse_uint("run", "--retries", optarg, 100, &s.retries);
			break;
		default:
			return CLI_USAGE;
		}
		if (bad)
			return CLI_USAGE;
	}
	size_t n = (size_t)(argc - optind);
	if (n < 1)
		return cli_usage_error("run", "expects a descriptor (usage: %s)",
		                       augur_command_find("run")->usage);
	if (s.dump && n != 1)
		return cli_usage_error("run", "--dump takes one network, not %zu", n);
	if (!s.board || !*s.board)
		return cli_usage_error("run", "--board needs a name");
	struct result *rs = calloc(n, sizeof(*rs));
	if (!rs) {
		fprintf(stderr, "augur run: out of memory\n");
		return CLI_FAIL;
	}
	struct augur_diag diag = {0};
	int rc = CLI_OK;
	size_t done = 0;
	for (; done < n; done++) {
		rs[done].path = argv[optind + done];
		if (measure(&rs[done], &s, &diag)) {
			rc = cli_report(&diag);
			done++;
			goto out;
		}
		/* another program ran during the passes: measure again, keep the calmest */
		for (uint64_t k = 0; k < s.retries && disturbance(&rs[done]) > NOISY; k++) {
			fprintf(stderr,
			        "augur run: %s: disturbed (spread %.1f%%, layers sum %.2fx the "
			        "pass), measuring again (%llu of %llu)\n",
			        rs[done].net->name, 100 * rs[done].forward.spread,
			        layers_ratio(&rs[done]), (unsigned long long)k + 1,
			        (unsigned long long)s.retries);
			struct result again = {.path = rs[done].path};
			if (measure(&again, &s, &diag)) {
				result_clear(&again);
				rc = cli_report(&diag);
				done++;
				goto out;
			}
			bool calmer = disturbance(&again) < disturbance(&rs[done]);
			result_clear(calmer ? &rs[done] : &again);
			if (calmer)
				rs[done] = again;
		}
		if (n > 1 && s.times_out)
			fprintf(stderr, "[%zu/%zu] %s: forward %.3f ms (spread %.1f%%)\n", done + 1,
			        n, rs[done].net->name, rs[done].forward.median,
			        100 * rs[done].forward.spread);
	}
	uint32_t threads;
	const char *config = augur_runtime_blas(&threads);
	char blas[128]; /* "OpenBLAS 0.3.21 (SkylakeX)": the config's first two words */
	int words = (int)strcspn(config, " ");
	if (config[words] == ' ')
		words += 1 + (int)strcspn(config + words + 1, " ");
	snprintf(blas, sizeof(blas), "%.*s (%s)", words, config, augur_runtime_blas_core());
	if (s.times_out && write_layer_times(rs, n, &s, argc, argv, blas, config, threads, &diag)) {
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
		result_clear(&rs[k]);
	free(rs);
	return rc;
}
