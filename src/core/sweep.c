/* --sweep parsing and application (see sweep.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "descriptor.h"
#include "edit.h"
#include "sweep.h"

int augur_sweep_parse(const char *spec, struct augur_sweep *s, struct augur_diag *diag)
{
	char where[AUGUR_DIAG_PATH_MAX];
	snprintf(where, sizeof(where), "--sweep %s", spec);
	s->n = 0;
	const char *eq = strchr(spec, '=');
	if (!eq || eq == spec || (size_t)(eq - spec) >= sizeof(s->target))
		return augur_diag_set(diag, AUGUR_E_USAGE, where, 0, 0,
		                      "--sweep expects KEY=V1,V2,... (got '%s')", spec);
	memcpy(s->target, spec, (size_t)(eq - spec));
	s->target[eq - spec] = '\0';
	const char *p = eq + 1;
	while (*p) {
		int depth = 0;
		const char *q = p;
		for (; *q && (depth || *q != ','); q++)
			depth += (*q == '[') - (*q == ']');
		if (q == p || s->n == AUGUR_SWEEP_MAX_VALUES)
			return augur_diag_set(diag, AUGUR_E_USAGE, where, 0, 0,
			                      "--sweep '%s': empty value or more than %d", spec,
			                      AUGUR_SWEEP_MAX_VALUES);
		s->values[s->n] = strndup(p, (size_t)(q - p));
		if (!s->values[s->n])
			return augur_diag_set(diag, AUGUR_E_NOMEM, where, 0, 0, "out of memory");
		s->n++;
		p = *q ? q + 1 : q;
	}
	if (!s->n)
		return augur_diag_set(diag, AUGUR_E_USAGE, where, 0, 0,
		                      "--sweep '%s' has no values", spec);
	return AUGUR_OK;
}

void augur_sweep_clear(struct augur_sweep *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->values[i]);
	s->n = 0;
}

/* "TARGET=VALUE" for value i, as a --set would say it (malloc'd; NULL when out of memory).
 * Sized for the value, never truncated: a cut value would be a different value. */
static char *assignment_of(const struct augur_net *net, const struct augur_sweep *s, size_t i)
{
	const char *v = s->values[i];
	size_t size = strlen(s->target) + 2 * strlen(v) + 32;
	char *a = malloc(size);
	if (!a)
		return NULL;
	if (!strcmp(s->target, "input") && v[0] != '[' && net->input.rank == 3)
		snprintf(a, size, "input=[%llu,%s,%s]", (unsigned long long)net->input.c, v, v);
	else
		snprintf(a, size, "%s=%s", s->target, v);
	return a;
}

/* Names the sweep value rather than the assignment made of it; through augur_diag_fill,
 * which keeps the path printable. */
static void name_value(const struct augur_sweep *s, size_t i, int rc, struct augur_diag *diag)
{
	if (!rc || !diag)
		return;
	char where[AUGUR_DIAG_PATH_MAX], msg[AUGUR_DIAG_MSG_MAX];
	snprintf(where, sizeof(where), "--sweep %s=%s", s->target, s->values[i]);
	memcpy(msg, diag->message, sizeof(msg));
	augur_diag_fill(diag, rc, where, 0, 0, "%s", msg);
}

int augur_sweep_apply(struct augur_net *net, const struct augur_sweep *s, size_t i,
                      struct augur_diag *diag)
{
	char *a = assignment_of(net, s, i);
	if (!a)
		return augur_diag_set(diag, AUGUR_E_NOMEM, s->target, 0, 0, "out of memory");
	int rc = augur_descriptor_set(net, a, diag);
	name_value(s, i, rc, diag);
	free(a);
	return rc;
}

int augur_sweep_edit(const struct augur_net *net, const struct augur_sweep *s, size_t i,
                     struct augur_edit *out, struct augur_diag *diag)
{
	char *a = assignment_of(net, s, i);
	if (!a)
		return augur_diag_set(diag, AUGUR_E_NOMEM, s->target, 0, 0, "out of memory");
	int rc = augur_edit_parse(net, a, out, diag);
	name_value(s, i, rc, diag);
	free(a);
	return rc;
}
