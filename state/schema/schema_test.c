/*
 * state/schema/schema_test.c - facts of Graph's v1.0 CSDL as the generated
 * tables carry them (user, group, servicePrincipal, appRoleAssignment,
 * organization, the container), the lookups' case rule, and the invariants
 * the binary searches rely on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "schema.h"
#include "schema_fit.h"
#include "schema_ids.h"

static const struct schema_type *type(const char *name)
{
	const struct schema_type *t = schema_type_find(name);

	if (!t)
		fail_msg("type '%s' not in the tables", name);
	return t;
}

static const struct schema_property *prop(const struct schema_type *t, const char *name)
{
	const struct schema_property *p = schema_property_find(t, name);

	if (!p)
		fail_msg("%s has no property '%s'", t->name, name);
	assert_string_equal(p->name, name);
	return p;
}

static void test_user_properties(void **unused)
{
	const struct schema_type *user = type("user");
	const struct schema_property *p;

	(void)unused;
	assert_string_equal(user->name, "microsoft.graph.user");
	assert_string_equal(user->short_name, "user");
	assert_int_equal(user->kind, SCHEMA_KIND_ENTITY);
	assert_ptr_equal(user->base, type("microsoft.graph.directoryObject"));
	assert_true(user->flags & SCHEMA_TYPE_OPEN);
	assert_false(user->flags & SCHEMA_TYPE_ABSTRACT);

	p = prop(user, "signInActivity");
	assert_int_equal(p->edm, SCHEMA_EDM_COMPLEX);
	assert_string_equal(p->type_name, "microsoft.graph.signInActivity");
	assert_ptr_equal(p->type, type("signInActivity"));
	assert_int_equal(p->type->kind, SCHEMA_KIND_COMPLEX);
	assert_int_equal(p->flags, SCHEMA_PROP_NULLABLE);
	assert_ptr_equal(p->owner, user);
	/* the complex type's own properties are there too */
	p = prop(p->type, "lastSignInDateTime");
	assert_int_equal(p->edm, SCHEMA_EDM_DATE_TIME_OFFSET);

	p = prop(user, "assignedLicenses");
	assert_int_equal(p->edm, SCHEMA_EDM_COMPLEX);
	assert_string_equal(p->type_name, "microsoft.graph.assignedLicense");
	assert_ptr_equal(p->type, type("assignedLicense"));
	assert_int_equal(p->flags, SCHEMA_PROP_COLLECTION); /* Nullable="false" */
	assert_int_equal(prop(p->type, "skuId")->edm, SCHEMA_EDM_GUID);

	p = prop(user, "securityIdentifier");
	assert_int_equal(p->edm, SCHEMA_EDM_STRING);
	assert_string_equal(p->type_name, "Edm.String");
	assert_null(p->type);
	p = prop(user, "onPremisesSamAccountName");
	assert_int_equal(p->edm, SCHEMA_EDM_STRING);
	assert_int_equal(p->flags, SCHEMA_PROP_NULLABLE);

	p = prop(user, "accountEnabled");
	assert_int_equal(p->edm, SCHEMA_EDM_BOOLEAN);
	assert_string_equal(p->type_name, "Edm.Boolean");
	assert_int_equal(p->flags, SCHEMA_PROP_NULLABLE);

	p = prop(user, "businessPhones");
	assert_int_equal(p->edm, SCHEMA_EDM_STRING);
	assert_int_equal(p->flags, SCHEMA_PROP_COLLECTION);
	assert_int_equal(prop(user, "birthday")->flags, 0); /* Nullable="false" */
	assert_int_equal(prop(user, "deviceEnrollmentLimit")->edm, SCHEMA_EDM_INT32);
}

static void test_user_navigation(void **unused)
{
	const struct schema_type *user = type("user");
	const struct schema_type *dobj = type("directoryObject");
	const struct schema_property *p;

	(void)unused;
	p = prop(user, "sponsors");
	assert_int_equal(p->edm, SCHEMA_EDM_ENTITY);
	assert_int_equal(p->flags, SCHEMA_PROP_NAVIGATION | SCHEMA_PROP_COLLECTION |
	                               SCHEMA_PROP_NULLABLE);
	assert_string_equal(p->type_name, "microsoft.graph.directoryObject");
	assert_ptr_equal(p->type, dobj);

	p = prop(user, "manager");
	assert_int_equal(p->edm, SCHEMA_EDM_ENTITY);
	assert_true(p->flags & SCHEMA_PROP_NAVIGATION);
	assert_false(p->flags & SCHEMA_PROP_COLLECTION);
	assert_false(p->flags & SCHEMA_PROP_CONTAINS_TARGET);
	assert_ptr_equal(p->type, dobj);

	p = prop(user, "appRoleAssignments");
	assert_int_equal(p->flags, SCHEMA_PROP_NAVIGATION | SCHEMA_PROP_COLLECTION |
	                               SCHEMA_PROP_CONTAINS_TARGET |
	                               SCHEMA_PROP_NULLABLE);
	assert_ptr_equal(p->type, type("appRoleAssignment"));

	/* a navigation target the tables do not model keeps its name */
	p = prop(user, "calendar");
	assert_true(p->flags & SCHEMA_PROP_NAVIGATION);
	assert_string_equal(p->type_name, "microsoft.graph.calendar");
	assert_null(p->type);
	assert_null(schema_type_find("microsoft.graph.calendar"));
}

static void test_inherited_key(void **unused)
{
	const struct schema_type *user = type("user");
	const struct schema_type *entity = type("entity");
	const struct schema_property *id = prop(user, "id");
	const struct schema_property *del = prop(user, "deletedDateTime");

	(void)unused;
	assert_ptr_equal(id->owner, entity);
	assert_int_equal(id->edm, SCHEMA_EDM_STRING);
	assert_int_equal(id->flags, SCHEMA_PROP_KEY); /* Nullable="false" */
	assert_ptr_equal(user->key, id);
	assert_ptr_equal(type("group")->key, id);
	assert_ptr_equal(type("subscription")->key, id);
	assert_true(entity->flags & SCHEMA_TYPE_ABSTRACT);
	assert_null(entity->base);

	assert_ptr_equal(del->owner, type("directoryObject"));
	assert_int_equal(del->edm, SCHEMA_EDM_DATE_TIME_OFFSET);
	assert_int_equal(del->flags, SCHEMA_PROP_NULLABLE);
	assert_null(type("signInActivity")->key);
	/* own properties exclude inherited ones */
	for (size_t i = 0; i < user->nprops; i++)
		assert_ptr_equal(user->props[i].owner, user);
	assert_int_equal(user->nall, user->nprops + 2);
}

static void test_other_types(void **unused)
{
	const struct schema_property *p;

	(void)unused;
	p = prop(type("group"), "members");
	assert_int_equal(p->edm, SCHEMA_EDM_ENTITY);
	assert_int_equal(p->flags, SCHEMA_PROP_NAVIGATION | SCHEMA_PROP_COLLECTION |
	                               SCHEMA_PROP_NULLABLE);
	assert_ptr_equal(p->type, type("directoryObject"));

	p = prop(type("servicePrincipal"), "appRoles");
	assert_int_equal(p->edm, SCHEMA_EDM_COMPLEX);
	assert_string_equal(p->type_name, "microsoft.graph.appRole");
	assert_true(p->flags & SCHEMA_PROP_COLLECTION);
	assert_int_equal(prop(p->type, "id")->edm, SCHEMA_EDM_GUID);
	assert_int_equal(prop(p->type, "allowedMemberTypes")->flags,
	                 SCHEMA_PROP_COLLECTION);

	p = prop(type("appRoleAssignment"), "principalId");
	assert_int_equal(p->edm, SCHEMA_EDM_GUID);
	assert_string_equal(p->type_name, "Edm.Guid");
	assert_int_equal(prop(type("appRoleAssignment"), "appRoleId")->flags, 0);

	p = prop(type("invitation"), "invitedUser");
	assert_true(p->flags & SCHEMA_PROP_NAVIGATION);
	assert_ptr_equal(p->type, type("user"));
	assert_int_equal(prop(type("subscription"), "expirationDateTime")->flags, 0);

	p = prop(type("changeNotification"), "subscriptionId");
	assert_int_equal(p->edm, SCHEMA_EDM_GUID);
	assert_ptr_equal(prop(type("changeNotificationCollection"), "value")->type,
	                 type("changeNotification"));
}

static void test_enums(void **unused)
{
	const struct schema_type *mdm = type("microsoft.graph.mdmAuthority");
	const struct schema_type *native = type("nativeAuthenticationApisEnabled");
	static const char *const names[] = {"unknown", "intune", "sccm", "office365"};
	const struct schema_property *p;

	(void)unused;
	p = prop(type("organization"), "mobileDeviceManagementAuthority");
	assert_int_equal(p->edm, SCHEMA_EDM_ENUM);
	assert_ptr_equal(p->type, mdm);
	assert_int_equal(p->flags, 0); /* Nullable="false" */

	assert_int_equal(mdm->kind, SCHEMA_KIND_ENUM);
	assert_int_equal(mdm->underlying, SCHEMA_EDM_INT32);
	assert_false(mdm->flags & SCHEMA_TYPE_FLAGS);
	assert_int_equal(mdm->nmembers, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(mdm->members[i].name, names[i]); /* CSDL order */
		assert_int_equal(mdm->members[i].value, (int64_t)i);
		assert_ptr_equal(schema_enum_member_find(mdm, names[i]),
		                 &mdm->members[i]);
	}
	assert_ptr_equal(schema_enum_member_find(mdm, "Office365"), &mdm->members[3]);
	assert_null(schema_enum_member_find(mdm, "office"));
	assert_null(schema_enum_member_find(mdm, "office3655"));
	assert_null(schema_enum_member_find(type("user"), "id"));
	assert_null(schema_property_find(mdm, "intune"));

	assert_true(native->flags & SCHEMA_TYPE_FLAGS);
	assert_ptr_equal(
	    prop(type("application"), "nativeAuthenticationApisEnabled")->type, native);
	assert_ptr_equal(schema_enum_member_find(native, "all"), &native->members[1]);
	assert_int_equal(native->members[1].value, 1);
	p = prop(type("changeNotification"), "changeType");
	assert_int_equal(p->edm, SCHEMA_EDM_ENUM);
	assert_ptr_equal(schema_enum_member_find(p->type, "deleted"),
	                 &p->type->members[2]);
	assert_int_equal(p->type->members[2].value, 2);
}

/* Graph: $select=AccountEnabled on /users returns accountEnabled (schema.h). */
static void test_case_rule(void **unused)
{
	const struct schema_type *user = type("user");
	const struct schema_property *ae = prop(user, "accountEnabled");

	(void)unused;
	assert_ptr_equal(schema_property_find(user, "AccountEnabled"), ae);
	assert_ptr_equal(schema_property_find(user, "ACCOUNTENABLED"), ae);
	assert_ptr_equal(schema_property_find(user, "accountenabled"), ae);
	assert_ptr_equal(schema_property_find(user, "ID"), user->key);
	assert_ptr_equal(schema_property_find(user, "SignInSessionsValidFromDateTime"),
	                 prop(user, "signInSessionsValidFromDateTime"));
	/* ...but directoryObject declares neither: dynamic, left to the caller */
	assert_null(schema_property_find(type("directoryObject"), "AccountEnabled"));
	assert_null(schema_property_find(type("directoryObject"), "accountEnabled"));
	assert_true(type("directoryObject")->flags & SCHEMA_TYPE_OPEN);

	assert_null(schema_property_find(user, "nonsense"));
	assert_null(schema_property_find(user, "accountEnable"));
	assert_null(schema_property_find(user, "accountEnabledX"));
	assert_null(schema_property_find(user, ""));
	assert_null(schema_property_find(user, "account Enabled"));
	assert_null(schema_property_find(user, NULL));
	assert_null(schema_property_find(NULL, "id"));

	/* a slice of a $select list */
	assert_ptr_equal(schema_property_find_len(user, "displayName,mail", 11),
	                 prop(user, "displayName"));
	assert_ptr_equal(schema_property_find_len(user, "displayName,mail", 4), NULL);
	assert_ptr_equal(schema_property_find_len(user, "mail,x", 4), prop(user, "mail"));
}

/*
 * Graph's CSDL has no two names that differ only in case, so the rest of the
 * rule is checked on a made-up type: exact match first, else the unique
 * case-insensitive match, else (ambiguous) none.
 */
static void test_case_rule_ambiguous(void **unused)
{
	static const struct schema_property props[] = {
	    {"foo", "Edm.String", NULL, NULL, SCHEMA_EDM_STRING, 0},
	    {"bar", "Edm.String", NULL, NULL, SCHEMA_EDM_STRING, 0},
	    {"Foo", "Edm.String", NULL, NULL, SCHEMA_EDM_STRING, 0},
	    {"fooBar", "Edm.String", NULL, NULL, SCHEMA_EDM_STRING, 0},
	};
	static const struct schema_property *const all[] = {&props[0], &props[1],
	                                                    &props[2], &props[3]};
	static const uint16_t by_name[] = {1, 2, 0, 3}; /* bar Foo foo fooBar */
	static const struct schema_type t = {
	    "test.t", "t",
	    NULL,     SCHEMA_KIND_COMPLEX,
	    0,        SCHEMA_EDM_NONE,
	    props,    4,
	    all,      4,
	    by_name,  NULL,
	    NULL,     NULL,
	    0,
	};

	(void)unused;
	assert_ptr_equal(schema_property_find(&t, "foo"), &props[0]);
	assert_ptr_equal(schema_property_find(&t, "Foo"), &props[2]);
	assert_null(schema_property_find(&t, "FOO"));
	assert_null(schema_property_find(&t, "fOo"));
	assert_ptr_equal(schema_property_find(&t, "BAR"), &props[1]);
	assert_ptr_equal(schema_property_find(&t, "FOOBAR"), &props[3]);
	assert_null(schema_property_find(&t, "fo"));
	assert_null(schema_property_find(&t, "zzz"));
	assert_null(schema_property_find(&t, "a"));
}

static void test_type_names(void **unused)
{
	const struct schema_type *user = type("microsoft.graph.user");

	(void)unused;
	assert_ptr_equal(schema_type_find("user"), user);
	assert_ptr_equal(schema_type_find("graph.user"), user);
	assert_ptr_equal(schema_type_find("#microsoft.graph.user"), user);
	assert_ptr_equal(schema_type_find("#graph.user"), user);
	assert_ptr_equal(schema_type_find("Microsoft.Graph.User"), user);
	assert_ptr_equal(schema_type_find("USER"), user);
	assert_null(schema_type_find("users"));
	assert_null(schema_type_find("use"));
	assert_null(schema_type_find("microsoft.graph."));
	assert_null(schema_type_find("microsoft.graph.security.user"));
	assert_null(schema_type_find(""));
	assert_null(schema_type_find(NULL));

	char longname[400];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_null(schema_type_find(longname));

	assert_true(schema_type_is_a(user, type("entity")));
	assert_true(schema_type_is_a(user, type("directoryObject")));
	assert_true(schema_type_is_a(user, user));
	assert_false(schema_type_is_a(type("entity"), user));
	assert_false(schema_type_is_a(user, type("group")));
	/* derived complex types come with the complex types properties name */
	assert_ptr_equal(type("serviceProvisioningXmlError")->base,
	                 type("serviceProvisioningError"));
}

static void test_iterator(void **unused)
{
	const struct schema_type *user = type("user");
	struct schema_prop_iter it;
	const struct schema_property *p;
	size_t n = 0;

	(void)unused;
	schema_prop_iter_init(&it, user);
	p = schema_prop_iter_next(&it);
	assert_string_equal(p->name, "id");
	p = schema_prop_iter_next(&it);
	assert_string_equal(p->name, "deletedDateTime");
	p = schema_prop_iter_next(&it);
	assert_string_equal(p->name, "aboutMe"); /* user's first, in CSDL order */
	assert_ptr_equal(p, &user->props[0]);
	n = 3;
	for (p = schema_prop_iter_next(&it); p; p = schema_prop_iter_next(&it)) {
		assert_ptr_equal(p, &user->props[n - 2]);
		n++;
	}
	assert_int_equal(n, user->nall);
	assert_null(schema_prop_iter_next(&it));

	schema_prop_iter_init(&it, type("mdmAuthority"));
	assert_null(schema_prop_iter_next(&it));
	schema_prop_iter_init(&it, NULL);
	assert_null(schema_prop_iter_next(&it));
}

static void test_sources(void **unused)
{
	const struct schema_source *s;
	const struct schema_property *p;
	static const char *const served[] = {
	    "users",
	    "groups",
	    "applications",
	    "servicePrincipals",
	    "invitations",
	    "organization",
	    "directoryObjects",
	    "applicationTemplates",
	    "subscriptions",
	    "directory",
	    "me",
	};

	(void)unused;
	for (size_t i = 0; i < sizeof(served) / sizeof(served[0]); i++) {
		if (!schema_source_find(served[i]))
			fail_msg("no entity set or singleton '%s'", served[i]);
	}
	s = schema_source_find("users");
	assert_int_equal(s->kind, SCHEMA_ENTITY_SET);
	assert_ptr_equal(s->type, type("user"));
	assert_ptr_equal(schema_source_find("Users"), s);
	s = schema_source_find("me");
	assert_int_equal(s->kind, SCHEMA_SINGLETON);
	assert_ptr_equal(s->type, type("user"));
	s = schema_source_find("users");
	bool manager = false;
	for (size_t i = 0; i < s->nbindings; i++) {
		assert_non_null(schema_source_find(s->bindings[i].target));
		if (!strcmp(s->bindings[i].path, "manager"))
			manager = !strcmp(s->bindings[i].target, "directoryObjects");
	}
	assert_true(manager);

	s = schema_source_find("directory");
	assert_int_equal(s->kind, SCHEMA_SINGLETON);
	assert_ptr_equal(s->type, type("directory"));
	p = prop(s->type, "deletedItems");
	assert_int_equal(p->flags, SCHEMA_PROP_NAVIGATION | SCHEMA_PROP_COLLECTION |
	                               SCHEMA_PROP_CONTAINS_TARGET |
	                               SCHEMA_PROP_NULLABLE);
	assert_ptr_equal(p->type, type("directoryObject"));

	assert_null(schema_source_find("user"));
	assert_null(schema_source_find("drives"));
	assert_null(schema_source_find(NULL));
}

static int fold_cmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = (*a >= 'A' && *a <= 'Z') ? *a + 32 : *a;
		int y = (*b >= 'A' && *b <= 'Z') ? *b + 32 : *b;
		if (x != y || !x)
			return x - y;
	}
}

/* What the binary searches and the iterator assume of every table. */
static void test_table_invariants(void **unused)
{
	size_t props = 0;

	(void)unused;
	assert_true(schema_ntypes > 100);
	for (size_t i = 0; i < schema_ntypes; i++) {
		const struct schema_type *t = &schema_types[i];
		size_t depth = 0;

		if (i)
			assert_true(fold_cmp(schema_types[i - 1].name, t->name) < 0);
		assert_ptr_equal(schema_type_find(t->name), t);
		assert_ptr_equal(schema_type_find(t->short_name), t);
		assert_int_equal(strncmp(t->name, "microsoft.graph.", 16), 0);
		for (const struct schema_type *b = t->base; b; b = b->base)
			assert_true(++depth < 8);
		for (size_t j = 0; j < t->nall; j++) {
			const struct schema_property *p = t->all[j];
			if (j)
				assert_true(fold_cmp(t->all[t->all_by_name[j - 1]]->name,
				                     t->all[t->all_by_name[j]]->name) <
				            0);
			assert_ptr_equal(schema_property_find(t, p->name), p);
			assert_true(schema_type_is_a(t, p->owner));
			if (p->type)
				assert_string_equal(p->type->name, p->type_name);
			else
				assert_true(p->edm < SCHEMA_EDM_COMPLEX ||
				            p->edm == SCHEMA_EDM_ENTITY);
			if (p->edm == SCHEMA_EDM_ENTITY)
				assert_true(p->flags & SCHEMA_PROP_NAVIGATION);
		}
		for (size_t j = 1; j < t->nmembers; j++)
			assert_true(fold_cmp(t->members[t->members_by_name[j - 1]].name,
			                     t->members[t->members_by_name[j]].name) < 0);
		assert_int_equal(t->kind == SCHEMA_KIND_ENTITY, t->key != NULL);
		assert_int_equal(t->kind == SCHEMA_KIND_ENUM,
		                 t->underlying != SCHEMA_EDM_NONE);
		props += t->nprops;
	}
	assert_true(props > 700);
	for (size_t i = 1; i < schema_nsources; i++)
		assert_true(fold_cmp(schema_sources[i - 1].name, schema_sources[i].name) <
		            0);
}

/* SCHEMA_TYPE() names each table at compile time; slots index all[]. */
static void test_ids_and_slots(void **unused)
{
	const struct schema_type *user = SCHEMA_TYPE(user);
	int slot;

	(void)unused;
	assert_ptr_equal(user, type("user"));
	assert_ptr_equal(SCHEMA_TYPE(applicationServicePrincipal),
	                 type("applicationServicePrincipal"));
	assert_int_equal(SCHEMA_ID_COUNT, schema_ntypes);
	for (size_t i = 0; i < user->nall; i++) {
		const char *name = user->all[i]->name;

		assert_int_equal(schema_property_slot(user, name, strlen(name)), (int)i);
	}
	slot = schema_property_slot(user, "DISPLAYNAMEx", 11);
	assert_true(slot >= 0);
	assert_string_equal(user->all[slot]->name, "displayName");
	assert_int_equal(schema_property_slot(user, "nope", 4), -1);
	assert_int_equal(schema_property_slot(NULL, "id", 2), -1);
}

/* The kinds of JSON value each sort of property takes (schema_fit.h). */
static void test_kinds_fit(void **state)
{
	const struct schema_type *user = schema_type_find("user");
	const struct schema_property *enabled =
	    schema_property_find(user, "accountEnabled");
	const struct schema_property *phones =
	    schema_property_find(user, "businessPhones");
	const struct schema_property *ids = schema_property_find(user, "identities");
	const struct schema_property *profile =
	    schema_property_find(user, "passwordProfile");
	const struct schema_property *created =
	    schema_property_find(user, "createdDateTime");
	const struct schema_property *manager = schema_property_find(user, "manager");

	(void)state;
	assert_true(schema_kind_fits(enabled, schema_json_kind_of_text("false")));
	assert_true(schema_kind_fits(enabled, schema_json_kind_of_text("null")));
	assert_false(schema_kind_fits(enabled, schema_json_kind_of_text("\"yes\"")));
	assert_false(schema_kind_fits(enabled, schema_json_kind_of_text("1")));
	assert_string_equal(schema_kind_wanted(enabled), "a boolean");
	assert_true(schema_kind_fits(phones, SCHEMA_JSON_ARRAY));
	assert_false(schema_kind_fits(phones, SCHEMA_JSON_NULL)); /* Nullable="false" */
	assert_false(schema_kind_fits(phones, SCHEMA_JSON_STRING));
	assert_string_equal(schema_kind_wanted(phones), "an array");
	assert_true(schema_kind_fits(ids, SCHEMA_JSON_NULL));
	assert_true(schema_kind_fits(profile, schema_json_kind_of_text("{}")));
	assert_false(schema_kind_fits(profile, schema_json_kind_of_text("[]")));
	assert_true(schema_kind_fits(created, schema_json_kind_of_text("\"2024\"")));
	assert_false(schema_kind_fits(created, schema_json_kind_of_text("-12")));
	assert_string_equal(schema_kind_wanted(created), "a string");
	assert_true(schema_kind_fits(manager, SCHEMA_JSON_NUMBER)); /* not judged */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_user_properties),
	    cmocka_unit_test(test_user_navigation),
	    cmocka_unit_test(test_inherited_key),
	    cmocka_unit_test(test_other_types),
	    cmocka_unit_test(test_enums),
	    cmocka_unit_test(test_case_rule),
	    cmocka_unit_test(test_case_rule_ambiguous),
	    cmocka_unit_test(test_type_names),
	    cmocka_unit_test(test_iterator),
	    cmocka_unit_test(test_sources),
	    cmocka_unit_test(test_table_invariants),
	    cmocka_unit_test(test_ids_and_slots),
	    cmocka_unit_test(test_kinds_fit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
