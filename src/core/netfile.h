/* Loading a network descriptor from a file: reads it (bounded), recognises its format from
 * its content and hands it to the matching parser. Every command that takes a NET uses it.
 *
 * Format rule (docs/prototxt.md): lines are read from the top, skipping blank lines and
 * '#' comments (both formats share them); the first line that only one format can start
 * decides. Caffe prototxt: "word {" (layer {, layers {, input_shape {), a key only
 * NetParameter has (input_dim, input_shape, layer, state, force_backward, debug_info), or
 * 'input: "data"' with a quoted blob name. YAML: "- item", "---", a line opening with '['
 * or '{', a key with no value on its line ("layers:"), "input: [...]" or "batch:". Lines
 * both could start ('name: "alexnet"') decide nothing. When no line decides, a name ending
 * in .prototxt or .pbtxt means prototxt; anything else is read as YAML. Before all
 * that, a binary ONNX model is recognised by its first bytes (augur_onnx_sniff); it is
 * mapped, not read, so its weights never enter memory. */
#ifndef AUGUR_NETFILE_H
#define AUGUR_NETFILE_H

#include <stddef.h>

#include "net.h"
#include "status.h"

enum augur_net_format { AUGUR_NET_YAML, AUGUR_NET_PROTOTXT, AUGUR_NET_ONNX };

/* The format of a descriptor held in buf (see the rule above); path only breaks ties. */
enum augur_net_format augur_net_sniff(const char *path, const char *buf, size_t len);

/* "augur YAML descriptor", "Caffe prototxt", "ONNX model". */
const char *augur_net_format_name(enum augur_net_format format);

/* Parses a descriptor of any format held in buf (len bytes, NUL-terminated at buf[len]).
 * On success *out is a new network (free with augur_net_free); on failure diag says where
 * and why. *format, when not NULL, receives the format it was read as. */
int augur_net_parse(const char *path, const char *buf, size_t len, struct augur_net **out,
                    enum augur_net_format *format, struct augur_diag *diag);

/* Loads the descriptor at path. On success *out is a new network (free with
 * augur_net_free); on failure diag says where and why. */
int augur_net_load(const char *path, struct augur_net **out, struct augur_diag *diag);

/* As augur_net_load, also telling which format the file was read as (format may be NULL). */
int augur_net_load_format(const char *path, struct augur_net **out, enum augur_net_format *format,
                          struct augur_diag *diag);

/* As augur_net_load_format, with the network input's C x H x W replaced by input (--input;
 * NULL keeps the file's): real deploy files ship a placeholder (a 1 x 1 image, a dynamic
 * ONNX size) that the framework reshapes at run time. */
int augur_net_load_input(const char *path, const struct augur_shape *input, struct augur_net **out,
                         enum augur_net_format *format, struct augur_diag *diag);

#endif
