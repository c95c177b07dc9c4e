/* The JSON writer (see jsonw.h). */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "augur-config.h"
#include "cli.h"
#include "jsonw.h"

#define JSONW_MAX_DEPTH 16

struct jsonw {
	FILE *f;
	int depth;
	bool has_items[JSONW_MAX_DEPTH];   /* whether the open container has a member yet */
	bool inline_from[JSONW_MAX_DEPTH]; /* containers opened inline: no new lines inside */
	char closing[JSONW_MAX_DEPTH];     /* '}' or ']' of each open container */
	int inline_depth;                  /* depth from which items stay on one line; 0 none */
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

/* The comma and line break before a member or item, then its key. */
static void lead(struct jsonw *w, const char *key)
{
	if (w->depth > 0) {
		bool in_line = w->inline_depth && w->depth >= w->inline_depth;
		if (w->has_items[w->depth])
			fputs(in_line ? ", " : ",", w->f);
		if (!in_line)
			fprintf(w->f, "\n%*s", 2 * w->depth, "");
		w->has_items[w->depth] = true;
	}
	if (key) {
		cli_json_string(w->f, key);
		fputs(": ", w->f);
	}
}

static void jw_open(struct jsonw *w, const char *key, bool inline_items, char bracket)
{
	lead(w, key);
	fputc(bracket, w->f);
	if (w->depth + 1 < JSONW_MAX_DEPTH)
		w->depth++;
	w->has_items[w->depth] = false;
	w->closing[w->depth] = bracket == '{' ? '}' : ']';
	w->inline_from[w->depth] = inline_items && !w->inline_depth;
	if (inline_items && !w->inline_depth)
		w->inline_depth = w->depth;
}

void jw_object(struct jsonw *w, const char *key, bool inline_members)
{
	jw_open(w, key, inline_members, '{');
}

void jw_array(struct jsonw *w, const char *key, bool inline_items)
{
	jw_open(w, key, inline_items, '[');
}

void jw_end(struct jsonw *w)
{
	if (w->depth == 0)
		return;
	bool in_line = w->inline_depth && w->depth >= w->inline_depth;
	bool had = w->has_items[w->depth];
	char closing = w->closing[w->depth];
	if (w->inline_from[w->depth])
		w->inline_depth = 0;
	w->inline_from[w->depth] = false;
	int d = --w->depth;
	if (had && !in_line)
		fprintf(w->f, "\n%*s", 2 * d, "");
	fputc(closing, w->f);
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
