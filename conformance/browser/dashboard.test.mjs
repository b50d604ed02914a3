// dashboard.test.mjs - the /_mock/ui dashboard in a real browser: Debian's
// chromium driven by playwright-core (no browser download). A guest is
// invited through the Graph API; the test opens the mailbox in the UI, opens
// the message, clicks the redemption link inside the sandboxed message frame
// and sees the user page say Accepted; adds the "throttle the next 2 calls"
// rule in the UI, sees the next API call get 429 and the journal row appear
// live; switches the rule off. The sign-in and device-code pages wear the
// dashboard's base.css. No page may log a console error (a CSP
// violation is one). Screenshots at 1280 px and at phone width go to
// build/ui-screenshots/.
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { CHROMIUM, CHROMIUM_ARGS, SHOTS, startGraphmock } from './harness.mjs';

const TIMEOUT = 10000;

let server;
let base;
let browser;
let context;
const problems = []; // console errors, page errors, failed requests: must stay empty

function watch(page, name) {
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') {
      problems.push(`${name}: console ${msg.type()}: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`${name}: page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`${name}: request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    // The dashboard never asks for something that is not there.
    if (res.status() >= 400) problems.push(`${name}: ${res.status()} for ${res.request().method()} ${res.url()}`);
  });
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Every form control of the page has a label (or aria-label) a screen reader can read. */
async function assertLabelled(page, where) {
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
    .map((el) => el.outerHTML.slice(0, 120)));
  assert.deepEqual(unlabelled, [], `${where}: form controls without a label`);
}

async function assertNoSideways(page, where) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, width: window.innerWidth,
  }));
  assert.ok(scroll <= width, `${where}: the page scrolls sideways (${scroll} > ${width} px)`);
}

async function graph(method, url, body) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startGraphmock();
  base = server.url;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  context.setDefaultTimeout(TIMEOUT);
  context.on('page', (p) => watch(p, `page ${context.pages().length}`));
});

after(async () => {
  await browser?.close();
  if (server) {
    server.child.kill('SIGTERM');
    const [code] = await once(server.child, 'exit');
    assert.equal(code, 0, `graphmock exit status (stderr: ${server.stderr()})`);
  }
});

const email = `ui-guest-${process.pid}@fabrikam.com`;
let guestId;

test('the dashboard is served with a strict policy and reached by keyboard', async () => {
  const page = await context.newPage();
  const res = await page.goto(`${base}/_mock/ui`);
  assert.equal(res.status(), 200);
  const headers = res.headers();
  assert.match(headers['content-type'], /^text\/html; charset=utf-8$/);
  assert.match(headers['content-security-policy'], /default-src 'none'; script-src 'self'; style-src 'self'/);
  assert.doesNotMatch(headers['content-security-policy'], /unsafe-inline|unsafe-eval/);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.ok(headers.etag, 'ETag');
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
  // The first Tab reaches the skip link, which moves on to the content.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  await assertLabelled(page, 'users');
  await page.close();
});

test('invite through Graph, read the email in the mailbox, follow its link: Accepted', async () => {
  const invited = await graph('POST', '/v1.0/invitations', {
    invitedUserEmailAddress: email,
    inviteRedirectUrl: `${base}/_mock/ui#/users`,
    sendInvitationMessage: true,
  });
  assert.equal(invited.status, 201);
  guestId = invited.json.invitedUser.id;
  assert.equal(invited.json.status, 'PendingAcceptance');

  const page = await context.newPage();
  await page.goto(`${base}/_mock/ui#/mail`);
  const row = page.locator('tr[data-message]', { hasText: email });
  await row.waitFor();
  await assert.doesNotReject(page.locator('tr[data-invitation]', { hasText: email }).getByText('delivered').waitFor());
  await assertLabelled(page, 'mail');
  await shot(page, 'mailbox');

  await row.getByRole('link', { name: "You're invited to the Contoso organization" }).click();
  await page.getByRole('heading', { level: 1, name: "You're invited to the Contoso organization" }).waitFor();
  const frame = page.frameLocator('iframe.mail-frame');
  const link = frame.getByRole('link', { name: 'Accept invitation' });
  await link.waitFor();
  assert.match(await link.getAttribute('href'), /\/redeem\?rd=.*%26ticket%3d/);
  await shot(page, 'message');

  // The message frame runs no script and opens links in a new tab, as a mail client does.
  const [guestTab] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await guestTab.waitForURL(`${base}/_mock/ui#/users`);
  await guestTab.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
  await guestTab.close();

  await page.goto(`${base}/_mock/ui#/users/${guestId}`);
  const state = page.locator('dl.props dt', { hasText: 'Guest state' }).locator('xpath=following-sibling::dd[1]');
  await state.getByText('Accepted', { exact: true }).waitFor();
  await shot(page, 'user-accepted');

  // And in the list, found by the search box.
  await page.goto(`${base}/_mock/ui#/users`);
  await page.getByLabel('Search users').fill(email);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator(`tr[data-user="${guestId}"]`).getByText('Accepted', { exact: true }).waitFor();
  await shot(page, 'users');
  const back = await graph('GET', `/v1.0/users/${guestId}?$select=externalUserState`);
  assert.equal(back.json.externalUserState, 'Accepted');
  await page.close();
});

test('a "throttle the next 2 calls" rule added in the UI: the next call gets 429, the journal shows it live', async () => {
  const page = await context.newPage();
  await page.goto(`${base}/_mock/ui#/faults`);
  await page.getByRole('button', { name: 'Throttle the next 2 calls' }).click();
  assert.match(await page.getByLabel('Rule (JSON)').inputValue(), /"throttled"/);
  await page.getByRole('button', { name: 'Add rule' }).click();
  const rule = page.locator('tr[data-rule]', { hasText: 'Throttle the next 2 calls' });
  await rule.waitFor();
  const ruleId = await rule.getAttribute('data-rule');
  await assertLabelled(page, 'faults');

  await page.goto(`${base}/_mock/ui#/journal`);
  await page.getByText(/requests? shown/).waitFor();
  const first = await graph('GET', '/v1.0/users?$select=id');
  assert.equal(first.status, 429);
  assert.equal(first.headers.get('retry-after'), '1');
  assert.equal(first.json.error.code, 'TooManyRequests');
  const row = page.locator('tr[data-status="429"]', { hasText: '/v1.0/users' });
  await row.waitFor(); // appears without a reload: the page polls ?after=<lastSeq>
  assert.match(await row.textContent(), new RegExp(`error 429 \\(${ruleId}\\)`));
  await assertLabelled(page, 'journal');
  await shot(page, 'journal');

  // Back on the rules: the counter says 1, and switching the rule off lets the next call through.
  await page.goto(`${base}/_mock/ui#/faults`);
  const injected = page.locator(`tr[data-rule="${ruleId}"] td`).nth(4);
  await page.waitForFunction((el) => el.textContent === '1', await injected.elementHandle());
  await page.getByRole('switch', { name: `Rule ${ruleId} on` }).uncheck();
  await page.getByText(`Rule ${ruleId} off`).waitFor();
  const rules = await graph('GET', `/_mock/faults/${ruleId}`);
  assert.equal(rules.json.enabled, false);
  assert.equal((await graph('GET', '/v1.0/users?$select=id')).status, 200);
  await shot(page, 'faults');
  await page.close();
});

test('every page renders, labelled, at 1280 px and at phone width', async () => {
  const pages = ['tenants', 'users', 'groups', 'apps', 'mail', 'faults', 'journal', 'state'];
  const page = await context.newPage();
  for (const name of pages) {
    await page.goto(`${base}/_mock/ui#/${name}`);
    await page.locator('h1').waitFor();
    await page.waitForLoadState('networkidle');
    await assertLabelled(page, name);
    await assertNoSideways(page, name);
    await shot(page, `page-${name}`);
  }
  await page.close();

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  phone.setDefaultTimeout(TIMEOUT);
  const small = await phone.newPage();
  watch(small, 'phone');
  for (const name of pages) {
    await small.goto(`${base}/_mock/ui#/${name}`);
    await small.locator('h1').waitFor();
    await small.waitForLoadState('networkidle');
    await assertNoSideways(small, `${name} at 390 px`);
    await shot(small, `phone-${name}`);
  }
  await small.goto(`${base}/_mock/ui#/users/${guestId}`);
  await small.getByText('Accepted', { exact: true }).waitFor();
  await shot(small, 'phone-user-accepted');
  await phone.close();
});

test('the sign-in and device-code pages wear the dashboard look and are labelled', async () => {
  const page = await context.newPage();
  const query = new URLSearchParams({
    client_id: '0e6a4b2c-8d1f-4e3a-b5c7-9f2d6a8e1b43',
    response_type: 'code',
    redirect_uri: 'http://localhost:3000/redirect',
    scope: 'User.Read',
    login_hint: 'AdeleV@contoso.onmicrosoft.com',
  });
  const res = await page.goto(`${base}/contoso.onmicrosoft.com/oauth2/v2.0/authorize?${query}`);
  assert.equal(res.status(), 200);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await page.waitForLoadState('networkidle');
  await assertLabelled(page, 'sign-in');
  // base.css is applied: the accept button has the dashboard's accent colour.
  const accept = page.getByRole('button', { name: 'Sign in and accept' });
  assert.equal(await accept.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(11, 87, 164)');
  assert.equal(await page.getByLabel('Email, phone, or Skype').inputValue(), 'AdeleV@contoso.onmicrosoft.com');
  await shot(page, 'sign-in');

  await page.getByLabel('Password').fill('not-her-password');
  await accept.click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /AADSTS50126/);
  assert.equal(await alert.evaluate((el) => getComputedStyle(el).color), 'rgb(140, 28, 28)');
  await shot(page, 'sign-in-wrong-password');

  await page.goto(`${base}/devicelogin`);
  await page.getByRole('heading', { level: 1, name: 'Enter code' }).waitFor();
  await assertLabelled(page, 'device code');
  await assertNoSideways(page, 'device code');
  await shot(page, 'device-code');
  await page.close();
});

test('behind --admin-token the dashboard asks for the token once and then works', async () => {
  const secret = `ui-admin-${process.pid}`;
  const guarded = await startGraphmock(['--admin-token', secret]);
  // Its own context: the 401 that makes the page ask is expected here.
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  ctx.setDefaultTimeout(TIMEOUT);
  try {
    // The page and the sign-in pages' stylesheet need no token; the admin API does.
    for (const asset of ['/_mock/ui', '/_mock/ui/base.css', '/_mock/ui/api.js']) {
      assert.equal((await fetch(`${guarded.url}${asset}`)).status, 200, asset);
    }
    const refused = await fetch(`${guarded.url}/_mock/tenants`);
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate'), /graphmock-admin/);

    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const asked = [];
    page.on('dialog', (d) => {
      asked.push(d.message());
      d.accept(secret);
    });
    await page.goto(`${guarded.url}/_mock/ui#/tenants`);
    await page.getByRole('table', { name: /^Tenants \(\d+\)/ }).waitFor();
    assert.equal(asked.length, 1, `asked for the admin token ${asked.length} times: ${asked}`);
    assert.match(asked[0], /admin token/);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('graphmock.ui.adminToken')), secret);
    await shot(page, 'admin-token-tenants');

    // A reload in the same tab reuses the token: no second question.
    await page.reload();
    await page.getByRole('table', { name: /^Tenants \(\d+\)/ }).waitFor();
    assert.equal(asked.length, 1);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
    guarded.child.kill('SIGTERM');
    await once(guarded.child, 'exit');
  }
});

test('no page logged a console error, failed a request or got a 4xx/5xx', () => {
  assert.deepEqual(problems, []);
});
