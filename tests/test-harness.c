/* A real calibration, kept tiny: a dozen small GEMM shapes through OpenBLAS with
 * millisecond trials, fitted, predicting two held-out shapes; and a stop flag already set
 * gives an interrupted run with nothing measured and no model. The full plan is checked
 * for the shapes real networks need fitted rather than extrapolated. */
#include <signal.h>

#include "check.h"
#include "harness.h"

#define S(n, k, m)                                                                                 \
	{                                                                                          \
		n, k, m, false, false, NULL                                                        \
	}

static const struct augur_cal_shape shapes[] = {
        S(32, 64, 49),
        S(32, 64, 196),
        S(32, 256, 49),
        S(32, 256, 196),
        S(64, 64, 49),
        S(64, 64, 196),
        S(64, 256, 49),
        S(64, 256, 196),
        S(128, 64, 49),
        S(128, 64, 196),
        S(128, 256, 49),
        S(128, 256, 196),
        S(96, 128, 100),
        S(48, 192, 150),
        S(128, 128, 128),
        S(32, 192, 100),
        {96, 144, 121, false, true, "held-out a"},
        {48, 100, 169, false, true, "held-out b"},
};

static size_t progress_calls;

static void progress(const struct augur_cal_progress *p, void *ctx)
{
	(void)ctx;
	CHECK(p->index < p->total);
	progress_calls++;
}

/* The full plan trains on the GEMMs of VGG-16's conv1_1 at 224x224 (64 x 27 x 50176), a
 * 7x7 first layer over 160x160 (96 x 147 x 25600), a 5x5 over 512 channels (k = 12800) and
 * 256- and 512-output fc heads over a flattened 7x7x512 or 14x14x256 map (k = 25088,
 * 50176); no training shape twice; held-out shapes all labelled. */
static void test_full_plan(void)
{
	size_t n = 0;
	const struct augur_cal_shape *plan = augur_cal_plan(false, &n);
	CHECK(n > 0);
	bool vgg_conv1 = false, first7x7 = false, deep5x5 = false, head256 = false, head512 = false;
	/* 8 filters over 3 channels at outputs past 160x160: rows of whole 4 KiB and not, so
	 * a fit can tell km from km_4k */
	int first_rows_4k = 0, first_rows_other = 0;
	for (size_t i = 0; i < n; i++) {
		const struct augur_cal_shape *s = &plan[i];
		if (s->held_out) {
			CHECK(s->label != NULL);
			continue;
		}
		vgg_conv1 |= !s->fc && s->n == 64 && s->k == 27 && s->m == 224 * 224;
		first7x7 |= !s->fc && s->n == 96 && s->k == 147 && s->m == 160 * 160;
		deep5x5 |= !s->fc && s->k == 512 * 25;
		head256 |= s->fc && s->n == 256 && s->k == 512 * 7 * 7 && s->m == 1;
		head512 |= s->fc && s->n == 512 && s->k == 256 * 14 * 14 && s->m == 1;
		if (!s->fc && s->n == 8 && s->k == 27 && s->m >= 160 * 160) {
			if (s->m % 1024 == 0)
				first_rows_4k++;
			else
				first_rows_other++;
		}
		for (size_t j = 0; j < i; j++)
			if (!plan[j].held_out && plan[j].n == s->n && plan[j].k == s->k &&
			    plan[j].m == s->m && plan[j].fc == s->fc)
				CHECK_FAIL_("shape %llux%llux%llu planned twice",
				            (unsigned long long)s->n, (unsigned long long)s->k,
				            (unsigned long long)s->m);
	}
	CHECK(vgg_conv1);
	CHECK(first7x7);
	CHECK(deep5x5);
	CHECK(head256);
	CHECK(head512);
	CHECK(first_rows_4k >= 1);
	CHECK(first_rows_other >= 2);
}

int main(void)
{
	test_full_plan();

	struct augur_cal_options opt;
	augur_cal_options_init(&opt, AUGUR_UNIT_CPU);
	opt.shapes = shapes;
	opt.n_shapes = sizeof(shapes) / sizeof(*shapes);
	opt.threads = 1;
	opt.min_time_ms = 2;
	opt.trials = 3;
	opt.budget_s = 3;
	opt.progress = progress;
	struct augur_fit_options fo;
	augur_fit_options_init(&fo);
	fo.term_mask = (1u << AUGUR_TERM_NKM) | (1u << AUGUR_TERM_KM) | (1u << AUGUR_TERM_ONE);
	opt.fit = &fo;
	struct augur_unit *u = NULL;
	struct augur_cal_result res;
	struct augur_diag diag = {0};
	CHECK_EQ_INT(augur_calibrate(&opt, &u, &res, &diag), 0);
	if (diag.message[0])
		fprintf(stderr, "%s\n", diag.message);
	CHECK(u != NULL);
	if (u) {
		CHECK(!res.interrupted);
		CHECK_EQ_U64(res.measured + res.skipped, opt.n_shapes);
		CHECK_EQ_U64(u->n_samples, res.measured);
		CHECK_EQ_U64(progress_calls, res.measured);
		CHECK_EQ_U64(u->threads, 1);
		CHECK_CONTAINS(u->library, "OpenBLAS");
		for (size_t i = 0; i < u->n_samples; i++)
			CHECK(u->samples[i].time_ms > 0 && u->samples[i].spread >= 0);
		CHECK(augur_timemodel_predict(&u->gemm, 64, 128, 100, false) > 0);
		CHECK(augur_timemodel_in_range(&u->gemm, 64, 128, 100));
		CHECK(!augur_timemodel_in_range(&u->gemm, 4096, 128, 100));
		printf("tiny calibration: %zu shapes in %.2f s, train median %.1f%%, held-out "
		       "median %.1f%%\n",
		       res.measured, res.measure_s, 100 * u->quality.train_median_rel_err,
		       100 * u->quality.heldout_median_rel_err);
		/* generous: tiny GEMMs on a shared machine are noisy */
		CHECK(u->quality.train_median_rel_err < 0.5);
		CHECK(res.heldout_predicted_ms > 0);
	}
	augur_unit_free(u);

	static volatile sig_atomic_t stop = 1;
	opt.stop = &stop;
	u = NULL;
	CHECK_EQ_INT(augur_calibrate(&opt, &u, &res, &diag), 0);
	CHECK(res.interrupted);
	CHECK_EQ_U64(res.measured, 0);
	if (u)
		CHECK_EQ_U64(u->n_samples, 0);
	augur_unit_free(u);
	return check_finish();
}
