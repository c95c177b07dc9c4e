/* The augur command table.
 *
 * To add a command "foo":
 *   1. write src/cli/cmd-foo.c with "int cmd_foo(int argc, char **argv)"; argv[0] is "foo";
 *      it returns 0 on success, 1 on failure, 2 on bad usage (use cli_usage_error);
 *   2. declare it below;
 *   3. add {"foo", cmd_foo, "one-line help", "usage line"} to the table in augur.c;
 *   4. list cmd-foo.c in src/cli/meson.build and add tests/cli tests for it.
 * Results go to stdout, diagnostics to stderr, through the helpers in cli.h. */
#ifndef AUGUR_COMMANDS_H
#define AUGUR_COMMANDS_H

struct augur_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;    /* one line, for "augur help" */
	const char *usage;   /* synopsis, for "augur CMD --help" */
	const char *details; /* options and notes, for "augur CMD --help" */
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

/* The table, NULL-terminated; defined in augur.c. */
extern const struct augur_command augur_commands[];

const struct augur_command *augur_command_find(const char *name);

#endif
