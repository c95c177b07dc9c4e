/* Facts about the machine a calibration runs on: CPU model and cores from /proc/cpuinfo
 * and sysconf, the cpufreq governor where readable, OPENBLAS_CORETYPE, RAM and pointer
 * width, cache sizes from sysfs and the page size. They go into the profile so a reader
 * knows what the numbers were measured on, and the cache sizes set the layer-cost model's
 * thresholds (layercost.h). */
#ifndef AUGUR_MACHINE_H
#define AUGUR_MACHINE_H

#include "profile.h"

/* The CPU model a /proc/cpuinfo text names, for the profile's cpu_model:
 *   x86: "model name" with family, model and stepping, and whether it runs under a
 *        hypervisor: "AMD EPYC (family 25, model 17, stepping 1; virtual machine)";
 *   ARM: the cores from "CPU implementer"/"CPU part" ("ARM Cortex-A57", or
 *        "NVIDIA Denver 2 x2 + ARM Cortex-A57 x4") and the board from "Hardware" or
 *        "Model": "ARM Cortex-A15 (jetson-tk1)";
 *   else the first of "model name", "Hardware", "Processor", "cpu model", "cpu", "uarch".
 * NULL when the text names none (or out of memory); the caller frees the result. */
char *augur_cpuinfo_model(const char *text);

/* The vector extension a /proc/cpuinfo text lists ("AVX-512" for avx512f, else "AVX2")
 * that OpenBLAS's kernel set core (openblas_get_corename: "Prescott", "Haswell", ...) does
 * not use, when core is one of its x86 sets from before AVX2; NULL otherwise. OpenBLAS
 * falls back to such a set on a CPU it does not know (0.3.21 runs Prescott's SSE3 kernels
 * on an Intel Xeon family 6 model 207 with AVX-512), and GEMMs then run at a fraction of
 * what the CPU allows: calibrate says so (docs/profiles.md). */
const char *augur_blas_kernels_behind(const char *core, const char *cpuinfo);

/* This machine's CPU model (augur_cpuinfo_model of /proc/cpuinfo); NULL when unknown. The
 * caller frees it. */
char *augur_machine_cpu_model(void);

/* The bytes of a sysfs cache size ("48K", "2048K", "32M", "512"); 0 when text is not one. */
uint64_t augur_sysfs_cache_bytes(const char *text);

/* Reads the caches of one CPU from dir (laid out as /sys/devices/system/cpu/cpu0/cache:
 * index*\/level, type and size) into m: l1d_bytes (level 1, Data), l2_bytes (level 2,
 * Data or Unified) and llc_bytes (the highest level that holds data: L3, or L2 on a board
 * without one). A cache sysfs does not list stays 0. */
void augur_cache_probe(const char *dir, struct augur_machine_facts *m);

/* Measures this machine's streaming read bandwidth (GiB/s, over a buffer of four times its
 * last-level cache, 64 to 512 MiB) and the cost of page faults (ms per MiB: writing freshly
 * mapped memory minus writing it again) into m; a rate that cannot be measured (no memory,
 * a result outside what a profile accepts) stays NAN. About half a second. */
void augur_machine_measure_rates(struct augur_machine_facts *m);

/* The page-fault cost augur_machine_measure_rates measures, alone: ms per MiB, NAN when it
 * cannot be measured. A quarter of a second; calibrate measures it again after the
 * layer-cost campaign's fit networks (the host's cost moves from hour to hour). */
double augur_machine_fault_ms_per_mib(void);

/* The cache size a read-bandwidth curve shows: bw[i] GB/s reading sizes[i] bytes again and
 * again, sizes ascending. The largest size still read at cache speed (at least the
 * geometric mean of the fastest rate and the rate at the largest size) when the curve
 * falls by at least a third from the fastest to the largest size; 0 when it shows no such
 * fall (every size fits, or none does, or the readings are noise). */
uint64_t augur_cache_knee(const uint64_t *sizes, const double *bw, size_t n);

/* Measures the size up to which this machine reads at cache speed (augur_cache_knee over
 * sizes from 1 MiB up to 512 MiB, or up to twice m->llc_bytes when smaller) into
 * m->llc_effective_bytes; 0 when the curve shows no clear fall. About a second. */
void augur_machine_measure_llc(struct augur_machine_facts *m);

/* augur_blas_kernels_behind of core and this machine's /proc/cpuinfo. */
const char *augur_machine_blas_kernels_behind(const char *core);

/* Fills p's machine and memory facts (cpu_model, cpu_cores, cpu_governor,
 * openblas_coretype, the caches and page size, ram_bytes, pointer_bits; shared_memory
 * false), replacing what was there. Unknown facts stay NULL/0. Returns AUGUR_E_NOMEM or
 * AUGUR_OK. */
int augur_machine_probe(struct augur_profile *p);

#endif
