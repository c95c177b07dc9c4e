/* Loading a network descriptor from a file: reads it (bounded), recognises its format from
 * its content and hands it to the matching parser. Every command that takes a NET uses it. */
#ifndef AUGUR_NETFILE_H
#define AUGUR_NETFILE_H

#include "net.h"
#include "status.h"

/* Loads the descriptor at path. On success *out is a new network (free with
 * augur_net_free); on failure diag says where and why. */
int augur_net_load(const char *path, struct augur_net **out, struct augur_diag *diag);

#endif
