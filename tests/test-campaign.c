/* The layer-cost campaign (calibrate/campaign.h): the progress protocol an adapter's
 * program writes (docs/adapters.md, "Progress"), a table of lines, well formed and not. A
 * malformed line is ignored (false), never an error: progress is advisory. */
#include <stddef.h>

#include "campaign.h"
#include "check.h"

static void test_progress_lines(void)
{
	static const struct {
		const char *line;
		size_t n;     /* the networks the adapter was given */
		bool ok;      /* a progress line for them */
		size_t index; /* its network, counted from 0 */
	} cases[] = {
	        {"network 1 3 bench/nets/fit/a.yaml", 3, true, 0},
	        {"network 3 3 b.yaml", 3, true, 2},
	        {"network 2 3 a path with spaces.yaml", 3, true, 1},
	        {"network 12 148 x", 148, true, 11},
	        /* malformed: ignored */
	        {"", 3, false, 0},
	        {"network", 3, false, 0},
	        {"network ", 3, false, 0},
	        {"network 1 3", 3, false, 0},         /* no path */
	        {"network 1 3 ", 3, false, 0},        /* an empty path */
	        {"network 0 3 a.yaml", 3, false, 0},  /* counted from 1 */
	        {"network 4 3 a.yaml", 3, false, 0},  /* past the last */
	        {"network 1 2 a.yaml", 3, false, 0},  /* another count than given */
	        {"network -1 3 a.yaml", 3, false, 0}, /* not a count */
	        {"network +1 3 a.yaml", 3, false, 0},
	        {"network 1.5 3 a.yaml", 3, false, 0},
	        {"network 1x 3 a.yaml", 3, false, 0},
	        {"network  1 3 a.yaml", 3, false, 0}, /* two spaces */
	        {"network 1  3 a.yaml", 3, false, 0},
	        {"network 99999999999999999999999 3 a", 3, false, 0}, /* past 64 bits */
	        {"network 1 18446744073709551616 a", 3, false, 0},
	        {"Network 1 3 a.yaml", 3, false, 0}, /* words are case-sensitive */
	        {"networks 1 3 a.yaml", 3, false, 0},
	        {" network 1 3 a.yaml", 3, false, 0},
	        /* other words: a later version of the protocol, ignored */
	        {"disturbed 1 3 a.yaml", 3, false, 0},
	        {"[1/3] a: forward 2.1 ms", 3, false, 0}, /* a human line */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		size_t at = 12345;
		bool ok = augur_progress_line(cases[i].line, cases[i].n, &at);
		if (ok != cases[i].ok)
			fprintf(stderr, "line \"%s\"\n", cases[i].line);
		CHECK_EQ_INT(ok, cases[i].ok);
		CHECK_EQ_U64(at, cases[i].ok ? cases[i].index : 12345);
	}
}

int main(void)
{
	test_progress_lines();
	return check_finish();
}
