/* augur's entry point: one table of commands, dispatch by name, help and version from the
 * table. Each command lives in src/cli/cmd-<name>.c (see commands.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "augur-config.h"
#include "cli.h"
#include "commands.h"
#include "suggest.h"

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
        {"estimate", cmd_estimate,
         "predict forward time and memory of a network on a device, per CPU/GPU",
         "augur estimate NET --device D [--unit cpu|gpu|all] [--layers] [--batch N] "
         "[--format table|json|csv]",
         "NET is a descriptor; D a profile name from profiles/ (or $AUGUR_PROFILE_PATH) or a\n"
         "profile file (docs/profiles.md).\n"
         "\n"
         "options:\n"
         "  --device D     the device profile (required)\n"
         "  --unit U       cpu, gpu or all (default: every unit the profile has)\n"
         "  --layers       add the per-layer table: time per unit, share, live memory\n"
         "  --batch N      images per forward pass (default: the descriptor's, or 1)\n"
         "  --format FMT   table, json (every figure) or csv (per layer); docs/output.md\n"
         "\n"
         "Time is the sum of predicted GEMM times of conv and fc layers (the paper's method);\n"
         "layers whose cost the profile does not model are listed. Memory is what an im2col\n"
         "framework allocates, plus the profile's framework overhead, plus a second copy of\n"
         "the weights for a GPU that shares the RAM; the verdict compares it with the unit's\n"
         "memory.\n"},
        {"plan", cmd_plan, "advise where to run each layer on a board with a CPU and a GPU",
         "augur plan NET --device D [--set LAYER.KEY=V ...] [--batch N] [--layers] "
         "[--fc-parts P] [--format table|json|csv]",
         "Per layer, the predicted time on each unit of the profile (as estimate); then the\n"
         "fastest single-unit plan, a per-layer split (each layer on its faster unit) when\n"
         "CPU and GPU share memory, and, when the network does not fit in the GPU's memory,\n"
         "the remedies of Rallapalli et al. (very deep CNNs on a TK1): the fc layers on the\n"
         "CPU pipelined with the next frame's conv layers on the GPU, and the largest fc\n"
         "layer's GEMM split into parts. Each plan with time, memory and whether it fits;\n"
         "formulas in docs/plan.md, output fields in docs/output.md.\n"
         "\n"
         "options:\n"
         "  --device D     the device profile (required)\n"
         "  --set A=V      edit the descriptor first, as whatif does (repeatable)\n"
         "  --batch N      images per forward pass (default: the descriptor's, or 1)\n"
         "  --layers       add the per-layer table: time per unit and the unit it runs on\n"
         "  --fc-parts P   parts of the split-fc remedy (default: the fewest that fit)\n"
         "  --format FMT   table, json (every figure) or csv (per layer)\n"},
        {"report", cmd_report,
         "draw a network on a device: one HTML page of time, memory and GEMM charts",
         "augur report NET --device D [--unit cpu|gpu|all] [--batch N] [-o FILE]",
         "One self-contained HTML file (inline SVG and CSS, no script, nothing fetched):\n"
         "the profile and its model, totals per unit, per-layer time stacked GEMM /\n"
         "memory-bound / other, time by layer type, the memory timeline and the three\n"
         "memory views, the network's GEMM shapes on the calibrated range, and the top\n"
         "layers. The numbers are estimate's and inspect's (docs/report.md).\n"
         "\n"
         "options:\n"
         "  --device D         the device profile (required)\n"
         "  --unit U           cpu, gpu or all (default: every unit the profile has)\n"
         "  --batch N          images per forward pass (default: the descriptor's, or 1)\n"
         "  -o, --output FILE  where to write (atomically; '-' for stdout); default\n"
         "                     NAME-report.html for the network's NAME\n"},
        {"calibrate", cmd_calibrate, "time GEMMs on this machine and write its device profile",
         "augur calibrate --device NAME [--unit cpu|gpu] [--threads N] [--quick] [--out FILE]",
         "Runs on the board itself: times cblas_sgemm (cpu) or cublasSgemm (gpu) over the\n"
         "paper's (n, k, m) grid, fc shapes and held-out GEMMs of real networks, fits the\n"
         "unit's time model and writes NAME.yaml in the user's profile directory\n"
         "($XDG_DATA_HOME/augur/profiles, else ~/.local/share/augur/profiles) at the end.\n"
         "An existing profile keeps its other unit. Ctrl-C (or SIGTERM) stops the run,\n"
         "prints what was measured and leaves the profile untouched.\n"
         "\n"
         "options:\n"
         "  --device NAME       the profile's name (letters, digits, '-', '_', '.')\n"
         "  --unit cpu|gpu      the processing unit to calibrate (default cpu)\n"
         "  --threads N         BLAS threads (default: OpenBLAS's own choice, which\n"
         "                      follows $OPENBLAS_NUM_THREADS); the profile records it\n"
         "  --quick             a subset of the grid and shorter trials (~15 s)\n"
         "  --grid G            full (default), quick (= --quick) or tiny: 18 small\n"
         "                      shapes in about a second, for testing augur itself\n"
         "                      (its model is valid for small GEMMs only)\n"
         "  --out FILE          write FILE instead (estimate takes a path as --device)\n"
         "  --budget SECONDS    measuring time budget (default 90, quick 14, tiny 10)\n"
         "  --description TEXT  the profile's one-line description\n"
         "  --progress P        auto (a bar on a terminal, else nothing), bar, lines\n"
         "                      (one line per shape, for logs) or none\n"
         "  --trial-ms MS       each of a shape's timing trials repeats the GEMM for at\n"
         "                      least MS ms (default 40, quick 15, tiny 2)\n"
         "  --verbose           list the shapes the time budget made it skip\n"
         "\n"
         "Ends with a verdict against the calibration's goal (held-out median error at\n"
         "most 5% for the full grid, 10% for --quick), a warning when the machine looked\n"
         "busy, and the command to use the profile.\n"},
        {"fit", cmd_fit, "refit a profile's time models from its stored samples",
         "augur fit PROFILE [--out FILE] [--unit cpu|gpu] [--terms LIST] [--breaks-n LIST] "
         "[--breaks-m LIST]\n       augur fit [PROFILE] --layer-times FILE [--board NAME] "
         "[--out FILE]",
         "PROFILE is a name (see 'augur profile show') or a path. Without --out the\n"
         "profile is rewritten in place (atomically).\n"
         "\n"
         "options:\n"
         "  --unit cpu|gpu    refit only this unit\n"
         "  --terms LIST      terms to fit, e.g. nkm,one (default nkm,nk,km,nm,one,nk_4k,km_4k)\n"
         "  --breaks-n LIST   fixed breakpoints along n, e.g. 128, or none\n"
         "  --breaks-m LIST   fixed breakpoints along m, e.g. 784,3136, or none\n"
         "                    (without either, breakpoints are chosen by cross-validation)\n"
         "  --layer-times F   fit from per-layer-type times measured in a framework (F, a\n"
         "                    layer-times file: docs/profiles.md) instead of GEMM samples;\n"
         "                    also fits the framework overhead from F's memory rows\n"
         "  --board NAME      the board F's rows are for (default: the profile's name);\n"
         "                    without PROFILE, a new profile for NAME (needs --out)\n"},
        {"profile", cmd_profile, "show or list device profiles: machine, model, fit quality, range",
         "augur profile show NAME\n       augur profile list [--format table|json|csv]\n"
         "       augur profile plot NAME [-o FILE]",
         "show: NAME is a profile name or a path; prints the machine, and per unit the\n"
         "library, threads, memory, model regions, validity range and fit quality.\n"
         "list: every profile on the search path ($AUGUR_PROFILE_PATH, then the source\n"
         "tree's profiles/), one line each: name, units, description, path. A name found\n"
         "twice is marked shadowed: 'augur ... --device NAME' uses the first. A profile\n"
         "that does not load is reported on stderr (exit 1).\n"
         "plot: one HTML page of the calibration (docs/report.md): measured against\n"
         "predicted time of every stored sample coloured by model region, held-out ones\n"
         "marked; relative error by size; the regions; the layer-cost fit's error per\n"
         "type. -o FILE writes FILE ('-': stdout; default NAME-profile.html).\n"},
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
        {"whatif", cmd_whatif,
         "change layers on paper and see time and memory move (before/after, or sweeps)",
         "augur whatif NET --device D (--set LAYER.KEY=V ... | --sweep KEY=V1,V2,... [--sweep ...]) "
         "[--unit U] [--batch N] [--format table|json|csv] [--plot FILE [--budget B ...]]",
         "options:\n"
         "  --set A=V      edit the descriptor: LAYER.KEY=VALUE (fc6.outputs=2048,\n"
         "                 conv1.kernel=[5,5]), input=[C,H,W] or batch=N; repeatable\n"
         "  --sweep K=V,.. one row per value (input=224,320 for square inputs); two sweeps\n"
         "                 give the cross product; applied after every --set\n"
         "  --device D, --unit U, --batch N, --format FMT: as for estimate\n"
         "  --plot FILE    also draw the sweep as an HTML page, written atomically: time\n"
         "                 and memory against the value, or heat maps for two sweeps\n"
         "                 (docs/report.md); '-' writes the page to stdout instead of\n"
         "                 the table\n"
         "  --budget B     a budget to draw on the plot (time=100ms, memory=1GiB, as\n"
         "                 for check); repeatable\n"
         "\n"
         "Without --sweep, prints before / after / change of parameters, MACs, time and\n"
         "memory per unit and the memory views, and the layers whose time moved most.\n"
         "A change that makes the network invalid is reported naming the option. In a\n"
         "sweep, such a variant still gets its row, with the reason (an error column in\n"
         "CSV and JSON), the others run, and the exit status is 1.\n"},
        {"check", cmd_check, "test a network against time and memory budgets (exit 0 = all hold)",
         "augur check NET --device D --budget time=100ms [--budget memory=1GiB] [--unit U] "
         "[--set A=V ...] [--batch N] [--format table|json|csv]",
         "Budgets: time=VALUE in ms or s; memory=VALUE in MiB, GiB, MB, GB, KiB, KB or B;\n"
         "params=N and macs=N (plain, or with K, M, G) for the network; throughput=N/s, a\n"
         "minimum. Time, memory and throughput are checked on each unit (--unit narrows),\n"
         "each printed with its margin.\n"
         "Exit status (as grep and diff): 0 every budget holds, 1 one does not, 2 trouble:\n"
         "bad usage, an unreadable or invalid descriptor or profile, an unknown device or\n"
         "unit.\n"},
        {"compare", cmd_compare, "put two networks side by side on a device, by layer type",
         "augur compare A B --device D [--unit U] [--batch N] [--format table|json|csv]",
         "Per layer type: layers, parameters, MACs and predicted time per unit; then totals\n"
         "and the memory each needs. The last column is B / A.\n"},
        {"run", cmd_run, "measure networks in augur's own Caffe-style runtime on this machine",
         "augur run NET... [--batch N] [--layers] [--reps N] [--warmup N] [--threads N] "
         "[--format table|json|csv] [--layer-times-out FILE [--board NAME]] [--retries N] "
         "[--dump DIR]",
         "Runs each descriptor with random weights and input in augur's reference executor\n"
         "(docs/run.md): Caffe's semantics, conv as im2col + one OpenBLAS sgemm per group,\n"
         "fc as sgemm/sgemv, plain C loops for the other layers, buffers as the allocated\n"
         "memory view counts them. Prints the forward time (median and spread over the\n"
         "passes), the time inside BLAS, the memory held and the peak RSS.\n"
         "\n"
         "options:\n"
         "  --batch N      images per forward pass (default: the descriptor's, or 1)\n"
         "  --layers       add each layer's median time inside the passes, and per type\n"
         "  --reps N       timed forward passes (default 10)\n"
         "  --warmup N     untimed passes first (default 2)\n"
         "  --threads N    OpenBLAS threads (default 1, as the epyc-1t profile)\n"
         "  --seed N       random weights and input (default 1)\n"
         "  --format FMT   table, json (every figure) or csv (per network, or per layer\n"
         "                 with --layers)\n"
         "  --layer-times-out FILE  write the measurements as a layer-times file, one row\n"
         "                 per network, for 'augur fit PROFILE --layer-times FILE'\n"
         "  --board NAME   the board its rows are for (default augur)\n"
         "  --retries N    measure a network again, up to N times, when its passes spread\n"
         "                 over 10% or its layers do not add up to its pass within 10%\n"
         "                 (another program ran); the calmest is kept (default 0)\n"
         "  --dump DIR     before timing, run one pass writing the input, every layer's\n"
         "                 parameters and output as raw float32 files to DIR (one NET)\n"},
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
	           "version.\nEvery command that reads a network takes --input C,H,W: that input "
	           "size instead of the file's.\n");
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

static int run(int argc, char **argv)
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
	/* the commands that read a network take --input, parsed here once for all */
	static const char *const takes_net[] = {"inspect", "estimate", "plan",
	                                        "report",  "whatif",   "check",
	                                        "compare", "convert",  "run"};
	int n = argc - 1;
	for (size_t i = 0; i < sizeof(takes_net) / sizeof(*takes_net); i++)
		if (!strcmp(c->name, takes_net[i]) && cli_take_input(c->name, &n, argv + 1))
			return CLI_USAGE;
	return c->run(n, argv + 1);
}

int main(int argc, char **argv)
{
	int rc = run(argc, argv);
	/* results go to stdout: a full disk or a closed file there is a failure, not a
	 * silent success with a truncated report */
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	int e = errno;
	fprintf(stderr, "augur: error: cannot write to standard output%s%s\n", e ? ": " : "",
	        e ? strerror(e) : "");
	return rc == CLI_OK ? CLI_FAIL : rc;
}
