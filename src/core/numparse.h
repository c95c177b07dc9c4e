/* Strict number parsing for descriptors, profiles and command-line values:
 * C-locale strtoull/strtod with end-pointer and range checks, so "12abc", "1e999",
 * "-3" or "" are rejected instead of becoming a silent 0. */
#ifndef AUGUR_NUMPARSE_H
#define AUGUR_NUMPARSE_H

#include <stdint.h>

enum augur_num_error {
	AUGUR_NUM_OK = 0,
	AUGUR_NUM_NOT_NUMBER,  /* empty, or not a number at all */
	AUGUR_NUM_FRACTIONAL,  /* a real number where an integer belongs */
	AUGUR_NUM_NEGATIVE,    /* below zero where a count belongs */
	AUGUR_NUM_OUT_OF_RANGE /* outside [min, max] */
};

/* Parses a decimal integer in [min, max]. Leading '+' and surrounding spaces are not allowed. */
enum augur_num_error augur_parse_u64(const char *text, uint64_t min, uint64_t max, uint64_t *out);

/* Parses a finite real number in [min, max] (also accepts integers). */
enum augur_num_error augur_parse_double(const char *text, double min, double max, double *out);

/* "a positive integer", "a number"...: what the error messages say was expected. */
const char *augur_num_error_text(enum augur_num_error err);

#endif
