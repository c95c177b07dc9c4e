/* augur calibrate: runs the GEMM harness on this machine, fits the unit's time model and
 * writes the device profile atomically at the end, so an interrupted run (Ctrl-C, SIGTERM)
 * leaves the existing profile untouched and prints what it had measured, until the new
 * profile is complete (only the drift left to measure). Progress is a bar on a terminal
 * and nothing otherwise (--progress lines: one line per shape). */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "augur-config.h"
#include "cli.h"
#include "options.h"
#include "datadir.h"
#include "calprofile.h"
#include "campaign.h"
#include "fileio.h"
#include "harness.h"
#include "layertimes.h"
#include "machine.h"
#include "netbench.h"
#include "profile.h"
#include "runtime.h"
#include "strbuf.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void progress_text(char *buf, size_t size, const struct augur_cal_progress *p)
{
	const struct augur_cal_shape *s = p->shape;
	snprintf(buf, size, "[%3zu/%zu] %llux%llux%llu %s%s  elapsed %.0fs  ETA %.0fs",
	         p->index + 1, p->total, (unsigned long long)s->n, (unsigned long long)s->k,
	         (unsigned long long)s->m, s->fc ? "fc" : "conv", s->held_out ? " held-out" : "",
	         p->elapsed_s, p->eta_s);
}

/* --progress bar: one line redrawn in place, for a terminal */
static void progress_bar(const struct augur_cal_progress *p, void *ctx)
{
	(void)ctx;
	char text[160];
	progress_text(text, sizeof(text), p);
	fprintf(stderr, "\r\033[K%s", text);
	fflush(stderr);
}

/* --progress lines: one plain line per shape, for log files */
static void progress_lines(const struct augur_cal_progress *p, void *ctx)
{
	(void)ctx;
	char text[160];
	progress_text(text, sizeof(text), p);
	fprintf(stderr, "augur calibrate: %s\n", text);
	fflush(stderr);
}

/* Fails before anything is measured when the profile could not be written at the end:
 * path must not be a directory and its directory must exist and be writable (the file is
 * written as a temporary beside it, then renamed). */
static int check_writable(const char *path)
{
	struct augur_diag diag = {0};
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		augur_diag_fill(&diag, AUGUR_E_IO, path, 0, 0,
		                "is a directory, not a profile file");
		return cli_report(&diag);
	}
	char copy[2300];
	snprintf(copy, sizeof(copy), "%s", path);
	const char *dir = dirname(copy);
	if (access(dir, W_OK) != 0) {
		augur_diag_fill(&diag, AUGUR_E_IO, path, 0, 0,
		                "cannot write the profile: directory '%s': %s", dir,
		                strerror(errno));
		return cli_report(&diag);
	}
	return CLI_OK;
}

static bool valid_name(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

static void print_samples(const struct augur_unit *u)
{
	printf("%-6s %6s %6s %6s %-5s %12s %8s\n", "#", "n", "k", "m", "kind", "time_ms", "spread");
	for (size_t i = 0; i < u->n_samples; i++) {
		const struct augur_sample *s = &u->samples[i];
		printf("%-6zu %6llu %6llu %6llu %-5s %12.6f %7.1f%%%s\n", i + 1,
		       (unsigned long long)s->gemms->n, (unsigned long long)s->gemms->k,
		       (unsigned long long)s->gemms->m, s->fc_layout ? "fc" : "conv", s->time_ms,
		       100 * s->spread, s->held_out ? "  held-out" : "");
	}
}

static void print_breaks(const char *axis, const uint64_t *b, uint32_t n)
{
	printf(" %s [", axis);
	for (uint32_t i = 0; i < n; i++)
		printf("%s%llu", i ? ", " : "", (unsigned long long)b[i]);
	printf("]");
}

/* Held-out total predicted by a previously saved model of the same unit: the run-to-run
 * agreement check. */
static double heldout_total(const struct augur_timemodel *tm, const struct augur_unit *u)
{
	double t = 0;
	for (size_t i = 0; i < u->n_samples; i++)
		if (u->samples[i].held_out)
			t += augur_sample_predict(tm, &u->samples[i]);
	return t;
}

/* How good the calibration is against its goals (held-out median at most 5% for the full
 * grid, 10% for the quick one; the tiny grid is for testing augur), and whether the
 * machine looked busy (over a quarter of the shapes still noisy after re-measuring). */
static void verdict(const char *grid, const struct augur_unit *u, const struct augur_cal_result *r)
{
	const struct augur_fit_quality *q = &u->quality;
	if (!strcmp(grid, "tiny")) {
		printf("verdict: a tiny test grid; its model is valid for small GEMMs only\n");
		return;
	}
	double goal = !strcmp(grid, "quick") ? 0.10 : 0.05;
	if (!q->n_heldout) {
		printf("verdict: no held-out shape was measured (raise --budget): accuracy unknown\n");
	} else if (q->heldout_median_rel_err <= goal) {
		printf("verdict: held-out median error %.1f%% meets the goal (at most %.0f%% for the "
		       "%s grid)\n",
		       100 * q->heldout_median_rel_err, 100 * goal, grid);
	} else {
		printf("verdict: held-out median error %.1f%% misses the goal (at most %.0f%% for the "
		       "%s grid)\n",
		       100 * q->heldout_median_rel_err, 100 * goal, grid);
	}
	if (r->measured && 4 * r->still_noisy > r->measured)
		printf("machine busy? %zu of %zu shapes stayed noisy after re-measuring: run again "
		       "when the machine is quiet\n",
		       r->still_noisy, r->measured);
}

static void summary(const char *device, const struct augur_unit *u,
                    const struct augur_cal_result *r, const struct augur_unit *old, bool verbose)
{
	const struct augur_timemodel *tm = &u->gemm;
	const struct augur_fit_quality *q = &u->quality;
	printf("calibrated %s of '%s': %zu shapes in %.1f s (fit %.1f s), %zu re-measured, %zu "
	       "still noisy; best %.0f GFLOPS\n",
	       augur_unit_kind_name(u->kind), device, r->measured, r->measure_s, r->fit_s,
	       r->remeasured, r->still_noisy, r->gflops_best);
	if (r->skipped && verbose)
		printf("skipped %zu shapes to stay within the time budget: %s\n", r->skipped,
		       r->skipped_what);
	else if (r->skipped)
		printf("skipped %zu of %zu shapes to stay within the time budget (--budget raises "
		       "it; --verbose lists them)\n",
		       r->skipped, r->planned + r->skipped);
	printf("model: %u regions, breaks", (tm->n_breaks_n + 1) * (tm->n_breaks_m + 1));
	print_breaks("n", tm->breaks_n, tm->n_breaks_n);
	print_breaks("m", tm->breaks_m, tm->n_breaks_m);
	printf("\nfit: train median error %.2f%% over %zu samples (%zu dropped as outliers)\n",
	       100 * q->train_median_rel_err, q->n_train, q->n_dropped);
	if (q->n_heldout) {
		printf("held-out: median error %.2f%%, max %.2f%% over %zu shapes (%zu outside the "
		       "calibrated range)\n",
		       100 * q->heldout_median_rel_err, 100 * q->heldout_max_rel_err, q->n_heldout,
		       r->heldout_outside);
		printf("held-out total: measured %.3f ms, predicted %.3f ms (%+.2f%%)\n",
		       r->heldout_measured_ms, r->heldout_predicted_ms,
		       100 * (r->heldout_predicted_ms / r->heldout_measured_ms - 1));
		if (old) {
			double prev = heldout_total(&old->gemm, u);
			printf("run-to-run: the previous profile predicts the held-out total %.3f ms, "
			       "this one %.3f ms (%+.2f%%)\n",
			       prev, r->heldout_predicted_ms,
			       100 * (r->heldout_predicted_ms / prev - 1));
		}
	}
}

/* mkdir -p: every missing directory of path (0777 before the umask); 0 or -1 (errno). */
static int make_dirs(const char *path)
{
	char p[2048];
	snprintf(p, sizeof(p), "%s", path);
	for (char *s = p + 1;; s++) {
		if (*s == '/' || !*s) {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST)
				return -1;
			*s = c;
			if (!c)
				return 0;
		}
	}
}

struct calibrate_args {
	const char *device, *unit, *grid, *out, *description, *progress, *framework, *times_out,
	        *mkldnn;
	uint64_t threads, budget_s, trial_ms;
	bool quick, verbose, resume;
};

static const char *const cal_units[] = {"cpu", "gpu", NULL};
/* the measurement adapters (campaign.h), then blas: GEMM calls alone */
static const char *const frameworks[] = {"augur", "pytorch", "blas", NULL};
static const char *const on_off[] = {"on", "off", NULL};
static const char *const grids[] = {"full", "quick", "tiny", NULL};
static const char *const progress_modes[] = {"auto", "bar", "lines", "none", NULL};

static const struct cli_opt calibrate_opts[] = {
        {.name = "device",
         .type = CLI_OPT_STRING,
         .field = offsetof(struct calibrate_args, device),
         .arg = "NAME",
         .help = "the profile's name (letters, digits, '-', '_', '.')",
         .required = "the new profile's name"},
        CLI_CHOICE("unit", struct calibrate_args, unit, cal_units, "cpu|gpu",
                   "the processing unit to calibrate (default cpu)"),
        CLI_UINT("threads", struct calibrate_args, threads, 1, 1024, "N",
                 "BLAS threads (default: OpenBLAS's own choice, which\n"
                 "follows $OPENBLAS_NUM_THREADS); the profile records it"),
        CLI_CHOICE("framework", struct calibrate_args, framework, frameworks, "F",
                   "what the profile's times are for: augur (the default\n"
                   "for the cpu), augur's own runtime: the GEMM model,\n"
                   "then every layer type's cost fitted to the shipped\n"
                   "fit networks run in it (augur run), checked on\n"
                   "shipped networks it did not fit; pytorch: the same\n"
                   "campaign measured in PyTorch (python3 with torch;\n"
                   "bench/validate measure); or blas (the gpu's only\n"
                   "one): GEMM calls alone, the paper's method, a profile\n"
                   "that costs conv and fc layers only (docs/adapters.md)"),
        CLI_CHOICE("mkldnn", struct calibrate_args, mkldnn, on_off, "on|off",
                   "--framework pytorch: oneDNN convolutions (default off:\n"
                   "im2col + sgemm, as Caffe and augur's runtime)"),
        CLI_FLAG("quick", struct calibrate_args, quick,
                 "a subset of the grid and shorter trials (~15 s)"),
        CLI_CHOICE("grid", struct calibrate_args, grid, grids, "G",
                   "full (default), quick (= --quick) or tiny: 18 small\n"
                   "shapes in about a second, for testing augur itself\n"
                   "(its model is valid for small GEMMs only)"),
        CLI_STRING("out", struct calibrate_args, out, "FILE",
                   "write FILE instead (estimate takes a path as --device)"),
        CLI_UINT("budget", struct calibrate_args, budget_s, 1, 86400, "SECONDS",
                 "measuring time budget (default 240, quick 14, tiny 10)"),
        CLI_STRING("layer-times-out", struct calibrate_args, times_out, "FILE",
                   "also write the fit networks' measurements (--framework\n"
                   "augur or pytorch) as a layer-times file, for 'augur fit\n"
                   "--layer-times'"),
        CLI_STRING("description", struct calibrate_args, description, "TEXT",
                   "the profile's one-line description"),
        {.name = "progress",
         .type = CLI_OPT_CHOICE,
         .field = offsetof(struct calibrate_args, progress),
         .choices = progress_modes,
         .noun = "progress mode",
         .arg = "P",
         .help = "auto (a bar on a terminal, else nothing), bar, lines\n"
                 "(one line per shape, for logs) or none"},
        CLI_UINT("trial-ms", struct calibrate_args, trial_ms, 1, 10000, "MS",
                 "each of a shape's timing trials repeats the GEMM for at\n"
                 "least MS ms (default 40, quick 15, tiny 2)"),
        CLI_FLAG("verbose", struct calibrate_args, verbose,
                 "list the shapes the time budget made it skip"),
        CLI_FLAG("resume", struct calibrate_args, resume,
                 "continue a calibration that was interrupted (Ctrl-C)\n"
                 "or failed during its layer-cost campaign: its GEMM\n"
                 "model and the networks measured so far are kept in\n"
                 "PROFILE.partial/ beside the profile"),
        CLI_END,
};

const struct cli_spec cmd_calibrate_spec = {"calibrate", calibrate_opts, 0,
                                            0,           "no argument",  false};

/* The options into the harness's; the usage rules the table cannot say. */
static int options(struct calibrate_args *o, struct augur_cal_options *opt)
{
	if (!valid_name(o->device))
		return cli_usage_error("calibrate",
		                       "device name '%s' must be 1 to 64 letters, digits, '-', "
		                       "'_' or '.'",
		                       o->device);
	/* --quick is --grid quick: two different grids contradict each other */
	if (o->quick && o->grid && strcmp(o->grid, "quick"))
		return cli_usage_error("calibrate",
		                       "--quick and --grid %s contradict each other (--quick is "
		                       "--grid quick)",
		                       o->grid);
	if (!o->grid)
		o->grid = o->quick ? "quick" : "full";
	bool gpu = o->unit && !strcmp(o->unit, "gpu");
	if (o->times_out && o->framework && !strcmp(o->framework, "blas"))
		return cli_usage_error("calibrate", "--layer-times-out writes the measurements of "
		                                    "a layer-cost campaign (--framework augur or "
		                                    "pytorch), and blas has none");
	if (gpu && o->framework && strcmp(o->framework, "blas"))
		return cli_usage_error("calibrate",
		                       "%s runs on the cpu: --unit gpu calibrates GEMM calls "
		                       "alone (--framework blas)",
		                       strcmp(o->framework, "augur") ? "PyTorch's campaign"
		                                                     : "augur's runtime");
	if (o->mkldnn && (!o->framework || strcmp(o->framework, "pytorch")))
		return cli_usage_error("calibrate", "--mkldnn is a setting of --framework pytorch");
	if (!o->framework)
		o->framework = gpu ? "blas" : "augur";
	augur_cal_options_init(opt, o->unit && !strcmp(o->unit, "gpu") ? AUGUR_UNIT_GPU
	                                                               : AUGUR_UNIT_CPU);
	opt->threads = (uint32_t)o->threads;
	if (!strcmp(o->grid, "quick"))
		opt->quick = true;
	else if (!strcmp(o->grid, "tiny"))
		augur_cal_options_tiny(opt);
	if (o->budget_s)
		opt->budget_s = (double)o->budget_s;
	if (o->trial_ms)
		opt->min_time_ms = (double)o->trial_ms;
	bool bar = !strcmp(o->progress, "bar") ||
	           (!strcmp(o->progress, "auto") && isatty(STDERR_FILENO));
	if (bar)
		opt->progress = progress_bar;
	else if (!strcmp(o->progress, "lines"))
		opt->progress = progress_lines;
	return CLI_OK;
}

/* Where the profile goes: --out, or NAME.yaml in the user's profile directory, where
 * estimate --device NAME finds it (never the source tree or the current directory). */
static int output_path(const struct calibrate_args *o, char *path, size_t size)
{
	if (o->out) {
		snprintf(path, size, "%s", o->out);
		return check_writable(path);
	}
	char dir[2048];
	if (augur_user_profile_dir(dir, sizeof(dir)) || make_dirs(dir)) {
		cli_error("calibrate",
		          "cannot create the profile directory '%s': %s (give "
		          "--out FILE)",
		          dir, dir[0] ? strerror(errno) : "neither XDG_DATA_HOME nor HOME is set");
		return CLI_FAIL;
	}
	snprintf(path, size, "%s/%s.yaml", dir, o->device);
	return check_writable(path);
}

/* An existing profile keeps its other unit and serves the run-to-run check; one that does
 * not load is replaced, with a warning. */
static struct augur_profile *existing(const char *path)
{
	struct augur_diag diag = {0};
	struct augur_profile *old = NULL;
	if (access(path, F_OK) != 0 || !augur_profile_load(path, &old, &diag))
		return old;
	char line[AUGUR_DIAG_PATH_MAX + AUGUR_DIAG_MSG_MAX + 64];
	augur_diag_format(&diag, line, sizeof(line));
	cli_warning("calibrate",
	            "the existing profile does not load (%s); it will be "
	            "replaced",
	            line);
	return NULL;
}

/* Ctrl-C and SIGTERM set 'interrupted', which stops the GEMM sweep between trials and the
 * campaign between networks (the profile is then not written, and --resume continues).
 * Once the fit and the checks are done, only the drift is left: a diagnostic that the
 * profile does not need. A stop then skips it and the profile is written (exit 0, "drift:
 * not measured (interrupted ...)"): the user wants to stop waiting, and refusing would
 * throw away a finished profile, or make --resume measure the checks again for a figure
 * that only qualifies them. The handler stays until the caller restores prev: once
 * measuring is over the signal is ignored, so it cannot kill the process halfway through
 * the final write. */
static void catch_signals(struct sigaction prev[2])
{
	struct sigaction sa = {0};
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &prev[0]);
	sigaction(SIGTERM, &sa, &prev[1]);
}

/* Runs the harness, stopped by 'interrupted'. */
static int measure(struct augur_cal_options *opt, struct augur_unit **u,
                   struct augur_cal_result *res, struct augur_diag *diag)
{
	opt->stop = &interrupted;
	int st = augur_calibrate(opt, u, res, diag);
	if (opt->progress == progress_bar)
		fprintf(stderr, "\r\033[K");
	return st;
}

/* A BLAS that runs kernels older than the CPU: the profile is right for it, and a user
 * who deploys with other kernels must calibrate with them (Debian's OpenBLAS 0.3.21 ran
 * its Prescott kernels on an Intel Xeon family 6 model 207, docs/profiles.md). */
static void blas_kernels_note(void)
{
	const char *core = augur_runtime_blas_core();
	const char *behind = augur_machine_blas_kernels_behind(core);
	if (behind)
		cli_wrapf(
		        stdout, 2,
		        "note: OpenBLAS runs its %s kernels, which predate this CPU's %s (it does "
		        "not know this CPU): GEMMs run slower here than the CPU allows "
		        "(OPENBLAS_CORETYPE=%s selects kernels that use it). The profile holds "
		        "for this OpenBLAS as it runs; where the deployment sets "
		        "OPENBLAS_CORETYPE or links a newer OpenBLAS, calibrate with the same",
		        core, behind, strcmp(behind, "AVX-512") ? "Haswell" : "SkylakeX");
}

/* The machine facts the layer-cost thresholds come from, as measured. */
static void machine_facts(const struct augur_machine_facts *m)
{
	char llc[32], eff[32];
	cli_bytes(llc, sizeof(llc), m->llc_bytes);
	cli_bytes(eff, sizeof(eff), m->llc_effective_bytes);
	if (m->llc_effective_bytes)
		cli_wrapf(stdout, 2,
		          "machine: last-level cache %s as the system reports it; reads at cache "
		          "speed up to %s (measured: the layer costs' thresholds use this)",
		          m->llc_bytes ? llc : "unknown", eff);
	else
		cli_wrapf(
		        stdout, 2,
		        "machine: last-level cache %s as the system reports it (reading ever larger "
		        "buffers showed no clear fall to memory speed)",
		        m->llc_bytes ? llc : "unknown");
	if (!isnan(m->stream_gib_per_s))
		printf("  streaming reads %.3g GiB/s\n", m->stream_gib_per_s);
	if (!isnan(m->fault_ms_per_mib))
		printf("  page faults %.3g ms per MiB of fresh pages\n", m->fault_ms_per_mib);
	if (m->probe_ms > 0)
		printf("  reference workload %.3f ms (augur run --device compares with it)\n",
		       m->probe_ms);
}

/* ---- the layer-cost campaign (--framework augur) ------------------------------------ */

/* What a grid measures of the campaign: how many of the fit networks (every n-th), the
 * passes, and the shipped networks that check the fit. */
struct campaign_plan {
	size_t every;
	size_t most;
	uint64_t reps, retries;
	const char *const *checks;
};

static const char *const checks_full[] = {"alexnet",    "googlenet", "resnet18",
                                          "resnet50",   "nin",       "mobilenetv2",
                                          "squeezenet", "kws",       NULL};
static const char *const checks_quick[] = {"alexnet", "squeezenet", "nin", "kws", NULL};
static const char *const checks_tiny[] = {"kws", NULL};

static struct campaign_plan campaign_plan(const char *grid)
{
	if (!strcmp(grid, "tiny"))
		return (struct campaign_plan){16, 6, 2, 0, checks_tiny};
	if (!strcmp(grid, "quick"))
		return (struct campaign_plan){3, 100, 3, 1, checks_quick};
	return (struct campaign_plan){1, 1000, 5, 2, checks_full};
}

static int by_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The fit networks of the plan: DATA/bench/nets/fit/ in a source tree, DATA/nets/fit/ when
 * installed, sorted by name. *paths (each string and the array) is freed by the caller. */
static int fit_networks(const char *data, const struct campaign_plan *plan, char ***paths,
                        size_t *n)
{
	char dir[4200];
	snprintf(dir, sizeof(dir), "%s/bench/nets/fit", data);
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(dir, sizeof(dir), "%s/nets/fit", data);
		d = opendir(dir);
	}
	if (!d)
		return cli_error("calibrate",
		                 "cannot find the fit networks under %s (bench/nets/fit)", data);
	size_t cap = 0, all = 0;
	*paths = NULL;
	*n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
			continue;
		if (all == cap) {
			cap = cap ? 2 * cap : 128;
			char **grown = realloc(*paths, cap * sizeof(**paths));
			if (!grown)
				break;
			*paths = grown;
		}
		size_t size = strlen(dir) + len + 2;
		if (!((*paths)[all] = malloc(size)))
			break;
		snprintf((*paths)[all++], size, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (all)
		qsort(*paths, all, sizeof(**paths), by_path);
	/* every n-th, at most plan->most */
	for (size_t i = 0; i < all; i++) {
		if (i % plan->every == 0 && *n < plan->most)
			(*paths)[(*n)++] = (*paths)[i];
		else
			free((*paths)[i]);
	}
	if (!*n)
		return cli_error("calibrate", "no fit network (*.yaml) in %s", dir);
	return CLI_OK;
}

static void campaign_progress(size_t i, size_t total, const char *path, double elapsed, double eta,
                              void *ctx)
{
	bool bar = *(const bool *)ctx;
	const char *base = strrchr(path, '/');
	char text[200];
	snprintf(text, sizeof(text), "[%3zu/%zu] %s  elapsed %.0fs  ETA %.0fs", i + 1, total,
	         base ? base + 1 : path, elapsed, eta);
	if (bar)
		fprintf(stderr, "\r\033[K%s", text);
	else
		fprintf(stderr, "augur calibrate: %s\n", text);
	fflush(stderr);
}

/* The page-fault cost before the campaign and after its fit networks; a warning when it
 * moved by more than AUGUR_FAULT_MOVED either way (the Zen 5 guest of sessions 36-37: 0.32
 * ms per MiB one day, 2.43 the next, and its fault-bound layers' times swung minute to
 * minute by as much as the fit's other errors together). */
#define AUGUR_FAULT_MOVED 1.5
static void fault_report(const struct augur_campaign_result *r, const struct augur_profile *p)
{
	if (isnan(r->fault_before) || isnan(r->fault_after))
		return;
	double lo = fmin(r->fault_before, r->fault_after),
	       hi = fmax(r->fault_before, r->fault_after);
	char floor[96] = "";
	/* a framework that holds every blob gets no fresh pages in a pass: no floor to take,
	 * nothing to swing */
	bool fresh = !augur_framework_holds_blobs(p->framework.name);
	if (fresh)
		snprintf(floor, sizeof(floor),
		         " (the fit takes %.3g as the least a fresh page costs)",
		         p->machine.fault_ms_per_mib);
	cli_wrapf(stdout, 2,
	          "page faults: %.3g ms per MiB before the campaign, %.3g after its fit networks%s",
	          r->fault_before, r->fault_after, floor);
	if (fresh && hi > AUGUR_FAULT_MOVED * lo)
		cli_wrapf(stdout, 2,
		          "warning: the host's page-fault cost moved %.1fx during the campaign: "
		          "layers that get fresh buffers on every pass (im2col columns and outputs "
		          "above the allocator's mmap threshold) will swing with it; calibrating "
		          "again when the host is calmer gives a steadier fit",
		          hi / lo);
}

static void campaign_report(const struct augur_campaign_result *r, const struct augur_profile *p)
{
	const struct augur_unit *u = p->cpu;
	int types = 0;
	for (int t = 0; u->costs && t < AUGUR_LAYER_TYPE_COUNT; t++)
		types += u->costs->type[t].feature_mask != 0;
	char fw[256];
	if (p->framework.name && !strcmp(p->framework.name, "augur"))
		snprintf(fw, sizeof(fw), "augur's runtime");
	else if (!augur_framework_describe(&p->framework, fw, sizeof(fw)))
		snprintf(fw, sizeof(fw), "the framework");
	cli_wrapf(stdout, 2,
	          "layer costs: %zu fit networks measured in %s in %.0f s; %d of %d layer types "
	          "costed",
	          r->measured, fw, r->seconds, types, AUGUR_LAYER_TYPE_COUNT);
	fault_report(r, p);
	enum augur_memory_view view = augur_framework_memory_view(&p->framework);
	if (view == AUGUR_VIEW_HEAP)
		cli_wrapf(
		        stdout, 2,
		        "memory: the heap view (each blob freed after its last reader into a "
		        "best-fit heap that keeps the pages it touched) plus a fitted overhead of "
		        "%.1f MiB",
		        (double)u->framework_overhead_bytes / 1048576.0);
	else
		cli_wrapf(stdout, 2, "memory: the %s view (%s) plus a fitted overhead of %.1f MiB",
		          augur_memory_view_name(view),
		          view == AUGUR_VIEW_MINIMAL ? "each blob freed after its last reader"
		                                     : "every blob held for the whole pass",
		          (double)u->framework_overhead_bytes / 1048576.0);
	if (r->n_checks)
		printf("  %-14s %10s %10s %7s %10s %10s %7s\n", "check", "ms", "predicted", "error",
		       "peak MiB", "predicted", "error");
	for (size_t i = 0; i < r->n_checks; i++) {
		const struct augur_campaign_check *c = &r->checks[i];
		char name[16];
		cli_cut(name, sizeof(name), c->name, 14);
		printf("  %-14s %10.3f %10.3f %+6.1f%%", name, c->measured_ms, c->predicted_ms,
		       100 * (c->predicted_ms / c->measured_ms - 1));
		if (!isnan(c->measured_mib))
			printf(" %10.1f %10.1f %+6.1f%%", c->measured_mib, c->predicted_mib,
			       100 * (c->predicted_mib / c->measured_mib - 1));
		else
			printf(" %10s %10s %7s", "-", "-", "-");
		printf("\n");
	}
	if (r->n_checks)
		printf("verdict: %zu of %zu networks it did not fit on predicted within 10%% (median "
		       "error %.1f%%)\n",
		       r->within_10, r->n_checks, 100 * r->median_error);
	if (r->n_layers) {
		struct augur_strbuf types = {0};
		for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++)
			if (r->type_layers[t] >= 3)
				augur_strbuf_put(&types, "%s%s %.0f%% (%zu)", types.len ? ", " : "",
				                 augur_layer_type_name(t),
				                 100 * r->type_median_error[t], r->type_layers[t]);
		cli_wrapf(stdout, 2,
		          "per layer: median error %.1f%% over the checks' %zu layers of %.2f ms "
		          "and more%s%s",
		          100 * r->layer_median_error, r->n_layers, AUGUR_CAMPAIGN_LAYER_MS,
		          types.len ? "; by type (layers): " : "", types.len ? types.data : "");
		augur_strbuf_clear(&types);
	}
	if (r->n_memory)
		printf("memory verdict: %zu of %zu peaks predicted within 10%% (median error "
		       "%.1f%%)\n",
		       r->memory_within_10, r->n_memory, 100 * r->memory_median_error);
	/* the cache size the thresholds use, and why: the knee measured before the campaign
	 * or the size the fit networks' times chose */
	if (r->llc.chosen) {
		char chosen[32], measured[32];
		cli_bytes(chosen, sizeof(chosen), r->llc.chosen);
		cli_bytes(measured, sizeof(measured), r->llc.measured);
		if (r->llc.chosen == r->llc.measured)
			cli_wrapf(stdout, 2,
			          "cache for the model: %s as measured (cross-validating the fit "
			          "networks at %zu sizes found none that predicts their total time "
			          "better: off by %.1f%%)",
			          chosen, r->llc.tried, 100 * r->llc.at_chosen.time_error);
		else if (r->llc.at_measured.folds)
			cli_wrapf(stdout, 2,
			          "cache for the model: %s, chosen by cross-validating the fit "
			          "networks at %zu sizes (their total time off by %.1f%%, against "
			          "%.1f%% at the measured %s)",
			          chosen, r->llc.tried, 100 * r->llc.at_chosen.time_error,
			          100 * r->llc.at_measured.time_error, measured);
		else
			cli_wrapf(stdout, 2,
			          "cache for the model: %s, chosen by cross-validating the fit "
			          "networks at %zu sizes (the measured %s did not fit)",
			          chosen, r->llc.tried, measured);
	}
	/* every fit network held out once: a steadier figure than the few checks, for
	 * networks drawn like the fit set */
	if (r->crossval.folds)
		cli_wrapf(stdout, 2,
		          "cross-validated: %zu of %zu fit networks within 10%% (median error "
		          "%.1f%%), each predicted by a fit on the other %zu folds of %zu",
		          r->crossval.within_10, r->crossval.networks,
		          100 * r->crossval.median_error, r->crossval.folds - 1, r->crossval.folds);
	else if (r->crossval_failed.code) {
		char why[AUGUR_DIAG_PATH_MAX + AUGUR_DIAG_MSG_MAX + 64];
		augur_diag_format(&r->crossval_failed, why, sizeof(why));
		cli_wrapf(stdout, 2, "cross-validated: not measured (%s); the profile is complete",
		          why);
	}
	char slower[96] = "";
	if (r->worst_slowdown > 0.005)
		snprintf(slower, sizeof(slower),
		         " (a reference workload ran up to %.0f%% slower than usual)",
		         100 * r->worst_slowdown);
	if (r->disturbed)
		cli_wrapf(stdout, 2,
		          "machine busy? %zu of %zu fit networks stayed disturbed after measuring "
		          "again%s: run again when the machine is quiet",
		          r->disturbed, r->measured, slower);
	/* the checks came after the fit: a machine that slowed in between shows here, and
	 * the checks' errors are then partly the machine's */
	if (r->n_again)
		cli_wrapf(stdout, 2,
		          "drift: %zu fit networks measured again after the checks ran %+.1f%% "
		          "(%+.1f%% to %+.1f%%) against their first measurement, %zu of them "
		          "within %.0f%% of it%s",
		          r->n_again, 100 * r->drift, 100 * r->drift_lo, 100 * r->drift_hi,
		          r->n_again_agree, 100 * AUGUR_CAMPAIGN_AGREE,
		          fabs(r->drift) > AUGUR_CAMPAIGN_DRIFT
		                  ? ": the machine's speed moved during the calibration, and the "
		                    "checks' errors are partly its own; run again when it is quiet"
		                  : "");
	/* the drift only qualifies the checks: the profile is complete without it */
	if (!r->n_again && r->again_failed.code) {
		char why[AUGUR_DIAG_PATH_MAX + AUGUR_DIAG_MSG_MAX + 64];
		augur_diag_format(&r->again_failed, why, sizeof(why));
		cli_wrapf(stdout, 2, "drift: not measured (%s); the profile is complete without it",
		          why);
	} else if (!r->n_again && r->again_interrupted) {
		cli_wrapf(stdout, 2,
		          "drift: not measured (interrupted after the checks); the profile is "
		          "complete without it");
	}
}

/* A calibration's work in progress, beside the profile it will write: PROFILE.partial/
 * holds gemm.yaml (the profile with its GEMM model and machine facts, before the campaign)
 * and fit.yaml (the fit networks measured so far; with --layer-times-out that file
 * instead, which the user keeps). Kept when the campaign is interrupted or fails, for
 * --resume; removed when the profile is written. The measurements before a resume wait
 * in FIT.done beside FIT: a layer-times file names its networks relative to its own
 * directory, so it never moves to another one. */
struct state {
	char dir[2400], gemm[2500], fit[2500], done[2600], checks[2500], again[2500];
	bool own_fit; /* fit is in dir, not the user's --layer-times-out */
	bool resumed; /* --resume found the GEMM model kept: the campaign resumes too */
};

static void state_paths(const char *profile_path, const char *times_out, struct state *st)
{
	snprintf(st->dir, sizeof(st->dir), "%s.partial", profile_path);
	snprintf(st->gemm, sizeof(st->gemm), "%s/gemm.yaml", st->dir);
	st->own_fit = !times_out;
	st->resumed = false;
	if (times_out)
		snprintf(st->fit, sizeof(st->fit), "%s", times_out);
	else
		snprintf(st->fit, sizeof(st->fit), "%s/fit.yaml", st->dir);
	snprintf(st->done, sizeof(st->done), "%s.done", st->fit);
	snprintf(st->checks, sizeof(st->checks), "%s/checks.yaml", st->dir);
	snprintf(st->again, sizeof(st->again), "%s/again.yaml", st->dir);
}

static void state_remove(const struct state *st)
{
	unlink(st->gemm);
	if (st->own_fit)
		unlink(st->fit);
	unlink(st->done);
	unlink(st->checks);
	unlink(st->again);
	rmdir(st->dir);
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* The adapter's settings of o's grid, except the progress fields. */
static struct augur_adapter_settings adapter_settings(const struct calibrate_args *o,
                                                      const char *data, const char *exe,
                                                      uint64_t threads)
{
	struct campaign_plan plan = campaign_plan(o->grid);
	return (struct augur_adapter_settings){
	        .reps = plan.reps,
	        .warmup = 1,
	        .retries = plan.retries,
	        .threads = threads ? threads : 1,
	        .mkldnn = o->mkldnn ? !strcmp(o->mkldnn, "on") : -1,
	        .board = o->device,
	        .exe = exe,
	        .data = data,
	        .stop = &interrupted,
	};
}

/* --resume with a kept GEMM model: the profile as it was before the campaign (its name must
 * be the device's). */
static int resume_gemm(const struct calibrate_args *o, const struct state *st,
                       struct augur_profile **p)
{
	struct augur_diag diag = {0};
	if (augur_profile_load(st->gemm, p, &diag))
		return cli_report(&diag);
	if (strcmp((*p)->name, o->device))
		return cli_error("calibrate", "%s is a calibration of '%s', not of '%s'", st->gemm,
		                 (*p)->name, o->device);
	if (!(*p)->cpu)
		return cli_error("calibrate", "%s has no cpu unit to resume", st->gemm);
	printf("resumed: the GEMM model and machine facts of %s (calibrated %s)\n", st->gemm,
	       (*p)->created ? (*p)->created : "at an unknown time");
	return CLI_OK;
}

/* The networks measured before into st->done: fit.yaml renamed, or joined onto a
 * fit-done.yaml a resume left behind when it failed before joining its own. */
static int prepare_resume(const struct state *st, bool *resuming)
{
	bool done = exists(st->done), fit = exists(st->fit);
	*resuming = done || fit;
	if (fit && !done) {
		if (rename(st->fit, st->done))
			return cli_error("calibrate", "cannot rename %s: %s", st->fit,
			                 strerror(errno));
		return CLI_OK;
	}
	if (!fit)
		return CLI_OK;
	struct augur_diag diag = {0};
	if (augur_layer_times_join_files(st->done, st->fit, st->done, &diag))
		return cli_report(&diag);
	unlink(st->fit);
	return CLI_OK;
}

/* --framework augur|pytorch: fits p's cpu unit to the fit networks measured through the
 * framework's adapter and checks it on shipped networks it did not fit. */
static int campaign(const struct calibrate_args *o, const struct augur_cal_options *opt,
                    const struct state *st, struct augur_profile *p, int argc, char **argv)
{
	const struct augur_adapter *ad = augur_adapter_find(o->framework);
	char data[4096], exe[4096];
	if (augur_shipped_data_dir(AUGUR_DATADIR, data, sizeof(data)))
		return cli_error("calibrate",
		                 "cannot find augur's shipped data (the fit networks)");
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[len > 0 ? len : 0] = '\0';
	struct campaign_plan plan = campaign_plan(o->grid);
	char **nets = NULL, *checks[16];
	size_t n_nets = 0, n_checks = 0;
	int rc = fit_networks(data, &plan, &nets, &n_nets);
	for (size_t i = 0; plan.checks[i] && n_checks < 16; i++) {
		char path[4300];
		snprintf(path, sizeof(path), "%s/descriptors/%s.yaml", data, plan.checks[i]);
		if (!(checks[n_checks] = strdup(path)))
			break;
		n_checks++;
	}
	/* --resume: the networks measured before are not measured again */
	bool resuming = false;
	if (!rc && st->resumed)
		rc = prepare_resume(st, &resuming);
	struct augur_strbuf command = {0};
	augur_strbuf_puts(&command, "augur");
	for (int i = 0; i < argc; i++)
		augur_strbuf_put(&command, " %s", argv[i]);
	bool bar = opt->progress == progress_bar;
	struct augur_campaign_options co = {
	        .adapter = ad,
	        .networks = (const char *const *)nets,
	        .n_networks = n_nets,
	        .checks = (const char *const *)checks,
	        .n_checks = n_checks,
	        .settings = adapter_settings(o, data, *exe ? exe : NULL,
	                                     p->cpu->threads ? p->cpu->threads : 1),
	        .fit_times = st->fit,
	        .check_times = st->checks,
	        .again_times = st->again,
	        .done_times = resuming ? st->done : NULL,
	        .fault_probe = augur_machine_fault_ms_per_mib};
	co.settings.command = command.data ? command.data : "augur calibrate";
	/* every adapter drives the one bar (the pytorch script through its progress lines) */
	if (opt->progress) {
		co.settings.progress = campaign_progress;
		co.settings.ctx = &bar;
	}
	struct augur_campaign_result res = {0};
	struct augur_diag diag = {0};
	if (!rc && augur_campaign_run(&co, p, &res, &diag))
		rc = cli_report(&diag);
	if (bar)
		fprintf(stderr, "\r\033[K");
	if (resuming && res.resumed)
		printf("resumed: %zu of %zu fit networks measured before (%s)\n", res.resumed,
		       n_nets, st->dir);
	if (!rc && res.interrupted)
		rc = cli_error(
		        "calibrate",
		        "interrupted after %zu of %zu fit networks; they are kept in %s: the "
		        "same command with --resume continues",
		        res.measured, n_nets, st->dir);
	if (!rc)
		campaign_report(&res, p);
	free(res.checks);
	augur_strbuf_clear(&command);
	for (size_t i = 0; i < n_nets; i++)
		free(nets[i]);
	free(nets);
	for (size_t i = 0; i < n_checks; i++)
		free(checks[i]);
	return rc;
}

/* Fails before anything is measured when the framework's adapter cannot measure here
 * (python3 or torch missing): the message names what to install. */
static int adapter_ready(const struct calibrate_args *o)
{
	const struct augur_adapter *ad = augur_adapter_find(o->framework);
	if (!ad)
		return CLI_OK; /* blas: GEMM calls alone */
	char data[4096], why[1024];
	if (augur_shipped_data_dir(AUGUR_DATADIR, data, sizeof(data)))
		return cli_error("calibrate",
		                 "cannot find augur's shipped data (the fit networks)");
	struct augur_adapter_settings s = adapter_settings(o, data, NULL, 1);
	if (ad->available(&s, why, sizeof(why)))
		return cli_error("calibrate", "%s", why);
	return CLI_OK;
}

/* The GEMM sweep and the profile around it (the machine's facts, the other unit of an
 * existing profile), with its summary and verdict printed: *p on success. */
static int calibrate_gemm(const struct calibrate_args *o, struct augur_cal_options *opt,
                          const char *path, struct augur_profile *old, struct augur_profile **p)
{
	struct augur_diag diag = {0};
	struct augur_unit *u = NULL;
	struct augur_cal_result res;
	int rc = CLI_OK;
	if (measure(opt, &u, &res, &diag)) {
		rc = cli_report(&diag);
		goto done;
	}
	if (opt->threads && u->threads != opt->threads)
		fprintf(stderr,
		        "augur calibrate: warning: OpenBLAS runs %u threads, not the %u asked "
		        "for; the profile records %u\n",
		        u->threads, opt->threads, u->threads);
	if (res.interrupted) {
		printf("interrupted after %zu of %zu shapes (%.1f s); measured so far:\n",
		       res.measured, res.planned, res.measure_s);
		print_samples(u);
		cli_error("calibrate", "interrupted; %s left untouched", path);
		rc = CLI_FAIL;
		goto done;
	}
	const struct augur_cal_identity id = {o->device, o->description, o->grid, opt->threads};
	enum augur_unit_kind kind = u->kind;
	if (augur_cal_profile(&id, &u, old, p, &diag)) {
		rc = cli_report(&diag);
		goto done;
	}
	const struct augur_unit *now = augur_profile_unit(*p, augur_unit_kind_name(kind));
	summary(o->device, now, &res,
	        old ? augur_profile_unit(old, augur_unit_kind_name(kind)) : NULL, o->verbose);
	verdict(o->grid, now, &res);
	if (kind == AUGUR_UNIT_CPU)
		blas_kernels_note();
	/* how fast this machine runs augur's reference workload now: augur run --device
	 * compares the machine's speed then with the day it checks a prediction */
	(*p)->machine.probe_ms = augur_speed_probe_usual();
	machine_facts(&(*p)->machine);
done:
	augur_unit_free(u);
	return rc;
}

/* Keeps the GEMM model of p in st until the profile is written, for --resume. */
static int keep_gemm(const struct state *st, const struct augur_profile *p)
{
	struct augur_diag diag = {0};
	if (mkdir(st->dir, 0777) && errno != EEXIST)
		return cli_error("calibrate", "cannot create %s: %s", st->dir, strerror(errno));
	return augur_profile_save(p, st->gemm, &diag) ? cli_report(&diag) : CLI_OK;
}

int cmd_calibrate(int argc, char **argv)
{
	struct calibrate_args o = {.progress = "auto"};
	struct augur_cal_options opt = {0};
	char **args;
	int n_args, rc;
	if (cli_parse(&cmd_calibrate_spec, argc, argv, &o, &args, &n_args))
		return CLI_USAGE;
	if ((rc = options(&o, &opt)))
		return rc;
	char path[2300];
	if ((rc = output_path(&o, path, sizeof(path))) || (rc = adapter_ready(&o)))
		return rc;
	bool campaign_too = strcmp(o.framework, "blas") != 0;
	if (o.resume && !campaign_too)
		return cli_usage_error("calibrate", "--resume continues a layer-cost campaign; "
		                                    "--framework blas has none");
	struct state st;
	state_paths(path, o.times_out, &st);
	struct augur_profile *old = existing(path), *p = NULL;
	struct sigaction prev[2];
	catch_signals(prev);
	if (o.resume && exists(st.gemm)) {
		rc = resume_gemm(&o, &st, &p);
		st.resumed = true;
	} else {
		if (o.resume)
			printf("note: no GEMM model kept in %s: calibrating from the start\n",
			       st.dir);
		else if ((st.own_fit && exists(st.fit)) || exists(st.done))
			printf("note: starting afresh; the measurements of an interrupted "
			       "calibration in %s are replaced (--resume continues it)\n",
			       st.dir);
		if (campaign_too)
			state_remove(&st);
		rc = calibrate_gemm(&o, &opt, path, old, &p);
		if (!rc && campaign_too)
			rc = keep_gemm(&st, p);
	}
	if (!rc && campaign_too && (rc = campaign(&o, &opt, &st, p, argc, argv)))
		cli_error("calibrate", "%s left untouched", path);
	struct augur_diag diag = {0};
	if (!rc && !campaign_too)
		cli_wrap(stdout, 2,
		         "note: a GEMM-only profile (--framework blas): estimate costs conv and fc "
		         "layers with it and lists every other layer as not costed");
	if (!rc && augur_profile_save(p, path, &diag))
		rc = cli_report(&diag);
	if (!rc) {
		if (campaign_too)
			state_remove(&st);
		printf("next: augur estimate NET --device %s\n", o.out ? path : o.device);
		printf("wrote %s\n", path);
	}
	sigaction(SIGINT, &prev[0], NULL);
	sigaction(SIGTERM, &prev[1], NULL);
	augur_profile_free(p);
	augur_profile_free(old);
	return rc;
}
