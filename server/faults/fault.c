/*
 * server/faults/fault.c - the fault engine: the rule list, matching requests,
 * the seeded when-conditions, stats, mail verdicts and replication lag.
 * Parsing is server/faults/fault_parse.c; carrying decisions out, fault_apply.c.
 */
#include "fault.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../state/state.h"
#include "../core/req.h"

/* Decisions use their own stream, apart from the object ids of the same seed. */
#define FAULT_SEED_SALT 0x6661756c74734b31ULL

static const char *const method_names[] = {"GET",    "POST", "PUT",     "PATCH",
                                           "DELETE", "HEAD", "OPTIONS", NULL};

unsigned fault_method_bit(const char *method)
{
	for (unsigned i = 0; method && method_names[i]; i++)
		if (!strcasecmp(method, method_names[i]))
			return 1u << i;
	return 0;
}

const char *fault_kind_name(enum fault_kind k)
{
	switch (k) {
	case FAULT_NONE:
		return "none";
	case FAULT_ERROR:
		return "error";
	case FAULT_LATENCY:
		return "latency";
	case FAULT_CONNECTION:
		return "connection";
	case FAULT_GHOST:
		return "ghostWrite";
	case FAULT_THROTTLE:
		return "throttle";
	case FAULT_MAIL:
		return "mail";
	case FAULT_LAG:
		return "lag";
	case FAULT_NOTIFY:
		return "notification";
	}
	return "none";
}

bool fault_glob(const char *pattern, const char *s, bool nocase)
{
	struct fault_pattern fp;
	bool ok;

	if (fault_pattern_compile(&fp, pattern, FAULT_PATTERN_GLOB, nocase))
		return false;
	ok = fault_pattern_match(&fp, s);
	fault_pattern_release(&fp);
	return ok;
}

bool fault_path_match(const char *pattern, const char *path)
{
	struct fault_pattern fp;
	bool ok;

	if (fault_pattern_compile(&fp, pattern, FAULT_PATTERN_PATH, true))
		return false;
	ok = fault_pattern_path_match(&fp, !fault_path_strip_version(pattern), path);
	fault_pattern_release(&fp);
	return ok;
}

int fault_engine_init(struct fault_engine *e, uint64_t seed, struct state *st)
{
	memset(e, 0, sizeof(*e));
	if (pthread_mutex_init(&e->lock, NULL))
		return -1;
	e->seed = seed;
	rng_seed(&e->rng, seed ^ FAULT_SEED_SALT);
	throttle_init(&e->throttle);
	e->st = st;
	return 0;
}

void fault_engine_release(struct fault_engine *e)
{
	for (size_t i = 0; i < e->nrules; i++)
		fault_rule_free(e->rules[i]);
	free(e->rules);
	fault_index_release(&e->index);
	throttle_release(&e->throttle);
	pthread_mutex_destroy(&e->lock);
}

/* Recompute the state's lag settings from the lag rules: the last rule for a kind wins.
 */
static void apply_lag(struct fault_engine *e)
{
	/* Rules changed: reindex. Without an index every rule is a candidate. */
	fault_index_build(&e->index, e->rules, e->nrules);
	int64_t ms[LAG_TARGETS] = {0};
	int reads[LAG_TARGETS] = {0};

	if (!e->st)
		return;
	for (size_t i = 0; i < e->nrules; i++) {
		const struct fault_rule *r = e->rules[i];
		if (r->kind != FAULT_LAG || r->disabled)
			continue;
		ms[r->lag_target] = r->lag_ms;
		reads[r->lag_target] = r->lag_reads;
	}
	for (int k = 0; k < LAG_TARGETS; k++)
		state_lag_set(e->st, k, ms[k], reads[k]);
}

static struct fault_rule *find_rule(struct fault_engine *e, const char *id, size_t *at)
{
	for (size_t i = 0; i < e->nrules; i++)
		if (!strcmp(e->rules[i]->id, id)) {
			if (at)
				*at = i;
			return e->rules[i];
		}
	return NULL;
}

/* Give every id-less rule "rule-N" and reject duplicates, against the engine and the
 * batch. */
static int assign_ids(struct fault_engine *e, struct fault_rule **batch, size_t n,
                      char *err, size_t errlen)
{
	unsigned next = e->auto_id;

	for (size_t i = 0; i < n; i++) {
		if (!batch[i]->id[0]) {
			do
				snprintf(batch[i]->id, sizeof(batch[i]->id), "rule-%u",
				         ++next);
			while (find_rule(e, batch[i]->id, NULL));
			json_object_set_new(batch[i]->source, "id",
			                    json_string(batch[i]->id));
		}
		bool dup = find_rule(e, batch[i]->id, NULL) != NULL;
		for (size_t k = 0; k < i; k++)
			dup |= !strcmp(batch[k]->id, batch[i]->id);
		if (dup) {
			snprintf(err, errlen,
			         "rule %zu (id '%s'): id: already used by another rule",
			         i, batch[i]->id);
			return -1;
		}
	}
	e->auto_id = next;
	return 0;
}

int fault_engine_add(struct fault_engine *e, const json_t *rules, char *err,
                     size_t errlen)
{
	size_t n = json_is_array(rules) ? json_array_size(rules) : 1;
	struct fault_rule **batch = calloc(n ? n : 1, sizeof(*batch));
	int rc = -1;

	if (!batch) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!json_is_array(rules) && !json_is_object(rules)) {
		snprintf(err, errlen, "$: must be a rule object or an array of rules");
		goto out_free;
	}
	if (n == 0) { /* "[]": nothing to add (and the table may not exist yet) */
		rc = 0;
		goto out_free;
	}
	for (size_t i = 0; i < n; i++) {
		const json_t *j = json_is_array(rules) ? json_array_get(rules, i) : rules;
		batch[i] = fault_rule_parse(j, i, err, errlen);
		if (!batch[i])
			goto out_free;
	}
	pthread_mutex_lock(&e->lock);
	if (e->nrules + n > FAULT_RULES_MAX) {
		snprintf(err, errlen,
		         "$: graphmock holds %d fault rules at most (%zu now, %zu more "
		         "asked for); DELETE /_mock/faults/{id} some first",
		         FAULT_RULES_MAX, e->nrules, n);
		goto out_unlock;
	}
	if (assign_ids(e, batch, n, err, errlen))
		goto out_unlock;
	if (e->nrules + n > e->cap) {
		size_t cap = (e->nrules + n) * 2;
		struct fault_rule **grown = realloc(e->rules, cap * sizeof(*grown));
		if (!grown) {
			snprintf(err, errlen, "out of memory");
			goto out_unlock;
		}
		e->rules = grown;
		e->cap = cap;
	}
	memcpy(e->rules + e->nrules, batch, n * sizeof(*batch));
	e->nrules += n;
	memset(batch, 0, n * sizeof(*batch));
	apply_lag(e);
	rc = 0;
out_unlock:
	pthread_mutex_unlock(&e->lock);
out_free:
	for (size_t i = 0; i < n; i++)
		fault_rule_free(batch[i]);
	free(batch);
	return rc;
}

/* Drop the throttle buckets and deadlines that belong to rule @id. */
static void forget_rule_keys(struct fault_engine *e, const char *id)
{
	char prefix[FAULT_ID_LEN + 4];

	snprintf(prefix, sizeof(prefix), "%s\x1f", id);
	throttle_forget(&e->throttle, prefix);
}

bool fault_engine_remove(struct fault_engine *e, const char *id)
{
	size_t at;
	struct fault_rule *r;

	pthread_mutex_lock(&e->lock);
	r = find_rule(e, id, &at);
	if (r) {
		forget_rule_keys(e, r->id);
		fault_rule_free(r);
		memmove(e->rules + at, e->rules + at + 1,
		        (e->nrules - at - 1) * sizeof(*e->rules));
		e->nrules--;
		apply_lag(e);
	}
	pthread_mutex_unlock(&e->lock);
	return r != NULL;
}

bool fault_engine_enable(struct fault_engine *e, const char *id, bool on)
{
	struct fault_rule *r;

	pthread_mutex_lock(&e->lock);
	r = find_rule(e, id, NULL);
	if (r) {
		r->disabled = !on;
		json_object_set_new(r->source, "enabled", json_boolean(on));
		apply_lag(e);
	}
	pthread_mutex_unlock(&e->lock);
	return r != NULL;
}

void fault_engine_clear(struct fault_engine *e)
{
	pthread_mutex_lock(&e->lock);
	for (size_t i = 0; i < e->nrules; i++)
		fault_rule_free(e->rules[i]);
	e->nrules = 0;
	e->auto_id = 0;
	e->seq = 0;
	rng_seed(&e->rng, e->seed ^ FAULT_SEED_SALT);
	throttle_release(&e->throttle);
	apply_lag(e);
	pthread_mutex_unlock(&e->lock);
}

json_t *fault_engine_list(struct fault_engine *e)
{
	json_t *list = json_array();

	pthread_mutex_lock(&e->lock);
	for (size_t i = 0; i < e->nrules; i++)
		json_array_append_new(list, json_deep_copy(e->rules[i]->source));
	pthread_mutex_unlock(&e->lock);
	return json_pack("{s:o}", "value", list);
}

static bool expired(const struct fault_rule *r)
{
	return r->times && r->injections >= r->times;
}

json_t *fault_engine_stats(struct fault_engine *e)
{
	json_t *list = json_array();

	pthread_mutex_lock(&e->lock);
	for (size_t i = 0; i < e->nrules; i++) {
		const struct fault_rule *r = e->rules[i];
		json_array_append_new(
		    list,
		    json_pack("{s:s, s:s, s:b, s:I, s:I, s:I, s:b}", "id", r->id,
		              "action", fault_kind_name(r->kind), "enabled", !r->disabled,
		              "matches", (json_int_t)r->matches, "injections",
		              (json_int_t)r->injections, "retryAfterViolations",
		              (json_int_t)r->violations, "expired", expired(r)));
	}
	json_t *out =
	    json_pack("{s:I, s:o}", "requests", (json_int_t)e->seq, "value", list);
	pthread_mutex_unlock(&e->lock);
	return out;
}

static bool is_admin_path(const char *path)
{
	return !strncmp(path, "/_mock", 6) && (path[6] == '/' || !path[6]);
}

static bool request_rule(const struct fault_rule *r)
{
	return r->kind != FAULT_MAIL && r->kind != FAULT_LAG && r->kind != FAULT_NOTIFY;
}

static bool rule_matches(const struct fault_rule *r, const struct fault_request *fr)
{
	/* The admin plane is faulted only by rules that name it. */
	if (is_admin_path(fr->path) && (!r->path || !is_admin_path(r->path)))
		return false;
	if (r->methods && !(r->methods & fault_method_bit(fr->method)))
		return false;
	if (r->path &&
	    !fault_pattern_path_match(&r->path_fp, r->path_versionless, fr->path))
		return false;
	if (r->tenant && strcasecmp(r->tenant, fr->tenant_id ? fr->tenant_id : "") &&
	    strcasecmp(r->tenant, fr->tenant_domain ? fr->tenant_domain : ""))
		return false;
	if (r->header_name) {
		const char *v = fr->req ? req_header(fr->req, r->header_name) : NULL;
		if (!v || (r->header_value && strcmp(v, r->header_value)))
			return false;
	}
	return true;
}

/* "<rule>\x1f<scope>": the bucket or deadline key for @fr under rule @r. */
static void scope_key(const struct fault_rule *r, const struct fault_request *fr,
                      enum throttle_per per, char *out, size_t len)
{
	const char *tenant = fr->tenant_id ? fr->tenant_id : "";
	const char *client = fr->client ? fr->client : "";

	switch (per) {
	case THROTTLE_CLIENT:
		snprintf(out, len, "%s\x1f%s\x1f%s", r->id, tenant, client);
		return;
	case THROTTLE_TENANT:
		snprintf(out, len, "%s\x1f%s", r->id, tenant);
		return;
	case THROTTLE_GLOBAL:
		snprintf(out, len, "%s\x1f", r->id);
		return;
	}
}

/* The when-conditions after a match; draws from the PRNG only when it matters. */
static bool when_fires(struct fault_engine *e, struct fault_rule *r)
{
	if (r->matches <= r->after)
		return false;
	r->eligible++;
	if (r->every && r->eligible % r->every)
		return false;
	if (r->probability < 1.0 && rng_double(&e->rng) >= r->probability)
		return false;
	return true;
}

static void fill_decision(struct fault_engine *e, const struct fault_rule *r,
                          struct fault_decision *d)
{
	d->kind = r->kind;
	snprintf(d->rule_id, sizeof(d->rule_id), "%s", r->id);
	d->error = r->error;
	d->error.body = NULL;
	d->body = json_incref(r->error.body);
	d->conn = r->conn;
	d->ghost_reset = r->ghost_reset;
	if (r->kind == FAULT_LATENCY) {
		uint64_t span = (uint64_t)(r->latency_max - r->latency_min) + 1;
		d->latency_ms =
		    r->latency_min + (int64_t)(span > 1 ? rng_next(&e->rng) % span : 0);
	}
	if (r->kind == FAULT_CONNECTION && r->conn == FAULT_CONN_GARBAGE)
		d->garbage_seed = rng_next(&e->rng);
}

/* A throttle rule injects only when its bucket is empty; the 429 says when to come back.
 */
static bool throttle_fires(struct fault_engine *e, const struct fault_rule *r,
                           const struct fault_request *fr, int64_t now_ms,
                           struct fault_decision *d)
{
	char key[512];
	int64_t wait;

	scope_key(r, fr, r->throttle.per, key, sizeof(key));
	wait = throttle_take(&e->throttle, key, &r->throttle, now_ms);
	if (!wait)
		return false;
	d->error.retry = RETRY_AFTER_SECONDS;
	snprintf(d->error.retry_after, sizeof(d->error.retry_after), "%lld",
	         (long long)((wait + 999) / 1000));
	d->error.retry_ms = (wait + 999) / 1000 * 1000;
	return true;
}

static void log_decision(const struct fault_engine *e, const struct fault_request *fr,
                         const struct fault_decision *d)
{
	if (e->quiet)
		return;
	if (d->kind == FAULT_ERROR || d->kind == FAULT_THROTTLE)
		fprintf(stderr, "fault: seq %llu rule '%s' %s %u %s %s\n",
		        (unsigned long long)d->seq, d->rule_id, fault_kind_name(d->kind),
		        d->error.status, fr->method, fr->path);
	else if (d->kind == FAULT_LATENCY)
		fprintf(stderr, "fault: seq %llu rule '%s' latency %lldms %s %s\n",
		        (unsigned long long)d->seq, d->rule_id, (long long)d->latency_ms,
		        fr->method, fr->path);
	else
		fprintf(stderr, "fault: seq %llu rule '%s' %s %s %s\n",
		        (unsigned long long)d->seq, d->rule_id, fault_kind_name(d->kind),
		        fr->method, fr->path);
}

/* Count early retries against @r, and remember the deadline a fired rule hands out. */
static void track_retry(struct fault_engine *e, struct fault_rule *r,
                        const struct fault_request *fr, int64_t now_ms,
                        const struct fault_decision *fired)
{
	char key[512];

	scope_key(r, fr, THROTTLE_CLIENT, key, sizeof(key));
	if (!fired) {
		if (throttle_early(&e->throttle, key, now_ms))
			r->violations++;
		return;
	}
	if (fired->error.retry == RETRY_AFTER_SECONDS)
		throttle_set_deadline(&e->throttle, key, now_ms + fired->error.retry_ms);
	else if (fired->error.retry == RETRY_AFTER_DATE)
		throttle_set_deadline(&e->throttle, key, fired->error.retry_ms);
}

void fault_engine_decide(struct fault_engine *e, const struct fault_request *fr,
                         const struct fault_rule *oneshot, int64_t now_ms,
                         struct fault_decision *d)
{
	memset(d, 0, sizeof(*d));
	pthread_mutex_lock(&e->lock);
	d->seq = ++e->seq;
	if (oneshot) {
		struct fault_rule tmp = *oneshot;
		if (tmp.probability >= 1.0 || rng_double(&e->rng) < tmp.probability)
			fill_decision(e, &tmp, d);
		goto out_unlock;
	}
	unsigned cand[FAULT_RULES_MAX];
	size_t ncand =
	    fault_index_candidates(&e->index, fr->method, fr->path, cand, e->nrules);

	for (size_t c = 0; c < ncand; c++) {
		struct fault_rule *r = e->rules[cand[c]];
		if (r->disabled || !request_rule(r) || !rule_matches(r, fr))
			continue;
		/* An expired rule still counts clients that come back too early. */
		r->matches++;
		track_retry(e, r, fr, now_ms, NULL);
		if (expired(r) || !when_fires(e, r))
			continue;
		fill_decision(e, r, d);
		if (r->kind == FAULT_THROTTLE && !throttle_fires(e, r, fr, now_ms, d)) {
			fault_decision_release(d);
			memset(d, 0, sizeof(*d));
			d->seq = e->seq;
			continue;
		}
		r->injections++;
		track_retry(e, r, fr, now_ms, d);
		break;
	}
out_unlock:
	pthread_mutex_unlock(&e->lock);
	if (d->kind != FAULT_NONE)
		log_decision(e, fr, d);
}

void fault_decision_release(struct fault_decision *d)
{
	json_decref(d->body);
	d->body = NULL;
}

void fault_engine_mail(struct fault_engine *e, const char *tenant_id,
                       const char *recipient, struct mail_verdict *v)
{
	pthread_mutex_lock(&e->lock);
	for (size_t i = 0; i < e->nrules; i++) {
		struct fault_rule *r = e->rules[i];
		if (r->kind != FAULT_MAIL || r->disabled || expired(r))
			continue;
		if (r->tenant && strcasecmp(r->tenant, tenant_id ? tenant_id : ""))
			continue;
		if (!fault_pattern_match(&r->mail_fp, recipient ? recipient : ""))
			continue;
		r->matches++;
		if (!when_fires(e, r))
			continue;
		r->injections++;
		*v = r->mail;
		snprintf(v->rule_id, sizeof(v->rule_id), "%s", r->id);
		if (!e->quiet)
			fprintf(stderr, "fault: mail rule '%s' %s '%s'\n", r->id,
			        mail_delivery_name(v->outcome), recipient);
		break;
	}
	pthread_mutex_unlock(&e->lock);
}

static const char *const notify_names[] = {"delivered", "delayed", "dropped",
                                           "duplicated", "outOfOrder"};

void fault_engine_notify(struct fault_engine *e, const char *tenant_id, const char *url,
                         struct notify_verdict *v)
{
	memset(v, 0, sizeof(*v));
	pthread_mutex_lock(&e->lock);
	for (size_t i = 0; i < e->nrules; i++) {
		struct fault_rule *r = e->rules[i];
		if (r->kind != FAULT_NOTIFY || expired(r))
			continue;
		if (r->tenant && strcasecmp(r->tenant, tenant_id ? tenant_id : ""))
			continue;
		if (!fault_glob(r->notify_url ? r->notify_url : "*", url ? url : "",
		                false))
			continue;
		r->matches++;
		if (!when_fires(e, r))
			continue;
		r->injections++;
		*v = r->notify;
		snprintf(v->rule_id, sizeof(v->rule_id), "%s", r->id);
		if (!e->quiet)
			fprintf(stderr, "fault: notification rule '%s' %s for '%s'\n",
			        r->id, notify_names[v->outcome], url);
		break;
	}
	pthread_mutex_unlock(&e->lock);
}
