/* One evaluation of a network on a device: analysis plus an estimate per unit. The
 * commands that compare variants (whatif, check, compare) share it so each computes a
 * network's figures the same way estimate does. */
#ifndef AUGUR_EVALUATE_H
#define AUGUR_EVALUATE_H

#include <stdbool.h>
#include <stdint.h>

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

/* What a command that evaluates one network on a device asks for. */
struct eval_request {
	const char *net_path;    /* a descriptor of any format augur reads */
	const char *device;      /* a profile name or path */
	const char *unit;        /* "cpu", "gpu" or "all" */
	uint32_t batch;          /* 0: the network's own */
	const char *const *sets; /* --set assignments applied in order */
	size_t n_sets;
	bool analyse;  /* analyse the (edited) network */
	bool estimate; /* and estimate it on each unit (implies analyse) */
};

/* Everything such a command holds: the profile, its chosen units, the network and its
 * evaluation. Zero it before eval_open; free it with eval_close, also after a failure. */
struct evaluated {
	struct augur_profile *p;
	char profile_path[4096];
	const struct augur_unit *units[2];
	size_t n_units;
	struct augur_net *net;
	struct evaluation ev; /* ev.a after analyse, ev.est after estimate */
};

/* The prologue every such command shares, in one order (so that one input with two
 * mistakes reports the same first one everywhere): find and load the profile, pick its
 * units, load the network, apply the --set edits, then analyse and estimate as asked. On
 * failure diag holds the first error. */
int eval_open(const struct eval_request *req, struct evaluated *out, struct augur_diag *diag);

void eval_close(struct evaluated *e);

#endif
