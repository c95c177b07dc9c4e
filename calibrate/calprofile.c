/* The device profile of a finished calibration (see calprofile.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "augur-config.h"
#include "calprofile.h"
#include "machine.h"

/* "calibrated with augur calibrate --quick --threads 1": how the profile was made */
static void source_text(char *buf, size_t size, const char *grid, uint32_t threads)
{
	int n = snprintf(buf, size, "calibrated with augur calibrate");
	if (strcmp(grid, "full") && n > 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, " %s%s",
		              strcmp(grid, "quick") ? "--grid " : "--", grid);
	if (threads && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " --threads %u", threads);
}

static int identify(struct augur_profile *p, const struct augur_cal_identity *id,
                    const struct augur_unit *u)
{
	char created[32], desc[512], source[128], threads[32] = "";
	time_t now = time(NULL);
	struct tm tmv;
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tmv));
	const char *description = id->description;
	if (!description) {
		if (u->kind == AUGUR_UNIT_CPU)
			snprintf(threads, sizeof(threads), ", %u BLAS thread%s", u->threads,
			         u->threads == 1 ? "" : "s");
		snprintf(desc, sizeof(desc), "%s, %u cores%s, %s calibration",
		         p->cpu_model ? p->cpu_model : "unknown CPU", p->cpu_cores, threads,
		         id->grid);
		description = desc;
	}
	source_text(source, sizeof(source), id->grid, id->threads_asked);
	p->name = strdup(id->name);
	p->description = strdup(description);
	p->created = strdup(created);
	p->augur_version = strdup(AUGUR_VERSION);
	p->source = strdup(source);
	return p->name && p->description && p->created && p->augur_version && p->source ? 0 : -1;
}

int augur_cal_profile(const struct augur_cal_identity *id, struct augur_unit **unit,
                      struct augur_profile *old, struct augur_profile **out,
                      struct augur_diag *diag)
{
	struct augur_unit *u = *unit;
	struct augur_profile *p = augur_profile_new();
	if (!p || augur_machine_probe(p) || identify(p, id, u))
		goto nomem;
	augur_machine_measure_rates(&p->machine);
	augur_machine_measure_llc(&p->machine);
	if (u->kind == AUGUR_UNIT_CPU && (!u->processor || !*u->processor)) {
		free(u->processor);
		if (!(u->processor = strdup(p->cpu_model ? p->cpu_model : "unknown CPU")))
			goto nomem;
	}
	if (u->kind == AUGUR_UNIT_CPU)
		u->memory_bytes = p->ram_bytes;
	/* the other unit of an existing profile is kept */
	struct augur_unit **same = u->kind == AUGUR_UNIT_CPU ? &p->cpu : &p->gpu;
	struct augur_unit **other = u->kind == AUGUR_UNIT_CPU ? &p->gpu : &p->cpu;
	if (old) {
		*other = u->kind == AUGUR_UNIT_CPU ? old->gpu : old->cpu;
		*(u->kind == AUGUR_UNIT_CPU ? &old->gpu : &old->cpu) = NULL;
	}
	/* the times are of GEMM calls alone: the framework is the BLAS library itself, unless
	 * the unit kept from the old profile has layer costs of a framework */
	if (old && *other && (*other)->costs && old->framework.name) {
		p->framework = old->framework;
		memset(&old->framework, 0, sizeof(old->framework));
	} else {
		p->framework.name = strdup("blas");
		p->framework.library = u->library ? strdup(u->library) : NULL;
		p->framework.threads = u->kind == AUGUR_UNIT_CPU ? u->threads : 0;
		if (!p->framework.name)
			goto nomem;
	}
	*same = u;
	*unit = NULL;
	*out = p;
	return 0;
nomem:
	augur_profile_free(p);
	return augur_diag_set(diag, AUGUR_E_NOMEM, id->name, 0, 0, "out of memory");
}
