// The SDK retry handlers against graphmock's fault injection (docs/faults.md):
// 429 and 503 are retried after Retry-After with a Retry-Attempt header, a 500
// is not. The request journal (GET /_mock/requests) shows what went over the wire.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import '@microsoft/msgraph-sdk-users';
import { GraphError, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { RetryHandlerOptions as KiotaRetryHandlerOptions } from '@microsoft/kiota-http-fetchlibrary';
import { startGraphmock, FIXTURE } from './helper.mjs';

let mock;
let client;
before(async () => {
  mock = await startGraphmock();
  client = mock.v3();
});
after(async () => {
  await mock.stop();
});
beforeEach(async () => {
  assert.equal((await mock.admin('DELETE', '/_mock/faults')).status, 204);
  assert.equal((await mock.admin('DELETE', '/_mock/requests')).status, 204);
});

async function addRule(rule) {
  const res = await mock.admin('POST', '/_mock/faults', {
    ...rule,
    match: { tenant: mock.tenant, ...rule.match },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

async function journal(path) {
  const q = new URLSearchParams({ tenant: mock.tenant, path });
  const res = await mock.admin('GET', `/_mock/requests?${q}`);
  assert.equal(res.status, 200);
  return res.body.value;
}

async function ruleStats(id) {
  const res = await mock.admin('GET', '/_mock/faults/stats');
  assert.equal(res.status, 200);
  return res.body.value.find((r) => r.id === id);
}

test('v3 RetryHandler: two 429s with Retry-After: 1, then the call succeeds', async () => {
  await addRule({
    id: 'twice-429',
    match: { method: 'GET', path: '/v1.0/users' },
    when: { times: 2 },
    action: { error: 'throttled', retryAfter: 1 },
  });
  const started = Date.now();
  const res = await client.api('/users').select('id').get();
  const elapsed = Date.now() - started;

  assert.deepEqual(
    res.value.map((u) => u.id),
    [FIXTURE.adminId, FIXTURE.adeleId],
  );
  assert.ok(elapsed >= 1900, `waited Retry-After twice (${elapsed} ms)`);

  const reqs = await journal('/v1.0/users');
  assert.equal(reqs.length, 3);
  assert.deepEqual(
    reqs.map((r) => r.status),
    [429, 429, 200],
  );
  assert.deepEqual(
    reqs.map((r) => r.headers['retry-attempt']),
    [undefined, '1', '2'],
  );
  assert.deepEqual(
    reqs.map((r) => r.fault?.ruleId ?? null),
    ['twice-429', 'twice-429', null],
  );
  assert.ok(reqs.every((r) => r.query === '$select=id'));

  const stats = await ruleStats('twice-429');
  assert.equal(stats.injections, 2);
  assert.equal(stats.expired, true);
  assert.equal(stats.retryAfterViolations, 0, 'the SDK honoured Retry-After');
});

test('v3 RetryHandler: 503 with Retry-After: 0 is retried at once', async () => {
  await addRule({
    id: 'once-503',
    match: { method: 'GET', path: `/v1.0/users/${FIXTURE.adeleId}` },
    when: { times: 1 },
    action: { error: 'serviceUnavailable', retryAfter: 0 },
  });
  const started = Date.now();
  const user = await client.api(`/users/${FIXTURE.adeleId}`).get();
  assert.ok(Date.now() - started < 1000, 'no back-off when Retry-After is 0');
  assert.equal(user.displayName, 'Adele Vance');

  const reqs = await journal(`/v1.0/users/${FIXTURE.adeleId}`);
  assert.deepEqual(
    reqs.map((r) => [r.status, r.headers['retry-attempt']]),
    [
      [503, undefined],
      [200, '1'],
    ],
  );
});

test('v3 RetryHandler: a 503 that never clears surfaces after maxRetries', async () => {
  // The X-Graphmock-Fault header travels with every retry, so it fires each time.
  const err = await client
    .api('/users')
    .header('X-Graphmock-Fault', 'error=serviceUnavailable;retry-after=0')
    .middlewareOptions([new RetryHandlerOptions(0, 2)])
    .get()
    .then(
      () => assert.fail('expected a GraphError'),
      (e) => e,
    );
  assert.ok(err instanceof GraphError);
  assert.equal(err.statusCode, 503);
  assert.equal(err.code, 'serviceNotAvailable');
  assert.equal(err.message, 'Service unavailable');

  const reqs = await journal('/v1.0/users');
  assert.deepEqual(
    reqs.map((r) => [r.status, r.headers['retry-attempt']]),
    [
      [503, undefined],
      [503, '1'],
      [503, '2'],
    ],
  );
});

test('v3 RetryHandler: a 500 is not retried', async () => {
  await addRule({
    id: 'once-500',
    match: { method: 'GET', path: '/v1.0/groups' },
    when: { times: 1 },
    action: { error: 'internalError' },
  });
  const err = await client.api('/groups').get().then(
    () => assert.fail('expected a GraphError'),
    (e) => e,
  );
  assert.ok(err instanceof GraphError);
  assert.equal(err.statusCode, 500);
  assert.equal(err.code, 'InternalServerError');
  assert.equal(err.message, 'An internal server error occurred.');
  assert.match(err.requestId, /^[0-9a-f-]{36}$/);

  const reqs = await journal('/v1.0/groups');
  assert.equal(reqs.length, 1);
  assert.equal(reqs[0].status, 500);

  // The rule is spent: the next call goes through.
  const groups = await client.api('/groups').get();
  assert.equal(groups.value[0].displayName, 'Developer group');
});

test('v3 RetryHandler: a POST /invitations throttled once is re-sent with its body', async () => {
  await addRule({
    id: 'invite-429',
    match: { method: 'POST', path: '/v1.0/invitations' },
    when: { times: 1 },
    action: { error: 'throttled', retryAfter: 0 },
  });
  const email = `retry.${Date.now()}@fabrikam.example`;
  const inv = await client.api('/invitations').post({
    invitedUserEmailAddress: email,
    inviteRedirectUrl: 'https://myapps.microsoft.com',
  });
  assert.equal(inv.invitedUserEmailAddress, email);

  const reqs = await journal('/v1.0/invitations');
  assert.deepEqual(
    reqs.map((r) => r.status),
    [429, 201],
  );
  assert.equal(reqs[1].headers['retry-attempt'], '1');
  assert.deepEqual(JSON.parse(reqs[1].body), JSON.parse(reqs[0].body));
  assert.equal(JSON.parse(reqs[1].body).invitedUserEmailAddress, email);
});

test('Kiota RetryHandler: two 429s with Retry-After: 0, then the typed result', async () => {
  await addRule({
    id: 'kiota-429',
    match: { method: 'GET', path: `/v1.0/users/${FIXTURE.adminId}` },
    when: { times: 2 },
    action: { error: 'throttled', retryAfter: 0 },
  });
  const graph = mock.kiota();
  const user = await graph.users.byUserId(FIXTURE.adminId).get({
    options: [new KiotaRetryHandlerOptions({ delay: 0, maxRetries: 3 })],
  });
  assert.equal(user.displayName, 'MOD Administrator');

  const reqs = await journal(`/v1.0/users/${FIXTURE.adminId}`);
  assert.deepEqual(
    reqs.map((r) => [r.status, r.headers['retry-attempt']]),
    [
      [429, undefined],
      [429, '1'],
      [200, '2'],
    ],
  );
});
