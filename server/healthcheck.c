/*
 * server/healthcheck.c - the client side of `graphmock --healthcheck`: parse
 * an http(s) URL, connect with a deadline, one GET with Connection: close
 * (through GnuTLS for https), and judge the status line and body.
 */
#include "healthcheck.h"

#include <errno.h>
#include <gnutls/gnutls.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "config.h"

#define HC_ANSWER_MAX 16384

struct hc_url {
	bool tls;
	char host[256];
	char port[8];
	char path[1024];
};

/* http[s]://host[:port][/path]; host may be [v6]. 0 or -1. */
static int parse_url(const char *url, struct hc_url *u)
{
	const char *p = url, *end;
	size_t n;

	memset(u, 0, sizeof(*u));
	if (!strncmp(p, "https://", 8)) {
		u->tls = true;
		p += 8;
	} else if (!strncmp(p, "http://", 7)) {
		p += 7;
	} else {
		return -1;
	}
	if (*p == '[') {
		end = strchr(p, ']');
		if (!end)
			return -1;
		n = (size_t)(end - p - 1);
		p++;
		end++;
	} else {
		end = p + strcspn(p, ":/?");
		n = (size_t)(end - p);
	}
	if (!n || n >= sizeof(u->host))
		return -1;
	memcpy(u->host, p, n);
	p = end;
	if (*p == ':') {
		n = strspn(p + 1, "0123456789");
		if (!n || n >= sizeof(u->port))
			return -1;
		memcpy(u->port, p + 1, n);
		p += 1 + n;
	} else {
		snprintf(u->port, sizeof(u->port), "%s", u->tls ? "443" : "80");
	}
	if (*p && *p != '/')
		return -1;
	if (strlen(p) >= sizeof(u->path))
		return -1;
	snprintf(u->path, sizeof(u->path), "%s", *p ? p : "/_mock/health");
	return 0;
}

int healthcheck_default_url(const struct config *cfg, char *url, size_t len, char *err,
                            size_t errlen)
{
	const char *host = cfg->listen;

	if (!cfg->port) {
		snprintf(err, errlen,
		         "port 0 is picked at start: give --healthcheck the URL "
		         "from the ready line");
		return -1;
	}
	if (!*host || !strcmp(host, "0.0.0.0"))
		host = "127.0.0.1";
	else if (!strcmp(host, "::"))
		host = "::1";
	snprintf(url, len, "%s://%s%s%s:%u/_mock/health",
	         cfg->tls_cert ? "https" : "http", strchr(host, ':') ? "[" : "", host,
	         strchr(host, ':') ? "]" : "", cfg->port);
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Both socket timeouts to what is left of the deadline (at least 1 ms). */
static void set_timeouts(int fd, long deadline)
{
	long left = deadline - now_ms();
	struct timeval tv;

	if (left < 1)
		left = 1;
	tv.tv_sec = left / 1000;
	tv.tv_usec = (left % 1000) * 1000;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* A connected socket, or -1 with the reason in @why. */
static int dial(const struct hc_url *u, long deadline, char *why, size_t len)
{
	struct addrinfo hints, *res, *ai;
	int fd = -1, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(u->host, u->port, &hints, &res);
	if (rc) {
		snprintf(why, len, "cannot resolve '%.200s': %s", u->host,
		         gai_strerror(rc));
		return -1;
	}
	snprintf(why, len, "no address for '%.200s'", u->host);
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		            ai->ai_protocol);
		if (fd < 0)
			continue;
		set_timeouts(fd, deadline); /* Linux applies SO_SNDTIMEO to connect() */
		if (!connect(fd, ai->ai_addr, ai->ai_addrlen))
			break;
		snprintf(why, len, "connect failed: %s",
		         errno == EINPROGRESS ? "timed out" : strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

struct hc_conn {
	int fd;
	gnutls_session_t tls; /* NULL for http */
	gnutls_certificate_credentials_t cred;
};

static int conn_tls(struct hc_conn *c, const struct hc_url *u, long deadline, char *why,
                    size_t len)
{
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST}, *res;
	int rc;

	if (gnutls_certificate_allocate_credentials(&c->cred) < 0 ||
	    gnutls_init(&c->tls, GNUTLS_CLIENT) < 0) {
		snprintf(why, len, "TLS setup failed");
		return -1;
	}
	gnutls_set_default_priority(c->tls);
	gnutls_credentials_set(c->tls, GNUTLS_CRD_CERTIFICATE, c->cred);
	if (getaddrinfo(u->host, NULL, &hints, &res)) /* SNI for names, not addresses */
		gnutls_server_name_set(c->tls, GNUTLS_NAME_DNS, u->host, strlen(u->host));
	else
		freeaddrinfo(res);
	gnutls_transport_set_int(c->tls, c->fd);
	gnutls_handshake_set_timeout(c->tls, (unsigned)(deadline - now_ms()));
	do {
		rc = gnutls_handshake(c->tls);
	} while (rc < 0 && !gnutls_error_is_fatal(rc) && now_ms() < deadline);
	if (rc < 0) {
		snprintf(why, len, "TLS handshake failed: %s", gnutls_strerror(rc));
		return -1;
	}
	return 0;
}

static void conn_close(struct hc_conn *c)
{
	if (c->tls)
		gnutls_deinit(c->tls);
	if (c->cred)
		gnutls_certificate_free_credentials(c->cred);
	if (c->fd >= 0)
		close(c->fd);
}

static int conn_send(struct hc_conn *c, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = c->tls ? gnutls_record_send(c->tls, buf, len)
		           : send(c->fd, buf, len, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read until the server closes, the buffer is full or the deadline passes. */
static size_t conn_recv_all(struct hc_conn *c, char *buf, size_t cap, long deadline)
{
	size_t used = 0;
	ssize_t n;

	while (used + 1 < cap && now_ms() < deadline) {
		set_timeouts(c->fd, deadline);
		n = c->tls ? gnutls_record_recv(c->tls, buf + used, cap - 1 - used)
		           : recv(c->fd, buf + used, cap - 1 - used, 0);
		if (n == GNUTLS_E_INTERRUPTED || n == GNUTLS_E_AGAIN)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	buf[used] = '\0';
	return used;
}

/* Judge the answer in @buf; 0 healthy. What was seen goes to @why. */
static int judge(const struct hc_url *u, const char *buf, char *why, size_t len)
{
	const char *body = strstr(buf, "\r\n\r\n");
	int status = 0;
	size_t plen = strcspn(u->path, "?");

	if (sscanf(buf, "HTTP/1.%*1[01] %3d", &status) != 1) {
		snprintf(why, len, "no HTTP answer");
		return 1;
	}
	if (status != 200) {
		snprintf(why, len, "%d", status);
		return 1;
	}
	if (plen == strlen("/_mock/health") && !strncmp(u->path, "/_mock/health", plen) &&
	    (!body || !strstr(body, "\"status\":\"ok\""))) {
		snprintf(why, len, "200 without \"status\":\"ok\"");
		return 1;
	}
	snprintf(why, len, "200 ok");
	return 0;
}

int healthcheck_run(const char *url, FILE *out)
{
	long deadline = now_ms() + HEALTHCHECK_TIMEOUT_MS;
	struct hc_conn c = {.fd = -1};
	struct hc_url u;
	char why[256] = "";
	char req[1536];
	char *answer = NULL;
	int rc = 1;

	if (parse_url(url, &u)) {
		fprintf(out, "healthcheck: '%s' is not an http:// or https:// URL\n",
		        url);
		return 1;
	}
	c.fd = dial(&u, deadline, why, sizeof(why));
	if (c.fd < 0 || (u.tls && conn_tls(&c, &u, deadline, why, sizeof(why))))
		goto out;
	snprintf(
	    req, sizeof(req),
	    "GET %s HTTP/1.1\r\nHost: %s%s%s:%s\r\nUser-Agent: graphmock-healthcheck\r\n"
	    "Connection: close\r\n\r\n",
	    u.path, strchr(u.host, ':') ? "[" : "", u.host,
	    strchr(u.host, ':') ? "]" : "", u.port);
	if (conn_send(&c, req, strlen(req))) {
		snprintf(why, sizeof(why), "sending the request failed");
		goto out;
	}
	answer = malloc(HC_ANSWER_MAX);
	if (!answer) {
		snprintf(why, sizeof(why), "out of memory");
		goto out;
	}
	conn_recv_all(&c, answer, HC_ANSWER_MAX, deadline);
	rc = judge(&u, answer, why, sizeof(why));
out:
	fprintf(out, "healthcheck: GET %s: %s\n", url, why);
	free(answer);
	conn_close(&c);
	return rc;
}
