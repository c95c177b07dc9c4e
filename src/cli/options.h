/* Declarative command-line options: each command describes its options once, in a table
 * of {name, type, field of its argument struct, help}; parsing, the usage errors and the
 * "options:" section of --help are all made from that table (after git's parse-options). */
#ifndef AUGUR_OPTIONS_H
#define AUGUR_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cli_opt_type {
	CLI_OPT_FLAG,   /* bool, set when given */
	CLI_OPT_STRING, /* const char *, the value as given */
	CLI_OPT_UINT,   /* uint64_t from min to max */
	CLI_OPT_FORMAT, /* enum cli_format: table, json or csv */
	CLI_OPT_UNIT,   /* const char *: cpu, gpu or all */
	CLI_OPT_CHOICE, /* const char *: one of choices (which must hold the value's spelling) */
	CLI_OPT_LIST,   /* const char *[max] with a size_t count: a repeatable option */
	CLI_OPT_CALL,   /* call(cmd, option, value, field): a value with a reader of its own */
};

struct cli_opt {
	const char *name; /* long name, without "--" */
	char letter;      /* short alias ("-o"), or 0 */
	enum cli_opt_type type;
	size_t field;               /* offset of the value in the command's argument struct */
	size_t count_field;         /* CLI_OPT_LIST: offset of its size_t count */
	uint64_t min, max;          /* CLI_OPT_UINT: range; CLI_OPT_LIST: max is the capacity */
	const char *const *choices; /* CLI_OPT_CHOICE: NULL-terminated */
	const char *noun;           /* CLI_OPT_CHOICE: what a value is, for errors (the name) */
	/* CLI_OPT_CALL: reads value of option (its long name) into the field; returns 0, or
	 * prints one usage error and returns -1 */
	int (*call)(const char *cmd, const char *option, const char *value, void *field);
	const char *arg;      /* the value's name in --help ("D", "N"); NULL for a flag */
	const char *help;     /* for --help; '\n' starts an indented continuation line */
	const char *required; /* when set, the option must be given: what it is, for the error */
};

/* A command's options and positional arguments. */
struct cli_spec {
	const char *cmd;            /* for messages: "augur CMD: ..." */
	const struct cli_opt *opts; /* ends with an entry whose name is NULL */
	int min_args, max_args;     /* positional arguments; max_args -1: no limit */
	const char *args_name;      /* what is missing when too few: "a descriptor" */
	bool takes_input; /* reads networks: takes --input C,H,W (cli_take_input, before parsing) */
};

/* Parses argv[1..] (argv[0] is the command) into args by spec. On success returns 0 and
 * sets *rest to the positional arguments and *n_rest to their count; on bad usage prints
 * one line ("augur CMD: unknown option '--devcie' (did you mean '--device'?)", a bad
 * value, a missing or extra argument) and returns -1. args keeps its defaults for options
 * not given. */
int cli_parse(const struct cli_spec *spec, int argc, char **argv, void *args, char ***rest,
              int *n_rest);

/* Prints the "options:" section of --help for spec on stdout (nothing without options). */
void cli_print_options(const struct cli_spec *spec);

/* Table entries. T is the command's argument struct, F its field: a type and a member
 * name, which offsetof takes bare, so the check for unparenthesised macro arguments is
 * off for these definitions. */
// NOLINTBEGIN(bugprone-macro-parentheses)
#define CLI_FLAG(NAME, T, F, HELP)                                                                 \
	{                                                                                          \
		.name = NAME, .type = CLI_OPT_FLAG, .field = offsetof(T, F), .help = HELP          \
	}
#define CLI_STRING(NAME, T, F, ARG, HELP)                                                          \
	{                                                                                          \
		.name = NAME, .type = CLI_OPT_STRING, .field = offsetof(T, F), .arg = ARG,         \
		.help = HELP                                                                       \
	}
#define CLI_UINT(NAME, T, F, MIN, MAX, ARG, HELP)                                                  \
	{                                                                                          \
		.name = NAME, .type = CLI_OPT_UINT, .field = offsetof(T, F), .min = MIN,           \
		.max = MAX, .arg = ARG, .help = HELP                                               \
	}
#define CLI_FORMAT(T, F, HELP)                                                                     \
	{                                                                                          \
		.name = "format", .type = CLI_OPT_FORMAT, .field = offsetof(T, F), .arg = "FMT",   \
		.help = HELP                                                                       \
	}
#define CLI_UNIT(T, F, HELP)                                                                       \
	{                                                                                          \
		.name = "unit", .type = CLI_OPT_UNIT, .field = offsetof(T, F), .arg = "U",         \
		.help = HELP                                                                       \
	}
#define CLI_CHOICE(NAME, T, F, CHOICES, ARG, HELP)                                                 \
	{                                                                                          \
		.name = NAME, .type = CLI_OPT_CHOICE, .field = offsetof(T, F), .choices = CHOICES, \
		.arg = ARG, .help = HELP                                                           \
	}
#define CLI_LIST(NAME, T, F, COUNT, ARG, HELP)                                                     \
	{                                                                                          \
		.name = NAME, .type = CLI_OPT_LIST, .field = offsetof(T, F),                       \
		.count_field = offsetof(T, COUNT),                                                 \
		.max = sizeof(((T *)0)->F) / sizeof(((T *)0)->F[0]), .arg = ARG, .help = HELP      \
	}
#define CLI_CALL(NAME, T, F, FN, ARG, HELP)                                                        \
	{                                                                                          \
		.name = NAME, .type = CLI_OPT_CALL, .field = offsetof(T, F), .call = FN,           \
		.arg = ARG, .help = HELP                                                           \
	}
/* -o, --output FILE */
#define CLI_OUTPUT(T, F, HELP)                                                                     \
	{                                                                                          \
		.name = "output", .letter = 'o', .type = CLI_OPT_STRING, .field = offsetof(T, F),  \
		.arg = "FILE", .help = HELP                                                        \
	}
#define CLI_END                                                                                    \
	{                                                                                          \
		.name = NULL                                                                       \
	}

/* The options several commands share, with one wording. */
#define CLI_DEVICE(T, F)                                                                           \
	{                                                                                          \
		.name = "device", .type = CLI_OPT_STRING, .field = offsetof(T, F), .arg = "D",     \
		.help = "the device profile (required)",                                           \
		.required = "a profile name from profiles/, e.g. tx1, or a path"                   \
	}
#define CLI_BATCH(T, F)                                                                            \
	CLI_UINT("batch", T, F, 1, AUGUR_MAX_BATCH, "N",                                           \
	         "images per forward pass (default: the descriptor's, or 1)")
#define CLI_UNITS(T, F)            CLI_UNIT(T, F, "cpu, gpu or all (default: every unit the profile has)")
#define CLI_SET(T, F, COUNT, HELP) CLI_LIST("set", T, F, COUNT, "A=V", HELP)
#define CLI_BUDGETS(T, F, HELP)    CLI_CALL("budget", T, F, cli_budget_add, "B", HELP)
// NOLINTEND(bugprone-macro-parentheses)

#endif
