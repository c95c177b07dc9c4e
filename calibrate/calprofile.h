/* The device profile a calibration writes: this machine as augur_machine_probe sees it,
 * what the run was (name, description, how it was made), the calibrated unit and, when a
 * profile of that name exists, its other unit. */
#ifndef AUGUR_CALPROFILE_H
#define AUGUR_CALPROFILE_H

#include <stdint.h>

#include "profile.h"
#include "status.h"

struct augur_cal_identity {
	const char *name;        /* the profile's name */
	const char *description; /* NULL: "CPU model, N cores, T BLAS threads, GRID calibration" */
	const char *grid;        /* full, quick or tiny */
	uint32_t threads_asked;  /* the BLAS threads asked for; 0: the library's choice */
};

/* Makes *out (caller frees with augur_profile_free) from id, *unit (taken: set to NULL)
 * and, when old is given, the unit of the other kind (taken from old). Fails only with
 * AUGUR_E_NOMEM, filling diag. */
int augur_cal_profile(const struct augur_cal_identity *id, struct augur_unit **unit,
                      struct augur_profile *old, struct augur_profile **out,
                      struct augur_diag *diag);

#endif
