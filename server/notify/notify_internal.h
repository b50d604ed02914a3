/*
 * server/notify/notify_internal.h - what notify.c (the thread, transfers,
 * retries, the record) and notify_render.c (turning commits and lifecycle
 * events into notification bodies) share. Not for use outside server/notify/.
 */
#ifndef GRAPHMOCK_SERVER_NOTIFY_NOTIFY_INTERNAL_H
#define GRAPHMOCK_SERVER_NOTIFY_NOTIFY_INTERNAL_H

#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../state/util/guid.h"
#include "../faults/fault.h"
#include "curl_dl.h"
#include "notify.h"

#define NOTIFY_RESP_KEEP 1024 /* bytes of a receiver's answer kept */

/* One notification waiting for (or in) a POST to its URL. */
struct notify_item {
	json_t *json;        /* the changeNotification (owned) */
	char *lifecycle_url; /* its subscription's, for "missed" (owned, NULL: none) */
	struct notify_item *next;
};

/* The notifications waiting for one URL of one tenant, and the batch in flight. */
struct outbox {
	char tenant_id[GUID_STR_LEN + 1];
	char *url;
	bool lifecycle;
	struct notify_item *head, *tail; /* waiting */
	size_t nqueued;
	struct notify_item *batch_items; /* the batch being sent or retried */
	json_t *batch;                   /* its body {"value": [...]} */
	struct notify_item *held_items;  /* out of order: sent after the next batch */
	json_t *held;
	char held_fault[FAULT_ID_LEN];
	int64_t held_since;
	int attempt;           /* tries of the batch so far */
	int64_t first_mock_ms; /* its first try, on the mock clock */
	int64_t due_ms;        /* its next try, monotonic */
	int copies;            /* duplicate: extra sends left */
	char fault[FAULT_ID_LEN];
	bool in_flight;
	struct outbox *next;
};

struct check_job {
	struct webhook_check *checks;
	size_t n, started, done;
	void (*cb)(void *arg);
	void *arg;
	struct check_job *next;
};

struct xfer {
	CURL *easy;
	struct curl_slist *headers;
	char *body; /* request body (owned) */
	char *url;  /* as sent (owned) */
	struct outbox *box;
	struct check_job *job;
	size_t check;
	char resp[NOTIFY_RESP_KEEP + 1];
	size_t resp_len;
	int64_t started_us;
	long timeout_ms;
	struct xfer *next;
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

/* ---- notify_record.c ---- */

/* notify_record() - append one attempt (steals @entry) to the record; n->lock held. */
void notify_record(struct notifier *n, json_t *entry);

/* notify_attempt_json() - an attempt of @b's batch as the record shows it. New or NULL.
 */
json_t *notify_attempt_json(const struct outbox *b, int attempt, long status,
                            const char *outcome, const char *error, int64_t ms);

/* ---- notify_xfer.c ---- */

/*
 * notify_xfer_new() - a POST of @body (copied) to @url with @ctype and a
 * timeout, ready for curl_multi_add_handle(). New, or NULL on OOM.
 * notify_xfer_free() - clean it up (removed from the multi handle first).
 */
struct xfer *notify_xfer_new(const char *url, const char *body, const char *ctype,
                             long timeout_ms);
void notify_xfer_free(struct xfer *x);

/* notify_check_xfer() - the validation POST of @c. New or NULL. */
struct xfer *notify_check_xfer(const struct webhook_check *c, long timeout_ms);

/*
 * notify_check_judge() - fill @c's outcome from a finished handshake (curl's
 * @rc, the HTTP @status, the answer @body) and return its record entry (new).
 */
json_t *notify_check_judge(struct webhook_check *c, CURLcode rc, long status,
                           const char *body, int64_t ms);

#endif
