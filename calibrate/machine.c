/* Machine facts for profiles (see machine.h). Everything is best effort: a file that
 * cannot be read leaves its fact unknown rather than failing the calibration. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "machine.h"

/* When the line [line, line + n) is "key : value" with a non-empty value, points *val and
 * *len at the value, trimmed. */
static bool line_value(const char *line, size_t n, const char *key, const char **val, size_t *len)
{
	const char *colon = memchr(line, ':', n);
	if (!colon)
		return false;
	size_t kl = (size_t)(colon - line), klen = strlen(key);
	while (kl && (line[kl - 1] == ' ' || line[kl - 1] == '\t'))
		kl--;
	if (kl != klen || strncmp(line, key, klen))
		return false;
	const char *v = colon + 1, *end = line + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*val = v;
	*len = (size_t)(end - v);
	return end > v;
}

/* The value of the first "key : value" line of text with a non-empty value, as a pointer
 * into text and a length. Lines may be of any length (x86's flags line runs to
 * kilobytes). */
static bool value_of(const char *text, const char *key, const char **val, size_t *len)
{
	for (const char *line = text; *line;) {
		size_t n = strcspn(line, "\n");
		if (line_value(line, n, key, val, len))
			return true;
		line += n + (line[n] == '\n');
	}
	return false;
}

static bool has_key(const char *text, const char *key)
{
	const char *v;
	size_t len;
	return value_of(text, key, &v, &len);
}

/* Appends printf-style text to buf (NUL-terminated, size bytes), truncating. */
__attribute__((format(printf, 3, 4))) static void append(char *buf, size_t size, const char *fmt,
                                                         ...)
{
	size_t used = strlen(buf);
	if (used + 1 >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

/* Appends the value of key (or nothing) to buf; true when there was one. */
static bool append_value(char *buf, size_t size, const char *text, const char *key,
                         const char *before, const char *after)
{
	const char *v;
	size_t len;
	if (!value_of(text, key, &v, &len))
		return false;
	append(buf, size, "%s%.*s%s", before, (int)len, v, after);
	return true;
}

/* Whether the space-separated list value of key in text holds word. */
static bool has_word(const char *text, const char *key, const char *word)
{
	const char *v;
	size_t len, wl = strlen(word);
	if (!value_of(text, key, &v, &len))
		return false;
	for (size_t i = 0; i + wl <= len; i++)
		if ((i == 0 || v[i - 1] == ' ') && !strncmp(v + i, word, wl) &&
		    (i + wl == len || v[i + wl] == ' '))
			return true;
	return false;
}

/* ARM cores by "CPU implementer" and "CPU part" (the boards augur is for: Jetsons, phones,
 * Raspberry Pis, Arm servers). */
static const struct {
	unsigned impl, part;
	const char *name;
} arm_parts[] = {
        {0x41, 0xc07, "ARM Cortex-A7"},   {0x41, 0xc09, "ARM Cortex-A9"},
        {0x41, 0xc0f, "ARM Cortex-A15"},  {0x41, 0xd03, "ARM Cortex-A53"},
        {0x41, 0xd04, "ARM Cortex-A35"},  {0x41, 0xd05, "ARM Cortex-A55"},
        {0x41, 0xd07, "ARM Cortex-A57"},  {0x41, 0xd08, "ARM Cortex-A72"},
        {0x41, 0xd09, "ARM Cortex-A73"},  {0x41, 0xd0a, "ARM Cortex-A75"},
        {0x41, 0xd0b, "ARM Cortex-A76"},  {0x41, 0xd0c, "ARM Neoverse-N1"},
        {0x41, 0xd0d, "ARM Cortex-A77"},  {0x41, 0xd40, "ARM Neoverse-V1"},
        {0x41, 0xd41, "ARM Cortex-A78"},  {0x41, 0xd42, "ARM Cortex-A78AE"},
        {0x41, 0xd44, "ARM Cortex-X1"},   {0x41, 0xd46, "ARM Cortex-A510"},
        {0x41, 0xd47, "ARM Cortex-A710"}, {0x41, 0xd48, "ARM Cortex-X2"},
        {0x41, 0xd49, "ARM Neoverse-N2"}, {0x41, 0xd4f, "ARM Neoverse-V2"},
        {0x4e, 0x003, "NVIDIA Denver 2"}, {0x4e, 0x004, "NVIDIA Carmel"},
};

/* "ARM Cortex-A57", or with several kinds of core "NVIDIA Denver 2 x2 + ARM Cortex-A57 x4",
 * from each processor's "CPU implementer" and "CPU part" lines; false when there are none. */
static bool arm_cores(const char *text, char *buf, size_t size)
{
	struct core_kind {
		unsigned long impl, part;
		unsigned count;
	} kinds[8];
	size_t nk = 0;
	unsigned long impl = 0;
	for (const char *line = text; *line;) {
		size_t n = strcspn(line, "\n");
		const char *v;
		size_t len;
		/* each processor's part follows its implementer */
		if (line_value(line, n, "CPU implementer", &v, &len)) {
			impl = strtoul(v, NULL, 0);
		} else if (line_value(line, n, "CPU part", &v, &len)) {
			unsigned long part = strtoul(v, NULL, 0);
			size_t i = 0;
			while (i < nk && (kinds[i].impl != impl || kinds[i].part != part))
				i++;
			if (i == nk && nk < 8)
				kinds[nk++] = (struct core_kind){impl, part, 0};
			if (i < nk)
				kinds[i].count++;
		}
		line += n + (line[n] == '\n');
	}
	if (!nk)
		return false;
	for (size_t i = 0; i < nk; i++) {
		const char *name = NULL;
		for (size_t j = 0; j < sizeof(arm_parts) / sizeof(*arm_parts); j++)
			if (arm_parts[j].impl == kinds[i].impl &&
			    arm_parts[j].part == kinds[i].part)
				name = arm_parts[j].name;
		if (i)
			append(buf, size, " + ");
		if (name)
			append(buf, size, "%s", name);
		else
			append(buf, size, "ARM implementer 0x%02lx part 0x%03lx", kinds[i].impl,
			       kinds[i].part);
		if (nk > 1)
			append(buf, size, " x%u", kinds[i].count);
	}
	return true;
}

char *augur_cpuinfo_model(const char *text)
{
	char buf[512] = "";
	if (has_key(text, "vendor_id") || has_key(text, "cpu family")) {
		/* x86: the brand string, which a hypervisor may cut short ("AMD EPYC"), so
		 * also the family, model and stepping that identify the core */
		if (!append_value(buf, sizeof(buf), text, "model name", "", ""))
			append_value(buf, sizeof(buf), text, "vendor_id", "", "");
		bool open = append_value(buf, sizeof(buf), text, "cpu family", " (family ", "");
		if (open) {
			append_value(buf, sizeof(buf), text, "model", ", model ", "");
			append_value(buf, sizeof(buf), text, "stepping", ", stepping ", "");
		}
		if (has_word(text, "flags", "hypervisor"))
			append(buf, sizeof(buf), "%svirtual machine", open ? "; " : " (");
		if (open || has_word(text, "flags", "hypervisor"))
			append(buf, sizeof(buf), ")");
	} else if (arm_cores(text, buf, sizeof(buf))) {
		/* ARM: the cores, and the board where the kernel names it */
		if (!append_value(buf, sizeof(buf), text, "Hardware", " (", ")"))
			append_value(buf, sizeof(buf), text, "Model", " (", ")");
	} else {
		static const char *const keys[] = {"model name", "Hardware", "Processor",
		                                   "cpu model",  "cpu",      "uarch"};
		for (size_t i = 0; i < sizeof(keys) / sizeof(*keys) && !*buf; i++)
			append_value(buf, sizeof(buf), text, keys[i], "", "");
	}
	return *buf ? strdup(buf) : NULL;
}

static char *first_line(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char line[256];
	char *out = NULL;
	if (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		out = strdup(line);
	}
	fclose(f);
	return out;
}

uint64_t augur_sysfs_cache_bytes(const char *text)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (end == text || errno || *text == '-')
		return 0;
	unsigned shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
	end += shift != 0;
	while (*end == '\n' || *end == ' ')
		end++;
	if (*end || v > (UINT64_MAX >> shift))
		return 0;
	return (uint64_t)v << shift;
}

void augur_cache_probe(const char *dir, struct augur_machine_facts *m)
{
	m->llc_bytes = m->l2_bytes = m->l1d_bytes = 0;
	unsigned llc_level = 0;
	for (int i = 0; i < 16; i++) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/index%d/level", dir, i);
		char *level = first_line(path);
		snprintf(path, sizeof(path), "%s/index%d/type", dir, i);
		char *type = first_line(path);
		snprintf(path, sizeof(path), "%s/index%d/size", dir, i);
		char *size = first_line(path);
		unsigned lv = level ? (unsigned)strtoul(level, NULL, 10) : 0;
		uint64_t bytes = size ? augur_sysfs_cache_bytes(size) : 0;
		/* instruction caches hold no data */
		bool data = type && (!strcmp(type, "Data") || !strcmp(type, "Unified"));
		if (data && bytes && lv) {
			if (lv == 1)
				m->l1d_bytes = bytes;
			if (lv == 2)
				m->l2_bytes = bytes;
			if (lv > llc_level) {
				llc_level = lv;
				m->llc_bytes = bytes;
			}
		}
		free(level);
		free(type);
		free(size);
	}
	/* a single-level cache is not a last-level cache of the kind the model means */
	if (llc_level < 2)
		m->llc_bytes = 0;
}

/* Leaves unknown what a profile would refuse to load (docs/profiles.md: caches of 1 KiB to
 * 4 GiB, each level at least the one below it; pages a power of two of 512 bytes to
 * 1 GiB): a kernel's odd answer must not make the calibration's profile unreadable. */
static void sane_facts(struct augur_machine_facts *m)
{
	uint64_t *sizes[] = {&m->llc_bytes, &m->l2_bytes, &m->l1d_bytes};
	for (int i = 0; i < 3; i++)
		if (*sizes[i] < 1024 || *sizes[i] > (4ull << 30))
			*sizes[i] = 0;
	if (m->llc_bytes && m->l2_bytes > m->llc_bytes)
		m->l2_bytes = 0;
	uint64_t below = m->l2_bytes ? m->l2_bytes : m->llc_bytes;
	if (below && m->l1d_bytes > below)
		m->l1d_bytes = 0;
	if (m->page_bytes < 512 || m->page_bytes > (1ull << 30) ||
	    (m->page_bytes & (m->page_bytes - 1)))
		m->page_bytes = 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Keeps the compiler from dropping writes to p that nothing reads. */
static void touched(void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

/* Best of three reads of n bytes at p, in seconds. One cache line per step into eight
 * independent sums: a single running sum is a chain of dependent adds that ran at 27 GB/s
 * on a Zen 5 guest both in its cache and from memory (no knee to see), where eight ran at
 * 82 GB/s in the cache and 30 from memory. The read must outrun memory for the cache's
 * edge to show. */
static double read_s(const uint64_t *p, size_t n)
{
	double best = INFINITY;
	const size_t lines = n / (8 * sizeof(*p));
	for (int rep = 0; rep < 3; rep++) {
		double t0 = now_s();
		uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
		for (size_t i = 0; i < lines; i++) {
			const uint64_t *line = p + 8 * i;
			s0 += line[0];
			s1 += line[1];
			s2 += line[2];
			s3 += line[3];
			s4 += line[4];
			s5 += line[5];
			s6 += line[6];
			s7 += line[7];
		}
		volatile uint64_t sink = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
		(void)sink;
		double t = now_s() - t0;
		best = t < best ? t : best;
	}
	return best;
}

void augur_machine_measure_rates(struct augur_machine_facts *m)
{
	m->stream_gib_per_s = m->fault_ms_per_mib = NAN;
	/* streaming: a buffer well beyond the last-level cache, faulted in first */
	uint64_t size = m->llc_bytes ? 4 * m->llc_bytes : (256ull << 20);
	size = size < (64ull << 20) ? (64ull << 20) : size > (512ull << 20) ? (512ull << 20) : size;
	uint64_t *buf = malloc(size);
	if (buf) {
		memset(buf, 1, size);
		touched(buf);
		double s = read_s(buf, size);
		double gib_s = (double)size / (1ull << 30) / s;
		if (s > 0 && gib_s >= 1e-3 && gib_s <= 1e5)
			m->stream_gib_per_s = gib_s;
		free(buf);
	}
	m->fault_ms_per_mib = augur_machine_fault_ms_per_mib();
}

double augur_machine_fault_ms_per_mib(void)
{
	/* write 64 MiB of fresh anonymous pages (what an allocator's fresh buffer gets), then
	 * the same pages again; the difference is the faults' cost */
	const size_t fsize = 64u << 20;
	double fresh = INFINITY, warm = INFINITY;
	for (int rep = 0; rep < 3; rep++) {
		double t0 = now_s();
		void *p = mmap(NULL, fsize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		               0);
		if (p == MAP_FAILED)
			return NAN;
		memset(p, 1, fsize);
		touched(p);
		double t1 = now_s();
		memset(p, 2, fsize);
		touched(p);
		double t2 = now_s();
		munmap(p, fsize);
		fresh = t1 - t0 < fresh ? t1 - t0 : fresh;
		warm = t2 - t1 < warm ? t2 - t1 : warm;
	}
	double ms_per_mib = (fresh - warm) * 1e3 / (double)(fsize >> 20);
	return ms_per_mib >= 1e-6 && ms_per_mib <= 1e3 ? ms_per_mib : NAN;
}

uint64_t augur_cache_knee(const uint64_t *sizes, const double *bw, size_t n)
{
	if (n < 3)
		return 0;
	double fast = 0, far = bw[n - 1];
	for (size_t i = 0; i < n; i++)
		fast = bw[i] > fast ? bw[i] : fast;
	if (!(far > 0) || fast < 1.5 * far)
		return 0;
	double cut = sqrt(fast * far);
	uint64_t knee = 0;
	for (size_t i = 0; i < n && bw[i] >= cut; i++)
		knee = sizes[i];
	return knee;
}

void augur_machine_measure_llc(struct augur_machine_facts *m)
{
	m->llc_effective_bytes = 0;
	uint64_t top = 512ull << 20;
	if (m->llc_bytes && 2 * m->llc_bytes < top)
		top = 2 * m->llc_bytes;
	if (top < (8ull << 20))
		top = 8ull << 20;
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	if (pages > 0 && page > 0 && top > (uint64_t)pages * (uint64_t)page / 8)
		return; /* no room to measure past the cache without pressing on memory */
	uint64_t *buf = malloc(top);
	if (!buf)
		return;
	memset(buf, 1, top);
	touched(buf);
	/* steps of 1, 1.5, 2, 3, 4, 6 ... MiB: the knee to within a third */
	uint64_t sizes[64];
	double bw[64];
	size_t n = augur_cache_ladder(0, top, sizes, 64);
	for (size_t i = 0; i < n; i++) {
		/* a small size often enough to see its best, a large one three times */
		uint64_t reps = (256ull << 20) / sizes[i];
		reps = reps < 1 ? 1 : reps > 64 ? 64 : reps;
		double best = INFINITY;
		for (uint64_t r = 0; r < reps; r++) {
			double s = read_s(buf, sizes[i]);
			best = s < best ? s : best;
		}
		bw[i] = best > 0 ? (double)sizes[i] / best * 1e-9 : 0;
	}
	free(buf);
	m->llc_effective_bytes = augur_cache_knee(sizes, bw, n);
}

const char *augur_blas_kernels_behind(const char *core, const char *cpuinfo)
{
	/* OpenBLAS's x86 targets without AVX2 (DYNAMIC_ARCH builds pick among these when
	 * they do not recognise the CPU) */
	static const char *const old_sets[] = {
	        "Katmai",      "Coppermine", "Northwood",    "Prescott",  "Banias",
	        "Core2",       "Penryn",     "Dunnington",   "Nehalem",   "Atom",
	        "Athlon",      "Opteron",    "Opteron_SSE3", "Barcelona", "Bobcat",
	        "Sandybridge", "Bulldozer",  "Piledriver"};
	if (!core || !cpuinfo || !has_word(cpuinfo, "flags", "avx2"))
		return NULL;
	for (size_t i = 0; i < sizeof(old_sets) / sizeof(*old_sets); i++)
		if (!strcasecmp(core, old_sets[i]))
			return has_word(cpuinfo, "flags", "avx512f") ? "AVX-512" : "AVX2";
	return NULL;
}

/* This machine's /proc/cpuinfo, or NULL where it cannot be read; the caller frees it. */
static char *cpuinfo_text(void)
{
	char *text = NULL;
	size_t len;
	struct augur_diag diag = {0};
	if (augur_read_file("/proc/cpuinfo", AUGUR_MAX_FILE_BYTES, &text, &len, &diag))
		return NULL;
	return text;
}

const char *augur_machine_blas_kernels_behind(const char *core)
{
	char *text = cpuinfo_text();
	const char *behind = text ? augur_blas_kernels_behind(core, text) : NULL;
	free(text);
	return behind;
}

char *augur_machine_cpu_model(void)
{
	char *text = cpuinfo_text();
	char *model = text ? augur_cpuinfo_model(text) : NULL;
	free(text);
	return model;
}

int augur_machine_probe(struct augur_profile *p)
{
	free(p->cpu_model);
	free(p->cpu_governor);
	free(p->openblas_coretype);
	p->cpu_model = augur_machine_cpu_model();
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
	augur_cache_probe("/sys/devices/system/cpu/cpu0/cache", &p->machine);
#ifdef _SC_LEVEL3_CACHE_SIZE
	/* glibc's cpuid view where sysfs lists no caches (some containers and VMs) */
	if (!p->machine.llc_bytes) {
		long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE), l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
		p->machine.llc_bytes = l3 > 0 ? (uint64_t)l3 : l2 > 0 ? (uint64_t)l2 : 0;
		if (!p->machine.l2_bytes && l2 > 0)
			p->machine.l2_bytes = (uint64_t)l2;
	}
#endif
	p->machine.page_bytes = page > 0 ? (uint64_t)page : 0;
	sane_facts(&p->machine);
	return AUGUR_OK;
}
