/*
 * server/healthcheck.h - `graphmock --healthcheck [URL]`: one GET, exit 0 on
 * 200, so a container image needs no curl for its HEALTHCHECK.
 */
#ifndef GRAPHMOCK_SERVER_HEALTHCHECK_H
#define GRAPHMOCK_SERVER_HEALTHCHECK_H

#include <stddef.h>
#include <stdio.h>

struct config;

/* How long the whole check may take (connect, TLS, request, answer). */
#define HEALTHCHECK_TIMEOUT_MS 5000

/*
 * healthcheck_default_url() - the health URL of the server @cfg describes:
 * its scheme (https with --tls-cert), a loopback address for the wildcard
 * and default listen addresses, its port, /_mock/health. 0, or -1 when the
 * port is 0 (unknown) with the reason in @err.
 */
int healthcheck_default_url(const struct config *cfg, char *url, size_t len, char *err,
                            size_t errlen);

/*
 * healthcheck_run() - GET @url (http or https, certificate not verified:
 * the probe is of a server, not of its certificate) within
 * HEALTHCHECK_TIMEOUT_MS. Healthy is 200, and for /_mock/health also a body
 * with "status":"ok". Prints one line on @out saying what it saw. Returns
 * 0 healthy, 1 not.
 */
int healthcheck_run(const char *url, FILE *out);

#endif
