// identity.test.mjs - graphmock as Entra ID + Graph over HTTPS with --auth jwt:
// @azure/identity ClientSecretCredential and @azure/msal-node get real tokens
// from graphmock's token endpoint; the v3 client (customHosts) and Kiota's
// AzureIdentityAuthenticationProvider (allowedHosts) send them; PageIterator
// follows https nextLinks. Options per real-clients.md §3-4.
//
// Needs the throwaway CA trusted before node starts:
//   make certs && NODE_EXTRA_CA_CERTS=$PWD/build/certs/ca.pem node --test
import './node18.mjs'; // first: the Azure packages need the global crypto
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ClientSecretCredential } from '@azure/identity';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client, GraphError, PageIterator } from '@microsoft/microsoft-graph-client';
import { AzureIdentityAuthenticationProvider } from '@microsoft/kiota-authentication-azure';
import { createGraphServiceClient, GraphRequestAdapter } from '@microsoft/msgraph-sdk';
import '@microsoft/msgraph-sdk-users';
import { startGraphmock, uniq, FIXTURE } from './helper.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const certs = process.env.GRAPHMOCK_CERTS || path.resolve(here, '../../build/certs');
const APP_ID = 'bb307b24-a6db-470e-9a3b-e58a68578312'; // "Guest onboarding automation"
const APP_SP = 'ffd74704-8647-49d6-8a03-b6b5cf8ce61d';
const APP_SECRET = 'GuestOnboarding~Secret1'; // documented in the README
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

const skip =
  !existsSync(`${certs}/server.pem`) || !process.env.NODE_EXTRA_CA_CERTS
    ? `needs ${certs}/server.pem (make certs) and NODE_EXTRA_CA_CERTS=<ca.pem>`
    : false;

let mock;
let origin; // https://localhost:PORT: the certificate names localhost
let credential;
before(async () => {
  if (skip) return;
  mock = await startGraphmock({
    args: ['--tls-cert', `${certs}/server.pem`, '--tls-key', `${certs}/server.key`, '--auth', 'jwt'],
  });
  origin = mock.base.replace('127.0.0.1', 'localhost');
  credential = new ClientSecretCredential(mock.tenant, APP_ID, APP_SECRET, {
    authorityHost: origin,
    disableInstanceDiscovery: true,
  });
});
after(async () => {
  if (mock) await mock.stop();
});

function claimsOf(jwt) {
  const parts = jwt.split('.');
  assert.equal(parts.length, 3, 'a three-segment JWT');
  return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
}

/** The v3 client over https, as real-clients.md §4.1 configures it. */
function v3(getAccessToken) {
  return Client.initWithMiddleware({
    baseUrl: `${origin}/`,
    defaultVersion: 'v1.0',
    customHosts: new Set(['localhost']),
    authProvider: { getAccessToken },
  });
}

test('identity: ClientSecretCredential gets a graphmock JWT for the tenant', { skip }, async () => {
  const before = Date.now();
  const t = await credential.getToken(GRAPH_SCOPE);
  const c = claimsOf(t.token);
  assert.equal(c.tid, mock.tenant);
  assert.equal(c.aud, 'https://graph.microsoft.com');
  assert.equal(c.iss, `https://sts.windows.net/${mock.tenant}/`);
  assert.equal(c.appid, APP_ID);
  assert.equal(c.oid, APP_SP);
  assert.equal(c.idtyp, 'app');
  assert.equal(c.ver, '1.0');
  assert.ok(Array.isArray(c.roles));
  assert.equal(c.exp - c.iat, 3599);
  const lifetime = t.expiresOnTimestamp - before;
  assert.ok(lifetime > 3500e3 && lifetime <= 3600e3, `expiresOn in ${lifetime} ms`);
});

test('identity: msal-node ConfidentialClientApplication with knownAuthorities', { skip }, async () => {
  const cca = new ConfidentialClientApplication({
    auth: {
      clientId: APP_ID,
      clientSecret: APP_SECRET,
      authority: `${origin}/${mock.tenant}`,
      knownAuthorities: [new URL(origin).host],
    },
  });
  const r = await cca.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
  assert.equal(r.tokenType, 'Bearer');
  assert.equal(claimsOf(r.accessToken).tid, mock.tenant);
});

test('identity: an unknown client id is AADSTS700016 from the credential', { skip }, async () => {
  const bad = new ClientSecretCredential(mock.tenant, '0a0a0a0a-0000-4000-8000-000000000000', 's', {
    authorityHost: origin,
    disableInstanceDiscovery: true,
  });
  await assert.rejects(bad.getToken(GRAPH_SCOPE), /AADSTS700016: Application with identifier '0a0a0a0a/);
});

test('identity: v3 over https sends the credential token; the tenant comes from tid', { skip }, async () => {
  const client = v3(async () => (await credential.getToken(GRAPH_SCOPE)).token);
  const adele = await client.api(`/users/${FIXTURE.adeleId}`).select('id,displayName').get();
  assert.equal(adele.displayName, 'Adele Vance');
  // a group created through the token lives in the helper's tenant, not the default one
  const g = await client.api('/groups').post({
    displayName: `Identity ${uniq()}`,
    mailEnabled: false,
    mailNickname: `id${uniq()}`,
    securityEnabled: true,
  });
  const seen = await mock.fetch(`/v1.0/groups/${g.id}`, {
    headers: { Authorization: `Bearer ${(await credential.getToken(GRAPH_SCOPE)).token}` },
  });
  assert.equal(seen.status, 200);
});

test('identity: --auth jwt refuses a token graphmock did not sign (GraphError 401)', { skip }, async () => {
  const client = v3(async () => 'opaque-not-a-jwt');
  const err = await client.api('/users').get().then(
    () => assert.fail('expected a GraphError'),
    (e) => e,
  );
  assert.ok(err instanceof GraphError, `got ${err?.constructor?.name}`);
  assert.equal(err.statusCode, 401);
  assert.equal(err.code, 'InvalidAuthenticationToken');
  assert.match(err.message, /^IDX14100: JWT is not well formed, there are no dots/);
});

test('identity: v3 PageIterator follows https nextLinks over /users?$top=2', { skip }, async () => {
  const client = v3(async () => (await credential.getToken(GRAPH_SCOPE)).token);
  const tag = uniq();
  const created = [];
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
  const first = await client.api('/users').top(2).select('id,displayName').get();
  assert.equal(first.value.length, 2);
  assert.ok(first['@odata.nextLink'].startsWith(`${origin}/v1.0/users?`), first['@odata.nextLink']);
  const seen = [];
  const it = new PageIterator(client, first, (u) => {
    seen.push(u.id);
    return true;
  });
  await it.iterate();
  assert.ok(it.isComplete());
  assert.ok(seen.length >= 7, `saw ${seen.length}`);
  assert.equal(new Set(seen).size, seen.length, 'no user twice');
  for (const id of [FIXTURE.adminId, FIXTURE.adeleId, ...created]) assert.ok(seen.includes(id), id);
});

test('identity: Kiota AzureIdentityAuthenticationProvider with allowedHosts', { skip }, async () => {
  const auth = new AzureIdentityAuthenticationProvider(credential, [GRAPH_SCOPE], undefined, new Set(['localhost']));
  const adapter = new GraphRequestAdapter(auth);
  adapter.baseUrl = `${origin}/v1.0`;
  const graph = createGraphServiceClient(adapter);
  const adele = await graph.users.byUserId(FIXTURE.adeleId).get();
  assert.equal(adele.displayName, 'Adele Vance');
});
