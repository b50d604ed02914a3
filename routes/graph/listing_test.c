/*
 * routes/graph/listing_test.c - pages walked from the ordered indexes (users,
 * groups, a group's members; insertion order, displayName order, a
 * startswith prefix) hold exactly what the general engine answers for the
 * same query, page after page, @odata.count included, also while objects
 * come and go between pages (the engine is reached by turning the walks off:
 * listing_walks). In a big tenant, neither a walk, nor the engine, nor a
 * count, a $search or an $expand leaves a user kept as text parsed.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../server/http_testutil.h"
#include "../../server/srv.h"
#include "../../state/frozen.h"
#include "../../state/state.h"
#include "listing.h"

#define BASE "http://graphmock.test"

static struct srv *srv;
static uint64_t rng = 777;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng >> 33) % n);
}

static struct test_reply *get(const char *path, bool advanced)
{
	const char *adv[] = {"ConsistencyLevel: eventual", NULL};
	struct test_request rq = {
	    "GET", path, NULL, NULL, NULL, NULL, advanced ? adv : NULL, false, 0};
	struct test_reply *r = malloc(sizeof(*r));

	assert_non_null(r);
	test_local(srv, &rq, r);
	return r;
}

static char *post(const char *path, const char *body)
{
	struct test_reply *r =
	    test_local_call(srv, "POST", path, body, "application/json", NULL);
	char *id;

	if (r->status != 201)
		fail_msg("POST %s: %ld %s", path, r->status, r->body);
	id = strdup(json_string_value(json_object_get(r->json, "id")));
	test_reply_free(r);
	return id;
}

/*
 * A user made by POST: @display_name as JSON string text (an escape stays
 * one), @nick its mailNickname, @upn its userPrincipalName before
 * "@contoso.onmicrosoft.com". Its id (free()).
 */
static char *post_user(const char *display_name, const char *nick, const char *upn)
{
	char body[512];

	snprintf(
	    body, sizeof(body),
	    "{\"accountEnabled\":true,\"displayName\":\"%s\",\"mailNickname\":\"%s\","
	    "\"userPrincipalName\":\"%s@contoso.onmicrosoft.com\","
	    "\"passwordProfile\":{\"password\":\"Pa55-word!\"}}",
	    display_name, nick, upn);
	return post("/v1.0/users", body);
}

static void del(const char *path)
{
	struct test_reply *r = test_local_call(srv, "DELETE", path, NULL, NULL, NULL);

	assert_int_equal(r->status, 204);
	test_reply_free(r);
}

/* "#count:" and every id of every page of @path with $count=true, walked
 * or through the general @engine, comma-joined; between pages, @between
 * runs once. */
static char *all_pages(const char *path, bool engine, void (*between)(void))
{
	char url[4096], *out = calloc(1, 1 << 20);
	size_t len = 0;
	int pages = 0;

	assert_non_null(out);
	listing_walks = !engine;
	snprintf(url, sizeof(url), "%s%s$count=true&$select=id", path,
	         strchr(path, '?') ? "&" : "?");
	for (;;) {
		struct test_reply *r = get(url, true);
		json_t *v, *e;
		const char *next;
		size_t i;

		if (r->status != 200)
			fail_msg("GET %s: %ld %s", url, r->status, r->body);
		len += (size_t)snprintf(
		    out + len, (1 << 20) - len, "#%lld:",
		    json_integer_value(json_object_get(r->json, "@odata.count")));
		v = json_object_get(r->json, "value");
		json_array_foreach(v, i, e)
		{
			len +=
			    (size_t)snprintf(out + len, (1 << 20) - len, "%s,",
			                     json_string_value(json_object_get(e, "id")));
		}
		next = json_string_value(json_object_get(r->json, "@odata.nextLink"));
		if (next)
			snprintf(url, sizeof(url), "%s", next + strlen(BASE));
		test_reply_free(r);
		if (!next)
			break;
		if (between && pages++ == 1)
			between();
	}
	listing_walks = true;
	return out;
}

static void same_pages(const char *path)
{
	char *walked = all_pages(path, false, NULL),
	     *engine = all_pages(path, true, NULL);

	if (strcmp(walked, engine))
		fail_msg("%s:\nwalked %.400s\nengine %.400s", path, walked, engine);
	assert_true(strlen(walked) > 0);
	assert_null(strstr(walked, "#0:")); /* counted: every page says how many */
	free(walked);
	free(engine);
}

/* /$count of @path walked and by the engine: the same, and returned. */
static long long same_count(const char *path)
{
	struct test_reply *r;
	long long walked, engine;

	r = get(path, true);
	assert_int_equal(r->status, 200);
	walked = strtoll(r->body, NULL, 10);
	test_reply_free(r);
	listing_walks = false;
	r = get(path, true);
	listing_walks = true;
	assert_int_equal(r->status, 200);
	engine = strtoll(r->body, NULL, 10);
	test_reply_free(r);
	assert_int_equal(walked, engine);
	return walked;
}

static const char *const names[] = {"Adele", "adele", "Bob", "Xena",  "xavier",
                                    "Zoe",   "Émile", "",    "  Ann", "Xa"};

static int setup(void **s)
{
	struct test_server_opts opts = {.seed = 9};
	char body[512];

	(void)s;
	srv = test_srv_new(&opts);
	snprintf(srv->cfg.public_url, sizeof(srv->cfg.public_url), BASE);
	for (int i = 0; i < 240; i++) {
		char name[64], nick[16];

		snprintf(name, sizeof(name), "%s %d", names[rnd(10)], rnd(7));
		snprintf(nick, sizeof(nick), "w%d", i);
		free(post_user(name, nick, nick));
	}
	for (int i = 0; i < 30; i++) {
		snprintf(
		    body, sizeof(body),
		    "{\"displayName\":\"%s g\",\"mailEnabled\":false,\"mailNickname\":"
		    "\"g%d\",\"securityEnabled\":true}",
		    names[rnd(10)], i);
		free(post("/v1.0/groups", body));
	}
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	test_srv_free(srv);
	return 0;
}

static void test_users_and_groups(void **s)
{
	static const char *const paths[] = {
	    "/v1.0/users?$top=7",
	    "/v1.0/users",
	    "/v1.0/users?$top=13&$orderby=displayName",
	    "/v1.0/users?$top=5&$filter=startswith(displayName,'x')",
	    "/v1.0/users?$top=9&$filter=accountEnabled eq true",
	    "/beta/users?$top=11&$orderby=displayName",
	    "/v1.0/groups?$top=4",
	    "/v1.0/groups?$top=4&$orderby=displayName",
	    "/v1.0/groups?$top=3&$filter=startswith(displayName,'a')",
	    "/v1.0/users?$top=8&$search=%22displayName:x%22",
	    "/v1.0/users?$top=4&$orderby=displayName&$search=%22displayName:a%22",
	    "/v1.0/users?$top=13&$orderby=displayName desc",
	    "/v1.0/users?$top=1&$orderby=displayName%20DESC",
	    "/v1.0/users?$top=7&$orderby=displayName desc&$filter=accountEnabled eq true",
	    "/v1.0/users?$top=5&$orderby=displayName desc&$search=%22displayName:x%22",
	    "/v1.0/users?$top=5&$orderby=displayName "
	    "desc&$filter=startswith(displayName,'a')",
	    "/v1.0/groups?$top=4&$orderby=displayName desc",
	    "/v1.0/users?$top=13&$orderby=userPrincipalName",
	    "/v1.0/users?$top=6&$orderby=userPrincipalName%20desc",
	    "/v1.0/users?$top=6&$orderby=userPrincipalName&$filter=accountEnabled eq "
	    "true",
	    "/v1.0/users?$top=5&$orderby=userPrincipalName&$search=%22displayName:x%22",
	    ("/v1.0/users?$top=5&$orderby=userPrincipalName desc&$filter="
	     "startswith(displayName,'a')"),
	};
	static const char *const counts[] = {
	    "/v1.0/users/$count",
	    "/v1.0/users/$count?$filter=startswith(displayName,'x')",
	    ("/v1.0/users/$count?$filter=accountEnabled eq true and "
	     "startswith(displayName,'a')"),
	    "/v1.0/users/$count?$search=%22displayName:zoe%22",
	    "/v1.0/groups/$count",
	    "/v1.0/groups/$count?$filter=startswith(displayName,'x')",
	};

	char *range, *scan;
	struct test_reply *r;
	const char *link;

	(void)s;
	/* the walk answered it: its nextLink carries a cursor, not an offset */
	r = get("/v1.0/users?$top=13&$orderby=displayName", false);
	link = json_string_value(json_object_get(r->json, "@odata.nextLink"));
	assert_non_null(link);
	assert_true(strlen(strstr(link, "$skiptoken=") + 11) > 24);
	test_reply_free(r);
	r = get("/v1.0/users?$top=13&$orderby=displayName%20desc", false);
	link = json_string_value(json_object_get(r->json, "@odata.nextLink"));
	assert_non_null(link);
	assert_true(strlen(strstr(link, "$skiptoken=") + 11) > 24);
	test_reply_free(r);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		same_pages(paths[i]);
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		assert_true(same_count(counts[i]) > 0);
	/* startswith(displayName) from the name index = a scan of every user
	 * (an `or` the index shortcut does not read) */
	range = all_pages("/v1.0/users?$top=6&$filter=startswith(displayName,'XA') and "
	                  "accountEnabled eq true",
	                  false, NULL);
	scan = all_pages("/v1.0/users?$top=6&$filter=startswith(displayName,'XA') or "
	                 "startswith(displayName,'XA')",
	                 false, NULL);
	assert_string_equal(range, scan);
	assert_true(strlen(range) > 36);
	free(range);
	free(scan);
}

static void test_members(void **s)
{
	char path[256], body[256], *g;
	struct test_reply *r = get("/v1.0/users?$top=999&$select=id", false);
	json_t *v = json_object_get(r->json, "value"), *e;
	size_t i;

	(void)s;
	g = post("/v1.0/groups", "{\"displayName\":\"Walked\",\"mailEnabled\":false,"
	                         "\"mailNickname\":\"walked\",\"securityEnabled\":true}");
	snprintf(path, sizeof(path), "/v1.0/groups/%s/members/$ref", g);
	/* joined in another order than created: listed by creation */
	for (i = json_array_size(v); i-- > 0;) {
		e = json_array_get(v, i);
		if (i % 3)
			continue;
		snprintf(body, sizeof(body),
		         "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/users/%s\"}",
		         json_string_value(json_object_get(e, "id")));
		test_reply_free(
		    test_local_call(srv, "POST", path, body, "application/json", NULL));
	}
	snprintf(body, sizeof(body),
	         "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/servicePrincipals/"
	         "bd9c1ced-d13a-4ed9-8018-1d502b412f30\"}");
	test_reply_free(
	    test_local_call(srv, "POST", path, body, "application/json", NULL));
	test_reply_free(r);
	snprintf(path, sizeof(path), "/v1.0/groups/%s/members?$top=6", g);
	same_pages(path);
	snprintf(path, sizeof(path), "/beta/groups/%s/members?$top=6", g);
	same_pages(path);
	snprintf(path, sizeof(path),
	         "/v1.0/groups/%s/members/microsoft.graph.user?$top=8", g);
	same_pages(path);
	/* transitive: walked while no group is a member, then by the engine */
	for (int nested = 0; nested < 2; nested++) {
		snprintf(path, sizeof(path), "/v1.0/groups/%s/transitiveMembers?$top=7",
		         g);
		same_pages(path);
		snprintf(path, sizeof(path),
		         "/v1.0/groups/%s/transitiveMembers/microsoft.graph.user?$top=9",
		         g);
		same_pages(path);
		if (nested)
			break;
		char *inner =
		    post("/v1.0/groups",
		         "{\"displayName\":\"Inner\",\"mailEnabled\":false,"
		         "\"mailNickname\":\"inner\",\"securityEnabled\":true}");
		snprintf(path, sizeof(path), "/v1.0/groups/%s/members/$ref", g);
		snprintf(body, sizeof(body),
		         "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/groups/%s\"}",
		         inner);
		test_reply_free(
		    test_local_call(srv, "POST", path, body, "application/json", NULL));
		free(inner);
	}
	free(g);
}

/* Objects created and deleted between pages: no page repeats or skips one
 * that stayed (the cursor names a position, not an offset). */
static char *victim;
static const char *newcomer; /* its display name (JSON) */

static void churn(void)
{
	char path[128], upn[32];

	snprintf(path, sizeof(path), "/v1.0/users/%s", victim);
	del(path);
	snprintf(upn, sizeof(upn), "late%zu", strlen(newcomer));
	free(post_user(newcomer, "late", upn));
}

/* Page through @path while the object first on its first page goes away
 * after page 2 and a user named @name is made (one sorting before the
 * walk's cursor by then): the pages hold what they held before. */
static void pages_while_objects_change(const char *path, const char *name)
{
	char first[256];
	struct test_reply *r;
	char *before, *during, *after;

	snprintf(first, sizeof(first), "%s&$top=1&$count=true&$select=id,displayName",
	         path);
	r = get(first, true); /* (as all_pages asks: createdDateTime needs it) */
	victim = strdup(json_string_value(
	    json_object_get(json_array_get(json_object_get(r->json, "value"), 0), "id")));
	test_reply_free(r);
	newcomer = name;
	snprintf(first, sizeof(first), "%s&$top=10", path);
	before = all_pages(first, false, NULL);
	during = all_pages(first, false, churn);
	after = all_pages(first, false, NULL);
	/* the walk went on from its cursor: both changes were behind it (the
	 * victim listed already, the newcomer sorting first), so the pages hold
	 * exactly what they held before, each once */
	assert_string_equal(during, before);
	assert_null(strstr(after, victim));
	free(before);
	free(during);
	free(after);
	free(victim);
}

static void test_pages_while_objects_change(void **s)
{
	(void)s;
	pages_while_objects_change("/v1.0/users?$orderby=displayName", "\\tearly");
	/* last name first: a name after every other one ("ÿ" > "É") sorts first */
	pages_while_objects_change("/v1.0/users?$orderby=displayName%20desc",
	                           "\\u00ff late");
	/* by UPN: the newcomer's ("late<n>@") is before the cursor by page 3 */
	pages_while_objects_change("/v1.0/users?$orderby=userPrincipalName", "upn late");
}

/* The shared server's state with every user's createdDateTime set from
 * @when (NULL: null), at random, into a server of its own: srv. */
static struct srv *with_created(const char *const *when, size_t nwhen)
{
	struct test_server_opts opts = {.seed = 11};
	struct test_reply *r =
	    test_local_call(srv, "GET", "/_mock/state", NULL, NULL, NULL);
	json_t *users, *u;
	struct srv *shared = srv;
	char *text;
	size_t i;

	assert_int_equal(r->status, 200);
	users = json_object_get(json_array_get(json_object_get(r->json, "tenants"), 0),
	                        "users");
	json_array_foreach(users, i, u)
	{
		const char *w = when[rnd((unsigned)nwhen)];
		json_object_set_new(u, "createdDateTime",
		                    w ? json_string(w) : json_null());
	}
	text = json_dumps(r->json, JSON_COMPACT);
	assert_non_null(text);
	test_reply_free(r);
	srv = test_srv_new(&opts);
	snprintf(srv->cfg.public_url, sizeof(srv->cfg.public_url), BASE);
	r = test_local_call(srv, "PUT", "/_mock/state", text, "application/json", NULL);
	if (r->status != 204)
		fail_msg("PUT /_mock/state: %ld %s", r->status, r->body);
	test_reply_free(r);
	free(text);
	return shared;
}

/* `$orderby=createdDateTime` walked from the store's order by instant
 * (state_dobj_created_order): zones, fractions, dates before 1970, nulls
 * and ties page as the engine sorts them, also while users come and go.
 * (A value that is no date-time would leave the sort to the engine; the
 * loader refuses one now: fixture_read_test.c, test_member_kinds_hold.) */
static void test_created_order_walked(void **s)
{
	static const char *const when[] = {
	    "2024-01-01T10:00:00+02:00",
	    "2024-01-01T08:00:00Z",
	    "2024-01-01T07:59:59.9999999Z",
	    "2023-12-31T23:00:00-10:00",
	    "0001-01-01T00:00:00Z",
	    "1969-12-31T23:59:59.5Z",
	    "2024-01-01T08:00:00.000Z",
	    "2024-06-30T12:00:00+14:00",
	    "2024-06-30t12:00z",
	    NULL,
	};
	static const char *const paths[] = {
	    "/v1.0/users?$top=7&$orderby=createdDateTime",
	    "/v1.0/users?$top=9&$orderby=createdDateTime desc",
	    "/v1.0/users?$top=5&$orderby=createdDateTime&$filter=accountEnabled eq true",
	    "/v1.0/users?$top=4&$orderby=createdDateTime "
	    "desc&$search=%22displayName:x%22",
	    "/v1.0/"
	    "users?$top=6&$orderby=createdDateTime&$filter=startswith(displayName,'a')",
	};
	struct srv *shared = with_created(when, sizeof(when) / sizeof(when[0]));
	struct test_reply *r;
	const char *link;

	(void)s;
	/* (newest first: a null's cursor key is "", as short as an offset) */
	r = get("/v1.0/users?$top=5&$orderby=createdDateTime%20desc&$count=true", true);
	link = json_string_value(json_object_get(r->json, "@odata.nextLink"));
	assert_non_null(link); /* walked: a cursor, not an offset */
	assert_true(strlen(strstr(link, "$skiptoken=") + 11) > 24);
	test_reply_free(r);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		same_pages(paths[i]);
	/* a user made now is the newest: first when newest come first */
	pages_while_objects_change("/v1.0/users?$orderby=createdDateTime%20desc",
	                           "made just now");
	same_pages(paths[0]);
	same_pages(paths[1]);
	test_srv_free(srv);
	srv = shared;
}

/* A reset rewinds what was made and deleted since the fixture (state/rewind.h)
 * through the same links the order follows: after it, the order walked is
 * the engine's again, the fixture's users alone. */
static void test_created_order_rewound(void **s)
{
	struct test_server_opts opts = {.seed = 13};
	struct srv *shared = srv;
	struct test_reply *r;
	char name[32], nick[16], *ids[4];
	char *walked;

	(void)s;
	srv = test_srv_new(&opts);
	snprintf(srv->cfg.public_url, sizeof(srv->cfg.public_url), BASE);
	same_pages("/v1.0/users?$top=1&$orderby=createdDateTime desc"); /* made */
	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "Rewound %d", i);
		snprintf(nick, sizeof(nick), "rw%d", i);
		ids[i] = post_user(name, nick, nick);
	}
	del("/v1.0/users/867c0910-85c6-4427-9a19-b6e7e79332ae"); /* the fixture's */
	same_pages("/v1.0/users?$top=2&$orderby=createdDateTime");
	r = test_local_call(srv, "POST", "/_mock/reset", NULL, NULL, NULL);
	assert_int_equal(r->status, 204);
	test_reply_free(r);
	assert_int_equal(atomic_load(&srv->state.rewinds), 1); /* not rebuilt */
	same_pages("/v1.0/users?$top=1&$orderby=createdDateTime");
	same_pages("/v1.0/users?$top=1&$orderby=createdDateTime desc");
	walked = all_pages("/v1.0/users?$top=1&$orderby=createdDateTime", false, NULL);
	assert_non_null(strstr(walked, "867c0910-85c6-4427-9a19-b6e7e79332ae"));
	for (int i = 0; i < 4; i++) {
		assert_null(strstr(walked, ids[i]));
		free(ids[i]);
	}
	free(walked);
	test_srv_free(srv);
	srv = shared;
}

static void patch(const char *id, const char *body)
{
	char path[128];
	struct test_reply *r;

	snprintf(path, sizeof(path), "/v1.0/users/%s", id);
	r = test_local_call(srv, "PATCH", path, body, "application/json", NULL);
	if (r->status != 204)
		fail_msg("PATCH %s: %ld %s", path, r->status, r->body);
	test_reply_free(r);
}

/* The ids of the first @n users by userPrincipalName (free() each). */
static void first_by_upn(char **ids, size_t n)
{
	char path[128];
	struct test_reply *r;

	snprintf(path, sizeof(path), "/v1.0/users?$orderby=userPrincipalName&$top=%zu",
	         n);
	r = get(path, false);
	assert_int_equal(r->status, 200);
	for (size_t i = 0; i < n; i++)
		ids[i] = strdup(json_string_value(json_object_get(
		    json_array_get(json_object_get(r->json, "value"), i), "id")));
	test_reply_free(r);
}

/*
 * The UPN order is made by the first `$orderby=userPrincipalName` and then
 * kept in step: users renamed, made, deleted for good, soft-deleted and
 * restored, and the walk still answers what the engine does (a place left
 * behind would hold a freed key: ASan).
 */
static void test_upn_order_kept_in_step(void **s)
{
	char *ids[5], path[160];
	struct test_reply *r;

	(void)s;
	same_pages("/v1.0/users?$top=11&$orderby=userPrincipalName");
	first_by_upn(ids, 5);
	patch(ids[0], "{\"userPrincipalName\":\"zz-last@contoso.onmicrosoft.com\"}");
	patch(ids[1], "{\"userPrincipalName\":\"AA-First@contoso.onmicrosoft.com\"}");
	patch(ids[2], "{\"displayName\":\"the UPN stays\"}");
	snprintf(path, sizeof(path), "/v1.0/users/%s", ids[3]);
	del(path); /* soft-deleted ... */
	snprintf(path, sizeof(path), "/v1.0/directory/deletedItems/%s/restore", ids[3]);
	r = test_local_call(srv, "POST", path, NULL, NULL, NULL);
	assert_int_equal(r->status, 200); /* ... and back */
	test_reply_free(r);
	snprintf(path, sizeof(path), "/v1.0/users/%s", ids[4]);
	del(path);
	snprintf(path, sizeof(path), "/v1.0/directory/deletedItems/%s", ids[4]);
	del(path); /* gone for good */
	for (int i = 0; i < 3; i++) {
		char name[16], nick[16], upn[16];

		snprintf(name, sizeof(name), "upn %d", i);
		snprintf(nick, sizeof(nick), "u%d", i);
		snprintf(upn, sizeof(upn), "%c-new", "bmz"[i]);
		free(post_user(name, nick, upn));
	}
	same_pages("/v1.0/users?$top=11&$orderby=userPrincipalName");
	same_pages("/v1.0/users?$top=11&$orderby=userPrincipalName desc");
	/* the renamed users stand where their new UPNs sort */
	free(ids[4]);
	first_by_upn(ids + 4, 1);
	assert_string_equal(ids[4], ids[1]);
	for (int i = 0; i < 5; i++)
		free(ids[i]);
}

/* @a and @b name the same ids, in the same order. */
static void same_answer(const char *a, const char *b)
{
	char *x = all_pages(a, false, NULL), *y = all_pages(b, false, NULL);

	if (strcmp(x, y))
		fail_msg("%s\n  %.300s\n%s\n  %.300s", a, x, b, y);
	free(x);
	free(y);
}

/*
 * `id in (...)`, `userPrincipalName in (...)` and `mail in (...)` are
 * answered from the indexes: the same users, pages and counts as a scan of
 * every user (the same filter written twice under an `or`, which no index
 * shortcut reads), unknown, malformed and differently cased keys included.
 */
static void test_in_lists_from_the_indexes(void **s)
{
	char *ids[4], path[2048], scan[4096], upns[4][64], mails[4][64];
	struct test_reply *r;
	long long n;

	(void)s;
	r = get("/v1.0/users?$top=4&$select=id,userPrincipalName,mail", false);
	for (int i = 0; i < 4; i++) {
		json_t *u = json_array_get(json_object_get(r->json, "value"), (size_t)i);
		const char *mail = json_string_value(json_object_get(u, "mail"));
		ids[i] = strdup(json_string_value(json_object_get(u, "id")));
		snprintf(upns[i], sizeof(upns[i]), "%s",
		         json_string_value(json_object_get(u, "userPrincipalName")));
		snprintf(mails[i], sizeof(mails[i]), "%s", mail ? mail : "none@x.com");
	}
	test_reply_free(r);
	upns[1][0] = (char)toupper((unsigned char)upns[1][0]); /* any case */
	for (char *p = ids[2]; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	snprintf(path, sizeof(path),
	         "id in ('%s','%s','%s','%s','no-guid',"
	         "'00000000-0000-4000-8000-000000000000')",
	         ids[3], ids[0], ids[2], ids[0]);
	const char *filters[] = {path, NULL, NULL};
	char upn_in[1024], mail_in[1024];
	snprintf(upn_in, sizeof(upn_in),
	         "userPrincipalName in ('%s','%s','nobody@contoso.onmicrosoft.com') and "
	         "accountEnabled eq true",
	         upns[1], upns[2]);
	snprintf(mail_in, sizeof(mail_in), "mail in ('%s','%s')", mails[0], mails[3]);
	filters[1] = upn_in;
	filters[2] = mail_in;
	for (size_t f = 0; f < 3; f++) {
		char fast[4096];
		snprintf(fast, sizeof(fast), "/v1.0/users?$top=2&$filter=%s", filters[f]);
		snprintf(scan, sizeof(scan), "/v1.0/users?$top=2&$filter=(%s) or (%s)",
		         filters[f], filters[f]);
		same_answer(fast, scan);
		snprintf(fast, sizeof(fast), "/v1.0/users/$count?$filter=%s", filters[f]);
		snprintf(scan, sizeof(scan), "/v1.0/users/$count?$filter=(%s) or (%s)",
		         filters[f], filters[f]);
		n = same_count(fast);
		assert_int_equal(n, same_count(scan));
		assert_true(n > 0);
	}
	/* the ids: three users, once each, in insertion order */
	snprintf(scan, sizeof(scan), "/v1.0/users?$filter=%s&$select=id", path);
	r = get(scan, false);
	assert_int_equal(r->status, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "value")), 3);
	test_reply_free(r);
	for (int i = 0; i < 4; i++)
		free(ids[i]);
}

/* An invited guest's id (free()). */
static char *invite(int i)
{
	char body[256];
	struct test_reply *r;
	char *id;

	snprintf(body, sizeof(body),
	         "{\"invitedUserEmailAddress\":\"guest%d@fabrikam.com\","
	         "\"inviteRedirectUrl\":\"https://myapp.contoso.com\"}",
	         i);
	r = test_local_call(srv, "POST", "/v1.0/invitations", body, "application/json",
	                    NULL);
	if (r->status != 201)
		fail_msg("POST /invitations: %ld %s", r->status, r->body);
	id = strdup(json_string_value(
	    json_object_get(json_object_get(r->json, "invitedUser"), "id")));
	test_reply_free(r);
	return id;
}

/*
 * `$filter=userType eq 'Guest'` walks the tenant's guests alone (t->guests):
 * invited, made guests and members again by PATCH, soft-deleted, restored
 * and deleted for good, the pages and counts are the engine's over every
 * user.
 */
static void test_guests_walked(void **s)
{
	char *guests[6], *members[2], path[160];
	struct test_reply *r;

	(void)s;
	for (int i = 0; i < 6; i++)
		guests[i] = invite(i);
	first_by_upn(members, 2);
	patch(members[0], "{\"userType\":\"Guest\"}");
	patch(members[1], "{\"userType\":\"Guest\"}");
	patch(guests[1], "{\"userType\":\"Member\"}");
	snprintf(path, sizeof(path), "/v1.0/users/%s", guests[2]);
	del(path);
	snprintf(path, sizeof(path), "/v1.0/directory/deletedItems/%s/restore",
	         guests[2]);
	r = test_local_call(srv, "POST", path, NULL, NULL, NULL);
	assert_int_equal(r->status, 200);
	test_reply_free(r);
	snprintf(path, sizeof(path), "/v1.0/users/%s", guests[3]);
	del(path);
	snprintf(path, sizeof(path), "/v1.0/directory/deletedItems/%s", guests[3]);
	del(path);
	same_pages("/v1.0/users?$top=2&$filter=userType eq 'Guest'");
	same_pages("/v1.0/users?$top=3&$filter=userType in ('Guest') and accountEnabled "
	           "eq true");
	same_pages("/v1.0/users?$top=3&$filter=userType eq 'Member'");
	/* sorted: the few guests alone, as a scan of every user sorts them */
	static const char *const sorts[] = {"displayName", "displayName desc",
	                                    "userPrincipalName"};
	for (size_t i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++) {
		char fast[256], scan[256];
		snprintf(fast, sizeof(fast),
		         "/v1.0/users?$top=4&$orderby=%s&$filter=userType eq 'Guest'",
		         sorts[i]);
		snprintf(scan, sizeof(scan),
		         "/v1.0/users?$top=4&$orderby=%s&$filter=userType eq 'Guest' or "
		         "userType eq 'Guest'",
		         sorts[i]);
		same_answer(fast, scan);
		same_pages(fast);
	}
	/* guests: four of the six invited (one made a member, one deleted for
	 * good) and the two members made guests; in any case, as Graph compares */
	assert_int_equal(same_count("/v1.0/users/$count?$filter=userType eq 'Guest'"), 6);
	assert_int_equal(same_count("/v1.0/users/$count?$filter=userType eq 'guest'"), 6);
	for (int i = 0; i < 6; i++)
		free(guests[i]);
	for (int i = 0; i < 2; i++)
		free(members[i]);
}

/* The ids of every user in one list page, comma-joined (free()). */
static char *list_ids(const char *path, const char *const *headers, char **next)
{
	struct test_request rq = {"GET", path, NULL, NULL, NULL, NULL, headers, false, 0};
	struct test_reply r;
	char *out = calloc(1, 1 << 16);
	size_t len = 0, i;
	json_t *e;

	assert_non_null(out);
	test_local(srv, &rq, &r);
	if (r.status != 200)
		fail_msg("GET %s: %ld %s", path, r.status, r.body);
	json_array_foreach(json_object_get(r.json, "value"), i, e)
	{
		len += (size_t)snprintf(out + len, (1 << 16) - len, "%s,",
		                        json_string_value(json_object_get(e, "id")));
	}
	if (next) {
		const char *link =
		    json_string_value(json_object_get(r.json, "@odata.nextLink"));
		*next = link ? strdup(link + strlen(BASE)) : NULL;
	}
	test_reply_release(&r);
	return out;
}

/* A first delta sync, page after page (each walked from where the last
 * ended), holds every user once, in the order the list gives them. */
static void test_delta_first_sync_pages(void **s)
{
	static const char *const small[] = {"Prefer: odata.maxpagesize=7", NULL};
	char *all = list_ids("/v1.0/users?$top=999&$select=id", NULL, NULL);
	char *synced = calloc(1, 1 << 16), *next = strdup("/v1.0/users/delta?$select=id");
	size_t len = 0;
	int pages = 0;

	(void)s;
	assert_non_null(synced);
	while (next) {
		char *was = next, *page = list_ids(was, small, &next);

		len += (size_t)snprintf(synced + len, (1 << 16) - len, "%s", page);
		free(page);
		free(was);
		pages++;
	}
	assert_string_equal(synced, all);
	assert_true(pages > 30);
	free(all);
	free(synced);
}

/* One page of a groups delta: each item's members@delta entries into
 * @seen (group id -> {member id: removed}), counted into @slices (group id
 * -> items of it); the page's entry count returned, *@next its link's path
 * (free()) or NULL, *@delta_link the deltaLink's path at the end. */
static size_t members_page(const char *path, json_t *seen, json_t *slices, char **next,
                           char **delta_link)
{
	static const char *const small[] = {"Prefer: odata.maxpagesize=2", NULL};
	struct test_request rq = {"GET", path, NULL, NULL, NULL, NULL, small, false, 0};
	struct test_reply r;
	size_t entries = 0, i, j;
	json_t *item, *m;
	const char *link;

	test_local(srv, &rq, &r);
	if (r.status != 200)
		fail_msg("GET %s: %ld %s", path, r.status, r.body);
	assert_true(json_array_size(json_object_get(r.json, "value")) <= 2);
	json_array_foreach(json_object_get(r.json, "value"), i, item)
	{
		const char *gid = json_string_value(json_object_get(item, "id"));
		json_t *set = json_object_get(seen, gid);

		if (!set)
			json_object_set_new(seen, gid, set = json_object());
		json_object_set_new(
		    slices, gid,
		    json_integer(json_integer_value(json_object_get(slices, gid)) + 1));
		json_array_foreach(json_object_get(item, "members@delta"), j, m)
		{
			const char *mid = json_string_value(json_object_get(m, "id"));
			/* no entry twice in a round */
			if (json_object_get(set, mid))
				fail_msg("member %s of %s twice", mid, gid);
			json_object_set_new(set, mid,
			                    json_boolean(json_object_get(m, "@removed")));
			entries++;
		}
	}
	link = json_string_value(json_object_get(r.json, "@odata.nextLink"));
	*next = link ? strdup(link + strlen(BASE)) : NULL;
	link = json_string_value(json_object_get(r.json, "@odata.deltaLink"));
	if (delta_link && link)
		*delta_link = strdup(link + strlen(BASE));
	test_reply_release(&r);
	return entries;
}

static const char *user_at(const json_t *users, size_t i)
{
	return json_string_value(json_object_get(json_array_get(users, i), "id"));
}

static void member_ref_call(const char *method, const char *group, const char *user)
{
	char path[256], body[160];
	struct test_reply *r;

	if (!strcmp(method, "POST")) {
		snprintf(path, sizeof(path), "/v1.0/groups/%s/members/$ref", group);
		snprintf(body, sizeof(body),
		         "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/users/%s\"}",
		         user);
		r = test_local_call(srv, "POST", path, body, "application/json", NULL);
	} else {
		snprintf(path, sizeof(path), "/v1.0/groups/%s/members/%s/$ref", group,
		         user);
		r = test_local_call(srv, "DELETE", path, NULL, NULL, NULL);
	}
	if (r->status != 204)
		fail_msg("%s %s: %ld %s", method, path, r->status, r->body);
	test_reply_free(r);
}

/*
 * A large group's members@delta spans pages, the group repeated on each
 * (DQG "Paging through members in a large group"): at most 20 entries a
 * page per item the page may hold, every member once in the round, none
 * lost when members come and go between pages (a page resumes after the
 * last id it showed, not after a count), and a round of changes splits the
 * same way.
 */
static void test_delta_members_paged(void **s)
{
	struct test_reply *r = get("/v1.0/users?$top=999&$select=id", false);
	json_t *users = json_deep_copy(json_object_get(r->json, "value"));
	json_t *seen = json_object(), *slices = json_object(), *set;
	char *g, *next = strdup("/v1.0/groups/delta?$select=displayName,members");
	char *delta_link = NULL, gone[GUID_STR_LEN + 1] = "";
	size_t nusers = json_array_size(users), joined = 0, i;
	const char *key;
	json_t *v;

	(void)s;
	test_reply_free(r);
	assert_true(nusers > 150);
	g = post("/v1.0/groups", "{\"displayName\":\"Large\",\"mailEnabled\":false,"
	                         "\"mailNickname\":\"large\",\"securityEnabled\":true}");
	for (i = 0; i + 20 < nusers; i++, joined++)
		member_ref_call("POST", g, user_at(users, i));
	while (next) {
		char *was = next;

		assert_true(members_page(was, seen, slices, &next, &delta_link) <= 40);
		free(was);
		/* after the first page of the large group: its last member shown
		 * leaves, and a newcomer joins */
		set = json_object_get(seen, g);
		if (set && !gone[0]) {
			json_object_foreach(set, key, v)
			    snprintf(gone, sizeof(gone), "%s", key);
			member_ref_call("DELETE", g, gone);
			member_ref_call("POST", g, user_at(users, nusers - 1));
		}
	}
	set = json_object_get(seen, g);
	assert_true(json_integer_value(json_object_get(slices, g)) >=
	            (json_int_t)joined / 40);
	/* every member there from start to end was shown */
	for (i = 0; i < joined; i++) {
		const char *id = user_at(users, i);
		if (strcmp(id, gone) && !json_object_get(set, id))
			fail_msg("member %s never shown", id);
	}
	assert_non_null(delta_link);

	/* a round: 15 more join, 30 leave; listed as changes, split alike */
	for (i = joined; i < joined + 15; i++)
		member_ref_call("POST", g, user_at(users, i));
	for (i = 0; i < 30; i++)
		if (strcmp(gone, user_at(users, i)))
			member_ref_call("DELETE", g, user_at(users, i));
	json_object_clear(seen);
	json_object_clear(slices);
	next = delta_link;
	delta_link = NULL;
	while (next) {
		char *was = next;

		assert_true(members_page(was, seen, slices, &next, &delta_link) <= 40);
		free(was);
	}
	set = json_object_get(seen, g);
	assert_non_null(set);
	assert_true(json_integer_value(json_object_get(slices, g)) >= 2);
	for (i = 0; i < 30; i++)
		if (strcmp(gone, user_at(users, i)))
			assert_true(
			    json_is_true(json_object_get(set, user_at(users, i))));
	for (i = joined; i < joined + 15; i++)
		assert_true(json_is_false(json_object_get(set, user_at(users, i))));
	free(delta_link);
	free(g);
	json_decref(seen);
	json_decref(slices);
	json_decref(users);
}

#define APP_SP "ffd74704-8647-49d6-8a03-b6b5cf8ce61d" /* the fixture's app */

/*
 * An app's appRoleAssignedTo, walked along its list, pages as the engine
 * does, also after assignments went away and a user holding one was
 * deleted and restored (its assignment back in its place).
 */
static void test_app_role_assigned_to_walked(void **s)
{
	char *users[24], body[256], path[256];
	struct test_reply *r;

	(void)s;
	r = get("/v1.0/users?$top=24&$select=id", false);
	for (int i = 0; i < 24; i++)
		users[i] = strdup(json_string_value(json_object_get(
		    json_array_get(json_object_get(r->json, "value"), (size_t)i), "id")));
	test_reply_free(r);
	for (int i = 0; i < 24; i++) {
		snprintf(body, sizeof(body),
		         "{\"principalId\":\"%s\",\"resourceId\":\"" APP_SP
		         "\",\"appRoleId\":\"00000000-0000-0000-0000-000000000000\"}",
		         users[i]);
		free(post("/v1.0/servicePrincipals/" APP_SP "/appRoleAssignedTo", body));
	}
	snprintf(path, sizeof(path), "/v1.0/users/%s", users[3]);
	del(path);
	snprintf(path, sizeof(path), "/v1.0/directory/deletedItems/%s/restore", users[3]);
	r = test_local_call(srv, "POST", path, NULL, NULL, NULL);
	assert_int_equal(r->status, 200);
	test_reply_free(r);
	snprintf(path, sizeof(path), "/v1.0/users/%s", users[7]);
	del(path);
	/* (the engine sorts by seq: a restored assignment put last would show) */
	same_pages("/v1.0/servicePrincipals/" APP_SP "/appRoleAssignedTo?$top=5");
	same_pages("/v1.0/servicePrincipals/" APP_SP "/appRoleAssignedTo");
	for (int i = 0; i < 24; i++)
		free(users[i]);
}

/* @path (with ConsistencyLevel: eventual when @advanced) answers 200 with
 * @want in its body, which is returned (free()). */
static char *answers(const char *path, bool advanced, const char *want)
{
	struct test_reply *r = get(path, advanced);
	char *body;

	if (r->status != 200 || !strstr(r->body, want))
		fail_msg("%s: %ld %s (wanted %s)", path, r->status, r->body, want);
	body = strdup(r->body);
	assert_non_null(body);
	test_reply_free(r);
	return body;
}

/* In a big tenant, lists, counts, searches, sorts and expansions parse a
 * waiting user for their answer only (the general engine only the members
 * the query reads, but the page's users whole), walked or through the
 * engine (which kept all it parsed: a $count=true over a million users left
 * them all parsed, 1.5 GB of RSS become 4.9), and answer word for word as
 * from users parsed whole. Reading one user parses it for that request. In a small
 * tenant a walk keeps what it parsed. */
/* An app's assignments name their principals' displayName, read from a user
 * still waiting as text for that member alone: the user stays text. */
static void test_assignments_leave_waiting_users_unparsed(void **s)
{
	struct test_server_opts opts = {.seed = 5};
	struct srv *shared = srv;
	size_t before;

	(void)s;
	srv = test_srv_new(&opts);
	srv->state.read_keep_below = 0; /* as in a tenant of a million users */
	free(post("/v1.0/servicePrincipals/" APP_SP "/appRoleAssignedTo",
	          "{\"principalId\":\"867c0910-85c6-4427-9a19-b6e7e79332ae\","
	          "\"resourceId\":\"" APP_SP "\","
	          "\"appRoleId\":\"00000000-0000-0000-0000-000000000000\"}"));
	/* the user's name changes behind the assignment's back */
	patch("867c0910-85c6-4427-9a19-b6e7e79332ae", "{\"displayName\":\"Adele V.\"}");
	before = test_waiting_users(srv);
	assert_int_equal(before, 2); /* both of the default fixture's users */
	for (int engine = 0; engine < 2; engine++) {
		unsigned long thaws = state_frozen_whole_thaws();

		listing_walks = !engine;
		free(answers("/v1.0/servicePrincipals/" APP_SP "/appRoleAssignedTo",
		             false, "\"principalDisplayName\":\"Adele V.\""));
		listing_walks = true;
		assert_int_equal(test_waiting_users(srv), before);
		assert_int_equal(state_frozen_whole_thaws(),
		                 thaws); /* none parsed whole */
	}
	test_srv_free(srv);
	srv = shared;
}

static void test_lists_leave_waiting_users_unparsed(void **s)
{
	static const struct {
		const char *path;
		bool advanced;
		const char *want;
	} lists[] = {
	    {"/v1.0/users", false, "MOD Administrator"},
	    {"/v1.0/users?$top=1", false, "MOD Administrator"},
	    {"/v1.0/users?$orderby=displayName", false, "MOD Administrator"},
	    {"/v1.0/users?$filter=userType%20eq%20'Member'", false, "MOD Administrator"},
	    {"/v1.0/users?$count=true", true, "\"@odata.count\":2,"},
	    {"/v1.0/users?$count=true&$filter=startswith(displayName,'adele')", true,
	     "\"@odata.count\":1,"},
	    {"/v1.0/users?$search=%22displayName:vance%22", true, "Adele Vance"},
	    {"/v1.0/users/$count", true, "2"},
	    {"/v1.0/users/$count?$filter=userType%20eq%20'Member'", true, "2"},
	    /* a page's users with their groups: Adele is in the Developer group
	     * (a waiting user's expansion was empty before) */
	    {"/v1.0/users?$select=displayName&$expand=memberOf($select=displayName)",
	     false,
	     "\"Adele Vance\",\"memberOf\":[{\"@odata.type\":\"#microsoft.graph."
	     "group\",\"displayName\":\"Developer group\"}]"},
	    {"/v1.0/groups?$select=id&$expand=members($select=displayName)", false,
	     "Adele Vance"},
	    {"/v1.0/groups/1892265b-9c32-4dcf-b9ab-51bf32136e62/members/$count", true,
	     "1"},
	    {"/v1.0/groups/1892265b-9c32-4dcf-b9ab-51bf32136e62/members?$count=true",
	     true, "Adele Vance"},
	    /* the general engine, sorting on what it parsed of each */
	    {"/v1.0/users?$orderby=userPrincipalName&$top=1", false,
	     "\"displayName\":\"Adele Vance\""},
	    {"/v1.0/users?$orderby=userPrincipalName&$count=true&$filter=userType%20eq%20"
	     "'Member'",
	     true, "\"@odata.count\":2,"},
	    {"/v1.0/groups/1892265b-9c32-4dcf-b9ab-51bf32136e62/transitiveMembers", false,
	     "Adele Vance"},
	    {"/v1.0/groups/1892265b-9c32-4dcf-b9ab-51bf32136e62/transitiveMembers/"
	     "microsoft.graph.user?$count=true&$filter=accountEnabled%20eq%20true",
	     true, "\"@odata.count\":1,"},
	    {"/v1.0/groups/1892265b-9c32-4dcf-b9ab-51bf32136e62/members/"
	     "microsoft.graph.user/$count?$filter=startswith(displayName,'x')",
	     true, "0"},
	};
	char *big[2][sizeof(lists) / sizeof(lists[0])];
	struct test_server_opts opts = {.seed = 5};
	struct srv *shared = srv;
	struct test_reply *r;
	size_t before;

	(void)s;
	srv = test_srv_new(&opts);
	srv->state.read_keep_below = 0; /* as in a tenant of a million users */
	before = test_waiting_users(srv);
	assert_int_equal(before, 2); /* the default fixture's two users */
	for (int engine = 0; engine < 2; engine++) {
		listing_walks = !engine;
		for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
			big[engine][i] =
			    answers(lists[i].path, lists[i].advanced, lists[i].want);
			if (test_waiting_users(srv) != before)
				fail_msg("%s (%s) left a user parsed", lists[i].path,
				         engine ? "engine" : "walked");
		}
	}
	/* a small tenant's answers, from whole users: word for word the same */
	srv->state.read_keep_below = STATE_READ_KEEP_BELOW;
	for (int engine = 0; engine < 2; engine++) {
		listing_walks = !engine;
		for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
			char *small =
			    answers(lists[i].path, lists[i].advanced, lists[i].want);

			if (strcmp(small, big[engine][i]))
				fail_msg("%s: %s\nparsed in part: %s", lists[i].path,
				         small, big[engine][i]);
			free(small);
			free(big[engine][i]);
		}
	}
	listing_walks = true;
	test_srv_free(srv);
	srv = test_srv_new(&opts);
	srv->state.read_keep_below = 0;
	/* one user read, twice: parsed for each answer, kept as text after it
	 * (reading 50,000 users of a million one by one grew RSS by 171 MB) */
	for (int i = 0; i < 2; i++) {
		r = get("/v1.0/users/867c0910-85c6-4427-9a19-b6e7e79332ae", false);
		assert_int_equal(r->status, 200);
		assert_non_null(strstr(r->body, "Adele Vance"));
		test_reply_free(r);
		assert_int_equal(test_waiting_users(srv), before);
	}
	srv->state.read_keep_below = STATE_READ_KEEP_BELOW;
	r = get(lists[0].path, false);
	assert_int_equal(r->status, 200);
	test_reply_free(r);
	assert_int_equal(test_waiting_users(srv), 0);
	test_srv_free(srv);
	srv = shared;
}

/* @odata.count of @path's first page (advanced). */
static long long page_count(const char *path)
{
	struct test_reply *r = get(path, true);
	long long n;

	assert_int_equal(r->status, 200);
	n = json_integer_value(json_object_get(r->json, "@odata.count"));
	test_reply_free(r);
	return n;
}

/* Every way of counting users: /$count and a page's @odata.count, in each
 * order the walks take; all the same, and returned. */
static long long users_counted(void)
{
	long long n = same_count("/v1.0/users/$count");

	assert_int_equal(page_count("/v1.0/users?$top=1&$count=true"), n);
	assert_int_equal(
	    page_count("/v1.0/users?$top=1&$count=true&$orderby=displayName"), n);
	assert_int_equal(
	    page_count("/v1.0/users?$top=1&$count=true&$orderby=displayName desc"), n);
	assert_int_equal(
	    page_count("/v1.0/users?$top=1&$count=true&$orderby=userPrincipalName"), n);
	return n;
}

/* POST /_mock/clock with @body (204). */
static void set_clock(const char *body)
{
	struct test_reply *r =
	    test_local_call(srv, "POST", "/_mock/clock", body, "application/json", NULL);

	if (r->status != 200 && r->status != 204)
		fail_msg("POST /_mock/clock %s: %ld %s", body, r->status, r->body);
	test_reply_free(r);
}

/* Users made under replication lag are counted once they show, not before
 * (a count is the size of an index only while no object can lag). The
 * mock clock stands still meanwhile, so the lag runs out only when the test
 * moves it, however slow the machine. */
static void test_counts_skip_lagging_users(void **s)
{
	long long before = users_counted();
	char name[32], nick[16], path[96], *ids[3];

	(void)s;
	set_clock("{\"freeze\":true,\"at\":\"2030-01-02T03:04:05Z\"}");
	atomic_store(&srv->state.lag_ms[DOBJ_USER], 3000);
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "Lagging %d", i);
		snprintf(nick, sizeof(nick), "lag%d", i);
		ids[i] = post_user(name, nick, nick);
	}
	atomic_store(&srv->state.lag_ms[DOBJ_USER], 0);
	assert_int_equal(users_counted(), before); /* none shows yet */
	set_clock("{\"shiftMs\":2999}");
	assert_int_equal(users_counted(), before);
	set_clock("{\"shiftMs\":1}"); /* the lag has run out */
	assert_int_equal(users_counted(), before + 3);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/v1.0/users/%s", ids[i]);
		del(path);
		free(ids[i]);
	}
	assert_int_equal(users_counted(), before);
	set_clock("{\"reset\":true}"); /* (they were to show in 2030) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_users_and_groups),
	    cmocka_unit_test(test_members),
	    cmocka_unit_test(test_pages_while_objects_change),
	    cmocka_unit_test(test_created_order_walked),
	    cmocka_unit_test(test_created_order_rewound),
	    cmocka_unit_test(test_upn_order_kept_in_step),
	    cmocka_unit_test(test_in_lists_from_the_indexes),
	    cmocka_unit_test(test_guests_walked),
	    cmocka_unit_test(test_delta_first_sync_pages),
	    cmocka_unit_test(test_app_role_assigned_to_walked),
	    cmocka_unit_test(test_lists_leave_waiting_users_unparsed),
	    cmocka_unit_test(test_assignments_leave_waiting_users_unparsed),
	    cmocka_unit_test(test_counts_skip_lagging_users),
	    cmocka_unit_test(test_delta_members_paged),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
