/*
 * server/control.c - the control-plane pieces main() and the admin routes
 * share: starting the fault engine, journal and latency timer; --faults
 * files; saving and loading --state-file atomically.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../state/changelog.h"
#include "../state/load/export.h"
#include "../state/load/fixture_read.h"
#include "../state/util/buf.h"
#include "../state/util/jparse.h"
#include "export_stream.h"
#include "../state/mail_delivery.h"
#include "core/call.h"
#include "core/error.h"
#include "core/req.h"
#include "core/resp.h"
#include "core/router.h"
#include "auth/cert.h"
#include "exchange.h"
#include "srv.h"
#include "../state/load/tenants.h"

/* The server's own route tables: features routes/ cannot reach. */
extern const struct route batch_routes[];
extern const struct route fault_admin_routes[];
extern const struct route journal_admin_routes[];
extern const struct route keys_admin_routes[];
extern const struct route notify_admin_routes[];
static const struct route control_routes[];

static const struct route *const server_graph_tables[] = {batch_routes, NULL};
static const struct route *const server_root_tables[] = {
    fault_admin_routes,  journal_admin_routes, keys_admin_routes,
    notify_admin_routes, control_routes,       NULL};

/* @out = @a then @b (both NULL-terminated), within SRV_MAX_TABLES. */
static int join_tables(const struct route **out, const struct route *const *a,
                       const struct route *const *b)
{
	size_t n = 0;

	for (; a && *a; a++)
		if (n + 1 < SRV_MAX_TABLES)
			out[n++] = *a;
	for (; b && *b; b++)
		if (n + 1 < SRV_MAX_TABLES)
			out[n++] = *b;
	out[n] = NULL;
	return n + 1 < SRV_MAX_TABLES ? 0 : -1;
}

static char *services_token_sign(void *ctx, const json_t *claims)
{
	struct keyring *keys = srv_keyring(ctx);

	return keys ? keyring_sign(keys, claims) : NULL;
}

static json_t *services_token_keys(void *ctx)
{
	struct srv *srv = ctx;
	struct keyring *keys = srv_keyring(srv);

	return keys ? keyring_jwks(keys, state_now_ms(&srv->state) / 1000) : NULL;
}

static char *services_seal(void *ctx, const json_t *payload)
{
	return seal(&((struct srv *)ctx)->sealer, payload);
}

static json_t *services_unseal(void *ctx, const char *sealed)
{
	return unseal(&((struct srv *)ctx)->sealer, sealed);
}

static int services_cert_describe(void *ctx, const char *b64der, struct svc_cert *out)
{
	struct cert_info ci;

	(void)ctx;
	if (cert_describe(b64der, &ci))
		return -1;
	memcpy(out->sha1_hex, ci.sha1_hex, sizeof(out->sha1_hex));
	memcpy(out->x5t, ci.x5t, sizeof(out->x5t));
	memcpy(out->x5t_s256, ci.x5t_s256, sizeof(out->x5t_s256));
	memcpy(out->sha1_b64, ci.sha1_b64, sizeof(out->sha1_b64));
	out->not_before_ms = ci.not_before_ms;
	out->not_after_ms = ci.not_after_ms;
	memcpy(out->subject, ci.subject, sizeof(out->subject));
	return 0;
}

static enum svc_jws services_jws_verify(void *ctx, const char *jws, const char *b64der)
{
	(void)ctx;
	switch (cert_verify_jws(b64der, jws)) {
	case JWT_OK:
		return SVC_JWS_OK;
	case JWT_BAD_SIGNATURE:
		return SVC_JWS_BAD_SIGNATURE;
	case JWT_NOT_JWS:
	case JWT_MALFORMED:
		break;
	}
	return SVC_JWS_MALFORMED;
}

/*
 * The webhook handshake for a handler (call.h): over plain HTTP the
 * connection waits, suspended, and the delivery thread runs the checks;
 * elsewhere ($batch entries, in-process tests) they run here, blocking.
 */
static int services_webhooks_validate(void *ctx, struct call *c,
                                      struct webhook_check *checks, size_t n,
                                      call_fn *then)
{
	struct srv *srv = ctx;
	struct exchange *ex = c->ex;
	int rc;

	if (ex && (ex->caps & EXCHANGE_CAN_WAIT) && !ex->wait_checks) {
		ex->wait_checks = checks;
		ex->wait_n = n;
		ex->wait_then = then;
		ex->waiting = true;
		return 0;
	}
	notify_checks_run(&srv->notify, checks, n);
	c->checks = checks;
	c->nchecks = n;
	rc = then(c);
	c->checks = NULL;
	c->nchecks = 0;
	free(checks);
	return rc;
}

void srv_mail_rules(void *ctx, const char *tenant_id, const char *recipient,
                    struct mail_verdict *v)
{
	struct srv *srv = ctx;

	fault_engine_mail(&srv->faults, tenant_id, recipient, v);
}

int srv_features_init(struct srv *srv, const struct route_set *routes)
{
	if (join_tables(srv->graph_tables, routes->graph, server_graph_tables) ||
	    join_tables(srv->root_tables, routes->root, server_root_tables)) {
		fprintf(stderr, "too many route tables (SRV_MAX_TABLES)\n");
		return -1;
	}
	if (router_index_init(&srv->graph_index, srv->graph_tables) ||
	    router_index_init(&srv->root_index, srv->root_tables)) {
		router_index_release(&srv->graph_index);
		fprintf(stderr, "indexing the route tables failed: out of memory\n");
		return -1;
	}
	srv->services.ctx = srv;
	srv->services.token_sign = services_token_sign;
	srv->services.token_keys = services_token_keys;
	srv->services.seal = services_seal;
	srv->services.unseal = services_unseal;
	srv->services.cert_describe = services_cert_describe;
	srv->services.jws_verify = services_jws_verify;
	srv->services.credentials_open = srv->cfg.auth == AUTH_OPEN;
	sealer_init(&srv->sealer);
	srv->services.webhooks_validate = services_webhooks_validate;
	if (fault_engine_init(&srv->faults, srv->state.seed, &srv->state))
		goto out_fail;
	srv->faults.quiet = srv->cfg.quiet;
	srv->fault_header_on = config_fault_header_on(&srv->cfg);
	state_set_mail_rules(&srv->state, srv_mail_rules, srv);
	if (notify_init(&srv->notify, &srv->state, &srv->faults))
		goto out_faults;
	state_set_change_hook(&srv->state, notify_on_changes, &srv->notify);
	if (journal_init(&srv->journal, srv->cfg.journal_size))
		goto out_notify;
	pthread_mutex_init(&srv->jwt_lock, NULL);
	/* --auth jwt checks every request: make the key now, and fail early. */
	if (srv->cfg.auth == AUTH_JWT && !srv_keyring(srv))
		goto out_journal;
	return 0;

out_journal:
	pthread_mutex_destroy(&srv->jwt_lock);
	journal_release(&srv->journal);
out_notify:
	state_set_change_hook(&srv->state, NULL, NULL);
	notify_release(&srv->notify);
out_faults:
	fault_engine_release(&srv->faults);
out_fail:
	router_index_release(&srv->root_index);
	router_index_release(&srv->graph_index);
	fprintf(stderr, "starting the fault engine and journal failed\n");
	return -1;
}

void srv_features_release(struct srv *srv)
{
	if (atomic_load(&srv->jwt_state) == 1)
		keyring_release(&srv->keys);
	pthread_mutex_destroy(&srv->jwt_lock);
	journal_release(&srv->journal);
	state_set_change_hook(&srv->state, NULL, NULL);
	notify_release(&srv->notify);
	fault_engine_release(&srv->faults);
	router_index_release(&srv->root_index);
	router_index_release(&srv->graph_index);
}

struct keyring *srv_keyring(struct srv *srv)
{
	if (atomic_load(&srv->jwt_state) == 0) {
		pthread_mutex_lock(&srv->jwt_lock);
		if (atomic_load(&srv->jwt_state) == 0)
			atomic_store(
			    &srv->jwt_state,
			    keyring_init(&srv->keys, 2048, state_now_ms(&srv->state))
			        ? -1
			        : 1);
		pthread_mutex_unlock(&srv->jwt_lock);
	}
	return atomic_load(&srv->jwt_state) == 1 ? &srv->keys : NULL;
}

/* @file parsed; a fixture or state document with its users kept as text. */
static json_t *read_file(const char *file, bool fixture, char *err, size_t errlen)
{
	json_error_t jerr;
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	json_t *doc;

	if (fd >= 0) { /* fast for big fixtures */
		doc = fixture ? fixture_read_fd(fd, &jerr) : jparse_fd(fd, NULL, &jerr);
		close(fd);
	} else { /* jansson's words for a file that cannot be opened */
		doc = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr);
	}

	if (doc)
		return doc;
	if (jerr.line < 1)
		snprintf(err, errlen, "%s", jerr.text);
	else
		snprintf(err, errlen, "line %d column %d: %s", jerr.line, jerr.column,
		         jerr.text);
	return NULL;
}

json_t *srv_read_json_file(const char *file, char *err, size_t errlen)
{
	return read_file(file, false, err, errlen);
}

json_t *srv_read_fixture_file(const char *file, char *err, size_t errlen)
{
	return read_file(file, true, err, errlen);
}

int srv_load_faults_file(struct srv *srv, const char *file)
{
	char err[512];
	json_t *doc = srv_read_json_file(file, err, sizeof(err));
	json_t *rules;
	int rc;

	if (!doc) {
		fprintf(stderr, "faults file '%s': %s\n", file, err);
		return -1;
	}
	/* A bare list of rules, or {"rules": [...]}. */
	rules = json_is_object(doc) && json_object_get(doc, "rules")
	            ? json_object_get(doc, "rules")
	            : doc;
	if (!json_is_array(rules)) {
		fprintf(stderr, "faults file '%s': must be a JSON array of rules\n",
		        file);
		json_decref(doc);
		return -1;
	}
	rc = fault_engine_add(&srv->faults, rules, err, sizeof(err));
	if (rc)
		fprintf(stderr, "faults file '%s': %s\n", file, err);
	json_decref(doc);
	return rc;
}

/* fsync the directory holding @file so the rename itself is durable. */
static void sync_dir(const char *file)
{
	char *copy = strdup(file);
	int fd;

	if (!copy)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

/* Is @name "<base>.tmp." and six characters mkstemp may pick? */
static bool stale_temp_name(const char *name, const char *base)
{
	size_t n = strlen(base);

	if (strncmp(name, base, n) || strncmp(name + n, ".tmp.", 5))
		return false;
	name += n + 5;
	if (strlen(name) != 6)
		return false;
	for (; *name; name++)
		if (!isalnum((unsigned char)*name))
			return false;
	return true;
}

int srv_state_clean_temps(const char *file, bool quiet)
{
	char *d = strdup(file), *b = strdup(file);
	const char *dir, *base;
	struct dirent *e;
	DIR *dp;
	int removed = 0;

	if (!d || !b)
		goto out;
	dir = dirname(d);
	base = basename(b);
	dp = opendir(dir);
	if (!dp)
		goto out;
	while ((e = readdir(dp))) {
		char path[4096];

		if (!stale_temp_name(e->d_name, base))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path))
			continue;
		removed++;
		if (!quiet)
			fprintf(stderr, "removed stale temp file '%s'\n", path);
	}
	closedir(dp);
out:
	free(d);
	free(b);
	return removed;
}

int srv_state_save(struct srv *srv, const char *file, char *err, size_t errlen)
{
	struct export_stream *es = export_stream_new(&srv->state);
	char tmp[4096];
	FILE *f = NULL;
	size_t len;
	int fd = -1;

	if (!es) {
		snprintf(err, errlen, "exporting the state failed (out of memory)");
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", file);
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a temporary file next to '%s': %s",
		         file, strerror(errno));
		export_stream_free(es);
		return -1;
	}
	f = fdopen(fd, "w");
	if (!f || export_stream_write(es, f, &len)) {
		snprintf(err, errlen, "writing '%s' failed: %s", tmp, strerror(errno));
		goto out_unlink;
	}
	if (fsync(fd)) {
		snprintf(err, errlen, "writing '%s' failed: %s", tmp, strerror(errno));
		goto out_unlink;
	}
	fclose(f);
	f = NULL;
	fd = -1;
	if (rename(tmp, file)) {
		snprintf(err, errlen, "renaming '%s' to '%s' failed: %s", tmp, file,
		         strerror(errno));
		goto out_unlink;
	}
	sync_dir(file);
	export_stream_free(es);
	return 0;

out_unlink:
	if (f)
		fclose(f);
	else if (fd >= 0)
		close(fd);
	unlink(tmp);
	export_stream_free(es);
	return -1;
}

char *srv_state_dump(struct state *st)
{
	struct export_stream *es = export_stream_new(st);
	struct buf w;
	int more = es ? 1 : -1;

	buf_init(&w, RESP_TEXT_MAX);
	while (more > 0)
		more = export_stream_next(es, &w);
	export_stream_free(es);
	if (more < 0) {
		buf_release(&w);
		return NULL;
	}
	return buf_detach(&w, NULL);
}

int srv_state_load_file(struct srv *srv, const char *file, char *err, size_t errlen)
{
	json_t *doc = srv_read_fixture_file(file, err, errlen);
	int rc;

	if (!doc)
		return -1;
	rc = state_replace(&srv->state, doc, err, errlen);
	json_decref(doc);
	return rc;
}

/* POST /_mock/state/save: write --state-file now (docs: README "Admin plane"). */
static int state_save(struct call *c)
{
	const char *file = c->srv->cfg.state_file;
	char err[512];

	if (!file)
		return resp_error(c->resp, GERR_BAD_REQUEST,
		                  "graphmock was started without --state-file; there is "
		                  "nowhere to save.");
	if (srv_state_save(c->srv, file, err, sizeof(err)))
		return resp_error(c->resp, GERR_INTERNAL, "Saving the state failed: %s",
		                  err);
	return resp_json(c->resp, 200, json_pack("{s:s}", "savedTo", file));
}

static int stream_next(void *ctx, struct buf *out)
{
	return export_stream_next(ctx, out);
}

static void stream_release(void *ctx)
{
	export_stream_free(ctx);
}

/*
 * GET /_mock/state: all state in the fixture format. On the admin thread
 * (ROUTE_BACKGROUND) it is written to an unlinked temp file as it is
 * rendered, tenant by tenant, each under its own lock alone, and sent from
 * there: no export is ever whole in memory.
 */
static int state_get(struct call *c)
{
	struct resp_stream s = {stream_next, stream_release, export_stream_new(c->st),
	                        NULL, 0};
	FILE *f;

	if (!s.ctx)
		return resp_error(c->resp, GERR_INTERNAL, "Exporting the state failed.");
	f = tmpfile();
	if (f && !export_stream_write(s.ctx, f, &s.file_len) && !fseek(f, 0, SEEK_SET)) {
		export_stream_free(s.ctx);
		s = (struct resp_stream){NULL, NULL, NULL, f, s.file_len};
	} else if (f) {
		fclose(f);
		export_stream_free(s.ctx);
		return resp_error(c->resp, GERR_INTERNAL, "Exporting the state failed.");
	}
	/* no temp file to be had: the pieces go out as they come */
	return resp_stream(c->resp, 200, "application/json", &s);
}

static const struct route control_routes[] = {
    {"GET", "/_mock/state", state_get, ROUTE_STATE_NONE | ROUTE_BACKGROUND, NULL, NULL},
    {"POST", "/_mock/state/save", state_save, ROUTE_STATE_NONE | ROUTE_BACKGROUND, NULL,
     NULL},
    {0},
};
