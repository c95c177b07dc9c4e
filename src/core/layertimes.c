/* Layer-time files (see layertimes.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "augur-config.h"
#include "checked.h"
#include "fileio.h"
#include "layertimes.h"
#include "netfile.h"
#include "numparse.h"
#include "yamldoc.h"

static int err_at(const char *path, const struct augur_ynode *n, struct augur_diag *diag, int code,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int err_at(const char *path, const struct augur_ynode *n, struct augur_diag *diag, int code,
                  const char *fmt, ...)
{
	char msg[AUGUR_DIAG_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return augur_diag_set(diag, code, path, n ? n->line : 1, n ? n->col : 1, "%s", msg);
}

void augur_layer_times_free(struct augur_layer_times *lt)
{
	if (!lt)
		return;
	for (size_t i = 0; i < lt->n_rows; i++) {
		free(lt->rows[i].network);
		free(lt->rows[i].board);
	}
	for (size_t i = 0; i < lt->n_memory; i++) {
		free(lt->memory[i].network);
		free(lt->memory[i].board);
	}
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
		if (!strcmp(k->text, "network") || !strcmp(k->text, "board") ||
		    !strcmp(k->text, "total"))
			continue;
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
			return err_at(path, k, diag, AUGUR_E_SCHEMA,
			              "unknown column '%s' (expected network, board, unit, batch, "
			              "total, forward or a layer type: %s)",
			              k->text, augur_layer_type_list());
		if ((rc = get_ms(path, v, k->text, &row->type_ms[t], diag)))
			return rc;
		row->has[t] = true;
	}
	if (!augur_ynode_get(n, "unit"))
		return err_at(path, n, diag, AUGUR_E_SCHEMA, "row has no 'unit' (cpu or gpu)");
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
	struct augur_ydoc *doc = NULL;
	struct augur_layer_times *lt = NULL;
	int rc = augur_read_file(path, AUGUR_MAX_FILE_BYTES, &buf, &len, diag);
	if (rc || (rc = augur_ydoc_parse(path, buf, len, &doc, diag)))
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
	free(buf);
	if (rc) {
		augur_layer_times_free(lt);
		return rc;
	}
	*out = lt;
	return AUGUR_OK;
}

int augur_layer_times_network(const struct augur_layer_times *lt, const char *network,
                              uint32_t line, uint32_t col, struct augur_net **out,
                              struct augur_diag *diag)
{
	char candidate[3][4096];
	const char *slash = strrchr(lt->path, '/');
	int dirlen = slash ? (int)(slash - lt->path) : 1;
	const char *dir = slash ? lt->path : ".";
	bool has_ext = strstr(network, ".yaml") || strstr(network, ".prototxt");
	snprintf(candidate[0], sizeof(candidate[0]), "%.*s/%s%s", dirlen, dir, network,
	         has_ext ? "" : ".yaml");
	snprintf(candidate[1], sizeof(candidate[1]), "%s/descriptors/%s%s", AUGUR_SOURCE_ROOT,
	         network, has_ext ? "" : ".yaml");
	snprintf(candidate[2], sizeof(candidate[2]), "%s", network);
	for (int i = 0; i < 3; i++) {
		FILE *f = fopen(candidate[i], "r");
		if (!f)
			continue;
		fclose(f);
		return augur_net_load(candidate[i], out, diag);
	}
	return augur_diag_set(diag, AUGUR_E_USAGE, lt->path, line, col,
	                      "network '%s' not found (looked for %s and %s)", network,
	                      candidate[0], candidate[1]);
}

static bool row_matches(const char *row_board, const char *board)
{
	return !strcmp(row_board, board);
}

int augur_layer_times_samples(const struct augur_layer_times *lt, const char *board,
                              enum augur_unit_kind unit, struct augur_sample **out, size_t *n,
                              struct augur_diag *diag)
{
	static const enum augur_layer_type gemm_types[] = {AUGUR_LAYER_CONV, AUGUR_LAYER_FC};
	*out = NULL;
	*n = 0;
	struct augur_sample *samples = calloc(2 * lt->n_rows + 1, sizeof(*samples));
	if (!samples)
		return augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
	size_t count = 0;
	int rc = AUGUR_OK;
	for (size_t r = 0; r < lt->n_rows && !rc; r++) {
		const struct augur_layer_times_row *row = &lt->rows[r];
		if (!row_matches(row->board, board) || row->unit != unit)
			continue;
		struct augur_net *net = NULL;
		struct augur_analysis *a = NULL;
		if ((rc = augur_layer_times_network(lt, row->network, row->line, row->col, &net,
		                                    diag)) ||
		    (rc = augur_analyze(net, row->batch, &a, diag))) {
			augur_net_free(net);
			break;
		}
		for (size_t t = 0; t < 2 && !rc; t++) {
			enum augur_layer_type type = gemm_types[t];
			if (!row->has[type] || !a->by_type[type].layers)
				continue;
			struct augur_sample *s = &samples[count];
			s->time_ms = row->type_ms[type];
			s->fc_layout = type == AUGUR_LAYER_FC;
			s->gemms = calloc(a->by_type[type].layers, sizeof(*s->gemms));
			char label[160];
			snprintf(label, sizeof(label), "%s %s", row->network,
			         augur_layer_type_name(type));
			s->label = strdup(label);
			if (!s->gemms || !s->label) {
				rc = augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0,
				                    "out of memory");
				break;
			}
			for (size_t i = 0; i < a->n_layers; i++) {
				const struct augur_gemm *g = &a->layers[i].gemm;
				if (net->layers[i].type != type || !g->count)
					continue;
				s->gemms[s->n_gemms++] =
				        (struct augur_sample_gemm){g->n, g->k, g->m, g->count};
			}
			count++;
		}
		augur_analysis_free(a);
		augur_net_free(net);
	}
	if (rc) {
		for (size_t i = 0; i <= count && i < 2 * lt->n_rows; i++)
			augur_sample_clear(&samples[i]);
		free(samples);
		return rc;
	}
	*out = samples;
	*n = count;
	return AUGUR_OK;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int augur_layer_times_overhead(const struct augur_layer_times *lt, const char *board,
                               enum augur_unit_kind unit, bool shared_memory, bool weights_copied,
                               uint64_t *overhead_bytes, size_t *rows_used, struct augur_diag *diag)
{
	double *over = calloc(lt->n_memory + 1, sizeof(*over));
	if (!over)
		return augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
	size_t used = 0;
	int rc = AUGUR_OK;
	for (size_t r = 0; r < lt->n_memory && !rc; r++) {
		const struct augur_memory_row *row = &lt->memory[r];
		if (!row_matches(row->board, board) || row->mb[unit] <= 0)
			continue;
		struct augur_net *net = NULL;
		struct augur_analysis *a = NULL;
		if (!(rc = augur_layer_times_network(lt, row->network, row->line, row->col, &net,
		                                     diag)) &&
		    !(rc = augur_analyze(net, 1, &a, diag))) {
			double model = (double)a->memory.alloc_total;
			if (unit == AUGUR_UNIT_GPU && shared_memory && weights_copied)
				model += (double)(a->memory.alloc_params + a->memory.alloc_stats);
			over[used++] = row->mb[unit] * 1048576.0 - model;
		}
		augur_analysis_free(a);
		augur_net_free(net);
	}
	if (!rc && !used)
		rc = augur_diag_set(diag, AUGUR_E_USAGE, lt->path, 0, 0,
		                    "no memory row for board '%s' and unit %s", board,
		                    augur_unit_kind_name(unit));
	if (!rc) {
		qsort(over, used, sizeof(*over), cmp_double);
		double med = used % 2 ? over[used / 2] : (over[used / 2 - 1] + over[used / 2]) / 2;
		*overhead_bytes = med > 0 ? (uint64_t)med : 0;
		*rows_used = used;
	}
	free(over);
	return rc;
}
