/* The JSON writer (see jsonw.h). */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "augur-config.h"
#include "cli.h"
#include "jsonw.h"

#define JSONW_MAX_DEPTH 16

/* One open object or array. */
struct level {
	bool has_items;    /* it has a member yet */
	bool inline_items; /* members on the line it opened on (or its parent's are) */
	bool rows;         /* jw_rows: items on lines of their own, whatever its parent */
	bool close_line;   /* jw_rows: the closing bracket on a line of its own */
	bool brk;          /* jw_break: the next member starts a new, hanging line */
	char closing;      /* '}' or ']' */
	int line_indent;   /* the indent of the line it opened on */
	int step;          /* jw_rows: its items' indent past line_indent */
};

struct jsonw {
	FILE *f;
	int depth;
	int indent; /* the indent of the line being written */
	struct level lv[JSONW_MAX_DEPTH];
};

struct jsonw *jw_new(FILE *f)
{
	struct jsonw *w = calloc(1, sizeof(*w));
	if (w)
		w->f = f;
	return w;
}

void jw_free(struct jsonw *w)
{
	free(w);
}

/* A new line indented by indent spaces. */
static void newline(struct jsonw *w, int indent)
{
	fprintf(w->f, "\n%*s", indent, "");
	w->indent = indent;
}

/* The comma and line break before a member or item, then its key. */
static void lead(struct jsonw *w, const char *key)
{
	if (w->depth > 0) {
		struct level *l = &w->lv[w->depth];
		if (l->rows) {
			if (l->has_items)
				fputc(',', w->f);
			newline(w, l->line_indent + l->step);
		} else if (l->inline_items) {
			if (l->has_items)
				fputs(l->brk ? "," : ", ", w->f);
			if (l->brk)
				newline(w, l->line_indent + 1);
			l->brk = false;
		} else {
			if (l->has_items)
				fputc(',', w->f);
			newline(w, 2 * w->depth);
		}
		l->has_items = true;
	}
	if (key) {
		cli_json_string(w->f, key);
		fputs(": ", w->f);
	}
}

static void jw_open(struct jsonw *w, const char *key, bool inline_items, char bracket,
                    const struct level *rows)
{
	lead(w, key);
	fputc(bracket, w->f);
	bool parent_inline = w->depth > 0 && w->lv[w->depth].inline_items;
	if (w->depth + 1 < JSONW_MAX_DEPTH)
		w->depth++;
	struct level *l = &w->lv[w->depth];
	*l = rows ? *rows : (struct level){0};
	l->closing = bracket == '{' ? '}' : ']';
	l->inline_items = !l->rows && (inline_items || parent_inline);
	l->line_indent = w->indent;
}

void jw_object(struct jsonw *w, const char *key, bool inline_members)
{
	jw_open(w, key, inline_members, '{', NULL);
}

void jw_array(struct jsonw *w, const char *key, bool inline_items)
{
	jw_open(w, key, inline_items, '[', NULL);
}

void jw_rows(struct jsonw *w, const char *key, int step, bool close_line)
{
	struct level rows = {.rows = true, .step = step, .close_line = close_line};
	jw_open(w, key, false, '[', &rows);
}

void jw_break(struct jsonw *w)
{
	if (w->depth > 0)
		w->lv[w->depth].brk = true;
}

void jw_end(struct jsonw *w)
{
	if (w->depth == 0)
		return;
	const struct level *l = &w->lv[w->depth];
	int d = --w->depth;
	if (l->rows && l->close_line)
		newline(w, l->line_indent);
	else if (!l->rows && !l->inline_items && l->has_items)
		newline(w, 2 * d);
	fputc(l->closing, w->f);
	if (d == 0)
		fputc('\n', w->f);
}

void jw_string(struct jsonw *w, const char *key, const char *s)
{
	lead(w, key);
	if (s)
		cli_json_string(w->f, s);
	else
		fputs("null", w->f);
}

void jw_double(struct jsonw *w, const char *key, double v)
{
	lead(w, key);
	if (isfinite(v))
		fprintf(w->f, "%.6g", v);
	else
		fputs("null", w->f);
}

void jw_uint(struct jsonw *w, const char *key, uint64_t v)
{
	lead(w, key);
	fprintf(w->f, "%" PRIu64, v);
}

void jw_bool(struct jsonw *w, const char *key, bool v)
{
	lead(w, key);
	fputs(v ? "true" : "false", w->f);
}

void jw_null(struct jsonw *w, const char *key)
{
	lead(w, key);
	fputs("null", w->f);
}

void jw_raw(struct jsonw *w, const char *key, const char *json)
{
	lead(w, key);
	fputs(json, w->f);
}

void jw_net(struct jsonw *w, const struct augur_net *net)
{
	jw_object(w, NULL, false);
	jw_string(w, "augur_version", AUGUR_VERSION);
	jw_string(w, "network", net->name);
	jw_string(w, "source", net->path ? net->path : "");
}

void jw_device(struct jsonw *w, const struct augur_profile *p, const char *profile_path)
{
	jw_object(w, "device", true);
	jw_string(w, "name", p->name);
	jw_string(w, "profile", profile_path);
	jw_string(w, "description", p->description);
	jw_end(w);
}
