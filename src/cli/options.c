/* Declarative command-line options (see options.h): getopt_long driven by a command's
 * table, each value parsed by its type into the command's argument struct. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "options.h"

/* getopt_long's val for the option at index i of a table (above any character) */
#define LONG_VAL(i) (256 + (i))
#define MAX_OPTS    48

static void *field(void *args, size_t offset)
{
	return (char *)args + offset;
}

static int parse_choice(const char *cmd, const struct cli_opt *o, const char *value,
                        const char **out)
{
	for (const char *const *c = o->choices; *c; c++)
		if (!strcmp(value, *c)) {
			*out = *c;
			return 0;
		}
	char expected[256] = "";
	for (const char *const *c = o->choices; *c; c++) {
		const char *sep = c == o->choices ? "" : c[1] ? ", " : " or ";
		size_t len = strlen(expected);
		snprintf(expected + len, sizeof(expected) - len, "%s%s", sep, *c);
	}
	cli_usage_error(cmd, "unknown %s '%s' (expected %s)", o->noun ? o->noun : o->name, value,
	                expected);
	return -1;
}

/* One option's value into args; prints the usage error and returns -1 when bad. */
static int set_value(const struct cli_spec *spec, const struct cli_opt *o, const char *value,
                     void *args)
{
	void *f = field(args, o->field);
	char option[64];
	switch (o->type) {
	case CLI_OPT_FLAG:
		*(bool *)f = true;
		return 0;
	case CLI_OPT_STRING:
		*(const char **)f = value;
		return 0;
	case CLI_OPT_UINT: {
		snprintf(option, sizeof(option), "--%s", o->name);
		return cli_parse_uint(spec->cmd, option, value, o->min, o->max, (uint64_t *)f);
	}
	case CLI_OPT_FORMAT:
		return cli_parse_format(spec->cmd, value, (enum cli_format *)f);
	case CLI_OPT_UNIT:
		return cli_parse_unit(spec->cmd, value, (const char **)f);
	case CLI_OPT_CHOICE:
		return parse_choice(spec->cmd, o, value, (const char **)f);
	case CLI_OPT_LIST: {
		size_t *n = field(args, o->count_field);
		if (*n == o->max) {
			cli_usage_error(spec->cmd, "at most %llu --%s", (unsigned long long)o->max,
			                o->name);
			return -1;
		}
		((const char **)f)[(*n)++] = value;
		return 0;
	}
	case CLI_OPT_CALL:
		return o->call(spec->cmd, o->name, value, f);
	}
	return -1;
}

/* The table's entry for what getopt_long returned: a long option's index or a letter. */
static const struct cli_opt *option_for(const struct cli_opt *opts, size_t n, int c)
{
	if (c >= LONG_VAL(0) && c < LONG_VAL((int)n))
		return &opts[c - LONG_VAL(0)];
	for (size_t i = 0; i < n; i++)
		if (opts[i].letter == c)
			return &opts[i];
	return NULL;
}

int cli_parse(const struct cli_spec *spec, int argc, char **argv, void *args, char ***rest,
              int *n_rest)
{
	struct option longopts[MAX_OPTS + 1];
	char shortopts[2 * MAX_OPTS + 1];
	size_t n = 0, s = 0;
	for (const struct cli_opt *o = spec->opts; o->name && n < MAX_OPTS; o++, n++) {
		longopts[n] = (struct option){o->name, o->arg ? required_argument : no_argument,
		                              NULL, LONG_VAL(n)};
		if (o->letter) {
			shortopts[s++] = o->letter;
			if (o->arg)
				shortopts[s++] = ':';
		}
	}
	longopts[n] = (struct option){NULL, 0, NULL, 0};
	shortopts[s] = '\0';
	bool given[MAX_OPTS] = {false};
	optind = 1;
	int c;
	while ((c = cli_getopt(argc, argv, shortopts, longopts)) != -1) {
		const struct cli_opt *o = option_for(spec->opts, n, c);
		if (!o || set_value(spec, o, optarg, args))
			return -1;
		given[o - spec->opts] = true;
	}
	int count = argc - optind;
	const char *usage = augur_command_find(spec->cmd)->usage;
	if (count < spec->min_args) {
		cli_usage_error(spec->cmd, "expects %s (usage: %s)", spec->args_name, usage);
		return -1;
	}
	if (spec->max_args >= 0 && count > spec->max_args) {
		cli_usage_error(spec->cmd, "unexpected argument '%s' (usage: %s)",
		                argv[optind + spec->max_args], usage);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (spec->opts[i].required && !given[i]) {
			cli_usage_error(spec->cmd, "needs --%s (%s)", spec->opts[i].name,
			                spec->opts[i].required);
			return -1;
		}
	*rest = argv + optind;
	*n_rest = count;
	return 0;
}

/* "-o, --output FILE" or "--batch N" */
static int option_label(char *buf, size_t size, const struct cli_opt *o)
{
	char letter[8] = "";
	if (o->letter)
		snprintf(letter, sizeof(letter), "-%c, ", o->letter);
	return snprintf(buf, size, "%s--%s%s%s", letter, o->name, o->arg ? " " : "",
	                o->arg ? o->arg : "");
}

void cli_print_options(const struct cli_spec *spec)
{
	if (!spec || !spec->opts || !spec->opts->name)
		return;
	/* the help column: after the longest label, within reason; a longer label puts its
	 * text on the same line after two spaces */
	int column = 0;
	char label[128];
	for (const struct cli_opt *o = spec->opts; o->name; o++) {
		int len = option_label(label, sizeof(label), o);
		if (len <= 18 && len > column)
			column = len;
	}
	if (spec->takes_input && column < 13)
		column = 13; /* "--input C,H,W" */
	column += 4;         /* two before the label, two after */
	printf("options:\n");
	if (spec->takes_input)
		printf("  --input C,H,W%*sthe network's input size, in place of the descriptor's\n"
		       "%*s(a placeholder such as 1x1 in a deploy file)\n",
		       column - 15, "", column, "");
	for (const struct cli_opt *o = spec->opts; o->name; o++) {
		int len = option_label(label, sizeof(label), o);
		int pad = column - 2 - len;
		printf("  %s%*s", label, pad >= 2 ? pad : 2, "");
		for (const char *h = o->help; *h;) {
			size_t line = strcspn(h, "\n");
			printf("%.*s\n", (int)line, h);
			h += line;
			if (*h == '\n' && *++h)
				printf("%*s", column, "");
		}
	}
}
