/* Overflow-checked arithmetic on counts of elements, MACs and bytes.
 * Every product of dimensions goes through these, so an absurd descriptor yields
 * AUGUR_E_OVERFLOW instead of a silently wrapped number. */
#ifndef AUGUR_CHECKED_H
#define AUGUR_CHECKED_H

#include <stdbool.h>
#include <stdint.h>

/* Each returns true on overflow and leaves *out unspecified. */
static inline bool augur_mul_overflow(uint64_t a, uint64_t b, uint64_t *out)
{
	return __builtin_mul_overflow(a, b, out);
}

static inline bool augur_add_overflow(uint64_t a, uint64_t b, uint64_t *out)
{
	return __builtin_add_overflow(a, b, out);
}

/* a*b*c, true on overflow. */
static inline bool augur_mul3_overflow(uint64_t a, uint64_t b, uint64_t c, uint64_t *out)
{
	uint64_t ab;
	return augur_mul_overflow(a, b, &ab) || augur_mul_overflow(ab, c, out);
}

/* Saturating add, for totals that are only reported (never used as sizes). */
static inline uint64_t augur_add_sat(uint64_t a, uint64_t b)
{
	uint64_t r;
	return augur_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

#endif
