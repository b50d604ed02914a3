/*
 * server/core/error.h - the one helper that builds every client-visible Graph
 * error: {"error":{"code","message","innerError":{"date","request-id",
 * "client-request-id"}}} with plain application/json (graph-spec §1.5).
 */
#ifndef GRAPHMOCK_SERVER_CORE_ERROR_H
#define GRAPHMOCK_SERVER_CORE_ERROR_H

struct resp;

/* Each value maps to an HTTP status and Graph's default code in error.c. */
enum gerr {
	GERR_BAD_REQUEST,         /* 400 BadRequest */
	GERR_REQUEST_BAD_REQUEST, /* 400 Request_BadRequest */
	GERR_UNSUPPORTED_QUERY,   /* 400 Request_UnsupportedQuery */
	GERR_UNAUTHORIZED,        /* 401 InvalidAuthenticationToken */
	GERR_FORBIDDEN,           /* 403 Authorization_RequestDenied */
	GERR_NOT_FOUND,           /* 404 Request_ResourceNotFound */
	GERR_METHOD,              /* 405 Request_BadRequest */
	GERR_CONFLICT,            /* 409 Request_BadRequest */
	GERR_TOO_LARGE,           /* 413 RequestEntityTooLarge */
	GERR_UNPROCESSABLE,       /* 422 Request_UnprocessableEntity */
	GERR_THROTTLED,           /* 429 TooManyRequests */
	GERR_INTERNAL,            /* 500 InternalServerError */
	GERR_NOT_IMPLEMENTED,     /* 501 NotImplemented */
	GERR_UNAVAILABLE,         /* 503 serviceNotAvailable */
	GERR_GATEWAY_TIMEOUT,     /* 504 UnknownError */
};

/* Messages Graph sends verbatim and scripts match on (graph-spec §1.6). */
#define GMSG_BAD_JSON                                                                    \
	"Unable to read JSON request payload. Please ensure Content-Type header is set " \
	"and payload is of valid JSON format."
#define GMSG_EMPTY_PAYLOAD "Empty Payload. JSON content expected."
#define GMSG_METHOD        "Specified HTTP method is not allowed for the request target."
#define GMSG_NOT_FOUND_FMT                                                               \
	"Resource '%s' does not exist or one of its queried reference-property objects " \
	"are not present."

/*
 * resp_error() - replace @resp with a Graph error of kind @e and a formatted
 * message. Always returns -1 so handlers can `return resp_error(...)`.
 */
int resp_error(struct resp *resp, enum gerr e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* resp_error_code() - as resp_error() with an explicit status and code. */
int resp_error_code(struct resp *resp, unsigned status, const char *code, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));

/*
 * resp_error_detail() - add Graph's details[] entry {code, message, target}
 * to the error already in @resp (message = the error's message), as Graph
 * does for validation conflicts (ObjectConflict, InvalidValue). Returns -1.
 */
int resp_error_detail(struct resp *resp, const char *code, const char *target);

/* resp_not_found() - 404 Request_ResourceNotFound naming @id. Returns -1. */
int resp_not_found(struct resp *resp, const char *id);

/* gerr_status() / gerr_code() - the mapping, exposed for tests. */
unsigned gerr_status(enum gerr e);
const char *gerr_code(enum gerr e);

#endif
