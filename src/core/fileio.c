/* Bounded reads and atomic writes (see fileio.h). */
#include <errno.h>
#include <stdbool.h>
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

/* Makes a rename in path's directory durable. Best effort: the new content is already
 * complete under its name, and some file systems cannot sync a directory. */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if ((size_t)(slash - path) < sizeof(dir))
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	else
		return;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Writes all of data to fd: 0, or an errno value (EIO when write() makes no progress). */
static int write_all(int fd, const char *data, size_t len)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return EIO;
		done += (size_t)n;
	}
	return 0;
}

/* A device or a FIFO (-o /dev/stdout) is written through: renaming a file over it would
 * replace the device node itself (as root, /dev/full became a regular file). */
static int write_special(const char *path, const char *data, size_t len, struct augur_diag *diag)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot open: %s",
		                      strerror(errno));
	int e = write_all(fd, data, len);
	int rc = AUGUR_OK;
	if (e)
		rc = augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot write: %s", strerror(e));
	if (close(fd) != 0 && rc == AUGUR_OK)
		rc = augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot close: %s",
		                    strerror(errno));
	return rc;
}

int augur_write_file_atomic(const char *path, const char *data, size_t len, struct augur_diag *diag)
{
	struct stat st;
	bool exists = stat(path, &st) == 0;
	if (exists && S_ISDIR(st.st_mode))
		return augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "is a directory, not a file");
	if (exists && !S_ISREG(st.st_mode))
		return write_special(path, data, len, diag);
	/* a symbolic link to a file: replace the file it names and keep the link */
	char *resolved = NULL;
	struct stat lst;
	if (exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
		resolved = realpath(path, NULL);
	const char *target = resolved ? resolved : path;
	size_t plen = strlen(target);
	char *tmp = malloc(plen + 32);
	if (!tmp) {
		free(resolved);
		return augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
	}
	/* Same directory as the target, so rename() is atomic (no cross-device move). */
	snprintf(tmp, plen + 32, "%s.tmp.%ld", target, (long)getpid());
	int rc = AUGUR_OK;
	/* the replacement keeps the permissions of the file it replaces */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	              exists ? (mode_t)(st.st_mode & 07777) : (mode_t)0644);
	if (fd < 0) {
		rc = augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot create '%s': %s", tmp,
		                    strerror(errno));
		goto out;
	}
	if (exists)
		(void)fchmod(fd, st.st_mode & 07777); /* open's mode went through the umask */
	int e = write_all(fd, data, len);
	if (e)
		rc = augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot write: %s", strerror(e));
	if (rc == AUGUR_OK && fsync(fd) != 0)
		rc = augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot sync: %s",
		                    strerror(errno));
	if (close(fd) != 0 && rc == AUGUR_OK)
		rc = augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot close: %s",
		                    strerror(errno));
	if (rc == AUGUR_OK && rename(tmp, target) != 0)
		rc = augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot replace: %s",
		                    strerror(errno));
	if (rc != AUGUR_OK)
		unlink(tmp);
	else
		sync_dir(target);
out:
	free(tmp);
	free(resolved);
	return rc;
}
