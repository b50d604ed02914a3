// cors.test.mjs - a single-page app served from its own origin calls
// graphmock from Debian's chromium as it calls Microsoft Graph: its requests
// carry a bearer token and JSON, so the browser sends a preflight first, and
// the page reads the answers and the headers Graph exposes (request-id,
// Retry-After on a 429). The admin plane stays closed to other origins: the
// same page cannot read /_mock/state. Screenshot: build/ui-screenshots/cors-spa.png.
import { once } from 'node:events';
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { CHROMIUM, CHROMIUM_ARGS, SHOTS, startGraphmock } from './harness.mjs';

let graphmock;
let base; // graphmock, one origin
let app; // the single-page app's own server, another origin
let appUrl;
let browser;
let page;
const preflights = []; // what graphmock's journal says it answered

// The app: a page whose script the test drives (page.evaluate), and which
// shows what it got for the screenshot.
const APP_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>SPA calling graphmock</title>
<style>body{font:14px system-ui;margin:2em} pre{background:#f4f4f4;padding:1em}</style>
</head><body><h1>A single-page app on another origin</h1><pre id="out">waiting</pre></body></html>`;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ({ child: graphmock, url: base } = await startGraphmock());
  app = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(APP_PAGE);
  });
  app.listen(0, '127.0.0.1');
  await once(app, 'listening');
  // localhost, not 127.0.0.1: another host name as well as another port
  appUrl = `http://localhost:${app.address().port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage();
  await page.goto(appUrl);
});

after(async () => {
  await browser?.close();
  app?.close();
  if (graphmock) {
    graphmock.kill('SIGTERM');
    await once(graphmock, 'exit');
  }
});

// Runs in the page: fetch @url as an SPA does, and say what came back.
async function call(url, init) {
  return page.evaluate(async ({ url, init }) => {
    try {
      const res = await fetch(url, init);
      const text = await res.text();
      return {
        status: res.status,
        requestId: res.headers.get('request-id'),
        retryAfter: res.headers.get('retry-after'),
        json: text ? JSON.parse(text) : null,
      };
    } catch (e) {
      return { error: String(e) };
    }
  }, { url, init });
}

test('an SPA on another origin reads Graph answers after a preflight', async () => {
  assert.notEqual(new URL(appUrl).origin, new URL(base).origin);
  const auth = { Authorization: 'Bearer spa-token', 'client-request-id': '0b9d1e5c-1111-4111-8111-000000000001' };
  const list = await call(`${base}/v1.0/users?$top=2&$select=id,displayName`, { headers: auth });
  assert.equal(list.error, undefined, `the browser refused the answer: ${list.error}`);
  assert.equal(list.status, 200);
  assert.equal(list.json.value.length, 2);
  assert.match(list.requestId, /^[0-9a-f-]{36}$/, 'request-id is exposed to the page');

  const invited = await call(`${base}/v1.0/invitations`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ invitedUserEmailAddress: 'spa-guest@fabrikam.com', inviteRedirectUrl: 'https://myapp.contoso.com' }),
  });
  assert.equal(invited.error, undefined, `the browser refused the answer: ${invited.error}`);
  assert.equal(invited.status, 201);
  assert.equal(invited.json.status, 'PendingAcceptance');

  // A throttled answer's Retry-After is readable, as an SDK's retry handler needs.
  const throttled = await call(`${base}/v1.0/users`, {
    headers: { ...auth, 'X-Graphmock-Fault': 'error=throttled;retry-after=2' },
  });
  assert.equal(throttled.error, undefined, `the browser refused the answer: ${throttled.error}`);
  assert.equal(throttled.status, 429);
  assert.match(throttled.retryAfter ?? '', /^[0-9]+$/, 'Retry-After is exposed to the page');

  // The browser did ask first: graphmock's journal has the preflights.
  const journal = await (await fetch(`${base}/_mock/requests?method=OPTIONS`)).json();
  const entries = journal.value ?? journal;
  for (const e of entries) if (e.method === 'OPTIONS') preflights.push(`${e.status} ${e.path}`);
  assert.ok(preflights.includes('200 /v1.0/users'), `preflights seen: ${preflights.join('; ')}`);
  assert.ok(preflights.includes('200 /v1.0/invitations'), `preflights seen: ${preflights.join('; ')}`);

  await page.evaluate((lines) => { document.getElementById('out').textContent = lines.join('\n'); }, [
    `GET /v1.0/users -> ${list.status}, ${list.json.value.map((u) => u.displayName).join(', ')} (request-id ${list.requestId})`,
    `POST /v1.0/invitations -> ${invited.status} ${invited.json.status}`,
    `GET /v1.0/users with a throttle fault -> ${throttled.status}, Retry-After ${throttled.retryAfter}`,
    `preflights graphmock answered: ${preflights.join('; ')}`,
  ]);
  await page.screenshot({ path: path.join(SHOTS, 'cors-spa.png'), fullPage: true });
});

test('the admin plane is not readable from another origin', async () => {
  const state = await call(`${base}/_mock/state`, {});
  assert.ok(state.error, `a page of another origin read /_mock/state (status ${state.status})`);
  const reset = await call(`${base}/_mock/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.ok(reset.error, 'a page of another origin reset the tenants');
  // and the refused preflight changed nothing: the invited guest is still there
  const guests = await (await fetch(`${base}/v1.0/users?$filter=mail eq 'spa-guest@fabrikam.com'`)).json();
  assert.equal(guests.value.length, 1);
});
