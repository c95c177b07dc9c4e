/* Medians, quantiles and ordering of doubles (see stats.h). */
#include <math.h>
#include <stdlib.h>

#include "stats.h"

int augur_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double augur_median_in_place(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), augur_cmp_double);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double augur_weighted_median_in_place(double *v, double *w, size_t n)
{
	if (!n)
		return NAN;
	/* an insertion sort of both arrays by v: no allocation, and a fit's memory rows are
	 * a few hundred at most */
	for (size_t i = 1; i < n; i++) {
		double xv = v[i], xw = w[i];
		size_t j = i;
		for (; j > 0 && v[j - 1] > xv; j--) {
			v[j] = v[j - 1];
			w[j] = w[j - 1];
		}
		v[j] = xv;
		w[j] = xw;
	}
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += w[i];
	double below = 0;
	for (size_t i = 0; i < n; i++) {
		below += w[i];
		if (below >= 0.5 * total)
			return v[i];
	}
	return v[n - 1];
}

double augur_quantile_sorted(const double *sorted, size_t n, double q)
{
	if (n == 1)
		return sorted[0];
	double pos = q * (double)(n - 1);
	size_t lo = (size_t)pos, hi = lo + 1 < n ? lo + 1 : n - 1;
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - (double)lo);
}
