/*
 * server/core/form.c - form-urlencoded parsing for the token endpoint.
 */
#include "form.h"

#include <stdlib.h>
#include <string.h>

char *form_decode(const char *s, size_t len)
{
	char *plus = malloc(len + 1);
	char *out;

	if (!plus)
		return NULL;
	for (size_t i = 0; i < len; i++)
		plus[i] = s[i] == '+' ? ' ' : s[i];
	plus[len] = '\0';
	out = req_percent_decode(plus, len);
	free(plus);
	return out;
}

static int add_pair(struct form *f, const char *p, size_t len)
{
	const char *eq = memchr(p, '=', len);
	size_t nlen = eq ? (size_t)(eq - p) : len;
	char *name = form_decode(p, nlen);
	char *value = eq ? form_decode(eq + 1, len - nlen - 1) : strdup("");
	struct req_kv *grown;

	if (!name || !value)
		goto out_free;
	grown = realloc(f->kv, (f->n + 1) * sizeof(*f->kv));
	if (!grown)
		goto out_free;
	f->kv = grown;
	f->kv[f->n].name = name;
	f->kv[f->n].value = value;
	f->n++;
	return 0;

out_free:
	free(name);
	free(value);
	return -1;
}

int form_parse(struct form *f, const char *body, size_t len)
{
	const char *p = body, *end = body + len;

	f->kv = NULL;
	f->n = 0;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		size_t plen = amp ? (size_t)(amp - p) : (size_t)(end - p);
		if (plen && add_pair(f, p, plen)) {
			form_release(f);
			return -1;
		}
		p += plen + 1;
	}
	return 0;
}

const char *form_get(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->kv[i].name, name))
			return f->kv[i].value;
	return NULL;
}

size_t form_count(const struct form *f, const char *name)
{
	size_t c = 0;

	for (size_t i = 0; i < f->n; i++)
		c += !strcmp(f->kv[i].name, name);
	return c;
}

void form_release(struct form *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->kv[i].name);
		free(f->kv[i].value);
	}
	free(f->kv);
	f->kv = NULL;
	f->n = 0;
}
