/*
 * conformance/http.c - libcurl glue for the runner: one request in, status,
 * lower-cased headers and body bytes out. Sends only what the case wrote.
 */
#include "http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HEADER_NAME_MAX 256

struct sink {
	struct http_response *rs;
	bool too_big;
	bool oom;
};

int http_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void http_global_cleanup(void)
{
	curl_global_cleanup();
}

int http_client_init(struct http_client *c)
{
	c->curl = curl_easy_init();
	c->cacert = NULL;
	return c->curl ? 0 : -1;
}

void http_client_release(struct http_client *c)
{
	curl_easy_cleanup(c->curl);
	c->curl = NULL;
}

void http_response_release(struct http_response *rs)
{
	json_decref(rs->headers);
	free(rs->body);
	rs->headers = NULL;
	rs->body = NULL;
	rs->body_len = 0;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct sink *s = userdata;
	struct http_response *rs = s->rs;
	size_t n = size * nmemb;
	char *p;

	if (rs->body_len + n > HTTP_MAX_BODY) {
		s->too_big = true;
		return 0;
	}
	p = realloc(rs->body, rs->body_len + n + 1);
	if (!p) {
		s->oom = true;
		return 0;
	}
	memcpy(p + rs->body_len, data, n);
	rs->body = p;
	rs->body_len += n;
	rs->body[rs->body_len] = '\0';
	return n;
}

/* Repeated headers are joined with ", " as RFC 9110 allows for lists. */
static int add_header(json_t *headers, const char *name, const char *value, size_t len)
{
	const json_t *old = json_object_get(headers, name);
	size_t olen;
	char *joined;
	int ret;

	if (!old)
		return json_object_set_new(headers, name,
		                           json_stringn_nocheck(value, len));
	olen = json_string_length(old);
	joined = malloc(olen + 2 + len);
	if (!joined)
		return -1;
	memcpy(joined, json_string_value(old), olen);
	memcpy(joined + olen, ", ", 2);
	memcpy(joined + olen + 2, value, len);
	ret = json_object_set_new(headers, name,
	                          json_stringn_nocheck(joined, olen + 2 + len));
	free(joined);
	return ret;
}

static size_t on_header(char *data, size_t size, size_t nitems, void *userdata)
{
	struct sink *s = userdata;
	size_t n = size * nitems;
	char name[HEADER_NAME_MAX];
	const char *colon, *vs, *ve;
	size_t i;

	/* a new status line (after a 1xx) starts a new header block */
	if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		json_object_clear(s->rs->headers);
		return n;
	}
	colon = memchr(data, ':', n);
	if (!colon || (size_t)(colon - data) >= sizeof(name))
		return n;
	for (i = 0; data + i < colon; i++)
		name[i] = (char)tolower((unsigned char)data[i]);
	name[i] = '\0';
	for (vs = colon + 1; vs < data + n && (*vs == ' ' || *vs == '\t'); vs++)
		;
	for (ve = data + n; ve > vs && isspace((unsigned char)ve[-1]); ve--)
		;
	if (add_header(s->rs->headers, name, vs, (size_t)(ve - vs))) {
		s->oom = true;
		return 0;
	}
	return n;
}

static bool has_header(const struct http_request *rq, const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; i < rq->nheaders; i++)
		if (strncasecmp(rq->headers[i], name, len) == 0 &&
		    (rq->headers[i][len] == ':' || rq->headers[i][len] == ';'))
			return true;
	return false;
}

/*
 * The header list: the case's lines, then "Content-Type:" and "Expect:" to
 * stop libcurl adding a form Content-Type or a 100-continue round trip.
 */
static struct curl_slist *build_headers(const struct http_request *rq, bool *oom)
{
	static const char *const suppress[] = {"Content-Type", "Expect"};
	struct curl_slist *list = NULL, *tmp;
	char line[HEADER_NAME_MAX];
	size_t i;

	for (i = 0; i < rq->nheaders + 2; i++) {
		if (i < rq->nheaders) {
			tmp = curl_slist_append(list, rq->headers[i]);
		} else {
			if (has_header(rq, suppress[i - rq->nheaders]))
				continue;
			snprintf(line, sizeof(line), "%s:", suppress[i - rq->nheaders]);
			tmp = curl_slist_append(list, line);
		}
		if (!tmp) {
			*oom = true;
			curl_slist_free_all(list);
			return NULL;
		}
		list = tmp;
	}
	return list;
}

static void set_method(CURL *curl, const struct http_request *rq)
{
	bool wants_body = rq->body_len > 0 || strcmp(rq->method, "POST") == 0 ||
	                  strcmp(rq->method, "PUT") == 0 ||
	                  strcmp(rq->method, "PATCH") == 0;

	if (strcmp(rq->method, "HEAD") == 0) {
		curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
		return;
	}
	if (wants_body) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
		                 (curl_off_t)rq->body_len);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, rq->body ? rq->body : "");
	}
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, rq->method);
}

int http_send(struct http_client *c, const struct http_request *rq,
              struct http_response *rs)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct sink sink = {rs, false, false};
	struct curl_slist *hdrs;
	CURL *curl = c->curl;
	CURLcode rc;
	int ret = -1;

	memset(rs, 0, sizeof(*rs));
	rs->headers = json_object();
	rs->body = calloc(1, 1);
	hdrs = build_headers(rq, &sink.oom);
	if (!rs->headers || !rs->body || sink.oom) {
		snprintf(rs->error, sizeof(rs->error), "out of memory");
		goto out;
	}
	curl_easy_reset(curl); /* keeps live connections */
	curl_easy_setopt(curl, CURLOPT_URL, rq->url);
	curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, HTTP_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, HTTP_TIMEOUT_MS);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &sink);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	if (c->cacert)
		curl_easy_setopt(curl, CURLOPT_CAINFO, c->cacert);
	set_method(curl, rq);
	rc = curl_easy_perform(curl);
	if (sink.too_big) {
		snprintf(rs->error, sizeof(rs->error),
		         "response body larger than %u bytes", HTTP_MAX_BODY);
	} else if (sink.oom) {
		snprintf(rs->error, sizeof(rs->error), "out of memory");
	} else if (rc != CURLE_OK) {
		rs->transport_error = true;
		snprintf(rs->error, sizeof(rs->error), "%s",
		         errbuf[0] ? errbuf : curl_easy_strerror(rc));
	} else {
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &rs->status);
		ret = 0;
	}
	/* the handle must not keep pointers to this call's stack */
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, NULL);
out:
	curl_slist_free_all(hdrs);
	return ret;
}
