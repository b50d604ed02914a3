/*
 * state/load/tenants.h - filling and emptying the store: loading fixture
 * documents (docs/fixtures.md), replacing, resetting, cloning and removing
 * tenants, and releasing the state. Above the store and the object models:
 * it builds tenants with state/load/fixture.c.
 * Locking: every function here needs the registry lock held exclusive (or no
 * other thread running yet), since each replaces tenants.
 */
#ifndef GRAPHMOCK_STATE_LOAD_TENANTS_H
#define GRAPHMOCK_STATE_LOAD_TENANTS_H

#include <jansson.h>
#include <stddef.h>

#include "../state.h"

/* state_release() - free every tenant, the fixture and the lock. */
void state_release(struct state *st);

/*
 * state_load() - replace all tenants and templates with those of fixture
 * document @doc (borrowed; validated completely before anything changes, so a
 * bad document leaves the state as it was). On error, @err gets
 * "<json path>: <what is wrong>". Keeps a copy of @doc for state_reset().
 * Locking: registry held exclusive, or no other thread runs yet.
 */
int state_load(struct state *st, const json_t *doc, char *err, size_t errlen);

/*
 * state_replace() - state_load(@doc) keeping the fixtures as the baseline a
 * reset returns to (PUT /_mock/state, --state-file). Same locking.
 */
int state_replace(struct state *st, const json_t *doc, char *err, size_t errlen);

/* state_reset() - reload the kept fixture (POST /_mock/reset). Registry held exclusive.
 */
int state_reset(struct state *st);

/*
 * state_tenant_create() - a new tenant seeded with the first tenant of the
 * fixture (its objects, ids and domain), under a fresh tenant id; @display
 * and @domain override when non-NULL. Without @domain it is a copy
 * (t->copy_of) sharing the fixture tenant's domain, which still names the
 * original (state_tenant_find); a @domain another tenant holds is refused.
 * Returns: borrowed, or NULL on OOM or when @domain is taken.
 */
struct tenant *state_tenant_create(struct state *st, const char *display,
                                   const char *domain);

/*
 * state_tenant_reset() - give @t back the contents it started with: the
 * fixture tenant of the same id, else the first fixture tenant (keeping @t's
 * id, name and domain). Other tenants are untouched. 0, or -1 (OOM; @t kept).
 */
int state_tenant_reset(struct state *st, struct tenant *t);

/* state_tenant_remove() - delete a tenant and everything in it. */
void state_tenant_remove(struct state *st, struct tenant *t);

#endif
