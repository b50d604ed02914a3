// signin.test.mjs - people and certificates signing in to graphmock's mock
// Entra ID with Microsoft's own libraries, over HTTPS with --auth jwt:
//  - msal-node's authorization code flow with PKCE, the sign-in page driven
//    by a plain HTTP client (GET the page, POST the form, read the redirect);
//  - msal-node's device code flow, approved through POST /_mock/devicecode;
//  - @azure/identity's ClientCertificateCredential with the fixture app's
//    committed test certificate (it signs PS256 with x5t#S256);
//  - a wrong client secret surfacing as AADSTS7000215 from the credential.
//
// Needs the throwaway CA trusted before node starts:
//   make certs && NODE_EXTRA_CA_CERTS=$PWD/build/certs/ca.pem node --test
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { CryptoProvider, PublicClientApplication } from '@azure/msal-node';
import { startGraphmock, FIXTURE } from './helper.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const certs = process.env.GRAPHMOCK_CERTS || path.resolve(here, '../../build/certs');
const appCert = path.resolve(here, '../../conformance/fixtures/app-certificate');
const CONFIDENTIAL_APP = 'bb307b24-a6db-470e-9a3b-e58a68578312'; // has the test certificate
const PUBLIC_APP = '0e6a4b2c-8d1f-4e3a-b5c7-9f2d6a8e1b43'; // isFallbackPublicClient
const REDIRECT = 'http://localhost:3000/redirect'; // registered under publicClient
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const ADMIN = { upn: 'admin@contoso.onmicrosoft.com', password: 'Admin-Pass-1!' };

const skip =
  !existsSync(`${certs}/server.pem`) || !process.env.NODE_EXTRA_CA_CERTS
    ? `needs ${certs}/server.pem (make certs) and NODE_EXTRA_CA_CERTS=<ca.pem>`
    : false;

let mock;
let origin; // https://localhost:PORT: the certificate names localhost
let scratch;
before(async () => {
  if (skip) return;
  mock = await startGraphmock({
    args: ['--tls-cert', `${certs}/server.pem`, '--tls-key', `${certs}/server.key`, '--auth', 'jwt'],
  });
  origin = mock.base.replace('127.0.0.1', 'localhost');
  scratch = mkdtempSync(path.join(tmpdir(), 'graphmock-signin-'));
});
after(async () => {
  if (mock) await mock.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function claimsOf(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

function publicClient() {
  return new PublicClientApplication({
    auth: {
      clientId: PUBLIC_APP,
      authority: `${origin}/${mock.tenant}`,
      knownAuthorities: [new URL(origin).host],
    },
  });
}

/** GET /me with @token, as any Graph client would. */
async function me(token) {
  const res = await fetch(`${origin}/v1.0/me?$select=id,userPrincipalName`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

/** The hidden inputs of graphmock's sign-in form, as a browser would submit them. */
function formFields(html) {
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    const unescape = (s) =>
      s.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>').replaceAll('&amp;', '&');
    fields.append(unescape(m[1]), unescape(m[2]));
  }
  return fields;
}

test('sign-in: msal-node auth code + PKCE through the sign-in page', { skip }, async () => {
  const pca = publicClient();
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const url = await pca.getAuthCodeUrl({
    scopes: ['User.Read'],
    redirectUri: REDIRECT,
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    state: 'msal-state',
    loginHint: ADMIN.upn,
  });
  assert.ok(url.startsWith(`${origin}/${mock.tenant}/oauth2/v2.0/authorize?`), url);

  // a plain HTTP client plays the person: fetch the page, fill in the form
  const page = await fetch(url);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<form method="post">/);
  assert.match(html, new RegExp(`value="${ADMIN.upn}"`)); // login_hint pre-fills it
  const form = formFields(html);
  form.append('username', ADMIN.upn);
  form.append('password', ADMIN.password);
  form.append('action', 'accept');
  const posted = await fetch(url, { method: 'POST', body: form, redirect: 'manual' });
  assert.equal(posted.status, 302);
  const back = new URL(posted.headers.get('location'));
  assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
  assert.equal(back.searchParams.get('state'), 'msal-state');
  const code = back.searchParams.get('code');
  assert.ok(code);

  const r = await pca.acquireTokenByCode({
    code,
    scopes: ['User.Read'],
    redirectUri: REDIRECT,
    codeVerifier: verifier,
  });
  assert.equal(r.account.username, ADMIN.upn);
  assert.equal(r.account.tenantId, mock.tenant);
  assert.equal(r.idTokenClaims.oid, FIXTURE.adminId);
  const at = claimsOf(r.accessToken);
  assert.equal(at.idtyp, 'user');
  assert.equal(at.scp, 'User.Read');
  assert.equal((await me(r.accessToken)).id, FIXTURE.adminId);

  // the refresh token msal cached renews the access token silently
  const silent = await pca.acquireTokenSilent({ account: r.account, scopes: ['User.Read'], forceRefresh: true });
  assert.notEqual(silent.accessToken, r.accessToken);
  assert.equal((await me(silent.accessToken)).id, FIXTURE.adminId);
});

test('sign-in: msal-node device code approved through /_mock/devicecode', { skip }, async () => {
  const pca = publicClient();
  let seen;
  const r = await pca.acquireTokenByDeviceCode({
    scopes: ['User.Read'],
    deviceCodeCallback: async (resp) => {
      seen = resp;
      const ok = await mock.admin('POST', `/_mock/devicecode/${resp.userCode}/approve`, {
        user: 'AdeleV@contoso.onmicrosoft.com',
      });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
    },
  });
  assert.equal(seen.verificationUri, `${origin}/devicelogin`);
  assert.match(seen.message, new RegExp(seen.userCode));
  assert.equal(r.account.username, 'AdeleV@contoso.onmicrosoft.com');
  assert.equal((await me(r.accessToken)).id, FIXTURE.adeleId);
});

test('sign-in: ClientCertificateCredential with the fixture test certificate', { skip }, async () => {
  // @azure/identity wants the key and the certificate in one PEM file
  const pem = path.join(scratch, 'app.pem');
  writeFileSync(pem, readFileSync(`${appCert}/key.pem`, 'utf8') + readFileSync(`${appCert}/cert.pem`, 'utf8'));
  const cred = new ClientCertificateCredential(mock.tenant, CONFIDENTIAL_APP, { certificatePath: pem }, {
    authorityHost: origin,
    disableInstanceDiscovery: true,
  });
  const t = await cred.getToken(GRAPH_SCOPE);
  const c = claimsOf(t.token);
  assert.equal(c.appid, CONFIDENTIAL_APP);
  assert.equal(c.appidacr, '2'); // a certificate, not a secret
  assert.equal(c.tid, mock.tenant);
  const res = await fetch(`${origin}/v1.0/users?$top=1`, { headers: { Authorization: `Bearer ${t.token}` } });
  assert.equal(res.status, 200);
});

test('sign-in: a wrong client secret is AADSTS7000215 from the credential', { skip }, async () => {
  const cred = new ClientSecretCredential(mock.tenant, CONFIDENTIAL_APP, 'not-the-secret', {
    authorityHost: origin,
    disableInstanceDiscovery: true,
  });
  await assert.rejects(
    cred.getToken(GRAPH_SCOPE),
    /AADSTS7000215: Invalid client secret provided\. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'bb307b24-a6db-470e-9a3b-e58a68578312'\./,
  );
});
