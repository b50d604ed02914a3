/*
 * server/notify/notify_xfer.c - one HTTP POST with libcurl: a batch of
 * notifications or a validation handshake, and judging a handshake's answer
 * as Graph does (200 and exactly the token).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../state/state.h"
#include "notify_internal.h"

#define USER_AGENT "graphmock-notifications"

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * nmemb, room = NOTIFY_RESP_KEEP - x->resp_len;

	memcpy(x->resp + x->resp_len, data, len < room ? len : room);
	x->resp_len += len < room ? len : room;
	x->resp[x->resp_len] = '\0';
	return len;
}

struct xfer *notify_xfer_new(const char *url, const char *body, const char *ctype,
                             long timeout_ms)
{
	struct xfer *x = calloc(1, sizeof(*x));
	char ct[96];

	if (!x)
		return NULL;
	snprintf(ct, sizeof(ct), "Content-Type: %s", ctype);
	x->easy = curl_easy_init();
	x->url = strdup(url);
	x->body = strdup(body);
	x->headers = curl_slist_append(NULL, ct);
	if (!x->easy || !x->url || !x->body || !x->headers) {
		curl_easy_cleanup(x->easy);
		curl_slist_free_all(x->headers);
		free(x->url);
		free(x->body);
		free(x);
		return NULL;
	}
	curl_easy_setopt(x->easy, CURLOPT_URL, x->url);
	curl_easy_setopt(x->easy, CURLOPT_POST, 1L);
	curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS, x->body);
	curl_easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(x->body));
	curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(x->easy, CURLOPT_USERAGENT, USER_AGENT);
	curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	x->timeout_ms = timeout_ms;
	x->started_us = monotonic_us();
	return x;
}

void notify_xfer_free(struct xfer *x)
{
	curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
	free(x->url);
	free(x->body);
	free(x);
}

/* "<url>?validationToken=<escaped>" (or "&..." when the URL has a query). NULL on OOM. */
static char *validation_url(CURL *easy, const struct webhook_check *c)
{
	char *esc = curl_easy_escape(easy, c->token, 0);
	size_t len = strlen(c->url) + (esc ? strlen(esc) : 0) + 20;
	char *out = esc ? malloc(len) : NULL;

	if (out)
		snprintf(out, len, "%s%svalidationToken=%s", c->url,
		         strchr(c->url, '?') ? "&" : "?", esc);
	curl_free(esc);
	return out;
}

struct xfer *notify_check_xfer(const struct webhook_check *c, long timeout_ms)
{
	CURL *tmp = curl_easy_init();
	char *url = tmp ? validation_url(tmp, c) : NULL;
	struct xfer *x =
	    url ? notify_xfer_new(url, "", "text/plain; charset=utf-8", timeout_ms)
	        : NULL;

	curl_easy_cleanup(tmp);
	free(url);
	return x;
}

/* Judge a finished handshake into @c and record it; n->lock held when @n is. */
json_t *notify_check_judge(struct webhook_check *c, CURLcode rc, long status,
                           const char *body, int64_t ms)
{
	const char *outcome;

	c->status = rc == CURLE_OK ? status : 0;
	c->timed_out = rc == CURLE_OPERATION_TIMEDOUT;
	c->echoed = rc == CURLE_OK && status == 200 && !strcmp(body, c->token);
	if (rc != CURLE_OK)
		snprintf(c->detail, sizeof(c->detail), "%s", curl_easy_strerror(rc));
	outcome = c->echoed      ? "validated"
	          : c->timed_out ? "timeout"
	          : rc           ? "error"
	                         : "failed";
	return json_pack("{s:s, s:s, s:s, s:[], s:i, s:i, s:s, s:s?, s:I, s:s, s:s}",
	                 "tenantId", c->tenant_id, "kind", "validation", "url", c->url,
	                 "subscriptionIds", "attempt", 1, "status", (int)c->status,
	                 "outcome", outcome, "error", rc ? c->detail : NULL, "durationMs",
	                 (json_int_t)ms, "validationToken", c->token, "response", body);
}

void notify_checks_run(struct notifier *n, struct webhook_check *checks, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		struct xfer *x = notify_check_xfer(&checks[i], n->validate_timeout_ms);
		CURLcode rc = CURLE_OUT_OF_MEMORY;
		long status = 0;

		if (x) {
			rc = curl_easy_perform(x->easy);
			curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
		}
		pthread_mutex_lock(&n->lock);
		notify_record(n, notify_check_judge(
		                     &checks[i], rc, status, x ? x->resp : "",
		                     x ? (monotonic_us() - x->started_us) / 1000 : 0));
		pthread_mutex_unlock(&n->lock);
		if (x)
			notify_xfer_free(x);
	}
}
