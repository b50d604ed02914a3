// Change over time with Microsoft's own SDKs: a delta round walked with the
// Kiota users package (first sync, a change, the next round sees it, the
// deleted user as @removed), and a change-notification subscription created
// with the v3 client against a small webhook receiver in this process, which
// answers Graph's validation handshake and then gets the notification.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';

import '@microsoft/msgraph-sdk-users';

import { startGraphmock, uniq, FIXTURE } from './helper.mjs';

let mock;
let graph;
before(async () => {
  mock = await startGraphmock();
  graph = mock.kiota();
});
after(async () => {
  await mock.stop();
});

/** Follows nextLinks to the end of a round; returns {items, deltaLink}. */
async function round(first) {
  const items = [];
  let page = await first();
  for (;;) {
    items.push(...(page.value ?? []));
    if (page.odataDeltaLink) return { items, deltaLink: page.odataDeltaLink };
    assert.ok(page.odataNextLink, 'a page without deltaLink has a nextLink');
    page = await graph.users.delta.withUrl(page.odataNextLink).get();
  }
}

test('kiota: users/delta first sync, a change, the next round sees it', async () => {
  // first sync, one user per page so the nextLink is walked too
  const sync = await round(() =>
    graph.users.delta.get({ queryParameters: { select: ['displayName', 'jobTitle'], top: 1 } }),
  );
  const ids = sync.items.map((u) => u.id).sort();
  assert.deepEqual(ids, [FIXTURE.adminId, FIXTURE.adeleId].sort());
  const adele = sync.items.find((u) => u.id === FIXTURE.adeleId);
  assert.equal(adele.displayName, 'Adele Vance');
  assert.match(sync.deltaLink, /\/users\/delta\(\)\?\$deltatoken=/);

  // nothing changed: an empty round
  const quiet = await round(() => graph.users.delta.withUrl(sync.deltaLink).get());
  assert.deepEqual(quiet.items, []);

  // a change and a deletion
  const tag = uniq();
  await graph.users.byUserId(FIXTURE.adeleId).patch({ jobTitle: `Delta ${tag}` });
  const created = await graph.users.post({
    accountEnabled: true,
    displayName: `Short-lived ${tag}`,
    mailNickname: `short${tag}`,
    userPrincipalName: `short${tag}@${FIXTURE.domain}`,
    passwordProfile: { password: `Xyz12345!${tag}` },
  });
  await graph.users.byUserId(created.id).delete();

  const next = await round(() => graph.users.delta.withUrl(quiet.deltaLink).get());
  const changed = next.items.find((u) => u.id === FIXTURE.adeleId);
  assert.ok(changed, 'the update is in the next round');
  assert.equal(changed.jobTitle, `Delta ${tag}`);
  assert.equal(changed.displayName, 'Adele Vance', 'the selected properties come along');
  const removed = next.items.find((u) => u.id === created.id);
  assert.ok(removed, 'the deleted user is in the round');
  assert.deepEqual(removed.additionalData['@removed'], { reason: 'changed' });
  assert.notEqual(next.deltaLink, quiet.deltaLink);

  // the deleted user can be found, and restored, in deletedItems
  const deleted = await mock.admin('GET', `/v1.0/directory/deletedItems/${created.id}`);
  assert.equal(deleted.status, 200);
  assert.equal(deleted.body['@odata.type'], '#microsoft.graph.user');
});

/** A webhook receiver: the validation handshake, then notifications. */
async function startReceiver() {
  const received = [];
  let validations = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const token = url.searchParams.get('validationToken');
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      if (token !== null) {
        validations++;
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(token); // decoded, as Graph asks
        return;
      }
      received.push(...JSON.parse(body).value);
      res.writeHead(202);
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${server.address().port}/notify`,
    received,
    validations: () => validations,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function until(what, ok) {
  for (let i = 0; i < 200; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('v3: POST /subscriptions validates the webhook, then notifications arrive', async () => {
  const hook = await startReceiver();
  const client = mock.v3();
  try {
    const expiry = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
    const sub = await client.api('/subscriptions').post({
      changeType: 'updated,deleted',
      notificationUrl: hook.url,
      resource: '/users',
      expirationDateTime: expiry,
      clientState: 'client-secret',
    });
    assert.equal(hook.validations(), 1, 'graphmock validated the URL first');
    assert.match(sub.id, /^[0-9a-f-]{36}$/);
    assert.equal(sub.resource, '/users');
    assert.equal(sub.changeType, 'updated,deleted');
    assert.equal(sub.clientState, 'client-secret');
    assert.equal(new Date(sub.expirationDateTime).toISOString(), expiry);

    await client.api(`/users/${FIXTURE.adeleId}`).patch({ officeLocation: 'Webhook' });
    await until('the notification', () => hook.received.length >= 1);
    const n = hook.received[0];
    assert.equal(n.subscriptionId, sub.id);
    assert.equal(n.changeType, 'updated');
    assert.equal(n.clientState, 'client-secret');
    assert.equal(n.resource, `Users/${FIXTURE.adeleId}`);
    assert.equal(n.tenantId, mock.tenant);
    assert.equal(n.resourceData['@odata.type'], '#Microsoft.Graph.User');
    assert.equal(n.resourceData.id, FIXTURE.adeleId);

    const listed = await client.api('/subscriptions').get();
    assert.deepEqual(
      listed.value.map((s) => [s.id, s.clientState]),
      [[sub.id, null]],
    );
    await client.api(`/subscriptions/${sub.id}`).delete();
    await assert.rejects(client.api(`/subscriptions/${sub.id}`).get(), (e) => {
      assert.equal(e.statusCode, 404);
      assert.equal(e.code, 'ResourceNotFound');
      return true;
    });

    // a receiver that does not echo the token: Graph's 400, no subscription
    await assert.rejects(
      client.api('/subscriptions').post({
        changeType: 'updated',
        notificationUrl: `${mock.base}/_mock/webhook/x?echo=false`,
        resource: 'groups',
        expirationDateTime: expiry,
      }),
      (e) => {
        assert.equal(e.statusCode, 400);
        assert.equal(e.code, 'InvalidRequest');
        assert.match(e.message, /Response must exactly match validationToken/);
        return true;
      },
    );
  } finally {
    await hook.close();
  }
});
