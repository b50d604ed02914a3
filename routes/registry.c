/*
 * routes/registry.c - every route table, listed once. A new resource is one
 * file in routes/ plus one line here.
 */
#include "registry.h"

extern const struct route users_routes[];
extern const struct route user_manager_routes[];
extern const struct route invitations_routes[];
extern const struct route groups_routes[];
extern const struct route group_members_routes[];
extern const struct route member_of_routes[];
extern const struct route directory_objects_routes[];
extern const struct route application_template_routes[];
extern const struct route application_routes[];
extern const struct route app_credential_routes[];
extern const struct route service_principal_routes[];
extern const struct route app_owner_routes[];
extern const struct route owned_objects_routes[];
extern const struct route app_role_assigned_to_routes[];
extern const struct route app_role_assignment_routes[];
extern const struct route metadata_routes[];
extern const struct route service_root_routes[];
extern const struct route me_routes[];
extern const struct route organization_routes[];
extern const struct route domain_routes[];
extern const struct route policy_routes[];
extern const struct route deleted_items_routes[];
extern const struct route delta_routes[];
extern const struct route subscriptions_routes[];

extern const struct route admin_routes[];
extern const struct route admin_state_routes[];
extern const struct route admin_clock_routes[];
extern const struct route mailbox_routes[];
extern const struct route mock_invitations_routes[];
extern const struct route ui_routes[];
extern const struct route mailpit_routes[];
extern const struct route redeem_routes[];
extern const struct route login_routes[];
extern const struct route login_token_routes[];
extern const struct route login_authorize_routes[];
extern const struct route login_device_routes[];
extern const struct route devicecode_admin_routes[];
extern const struct route permissions_report_routes[];
extern const struct route token_forge_routes[];
extern const struct route webhook_routes[];
extern const struct route changelog_routes[];

/* One table a line reads best. */
/* clang-format off */
const struct route *const graph_route_tables[] = {
	users_routes,
	user_manager_routes,
	invitations_routes,
	groups_routes,
	group_members_routes,
	member_of_routes,
	directory_objects_routes,
	application_template_routes,
	application_routes,
	app_credential_routes,
	service_principal_routes,
	app_owner_routes,
	owned_objects_routes,
	app_role_assigned_to_routes,
	app_role_assignment_routes,
	metadata_routes,
	service_root_routes,
	me_routes,
	organization_routes,
	domain_routes,
	policy_routes,
	deleted_items_routes,
	delta_routes,
	subscriptions_routes,
	NULL,
};

const struct route *const root_route_tables[] = {
	admin_routes,
	admin_state_routes,
	admin_clock_routes,
	mailbox_routes,
	mock_invitations_routes,
	ui_routes,
	mailpit_routes,
	redeem_routes,
	login_routes,
	login_token_routes,
	login_authorize_routes,
	login_device_routes,
	devicecode_admin_routes,
	permissions_report_routes,
	token_forge_routes,
	webhook_routes,
	changelog_routes,
	NULL,
};
/* clang-format on */

const struct route_set registry_routes = {graph_route_tables, root_route_tables};
