/* A minimal in-tree test helper: each CHECK prints file:line and the values compared when
 * it fails, and check_finish() prints "N passed, N failed" and returns the exit code.
 * Tests that cannot run here (no GPU) call check_skip(), which exits 77 for meson. */
#ifndef AUGUR_CHECK_H
#define AUGUR_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK_FAIL_(...)                                                                           \
	do {                                                                                       \
		fprintf(stderr, "%s:%d: check failed: ", __FILE__, __LINE__);                      \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fputc('\n', stderr);                                                               \
		check_failed++;                                                                    \
	} while (0)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (cond)                                                                          \
			check_passed++;                                                            \
		else                                                                               \
			CHECK_FAIL_("%s", #cond);                                                  \
	} while (0)

#define CHECK_EQ_U64(actual, expected)                                                             \
	do {                                                                                       \
		unsigned long long a_ = (unsigned long long)(actual);                              \
		unsigned long long e_ = (unsigned long long)(expected);                            \
		if (a_ == e_)                                                                      \
			check_passed++;                                                            \
		else                                                                               \
			CHECK_FAIL_("%s == %llu, expected %llu", #actual, a_, e_);                 \
	} while (0)

#define CHECK_EQ_INT(actual, expected)                                                             \
	do {                                                                                       \
		long long a_ = (long long)(actual), e_ = (long long)(expected);                    \
		if (a_ == e_)                                                                      \
			check_passed++;                                                            \
		else                                                                               \
			CHECK_FAIL_("%s == %lld, expected %lld", #actual, a_, e_);                 \
	} while (0)

/* |actual - expected| <= tol */
#define CHECK_NEAR(actual, expected, tol)                                                          \
	do {                                                                                       \
		double a_ = (double)(actual), e_ = (double)(expected), t_ = (double)(tol);         \
		if (fabs(a_ - e_) <= t_)                                                           \
			check_passed++;                                                            \
		else                                                                               \
			CHECK_FAIL_("%s == %.6g, expected %.6g within %.3g", #actual, a_, e_, t_); \
	} while (0)

#define CHECK_STR_EQ(actual, expected)                                                             \
	do {                                                                                       \
		const char *a_ = (actual), *e_ = (expected);                                       \
		if (a_ && e_ && !strcmp(a_, e_))                                                   \
			check_passed++;                                                            \
		else                                                                               \
			CHECK_FAIL_("%s == \"%s\", expected \"%s\"", #actual, a_ ? a_ : "(null)",  \
			            e_ ? e_ : "(null)");                                           \
	} while (0)

#define CHECK_CONTAINS(haystack, needle)                                                           \
	do {                                                                                       \
		const char *h_ = (haystack), *n_ = (needle);                                       \
		if (h_ && n_ && strstr(h_, n_))                                                    \
			check_passed++;                                                            \
		else                                                                               \
			CHECK_FAIL_("%s == \"%s\" does not contain \"%s\"", #haystack,             \
			            h_ ? h_ : "(null)", n_ ? n_ : "(null)");                       \
	} while (0)

static inline int check_finish(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

static inline void check_skip(const char *why)
{
	printf("skipped: %s\n", why);
	exit(77);
}

#endif
