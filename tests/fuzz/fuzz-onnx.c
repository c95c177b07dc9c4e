/* Fuzz target: ONNX models (onnx.c: the wire-format scanner, protobuf-c's decoding of
 * nodes and tensors, the op mapping and shape arithmetic), then tracing of what loads and
 * the convert round trip: the YAML written for it loads back with the same figures. */
#include "descwriter.h"
#include "fuzz.h"
#include "onnx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct augur_diag diag;
	struct augur_net *net = NULL, *again = NULL;
	struct augur_analysis *a = NULL, *b = NULL;
	char *text = NULL;
	size_t len;
	(void)augur_onnx_sniff("fuzz.onnx", data, size);
	int rc = augur_onnx_parse("fuzz.onnx", data, size, &net, &diag);
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
out:
	augur_analysis_free(a);
	augur_analysis_free(b);
	augur_net_free(net);
	augur_net_free(again);
	free(text);
	return 0;
}
