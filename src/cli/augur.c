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
         "NET is a descriptor (docs/descriptors.md).\n"
         "\n"
         "options:\n"
         "  --format FMT   table (default, for people), json (everything, for scripts)\n"
         "                 or csv (one row per layer); field names in docs/output.md\n"
         "  --batch N      images per forward pass (default: the descriptor's batch, or 1)\n"},
        {"calibrate", cmd_calibrate, "time GEMMs on this machine and write its device profile",
         "augur calibrate --device NAME [--unit cpu|gpu] [--threads N] [--quick] [--out FILE]",
         "Runs on the board itself: times cblas_sgemm (cpu) or cublasSgemm (gpu) over the\n"
         "paper's (n, k, m) grid, fc shapes and held-out GEMMs of real networks, fits the\n"
         "unit's time model and writes profiles/NAME.yaml (docs/profiles.md) at the end.\n"
         "An existing profile keeps its other unit. Ctrl-C leaves it untouched.\n"
         "\n"
         "options:\n"
         "  --device NAME       the profile's name (letters, digits, '-', '_', '.')\n"
         "  --unit cpu|gpu      the processing unit to calibrate (default cpu)\n"
         "  --threads N         BLAS threads (default: OpenBLAS's own choice)\n"
         "  --quick             a subset of the grid and shorter trials (~15 s)\n"
         "  --out FILE          write FILE instead of profiles/NAME.yaml\n"
         "  --budget SECONDS    measuring time budget (default 90, quick 14)\n"
         "  --description TEXT  the profile's one-line description\n"},
        {"fit", cmd_fit, "refit a profile's time models from its stored samples",
         "augur fit PROFILE [--out FILE] [--unit cpu|gpu] [--terms LIST] [--breaks-n LIST] "
         "[--breaks-m LIST]",
         "PROFILE is a name (see 'augur profile show') or a path. Without --out the\n"
         "profile is rewritten in place (atomically).\n"
         "\n"
         "options:\n"
         "  --unit cpu|gpu    refit only this unit\n"
         "  --terms LIST      terms to fit, e.g. nkm,one (default nkm,nk,km,nm,one)\n"
         "  --breaks-n LIST   fixed breakpoints along n, e.g. 128, or none\n"
         "  --breaks-m LIST   fixed breakpoints along m, e.g. 784,3136, or none\n"
         "                    (without either, breakpoints are chosen by cross-validation)\n"},
        {"profile", cmd_profile, "show a device profile: machine, model, fit quality, range",
         "augur profile show NAME", "NAME is a profile name or a path.\n"},
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
