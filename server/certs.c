/*
 * server/certs.c - a throwaway CA and server certificate with GnuTLS (which
 * graphmock links anyway), so neither a developer machine nor the container
 * image needs openssl for HTTPS tests or the zero-configuration mode.
 */
#include "certs.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *const certs_default_names[] = {
    "localhost",
    "127.0.0.1",
    "::1",
    "graph.microsoft.com",
    "login.microsoftonline.com",
    "login.windows.net",
    "sts.windows.net",
    NULL,
};

#define CERTS_PATH_MAX 4096
#define CERTS_PEM_MAX  (64 * 1024)

/* One certificate and its key while issuing. */
struct certs_pair {
	gnutls_x509_crt_t crt;
	gnutls_x509_privkey_t key;
};

static void pair_release(struct certs_pair *p)
{
	if (p->crt)
		gnutls_x509_crt_deinit(p->crt);
	if (p->key)
		gnutls_x509_privkey_deinit(p->key);
	p->crt = NULL;
	p->key = NULL;
}

/* mkdir -p @dir. 0 or -1 (errno). */
static int make_dirs(const char *dir)
{
	char path[CERTS_PATH_MAX];
	size_t n = strlen(dir);

	if (!n || n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, n + 1);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(path, 0755) && errno != EEXIST)
		return -1;
	return 0;
}

/* @dir/@name as a NUL-terminated string (new), or NULL. */
static char *read_text(const char *dir, const char *name)
{
	char path[CERTS_PATH_MAX];
	char *buf;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	buf = malloc(CERTS_PEM_MAX + 1);
	if (buf) {
		len = fread(buf, 1, CERTS_PEM_MAX, f);
		buf[len] = '\0';
	}
	fclose(f);
	return buf;
}

/* Replace @dir/@name with @len bytes of @data, through a temporary file. */
static int write_file(const char *dir, const char *name, const void *data, size_t len,
                      mode_t mode)
{
	char tmp[CERTS_PATH_MAX], path[CERTS_PATH_MAX];
	int fd;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.%ld.tmp", dir, name, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	ok = write(fd, data, len) == (ssize_t)len && fchmod(fd, mode) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int import_pem(gnutls_x509_crt_t *crt, const char *pem)
{
	gnutls_datum_t d = {(unsigned char *)pem, (unsigned)strlen(pem)};

	if (gnutls_x509_crt_init(crt) < 0)
		return -1;
	if (gnutls_x509_crt_import(*crt, &d, GNUTLS_X509_FMT_PEM) < 0) {
		gnutls_x509_crt_deinit(*crt);
		*crt = NULL;
		return -1;
	}
	return 0;
}

/* Does @crt name @name (a DNS name or an IP address) in its subjectAltName? */
static bool names(gnutls_x509_crt_t crt, const char *name)
{
	unsigned char ip[16];

	if (inet_pton(AF_INET, name, ip) == 1)
		return gnutls_x509_crt_check_ip(crt, ip, 4, 0) != 0;
	if (inet_pton(AF_INET6, name, ip) == 1)
		return gnutls_x509_crt_check_ip(crt, ip, 16, 0) != 0;
	return gnutls_x509_crt_check_hostname2(crt, name, 0) != 0;
}

/* Is what @dir holds already what certs_issue() would write? */
static bool up_to_date(const char *dir, const char *const *extra, int nextra)
{
	char *ca_pem = read_text(dir, "ca.pem");
	char *srv_pem = read_text(dir, "server.pem");
	gnutls_x509_crt_t ca = NULL, srv = NULL;
	char path[CERTS_PATH_MAX];
	time_t keep = time(NULL) + CERTS_KEEP_MARGIN;
	unsigned status = 1;
	bool ok = false;

	snprintf(path, sizeof(path), "%s/server.key", dir);
	if (!ca_pem || !srv_pem || access(path, R_OK) || import_pem(&ca, ca_pem) ||
	    import_pem(&srv, srv_pem))
		goto out;
	snprintf(path, sizeof(path), "%s/server-chain.pem", dir);
	if (access(path, R_OK) || gnutls_x509_crt_get_expiration_time(srv) < keep ||
	    gnutls_x509_crt_get_expiration_time(ca) < keep ||
	    gnutls_x509_crt_verify(srv, &ca, 1, 0, &status) < 0 || status)
		goto out;
	ok = true;
	for (int i = 0; certs_default_names[i]; i++)
		ok = ok && names(srv, certs_default_names[i]);
	for (int i = 0; i < nextra; i++)
		ok = ok && names(srv, extra[i]);
out:
	if (ca)
		gnutls_x509_crt_deinit(ca);
	if (srv)
		gnutls_x509_crt_deinit(srv);
	free(ca_pem);
	free(srv_pem);
	return ok;
}

/* A new RSA-2048 key and an unsigned v3 certificate for it, named CN=@cn. */
static int pair_new(struct certs_pair *p, const char *cn, time_t now)
{
	unsigned char serial[16];
	unsigned char kid[64];
	size_t kid_len = sizeof(kid);

	if (gnutls_x509_privkey_init(&p->key) < 0 ||
	    gnutls_x509_privkey_generate(p->key, GNUTLS_PK_RSA, 2048, 0) < 0 ||
	    gnutls_x509_crt_init(&p->crt) < 0 ||
	    gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial)) < 0)
		return -1;
	serial[0] &= 0x7f; /* a positive serial number */
	serial[0] |= 0x01; /* of full length */
	if (gnutls_x509_crt_set_version(p->crt, 3) < 0 ||
	    gnutls_x509_crt_set_serial(p->crt, serial, sizeof(serial)) < 0 ||
	    gnutls_x509_crt_set_activation_time(p->crt, now - 3600) < 0 ||
	    gnutls_x509_crt_set_expiration_time(p->crt, now + CERTS_DAYS * 86400L) < 0 ||
	    gnutls_x509_crt_set_dn_by_oid(p->crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn,
	                                  (unsigned)strlen(cn)) < 0 ||
	    gnutls_x509_crt_set_key(p->crt, p->key) < 0 ||
	    gnutls_x509_crt_get_key_id(p->crt, 0, kid, &kid_len) < 0 ||
	    gnutls_x509_crt_set_subject_key_id(p->crt, kid, kid_len) < 0)
		return -1;
	return 0;
}

static int add_name(gnutls_x509_crt_t crt, const char *name)
{
	unsigned char ip[16];

	if (inet_pton(AF_INET, name, ip) == 1)
		return gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, ip,
		                                            4, GNUTLS_FSAN_APPEND);
	if (inet_pton(AF_INET6, name, ip) == 1)
		return gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, ip,
		                                            16, GNUTLS_FSAN_APPEND);
	return gnutls_x509_crt_set_subject_alt_name(
	    crt, GNUTLS_SAN_DNSNAME, name, (unsigned)strlen(name), GNUTLS_FSAN_APPEND);
}

static int make_ca(struct certs_pair *ca, time_t now)
{
	unsigned char kid[64];
	size_t kid_len = sizeof(kid);

	if (pair_new(ca, "graphmock test CA", now) ||
	    gnutls_x509_crt_set_basic_constraints(ca->crt, 1, -1) < 0 ||
	    gnutls_x509_crt_set_key_usage(ca->crt,
	                                  GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN |
	                                      GNUTLS_KEY_DIGITAL_SIGNATURE) < 0 ||
	    gnutls_x509_crt_get_subject_key_id(ca->crt, kid, &kid_len, NULL) < 0 ||
	    gnutls_x509_crt_set_authority_key_id(ca->crt, kid, kid_len) < 0 ||
	    gnutls_x509_crt_sign2(ca->crt, ca->crt, ca->key, GNUTLS_DIG_SHA256, 0) < 0)
		return -1;
	return 0;
}

static int make_server(struct certs_pair *srv, const struct certs_pair *ca,
                       const char *const *extra, int nextra, time_t now)
{
	unsigned char kid[64];
	size_t kid_len = sizeof(kid);

	if (pair_new(srv, "localhost", now) ||
	    gnutls_x509_crt_set_basic_constraints(srv->crt, 0, -1) < 0 ||
	    gnutls_x509_crt_set_key_usage(srv->crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
	                                                GNUTLS_KEY_KEY_ENCIPHERMENT) <
	        0 ||
	    gnutls_x509_crt_set_key_purpose_oid(srv->crt, GNUTLS_KP_TLS_WWW_SERVER, 0) <
	        0 ||
	    gnutls_x509_crt_get_subject_key_id(ca->crt, kid, &kid_len, NULL) < 0 ||
	    gnutls_x509_crt_set_authority_key_id(srv->crt, kid, kid_len) < 0)
		return -1;
	for (int i = 0; certs_default_names[i]; i++)
		if (add_name(srv->crt, certs_default_names[i]) < 0)
			return -1;
	for (int i = 0; i < nextra; i++)
		if (add_name(srv->crt, extra[i]) < 0)
			return -1;
	if (gnutls_x509_crt_sign2(srv->crt, ca->crt, ca->key, GNUTLS_DIG_SHA256, 0) < 0)
		return -1;
	return 0;
}

/* Write @crt (PEM) or, with @key, the key (PKCS#8 PEM, 0600) to @dir/@name. */
static int save(const char *dir, const char *name, gnutls_x509_crt_t crt,
                gnutls_x509_privkey_t key)
{
	gnutls_datum_t d = {NULL, 0};
	int rc;

	if (key)
		rc = gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_PEM, NULL,
		                                       GNUTLS_PKCS_PLAIN, &d);
	else
		rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d);
	if (rc < 0)
		return -1;
	rc = write_file(dir, name, d.data, d.size, key ? 0600 : 0644);
	gnutls_free(d.data);
	return rc;
}

static int save_chain(const char *dir, const struct certs_pair *srv,
                      const struct certs_pair *ca)
{
	gnutls_datum_t a = {NULL, 0}, b = {NULL, 0};
	char *both;
	int rc = -1;

	if (gnutls_x509_crt_export2(srv->crt, GNUTLS_X509_FMT_PEM, &a) < 0 ||
	    gnutls_x509_crt_export2(ca->crt, GNUTLS_X509_FMT_PEM, &b) < 0)
		goto out;
	both = malloc((size_t)a.size + b.size);
	if (!both)
		goto out;
	memcpy(both, a.data, a.size);
	memcpy(both + a.size, b.data, b.size);
	rc = write_file(dir, "server-chain.pem", both, (size_t)a.size + b.size, 0644);
	free(both);
out:
	gnutls_free(a.data);
	gnutls_free(b.data);
	return rc;
}

static bool valid_name(const char *name)
{
	size_t n = strlen(name);

	return n && n < 254 && !strpbrk(name, " \t\r\n/,");
}

int certs_issue(const char *dir, const char *const *extra, int nextra, FILE *out,
                FILE *err)
{
	struct certs_pair ca = {NULL, NULL}, srv = {NULL, NULL};
	time_t now = time(NULL);
	int rc = -1;

	for (int i = 0; i < nextra; i++) {
		if (!valid_name(extra[i])) {
			fprintf(err, "certs: '%s' is not a host name or IP address\n",
			        extra[i]);
			return -1;
		}
	}
	if (make_dirs(dir)) {
		fprintf(err, "certs: cannot create '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	if (up_to_date(dir, extra, nextra)) {
		fprintf(out, "certs: up to date in %s\n", dir);
		return 0;
	}
	if (make_ca(&ca, now) || make_server(&srv, &ca, extra, nextra, now)) {
		fprintf(err, "certs: issuing the certificates failed\n");
		goto out;
	}
	if (save(dir, "ca.key", NULL, ca.key) || save(dir, "ca.pem", ca.crt, NULL) ||
	    save(dir, "server.key", NULL, srv.key) ||
	    save(dir, "server.pem", srv.crt, NULL) || save_chain(dir, &srv, &ca)) {
		fprintf(err, "certs: writing into '%s' failed: %s\n", dir,
		        strerror(errno));
		goto out;
	}
	fprintf(out, "certs: CA %s/ca.pem, server %s/server.pem + %s/server.key\n", dir,
	        dir, dir);
	rc = 0;
out:
	pair_release(&ca);
	pair_release(&srv);
	return rc;
}
