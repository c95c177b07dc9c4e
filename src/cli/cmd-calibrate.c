/* augur calibrate: runs the GEMM harness on this machine, fits the unit's time model and
 * writes the device profile atomically at the end, so an interrupted run (Ctrl-C, SIGTERM)
 * leaves the existing profile untouched and prints what it had measured. Progress is a
 * bar on a terminal and nothing otherwise (--progress lines: one line per shape). */
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
#include "datadir.h"
#include "harness.h"
#include "machine.h"
#include "profile.h"

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
		       r->skipped, r->planned);
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

/* "calibrated with augur calibrate --quick --threads 1": how the profile was made */
static void source_text(char *buf, size_t size, const char *grid, uint32_t threads)
{
	int n = snprintf(buf, size, "calibrated with augur calibrate");
	if (strcmp(grid, "full") && n > 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, " %s%s",
		              strcmp(grid, "quick") ? "--grid " : "--", grid);
	if (threads && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " --threads %u", threads);
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

int cmd_calibrate(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"device", required_argument, NULL, 'd'},
	        {"unit", required_argument, NULL, 'u'},
	        {"threads", required_argument, NULL, 't'},
	        {"quick", no_argument, NULL, 'q'},
	        {"grid", required_argument, NULL, 'g'},
	        {"out", required_argument, NULL, 'o'},
	        {"budget", required_argument, NULL, 'b'},
	        {"description", required_argument, NULL, 'D'},
	        {"progress", required_argument, NULL, 'p'},
	        {"verbose", no_argument, NULL, 'v'},
	        {"trial-ms", required_argument, NULL, 'T'},
	        {NULL, 0, NULL, 0},
	};
	static const char *const grids[] = {"full", "quick", "tiny"};
	static const char *const progress_modes[] = {"auto", "bar", "lines", "none"};
	const char *device = NULL, *out = NULL, *description = NULL;
	const char *grid = "full", *progress = "auto";
	bool grid_given = false;
	double budget_s = 0, trial_ms = 0;
	struct augur_cal_options opt;
	augur_cal_options_init(&opt, AUGUR_UNIT_CPU);
	uint64_t v;
	int c;
	bool verbose = false;
	while ((c = cli_getopt(argc, argv, "d:u:t:qg:o:b:D:p:T:v", opts)) != -1) {
		switch (c) {
		case 'd':
			device = optarg;
			break;
		case 'u':
			if (!strcmp(optarg, "cpu"))
				opt.unit = AUGUR_UNIT_CPU;
			else if (!strcmp(optarg, "gpu"))
				opt.unit = AUGUR_UNIT_GPU;
			else
				return cli_usage_error("calibrate",
				                       "unknown unit '%s' (expected cpu or gpu)",
				                       optarg);
			break;
		case 't':
			if (cli_parse_uint("calibrate", "--threads", optarg, 1024, &v))
				return CLI_USAGE;
			opt.threads = (uint32_t)v;
			break;
		case 'q':
		case 'g': {
			const char *g = c == 'q' ? "quick" : NULL;
			for (size_t i = 0; i < 3 && !g; i++)
				if (!strcmp(optarg, grids[i]))
					g = grids[i];
			if (!g)
				return cli_usage_error(
				        "calibrate",
				        "unknown grid '%s' (expected full, quick or tiny)", optarg);
			/* --quick is --grid quick: two different grids contradict each other */
			if (grid_given && strcmp(grid, g))
				return cli_usage_error(
				        "calibrate",
				        "--quick and --grid %s contradict each other "
				        "(--quick is --grid quick)",
				        c == 'q' ? grid : g);
			grid = g;
			grid_given = true;
			break;
		}
		case 'o':
			out = optarg;
			break;
		case 'b':
			if (cli_parse_uint("calibrate", "--budget", optarg, 86400, &v))
				return CLI_USAGE;
			budget_s = (double)v;
			break;
		case 'D':
			description = optarg;
			break;
		case 'T':
			if (cli_parse_uint("calibrate", "--trial-ms", optarg, 10000, &v))
				return CLI_USAGE;
			trial_ms = (double)v;
			break;
		case 'v':
			verbose = true;
			break;
		case 'p':
			progress = NULL;
			for (size_t i = 0; i < 4 && !progress; i++)
				if (!strcmp(optarg, progress_modes[i]))
					progress = progress_modes[i];
			if (!progress)
				return cli_usage_error(
				        "calibrate",
				        "unknown progress mode '%s' (expected auto, bar, "
				        "lines or none)",
				        optarg);
			break;
		default:
			return CLI_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error("calibrate", "unexpected argument '%s' (usage: %s)",
		                       argv[optind], augur_command_find("calibrate")->usage);
	if (!device)
		return cli_usage_error("calibrate", "--device NAME is required (usage: %s)",
		                       augur_command_find("calibrate")->usage);
	if (!valid_name(device))
		return cli_usage_error("calibrate",
		                       "device name '%s' must be 1 to 64 letters, digits, '-', '_' "
		                       "or '.'",
		                       device);
	if (!strcmp(grid, "quick"))
		opt.quick = true;
	else if (!strcmp(grid, "tiny"))
		augur_cal_options_tiny(&opt);
	if (budget_s > 0)
		opt.budget_s = budget_s;
	if (trial_ms > 0)
		opt.min_time_ms = trial_ms;
	char path[2300];
	if (out) {
		snprintf(path, sizeof(path), "%s", out);
	} else {
		/* the user's profile directory, where estimate --device NAME finds it; never
		 * the source tree or the current directory */
		char dir[2048];
		if (augur_user_profile_dir(dir, sizeof(dir)) || make_dirs(dir)) {
			fprintf(stderr,
			        "augur calibrate: cannot create the profile directory '%s': %s (give "
			        "--out FILE)\n",
			        dir,
			        dir[0] ? strerror(errno) : "neither XDG_DATA_HOME nor HOME is set");
			return CLI_FAIL;
		}
		snprintf(path, sizeof(path), "%s/%s.yaml", dir, device);
	}
	if (check_writable(path))
		return CLI_FAIL;

	/* an existing profile keeps its other unit and serves the run-to-run check */
	struct augur_diag diag = {0};
	struct augur_profile *old = NULL, *p = NULL;
	struct augur_unit *u = NULL;
	int rc = CLI_OK;
	if (access(path, F_OK) == 0 && augur_profile_load(path, &old, &diag)) {
		char line[AUGUR_DIAG_PATH_MAX + AUGUR_DIAG_MSG_MAX + 64];
		augur_diag_format(&diag, line, sizeof(line));
		fprintf(stderr,
		        "augur calibrate: warning: the existing profile does not load (%s); "
		        "it will be replaced\n",
		        line);
	}

	/* Ctrl-C and SIGTERM stop the harness between trials and the profile is not written.
	 * The handler stays until the end: once measuring is over the signal is ignored, so
	 * it cannot kill the process halfway through the (milliseconds-long) final write. */
	struct sigaction sa = {0}, prev_int, prev_term;
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &prev_int);
	sigaction(SIGTERM, &sa, &prev_term);
	opt.stop = &interrupted;
	bool bar = !strcmp(progress, "bar") || (!strcmp(progress, "auto") && isatty(STDERR_FILENO));
	if (bar)
		opt.progress = progress_bar;
	else if (!strcmp(progress, "lines"))
		opt.progress = progress_lines;
	struct augur_cal_result res;
	int st = augur_calibrate(&opt, &u, &res, &diag);
	if (bar)
		fprintf(stderr, "\r\033[K");
	if (st) {
		rc = cli_report(&diag);
		goto done;
	}
	if (opt.threads && u->threads != opt.threads)
		fprintf(stderr,
		        "augur calibrate: warning: OpenBLAS runs %u threads, not the %u asked "
		        "for; the profile records %u\n",
		        u->threads, opt.threads, u->threads);
	if (res.interrupted) {
		printf("interrupted after %zu of %zu shapes (%.1f s); measured so far:\n",
		       res.measured, res.planned, res.measure_s);
		print_samples(u);
		fprintf(stderr, "augur calibrate: interrupted; %s left untouched\n", path);
		rc = CLI_FAIL;
		goto done;
	}

	p = augur_profile_new();
	if (!p || augur_machine_probe(p)) {
		fprintf(stderr, "augur calibrate: out of memory\n");
		rc = CLI_FAIL;
		goto done;
	}
	augur_machine_measure_rates(&p->machine);
	char created[32], desc[512], source[128], threads[32] = "";
	time_t now = time(NULL);
	struct tm tmv;
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tmv));
	if (!description) {
		if (u->kind == AUGUR_UNIT_CPU)
			snprintf(threads, sizeof(threads), ", %u BLAS thread%s", u->threads,
			         u->threads == 1 ? "" : "s");
		snprintf(desc, sizeof(desc), "%s, %u cores%s, %s calibration",
		         p->cpu_model ? p->cpu_model : "unknown CPU", p->cpu_cores, threads, grid);
		description = desc;
	}
	source_text(source, sizeof(source), grid, opt.threads);
	p->name = strdup(device);
	p->description = strdup(description);
	p->created = strdup(created);
	p->augur_version = strdup(AUGUR_VERSION);
	p->source = strdup(source);
	if (u->kind == AUGUR_UNIT_CPU && (!u->processor || !*u->processor)) {
		free(u->processor);
		u->processor = strdup(p->cpu_model ? p->cpu_model : "unknown CPU");
	}
	if (u->kind == AUGUR_UNIT_CPU)
		u->memory_bytes = p->ram_bytes;
	if (!p->name || !p->description || !p->created || !p->augur_version || !p->source ||
	    !u->processor) {
		fprintf(stderr, "augur calibrate: out of memory\n");
		rc = CLI_FAIL;
		goto done;
	}
	const struct augur_unit *old_same =
	        old ? augur_profile_unit(old, augur_unit_kind_name(u->kind)) : NULL;
	summary(device, u, &res, old_same, verbose);
	verdict(grid, u, &res);
	/* keep the other unit of an existing profile */
	if (old) {
		if (u->kind == AUGUR_UNIT_CPU) {
			p->gpu = old->gpu;
			old->gpu = NULL;
		} else {
			p->cpu = old->cpu;
			old->cpu = NULL;
		}
	}
	/* the times are of GEMM calls alone: the framework is the BLAS library itself,
	 * unless the unit kept from the old profile has layer costs of a framework */
	const struct augur_unit *kept = u->kind == AUGUR_UNIT_CPU ? p->gpu : p->cpu;
	if (old && kept && kept->costs && old->framework.name) {
		p->framework = old->framework;
		memset(&old->framework, 0, sizeof(old->framework));
	} else {
		p->framework.name = strdup("blas");
		p->framework.library = u->library ? strdup(u->library) : NULL;
		p->framework.threads = u->kind == AUGUR_UNIT_CPU ? u->threads : 0;
		if (!p->framework.name) {
			fprintf(stderr, "augur calibrate: out of memory\n");
			rc = CLI_FAIL;
			goto done;
		}
	}
	*(u->kind == AUGUR_UNIT_CPU ? &p->cpu : &p->gpu) = u;
	u = NULL;
	if (augur_profile_save(p, path, &diag)) {
		rc = cli_report(&diag);
		goto done;
	}
	printf("next: augur estimate NET --device %s\n", out ? path : device);
	printf("wrote %s\n", path);
done:
	sigaction(SIGINT, &prev_int, NULL);
	sigaction(SIGTERM, &prev_term, NULL);
	augur_unit_free(u);
	augur_profile_free(p);
	augur_profile_free(old);
	return rc;
}
