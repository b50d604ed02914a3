/*
 * server/soak_test.c - a bounded mixed soak over real HTTP: client threads
 * run random Graph and admin operations (users, guests invited, redeemed and
 * deleted, groups and members, app role assignments, tenants copied, reset
 * and deleted, injected faults, state exported and put back, whole resets)
 * for $SOAK_SECONDS (default 60; make test runs it under ASan + UBSan), while
 * a checker holds the store to its invariants every few seconds: edges on
 * both ends, every index and order in step with the objects, assignments on
 * their principal's and resource's lists, invitations bounded and naming
 * users that exist; no 5xx but the injected ones; every export loads back.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "../state/deleted.h"
#include "../state/invitation.h"
#include "../state/load/tenants.h"
#include "../state/mailbox.h"
#include "http/http.h"
#include "http_testutil.h"
#include "srv.h"

#define CLIENTS  4
#define APP_SP   "ffd74704-8647-49d6-8a03-b6b5cf8ce61d"
#define NO_ROLE  "00000000-0000-0000-0000-000000000000"
#define MAX_KEPT 64

static struct srv *srv;
static atomic_int stop;

struct client {
	int n;
	CURL *curl;
	uint64_t rng;
	char tenant[64];
	char users[MAX_KEPT][40], groups[MAX_KEPT][40], invs[MAX_KEPT][40];
	int nusers, ngroups, ninvs;
	long ops, errors5xx;
	char failure[512];
	char body[1 << 16];
	size_t len;
};

static unsigned rnd(struct client *c, unsigned n)
{
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 7;
	c->rng ^= c->rng << 17;
	return (unsigned)(c->rng % n);
}

static size_t on_data(char *p, size_t size, size_t n, void *cls)
{
	struct client *c = cls;
	size_t add = size * n;

	if (c->len + add < sizeof(c->body)) {
		memcpy(c->body + c->len, p, add);
		c->len += add;
		c->body[c->len] = '\0';
	}
	return add;
}

/* One request; the answer's status (its body in c->body). */
static long call(struct client *c, const char *method, const char *path, const char *body,
                 const char *fault)
{
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	char url[512], line[160];
	long status = 0;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", srv->port, path);
	if (c->tenant[0]) {
		snprintf(line, sizeof(line), "X-Graphmock-Tenant: %s", c->tenant);
		h = curl_slist_append(h, line);
	}
	if (fault) {
		snprintf(line, sizeof(line), "X-Graphmock-Fault: %s", fault);
		h = curl_slist_append(h, line);
	}
	c->len = 0;
	c->body[0] = '\0';
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, body ? (long)strlen(body) : 0L);
	if (curl_easy_perform(c->curl) == CURLE_OK)
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	c->ops++;
	if (status >= 500 && !fault && !c->failure[0])
		snprintf(c->failure, sizeof(c->failure), "%s %s answered %ld: %.300s",
		         method, path, status, c->body);
	c->errors5xx += status >= 500 && !fault;
	return status;
}

static void keep(char (*list)[40], int *n, const char *id)
{
	if (!id)
		return;
	snprintf(list[*n < MAX_KEPT ? (*n)++ : rand() % MAX_KEPT], 40, "%s", id);
}

static const char *any(struct client *c, char (*list)[40], int n)
{
	return n ? list[rnd(c, (unsigned)n)] : "00000000-0000-4000-8000-000000000000";
}

/* The id in c->body ("id" of the answer, or of its invitedUser). */
static const char *body_id(struct client *c, const char *key)
{
	static __thread char id[40];
	const char *p = strstr(c->body, key);

	if (!p || sscanf(p + strlen(key), "%36[0-9a-f-]", id) != 1)
		return NULL;
	return id;
}

static void op(struct client *c)
{
	char path[256], body[512];
	unsigned k = rnd(c, 100);

	if (k < 15) {
		snprintf(
		    body, sizeof(body),
		    "{\"accountEnabled\":true,\"displayName\":\"Soak "
		    "%u\",\"mailNickname\":"
		    "\"s%u\",\"userPrincipalName\":\"s%u-%d@contoso.onmicrosoft.com\","
		    "\"passwordProfile\":{\"password\":\"Pa55-word!\"}}",
		    rnd(c, 1000), rnd(c, 1000), rnd(c, 300), c->n);
		if (call(c, "POST", "/v1.0/users", body, NULL) == 201)
			keep(c->users, &c->nusers, body_id(c, "\"id\":\""));
	} else if (k < 22) {
		snprintf(path, sizeof(path), "/v1.0/users/%s",
		         any(c, c->users, c->nusers));
		static const char *const changes[] = {"{\"displayName\":\"Renamed\"}",
		                                      "{\"userType\":\"Guest\"}",
		                                      "{\"userType\":\"Member\"}"};
		call(c, "PATCH", path, changes[rnd(c, 3)], NULL);
	} else if (k < 27) {
		snprintf(path, sizeof(path), "/v1.0/users/%s",
		         any(c, c->users, c->nusers));
		call(c, "DELETE", path, NULL, NULL);
	} else if (k < 37) {
		snprintf(body, sizeof(body),
		         "{\"invitedUserEmailAddress\":\"g%u-%d@fabrikam.com\","
		         "\"inviteRedirectUrl\":\"https://app.example\","
		         "\"sendInvitationMessage\":true}",
		         rnd(c, 30), c->n);
		if (call(c, "POST", "/v1.0/invitations", body, NULL) == 201) {
			keep(c->invs, &c->ninvs, body_id(c, "\"id\":\""));
			keep(c->users, &c->nusers,
			     body_id(c, "\"invitedUser\":{\"id\":\""));
		}
	} else if (k < 41) {
		snprintf(path, sizeof(path), "/_mock/invitations/%s/redeem",
		         any(c, c->invs, c->ninvs));
		call(c, "POST", path, NULL, NULL);
	} else if (k < 47) {
		snprintf(
		    body, sizeof(body),
		    "{\"displayName\":\"SG %u\",\"mailEnabled\":false,\"mailNickname\":"
		    "\"sg%u\",\"securityEnabled\":true}",
		    rnd(c, 1000), rnd(c, 1000));
		if (call(c, "POST", "/v1.0/groups", body, NULL) == 201)
			keep(c->groups, &c->ngroups, body_id(c, "\"id\":\""));
	} else if (k < 49) {
		snprintf(path, sizeof(path), "/v1.0/groups/%s",
		         any(c, c->groups, c->ngroups));
		call(c, "DELETE", path, NULL, NULL);
	} else if (k < 60) {
		const char *g = any(c, c->groups, c->ngroups);
		snprintf(path, sizeof(path), "/v1.0/groups/%s/members/$ref", g);
		snprintf(body, sizeof(body),
		         "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/"
		         "directoryObjects/%s\"}",
		         rnd(c, 5) ? any(c, c->users, c->nusers)
		                   : any(c, c->groups, c->ngroups));
		call(c, "POST", path, body, NULL);
	} else if (k < 63) {
		snprintf(path, sizeof(path), "/v1.0/groups/%s/members/%s/$ref",
		         any(c, c->groups, c->ngroups), any(c, c->users, c->nusers));
		call(c, "DELETE", path, NULL, NULL);
	} else if (k < 70) {
		snprintf(path, sizeof(path),
		         "/v1.0/servicePrincipals/%s/appRoleAssignedTo", APP_SP);
		snprintf(
		    body, sizeof(body),
		    "{\"principalId\":\"%s\",\"resourceId\":\"%s\",\"appRoleId\":\"%s\"}",
		    any(c, c->users, c->nusers), APP_SP, NO_ROLE);
		call(c, "POST", path, body, NULL);
	} else if (k < 82) {
		static const char *const lists[] = {
		    "/v1.0/users?$top=7",
		    "/v1.0/users?$orderby=displayName&$top=5",
		    "/v1.0/groups?$top=3",
		    "/v1.0/users?$filter=startswith(displayName,'S')",
		    "/v1.0/users?$orderby=displayName%20desc&$top=4",
		    "/v1.0/users?$orderby=userPrincipalName&$top=6",
		    "/v1.0/users?$orderby=userPrincipalName%20desc&$top=3",
		    "/v1.0/users?$filter=userType%20eq%20'Guest'&$top=4"};
		call(c, "GET", lists[rnd(c, 8)], NULL, NULL);
		if (rnd(c, 2) && c->ngroups) {
			snprintf(path, sizeof(path), "/v1.0/groups/%s/members?$top=2",
			         any(c, c->groups, c->ngroups));
			call(c, "GET", path, NULL, NULL);
		}
	} else if (k < 86) {
		call(c, "GET", "/v1.0/organization", NULL,
		     rnd(c, 2) ? "error=503" : "latency=5");
	} else if (k < 90) {
		/* a tenant of my own: a copy, now and then reset or deleted */
		if (!c->tenant[0] || rnd(c, 3) == 0) {
			char was[64];
			snprintf(was, sizeof(was), "%s", c->tenant);
			c->tenant[0] = '\0';
			if (call(c, "POST", "/_mock/tenants", NULL, NULL) == 201 &&
			    body_id(c, "\"id\":\""))
				snprintf(c->tenant, sizeof(c->tenant), "%s",
				         body_id(c, "\"id\":\""));
			if (was[0]) {
				snprintf(path, sizeof(path), "/_mock/tenants/%s", was);
				call(c, "DELETE", path, NULL, NULL);
			}
		} else {
			snprintf(path, sizeof(path), "/_mock/tenants/%s/reset",
			         c->tenant);
			call(c, "POST", path, NULL, NULL);
		}
	} else if (k < 92) {
		call(c, "GET", "/_mock/state", NULL, NULL);
	} else if (k < 93 && c->n == 0) {
		call(c, "POST", "/_mock/reset", NULL, NULL);
	} else {
		call(c, "GET", "/v1.0/users?$top=999&$select=id", NULL, NULL);
	}
}

static void *client_main(void *arg)
{
	struct client *c = arg;

	c->curl = curl_easy_init();
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 60L);
	while (!stop)
		op(c);
	curl_easy_cleanup(c->curl);
	return NULL;
}

/* ---- the invariants, checked on the live store ---- */

static int fail_at(char *why, size_t len, const char *tenant, const char *what)
{
	snprintf(why, len, "tenant %s: %s", tenant, what);
	return -1;
}

static int check_tenant(struct state *st, struct tenant *t, char *why, size_t len)
{
	size_t n_inv = 0;

	for (int k = 0; k < DOBJ_KIND_COUNT; k++) {
		size_t n = state_dobj_count(t, (enum dobj_kind)k);
		if (t->by_seq[k].count != n || t->by_name[k].count != n)
			return fail_at(why, len, t->id,
			               "an order is out of step with its kind");
	}
	/* the guests: every user whose userType is Guest, and only those */
	size_t guests = 0;
	for (struct dobj *d = t->by_kind[DOBJ_USER]; d; d = d->kind_next) {
		const char *type =
		    json_string_value(json_object_get(state_dobj_json(d), "userType"));
		bool guest = type && !strcmp(type, "Guest");
		if (guest != d->in_guests)
			return fail_at(why, len, t->id,
			               "a user is in or out of the guests by mistake");
		guests += guest;
	}
	if (t->guests.count != guests)
		return fail_at(why, len, t->id, "the guests are out of step");
	/* once made, the UPN order holds each user under its UPN's key */
	if (t->upn_ordered) {
		if (t->by_upn.count != state_dobj_count(t, DOBJ_USER))
			return fail_at(why, len, t->id,
			               "the UPN order is out of step with the users");
		for (struct oset_node *o = oset_first(&t->by_upn); o; o = oset_next(o))
			if (o->key != state_dobj_upn_key(o->val))
				return fail_at(
				    why, len, t->id,
				    "a user's place in the UPN order is stale");
	}
	for (struct dobj *d = t->objects; d; d = d->hh.next) {
		struct dobj_link *l;
		size_t members = 0;

		for (l = d->members; l; l = l->hh.next) {
			struct dobj_link *back;
			members++;
			HASH_FIND_STR(l->obj->member_of, d->id, back);
			if (!back || back->obj != d)
				return fail_at(why, len, t->id,
				               "a member edge lacks its other end");
			if (l->obj == d)
				return fail_at(why, len, t->id,
				               "a group is its own member");
		}
		for (l = d->member_of; l; l = l->hh.next)
			if (!state_member_has(l->obj, d->id))
				return fail_at(why, len, t->id,
				               "a memberOf edge lacks its other end");
		if (members != (d->member_order ? d->member_order->count : 0))
			return fail_at(why, len, t->id,
			               "a group's member order is out of step");
		for (size_t i = 0; i < d->nkeys; i++) {
			size_t hits;
			struct dobj *const *v =
			    state_dobj_lookup(t, d->keys[i].idx, d->keys[i].key, &hits);
			bool found = false;
			for (size_t h = 0; h < hits; h++)
				found |= v[h] == d;
			if (!found)
				return fail_at(why, len, t->id,
				               "an index misses its object");
		}
		if (d->kind == DOBJ_USER) {
			const char *upn = json_string_value(
			    json_object_get(state_dobj_json(d), "userPrincipalName"));
			size_t hits;
			struct dobj *const *v = state_dobj_lookup(t, IDX_UPN, upn, &hits);
			for (size_t h = 0; h < hits; h++)
				if (v[h] != d && v[h]->kind == DOBJ_USER)
					return fail_at(why, len, t->id,
					               "two users share a UPN");
		}
	}
	for (struct assignment *a = t->assignments; a; a = a->hh.next) {
		struct dobj *p, *r;
		HASH_FIND_STR(t->objects, a->principal_id, p);
		HASH_FIND_STR(t->objects, a->resource_id, r);
		if (p != a->principal || r != a->resource)
			return fail_at(why, len, t->id,
			               "an assignment names a missing object");
	}
	for (struct invitation *inv = t->invitations; inv; inv = inv->hh.next) {
		struct dobj *u;
		n_inv++;
		if (!inv->user_id[0])
			continue;
		HASH_FIND_STR(t->objects, inv->user_id, u);
		/* a user in deleted items keeps its invitations */
		if (!u && state_deleted_find(t, inv->user_id))
			u = state_deleted_find(t, inv->user_id)->d;
		if (!u || (inv->user && inv->user->count > INVITATIONS_PER_USER))
			return fail_at(why, len, t->id,
			               "an invitation names no user, or too many");
	}
	if (n_inv > INVITATIONS_MAX || HASH_COUNT(t->mailbox) > MAILBOX_MAX)
		return fail_at(why, len, t->id, "invitations or mail past their bound");
	(void)st;
	return 0;
}

static int check_store(char *why, size_t len)
{
	struct state *st = &srv->state;
	int rc = 0;

	state_registry_read(st);
	for (struct tenant *t = st->tenants; !rc && t; t = t->hh.next) {
		state_tenant_lock(t);
		rc = check_tenant(st, t, why, len);
		state_tenant_unlock(t);
	}
	state_registry_unlock(st);
	return rc;
}

static void test_soak(void **s)
{
	struct test_server_opts opts = {.seed = 15, .threads = 2};
	struct client *clients = calloc(CLIENTS, sizeof(*clients));
	const char *env = getenv("SOAK_SECONDS");
	int seconds = env ? (int)strtol(env, NULL, 10) : 60;
	pthread_t th[CLIENTS];
	time_t end;
	long ops = 0;
	char why[256];

	(void)s;
	assert_non_null(clients);
	srv = test_server_start(&opts);
	for (int i = 0; i < CLIENTS; i++) {
		clients[i].n = i;
		clients[i].rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1);
		pthread_create(&th[i], NULL, client_main, &clients[i]);
	}
	end = time(NULL) + seconds;
	while (time(NULL) < end) {
		sleep(seconds < 5 ? 1 : 5);
		if (check_store(why, sizeof(why))) {
			stop = 1;
			fail_msg("invariant broken: %s", why);
		}
	}
	stop = 1;
	for (int i = 0; i < CLIENTS; i++) {
		pthread_join(th[i], NULL);
		ops += clients[i].ops;
		if (clients[i].failure[0])
			fail_msg("client %d: %s", i, clients[i].failure);
	}
	if (check_store(why, sizeof(why)))
		fail_msg("invariant broken: %s", why);
	/* the export of whatever the soak left loads back and exports the same */
	char *first = srv_state_dump(&srv->state), *second;
	json_t *doc = json_loads(first, 0, NULL);
	char err[512];
	assert_non_null(doc);
	if (state_replace(&srv->state, doc, err, sizeof(err)))
		fail_msg("the soak's export does not load: %s", err);
	second = srv_state_dump(&srv->state);
	assert_string_equal(first, second);
	fprintf(stderr,
	        "soak: %d s, %ld requests, %d clients, invariants held; %llu tenant "
	        "resets rewound (each checked against the build)\n",
	        seconds, ops, CLIENTS,
	        (unsigned long long)atomic_load(&srv->state.rewinds));
	json_decref(doc);
	free(first);
	free(second);
	free(clients);
	test_server_stop(srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_soak),
	};

	curl_global_init(CURL_GLOBAL_ALL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
