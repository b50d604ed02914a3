/*
 * routes/entra/login_page.c - the HTML graphmock shows people: the sign-in
 * page of /authorize and the device-code page, plain and accessible (one
 * form, labelled fields, a main landmark, no script) in the dashboard's
 * look; plus what signing in checks: the password (a salted hash), the
 * session cookie.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../state/model/model.h"
#include "../../state/state.h"
#include "../../state/util/buf.h"
#include "../../state/util/password.h"
#include "login.h"

#define PAGE_MAX (256 * 1024)

/*
 * The pages wear the dashboard's look: they link its base.css (colours, type,
 * forms, buttons, .card, .notice; routes/mock/ui/base.css). The few rules
 * here are the sign-in layout only; with base.css unreachable the page is
 * still a plain, usable form.
 */
static const char page_css[] =
    "main.card{max-width:28rem;margin:3rem auto;padding:1.5rem 1.75rem}"
    ".notice{white-space:pre-wrap}"
    "main input{width:100%;margin:.25rem 0 1rem}"
    ".actions{margin-top:.5rem;display:flex;flex-wrap:wrap;gap:.75rem}"
    "footer{margin-top:1.5rem;font-size:.85rem;color:var(--muted,#4f5964)}";

void page_escape(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			buf_addstr(b, "&amp;");
			break;
		case '<':
			buf_addstr(b, "&lt;");
			break;
		case '>':
			buf_addstr(b, "&gt;");
			break;
		case '"':
			buf_addstr(b, "&quot;");
			break;
		case '\'':
			buf_addstr(b, "&#39;");
			break;
		default:
			buf_addch(b, *s);
		}
	}
}

void page_begin(struct buf *b, const char *title)
{
	buf_init(b, PAGE_MAX);
	buf_addstr(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	              "<meta name=\"viewport\" content=\"width=device-width, "
	              "initial-scale=1\"><title>");
	page_escape(b, title);
	buf_addstr(b, " - graphmock</title>"
	              "<link rel=\"icon\" href=\"/_mock/ui/favicon.svg\" "
	              "type=\"image/svg+xml\">"
	              "<link rel=\"stylesheet\" href=\"/_mock/ui/base.css\"><style>");
	buf_addstr(b, page_css);
	buf_addstr(b, "</style></head><body><main class=\"card\">\n<h1>");
	page_escape(b, title);
	buf_addstr(b, "</h1>\n");
}

void page_end(struct buf *b)
{
	buf_addstr(
	    b,
	    "<footer>graphmock: a mock of the Microsoft identity platform for "
	    "tests. Never enter a real password here.</footer>\n</main></body></html>\n");
}

void page_hidden(struct buf *b, const char *name, const char *value)
{
	if (!value)
		return;
	buf_addstr(b, "<input type=\"hidden\" name=\"");
	page_escape(b, name);
	buf_addstr(b, "\" value=\"");
	page_escape(b, value);
	buf_addstr(b, "\">\n");
}

int page_send(struct resp *resp, unsigned status, struct buf *b)
{
	size_t len;
	char *text = buf_detach(b, &len);
	int rc;

	if (!text)
		return -1;
	rc = resp_raw(resp, status, "text/html; charset=utf-8", text, len);
	free(text);
	resp_header(resp, "Cache-Control", "no-store, no-cache");
	resp_header(resp, "X-Frame-Options", "DENY");
	return rc;
}

int page_error(struct call *c, unsigned status, unsigned code, const char *fmt, ...)
{
	char msg[1200], desc[1600];
	struct buf b;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	login_description(c->req, code, msg, desc, sizeof(desc));
	page_begin(&b, "Sorry, but we're having trouble signing you in.");
	buf_addstr(&b, "<p class=\"notice error\" role=\"alert\">");
	page_escape(&b, desc);
	buf_addstr(&b, "</p>\n");
	page_end(&b);
	if (page_send(c->resp, status, &b))
		buf_release(&b);
	return -1;
}

bool page_cookie(const struct req *req, const char *name, char *out, size_t len)
{
	const char *h = req_header(req, "cookie");
	size_t n = strlen(name);

	while (h && *h) {
		h += strspn(h, " ;");
		if (!strncmp(h, name, n) && h[n] == '=') {
			size_t v = strcspn(h + n + 1, ";");
			if (v >= len)
				return false;
			snprintf(out, len, "%.*s", (int)v, h + n + 1);
			return true;
		}
		h += strcspn(h, ";");
	}
	return false;
}

unsigned login_check_password(const struct dobj *user, const char *password, char *msg,
                              size_t len)
{
	const char *hash = json_string_value(
	    json_object_get(state_dobj_json(user), MODEL_PASSWORD_HASH));

	if (json_is_false(json_object_get(state_dobj_json(user), "accountEnabled"))) {
		snprintf(msg, len, "%s",
		         login_is_guest(user) ? "The guest user account is disabled."
		                              : "The user account is disabled.");
		return login_is_guest(user) ? 500571 : 50057;
	}
	/* a guest without a password here signs in at home: not mocked, so any
	 * password does (identity.md §5.3; docs/identity.md) */
	if (login_is_guest(user) && !hash && password && *password)
		return 0;
	if (!password_verify(password, hash)) {
		snprintf(
		    msg, len,
		    "Error validating credentials due to invalid username or password.");
		return 50126;
	}
	return 0;
}

void login_consent_line(struct buf *b, const char *app_name, const struct scopes *s)
{
	buf_addstr(b, "<p class=\"notice info\"><strong>");
	page_escape(b, app_name);
	buf_addstr(b, "</strong> wants to sign you in");
	if (s->scp[0]) {
		buf_addstr(b, " and use these permissions: ");
		page_escape(b, s->scp);
	}
	if (s->offline)
		buf_addstr(
		    b, ", and keep access when you are not signed in (offline_access)");
	buf_addstr(b, ".</p>\n");
}
