/*
 * server/faults/fault_parse.c - fault rules from JSON, validated field by field.
 * Every message names the rule and the field. The header form is in
 * fault_header.c, the catalogue of Graph's errors in fault_catalogue.c.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../state/state.h"
#include "../core/error.h"
#include "fault.h"

/* Parsing context: which rule, for messages. */
struct pctx {
	char name[FAULT_ID_LEN + 32];
	char *err;
	size_t errlen;
};

static int fail(struct pctx *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct pctx *p, const char *field, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s: %s: %s", p->name, field, what);
	return -1;
}

static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* IMF-fixdate "Wed, 21 Oct 2026 07:28:00 GMT" -> ms since the epoch; -1 when malformed.
 */
static int64_t parse_http_date(const char *s)
{
	char wday[4], mon[4], iso[32];
	int day, year, hh, mm, ss, n = 0;
	int64_t ms;

	if (sscanf(s, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n", wday, &day, mon,
	           &year, &hh, &mm, &ss, &n) != 7 ||
	    !n || s[n])
		return -1;
	for (int i = 0; i < 12; i++)
		if (!strcmp(mon, month_names[i])) {
			snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02dZ", year,
			         i + 1, day, hh, mm, ss);
			return time_parse_iso(iso, &ms) ? -1 : ms;
		}
	return -1;
}

/* Retry-After from JSON: integer or fractional seconds, an HTTP-date, or null. */
static int parse_retry_after(struct pctx *p, const json_t *v, struct fault_error *err)
{
	if (json_is_null(v)) {
		err->retry = RETRY_AFTER_NONE;
		err->retry_after[0] = '\0';
		err->retry_ms = 0;
		return 0;
	}
	if (json_is_integer(v) && json_integer_value(v) >= 0 &&
	    json_integer_value(v) <= 86400 * 365) {
		err->retry = RETRY_AFTER_SECONDS;
		snprintf(err->retry_after, sizeof(err->retry_after), "%lld",
		         (long long)json_integer_value(v));
		err->retry_ms = json_integer_value(v) * 1000;
		return 0;
	}
	if (json_is_real(v) && json_real_value(v) >= 0 &&
	    json_real_value(v) <= 86400.0 * 365) {
		err->retry = RETRY_AFTER_SECONDS;
		snprintf(err->retry_after, sizeof(err->retry_after), "%.15g",
		         json_real_value(v));
		err->retry_ms = (int64_t)(json_real_value(v) * 1000.0);
		return 0;
	}
	if (json_is_string(v) && parse_http_date(json_string_value(v)) >= 0) {
		err->retry = RETRY_AFTER_DATE;
		snprintf(err->retry_after, sizeof(err->retry_after), "%s",
		         json_string_value(v));
		err->retry_ms = parse_http_date(json_string_value(v)); /* absolute */
		return 0;
	}
	return fail(
	    p, "action.retryAfter",
	    "must be seconds (integer or fraction, >= 0), an HTTP-date like 'Wed, 21 "
	    "Oct 2026 07:28:00 GMT', or null");
}

static int get_int(struct pctx *p, const json_t *o, const char *key, const char *field,
                   int64_t min, int64_t max, int64_t *out)
{
	const json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		return fail(p, field, "must be an integer from %lld to %lld",
		            (long long)min, (long long)max);
	*out = json_integer_value(v);
	return 0;
}

static int check_keys(struct pctx *p, const json_t *o, const char *where,
                      const char *const *allowed)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)o, key, v)
	{
		bool ok = false;
		for (size_t i = 0; allowed[i]; i++)
			ok |= !strcmp(key, allowed[i]);
		if (!ok) {
			char field[128];
			snprintf(field, sizeof(field), "%s%s%s", where, *where ? "." : "",
			         key);
			return fail(p, field, "unknown property");
		}
	}
	return 0;
}

static char *dup_string(struct pctx *p, const json_t *v, const char *field, size_t max)
{
	char *s;

	if (!json_is_string(v) || !json_string_length(v) || json_string_length(v) > max) {
		fail(p, field, "must be a non-empty string of at most %zu characters",
		     max);
		return NULL;
	}
	s = strdup(json_string_value(v));
	if (!s)
		fail(p, field, "out of memory");
	return s;
}

static int parse_methods(struct pctx *p, const json_t *v, unsigned *mask)
{
	size_t i;
	json_t *m;

	if (json_is_string(v)) {
		*mask = fault_method_bit(json_string_value(v));
		if (!*mask)
			return fail(p, "match.method", "unknown method '%s'",
			            json_string_value(v));
		return 0;
	}
	if (!json_is_array(v) || !json_array_size(v))
		return fail(p, "match.method",
		            "must be a method or a non-empty list of them");
	json_array_foreach(v, i, m)
	{
		unsigned bit =
		    json_is_string(m) ? fault_method_bit(json_string_value(m)) : 0;
		if (!bit)
			return fail(p, "match.method", "item %zu is not a known method",
			            i);
		*mask |= bit;
	}
	return 0;
}

static int parse_match(struct pctx *p, const json_t *m, struct fault_rule *r)
{
	static const char *const keys[] = {"method", "path", "tenant", "header", NULL};
	const json_t *v;

	if (!json_is_object(m))
		return fail(p, "match", "must be an object");
	if (check_keys(p, m, "match", keys))
		return -1;
	v = json_object_get(m, "method");
	if (v && parse_methods(p, v, &r->methods))
		return -1;
	v = json_object_get(m, "path");
	if (v) {
		r->path = dup_string(p, v, "match.path", FAULT_PATTERN_MAX);
		if (!r->path)
			return -1;
		if (r->path[0] != '/')
			return fail(p, "match.path", "must start with '/'");
		if (fault_pattern_compile(&r->path_fp, r->path, FAULT_PATTERN_PATH, true))
			return fail(p, "match.path", "out of memory");
		r->path_versionless = !fault_path_strip_version(r->path);
	}
	v = json_object_get(m, "tenant");
	if (v && !(r->tenant = dup_string(p, v, "match.tenant", 255)))
		return -1;
	v = json_object_get(m, "header");
	if (v) {
		static const char *const hkeys[] = {"name", "value", NULL};
		if (!json_is_object(v))
			return fail(p, "match.header",
			            "must be an object {\"name\", \"value\"?}");
		if (check_keys(p, v, "match.header", hkeys))
			return -1;
		r->header_name =
		    dup_string(p, json_object_get(v, "name"), "match.header.name", 255);
		if (!r->header_name)
			return -1;
		for (char *c = r->header_name; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		if (json_object_get(v, "value") &&
		    !(r->header_value = dup_string(p, json_object_get(v, "value"),
		                                   "match.header.value", 1024)))
			return -1;
	}
	return 0;
}

static int parse_when(struct pctx *p, const json_t *w, struct fault_rule *r)
{
	static const char *const keys[] = {"probability", "times", "after", "every",
	                                   NULL};
	const json_t *prob;

	if (!json_is_object(w))
		return fail(p, "when", "must be an object");
	if (check_keys(p, w, "when", keys))
		return -1;
	prob = json_object_get(w, "probability");
	if (prob) {
		if (!json_is_number(prob) || json_number_value(prob) < 0 ||
		    json_number_value(prob) > 1)
			return fail(p, "when.probability",
			            "must be a number from 0 to 1");
		r->probability = json_number_value(prob);
	}
	if (get_int(p, w, "times", "when.times", 1, INT32_MAX, &r->times) ||
	    get_int(p, w, "after", "when.after", 0, INT32_MAX, &r->after) ||
	    get_int(p, w, "every", "when.every", 1, INT32_MAX, &r->every))
		return -1;
	return 0;
}

static int parse_error_action(struct pctx *p, const json_t *a, struct fault_rule *r)
{
	const json_t *v = json_object_get(a, "error");
	char name[32];

	if (json_is_integer(v))
		snprintf(name, sizeof(name), "%lld", (long long)json_integer_value(v));
	else if (json_is_string(v))
		snprintf(name, sizeof(name), "%s", json_string_value(v));
	else
		return fail(p, "action.error",
		            "must be a catalogue name or an HTTP status");
	if (!fault_catalogue(name, &r->error))
		return fail(
		    p, "action.error",
		    "unknown error '%s' (throttled, serviceUnavailable, gatewayTimeout, "
		    "internalError, badGateway, notFound, forbidden, unauthorized, "
		    "badRequest, conflict, throttledTemporarily, insufficientStorage or "
		    "a status 400-599)",
		    name);
	r->kind = FAULT_ERROR;
	return 0;
}

static int parse_custom_action(struct pctx *p, const json_t *a, struct fault_rule *r)
{
	int64_t status = 0;
	const json_t *code = json_object_get(a, "code");
	const json_t *msg = json_object_get(a, "message");
	const json_t *body = json_object_get(a, "body");

	if (get_int(p, a, "status", "action.status", 400, 599, &status))
		return -1;
	memset(&r->error, 0, sizeof(r->error));
	r->error.status = (unsigned)status;
	r->error.graph_429 = status == 429;
	if (code &&
	    (!json_is_string(code) || json_string_length(code) >= sizeof(r->error.code)))
		return fail(p, "action.code",
		            "must be a string of at most 63 characters");
	if (msg &&
	    (!json_is_string(msg) || json_string_length(msg) >= sizeof(r->error.message)))
		return fail(p, "action.message",
		            "must be a string of at most 255 characters");
	snprintf(r->error.code, sizeof(r->error.code), "%s",
	         code           ? json_string_value(code)
	         : status < 500 ? "BadRequest"
	                        : "UnknownError");
	snprintf(r->error.message, sizeof(r->error.message), "%s",
	         msg ? json_string_value(msg) : "");
	if (body) {
		if (!json_is_object(body) && !json_is_array(body) &&
		    !json_is_string(body))
			return fail(p, "action.body",
			            "must be an object, an array or a string");
		r->error.body = json_deep_copy(body);
		if (!r->error.body)
			return fail(p, "action.body", "out of memory");
	}
	r->kind = FAULT_ERROR;
	return 0;
}

static int parse_latency(struct pctx *p, const json_t *v, struct fault_rule *r)
{
	static const char *const keys[] = {"min", "max", NULL};

	r->kind = FAULT_LATENCY;
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0 || json_integer_value(v) > 600000)
			return fail(p, "action.latency", "must be 0 to 600000 ms");
		r->latency_min = r->latency_max = json_integer_value(v);
		return 0;
	}
	if (!json_is_object(v))
		return fail(p, "action.latency",
		            "must be ms or {\"min\": ms, \"max\": ms}");
	if (check_keys(p, v, "action.latency", keys) ||
	    get_int(p, v, "min", "action.latency.min", 0, 600000, &r->latency_min) ||
	    get_int(p, v, "max", "action.latency.max", 0, 600000, &r->latency_max))
		return -1;
	if (!json_object_get(v, "min") || !json_object_get(v, "max"))
		return fail(p, "action.latency", "needs both min and max");
	if (r->latency_max < r->latency_min)
		return fail(p, "action.latency.max", "must not be below min");
	return 0;
}

int fault_conn_parse(const char *s, enum fault_conn *out)
{
	static const char *const names[] = {"reset", "close", "truncate", "garbage"};

	for (int i = 0; i < 4; i++)
		if (s && !strcmp(s, names[i])) {
			*out = (enum fault_conn)i;
			return 0;
		}
	return -1;
}

static int parse_ghost(struct pctx *p, const json_t *v, struct fault_rule *r)
{
	char name[16];

	r->kind = FAULT_GHOST;
	if (json_is_string(v) && !strcmp(json_string_value(v), "reset")) {
		r->ghost_reset = true;
		r->conn = FAULT_CONN_RESET;
		return 0;
	}
	if (!json_is_integer(v) ||
	    (json_integer_value(v) != 500 && json_integer_value(v) != 503 &&
	     json_integer_value(v) != 504))
		return fail(p, "action.ghostWrite", "must be 500, 503, 504 or \"reset\"");
	snprintf(name, sizeof(name), "%lld", (long long)json_integer_value(v));
	fault_catalogue(name, &r->error);
	r->error.retry =
	    RETRY_AFTER_NONE; /* a ghost 5xx carries no Retry-After unless asked */
	return 0;
}

static int parse_throttle(struct pctx *p, const json_t *v, struct fault_rule *r)
{
	static const char *const keys[] = {"limit", "windowMs", "per", NULL};
	const json_t *per = json_object_get(v, "per");

	if (!json_is_object(v))
		return fail(p, "throttle",
		            "must be {\"limit\": N, \"windowMs\": W, \"per\": ...}");
	if (check_keys(p, v, "throttle", keys))
		return -1;
	if (!json_object_get(v, "limit") || !json_object_get(v, "windowMs"))
		return fail(p, "throttle", "limit and windowMs are required");
	if (get_int(p, v, "limit", "throttle.limit", 1, 1000000000, &r->throttle.limit) ||
	    get_int(p, v, "windowMs", "throttle.windowMs", 1, 86400000,
	            &r->throttle.window_ms))
		return -1;
	r->throttle.per = THROTTLE_CLIENT;
	if (per) {
		const char *s = json_string_value(per);
		if (s && !strcmp(s, "client"))
			r->throttle.per = THROTTLE_CLIENT;
		else if (s && !strcmp(s, "tenant"))
			r->throttle.per = THROTTLE_TENANT;
		else if (s && !strcmp(s, "global"))
			r->throttle.per = THROTTLE_GLOBAL;
		else
			return fail(p, "throttle.per",
			            "must be \"client\", \"tenant\" or \"global\"");
	}
	fault_catalogue("throttled", &r->error);
	r->kind = FAULT_THROTTLE;
	return 0;
}

static int parse_mail(struct pctx *p, const json_t *v, struct fault_rule *r)
{
	static const char *const keys[] = {"to", "outcome", "reason", "delayMs", NULL};
	static const char *const outcomes[] = {"delivered", "bounced", "delayed",
	                                       "dropped"};
	const char *outcome = json_string_value(json_object_get(v, "outcome"));
	const json_t *reason = json_object_get(v, "reason");
	int i;

	if (!json_is_object(v))
		return fail(p, "mail",
		            "must be {\"to\", \"outcome\", \"reason\"?, \"delayMs\"?}");
	if (check_keys(p, v, "mail", keys))
		return -1;
	r->mail_to =
	    dup_string(p, json_object_get(v, "to"), "mail.to", FAULT_PATTERN_MAX);
	if (!r->mail_to)
		return -1;
	if (fault_pattern_compile(&r->mail_fp, r->mail_to, FAULT_PATTERN_GLOB, true))
		return fail(p, "mail.to", "out of memory");
	for (i = 0; i < 4; i++)
		if (outcome && !strcmp(outcome, outcomes[i]))
			break;
	if (i == 4)
		return fail(
		    p, "mail.outcome",
		    "must be \"delivered\", \"bounced\", \"delayed\" or \"dropped\"");
	r->mail.outcome = (enum mail_delivery)i;
	if (reason && (!json_is_string(reason) ||
	               json_string_length(reason) >= sizeof(r->mail.reason)))
		return fail(p, "mail.reason",
		            "must be a string of at most 159 characters");
	snprintf(r->mail.reason, sizeof(r->mail.reason), "%s",
	         reason                            ? json_string_value(reason)
	         : r->mail.outcome == MAIL_BOUNCED ? "550 5.1.1 The email account that "
	                                             "you tried to reach does not exist."
	                                           : "");
	if (get_int(p, v, "delayMs", "mail.delayMs", 0, 86400000, &r->mail.delay_ms))
		return -1;
	if (r->mail.outcome == MAIL_DELAYED && !json_object_get(v, "delayMs"))
		return fail(p, "mail.delayMs", "is required when outcome is \"delayed\"");
	r->kind = FAULT_MAIL;
	return 0;
}

static int parse_notification(struct pctx *p, const json_t *v, struct fault_rule *r)
{
	static const char *const keys[] = {"url", "outcome", "delayMs", NULL};
	static const char *const outcomes[] = {"delayed", "dropped", "duplicated",
	                                       "outOfOrder"};
	static const enum notify_outcome values[] = {NOTIFY_DELAY, NOTIFY_DROP,
	                                             NOTIFY_DUPLICATE, NOTIFY_REORDER};
	const char *outcome = json_string_value(json_object_get(v, "outcome"));
	int i;

	if (!json_is_object(v))
		return fail(p, "notification",
		            "must be {\"url\"?, \"outcome\", \"delayMs\"?}");
	if (check_keys(p, v, "notification", keys))
		return -1;
	if (json_object_get(v, "url")) {
		r->notify_url =
		    dup_string(p, json_object_get(v, "url"), "notification.url", 2048);
		if (!r->notify_url)
			return -1;
	}
	for (i = 0; i < 4; i++)
		if (outcome && !strcmp(outcome, outcomes[i]))
			break;
	if (i == 4)
		return fail(p, "notification.outcome",
		            "must be \"delayed\", \"dropped\", \"duplicated\" or "
		            "\"outOfOrder\"");
	r->notify.outcome = values[i];
	if (get_int(p, v, "delayMs", "notification.delayMs", 0, 3600000,
	            &r->notify.delay_ms))
		return -1;
	if (r->notify.outcome == NOTIFY_DELAY && !json_object_get(v, "delayMs"))
		return fail(p, "notification.delayMs",
		            "is required when outcome is \"delayed\"");
	r->kind = FAULT_NOTIFY;
	return 0;
}

static int parse_lag(struct pctx *p, const json_t *v, struct fault_rule *r)
{
	static const char *const keys[] = {"kind", "ms", "reads", NULL};
	static const char *const kinds[] = {"user", "group", "servicePrincipal",
	                                    "application", "appRoleAssignment"};
	static const int targets[] = {DOBJ_USER, DOBJ_GROUP, DOBJ_SERVICE_PRINCIPAL,
	                              DOBJ_APPLICATION, LAG_ASSIGNMENT};
	const char *kind = json_string_value(json_object_get(v, "kind"));
	int64_t reads = 0;
	int i;

	if (!json_is_object(v))
		return fail(p, "lag", "must be {\"kind\", \"ms\"?, \"reads\"?}");
	if (check_keys(p, v, "lag", keys))
		return -1;
	for (i = 0; i < 5; i++)
		if (kind && !strcmp(kind, kinds[i]))
			break;
	if (i == 5)
		return fail(
		    p, "lag.kind",
		    "must be \"user\", \"group\", \"servicePrincipal\", \"application\" "
		    "or \"appRoleAssignment\"");
	r->lag_target = targets[i];
	if (get_int(p, v, "ms", "lag.ms", 0, 3600000, &r->lag_ms) ||
	    get_int(p, v, "reads", "lag.reads", 0, 1000000, &reads))
		return -1;
	if (!r->lag_ms && !reads)
		return fail(p, "lag", "needs \"ms\" or \"reads\" above 0");
	r->lag_reads = (int)reads;
	r->kind = FAULT_LAG;
	return 0;
}

/* Exactly one action per rule; "retryAfter" may go with error/status. */
static int parse_action(struct pctx *p, const json_t *a, struct fault_rule *r)
{
	static const char *const keys[] = {
	    "error",      "status",  "code",         "message",    "body",
	    "retryAfter", "latency", "connection",   "ghostWrite", "throttle",
	    "mail",       "lag",     "notification", NULL};
	static const char *const kinds[] = {"error",      "status",     "latency",
	                                    "connection", "ghostWrite", "throttle",
	                                    "mail",       "lag",        "notification"};
	const char *which = NULL;
	const json_t *ra = json_object_get(a, "retryAfter");
	int rc;

	if (!json_is_object(a))
		return fail(p, "action", "must be an object");
	if (check_keys(p, a, "action", keys))
		return -1;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!json_object_get(a, kinds[i]))
			continue;
		if (which)
			return fail(p, "action",
			            "has both '%s' and '%s'; one action per rule", which,
			            kinds[i]);
		which = kinds[i];
	}
	if (!which)
		return fail(
		    p, "action",
		    "needs one of error, status, latency, connection, ghostWrite, "
		    "throttle, mail, lag, notification");
	if ((json_object_get(a, "code") || json_object_get(a, "message") ||
	     json_object_get(a, "body")) &&
	    strcmp(which, "status"))
		return fail(p, "action",
		            "code, message and body go with a custom \"status\"");
	if (!strcmp(which, "error"))
		rc = parse_error_action(p, a, r);
	else if (!strcmp(which, "status"))
		rc = parse_custom_action(p, a, r);
	else if (!strcmp(which, "latency"))
		rc = parse_latency(p, json_object_get(a, which), r);
	else if (!strcmp(which, "connection")) {
		r->kind = FAULT_CONNECTION;
		rc = fault_conn_parse(json_string_value(json_object_get(a, which)),
		                      &r->conn);
		if (rc)
			fail(p, "action.connection",
			     "must be \"reset\", \"close\", \"truncate\" or \"garbage\"");
	} else if (!strcmp(which, "ghostWrite"))
		rc = parse_ghost(p, json_object_get(a, which), r);
	else if (!strcmp(which, "throttle"))
		rc = parse_throttle(p, json_object_get(a, which), r);
	else if (!strcmp(which, "mail"))
		rc = parse_mail(p, json_object_get(a, which), r);
	else if (!strcmp(which, "notification"))
		rc = parse_notification(p, json_object_get(a, which), r);
	else
		rc = parse_lag(p, json_object_get(a, which), r);
	if (rc)
		return -1;
	if (ra && r->kind != FAULT_ERROR && r->kind != FAULT_GHOST)
		return fail(p, "action.retryAfter",
		            "goes with error, status or ghostWrite only");
	if (ra && r->ghost_reset)
		return fail(p, "action.retryAfter", "a reset sends no headers");
	return ra ? parse_retry_after(p, ra, &r->error) : 0;
}

static bool id_valid(const char *s)
{
	if (!*s || strlen(s) >= FAULT_ID_LEN)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.:", *s))
			return false;
	return true;
}

/*
 * "mail", "lag", "throttle" and "notification" may sit at the top of a rule
 * as shorthand for an action.
 */
static json_t *effective_action(const json_t *j)
{
	static const char *const shorthand[] = {"mail", "lag", "throttle",
	                                        "notification"};
	json_t *a = json_object_get(j, "action");

	for (int i = 0; i < 4; i++) {
		json_t *v = json_object_get(j, shorthand[i]);
		if (!v)
			continue;
		if (a)
			return NULL;
		return json_pack("{s:O}", shorthand[i], v);
	}
	return json_incref(a);
}

struct fault_rule *fault_rule_parse(const json_t *j, size_t index, char *err,
                                    size_t errlen)
{
	static const char *const keys[] = {
	    "id",  "description", "match",        "when",    "action", "mail",
	    "lag", "throttle",    "notification", "enabled", NULL};
	struct pctx p = {.err = err, .errlen = errlen};
	const json_t *id = json_object_get(j, "id");
	struct fault_rule *r;
	json_t *action;

	snprintf(p.name, sizeof(p.name), "rule %zu", index);
	if (json_is_string(id))
		snprintf(p.name, sizeof(p.name), "rule %zu (id '%.63s')", index,
		         json_string_value(id));
	if (!json_is_object(j)) {
		fail(&p, "$", "must be an object");
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		fail(&p, "$", "out of memory");
		return NULL;
	}
	r->probability = 1.0;
	if (check_keys(&p, j, "", keys))
		goto out_free;
	if (id && (!json_is_string(id) || !id_valid(json_string_value(id)))) {
		fail(&p, "id", "must be 1-63 letters, digits or -_.:");
		goto out_free;
	}
	if (id)
		snprintf(r->id, sizeof(r->id), "%s", json_string_value(id));
	if (json_object_get(j, "description") &&
	    !json_is_string(json_object_get(j, "description"))) {
		fail(&p, "description", "must be a string");
		goto out_free;
	}
	if (json_object_get(j, "enabled") &&
	    !json_is_boolean(json_object_get(j, "enabled"))) {
		fail(&p, "enabled", "must be true or false");
		goto out_free;
	}
	r->disabled = json_is_false(json_object_get(j, "enabled"));
	if (json_object_get(j, "match") &&
	    parse_match(&p, json_object_get(j, "match"), r))
		goto out_free;
	if (json_object_get(j, "when") && parse_when(&p, json_object_get(j, "when"), r))
		goto out_free;
	action = effective_action(j);
	if (!action) {
		fail(&p, "action",
		     "is required (or one of mail, lag, throttle, notification, not "
		     "both)");
		goto out_free;
	}
	if (parse_action(&p, action, r)) {
		json_decref(action);
		goto out_free;
	}
	json_decref(action);
	r->source = json_deep_copy(j);
	if (!r->source) {
		fail(&p, "$", "out of memory");
		goto out_free;
	}
	return r;

out_free:
	fault_rule_free(r);
	return NULL;
}

void fault_rule_free(struct fault_rule *r)
{
	if (!r)
		return;
	json_decref(r->source);
	json_decref(r->error.body);
	free(r->path);
	fault_pattern_release(&r->path_fp);
	fault_pattern_release(&r->mail_fp);
	free(r->tenant);
	free(r->header_name);
	free(r->header_value);
	free(r->mail_to);
	free(r->notify_url);
	free(r);
}
