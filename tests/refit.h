/* Comparing a refitted profile unit with the shipped one, for tests/test-estimate.c and
 * tests/test-layercost.c. A refit is exact only on the machine that wrote the file: GSL's
 * least squares and OpenBLAS round differently with the CPU and the kernel set
 * (OPENBLAS_CORETYPE), so coefficients agree to about 1e-15 relative, never bit for bit.
 * The discrete choices of a fit (terms, breakpoints, feature masks, dropped rows) must
 * agree exactly; every coefficient within REFIT_REL_TOL, and so must every shipped
 * descriptor's estimate. A real change to a fit moves coefficients by far more. */
#ifndef AUGUR_TEST_REFIT_H
#define AUGUR_TEST_REFIT_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "estimate.h"
#include "netfile.h"

#define REFIT_REL_TOL 1e-9

/* Whether a and b agree within rel of the larger of them and of scale: a coefficient
 * that is zero in one fit may come out as rounding noise in the other, and what that
 * noise is measured against is the set's largest coefficient (scale). */
static inline bool refit_close(double a, double b, double rel, double scale)
{
	double m = fmax(fmax(fabs(a), fabs(b)), scale);
	return fabs(a - b) <= rel * m;
}

/* CHECKs that n values of got match want within REFIT_REL_TOL, the noise floor set by
 * the largest magnitude among want; what names the set in a failure. */
static inline void refit_check_values(const double *got, const double *want, size_t n,
                                      const char *what)
{
	double scale = 0;
	for (size_t i = 0; i < n; i++)
		scale = fmax(scale, fabs(want[i]));
	for (size_t i = 0; i < n; i++) {
		if (refit_close(got[i], want[i], REFIT_REL_TOL, scale * 1e-6)) {
			check_passed++;
		} else {
			CHECK_FAIL_("%s[%zu] == %.17g, expected %.17g within %g relative", what, i,
			            got[i], want[i], REFIT_REL_TOL);
		}
	}
}

/* CHECKs that two GEMM models are the same model: the same terms and breakpoints exactly,
 * every region's coefficients and the floor within tolerance. */
static inline void refit_check_timemodel(const struct augur_timemodel *got,
                                         const struct augur_timemodel *want)
{
	CHECK_EQ_U64(got->term_mask, want->term_mask);
	CHECK_EQ_U64(got->n_breaks_n, want->n_breaks_n);
	CHECK_EQ_U64(got->n_breaks_m, want->n_breaks_m);
	CHECK(!memcmp(got->breaks_n, want->breaks_n, sizeof(got->breaks_n)));
	CHECK(!memcmp(got->breaks_m, want->breaks_m, sizeof(got->breaks_m)));
	CHECK(!memcmp(&got->direct, &want->direct, sizeof(got->direct)));
	CHECK(!memcmp(&got->range, &want->range, sizeof(got->range)));
	for (size_t r = 0; r < AUGUR_MODEL_MAX_REGIONS; r++)
		refit_check_values(got->regions[r].coef, want->regions[r].coef, AUGUR_TERM_COUNT,
		                   "region coef");
	/* the direct region is a model (and written to the file) only with a direct path */
	if (want->direct.max_nkm)
		refit_check_values(got->direct_region.coef, want->direct_region.coef,
		                   AUGUR_TERM_COUNT, "direct region coef");
	refit_check_values(&got->min_ms, &want->min_ms, 1, "min_ms");
}

/* CHECKs that two layer-cost sets are the same fit: masks and row counts exactly,
 * coefficients within tolerance. */
static inline void refit_check_costs(const struct augur_layer_costs *got,
                                     const struct augur_layer_costs *want)
{
	CHECK_EQ_INT(got != NULL, want != NULL);
	for (int t = 0; got && want && t < AUGUR_LAYER_TYPE_COUNT; t++) {
		const struct augur_layer_cost *a = &got->type[t], *b = &want->type[t];
		CHECK_EQ_U64(a->feature_mask, b->feature_mask);
		CHECK_EQ_U64(a->n_rows, b->n_rows);
		CHECK_EQ_U64(a->n_dropped, b->n_dropped);
		refit_check_values(a->coef, b->coef, AUGUR_FEAT_COUNT, augur_layer_type_name(t));
	}
	if (got && want) {
		const struct augur_pass_scale *a = &got->pass, *b = &want->pass;
		CHECK_EQ_U64(a->networks, b->networks);
		const double gb[] = {a->knee_bytes, a->top_bytes},
		             wb[] = {b->knee_bytes, b->top_bytes};
		const double gc[] = {a->intercept, a->slope}, wc[] = {b->intercept, b->slope};
		refit_check_values(gb, wb, 2, "pass_scale bytes");
		refit_check_values(gc, wc, 2, "pass_scale coefficients");
	}
}

/* CHECKs that every shipped descriptor (root/descriptors/NAME.yaml) gets the same estimate,
 * within tolerance, from unit u of profile p as from unit v of profile q. */
static inline void refit_check_estimates(const char *root, const struct augur_profile *p,
                                         const struct augur_unit *u, const struct augur_profile *q,
                                         const struct augur_unit *v)
{
	static const char *const nets[] = {"alexnet",  "vgg16",    "vgg19",       "googlenet",
	                                   "resnet50", "resnet18", "mobilenetv2", "squeezenet",
	                                   "nin",      "vgg19m",   "yolo",        "kws"};
	for (size_t i = 0; i < sizeof(nets) / sizeof(nets[0]); i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/descriptors/%s.yaml", root, nets[i]);
		struct augur_diag d = {0};
		struct augur_net *net = NULL;
		struct augur_analysis *a = NULL;
		struct augur_unit_estimate e = {0}, f = {0};
		int rc = augur_net_load(path, &net, &d);
		if (!rc)
			rc = augur_analyze(net, 1, &a, &d);
		int rc_e = rc ? rc : augur_estimate_unit(net, a, p, u, &e, &d);
		int rc_f = rc ? rc : augur_estimate_unit(net, a, q, v, &f, &d);
		CHECK_EQ_INT(rc, 0);
		CHECK_EQ_INT(rc_e, rc_f);
		if (!rc && !rc_e && !rc_f) {
			double got = f.total_ms, want = e.total_ms;
			if (refit_close(got, want, REFIT_REL_TOL, 0))
				check_passed++;
			else
				CHECK_FAIL_(
				        "%s: estimate %.17g ms, expected %.17g within %g relative",
				        nets[i], got, want, REFIT_REL_TOL);
			CHECK_EQ_U64(f.layers_uncosted, e.layers_uncosted);
			CHECK_EQ_U64(f.memory_bytes, e.memory_bytes);
		}
		if (!rc_e)
			augur_unit_estimate_clear(&e);
		if (!rc_f)
			augur_unit_estimate_clear(&f);
		augur_analysis_free(a);
		augur_net_free(net);
	}
}

#endif
