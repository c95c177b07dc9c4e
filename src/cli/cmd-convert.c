/* augur convert: any descriptor augur reads (a Caffe prototxt, or YAML) -> an augur YAML
 * descriptor, on stdout or atomically into a file. The network is traced first, so a
 * file that cannot be analysed is reported against its source instead of being written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "augur-config.h"
#include "cli.h"
#include "descwriter.h"
#include "fileio.h"
#include "netfile.h"

int cmd_convert(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"output", required_argument, NULL, 'o'},
	        {NULL, 0, NULL, 0},
	};
	const char *output = NULL;
	int c;
	while ((c = cli_getopt(argc, argv, "o:", opts)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		default:
			return CLI_USAGE;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("convert",
		                       optind >= argc ? "expects a descriptor (usage: %s)"
		                                      : "expects one descriptor (usage: %s)",
		                       augur_command_find("convert")->usage);
	const char *input = argv[optind];
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
		fprintf(stderr, "augur convert: %s\n", augur_strerror(wrc));
		rc = CLI_FAIL;
		goto out;
	}
	if (output) {
		if (augur_write_file_atomic(output, text, len, &diag))
			rc = cli_report(&diag);
	} else if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
		fprintf(stderr, "augur convert: cannot write to standard output\n");
		rc = CLI_FAIL;
	}
out:
	free(text);
	augur_analysis_free(a);
	augur_net_free(net);
	return rc;
}
