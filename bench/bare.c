/*
 * bench/bare.c - the ceiling of graphmock's stack: libmicrohttpd alone, one
 * epoll thread, answering the bench's requests with fixed bodies read from
 * DIR (list.json, single.json, post.json, invite.json) and no parsing at all.
 * Usage: bare PORT DIR. Built by make bench.
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct MHD_Response *resp[5];

static struct MHD_Response *load(const char *dir, const char *name)
{
	char path[512];
	static char buf[5][65536];
	static int n;
	FILE *f;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	len = f ? fread(buf[n], 1, sizeof(buf[n]), f) : 0;
	if (f)
		fclose(f);
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(len, buf[n++], MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	return r;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *size, void **req_cls)
{
	(void)cls, (void)version, (void)data;
	if (!*req_cls) { /* headers only: wait for the body */
		*req_cls = c;
		return MHD_YES;
	}
	if (*size) { /* the upload: dropped */
		*size = 0;
		return MHD_YES;
	}
	if (!strcmp(method, "GET"))
		return MHD_queue_response(c, 200, strncmp(url, "/v1.0/users/", 12) ? resp[0] : resp[1]);
	if (strstr(url, "/$ref"))
		return MHD_queue_response(c, 204, resp[4]);
	return MHD_queue_response(c, 201, strstr(url, "/invitations") ? resp[2] : resp[3]);
}

int main(int argc, char **argv)
{
	sigset_t s;
	int sig;

	if (argc != 3)
		return 2;
	resp[0] = load(argv[2], "list.json");
	resp[1] = load(argv[2], "single.json");
	resp[2] = load(argv[2], "invite.json");
	resp[3] = load(argv[2], "post.json");
	resp[4] = load(argv[2], "empty"); /* no such file: no body */
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGINT);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	if (!MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO,
	                      (unsigned short)atoi(argv[1]), NULL, NULL, &answer, NULL,
	                      MHD_OPTION_CONNECTION_LIMIT, 4096u, MHD_OPTION_END))
		return 1;
	printf("bare listening on http://127.0.0.1:%s\n", argv[1]);
	fflush(stdout);
	sigwait(&s, &sig);
	return 0;
}
