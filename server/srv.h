/*
 * server/srv.h - the one server context main() builds and passes everywhere
 * (libmicrohttpd's cls): configuration, state, the daemon. No globals.
 */
#ifndef GRAPHMOCK_SERVER_SRV_H
#define GRAPHMOCK_SERVER_SRV_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../state/state.h"
#include "core/call.h"
#include "core/router.h"
#include "config.h"
#include "faults/fault.h"
#include "journal.h"
#include "auth/keyring.h"
#include "auth/seal.h"
#include "notify/notify.h"

struct MHD_Daemon;
struct MHD_Connection;
struct req;
struct resp;
struct route;
struct route_set;

#define SRV_MAX_TABLES 48 /* route tables of routes/ and the server together */

struct fault_sleeper_item;

/*
 * Wakes suspended connections when their injected latency is over, or when
 * their client hangs up, from one timer thread, so a delayed request never
 * holds a worker (fault_apply.c).
 */
struct fault_sleeper {
	pthread_t thread;
	pthread_mutex_t lock;
	int epfd;                         /* the sleeping sockets and @wake_fd */
	int wake_fd;                      /* eventfd: a new head, or stop */
	struct fault_sleeper_item *items; /* sorted by due time */
	unsigned count, max;
	bool started, stopping;
};

struct deferred_item;

/* graphmock's admin thread for ROUTE_BACKGROUND handlers (server/http/deferred.c). */
struct deferred {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct deferred_item *head, *tail;
	bool started, stopping;
	bool threaded; /* deferred_start(): @thread runs it; else deferred_run() */
	struct srv *srv;
};

struct srv {
	struct config cfg;
	struct state state;
	struct MHD_Daemon *daemon;
	int listen_fd;
	/* Without --listen, the same port on ::1 as well (server/http/http.c);
	 * NULL and -1 when not listening there. */
	struct MHD_Daemon *daemon_v6;
	int listen_fd_v6;
	unsigned port;      /* the bound port (differs from cfg.port when that is 0) */
	char addr[80];      /* the bound address as printed */
	int64_t started_us; /* monotonic, for uptime */
	struct fault_engine faults;
	struct fault_sleeper sleeper;
	struct deferred admin_thread;
	/* Set before srv_start(): the admin queue gets no thread, and the caller
	 * runs it (deferred_run(), server/main.c); tests leave it false. */
	bool admin_on_caller;
	/* Requests to a tenant an admin operation marks busy (tenant.busy: an
	 * export taking its snapshot) wait for its lock here, on a thread of
	 * their own: on the admin thread they would wait for the whole
	 * operation, the export's rendering included, which needs no lock. */
	struct deferred busy_waiters;
	bool fault_header_on; /* config_fault_header_on(), decided at start */
	struct journal journal;
	struct notifier notify; /* change notifications: validation and delivery */
	/* Sign graphmock's access tokens. Made on first use (RSA-2048 takes
	 * ~100 ms), or at start with --auth jwt: use srv_keyring(). */
	struct keyring keys;
	pthread_mutex_t jwt_lock;
	_Atomic int jwt_state; /* 0 not yet, 1 ready, -1 generation failed */
	struct sealer sealer;  /* refresh tokens, sign-in sessions (auth/seal.h) */
	char *tls_pem[2];      /* --tls-cert and --tls-key contents, NULL without TLS */
	struct services services; /* what routes may ask of the server (call.h) */
	/* NULL-terminated: routes/' tables, then the server's own. */
	const struct route *graph_tables[SRV_MAX_TABLES];
	const struct route *root_tables[SRV_MAX_TABLES];
	/* The same tables indexed by first segment, what requests match against. */
	struct router_index graph_index;
	struct router_index root_index;
};

/*
 * srv_features_init() - the route tables (@routes, from routes/registry.h,
 * plus the server's own), the services lent to routes, the fault engine
 * (seeded like the state) and the journal (cfg.journal_size). 0, or -1
 * after printing why. srv_features_release() undoes it; call after
 * srv_stop() (server/http/http.h) when the server was serving.
 */
int srv_features_init(struct srv *srv, const struct route_set *routes);
void srv_features_release(struct srv *srv);

/*
 * srv_keyring() - the token-signing keys, the first generated on the first
 * call. Returns: borrowed (lives as long as @srv), or NULL if generation
 * failed. Thread-safe.
 */
struct keyring *srv_keyring(struct srv *srv);

/*
 * srv_read_json_file() - parse JSON file @file (duplicate keys refused).
 * Returns: new reference, or NULL with "line L column C: problem" (or just
 * the problem, when the file cannot be read at all) in @err.
 */
json_t *srv_read_json_file(const char *file, char *err, size_t errlen);

/* srv_read_fixture_file() - the same for a fixture or state document, its
 * tenants' users kept as text until used (state/load/fixture_read.h). */
json_t *srv_read_fixture_file(const char *file, char *err, size_t errlen);

/*
 * srv_load_faults_file() - validate and install the rules of --faults FILE.
 * Returns 0, or -1 after printing "faults file 'F': rule N (id 'x'): field:
 * problem" on stderr.
 */
int srv_load_faults_file(struct srv *srv, const char *file);

/*
 * srv_state_save() - write the state export to @file atomically: a temp file
 * in the same directory, written tenant by tenant as the export streams
 * (server/export_stream.h), fsync, rename. The caller holds no lock. 0, or -1
 * with @err.
 */
int srv_state_save(struct srv *srv, const char *file, char *err, size_t errlen);

/* srv_state_dump() - the whole state export as text (new; tests). No lock held. */
char *srv_state_dump(struct state *st);

/*
 * srv_state_clean_temps() - delete the temp files a save of @file that never
 * finished left behind ("<file>.tmp.XXXXXX", mkstemp's shape; a SIGKILL
 * between mkstemp and rename leaves one). Run at start, before anything
 * saves. Reports each one on stderr unless @quiet. Returns how many went.
 */
int srv_state_clean_temps(const char *file, bool quiet);

/*
 * srv_state_load_file() - replace the state with the export in @file, keeping
 * the fixtures as the baseline POST /_mock/reset returns to. 0, or -1 with
 * @err. The caller holds no lock (state_replace() takes it for the swap).
 */
int srv_state_load_file(struct srv *srv, const char *file, char *err, size_t errlen);

/*
 * srv_mail_rules() - the fault engine's verdict on an invitation email, as
 * the state's mail hook (state_mail_rules_fn; @ctx is the struct srv).
 */
void srv_mail_rules(void *ctx, const char *tenant_id, const char *recipient,
                    struct mail_verdict *v);

/* srv_log_access() - one access-log line on stderr unless --quiet. */
void srv_log_access(const struct srv *srv, const struct req *req, const struct resp *resp,
                    int64_t micros);

#endif
