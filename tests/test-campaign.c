/* The layer-cost campaign (calibrate/campaign.h): the progress protocol an adapter's
 * program writes (docs/adapters.md, "Progress"), a table of lines, well formed and not,
 * and the stream read in pieces. A malformed line is ignored (IGNORED), never an error:
 * progress is advisory. Then whole tiny campaigns through an adapter that breaks one of
 * its calls: the drift's (the third) never fails the campaign, the checks' (the second)
 * does. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign.h"
#include "check.h"

enum { IGN = AUGUR_PROGRESS_IGNORED, NET = AUGUR_PROGRESS_NETWORK, DIS = AUGUR_PROGRESS_DISTURBED };

static void test_progress_lines(void)
{
	static const struct {
		const char *line;
		size_t n;     /* the networks the adapter was given */
		int kind;     /* what the line is for them */
		size_t index; /* its network, counted from 0 */
	} cases[] = {
	        {"network 1 3 bench/nets/fit/a.yaml", 3, NET, 0},
	        {"network 3 3 b.yaml", 3, NET, 2},
	        {"network 2 3 a path with spaces.yaml", 3, NET, 1},
	        {"network 12 148 x", 148, NET, 11},
	        {"disturbed 2 3 b.yaml", 3, DIS, 1},
	        /* malformed: ignored */
	        {"", 3, IGN, 0},
	        {"network", 3, IGN, 0},
	        {"network ", 3, IGN, 0},
	        {"network 1 3", 3, IGN, 0},         /* no path */
	        {"network 1 3 ", 3, IGN, 0},        /* an empty path */
	        {"network 0 3 a.yaml", 3, IGN, 0},  /* counted from 1 */
	        {"network 4 3 a.yaml", 3, IGN, 0},  /* past the last */
	        {"network 1 2 a.yaml", 3, IGN, 0},  /* another count than given */
	        {"network -1 3 a.yaml", 3, IGN, 0}, /* not a count */
	        {"network +1 3 a.yaml", 3, IGN, 0},
	        {"network 1.5 3 a.yaml", 3, IGN, 0},
	        {"network 1x 3 a.yaml", 3, IGN, 0},
	        {"network  1 3 a.yaml", 3, IGN, 0}, /* two spaces */
	        {"network 1  3 a.yaml", 3, IGN, 0},
	        {"network 99999999999999999999999 3 a", 3, IGN, 0}, /* past 64 bits */
	        {"network 1 18446744073709551616 a", 3, IGN, 0},
	        {"Network 1 3 a.yaml", 3, IGN, 0}, /* words are case-sensitive */
	        {"networks 1 3 a.yaml", 3, IGN, 0},
	        {" network 1 3 a.yaml", 3, IGN, 0},
	        {"disturbed 4 3 a.yaml", 3, IGN, 0},
	        {"disturbed 1 3", 3, IGN, 0},
	        /* other words: a later version of the protocol, ignored */
	        {"retry 1 3 a.yaml", 3, IGN, 0},
	        {"[1/3] a: forward 2.1 ms", 3, IGN, 0}, /* a human line */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		size_t at = 12345;
		int kind = (int)augur_progress_line(cases[i].line, cases[i].n, &at);
		if (kind != cases[i].kind)
			fprintf(stderr, "line \"%s\"\n", cases[i].line);
		CHECK_EQ_INT(kind, cases[i].kind);
		CHECK_EQ_U64(at, cases[i].kind != IGN ? cases[i].index : 12345);
	}
}

struct seen {
	int kind[16];
	size_t index[16];
	size_t count;
};

static void on(enum augur_progress_kind kind, size_t index, void *ctx)
{
	struct seen *s = ctx;
	if (s->count < 16) {
		s->kind[s->count] = (int)kind;
		s->index[s->count] = index;
	}
	s->count++;
}

/* The stream as reads of a pipe split it: a line in pieces is one line; the count only
 * moves forward; a network is disturbed only once it started, and once; a line over 4 KiB
 * or with a NUL in it is ignored whole, the next one read; a last line without its line
 * break is not (yet) a line. */
static void test_progress_stream(void)
{
	static const char text[] = "disturbed 1 4 a.yaml\n" /* not started: ignored */
	                           "network 1 4 a.yaml\n"
	                           "disturbed 1 4 a.yaml\n"
	                           "network 3 4 c.yaml\n"
	                           "network 2 4 b.yaml\n"   /* behind: ignored */
	                           "network 3 4 c.yaml\n"   /* again: ignored */
	                           "disturbed 1 4 a.yaml\n" /* again: ignored */
	                           "disturbed 2 4 b.yaml\n" /* skipped, but started before 3 */
	                           "retry 3 4 c.yaml\n"
	                           "network 4 4 d.yaml"; /* no line break yet */
	static const int kinds[] = {NET, DIS, NET, DIS, NET};
	static const size_t places[] = {0, 0, 2, 1, 3};
	for (size_t piece = 1; piece <= sizeof(text); piece++) {
		struct augur_progress_reader r = {.n = 4};
		struct seen s = {0};
		for (size_t at = 0; at < sizeof(text) - 1; at += piece) {
			size_t len = sizeof(text) - 1 - at < piece ? sizeof(text) - 1 - at : piece;
			augur_progress_feed(&r, text + at, len, on, &s);
		}
		CHECK_EQ_U64(s.count, 4);
		augur_progress_feed(&r, "\n", 1, on, &s);
		CHECK_EQ_U64(s.count, 5);
		for (size_t i = 0; i < 5; i++) {
			CHECK_EQ_INT(s.kind[i], kinds[i]);
			CHECK_EQ_U64(s.index[i], places[i]);
		}
	}
	/* a 5000-byte line, then a good one */
	static char long_line[5100];
	memset(long_line, 'x', 5000);
	memcpy(long_line, "network 1 2 ", 12);
	memcpy(long_line + 5000, "\nnetwork 2 2 b\n", 15);
	struct augur_progress_reader r = {.n = 2};
	struct seen s = {0};
	augur_progress_feed(&r, long_line, 5015, on, &s);
	CHECK_EQ_U64(s.count, 1);
	CHECK_EQ_U64(s.index[0], 1);
	/* a NUL inside a line */
	struct augur_progress_reader z = {.n = 2};
	struct seen t = {0};
	static const char nul[] = "network 1 2 a\0b\nnetwork 2 2 b\n";
	augur_progress_feed(&z, nul, sizeof(nul) - 1, on, &t);
	CHECK_EQ_U64(t.count, 1);
	CHECK_EQ_U64(t.index[0], 1);
}

/* ---- an adapter that breaks one of its calls ---- */

enum breakage { FAILS, STOPS };

static struct {
	int calls, break_at; /* break_at 0: none */
	enum breakage how;
} fake;

static int fake_available(const struct augur_adapter_settings *s, char *why, size_t size)
{
	(void)s;
	if (size)
		*why = '\0';
	return 0;
}

/* augur's own adapter, except call break_at: an error, or a stop before any network (what
 * an adapter reports when settings' stop is set as it starts) */
static int fake_measure(const char *const *nets, size_t n, const struct augur_adapter_settings *s,
                        const char *out, struct augur_adapter_outcome *got, struct augur_diag *diag)
{
	if (++fake.calls != fake.break_at)
		return augur_adapter_find("augur")->measure(nets, n, s, out, got, diag);
	*got = (struct augur_adapter_outcome){.interrupted = fake.how == STOPS};
	return fake.how == STOPS ? 0
	                         : augur_diag_set(diag, AUGUR_E_IO, out, 0, 0, "broken on purpose");
}

static const struct augur_adapter fake_adapter = {
        "fake", "nothing",      AUGUR_VIEW_ALLOCATED, AUGUR_GROUPS_TOGETHER,
        false,  fake_available, fake_measure};

/* The tiny grid's six fit networks (every 16th of bench/nets/fit) and its check, KWS. */
static const char *const fit_names[] = {"probe_act_00", "probe_fc_08", "probe_tiny_conv_00",
                                        "rand100_002",  "rand100_134", "rand1_002"};
enum { N_FIT = sizeof(fit_names) / sizeof(*fit_names) };

struct outcome {
	int rc;
	struct augur_campaign_result res;
	bool costed;                     /* the profile's cpu unit got layer costs */
	struct augur_cost_check checked; /* and the verdict they keep */
	double fault_ms_per_mib;         /* the profile's page-fault cost after the campaign */
};

/* The page-fault probe the next campaign() runs after its fit networks (none when
 * probe_reading is 0), and the cost its profile starts with */
static double probe_reading, start_fault = NAN;
static double fake_probe(void)
{
	return probe_reading;
}

/* A campaign on a copy of the shipped epyc-2core profile (its GEMM model), its call
 * break_at broken as how. */
static struct outcome campaign(int break_at, enum breakage how)
{
	const char *root = getenv("AUGUR_SOURCE_ROOT");
	root = root ? root : ".";
	char fit[N_FIT][4096], check[4096], profile[4096], dir[] = "/tmp/test-campaign-XXXXXX";
	const char *nets[N_FIT], *checks[1] = {check};
	for (size_t i = 0; i < N_FIT; i++) {
		snprintf(fit[i], sizeof(fit[i]), "%s/bench/nets/fit/%s.yaml", root, fit_names[i]);
		nets[i] = fit[i];
	}
	snprintf(check, sizeof(check), "%s/descriptors/kws.yaml", root);
	snprintf(profile, sizeof(profile), "%s/profiles/epyc-2core.yaml", root);
	struct outcome o = {0};
	struct augur_profile *p = NULL;
	struct augur_diag diag = {0};
	CHECK(mkdtemp(dir) != NULL);
	CHECK_EQ_INT(augur_profile_load(profile, &p, &diag), 0);
	if (!p)
		return o;
	p->machine.fault_ms_per_mib = start_fault;
	char fit_times[64], check_times[64], again_times[64];
	snprintf(fit_times, sizeof(fit_times), "%s/fit.yaml", dir);
	snprintf(check_times, sizeof(check_times), "%s/checks.yaml", dir);
	snprintf(again_times, sizeof(again_times), "%s/again.yaml", dir);
	volatile sig_atomic_t stop = 0;
	struct augur_campaign_options co = {.adapter = &fake_adapter,
	                                    .networks = nets,
	                                    .n_networks = N_FIT,
	                                    .checks = checks,
	                                    .n_checks = 1,
	                                    .settings = {.reps = 2,
	                                                 .threads = 1,
	                                                 .mkldnn = -1,
	                                                 .command = "test",
	                                                 .stop = &stop},
	                                    .fit_times = fit_times,
	                                    .check_times = check_times,
	                                    .again_times = again_times,
	                                    .fault_probe = probe_reading ? fake_probe : NULL};
	fake.calls = 0;
	fake.break_at = break_at;
	fake.how = how;
	o.rc = augur_campaign_run(&co, p, &o.res, &diag);
	if (o.rc)
		fprintf(stderr, "campaign: %s: %s (expected when breaking call %d)\n", diag.path,
		        diag.message, break_at);
	o.costed = p->cpu && p->cpu->costs;
	if (o.costed)
		o.checked = p->cpu->costs->checked;
	o.fault_ms_per_mib = p->machine.fault_ms_per_mib;
	free(o.res.checks);
	o.res.checks = NULL;
	augur_profile_free(p);
	unlink(fit_times);
	unlink(check_times);
	unlink(again_times);
	rmdir(dir);
	return o;
}

static void test_drift_is_diagnostic(void)
{
	/* nothing broken: the fit, the check, and all six fit networks measured again */
	struct outcome o = campaign(0, FAILS);
	CHECK_EQ_INT(o.rc, 0);
	CHECK_EQ_INT(fake.calls, 3);
	CHECK(o.costed);
	CHECK_EQ_U64(o.res.n_checks, 1);
	CHECK_EQ_U64(o.res.n_again, N_FIT);
	CHECK(o.res.n_again_agree <= o.res.n_again);
	CHECK_EQ_INT(o.res.again_failed.code, 0);
	CHECK(!o.res.again_interrupted);
	/* six fit networks are too few to cross-validate in five folds: no figure, no error */
	CHECK_EQ_U64(o.res.crossval.folds, 0);
	CHECK_EQ_INT(o.res.crossval_failed.code, 0);
	/* nor to choose a cache size by: the measured one stays */
	CHECK_EQ_U64(o.res.llc.chosen, 0);
	/* the profile keeps the check's verdict for every estimate to print */
	CHECK_EQ_U64(o.checked.networks, 1);
	CHECK_EQ_U64(o.checked.within_10, o.res.within_10);
	CHECK(o.checked.median_error == o.res.median_error);
	CHECK_EQ_U64(o.checked.crossval_networks, 0);
	/* the drift's measurement fails: the campaign succeeds without it, the error kept */
	o = campaign(3, FAILS);
	CHECK_EQ_INT(o.rc, 0);
	CHECK_EQ_INT(fake.calls, 3);
	CHECK(o.costed);
	CHECK(!o.res.interrupted);
	CHECK_EQ_U64(o.res.n_checks, 1);
	CHECK_EQ_U64(o.res.n_again, 0);
	CHECK_EQ_INT(o.res.again_failed.code, AUGUR_E_IO);
	CHECK_CONTAINS(o.res.again_failed.message, "broken on purpose");
	CHECK_CONTAINS(o.res.again_failed.path, "again.yaml");
	CHECK(!o.res.again_interrupted);
	/* stopped there: likewise, said as a stop */
	o = campaign(3, STOPS);
	CHECK_EQ_INT(o.rc, 0);
	CHECK(!o.res.interrupted);
	CHECK_EQ_U64(o.res.n_checks, 1);
	CHECK_EQ_U64(o.res.n_again, 0);
	CHECK_EQ_INT(o.res.again_failed.code, 0);
	CHECK(o.res.again_interrupted);
	/* the checks' measurement fails or stops: the campaign does, and the drift is not
	 * measured */
	o = campaign(2, FAILS);
	CHECK_EQ_INT(o.rc, AUGUR_E_IO);
	CHECK_EQ_INT(fake.calls, 2);
	o = campaign(2, STOPS);
	CHECK_EQ_INT(o.rc, 0);
	CHECK(o.res.interrupted);
	CHECK_EQ_INT(fake.calls, 2);
	CHECK_EQ_U64(o.res.n_again, 0);
	CHECK_EQ_U64(o.checked.networks, 0); /* no verdict on a half-made profile */
}

/* Ten fit networks (small ones: a few seconds in augur's runtime), enough to
 * cross-validate in five folds: the campaign chooses the cache size the layer costs use,
 * between the quarter of the reported 32 MiB it starts from (no knee measured) and all of
 * it, refits with it, and its cross-validation is the chosen size's. */
/* The page-fault cost measured again after the fit networks: the fit's floor is the lower
 * of the two readings, and both are in the result for calibrate to print. */
static void test_fault_measured_again(void)
{
	static const struct {
		double start, probe, want;
	} cases[] = {
	        {NAN, 0.5, 0.5}, /* no reading before (a GEMM profile of format 1): the probe's */
	        {2.0, 0.5, 0.5}, /* the host calmed down: the lower */
	        {0.3, 2.4, 0.3}, /* it got worse: the fit networks paid at least the first */
	        {0.3, NAN, 0.3}, /* the probe could not measure: the first stands */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		start_fault = cases[i].start;
		probe_reading = cases[i].probe;
		struct outcome o = campaign(0, FAILS);
		CHECK_EQ_INT(o.rc, 0);
		CHECK(o.costed);
		CHECK(o.fault_ms_per_mib == cases[i].want);
		CHECK(isnan(cases[i].start) ? isnan(o.res.fault_before)
		                            : o.res.fault_before == cases[i].start);
		CHECK(isnan(cases[i].probe) ? isnan(o.res.fault_after)
		                            : o.res.fault_after == cases[i].probe);
	}
	/* no probe: nothing measured after, the profile's reading kept */
	start_fault = 0.3;
	probe_reading = 0;
	struct outcome o = campaign(0, FAILS);
	CHECK_EQ_INT(o.rc, 0);
	CHECK(o.fault_ms_per_mib == 0.3);
	CHECK(isnan(o.res.fault_after));
	start_fault = NAN;
}

static void test_cache_chosen(void)
{
	static const char *const names[] = {
	        "rand100_002", "rand100_005", "rand100_008", "rand100_019", "rand100_024",
	        "rand100_025", "rand100_033", "rand100_037", "rand100_042", "rand100_066"};
	enum { N = sizeof(names) / sizeof(*names) };
	const char *root = getenv("AUGUR_SOURCE_ROOT");
	root = root ? root : ".";
	char paths[N][4096], profile[4096], dir[] = "/tmp/test-campaign-XXXXXX", fit_times[64];
	const char *nets[N];
	for (size_t i = 0; i < N; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/bench/nets/fit/%s.yaml", root, names[i]);
		nets[i] = paths[i];
	}
	snprintf(profile, sizeof(profile), "%s/profiles/epyc-2core.yaml", root);
	struct augur_profile *p = NULL;
	struct augur_diag diag = {0};
	CHECK(mkdtemp(dir) != NULL);
	CHECK_EQ_INT(augur_profile_load(profile, &p, &diag), 0);
	if (!p)
		return;
	snprintf(fit_times, sizeof(fit_times), "%s/fit.yaml", dir);
	volatile sig_atomic_t stop = 0;
	struct augur_campaign_options co = {.adapter = augur_adapter_find("augur"),
	                                    .networks = nets,
	                                    .n_networks = N,
	                                    .settings = {.reps = 2,
	                                                 .threads = 1,
	                                                 .mkldnn = -1,
	                                                 .command = "test",
	                                                 .stop = &stop},
	                                    .fit_times = fit_times};
	struct augur_campaign_result res;
	CHECK_EQ_INT(augur_campaign_run(&co, p, &res, &diag), 0);
	CHECK_EQ_U64(res.llc.measured, 32ull << 20);
	/* 8, 12, 16, 24 and 32 MiB */
	CHECK_EQ_U64(res.llc.tried, 5);
	CHECK(res.llc.chosen >= 8ull << 20 && res.llc.chosen <= 32ull << 20);
	CHECK_EQ_U64(p->machine.llc_fitted_bytes, res.llc.chosen);
	CHECK_EQ_U64(res.crossval.folds, 5);
	CHECK_EQ_U64(res.crossval.networks, N);
	CHECK(res.crossval.time_error == res.llc.at_chosen.time_error);
	CHECK(res.llc.at_chosen.time_error <= res.llc.at_measured.time_error);
	CHECK(p->cpu && p->cpu->costs);
	/* the profile keeps the verdict for every estimate to print: no checks measured here,
	 * the cross-validation of the ten */
	if (p->cpu && p->cpu->costs) {
		const struct augur_cost_check *k = &p->cpu->costs->checked;
		CHECK_EQ_U64(k->networks, 0);
		CHECK(isnan(k->median_error));
		CHECK_EQ_U64(k->crossval_networks, N);
		CHECK_EQ_U64(k->crossval_within_10, res.crossval.within_10);
		CHECK(k->crossval_median_error == res.crossval.median_error);
	}
	free(res.checks);
	augur_profile_free(p);
	unlink(fit_times);
	rmdir(dir);
}

int main(void)
{
	test_progress_lines();
	test_progress_stream();
	test_drift_is_diagnostic();
	test_cache_chosen();
	test_fault_measured_again();
	return check_finish();
}
