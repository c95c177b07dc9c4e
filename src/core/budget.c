/* Budget parsing (see budget.h). */
#include <stdio.h>
#include <string.h>

#include "budget.h"
#include "numparse.h"

static const struct {
	const char *suffix;
	enum augur_budget_kind kind;
	double scale; /* to ms or bytes */
} units[] = {
        {"ms", AUGUR_BUDGET_TIME, 1.0},
        {"s", AUGUR_BUDGET_TIME, 1000.0},
        {"KiB", AUGUR_BUDGET_MEMORY, 1024.0},
        {"MiB", AUGUR_BUDGET_MEMORY, 1048576.0},
        {"GiB", AUGUR_BUDGET_MEMORY, 1073741824.0},
        {"KB", AUGUR_BUDGET_MEMORY, 1e3},
        {"MB", AUGUR_BUDGET_MEMORY, 1e6},
        {"GB", AUGUR_BUDGET_MEMORY, 1e9},
        {"B", AUGUR_BUDGET_MEMORY, 1.0},
};

int augur_budget_parse(const char *text, struct augur_budget *out, struct augur_diag *diag)
{
	char where[AUGUR_DIAG_PATH_MAX];
	snprintf(where, sizeof(where), "--budget %s", text);
	const char *eq = strchr(text, '=');
	if (!eq)
		return augur_diag_set(diag, AUGUR_E_USAGE, where, 0, 0,
		                      "expected time=VALUE or memory=VALUE, e.g. time=100ms");
	size_t klen = (size_t)(eq - text);
	enum augur_budget_kind kind;
	if (klen == 4 && !strncmp(text, "time", 4))
		kind = AUGUR_BUDGET_TIME;
	else if (klen == 6 && !strncmp(text, "memory", 6))
		kind = AUGUR_BUDGET_MEMORY;
	else
		return augur_diag_set(diag, AUGUR_E_USAGE, where, 0, 0,
		                      "unknown budget '%.*s' (expected time or memory)", (int)klen,
		                      text);
	const char *value = eq + 1;
	size_t vlen = strlen(value);
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++) {
		size_t slen = strlen(units[i].suffix);
		if (vlen <= slen || strcmp(value + vlen - slen, units[i].suffix))
			continue;
		/* "ms" also ends in "s": only accept the suffix when what precedes it is a
		 * number */
		char num[64];
		if (vlen - slen >= sizeof(num))
			break;
		memcpy(num, value, vlen - slen);
		num[vlen - slen] = '\0';
		double v;
		if (augur_parse_double(num, 0.0, 1e18, &v) != AUGUR_NUM_OK)
			continue;
		if (units[i].kind != kind)
			return augur_diag_set(
			        diag, AUGUR_E_USAGE, where, 0, 0,
			        "'%s' is not a %s unit (expected %s)", units[i].suffix,
			        kind == AUGUR_BUDGET_TIME ? "time" : "memory",
			        kind == AUGUR_BUDGET_TIME ? "ms or s"
			                                  : "MiB, GiB, MB, GB, KiB, KB or B");
		if (v <= 0)
			return augur_diag_set(diag, AUGUR_E_USAGE, where, 0, 0,
			                      "a budget must be positive");
		out->kind = kind;
		out->limit = v * units[i].scale;
		snprintf(out->text, sizeof(out->text), "%s", value);
		return AUGUR_OK;
	}
	return augur_diag_set(
	        diag, AUGUR_E_USAGE, where, 0, 0, "expected a number with a unit (%s), got '%s'",
	        kind == AUGUR_BUDGET_TIME ? "ms or s" : "MiB, GiB, MB, GB, KiB, KB or B", value);
}
