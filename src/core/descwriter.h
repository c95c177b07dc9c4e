/* struct augur_net -> augur YAML descriptor text: the inverse of descriptor.c, used by
 * "augur convert" and by any command that saves a network. Output is one flow-style line
 * per layer carrying only the keys that differ from their defaults, so loading it back
 * gives a network with the same shapes, counts and memory. */
#ifndef AUGUR_DESCWRITER_H
#define AUGUR_DESCWRITER_H

#include <stddef.h>

#include "net.h"
#include "status.h"

/* Writes net as YAML into a new NUL-terminated heap buffer *out of *len bytes (the caller
 * frees it). header, when not NULL, becomes a comment at the top, one "# " line per line
 * of it. Returns AUGUR_E_NOMEM, or AUGUR_E_USAGE for a network no descriptor can say (an
 * input that is not an earlier layer); *out is NULL then. */
int augur_descriptor_write(const struct augur_net *net, char **out, size_t *len,
                           const char *header);

#endif
