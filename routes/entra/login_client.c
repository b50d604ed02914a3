/*
 * routes/entra/login_client.c - client authentication at the token
 * endpoint, as Entra checks it (identity.md §1.3, §2): a client secret
 * against the application's password credentials (hashes only), a client
 * assertion (private_key_jwt) against its key credentials: the key by
 * x5t / x5t#S256 / kid, the key's validity, the RS256/PS256 signature
 * (through the server's services), the audience, the lifetime.
 */
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
#include "../../state/util/password.h"
#include "login.h"

#define REVIEW_CERT_DOC                                                                  \
	"Review the documentation at "                                                   \
	"https://learn.microsoft.com/entra/identity-platform/certificate-credentials ."
#define KEYS_HELP                                                                        \
	"Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see " \
	"configured keys for app Id '%s'. Review the documentation at "                  \
	"https://docs.microsoft.com/en-us/graph/deployments to determine the "           \
	"corresponding service endpoint and "                                            \
	"https://docs.microsoft.com/en-us/graph/api/"                                    \
	"application-get?view=graph-rest-1.0&tabs=http to build a query request URL, "   \
	"such as 'https://graph.microsoft.com/beta/applications/%s']"

static int invalid_client(struct call *c, unsigned code, const char *msg)
{
	return login_error(c->resp, c->req, 401, "invalid_client", code, "%s", msg);
}

bool login_app_is_public(const struct dobj *app)
{
	return app && json_is_true(json_object_get(state_dobj_json(app),
	                                           "isFallbackPublicClient"));
}

/* An ISO date of credential @cred, or @dflt when absent or unreadable. */
static int64_t cred_time(const json_t *cred, const char *key, int64_t dflt)
{
	const char *s = json_string_value(json_object_get(cred, key));
	int64_t ms;

	return s && !time_parse_iso(s, &ms) ? ms : dflt;
}

/* ---- client secrets ---- */

static int check_secret(struct call *c, const struct dobj *app, const char *app_id,
                        const char *secret)
{
	json_t *hashes =
	    app ? json_object_get(state_dobj_json(app), MODEL_SECRET_HASHES) : NULL;
	int64_t now = c->req->now_ms;
	bool expired = false;
	size_t i;
	json_t *pc;

	json_array_foreach(
	    app ? json_object_get(state_dobj_json(app), "passwordCredentials") : NULL, i,
	    pc)
	{
		const char *kid = json_string_value(json_object_get(pc, "keyId"));
		const char *hash =
		    json_string_value(json_object_get(hashes, kid ? kid : ""));

		if (!hash || !password_verify(secret, hash))
			continue;
		if (cred_time(pc, "startDateTime", 0) > now)
			continue; /* not yet valid: as if it did not match */
		if (cred_time(pc, "endDateTime", INT64_MAX) <= now) {
			expired = true;
			continue;
		}
		return 0;
	}
	if (expired)
		return login_error(
		    c->resp, c->req, 401, "invalid_client", 7000222,
		    "The provided client secret keys for app '%s' are expired. Visit the "
		    "Azure portal to create new keys for your app: "
		    "https://aka.ms/NewClientSecret, or consider using certificate "
		    "credentials for added security: https://aka.ms/certCreds.",
		    app_id);
	return login_error(
	    c->resp, c->req, 401, "invalid_client", 7000215,
	    "Invalid client secret provided. Ensure the secret being sent in the request "
	    "is the client secret value, not the client secret ID, for a secret added to "
	    "app '%s'.",
	    app_id);
}

/* ---- client assertions ---- */

/* The thumbprint the header names, as Entra prints it: upper-case hex. */
static void thumbprint_hex(const json_t *header, char *out, size_t len)
{
	const char *t = json_string_value(json_object_get(header, "x5t"));
	unsigned char *raw;
	size_t n, o = 0;

	if (!t)
		t = json_string_value(json_object_get(header, "x5t#S256"));
	out[0] = '\0';
	raw = t ? b64_decode(t, strlen(t), &n) : NULL;
	for (size_t i = 0; raw && i < n && o + 3 <= len; i++, o += 2)
		snprintf(out + o, 3, "%02X", raw[i]);
	free(raw);
}

/* Does header value @v (base64url, or the standard alphabet old clients sent) equal
 * @want? */
static bool same_thumbprint(const char *v, const char *want_url, const char *want_std)
{
	size_t n;

	if (!v)
		return false;
	if (!strcmp(v, want_url))
		return true;
	n = strlen(v);
	while (n && v[n - 1] == '=')
		n--;
	return want_std && !strncmp(v, want_std, n) &&
	       (want_std[n] == '\0' || want_std[n] == '=');
}

/* The key credential (and its certificate) the assertion header names. */
struct found_key {
	const json_t *cred;
	const char *der;
	struct svc_cert cert;
};

static bool match_key(struct call *c, const struct dobj *app, const json_t *header,
                      struct found_key *out)
{
	const char *x5t = json_string_value(json_object_get(header, "x5t"));
	const char *s256 = json_string_value(json_object_get(header, "x5t#S256"));
	const char *kid = json_string_value(json_object_get(header, "kid"));
	json_t *keys = app ? json_object_get(state_dobj_json(app), MODEL_KEYS) : NULL;
	size_t i;
	json_t *kc;

	json_array_foreach(
	    app ? json_object_get(state_dobj_json(app), "keyCredentials") : NULL, i, kc)
	{
		const char *key_id = json_string_value(json_object_get(kc, "keyId"));
		const char *usage = json_string_value(json_object_get(kc, "usage"));
		const char *der =
		    json_string_value(json_object_get(keys, key_id ? key_id : ""));

		if (!der || (usage && strcasecmp(usage, "Verify")) ||
		    c->svc->cert_describe(c->svc->ctx, der, &out->cert))
			continue;
		if (same_thumbprint(s256, out->cert.x5t_s256, NULL) ||
		    same_thumbprint(x5t, out->cert.x5t, out->cert.sha1_b64) ||
		    (kid && ((key_id && !strcasecmp(kid, key_id)) ||
		             same_thumbprint(kid, out->cert.x5t, out->cert.sha1_b64)))) {
			out->cred = kc;
			out->der = der;
			return true;
		}
	}
	return false;
}

/*
 * Is @aud the token endpoint this request went to: graphmock's own origin
 * or login.microsoftonline.com, the {tenant} as sent or the tenant's id or
 * domain, v2.0 or v1?
 */
static bool audience_ok(const struct req *req, const struct tenant *t,
                        const char *segment, const char *aud)
{
	const char *hosts[] = {req->base_url, "https://login.microsoftonline.com"};
	const char *tenants[] = {segment, t->id, t->domain};
	const char *paths[] = {"/oauth2/v2.0/token", "/oauth2/token"};
	char want[600];

	for (size_t h = 0; aud && h < 2; h++)
		for (size_t n = 0; n < 3; n++)
			for (size_t p = 0; p < 2; p++) {
				snprintf(want, sizeof(want), "%s/%s%s", hosts[h],
				         tenants[n], paths[p]);
				if (!strcasecmp(aud, want))
					return true;
			}
	return false;
}

static void entra_instant(int64_t ms, char out[TIME_ISO_LEN])
{
	time_format(ms, TIME_FRACTION_Z, out);
}

/* exp/nbf (seconds) of the assertion; 700024 when now is outside them. */
static int check_lifetime(struct call *c, const json_t *claims)
{
	json_t *exp = json_object_get(claims, "exp"),
	       *nbf = json_object_get(claims, "nbf");
	int64_t now = c->req->now_ms;
	int64_t from = json_is_integer(nbf) ? (int64_t)json_integer_value(nbf) * 1000 : 0;
	int64_t until =
	    json_is_integer(exp) ? (int64_t)json_integer_value(exp) * 1000 : 0;
	char a[TIME_ISO_LEN], b[TIME_ISO_LEN], n[TIME_ISO_LEN];

	if (!json_is_integer(exp))
		return invalid_client(c, 50027, "JWT token is invalid or malformed.");
	/* five minutes of skew for a client clock ahead of ours; none after expiry */
	if (now < until && now + 300 * 1000 >= from)
		return 0;
	entra_instant(now, n);
	entra_instant(from, a);
	entra_instant(until, b);
	return login_error(c->resp, c->req, 401, "invalid_client", 700024,
	                   "Client assertion is not within its valid time range. Current "
	                   "time: %s, assertion valid from %s, expiry time of assertion "
	                   "%s. " REVIEW_CERT_DOC,
	                   n, a, b);
}

static int key_problem(struct call *c, unsigned code, const char *reason, const char *hex,
                       const char *found, const char *app_id)
{
	char msg[1300], tail[700];

	snprintf(tail, sizeof(tail), KEYS_HELP, app_id, app_id);
	snprintf(msg, sizeof(msg),
	         "%s [Reason - %s, Thumbprint of key used by client: '%s'%s, %s",
	         code == 700027
	             ? "The certificate with identifier used to sign the client "
	               "assertion is not registered on application."
	             : "Client assertion contains an invalid signature.",
	         reason, hex, found, tail);
	return invalid_client(c, code, msg);
}

/* "Start=MM/dd/yyyy HH:mm:ss, End=..." of the key credential, as Entra prints it. */
static void key_window(const json_t *cred, char *out, size_t len)
{
	char s[TIME_ISO_LEN], e[TIME_ISO_LEN];

	time_format(cred_time(cred, "startDateTime", 0), TIME_SECONDS_Z, s);
	time_format(cred_time(cred, "endDateTime", 0), TIME_SECONDS_Z, e);
	/* "2024-08-18T19:33:23Z" -> "08/18/2024 19:33:23" */
	snprintf(out, len,
	         ", Found key 'Start=%.2s/%.2s/%.4s %.8s, End=%.2s/%.2s/%.4s %.8s'",
	         s + 5, s + 8, s, s + 11, e + 5, e + 8, e, e + 11);
}

static int check_assertion(struct call *c, struct tenant *t, const struct dobj *app,
                           const struct client_cred *cred, const char *segment)
{
	json_t *header = login_jwt_part(cred->assertion, 0);
	json_t *claims = login_jwt_part(cred->assertion, 1);
	const char *iss = json_string_value(json_object_get(claims, "iss"));
	const char *sub = json_string_value(json_object_get(claims, "sub"));
	const char *aud = json_string_value(json_object_get(claims, "aud"));
	struct found_key key;
	char hex[130], window[120];
	int64_t now = c->req->now_ms;
	int rc = -1;

	if (!cred->assertion_type || strcmp(cred->assertion_type, ASSERTION_TYPE_JWT) ||
	    !header || !claims || !iss || !sub) {
		invalid_client(c, 50027, "JWT token is invalid or malformed.");
		goto out;
	}
	if (strcmp(iss, sub)) {
		invalid_client(
		    c, 50048, "Subject mismatches Issuer claim in the client assertion.");
		goto out;
	}
	if (strcasecmp(iss, cred->id)) {
		invalid_client(c, 700021,
		               "Client assertion application identifier doesn't match "
		               "'client_id' parameter. " REVIEW_CERT_DOC);
		goto out;
	}
	thumbprint_hex(header, hex, sizeof(hex));
	if (!match_key(c, app, header, &key)) {
		key_problem(c, 700027, "The key was not found.", hex, "", cred->id);
		goto out;
	}
	if (cred_time(key.cred, "startDateTime", 0) > now ||
	    cred_time(key.cred, "endDateTime", INT64_MAX) <= now) {
		invalid_client(
		    c, 1000502,
		    "The provided certificate is not within its specified validity "
		    "window.");
		goto out;
	}
	switch (c->svc->jws_verify(c->svc->ctx, cred->assertion, key.der)) {
	case SVC_JWS_OK:
		break;
	case SVC_JWS_BAD_SIGNATURE:
		key_window(key.cred, window, sizeof(window));
		key_problem(
		    c, 7000274,
		    "Key was found, but use of the key to verify the signature failed.",
		    hex, window, cred->id);
		goto out;
	case SVC_JWS_MALFORMED:
		invalid_client(c, 50027, "JWT token is invalid or malformed.");
		goto out;
	}
	if (!audience_ok(c->req, t, segment, aud)) {
		invalid_client(
		    c, 700023,
		    "Client assertion audience claim does not match Realm issuer. "
		    "Review the documentation at "
		    "https://docs.microsoft.com/azure/active-directory/develop/"
		    "active-directory-certificate-credentials .");
		goto out;
	}
	rc = check_lifetime(c, claims);
out:
	json_decref(header);
	json_decref(claims);
	return rc;
}

int login_client_auth(struct call *c, struct tenant *t, const struct client_cred *cred,
                      const char *segment, bool public_ok, const char **acr)
{
	const struct dobj *app = login_find_app(t, cred->id);

	if (!login_cred_presented(cred)) {
		*acr = "0";
		if (public_ok)
			return 0;
		return invalid_client(
		    c, 7000218,
		    "The request body must contain the following parameter: "
		    "'client_assertion' or 'client_secret'.");
	}
	*acr = cred->assertion ? "2" : "1";
	if (c->svc->credentials_open)
		return 0;
	if (cred->assertion)
		return check_assertion(c, t, app, cred, segment);
	return check_secret(c, app, cred->id, cred->secret);
}
