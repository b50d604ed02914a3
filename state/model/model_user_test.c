/*
 * state/model/model_user_test.c - a user completed as text
 * (model_user_complete_text(), what the export writes for users kept as
 * text) reads exactly as the same user completed as a tree
 * (model_user_complete()): the same members in the same order. And the
 * text it cannot complete alone is handed back untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "model.h"
#include "../load/tenants.h"
#include "../state_testutil.h"
#include "../util/buf.h"

#define ID      "\"id\":\"5b2e6d1c-3f4a-4c8e-9a7b-1d2e3f405162\""
#define CREATED "\"createdDateTime\":\"2026-01-02T03:04:05Z\""

/* Compact text of a tree, members in their order. */
static char *dump(const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);

	assert_non_null(s);
	return s;
}

static void assert_same_as_tree(struct state *st, const char *text)
{
	struct buf out;
	json_t *tree = json_loads(text, 0, NULL), *from_text;
	char *want, *got;

	assert_non_null(tree);
	assert_int_equal(model_user_complete(st, state_tenant_default(st), tree), 0);
	buf_init(&out, 1 << 20);
	assert_int_equal(model_user_complete_text(text, strlen(text), &out), 0);
	assert_false(out.failed);
	from_text = json_loads(out.data, 0, NULL);
	if (!from_text)
		fail_msg("not JSON: %s", out.data);
	want = dump(tree);
	got = dump(from_text);
	assert_string_equal(got, want);
	free(want);
	free(got);
	json_decref(tree);
	json_decref(from_text);
	buf_release(&out);
}

static void test_same_as_tree(void **unused)
{
	static const char *const users[] = {
	    /* every default missing */
	    "{" ID "," CREATED
	    ",\"displayName\":\"Adele\",\"userPrincipalName\":\"a@x.com\"}",
	    /* some given, with other values than the defaults */
	    "{" ID ",\"accountEnabled\":false,\"userType\":\"Guest\"," CREATED
	    ",\"otherMails\":[\"a@b.c\"],\"externalUserState\":\"PendingAcceptance\"}",
	    /* all given */
	    "{" ID "," CREATED ",\"accountEnabled\":true,\"userType\":\"Member\","
	    "\"businessPhones\":[],\"otherMails\":[],\"proxyAddresses\":[],"
	    "\"identities\":[{\"signInType\":\"userPrincipalName\"}],"
	    "\"creationType\":null,\"externalUserState\":null,"
	    "\"externalUserStateChangeDateTime\":null}",
	    /* spaces, escapes, nested values that look like keys, a hashed password */
	    "{ " ID " , " CREATED " ,\n \"displayName\" : \"Zo\\u00eb \\\"Z\\\" \\\\\","
	    "\"onPremisesExtensionAttributes\":{\"userType\":\"x\",\"accountEnabled\":1},"
	    "\"passwordProfile\":{\"forceChangePasswordNextSignIn\":true},"
	    "\"@graphmock.passwordHash\":\"pbkdf2$x\" }",
	};
	struct state st;

	(void)unused;
	test_state_init(&st, 3);
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++)
		assert_same_as_tree(&st, users[i]);
	state_release(&st);
}

/* Text only a tree can complete: refused, nothing written. */
static void test_left_to_the_tree(void **unused)
{
	static const char *const users[] = {
	    "{" CREATED "}", /* no id */
	    "{\"id\":\"5B2E6D1C-3F4A-4C8E-9A7B-1D2E3F405162\"," CREATED
	    "}", /* upper case */
	    "{\"id\":42," CREATED "}",
	    "{" ID "}", /* no creation time: the clock's */
	    "{" ID "," CREATED ",\"passwordProfile\":{\"password\":\"clear!\"}}",
	    "{" ID "," CREATED ",\"user\\u0054ype\":\"Guest\"}", /* an escaped key */
	    "[1]",
	    "{" ID "," CREATED,
	};
	struct buf out;

	(void)unused;
	buf_init(&out, 1 << 20);
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		assert_int_equal(
		    model_user_complete_text(users[i], strlen(users[i]), &out), -1);
		assert_int_equal(out.len, 0);
	}
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_as_tree),
	    cmocka_unit_test(test_left_to_the_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
