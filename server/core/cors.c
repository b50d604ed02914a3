/*
 * server/core/cors.c - Graph's cross-origin answers (cors.h).
 */
#include "cors.h"

#include <string.h>

#include "req.h"
#include "resp.h"

bool cors_applies(const struct req *req)
{
	const char *p = req->path;

	return !(p && !strncmp(p, "/_mock", 6) && (p[6] == '/' || !p[6]));
}

/*
 * What may be echoed into a header: a method or a list of header names
 * (RFC 9110 tokens, commas and spaces), at most @max bytes. Anything else is
 * left out of the answer, and the browser then refuses the request itself.
 */
static bool token_list(const char *s, size_t max)
{
	static const char extra[] = "!#$%&'*+-.^_`|~, ";
	size_t n = 0;

	for (; s[n]; n++) {
		unsigned char c = (unsigned char)s[n];

		if (n == max || !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		                  (c >= 'A' && c <= 'Z') || (c && strchr(extra, c))))
			return false;
	}
	return n > 0;
}

bool cors_preflight(const struct req *req, struct resp *resp)
{
	const char *method = req_header(req, "access-control-request-method");
	const char *headers = req_header(req, "access-control-request-headers");

	if (strcmp(req->method, "OPTIONS") || !req_header(req, "origin") || !method ||
	    !cors_applies(req))
		return false;
	resp_empty(resp, 200);
	if (token_list(method, 32))
		resp_header(resp, "Access-Control-Allow-Methods", "%s", method);
	if (headers && token_list(headers, 1000))
		resp_header(resp, "Access-Control-Allow-Headers", "%s", headers);
	return true;
}
