/* A read-only YAML document tree with source positions: the one wrapper around libyaml.
 * Descriptor, profile and --set parsers walk this tree; none of them sees libyaml.
 * Hostile input is bounded here: nesting depth, node count after alias expansion
 * (alias bombs), sequence length, mapping size, duplicate keys and multi-document streams
 * are errors, and every lookup during parsing is hashed, so time stays linear in the
 * input (docs/limits.md). */
#ifndef AUGUR_YAMLDOC_H
#define AUGUR_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define AUGUR_YAML_MAX_DEPTH     64
#define AUGUR_YAML_MAX_NODES     2000000u /* after alias expansion */
#define AUGUR_YAML_MAX_MAP_KEYS  4096
#define AUGUR_YAML_MAX_SEQ_ITEMS 100000u /* the most layers, samples or GEMMs a file holds */

enum augur_ynode_kind { AUGUR_YSCALAR, AUGUR_YSEQ, AUGUR_YMAP };

/* 48 bytes (fields ordered so): a 16 MiB document may hold two million of them. */
struct augur_ynode {
	enum augur_ynode_kind kind;
	uint32_t line, col;         /* 1-based position of the node's first character */
	bool plain;                 /* unquoted scalar: a number, a bool or null may hide in it */
	char *text;                 /* scalar value, NUL-terminated; NULL for collections */
	size_t len;                 /* items in a sequence, or key/value pairs in a mapping */
	struct augur_ynode **items; /* sequence: len items; mapping: key0, value0, key1, ... */
	uint64_t weight;            /* nodes in this subtree with aliases expanded */
};

struct augur_ydoc;

/* Parses buf (len bytes) into a tree. path is only used in diagnostics. On success
 * *out owns the tree (free with augur_ydoc_free); on failure *out is NULL and diag is set
 * (AUGUR_E_SYNTAX for malformed YAML, AUGUR_E_LIMIT for bounds, AUGUR_E_NOMEM). */
int augur_ydoc_parse(const char *path, const char *buf, size_t len, struct augur_ydoc **out,
                     struct augur_diag *diag);

void augur_ydoc_free(struct augur_ydoc *doc);

/* The root node, or NULL when the document is empty (only comments or nothing). */
const struct augur_ynode *augur_ydoc_root(const struct augur_ydoc *doc);

/* The value for key in a mapping, or NULL (also when node is not a mapping). */
const struct augur_ynode *augur_ynode_get(const struct augur_ynode *map, const char *key);

/* "a scalar", "a sequence", "a mapping": for messages. */
const char *augur_ynode_kind_name(enum augur_ynode_kind kind);

/* True for a plain scalar that YAML reads as null ("", "~", "null"). */
bool augur_ynode_is_null(const struct augur_ynode *node);

#endif
