/* Profiles: a profile written and read back is identical field by field (doubles exactly)
 * and writes the same bytes again; corrupt, truncated or hand-edited profiles fail with a
 * located diagnostic (table: replacement, status, line, column, message fragment); the
 * search by name lists what is available. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fileio.h"
#include "profile.h"

static const char base[] =
        "augur_profile: 1\n"                                                  /* 1 */
        "name: \"t\"\n"                                                       /* 2 */
        "description: \"d\"\n"                                                /* 3 */
        "created: \"2026-01-01\"\n"                                           /* 4 */
        "augur_version: \"0.1.0\"\n"                                          /* 5 */
        "source: \"test\"\n"                                                  /* 6 */
        "memory: {ram_bytes: 1000, shared_memory: false, pointer_bits: 64}\n" /* 7 */
        "units:\n"                                                            /* 8 */
        "  cpu:\n"                                                            /* 9 */
        "    library: \"lib\"\n"                                              /* 10 */
        "    processor: \"p\"\n"                                              /* 11 */
        "    model:\n"                                                        /* 12 */
        "      terms: [nkm, one]\n"                                           /* 13 */
        "      breaks_n: [128]\n"                                             /* 14 */
        "      breaks_m: []\n"                                                /* 15 */
        "      min_ms: 0.01\n"                                                /* 16 */
        "      range: {n: [32, 512], k: [64, 3136], m: [49, 12544]}\n"        /* 17 */
        "      regions:\n"                                                    /* 18 */
        "        - [1e-8, 0.01]\n"                                            /* 19 */
        "        - [2e-8, 0.02]\n"                                            /* 20 */
        "    samples:\n"                                                      /* 21 */
        "      - {n: 32, k: 64, m: 49, time_ms: 0.5, spread: 0.01}\n"         /* 22 */
        "      - {time_ms: 2.5, label: \"net\", gemms: [[32, 64, 49, 2], [256, 64, 49, 1]]}\n";

struct bad_case {
	const char *from, *to; /* base with the first 'from' replaced by 'to' */
	int status;
	unsigned line, col;
	const char *fragment;
};

static const struct bad_case bad[] = {
        {"      min_ms: 0.01\n", "", AUGUR_E_SCHEMA, 13, 7, "missing key 'min_ms' in model"},
        {"time_ms: 0.5", "time_ms: fast", AUGUR_E_SCHEMA, 22, 40,
         "expected a number for 'time_ms', got 'fast'"},
        {"time_ms: 0.5", "time_ms: \"0.5\"", AUGUR_E_SCHEMA, 22, 40, "expected a number"},
        {"time_ms: 0.5", "time_ms: -0.5", AUGUR_E_SCHEMA, 22, 40,
         "'time_ms' must be positive, got -0.5"},
        {"time_ms: 0.5", "time_ms: 0", AUGUR_E_SCHEMA, 22, 40, "must be positive"},
        {"time_ms: 0.5", "time_ms: .nan", AUGUR_E_SCHEMA, 22, 40,
         "expected a number for 'time_ms', got '.nan'"},
        {"time_ms: 0.5", "time_ms: nan", AUGUR_E_SCHEMA, 22, 40, "expected a number"},
        {"time_ms: 0.5", "time_ms: 1e999", AUGUR_E_SCHEMA, 22, 40, "must be between"},
        {"breaks_n: [128]", "breaks_n: [128, 64]", AUGUR_E_SCHEMA, 14, 23,
         "breakpoints in 'breaks_n' must increase: 64 follows 128"},
        {"breaks_m: []", "breaks_m: [784]", AUGUR_E_SCHEMA, 19, 9,
         "expected 4 regions ((1 breaks_n + 1) x (1 breaks_m + 1)), got 2"},
        {"        - [2e-8, 0.02]\n", "", AUGUR_E_SCHEMA, 19, 9, "expected 2 regions"},
        {"[2e-8, 0.02]", "[2e-8]", AUGUR_E_SCHEMA, 20, 11, "expected a region as 2 coefficients"},
        {"spread: 0.01", "spred: 0.01", AUGUR_E_SCHEMA, 22, 45,
         "unknown key 'spred' in sample (did you mean 'spread'?)"},
        {"[256, 64, 49, 1]", "[256, 64, 49]", AUGUR_E_SCHEMA, 23, 63,
         "expected a GEMM as [n, k, m, count]"},
        {"[256, 64, 49, 1]", "[256, 64, 0, 1]", AUGUR_E_SCHEMA, 23, 73, "'m' must be between 1"},
        {"shared_memory: false", "shared_memory: no", AUGUR_E_SCHEMA, 7, 42,
         "expected true or false for 'shared_memory', got no"},
        {"terms: [nkm, one]", "terms: [nkm, uno]", AUGUR_E_SCHEMA, 13, 20, "unknown term 'uno'"},
        {"terms: [nkm, one]", "terms: [nkm, nkm]", AUGUR_E_SCHEMA, 13, 20, "duplicate term"},
        {"augur_profile: 1", "augur_profile: 3", AUGUR_E_SCHEMA, 1, 16,
         "unsupported profile format 3 (this augur reads formats 1 to 2)"},
        /* format 2: the machine's caches and the framework; sizes are bytes, so a size
         * in KiB or MiB, a negative one or a terabyte of cache is refused */
        {"augur_profile: 1\n", "augur_profile: 2\nmachine: {llc_bytes: -1}\n", AUGUR_E_SCHEMA, 2,
         22, "'llc_bytes' must be between 1024 and 4294967296, got -1"},
        {"augur_profile: 1\n", "augur_profile: 2\nmachine: {llc_bytes: 32}\n", AUGUR_E_SCHEMA, 2,
         22, "'llc_bytes' must be between 1024"},
        {"augur_profile: 1\n", "augur_profile: 2\nmachine: {llc_bytes: 1099511627776}\n",
         AUGUR_E_SCHEMA, 2, 22, "'llc_bytes' must be between"},
        {"augur_profile: 1\n", "augur_profile: 2\nmachine: {llc_bytes: \"32M\"}\n", AUGUR_E_SCHEMA,
         2, 22, "expected an integer for 'llc_bytes', got '32M'"},
        {"augur_profile: 1\n", "augur_profile: 2\nmachine: {llc_bytes: 32.5}\n", AUGUR_E_SCHEMA, 2,
         22, "'llc_bytes' must be a whole number"},
        {"augur_profile: 1\n", "augur_profile: 2\nmachine: {l2_bytes: [1048576]}\n", AUGUR_E_SCHEMA,
         2, 21, "expected an integer for 'l2_bytes', got a sequence"},
        {"augur_profile: 1\n",
         "augur_profile: 2\nmachine: {llc_bytes: 2097152, l2_bytes: 4194304}\n", AUGUR_E_SCHEMA, 2,
         22, "'llc_bytes' (2097152) is smaller than 'l2_bytes' (4194304)"},
        {"augur_profile: 1\n", "augur_profile: 2\nmachine: {page_bytes: 5000}\n", AUGUR_E_SCHEMA, 2,
         23, "'page_bytes' must be a power of two, got 5000"},
        {"augur_profile: 1\n", "augur_profile: 2\nmachine: {stream_gib_per_s: -3}\n",
         AUGUR_E_SCHEMA, 2, 29, "'stream_gib_per_s' must be between"},
        {"augur_profile: 1\n", "augur_profile: 2\nmachine: {probe_ms: 0}\n", AUGUR_E_SCHEMA, 2, 21,
         "'probe_ms' must be between"},
        {"augur_profile: 1\n", "augur_profile: 1\nmachine: {probe_ms: 0.5}\n", AUGUR_E_SCHEMA, 2,
         11, "'probe_ms' needs profile format 2"},
        {"augur_profile: 1\n", "augur_profile: 2\nmachine: {llc_fitted_bytes: 48}\n",
         AUGUR_E_SCHEMA, 2, 29, "'llc_fitted_bytes' must be between 1024"},
        {"augur_profile: 1\n", "augur_profile: 1\nmachine: {llc_fitted_bytes: 50331648}\n",
         AUGUR_E_SCHEMA, 2, 11, "'llc_fitted_bytes' needs profile format 2"},
        {"augur_profile: 1\n", "augur_profile: 2\nmachine: {page_fault_ms_per_mib: fast}\n",
         AUGUR_E_SCHEMA, 2, 34, "expected a number for 'page_fault_ms_per_mib', got 'fast'"},
        {"augur_profile: 1\n", "augur_profile: 2\nmachine: {llc: 1048576}\n", AUGUR_E_SCHEMA, 2, 11,
         "unknown key 'llc' in machine"},
        {"augur_profile: 1\n", "augur_profile: 2\nframework: pytorch\n", AUGUR_E_SCHEMA, 2, 12,
         "expected a mapping for 'framework', got a scalar"},
        {"augur_profile: 1\n", "augur_profile: 2\nframework: {version: \"1.13\"}\n", AUGUR_E_SCHEMA,
         2, 12, "missing key 'name' in framework"},
        {"augur_profile: 1\n", "augur_profile: 2\nframework: {name: \"\"}\n", AUGUR_E_SCHEMA, 2, 19,
         "expected a framework name"},
        {"augur_profile: 1\n", "augur_profile: 2\nframework: {name: pytorch, mkldnn: maybe}\n",
         AUGUR_E_SCHEMA, 2, 36, "expected true or false for 'mkldnn', got maybe"},
        {"augur_profile: 1\n", "augur_profile: 2\nframework: {name: pytorch, threads: 0}\n",
         AUGUR_E_SCHEMA, 2, 37, "'threads' must be between 1 and 4096"},
        {"augur_profile: 1\n",
         "augur_profile: 2\nframework: {name: pytorch, fresh_buffer_bytes: -1}\n", AUGUR_E_SCHEMA,
         2, 48, "'fresh_buffer_bytes' must be between 4096"},
        {"augur_profile: 1\n",
         "augur_profile: 2\nframework: {name: pytorch, pool_index_bytes: 64}\n", AUGUR_E_SCHEMA, 2,
         46, "'pool_index_bytes' must be between 0 and 16, got 64"},
        {"augur_profile: 1\n", "augur_profile: 2\nframework: {name: pytorch, memory_view: all}\n",
         AUGUR_E_SCHEMA, 2, 41, "expected allocated, minimal or heap for 'memory_view', got all"},
        {"augur_profile: 1\n",
         "augur_profile: 2\nframework: {name: pytorch, lrn_temporaries: 17}\n", AUGUR_E_SCHEMA, 2,
         45, "'lrn_temporaries' must be between 0 and 16, got 17"},
        {"augur_profile: 1\n",
         "augur_profile: 2\nframework: {name: pytorch, alloc_slack_bytes: 70000}\n", AUGUR_E_SCHEMA,
         2, 47, "'alloc_slack_bytes' must be between 0 and 65536, got 70000"},
        {"augur_profile: 1\n", "augur_profile: 2\nframework: {name: pytorch, conv_im2col: no}\n",
         AUGUR_E_SCHEMA, 2, 41, "expected true or false for 'conv_im2col', got no"},
        {"augur_profile: 1\n", "augur_profile: 2\nframework: {name: pytorch, conv_block: 0}\n",
         AUGUR_E_SCHEMA, 2, 40, "'conv_block' must be between 1 and 64, got 0"},
        {"augur_profile: 1\n",
         "augur_profile: 2\nframework: {name: pytorch, conv_cache_share: -1}\n", AUGUR_E_SCHEMA, 2,
         46, "'conv_cache_share' must be between 0 and 4"},
        {"augur_profile: 1\n", "augur_profile: 2\nframework: {name: pytorch, conv_groups: each}\n",
         AUGUR_E_SCHEMA, 2, 41, "expected together or one_at_a_time for 'conv_groups', got each"},
        {"augur_profile: 1\n", "augur_profile: 2\nframework: {name: pytorch, cache_terms: yes}\n",
         AUGUR_E_SCHEMA, 2, 41, "expected true or false for 'cache_terms', got yes"},
        {"augur_profile: 1\n", "augur_profile: 2\nframework: {name: augur, pass_cliff: 1}\n",
         AUGUR_E_SCHEMA, 2, 38, "expected true or false for 'pass_cliff', got 1"},
        {"augur_profile: 1\n", "augur_profile: 2\nframework: {name: pytorch, mkldn: true}\n",
         AUGUR_E_SCHEMA, 2, 28, "unknown key 'mkldn' in framework (did you mean 'mkldnn'?)"},
        /* a format-1 profile has neither */
        {"memory: {", "framework: {name: pytorch}\nmemory: {", AUGUR_E_SCHEMA, 7, 1,
         "'framework' needs profile format 2 (augur_profile: 2)"},
        {"memory: {", "machine: {llc_bytes: 1048576}\nmemory: {", AUGUR_E_SCHEMA, 7, 11,
         "'llc_bytes' needs profile format 2"},
        {"name: \"t\"\n", "", AUGUR_E_SCHEMA, 1, 1, "missing key 'name' in profile"},
        {"{time_ms: 2.5,", "{n: 3, time_ms: 2.5,", AUGUR_E_SCHEMA, 23, 9,
         "either 'gemms' or n, k, m, count"},
        {"{n: 32, k: 64,", "{n: 32,", AUGUR_E_SCHEMA, 22, 9, "missing key 'k' in sample"},
        {"n: 32, k: 64, m: 49, t", "n: 32.5, k: 64, m: 49, t", AUGUR_E_SCHEMA, 22, 13,
         "'n' must be a whole number, got 32.5"},
        {"n: 32, k: 64, m: 49, t", "n: \"32\", k: 64, m: 49, t", AUGUR_E_SCHEMA, 22, 13,
         "expected an integer for 'n', got '32'"},
        {"  cpu:\n", "  cpu2:\n", AUGUR_E_SCHEMA, 9, 3,
         "unknown key 'cpu2' in units (did you mean 'cpu'?)"},
        {"min_ms: 0.01", "min_ms: -1", AUGUR_E_SCHEMA, 16, 15, "'min_ms' must be positive"},
        /* NaN, infinities and absurd magnitudes in the time model are refused at load */
        {"[2e-8, 0.02]", "[.nan, 0.02]", AUGUR_E_SCHEMA, 20, 12,
         "expected a number for 'coefficient', got '.nan'"},
        {"[2e-8, 0.02]", "[2e-8, .inf]", AUGUR_E_SCHEMA, 20, 18,
         "expected a number for 'coefficient', got '.inf'"},
        {"[2e-8, 0.02]", "[-.Inf, 0.02]", AUGUR_E_SCHEMA, 20, 12,
         "expected a number for 'coefficient', got '-.Inf'"},
        {"[2e-8, 0.02]", "[NaN, 0.02]", AUGUR_E_SCHEMA, 20, 12, "expected a number"},
        {"[2e-8, 0.02]", "[1e999, 0.02]", AUGUR_E_SCHEMA, 20, 12,
         "'coefficient' must be between -1e+09 and 1e+09, got 1e999"},
        {"[2e-8, 0.02]", "[2e-8, -1e10]", AUGUR_E_SCHEMA, 20, 18,
         "'coefficient' must be between -1e+09 and 1e+09, got -1e10"},
        {"min_ms: 0.01", "min_ms: .inf", AUGUR_E_SCHEMA, 16, 15, "expected a number"},
        {"min_ms: 0.01", "min_ms: 1e-300", AUGUR_E_SCHEMA, 16, 15,
         "'min_ms' must be between 1e-12 and 1e+09, got 1e-300"},
        {"min_ms: 0.01", "min_ms: 1e10", AUGUR_E_SCHEMA, 16, 15, "'min_ms' must be between"},
        {"spread: 0.01", "spread: .nan", AUGUR_E_SCHEMA, 22, 53, "expected a number"},
        {"m: [49, 12544]", "m: [12544, 49]", AUGUR_E_SCHEMA, 17, 47,
         "range 'm' has max 49 below min 12544"},
        {"      - {n: 32, k: 64, m: 49, time_ms: 0.5, spread: 0.01}\n      - {time_ms: 2.5, "
         "label: \"net\", gemms: [[32, 64, 49, 2], [256, 64, 49, 1]]}\n",
         "      3\n", AUGUR_E_SCHEMA, 22, 7, "expected a sequence for 'samples', got a scalar"},
        /* the direct path comes with its region, and its region has one value per term */
        {"      regions:\n",
         "      direct: {max_nkm: 1000000, fc_max_nm: 1200, fc_min_k: 32}\n"
         "      regions:\n",
         AUGUR_E_SCHEMA, 18, 15, "'direct' and 'direct_region' must come together"},
        {"      regions:\n", "      direct_region: [1e-8]\n      regions:\n", AUGUR_E_SCHEMA, 18,
         22, "'direct' and 'direct_region' must come together"},
        {"      regions:\n",
         "      direct: {max_nkm: 0, fc_max_nm: 1200, fc_min_k: 32}\n"
         "      direct_region: [1e-8, 0.01]\n      regions:\n",
         AUGUR_E_SCHEMA, 18, 25, "'max_nkm' must be between 1"},
        {"      regions:\n",
         "      direct: {max_nkm: 1000000, fc_max_nm: 1200}\n"
         "      direct_region: [1e-8, 0.01]\n      regions:\n",
         AUGUR_E_SCHEMA, 18, 15, "missing key 'fc_min_k' in direct"},
        {"      regions:\n",
         "      direct: {max_nkm: 1000000, fc_max_nm: 1200, fc_min_k: 32}\n"
         "      direct_region: [1e-8]\n      regions:\n",
         AUGUR_E_SCHEMA, 19, 22, "expected a region as 2 coefficients"},
        /* not YAML, truncated, empty */
        {"units:\n", "units: [\n", AUGUR_E_SYNTAX, 0, 0, ""},
        {"augur_profile: 1\n", "- 1\n", AUGUR_E_SYNTAX, 0, 0, ""},
};

static char *replaced(const char *from, const char *to)
{
	const char *at = strstr(base, from);
	if (!at)
		return NULL;
	size_t len = strlen(base) - strlen(from) + strlen(to);
	char *s = malloc(len + 1);
	size_t pre = (size_t)(at - base);
	memcpy(s, base, pre);
	strcpy(s + pre, to);
	strcat(s, at + strlen(from));
	return s;
}

static char tmpdir[] = "/tmp/augur-test-profile-XXXXXX";

static int load_text(const char *text, struct augur_profile **p, struct augur_diag *diag)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/p.yaml", tmpdir);
	struct augur_diag wd = {0};
	if (augur_write_file_atomic(path, text, strlen(text), &wd))
		return -100;
	return augur_profile_load(path, p, diag);
}

static void test_bad(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		const struct bad_case *b = &bad[i];
		char *text = replaced(b->from, b->to);
		if (!text) {
			fprintf(stderr, "case %zu: '%s' not in the base profile\n", i, b->from);
			CHECK(text != NULL);
			continue;
		}
		struct augur_profile *p = (struct augur_profile *)1;
		struct augur_diag diag = {0};
		int rc = load_text(text, &p, &diag);
		if (rc != b->status || (b->line && (diag.line != b->line || diag.col != b->col)) ||
		    !strstr(diag.message, b->fragment))
			fprintf(stderr, "case %zu: got %d at %u:%u '%s'\n", i, rc, diag.line,
			        diag.col, diag.message);
		CHECK_EQ_INT(rc, b->status);
		CHECK(p == NULL);
		if (b->line) {
			CHECK_EQ_U64(diag.line, b->line);
			CHECK_EQ_U64(diag.col, b->col);
		}
		CHECK_CONTAINS(diag.message, b->fragment);
		free(text);
	}
	/* truncations at every 7th byte: never a crash, an error or a valid profile */
	size_t len = strlen(base);
	for (size_t cut = 0; cut < len; cut += 7) {
		char *text = strndup(base, cut);
		struct augur_profile *p = NULL;
		struct augur_diag diag = {0};
		int rc = load_text(text, &p, &diag);
		CHECK(rc == 0 || (rc < 0 && diag.message[0] && p == NULL));
		augur_profile_free(p);
		free(text);
	}
	/* the base itself loads */
	struct augur_profile *p = NULL;
	struct augur_diag diag = {0};
	CHECK_EQ_INT(load_text(base, &p, &diag), 0);
	if (p) {
		CHECK(p->cpu && !p->gpu);
		CHECK_EQ_U64(p->cpu->n_samples, 2);
		CHECK_EQ_U64(p->cpu->samples[1].n_gemms, 2);
		CHECK_EQ_U64(p->cpu->samples[0].gemms[0].count, 1);
		CHECK_STR_EQ(p->cpu->samples[1].label, "net");
		/* quality absent: computed on load */
		CHECK_EQ_U64(p->cpu->quality.n_train, 2);
		CHECK(isnan(p->cpu->quality.heldout_median_rel_err));
	}
	augur_profile_free(p);
}

static struct augur_unit *make_unit(enum augur_unit_kind kind)
{
	struct augur_unit *u = augur_unit_new(kind);
	u->library = strdup("OpenBLAS 0.3.21 \"quoted\" \\ back");
	u->processor = strdup("CPU: with colon, #hash and\ttab");
	u->threads = 2;
	u->memory_bytes = 8ull << 30;
	u->framework_overhead_bytes = 123456789;
	u->overhead_without_conv_bytes = kind == AUGUR_UNIT_CPU ? 10291752 : 0;
	u->weights_copied = kind == AUGUR_UNIT_GPU;
	struct augur_timemodel *tm = &u->gemm;
	tm->term_mask = (1u << AUGUR_TERM_COUNT) - 1;
	tm->n_breaks_n = 1;
	tm->breaks_n[0] = 128;
	tm->n_breaks_m = 2;
	tm->breaks_m[0] = 49;
	tm->breaks_m[1] = 3136;
	for (int r = 0; r < 6; r++)
		for (int t = 0; t < AUGUR_TERM_COUNT; t++)
			tm->regions[r].coef[t] = (r + 1) * (t - 1.5) / 3.0 * 1e-7 + 1e-300 * t;
	if (kind == AUGUR_UNIT_CPU) {
		augur_direct_path_for_library("OpenBLAS 0.3.21 Cooperlake", &tm->direct);
		for (int t = 0; t < AUGUR_TERM_COUNT; t++)
			tm->direct_region.coef[t] = (t + 1) / 7.0 * 1e-8;
	}
	tm->range = (struct augur_validity){32, 4096, 64, 25088, 1, 12544};
	tm->min_ms = 0.1 / 3.0;
	u->quality = (struct augur_fit_quality){0.01 / 7, NAN, NAN, 3, 0, 1};
	struct augur_sample_gemm g[3] = {{96, 363, 3025, 1}, {256, 2304, 169, 2}, {1, 1, 1, 9}};
	struct augur_sample s = {.time_ms = 1.0 / 3, .spread = 0.1, .n_gemms = 1, .gemms = g};
	augur_unit_add_sample(u, &s);
	s.held_out = true;
	s.label = "alexnet conv1";
	s.fc_layout = true;
	s.time_ms = 2e-5;
	augur_unit_add_sample(u, &s);
	s = (struct augur_sample){
	        .time_ms = 123.456, .label = "vgg16 conv", .n_gemms = 3, .gemms = g};
	augur_unit_add_sample(u, &s);
	augur_unit_derive(u); /* as a loader or fitter does when the samples change */
	CHECK(u->gemm.one_per_layer && u->calls_fitted_max > 0); /* an aggregate sample */
	return u;
}

static void check_same_unit(const struct augur_unit *a, const struct augur_unit *b)
{
	CHECK_EQ_INT(a->kind, b->kind);
	CHECK_STR_EQ(a->library, b->library);
	CHECK_STR_EQ(a->processor, b->processor);
	CHECK_EQ_U64(a->threads, b->threads);
	CHECK_EQ_U64(a->memory_bytes, b->memory_bytes);
	CHECK_EQ_U64(a->framework_overhead_bytes, b->framework_overhead_bytes);
	CHECK_EQ_U64(a->overhead_without_conv_bytes, b->overhead_without_conv_bytes);
	CHECK_EQ_INT(a->weights_copied, b->weights_copied);
	CHECK(!memcmp(&a->gemm, &b->gemm, sizeof(a->gemm)));
	CHECK(a->quality.train_median_rel_err == b->quality.train_median_rel_err);
	CHECK(isnan(b->quality.heldout_median_rel_err));
	CHECK_EQ_U64(a->quality.n_dropped, b->quality.n_dropped);
	CHECK_EQ_U64(a->n_samples, b->n_samples);
	for (size_t i = 0; i < a->n_samples && i < b->n_samples; i++) {
		const struct augur_sample *x = &a->samples[i], *y = &b->samples[i];
		CHECK(x->time_ms == y->time_ms);
		CHECK(x->spread == y->spread);
		CHECK_EQ_INT(x->held_out, y->held_out);
		CHECK_EQ_INT(x->fc_layout, y->fc_layout);
		CHECK((!x->label && !y->label) ||
		      (x->label && y->label && !strcmp(x->label, y->label)));
		CHECK_EQ_U64(x->n_gemms, y->n_gemms);
		CHECK(x->n_gemms == y->n_gemms &&
		      !memcmp(x->gemms, y->gemms, x->n_gemms * sizeof(*x->gemms)));
	}
}

/* Booleans read the same in profiles as in descriptors (schema.c): True and False, as
 * YAML 1.1 writers spell them, are true and false. */
static void test_booleans(void)
{
	static const char *const spellings[][2] = {
	        {"true", "1"}, {"True", "1"}, {"false", "0"}, {"False", "0"}};
	for (size_t i = 0; i < 4; i++) {
		char to[64];
		snprintf(to, sizeof(to), "shared_memory: %s", spellings[i][0]);
		char *text = replaced("shared_memory: false", to);
		struct augur_profile *p = NULL;
		struct augur_diag diag = {0};
		CHECK(text != NULL);
		if (text)
			CHECK_EQ_INT(load_text(text, &p, &diag), AUGUR_OK);
		if (p)
			CHECK_EQ_INT(p->shared_memory, spellings[i][1][0] == '1');
		augur_profile_free(p);
		free(text);
	}
}

static void test_round_trip(void)
{
	struct augur_profile *p = augur_profile_new();
	p->name = strdup("tx1");
	p->description = strdup("Jetson TX1: \"quoted\", unicode µs");
	p->created = strdup("2026-11-21T00:00:00Z");
	p->augur_version = strdup("0.1.0");
	p->source = strdup("test");
	p->cpu_model = strdup("ARMv8 Processor rev 1 (v8l)");
	p->cpu_cores = 4;
	p->ram_bytes = 4ull << 30;
	p->shared_memory = true;
	p->pointer_bits = 64;
	p->cpu = make_unit(AUGUR_UNIT_CPU);
	p->gpu = make_unit(AUGUR_UNIT_GPU);
	char a[256], b[256];
	snprintf(a, sizeof(a), "%s/a.yaml", tmpdir);
	snprintf(b, sizeof(b), "%s/b.yaml", tmpdir);
	struct augur_diag diag = {0};
	CHECK_EQ_INT(augur_profile_save(p, a, &diag), 0);
	struct augur_profile *q = NULL;
	CHECK_EQ_INT(augur_profile_load(a, &q, &diag), 0);
	if (diag.message[0])
		fprintf(stderr, "%s:%u:%u: %s\n", diag.path, diag.line, diag.col, diag.message);
	if (q) {
		CHECK_STR_EQ(q->name, p->name);
		CHECK_STR_EQ(q->description, p->description);
		CHECK_STR_EQ(q->created, p->created);
		CHECK_STR_EQ(q->cpu_model, p->cpu_model);
		CHECK(q->cpu_governor == NULL && q->openblas_coretype == NULL);
		CHECK_EQ_U64(q->cpu_cores, 4);
		CHECK_EQ_U64(q->ram_bytes, p->ram_bytes);
		CHECK_EQ_INT(q->shared_memory, 1);
		check_same_unit(p->cpu, q->cpu);
		check_same_unit(p->gpu, q->gpu);
		CHECK(augur_profile_unit(q, "gpu") == q->gpu);
		CHECK(augur_profile_unit(q, "npu") == NULL);
		/* and the same bytes again */
		CHECK_EQ_INT(augur_profile_save(q, b, &diag), 0);
		char *x = NULL, *y = NULL;
		size_t lx = 0, ly = 0;
		augur_read_file(a, 1 << 20, &x, &lx, &diag);
		augur_read_file(b, 1 << 20, &y, &ly, &diag);
		CHECK(x && y && lx == ly && !memcmp(x, y, lx));
		free(x);
		free(y);
	}
	augur_profile_free(q);
	augur_profile_free(p);
}

/* A profile that states its machine's caches and its framework is written as format 2 and
 * reads back fact by fact; one that states none is written as format 1, as before. */
static void test_round_trip_format2(void)
{
	struct augur_profile *p = augur_profile_new();
	p->name = strdup("epyc");
	p->description = strdup("d");
	p->created = strdup("2026-12-04T00:00:00Z");
	p->augur_version = strdup("0.1.0");
	p->source = strdup("test");
	p->pointer_bits = 64;
	p->cpu = make_unit(AUGUR_UNIT_CPU);
	char *text = NULL;
	size_t len = 0;
	CHECK_EQ_INT(augur_profile_format(p, &text, &len), 0);
	CHECK_CONTAINS(text, "augur_profile: 1\n");
	CHECK(text && !strstr(text, "framework:") && !strstr(text, "llc_bytes"));
	free(text);
	/* a VM's reported L3 and the size it reads at cache speed (measured) */
	p->machine = (struct augur_machine_facts){480ull << 20, 1ull << 20,  32768, 4096, 12.5,
	                                          NAN,          32ull << 20, 0.476, 0};
	p->framework.name = strdup("pytorch");
	p->framework.version = strdup("1.13.1");
	p->framework.mkldnn = 0;
	p->framework.threads = 1;
	p->framework.fresh_buffer_bytes = 32ull << 20;
	p->framework.pool_index_bytes = 8;
	/* not stated: the allocated view, as before the fact existed, whatever the name */
	CHECK_EQ_INT(augur_framework_memory_view(&p->framework), AUGUR_VIEW_ALLOCATED);
	p->framework.memory_view = AUGUR_VIEW_MINIMAL;
	/* likewise grouped convolutions: together (one im2col buffer) unless stated */
	CHECK_EQ_INT(augur_framework_conv_groups(&p->framework), AUGUR_GROUPS_TOGETHER);
	CHECK_EQ_INT(augur_profile_format(p, &text, &len), 0);
	CHECK(text && !strstr(text, "conv_groups"));
	/* and the cache features: not stated is not offered, and not written */
	CHECK(text && !strstr(text, "cache_terms"));
	CHECK(!augur_framework_cache_terms(&p->framework));
	/* nor the pass cliff: a profile from before it keeps the log ramp it was fitted with */
	CHECK(text && !strstr(text, "pass_cliff"));
	CHECK(!augur_framework_pass_cliff(&p->framework));
	/* nor LRN's temporaries (none), nor how its convolutions run (im2col) */
	CHECK(text && !strstr(text, "lrn_temporaries") && !strstr(text, "conv_im2col"));
	CHECK(!augur_framework_conv_direct(&p->framework));
	CHECK_EQ_U64(augur_framework_conv_block(&p->framework), 8); /* not stated: AVX2's */
	free(text);
	p->framework.conv_groups = AUGUR_GROUPS_ONE_AT_A_TIME;
	p->framework.cache_terms = 1;
	p->framework.pass_cliff = 1;
	p->framework.memory_view = AUGUR_VIEW_HEAP;
	p->framework.lrn_temporaries = 4;
	p->framework.conv_im2col = -1;
	p->framework.conv_block = 16;
	p->framework.conv_cache_share = 0.7;
	p->framework.alloc_slack_bytes = 96;
	p->framework.weights_staged = 1;
	p->framework.affine_in_place = -1;
	CHECK_EQ_INT(augur_profile_format(p, &text, &len), 0);
	CHECK_CONTAINS(text, "augur_profile: 2\n");
	CHECK_CONTAINS(text, "\n  memory_view: heap\n  conv_groups: one_at_a_time\n  "
	                     "cache_terms: true\n  pass_cliff: true\n  conv_im2col: false\n  "
	                     "conv_block: 16\n  conv_cache_share: 0.70\n  lrn_temporaries: 4\n  "
	                     "alloc_slack_bytes: 96\n  weights_staged: true\n  "
	                     "affine_in_place: false");
	struct augur_profile *q = NULL;
	struct augur_diag diag = {0};
	CHECK_EQ_INT(augur_profile_parse("mem.yaml", text, len, &q, &diag), 0);
	if (diag.message[0])
		fprintf(stderr, "%s:%u:%u: %s\n", diag.path, diag.line, diag.col, diag.message);
	if (q) {
		CHECK_EQ_U64(q->machine.llc_bytes, 480ull << 20);
		CHECK_EQ_U64(q->machine.llc_effective_bytes, 32ull << 20);
		/* the reference workload's time when calibrated, read back exactly */
		CHECK(q->machine.probe_ms == 0.476);
		/* the thresholds follow the measured size: the reference board's 4-64 MiB ramp */
		struct augur_thresholds th;
		augur_profile_thresholds(q, &th);
		CHECK_EQ_U64(th.pass_cached_bytes, 4ull << 20);
		CHECK_EQ_U64(th.pass_evicted_bytes, 64ull << 20);
		/* and the cliff the fact asks for: half the measured LLC to all of it; the
		 * core's level from half the L2 to four times it */
		CHECK(th.pass_cliff);
		CHECK_EQ_U64(th.pass_cliff_lo_bytes, 16ull << 20);
		CHECK_EQ_U64(th.pass_cliff_hi_bytes, 32ull << 20);
		CHECK_EQ_U64(th.pass_core_bytes, 512ull << 10);
		CHECK_EQ_U64(th.pass_core_hi_bytes, 4ull << 20);
		CHECK_EQ_U64(th.streamed_weight_bytes, 32ull << 20);
		CHECK_EQ_U64(q->machine.l2_bytes, 1ull << 20);
		CHECK_EQ_U64(q->machine.l1d_bytes, 32768);
		CHECK_EQ_U64(q->machine.page_bytes, 4096);
		CHECK(q->machine.stream_gib_per_s == 12.5);
		CHECK(isnan(q->machine.fault_ms_per_mib));
		CHECK_STR_EQ(q->framework.name, "pytorch");
		CHECK_STR_EQ(q->framework.version, "1.13.1");
		CHECK(q->framework.library == NULL);
		CHECK_EQ_INT(q->framework.mkldnn, 0);
		CHECK_EQ_U64(q->framework.threads, 1);
		CHECK_EQ_U64(q->framework.fresh_buffer_bytes, 32ull << 20);
		CHECK_EQ_INT((int)q->framework.pool_index_bytes, 8);
		CHECK_EQ_INT(augur_framework_memory_view(&q->framework), AUGUR_VIEW_HEAP);
		CHECK_EQ_INT(q->framework.conv_groups, AUGUR_GROUPS_ONE_AT_A_TIME);
		CHECK_EQ_U64(q->framework.lrn_temporaries, 4);
		CHECK_EQ_U64(q->framework.alloc_slack_bytes, 96);
		CHECK_EQ_INT(q->framework.weights_staged, 1);
		CHECK_EQ_INT(q->framework.affine_in_place, -1);
		CHECK(augur_framework_conv_direct(&q->framework));
		CHECK_EQ_U64(augur_framework_conv_block(&q->framework), 16);
		CHECK(q->framework.conv_cache_share == 0.7);
		CHECK(augur_framework_cache_terms(&q->framework));
		char line[256];
		CHECK(augur_framework_describe(&q->framework, line, sizeof(line)));
		CHECK_STR_EQ(line, "pytorch 1.13.1, mkldnn off, 1 thread");
		char *again = NULL;
		size_t alen = 0;
		CHECK_EQ_INT(augur_profile_format(q, &again, &alen), 0);
		CHECK(again && alen == len && !memcmp(again, text, len));
		free(again);
	}
	augur_profile_free(q);
	free(text);
	/* a size chosen by cross-validation is written, read back, and is the size the
	 * thresholds use, over the measured knee */
	p->machine.llc_fitted_bytes = 48ull << 20;
	CHECK_EQ_INT(augur_profile_format(p, &text, &len), 0);
	CHECK_CONTAINS(text, "\n  llc_effective_bytes: 33554432\n  llc_fitted_bytes: 50331648\n");
	q = NULL;
	CHECK_EQ_INT(augur_profile_parse("mem.yaml", text, len, &q, &diag), 0);
	if (q) {
		CHECK_EQ_U64(q->machine.llc_effective_bytes, 32ull << 20);
		CHECK_EQ_U64(q->machine.llc_fitted_bytes, 48ull << 20);
		CHECK_EQ_U64(augur_machine_llc(&q->machine), 48ull << 20);
		struct augur_thresholds th;
		augur_profile_thresholds(q, &th);
		CHECK_EQ_U64(th.streamed_weight_bytes, 48ull << 20);
		CHECK_EQ_U64(th.pass_cliff_lo_bytes, 24ull << 20);
	}
	augur_profile_free(q);
	free(text);
	p->machine.llc_fitted_bytes = 0;
	/* a machine fact alone (no framework) is format 2 too; unknown facts stay unknown */
	free(p->framework.name);
	p->framework.name = NULL;
	p->machine = (struct augur_machine_facts){2ull << 20, 0, 0, 0, NAN, NAN, 0, 0, 0};
	CHECK_EQ_INT(augur_profile_format(p, &text, &len), 0);
	CHECK_CONTAINS(text, "framework: null\n");
	q = NULL;
	CHECK_EQ_INT(augur_profile_parse("mem.yaml", text, len, &q, &diag), 0);
	if (q) {
		CHECK_EQ_U64(q->machine.llc_bytes, 2ull << 20);
		CHECK_EQ_U64(q->machine.llc_effective_bytes, 0);
		CHECK(q->machine.probe_ms == 0); /* not measured: not written, read as 0 */
		CHECK_EQ_U64(augur_machine_llc(&q->machine), 2ull << 20);
		CHECK_EQ_U64(q->machine.l2_bytes, 0);
		CHECK(q->framework.name == NULL && q->framework.pool_index_bytes == -1 &&
		      q->framework.mkldnn == -1);
		CHECK_EQ_INT(augur_framework_memory_view(&q->framework), AUGUR_VIEW_ALLOCATED);
		char line[64];
		CHECK(!augur_framework_describe(&q->framework, line, sizeof(line)));
		/* the model reads the stated cache; the unstated allocator keeps glibc's */
		struct augur_thresholds th;
		augur_profile_thresholds(q, &th);
		CHECK_EQ_U64(th.streamed_weight_bytes, 2097152);
		CHECK_EQ_U64(th.pass_cached_bytes, 262144);
		CHECK_EQ_U64(th.fresh_buffer_bytes, 33554432);
		/* no L2 stated: the core's cache is half the reference 512 KiB */
		CHECK_EQ_U64(th.core_cache_bytes, 262144);
		/* a stated 2 MiB L2 (this Xeon's): half of it */
		q->machine.l2_bytes = 2ull << 20;
		augur_profile_thresholds(q, &th);
		CHECK_EQ_U64(th.core_cache_bytes, 1048576);
	}
	augur_profile_free(q);
	free(text);
	augur_profile_free(p);
}

static void test_find(void)
{
	char path[512];
	struct augur_diag diag = {0};
	setenv("AUGUR_PROFILE_PATH", tmpdir, 1);
	CHECK_EQ_INT(augur_profile_find("a", path, sizeof(path), &diag), 0);
	CHECK_CONTAINS(path, "/a.yaml");
	char direct[256];
	snprintf(direct, sizeof(direct), "%s/b.yaml", tmpdir);
	CHECK_EQ_INT(augur_profile_find(direct, path, sizeof(path), &diag), 0);
	CHECK_STR_EQ(path, direct);
	CHECK(augur_profile_find("zzzz-none", path, sizeof(path), &diag) < 0);
	CHECK_CONTAINS(diag.message, "unknown profile 'zzzz-none'");
	CHECK_CONTAINS(diag.message, "available:");
	CHECK_CONTAINS(diag.message, "a, ");
	CHECK(augur_profile_find("aa", path, sizeof(path), &diag) < 0);
	CHECK_CONTAINS(diag.message, "did you mean");
	CHECK(augur_profile_find("/no/such/file.yaml", path, sizeof(path), &diag) < 0);
	unsetenv("AUGUR_PROFILE_PATH");
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_bad();
	test_booleans();
	test_round_trip();
	test_round_trip_format2();
	test_find();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return check_finish();
}
