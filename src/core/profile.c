/* Device profiles (see profile.h and docs/profiles.md): ownership helpers, the YAML loader
 * (walks the yamldoc tree; every error names its node), the writer (doubles with 17
 * significant digits so a profile round-trips exactly, written atomically) and the
 * search for a profile by name. */
#include <dirent.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "augur-config.h"
#include "datadir.h"
#include "fileio.h"
#include "layercost.h"
#include "net.h"
#include "numparse.h"
#include "profile.h"
#include "schema.h"
#include "strbuf.h"
#include "suggest.h"
#include "yamldoc.h"

/* Format 1 has no machine caches and no framework; augur writes it for a profile that
 * states none of them, format 2 otherwise (docs/profiles.md). */
#define PROFILE_FORMAT 2
#define MAX_DIM        (1ull << 40)
#define MAX_SAMPLES    100000u
#define MAX_GEMMS      100000u
#define MAX_SAMPLE_MS  1e9 /* eleven days: any measured time is far below */

/* ---- ownership ---- */

struct augur_profile *augur_profile_new(void)
{
	struct augur_profile *p = calloc(1, sizeof(struct augur_profile));
	if (p) {
		p->machine.stream_gib_per_s = NAN;
		p->machine.fault_ms_per_mib = NAN;
		p->framework.mkldnn = -1;
		p->framework.pool_index_bytes = -1;
	}
	return p;
}

struct augur_unit *augur_unit_new(enum augur_unit_kind kind)
{
	struct augur_unit *u = calloc(1, sizeof(*u));
	if (u)
		u->kind = kind;
	return u;
}

void augur_unit_free(struct augur_unit *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n_samples; i++)
		augur_sample_clear(&u->samples[i]);
	free(u->samples);
	free(u->library);
	free(u->processor);
	augur_layer_costs_free(u->costs);
	free(u);
}

void augur_profile_free(struct augur_profile *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->description);
	free(p->created);
	free(p->augur_version);
	free(p->source);
	free(p->cpu_model);
	free(p->cpu_governor);
	free(p->openblas_coretype);
	augur_framework_clear(&p->framework);
	augur_unit_free(p->cpu);
	augur_unit_free(p->gpu);
	free(p);
}

void augur_unit_derive(struct augur_unit *u)
{
	u->calls_fitted_max = augur_samples_max_aggregate_calls(u->samples, u->n_samples);
	u->gemm.one_per_layer = u->calls_fitted_max > 0;
}

int augur_unit_add_sample(struct augur_unit *u, const struct augur_sample *s)
{
	struct augur_sample copy = *s;
	copy.label = s->label ? strdup(s->label) : NULL;
	copy.gemms = malloc((s->n_gemms ? s->n_gemms : 1) * sizeof(*s->gemms));
	struct augur_sample *grown = realloc(u->samples, (u->n_samples + 1) * sizeof(*grown));
	if (grown)
		u->samples = grown;
	if (!grown || !copy.gemms || (s->label && !copy.label)) {
		free(copy.label);
		free(copy.gemms);
		return AUGUR_E_NOMEM;
	}
	if (s->n_gemms)
		memcpy(copy.gemms, s->gemms, s->n_gemms * sizeof(*s->gemms));
	u->samples[u->n_samples++] = copy;
	return AUGUR_OK;
}

const struct augur_unit *augur_profile_unit(const struct augur_profile *p, const char *name)
{
	if (!p || !name)
		return NULL;
	if (!strcmp(name, "cpu"))
		return p->cpu;
	if (!strcmp(name, "gpu"))
		return p->gpu;
	return NULL;
}

const char *augur_unit_kind_name(enum augur_unit_kind kind)
{
	return kind == AUGUR_UNIT_GPU ? "gpu" : "cpu";
}

void augur_framework_clear(struct augur_framework *fw)
{
	free(fw->name);
	free(fw->version);
	free(fw->library);
	*fw = (struct augur_framework){.mkldnn = -1, .pool_index_bytes = -1};
}

int augur_framework_copy(struct augur_framework *dst, const struct augur_framework *src)
{
	/* copied before dst is cleared: dst may be src */
	struct augur_framework c = *src;
	c.name = src->name ? strdup(src->name) : NULL;
	c.version = src->version ? strdup(src->version) : NULL;
	c.library = src->library ? strdup(src->library) : NULL;
	bool nomem = (src->name && !c.name) || (src->version && !c.version) ||
	             (src->library && !c.library);
	augur_framework_clear(dst);
	if (nomem) {
		augur_framework_clear(&c);
		return AUGUR_E_NOMEM;
	}
	*dst = c;
	return AUGUR_OK;
}

uint64_t augur_machine_llc(const struct augur_machine_facts *m)
{
	return m->llc_fitted_bytes      ? m->llc_fitted_bytes
	       : m->llc_effective_bytes ? m->llc_effective_bytes
	                                : m->llc_bytes;
}

size_t augur_cache_ladder(uint64_t lo, uint64_t hi, uint64_t *out, size_t max)
{
	size_t n = 0;
	for (uint64_t s = 1ull << 20; s <= hi && n < max && s <= UINT64_MAX / 4; s *= 2) {
		if (s >= lo)
			out[n++] = s;
		if (s + s / 2 >= lo && s + s / 2 <= hi && n < max)
			out[n++] = s + s / 2;
	}
	return n;
}

void augur_profile_thresholds(const struct augur_profile *p, struct augur_thresholds *out)
{
	augur_thresholds_derive(augur_machine_llc(&p->machine), p->framework.fresh_buffer_bytes,
	                        p->framework.pool_index_bytes, out);
	if (p->machine.l2_bytes) {
		out->core_cache_bytes = p->machine.l2_bytes / 2;
		out->pass_core_bytes = p->machine.l2_bytes / 2;
		out->pass_core_hi_bytes = p->machine.l2_bytes * 4;
	}
	out->pass_cliff = augur_framework_pass_cliff(&p->framework);
	out->conv_direct = augur_framework_conv_direct(&p->framework);
	out->conv_block = augur_framework_conv_block(&p->framework);
	out->direct_min_input_values = p->framework.direct_conv_min_input_values;
	out->direct_1x1_min_batch = p->framework.direct_conv_1x1_min_batch;
	out->threads = p->framework.threads;
}

enum augur_memory_view augur_framework_memory_view(const struct augur_framework *fw)
{
	return fw->memory_view == AUGUR_VIEW_UNSTATED ? AUGUR_VIEW_ALLOCATED : fw->memory_view;
}

const char *augur_memory_view_name(enum augur_memory_view v)
{
	return v == AUGUR_VIEW_MINIMAL ? "minimal" : v == AUGUR_VIEW_HEAP ? "heap" : "allocated";
}

enum augur_conv_groups augur_framework_conv_groups(const struct augur_framework *fw)
{
	return fw->conv_groups == AUGUR_GROUPS_ONE_AT_A_TIME ? AUGUR_GROUPS_ONE_AT_A_TIME
	                                                     : AUGUR_GROUPS_TOGETHER;
}

bool augur_framework_cache_terms(const struct augur_framework *fw)
{
	return fw->cache_terms > 0;
}

bool augur_framework_pass_cliff(const struct augur_framework *fw)
{
	return fw->pass_cliff > 0;
}

struct augur_conv_dispatch augur_framework_conv_dispatch(const struct augur_framework *fw)
{
	return (struct augur_conv_dispatch){
	        .direct = augur_framework_conv_direct(fw),
	        .min_input_values = fw->direct_conv_min_input_values,
	        .min_batch_1x1 = fw->direct_conv_1x1_min_batch,
	        .threads = fw->threads,
	        .block = augur_framework_conv_block(fw),
	};
}

bool augur_framework_conv_direct(const struct augur_framework *fw)
{
	return fw->conv_im2col < 0;
}

uint32_t augur_framework_conv_block(const struct augur_framework *fw)
{
	return fw->conv_block ? fw->conv_block : 8;
}

const char *augur_conv_groups_name(enum augur_conv_groups g)
{
	return g == AUGUR_GROUPS_ONE_AT_A_TIME ? "one_at_a_time" : "together";
}

bool augur_framework_describe(const struct augur_framework *fw, char *buf, size_t size)
{
	if (size)
		*buf = '\0';
	if (!fw->name || !size)
		return false;
	size_t used = 0;
#define PUT(...)                                                                                   \
	do {                                                                                       \
		if (used < size)                                                                   \
			used += (size_t)snprintf(buf + used, size - used, __VA_ARGS__);            \
	} while (0)
	PUT("%s", fw->name);
	if (fw->version)
		PUT(" %s", fw->version);
	if (fw->library)
		PUT(" (%s)", fw->library);
	if (fw->mkldnn >= 0)
		PUT(", mkldnn %s", fw->mkldnn ? "on" : "off");
	if (fw->threads)
		PUT(", %u thread%s", fw->threads, fw->threads == 1 ? "" : "s");
#undef PUT
	return true;
}

/* ---- loading ---- */

/* A uint32_t in [min, max]. */
static int get_u32(const struct augur_schema *c, const struct augur_ynode *n, const char *what,
                   uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int rc = augur_schema_u64(c, n, what, min, max, &v);
	if (!rc)
		*out = (uint32_t)v;
	return rc;
}

/* A number, or null for "not known" (NAN). */
static int get_double_or_null(const struct augur_schema *c, const struct augur_ynode *n,
                              const char *what, double *out)
{
	if (augur_ynode_is_null(n)) {
		*out = NAN;
		return AUGUR_OK;
	}
	return augur_schema_double(c, n, what, 0, INFINITY, out);
}

/* An integer in [min, max], or null for "not known" (0). */
static int get_u64_or_null(const struct augur_schema *c, const struct augur_ynode *n,
                           const char *what, uint64_t min, uint64_t max, uint64_t *out)
{
	if (augur_ynode_is_null(n)) {
		*out = 0;
		return AUGUR_OK;
	}
	return augur_schema_u64(c, n, what, min, max, out);
}

/* A string copied to *out; null gives NULL when nullable, an error otherwise. */
static int get_str(const struct augur_schema *c, const struct augur_ynode *n, const char *what,
                   bool nullable, char **out)
{
	if (n->kind != AUGUR_YSCALAR)
		return augur_schema_err(c, n, AUGUR_E_SCHEMA, "expected a string for '%s', got %s",
		                        what, augur_ynode_kind_name(n->kind));
	if (augur_ynode_is_null(n)) {
		if (!nullable)
			return augur_schema_err(c, n, AUGUR_E_SCHEMA,
			                        "expected a string for '%s', got nothing", what);
		*out = NULL;
		return AUGUR_OK;
	}
	if (strlen(n->text) > 4096)
		return augur_schema_err(c, n, AUGUR_E_SCHEMA, "'%s' is longer than 4096 characters",
		                        what);
	free(*out);
	*out = strdup(n->text);
	return *out ? AUGUR_OK : augur_schema_nomem(c);
}

static int parse_gemm(const struct augur_schema *c, const struct augur_ynode *n,
                      struct augur_sample_gemm *g)
{
	if (n->kind != AUGUR_YSEQ || n->len != 4)
		return augur_schema_err(c, n, AUGUR_E_SCHEMA,
		                        "expected a GEMM as [n, k, m, count]");
	int rc;
	if ((rc = augur_schema_u64(c, n->items[0], "n", 1, MAX_DIM, &g->n)) ||
	    (rc = augur_schema_u64(c, n->items[1], "k", 1, MAX_DIM, &g->k)) ||
	    (rc = augur_schema_u64(c, n->items[2], "m", 1, MAX_DIM, &g->m)) ||
	    (rc = augur_schema_u64(c, n->items[3], "count", 1, MAX_DIM, &g->count)))
		return rc;
	return AUGUR_OK;
}

static int parse_sample(const struct augur_schema *c, const struct augur_ynode *n,
                        struct augur_sample *s)
{
	static const char *const keys[] = {"n",      "k",        "m",     "count",  "time_ms",
	                                   "spread", "held_out", "label", "layout", "gemms"};
	int rc;
	if ((rc = augur_schema_map(c, n, "sample")) ||
	    (rc = augur_schema_known_keys(c, n, "sample", keys, sizeof(keys) / sizeof(*keys))))
		return rc;
	const struct augur_ynode *v;
	if ((rc = augur_schema_need(c, n, "time_ms", "sample", &v)) ||
	    (rc = augur_schema_double(c, v, "time_ms", -INFINITY, MAX_SAMPLE_MS, &s->time_ms)))
		return rc;
	if (!(s->time_ms > 0))
		return augur_schema_err(c, v, AUGUR_E_SCHEMA, "'time_ms' must be positive, got %s",
		                        v->text);
	if ((v = augur_ynode_get(n, "spread")) &&
	    (rc = augur_schema_double(c, v, "spread", 0, MAX_SAMPLE_MS, &s->spread)))
		return rc;
	if ((v = augur_ynode_get(n, "held_out")) &&
	    (rc = augur_schema_bool(c, v, "held_out", &s->held_out)))
		return rc;
	if ((v = augur_ynode_get(n, "label")) && (rc = get_str(c, v, "label", true, &s->label)))
		return rc;
	if ((v = augur_ynode_get(n, "layout"))) {
		if (v->kind == AUGUR_YSCALAR && !strcmp(v->text, "fc"))
			s->fc_layout = true;
		else if (!(v->kind == AUGUR_YSCALAR && !strcmp(v->text, "conv")))
			return augur_schema_err(
			        c, v, AUGUR_E_SCHEMA, "unknown layout '%s' (expected conv or fc)",
			        v->kind == AUGUR_YSCALAR ? v->text
			                                 : augur_ynode_kind_name(v->kind));
	}
	const struct augur_ynode *gl = augur_ynode_get(n, "gemms");
	if (gl) {
		if (augur_ynode_get(n, "n") || augur_ynode_get(n, "k") || augur_ynode_get(n, "m") ||
		    augur_ynode_get(n, "count"))
			return augur_schema_err(c, n, AUGUR_E_SCHEMA,
			                        "a sample has either 'gemms' or n, k, m, count, "
			                        "not both");
		if ((rc = augur_schema_seq(c, gl, "gemms")))
			return rc;
		if (gl->len == 0 || gl->len > MAX_GEMMS)
			return augur_schema_err(c, gl, AUGUR_E_SCHEMA,
			                        "expected 1 to %u GEMMs in 'gemms', got %zu",
			                        MAX_GEMMS, gl->len);
		s->gemms = calloc(gl->len, sizeof(*s->gemms));
		if (!s->gemms)
			return augur_schema_nomem(c);
		s->n_gemms = gl->len;
		for (size_t i = 0; i < gl->len; i++)
			if ((rc = parse_gemm(c, gl->items[i], &s->gemms[i])))
				return rc;
		return AUGUR_OK;
	}
	s->gemms = calloc(1, sizeof(*s->gemms));
	if (!s->gemms)
		return augur_schema_nomem(c);
	s->n_gemms = 1;
	struct augur_sample_gemm *g = s->gemms;
	g->count = 1;
	if ((rc = augur_schema_need(c, n, "n", "sample", &v)) ||
	    (rc = augur_schema_u64(c, v, "n", 1, MAX_DIM, &g->n)) ||
	    (rc = augur_schema_need(c, n, "k", "sample", &v)) ||
	    (rc = augur_schema_u64(c, v, "k", 1, MAX_DIM, &g->k)) ||
	    (rc = augur_schema_need(c, n, "m", "sample", &v)) ||
	    (rc = augur_schema_u64(c, v, "m", 1, MAX_DIM, &g->m)))
		return rc;
	if ((v = augur_ynode_get(n, "count")) &&
	    (rc = augur_schema_u64(c, v, "count", 1, MAX_DIM, &g->count)))
		return rc;
	return AUGUR_OK;
}

static int parse_breaks(const struct augur_schema *c, const struct augur_ynode *n, const char *what,
                        uint64_t *breaks, uint32_t *count)
{
	int rc;
	if ((rc = augur_schema_seq(c, n, what)))
		return rc;
	if (n->len > AUGUR_MODEL_MAX_BREAKS)
		return augur_schema_err(c, n, AUGUR_E_SCHEMA,
		                        "at most %d breakpoints in '%s', got %zu",
		                        AUGUR_MODEL_MAX_BREAKS, what, n->len);
	for (size_t i = 0; i < n->len; i++) {
		if ((rc = augur_schema_u64(c, n->items[i], what, 1, MAX_DIM, &breaks[i])))
			return rc;
		if (i && breaks[i] <= breaks[i - 1])
			return augur_schema_err(
			        c, n->items[i], AUGUR_E_SCHEMA,
			        "breakpoints in '%s' must increase: %llu follows %llu", what,
			        (unsigned long long)breaks[i], (unsigned long long)breaks[i - 1]);
	}
	*count = (uint32_t)n->len;
	return AUGUR_OK;
}

static int parse_range_axis(const struct augur_schema *c, const struct augur_ynode *map,
                            const char *key, uint64_t *lo, uint64_t *hi)
{
	const struct augur_ynode *n;
	int rc;
	if ((rc = augur_schema_need(c, map, key, "range", &n)))
		return rc;
	if (n->kind != AUGUR_YSEQ || n->len != 2)
		return augur_schema_err(c, n, AUGUR_E_SCHEMA, "expected [min, max] for range '%s'",
		                        key);
	if ((rc = augur_schema_u64(c, n->items[0], key, 1, MAX_DIM, lo)) ||
	    (rc = augur_schema_u64(c, n->items[1], key, 1, MAX_DIM, hi)))
		return rc;
	if (*hi < *lo)
		return augur_schema_err(c, n, AUGUR_E_SCHEMA,
		                        "range '%s' has max %llu below min %llu", key,
		                        (unsigned long long)*hi, (unsigned long long)*lo);
	return AUGUR_OK;
}

static int parse_region(const struct augur_schema *c, const struct augur_ynode *reg,
                        const int *order, size_t nt, struct augur_region *out)
{
	int rc;
	if (reg->kind != AUGUR_YSEQ || reg->len != nt)
		return augur_schema_err(c, reg, AUGUR_E_SCHEMA,
		                        "expected a region as %zu coefficients (one per term)", nt);
	for (size_t j = 0; j < nt; j++)
		if ((rc = augur_schema_double(c, reg->items[j], "coefficient",
		                              -AUGUR_MODEL_MAX_COEF, AUGUR_MODEL_MAX_COEF,
		                              &out->coef[order[j]])))
			return rc;
	return AUGUR_OK;
}

/* 'direct' and 'direct_region' come together or not at all (no direct path). */
static int parse_direct(const struct augur_schema *c, const struct augur_ynode *model,
                        const int *order, size_t nt, struct augur_timemodel *tm)
{
	const struct augur_ynode *d = augur_ynode_get(model, "direct");
	const struct augur_ynode *r = augur_ynode_get(model, "direct_region");
	if (!d && !r)
		return AUGUR_OK;
	if (!d || !r)
		return augur_schema_err(c, d ? d : r, AUGUR_E_SCHEMA,
		                        "'direct' and 'direct_region' must come together");
	static const char *const keys[] = {"max_nkm", "fc_max_nm", "fc_min_k"};
	const struct augur_ynode *v;
	int rc;
	if ((rc = augur_schema_map(c, d, "direct")) ||
	    (rc = augur_schema_known_keys(c, d, "direct", keys, 3)) ||
	    (rc = augur_schema_need(c, d, "max_nkm", "direct", &v)) ||
	    (rc = augur_schema_u64(c, v, "max_nkm", 1, UINT64_MAX, &tm->direct.max_nkm)) ||
	    (rc = augur_schema_need(c, d, "fc_max_nm", "direct", &v)) ||
	    (rc = augur_schema_u64(c, v, "fc_max_nm", 0, UINT64_MAX, &tm->direct.fc_max_nm)) ||
	    (rc = augur_schema_need(c, d, "fc_min_k", "direct", &v)) ||
	    (rc = augur_schema_u64(c, v, "fc_min_k", 0, MAX_DIM, &tm->direct.fc_min_k)))
		return rc;
	return parse_region(c, r, order, nt, &tm->direct_region);
}

static int parse_model(const struct augur_schema *c, const struct augur_ynode *n,
                       struct augur_timemodel *tm)
{
	static const char *const keys[] = {"terms", "breaks_n", "breaks_m", "min_ms",
	                                   "range", "regions",  "direct",   "direct_region"};
	int rc;
	if ((rc = augur_schema_map(c, n, "model")) ||
	    (rc = augur_schema_known_keys(c, n, "model", keys, sizeof(keys) / sizeof(*keys))))
		return rc;
	const struct augur_ynode *v;
	int order[AUGUR_TERM_COUNT];
	size_t nt = 0;
	if ((rc = augur_schema_need(c, n, "terms", "model", &v)) ||
	    (rc = augur_schema_seq(c, v, "terms")))
		return rc;
	if (v->len == 0 || v->len > AUGUR_TERM_COUNT)
		return augur_schema_err(c, v, AUGUR_E_SCHEMA, "expected 1 to %d terms, got %zu",
		                        AUGUR_TERM_COUNT, v->len);
	for (size_t i = 0; i < v->len; i++) {
		const struct augur_ynode *t = v->items[i];
		int found = -1;
		for (int j = 0; j < AUGUR_TERM_COUNT && t->kind == AUGUR_YSCALAR; j++)
			if (!strcmp(t->text, augur_term_name(j)))
				found = j;
		if (found < 0)
			return augur_schema_err(
			        c, t, AUGUR_E_SCHEMA,
			        "unknown term '%s' (expected nkm, nk, km, nm, one, nk_4k, km_4k or km_256)",
			        t->kind == AUGUR_YSCALAR ? t->text
			                                 : augur_ynode_kind_name(t->kind));
		if (tm->term_mask & (1u << found))
			return augur_schema_err(c, t, AUGUR_E_SCHEMA, "duplicate term '%s'",
			                        t->text);
		tm->term_mask |= 1u << found;
		order[nt++] = found;
	}
	if ((v = augur_ynode_get(n, "breaks_n")) &&
	    (rc = parse_breaks(c, v, "breaks_n", tm->breaks_n, &tm->n_breaks_n)))
		return rc;
	if ((v = augur_ynode_get(n, "breaks_m")) &&
	    (rc = parse_breaks(c, v, "breaks_m", tm->breaks_m, &tm->n_breaks_m)))
		return rc;
	if ((rc = augur_schema_need(c, n, "min_ms", "model", &v)) ||
	    (rc = augur_schema_double(c, v, "min_ms", -INFINITY, AUGUR_MODEL_MAX_FLOOR_MS,
	                              &tm->min_ms)))
		return rc;
	if (!(tm->min_ms > 0))
		return augur_schema_err(c, v, AUGUR_E_SCHEMA, "'min_ms' must be positive, got %s",
		                        v->text);
	if (tm->min_ms < AUGUR_MODEL_MIN_FLOOR_MS)
		return augur_schema_err(
		        c, v, AUGUR_E_SCHEMA, "'min_ms' must be between %g and %g, got %s",
		        AUGUR_MODEL_MIN_FLOOR_MS, AUGUR_MODEL_MAX_FLOOR_MS, v->text);
	const struct augur_ynode *r;
	if ((rc = augur_schema_need(c, n, "range", "model", &r)) ||
	    (rc = augur_schema_map(c, r, "range")))
		return rc;
	static const char *const axes[] = {"n", "k", "m"};
	if ((rc = augur_schema_known_keys(c, r, "range", axes, 3)) ||
	    (rc = parse_range_axis(c, r, "n", &tm->range.n_min, &tm->range.n_max)) ||
	    (rc = parse_range_axis(c, r, "k", &tm->range.k_min, &tm->range.k_max)) ||
	    (rc = parse_range_axis(c, r, "m", &tm->range.m_min, &tm->range.m_max)))
		return rc;
	if ((rc = augur_schema_need(c, n, "regions", "model", &r)) ||
	    (rc = augur_schema_seq(c, r, "regions")))
		return rc;
	size_t want = (size_t)(tm->n_breaks_n + 1) * (tm->n_breaks_m + 1);
	if (r->len != want)
		return augur_schema_err(
		        c, r, AUGUR_E_SCHEMA,
		        "expected %zu regions ((%u breaks_n + 1) x (%u breaks_m + 1)), got "
		        "%zu",
		        want, tm->n_breaks_n, tm->n_breaks_m, r->len);
	for (size_t i = 0; i < r->len; i++)
		if ((rc = parse_region(c, r->items[i], order, nt, &tm->regions[i])))
			return rc;
	return parse_direct(c, n, order, nt, tm);
}

static int parse_quality(const struct augur_schema *c, const struct augur_ynode *n,
                         struct augur_fit_quality *q)
{
	static const char *const keys[] = {"train_median_rel_err",
	                                   "heldout_median_rel_err",
	                                   "heldout_max_rel_err",
	                                   "n_train",
	                                   "n_heldout",
	                                   "n_dropped"};
	int rc;
	if ((rc = augur_schema_map(c, n, "quality")) ||
	    (rc = augur_schema_known_keys(c, n, "quality", keys, sizeof(keys) / sizeof(*keys))))
		return rc;
	const struct augur_ynode *v;
	uint64_t u;
	double *dst[] = {&q->train_median_rel_err, &q->heldout_median_rel_err,
	                 &q->heldout_max_rel_err};
	size_t *cnt[] = {&q->n_train, &q->n_heldout, &q->n_dropped};
	for (int i = 0; i < 3; i++) {
		*dst[i] = NAN;
		if ((v = augur_ynode_get(n, keys[i])) &&
		    (rc = get_double_or_null(c, v, keys[i], dst[i])))
			return rc;
	}
	for (int i = 0; i < 3; i++) {
		*cnt[i] = 0;
		if ((v = augur_ynode_get(n, keys[3 + i]))) {
			if ((rc = augur_schema_u64(c, v, keys[3 + i], 0, MAX_SAMPLES, &u)))
				return rc;
			*cnt[i] = (size_t)u;
		}
	}
	return AUGUR_OK;
}

/* A list of numbers, one per feature of mask, in feature order, into out[]. */
static int parse_feature_values(const struct augur_schema *c, const struct augur_ynode *n,
                                const char *what, const int *order, size_t nf, double min,
                                double max, double *out)
{
	int rc;
	if ((rc = augur_schema_seq(c, n, what)))
		return rc;
	if (n->len != nf)
		return augur_schema_err(c, n, AUGUR_E_SCHEMA,
		                        "expected %zu values for '%s' (one per term), got %zu", nf,
		                        what, n->len);
	for (size_t j = 0; j < nf; j++)
		if ((rc = augur_schema_double(c, n->items[j], what, min, max, &out[order[j]])))
			return rc;
	return AUGUR_OK;
}

static int parse_layer_cost(const struct augur_schema *c, const struct augur_ynode *n,
                            const char *type, struct augur_layer_cost *lc)
{
	static const char *const keys[] = {"terms",     "coef", "lo",      "hi",
	                                   "aggregate", "rows", "dropped", "median_rel_err"};
	int rc;
	if ((rc = augur_schema_map(c, n, type)) ||
	    (rc = augur_schema_known_keys(c, n, "layer cost", keys, sizeof(keys) / sizeof(*keys))))
		return rc;
	const struct augur_ynode *v;
	int order[AUGUR_FEAT_COUNT];
	size_t nf = 0;
	if ((rc = augur_schema_need(c, n, "terms", "layer cost", &v)) ||
	    (rc = augur_schema_seq(c, v, "terms")))
		return rc;
	if (v->len == 0 || v->len > AUGUR_FEAT_COUNT)
		return augur_schema_err(c, v, AUGUR_E_SCHEMA, "expected 1 to %d terms, got %zu",
		                        AUGUR_FEAT_COUNT, v->len);
	for (size_t i = 0; i < v->len; i++) {
		const struct augur_ynode *t = v->items[i];
		int f = t->kind == AUGUR_YSCALAR ? augur_feature_from_name(t->text) : -1;
		if (f < 0) {
			/* the list comes from the feature table, so it names every term */
			char known[AUGUR_FEAT_COUNT * 24] = "";
			size_t used = 0;
			for (int k = 0; k < AUGUR_FEAT_COUNT && used < sizeof(known); k++)
				used += (size_t)snprintf(known + used, sizeof(known) - used, "%s%s",
				                         k == 0                      ? ""
				                         : k == AUGUR_FEAT_COUNT - 1 ? " or "
				                                                     : ", ",
				                         augur_feature_name(k));
			return augur_schema_err(
			        c, t, AUGUR_E_SCHEMA, "unknown term '%s' (expected %s)",
			        t->kind == AUGUR_YSCALAR ? t->text : augur_ynode_kind_name(t->kind),
			        known);
		}
		if (lc->feature_mask & AUGUR_FEAT_BIT(f))
			return augur_schema_err(c, t, AUGUR_E_SCHEMA, "duplicate term '%s'",
			                        t->text);
		lc->feature_mask |= AUGUR_FEAT_BIT(f);
		order[nf++] = f;
	}
	/* coefficients are times per unit: a negative one would predict negative times */
	if ((rc = augur_schema_need(c, n, "coef", "layer cost", &v)) ||
	    (rc = parse_feature_values(c, v, "coef", order, nf, 0, 1e9, lc->coef)) ||
	    (rc = augur_schema_need(c, n, "lo", "layer cost", &v)) ||
	    (rc = parse_feature_values(c, v, "lo", order, nf, 0, DBL_MAX, lc->lo)) ||
	    (rc = augur_schema_need(c, n, "hi", "layer cost", &v)) ||
	    (rc = parse_feature_values(c, v, "hi", order, nf, 0, DBL_MAX, lc->hi)))
		return rc;
	for (size_t j = 0; j < nf; j++)
		if (lc->lo[order[j]] > lc->hi[order[j]])
			return augur_schema_err(c, v, AUGUR_E_SCHEMA,
			                        "'hi' of term '%s' is below its 'lo'",
			                        augur_feature_name(order[j]));
	if ((v = augur_ynode_get(n, "aggregate")) &&
	    (rc = augur_schema_bool(c, v, "aggregate", &lc->aggregate)))
		return rc;
	if ((v = augur_ynode_get(n, "rows")) &&
	    (rc = get_u32(c, v, "rows", 0, UINT32_MAX, &lc->n_rows)))
		return rc;
	if ((v = augur_ynode_get(n, "dropped")) &&
	    (rc = get_u32(c, v, "dropped", 0, lc->n_rows, &lc->n_dropped)))
		return rc;
	lc->median_rel_err = NAN;
	if ((v = augur_ynode_get(n, "median_rel_err")) &&
	    (rc = get_double_or_null(c, v, "median_rel_err", &lc->median_rel_err)))
		return rc;
	return AUGUR_OK;
}

/* The calibration's verdict on the costs (struct augur_cost_check): counts, and errors as
 * fractions (null: not measured); more networks within 10% than were checked is a corrupt
 * file. */
static int parse_cost_check(const struct augur_schema *c, const struct augur_ynode *n,
                            struct augur_cost_check *out)
{
	static const char *const keys[] = {"networks",
	                                   "within_10",
	                                   "median_error",
	                                   "layer_median_error",
	                                   "crossval_networks",
	                                   "crossval_within_10",
	                                   "crossval_median_error"};
	int rc;
	if ((rc = augur_schema_map(c, n, "checked")) ||
	    (rc = augur_schema_known_keys(c, n, "checked", keys, sizeof(keys) / sizeof(*keys))))
		return rc;
	*out = (struct augur_cost_check){
	        .median_error = NAN, .layer_median_error = NAN, .crossval_median_error = NAN};
	const struct augur_ynode *v;
	if (((v = augur_ynode_get(n, "networks")) &&
	     (rc = get_u32(c, v, "networks", 0, UINT32_MAX, &out->networks))) ||
	    ((v = augur_ynode_get(n, "within_10")) &&
	     (rc = get_u32(c, v, "within_10", 0, out->networks, &out->within_10))) ||
	    ((v = augur_ynode_get(n, "median_error")) &&
	     (rc = get_double_or_null(c, v, "median_error", &out->median_error))) ||
	    ((v = augur_ynode_get(n, "layer_median_error")) &&
	     (rc = get_double_or_null(c, v, "layer_median_error", &out->layer_median_error))) ||
	    ((v = augur_ynode_get(n, "crossval_networks")) &&
	     (rc = get_u32(c, v, "crossval_networks", 0, UINT32_MAX, &out->crossval_networks))) ||
	    ((v = augur_ynode_get(n, "crossval_within_10")) &&
	     (rc = get_u32(c, v, "crossval_within_10", 0, out->crossval_networks,
	                   &out->crossval_within_10))) ||
	    ((v = augur_ynode_get(n, "crossval_median_error")) &&
	     (rc = get_double_or_null(c, v, "crossval_median_error", &out->crossval_median_error))))
		return rc;
	return AUGUR_OK;
}

/* The pass scale (struct augur_pass_scale). A scale that moves some pass's times by more
 * than AUGUR_PASS_SCALE_MAX either way is not a fit of this model: a corrupt file. */
static int parse_pass_scale(const struct augur_schema *c, const struct augur_ynode *n,
                            struct augur_pass_scale *out)
{
	static const char *const keys[] = {"networks", "knee_bytes", "top_bytes", "intercept",
	                                   "slope"};
	const struct augur_ynode *v;
	int rc;
	if ((rc = augur_schema_map(c, n, "pass_scale")) ||
	    (rc = augur_schema_known_keys(c, n, "pass_scale", keys,
	                                  sizeof(keys) / sizeof(*keys))) ||
	    (rc = augur_schema_need(c, n, "networks", "pass_scale", &v)) ||
	    (rc = get_u32(c, v, "networks", 1, UINT32_MAX, &out->networks)) ||
	    (rc = augur_schema_need(c, n, "knee_bytes", "pass_scale", &v)) ||
	    (rc = augur_schema_double(c, v, "knee_bytes", 1, 1e18, &out->knee_bytes)) ||
	    (rc = augur_schema_need(c, n, "top_bytes", "pass_scale", &v)) ||
	    (rc = augur_schema_double(c, v, "top_bytes", out->knee_bytes, 1e18, &out->top_bytes)) ||
	    (rc = augur_schema_need(c, n, "intercept", "pass_scale", &v)) ||
	    (rc = augur_schema_double(c, v, "intercept", -1, 1, &out->intercept)) ||
	    (rc = augur_schema_need(c, n, "slope", "pass_scale", &v)) ||
	    (rc = augur_schema_double(c, v, "slope", -1, 1, &out->slope)))
		return rc;
	/* the log factor is linear in the clamped log bytes: its extremes are at the ends */
	double reach = augur_pass_scale_reach(out);
	if (reach > log(AUGUR_PASS_SCALE_MAX))
		return augur_schema_err(c, n, AUGUR_E_SCHEMA,
		                        "'pass_scale' scales a pass's time by %.3gx (at most %gx "
		                        "either way)",
		                        exp(reach), AUGUR_PASS_SCALE_MAX);
	return AUGUR_OK;
}

static int parse_layer_costs(const struct augur_schema *c, const struct augur_ynode *n,
                             struct augur_layer_costs **out)
{
	static const char *const keys[] = {"source", "types", "checked", "pass_scale"};
	int rc;
	if ((rc = augur_schema_map(c, n, "layer_costs")) ||
	    (rc = augur_schema_known_keys(c, n, "layer_costs", keys, 4)))
		return rc;
	struct augur_layer_costs *lc = calloc(1, sizeof(*lc));
	if (!lc)
		return augur_schema_nomem(c);
	*out = lc;
	const struct augur_ynode *v, *types;
	if ((v = augur_ynode_get(n, "source")) && (rc = get_str(c, v, "source", true, &lc->source)))
		return rc;
	if ((rc = augur_schema_need(c, n, "types", "layer_costs", &types)) ||
	    (rc = augur_schema_map(c, types, "types")))
		return rc;
	for (size_t i = 0; i < types->len; i++) {
		const struct augur_ynode *k = types->items[2 * i];
		int t = augur_layer_type_from_name(k->text ? k->text : "");
		if (t < 0)
			return augur_schema_err(c, k, AUGUR_E_SCHEMA,
			                        "unknown layer type '%s' (expected one of: %s)",
			                        k->text ? k->text : "", augur_layer_type_list());
		if (lc->type[t].feature_mask)
			return augur_schema_err(c, k, AUGUR_E_SCHEMA, "duplicate layer type '%s'",
			                        k->text);
		if ((rc = parse_layer_cost(c, types->items[2 * i + 1], k->text, &lc->type[t])))
			return rc;
	}
	if ((v = augur_ynode_get(n, "checked")) && !augur_ynode_is_null(v) &&
	    (rc = parse_cost_check(c, v, &lc->checked)))
		return rc;
	if ((v = augur_ynode_get(n, "pass_scale")) && !augur_ynode_is_null(v) &&
	    (rc = parse_pass_scale(c, v, &lc->pass)))
		return rc;
	return AUGUR_OK;
}

static int parse_unit(const struct augur_schema *c, const struct augur_ynode *n,
                      struct augur_unit *u)
{
	static const char *const keys[] = {"library",
	                                   "processor",
	                                   "threads",
	                                   "memory_bytes",
	                                   "framework_overhead_bytes",
	                                   "overhead_without_conv_bytes",
	                                   "weights_copied",
	                                   "model",
	                                   "quality",
	                                   "samples",
	                                   "layer_costs"};
	const char *what = augur_unit_kind_name(u->kind);
	int rc;
	if ((rc = augur_schema_map(c, n, what)) ||
	    (rc = augur_schema_known_keys(c, n, "unit", keys, sizeof(keys) / sizeof(*keys))))
		return rc;
	const struct augur_ynode *v;
	if ((rc = augur_schema_need(c, n, "library", "unit", &v)) ||
	    (rc = get_str(c, v, "library", false, &u->library)) ||
	    (rc = augur_schema_need(c, n, "processor", "unit", &v)) ||
	    (rc = get_str(c, v, "processor", false, &u->processor)))
		return rc;
	if ((v = augur_ynode_get(n, "threads")) &&
	    (rc = get_u32(c, v, "threads", 0, 4096, &u->threads)))
		return rc;
	if ((v = augur_ynode_get(n, "memory_bytes")) &&
	    (rc = augur_schema_u64(c, v, "memory_bytes", 0, UINT64_MAX, &u->memory_bytes)))
		return rc;
	if ((v = augur_ynode_get(n, "framework_overhead_bytes")) &&
	    (rc = augur_schema_u64(c, v, "framework_overhead_bytes", 0, UINT64_MAX,
	                           &u->framework_overhead_bytes)))
		return rc;
	if ((v = augur_ynode_get(n, "overhead_without_conv_bytes")) &&
	    (rc = augur_schema_u64(c, v, "overhead_without_conv_bytes", 0, UINT64_MAX,
	                           &u->overhead_without_conv_bytes)))
		return rc;
	if ((v = augur_ynode_get(n, "weights_copied")) &&
	    (rc = augur_schema_bool(c, v, "weights_copied", &u->weights_copied)))
		return rc;
	if ((rc = augur_schema_need(c, n, "model", "unit", &v)) ||
	    (rc = parse_model(c, v, &u->gemm)))
		return rc;
	const struct augur_ynode *sl;
	if ((rc = augur_schema_need(c, n, "samples", "unit", &sl)) ||
	    (rc = augur_schema_seq(c, sl, "samples")))
		return rc;
	if (sl->len > MAX_SAMPLES)
		return augur_schema_err(c, sl, AUGUR_E_SCHEMA,
		                        "too many samples (%zu; the limit is %u)", sl->len,
		                        MAX_SAMPLES);
	if (sl->len) {
		u->samples = calloc(sl->len, sizeof(*u->samples));
		if (!u->samples)
			return augur_schema_nomem(c);
	}
	for (size_t i = 0; i < sl->len; i++) {
		u->n_samples = i + 1; /* so a failure frees what was parsed */
		if ((rc = parse_sample(c, sl->items[i], &u->samples[i])))
			return rc;
	}
	if ((v = augur_ynode_get(n, "layer_costs")) && !augur_ynode_is_null(v) &&
	    (rc = parse_layer_costs(c, v, &u->costs)))
		return rc;
	if ((v = augur_ynode_get(n, "quality"))) {
		if ((rc = parse_quality(c, v, &u->quality)))
			return rc;
	} else {
		augur_fit_evaluate(&u->gemm, u->samples, u->n_samples, &u->quality);
	}
	augur_unit_derive(u);
	return AUGUR_OK;
}

static const char *const machine_keys[] = {"cpu_model",           "cpu_cores",
                                           "cpu_governor",        "openblas_coretype",
                                           "llc_bytes",           "l2_bytes",
                                           "l1d_bytes",           "page_bytes",
                                           "stream_gib_per_s",    "page_fault_ms_per_mib",
                                           "llc_effective_bytes", "probe_ms",
                                           "llc_fitted_bytes"};
static const char *const *const machine2_keys = machine_keys + 4;
#define N_MACHINE2_KEYS 9

/* A format-1 profile has none of keys (the ones format 2 added). */
static int format2_keys(const struct augur_schema *c, const struct augur_ynode *map, uint64_t fmt,
                        const char *const *keys, size_t n)
{
	if (fmt >= 2)
		return AUGUR_OK;
	for (size_t i = 0; i < map->len; i++) {
		const struct augur_ynode *k = map->items[2 * i];
		for (size_t j = 0; j < n; j++)
			if (k->text && !strcmp(k->text, keys[j]))
				return augur_schema_err(
				        c, k, AUGUR_E_SCHEMA,
				        "'%s' needs profile format 2 (augur_profile: 2)", k->text);
	}
	return AUGUR_OK;
}

/* Cache sizes from 1 KiB to 4 GiB, pages from 512 bytes to 1 GiB: anything else is a typo
 * (a size in KiB or MiB instead of bytes), not a machine. */
#define MIN_CACHE_BYTES 1024ull
#define MAX_CACHE_BYTES (4ull << 30)

static int parse_machine_facts(const struct augur_schema *c, const struct augur_ynode *v,
                               struct augur_machine_facts *m)
{
	static const char *const sizes[] = {"llc_bytes", "l2_bytes", "l1d_bytes"};
	uint64_t *dst[] = {&m->llc_bytes, &m->l2_bytes, &m->l1d_bytes};
	const struct augur_ynode *x, *at[3] = {NULL, NULL, NULL};
	int rc;
	for (int i = 0; i < 3; i++)
		if ((x = at[i] = augur_ynode_get(v, sizes[i])) &&
		    (rc = get_u64_or_null(c, x, sizes[i], MIN_CACHE_BYTES, MAX_CACHE_BYTES,
		                          dst[i])))
			return rc;
	/* each level holds at least the one below it */
	for (int i = 0; i < 2; i++)
		if (*dst[i] && *dst[i + 1] && *dst[i] < *dst[i + 1])
			return augur_schema_err(c, at[i], AUGUR_E_SCHEMA,
			                        "'%s' (%llu) is smaller than '%s' (%llu)", sizes[i],
			                        (unsigned long long)*dst[i], sizes[i + 1],
			                        (unsigned long long)*dst[i + 1]);
	if ((x = augur_ynode_get(v, "llc_effective_bytes")) &&
	    (rc = get_u64_or_null(c, x, "llc_effective_bytes", MIN_CACHE_BYTES, MAX_CACHE_BYTES,
	                          &m->llc_effective_bytes)))
		return rc;
	if ((x = augur_ynode_get(v, "llc_fitted_bytes")) &&
	    (rc = get_u64_or_null(c, x, "llc_fitted_bytes", MIN_CACHE_BYTES, MAX_CACHE_BYTES,
	                          &m->llc_fitted_bytes)))
		return rc;
	if ((x = augur_ynode_get(v, "page_bytes"))) {
		if ((rc = get_u64_or_null(c, x, "page_bytes", 512, 1ull << 30, &m->page_bytes)))
			return rc;
		if (m->page_bytes & (m->page_bytes - 1))
			return augur_schema_err(c, x, AUGUR_E_SCHEMA,
			                        "'page_bytes' must be a power of two, got %s",
			                        x->text);
	}
	m->stream_gib_per_s = m->fault_ms_per_mib = NAN;
	if ((x = augur_ynode_get(v, "stream_gib_per_s")) && !augur_ynode_is_null(x) &&
	    (rc = augur_schema_double(c, x, "stream_gib_per_s", 1e-3, 1e5, &m->stream_gib_per_s)))
		return rc;
	if ((x = augur_ynode_get(v, "page_fault_ms_per_mib")) && !augur_ynode_is_null(x) &&
	    (rc = augur_schema_double(c, x, "page_fault_ms_per_mib", 1e-6, 1e3,
	                              &m->fault_ms_per_mib)))
		return rc;
	m->probe_ms = 0;
	if ((x = augur_ynode_get(v, "probe_ms")) && !augur_ynode_is_null(x) &&
	    (rc = augur_schema_double(c, x, "probe_ms", 1e-4, 1e5, &m->probe_ms)))
		return rc;
	return AUGUR_OK;
}

/* An optional boolean fact kept as 1 true, -1 false; absent or null leaves *out as it
 * was (0: not stated, so the model's default stays in place). */
static int get_tristate(const struct augur_schema *c, const struct augur_ynode *map,
                        const char *key, int *out)
{
	const struct augur_ynode *x = augur_ynode_get(map, key);
	if (!x || augur_ynode_is_null(x))
		return AUGUR_OK;
	bool on;
	int rc = augur_schema_bool(c, x, key, &on);
	if (!rc)
		*out = on ? 1 : -1;
	return rc;
}

int augur_framework_parse(const struct augur_schema *c, const struct augur_ynode *v,
                          struct augur_framework *fw)
{
	static const char *const keys[] = {"name",
	                                   "version",
	                                   "library",
	                                   "mkldnn",
	                                   "threads",
	                                   "fresh_buffer_bytes",
	                                   "pool_index_bytes",
	                                   "memory_view",
	                                   "conv_groups",
	                                   "cache_terms",
	                                   "pass_cliff",
	                                   "conv_im2col",
	                                   "conv_block",
	                                   "conv_cache_share",
	                                   "lrn_temporaries",
	                                   "alloc_slack_bytes",
	                                   "weights_staged",
	                                   "affine_in_place",
	                                   "direct_conv_min_input_values",
	                                   "direct_conv_1x1_min_batch"};
	const struct augur_ynode *x;
	int rc;
	if ((rc = augur_schema_map(c, v, "framework")) ||
	    (rc = augur_schema_known_keys(c, v, "framework", keys, sizeof(keys) / sizeof(*keys))) ||
	    (rc = augur_schema_need(c, v, "name", "framework", &x)) ||
	    (rc = get_str(c, x, "name", false, &fw->name)))
		return rc;
	if (!*fw->name)
		return augur_schema_err(c, x, AUGUR_E_SCHEMA,
		                        "expected a framework name for 'name' (pytorch, caffe, "
		                        "blas, ...), got nothing");
	if ((x = augur_ynode_get(v, "version")) &&
	    (rc = get_str(c, x, "version", true, &fw->version)))
		return rc;
	if ((x = augur_ynode_get(v, "library")) &&
	    (rc = get_str(c, x, "library", true, &fw->library)))
		return rc;
	if ((x = augur_ynode_get(v, "mkldnn")) && !augur_ynode_is_null(x)) {
		bool on;
		if ((rc = augur_schema_bool(c, x, "mkldnn", &on)))
			return rc;
		fw->mkldnn = on;
	}
	if ((x = augur_ynode_get(v, "threads")) && !augur_ynode_is_null(x) &&
	    (rc = get_u32(c, x, "threads", 1, 4096, &fw->threads)))
		return rc;
	/* from a page to a terabyte: 0 would make every buffer fresh, which no allocator does */
	if ((x = augur_ynode_get(v, "fresh_buffer_bytes")) &&
	    (rc = get_u64_or_null(c, x, "fresh_buffer_bytes", 4096, 1ull << 40,
	                          &fw->fresh_buffer_bytes)))
		return rc;
	if ((x = augur_ynode_get(v, "pool_index_bytes")) && !augur_ynode_is_null(x)) {
		uint64_t b;
		if ((rc = augur_schema_u64(c, x, "pool_index_bytes", 0, 16, &b)))
			return rc;
		fw->pool_index_bytes = (int64_t)b;
	}
	if ((x = augur_ynode_get(v, "memory_view")) && !augur_ynode_is_null(x)) {
		if (x->kind == AUGUR_YSCALAR && !strcmp(x->text, "allocated"))
			fw->memory_view = AUGUR_VIEW_ALLOCATED;
		else if (x->kind == AUGUR_YSCALAR && !strcmp(x->text, "minimal"))
			fw->memory_view = AUGUR_VIEW_MINIMAL;
		else if (x->kind == AUGUR_YSCALAR && !strcmp(x->text, "heap"))
			fw->memory_view = AUGUR_VIEW_HEAP;
		else
			return augur_schema_err(c, x, AUGUR_E_SCHEMA,
			                        "expected allocated, minimal or heap for "
			                        "'memory_view', got %s",
			                        x->kind == AUGUR_YSCALAR ? x->text
			                                                 : "a collection");
	}
	if ((x = augur_ynode_get(v, "conv_groups")) && !augur_ynode_is_null(x)) {
		if (x->kind == AUGUR_YSCALAR && !strcmp(x->text, "together"))
			fw->conv_groups = AUGUR_GROUPS_TOGETHER;
		else if (x->kind == AUGUR_YSCALAR && !strcmp(x->text, "one_at_a_time"))
			fw->conv_groups = AUGUR_GROUPS_ONE_AT_A_TIME;
		else
			return augur_schema_err(c, x, AUGUR_E_SCHEMA,
			                        "expected together or one_at_a_time for "
			                        "'conv_groups', got %s",
			                        x->kind == AUGUR_YSCALAR ? x->text
			                                                 : "a collection");
	}
	if ((rc = get_tristate(c, v, "cache_terms", &fw->cache_terms)))
		return rc;
	if ((rc = get_tristate(c, v, "conv_im2col", &fw->conv_im2col)))
		return rc;
	if ((x = augur_ynode_get(v, "conv_block")) && !augur_ynode_is_null(x) &&
	    (rc = get_u32(c, x, "conv_block", 1, 64, &fw->conv_block)))
		return rc;
	if ((x = augur_ynode_get(v, "conv_cache_share")) && !augur_ynode_is_null(x) &&
	    (rc = augur_schema_double(c, x, "conv_cache_share", 0, 4, &fw->conv_cache_share)))
		return rc;
	if ((x = augur_ynode_get(v, "lrn_temporaries")) && !augur_ynode_is_null(x) &&
	    (rc = get_u32(c, x, "lrn_temporaries", 0, 16, &fw->lrn_temporaries)))
		return rc;
	if ((x = augur_ynode_get(v, "alloc_slack_bytes")) && !augur_ynode_is_null(x) &&
	    (rc = get_u32(c, x, "alloc_slack_bytes", 0, 65536, &fw->alloc_slack_bytes)))
		return rc;
	if ((rc = get_tristate(c, v, "weights_staged", &fw->weights_staged)))
		return rc;
	if ((rc = get_tristate(c, v, "affine_in_place", &fw->affine_in_place)))
		return rc;
	if ((x = augur_ynode_get(v, "direct_conv_min_input_values")) && !augur_ynode_is_null(x) &&
	    (rc = augur_schema_u64(c, x, "direct_conv_min_input_values", 0, UINT64_C(1) << 40,
	                           &fw->direct_conv_min_input_values)))
		return rc;
	if ((x = augur_ynode_get(v, "direct_conv_1x1_min_batch")) && !augur_ynode_is_null(x) &&
	    (rc = get_u32(c, x, "direct_conv_1x1_min_batch", 0, 65536,
	                  &fw->direct_conv_1x1_min_batch)))
		return rc;
	if ((rc = get_tristate(c, v, "pass_cliff", &fw->pass_cliff)))
		return rc;
	return AUGUR_OK;
}

static int parse_root(const struct augur_schema *c, const struct augur_ynode *root,
                      struct augur_profile *p)
{
	static const char *const keys[] = {"augur_profile", "name",     "description", "created",
	                                   "augur_version", "source",   "machine",     "memory",
	                                   "units",         "framework"};
	static const char *const root2_keys[] = {"framework"};
	int rc;
	if (!root)
		return augur_diag_set(c->diag, AUGUR_E_SCHEMA, c->path, 1, 1,
		                      "empty profile (expected a mapping with 'name', 'memory' "
		                      "and 'units')");
	if (root->kind != AUGUR_YMAP)
		return augur_schema_err(c, root, AUGUR_E_SCHEMA,
		                        "expected a profile mapping, got %s",
		                        augur_ynode_kind_name(root->kind));
	if ((rc = augur_schema_known_keys(c, root, "profile", keys, sizeof(keys) / sizeof(*keys))))
		return rc;
	const struct augur_ynode *v;
	uint64_t fmt;
	if ((rc = augur_schema_need(c, root, "augur_profile", "profile", &v)) ||
	    (rc = augur_schema_u64(c, v, "augur_profile", 1, UINT64_MAX, &fmt)))
		return rc;
	if (fmt > PROFILE_FORMAT)
		return augur_schema_err(
		        c, v, AUGUR_E_SCHEMA,
		        "unsupported profile format %llu (this augur reads formats 1 to %d)",
		        (unsigned long long)fmt, PROFILE_FORMAT);
	if ((rc = format2_keys(c, root, fmt, root2_keys, 1)))
		return rc;
	static const char *const strs[] = {"name", "description", "created", "augur_version",
	                                   "source"};
	char **dst[] = {&p->name, &p->description, &p->created, &p->augur_version, &p->source};
	for (int i = 0; i < 5; i++)
		if ((rc = augur_schema_need(c, root, strs[i], "profile", &v)) ||
		    (rc = get_str(c, v, strs[i], false, dst[i])))
			return rc;
	if ((v = augur_ynode_get(root, "machine"))) {
		const struct augur_ynode *x;
		if ((rc = augur_schema_map(c, v, "machine")) ||
		    (rc = format2_keys(c, v, fmt, machine2_keys, N_MACHINE2_KEYS)) ||
		    (rc = augur_schema_known_keys(c, v, "machine", machine_keys,
		                                  sizeof(machine_keys) / sizeof(*machine_keys))) ||
		    (rc = parse_machine_facts(c, v, &p->machine)))
			return rc;
		if ((x = augur_ynode_get(v, "cpu_model")) &&
		    (rc = get_str(c, x, "cpu_model", true, &p->cpu_model)))
			return rc;
		if ((x = augur_ynode_get(v, "cpu_cores")) && !augur_ynode_is_null(x) &&
		    (rc = get_u32(c, x, "cpu_cores", 0, 1u << 20, &p->cpu_cores)))
			return rc;
		if ((x = augur_ynode_get(v, "cpu_governor")) &&
		    (rc = get_str(c, x, "cpu_governor", true, &p->cpu_governor)))
			return rc;
		if ((x = augur_ynode_get(v, "openblas_coretype")) &&
		    (rc = get_str(c, x, "openblas_coretype", true, &p->openblas_coretype)))
			return rc;
	}
	if ((v = augur_ynode_get(root, "framework")) && !augur_ynode_is_null(v) &&
	    (rc = augur_framework_parse(c, v, &p->framework)))
		return rc;
	const struct augur_ynode *mem;
	static const char *const memk[] = {"ram_bytes", "shared_memory", "pointer_bits"};
	if ((rc = augur_schema_need(c, root, "memory", "profile", &mem)) ||
	    (rc = augur_schema_map(c, mem, "memory")) ||
	    (rc = augur_schema_known_keys(c, mem, "memory", memk, 3)) ||
	    (rc = augur_schema_need(c, mem, "ram_bytes", "memory", &v)) ||
	    (rc = augur_schema_u64(c, v, "ram_bytes", 0, UINT64_MAX, &p->ram_bytes)) ||
	    (rc = augur_schema_need(c, mem, "shared_memory", "memory", &v)) ||
	    (rc = augur_schema_bool(c, v, "shared_memory", &p->shared_memory)) ||
	    (rc = augur_schema_need(c, mem, "pointer_bits", "memory", &v)) ||
	    (rc = get_u32(c, v, "pointer_bits", 16, 128, &p->pointer_bits)))
		return rc;
	const struct augur_ynode *units;
	static const char *const unitk[] = {"cpu", "gpu"};
	if ((rc = augur_schema_need(c, root, "units", "profile", &units)) ||
	    (rc = augur_schema_map(c, units, "units")) ||
	    (rc = augur_schema_known_keys(c, units, "units", unitk, 2)))
		return rc;
	if (units->len == 0)
		return augur_schema_err(c, units, AUGUR_E_SCHEMA,
		                        "a profile needs at least one unit (cpu or gpu)");
	for (int i = 0; i < 2; i++) {
		if (!(v = augur_ynode_get(units, unitk[i])))
			continue;
		struct augur_unit *u = augur_unit_new(i ? AUGUR_UNIT_GPU : AUGUR_UNIT_CPU);
		if (!u)
			return augur_schema_nomem(c);
		*(i ? &p->gpu : &p->cpu) = u;
		if ((rc = parse_unit(c, v, u)))
			return rc;
	}
	return AUGUR_OK;
}

int augur_profile_parse(const char *path, const char *buf, size_t len, struct augur_profile **out,
                        struct augur_diag *diag)
{
	*out = NULL;
	struct augur_ydoc *doc = NULL;
	struct augur_profile *p = NULL;
	struct augur_schema c = {path, diag};
	int rc = augur_ydoc_parse(path, buf, len, &doc, diag);
	if (rc)
		return rc;
	if (!(p = augur_profile_new())) {
		rc = augur_schema_nomem(&c);
		goto out;
	}
	if ((rc = parse_root(&c, augur_ydoc_root(doc), p)))
		goto out;
	*out = p;
	p = NULL;
out:
	augur_profile_free(p);
	augur_ydoc_free(doc);
	return rc;
}

bool augur_profile_claims(const char *buf, size_t len)
{
	static const char key[] = "augur_profile:";
	for (size_t i = 0; i + sizeof(key) - 1 <= len;) {
		if (!memcmp(buf + i, key, sizeof(key) - 1))
			return true;
		const char *nl = memchr(buf + i, '\n', len - i);
		if (!nl)
			break;
		i = (size_t)(nl - buf) + 1;
	}
	return false;
}

int augur_profile_load(const char *path, struct augur_profile **out, struct augur_diag *diag)
{
	*out = NULL;
	char *buf = NULL;
	size_t len = 0;
	int rc = augur_read_file(path, AUGUR_MAX_FILE_BYTES, &buf, &len, diag);
	if (rc)
		return rc;
	rc = augur_profile_parse(path, buf, len, out, diag);
	free(buf);
	return rc;
}

/* ---- saving ---- */

/* A double-quoted YAML string, or null. */
static void put_str(struct augur_strbuf *b, const char *s)
{
	if (!s) {
		augur_strbuf_put(b, "null");
		return;
	}
	augur_strbuf_put(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			augur_strbuf_put(b, "\\%c", *p);
		else if (*p == '\n')
			augur_strbuf_put(b, "\\n");
		else if (*p == '\t')
			augur_strbuf_put(b, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			augur_strbuf_put(b, "\\x%02x", *p);
		else
			augur_strbuf_put(b, "%c", *p);
	}
	augur_strbuf_put(b, "\"");
}

/* Exact: 17 significant digits read back to the same double. */
static void put_double(struct augur_strbuf *b, double v)
{
	if (isnan(v))
		augur_strbuf_put(b, "null");
	else
		augur_strbuf_put(b, "%.17g", v);
}

static void put_breaks(struct augur_strbuf *b, const char *key, const uint64_t *v, uint32_t n)
{
	augur_strbuf_put(b, "      %s: [", key);
	for (uint32_t i = 0; i < n; i++)
		augur_strbuf_put(b, "%s%llu", i ? ", " : "", (unsigned long long)v[i]);
	augur_strbuf_put(b, "]\n");
}

static void put_feature_values(struct augur_strbuf *b, const char *key, uint64_t mask,
                               const double *v)
{
	augur_strbuf_put(b, "          %s: [", key);
	bool first = true;
	for (int f = 0; f < AUGUR_FEAT_COUNT; f++)
		if (mask & AUGUR_FEAT_BIT(f)) {
			augur_strbuf_put(b, "%s", first ? "" : ", ");
			put_double(b, v[f]);
			first = false;
		}
	augur_strbuf_put(b, "]\n");
}

static void put_layer_costs(struct augur_strbuf *b, const struct augur_layer_costs *lc)
{
	augur_strbuf_put(b, "    layer_costs:\n      source: ");
	put_str(b, lc->source);
	augur_strbuf_put(
	        b,
	        "\n      # per layer type: time = sum of coef x term (ms per unit), fitted from\n"
	        "      # measured layer times; lo/hi: the range of each term in that data\n"
	        "      types:\n");
	for (int t = 0; t < AUGUR_LAYER_TYPE_COUNT; t++) {
		const struct augur_layer_cost *c = &lc->type[t];
		if (!c->feature_mask)
			continue;
		augur_strbuf_put(b, "        %s:\n          terms: [", augur_layer_type_name(t));
		bool first = true;
		for (int f = 0; f < AUGUR_FEAT_COUNT; f++)
			if (c->feature_mask & AUGUR_FEAT_BIT(f)) {
				augur_strbuf_put(b, "%s%s", first ? "" : ", ",
				                 augur_feature_name(f));
				first = false;
			}
		augur_strbuf_put(b, "]\n");
		put_feature_values(b, "coef", c->feature_mask, c->coef);
		put_feature_values(b, "lo", c->feature_mask, c->lo);
		put_feature_values(b, "hi", c->feature_mask, c->hi);
		augur_strbuf_put(
		        b,
		        "          aggregate: %s\n          rows: %u\n          dropped: %u\n"
		        "          median_rel_err: ",
		        c->aggregate ? "true" : "false", c->n_rows, c->n_dropped);
		put_double(b, c->median_rel_err);
		augur_strbuf_put(b, "\n");
	}
	const struct augur_pass_scale *ps = &lc->pass;
	if (ps->networks) {
		augur_strbuf_put(
		        b,
		        "      # a pass's times x exp(intercept + slope x ln(clamp(bytes it "
		        "touches,\n      # knee, top) / knee)), fitted on the fit networks' "
		        "forward times\n      pass_scale:\n        networks: %u\n",
		        ps->networks);
		const struct {
			const char *key;
			double value;
		} fields[] = {{"knee_bytes", ps->knee_bytes},
		              {"top_bytes", ps->top_bytes},
		              {"intercept", ps->intercept},
		              {"slope", ps->slope}};
		for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
			augur_strbuf_put(b, "        %s: ", fields[i].key);
			put_double(b, fields[i].value);
			augur_strbuf_put(b, "\n");
		}
	}
	const struct augur_cost_check *k = &lc->checked;
	if (!k->networks && !k->crossval_networks)
		return;
	augur_strbuf_put(b,
	                 "      # how well they predicted networks they were not fitted on, when\n"
	                 "      # calibrated (errors as fractions; null: not measured)\n"
	                 "      checked:\n        networks: %u\n        within_10: %u\n"
	                 "        median_error: ",
	                 k->networks, k->within_10);
	put_double(b, k->median_error);
	augur_strbuf_put(b, "\n        layer_median_error: ");
	put_double(b, k->layer_median_error);
	augur_strbuf_put(b,
	                 "\n        crossval_networks: %u\n        crossval_within_10: %u\n"
	                 "        crossval_median_error: ",
	                 k->crossval_networks, k->crossval_within_10);
	put_double(b, k->crossval_median_error);
	augur_strbuf_put(b, "\n");
}

static void put_region(struct augur_strbuf *b, const struct augur_timemodel *tm,
                       const struct augur_region *r)
{
	augur_strbuf_put(b, "[");
	bool first = true;
	for (int t = 0; t < AUGUR_TERM_COUNT; t++)
		if (tm->term_mask & (1u << t)) {
			augur_strbuf_put(b, "%s", first ? "" : ", ");
			put_double(b, r->coef[t]);
			first = false;
		}
	augur_strbuf_put(b, "]\n");
}

static void put_unit(struct augur_strbuf *b, const struct augur_unit *u)
{
	const struct augur_timemodel *tm = &u->gemm;
	augur_strbuf_put(b, "  %s:\n    library: ", augur_unit_kind_name(u->kind));
	put_str(b, u->library ? u->library : "");
	augur_strbuf_put(b, "\n    processor: ");
	put_str(b, u->processor ? u->processor : "");
	augur_strbuf_put(
	        b,
	        "\n    threads: %u\n    memory_bytes: %llu\n    framework_overhead_bytes: %llu\n",
	        u->threads, (unsigned long long)u->memory_bytes,
	        (unsigned long long)u->framework_overhead_bytes);
	if (u->overhead_without_conv_bytes)
		augur_strbuf_put(b, "    overhead_without_conv_bytes: %llu\n",
		                 (unsigned long long)u->overhead_without_conv_bytes);
	augur_strbuf_put(b, "    weights_copied: %s\n    model:\n      terms: [",
	                 u->weights_copied ? "true" : "false");
	bool first = true;
	for (int t = 0; t < AUGUR_TERM_COUNT; t++)
		if (tm->term_mask & (1u << t)) {
			augur_strbuf_put(b, "%s%s", first ? "" : ", ", augur_term_name(t));
			first = false;
		}
	augur_strbuf_put(b, "]\n");
	put_breaks(b, "breaks_n", tm->breaks_n, tm->n_breaks_n);
	put_breaks(b, "breaks_m", tm->breaks_m, tm->n_breaks_m);
	augur_strbuf_put(b, "      min_ms: ");
	put_double(b, tm->min_ms);
	augur_strbuf_put(b, "\n      range: {n: [%llu, %llu], k: [%llu, %llu], m: [%llu, %llu]}\n",
	                 (unsigned long long)tm->range.n_min, (unsigned long long)tm->range.n_max,
	                 (unsigned long long)tm->range.k_min, (unsigned long long)tm->range.k_max,
	                 (unsigned long long)tm->range.m_min, (unsigned long long)tm->range.m_max);
	augur_strbuf_put(
	        b,
	        "      # one row per region, n-major: region (i_n, i_m) is row i_n * %u + i_m;\n"
	        "      # columns follow 'terms' (milliseconds per unit of each term)\n"
	        "      regions:\n",
	        tm->n_breaks_m + 1);
	size_t nr = (size_t)(tm->n_breaks_n + 1) * (tm->n_breaks_m + 1);
	for (size_t r = 0; r < nr && r < AUGUR_MODEL_MAX_REGIONS; r++) {
		augur_strbuf_put(b, "        - ");
		put_region(b, tm, &tm->regions[r]);
	}
	if (tm->direct.max_nkm) {
		augur_strbuf_put(
		        b,
		        "      # the library's direct path for small GEMMs (no packing): calls with\n"
		        "      # n*k*m <= max_nkm (fc layout: also n*m <= fc_max_nm, k >= fc_min_k)\n"
		        "      direct: {max_nkm: %llu, fc_max_nm: %llu, fc_min_k: %llu}\n"
		        "      direct_region: ",
		        (unsigned long long)tm->direct.max_nkm,
		        (unsigned long long)tm->direct.fc_max_nm,
		        (unsigned long long)tm->direct.fc_min_k);
		put_region(b, tm, &tm->direct_region);
	}
	const struct augur_fit_quality *q = &u->quality;
	augur_strbuf_put(b, "    quality:\n      train_median_rel_err: ");
	put_double(b, q->train_median_rel_err);
	augur_strbuf_put(b, "\n      heldout_median_rel_err: ");
	put_double(b, q->heldout_median_rel_err);
	augur_strbuf_put(b, "\n      heldout_max_rel_err: ");
	put_double(b, q->heldout_max_rel_err);
	augur_strbuf_put(b, "\n      n_train: %zu\n      n_heldout: %zu\n      n_dropped: %zu\n",
	                 q->n_train, q->n_heldout, q->n_dropped);
	if (u->costs)
		put_layer_costs(b, u->costs);
	augur_strbuf_put(b, "    samples:%s\n", u->n_samples ? "" : " []");
	for (size_t i = 0; i < u->n_samples; i++) {
		const struct augur_sample *s = &u->samples[i];
		augur_strbuf_put(b, "      - {");
		if (s->n_gemms == 1) {
			const struct augur_sample_gemm *g = s->gemms;
			augur_strbuf_put(b, "n: %llu, k: %llu, m: %llu, count: %llu, ",
			                 (unsigned long long)g->n, (unsigned long long)g->k,
			                 (unsigned long long)g->m, (unsigned long long)g->count);
		}
		augur_strbuf_put(b, "time_ms: ");
		put_double(b, s->time_ms);
		augur_strbuf_put(b, ", spread: ");
		put_double(b, s->spread);
		augur_strbuf_put(b, ", held_out: %s", s->held_out ? "true" : "false");
		if (s->fc_layout)
			augur_strbuf_put(b, ", layout: fc");
		if (s->label) {
			augur_strbuf_put(b, ", label: ");
			put_str(b, s->label);
		}
		if (s->n_gemms != 1) {
			augur_strbuf_put(b, ",\n         gemms: [");
			for (size_t g = 0; g < s->n_gemms; g++) {
				const struct augur_sample_gemm *gg = &s->gemms[g];
				augur_strbuf_put(
				        b, "%s[%llu, %llu, %llu, %llu]",
				        g ? (g % 4 ? ", " : ",\n           ") : "",
				        (unsigned long long)gg->n, (unsigned long long)gg->k,
				        (unsigned long long)gg->m, (unsigned long long)gg->count);
			}
			augur_strbuf_put(b, "]");
		}
		augur_strbuf_put(b, "}\n");
	}
}

/* Whether p states a fact only format 2 can hold. */
static bool needs_format2(const struct augur_profile *p)
{
	const struct augur_machine_facts *m = &p->machine;
	return p->framework.name || m->llc_bytes || m->llc_effective_bytes || m->llc_fitted_bytes ||
	       m->l2_bytes || m->l1d_bytes || m->page_bytes || !isnan(m->stream_gib_per_s) ||
	       !isnan(m->fault_ms_per_mib) || m->probe_ms > 0;
}

static void put_u64_or_null(struct augur_strbuf *b, const char *key, uint64_t v)
{
	if (v)
		augur_strbuf_put(b, "\n  %s: %llu", key, (unsigned long long)v);
	else
		augur_strbuf_put(b, "\n  %s: null", key);
}

/* The facts format 2 adds: the rest of 'machine:', then 'framework:'. */
static void put_format2(struct augur_strbuf *b, const struct augur_profile *p)
{
	const struct augur_machine_facts *m = &p->machine;
	put_u64_or_null(b, "llc_bytes", m->llc_bytes);
	put_u64_or_null(b, "l2_bytes", m->l2_bytes);
	put_u64_or_null(b, "l1d_bytes", m->l1d_bytes);
	put_u64_or_null(b, "page_bytes", m->page_bytes);
	augur_strbuf_put(b, "\n  stream_gib_per_s: ");
	put_double(b, m->stream_gib_per_s);
	augur_strbuf_put(b, "\n  page_fault_ms_per_mib: ");
	put_double(b, m->fault_ms_per_mib);
	if (m->llc_effective_bytes)
		put_u64_or_null(b, "llc_effective_bytes", m->llc_effective_bytes);
	if (m->llc_fitted_bytes)
		put_u64_or_null(b, "llc_fitted_bytes", m->llc_fitted_bytes);
	if (m->probe_ms > 0) {
		augur_strbuf_put(b, "\n  probe_ms: ");
		put_double(b, m->probe_ms);
	}
	const struct augur_framework *fw = &p->framework;
	if (!fw->name) {
		augur_strbuf_put(b, "\nframework: null");
		return;
	}
	augur_strbuf_put(b, "\nframework:\n  name: ");
	put_str(b, fw->name);
	augur_strbuf_put(b, "\n  version: ");
	put_str(b, fw->version);
	augur_strbuf_put(b, "\n  library: ");
	put_str(b, fw->library);
	augur_strbuf_put(b, "\n  mkldnn: %s",
	                 fw->mkldnn < 0 ? "null"
	                 : fw->mkldnn   ? "true"
	                                : "false");
	if (fw->threads)
		augur_strbuf_put(b, "\n  threads: %u", fw->threads);
	else
		augur_strbuf_put(b, "\n  threads: null");
	put_u64_or_null(b, "fresh_buffer_bytes", fw->fresh_buffer_bytes);
	if (fw->pool_index_bytes >= 0)
		augur_strbuf_put(b, "\n  pool_index_bytes: %lld", (long long)fw->pool_index_bytes);
	else
		augur_strbuf_put(b, "\n  pool_index_bytes: null");
	if (fw->memory_view != AUGUR_VIEW_UNSTATED)
		augur_strbuf_put(b, "\n  memory_view: %s", augur_memory_view_name(fw->memory_view));
	if (fw->conv_groups != AUGUR_GROUPS_UNSTATED)
		augur_strbuf_put(b, "\n  conv_groups: %s", augur_conv_groups_name(fw->conv_groups));
	if (fw->cache_terms)
		augur_strbuf_put(b, "\n  cache_terms: %s", fw->cache_terms > 0 ? "true" : "false");
	if (fw->pass_cliff)
		augur_strbuf_put(b, "\n  pass_cliff: %s", fw->pass_cliff > 0 ? "true" : "false");
	if (fw->conv_im2col)
		augur_strbuf_put(b, "\n  conv_im2col: %s", fw->conv_im2col > 0 ? "true" : "false");
	if (fw->conv_block)
		augur_strbuf_put(b, "\n  conv_block: %u", fw->conv_block);
	if (fw->conv_cache_share > 0)
		augur_strbuf_put(b, "\n  conv_cache_share: %.2f", fw->conv_cache_share);
	if (fw->lrn_temporaries)
		augur_strbuf_put(b, "\n  lrn_temporaries: %u", fw->lrn_temporaries);
	if (fw->alloc_slack_bytes)
		augur_strbuf_put(b, "\n  alloc_slack_bytes: %u", fw->alloc_slack_bytes);
	if (fw->weights_staged)
		augur_strbuf_put(b, "\n  weights_staged: %s",
		                 fw->weights_staged > 0 ? "true" : "false");
	if (fw->direct_conv_min_input_values)
		augur_strbuf_put(b, "\n  direct_conv_min_input_values: %llu",
		                 (unsigned long long)fw->direct_conv_min_input_values);
	if (fw->direct_conv_1x1_min_batch)
		augur_strbuf_put(b, "\n  direct_conv_1x1_min_batch: %u",
		                 fw->direct_conv_1x1_min_batch);
	if (fw->affine_in_place)
		augur_strbuf_put(b, "\n  affine_in_place: %s",
		                 fw->affine_in_place > 0 ? "true" : "false");
}

int augur_profile_format(const struct augur_profile *p, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	if (!p->cpu && !p->gpu)
		return AUGUR_E_USAGE;
	struct augur_strbuf b = {0};
	bool v2 = needs_format2(p);
	augur_strbuf_put(&b,
	                 "# augur device profile (format described in docs/profiles.md)\n"
	                 "augur_profile: %d\nname: ",
	                 v2 ? PROFILE_FORMAT : 1);
	put_str(&b, p->name ? p->name : "");
	augur_strbuf_put(&b, "\ndescription: ");
	put_str(&b, p->description ? p->description : "");
	augur_strbuf_put(&b, "\ncreated: ");
	put_str(&b, p->created ? p->created : "");
	augur_strbuf_put(&b, "\naugur_version: ");
	put_str(&b, p->augur_version ? p->augur_version : AUGUR_VERSION);
	augur_strbuf_put(&b, "\nsource: ");
	put_str(&b, p->source ? p->source : "");
	augur_strbuf_put(&b, "\nmachine:\n  cpu_model: ");
	put_str(&b, p->cpu_model);
	augur_strbuf_put(&b, "\n  cpu_cores: %u\n  cpu_governor: ", p->cpu_cores);
	put_str(&b, p->cpu_governor);
	augur_strbuf_put(&b, "\n  openblas_coretype: ");
	put_str(&b, p->openblas_coretype);
	if (v2)
		put_format2(&b, p);
	augur_strbuf_put(
	        &b,
	        "\nmemory:\n  ram_bytes: %llu\n  shared_memory: %s\n  pointer_bits: %u\nunits:\n",
	        (unsigned long long)p->ram_bytes, p->shared_memory ? "true" : "false",
	        p->pointer_bits);
	if (p->cpu)
		put_unit(&b, p->cpu);
	if (p->gpu)
		put_unit(&b, p->gpu);
	return augur_strbuf_take(&b, out, len) ? AUGUR_E_NOMEM : AUGUR_OK;
}

int augur_profile_save(const struct augur_profile *p, const char *path, struct augur_diag *diag)
{
	char *text;
	size_t len;
	int rc = augur_profile_format(p, &text, &len);
	if (rc == AUGUR_E_NOMEM)
		return augur_diag_set(diag, rc, path, 0, 0, "out of memory");
	if (rc)
		return augur_diag_set(diag, rc, path, 0, 0,
		                      "a profile needs at least one unit (cpu or gpu)");
	rc = augur_write_file_atomic(path, text, len, diag);
	free(text);
	return rc;
}

/* ---- finding ---- */

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The directories profiles are looked up in, colon-separated: $AUGUR_PROFILE_PATH, the
 * user's profile directory, then the profiles shipped with this augur (datadir.h). */
static void search_path(char *dirs, size_t size)
{
	const char *env = getenv("AUGUR_PROFILE_PATH");
	char user[2048] = "", shipped[2048] = "";
	augur_user_profile_dir(user, sizeof(user));
	if (!augur_shipped_data_dir(AUGUR_DATADIR, shipped, sizeof(shipped)))
		strncat(shipped, "/profiles", sizeof(shipped) - strlen(shipped) - 1);
	snprintf(dirs, size, "%s%s%s%s%s", env ? env : "", env && *env ? ":" : "", user,
	         *user ? ":" : "", shipped);
}

/* Appends to list (comma separated) the NAME of every NAME.yaml in dir, skipping ones
 * already listed; names[] collects them for the suggestion. */
static void list_dir(const char *dir, char *list, size_t size, const char **names, char *store,
                     size_t store_size, size_t *n, size_t *used)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) && *n < 64) {
		size_t len = strlen(e->d_name);
		if (len <= 5 || strcmp(e->d_name + len - 5, ".yaml") || e->d_name[0] == '.')
			continue;
		len -= 5;
		bool dup = false;
		for (size_t i = 0; i < *n && !dup; i++)
			dup = strlen(names[i]) == len && !strncmp(names[i], e->d_name, len);
		if (dup || *used + len + 1 > store_size)
			continue;
		memcpy(store + *used, e->d_name, len);
		store[*used + len] = '\0';
		names[(*n)++] = store + *used;
		*used += len + 1;
		size_t l = strlen(list);
		snprintf(list + l, size - l, "%s%.*s", l ? ", " : "", (int)len, e->d_name);
	}
	closedir(d);
}

int augur_profile_find(const char *name_or_path, char *path, size_t size, struct augur_diag *diag)
{
	if (is_file(name_or_path)) {
		if (strlen(name_or_path) >= size)
			return augur_diag_set(diag, AUGUR_E_LIMIT, name_or_path, 0, 0,
			                      "path too long");
		snprintf(path, size, "%s", name_or_path);
		return AUGUR_OK;
	}
	if (strchr(name_or_path, '/') || !*name_or_path)
		return augur_diag_set(diag, AUGUR_E_IO, name_or_path, 0, 0, "no such profile file");
	char dirs[4096];
	search_path(dirs, sizeof(dirs));
	char list[1024] = "";
	const char *names[64];
	char store[4096];
	size_t n = 0, used = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (char *dir = dirs; *dir;) {
			size_t len = strcspn(dir, ":");
			char one[2048];
			snprintf(one, sizeof(one), "%.*s", (int)len, dir);
			dir += len + (dir[len] == ':');
			if (!*one)
				continue;
			if (pass == 1) {
				list_dir(one, list, sizeof(list), names, store, sizeof(store), &n,
				         &used);
				continue;
			}
			char cand[4096];
			snprintf(cand, sizeof(cand), "%s/%s.yaml", one, name_or_path);
			if (is_file(cand)) {
				if (strlen(cand) >= size)
					return augur_diag_set(diag, AUGUR_E_LIMIT, cand, 0, 0,
					                      "path too long");
				snprintf(path, size, "%s", cand);
				return AUGUR_OK;
			}
		}
	}
	const char *near = augur_nearest(name_or_path, names, n);
	if (near)
		return augur_diag_set(diag, AUGUR_E_IO, "", 0, 0,
		                      "unknown profile '%s' (did you mean '%s'? available: %s)",
		                      name_or_path, near, list);
	return augur_diag_set(diag, AUGUR_E_IO, "", 0, 0,
	                      "unknown profile '%s' (available: %s; searched %s)", name_or_path,
	                      *list ? list : "none", *dirs ? dirs : "no directory");
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct augur_profile_file *)a)->name,
	              ((const struct augur_profile_file *)b)->name);
}

void augur_profile_files_free(struct augur_profile_file *files, size_t n)
{
	for (size_t i = 0; files && i < n; i++) {
		free(files[i].name);
		free(files[i].path);
	}
	free(files);
}

int augur_profile_list(struct augur_profile_file **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	char dirs[4096];
	search_path(dirs, sizeof(dirs));
	struct augur_profile_file *files = NULL;
	size_t n = 0, cap = 0;
	int rc = AUGUR_OK;
	for (char *dir = dirs; *dir;) {
		size_t len = strcspn(dir, ":");
		char one[2048];
		snprintf(one, sizeof(one), "%.*s", (int)len, dir);
		dir += len + (dir[len] == ':');
		DIR *d = *one ? opendir(one) : NULL;
		if (!d)
			continue;
		size_t first = n; /* this directory's entries start here */
		struct dirent *e;
		while ((e = readdir(d))) {
			size_t nl = strlen(e->d_name);
			if (nl <= 5 || strcmp(e->d_name + nl - 5, ".yaml") || e->d_name[0] == '.')
				continue;
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", one, e->d_name);
			if (!is_file(path))
				continue;
			if (n == cap) {
				size_t ncap = cap ? 2 * cap : 16;
				struct augur_profile_file *nf =
				        realloc(files, ncap * sizeof(*files));
				if (!nf) {
					rc = AUGUR_E_NOMEM;
					break;
				}
				files = nf;
				cap = ncap;
			}
			struct augur_profile_file *f = &files[n];
			f->name = strndup(e->d_name, nl - 5);
			f->path = strdup(path);
			f->shadowed = false;
			if (!f->name || !f->path) {
				free(f->name);
				free(f->path);
				rc = AUGUR_E_NOMEM;
				break;
			}
			for (size_t i = 0; i < first && !f->shadowed; i++)
				f->shadowed = !strcmp(files[i].name, f->name);
			n++;
		}
		closedir(d);
		if (rc)
			break;
		if (n > first)
			qsort(files + first, n - first, sizeof(*files), cmp_name);
	}
	if (rc) {
		augur_profile_files_free(files, n);
		return rc;
	}
	*out = files;
	*count = n;
	return AUGUR_OK;
}
