/* The layer-cost campaign and its measurement adapters (see campaign.h and
 * docs/adapters.md). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "campaign.h"
#include "estimate.h"
#include "fileio.h"
#include "layertimes.h"
#include "netbench.h"
#include "numparse.h"
#include "profilefit.h"
#include "stats.h"
#include "strbuf.h"

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Progress before network i of the call, with an ETA from the pace so far. */
static void tick(const struct augur_adapter_settings *s, size_t i, const char *path)
{
	if (!s->progress)
		return;
	size_t at = s->first + i;
	double elapsed = now_s() - s->t0;
	/* the pace of this run's networks: those an earlier run measured took no time here */
	size_t here = at > s->resumed ? at - s->resumed : 0;
	double eta = here ? elapsed / (double)here * (double)(s->total - at) : 0;
	s->progress(at, s->total, path, elapsed, eta, s->ctx);
}

static bool stopped(const struct augur_adapter_settings *s)
{
	return s->stop && *s->stop;
}

/* ---- adapter 'augur': augur's own runtime, in this process (netbench.h) ------------- */

/* netbench's hooks, ctx the settings */
static bool stop_asked(void *ctx)
{
	return stopped(ctx);
}

static void next_network(size_t k, const char *path, void *ctx)
{
	tick(ctx, k, path);
}

static int augur_available(const struct augur_adapter_settings *s, char *why, size_t size)
{
	(void)s;
	if (size)
		*why = '\0';
	return 0;
}

static int augur_measure(const char *const *nets, size_t n, const struct augur_adapter_settings *s,
                         const char *out, struct augur_adapter_outcome *got,
                         struct augur_diag *diag)
{
	struct augur_netbench_options nb = {.reps = s->reps,
	                                    .warmup = s->warmup,
	                                    .threads = s->threads,
	                                    .seed = 1,
	                                    .retries = s->retries,
	                                    .stop = stop_asked,
	                                    .next = next_network,
	                                    .ctx = (void *)s};
	struct augur_net_run *runs = calloc(n ? n : 1, sizeof(*runs));
	struct augur_strbuf text = {0};
	struct augur_speed_probe probe = {0};
	size_t k = 0;
	int rc = 0;
	*got = (struct augur_adapter_outcome){0};
	if (!runs)
		return augur_diag_set(diag, AUGUR_E_NOMEM, out, 0, 0, "out of memory");
	/* a measurement taken again is one the probe can tell apart from a quiet one */
	if (s->retries && (rc = augur_speed_probe_new(&probe, diag)))
		goto done;
	nb.probe = s->retries ? &probe : NULL;
	if ((rc = augur_netbench_measure_list(nets, n, &nb, runs, &k, diag)))
		goto done;
	/* what was measured is written below; a stop while the disturbed ones were measured
	 * again leaves each network with a measurement, written too */
	got->interrupted = stopped(s);
	/* without retries (the tiny grid's two passes) nothing is judged disturbed */
	for (size_t i = 0; i < k && s->retries; i++)
		if (augur_net_run_disturbance(&runs[i]) > AUGUR_NETBENCH_NOISY) {
			got->disturbed++;
			got->worst_slowdown = fmax(got->worst_slowdown, runs[i].slowdown);
		}
	if (!k)
		goto done;
	augur_netbench_layer_times(runs, k, &nb, s->board, s->command, &text);
	if (text.failed)
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, out, 0, 0, "out of memory");
	else
		rc = augur_write_file_atomic(out, text.data, text.len, diag);
	if (!rc)
		got->measured = k;
done:
	for (size_t i = 0; i < k; i++)
		augur_net_run_clear(&runs[i]);
	free(runs);
	augur_strbuf_clear(&text);
	augur_speed_probe_free(&probe);
	return rc;
}

/* ---- adapter 'pytorch': bench/validate measure, run by python3 ----------------------- */

/* The interpreters to try: $AUGUR_PYTHON alone when set, else python3 on PATH, then
 * Debian's /usr/bin/python3 (python3-torch's), which a python3 of its own (pyenv, a
 * virtual environment) on PATH may shadow. */
static size_t pythons(const char *list[2])
{
	const char *given = getenv("AUGUR_PYTHON");
	if (given && *given) {
		list[0] = given;
		return 1;
	}
	list[0] = "python3";
	list[1] = "/usr/bin/python3";
	return 2;
}

/* Waits for pid; a SIGTERM to augur alone (stop set, no SIGINT to the process group)
 * reaches the child as SIGINT, so it stops as on Ctrl-C and keeps its rows. Its exit
 * status, -1 when it died. */
static int wait_child(pid_t pid, volatile sig_atomic_t *stop, bool *forwarded)
{
	for (;;) {
		int status;
		pid_t r = waitpid(pid, &status, 0);
		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		if (r < 0 && errno != EINTR)
			return -1;
		if (stop && *stop && !*forwarded) {
			kill(pid, SIGINT);
			*forwarded = true;
		}
	}
}

/* Starts argv (argv[0] looked up on PATH) with stdout to /dev/null, and stderr too unless
 * quiet is false; keep_fd (-1: none) stays open in it. The child's pid, or -1. */
static pid_t start_program(char *const argv[], bool quiet, int keep_fd, int close_fd)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	if (close_fd >= 0)
		close(close_fd);
	int null = open("/dev/null", O_WRONLY);
	if (null >= 0) {
		dup2(null, STDOUT_FILENO);
		if (quiet)
			dup2(null, STDERR_FILENO);
		if (null != keep_fd)
			close(null);
	}
	execvp(argv[0], argv);
	_exit(127);
}

/* Runs argv as start_program does; its exit status, 127 when it could not be started, -1
 * when it died. */
static int run_program(char *const argv[], bool quiet, volatile sig_atomic_t *stop)
{
	pid_t pid = start_program(argv, quiet, -1, -1);
	bool forwarded = false;
	return pid < 0 ? -1 : wait_child(pid, stop, &forwarded);
}

enum augur_progress_kind augur_progress_line(const char *line, size_t n, size_t *index)
{
	static const struct {
		const char *word;
		enum augur_progress_kind kind;
	} words[] = {{"network ", AUGUR_PROGRESS_NETWORK},
	             {"disturbed ", AUGUR_PROGRESS_DISTURBED}};
	enum augur_progress_kind kind = AUGUR_PROGRESS_IGNORED;
	const char *p = line;
	for (size_t w = 0; w < sizeof(words) / sizeof(*words); w++)
		if (!strncmp(line, words[w].word, strlen(words[w].word))) {
			kind = words[w].kind;
			p = line + strlen(words[w].word);
		}
	if (kind == AUGUR_PROGRESS_IGNORED)
		return kind;
	/* two numbers, each ended by one space, then a path that is not empty */
	uint64_t v[2];
	for (int j = 0; j < 2; j++) {
		const char *sp = strchr(p, ' ');
		char num[24];
		if (!sp || sp == p || (size_t)(sp - p) >= sizeof(num))
			return AUGUR_PROGRESS_IGNORED;
		memcpy(num, p, (size_t)(sp - p));
		num[sp - p] = '\0';
		if (augur_parse_u64(num, 1, SIZE_MAX, &v[j]) != AUGUR_NUM_OK)
			return AUGUR_PROGRESS_IGNORED;
		p = sp + 1;
	}
	if (!*p || v[1] != n || v[0] > v[1])
		return AUGUR_PROGRESS_IGNORED;
	*index = (size_t)(v[0] - 1);
	return kind;
}

void augur_progress_feed(struct augur_progress_reader *r, const char *buf, size_t len,
                         void (*on)(enum augur_progress_kind kind, size_t index, void *ctx),
                         void *ctx)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n') {
			if (r->len + 1 < sizeof(r->line))
				r->line[r->len++] = buf[i];
			else
				r->overlong = true;
			continue;
		}
		r->line[r->len] = '\0';
		size_t at = 0;
		/* a NUL inside the line ends it early: the rest would be lost, so it is refused */
		enum augur_progress_kind k = !r->overlong && strlen(r->line) == r->len
		                                     ? augur_progress_line(r->line, r->n, &at)
		                                     : AUGUR_PROGRESS_IGNORED;
		if (k == AUGUR_PROGRESS_NETWORK && at >= r->next) {
			r->next = at + 1;
			on(k, at, ctx);
		} else if (k == AUGUR_PROGRESS_DISTURBED && at < r->next &&
		           at >= r->next_disturbed) {
			r->next_disturbed = at + 1;
			on(k, at, ctx);
		}
		r->len = 0;
		r->overlong = false;
	}
}

/* What the campaign does with a progress line (augur_progress_feed's callback): ticks for
 * a network, counts a disturbed one. */
struct tick_ctx {
	const struct augur_adapter_settings *s;
	const char *const *nets;
	size_t disturbed;
};

static void tick_at(enum augur_progress_kind kind, size_t index, void *ctx)
{
	struct tick_ctx *t = ctx;
	if (kind == AUGUR_PROGRESS_NETWORK)
		tick(t->s, index, t->nets[index]);
	else
		t->disturbed++;
}

/* Runs the adapter's program argv, whose argument progress_arg (a "%d" buffer of 16 bytes)
 * gets the descriptor it writes its progress lines on, ticks s's callback for each network
 * and counts the disturbed ones into *disturbed; its exit status as run_program's. */
static int run_reporting(char **argv, char *progress_arg, const struct augur_adapter_settings *s,
                         const char *const *nets, size_t n, size_t *disturbed)
{
	int fds[2];
	if (pipe(fds))
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	snprintf(progress_arg, 16, "%d", fds[1]);
	pid_t pid = start_program(argv, false, fds[1], fds[0]);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return -1;
	}
	struct augur_progress_reader r = {.n = n};
	struct tick_ctx t = {s, nets, 0};
	bool forwarded = false;
	char buf[1024];
	for (;;) {
		/* before every read, not only when one is interrupted: a stop that lands between
		 * two reads (or under SA_RESTART) would otherwise wait for the whole script */
		if (stopped(s) && !forwarded) {
			kill(pid, SIGINT);
			forwarded = true;
		}
		ssize_t got = read(fds[0], buf, sizeof(buf));
		if (got > 0) {
			augur_progress_feed(&r, buf, (size_t)got, tick_at, &t);
			continue;
		}
		if (got == 0 || errno != EINTR)
			break; /* the program closed it (exited): its status below */
	}
	close(fds[0]);
	*disturbed = t.disturbed;
	return wait_child(pid, s->stop, &forwarded);
}

/* The measuring script: DATA/bench/validate in a source tree, DATA/adapters/validate
 * when installed. */
static int script_path(const struct augur_adapter_settings *s, char *buf, size_t size)
{
	const char *rel[] = {"bench/validate", "adapters/validate"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(buf, size, "%s/%s", s->data ? s->data : ".", rel[i]);
		if (access(buf, R_OK) == 0)
			return 0;
	}
	return -1;
}

/* The interpreter found by the first find_python that found one: importing torch takes
 * seconds, and calibrate asks before the sweep, then for the fit and the checks. */
static char found_python[1024];

/* The first interpreter that imports torch and numpy into py; -1 and why otherwise. */
static int find_python(char *py, size_t size, char *why, size_t why_size)
{
	if (*found_python) {
		snprintf(py, size, "%s", found_python);
		return 0;
	}
	const char *list[2];
	size_t n = pythons(list);
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		char *argv[] = {(char *)list[i], "-c", "import torch, numpy", NULL};
		int st = run_program(argv, true, NULL);
		if (st == 0) {
			snprintf(found_python, sizeof(found_python), "%s", list[i]);
			snprintf(py, size, "%s", list[i]);
			return 0;
		}
		any = any || st != 127;
	}
	if (!any)
		snprintf(why, why_size,
		         "--framework pytorch needs python3 with PyTorch, and %s cannot be run: "
		         "install python3, python3-torch and python3-numpy (Debian: apt-get "
		         "install python3-torch python3-numpy)",
		         list[0]);
	else
		snprintf(why, why_size,
		         "--framework pytorch needs PyTorch, and %s%s%s cannot import torch and "
		         "numpy: install python3-torch and python3-numpy (Debian: apt-get install "
		         "python3-torch python3-numpy)",
		         list[0], n > 1 ? " and " : "", n > 1 ? list[1] : "");
	return -1;
}

static int pytorch_available(const struct augur_adapter_settings *s, char *why, size_t size)
{
	char py[1024], script[4200];
	if (script_path(s, script, sizeof(script))) {
		snprintf(why, size,
		         "cannot find the measuring script of --framework pytorch under %s "
		         "(bench/validate, or adapters/validate when installed)",
		         s->data ? s->data : ".");
		return -1;
	}
	return find_python(py, sizeof(py), why, size);
}

/* Counts the rows of a layer-times file ("  - {network: " lines under layer_times:). */
static size_t count_rows(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char *line = NULL;
	size_t cap = 0, n = 0;
	bool in = false;
	while (getline(&line, &cap, f) > 0) {
		if (line[0] != ' ' && line[0] != '#')
			in = !strncmp(line, "layer_times:", 12);
		else if (in && !strncmp(line, "  - {network: ", 14))
			n++;
	}
	free(line);
	fclose(f);
	return n;
}

static int pytorch_measure(const char *const *nets, size_t n,
                           const struct augur_adapter_settings *s, const char *out,
                           struct augur_adapter_outcome *got, struct augur_diag *diag)
{
	*got = (struct augur_adapter_outcome){0};
	if (stopped(s)) { /* stopped before this call: start nothing */
		got->interrupted = true;
		return 0;
	}
	char py[1024], script[4200], why[512] = "no measuring script";
	if (script_path(s, script, sizeof(script)) ||
	    find_python(py, sizeof(py), why, sizeof(why))) {
		if (stopped(s)) { /* the check's python3 was stopped too */
			got->interrupted = true;
			return 0;
		}
		return augur_diag_set(diag, AUGUR_E_USAGE, out, 0, 0, "%s", why);
	}
	char threads[32], reps[32], warmup[32], retries[32];
	snprintf(threads, sizeof(threads), "%llu", (unsigned long long)s->threads);
	snprintf(reps, sizeof(reps), "%llu", (unsigned long long)s->reps);
	snprintf(warmup, sizeof(warmup), "%llu", (unsigned long long)s->warmup);
	snprintf(retries, sizeof(retries), "%llu", (unsigned long long)s->retries);
	const char *head[] = {py, script, "measure"};
	char fd[16] = "";
	const char *tail[] = {"--board",       s->board, "--out",    out,
	                      "--threads",     threads,  "--mkldnn", s->mkldnn > 0 ? "on" : "off",
	                      "--reps",        reps,     "--warmup", warmup,
	                      "--retries",     retries,  "--augur",  s->exe ? s->exe : "augur",
	                      "--progress-fd", fd};
	size_t nh = sizeof(head) / sizeof(*head), nt = sizeof(tail) / sizeof(*tail);
	char **argv = calloc(nh + n + nt + 1, sizeof(*argv));
	if (!argv)
		return augur_diag_set(diag, AUGUR_E_NOMEM, out, 0, 0, "out of memory");
	size_t a = 0;
	for (size_t i = 0; i < nh; i++)
		argv[a++] = (char *)head[i];
	for (size_t i = 0; i < n; i++)
		argv[a++] = (char *)nets[i];
	for (size_t i = 0; i < nt; i++)
		argv[a++] = (char *)tail[i];
	int st = run_reporting(argv, fd, s, nets, n, &got->disturbed);
	free(argv);
	got->measured = count_rows(out);
	if (st == 0)
		return 0;
	if (st == 130 || stopped(s)) {
		got->interrupted = true;
		return 0;
	}
	return augur_diag_set(diag, AUGUR_E_IO, script, 0, 0,
	                      "measuring %zu network%s in PyTorch failed (%s %d); its messages "
	                      "are above",
	                      n, n == 1 ? "" : "s", st < 0 ? "killed, status" : "exit", st);
}

/* ---- the table ----------------------------------------------------------------------- */

static const struct augur_adapter adapters[] = {
        /* augur's runtime gives every conv one im2col buffer of all its groups' columns */
        {"augur", "nothing beyond augur itself (its own runtime, augur run)", AUGUR_VIEW_ALLOCATED,
         AUGUR_GROUPS_TOGETHER, false, augur_available, augur_measure},
        {"pytorch",
         "python3 with PyTorch and numpy (Debian: python3-torch python3-numpy), "
         "measured by bench/validate measure",
         AUGUR_VIEW_MINIMAL, AUGUR_GROUPS_UNSTATED, true, pytorch_available, pytorch_measure},
};

const struct augur_adapter *augur_adapter_find(const char *name)
{
	for (size_t i = 0; i < sizeof(adapters) / sizeof(*adapters); i++)
		if (!strcmp(adapters[i].name, name))
			return &adapters[i];
	return NULL;
}

/* ---- the campaign --------------------------------------------------------------------- */

/* The adapter's facts where the file it wrote does not state them. */
static void adapter_facts(const struct augur_adapter *ad, struct augur_layer_times *lt)
{
	if (!lt->framework.name)
		return;
	if (lt->framework.memory_view == AUGUR_VIEW_UNSTATED)
		lt->framework.memory_view = ad->view;
	if (lt->framework.conv_groups == AUGUR_GROUPS_UNSTATED)
		lt->framework.conv_groups = ad->groups;
}

/* Measures nets through the adapter into path and loads the file. */
static int measure(const struct augur_campaign_options *o, struct augur_adapter_settings *s,
                   const char *const *nets, size_t n, const char *path,
                   struct augur_adapter_outcome *got, struct augur_layer_times **lt,
                   struct augur_diag *diag)
{
	*lt = NULL;
	int rc = o->adapter->measure(nets, n, s, path, got, diag);
	if (rc || got->interrupted)
		return rc;
	if ((rc = augur_layer_times_load(path, lt, diag)))
		return rc;
	adapter_facts(o->adapter, *lt);
	return 0;
}

/* The measured peak of row's network in lt (MiB), NAN when none. */
static double measured_peak(const struct augur_layer_times *lt, const char *network,
                            const char *board)
{
	for (size_t i = 0; i < lt->n_memory; i++)
		if (!strcmp(lt->memory[i].network, network) &&
		    !strcmp(lt->memory[i].board, board) && lt->memory[i].mb[AUGUR_UNIT_CPU] > 0)
			return lt->memory[i].mb[AUGUR_UNIT_CPU];
	return NAN;
}

/* Predicts every row of the checks' file with the fitted profile. */
/* Per-layer errors of one check: each measured layer against its prediction, into err[]
 * (all layers) and by type (type_err[t], room for every layer of the checks each). */
static void layer_errors(const struct augur_layer_times_row *row, const struct augur_net *net,
                         const struct augur_unit_estimate *e, double *err, size_t *n_err,
                         double **type_err, size_t *type_n)
{
	for (size_t j = 0; j < row->n_layers; j++) {
		long i = augur_net_find(net, row->layer_names[j]);
		double meas = row->layer_ms[j];
		if (i < 0 || (size_t)i >= e->n_layers || meas < AUGUR_CAMPAIGN_LAYER_MS ||
		    !e->layers[i].costed)
			continue;
		double x = fabs(e->layers[i].time_ms / meas - 1);
		enum augur_layer_type t = net->layers[i].type;
		err[(*n_err)++] = x;
		type_err[t][type_n[t]++] = x;
	}
}

static int predict_checks(const struct augur_layer_times *lt, const struct augur_profile *p,
                          struct augur_campaign_result *res, struct augur_diag *diag)
{
	size_t n = lt->n_rows;
	size_t all_layers = 1;
	for (size_t i = 0; i < n; i++)
		all_layers += lt->rows[i].n_layers;
	double *lerr = calloc(all_layers, sizeof(double));
	double *type_err[AUGUR_LAYER_TYPE_COUNT] = {0};
	bool type_ok = lerr != NULL;
	for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++)
		type_ok = type_ok && (type_err[t] = calloc(all_layers, sizeof(double)));
	res->checks = calloc(n ? n : 1, sizeof(*res->checks));
	double *errors = calloc(n ? n : 1, sizeof(double));
	double *merr = calloc(n ? n : 1, sizeof(double));
	int rc = 0;
	if (!res->checks || !errors || !merr || !type_ok) {
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		const struct augur_layer_times_row *row = &lt->rows[i];
		struct augur_net *net = NULL;
		struct augur_analysis *a = NULL;
		struct augur_unit_estimate e = {0};
		rc = augur_layer_times_network(lt, row->network, row->line, row->col, &net, diag);
		if (!rc)
			rc = augur_analyze(net, row->batch, &a, diag);
		if (!rc)
			rc = augur_estimate_unit(net, a, p, p->cpu, &e, diag);
		if (!rc && row->forward_ms > 0) {
			struct augur_campaign_check *c = &res->checks[res->n_checks];
			snprintf(c->name, sizeof(c->name), "%s", net->name);
			c->measured_ms = row->forward_ms;
			c->predicted_ms = e.total_ms;
			errors[res->n_checks++] = fabs(c->predicted_ms / c->measured_ms - 1);
			res->within_10 += fabs(c->predicted_ms / c->measured_ms - 1) <= 0.10;
			c->measured_mib = measured_peak(lt, row->network, row->board);
			c->predicted_mib = (double)e.memory_bytes / 1048576.0;
			if (!isnan(c->measured_mib)) {
				double err = fabs(c->predicted_mib / c->measured_mib - 1);
				merr[res->n_memory++] = err;
				res->memory_within_10 += err <= 0.10;
			}
			layer_errors(row, net, &e, lerr, &res->n_layers, type_err,
			             res->type_layers);
		}
		augur_unit_estimate_clear(&e);
		augur_analysis_free(a);
		augur_net_free(net);
	}
	if (!rc && res->n_checks)
		res->median_error = augur_median_in_place(errors, res->n_checks);
	if (!rc && res->n_memory)
		res->memory_median_error = augur_median_in_place(merr, res->n_memory);
	if (!rc && res->n_layers)
		res->layer_median_error = augur_median_in_place(lerr, res->n_layers);
	for (int t = 0; !rc && t < AUGUR_LAYER_TYPE_COUNT; t++)
		if (res->type_layers[t])
			res->type_median_error[t] =
			        augur_median_in_place(type_err[t], res->type_layers[t]);
out:
	free(errors);
	free(merr);
	free(lerr);
	for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++)
		free(type_err[t]);
	return rc;
}

/* The row of lt for the network at path (as the adapter was given it), or NULL. A row
 * names its network as the adapter wrote it: augur's adapter an absolute path, the pytorch
 * script one relative to the file's directory; the same file either way. */
static const struct augur_layer_times_row *find_row(const struct augur_layer_times *lt,
                                                    const char *path)
{
	struct stat want, got;
	bool known = stat(path, &want) == 0;
	const char *slash = lt ? strrchr(lt->path, '/') : NULL;
	int dir = (int)(slash ? slash - lt->path : 1);
	for (size_t i = 0; lt && i < lt->n_rows; i++) {
		const char *net = lt->rows[i].network;
		if (!strcmp(net, path))
			return &lt->rows[i];
		char full[8192];
		if (net[0] == '/' || !slash)
			snprintf(full, sizeof(full), "%s", net);
		else
			snprintf(full, sizeof(full), "%.*s/%s", dir, lt->path, net);
		if (known && stat(full, &got) == 0 && got.st_dev == want.st_dev &&
		    got.st_ino == want.st_ino)
			return &lt->rows[i];
	}
	return NULL;
}

static bool has_row(const struct augur_layer_times *lt, const char *path)
{
	return find_row(lt, path) != NULL;
}

/* The fit networks' file after a resumed measurement: done's rows, then the new ones
 * (when the adapter wrote any), at o->fit_times; done_times is gone afterwards. */
static int join_done(const struct augur_campaign_options *o, bool measured_new,
                     struct augur_diag *diag)
{
	if (!measured_new) {
		if (rename(o->done_times, o->fit_times))
			return augur_diag_set(diag, AUGUR_E_IO, o->done_times, 0, 0,
			                      "cannot rename to %s: %s", o->fit_times,
			                      strerror(errno));
		return 0;
	}
	int rc = augur_layer_times_join_files(o->done_times, o->fit_times, o->fit_times, diag);
	if (!rc)
		remove(o->done_times);
	return rc;
}

/* Measures the fit networks not in o->done_times into o->fit_times, joins the two, and
 * loads the result into *fit (unless interrupted). */
static int measure_fit(const struct augur_campaign_options *o, struct augur_adapter_settings *s,
                       struct augur_campaign_result *res, struct augur_layer_times **fit,
                       struct augur_diag *diag)
{
	char *done_text = NULL;
	size_t len = 0;
	struct augur_layer_times *done = NULL;
	const char **todo = calloc(o->n_networks + 1, sizeof(*todo));
	size_t n = 0;
	int rc =
	        todo ? 0 : augur_diag_set(diag, AUGUR_E_NOMEM, o->fit_times, 0, 0, "out of memory");
	if (!rc && o->done_times &&
	    !(rc = augur_read_file(o->done_times, AUGUR_MAX_FILE_BYTES, &done_text, &len, diag)))
		rc = augur_layer_times_parse(o->done_times, done_text, len, &done, diag);
	for (size_t i = 0; !rc && i < o->n_networks; i++)
		if (has_row(done, o->networks[i]))
			res->resumed++;
		else
			todo[n++] = o->networks[i];
	struct augur_adapter_outcome got = {0};
	s->first = s->resumed = res->resumed; /* counted as done, not in the pace */
	if (!rc && n)
		rc = o->adapter->measure(todo, n, s, o->fit_times, &got, diag);
	res->measured = res->resumed + got.measured;
	res->interrupted = got.interrupted;
	res->disturbed = got.disturbed;
	res->worst_slowdown = got.worst_slowdown;
	/* what was measured is kept in fit_times, interrupted or not */
	if (!rc && done)
		rc = join_done(o, got.measured > 0, diag);
	if (!rc && !res->interrupted && (rc = augur_layer_times_load(o->fit_times, fit, diag)))
		*fit = NULL;
	if (!rc && *fit)
		adapter_facts(o->adapter, *fit);
	augur_layer_times_free(done);
	free(done_text);
	free(todo);
	return rc;
}

/* The forward time of lt's row for the network at path, 0 when none. */
static double forward_of(const struct augur_layer_times *lt, const char *path)
{
	const struct augur_layer_times_row *row = find_row(lt, path);
	return row ? row->forward_ms : 0;
}

/* Up to AUGUR_CAMPAIGN_AGAIN fit networks with a forward time in fit, evenly spread over
 * o->networks, measured again into o->again_times; res gets the drift of their forward
 * times against fit's. The drift only qualifies the checks' errors, and the profile is
 * complete before it: a failure here goes into res->again_failed and a stop into
 * res->again_interrupted, never into the campaign's status (a stop there would discard a
 * finished profile, and --resume would measure the checks again for a diagnostic). */
static void measure_again(const struct augur_campaign_options *o, struct augur_adapter_settings *s,
                          const struct augur_layer_times *fit, struct augur_campaign_result *res)
{
	const char *pick[AUGUR_CAMPAIGN_AGAIN];
	size_t n = 0;
	for (size_t k = 0; k < AUGUR_CAMPAIGN_AGAIN && o->n_networks; k++) {
		const char *path = o->networks[k * o->n_networks / AUGUR_CAMPAIGN_AGAIN];
		if (forward_of(fit, path) > 0 && (!n || strcmp(pick[n - 1], path)))
			pick[n++] = path;
	}
	if (!n)
		return;
	struct augur_adapter_outcome got = {0};
	struct augur_layer_times *now = NULL;
	s->first = o->n_networks + o->n_checks;
	int rc = measure(o, s, pick, n, o->again_times, &got, &now, &res->again_failed);
	if (rc && !res->again_failed.code)
		res->again_failed.code = rc; /* so the caller can tell, whatever failed */
	res->again_interrupted = !rc && got.interrupted;
	double ratio[AUGUR_CAMPAIGN_AGAIN];
	size_t m = 0;
	for (size_t i = 0; !rc && now && i < n; i++) {
		double then = forward_of(fit, pick[i]), again = forward_of(now, pick[i]);
		if (then > 0 && again > 0) {
			ratio[m++] = again / then - 1;
			res->n_again_agree += fabs(ratio[m - 1]) <= AUGUR_CAMPAIGN_AGREE;
		}
	}
	if (m) {
		res->n_again = m;
		res->drift_lo = res->drift_hi = ratio[0];
		for (size_t i = 1; i < m; i++) {
			res->drift_lo = fmin(res->drift_lo, ratio[i]);
			res->drift_hi = fmax(res->drift_hi, ratio[i]);
		}
		res->drift = augur_median_in_place(ratio, m);
	}
	augur_layer_times_free(now);
}

int augur_campaign_run(const struct augur_campaign_options *o, struct augur_profile *p,
                       struct augur_campaign_result *res, struct augur_diag *diag)
{
	*res = (struct augur_campaign_result){0};
	struct augur_adapter_settings s = o->settings;
	s.t0 = now_s();
	s.first = s.resumed = 0;
	size_t again = o->n_networks < AUGUR_CAMPAIGN_AGAIN ? o->n_networks : AUGUR_CAMPAIGN_AGAIN;
	s.total = o->n_networks + o->n_checks + (o->again_times ? again : 0);
	s.board = p->name;
	struct augur_layer_times *fit = NULL, *chk = NULL;
	struct augur_adapter_outcome got;
	res->fault_before = p->machine.fault_ms_per_mib;
	res->fault_after = NAN;
	int rc = measure_fit(o, &s, res, &fit, diag);
	if (rc || res->interrupted)
		goto out;
	if (o->fault_probe) {
		/* the layer-cost fit takes the machine's fault cost as the least a fresh page
		 * costs (augur_layer_costs_fit); on a host whose cost moved under the campaign
		 * (a Zen 5 guest: 0.32 ms per MiB one day, 2.43 the next) the lower reading is
		 * the one its fit networks' faults paid at least */
		res->fault_after = o->fault_probe();
		if (isfinite(res->fault_after) &&
		    !(res->fault_after >= p->machine.fault_ms_per_mib))
			p->machine.fault_ms_per_mib = res->fault_after;
	}
	if ((rc = augur_profile_fit_layer_times(p, fit, diag)))
		goto out;
	/* the cache size the fit networks' times describe best, by cross-validating them at
	 * several (the knee measured before the campaign moves with other tenants' load);
	 * a diagnostic, like the drift: when no size's folds fit, the profile keeps its fit at
	 * the measured size, whole */
	if (augur_profile_choose_llc(p, fit, AUGUR_CAMPAIGN_FOLDS, &res->llc,
	                             &res->crossval_failed) == AUGUR_OK)
		res->crossval = res->llc.at_chosen;
	if (o->n_checks) {
		s.first = o->n_networks;
		rc = measure(o, &s, o->checks, o->n_checks, o->check_times, &got, &chk, diag);
		res->interrupted = got.interrupted;
		if (!rc && !res->interrupted)
			rc = predict_checks(chk, p, res, diag);
	}
	if (!rc && !res->interrupted && o->again_times)
		measure_again(o, &s, fit, res);
	if (!rc && !res->interrupted && p->cpu && p->cpu->costs) {
		struct augur_cost_check *k = &p->cpu->costs->checked;
		*k = (struct augur_cost_check){
		        .networks = (uint32_t)res->n_checks,
		        .within_10 = (uint32_t)res->within_10,
		        .median_error = res->n_checks ? res->median_error : NAN,
		        .layer_median_error = res->n_layers ? res->layer_median_error : NAN,
		        .crossval_median_error = NAN};
		if (res->crossval.folds) {
			k->crossval_networks = (uint32_t)res->crossval.networks;
			k->crossval_within_10 = (uint32_t)res->crossval.within_10;
			k->crossval_median_error = res->crossval.median_error;
		}
	}
out:
	augur_layer_times_free(fit);
	augur_layer_times_free(chk);
	res->seconds = now_s() - s.t0;
	return rc;
}
