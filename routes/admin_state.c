/*
 * routes/admin_state.c - /_mock/state: export all state in the fixture
 * format, replace it atomically, and save it to --state-file.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../server/error.h"
#include "../server/req.h"
#include "../server/resp.h"
#include "../server/router.h"
#include "../server/srv.h"
#include "../state/export.h"

static int state_get(struct state *st, const struct req *req, struct resp *resp)
{
	json_t *doc = state_export(st);

	(void)req;
	if (!doc)
		return resp_error(resp, GERR_INTERNAL, "Exporting the state failed.");
	return resp_json(resp, 200, doc);
}

static int state_put(struct state *st, const struct req *req, struct resp *resp)
{
	char err[512];

	/* state_load() validates the whole document before it replaces anything. */
	if (srv_state_replace(st, req->body, err, sizeof(err)))
		return resp_error(resp, GERR_BAD_REQUEST, "Invalid state document: %s",
		                  err);
	return resp_empty(resp, 204);
}

static int state_save(struct state *st, const struct req *req, struct resp *resp)
{
	const struct srv *srv = st->server;
	const char *file = srv->cfg.state_file;
	char err[512];
	char *text;
	int rc;

	(void)req;
	if (!file)
		return resp_error(
		    resp, GERR_BAD_REQUEST,
		    "graphmock was started without --state-file; there is nowhere "
		    "to save.");
	text = srv_state_dump(st);
	if (!text)
		return resp_error(resp, GERR_INTERNAL, "Exporting the state failed.");
	rc = srv_state_write(file, text, err, sizeof(err));
	free(text);
	if (rc)
		return resp_error(resp, GERR_INTERNAL, "Saving the state failed: %s",
		                  err);
	return resp_json(resp, 200, json_pack("{s:s}", "savedTo", file));
}

const struct route admin_state_routes[] = {
    {"GET", "/_mock/state", state_get, ROUTE_NO_TENANT, NULL},
    {"PUT", "/_mock/state", state_put, ROUTE_NO_TENANT | ROUTE_JSON_BODY, NULL},
    {"POST", "/_mock/state/save", state_save, ROUTE_NO_TENANT, NULL},
    {0},
};
