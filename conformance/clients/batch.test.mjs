// @microsoft/microsoft-graph-client v3 JSON batching: BatchRequestContent
// builds the payload, the client POSTs it to /$batch, BatchResponseContent
// hands back one fetch Response per id (graph-spec §9, docs/batch.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { BatchRequestContent, BatchResponseContent } from '@microsoft/microsoft-graph-client';
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

// Node's fetch Request needs an absolute URL. v3 3.0.7 strips only scheme and
// host, so the URL carries no /v1.0: with it, Graph answers "Resource not found
// for the segment 'v1.0'" (msgraph-sdk-javascript#1178, #1451).
const step = (id, path, init = {}, dependsOn) => ({
  id,
  request: new Request(`${mock.base}${path}`, init),
  ...(dependsOn ? { dependsOn } : {}),
});

const json = (body) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

async function send(steps) {
  const content = new BatchRequestContent(steps);
  const raw = await client.api('/$batch').post(await content.getContent());
  return new BatchResponseContent(raw);
}

test('v3 batch: invite a guest, read it, add it to Developer group, 424 after a 404', async () => {
  const email = `batch-${uniq()}@fabrikam.com`;
  const first = await send([
    step('invite', '/invitations',
      json({ invitedUserEmailAddress: email, inviteRedirectUrl: 'https://myapp.example/welcome' })),
    step('read', `/users?$filter=mail eq '${email}'&$select=id,mail,userType`, {}, ['invite']),
  ]);
  const invite = first.getResponseById('invite');
  assert.equal(invite.status, 201);
  assert.match(invite.headers.get('Location'), /\/invitations\//);
  const invitation = await invite.json();
  assert.equal(invitation.invitedUserEmailAddress, email);
  const uid = invitation.invitedUser.id;
  const read = first.getResponseById('read');
  assert.equal(read.status, 200);
  const found = await read.json();
  assert.deepEqual(found.value, [{ id: uid, mail: email, userType: 'Guest' }]);

  const dev = FIXTURE.developerGroupId;
  const second = await send([
    step('add', `/groups/${dev}/members/$ref`,
      json({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${uid}` })),
    step('count', `/groups/${dev}/members/$count`,
      { headers: { ConsistencyLevel: 'eventual' } }, ['add']),
  ]);
  const add = second.getResponseById('add');
  assert.equal(add.status, 204);
  assert.equal(await add.text(), '');
  const count = second.getResponseById('count');
  assert.equal(count.status, 200);
  assert.equal(await count.text(), '2'); // Adele and the guest

  const third = await send([
    step('missing', '/users/00000000-0000-0000-0000-000000000404'),
    step('after', `/users/${uid}`, {}, ['missing']),
  ]);
  const missing = third.getResponseById('missing');
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error.code, 'Request_ResourceNotFound');
  assert.equal(third.getResponseById('after').status, 424);
});
