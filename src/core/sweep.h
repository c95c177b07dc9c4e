/* --sweep specifications: "fc6.outputs=4096,2048,1024" or "conv1.kernel=[3,3],[5,5]", a
 * target and the values to try it with, split at top-level commas (brackets nest). Parsed
 * in the core, so it is tested and fuzzed like the other parsers; each value is applied
 * through augur_descriptor_set, exactly as a --set of it would be. */
#ifndef AUGUR_SWEEP_H
#define AUGUR_SWEEP_H

#include <stddef.h>

#include "edit.h"
#include "net.h"
#include "status.h"

#define AUGUR_SWEEP_MAX_VALUES 256
#define AUGUR_SWEEP_TARGET_MAX 256 /* bytes of the target, its NUL included */

struct augur_sweep {
	char target[AUGUR_SWEEP_TARGET_MAX]; /* "fc6.outputs", "input", "batch" */
	size_t n;
	char *values[AUGUR_SWEEP_MAX_VALUES]; /* owned, as written ("2048", "[3,3]") */
};

/* Parses one --sweep value into *out (zero it first; free with augur_sweep_clear, also
 * after a failure). Errors are AUGUR_E_USAGE naming the spec in diag->path ("--sweep SPEC"):
 * no '=', an empty value, more than AUGUR_SWEEP_MAX_VALUES values; AUGUR_E_NOMEM. */
int augur_sweep_parse(const char *spec, struct augur_sweep *out, struct augur_diag *diag);

/* Frees the values and zeroes their count. */
void augur_sweep_clear(struct augur_sweep *s);

/* Applies value i of s to net through augur_descriptor_set. A bare size for the input of
 * a C x H x W network ("input=448") means a square map: [C, 448, 448]. Errors are
 * augur_descriptor_set's, with diag->path set to "--sweep TARGET=VALUE". */
int augur_sweep_apply(struct augur_net *net, const struct augur_sweep *s, size_t i,
                      struct augur_diag *diag);

/* As augur_sweep_apply, but parses value i into an edit of net (edit.h) and leaves net
 * unchanged: what augur whatif's incremental sweeps apply. */
int augur_sweep_edit(const struct augur_net *net, const struct augur_sweep *s, size_t i,
                     struct augur_edit *out, struct augur_diag *diag);

#endif
