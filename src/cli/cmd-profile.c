/* augur profile: looks at device profiles. "show NAME" prints a profile's machine, memory
 * facts and per unit the model, its fit quality and validity range; "list" the profiles
 * augur can find by name. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "profile.h"
#include "suggest.h"

static const char *or_unknown(const char *s)
{
	return s && *s ? s : "unknown";
}

static void pct(const char *what, double v)
{
	if (isnan(v))
		printf("%s -", what);
	else
		printf("%s %.2f%%", what, 100 * v);
}

/* "n < 128", "128 <= n < 512", "n >= 512" or "any n" for region i along an axis. */
static void axis_text(char *buf, size_t size, const char *axis, const uint64_t *b, uint32_t nb,
                      uint32_t i)
{
	if (!nb)
		snprintf(buf, size, "any %s", axis);
	else if (i == 0)
		snprintf(buf, size, "%s < %llu", axis, (unsigned long long)b[0]);
	else if (i == nb)
		snprintf(buf, size, "%s >= %llu", axis, (unsigned long long)b[nb - 1]);
	else
		snprintf(buf, size, "%llu <= %s < %llu", (unsigned long long)b[i - 1], axis,
		         (unsigned long long)b[i]);
}

/* One region's coefficients and the speed its n*k*m term implies, ending the line. */
static void show_region(const struct augur_timemodel *tm, const struct augur_region *r)
{
	for (int t = 0; t < AUGUR_TERM_COUNT; t++)
		if (tm->term_mask & (1u << t))
			printf(" %s %.4g", augur_term_name(t), r->coef[t]);
	double g = r->coef[AUGUR_TERM_NKM];
	if ((tm->term_mask & 1u) && g > 0)
		printf("  (%.1f GFLOPS asymptotic)", 2.0 / g / 1e6);
	printf("\n");
}

static void show_unit(const struct augur_unit *u)
{
	const struct augur_timemodel *tm = &u->gemm;
	char mem[32];
	cli_bytes(mem, sizeof(mem), u->memory_bytes);
	printf("\n%s unit\n  library    %s\n  processor  %s\n", augur_unit_kind_name(u->kind),
	       or_unknown(u->library), or_unknown(u->processor));
	if (u->threads)
		printf("  threads    %u\n", u->threads);
	char fw[32];
	cli_bytes(fw, sizeof(fw), u->framework_overhead_bytes);
	printf("  memory     %s, framework overhead %s, weights copied: %s\n", mem, fw,
	       u->weights_copied ? "yes" : "no");
	printf("  model      terms");
	for (int t = 0; t < AUGUR_TERM_COUNT; t++)
		if (tm->term_mask & (1u << t))
			printf(" %s", augur_term_name(t));
	printf("; breaks n [");
	for (uint32_t i = 0; i < tm->n_breaks_n; i++)
		printf("%s%llu", i ? ", " : "", (unsigned long long)tm->breaks_n[i]);
	printf("] m [");
	for (uint32_t i = 0; i < tm->n_breaks_m; i++)
		printf("%s%llu", i ? ", " : "", (unsigned long long)tm->breaks_m[i]);
	printf("]; floor %.4g ms\n", tm->min_ms);
	printf("  valid for  n %llu..%llu, k %llu..%llu, m %llu..%llu\n",
	       (unsigned long long)tm->range.n_min, (unsigned long long)tm->range.n_max,
	       (unsigned long long)tm->range.k_min, (unsigned long long)tm->range.k_max,
	       (unsigned long long)tm->range.m_min, (unsigned long long)tm->range.m_max);
	uint32_t nr = (tm->n_breaks_n + 1) * (tm->n_breaks_m + 1);
	for (uint32_t r = 0; r < nr; r++) {
		uint32_t in = r / (tm->n_breaks_m + 1), im = r % (tm->n_breaks_m + 1);
		char nr_txt[64], mr_txt[64];
		axis_text(nr_txt, sizeof(nr_txt), "n", tm->breaks_n, tm->n_breaks_n, in);
		axis_text(mr_txt, sizeof(mr_txt), "m", tm->breaks_m, tm->n_breaks_m, im);
		printf("  region %-2u  %s, %s:", r, nr_txt, mr_txt);
		show_region(tm, &tm->regions[r]);
	}
	if (tm->direct.max_nkm) {
		printf("  direct     n*k*m <= %llu (fc: also n*m <= %llu, k >= %llu):",
		       (unsigned long long)tm->direct.max_nkm,
		       (unsigned long long)tm->direct.fc_max_nm,
		       (unsigned long long)tm->direct.fc_min_k);
		show_region(tm, &tm->direct_region);
	}
	const struct augur_fit_quality *q = &u->quality;
	printf("  fit       ");
	pct(" train median error", q->train_median_rel_err);
	printf(" over %zu samples (%zu dropped);", q->n_train, q->n_dropped);
	pct(" held-out median", q->heldout_median_rel_err);
	pct(", max", q->heldout_max_rel_err);
	printf(" over %zu\n", q->n_heldout);
	size_t agg = 0;
	for (size_t i = 0; i < u->n_samples; i++)
		agg += u->samples[i].n_gemms != 1;
	printf("  samples    %zu stored (%zu aggregate rows)\n", u->n_samples, agg);
}

static int show(const char *name)
{
	struct augur_diag diag = {0};
	char path[1024];
	struct augur_profile *p = NULL;
	if (augur_profile_find(name, path, sizeof(path), &diag) ||
	    augur_profile_load(path, &p, &diag))
		return cli_report(&diag);
	char ram[32];
	cli_bytes(ram, sizeof(ram), p->ram_bytes);
	printf("profile %s (%s)\n  %s\n  created %s by augur %s; %s\n", p->name, path,
	       p->description, p->created, p->augur_version, p->source);
	printf("machine\n  cpu        %s, %u cores, governor %s", or_unknown(p->cpu_model),
	       p->cpu_cores, or_unknown(p->cpu_governor));
	if (p->openblas_coretype)
		printf(", OPENBLAS_CORETYPE=%s", p->openblas_coretype);
	printf("\n  memory     %s RAM%s, %u-bit pointers\n", ram,
	       p->shared_memory ? " shared by CPU and GPU" : "", p->pointer_bits);
	if (p->cpu)
		show_unit(p->cpu);
	if (p->gpu)
		show_unit(p->gpu);
	augur_profile_free(p);
	return CLI_OK;
}

/* "cpu", "gpu", "cpu,gpu" */
static const char *units_text(const struct augur_profile *p)
{
	return p->cpu && p->gpu ? "cpu,gpu" : p->cpu ? "cpu" : "gpu";
}

/* augur profile list [--format F]: every profile on the search path, with its description
 * and units; a profile that does not load is reported on stderr and makes the exit 1. */
static int list(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"format", required_argument, NULL, 'f'},
	        {NULL, 0, NULL, 0},
	};
	enum cli_format fmt = CLI_TABLE;
	int c;
	while ((c = cli_getopt(argc, argv, "f:", opts)) != -1) {
		if (c != 'f' || cli_parse_format("profile", optarg, &fmt))
			return CLI_USAGE;
	}
	if (optind != argc)
		return cli_usage_error("profile", "list takes no argument, got '%s'", argv[optind]);
	struct augur_profile_file *files = NULL;
	size_t n = 0;
	if (augur_profile_list(&files, &n)) {
		fprintf(stderr, "augur profile: out of memory\n");
		return CLI_FAIL;
	}
	/* an array of pointers, one per file */
	struct augur_profile **loaded =
	        calloc(n ? n : 1, sizeof(*loaded)); // NOLINT(bugprone-sizeof-expression)
	if (!loaded) {
		augur_profile_files_free(files, n);
		fprintf(stderr, "augur profile: out of memory\n");
		return CLI_FAIL;
	}
	int rc = CLI_OK;
	int wname = 4, wdesc = 11;
	for (size_t i = 0; i < n; i++) {
		struct augur_diag diag = {0};
		if (augur_profile_load(files[i].path, &loaded[i], &diag)) {
			rc = cli_report(&diag);
			continue;
		}
		int ln = (int)strlen(files[i].name), ld = (int)strlen(loaded[i]->description);
		wname = ln > wname ? ln : wname;
		wdesc = ld > wdesc ? ld : wdesc;
	}
	if (fmt == CLI_JSON)
		printf("{\n  \"profiles\": [");
	else if (fmt == CLI_CSV)
		printf("name,units,description,path,shadowed\n");
	else
		printf("%-*s  %-7s  %-*s  %s\n", wname, "NAME", "UNITS", wdesc, "DESCRIPTION",
		       "PATH");
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		const struct augur_profile *p = loaded[i];
		if (!p)
			continue;
		const struct augur_profile_file *f = &files[i];
		if (fmt == CLI_JSON) {
			printf("%s\n    {\"name\": ", shown ? "," : "");
			cli_json_string(stdout, f->name);
			printf(", \"units\": [%s], \"description\": ", p->cpu && p->gpu
			                                                       ? "\"cpu\", \"gpu\""
			                                               : p->cpu ? "\"cpu\""
			                                                        : "\"gpu\"");
			cli_json_string(stdout, p->description);
			printf(", \"path\": ");
			cli_json_string(stdout, f->path);
			printf(", \"shadowed\": %s}", f->shadowed ? "true" : "false");
		} else if (fmt == CLI_CSV) {
			cli_csv_field(stdout, f->name);
			putchar(',');
			cli_csv_field(stdout, units_text(p));
			putchar(',');
			cli_csv_field(stdout, p->description);
			putchar(',');
			cli_csv_field(stdout, f->path);
			printf(",%s\n", f->shadowed ? "true" : "false");
		} else {
			printf("%-*s  %-7s  %-*s  %s%s\n", wname, f->name, units_text(p), wdesc,
			       p->description, f->path, f->shadowed ? "  (shadowed)" : "");
		}
		shown++;
	}
	if (fmt == CLI_JSON)
		printf("%s]\n}\n", shown ? "\n  " : "");
	for (size_t i = 0; i < n; i++)
		augur_profile_free(loaded[i]);
	free(loaded);
	augur_profile_files_free(files, n);
	return rc;
}

int cmd_profile(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("profile", "expects 'show NAME' or 'list' (usage: %s)",
		                       augur_command_find("profile")->usage);
	if (!strcmp(argv[1], "show")) {
		if (argc != 3)
			return cli_usage_error("profile", "show expects one profile name or path");
		return show(argv[2]);
	}
	if (!strcmp(argv[1], "list")) {
		argv[1] = argv[0]; /* "profile", for option errors */
		return list(argc - 1, argv + 1);
	}
	static const char *const actions[] = {"show", "list"};
	const char *near = augur_nearest(argv[1], actions, 2);
	if (near)
		return cli_usage_error("profile",
		                       "unknown action '%s' (did you mean '%s'? expected show or "
		                       "list)",
		                       argv[1], near);
	return cli_usage_error("profile", "unknown action '%s' (expected show or list)", argv[1]);
}
