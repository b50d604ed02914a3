/*
 * server/faults/fault_test.c - the rule model: JSON and compact parsing, pattern
 * matching, when-conditions, seeded reproducibility, mail and lag rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "../../state/state.h"
#include "fault.h"
#include "../core/req.h"
#include "../../state/load/tenants.h"

static struct fault_rule *parse(const char *text, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);
	struct fault_rule *r;

	assert_non_null(j);
	r = fault_rule_parse(j, 3, err, errlen);
	json_decref(j);
	return r;
}

static void expect_parse_error(const char *text, const char *fragment)
{
	char err[512] = "";
	struct fault_rule *r = parse(text, err, sizeof(err));

	assert_null(r);
	if (!strstr(err, fragment))
		fail_msg("error '%s' lacks '%s'", err, fragment);
}

static void test_parse_full_rule(void **s)
{
	char err[512];
	struct fault_rule *r =
	    parse("{\"id\":\"slow\",\"match\":{\"method\":[\"GET\",\"POST\"],\"path\":\"/"
	          "v1.0/users/*\","
	          "\"tenant\":\"contoso.onmicrosoft.com\",\"header\":{\"name\":\"X-"
	          "Test\",\"value\":\"1\"}},"
	          "\"when\":{\"probability\":0.5,\"times\":2,\"after\":1,\"every\":3},"
	          "\"action\":{\"latency\":{\"min\":100,\"max\":300}}}",
	          err, sizeof(err));

	(void)s;
	assert_non_null(r);
	assert_string_equal(r->id, "slow");
	assert_int_equal(r->methods, fault_method_bit("GET") | fault_method_bit("POST"));
	assert_string_equal(r->path, "/v1.0/users/*");
	assert_string_equal(r->header_name, "x-test");
	assert_true(r->probability == 0.5);
	assert_int_equal(r->times, 2);
	assert_int_equal(r->after, 1);
	assert_int_equal(r->every, 3);
	assert_int_equal(r->kind, FAULT_LATENCY);
	assert_int_equal(r->latency_min, 100);
	assert_int_equal(r->latency_max, 300);
	fault_rule_free(r);
}

static void test_parse_error_catalogue(void **s)
{
	char err[512];
	struct fault_rule *r;

	(void)s;
	r = parse("{\"action\":{\"error\":\"throttled\",\"retryAfter\":2.128}}", err,
	          sizeof(err));
	assert_non_null(r);
	assert_int_equal(r->error.status, 429);
	assert_string_equal(r->error.code, "TooManyRequests");
	assert_string_equal(r->error.retry_after, "2.128");
	assert_true(r->error.graph_429);
	fault_rule_free(r);
	r = parse("{\"action\":{\"error\":\"throttled\",\"retryAfter\":null}}", err,
	          sizeof(err));
	assert_int_equal(r->error.retry, RETRY_AFTER_NONE);
	fault_rule_free(r);
	r = parse("{\"action\":{\"error\":\"serviceUnavailable\",\"retryAfter\":\"Wed, "
	          "21 Oct 2026 "
	          "07:28:00 GMT\"}}",
	          err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(r->error.retry, RETRY_AFTER_DATE);
	assert_string_equal(r->error.code, "serviceNotAvailable");
	fault_rule_free(r);
	r = parse("{\"action\":{\"error\":\"gatewayTimeout\"}}", err, sizeof(err));
	assert_string_equal(r->error.code, "UnknownError");
	assert_string_equal(r->error.message, "");
	assert_int_equal(r->error.retry, RETRY_AFTER_NONE);
	fault_rule_free(r);
	r = parse("{\"action\":{\"error\":\"badGateway\"}}", err, sizeof(err));
	assert_true(r->error.html);
	fault_rule_free(r);
	r = parse(
	    "{\"action\":{\"status\":418,\"code\":\"Teapot\",\"message\":\"short\"}}",
	    err, sizeof(err));
	assert_int_equal(r->error.status, 418);
	assert_string_equal(r->error.code, "Teapot");
	fault_rule_free(r);
}

static void test_parse_errors_name_rule_and_field(void **s)
{
	(void)s;
	expect_parse_error("{\"id\":\"x\",\"action\":{\"error\":\"nope\"}}",
	                   "rule 3 (id 'x'): action.error: unknown error 'nope'");
	expect_parse_error("{\"action\":{\"latency\":-1}}", "rule 3: action.latency");
	expect_parse_error(
	    "{\"when\":{\"probability\":2},\"action\":{\"connection\":\"reset\"}}",
	    "when.probability");
	expect_parse_error(
	    "{\"when\":{\"times\":0},\"action\":{\"connection\":\"reset\"}}",
	    "when.times");
	expect_parse_error(
	    "{\"match\":{\"method\":\"FETCH\"},\"action\":{\"connection\":\"reset\"}}",
	    "match.method");
	expect_parse_error(
	    "{\"match\":{\"path\":\"users\"},\"action\":{\"connection\":\"reset\"}}",
	    "match.path");
	expect_parse_error("{\"action\":{\"connection\":\"explode\"}}",
	                   "action.connection");
	expect_parse_error("{\"action\":{\"ghostWrite\":502}}", "action.ghostWrite");
	expect_parse_error("{\"action\":{\"error\":\"throttled\",\"latency\":5}}",
	                   "one action");
	expect_parse_error(
	    "{\"action\":{\"error\":\"throttled\",\"retryAfter\":\"soon\"}}",
	    "action.retryAfter");
	expect_parse_error("{\"bogus\":1,\"action\":{\"error\":\"throttled\"}}",
	                   "bogus: unknown");
	expect_parse_error("{\"match\":{}}", "action: is required");
	expect_parse_error("{\"mail\":{\"to\":\"*@x\",\"outcome\":\"lost\"}}",
	                   "mail.outcome");
	expect_parse_error("{\"mail\":{\"to\":\"*@x\",\"outcome\":\"delayed\"}}",
	                   "mail.delayMs");
	expect_parse_error("{\"lag\":{\"kind\":\"device\",\"ms\":5}}", "lag.kind");
	expect_parse_error("{\"throttle\":{\"limit\":0,\"windowMs\":5}}",
	                   "throttle.limit");
}

static void test_parse_compact(void **s)
{
	char err[512];
	struct fault_rule *r;

	(void)s;
	r = fault_rule_parse_compact("error=throttled;retry-after=1", err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(r->kind, FAULT_ERROR);
	assert_int_equal(r->error.status, 429);
	assert_string_equal(r->error.retry_after, "1");
	assert_string_equal(r->id, "header");
	fault_rule_free(r);
	r = fault_rule_parse_compact(" reset ", err, sizeof(err));
	assert_int_equal(r->kind, FAULT_CONNECTION);
	assert_int_equal(r->conn, FAULT_CONN_RESET);
	fault_rule_free(r);
	r = fault_rule_parse_compact("latency=100-300", err, sizeof(err));
	assert_int_equal(r->latency_min, 100);
	assert_int_equal(r->latency_max, 300);
	fault_rule_free(r);
	r = fault_rule_parse_compact("error=503", err, sizeof(err));
	assert_int_equal(r->error.status, 503);
	assert_string_equal(r->error.code, "serviceNotAvailable");
	fault_rule_free(r);
	r = fault_rule_parse_compact("error=409;code=Conflict;message=taken", err,
	                             sizeof(err));
	assert_int_equal(r->error.status, 409);
	assert_string_equal(r->error.code, "Conflict");
	fault_rule_free(r);
	r = fault_rule_parse_compact("ghost-write=504", err, sizeof(err));
	assert_int_equal(r->kind, FAULT_GHOST);
	assert_int_equal(r->error.status, 504);
	fault_rule_free(r);
	assert_null(fault_rule_parse_compact("explode", err, sizeof(err)));
	assert_non_null(strstr(err, "unknown item 'explode'"));
	assert_null(fault_rule_parse_compact("latency=soon", err, sizeof(err)));
	assert_non_null(strstr(err, "X-Graphmock-Fault: action.latency"));
}

static void test_glob_and_path(void **s)
{
	(void)s;
	assert_true(fault_glob("*@bounce.example", "Ann@Bounce.Example", true));
	assert_false(fault_glob("*@bounce.example", "ann@bounce.example.com", true));
	assert_true(fault_glob("a?c", "abc", false));
	assert_true(fault_glob("ann@x.com", "ann@x.com", false));
	assert_true(fault_path_match("/v1.0/users/*", "/v1.0/users/abc"));
	assert_true(fault_path_match("/v1.0/users/*", "/v1.0/users/abc/memberOf"));
	assert_false(fault_path_match("/v1.0/users/*", "/v1.0/users"));
	assert_true(fault_path_match("/v1.0/users*", "/v1.0/users"));
	assert_true(fault_path_match("/groups/{id}/members/$ref",
	                             "/v1.0/groups/1892265b/members/$ref"));
	assert_false(
	    fault_path_match("/groups/{id}/members", "/v1.0/groups/a/b/members"));
	assert_false(fault_path_match("/groups/{id}", "/v1.0/groups/"));
	assert_true(fault_path_match("/V1.0/Users", "/v1.0/users"));
	assert_true(fault_path_match("*", "/_mock/x"));
}

static struct fault_request request(const char *method, const char *path)
{
	struct fault_request fr = {method, path, "t1", "contoso.onmicrosoft.com",
	                           "c1",   NULL};
	return fr;
}

static int add(struct fault_engine *e, const char *text)
{
	char err[512];
	json_t *j = json_loads(text, 0, NULL);
	int rc = fault_engine_add(e, j, err, sizeof(err));

	json_decref(j);
	return rc;
}

/* Decisions for @n GETs of @path as a string of '.' (none) and 'X' (fault). */
static void run(struct fault_engine *e, const char *path, int n, char *out)
{
	struct fault_request fr = request("GET", path);
	struct fault_decision d;

	for (int i = 0; i < n; i++) {
		fault_engine_decide(e, &fr, NULL, 1000, &d);
		out[i] = d.kind == FAULT_NONE ? '.' : 'X';
		fault_decision_release(&d);
	}
	out[n] = '\0';
}

static void test_when_conditions(void **s)
{
	struct fault_engine e;
	char got[32];

	(void)s;
	fault_engine_init(&e, 1, NULL);
	e.quiet = true;
	assert_int_equal(add(&e, "{\"match\":{\"path\":\"/a\"},\"when\":{\"times\":2},"
	                         "\"action\":{\"error\":\"throttled\"}}"),
	                 0);
	assert_int_equal(add(&e, "{\"match\":{\"path\":\"/b\"},\"when\":{\"after\":2},"
	                         "\"action\":{\"error\":\"throttled\"}}"),
	                 0);
	assert_int_equal(add(&e, "{\"match\":{\"path\":\"/c\"},\"when\":{\"every\":3},"
	                         "\"action\":{\"error\":\"throttled\"}}"),
	                 0);
	assert_int_equal(
	    add(&e, "{\"match\":{\"path\":\"/d\"},\"when\":{\"after\":1,\"every\":2,"
	            "\"times\":2},\"action\":{\"error\":\"throttled\"}}"),
	    0);
	run(&e, "/a", 4, got);
	assert_string_equal(got, "XX..");
	run(&e, "/b", 4, got);
	assert_string_equal(got, "..XX");
	run(&e, "/c", 7, got);
	assert_string_equal(got, "..X..X.");
	run(&e, "/d", 8, got);
	assert_string_equal(got, "..X.X...");
	run(&e, "/_mock/health", 2, got); /* admin paths are never faulted by wildcards */
	assert_string_equal(got, "..");
	fault_engine_release(&e);
}

static void test_admin_and_method_matching(void **s)
{
	struct fault_engine e;
	struct fault_request fr = request("POST", "/_mock/reset");
	struct fault_decision d;
	char got[8];

	(void)s;
	fault_engine_init(&e, 1, NULL);
	e.quiet = true;
	add(&e,
	    "{\"action\":{\"connection\":\"reset\"},\"match\":{\"method\":\"POST\"}}");
	add(&e, "{\"match\":{\"path\":\"/_mock/"
	        "reset\"},\"action\":{\"error\":\"internalError\"}}");
	fault_engine_decide(&e, &fr, NULL, 0, &d);
	assert_int_equal(d.kind, FAULT_ERROR); /* only the rule naming the admin path */
	assert_int_equal(d.error.status, 500);
	run(&e, "/v1.0/users", 1, got); /* GET: the POST-only rule does not match */
	assert_string_equal(got, ".");
	fault_engine_release(&e);
}

static void test_seed_reproducible(void **s)
{
	struct fault_engine a, b, c;
	char ga[32], gb[32], gc[32];
	const char *rule =
	    "{\"when\":{\"probability\":0.5},\"action\":{\"error\":\"throttled\"}}";

	(void)s;
	fault_engine_init(&a, 42, NULL);
	fault_engine_init(&b, 42, NULL);
	fault_engine_init(&c, 43, NULL);
	a.quiet = b.quiet = c.quiet = true;
	add(&a, rule);
	add(&b, rule);
	add(&c, rule);
	run(&a, "/v1.0/users", 20, ga);
	run(&b, "/v1.0/users", 20, gb);
	run(&c, "/v1.0/users", 20, gc);
	assert_string_equal(ga, gb);
	assert_string_not_equal(ga, gc); /* 2^-20 chance of a false failure */
	assert_non_null(strchr(ga, 'X'));
	assert_non_null(strchr(ga, '.'));
	/* Clearing reseeds: the same sequence again. */
	fault_engine_clear(&a);
	add(&a, rule);
	run(&a, "/v1.0/users", 20, gc);
	assert_string_equal(ga, gc);
	fault_engine_release(&a);
	fault_engine_release(&b);
	fault_engine_release(&c);
}

static void test_throttle_rule_and_violations(void **s)
{
	struct fault_engine e;
	struct fault_request fr = request("GET", "/v1.0/users");
	struct fault_decision d;
	json_t *stats;

	(void)s;
	fault_engine_init(&e, 1, NULL);
	e.quiet = true;
	add(&e, "{\"id\":\"budget\",\"throttle\":{\"limit\":2,\"windowMs\":1000}}");
	for (int i = 0; i < 2; i++) {
		fault_engine_decide(&e, &fr, NULL, 0, &d);
		assert_int_equal(d.kind, FAULT_NONE);
	}
	fault_engine_decide(&e, &fr, NULL, 0, &d);
	assert_int_equal(d.kind, FAULT_THROTTLE);
	assert_int_equal(d.error.status, 429);
	assert_string_equal(d.error.retry_after, "1");
	fault_engine_decide(&e, &fr, NULL, 100,
	                    &d); /* back before Retry-After: a violation */
	assert_int_equal(d.kind, FAULT_THROTTLE);
	fr.client = "other"; /* another client has its own bucket */
	fault_engine_decide(&e, &fr, NULL, 100, &d);
	assert_int_equal(d.kind, FAULT_NONE);
	fr.client = "c1";
	fault_engine_decide(&e, &fr, NULL, 1200, &d); /* refilled */
	assert_int_equal(d.kind, FAULT_NONE);
	stats = fault_engine_stats(&e);
	json_t *st0 = json_array_get(json_object_get(stats, "value"), 0);
	assert_int_equal(json_integer_value(json_object_get(st0, "matches")), 6);
	assert_int_equal(json_integer_value(json_object_get(st0, "injections")), 2);
	assert_int_equal(json_integer_value(json_object_get(st0, "retryAfterViolations")),
	                 1);
	json_decref(stats);
	fault_engine_release(&e);
}

static void test_ids_and_remove(void **s)
{
	struct fault_engine e;
	json_t *list;

	(void)s;
	fault_engine_init(&e, 1, NULL);
	assert_int_equal(add(&e,
	                     "[{\"action\":{\"connection\":\"close\"}},"
	                     "{\"id\":\"named\",\"action\":{\"connection\":\"close\"}}]"),
	                 0);
	/* A duplicate id rejects the whole batch. */
	assert_int_equal(add(&e,
	                     "[{\"id\":\"new\",\"action\":{\"connection\":\"close\"}},"
	                     "{\"id\":\"named\",\"action\":{\"connection\":\"close\"}}]"),
	                 -1);
	list = fault_engine_list(&e);
	assert_int_equal(json_array_size(json_object_get(list, "value")), 2);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(json_object_get(list, "value"), 0), "id")),
	                    "rule-1");
	json_decref(list);
	assert_true(fault_engine_remove(&e, "named"));
	assert_false(fault_engine_remove(&e, "named"));
	fault_engine_release(&e);
}

/* An empty batch adds nothing, also to an engine that never held a rule (UBSan
 * once saw its copy of no rules into the engine's NULL table). */
static void test_empty_batch(void **s)
{
	struct fault_engine e;
	json_t *list;

	(void)s;
	fault_engine_init(&e, 1, NULL);
	assert_int_equal(add(&e, "[]"), 0);
	assert_int_equal(add(&e, "[{\"action\":{\"connection\":\"close\"}}]"), 0);
	assert_int_equal(add(&e, "[]"), 0);
	list = fault_engine_list(&e);
	assert_int_equal(json_array_size(json_object_get(list, "value")), 1);
	json_decref(list);
	fault_engine_release(&e);
}

static void test_mail_and_lag_rules(void **s)
{
	struct state st;
	struct fault_engine e;
	struct mail_verdict v;

	(void)s;
	state_init(&st, 1);
	fault_engine_init(&e, 1, &st);
	e.quiet = true;
	add(&e,
	    "[{\"id\":\"bounce\",\"mail\":{\"to\":\"*@bounce.example\",\"outcome\":"
	    "\"bounced\","
	    "\"reason\":\"550 no such user\"}},"
	    "{\"mail\":{\"to\":\"late@x.com\",\"outcome\":\"delayed\",\"delayMs\":500}},"
	    "{\"id\":\"lag\",\"lag\":{\"kind\":\"user\",\"ms\":2000,\"reads\":1}}]");
	memset(&v, 0, sizeof(v));
	fault_engine_mail(&e, "t1", "Ann@Bounce.Example", &v);
	assert_int_equal(v.outcome, MAIL_BOUNCED);
	assert_string_equal(v.reason, "550 no such user");
	assert_string_equal(v.rule_id, "bounce");
	memset(&v, 0, sizeof(v));
	fault_engine_mail(&e, "t1", "late@x.com", &v);
	assert_int_equal(v.outcome, MAIL_DELAYED);
	assert_int_equal(v.delay_ms, 500);
	memset(&v, 0, sizeof(v));
	fault_engine_mail(&e, "t1", "ok@x.com", &v);
	assert_int_equal(v.outcome, MAIL_DELIVERED);
	assert_int_equal(st.lag_ms[DOBJ_USER], 2000);
	assert_int_equal(st.lag_reads[DOBJ_USER], 1);
	assert_int_equal(st.lag_ms[DOBJ_GROUP], 0);
	fault_engine_remove(&e, "lag");
	assert_int_equal(st.lag_ms[DOBJ_USER], 0);
	fault_engine_release(&e);
	state_release(&st);
}

/* A switched-off rule stays listed with its counters, and does nothing until back on. */
static void test_enable_disable(void **s)
{
	struct state st;
	struct fault_engine e;
	struct fault_decision d;
	struct fault_request fr = request("GET", "/v1.0/users");
	struct mail_verdict v;
	json_t *stats, *list;

	(void)s;
	state_init(&st, 1);
	fault_engine_init(&e, 1, &st);
	e.quiet = true;
	assert_int_equal(
	    0, add(&e, "[{\"id\":\"boom\",\"action\":{\"error\":503}},"
	               "{\"id\":\"bounce\",\"mail\":{\"to\":\"*@x.com\","
	               "\"outcome\":\"bounced\"}},"
	               "{\"id\":\"lag\",\"lag\":{\"kind\":\"group\",\"reads\":3}},"
	               "{\"id\":\"off\",\"enabled\":false,\"action\":"
	               "{\"error\":500}}]"));
	assert_int_equal(st.lag_reads[DOBJ_GROUP], 3);
	fault_engine_decide(&e, &fr, NULL, 0, &d);
	assert_int_equal(d.kind, FAULT_ERROR);
	assert_int_equal(d.error.status, 503);
	fault_decision_release(&d);

	assert_true(fault_engine_enable(&e, "boom", false));
	assert_true(fault_engine_enable(&e, "bounce", false));
	assert_true(fault_engine_enable(&e, "lag", false));
	assert_false(fault_engine_enable(&e, "nope", false));
	assert_int_equal(st.lag_reads[DOBJ_GROUP], 0);
	fault_engine_decide(&e, &fr, NULL, 0, &d); /* "off" was loaded disabled too */
	assert_int_equal(d.kind, FAULT_NONE);
	fault_decision_release(&d);
	memset(&v, 0, sizeof(v));
	fault_engine_mail(&e, "t1", "a@x.com", &v);
	assert_int_equal(v.outcome, MAIL_DELIVERED);

	stats = fault_engine_stats(&e);
	json_t *boom = json_array_get(json_object_get(stats, "value"), 0);
	assert_false(json_is_true(json_object_get(boom, "enabled")));
	assert_int_equal(json_integer_value(json_object_get(boom, "matches")), 1);
	assert_int_equal(json_integer_value(json_object_get(boom, "injections")), 1);
	json_decref(stats);
	list = fault_engine_list(&e);
	assert_true(json_is_false(json_object_get(
	    json_array_get(json_object_get(list, "value"), 0), "enabled")));
	json_decref(list);

	assert_true(fault_engine_enable(&e, "boom", true));
	assert_true(fault_engine_enable(&e, "lag", true));
	assert_int_equal(st.lag_reads[DOBJ_GROUP], 3);
	fault_engine_decide(&e, &fr, NULL, 0, &d);
	assert_int_equal(d.error.status, 503);
	fault_decision_release(&d);
	fault_engine_release(&e);
	state_release(&st);
}

static void test_enabled_must_be_boolean(void **s)
{
	char err[256];
	json_t *j = json_loads(
	    "{\"id\":\"x\",\"enabled\":\"no\",\"action\":{\"error\":503}}", 0, NULL);

	(void)s;
	assert_null(fault_rule_parse(j, 0, err, sizeof(err)));
	assert_string_equal(err, "rule 0 (id 'x'): enabled: must be true or false");
	json_decref(j);
}

/* Notification rules: per URL glob and tenant, times, and never a request rule. */
static void test_notification_rules(void **s)
{
	struct fault_engine e;
	struct notify_verdict v;
	struct fault_decision d;
	struct fault_request fr = request("POST", "/v1.0/users");
	char err[256];
	json_t *bad;

	(void)s;
	fault_engine_init(&e, 1, NULL);
	e.quiet = true;
	add(&e, "[{\"id\":\"drop\",\"match\":{\"tenant\":\"t1\"},\"when\":{\"times\":1},"
	        "\"notification\":{\"url\":\"https://hooks.example/"
	        "*\",\"outcome\":\"dropped\"}},"
	        "{\"id\":\"late\",\"action\":{\"notification\":{\"outcome\":\"delayed\","
	        "\"delayMs\":250}}}]");
	fault_engine_notify(&e, "t2", "https://hooks.example/a", &v);
	assert_int_equal(v.outcome, NOTIFY_DELAY); /* other tenant: the second rule */
	assert_int_equal(v.delay_ms, 250);
	assert_string_equal(v.rule_id, "late");
	fault_engine_notify(&e, "t1", "https://hooks.example/a", &v);
	assert_int_equal(v.outcome, NOTIFY_DROP);
	assert_string_equal(v.rule_id, "drop");
	fault_engine_notify(&e, "t1", "https://hooks.example/a", &v);
	assert_int_equal(v.outcome, NOTIFY_DELAY); /* "drop" fired its one time */
	fault_engine_decide(&e, &fr, NULL, 0, &d);
	assert_int_equal(d.kind, FAULT_NONE); /* requests never meet them */
	fault_decision_release(&d);
	fault_engine_clear(&e);
	fault_engine_notify(&e, "t1", "https://hooks.example/a", &v);
	assert_int_equal(v.outcome, NOTIFY_DELIVER);
	assert_string_equal(v.rule_id, "");
	bad = json_pack("{s:{s:s}}", "notification", "outcome", "delayed");
	assert_int_equal(fault_engine_add(&e, bad, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "notification.delayMs: is required"));
	json_decref(bad);
	fault_engine_release(&e);
}

static void test_header_matcher(void **s)
{
	struct fault_engine e;
	struct req req;
	struct fault_request fr = request("GET", "/v1.0/users");
	struct fault_decision d;

	(void)s;
	req_init(&req);
	fault_engine_init(&e, 1, NULL);
	e.quiet = true;
	add(&e, "{\"match\":{\"header\":{\"name\":\"Retry-Attempt\"}},"
	        "\"action\":{\"error\":\"serviceUnavailable\"}}");
	fr.req = &req;
	fault_engine_decide(&e, &fr, NULL, 0, &d);
	assert_int_equal(d.kind, FAULT_NONE);
	req_add_header(&req, "retry-attempt", "1");
	fault_engine_decide(&e, &fr, NULL, 0, &d);
	assert_int_equal(d.kind, FAULT_ERROR);
	assert_int_equal(d.error.status, 503);
	fault_engine_release(&e);
	req_release(&req);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_full_rule),
	    cmocka_unit_test(test_parse_error_catalogue),
	    cmocka_unit_test(test_parse_errors_name_rule_and_field),
	    cmocka_unit_test(test_parse_compact),
	    cmocka_unit_test(test_glob_and_path),
	    cmocka_unit_test(test_when_conditions),
	    cmocka_unit_test(test_admin_and_method_matching),
	    cmocka_unit_test(test_seed_reproducible),
	    cmocka_unit_test(test_throttle_rule_and_violations),
	    cmocka_unit_test(test_ids_and_remove),
	    cmocka_unit_test(test_empty_batch),
	    cmocka_unit_test(test_mail_and_lag_rules),
	    cmocka_unit_test(test_notification_rules),
	    cmocka_unit_test(test_header_matcher),
	    cmocka_unit_test(test_enable_disable),
	    cmocka_unit_test(test_enabled_must_be_boolean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
