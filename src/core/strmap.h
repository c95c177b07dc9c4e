/* A string -> integer hash map for layer and blob names, so resolving the inputs of a
 * 100,000-layer descriptor stays linear. Keys are borrowed: they must outlive the map. */
#ifndef AUGUR_STRMAP_H
#define AUGUR_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct augur_strmap {
	size_t cap, len;
	const char **keys;
	int64_t *values;
};

/* Zero-initialise the struct before first use; augur_strmap_clear frees it. */
void augur_strmap_clear(struct augur_strmap *map);

/* Inserts or replaces key. Returns 0, or -1 when out of memory. */
int augur_strmap_put(struct augur_strmap *map, const char *key, int64_t value);

/* True and *value set when key is present. */
bool augur_strmap_get(const struct augur_strmap *map, const char *key, int64_t *value);

#endif
