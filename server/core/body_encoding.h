/*
 * server/core/body_encoding.h - a request body sent with Content-Encoding.
 *
 * Microsoft Graph takes request bodies compressed with gzip, and the Kiota
 * based SDKs send them so by default (their CompressionHandler, in
 * msgraph-sdk-design: gzip a body, and resend it plain only on a 415 or
 * Graph's "Unable to read JSON request payload" 400). So a gzip body is
 * inflated before the JSON is read, bounded by the same --max-body as a plain
 * one: a small body that inflates past it is a 413, not a gigabyte of heap.
 */
#ifndef GRAPHMOCK_SERVER_CORE_BODY_ENCODING_H
#define GRAPHMOCK_SERVER_CORE_BODY_ENCODING_H

#include <stddef.h>

struct req;

enum body_decode {
	BODY_PLAIN,      /* no Content-Encoding (or identity): left as it was */
	BODY_INFLATED,   /* gzip, inflated in place of the upload */
	BODY_CORRUPT,    /* not gzip, truncated, or trailing bytes */
	BODY_TOO_LARGE,  /* would inflate past @max bytes */
	BODY_UNKNOWN,    /* an encoding graphmock does not take (deflate, br...) */
	BODY_OUT_OF_MEM, /* the inflated body could not be held */
};

/*
 * body_decode() - undo @req's Content-Encoding on its in-memory upload
 * (req->raw_body), which is replaced by the inflated bytes (at most @max).
 * A spooled upload (req->body_file) is left alone and reported UNKNOWN when
 * encoded. Returns: what was done.
 */
enum body_decode body_decode(struct req *req, size_t max);

#endif
