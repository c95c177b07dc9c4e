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
 * whole new content reached the disk, and no temporary file is left behind. The new file
 * keeps the old one's permissions; a symbolic link is kept and the file it names replaced.
 * A device or FIFO (/dev/stdout) is written through, as renaming over it would replace it.
 * Errors name path: AUGUR_E_IO (a directory, cannot create, write, sync or rename; a full
 * disk), AUGUR_E_NOMEM. */
int augur_write_file_atomic(const char *path, const char *data, size_t len,
                            struct augur_diag *diag);

#endif
