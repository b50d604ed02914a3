// $expand and /manager through the official SDKs (issue 10): the Kiota-based
// @microsoft/msgraph-sdk sets and reads a manager with its fluent API
// (users/{id}/manager/$ref, /manager, /directReports) and deserializes
// expanded navigation properties into its typed models; the v3 client sends
// $expand with a nested $select, as its users write it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import '@microsoft/msgraph-sdk-users';

import { startGraphmock, uniq, FIXTURE } from './helper.mjs';

let mock;
let graph;
let v3;
before(async () => {
  mock = await startGraphmock();
  graph = mock.kiota();
  v3 = mock.v3();
});
after(async () => {
  await mock.stop();
});

/** A member user of the mock tenant, through the v3 client. */
async function newUser(name) {
  const tag = uniq();
  return v3.api('/users').post({
    accountEnabled: true,
    displayName: `${name} ${tag}`,
    mailNickname: `${name.toLowerCase()}${tag}`,
    userPrincipalName: `${name.toLowerCase()}.${tag}@${FIXTURE.domain}`,
    passwordProfile: { password: `Xyz12345!${tag}` },
  });
}

test('kiota: a manager set with manager/$ref, read back, and listed as a direct report', async () => {
  const boss = await newUser('Boss');
  const worker = await newUser('Worker');

  // No manager yet: Graph's 404 as a typed ODataError.
  await assert.rejects(graph.users.byUserId(worker.id).manager.get(), (e) => {
    assert.equal(e.responseStatusCode, 404);
    // The generated model names the "error" property errorEscaped.
    const main = e.errorEscaped ?? e.error;
    assert.equal(main.code, 'Request_ResourceNotFound');
    assert.match(main.message, /^Resource 'manager' does not exist/);
    return true;
  });

  await graph.users.byUserId(worker.id).manager.ref.put({
    odataId: `https://graph.microsoft.com/v1.0/users/${boss.id}`,
  });

  const manager = await graph.users.byUserId(worker.id).manager.get();
  assert.equal(manager.id, boss.id);
  assert.equal(manager.odataType, '#microsoft.graph.user');
  assert.equal(manager.displayName, boss.displayName, 'deserialized as a User');

  const reports = await graph.users.byUserId(boss.id).directReports.get();
  assert.deepEqual(
    reports.value.map((r) => [r.odataType, r.id]),
    [['#microsoft.graph.user', worker.id]],
  );

  // $expand=manager($levels=max;$select=...) through the fluent query parameters
  const expanded = await graph.users.byUserId(worker.id).get({
    queryParameters: {
      select: ['id', 'displayName'],
      expand: ['manager($levels=max;$select=id,displayName)'],
    },
  });
  assert.equal(expanded.manager?.id, boss.id);
  assert.equal(expanded.manager?.displayName, boss.displayName);
  assert.equal(expanded.manager?.odataType, '#microsoft.graph.user');

  await graph.users.byUserId(worker.id).manager.ref.delete();
  const after = await graph.users.byUserId(worker.id).get({ queryParameters: { expand: ['manager'] } });
  assert.equal(after.manager, undefined, 'no manager: nothing expanded');
});

test('kiota: $expand=memberOf on a user lists typed groups', async () => {
  const adele = await graph.users.byUserId(FIXTURE.adeleId).get({
    queryParameters: { select: ['id'], expand: ['memberOf($select=id,displayName)'] },
  });
  assert.deepEqual(
    adele.memberOf.map((g) => [g.odataType, g.id, g.displayName]),
    [['#microsoft.graph.group', FIXTURE.developerGroupId, 'Developer group']],
  );
});

test('v3: groups with $expand=members($select=...) and the one-item limit', async () => {
  const group = await v3
    .api(`/groups/${FIXTURE.developerGroupId}`)
    .select('id,displayName')
    .expand('members($select=id,displayName)')
    .get();
  assert.match(
    group['@odata.context'],
    /\$metadata#groups\(id,displayName,members\(id,displayName\)\)\/\$entity$/,
  );
  assert.deepEqual(group.members, [
    { '@odata.type': '#microsoft.graph.user', id: FIXTURE.adeleId, displayName: 'Adele Vance' },
  ]);

  await assert.rejects(v3.api('/users').expand('manager,memberOf').get(), (e) => {
    assert.equal(e.statusCode, 400);
    assert.equal(e.code, 'BadRequest');
    assert.equal(
      e.message,
      'The result of parsing $expand contained at least 2 items, but the maximum allowed is 1.',
    );
    return true;
  });
});
