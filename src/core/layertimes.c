/* Layer-time files (see layertimes.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis.h"
#include "augur-config.h"
#include "checked.h"
#include "fileio.h"
#include "fit.h"
#include "layertimes.h"
#include "netfile.h"
#include "numparse.h"
#include "yamldoc.h"

static void err_fill(const char *path, const struct augur_ynode *n, struct augur_diag *diag,
                     int code, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* err_at returns the error code: a macro over err_fill, so the static analyser (which does
 * not follow variadic functions) sees a failure stay a failure. */
#define err_at(path, n, diag, code, ...)                                                           \
	(err_fill((path), (n), (diag), (code), __VA_ARGS__), (code))

static void err_fill(const char *path, const struct augur_ynode *n, struct augur_diag *diag,
                     int code, const char *fmt, ...)
{
	char msg[AUGUR_DIAG_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	augur_diag_fill(diag, code, path, n ? n->line : 1, n ? n->col : 1, "%s", msg);
}

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

/* The network a row names, analysed at batch; on failure nothing is left to free. */
static int load_analysed(const struct augur_layer_times *lt, const char *network, uint32_t line,
                         uint32_t col, uint32_t batch, struct augur_net **net,
                         struct augur_analysis **a, struct augur_diag *diag)
{
	*net = NULL;
	*a = NULL;
	int rc = augur_layer_times_network(lt, network, line, col, net, diag);
	if (!rc && (rc = augur_analyze(*net, batch, a, diag))) {
		augur_net_free(*net);
		*net = NULL;
	}
	return rc;
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
		if ((rc = load_analysed(lt, row->network, row->line, row->col, row->batch, &net, &a,
		                        diag)))
			break;
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

/* Whether a row's layer-wise times add up to its timed forward pass (within 10%). */
static bool sums_to_forward(const struct augur_layer_times_row *row)
{
	double total = row->total_ms;
	if (!(total > 0))
		for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++)
			total += row->has[t] ? row->type_ms[t] : 0;
	return row->forward_ms > 0 && fabs(total - row->forward_ms) <= 0.1 * row->forward_ms;
}

static int find_layer(const struct augur_net *net, const char *name)
{
	for (size_t i = 0; i < net->n_layers; i++)
		if (!strcmp(net->layers[i].name, name))
			return (int)i;
	return -1;
}

int augur_layer_times_cost_rows(const struct augur_layer_times *lt, const char *board,
                                enum augur_unit_kind unit, const struct augur_timemodel *gemm,
                                struct augur_cost_row **out, size_t *n, struct augur_diag *diag)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	for (size_t r = 0; r < lt->n_rows; r++)
		cap += lt->rows[r].n_layers + AUGUR_LAYER_TYPE_COUNT;
	struct augur_cost_row *rows = calloc(cap + 1, sizeof(*rows));
	if (!rows)
		return augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
	size_t count = 0;
	int rc = AUGUR_OK;
	for (size_t r = 0; r < lt->n_rows && !rc; r++) {
		const struct augur_layer_times_row *row = &lt->rows[r];
		if (!row_matches(row->board, board) || row->unit != unit)
			continue;
		if (!row->n_layers && !sums_to_forward(row))
			continue;
		struct augur_net *net = NULL;
		struct augur_analysis *a = NULL;
		if ((rc = load_analysed(lt, row->network, row->line, row->col, row->batch, &net, &a,
		                        diag)))
			break;
		double f[AUGUR_FEAT_COUNT];
		if (row->n_layers) {
			for (size_t j = 0; j < row->n_layers && !rc; j++) {
				int i = find_layer(net, row->layer_names[j]);
				if (i < 0) {
					rc = augur_diag_set(diag, AUGUR_E_SCHEMA, lt->path,
					                    row->layer_loc[j].line,
					                    row->layer_loc[j].col,
					                    "network '%s' has no layer '%s'",
					                    row->network, row->layer_names[j]);
					break;
				}
				struct augur_cost_row *cr = &rows[count++];
				cr->type = net->layers[i].type;
				cr->time_ms = row->layer_ms[j];
				augur_layer_features(net, a, (size_t)i, gemm, cr->f, NULL);
			}
		} else {
			/* per-type sums: the GEMM types feed the GEMM model instead */
			for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++) {
				if (!row->has[t] || t == AUGUR_LAYER_CONV || t == AUGUR_LAYER_FC ||
				    !a->by_type[t].layers)
					continue;
				struct augur_cost_row *cr = &rows[count++];
				cr->type = t;
				cr->aggregate = true;
				cr->time_ms = row->type_ms[t];
				for (size_t i = 0; i < a->n_layers; i++) {
					if (net->layers[i].type != (enum augur_layer_type)t)
						continue;
					augur_layer_features(net, a, i, gemm, f, NULL);
					for (int k = 0; k < AUGUR_FEAT_COUNT; k++)
						cr->f[k] += f[k];
				}
			}
		}
		augur_analysis_free(a);
		augur_net_free(net);
	}
	if (rc) {
		free(rows);
		return rc;
	}
	*out = rows;
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
		if (!(rc = load_analysed(lt, row->network, row->line, row->col, 1, &net, &a,
		                         diag))) {
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

static const struct augur_board *find_board(const struct augur_layer_times *lt, const char *name)
{
	for (size_t i = 0; i < lt->n_boards; i++)
		if (!strcmp(lt->boards[i].name, name))
			return &lt->boards[i];
	return NULL;
}

static bool has_rows(const struct augur_layer_times *lt, const char *board,
                     enum augur_unit_kind unit)
{
	for (size_t i = 0; i < lt->n_rows; i++)
		if (!strcmp(lt->rows[i].board, board) && lt->rows[i].unit == unit)
			return true;
	return false;
}

static bool has_layer_rows(const struct augur_layer_times *lt, const char *board,
                           enum augur_unit_kind unit)
{
	for (size_t i = 0; i < lt->n_rows; i++)
		if (row_matches(lt->rows[i].board, board) && lt->rows[i].unit == unit &&
		    lt->rows[i].n_layers)
			return true;
	return false;
}

/* The GEMM model of u from the per-type conv and fc sums (the paper's tables). */
static int fit_gemm(struct augur_profile *p, struct augur_unit *u,
                    const struct augur_layer_times *lt, struct augur_diag *diag)
{
	struct augur_sample *samples = NULL;
	size_t n = 0;
	int rc = augur_layer_times_samples(lt, p->name, u->kind, &samples, &n, diag);
	if (rc)
		return rc;
	struct augur_fit_options opt;
	augur_fit_options_init(&opt);
	/* A handful of aggregate rows identify few coefficients: the multiply-adds, the
	 * weights read (what makes a batch-1 fc layer memory-bound) and a per-call cost. */
	opt.term_mask = 1u << AUGUR_TERM_NKM | 1u << AUGUR_TERM_NK | 1u << AUGUR_TERM_ONE;
	opt.fixed_breaks = true;
	opt.max_outliers = 0;
	const struct augur_board *b = find_board(lt, p->name);
	if (u->kind == AUGUR_UNIT_GPU && b) {
		/* section 5.2's split along n; its m regions need per-GEMM samples, which
		 * eight aggregate rows cannot separate (docs/profiles.md) */
		opt.n_breaks_n = b->n_breaks_n;
		memcpy(opt.breaks_n, b->breaks_n, sizeof(opt.breaks_n));
	} else {
		/* on a CPU, fc layers at batch 1 are matrix-vector products bound by memory,
		 * not compute: they get their own region, m below 2 */
		opt.n_breaks_m = 1;
		opt.breaks_m[0] = 2;
	}
	struct augur_timemodel tm;
	struct augur_fit_quality q;
	rc = augur_fit_model(samples, n, &opt, &tm, &q, diag);
	if (rc == AUGUR_OK) {
		for (size_t i = 0; i < u->n_samples; i++)
			augur_sample_clear(&u->samples[i]);
		free(u->samples);
		u->samples = samples;
		u->n_samples = n;
		samples = NULL;
		/* the fitter floors predictions at the fastest call it saw; an aggregate row
		 * only tells the average call of a network, far above its smallest GEMM */
		tm.min_ms = 1e-3;
		u->gemm = tm;
		u->quality = q;
	}
	for (size_t i = 0; samples && i < n; i++)
		augur_sample_clear(&samples[i]);
	free(samples);
	return rc;
}

/* Every layer type's cost model of u, on top of its GEMM model. */
static int fit_costs(struct augur_unit *u, const struct augur_layer_times *lt, const char *board,
                     struct augur_diag *diag)
{
	struct augur_cost_row *rows = NULL;
	size_t n = 0;
	int rc = augur_layer_times_cost_rows(lt, board, u->kind, &u->gemm, &rows, &n, diag);
	if (rc)
		return rc;
	if (!n) {
		free(rows);
		return AUGUR_OK;
	}
	struct augur_layer_costs *costs = calloc(1, sizeof(*costs));
	const char *src = lt->source ? lt->source : lt->path;
	if (!costs || !(costs->source = strdup(src))) {
		free(costs);
		free(rows);
		return augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
	}
	rc = augur_layer_costs_fit(rows, n, costs, diag);
	free(rows);
	if (rc) {
		augur_layer_costs_free(costs);
		return rc;
	}
	augur_layer_costs_free(u->costs);
	u->costs = costs;
	return AUGUR_OK;
}

static int fit_unit(struct augur_profile *p, struct augur_unit *u,
                    const struct augur_layer_times *lt, struct augur_diag *diag)
{
	int rc;
	if (has_layer_rows(lt, p->name, u->kind)) {
		if (!u->n_samples)
			return augur_diag_set(
			        diag, AUGUR_E_USAGE, lt->path, 0, 0,
			        "per-layer times need a calibrated GEMM model: profile "
			        "'%s' has no %s samples (run augur calibrate first)",
			        p->name, augur_unit_kind_name(u->kind));
	} else if ((rc = fit_gemm(p, u, lt, diag))) {
		snprintf(diag->message + strlen(diag->message),
		         sizeof(diag->message) - strlen(diag->message), " (fitting %s %s)", p->name,
		         augur_unit_kind_name(u->kind));
		return rc;
	}
	if ((rc = fit_costs(u, lt, p->name, diag)))
		return rc;
	uint64_t overhead;
	size_t used;
	struct augur_diag ignored;
	if (augur_layer_times_overhead(lt, p->name, u->kind, p->shared_memory, u->weights_copied,
	                               &overhead, &used, &ignored) == AUGUR_OK)
		u->framework_overhead_bytes = overhead;
	return AUGUR_OK;
}

int augur_profile_fit_layer_times(struct augur_profile *p, const struct augur_layer_times *lt,
                                  struct augur_diag *diag)
{
	struct augur_unit *units[2] = {p->cpu, p->gpu};
	int rc = AUGUR_OK;
	for (int i = 0; i < 2 && !rc; i++)
		if (units[i] && has_rows(lt, p->name, units[i]->kind))
			rc = fit_unit(p, units[i], lt, diag);
	return rc;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int augur_profile_from_layer_times(const struct augur_layer_times *lt, const char *board,
                                   struct augur_profile **out, struct augur_diag *diag)
{
	*out = NULL;
	const struct augur_board *b = find_board(lt, board);
	if (!b)
		return augur_diag_set(diag, AUGUR_E_USAGE, lt->path, 0, 0,
		                      "no board '%s' under 'boards:'", board);
	struct augur_profile *p = augur_profile_new();
	if (!p)
		return augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
	char source[512];
	snprintf(source, sizeof(source), "fitted by augur fit --layer-times %s (%s)", lt->path,
	         lt->source ? lt->source : "layer times");
	p->name = strdup(board);
	p->description = strdup(b->description);
	p->source = strdup(source);
	p->augur_version = strdup(AUGUR_VERSION);
	char date[32];
	time_t now = time(NULL);
	struct tm tmv;
	strftime(date, sizeof(date), "%Y-%m-%d", gmtime_r(&now, &tmv));
	p->created = strdup(date);
	p->cpu_model = strdup(b->cpu);
	p->ram_bytes = b->ram_bytes;
	p->cpu_cores = b->cores;
	p->pointer_bits = b->pointer_bits;
	/* boards described by layer-time files are SoCs whose GPU shares the RAM */
	p->shared_memory = true;
	int rc = AUGUR_OK;
	if (!p->name || !p->description || !p->source || !p->augur_version || !p->cpu_model ||
	    !p->created)
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
	for (int k = 0; k < 2 && !rc; k++) {
		enum augur_unit_kind kind = k ? AUGUR_UNIT_GPU : AUGUR_UNIT_CPU;
		if (!has_rows(lt, board, kind))
			continue;
		struct augur_unit *u = augur_unit_new(kind);
		if (!u) {
			rc = augur_diag_set(diag, AUGUR_E_NOMEM, lt->path, 0, 0, "out of memory");
			break;
		}
		u->library = dup_or_null(kind ? "cuBLAS (as used by Caffe)"
		                              : "OpenBLAS (as used by Caffe)");
		u->processor = dup_or_null(kind ? b->gpu : b->cpu);
		u->memory_bytes = b->ram_bytes;
		u->weights_copied = kind == AUGUR_UNIT_GPU;
		if (kind)
			p->gpu = u;
		else
			p->cpu = u;
	}
	if (!rc)
		rc = augur_profile_fit_layer_times(p, lt, diag);
	if (rc) {
		augur_profile_free(p);
		return rc;
	}
	*out = p;
	return AUGUR_OK;
}
