/* Fuzz target: device profiles (profile.c through yamldoc.c). A profile that loads must
 * estimate a small network to finite, non-negative times, and the text augur_profile_save
 * would write for it must load back to the same model, facts and thresholds. */
#include "fuzz.h"

static int same_model(const struct augur_unit *a, const struct augur_unit *b)
{
	if (!a || !b)
		return a == b;
	if (!a->costs != !b->costs)
		return 0;
	/* the calibration's verdict on the costs, counts and all */
	const struct augur_cost_check *ka = a->costs ? &a->costs->checked : NULL,
	                              *kb = b->costs ? &b->costs->checked : NULL;
	if (ka && (ka->networks != kb->networks || ka->within_10 != kb->within_10 ||
	           ka->crossval_networks != kb->crossval_networks ||
	           ka->crossval_within_10 != kb->crossval_within_10))
		return 0;
	return !memcmp(&a->gemm, &b->gemm, sizeof(a->gemm)) && a->n_samples == b->n_samples &&
	       a->memory_bytes == b->memory_bytes &&
	       a->framework_overhead_bytes == b->framework_overhead_bytes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_text(data, size);
	struct augur_diag diag;
	struct augur_profile *p = NULL, *again = NULL;
	char *text = NULL;
	size_t len;
	int rc = augur_profile_parse("fuzz.yaml", buf, size, &p, &diag);
	fuzz_check(rc, &diag);
	FUZZ_ASSERT(rc ? p == NULL : p != NULL);
	if (rc)
		goto out;
	FUZZ_ASSERT(p->cpu || p->gpu);
	fuzz_evaluate(fuzz_net(), p);
	rc = augur_profile_format(p, &text, &len);
	FUZZ_ASSERT(rc == AUGUR_OK);
	rc = augur_profile_parse("again.yaml", text, len, &again, &diag);
	if (rc)
		fprintf(stderr, "written profile does not load: %s:%u:%u: %s\n%s", diag.path,
		        diag.line, diag.col, diag.message, text);
	FUZZ_ASSERT(rc == AUGUR_OK);
	FUZZ_ASSERT(same_model(p->cpu, again->cpu) && same_model(p->gpu, again->gpu));
	/* and the same machine and framework facts, so the same layer-cost thresholds */
	struct augur_thresholds t1, t2;
	augur_profile_thresholds(p, &t1);
	augur_profile_thresholds(again, &t2);
	FUZZ_ASSERT(!memcmp(&t1, &t2, sizeof(t1)));
	FUZZ_ASSERT((!p->framework.name && !again->framework.name) ||
	            (p->framework.name && again->framework.name &&
	             !strcmp(p->framework.name, again->framework.name)));
out:
	augur_profile_free(p);
	augur_profile_free(again);
	free(text);
	free(buf);
	return 0;
}
