/* YAML descriptors -> struct augur_net. The format is documented in docs/descriptors.md.
 * Loading checks syntax and schema (kinds, numbers, names, references); shapes are checked
 * afterwards by augur_trace, which reports through the same key locations. */
#ifndef AUGUR_DESCRIPTOR_H
#define AUGUR_DESCRIPTOR_H

#include <stddef.h>

#include "edit.h"
#include "net.h"
#include "status.h"

/* Parses a YAML descriptor held in buf. path names it in diagnostics and supplies the
 * default network name. On success *out is a new network the caller frees with
 * augur_net_free; on failure *out is NULL and diag holds the first error. */
int augur_descriptor_parse(const char *path, const char *buf, size_t len, struct augur_net **out,
                           struct augur_diag *diag);

/* Parses one "where=value" assignment against net into an edit (edit.h), checked as the
 * descriptor would check the key, leaving net unchanged: "fc6.outputs=2048",
 * "conv1.kernel=[5,5]", "input=[3,448,448]", "batch=4". The value is read as YAML. The
 * edit refers to net's layers by index: apply it to that network only. Errors name the
 * assignment in diag->path. */
int augur_edit_parse(const struct augur_net *net, const char *assignment, struct augur_edit *out,
                     struct augur_diag *diag);

/* Applies one "where=value" assignment to a network, as a descriptor would have said it:
 * "fc6.outputs=2048", "conv1.kernel=[5,5]", "input=[3,448,448]", "batch=4". The value is
 * read as YAML. Errors name the assignment in diag->path. */
int augur_descriptor_set(struct augur_net *net, const char *assignment, struct augur_diag *diag);

#endif
