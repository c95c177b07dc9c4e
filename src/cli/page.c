/* The picture commands' HTML page (see page.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "augur-config.h"
#include "cli.h"
#include "fileio.h"
#include "page.h"

static const char style[] =
        "body{font-family:sans-serif;font-size:14px;color:#222;margin:24px auto;"
        "max-width:1400px;padding:0 16px}\n"
        "h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:32px;"
        "border-bottom:1px solid #ccc;padding-bottom:3px}\n"
        "p.note,figcaption{color:#555;font-size:12.5px;max-width:900px}\n"
        "table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 10px;"
        "border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}\n"
        "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
        "th{background:#f4f4f4}\n"
        ".figs{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}\n"
        "figure{margin:8px 0;display:table}svg.chart{max-width:100%;height:auto}\n"
        "figcaption{display:table-caption;caption-side:bottom;padding-top:4px}\n"
        ".bad{color:#b33b00;font-weight:bold}.ok{color:#00734f;font-weight:bold}\n"
        "footer{margin-top:40px;color:#777;font-size:12px}\n"
        "@media print{body{max-width:none;margin:0}h2{break-after:avoid}"
        "figure{break-inside:avoid}}\n";

void page_begin(struct augur_strbuf *t, const char *title)
{
	augur_strbuf_puts(t,
	                  "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	                  "<meta name=\"viewport\" content=\"width=device-width\"/>\n<title>");
	augur_svg_xml(t, title);
	augur_strbuf_put(t, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
}

void page_end(struct augur_strbuf *t, const char *command)
{
	augur_strbuf_put(t, "<footer>made by augur %s (", AUGUR_VERSION);
	augur_svg_xml(t, command);
	augur_strbuf_puts(t, "); a single file: inline SVG and CSS, no script.</footer>\n"
	                     "</body>\n</html>\n");
}

int page_write(const char *cmd, const char *path, const struct augur_strbuf *t)
{
	if (t->failed || !t->data) {
		fprintf(stderr, "augur %s: out of memory\n", cmd);
		return CLI_FAIL;
	}
	if (!strcmp(path, "-")) {
		if (fwrite(t->data, 1, t->len, stdout) != t->len || fflush(stdout) != 0) {
			fprintf(stderr, "augur %s: cannot write to standard output\n", cmd);
			return CLI_FAIL;
		}
		return CLI_OK;
	}
	struct augur_diag diag = {0};
	if (augur_write_file_atomic(path, t->data, t->len, &diag))
		return cli_report(&diag);
	return CLI_OK;
}

void page_default_name(char *buf, size_t size, const char *name, const char *suffix)
{
	char clean[128];
	size_t n = 0;
	for (const char *p = name && *name ? name : "augur"; *p && n < sizeof(clean) - 1; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || c == '-' || c == '_' || (c == '.' && n > 0);
		clean[n++] = ok ? c : '_';
	}
	clean[n] = '\0';
	snprintf(buf, size, "%s-%s.html", clean, suffix);
}

void page_num_attr(struct augur_strbuf *t, const char *name, double v)
{
	if (isfinite(v))
		augur_strbuf_put(t, " %s=\"%.9g\"", name, v);
}

void page_xy_figure(struct augur_strbuf *t, const struct augur_xy *c, const char *caption)
{
	augur_strbuf_puts(t, "<figure>\n");
	augur_svg_xy(t, c);
	augur_strbuf_put(t, "<figcaption>%s</figcaption>\n</figure>\n", caption);
}

void page_hbars_figure(struct augur_strbuf *t, const struct augur_hbars *c, const char *caption)
{
	augur_strbuf_puts(t, "<figure>\n");
	augur_svg_hbars(t, c);
	augur_strbuf_put(t, "<figcaption>%s</figcaption>\n</figure>\n", caption);
}
