/*
 * routes/entra/login.h - what the mock Entra ID endpoints share: Entra's
 * OAuth error body, the {tenant} path segment, finding clients and users,
 * client authentication (login_client.c), the claims of the tokens
 * (login_claims.c), JSON replies with login.microsoftonline.com's content
 * type, and the HTML pages (login_page.c).
 */
#ifndef GRAPHMOCK_ROUTES_ENTRA_LOGIN_H
#define GRAPHMOCK_ROUTES_ENTRA_LOGIN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../server/core/form.h"

struct buf;
struct call;
struct dobj;
struct req;
struct resp;
struct services;
struct state;
struct tenant;

#define LOGIN_CONTENT_TYPE "application/json; charset=utf-8"
#define GRAPH_APP_ID       "00000003-0000-0000-c000-000000000000"
#define GRAPH_RESOURCE     "https://graph.microsoft.com"
#define ASSERTION_TYPE_JWT "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
#define GRANT_DEVICE_CODE  "urn:ietf:params:oauth:grant-type:device_code"

#define ACCESS_TOKEN_LIFETIME_S 3599
#define ID_TOKEN_LIFETIME_S     3600
#define CODE_LIFETIME_S         600          /* authorization codes: "about 10 minutes" */
#define DEVICE_CODE_LIFETIME_S  900          /* expires_in of /devicecode */
#define DEVICE_CODE_INTERVAL_S  5            /* interval of /devicecode */
#define REFRESH_INACTIVE_S      (90 * 86400) /* refresh tokens die unused this long */
#define SESSION_COOKIE          "graphmock_session"

/* The directory roles graphmock knows by template id (Entra's built-in roles). */
#define ROLE_GLOBAL_ADMIN    "62e90394-69f5-4237-9190-012177145e10"
#define ROLE_USER_ADMIN      "fe930be7-5e62-47db-91af-98c3a49a38b1"
#define ROLE_GUEST_INVITER   "95e79109-95c0-4d8e-aee3-d01accf2d47b"
#define ROLE_DEFAULT_USER    "b79fbf4d-3ef9-4689-8143-76b194e85509"
#define ROLE_GUEST_USER      "10dae51f-b6af-4016-8d66-8c2a99b929b3"
#define ROLE_RESTRICTED_USER "2af84b1e-32c8-42b7-82bc-daa82404023b"
#define ROLE_MEMBER_LIKE     "a0b1b346-4d3e-4e8b-98f8-753987be4970"

/*
 * login_error() - Entra's OAuth error (graph-spec §10.4): @status with
 * {"error": @error, "error_description": "AADSTS<code>: <message>\r\nTrace
 * ID: ...\r\nCorrelation ID: ...\r\nTimestamp: ...", "error_codes": [code],
 * "timestamp", "trace_id", "correlation_id", "error_uri"}. Returns -1.
 */
int login_error(struct resp *resp, const struct req *req, unsigned status,
                const char *error, unsigned code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* login_error_sub() - the same with a "suberror" member (bad_token, ...). Returns -1. */
int login_error_sub(struct resp *resp, const struct req *req, unsigned status,
                    const char *error, const char *suberror, unsigned code,
                    const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/*
 * login_description() - "AADSTS<code>: <msg>\r\nTrace ID: ...\r\nCorrelation
 * ID: ...\r\nTimestamp: ..." for @req into @out (what error redirects and
 * pages show too).
 */
void login_description(const struct req *req, unsigned code, const char *msg, char *out,
                       size_t len);

/* login_invalid_tenant() - 400 invalid_tenant AADSTS90002 naming @segment. Returns -1. */
int login_invalid_tenant(struct resp *resp, const struct req *req, const char *segment);

/* login_missing() - 400 invalid_request AADSTS900144 for parameter @name. Returns -1. */
int login_missing(struct resp *resp, const struct req *req, const char *name);

/* login_unknown_client() - 400 unauthorized_client AADSTS700016. Returns -1. */
int login_unknown_client(struct resp *resp, const struct req *req, const struct tenant *t,
                         const char *app_id);

/* login_is_alias() - common, organizations, consumers or adfs: not one tenant. */
bool login_is_alias(const char *segment);

/*
 * login_tenant() - the tenant a {tenant} segment names: a tenant id or
 * domain; for an alias, the first tenant holding a service principal with
 * @app_id (may be NULL), else the default tenant. NULL when unknown.
 * Returns: borrowed, not locked. Locking: the registry held (shared); takes
 * each tenant's lock in turn while it searches.
 */
struct tenant *login_tenant(struct state *st, const char *segment, const char *app_id);

/*
 * login_user_tenant() - where user @name signs in: the tenant @segment
 * names, or for an alias the first tenant holding such a user (see
 * login_find_user). NULL when none. Same locking as login_tenant().
 */
struct tenant *login_user_tenant(struct state *st, const char *segment, const char *name);

/* login_find_sp() / login_find_app() - client @app_id's objects in @t (locked). */
struct dobj *login_find_sp(struct tenant *t, const char *app_id);
struct dobj *login_find_app(struct tenant *t, const char *app_id);

/*
 * login_find_user() - the user signing in as @name in @t (locked): by
 * userPrincipalName, else (guests sign in with their own address) by mail.
 * Borrowed or NULL.
 */
struct dobj *login_find_user(struct tenant *t, const char *name);

/* login_is_guest() - is @user a guest (userType Guest)? */
bool login_is_guest(const struct dobj *user);

/* login_reply() - @status with @body (steals) as LOGIN_CONTENT_TYPE. Returns 0 or -1. */
int login_reply(struct resp *resp, unsigned status, json_t *body);

/* login_no_store() - the cache headers Entra sends with every token answer. */
void login_no_store(struct resp *resp);

/*
 * login_jwt_part() - segment @index (0 header, 1 payload) of compact JWT
 * @token decoded, NOT verified. New object, or NULL when it does not decode.
 */
json_t *login_jwt_part(const char *token, int index);

/* The credentials a client presented, from the form or HTTP Basic (owned). */
struct client_cred {
	char *id;
	char *secret;
	const char *assertion;      /* borrowed from the form */
	const char *assertion_type; /* borrowed from the form */
};

/* login_cred_read() - @c from HTTP Basic (first) and the form. 0, or -1 on OOM. */
int login_cred_read(struct client_cred *c, const struct req *req, const struct form *f);
void login_cred_release(struct client_cred *c);

/* login_cred_presented() - did the client send a secret or an assertion? */
bool login_cred_presented(const struct client_cred *c);

/*
 * login_client_auth() - authenticate client @c, whose service principal
 * exists in @t (locked), at the token endpoint the request was sent to
 * (@segment): its secret against the application's password credentials
 * (AADSTS7000215 wrong, 7000222 expired), or its client assertion against
 * the application's key credentials (700027, 1000502, 7000274, 700023,
 * 700024, 50027, 50048, 700021). Without credentials: allowed when
 * @public_ok (the flow and app allow public clients), else 7000218.
 * --auth open skips the checks of what was sent. *@acr becomes the token's
 * appidacr: "0" public, "1" secret, "2" certificate. 0, or -1 after the
 * error.
 */
int login_client_auth(struct call *c, struct tenant *t, const struct client_cred *cred,
                      const char *segment, bool public_ok, const char **acr);

/* login_app_is_public() - may @app's flows run without client credentials? */
bool login_app_is_public(const struct dobj *app);

/* What a set of requested scopes asks for (login_claims.c). */
struct scopes {
	char resource[300]; /* token audience: GRAPH_RESOURCE, or another resource */
	char scp[1024];     /* granted delegated scopes: Graph's bare, others as sent */
	char granted[1100]; /* the token response's "scope": scp + openid profile email */
	bool openid;        /* id_token wanted */
	bool offline;       /* refresh token wanted */
	bool dot_default;   /* "<resource>/.default" asked */
};

/*
 * login_scopes_parse() - the space-separated @scope of a delegated request
 * for client @app (may be NULL) in @t (locked). Graph's ".default" grants
 * the Graph scopes listed in @app's requiredResourceAccess (by the Graph
 * service principal's oauth2PermissionScopes), else User.Read.
 */
void login_scopes_parse(const char *scope, struct tenant *t, const struct dobj *app,
                        struct scopes *out);

/* What a delegated token is issued for. */
struct signin {
	struct tenant *t;        /* locked */
	const struct dobj *sp;   /* the client's service principal */
	const struct dobj *user; /* the signed-in user */
	const struct scopes *scopes;
	const char *acr;     /* appidacr */
	const char *nonce;   /* for the id_token, or NULL */
	const char *sid;     /* sign-in session id, or NULL */
	int64_t auth_time_s; /* when the person signed in */
	bool client_info;    /* the request had client_info=1 */
	bool public_client;  /* remembered in the refresh token */
};

/*
 * login_app_claims() - an app-only Graph token for @sp in @t (locked), for
 * audience @aud (graph-spec §10.1): roles are its Graph app role grants.
 * New object or NULL.
 */
json_t *login_app_claims(struct tenant *t, const struct dobj *sp, const char *aud,
                         const char *acr, const struct req *req);

/* login_user_claims() - a delegated access token (identity.md §5.2, §5.3). New. */
json_t *login_user_claims(const struct signin *s, const struct req *req);

/*
 * login_audience() - the audience a client-credentials scope (v2) or
 * resource (v1) asks for: the first scope ending in "/.default" without
 * that suffix; Graph's URI or app id gives Graph's URI.
 */
void login_audience(const char *scope, char *out, size_t len);

/*
 * A delegated token answer in two steps: its parts are built while the
 * tenant is locked (they read the user and the client), then signed and
 * sent once it is released (RSA signing touches nothing stored).
 */
struct issue {
	json_t *access;  /* claims (owned) */
	json_t *id;      /* id_token claims, or NULL (owned) */
	json_t *refresh; /* refresh token payload, or NULL (owned) */
	char scope[1100];
	char client_info[300]; /* base64url, or "" */
};

/* login_issue_build() - the parts of @s's answer, built under the tenant lock. 0/-1. */
int login_issue_build(const struct signin *s, const struct req *req, struct issue *out);

/* login_issue_send() - sign @is (any lock released) and answer 200. 0, or -1. */
int login_issue_send(struct call *c, struct issue *is);

/* login_issue_release() - free what @is owns. */
void login_issue_release(struct issue *is);

/* What deciding on a device code came to (login_device_decide). */
enum device_decision {
	DEVICE_OK,
	DEVICE_UNKNOWN,  /* no such user code */
	DEVICE_USED,     /* already approved, declined or redeemed */
	DEVICE_EXPIRED,  /* expires_in passed */
	DEVICE_BAD_USER, /* the user cannot sign in (unknown, disabled, password) */
};

/*
 * login_device_decide() - approve (as @user: a sign-in name or object id;
 * @password checked unless NULL) or decline the device code whose user
 * code is @user_code. On DEVICE_OK *@out is {userCode, state, clientId,
 * userId, tenantId} (new); otherwise @err holds the AADSTS text a person
 * would see. Registry held shared; takes tenant locks one at a time.
 */
int login_device_decide(struct call *c, const char *user_code, const char *user,
                        const char *password, bool approve, char *err, size_t len,
                        json_t **out);

/* ---- HTML pages (login_page.c) ---- */

/* page_begin() - a complete HTML page up to <main>; @title escaped. */
void page_begin(struct buf *b, const char *title);

/* page_end() - close what page_begin() opened. */
void page_end(struct buf *b);

/* page_escape() - @s as HTML text or attribute value. */
void page_escape(struct buf *b, const char *s);

/* page_hidden() - <input type="hidden" name=@name value=@value> (value may be NULL). */
void page_hidden(struct buf *b, const char *name, const char *value);

/* page_send() - answer @status with @b as text/html (no caching). 0 or -1. */
int page_send(struct resp *resp, unsigned status, struct buf *b);

/*
 * page_error() - Entra's error page: @status, the AADSTS code and message
 * (what /authorize shows when it cannot redirect). Returns -1.
 */
int page_error(struct call *c, unsigned status, unsigned code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* page_cookie() - the value of cookie @name in @req, into @out; false when absent. */
bool page_cookie(const struct req *req, const char *name, char *out, size_t len);

/*
 * login_check_password() - may @user sign in with @password? 0, or the
 * AADSTS code refusing it (50057 disabled, 500571 disabled guest, 50126
 * wrong password), with its text in @msg.
 */
unsigned login_check_password(const struct dobj *user, const char *password, char *msg,
                              size_t len);

/*
 * login_consent_line() - "<app> wants to: <scopes>" for the sign-in and
 * device pages, escaped into @b.
 */
void login_consent_line(struct buf *b, const char *app_name, const struct scopes *s);

#endif
