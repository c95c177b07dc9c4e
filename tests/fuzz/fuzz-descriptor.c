/* Fuzz target: YAML descriptors (descriptor.c through yamldoc.c), then shape tracing and
 * counting of whatever loads, then the convert round trip: a network written by the YAML
 * writer must load back with the same shapes, counts and memory. */
#include "descwriter.h"
#include "fuzz.h"
#include "netfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_text(data, size);
	struct augur_diag diag;
	struct augur_net *net = NULL, *again = NULL;
	struct augur_analysis *a = NULL, *b = NULL;
	char *text = NULL;
	size_t len;
	(void)augur_net_sniff("fuzz.yaml", buf, size);
	int rc = augur_descriptor_parse("fuzz.yaml", buf, size, &net, &diag);
	fuzz_check(rc, &diag);
	FUZZ_ASSERT(rc ? net == NULL : net != NULL);
	if (rc)
		goto out;
	rc = augur_analyze(net, 0, &a, &diag);
	fuzz_check(rc, &diag);
	if (rc)
		goto out;
	rc = augur_descriptor_write(net, &text, &len, "fuzz");
	FUZZ_ASSERT(rc == AUGUR_OK || rc == AUGUR_E_NOMEM);
	if (rc)
		goto out;
	rc = augur_descriptor_parse("again.yaml", text, len, &again, &diag);
	if (rc)
		fprintf(stderr, "written descriptor does not load: %s:%u:%u: %s\n%s", diag.path,
		        diag.line, diag.col, diag.message, text);
	FUZZ_ASSERT(rc == AUGUR_OK);
	rc = augur_analyze(again, 0, &b, &diag);
	FUZZ_ASSERT(rc == AUGUR_OK);
	FUZZ_ASSERT(fuzz_same_analysis(a, b));
	fuzz_evaluate(net, fuzz_profile());
out:
	augur_analysis_free(a);
	augur_analysis_free(b);
	augur_net_free(net);
	augur_net_free(again);
	free(text);
	free(buf);
	return 0;
}
