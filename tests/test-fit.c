/* Fitting: synthetic samples from a known piecewise model with 1% noise must give back its
 * breakpoints and coefficients; one gross outlier is dropped; aggregate rows (sums of
 * several GEMMs, as in published per-network times) recover their coefficients with fixed
 * breakpoints and few terms; bad samples and options are refused. */
#include <stdlib.h>

#include "check.h"
#include "fit.h"

static uint64_t rng = 12345;

/* Uniform in [-1, 1], deterministic. */
static double noise(void)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (double)(rng >> 11) / (double)(1ull << 53) * 2 - 1;
}

static struct augur_timemodel truth(void)
{
	struct augur_timemodel tm = {0};
	tm.term_mask = (1u << AUGUR_TERM_COUNT) - 1;
	tm.n_breaks_n = 1;
	tm.breaks_n[0] = 128;
	tm.n_breaks_m = 1;
	tm.breaks_m[0] = 784;
	const double nkm[4] = {2e-8, 1e-8, 1.2e-8, 5e-9};
	for (int r = 0; r < 4; r++) {
		tm.regions[r].coef[AUGUR_TERM_NKM] = nkm[r];
		tm.regions[r].coef[AUGUR_TERM_NK] = 1e-6;
		tm.regions[r].coef[AUGUR_TERM_KM] = 2e-7;
		tm.regions[r].coef[AUGUR_TERM_NM] = 1e-7;
		tm.regions[r].coef[AUGUR_TERM_ONE] = 0.002 * (r + 1);
	}
	tm.min_ms = 1e-6;
	return tm;
}

static struct augur_sample_gemm gemms[1024];
static struct augur_sample samples[1024];

static size_t grid_samples(const struct augur_timemodel *tm, double rel_noise)
{
	static const uint64_t ns[] = {32, 64, 96, 128, 256, 512};
	static const uint64_t ks[] = {64, 576, 1152, 1600, 2304, 3136};
	static const uint64_t ms[] = {49, 196, 784, 3136, 12544};
	size_t c = 0;
	for (int a = 0; a < 6; a++)
		for (int b = 0; b < 6; b++)
			for (int d = 0; d < 5; d++) {
				gemms[c] = (struct augur_sample_gemm){ns[a], ks[b], ms[d], 1};
				double t = augur_timemodel_predict(tm, ns[a], ks[b], ms[d]);
				samples[c] = (struct augur_sample){
				        .time_ms = t * (1 + rel_noise * noise()),
				        .n_gemms = 1,
				        .gemms = &gemms[c],
				        .held_out = c % 9 == 4};
				c++;
			}
	return c;
}

static void test_recovers_breaks(void)
{
	struct augur_timemodel tm = truth(), fit;
	size_t n = grid_samples(&tm, 0.01);
	struct augur_fit_quality q;
	struct augur_diag diag = {0};
	CHECK_EQ_INT(augur_fit_model(samples, n, NULL, &fit, &q, &diag), 0);
	CHECK_EQ_U64(fit.n_breaks_n, 1);
	CHECK_EQ_U64(fit.breaks_n[0], 128);
	CHECK_EQ_U64(fit.n_breaks_m, 1);
	CHECK_EQ_U64(fit.breaks_m[0], 784);
	for (int r = 0; r < 4; r++)
		CHECK_NEAR(fit.regions[r].coef[AUGUR_TERM_NKM] / tm.regions[r].coef[AUGUR_TERM_NKM],
		           1.0, 0.03);
	CHECK(q.train_median_rel_err < 0.01);
	CHECK(q.heldout_median_rel_err < 0.01);
	CHECK_EQ_U64(q.n_heldout, 20);
	CHECK_EQ_U64(q.n_train, 160);
	CHECK_EQ_U64(q.n_dropped, 0);
	/* range and floor from the training samples */
	CHECK_EQ_U64(fit.range.n_min, 32);
	CHECK_EQ_U64(fit.range.k_max, 3136);
	CHECK_EQ_U64(fit.range.m_max, 12544);
	CHECK(fit.min_ms > 0);
}

static void test_outlier(void)
{
	struct augur_timemodel tm = truth(), fit;
	size_t n = grid_samples(&tm, 0.005);
	samples[37].time_ms *= 3; /* a burst of interference */
	samples[37].held_out = false;
	struct augur_fit_options opt;
	augur_fit_options_init(&opt);
	opt.fixed_breaks = true;
	opt.n_breaks_n = 1;
	opt.breaks_n[0] = 128;
	opt.n_breaks_m = 1;
	opt.breaks_m[0] = 784;
	struct augur_fit_quality q;
	struct augur_diag diag = {0};
	CHECK_EQ_INT(augur_fit_model(samples, n, &opt, &fit, &q, &diag), 0);
	CHECK_EQ_U64(q.n_dropped, 1);
	CHECK(q.train_median_rel_err < 0.005);
	double want = augur_timemodel_predict(&tm, gemms[37].n, gemms[37].k, gemms[37].m);
	double got = augur_timemodel_predict(&fit, gemms[37].n, gemms[37].k, gemms[37].m);
	CHECK_NEAR(got / want, 1.0, 0.02);
	/* without outlier removal the same sample bends the fit */
	opt.max_outliers = 0;
	CHECK_EQ_INT(augur_fit_model(samples, n, &opt, &fit, &q, &diag), 0);
	CHECK_EQ_U64(q.n_dropped, 0);
}

/* Aggregate rows: each row sums 3 to 8 conv GEMMs of a made-up network. */
static size_t aggregate_samples(const struct augur_timemodel *tm, size_t rows)
{
	static const uint64_t ns[] = {32, 64, 96, 128, 192, 256, 384, 512};
	static const uint64_t ks[] = {27, 64, 363, 576, 1152, 2304, 4608};
	static const uint64_t ms[] = {49, 169, 196, 729, 784, 3025, 3136, 12544};
	size_t used = 0;
	for (size_t r = 0; r < rows; r++) {
		size_t len = 3 + (size_t)((noise() + 1) * 2.5);
		double t = 0;
		for (size_t j = 0; j < len; j++) {
			struct augur_sample_gemm *g = &gemms[used + j];
			g->n = ns[(size_t)((noise() + 1) * 3.99)];
			g->k = ks[(size_t)((noise() + 1) * 3.49)];
			g->m = ms[(size_t)((noise() + 1) * 3.99)];
			g->count = 1 + (j % 2);
			t += (double)g->count * augur_timemodel_predict(tm, g->n, g->k, g->m);
		}
		samples[r] = (struct augur_sample){.time_ms = t * (1 + 0.005 * noise()),
		                                   .n_gemms = len,
		                                   .gemms = &gemms[used]};
		used += len;
	}
	return rows;
}

static void test_aggregate(void)
{
	/* one region, nkm + one: a network's time is its MACs times a rate plus overhead */
	struct augur_timemodel tm = {0};
	tm.term_mask = (1u << AUGUR_TERM_NKM) | (1u << AUGUR_TERM_ONE);
	tm.regions[0].coef[AUGUR_TERM_NKM] = 4e-8;
	tm.regions[0].coef[AUGUR_TERM_ONE] = 0.3;
	tm.min_ms = 1e-6;
	size_t n = aggregate_samples(&tm, 12);
	struct augur_fit_options opt;
	augur_fit_options_init(&opt);
	opt.term_mask = tm.term_mask;
	opt.fixed_breaks = true;
	struct augur_timemodel fit;
	struct augur_fit_quality q;
	struct augur_diag diag = {0};
	CHECK_EQ_INT(augur_fit_model(samples, n, &opt, &fit, &q, &diag), 0);
	CHECK_NEAR(fit.regions[0].coef[AUGUR_TERM_NKM] / 4e-8, 1.0, 0.02);
	CHECK_NEAR(fit.regions[0].coef[AUGUR_TERM_ONE] / 0.3, 1.0, 0.15);
	CHECK_EQ_U64(fit.term_mask, tm.term_mask);
	CHECK_NEAR(q.train_median_rel_err, 0, 0.01);

	/* the paper's GPU structure: n below / above 128, fixed */
	tm.n_breaks_n = 1;
	tm.breaks_n[0] = 128;
	tm.regions[1] = tm.regions[0];
	tm.regions[0].coef[AUGUR_TERM_NKM] = 8e-8;
	n = aggregate_samples(&tm, 24);
	opt.n_breaks_n = 1;
	opt.breaks_n[0] = 128;
	CHECK_EQ_INT(augur_fit_model(samples, n, &opt, &fit, &q, &diag), 0);
	CHECK_EQ_U64(fit.n_breaks_n, 1);
	CHECK_NEAR(fit.regions[0].coef[AUGUR_TERM_NKM] / 8e-8, 1.0, 0.05);
	CHECK_NEAR(fit.regions[1].coef[AUGUR_TERM_NKM] / 4e-8, 1.0, 0.05);
	double pred = augur_sample_predict(&fit, &samples[3]);
	CHECK_NEAR(pred / samples[3].time_ms, 1.0, 0.02);
}

static void test_errors(void)
{
	struct augur_timemodel tm = truth(), fit;
	size_t n = grid_samples(&tm, 0.0);
	struct augur_diag diag = {0};
	struct augur_fit_options opt;
	augur_fit_options_init(&opt);
	opt.folds = 1;
	CHECK_EQ_INT(augur_fit_model(samples, n, &opt, &fit, NULL, &diag), AUGUR_E_USAGE);
	CHECK_CONTAINS(diag.message, "folds");
	augur_fit_options_init(&opt);
	opt.fixed_breaks = true;
	opt.n_breaks_n = 2;
	opt.breaks_n[0] = 256;
	opt.breaks_n[1] = 128;
	CHECK_EQ_INT(augur_fit_model(samples, n, &opt, &fit, NULL, &diag), AUGUR_E_USAGE);
	CHECK_CONTAINS(diag.message, "increasing");
	samples[5].time_ms = -1;
	CHECK_EQ_INT(augur_fit_model(samples, n, NULL, &fit, NULL, &diag), AUGUR_E_NUMERIC);
	CHECK_CONTAINS(diag.message, "sample 6: time_ms must be positive");
	samples[5].time_ms = NAN;
	CHECK_EQ_INT(augur_fit_model(samples, n, NULL, &fit, NULL, &diag), AUGUR_E_NUMERIC);
	samples[5].time_ms = 1;
	/* fewer samples than coefficients */
	CHECK_EQ_INT(augur_fit_model(samples, 3, NULL, &fit, NULL, &diag), AUGUR_E_NUMERIC);
	CHECK_CONTAINS(diag.message, "cannot determine");
	CHECK_EQ_INT(augur_fit_model(samples, 0, NULL, &fit, NULL, &diag), AUGUR_E_NUMERIC);
}

int main(void)
{
	test_recovers_breaks();
	test_outlier();
	test_aggregate();
	test_errors();
	return check_finish();
}
