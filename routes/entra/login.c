/*
 * routes/entra/login.c - the read-only half of the mock Entra ID: OpenID
 * discovery documents (v2, v1 and /adfs), the signing keys (JWKS), MSAL's
 * instance discovery, and the empty ARM subscription list `az login
 * --allow-no-subscriptions` asks for (graph-spec §10.5-10.6,
 * real-clients.md §2, §5). Every URL points at graphmock's own origin.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/state.h"
#include "login.h"

#define DISCOVERY_CACHE "max-age=86400, private"

static json_t *url(const struct req *req, const char *id, const char *rest)
{
	char buf[600];

	snprintf(buf, sizeof(buf), "%s/%s%s", req->base_url, id, rest);
	return json_string(buf);
}

/* Host (and port) of graphmock's base URL, e.g. "localhost:8443". */
static const char *own_host(const struct req *req)
{
	const char *p = strstr(req->base_url, "://");

	return p ? p + 3 : req->base_url;
}

static json_t *string_list(const char *const *items, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(items[i]));
	return a;
}

#define LIST(...)                                                                        \
	string_list((const char *const[]){__VA_ARGS__},                                  \
	            sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

/*
 * The discovery document. @id names the tenant in endpoint URLs (its id, or
 * the alias as sent); @v2 picks the /v2.0 endpoints; @issuer is given.
 */
static json_t *oidc_document(const struct req *req, const char *id, bool v2,
                             const char *issuer)
{
	const char *ver = v2 ? "/v2.0" : "";
	char path[96];
	json_t *doc = json_object();

	snprintf(path, sizeof(path), "/oauth2%s/token", ver);
	json_object_set_new(doc, "token_endpoint", url(req, id, path));
	json_object_set_new(
	    doc, "token_endpoint_auth_methods_supported",
	    LIST("client_secret_post", "private_key_jwt", "client_secret_basic"));
	snprintf(path, sizeof(path), "/discovery%s/keys", ver);
	json_object_set_new(doc, "jwks_uri", url(req, id, path));
	json_object_set_new(doc, "response_modes_supported",
	                    LIST("query", "fragment", "form_post"));
	json_object_set_new(doc, "subject_types_supported", LIST("pairwise"));
	json_object_set_new(doc, "id_token_signing_alg_values_supported", LIST("RS256"));
	json_object_set_new(doc, "response_types_supported",
	                    LIST("code", "id_token", "code id_token", "id_token token"));
	json_object_set_new(doc, "scopes_supported",
	                    LIST("openid", "profile", "email", "offline_access"));
	json_object_set_new(doc, "issuer", json_string(issuer));
	json_object_set_new(doc, "request_uri_parameter_supported", json_false());
	json_object_set_new(doc, "userinfo_endpoint", url(req, "oidc", "/userinfo"));
	snprintf(path, sizeof(path), "/oauth2%s/authorize", ver);
	json_object_set_new(doc, "authorization_endpoint", url(req, id, path));
	snprintf(path, sizeof(path), "/oauth2%s/devicecode", ver);
	json_object_set_new(doc, "device_authorization_endpoint", url(req, id, path));
	json_object_set_new(doc, "http_logout_supported", json_true());
	json_object_set_new(doc, "frontchannel_logout_supported", json_true());
	snprintf(path, sizeof(path), "/oauth2%s/logout", ver);
	json_object_set_new(doc, "end_session_endpoint", url(req, id, path));
	json_object_set_new(doc, "claims_supported",
	                    LIST("sub", "iss", "cloud_instance_name",
	                         "cloud_instance_host_name", "cloud_graph_host_name",
	                         "msgraph_host", "aud", "exp", "iat", "auth_time", "acr",
	                         "nonce", "preferred_username", "name", "tid", "ver",
	                         "at_hash", "c_hash", "email"));
	json_object_set_new(doc, "kerberos_endpoint", url(req, id, "/kerberos"));
	json_object_set_new(doc, "tenant_region_scope", json_string("NA"));
	json_object_set_new(doc, "cloud_instance_name",
	                    json_string("microsoftonline.com"));
	json_object_set_new(doc, "cloud_graph_host_name",
	                    json_string("graph.windows.net"));
	json_object_set_new(doc, "msgraph_host", json_string(own_host(req)));
	json_object_set_new(doc, "rbac_url", json_string("https://pas.windows.net"));
	return doc;
}

/* The tenant of a {tenant} segment: NULL for an alias; -1 after a 400 when unknown. */
static int path_tenant(struct state *st, const struct req *req, struct resp *resp,
                       struct tenant **t)
{
	const char *seg = req_param(req, 0);

	*t = NULL;
	if (login_is_alias(seg))
		return 0;
	*t = state_tenant_find(st, seg);
	return *t ? 0 : login_invalid_tenant(resp, req, seg);
}

static int reply_cached(struct resp *resp, json_t *body)
{
	if (login_reply(resp, 200, body))
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	resp_header(resp, "Cache-Control", DISCOVERY_CACHE);
	return 0;
}

/* GET /{tenant}/v2.0/.well-known/openid-configuration */
static int login_oidc_v2(struct call *c)
{
	struct tenant *t;
	char issuer[400];

	if (path_tenant(c->st, c->req, c->resp, &t))
		return -1;
	snprintf(issuer, sizeof(issuer), "%s/%s/v2.0", c->req->base_url,
	         t ? t->id : "{tenantid}");
	return reply_cached(
	    c->resp,
	    oidc_document(c->req, t ? t->id : req_param(c->req, 0), true, issuer));
}

/* GET /{tenant}/.well-known/openid-configuration: v1, and /adfs for az (MSAL-Python). */
static int login_oidc_v1(struct call *c)
{
	const char *seg = req_param(c->req, 0);
	struct tenant *t;
	char issuer[400];

	if (path_tenant(c->st, c->req, c->resp, &t))
		return -1;
	if (!strcasecmp(seg, "adfs"))
		snprintf(issuer, sizeof(issuer), "%s/adfs", c->req->base_url);
	else
		snprintf(issuer, sizeof(issuer), "https://sts.windows.net/%s/",
		         t ? t->id : "{tenantid}");
	return reply_cached(c->resp,
	                    oidc_document(c->req, t ? t->id : seg, false, issuer));
}

/* GET /{tenant}/discovery/v2.0/keys and /{tenant}/discovery/keys */
static int login_keys(struct call *c)
{
	struct tenant *t;
	char issuer[400];
	json_t *keys, *jwk;
	size_t i;

	if (path_tenant(c->st, c->req, c->resp, &t))
		return -1;
	keys = c->svc->token_keys(c->svc->ctx);
	if (!keys)
		return resp_error(c->resp, GERR_INTERNAL,
		                  "The token-signing key is unavailable.");
	snprintf(issuer, sizeof(issuer), "%s/%s/v2.0", c->req->base_url,
	         t ? t->id : "{tenantid}");
	json_array_foreach(keys, i, jwk)
	{
		json_object_set_new(jwk, "issuer", json_string(issuer));
	}
	return reply_cached(c->resp, json_pack("{s:o}", "keys", keys));
}

/*
 * GET /common/discovery/instance?api-version=1.1&authorization_endpoint=U:
 * MSAL's instance discovery, answered for graphmock's own host (with the
 * port, which MSAL-Python drops from U) plus U's host as an alias.
 */
static int login_instance(struct call *c)
{
	const char *ae = req_query(c->req, "authorization_endpoint");
	const char *host = own_host(c->req), *p, *slash;
	char tenant[128] = "common", other[256] = "", tde[600];
	json_t *aliases = json_array();

	p = ae ? strstr(ae, "://") : NULL;
	if (p) {
		p += 3;
		slash = strchr(p, '/');
		snprintf(other, sizeof(other), "%.*s",
		         slash ? (int)(slash - p) : (int)strlen(p), p);
		if (slash && slash[1]) {
			const char *end = strchr(slash + 1, '/');
			snprintf(tenant, sizeof(tenant), "%.*s",
			         end ? (int)(end - slash - 1) : (int)strlen(slash + 1),
			         slash + 1);
		}
	}
	snprintf(tde, sizeof(tde), "%s/%s/v2.0/.well-known/openid-configuration",
	         c->req->base_url, tenant);
	json_array_append_new(aliases, json_string(host));
	if (other[0] && strcasecmp(other, host))
		json_array_append_new(aliases, json_string(other));
	return reply_cached(c->resp,
	                    json_pack("{s:s, s:s, s:[{s:s, s:s, s:o}]}",
	                              "tenant_discovery_endpoint", tde, "api-version",
	                              "1.1", "metadata", "preferred_network", host,
	                              "preferred_cache", host, "aliases", aliases));
}

/* GET /subscriptions?api-version=...: ARM's list, empty (az --allow-no-subscriptions). */
static int login_subscriptions(struct call *c)
{
	if (login_reply(c->resp, 200, json_pack("{s:[]}", "value")))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return 0;
}

const struct route login_routes[] = {
    {"GET", "/{tenant}/v2.0/.well-known/openid-configuration", login_oidc_v2,
     ROUTE_STATE_SHARED, NULL, NULL},
    {"GET", "/{tenant}/.well-known/openid-configuration", login_oidc_v1,
     ROUTE_STATE_SHARED, NULL, NULL},
    {"GET", "/{tenant}/discovery/v2.0/keys", login_keys, ROUTE_STATE_SHARED, NULL, NULL},
    {"GET", "/{tenant}/discovery/keys", login_keys, ROUTE_STATE_SHARED, NULL, NULL},
    {"GET", "/common/discovery/instance", login_instance, ROUTE_STATE_NONE, NULL, NULL},
    {"GET", "/subscriptions", login_subscriptions, ROUTE_STATE_NONE, NULL, NULL},
    {0},
};
