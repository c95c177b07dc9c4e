/* Measuring networks (calibrate/netbench.h): what counts as a disturbed measurement, the
 * speed probe that sees a machine slowed evenly, and the order in which a list of networks
 * is measured and measured again. Times are never asserted: only how the figures relate
 * (a best is the fastest seen; a slowdown is measured against it). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "netbench.h"
#include "netfile.h"

static const char two_layers[] = "name: tiny\n"
                                 "input: [4, 16, 16]\n"
                                 "layers:\n"
                                 "  - {name: c, type: conv, filters: 8, kernel: 3, pad: 1}\n"
                                 "  - {name: r, type: relu}\n";

/* Writes two_layers as tmpdir/tiny.yaml, its path into path; false when it cannot. */
static bool write_tiny(const char *tmpdir, char *path, size_t size)
{
	snprintf(path, size, "%s/tiny.yaml", tmpdir);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return false;
	fputs(two_layers, f);
	fclose(f);
	return true;
}

/* disturbance: the largest of the passes' spread, how far the layers' medians add up from
 * the pass, and the probe's slowdown */
static void test_disturbance(void)
{
	struct augur_diag d = {0};
	struct augur_net_run r = {.path = "tiny.yaml"};
	CHECK_EQ_INT(
	        augur_net_parse("tiny.yaml", two_layers, sizeof(two_layers) - 1, &r.net, NULL, &d),
	        AUGUR_OK);
	CHECK(r.net && augur_analyze(r.net, 1, &r.a, &d) == AUGUR_OK);
	if (!r.a)
		return;
	r.layer = calloc(2, sizeof(*r.layer));
	if (!r.layer)
		return;
	r.forward.median = 2.0;
	r.forward.spread = 0.05;
	r.layer[0].median = 1.5;
	r.layer[1].median = 0.3; /* the layers add up to 1.8 of the pass's 2.0: 10% off */
	CHECK_NEAR(augur_net_run_layers_ratio(&r), 0.9, 1e-12);
	CHECK_NEAR(augur_net_run_disturbance(&r), 0.1, 1e-12);
	r.slowdown = 0.15; /* the reference 15% slower: within its own variation */
	CHECK_NEAR(augur_net_run_disturbance(&r), 0.1, 1e-12);
	r.slowdown = 0.3; /* 30% slower: the machine was slowed */
	CHECK_NEAR(augur_net_run_disturbance(&r), 0.3, 1e-12);
	r.forward.spread = 0.5;
	CHECK_NEAR(augur_net_run_disturbance(&r), 0.5, 1e-12);
	augur_net_run_clear(&r);
}

/* The probe runs, keeps what it usually takes (the lower quartile of its recent runs), and
 * a measurement with it records a slowdown against that (never below 0) */
static void test_probe(const char *tmpdir)
{
	struct augur_speed_probe p;
	struct augur_diag d = {0};
	CHECK_EQ_INT(augur_speed_probe_new(&p, &d), AUGUR_OK);
	double t1 = augur_speed_probe_run(&p), t2 = augur_speed_probe_run(&p);
	CHECK(t1 > 0 && t2 > 0);
	/* the lower quartile of two runs: between the two */
	CHECK(p.usual_ms >= (t1 < t2 ? t1 : t2) && p.usual_ms <= (t1 > t2 ? t1 : t2));
	CHECK_EQ_U64(p.runs, 2);
	char path[4096];
	write_tiny(tmpdir, path, sizeof(path));
	struct augur_netbench_options o = {
	        .reps = 3, .warmup = 1, .threads = 1, .seed = 1, .retries = 1, .probe = &p};
	struct augur_net_run r;
	const char *one[] = {path};
	size_t filled = 0;
	CHECK_EQ_INT(augur_netbench_measure_list(one, 1, &o, &r, &filled, &d), AUGUR_OK);
	CHECK_EQ_U64(filled, 1);
	CHECK(r.slowdown >= 0);
	CHECK(p.runs >= 4); /* before and after each measurement */
	CHECK(r.forward.median > 0);
	augur_net_run_clear(&r);
	augur_speed_probe_free(&p);
	CHECK(p.rt == NULL && p.net == NULL && p.a == NULL);
	remove(path);
}

/* A judge scripted per network and attempt: script[net][0] for the first measurement,
 * script[net][a] for the a-th measurement again. The kept (calmest) one is what netbench
 * hands the retrying hook, so a run is told apart from a new one by its layer array. */
enum { SCRIPT_NETS = 3, SCRIPT_ATTEMPTS = 3 };
struct script {
	const char *const *paths;
	double value[SCRIPT_NETS][SCRIPT_ATTEMPTS];
	/* each first measurement's layer array, and the calmest so far's, as addresses: a
	 * freed one is only ever compared */
	uintptr_t first[SCRIPT_NETS], kept[SCRIPT_NETS];
	double kept_value[SCRIPT_NETS];
	size_t again[SCRIPT_NETS];     /* measurements again so far */
	size_t next_calls, stop_after; /* stop before the (stop_after+1)-th network */
	char events[128];              /* "n0 n1 n2 a1.0 ..." */
};

static size_t script_net(const struct script *j, const char *path)
{
	size_t k = 0;
	while (k + 1 < SCRIPT_NETS && j->paths[k] != path)
		k++;
	return k;
}

static void script_event(struct script *j, const char *what, size_t k, size_t round, bool again)
{
	size_t at = strlen(j->events);
	if (again)
		snprintf(j->events + at, sizeof(j->events) - at, "%s%zu.%zu ", what, k, round);
	else
		snprintf(j->events + at, sizeof(j->events) - at, "%s%zu ", what, k);
}

static double script_judge(const struct augur_net_run *r, void *ctx)
{
	const struct script *j = ctx;
	size_t k = script_net(j, r->path);
	return (uintptr_t)r->layer == j->kept[k] ? j->kept_value[k] : j->value[k][j->again[k]];
}

static void script_next(size_t k, const char *path, void *ctx)
{
	struct script *j = ctx;
	CHECK(path == j->paths[k]);
	j->next_calls++;
	script_event(j, "n", k, 0, false);
}

static void script_measured(const struct augur_net_run *r, size_t k, void *ctx)
{
	struct script *j = ctx;
	j->first[k] = j->kept[k] = (uintptr_t)r->layer;
	j->kept_value[k] = j->value[k][0];
}

static void script_retrying(const struct augur_net_run *r, uint64_t round, void *ctx)
{
	struct script *j = ctx;
	size_t k = script_net(j, r->path);
	if ((uintptr_t)r->layer != j->kept[k]) { /* the last measurement again was calmer */
		j->kept[k] = (uintptr_t)r->layer;
		j->kept_value[k] = j->value[k][j->again[k]];
	}
	j->again[k]++;
	script_event(j, "a", k, (size_t)round, true);
}

static bool script_stop(void *ctx)
{
	const struct script *j = ctx;
	return j->stop_after && j->next_calls >= j->stop_after;
}

/* Every network once, in order; then the disturbed ones again, round by round, each round
 * after all of them, keeping a measurement only when it is calmer; a stop keeps the
 * networks measured so far */
static void test_list_order(const char *tmpdir)
{
	char path[4096];
	if (!write_tiny(tmpdir, path, sizeof(path)))
		return;
	/* one file under three names, told apart by pointer */
	char p1[4096], p2[4096];
	snprintf(p1, sizeof(p1), "%s", path);
	snprintf(p2, sizeof(p2), "%s", path);
	const char *paths[SCRIPT_NETS] = {path, p1, p2};
	struct script j = {
	        .paths = paths,
	        .value = {{0.01, 0, 0},     /* calm: never again */
	                  {0.5, 0.4, 0.45}, /* calmer, then worse: the first again is kept */
	                  {0.3, 0.02, 0}},  /* calm after one more */
	};
	struct augur_netbench_options o = {.reps = 2,
	                                   .warmup = 0,
	                                   .threads = 1,
	                                   .seed = 1,
	                                   .retries = 2,
	                                   .retrying = script_retrying,
	                                   .stop = script_stop,
	                                   .next = script_next,
	                                   .measured = script_measured,
	                                   .disturbance = script_judge,
	                                   .ctx = &j};
	struct augur_net_run runs[SCRIPT_NETS];
	struct augur_diag d = {0};
	size_t filled = 0;
	CHECK_EQ_INT(augur_netbench_measure_list(paths, SCRIPT_NETS, &o, runs, &filled, &d),
	             AUGUR_OK);
	CHECK_EQ_U64(filled, SCRIPT_NETS);
	CHECK_STR_EQ(j.events, "n0 n1 n2 a1.0 a2.0 a1.1 ");
	CHECK((uintptr_t)runs[0].layer == j.first[0]);
	/* network 1: its first measurement again (0.4) replaced the first (0.5), the second
	 * (0.45) did not replace it */
	CHECK((uintptr_t)runs[1].layer != j.first[1] && (uintptr_t)runs[1].layer == j.kept[1]);
	CHECK((uintptr_t)runs[2].layer != j.first[2]);
	for (size_t k = 0; k < filled; k++)
		augur_net_run_clear(&runs[k]);

	/* a stop after two networks: two measured, none again */
	struct script s2 = {.paths = paths,
	                    .value = {{0.5, 0.5, 0.5}, {0.5, 0.5, 0.5}, {0.5, 0.5, 0.5}},
	                    .stop_after = 2};
	o.ctx = &s2;
	CHECK_EQ_INT(augur_netbench_measure_list(paths, SCRIPT_NETS, &o, runs, &filled, &d),
	             AUGUR_OK);
	CHECK_EQ_U64(filled, 2);
	CHECK_STR_EQ(s2.events, "n0 n1 ");
	for (size_t k = 0; k < filled; k++)
		augur_net_run_clear(&runs[k]);
	remove(path);
}

int main(void)
{
	char tmpdir[] = "/tmp/augur-test-netbench-XXXXXX";
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_disturbance();
	test_probe(tmpdir);
	test_list_order(tmpdir);
	rmdir(tmpdir);
	return check_finish();
}
