/*
 * server/odata_filter.h - private to the OData engine (server/odata_*.c):
 * the $filter AST, its parser, checker and evaluator, and the small string
 * and date helpers the other odata_*.c files share. Routes use odata.h.
 */
#ifndef GRAPHMOCK_SERVER_ODATA_FILTER_H
#define GRAPHMOCK_SERVER_ODATA_FILTER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "odata.h"

#define ODATA_FILTER_MAX_LEN 4096 /* bytes of $filter text */
#define ODATA_MAX_DEPTH      64   /* nesting of (), not, lambdas, functions */
#define ODATA_MAX_IN         256  /* values in one `in (...)` list */
#define ODATA_MAX_LAMBDA     8    /* nested any()/all() */
#define ODATA_MSG_MAX        640

/* A client-visible error kept until the caller can turn it into a response. */
struct odata_err {
	enum gerr kind;
	char msg[ODATA_MSG_MAX];
};

/* odata_err_set() - fill @err (first error wins). Always returns -1. */
int odata_err_set(struct odata_err *err, enum gerr kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

enum fnode_kind {
	FN_AND,
	FN_OR,
	FN_NOT,
	FN_CMP,
	FN_IN,
	FN_FUNC,
	FN_LAMBDA,
};

enum fop { FOP_EQ, FOP_NE, FOP_GT, FOP_GE, FOP_LT, FOP_LE };

enum ffunc { FF_STARTSWITH, FF_ENDSWITH, FF_CONTAINS };

enum flit_kind { FL_NULL, FL_BOOL, FL_INT, FL_STRING, FL_GUID, FL_DATETIME };

/* Type of an operand path as far as the schema knows it. */
enum fpath_type { FT_KNOWN, FT_UNTYPED, FT_OBJECT };

struct odata_time {
	int64_t secs; /* since 1970-01-01T00:00:00Z */
	int32_t nanos;
};

struct flit {
	enum flit_kind kind;
	const char *s; /* FL_STRING, FL_GUID (NUL-terminated, in the arena) */
	size_t len;
	long long i;
	bool b;
	struct odata_time t;
	size_t pos;
};

/* A property reference: root.prop[/sub...], lambdaVar[/sub...], or prop/$count. */
struct fpath {
	/* Root property, or for a lambda variable the collection it ranges over. */
	const struct odata_prop *prop;
	int var; /* lambda level of the variable, -1 when rooted at the item */
	const char **sub;
	size_t nsub;
	bool count;         /* ends in /$count */
	enum fpath_type ft; /* FT_KNOWN: type below is exact */
	enum odata_type type;
	size_t pos;
};

struct fnode {
	enum fnode_kind kind;
	size_t pos;
	union {
		struct {
			struct fnode **kids;
			size_t n;
		} list;            /* FN_AND, FN_OR */
		struct fnode *kid; /* FN_NOT */
		struct {
			enum fop op;
			struct fpath lhs;
			struct flit rhs;
		} cmp;
		struct {
			struct fpath lhs;
			struct flit *vals;
			size_t n;
		} in;
		struct {
			enum ffunc f;
			struct fpath arg;
			struct flit lit;
		} func;
		struct {
			struct fpath coll;
			bool all;
			int level;
			struct fnode *body; /* NULL for any() without arguments */
		} lambda;
	} u;
};

/*
 * odata_filter_parse() - parse @text against @entity: syntax, property names
 * and literal types. Returns: new expression (free with odata_filter_free),
 * or NULL with @err set (400 BadRequest; GERR_INTERNAL on OOM).
 */
struct odata_expr *odata_filter_parse(const char *text, const struct odata_entity *entity,
                                      struct odata_err *err);

/* odata_filter_free() - free @e and everything it owns (NULL is fine). */
void odata_filter_free(struct odata_expr *e);

/* odata_filter_root() - the AST of @e. Borrowed. */
const struct fnode *odata_filter_root(const struct odata_expr *e);

/*
 * odata_filter_check() - Graph's per-property and advanced-query rules:
 * @advanced means ConsistencyLevel: eventual and $count=true were both sent.
 * Returns 0, or -1 with @err set (Request_UnsupportedQuery).
 */
int odata_filter_check(const struct odata_expr *e, const struct odata_entity *entity,
                       bool advanced, struct odata_err *err);

/* odata_filter_eval() - does @obj satisfy @e? No allocation. */
bool odata_filter_eval(const struct odata_expr *e, const json_t *obj);

/* odata_filter_eq_literal() - see odata_filter_eq_value() in odata.h. Borrowed. */
const char *odata_filter_eq_literal(const struct odata_expr *e, const char *prop);

/* ---- helpers shared by odata_*.c ---- */

/* ASCII case-insensitive comparisons; bytes >= 0x80 compare as themselves. */
int odata_strcasecmp(const char *a, const char *b);
int odata_strncasecmp(const char *a, const char *b, size_t n);
bool odata_starts_with_ci(const char *s, size_t slen, const char *pre, size_t plen);
bool odata_ends_with_ci(const char *s, size_t slen, const char *suf, size_t sufl);
bool odata_contains_ci(const char *s, size_t slen, const char *needle, size_t nlen);

/*
 * odata_time_parse() - parse "YYYY-MM-DDThh:mm[:ss[.f+]](Z|+hh:mm|-hh:mm)" from
 * @s (at most @len bytes); with @need_zone false a missing zone means UTC.
 * Returns the number of bytes consumed, 0 when @s is not such a time.
 */
size_t odata_time_parse(const char *s, size_t len, bool need_zone, struct odata_time *t);
int odata_time_cmp(const struct odata_time *a, const struct odata_time *b);

/* "microsoft.graph.user" for messages: @entity->odata_type without the '#'. */
const char *odata_type_short(const struct odata_entity *entity);

/* Is @c allowed in a property or lambda-variable name? */
bool odata_is_name_char(int c);

#endif
