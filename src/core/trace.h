/* Shape tracing: the output shape of each layer from its inputs' shapes, following Caffe's
 * arithmetic. Impossible shapes (kernel larger than the padded input, groups that do not
 * divide, mismatched eltwise or concat inputs, element counts past 64 bits) are located
 * diagnostics pointing at the key that causes them. */
#ifndef AUGUR_TRACE_H
#define AUGUR_TRACE_H

#include "analysis.h"
#include "net.h"
#include "status.h"

/* Computes the shape layer i of net produces. earlier[j].out holds the output shape of
 * every earlier layer j; *in receives the first input's shape. */
int augur_trace_layer(const struct augur_net *net, size_t i,
                      const struct augur_layer_stats *earlier, struct augur_shape *in,
                      struct augur_shape *out, struct augur_diag *diag);

/* Replaces net's input shape (--input). A depthwise conv layer, one whose groups equal its
 * input channels (more than 1) under the old input, keeps groups == its input channels
 * under the new one, and its filters follow too when it had one filter per group; every
 * other value stays as given. Returns AUGUR_OK, or AUGUR_E_NOMEM (net unchanged). A net
 * that does not trace gets the new input and nothing else: analysing it reports why. */
int augur_net_set_input(struct augur_net *net, const struct augur_shape *input);

/* Conv/pool output size along one axis, Caffe's rule; returns false when the window does
 * not fit. Exposed for tests. */
bool augur_window_out(uint64_t in, uint32_t kernel, uint32_t stride, uint32_t pad,
                      uint32_t dilation, bool ceil_mode, uint64_t *out);

#endif
