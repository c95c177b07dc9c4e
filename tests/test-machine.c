/* The machine probe: the CPU model parsed from sample /proc/cpuinfo texts (tests/data/
 * cpuinfo-*.txt: this KVM guest, a bare-metal Xeon, Jetson TK1, TX1 and TX2, a Raspberry
 * Pi 4, a RISC-V board), edge cases of the "key : value" lines, and the probe of this
 * machine recording the model, cores and OPENBLAS_CORETYPE. */
#include <stdlib.h>

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

int main(void)
{
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
