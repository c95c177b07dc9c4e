/* Where augur's data lives, found at run time rather than compiled in, so a build works
 * where it was built, installed, or moved: the user's own profiles
 * ($XDG_DATA_HOME/augur/profiles, else ~/.local/share/augur/profiles), and the profiles
 * and descriptors shipped with this augur (PREFIX/DATADIR/augur when installed, the
 * source tree a build directory sits in otherwise). */
#ifndef AUGUR_DATADIR_H
#define AUGUR_DATADIR_H

#include <stddef.h>

/* The user's profile directory into buf. 0, or -1 when neither XDG_DATA_HOME nor HOME is
 * set (or the path does not fit). */
int augur_user_profile_dir(char *buf, size_t size);

/* The directory that holds this augur's shipped profiles/ and descriptors/ into buf:
 * EXE_DIR/../DATADIR/augur for an installed augur (datadir_rel: meson's datadir, relative
 * to the prefix), else the nearest directory above the executable (three levels at most)
 * with profiles/, descriptors/ and meson.build, the source tree. 0, or -1 when there is
 * none. */
int augur_shipped_data_dir(const char *datadir_rel, char *buf, size_t size);

/* The directory of the running executable (/proc/self/exe) into buf; 0 or -1. */
int augur_exe_dir(char *buf, size_t size);

#endif
