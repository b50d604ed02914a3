/*
 * routes/graph/odata_ref_test.c - reference URLs: every accepted shape, and the
 * malformed ones a $ref body or an @odata.bind array may carry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "../../server/core/resp.h"
#include "odata_ref.h"

#define GID "1892265B-9c32-4dcf-b9ab-51bf32136e62"
#define LID "1892265b-9c32-4dcf-b9ab-51bf32136e62"

static void assert_parses(const char *url)
{
	char id[GUID_STR_LEN + 1] = "";

	assert_int_equal(odata_ref_parse(url, odata_ref_directory_sets, id), 0);
	assert_string_equal(id, LID);
}

static void assert_rejects(const char *url)
{
	char id[GUID_STR_LEN + 1];

	assert_int_equal(odata_ref_parse(url, odata_ref_directory_sets, id), -1);
}

static void test_accepted_shapes(void **unused)
{
	(void)unused;
	assert_parses("https://graph.microsoft.com/v1.0/directoryObjects/" GID);
	assert_parses("https://graph.microsoft.com/beta/users/" GID);
	assert_parses("https://localhost:8443/v1.0/groups/" GID);
	assert_parses("http://127.0.0.1:1234/servicePrincipals/" GID);
	assert_parses("https://graph.microsoft.com/v1.0/DirectoryObjects/" GID);
	assert_parses("https://graph.microsoft.com/v1.0/directoryObjects('" GID "')");
	assert_parses("https://graph.microsoft.com/v1.0/users(" GID ")");
	assert_parses("/v1.0/users/" GID);
	assert_parses("users/" GID);
	assert_parses(
	    "https://graph.microsoft.com/v2/84841066-274d-4ec0-a5c1-276be684bdd3/"
	    "directoryObjects/" GID "/Microsoft.DirectoryServices.User");
}

static void test_rejected_shapes(void **unused)
{
	(void)unused;
	assert_rejects("");
	assert_rejects(GID);
	assert_rejects("https://graph.microsoft.com/v1.0/directoryObjects/abc");
	assert_rejects("https://graph.microsoft.com/v1.0/applications/" GID);
	assert_rejects("https://graph.microsoft.com/v1.0/users/" GID "/");
	assert_rejects("https://graph.microsoft.com/v1.0/users/" GID "?x=1");
	assert_rejects("https://graph.microsoft.com/v1.0/users/" GID "x");
	assert_rejects("https://graph.microsoft.com/v1.0/users('" GID ")");
	assert_rejects("https://graph.microsoft.com/v1.0/devices('" GID "')");
	assert_rejects("https://graph.microsoft.com/");
	assert_rejects("https://graph.microsoft.com");
	assert_rejects(
	    "https://graph.microsoft.com/v1.0/Microsoft.DirectoryServices.User");
}

static void assert_body_error(const char *json, const char *message)
{
	char id[GUID_STR_LEN + 1];
	json_t *body = json_loads(json, 0, NULL);
	struct resp resp;
	json_t *err;

	resp_init(&resp, NULL);
	assert_non_null(body);
	assert_int_equal(odata_ref_body(body, odata_ref_directory_sets, &resp, id), -1);
	assert_int_equal(resp.status, 400);
	err = json_object_get(resp.body, "error");
	assert_string_equal(json_string_value(json_object_get(err, "code")),
	                    "Request_BadRequest");
	assert_string_equal(json_string_value(json_object_get(err, "message")), message);
	json_decref(body);
	resp_release(&resp);
}

static void test_ref_body(void **unused)
{
	char id[GUID_STR_LEN + 1];
	json_t *ok = json_pack("{s:s}", "@odata.id", "https://x/v1.0/users/" GID);
	struct resp resp;

	(void)unused;
	resp_init(&resp, NULL);
	assert_int_equal(odata_ref_body(ok, odata_ref_directory_sets, &resp, id), 0);
	assert_string_equal(id, LID);
	json_decref(ok);
	resp_release(&resp);
	assert_body_error("{}", "Invalid object identifier ''.");
	assert_body_error("{\"@odata.id\": 5}", "Invalid object identifier '5'.");
	assert_body_error("{\"@odata.id\": \"nope\"}",
	                  "Invalid object identifier 'nope'.");
	assert_body_error("{\"@odata.id\": \"https://x/users/" GID "\", \"extra\": 1}",
	                  "Invalid object identifier 'extra'.");
	/* an annotation beside it is no second key */
	ok = json_pack("{s:s, s:s}", "@odata.type", "#microsoft.graph.referenceCreate",
	               "@odata.id", "https://x/v1.0/users/" GID);
	resp_init(&resp, NULL);
	assert_int_equal(odata_ref_body(ok, odata_ref_directory_sets, &resp, id), 0);
	assert_string_equal(id, LID);
	json_decref(ok);
	resp_release(&resp);
}

static void test_bind_budget(void **unused)
{
	char ids[ODATA_BIND_MAX][GUID_STR_LEN + 1];
	json_t *arr = json_array();
	struct resp resp;
	size_t n = 0;

	(void)unused;
	for (int i = 0; i <= ODATA_BIND_MAX; i++)
		json_array_append_new(arr, json_string("https://x/v1.0/users/" GID));
	resp_init(&resp, NULL);
	assert_int_equal(odata_ref_bind(arr, "members@odata.bind",
	                                odata_ref_directory_sets, ids, ODATA_BIND_MAX, &n,
	                                &resp),
	                 -1);
	assert_int_equal(resp.status, 400);
	assert_int_equal(n, ODATA_BIND_MAX);
	resp_release(&resp);
	json_array_remove(arr, 0);
	n = 0;
	resp_init(&resp, NULL);
	assert_int_equal(odata_ref_bind(arr, "members@odata.bind",
	                                odata_ref_directory_sets, ids, ODATA_BIND_MAX, &n,
	                                &resp),
	                 0);
	assert_int_equal(n, ODATA_BIND_MAX);
	assert_string_equal(ids[19], LID);
	resp_release(&resp);
	json_decref(arr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_accepted_shapes),
	    cmocka_unit_test(test_rejected_shapes),
	    cmocka_unit_test(test_ref_body),
	    cmocka_unit_test(test_bind_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
