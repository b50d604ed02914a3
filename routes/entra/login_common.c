/*
 * routes/entra/login_common.c - Entra's error envelope and tenant segment rules for
 * the mock login endpoints.
 */
#include "login.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../state/state.h"

int login_reply(struct resp *resp, unsigned status, json_t *body)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	int rc;

	json_decref(body);
	if (!text)
		return -1;
	rc = resp_raw(resp, status, LOGIN_CONTENT_TYPE, text, strlen(text));
	free(text);
	return rc;
}

int login_error(struct resp *resp, const struct req *req, unsigned status,
                const char *error, unsigned code, const char *fmt, ...)
{
	char msg[1024], when[TIME_ISO_LEN], desc[1400], uri[96];
	const char *trace = req->request_id, *corr = req->client_request_id;
	char *t;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Entra writes "2023-06-02 21:00:26Z" */
	time_format(req->now_ms, TIME_SECONDS_Z, when);
	t = strchr(when, 'T');
	if (t)
		*t = ' ';
	snprintf(desc, sizeof(desc),
	         "AADSTS%u: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
	         code, msg, trace, corr, when);
	snprintf(uri, sizeof(uri), "https://login.microsoftonline.com/error?code=%u",
	         code);
	login_reply(resp, status,
	            json_pack("{s:s, s:s, s:[I], s:s, s:s, s:s, s:s}", "error", error,
	                      "error_description", desc, "error_codes", (json_int_t)code,
	                      "timestamp", when, "trace_id", trace, "correlation_id",
	                      corr, "error_uri", uri));
	resp_header(resp, "Cache-Control", "no-store, no-cache");
	resp_header(resp, "Pragma", "no-cache");
	resp_header(resp, "Expires", "-1");
	return -1;
}

int login_invalid_tenant(struct resp *resp, const struct req *req, const char *segment)
{
	return login_error(
	    resp, req, 400, "invalid_tenant", 90002,
	    "Tenant '%s' not found. This may happen if there are no active subscriptions "
	    "for the tenant. Check to make sure you have the correct tenant ID. Check "
	    "with your subscription administrator.",
	    segment);
}

bool login_is_alias(const char *segment)
{
	static const char *const aliases[] = {"common", "organizations", "consumers",
	                                      "adfs"};

	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcasecmp(segment, aliases[i]))
			return true;
	return false;
}

static bool has_sp(struct tenant *t, const char *app_id)
{
	size_t n = 0;
	struct dobj *const *hits = state_dobj_lookup(t, IDX_APPID, app_id, &n);

	for (size_t i = 0; i < n; i++)
		if (hits[i]->kind == DOBJ_SERVICE_PRINCIPAL)
			return true;
	return false;
}

struct tenant *login_tenant(struct state *st, const char *segment, const char *app_id)
{
	struct tenant *t;

	if (!login_is_alias(segment))
		return state_tenant_find(st, segment);
	for (t = app_id ? st->tenants : NULL; t; t = t->hh.next) {
		bool found;

		state_tenant_lock(t); /* one tenant at a time */
		found = has_sp(t, app_id);
		state_tenant_unlock(t);
		if (found)
			return t;
	}
	return state_tenant_default(st);
}
