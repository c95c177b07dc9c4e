/* Budget parsing (see budget.h). */
#include <stdio.h>
#include <string.h>

#include "budget.h"
#include "numparse.h"

struct unit {
	const char *suffix;
	double scale; /* to ms, bytes, a count or per second */
};

static const struct unit time_units[] = {{"ms", 1.0}, {"s", 1000.0}, {NULL, 0}};
static const struct unit memory_units[] = {
        {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0},
        {"KB", 1e3},     {"MB", 1e6},        {"GB", 1e9},
        {"B", 1.0},      {NULL, 0}};
static const struct unit count_units[] = {{"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"", 1.0}, {NULL, 0}};
static const struct unit rate_units[] = {{"/s", 1.0}, {NULL, 0}};

static const struct {
	const char *name;
	const struct unit *units;
	const char *expected; /* the units, for messages */
} kinds[] = {
        [AUGUR_BUDGET_TIME] = {"time", time_units, "ms or s"},
        [AUGUR_BUDGET_MEMORY] = {"memory", memory_units, "MiB, GiB, MB, GB, KiB, KB or B"},
        [AUGUR_BUDGET_PARAMS] = {"params", count_units, "a count, or with K, M or G"},
        [AUGUR_BUDGET_MACS] = {"macs", count_units, "a count, or with K, M or G"},
        [AUGUR_BUDGET_THROUGHPUT] = {"throughput", rate_units, "/s"},
};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

const char *augur_budget_kind_name(enum augur_budget_kind kind)
{
	return (size_t)kind < N_KINDS ? kinds[kind].name : "?";
}

bool augur_budget_holds(const struct augur_budget *b, double value)
{
	return b->kind == AUGUR_BUDGET_THROUGHPUT ? value >= b->limit : value <= b->limit;
}

/* The unit of another kind that value ends in, for "'GiB' is not a time unit". */
static const char *foreign_unit(const char *value, size_t vlen, size_t kind)
{
	for (size_t k = 0; k < N_KINDS; k++) {
		if (k == kind)
			continue;
		for (const struct unit *u = kinds[k].units; u->suffix; u++) {
			size_t slen = strlen(u->suffix);
			if (slen && vlen > slen && !strcmp(value + vlen - slen, u->suffix))
				return u->suffix;
		}
	}
	return NULL;
}

int augur_budget_parse(const char *text, struct augur_budget *out, struct augur_diag *diag)
{
	char where[AUGUR_DIAG_PATH_MAX];
	snprintf(where, sizeof(where), "--budget %s", text);
	const char *eq = strchr(text, '=');
	if (!eq)
		return augur_diag_set(diag, AUGUR_E_USAGE, where, 0, 0,
		                      "expected time=VALUE or memory=VALUE, e.g. time=100ms");
	size_t klen = (size_t)(eq - text), kind = N_KINDS;
	for (size_t k = 0; k < N_KINDS && kind == N_KINDS; k++)
		if (klen == strlen(kinds[k].name) && !strncmp(text, kinds[k].name, klen))
			kind = k;
	if (kind == N_KINDS)
		return augur_diag_set(
		        diag, AUGUR_E_USAGE, where, 0, 0,
		        "unknown budget '%.*s' (expected time, memory, params, macs or "
		        "throughput)",
		        (int)klen, text);
	const char *value = eq + 1;
	size_t vlen = strlen(value);
	for (const struct unit *u = kinds[kind].units; u->suffix; u++) {
		size_t slen = strlen(u->suffix);
		if (vlen <= slen || strcmp(value + vlen - slen, u->suffix))
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
		if (v <= 0)
			return augur_diag_set(diag, AUGUR_E_USAGE, where, 0, 0,
			                      "a budget must be positive");
		out->kind = (enum augur_budget_kind)kind;
		out->limit = v * u->scale;
		snprintf(out->text, sizeof(out->text), "%s", value);
		return AUGUR_OK;
	}
	const char *other = foreign_unit(value, vlen, kind);
	if (other)
		return augur_diag_set(diag, AUGUR_E_USAGE, where, 0, 0,
		                      "'%s' is not a %s unit (expected %s)", other,
		                      kinds[kind].name, kinds[kind].expected);
	return augur_diag_set(diag, AUGUR_E_USAGE, where, 0, 0,
	                      "expected a number with a unit (%s), got '%s'", kinds[kind].expected,
	                      value);
}
