/* libyaml event stream -> struct augur_ynode tree (see yamldoc.h). The only file that
 * includes <yaml.h>. Aliases are shared, not copied, so the tree is a DAG whose nodes are
 * all owned by the document's node list; each node's weight counts its expanded size, and
 * the document is refused once that total passes AUGUR_YAML_MAX_NODES. Anchors, and the
 * keys of any mapping past a few, are found through hash maps: a linear search made a
 * 2 MB file of aliases take a minute, a file of large mappings ten seconds. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "checked.h"
#include "strmap.h"
#include "yamldoc.h"

/* Mappings up to this many keys look for a duplicate by a linear scan; larger ones through
 * a hash map of their keys. */
#define KEYS_SCANNED 16

struct anchor {
	char *name;
	struct augur_ynode *node;
	bool closed; /* false while the anchored collection is still being read */
};

/* Nodes, scalar texts and item arrays come from one arena freed as a whole: a descriptor
 * has thousands of small nodes, and malloc/free per node was a third of parse time.
 * Allocations are rounded to 8 bytes, what nodes need, not to max_align_t (32 bytes here,
 * for long double): that made a node and its text 96 bytes instead of 56. */
#define ARENA_ALIGN 8
_Static_assert(_Alignof(struct augur_ynode) <= ARENA_ALIGN, "arena alignment too small");
struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

struct augur_ydoc {
	struct augur_ynode *root;
	struct arena_block *blocks;
};

static void *arena_alloc(struct augur_ydoc *doc, size_t size)
{
	size = (size + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
	struct arena_block *b = doc->blocks;
	if (!b || b->cap - b->used < size) {
		size_t cap = size > 60000 ? size : 60000;
		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->cap = cap;
		b->used = 0;
		b->next = doc->blocks;
		doc->blocks = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	return p;
}

struct builder {
	const char *path;
	struct augur_ydoc *doc;
	struct augur_ynode *stack[AUGUR_YAML_MAX_DEPTH + 1];
	size_t stack_anchor[AUGUR_YAML_MAX_DEPTH + 1]; /* anchor index + 1, or 0 */
	size_t cap_items[AUGUR_YAML_MAX_DEPTH + 1];
	bool key_pending[AUGUR_YAML_MAX_DEPTH + 1]; /* mapping has read a key, awaits its value */
	struct augur_strmap *keys[AUGUR_YAML_MAX_DEPTH + 1]; /* a large mapping's keys -> index */
	int depth;
	struct anchor *anchors;
	size_t n_anchors, cap_anchors;
	struct augur_strmap *anchor_index; /* name -> index in anchors, the latest definition */
	uint64_t total;
	int documents;
	struct augur_diag *diag;
};

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 8;
	while (ncap < need)
		ncap *= 2;
	void *n = realloc(*arr, ncap * elem);
	if (!n)
		return -1;
	*arr = n;
	*cap = ncap;
	return 0;
}

static struct augur_ynode *node_new(struct builder *b, enum augur_ynode_kind kind,
                                    const yaml_mark_t *mark)
{
	struct augur_ynode *n = arena_alloc(b->doc, sizeof(*n));
	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->line = (uint32_t)mark->line + 1;
	n->col = (uint32_t)mark->column + 1;
	n->weight = 1;
	return n;
}

static int fail(struct builder *b, int code, const yaml_mark_t *mark, const char *msg,
                const char *arg)
{
	uint32_t line = mark ? (uint32_t)mark->line + 1 : 1;
	uint32_t col = mark ? (uint32_t)mark->column + 1 : 1;
	if (arg)
		return augur_diag_set(b->diag, code, b->path, line, col, "%s '%s'", msg, arg);
	return augur_diag_set(b->diag, code, b->path, line, col, "%s", msg);
}

/* Adds child to the open collection (or makes it the root), enforcing the bounds. added is
 * what the document grows by: 1 for a new node (its children were counted as they came),
 * the whole expanded subtree for an alias. */
static int attach(struct builder *b, struct augur_ynode *child, const yaml_mark_t *mark,
                  uint64_t added)
{
	if (augur_add_overflow(b->total, added, &b->total) || b->total > AUGUR_YAML_MAX_NODES) {
		if (added > 1)
			return fail(b, AUGUR_E_LIMIT, mark,
			            "document expands to too many nodes through aliases (alias "
			            "bomb?)",
			            NULL);
		return augur_diag_set(b->diag, AUGUR_E_LIMIT, b->path, child->line, child->col,
		                      "document has too many nodes (the limit is %u)",
		                      AUGUR_YAML_MAX_NODES);
	}
	if (b->depth == 0) {
		b->doc->root = child;
		return AUGUR_OK;
	}
	struct augur_ynode *parent = b->stack[b->depth - 1];
	if (parent->kind == AUGUR_YSEQ && parent->len >= AUGUR_YAML_MAX_SEQ_ITEMS)
		return augur_diag_set(b->diag, AUGUR_E_LIMIT, b->path, child->line, child->col,
		                      "sequence has too many items (the limit is %u: the most "
		                      "layers, samples or GEMMs a file may list)",
		                      AUGUR_YAML_MAX_SEQ_ITEMS);
	size_t *cap = &b->cap_items[b->depth - 1];
	size_t count = parent->kind == AUGUR_YMAP ? 2 * parent->len : parent->len;
	if (count + 2 > *cap) {
		/* arena arrays cannot be resized in place: double into a new one (the old
		 * stays in the arena, so the waste is bounded by the final size); start
		 * small, as most collections are a layer's one-line mapping */
		size_t ncap = *cap ? *cap * 2 : 4;
		struct augur_ynode **items =
		        arena_alloc(b->doc, ncap * sizeof(struct augur_ynode *));
		if (!items)
			return fail(b, AUGUR_E_NOMEM, mark, "out of memory", NULL);
		if (count)
			memcpy(items, parent->items, count * sizeof(struct augur_ynode *));
		parent->items = items;
		*cap = ncap;
	}
	parent->weight += child->weight;
	if (parent->kind == AUGUR_YSEQ) {
		parent->items[parent->len++] = child;
		return AUGUR_OK;
	}
	/* mapping: items hold key, value pairs; a pending key is items[2*len] */
	bool *pending = &b->key_pending[b->depth - 1];
	if (!*pending) {
		if (child->kind != AUGUR_YSCALAR)
			return fail(b, AUGUR_E_SCHEMA, mark,
			            "mapping keys must be plain names, not collections", NULL);
		if (parent->len >= AUGUR_YAML_MAX_MAP_KEYS)
			return fail(b, AUGUR_E_LIMIT, mark, "mapping has too many keys", NULL);
		int64_t first = -1;
		if (parent->len < KEYS_SCANNED) {
			/* items holds 2 * len nodes; the analyser assumes len = 2^63, where 2 * len
			 * wraps to 0, which the AUGUR_YAML_MAX_MAP_KEYS check above rules out */
			for (size_t i = 0; i < parent->len && first < 0; i++)
				// NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
				if (strcmp(parent->items[2 * i]->text, child->text) == 0)
					first = (int64_t)i;
		} else {
			struct augur_strmap **keys = &b->keys[b->depth - 1];
			/* the mapping outgrew the scan: index the keys it has, then each new one */
			for (size_t i = augur_strmap_len(*keys); i < parent->len; i++)
				if (augur_strmap_put(keys, parent->items[2 * i]->text, (int64_t)i))
					return fail(b, AUGUR_E_NOMEM, mark, "out of memory", NULL);
			if (!augur_strmap_get(*keys, child->text, &first))
				first = -1;
		}
		if (first >= 0)
			return augur_diag_set(b->diag, AUGUR_E_SCHEMA, b->path, child->line,
			                      child->col,
			                      "duplicate key '%s' (first given at line %u)",
			                      child->text, parent->items[2 * first]->line);
		parent->items[2 * parent->len] = child;
		*pending = true;
	} else {
		parent->items[2 * parent->len + 1] = child;
		parent->len++;
		*pending = false;
	}
	return AUGUR_OK;
}

static struct anchor *anchor_find(struct builder *b, const char *name)
{
	int64_t i;
	return augur_strmap_get(b->anchor_index, name, &i) ? &b->anchors[i] : NULL;
}

static int anchor_add(struct builder *b, const char *name, struct augur_ynode *node, bool closed)
{
	if (grow((void **)&b->anchors, &b->cap_anchors, b->n_anchors + 1, sizeof(*b->anchors)))
		return AUGUR_E_NOMEM;
	char *copy = strdup(name);
	if (!copy)
		return AUGUR_E_NOMEM;
	/* a redefined anchor name refers to its latest node from here on (YAML 1.2) */
	if (augur_strmap_put(&b->anchor_index, copy, (int64_t)b->n_anchors)) {
		free(copy);
		return AUGUR_E_NOMEM;
	}
	b->anchors[b->n_anchors++] = (struct anchor){copy, node, closed};
	return AUGUR_OK;
}

static int on_event(struct builder *b, const yaml_event_t *ev)
{
	const yaml_mark_t *mark = &ev->start_mark;
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->documents > 1)
			return fail(b, AUGUR_E_SCHEMA, mark,
			            "expected a single YAML document, found a second one", NULL);
		return AUGUR_OK;
	case YAML_SCALAR_EVENT: {
		struct augur_ynode *n = node_new(b, AUGUR_YSCALAR, mark);
		if (!n)
			return fail(b, AUGUR_E_NOMEM, mark, "out of memory", NULL);
		n->text = arena_alloc(b->doc, ev->data.scalar.length + 1);
		if (!n->text)
			return fail(b, AUGUR_E_NOMEM, mark, "out of memory", NULL);
		memcpy(n->text, ev->data.scalar.value, ev->data.scalar.length);
		n->text[ev->data.scalar.length] = '\0';
		if (strlen(n->text) != ev->data.scalar.length)
			return fail(b, AUGUR_E_SCHEMA, mark, "scalar contains a NUL character",
			            NULL);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (ev->data.scalar.anchor &&
		    anchor_add(b, (const char *)ev->data.scalar.anchor, n, true))
			return fail(b, AUGUR_E_NOMEM, mark, "out of memory", NULL);
		return attach(b, n, mark, 1);
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		if (b->depth >= AUGUR_YAML_MAX_DEPTH)
			return fail(b, AUGUR_E_LIMIT, mark,
			            "nesting is too deep (the limit is 64 levels)", NULL);
		bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
		struct augur_ynode *n = node_new(b, seq ? AUGUR_YSEQ : AUGUR_YMAP, mark);
		if (!n)
			return fail(b, AUGUR_E_NOMEM, mark, "out of memory", NULL);
		const yaml_char_t *anchor =
		        seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
		if (anchor && anchor_add(b, (const char *)anchor, n, false))
			return fail(b, AUGUR_E_NOMEM, mark, "out of memory", NULL);
		b->stack[b->depth] = n;
		/* the anchor array may move as it grows: remember an index, not a pointer */
		b->stack_anchor[b->depth] = anchor ? b->n_anchors : 0;
		b->cap_items[b->depth] = 0;
		b->key_pending[b->depth] = false;
		b->depth++;
		return AUGUR_OK;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT: {
		struct augur_ynode *n = b->stack[--b->depth];
		augur_strmap_clear(&b->keys[b->depth]);
		if (b->stack_anchor[b->depth])
			b->anchors[b->stack_anchor[b->depth] - 1].closed = true;
		return attach(b, n, mark, 1);
	}
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)ev->data.alias.anchor;
		struct anchor *a = anchor_find(b, name);
		if (!a)
			return fail(b, AUGUR_E_SYNTAX, mark, "unknown alias", name);
		if (!a->closed)
			return fail(b, AUGUR_E_SCHEMA, mark,
			            "alias refers to a node that contains it (recursive)", name);
		return attach(b, a->node, mark, a->node->weight);
	}
	default:
		return AUGUR_OK;
	}
}

void augur_ydoc_free(struct augur_ydoc *doc)
{
	if (!doc)
		return;
	while (doc->blocks) {
		struct arena_block *next = doc->blocks->next;
		free(doc->blocks);
		doc->blocks = next;
	}
	free(doc);
}

/* A reader error at byte offset of buf: its 1-based line and column (in bytes), and the
 * offending byte. */
static int reader_error(const char *path, const char *buf, size_t len, size_t offset,
                        const char *problem, int value, struct augur_diag *diag)
{
	uint32_t line = 1, col = 1;
	for (size_t i = 0; i < offset && i < len; i++) {
		if (buf[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	if (value >= 0 && value <= 0xff)
		return augur_diag_set(diag, AUGUR_E_SYNTAX, path, line, col,
		                      "invalid YAML: %s (byte 0x%02x)", problem, (unsigned)value);
	return augur_diag_set(diag, AUGUR_E_SYNTAX, path, line, col, "invalid YAML: %s", problem);
}

int augur_ydoc_parse(const char *path, const char *buf, size_t len, struct augur_ydoc **out,
                     struct augur_diag *diag)
{
	*out = NULL;
	struct builder b = {.path = path, .diag = diag};
	b.doc = calloc(1, sizeof(*b.doc));
	if (!b.doc)
		return augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		free(b.doc);
		return augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	int rc = AUGUR_OK;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			const char *problem = parser.problem ? parser.problem : "malformed YAML";
			yaml_mark_t m = parser.problem_mark;
			if (parser.error == YAML_READER_ERROR) {
				/* the reader (encoding, control characters) gives a byte offset,
				 * not a mark: find its line and column */
				rc = reader_error(path, buf, len, parser.problem_offset, problem,
				                  parser.problem_value, diag);
				break;
			}
			if (parser.context)
				rc = augur_diag_set(diag, AUGUR_E_SYNTAX, path,
				                    (uint32_t)m.line + 1, (uint32_t)m.column + 1,
				                    "invalid YAML: %s %s", problem, parser.context);
			else
				rc = augur_diag_set(diag, AUGUR_E_SYNTAX, path,
				                    (uint32_t)m.line + 1, (uint32_t)m.column + 1,
				                    "invalid YAML: %s", problem);
			break;
		}
		int done = ev.type == YAML_STREAM_END_EVENT;
		rc = on_event(&b, &ev);
		yaml_event_delete(&ev);
		if (rc != AUGUR_OK || done)
			break;
	}
	yaml_parser_delete(&parser);
	for (size_t i = 0; i < b.n_anchors; i++)
		free(b.anchors[i].name);
	free(b.anchors);
	augur_strmap_clear(&b.anchor_index);
	for (int i = 0; i <= AUGUR_YAML_MAX_DEPTH; i++)
		augur_strmap_clear(&b.keys[i]);
	if (rc != AUGUR_OK) {
		augur_ydoc_free(b.doc);
		return rc;
	}
	*out = b.doc;
	return AUGUR_OK;
}

const struct augur_ynode *augur_ydoc_root(const struct augur_ydoc *doc)
{
	return doc ? doc->root : NULL;
}

const struct augur_ynode *augur_ynode_get(const struct augur_ynode *map, const char *key)
{
	if (!map || map->kind != AUGUR_YMAP)
		return NULL;
	for (size_t i = 0; i < map->len; i++)
		if (strcmp(map->items[2 * i]->text, key) == 0)
			return map->items[2 * i + 1];
	return NULL;
}

const char *augur_ynode_kind_name(enum augur_ynode_kind kind)
{
	switch (kind) {
	case AUGUR_YSCALAR:
		return "a scalar";
	case AUGUR_YSEQ:
		return "a sequence";
	case AUGUR_YMAP:
		return "a mapping";
	}
	return "a node";
}

bool augur_ynode_is_null(const struct augur_ynode *node)
{
	return node && node->kind == AUGUR_YSCALAR && node->plain &&
	       (!node->text[0] || !strcmp(node->text, "~") || !strcmp(node->text, "null") ||
	        !strcmp(node->text, "Null") || !strcmp(node->text, "NULL"));
}
