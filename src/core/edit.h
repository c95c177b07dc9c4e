/* Edits as values: one change of a network ("fc6.outputs=2048", "input=[3,448,448]",
 * "batch=4") held as data, applied to a network and reverted by applying the edit that
 * applying it returns. The descriptor reader parses the text of an edit
 * (augur_edit_parse, descriptor.h) and applies it for --set; the incremental engine
 * applies and reverts edits without any parsing. */
#ifndef AUGUR_EDIT_H
#define AUGUR_EDIT_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"
#include "status.h"

enum augur_edit_kind { AUGUR_EDIT_LAYER, AUGUR_EDIT_INPUT, AUGUR_EDIT_BATCH };

struct augur_edit {
	enum augur_edit_kind kind;
	size_t layer;             /* AUGUR_EDIT_LAYER: index of the layer */
	enum augur_key key;       /* and the key it sets */
	struct augur_layer value; /* a layer holding the key's new value (and its position);
	                             only that key is applied, the rest is never read */
	struct augur_shape input; /* AUGUR_EDIT_INPUT */
	uint32_t batch;           /* AUGUR_EDIT_BATCH */
};

/* Applies e to net and fills *undo with the edit that restores what it replaced.
 * AUGUR_E_USAGE (net unchanged) when e names no layer of net. */
int augur_edit_apply(struct augur_net *net, const struct augur_edit *e, struct augur_edit *undo);

#endif
