/* Descriptor files (see netfile.h): bounded read, format sniffing, dispatch; ONNX models
 * are mapped read-only instead of read. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "descriptor.h"
#include "fileio.h"
#include "netfile.h"
#include "onnx.h"
#include "prototxt.h"
#include "trace.h"

/* Bytes looked at to recognise an ONNX model. */
#define ONNX_HEAD 512

/* Meaningful lines looked at before falling back on the file name. */
#define SNIFF_LINES 64

enum verdict { UNDECIDED, YAML, PROTOTXT };

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Classifies one line from its first non-blank character s (not a comment). */
static enum verdict classify(const char *s, const char *end)
{
	static const char *const proto_keys[] = {"input_dim", "input_shape",    "layer",
	                                         "state",     "force_backward", "debug_info"};
	if (*s == '[' || *s == '{' || (*s == '-' && (s + 1 == end || strchr(" \t\r\n-", s[1]))))
		return YAML;
	if (!word_char(*s) || (*s >= '0' && *s <= '9'))
		return UNDECIDED;
	const char *w = s;
	while (s < end && word_char(*s))
		s++;
	size_t wlen = (size_t)(s - w);
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s < end && (*s == '{' || *s == '<'))
		return PROTOTXT;
	for (size_t i = 0; i < sizeof(proto_keys) / sizeof(*proto_keys); i++)
		if (strlen(proto_keys[i]) == wlen && !strncmp(w, proto_keys[i], wlen))
			return PROTOTXT;
	if (s >= end || *s != ':')
		return UNDECIDED;
	s++;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s >= end || *s == '\n' || *s == '\r' || *s == '#')
		return YAML; /* "layers:" with its value on the next lines */
	if (wlen == 5 && !strncmp(w, "batch", 5))
		return YAML;
	if (wlen == 5 && !strncmp(w, "input", 5))
		return *s == '"' || *s == '\'' ? PROTOTXT : *s == '[' ? YAML : UNDECIDED;
	return UNDECIDED;
}

static bool has_suffix(const char *path, const char *suffix)
{
	size_t n = strlen(path), m = strlen(suffix);
	return n >= m && !strcmp(path + n - m, suffix);
}

enum augur_net_format augur_net_sniff(const char *path, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	if (augur_onnx_sniff(path, (const unsigned char *)buf, len))
		return AUGUR_NET_ONNX;
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	for (int lines = 0; p < end && lines < SNIFF_LINES;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		eol = eol ? eol : end;
		const char *s = p;
		while (s < eol && (*s == ' ' || *s == '\t' || *s == '\r'))
			s++;
		if (s < eol && *s != '#') {
			enum verdict v = classify(s, eol);
			if (v != UNDECIDED)
				return v == PROTOTXT ? AUGUR_NET_PROTOTXT : AUGUR_NET_YAML;
			lines++;
		}
		p = eol + 1;
	}
	if (path && (has_suffix(path, ".prototxt") || has_suffix(path, ".pbtxt")))
		return AUGUR_NET_PROTOTXT;
	return AUGUR_NET_YAML;
}

const char *augur_net_format_name(enum augur_net_format format)
{
	return format == AUGUR_NET_ONNX       ? "ONNX model"
	       : format == AUGUR_NET_PROTOTXT ? "Caffe prototxt"
	                                      : "augur YAML descriptor";
}

int augur_net_parse(const char *path, const char *buf, size_t len, struct augur_net **out,
                    enum augur_net_format *format, struct augur_diag *diag)
{
	enum augur_net_format f = augur_net_sniff(path, buf, len);
	if (format)
		*format = f;
	if (f == AUGUR_NET_ONNX)
		return augur_onnx_parse(path, (const unsigned char *)buf, len, out, diag);
	if (f == AUGUR_NET_PROTOTXT)
		return augur_prototxt_parse(path, buf, len, out, diag);
	return augur_descriptor_parse(path, buf, len, out, diag);
}

/* An ONNX model in a regular file: mapped read-only and parsed. Returns 1 (and does
 * nothing) when path is not one, so the caller reads it as text. */
static int load_onnx(const char *path, const struct augur_shape *input, struct augur_net **out,
                     struct augur_diag *diag)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1; /* augur_read_file reports it */
	struct stat st;
	unsigned char head[ONNX_HEAD];
	ssize_t n = 0;
	int rc = 1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		goto out;
	do
		n = pread(fd, head, sizeof(head), 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0 || !augur_onnx_sniff(path, head, (size_t)n))
		goto out;
	size_t len = (size_t)st.st_size;
	void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		rc = augur_diag_set(diag, AUGUR_E_IO, path, 0, 0, "cannot map: %s",
		                    strerror(errno));
		goto out;
	}
	/* nodes and shapes are read front to back; the weights between them are skipped */
	(void)madvise(map, len, MADV_RANDOM);
	rc = augur_onnx_parse_input(path, map, len, input, out, diag);
	munmap(map, len);
out:
	close(fd);
	return rc;
}

int augur_net_load_format(const char *path, struct augur_net **out, enum augur_net_format *format,
                          struct augur_diag *diag)
{
	return augur_net_load_input(path, NULL, out, format, diag);
}

int augur_net_load_input(const char *path, const struct augur_shape *input, struct augur_net **out,
                         enum augur_net_format *format, struct augur_diag *diag)
{
	char *buf = NULL;
	size_t len = 0;
	*out = NULL;
	int rc = load_onnx(path, input, out, diag);
	if (rc != 1) {
		if (format)
			*format = AUGUR_NET_ONNX;
		return rc;
	}
	rc = augur_read_file(path, AUGUR_MAX_FILE_BYTES, &buf, &len, diag);
	if (rc)
		return rc;
	rc = augur_net_parse(path, buf, len, out, format, diag);
	free(buf);
	if (rc == AUGUR_OK && input) {
		if ((rc = augur_net_set_input(*out, input))) {
			augur_net_free(*out);
			*out = NULL;
			return augur_diag_set(diag, rc, path, 0, 0, "out of memory");
		}
		(*out)->input_loc = (struct augur_loc){0, 0};
	}
	return rc;
}

int augur_net_load(const char *path, struct augur_net **out, struct augur_diag *diag)
{
	return augur_net_load_format(path, out, NULL, diag);
}
