/* Budgets (src/core/budget.c): every kind and unit parsed to its limit, which kinds are
 * minima, and the messages for what a search script may mistype. */
#include <string.h>

#include "budget.h"
#include "check.h"

static const struct {
	const char *text;
	int status;
	enum augur_budget_kind kind;
	double limit;
	const char *fragment; /* of the message, for errors */
} cases[] = {
        {"time=100ms", AUGUR_OK, AUGUR_BUDGET_TIME, 100, NULL},
        {"time=1.5s", AUGUR_OK, AUGUR_BUDGET_TIME, 1500, NULL},
        {"memory=1GiB", AUGUR_OK, AUGUR_BUDGET_MEMORY, 1073741824.0, NULL},
        {"memory=2MB", AUGUR_OK, AUGUR_BUDGET_MEMORY, 2e6, NULL},
        {"memory=512B", AUGUR_OK, AUGUR_BUDGET_MEMORY, 512, NULL},
        {"params=5M", AUGUR_OK, AUGUR_BUDGET_PARAMS, 5e6, NULL},
        {"params=60965224", AUGUR_OK, AUGUR_BUDGET_PARAMS, 60965224, NULL},
        {"macs=0.6G", AUGUR_OK, AUGUR_BUDGET_MACS, 6e8, NULL},
        {"macs=750K", AUGUR_OK, AUGUR_BUDGET_MACS, 7.5e5, NULL},
        {"throughput=30/s", AUGUR_OK, AUGUR_BUDGET_THROUGHPUT, 30, NULL},
        {"time=100", AUGUR_E_USAGE, 0, 0, "expected a number with a unit (ms or s), got '100'"},
        {"time=1GiB", AUGUR_E_USAGE, 0, 0, "'GiB' is not a time unit (expected ms or s)"},
        {"memory=5M", AUGUR_E_USAGE, 0, 0, "'M' is not a memory unit"},
        {"params=5MiB", AUGUR_E_USAGE, 0, 0, "'MiB' is not a params unit"},
        {"throughput=30", AUGUR_E_USAGE, 0, 0, "expected a number with a unit (/s)"},
        {"speed=1ms", AUGUR_E_USAGE, 0, 0,
         "unknown budget 'speed' (expected time, memory, params, macs or throughput)"},
        {"params=0", AUGUR_E_USAGE, 0, 0, "a budget must be positive"},
        {"time", AUGUR_E_USAGE, 0, 0, "expected time=VALUE or memory=VALUE"},
};

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct augur_budget b = {0};
		struct augur_diag d = {0};
		int rc = augur_budget_parse(cases[i].text, &b, &d);
		CHECK_EQ_INT(rc, cases[i].status);
		if (rc == AUGUR_OK) {
			CHECK_EQ_INT(b.kind, cases[i].kind);
			CHECK_NEAR(b.limit, cases[i].limit, 1e-9 * cases[i].limit);
			CHECK_STR_EQ(b.text, strchr(cases[i].text, '=') + 1);
		} else {
			CHECK_CONTAINS(d.message, cases[i].fragment);
			char where[128];
			snprintf(where, sizeof(where), "--budget %s", cases[i].text);
			CHECK_STR_EQ(d.path, where);
		}
	}
	/* a maximum holds at its limit and below; a throughput is a minimum */
	struct augur_budget t = {AUGUR_BUDGET_TIME, 100, "100ms"};
	struct augur_budget r = {AUGUR_BUDGET_THROUGHPUT, 30, "30/s"};
	CHECK(augur_budget_holds(&t, 100) && augur_budget_holds(&t, 99) &&
	      !augur_budget_holds(&t, 101));
	CHECK(augur_budget_holds(&r, 30) && augur_budget_holds(&r, 31) &&
	      !augur_budget_holds(&r, 29));
	CHECK_STR_EQ(augur_budget_kind_name(AUGUR_BUDGET_MACS), "macs");
	return check_finish();
}
