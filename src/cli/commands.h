/* The augur command table.
 *
 * To add a command "foo":
 *   1. write src/cli/cmd-foo.c with "int cmd_foo(int argc, char **argv)"; argv[0] is "foo";
 *      it returns 0 on success, 1 on failure, 2 on bad usage (use cli_usage_error);
 *   2. declare it below;
 *   3. describe its options in a table (options.h), "const struct cli_spec cmd_foo_spec",
 *      parse them with cli_parse, declare the spec below, and add
 *      {"foo", cmd_foo, "one-line help", "usage line", "details", &cmd_foo_spec, "notes"}
 *      to the table in augur.c: --help prints the options from the spec;
 *   4. list cmd-foo.c in src/cli/meson.build and add tests/cli tests for it.
 * Results go to stdout, diagnostics to stderr, through the helpers in cli.h. */
#ifndef AUGUR_COMMANDS_H
#define AUGUR_COMMANDS_H

struct cli_spec;

struct augur_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;            /* one line, for "augur help" */
	const char *usage;           /* synopsis, for "augur CMD --help" */
	const char *details;         /* what the command does, before the options in --help */
	const struct cli_spec *spec; /* its options (options.h): parsing and their --help */
	const char *notes;           /* after the options in --help, or NULL */
};

int cmd_estimate(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_whatif(int argc, char **argv);

/* The option tables, defined beside each command. */
extern const struct cli_spec cmd_estimate_spec;
extern const struct cli_spec cmd_calibrate_spec;
extern const struct cli_spec cmd_check_spec;
extern const struct cli_spec cmd_compare_spec;
extern const struct cli_spec cmd_fit_spec;
extern const struct cli_spec cmd_convert_spec;
extern const struct cli_spec cmd_inspect_spec;
extern const struct cli_spec cmd_plan_spec;
extern const struct cli_spec cmd_profile_spec;
extern const struct cli_spec cmd_report_spec;
extern const struct cli_spec cmd_run_spec;
extern const struct cli_spec cmd_whatif_spec;

/* The table, NULL-terminated; defined in augur.c. */
extern const struct augur_command augur_commands[];

const struct augur_command *augur_command_find(const char *name);

#endif
