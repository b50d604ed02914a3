/*
 * state/util/jtext.c - walking accepted JSON text (see jtext.h).
 */
#include "jtext.h"

#include <stdbool.h>
#include <string.h>

size_t jtext_string_end(const char *text, size_t len, size_t open)
{
	size_t at = open + 1;

	while (at < len) {
		const char *q = memchr(text + at, '"', len - at);
		size_t k;

		if (!q)
			break;
		at = (size_t)(q - text);
		for (k = at; k > open + 1 && text[k - 1] == '\\'; k--)
			;
		if ((at - k) % 2 == 0) /* an even run of backslashes: not escaped */
			return at;
		at++;
	}
	return len;
}

static size_t skip_space(const char *text, size_t len, size_t at)
{
	while (at < len && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' ||
	                    text[at] == '\r'))
		at++;
	return at;
}

/*
 * The index just past the value starting at @text[@at], or @len when it runs
 * past the end. Containers are skipped by counting brackets outside strings.
 */
static size_t value_end(const char *text, size_t len, size_t at)
{
	size_t depth = 0;

	for (; at < len; at++) {
		char c = text[at];

		if (c == '"') {
			at = jtext_string_end(text, len, at);
			if (at == len)
				return len;
			if (!depth)
				return at + 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (!depth)
				return at; /* a scalar's end: its container closes */
			if (!--depth)
				return at + 1;
		} else if (!depth && (c == ',' || c == ' ' || c == '\t' || c == '\n' ||
		                      c == '\r')) {
			return at; /* a scalar's end */
		}
	}
	return depth ? len : at;
}

int jtext_member_next(const char *text, size_t len, size_t *pos, struct jtext_member *m)
{
	size_t at = *pos, key_end, end;
	bool first = at == 0;

	if (first) {
		at = skip_space(text, len, 0);
		if (at == len || text[at] != '{')
			return -1;
		at++;
	}
	at = skip_space(text, len, at);
	if (at == len)
		return -1;
	if (text[at] == '}')
		return 0;
	if (!first) {
		if (text[at] != ',')
			return -1;
		at = skip_space(text, len, at + 1);
	}
	if (at == len || text[at] != '"')
		return -1;
	key_end = jtext_string_end(text, len, at);
	if (key_end == len)
		return -1;
	m->key = text + at + 1;
	m->key_len = key_end - at - 1;
	at = skip_space(text, len, key_end + 1);
	if (at == len || text[at] != ':')
		return -1;
	at = skip_space(text, len, at + 1);
	end = value_end(text, len, at);
	if (end == len || end == at)
		return -1; /* no value, or one that never ends: the object must close */
	m->value = text + at;
	m->value_len = end - at;
	*pos = end;
	return 1;
}
