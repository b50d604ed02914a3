/*
 * server/journal.h - the request journal: the last N requests (method, path,
 * query, selected headers, body prefix, status, duration, tenant, fault) in a
 * ring, for tests that verify what a client sent (GET /_mock/requests).
 * Thread-safe: the journal has its own mutex, never held with another lock.
 */
#ifndef GRAPHMOCK_SERVER_JOURNAL_H
#define GRAPHMOCK_SERVER_JOURNAL_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JOURNAL_BODY_MAX 4096

struct req;

#define JOURNAL_HEADERS 8 /* how many request headers are kept (journal.c) */

/*
 * One recorded request. path, query, header[] and body point into @arena,
 * one allocation per entry that the entry owns (NULL pointers when it failed).
 */
struct journal_entry {
	uint64_t seq;
	int64_t time_ms; /* mock clock at arrival */
	char method[16];
	char *arena;
	char *path;
	char *query;                   /* "a=b&c=d" decoded, "" when none */
	char *header[JOURNAL_HEADERS]; /* kept headers' values; NULL when absent */
	char *body;                    /* up to JOURNAL_BODY_MAX bytes, NULL when none */
	bool body_truncated;
	unsigned status; /* 0 when the connection was dropped */
	int64_t duration_us;
	char tenant[40];
	char request_id[40];
	char fault[24]; /* "" or the fault kind applied ("error", "connection", ...) */
	char fault_detail[16]; /* "reset", "429", "200ms", ... */
	char rule_id[64];
};

struct journal {
	pthread_mutex_t lock;
	struct journal_entry *ring;
	size_t cap;  /* 0: the journal is disabled */
	size_t head; /* next slot to write */
	size_t count;
	uint64_t seq;
};

/* Filters of GET /_mock/requests; NULL/0 fields do not filter. */
struct journal_filter {
	const char *method;
	const char *path; /* glob as fault_path_match() reads it */
	unsigned status;
	int64_t since_ms;    /* entries at or after; -1 = any */
	const char *tenant;  /* tenant id the request acted on */
	uint64_t after;      /* only entries with a larger seq (0 = any) */
	const char *exclude; /* leave out paths matching this glob */
	size_t last;         /* only the newest @last matches (0 = all) */
};

/* journal_init() - a ring of @cap entries (0 disables recording). 0 or -1. */
int journal_init(struct journal *j, size_t cap);

/* journal_release() - free every entry and the lock. */
void journal_release(struct journal *j);

/*
 * journal_fill() - an entry for @req (borrowed; copies what it keeps) with
 * @status and @duration_us. Fault fields are left for the caller. The entry
 * must then go to journal_record() or journal_entry_release().
 */
void journal_fill(struct journal_entry *en, const struct req *req, unsigned status,
                  int64_t duration_us);

/* journal_record() - append @en (steals its contents), dropping the oldest if full. */
void journal_record(struct journal *j, struct journal_entry *en);

/* journal_entry_release() - free what @en owns. */
void journal_entry_release(struct journal_entry *en);

/*
 * journal_query() - {"lastSeq": N, "value": [...]}: matching entries,
 * oldest first, and the seq of the newest entry recorded so far (matching
 * or not; 0 when none), from which a poller continues with f->after.
 * New ref.
 */
json_t *journal_query(struct journal *j, const struct journal_filter *f);

/* journal_clear() - forget every entry. */
void journal_clear(struct journal *j);

/*
 * journal_secret_name() - is the @n-byte key @name one whose value the
 * journal never keeps (password, client_secret, client_assertion,
 * authorization, ...; any case)?
 */
bool journal_secret_name(const char *name, size_t n);

/*
 * journal_redact() - @len bytes of a request body (JSON, or form-encoded)
 * with every secret key's value replaced by "REDACTED" (journal_redact.c).
 * Returns: new NUL-terminated string (length in *@out_len), or NULL on OOM.
 */
char *journal_redact(const char *text, size_t len, size_t *out_len);

#endif
