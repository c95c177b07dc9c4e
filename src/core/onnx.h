/* ONNX models (a binary ModelProto) -> struct augur_net. The graph's nodes become augur
 * layers, initializers give weight shapes (their data is never read), and shape-only
 * subgraphs (Shape, Gather, Unsqueeze, Concat of constants...) are evaluated on shapes.
 * What is read and how each op maps is documented in docs/onnx.md. onnx.c is the one file
 * that includes the protobuf-c code generated from onnx.proto. */
#ifndef AUGUR_ONNX_H
#define AUGUR_ONNX_H

#include <stdbool.h>
#include <stddef.h>

#include "net.h"
#include "status.h"

/* Whether buf (len bytes, the file's start or all of it) is an ONNX model: it opens with
 * ModelProto's ir_version field, which every exporter writes first. A file named *.onnx
 * that does not look like text is also taken as one, so that a damaged model gets the
 * ONNX reader's message rather than the YAML parser's. */
bool augur_onnx_sniff(const char *path, const unsigned char *buf, size_t len);

/* Parses the ONNX model held in buf (len bytes; typically a read-only mapping of the file:
 * the weights' pages are never touched). path names it in diagnostics, which locate an
 * error by node ("node 57 'Conv_57' (op Foo): ..."). On success *out is a new network the
 * caller frees with augur_net_free; on failure *out is NULL and diag holds the error:
 * AUGUR_E_SYNTAX (not a well-formed ModelProto), AUGUR_E_SCHEMA (an op, attribute or
 * input augur cannot map), AUGUR_E_SHAPE, AUGUR_E_LIMIT, AUGUR_E_NOMEM. */
int augur_onnx_parse(const char *path, const unsigned char *buf, size_t len, struct augur_net **out,
                     struct augur_diag *diag);

/* As augur_onnx_parse, with the graph input's C x H x W given by input (--input) instead
 * of the file: a dynamic size is then no error. input may be NULL. */
int augur_onnx_parse_input(const char *path, const unsigned char *buf, size_t len,
                           const struct augur_shape *input, struct augur_net **out,
                           struct augur_diag *diag);

/* "Conv, Gemm, MatMul, ...": the ops augur reads, for messages and docs. */
const char *augur_onnx_op_list(void);

#endif
