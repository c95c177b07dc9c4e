/* "Did you mean" suggestions (see suggest.h). */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "suggest.h"

size_t augur_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return (size_t)-1; /* names that long are never typos of a key */
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* Whether cand appears inside word (ignoring case) with two or more characters around it:
 * a different, compound name ("Deconvolution", "ConvolutionDepthwise"), not a typo of cand.
 * Suggesting cand there would point at a type with other semantics. */
static bool compound_of(const char *word, const char *cand)
{
	size_t lw = strlen(word), lc = strlen(cand);
	if (!lc || lw < lc + 2)
		return false;
	for (size_t i = 0; i + lc <= lw; i++)
		if (!strncasecmp(word + i, cand, lc))
			return true;
	return false;
}

const char *augur_nearest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	/* a known name with a qualifier ("Deconvolution", "SpatialConvolution") is another
	 * thing, not a typo of any known name */
	for (size_t i = 0; i < n; i++)
		if (candidates[i] && compound_of(word, candidates[i]))
			return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!candidates[i])
			continue;
		size_t d = augur_edit_distance(word, candidates[i]);
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	/* A suggestion more than a third different is noise, not help. */
	size_t len = strlen(word);
	size_t limit = len < 4 ? 1 : len / 3 + 1;
	return best_d <= limit ? best : NULL;
}
