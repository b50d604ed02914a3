/*
 * server/core/jwriter.c - compact JSON text without intermediate json_t values.
 * ASCII strings, integers and literals are written here; whatever needs
 * jansson's own judgement (non-ASCII strings: UTF-8 validation; reals: its
 * number format) goes through json_dumpb(), so the bytes stay identical.
 */
#include "jwriter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define DUMP_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY)

/* Deeper than anything jansson parses (2048), shallower than a thread stack. */
#define MAX_DEPTH 4096

static void write_value(struct buf *w, const json_t *v, unsigned depth);

/* Let jansson print @v itself (0 from json_dumpb means it refused). */
static void dump_with_jansson(struct buf *w, const json_t *v)
{
	size_t need = json_dumpb(v, NULL, 0, DUMP_FLAGS);

	if (!need) {
		w->failed = true;
		return;
	}
	if (!buf_reserve(w, need))
		return;
	json_dumpb(v, w->data + w->len, need, DUMP_FLAGS);
	w->len += need;
	w->data[w->len] = '\0';
}

/* jansson's escapes for the ASCII bytes that need one. */
static size_t escape(unsigned char c, char out[7])
{
	static const char hex[] = "0123456789ABCDEF";

	switch (c) {
	case '"':
	case '\\':
		out[1] = (char)c;
		break;
	case '\b':
		out[1] = 'b';
		break;
	case '\f':
		out[1] = 'f';
		break;
	case '\n':
		out[1] = 'n';
		break;
	case '\r':
		out[1] = 'r';
		break;
	case '\t':
		out[1] = 't';
		break;
	default:
		memcpy(out, "\\u00", 4);
		out[4] = hex[c >> 4];
		out[5] = hex[c & 15];
		return 6;
	}
	out[0] = '\\';
	return 2;
}

/* A byte that ends a plain run: it needs an escape, or it is not ASCII. */
static bool special(unsigned char c)
{
	return (unsigned char)(c - 0x20) >= 0x60 || c == '"' || c == '\\';
}

/*
 * buf_reserve() with its common case inline: the writer reserves for every
 * key and value, and the room is nearly always there already.
 */
static inline bool room(struct buf *w, size_t n)
{
	if (!w->failed && n < w->max - w->len && w->len + n + 1 <= w->cap)
		return true;
	return buf_reserve(w, n);
}

/*
 * The length of the plain run (no byte special()) at the start of @u, eight
 * bytes a word at a time: a word's flag bits never miss a special byte, and
 * any false alarm lies after a real one, where the byte loop takes over.
 */
static size_t plain_run(const unsigned char *u, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	size_t i = 0;

#ifdef __SSE2__
	/* Sixteen bytes a step where SSE2 is there (every x86-64): as signed
	 * bytes, those below 0x20 and those from 0x80 up are all less than 0x20. */
	for (; i + 16 <= n; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
		__m128i bad =
		    _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
		                 _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
		                              _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
		unsigned m = (unsigned)_mm_movemask_epi8(bad);

		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	for (; i + 8 <= n; i += 8) {
		uint64_t x, q, b;

		memcpy(&x, u + i, sizeof(x));
		q = x ^ (ones * '"');
		b = x ^ (ones * '\\');
		if ((((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b) |
		     x) &
		    high)
			break;
	}
	while (i < n && !special(u[i]))
		i++;
	return i;
}

/*
 * @s as a JSON string, plain runs copied whole into reserved room. Returns
 * false, having written nothing, at the first non-ASCII byte: jansson must
 * judge the UTF-8 then. True otherwise (also when the writer failed).
 */
static bool ascii_string(struct buf *w, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = w->len, i = 0;
	char esc[7], *d;

	if (!room(w, n + 2))
		return true;
	d = w->data + w->len;
	*d++ = '"';
	for (;;) {
		size_t run = plain_run(u + i, n - i), el;

		memcpy(d, u + i, run);
		d += run;
		i += run;
		if (i == n)
			break;
		if (u[i] >= 0x80) {
			w->len = start;
			w->data[start] = '\0';
			return false;
		}
		el = escape(u[i], esc);
		w->len = (size_t)(d - w->data);
		/* The escape, what is left of @s, and the closing quote. */
		if (!room(w, el + (n - i - 1) + 1))
			return true;
		d = w->data + w->len;
		memcpy(d, esc, el);
		d += el;
		i++;
	}
	*d++ = '"';
	w->len = (size_t)(d - w->data);
	*d = '\0';
	return true;
}

void jwriter_string(struct buf *w, const char *s, size_t n)
{
	json_t *tmp;

	if (ascii_string(w, s, n))
		return;
	/* jansson validates the UTF-8 while it prints; a rare path. */
	tmp = json_stringn_nocheck(s, n);
	if (!tmp) {
		w->failed = true;
		return;
	}
	dump_with_jansson(w, tmp);
	json_decref(tmp);
}

bool jwriter_plain(const char *s, size_t n)
{
	return plain_run((const unsigned char *)s, n) == n;
}

void jwriter_member(struct buf *w, const char *key, bool comma)
{
	size_t n = strlen(key);

	/* Keys are nearly always plain: then one reservation and one copy. */
	if (!jwriter_plain(key, n)) {
		if (comma)
			buf_add(w, ",", 1);
		jwriter_string(w, key, n);
		buf_add(w, ":", 1);
		return;
	}
	jwriter_member_plain(w, key, n, comma);
}

void jwriter_member_plain(struct buf *w, const char *key, size_t n, bool comma)
{
	char *d;

	if (!room(w, n + 4))
		return;
	d = w->data + w->len;
	if (comma)
		*d++ = ',';
	*d++ = '"';
	memcpy(d, key, n);
	d += n;
	*d++ = '"';
	*d++ = ':';
	*d = '\0';
	w->len = (size_t)(d - w->data);
}

void jwriter_key(struct buf *w, const char *key)
{
	jwriter_member(w, key, false);
}

static void write_integer(struct buf *w, json_int_t v)
{
	char buf[24], *p = buf + sizeof(buf);
	/* Negate in unsigned arithmetic so INT64_MIN needs no special case. */
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	buf_add(w, p, (size_t)(buf + sizeof(buf) - p));
}

static void write_object(struct buf *w, const json_t *obj, unsigned depth)
{
	void *it = json_object_iter((json_t *)obj);
	bool first = true;

	buf_add(w, "{", 1);
	for (; it; it = json_object_iter_next((json_t *)obj, it)) {
		if (!first)
			buf_add(w, ",", 1);
		first = false;
		jwriter_string(w, json_object_iter_key(it), json_object_iter_key_len(it));
		buf_add(w, ":", 1);
		write_value(w, json_object_iter_value(it), depth + 1);
	}
	buf_add(w, "}", 1);
}

static void write_array(struct buf *w, const json_t *arr, unsigned depth)
{
	size_t i, n = json_array_size(arr);

	buf_add(w, "[", 1);
	for (i = 0; i < n; i++) {
		if (i)
			buf_add(w, ",", 1);
		write_value(w, json_array_get(arr, i), depth + 1);
	}
	buf_add(w, "]", 1);
}

static void write_value(struct buf *w, const json_t *v, unsigned depth)
{
	if (!v || depth > MAX_DEPTH || w->failed) {
		w->failed = true;
		return;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		write_object(w, v, depth);
		return;
	case JSON_ARRAY:
		write_array(w, v, depth);
		return;
	case JSON_STRING:
		if (!ascii_string(w, json_string_value(v), json_string_length(v)))
			dump_with_jansson(w, v);
		return;
	case JSON_INTEGER:
		write_integer(w, json_integer_value(v));
		return;
	case JSON_TRUE:
		buf_add(w, "true", 4);
		return;
	case JSON_FALSE:
		buf_add(w, "false", 5);
		return;
	case JSON_NULL:
		buf_add(w, "null", 4);
		return;
	case JSON_REAL:
		dump_with_jansson(w, v);
		return;
	}
	w->failed = true;
}

void jwriter_value(struct buf *w, const json_t *v)
{
	write_value(w, v, 0);
}
