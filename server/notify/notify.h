/*
 * server/notify/notify.h - change notifications on the wire: the webhook
 * validation handshake and the delivery of notifications, both by HTTP POST
 * with libcurl from one delivery thread, so no request handler ever waits
 * for a subscriber (a handler waiting for a validation has its connection
 * suspended instead, server/exchange.c).
 *
 * WHAT IS SENT (change-notifications-delivery-webhooks, -lifecycle-events)
 *   The state's commit hook (notify_on_changes, state/changelog.h) turns each
 *   committed change into Graph's changeNotification for every subscription
 *   watching it: "updated" for creations, property updates, soft deletes,
 *   restores and membership changes ("members@delta" in resourceData),
 *   "deleted" for permanent deletes; one notification per object per commit.
 *   Items queue per (tenant, URL) in commit order and go out as one POST
 *   {"value": [...]} each (at most NOTIFY_BATCH items), one POST in flight
 *   per URL, so a receiver sees them in order.
 *
 * RETRIES (Graph: any non-2xx or a timeout is retried for up to 4 hours)
 *   A failed POST is sent again after 1, 2, 4, ... s (real time, at most
 *   NOTIFY_BACKOFF_MAX_MS between tries) with the same body, until it is
 *   delivered or the mock clock says NOTIFY_RETRY_WINDOW_MS have passed
 *   since the first try; then it is dropped, and subscriptions with a
 *   lifecycleNotificationUrl get a "missed" lifecycle notification. The
 *   first try times out after 3 s, retries after 10 s, as Graph's do.
 *
 * LIFECYCLE
 *   reauthorizationRequired once a subscription with a lifecycle URL is
 *   within an hour of its expiry (checked every second while the thread
 *   runs), missed as above, subscriptionRemoved on request
 *   (notify_lifecycle). Expired subscriptions are removed without a word.
 *
 * FAULTS
 *   Every batch, when first formed, asks the fault engine
 *   (fault_engine_notify): delay it, drop it, send it twice, or hold it
 *   back until the next batch to the same URL went out (out of order).
 *
 * RECORD
 *   Every attempt (validation or delivery) is kept, newest last, up to
 *   NOTIFY_LOG_MAX, for GET /_mock/notifications.
 *
 * Locking: n->lock guards everything here and is taken after any state lock
 * (the commit hook runs under the tenant's lock); the thread never holds it
 * while it takes state locks or waits on the network.
 */
#ifndef GRAPHMOCK_SERVER_NOTIFY_NOTIFY_H
#define GRAPHMOCK_SERVER_NOTIFY_NOTIFY_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/call.h"

#define NOTIFY_BATCH               100
#define NOTIFY_LOG_MAX             2000
#define NOTIFY_FIRST_TIMEOUT_MS    3000
#define NOTIFY_RETRY_TIMEOUT_MS    10000
#define NOTIFY_VALIDATE_TIMEOUT_MS 10000
#define NOTIFY_BACKOFF_MAX_MS      (5 * 60 * 1000)
#define NOTIFY_RETRY_WINDOW_MS     ((int64_t)4 * 3600 * 1000)
#define NOTIFY_REAUTH_BEFORE_MS    ((int64_t)3600 * 1000)

struct state;
struct tenant;
struct change;
struct fault_engine;
struct outbox;
struct check_job;
struct xfer;

struct notifier {
	pthread_mutex_t lock;
	pthread_t thread;
	bool started, stopping;
	/* CURLM *, made with the thread at the first delivery (libcurl is
	 * opened and set up only then, curl_dl.h: ~3 MiB of an idle server's
	 * RSS); set under @lock, NULL until then */
	void *multi;
	bool curl_ready; /* curl_global_init() done (under @lock) */
	struct state *st;
	struct fault_engine *faults;
	struct outbox *boxes;
	struct check_job *jobs;
	struct xfer *xfers; /* transfers in flight (thread only) */
	json_t *log;        /* attempts, oldest first (owned array) */
	uint64_t log_seq;
	int64_t next_scan_ms;
	/* Graph's timings, kept here so tests may shorten them. */
	int64_t backoff_base_ms; /* first retry delay */
	long first_timeout_ms, retry_timeout_ms, validate_timeout_ms;
};

/* notify_init() - an idle notifier (the thread starts on first use). 0 or -1. */
int notify_init(struct notifier *n, struct state *st, struct fault_engine *faults);

/*
 * notify_stop() - end the thread: checks still running complete as failed
 * (their connections are woken), queued deliveries are dropped. Idempotent.
 * notify_release() - stop, then free everything.
 */
void notify_stop(struct notifier *n);
void notify_release(struct notifier *n);

/*
 * notify_on_changes() - the state's commit hook (state_changes_fn; @ctx is
 * the notifier): queue the notifications of @v[0..@cnt) for @t's
 * subscriptions. Runs under the tenant's lock.
 */
void notify_on_changes(void *ctx, struct state *st, struct tenant *t,
                       const struct change *v, size_t cnt);

/*
 * notify_lifecycle() - queue lifecycle notification @event
 * ("subscriptionRemoved", "reauthorizationRequired", "missed") for
 * subscription @sub_id of @t, to its lifecycleNotificationUrl. false when
 * the subscription has none. Caller holds the tenant's lock.
 */
bool notify_lifecycle(struct notifier *n, struct tenant *t, const char *sub_id,
                      const char *event);

/*
 * notify_checks_start() - run the @count validation @checks (borrowed until
 * @done) on the thread and call @done(@arg) from it when all have an
 * outcome. 0, or -1 when they cannot start (@done is then never called).
 */
int notify_checks_start(struct notifier *n, struct webhook_check *checks, size_t count,
                        void (*done)(void *arg), void *arg);

/* notify_checks_run() - the same in the calling thread, blocking. */
void notify_checks_run(struct notifier *n, struct webhook_check *checks, size_t count);

/*
 * notify_attempts() - {"value": [attempts]} of tenant @tenant_id, oldest
 * first, optionally only of @subscription_id. New reference or NULL.
 * notify_attempts_clear() - forget @tenant_id's attempts.
 */
json_t *notify_attempts(struct notifier *n, const char *tenant_id,
                        const char *subscription_id);
void notify_attempts_clear(struct notifier *n, const char *tenant_id);

#endif
