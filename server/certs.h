/*
 * server/certs.h - `graphmock certs DIR [NAME...]`: a throwaway CA and a
 * server certificate for localhost and the host names of Graph and Entra ID,
 * so unmodified clients can reach graphmock under their default endpoints
 * (README "Zero configuration").
 */
#ifndef GRAPHMOCK_SERVER_CERTS_H
#define GRAPHMOCK_SERVER_CERTS_H

#include <stdio.h>

/* The names every server certificate carries, NULL-terminated. */
extern const char *const certs_default_names[];

/* Validity of what certs_issue() writes, and the margin that keeps it. */
#define CERTS_DAYS        30
#define CERTS_KEEP_MARGIN (24 * 3600)

/*
 * certs_issue() - make sure @dir holds ca.pem, ca.key, server.pem,
 * server.key and server-chain.pem (server.pem then ca.pem) where server.pem
 * is issued by ca.pem, names certs_default_names and the @nextra names in
 * @extra (DNS names or IP addresses), and stays valid for CERTS_KEEP_MARGIN
 * more seconds. Files that already do are kept; otherwise all are written
 * anew (RSA-2048, SHA-256, CERTS_DAYS days; keys 0600; each file replaced
 * atomically). @dir and its parents are created. Prints one line on @out, or
 * the problem on @err. Returns 0, or -1.
 */
int certs_issue(const char *dir, const char *const *extra, int nextra, FILE *out,
                FILE *err);

#endif
