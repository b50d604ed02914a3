/*
 * routes/entra/login_token_test.c - the token endpoint's client credentials
 * through the request pipeline on the default fixture: success with each
 * client authentication (a secret in the form or in HTTP Basic, RS256 and
 * PS256 assertions signed here by GnuTLS with the committed test key), the
 * claims (the token verified by GnuTLS against the JWKS), every refusal of
 * a secret or an assertion, --auth open, and the parameter errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../server/http_testutil.h"
#include "../../server/srv.h"
#include "../../state/model/model.h"
#include "../../state/state.h"
#include "login_testutil.h"

#define GRAPH_SP "bd9c1ced-d13a-4ed9-8018-1d502b412f30"
#define GRANT    "grant_type=client_credentials"
#define ASSERTION_TYPE                                                                   \
	"client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%"     \
	"3Ajwt-"                                                                         \
	"bearer"
#define AUD_V2 LT_ORIGIN "/" LT_TENANT "/oauth2/v2.0/token"

struct fx {
	struct srv *srv;
	void *key;      /* the fixture app's test key */
	void *stranger; /* a key nobody registered */
	char x5t[32], x5t_s256[48];
};

static int setup(void **ctx)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->srv = lt_srv();
	f->key = lt_key_load();
	f->stranger = lt_key_new();
	lt_cert_thumbprints(f->x5t, f->x5t_s256);
	*ctx = f;
	return 0;
}

static int teardown(void **ctx)
{
	struct fx *f = *ctx;

	test_srv_free(f->srv);
	lt_key_free(f->key);
	lt_key_free(f->stranger);
	free(f);
	return 0;
}

static json_t *claims_of(struct srv *srv, struct lt_reply *r)
{
	const char *tok = lt_str(r->body, "access_token");

	if (!tok)
		fail_msg("no access_token: %u %s", r->status, r->text);
	return lt_verified_claims(srv, tok);
}

static void test_secret_post(void **ctx)
{
	struct fx *f = *ctx;
	struct lt_reply r =
	    lt_token(f->srv, LT_TENANT,
	             "client_id=" LT_APP "&client_secret=" LT_SECRET "&" LT_GRAPH_SCOPE
	             "&" GRANT "&x-client-SKU=msal.js.node&client_info=1&claims=%7B%7D",
	             NULL);
	int64_t now = state_now_ms(&f->srv->state) / 1000;
	json_t *c;

	assert_int_equal(r.status, 200);
	assert_string_equal(lt_str(r.body, "token_type"), "Bearer");
	assert_int_equal(json_integer_value(json_object_get(r.body, "expires_in")), 3599);
	assert_string_equal(r.cache, "no-store, no-cache");
	c = claims_of(f->srv, &r);
	assert_string_equal(lt_str(c, "aud"), "https://graph.microsoft.com");
	assert_string_equal(lt_str(c, "iss"), "https://sts.windows.net/" LT_TENANT "/");
	assert_string_equal(lt_str(c, "tid"), LT_TENANT);
	assert_string_equal(lt_str(c, "oid"), LT_APP_SP);
	assert_string_equal(lt_str(c, "appid"), LT_APP);
	assert_string_equal(lt_str(c, "appidacr"), "1");
	assert_string_equal(lt_str(c, "idtyp"), "app");
	assert_string_equal(lt_str(c, "app_displayname"), "Guest onboarding automation");
	assert_int_equal(json_array_size(json_object_get(c, "roles")), 6);
	assert_true(json_integer_value(json_object_get(c, "iat")) >= now - 1);
	assert_int_equal(json_integer_value(json_object_get(c, "exp")),
	                 json_integer_value(json_object_get(c, "iat")) + 3599);
	json_decref(c);
	lt_reply_release(&r);
}

/* roles = the Graph app roles granted to the client's SP, in grant order */
static void test_roles_from_assignments(void **ctx)
{
	struct fx *f = *ctx;
	struct tenant *t = state_tenant_default(&f->srv->state);
	const char *want[] = {
	    "User.Invite.All",           "User.ReadWrite.All",
	    "GroupMember.ReadWrite.All", "Group.ReadWrite.All",
	    "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All",
	    "Application.Read.All"};
	struct lt_reply r;
	json_t *c, *roles, *a;

	a = json_pack("{s:s, s:s, s:s, s:s}", "id", "role-extra", "principalId",
	              LT_APP_SP, "resourceId", GRAPH_SP, "appRoleId",
	              "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30");
	assert_non_null(state_assignment_add(&f->srv->state, t, "role-extra", LT_APP_SP,
	                                     GRAPH_SP,
	                                     "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", a));
	r = lt_token(f->srv, "contoso.onmicrosoft.com",
	             "client_id=" LT_APP "&client_secret=" LT_SECRET "&" LT_GRAPH_SCOPE
	             "&" GRANT,
	             NULL);
	c = claims_of(f->srv, &r);
	roles = json_object_get(c, "roles");
	assert_int_equal(json_array_size(roles), 7);
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(json_string_value(json_array_get(roles, i)), want[i]);
	json_decref(c);
	lt_reply_release(&r);

	r = lt_token(f->srv, "contoso.onmicrosoft.com",
	             "client_id=" LT_PUBLIC "&client_secret=" LT_PUB_SECRET
	             "&" LT_GRAPH_SCOPE "&" GRANT,
	             NULL);
	c = claims_of(f->srv, &r);
	roles = json_object_get(c, "roles");
	assert_int_equal(json_array_size(roles), 2);
	assert_string_equal(json_string_value(json_array_get(roles, 0)), "User.Read.All");
	json_decref(c);
	lt_reply_release(&r);
}

static void test_basic_and_v1(void **ctx)
{
	struct fx *f = *ctx;
	struct lt_reply r;
	json_t *c;

	/* client_secret_basic: base64("bb307b24-...:GuestOnboarding~Secret1") */
	r = lt_token(
	    f->srv, "common", "scope=https://localhost:8443//.default&" GRANT,
	    "Authorization: Basic "
	    "YmIzMDdiMjQtYTZkYi00NzBlLTlhM2ItZTU4YTY4NTc4MzEyOkd1ZXN0T25ib2FyZGluZ35TZW"
	    "NyZXQx");
	c = claims_of(f->srv, &r);
	assert_string_equal(lt_str(c, "aud"), "https://localhost:8443/");
	assert_string_equal(lt_str(c, "tid"), LT_TENANT);
	json_decref(c);
	lt_reply_release(&r);
	/* the same Basic header with the wrong secret */
	r = lt_token(f->srv, "common", "scope=https://localhost:8443//.default&" GRANT,
	             "Authorization: Basic "
	             "YmIzMDdiMjQtYTZkYi00NzBlLTlhM2ItZTU4YTY4NTc4MzEyOnBAc3M=");
	lt_expect_error(&r, 401, "invalid_client", 7000215,
	                "Invalid client secret provided.");
}

static void test_secret_refusals(void **ctx)
{
	struct fx *f = *ctx;
	struct lt_reply r;

	r = lt_token(f->srv, LT_TENANT,
	             "client_id=" LT_APP "&client_secret=wrong&" LT_GRAPH_SCOPE "&" GRANT,
	             NULL);
	lt_expect_error(
	    &r, 401, "invalid_client", 7000215,
	    "Invalid client secret provided. Ensure the secret being sent in the "
	    "request is the client secret value, not the client secret ID, for a "
	    "secret added to app '" LT_APP "'.");
	/* the secret ID is not the secret */
	r = lt_token(f->srv, LT_TENANT,
	             "client_id=" LT_APP
	             "&client_secret=0d6b2f8e-3c1a-4e7b-9f25-6a8c4d1e2b70&" LT_GRAPH_SCOPE
	             "&" GRANT,
	             NULL);
	lt_expect_error(&r, 401, "invalid_client", 7000215,
	                "Invalid client secret provided.");
	/* another app's secret */
	r = lt_token(f->srv, LT_TENANT,
	             "client_id=" LT_APP "&client_secret=" LT_PUB_SECRET
	             "&" LT_GRAPH_SCOPE "&" GRANT,
	             NULL);
	lt_expect_error(&r, 401, "invalid_client", 7000215,
	                "Invalid client secret provided.");
	r = lt_token(f->srv, LT_TENANT,
	             "client_id=" LT_APP "&client_secret=" LT_EXPIRED "&" LT_GRAPH_SCOPE
	             "&" GRANT,
	             NULL);
	lt_expect_error(
	    &r, 401, "invalid_client", 7000222,
	    "The provided client secret keys for app '" LT_APP
	    "' are expired. Visit the Azure portal to create new keys for your "
	    "app: https://aka.ms/NewClientSecret, or consider using certificate "
	    "credentials for added security: https://aka.ms/certCreds.");
	/* the current secret expires on the mock clock too (end 2099-12-31) */
	atomic_store(&f->srv->state.clock.frozen_ms, 4102444800000LL);
	r = lt_token(f->srv, LT_TENANT,
	             "client_id=" LT_APP "&client_secret=" LT_SECRET "&" LT_GRAPH_SCOPE
	             "&" GRANT,
	             NULL);
	lt_expect_error(&r, 401, "invalid_client", 7000222,
	                "The provided client secret keys");
	atomic_store(&f->srv->state.clock.frozen_ms, -1);
}

/* A client assertion for the fixture app: @header_fmt gets the thumbprint. */
static char *assertion(struct fx *f, void *key, bool pss, const char *header,
                       const char *aud, int64_t nbf, int64_t exp, const char *sub)
{
	char payload[1024];

	snprintf(payload, sizeof(payload),
	         "{\"aud\":\"%s\",\"iss\":\"" LT_APP "\",\"sub\":\"%s\",\"jti\":\"j1\","
	         "\"nbf\":%lld,\"exp\":%lld}",
	         aud, sub ? sub : LT_APP, (long long)nbf, (long long)exp);
	(void)f;
	return lt_assertion(key, header, payload, pss);
}

static struct lt_reply post_assertion(struct fx *f, const char *tenant, const char *jws,
                                      const char *type)
{
	char form[8192];

	snprintf(form, sizeof(form), "client_id=%s&%s&client_assertion=%s&%s&%s", LT_APP,
	         type ? type : ASSERTION_TYPE, jws, LT_GRAPH_SCOPE, GRANT);
	return lt_token(f->srv, tenant, form, NULL);
}

static void test_assertions_accepted(void **ctx)
{
	struct fx *f = *ctx;
	int64_t now = state_now_ms(&f->srv->state) / 1000;
	char rs[128], ps[128], std[64];
	char *jws;
	struct lt_reply r;
	json_t *c;

	snprintf(rs, sizeof(rs), "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5t\":\"%s\"}",
	         f->x5t);
	snprintf(ps, sizeof(ps),
	         "{\"alg\":\"PS256\",\"typ\":\"JWT\",\"x5t#S256\":\"%s\"}", f->x5t_s256);
	/* RS256 with x5t, aud as graphmock's own token endpoint */
	jws = assertion(f, f->key, false, rs, AUD_V2, now, now + 600, NULL);
	r = post_assertion(f, LT_TENANT, jws, NULL);
	c = claims_of(f->srv, &r);
	assert_string_equal(lt_str(c, "appidacr"), "2");
	json_decref(c);
	lt_reply_release(&r);
	free(jws);
	/* PS256 with x5t#S256 (what @azure/identity sends), aud by domain, v1 path */
	jws = assertion(f, f->key, true, ps,
	                LT_ORIGIN "/contoso.onmicrosoft.com/oauth2/token", now, now + 600,
	                NULL);
	r = post_assertion(f, "contoso.onmicrosoft.com", jws, NULL);
	assert_int_equal(r.status, 200);
	lt_reply_release(&r);
	free(jws);
	/* login.microsoftonline.com's endpoint is accepted as the audience too */
	jws =
	    assertion(f, f->key, true, ps,
	              "https://login.microsoftonline.com/" LT_TENANT "/oauth2/v2.0/token",
	              now, now + 600, NULL);
	r = post_assertion(f, LT_TENANT, jws, NULL);
	assert_int_equal(r.status, 200);
	lt_reply_release(&r);
	free(jws);
	/* old @azure/identity sent x5t in the standard base64 alphabet, padded */
	{
		size_t i;
		snprintf(std, sizeof(std), "%s=", f->x5t);
		for (i = 0; std[i]; i++)
			std[i] = std[i] == '-' ? '+' : std[i] == '_' ? '/' : std[i];
		snprintf(rs, sizeof(rs), "{\"alg\":\"RS256\",\"x5t\":\"%s\"}", std);
	}
	jws = assertion(f, f->key, false, rs, AUD_V2, now, now + 600, NULL);
	r = post_assertion(f, LT_TENANT, jws, NULL);
	assert_int_equal(r.status, 200);
	lt_reply_release(&r);
	free(jws);
}

static void test_assertions_refused(void **ctx)
{
	struct fx *f = *ctx;
	int64_t now = state_now_ms(&f->srv->state) / 1000;
	char rs[128], ps[128], kid_only[128];
	char *jws;
	struct lt_reply r;

	snprintf(rs, sizeof(rs), "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5t\":\"%s\"}",
	         f->x5t);
	snprintf(ps, sizeof(ps),
	         "{\"alg\":\"PS256\",\"typ\":\"JWT\",\"x5t#S256\":\"%s\"}", f->x5t_s256);
	snprintf(kid_only, sizeof(kid_only), "{\"alg\":\"RS256\",\"kid\":\"0000\"}");

	jws = assertion(f, f->stranger, false, kid_only, AUD_V2, now, now + 600, NULL);
	r = post_assertion(f, LT_TENANT, jws, NULL);
	lt_expect_error(
	    &r, 401, "invalid_client", 700027,
	    "The certificate with identifier used to sign the client assertion "
	    "is not registered on application. [Reason - The key was not found.");
	free(jws);
	/* the registered thumbprint, another key's signature */
	jws = assertion(f, f->stranger, true, ps, AUD_V2, now, now + 600, NULL);
	r = post_assertion(f, LT_TENANT, jws, NULL);
	lt_expect_error(
	    &r, 401, "invalid_client", 7000274,
	    "Client assertion contains an invalid signature. [Reason - Key was "
	    "found, but use of the key to verify the signature failed.");
	free(jws);
	jws = assertion(f, f->key, false, rs,
	                LT_ORIGIN "/fabrikam.onmicrosoft.com/oauth2/v2.0/token", now,
	                now + 600, NULL);
	r = post_assertion(f, LT_TENANT, jws, NULL);
	lt_expect_error(&r, 401, "invalid_client", 700023,
	                "Client assertion audience claim does not match Realm issuer.");
	free(jws);
	jws = assertion(f, f->key, false, rs, AUD_V2, now - 1200, now - 600, NULL);
	r = post_assertion(f, LT_TENANT, jws, NULL);
	lt_expect_error(
	    &r, 401, "invalid_client", 700024,
	    "Client assertion is not within its valid time range. Current time: ");
	free(jws);
	jws = assertion(f, f->key, false, rs, AUD_V2, now + 3600, now + 4200, NULL);
	r = post_assertion(f, LT_TENANT, jws, NULL);
	lt_expect_error(&r, 401, "invalid_client", 700024,
	                "Client assertion is not within");
	free(jws);
	jws = assertion(f, f->key, false, rs, AUD_V2, now, now + 600, LT_PUBLIC);
	r = post_assertion(f, LT_TENANT, jws, NULL);
	lt_expect_error(&r, 401, "invalid_client", 50048,
	                "Subject mismatches Issuer claim in the client assertion.");
	free(jws);
	jws = assertion(f, f->key, false, rs, AUD_V2, now, now + 600, NULL);
	r = post_assertion(f, LT_TENANT, jws, "client_assertion_type=urn%3Aother");
	lt_expect_error(&r, 401, "invalid_client", 50027,
	                "JWT token is invalid or malformed.");
	free(jws);
	r = post_assertion(f, LT_TENANT, "not.a.jwt", NULL);
	lt_expect_error(&r, 401, "invalid_client", 50027,
	                "JWT token is invalid or malformed.");
	/* iss/sub name another app than client_id */
	{
		char payload[512];
		snprintf(payload, sizeof(payload),
		         "{\"aud\":\"" AUD_V2 "\",\"iss\":\"" LT_PUBLIC
		         "\",\"sub\":\"" LT_PUBLIC "\",\"nbf\":%lld,\"exp\":%lld}",
		         (long long)now, (long long)now + 600);
		jws = lt_assertion(f->key, rs, payload, false);
		r = post_assertion(f, LT_TENANT, jws, NULL);
		lt_expect_error(&r, 401, "invalid_client", 700021,
		                "Client assertion application identifier doesn't match "
		                "'client_id' parameter.");
		free(jws);
	}
}

/* A key credential past its endDateTime: AADSTS1000502, whatever the signature. */
static void test_expired_key_credential(void **ctx)
{
	struct fx *f = *ctx;
	struct tenant *t = state_tenant_default(&f->srv->state);
	struct dobj *app =
	    state_dobj_find(&f->srv->state, t, DOBJ_APPLICATION, LT_APP_OBJ);
	json_t *kc =
	    json_array_get(json_object_get(state_dobj_json(app), "keyCredentials"), 0);
	int64_t now = state_now_ms(&f->srv->state) / 1000;
	char rs[128], *jws, *old = strdup(lt_str(kc, "endDateTime"));
	struct lt_reply r;

	snprintf(rs, sizeof(rs), "{\"alg\":\"RS256\",\"x5t\":\"%s\"}", f->x5t);
	json_object_set_new(kc, "endDateTime", json_string("2024-12-31T00:00:00Z"));
	jws = assertion(f, f->key, false, rs, AUD_V2, now, now + 600, NULL);
	r = post_assertion(f, LT_TENANT, jws, NULL);
	lt_expect_error(&r, 401, "invalid_client", 1000502,
	                "The provided certificate is not within its specified validity "
	                "window.");
	json_object_set_new(kc, "endDateTime", json_string(old));
	r = post_assertion(f, LT_TENANT, jws, NULL);
	assert_int_equal(r.status, 200);
	lt_reply_release(&r);
	free(jws);
	free(old);
}

/* --auth open: any secret, any assertion, for a known client (the old behaviour). */
static void test_open_mode(void **ctx)
{
	struct fx *f = *ctx;
	struct lt_reply r;

	f->srv->services.credentials_open = true;
	r = lt_token(f->srv, LT_TENANT,
	             "client_id=" LT_APP "&client_secret=anything&" LT_GRAPH_SCOPE
	             "&" GRANT,
	             NULL);
	assert_int_equal(r.status, 200);
	lt_reply_release(&r);
	r = post_assertion(f, LT_TENANT, "a.b.c", NULL);
	assert_int_equal(r.status, 200);
	lt_reply_release(&r);
	/* still: an unknown client, and no credential at all */
	r = lt_token(f->srv, LT_TENANT,
	             "client_id=0a0a0a0a-0000-4000-8000-000000000000&client_secret="
	             "x&" LT_GRAPH_SCOPE "&" GRANT,
	             NULL);
	lt_expect_error(&r, 400, "unauthorized_client", 700016,
	                "Application with identifier");
	r = lt_token(f->srv, LT_TENANT, "client_id=" LT_APP "&" LT_GRAPH_SCOPE "&" GRANT,
	             NULL);
	lt_expect_error(&r, 401, "invalid_client", 7000218,
	                "The request body must contain");
	f->srv->services.credentials_open = false;
}

static void test_errors(void **ctx)
{
	struct fx *f = *ctx;
	struct lt_reply r;

	r = lt_token(f->srv, "nope.example",
	             "client_id=" LT_APP "&client_secret=x&" GRANT, NULL);
	lt_expect_error(
	    &r, 400, "invalid_tenant", 90002,
	    "Tenant 'nope.example' not found. Check to make sure you have the "
	    "correct tenant ID and are signing into the correct cloud. Check with "
	    "your subscription administrator, this may happen if there are no "
	    "active subscriptions for the tenant.");
	r = lt_token(f->srv, LT_TENANT,
	             "client_id=" LT_APP "&client_secret=x&" LT_GRAPH_SCOPE, NULL);
	lt_expect_error(&r, 400, "invalid_request", 900144,
	                "The request body must contain the following parameter: "
	                "'grant_type'.");
	r = lt_token(f->srv, LT_TENANT,
	             "client_id=" LT_APP "&client_secret=x&" LT_GRAPH_SCOPE
	             "&grant_type=implicit",
	             NULL);
	lt_expect_error(&r, 400, "unsupported_grant_type", 70003,
	                "The app requested an unsupported grant type 'implicit'.");
	r = lt_token(f->srv, LT_TENANT, "client_secret=x&" LT_GRAPH_SCOPE "&" GRANT,
	             NULL);
	lt_expect_error(
	    &r, 400, "invalid_request", 900144,
	    "The request body must contain the following parameter: 'client_id'.");
	r = lt_token(f->srv, LT_TENANT, "client_id=" LT_APP "&client_secret=x&" GRANT,
	             NULL);
	lt_expect_error(
	    &r, 400, "invalid_request", 900144,
	    "The request body must contain the following parameter: 'scope'.");
	r = lt_token(f->srv, LT_TENANT,
	             "client_id=0a0a0a0a-0000-4000-8000-000000000000&client_secret="
	             "x&" LT_GRAPH_SCOPE "&" GRANT,
	             NULL);
	lt_expect_error(
	    &r, 400, "unauthorized_client", 700016,
	    "Application with identifier '0a0a0a0a-0000-4000-8000-000000000000' "
	    "was not found in the directory 'Contoso'. This can happen if the "
	    "application has not been installed by the administrator of the "
	    "tenant or consented to by any user in the tenant. You may have sent "
	    "your authentication request to the wrong tenant.");
	r = lt_token(f->srv, LT_TENANT, "client_id=" LT_APP "&" LT_GRAPH_SCOPE "&" GRANT,
	             NULL);
	lt_expect_error(&r, 401, "invalid_client", 7000218,
	                "The request body must contain the following parameter: "
	                "'client_assertion' or 'client_secret'.");
	r = lt_token(f->srv, LT_TENANT, "client_id=%zz", NULL);
	lt_expect_error(&r, 400, "invalid_request", 900144,
	                "The request body must contain the following parameter: "
	                "'grant_type'.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_secret_post),
	    cmocka_unit_test(test_roles_from_assignments),
	    cmocka_unit_test(test_basic_and_v1),
	    cmocka_unit_test(test_secret_refusals),
	    cmocka_unit_test(test_assertions_accepted),
	    cmocka_unit_test(test_assertions_refused),
	    cmocka_unit_test(test_expired_key_credential),
	    cmocka_unit_test(test_open_mode),
	    cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
