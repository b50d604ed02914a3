/*
 * routes/entra/login_testutil.c - helpers of the mock Entra ID tests
 * (login_testutil.h).
 */
#include "login_testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "../../server/http_testutil.h"
#include "../../server/srv.h"
#include "../../state/util/b64.h"

struct srv *lt_srv(void)
{
	struct test_server_opts opts = {.seed = 1};
	struct srv *srv = test_srv_new(&opts);

	snprintf(srv->cfg.public_url, sizeof(srv->cfg.public_url), "%s", LT_ORIGIN);
	assert_non_null(srv_keyring(srv));
	return srv;
}

struct lt_reply lt_call(struct srv *srv, const char *method, const char *path,
                        const char *body, const char *ctype, const char *header)
{
	const char *headers[] = {header, NULL};
	struct test_request rq = {
	    method, path, body, ctype, NULL, NULL, header ? headers : NULL, false, 0};
	struct test_reply t;
	struct lt_reply r;

	memset(&r, 0, sizeof(r));
	test_local(srv, &rq, &t);
	r.status = (unsigned)t.status;
	r.body = json_incref(t.json);
	snprintf(r.text, sizeof(r.text), "%.*s", (int)t.len, t.body);
	snprintf(r.location, sizeof(r.location), "%s", t.location);
	snprintf(r.cache, sizeof(r.cache), "%s", t.cache_control);
	snprintf(r.content_type, sizeof(r.content_type), "%s", t.content_type);
	test_reply_release(&t);
	return r;
}

struct lt_reply lt_token(struct srv *srv, const char *tenant, const char *form,
                         const char *header)
{
	char path[256];

	snprintf(path, sizeof(path), "/%s/oauth2/v2.0/token", tenant);
	return lt_call(srv, "POST", path, form, "application/x-www-form-urlencoded",
	               header);
}

void lt_reply_release(struct lt_reply *r)
{
	json_decref(r->body);
	r->body = NULL;
}

const char *lt_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

void lt_expect_error(struct lt_reply *r, unsigned status, const char *error,
                     unsigned code, const char *prefix)
{
	const char *desc = lt_str(r->body, "error_description");
	char want[1400];

	if (r->status != status || !lt_str(r->body, "error") ||
	    strcmp(lt_str(r->body, "error"), error))
		fail_msg("expected %u %s AADSTS%u, got %u: %s", status, error, code,
		         r->status, r->text);
	assert_int_equal(json_integer_value(
	                     json_array_get(json_object_get(r->body, "error_codes"), 0)),
	                 code);
	snprintf(want, sizeof(want), "AADSTS%u: %s", code, prefix);
	assert_non_null(desc);
	if (strncmp(desc, want, strlen(want)))
		fail_msg("description\n  %s\ndoes not start with\n  %s", desc, want);
	assert_non_null(strstr(desc, "\r\nTrace ID: "));
	assert_string_equal(r->content_type, "application/json; charset=utf-8");
	assert_string_equal(r->cache, "no-store, no-cache");
	lt_reply_release(r);
}

static json_t *segment(const char *token, int index)
{
	const char *p = token, *end;
	unsigned char *raw;
	size_t n;
	json_t *v;

	for (int i = 0; i < index; i++)
		p = strchr(p, '.') + 1;
	end = strchr(p, '.');
	raw = b64_decode(p, (size_t)(end - p), &n);
	assert_non_null(raw);
	v = json_loadb((char *)raw, n, 0, NULL);
	free(raw);
	assert_non_null(v);
	return v;
}

json_t *lt_verified_claims(struct srv *srv, const char *token)
{
	struct lt_reply keys =
	    lt_call(srv, "GET", "/common/discovery/v2.0/keys", NULL, NULL, NULL);
	json_t *header = segment(token, 0), *k, *found = NULL;
	const char *dot2 = strrchr(token, '.');
	gnutls_datum_t der, sig,
	    data = {(unsigned char *)token, (unsigned)(dot2 - token)};
	gnutls_x509_crt_t crt;
	gnutls_pubkey_t pub;
	size_t i, n;

	assert_int_equal(keys.status, 200);
	assert_string_equal(lt_str(header, "alg"), "RS256");
	json_array_foreach(json_object_get(keys.body, "keys"), i, k)
	{
		if (!strcmp(lt_str(k, "kid"), lt_str(header, "kid")))
			found = k;
	}
	if (!found)
		fail_msg("kid %s is not in the JWKS", lt_str(header, "kid"));
	der.data = b64_decode(
	    json_string_value(json_array_get(json_object_get(found, "x5c"), 0)),
	    strlen(json_string_value(json_array_get(json_object_get(found, "x5c"), 0))),
	    &n);
	der.size = (unsigned)n;
	sig.data = b64_decode(dot2 + 1, strlen(dot2 + 1), &n);
	sig.size = (unsigned)n;
	assert_int_equal(gnutls_x509_crt_init(&crt), 0);
	assert_int_equal(gnutls_x509_crt_import(crt, &der, GNUTLS_X509_FMT_DER), 0);
	assert_int_equal(gnutls_pubkey_init(&pub), 0);
	assert_int_equal(gnutls_pubkey_import_x509(pub, crt, 0), 0);
	if (gnutls_pubkey_verify_data2(pub, GNUTLS_SIGN_RSA_SHA256, 0, &data, &sig) < 0)
		fail_msg(
		    "the token's signature does not verify with its JWKS certificate");
	gnutls_pubkey_deinit(pub);
	gnutls_x509_crt_deinit(crt);
	free(der.data);
	free(sig.data);
	json_decref(header);
	lt_reply_release(&keys);
	return segment(token, 1);
}

void *lt_key_load(void)
{
	gnutls_privkey_t k;
	gnutls_datum_t pem;

	assert_int_equal(gnutls_load_file(LT_KEY_PEM, &pem), 0);
	assert_int_equal(gnutls_privkey_init(&k), 0);
	assert_int_equal(
	    gnutls_privkey_import_x509_raw(k, &pem, GNUTLS_X509_FMT_PEM, NULL, 0), 0);
	gnutls_free(pem.data);
	return k;
}

void *lt_key_new(void)
{
	gnutls_privkey_t k;

	assert_int_equal(gnutls_privkey_init(&k), 0);
	assert_int_equal(gnutls_privkey_generate(k, GNUTLS_PK_RSA, 2048, 0), 0);
	return k;
}

void lt_key_free(void *key)
{
	gnutls_privkey_deinit(key);
}

char *lt_assertion(void *key, const char *header_json, const char *payload_json, bool pss)
{
	char *h = b64url_encode(header_json, strlen(header_json));
	char *p = b64url_encode(payload_json, strlen(payload_json));
	size_t len = strlen(h) + strlen(p) + 2;
	char *input = malloc(len), *s, *out;
	gnutls_datum_t data, sig;

	snprintf(input, len, "%s.%s", h, p);
	data.data = (unsigned char *)input;
	data.size = (unsigned)strlen(input);
	assert_int_equal(gnutls_privkey_sign_data2(key,
	                                           pss ? GNUTLS_SIGN_RSA_PSS_RSAE_SHA256
	                                               : GNUTLS_SIGN_RSA_SHA256,
	                                           0, &data, &sig),
	                 0);
	s = b64url_encode(sig.data, sig.size);
	gnutls_free(sig.data);
	len = strlen(input) + strlen(s) + 2;
	out = malloc(len);
	snprintf(out, len, "%s.%s", input, s);
	free(h);
	free(p);
	free(input);
	free(s);
	return out;
}

void lt_cert_thumbprints(char x5t[32], char x5t_s256[48])
{
	gnutls_x509_crt_t crt;
	gnutls_datum_t pem, der;
	unsigned char d1[20], d2[32];

	assert_int_equal(gnutls_load_file(LT_CERT_PEM, &pem), 0);
	assert_int_equal(gnutls_x509_crt_init(&crt), 0);
	assert_int_equal(gnutls_x509_crt_import(crt, &pem, GNUTLS_X509_FMT_PEM), 0);
	assert_int_equal(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der), 0);
	gnutls_hash_fast(GNUTLS_DIG_SHA1, der.data, der.size, d1);
	gnutls_hash_fast(GNUTLS_DIG_SHA256, der.data, der.size, d2);
	b64url_encode_to(d1, sizeof(d1), x5t);
	b64url_encode_to(d2, sizeof(d2), x5t_s256);
	gnutls_free(der.data);
	gnutls_free(pem.data);
	gnutls_x509_crt_deinit(crt);
}

char *lt_form_encode(const char *s)
{
	size_t len = strlen(s) * 3 + 1, o = 0;
	char *out = malloc(len);

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || strchr("-_.~", ch))
			out[o++] = (char)ch;
		else
			o += (size_t)snprintf(out + o, len - o, "%%%02X", ch);
	}
	out[o] = '\0';
	return out;
}
