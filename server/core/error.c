/*
 * server/core/error.c - the single funnel for Graph error bodies (graph-spec §1.5).
 * The enum-to-status/code mapping is a switch without default so -Wswitch
 * flags any error kind left unmapped.
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

#include "../../state/util/clock.h"
#include "resp.h"

unsigned gerr_status(enum gerr e)
{
	switch (e) {
	case GERR_BAD_REQUEST:
	case GERR_REQUEST_BAD_REQUEST:
	case GERR_UNSUPPORTED_QUERY:
		return 400;
	case GERR_UNAUTHORIZED:
		return 401;
	case GERR_FORBIDDEN:
		return 403;
	case GERR_NOT_FOUND:
		return 404;
	case GERR_METHOD:
		return 405;
	case GERR_CONFLICT:
		return 409;
	case GERR_TOO_LARGE:
		return 413;
	case GERR_UNPROCESSABLE:
		return 422;
	case GERR_THROTTLED:
		return 429;
	case GERR_INTERNAL:
		return 500;
	case GERR_NOT_IMPLEMENTED:
		return 501;
	case GERR_UNAVAILABLE:
		return 503;
	case GERR_GATEWAY_TIMEOUT:
		return 504;
	}
	return 500;
}

const char *gerr_code(enum gerr e)
{
	switch (e) {
	case GERR_BAD_REQUEST:
		return "BadRequest";
	case GERR_REQUEST_BAD_REQUEST:
	case GERR_METHOD:
	case GERR_CONFLICT:
		return "Request_BadRequest";
	case GERR_UNSUPPORTED_QUERY:
		return "Request_UnsupportedQuery";
	case GERR_UNAUTHORIZED:
		return "InvalidAuthenticationToken";
	case GERR_FORBIDDEN:
		return "Authorization_RequestDenied";
	case GERR_NOT_FOUND:
		return "Request_ResourceNotFound";
	case GERR_TOO_LARGE:
		return "RequestEntityTooLarge";
	case GERR_UNPROCESSABLE:
		return "Request_UnprocessableEntity";
	case GERR_THROTTLED:
		return "TooManyRequests";
	case GERR_INTERNAL:
		return "InternalServerError";
	case GERR_NOT_IMPLEMENTED:
		return "NotImplemented";
	case GERR_UNAVAILABLE:
		return "serviceNotAvailable";
	case GERR_GATEWAY_TIMEOUT:
		return "UnknownError";
	}
	return "UnknownError";
}

/* Replace bytes that are not valid UTF-8 so jansson accepts client-supplied text. */
static void utf8_sanitize(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		int n = *p < 0x80             ? 0
		        : (*p & 0xe0) == 0xc0 ? 1
		        : (*p & 0xf0) == 0xe0 ? 2
		        : (*p & 0xf8) == 0xf0 ? 3
		                              : -1;
		int ok = n >= 0;
		for (int i = 1; ok && i <= n; i++)
			ok = (p[i] & 0xc0) == 0x80;
		if (!ok) {
			*p++ = '?';
			continue;
		}
		p += n + 1;
	}
}

/* Turn every non-ASCII byte into '?'; returns how many were changed. */
static int ascii_only(char *s)
{
	int changed = 0;

	for (; *s; s++)
		if ((unsigned char)*s >= 0x80) {
			*s = '?';
			changed++;
		}
	return changed;
}

static int build(struct resp *resp, unsigned status, const char *code, const char *fmt,
                 va_list ap)
{
	char message[2048];
	char date[TIME_ISO_LEN];
	int64_t now = resp->now_ms ? resp->now_ms : real_now_ms();

	vsnprintf(message, sizeof(message), fmt, ap);
	utf8_sanitize(message);
	utf8_sanitize(resp->client_request_id);
	time_format(now, TIME_NO_Z, date);
	json_t *body;

again:
	body = json_pack("{s:{s:s, s:s, s:{s:s, s:s, s:s}}}", "error", "code", code,
	                 "message", message, "innerError", "date", date, "request-id",
	                 resp->request_id, "client-request-id", resp->client_request_id);
	if (!body && ascii_only(message) + ascii_only(resp->client_request_id) > 0)
		goto again; /* jansson refused some byte sequence: retry as ASCII */
	resp_json(resp, status, body);
	return -1;
}

int resp_error(struct resp *resp, enum gerr e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	build(resp, gerr_status(e), gerr_code(e), fmt, ap);
	va_end(ap);
	return -1;
}

int resp_error_code(struct resp *resp, unsigned status, const char *code, const char *fmt,
                    ...)
{
	va_list ap;

	va_start(ap, fmt);
	build(resp, status, code, fmt, ap);
	va_end(ap);
	return -1;
}

int resp_error_detail(struct resp *resp, const char *code, const char *target)
{
	json_t *err = json_object_get(resp->body, "error");
	json_t *msg = json_object_get(err, "message");

	if (err && msg)
		json_object_set_new(err, "details",
		                    json_pack("[{s:s, s:O, s:s}]", "code", code,
		                              "message", msg, "target", target));
	return -1;
}

int resp_not_found(struct resp *resp, const char *id)
{
	return resp_error(resp, GERR_NOT_FOUND, GMSG_NOT_FOUND_FMT, id);
}
