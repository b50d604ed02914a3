/*
 * server/certs_test.c - `graphmock certs DIR`: the certificate names Graph's
 * and Entra's hosts, localhost and the loopback addresses (and any extra
 * name), chains to the CA, matches its key, keeps its key private; a second
 * run keeps valid files, a new name issues anew, a bad name is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certs.h"

static char g_dir[64];
static char g_certs[128];

static char *slurp(const char *name)
{
	char path[256];
	char *buf = calloc(1, 65536);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", g_certs, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_non_null(buf);
	assert_true(fread(buf, 1, 65535, f) > 0);
	fclose(f);
	return buf;
}

static gnutls_x509_crt_t load_crt(const char *name)
{
	char *pem = slurp(name);
	gnutls_datum_t d = {(unsigned char *)pem, (unsigned)strlen(pem)};
	gnutls_x509_crt_t crt;

	assert_int_equal(gnutls_x509_crt_init(&crt), 0);
	assert_int_equal(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM), 0);
	free(pem);
	return crt;
}

static int issue(const char *const *extra, int n)
{
	FILE *devnull = fopen("/dev/null", "w");
	int rc = certs_issue(g_certs, extra, n, devnull, devnull);

	fclose(devnull);
	return rc;
}

static int setup(void **s)
{
	(void)s;
	snprintf(g_dir, sizeof(g_dir), "/tmp/graphmock-certs-XXXXXX");
	if (!mkdtemp(g_dir))
		return -1;
	snprintf(g_certs, sizeof(g_certs), "%s/a/b", g_dir); /* parents are made */
	return 0;
}

static int teardown(void **s)
{
	char cmd[128];

	(void)s;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_dir);
	return system(cmd) ? -1 : 0;
}

static void test_names_chain_and_key(void **s)
{
	static const char *const extra[] = {"graphmock", "10.9.8.7"};
	static const unsigned char v6_loopback[16] = {[15] = 1};
	static const unsigned char v4[] = {10, 9, 8, 7};
	gnutls_x509_crt_t srv, ca;
	gnutls_x509_privkey_t key;
	unsigned char id1[64], id2[64];
	size_t n1 = sizeof(id1), n2 = sizeof(id2);
	unsigned status = 1;
	struct stat st;
	char path[256];

	(void)s;
	assert_int_equal(issue(extra, 2), 0);
	srv = load_crt("server.pem");
	ca = load_crt("ca.pem");
	for (int i = 0; certs_default_names[i]; i++)
		if (!strchr(certs_default_names[i], ':') &&
		    strcmp(certs_default_names[i], "127.0.0.1"))
			assert_true(gnutls_x509_crt_check_hostname2(
			    srv, certs_default_names[i], 0));
	assert_true(gnutls_x509_crt_check_hostname2(srv, "graph.microsoft.com", 0));
	assert_true(gnutls_x509_crt_check_hostname2(srv, "login.microsoftonline.com", 0));
	assert_true(gnutls_x509_crt_check_hostname2(srv, "graphmock", 0));
	assert_false(gnutls_x509_crt_check_hostname2(srv, "example.com", 0));
	assert_true(
	    gnutls_x509_crt_check_ip(srv, (const unsigned char[]){127, 0, 0, 1}, 4, 0));
	assert_true(gnutls_x509_crt_check_ip(srv, v6_loopback, 16, 0));
	assert_true(gnutls_x509_crt_check_ip(srv, v4, 4, 0));
	assert_int_equal(gnutls_x509_crt_verify(srv, &ca, 1, 0, &status), 0);
	assert_int_equal(status, 0);
	assert_int_equal(gnutls_x509_crt_get_ca_status(ca, NULL), 1);
	assert_int_equal(gnutls_x509_crt_get_ca_status(srv, NULL), 0);

	char *pem = slurp("server.key");
	gnutls_datum_t d = {(unsigned char *)pem, (unsigned)strlen(pem)};
	assert_int_equal(gnutls_x509_privkey_init(&key), 0);
	assert_int_equal(gnutls_x509_privkey_import(key, &d, GNUTLS_X509_FMT_PEM), 0);
	assert_int_equal(gnutls_x509_privkey_get_key_id(key, 0, id1, &n1), 0);
	assert_int_equal(gnutls_x509_crt_get_key_id(srv, 0, id2, &n2), 0);
	assert_memory_equal(id1, id2, n1);
	snprintf(path, sizeof(path), "%s/server.key", g_certs);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(path, sizeof(path), "%s/server-chain.pem", g_certs);
	assert_int_equal(access(path, R_OK), 0);
	free(pem);
	gnutls_x509_privkey_deinit(key);
	gnutls_x509_crt_deinit(srv);
	gnutls_x509_crt_deinit(ca);
}

static void test_kept_while_valid_reissued_for_new_names(void **s)
{
	static const char *const extra[] = {"graphmock", "10.9.8.7"};
	static const char *const more[] = {"mock.internal"};
	char *first, *again, *other;

	(void)s;
	assert_int_equal(issue(extra, 2), 0);
	first = slurp("server.pem");
	assert_int_equal(issue(extra, 2), 0);
	again = slurp("server.pem");
	assert_string_equal(first, again); /* up to date: kept */
	assert_int_equal(issue(more, 1), 0);
	other = slurp("server.pem");
	assert_string_not_equal(first, other);
	free(first);
	free(again);
	free(other);
}

static void test_bad_name(void **s)
{
	static const char *const bad[] = {"two words"};

	(void)s;
	assert_int_equal(issue(bad, 1), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names_chain_and_key),
	    cmocka_unit_test(test_kept_while_valid_reissued_for_new_names),
	    cmocka_unit_test(test_bad_name),
	};

	return cmocka_run_group_tests_name("certs", tests, setup, teardown);
}
