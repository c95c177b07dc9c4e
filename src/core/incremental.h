/* Incremental re-analysis, for what-if sweeps and architecture-search loops: a network is
 * edited in place (no clone per variant) and keeps its analysis and per-unit estimates.
 * After edits, only layers an edit reaches are re-traced and re-counted (the edited layers,
 * then each layer whose inputs changed shape), and only layers from the first edited one on
 * are re-estimated; totals resume from a snapshot taken at that layer and memory views are
 * re-summed from the cached per-layer values. The figures are byte-identical to
 * augur_analyze + augur_estimate_unit of the edited network (tests/test-incremental.c). */
#ifndef AUGUR_INCREMENTAL_H
#define AUGUR_INCREMENTAL_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "edit.h"
#include "estimate.h"
#include "net.h"
#include "profile.h"

/* Edits applied at once (then reverted together). */
#define AUGUR_INCR_MAX_EDITS 16

struct augur_incr;

/* A re-analysis context for net (borrowed: it must outlive the context and change only
 * through augur_incr_apply/augur_incr_revert) at batch (0 = the network's own) on the given
 * units (1 or 2) of profile p. Nothing is analysed yet: call augur_incr_update. Returns
 * AUGUR_E_NOMEM or AUGUR_E_USAGE (no or too many units). Free with augur_incr_free. */
int augur_incr_new(struct augur_net *net, uint32_t batch, const struct augur_profile *p,
                   const struct augur_unit *const *units, size_t n_units, struct augur_incr **out,
                   struct augur_diag *diag);

void augur_incr_free(struct augur_incr *inc);

/* Applies an edit (edit.h; parsed against this context's network with augur_edit_parse).
 * AUGUR_E_USAGE when AUGUR_INCR_MAX_EDITS edits are already applied or the edit names no
 * layer of it. */
int augur_incr_apply(struct augur_incr *inc, const struct augur_edit *e);

/* Undoes every applied edit, newest first: the network is as it was before them. */
void augur_incr_revert(struct augur_incr *inc);

/* Brings the analysis and estimates up to date with the network's edits. Fails like
 * augur_analyze (the edited network does not trace) or augur_estimate_unit; the figures
 * are then meaningless until an update succeeds (the next one analyses everything). */
int augur_incr_update(struct augur_incr *inc, struct augur_diag *diag);

/* The figures of the last successful update; owned by the context. */
const struct augur_analysis *augur_incr_analysis(const struct augur_incr *inc);
const struct augur_unit_estimate *augur_incr_estimate(const struct augur_incr *inc, size_t unit);

/* What the last successful update redid: *retraced layers re-traced and re-counted, and
 * every layer from *from on re-estimated (all of them, from 0, when it analysed everything;
 * none, from n_layers, when nothing had changed). */
void augur_incr_last(const struct augur_incr *inc, size_t *retraced, size_t *from);

#endif
