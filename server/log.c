/*
 * server/log.c - the access log: one line per request on stderr, as text or
 * JSON. One fprintf per line so concurrent workers never interleave a line.
 */
#include <stdio.h>
#include <stdlib.h>

#include "req.h"
#include "resp.h"
#include "srv.h"

void srv_log_access(const struct srv *srv, const struct req *req, const struct resp *resp,
                    int64_t micros)
{
	const char *path = req->path ? req->path : "";

	if (srv->cfg.quiet)
		return;
	if (srv->cfg.log_format == LOG_JSON) {
		json_t *line =
		    json_pack("{s:s, s:s, s:i, s:I, s:s}", "method", req->method, "path",
		              path, "status", (int)resp->status, "micros",
		              (json_int_t)micros, "requestId", req->request_id);
		char *text =
		    line ? json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		if (text)
			fprintf(stderr, "%s\n", text);
		free(text);
		json_decref(line);
		return;
	}
	fprintf(stderr, "%s %s %u %lldus\n", req->method, path, resp->status,
	        (long long)micros);
}
