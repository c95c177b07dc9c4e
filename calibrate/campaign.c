/* The layer-cost campaign for augur's runtime (see campaign.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "campaign.h"
#include "estimate.h"
#include "layertimes.h"
#include "netbench.h"
#include "profilefit.h"
#include "stats.h"

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Progress before network i of total, with an ETA from the pace so far. */
static void tick(const struct augur_campaign_options *o, size_t i, size_t total, const char *path,
                 double t0)
{
	if (!o->progress)
		return;
	double elapsed = now_s() - t0;
	double eta = i ? elapsed / (double)i * (double)(total - i) : 0;
	o->progress(i, total, path, elapsed, eta, o->ctx);
}

static bool stopped(const struct augur_campaign_options *o)
{
	return o->stop && *o->stop;
}

/* Measures each check network and predicts it with the fitted profile. */
static int check(const struct augur_campaign_options *o, const struct augur_profile *p,
                 const struct augur_netbench_options *nb, struct augur_campaign_result *res,
                 double t0, struct augur_diag *diag)
{
	if (!o->n_checks)
		return 0;
	res->checks = calloc(o->n_checks, sizeof(*res->checks));
	double *errors = calloc(o->n_checks, sizeof(double));
	int rc = 0;
	if (!res->checks || !errors) {
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, o->checks[0], 0, 0, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < o->n_checks && !rc; i++) {
		if (stopped(o)) {
			res->interrupted = true;
			break;
		}
		tick(o, o->n_networks + i, o->n_networks + o->n_checks, o->checks[i], t0);
		struct augur_net_run run;
		struct augur_unit_estimate e = {0};
		rc = augur_netbench_measure(o->checks[i], nb, &run, diag);
		if (!rc)
			rc = augur_estimate_unit(run.net, run.a, p, p->cpu, &e, diag);
		if (!rc) {
			struct augur_campaign_check *c = &res->checks[res->n_checks++];
			c->path = o->checks[i];
			snprintf(c->name, sizeof(c->name), "%s", run.net->name);
			c->measured_ms = run.forward.median;
			c->predicted_ms = e.total_ms;
			errors[i] = fabs(c->predicted_ms / c->measured_ms - 1);
			res->within_10 += errors[i] <= 0.10;
		}
		augur_unit_estimate_clear(&e);
		augur_net_run_clear(&run);
	}
	if (!rc && res->n_checks)
		res->median_error = augur_median_in_place(errors, res->n_checks);
out:
	free(errors);
	return rc;
}

int augur_campaign_run(const struct augur_campaign_options *o, struct augur_profile *p,
                       struct augur_strbuf *times, struct augur_campaign_result *res,
                       struct augur_diag *diag)
{
	*res = (struct augur_campaign_result){0};
	double t0 = now_s();
	struct augur_netbench_options nb = {.reps = o->reps,
	                                    .warmup = o->warmup,
	                                    .threads = o->threads,
	                                    .seed = 1,
	                                    .retries = o->retries};
	struct augur_net_run *runs = calloc(o->n_networks ? o->n_networks : 1, sizeof(*runs));
	struct augur_layer_times *lt = NULL;
	struct augur_speed_probe probe = {0};
	size_t n = 0;
	int rc = 0;
	/* a measurement taken again is one the probe can tell apart from a quiet one */
	if (o->retries && !(rc = augur_speed_probe_new(&probe, diag)))
		nb.probe = &probe;
	if (rc)
		goto out;
	if (!runs) {
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, p->name, 0, 0, "out of memory");
		goto out;
	}
	for (; n < o->n_networks; n++) {
		if (stopped(o)) {
			res->interrupted = true;
			goto out;
		}
		tick(o, n, o->n_networks + o->n_checks, o->networks[n], t0);
		if ((rc = augur_netbench_measure(o->networks[n], &nb, &runs[n], diag))) {
			n++; /* cleared below with the others */
			goto out;
		}
		res->measured++;
		if (augur_net_run_disturbance(&runs[n]) > AUGUR_NETBENCH_NOISY) {
			res->disturbed++;
			res->worst_slowdown = fmax(res->worst_slowdown, runs[n].slowdown);
		}
	}
	size_t start = times->len;
	augur_netbench_layer_times(runs, n, &nb, p->name, o->command, times);
	if (times->failed) {
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, p->name, 0, 0, "out of memory");
		goto out;
	}
	if ((rc = augur_layer_times_parse("the calibration's layer times", times->data + start,
	                                  times->len - start, &lt, diag)) ||
	    (rc = augur_profile_fit_layer_times(p, lt, diag)))
		goto out;
	rc = check(o, p, &nb, res, t0, diag);
out:
	for (size_t i = 0; i < n; i++)
		augur_net_run_clear(&runs[i]);
	free(runs);
	augur_speed_probe_free(&probe);
	augur_layer_times_free(lt);
	res->seconds = now_s() - t0;
	return rc;
}
