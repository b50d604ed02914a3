/*
 * state/state.h - every tenant and every stored object, with the one lock
 * that guards them. Knows nothing of HTTP.
 *
 * LOCKING MODEL (STYLE §7)
 *   Two levels, always taken in this order, never two tenant locks at once:
 *   - st->registry, a rwlock over the tenant table and what every tenant
 *     shares (the fixture, the gallery as loaded). Requests hold it shared;
 *     whatever replaces tenants (reset, PUT state, tenant create/delete)
 *     holds it exclusive, so no request runs meanwhile. It is writer-
 *     preferring: a waiting reset is not starved by a stream of requests.
 *   - t->lock, one mutex per tenant, over that tenant's contents. The
 *     pipeline takes it (under the shared registry lock) around a handler and
 *     the rendering of its response, so requests to different tenants run in
 *     parallel and only rendered bytes leave the lock: stored json_t values
 *     are never touched by two threads at once (jansson refcounts are not
 *     safe to touch concurrently).
 *   The clock, the replication-lag settings and the sequence counter are
 *   atomics; the id generator has its own small mutex (st->id_lock).
 *   Every pointer returned by a state_*() lookup is BORROWED and valid only
 *   while the locks that guard it are held. state/ never keeps a reference
 *   into request JSON: functions that "steal" a json_t take ownership of the
 *   caller's reference, so callers json_deep_copy() request data first.
 *
 * OBJECTS
 *   Users, groups, service principals and applications share one id space
 *   (directoryObjects) per tenant: tenant->objects finds any of them by id,
 *   tenant->by_kind[k] lists one kind in insertion order (a plain list: it
 *   is never searched, so it costs no hash handle). Each object's json_t holds its stored
 * properties; missing properties render as null through the route's OData schema.
 *
 * CHANGE OVER TIME
 *   Every write is also logged in the tenant's change log (state/changelog.h:
 *   delta queries and change notifications read it); deleting moves objects
 *   out of the tables into deleted items (state/deleted.h); subscriptions
 *   live beside them (state/subscription.h). All three follow the mock clock.
 */
#ifndef GRAPHMOCK_STATE_STATE_H
#define GRAPHMOCK_STATE_STATE_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/clock.h"
#include "util/guid.h"
#include "util/hash.h"
#include "util/oset.h"

#ifndef JANSSON_THREAD_SAFE_REFCOUNT
#error "graphmock needs jansson >= 2.11 built with thread-safe reference counts"
#endif

enum dobj_kind {
	DOBJ_USER,
	DOBJ_GROUP,
	DOBJ_SERVICE_PRINCIPAL,
	DOBJ_APPLICATION,
	DOBJ_KIND_COUNT,
};

/* Secondary indexes: lower-cased keys to objects, so lookups never scan. */
enum dobj_index {
	IDX_UPN,   /* users: userPrincipalName */
	IDX_MAIL,  /* users: mail and every otherMails entry; groups: mail */
	IDX_APPID, /* service principals and applications: appId */
	IDX_COUNT,
};

/* Replication-lag targets: the four kinds plus app role assignments. */
#define LAG_ASSIGNMENT DOBJ_KIND_COUNT
#define LAG_TARGETS    (DOBJ_KIND_COUNT + 1)

struct dobj;

/* One direct membership edge, kept on both ends (group->members, member->member_of). */
struct dobj_link {
	char id[GUID_STR_LEN + 1];
	struct dobj *obj;
	UT_hash_handle hh;
};

struct dobj_key {
	enum dobj_index idx;
	bool owned; /* @key is a copy to free; else the index entry's own text */
	char *key;
};

struct dobj {
	char id[GUID_STR_LEN + 1]; /* lower case */
	bool in_guests;            /* users: in t->guests (userType Guest) */
	bool rewind_noted;         /* in the tenant's rewind record (state/rewind.h) */
	bool snap_due; /* a writing request found it: snapshot @props before their
	                  first use (state_txn_snapshot_due, state/changelog.h) */
	enum dobj_kind kind;
	uint64_t seq;                /* insertion order, for paging */
	json_t *props;               /* owned: the stored properties, always with "id";
	                                read through state_dobj_json() only */
	json_t *frozen;              /* owned: the properties as loaded, as text
	                                (state/frozen.h), parsed into @props on first
	                                use; kept as long as @d (see state_dobj_json) */
	int64_t visible_at_ms;       /* replication lag: invisible before this time */
	int invisible_reads;         /* replication lag: reads still answered 404 */
	struct dobj_link *members;   /* groups: direct members */
	struct dobj_link *member_of; /* groups listing this object directly */
	struct dobj_key *keys;       /* index entries currently registered */
	size_t nkeys;
	struct tenant *tenant; /* the tenant holding it (set by state_dobj_add) */
	/* App role assignments naming this object, oldest first (utlist DL). */
	struct assignment *as_principal, *as_resource;
	char *name_key;            /* displayName lower-cased: its t->by_name entry */
	struct oset *member_order; /* groups: direct members by their seq */
	UT_hash_handle hh;         /* tenant->objects */
	struct dobj *kind_prev, *kind_next; /* tenant->by_kind[kind] (utlist DL) */
};

struct index_entry {
	struct dobj **objs; /* &@one until a second object shares the key */
	uint32_t n, cap;
	struct dobj *one;
	UT_hash_handle hh; /* keyed by @text */
	char text[];       /* the key: one allocation holds both */
};

/* An app role assignment (graph-spec §6.3); id is the 43-char base64url form. */
struct assignment {
	char id[64];
	char principal_id[GUID_STR_LEN + 1];
	char resource_id[GUID_STR_LEN + 1];
	char app_role_id[GUID_STR_LEN + 1];
	uint64_t seq;
	json_t *obj; /* owned: the full appRoleAssignment */
	int64_t visible_at_ms;
	int invisible_reads;
	/* The two objects it names, and its place in their lists. */
	struct dobj *principal, *resource;
	struct assignment *p_prev, *p_next, *r_prev, *r_next;
	UT_hash_handle hh;
};

struct invitation;      /* state/invitation.h */
struct invitation_user; /* state/invitation.h */
struct mail_message;    /* state/mailbox.h */
struct grant;           /* state/grant.h */
struct usage_client;    /* state/usage.h */
struct changelog;       /* state/changelog.h */
struct deleted_item;    /* state/deleted.h */
struct subscription;    /* state/subscription.h */

struct tenant {
	/* Set when the tenant is built and never changed: readable under the
	 * shared registry lock alone. */
	char id[GUID_STR_LEN + 1];
	char *display_name;
	char *domain; /* initial domain, e.g. contoso.onmicrosoft.com */
	/* "" for a tenant of its own; for a copy made by POST /_mock/tenants
	 * without a domain, the tenant it copies, whose domain it shares. */
	char copy_of[GUID_STR_LEN + 1];

	/* The registry's reference, plus one per holder that keeps the tenant
	 * past the registry lock (an export streaming it, a reset building its
	 * new contents): freed by the last state_tenant_put() (load/tenants.h). */
	_Atomic unsigned refs;
	/* A long admin operation holds, or is about to hold, the lock for long
	 * (an export renders the whole tenant under it): requests that can wait
	 * on the admin thread instead of a worker do (server/exchange.c). */
	_Atomic int busy;

	pthread_mutex_t lock; /* guards everything below; state_tenant_reset()
	                         swaps it all wholesale (load/tenants.c
	                         swap_contents: list a new field there) */
	bool loading;         /* being built from a fixture: no replication lag */
	bool names_later;     /* loading: the by_name orders are filled in one go
	                         at the end (state_dobj_names_build) */
	bool lag_applied;     /* an object was made with replication lag since
	                         the tenant was built or rewound: some may be
	                         invisible, so counts look at each object */
	/* What a reader made of the objects (a rendered answer) still holds
	 * while this is unchanged (state_tenant_gen). Drawn from a counter the
	 * whole process shares, so no two tenants, states or epochs ever hold
	 * the same value; @gen_dirty: objects may be changing right now (a
	 * writer holds the lock, or an object changed since it was taken). */
	uint64_t gen;
	bool gen_dirty;
	struct { /* loading: how many objects of each kind come, so */
		size_t of_kind[DOBJ_KIND_COUNT]; /* the id table and indexes */
	} expect;                                /* are sized once (state/dobj.c) */
	/* authorizationPolicy: who may invite guests ("everyone",
	 * "adminsGuestInvitersAndAllMembers", "adminsAndGuestInviters", "none")
	 * and what guests may read (a role template id). */
	char allow_invites_from[40];
	char guest_role_id[GUID_STR_LEN + 1];
	json_t *templates; /* this tenant's copy of the gallery (owned) */
	struct dobj *objects;
	struct dobj *by_kind[DOBJ_KIND_COUNT]; /* each kind in insertion order */
	size_t kind_count[DOBJ_KIND_COUNT];
	struct index_entry *idx[IDX_COUNT];
	/* Paging orders (state/util/oset.h): each kind by seq, and by
	 * lower-cased displayName then seq; values are struct dobj *. */
	struct oset by_seq[DOBJ_KIND_COUNT];
	struct oset by_name[DOBJ_KIND_COUNT];
	/* Users by lower-cased userPrincipalName (keys: the UPN index entries'
	 * text), made by the first `$orderby=userPrincipalName` and kept in step
	 * from then on (state_dobj_upn_order): ~48 bytes a user nobody pays
	 * for until asked. */
	struct oset by_upn;
	bool upn_ordered;
	/* Each kind by createdDateTime (keys of their own: state/created_order.c),
	 * made by the first `$orderby=createdDateTime` that walks them and kept
	 * in step, or dropped when it cannot be (made again when next asked). */
	struct {
		struct oset of_kind[DOBJ_KIND_COUNT];
		bool made[DOBJ_KIND_COUNT];
	} by_created;
	/* Users whose userType is Guest, by seq: `$filter=userType eq 'Guest'`,
	 * what guest onboarding lists, walks them rather than every user. */
	struct oset guests;
	struct assignment *assignments;
	struct invitation *invitations;              /* by id, oldest first */
	struct invitation_user *invitations_by_user; /* by user id */
	struct mail_message *mailbox;
	uint64_t mail_seq;
	struct state *st;                   /* the state holding it */
	struct changelog *changes;          /* made on first use (state/changelog.h) */
	struct deleted_item *deleted;       /* soft-deleted objects (state/deleted.h) */
	int64_t deleted_next_purge_ms;      /* earliest purge due; 0 = none */
	struct subscription *subscriptions; /* state/subscription.h */
	struct rewind *rewind; /* what changed since the build (state/rewind.h);
	                          NULL: not tracked, a reset rebuilds */
	/* Users parsed from their text in a big tenant (see read_keep_below)
	 * since the last request ended, by id: kept as text again when the
	 * current one ends (state_txn_end), so reading a million users one by
	 * one leaves them as compact as before. */
	char (*parsed)[GUID_STR_LEN + 1];
	size_t nparsed, cap_parsed;
	UT_hash_handle hh;
};

/*
 * state_mail_rules_fn - the server's say on an invitation email (its fault
 * rules): overwrite @v when a rule fires. Handed to state_init()'s caller
 * through state_set_mail_rules(), so state/ never calls up into the server.
 */
struct mail_verdict;
struct change;
typedef void state_mail_rules_fn(void *ctx, const char *tenant_id, const char *recipient,
                                 struct mail_verdict *v);

struct state {
	pthread_rwlock_t registry; /* see LOCKING MODEL */
	struct tenant *tenants;    /* by id, insertion order */
	json_t *templates; /* applicationTemplates as loaded (array), for export */
	json_t *fixture;   /* the fixture document: reset and new tenants */

	pthread_mutex_t id_lock; /* guards rng */
	struct rng rng;          /* object ids; reproducible with --seed */
	uint64_t seed;
	_Atomic uint64_t next_seq;
	struct mock_clock clock;
	_Atomic int64_t lag_ms[LAG_TARGETS]; /* replication lag per kind, set by faults */
	_Atomic int lag_reads[LAG_TARGETS];
	int64_t started_us; /* monotonic time of state_init(), for uptime */

	state_mail_rules_fn *mail_rules; /* NULL: every email is delivered */
	void *mail_ctx;

	/*
	 * Sign-ins in progress (authorization and device codes) and the
	 * permission report: server-wide, each under its own leaf mutex,
	 * which may be taken with or without a tenant lock held but never
	 * holds another lock itself.
	 */
	pthread_mutex_t grant_lock;
	struct grant *grants;
	size_t ngrants;
	pthread_mutex_t usage_lock;
	struct usage_client *usage;
	/* Told of committed changes (state/changelog.h); NULL: nobody. */
	void (*change_hook)(void *ctx, struct state *st, struct tenant *t,
	                    const struct change *v, size_t n);
	void *change_ctx;
	_Atomic uint64_t log_epochs; /* change logs made so far */
	/* Completes an object parsed from frozen text as the loader completes
	 * one from a tree (set by the loader, state/load/fixture.c, at the first
	 * load, before any other thread runs). NULL: taken as parsed. */
	int (*thaw)(struct state *st, struct tenant *t, enum dobj_kind kind, json_t *obj);
	/* state_dobj_json_read() keeps what it parses in tenants with fewer
	 * objects of the kind than this: small tenants are read over and over,
	 * and their trees cost little (STATE_READ_KEEP_BELOW; tests lower it). */
	size_t read_keep_below;
	/* Resets (state/load/tenants.c): the id stream as the fixture's load
	 * left it, which a whole reset that rewinds every tenant goes back to
	 * (a rebuild draws the same ids again from the seed); how many tenant
	 * resets were rewinds rather than rebuilds (tests, the bench); and the
	 * check mode (GRAPHMOCK_REWIND_CHECK=1): every rewind is compared with
	 * the export taken at the build, and a difference aborts. */
	struct rng rng_built;
	_Atomic uint64_t rewinds;
	bool rewind_check;
};

#define STATE_READ_KEEP_BELOW 4096

/*
 * state_tenant_is_big() - does @t hold so many objects of @kind that what a
 * request parses of them is not kept parsed (see read_keep_below)?
 * Locking: @t's lock.
 */
static inline bool state_tenant_is_big(const struct tenant *t, enum dobj_kind kind)
{
	return t->kind_count[kind] >= t->st->read_keep_below;
}

/*
 * state_init() - empty state; object ids follow @seed. Filled by state_load()
 * and released by state_release() (state/load/tenants.h).
 */
int state_init(struct state *st, uint64_t seed);

/* state_now_ms() - the mock clock. No lock needed. */
int64_t state_now_ms(const struct state *st);

/* state_new_id() - a fresh object id from the seeded generator. Thread-safe. */
void state_new_id(struct state *st, char out[GUID_STR_LEN + 1]);

/* state_random_u64() - the next 64 bits of the seeded generator. Thread-safe. */
uint64_t state_random_u64(struct state *st);

/* state_next_seq() - the next insertion sequence number (paging order). Thread-safe. */
uint64_t state_next_seq(struct state *st);

/*
 * state_lag_set() - new objects of @target (DOBJ_* or LAG_ASSIGNMENT) stay
 * invisible for @ms and for their first @reads reads; 0, 0 turns it off.
 * Thread-safe; applies to objects created afterwards.
 */
void state_lag_set(struct state *st, int target, int64_t ms, int reads);

/* state_set_mail_rules() - who decides invitation-email fates (see above). */
void state_set_mail_rules(struct state *st, state_mail_rules_fn *fn, void *ctx);

/* ---- locks (see LOCKING MODEL) ---- */

/* state_registry_read() / _write() / _unlock() - the registry rwlock. */
void state_registry_read(struct state *st);
void state_registry_write(struct state *st);
void state_registry_unlock(struct state *st);

/*
 * state_tenant_lock() / _unlock() - @t's mutex; caller holds the registry lock.
 * The holder may change anything in @t: state_tenant_gen() is 0 until the
 * unlock, which moves it on.
 */
void state_tenant_lock(struct tenant *t);
void state_tenant_unlock(struct tenant *t);

/*
 * state_tenant_lock_reader() - the same mutex for a holder that changes no
 * object except through the store's own mutators (state_dobj_touch() first,
 * state_dobj_set_json(), or anything the change log records), which mark
 * the tenant changed: a GET or HEAD request. state_tenant_gen() stays as it
 * was, so what readers keep of the objects stays good. Unlock as usual.
 */
void state_tenant_lock_reader(struct tenant *t);

/*
 * state_tenant_gen() - a nonzero value that changes whenever any object of
 * @t may have: what was made of @t's objects (a rendered answer) while it
 * had this same value still holds. 0 while objects may be changing (a
 * writer holds the lock, or one changed since it was taken): keep nothing
 * then. Locking: @t's lock.
 */
uint64_t state_tenant_gen(const struct tenant *t);

/*
 * state_tenant_changed() - an object of @t changes (the store's mutators
 * call this): state_tenant_gen() is 0 until the lock is let go, then new.
 * No-op while @t loads. state_tenant_gen_init() - @t's first value, when
 * it is made.
 */
void state_tenant_changed(struct tenant *t);
void state_tenant_gen_init(struct tenant *t);

/* ---- tenants (the registry lock held; creating, resetting, removing: exclusive) ---- */

/*
 * state_tenant_find() - by id (any case) or initial domain (the tenant that
 * owns it rather than a copy sharing it); NULL if unknown. Borrowed.
 */
struct tenant *state_tenant_find(struct state *st, const char *id_or_domain);

/* state_tenant_default() - the first tenant, or NULL when there are none. Borrowed. */
struct tenant *state_tenant_default(struct state *st);

/* ---- directory objects ---- */

/*
 * state_dobj_json() - @d's stored properties (borrowed; never NULL for a live
 * object). Read and edit them through this, never through the field: a later
 * change keeps some objects' properties unparsed until first used, and this is
 * where they are made. Locking: @d's tenant lock (as for any use of @d).
 */
json_t *state_dobj_json(const struct dobj *d);
/*
 * state_dobj_json_peek() - the same properties to read and never to edit,
 * nor anything inside them: a writing request that found @d takes no
 * snapshot of them for it (state_txn_snapshot_due), so checking one member
 * of an object a write links copies none of it. Locking: as above.
 */
const json_t *state_dobj_json_peek(const struct dobj *d);
/*
 * state_dobj_freeze() - for the loader: @d, just added from its frozen @text
 * (state/frozen.h; a reference is taken), keeps that text instead of its
 * properties until state_dobj_json() needs them.
 */
void state_dobj_freeze(struct dobj *d, json_t *text);

/*
 * state_dobj_refreeze() - keep user @d's properties as their text again
 * (state/frozen.h), to be parsed when next read: a user a request made in
 * a big tenant (see read_keep_below) holds ~0.6 KB so instead of a ~3 KB
 * tree. Returns 0, or -1 out of memory (@d is left as it was). Locking:
 * @d's tenant lock, and nothing may hold its properties past it.
 */
int state_dobj_refreeze(struct dobj *d);

/*
 * state_dobj_json_read() - @d's properties to read and let go within the
 * call: the stored ones, or for an object still frozen in a big tenant (see
 * read_keep_below) a parse of it that is not kept (*@hold gets that
 * reference, to json_decref() when done; NULL otherwise). For walks over
 * many objects, which would otherwise leave each one parsed. NULL on OOM.
 * Locking: @d's tenant lock.
 */
json_t *state_dobj_json_read(const struct dobj *d, json_t **hold);

/*
 * state_dobj_json_some() - state_dobj_json_read() for a reader of only the
 * top-level members @only names (NULL-terminated, with "id"): an object still
 * frozen in a big tenant is parsed for those alone (and completed: see
 * state_frozen_thaw_members()). Filtering, counting and sorting a million
 * users reads a member or two of each. NULL on OOM.
 */
json_t *state_dobj_json_some(const struct dobj *d, const char *const *only,
                             json_t **hold);

/*
 * state_dobj_member() - top-level property @name of @d as stored (new
 * reference; NULL when absent or on OOM), read without parsing the rest of
 * an object still frozen, and without keeping it parsed: an app role
 * assignment names its principal's displayName, and the loader assigns
 * 100,000 users at a million-user scale. Only for what completing a frozen
 * object never changes (its given members, not defaults it gains).
 * Locking: @d's tenant lock.
 */
json_t *state_dobj_member(const struct dobj *d, const char *name);

/*
 * state_dobj_json_copy() - a private deep copy of @d's properties (new
 * reference, NULL on OOM) for exports: an object still frozen is parsed
 * for the copy but stays frozen. Locking: @d's tenant lock.
 */
json_t *state_dobj_json_copy(const struct dobj *d);

/*
 * state_dobj_set_json() - replace @d's properties with @obj (takes the
 * reference; the old ones are released).
 */
void state_dobj_set_json(struct dobj *d, json_t *obj);

/*
 * state_dobj_add() - store @obj (steals; must hold a string "id") as a new
 * object of @kind, index it and start its replication-lag window.
 * Returns: borrowed new object, or NULL when the id exists or on OOM
 * (obj is released either way).
 */
struct dobj *state_dobj_add(struct state *st, struct tenant *t, enum dobj_kind kind,
                            json_t *obj);

/*
 * state_dobj_find() - object by id (any case), honouring replication lag:
 * an object still inside its lag window is not found (and a read-counted
 * lag is consumed). @kind < 0 means any kind. Borrowed or NULL.
 */
struct dobj *state_dobj_find(struct state *st, struct tenant *t, int kind,
                             const char *id);

/* state_dobj_visible() - is @d past its lag window (time-based only, no read consumed)?
 */
bool state_dobj_visible(struct state *st, const struct dobj *d);

/*
 * state_dobj_lookup() - objects whose @idx key equals @key (case-insensitive).
 * Returns a borrowed array of *n pointers (NULL when none); lag not applied.
 */
struct dobj *const *state_dobj_lookup(struct tenant *t, enum dobj_index idx,
                                      const char *key, size_t *n);

/*
 * state_dobj_reindex() - refresh @d's index entries after its properties
 * changed. Call it after any change to userPrincipalName, mail, otherMails,
 * appId, displayName (t->by_name) or userType (t->guests). All or nothing: 0,
 * or -1 (OOM) with the entries as they were.
 */
int state_dobj_reindex(struct tenant *t, struct dobj *d);

/*
 * state_dobj_names_build() - while @t->names_later, objects get their name
 * keys but no place in the by_name orders: this sorts every object of each
 * kind by (name key, seq) and appends them in that order (O(1) each), the
 * same orders one insert at a time would make, then clears names_later.
 * 0, or -1 on OOM (the orders are then incomplete: @t is to be freed).
 */
int state_dobj_names_build(struct tenant *t);

/*
 * state_dobj_upn_order() - @t's users by (lower-cased userPrincipalName,
 * seq), made now if it was never asked for (a sort of every user, like
 * state_dobj_names_build()), then kept in step by every reindex and
 * unindex. Returns: the order (borrowed), or NULL on OOM. Locking: @t's.
 */
const struct oset *state_dobj_upn_order(struct tenant *t);

/*
 * state_dobj_created_order() - @t's objects of @kind in the order
 * `$orderby=createdDateTime` gives them (server/odata/odata_page.c): no
 * value first, then by the instant named, whatever its zone or fraction, and
 * objects of one instant by seq. Made on first use, then kept in step. NULL
 * when memory ran out (*@oom true) or when some object's value is not a
 * date-time, which only the general engine sorts (*@oom false).
 * Locking: @t's lock.
 */
const struct oset *state_dobj_created_order(struct tenant *t, enum dobj_kind kind,
                                            bool *oom);

/* state_dobj_upn_key() - @d's key in that order (its lower-cased UPN), or NULL. */
const char *state_dobj_upn_key(const struct dobj *d);

/*
 * state_dobj_remove() - delete @d for good and, in the same locked step,
 * every membership edge and app role assignment that names it (as principal
 * or resource). Frees @d. The delete routes soft-delete instead
 * (state_dobj_soft_delete(), state/deleted.h); this is the permanent delete
 * and a handler's undo of its own creation.
 */
void state_dobj_remove(struct tenant *t, struct dobj *d);

/* state_dobj_kind_name() - "user", "group", "servicePrincipal", "application". */
const char *state_dobj_kind_name(enum dobj_kind kind);

/* state_dobj_kind_parse() - the inverse; -1 when @name is none of them. */
int state_dobj_kind_parse(const char *name);

/*
 * For the store's own modules (state/deleted.c moves objects in and out of
 * the directory with these; routes use state_dobj_soft_delete() and friends):
 * state_dobj_unlink() - take @d out of the id and kind tables (not freed);
 * state_dobj_link() - put a detached @d back, with a new insertion sequence,
 *   and index it; 0, or -1 (id taken, OOM) leaving it detached;
 * state_dobj_unindex() - drop @d's index entries;
 * state_dobj_edges_drop() - remove every membership edge of @d, both ways,
 *   logging nothing;
 * state_edge_add() - the edge @group -> @member without logging; 0 or -1;
 * state_dobj_new_detached() - an object in no table (steals @obj; NULL on OOM
 *   or without a GUID "id");
 * state_dobj_free() - free a detached object.
 * And for state/rewind.c, which puts objects back in their old places:
 * state_dobj_link_at() - state_dobj_link() keeping @d's seq, in seq order;
 * state_dobj_move() - give linked @d seq @seq in every order (unindexed
 *   first: the name orders are keyed by seq too); 0 or -1 (OOM).
 */
void state_dobj_unlink(struct tenant *t, struct dobj *d);
int state_dobj_link(struct state *st, struct tenant *t, struct dobj *d);
int state_dobj_link_at(struct tenant *t, struct dobj *d);
int state_dobj_move(struct tenant *t, struct dobj *d, uint64_t seq);
void state_dobj_unindex(struct tenant *t, struct dobj *d);
void state_dobj_edges_drop(struct dobj *d);
int state_edge_add(struct dobj *group, struct dobj *member);
struct dobj *state_dobj_new_detached(struct tenant *t, enum dobj_kind kind, json_t *obj);
void state_dobj_free(struct tenant *t, struct dobj *d);

/*
 * state_dobj_new_id() - a fresh id from the seeded generator that names no
 * object and no invitation of @t: after a restart with the same --seed the
 * generator repeats ids a --state-file already holds, so it draws again.
 */
void state_dobj_new_id(struct state *st, struct tenant *t, char out[GUID_STR_LEN + 1]);

/*
 * state_dobjs_free_all() - free every object, edge, index entry and app role
 * assignment of @t at once, for a tenant nobody can reach any more (no
 * per-object cascade: the tenant goes whole).
 */
void state_dobjs_free_all(struct tenant *t);

/* state_dobj_count() - number of stored objects of @kind. */
size_t state_dobj_count(const struct tenant *t, enum dobj_kind kind);

/* Iterate one kind in insertion order: for (d = first; d; d = next(d)). */
#define state_dobj_first(t, kind) ((t)->by_kind[(kind)])
#define state_dobj_next(d)        ((d)->kind_next)

/* ---- memberships ---- */

/*
 * state_member_add() - make @member a direct member of @group. Adding an
 * existing member changes nothing and succeeds. *@added (when non-NULL) says
 * whether an edge was added, so a caller undoing a failed batch removes only
 * what it added. Returns 0, or -1 out of memory (nothing changed).
 */
int state_member_add(struct dobj *group, struct dobj *member, bool *added);

/* state_member_remove() - 0 removed, 1 not a member. */
int state_member_remove(struct dobj *group, const char *member_id);

/* state_member_has() - is @member_id a direct member of @group? */
bool state_member_has(const struct dobj *group, const char *member_id);

/* state_member_first() - @group's first direct member by seq (walk with
 * oset_next(); each node's val is the struct dobj *), or NULL. */
struct oset_node *state_member_first(const struct dobj *group);

/* state_member_seek() - the first direct member with seq >= @seq, or NULL. */
struct oset_node *state_member_seek(const struct dobj *group, uint64_t seq);

/* ---- app role assignments ---- */

/*
 * state_assignment_add() - store @obj (steals) under @id with its three keys;
 * the principal and the resource must exist in @t. It joins their lists
 * (dobj->as_principal, ->as_resource), so neither side is ever scanned for;
 * both lists stay in seq order (state_assignment_attach too).
 * Returns borrowed, or NULL when @id exists, an object is missing or on OOM
 * (obj released).
 */
struct assignment *state_assignment_add(struct state *st, struct tenant *t,
                                        const char *id, const char *principal_id,
                                        const char *resource_id, const char *app_role_id,
                                        json_t *obj);

/* state_assignment_find() - by id, honouring replication lag. Borrowed or NULL. */
struct assignment *state_assignment_find(struct state *st, struct tenant *t,
                                         const char *id);

/* state_assignment_remove() - delete and free @a. */
void state_assignment_remove(struct tenant *t, struct assignment *a);

/*
 * state_assignment_detach() - take @a out of the tenant's table and of its
 * principal's and resource's lists, keeping it (a deleted item holds it; its
 * object pointers become NULL). state_assignment_attach() puts a detached
 * one back between the live objects its ids name: 0, or -1 when either is
 * not there or the id is taken (then @a is still the caller's).
 */
void state_assignment_detach(struct tenant *t, struct assignment *a);
int state_assignment_attach(struct tenant *t, struct assignment *a);

/* Iterate the assignments naming @d as principal or resource, oldest first. */
#define state_assignment_first_of_principal(d) ((d)->as_principal)
#define state_assignment_next_of_principal(a)  ((a)->p_next)
#define state_assignment_first_of_resource(d)  ((d)->as_resource)
#define state_assignment_next_of_resource(a)   ((a)->r_next)

/* state_assignment_visible() - is @a past its lag window (time-based)? */
bool state_assignment_visible(struct state *st, const struct assignment *a);

#endif
