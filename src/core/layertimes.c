/* Layer-time files (see layertimes.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checked.h"
#include "fileio.h"
#include "layertimes.h"
#include "numparse.h"
#include "schema.h"
#include "yamldoc.h"

/* err_at(path, n, diag, code, ...): the schema toolkit's located error for this file */
#define err_at(path, n, diag, code, ...)                                                           \
	augur_schema_err((&(const struct augur_schema){(path), (diag)}), (n), (code), __VA_ARGS__)

void augur_layer_times_free(struct augur_layer_times *lt)
{
	if (!lt)
		return;
	for (size_t i = 0; i < lt->n_rows; i++) {
		struct augur_layer_times_row *r = &lt->rows[i];
		free(r->network);
		free(r->board);
		for (size_t j = 0; j < r->n_layers; j++)
			free(r->layer_names[j]);
		free(r->layer_names);
		free(r->layer_ms);
		free(r->layer_loc);
	}
	for (size_t i = 0; i < lt->n_memory; i++) {
		free(lt->memory[i].network);
		free(lt->memory[i].board);
	}
	augur_framework_clear(&lt->framework);
	for (size_t i = 0; i < lt->n_boards; i++) {
		struct augur_board *b = &lt->boards[i];
		free(b->name);
		free(b->description);
		free(b->cpu);
		free(b->gpu);
	}
	free(lt->boards);
	free(lt->rows);
	free(lt->memory);
	free(lt->path);
	free(lt->source);
	free(lt);
}

static int get_text(const char *path, const struct augur_ynode *map, const char *key, char **out,
                    struct augur_diag *diag)
{
	const struct augur_ynode *v = augur_ynode_get(map, key);
	if (!v)
		return err_at(path, map, diag, AUGUR_E_SCHEMA, "row has no '%s'", key);
	if (v->kind != AUGUR_YSCALAR || !v->text[0])
		return err_at(path, v, diag, AUGUR_E_SCHEMA, "expected a name for '%s'", key);
	if (!(*out = strdup(v->text)))
		return err_at(path, v, diag, AUGUR_E_NOMEM, "out of memory");
	return AUGUR_OK;
}

static int get_ms(const char *path, const struct augur_ynode *v, const char *key, double *out,
                  struct augur_diag *diag)
{
	if (v->kind != AUGUR_YSCALAR || augur_parse_double(v->text, 0.0, 1e12, out) != AUGUR_NUM_OK)
		return err_at(path, v, diag, AUGUR_E_SCHEMA,
		              "expected a time in ms (a number >= 0) for '%s', got %s", key,
		              v->kind == AUGUR_YSCALAR ? v->text : augur_ynode_kind_name(v->kind));
	return AUGUR_OK;
}

/* layers: {conv1: 1.23, relu1: 0.04, ...}: each layer's measured time. */
static int parse_layers(const char *path, const struct augur_ynode *v,
                        struct augur_layer_times_row *row, struct augur_diag *diag)
{
	if (v->kind != AUGUR_YMAP)
		return err_at(path, v, diag, AUGUR_E_SCHEMA,
		              "expected 'layers' as a mapping of layer name to time in ms");
	size_t n = v->len ? v->len : 1;
	row->layer_names = calloc(n, sizeof(*row->layer_names));
	row->layer_ms = calloc(n, sizeof(*row->layer_ms));
	row->layer_loc = calloc(n, sizeof(*row->layer_loc));
	if (!row->layer_names || !row->layer_ms || !row->layer_loc)
		return err_at(path, v, diag, AUGUR_E_NOMEM, "out of memory");
	for (size_t i = 0; i < v->len; i++) {
		const struct augur_ynode *k = v->items[2 * i], *t = v->items[2 * i + 1];
		int rc = get_ms(path, t, k->text, &row->layer_ms[i], diag);
		if (rc)
			return rc;
		if (!(row->layer_names[i] = strdup(k->text)))
			return err_at(path, v, diag, AUGUR_E_NOMEM, "out of memory");
		row->layer_loc[i] = (struct augur_loc){k->line, k->col};
		row->n_layers = i + 1;
	}
	return AUGUR_OK;
}

static int parse_row(const char *path, const struct augur_ynode *n,
                     struct augur_layer_times_row *row, struct augur_diag *diag)
{
	if (n->kind != AUGUR_YMAP)
		return err_at(path, n, diag, AUGUR_E_SCHEMA, "expected a row mapping, got %s",
		              augur_ynode_kind_name(n->kind));
	row->line = n->line;
	row->col = n->col;
	row->batch = 1;
	int rc;
	if ((rc = get_text(path, n, "network", &row->network, diag)) ||
	    (rc = get_text(path, n, "board", &row->board, diag)))
		return rc;
	for (size_t i = 0; i < n->len; i++) {
		const struct augur_ynode *k = n->items[2 * i], *v = n->items[2 * i + 1];
		if (!strcmp(k->text, "network") || !strcmp(k->text, "board"))
			continue;
		if (!strcmp(k->text, "total")) {
			if ((rc = get_ms(path, v, "total", &row->total_ms, diag)))
				return rc;
			continue;
		}
		if (!strcmp(k->text, "forward_spread")) {
			if (v->kind != AUGUR_YSCALAR ||
			    augur_parse_double(v->text, 0.0, 1e6, &row->forward_spread) !=
			            AUGUR_NUM_OK)
				return err_at(path, v, diag, AUGUR_E_SCHEMA,
				              "expected a relative spread (a number >= 0) for "
				              "'forward_spread'");
			continue;
		}
		if (!strcmp(k->text, "layers")) {
			if ((rc = parse_layers(path, v, row, diag)))
				return rc;
			continue;
		}
		if (!strcmp(k->text, "faults")) {
			/* per-layer page fault counts: a diagnostic for fresh_bytes, not fitted */
			if (v->kind != AUGUR_YMAP)
				return err_at(path, v, diag, AUGUR_E_SCHEMA,
				              "expected a mapping of layer names to page fault "
				              "counts for 'faults'");
			continue;
		}
		if (!strcmp(k->text, "unit")) {
			if (v->kind == AUGUR_YSCALAR && !strcmp(v->text, "cpu"))
				row->unit = AUGUR_UNIT_CPU;
			else if (v->kind == AUGUR_YSCALAR && !strcmp(v->text, "gpu"))
				row->unit = AUGUR_UNIT_GPU;
			else
				return err_at(path, v, diag, AUGUR_E_SCHEMA,
				              "unknown unit (expected cpu or gpu)");
			continue;
		}
		if (!strcmp(k->text, "batch")) {
			uint64_t b;
			if (v->kind != AUGUR_YSCALAR ||
			    augur_parse_u64(v->text, 1, AUGUR_MAX_BATCH, &b) != AUGUR_NUM_OK)
				return err_at(path, v, diag, AUGUR_E_SCHEMA,
				              "expected a batch from 1 to %u", AUGUR_MAX_BATCH);
			row->batch = (uint32_t)b;
			continue;
		}
		if (!strcmp(k->text, "forward")) {
			if ((rc = get_ms(path, v, "forward", &row->forward_ms, diag)))
				return rc;
			continue;
		}
		int t = augur_layer_type_from_name(k->text);
		if (t < 0)
			return err_at(
			        path, k, diag, AUGUR_E_SCHEMA,
			        "unknown column '%s' (expected network, board, unit, batch, "
			        "total, forward, forward_spread, layers, faults or a layer type: %s)",
			        k->text, augur_layer_type_list());
		if ((rc = get_ms(path, v, k->text, &row->type_ms[t], diag)))
			return rc;
		row->has[t] = true;
	}
	if (!augur_ynode_get(n, "unit"))
		return err_at(path, n, diag, AUGUR_E_SCHEMA, "row has no 'unit' (cpu or gpu)");
	return AUGUR_OK;
}

static int get_breaks(const char *path, const struct augur_ynode *v, uint32_t *n, uint64_t *breaks,
                      struct augur_diag *diag)
{
	if (v->kind != AUGUR_YSEQ || v->len > AUGUR_MODEL_MAX_BREAKS)
		return err_at(path, v, diag, AUGUR_E_SCHEMA,
		              "expected a list of at most %d increasing breakpoints",
		              AUGUR_MODEL_MAX_BREAKS);
	for (size_t i = 0; i < v->len; i++) {
		const struct augur_ynode *x = v->items[i];
		if (x->kind != AUGUR_YSCALAR ||
		    augur_parse_u64(x->text, 2, AUGUR_MAX_DIM, &breaks[i]) != AUGUR_NUM_OK ||
		    (i && breaks[i] <= breaks[i - 1]))
			return err_at(path, x, diag, AUGUR_E_SCHEMA,
			              "expected increasing breakpoints from 2 to %u",
			              AUGUR_MAX_DIM);
	}
	*n = (uint32_t)v->len;
	return AUGUR_OK;
}

static int parse_board(const char *path, const struct augur_ynode *k, const struct augur_ynode *v,
                       const struct augur_ynode *regions, struct augur_board *b,
                       struct augur_diag *diag)
{
	if (v->kind != AUGUR_YMAP)
		return err_at(path, v, diag, AUGUR_E_SCHEMA, "expected a mapping for board '%s'",
		              k->text);
	if (!(b->name = strdup(k->text)))
		return err_at(path, v, diag, AUGUR_E_NOMEM, "out of memory");
	int rc;
	if ((rc = get_text(path, v, "description", &b->description, diag)) ||
	    (rc = get_text(path, v, "cpu", &b->cpu, diag)) ||
	    (rc = get_text(path, v, "gpu", &b->gpu, diag)))
		return rc;
	const struct augur_ynode *x = augur_ynode_get(v, "ram_mib");
	uint64_t mib = 0, bits = 64;
	if (!x || x->kind != AUGUR_YSCALAR ||
	    augur_parse_u64(x->text, 1, 1u << 30, &mib) != AUGUR_NUM_OK)
		return err_at(path, x ? x : v, diag, AUGUR_E_SCHEMA,
		              "board '%s' needs 'ram_mib' (a positive integer)", b->name);
	b->ram_bytes = mib << 20;
	if ((x = augur_ynode_get(v, "pointer_bits")) &&
	    (x->kind != AUGUR_YSCALAR || augur_parse_u64(x->text, 16, 128, &bits) != AUGUR_NUM_OK))
		return err_at(path, x, diag, AUGUR_E_SCHEMA,
		              "expected 32 or 64 for 'pointer_bits'");
	b->pointer_bits = (uint32_t)bits;
	uint64_t cores = 0;
	if ((x = augur_ynode_get(v, "cores")) &&
	    (x->kind != AUGUR_YSCALAR || augur_parse_u64(x->text, 1, 4096, &cores) != AUGUR_NUM_OK))
		return err_at(path, x, diag, AUGUR_E_SCHEMA, "expected a core count for 'cores'");
	b->cores = (uint32_t)cores;
	const struct augur_ynode *r = augur_ynode_get(regions, b->name);
	if (r) {
		const struct augur_ynode *bn = augur_ynode_get(r, "n_breaks");
		const struct augur_ynode *bm = augur_ynode_get(r, "m_breaks");
		if ((bn && (rc = get_breaks(path, bn, &b->n_breaks_n, b->breaks_n, diag))) ||
		    (bm && (rc = get_breaks(path, bm, &b->n_breaks_m, b->breaks_m, diag))))
			return rc;
	}
	return AUGUR_OK;
}

static int parse_memory(const char *path, const struct augur_ynode *n, struct augur_memory_row *row,
                        struct augur_diag *diag)
{
	if (n->kind != AUGUR_YMAP)
		return err_at(path, n, diag, AUGUR_E_SCHEMA, "expected a row mapping, got %s",
		              augur_ynode_kind_name(n->kind));
	row->line = n->line;
	row->col = n->col;
	int rc;
	if ((rc = get_text(path, n, "network", &row->network, diag)) ||
	    (rc = get_text(path, n, "board", &row->board, diag)))
		return rc;
	static const char *const units[2] = {"cpu", "gpu"};
	for (int u = 0; u < 2; u++) {
		const struct augur_ynode *v = augur_ynode_get(n, units[u]);
		if (v && (rc = get_ms(path, v, units[u], &row->mb[u], diag)))
			return rc;
	}
	return AUGUR_OK;
}

int augur_layer_times_load(const char *path, struct augur_layer_times **out,
                           struct augur_diag *diag)
{
	*out = NULL;
	char *buf = NULL;
	size_t len = 0;
	int rc = augur_read_file(path, AUGUR_MAX_FILE_BYTES, &buf, &len, diag);
	if (!rc)
		rc = augur_layer_times_parse(path, buf, len, out, diag);
	free(buf);
	return rc;
}

int augur_layer_times_parse(const char *path, const char *buf, size_t len,
                            struct augur_layer_times **out, struct augur_diag *diag)
{
	*out = NULL;
	struct augur_ydoc *doc = NULL;
	struct augur_layer_times *lt = NULL;
	int rc = augur_ydoc_parse(path, buf, len, &doc, diag);
	if (rc)
		goto out;
	const struct augur_ynode *root = augur_ydoc_root(doc);
	if (!root || root->kind != AUGUR_YMAP) {
		rc = err_at(path, root, diag, AUGUR_E_SCHEMA,
		            "expected a mapping with 'layer_times' and/or 'memory_mb'");
		goto out;
	}
	lt = calloc(1, sizeof(*lt));
	if (!lt || !(lt->path = strdup(path))) {
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
		goto out;
	}
	const struct augur_ynode *src = augur_ynode_get(root, "source");
	if (src && src->kind == AUGUR_YSCALAR && !(lt->source = strdup(src->text))) {
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
		goto out;
	}
	lt->framework = (struct augur_framework){.mkldnn = -1, .pool_index_bytes = -1};
	const struct augur_ynode *fw = augur_ynode_get(root, "framework");
	if (fw && !augur_ynode_is_null(fw)) {
		struct augur_schema sc = {path, diag};
		if ((rc = augur_framework_parse(&sc, fw, &lt->framework)))
			goto out;
	}
	const struct augur_ynode *boards = augur_ynode_get(root, "boards");
	if (boards && boards->kind != AUGUR_YMAP) {
		rc = err_at(path, boards, diag, AUGUR_E_SCHEMA,
		            "expected 'boards' as a mapping of board names");
		goto out;
	}
	if (boards && boards->len) {
		lt->boards = calloc(boards->len, sizeof(*lt->boards));
		if (!lt->boards) {
			rc = augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
			goto out;
		}
		const struct augur_ynode *regions = augur_ynode_get(root, "gpu_regions");
		for (size_t i = 0; i < boards->len && !rc; i++, lt->n_boards++)
			rc = parse_board(path, boards->items[2 * i], boards->items[2 * i + 1],
			                 regions, &lt->boards[i], diag);
		if (rc)
			goto out;
	}
	const struct augur_ynode *rows = augur_ynode_get(root, "layer_times");
	const struct augur_ynode *mem = augur_ynode_get(root, "memory_mb");
	if ((rows && rows->kind != AUGUR_YSEQ) || (mem && mem->kind != AUGUR_YSEQ) ||
	    (!rows && !mem)) {
		rc = err_at(path,
		            rows  ? rows
		            : mem ? mem
		                  : root,
		            diag, AUGUR_E_SCHEMA,
		            "expected 'layer_times' and/or 'memory_mb' as sequences of rows");
		goto out;
	}
	if (rows && rows->len) {
		lt->rows = calloc(rows->len, sizeof(*lt->rows));
		if (!lt->rows) {
			rc = augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < rows->len && !rc; i++, lt->n_rows++)
			rc = parse_row(path, rows->items[i], &lt->rows[i], diag);
	}
	if (!rc && mem && mem->len) {
		lt->memory = calloc(mem->len, sizeof(*lt->memory));
		if (!lt->memory) {
			rc = augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < mem->len && !rc; i++, lt->n_memory++)
			rc = parse_memory(path, mem->items[i], &lt->memory[i], diag);
	}
out:
	augur_ydoc_free(doc);
	if (rc) {
		augur_layer_times_free(lt);
		return rc;
	}
	*out = lt;
	return AUGUR_OK;
}

/* ---- joining texts ----------------------------------------------------------------- */

enum lt_section { LT_OTHER, LT_ROWS, LT_MEMORY };

/* The section a top-level line opens: a key at column 0. */
static enum lt_section section_of(const char *line, size_t len)
{
	if (len >= 12 && !strncmp(line, "layer_times:", 12))
		return LT_ROWS;
	if (len >= 10 && !strncmp(line, "memory_mb:", 10))
		return LT_MEMORY;
	return LT_OTHER;
}

/* Appends to out the lines of text in section want (the indented lines under its key),
 * or, for LT_OTHER, every line outside the two row sections. */
static void section_lines(const char *text, enum lt_section want, struct augur_strbuf *out)
{
	enum lt_section in = LT_OTHER;
	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool top = len && p[0] != ' ' && p[0] != '\t' && p[0] != '#' && p[0] != '-';
		if (top)
			in = section_of(p, len);
		bool keep = want == LT_OTHER ? in == LT_OTHER : in == want && !top;
		if (keep) {
			augur_strbuf_append(out, p, len);
			augur_strbuf_puts(out, "\n");
		}
		p += len + (end != NULL);
	}
}

void augur_layer_times_join(const char *first, const char *second, struct augur_strbuf *out)
{
	section_lines(first, LT_OTHER, out);
	augur_strbuf_puts(out, "layer_times:\n");
	section_lines(first, LT_ROWS, out);
	section_lines(second, LT_ROWS, out);
	struct augur_strbuf mem = {0};
	section_lines(first, LT_MEMORY, &mem);
	section_lines(second, LT_MEMORY, &mem);
	if (mem.len) {
		augur_strbuf_puts(out, "memory_mb:\n");
		augur_strbuf_put(out, "%s", mem.data);
	}
	out->failed |= mem.failed;
	augur_strbuf_clear(&mem);
}

int augur_layer_times_join_files(const char *first, const char *second, const char *out,
                                 struct augur_diag *diag)
{
	char *a = NULL, *b = NULL;
	size_t la, lb;
	struct augur_strbuf joined = {0};
	int rc = augur_read_file(first, AUGUR_MAX_FILE_BYTES, &a, &la, diag);
	if (!rc)
		rc = augur_read_file(second, AUGUR_MAX_FILE_BYTES, &b, &lb, diag);
	if (!rc) {
		augur_layer_times_join(a, b, &joined);
		rc = joined.failed ? augur_diag_set(diag, AUGUR_E_NOMEM, out, 0, 0, "out of memory")
		                   : augur_write_file_atomic(out, joined.data, joined.len, diag);
	}
	free(a);
	free(b);
	augur_strbuf_clear(&joined);
	return rc;
}
