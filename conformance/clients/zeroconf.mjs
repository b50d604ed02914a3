// zeroconf.mjs - the zero-configuration mode: official clients with their
// DEFAULT endpoints (login.microsoftonline.com, graph.microsoft.com; no
// authorityHost, baseUrl, customHosts or allowedHosts) against graphmock on
// port 443. Run only by zeroconf.sh, inside namespaces whose /etc/hosts sends
// those names to 127.0.0.1; the tests are skipped anywhere else.
import './node18.mjs'; // first: the Azure packages need the global crypto
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { lookup } from 'node:dns/promises';
import { createInterface } from 'node:readline';

import { ClientSecretCredential } from '@azure/identity';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client, PageIterator } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { AzureIdentityAuthenticationProvider } from '@microsoft/kiota-authentication-azure';
import { createGraphServiceClient, GraphRequestAdapter } from '@microsoft/msgraph-sdk';
import '@microsoft/msgraph-sdk-users';
import { FIXTURE, uniq } from './helper.mjs';

const TENANT_ID = '2dd67af8-8f6d-47d9-86d2-56d41895239d'; // Contoso, the fixture's first tenant
const APP_ID = 'bb307b24-a6db-470e-9a3b-e58a68578312'; // "Guest onboarding automation"
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const skip =
  process.env.ZEROCONF_INSIDE === '1' && process.env.GRAPHMOCK_BIN && process.env.GRAPHMOCK_CERTS
    ? false
    : 'run by zeroconf.sh (make clients) inside its namespaces';

let child;
let exited;
let stderr = '';
before(async () => {
  if (skip) return;
  const certs = process.env.GRAPHMOCK_CERTS;
  child = spawn(
    process.env.GRAPHMOCK_BIN,
    ['--port', '443', '--tls-cert', `${certs}/server.pem`, '--tls-key', `${certs}/server.key`,
      '--auth', 'jwt', '--seed', '1', '--quiet'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  exited = once(child, 'exit');
  const line = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`graphmock did not start: ${stderr}`)), 5000);
    createInterface({ input: child.stdout }).on('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.on('exit', (code) => reject(new Error(`graphmock exited with ${code}: ${stderr}`)));
  });
  assert.equal(line, 'graphmock listening on https://127.0.0.1:443');
});
after(async () => {
  if (!child) return;
  child.kill('SIGTERM');
  const [code, signal] = await exited;
  assert.equal(signal, null, `graphmock killed by ${signal}: ${stderr}`);
  assert.equal(code, 0, `graphmock exit code: ${stderr}`);
});

function claimsOf(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

test('zeroconf: Graph and Entra host names resolve to graphmock here', { skip }, async () => {
  for (const name of ['graph.microsoft.com', 'login.microsoftonline.com', 'login.windows.net', 'sts.windows.net']) {
    assert.equal((await lookup(name, { family: 4 })).address, '127.0.0.1', name);
  }
});

test('zeroconf: msal-node with its default authority host', { skip }, async () => {
  const cca = new ConfidentialClientApplication({
    auth: {
      clientId: APP_ID,
      clientSecret: 'GuestOnboarding~Secret1',
      authority: `https://login.microsoftonline.com/${FIXTURE.domain}`,
    },
  });
  const r = await cca.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
  const c = claimsOf(r.accessToken);
  assert.equal(c.tid, TENANT_ID);
  assert.equal(c.aud, 'https://graph.microsoft.com');
  assert.equal(c.appid, APP_ID);
});

test('zeroconf: @azure/identity + v3 client as they come: the onboarding story', { skip }, async () => {
  const credential = new ClientSecretCredential(FIXTURE.domain, APP_ID, 'GuestOnboarding~Secret1');
  const client = Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_SCOPE] }),
  });
  const tag = uniq();
  const inv = await client.api('/invitations').post({
    invitedUserEmailAddress: `zeroconf.${tag}@fabrikam.example`,
    inviteRedirectUrl: 'https://myapp.contoso.com',
    sendInvitationMessage: true,
  });
  assert.equal(inv.status, 'PendingAcceptance');
  // every URL graphmock writes names the host the client asked for
  assert.ok(inv.inviteRedeemUrl.startsWith('https://graph.microsoft.com/'), inv.inviteRedeemUrl);
  const guest = inv.invitedUser.id;
  const u = await client.api(`/users/${guest}`).select('id,userType').get();
  assert.equal(u.userType, 'Guest');
  await client
    .api(`/groups/${FIXTURE.developerGroupId}/members/$ref`)
    .post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${guest}` });
  const members = await client.api(`/groups/${FIXTURE.developerGroupId}/members`).select('id').get();
  assert.ok(members.value.some((m) => m.id === guest), 'the guest is in the Developer group');
  const first = await client.api('/users').top(1).select('id').get();
  assert.ok(first['@odata.nextLink'].startsWith('https://graph.microsoft.com/v1.0/users?'), first['@odata.nextLink']);
  const seen = [];
  await new PageIterator(client, first, (x) => seen.push(x.id) > 0).iterate();
  assert.ok(seen.includes(guest) && seen.includes(FIXTURE.adeleId), `paged through ${seen.length} users`);
});

test('zeroconf: Kiota GraphServiceClient with its default base URL and allowed hosts', { skip }, async () => {
  const credential = new ClientSecretCredential(TENANT_ID, APP_ID, 'GuestOnboarding~Secret1');
  const graph = createGraphServiceClient(
    new GraphRequestAdapter(new AzureIdentityAuthenticationProvider(credential)),
  );
  const adele = await graph.users.byUserId(FIXTURE.adeleId).get();
  assert.equal(adele.displayName, 'Adele Vance');
  const page = await graph.users.get({ queryParameters: { top: 1 } });
  assert.ok(page.odataNextLink.startsWith('https://graph.microsoft.com/v1.0/users?'), page.odataNextLink);
});
