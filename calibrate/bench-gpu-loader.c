/* The GPU timing backend, loaded on demand: augur_bench_gpu_open dlopens the cuBLAS module
 * built beside augur (bench-gpu.c), so commands other than "calibrate --unit gpu" never
 * load the CUDA libraries. Without CUDA at build time it explains how to get it. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "augur-config.h"
#include "bench.h"
#include "datadir.h"

typedef int (*open_fn)(const struct augur_bench_sizes *, struct augur_bench **,
                       struct augur_diag *);

int augur_bench_gpu_open(const struct augur_bench_sizes *sizes, struct augur_bench **out,
                         struct augur_diag *diag)
{
	*out = NULL;
#if AUGUR_HAVE_CUDA
	/* $AUGUR_CUBLAS_MODULE, else beside the executable: calibrate/ in a build directory,
	 * ../LIBDIR/augur/ when installed */
	char found[4200] = "";
	const char *path = getenv("AUGUR_CUBLAS_MODULE");
	if (!path || !*path) {
		char exe[4096];
		if (augur_exe_dir(exe, sizeof(exe)) == 0) {
			snprintf(found, sizeof(found), "%s/calibrate/augur-cublas.so", exe);
			if (access(found, R_OK) != 0)
				snprintf(found, sizeof(found), "%s/../%s/augur/augur-cublas.so",
				         exe, AUGUR_LIBDIR);
		}
		path = found[0] ? found : "augur-cublas.so";
	}
	void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!handle)
		return augur_diag_set(diag, AUGUR_E_USAGE, "calibrate", 0, 0,
		                      "cannot load the cuBLAS backend '%s': %s", path, dlerror());
	open_fn fn = (open_fn)dlsym(handle, "augur_bench_cublas_open");
	if (!fn)
		return augur_diag_set(diag, AUGUR_E_USAGE, "calibrate", 0, 0,
		                      "'%s' is not augur's cuBLAS backend", path);
	/* the module stays loaded for the life of the process: its bench object points into it */
	return fn(sizes, out, diag);
#else
	(void)sizes;
	return augur_diag_set(diag, AUGUR_E_USAGE, "calibrate", 0, 0,
	                      "this augur was built without CUDA (reconfigure with -Dcuda=enabled "
	                      "on a machine with the CUDA toolkit)");
#endif
}
