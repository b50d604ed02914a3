/*
 * conformance/vars.h - the variables of a running case (built-ins such as
 * {{base}} and {{uniq}}, plus values captured by earlier steps) and the
 * {{name}} expansion applied to request files and expect.json strings.
 */
#ifndef GRAPHMOCK_CONFORMANCE_VARS_H
#define GRAPHMOCK_CONFORMANCE_VARS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct var {
	char *name;
	char *value;
};

/* A small set of name/value pairs; both strings of each pair are owned. */
struct vars {
	struct var *v;
	size_t n;
};

void vars_init(struct vars *vars);
void vars_release(struct vars *vars);

/* vars_set() - set or replace @name (both strings are copied). 0 or -1. */
int vars_set(struct vars *vars, const char *name, const char *value);

/* vars_get() - Returns: borrowed value, or NULL when unset. */
const char *vars_get(const struct vars *vars, const char *name);

/* vars_name_ok() - is @name usable as {{name}} ([A-Za-z0-9_]+)? */
bool vars_name_ok(const char *name);

/*
 * vars_expand() - replace every {{name}} in the @len bytes at @s. Text that
 * is not "{{" + [A-Za-z0-9_]+ + "}}" is kept as it is.
 * Returns: new malloc'd NUL-terminated string (its length in *@outlen when
 * not NULL), or NULL with "unknown variable {{x}}" (or a memory error) in
 * @errbuf.
 */
char *vars_expand(const struct vars *vars, const char *s, size_t len, size_t *outlen,
                  char *errbuf, size_t errlen);

/*
 * vars_expand_json() - deep copy of @v with {{name}} replaced in every
 * string value (object keys are left alone).
 * Returns: new reference, or NULL with @errbuf set.
 */
json_t *vars_expand_json(const struct vars *vars, const json_t *v, char *errbuf,
                         size_t errlen);

#endif
