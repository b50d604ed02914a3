/*
 * server/faults/fault_catalogue.c - the errors Graph really sends when it fails,
 * by name and by status (graph-spec §1.6, §8.1, §10.3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"

struct catalogue_entry {
	const char *name;
	unsigned status;
	const char *code;
	const char *message;
};

/* Graph's own bodies for each failure (graph-spec §1.6, §8.1, §10.3). */
static const struct catalogue_entry catalogue[] = {
    {"throttled", 429, "TooManyRequests", "Please retry again later."},
    {"serviceUnavailable", 503, "serviceNotAvailable", "Service unavailable"},
    {"gatewayTimeout", 504, "UnknownError", ""},
    {"internalError", 500, "InternalServerError", "An internal server error occurred."},
    {"badGateway", 502, "", ""},
    {"notFound", 404, "Request_ResourceNotFound", ""},
    {"forbidden", 403, "Authorization_RequestDenied",
     "Insufficient privileges to complete the operation."},
    {"unauthorized", 401, "InvalidAuthenticationToken",
     "Lifetime validation failed, the token is expired."},
    {"badRequest", 400, "BadRequest", "Invalid request."},
    {"conflict", 409, "Request_BadRequest",
     "Another object with the same value for property userPrincipalName already exists."},
    {"throttledTemporarily", 503, "Request_ThrottledTemporarily",
     "Your request is throttled temporarily. Please try after 1 seconds."},
    {"insufficientStorage", 507, "InsufficientStorage", "Insufficient storage."},
    {NULL, 0, NULL, NULL},
};

static void error_from_entry(const struct catalogue_entry *c, struct fault_error *err)
{
	memset(err, 0, sizeof(*err));
	err->status = c->status;
	snprintf(err->code, sizeof(err->code), "%s", c->code);
	snprintf(err->message, sizeof(err->message), "%s", c->message);
	err->html = c->status == 502;
	err->graph_429 = c->status == 429;
	err->www_authenticate = c->status == 401;
	if (c->status == 429) {
		/* Graph sends Retry-After on 429; "retryAfter": null removes it. */
		err->retry = RETRY_AFTER_SECONDS;
		snprintf(err->retry_after, sizeof(err->retry_after), "1");
		err->retry_ms = 1000;
	}
}

bool fault_catalogue(const char *name, struct fault_error *err)
{
	char *end;
	long status;

	for (const struct catalogue_entry *c = catalogue; c->name; c++)
		if (!strcmp(c->name, name)) {
			error_from_entry(c, err);
			return true;
		}
	status = strtol(name, &end, 10);
	if (!*name || *end || status < 100 || status > 599)
		return false;
	for (const struct catalogue_entry *c = catalogue; c->name; c++)
		if (c->status == (unsigned)status) {
			error_from_entry(c, err);
			return true;
		}
	if (status < 400)
		return false;
	memset(err, 0, sizeof(*err));
	err->status = (unsigned)status;
	snprintf(err->code, sizeof(err->code), "%s",
	         status < 500 ? "BadRequest" : "UnknownError");
	return true;
}
