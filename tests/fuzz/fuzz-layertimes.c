/* Fuzz target: layer-times files (layertimes.c through yamldoc.c), what augur fit
 * --layer-times reads. A file that loads has a name and a board on every row, times that
 * are finite and not negative, and as many names as times in per-layer rows. */
#include <math.h>

#include "fuzz.h"
#include "layertimes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_text(data, size);
	struct augur_diag diag;
	struct augur_layer_times *lt = NULL;
	int rc = augur_layer_times_parse("fuzz.yaml", buf, size, &lt, &diag);
	fuzz_check(rc, &diag);
	FUZZ_ASSERT(rc ? lt == NULL : lt != NULL);
	for (size_t i = 0; lt && i < lt->n_rows; i++) {
		const struct augur_layer_times_row *r = &lt->rows[i];
		FUZZ_ASSERT(r->network && r->network[0] && r->board && r->board[0]);
		FUZZ_ASSERT(isfinite(r->forward_ms) && r->forward_ms >= 0);
		FUZZ_ASSERT(isfinite(r->total_ms) && r->total_ms >= 0);
		for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++)
			FUZZ_ASSERT(!r->has[t] || (isfinite(r->type_ms[t]) && r->type_ms[t] >= 0));
		for (size_t j = 0; j < r->n_layers; j++)
			FUZZ_ASSERT(r->layer_names[j] && isfinite(r->layer_ms[j]) &&
			            r->layer_ms[j] >= 0);
	}
	for (size_t i = 0; lt && i < lt->n_memory; i++)
		FUZZ_ASSERT(isfinite(lt->memory[i].mb[0]) && isfinite(lt->memory[i].mb[1]));
	augur_layer_times_free(lt);
	free(buf);
	return 0;
}
