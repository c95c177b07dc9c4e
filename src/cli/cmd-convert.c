/* augur convert: any descriptor augur reads (a Caffe prototxt, or YAML) -> an augur YAML
 * descriptor, on stdout or atomically into a file. The network is traced first, so a
 * file that cannot be analysed is reported against its source instead of being written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "augur-config.h"
#include "cli.h"
#include "options.h"
#include "descwriter.h"
#include "fileio.h"
#include "netfile.h"

struct convert_args {
	const char *output;
};

static const struct cli_opt convert_opts[] = {
        CLI_OUTPUT(struct convert_args, output,
                   "write FILE (atomically: all or nothing) instead of stdout"),
        CLI_END,
};

const struct cli_spec cmd_convert_spec = {"convert", convert_opts, 1, 1, "a descriptor", true};

int cmd_convert(int argc, char **argv)
{
	struct convert_args o = {0};
	char **args;
	int n_args;
	if (cli_parse(&cmd_convert_spec, argc, argv, &o, &args, &n_args))
		return CLI_USAGE;
	const char *input = args[0], *output = o.output;
	struct augur_diag diag = {0};
	struct augur_net *net = NULL;
	struct augur_analysis *a = NULL;
	enum augur_net_format format;
	char *text = NULL, header[AUGUR_DIAG_PATH_MAX + 128];
	size_t len = 0;
	int rc = CLI_OK;
	if (cli_net_load(input, &net, &format, &diag) || augur_analyze(net, 0, &a, &diag)) {
		rc = cli_report(&diag);
		goto out;
	}
	const char *base = strrchr(input, '/');
	snprintf(header, sizeof(header), "Converted by augur %s from %s (%s).", AUGUR_VERSION,
	         base ? base + 1 : input, augur_net_format_name(format));
	int wrc = augur_descriptor_write(net, &text, &len, header);
	if (wrc) {
		cli_error("convert", "%s", augur_strerror(wrc));
		rc = CLI_FAIL;
		goto out;
	}
	if (output) {
		if (augur_write_file_atomic(output, text, len, &diag))
			rc = cli_report(&diag);
	} else if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
		cli_error("convert", "cannot write to standard output");
		rc = CLI_FAIL;
	}
out:
	free(text);
	augur_analysis_free(a);
	augur_net_free(net);
	return rc;
}
