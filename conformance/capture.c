/*
 * conformance/capture.c - capture paths of expect.json ("body.value[0].id",
 * "headers.location") and the text a captured value becomes.
 */
#include "capture.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fail(struct match_err *err, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct match_err *err, const char *path, const char *fmt, ...)
{
	va_list ap;

	if (err->msg[0])
		return;
	snprintf(err->path, sizeof(err->path), "%s", path);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* End of the capture-path piece starting at @s: a '.' or '\0'. */
static const char *piece_end(const char *s)
{
	const char *end = s + strcspn(s, ".");

	/* "@odata.nextLink" and "members@odata.bind" are single keys */
	while (*end == '.' && end - s >= 6 && strncmp(end - 6, "@odata", 6) == 0)
		end = end + 1 + strcspn(end + 1, ".");
	return end;
}

/* Apply one piece "key[1][2]" of a capture path to @cur. */
static json_t *lookup_piece(json_t *cur, const char *piece, size_t len, bool fold,
                            struct match_err *err, const char *path)
{
	char key[MATCH_PATH_MAX];
	size_t klen = strcspn(piece, "[");
	unsigned long idx;
	char *end;

	if (klen > len)
		klen = len;
	if (klen >= sizeof(key)) {
		fail(err, path, "key too long");
		return NULL;
	}
	memcpy(key, piece, klen);
	key[klen] = '\0';
	if (fold)
		lower(key);
	if (klen > 0) {
		cur = json_is_object(cur) ? json_object_get(cur, key) : NULL;
		if (!cur) {
			fail(err, path, "not found: no member \"%s\"", key);
			return NULL;
		}
	}
	piece += klen;
	len -= klen;
	while (len > 0) {
		if (piece[0] != '[' || !isdigit((unsigned char)piece[1])) {
			fail(err, path, "bad capture path");
			return NULL;
		}
		idx = strtoul(piece + 1, &end, 10);
		if (*end != ']' || (size_t)(end + 1 - piece) > len) {
			fail(err, path, "bad capture path");
			return NULL;
		}
		if (!json_is_array(cur) || idx >= json_array_size(cur)) {
			fail(err, path, "not found: no element [%lu]", idx);
			return NULL;
		}
		cur = json_array_get(cur, idx);
		len -= (size_t)(end + 1 - piece);
		piece = end + 1;
	}
	return cur;
}

json_t *capture_lookup(const json_t *root, const char *path, struct match_err *err)
{
	json_t *cur = (json_t *)root;
	const char *p = path;
	const char *end;
	bool headers = strncmp(path, "headers.", 8) == 0;
	bool first = true;

	if (strncmp(path, "body", 4) != 0 && !headers) {
		fail(err, path,
		     "bad capture path: must start with \"body\" or \"headers.\"");
		return NULL;
	}
	for (;;) {
		end = piece_end(p);
		if (end == p) {
			fail(err, path, "bad capture path: empty key");
			return NULL;
		}
		cur =
		    lookup_piece(cur, p, (size_t)(end - p), headers && !first, err, path);
		if (!cur)
			return NULL;
		if (*end == '\0')
			return cur;
		p = end + 1;
		first = false;
	}
}

char *capture_stringify(const json_t *v)
{
	char buf[64];

	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		         json_integer_value(v));
		return strdup(buf);
	}
	if (json_is_real(v)) {
		snprintf(buf, sizeof(buf), "%.17g", json_real_value(v));
		return strdup(buf);
	}
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *capture_url_param(const char *url, const char *name)
{
	size_t n = strlen(name);
	const char *p = strpbrk(url, "?#");

	while (p && *p) {
		p++;
		if (!strncmp(p, name, n) && p[n] == '=') {
			size_t len = strcspn(p + n + 1, "&#"), o = 0;
			const char *v = p + n + 1;
			char *out = malloc(len + 1);

			if (!out)
				return NULL;
			for (size_t i = 0; i < len; i++) {
				if (v[i] == '%' && i + 2 < len && hex(v[i + 1]) >= 0 &&
				    hex(v[i + 2]) >= 0) {
					out[o++] =
					    (char)(hex(v[i + 1]) * 16 + hex(v[i + 2]));
					i += 2;
				} else {
					out[o++] = v[i] == '+' ? ' ' : v[i];
				}
			}
			out[o] = '\0';
			return out;
		}
		p = strpbrk(p, "&#");
	}
	return NULL;
}
