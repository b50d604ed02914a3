/*
 * server/notify/notify_internal.h - what notify.c (the thread, transfers,
 * retries, the record) and notify_render.c (turning commits and lifecycle
 * events into notification bodies) share. Not for use outside server/notify/.
 */
#ifndef GRAPHMOCK_SERVER_NOTIFY_NOTIFY_INTERNAL_H
#define GRAPHMOCK_SERVER_NOTIFY_NOTIFY_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "notify.h"

/* One notification waiting for (or in) a POST to its URL. */
struct notify_item {
	json_t *json;        /* the changeNotification (owned) */
	char *lifecycle_url; /* its subscription's, for "missed" (owned, NULL: none) */
	struct notify_item *next;
};

/*
 * notify_enqueue() - queue @item (steals, with its fields) for POST to @url
 * in tenant @tenant_id, after everything already queued there; @lifecycle
 * for lifecycle notifications. Starts the thread when needed. 0, or -1 on
 * OOM or while stopping (the item is freed).
 */
int notify_enqueue(struct notifier *n, const char *tenant_id, const char *url,
                   bool lifecycle, struct notify_item *item);

/* notify_item_free() - free an item (and nothing after it). */
void notify_item_free(struct notify_item *it);

/*
 * notify_lifecycle_item() - {"subscriptionId", "subscriptionExpirationDateTime",
 * "tenantId", "clientState", "lifecycleEvent"} built from a change
 * notification @of (for "missed") or from the given values. New or NULL.
 */
json_t *notify_lifecycle_json(const char *sub_id, const char *expiry,
                              const char *tenant_id, const json_t *client_state,
                              const char *event);

/*
 * notify_scan() - the per-second look at every tenant: expired
 * subscriptions go, reauthorizationRequired for those near expiry. Takes the
 * registry and each tenant's lock in turn; call without n->lock.
 */
void notify_scan(struct notifier *n);

/* notify_time_offset() - @ms as "2024-05-01T10:22:31.1230000+00:00". */
void notify_time_offset(int64_t ms, char out[48]);

#endif
