/*
 * server/http/deferred.c - the admin queue (deferred.h): a FIFO of
 * suspended connections whose ROUTE_BACKGROUND handler its thread (or the
 * caller of deferred_run()) runs in turn.
 */
#include "deferred.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "../../state/util/buf.h"
#include "../core/error.h"
#include "../core/resp.h"
#include "../exchange.h"
#include "../srv.h"

struct deferred_item {
	struct MHD_Connection *conn;
	struct exchange *ex;
	struct deferred_result *out;
	struct deferred_item *next;
};

/* A streamed body into an unlinked temp file, piece by piece; 500 if it fails. */
static void spool(struct exchange *ex, struct deferred_result *out)
{
	struct resp *resp = &ex->resp;
	FILE *f = tmpfile();
	struct buf w;
	int more = f ? 1 : -1;

	while (more > 0) {
		buf_init(&w, RESP_TEXT_MAX);
		more = resp->stream.next(resp->stream.ctx, &w);
		if (w.failed || (w.len && fwrite(w.data, 1, w.len, f) != w.len))
			more = -1;
		out->len += w.len;
		buf_release(&w);
	}
	if (more < 0 || fflush(f) || fseek(f, 0, SEEK_SET)) {
		if (f)
			fclose(f);
		out->len = 0;
		resp_release(resp);
		resp_init(resp, &ex->req);
		resp_error(resp, GERR_INTERNAL, "Exporting the state failed.");
		resp_finish(resp);
		return;
	}
	out->body = f;
	/* The source is done with; the answer stays a stream (from the file). */
	resp->stream.release(resp->stream.ctx);
	memset(&resp->stream, 0, sizeof(resp->stream));
}

static void run(struct deferred *d, struct deferred_item *it)
{
	struct resp *resp = &it->ex->resp;

	it->out->step = exchange_run_deferred(d->srv, it->ex);
	if (it->out->step == EXCHANGE_RESPOND && resp->kind == RESP_STREAM) {
		if (resp->stream.file) { /* written already (the export): sent as it is */
			it->out->body = resp->stream.file;
			it->out->len = resp->stream.file_len;
			resp->stream.file = NULL;
		} else {
			spool(it->ex, it->out);
		}
	}
	MHD_resume_connection(it->conn);
	free(it);
}

static void *main_loop(void *arg)
{
	struct deferred *d = arg;

	pthread_mutex_lock(&d->lock);
	for (;;) {
		struct deferred_item *it = d->head;

		if (!it) {
			if (d->stopping)
				break;
			pthread_cond_wait(&d->cond, &d->lock);
			continue;
		}
		d->head = it->next;
		if (!d->head)
			d->tail = NULL;
		pthread_mutex_unlock(&d->lock);
		run(d, it); /* no lock held: requests keep coming meanwhile */
		pthread_mutex_lock(&d->lock);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

int deferred_init(struct deferred *d, struct srv *srv)
{
	d->head = d->tail = NULL;
	d->stopping = false;
	d->threaded = false;
	d->srv = srv;
	if (pthread_mutex_init(&d->lock, NULL))
		return -1;
	if (pthread_cond_init(&d->cond, NULL)) {
		pthread_mutex_destroy(&d->lock);
		return -1;
	}
	d->started = true;
	return 0;
}

int deferred_start(struct deferred *d, struct srv *srv)
{
	if (deferred_init(d, srv))
		return -1;
	if (pthread_create(&d->thread, NULL, main_loop, d)) {
		pthread_cond_destroy(&d->cond);
		pthread_mutex_destroy(&d->lock);
		d->started = false;
		return -1;
	}
	d->threaded = true;
	return 0;
}

void deferred_run(struct deferred *d)
{
	main_loop(d);
}

void deferred_quit(struct deferred *d)
{
	pthread_mutex_lock(&d->lock);
	d->stopping = true;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

void deferred_stop(struct deferred *d)
{
	if (!d->started)
		return;
	deferred_quit(d);
	if (d->threaded)
		pthread_join(d->thread, NULL);
	pthread_cond_destroy(&d->cond);
	pthread_mutex_destroy(&d->lock);
	d->started = false;
}

int deferred_add(struct deferred *d, struct MHD_Connection *conn, struct exchange *ex,
                 struct deferred_result *out)
{
	struct deferred_item *it = malloc(sizeof(*it));

	if (!it)
		return -1;
	*it = (struct deferred_item){conn, ex, out, NULL};
	pthread_mutex_lock(&d->lock);
	if (d->stopping) {
		pthread_mutex_unlock(&d->lock);
		free(it);
		return -1;
	}
	if (d->tail)
		d->tail->next = it;
	else
		d->head = it;
	d->tail = it;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
	return 0;
}
