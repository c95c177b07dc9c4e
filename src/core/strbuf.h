/* A growing text buffer for writers that build a whole file in memory before writing it
 * atomically (descriptors, profiles, HTML pages of SVG charts). A failed allocation is remembered,
 * so writers put everything and check once at the end. */
#ifndef AUGUR_STRBUF_H
#define AUGUR_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct augur_strbuf {
	char *data; /* NUL-terminated once anything was put; owned */
	size_t len, cap;
	bool failed; /* out of memory (or a formatting error): data is incomplete */
};

/* Appends printf-formatted text; does nothing once the buffer has failed. */
void augur_strbuf_put(struct augur_strbuf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* Appends n bytes of s / the string s, unformatted (most of a page is literal text, and
 * printf costs twice as much per byte). */
void augur_strbuf_append(struct augur_strbuf *b, const char *s, size_t n);
void augur_strbuf_puts(struct augur_strbuf *b, const char *s);

/* Hands the text to the caller: 0 with *out (free it) and *len, or -1 (nothing to free)
 * when the buffer failed. The buffer is empty afterwards. */
int augur_strbuf_take(struct augur_strbuf *b, char **out, size_t *len);

/* Frees the buffer's text (after a failure, or when it is not taken). */
void augur_strbuf_clear(struct augur_strbuf *b);

#endif
