/* cuBLAS through the harness: a tiny calibration on the GPU; exits 77 (skipped) when no
 * CUDA device is present, so the gpu suite passes on machines without one. */
#include "check.h"
#include "harness.h"

#define S(n, k, m)                                                                                 \
	{                                                                                          \
		n, k, m, false, false, NULL                                                        \
	}

static const struct augur_cal_shape shapes[] = {
        S(32, 64, 49),
        S(32, 576, 784),
        S(64, 64, 3136),
        S(64, 576, 49),
        S(128, 64, 784),
        S(128, 576, 3136),
        S(256, 64, 49),
        S(256, 576, 784),
        S(512, 64, 3136),
        S(512, 576, 49),
        S(96, 1152, 196),
        S(192, 2304, 196),
        {4096, 4096, 1, true, false, NULL},
        {96, 363, 3025, false, true, "alexnet conv1"},
};

int main(void)
{
	struct augur_cal_options opt;
	augur_cal_options_init(&opt, AUGUR_UNIT_GPU);
	opt.shapes = shapes;
	opt.n_shapes = sizeof(shapes) / sizeof(*shapes);
	opt.min_time_ms = 2;
	opt.trials = 3;
	opt.budget_s = 10;
	struct augur_fit_options fo;
	augur_fit_options_init(&fo);
	fo.term_mask = (1u << AUGUR_TERM_NKM) | (1u << AUGUR_TERM_ONE);
	opt.fit = &fo;
	struct augur_unit *u = NULL;
	struct augur_cal_result res;
	struct augur_diag diag = {0};
	int rc = augur_calibrate(&opt, &u, &res, &diag);
	if (rc == AUGUR_E_USAGE)
		check_skip(diag.message);
	CHECK_EQ_INT(rc, 0);
	if (diag.message[0])
		fprintf(stderr, "%s\n", diag.message);
	if (u) {
		CHECK_CONTAINS(u->library, "cuBLAS");
		CHECK(u->processor && u->processor[0]);
		CHECK(u->memory_bytes > 0);
		CHECK_EQ_U64(u->n_samples, res.measured);
		for (size_t i = 0; i < u->n_samples; i++)
			CHECK(u->samples[i].time_ms > 0);
		printf("gpu %s (%s): %zu shapes, best %.0f GFLOPS, train median %.1f%%\n",
		       u->processor, u->library, res.measured, res.gflops_best,
		       100 * u->quality.train_median_rel_err);
	}
	augur_unit_free(u);
	return check_finish();
}
