/* Fitting layer cost models (see layercostfit.h): per layer type, weighted non-negative
 * least squares over the type's features, with disturbed rows dropped. The predictor side
 * (features, prediction) is layercost.c, which never includes a fitter. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit.h"
#include "layercostfit.h"
#include "stats.h"

static int popcount(uint64_t v)
{
	int n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

/* A row predicted this far off (and 5x further than the median row) is a disturbed
 * measurement, not a layer the features fail to describe. */
#define LAYER_OUTLIER_REL_ERR 0.5

/* The least share of a row's time its own work may keep once its page faults are taken
 * out at the machine's measured rate, for the row to be fitted. */
#define FAULT_LEFT_MIN 0.1

/* The one feature a type's few rows are fitted with: its main feature, unless no row has
 * any of it (a handful of pools all global have no window): then what they read, write,
 * or the per-layer constant. */
static enum augur_feature fallback_feature(const struct augur_cost_row *rows, const size_t *idx,
                                           size_t n, enum augur_layer_type type, uint64_t mask)
{
	const enum augur_feature order[] = {augur_layer_cost_main_feature(type),
	                                    AUGUR_FEAT_IN_BYTES, AUGUR_FEAT_OUT_BYTES};
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++) {
		if (o && !(mask & AUGUR_FEAT_BIT(order[o])))
			continue;
		for (size_t i = 0; i < n; i++)
			if (rows[idx[i]].f[order[o]] > 0)
				return order[o];
	}
	return AUGUR_FEAT_ONE;
}

/* Scales coef so that half of the n rows are predicted above their time and half below.
 * Least squares on relative error is biased low where the features leave much scatter
 * (an over-prediction costs more relative error than an under-prediction of the same
 * size): in-sample, augur's runtime's relu layers were predicted 11% low in the median,
 * pooling 15%, fc 9%. Measured on six held-out runs of augur's runtime (docs/model.md):
 * 183 -> 194 of 312 networks within 10%, better or equal in each run. On two of PyTorch,
 * every type unbiased: 82 -> 77 with the drift taken out; see unbiased() for its pools. */
static void median_unbias(const double *x, const double *t, size_t n, size_t cols, double *coef,
                          double *ratio)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		double pred = 0;
		for (size_t j = 0; j < cols; j++)
			pred += coef[j] * x[i * cols + j];
		if (pred > 0 && t[i] > 0)
			ratio[m++] = pred / t[i];
	}
	double med = m ? augur_median_in_place(ratio, m) : 0;
	if (!(med > 0))
		return;
	for (size_t j = 0; j < cols; j++)
		coef[j] /= med;
}

/* Whether a type's fit is median-unbiased: every type of augur's runtime; PyTorch's (or
 * another framework's) pooling only. Its pools were fitted 6% low in the median; unbiased,
 * cross-validation over six campaigns of the 148 fit networks (bench/validate crossval,
 * mkldnn off) put 637 -> 656 of 888 within 10% at the same per-layer median, and the six
 * runs' held-out networks went 311 -> 318 of 390, one or two more in each run (three runs
 * with mkldnn on: 137 both; crossval 284 -> 292 of 444). Conv and fc as well gained a few
 * more networks but lost up to half a point per layer and doubled the worst errors; the
 * loop types cost per-layer accuracy for fewer networks (docs/model.md). */
static bool unbiased(const char *framework, enum augur_layer_type type)
{
	return augur_framework_is_augur(framework) || type == AUGUR_LAYER_POOL;
}

/* Scales coef so that the n rows' predicted times add up to their measured total. Least
 * squares on relative error fits each layer's ratio, and where the features leave
 * scatter it comes out low in sum: a network's time is a sum, carried by its large
 * layers. PyTorch's im2col convolutions (mkldnn off) were fitted 1.1% low in total in the
 * median of 19 stored runs of a Xeon guest (bench/runs, family 6 model 167; up to 1.8%),
 * and those runs' held-out networks above 30 ms came out 1-8% low in the median. Refitted with the
 * total kept (bench/refit-runs, at each run's measured cache): 822 -> 838 of 988 held-out networks
 * within 10%, no run more than one fewer, the per-layer median unchanged (12.21%); with
 * the cache chosen again 824 -> 841. Fc the same way gained 5; every type 5, at 1.6 points
 * of per-layer error (relu and batchnorm 13-20% low in total, from their scatter);
 * oneDNN's direct convolutions lost 4 of 260 and go without (docs/model.md). */
static void total_unbias(const double *x, const double *t, size_t n, size_t cols, double *coef)
{
	double predicted = 0, measured = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < cols; j++)
			predicted += coef[j] * x[i * cols + j];
		measured += t[i];
	}
	if (!(predicted > 0 && measured > 0))
		return;
	for (size_t j = 0; j < cols; j++)
		coef[j] *= measured / predicted;
}

/* Whether a type's fit keeps its rows' total time (total_unbias): the im2col convolutions
 * of a framework whose fits are not median-unbiased. */
static bool total_kept(const char *framework, enum augur_layer_type type, bool conv_direct)
{
	return type == AUGUR_LAYER_CONV && !conv_direct && !unbiased(framework, type);
}

/* How many times the framework's typical per-layer constant a type's own may be. A
 * layer is one call into the framework, or a few (PyTorch's LRN is seven element-wise
 * operations), so its constant is a few dispatches. PyTorch's LRN layers of the fit set
 * all took 1.7 ms or more: with nothing smaller to pin it, their fit put 0.75-1.5 ms into
 * the constant (in 28 of the 40 stored PyTorch runs of two Xeons, where the types'
 * median was 1.8-3.3 us) and predicted LRNs of 0.26-1 ms 100-480% high, nine held-out
 * networks 17-45% high. Fitted without it, the LRN's own terms carry its time: refitted
 * on the stored runs (bench/refit-runs, each run's measured cache) 1,393 -> 1,402 of
 * 1,612 held-out networks within 10% with mkldnn off (Xeon model 167; a pool's 23 us
 * constant in one run went too), 99 -> 100 of 104 (model 207), 244 -> 243 of 312 with
 * mkldnn on; augur's runtime unchanged (no constant out of line). Twenty times, which
 * left that pool's: 1,400. */
#define CONSTANT_MAX_TYPICAL 10.0

/* The median of the fitted types' per-layer constants (infinite with none: no type's
 * constant is then out of line). */
static double typical_constant(const struct augur_layer_costs *costs)
{
	double ones[AUGUR_LAYER_TYPE_COUNT];
	size_t n = 0;
	for (int type = 0; type < AUGUR_LAYER_TYPE_COUNT; type++) {
		const struct augur_layer_cost *c = &costs->type[type];
		if (c->feature_mask & AUGUR_FEAT_BIT(AUGUR_FEAT_ONE) && !c->aggregate)
			ones[n++] = c->coef[AUGUR_FEAT_ONE];
	}
	return n ? augur_median_in_place(ones, n) : INFINITY;
}

/* What row r's own work took: with shared_faults its page faults are paid at conv's (or
 * the machine's) rate, fault_ms_per_byte; a row left with nothing is a disturbed one,
 * which the outlier rule sees. */
static double own_ms(const struct augur_cost_row *r, bool shared_faults, double fault_ms_per_byte)
{
	if (!shared_faults)
		return r->time_ms;
	return fmax(r->time_ms - fault_ms_per_byte * r->f[AUGUR_FEAT_FRESH_BYTES],
	            0.01 * r->time_ms);
}

/* Fits one type's model from its rows (rows[idx[0..n)]), without the features in left_out;
 * 0 or AUGUR_E_NUMERIC.
 * fault_ms_per_byte, when above 0, is the cost of a fresh page fitted for conv layers (or,
 * with fault_measured, the machine's measured one): a type that does not fit fresh_bytes
 * itself pays it at that rate, taken out of its rows' times before the fit. */
static int fit_type(const struct augur_cost_row *rows, const size_t *idx, size_t n,
                    enum augur_layer_type type, const char *framework, bool cache_terms,
                    bool conv_direct, double fault_ms_per_byte, bool fault_measured,
                    uint64_t left_out, struct augur_layer_cost *out, struct augur_diag *diag)
{
	uint64_t mask = augur_layer_cost_features(type, augur_framework_holds_blobs(framework),
	                                          augur_framework_is_augur(framework), cache_terms,
	                                          conv_direct) &
	                ~left_out;
	/* a direct-conv framework's GEMM features cover the convs it runs through im2col
	 * after all; with no dispatch rule (every conv direct) no row has them, and they stay
	 * out of the model, as in the profiles fitted before the rule */
	if (conv_direct && type == AUGUR_LAYER_CONV) {
		uint64_t dispatched = AUGUR_FEAT_BIT(AUGUR_FEAT_GEMM_MS) |
		                      AUGUR_FEAT_BIT(AUGUR_FEAT_IM2COL_BYTES);
		bool any = false;
		for (size_t i = 0; i < n && !any; i++)
			any = rows[idx[i]].f[AUGUR_FEAT_GEMM_MS] > 0;
		if (!any)
			mask &= ~dispatched;
	}
	bool aggregate = false;
	for (size_t i = 0; i < n; i++)
		aggregate |= rows[idx[i]].aggregate;
	/* a handful of network-level sums cannot separate a constant from a size term:
	 * keep the feature that carries the cost */
	if (aggregate || n < (size_t)popcount(mask) * 2)
		mask = AUGUR_FEAT_BIT(fallback_feature(rows, idx, n, type, mask));
	/* a fault rate the machine measured is every type's, conv's included */
	if (fault_measured && fault_ms_per_byte > 0)
		mask &= ~AUGUR_FEAT_BIT(AUGUR_FEAT_FRESH_BYTES);
	bool shared_faults = fault_ms_per_byte > 0 && !aggregate &&
	                     augur_layer_allocates_output(type) &&
	                     !(mask & AUGUR_FEAT_BIT(AUGUR_FEAT_FRESH_BYTES));
	size_t cols = AUGUR_FEAT_COUNT;
	double *x = calloc(n * cols + 1, sizeof(double));
	double *t = calloc(n + 1, sizeof(double));
	double *err = calloc(n + 1, sizeof(double));
	double coef[AUGUR_FEAT_COUNT] = {0};
	int rc = AUGUR_OK;
	if (!x || !t || !err) {
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, "fit", 0, 0, "out of memory");
		goto out;
	}
	size_t unfaulted = 0;
	for (size_t i = 0; i < n && fault_measured; i++)
		unfaulted += own_ms(&rows[idx[i]], shared_faults, fault_ms_per_byte) <
		             FAULT_LEFT_MIN * rows[idx[i]].time_ms;
	bool skip_unfaulted = unfaulted && n - unfaulted >= (size_t)popcount(mask) * 2;
	size_t nf = 0; /* the rows fitted: x and t's first nf */
	for (size_t i = 0; i < n; i++) {
		const struct augur_cost_row *r = &rows[idx[i]];
		double own = own_ms(r, shared_faults, fault_ms_per_byte);
		/* At a measured rate, a row its faults would leave with under a tenth of its
		 * time is one whose buffers did not fault as predicted (a 37 MiB output that
		 * glibc reused: 13 ms measured, 90 ms of faults at 2.4 ms per MiB), not a
		 * layer with almost no work: its tiny target, weighted 1/t^2, bent conv's whole
		 * fit in two folds of five (cross-validated 87 of 148 networks, against 124). */
		if (skip_unfaulted && own < FAULT_LEFT_MIN * r->time_ms)
			continue;
		for (size_t j = 0; j < cols; j++)
			x[nf * cols + j] = mask & AUGUR_FEAT_BIT(j) ? r->f[j] : 0;
		t[nf++] = own;
	}
	/* Weights 1/t^2 (relative error): tried against 1/t^1.5 and 1/t, which favour the
	 * layers that hold most of a network's time, on the held-out networks of
	 * bench/validate (docs/model.md); relative error predicted them best. */
	if (augur_fit_linear(x, t, nf, cols, true, coef)) {
		rc = augur_diag_set(diag, AUGUR_E_NUMERIC, "fit", 0, 0,
		                    "cannot fit the cost of %s layers from %zu rows (times must be "
		                    "positive; features must vary)",
		                    augur_layer_type_name(type), n);
		goto out;
	}
	/* A disturbed measurement (a layer timed while the kernel was slow to hand out
	 * pages, another process on the core) must not bend a type's whole model: drop the
	 * worst-predicted row while it is far off the rest, up to 1 row in 20, and refit.
	 * With 1/t^2 weights one small disturbed layer otherwise outweighs many large ones. */
	size_t kept = nf, max_drop = nf / 20;
	while (nf - kept < max_drop && kept > (size_t)popcount(mask) * 2) {
		size_t worst = 0;
		for (size_t i = 0; i < kept; i++) {
			double pred = 0;
			for (size_t j = 0; j < cols; j++)
				pred += coef[j] * x[i * cols + j];
			err[i] = fabs(pred - t[i]) / t[i];
			if (err[i] > err[worst])
				worst = i;
		}
		double worst_err = err[worst];
		double med = augur_median_in_place(err, kept);
		if (!(worst_err > LAYER_OUTLIER_REL_ERR && worst_err > 5 * med))
			break;
		double trial[AUGUR_FEAT_COUNT];
		kept--; /* move the worst row past the end of the rows fitted */
		for (size_t j = 0; j < cols; j++) {
			double v = x[worst * cols + j];
			x[worst * cols + j] = x[kept * cols + j];
			x[kept * cols + j] = v;
		}
		double v = t[worst];
		t[worst] = t[kept];
		t[kept] = v;
		if (augur_fit_linear(x, t, kept, cols, true, trial)) {
			kept++;
			break;
		}
		memcpy(coef, trial, sizeof(trial));
	}
	if (unbiased(framework, type) && !aggregate)
		median_unbias(x, t, kept, cols, coef, err);
	else if (total_kept(framework, type, conv_direct) && !aggregate)
		total_unbias(x, t, kept, cols, coef);
	memset(out, 0, sizeof(*out));
	out->feature_mask = mask;
	out->aggregate = aggregate;
	out->n_rows = (uint32_t)n;
	out->n_dropped = (uint32_t)(n - kept);
	memcpy(out->coef, coef, sizeof(coef));
	for (size_t j = 0; j < cols; j++) {
		out->lo[j] = INFINITY;
		out->hi[j] = 0;
	}
	for (size_t i = 0; i < n; i++) {
		const struct augur_cost_row *r = &rows[idx[i]];
		for (size_t j = 0; j < cols; j++) {
			out->lo[j] = fmin(out->lo[j], r->f[j]);
			out->hi[j] = fmax(out->hi[j], r->f[j]);
		}
	}
	if (shared_faults) {
		/* valid as far as conv's fit saw page faults (the caller's range) */
		out->feature_mask |= AUGUR_FEAT_BIT(AUGUR_FEAT_FRESH_BYTES);
		out->coef[AUGUR_FEAT_FRESH_BYTES] = fault_ms_per_byte;
		out->lo[AUGUR_FEAT_FRESH_BYTES] = 0;
	}
	for (size_t i = 0; i < n; i++) {
		const struct augur_cost_row *r = &rows[idx[i]];
		double pred = augur_layer_cost_predict(out, r->f, NULL, NULL);
		err[i] = fabs(pred - r->time_ms) / r->time_ms;
	}
	out->median_rel_err = augur_median_in_place(err, n);
out:
	free(x);
	free(t);
	free(err);
	return rc;
}

/* The indices of the rows of one type with a time (into idx); how many. */
static size_t rows_of_type(const struct augur_cost_row *rows, size_t n, enum augur_layer_type type,
                           size_t *idx)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (rows[i].type == type && rows[i].time_ms > 0)
			idx[m++] = i;
	return m;
}

int augur_layer_costs_fit(const struct augur_cost_row *rows, size_t n, const char *framework,
                          bool cache_terms, bool conv_direct, double fault_ms_per_mib,
                          struct augur_layer_costs *out, struct augur_diag *diag)
{
	size_t *idx = calloc(n + 1, sizeof(*idx));
	if (!idx)
		return augur_diag_set(diag, AUGUR_E_NOMEM, "fit", 0, 0, "out of memory");
	int rc = AUGUR_OK;
	/* conv first: the page faults of fresh buffers it fits are what every type's fresh
	 * buffers cost (a page fault does not depend on the layer that touches the page),
	 * and the other types rarely have rows with enough of them to fit their own */
	double fault_ms_per_byte = 0, fault_hi = 0;
	/* The machine's own page-fault cost, where calibrate measured one (a fresh 64 MiB
	 * written twice), is the least a fresh page costs: a framework's allocations touch
	 * pages no more cheaply than that bare write. Conv's fit of the rate leans on the few
	 * rows that fault and shares them with the other terms: with oneDNN's direct
	 * convolutions (multiply-adds, output bytes) PyTorch's mkldnn-on fit on a Zen 5
	 * guest found 0.45 ms per MiB where the probe measured 2.5, and YOLO's four 36 MiB
	 * weight copies came out 67-75% low. A fitted rate under the measured one is that
	 * confusion: conv is fitted again at the measured rate, which every type then pays.
	 * One above it is kept (mkldnn off found 2.6 against 2.4; at 2.4 its faulting
	 * networks came out 4% lower and the held-out time error rose from 4.8% to 7.6%). */
	const double measured = isfinite(fault_ms_per_mib) && fault_ms_per_mib > 0
	                                ? fault_ms_per_mib / (1024.0 * 1024.0)
	                                : 0;
	bool at_measured = false;
	for (int type = 0; type < AUGUR_LAYER_TYPE_COUNT && !rc; type++) {
		size_t m = rows_of_type(rows, n, (enum augur_layer_type)type, idx);
		if (!m)
			continue;
		struct augur_layer_cost *c = &out->type[type];
		rc = fit_type(rows, idx, m, type, framework, cache_terms, conv_direct,
		              fault_ms_per_byte, at_measured, 0, c, diag);
		if (!rc && type == AUGUR_LAYER_CONV && measured > 0 &&
		    !(c->feature_mask & AUGUR_FEAT_BIT(AUGUR_FEAT_FRESH_BYTES) &&
		      c->coef[AUGUR_FEAT_FRESH_BYTES] >= measured)) {
			at_measured = true;
			fault_ms_per_byte = measured;
			rc = fit_type(rows, idx, m, type, framework, cache_terms, conv_direct,
			              fault_ms_per_byte, at_measured, 0, c, diag);
		}
		if (!rc && !at_measured && type == AUGUR_LAYER_CONV &&
		    (c->feature_mask & AUGUR_FEAT_BIT(AUGUR_FEAT_FRESH_BYTES))) {
			fault_ms_per_byte = c->coef[AUGUR_FEAT_FRESH_BYTES];
			fault_hi = c->hi[AUGUR_FEAT_FRESH_BYTES];
		} else if (!rc && type != AUGUR_LAYER_CONV && fault_ms_per_byte > 0 &&
		           c->coef[AUGUR_FEAT_FRESH_BYTES] == fault_ms_per_byte)
			c->hi[AUGUR_FEAT_FRESH_BYTES] =
			        fmax(c->hi[AUGUR_FEAT_FRESH_BYTES], fault_hi);
	}
	/* a type's constant far above the framework's typical one was not measured but
	 * extrapolated from larger layers: fitted again without it (not conv, whose page
	 * fault rate the other types were fitted with; not a type with nothing else) */
	double cap = typical_constant(out) * CONSTANT_MAX_TYPICAL;
	for (int type = 0; type < AUGUR_LAYER_TYPE_COUNT && !rc; type++) {
		struct augur_layer_cost *c = &out->type[type];
		if (type == AUGUR_LAYER_CONV || c->aggregate || popcount(c->feature_mask) < 2 ||
		    !(c->feature_mask & AUGUR_FEAT_BIT(AUGUR_FEAT_ONE)) ||
		    !(c->coef[AUGUR_FEAT_ONE] > cap))
			continue;
		size_t m = rows_of_type(rows, n, (enum augur_layer_type)type, idx);
		double constant = c->coef[AUGUR_FEAT_ONE];
		rc = fit_type(rows, idx, m, type, framework, cache_terms, conv_direct,
		              fault_ms_per_byte, at_measured, AUGUR_FEAT_BIT(AUGUR_FEAT_ONE), c,
		              diag);
		c->constant_left_out = constant;
	}
	free(idx);
	return rc;
}
