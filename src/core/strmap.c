/* Open-addressing hash map with linear probing (see strmap.h). */
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

struct augur_strmap {
	size_t cap, len;
	const char **keys;
	int64_t *values;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* Frees the table's arrays and empties it; the struct itself stays. */
static void drop(struct augur_strmap *map)
{
	free(map->keys);
	free(map->values);
	memset(map, 0, sizeof(*map));
}

void augur_strmap_clear(struct augur_strmap **map)
{
	if (*map)
		drop(*map);
	free(*map);
	*map = NULL;
}

size_t augur_strmap_len(const struct augur_strmap *map)
{
	return map ? map->len : 0;
}

static size_t slot(const struct augur_strmap *map, const char *key)
{
	size_t i = (size_t)(hash(key) & (map->cap - 1));
	while (map->keys[i] && strcmp(map->keys[i], key) != 0)
		i = (i + 1) & (map->cap - 1);
	return i;
}

static int rehash(struct augur_strmap *map, size_t ncap)
{
	struct augur_strmap n = {.cap = ncap};
	n.keys = calloc(ncap, sizeof(*n.keys));
	n.values = calloc(ncap, sizeof(*n.values));
	if (!n.keys || !n.values) {
		free(n.keys);
		free(n.values);
		return -1;
	}
	for (size_t i = 0; i < map->cap; i++) {
		if (!map->keys[i])
			continue;
		size_t j = slot(&n, map->keys[i]);
		n.keys[j] = map->keys[i];
		n.values[j] = map->values[i];
		n.len++;
	}
	drop(map);
	*map = n;
	return 0;
}

int augur_strmap_put(struct augur_strmap **mapp, const char *key, int64_t value)
{
	if (!*mapp && !(*mapp = calloc(1, sizeof(**mapp))))
		return -1;
	struct augur_strmap *map = *mapp;
	/* keep the load factor under one half so probes stay short */
	if ((map->len + 1) * 2 > map->cap && rehash(map, map->cap ? map->cap * 2 : 64))
		return -1;
	size_t i = slot(map, key);
	if (!map->keys[i]) {
		map->keys[i] = key;
		map->len++;
	}
	map->values[i] = value;
	return 0;
}

bool augur_strmap_get(const struct augur_strmap *map, const char *key, int64_t *value)
{
	if (!map || !map->cap)
		return false;
	size_t i = slot(map, key);
	if (!map->keys[i])
		return false;
	*value = map->values[i];
	return true;
}
