/* "Did you mean" suggestions for every reader and the CLI: the nearest of a set of names
 * by edit distance, when it is close enough to be a likely typo. */
#ifndef AUGUR_SUGGEST_H
#define AUGUR_SUGGEST_H

#include <stddef.h>

/* Levenshtein distance; (size_t)-1 for names over 64 characters (never typos of a key). */
size_t augur_edit_distance(const char *a, const char *b);

/* The candidate closest to word (NULL candidates are skipped), or NULL if none is close
 * enough to suggest (at most a third of word's length different). A word that contains a
 * candidate with two or more characters more ("Convolution" in "Deconvolution") gets no
 * suggestion: it is a known name with a qualifier, another thing, not a typo. */
const char *augur_nearest(const char *word, const char *const *candidates, size_t n);

#endif
