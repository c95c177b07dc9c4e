/* stats.c: the median and numpy-style quantiles on hand-computed cases. */
#include "check.h"
#include "stats.h"

static void test_median(void)
{
	double odd[] = {5, 1, 3}, even[] = {4, 1, 3, 2};
	CHECK_NEAR(augur_median_in_place(odd, 3), 3, 1e-12);
	CHECK_NEAR(augur_median_in_place(even, 4), 2.5, 1e-12);
	CHECK(even[0] == 1 && even[3] == 4); /* sorted in place */
	CHECK(isnan(augur_median_in_place(odd, 0)));
}

static void test_weighted_median(void)
{
	/* sorted: 1 (w 1), 2 (w 5), 3 (w 1); half the weight, 3.5, is reached at 2 */
	double v[] = {3, 1, 2}, w[] = {1, 1, 5};
	CHECK_NEAR(augur_weighted_median_in_place(v, w, 3), 2, 1e-12);
	CHECK(v[0] == 1 && w[1] == 5 && v[2] == 3); /* sorted together */
	/* a heavy largest value: 10 and 20 hold 0.2 of 1.2 */
	double v2[] = {20, 30, 10}, w2[] = {0.1, 1, 0.1};
	CHECK_NEAR(augur_weighted_median_in_place(v2, w2, 3), 30, 1e-12);
	/* equal weights, even n: the lower middle, where the weights reach half exactly */
	double v3[] = {4, 1, 3, 2}, w3[] = {1, 1, 1, 1};
	CHECK_NEAR(augur_weighted_median_in_place(v3, w3, 4), 2, 1e-12);
	/* the minimiser of sum w |v - x|: no value of v does better (KWS-like peaks: the
	 * residuals of MiB-sized networks outweigh those of 100 MiB ones, weighted 1/peak) */
	double res[] = {9.8, 8.8, 10.0, 9.9, 8.9, 9.95}, peak[] = {45, 9.2, 400, 104, 10.1, 14};
	double r0[6], w0[6];
	for (int i = 0; i < 6; i++) {
		r0[i] = res[i];
		w0[i] = 1 / peak[i];
	}
	double x = augur_weighted_median_in_place(res, w0, 6);
	double best = 0;
	for (int i = 0; i < 6; i++)
		best += fabs(r0[i] - x) / peak[i];
	for (int j = 0; j < 6; j++) {
		double cost = 0;
		for (int i = 0; i < 6; i++)
			cost += fabs(r0[i] - r0[j]) / peak[i];
		CHECK(best <= cost + 1e-12);
	}
	CHECK_NEAR(x, 8.9, 1e-12);
	CHECK(isnan(augur_weighted_median_in_place(v, w, 0)));
}

static void test_quantile(void)
{
	/* numpy.quantile([1, 2, 3, 4], q): position q * 3 between order statistics */
	const double v[] = {1, 2, 3, 4};
	CHECK_NEAR(augur_quantile_sorted(v, 4, 0.0), 1, 1e-12);
	CHECK_NEAR(augur_quantile_sorted(v, 4, 0.1), 1.3, 1e-12);
	CHECK_NEAR(augur_quantile_sorted(v, 4, 0.5), 2.5, 1e-12);
	CHECK_NEAR(augur_quantile_sorted(v, 4, 0.9), 3.7, 1e-12);
	CHECK_NEAR(augur_quantile_sorted(v, 4, 1.0), 4, 1e-12);
	/* [10, 20, 40, 80, 160] at 0.25: position 1, exactly 20; at 0.6: 40 + 0.4 * 40 */
	const double w[] = {10, 20, 40, 80, 160};
	CHECK_NEAR(augur_quantile_sorted(w, 5, 0.25), 20, 1e-12);
	CHECK_NEAR(augur_quantile_sorted(w, 5, 0.6), 56, 1e-12);
	const double one[] = {7};
	CHECK_NEAR(augur_quantile_sorted(one, 1, 0.9), 7, 1e-12);
}

int main(void)
{
	test_median();
	test_weighted_median();
	test_quantile();
	return check_finish();
}
