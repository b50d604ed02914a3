/*
 * server/odata/odata_filter_lex.c - the $filter lexer: the per-expression arena,
 * tokens (names, strings, integers, unquoted GUIDs and DateTimeOffsets),
 * literal decoding, and the syntax-error text with its position.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odata_filter_lex.h"

/* ---- arena: every node and string of one expression, freed at once ---- */

#define ARENA_CHUNK 4096
#define ARENA_ALIGN 16

static size_t chunk_hdr(void)
{
	return (sizeof(struct odata_arena_chunk) + ARENA_ALIGN - 1) &
	       ~(size_t)(ARENA_ALIGN - 1);
}

void *odata_arena_alloc(struct odata_expr *e, size_t size)
{
	struct odata_arena_chunk *c = e->chunks;
	unsigned char *p;

	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (!c || c->cap - c->used < size) {
		size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		c = malloc(chunk_hdr() + cap);
		if (!c)
			return NULL;
		c->cap = cap;
		c->used = 0;
		c->next = e->chunks;
		e->chunks = c;
	}
	p = (unsigned char *)c + chunk_hdr() + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

/* ---- lexer ---- */

static bool is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Length of an unquoted GUID at @s, or 0. */
static size_t guid_len(const char *s, size_t len)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t i;

	if (len < 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (shape[i] == '-' ? s[i] != '-' : !is_hex((unsigned char)s[i]))
			return 0;
	}
	if (len > 36 && (odata_is_name_char((unsigned char)s[36]) || s[36] == '-'))
		return 0;
	return 36;
}

static size_t string_len(const char *s, size_t len)
{
	size_t i = 1;

	while (i < len) {
		if (s[i] == '\'') {
			if (i + 1 < len && s[i + 1] == '\'') {
				i += 2;
				continue;
			}
			return i + 1;
		}
		i++;
	}
	return 0; /* unterminated */
}

struct odata_tok odata_lex_at(const struct odata_parser *p, size_t pos)
{
	const char *s = p->src;
	struct odata_tok t = {T_BAD, pos, 1};
	struct iso_time tm;
	size_t n, rest;

	while (pos < p->len &&
	       (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\r' || s[pos] == '\n'))
		pos++;
	t.pos = pos;
	rest = p->len - pos;
	if (!rest) {
		t.kind = T_EOF;
		t.len = 0;
		return t;
	}
	switch (s[pos]) {
	case '(':
		t.kind = T_LPAREN;
		return t;
	case ')':
		t.kind = T_RPAREN;
		return t;
	case ',':
		t.kind = T_COMMA;
		return t;
	case '/':
		t.kind = T_SLASH;
		return t;
	case ':':
		t.kind = T_COLON;
		return t;
	case '\'':
		n = string_len(s + pos, rest);
		if (n) {
			t.kind = T_STRING;
			t.len = n;
		}
		return t;
	default:
		break;
	}
	n = guid_len(s + pos, rest);
	if (n) {
		t.kind = T_GUID;
		t.len = n;
		return t;
	}
	n = iso_time_parse(s + pos, rest, true, &tm);
	if (n && (pos + n == p->len || !odata_is_name_char((unsigned char)s[pos + n]))) {
		t.kind = T_DATETIME;
		t.len = n;
		return t;
	}
	if (rest > 7 && s[pos + 4] == '-' && strspn(s + pos, "0123456789") == 4 &&
	    s[pos + 5] >= '0' && s[pos + 5] <= '9') {
		t.kind = T_BADTIME;
		return t;
	}
	if ((s[pos] >= '0' && s[pos] <= '9') ||
	    (s[pos] == '-' && rest > 1 && s[pos + 1] >= '0' && s[pos + 1] <= '9')) {
		n = 1;
		while (n < rest && s[pos + n] >= '0' && s[pos + n] <= '9')
			n++;
		if (n < rest && odata_is_name_char((unsigned char)s[pos + n]))
			return t; /* "12abc", "2024-01-01" dates without time, ... */
		t.kind = T_INT;
		t.len = n;
		return t;
	}
	if (odata_is_name_char((unsigned char)s[pos]) || s[pos] == '$') {
		n = 1;
		while (n < rest && odata_is_name_char((unsigned char)s[pos + n]))
			n++;
		t.kind = T_IDENT;
		t.len = n;
	}
	return t;
}

void odata_lex_advance(struct odata_parser *p)
{
	p->tok = odata_lex_at(p, p->tok.pos + p->tok.len);
}

bool odata_tok_is(const struct odata_parser *p, const struct odata_tok *t,
                  const char *word)
{
	size_t n = strlen(word);

	return t->kind == T_IDENT && t->len == n &&
	       !odata_strncasecmp(p->src + t->pos, word, n);
}

/*
 * Syntax errors quote the whole $filter (ODataLib style, 0-based position);
 * very long input is cut so the message stays bounded.
 */
void *odata_syntax_error(struct odata_parser *p, size_t pos, const char *what)
{
	int shown = p->len > 300 ? 300 : (int)p->len;

	odata_err_set(p->err, GERR_BAD_REQUEST,
	              "Syntax error at position %zu in '%.*s%s'. %s", pos, shown, p->src,
	              p->len > 300 ? "..." : "", what);
	return NULL;
}

/* What to say about the current token when it cannot start what we expect. */
const char *odata_bad_tok_msg(const struct odata_parser *p, const char *dflt)
{
	if (p->tok.kind == T_BADTIME)
		return "Invalid DateTimeOffset literal (expected e.g. "
		       "2024-01-01T00:00:00Z).";
	if (p->tok.kind != T_BAD)
		return dflt;
	if (p->src[p->tok.pos] == '\'')
		return "Unterminated string literal.";
	return "Unexpected character.";
}

void *odata_parse_oom(struct odata_parser *p)
{
	odata_err_set(p->err, GERR_INTERNAL, "Out of memory while parsing $filter.");
	return NULL;
}

char *odata_arena_strndup(struct odata_expr *e, const char *s, size_t n)
{
	char *d = odata_arena_alloc(e, n + 1);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* ---- literals ---- */

bool odata_is_literal_tok(const struct odata_parser *p, const struct odata_tok *t)
{
	switch (t->kind) {
	case T_STRING:
	case T_INT:
	case T_GUID:
	case T_DATETIME:
		return true;
	case T_IDENT:
		return odata_tok_is(p, t, "null") || odata_tok_is(p, t, "true") ||
		       odata_tok_is(p, t, "false");
	default:
		return false;
	}
}

static bool parse_int(const char *s, size_t n, long long *out)
{
	bool neg = *s == '-';
	unsigned long long v = 0,
	                   lim = neg ? 9223372036854775808ULL : 9223372036854775807ULL;
	size_t i;

	for (i = neg; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (v > (lim - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = neg ? (long long)(0 - v) : (long long)v;
	return true;
}

/* Consume the current literal token into @lit. */
bool odata_parse_literal(struct odata_parser *p, struct flit *lit)
{
	const struct odata_tok t = p->tok;
	const char *s = p->src + t.pos;
	size_t i, o;
	char *d;

	lit->pos = t.pos;
	switch (t.kind) {
	case T_STRING:
		d = odata_arena_alloc(p->e, t.len);
		if (!d)
			return odata_parse_oom(p) != NULL;
		for (i = 1, o = 0; i + 1 < t.len; i++) {
			d[o++] = s[i];
			if (s[i] == '\'')
				i++; /* '' -> ' */
		}
		lit->kind = FL_STRING;
		lit->s = d;
		lit->len = o;
		break;
	case T_GUID:
		d = odata_arena_strndup(p->e, s, t.len);
		if (!d)
			return odata_parse_oom(p) != NULL;
		lit->kind = FL_GUID;
		lit->s = d;
		lit->len = t.len;
		break;
	case T_DATETIME:
		lit->kind = FL_DATETIME;
		iso_time_parse(s, t.len, true, &lit->t);
		break;
	case T_INT:
		if (!parse_int(s, t.len, &lit->i))
			return odata_syntax_error(
			           p, t.pos, "Integer literal out of range.") != NULL;
		lit->kind = FL_INT;
		break;
	default:
		if (odata_tok_is(p, &t, "null")) {
			lit->kind = FL_NULL;
		} else if (odata_tok_is(p, &t, "true") || odata_tok_is(p, &t, "false")) {
			lit->kind = FL_BOOL;
			lit->b = odata_tok_is(p, &t, "true");
		} else {
			return odata_syntax_error(p, t.pos,
			                          "Expected a literal value.") != NULL;
		}
		break;
	}
	odata_lex_advance(p);
	return true;
}
