/* The record table of src/cli/table.c: the text table within a width (columns dropped in
 * their stated order, then the name cut), RFC 4180 CSV quoting and JSON escaping, against
 * strings written out by hand. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "commands.h"
#include "table.h"

/* cli.c finds commands for --help through augur.c's table, which this test does not link */
const struct augur_command *augur_command_find(const char *name)
{
	(void)name;
	return NULL;
}

/* What was written into the temporary file f, NUL-terminated (free it); closes f. */
static char *slurp(FILE *f)
{
	long n = ftell(f);
	char *s = n >= 0 ? calloc((size_t)n + 1, 1) : NULL;
	rewind(f);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	fclose(f);
	return s;
}

/* What render wrote, NUL-terminated (free it). */
static char *rendered(const struct tbl *t, int width, int how, int *rc)
{
	FILE *f = tmpfile();
	if (!f)
		return NULL;
	if (how == 0) {
		*rc = tbl_print_text(t, f, width, 0);
	} else if (how == 1) {
		*rc = tbl_print_csv(t, f);
	} else {
		struct jsonw *w = jw_new(f);
		*rc = w ? tbl_write_json(t, w, NULL) : -1;
		jw_free(w);
	}
	return slurp(f);
}

static const struct tbl_col width_cols[] = {
        {.head = "name", .kind = TBL_TEXT, .left = true, .cut = true},
        {.head = "aaaa", .kind = TBL_UINT, .drop = 1},
        {.head = "bb", .kind = TBL_UINT, .drop = 2},
        {.head = "c", .kind = TBL_TEXT},
};

static void test_width(void)
{
	struct tbl *t = tbl_new(width_cols, 4);
	CHECK(t != NULL);
	if (!t)
		return;
	tbl_row(t);
	tbl_text(t, "alpha");
	tbl_uint(t, 1);
	tbl_uint(t, 22);
	tbl_text(t, "x");
	tbl_row(t);
	tbl_text(t, "a-very-long-layer-name");
	tbl_uint(t, 333);
	tbl_uint(t, 4);
	tbl_text(t, "yy");
	CHECK_EQ_U64(tbl_rows(t), 2);
	/* widths 22, 4, 2, 2 and three separators: 33 characters */
	static const struct {
		int width, dropped;
		const char *text;
	} cases[] = {
	        {80, 0,
	         "name                   aaaa bb  c\n"
	         "alpha                     1 22  x\n"
	         "a-very-long-layer-name  333  4 yy\n"},
	        {33, 0,
	         "name                   aaaa bb  c\n"
	         "alpha                     1 22  x\n"
	         "a-very-long-layer-name  333  4 yy\n"},
	        {28, 1,
	         "name                   bb  c\n"
	         "alpha                  22  x\n"
	         "a-very-long-layer-name  4 yy\n"},
	        {20, 2,
	         "name               c\n"
	         "alpha              x\n"
	         "a-very-long-laye\xe2\x80\xa6 yy\n"},
	        {10, 2,
	         "name          c\n"
	         "alpha         x\n"
	         "a-very-long\xe2\x80\xa6 yy\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = -9;
		char *s = rendered(t, cases[i].width, 0, &rc);
		CHECK_EQ_INT(rc, cases[i].dropped);
		CHECK_STR_EQ(s, cases[i].text);
		free(s);
	}
	tbl_free(t);
}

static const struct tbl_col utf8_cols[] = {
        {.head = "x", .kind = TBL_TEXT, .left = true},
        {.head = "size", .kind = TBL_BYTES},
        {.head = "n", .kind = TBL_COUNT, .min_width = 6},
};

/* a multi-byte character takes one column; sizes and counts with three significant
 * digits, as cli.h documents them */
static void test_cells(void)
{
	struct tbl *t = tbl_new(utf8_cols, 3);
	if (!t)
		return;
	tbl_row(t);
	tbl_text(t, "\xc3\xa9");
	tbl_uint(t, 0);
	tbl_show(t, "in-place");
	tbl_uint(t, 86700000);
	tbl_row(t);
	tbl_text(t, "ab");
	tbl_uint(t, 2048);
	tbl_uint(t, 7);
	int rc = -9;
	char *s = rendered(t, 80, 0, &rc);
	CHECK_EQ_INT(rc, 0);
	CHECK_STR_EQ(s, "x      size      n\n"
	                "\xc3\xa9  in-place  86.7M\n"
	                "ab 2.00 KiB      7\n");
	free(s);
	tbl_free(t);
}

static const struct tbl_col mixed_cols[] = {
        {.head = "name", .key = "name", .kind = TBL_TEXT},
        {.head = "n", .key = "n", .kind = TBL_UINT},
        {.head = "ms", .key = "ms", .kind = TBL_MS},
        {.key = "ok", .kind = TBL_BOOL, .in = TBL_IN_CSV | TBL_IN_JSON},
        {.key = "j", .kind = TBL_JSON, .in = TBL_IN_JSON},
        {.head = "shown", .kind = TBL_TEXT, .in = TBL_IN_TEXT},
};

static struct tbl *mixed(void)
{
	struct tbl *t = tbl_new(mixed_cols, 6);
	if (!t)
		return NULL;
	tbl_row(t);
	tbl_text(t, "a,b");
	tbl_uint(t, 3);
	tbl_double(t, 1.5);
	tbl_uint(t, 1);
	tbl_text(t, "[1, 2]");
	tbl_text(t, "only in the table");
	tbl_row(t);
	tbl_text(t, "say \"hi\"");
	tbl_uint(t, 0);
	tbl_double(t, 0.25);
	tbl_uint(t, 0);
	FILE *f = tbl_stream(t);
	if (f)
		fprintf(f, "{\"k\": %d}", 5);
	tbl_end_stream(t);
	tbl_text(t, "-");
	tbl_row(t);
	tbl_text(t, "two\nlines\\\x01\t");
	tbl_uint(t, UINT64_MAX);
	tbl_double(t, 1e-7);
	tbl_uint(t, 1);
	tbl_text(t, "null");
	tbl_text(t, "-");
	return t;
}

static void test_csv(void)
{
	struct tbl *t = mixed();
	CHECK(t != NULL);
	int rc = -9;
	char *s = t ? rendered(t, 80, 1, &rc) : NULL;
	CHECK_EQ_INT(rc, 0);
	/* RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled */
	CHECK_STR_EQ(s, "name,n,ms,ok\n"
	                "\"a,b\",3,1.5,1\n"
	                "\"say \"\"hi\"\"\",0,0.25,0\n"
	                "\"two\nlines\\\x01\t\",18446744073709551615,1e-07,1\n");
	free(s);
	tbl_free(t);
}

static void test_json(void)
{
	struct tbl *t = mixed();
	int rc = -9;
	char *s = t ? rendered(t, 80, 2, &rc) : NULL;
	CHECK_EQ_INT(rc, 0);
	CHECK_STR_EQ(s,
	             "[\n"
	             "  {\"name\": \"a,b\", \"n\": 3, \"ms\": 1.5, \"ok\": true, \"j\": [1, 2]},\n"
	             "  {\"name\": \"say \\\"hi\\\"\", \"n\": 0, \"ms\": 0.25, \"ok\": false, "
	             "\"j\": {\"k\": 5}},\n"
	             "  {\"name\": \"two\\nlines\\\\\\u0001\\t\", \"n\": 18446744073709551615, "
	             "\"ms\": 1e-07, \"ok\": true, \"j\": null}\n"
	             "]\n");
	free(s);
	tbl_free(t);
}

/* An empty table: the header alone, no rows; an empty JSON array. */
static void test_empty(void)
{
	struct tbl *t = tbl_new(mixed_cols, 6);
	int rc = -9;
	char *s = t ? rendered(t, 80, 1, &rc) : NULL;
	CHECK_STR_EQ(s, "name,n,ms,ok\n");
	free(s);
	s = t ? rendered(t, 80, 2, &rc) : NULL;
	CHECK_STR_EQ(s, "[]\n");
	free(s);
	s = t ? rendered(t, 80, 0, &rc) : NULL;
	CHECK_STR_EQ(s, "name n ms shown\n");
	free(s);
	tbl_free(t);
}

static const struct tbl_col fixed_cols[] = {
        {.head = "name",
         .key = "name",
         .kind = TBL_TEXT,
         .left = true,
         .min_width = 6,
         .max_width = 6},
        {.head = "t", .key = "t", .kind = TBL_TEXT, .left = true, .min_width = 4, .fixed = true},
        {.head = "v", .key = "v", .kind = TBL_DOUBLE, .min_width = 5, .fixed = true, .fmt = "%.1f"},
        {.head = "u", .key = "u", .kind = TBL_TEXT, .left = true, .gap = 2},
};

/* Fixed widths as printf's "%-6s" would give them (a longer cell overflows its line), a
 * cut at the maximum width, a wider gap, an indent, an unpadded last column, a null. */
static void test_fixed(void)
{
	struct tbl *t = tbl_new(fixed_cols, 4);
	if (!t)
		return;
	tbl_row(t);
	tbl_text(t, "abcdefghij");
	tbl_text(t, "x");
	tbl_double(t, 1.5);
	tbl_text(t, "cpu");
	tbl_row(t);
	tbl_text(t, "ab");
	tbl_text(t, "longer");
	tbl_null(t);
	tbl_show(t, "n/a");
	tbl_text(t, "gpu");
	int rc = -9;
	FILE *f = tmpfile();
	char buf[512] = "";
	if (f) {
		rc = tbl_print_text(t, f, 80, 2);
		rewind(f);
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
	}
	CHECK_EQ_INT(rc, 0);
	CHECK_STR_EQ(buf, "  name   t        v  u\n"
	                  "  abcde\xe2\x80\xa6 x      1.5  cpu\n"
	                  "  ab     longer   n/a  gpu\n");
	char *s = rendered(t, 80, 1, &rc);
	CHECK_STR_EQ(s, "name,t,v,u\nabcdefghij,x,1.5,cpu\nab,longer,,gpu\n");
	free(s);
	s = rendered(t, 80, 2, &rc);
	CHECK_STR_EQ(s, "[\n"
	                "  {\"name\": \"abcdefghij\", \"t\": \"x\", \"v\": 1.5, \"u\": \"cpu\"},\n"
	                "  {\"name\": \"ab\", \"t\": \"longer\", \"v\": null, \"u\": \"gpu\"}\n"
	                "]\n");
	free(s);
	tbl_free(t);
}

static const struct tbl_col sweep_cols[] = {
        {.head = "v", .key = "v,1", .kind = TBL_TEXT, .left = true, .min_width = 3, .fixed = true},
        {.head = "ms",
         .key = "ms",
         .kind = TBL_DOUBLE,
         .fmt = "%.1f",
         .csv_fmt = "%.3f",
         .min_width = 5,
         .fixed = true},
        {.head = "fits", .kind = TBL_TEXT, .in = TBL_IN_TEXT, .left = true, .bare = true},
        {.head = "n", .key = "n", .kind = TBL_DOUBLE},
        {.key = "lo", .kind = TBL_DOUBLE, .in = TBL_IN_JSON, .group = "range"},
        {.key = "hi", .kind = TBL_DOUBLE, .in = TBL_IN_JSON, .group = "range"},
        {.key = "sub", .kind = TBL_ROWS, .in = TBL_IN_JSON},
};

static const struct tbl_col sub_cols[] = {
        {.key = "k", .kind = TBL_TEXT},
        {.key = "x", .kind = TBL_UINT},
};

/* A sweep's table: unpadded cells, a CSV number format, whole numbers in a column of
 * measures, a note row, JSON groups and a table inside a cell; the CSV header quoted. */
static void test_sweep(void)
{
	struct tbl *t = tbl_new(sweep_cols, 7);
	struct tbl *sub = tbl_new(sub_cols, 2);
	if (!t || !sub) {
		tbl_free(t);
		tbl_free(sub);
		return;
	}
	tbl_row(sub);
	tbl_text(sub, "cpu");
	tbl_uint(sub, 7);
	tbl_row(t);
	tbl_text(t, "a");
	tbl_double(t, 12.25);
	tbl_text(t, "NO");
	tbl_uint(t, 9007199254740993u); /* 2^53 + 1: no double holds it */
	tbl_double(t, 0.5);
	tbl_double(t, 2);
	tbl_table(t, sub);
	tbl_row(t);
	tbl_text(t, "b");
	tbl_note(t, "invalid: one two three four five");
	for (int k = 0; k < 5; k++)
		tbl_null(t);
	tbl_table(t, NULL);
	int rc = -9;
	char *s = rendered(t, 24, 0, &rc);
	CHECK_EQ_INT(rc, 0);
	/* "fits" sets its column's width, "NO" is not padded to it; the note row wraps at
	 * 24 characters, its continuation indented two spaces */
	CHECK_STR_EQ(s, "v      ms fits                n\n"
	                "a    12.2 NO 9007199254740993\n"
	                "b   invalid: one two\n"
	                "  three four five\n");
	free(s);
	s = rendered(t, 80, 1, &rc);
	CHECK_STR_EQ(s, "\"v,1\",ms,n\n"
	                "a,12.250,9007199254740993\n"
	                "b,,\n");
	free(s);
	s = rendered(t, 80, 2, &rc);
	CHECK_STR_EQ(s, "[\n"
	                "  {\"v,1\": \"a\", \"ms\": 12.25, \"n\": 9007199254740993, \"range\": "
	                "{\"lo\": 0.5, \"hi\": 2}, \"sub\": [{\"k\": \"cpu\", \"x\": 7}]},\n"
	                "  {\"v,1\": \"b\", \"ms\": null, \"n\": null, \"range\": {\"lo\": null, "
	                "\"hi\": null}, \"sub\": []}\n"
	                "]\n");
	free(s);
	tbl_free(t);
}

static const struct tbl_col clip_cols[] = {
        {.head = "layer", .kind = TBL_TEXT, .left = true, .max_width = 5, .clip = true},
        {.head = "x", .kind = TBL_UINT},
};

/* A clipped column is cut at its maximum width without an ellipsis, by characters. */
static void test_clip(void)
{
	struct tbl *t = tbl_new(clip_cols, 2);
	if (!t)
		return;
	tbl_row(t);
	tbl_text(t, "\xc3\xa9t\xc3\xa9s-long");
	tbl_uint(t, 1);
	tbl_row(t);
	tbl_text(t, "ab");
	tbl_uint(t, 22);
	int rc = -9;
	char *s = rendered(t, 80, 0, &rc);
	CHECK_STR_EQ(s, "layer  x\n"
	                "\xc3\xa9t\xc3\xa9s-  1\n"
	                "ab    22\n");
	free(s);
	tbl_free(t);
}

/* jsonw's layouts: rows arrays one item a line even inside an inline object (closing
 * after the last item, or on a line of their own), and hanging members. */
static void test_jsonw_layouts(void)
{
	FILE *f = tmpfile();
	struct jsonw *w = f ? jw_new(f) : NULL;
	if (!w) {
		if (f)
			fclose(f);
		return;
	}
	jw_object(w, NULL, true);
	jw_string(w, "a", "x");
	jw_rows(w, "runs", 1, false);
	jw_object(w, NULL, true);
	jw_uint(w, "n", 1);
	jw_rows(w, "layers", 1, false);
	jw_object(w, NULL, true);
	jw_bool(w, "b", true);
	jw_end(w);
	jw_object(w, NULL, true);
	jw_end(w);
	jw_end(w);
	jw_end(w);
	jw_end(w);
	jw_end(w);
	jw_object(w, NULL, false);
	jw_array(w, "units", false);
	jw_object(w, NULL, true);
	jw_string(w, "unit", "cpu");
	jw_break(w);
	jw_double(w, "ms", 1.5);
	jw_break(w);
	jw_rows(w, "layers", 2, true);
	jw_object(w, NULL, true);
	jw_null(w, "v");
	jw_end(w);
	jw_end(w);
	jw_end(w);
	jw_object(w, NULL, true);
	jw_break(w);
	jw_rows(w, "layers", 2, true);
	jw_end(w);
	jw_end(w);
	jw_end(w);
	jw_end(w);
	jw_free(w);
	char *s = slurp(f);
	CHECK_STR_EQ(s, "{\"a\": \"x\", \"runs\": [\n"
	                " {\"n\": 1, \"layers\": [\n"
	                "  {\"b\": true},\n"
	                "  {}]}]}\n"
	                "{\n"
	                "  \"units\": [\n"
	                "    {\"unit\": \"cpu\",\n"
	                "     \"ms\": 1.5,\n"
	                "     \"layers\": [\n"
	                "       {\"v\": null}\n"
	                "     ]},\n"
	                "    {\n"
	                "     \"layers\": [\n"
	                "     ]}\n"
	                "  ]\n"
	                "}\n");
	free(s);
}

static const struct tbl_col html_cols[] = {
        {.head = "#", .kind = TBL_UINT, .in = TBL_IN_HTML, .plain_head = true},
        {.head = "layer", .kind = TBL_TEXT, .left = true},
        {.head = "share", .kind = TBL_DOUBLE, .fmt = "%.1f%%"},
        {.head = "csv", .key = "csv", .kind = TBL_UINT, .in = TBL_IN_CSV},
};

/* The HTML table: escaped text, class "num" on right-aligned columns (not on a plain
 * header), row attributes as given, CSV-only columns left out. */
static void test_html(void)
{
	struct tbl *t = tbl_new(html_cols, 4);
	if (!t)
		return;
	tbl_row(t);
	tbl_row_attr(t, "data-rank=\"1\"");
	tbl_uint(t, 1);
	tbl_text(t, "a<b>&\"c\"");
	tbl_double(t, 12.34);
	tbl_uint(t, 5);
	tbl_row(t);
	tbl_uint(t, 2);
	tbl_text(t, "d");
	tbl_double(t, 0);
	tbl_uint(t, 6);
	struct augur_strbuf b = {0};
	CHECK_EQ_INT(tbl_write_html(t, &b, "top"), 0);
	CHECK_STR_EQ(b.data,
	             "<table class=\"top\"><tr><th>#</th><th>layer</th>"
	             "<th class=\"num\">share</th></tr>\n"
	             "<tr data-rank=\"1\"><td class=\"num\">1</td>"
	             "<td>a&lt;b&gt;&amp;&quot;c&quot;</td><td class=\"num\">12.3%</td></tr>\n"
	             "<tr><td class=\"num\">2</td><td>d</td><td class=\"num\">0.0%</td></tr>\n"
	             "</table>\n");
	augur_strbuf_clear(&b);
	tbl_free(t);
}

int main(void)
{
	test_width();
	test_cells();
	test_csv();
	test_json();
	test_empty();
	test_fixed();
	test_sweep();
	test_clip();
	test_jsonw_layouts();
	test_html();
	return check_finish();
}
