/*
 * conformance/server.c - process control for the graphmock under test
 * (fork/exec, address from stdout, exit status) and its tenant admin calls.
 */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "case.h"
#include "http.h"

#define MAX_ARGV     48
#define LINE_MAX_LEN 4096
#define SNIPPET      200

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap_ms(long ms)
{
	struct timespec ts = {0, ms * 1000000L};

	nanosleep(&ts, NULL);
}

static void describe(int status, char *msg, size_t len)
{
	if (WIFEXITED(status))
		snprintf(msg, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(msg, len, "was killed by signal %d (%s)", WTERMSIG(status),
		         strsignal(WTERMSIG(status)));
	else
		snprintf(msg, len, "ended with wait status %d", status);
}

void server_trim_base(char *base)
{
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		base[--n] = '\0';
}

/* "graphmock listening on http://0.0.0.0:8080" -> base "http://127.0.0.1:8080". */
static bool parse_listen(struct server *srv, const char *line)
{
	static const char *const wild[][2] = {{"0.0.0.0:", "127.0.0.1:"},
	                                      {"[::]:", "[::1]:"}};
	const char *url, *host;
	size_t i, n;

	if (strncmp(line, SERVER_LISTEN_PREFIX, strlen(SERVER_LISTEN_PREFIX)) != 0)
		return false;
	url = line + strlen(SERVER_LISTEN_PREFIX);
	host = strstr(url, "://");
	if (!host)
		return false;
	host += 3;
	if (strlen(url) >= sizeof(srv->base) - 8)
		return false;
	memcpy(srv->base, url, strlen(url) + 1);
	for (i = 0; i < sizeof(wild) / sizeof(wild[0]); i++) {
		n = strlen(wild[i][0]);
		if (strncmp(host, wild[i][0], n) == 0)
			snprintf(srv->base, sizeof(srv->base), "%.*s%s%s",
			         (int)(host - url), url, wild[i][1], host + n);
	}
	n = strlen(srv->base);
	while (n > 0 && (srv->base[n - 1] == '\r' || srv->base[n - 1] == ' '))
		srv->base[--n] = '\0';
	server_trim_base(srv->base);
	return true;
}

static void *drain(void *arg)
{
	const struct server *srv = arg;
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(srv->out, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		fwrite(buf, 1, (size_t)n, stderr);
	}
	return NULL;
}

/* Read the server's stdout until its address shows up, a timeout, or EOF. */
static int wait_listening(struct server *srv, char *msg, size_t len)
{
	char buf[LINE_MAX_LEN];
	struct pollfd pfd = {srv->out, POLLIN, 0};
	long deadline = now_ms() + SERVER_START_TIMEOUT_MS;
	size_t used = 0, taken;
	char *nl;
	ssize_t n;

	for (;;) {
		if (now_ms() >= deadline) {
			snprintf(msg, len, "no '%s' line within %ld ms",
			         SERVER_LISTEN_PREFIX, SERVER_START_TIMEOUT_MS);
			return -1;
		}
		if (poll(&pfd, 1, (int)(deadline - now_ms())) <= 0)
			continue;
		n = read(srv->out, buf + used, sizeof(buf) - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(msg, len,
			         "server closed its stdout before printing '%s'",
			         SERVER_LISTEN_PREFIX);
			return -1;
		}
		used += (size_t)n;
		buf[used] = '\0';
		for (;;) {
			nl = memchr(buf, '\n', used);
			if (!nl)
				break;
			*nl = '\0';
			taken = (size_t)(nl + 1 - buf);
			if (parse_listen(srv, buf)) {
				fwrite(nl + 1, 1, used - taken, stderr);
				return 0;
			}
			fprintf(stderr, "%s\n", buf);
			memmove(buf, nl + 1, used - taken);
			used -= taken;
		}
		if (used == sizeof(buf) - 1) {
			fwrite(buf, 1, used, stderr);
			used = 0;
		}
	}
}

static void exec_child(int fds[2], const char *path, char *const argv[])
{
	int null = open("/dev/null", O_RDONLY);

	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		close(null);
	}
	dup2(fds[1], STDOUT_FILENO);
	close(fds[0]);
	close(fds[1]);
	signal(SIGPIPE, SIG_DFL);
	/* do not outlive a runner that is killed outright */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	execvp(path, argv);
	fprintf(stderr, "conformance: cannot run '%s': %s\n", path, strerror(errno));
	_exit(127);
}

/* Wait for the process without hanging: SIGKILL after @ms. */
static void reap(struct server *srv, long ms)
{
	long deadline = now_ms() + ms;

	while (!srv->exited) {
		if (waitpid(srv->pid, &srv->status, WNOHANG) == srv->pid) {
			srv->exited = true;
			break;
		}
		if (now_ms() >= deadline) {
			kill(srv->pid, SIGKILL);
			waitpid(srv->pid, &srv->status, 0);
			srv->exited = true;
			break;
		}
		nap_ms(10);
	}
}

int server_start(struct server *srv, const char *path, const char *const *args,
                 size_t nargs, char *msg, size_t len)
{
	char *argv[MAX_ARGV];
	char how[128];
	size_t i, n = 0;
	int fds[2];

	memset(srv, 0, sizeof(*srv));
	srv->out = -1;
	if (nargs + 7 > MAX_ARGV) {
		snprintf(msg, len, "too many --server-arg options");
		return -1;
	}
	argv[n++] = (char *)path;
	argv[n++] = (char *)"--port";
	argv[n++] = (char *)"0";
	argv[n++] = (char *)"--seed";
	argv[n++] = (char *)"1";
	argv[n++] = (char *)"--quiet";
	for (i = 0; i < nargs; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	if (pipe(fds)) {
		snprintf(msg, len, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	srv->pid = fork();
	if (srv->pid < 0) {
		snprintf(msg, len, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (srv->pid == 0)
		exec_child(fds, path, argv);
	close(fds[1]);
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	srv->out = fds[0];
	if (wait_listening(srv, msg, len) == 0) {
		srv->draining = pthread_create(&srv->drain, NULL, drain, srv) == 0;
		return 0;
	}
	kill(srv->pid, SIGTERM);
	reap(srv, 1000);
	describe(srv->status, how, sizeof(how));
	n = strlen(msg);
	snprintf(msg + n, len - n, " ('%s' %s)", path, how);
	close(srv->out);
	return -1;
}

bool server_exited(struct server *srv, char *msg, size_t len)
{
	if (!srv->exited && waitpid(srv->pid, &srv->status, WNOHANG) == srv->pid)
		srv->exited = true;
	if (srv->exited)
		describe(srv->status, msg, len);
	return srv->exited;
}

int server_stop(struct server *srv, char *msg, size_t len)
{
	bool killed = false;
	int ret = 0;

	if (!srv->exited) {
		kill(srv->pid, SIGTERM);
		reap(srv, SERVER_STOP_TIMEOUT_MS);
		killed = WIFSIGNALED(srv->status) && WTERMSIG(srv->status) == SIGKILL;
	}
	if (killed) {
		snprintf(msg, len, "server did not exit within %ld ms of SIGTERM; killed",
		         SERVER_STOP_TIMEOUT_MS);
		ret = -1;
	} else if (!WIFEXITED(srv->status) || WEXITSTATUS(srv->status) != 0) {
		describe(srv->status, msg, len);
		ret = -1;
	}
	if (srv->draining)
		pthread_join(srv->drain, NULL);
	close(srv->out);
	return ret;
}

static int admin_call(struct http_client *http, const char *method, const char *url,
                      long want, struct http_response *rs, char *msg, size_t len)
{
	struct http_request rq = {method, url, NULL, 0, NULL, 0};

	if (http_send(http, &rq, rs)) {
		snprintf(msg, len, "%s %s: %s", method, url, rs->error);
		return -1;
	}
	if (rs->status != want) {
		snprintf(msg, len, "%s %s: expected %ld, got %ld: %.*s", method, url,
		         want, rs->status,
		         (int)(rs->body_len < SNIPPET ? rs->body_len : SNIPPET),
		         rs->body);
		return -1;
	}
	return 0;
}

int server_tenant_create(struct http_client *http, const char *base, char *id,
                         char *domain, size_t size, char *msg, size_t len)
{
	char url[SERVER_BASE_MAX + 64];
	struct http_response rs;
	const char *i, *d;
	json_t *body = NULL;
	int ret = -1;

	snprintf(url, sizeof(url), "%s/_mock/tenants", base);
	if (admin_call(http, "POST", url, 201, &rs, msg, len))
		goto out;
	body = json_loadb(rs.body, rs.body_len, 0, NULL);
	i = json_string_value(json_object_get(body, "id"));
	d = json_string_value(json_object_get(body, "domain"));
	if (!i || !d || strlen(i) >= size || strlen(d) >= size) {
		snprintf(msg, len,
		         "POST %s: want {\"id\": string, \"domain\": string}, got %.*s",
		         url, (int)(rs.body_len < SNIPPET ? rs.body_len : SNIPPET),
		         rs.body);
		goto out;
	}
	snprintf(id, size, "%s", i);
	snprintf(domain, size, "%s", d);
	ret = 0;
out:
	json_decref(body);
	http_response_release(&rs);
	return ret;
}

int server_tenant_delete(struct http_client *http, const char *base, const char *id,
                         char *msg, size_t len)
{
	char raw[SERVER_BASE_MAX + 512];
	struct http_response rs;
	char *url;
	int ret;

	snprintf(raw, sizeof(raw), "%s/_mock/tenants/%s", base, id);
	url = case_url_encode(raw);
	if (!url) {
		snprintf(msg, len, "out of memory");
		return -1;
	}
	ret = admin_call(http, "DELETE", url, 204, &rs, msg, len);
	http_response_release(&rs);
	free(url);
	return ret;
}
