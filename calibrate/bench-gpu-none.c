/* The cuBLAS backend when augur was built without CUDA: --unit gpu explains why. */
#include <stddef.h>

#include "bench.h"

int augur_bench_gpu_open(const struct augur_bench_sizes *sizes, struct augur_bench **out,
                         struct augur_diag *diag)
{
	(void)sizes;
	*out = NULL;
	return augur_diag_set(diag, AUGUR_E_USAGE, "calibrate", 0, 0,
	                      "this augur was built without CUDA (reconfigure with -Dcuda=enabled "
	                      "on a machine with the CUDA toolkit)");
}
