// The whole guest-onboarding story through @microsoft/microsoft-graph-client v3,
// written the way a Graph user writes it: invite, find the guest, add to the
// Developer group, give DocuSign Sender, redeem from the email, re-invite.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startGraphmock, uniq, FIXTURE } from './helper.mjs';

let mock;
let client;
before(async () => {
  mock = await startGraphmock();
  client = mock.v3();
});
after(async () => {
  await mock.stop();
});

test('v3: guest onboarding from invitation to redemption and re-invite', async (t) => {
  const email = `ada.${uniq()}@fabrikam.example`;
  let invitation;
  let guestId;
  let groupId;
  let spId;

  await t.test('POST /invitations with an invitation email', async () => {
    invitation = await client.api('/invitations').post({
      invitedUserEmailAddress: email,
      invitedUserDisplayName: 'Ada Lovelace',
      inviteRedirectUrl: 'https://myapps.microsoft.com',
      sendInvitationMessage: true,
    });
    assert.match(invitation.id, /^[0-9a-f-]{36}$/);
    assert.equal(invitation.invitedUserEmailAddress, email);
    assert.equal(invitation.status, 'PendingAcceptance');
    assert.equal(invitation.inviteRedirectUrl, 'https://myapps.microsoft.com');
    assert.equal(invitation.sendInvitationMessage, true);
    assert.match(invitation.inviteRedeemUrl, /^http:\/\/127\.0\.0\.1:\d+\/redeem\?/);
    guestId = invitation.invitedUser.id;
    assert.match(guestId, /^[0-9a-f-]{36}$/);
    assert.notEqual(guestId, invitation.id);
  });

  await t.test('the guest is listed by userType with $select', async () => {
    const res = await client
      .api('/users')
      .filter("userType eq 'Guest'")
      .select('id,displayName,mail,userType,userPrincipalName,externalUserState')
      .get();
    assert.match(res['@odata.context'], /\$metadata#users\(/);
    const guest = res.value.find((u) => u.id === guestId);
    assert.ok(guest, `guest ${guestId} in ${JSON.stringify(res.value)}`);
    assert.deepEqual(Object.keys(guest).sort(), [
      'displayName',
      'externalUserState',
      'id',
      'mail',
      'userPrincipalName',
      'userType',
    ]);
    assert.equal(guest.displayName, 'Ada Lovelace');
    assert.equal(guest.mail, email);
    assert.equal(guest.userType, 'Guest');
    assert.equal(guest.externalUserState, 'PendingAcceptance');
    assert.equal(
      guest.userPrincipalName,
      `${email.replace('@', '_')}#EXT#@${FIXTURE.domain}`,
    );
    assert.ok(res.value.every((u) => u.userType === 'Guest'));
  });

  await t.test("find 'Developer group' by $filter and add the guest", async () => {
    const groups = await client
      .api('/groups')
      .filter("displayName eq 'Developer group'")
      .select('id,displayName')
      .get();
    assert.equal(groups.value.length, 1);
    groupId = groups.value[0].id;
    assert.equal(groupId, FIXTURE.developerGroupId);

    const added = await client.api(`/groups/${groupId}/members/$ref`).post({
      '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${guestId}`,
    });
    // 204 No Content: the v3 client resolves with no body.
    assert.ok(added === undefined || added === null || added === '', `got ${added}`);
  });

  await t.test('the members list holds the guest typed #microsoft.graph.user', async () => {
    const members = await client.api(`/groups/${groupId}/members`).get();
    assert.match(members['@odata.context'], /\$metadata#directoryObjects$/);
    const m = members.value.find((x) => x.id === guestId);
    assert.ok(m, 'guest is a member');
    assert.equal(m['@odata.type'], '#microsoft.graph.user');
    assert.equal(m.displayName, 'Ada Lovelace');
    assert.ok(members.value.some((x) => x.id === FIXTURE.adeleId), 'Adele still a member');
    assert.ok(members.value.every((x) => typeof x['@odata.type'] === 'string'));
  });

  await t.test('DocuSign: instantiate the gallery app, find its SP, assign DocuSign Sender', async () => {
    const templates = await client
      .api('/applicationTemplates')
      .filter("displayName eq 'DocuSign'")
      .get();
    assert.equal(templates.value.length, 1);
    const template = templates.value[0];
    assert.equal(template.id, FIXTURE.docusignTemplateId);

    const inst = await client
      .api(`/applicationTemplates/${template.id}/instantiate`)
      .post({ displayName: 'DocuSign' });
    assert.equal(inst.application.applicationTemplateId, template.id);
    assert.equal(inst.servicePrincipal.appId, inst.application.appId);

    const sps = await client
      .api('/servicePrincipals')
      .filter("displayName eq 'DocuSign'")
      .select('id,displayName,appId,appRoles')
      .get();
    assert.equal(sps.value.length, 1);
    const sp = sps.value[0];
    spId = sp.id;
    assert.equal(spId, inst.servicePrincipal.id);
    const role = sp.appRoles.find((r) => r.displayName === 'DocuSign Sender');
    assert.ok(role, `DocuSign Sender in ${JSON.stringify(sp.appRoles)}`);
    assert.equal(role.id, FIXTURE.docusignSenderRoleId);
    assert.deepEqual(role.allowedMemberTypes, ['User']);
    assert.equal(role.isEnabled, true);

    const assignment = await client.api(`/servicePrincipals/${spId}/appRoleAssignedTo`).post({
      principalId: guestId,
      resourceId: spId,
      appRoleId: role.id,
    });
    assert.equal(assignment.principalId, guestId);
    assert.equal(assignment.resourceId, spId);
    assert.equal(assignment.appRoleId, role.id);
    assert.equal(assignment.principalType, 'User');
    assert.equal(assignment.principalDisplayName, 'Ada Lovelace');
    assert.equal(assignment.resourceDisplayName, 'DocuSign');
  });

  await t.test("the assignment shows in the user's appRoleAssignments", async () => {
    const res = await client.api(`/users/${guestId}/appRoleAssignments`).get();
    assert.equal(res.value.length, 1);
    assert.equal(res.value[0].resourceId, spId);
    assert.equal(res.value[0].appRoleId, FIXTURE.docusignSenderRoleId);
    assert.equal(res.value[0].resourceDisplayName, 'DocuSign');
  });

  await t.test('redeem from the invitation email: 302, then externalUserState Accepted', async () => {
    const mail = await mock.admin('GET', `/_mock/mailbox/latest`);
    assert.equal(mail.status, 200);
    assert.deepEqual(
      mail.body.to.map((x) => x.address),
      [email],
    );
    assert.equal(mail.body.invitationId, invitation.id);
    assert.equal(mail.body.userId, guestId);
    assert.equal(mail.body.redeemUrl, invitation.inviteRedeemUrl);
    assert.ok(mail.body.text.includes(mail.body.redeemUrl), 'the link is in the email text');

    const redeem = await fetch(mail.body.redeemUrl, { redirect: 'manual' });
    assert.equal(redeem.status, 302);
    assert.equal(redeem.headers.get('location'), 'https://myapps.microsoft.com');

    const user = await client
      .api(`/users/${guestId}`)
      .select('id,externalUserState,externalUserStateChangeDateTime')
      .get();
    assert.equal(user.externalUserState, 'Accepted');
    assert.match(user.externalUserStateChangeDateTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  await t.test('re-inviting the same address returns the same invitedUser.id', async () => {
    const again = await client.api('/invitations').post({
      invitedUserEmailAddress: email,
      inviteRedirectUrl: 'https://myapps.microsoft.com',
      sendInvitationMessage: true,
    });
    assert.equal(again.invitedUser.id, guestId);
    assert.notEqual(again.id, invitation.id);
    assert.equal(again.status, 'Completed');

    const guests = await client
      .api('/users')
      .filter(`mail eq '${email}'`)
      .select('id')
      .get();
    assert.deepEqual(guests.value.map((u) => u.id), [guestId]);
  });
});
