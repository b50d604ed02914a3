/*
 * conformance/server.h - the graphmock process under test and its admin
 * plane: start it on port 0 and read back its address, notice if it dies,
 * stop it and judge its exit status, create and delete per-case tenants.
 */
#ifndef GRAPHMOCK_CONFORMANCE_SERVER_H
#define GRAPHMOCK_CONFORMANCE_SERVER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct http_client;

#define SERVER_BASE_MAX         256
#define SERVER_START_TIMEOUT_MS 10000L
#define SERVER_STOP_TIMEOUT_MS  10000L
#define SERVER_LISTEN_PREFIX    "graphmock listening on "

struct server {
	pid_t pid;
	int out; /* read end of the server's stdout */
	pthread_t drain;
	bool draining; /* a thread copies the server's stdout to our stderr */
	bool exited;
	int status;                 /* waitpid() status, once exited */
	char base[SERVER_BASE_MAX]; /* "http://127.0.0.1:PORT" */
};

/*
 * server_start() - run "@path --port 0 --seed 1 --quiet @args..." with its
 * stdout on a pipe, and wait up to SERVER_START_TIMEOUT_MS for the line
 * "graphmock listening on http://ADDR:PORT". Other output is copied to our
 * stderr. A wildcard ADDR (0.0.0.0, [::]) becomes the loopback address.
 * Returns 0 with srv->base set, or -1 with @msg set and nothing left running.
 */
int server_start(struct server *srv, const char *path, const char *const *args,
                 size_t nargs, char *msg, size_t len);

/*
 * server_exited() - has the server exited (without waiting)? When it has,
 * @msg describes how ("exited with status 1", "was killed by signal 6 ...").
 */
bool server_exited(struct server *srv, char *msg, size_t len);

/*
 * server_stop() - SIGTERM, then wait up to SERVER_STOP_TIMEOUT_MS (SIGKILL
 * after that). Returns 0 when the server exited with status 0, else -1
 * with @msg set; sanitizer reports make the exit status non-zero.
 */
int server_stop(struct server *srv, char *msg, size_t len);

/* server_trim_base() - drop trailing '/' from a base URL, in place. */
void server_trim_base(char *base);

/*
 * server_tenant_create() - POST @base/_mock/tenants (empty body); expects
 * 201 {"id": "...", "domain": "..."}. Copies both into @id and @domain
 * (each @size bytes). Returns 0, or -1 with @msg set.
 */
int server_tenant_create(struct http_client *http, const char *base, char *id,
                         char *domain, size_t size, char *msg, size_t len);

/* server_tenant_delete() - DELETE @base/_mock/tenants/@id; expects 204. */
int server_tenant_delete(struct http_client *http, const char *base, const char *id,
                         char *msg, size_t len);

#endif
