/* Fuzz target: --set assignments (augur_descriptor_set). The input holds up to four
 * assignments, one a line, applied in order to a small network with every layer type;
 * the edited network is then traced and estimated, as augur whatif does. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct augur_net *net = augur_net_clone(fuzz_net());
	if (!net)
		return 0;
	struct augur_diag diag;
	int rc = AUGUR_OK;
	for (int i = 0; i < 4 && size && rc == AUGUR_OK; i++) {
		char *arg = fuzz_arg(data, size);
		size_t used = strlen(arg);
		rc = augur_descriptor_set(net, arg, &diag);
		fuzz_check(rc, &diag);
		free(arg);
		/* a NUL ends the argument as it would in argv; skip past it too */
		used += used < size;
		data += used;
		size -= used;
	}
	if (rc == AUGUR_OK)
		fuzz_evaluate(net, fuzz_profile());
	augur_net_free(net);
	return 0;
}
