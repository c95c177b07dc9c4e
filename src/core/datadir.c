/* Locating augur's data at run time (see datadir.h). */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datadir.h"

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int augur_user_profile_dir(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	int n;
	if (xdg && *xdg == '/')
		n = snprintf(buf, size, "%s/augur/profiles", xdg);
	else if (home && *home)
		n = snprintf(buf, size, "%s/.local/share/augur/profiles", home);
	else
		return -1;
	return n > 0 && (size_t)n < size ? 0 : -1;
}

int augur_exe_dir(char *buf, size_t size)
{
	if (size < 2)
		return -1;
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	if (n <= 0 || (size_t)n >= size - 1)
		return -1;
	buf[n] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return 0;
}

/* Whether dir holds profiles/ and descriptors/ (and, for a source tree, meson.build). */
static bool holds_data(const char *dir, bool source_tree)
{
	char p[4200];
	snprintf(p, sizeof(p), "%s/profiles", dir);
	if (!is_dir(p))
		return false;
	snprintf(p, sizeof(p), "%s/descriptors", dir);
	if (!is_dir(p))
		return false;
	snprintf(p, sizeof(p), "%s/meson.build", dir);
	return !source_tree || is_file(p);
}

int augur_shipped_data_dir(const char *datadir_rel, char *buf, size_t size)
{
	char exe[4096];
	if (augur_exe_dir(exe, sizeof(exe)))
		return -1;
	char cand[4200];
	snprintf(cand, sizeof(cand), "%s/../%s/augur", exe, datadir_rel);
	if (holds_data(cand, false)) {
		char real[PATH_MAX];
		const char *shown = realpath(cand, real) ? real : cand; /* no "bin/.." in paths */
		if (strlen(shown) < size) {
			snprintf(buf, size, "%s", shown);
			return 0;
		}
	}
	/* a build directory inside the source tree (build/augur, build/tests/test-x) */
	snprintf(cand, sizeof(cand), "%s", exe);
	for (int up = 0; up < 4; up++) {
		if (holds_data(cand, true) && strlen(cand) < size) {
			snprintf(buf, size, "%s", cand);
			return 0;
		}
		char *slash = strrchr(cand, '/');
		if (!slash || slash == cand)
			break;
		*slash = '\0';
	}
	return -1;
}
