/*
 * server/notify/notify.c - the delivery thread (notify.h): one libcurl multi
 * handle, a queue per (tenant, URL), batches with retries and back-off, the
 * validation handshakes started there, and fault verdicts. Transfers are
 * notify_xfer.c's, the record of attempts notify_record.c's.
 */
#include "notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../state/state.h"
#include "../faults/fault.h"
#include "notify_internal.h"

#define SCAN_EVERY  1000 /* ms between looks at subscriptions */
#define HOLD_MAX_MS 2000 /* out of order: wait this long for a next batch */
#define POLL_MAX_MS 1000

static int64_t mono_ms(void)
{
	return monotonic_us() / 1000;
}

void notify_item_free(struct notify_item *it)
{
	if (!it)
		return;
	json_decref(it->json);
	free(it->lifecycle_url);
	free(it);
}

static void items_free(struct notify_item *it)
{
	while (it) {
		struct notify_item *next = it->next;
		notify_item_free(it);
		it = next;
	}
}

int notify_init(struct notifier *n, struct state *st, struct fault_engine *faults)
{
	memset(n, 0, sizeof(*n));
	if (pthread_mutex_init(&n->lock, NULL))
		return -1;
	n->log = json_array();
	if (!n->log)
		goto out_free;
	n->st = st;
	n->faults = faults;
	n->backoff_base_ms = 1000;
	n->first_timeout_ms = NOTIFY_FIRST_TIMEOUT_MS;
	n->retry_timeout_ms = NOTIFY_RETRY_TIMEOUT_MS;
	n->validate_timeout_ms = NOTIFY_VALIDATE_TIMEOUT_MS;
	return 0;

out_free:
	pthread_mutex_destroy(&n->lock);
	return -1;
}

/* ---- queues ---- */

static void *thread_main(void *arg);

/*
 * Open and start libcurl and the thread once; n->lock held. 0 or -1. Every
 * other libcurl call in this file comes after this succeeded (n->multi set),
 * so finds curl_dl() loaded.
 */
static int ensure_thread(struct notifier *n)
{
	const struct curl_dl *cu;

	if (n->started)
		return 0;
	cu = curl_dl();
	if (!cu)
		return -1;
	if (!n->curl_ready) {
		if (cu->global_init(CURL_GLOBAL_DEFAULT))
			return -1;
		n->curl_ready = true;
	}
	if (!n->multi && !(n->multi = cu->multi_init()))
		return -1;
	if (pthread_create(&n->thread, NULL, thread_main, n))
		return -1;
	n->started = true;
	return 0;
}

static struct outbox *box_for(struct notifier *n, const char *tenant_id, const char *url,
                              bool lifecycle)
{
	struct outbox *b;

	for (b = n->boxes; b; b = b->next)
		if (b->lifecycle == lifecycle && !strcmp(b->tenant_id, tenant_id) &&
		    !strcmp(b->url, url))
			return b;
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->url = strdup(url);
	if (!b->url) {
		free(b);
		return NULL;
	}
	snprintf(b->tenant_id, sizeof(b->tenant_id), "%s", tenant_id);
	b->lifecycle = lifecycle;
	b->next = n->boxes;
	n->boxes = b;
	return b;
}

int notify_enqueue(struct notifier *n, const char *tenant_id, const char *url,
                   bool lifecycle, struct notify_item *item)
{
	struct outbox *b;

	pthread_mutex_lock(&n->lock);
	b = n->stopping ? NULL : box_for(n, tenant_id, url, lifecycle);
	if (!b || ensure_thread(n)) {
		pthread_mutex_unlock(&n->lock);
		notify_item_free(item);
		return -1;
	}
	item->next = NULL;
	if (b->tail)
		b->tail->next = item;
	else
		b->head = item;
	b->tail = item;
	b->nqueued++;
	pthread_mutex_unlock(&n->lock);
	curl_dl()->multi_wakeup(n->multi);
	return 0;
}

/* "missed" for every subscription of a dropped batch that has a lifecycle URL. */
static void queue_missed(struct notifier *n, const struct outbox *b,
                         const struct notify_item *items)
{
	json_t *done = json_array();

	for (; done && items; items = items->next) {
		const json_t *j = items->json;
		json_t *id = json_object_get(j, "subscriptionId");
		struct notify_item *it;
		struct outbox *lb;
		size_t i;
		json_t *v;
		bool seen = false;

		json_array_foreach(done, i, v) seen |= json_equal(v, id);
		if (seen || !items->lifecycle_url || b->lifecycle)
			continue;
		json_array_append(done, id);
		it = calloc(1, sizeof(*it));
		lb = it ? box_for(n, b->tenant_id, items->lifecycle_url, true) : NULL;
		if (it)
			it->json = notify_lifecycle_json(
			    json_string_value(id),
			    json_string_value(
			        json_object_get(j, "subscriptionExpirationDateTime")),
			    b->tenant_id, json_object_get(j, "clientState"), "missed");
		if (!lb || !it->json) {
			notify_item_free(it);
			continue;
		}
		if (lb->tail)
			lb->tail->next = it;
		else
			lb->head = it;
		lb->tail = it;
		lb->nqueued++;
	}
	json_decref(done);
}

/* Throw the batch away; n->lock held. */
static void drop_batch(struct notifier *n, struct outbox *b, const char *why)
{
	notify_record(n, notify_attempt_json(b, b->attempt, 0, "dropped", why, 0));
	queue_missed(n, b, b->batch_items);
	items_free(b->batch_items);
	json_decref(b->batch);
	b->batch_items = NULL;
	b->batch = NULL;
	b->fault[0] = '\0';
	b->copies = 0;
}

/* The next batch from the queue, with the fault engine's verdict on it. */
static void form_batch(struct notifier *n, struct outbox *b, int64_t now)
{
	struct notify_verdict v;
	json_t *value = json_array();
	struct notify_item *last = NULL;
	size_t k = 0;

	if (!value)
		return;
	b->batch_items = b->head;
	for (struct notify_item *it = b->head; it && k < NOTIFY_BATCH;
	     it = it->next, k++) {
		json_array_append(value, it->json);
		last = it;
	}
	b->head = last->next;
	if (!b->head)
		b->tail = NULL;
	last->next = NULL;
	b->nqueued -= k;
	b->batch = json_pack("{s:o}", "value", value);
	b->attempt = 0;
	b->first_mock_ms = state_now_ms(n->st);
	b->due_ms = now;
	b->copies = 0;
	b->fault[0] = '\0';
	fault_engine_notify(n->faults, b->tenant_id, b->url, &v);
	snprintf(b->fault, sizeof(b->fault), "%s", v.rule_id);
	switch (v.outcome) {
	case NOTIFY_DELIVER:
		break;
	case NOTIFY_DELAY:
		b->due_ms = now + v.delay_ms;
		break;
	case NOTIFY_DUPLICATE:
		b->copies = 1;
		break;
	case NOTIFY_DROP:
		drop_batch(n, b, "dropped by a fault rule");
		break;
	case NOTIFY_REORDER:
		if (b->held) /* one held at a time: this one goes as it is */
			break;
		b->held = b->batch;
		b->held_items = b->batch_items;
		b->held_since = now;
		memcpy(b->held_fault, b->fault, sizeof(b->held_fault));
		b->batch = NULL;
		b->batch_items = NULL;
		break;
	}
}

int notify_checks_start(struct notifier *n, struct webhook_check *checks, size_t count,
                        void (*done)(void *arg), void *arg)
{
	struct check_job *j = calloc(1, sizeof(*j));

	if (!j)
		return -1;
	j->checks = checks;
	j->n = count;
	j->cb = done;
	j->arg = arg;
	pthread_mutex_lock(&n->lock);
	if (n->stopping || ensure_thread(n)) {
		pthread_mutex_unlock(&n->lock);
		free(j);
		return -1;
	}
	j->next = n->jobs;
	n->jobs = j;
	pthread_mutex_unlock(&n->lock);
	curl_dl()->multi_wakeup(n->multi);
	return 0;
}

/* ---- the thread ---- */

static void add_xfer(struct notifier *n, struct xfer *x)
{
	x->next = n->xfers;
	n->xfers = x;
	curl_dl()->multi_add_handle(n->multi, x->easy);
}

static int64_t backoff(const struct notifier *n, int attempt)
{
	int64_t ms = n->backoff_base_ms;

	for (int i = 1; i < attempt && ms < NOTIFY_BACKOFF_MAX_MS; i++)
		ms *= 2;
	return ms < NOTIFY_BACKOFF_MAX_MS ? ms : NOTIFY_BACKOFF_MAX_MS;
}

/* Past Graph's retry window on the mock clock? */
static bool window_over(const struct notifier *n, const struct outbox *b)
{
	return b->attempt > 0 &&
	       state_now_ms(n->st) - b->first_mock_ms >= NOTIFY_RETRY_WINDOW_MS;
}

/* Start what is due; n->lock held. Returns ms until the next thing is due. */
static int64_t start_due(struct notifier *n)
{
	int64_t now = mono_ms(), wait = POLL_MAX_MS;

	for (struct outbox *b = n->boxes; b; b = b->next) {
		if (b->in_flight)
			continue;
		if (!b->batch && b->held && !b->head &&
		    now - b->held_since >= HOLD_MAX_MS) {
			b->batch = b->held; /* no next batch came: send it after all */
			b->batch_items = b->held_items;
			b->held = NULL;
			b->held_items = NULL;
			b->attempt = 0;
			b->first_mock_ms = state_now_ms(n->st);
			b->due_ms = now;
			memcpy(b->fault, b->held_fault, sizeof(b->fault));
		}
		while (!b->batch && b->head)
			form_batch(n, b, now);
		if (b->batch && window_over(n, b))
			drop_batch(n, b, "Graph's retry window (4 hours) is over");
		if (!b->batch) {
			if (b->held && HOLD_MAX_MS - (now - b->held_since) < wait)
				wait = HOLD_MAX_MS - (now - b->held_since);
			continue;
		}
		if (b->due_ms > now) {
			if (b->due_ms - now < wait)
				wait = b->due_ms - now;
			continue;
		}
		char *body = json_dumps(b->batch, JSON_COMPACT | JSON_PRESERVE_ORDER);
		struct xfer *x = body ? notify_xfer_new(b->url, body,
		                                        "application/json; charset=utf-8",
		                                        b->attempt ? n->retry_timeout_ms
		                                                   : n->first_timeout_ms)
		                      : NULL;
		free(body);
		if (!x) {
			b->due_ms = now + 1000;
			continue;
		}
		x->box = b;
		b->in_flight = true;
		add_xfer(n, x);
	}
	for (struct check_job *j = n->jobs; j; j = j->next)
		for (; j->started < j->n; j->started++) {
			struct xfer *x = notify_check_xfer(&j->checks[j->started],
			                                   n->validate_timeout_ms);
			if (!x) { /* out of memory: this check fails */
				notify_record(
				    n, notify_check_judge(&j->checks[j->started],
				                          CURLE_OUT_OF_MEMORY, 0, "", 0));
				j->done++;
				continue;
			}
			x->job = j;
			x->check = j->started;
			add_xfer(n, x);
		}
	return wait < 0 ? 0 : wait;
}

/* A delivery POST ended; n->lock held. */
static void delivered(struct notifier *n, struct xfer *x, CURLcode rc, long status)
{
	struct outbox *b = x->box;
	int64_t ms = (monotonic_us() - x->started_us) / 1000;
	bool ok = rc == CURLE_OK && status >= 200 && status < 300;
	const char *outcome = ok                               ? "delivered"
	                      : rc == CURLE_OPERATION_TIMEDOUT ? "timeout"
	                      : rc                             ? "error"
	                                                       : "failed";

	b->in_flight = false;
	b->attempt++;
	notify_record(n,
	              notify_attempt_json(b, b->attempt, rc ? 0 : status, outcome,
	                                  rc ? curl_dl()->easy_strerror(rc) : NULL, ms));
	if (ok && b->copies > 0) {
		b->copies--; /* a duplicate fault: the same POST once more */
		b->due_ms = mono_ms();
		return;
	}
	if (ok) {
		items_free(b->batch_items);
		json_decref(b->batch);
		b->batch = b->held;
		b->batch_items = b->held_items;
		b->held = NULL;
		b->held_items = NULL;
		b->attempt = 0;
		b->first_mock_ms = state_now_ms(n->st);
		b->due_ms = mono_ms();
		memcpy(b->fault, b->held_fault, sizeof(b->fault));
		b->held_fault[0] = '\0';
		return;
	}
	if (window_over(n, b))
		drop_batch(n, b, "Graph's retry window (4 hours) is over");
	else
		b->due_ms = mono_ms() + backoff(n, b->attempt);
}

/*
 * Everything curl finished; callbacks of completed check jobs go to @wake.
 * Returns how many transfers ended (what they leave may be due at once).
 */
static int finish_done(struct notifier *n, struct check_job **wake)
{
	const struct curl_dl *cu = curl_dl();
	CURLMsg *msg;
	int left, ended = 0;

	while ((msg = cu->multi_info_read(n->multi, &left))) {
		struct xfer *x = NULL, **pp;
		long status = 0;

		if (msg->msg != CURLMSG_DONE)
			continue;
		ended++;
		cu->easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		cu->easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
		cu->multi_remove_handle(n->multi, msg->easy_handle);
		pthread_mutex_lock(&n->lock);
		for (pp = &n->xfers; *pp && *pp != x; pp = &(*pp)->next)
			;
		if (*pp)
			*pp = x->next;
		if (x->box) {
			delivered(n, x, msg->data.result, status);
		} else {
			struct check_job *j = x->job, **jp;
			notify_record(n, notify_check_judge(
			                     &j->checks[x->check], msg->data.result,
			                     status, x->resp,
			                     (monotonic_us() - x->started_us) / 1000));
			if (++j->done == j->n) {
				for (jp = &n->jobs; *jp != j; jp = &(*jp)->next)
					;
				*jp = j->next;
				j->next = *wake;
				*wake = j;
			}
		}
		pthread_mutex_unlock(&n->lock);
		notify_xfer_free(x);
	}
	return ended;
}

static void wake_all(struct check_job *j)
{
	while (j) {
		struct check_job *next = j->next;
		j->cb(j->arg);
		free(j);
		j = next;
	}
}

/* Stopping: every check still pending fails, its connection is woken. */
static void abandon(struct notifier *n)
{
	struct check_job *wake = NULL;

	pthread_mutex_lock(&n->lock);
	while (n->xfers) {
		struct xfer *x = n->xfers;
		n->xfers = x->next;
		curl_dl()->multi_remove_handle(n->multi, x->easy);
		if (x->box)
			x->box->in_flight = false;
		notify_xfer_free(x);
	}
	while (n->jobs) {
		struct check_job *j = n->jobs;
		n->jobs = j->next;
		for (size_t i = 0; i < j->n; i++)
			if (!j->checks[i].echoed && !j->checks[i].status)
				snprintf(j->checks[i].detail, sizeof(j->checks[i].detail),
				         "graphmock is stopping");
		j->next = wake;
		wake = j;
	}
	pthread_mutex_unlock(&n->lock);
	wake_all(wake);
}

static void *thread_main(void *arg)
{
	struct notifier *n = arg;
	int64_t wait;

	for (;;) {
		struct check_job *wake = NULL;
		int running;

		pthread_mutex_lock(&n->lock);
		if (n->stopping) {
			pthread_mutex_unlock(&n->lock);
			break;
		}
		wait = start_due(n);
		pthread_mutex_unlock(&n->lock);
		curl_dl()->multi_perform(n->multi, &running);
		if (finish_done(n, &wake))
			wait =
			    0; /* a retry, a duplicate or a held batch may be due now */
		wake_all(wake);
		if (mono_ms() >= n->next_scan_ms) {
			n->next_scan_ms = mono_ms() + SCAN_EVERY;
			notify_scan(n);
		}
		if (wait > 0)
			curl_dl()->multi_poll(n->multi, NULL, 0, (int)wait, NULL);
	}
	abandon(n);
	return NULL;
}

void notify_stop(struct notifier *n)
{
	bool join;

	pthread_mutex_lock(&n->lock);
	join = n->started && !n->stopping;
	n->stopping = true;
	pthread_mutex_unlock(&n->lock);
	if (!join)
		return;
	curl_dl()->multi_wakeup(n->multi);
	pthread_join(n->thread, NULL);
}

void notify_release(struct notifier *n)
{
	if (!n->log)
		return; /* never initialised, or released already */
	notify_stop(n);
	while (n->boxes) {
		struct outbox *b = n->boxes;
		n->boxes = b->next;
		items_free(b->head);
		items_free(b->batch_items);
		items_free(b->held_items);
		json_decref(b->batch);
		json_decref(b->held);
		free(b->url);
		free(b);
	}
	json_decref(n->log);
	n->log = NULL;
	if (n->multi)
		curl_dl()->multi_cleanup(n->multi);
	n->multi = NULL;
	pthread_mutex_destroy(&n->lock);
	if (n->curl_ready)
		curl_dl()->global_cleanup();
	n->curl_ready = false;
}
