/* augur's entry point: one table of commands, dispatch by name, help and version from the
 * table. Each command lives in src/cli/cmd-<name>.c (see commands.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "augur-config.h"
#include "cli.h"
#include "commands.h"
#include "datadir.h"
#include "options.h"
#include "suggest.h"

#ifdef AUGUR_LIGHT
/* calibrate, fit and run measure and fit: they link OpenBLAS and GSL, which take longer to
 * load than estimate takes to run. This executable runs them in augur-lab (the same
 * commands, built with those libraries), so every other command starts without them. */
static int lab_exec(int argc, char **argv);
#define LAB_RUN(fn)    lab_exec
#define LAB_SPEC(spec) NULL
#else
#define LAB_RUN(fn)    fn
#define LAB_SPEC(spec) &spec
#endif

const struct augur_command augur_commands[] = {
        {"inspect", cmd_inspect,
         "trace a network: shapes, parameters, MACs, FLOPs, GEMMs and memory per layer",
         "augur inspect NET [--format table|json|csv] [--batch N]",
         "NET is a descriptor: augur YAML (docs/descriptors.md) or a Caffe deploy\n"
         "prototxt (docs/prototxt.md), told apart by content.\n",
         &cmd_inspect_spec, NULL},
        {"estimate", cmd_estimate,
         "predict forward time and memory of a network on a device, per CPU/GPU",
         "augur estimate NET --device D [--unit cpu|gpu|all] [--layers] [--batch N] "
         "[--format table|json|csv]",
         "NET is a descriptor; D a profile name from profiles/ (or $AUGUR_PROFILE_PATH) or a\n"
         "profile file (docs/profiles.md).\n",
         &cmd_estimate_spec,
         "Time is the sum of each layer's predicted time: the GEMM model for conv and fc\n"
         "(the paper's method) and, where the profile has them, the layer-cost models for\n"
         "the other layers; layers it cannot cost are listed and extrapolations flagged,\n"
         "never counted as 0. Memory is what an im2col\n"
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
         "formulas in docs/plan.md, output fields in docs/output.md.\n",
         &cmd_plan_spec, NULL},
        {"report", cmd_report,
         "draw a network on a device: one HTML page of time, memory and GEMM charts",
         "augur report NET --device D [--unit cpu|gpu|all] [--batch N] [-o FILE]",
         "One self-contained HTML file (inline SVG and CSS, no script, nothing fetched):\n"
         "the profile and its model, totals per unit, per-layer time stacked GEMM /\n"
         "memory-bound / other, time by layer type, the memory timeline and the three\n"
         "memory views, the network's GEMM shapes on the calibrated range, and the top\n"
         "layers. The numbers are estimate's and inspect's (docs/report.md).\n",
         &cmd_report_spec, NULL},
        {"calibrate", LAB_RUN(cmd_calibrate),
         "time GEMMs on this machine and write its device profile",
         "augur calibrate --device NAME [--unit cpu|gpu] [--threads N] [--quick] [--out FILE]",
         "Runs on the board itself: times cblas_sgemm (cpu) or cublasSgemm (gpu) over the\n"
         "paper's (n, k, m) grid, fc shapes and held-out GEMMs of real networks, fits the\n"
         "unit's time model and writes NAME.yaml in the user's profile directory\n"
         "($XDG_DATA_HOME/augur/profiles, else ~/.local/share/augur/profiles) at the end.\n"
         "An existing profile keeps its other unit. Ctrl-C (or SIGTERM) stops the run,\n"
         "prints what was measured and leaves the profile untouched.\n",
         LAB_SPEC(cmd_calibrate_spec),
         "Ends with a verdict against the calibration's goal (held-out median error at\n"
         "most 5% for the full grid, 10% for --quick), a warning when the machine looked\n"
         "busy, and the command to use the profile.\n"},
        {"fit", LAB_RUN(cmd_fit), "refit a profile's time models from its stored samples",
         "augur fit PROFILE [--out FILE] [--unit cpu|gpu] [--terms LIST] [--breaks-n LIST] "
         "[--breaks-m LIST]\n       augur fit [PROFILE] --layer-times FILE [--board NAME] "
         "[--out FILE] [--crossval K] [--choose-cache]",
         "PROFILE is a name (see 'augur profile show') or a path. Without --out the\n"
         "profile is rewritten in place (atomically).\n",
         LAB_SPEC(cmd_fit_spec), NULL},
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
         "type.\n",
         &cmd_profile_spec, NULL},
        {"convert", cmd_convert,
         "write a network (e.g. a Caffe prototxt) as an augur YAML descriptor",
         "augur convert NET [-o FILE]",
         "NET is a Caffe deploy prototxt (docs/prototxt.md) or an augur YAML descriptor;\n"
         "the output is the equivalent YAML descriptor, one line per layer, with only the\n"
         "keys that differ from their defaults. The network is traced first: one that\n"
         "cannot be analysed is reported, not written.\n",
         &cmd_convert_spec, NULL},
        {"whatif", cmd_whatif,
         "change layers on paper and see time and memory move (before/after, or sweeps)",
         "augur whatif NET --device D (--set LAYER.KEY=V ... | --sweep KEY=V1,V2,... [--sweep ...]) "
         "[--unit U] [--batch N] [--format table|json|csv] [--plot FILE [--budget B ...]]",
         NULL, &cmd_whatif_spec,
         "Without --sweep, prints before / after / change of parameters, MACs, time and\n"
         "memory per unit and the memory views, and the layers whose time moved most.\n"
         "A change that makes the network invalid is reported naming the option. In a\n"
         "sweep, such a variant still gets its row, with the reason (an error column in\n"
         "CSV and JSON), the others run, and the exit status is 1.\n"},
        {"check", cmd_check, "test a network against time and memory budgets (exit 0 = all hold)",
         "augur check NET --device D --budget time=100ms [--budget memory=1GiB] [--unit U] "
         "[--set A=V ...] [--batch N] [--format table|json|csv]",
         NULL, &cmd_check_spec,
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
         "and the memory each needs. The last column is B / A.\n",
         &cmd_compare_spec, NULL},
        {"run", LAB_RUN(cmd_run),
         "measure networks in augur's own Caffe-style runtime on this machine",
         "augur run NET... [--device D] [--batch N] [--layers] [--reps N] [--warmup N] "
         "[--threads N] [--format table|json|csv] [--layer-times-out FILE [--board NAME]] "
         "[--retries N] [--dump DIR]",
         "Runs each descriptor with random weights and input in augur's reference executor\n"
         "(docs/run.md): Caffe's semantics, conv as im2col + one OpenBLAS sgemm per group,\n"
         "fc as sgemm/sgemv, plain C loops for the other layers, buffers as the allocated\n"
         "memory view counts them. Prints the forward time (median and spread over the\n"
         "passes), the time inside BLAS, the memory held and the peak RSS; with --device D,\n"
         "D's prediction beside each, to check a profile on the board it describes.\n",
         LAB_SPEC(cmd_run_spec), NULL},
        {"help", cmd_help, "show the commands, or one command's options", "augur help [COMMAND]",
         NULL, NULL, NULL},
        {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
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

#ifdef AUGUR_LIGHT
/* augur-lab beside this executable (the build tree, or both installed in bindir); execs it
 * with argv (the command and its arguments); returns only when it cannot. */
static int lab_exec(int argc, char **argv)
{
	char dir[4096], path[4200];
	if (augur_exe_dir(dir, sizeof(dir))) {
		fprintf(stderr, "augur: error: cannot find augur's own directory for augur-lab\n");
		return CLI_FAIL;
	}
	snprintf(path, sizeof(path), "%s/augur-lab", dir);
	char **args = calloc((size_t)argc + 2, sizeof(*args));
	if (!args) {
		fprintf(stderr, "augur: error: out of memory\n");
		return CLI_FAIL;
	}
	args[0] = path;
	memcpy(args + 1, argv, (size_t)argc * sizeof(*args));
	fflush(stdout);
	execv(path, args);
	int e = errno;
	free(args);
	fprintf(stderr, "augur: error: '%s' runs in %s, which cannot be started: %s\n", argv[0],
	        path, strerror(e));
	return CLI_FAIL;
}

static bool is_lab(const struct augur_command *c)
{
	return c->run == lab_exec;
}
#else
static bool is_lab(const struct augur_command *c)
{
	(void)c;
	return false;
}
#endif

int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		overview(stdout);
		return CLI_OK;
	}
	const struct augur_command *c = augur_command_find(argv[1]);
	if (!c)
		return cli_usage_error("help", "unknown command '%s'", argv[1]);
	if (is_lab(c)) /* its options are known where it runs */
		return c->run(2, argv);
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
		fprintf(stderr, "augur: error: unknown command '%s' (did you mean '%s'?)\n", name,
		        near);
	else
		fprintf(stderr, "augur: error: unknown command '%s' (see 'augur help')\n", name);
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
	for (int i = 2; i < argc && !is_lab(c); i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return cli_help(c->name);
	}
	argv[1] = (char *)c->name;
	/* the commands that read a network take --input, parsed here once for all (a lab
	 * command's is parsed where it runs) */
	int n = argc - 1;
	if (!is_lab(c) && c->spec && c->spec->takes_input && cli_take_input(c->name, &n, argv + 1))
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
