/* The HTML page the picture commands write (report, profile plot, whatif --plot): one
 * self-contained file, inline SVG charts (src/core/svg.h) and CSS, no script, nothing
 * fetched; written atomically to a file or to stdout ("-"). */
#ifndef AUGUR_PAGE_H
#define AUGUR_PAGE_H

#include <stddef.h>

#include "svg.h"

/* Opens the document: doctype, head with title and the style sheet, body. */
void page_begin(struct augur_strbuf *t, const char *title);
/* Closes body and html, with a footer naming the augur version and the command. */
void page_end(struct augur_strbuf *t, const char *command);
/* Writes t to path ("-": stdout) atomically; on failure prints the error and returns
 * CLI_FAIL (also when t ran out of memory), else CLI_OK. */
int page_write(const char *cmd, const char *path, const struct augur_strbuf *t);
/* "NAME-SUFFIX.html" with NAME cut to letters, digits, '-', '_' and '.' (others become
 * '_'), for a default output file. */
void page_default_name(char *buf, size_t size, const char *name, const char *suffix);
/* Appends " name=\"%.9g\"": a data- attribute for the tests that read numbers back. */
void page_num_attr(struct augur_strbuf *t, const char *name, double v);
/* Appends a <figure> of the chart with its caption (HTML, written as given). */
void page_xy_figure(struct augur_strbuf *t, const struct augur_xy *c, const char *caption);
void page_hbars_figure(struct augur_strbuf *t, const struct augur_hbars *c, const char *caption);

#endif
