// The Kiota-based @microsoft/msgraph-sdk (preview) against graphmock: the
// fluent users and invitations packages, typed errors, and the groups calls
// (no fluent package exists for them) through the request adapter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import '@microsoft/msgraph-sdk-users';
import '@microsoft/msgraph-sdk-invitations';
import { HttpMethod, RequestInformation } from '@microsoft/kiota-abstractions';
import { PageIterator } from '@microsoft/msgraph-sdk-core';
import {
  createDirectoryObjectCollectionResponseFromDiscriminatorValue,
  createUserCollectionResponseFromDiscriminatorValue,
  serializeReferenceCreate,
} from '@microsoft/msgraph-sdk/models/index.js';
import { createODataErrorFromDiscriminatorValue } from '@microsoft/msgraph-sdk/models/oDataErrors/index.js';

import { startGraphmock, uniq, FIXTURE } from './helper.mjs';

const errorMappings = { XXX: createODataErrorFromDiscriminatorValue };

let mock;
let adapter;
let graph;
before(async () => {
  mock = await startGraphmock();
  adapter = mock.kiotaAdapter();
  graph = mock.kiota();
});
after(async () => {
  await mock.stop();
});

/** A request the fluent API would build, for the paths without a package. */
function rawRequest(method, path) {
  const info = new RequestInformation();
  info.httpMethod = method;
  info.urlTemplate = `${adapter.baseUrl}${path}`;
  info.headers.tryAdd('Accept', 'application/json');
  return info;
}

test('kiota: users list deserializes typed users', async () => {
  const res = await graph.users.get({
    queryParameters: { select: ['id', 'displayName', 'userPrincipalName', 'userType'] },
  });
  const adele = res.value.find((u) => u.id === FIXTURE.adeleId);
  assert.ok(adele, 'Adele in the list');
  assert.equal(adele.displayName, 'Adele Vance');
  assert.equal(adele.userPrincipalName, `AdeleV@${FIXTURE.domain}`);
  assert.equal(adele.userType, 'Member');
  assert.ok(res.value.length >= 2);
  assert.deepEqual(
    Object.keys(adele.additionalData ?? {}),
    [],
    'every property of the response maps onto the User model',
  );
});

test('kiota: $filter and $count=true (with ConsistencyLevel) on users', async () => {
  const res = await graph.users.get({
    queryParameters: { filter: "displayName eq 'Adele Vance'", count: true, select: ['id'] },
    headers: { ConsistencyLevel: 'eventual' },
  });
  assert.deepEqual(res.value.map((u) => u.id), [FIXTURE.adeleId]);
  assert.equal(res.odataCount, 1);
});

test('kiota: get a user by id', async () => {
  const u = await graph.users.byUserId(FIXTURE.adminId).get();
  assert.equal(u.id, FIXTURE.adminId);
  assert.equal(u.displayName, 'MOD Administrator');
  assert.equal(u.userPrincipalName, `admin@${FIXTURE.domain}`);
});

let guestId;
let guestUpn;
const guestEmail = `grace.${uniq()}@fabrikam.example`;

test('kiota: POST /invitations through the fluent API returns a typed Invitation', async () => {
  const inv = await graph.invitations.post({
    invitedUserEmailAddress: guestEmail,
    invitedUserDisplayName: 'Grace Hopper',
    inviteRedirectUrl: 'https://myapps.microsoft.com',
    sendInvitationMessage: false,
  });
  assert.equal(inv.invitedUserEmailAddress, guestEmail);
  assert.equal(inv.status, 'PendingAcceptance');
  assert.equal(inv.sendInvitationMessage, false);
  assert.match(inv.inviteRedeemUrl, /\/redeem\?/);
  assert.match(inv.invitedUser.id, /^[0-9a-f-]{36}$/);
  guestId = inv.invitedUser.id;
  guestUpn = `${guestEmail.replace('@', '_')}#EXT#@${FIXTURE.domain}`;
});

test('kiota: a body gzip-compressed by the CompressionHandler is taken in one go', async () => {
  const compressing = mock.kiota({ compress: true });
  const email = `gzip.${uniq()}@fabrikam.example`;
  const inv = await compressing.invitations.post({
    invitedUserEmailAddress: email,
    inviteRedirectUrl: 'https://myapps.microsoft.com',
  });
  assert.equal(inv.invitedUserEmailAddress, email);
  assert.equal(inv.status, 'PendingAcceptance');
  // On the wire: one POST, compressed, answered 201 (no 400 or 415 and resend)
  const q = new URLSearchParams({ tenant: mock.tenant, method: 'POST', path: '/v1.0/invitations' });
  const sent = (await mock.admin('GET', `/_mock/requests?${q}`)).body.value
    .filter((e) => (e.body ?? '').includes(email));
  assert.deepEqual(sent.map((e) => [e.status, e.headers['content-encoding']]), [[201, 'gzip']]);
  assert.equal(JSON.parse(sent[0].body).invitedUserEmailAddress, email, 'the journal shows the body inflated');
});

test('kiota: get the guest by its #EXT# userPrincipalName', async () => {
  assert.ok(guestId, 'needs the invitation test');
  const u = await graph.users.byUserId(guestUpn).get({
    queryParameters: { select: ['id', 'userPrincipalName', 'userType', 'externalUserState'] },
  });
  assert.equal(u.id, guestId);
  assert.equal(u.userPrincipalName, guestUpn);
  assert.equal(u.userType, 'Guest');
  assert.equal(u.externalUserState, 'PendingAcceptance');

  // On the wire the key is percent-encoded: '#' must not start a fragment.
  const q = new URLSearchParams({ tenant: mock.tenant, method: 'GET', path: '/v1.0/users/*EXT*' });
  const sent = (await mock.admin('GET', `/_mock/requests?${q}`)).body.value;
  assert.equal(sent.length, 1);
  assert.equal(sent[0].path, `/v1.0/users/${encodeURIComponent(guestUpn)}`);
  assert.match(sent[0].path, /%23EXT%23%40contoso/);
  assert.equal(sent[0].status, 200);
});

test('kiota: a 404 throws an ODataError with the Graph error', async () => {
  const missing = '8c14a998-3c8d-4c52-ad09-c9032671ea31';
  const err = await graph.users.byUserId(missing).get().then(
    () => assert.fail('expected an ODataError'),
    (e) => e,
  );
  assert.equal(err.responseStatusCode, 404);
  // The generated model names the "error" property errorEscaped.
  const main = err.errorEscaped ?? err.error;
  assert.equal(main.code, 'Request_ResourceNotFound');
  assert.equal(
    main.message,
    `Resource '${missing}' does not exist or one of its queried reference-property objects are not present.`,
  );
  assert.match(main.innerError.requestId, /^[0-9a-f-]{36}$/);
  assert.ok(main.innerError.date instanceof Date && !Number.isNaN(main.innerError.date.getTime()));
  assert.equal(err.message, main.message);
});

test('kiota: POST /groups/{id}/members/$ref through the request adapter', async () => {
  assert.ok(guestId, 'needs the invitation test');
  const info = rawRequest(HttpMethod.POST, `/groups/${FIXTURE.developerGroupId}/members/$ref`);
  info.setContentFromParsable(
    adapter,
    'application/json',
    { odataId: `https://graph.microsoft.com/v1.0/directoryObjects/${guestId}` },
    serializeReferenceCreate,
  );
  await adapter.sendNoResponseContent(info, errorMappings);

  // The duplicate is an ODataError too.
  const again = rawRequest(HttpMethod.POST, `/groups/${FIXTURE.developerGroupId}/members/$ref`);
  again.setContentFromParsable(
    adapter,
    'application/json',
    { odataId: `https://graph.microsoft.com/v1.0/directoryObjects/${guestId}` },
    serializeReferenceCreate,
  );
  const err = await adapter.sendNoResponseContent(again, errorMappings).then(
    () => assert.fail('expected an ODataError'),
    (e) => e,
  );
  assert.equal(err.responseStatusCode, 400);
  assert.equal(err.errorEscaped.code, 'Request_BadRequest');
  assert.equal(
    err.errorEscaped.message,
    "One or more added object references already exist for the following modified properties: 'members'.",
  );
});

test('kiota: group members deserialize with their derived type', async () => {
  assert.ok(guestId, 'needs the invitation test');
  const info = rawRequest(HttpMethod.GET, `/groups/${FIXTURE.developerGroupId}/members`);
  const res = await adapter.send(
    info,
    createDirectoryObjectCollectionResponseFromDiscriminatorValue,
    errorMappings,
  );
  const guest = res.value.find((m) => m.id === guestId);
  assert.ok(guest, 'the guest is a member');
  assert.equal(guest.odataType, '#microsoft.graph.user');
  assert.equal(guest.displayName, 'Grace Hopper');
  assert.equal(guest.userPrincipalName, guestUpn);
});

test('kiota: memberOf items deserialize as Group with displayName', async () => {
  assert.ok(guestId, 'needs the membership test');
  const res = await graph.users.byUserId(guestId).memberOf.get();
  assert.equal(res.value.length, 1);
  const g = res.value[0];
  assert.equal(g.odataType, '#microsoft.graph.group');
  assert.equal(g.id, FIXTURE.developerGroupId);
  assert.equal(g.displayName, 'Developer group');
  assert.equal(g.securityEnabled, true);
  assert.equal(g.additionalData?.displayName, undefined, 'not left in additionalData');
});

test(
  'kiota: the fluent memberOf.graphGroup cast (GET /users/{id}/memberOf/graph.group)',
  async () => {
    const res = await graph.users.byUserId(FIXTURE.adeleId).memberOf.graphGroup.get();
    assert.deepEqual(
      res.value.map((g) => [g.id, g.displayName]),
      [[FIXTURE.developerGroupId, 'Developer group']],
    );
  },
);

test('kiota: PageIterator follows @odata.nextLink verbatim over $top=2 pages', async () => {
  const tag = uniq();
  const made = [];
  for (let i = 1; i <= 5; i++) {
    const u = await graph.users.post({
      accountEnabled: true,
      displayName: `Kiota pager ${i}`,
      mailNickname: `kpager${i}${tag}`,
      userPrincipalName: `kpager${i}.${tag}@${FIXTURE.domain}`,
      passwordProfile: { forceChangePasswordNextSignIn: true, password: 'Xyz12345!' },
    });
    made.push(u.id);
  }
  const total = (await graph.users.get({ queryParameters: { select: ['id'] } })).value.length;

  const first = await graph.users.get({ queryParameters: { top: 2, select: ['id', 'displayName'] } });
  assert.equal(first.value.length, 2);
  assert.ok(first.odataNextLink, 'a nextLink on the first page');
  const seen = [];
  const it = new PageIterator(
    adapter,
    first,
    (u) => {
      seen.push(u.id);
      return true;
    },
    createUserCollectionResponseFromDiscriminatorValue,
    errorMappings,
  );
  await it.iterate();
  assert.equal(it.getPagingState(), 'Complete');
  assert.equal(seen.length, total);
  assert.equal(new Set(seen).size, total, 'no user twice');
  for (const id of [FIXTURE.adminId, FIXTURE.adeleId, guestId, ...made]) {
    assert.ok(seen.includes(id), id);
  }
});
