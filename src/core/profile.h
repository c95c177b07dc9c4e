/* Device profiles: what augur knows about a board (docs/profiles.md). A profile names the
 * device, records the machine and memory facts, and holds per processing unit (cpu, gpu)
 * a GEMM time model, its fit quality and every raw sample it was fitted from, so a
 * profile is self-describing and can be refitted (augur fit) without the board. */
#ifndef AUGUR_PROFILE_H
#define AUGUR_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layercost.h"
#include "memory.h"
#include "sample.h"
#include "status.h"
#include "timemodel.h"

enum augur_unit_kind { AUGUR_UNIT_CPU, AUGUR_UNIT_GPU };

struct augur_unit {
	enum augur_unit_kind kind;
	char *library;                        /* "OpenBLAS 0.3.21 (pthread)", "cuBLAS 13.0" */
	char *processor;                      /* "Intel Xeon ...", "NVIDIA H100" */
	uint32_t threads;                     /* BLAS threads used (cpu) */
	uint64_t memory_bytes;                /* memory this unit can use (the board's RAM when
	                                         shared; a discrete GPU's own memory) */
	uint64_t framework_overhead_bytes;    /* what the framework itself holds (Table 4 rows
	                                         minus the model's own memory) */
	uint64_t overhead_without_conv_bytes; /* the same for a network without convolutions,
	                                         which never loads the framework's convolution
	                                         machinery; 0: not fitted (the one above) */
	bool weights_copied;                  /* a GPU run on shared memory holds the weights
	                                         twice (the paper's section 4.2) */
	struct augur_timemodel gemm;
	struct augur_fit_quality quality;
	struct augur_layer_costs *costs; /* every layer's cost (NULL: GEMM time only) */
	size_t n_samples;
	struct augur_sample *samples; /* owned */
	uint64_t calls_fitted_max;    /* derived, not stored: the most GEMM calls one layer of
	                                 an aggregate sample made (0: no aggregate samples,
	                                 every call was timed on its own) */
};

/* What a profile records of the machine beyond its CPU (format 2, 'machine:'): the facts
 * the layer-cost model derives its thresholds from (layercost.h). 0 or NAN: not known. */
struct augur_machine_facts {
	uint64_t llc_bytes;           /* last-level cache (L3; on a board without one, its L2) */
	uint64_t l2_bytes;            /* L2 cache of one core (shared by several on some boards) */
	uint64_t l1d_bytes;           /* L1 data cache of one core */
	uint64_t page_bytes;          /* the kernel's page size */
	double stream_gib_per_s;      /* measured streaming bandwidth, GiB/s (NAN: not measured) */
	double fault_ms_per_mib;      /* measured cost of page faults per MiB touched (NAN) */
	uint64_t llc_effective_bytes; /* measured: reads of up to this many bytes run at cache
	                                 speed. A VM's sysfs may name the host's whole L3 (480
	                                 MiB on one Xeon guest whose reads fell to memory speed
	                                 past 32 MiB); 0: not measured */
	double probe_ms; /* measured: augur's reference workload (netbench's speed probe, a
	                    4 MiB network in augur's runtime), its usual time in ms when the
	                    profile was calibrated; 0: not measured. augur run --device tells
	                    from it how fast the machine runs now against then. */
	uint64_t llc_fitted_bytes; /* the last-level cache the layer-cost model uses, chosen
	                              by cross-validating the fit networks at several sizes
	                              (augur_profile_choose_llc): a measured knee moves with
	                              other tenants' load (6 to 64 MiB on that guest), the
	                              networks' own times say which size describes them;
	                              0: not chosen, the knee (else llc_bytes) is used */
};

/* Which memory view a framework's process follows: allocated (every blob held for the
 * whole pass: Caffe, augur's runtime), minimal (each blob freed after its last reader, one
 * workspace at a time: analysis.h) or heap (freed as in minimal, through glibc's malloc,
 * simulated: a best-fit heap that keeps the pages it touched while buffers above
 * fresh_buffer_bytes are mapped per allocation: PyTorch on glibc; augur_memory_heap_view). */
enum augur_memory_view {
	AUGUR_VIEW_UNSTATED = 0, /* the framework does not say: allocated */
	AUGUR_VIEW_ALLOCATED,
	AUGUR_VIEW_MINIMAL,
	AUGUR_VIEW_HEAP,
};

/* How a framework runs a grouped convolution (groups > 1), which decides its workspace
 * (docs/profiles.md, 'conv_groups:'). */
enum augur_conv_groups {
	AUGUR_GROUPS_UNSTATED = 0,  /* the framework does not say: together */
	AUGUR_GROUPS_TOGETHER,      /* one im2col buffer holds every group's columns (Caffe,
	                               augur's runtime) */
	AUGUR_GROUPS_ONE_AT_A_TIME, /* each group is a convolution of its own: one group's
	                               columns at a time, and the groups' outputs in a buffer
	                               of their own until they are concatenated (PyTorch 1.13
	                               without mkldnn) */
};

/* The framework whose layer times a profile's costs describe (format 2, 'framework:'):
 * what estimate's times are for. name NULL: the profile does not say (format 1). */
struct augur_framework {
	char *name;                         /* "pytorch", "caffe"; "blas" for GEMM calls alone */
	char *version;                      /* "1.13.1"; NULL when not known */
	char *library;                      /* the GEMM library it calls ("OpenBLAS 0.3.21 ...") */
	int mkldnn;                         /* 1 on, 0 off, -1 not stated */
	uint32_t threads;                   /* 0: not stated */
	uint64_t fresh_buffer_bytes;        /* its allocator maps buffers above this afresh on every
	                                       allocation (glibc malloc: 32 MiB); 0: not known */
	int64_t pool_index_bytes;           /* bytes of index its max pooling writes per output
	                                       value (PyTorch: 8; 0: none); -1: not known */
	enum augur_memory_view memory_view; /* 'memory_view:'; UNSTATED when absent */
	enum augur_conv_groups conv_groups; /* 'conv_groups:'; UNSTATED when absent */
	int cache_terms;                    /* 'cache_terms:' 1 true, -1 false, 0 not stated */
	int pass_cliff;                     /* 'pass_cliff:' 1 true, -1 false, 0 not stated */
	int conv_im2col;                    /* 'conv_im2col:' 1 true, -1 false (direct
	                                       convolutions: oneDNN), 0 not stated (true) */
	uint32_t conv_block;                /* 'conv_block:' channels per SIMD block of its
	                                       direct convolutions (oneDNN: 16 with AVX-512);
	                                       0 when not stated (8) */
	double conv_cache_share;            /* 'conv_cache_share:' the share of each distinct
	                                       direct conv's output bytes its primitive cache
	                                       keeps alive (oneDNN under PyTorch: 0.7,
	                                       fitted); 0 when not stated */
	uint32_t lrn_temporaries;           /* buffers the size of its input its LRN holds at
	                                       once besides its output (PyTorch's
	                                       local_response_norm: 4); 0 when not stated */
	uint32_t alloc_slack_bytes;         /* 'alloc_slack_bytes:' how much larger than a
	                                       buffer a free heap chunk must be to serve it
	                                       (PyTorch's 64-byte posix_memalign on glibc: 96);
	                                       0 when not stated */
	int weights_staged;                 /* 'weights_staged:' 1 when each weight passed
	                                       through a buffer of its size, freed and its pages
	                                       given back before the passes; -1 false, 0 not
	                                       stated (false) */
	uint64_t direct_conv_min_input_values; /* 'direct_conv_min_input_values:' a conv runs
	                                       direct only when grouped, with a kernel over 3x3
	                                       both ways, a batch over 1 or more input values
	                                       than this (PyTorch 1.13: 20480; others go through
	                                       im2col and a GEMM); 0: every conv direct */
	uint32_t direct_conv_1x1_min_batch;    /* 'direct_conv_1x1_min_batch:' an unstrided,
	                                          undilated 1x1 conv on one thread runs as a GEMM
	                                          below this batch (PyTorch 1.13: 16); 0: direct */
	int affine_in_place;                   /* 'affine_in_place:' -1 when its batchnorm and
	                                          scale write a new buffer whatever the descriptor
	                                          says (PyTorch's F.batch_norm, addcmul); 1 true,
	                                          0 not stated (true: Caffe's in-place layers) */
};

struct augur_profile {
	char *name;        /* "tx1" */
	char *description; /* one line */
	char *created;     /* ISO 8601 date */
	char *augur_version;
	char *source; /* "calibrated with augur calibrate" or "fitted to Lu et al. 2017" */
	/* machine facts, free text where the board did not say (NULL = unknown) */
	char *cpu_model;
	uint32_t cpu_cores;
	char *cpu_governor;
	char *openblas_coretype; /* OPENBLAS_CORETYPE during calibration, NULL when unset */
	uint64_t ram_bytes;
	bool shared_memory; /* CPU and GPU share the RAM (TK1, TX1) */
	uint32_t pointer_bits;
	struct augur_machine_facts machine; /* format 2 */
	struct augur_framework framework;   /* format 2 */
	struct augur_unit *cpu;             /* NULL when the profile has no such unit */
	struct augur_unit *gpu;
};

struct augur_schema;
struct augur_ynode;

/* Reads a 'framework:' mapping (docs/profiles.md) into fw, whose strings must be NULL;
 * a located AUGUR_E_SCHEMA on a bad key or value (what is read stays in fw: free it with
 * augur_framework_clear). Profiles and layer-times files share it. */
int augur_framework_parse(const struct augur_schema *c, const struct augur_ynode *n,
                          struct augur_framework *fw);

/* Frees fw's strings and marks every fact unknown (as augur_profile_new leaves it). */
void augur_framework_clear(struct augur_framework *fw);

/* Replaces dst by a deep copy of src (dst may be src). AUGUR_E_NOMEM leaves dst cleared. */
int augur_framework_copy(struct augur_framework *dst, const struct augur_framework *src);

/* The last-level cache size the model uses: the one chosen by cross-validation where a
 * calibration chose one, else the measured knee where it measured one, else the one the
 * system reports; 0 when none is known. */
uint64_t augur_machine_llc(const struct augur_machine_facts *m);

/* The cache sizes a calibration reads and chooses among: 1, 1.5, 2, 3, 4, 6 ... MiB (each
 * step a half or a third more), those from lo to hi into out (at most max of them), in
 * increasing order; returns how many. */
size_t augur_cache_ladder(uint64_t lo, uint64_t hi, uint64_t *out, size_t max);

/* The layer-cost thresholds of p's machine and framework (augur_thresholds_derive): a
 * fact p does not state (every fact of a format-1 profile) takes the reference board's. */
void augur_profile_thresholds(const struct augur_profile *p, struct augur_thresholds *out);

/* The memory view fw's process follows: the one it states, else allocated (Caffe's habit,
 * and what every profile meant before 'memory_view:' existed: format-1 profiles and those
 * written without it keep their figures). The measurement adapters state it (campaign.h:
 * pytorch minimal, augur allocated). */
enum augur_memory_view augur_framework_memory_view(const struct augur_framework *fw);

/* "allocated", "minimal" or "heap" (UNSTATED: "allocated"). */
const char *augur_memory_view_name(enum augur_memory_view v);

/* How fw runs grouped convolutions: the way it states, else together (what every
 * profile meant before 'conv_groups:' existed). */
enum augur_conv_groups augur_framework_conv_groups(const struct augur_framework *fw);

/* Whether fw says cache_terms: its layers' times were shown to follow where their data
 * sits in the caches (augur_layer_cost_features gives its fits the cache features). Not
 * stated: false, so a profile or layer-times file written before the fact existed is
 * fitted with the features it was validated with. bench/validate states it true for
 * PyTorch without mkldnn. */
bool augur_framework_cache_terms(const struct augur_framework *fw);

/* Whether fw says pass_cliff: it holds every buffer of a pass and touches them in the same
 * order every pass (augur's runtime), so its layer costs were fitted with the pass cliff and
 * warm level of struct augur_thresholds; unstated = false (the log ramp). */
bool augur_framework_pass_cliff(const struct augur_framework *fw);

/* Whether fw's convolutions are direct (conv_im2col: false, PyTorch's oneDNN ones): no
 * im2col columns, but copies of the output, and of an ungrouped conv's input, in the
 * library's blocked layout. Not stated: im2col, what every profile meant before. */
bool augur_framework_conv_direct(const struct augur_framework *fw);

/* Which of fw's convolutions run direct (memory.h): all of them when fw states no
 * dispatch rule (direct_conv_min_input_values, direct_conv_1x1_min_batch), none when its
 * convolutions are not direct. */
struct augur_conv_dispatch augur_framework_conv_dispatch(const struct augur_framework *fw);

/* The channels per SIMD block of fw's direct convolutions: the one stated, else 8 (AVX2's
 * eight floats, what oneDNN blocks by on a machine without AVX-512). */
uint32_t augur_framework_conv_block(const struct augur_framework *fw);

/* "together" or "one_at_a_time" (UNSTATED: "together"). */
const char *augur_conv_groups_name(enum augur_conv_groups g);

/* One line naming p's framework, "pytorch 1.13.1, mkldnn off, 1 thread" or
 * "blas (OpenBLAS 0.3.21), 2 threads", into buf; false (buf empty) when p names none. */
bool augur_framework_describe(const struct augur_framework *fw, char *buf, size_t size);

/* Loads a profile. Any error (not YAML, missing or mistyped key, negative or NaN time,
 * inconsistent regions) is a located diagnostic; *out is NULL then. Free with
 * augur_profile_free. */
int augur_profile_load(const char *path, struct augur_profile **out, struct augur_diag *diag);

/* Whether the text in buf (len bytes) says it is a profile: a line that starts with
 * "augur_profile:", as every profile's first key does. A cheap test, for passing over other
 * YAML files kept in a profile directory; a file that claims to be a profile and is not a
 * valid one is still an error of augur_profile_parse. */
bool augur_profile_claims(const char *buf, size_t len);

/* As augur_profile_load, from len bytes held in buf; path only names it in diagnostics. */
int augur_profile_parse(const char *path, const char *buf, size_t len, struct augur_profile **out,
                        struct augur_diag *diag);

/* Writes a profile atomically (temporary file + rename). Loading what was saved gives an
 * identical profile (doubles are written with 17 significant digits). */
int augur_profile_save(const struct augur_profile *p, const char *path, struct augur_diag *diag);

/* The text augur_profile_save writes, in a new heap buffer *out of *len bytes
 * (NUL-terminated; the caller frees it). AUGUR_E_USAGE for a profile without units,
 * AUGUR_E_NOMEM; *out is NULL then. */
int augur_profile_format(const struct augur_profile *p, char **out, size_t *len);

void augur_profile_free(struct augur_profile *p);

/* A zeroed profile / unit (NULL when out of memory); a new profile's machine and
 * framework facts are all unknown (NAN rates, mkldnn and pool_index_bytes -1). Free with
 * augur_profile_free / augur_unit_free; a unit attached to a profile is freed with it. */
struct augur_profile *augur_profile_new(void);
struct augur_unit *augur_unit_new(enum augur_unit_kind kind);
void augur_unit_free(struct augur_unit *u);

/* Sets what u's samples imply: calls_fitted_max and gemm.one_per_layer (a model fitted
 * from per-layer sums); loaders and fitters call it whenever the samples change. */
void augur_unit_derive(struct augur_unit *u);

/* Appends a copy of s (label and gemms deep-copied) to u's samples. AUGUR_E_NOMEM on
 * failure, u unchanged. */
int augur_unit_add_sample(struct augur_unit *u, const struct augur_sample *s);

/* The unit named "cpu" or "gpu", or NULL when the profile lacks it. */
const struct augur_unit *augur_profile_unit(const struct augur_profile *p, const char *name);

const char *augur_unit_kind_name(enum augur_unit_kind kind);

/* Finds a profile by name or path: an existing file path is used as is; otherwise NAME is
 * looked up as NAME.yaml in each directory of $AUGUR_PROFILE_PATH (colon-separated), then
 * in the source tree's profiles/. On failure the diagnostic lists the profiles available. */
int augur_profile_find(const char *name_or_path, char *path, size_t size, struct augur_diag *diag);

/* One profile file on the search path (augur profile list). */
struct augur_profile_file {
	char *name;    /* what augur_profile_find takes: the file name without ".yaml" */
	char *path;    /* directory/NAME.yaml */
	bool shadowed; /* an earlier directory holds a profile of the same name, which
	                  augur_profile_find returns instead */
};

/* Every NAME.yaml (a regular file, not hidden) in the directories augur_profile_find
 * searches, in its order, sorted by name within a directory; missing directories are
 * skipped. The files are not loaded. *out has *n entries; free it with
 * augur_profile_files_free. Fails only with AUGUR_E_NOMEM. */
int augur_profile_list(struct augur_profile_file **out, size_t *n);
void augur_profile_files_free(struct augur_profile_file *files, size_t n);

#endif
