/* Whole-file reads with a size bound, and atomic writes (temporary file + fsync + rename),
 * so a crash or a full disk never leaves a partly written profile or descriptor. */
#ifndef AUGUR_FILEIO_H
#define AUGUR_FILEIO_H

#include <stddef.h>

#include "status.h"

/* Largest file augur reads: descriptors and profiles are kilobytes; a 100 MB "descriptor"
 * is hostile or a mistake, and is refused before it is read. */
#define AUGUR_MAX_FILE_BYTES (16u << 20)

/* Reads path into a NUL-terminated heap buffer (caller frees *out). Fails with AUGUR_E_IO
 * (unreadable, a directory) or AUGUR_E_LIMIT (larger than max_bytes), filling diag. */
int augur_read_file(const char *path, size_t max_bytes, char **out, size_t *len,
                    struct augur_diag *diag);

/* Writes len bytes to path atomically: the old file, if any, stays byte-identical unless the
 * whole new content reached the disk. */
int augur_write_file_atomic(const char *path, const char *data, size_t len,
                            struct augur_diag *diag);

#endif
