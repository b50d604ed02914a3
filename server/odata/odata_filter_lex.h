/*
 * server/odata/odata_filter_lex.h - private between odata_filter_lex.c (arena,
 * lexer, literals, error reporting) and odata_filter.c (the grammar): the
 * parser state and token types. Nothing else includes it.
 */
#ifndef GRAPHMOCK_SERVER_ODATA_ODATA_FILTER_LEX_H
#define GRAPHMOCK_SERVER_ODATA_ODATA_FILTER_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "odata_filter_ast.h"
#include "odata_util.h"

/* Every node and string of one expression lives in one arena, freed at once. */
struct odata_arena_chunk {
	struct odata_arena_chunk *next;
	size_t used;
	size_t cap;
};

struct odata_expr {
	struct odata_arena_chunk *chunks;
	struct fnode *root;
};

enum odata_tok_kind {
	T_EOF,
	T_LPAREN,
	T_RPAREN,
	T_COMMA,
	T_SLASH,
	T_COLON,
	T_IDENT, /* names, keywords, true/false/null, $count */
	T_STRING,
	T_INT,
	T_GUID,
	T_DATETIME,
	T_BAD,
	T_BADTIME, /* looks like a date but is not a valid DateTimeOffset */
};

struct odata_tok {
	enum odata_tok_kind kind;
	size_t pos; /* offset of the first byte */
	size_t len; /* bytes in the source */
};

struct odata_parser {
	const char *src;
	size_t len;
	struct odata_tok tok; /* current token */
	struct odata_expr *e;
	const struct odata_entity *entity;
	struct odata_err *err;
	int depth;
	/* lambda variables in scope, innermost last */
	const char *vars[ODATA_MAX_LAMBDA];
	size_t varlen[ODATA_MAX_LAMBDA];
	const struct odata_prop *varprop[ODATA_MAX_LAMBDA];
	enum odata_type vartype[ODATA_MAX_LAMBDA];
	enum fpath_type varft[ODATA_MAX_LAMBDA];
	int nvars;
};

/* odata_arena_alloc() - zeroed, 16-byte aligned memory owned by @e; NULL on OOM. */
void *odata_arena_alloc(struct odata_expr *e, size_t size);
char *odata_arena_strndup(struct odata_expr *e, const char *s, size_t n);

/* odata_lex_at() - the token starting at or after @pos (whitespace skipped). */
struct odata_tok odata_lex_at(const struct odata_parser *p, size_t pos);
/* odata_lex_advance() - move p->tok to the next token. */
void odata_lex_advance(struct odata_parser *p);
/* odata_tok_is() - is @t the identifier @word (case-insensitive)? */
bool odata_tok_is(const struct odata_parser *p, const struct odata_tok *t,
                  const char *word);

/*
 * Error reporters: set p->err (400 BadRequest "Syntax error at position N in
 * '<filter>'. <what>", or 500 on OOM) and return NULL so callers can
 * `return odata_syntax_error(...)` from pointer-returning functions.
 */
void *odata_syntax_error(struct odata_parser *p, size_t pos, const char *what);
void *odata_parse_oom(struct odata_parser *p);
/* odata_bad_tok_msg() - the detail for a T_BAD/T_BADTIME token, else @dflt. */
const char *odata_bad_tok_msg(const struct odata_parser *p, const char *dflt);

/* Literals: strings with '' escapes, integers, GUIDs, DateTimeOffsets, true/false/null.
 */
bool odata_is_literal_tok(const struct odata_parser *p, const struct odata_tok *t);
/* odata_parse_literal() - consume the current literal into @lit; false on error. */
bool odata_parse_literal(struct odata_parser *p, struct flit *lit);

#endif
