/*
 * conformance/case.c - case directories on disk: discovery, loading of
 * request files and expect.json, target percent-encoding.
 * The format is documented for case authors in conformance/README.md.
 */
#include "case.h"

#include "buf.h"
#include "vars.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PATH_MAX_LEN 4096

/* A growing byte buffer, always NUL-terminated once anything was added. */
static int join(char *out, size_t size, const char *a, const char *b)
{
	int n = snprintf(out, size, "%s/%s", a, b);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Read a whole file of at most CASE_MAX_FILE bytes; *out is new, NUL-terminated. */
static int read_file(const char *path, char **out, size_t *outlen, char *errbuf,
                     size_t errlen)
{
	struct buf b = {0};
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");
	int ret = -1;

	if (!f)
		return err_set(errbuf, errlen, "cannot open '%s': %s", path,
		               strerror(errno));
	for (;;) {
		n = fread(chunk, 1, sizeof(chunk), f);
		if (n == 0)
			break;
		if (b.len + n > CASE_MAX_FILE) {
			err_set(errbuf, errlen, "'%s' is larger than %u bytes", path,
			        CASE_MAX_FILE);
			goto out;
		}
		if (buf_add(&b, chunk, n)) {
			err_set(errbuf, errlen, "out of memory");
			goto out;
		}
	}
	if (ferror(f)) {
		err_set(errbuf, errlen, "cannot read '%s'", path);
		goto out;
	}
	if (!b.p && buf_add(&b, "", 0)) {
		err_set(errbuf, errlen, "out of memory");
		goto out;
	}
	*out = b.p;
	*outlen = b.len;
	b.p = NULL;
	ret = 0;
out:
	free(b.p);
	fclose(f);
	return ret;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct name_list {
	char **v;
	size_t n;
};

static int list_add(struct name_list *l, const char *name)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	l->v = v;
	l->v[l->n] = strdup(name);
	if (!l->v[l->n])
		return -1;
	l->n++;
	return 0;
}

static bool is_case_dir(const char *dir)
{
	char path[PATH_MAX_LEN];

	if (join(path, sizeof(path), dir, "request") == 0 && is_file(path))
		return true;
	return join(path, sizeof(path), dir, "1.request") == 0 && is_file(path);
}

/* Walk @rel below @root; a directory with a request file is a case, not a parent. */
static int list_walk(const char *root, const char *rel, struct name_list *l, char *errbuf,
                     size_t errlen)
{
	char dir[PATH_MAX_LEN], sub[PATH_MAX_LEN], file[PATH_MAX_LEN];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (rel[0] ? join(dir, sizeof(dir), root, rel)
	           : snprintf(dir, sizeof(dir), "%s", root) >= (int)sizeof(dir))
		return err_set(errbuf, errlen, "path too long below '%s'", root);
	d = opendir(dir);
	if (!d)
		return err_set(errbuf, errlen, "cannot open directory '%s': %s", dir,
		               strerror(errno));
	while (ret == 0) {
		de = readdir(d);
		if (!de)
			break;
		if (de->d_name[0] == '.')
			continue;
		if (rel[0] ? join(sub, sizeof(sub), rel, de->d_name)
		           : snprintf(sub, sizeof(sub), "%s", de->d_name) >=
		                 (int)sizeof(sub)) {
			ret = err_set(errbuf, errlen, "path too long in '%s'", dir);
			break;
		}
		if (join(file, sizeof(file), root, sub) || !is_dir(file))
			continue;
		if (is_case_dir(file))
			ret = list_add(l, sub);
		else
			ret = list_walk(root, sub, l, errbuf, errlen);
		if (ret && !errbuf[0])
			err_set(errbuf, errlen, "out of memory");
	}
	closedir(d);
	return ret;
}

int case_list(const char *root, char ***names, size_t *n, char *errbuf, size_t errlen)
{
	struct name_list l = {0};

	errbuf[0] = '\0';
	if (list_walk(root, "", &l, errbuf, errlen)) {
		case_list_free(l.v, l.n);
		return -1;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp_names);
	*names = l.v;
	*n = l.n;
	return 0;
}

void case_list_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* One line of a request file: [*ls, *le) without "\n" or a final "\r". */
static const char *next_line(const char *p, const char *end, const char **ls,
                             const char **le)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	*ls = p;
	*le = nl ? nl : end;
	if (*le > *ls && (*le)[-1] == '\r')
		(*le)--;
	return nl ? nl + 1 : end;
}

static char *dup_range(const char *s, const char *e)
{
	char *p = malloc((size_t)(e - s) + 1);

	if (!p)
		return NULL;
	memcpy(p, s, (size_t)(e - s));
	p[e - s] = '\0';
	return p;
}

static int parse_request_line(const char *ls, const char *le, struct case_request *rq,
                              char *errbuf, size_t errlen)
{
	const char *sp = memchr(ls, ' ', (size_t)(le - ls));
	const char *method_end = sp;
	const char *p;

	if (!sp || sp == ls)
		return err_set(errbuf, errlen, "line 1: expected 'METHOD TARGET'");
	for (p = ls; p < sp; p++)
		if (*p < 'A' || *p > 'Z')
			return err_set(errbuf, errlen, "line 1: bad method '%.*s'",
			               (int)(sp - ls), ls);
	while (sp < le && *sp == ' ')
		sp++;
	if (sp == le)
		return err_set(errbuf, errlen, "line 1: missing target after the method");
	rq->method = dup_range(ls, method_end);
	rq->target = dup_range(sp, le);
	if (!rq->method || !rq->target)
		return err_set(errbuf, errlen, "out of memory");
	return 0;
}

static int parse_header(const char *ls, const char *le, unsigned lineno,
                        struct case_request *rq, char *errbuf, size_t errlen)
{
	const char *colon = memchr(ls, ':', (size_t)(le - ls));
	const char *p, *vs, *ve;
	struct case_header *h;

	if (!colon || colon == ls)
		return err_set(errbuf, errlen,
		               "line %u: expected 'Name: value' or an empty line",
		               lineno);
	for (p = ls; p < colon; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return err_set(errbuf, errlen, "line %u: bad header name",
			               lineno);
	for (vs = colon + 1; vs < le && (*vs == ' ' || *vs == '\t'); vs++)
		;
	for (ve = le; ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'); ve--)
		;
	h = realloc(rq->headers, (rq->nheaders + 1) * sizeof(*h));
	if (!h)
		return err_set(errbuf, errlen, "out of memory");
	rq->headers = h;
	h = &rq->headers[rq->nheaders++];
	h->name = dup_range(ls, colon);
	h->value = dup_range(vs, ve);
	if (!h->name || !h->value)
		return err_set(errbuf, errlen, "out of memory");
	return 0;
}

int case_request_parse(const char *buf, size_t len, struct case_request *rq, char *errbuf,
                       size_t errlen)
{
	const char *end = buf + len;
	const char *p, *ls, *le;
	unsigned lineno = 1;
	bool blank = false;

	memset(rq, 0, sizeof(*rq));
	p = next_line(buf, end, &ls, &le);
	if (ls == le)
		return err_set(errbuf, errlen, "line 1: expected 'METHOD TARGET'");
	if (parse_request_line(ls, le, rq, errbuf, errlen))
		return -1;
	while (p < end) {
		p = next_line(p, end, &ls, &le);
		lineno++;
		if (ls == le) {
			blank = true;
			break;
		}
		if (parse_header(ls, le, lineno, rq, errbuf, errlen))
			return -1;
	}
	/* the body follows the empty line; the file's last newline is not part of it */
	if (blank && p < end) {
		rq->body_len = (size_t)(end - p);
		if (end[-1] == '\n')
			rq->body_len--;
	}
	rq->body = dup_range(p, p + rq->body_len);
	if (!rq->body)
		return err_set(errbuf, errlen, "out of memory");
	return 0;
}

void case_request_release(struct case_request *rq)
{
	size_t i;

	for (i = 0; i < rq->nheaders; i++) {
		free(rq->headers[i].name);
		free(rq->headers[i].value);
	}
	free(rq->headers);
	free(rq->method);
	free(rq->target);
	free(rq->body);
	memset(rq, 0, sizeof(*rq));
}

static int check_capture(const json_t *cap, char *errbuf, size_t errlen)
{
	const char *name;
	json_t *v;

	if (!json_is_object(cap))
		return err_set(errbuf, errlen, "\"capture\" must be an object");
	json_object_foreach((json_t *)cap, name, v)
	{
		if (!vars_name_ok(name))
			return err_set(errbuf, errlen,
			               "capture name \"%s\" is not [A-Za-z0-9_]+", name);
		if (!json_is_string(v) ||
		    (strncmp(json_string_value(v), "body", 4) != 0 &&
		     strncmp(json_string_value(v), "headers.", 8) != 0))
			return err_set(errbuf, errlen,
			               "capture \"%s\" must be a path starting with "
			               "\"body\" or \"headers.\"",
			               name);
	}
	return 0;
}

int case_expect_check(const json_t *expect, char *errbuf, size_t errlen)
{
	const char *key;
	json_t *v;
	bool bad;

	if (!json_is_object(expect))
		return err_set(errbuf, errlen, "must be a JSON object");
	json_object_foreach((json_t *)expect, key, v)
	{
		if (strcmp(key, "status") == 0)
			bad = !json_is_integer(v) || json_integer_value(v) < 100 ||
			      json_integer_value(v) > 599;
		else if (strcmp(key, "headers") == 0 || strcmp(key, "capture") == 0)
			bad = !json_is_object(v);
		else if (strcmp(key, "body_text") == 0)
			bad = !json_is_string(v);
		else if (strcmp(key, "body_empty") == 0 ||
		         strcmp(key, "transport_error") == 0)
			bad = !json_is_boolean(v);
		else if (strcmp(key, "sleep_ms") == 0)
			bad = !json_is_integer(v) || json_integer_value(v) < 0 ||
			      json_integer_value(v) > 60000;
		else if (strcmp(key, "body") == 0 || strcmp(key, "comment") == 0)
			bad = false;
		else
			return err_set(errbuf, errlen, "unknown key \"%s\"", key);
		if (bad)
			return err_set(errbuf, errlen, "bad value for \"%s\"", key);
	}
	if (!json_object_get(expect, "status") &&
	    !json_is_true(json_object_get(expect, "transport_error")))
		return err_set(errbuf, errlen, "\"status\" is required");
	if (json_object_get(expect, "capture"))
		return check_capture(json_object_get(expect, "capture"), errbuf, errlen);
	return 0;
}

static int load_step(struct case_step *step, const char *dir, const char *prefix,
                     char *errbuf, size_t errlen)
{
	char path[PATH_MAX_LEN], file[64], msg[256];
	json_error_t jerr;
	char *text = NULL;
	size_t len;
	int ret = -1;

	snprintf(file, sizeof(file), "%srequest", prefix);
	if (join(path, sizeof(path), dir, file))
		return err_set(errbuf, errlen, "path too long");
	if (read_file(path, &text, &len, errbuf, errlen))
		return -1;
	if (case_request_parse(text, len, &step->req, msg, sizeof(msg))) {
		err_set(errbuf, errlen, "%s: %s", file, msg);
		goto out;
	}
	free(text);
	text = NULL;
	snprintf(file, sizeof(file), "%sexpect.json", prefix);
	if (join(path, sizeof(path), dir, file)) {
		err_set(errbuf, errlen, "path too long");
		goto out;
	}
	if (read_file(path, &text, &len, errbuf, errlen))
		goto out;
	step->expect = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!step->expect) {
		err_set(errbuf, errlen, "%s: line %d: %s", file, jerr.line, jerr.text);
		goto out;
	}
	if (case_expect_check(step->expect, msg, sizeof(msg))) {
		err_set(errbuf, errlen, "%s: %s", file, msg);
		goto out;
	}
	ret = 0;
out:
	free(text);
	return ret;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/*
 * The "mock-only" marker at @path, if there is one: its single line becomes
 * c->mock_only_reason. An empty marker or a second line is an error, so that
 * every case skipped with --target says why.
 */
static int load_mock_only(struct case_dir *c, const char *path, char *errbuf,
                          size_t errlen)
{
	const char *bad = NULL;
	size_t len, i, start = 0;
	char *text;

	if (!is_file(path))
		return 0;
	if (read_file(path, &text, &len, errbuf, errlen))
		return -1;
	/* the file's final newline and blanks around the line are not the reason */
	if (len > 0 && text[len - 1] == '\n')
		len--;
	while (len > 0 && is_blank(text[len - 1]))
		len--;
	while (start < len && is_blank(text[start]))
		start++;
	if (start == len)
		bad = "is empty: write one line saying why the case cannot run against "
		      "a real server";
	else if (memchr(text + start, '\n', len - start))
		bad = "has more than one line: write the reason on one line";
	for (i = start; i < len && !bad; i++)
		if (((unsigned char)text[i] < ' ' && text[i] != '\t') || text[i] == 0x7f)
			bad = "has a control character";
	if (bad) {
		free(text);
		return err_set(errbuf, errlen, "'mock-only' %s", bad);
	}
	memmove(text, text + start, len - start);
	text[len - start] = '\0';
	c->mock_only_reason = text;
	return 0;
}

/* Count steps 1..n and reject "3.request" when "2.request" is missing. */
static int count_steps(const char *dir, size_t *nsteps, char *errbuf, size_t errlen)
{
	char path[PATH_MAX_LEN], want[64];
	struct dirent *de;
	unsigned long k;
	char *end;
	DIR *d;
	int ret = 0;

	for (*nsteps = 0; *nsteps < CASE_MAX_STEPS; (*nsteps)++) {
		snprintf(want, sizeof(want), "%zu.request", *nsteps + 1);
		if (join(path, sizeof(path), dir, want) || !is_file(path))
			break;
	}
	d = opendir(dir);
	if (!d)
		return err_set(errbuf, errlen, "cannot open directory '%s'", dir);
	while (ret == 0) {
		de = readdir(d);
		if (!de)
			break;
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		k = strtoul(de->d_name, &end, 10);
		if (strcmp(end, ".request") != 0 && strcmp(end, ".expect.json") != 0)
			continue;
		snprintf(want, sizeof(want), "%lu%s", k, end);
		if (strcmp(want, de->d_name) != 0 || k == 0)
			ret = err_set(errbuf, errlen, "bad step file name '%s'",
			              de->d_name);
		else if (k > *nsteps)
			ret = err_set(errbuf, errlen,
			              "'%s' found but step %zu has no request",
			              de->d_name, *nsteps + 1);
	}
	closedir(d);
	return ret;
}

int case_load(struct case_dir *c, const char *root, const char *name, char *errbuf,
              size_t errlen)
{
	char dir[PATH_MAX_LEN], path[PATH_MAX_LEN], prefix[32];
	bool single;
	size_t i, n = 1;

	memset(c, 0, sizeof(*c));
	c->name = strdup(name);
	if (!c->name)
		return err_set(errbuf, errlen, "out of memory");
	if (join(dir, sizeof(dir), root, name) ||
	    join(path, sizeof(path), dir, "request"))
		return err_set(errbuf, errlen, "path too long");
	single = is_file(path);
	if (count_steps(dir, &n, errbuf, errlen))
		return -1;
	if (single && n > 0)
		return err_set(errbuf, errlen, "has both 'request' and '1.request'");
	if (single)
		n = 1;
	if (n == 0)
		return err_set(errbuf, errlen, "no 'request' or '1.request'");
	c->steps = calloc(n, sizeof(*c->steps));
	if (!c->steps)
		return err_set(errbuf, errlen, "out of memory");
	c->nsteps = n;
	for (i = 0; i < n; i++) {
		if (single)
			prefix[0] = '\0';
		else
			snprintf(prefix, sizeof(prefix), "%zu.", i + 1);
		if (load_step(&c->steps[i], dir, prefix, errbuf, errlen))
			return -1;
	}
	if (join(path, sizeof(path), dir, "mock-only"))
		return err_set(errbuf, errlen, "path too long");
	if (load_mock_only(c, path, errbuf, errlen))
		return -1;
	if (join(path, sizeof(path), dir, "serial"))
		return err_set(errbuf, errlen, "path too long");
	c->serial = is_file(path);
	return 0;
}

void case_release(struct case_dir *c)
{
	size_t i;

	for (i = 0; i < c->nsteps; i++) {
		case_request_release(&c->steps[i].req);
		json_decref(c->steps[i].expect);
	}
	free(c->steps);
	free(c->name);
	free(c->mock_only_reason);
	memset(c, 0, sizeof(*c));
}

char *case_url_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = {0};
	unsigned char c;
	char esc[3];

	if (buf_add(&b, "", 0))
		return NULL;
	for (; *s; s++) {
		c = (unsigned char)*s;
		if (c <= 0x20 || c >= 0x7f || strchr("\"#<>\\^`{|}", c)) {
			esc[0] = '%';
			esc[1] = hex[c >> 4];
			esc[2] = hex[c & 15];
			if (buf_add(&b, esc, 3))
				goto out_oom;
		} else if (buf_add(&b, s, 1)) {
			goto out_oom;
		}
	}
	return b.p;
out_oom:
	free(b.p);
	return NULL;
}
