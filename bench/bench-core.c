/* Parse-and-trace benchmark: loads a descriptor and analyses it N times in-process and
 * prints the median and quartiles per iteration. Run through bench/run, not as a test:
 * timings on a shared machine are reported, never asserted. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "analysis.h"
#include "netfile.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench-core NET.yaml [iterations]\n");
		return 2;
	}
	int iters = argc > 2 ? atoi(argv[2]) : 200;
	if (iters < 1)
		iters = 1;
	double *t = malloc(sizeof(*t) * (size_t)iters);
	if (!t)
		return 1;
	size_t layers = 0;
	for (int i = 0; i < iters; i++) {
		struct augur_diag diag = {0};
		struct augur_net *net = NULL;
		struct augur_analysis *a = NULL;
		double t0 = now_ms();
		if (augur_net_load(argv[1], &net, &diag) || augur_analyze(net, 0, &a, &diag)) {
			fprintf(stderr, "%s:%u:%u: error: %s\n", diag.path, diag.line, diag.col,
			        diag.message);
			return 1;
		}
		t[i] = now_ms() - t0;
		layers = net->n_layers;
		augur_analysis_free(a);
		augur_net_free(net);
	}
	qsort(t, (size_t)iters, sizeof(*t), cmp);
	printf("parse+trace %s (%zu layers): median %.3f ms, p25 %.3f, p75 %.3f over %d runs\n",
	       argv[1], layers, t[iters / 2], t[iters / 4], t[3 * iters / 4], iters);
	free(t);
	return 0;
}
