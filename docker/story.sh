#!/bin/sh
# docker/story.sh - the guest-onboarding story as an automation runs it, with
# the real endpoints of Entra ID and Graph (no graphmock URL anywhere): a token
# by client credentials, invite a guest, find it, add it to the Developer
# group, give it DocuSign's "DocuSign Sender" role, open the redemption link.
# In docker/compose.yaml the client container runs it against graphmock in the
# zero-configuration mode (extra_hosts, the CA in CURL_CA_BUNDLE); docker/check
# runs it against a local graphmock through curl's --connect-to.
# Needs curl and jq. Prints each step; exit 0 when the story holds.
# env: GRAPH (https://graph.microsoft.com), LOGIN (https://login.microsoftonline.com),
#      TENANT (contoso.onmicrosoft.com), CLIENT_ID, CLIENT_SECRET: the fixture's
#      "Guest onboarding automation" app; CURL_OPTS: more curl options
set -eu
GRAPH=${GRAPH:-https://graph.microsoft.com}
LOGIN=${LOGIN:-https://login.microsoftonline.com}
TENANT=${TENANT:-contoso.onmicrosoft.com}
CLIENT_ID=${CLIENT_ID:-bb307b24-a6db-470e-9a3b-e58a68578312}
CLIENT_SECRET=${CLIENT_SECRET:-GuestOnboarding~Secret1}
J='Content-Type: application/json'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# c ARGS: curl that fails on HTTP errors and shows Graph's error body.
c() {
	# shellcheck disable=SC2086
	curl -sS --fail-with-body --max-time 20 ${CURL_OPTS:-} "$@"
}
step() { echo "story: $*"; }

step "token from $LOGIN/$TENANT"
TOKEN=$(c -X POST "$LOGIN/$TENANT/oauth2/v2.0/token" -d "client_id=$CLIENT_ID" \
	-d "client_secret=$CLIENT_SECRET" -d scope=https://graph.microsoft.com/.default \
	-d grant_type=client_credentials | jq -er .access_token)
A="Authorization: Bearer $TOKEN"

step "invite dev.$$@fabrikam.example"
c -X POST "$GRAPH/v1.0/invitations" -H "$A" -H "$J" -d "{
  \"invitedUserEmailAddress\": \"dev.$$@fabrikam.example\",
  \"inviteRedirectUrl\": \"https://myapp.contoso.com\", \"sendInvitationMessage\": true}" \
	>"$tmp/invite.json"
GUEST=$(jq -er .invitedUser.id "$tmp/invite.json")
REDEEM=$(jq -er .inviteRedeemUrl "$tmp/invite.json")
case $REDEEM in "$GRAPH"/*) ;; *)
	echo "story: the redemption link $REDEEM is not on $GRAPH" >&2
	exit 1
	;;
esac

step "the guest $GUEST is in /users"
c "$GRAPH/v1.0/users/$GUEST?\$select=id,userType,externalUserState" -H "$A" |
	jq -e '.userType == "Guest" and .externalUserState == "PendingAcceptance"' >/dev/null

step "add it to the Developer group"
GROUP=$(c "$GRAPH/v1.0/groups?\$filter=displayName%20eq%20'Developer%20group'" -H "$A" |
	jq -er '.value[0].id')
c -X POST "$GRAPH/v1.0/groups/$GROUP/members/\$ref" -H "$A" -H "$J" \
	-d "{\"@odata.id\": \"$GRAPH/v1.0/directoryObjects/$GUEST\"}"
c "$GRAPH/v1.0/groups/$GROUP/members?\$select=id" -H "$A" |
	jq -e --arg g "$GUEST" 'any(.value[]; .id == $g)' >/dev/null

step "add DocuSign from the gallery and give the guest DocuSign Sender"
TPL=$(c "$GRAPH/v1.0/applicationTemplates?\$filter=displayName%20eq%20'DocuSign'" -H "$A" |
	jq -er '.value[0].id')
c -X POST "$GRAPH/v1.0/applicationTemplates/$TPL/instantiate" -H "$A" -H "$J" \
	-d '{"displayName": "DocuSign"}' >"$tmp/app.json"
SP=$(jq -er .servicePrincipal.id "$tmp/app.json")
ROLE=$(jq -er '.servicePrincipal.appRoles[] | select(.displayName == "DocuSign Sender") | .id' \
	"$tmp/app.json")
c -X POST "$GRAPH/v1.0/servicePrincipals/$SP/appRoleAssignedTo" -H "$A" -H "$J" \
	-d "{\"principalId\": \"$GUEST\", \"resourceId\": \"$SP\", \"appRoleId\": \"$ROLE\"}" |
	jq -e --arg r "$ROLE" '.appRoleId == $r' >/dev/null

step "open the redemption link: 302 to the app, the guest Accepted"
status=$(c -o /dev/null -w '%{http_code}' "$REDEEM")
[ "$status" = 302 ] || {
	echo "story: the redemption link answered $status, not 302" >&2
	exit 1
}
c "$GRAPH/v1.0/users/$GUEST?\$select=externalUserState" -H "$A" |
	jq -e '.externalUserState == "Accepted"' >/dev/null
step "ok"
