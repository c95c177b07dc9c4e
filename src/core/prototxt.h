/* Caffe prototxt (NetParameter in protobuf text format) -> struct augur_net. Reads deploy
 * files in both the modern "layer { type: "Convolution" }" and the legacy
 * "layers { type: CONVOLUTION }" syntax; what is supported and how blobs map to layers is
 * documented in docs/prototxt.md. The text itself is parsed by pbtext. */
#ifndef AUGUR_PROTOTXT_H
#define AUGUR_PROTOTXT_H

#include <stddef.h>

#include "net.h"
#include "status.h"

/* Parses a prototxt held in buf (len bytes, NUL-terminated at buf[len]). path names it in
 * diagnostics and supplies the network name when the file gives none. Layers are kept
 * when Caffe's TEST phase would keep them. On success *out is a new network the caller
 * frees with augur_net_free; on failure *out is NULL and diag holds the first error:
 * AUGUR_E_SYNTAX (not protobuf text), AUGUR_E_SCHEMA (a layer type, field or blob augur
 * cannot map), AUGUR_E_LIMIT, AUGUR_E_NOMEM. */
int augur_prototxt_parse(const char *path, const char *buf, size_t len, struct augur_net **out,
                         struct augur_diag *diag);

/* "Convolution, Pooling, InnerProduct, ...": the layer types augur reads, for messages. */
const char *augur_prototxt_type_list(void);

#endif
