/* One evaluation of a network on a device: analysis plus an estimate per unit. The
 * commands that compare variants (whatif, check, compare) share it so each computes a
 * network's figures the same way estimate does. */
#ifndef AUGUR_EVALUATE_H
#define AUGUR_EVALUATE_H

#include "analysis.h"
#include "estimate.h"
#include "profile.h"

struct evaluation {
	struct augur_analysis *a;
	size_t n_units;
	struct augur_unit_estimate est[2];
};

/* Picks the units of p named by unit ("cpu", "gpu" or "all"); on an absent unit fills diag
 * with the units the profile has. */
int eval_units(const struct augur_profile *p, const char *unit, const char *path,
               const struct augur_unit **units, size_t *n, struct augur_diag *diag);

/* Analyses net at batch (0 = its own) and estimates it on each unit. */
int eval_run(const struct augur_net *net, uint32_t batch, const struct augur_profile *p,
             const struct augur_unit *const *units, size_t n_units, struct evaluation *e,
             struct augur_diag *diag);

void eval_clear(struct evaluation *e);

/* Loads the profile named name (or a path) into *p and its path into path. */
int eval_load_profile(const char *name, char *path, size_t size, struct augur_profile **p,
                      struct augur_diag *diag);

#endif
