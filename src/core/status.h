/* Status codes and located diagnostics shared by every core module.
 * The core never prints: a failing loader fills a struct augur_diag and returns a
 * negative enum augur_status; the CLI prints it once as "path:line:col: error: message". */
#ifndef AUGUR_STATUS_H
#define AUGUR_STATUS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum augur_status {
	AUGUR_OK = 0,
	AUGUR_E_IO = -1,       /* a file could not be read or written */
	AUGUR_E_SYNTAX = -2,   /* not well-formed YAML or prototxt */
	AUGUR_E_SCHEMA = -3,   /* well-formed, but not what a descriptor or profile allows */
	AUGUR_E_SHAPE = -4,    /* shapes that cannot be traced (kernel too large, groups...) */
	AUGUR_E_OVERFLOW = -5, /* a count or byte size does not fit in 64 bits */
	AUGUR_E_LIMIT = -6,    /* input beyond a resource bound (file size, depth, aliases) */
	AUGUR_E_NOMEM = -7,    /* allocation failed */
	AUGUR_E_USAGE = -8,    /* a caller asked for something that does not exist */
	AUGUR_E_NUMERIC = -9,  /* a computation produced NaN, infinity or a negative time */
	AUGUR_E_INTERNAL = -10,
};

/* Short lower-case name of a status, e.g. "syntax error". Never NULL. */
const char *augur_strerror(int status);

#define AUGUR_DIAG_PATH_MAX 512
#define AUGUR_DIAG_MSG_MAX  512

/* Where and what went wrong. line and col are 1-based; 0 means "not known"
 * (a whole-file problem such as an unreadable file). */
struct augur_diag {
	int code;
	uint32_t line, col;
	char path[AUGUR_DIAG_PATH_MAX];
	char message[AUGUR_DIAG_MSG_MAX];
};

/* Fills *diag (if not NULL); control characters in path and message are written as \xNN,
 * so a diagnostic prints as one line. */
void augur_diag_fill(struct augur_diag *diag, int code, const char *path, uint32_t line,
                     uint32_t col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* As augur_diag_fill, with the arguments in a va_list (for located-error helpers). */
void augur_diag_vfill(struct augur_diag *diag, int code, const char *path, uint32_t line,
                      uint32_t col, const char *fmt, va_list ap)
        __attribute__((format(printf, 6, 0)));

/* Fill *diag (if not NULL) and return code, so callers can write
 * "return augur_diag_set(diag, AUGUR_E_SCHEMA, path, line, col, "...", ...);". A macro
 * so that the value is visibly code: the static analyser (tests/run-all) does not look
 * into variadic functions, and took every failure path for a success. code is evaluated
 * twice: pass a constant or a variable. */
#define augur_diag_set(diag, code, ...) (augur_diag_fill((diag), (code), __VA_ARGS__), (code))

/* Formats "path:line:col: error: message" (omitting unknown parts) into buf. */
void augur_diag_format(const struct augur_diag *diag, char *buf, size_t size);

#endif
