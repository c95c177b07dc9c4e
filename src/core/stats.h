/* Small statistics every fit and report shares: ordering doubles for qsort, the median
 * of a set and quantiles of a sorted one. One definition, so every median in augur rounds the same
 * way. */
#ifndef AUGUR_STATS_H
#define AUGUR_STATS_H

#include <stddef.h>

/* qsort comparator for doubles, ascending (no NaN: callers check times first). */
int augur_cmp_double(const void *a, const void *b);

/* The median of v[0..n), sorting v in place; the mean of the middle two for even n, NAN
 * when n == 0. */
double augur_median_in_place(double *v, size_t n);

/* The weighted median of v[0..n) with weights w[0..n) (all > 0): the value x minimising
 * sum w[i] |v[i] - x|, the smallest v[i] at which the weights of v up to it reach half
 * their sum. Sorts v and w together in place; NAN when n == 0. */
double augur_weighted_median_in_place(double *v, double *w, size_t n);

/* The q-quantile (0 <= q <= 1) of sorted[0..n), n >= 1, interpolated linearly between
 * order statistics (numpy's default). */
double augur_quantile_sorted(const double *sorted, size_t n, double q);

#endif
