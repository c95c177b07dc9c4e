/* A string -> integer hash map for layer and blob names, so resolving the inputs of a
 * 100,000-layer descriptor stays linear. Keys are borrowed: they must outlive the map. */
#ifndef AUGUR_STRMAP_H
#define AUGUR_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Opaque: callers hold a pointer, NULL for an empty map (zero-initialise it before first
 * use); augur_strmap_put allocates the map, augur_strmap_clear frees it and sets the
 * pointer back to NULL. */
struct augur_strmap;

/* Frees *map and empties it (*map becomes NULL); NULL is fine. */
void augur_strmap_clear(struct augur_strmap **map);

/* Inserts or replaces key, making the map on the first put. Returns 0, or -1 when out of
 * memory (the map is unchanged). */
int augur_strmap_put(struct augur_strmap **map, const char *key, int64_t value);

/* True and *value set when key is present; a NULL map holds nothing. */
bool augur_strmap_get(const struct augur_strmap *map, const char *key, int64_t *value);

/* How many keys the map holds (0 for NULL). */
size_t augur_strmap_len(const struct augur_strmap *map);

#endif
