/* The record table: one description of a command's rows (columns with a header, a JSON
 * and CSV key, a kind and an alignment), rows added once, and four renderings of them: a
 * text table within the terminal's width (cli_width), RFC 4180 CSV, an array of one-line
 * JSON objects written through jsonw inside whatever document the command writes, and an
 * HTML table for report's pages. Commands describe their rows here instead of printing
 * each format by hand. */
#ifndef AUGUR_TABLE_H
#define AUGUR_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jsonw.h"
#include "strbuf.h"

/* What a cell holds and how each format shows it. */
enum tbl_kind {
	TBL_TEXT,   /* a string: as is; JSON string; CSV field quoted when needed */
	TBL_UINT,   /* an exact count: %llu everywhere */
	TBL_COUNT,  /* a count: "86.7M" (cli_count) in the table, exact in CSV and JSON */
	TBL_BYTES,  /* a byte size: "12.3 MiB" (cli_bytes) in the table, exact elsewhere */
	TBL_MS,     /* milliseconds: cli_ms in the table, %.6g in CSV and JSON */
	TBL_DOUBLE, /* a number: the column's fmt in the table ("%.2f"), %.6g elsewhere */
	TBL_BOOL,   /* yes/no in the table, 1/0 in CSV, true/false in JSON */
	TBL_JSON,   /* a JSON value the command made (an array, an object, null): verbatim */
	TBL_ROWS,   /* a table of its own (tbl_table), written as its array of objects in
	             * JSON; nothing in the text table and CSV */
};

/* Which renderings show a column. */
enum { TBL_IN_TEXT = 1, TBL_IN_CSV = 2, TBL_IN_JSON = 4, TBL_IN_HTML = 8, TBL_IN_ALL = 15 };

struct tbl_col {
	const char *head;    /* the text table's header */
	const char *key;     /* the JSON member's name and the CSV header */
	const char *fmt;     /* TBL_DOUBLE's table format ("%.2f"); NULL: "%.6g" */
	const char *csv_fmt; /* TBL_MS's and TBL_DOUBLE's CSV format ("%.6f"); NULL: "%.6g" */
	const char *group;   /* JSON: consecutive columns of one group are the members of
	                      * an object of that name ("ms": {"median": ..., "p10": ...}) */
	enum tbl_kind kind;
	unsigned in;     /* TBL_IN_* bits; 0 reads as TBL_IN_ALL */
	int min_width;   /* the text column is at least this wide */
	int max_width;   /* and at most this wide (cut with an ellipsis); 0: no limit */
	int gap;         /* spaces before the column (0: one; the first column has none) */
	int drop;        /* 1, 2, ...: left out of the text table in this order when it is too
	                  * wide for the terminal; 0: always shown */
	bool left;       /* left-aligned in the text table (else right) */
	bool cut;        /* cut with an ellipsis (down to 12 characters) when still too wide */
	bool fixed;      /* as wide as min_width (or the header) whatever the cells: a longer
	                  * cell overflows its line, as printf's "%-9s" does */
	bool clip;       /* cut at max_width without an ellipsis, as printf's "%.30s" */
	bool bare;       /* cells written as they are, never padded, as printf's "%s" (the
	                  * header still counts for the width that has to fit) */
	bool plain_head; /* HTML: a right-aligned column's header without class "num" */
};

struct tbl;

/* A table of the n columns cols (kept by pointer: a static table). NULL when out of
 * memory. Free it with tbl_free (NULL is fine). */
struct tbl *tbl_new(const struct tbl_col *cols, size_t n);
void tbl_free(struct tbl *t);

/* Starts a row; the cells that follow fill it from the first column on, one call per
 * column in the order of cols. A failed allocation is remembered: the renderings then
 * return -1. */
void tbl_row(struct tbl *t);
void tbl_text(struct tbl *t, const char *s); /* TBL_TEXT, or TBL_JSON's literal */
/* TBL_UINT, TBL_COUNT, TBL_BYTES, TBL_BOOL; in a TBL_MS or TBL_DOUBLE column a whole
 * number written exactly in every format (a column whose rows are counts or measures) */
void tbl_uint(struct tbl *t, uint64_t v);
void tbl_double(struct tbl *t, double v); /* TBL_MS, TBL_DOUBLE */
void tbl_null(struct tbl *t); /* no value: null in JSON, an empty CSV field, "" in the table */
/* A stream whose text becomes the next cell (TBL_TEXT, or a TBL_JSON value written with
 * fprintf) at tbl_end_stream; NULL when out of memory (the table has then failed, and
 * tbl_end_stream still moves to the next column). */
FILE *tbl_stream(struct tbl *t);
void tbl_end_stream(struct tbl *t);
/* Shows the last cell as text in the text table instead of its value ("in-place", "-"). */
void tbl_show(struct tbl *t, const char *text);
/* HTML: the attributes of the row's <tr> (data-layer="conv1"), as markup. */
void tbl_row_attr(struct tbl *t, const char *attrs);
/* TBL_ROWS: the cell is the table sub, which the table now owns (NULL: an empty array). */
void tbl_table(struct tbl *t, struct tbl *sub);
/* The text table shows the rest of this row, from the next cell on, as text instead of
 * cells (a variant that failed: "invalid: REASON"): after the row's cells so far, the
 * line is wrapped at the table's width, continuation lines indented two spaces more. The
 * row's cells are still given, for CSV and JSON. */
void tbl_note(struct tbl *t, const char *text);

size_t tbl_rows(const struct tbl *t);

/* The text table on f, each line after indent spaces: a header line, then one line per
 * row; columns as wide as their widest cell (within min_width and max_width), separated
 * by their gap; a left-aligned last column is not padded. When the line is wider than
 * width, the columns with a drop rank are left out in that order until it fits, then the
 * cut column is shortened. Returns how many columns were left out (0: all shown), -1 when
 * out of memory. */
int tbl_print_text(const struct tbl *t, FILE *f, int width, int indent);

/* The CSV form on f: the keys, then one line per row. 0, or -1 when out of memory. */
int tbl_print_csv(const struct tbl *t, FILE *f);

/* An array named key (NULL inside an array) of one object per row, each on its own line,
 * its members on that line. 0, or -1 when out of memory. */
int tbl_write_json(const struct tbl *t, struct jsonw *w, const char *key);
/* The HTML table of class cls on b: a header row of <th>, then a <tr> of <td> per row;
 * right-aligned columns have class "num", text is escaped. 0, or -1 when out of memory. */
int tbl_write_html(const struct tbl *t, struct augur_strbuf *b, const char *cls);
/* The rows alone, one object each, into the array the caller opened (jw_array, jw_rows). */
int tbl_write_json_rows(const struct tbl *t, struct jsonw *w);

#endif
