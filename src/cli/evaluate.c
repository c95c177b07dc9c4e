/* Shared evaluation of a network on a device (see evaluate.h). */
#include <string.h>

#include "cli.h"
#include "descriptor.h"
#include "evaluate.h"
#include "netfile.h"

int eval_units(const struct augur_profile *p, const char *unit, const char *path,
               const struct augur_unit **units, size_t *n, struct augur_diag *diag)
{
	*n = 0;
	bool all = !strcmp(unit, "all");
	if ((all || !strcmp(unit, "cpu")) && p->cpu)
		units[(*n)++] = p->cpu;
	if ((all || !strcmp(unit, "gpu")) && p->gpu)
		units[(*n)++] = p->gpu;
	if (*n)
		return AUGUR_OK;
	const char *has = p->cpu && p->gpu ? "cpu, gpu" : p->cpu ? "cpu" : p->gpu ? "gpu" : "none";
	return augur_diag_set(diag, AUGUR_E_USAGE, path, 0, 0,
	                      "profile '%s' has no %s unit (it has: %s)", p->name,
	                      all ? "processing" : unit, has);
}

int eval_run(const struct augur_net *net, uint32_t batch, const struct augur_profile *p,
             const struct augur_unit *const *units, size_t n_units, struct evaluation *e,
             struct augur_diag *diag)
{
	memset(e, 0, sizeof(*e));
	int rc = augur_analyze(net, batch, &e->a, diag);
	for (size_t u = 0; u < n_units && !rc; u++, e->n_units++)
		rc = augur_estimate_unit(net, e->a, p, units[u], &e->est[u], diag);
	if (rc)
		eval_clear(e);
	return rc;
}

void eval_clear(struct evaluation *e)
{
	for (size_t u = 0; u < 2; u++)
		augur_unit_estimate_clear(&e->est[u]);
	augur_analysis_free(e->a);
	memset(e, 0, sizeof(*e));
}

int eval_load_profile(const char *name, char *path, size_t size, struct augur_profile **p,
                      struct augur_diag *diag)
{
	int rc = augur_profile_find(name, path, size, diag);
	return rc ? rc : augur_profile_load(path, p, diag);
}

int eval_open(const struct eval_request *req, struct evaluated *out, struct augur_diag *diag)
{
	int rc = eval_load_profile(req->device, out->profile_path, sizeof(out->profile_path),
	                           &out->p, diag);
	if (!rc)
		rc = eval_units(out->p, req->unit, out->profile_path, out->units, &out->n_units,
		                diag);
	if (!rc)
		rc = cli_net_load(req->net_path, &out->net, NULL, diag);
	for (size_t i = 0; i < req->n_sets && !rc; i++)
		rc = augur_descriptor_set(out->net, req->sets[i], diag);
	if (!rc && req->estimate)
		rc = eval_run(out->net, req->batch, out->p, out->units, out->n_units, &out->ev,
		              diag);
	else if (!rc && req->analyse)
		rc = augur_analyze(out->net, req->batch, &out->ev.a, diag);
	return rc;
}

void eval_close(struct evaluated *e)
{
	eval_clear(&e->ev);
	augur_net_free(e->net);
	augur_profile_free(e->p);
	memset(e, 0, sizeof(*e));
}
