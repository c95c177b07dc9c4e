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
	test_quantile();
	return check_finish();
}
