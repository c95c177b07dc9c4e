/* Protobuf text format parser (see pbtext.h): a one-token-lookahead tokenizer and a
 * recursive descent over "name: value", "name { ... }" and "name: [v, ...]". Written for
 * Caffe's prototxt files; extensions ("[ext.field]") and the Any syntax are not accepted. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pbtext.h"

enum tok_kind { TOK_EOF, TOK_IDENT, TOK_NUMBER, TOK_STRING, TOK_PUNCT };

struct token {
	enum tok_kind kind;
	uint32_t line, col;
	const char *start; /* ident, number: the text in the buffer */
	size_t len;
	char punct;
	char *str; /* string: decoded bytes (heap), NUL-terminated */
	size_t slen;
};

struct parser {
	const char *path;
	struct augur_diag *diag;
	const char *p, *end;
	uint32_t line, col;
	size_t fields;
	struct token cur;
};

static void err_fill(struct parser *ps, int code, uint32_t line, uint32_t col, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));
/* err_at returns the error code: a macro over err_fill, so the static analyser (which does
 * not follow variadic functions) sees a failure stay a failure. */
#define err_at(ps, code, ...) (err_fill((ps), (code), __VA_ARGS__), (code))

static void err_fill(struct parser *ps, int code, uint32_t line, uint32_t col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	augur_diag_vfill(ps->diag, code, ps->path, line, col, fmt, ap);
	va_end(ap);
}

const char *augur_pb_kind_name(enum augur_pb_kind kind)
{
	switch (kind) {
	case AUGUR_PB_IDENT:
		return "a name";
	case AUGUR_PB_NUMBER:
		return "a number";
	case AUGUR_PB_STRING:
		return "a string";
	case AUGUR_PB_MESSAGE:
		return "a message";
	}
	return "?";
}

/* What a token is, for "expected X, got Y" messages. */
static void describe(const struct token *t, char *buf, size_t size)
{
	switch (t->kind) {
	case TOK_EOF:
		snprintf(buf, size, "end of file");
		break;
	case TOK_STRING:
		snprintf(buf, size, "a string");
		break;
	case TOK_PUNCT:
		snprintf(buf, size, "'%c'", t->punct);
		break;
	default:
		snprintf(buf, size, "'%.*s'", t->len > 40 ? 40 : (int)t->len, t->start);
	}
}

static void advance(struct parser *ps, size_t n)
{
	for (size_t i = 0; i < n && ps->p < ps->end; i++, ps->p++) {
		if (*ps->p == '\n') {
			ps->line++;
			ps->col = 1;
		} else {
			ps->col++;
		}
	}
}

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes the escape at ps->p (the backslash) of a string on line into *c; ec is the
 * escape's column. */
static int scan_escape(struct parser *ps, uint32_t line, uint32_t ec, char *c)
{
	char e = ps->p + 1 < ps->end ? ps->p[1] : '\0';
	advance(ps, 2);
	switch (e) {
	case 'n':
		*c = '\n';
		break;
	case 't':
		*c = '\t';
		break;
	case 'r':
		*c = '\r';
		break;
	case 'a':
		*c = '\a';
		break;
	case 'b':
		*c = '\b';
		break;
	case 'f':
		*c = '\f';
		break;
	case 'v':
		*c = '\v';
		break;
	case '\\':
	case '\'':
	case '"':
	case '?':
		*c = e;
		break;
	case 'x':
	case 'X': {
		int v = 0, digits = 0, h;
		while (digits < 2 && ps->p < ps->end && (h = hex_value(*ps->p)) >= 0) {
			v = v * 16 + h;
			digits++;
			advance(ps, 1);
		}
		if (!digits)
			return err_at(ps, AUGUR_E_SYNTAX, line, ec,
			              "bad escape '\\x' in string (expected hex digits)");
		*c = (char)v;
		break;
	}
	default:
		if (e >= '0' && e <= '7') {
			int v = e - '0', digits = 1;
			while (digits < 3 && ps->p < ps->end && *ps->p >= '0' && *ps->p <= '7') {
				v = v * 8 + (*ps->p - '0');
				digits++;
				advance(ps, 1);
			}
			*c = (char)(v & 0xff);
			break;
		}
		return err_at(ps, AUGUR_E_SYNTAX, line, ec, "unknown escape '\\%c' in string",
		              e ? e : ' ');
	}
	return AUGUR_OK;
}

/* Decodes one quoted string starting at ps->p (the quote) into t->str. */
static int scan_string(struct parser *ps, struct token *t)
{
	char quote = *ps->p;
	uint32_t line = ps->line, col = ps->col;
	char *out = malloc(64);
	size_t len = 0, cap = 64;
	if (!out)
		return err_at(ps, AUGUR_E_NOMEM, line, col, "out of memory");
	advance(ps, 1);
	int rc = AUGUR_OK;
	for (;;) {
		if (ps->p >= ps->end || *ps->p == '\n') {
			rc = err_at(ps, AUGUR_E_SYNTAX, line, col,
			            "unterminated string (expected a closing %c before the end of "
			            "the line)",
			            quote);
			goto fail;
		}
		char c = *ps->p;
		uint32_t ec = ps->col;
		if (c == quote) {
			advance(ps, 1);
			break;
		}
		if (c == '\\') {
			if ((rc = scan_escape(ps, line, ec, &c)))
				goto fail;
		} else {
			advance(ps, 1);
		}
		if (c == '\0') {
			rc = err_at(ps, AUGUR_E_SYNTAX, line, ec, "string contains a NUL byte");
			goto fail;
		}
		if (len >= AUGUR_PB_MAX_STRING) {
			rc = err_at(ps, AUGUR_E_LIMIT, line, col,
			            "string is too long (the limit is %u bytes)",
			            AUGUR_PB_MAX_STRING);
			goto fail;
		}
		if (len + 1 >= cap) {
			char *n = realloc(out, cap * 2);
			if (!n) {
				rc = err_at(ps, AUGUR_E_NOMEM, line, col, "out of memory");
				goto fail;
			}
			out = n;
			cap *= 2;
		}
		out[len++] = c;
	}
	out[len] = '\0';
	t->str = out;
	t->slen = len;
	return AUGUR_OK;
fail:
	free(out);
	return rc;
}

/* Reads the next token into ps->cur (freeing the previous one's string). */
static int next(struct parser *ps)
{
	free(ps->cur.str);
	memset(&ps->cur, 0, sizeof(ps->cur));
	struct token *t = &ps->cur;
	for (;;) {
		while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
		                           *ps->p == '\r' || *ps->p == '\f' || *ps->p == '\v'))
			advance(ps, 1);
		if (ps->p < ps->end && *ps->p == '#') {
			while (ps->p < ps->end && *ps->p != '\n')
				advance(ps, 1);
			continue;
		}
		break;
	}
	t->line = ps->line;
	t->col = ps->col;
	if (ps->p >= ps->end) {
		t->kind = TOK_EOF;
		return AUGUR_OK;
	}
	char c = *ps->p;
	t->start = ps->p;
	if (c == '"' || c == '\'') {
		t->kind = TOK_STRING;
		return scan_string(ps, t);
	}
	if (is_ident_start(c)) {
		size_t n = 1;
		while (ps->p + n < ps->end && is_ident_char(ps->p[n]))
			n++;
		t->kind = TOK_IDENT;
		t->len = n;
		advance(ps, n);
		return AUGUR_OK;
	}
	bool sign = c == '-' || c == '+';
	char after = ps->p + 1 < ps->end ? ps->p[1] : '\0';
	if (is_digit(c) || (c == '.' && is_digit(after)) ||
	    (sign && (is_digit(after) || after == '.' || is_ident_start(after)))) {
		/* the whole word, so "12abc" is one bad number rather than two tokens */
		size_t n = 1;
		while (ps->p + n < ps->end && (is_ident_char(ps->p[n]) || ps->p[n] == '.' ||
		                               ((ps->p[n] == '-' || ps->p[n] == '+') &&
		                                (ps->p[n - 1] == 'e' || ps->p[n - 1] == 'E'))))
			n++;
		t->kind = TOK_NUMBER;
		t->len = n;
		advance(ps, n);
		return AUGUR_OK;
	}
	if (strchr("{}<>[]:,;", c) && c) {
		t->kind = TOK_PUNCT;
		t->punct = c;
		t->len = 1;
		advance(ps, 1);
		return AUGUR_OK;
	}
	if ((unsigned char)c >= 0x21 && (unsigned char)c < 0x7f)
		return err_at(ps, AUGUR_E_SYNTAX, t->line, t->col, "unexpected character '%c'", c);
	return err_at(ps, AUGUR_E_SYNTAX, t->line, t->col, "unexpected byte 0x%02x",
	              (unsigned char)c);
}

static bool at_punct(const struct parser *ps, char c)
{
	return ps->cur.kind == TOK_PUNCT && ps->cur.punct == c;
}

static void free_fields(struct augur_pbfield *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(fields[i].name);
		free(fields[i].text);
		free_fields(fields[i].fields, fields[i].len);
	}
	free(fields);
}

/* Appends f (moved in) to msg; on failure f still belongs to the caller. */
static int push(struct parser *ps, struct augur_pbfield *msg, size_t *cap,
                const struct augur_pbfield *f)
{
	if (ps->fields >= AUGUR_PB_MAX_FIELDS)
		return err_at(ps, AUGUR_E_LIMIT, f->line, f->col,
		              "too many fields (the limit is %u)", AUGUR_PB_MAX_FIELDS);
	if (msg->len == *cap) {
		/* most messages (a layer, its *_param) hold a handful of fields */
		size_t ncap = *cap ? *cap * 2 : 4;
		struct augur_pbfield *n = realloc(msg->fields, ncap * sizeof(*n));
		if (!n)
			return err_at(ps, AUGUR_E_NOMEM, f->line, f->col, "out of memory");
		msg->fields = n;
		*cap = ncap;
	}
	msg->fields[msg->len++] = *f;
	ps->fields++;
	return AUGUR_OK;
}

static int parse_body(struct parser *ps, struct augur_pbfield *msg, int depth, char close,
                      uint32_t open_line, uint32_t open_col);

/* A '{ ... }' or '< ... >' value; the opening punct is the current token. */
static int parse_message(struct parser *ps, struct augur_pbfield *f, int depth)
{
	char open = ps->cur.punct;
	uint32_t line = ps->cur.line, col = ps->cur.col;
	if (depth + 1 > AUGUR_PB_MAX_DEPTH)
		return err_at(ps, AUGUR_E_LIMIT, line, col,
		              "nesting is too deep (the limit is %d levels)", AUGUR_PB_MAX_DEPTH);
	f->kind = AUGUR_PB_MESSAGE;
	f->vline = line;
	f->vcol = col;
	int rc = next(ps);
	if (rc)
		return rc;
	return parse_body(ps, f, depth + 1, open == '{' ? '}' : '>', line, col);
}

/* One scalar (joining adjacent strings) or message value for field f. */
static int parse_value(struct parser *ps, struct augur_pbfield *f, int depth)
{
	struct token *t = &ps->cur;
	f->vline = t->line;
	f->vcol = t->col;
	if (at_punct(ps, '{') || at_punct(ps, '<'))
		return parse_message(ps, f, depth);
	if (t->kind == TOK_IDENT || t->kind == TOK_NUMBER) {
		f->kind = t->kind == TOK_IDENT ? AUGUR_PB_IDENT : AUGUR_PB_NUMBER;
		if (!(f->text = strndup(t->start, t->len)))
			return err_at(ps, AUGUR_E_NOMEM, t->line, t->col, "out of memory");
		return next(ps);
	}
	if (t->kind == TOK_STRING) {
		f->kind = AUGUR_PB_STRING;
		f->text = t->str;
		size_t len = t->slen;
		t->str = NULL;
		int rc;
		while ((rc = next(ps)) == AUGUR_OK && ps->cur.kind == TOK_STRING) {
			/* "a" "b" is "ab", as in C */
			if (len + ps->cur.slen > AUGUR_PB_MAX_STRING)
				return err_at(ps, AUGUR_E_LIMIT, f->vline, f->vcol,
				              "string is too long (the limit is %u bytes)",
				              AUGUR_PB_MAX_STRING);
			char *n = realloc(f->text, len + ps->cur.slen + 1);
			if (!n)
				return err_at(ps, AUGUR_E_NOMEM, f->vline, f->vcol,
				              "out of memory");
			memcpy(n + len, ps->cur.str, ps->cur.slen + 1);
			f->text = n;
			len += ps->cur.slen;
		}
		return rc;
	}
	char got[64];
	describe(t, got, sizeof(got));
	return err_at(ps, AUGUR_E_SYNTAX, t->line, t->col, "expected a value for '%s', got %s",
	              f->name, got);
}

static void field_clear(struct augur_pbfield *f)
{
	free(f->name);
	free(f->text);
	free_fields(f->fields, f->len);
	memset(f, 0, sizeof(*f));
}

/* Fields up to close (or end of file for the root, close == 0). */
static int parse_body(struct parser *ps, struct augur_pbfield *msg, int depth, char close,
                      uint32_t open_line, uint32_t open_col)
{
	size_t cap = 0;
	int rc;
	for (;;) {
		struct token *t = &ps->cur;
		if (t->kind == TOK_EOF) {
			if (!close)
				return AUGUR_OK;
			return err_at(
			        ps, AUGUR_E_SYNTAX, open_line, open_col,
			        "'%s' opened here is never closed (expected '%c' before the end "
			        "of the file)",
			        msg->name, close);
		}
		if (close && at_punct(ps, close))
			return next(ps);
		if (t->kind != TOK_IDENT) {
			char got[64];
			describe(t, got, sizeof(got));
			if (t->kind == TOK_PUNCT && (t->punct == '}' || t->punct == '>'))
				return err_at(ps, AUGUR_E_SYNTAX, t->line, t->col,
				              "unexpected '%c' (no open message to close here)",
				              t->punct);
			if (t->kind == TOK_PUNCT && t->punct == '[')
				return err_at(ps, AUGUR_E_SYNTAX, t->line, t->col,
				              "extension fields ('[name]') are not supported");
			return err_at(ps, AUGUR_E_SYNTAX, t->line, t->col,
			              "expected a field name, got %s", got);
		}
		struct augur_pbfield f = {.line = t->line, .col = t->col};
		if (!(f.name = strndup(t->start, t->len)))
			return err_at(ps, AUGUR_E_NOMEM, t->line, t->col, "out of memory");
		if ((rc = next(ps)))
			goto fail;
		if (at_punct(ps, '{') || at_punct(ps, '<')) {
			if ((rc = parse_message(ps, &f, depth)))
				goto fail;
		} else if (at_punct(ps, ':')) {
			if ((rc = next(ps)))
				goto fail;
			if (at_punct(ps, '[')) {
				/* name: [a, b] is name: a name: b */
				uint32_t lline = ps->cur.line, lcol = ps->cur.col;
				if ((rc = next(ps)))
					goto fail;
				bool first = true;
				while (!at_punct(ps, ']')) {
					if (ps->cur.kind == TOK_EOF) {
						rc = err_at(
						        ps, AUGUR_E_SYNTAX, lline, lcol,
						        "'[' opened here is never closed (expected "
						        "']')");
						goto fail;
					}
					if (!first) {
						if (!at_punct(ps, ',')) {
							char got[64];
							describe(&ps->cur, got, sizeof(got));
							rc = err_at(
							        ps, AUGUR_E_SYNTAX, ps->cur.line,
							        ps->cur.col,
							        "expected ',' or ']' in the list for "
							        "'%s', got %s",
							        f.name, got);
							goto fail;
						}
						if ((rc = next(ps)))
							goto fail;
					}
					first = false;
					struct augur_pbfield item = {.line = f.line, .col = f.col};
					if (!(item.name = strdup(f.name))) {
						rc = err_at(ps, AUGUR_E_NOMEM, f.line, f.col,
						            "out of memory");
						goto fail;
					}
					if ((rc = parse_value(ps, &item, depth))) {
						field_clear(&item);
						goto fail;
					}
					if ((rc = push(ps, msg, &cap, &item))) {
						field_clear(&item);
						goto fail;
					}
				}
				field_clear(&f);
				if ((rc = next(ps)))
					return rc;
				goto separator;
			}
			if ((rc = parse_value(ps, &f, depth)))
				goto fail;
		} else {
			char got[64];
			describe(&ps->cur, got, sizeof(got));
			rc = err_at(ps, AUGUR_E_SYNTAX, ps->cur.line, ps->cur.col,
			            "expected ':' or '{' after field '%s', got %s", f.name, got);
			goto fail;
		}
		if ((rc = push(ps, msg, &cap, &f)))
			goto fail;
	separator:
		if ((at_punct(ps, ',') || at_punct(ps, ';')) && (rc = next(ps)))
			return rc;
		continue;
	fail:
		field_clear(&f);
		return rc;
	}
}

int augur_pbtext_parse(const char *path, const char *buf, size_t len, struct augur_pbfield **out,
                       struct augur_diag *diag)
{
	*out = NULL;
	struct parser ps = {
	        .path = path, .diag = diag, .p = buf, .end = buf + len, .line = 1, .col = 1};
	/* a UTF-8 byte order mark is not content */
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		ps.p += 3;
	struct augur_pbfield *root = calloc(1, sizeof(*root));
	if (!root || !(root->name = strdup(""))) {
		free(root);
		return augur_diag_set(diag, AUGUR_E_NOMEM, path, 0, 0, "out of memory");
	}
	root->kind = AUGUR_PB_MESSAGE;
	root->line = root->col = root->vline = root->vcol = 1;
	int rc = next(&ps);
	if (rc == AUGUR_OK)
		rc = parse_body(&ps, root, 0, 0, 1, 1);
	free(ps.cur.str);
	if (rc) {
		augur_pbtext_free(root);
		return rc;
	}
	*out = root;
	return AUGUR_OK;
}

void augur_pbtext_free(struct augur_pbfield *root)
{
	if (!root)
		return;
	free(root->name);
	free(root->text);
	free_fields(root->fields, root->len);
	free(root);
}
