/* Timing samples and a model's quality on them (see sample.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"
#include "stats.h"

void augur_sample_clear(struct augur_sample *s)
{
	free(s->label);
	free(s->gemms);
	memset(s, 0, sizeof(*s));
}

double augur_sample_predict(const struct augur_timemodel *tm, const struct augur_sample *s)
{
	double t = 0;
	for (size_t i = 0; i < s->n_gemms; i++) {
		const struct augur_sample_gemm *g = &s->gemms[i];
		struct augur_gemm gg = {g->n, g->k, g->m, g->count, s->fc_layout};
		t += augur_gemm_time_ms(tm, &gg, NULL);
	}
	return t;
}

double augur_sample_rel_err(const struct augur_timemodel *tm, const struct augur_sample *s)
{
	return fabs(augur_sample_predict(tm, s) - s->time_ms) / s->time_ms;
}

void augur_fit_evaluate(const struct augur_timemodel *tm, const struct augur_sample *s, size_t n,
                        struct augur_fit_quality *q)
{
	double *tr = malloc((n ? n : 1) * sizeof(double));
	double *ho = malloc((n ? n : 1) * sizeof(double));
	size_t ntr = 0, nho = 0;
	double mx = NAN;
	if (tr && ho) {
		for (size_t i = 0; i < n; i++) {
			double e = augur_sample_rel_err(tm, &s[i]);
			if (s[i].held_out) {
				ho[nho++] = e;
				mx = isnan(mx) || e > mx ? e : mx;
			} else {
				tr[ntr++] = e;
			}
		}
	}
	q->train_median_rel_err = augur_median_in_place(tr, ntr);
	q->heldout_median_rel_err = augur_median_in_place(ho, nho);
	q->heldout_max_rel_err = mx;
	q->n_train = ntr;
	q->n_heldout = nho;
	free(tr);
	free(ho);
}

uint64_t augur_samples_max_aggregate_calls(const struct augur_sample *s, size_t n)
{
	uint64_t most = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; s[i].n_gemms > 1 && j < s[i].n_gemms; j++)
			if (s[i].gemms[j].count > most)
				most = s[i].gemms[j].count;
	return most;
}
