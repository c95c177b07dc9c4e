/* Budgets for design-time checks: "time=100ms", "memory=1.5GiB". Parsed strictly (units
 * ms, s, B, KiB, MiB, GiB, KB, MB, GB; no unit is an error), so an architecture-search
 * script that mistypes a budget fails loudly instead of passing everything. */
#ifndef AUGUR_BUDGET_H
#define AUGUR_BUDGET_H

#include <stdint.h>

#include "status.h"

enum augur_budget_kind { AUGUR_BUDGET_TIME, AUGUR_BUDGET_MEMORY };

struct augur_budget {
	enum augur_budget_kind kind;
	double limit;  /* milliseconds, or bytes */
	char text[64]; /* as given, for reports */
};

/* Parses one "--budget" value. Errors name the value in diag->path ("--budget VALUE"). */
int augur_budget_parse(const char *text, struct augur_budget *out, struct augur_diag *diag);

#endif
