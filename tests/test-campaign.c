/* The layer-cost campaign (calibrate/campaign.h): the progress protocol an adapter's
 * program writes (docs/adapters.md, "Progress"), a table of lines, well formed and not,
 * and the stream read in pieces. A malformed line is ignored (IGNORED), never an error:
 * progress is advisory. */
#include <stddef.h>
#include <string.h>

#include "campaign.h"
#include "check.h"

enum { IGN = AUGUR_PROGRESS_IGNORED, NET = AUGUR_PROGRESS_NETWORK, DIS = AUGUR_PROGRESS_DISTURBED };

static void test_progress_lines(void)
{
	static const struct {
		const char *line;
		size_t n;     /* the networks the adapter was given */
		int kind;     /* what the line is for them */
		size_t index; /* its network, counted from 0 */
	} cases[] = {
	        {"network 1 3 bench/nets/fit/a.yaml", 3, NET, 0},
	        {"network 3 3 b.yaml", 3, NET, 2},
	        {"network 2 3 a path with spaces.yaml", 3, NET, 1},
	        {"network 12 148 x", 148, NET, 11},
	        {"disturbed 2 3 b.yaml", 3, DIS, 1},
	        /* malformed: ignored */
	        {"", 3, IGN, 0},
	        {"network", 3, IGN, 0},
	        {"network ", 3, IGN, 0},
	        {"network 1 3", 3, IGN, 0},         /* no path */
	        {"network 1 3 ", 3, IGN, 0},        /* an empty path */
	        {"network 0 3 a.yaml", 3, IGN, 0},  /* counted from 1 */
	        {"network 4 3 a.yaml", 3, IGN, 0},  /* past the last */
	        {"network 1 2 a.yaml", 3, IGN, 0},  /* another count than given */
	        {"network -1 3 a.yaml", 3, IGN, 0}, /* not a count */
	        {"network +1 3 a.yaml", 3, IGN, 0},
	        {"network 1.5 3 a.yaml", 3, IGN, 0},
	        {"network 1x 3 a.yaml", 3, IGN, 0},
	        {"network  1 3 a.yaml", 3, IGN, 0}, /* two spaces */
	        {"network 1  3 a.yaml", 3, IGN, 0},
	        {"network 99999999999999999999999 3 a", 3, IGN, 0}, /* past 64 bits */
	        {"network 1 18446744073709551616 a", 3, IGN, 0},
	        {"Network 1 3 a.yaml", 3, IGN, 0}, /* words are case-sensitive */
	        {"networks 1 3 a.yaml", 3, IGN, 0},
	        {" network 1 3 a.yaml", 3, IGN, 0},
	        {"disturbed 4 3 a.yaml", 3, IGN, 0},
	        {"disturbed 1 3", 3, IGN, 0},
	        /* other words: a later version of the protocol, ignored */
	        {"retry 1 3 a.yaml", 3, IGN, 0},
	        {"[1/3] a: forward 2.1 ms", 3, IGN, 0}, /* a human line */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		size_t at = 12345;
		int kind = (int)augur_progress_line(cases[i].line, cases[i].n, &at);
		if (kind != cases[i].kind)
			fprintf(stderr, "line \"%s\"\n", cases[i].line);
		CHECK_EQ_INT(kind, cases[i].kind);
		CHECK_EQ_U64(at, cases[i].kind != IGN ? cases[i].index : 12345);
	}
}

struct seen {
	int kind[16];
	size_t index[16];
	size_t count;
};

static void on(enum augur_progress_kind kind, size_t index, void *ctx)
{
	struct seen *s = ctx;
	if (s->count < 16) {
		s->kind[s->count] = (int)kind;
		s->index[s->count] = index;
	}
	s->count++;
}

/* The stream as reads of a pipe split it: a line in pieces is one line; the count only
 * moves forward; a network is disturbed only once it started, and once; a line over 4 KiB
 * or with a NUL in it is ignored whole, the next one read; a last line without its line
 * break is not (yet) a line. */
static void test_progress_stream(void)
{
	static const char text[] = "disturbed 1 4 a.yaml\n" /* not started: ignored */
	                           "network 1 4 a.yaml\n"
	                           "disturbed 1 4 a.yaml\n"
	                           "network 3 4 c.yaml\n"
	                           "network 2 4 b.yaml\n"   /* behind: ignored */
	                           "network 3 4 c.yaml\n"   /* again: ignored */
	                           "disturbed 1 4 a.yaml\n" /* again: ignored */
	                           "disturbed 2 4 b.yaml\n" /* skipped, but started before 3 */
	                           "retry 3 4 c.yaml\n"
	                           "network 4 4 d.yaml"; /* no line break yet */
	static const int kinds[] = {NET, DIS, NET, DIS, NET};
	static const size_t places[] = {0, 0, 2, 1, 3};
	for (size_t piece = 1; piece <= sizeof(text); piece++) {
		struct augur_progress_reader r = {.n = 4};
		struct seen s = {0};
		for (size_t at = 0; at < sizeof(text) - 1; at += piece) {
			size_t len = sizeof(text) - 1 - at < piece ? sizeof(text) - 1 - at : piece;
			augur_progress_feed(&r, text + at, len, on, &s);
		}
		CHECK_EQ_U64(s.count, 4);
		augur_progress_feed(&r, "\n", 1, on, &s);
		CHECK_EQ_U64(s.count, 5);
		for (size_t i = 0; i < 5; i++) {
			CHECK_EQ_INT(s.kind[i], kinds[i]);
			CHECK_EQ_U64(s.index[i], places[i]);
		}
	}
	/* a 5000-byte line, then a good one */
	static char long_line[5100];
	memset(long_line, 'x', 5000);
	memcpy(long_line, "network 1 2 ", 12);
	memcpy(long_line + 5000, "\nnetwork 2 2 b\n", 15);
	struct augur_progress_reader r = {.n = 2};
	struct seen s = {0};
	augur_progress_feed(&r, long_line, 5015, on, &s);
	CHECK_EQ_U64(s.count, 1);
	CHECK_EQ_U64(s.index[0], 1);
	/* a NUL inside a line */
	struct augur_progress_reader z = {.n = 2};
	struct seen t = {0};
	static const char nul[] = "network 1 2 a\0b\nnetwork 2 2 b\n";
	augur_progress_feed(&z, nul, sizeof(nul) - 1, on, &t);
	CHECK_EQ_U64(t.count, 1);
	CHECK_EQ_U64(t.index[0], 1);
}

int main(void)
{
	test_progress_lines();
	test_progress_stream();
	return check_finish();
}
