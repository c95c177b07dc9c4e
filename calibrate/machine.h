/* Facts about the machine a calibration runs on: CPU model and cores from /proc/cpuinfo
 * and sysconf, the cpufreq governor where readable, OPENBLAS_CORETYPE, RAM and pointer
 * width. They go into the profile so a reader knows what the numbers were measured on. */
#ifndef AUGUR_MACHINE_H
#define AUGUR_MACHINE_H

#include "profile.h"

/* Fills p's machine and memory facts (cpu_model, cpu_cores, cpu_governor,
 * openblas_coretype, ram_bytes, pointer_bits; shared_memory false), replacing what was
 * there. Unknown facts stay NULL/0. Returns AUGUR_E_NOMEM or AUGUR_OK. */
int augur_machine_probe(struct augur_profile *p);

#endif
