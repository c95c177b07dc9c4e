/* Fuzz target: --sweep specifications (augur_sweep_parse), each value then applied to a
 * small network (augur_sweep_apply) and the variant traced and estimated, as augur whatif
 * does for each row. */
#include "fuzz.h"
#include "sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = fuzz_arg(data, size);
	struct augur_sweep s;
	memset(&s, 0, sizeof(s));
	struct augur_diag diag;
	int rc = augur_sweep_parse(spec, &s, &diag);
	fuzz_check(rc, &diag);
	FUZZ_ASSERT(rc || (s.n >= 1 && s.n <= AUGUR_SWEEP_MAX_VALUES));
	for (size_t i = 0; rc == AUGUR_OK && i < s.n && i < 8; i++) {
		FUZZ_ASSERT(s.values[i] && s.values[i][0]);
		struct augur_net *net = augur_net_clone(fuzz_net());
		if (!net)
			break;
		int arc = augur_sweep_apply(net, &s, i, &diag);
		fuzz_check(arc, &diag);
		if (arc == AUGUR_OK)
			fuzz_evaluate(net, fuzz_profile());
		augur_net_free(net);
	}
	augur_sweep_clear(&s);
	free(spec);
	return 0;
}
