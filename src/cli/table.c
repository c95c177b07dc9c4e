/* The record table (see table.h): cells are kept as values and rendered per format. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "svg.h"
#include "table.h"

/* A name column is never cut below this many characters. */
#define TBL_MIN_CUT 12

struct cell {
	uint64_t u;
	double d;
	char *s;         /* TBL_TEXT, TBL_JSON: owned */
	char *show;      /* the table's text instead of the value: owned, or NULL */
	char *note;      /* tbl_note's text, from this cell on: owned, or NULL */
	char *attr;      /* the first cell's: tbl_row_attr's markup, owned, or NULL */
	struct tbl *sub; /* TBL_ROWS: owned, or NULL */
	bool null;       /* no value (tbl_null) */
	bool exact;      /* given by tbl_uint: a whole number, u */
};

struct tbl {
	const struct tbl_col *cols;
	size_t n_cols;
	struct cell *cells; /* n_rows * n_cols, row after row */
	size_t n_rows, cap_rows;
	size_t at; /* the next cell's column in the last row */
	FILE *mem; /* tbl_stream's, while open */
	char *mem_text;
	size_t mem_len;
	bool failed;
};

struct tbl *tbl_new(const struct tbl_col *cols, size_t n)
{
	struct tbl *t = calloc(1, sizeof(*t));
	if (t) {
		t->cols = cols;
		t->n_cols = n;
	}
	return t;
}

void tbl_free(struct tbl *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_rows * t->n_cols; i++) {
		free(t->cells[i].s);
		free(t->cells[i].show);
		free(t->cells[i].note);
		free(t->cells[i].attr);
		tbl_free(t->cells[i].sub);
	}
	free(t->cells);
	free(t);
}

size_t tbl_rows(const struct tbl *t)
{
	return t->n_rows;
}

void tbl_row(struct tbl *t)
{
	if (t->failed)
		return;
	if (t->n_rows == t->cap_rows) {
		size_t cap = t->cap_rows ? 2 * t->cap_rows : 16;
		struct cell *c = realloc(t->cells, cap * t->n_cols * sizeof(*c));
		if (!c) {
			t->failed = true;
			return;
		}
		t->cells = c;
		t->cap_rows = cap;
	}
	memset(t->cells + t->n_rows * t->n_cols, 0, t->n_cols * sizeof(*t->cells));
	t->n_rows++;
	t->at = 0;
}

/* The next cell of the last row, or NULL (no row, the row is full, or out of memory). */
static struct cell *next(struct tbl *t)
{
	if (t->failed || !t->n_rows || t->at >= t->n_cols)
		return NULL;
	return &t->cells[(t->n_rows - 1) * t->n_cols + t->at++];
}

void tbl_text(struct tbl *t, const char *s)
{
	struct cell *c = next(t);
	if (c && !(c->s = strdup(s ? s : "")))
		t->failed = true;
}

void tbl_uint(struct tbl *t, uint64_t v)
{
	struct cell *c = next(t);
	if (c) {
		c->u = v;
		c->exact = true;
	}
}

void tbl_double(struct tbl *t, double v)
{
	struct cell *c = next(t);
	if (c)
		c->d = v;
}

FILE *tbl_stream(struct tbl *t)
{
	t->mem_text = NULL;
	t->mem_len = 0;
	t->mem = t->failed ? NULL : open_memstream(&t->mem_text, &t->mem_len);
	if (!t->mem)
		t->failed = true;
	return t->mem;
}

void tbl_end_stream(struct tbl *t)
{
	if (t->mem && fclose(t->mem))
		t->failed = true;
	t->mem = NULL;
	struct cell *c = next(t);
	if (c && t->mem_text)
		c->s = t->mem_text;
	else
		free(t->mem_text);
	t->mem_text = NULL;
}

void tbl_null(struct tbl *t)
{
	struct cell *c = next(t);
	if (c)
		c->null = true;
}

void tbl_show(struct tbl *t, const char *text)
{
	if (t->failed || !t->n_rows || !t->at)
		return;
	struct cell *c = &t->cells[(t->n_rows - 1) * t->n_cols + t->at - 1];
	free(c->show);
	if (!(c->show = strdup(text)))
		t->failed = true;
}

void tbl_table(struct tbl *t, struct tbl *sub)
{
	struct cell *c = next(t);
	if (c)
		c->sub = sub;
	else
		tbl_free(sub);
}

void tbl_row_attr(struct tbl *t, const char *attrs)
{
	if (t->failed || !t->n_rows || !t->n_cols)
		return;
	struct cell *c = &t->cells[(t->n_rows - 1) * t->n_cols];
	free(c->attr);
	if (!(c->attr = strdup(attrs)))
		t->failed = true;
}

void tbl_note(struct tbl *t, const char *text)
{
	if (t->failed || !t->n_rows || t->at >= t->n_cols)
		return;
	struct cell *c = &t->cells[(t->n_rows - 1) * t->n_cols + t->at];
	free(c->note);
	if (!(c->note = strdup(text)))
		t->failed = true;
}

static int gap(const struct tbl_col *col)
{
	return col->gap ? col->gap : 1;
}

static unsigned shown_in(const struct tbl_col *col)
{
	return col->in ? col->in : TBL_IN_ALL;
}

/* A whole number given by tbl_uint in a column of measures: written exactly. */
static bool whole(const struct tbl_col *col, const struct cell *c)
{
	return c->exact && (col->kind == TBL_MS || col->kind == TBL_DOUBLE);
}

/* The cell as the text table shows it, into buf. */
static const char *shown(const struct tbl_col *col, const struct cell *c, char *buf, size_t size)
{
	if (c->show)
		return c->show;
	if (c->null)
		return "";
	if (whole(col, c)) {
		snprintf(buf, size, "%" PRIu64, c->u);
		return buf;
	}
	switch (col->kind) {
	case TBL_TEXT:
	case TBL_JSON:
		return c->s ? c->s : "";
	case TBL_ROWS:
		return "";
	case TBL_UINT:
		snprintf(buf, size, "%" PRIu64, c->u);
		break;
	case TBL_COUNT:
		cli_count(buf, size, c->u);
		break;
	case TBL_BYTES:
		cli_bytes(buf, size, c->u);
		break;
	case TBL_MS:
		cli_ms(buf, size, c->d);
		break;
	case TBL_DOUBLE:
		snprintf(buf, size, col->fmt ? col->fmt : "%.6g", c->d);
		break;
	case TBL_BOOL:
		snprintf(buf, size, "%s", c->u ? "yes" : "no");
		break;
	}
	return buf;
}

/* One cell after lead spaces, padded to width characters (UTF-8 aware), left- or
 * right-aligned; a left-aligned last cell and a bare one are not padded. */
static void pad_cell(FILE *f, int lead, const char *text, int width, const struct tbl_col *col,
                     bool last)
{
	bool left = col->left;
	int pad = width - cli_chars(text);
	if (pad < 0 || (left && last) || col->bare)
		pad = 0;
	if (left)
		fprintf(f, "%*s%s%*s", lead, "", text, pad, "");
	else
		fprintf(f, "%*s%*s%s", lead, "", pad, "", text);
	if (last)
		fputc('\n', f);
}

/* Which columns the text table shows within limit characters, and their widths. Returns
 * how many columns with a drop rank were left out. */
static int fit(const struct tbl *t, int limit, int *width, bool *show)
{
	char buf[64];
	int total = 0, n_shown = 0;
	for (size_t c = 0; c < t->n_cols; c++) {
		const struct tbl_col *col = &t->cols[c];
		show[c] = shown_in(col) & TBL_IN_TEXT;
		if (!show[c])
			continue;
		width[c] = cli_chars(col->head) > col->min_width ? cli_chars(col->head)
		                                                 : col->min_width;
		for (size_t r = 0; r < t->n_rows && !col->fixed; r++) {
			int w = cli_chars(
			        shown(col, &t->cells[r * t->n_cols + c], buf, sizeof(buf)));
			if (w > width[c])
				width[c] = w;
		}
		if (col->max_width && width[c] > col->max_width)
			width[c] = col->max_width;
		total += width[c] + (n_shown++ ? gap(col) : 0);
	}
	int dropped = 0;
	for (int rank = 1; total > limit; rank++) {
		bool any = false;
		for (size_t c = 0; c < t->n_cols; c++) {
			if (show[c] && t->cols[c].drop == rank) {
				show[c] = false;
				total -= width[c] + gap(&t->cols[c]);
				dropped++;
			}
			any |= t->cols[c].drop > rank;
		}
		if (!any)
			break;
	}
	/* the cut column takes what is still too wide, down to TBL_MIN_CUT (a narrower
	 * column is padded to it: names keep one width whatever the terminal) */
	for (size_t c = 0; c < t->n_cols && total > limit; c++) {
		if (show[c] && t->cols[c].cut) {
			int w = width[c] - (total - limit);
			width[c] = w > TBL_MIN_CUT ? w : TBL_MIN_CUT;
		}
	}
	return dropped;
}

/* The first width characters of text (UTF-8 aware) into buf. */
static void clip(char *buf, size_t size, const char *text, int width)
{
	size_t n = 0;
	for (int chars = 0; text[n] && n + 1 < size; n++) {
		bool starts = ((unsigned char)text[n] & 0xC0) != 0x80;
		if (starts && chars++ == width)
			break;
	}
	/* cut short by size: never end inside a multi-byte character */
	while (n > 0 && text[n] && ((unsigned char)text[n] & 0xC0) == 0x80)
		n--;
	memcpy(buf, text, n);
	buf[n] = '\0';
}

/* One line of the table: the header (row NULL) or a row's cells; a row with a note ends
 * with it, wrapped at limit. */
static void print_line(const struct tbl *t, FILE *out, const int *w, const bool *show, size_t last,
                       int indent, int limit, const struct cell *row)
{
	char buf[64], cut[256];
	char *line = NULL;
	size_t len = 0;
	FILE *f = out;
	for (size_t c = 0; row && c < t->n_cols; c++)
		if (row[c].note && !(f = open_memstream(&line, &len)))
			return;
	bool first = true;
	for (size_t c = 0; c < t->n_cols; c++) {
		const struct tbl_col *col = &t->cols[c];
		if (row && row[c].note) {
			fprintf(f, "%*s%s", first ? indent : gap(col), "", row[c].note);
			break;
		}
		if (!show[c])
			continue;
		const char *s = row ? shown(col, &row[c], buf, sizeof(buf)) : col->head;
		if (row && col->clip && col->max_width && cli_chars(s) > w[c]) {
			clip(cut, sizeof(cut), s, w[c]);
			s = cut;
		} else if (row && (col->cut || col->max_width) && cli_chars(s) > w[c]) {
			cli_cut(cut, sizeof(cut), s, w[c]);
			s = cut;
		}
		pad_cell(f, first ? indent : gap(col), s, w[c], col, c == last && f == out);
		first = false;
	}
	if (f != out) {
		if (!fclose(f) && line)
			cli_wrap_at(out, limit, indent + 2, line);
		free(line);
	}
}

int tbl_print_text(const struct tbl *t, FILE *f, int width, int indent)
{
	if (t->failed)
		return -1;
	int *w = calloc(t->n_cols ? t->n_cols : 1, sizeof(*w));
	bool *show = calloc(t->n_cols ? t->n_cols : 1, sizeof(*show));
	if (!w || !show) {
		free(w);
		free(show);
		return -1;
	}
	int dropped = fit(t, width - indent, w, show);
	size_t last = 0;
	for (size_t c = 0; c < t->n_cols; c++)
		if (show[c])
			last = c;
	print_line(t, f, w, show, last, indent, width, NULL);
	for (size_t r = 0; r < t->n_rows; r++)
		print_line(t, f, w, show, last, indent, width, &t->cells[r * t->n_cols]);
	free(w);
	free(show);
	return dropped;
}

int tbl_print_csv(const struct tbl *t, FILE *f)
{
	if (t->failed)
		return -1;
	bool first = true;
	for (size_t c = 0; c < t->n_cols; c++) {
		if (!(shown_in(&t->cols[c]) & TBL_IN_CSV))
			continue;
		if (!first)
			fputc(',', f);
		cli_csv_field(f, t->cols[c].key);
		first = false;
	}
	fputc('\n', f);
	for (size_t r = 0; r < t->n_rows; r++) {
		first = true;
		for (size_t c = 0; c < t->n_cols; c++) {
			const struct tbl_col *col = &t->cols[c];
			const struct cell *v = &t->cells[r * t->n_cols + c];
			if (!(shown_in(col) & TBL_IN_CSV))
				continue;
			if (!first)
				fputc(',', f);
			first = false;
			if (v->null || col->kind == TBL_ROWS)
				continue;
			if (whole(col, v)) {
				fprintf(f, "%" PRIu64, v->u);
				continue;
			}
			switch (col->kind) {
			case TBL_TEXT:
			case TBL_JSON:
			case TBL_ROWS:
				cli_csv_field(f, v->s ? v->s : "");
				break;
			case TBL_UINT:
			case TBL_COUNT:
			case TBL_BYTES:
				fprintf(f, "%" PRIu64, v->u);
				break;
			case TBL_MS:
			case TBL_DOUBLE:
				fprintf(f, col->csv_fmt ? col->csv_fmt : "%.6g", v->d);
				break;
			case TBL_BOOL:
				fputc(v->u ? '1' : '0', f);
				break;
			}
		}
		fputc('\n', f);
	}
	return 0;
}

int tbl_write_html(const struct tbl *t, struct augur_strbuf *b, const char *cls)
{
	if (t->failed)
		return -1;
	char buf[64];
	augur_strbuf_put(b, "<table class=\"%s\"><tr>", cls);
	for (size_t c = 0; c < t->n_cols; c++) {
		const struct tbl_col *col = &t->cols[c];
		if (!(shown_in(col) & TBL_IN_HTML))
			continue;
		augur_strbuf_puts(b, col->left || col->plain_head ? "<th>" : "<th class=\"num\">");
		augur_svg_xml(b, col->head ? col->head : "");
		augur_strbuf_puts(b, "</th>");
	}
	augur_strbuf_puts(b, "</tr>\n");
	for (size_t r = 0; r < t->n_rows; r++) {
		const struct cell *row = &t->cells[r * t->n_cols];
		augur_strbuf_puts(b, "<tr");
		if (t->n_cols && row[0].attr)
			augur_strbuf_put(b, " %s", row[0].attr);
		augur_strbuf_puts(b, ">");
		for (size_t c = 0; c < t->n_cols; c++) {
			const struct tbl_col *col = &t->cols[c];
			if (!(shown_in(col) & TBL_IN_HTML))
				continue;
			augur_strbuf_puts(b, col->left ? "<td>" : "<td class=\"num\">");
			augur_svg_xml(b, shown(col, &row[c], buf, sizeof(buf)));
			augur_strbuf_puts(b, "</td>");
		}
		augur_strbuf_puts(b, "</tr>\n");
	}
	augur_strbuf_puts(b, "</table>\n");
	return b->failed ? -1 : 0;
}

/* Whether two group names are the same group (NULL: none). */
static bool same_group(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* One cell as the member key of an object. */
static void json_cell(struct jsonw *w, const struct tbl_col *col, const struct cell *v)
{
	if (v->null) {
		jw_null(w, col->key);
		return;
	}
	if (whole(col, v)) {
		jw_uint(w, col->key, v->u);
		return;
	}
	switch (col->kind) {
	case TBL_TEXT:
		jw_string(w, col->key, v->s ? v->s : "");
		break;
	case TBL_JSON:
		jw_raw(w, col->key, v->s ? v->s : "null");
		break;
	case TBL_ROWS:
		jw_array(w, col->key, true);
		if (v->sub)
			tbl_write_json_rows(v->sub, w);
		jw_end(w);
		break;
	case TBL_UINT:
	case TBL_COUNT:
	case TBL_BYTES:
		jw_uint(w, col->key, v->u);
		break;
	case TBL_MS:
	case TBL_DOUBLE:
		jw_double(w, col->key, v->d);
		break;
	case TBL_BOOL:
		jw_bool(w, col->key, v->u != 0);
		break;
	}
}

int tbl_write_json_rows(const struct tbl *t, struct jsonw *w)
{
	if (t->failed)
		return -1;
	for (size_t r = 0; r < t->n_rows; r++) {
		jw_object(w, NULL, true);
		const char *group = NULL;
		for (size_t c = 0; c < t->n_cols; c++) {
			const struct tbl_col *col = &t->cols[c];
			if (!(shown_in(col) & TBL_IN_JSON))
				continue;
			if (!same_group(group, col->group)) {
				if (group)
					jw_end(w);
				if (col->group)
					jw_object(w, col->group, true);
				group = col->group;
			}
			json_cell(w, col, &t->cells[r * t->n_cols + c]);
		}
		if (group)
			jw_end(w);
		jw_end(w);
	}
	return 0;
}

int tbl_write_json(const struct tbl *t, struct jsonw *w, const char *key)
{
	if (t->failed)
		return -1;
	jw_array(w, key, false);
	tbl_write_json_rows(t, w);
	jw_end(w);
	return 0;
}
