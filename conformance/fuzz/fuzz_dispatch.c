/*
 * conformance/fuzz/fuzz_dispatch.c - one fuzz target for everything a request
 * reaches without a socket: path splitting and decoding, the router, JSON
 * bodies, OData options and every handler, against the default fixture.
 *
 * Input: "METHOD PATH[?QUERY]\n" then "Name: value\n" header lines, an empty
 * line, and the body. Built with clang -fsanitize=fuzzer by `make fuzz`; built
 * with -DFUZZ_MAIN and replay_main.c it replays files given on the command
 * line (make test replays conformance/fuzz/corpus under ASan + UBSan).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../routes/registry.h"
#include "../../server/exchange.h"
#include "../../server/srv.h"
#include "../../state/load/fixture.h"
#include "../../state/load/tenants.h"
#include "replay.h"

static struct srv *fuzz_srv(void)
{
	static struct srv *srv;
	char err[256];

	if (srv)
		return srv;
	srv = calloc(1, sizeof(*srv));
	json_t *doc = json_loads(default_fixture_json, 0, NULL);
	if (!srv || !doc || state_init(&srv->state, 1) ||
	    state_load(&srv->state, doc, err, sizeof(err)))
		abort();
	json_decref(doc);
	config_defaults(&srv->cfg);
	srv->cfg.quiet = true;
	srv->cfg.journal_size = 64;
	/* the route tables, /_mock/faults' engine, /_mock/requests' journal */
	if (srv_features_init(srv, &registry_routes))
		abort();
	srv->faults.quiet = true;
	/* no webhook handshakes: a fuzzed notificationUrl must not reach the network */
	srv->services.webhooks_validate = NULL;
	return srv;
}

static void run_one(const uint8_t *data, size_t size)
{
	struct srv *srv = fuzz_srv();
	char *text = malloc(size + 1);
	struct exchange ex;

	if (!text)
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	char *line_end = strchr(text, '\n');
	char *headers = line_end ? line_end + 1 : NULL;
	if (line_end)
		*line_end = '\0';
	char *sp = strchr(text, ' ');
	if (!sp || sp - text >= 15)
		goto out;
	*sp = '\0';
	char *path = sp + 1;
	char *query = strchr(path, '?');
	if (query)
		*query++ = '\0';

	exchange_init(&ex);
	snprintf(ex.req.method, sizeof(ex.req.method), "%s", text);
	snprintf(ex.req.base_url, sizeof(ex.req.base_url), "http://127.0.0.1:8080");
	char *body = NULL;
	while (headers && *headers) {
		char *eol = strchr(headers, '\n');
		if (eol)
			*eol = '\0';
		if (!*headers) {
			body = eol ? eol + 1 : NULL;
			break;
		}
		char *colon = strchr(headers, ':');
		if (colon) {
			*colon = '\0';
			req_add_header(&ex.req, headers,
			               colon[1] == ' ' ? colon + 2 : colon + 1);
		}
		headers = eol ? eol + 1 : NULL;
	}
	if (body && body < text + size) /* to the end: a gzip body holds NULs */
		req_set_body(&ex.req, body, (size_t)(text + size - body));
	if (req_set_path(&ex.req, path) ||
	    (query && req_add_query_string(&ex.req, query)))
		goto out_release;
	exchange_run(srv, &ex, 0);
out_release:
	exchange_release(&ex);
out:
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run_one(data, size);
	return 0;
}

#ifdef FUZZ_MAIN
const char fuzz_replay_name[] = "fuzz corpus";

void fuzz_replay_done(void)
{
	srv_features_release(fuzz_srv()); /* route indexes, notify, journal, faults */
	state_release(&fuzz_srv()->state);
	free(fuzz_srv());
}
#endif
