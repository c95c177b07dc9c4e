/* Typed, located getters over a YAML document tree (yamldoc.h): the one schema toolkit of
 * the descriptor, profile and layer-times readers. Every getter checks a node's kind and
 * value and, when it is wrong, fills the reader's diagnostic at the node with one wording
 * for all readers ("expected an integer for 'n', got 'x'"), returning AUGUR_E_SCHEMA. */
#ifndef AUGUR_SCHEMA_H
#define AUGUR_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"
#include "yamldoc.h"

/* The file being read (for diagnostics) and where its first error goes. */
struct augur_schema {
	const char *path;
	struct augur_diag *diag;
};

/* Fills s's diagnostic at node n (line 1, column 1 when n is NULL). */
void augur_schema_fill(const struct augur_schema *s, const struct augur_ynode *n, int code,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* augur_schema_fill, then code: a macro, so the static analyser (which does not follow
 * variadic functions) sees a failure stay a failure. code is evaluated twice. */
#define augur_schema_err(s, n, code, ...) (augur_schema_fill((s), (n), (code), __VA_ARGS__), (code))

/* "out of memory" for the file; AUGUR_E_NOMEM. */
int augur_schema_nomem(const struct augur_schema *s);

/* n is a mapping / a sequence; what names it in the message. */
int augur_schema_map(const struct augur_schema *s, const struct augur_ynode *n, const char *what);
int augur_schema_seq(const struct augur_schema *s, const struct augur_ynode *n, const char *what);

/* The value of a required key of map in *out, or "missing key 'key' in what". */
int augur_schema_need(const struct augur_schema *s, const struct augur_ynode *map, const char *key,
                      const char *what, const struct augur_ynode **out);

/* Every key of map is one of keys; otherwise "unknown key 'x' in what" with the nearest
 * key suggested. */
int augur_schema_known_keys(const struct augur_schema *s, const struct augur_ynode *map,
                            const char *what, const char *const *keys, size_t nkeys);

/* A plain (unquoted) integer in [min, max]. */
int augur_schema_u64(const struct augur_schema *s, const struct augur_ynode *n, const char *what,
                     uint64_t min, uint64_t max, uint64_t *out);

/* A plain number in [min, max]. */
int augur_schema_double(const struct augur_schema *s, const struct augur_ynode *n, const char *what,
                        double min, double max, double *out);

/* A plain true or false (also True and False, as YAML 1.1 writes them). */
int augur_schema_bool(const struct augur_schema *s, const struct augur_ynode *n, const char *what,
                      bool *out);

#endif
