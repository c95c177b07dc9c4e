/* Status names and diagnostic formatting: the only place that turns an error into text
 * layout, so every command reports "path:line:col: error: message" the same way. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "status.h"

const char *augur_strerror(int status)
{
	switch (status) {
	case AUGUR_OK:
		return "success";
	case AUGUR_E_IO:
		return "input/output error";
	case AUGUR_E_SYNTAX:
		return "syntax error";
	case AUGUR_E_SCHEMA:
		return "invalid content";
	case AUGUR_E_SHAPE:
		return "impossible shape";
	case AUGUR_E_OVERFLOW:
		return "size overflows 64 bits";
	case AUGUR_E_LIMIT:
		return "resource limit exceeded";
	case AUGUR_E_NOMEM:
		return "out of memory";
	case AUGUR_E_USAGE:
		return "bad usage";
	case AUGUR_E_NUMERIC:
		return "numeric error";
	case AUGUR_E_INTERNAL:
		return "internal error";
	}
	return "unknown error";
}

/* Copies src into dst (size bytes, NUL-terminated), writing control characters as \xNN:
 * a diagnostic is printed as one line, and user text (a key, a --budget value) may hold
 * a newline or an escape sequence. */
static void copy_printable(char *dst, size_t size, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)src; *p; p++) {
		bool ctrl = *p < 0x20 || *p == 0x7f;
		size_t need = ctrl ? 4 : 1;
		if (o + need >= size)
			break;
		if (ctrl) {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[*p >> 4];
			dst[o++] = hex[*p & 15];
		} else {
			dst[o++] = (char)*p;
		}
	}
	dst[o] = '\0';
}

void augur_diag_vfill(struct augur_diag *diag, int code, const char *path, uint32_t line,
                      uint32_t col, const char *fmt, va_list ap)
{
	if (!diag)
		return;
	char msg[AUGUR_DIAG_MSG_MAX];
	diag->code = code;
	diag->line = line;
	diag->col = col;
	copy_printable(diag->path, sizeof(diag->path), path ? path : "");
	vsnprintf(msg, sizeof(msg), fmt, ap);
	copy_printable(diag->message, sizeof(diag->message), msg);
}

void augur_diag_fill(struct augur_diag *diag, int code, const char *path, uint32_t line,
                     uint32_t col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	augur_diag_vfill(diag, code, path, line, col, fmt, ap);
	va_end(ap);
}

void augur_diag_format(const struct augur_diag *diag, char *buf, size_t size)
{
	const char *msg = diag->message[0] ? diag->message : augur_strerror(diag->code);
	if (diag->path[0] && diag->line)
		snprintf(buf, size, "%s:%u:%u: error: %s", diag->path, diag->line,
		         diag->col ? diag->col : 1, msg);
	else if (diag->path[0])
		snprintf(buf, size, "%s: error: %s", diag->path, msg);
	else
		snprintf(buf, size, "error: %s", msg);
}
