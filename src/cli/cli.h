/* Helpers every command shares: usage errors with "did you mean", printing a core
 * diagnostic once, --help text from the command table, and number formatting for tables. */
#ifndef AUGUR_CLI_H
#define AUGUR_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "budget.h"
#include "commands.h"
#include "estimate.h"
#include "netfile.h"
#include "status.h"

enum cli_exit { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* Prints "augur CMD: error: message" on stderr and returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "augur CMD: error: message" on stderr and returns CLI_FAIL: a failure that is not
 * about one input's place (those go through cli_report). */
int cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "augur CMD: warning: message" on stderr. */
void cli_warning(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Runs getopt_long quietly; on an unknown option or a missing argument prints one line
 * naming it (with the nearest long option) and returns '?'. */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);

/* Prints "path:line:col: error: message" on stderr and returns CLI_FAIL. */
int cli_report(const struct augur_diag *diag);

/* As cli_report, for predicate commands (check), whose 1 means "no": returns 2, the
 * status of trouble (unreadable or invalid input, unknown device or unit), as grep and
 * diff do, so a script can tell a broken candidate from a slow one. */
int cli_trouble(const struct augur_diag *diag);

/* --budget values, as check and whatif take them. */
#define CLI_MAX_BUDGETS 16
struct cli_budgets {
	struct augur_budget b[CLI_MAX_BUDGETS];
	size_t n;
};

/* Adds one --budget value to a struct cli_budgets; prints the error and returns -1 when
 * it does not parse or there are too many (an options.h reader). */
int cli_budget_add(const char *cmd, const char *option, const char *value, void *budgets);

/* Prints the command's usage and details on stdout, returns CLI_OK. */
int cli_help(const char *cmd);

enum cli_format { CLI_TABLE, CLI_JSON, CLI_CSV };

/* Parses --format's value; prints the error and returns -1 when unknown. */
int cli_parse_format(const char *cmd, const char *value, enum cli_format *out);

/* Parses --unit's value (cpu, gpu or all); prints the error and returns -1 when unknown. */
int cli_parse_unit(const char *cmd, const char *value, const char **out);

/* Parses an integer option value from min to max (e.g. --batch); -1 with a message on
 * error. */
int cli_parse_uint(const char *cmd, const char *option, const char *value, uint64_t min,
                   uint64_t max, uint64_t *out);

/* One line on f saying how much of a unit's time is backed by its profile, when not every
 * layer is: "gpu: GEMM time of conv and fc only (the paper's method); 41 layers are not
 * costed: batchnorm, scale" or "cpu: time is the sum of the layer costs the profile has;
 * ...". prefix starts the line ("" or "note: "). Nothing when every layer is costed. */
void cli_print_uncosted(FILE *f, const char *prefix, const struct augur_unit_estimate *e);

/* The line under a memory verdict when the unit's memory view has a high end
 * (memory_hole_bytes): how much higher another process's peak may settle, and whether
 * that still fits. Nothing without one. */
void cli_print_memory_high(FILE *f, const struct augur_unit_estimate *e);

/* One line on f per way a unit's time is extrapolated beyond the data its profile was
 * fitted on, each saying how far: GEMMs outside the calibrated shapes, layers outside
 * their cost model's data, layers making more GEMM calls than any fitted layer did. prefix
 * starts each line. Nothing when the estimate stays within its data. */
void cli_print_extrapolated(FILE *f, const char *prefix, const struct augur_unit_estimate *e);
/* A costed layer's marks, as --layers and the report print them after its time: '*' its
 * GEMM outside the calibrated range, '+' outside its cost model's data, '~' page faults
 * that may not happen. buf holds at least 4 bytes; returns it. */
char *cli_layer_marks(char *buf, const struct augur_layer_estimate *le);

/* The names of the layer types e leaves uncosted, comma-separated, into buf. */
void cli_uncosted_types(const struct augur_unit_estimate *e, char *buf, size_t size);

/* What the calibration measured of a unit's layer costs (struct augur_cost_check), as
 * one clause: "6 of 8 networks it was not fitted on within 10% when calibrated (median
 * error 1.6%, per layer 10.4%); its 148 fit networks cross-validated: 119 within 10%".
 * false (buf empty) when the costs carry no such record. */
bool cli_cost_check(const struct augur_cost_check *k, char *buf, size_t size);

/* A unit's pass scale (struct augur_pass_scale) as one clause: "x 0.998 for a pass of up to
 * 33 MiB, x 1.021 from 792 MiB (fitted on 148 networks' forward times)". false (buf empty)
 * when the costs have none. */
bool cli_pass_scale(const struct augur_pass_scale *s, char *buf, size_t size);

/* Takes every "--input C,H,W" (or "--input=C,H,W") out of argv (up to a "--"), for the
 * commands that read a network; cli_net_load then gives the network that input size.
 * Returns 0, or CLI_USAGE after printing the error. */
int cli_take_input(const char *cmd, int *argc, char **argv);

/* Loads the network at path (any format), with the --input size when one was given. */
int cli_net_load(const char *path, struct augur_net **out, enum augur_net_format *format,
                 struct augur_diag *diag);

/* The terminal's width for tables: $COLUMNS when set and sensible, else 80. */
int cli_width(void);

/* text cut to at most width characters (UTF-8 aware), ending in "…" when cut, into buf. */
void cli_cut(char *buf, size_t size, const char *text, int width);

/* "86.7M", "1.8K", "15.4G": a count for tables (decimal units). */
void cli_count(char *buf, size_t size, uint64_t v);
/* "12.3 MiB", "588 KiB": a byte size for tables (binary units). */
void cli_bytes(char *buf, size_t size, uint64_t v);

struct jsonw;
struct augur_framework;
/* "framework": the framework a profile's times are for (name, version, library, mkldnn,
 * threads, memory_view, conv_groups, cache_terms and the text estimate prints), or null
 * when the profile does not say: one writer for estimate's and profile show's JSON. */
void cli_json_framework(struct jsonw *w, const struct augur_framework *fw);
/* cli_cost_check's record as an object "checked" (null when the costs carry none). */
void cli_json_cost_check(struct jsonw *w, const struct augur_layer_costs *costs);
/* "60,965,224": an exact count with thousands separators. */
void cli_thousands(char *buf, size_t size, uint64_t v);

/* The characters of UTF-8 text (a multi-byte sequence counts once): its width on a
 * terminal, for the text augur prints. */
int cli_chars(const char *text);

/* Prints text on f wrapped at the table width (cli_width), continuation lines indented by
 * indent spaces, then a newline. */
void cli_wrap(FILE *f, int indent, const char *text);
/* As cli_wrap, at width characters. */
void cli_wrap_at(FILE *f, int width, int indent, const char *text);
/* As cli_wrap, for the text fmt makes (at most 4 KiB). */
void cli_wrapf(FILE *f, int indent, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A time in milliseconds for tables: one decimal from 10 ms up ("475.4"), three
 * significant digits below ("2.69", "0.0213"), "0" for zero: a small time never reads as
 * 0.0. */
void cli_ms(char *buf, size_t size, double ms);
/* A table cell: v printed with fmt, or as a time (cli_ms) when fmt is NULL. */
void cli_cell(char *buf, size_t size, const char *fmt, double v);
/* "3x224x224" (channels x height x width), or "1000" for a rank-1 shape. */
void cli_shape(char *buf, size_t size, const struct augur_shape *s);
/* A byte size in MiB (2^20), the unit the paper's Table 4 uses. */
double cli_mib(uint64_t bytes);

/* Writes s as a JSON string literal (quotes and escapes included). */
void cli_json_string(FILE *f, const char *s);
/* Writes s as a CSV field, quoted when it holds a comma, quote or newline. */
void cli_csv_field(FILE *f, const char *s);

#endif
