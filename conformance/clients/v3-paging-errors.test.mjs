// @microsoft/microsoft-graph-client v3: paging with PageIterator, GraphError
// on 404 and on a duplicate member, $count with ConsistencyLevel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { GraphError, ResponseType } from '@microsoft/microsoft-graph-client';
import { startGraphmock, uniq, FIXTURE } from './helper.mjs';

let mock;
let client;
const created = [];
before(async () => {
  mock = await startGraphmock();
  client = mock.v3();
  const tag = uniq();
  for (let i = 1; i <= 5; i++) {
    const u = await client.api('/users').post({
      accountEnabled: true,
      displayName: `Pager ${i} ${tag}`,
      mailNickname: `pager${i}${tag}`,
      userPrincipalName: `pager${i}.${tag}@${FIXTURE.domain}`,
      passwordProfile: { forceChangePasswordNextSignIn: true, password: 'Xyz12345!' },
    });
    created.push(u.id);
  }
});
after(async () => {
  await mock.stop();
});

test('v3: POST /users returned five distinct ids', () => {
  assert.equal(new Set(created).size, 5);
});

// PageIterator itself: v3 only splits https:// nextLinks (GraphRequest.parsePath),
// so it runs over TLS in identity.test.mjs ('v3 PageIterator follows https nextLinks').
test('v3: the nextLink of $top=2 pages is absolute on the mock and keeps $top/$select', async () => {
  // What PageIterator would follow: check it by hand with fetch, verbatim.
  const first = await client.api('/users').top(2).select('id,displayName').get();
  const seen = first.value.map((u) => u.id);
  let next = first['@odata.nextLink'];
  let pages = 1;
  while (next) {
    const url = new URL(next);
    assert.equal(url.origin, mock.base);
    assert.equal(url.searchParams.get('$top'), '2');
    assert.equal(url.searchParams.get('$select'), 'id,displayName');
    assert.ok(url.searchParams.get('$skiptoken'));
    const res = await mock.fetch(next);
    assert.equal(res.status, 200);
    const page = await res.json();
    assert.ok(page.value.length <= 2);
    seen.push(...page.value.map((u) => u.id));
    next = page['@odata.nextLink'];
    pages++;
  }
  assert.equal(pages, 4);
  assert.equal(seen.length, 7);
  assert.equal(new Set(seen).size, 7);
  for (const id of created) assert.ok(seen.includes(id), id);
});

test('v3: a 404 is a GraphError with code, message and innerError request-id', async () => {
  const missing = '8c14a998-3c8d-4c52-ad09-c9032671ea31';
  const err = await client.api(`/users/${missing}`).get().then(
    () => assert.fail('expected a GraphError'),
    (e) => e,
  );
  assert.ok(err instanceof GraphError, `got ${err?.constructor?.name}`);
  assert.equal(err.statusCode, 404);
  assert.equal(err.code, 'Request_ResourceNotFound');
  assert.equal(
    err.message,
    `Resource '${missing}' does not exist or one of its queried reference-property objects are not present.`,
  );
  const body = JSON.parse(err.body);
  assert.equal(body.code, 'Request_ResourceNotFound');
  assert.match(body.innerError['request-id'], /^[0-9a-f-]{36}$/);
  assert.equal(err.requestId, body.innerError['request-id']);
  assert.ok(!Number.isNaN(err.date.getTime()), `innerError.date ${body.innerError.date}`);
  assert.equal(err.headers.get('request-id'), body.innerError['request-id']);
});

test('v3: adding an existing member is Request_BadRequest with the exact message', async () => {
  const ref = { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${FIXTURE.adeleId}` };
  const err = await client
    .api(`/groups/${FIXTURE.developerGroupId}/members/$ref`)
    .post(ref)
    .then(
      () => assert.fail('expected a GraphError'),
      (e) => e,
    );
  assert.ok(err instanceof GraphError);
  assert.equal(err.statusCode, 400);
  assert.equal(err.code, 'Request_BadRequest');
  assert.equal(
    err.message,
    "One or more added object references already exist for the following modified properties: 'members'.",
  );
});

test('v3: .count(true) with ConsistencyLevel: eventual gives @odata.count', async () => {
  const res = await client
    .api('/users')
    .header('ConsistencyLevel', 'eventual')
    .count(true)
    .top(1)
    .select('id')
    .get();
  assert.equal(res['@odata.count'], 7);
  assert.equal(res.value.length, 1);
});

test('v3: /users/$count as text', async () => {
  const text = await client
    .api('/users/$count')
    .header('ConsistencyLevel', 'eventual')
    .responseType(ResponseType.TEXT)
    .get();
  assert.equal(text, '7');
  // Without responseType the client goes by Content-Type (text/plain).
  const auto = await client.api('/users/$count').header('ConsistencyLevel', 'eventual').get();
  assert.equal(String(auto), '7');
});

test('v3: /users/$count without ConsistencyLevel is the Graph 400', async () => {
  const err = await client.api('/users/$count').get().then(
    () => assert.fail('expected a GraphError'),
    (e) => e,
  );
  assert.equal(err.statusCode, 400);
  assert.equal(err.code, 'Request_BadRequest');
  assert.equal(err.message, '$count is not currently supported.');
});
