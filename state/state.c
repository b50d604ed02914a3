/*
 * state/state.c - the state root: its locks, the id generator, the sequence,
 * the replication-lag settings, and finding tenants. Filling and emptying it
 * is state/load/tenants.c. See state.h for the locking model.
 */
#include "state.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int state_init(struct state *st, uint64_t seed)
{
	pthread_rwlockattr_t attr;
	int rc;

	memset(st, 0, sizeof(*st));
	st->read_keep_below = STATE_READ_KEEP_BELOW;
	if (pthread_rwlockattr_init(&attr))
		return -1;
	/* A reset waiting for the write lock must not starve behind requests. */
	pthread_rwlockattr_setkind_np(&attr,
	                              PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	rc = pthread_rwlock_init(&st->registry, &attr);
	pthread_rwlockattr_destroy(&attr);
	if (rc)
		return -1;
	if (pthread_mutex_init(&st->id_lock, NULL)) {
		pthread_rwlock_destroy(&st->registry);
		return -1;
	}
	if (pthread_mutex_init(&st->grant_lock, NULL)) {
		pthread_mutex_destroy(&st->id_lock);
		pthread_rwlock_destroy(&st->registry);
		return -1;
	}
	if (pthread_mutex_init(&st->usage_lock, NULL)) {
		pthread_mutex_destroy(&st->grant_lock);
		pthread_mutex_destroy(&st->id_lock);
		pthread_rwlock_destroy(&st->registry);
		return -1;
	}
	st->seed = seed;
	rng_seed(&st->rng, seed);
	mock_clock_init(&st->clock);
	st->started_us = monotonic_us();
	return 0;
}

void state_registry_read(struct state *st)
{
	pthread_rwlock_rdlock(&st->registry);
}

void state_registry_write(struct state *st)
{
	pthread_rwlock_wrlock(&st->registry);
}

void state_registry_unlock(struct state *st)
{
	pthread_rwlock_unlock(&st->registry);
}

/*
 * Tenant generations come from one counter for the whole process, not per
 * state: a reader's cache outlives any one tenant (and, in tests, any one
 * state), and two of them must never show it the same value.
 */
static _Atomic uint64_t gens;

static uint64_t gen_next(void)
{
	return atomic_fetch_add_explicit(&gens, 1, memory_order_relaxed) + 1;
}

void state_tenant_gen_init(struct tenant *t)
{
	t->gen = gen_next();
	t->gen_dirty = false;
}

/* The new value comes at the unlock: until then state_tenant_gen() is 0.
 * A tenant being built is seen by no reader yet (a rewind holds the lock). */
void state_tenant_changed(struct tenant *t)
{
	if (!t->loading)
		t->gen_dirty = true;
}

uint64_t state_tenant_gen(const struct tenant *t)
{
	return t->gen_dirty ? 0 : t->gen;
}

void state_tenant_lock_reader(struct tenant *t)
{
	pthread_mutex_lock(&t->lock);
}

void state_tenant_lock(struct tenant *t)
{
	pthread_mutex_lock(&t->lock);
	t->gen_dirty = true; /* a new value at the unlock, whatever it changes */
}

/* A new value after any change: what a reader keeps from now on is of the
 * objects as this holder left them. */
void state_tenant_unlock(struct tenant *t)
{
	if (t->gen_dirty) {
		t->gen = gen_next();
		t->gen_dirty = false;
	}
	pthread_mutex_unlock(&t->lock);
}

int64_t state_now_ms(const struct state *st)
{
	return mock_clock_now_ms(&st->clock);
}

void state_new_id(struct state *st, char out[GUID_STR_LEN + 1])
{
	pthread_mutex_lock(&st->id_lock);
	guid_from_rng(&st->rng, out);
	pthread_mutex_unlock(&st->id_lock);
}

uint64_t state_random_u64(struct state *st)
{
	uint64_t r;

	pthread_mutex_lock(&st->id_lock);
	r = rng_next(&st->rng);
	pthread_mutex_unlock(&st->id_lock);
	return r;
}

uint64_t state_next_seq(struct state *st)
{
	return atomic_fetch_add(&st->next_seq, 1) + 1;
}

void state_lag_set(struct state *st, int target, int64_t ms, int reads)
{
	if (target < 0 || target >= LAG_TARGETS)
		return;
	atomic_store(&st->lag_ms[target], ms);
	atomic_store(&st->lag_reads[target], reads);
}

void state_set_mail_rules(struct state *st, state_mail_rules_fn *fn, void *ctx)
{
	st->mail_rules = fn;
	st->mail_ctx = ctx;
}

struct tenant *state_tenant_find(struct state *st, const char *id_or_domain)
{
	char key[GUID_STR_LEN + 1];
	struct tenant *t;

	if (!id_or_domain)
		return NULL;
	if (guid_valid(id_or_domain)) {
		guid_lower(id_or_domain, key);
		HASH_FIND_STR(st->tenants, key, t);
		return t;
	}
	struct tenant *copy = NULL;

	for (t = st->tenants; t; t = t->hh.next) {
		if (strcasecmp(t->domain, id_or_domain))
			continue;
		if (!t->copy_of[0])
			return t;
		if (!copy)
			copy = t;
	}
	return copy;
}

struct tenant *state_tenant_default(struct state *st)
{
	return st->tenants;
}
