/*
 * server/http/tls.h - HTTPS for the daemon (--tls-cert/--tls-key): the PEM files
 * read into memory and handed to libmicrohttpd's GnuTLS backend.
 */
#ifndef GRAPHMOCK_SERVER_HTTP_TLS_H
#define GRAPHMOCK_SERVER_HTTP_TLS_H

struct srv;
struct MHD_OptionItem;

/*
 * srv_tls_options() - read the PEM files named by srv->cfg into
 * srv->tls_pem and fill @opts (3 items) for MHD_OPTION_ARRAY: the cert and
 * key, or just MHD_OPTION_END when TLS is off. Returns the MHD_USE_TLS flag
 * to add (0 without TLS), or -1 after printing why.
 */
int srv_tls_options(struct srv *srv, struct MHD_OptionItem *opts);

/* srv_tls_release() - free srv->tls_pem. */
void srv_tls_release(struct srv *srv);

#endif
