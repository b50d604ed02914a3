/*
 * server/log.c - the access log: one line per request on stderr, as text or
 * JSON. One write per line so concurrent workers never interleave a line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jwriter.h"
#include "core/req.h"
#include "core/resp.h"
#include "srv.h"

/* {"method","path","status","micros","requestId"} written without a json_t. */
static void json_line(const struct req *req, const char *path, unsigned status,
                      int64_t micros)
{
	struct buf w;
	char num[48];
	char *text;
	size_t len;

	buf_init(&w, 1 << 20);
	buf_add(&w, "{", 1);
	jwriter_key(&w, "method");
	jwriter_string(&w, req->method, strlen(req->method));
	buf_add(&w, ",", 1);
	jwriter_key(&w, "path");
	jwriter_string(&w, path, strlen(path));
	len = (size_t)snprintf(num, sizeof(num), ",\"status\":%d,\"micros\":%lld,",
	                       (int)status, (long long)micros);
	buf_add(&w, num, len);
	jwriter_key(&w, "requestId");
	jwriter_string(&w, req->request_id, strlen(req->request_id));
	buf_add(&w, "}\n", 2);
	text = buf_detach(&w, &len);
	if (text)
		fwrite(text, 1, len, stderr); /* one write per line: no interleaving */
	free(text);
}

void srv_log_access(const struct srv *srv, const struct req *req, const struct resp *resp,
                    int64_t micros)
{
	const char *path = req->path ? req->path : "";

	if (srv->cfg.quiet)
		return;
	if (srv->cfg.log_format == LOG_JSON) {
		json_line(req, path, resp->status, micros);
		return;
	}
	fprintf(stderr, "%s %s %u %lldus\n", req->method, path, resp->status,
	        (long long)micros);
}
