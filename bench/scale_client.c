/*
 * bench/scale_client.c - the client make bench-scale drives graphmock with
 * (libcurl, one kept-alive connection each):
 *   page URL [TENANT]         follow @odata.nextLink to the end: items (objects
 *                             opened in "value", nested ones too), pages, time,
 *                             the largest page
 *   once METHOD URL [TENANT]  one request: status, bytes, time, MB/s
 *   reader URL STOPFILE [TENANT]  GET in a loop until STOPFILE exists:
 *                             count, p50, p99, max latency
 *   writes N BASE [TENANT]    N writes of what a test makes before its reset:
 *                             users of the generated fixture changed, made,
 *                             deleted; a group's members taken out
 * Figures only. Built by make bench-scale.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct body {
	char *data;
	size_t len, cap;
};

static size_t on_data(char *p, size_t size, size_t n, void *cls)
{
	struct body *b = cls;
	size_t add = size * n;

	if (b->len + add + 1 > b->cap) {
		size_t cap = (b->len + add + 1) * 2;
		char *grown = realloc(b->data, cap);
		if (!grown)
			return 0;
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, add);
	b->len += add;
	b->data[b->len] = '\0';
	return add;
}

static size_t discard(char *p, size_t size, size_t n, void *cls)
{
	(void)p;
	*(size_t *)cls += size * n;
	return size * n;
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static CURL *handle(const char *tenant, struct curl_slist **h)
{
	CURL *c = curl_easy_init();
	char line[256];

	*h = NULL;
	if (tenant) {
		snprintf(line, sizeof(line), "X-Graphmock-Tenant: %s", tenant);
		*h = curl_slist_append(*h, line);
	}
	*h = curl_slist_append(*h, "ConsistencyLevel: eventual");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, *h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 600L);
	return c;
}

/* Items in a page: count of "\"id\":\"" at depth... good enough: objects in value. */
static long count_items(const char *s)
{
	long n = 0;

	for (const char *p = strstr(s, "\"value\":["); p && (p = strstr(p + 1, "{\"")); n++)
		;
	return n;
}

static int page(const char *url, const char *tenant)
{
	struct curl_slist *h;
	CURL *c = handle(tenant, &h);
	struct body b = {0};
	char *next = strdup(url);
	long items = 0, pages = 0;
	size_t largest = 0;
	double t0 = now_ms(), first = 0;

	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	while (next) {
		char *link;
		b.len = 0;
		curl_easy_setopt(c, CURLOPT_URL, next);
		if (curl_easy_perform(c) != CURLE_OK || !b.data) {
			fprintf(stderr, "page: %s failed\n", next);
			return 1;
		}
		if (!pages)
			first = now_ms() - t0;
		items += count_items(b.data);
		largest = b.len > largest ? b.len : largest;
		pages++;
		free(next);
		next = NULL;
		link = strstr(b.data, "\"@odata.nextLink\":\"");
		if (link) {
			link += 19;
			next = strndup(link, strcspn(link, "\""));
		}
	}
	printf("%ld items in %ld pages, %.0f ms in all (first page %.1f ms, %.2f ms a page; "
	       "largest %zu bytes)\n",
	       items, pages, now_ms() - t0, first, (now_ms() - t0) / (double)pages, largest);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	free(b.data);
	return 0;
}

static int once(const char *method, const char *url, const char *tenant)
{
	struct curl_slist *h;
	CURL *c = handle(tenant, &h);
	size_t bytes = 0;
	long status = 0;
	double t0 = now_ms(), ms;

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &bytes);
	if (curl_easy_perform(c) != CURLE_OK)
		return 1;
	ms = now_ms() - t0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	printf("%s %ld, %zu bytes, %.0f ms", method, status, bytes, ms);
	if (bytes > 1 << 20)
		printf(", %.0f MB/s", bytes / 1e6 / (ms / 1e3));
	printf("\n");
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	return 0;
}

/* One write of writes(): its status, or 0 when the transfer failed. */
static long write_one(CURL *c, const char *method, const char *url, const char *body)
{
	size_t bytes = 0;
	long status = 0;

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &bytes);
	if (curl_easy_perform(c) != CURLE_OK)
		return 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

/* Users and groups of bench/gen_scale.c: kind in the first group, n in the last. */
#define GEN_USER  0x5e7u
#define GEN_GROUP 0x6a0u

static int writes(long n, const char *base, const char *tenant)
{
	struct curl_slist *h;
	CURL *c = handle(tenant, &h);
	char url[512], body[512];
	long ok = 0;
	double t0 = now_ms();

	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	for (long i = 0; i < n; i++) {
		unsigned long u = 1000 + (unsigned long)i * 7;

		switch (i % 4) {
		case 0:
		case 1:
			snprintf(url, sizeof(url), "%s/users/%08x-0000-4000-8000-%012lx", base,
			         GEN_USER, u);
			snprintf(body, sizeof(body), "{\"jobTitle\":\"churn %ld\"}", i);
			ok += write_one(c, "PATCH", url, body) < 300;
			break;
		case 2:
			snprintf(url, sizeof(url), "%s/users", base);
			snprintf(body, sizeof(body),
			         "{\"accountEnabled\":true,\"displayName\":\"Churn %ld\","
			         "\"mailNickname\":\"churn%ld\",\"userPrincipalName\":"
			         "\"churn%ld@contoso.onmicrosoft.com\",\"passwordProfile\":"
			         "{\"password\":\"Churn-pass-%ld!\"}}",
			         i, i, i, i);
			ok += write_one(c, "POST", url, body) < 300;
			break;
		default:
			snprintf(url, sizeof(url),
			         "%s/groups/%08x-0000-4000-8000-%012x/members/"
			         "%08x-0000-4000-8000-%012lx/$ref",
			         base, GEN_GROUP, 0u, GEN_USER, u);
			ok += write_one(c, "DELETE", url, NULL) < 300;
			snprintf(url, sizeof(url), "%s/users/%08x-0000-4000-8000-%012lx", base,
			         GEN_USER, u + 1);
			ok += write_one(c, "DELETE", url, NULL) < 300;
			break;
		}
	}
	printf("%ld writes (%ld answered 2xx) in %.0f ms\n", n + n / 4, ok, now_ms() - t0);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	return 0;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int reader(const char *url, const char *stop, const char *tenant)
{
	struct curl_slist *h;
	CURL *c = handle(tenant, &h);
	size_t cap = 1 << 20, n = 0, bytes = 0;
	double *lat = malloc(cap * sizeof(*lat));

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &bytes);
	while (access(stop, F_OK) && n < cap) {
		double t0 = now_ms();
		if (curl_easy_perform(c) != CURLE_OK)
			break;
		lat[n++] = now_ms() - t0;
	}
	qsort(lat, n, sizeof(*lat), by_value);
	if (n)
		printf("%zu requests, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", n,
		       lat[n / 2], lat[n * 99 / 100], lat[n - 1]);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	free(lat);
	return 0;
}

int main(int argc, char **argv)
{
	curl_global_init(CURL_GLOBAL_ALL);
	if (argc >= 3 && !strcmp(argv[1], "page"))
		return page(argv[2], argc > 3 ? argv[3] : NULL);
	if (argc >= 4 && !strcmp(argv[1], "once"))
		return once(argv[2], argv[3], argc > 4 ? argv[4] : NULL);
	if (argc >= 4 && !strcmp(argv[1], "reader"))
		return reader(argv[2], argv[3], argc > 4 ? argv[4] : NULL);
	if (argc >= 4 && !strcmp(argv[1], "writes"))
		return writes(strtol(argv[2], NULL, 10), argv[3], argc > 4 ? argv[4] : NULL);
	fprintf(stderr, "usage: scale_client page URL [TENANT] | once METHOD URL [TENANT] | "
	                "reader URL STOPFILE [TENANT] | writes N BASE [TENANT]\n");
	return 2;
}
