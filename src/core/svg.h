/* A small SVG chart writer: XML escaping, nice ticks on linear and log
 * scales, and four chart kinds (horizontal stacked bars, x-y points and lines, stacked
 * areas, heat maps) with legends in the Okabe-Ito colour-blind-safe palette. It does no
 * I/O: charts are appended to a struct augur_strbuf that the caller writes (the CLI's
 * report, profile plot and whatif --plot pages). It knows nothing of networks. */
#ifndef AUGUR_SVG_H
#define AUGUR_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* Appends s escaped for XML text and attribute values (& < > " '); control characters
 * and bytes that are not valid UTF-8 become '?', so any name makes well-formed output. */
void augur_svg_xml(struct augur_strbuf *t, const char *s);
/* The Okabe-Ito palette (Okabe and Ito 2008), black last; index modulo its size. */
#define AUGUR_PALETTE_SIZE 8
const char *augur_palette(size_t i);
/* A colour of the viridis sequential scale for v in [0, 1] (clamped), "#rrggbb". */
void augur_sequential(double v, char out[8]);

/* Nice tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten on a linear
 * scale, powers of ten on a log scale (lo > 0). *lo and *hi are widened to the outermost
 * ticks. Returns the number of ticks written (at most max, max >= 2). */
size_t augur_nice_ticks(double *lo, double *hi, bool log, double *ticks, size_t max);

/* A short label for a tick or value: "0.5", "20", "1.5k", "10M", "1e-05". */
void augur_num_label(char *buf, size_t size, double v);

/* Horizontal stacked bars: one row per category, one panel per view of them (e.g. a unit)
 * side by side sharing the row labels, each panel on its own linear axis from 0. */
struct augur_hbars {
	const char *title;   /* the chart's accessible name */
	const char *x_label; /* e.g. "predicted time (ms)" */
	size_t n_rows, n_series, n_panels;
	const char *const *rows;   /* n_rows labels */
	const char *const *series; /* n_series names, for the legend (one colour each) */
	const char *const *panels; /* n_panels titles, or NULL for a single untitled panel */
	const double *v;           /* [panel][row][series], >= 0 */
	const char *const *attrs;  /* [panel][row]: attributes for the row's group (data-...),
	                              written as given (the caller escapes them); may be NULL */
	const char *const *notes;  /* [panel][row]: text after the bar ("12%", "*"); NULL ok */
	const bool *marked;        /* [panel][row]: row drawn hatched (e.g. extrapolated) */
	double row_height;         /* pixels per row (0: 14) */
	double label_width;        /* pixels for row labels (0: 150) */
	double panel_width;        /* pixels per panel's plot area (0: 300) */
};
void augur_svg_hbars(struct augur_strbuf *t, const struct augur_hbars *c);

enum augur_mark {
	AUGUR_MARK_DOT,   /* filled circles */
	AUGUR_MARK_CROSS, /* an x: e.g. held-out or extrapolated points */
	AUGUR_MARK_RING,  /* open circles */
	AUGUR_MARK_LINE,  /* a polyline through the points with small dots */
	AUGUR_MARK_AREA,  /* filled down to the previous AREA series (or the axis) */
};

struct augur_series {
	const char *name; /* legend entry (NULL: not in the legend) */
	enum augur_mark mark;
	size_t colour; /* palette index */
	size_t n;
	const double *x, *y;
	const char *const *titles; /* per point tooltip text (escaped here), NULL ok */
	const char *const *attrs;  /* per point attributes (written as given), NULL ok */
	bool faint;                /* grey, for context behind the points that matter */
};

/* A horizontal or vertical line across the plot (a budget, a capacity, a peak) or a
 * shaded band between two values. */
struct augur_rule {
	bool vertical; /* at an x value; else at a y value */
	double at, to; /* to > at: a band from at to to */
	const char *label;
	size_t colour;
	const char *attrs; /* written as given, NULL ok */
};

struct augur_xy {
	const char *title, *x_label, *y_label;
	bool x_log, y_log;    /* log scales drop points <= 0 */
	double width, height; /* whole chart in pixels (0: 640 x 400) */
	size_t n_series;
	const struct augur_series *series;
	size_t n_rules;
	const struct augur_rule *rules;
	bool diagonal; /* draw y = x (measured against predicted) */
	/* categorical x: x values are indices 0..n_categories-1 labelled by these */
	size_t n_categories;
	const char *const *categories;
	bool y_from_zero; /* a linear y axis starts at 0 */
};
void augur_svg_xy(struct augur_strbuf *t, const struct augur_xy *c);

/* A heat map: rows x cols cells coloured by value on the viridis scale, each with its
 * value printed and a tooltip. */
struct augur_heat {
	const char *title, *row_label, *col_label, *value_label;
	size_t n_rows, n_cols;
	const char *const *rows, *const *cols;
	const double *v;          /* [row][col] */
	const char *const *attrs; /* [row][col] attributes, NULL ok */
	const bool *marked;       /* [row][col]: outlined (e.g. over a budget), NULL ok */
};
void augur_svg_heat(struct augur_strbuf *t, const struct augur_heat *c);

#endif
