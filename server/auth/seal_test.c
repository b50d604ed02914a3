/*
 * server/auth/seal_test.c - sealed strings: what is sealed comes back; a
 * changed payload or tag, another server's key, or garbage do not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../state/util/b64.h"
#include "seal.h"

static void test_round_trip_and_tamper(void **ctx)
{
	struct sealer a, b;
	json_t *p = json_pack("{s:s, s:I}", "oid", "867c0910-85c6-4427-9a19-b6e7e79332ae",
	                      "iat", (json_int_t)1700000000);
	char *s, *evil, *text;
	json_t *back;
	size_t len;

	(void)ctx;
	sealer_init(&a);
	sealer_init(&b);
	s = seal(&a, p);
	assert_non_null(s);
	back = unseal(&a, s);
	assert_true(json_equal(back, p));
	json_decref(back);
	assert_null(unseal(&b, s)); /* another server's key */
	/* a changed payload with the old tag */
	text = b64url_encode("{\"oid\":\"someone-else\"}", 22);
	len = strlen(text) + strlen(s) + 1;
	evil = malloc(len);
	snprintf(evil, len, "%s%s", text, strrchr(s, '.'));
	assert_null(unseal(&a, evil));
	/* one changed tag character */
	snprintf(evil, len, "%s", s);
	evil[strlen(s) - 5] = evil[strlen(s) - 5] == 'A' ? 'B' : 'A';
	assert_null(unseal(&a, evil));
	assert_null(unseal(&a, "garbage"));
	assert_null(unseal(&a, ""));
	assert_null(unseal(&a, NULL));
	free(text);
	free(evil);
	free(s);
	json_decref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip_and_tamper),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
