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

#include "layercost.h"
#include "net.h"
#include "profile.h"
#include "status.h"

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
void augur_layer_times_free(struct augur_layer_times *lt);

/* Loads the network a row names: NAME.yaml / a path relative to the layer-times file, else
 * descriptors/NAME.yaml of the source tree. */
int augur_layer_times_network(const struct augur_layer_times *lt, const char *network,
                              uint32_t line, uint32_t col, struct augur_net **out,
                              struct augur_diag *diag);

/* Builds the aggregate GEMM samples of every row for (board, unit): one sample per row and
 * per GEMM layer type (conv, fc) the row times, labelled "alexnet conv". *out is a new
 * array of *n samples (free each with augur_sample_clear, then the array). */
int augur_layer_times_samples(const struct augur_layer_times *lt, const char *board,
                              enum augur_unit_kind unit, struct augur_sample **out, size_t *n,
                              struct augur_diag *diag);

/* Framework overhead for (board, unit): the median over memory rows of measured memory
 * minus what augur predicts without overhead (allocated view, plus the second copy of the
 * weights for a GPU on shared memory when weights_copied). Returns AUGUR_E_USAGE when no
 * row has that unit; *rows_used tells how many rows it used. */
int augur_layer_times_overhead(const struct augur_layer_times *lt, const char *board,
                               enum augur_unit_kind unit, bool shared_memory, bool weights_copied,
                               uint64_t *overhead_bytes, size_t *rows_used,
                               struct augur_diag *diag);

/* Builds the layer-cost rows for (board, unit) (layercost.h): one per layer of every row
 * that has per-layer times, and one per non-GEMM layer type of every row that has only
 * per-type sums whose layer-wise total agrees with its timed forward pass within 10% (on
 * the paper's GPUs the layer-wise sums are inflated by per-layer synchronisation: 673 ms
 * against a 149 ms forward pass for ResNet-50 on the TK1). gemm predicts the GEMM
 * feature. *out is a new array of *n rows (free it). */
int augur_layer_times_cost_rows(const struct augur_layer_times *lt, const char *board,
                                enum augur_unit_kind unit, const struct augur_timemodel *gemm,
                                struct augur_cost_row **out, size_t *n, struct augur_diag *diag);

/* Creates a profile for a board the file describes under 'boards:' (facts, shared memory,
 * a cpu and a gpu unit when rows exist for them), then fits it as
 * augur_profile_fit_layer_times does. *out is freed with augur_profile_free. */
int augur_profile_from_layer_times(const struct augur_layer_times *lt, const char *board,
                                   struct augur_profile **out, struct augur_diag *diag);

/* Refits every unit of p from the file's rows for board p->name. Rows with per-type sums
 * only (the paper's tables): the GEMM model from the conv and fc aggregate samples (terms
 * n*k*m, n*k and 1; a GPU model split at the n breakpoints the file gives for the board),
 * replacing the unit's samples. Rows with per-layer times (a real framework measured on
 * this board): the unit keeps its calibrated GEMM model, which must exist. Then in both
 * cases the layer costs from augur_layer_times_cost_rows, and the framework overhead from
 * the memory rows. */
int augur_profile_fit_layer_times(struct augur_profile *p, const struct augur_layer_times *lt,
                                  struct augur_diag *diag);

#endif
