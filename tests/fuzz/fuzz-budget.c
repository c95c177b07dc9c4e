/* Fuzz target: --budget values (augur_budget_parse). A budget that parses is a finite,
 * positive limit of a known kind, and its text is a NUL-terminated copy of the value. */
#include "budget.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *arg = fuzz_arg(data, size);
	struct augur_budget b;
	struct augur_diag diag;
	int rc = augur_budget_parse(arg, &b, &diag);
	fuzz_check(rc, &diag);
	if (rc == AUGUR_OK) {
		FUZZ_ASSERT(b.kind == AUGUR_BUDGET_TIME || b.kind == AUGUR_BUDGET_MEMORY);
		FUZZ_ASSERT(isfinite(b.limit) && b.limit > 0);
		FUZZ_ASSERT(memchr(b.text, '\0', sizeof(b.text)) != NULL);
	}
	free(arg);
	return 0;
}
