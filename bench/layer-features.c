/* The layer-cost model's rows as a CSV, for work on the model: every timed layer of a
 * layer-times file with its measured time (less what timing it in its pass added,
 * augur_layer_times_timer_ms: the time the fit sees) and the value of every feature
 * (augur_layer_features, the profile's GEMM model and thresholds), the rows
 * `augur fit --layer-times` fits, each named by its network, its layer, the type of the
 * layer that wrote its first input and the bytes that writer touched besides its output
 * (its other inputs unless in place, its columns, its weights). A new feature can be tried against
 * them in a few lines of numpy before it goes into the C model (docs/model.md, "Trying a feature").
 *
 *   bench-layer-features PROFILE TIMES [BOARD] > rows.csv
 *
 * BOARD defaults to the profile's name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layercost.h"
#include "layercostfit.h"
#include "analysis.h"
#include "layertimes.h"
#include "net.h"
#include "profile.h"
#include "profilefit.h"

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: bench-layer-features PROFILE TIMES [BOARD] > rows.csv\n");
		return 2;
	}
	struct augur_diag diag = {0};
	struct augur_profile *p = NULL;
	struct augur_layer_times *lt = NULL;
	struct augur_cost_row *rows = NULL;
	size_t n = 0;
	int rc = augur_profile_load(argv[1], &p, &diag);
	if (!rc && !p->cpu)
		rc = augur_diag_set(&diag, AUGUR_E_USAGE, argv[1], 0, 0, "no cpu unit");
	if (!rc)
		rc = augur_layer_times_load(argv[2], &lt, &diag);
	if (!rc) {
		struct augur_thresholds th;
		augur_profile_thresholds(p, &th);
		rc = augur_layer_times_cost_rows(lt, argc > 3 ? argv[3] : p->name, AUGUR_UNIT_CPU,
		                                 &p->cpu->gemm, &th, &rows, &n, &diag);
	}
	if (rc) {
		fprintf(stderr, "%s:%d:%d: error: %s\n", diag.path, diag.line, diag.col,
		        diag.message);
		augur_layer_times_free(lt);
		augur_profile_free(p);
		return 1;
	}
	/* the rows' names, in the order augur_layer_times_cost_rows visits them: the rows of
	 * the board on the cpu, layer by layer (a file of per-type sums gets none) */
	const char *board = argc > 3 ? argv[3] : p->name;
	char **names = calloc(n + 1, sizeof(*names));
	size_t k = 0;
	for (size_t r = 0; names && r < lt->n_rows && !rc; r++) {
		const struct augur_layer_times_row *row = &lt->rows[r];
		if (strcmp(row->board, board) || row->unit != AUGUR_UNIT_CPU || !row->n_layers)
			continue;
		struct augur_net *net = NULL;
		struct augur_analysis *a = NULL;
		if ((rc = augur_layer_times_network(lt, row->network, row->line, row->col, &net,
		                                    &diag)) ||
		    (rc = augur_analyze(net, row->batch, &a, &diag))) {
			augur_net_free(net);
			break;
		}
		const char *base = strrchr(row->network, '/');
		base = base ? base + 1 : row->network;
		for (size_t j = 0; j < row->n_layers && k < n; j++) {
			const char *after = "input";
			double other = 0; /* what the input's writer touched besides its output */
			for (size_t i = 0; i < net->n_layers; i++) {
				const struct augur_layer *l = &net->layers[i];
				if (strcmp(l->name, row->layer_names[j]) || !l->n_inputs ||
				    l->inputs[0] == AUGUR_NET_INPUT)
					continue;
				size_t w = (size_t)l->inputs[0];
				const struct augur_layer_stats *ws = &a->layers[w];
				after = augur_layer_type_name(net->layers[w].type);
				other = (double)ws->workspace_bytes * a->batch +
				        (double)ws->params * AUGUR_BYTES_PER_VALUE;
				for (uint32_t q = 0; !ws->in_place && q < net->layers[w].n_inputs;
				     q++) {
					int32_t from = net->layers[w].inputs[q];
					other += (double)(from == AUGUR_NET_INPUT
					                          ? a->input_bytes
					                          : a->layers[from].out_bytes);
				}
			}
			size_t len =
			        strlen(base) + strlen(row->layer_names[j]) + strlen(after) + 64;
			if ((names[k] = malloc(len)))
				snprintf(names[k], len, "%s,%s,%s,%.0f,%.0f", base,
				         row->layer_names[j], after, other,
				         (double)a->memory.alloc_total);
			k++;
		}
		augur_analysis_free(a);
		augur_net_free(net);
	}
	printf("network,layer,after,after_other_bytes,pass_bytes,type,aggregate,time_ms");
	for (int f = 0; f < AUGUR_FEAT_COUNT; f++)
		printf(",%s", augur_feature_name(f));
	printf("\n");
	for (size_t i = 0; i < n; i++) {
		printf("%s,%s,%d,%.9g", names && i < k && names[i] ? names[i] : ",,,,",
		       augur_layer_type_name(rows[i].type), rows[i].aggregate, rows[i].time_ms);
		for (int f = 0; f < AUGUR_FEAT_COUNT; f++)
			printf(",%.9g", rows[i].f[f]);
		printf("\n");
	}
	for (size_t i = 0; names && i < k; i++)
		free(names[i]);
	free(names);
	free(rows);
	augur_layer_times_free(lt);
	augur_profile_free(p);
	return rc ? 1 : 0;
}
