/* Fuzz target: an adapter's progress stream (augur_progress_feed, calibrate/campaign.h).
 * The first byte is the number of networks given (0-16), the second the size of the
 * pieces the rest arrives in (1-256, as reads of a pipe split it). Every network reported
 * is one of those given, each after the one before; one reported disturbed has started,
 * each after the one before. */
#include "campaign.h"
#include "fuzz.h"

struct seen {
	size_t n, count, last, disturbed, last_disturbed;
};

static void on(enum augur_progress_kind kind, size_t index, void *ctx)
{
	struct seen *s = ctx;
	FUZZ_ASSERT(index < s->n);
	if (kind == AUGUR_PROGRESS_NETWORK) {
		FUZZ_ASSERT(s->count == 0 || index > s->last);
		s->last = index;
		s->count++;
		return;
	}
	FUZZ_ASSERT(kind == AUGUR_PROGRESS_DISTURBED);
	FUZZ_ASSERT(s->count > 0 && index <= s->last);
	FUZZ_ASSERT(s->disturbed == 0 || index > s->last_disturbed);
	s->last_disturbed = index;
	s->disturbed++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	struct augur_progress_reader *r = calloc(1, sizeof(*r));
	if (!r)
		abort();
	r->n = data[0] % 17;
	size_t piece = (size_t)data[1] + 1;
	struct seen s = {r->n, 0, 0, 0, 0};
	for (size_t at = 2; at < size; at += piece) {
		size_t len = size - at < piece ? size - at : piece;
		augur_progress_feed(r, (const char *)data + at, len, on, &s);
		FUZZ_ASSERT(r->len < sizeof(r->line));
	}
	FUZZ_ASSERT(s.count <= r->n && s.disturbed <= r->n);
	free(r);
	return 0;
}
