/*
 * conformance/http.h - the runner's HTTP client: one libcurl easy handle per
 * thread, sending exactly the request a case describes (no redirects, no
 * proxy, no added Content-Type) and keeping every response header.
 */
#ifndef GRAPHMOCK_CONFORMANCE_HTTP_H
#define GRAPHMOCK_CONFORMANCE_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define HTTP_MAX_BODY           (16u << 20) /* response bytes kept; more fails the step */
#define HTTP_CONNECT_TIMEOUT_MS 5000L
#define HTTP_TIMEOUT_MS         30000L

/* One easy handle; it keeps connections alive between requests. */
struct http_client {
	void *curl;         /* CURL *, hidden so users need not include curl.h */
	const char *cacert; /* borrowed: CA bundle for https targets, or NULL */
};

struct http_request {
	const char *method;
	const char *url;
	/*
	 * "Name: value" lines, as libcurl takes them: "Name:" (nothing after the
	 * colon) suppresses a header libcurl would add by itself.
	 */
	const char *const *headers;
	size_t nheaders;
	const char *body; /* may be NULL when body_len is 0 */
	size_t body_len;
};

struct http_response {
	long status;
	json_t *headers; /* new: lower-case name -> value; repeats joined by ", " */
	char *body;      /* malloc'd, NUL-terminated, body_len bytes before the NUL */
	size_t body_len;
	bool transport_error; /* no complete HTTP response (refused, reset, garbage) */
	char error[256];      /* why, when http_send() returned -1 */
};

/* http_global_init() - call once, before any thread starts. 0 or -1. */
int http_global_init(void);
void http_global_cleanup(void);

/* http_client_init() - 0, or -1 when libcurl cannot make a handle. */
int http_client_init(struct http_client *c);
void http_client_release(struct http_client *c);

/*
 * http_send() - send @rq and fill @rs (release it with http_response_release()
 * whatever the result). Returns 0 when a complete response arrived, else -1
 * with rs->error set; rs->transport_error tells a network failure from a
 * local one (out of memory, a body over HTTP_MAX_BODY).
 */
int http_send(struct http_client *c, const struct http_request *rq,
              struct http_response *rs);
void http_response_release(struct http_response *rs);

#endif
