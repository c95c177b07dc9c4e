/* The layer-cost campaign of `augur calibrate` for augur's own runtime: networks measured
 * in the runtime (netbench.h), their times made a layer-times file and the profile's cpu
 * unit fitted to it (every layer type's cost and the runtime's memory overhead), then a
 * check of the fitted profile on networks it was not fitted on. Never prints: progress
 * goes through a callback. */
#ifndef AUGUR_CAMPAIGN_H
#define AUGUR_CAMPAIGN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"
#include "status.h"
#include "strbuf.h"

struct augur_campaign_options {
	const char *const *networks; /* descriptor paths to fit on */
	size_t n_networks;
	const char *const *checks; /* descriptor paths to check the fit on (not fitted) */
	size_t n_checks;
	uint64_t reps, warmup, retries, threads; /* as augur run's options */
	const char *command;                     /* the command line, for the file's header */
	volatile sig_atomic_t *stop;             /* set (e.g. by SIGINT) to stop between networks */
	/* before each network: index among networks then checks, their total, its path */
	void (*progress)(size_t index, size_t total, const char *path, double elapsed_s,
	                 double eta_s, void *ctx);
	void *ctx;
};

/* One checked network: measured against predicted forward time. */
struct augur_campaign_check {
	const char *path;
	char name[64];
	double measured_ms, predicted_ms;
};

struct augur_campaign_result {
	size_t measured;                     /* networks measured for the fit */
	double seconds;                      /* the whole campaign */
	bool interrupted;                    /* stopped by o->stop: p is unchanged */
	struct augur_campaign_check *checks; /* n_checks of them, when not interrupted */
	size_t n_checks;
	size_t within_10;    /* checks predicted within 10% */
	double median_error; /* of |predicted / measured - 1| over the checks */
	/* fit networks whose kept measurement is still disturbed (augur_net_run_disturbance
	 * over AUGUR_NETBENCH_NOISY after the retries), and the largest slowdown of the
	 * speed probe among them */
	size_t disturbed;
	double worst_slowdown;
};

/* Measures o's networks, appends their layer-times file to times (the record of what the
 * costs were fitted from), fits p's cpu unit to it (the unit must have its GEMM model; p's
 * name is the rows' board), then measures the checks and predicts them with the fitted p.
 * Fails with the networks' located errors, the fit's, AUGUR_E_NOMEM. Free res->checks. */
int augur_campaign_run(const struct augur_campaign_options *o, struct augur_profile *p,
                       struct augur_strbuf *times, struct augur_campaign_result *res,
                       struct augur_diag *diag);

#endif
