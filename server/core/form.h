/*
 * server/core/form.h - application/x-www-form-urlencoded bodies (the OAuth token
 * endpoint): '&'-separated pairs, '+' as space, %XX escapes. Pairs keep
 * their order; duplicate names are all kept and form_get() returns the first.
 */
#ifndef GRAPHMOCK_SERVER_CORE_FORM_H
#define GRAPHMOCK_SERVER_CORE_FORM_H

#include <stddef.h>

#include "req.h"

struct form {
	struct req_kv *kv; /* decoded pairs (owned) */
	size_t n;
};

/*
 * form_parse() - decode @len bytes at @body into @f (initialised here).
 * A pair without '=' has an empty value; empty pairs ("a=1&&b=2") are
 * skipped. Returns 0, or -1 on a broken escape or OOM (@f is then empty).
 */
int form_parse(struct form *f, const char *body, size_t len);

/* form_get() - the first value named @name (case-sensitive), or NULL. Borrowed. */
const char *form_get(const struct form *f, const char *name);

/* form_count() - how many pairs are named @name. */
size_t form_count(const struct form *f, const char *name);

/* form_release() - free the pairs. */
void form_release(struct form *f);

/*
 * form_decode() - one form component: '+' becomes a space, then %XX escapes
 * are decoded. Returns: new string, or NULL on a broken escape or OOM.
 */
char *form_decode(const char *s, size_t len);

#endif
