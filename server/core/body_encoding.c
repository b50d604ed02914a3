/*
 * server/core/body_encoding.c - gzip request bodies inflated (body_encoding.h),
 * by zlib.
 */
#include "body_encoding.h"

#include <stdbool.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "../../state/util/alloc.h"
#include "req.h"

/* Is @value (a Content-Encoding header) one coding named @name, spaces aside? */
static bool coding_is(const char *value, const char *name)
{
	size_t n = strlen(name);

	while (*value == ' ' || *value == '\t')
		value++;
	if (strncasecmp(value, name, n))
		return false;
	for (value += n; *value == ' ' || *value == '\t'; value++)
		;
	return !*value;
}

/* Room for @len bytes and more, at most @max + 1 (one past: over the bound). */
static enum body_decode grow(char **buf, size_t *cap, size_t max)
{
	size_t want = *cap > max / 2 ? max + 1 : *cap * 2;
	char *more = state_realloc(*buf, want + 1);

	if (!more)
		return BODY_OUT_OF_MEM;
	*buf = more;
	*cap = want;
	return BODY_INFLATED;
}

/*
 * Inflate the gzip member(s) of @in (RFC 1952 allows several, one after
 * another) into a new NUL-terminated buffer of at most @max bytes.
 */
static enum body_decode gunzip(const char *in, size_t in_len, size_t max, char **out,
                               size_t *out_len)
{
	z_stream zs;
	size_t cap = in_len < max / 4 ? in_len * 4 + 64 : max + 1, len = 0;
	char *buf = state_malloc(cap + 1);
	enum body_decode rc = BODY_INFLATED;

	if (!buf)
		return BODY_OUT_OF_MEM;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) { /* 16: gzip only */
		state_free(buf);
		return BODY_OUT_OF_MEM;
	}
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)in_len; /* (at most UINT_MAX: body_decode()) */
	while (rc == BODY_INFLATED) {
		if (len == cap && (rc = grow(&buf, &cap, max)) != BODY_INFLATED)
			break;
		size_t room = cap - len;
		zs.next_out = (Bytef *)buf + len;
		zs.avail_out = room > UINT_MAX ? UINT_MAX : (uInt)room;
		uInt given = zs.avail_out;
		int zrc = inflate(&zs, Z_NO_FLUSH);

		len += given - zs.avail_out;
		if (len > max)
			rc = BODY_TOO_LARGE;
		else if (zrc == Z_STREAM_END && !zs.avail_in)
			break; /* the last member ended with the input */
		else if (zrc == Z_STREAM_END)
			rc = inflateReset(&zs) == Z_OK ? BODY_INFLATED : BODY_CORRUPT;
		else if (zrc == Z_BUF_ERROR && zs.avail_out)
			rc = BODY_CORRUPT; /* the input ended inside a member */
		else if (zrc != Z_OK && zrc != Z_BUF_ERROR)
			rc = zrc == Z_MEM_ERROR ? BODY_OUT_OF_MEM : BODY_CORRUPT;
	}
	inflateEnd(&zs);
	if (rc != BODY_INFLATED) {
		state_free(buf);
		return rc;
	}
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	return BODY_INFLATED;
}

enum body_decode body_decode(struct req *req, size_t max)
{
	const char *coding = req_header(req, "content-encoding");
	enum body_decode rc;
	char *inflated;
	size_t len;

	if (!coding || coding_is(coding, "identity") || !*coding || !req->body_len)
		return BODY_PLAIN; /* (nothing to decode: a GET's stray header) */
	if (!(coding_is(coding, "gzip") || coding_is(coding, "x-gzip")) || req->body_file)
		return BODY_UNKNOWN;
	if (req->body_len > UINT_MAX) /* more than zlib takes in one go */
		return BODY_TOO_LARGE;
	if (max >= SIZE_MAX / 2)
		max = SIZE_MAX / 2 - 1; /* (no bound asked: grow() must not wrap) */
	rc = gunzip(req->raw_body, req->body_len, max, &inflated, &len);
	if (rc == BODY_INFLATED)
		req_take_body(req, inflated, len);
	return rc;
}
