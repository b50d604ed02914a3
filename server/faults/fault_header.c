/*
 * server/faults/fault_header.c - the compact one-shot form of a rule carried by the
 * X-Graphmock-Fault header ("error=throttled;retry-after=1", "reset",
 * "latency=100-300"): turned into the JSON form and parsed like any rule.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fault.h"

/* A compact value as JSON: integers and decimals as numbers, the rest as strings. */
static json_t *compact_value(const char *v)
{
	char *end;
	long long n;
	double d;

	if (!strcmp(v, "none") || !strcmp(v, "null"))
		return json_null();
	n = strtoll(v, &end, 10);
	if (*v && !*end)
		return json_integer(n);
	d = strtod(v, &end);
	if (*v && !*end && (isdigit((unsigned char)*v) || *v == '.'))
		return json_real(d);
	return json_string(v);
}

/* latency=200 or latency=100-300 */
static json_t *compact_latency(const char *v)
{
	const char *dash = strchr(v, '-');
	char lo[24];

	if (!dash || dash == v)
		return compact_value(v);
	snprintf(lo, sizeof(lo), "%.*s", (int)(dash - v), v);
	return json_pack("{s:o, s:o}", "min", compact_value(lo), "max",
	                 compact_value(dash + 1));
}

struct compact_key {
	const char *name;
	const char *section; /* "action" or "when" */
	const char *key;
};

static const struct compact_key compact_keys[] = {
    {"error", "action", "error"},
    {"status", "action", "status"},
    {"code", "action", "code"},
    {"message", "action", "message"},
    {"retry-after", "action", "retryAfter"},
    {"retryafter", "action", "retryAfter"},
    {"latency", "action", "latency"},
    {"connection", "action", "connection"},
    {"ghost-write", "action", "ghostWrite"},
    {"ghostwrite", "action", "ghostWrite"},
    {"probability", "when", "probability"},
    {NULL, NULL, NULL},
};

/* Apply one "key=value" or bare "reset" item to the rule being built. */
static int compact_item(char *item, json_t *action, json_t *when, char *err,
                        size_t errlen)
{
	char *eq = strchr(item, '=');
	const char *val;
	json_t *jv;

	if (!eq) {
		enum fault_conn c;
		if (fault_conn_parse(item, &c)) {
			snprintf(err, errlen, "X-Graphmock-Fault: unknown item '%s'",
			         item);
			return -1;
		}
		return json_object_set_new(action, "connection", json_string(item));
	}
	*eq = '\0';
	val = eq + 1;
	for (char *c = item; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	for (const struct compact_key *k = compact_keys; k->name; k++) {
		if (strcmp(item, k->name))
			continue;
		if (!strcmp(k->key, "latency"))
			jv = compact_latency(val);
		else if (!strcmp(k->key, "code") || !strcmp(k->key, "message") ||
		         !strcmp(k->key, "connection"))
			jv = json_string(val);
		else
			jv = compact_value(val);
		return json_object_set_new(*k->section == 'a' ? action : when, k->key,
		                           jv);
	}
	snprintf(err, errlen, "X-Graphmock-Fault: unknown key '%s'", item);
	return -1;
}

struct fault_rule *fault_rule_parse_compact(const char *s, char *err, size_t errlen)
{
	json_t *action = json_object(), *when = json_object(), *rule = NULL;
	struct fault_rule *r = NULL;
	char *copy = strdup(s), *item, *next;

	if (!copy || !action || !when) {
		snprintf(err, errlen, "X-Graphmock-Fault: out of memory");
		goto out_free;
	}
	for (item = copy; item; item = next) {
		next = strchr(item, ';');
		if (next)
			*next++ = '\0';
		while (*item == ' ' || *item == '\t')
			item++;
		for (char *end = item + strlen(item);
		     end > item && (end[-1] == ' ' || end[-1] == '\t');)
			*--end = '\0';
		if (!*item)
			continue;
		if (compact_item(item, action, when, err, errlen))
			goto out_free;
	}
	/* "error=503;code=X" reads as a custom error: move the status over. */
	if ((json_object_get(action, "code") || json_object_get(action, "message")) &&
	    json_is_integer(json_object_get(action, "error")) &&
	    !json_object_get(action, "status")) {
		json_object_set(action, "status", json_object_get(action, "error"));
		json_object_del(action, "error");
	}
	rule = json_pack("{s:s, s:O}", "id", "header", "action", action);
	if (rule && json_object_size(when))
		json_object_set(rule, "when", when);
	if (!rule) {
		snprintf(err, errlen, "X-Graphmock-Fault: out of memory");
		goto out_free;
	}
	r = fault_rule_parse(rule, 0, err, errlen);
	if (!r) {
		/* Name the header rather than "rule 0 (id 'header')". */
		const char *colon = strstr(err, "): ");
		if (colon) {
			char tail[512];
			snprintf(tail, sizeof(tail), "%s", colon + 3);
			snprintf(err, errlen, "X-Graphmock-Fault: %s", tail);
		}
	} else if (r->kind == FAULT_MAIL || r->kind == FAULT_LAG ||
	           r->kind == FAULT_THROTTLE || r->kind == FAULT_NOTIFY) {
		snprintf(
		    err, errlen,
		    "X-Graphmock-Fault: only request faults may be sent per request");
		fault_rule_free(r);
		r = NULL;
	}
out_free:
	json_decref(rule);
	json_decref(action);
	json_decref(when);
	free(copy);
	return r;
}
