/* Measuring networks in augur's own runtime (runtime.h) on this machine: forward time
 * (median and spread over passes), each layer's time inside those passes, the time in
 * BLAS, the memory held and the peak RSS; a disturbed measurement is taken again. Behind
 * `augur run` and the layer-cost campaign of `augur calibrate`, which turns the
 * measurements into a layer-times file (docs/profiles.md) and fits a profile to it. */
#ifndef AUGUR_NETBENCH_H
#define AUGUR_NETBENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "net.h"
#include "runtime.h"
#include "status.h"
#include "strbuf.h"

/* numpy's quantiles of a set of times (ms), as bench/validate takes them */
struct augur_times {
	double median, p10, p90, spread; /* spread: (p90 - p10) / median */
};

struct augur_net_run {
	const char *path; /* the descriptor, as given (not owned) */
	struct augur_net *net;
	struct augur_analysis *a;
	struct augur_times forward;
	double gemm_ms;            /* median over passes of the time in BLAS */
	struct augur_times *layer; /* per layer */
	struct augur_runtime_memory mem;
	uint64_t peak_rss; /* above the process's RSS before the runtime was built */
	bool have_rss;
	/* how much slower the machine ran the speed probe around this measurement than it
	 * usually does (0.25: 25% slower); 0 without a probe */
	double slowdown;
};

/* A fixed reference workload timed before and after each measurement: a conv layer and a
 * pass over a buffer larger than most caches, through augur's runtime. Spread and the
 * layers' sum see a disturbance that comes and goes during the passes; only a reference
 * sees a machine slowed evenly for the whole measurement (another tenant on the memory
 * bus: the same networks ran up to 56% slower ten minutes later on the Zen 5 guest of
 * issue 24). */
#define AUGUR_PROBE_RECENT 64
struct augur_speed_probe {
	struct augur_runtime *rt;
	struct augur_net *net;
	struct augur_analysis *a;
	/* what it usually takes: the lower quartile of its last AUGUR_PROBE_RECENT runs. Not
	 * its best: on a quiet Xeon guest the probe ran 15-35% over its best after most
	 * networks (caches and clocks left by the network), and every one looked disturbed */
	double usual_ms;
	double recent[AUGUR_PROBE_RECENT];
	uint64_t runs; /* probe runs so far */
};

/* Builds the probe (*p cleared first; free with augur_speed_probe_free); AUGUR_E_NOMEM. */
int augur_speed_probe_new(struct augur_speed_probe *p, struct augur_diag *diag);
void augur_speed_probe_free(struct augur_speed_probe *p);
/* Times the probe (best of five passes), updates usual_ms, returns the time in ms. */
double augur_speed_probe_run(struct augur_speed_probe *p);

/* How fast this machine runs the probe now: its usual time (lower quartile) over
 * AUGUR_PROBE_SETTLE runs of a probe of its own, in ms; 0 when it cannot be built (no
 * memory). The machine fact probe_ms of a profile, and what augur run --device compares
 * with it. About 0.1 s. */
#define AUGUR_PROBE_SETTLE 16
double augur_speed_probe_usual(void);

struct augur_netbench_options {
	uint64_t batch;   /* 0: the descriptor's */
	uint64_t reps;    /* timed passes */
	uint64_t warmup;  /* untimed passes first */
	uint64_t threads; /* BLAS threads */
	uint64_t seed;    /* random weights and input */
	uint64_t retries; /* measurements again of a disturbed network, the calmest kept */
	const char *dump; /* NULL, or a directory for one pass's raw float32 blobs */
	/* loads a network (NULL: augur_net_load); augur run's gives it the --input size */
	int (*load)(const char *path, struct augur_net **out, struct augur_diag *diag);
	/* called before each measurement again (k counts from 0), with the disturbed one */
	void (*retrying)(const struct augur_net_run *r, uint64_t k, void *ctx);
	/* augur_netbench_measure_list's, each NULL when not wanted: asked before each
	 * measurement (true stops there); told which network is measured next for the first
	 * time, and each first measurement; how a measurement is judged (NULL:
	 * augur_net_run_disturbance; a test judges by a script of its own) */
	bool (*stop)(void *ctx);
	void (*next)(size_t k, const char *path, void *ctx);
	void (*measured)(const struct augur_net_run *r, size_t k, void *ctx);
	double (*disturbance)(const struct augur_net_run *r, void *ctx);
	void *ctx;
	/* NULL, or a speed probe timed around each measurement: one taken while the machine
	 * ran it more than AUGUR_NETBENCH_SLOWED slower than usual is disturbed too */
	struct augur_speed_probe *probe;
};

/* A measurement over this disturbance (augur_net_run_disturbance) is taken again. */
#define AUGUR_NETBENCH_NOISY 0.10
/* A probe slowdown counts as disturbance only above this: the probe's own run-to-run
 * variation on a quiet machine stays under it */
#define AUGUR_NETBENCH_SLOWED 0.20

/* Measures the networks at paths[0..n) into runs[0..n): each once, in order, then the
 * disturbed ones again (over AUGUR_NETBENCH_NOISY), up to o->retries rounds, each round
 * after every network has had its turn, keeping the calmest. Taken again straight away, a
 * network meets the same disturbance: on the shared Zen 5 guest another tenant slowed a
 * dozen networks in a row by 23-29% for two minutes, and each one's two immediate retries
 * were as slow (bench/heldout, seed 4360). *filled counts the runs to free with
 * augur_net_run_clear, also after a failure or a stop: all n once the first round is
 * done, fewer when o->stop cut it short. Fails with the reader's, tracer's or runtime's
 * located errors, AUGUR_E_IO when the dump (the first network's) cannot be written,
 * AUGUR_E_NOMEM. */
int augur_netbench_measure_list(const char *const *paths, size_t n,
                                const struct augur_netbench_options *o, struct augur_net_run *runs,
                                size_t *filled, struct augur_diag *diag);

void augur_net_run_clear(struct augur_net_run *r);

/* The sum of the medians of the layers of type t. */
double augur_net_run_type_ms(const struct augur_net_run *r, enum augur_layer_type t);

/* The layers' medians added up, against the pass's median. */
double augur_net_run_layers_ratio(const struct augur_net_run *r);

/* How far a measurement is from a quiet one (bench/validate's rule): the passes' spread,
 * or how far the layers' medians add up from the pass's median; or how much slower the
 * speed probe ran around it than at its best. */
double augur_net_run_disturbance(const struct augur_net_run *r);

/* "OpenBLAS 0.3.21 (SkylakeX)" into buf; *config the library's whole configuration string
 * and *threads its threads. */
void augur_netbench_blas(char *buf, size_t size, const char **config, uint32_t *threads);

/* The measurements as a layer-times file (docs/profiles.md, docs/run.md) for board,
 * appended to out: a header (command, date, CPU, BLAS, OPENBLAS_CORETYPE, repetitions),
 * the framework (augur's runtime), one row per network with its per-type sums and
 * per-layer medians, and each network's peak RSS. command is the line that made them. */
void augur_netbench_layer_times(const struct augur_net_run *rs, size_t n,
                                const struct augur_netbench_options *o, const char *board,
                                const char *command, struct augur_strbuf *out);

#endif
