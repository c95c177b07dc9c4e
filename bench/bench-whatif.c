/* What-if sweep benchmark: variants of a network evaluated per second on one core, the way
 * `augur whatif --sweep` evaluates them (incremental.h: edit in place, re-analyse what the
 * edit reaches, estimate on every unit of the profile), against a full re-analysis of each
 * variant (the sweep's former path: clone, set, analyse, estimate). Three edits: a late
 * layer's filters, an early layer's filters and the input size. Medians over repetitions,
 * since this machine is shared. Run through bench/run, not as a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis.h"
#include "descriptor.h"
#include "estimate.h"
#include "incremental.h"
#include "netfile.h"
#include "profile.h"

#define REPS      9
#define MAX_EDITS 64

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return v[n / 2];
}

struct setup {
	struct augur_net *net;
	struct augur_profile *p;
	const struct augur_unit *units[2];
	size_t n_units;
	size_t n_values;
	char values[MAX_EDITS][64]; /* assignments */
	struct augur_edit edits[MAX_EDITS];
};

static double sink; /* keeps the results alive */

static int die(const struct augur_diag *d)
{
	fprintf(stderr, "%s:%u:%u: error: %s\n", d->path, d->line, d->col, d->message);
	exit(1);
}

/* Incremental: apply, update, read, revert; returns variants per second. */
static double run_incremental(struct setup *s, struct augur_incr *inc, int variants,
                              double *retraced)
{
	struct augur_diag d = {0};
	size_t total = 0;
	double t0 = now_s();
	for (int v = 0; v < variants; v++) {
		augur_incr_apply(inc, &s->edits[v % s->n_values]);
		if (augur_incr_update(inc, &d))
			die(&d);
		for (size_t u = 0; u < s->n_units; u++)
			sink += augur_incr_estimate(inc, u)->total_ms;
		size_t r, from;
		augur_incr_last(inc, &r, &from);
		total += r;
		augur_incr_revert(inc);
	}
	double t = now_s() - t0;
	*retraced = (double)total / variants;
	return variants / t;
}

/* As `whatif --sweep` did before: clone, set, analyse and estimate each variant. */
static double run_full(struct setup *s, int variants)
{
	struct augur_diag d = {0};
	double t0 = now_s();
	for (int v = 0; v < variants; v++) {
		struct augur_net *c = augur_net_clone(s->net);
		struct augur_analysis *a = NULL;
		if (!c || augur_descriptor_set(c, s->values[v % s->n_values], &d) ||
		    augur_analyze(c, 0, &a, &d))
			die(&d);
		for (size_t u = 0; u < s->n_units; u++) {
			struct augur_unit_estimate e;
			if (augur_estimate_unit(c, a, s->p, s->units[u], &e, &d))
				die(&d);
			sink += e.total_ms;
			augur_unit_estimate_clear(&e);
		}
		augur_analysis_free(a);
		augur_net_free(c);
	}
	return variants / (now_s() - t0);
}

/* Parsing a sweep value into an edit, once per value. */
static double parse_us(struct setup *s, int n)
{
	struct augur_diag d = {0};
	struct augur_edit e;
	double t0 = now_s();
	for (int i = 0; i < n; i++)
		if (augur_edit_parse(s->net, s->values[i % s->n_values], &e, &d))
			die(&d);
	return (now_s() - t0) / n * 1e6;
}

static void scenario(struct setup *s, const char *label, const char *fmt, int first, int step)
{
	struct augur_diag d = {0};
	s->n_values = MAX_EDITS;
	for (size_t i = 0; i < s->n_values; i++) {
		int v = first + step * (int)i;
		snprintf(s->values[i], sizeof(s->values[i]), fmt, v, v);
		if (augur_edit_parse(s->net, s->values[i], &s->edits[i], &d))
			die(&d);
	}
	struct augur_incr *inc = NULL;
	if (augur_incr_new(s->net, 0, s->p, s->units, s->n_units, &inc, &d) ||
	    augur_incr_update(inc, &d))
		die(&d);
	double inc_rate[REPS], full_rate[REPS], parse[REPS], retraced = 0;
	run_incremental(s, inc, 2000, &retraced); /* warm-up */
	for (int r = 0; r < REPS; r++) {
		inc_rate[r] = run_incremental(s, inc, 20000, &retraced);
		full_rate[r] = run_full(s, 1000);
		parse[r] = parse_us(s, 2000);
	}
	double mi = median(inc_rate, REPS), mf = median(full_rate, REPS), mp = median(parse, REPS);
	printf("%-34s incremental %9.0f variants/s (%5.1f of %zu layers re-traced), full "
	       "re-analysis %7.0f/s: %5.1fx; parsing a value %.2f us\n",
	       label, mi, retraced, s->net->n_layers, mf, mi / mf, mp);
	augur_incr_free(inc);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench-whatif NET.yaml PROFILE.yaml\n");
		return 2;
	}
	struct setup s = {0};
	struct augur_diag d = {0};
	if (augur_net_load(argv[1], &s.net, &d) || augur_profile_load(argv[2], &s.p, &d))
		die(&d);
	if (s.p->cpu)
		s.units[s.n_units++] = s.p->cpu;
	if (s.p->gpu)
		s.units[s.n_units++] = s.p->gpu;
	printf("what-if variants of %s on %s (%zu units), one core, medians of %d runs\n",
	       s.net->name, s.p->name, s.n_units, REPS);
	scenario(&s, "late: res5c_branch2b.filters", "res5c_branch2b.filters=%d", 16, 16);
	scenario(&s, "early: conv1.filters", "conv1.filters=%d", 16, 16);
	scenario(&s, "input: input=[3,N,N]", "input=[3,%d,%d]", 224, 8);
	augur_net_free(s.net);
	augur_profile_free(s.p);
	return sink < 0;
}
