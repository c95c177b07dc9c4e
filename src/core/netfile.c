/* Descriptor files (see netfile.h). */
#include "descriptor.h"
#include "fileio.h"
#include "netfile.h"

#include <stdlib.h>

int augur_net_load(const char *path, struct augur_net **out, struct augur_diag *diag)
{
	char *buf = NULL;
	size_t len = 0;
	*out = NULL;
	int rc = augur_read_file(path, AUGUR_MAX_FILE_BYTES, &buf, &len, diag);
	if (rc)
		return rc;
	rc = augur_descriptor_parse(path, buf, len, out, diag);
	free(buf);
	return rc;
}
