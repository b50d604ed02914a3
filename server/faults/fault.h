/*
 * server/faults/fault.h - fault rules (docs/faults.md): the rule model, parsing from
 * JSON and from the compact X-Graphmock-Fault header form, matching requests,
 * and the seeded decisions. Carrying a decision out is server/http/fault_apply.c.
 *
 * A rule = match (method, path pattern, tenant, header) + when (probability,
 * times, after, every) + one action. Rules are checked in order; the first
 * whose match fits and whose when-conditions fire decides the request.
 * Decisions draw from a PRNG seeded by --seed under the engine's own mutex,
 * so one seed and one request sequence give the same decisions.
 *
 * Locking: every fault_engine_*() function takes engine->lock itself. When a
 * caller also holds state locks (an invitation asking for a mail verdict),
 * those come first: registry, tenant, then faults. The engine never takes a
 * state lock: lag settings reach the state through its atomics.
 */
#ifndef GRAPHMOCK_SERVER_FAULTS_FAULT_H
#define GRAPHMOCK_SERVER_FAULTS_FAULT_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../state/util/guid.h"
#include "../../state/mail_delivery.h"
#include "fault_index.h"
#include "fault_match.h"
#include "throttle.h"

#define FAULT_ID_LEN 64
#define FAULT_HEADER "x-graphmock-fault"
/* Rules the engine holds at most: each request checks only those its index
 * names, but an admin plane must not be able to grow it without end. */
#define FAULT_RULES_MAX 1000
/* The longest latency one X-Graphmock-Fault header may ask for (rules: 10 min). */
#define FAULT_HEADER_LATENCY_MAX_MS 30000

struct req;
struct state;

enum fault_kind {
	FAULT_NONE,
	FAULT_ERROR,      /* answer an error instead of running the handler */
	FAULT_LATENCY,    /* delay, then the normal response */
	FAULT_CONNECTION, /* reset, close, truncate, garbage */
	FAULT_GHOST,      /* run the handler, then fail (error or reset) */
	FAULT_THROTTLE,   /* token bucket; 429 + Retry-After when empty */
	FAULT_MAIL,       /* invitation mail verdicts (not a request rule) */
	FAULT_LAG,        /* replication lag for one object kind (not a request rule) */
	FAULT_NOTIFY,     /* change-notification deliveries (not a request rule) */
};

/* What happens to one batch of change notifications (server/notify/). */
enum notify_outcome {
	NOTIFY_DELIVER,   /* as normal */
	NOTIFY_DELAY,     /* sent delay_ms later */
	NOTIFY_DROP,      /* never sent */
	NOTIFY_DUPLICATE, /* sent twice */
	NOTIFY_REORDER,   /* sent after the next batch to the same URL */
};

struct notify_verdict {
	enum notify_outcome outcome;
	int64_t delay_ms;
	char rule_id[64]; /* the rule that decided, "" for the default */
};

enum fault_conn {
	FAULT_CONN_RESET,
	FAULT_CONN_CLOSE,
	FAULT_CONN_TRUNCATE,
	FAULT_CONN_GARBAGE
};

enum retry_after_kind { RETRY_AFTER_NONE, RETRY_AFTER_SECONDS, RETRY_AFTER_DATE };

/* An error to answer: from the catalogue (docs/faults.md) or custom. */
struct fault_error {
	unsigned status;
	char code[64];
	char message[256];
	bool empty_code;       /* custom "code": "" */
	json_t *body;          /* custom body (owned) replacing the envelope, or NULL */
	bool html;             /* badGateway: non-JSON gateway page */
	bool graph_429;        /* add the nested innerError code/status of §8.1 */
	bool www_authenticate; /* 401: Graph's Bearer challenge */
	enum retry_after_kind retry; /* Retry-After header */
	char retry_after[64];        /* the header value as sent */
	int64_t retry_ms;            /* the delay it stands for (violation counting) */
};

struct fault_rule {
	char id[FAULT_ID_LEN];
	json_t *source; /* the rule as given, for GET /_mock/faults (owned) */

	/* match */
	unsigned methods; /* bit per method of fault_method_bit(); 0 = any */
	char *path;       /* pattern with * and {id}, NULL = any non-admin path */
	struct fault_pattern path_fp; /* @path compiled */
	bool path_versionless;        /* @path names no version: matches both */
	char *tenant;                 /* tenant id or domain, NULL = any */
	char *header_name;            /* lower case, NULL = none */
	char *header_value;           /* NULL = present with any value */

	/* when */
	double probability; /* 1 = always */
	int64_t times;      /* injections before the rule expires, 0 = unlimited */
	int64_t after;      /* matches to let through first */
	int64_t every;      /* inject on every Nth eligible match, 0 = each */

	/* action */
	enum fault_kind kind;
	struct fault_error error;         /* FAULT_ERROR, FAULT_THROTTLE (the 429) */
	int64_t latency_min, latency_max; /* FAULT_LATENCY, ms */
	enum fault_conn conn;             /* FAULT_CONNECTION, FAULT_GHOST with reset */
	bool ghost_reset;                 /* FAULT_GHOST: drop the connection */
	struct throttle_spec throttle;
	char *mail_to;                /* FAULT_MAIL: glob or exact address */
	struct fault_pattern mail_fp; /* @mail_to compiled */
	struct mail_verdict mail;
	int lag_target; /* FAULT_LAG: DOBJ_* or LAG_ASSIGNMENT */
	int64_t lag_ms;
	int lag_reads;
	bool disabled;    /* "enabled": false: kept and listed, never applied */
	char *notify_url; /* FAULT_NOTIFY: glob over the notificationUrl */
	struct notify_verdict notify;

	/* counters */
	int64_t matches, eligible, injections, violations;
};

/* What the router must do with one request. */
struct fault_decision {
	enum fault_kind kind; /* FAULT_NONE: serve normally */
	char rule_id[FAULT_ID_LEN];
	uint64_t seq; /* the engine's request sequence number */
	struct fault_error
	    error;             /* FAULT_ERROR/THROTTLE/GHOST: body not owned (NULL'ed) */
	json_t *body;          /* custom error body (new reference) or NULL */
	int64_t latency_ms;    /* FAULT_LATENCY */
	enum fault_conn conn;  /* FAULT_CONNECTION */
	bool ghost_reset;      /* FAULT_GHOST */
	uint64_t garbage_seed; /* FAULT_CONNECTION garbage: bytes to send */
};

struct fault_engine {
	pthread_mutex_t lock;
	struct fault_rule **rules;
	size_t nrules, cap;
	struct fault_index index; /* request rules by method and first segment */
	struct rng rng;
	uint64_t seed;
	uint64_t seq;     /* requests evaluated */
	unsigned auto_id; /* for rules without an id */
	bool quiet;       /* no decision log on stderr */
	struct throttle throttle;
	struct state *st; /* for lag rules (st->lag_*); may be NULL in tests */
};

/* Everything about a request a rule can match on. All borrowed. */
struct fault_request {
	const char *method;
	const char *path;      /* as received: "/v1.0/users/x" */
	const char *tenant_id; /* resolved tenant id, "" when none */
	const char *tenant_domain;
	const char *client;    /* throttling key: Authorization header or client IP */
	const struct req *req; /* for header matchers; may be NULL */
};

/* fault_engine_init() - no rules; decisions follow @seed. 0 or -1. */
int fault_engine_init(struct fault_engine *e, uint64_t seed, struct state *st);

/* fault_engine_release() - free every rule and the lock. */
void fault_engine_release(struct fault_engine *e);

/*
 * fault_rule_parse() - a rule from JSON @j (borrowed). @index names the rule
 * in messages ("rule 2 (id 'slow')"). Returns: new rule, or NULL with
 * "<rule>: <field>: <problem>" in @err.
 */
struct fault_rule *fault_rule_parse(const json_t *j, size_t index, char *err,
                                    size_t errlen);

/*
 * fault_rule_parse_compact() - a one-shot rule from the header form
 * "error=throttled;retry-after=1", "reset", "latency=100-300", ... Returns:
 * new rule with id "header", or NULL with the problem in @err.
 */
struct fault_rule *fault_rule_parse_compact(const char *s, char *err, size_t errlen);

/* fault_rule_free() - free @r and everything it owns. NULL is fine. */
void fault_rule_free(struct fault_rule *r);

/*
 * fault_engine_add() - validate @rules (a rule object or an array of them,
 * borrowed) and append them all, or none. Ids must be unique; rules without
 * one get "rule-N"; the engine holds FAULT_RULES_MAX at most. Lag rules take
 * effect at once for objects created afterwards. Returns 0, or -1 with the
 * problem in @err.
 */
int fault_engine_add(struct fault_engine *e, const json_t *rules, char *err,
                     size_t errlen);

/* fault_engine_remove() - delete rule @id (true) or report it unknown (false). */
bool fault_engine_remove(struct fault_engine *e, const char *id);

/*
 * fault_engine_enable() - switch rule @id on or off (its "enabled" in the
 * listing follows). A disabled rule keeps its counters but matches nothing,
 * decides no mail and adds no lag. Returns false when @id is unknown.
 */
bool fault_engine_enable(struct fault_engine *e, const char *id, bool on);

/* fault_engine_clear() - delete every rule, zero the lag, reseed the PRNG. */
void fault_engine_clear(struct fault_engine *e);

/* fault_engine_list() - {"value":[rules as given, with id]}. New reference. */
json_t *fault_engine_list(struct fault_engine *e);

/*
 * fault_engine_stats() - {"requests": N, "value": [{id, action, enabled,
 * matches, injections, retryAfterViolations, expired}]}. New reference.
 */
json_t *fault_engine_stats(struct fault_engine *e);

/*
 * fault_engine_decide() - run the rules (and the one-shot @oneshot rule,
 * borrowed, which always fires) over @fr, counting matches and violations.
 * Fills @d; d->body is a new reference the caller releases with
 * fault_decision_release(). Logs each injection on stderr unless quiet.
 */
void fault_engine_decide(struct fault_engine *e, const struct fault_request *fr,
                         const struct fault_rule *oneshot, int64_t now_ms,
                         struct fault_decision *d);

/* fault_decision_release() - drop the decision's body reference. */
void fault_decision_release(struct fault_decision *d);

/*
 * fault_engine_mail() - the verdict of the first firing mail rule for
 * @recipient in tenant @tenant_id; leaves @v delivered when none fires.
 */
void fault_engine_mail(struct fault_engine *e, const char *tenant_id,
                       const char *recipient, struct mail_verdict *v);

/*
 * fault_engine_notify() - the verdict of the first firing notification rule
 * for a batch to @url in tenant @tenant_id; delivered when none fires.
 */
void fault_engine_notify(struct fault_engine *e, const char *tenant_id, const char *url,
                         struct notify_verdict *v);

/*
 * fault_glob() - does @s match @pattern ('*' any run, '?' one char; @nocase)?
 * Compiles @pattern each call (fault_match.h compiles once); false when it
 * is longer than FAULT_PATTERN_MAX.
 */
bool fault_glob(const char *pattern, const char *s, bool nocase);

/*
 * fault_path_match() - does request path @path match rule pattern @pattern?
 * '*' matches any run of characters, '{name}' one non-empty segment. A
 * pattern without a version prefix also matches the version-less path.
 */
bool fault_path_match(const char *pattern, const char *path);

/* fault_method_bit() - the mask bit of @method (GET, POST, ...), 0 if unknown. */
unsigned fault_method_bit(const char *method);

/* fault_conn_parse() - "reset", "close", "truncate", "garbage" -> @out. 0 or -1. */
int fault_conn_parse(const char *s, enum fault_conn *out);

/*
 * fault_catalogue() - fill @err with the catalogue error @name ("throttled",
 * "serviceUnavailable", ...) or HTTP status given as digits. false if unknown.
 */
bool fault_catalogue(const char *name, struct fault_error *err);

/* fault_kind_name() - "error", "latency", ... for logs and the journal. */
const char *fault_kind_name(enum fault_kind k);

#endif
