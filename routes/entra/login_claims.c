/*
 * routes/entra/login_claims.c - what graphmock's tokens say: app-only Graph
 * tokens (graph-spec §10.1), delegated ones for members and guests
 * (identity.md §5.2, §5.3), v2.0 id_tokens (§5.1), MSAL's client_info,
 * refresh token payloads, and the token response carrying them (§4.2).
 */
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../state/model/model.h"
#include "../../state/state.h"
#include "../../state/util/b64.h"
#include "login.h"

/* ---- scopes ---- */

static bool is_oidc(const char *s, size_t n)
{
	static const char *const oidc[] = {"openid", "profile", "email",
	                                   "offline_access"};

	for (size_t i = 0; i < 4; i++)
		if (strlen(oidc[i]) == n && !strncasecmp(s, oidc[i], n))
			return true;
	return false;
}

static void append(char *dst, size_t len, const char *s, size_t n)
{
	size_t used = strlen(dst);

	if (used && used + 1 < len)
		dst[used++] = ' ', dst[used] = '\0';
	snprintf(dst + used, len - used, "%.*s", (int)n, s);
}

/* Graph's delegated scopes @app lists in requiredResourceAccess, by name. */
static void graph_default_scopes(struct tenant *t, const struct dobj *app, char *out,
                                 size_t len)
{
	const struct dobj *graph = login_find_sp(t, GRAPH_APP_ID);
	json_t *scopes =
	    graph ? json_object_get(state_dobj_json(graph), "oauth2PermissionScopes")
	          : NULL;
	size_t i, j, k;
	json_t *rra, *ra, *s;

	json_array_foreach(
	    app ? json_object_get(state_dobj_json(app), "requiredResourceAccess") : NULL,
	    i, rra)
	{
		const char *res =
		    json_string_value(json_object_get(rra, "resourceAppId"));
		if (!res || strcasecmp(res, GRAPH_APP_ID))
			continue;
		json_array_foreach(json_object_get(rra, "resourceAccess"), j, ra)
		{
			const char *id = json_string_value(json_object_get(ra, "id"));
			const char *type = json_string_value(json_object_get(ra, "type"));
			if (!id || !type || strcmp(type, "Scope"))
				continue;
			json_array_foreach(scopes, k, s)
			{
				const char *sid =
				    json_string_value(json_object_get(s, "id"));
				const char *v =
				    json_string_value(json_object_get(s, "value"));
				if (sid && v && !strcasecmp(sid, id))
					append(out, len, v, strlen(v));
			}
		}
	}
	if (!out[0])
		snprintf(out, len, "User.Read");
}

/* One resource scope @s (@n chars): its resource into @out, the bare scope's offset. */
static size_t split_resource(const char *s, size_t n, char *res, size_t len)
{
	const char *scheme = NULL, *slash;

	for (size_t i = 0; i + 3 <= n && !scheme; i++)
		if (!strncmp(s + i, "://", 3))
			scheme = s + i;
	if (!scheme) {
		snprintf(res, len, "%s", GRAPH_RESOURCE);
		return 0;
	}
	slash = s + n;
	while (slash > scheme + 3 && slash[-1] != '/')
		slash--;
	if (slash <= scheme + 3) { /* "https://host" alone */
		snprintf(res, len, "%.*s", (int)n, s);
		return n;
	}
	snprintf(res, len, "%.*s", (int)(slash - s - 1), s);
	return (size_t)(slash - s);
}

void login_scopes_parse(const char *scope, struct tenant *t, const struct dobj *app,
                        struct scopes *out)
{
	const char *p = scope ? scope : "";

	memset(out, 0, sizeof(*out));
	snprintf(out->resource, sizeof(out->resource), "%s", GRAPH_RESOURCE);
	for (bool first = true; *p;) {
		size_t n = strcspn(p, " "), off;
		char res[300];

		if (n && is_oidc(p, n)) {
			out->openid |= !strncasecmp(p, "openid", n);
			out->offline |= !strncasecmp(p, "offline_access", n);
			if (strncasecmp(p, "offline_access", n))
				append(out->granted, sizeof(out->granted), p, n);
		} else if (n) {
			off = split_resource(p, n, res, sizeof(res));
			if (!strcasecmp(res, GRAPH_RESOURCE "/") ||
			    !strcasecmp(res, GRAPH_APP_ID))
				snprintf(res, sizeof(res), "%s", GRAPH_RESOURCE);
			if (first)
				snprintf(out->resource, sizeof(out->resource), "%s", res);
			first = false;
			if (strcasecmp(res, out->resource))
				; /* one resource per token: Entra refuses a second
				     (AADSTS28000) */
			else if (n - off == 8 && !strncmp(p + off, ".default", 8))
				out->dot_default = true;
			else if (strcmp(res, GRAPH_RESOURCE))
				append(out->scp, sizeof(out->scp), p, n);
			else
				append(out->scp, sizeof(out->scp), p + off, n - off);
		}
		p += n;
		p += strspn(p, " ");
	}
	if (out->dot_default && !strcmp(out->resource, GRAPH_RESOURCE))
		graph_default_scopes(t, app, out->scp, sizeof(out->scp));
	else if (!out->scp[0] && !strcmp(out->resource, GRAPH_RESOURCE))
		snprintf(out->scp, sizeof(out->scp), "User.Read");
	/* the response's "scope": the resource scopes first, then the OIDC ones */
	{
		char oidc[sizeof(out->granted)];
		memcpy(oidc, out->granted, sizeof(oidc));
		snprintf(out->granted, sizeof(out->granted), "%s", out->scp);
		if (oidc[0])
			append(out->granted, sizeof(out->granted), oidc, strlen(oidc));
	}
}

/* ---- app-only tokens ---- */

void login_audience(const char *scope, char *out, size_t len)
{
	const char *p = scope;

	snprintf(out, len, "%s", GRAPH_RESOURCE);
	while (p && *p) {
		const char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);
		if (n > 9 && !strncmp(p + n - 9, "/.default", 9)) {
			snprintf(out, len, "%.*s", (int)(n - 9), p);
			break;
		}
		p = sp ? sp + 1 : NULL;
	}
	if (!strcasecmp(out, GRAPH_RESOURCE "/") || !strcasecmp(out, GRAPH_APP_ID))
		snprintf(out, len, "%s", GRAPH_RESOURCE);
}

/* The value of app role @role_id on @resource, or NULL. Borrowed. */
static const char *role_value(const struct dobj *resource, const char *role_id)
{
	json_t *roles = json_object_get(state_dobj_json(resource), "appRoles"), *r;
	size_t i;

	json_array_foreach(roles, i, r)
	{
		const char *id = json_string_value(json_object_get(r, "id"));
		if (id && !strcasecmp(id, role_id))
			return json_string_value(json_object_get(r, "value"));
	}
	return NULL;
}

/* The Graph app roles granted to @sp: its appRoleAssignments on Microsoft Graph's SP. */
static json_t *graph_roles(struct tenant *t, const struct dobj *sp)
{
	struct dobj *graph = login_find_sp(t, GRAPH_APP_ID);
	json_t *roles = json_array();
	struct assignment *a;

	if (!graph)
		return roles;
	for (a = state_assignment_first_of_principal(sp); a;
	     a = state_assignment_next_of_principal(a)) {
		const char *v;
		if (a->resource != graph)
			continue;
		v = role_value(graph, a->app_role_id);
		if (v)
			json_array_append_new(roles, json_string(v));
	}
	return roles;
}

json_t *login_app_claims(struct tenant *t, const struct dobj *sp, const char *aud,
                         const char *acr, const struct req *req)
{
	json_int_t now = (json_int_t)(req->now_ms / 1000);
	const char *name =
	    json_string_value(json_object_get(state_dobj_json(sp), "displayName"));
	const char *app_id =
	    json_string_value(json_object_get(state_dobj_json(sp), "appId"));
	char iss[128], uti[GUID_STR_LEN + 1];
	json_t *roles = req_graph_audience(req, aud) ? graph_roles(t, sp) : json_array();

	snprintf(iss, sizeof(iss), "https://sts.windows.net/%s/", t->id);
	guid_random(uti);
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, "
	                 "s:s, s:s, s:s, s:s}",
	                 "aud", aud, "iss", iss, "iat", now, "nbf", now, "exp",
	                 now + ACCESS_TOKEN_LIFETIME_S, "app_displayname",
	                 name ? name : "", "appid", app_id, "appidacr", acr, "idp", iss,
	                 "idtyp", "app", "oid", sp->id, "roles", roles, "sub", sp->id,
	                 "tid", t->id, "uti", uti, "ver", "1.0");
}

/* ---- delegated tokens ---- */

/* A stable pairwise subject, per user and app: base64url(SHA-256(@a "|" @b)). */
static void pairwise(const char *a, const char *b, char out[48])
{
	struct sha256_ctx ctx;
	unsigned char d[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, strlen(a), (const uint8_t *)a);
	sha256_update(&ctx, 1, (const uint8_t *)"|");
	sha256_update(&ctx, strlen(b), (const uint8_t *)b);
	sha256_digest(&ctx, sizeof(d), d);
	b64url_encode_to(d, sizeof(d), out);
}

/* The user's directory roles: its own, plus the default user or guest role. */
static json_t *wids(const struct dobj *user, struct tenant *t)
{
	json_t *roles =
	    json_deep_copy(json_object_get(state_dobj_json(user), MODEL_DIRECTORY_ROLES));
	const char *guest_role = t->guest_role_id[0] ? t->guest_role_id : ROLE_GUEST_USER;

	if (!json_is_array(roles)) {
		json_decref(roles);
		roles = json_array();
	}
	json_array_append_new(
	    roles, json_string(login_is_guest(user) ? guest_role : ROLE_DEFAULT_USER));
	return roles;
}

static const char *ustr(const struct dobj *u, const char *key)
{
	const char *v = json_string_value(json_object_get(state_dobj_json(u), key));

	return v ? v : "";
}

json_t *login_user_claims(const struct signin *s, const struct req *req)
{
	json_int_t now = (json_int_t)(req->now_ms / 1000);
	const char *app_id = ustr(s->sp, "appId");
	const char *name = ustr(s->sp, "displayName");
	bool guest = login_is_guest(s->user);
	char iss[128], uti[GUID_STR_LEN + 1], sub[48], uname[400];
	json_t *c;

	snprintf(iss, sizeof(iss), "https://sts.windows.net/%s/", s->t->id);
	guid_random(uti);
	pairwise(s->user->id, app_id, sub);
	if (guest)
		snprintf(uname, sizeof(uname), "mail#%s", ustr(s->user, "mail"));
	else
		snprintf(uname, sizeof(uname), "%s", ustr(s->user, "userPrincipalName"));
	c = json_pack(
	    "{s:s, s:s, s:I, s:I, s:I, s:i, s:s, s:[s], s:s, s:s, s:s, s:s, s:s, "
	    "s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
	    "aud", s->scopes->resource, "iss", iss, "iat", now, "nbf", now, "exp",
	    now + ACCESS_TOKEN_LIFETIME_S, "acct", guest ? 1 : 0, "acr", "1", "amr",
	    "pwd", "app_displayname", name, "appid", app_id, "appidacr", s->acr,
	    "family_name", ustr(s->user, "surname"), "given_name",
	    ustr(s->user, "givenName"), "idtyp", "user", "ipaddr",
	    req->peer[0] ? req->peer : "127.0.0.1", "name", ustr(s->user, "displayName"),
	    "oid", s->user->id, "scp", s->scopes->scp, "sub", sub, "tid", s->t->id,
	    "unique_name", uname, "uti", uti, "ver", "1.0", "wids", wids(s->user, s->t));
	if (!c)
		return NULL;
	if (guest) {
		/* B2B guests: no upn; their home identity provider and address */
		json_object_set_new(c, "idp", json_string("mail"));
		json_object_set_new(c, "email", json_string(ustr(s->user, "mail")));
	} else {
		json_object_set_new(c, "upn",
		                    json_string(ustr(s->user, "userPrincipalName")));
	}
	return c;
}

static json_t *id_claims(const struct signin *s, const struct req *req)
{
	json_int_t now = (json_int_t)(req->now_ms / 1000);
	const char *app_id = ustr(s->sp, "appId");
	char iss[400], sub[48], uti[GUID_STR_LEN + 1];
	const char *upn = ustr(s->user, "userPrincipalName");
	json_t *c;

	snprintf(iss, sizeof(iss), "%s/%s/v2.0", req->base_url, s->t->id);
	pairwise(s->user->id, app_id, sub);
	guid_random(uti);
	c = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	              "aud", app_id, "iss", iss, "iat", now, "nbf", now, "exp",
	              now + ID_TOKEN_LIFETIME_S, "auth_time", (json_int_t)s->auth_time_s,
	              "name", ustr(s->user, "displayName"), "oid", s->user->id,
	              "preferred_username",
	              login_is_guest(s->user) ? ustr(s->user, "mail") : upn, "sub", sub,
	              "tid", s->t->id, "uti", uti, "ver", "2.0");
	if (c && s->nonce)
		json_object_set_new(c, "nonce", json_string(s->nonce));
	if (c && s->sid)
		json_object_set_new(c, "sid", json_string(s->sid));
	if (c && login_is_guest(s->user)) {
		json_object_set_new(c, "idp", json_string("mail"));
		json_object_set_new(c, "email", json_string(ustr(s->user, "mail")));
	} else if (c && json_object_get(state_dobj_json(s->user), "mail")) {
		json_object_set(c, "email",
		                json_object_get(state_dobj_json(s->user), "mail"));
	}
	return c;
}

int login_issue_build(const struct signin *s, const struct req *req, struct issue *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->scope, sizeof(out->scope), "%s", s->scopes->granted);
	out->access = login_user_claims(s, req);
	if (s->scopes->openid)
		out->id = id_claims(s, req);
	if (s->scopes->offline) {
		char scopes[1200];
		/* what a refresh asks for again when it names no scope */
		snprintf(scopes, sizeof(scopes), "%s offline_access", s->scopes->granted);
		out->refresh =
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:b}", "typ",
		              "rt", "tid", s->t->id, "oid", s->user->id, "cid",
		              ustr(s->sp, "appId"), "scope", scopes, "iat",
		              (json_int_t)req->now_ms, "auth", (json_int_t)s->auth_time_s,
		              "sid", s->sid ? s->sid : "", "pub", s->public_client);
	}
	if (s->client_info) {
		json_t *ci =
		    json_pack("{s:s, s:s}", "uid", s->user->id, "utid", s->t->id);
		char *text = ci ? json_dumps(ci, JSON_COMPACT) : NULL;
		if (text && b64url_len(strlen(text)) < sizeof(out->client_info))
			b64url_encode_to(text, strlen(text), out->client_info);
		free(text);
		json_decref(ci);
	}
	if (!out->access || (s->scopes->openid && !out->id) ||
	    (s->scopes->offline && !out->refresh)) {
		login_issue_release(out);
		return -1;
	}
	return 0;
}

void login_issue_release(struct issue *is)
{
	json_decref(is->access);
	json_decref(is->id);
	json_decref(is->refresh);
	is->access = is->id = is->refresh = NULL;
}

int login_issue_send(struct call *c, struct issue *is)
{
	char *access = c->svc->token_sign(c->svc->ctx, is->access);
	char *id = is->id ? c->svc->token_sign(c->svc->ctx, is->id) : NULL;
	char *refresh = is->refresh ? c->svc->seal(c->svc->ctx, is->refresh) : NULL;
	json_t *body = NULL;
	int rc = -1;

	if (!access || (is->id && !id) || (is->refresh && !refresh))
		goto out;
	body =
	    json_pack("{s:s, s:s, s:i, s:i, s:s}", "token_type", "Bearer", "scope",
	              is->scope, "expires_in", ACCESS_TOKEN_LIFETIME_S, "ext_expires_in",
	              ACCESS_TOKEN_LIFETIME_S, "access_token", access);
	if (body && refresh)
		json_object_set_new(body, "refresh_token", json_string(refresh));
	if (body && id)
		json_object_set_new(body, "id_token", json_string(id));
	if (body && is->client_info[0])
		json_object_set_new(body, "client_info", json_string(is->client_info));
	if (body && !login_reply(c->resp, 200, body)) {
		login_no_store(c->resp);
		rc = 0;
	}
	body = NULL;
out:
	json_decref(body);
	free(access);
	free(id);
	free(refresh);
	return rc;
}
