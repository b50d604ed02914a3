/*
 * conformance/vars.c - the variables of a running case and {{name}}
 * expansion of request text and expect.json strings.
 */
#include "vars.h"

#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growing byte buffer, always NUL-terminated once anything was added. */
void vars_init(struct vars *vars)
{
	vars->v = NULL;
	vars->n = 0;
}

void vars_release(struct vars *vars)
{
	size_t i;

	for (i = 0; i < vars->n; i++) {
		free(vars->v[i].name);
		free(vars->v[i].value);
	}
	free(vars->v);
	vars_init(vars);
}

int vars_set(struct vars *vars, const char *name, const char *value)
{
	struct var *v;
	char *copy = strdup(value);
	size_t i;

	if (!copy)
		return -1;
	for (i = 0; i < vars->n; i++) {
		if (strcmp(vars->v[i].name, name) == 0) {
			free(vars->v[i].value);
			vars->v[i].value = copy;
			return 0;
		}
	}
	v = realloc(vars->v, (vars->n + 1) * sizeof(*v));
	if (!v)
		goto out_free_copy;
	vars->v = v;
	v[vars->n].name = strdup(name);
	if (!v[vars->n].name)
		goto out_free_copy;
	v[vars->n++].value = copy;
	return 0;
out_free_copy:
	free(copy);
	return -1;
}

static const char *vars_lookup(const struct vars *vars, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < vars->n; i++)
		if (strlen(vars->v[i].name) == len &&
		    memcmp(vars->v[i].name, name, len) == 0)
			return vars->v[i].value;
	return NULL;
}

const char *vars_get(const struct vars *vars, const char *name)
{
	return vars_lookup(vars, name, strlen(name));
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

bool vars_name_ok(const char *name)
{
	if (!*name)
		return false;
	for (; *name; name++)
		if (!name_char(*name))
			return false;
	return true;
}

char *vars_expand(const struct vars *vars, const char *s, size_t len, size_t *outlen,
                  char *errbuf, size_t errlen)
{
	struct buf b = {0};
	const char *val;
	size_t i = 0, j;

	if (buf_add(&b, "", 0))
		goto out_oom;
	while (i < len) {
		j = i + 2;
		if (s[i] == '{' && i + 1 < len && s[i + 1] == '{') {
			while (j < len && name_char(s[j]))
				j++;
		}
		if (j > i + 2 && j + 1 < len && s[j] == '}' && s[j + 1] == '}') {
			val = vars_lookup(vars, s + i + 2, j - i - 2);
			if (!val) {
				err_set(errbuf, errlen, "unknown variable {{%.*s}}",
				        (int)(j - i - 2), s + i + 2);
				free(b.p);
				return NULL;
			}
			if (buf_add(&b, val, strlen(val)))
				goto out_oom;
			i = j + 2;
			continue;
		}
		if (buf_add(&b, s + i, 1))
			goto out_oom;
		i++;
	}
	if (outlen)
		*outlen = b.len;
	return b.p;
out_oom:
	free(b.p);
	err_set(errbuf, errlen, "out of memory");
	return NULL;
}

json_t *vars_expand_json(const struct vars *vars, const json_t *v, char *errbuf,
                         size_t errlen)
{
	const char *key;
	json_t *out, *item, *sub;
	size_t i, len;
	char *s;

	if (json_is_string(v)) {
		s = vars_expand(vars, json_string_value(v), json_string_length(v), &len,
		                errbuf, errlen);
		if (!s)
			return NULL;
		out = json_stringn(s, len);
		free(s);
		if (!out)
			err_set(errbuf, errlen, "expanded string is not valid UTF-8");
		return out;
	}
	if (json_is_object(v)) {
		out = json_object();
		if (!out)
			goto out_oom;
		json_object_foreach((json_t *)v, key, item)
		{
			sub = vars_expand_json(vars, item, errbuf, errlen);
			if (!sub || json_object_set_new(out, key, sub)) {
				json_decref(out);
				return NULL;
			}
		}
		return out;
	}
	if (json_is_array(v)) {
		out = json_array();
		if (!out)
			goto out_oom;
		for (i = 0; i < json_array_size(v); i++) {
			sub =
			    vars_expand_json(vars, json_array_get(v, i), errbuf, errlen);
			if (!sub || json_array_append_new(out, sub)) {
				json_decref(out);
				return NULL;
			}
		}
		return out;
	}
	out = json_deep_copy(v);
	if (out)
		return out;
out_oom:
	err_set(errbuf, errlen, "out of memory");
	return NULL;
}
