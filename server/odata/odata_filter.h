/*
 * server/odata/odata_filter.h - private to the OData engine (server/odata_*.c):
 * the $filter parser, checker and evaluator over the syntax tree of
 * odata_filter_ast.h. Routes use odata.h.
 */
#ifndef GRAPHMOCK_SERVER_ODATA_ODATA_FILTER_H
#define GRAPHMOCK_SERVER_ODATA_ODATA_FILTER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "odata.h"
#include "odata_filter_ast.h"
#include "odata_util.h"

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

/* odata_filter_members() - add the top-level properties @e reads to @m. */
void odata_filter_members(const struct odata_expr *e, struct odata_members *m);

/* odata_filter_eval() - does @obj satisfy @e? No allocation. */
bool odata_filter_eval(const struct odata_expr *e, const json_t *obj);

/* odata_filter_eq_literal() - see odata_filter_eq_value() in odata.h. Borrowed. */
const char *odata_filter_eq_literal(const struct odata_expr *e, const char *prop);

/* odata_filter_key_literals() - see odata_filter_key_values() in odata.h. Borrowed. */
size_t odata_filter_key_literals(const struct odata_expr *e, const char *prop,
                                 const char **out, size_t max);

/* odata_filter_startswith_literal() - see odata_filter_startswith_value(). Borrowed. */
const char *odata_filter_startswith_literal(const struct odata_expr *e, const char *prop);

#endif
