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
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
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
	int fd; /* watched for a hang-up; -1 when epoll would not take it */
	atomic_bool *gone;
	struct fault_sleeper_item *prev, *next;
};

/* Take @it off the list and the epoll set, resume it, free it. Lock held. */
static void wake(struct fault_sleeper *s, struct fault_sleeper_item *it, bool gone)
{
	if (it->prev)
		it->prev->next = it->next;
	else
		s->items = it->next;
	if (it->next)
		it->next->prev = it->prev;
	if (it->fd >= 0)
		epoll_ctl(s->epfd, EPOLL_CTL_DEL, it->fd, NULL);
	if (gone)
		atomic_store(it->gone, true);
	s->count--;
	MHD_resume_connection(it->conn);
	free(it);
}

static int wait_ms(const struct fault_sleeper *s)
{
	int64_t left;

	if (!s->items)
		return -1;
	left = s->items->due_us - monotonic_us();
	return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

static void *sleeper_main(void *arg)
{
	struct fault_sleeper *s = arg;
	struct epoll_event ev[64];

	pthread_mutex_lock(&s->lock);
	for (;;) {
		int64_t now = monotonic_us();
		int n, timeout;

		while (s->items && (s->items->due_us <= now || s->stopping))
			wake(s, s->items, false);
		if (s->stopping)
			break;
		timeout = wait_ms(s);
		pthread_mutex_unlock(&s->lock);
		n = epoll_wait(s->epfd, ev, 64, timeout);
		pthread_mutex_lock(&s->lock);
		/* Only this thread frees items: every pointer here is live. */
		for (int i = 0; i < n; i++) {
			uint64_t drain;

			if (!ev[i].data.ptr) {
				if (read(s->wake_fd, &drain, sizeof(drain)) < 0)
					continue;
				continue;
			}
			if (ev[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
				wake(s, ev[i].data.ptr, true);
		}
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static void poke(struct fault_sleeper *s)
{
	uint64_t one = 1;

	if (write(s->wake_fd, &one, sizeof(one)) < 0)
		return; /* the counter is full: the thread wakes anyway */
}

int fault_sleeper_start(struct fault_sleeper *s, unsigned max)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};

	memset(s, 0, sizeof(*s));
	s->max = max;
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	s->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->epfd < 0 || s->wake_fd < 0 ||
	    epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->wake_fd, &ev) ||
	    pthread_mutex_init(&s->lock, NULL))
		goto out_close;
	if (pthread_create(&s->thread, NULL, sleeper_main, s)) {
		pthread_mutex_destroy(&s->lock);
		goto out_close;
	}
	s->started = true;
	return 0;

out_close:
	if (s->epfd >= 0)
		close(s->epfd);
	if (s->wake_fd >= 0)
		close(s->wake_fd);
	return -1;
}

void fault_sleeper_stop(struct fault_sleeper *s)
{
	if (!s->started)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	poke(s);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	pthread_mutex_destroy(&s->lock);
	close(s->epfd);
	close(s->wake_fd);
	s->started = false;
}

int fault_sleeper_add(struct fault_sleeper *s, struct MHD_Connection *conn, int fd,
                      int64_t delay_ms, atomic_bool *gone)
{
	struct fault_sleeper_item *it = malloc(sizeof(*it)), **at, *prev = NULL;
	struct epoll_event ev = {.events = EPOLLRDHUP};

	if (!it)
		return -1;
	it->due_us = monotonic_us() + delay_ms * 1000;
	it->conn = conn;
	it->fd = fd;
	it->gone = gone;
	pthread_mutex_lock(&s->lock);
	if (s->stopping || s->count >= s->max) {
		int rc = s->stopping ? -1 : FAULT_SLEEPER_FULL;
		pthread_mutex_unlock(&s->lock);
		free(it);
		return rc;
	}
	ev.data.ptr = it;
	if (fd < 0 || epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev))
		it->fd = -1; /* no hang-up watch: the timer still wakes it */
	for (at = &s->items; *at && (*at)->due_us <= it->due_us; at = &(*at)->next)
		prev = *at;
	it->prev = prev;
	it->next = *at;
	if (*at)
		(*at)->prev = it;
	*at = it;
	s->count++;
	if (s->items == it)
		poke(s); /* a new earliest deadline */
	pthread_mutex_unlock(&s->lock);
	return 0;
}

unsigned fault_sleeper_count(struct fault_sleeper *s)
{
	unsigned n;

	pthread_mutex_lock(&s->lock);
	n = s->count;
	pthread_mutex_unlock(&s->lock);
	return n;
}
