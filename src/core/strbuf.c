/* A growing text buffer (see strbuf.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* Reallocates the text to cap bytes; false (the buffer failed) when out of memory. */
static bool resize(struct augur_strbuf *b, size_t cap)
{
	char *d = realloc(b->data, cap);
	if (!d) {
		b->failed = true;
		return false;
	}
	b->data = d;
	b->cap = cap;
	return true;
}

void augur_strbuf_put(struct augur_strbuf *b, const char *fmt, ...)
{
	if (b->failed)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(b->data ? b->data + b->len : NULL, b->data ? b->cap - b->len : 0,
		                  fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = true;
			return;
		}
		if (b->data && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		if (!resize(b, (b->cap ? b->cap * 2 : 4096) + (size_t)n))
			return;
	}
}

void augur_strbuf_append(struct augur_strbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->cap - b->len <= n) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap - b->len <= n) {
			if (cap > SIZE_MAX / 2) {
				b->failed = true;
				return;
			}
			cap *= 2;
		}
		if (!resize(b, cap))
			return;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void augur_strbuf_puts(struct augur_strbuf *b, const char *s)
{
	augur_strbuf_append(b, s, strlen(s));
}

int augur_strbuf_take(struct augur_strbuf *b, char **out, size_t *len)
{
	if (!b->failed && !b->data)
		augur_strbuf_put(b, "%s", ""); /* nothing was put: the text is empty */
	if (b->failed) {
		augur_strbuf_clear(b);
		return -1;
	}
	*out = b->data;
	*len = b->len;
	memset(b, 0, sizeof(*b));
	return 0;
}

void augur_strbuf_clear(struct augur_strbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}
