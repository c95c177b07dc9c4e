/* Budgets for design-time checks: "time=100ms", "memory=1.5GiB", "params=5M", "macs=600M",
 * "throughput=30/s". Parsed strictly (time in ms or s; memory in B, KiB, MiB, GiB, KB, MB,
 * GB; counts plain or with K, M, G; throughput in /s; a time or memory without a unit is
 * an error), so an architecture-search script that mistypes a budget fails loudly instead
 * of passing everything. */
#ifndef AUGUR_BUDGET_H
#define AUGUR_BUDGET_H

#include <stdbool.h>
#include <stdint.h>

#include "status.h"

enum augur_budget_kind {
	AUGUR_BUDGET_TIME,      /* forward time per unit, ms: at most */
	AUGUR_BUDGET_MEMORY,    /* memory a process needs per unit, bytes: at most */
	AUGUR_BUDGET_PARAMS,    /* learned parameters of the network: at most */
	AUGUR_BUDGET_MACS,      /* multiply-accumulates of a forward pass: at most */
	AUGUR_BUDGET_THROUGHPUT /* inferences a second per unit: at least */
};

struct augur_budget {
	enum augur_budget_kind kind;
	double limit;  /* milliseconds, bytes, a count, or inferences per second */
	char text[64]; /* as given, for reports */
};

/* Parses one "--budget" value. Errors name the value in diag->path ("--budget VALUE"). */
int augur_budget_parse(const char *text, struct augur_budget *out, struct augur_diag *diag);

/* "time", "memory", "params", "macs", "throughput". */
const char *augur_budget_kind_name(enum augur_budget_kind kind);

/* Whether value meets the budget: at most the limit, or at least it for throughput. */
bool augur_budget_holds(const struct augur_budget *b, double value);

#endif
