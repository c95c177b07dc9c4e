/* Machine facts for profiles (see machine.h). Everything is best effort: a file that
 * cannot be read leaves its fact unknown rather than failing the calibration. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine.h"

static char *trimmed(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strcspn(s, "\n");
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	char *out = malloc(len + 1);
	if (out) {
		memcpy(out, s, len);
		out[len] = '\0';
	}
	return out;
}

/* The value of the first "key : value" line of /proc/cpuinfo whose key is one of keys, in
 * the order given (x86 says "model name", ARM boards "Hardware" or "Processor"). */
static char *cpuinfo_value(const char *const *keys, size_t nkeys)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return NULL;
	char line[512];
	char *found[4] = {NULL};
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		size_t klen = (size_t)(colon - line);
		while (klen && (line[klen - 1] == ' ' || line[klen - 1] == '\t'))
			klen--;
		for (size_t i = 0; i < nkeys && i < 4; i++)
			if (!found[i] && strlen(keys[i]) == klen && !strncmp(line, keys[i], klen))
				found[i] = trimmed(colon + 1);
	}
	fclose(f);
	char *best = NULL;
	for (size_t i = 0; i < nkeys && i < 4; i++) {
		if (!best && found[i] && *found[i])
			best = found[i];
		else
			free(found[i]);
	}
	return best;
}

static char *first_line(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char line[256];
	char *out = fgets(line, sizeof(line), f) ? trimmed(line) : NULL;
	fclose(f);
	return out;
}

int augur_machine_probe(struct augur_profile *p)
{
	static const char *const keys[] = {"model name", "Hardware", "Processor", "cpu model"};
	free(p->cpu_model);
	free(p->cpu_governor);
	free(p->openblas_coretype);
	p->cpu_model = cpuinfo_value(keys, 4);
	p->cpu_governor = first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
	const char *ct = getenv("OPENBLAS_CORETYPE");
	p->openblas_coretype = ct ? strdup(ct) : NULL;
	if (ct && !p->openblas_coretype)
		return AUGUR_E_NOMEM;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	p->cpu_cores = cores > 0 ? (uint32_t)cores : 0;
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	p->ram_bytes = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : 0;
	p->pointer_bits = (uint32_t)(sizeof(void *) * 8);
	p->shared_memory = false;
	return AUGUR_OK;
}
