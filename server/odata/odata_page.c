/*
 * server/odata/odata_page.c - paging machinery behind odata_respond.c: stable
 * ordering of matches, the opaque $skiptoken codec, and @odata.nextLink
 * URLs rebuilt from the request (path segments and query options re-encoded).
 */
#include <stdlib.h>
#include <string.h>

#include "../../state/util/b64.h"
#include "../../state/util/buf.h"
#include "odata.h"
#include "odata_filter.h"
#include "odata_query.h"
#include "odata_respond.h"
#include "../core/req.h"

/* ---- ordering ---- */

/* One item's value of one $orderby key; a date-time parsed once, not at
 * each of the sort's comparisons (a million users by createdDateTime made
 * 40 million parses). */
struct sort_key {
	const json_t *v;
	bool timed; /* a DateTimeOffset property's string that parsed whole: @t */
	struct iso_time t;
};

struct order {
	const struct odata_query *q;
	const struct odata_item *items;
	struct sort_key *keys; /* keys[item * nkeys + k] */
};

static struct sort_key sort_key_of(const json_t *v, const struct odata_prop *prop)
{
	struct sort_key key = {v, false, {0, 0}};
	size_t len = json_string_length(v);

	if (prop && prop->type == ODATA_DATETIME && json_is_string(v))
		key.timed =
		    iso_time_parse(json_string_value(v), len, false, &key.t) == len;
	return key;
}

/* Two date-times by time; anything else as itself (strings without case). */
static int cmp_values(const struct sort_key *ka, const struct sort_key *kb)
{
	const json_t *a = ka->v, *b = kb->v;
	bool na = !a || json_is_null(a), nb = !b || json_is_null(b);

	if (na || nb)
		return nb - na; /* nulls first */
	if (ka->timed && kb->timed)
		return iso_time_cmp(&ka->t, &kb->t);
	if (json_is_string(a) && json_is_string(b))
		return odata_strcasecmp(json_string_value(a), json_string_value(b));
	if (json_is_number(a) && json_is_number(b)) {
		double x = json_number_value(a), y = json_number_value(b);

		return (x > y) - (x < y);
	}
	if (json_is_boolean(a) && json_is_boolean(b))
		return json_is_true(a) - json_is_true(b);
	return 0;
}

static int cmp_items(const struct order *o, size_t a, size_t b)
{
	const struct odata_query *q = o->q;
	size_t k;

	for (k = 0; k < q->norderby; k++) {
		int c = cmp_values(&o->keys[a * q->norderby + k],
		                   &o->keys[b * q->norderby + k]);

		if (c)
			return q->orderby[k].desc ? -c : c;
	}
	/* Equal keys keep insertion order, so pages stay stable. */
	return (o->items[a].seq > o->items[b].seq) - (o->items[a].seq < o->items[b].seq);
}

/* Bottom-up merge sort of @idx[0..m) using @tmp (stable; O(m log m)). */
static void merge_sort(const struct order *o, size_t *idx, size_t *tmp, size_t m)
{
	size_t width, i;

	for (width = 1; width < m; width *= 2) {
		for (i = 0; i < m; i += 2 * width) {
			size_t lo = i, mid = i + width < m ? i + width : m;
			size_t hi = i + 2 * width < m ? i + 2 * width : m;
			size_t a = lo, b = mid, t = lo;

			while (a < mid && b < hi)
				tmp[t++] = cmp_items(o, idx[b], idx[a]) < 0 ? idx[b++]
				                                            : idx[a++];
			while (a < mid)
				tmp[t++] = idx[a++];
			while (b < hi)
				tmp[t++] = idx[b++];
		}
		memcpy(idx, tmp, m * sizeof(*idx));
	}
}

size_t *odata_match_sorted(const struct odata_query *q, const struct odata_item *items,
                           size_t n, size_t *m)
{
	struct order o = {q, items, NULL};
	const struct odata_prop *props[64] = {0};
	size_t *idx = malloc((n + 1) * sizeof(*idx)), *tmp = NULL, i, k, cnt = 0;

	if (!idx)
		return NULL;
	for (i = 0; i < n; i++) {
		if (odata_query_match(q, items[i].obj))
			idx[cnt++] = i;
	}
	*m = cnt;
	if (q->norderby > 64 ||
	    (q->norderby && n > SIZE_MAX / sizeof(*o.keys) / q->norderby))
		goto out_free_idx;
	tmp = malloc((cnt + 1) * sizeof(*tmp));
	o.keys = malloc((n * q->norderby + 1) * sizeof(*o.keys));
	if (!tmp || !o.keys)
		goto out_free_idx;
	for (k = 0; k < q->norderby; k++)
		props[k] = odata_entity_prop(q->entity, q->orderby[k].prop);
	/* Look each sort key up once, not once per comparison. */
	for (i = 0; i < cnt; i++) {
		for (k = 0; k < q->norderby; k++)
			o.keys[idx[i] * q->norderby + k] = sort_key_of(
			    json_object_get(items[idx[i]].obj, q->orderby[k].prop),
			    props[k]);
	}
	merge_sort(&o, idx, tmp, cnt);
	free(tmp);
	free(o.keys);
	return idx;
out_free_idx:
	free(tmp);
	free(o.keys);
	free(idx);
	return NULL;
}

/* ---- $skiptoken ---- */

#define TOKEN_BYTES   18 /* "DSpt" version kind value[8] check[4] */
#define TOKEN_VERSION 2

/* FNV-1a, salted so a hand-built payload needs more than base64. */
static uint32_t token_check(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u ^ 0x6d6f636bu;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

static void token_bytes(unsigned char *p, int kind, uint64_t value)
{
	uint32_t h;
	int i;

	memcpy(p, "DSpt", 4);
	p[4] = TOKEN_VERSION;
	p[5] = (unsigned char)kind;
	for (i = 0; i < 8; i++)
		p[6 + i] = (unsigned char)(value >> (56 - 8 * i));
	h = token_check(p, 14);
	for (i = 0; i < 4; i++)
		p[14 + i] = (unsigned char)(h >> (24 - 8 * i));
}

void odata_token_encode(int kind, uint64_t value, char *out)
{
	unsigned char p[TOKEN_BYTES];

	token_bytes(p, kind, value);
	b64url_encode_to(p, sizeof(p), out);
}

int odata_token_decode(const char *token, int *kind, uint64_t *value)
{
	unsigned char p[TOKEN_BYTES + 1], want[TOKEN_BYTES];
	uint64_t v = 0;

	if (strlen(token) != ODATA_TOKEN_LEN ||
	    b64url_decode_to(token, ODATA_TOKEN_LEN, p, sizeof(p)) != TOKEN_BYTES)
		return -1;
	for (size_t i = 0; i < 8; i++)
		v = v << 8 | p[6 + i];
	token_bytes(want, p[5], v);
	if (memcmp(p, want, TOKEN_BYTES) ||
	    (p[5] != ODATA_TOKEN_SEQ && p[5] != ODATA_TOKEN_OFFSET))
		return -1;
	*kind = p[5];
	*value = v;
	return 0;
}

/* A cursor: "DSpt" 3 3 seq[8] key[n] check[4], base64url: as long as a fixed
 * token when its key is "" (an order's first key: no createdDateTime), and
 * told from one by its version and kind bytes. */
#define CURSOR_VERSION 3

char *odata_cursor_encode(uint64_t seq, const char *key)
{
	size_t klen = key ? strnlen(key, ODATA_CURSOR_KEY_MAX) : 0;
	size_t n = 14 + klen + 4;
	unsigned char *p = malloc(n);
	char *out = malloc(n / 3 * 4 + 8);
	uint32_t h;

	if (!p || !out) {
		free(p);
		free(out);
		return NULL;
	}
	memcpy(p, "DSpt", 4);
	p[4] = CURSOR_VERSION;
	p[5] = ODATA_TOKEN_CURSOR;
	for (int i = 0; i < 8; i++)
		p[6 + i] = (unsigned char)(seq >> (56 - 8 * i));
	if (klen)
		memcpy(p + 14, key, klen);
	h = token_check(p, 14 + klen);
	for (int i = 0; i < 4; i++)
		p[14 + klen + (size_t)i] = (unsigned char)(h >> (24 - 8 * i));
	b64url_encode_to(p, n, out);
	free(p);
	return out;
}

int odata_cursor_decode(const char *token, uint64_t *seq, char **key)
{
	size_t len = strlen(token), n;
	unsigned char p[(ODATA_CURSOR_KEY_MAX + 18) + 4];
	uint32_t h = 0;
	uint64_t v = 0;
	long got;

	if (len < ODATA_TOKEN_LEN || len > (sizeof(p) - 4) / 3 * 4 + 4)
		return -1;
	got = b64url_decode_to(token, len, p, sizeof(p));
	if (got < 18)
		return -1;
	n = (size_t)got;
	if (n > sizeof(p) - 4 || memcmp(p, "DSpt", 4) || p[4] != CURSOR_VERSION ||
	    p[5] != ODATA_TOKEN_CURSOR)
		return -1;
	for (int i = 0; i < 4; i++)
		h = h << 8 | p[n - 4 + (size_t)i];
	if (h != token_check(p, n - 4) || memchr(p + 14, '\0', n - 18))
		return -1;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[6 + i];
	*key = malloc(n - 18 + 1);
	if (!*key)
		return -1;
	memcpy(*key, p + 14, n - 18);
	(*key)[n - 18] = '\0';
	*seq = v;
	return 0;
}

/* ---- @odata.nextLink ---- */

static void add_encoded(struct buf *sb, const char *s, const char *keep)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (odata_is_name_char(*p) || strchr("-._~", *p) || strchr(keep, *p)) {
			buf_add(sb, (const char *)p, 1);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};

			buf_add(sb, e, 3);
		}
	}
}

/* Path chars that need no escape in a segment; '#', '?', '/', '%' do. */
#define SEG_KEEP "!$&()*+,;=:@"
/* Query chars that need no escape in a value; '&', '=', '+', '#' do. */
#define QUERY_KEEP "!$'()*,;:@/?"

static void add_path(struct buf *sb, const struct req *req)
{
	size_t i;

	for (i = 0; i < req->nsegs; i++) {
		const char *alt = req->seg_alt_key[i];

		if (!alt) {
			buf_addstr(sb, "/");
			add_encoded(sb, req->segs[i], SEG_KEEP "'");
			continue;
		}
		/* Key-as-segment capture: servicePrincipals(appId='x'). */
		buf_addstr(sb, "(");
		buf_addstr(sb, alt);
		buf_addstr(sb, "='");
		for (const char *c = req->segs[i]; *c; c++) {
			char one[2] = {*c, '\0'};

			add_encoded(sb, one, SEG_KEEP);
			if (*c == '\'')
				buf_addstr(sb, "%27");
		}
		buf_addstr(sb, "')");
	}
}

char *odata_next_link(const struct req *req, int kind, uint64_t value)
{
	char token[ODATA_TOKEN_LEN + 1];

	odata_token_encode(kind, value, token);
	return odata_next_link_token(req, token);
}

char *odata_next_link_token(const struct req *req, const char *token)
{
	struct buf sb;
	size_t i;

	buf_init(&sb, ODATA_URL_MAX);
	buf_addstr(&sb, req->base_url);
	if (req->version[0]) {
		buf_addstr(&sb, "/");
		buf_addstr(&sb, req->version);
	}
	add_path(&sb, req);
	buf_addstr(&sb, "?");
	for (i = 0; i < req->nquery; i++) {
		const char *name = req->query[i].name;

		if (!name || req_option_named(req, name, "$skiptoken"))
			continue;
		add_encoded(&sb, name, "$");
		buf_addstr(&sb, "=");
		add_encoded(&sb, req->query[i].value ? req->query[i].value : "",
		            QUERY_KEEP);
		buf_addstr(&sb, "&");
	}
	buf_addstr(&sb, "$skiptoken=");
	buf_addstr(&sb, token);
	if (sb.failed) {
		buf_release(&sb);
		return NULL;
	}
	return sb.data;
}
