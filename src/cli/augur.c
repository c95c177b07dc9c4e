/* augur's entry point: one table of commands, dispatch by name, help and version from the
 * table. Each command lives in src/cli/cmd-<name>.c (see commands.h). */
#include <stdio.h>
#include <string.h>

#include "augur-config.h"
#include "cli.h"
#include "commands.h"
#include "net.h"

const struct augur_command augur_commands[] = {
        {"inspect", cmd_inspect,
         "trace a network: shapes, parameters, MACs, FLOPs, GEMMs and memory per layer",
         "augur inspect NET [--format table|json|csv] [--batch N]",
         "NET is a descriptor: augur YAML (docs/descriptors.md) or a Caffe deploy\n"
         "prototxt (docs/prototxt.md), told apart by content.\n"
         "\n"
         "options:\n"
         "  --format FMT   table (default, for people), json (everything, for scripts)\n"
         "                 or csv (one row per layer); field names in docs/output.md\n"
         "  --batch N      images per forward pass (default: the descriptor's batch, or 1)\n"},
        {"convert", cmd_convert,
         "write a network (e.g. a Caffe prototxt) as an augur YAML descriptor",
         "augur convert NET [-o FILE]",
         "NET is a Caffe deploy prototxt (docs/prototxt.md) or an augur YAML descriptor;\n"
         "the output is the equivalent YAML descriptor, one line per layer, with only the\n"
         "keys that differ from their defaults. The network is traced first: one that\n"
         "cannot be analysed is reported, not written.\n"
         "\n"
         "options:\n"
         "  -o, --output FILE   write FILE (atomically: all or nothing) instead of stdout\n"},
        {"help", cmd_help, "show the commands, or one command's options", "augur help [COMMAND]",
         NULL},
        {NULL, NULL, NULL, NULL, NULL},
};

const struct augur_command *augur_command_find(const char *name)
{
	for (const struct augur_command *c = augur_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static void overview(FILE *f)
{
	fprintf(f, "usage: augur COMMAND [ARGS]\n\n"
	           "Predicts the forward-pass time and memory of a CNN on a device, from its "
	           "descriptor.\n\ncommands:\n");
	for (const struct augur_command *c = augur_commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->help);
	fprintf(f, "\n'augur COMMAND --help' shows a command's options; 'augur --version' the "
	           "version.\n");
}

int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		overview(stdout);
		return CLI_OK;
	}
	if (!augur_command_find(argv[1]))
		return cli_usage_error("help", "unknown command '%s'", argv[1]);
	return cli_help(argv[1]);
}

static int unknown_command(const char *name)
{
	const char *names[64];
	size_t n = 0;
	for (const struct augur_command *c = augur_commands; c->name && n < 64; c++)
		names[n++] = c->name;
	const char *near = augur_nearest(name, names, n);
	if (near)
		fprintf(stderr, "augur: unknown command '%s' (did you mean '%s'?)\n", name, near);
	else
		fprintf(stderr, "augur: unknown command '%s' (see 'augur help')\n", name);
	return CLI_USAGE;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		overview(stderr);
		return CLI_USAGE;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		printf("augur %s\n", AUGUR_VERSION);
		return CLI_OK;
	}
	if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		name = "help";
	const struct augur_command *c = augur_command_find(name);
	if (!c)
		return unknown_command(name);
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return cli_help(c->name);
	}
	argv[1] = (char *)c->name;
	return c->run(argc - 1, argv + 1);
}
