/*
 * server/http/fault_apply.c - what an injected fault looks like on the wire.
 * Connection faults write straight to the socket libmicrohttpd hands us and
 * then let it close; latency suspends the connection and a single timer
 * thread resumes it, so no worker thread sleeps.
 */
#include "fault_apply.h"

#include <errno.h>
#include <microhttpd.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../core/resp.h"

/* Write all of @len bytes to a non-blocking socket, waiting up to a second in total. */
static void write_all(int fd, const char *p, size_t len)
{
	int waits = 0;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && waits++ < 10) {
			struct pollfd pfd = {.fd = fd, .events = POLLOUT};
			poll(&pfd, 1, 100);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return;
	}
}

static const char *reason(unsigned status)
{
	switch (status) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	default:
		return status < 400 ? "OK" : "Error";
	}
}

static void send_truncated(int fd, const struct resp *resp)
{
	const char *ct = resp_content_type(resp);
	size_t half = resp->bytes_len / 2;
	size_t promised = resp->bytes_len > 1 ? resp->bytes_len : 64;
	char head[512];
	int n;

	n = snprintf(head, sizeof(head),
	             "HTTP/1.1 %u %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
	             "request-id: %s\r\nclient-request-id: %s\r\n\r\n",
	             resp->status, reason(resp->status), ct ? ct : "application/json",
	             promised, resp->request_id, resp->client_request_id);
	if (n > 0 && (size_t)n < sizeof(head))
		write_all(fd, head, (size_t)n);
	if (half && resp->bytes)
		write_all(fd, resp->bytes, half);
}

static void send_garbage(int fd, uint64_t seed)
{
	struct rng r;
	char buf[256];
	size_t len;

	rng_seed(&r, seed);
	len = 64 + (size_t)(rng_next(&r) % 192);
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)(rng_next(&r) & 0xff);
	buf[0] = '\x16'; /* never a plausible "HTTP/" status line */
	write_all(fd, buf, len);
}

void fault_conn_drop(struct MHD_Connection *conn, enum fault_conn c,
                     const struct resp *resp, uint64_t seed)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	int fd = ci ? ci->connect_fd : -1;

	if (fd < 0)
		return;
	switch (c) {
	case FAULT_CONN_RESET: {
		/* Linger 0: close() sends RST instead of FIN. */
		struct linger lin = {.l_onoff = 1, .l_linger = 0};
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
		return;
	}
	case FAULT_CONN_CLOSE:
		return; /* MHD closes it with nothing sent */
	case FAULT_CONN_TRUNCATE:
		send_truncated(fd, resp);
		return;
	case FAULT_CONN_GARBAGE:
		send_garbage(fd, seed);
		return;
	}
}

/* ---- the latency timer ---- */

struct fault_sleeper_item {
	int64_t due_us;
	struct MHD_Connection *conn;
	struct fault_sleeper_item *next;
};

static void *sleeper_main(void *arg)
{
	struct fault_sleeper *s = arg;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		int64_t now = monotonic_us();
		while (s->items && (s->items->due_us <= now || s->stopping)) {
			struct fault_sleeper_item *it = s->items;
			s->items = it->next;
			MHD_resume_connection(it->conn);
			free(it);
		}
		if (s->stopping)
			break;
		if (!s->items) {
			pthread_cond_wait(&s->cond, &s->lock);
			continue;
		}
		struct timespec ts;
		int64_t due = s->items->due_us;
		ts.tv_sec = (time_t)(due / 1000000);
		ts.tv_nsec = (long)(due % 1000000) * 1000;
		pthread_cond_timedwait(&s->cond, &s->lock, &ts);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int fault_sleeper_start(struct fault_sleeper *s)
{
	pthread_condattr_t attr;

	memset(s, 0, sizeof(*s));
	if (pthread_mutex_init(&s->lock, NULL))
		return -1;
	/* Waits are measured on the monotonic clock, as monotonic_us() is. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (pthread_cond_init(&s->cond, &attr)) {
		pthread_condattr_destroy(&attr);
		pthread_mutex_destroy(&s->lock);
		return -1;
	}
	pthread_condattr_destroy(&attr);
	if (pthread_create(&s->thread, NULL, sleeper_main, s)) {
		pthread_cond_destroy(&s->cond);
		pthread_mutex_destroy(&s->lock);
		return -1;
	}
	s->started = true;
	return 0;
}

void fault_sleeper_stop(struct fault_sleeper *s)
{
	if (!s->started)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	s->started = false;
}

int fault_sleeper_add(struct fault_sleeper *s, struct MHD_Connection *conn,
                      int64_t delay_ms)
{
	struct fault_sleeper_item *it = malloc(sizeof(*it)), **at;

	if (!it)
		return -1;
	it->due_us = monotonic_us() + delay_ms * 1000;
	it->conn = conn;
	pthread_mutex_lock(&s->lock);
	if (s->stopping) {
		pthread_mutex_unlock(&s->lock);
		free(it);
		return -1;
	}
	for (at = &s->items; *at && (*at)->due_us <= it->due_us; at = &(*at)->next)
		;
	it->next = *at;
	*at = it;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	return 0;
}
