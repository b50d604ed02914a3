/*
 * server/core/call.h - what a handler receives: one call context holding the
 * request, the response it builds, the state with the request's tenant
 * (locked as the route's flags say), and the services the server lends
 * routes. This is the whole of what a route may touch (STYLE §1): it
 * includes server/core, server/odata and state headers and nothing else.
 */
#ifndef GRAPHMOCK_SERVER_CORE_CALL_H
#define GRAPHMOCK_SERVER_CORE_CALL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include <stdbool.h>
#include <stddef.h>

struct call;
struct exchange;
struct odata_query;
struct req;
struct resp;
struct srv;
struct state;
struct tenant;

/* A certificate (Graph keyCredential "key": base64 DER) as routes need it. */
struct svc_cert {
	char sha1_hex[41]; /* upper-case hex thumbprint, as Entra prints it */
	char x5t[28];      /* base64url SHA-1 (JOSE "x5t") */
	char x5t_s256[44]; /* base64url SHA-256 (JOSE "x5t#S256") */
	char sha1_b64[29]; /* standard base64 SHA-1 (Graph's customKeyIdentifier) */
	int64_t not_before_ms;
	int64_t not_after_ms;
	char subject[256]; /* "CN=..." */
};

/* A JWS checked against a certificate's public key. */
enum svc_jws {
	SVC_JWS_OK,
	SVC_JWS_MALFORMED,     /* not a compact JWS, not RS256/PS256, or no certificate */
	SVC_JWS_BAD_SIGNATURE, /* well formed; this key did not sign it */
};

/* A handler, as route tables hold them (router.h declares the same type). */
typedef int call_fn(struct call *c);

/*
 * One webhook validation (change-notifications-delivery-webhooks): POST
 * @url?validationToken=@token, which must answer 200 with the token as
 * text/plain within the timeout. Filled in by the server.
 */
struct webhook_check {
	char tenant_id[40]; /* for the record of attempts */
	char url[2048];     /* notificationUrl or lifecycleNotificationUrl */
	char token[256];    /* the validation token (plain text) */
	bool echoed;        /* 200 and exactly the token came back */
	bool timed_out;     /* no answer within the timeout */
	long status;        /* HTTP status, 0 when the transfer failed */
	char detail[256];   /* transport error text when status is 0 */
};

/*
 * Services the server lends routes, as functions over an opaque context
 * (@ctx, the server): what a route needs of the layers above it without
 * including them. Each may be NULL in unit tests that do not need it.
 */
struct services {
	void *ctx;
	/*
	 * token_sign() - @claims (borrowed) as a compact JWS signed with
	 * graphmock's current key. Returns: new string, or NULL on failure.
	 */
	char *(*token_sign)(void *ctx, const json_t *claims);
	/* token_keys() - the public signing keys as JWKs. Returns: new array or NULL. */
	json_t *(*token_keys)(void *ctx);
	/*
	 * seal() / unseal() - an opaque, tamper-proof string for @payload (an
	 * object) that only this server can read back (refresh tokens, the
	 * sign-in session). New string / new object, NULL on failure or
	 * tampering.
	 */
	char *(*seal)(void *ctx, const json_t *payload);
	json_t *(*unseal)(void *ctx, const char *sealed);
	/* cert_describe() - thumbprints, validity and subject of @b64der. 0 or -1. */
	int (*cert_describe)(void *ctx, const char *b64der, struct svc_cert *out);
	/* jws_verify() - is @jws (RS256/PS256) signed by the key of certificate @b64der?
	 */
	enum svc_jws (*jws_verify)(void *ctx, const char *jws, const char *b64der);
	/*
	 * --auth open: the token endpoint takes any client secret or assertion
	 * for a known client, as graphmock did before it checked them.
	 */
	bool credentials_open;
	/*
	 * webhooks_validate() - run the @n @checks (owned by the caller, kept
	 * alive until @then runs), then call @then(c) with c->checks set.
	 * When the transport can wait (plain HTTP), the locks are released and
	 * the connection suspended meanwhile: this returns 0 at once and the
	 * pipeline runs @then later under the route's locks again (the handler
	 * returns what this returns, without a response). Otherwise the checks
	 * run here, blocking, and this returns @then(c). A handler must not
	 * keep borrowed state pointers across the call.
	 */
	int (*webhooks_validate)(void *ctx, struct call *c, struct webhook_check *checks,
	                         size_t n, call_fn *then);
};

struct call {
	const struct req *req; /* borrowed, for the call */
	struct resp *resp;     /* the answer: set it, or resp_error() and return -1 */
	/* The OData options, parsed against the row's entity for ROUTE_ODATA
	 * routes (an empty query otherwise). Borrowed. */
	const struct odata_query *odata;
	struct state *st; /* the registry lock is held as the route's flags say */
	/*
	 * The tenant the request acts on, its lock held: set by the pipeline for
	 * tenant routes (the default), or by a ROUTE_STATE_SHARED handler through
	 * call_lock_tenant(). Borrowed; valid only during the call.
	 */
	struct tenant *tenant;
	const struct services *svc;
	/* The server itself, for the server's own routes ($batch, /_mock/faults,
	 * ...); an incomplete type to routes/, which never dereference it. */
	struct srv *srv;
	/* The pipeline's own record of the request; opaque to routes. */
	struct exchange *ex;
	/* After webhooks_validate(): the checks with their outcome. Borrowed. */
	struct webhook_check *checks;
	size_t nchecks;
};

/*
 * call_lock_tenant() - for ROUTE_STATE_SHARED handlers: lock @t (found with
 * state_tenant_find() under the registry lock the pipeline holds) as the
 * call's tenant; the pipeline unlocks it once the response is rendered, so
 * the response may hold the tenant's stored values. At most once per call.
 */
void call_lock_tenant(struct call *c, struct tenant *t);

#endif
