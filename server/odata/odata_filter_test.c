/*
 * server/odata/odata_filter_test.c - $filter parser, rule checker and evaluator:
 * one cmocka test per expression, evaluated against sample user, group,
 * servicePrincipal, applicationTemplate and appRoleAssignment objects.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "odata_filter.h"
#include "odata_test_schemas.h"

enum want { W_TRUE, W_FALSE, W_ERR };

struct fcase {
	const struct odata_entity *ent;
	const char *filter;
	bool adv; /* ConsistencyLevel: eventual + $count=true */
	enum want want;
	enum gerr kind;  /* W_ERR: expected error kind */
	const char *msg; /* W_ERR: expected message substring */
};

#define U  &fx_user
#define G  &fx_group
#define SP &fx_sp
#define TM &fx_tmpl
#define AR &fx_ara

#define YES(e, f)                                                                        \
	{                                                                                \
		e, f, false, W_TRUE, 0, NULL                                             \
	}
#define NO(e, f)                                                                         \
	{                                                                                \
		e, f, false, W_FALSE, 0, NULL                                            \
	}
#define YES_ADV(e, f)                                                                    \
	{                                                                                \
		e, f, true, W_TRUE, 0, NULL                                              \
	}
#define NO_ADV(e, f)                                                                     \
	{                                                                                \
		e, f, true, W_FALSE, 0, NULL                                             \
	}
#define BAD(e, f, m)                                                                     \
	{                                                                                \
		e, f, false, W_ERR, GERR_BAD_REQUEST, m                                  \
	}
#define UNSUP(e, f, m)                                                                   \
	{                                                                                \
		e, f, false, W_ERR, GERR_UNSUPPORTED_QUERY, m                            \
	}
#define UNSUPA(e, f, m)                                                                  \
	{                                                                                \
		e, f, true, W_ERR, GERR_UNSUPPORTED_QUERY, m                             \
	}

#define ADV_TAIL                                                                         \
	" is not supported because the required parameters might be missing. Try "       \
	"adding $count=true query parameter and ConsistencyLevel:eventual header. "      \
	"Refer "                                                                         \
	"to https://aka.ms/graph-docs/advanced-queries for more information"

static const struct fcase cases[] = {
    /* users: default (non-advanced) operators */
    YES(U, "displayName eq 'Bob O''Brien'"),
    YES(U, "displayName eq 'bob o''brien'"),
    NO(U, "displayName eq 'Bob'"),
    YES(U, "startswith(displayName,'bob')"),
    YES(U, "startsWith(displayName, 'BO')"),
    NO(U, "STARTSWITH(givenName, 'x')"),
    YES(U, "userType eq 'Guest' and accountEnabled eq true"),
    YES(U, "userType eq 'Member' or accountEnabled eq true"),
    NO(U, "userType eq 'Member' OR accountEnabled eq false"),
    YES(U, "(userType eq 'Member' or userType eq 'Guest') and "
           "externalUserState eq 'PendingAcceptance'"),
    YES(U, "id in ('a', 'cbb896f9-8306-49d0-b56b-b8e39cd28825')"),
    NO(U, "mail in ('x@y.com')"),
    YES(U, "otherMails/any(m:m eq 'robert@example.org')"),
    NO(U, "otherMails/any(m:m eq 'nobody@example.org')"),
    YES(U, "identities/any(i:i/issuer eq 'My B2C tenant' and "
           "i/issuerAssignedId eq 'j.smith@yahoo.com')"),
    NO(U, "identities/any(i:i/issuer eq 'My B2C tenant' and "
          "i/issuerAssignedId eq 'bob_fabrikam.com#EXT#@contoso.onmicrosoft.com')"),
    YES(U, "identities/any(i:i/signInType eq 'emailAddress')"),
    YES(U, "assignedLicenses/any(u:u/skuId eq c7df2760-2c81-4ef7-b578-5b5392b571df)"),
    YES(U, "assignedLicenses/any(u:u/skuId eq C7DF2760-2C81-4EF7-B578-5B5392B571DF)"),
    YES(U, "assignedLicenses/any(u:u/skuId eq 'c7df2760-2c81-4ef7-b578-5b5392b571df')"),
    YES(U, "proxyAddresses/any(x:startswith(x,'smtp:bob'))"),
    YES(U, "createdDateTime ge 2024-01-01T00:00:00Z"),
    NO(U, "createdDateTime lt 2024-05-01T10:22:31Z"),
    YES(U, "createdDateTime le 2024-05-01T12:22:31+02:00"),
    YES(U, "createdDateTime gt 2024-05-01T10:22:30.999Z"),
    YES(U, "createdDateTime eq 2024-05-01T10:22:31.000Z"),
    YES(U, "displayName ge 'B' and displayName lt 'C'"),
    NO(U, "jobTitle eq 'x'"),
    YES(U, "'Guest' eq userType"),
    YES(U, "2024-06-01T00:00:00Z gt createdDateTime"),
    YES(U, "otherMails/any()"),
    YES(U, "((((displayName eq 'Bob O''Brien'))))"),
    YES(U,
        "displayName eq 'Bob O''Brien' and (mail eq 'nope' or startswith(mail,'bob'))"),
    YES(U, "displayName Eq 'bob o''brien'"),
    YES(U, "userType eq 'guest' AND accountEnabled EQ true"),
    YES(U, "displayName eq 'Bob O''Brien' and userType eq 'Guest' and "
           "accountEnabled eq true and mail eq 'bob@fabrikam.com'"),
    YES(U, "identities/any(i:i/issuer eq 'x' or "
           "otherMails/any(m:m eq 'bob@fabrikam.com'))"),
    YES(U, "startswith(displayName,'')"),
    /* users: advanced operators with ConsistencyLevel + $count */
    YES_ADV(U, "not startswith(displayName,'x')"),
    NO_ADV(U, "NOT(userType eq 'Guest')"),
    YES_ADV(U, "userType ne 'Member'"),
    YES_ADV(U, "jobTitle eq null"),
    YES_ADV(U, "mail ne null"),
    YES_ADV(U, "jobTitle ne 'x'"),
    YES_ADV(U, "endswith(mail,'@FABRIKAM.com')"),
    YES_ADV(U, "endsWith(userPrincipalName,'onmicrosoft.com')"),
    YES_ADV(U, "otherMails/$count eq 2"),
    NO_ADV(U, "otherMails/$count eq 0"),
    YES_ADV(U, "companyName eq null"),
    YES_ADV(U, "employeeOrgData/division eq 'Sales'"),
    YES_ADV(U, "accountEnabled eq true and not (mail eq 'x')"),
    NO_ADV(U, "otherMails/all(m:endswith(m,'.com'))"),
    YES_ADV(U, "accountEnabled eq false or not(accountEnabled eq false)"),
    YES_ADV(U, "not not accountEnabled eq true"),
    /* users: rejected */
    BAD(U, "displayName eq", "Syntax error at position 14 in 'displayName eq'."),
    BAD(U, "displayName eq 'abc",
        "at position 15 in 'displayName eq 'abc'. Unterminated"),
    BAD(U, "displayName xx 'a'", "Syntax error at position 12"),
    BAD(U, "foo eq 'x'",
        "Could not find a property named 'foo' on type 'microsoft.graph.user'."),
    BAD(U, "startswith(Foo,'x')", "Could not find a property named 'Foo'"),
    UNSUP(U, "endswith(mail,'x')", "Operator 'endsWith'" ADV_TAIL),
    UNSUP(U, "userType ne 'Guest'", "Operator 'ne'" ADV_TAIL),
    UNSUP(U, "not (userType eq 'Guest')", "Operator 'Not'" ADV_TAIL),
    UNSUP(U, "NOT startswith(displayName,'a')", "Operator 'Not'"),
    UNSUP(U, "jobTitle eq null", "Operator 'eq'"),
    UNSUP(
        U, "otherMails/$count eq 0",
        "Unsupported or invalid query filter clause specified for property 'otherMails'"),
    UNSUP(U, "companyName eq 'x'",
          "Unsupported or invalid query filter clause specified for property "
          "'companyName' of resource 'User'."),
    UNSUP(U, "startswith(companyName,'x')", "property 'companyName'"),
    UNSUPA(U, "endswith(displayName,'x')", "property 'displayName' of resource 'User'."),
    UNSUPA(U, "mobilePhone ge 'a'", "property 'mobilePhone'"),
    UNSUP(U, "contains(displayName,'o')", "property 'displayName'"),
    UNSUP(U, "passwordProfile/password eq 'x'", "property 'passwordProfile'"),
    UNSUP(U, "signInActivity/lastSignInDateTime ge 2024-01-01T00:00:00Z",
          "property 'signInActivity'"),
    UNSUP(U, "userType ge 'A'", "property 'userType'"),
    BAD(U, "startswith(accountEnabled,'x')",
        "No function signature for the function "
        "with name 'startswith'"),
    BAD(U, "accountEnabled eq 'true'",
        "Found operand types 'Edm.Boolean' and "
        "'Edm.String' for operator kind 'Equal'."),
    BAD(U, "createdDateTime ge '2024-01-01'", "'Edm.DateTimeOffset' and 'Edm.String'"),
    BAD(U, "displayName gt 5",
        "'Edm.String' and 'Edm.Int32' for operator kind "
        "'GreaterThan'"),
    BAD(U, "otherMails eq 'x'", "'Collection(Edm.String)'"),
    BAD(U, "identities eq 'x'", "incompatible types"),
    BAD(U, "unknownfn(displayName)", "Unknown function"),
    BAD(U, "displayName eq 'a' and", "Expression expected"),
    BAD(U, "displayName eq 'a' or or", "Syntax error at position 22"),
    BAD(U, "otherMails/any(m:m eq 'a'", "Expected ')'"),
    BAD(U, "otherMails/any(m m eq 'a')", "Expected ':'"),
    BAD(U, "id in ()", "Expected a literal value"),
    BAD(U, "id in ('a' 'b')", "Expected ',' or ')'"),
    BAD(U, "displayName eq 'a' garbage", "Syntax error at position 19"),
    BAD(U, "displayName eq 99999999999999999999", "out of range"),
    BAD(U, "displayName eq 'a' # x", "Unexpected character"),
    BAD(U, "createdDateTime ge 2024-13-01T00:00:00Z", "Invalid DateTimeOffset"),
    BAD(U, "createdDateTime ge 2024-01-01", "Invalid DateTimeOffset"),
    BAD(U, "otherMails/any(m:m/foo eq 'x')", "property named 'foo'"),
    BAD(U, "x/any(m:m eq 'x')", "property named 'x'"),
    BAD(U, "displayName/any(m:m eq 'x')", "apply only to collections"),
    BAD(U, "", "Syntax error at position 0 in ''. Expression expected."),
    BAD(U, "   ", "Expression expected"),
    BAD(U, "displayName eq 'a')", "Unexpected token"),
    BAD(U, "'a' eq 'b'", "Expected a property name"),
    BAD(U, "displayName eq mail", "Expected a literal value"),
    BAD(U, "displayName/$count eq 1", "$count applies only to collections"),
    BAD(U, "$filter eq 'x'", "property named '$filter'"),
    BAD(U, "displayName eq 'a' and not", "Expression expected"),
    BAD(U, "startswith(displayName 'a')", "Expected ','"),
    BAD(U, "startswith(displayName, mail)", "Expected a string literal"),
    /* groups */
    YES(G, "displayName eq 'Finance Team'"),
    YES(G, "groupTypes/any(c:c eq 'unified')"),
    YES(G, "mailEnabled eq true and securityEnabled eq false"),
    YES(G, "startswith(mail,'fin')"),
    NO(G, "startswith(mail,'ops')"),
    UNSUPA(G, "createdDateTime ge 2021-01-01T00:00:00Z",
           "Unsupported or invalid query filter clause specified for property "
           "'createdDateTime' of resource 'Group'."),
    /* servicePrincipals */
    YES(SP, "servicePrincipalNames/any(c:c eq 'https://docusign.example')"),
    YES(SP, "appId eq '6731de76-14a6-49ae-97bc-6eba6914391e'"),
    YES(SP, "displayName eq 'docusign'"),
    NO(SP, "tags/any(t:t eq 'WindowsAzureActiveDirectoryIntegratedApp')"),
    BAD(SP, "appId eq 6731de76-14a6-49ae-97bc-6eba6914391e",
        "'Edm.String' and 'Edm.Guid'"),
    /* applicationTemplates: not a directory object, no advanced gate */
    YES(TM, "contains(displayName,'crm')"),
    YES(TM, "categories/any(c:contains(c,'PRODUCT'))"),
    NO(TM, "categories/any(c:contains(c,'finance'))"),
    YES(TM, "displayName ne 'x'"),
    YES(TM, "not contains(displayName,'sales')"),
    YES(TM, "endswith(displayName,'online')"),
    UNSUP(TM, "startswith(publisher,'M')",
          "property 'publisher' of resource 'ApplicationTemplate'."),
    /* appRoleAssignments: unquoted GUIDs */
    YES(AR, "resourceId eq 8e881353-1735-45af-af21-ee1344582a4d"),
    YES(AR, "principalId eq 'cdb555e3-b33e-4fd5-a427-17fadacbdfa7'"),
    NO(AR, "resourceId eq 00000000-0000-0000-0000-000000000000"),
    YES(AR, "startswith(principalDisplayName,'meg')"),
};

static const char *sample_for(const struct odata_entity *e)
{
	if (e == &fx_user)
		return sample_user;
	if (e == &fx_group)
		return sample_group;
	if (e == &fx_sp)
		return sample_sp;
	if (e == &fx_tmpl)
		return sample_tmpl;
	return sample_ara;
}

static json_t *load(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, 0, &jerr);

	if (!v)
		fail_msg("fixture does not parse: %s", jerr.text);
	return v;
}

static void run_case(void **state)
{
	const struct fcase *c = *state;
	struct odata_err err = {0};
	struct odata_expr *e = odata_filter_parse(c->filter, c->ent, &err);
	json_t *obj;
	bool got;

	if (e && odata_filter_check(e, c->ent, c->adv, &err)) {
		odata_filter_free(e);
		e = NULL;
	}
	if (c->want == W_ERR) {
		if (e) {
			odata_filter_free(e);
			fail_msg("'%s' was accepted", c->filter);
		}
		assert_int_equal(err.kind, c->kind);
		if (!strstr(err.msg, c->msg))
			fail_msg("'%s': message '%s' lacks '%s'", c->filter, err.msg,
			         c->msg);
		return;
	}
	if (!e)
		fail_msg("'%s' rejected: %s", c->filter, err.msg);
	obj = load(sample_for(c->ent));
	got = odata_filter_eval(e, obj);
	json_decref(obj);
	odata_filter_free(e);
	if (got != (c->want == W_TRUE))
		fail_msg("'%s' evaluated to %s", c->filter, got ? "true" : "false");
}

/* ---- hand-written tests for limits and the eq shortcut ---- */

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t len = strlen(head) + strlen(unit) * n + strlen(tail) + 1;
	char *s = malloc(len);
	size_t i;

	assert_non_null(s);
	snprintf(s, len, "%s", head);
	for (i = 0; i < n; i++)
		memcpy(s + strlen(head) + i * strlen(unit), unit, strlen(unit));
	snprintf(s + strlen(head) + n * strlen(unit),
	         len - strlen(head) - n * strlen(unit), "%s", tail);
	return s;
}

static void expect_error(const char *filter, const char *msg)
{
	struct odata_err err = {0};
	struct odata_expr *e = odata_filter_parse(filter, &fx_user, &err);

	if (e) {
		odata_filter_free(e);
		fail_msg("accepted");
	}
	assert_int_equal(err.kind, GERR_BAD_REQUEST);
	if (!strstr(err.msg, msg))
		fail_msg("message '%s' lacks '%s'", err.msg, msg);
}

static void test_depth_limit(void **state)
{
	char *deep = repeat("", "(", 100, "displayName eq 'a'");
	char *nots = repeat("", "not ", 100, "displayName eq 'a'");

	(void)state;
	expect_error(deep, "The recursion limit has been exceeded.");
	expect_error(nots, "The recursion limit has been exceeded.");
	free(deep);
	free(nots);
}

static void test_depth_ok(void **state)
{
	char *open = repeat("", "(", 60, "displayName eq 'Bob O''Brien'");
	char *full = repeat(open, ")", 60, "");
	struct odata_err err = {0};
	struct odata_expr *e = odata_filter_parse(full, &fx_user, &err);
	json_t *obj = load(sample_user);

	(void)state;
	assert_non_null(e);
	assert_true(odata_filter_eval(e, obj));
	odata_filter_free(e);
	json_decref(obj);
	free(open);
	free(full);
}

static void test_in_limit(void **state)
{
	char *big = repeat("id in ('x'", ",'x'", ODATA_MAX_IN, ")");
	char *ok = repeat("id in ('x'", ",'x'", ODATA_MAX_IN - 1, ")");
	struct odata_err err = {0};
	struct odata_expr *e;

	(void)state;
	expect_error(big, "Too many values in the 'in' list.");
	e = odata_filter_parse(ok, &fx_user, &err);
	assert_non_null(e);
	odata_filter_free(e);
	free(big);
	free(ok);
}

static void test_length_limit(void **state)
{
	char *lng = repeat("displayName eq '", "a", ODATA_FILTER_MAX_LEN, "'");

	(void)state;
	expect_error(lng, "too long");
	free(lng);
}

/* A long flat chain stays one n-ary node: no deep recursion when evaluating. */
static void test_long_chain(void **state)
{
	char *chain = repeat("displayName eq 'x'", " or userType eq 'x'", 150,
	                     " or userType eq 'Guest'");
	struct odata_err err = {0};
	struct odata_expr *e = odata_filter_parse(chain, &fx_user, &err);
	json_t *obj = load(sample_user);

	(void)state;
	assert_non_null(e);
	assert_int_equal(odata_filter_root(e)->kind, FN_OR);
	assert_int_equal(odata_filter_root(e)->u.list.n, 152);
	assert_true(odata_filter_eval(e, obj));
	odata_filter_free(e);
	json_decref(obj);
	free(chain);
}

static void test_eq_literal(void **state)
{
	struct odata_err err = {0};
	struct odata_expr *e = odata_filter_parse(
	    "displayName eq 'Finance' and mailEnabled eq true", &fx_group, &err);
	struct odata_expr *o = odata_filter_parse(
	    "displayName eq 'a' or displayName eq 'b'", &fx_group, &err);
	struct odata_expr *g = odata_filter_parse(
	    "id eq 21d05557-b7b6-418f-86fa-a3118d751be4", &fx_group, &err);

	(void)state;
	assert_non_null(e);
	assert_non_null(o);
	assert_non_null(g);
	assert_string_equal(odata_filter_eq_literal(e, "displayName"), "Finance");
	assert_string_equal(odata_filter_eq_literal(e, "DISPLAYNAME"), "Finance");
	assert_null(odata_filter_eq_literal(e, "mailEnabled"));
	assert_null(odata_filter_eq_literal(e, "mail"));
	assert_null(odata_filter_eq_literal(o, "displayName"));
	assert_string_equal(odata_filter_eq_literal(g, "id"),
	                    "21d05557-b7b6-418f-86fa-a3118d751be4");
	assert_null(odata_filter_eq_literal(NULL, "id"));
	odata_filter_free(e);
	odata_filter_free(o);
	odata_filter_free(g);
}

static void test_time_parse(void **state)
{
	struct iso_time a, b;

	(void)state;
	assert_int_equal(iso_time_parse("1970-01-01T00:00:00Z", 20, true, &a), 20);
	assert_true(a.secs == 0 && a.nanos == 0);
	assert_int_equal(iso_time_parse("2024-02-29T23:59:59.5+01:00", 27, true, &b), 27);
	assert_true(b.secs == 1709251199 - 3600 && b.nanos == 500000000);
	assert_int_equal(iso_time_parse("2023-02-29T00:00:00Z", 20, true, &a), 0);
	assert_int_equal(iso_time_parse("2024-01-01T00:00:00", 19, true, &a), 0);
	assert_int_equal(iso_time_parse("2024-01-01T00:00:00", 19, false, &a), 19);
	assert_int_equal(iso_time_parse("2024-01-01T24:00:00Z", 20, true, &a), 0);
}

/* Hostile bytes must only ever produce an error or a tree, never a crash. */
static void test_garbage(void **state)
{
	static const char *const junk[] = {
	    "'''",         "(((((",
	    ")))",         "/any(",
	    "a/any(b:",    "a/any(b:b eq",
	    "eq eq eq",    "'\\'",
	    "\x01\x02",    "in in",
	    "-",           "--5",
	    "--",          "otherMails/any(a:a/any(b:b eq 1))",
	    "startswith(", "startswith(displayName",
	    "not",         "()",
	    "x:y",         "$count eq 1",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		struct odata_err err = {0};
		struct odata_expr *e = odata_filter_parse(junk[i], &fx_user, &err);

		if (e)
			fail_msg("'%s' accepted", junk[i]);
		assert_true(err.msg[0] != '\0');
	}
}

/* xorshift: deterministic, so a failure reproduces. */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static const char *const atoms[] = {
    "displayName eq 'Bob O''Brien'",
    "startswith(mail,'b')",
    "userType ne 'x'",
    "otherMails/any(m:m eq 'robert@example.org')",
    "accountEnabled eq true",
    "createdDateTime ge 2024-01-01T00:00:00Z",
    "id in ('a','b')",
    "jobTitle eq null",
    "identities/any(i:i/issuer eq 'x' and i/signInType ne 'y')",
    "otherMails/$count eq 2",
    "assignedLicenses/any(u:u/skuId eq c7df2760-2c81-4ef7-b578-5b5392b571df)",
    "endswith(userPrincipalName,'.com')",
    "otherMails/all(m:startswith(m,'r'))",
};

static void put(char *buf, size_t cap, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + n < cap) {
		memcpy(buf + *len, s, n);
		*len += n;
	}
}

/* A random, mostly valid expression of nesting at most @depth. */
static void gen(uint32_t *seed, char *buf, size_t cap, size_t *len, int depth)
{
	uint32_t r = depth > 0 ? rnd(seed) % 5 : 0;

	switch (r) {
	case 0:
		put(buf, cap, len, atoms[rnd(seed) % (sizeof(atoms) / sizeof(atoms[0]))]);
		return;
	case 1:
	case 2:
		put(buf, cap, len, r == 1 ? "not (" : "(");
		gen(seed, buf, cap, len, depth - 1);
		put(buf, cap, len, ")");
		return;
	default:
		gen(seed, buf, cap, len, depth - 1);
		put(buf, cap, len, r == 3 ? " and " : " or ");
		gen(seed, buf, cap, len, depth - 1);
		return;
	}
}

/*
 * Generated expressions, some with random byte damage, and pure random
 * bytes: every input must give either an error with a message or a tree that
 * checks and evaluates (ASan/UBSan watch).
 */
static void test_random_inputs(void **state)
{
	json_t *obj = load(sample_user);
	uint32_t seed = 0x9e3779b9u;
	char buf[4096];
	int i, accepted = 0, rejected = 0;

	(void)state;
	for (i = 0; i < 20000; i++) {
		struct odata_err err = {0};
		struct odata_expr *e;
		size_t len = 0, k;

		gen(&seed, buf, sizeof(buf), &len, 4);
		if (i % 3 == 1 && len) /* damage a few bytes */
			for (k = 0; k < 3; k++)
				buf[rnd(&seed) % len] = (char)(1 + rnd(&seed) % 127);
		if (i % 3 == 2) /* raw bytes */
			for (k = 0; k < len; k++)
				buf[k] = (char)(1 + rnd(&seed) % 255);
		buf[len] = '\0';
		e = odata_filter_parse(buf, &fx_user, &err);
		if (e && odata_filter_check(e, &fx_user, rnd(&seed) & 1, &err) == 0) {
			accepted++;
			odata_filter_eval(e, obj);
		} else {
			rejected++;
			assert_true(err.msg[0] != '\0');
		}
		odata_filter_free(e);
	}
	/* Both outcomes must occur often, or this test checks little. */
	assert_true(accepted > 2000);
	assert_true(rejected > 2000);
	json_decref(obj);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
	    cmocka_unit_test(test_depth_limit),   cmocka_unit_test(test_depth_ok),
	    cmocka_unit_test(test_in_limit),      cmocka_unit_test(test_length_limit),
	    cmocka_unit_test(test_long_chain),    cmocka_unit_test(test_eq_literal),
	    cmocka_unit_test(test_time_parse),    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_random_inputs),
	};
	size_t n = sizeof(cases) / sizeof(cases[0]), i;
	struct CMUnitTest *tests = calloc(n, sizeof(*tests));
	int failed;

	if (!tests)
		return 1;
	for (i = 0; i < n; i++) {
		tests[i].name = cases[i].filter[0] ? cases[i].filter : "(empty filter)";
		tests[i].test_func = run_case;
		tests[i].initial_state = (void *)&cases[i];
	}
	failed =
	    _cmocka_run_group_tests("odata_filter_expressions", tests, n, NULL, NULL);
	free(tests);
	failed += cmocka_run_group_tests_name("odata_filter_limits", fixed, NULL, NULL);
	return failed ? 1 : 0;
}
