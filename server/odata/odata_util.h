/*
 * server/odata/odata_util.h - private to the OData engine (server/odata_*.c): the
 * error kept until it becomes a response, DateTimeOffset parsing, and the
 * ASCII case-insensitive string helpers. Routes use odata.h.
 */
#ifndef GRAPHMOCK_SERVER_ODATA_ODATA_UTIL_H
#define GRAPHMOCK_SERVER_ODATA_ODATA_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../state/util/isotime.h"
#include "../core/error.h"
#include "odata.h"

#define ODATA_MSG_MAX 640

/* A client-visible error kept until the caller can turn it into a response. */
struct odata_err {
	enum gerr kind;
	char msg[ODATA_MSG_MAX];
};

/* odata_err_set() - fill @err (first error wins). Always returns -1. */
int odata_err_set(struct odata_err *err, enum gerr kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ASCII case-insensitive comparisons; bytes >= 0x80 compare as themselves. */
/* odata_members_add() - @name into @m once (NULL: a property it cannot name). */
void odata_members_add(struct odata_members *m, const char *name);

int odata_strcasecmp(const char *a, const char *b);
int odata_strncasecmp(const char *a, const char *b, size_t n);
bool odata_starts_with_ci(const char *s, size_t slen, const char *pre, size_t plen);
bool odata_ends_with_ci(const char *s, size_t slen, const char *suf, size_t sufl);
bool odata_contains_ci(const char *s, size_t slen, const char *needle, size_t nlen);

/* "microsoft.graph.user" for messages: @entity->odata_type without the '#'. */
const char *odata_type_short(const struct odata_entity *entity);

/* Is @c allowed in a property or lambda-variable name? */
bool odata_is_name_char(int c);

#endif
