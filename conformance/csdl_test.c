/*
 * conformance/csdl_test.c - the runner's CSDL check catches drifted bodies:
 * an undeclared property, a wrong spelling, each EDM type given the wrong
 * JSON, DateTimeOffsets outside Graph's formats, null where not nullable,
 * enums, complex types and collections of them, @odata.type values, and the
 * @odata.context forms graphmock answers (sets, keys, navigation paths,
 * casts, /$entity, Collection(Edm.String), $batch entries). Graph-shaped
 * bodies (from Graph's own documentation examples) pass.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "csdl.h"

#define CTX "https://graph.microsoft.com/v1.0/$metadata#"

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);

	if (!v)
		fail_msg("bad test JSON: %s: %s", e.text, text);
	return v;
}

static void conforms(const char *text)
{
	json_t *v = load(text);
	char msg[1024] = "";

	if (!csdl_check_body(200, v, msg, sizeof(msg)))
		fail_msg("rejected: %s\nbody: %s", msg, text);
	json_decref(v);
}

/* @text must fail, with @want in the message. */
static void drifts(const char *text, const char *want)
{
	json_t *v = load(text);
	char msg[1024] = "";

	if (csdl_check_body(200, v, msg, sizeof(msg)))
		fail_msg("accepted a drifted body: %s", text);
	if (!strstr(msg, want))
		fail_msg("message \"%s\" lacks \"%s\"", msg, want);
	json_decref(v);
}

static void test_graph_examples_pass(void **unused)
{
	(void)unused;
	/* graph-spec §3.3, the default GET of a fresh guest */
	conforms(
	    "{\"@odata.context\": \"" CTX "users/$entity\", \"businessPhones\": [],"
	    "\"displayName\": \"Bob\", \"givenName\": null, \"jobTitle\": null,"
	    "\"mail\": \"bob@fabrikam.com\", \"mobilePhone\": null,"
	    "\"officeLocation\": null, \"preferredLanguage\": null, \"surname\": null,"
	    "\"userPrincipalName\": \"bob_fabrikam.com#EXT#@contoso.onmicrosoft.com\","
	    "\"id\": \"cbb896f9-8306-49d0-b56b-b8e39cd28825\"}");
	/* $select with identities (complex collection) and timestamps */
	conforms(
	    "{\"@odata.context\": \"" CTX "users(id,identities)/$entity\","
	    "\"id\": \"cbb896f9-8306-49d0-b56b-b8e39cd28825\", \"userType\": \"Guest\","
	    "\"externalUserStateChangeDateTime\": \"2024-05-01T10:22:31Z\","
	    "\"createdDateTime\": \"2021-02-15T16:14:59.8643039Z\","
	    "\"signInActivity\": null, \"assignedLicenses\": [],"
	    "\"identities\": [{\"signInType\": \"federated\", \"issuer\": "
	    "\"ExternalAzureAD\", \"issuerAssignedId\": null}]}");
	/* a directoryObject collection with derived types, paging annotations */
	conforms(
	    "{\"@odata.context\": \"" CTX "directoryObjects\", \"@odata.count\": 2,"
	    "\"@odata.nextLink\": \"https://x/v1.0/groups?$skiptoken=a\", \"value\": ["
	    "{\"@odata.type\": \"#microsoft.graph.user\", \"id\": \"a\", "
	    "\"displayName\": "
	    "\"A\"}, {\"@odata.type\": \"#microsoft.graph.group\", \"id\": \"b\","
	    "\"groupTypes\": [], \"securityEnabled\": true}]}");
	/* a navigation path with a key, and the assignment's 7-digit timestamp */
	conforms(
	    "{\"@odata.context\": \"" CTX "servicePrincipals('9028d19c-26a9-4809-8e3f-"
	    "20ff73e2d75e')/appRoleAssignedTo/$entity\", \"id\": \"-WmtM5na7Uus0D8k\","
	    "\"deletedDateTime\": null, \"appRoleId\": "
	    "\"ef7437e6-4f94-4a0a-a110-a439eb2aa8f7\", \"createdDateTime\": "
	    "\"2021-02-15T16:14:59.8643039Z\", \"principalDisplayName\": \"P\","
	    "\"principalId\": \"33ad69f9-da99-4bed-acd0-3f24235cb296\","
	    "\"principalType\": \"Group\", \"resourceDisplayName\": \"F\","
	    "\"resourceId\": \"9028d19c-26a9-4809-8e3f-20ff73e2d75e\"}");
	conforms("{\"@odata.context\": \"" CTX
	         "servicePrincipals('x')/appRoleAssignedTo\","
	         "\"value\": [{\"id\": \"a\", \"principalType\": \"User\"}]}");
	/* actions, the instantiate answer, expansions, casts */
	conforms("{\"@odata.context\": \"" CTX
	         "Collection(Edm.String)\", \"value\": [\"a\"]}");
	conforms(
	    "{\"@odata.context\": \"" CTX "microsoft.graph.applicationServicePrincipal\","
	    "\"application\": {\"id\": \"a\", \"api\": {\"requestedAccessTokenVersion\": "
	    "null}}, \"servicePrincipal\": {\"id\": \"b\", \"appRoles\": [{\"value\": "
	    "null,"
	    "\"allowedMemberTypes\": [\"User\"], \"isEnabled\": true}]}}");
	conforms(
	    "{\"@odata.context\": \"" CTX "groups(id,members(id))/$entity\", \"id\": "
	    "\"g\", \"members\": [{\"@odata.type\": \"#microsoft.graph.user\", \"id\": "
	    "\"u\"}]}");
	conforms(
	    "{\"@odata.context\": \"" CTX
	    "users(manager())\", \"value\": [{\"id\": \"u\","
	    "\"manager\": {\"@odata.type\": \"#microsoft.graph.user\", \"id\": \"m\","
	    "\"manager\": {\"@odata.type\": \"#microsoft.graph.user\", \"id\": "
	    "\"n\"}}}]}");
	conforms("{\"@odata.context\": \"" CTX
	         "groups('g')/members/microsoft.graph.user\","
	         "\"value\": [{\"id\": \"u\", \"accountEnabled\": true}]}");
	/* not checked: errors, beta, no context */
	conforms("{\"error\": {\"code\": \"x\", \"message\": 5}}");
	conforms(
	    "{\"@odata.context\": \"https://graph.microsoft.com/beta/$metadata#users\","
	    "\"value\": [{\"madeUp\": 1}]}");
}

static void test_drift_is_caught(void **unused)
{
	(void)unused;
	/* a delta page: "@removed" with Graph's reasons only */
	conforms("{\"@odata.context\": \"" CTX "users(displayName)\", \"value\": ["
	         "{\"id\": \"867c0910-85c6-4427-9a19-b6e7e79332ae\", "
	         "\"@removed\": {\"reason\": \"deleted\"}}]}");
	drifts(
	    "{\"@odata.context\": \"" CTX "users(displayName)\", \"value\": ["
	    "{\"id\": \"867c0910-85c6-4427-9a19-b6e7e79332ae\", "
	    "\"@removed\": {\"reason\": \"gone\"}}]}",
	    "body.value[0].@removed: expected {\"reason\": \"changed\" or \"deleted\"}");
	drifts("{\"@odata.context\": \"" CTX
	       "users/$entity\", \"favouriteColour\": \"red\"}",
	       "body.favouriteColour: not a property of microsoft.graph.user");
	drifts("{\"@odata.context\": \"" CTX "users/$entity\", \"DisplayName\": \"x\"}",
	       "body.DisplayName: spelt 'displayName' in the schema");
	drifts("{\"@odata.context\": \"" CTX
	       "users/$entity\", \"accountEnabled\": \"true\"}",
	       "body.accountEnabled: expected Edm.Boolean, got \"true\"");
	drifts("{\"@odata.context\": \"" CTX "users/$entity\", \"displayName\": 5}",
	       "expected Edm.String, got 5");
	drifts("{\"@odata.context\": \"" CTX "users/$entity\", \"createdDateTime\": "
	       "\"2024-05-01\"}",
	       "body.createdDateTime: expected Edm.DateTimeOffset");
	drifts("{\"@odata.context\": \"" CTX "users/$entity\", \"createdDateTime\": "
	       "\"2024-05-01T10:22:31.12345678Z\"}",
	       "expected Edm.DateTimeOffset");
	drifts("{\"@odata.context\": \"" CTX "users/$entity\", \"createdDateTime\": "
	       "\"2024-05-01 10:22:31Z\"}",
	       "expected Edm.DateTimeOffset");
	drifts("{\"@odata.context\": \"" CTX "users/$entity\", \"businessPhones\": null}",
	       "body.businessPhones: expected an array");
	drifts("{\"@odata.context\": \"" CTX "users/$entity\", \"businessPhones\": [1]}",
	       "body.businessPhones[0]: expected Edm.String");
	drifts("{\"@odata.context\": \"" CTX "users/$entity\", \"id\": null}",
	       "body.id: null, but id is not nullable");
	drifts("{\"@odata.context\": \"" CTX "users/$entity\", \"identities\": "
	       "[{\"signInTyp\": \"federated\"}]}",
	       "body.identities[0].signInTyp: not a property of "
	       "microsoft.graph.objectIdentity");
	drifts(
	    "{\"@odata.context\": \"" CTX "users/$entity\", \"signInActivity\": []}",
	    "body.signInActivity: expected an object of microsoft.graph.signInActivity");
	drifts("{\"@odata.context\": \"" CTX "users/$entity\", \"assignedLicenses\": "
	       "[{\"skuId\": \"not-a-guid\"}]}",
	       "body.assignedLicenses[0].skuId: expected Edm.Guid");
	drifts("{\"@odata.context\": \"" CTX "users/$entity\", \"@odata.type\": "
	       "\"#microsoft.graph.group\"}",
	       "is not derived from the declared microsoft.graph.user");
	drifts("{\"@odata.context\": \"" CTX
	       "directoryObjects\", \"value\": [{\"@odata.type\":"
	       " \"#microsoft.graph.usr\", \"id\": \"a\"}]}",
	       "body.value[0].@odata.type: '#microsoft.graph.usr' is not a type");
	drifts(
	    "{\"@odata.context\": \"" CTX
	    "directoryObjects\", \"value\": [{\"@odata.type\":"
	    " \"#microsoft.graph.group\", \"userPrincipalName\": \"a\"}]}",
	    "body.value[0].userPrincipalName: not a property of microsoft.graph.group");
	drifts("{\"@odata.context\": \"" CTX "servicePrincipals/$entity\", \"appRoles\": "
	       "[{\"isEnabled\": \"yes\"}]}",
	       "body.appRoles[0].isEnabled: expected Edm.Boolean");
	drifts("{\"@odata.context\": \"" CTX "users\", \"value\": {}}",
	       "needs a \"value\" array");
	drifts("{\"@odata.context\": \"" CTX "users\", \"value\": [], \"count\": 1}",
	       "body.count: not a member of a collection answer");
	drifts("{\"@odata.context\": \"" CTX
	       "users\", \"value\": [], \"@odata.count\": \"1\"}",
	       "body.@odata.count: expected an integer");
	drifts("{\"@odata.context\": \"" CTX "Collection(Edm.String)\", \"value\": [1]}",
	       "body.value[0]: expected Edm.String");
	drifts("{\"@odata.context\": \"" CTX "widgets\", \"value\": []}",
	       "'widgets' in the @odata.context is not in the schema");
	/* an action's primitive result (revokeSignInSessions) */
	conforms("{\"@odata.context\": \"" CTX "Edm.Boolean\", \"value\": true}");
	drifts("{\"@odata.context\": \"" CTX "Edm.Boolean\", \"value\": \"true\"}",
	       "body.value: expected Edm.Boolean");
	drifts("{\"@odata.context\": \"" CTX "Edm.Boolean\", \"value\": true, \"ok\": 1}",
	       "body.ok: not a member of an Edm.Boolean answer");
	drifts("{\"@odata.context\": \"" CTX "Edm.Boolean\"}",
	       "body.value: expected Edm.Boolean");
	drifts("{\"@odata.context\": \"" CTX "groups(members())/$entity\", \"members\": "
	       "[{\"@odata.type\": \"#microsoft.graph.user\", \"memberOf\": 3}]}",
	       "body.members[0].memberOf: expected an array");
	/* inside $batch entries */
	drifts("{\"responses\": [{\"id\": \"1\", \"status\": 200, \"body\": "
	       "{\"@odata.context\": \"" CTX "users/$entity\", \"mail\": false}}]}",
	       "body.responses[0].body.mail: expected Edm.String");
}

static void test_enums_and_numbers(void **unused)
{
	(void)unused;
	/* subscription.changeType is a string; an enum on a complex type: */
	conforms("{\"@odata.context\": \"" CTX "applications/$entity\", \"web\": "
	         "{\"implicitGrantSettings\": {\"enableIdTokenIssuance\": false}},"
	         "\"api\": {\"requestedAccessTokenVersion\": 2}}");
	drifts("{\"@odata.context\": \"" CTX "applications/$entity\", \"api\": "
	       "{\"requestedAccessTokenVersion\": 2.5}}",
	       "body.api.requestedAccessTokenVersion: expected Edm.Int32");
	drifts("{\"@odata.context\": \"" CTX "applications/$entity\", \"api\": "
	       "{\"requestedAccessTokenVersion\": 4294967296}}",
	       "expected Edm.Int32");
	/* an enum-typed property: a member name, exactly */
	conforms("{\"@odata.context\": \"" CTX "applications/$entity\", "
	         "\"nativeAuthenticationApisEnabled\": \"none\"}");
	drifts("{\"@odata.context\": \"" CTX "applications/$entity\", "
	       "\"nativeAuthenticationApisEnabled\": \"sometimes\"}",
	       "expected a member of microsoft.graph.nativeAuthenticationApisEnabled");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_graph_examples_pass),
	    cmocka_unit_test(test_drift_is_caught),
	    cmocka_unit_test(test_enums_and_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
