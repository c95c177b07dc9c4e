/* Facts about the machine a calibration runs on: CPU model and cores from /proc/cpuinfo
 * and sysconf, the cpufreq governor where readable, OPENBLAS_CORETYPE, RAM and pointer
 * width. They go into the profile so a reader knows what the numbers were measured on. */
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

/* Fills p's machine and memory facts (cpu_model, cpu_cores, cpu_governor,
 * openblas_coretype, ram_bytes, pointer_bits; shared_memory false), replacing what was
 * there. Unknown facts stay NULL/0. Returns AUGUR_E_NOMEM or AUGUR_OK. */
int augur_machine_probe(struct augur_profile *p);

#endif
