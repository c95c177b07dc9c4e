/* The SVG chart writer (see svg.h): text buffer, escaping, ticks and the four chart kinds.
 * Geometry is in pixels with the origin top left; every chart is one <svg> element with
 * no ids, so any number of them can sit in one HTML page. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (!n || s[0] > 0xf4)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* overlong three- and four-byte forms, surrogates and code points past U+10FFFF */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

void augur_svg_xml(struct augur_strbuf *t, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		size_t n = utf8_len(p);
		if (!n) {
			augur_strbuf_puts(t, "?");
			p++;
			continue;
		}
		switch (*p) {
		case '&':
			augur_strbuf_puts(t, "&amp;");
			break;
		case '<':
			augur_strbuf_puts(t, "&lt;");
			break;
		case '>':
			augur_strbuf_puts(t, "&gt;");
			break;
		case '"':
			augur_strbuf_puts(t, "&quot;");
			break;
		case '\'':
			augur_strbuf_puts(t, "&#39;");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				augur_strbuf_puts(t, "?");
			else
				augur_strbuf_append(t, (const char *)p, n);
		}
		p += n;
	}
}

const char *augur_palette(size_t i)
{
	static const char *const okabe_ito[AUGUR_PALETTE_SIZE] = {
	        "#0072B2", "#E69F00", "#009E73", "#CC79A7",
	        "#56B4E9", "#D55E00", "#F0E442", "#000000",
	};
	return okabe_ito[i % AUGUR_PALETTE_SIZE];
}

void augur_sequential(double v, char out[8])
{
	/* viridis at tenths */
	static const unsigned char stops[11][3] = {
	        {68, 1, 84},    {72, 36, 117},  {65, 68, 135},  {53, 95, 141},
	        {42, 120, 142}, {33, 145, 140}, {34, 168, 132}, {68, 191, 112},
	        {122, 209, 81}, {189, 223, 38}, {253, 231, 37},
	};
	if (!(v > 0))
		v = 0;
	if (v > 1)
		v = 1;
	double x = v * 10;
	int i = (int)x;
	if (i > 9)
		i = 9;
	double f = x - i;
	int c[3];
	for (int k = 0; k < 3; k++)
		c[k] = (int)lround(stops[i][k] + f * (stops[i + 1][k] - stops[i][k]));
	snprintf(out, 8, "#%02x%02x%02x", c[0] & 0xff, c[1] & 0xff, c[2] & 0xff);
}

static double nice_step(double raw, int bump)
{
	double mag = pow(10, floor(log10(raw)));
	static const double steps[] = {1, 2, 5, 10, 20, 50, 100};
	size_t i = 0;
	while (i < 3 && raw / mag > steps[i] * (1 + 1e-9))
		i++;
	i += (size_t)bump;
	return steps[i < 7 ? i : 6] * mag;
}

size_t augur_nice_ticks(double *lo, double *hi, bool log, double *ticks, size_t max)
{
	double a = *lo, b = *hi;
	if (!isfinite(a) || !isfinite(b) || max < 2) {
		a = log ? 1 : 0;
		b = log ? 10 : 1;
	}
	if (a > b) {
		double s = a;
		a = b;
		b = s;
	}
	if (log) {
		if (!(a > 0))
			a = b > 0 ? b / 10 : 1;
		if (!(b > 0))
			b = a * 10;
		int e0 = (int)floor(log10(a) + 1e-9), e1 = (int)ceil(log10(b) - 1e-9);
		if (e1 <= e0)
			e1 = e0 + 1;
		int stride = 1;
		while ((e1 - e0) / stride + 1 > (int)max)
			stride++;
		e1 = e0 + ((e1 - e0 + stride - 1) / stride) * stride;
		size_t n = 0;
		for (int e = e0; e <= e1 && n < max; e += stride)
			ticks[n++] = pow(10, e);
		*lo = pow(10, e0);
		*hi = pow(10, e1);
		return n;
	}
	if (b == a) {
		if (a == 0)
			b = 1;
		else if (a > 0)
			a = 0;
		else
			b = 0;
	}
	size_t target = max < 6 ? max : 6;
	for (int bump = 0;; bump++) {
		double step = nice_step((b - a) / (double)(target - 1), bump);
		double s = floor(a / step + 1e-9) * step, e = ceil(b / step - 1e-9) * step;
		size_t n = (size_t)llround((e - s) / step) + 1;
		if (n <= max || bump >= 6) {
			if (n > max)
				n = max;
			for (size_t i = 0; i < n; i++) {
				ticks[i] = s + (double)i * step;
				if (fabs(ticks[i]) < step * 1e-9)
					ticks[i] = 0;
			}
			*lo = s;
			*hi = s + (double)(n - 1) * step;
			return n;
		}
	}
}

void augur_num_label(char *buf, size_t size, double v)
{
	double a = fabs(v);
	if (a >= 1e15 || (a > 0 && a < 1e-3)) {
		/* "1e-5", not C's "1e-05" */
		char tmp[32];
		snprintf(tmp, sizeof(tmp), "%.2g", v);
		char *e = strchr(tmp, 'e');
		if (e && (e[1] == '-' || e[1] == '+') && e[2] == '0')
			memmove(e + 2, e + 3, strlen(e + 3) + 1);
		if (e && e[1] == '+')
			memmove(e + 1, e + 2, strlen(e + 2) + 1);
		snprintf(buf, size, "%s", tmp);
	} else if (a >= 1e12)
		snprintf(buf, size, "%gT", v / 1e12);
	else if (a >= 1e9)
		snprintf(buf, size, "%.3gG", v / 1e9);
	else if (a >= 1e6)
		snprintf(buf, size, "%.3gM", v / 1e6);
	else if (a >= 1e4)
		snprintf(buf, size, "%.3gk", v / 1e3);
	else
		snprintf(buf, size, "%.4g", v);
}

/* A linear or log mapping of [d0, d1] onto pixels [r0, r1]. */
struct scale {
	double d0, d1, r0, r1;
	bool log;
};

static double map(const struct scale *s, double v)
{
	double a = s->d0, b = s->d1;
	if (s->log) {
		v = log10(v > 0 ? v : a);
		a = log10(a);
		b = log10(b);
	}
	return s->r0 + (v - a) / (b - a) * (s->r1 - s->r0);
}

static void open_svg(struct augur_strbuf *t, const char *title, double w, double h)
{
	augur_strbuf_put(t,
	                 "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%.0f\" "
	                 "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
	                 "font-family=\"sans-serif\" font-size=\"11\" aria-label=\"",
	                 w, h, w, h);
	augur_svg_xml(t, title);
	augur_strbuf_puts(t, "\"><title>");
	augur_svg_xml(t, title);
	augur_strbuf_puts(t, "</title>\n");
}

static void text_at(struct augur_strbuf *t, double x, double y, const char *anchor, const char *s,
                    const char *extra)
{
	augur_strbuf_put(t, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>", x, y, anchor,
	                 extra ? " " : "", extra ? extra : "");
	augur_svg_xml(t, s);
	augur_strbuf_puts(t, "</text>\n");
}

/* Width in pixels a label of s takes at font size 11 (a rough average glyph width). */
static double text_width(const char *s)
{
	return 6.2 * (double)strlen(s ? s : "");
}

struct legend_entry {
	const char *name;
	const char *colour;
	enum augur_mark mark;
};

/* Lays out entries left to right from x0, wrapping at width; draws them when draw is set.
 * Returns the height used. */
static double legend(struct augur_strbuf *t, const struct legend_entry *e, size_t n, double x0,
                     double y0, double width, bool draw)
{
	double x = x0, y = y0;
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		if (!e[i].name)
			continue;
		double w = 22 + text_width(e[i].name) + 12;
		if (x > x0 && x + w > x0 + width) {
			x = x0;
			y += 16;
		}
		if (draw) {
			if (e[i].mark == AUGUR_MARK_CROSS)
				augur_strbuf_put(
				        t,
				        "<path d=\"M%.1f %.1fl8 8m0 -8l-8 8\" stroke=\"%s\" "
				        "stroke-width=\"2\"/>\n",
				        x + 2, y + 2, e[i].colour);
			else if (e[i].mark == AUGUR_MARK_RING)
				augur_strbuf_put(
				        t,
				        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"none\" "
				        "stroke=\"%s\" stroke-width=\"1.5\"/>\n",
				        x + 6, y + 6, e[i].colour);
			else if (e[i].mark == AUGUR_MARK_LINE)
				augur_strbuf_put(t,
				                 "<path d=\"M%.1f %.1fh14\" stroke=\"%s\" "
				                 "stroke-width=\"2\"/>\n",
				                 x, y + 6, e[i].colour);
			else
				augur_strbuf_put(
				        t,
				        "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" "
				        "fill=\"%s\"/>\n",
				        x, y, e[i].colour);
			text_at(t, x + 18, y + 10, "start", e[i].name, NULL);
		}
		x += w;
		any = true;
	}
	return any ? y - y0 + 20 : 0;
}

/* Row label cut to fit max_chars, at a UTF-8 character boundary, with "..." appended. */
static void fit_label(char *buf, size_t size, const char *s, size_t max_chars)
{
	size_t len = strlen(s);
	if (len <= max_chars || max_chars < 4) {
		snprintf(buf, size, "%s", s);
		return;
	}
	size_t cut = max_chars - 3;
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	snprintf(buf, size, "%.*s...", (int)cut, s);
}

/* A bar chart's geometry: row height, label, panel and gap widths, the plot's top and
 * height, and the font size of the rows. */
struct hbars_layout {
	double rh, lw, pw, gap, top, plot_h, font;
};

/* Row r of panel p: its tooltip, the stacked bars from x0 on scale sx, the outline of a
 * marked row and the note after the bar. */
static void hbar_row(struct augur_strbuf *t, const struct augur_hbars *c,
                     const struct hbars_layout *l, size_t p, size_t r, const struct scale *sx)
{
	const double *v = c->v + p * c->n_rows * c->n_series;
	size_t pr = p * c->n_rows + r;
	double y = l->top + l->rh * (double)r + 1, h = l->rh - 2 > 1 ? l->rh - 2 : 1;
	augur_strbuf_puts(t, "<g class=\"bar\"");
	if (c->attrs && c->attrs[pr])
		augur_strbuf_put(t, " %s", c->attrs[pr]);
	augur_strbuf_puts(t, "><title>");
	augur_svg_xml(t, c->rows[r]);
	if (c->panels && c->panels[p]) {
		augur_strbuf_puts(t, " (");
		augur_svg_xml(t, c->panels[p]);
		augur_strbuf_puts(t, ")");
	}
	double sum = 0;
	for (size_t s = 0; s < c->n_series; s++) {
		double val = v[r * c->n_series + s];
		augur_strbuf_puts(t, s ? ", " : ": ");
		augur_svg_xml(t, c->series[s]);
		augur_strbuf_put(t, " %.4g", val);
	}
	augur_strbuf_puts(t, "</title>");
	for (size_t s = 0; s < c->n_series; s++) {
		double val = v[r * c->n_series + s];
		if (!(val > 0))
			continue;
		double xa = map(sx, sum), xb = map(sx, sum + val);
		sum += val;
		augur_strbuf_put(t,
		                 "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" "
		                 "height=\"%.1f\" fill=\"%s\"/>",
		                 xa, y, xb - xa, h, augur_palette(s));
	}
	double x0 = sx->r0, xe = map(sx, sum);
	if (c->marked && c->marked[pr])
		augur_strbuf_put(t,
		                 "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" "
		                 "height=\"%.1f\" fill=\"none\" stroke=\"#000\" "
		                 "stroke-dasharray=\"2 1\"/>",
		                 x0, y, xe - x0 > 2 ? xe - x0 : 2, h);
	if (c->notes && c->notes[pr] && c->notes[pr][0]) {
		augur_strbuf_put(t, "<text x=\"%.1f\" y=\"%.1f\">", xe + 3,
		                 y + h / 2 + l->font * 0.35);
		augur_svg_xml(t, c->notes[pr]);
		augur_strbuf_puts(t, "</text>");
	}
	augur_strbuf_puts(t, "</g>\n");
}

/* Panel p: its title, axis from 0 to its longest bar, and its rows. */
static void hbar_panel(struct augur_strbuf *t, const struct augur_hbars *c,
                       const struct hbars_layout *l, size_t p)
{
	const double *v = c->v + p * c->n_rows * c->n_series;
	double max = 0;
	for (size_t r = 0; r < c->n_rows; r++) {
		double sum = 0;
		for (size_t s = 0; s < c->n_series; s++)
			sum += v[r * c->n_series + s] > 0 ? v[r * c->n_series + s] : 0;
		max = sum > max ? sum : max;
	}
	double lo = 0, hi = max, ticks[8];
	size_t nt = augur_nice_ticks(&lo, &hi, false, ticks, 6);
	double x0 = l->lw + (double)p * (l->pw + l->gap), top = l->top, plot_h = l->plot_h;
	struct scale sx = {lo, hi, x0, x0 + l->pw, false};
	if (c->panels && c->panels[p])
		text_at(t, x0 + l->pw / 2, top - 4, "middle", c->panels[p], "font-weight=\"bold\"");
	for (size_t k = 0; k < nt; k++) {
		double x = map(&sx, ticks[k]);
		char lab[32];
		augur_num_label(lab, sizeof(lab), ticks[k]);
		augur_strbuf_put(t, "<path d=\"M%.1f %.1fV%.1f\" stroke=\"#ddd\"/>\n", x, top,
		                 top + plot_h);
		text_at(t, x, top + plot_h + 14, "middle", lab, NULL);
		if (c->n_rows > 40)
			text_at(t, x, top - (c->panels ? 18 : 4), "middle", lab, "fill=\"#666\"");
	}
	text_at(t, x0 + l->pw / 2, top + plot_h + 32, "middle", c->x_label, NULL);
	augur_strbuf_put(t, "<path d=\"M%.1f %.1fV%.1f\" stroke=\"#333\"/>\n", x0, top,
	                 top + plot_h);
	augur_strbuf_put(t, "<g font-size=\"%.1f\">\n", l->font);
	for (size_t r = 0; r < c->n_rows; r++)
		hbar_row(t, c, l, p, r, &sx);
	augur_strbuf_puts(t, "</g>\n");
}

void augur_svg_hbars(struct augur_strbuf *t, const struct augur_hbars *c)
{
	struct hbars_layout l = {
	        .rh = c->row_height > 0 ? c->row_height : 14,
	        .lw = c->label_width > 0 ? c->label_width : 150,
	        .pw = c->panel_width > 0 ? c->panel_width : 300,
	        .gap = 56, /* after each panel: room for the notes */
	};
	size_t np = c->n_panels ? c->n_panels : 1;
	for (size_t i = 0; c->notes && i < np * c->n_rows; i++) {
		double font = c->row_height > 0 && c->row_height - 3 < 11 ? c->row_height - 3 : 11;
		double w = (font < 6 ? 6 : font) * 0.6 *
		           (double)strlen(c->notes[i] ? c->notes[i] : "");
		l.gap = w + 16 > l.gap ? w + 16 : l.gap;
	}
	double width = l.lw + (double)np * (l.pw + l.gap);
	struct legend_entry le[AUGUR_PALETTE_SIZE];
	size_t nl = c->n_series < AUGUR_PALETTE_SIZE ? c->n_series : AUGUR_PALETTE_SIZE;
	for (size_t s = 0; s < nl; s++)
		le[s] = (struct legend_entry){c->series[s], augur_palette(s), AUGUR_MARK_DOT};
	double lh = nl > 1 ? legend(t, le, nl, l.lw, 4, width - l.lw, false) : 0;
	l.top = 4 + lh + (c->panels ? 16 : 0) + (c->n_rows > 40 ? 14 : 0);
	l.plot_h = l.rh * (double)c->n_rows;
	open_svg(t, c->title, width, l.top + l.plot_h + 40);
	if (nl > 1)
		legend(t, le, nl, l.lw, 4, width - l.lw, true);
	l.font = l.rh - 3 < 11 ? l.rh - 3 : 11;
	if (l.font < 6)
		l.font = 6;
	size_t max_chars = (size_t)(l.lw / (l.font * 0.58));
	/* row labels, shared by the panels */
	augur_strbuf_put(t, "<g font-size=\"%.1f\">\n", l.font);
	for (size_t r = 0; r < c->n_rows; r++) {
		char label[256];
		fit_label(label, sizeof(label), c->rows[r], max_chars);
		text_at(t, l.lw - 6, l.top + l.rh * (double)r + l.rh / 2 + l.font * 0.35, "end",
		        label, NULL);
	}
	augur_strbuf_puts(t, "</g>\n");
	for (size_t p = 0; p < np; p++)
		hbar_panel(t, c, &l, p);
	augur_strbuf_puts(t, "</svg>\n");
}

/* The domain of one axis over the series (and rules along it); log drops v <= 0. */
static void xy_domain(const struct augur_xy *c, bool x, double *lo, double *hi)
{
	bool log = x ? c->x_log : c->y_log;
	double a = INFINITY, b = -INFINITY;
	for (size_t s = 0; s < c->n_series; s++) {
		const struct augur_series *se = &c->series[s];
		const double *v = x ? se->x : se->y;
		for (size_t i = 0; i < se->n; i++) {
			if (!isfinite(v[i]) || (log && !(v[i] > 0)))
				continue;
			a = v[i] < a ? v[i] : a;
			b = v[i] > b ? v[i] : b;
		}
	}
	for (size_t r = 0; r < c->n_rules; r++) {
		const struct augur_rule *ru = &c->rules[r];
		if (ru->vertical != x)
			continue;
		double vals[2] = {ru->at, ru->to > ru->at ? ru->to : ru->at};
		for (int k = 0; k < 2; k++) {
			if (!isfinite(vals[k]) || (log && !(vals[k] > 0)))
				continue;
			a = vals[k] < a ? vals[k] : a;
			b = vals[k] > b ? vals[k] : b;
		}
	}
	if (!isfinite(a)) {
		a = log ? 1 : 0;
		b = log ? 10 : 1;
	}
	if (!log && !x && c->y_from_zero && a > 0)
		a = 0;
	*lo = a;
	*hi = b;
}

static bool plottable(const struct augur_xy *c, double x, double y)
{
	return isfinite(x) && isfinite(y) && (!c->x_log || x > 0) && (!c->y_log || y > 0);
}

/* Point i's tooltip, when it has one. */
static void point_title(struct augur_strbuf *t, const struct augur_series *se, size_t i)
{
	if (se->titles && se->titles[i]) {
		augur_strbuf_puts(t, "<title>");
		augur_svg_xml(t, se->titles[i]);
		augur_strbuf_puts(t, "</title>");
	}
}

static void point(struct augur_strbuf *t, const struct augur_series *se, size_t i, double px,
                  double py)
{
	const char *col = se->faint ? "#aaaaaa" : augur_palette(se->colour);
	const char *attrs = se->attrs && se->attrs[i] ? se->attrs[i] : NULL;
	if (se->mark == AUGUR_MARK_CROSS)
		augur_strbuf_put(t,
		                 "<path d=\"M%.1f %.1fl7 7m0 -7l-7 7\" stroke=\"%s\" "
		                 "stroke-width=\"1.8\"%s%s>",
		                 px - 3.5, py - 3.5, col, attrs ? " " : "", attrs ? attrs : "");
	else if (se->mark == AUGUR_MARK_RING)
		augur_strbuf_put(t,
		                 "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"none\" "
		                 "stroke=\"%s\" stroke-width=\"1.3\"%s%s>",
		                 px, py, col, attrs ? " " : "", attrs ? attrs : "");
	else
		augur_strbuf_put(t,
		                 "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\" "
		                 "fill-opacity=\"0.75\"%s%s>",
		                 px, py, se->mark == AUGUR_MARK_DOT ? "3" : "2.5", col,
		                 attrs ? " " : "", attrs ? attrs : "");
	point_title(t, se, i);
	augur_strbuf_puts(t, se->mark == AUGUR_MARK_CROSS ? "</path>\n" : "</circle>\n");
}

/* Opens an x-y chart with the legend of its series and rules above the plot; returns the
 * plot's top. */
static double xy_open(struct augur_strbuf *t, const struct augur_xy *c, double width, double height,
                      double left, double right)
{
	struct legend_entry le[32];
	size_t nl = 0;
	for (size_t s = 0; s < c->n_series && nl < 32; s++)
		le[nl++] = (struct legend_entry){
		        c->series[s].name, augur_palette(c->series[s].colour), c->series[s].mark};
	for (size_t r = 0; r < c->n_rules && nl < 32; r++)
		le[nl++] = (struct legend_entry){
		        c->rules[r].label, augur_palette(c->rules[r].colour),
		        c->rules[r].to > c->rules[r].at ? AUGUR_MARK_DOT : AUGUR_MARK_LINE};
	double top = 8 + legend(t, le, nl, left, 6, width - left - right, false);
	open_svg(t, c->title, width, height);
	legend(t, le, nl, left, 6, width - left - right, true);
	return top;
}

/* An x-y chart's axis ranges and ticks (no x ticks on a categorical axis). */
struct xy_ticks {
	double xlo, xhi, ylo, yhi, xt[16], yt[16];
	size_t nxt, nyt;
};

static void xy_ticks(const struct augur_xy *c, struct xy_ticks *k)
{
	k->nxt = 0;
	if (c->n_categories) {
		k->xlo = -0.5;
		k->xhi = (double)c->n_categories - 0.5;
	} else {
		xy_domain(c, true, &k->xlo, &k->xhi);
		k->nxt = augur_nice_ticks(&k->xlo, &k->xhi, c->x_log, k->xt, c->x_log ? 14 : 9);
	}
	xy_domain(c, false, &k->ylo, &k->yhi);
	if (c->diagonal) {
		/* the same range on both axes, so y = x is the diagonal */
		double a = k->xlo < k->ylo ? k->xlo : k->ylo, b = k->xhi > k->yhi ? k->xhi : k->yhi;
		k->xlo = k->ylo = a;
		k->xhi = k->yhi = b;
		k->nxt = augur_nice_ticks(&k->xlo, &k->xhi, c->x_log, k->xt, c->x_log ? 11 : 9);
	}
	k->nyt = augur_nice_ticks(&k->ylo, &k->yhi, c->y_log, k->yt, c->y_log ? 11 : 8);
	if (c->diagonal) {
		k->ylo = k->xlo;
		k->yhi = k->xhi;
		k->nyt = augur_nice_ticks(&k->ylo, &k->yhi, c->y_log, k->yt, c->y_log ? 11 : 9);
	}
}

/* An x-y chart's plot area in pixels and its two scales (whose domains are the axes'
 * ranges). */
struct xy_frame {
	double left, top, plot_r, plot_b, height;
	struct scale sx, sy;
};

/* The labels of a categorical x axis, every one that fits. */
static void category_labels(struct augur_strbuf *t, const struct augur_xy *c,
                            const struct xy_frame *f)
{
	size_t every = 1;
	double maxw = 0;
	for (size_t k = 0; k < c->n_categories; k++) {
		double w = text_width(c->categories[k]);
		maxw = w > maxw ? w : maxw;
	}
	double slot = (f->plot_r - f->left) / (double)c->n_categories;
	while (maxw + 6 > slot * (double)every && every < c->n_categories)
		every++;
	for (size_t k = 0; k < c->n_categories; k += every)
		text_at(t, map(&f->sx, (double)k), f->plot_b + 15, "middle", c->categories[k],
		        NULL);
}

/* Grid lines, tick labels, the axes and their labels. */
static void xy_grid(struct augur_strbuf *t, const struct augur_xy *c, const struct xy_frame *f,
                    const struct xy_ticks *k)
{
	char lab[32];
	for (size_t i = 0; i < k->nyt; i++) {
		double y = map(&f->sy, k->yt[i]);
		augur_num_label(lab, sizeof(lab), k->yt[i]);
		augur_strbuf_put(t, "<path d=\"M%.1f %.1fH%.1f\" stroke=\"#e4e4e4\"/>\n", f->left,
		                 y, f->plot_r);
		text_at(t, f->left - 5, y + 4, "end", lab, NULL);
	}
	if (c->n_categories)
		category_labels(t, c, f);
	for (size_t i = 0; !c->n_categories && i < k->nxt; i++) {
		double x = map(&f->sx, k->xt[i]);
		augur_num_label(lab, sizeof(lab), k->xt[i]);
		augur_strbuf_put(t, "<path d=\"M%.1f %.1fV%.1f\" stroke=\"#e4e4e4\"/>\n", x, f->top,
		                 f->plot_b);
		text_at(t, x, f->plot_b + 15, "middle", lab, NULL);
	}
	augur_strbuf_put(t, "<path d=\"M%.1f %.1fV%.1fH%.1f\" fill=\"none\" stroke=\"#333\"/>\n",
	                 f->left, f->top, f->plot_b, f->plot_r);
	text_at(t, (f->left + f->plot_r) / 2, f->height - 8, "middle", c->x_label, NULL);
	augur_strbuf_put(t,
	                 "<text transform=\"translate(14 %.1f) rotate(-90)\" "
	                 "text-anchor=\"middle\">",
	                 (f->top + f->plot_b) / 2);
	augur_svg_xml(t, c->y_label);
	augur_strbuf_puts(t, "</text>\n");
}

/* The rules that are bands, shaded under everything else. */
static void xy_bands(struct augur_strbuf *t, const struct augur_xy *c, const struct xy_frame *f)
{
	for (size_t r = 0; r < c->n_rules; r++) {
		const struct augur_rule *ru = &c->rules[r];
		if (!(ru->to > ru->at))
			continue;
		const struct scale *s = ru->vertical ? &f->sx : &f->sy;
		double a = map(s, ru->at), b = map(s, ru->to);
		double lo_px = ru->vertical ? f->left : f->top;
		double hi_px = ru->vertical ? f->plot_r : f->plot_b;
		a = a < lo_px ? lo_px : a > hi_px ? hi_px : a;
		b = b < lo_px ? lo_px : b > hi_px ? hi_px : b;
		double lo = a < b ? a : b, len = fabs(b - a);
		augur_strbuf_put(t,
		                 "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		                 "fill=\"%s\" fill-opacity=\"0.12\"%s%s/>\n",
		                 ru->vertical ? lo : f->left, ru->vertical ? f->top : lo,
		                 ru->vertical ? len : f->plot_r - f->left,
		                 ru->vertical ? f->plot_b - f->top : len, augur_palette(ru->colour),
		                 ru->attrs ? " " : "", ru->attrs ? ru->attrs : "");
	}
}

/* The stacked areas, each filled down to the previous one (the first to the axis). */
static void xy_areas(struct augur_strbuf *t, const struct augur_xy *c, const struct xy_frame *f)
{
	const struct augur_series *below = NULL;
	for (size_t s = 0; s < c->n_series; s++) {
		const struct augur_series *se = &c->series[s];
		if (se->mark != AUGUR_MARK_AREA || !se->n)
			continue;
		augur_strbuf_puts(t, "<path d=\"");
		for (size_t i = 0; i < se->n; i++)
			augur_strbuf_put(t, "%s%.1f %.1f", i ? "L" : "M", map(&f->sx, se->x[i]),
			                 map(&f->sy, se->y[i]));
		for (size_t i = se->n; i-- > 0;) {
			double yb = below && below->n == se->n ? below->y[i] : f->sy.d0;
			augur_strbuf_put(t, "L%.1f %.1f", map(&f->sx, se->x[i]), map(&f->sy, yb));
		}
		augur_strbuf_put(t, "Z\" fill=\"%s\" fill-opacity=\"0.85\" stroke=\"none\"/>\n",
		                 augur_palette(se->colour));
		below = se;
	}
}

/* A LINE series' polyline, broken where a point cannot be drawn. */
static void polyline(struct augur_strbuf *t, const struct augur_xy *c, const struct xy_frame *f,
                     const struct augur_series *se)
{
	augur_strbuf_puts(t, "<path d=\"");
	bool pen = false;
	for (size_t i = 0; i < se->n; i++) {
		if (!plottable(c, se->x[i], se->y[i])) {
			pen = false;
			continue;
		}
		augur_strbuf_put(t, "%s%.1f %.1f", pen ? "L" : "M", map(&f->sx, se->x[i]),
		                 map(&f->sy, se->y[i]));
		pen = true;
	}
	augur_strbuf_put(t, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n",
	                 augur_palette(se->colour));
}

/* An AREA series' point i as an invisible hover target that carries its values. */
static void hover_target(struct augur_strbuf *t, const struct augur_series *se, size_t i, double px,
                         double py)
{
	augur_strbuf_put(t, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill-opacity=\"0\"%s%s>", px,
	                 py, se->attrs && se->attrs[i] ? " " : "",
	                 se->attrs && se->attrs[i] ? se->attrs[i] : "");
	point_title(t, se, i);
	augur_strbuf_puts(t, "</circle>\n");
}

/* Every series' lines and points (an AREA series' points only when they carry values). */
static void xy_marks(struct augur_strbuf *t, const struct augur_xy *c, const struct xy_frame *f)
{
	for (size_t s = 0; s < c->n_series; s++) {
		const struct augur_series *se = &c->series[s];
		if (se->mark == AUGUR_MARK_LINE)
			polyline(t, c, f, se);
		if (se->mark == AUGUR_MARK_AREA && !se->attrs && !se->titles)
			continue;
		for (size_t i = 0; i < se->n; i++) {
			if (!plottable(c, se->x[i], se->y[i]))
				continue;
			double px = map(&f->sx, se->x[i]), py = map(&f->sy, se->y[i]);
			if (se->mark == AUGUR_MARK_AREA)
				hover_target(t, se, i, px, py);
			else
				point(t, se, i, px, py);
		}
	}
}

/* The rules that are lines, dashed, over everything else. */
static void xy_rules(struct augur_strbuf *t, const struct augur_xy *c, const struct xy_frame *f)
{
	for (size_t r = 0; r < c->n_rules; r++) {
		const struct augur_rule *ru = &c->rules[r];
		if (ru->to > ru->at || !isfinite(ru->at))
			continue;
		double at = map(ru->vertical ? &f->sx : &f->sy, ru->at);
		augur_strbuf_put(t,
		                 "<path d=\"M%.1f %.1f%c%.1f\" stroke=\"%s\" stroke-width=\"1.5\" "
		                 "stroke-dasharray=\"5 3\"%s%s/>\n",
		                 ru->vertical ? at : f->left, ru->vertical ? f->top : at,
		                 ru->vertical ? 'V' : 'H', ru->vertical ? f->plot_b : f->plot_r,
		                 augur_palette(ru->colour), ru->attrs ? " " : "",
		                 ru->attrs ? ru->attrs : "");
	}
}

void augur_svg_xy(struct augur_strbuf *t, const struct augur_xy *c)
{
	double width = c->width > 0 ? c->width : 640, height = c->height > 0 ? c->height : 400;
	double left = 70, right = 20, bottom = 46;
	double top = xy_open(t, c, width, height, left, right);
	struct xy_ticks k;
	xy_ticks(c, &k);
	double plot_b = height - bottom, plot_r = width - right;
	struct xy_frame f = {left,
	                     top,
	                     plot_r,
	                     plot_b,
	                     height,
	                     {k.xlo, k.xhi, left, plot_r, c->x_log},
	                     {k.ylo, k.yhi, plot_b, top, c->y_log}};
	xy_grid(t, c, &f, &k);
	xy_bands(t, c, &f);
	xy_areas(t, c, &f);
	if (c->diagonal)
		augur_strbuf_put(t,
		                 "<path d=\"M%.1f %.1fL%.1f %.1f\" stroke=\"#888\" "
		                 "stroke-dasharray=\"4 3\"/>\n",
		                 map(&f.sx, k.xlo), map(&f.sy, k.ylo), map(&f.sx, k.xhi),
		                 map(&f.sy, k.yhi));
	xy_marks(t, c, &f);
	xy_rules(t, c, &f);
	augur_strbuf_puts(t, "</svg>\n");
}

void augur_svg_heat(struct augur_strbuf *t, const struct augur_heat *c)
{
	double lw = 20, cw = 64, ch = 26;
	for (size_t r = 0; r < c->n_rows; r++) {
		double w = text_width(c->rows[r]) + 30;
		lw = w > lw ? w : lw;
	}
	for (size_t k = 0; k < c->n_cols; k++) {
		double w = text_width(c->cols[k]) + 8;
		cw = w > cw ? w : cw;
	}
	double top = 56, width = lw + cw * (double)c->n_cols + 20;
	if (width < 360)
		width = 360;
	double height = top + ch * (double)c->n_rows + 20;
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < c->n_rows * c->n_cols; i++) {
		if (!isfinite(c->v[i]))
			continue;
		lo = c->v[i] < lo ? c->v[i] : lo;
		hi = c->v[i] > hi ? c->v[i] : hi;
	}
	open_svg(t, c->title, width, height);
	/* the colour scale: ten steps from lowest to highest */
	char col[8], lab[32];
	text_at(t, lw, 14, "start", c->value_label, NULL);
	for (int k = 0; k < 10; k++) {
		augur_sequential(k / 9.0, col);
		augur_strbuf_put(t,
		                 "<rect x=\"%.1f\" y=\"20\" width=\"14\" height=\"10\" "
		                 "fill=\"%s\"/>\n",
		                 lw + 14.0 * k, col);
	}
	augur_num_label(lab, sizeof(lab), isfinite(lo) ? lo : 0);
	text_at(t, lw - 4, 29, "end", lab, NULL);
	augur_num_label(lab, sizeof(lab), isfinite(hi) ? hi : 0);
	text_at(t, lw + 144, 29, "start", lab, NULL);
	text_at(t, lw + 200, 29, "start", c->col_label, "font-style=\"italic\"");
	augur_strbuf_put(t,
	                 "<text transform=\"translate(12 %.1f) rotate(-90)\" "
	                 "text-anchor=\"middle\" font-style=\"italic\">",
	                 top + ch * (double)c->n_rows / 2);
	augur_svg_xml(t, c->row_label);
	augur_strbuf_puts(t, "</text>\n");
	for (size_t k = 0; k < c->n_cols; k++)
		text_at(t, lw + cw * ((double)k + 0.5), top - 6, "middle", c->cols[k], NULL);
	for (size_t r = 0; r < c->n_rows; r++) {
		double y = top + ch * (double)r;
		text_at(t, lw - 6, y + ch / 2 + 4, "end", c->rows[r], NULL);
		for (size_t k = 0; k < c->n_cols; k++) {
			size_t i = r * c->n_cols + k;
			double v = c->v[i];
			double f = hi > lo ? (v - lo) / (hi - lo) : 0.5;
			augur_sequential(f, col);
			bool mark = c->marked && c->marked[i];
			augur_strbuf_put(t, "<g class=\"cell\"%s%s>",
			                 c->attrs && c->attrs[i] ? " " : "",
			                 c->attrs && c->attrs[i] ? c->attrs[i] : "");
			augur_strbuf_puts(t, "<title>");
			augur_svg_xml(t, c->rows[r]);
			augur_strbuf_puts(t, ", ");
			augur_svg_xml(t, c->cols[k]);
			augur_num_label(lab, sizeof(lab), v);
			augur_strbuf_put(t, ": %s", lab);
			augur_strbuf_puts(t, "</title>");
			augur_strbuf_put(
			        t,
			        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			        "fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>",
			        lw + cw * (double)k + 1, y + 1, cw - 2, ch - 2, col,
			        mark ? "#D55E00" : "none", mark ? "3" : "0");
			augur_strbuf_put(t,
			                 "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
			                 "fill=\"%s\">%s</text></g>\n",
			                 lw + cw * ((double)k + 0.5), y + ch / 2 + 4,
			                 f < 0.6 ? "#fff" : "#000", lab);
		}
	}
	augur_strbuf_puts(t, "</svg>\n");
}
