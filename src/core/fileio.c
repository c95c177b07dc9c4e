/* Bounded reads and atomic writes (see fileio.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

int augur_read_file(const char *path, size_t max_bytes, char **out, size_t *len,
                    struct augur_diag *diag)
{
	int rc = AUGUR_OK;
	char *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot open: %s",
		                      strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0) {
		rc = augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot stat: %s",
		                    strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "is a directory, not a file");
		goto out;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max_bytes) {
		rc = augur_diag_set(diag, AUGUR_E_LIMIT, path, 1, 1,
		                    "file is too large (%lld bytes; the limit is %zu bytes)",
		                    (long long)st.st_size, max_bytes);
		goto out;
	}
	/* Read in chunks up to max_bytes + 1 so pipes and /proc files are bounded too. */
	size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	size_t used = 0;
	buf = malloc(cap + 1);
	if (!buf) {
		rc = augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
		goto out;
	}
	for (;;) {
		if (used == cap) {
			if (cap > max_bytes) {
				rc = augur_diag_set(diag, AUGUR_E_LIMIT, path, 1, 1,
				                    "file is too large (the limit is %zu bytes)",
				                    max_bytes);
				goto out;
			}
			/* never past max_bytes + 1: one byte more than allowed proves too much */
			size_t ncap = cap > max_bytes / 2 ? max_bytes + 1 : cap * 2;
			char *nbuf = realloc(buf, ncap + 1);
			if (!nbuf) {
				rc = augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0,
				                    "out of memory");
				goto out;
			}
			buf = nbuf;
			cap = ncap;
		}
		ssize_t n = read(fd, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot read: %s",
			                    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	if (used > max_bytes) {
		rc = augur_diag_set(diag, AUGUR_E_LIMIT, path, 1, 1,
		                    "file is too large (the limit is %zu bytes)", max_bytes);
		goto out;
	}
	buf[used] = '\0';
	*out = buf;
	*len = used;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return rc;
}

int augur_write_file_atomic(const char *path, const char *data, size_t len, struct augur_diag *diag)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 32);
	if (!tmp)
		return augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
	/* Same directory as the target, so rename() is atomic (no cross-device move). */
	snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
	int rc = AUGUR_OK;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot create '%s': %s", tmp,
		                    strerror(errno));
		goto out;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot write: %s",
			                    n < 0 ? strerror(errno) : "no space written");
			break;
		}
		done += (size_t)n;
	}
	if (rc == AUGUR_OK && fsync(fd) != 0)
		rc = augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot sync: %s",
		                    strerror(errno));
	if (close(fd) != 0 && rc == AUGUR_OK)
		rc = augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot close: %s",
		                    strerror(errno));
	if (rc == AUGUR_OK && rename(tmp, path) != 0)
		rc = augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot replace: %s",
		                    strerror(errno));
	if (rc != AUGUR_OK)
		unlink(tmp);
out:
	free(tmp);
	return rc;
}
