/*
 * server/odata/odata_filter_ast.h - private to the $filter code: its limits and
 * the syntax tree the parser (odata_filter.c, odata_filter_lex.c) builds and
 * the checker and evaluator walk.
 */
#ifndef GRAPHMOCK_SERVER_ODATA_ODATA_FILTER_AST_H
#define GRAPHMOCK_SERVER_ODATA_ODATA_FILTER_AST_H

#include <stdbool.h>
#include <stddef.h>

#include "odata.h"
#include "odata_util.h"

#define ODATA_FILTER_MAX_LEN 4096 /* bytes of $filter text */
#define ODATA_MAX_DEPTH      64   /* nesting of (), not, lambdas, functions */
#define ODATA_MAX_IN         ODATA_FILTER_IN_MAX
#define ODATA_MAX_LAMBDA     8 /* nested any()/all() */

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

struct flit {
	enum flit_kind kind;
	const char *s; /* FL_STRING, FL_GUID (NUL-terminated, in the arena) */
	size_t len;
	long long i;
	bool b;
	struct iso_time t;
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

#endif
