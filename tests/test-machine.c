/* The machine probe: the CPU model parsed from sample /proc/cpuinfo texts (tests/data/
 * cpuinfo-*.txt: this KVM guest, a bare-metal Xeon, Jetson TK1, TX1 and TX2, a Raspberry
 * Pi 4, a RISC-V board), edge cases of the "key : value" lines, the caches read from
 * sysfs-like trees (the EPYC guest's and a Jetson TX1's, as their kernels list them), and
 * the probe of this machine recording the model, cores, page size and OPENBLAS_CORETYPE. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fileio.h"
#include "machine.h"

static char *read_data(const char *name)
{
	char path[1024];
	const char *root = getenv("AUGUR_SOURCE_ROOT");
	snprintf(path, sizeof(path), "%s/tests/data/%s", root ? root : ".", name);
	char *text = NULL;
	size_t len;
	struct augur_diag diag = {0};
	if (augur_read_file(path, AUGUR_MAX_FILE_BYTES, &text, &len, &diag)) {
		CHECK_FAIL_("cannot read %s: %s", path, diag.message);
		return NULL;
	}
	return text;
}

static void model_of_file(const char *name, const char *expected)
{
	char *text = read_data(name);
	if (!text)
		return;
	char *model = augur_cpuinfo_model(text);
	CHECK_STR_EQ(model, expected);
	free(model);
	free(text);
}

static void model_of_text(const char *text, const char *expected)
{
	char *model = augur_cpuinfo_model(text);
	if (!expected)
		CHECK(model == NULL);
	else
		CHECK_STR_EQ(model, expected);
	free(model);
}

/* Writes dir/indexI/{level,type,size} for each cache of caches ("1 Data 32K", ...). */
static void fake_caches(const char *dir, const char *const *caches, size_t n)
{
	mkdir(dir, 0700);
	for (size_t i = 0; i < n; i++) {
		char sub[512], path[600], level[16], type[32], size[32];
		if (sscanf(caches[i], "%15s %31s %31s", level, type, size) != 3)
			continue;
		snprintf(sub, sizeof(sub), "%s/index%zu", dir, i);
		mkdir(sub, 0700);
		const char *names[] = {"level", "type", "size"};
		const char *values[] = {level, type, size};
		for (int k = 0; k < 3; k++) {
			snprintf(path, sizeof(path), "%s/%s", sub, names[k]);
			FILE *f = fopen(path, "w");
			if (f) {
				fprintf(f, "%s\n", values[k]);
				fclose(f);
			}
		}
	}
}

static void test_caches(void)
{
	CHECK_EQ_U64(augur_sysfs_cache_bytes("48K"), 49152);
	CHECK_EQ_U64(augur_sysfs_cache_bytes("32768K\n"), 33554432);
	CHECK_EQ_U64(augur_sysfs_cache_bytes("2M"), 2097152);
	CHECK_EQ_U64(augur_sysfs_cache_bytes("512"), 512);
	CHECK_EQ_U64(augur_sysfs_cache_bytes("K"), 0);
	CHECK_EQ_U64(augur_sysfs_cache_bytes("-1K"), 0);
	CHECK_EQ_U64(augur_sysfs_cache_bytes("12X"), 0);
	CHECK_EQ_U64(augur_sysfs_cache_bytes("99999999999999999999K"), 0);

	char tmp[] = "/tmp/augur-test-machine-XXXXXX";
	if (!mkdtemp(tmp)) {
		CHECK(0);
		return;
	}
	char dir[256];
	/* the EPYC guest (family 25 model 17): 32 KiB L1d and L1i, 1 MiB L2, 32 MiB L3 */
	static const char *const epyc[] = {"1 Data 32K", "1 Instruction 32K", "2 Unified 1024K",
	                                   "3 Unified 32768K"};
	snprintf(dir, sizeof(dir), "%s/epyc", tmp);
	fake_caches(dir, epyc, 4);
	struct augur_machine_facts m = {0};
	augur_cache_probe(dir, &m);
	CHECK_EQ_U64(m.l1d_bytes, 32768);
	CHECK_EQ_U64(m.l2_bytes, 1048576);
	CHECK_EQ_U64(m.llc_bytes, 33554432);
	/* a Jetson TX1 (Cortex-A57): 32 KiB L1d, 48 KiB L1i, 2 MiB L2 and no L3: the L2 is
	 * the last level */
	static const char *const tx1[] = {"1 Data 32K", "1 Instruction 48K", "2 Unified 2048K"};
	snprintf(dir, sizeof(dir), "%s/tx1", tmp);
	fake_caches(dir, tx1, 3);
	augur_cache_probe(dir, &m);
	CHECK_EQ_U64(m.l1d_bytes, 32768);
	CHECK_EQ_U64(m.l2_bytes, 2097152);
	CHECK_EQ_U64(m.llc_bytes, 2097152);
	/* only L1 listed: no last-level cache the model can use; nothing listed: unknown */
	static const char *const l1[] = {"1 Data 16K", "1 Instruction 16K"};
	snprintf(dir, sizeof(dir), "%s/l1", tmp);
	fake_caches(dir, l1, 2);
	augur_cache_probe(dir, &m);
	CHECK_EQ_U64(m.l1d_bytes, 16384);
	CHECK_EQ_U64(m.llc_bytes, 0);
	snprintf(dir, sizeof(dir), "%s/none", tmp);
	augur_cache_probe(dir, &m);
	CHECK(m.llc_bytes == 0 && m.l2_bytes == 0 && m.l1d_bytes == 0);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmp);
}

/* The knee of a read-bandwidth curve: figures read on the Xeon guest (family 6 model 167)
 * whose sysfs reports a 480 MiB L3: 20-29 GB/s up to 32 MiB, 7-8 GB/s from 64 MiB on. */
static void test_cache_knee(void)
{
	const uint64_t mib = 1ull << 20;
	const uint64_t sizes[] = {1 * mib,  2 * mib,  4 * mib,   8 * mib,   16 * mib,
	                          32 * mib, 64 * mib, 128 * mib, 256 * mib, 512 * mib};
	const double xeon[] = {28.7, 23.9, 20.5, 20.2, 20.5, 21.1, 8.2, 7.5, 7.1, 6.7};
	CHECK_EQ_U64(augur_cache_knee(sizes, xeon, 10), 32 * mib);
	/* a slow fall through the L2 is not the knee: the cut is the geometric mean of the
	 * fastest and the last rate, sqrt(40 * 8) = 17.9 GB/s */
	const double ramp[] = {40, 30, 25, 22, 20, 19, 12, 9, 8, 8};
	CHECK_EQ_U64(augur_cache_knee(sizes, ramp, 10), 32 * mib);
	/* a Zen 5 guest (family 26 model 2; glibc reports its host's 508 MiB L3): 82 GB/s
	 * in its 32 MiB L3 falling to 30 from memory, with a slow slope beyond the knee;
	 * the cut is sqrt(85 * 30.3) = 50.7 GB/s */
	const double zen5[] = {85.0, 81.7, 81.4, 77.2, 67.4, 45.2, 41.8, 37.5, 30.4, 30.3};
	CHECK_EQ_U64(augur_cache_knee(sizes, zen5, 10), 16 * mib);
	/* the same guest read through one chain of dependent adds: 27 GB/s in the cache
	 * and from memory alike, nothing to find */
	const double chained[] = {27.6, 27.4, 27.3, 26.9, 26.7, 26.2, 26.3, 26.1, 25.3, 25.3};
	CHECK_EQ_U64(augur_cache_knee(sizes, chained, 10), 0);
	/* flat: everything fits (or nothing does): no knee; noise under a third: none */
	const double flat[] = {9, 8.8, 9.1, 8.9, 9, 9.2, 8.7, 9, 8.9, 9};
	CHECK_EQ_U64(augur_cache_knee(sizes, flat, 10), 0);
	const double noise[] = {9, 12, 9, 11, 9, 10, 9, 12, 10, 9};
	CHECK_EQ_U64(augur_cache_knee(sizes, noise, 10), 0);
	/* too few sizes to tell, or a zero rate */
	CHECK_EQ_U64(augur_cache_knee(sizes, xeon, 2), 0);
	const double dead[] = {20, 20, 0};
	CHECK_EQ_U64(augur_cache_knee(sizes, dead, 3), 0);
}

/* OpenBLAS kernels older than the CPU: Prescott's (what 0.3.21 picked on a Xeon family 6
 * model 207) on CPUs with AVX-512 or AVX2; none said for kernels that use them, for a CPU
 * without AVX2 (the TX1's Cortex-A57), or without a core name */
static void test_blas_kernels_behind(void)
{
	char *xeon = read_data("cpuinfo-xeon.txt"), *tx1 = read_data("cpuinfo-tx1.txt");
	if (!xeon || !tx1) {
		free(xeon);
		free(tx1);
		return;
	}
	CHECK_STR_EQ(augur_blas_kernels_behind("Prescott", xeon), "AVX-512");
	CHECK_STR_EQ(augur_blas_kernels_behind("PRESCOTT", xeon), "AVX-512");
	CHECK_STR_EQ(augur_blas_kernels_behind("Sandybridge", xeon), "AVX-512");
	CHECK(augur_blas_kernels_behind("SkylakeX", xeon) == NULL);
	CHECK(augur_blas_kernels_behind("Haswell", xeon) == NULL);
	CHECK(augur_blas_kernels_behind(NULL, xeon) == NULL);
	CHECK(augur_blas_kernels_behind("ARMV8", tx1) == NULL);
	CHECK(augur_blas_kernels_behind("Prescott", tx1) == NULL);
	CHECK_STR_EQ(augur_blas_kernels_behind("Nehalem", "vendor_id : X\nflags : sse avx avx2\n"),
	             "AVX2");
	CHECK(augur_blas_kernels_behind("Nehalem", "vendor_id : X\nflags : sse avx2x\n") == NULL);
	free(xeon);
	free(tx1);
}

int main(void)
{
	test_blas_kernels_behind();
	test_caches();
	test_cache_knee();
	/* the kernel's brand string under KVM is just "AMD EPYC": family 25 model 17 says
	 * which EPYC (Zen 4), the hypervisor flag that it is a virtual machine */
	model_of_file("cpuinfo-epyc-kvm.txt",
	              "AMD EPYC (family 25, model 17, stepping 1; virtual machine)");
	model_of_file("cpuinfo-xeon.txt",
	              "Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz (family 6, model 85, stepping 4)");
	/* ARM: the cores, not the generic "ARMv7 Processor rev 3 (v7l)" */
	model_of_file("cpuinfo-tk1.txt", "ARM Cortex-A15 (jetson-tk1)");
	model_of_file("cpuinfo-tx1.txt", "ARM Cortex-A57");
	model_of_file("cpuinfo-tx2.txt", "ARM Cortex-A57 x4 + NVIDIA Denver 2 x2");
	model_of_file("cpuinfo-rpi4.txt", "ARM Cortex-A72 (BCM2835)");
	model_of_file("cpuinfo-riscv.txt", "sifive,u74-mc");

	/* lines: any spacing around the colon, CRLF, a value with colons, an empty value
	 * (skipped for a later one), keys matched whole, no trailing newline */
	model_of_text("vendor_id : X\nmodel name:   A: B \r\n", "A: B");
	model_of_text("vendor_id\t: X\nmodel name\t:\nmodel name\t: Later\n", "Later");
	model_of_text("vendor_id: X\nmodel names : no\nmodel name : yes", "yes");
	model_of_text("vendor_id: GenuineIntel\ncpu family: 6\n", "GenuineIntel (family 6)");
	model_of_text("vendor_id: X\nmodel name: M\nflags: fpu hypervisorx sse\n", "M");
	model_of_text("vendor_id: X\nmodel name: M\nflags: fpu hypervisor\n",
	              "M (virtual machine)");
	model_of_text("CPU implementer : 0x41\nCPU part : 0xfff\n",
	              "ARM implementer 0x41 part 0xfff");
	model_of_text("Processor : Some SoC\n", "Some SoC");
	model_of_text("", NULL);
	model_of_text("processor : 0\nBogoMIPS : 1\n", NULL);
	/* a flags line longer than any fixed buffer before the model name */
	char *big = malloc(20000);
	if (big) {
		strcpy(big, "vendor_id : X\nflags :");
		for (int i = 0; i < 2000; i++)
			strcat(big, " avx512f");
		strcat(big, "\nmodel name : After Long Line\n");
		model_of_text(big, "After Long Line");
		free(big);
	}

	/* this machine: what /proc/cpuinfo names, and OPENBLAS_CORETYPE as set */
	struct augur_profile *p = augur_profile_new();
	CHECK(p != NULL);
	if (p) {
		setenv("OPENBLAS_CORETYPE", "Haswell", 1);
		CHECK_EQ_INT(augur_machine_probe(p), 0);
		CHECK_STR_EQ(p->openblas_coretype, "Haswell");
		CHECK(p->cpu_cores >= 1);
		CHECK(p->ram_bytes > 0);
		CHECK_EQ_U64(p->pointer_bits, sizeof(void *) * 8);
		CHECK_EQ_U64(p->machine.page_bytes, (uint64_t)sysconf(_SC_PAGESIZE));
		/* whatever this machine lists, it is something a profile can hold */
		CHECK(!p->machine.llc_bytes || p->machine.llc_bytes >= p->machine.l2_bytes);
		/* the rates are measured or unknown, and a profile accepts what is measured */
		augur_machine_measure_rates(&p->machine);
		double bw = p->machine.stream_gib_per_s, fault = p->machine.fault_ms_per_mib;
		CHECK(isnan(bw) || (bw >= 1e-3 && bw <= 1e5));
		CHECK(isnan(fault) || (fault >= 1e-6 && fault <= 1e3));
		/* the measured cache size is one of the sizes read, or unknown */
		augur_machine_measure_llc(&p->machine);
		uint64_t eff = p->machine.llc_effective_bytes;
		CHECK(eff == 0 || (eff >= (1ull << 20) && eff <= (512ull << 20)));
		char *text = NULL;
		size_t len;
		struct augur_diag diag = {0};
		if (augur_read_file("/proc/cpuinfo", AUGUR_MAX_FILE_BYTES, &text, &len, &diag) ==
		    0) {
			char *model = augur_cpuinfo_model(text);
			if (model)
				CHECK_STR_EQ(p->cpu_model, model);
			free(model);
			free(text);
		}
		unsetenv("OPENBLAS_CORETYPE");
		CHECK_EQ_INT(augur_machine_probe(p), 0);
		CHECK(p->openblas_coretype == NULL);
		augur_profile_free(p);
	}
	return check_finish();
}
