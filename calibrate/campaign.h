/* The layer-cost campaign of `augur calibrate`: networks measured in a framework through
 * its measurement adapter (docs/adapters.md), which writes their layer-times file; the
 * profile's cpu unit fitted to it (every layer type's cost and the framework's memory
 * overhead), then a check of the fitted profile on networks it was not fitted on, measured
 * by the same adapter. A new framework is a new adapter in the table, not new model code.
 * Never prints: progress goes through a callback, which an adapter that runs another
 * program drives from that program's progress lines (docs/adapters.md, "Progress"). */
#ifndef AUGUR_CAMPAIGN_H
#define AUGUR_CAMPAIGN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"
#include "profilefit.h"
#include "status.h"

/* What every adapter is given besides the descriptors (docs/adapters.md). */
struct augur_adapter_settings {
	uint64_t reps, warmup, retries, threads; /* as augur run's options */
	int mkldnn;                              /* 1 on, 0 off, -1 the adapter's default */
	const char *board;                       /* the rows' board: the profile's name */
	const char *command;                     /* the command line, for the file's header */
	const char *exe;  /* augur's own program, for an adapter that runs augur inspect */
	const char *data; /* augur's shipped data (augur_shipped_data_dir): scripts live there */
	volatile sig_atomic_t *stop; /* set (e.g. by SIGINT) to stop between networks */
	/* before each network, when the adapter can tell: its index among total, its path */
	void (*progress)(size_t index, size_t total, const char *path, double elapsed_s,
	                 double eta_s, void *ctx);
	void *ctx;
	size_t first, total; /* the index of this call's first network in the progress count */
	size_t resumed;      /* of them, measured by an earlier run: left out of the pace */
	double t0;           /* when the campaign started (CLOCK_MONOTONIC seconds) */
};

/* What a measurement gave besides its file. */
struct augur_adapter_outcome {
	size_t measured;  /* networks written */
	bool interrupted; /* settings' stop cut it short */
	/* networks whose kept measurement is still disturbed after the retries (the adapter's
	 * own rule; augur's: augur_net_run_disturbance over AUGUR_NETBENCH_NOISY, the speed
	 * probe included; pytorch's: the script's "disturbed" progress lines), and the probe's
	 * largest slowdown among them (0: no probe) */
	size_t disturbed;
	double worst_slowdown;
	/* fit networks measured again after the checks (again_times), and the median and range
	 * of their forward time then against the fit's measurement, minus 1 (0.08: 8% slower
	 * at the end of the campaign than when fitted) */
	size_t n_again;
	double drift, drift_lo, drift_hi;
};

/* One measurement adapter. */
struct augur_adapter {
	const char *name;  /* what --framework takes */
	const char *needs; /* what it needs installed, one line for users */
	/* the memory view its runtime follows, written into the profile's framework facts
	 * when the measurements do not state one */
	enum augur_memory_view view;
	/* how its runtime runs grouped convolutions, written likewise when the measurements
	 * do not state it (UNSTATED: the adapter's file states it where it is known) */
	enum augur_conv_groups groups;
	bool mkldnn; /* takes --mkldnn */
	/* 0 when it can measure on this machine; otherwise -1 and why into why (what is
	 * missing and what to install). Runs nothing long: calibrate asks before the GEMM
	 * sweep. */
	int (*available)(const struct augur_adapter_settings *s, char *why, size_t size);
	/* Measures the n descriptors and writes their layer-times file at out (atomically):
	 * framework facts, per network and layer the times, forward time and spread, and its
	 * peak memory, and what else it saw into *got.
	 * Fails with a located diagnostic. */
	int (*measure)(const char *const *nets, size_t n, const struct augur_adapter_settings *s,
	               const char *out, struct augur_adapter_outcome *got, struct augur_diag *diag);
};

/* The lines of an adapter's progress protocol (docs/adapters.md, "Progress"). */
enum augur_progress_kind {
	AUGUR_PROGRESS_IGNORED = 0, /* not a line of the protocol, or a malformed one */
	AUGUR_PROGRESS_NETWORK,     /* "network I N PATH": the I-th network is measured next */
	AUGUR_PROGRESS_DISTURBED,   /* "disturbed I N PATH": its kept measurement is still
	                               disturbed after the adapter's retries */
};

/* One line of the protocol, without its line break: a word, the network's place I among
 * the N the adapter was given (counted from 1), PATH that network's descriptor. Its kind,
 * with *index the place counted from 0, when line is such a line for n networks (N == n,
 * 1 <= I <= n, one space between the fields, a path); IGNORED for any other line, which
 * the campaign ignores (a later version of the protocol may add words; a malformed line
 * costs one step of the bar, never the measurement). */
enum augur_progress_kind augur_progress_line(const char *line, size_t n, size_t *index);

/* An adapter's progress stream as it arrives, in pieces of any size: lines up to their
 * line break, a line over 4 KiB ignored whole. Zero it and set n (the networks given). */
struct augur_progress_reader {
	size_t n;              /* the networks the adapter was given */
	size_t next;           /* the first network not reported yet */
	size_t next_disturbed; /* the first network that may still be reported disturbed */
	char line[4096];       /* the line being read */
	size_t len;            /* its bytes so far */
	bool overlong;         /* longer than line: ignored up to its line break */
};

/* Feeds len bytes of the stream to r, calling on(kind, index, ctx) for each line
 * augur_progress_line takes: a network line whose network is not before one reported
 * already (the count only moves forward); a disturbed line for a network reported already
 * and after the last one reported disturbed. So each kind's indexes are below r->n and
 * strictly increasing, and a network is reported disturbed only after it started. */
void augur_progress_feed(struct augur_progress_reader *r, const char *buf, size_t len,
                         void (*on)(enum augur_progress_kind kind, size_t index, void *ctx),
                         void *ctx);

/* The adapter called name, or NULL. */
const struct augur_adapter *augur_adapter_find(const char *name);

struct augur_campaign_options {
	const struct augur_adapter *adapter;
	const char *const *networks; /* descriptor paths to fit on */
	size_t n_networks;
	const char *const *checks; /* descriptor paths to check the fit on (not fitted) */
	size_t n_checks;
	struct augur_adapter_settings settings; /* first, total and t0 are set by the run */
	const char *fit_times;   /* where the fit networks' layer-times file is written */
	const char *check_times; /* and the checks' */
	/* NULL, or the layer-times file of a campaign interrupted before (augur calibrate
	 * --resume): its networks are not measured again, and fit_times gets its rows and the
	 * new ones together */
	const char *done_times;
	/* NULL, or where a few fit networks measured again after the checks are written: how
	 * far the machine drifted during the campaign (augur_campaign_result's drift) */
	const char *again_times;
	/* NULL, or the machine's page-fault probe (ms per MiB, NAN when it cannot measure),
	 * run again once the fit networks are measured: the host's fault cost moves from hour
	 * to hour, and the fit's floor for it is the lower of this and p's probe */
	double (*fault_probe)(void);
};

/* Fit networks measured again after the checks, spread evenly over the fit set: a few
 * seconds that tell the fit's conditions from the checks' */
#define AUGUR_CAMPAIGN_AGAIN 6
/* A drift beyond this (either way) is half the ±10% goal: calibrate says the machine's
 * speed moved and the checks' errors are partly its own */
/* a network measured again agrees with its first measurement within this fraction (the
 * goals' ±10%) */
#define AUGUR_CAMPAIGN_AGREE 0.10
#define AUGUR_CAMPAIGN_DRIFT 0.05

/* Folds of the fit networks' cross-validation: each predicted by a fit on four fifths */
#define AUGUR_CAMPAIGN_FOLDS 5

/* Layers shorter than this are left out of the per-layer verdict: a few microseconds are
 * within the timer's and the dispatch's noise. */
#define AUGUR_CAMPAIGN_LAYER_MS 0.01

/* One checked network: measured against predicted forward time and peak memory. */
struct augur_campaign_check {
	char name[64];
	double measured_ms, predicted_ms;
	double measured_mib, predicted_mib; /* NAN when the adapter gave no peak */
};

struct augur_campaign_result {
	size_t measured;  /* networks measured for the fit (done_times' included) */
	size_t resumed;   /* of them, measured before, in done_times */
	double seconds;   /* the whole campaign */
	bool interrupted; /* stopped by settings.stop: p may be half-made, never write it */
	struct augur_campaign_check *checks; /* the checks measured */
	size_t n_checks;
	size_t within_10;    /* checks predicted within 10% */
	double median_error; /* of |predicted / measured - 1| over the checks */
	size_t n_memory;     /* checks with a measured peak */
	size_t memory_within_10;
	double memory_median_error;
	/* per layer of the checks (their measured per-layer times against the layers'
	 * predictions): the median of |predicted / measured - 1| over all layers of at least
	 * AUGUR_CAMPAIGN_LAYER_MS, and per type */
	size_t n_layers;
	double layer_median_error;
	size_t type_layers[AUGUR_LAYER_TYPE_COUNT];
	double type_median_error[AUGUR_LAYER_TYPE_COUNT];
	/* fit networks whose kept measurement is still disturbed, and the speed probe's
	 * largest slowdown among them (augur_adapter_outcome) */
	size_t disturbed;
	double worst_slowdown;
	/* fit networks measured again after the checks (again_times), and the median and range
	 * of their forward time then against the fit's measurement, minus 1 (0.08: 8% slower
	 * at the end of the campaign than when fitted) */
	size_t n_again;
	double drift, drift_lo, drift_hi;
	/* of them, those within AUGUR_CAMPAIGN_AGREE of their first measurement: the machine's
	 * repeatability, the most a model fitted to the first could score on the second */
	size_t n_again_agree;
	/* the drift is a diagnostic: when its measurement fails, again_failed holds the error
	 * (again_failed.code != 0: the adapter's, or the file it wrote not loading), and when
	 * settings.stop cuts it short, again_interrupted is set; the campaign succeeds either
	 * way, without the drift (n_again 0), since the fit and the checks are complete */
	struct augur_diag again_failed;
	bool again_interrupted;
	/* the fit networks cross-validated (AUGUR_CAMPAIGN_FOLDS folds: each predicted by a fit
	 * on the others); folds 0 when there were too few or a fold's fit failed
	 * (crossval_failed.code != 0: a diagnostic, the profile is complete without it) */
	struct augur_crossval crossval;
	struct augur_diag crossval_failed;
	/* the last-level cache size the layer costs were fitted with, chosen by that
	 * cross-validation (augur_profile_choose_llc; crossval is the chosen size's) */
	struct augur_llc_choice llc;
	/* the page-fault cost (ms per MiB) p's probe measured before the campaign and
	 * fault_probe after its fit networks; NAN where not measured */
	double fault_before, fault_after;
};

/* Measures o's networks through o->adapter into o->fit_times, fits p's cpu unit to it (the
 * unit must have its GEMM model; p's name is the rows' board; p's framework becomes the
 * file's), then measures the checks into o->check_times and predicts them with the fitted
 * p, then (with o->again_times) measures a few fit networks again for the drift. Fails with the
 * adapter's or the fit's located errors, AUGUR_E_NOMEM; never because of the drift, whose
 * failure or interruption is told in res (again_failed, again_interrupted) and leaves res
 * and p as complete as without o->again_times. Free res->checks. */
int augur_campaign_run(const struct augur_campaign_options *o, struct augur_profile *p,
                       struct augur_campaign_result *res, struct augur_diag *diag);

#endif
