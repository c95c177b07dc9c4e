/* Typed, located getters over YAML nodes (see schema.h). */
#include <stdarg.h>
#include <string.h>

#include "numparse.h"
#include "schema.h"
#include "suggest.h"

void augur_schema_fill(const struct augur_schema *s, const struct augur_ynode *n, int code,
                       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	augur_diag_vfill(s->diag, code, s->path, n ? n->line : 1, n ? n->col : 1, fmt, ap);
	va_end(ap);
}

int augur_schema_nomem(const struct augur_schema *s)
{
	return augur_diag_set(s->diag, AUGUR_E_NOMEM, s->path, 0, 0, "out of memory");
}

int augur_schema_map(const struct augur_schema *s, const struct augur_ynode *n, const char *what)
{
	if (n->kind != AUGUR_YMAP)
		return augur_schema_err(s, n, AUGUR_E_SCHEMA, "expected a mapping for '%s', got %s",
		                        what, augur_ynode_kind_name(n->kind));
	return AUGUR_OK;
}

int augur_schema_seq(const struct augur_schema *s, const struct augur_ynode *n, const char *what)
{
	if (n->kind != AUGUR_YSEQ)
		return augur_schema_err(s, n, AUGUR_E_SCHEMA,
		                        "expected a sequence for '%s', got %s", what,
		                        augur_ynode_kind_name(n->kind));
	return AUGUR_OK;
}

int augur_schema_need(const struct augur_schema *s, const struct augur_ynode *map, const char *key,
                      const char *what, const struct augur_ynode **out)
{
	*out = augur_ynode_get(map, key);
	if (!*out)
		return augur_schema_err(s, map, AUGUR_E_SCHEMA, "missing key '%s' in %s", key,
		                        what);
	return AUGUR_OK;
}

int augur_schema_known_keys(const struct augur_schema *s, const struct augur_ynode *map,
                            const char *what, const char *const *keys, size_t nkeys)
{
	for (size_t i = 0; i < map->len; i++) {
		const struct augur_ynode *k = map->items[2 * i];
		const char *text = k->text ? k->text : "";
		bool known = false;
		for (size_t j = 0; j < nkeys && !known; j++)
			known = !strcmp(text, keys[j]);
		if (known)
			continue;
		const char *near = augur_nearest(text, keys, nkeys);
		if (near)
			return augur_schema_err(s, k, AUGUR_E_SCHEMA,
			                        "unknown key '%s' in %s (did you mean '%s'?)", text,
			                        what, near);
		return augur_schema_err(s, k, AUGUR_E_SCHEMA, "unknown key '%s' in %s", text, what);
	}
	return AUGUR_OK;
}

int augur_schema_u64(const struct augur_schema *s, const struct augur_ynode *n, const char *what,
                     uint64_t min, uint64_t max, uint64_t *out)
{
	if (n->kind != AUGUR_YSCALAR)
		return augur_schema_err(s, n, AUGUR_E_SCHEMA,
		                        "expected an integer for '%s', got %s", what,
		                        augur_ynode_kind_name(n->kind));
	enum augur_num_error e = augur_parse_u64(n->text, min, max, out);
	if (e == AUGUR_NUM_OK && n->plain)
		return AUGUR_OK;
	/* a quoted number is a string: "32" is not 32 */
	if (e == AUGUR_NUM_OK || e == AUGUR_NUM_NOT_NUMBER)
		return augur_schema_err(s, n, AUGUR_E_SCHEMA,
		                        "expected an integer for '%s', got '%s'", what, n->text);
	if (e == AUGUR_NUM_OUT_OF_RANGE || e == AUGUR_NUM_NEGATIVE)
		return augur_schema_err(s, n, AUGUR_E_SCHEMA,
		                        "'%s' must be between %llu and %llu, got %s", what,
		                        (unsigned long long)min, (unsigned long long)max, n->text);
	return augur_schema_err(s, n, AUGUR_E_SCHEMA, "'%s' must be a whole number, got %s", what,
	                        n->text);
}

int augur_schema_double(const struct augur_schema *s, const struct augur_ynode *n, const char *what,
                        double min, double max, double *out)
{
	if (n->kind != AUGUR_YSCALAR || !n->plain)
		return augur_schema_err(
		        s, n, AUGUR_E_SCHEMA, "expected a number for '%s', got %s", what,
		        n->kind == AUGUR_YSCALAR ? n->text : augur_ynode_kind_name(n->kind));
	enum augur_num_error e = augur_parse_double(n->text, min, max, out);
	if (e == AUGUR_NUM_NOT_NUMBER)
		return augur_schema_err(s, n, AUGUR_E_SCHEMA,
		                        "expected a number for '%s', got '%s'", what, n->text);
	if (e != AUGUR_NUM_OK)
		return augur_schema_err(s, n, AUGUR_E_SCHEMA,
		                        "'%s' must be between %g and %g, got %s", what, min, max,
		                        n->text);
	return AUGUR_OK;
}

int augur_schema_bool(const struct augur_schema *s, const struct augur_ynode *n, const char *what,
                      bool *out)
{
	if (n->kind == AUGUR_YSCALAR && n->plain) {
		if (!strcmp(n->text, "true") || !strcmp(n->text, "True")) {
			*out = true;
			return AUGUR_OK;
		}
		if (!strcmp(n->text, "false") || !strcmp(n->text, "False")) {
			*out = false;
			return AUGUR_OK;
		}
	}
	return augur_schema_err(
	        s, n, AUGUR_E_SCHEMA, "expected true or false for '%s', got %s", what,
	        n->kind == AUGUR_YSCALAR ? n->text : augur_ynode_kind_name(n->kind));
}
