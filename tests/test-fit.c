/* Fitting: synthetic samples from a known piecewise model with 1% noise must give back its
 * breakpoints and coefficients; one gross outlier is dropped; a library's direct path for
 * small GEMMs and the 4 KiB- and 256-byte-row terms of fc weights and im2col rows are
 * recovered from conv and fc samples (and missed without them); aggregate rows (sums of
 * several GEMMs, as in published per-network times) recover their coefficients with fixed
 * breakpoints and few terms; bad samples and options are refused. */
#include <math.h>
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

/* Fit options with truth()'s breakpoints fixed. */
static void truth_breaks_options(struct augur_fit_options *opt)
{
	augur_fit_options_init(opt);
	opt->fixed_breaks = true;
	opt->n_breaks_n = 1;
	opt->breaks_n[0] = 128;
	opt->n_breaks_m = 1;
	opt->breaks_m[0] = 784;
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
				double t = augur_timemodel_predict(tm, ns[a], ks[b], ms[d], false);
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
	truth_breaks_options(&opt);
	struct augur_fit_quality q;
	struct augur_diag diag = {0};
	CHECK_EQ_INT(augur_fit_model(samples, n, &opt, &fit, &q, &diag), 0);
	CHECK_EQ_U64(q.n_dropped, 1);
	CHECK(q.train_median_rel_err < 0.005);
	double want = augur_timemodel_predict(&tm, gemms[37].n, gemms[37].k, gemms[37].m, false);
	double got = augur_timemodel_predict(&fit, gemms[37].n, gemms[37].k, gemms[37].m, false);
	CHECK_NEAR(got / want, 1.0, 0.02);
	/* without outlier removal the same sample bends the fit */
	opt.max_outliers = 0;
	CHECK_EQ_INT(augur_fit_model(samples, n, &opt, &fit, &q, &diag), 0);
	CHECK_EQ_U64(q.n_dropped, 0);
}

/* The largest relative error of tm over samples[from..to). */
static double worst_fc_error(const struct augur_timemodel *tm, size_t from, size_t to)
{
	double worst = 0;
	for (size_t i = from; i < to; i++) {
		double e = fabs(augur_sample_predict(tm, &samples[i]) / samples[i].time_ms - 1);
		worst = e > worst ? e : worst;
	}
	return worst;
}

/* The conv grid plus the fc shapes a calibration times (batch 1, 4 and 16; rows of 256 to
 * 25088 inputs), from a truth with OpenBLAS's direct path and slower 4 KiB-multiple rows. */
static void test_direct_path(void)
{
	struct augur_timemodel tm = truth(), fit;
	augur_direct_path_for_library("OpenBLAS 0.3.21 DYNAMIC_ARCH Cooperlake", &tm.direct);
	tm.direct_region.coef[AUGUR_TERM_NKM] = 3e-8; /* unpacked: slower per multiply-add */
	tm.direct_region.coef[AUGUR_TERM_ONE] = 0.0005;
	for (int r = 0; r < 4; r++)
		tm.regions[r].coef[AUGUR_TERM_NK_4K] = 2e-6; /* rows of 1024 inputs and more */
	size_t n = grid_samples(&tm, 0.01);
	static const uint64_t fn[] = {10, 100, 1000, 4096};
	static const uint64_t fk[] = {256, 1024, 3744, 4096, 9216, 25088};
	static const uint64_t fm[] = {1, 4, 16};
	size_t first_fc = n;
	for (int a = 0; a < 4; a++)
		for (int b = 0; b < 6; b++)
			for (int d = 0; d < 3; d++) {
				gemms[n] = (struct augur_sample_gemm){fn[a], fk[b], fm[d], 1};
				double t = augur_timemodel_predict(&tm, fn[a], fk[b], fm[d], true);
				samples[n] =
				        (struct augur_sample){.time_ms = t * (1 + 0.01 * noise()),
				                              .n_gemms = 1,
				                              .gemms = &gemms[n],
				                              .fc_layout = true};
				n++;
			}
	struct augur_fit_options opt;
	augur_fit_options_init(&opt);
	opt.direct = tm.direct;
	struct augur_fit_quality q;
	struct augur_diag diag = {0};
	CHECK_EQ_INT(augur_fit_model(samples, n, &opt, &fit, &q, &diag), 0);
	CHECK_EQ_U64(fit.direct.max_nkm, 1000000);
	CHECK_NEAR(fit.direct_region.coef[AUGUR_TERM_NKM] / 3e-8, 1.0, 0.05);
	CHECK(q.train_median_rel_err < 0.01);
	/* an fc row of 100 x 9216 at batch 1 is direct; 1000 x 9216 packed, with 4 KiB rows;
	 * 1000 x 3744 packed without */
	static const uint64_t probe[][3] = {
	        {100, 9216, 1}, {1000, 9216, 1}, {1000, 3744, 1}, {4096, 4096, 4}, {64, 27, 12544}};
	for (size_t i = 0; i < sizeof(probe) / sizeof(*probe); i++) {
		const uint64_t *p = probe[i];
		bool fc = i < 4;
		CHECK_NEAR(augur_timemodel_predict(&fit, p[0], p[1], p[2], fc) /
		                   augur_timemodel_predict(&tm, p[0], p[1], p[2], fc),
		           1.0, 0.03);
	}
	/* every region the search kept holds at least two values of m (one value cannot
	 * tell n*k*m from n*k) */
	for (uint32_t b = 0; b + 1 < fit.n_breaks_m; b++) {
		size_t values = 0;
		static const uint64_t ms[] = {49, 196, 784, 3136, 12544};
		for (int j = 0; j < 5; j++)
			values += ms[j] >= fit.breaks_m[b] && ms[j] < fit.breaks_m[b + 1];
		CHECK(values >= 2);
	}
	CHECK(worst_fc_error(&fit, first_fc, n) < 0.05);
	/* without the direct path and the 4 KiB term the same samples fit far worse */
	opt.direct = (struct augur_direct_path){0};
	opt.term_mask &= ~(1u << AUGUR_TERM_NK_4K);
	CHECK_EQ_INT(augur_fit_model(samples, n, &opt, &fit, &q, &diag), 0);
	CHECK(worst_fc_error(&fit, first_fc, n) > 0.25);
	CHECK(first_fc < n);
}

/* Appends training samples of tm with 1% noise at every (n, k, m) of the three lists (the
 * conv layout) after the first `at`; returns the new count. */
static size_t conv_samples(const struct augur_timemodel *tm, size_t at, const uint64_t *ns,
                           size_t nn, const uint64_t *ks, size_t nk, const uint64_t *ms, size_t nm)
{
	for (size_t a = 0; a < nn; a++)
		for (size_t b = 0; b < nk; b++)
			for (size_t d = 0; d < nm; d++) {
				gemms[at] = (struct augur_sample_gemm){ns[a], ks[b], ms[d], 1};
				double t = augur_timemodel_predict(tm, ns[a], ks[b], ms[d], false);
				samples[at] =
				        (struct augur_sample){.time_ms = t * (1 + 0.01 * noise()),
				                              .n_gemms = 1,
				                              .gemms = &gemms[at]};
				at++;
			}
	return at;
}

/* The calibration's first-layer grid (a few filters over 3 to 64 channels, outputs of
 * 160x160 to 230x230) from a truth whose 4 KiB-multiple im2col rows (160x160, 224x224) pack
 * at 2.5x the cost per element: the km_4k term recovers both kinds of image, and without
 * it one rate is wrong for both. */
static void test_im2col_rows_4k(void)
{
	struct augur_timemodel tm = truth(), fit;
	for (int r = 0; r < 4; r++)
		tm.regions[r].coef[AUGUR_TERM_KM_4K] = 3e-7;
	size_t n = grid_samples(&tm, 0.01);
	static const uint64_t ln[] = {8, 16, 32, 64, 96}, lk[] = {27, 75, 147, 576};
	static const uint64_t lm[] = {160 * 160, 170 * 170, 200 * 200, 224 * 224, 230 * 230};
	n = conv_samples(&tm, n, ln, 5, lk, 4, lm, 5);
	struct augur_fit_options opt;
	truth_breaks_options(&opt);
	struct augur_fit_quality q;
	struct augur_diag diag = {0};
	/* 8 and 16 filters over 3 channels; VGG's conv1_1 at 224x224 and at 230x230 */
	static const uint64_t probe[][3] = {{8, 27, 170 * 170},  {8, 27, 224 * 224},
	                                    {16, 75, 250 * 250}, {16, 75, 256 * 256},
	                                    {64, 27, 224 * 224}, {64, 27, 230 * 230}};
	CHECK_EQ_INT(augur_fit_model(samples, n, &opt, &fit, &q, &diag), 0);
	CHECK(fit.regions[1].coef[AUGUR_TERM_KM_4K] > 0);
	for (size_t i = 0; i < sizeof(probe) / sizeof(*probe); i++) {
		const uint64_t *p = probe[i];
		CHECK_NEAR(augur_timemodel_predict(&fit, p[0], p[1], p[2], false) /
		                   augur_timemodel_predict(&tm, p[0], p[1], p[2], false),
		           1.0, 0.03);
	}
	/* without the row terms (km_256 would take part of km_4k's place: 160x160, 200x200
	 * and 224x224 are multiples of 64 too) */
	opt.term_mask &= ~(1u << AUGUR_TERM_KM_4K | 1u << AUGUR_TERM_KM_256);
	CHECK_EQ_INT(augur_fit_model(samples, n, &opt, &fit, &q, &diag), 0);
	/* one rate for both kinds of row: 224x224 43% low, 170x170 11% high */
	CHECK(augur_timemodel_predict(&fit, 8, 27, 224 * 224, false) /
	              augur_timemodel_predict(&tm, 8, 27, 224 * 224, false) <
	      0.7);
	CHECK(augur_timemodel_predict(&fit, 8, 27, 170 * 170, false) /
	              augur_timemodel_predict(&tm, 8, 27, 170 * 170, false) >
	      1.05);
}

/* The paper's grid maps 56x56 and 112x112 (m a multiple of 64: im2col rows of whole 256
 * bytes) and the calibration's twins off that stride (57x57, 111x111), from a truth whose
 * aliased rows pack at 1.75x the cost per element: the km_256 term recovers both kinds of
 * map, and without it one rate is wrong for both (a random network's 77x77 map priced as
 * the grid's 56x56). */
static void test_im2col_rows_256(void)
{
	struct augur_timemodel tm = truth(), fit;
	for (int r = 0; r < 4; r++)
		tm.regions[r].coef[AUGUR_TERM_KM_256] = 1.5e-7;
	size_t n = grid_samples(&tm, 0.01);
	/* the twins of calibrate/harness.c's full plan */
	static const uint64_t an[] = {32, 64, 128, 256}, ak[] = {64, 576, 1600};
	static const uint64_t am[] = {57 * 57, 111 * 111};
	n = conv_samples(&tm, n, an, 4, ak, 3, am, 2);
	struct augur_fit_options opt;
	truth_breaks_options(&opt);
	struct augur_fit_quality q;
	struct augur_diag diag = {0};
	static const uint64_t probe[][3] = {{24, 147, 5952},
	                                    {24, 147, 5953},
	                                    {64, 576, 3136},
	                                    {64, 576, 77 * 77},
	                                    {200, 1000, 96 * 96}};
	CHECK_EQ_INT(augur_fit_model(samples, n, &opt, &fit, &q, &diag), 0);
	CHECK_NEAR(fit.regions[1].coef[AUGUR_TERM_KM_256] / 1.5e-7, 1.0, 0.2);
	for (size_t i = 0; i < sizeof(probe) / sizeof(*probe); i++) {
		const uint64_t *p = probe[i];
		CHECK_NEAR(augur_timemodel_predict(&fit, p[0], p[1], p[2], false) /
		                   augur_timemodel_predict(&tm, p[0], p[1], p[2], false),
		           1.0, 0.03);
	}
	opt.term_mask &= ~(1u << AUGUR_TERM_KM_256);
	CHECK_EQ_INT(augur_fit_model(samples, n, &opt, &fit, &q, &diag), 0);
	/* one rate: 24 filters over a 77x77 map too slow, over 56x56 too fast */
	CHECK(augur_timemodel_predict(&fit, 24, 147, 77 * 77, false) /
	              augur_timemodel_predict(&tm, 24, 147, 77 * 77, false) >
	      1.1);
	CHECK(augur_timemodel_predict(&fit, 24, 147, 56 * 56, false) /
	              augur_timemodel_predict(&tm, 24, 147, 56 * 56, false) <
	      0.9);
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
			/* the time the model itself gives such a layer: with a per-layer
			 * constant (one_per_layer), once per layer whatever its calls */
			struct augur_gemm gg = {g->n, g->k, g->m, g->count, false};
			t += augur_gemm_time_ms(tm, &gg, NULL);
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
	/* one region, nkm + one: a network's time is its MACs times a rate plus a cost per
	 * layer (aggregate rows cannot tell it from a per-call one, so the fit takes it per
	 * layer: layers here make one or two calls) */
	struct augur_timemodel tm = {0};
	tm.one_per_layer = true;
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
	CHECK(fit.one_per_layer); /* fitted from aggregates */
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
	test_direct_path();
	test_im2col_rows_4k();
	test_im2col_rows_256();
	test_aggregate();
	test_errors();
	return check_finish();
}
