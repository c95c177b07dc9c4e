/* Time model evaluation: region lookup at and around breakpoints, predictions that stay
 * positive (at least min_ms) outside the calibrated range even where a region's linear
 * form goes negative, the in-range flag, a layer's time as count times one call, and the
 * BLAS's direct path for small GEMMs (which calls take it, what it predicts). */
#include "check.h"
#include "timemodel.h"

static struct augur_timemodel model(void)
{
	struct augur_timemodel tm = {0};
	tm.term_mask = (1u << AUGUR_TERM_NKM) | (1u << AUGUR_TERM_ONE) | (1u << AUGUR_TERM_NK);
	tm.n_breaks_n = 1;
	tm.breaks_n[0] = 128;
	tm.n_breaks_m = 2;
	tm.breaks_m[0] = 784;
	tm.breaks_m[1] = 3136;
	for (int r = 0; r < 6; r++) {
		tm.regions[r].coef[AUGUR_TERM_NKM] = 1e-8 * (r + 1);
		tm.regions[r].coef[AUGUR_TERM_ONE] = 0.01;
		/* a region whose fit has a negative term: large n*k at small m goes below 0 */
		tm.regions[r].coef[AUGUR_TERM_NK] = r == 0 ? -1e-6 : 0;
	}
	tm.range = (struct augur_validity){32, 512, 64, 3136, 49, 12544};
	tm.min_ms = 0.005;
	return tm;
}

int main(void)
{
	struct augur_timemodel tm = model();

	/* regions: breaks_n[i-1] <= n < breaks_n[i] */
	CHECK_EQ_U64(augur_timemodel_region(&tm, 32, 49), 0);
	CHECK_EQ_U64(augur_timemodel_region(&tm, 127, 783), 0);
	CHECK_EQ_U64(augur_timemodel_region(&tm, 127, 784), 1);
	CHECK_EQ_U64(augur_timemodel_region(&tm, 127, 3136), 2);
	CHECK_EQ_U64(augur_timemodel_region(&tm, 128, 49), 3);
	CHECK_EQ_U64(augur_timemodel_region(&tm, 4096, 1u << 20), 5);

	/* inside: the linear form */
	double v = augur_timemodel_predict(&tm, 256, 576, 3136, false);
	CHECK_NEAR(v, 6e-8 * 256 * 576 * 3136 + 0.01, 1e-9);
	v = augur_timemodel_predict(&tm, 64, 64, 196, false);
	CHECK_NEAR(v, 1e-8 * 64 * 64 * 196 - 1e-6 * 64 * 64 + 0.01, 1e-12);

	/* outside, where region 0's form is negative: clamped to min_ms, finite, positive */
	v = augur_timemodel_predict(&tm, 100, 100000, 1, false);
	CHECK(v > 0);
	CHECK_NEAR(v, 0.005, 0);
	CHECK(!augur_timemodel_in_range(&tm, 100, 100000, 1));
	/* huge shapes: finite */
	v = augur_timemodel_predict(&tm, UINT64_MAX, UINT64_MAX, UINT64_MAX, false);
	CHECK(isfinite(v) && v >= 0.005);
	/* a form that overflows a double is infinite, never the floor, so the estimator
	 * reports it (the profile loader refuses coefficients this large); inf - inf too */
	struct augur_timemodel huge = tm;
	huge.regions[5].coef[AUGUR_TERM_NKM] = 1e300;
	v = augur_timemodel_predict(&huge, 4096, 4096, 1u << 20, false);
	CHECK(isinf(v) && v > 0);
	huge.regions[5].coef[AUGUR_TERM_NK] = -1e300;
	huge.regions[5].coef[AUGUR_TERM_NKM] = 1e300;
	v = augur_timemodel_predict(&huge, UINT64_MAX, UINT64_MAX, UINT64_MAX, false);
	CHECK(isinf(v) && v > 0);
	/* a form that goes to minus infinity is below the floor: the floor */
	huge.regions[5].coef[AUGUR_TERM_NKM] = -1e300;
	huge.regions[5].coef[AUGUR_TERM_NK] = 0;
	CHECK_NEAR(augur_timemodel_predict(&huge, UINT64_MAX, UINT64_MAX, UINT64_MAX, false), 0.005,
	           0);
	/* a zeroed model still predicts something positive */
	struct augur_timemodel zero = {0};
	CHECK(augur_timemodel_predict(&zero, 1, 1, 1, false) > 0);

	/* in range: inclusive bounds */
	CHECK(augur_timemodel_in_range(&tm, 32, 64, 49));
	CHECK(augur_timemodel_in_range(&tm, 512, 3136, 12544));
	CHECK(!augur_timemodel_in_range(&tm, 31, 64, 49));
	CHECK(!augur_timemodel_in_range(&tm, 512, 3137, 49));
	CHECK(!augur_timemodel_in_range(&tm, 64, 27, 50176));

	/* a layer: count calls, outside flag */
	struct augur_gemm g = {256, 576, 3136, 4, false};
	bool outside = true;
	CHECK_NEAR(augur_gemm_time_ms(&tm, &g, &outside),
	           4 * augur_timemodel_predict(&tm, 256, 576, 3136, false), 1e-12);
	CHECK(!outside);
	g = (struct augur_gemm){64, 27, 50176, 1, false};
	CHECK(augur_gemm_time_ms(&tm, &g, &outside) > 0);
	CHECK(outside);
	g.count = 0;
	CHECK_NEAR(augur_gemm_time_ms(&tm, &g, &outside), 0, 0);
	CHECK(!outside);
	CHECK(augur_gemm_time_ms(&tm, &g, NULL) == 0);

	CHECK_STR_EQ(augur_term_name(AUGUR_TERM_NKM), "nkm");
	CHECK_STR_EQ(augur_term_name(AUGUR_TERM_ONE), "one");

	/* the direct path: which libraries have it (the config strings OpenBLAS prints) */
	struct augur_direct_path d;
	augur_direct_path_for_library(
	        "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64",
	        &d);
	CHECK_EQ_U64(d.max_nkm, 1000000);
	CHECK_EQ_U64(d.fc_max_nm, 1200);
	CHECK_EQ_U64(d.fc_min_k, 32);
	augur_direct_path_for_library("OpenBLAS 0.3.26 DYNAMIC_ARCH NO_AFFINITY SkylakeX", &d);
	CHECK_EQ_U64(d.max_nkm, 1000000);
	augur_direct_path_for_library("OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell", &d);
	CHECK_EQ_U64(d.max_nkm, 0);
	augur_direct_path_for_library("cuBLAS 12.4.5", &d);
	CHECK_EQ_U64(d.max_nkm, 0);
	augur_direct_path_for_library(NULL, &d);
	CHECK_EQ_U64(d.max_nkm, 0);

	/* which calls take it: no path, no direct call */
	CHECK(!augur_timemodel_direct(&tm, 10, 10, 10, false));
	augur_direct_path_for_library("OpenBLAS 0.3.21 Cooperlake", &tm.direct);
	/* AlexNet-sized fc rows at batch 1: 100 x 9216 is 921,600 multiply-adds (direct),
	 * 1000 x 1024 is 1,024,000 (packed) */
	CHECK(augur_timemodel_direct(&tm, 100, 9216, 1, true));
	CHECK(augur_timemodel_direct(&tm, 1000, 1000, 1, true));
	CHECK(!augur_timemodel_direct(&tm, 1000, 1024, 1, true));
	/* the fc layout also needs n*m <= 1200 and k >= 32; conv's layout does not */
	CHECK(!augur_timemodel_direct(&tm, 2048, 168, 1, true));
	CHECK(augur_timemodel_direct(&tm, 2048, 168, 1, false));
	CHECK(!augur_timemodel_direct(&tm, 100, 16, 1, true));
	CHECK(augur_timemodel_direct(&tm, 100, 16, 1, false));
	CHECK(!augur_timemodel_direct(&tm, UINT64_MAX, UINT64_MAX, 2, false));
	/* ... and predict from the direct region, the others from the grid */
	tm.direct_region.coef[AUGUR_TERM_NKM] = 1e-9;
	tm.direct_region.coef[AUGUR_TERM_ONE] = 0.02;
	CHECK_NEAR(augur_timemodel_predict(&tm, 100, 9216, 1, true), 0.02 + 921600e-9, 1e-12);
	CHECK_NEAR(augur_timemodel_predict(&tm, 2048, 168, 1, true), 0.01 + 4e-8 * 2048 * 168,
	           1e-12); /* region (1, 0), row 3: n >= 128, m < 784 */
	g = (struct augur_gemm){100, 9216, 1, 3, true};
	CHECK_NEAR(augur_gemm_time_ms(&tm, &g, NULL), 3 * (0.02 + 921600e-9), 1e-12);
	return check_finish();
}
