/* Measuring networks in augur's own runtime (see netbench.h). */
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

#include "augur-config.h"
#include "fileio.h"
#include "machine.h"
#include "netbench.h"
#include "netfile.h"
#include "stats.h"

/* Statistics of v[0], v[stride], ... (n values); sorts a copy in tmp. */
static struct augur_times summarise(const double *v, size_t n, size_t stride, double *tmp)
{
	for (size_t i = 0; i < n; i++)
		tmp[i] = v[i * stride];
	qsort(tmp, n, sizeof(double), augur_cmp_double);
	/* numpy's quantiles, as bench/validate, so the median too is interpolated */
	struct augur_times s;
	s.median = augur_quantile_sorted(tmp, n, 0.5);
	s.p10 = augur_quantile_sorted(tmp, n, 0.1);
	s.p90 = augur_quantile_sorted(tmp, n, 0.9);
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
static int dump_pass(struct augur_runtime *rt, const struct augur_net_run *r, const char *dir,
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

/* One measurement of the network at r->path into r. */
static int measure_once(struct augur_net_run *r, const struct augur_netbench_options *s,
                        struct augur_diag *diag)
{
	int rc = (s->load ? s->load : augur_net_load)(r->path, &r->net, diag);
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

void augur_net_run_clear(struct augur_net_run *r)
{
	/* clang 14's analyzer does not see augur_netbench_measure_list replace *r by a new
	 * measurement after clearing it, and reports a second free of the old pointer */
	free(r->layer); // NOLINT(clang-analyzer-unix.Malloc)
	augur_analysis_free(r->a);
	augur_net_free(r->net);
	r->layer = NULL;
	r->a = NULL;
	r->net = NULL;
}

double augur_net_run_type_ms(const struct augur_net_run *r, enum augur_layer_type t)
{
	double sum = 0;
	for (size_t i = 0; i < r->a->n_layers; i++)
		if (r->net->layers[i].type == t)
			sum += r->layer[i].median;
	return sum;
}

double augur_net_run_layers_ratio(const struct augur_net_run *r)
{
	double total = 0;
	for (size_t i = 0; i < r->a->n_layers; i++)
		total += r->layer[i].median;
	return r->forward.median > 0 ? total / r->forward.median : 1;
}

double augur_net_run_disturbance(const struct augur_net_run *r)
{
	double off = augur_net_run_layers_ratio(r) - 1;
	off = off < 0 ? -off : off;
	double d = r->forward.spread > off ? r->forward.spread : off;
	return r->slowdown > AUGUR_NETBENCH_SLOWED && r->slowdown > d ? r->slowdown : d;
}

/* A relu, a pool and a 3x3 conv of 38 MMACs with a 2.4 MiB column buffer: about 4 MiB in
 * all, held in the caches, a fraction of a millisecond on one core. A probe that outgrew
 * the last-level cache (37 MiB, tried first) ran 10-40% slower after a large network had
 * evicted it, on a quiet machine: every network then looked disturbed. */
static const char probe_yaml[] = "name: speed-probe\n"
                                 "input: [16, 128, 128]\n"
                                 "layers:\n"
                                 "  - {name: r, type: relu}\n"
                                 "  - {name: p, type: pool, op: max, kernel: 2, stride: 2}\n"
                                 "  - {name: c, type: conv, filters: 64, kernel: 3, pad: 1}\n"
                                 "  - {name: s, type: sigmoid}\n";

int augur_speed_probe_new(struct augur_speed_probe *p, struct augur_diag *diag)
{
	*p = (struct augur_speed_probe){.usual_ms = 0};
	/* the threads the networks around it set; random values (an unset buffer may hold
	 * denormals, which the sigmoid would be slow on) */
	struct augur_runtime_options opt = {0, 1, true};
	int rc = augur_net_parse("speed-probe.yaml", probe_yaml, sizeof(probe_yaml) - 1, &p->net,
	                         NULL, diag);
	if (!rc)
		rc = augur_analyze(p->net, 1, &p->a, diag);
	if (!rc)
		rc = augur_runtime_new(p->net, p->a, &opt, &p->rt, diag);
	if (rc)
		augur_speed_probe_free(p);
	return rc;
}

void augur_speed_probe_free(struct augur_speed_probe *p)
{
	augur_runtime_free(p->rt);
	augur_analysis_free(p->a);
	augur_net_free(p->net);
	*p = (struct augur_speed_probe){.usual_ms = 0};
}

double augur_speed_probe_run(struct augur_speed_probe *p)
{
	double best = 0;
	for (int i = 0; i < 5; i++) {
		double t = augur_runtime_forward(p->rt, NULL, NULL);
		best = i == 0 || t < best ? t : best;
	}
	p->recent[p->runs++ % AUGUR_PROBE_RECENT] = best;
	size_t n = p->runs < AUGUR_PROBE_RECENT ? (size_t)p->runs : AUGUR_PROBE_RECENT;
	double sorted[AUGUR_PROBE_RECENT];
	memcpy(sorted, p->recent, n * sizeof(double));
	qsort(sorted, n, sizeof(double), augur_cmp_double);
	p->usual_ms = augur_quantile_sorted(sorted, n, 0.25);
	return best;
}

double augur_speed_probe_usual(void)
{
	struct augur_speed_probe p;
	struct augur_diag ignored;
	if (augur_speed_probe_new(&p, &ignored))
		return 0;
	for (int i = 0; i < AUGUR_PROBE_SETTLE; i++)
		augur_speed_probe_run(&p);
	double usual = p.usual_ms;
	augur_speed_probe_free(&p);
	return usual;
}

/* measure_once between two runs of the probe, when there is one */
static int measure_probed(struct augur_net_run *r, const struct augur_netbench_options *o,
                          struct augur_diag *diag)
{
	double before = o->probe ? augur_speed_probe_run(o->probe) : 0;
	int rc = measure_once(r, o, diag);
	if (o->probe) {
		double after = augur_speed_probe_run(o->probe);
		double worst = before > after ? before : after;
		r->slowdown = o->probe->usual_ms > 0 && worst > o->probe->usual_ms
		                      ? worst / o->probe->usual_ms - 1
		                      : 0;
	}
	return rc;
}

static double judged(const struct augur_netbench_options *o, const struct augur_net_run *r)
{
	return o->disturbance ? o->disturbance(r, o->ctx) : augur_net_run_disturbance(r);
}

static bool stop_asked(const struct augur_netbench_options *o)
{
	return o->stop && o->stop(o->ctx);
}

int augur_netbench_measure_list(const char *const *paths, size_t n,
                                const struct augur_netbench_options *o, struct augur_net_run *runs,
                                size_t *filled, struct augur_diag *diag)
{
	int rc = AUGUR_OK;
	*filled = 0;
	for (size_t k = 0; k < n; k++) {
		if (stop_asked(o))
			return AUGUR_OK;
		if (o->next)
			o->next(k, paths[k], o->ctx);
		runs[k] = (struct augur_net_run){.path = paths[k]};
		*filled = k + 1;
		if ((rc = measure_probed(&runs[k], o, diag)))
			return rc;
		if (o->measured)
			o->measured(&runs[k], k, o->ctx);
	}
	struct augur_netbench_options again_opt = *o;
	again_opt.dump = NULL; /* written once is enough */
	for (uint64_t round = 0; round < o->retries; round++)
		for (size_t k = 0; k < n; k++) {
			if (judged(o, &runs[k]) <= AUGUR_NETBENCH_NOISY)
				continue;
			if (stop_asked(o))
				return AUGUR_OK;
			if (o->retrying)
				o->retrying(&runs[k], round, o->ctx);
			struct augur_net_run again = {.path = paths[k]};
			rc = measure_probed(&again, &again_opt, diag);
			if (!rc && judged(o, &again) < judged(o, &runs[k])) {
				augur_net_run_clear(&runs[k]);
				runs[k] = again;
			} else {
				augur_net_run_clear(&again);
			}
			if (rc)
				return rc;
		}
	return AUGUR_OK;
}

void augur_netbench_blas(char *buf, size_t size, const char **config, uint32_t *threads)
{
	*config = augur_runtime_blas(threads);
	/* "OpenBLAS 0.3.21 (SkylakeX)": the configuration's first two words and the core */
	int words = (int)strcspn(*config, " ");
	if ((*config)[words] == ' ')
		words += 1 + (int)strcspn(*config + words + 1, " ");
	snprintf(buf, size, "%.*s (%s)", words, *config, augur_runtime_blas_core());
}

/* A YAML double-quoted scalar (JSON's escapes are YAML's). */
static void put_quoted(struct augur_strbuf *b, const char *s)
{
	augur_strbuf_put(b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			augur_strbuf_put(b, "\\%c", c);
		else if (c < 0x20)
			augur_strbuf_put(b, "\\x%02x", c);
		else
			augur_strbuf_put(b, "%c", c);
	}
	augur_strbuf_put(b, "\"");
}

void augur_netbench_layer_times(const struct augur_net_run *rs, size_t n,
                                const struct augur_netbench_options *s, const char *board,
                                const char *command, struct augur_strbuf *out)
{
	uint32_t threads;
	const char *config;
	char blas[128];
	augur_netbench_blas(blas, sizeof(blas), &config, &threads);
	char date[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	char *cpu = augur_machine_cpu_model();
	const char *coretype = getenv("OPENBLAS_CORETYPE");
	struct augur_strbuf *b = out;
	augur_strbuf_put(
	        b,
	        "# Layer times measured in augur's own runtime by augur run (docs/run.md); one row "
	        "per network.\n"
	        "# forward: median of the timed forward passes, ms; forward_spread: (p90 - p10) / "
	        "median;\n"
	        "# layers: each layer's median time inside those passes (timestamps between "
	        "layers), ms;\n"
	        "# a layer type's column is the sum of its layers; total: the sum of all layers.\n");
	augur_strbuf_put(b, "# command: %s", command);
	augur_strbuf_put(b, "\n# date: %s\n# machine: %s\n# blas: %s, %u thread%s (%s)\n", date,
	                 cpu ? cpu : "unknown CPU", blas, threads, threads == 1 ? "" : "s", config);
	augur_strbuf_put(b, "# OPENBLAS_CORETYPE: %s\n", coretype ? coretype : "unset");
	augur_strbuf_put(
	        b,
	        "# reps: %llu forward passes after %llu warm-up; random weights (seed %llu); a "
	        "network whose spread, or whose layers' sum against its pass, is over %.0f%% is "
	        "measured again, up to %llu times, each after every other network, the calmest "
	        "kept\n",
	        (unsigned long long)s->reps, (unsigned long long)s->warmup,
	        (unsigned long long)s->seed, 100 * AUGUR_NETBENCH_NOISY,
	        (unsigned long long)s->retries);
	augur_strbuf_put(b, "source: ");
	char source[512];
	snprintf(source, sizeof(source),
	         "augur run: augur %s runtime, %s, %u thread%s, layers timed in context, %s",
	         AUGUR_VERSION, blas, threads, threads == 1 ? "" : "s", date);
	put_quoted(b, source);
	/* what the times are for (docs/profiles.md): augur's runtime allocates every buffer
	 * once, before the passes, and touches them in the same order every pass (the pass
	 * cliff of docs/model.md), and its max pooling writes no indices */
	augur_strbuf_put(b, "\nframework:\n  name: \"augur\"\n  version: ");
	put_quoted(b, AUGUR_VERSION);
	augur_strbuf_put(b, "\n  library: ");
	put_quoted(b, blas);
	augur_strbuf_put(b, "\n  threads: %u\n  pool_index_bytes: 0\n  pass_cliff: true\n",
	                 threads);
	augur_strbuf_put(b, "layer_times:\n");
	for (size_t k = 0; k < n; k++) {
		const struct augur_net_run *r = &rs[k];
		char abs[PATH_MAX];
		augur_strbuf_put(b, "  - {network: ");
		put_quoted(b, realpath(r->path, abs) ? abs : r->path);
		augur_strbuf_put(b, ", board: ");
		put_quoted(b, board);
		augur_strbuf_put(b, ", unit: cpu, batch: %u, forward: %.6f, forward_spread: %.4f",
		                 r->a->batch, r->forward.median, r->forward.spread);
		double total = 0;
		for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++)
			if (r->a->by_type[t].layers)
				augur_strbuf_put(
				        b, ", %s: %.6f", augur_layer_type_name(t),
				        augur_net_run_type_ms(r, (enum augur_layer_type)t));
		for (size_t i = 0; i < r->a->n_layers; i++)
			total += r->layer[i].median;
		augur_strbuf_put(b, ", total: %.6f, layers: {", total);
		for (size_t i = 0; i < r->a->n_layers; i++) {
			augur_strbuf_put(b, "%s", i ? ", " : "");
			put_quoted(b, r->net->layers[i].name);
			augur_strbuf_put(b, ": %.6f", r->layer[i].median);
		}
		augur_strbuf_put(b, "}}\n");
	}
	/* the peak RSS of each network's run (above the process before it was built), for
	 * augur fit's framework overhead: what the runtime holds beyond the allocated view */
	bool any = false;
	for (size_t k = 0; k < n; k++)
		any = any || rs[k].have_rss;
	if (any)
		augur_strbuf_put(b, "memory_mb:\n");
	for (size_t k = 0; k < n; k++) {
		char abs[PATH_MAX];
		if (!rs[k].have_rss)
			continue;
		augur_strbuf_put(b, "  - {network: ");
		put_quoted(b, realpath(rs[k].path, abs) ? abs : rs[k].path);
		augur_strbuf_put(b, ", board: ");
		put_quoted(b, board);
		augur_strbuf_put(b, ", cpu: %.4f}\n", (double)rs[k].peak_rss / 1048576.0);
	}
	free(cpu);
}
