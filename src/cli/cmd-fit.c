/* augur fit: refits a profile's time models from the samples stored in it, without the
 * board, and writes the profile back atomically (or to --out). Options fix the terms and
 * breakpoints, for profiles built from a few aggregate rows (published per-network times). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"
#include "profilefit.h"
#include "fit.h"
#include "numparse.h"
#include "profile.h"

/* --breaks-n or --breaks-m */
struct breaks {
	uint64_t at[AUGUR_MODEL_MAX_BREAKS];
	uint32_t n;
	bool given;
};

/* "128,3136" or "none" into a struct breaks (an options.h reader). */
static int parse_breaks(const char *cmd, const char *option, const char *text, void *field)
{
	struct breaks *b = field;
	b->n = 0;
	b->given = true;
	if (!strcmp(text, "none"))
		return 0;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", text);
	char *save = NULL;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint64_t v;
		if (b->n >= AUGUR_MODEL_MAX_BREAKS ||
		    augur_parse_u64(tok, 1, UINT64_MAX / 2, &v) != AUGUR_NUM_OK ||
		    (b->n && v <= b->at[b->n - 1])) {
			cli_usage_error(cmd,
			                "--%s expects up to %d increasing positive integers "
			                "separated by commas, or 'none'; got '%s'",
			                option, AUGUR_MODEL_MAX_BREAKS, text);
			return -1;
		}
		b->at[b->n++] = v;
	}
	return 0;
}

/* "nkm,one" into a mask of terms (an options.h reader). */
static int parse_terms(const char *cmd, const char *option, const char *text, void *field)
{
	uint32_t *mask = field;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", text);
	*mask = 0;
	char *save = NULL;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int found = -1;
		for (int t = 0; t < AUGUR_TERM_COUNT; t++)
			if (!strcmp(tok, augur_term_name(t)))
				found = t;
		if (found < 0) {
			cli_usage_error(cmd, "unknown term '%s' (expected nkm, nk, km, nm, one)",
			                tok);
			return -1;
		}
		*mask |= 1u << found;
	}
	if (!*mask) {
		cli_usage_error(cmd, "--%s needs at least one term", option);
		return -1;
	}
	return 0;
}

static void report_units(const struct augur_profile *p, const struct augur_layer_times *lt)
{
	const struct augur_unit *units[2] = {p->cpu, p->gpu};
	for (int i = 0; i < 2; i++) {
		const struct augur_unit *u = units[i];
		if (!u)
			continue;
		cli_wrapf(stdout, 2,
		          "%s: GEMM model from %zu samples, train median error %.2f%%, framework "
		          "overhead %.1f MiB",
		          augur_unit_kind_name(u->kind), u->n_samples,
		          100 * u->quality.train_median_rel_err,
		          (double)u->framework_overhead_bytes / 1048576.0);
		double timer_ms = 0;
		if (u->costs && !augur_layer_times_timer_ms(lt, p->name, u->kind, &timer_ms) &&
		    timer_ms > 0)
			cli_wrapf(stdout, 4,
			          "  each layer's time less %.2f us, what timing it in its pass "
			          "added (the fast networks' layers against their untimed passes)",
			          1000 * timer_ms);
		for (int t = 0; u->costs && t < AUGUR_LAYER_TYPE_COUNT; t++) {
			const struct augur_layer_cost *c = &u->costs->type[t];
			if (!c->feature_mask)
				continue;
			char line[1024];
			int len = snprintf(
			        line, sizeof(line), "  %-9s cost from %u %s%s, median error %.1f%%",
			        augur_layer_type_name(t), c->n_rows, c->aggregate ? "sum" : "layer",
			        c->n_rows == 1 ? "" : "s", 100 * c->median_rel_err);
			if (c->n_dropped && len > 0 && (size_t)len < sizeof(line))
				len += snprintf(line + len, sizeof(line) - (size_t)len,
				                " (%u left out as disturbed)", c->n_dropped);
			if (c->constant_left_out > 0 && len > 0 && (size_t)len < sizeof(line))
				len += snprintf(
				        line + len, sizeof(line) - (size_t)len,
				        " (fitted without its per-layer constant, %.3g ms: "
				        "over ten times the other types', extrapolated from "
				        "larger layers)",
				        c->constant_left_out);
			if (len > 0 && (size_t)len < sizeof(line))
				len += snprintf(line + len, sizeof(line) - (size_t)len, ":");
			for (int f = 0; f < AUGUR_FEAT_COUNT; f++)
				if (c->feature_mask & AUGUR_FEAT_BIT(f) && len > 0 &&
				    (size_t)len < sizeof(line))
					len += snprintf(line + len, sizeof(line) - (size_t)len,
					                " %s %.3g", augur_feature_name(f),
					                c->coef[f]);
			cli_wrap(stdout, 4, line);
		}
		char scale[256];
		if (u->costs && cli_pass_scale(&u->costs->pass, scale, sizeof(scale)))
			cli_wrapf(stdout, 4, "  pass scale: %s", scale);
	}
}

struct fit_args {
	const char *out, *unit, *layer_times, *board;
	uint64_t crossval;
	bool choose_cache;
	uint32_t terms;
	struct breaks breaks_n, breaks_m;
};

static const char *const fit_units[] = {"cpu", "gpu", NULL};

static const struct cli_opt fit_opts[] = {
        CLI_STRING("out", struct fit_args, out, "FILE",
                   "write FILE (atomically) instead of rewriting the profile"),
        CLI_CHOICE("unit", struct fit_args, unit, fit_units, "cpu|gpu", "refit only this unit"),
        CLI_CALL("terms", struct fit_args, terms, parse_terms, "LIST",
                 "terms to fit, e.g. nkm,one (default: the terms the profile's\n"
                 "model has; a calibration fits nkm,nk,km,nm,one,nk_4k,km_4k,km_256)"),
        CLI_CALL("breaks-n", struct fit_args, breaks_n, parse_breaks, "LIST",
                 "fixed breakpoints along n, e.g. 128, or none"),
        CLI_CALL("breaks-m", struct fit_args, breaks_m, parse_breaks, "LIST",
                 "fixed breakpoints along m, e.g. 784,3136, or none\n"
                 "(without either, breakpoints are chosen by cross-validation)"),
        CLI_STRING("layer-times", struct fit_args, layer_times, "F",
                   "fit from per-layer-type times measured in a framework (F, a\n"
                   "layer-times file: docs/profiles.md) instead of GEMM samples;\n"
                   "also fits the framework overhead from F's memory rows"),
        CLI_STRING("board", struct fit_args, board, "NAME",
                   "the board F's rows are for (default: the profile's name);\n"
                   "without PROFILE, a new profile for NAME (needs --out)"),
        CLI_UINT("crossval", struct fit_args, crossval, 2, 100, "K",
                 "with --layer-times: also predict each of K folds of F's\n"
                 "networks by a fit on the others and print how many came within\n"
                 "10% (the profile written is still the fit on all of them)"),
        CLI_FLAG("choose-cache", struct fit_args, choose_cache,
                 "with --layer-times: choose the last-level cache size the layer\n"
                 "costs use by cross-validating F's networks (K folds, default 5)\n"
                 "at a dozen sizes, as augur calibrate does, and write it"),
        CLI_END,
};

const struct cli_spec cmd_fit_spec = {"fit", fit_opts, 0, 1, "a profile", false};

/* Writes p to path (atomically) and says so: CLI_OK, or the error reported. */
static int save_profile(const struct augur_profile *p, const char *path)
{
	struct augur_diag diag = {0};
	if (augur_profile_save(p, path, &diag))
		return cli_report(&diag);
	printf("wrote %s\n", path);
	return CLI_OK;
}

/* augur fit [PROFILE] --layer-times FILE [--board NAME]: fit GEMM models and framework
 * overhead from per-layer-type times measured in a framework (docs/profiles.md). Without
 * PROFILE, a new profile is made from the file's description of the board. */
static int fit_layer_times(const struct fit_args *o, const char *profile)
{
	const char *file = o->layer_times, *board = o->board, *out = o->out;
	bool create = profile == NULL;
	if (create && (!board || !out))
		return cli_usage_error("fit", "--layer-times without a PROFILE needs --board NAME "
		                              "and --out FILE");
	struct augur_diag diag = {0};
	struct augur_layer_times *lt = NULL;
	struct augur_profile *p = NULL;
	char path[AUGUR_DIAG_PATH_MAX] = "";
	int rc = CLI_OK;
	if (augur_layer_times_load(file, &lt, &diag)) {
		rc = cli_report(&diag);
		goto out;
	}
	if (create) {
		if (augur_profile_from_layer_times(lt, board, &p, &diag)) {
			rc = cli_report(&diag);
			goto out;
		}
	} else {
		if (augur_profile_find(profile, path, sizeof(path), &diag) ||
		    augur_profile_load(path, &p, &diag)) {
			rc = cli_report(&diag);
			goto out;
		}
		if (board) {
			char *copy = strdup(board);
			if (!copy) {
				rc = CLI_FAIL;
				goto out;
			}
			free(p->name);
			p->name = copy;
		}
		if (augur_profile_fit_layer_times(p, lt, &diag)) {
			rc = cli_report(&diag);
			goto out;
		}
	}
	struct augur_crossval cv = {0};
	if (o->choose_cache) {
		struct augur_llc_choice llc;
		size_t folds = o->crossval ? (size_t)o->crossval : 5;
		if (augur_profile_choose_llc(p, lt, folds, &llc, &diag)) {
			rc = cli_report(&diag);
			goto out;
		}
		cv = llc.at_chosen;
		char chosen[32], measured[32];
		cli_bytes(chosen, sizeof(chosen), llc.chosen);
		cli_bytes(measured, sizeof(measured), llc.measured);
		if (llc.chosen && llc.at_measured.folds)
			printf("cache for the model: %s of %zu sizes (total time off by %.1f%% in "
			       "cross-validation; at %s: %.1f%%, %zu of %zu within 10%%)\n",
			       chosen, llc.tried, 100 * llc.at_chosen.time_error, measured,
			       100 * llc.at_measured.time_error, llc.at_measured.within_10,
			       llc.at_measured.networks);
		else if (llc.chosen)
			printf("cache for the model: %s of %zu sizes (total time off by %.1f%% in "
			       "cross-validation)\n",
			       chosen, llc.tried, 100 * llc.at_chosen.time_error);
	}
	report_units(p, lt);
	if (o->crossval || o->choose_cache) {
		if (!o->choose_cache &&
		    augur_profile_crossval(p, lt, (size_t)o->crossval, &cv, &diag)) {
			rc = cli_report(&diag);
			goto out;
		}
		if (cv.folds)
			printf("cross-validated: %zu of %zu networks within 10%% (median error "
			       "%.1f%%), each predicted by a fit on the other %zu folds of %zu\n",
			       cv.within_10, cv.networks, 100 * cv.median_error, cv.folds - 1,
			       cv.folds);
		else
			printf("cross-validated: not measured (%s has under two networks with "
			       "per-layer times for '%s' per fold)\n",
			       file, p->name);
	}
	rc = save_profile(p, out ? out : path);
out:
	augur_profile_free(p);
	augur_layer_times_free(lt);
	return rc;
}

int cmd_fit(int argc, char **argv)
{
	struct fit_args o = {0};
	struct augur_fit_options fo;
	augur_fit_options_init(&fo);
	const uint32_t all_terms = fo.term_mask;
	char **args;
	int n_args;
	if (cli_parse(&cmd_fit_spec, argc, argv, &o, &args, &n_args))
		return CLI_USAGE;
	if (o.layer_times)
		return fit_layer_times(&o, n_args ? args[0] : NULL);
	if (o.crossval || o.choose_cache)
		return cli_usage_error("fit", "--%s works on a fit to --layer-times",
		                       o.crossval ? "crossval" : "choose-cache");
	if (n_args != 1)
		return cli_usage_error("fit", "expects one profile (usage: %s)",
		                       augur_command_find("fit")->usage);
	const char *out = o.out, *unit = o.unit;
	memcpy(fo.breaks_n, o.breaks_n.at, sizeof(o.breaks_n.at));
	fo.n_breaks_n = o.breaks_n.n;
	memcpy(fo.breaks_m, o.breaks_m.at, sizeof(o.breaks_m.at));
	fo.n_breaks_m = o.breaks_m.n;
	fo.fixed_breaks = o.breaks_n.given || o.breaks_m.given;
	struct augur_diag diag = {0};
	char path[AUGUR_DIAG_PATH_MAX];
	struct augur_profile *p = NULL;
	int rc = CLI_OK;
	if (augur_profile_find(args[0], path, sizeof(path), &diag) ||
	    augur_profile_load(path, &p, &diag))
		return cli_report(&diag);
	struct augur_unit *units[2] = {p->cpu, p->gpu};
	size_t fitted = 0;
	for (int i = 0; i < 2; i++) {
		struct augur_unit *u = units[i];
		if (!u || (unit && strcmp(unit, augur_unit_kind_name(u->kind))))
			continue;
		struct augur_timemodel tm;
		struct augur_fit_quality q;
		/* a direct path the profile states (perhaps edited by hand) wins over the
		 * one its library string implies */
		fo.direct = u->gemm.direct;
		if (!fo.direct.max_nkm)
			augur_direct_path_for_library(u->library, &fo.direct);
		/* the terms of the model it replaces, unless --terms says: a profile from before
		 * a term existed refits to itself (its grid may not tell the new term apart) */
		fo.term_mask = o.terms             ? o.terms
		               : u->gemm.term_mask ? u->gemm.term_mask
		                                   : all_terms;
		if (augur_fit_model(u->samples, u->n_samples, &fo, &tm, &q, &diag)) {
			snprintf(diag.path, sizeof(diag.path), "%s", path);
			rc = cli_report(&diag);
			goto out;
		}
		u->gemm = tm;
		u->quality = q;
		fitted++;
		printf("%s: %u regions, train median error %.2f%% over %zu samples (%zu dropped)",
		       augur_unit_kind_name(u->kind), (tm.n_breaks_n + 1) * (tm.n_breaks_m + 1),
		       100 * q.train_median_rel_err, q.n_train, q.n_dropped);
		if (q.n_heldout)
			printf(", held-out median %.2f%% max %.2f%% over %zu",
			       100 * q.heldout_median_rel_err, 100 * q.heldout_max_rel_err,
			       q.n_heldout);
		printf("\n");
	}
	if (!fitted) {
		cli_error("fit", "%s has no %s unit", path, unit ? unit : "cpu or gpu");
		rc = CLI_FAIL;
		goto out;
	}
	rc = save_profile(p, out ? out : path);
out:
	augur_profile_free(p);
	return rc;
}
