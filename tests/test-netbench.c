/* Measuring networks (calibrate/netbench.h): what counts as a disturbed measurement, and
 * the speed probe that sees a machine slowed evenly. Times are never asserted: only how
 * the figures relate (a best is the fastest seen; a slowdown is measured against it). */
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
	snprintf(path, sizeof(path), "%s/tiny.yaml", tmpdir);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(two_layers, f);
		fclose(f);
	}
	struct augur_netbench_options o = {
	        .reps = 3, .warmup = 1, .threads = 1, .seed = 1, .retries = 1, .probe = &p};
	struct augur_net_run r;
	CHECK_EQ_INT(augur_netbench_measure(path, &o, &r, &d), AUGUR_OK);
	CHECK(r.slowdown >= 0);
	CHECK(p.runs >= 4); /* before and after each measurement */
	CHECK(r.forward.median > 0);
	augur_net_run_clear(&r);
	augur_speed_probe_free(&p);
	CHECK(p.rt == NULL && p.net == NULL && p.a == NULL);
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
	rmdir(tmpdir);
	return check_finish();
}
