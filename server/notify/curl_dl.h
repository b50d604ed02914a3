/*
 * server/notify/curl_dl.h - libcurl, opened the first time a webhook is
 * called rather than when the server starts.
 *
 * Linked at start-up, libcurl-gnutls maps some twenty libraries of its own
 * (OpenSSL's libcrypto through libssh2, Kerberos, LDAP, SASL, RTMP,
 * nghttp2, brotli, zstd): about 3.5 MiB of an idle server's resident memory
 * (bench/results.md), for change notifications that most runs never send.
 * So the server does not link it: the delivery code asks curl_dl() for its
 * functions, and the first call opens the library (dlopen), as systemd
 * does for its optional libraries. The header still comes from libcurl's
 * development files, and each function's type from its declaration there,
 * so a call through the table is checked as a direct one would be.
 */
#ifndef GRAPHMOCK_SERVER_NOTIFY_CURL_DL_H
#define GRAPHMOCK_SERVER_NOTIFY_CURL_DL_H

#include <curl/curl.h>

/* The functions server/notify/ calls, without their "curl_" prefix. */
#define CURL_DL_FUNCTIONS(X)                                                             \
	X(global_init)                                                                   \
	X(global_cleanup)                                                                \
	X(easy_init)                                                                     \
	X(easy_setopt)                                                                   \
	X(easy_perform)                                                                  \
	X(easy_getinfo)                                                                  \
	X(easy_cleanup)                                                                  \
	X(easy_strerror)                                                                 \
	X(easy_escape)                                                                   \
	X(free)                                                                          \
	X(slist_append)                                                                  \
	X(slist_free_all)                                                                \
	X(multi_init)                                                                    \
	X(multi_add_handle)                                                              \
	X(multi_remove_handle)                                                           \
	X(multi_perform)                                                                 \
	X(multi_poll)                                                                    \
	X(multi_wakeup)                                                                  \
	X(multi_info_read)                                                               \
	X(multi_cleanup)

/* curl_easy_init() is called as lib->easy_init(), with curl's own types. */
struct curl_dl {
#define CURL_DL_FIELD(name) __typeof__(curl_##name) *name;
	CURL_DL_FUNCTIONS(CURL_DL_FIELD)
#undef CURL_DL_FIELD
};

/*
 * curl_dl() - libcurl's functions, the library opened by the first call
 * (any thread; later calls only read). Returns: the table, or NULL when the
 * library or one of its functions cannot be found (said once on stderr,
 * and by curl_dl_error()).
 */
const struct curl_dl *curl_dl(void);

/* curl_dl_error() - why curl_dl() answered NULL ("" when it did not). */
const char *curl_dl_error(void);

#endif
