/*
 * state/load/tenants.h - filling and emptying the store: loading fixture
 * documents (docs/fixtures.md), replacing, resetting, cloning and removing
 * tenants, and releasing the state. Above the store and the object models:
 * it builds tenants with state/load/fixture.c.
 * Locking: each function says. The long parts (building tenants from a
 * document, freeing them) run with no lock held wherever requests may run
 * meanwhile; only the swap that makes a change visible takes the registry
 * lock (exclusive) or, for one tenant's reset, that tenant's lock.
 */
#ifndef GRAPHMOCK_STATE_LOAD_TENANTS_H
#define GRAPHMOCK_STATE_LOAD_TENANTS_H

#include <jansson.h>
#include <stddef.h>

#include "../state.h"

/* state_release() - free every tenant, the fixture and the lock. */
void state_release(struct state *st);

/*
 * state_tenant_get() / state_tenant_put() - hold @t past the registry lock
 * (get while holding it); the last put frees the tenant, handing memory back
 * to the system after a big one.
 */
void state_tenant_get(struct tenant *t);
void state_tenant_put(struct tenant *t);

/*
 * state_load() - replace all tenants and templates with those of fixture
 * document @doc (validated completely before anything changes, so a bad
 * document leaves the state as it was). On error, @err gets
 * "<json path>: <what is wrong>". Keeps a reference to @doc (which must not
 * change afterwards) for state_reset(). Locking: registry held exclusive,
 * or no other thread runs yet.
 */
int state_load(struct state *st, const json_t *doc, char *err, size_t errlen);

/*
 * state_replace() - state_load(@doc) keeping the fixtures as the baseline a
 * reset returns to (PUT /_mock/state, --state-file). Locking: takes the
 * registry lock itself, exclusive only for the swap: the document is built
 * and the old tenants freed with no lock held. The caller holds no lock.
 */
int state_replace(struct state *st, const json_t *doc, char *err, size_t errlen);

/*
 * state_reset() - rebuild every tenant from the kept fixture (POST
 * /_mock/reset), the id generator reseeded. Same locking as state_replace().
 */
int state_reset(struct state *st);

/*
 * state_tenant_create() - a new tenant seeded with the first tenant of the
 * fixture (its objects, ids and domain), under a fresh tenant id; @display
 * and @domain override when non-NULL. Without @domain it is a copy
 * (t->copy_of) sharing the fixture tenant's domain, which still names the
 * original (state_tenant_find); a @domain another tenant holds is refused.
 * Built with no lock held, added under the registry lock; the caller holds
 * none. Returns: a new reference (state_tenant_put), or NULL on OOM or when
 * @domain is taken.
 */
struct tenant *state_tenant_create(struct state *st, const char *display,
                                   const char *domain);

/*
 * state_tenant_reset() - give @t back the contents it started with: the
 * fixture tenant of the same id, else the first fixture tenant (keeping @t's
 * id, name and domain). Other tenants are untouched and never wait: the new
 * contents are built with no lock held and swapped in under @t's lock
 * alone; the old ones are freed after. The caller holds a reference to @t
 * (or runs alone) and no lock. 0, or -1 (OOM; @t kept).
 */
int state_tenant_reset(struct state *st, struct tenant *t);

/* state_tenant_reset_id() - the same by id or domain: 0, 1 unknown, -1. No lock held. */
int state_tenant_reset_id(struct state *st, const char *id_or_domain);

/* state_tenant_remove() - delete a tenant and everything in it. Registry held exclusive.
 */
void state_tenant_remove(struct state *st, struct tenant *t);

/*
 * state_tenant_remove_id() - the same by id or domain, the caller holding
 * no lock: unlinked under the registry lock, freed after. 0, or 1 unknown.
 */
int state_tenant_remove_id(struct state *st, const char *id_or_domain);

#endif
