/* A read-only tree of protobuf text format (what Caffe's .prototxt files are written in),
 * with source positions: the tokenizer and recursive-descent parser the prototxt reader
 * walks. No schema here: fields are names with scalar or message values, in file order.
 * Hostile input is bounded: nesting depth, field count and string length are errors. */
#ifndef AUGUR_PBTEXT_H
#define AUGUR_PBTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define AUGUR_PB_MAX_DEPTH  64
#define AUGUR_PB_MAX_FIELDS 1000000u
#define AUGUR_PB_MAX_STRING 4096u /* decoded bytes of one string value */

enum augur_pb_kind {
	AUGUR_PB_IDENT,  /* an unquoted word: an enum value, true, false */
	AUGUR_PB_NUMBER, /* an unquoted number, text as written ("-1", "1e-4") */
	AUGUR_PB_STRING, /* a quoted string, escapes decoded, adjacent strings joined */
	AUGUR_PB_MESSAGE /* name { ... } */
};

struct augur_pbfield {
	char *name; /* the field name; "" for the root */
	enum augur_pb_kind kind;
	uint32_t line, col;           /* 1-based position of the field name */
	uint32_t vline, vcol;         /* of the value (its first token, or the '{') */
	char *text;                   /* scalar value, NUL-terminated; NULL for a message */
	size_t len;                   /* message: number of fields */
	struct augur_pbfield *fields; /* message: its fields in file order */
};

/* Parses buf (len bytes, NUL-terminated at buf[len]) into a tree whose root is a message
 * holding the top-level fields. path is only used in diagnostics. On success *out owns
 * the tree (free with augur_pbtext_free); on failure *out is NULL and diag is set:
 * AUGUR_E_SYNTAX for malformed text, AUGUR_E_LIMIT for a bound, AUGUR_E_NOMEM. */
int augur_pbtext_parse(const char *path, const char *buf, size_t len, struct augur_pbfield **out,
                       struct augur_diag *diag);

void augur_pbtext_free(struct augur_pbfield *root);

/* "a string", "a number", "a name", "a message": for messages. */
const char *augur_pb_kind_name(enum augur_pb_kind kind);

#endif
