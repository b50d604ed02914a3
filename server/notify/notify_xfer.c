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
	const struct curl_dl *cu = curl_dl();
	struct xfer *x = cu ? calloc(1, sizeof(*x)) : NULL;
	char ct[96];

	if (!x)
		return NULL;
	snprintf(ct, sizeof(ct), "Content-Type: %s", ctype);
	x->easy = cu->easy_init();
	x->url = strdup(url);
	x->body = strdup(body);
	x->headers = cu->slist_append(NULL, ct);
	if (!x->easy || !x->url || !x->body || !x->headers) {
		cu->easy_cleanup(x->easy);
		cu->slist_free_all(x->headers);
		free(x->url);
		free(x->body);
		free(x);
		return NULL;
	}
	cu->easy_setopt(x->easy, CURLOPT_URL, x->url);
	cu->easy_setopt(x->easy, CURLOPT_POST, 1L);
	cu->easy_setopt(x->easy, CURLOPT_POSTFIELDS, x->body);
	cu->easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(x->body));
	cu->easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->headers);
	cu->easy_setopt(x->easy, CURLOPT_USERAGENT, USER_AGENT);
	cu->easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, timeout_ms);
	cu->easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	cu->easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_body);
	cu->easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	cu->easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	x->timeout_ms = timeout_ms;
	x->started_us = monotonic_us();
	return x;
}

/* (@x was made by notify_xfer_new(): libcurl is open) */
void notify_xfer_free(struct xfer *x)
{
	const struct curl_dl *cu = curl_dl();

	cu->easy_cleanup(x->easy);
	cu->slist_free_all(x->headers);
	free(x->url);
	free(x->body);
	free(x);
}

/* "<url>?validationToken=<escaped>" (or "&..." when the URL has a query). NULL on OOM. */
static char *validation_url(const struct curl_dl *cu, CURL *easy,
                            const struct webhook_check *c)
{
	char *esc = cu->easy_escape(easy, c->token, 0);
	size_t len = strlen(c->url) + (esc ? strlen(esc) : 0) + 20;
	char *out = esc ? malloc(len) : NULL;

	if (out)
		snprintf(out, len, "%s%svalidationToken=%s", c->url,
		         strchr(c->url, '?') ? "&" : "?", esc);
	cu->free(esc);
	return out;
}

struct xfer *notify_check_xfer(const struct webhook_check *c, long timeout_ms)
{
	const struct curl_dl *cu = curl_dl();
	CURL *tmp = cu ? cu->easy_init() : NULL;
	char *url = tmp ? validation_url(cu, tmp, c) : NULL;
	struct xfer *x =
	    url ? notify_xfer_new(url, "", "text/plain; charset=utf-8", timeout_ms)
	        : NULL;

	if (tmp)
		cu->easy_cleanup(tmp);
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
		snprintf(c->detail, sizeof(c->detail), "%s",
		         curl_dl() ? curl_dl()->easy_strerror(rc) : curl_dl_error());
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
		CURLcode rc = curl_dl() ? CURLE_OUT_OF_MEMORY : CURLE_FAILED_INIT;
		long status = 0;

		if (x) {
			rc = curl_dl()->easy_perform(x->easy);
			curl_dl()->easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
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
