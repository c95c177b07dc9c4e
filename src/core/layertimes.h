/* Layer-time files: forward times measured per layer type in a real framework on a few
 * calibration networks (the paper's Tables 2-6, or bench/validate's measurements), and
 * the memory the framework process used. They turn into aggregate samples for the GEMM
 * fitter (a network's CONV time is the sum of its conv GEMMs) and into a framework
 * overhead estimate, so a profile can be fitted without single-GEMM benchmarks.
 * Format: docs/profiles.md, "Fitting from layer times". */
#ifndef AUGUR_LAYERTIMES_H
#define AUGUR_LAYERTIMES_H

#include <stdbool.h>
#include <stddef.h>

#include "net.h"
#include "profile.h"
#include "status.h"
#include "strbuf.h"

struct augur_layer_times_row {
	char *network; /* as written: a descriptor name or path */
	char *board;   /* the profile name the row belongs to */
	enum augur_unit_kind unit;
	uint32_t batch;
	uint32_t line, col;
	bool has[AUGUR_LAYER_TYPE_COUNT];
	double type_ms[AUGUR_LAYER_TYPE_COUNT];
	double forward_ms;     /* a timed whole forward pass; 0 when not given */
	double forward_spread; /* its relative run-to-run spread; 0 when not given */
	double total_ms;       /* the sum of the layer-wise times; 0 when not given */
	/* per-layer times (bench/validate measure), in file order; n_layers == 0 when the
	 * row gives per-type sums only */
	size_t n_layers;
	char **layer_names;
	double *layer_ms;
	struct augur_loc *layer_loc;
};

struct augur_memory_row {
	char *network, *board;
	uint32_t line, col;
	double mb[2]; /* measured process memory (MB = 2^20 bytes) on cpu and gpu; 0 = absent */
};

/* What a file says about a board it has rows for (the paper's section 3 and 5.2). */
struct augur_board {
	char *name, *description, *cpu, *gpu;
	uint64_t ram_bytes;
	uint32_t pointer_bits, cores;
	uint32_t n_breaks_n, n_breaks_m; /* the GPU model's structure, when given */
	uint64_t breaks_n[AUGUR_MODEL_MAX_BREAKS], breaks_m[AUGUR_MODEL_MAX_BREAKS];
};

struct augur_layer_times {
	char *path;
	char *source;
	struct augur_framework framework; /* what the times were measured in ('framework:',
	                                     as in a profile); name NULL: the file does not say */
	size_t n_boards;
	struct augur_board *boards;
	size_t n_rows, n_memory;
	struct augur_layer_times_row *rows;
	struct augur_memory_row *memory;
};

/* Loads a layer-times file; located diagnostics on any error. Free with
 * augur_layer_times_free. */
int augur_layer_times_load(const char *path, struct augur_layer_times **out,
                           struct augur_diag *diag);
/* As augur_layer_times_load, from len bytes held in buf (NUL-terminated at buf[len]);
 * path names the file in diagnostics and resolves the networks rows name. */
int augur_layer_times_parse(const char *path, const char *buf, size_t len,
                            struct augur_layer_times **out, struct augur_diag *diag);
void augur_layer_times_free(struct augur_layer_times *lt);

/* Joins two layer-times texts measured apart (a campaign interrupted and resumed) into
 * out: first's header (comments, source, framework), then the rows of 'layer_times:' and
 * of 'memory_mb:' of first followed by those of second. A section is its key at the start
 * of a line and the indented lines after it; second's other lines are left out. Both
 * texts must be block sequences under those keys, as augur's writers and bench/validate
 * write them; the result is what augur_layer_times_parse then checks. */
void augur_layer_times_join(const char *first, const char *second, struct augur_strbuf *out);

/* augur_layer_times_join of the files at first and second, written atomically at out
 * (which may be either of them). Fails with the reader's or writer's AUGUR_E_IO, or
 * AUGUR_E_NOMEM. */
int augur_layer_times_join_files(const char *first, const char *second, const char *out,
                                 struct augur_diag *diag);

#endif
