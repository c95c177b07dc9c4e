/* A small JSON writer: objects and arrays nest, members and items get their commas and
 * indentation from the writer, numbers that are not finite come out as null, strings are
 * escaped by cli_json_string. New JSON output is written through it, so no command places
 * commas by hand; the device object every command reports is written here once. */
#ifndef AUGUR_JSONW_H
#define AUGUR_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "net.h"
#include "profile.h"

/* Opaque: the writer's nesting state is its own. */
struct jsonw;

/* A writer of one document on f (the root object is opened by the caller with
 * jw_object). NULL when out of memory; free it with jw_free (NULL is fine). */
struct jsonw *jw_new(FILE *f);
void jw_free(struct jsonw *w);

/* key is the member's name inside an object, NULL for an array item or the root. An
 * inline container keeps its members on one line (a row of a table). */
void jw_object(struct jsonw *w, const char *key, bool inline_members);
void jw_array(struct jsonw *w, const char *key, bool inline_items);
void jw_end(struct jsonw *w); /* closes the innermost object or array; the root adds \n */
/* An array whose items each start a line of their own, indented step spaces past the line
 * it opened on, even inside an inline container (augur run's runs and layers, estimate's
 * layers); it closes on a line of its own at that line's indent when close_line, else
 * right after its last item. */
void jw_rows(struct jsonw *w, const char *key, int step, bool close_line);
/* The next member of the open inline object starts a new line, one column past the line
 * the object opened on: a hanging indent under its first member (estimate's units). */
void jw_break(struct jsonw *w);

void jw_string(struct jsonw *w, const char *key, const char *s); /* NULL: null */
void jw_double(struct jsonw *w, const char *key, double v);      /* %.6g; null if not finite */
void jw_uint(struct jsonw *w, const char *key, uint64_t v);
void jw_bool(struct jsonw *w, const char *key, bool v);
void jw_null(struct jsonw *w, const char *key);
/* A value the caller wrote as JSON text (an array, an object, a number in another form). */
void jw_raw(struct jsonw *w, const char *key, const char *json);

/* Opens the root object of a result about net: augur_version, network and source. */
void jw_net(struct jsonw *w, const struct augur_net *net);

/* "device": {"name", "profile", "description"}: the same object in every command. */
void jw_device(struct jsonw *w, const struct augur_profile *p, const char *profile_path);

#endif
