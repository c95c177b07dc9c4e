/* Strict number parsing (see numparse.h). strtod honours LC_NUMERIC, so the CLI never
 * calls setlocale(): augur always runs in the C locale and "1.5" means one and a half. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"

static int looks_fractional(const char *s)
{
	return strpbrk(s, ".eE") != NULL;
}

enum augur_num_error augur_parse_u64(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	if (!text || !*text || isspace((unsigned char)*text))
		return AUGUR_NUM_NOT_NUMBER;
	if (*text == '-') {
		/* distinguish "-3" (negative) from "-x" (not a number) */
		double d;
		if (augur_parse_double(text, -INFINITY, INFINITY, &d) == AUGUR_NUM_OK)
			return AUGUR_NUM_NEGATIVE;
		return AUGUR_NUM_NOT_NUMBER;
	}
	if (!isdigit((unsigned char)*text)) {
		return AUGUR_NUM_NOT_NUMBER;
	}
	errno = 0;
	char *end = NULL;
	unsigned long long v = strtoull(text, &end, 10);
	if (*end != '\0') {
		double d;
		if (looks_fractional(text) &&
		    augur_parse_double(text, -INFINITY, INFINITY, &d) == AUGUR_NUM_OK) {
			/* "64.0" and "1e3" are integers in disguise; "2.5" is not */
			if (d == floor(d) && d >= (double)min && d <= (double)max &&
			    d < 18446744073709551616.0) {
				*out = (uint64_t)d;
				return AUGUR_NUM_OK;
			}
			return d == floor(d) ? AUGUR_NUM_OUT_OF_RANGE : AUGUR_NUM_FRACTIONAL;
		}
		return AUGUR_NUM_NOT_NUMBER;
	}
	if (errno == ERANGE || v < min || v > max)
		return AUGUR_NUM_OUT_OF_RANGE;
	*out = v;
	return AUGUR_NUM_OK;
}

enum augur_num_error augur_parse_double(const char *text, double min, double max, double *out)
{
	if (!text || !*text || isspace((unsigned char)*text))
		return AUGUR_NUM_NOT_NUMBER;
	/* strtod accepts "nan", "inf" and hex floats; a profile or descriptor never needs them */
	for (const char *p = text; *p; p++)
		if (!isdigit((unsigned char)*p) && !strchr("+-.eE", *p))
			return AUGUR_NUM_NOT_NUMBER;
	errno = 0;
	char *end = NULL;
	double v = strtod(text, &end);
	if (end == text || *end != '\0')
		return AUGUR_NUM_NOT_NUMBER;
	if (errno == ERANGE && fabs(v) > 1.0)
		return AUGUR_NUM_OUT_OF_RANGE;
	if (!isfinite(v) || v < min || v > max)
		return (v < 0 && min >= 0) ? AUGUR_NUM_NEGATIVE : AUGUR_NUM_OUT_OF_RANGE;
	*out = v;
	return AUGUR_NUM_OK;
}

const char *augur_num_error_text(enum augur_num_error err)
{
	switch (err) {
	case AUGUR_NUM_OK:
		return "ok";
	case AUGUR_NUM_NOT_NUMBER:
		return "not a number";
	case AUGUR_NUM_FRACTIONAL:
		return "not a whole number";
	case AUGUR_NUM_NEGATIVE:
		return "negative";
	case AUGUR_NUM_OUT_OF_RANGE:
		return "out of range";
	}
	return "invalid";
}
