/* Shared by the libFuzzer targets in tests/fuzz: a NUL-terminated copy of the input, the
 * contract every failing core call must keep (a negative status, the same code in the
 * diagnostic, a one-line message, never AUGUR_E_INTERNAL), and a small network and profile
 * that the --set, --sweep and profile targets run their input against. A broken contract
 * aborts, which libFuzzer and the replay driver (replay.c) report as a finding. */
#ifndef AUGUR_FUZZ_H
#define AUGUR_FUZZ_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "descriptor.h"
#include "estimate.h"
#include "profile.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with a reason: the fuzzer prints the stack and saves the input. */
#define FUZZ_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", __FILE__, __LINE__,  \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* data as a NUL-terminated heap string (the parsers need buf[len] == '\0'). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	if (!buf)
		abort();
	if (size)
		memcpy(buf, data, size);
	buf[size] = '\0';
	return buf;
}

/* data up to its first NUL or newline: what a command-line argument can hold. */
static inline char *fuzz_arg(const uint8_t *data, size_t size)
{
	size_t n = 0;
	while (n < size && data[n] && data[n] != '\n')
		n++;
	return fuzz_text(data, n);
}

/* The contract of a core call that returned rc and filled diag. */
static inline void fuzz_check(int rc, const struct augur_diag *diag)
{
	if (rc == AUGUR_OK)
		return;
	FUZZ_ASSERT(rc < 0 && rc > AUGUR_E_INTERNAL);
	FUZZ_ASSERT(diag->code == rc);
	FUZZ_ASSERT(diag->message[0] != '\0');
	FUZZ_ASSERT(memchr(diag->message, '\0', sizeof(diag->message)) != NULL);
	/* printed as one line: no newline or other control character */
	for (const unsigned char *p = (const unsigned char *)diag->message; *p; p++)
		FUZZ_ASSERT(*p >= 0x20 && *p != 0x7f);
	FUZZ_ASSERT(memchr(diag->path, '\0', sizeof(diag->path)) != NULL);
	for (const unsigned char *p = (const unsigned char *)diag->path; *p; p++)
		FUZZ_ASSERT(*p >= 0x20 && *p != 0x7f);
}

/* Every figure of an analysis the round trips compare. */
static inline int fuzz_same_analysis(const struct augur_analysis *a, const struct augur_analysis *b)
{
	if (a->n_layers != b->n_layers || a->batch != b->batch ||
	    a->total.params != b->total.params || a->total.macs != b->total.macs ||
	    a->total.flops != b->total.flops || a->memory.alloc_total != b->memory.alloc_total ||
	    a->memory.min_total != b->memory.min_total ||
	    a->memory.paper_data != b->memory.paper_data)
		return 0;
	for (size_t i = 0; i < a->n_layers; i++)
		if (a->layers[i].gemm.n != b->layers[i].gemm.n ||
		    a->layers[i].gemm.k != b->layers[i].gemm.k ||
		    a->layers[i].gemm.m != b->layers[i].gemm.m ||
		    a->layers[i].gemm.count != b->layers[i].gemm.count)
			return 0;
	return 1;
}

/* A small network with every layer type and both multi-input kinds. */
static const char fuzz_net_yaml[] =
        "name: small\n"
        "input: [3, 32, 32]\n"
        "layers:\n"
        "  - {name: conv1, type: conv, filters: 16, kernel: 3, pad: 1}\n"
        "  - {name: relu1, type: relu}\n"
        "  - {name: pool1, type: pool, kernel: 2, stride: 2}\n"
        "  - {name: conv2, type: conv, filters: 16, kernel: 3, pad: 1, groups: 2}\n"
        "  - {name: sum, type: eltwise, inputs: [pool1, conv2]}\n"
        "  - {name: conv3, type: conv, filters: 8, kernel: 1}\n"
        "  - {name: cat, type: concat, inputs: [sum, conv3]}\n"
        "  - {name: lrn, type: lrn, size: 3}\n"
        "  - {name: bn, type: batchnorm}\n"
        "  - {name: sc, type: scale}\n"
        "  - {name: sig, type: sigmoid}\n"
        "  - {name: pool2, type: pool, op: avg, global: true}\n"
        "  - {name: flat, type: flatten}\n"
        "  - {name: fc1, type: fc, outputs: 10}\n"
        "  - {name: drop, type: dropout}\n"
        "  - {name: prob, type: softmax}\n";

/* A profile with both units: two regions along m on the cpu, four on the gpu. */
static const char fuzz_profile_yaml[] =
        "augur_profile: 1\n"
        "name: fuzz\n"
        "description: a board for the fuzz targets\n"
        "created: '2026-01-01'\n"
        "augur_version: 0.1.0\n"
        "source: hand-written\n"
        "memory: {ram_bytes: 2147483648, shared_memory: true, pointer_bits: 64}\n"
        "units:\n"
        "  cpu:\n"
        "    library: OpenBLAS\n"
        "    processor: cpu\n"
        "    framework_overhead_bytes: 1000000\n"
        "    model:\n"
        "      terms: [nkm, nk, one]\n"
        "      breaks_m: [2]\n"
        "      min_ms: 0.001\n"
        "      range: {n: [16, 4096], k: [27, 25088], m: [1, 50176]}\n"
        "      regions: [[1.4e-06, 1.4e-06, 0], [4.6e-07, 1.0e-06, 0.18]]\n"
        "    samples:\n"
        "      - {n: 64, k: 576, m: 3136, time_ms: 2.5}\n"
        "  gpu:\n"
        "    library: cuBLAS\n"
        "    processor: gpu\n"
        "    weights_copied: true\n"
        "    model:\n"
        "      terms: [nkm, km, nm, one]\n"
        "      breaks_n: [100]\n"
        "      breaks_m: [50]\n"
        "      min_ms: 0.01\n"
        "      range: {n: [1, 4096], k: [1, 25088], m: [1, 50176]}\n"
        "      regions: [[1e-8, 0, 0, 0.1], [2e-8, 1e-7, 0, 0.2], [1e-8, 0, 1e-7, 0.1],\n"
        "                [3e-9, 0, 0, 0.05]]\n"
        "    samples: []\n";

static inline struct augur_net *fuzz_net(void)
{
	static struct augur_net *net;
	struct augur_diag diag;
	if (!net && augur_descriptor_parse("small.yaml", fuzz_net_yaml, sizeof(fuzz_net_yaml) - 1,
	                                   &net, &diag)) {
		fprintf(stderr, "fuzz network: %s\n", diag.message);
		abort();
	}
	return net;
}

static inline const struct augur_profile *fuzz_profile(void)
{
	static struct augur_profile *p;
	struct augur_diag diag;
	if (!p && augur_profile_parse("fuzz.yaml", fuzz_profile_yaml, sizeof(fuzz_profile_yaml) - 1,
	                              &p, &diag)) {
		fprintf(stderr, "fuzz profile: %s\n", diag.message);
		abort();
	}
	return p;
}

/* Analyses net and estimates it on every unit of p: each step succeeds or fails by the
 * contract, and no estimate holds a NaN, an infinity or a negative time. */
static inline void fuzz_evaluate(const struct augur_net *net, const struct augur_profile *p)
{
	struct augur_diag diag;
	struct augur_analysis *a = NULL;
	int rc = augur_analyze(net, 0, &a, &diag);
	fuzz_check(rc, &diag);
	if (rc)
		return;
	const struct augur_unit *units[2] = {p->cpu, p->gpu};
	for (int u = 0; u < 2; u++) {
		if (!units[u])
			continue;
		struct augur_unit_estimate e;
		rc = augur_estimate_unit(net, a, p, units[u], &e, &diag);
		fuzz_check(rc, &diag);
		if (rc)
			continue;
		FUZZ_ASSERT(isfinite(e.total_ms) && e.total_ms >= 0);
		FUZZ_ASSERT(isfinite(e.gemm_ms) && e.gemm_ms >= 0);
		for (size_t i = 0; i < e.n_layers; i++)
			FUZZ_ASSERT(isfinite(e.layers[i].time_ms) && e.layers[i].time_ms >= 0);
		augur_unit_estimate_clear(&e);
	}
	augur_analysis_free(a);
}

#endif
