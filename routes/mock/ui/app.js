// app.js - the dashboard shell: the tenant switch in the top bar, the
// section list, and a hash router (#/users, #/users/<id>, ...) that shows
// one page at a time. Each page module exports {title, render(main, ctx)};
// render may return a function that stops what the page started (polling).
import { admin, currentTenant, session, setTenant } from './api.js';
import { errorNotice, h, toast } from './dom.js';
import tenants from './page-tenants.js';
import users from './page-users.js';
import groups from './page-groups.js';
import apps from './page-apps.js';
import mail from './page-mail.js';
import faults from './page-faults.js';
import journal from './page-journal.js';
import state from './page-state.js';

const pages = { tenants, users, groups, apps, mail, faults, journal, state };
const DEFAULT_PAGE = 'users';

const main = document.getElementById('main');
const select = document.getElementById('tenant-select');
let stop = null;
let shown = 0; // pages shown so far: the first load keeps focus where it is
let generation = 0;

/** Reloads the tenant list into the switch; keeps the choice if it still exists. */
export async function loadTenants() {
  const list = await admin('GET', '/_mock/tenants');
  session.tenants = list.value || [];
  if (session.tenant && !session.tenants.some((t) => t.id === session.tenant)) setTenant('');
  const current = currentTenant();
  select.replaceChildren(...session.tenants.map((t) =>
    h('option', { value: t.id, selected: current && t.id === current.id }, `${t.displayName} (${t.domain})`)));
  select.disabled = session.tenants.length === 0;
}

function route() {
  const hash = location.hash;
  const parts = hash.startsWith('#/') ? hash.slice(2).split('/') : [DEFAULT_PAGE];
  const name = pages[parts[0]] ? parts[0] : DEFAULT_PAGE;
  return { name, params: parts.slice(1).map((p) => decodeURIComponent(p)) };
}

/** Shows the page the location names (again, after a tenant switch). */
export async function show() {
  if (location.hash && !location.hash.startsWith('#/')) return; // #main: the skip link
  const { name, params } = route();
  const page = pages[name];
  const mine = ++generation;
  if (stop) {
    stop();
    stop = null;
  }
  for (const a of document.querySelectorAll('.nav a')) {
    if (a.getAttribute('href') === `#/${name}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const tenant = currentTenant();
  document.title = `${page.title} · ${tenant ? tenant.displayName : 'graphmock'} · graphmock`;
  const heading = h('h1', { tabindex: '-1' }, page.title);
  main.replaceChildren(h('div', { class: 'page-head' }, heading));
  const ctx = {
    params,
    refresh: show,
    loadTenants,
    reloadTenants: async () => {
      await loadTenants();
      await show();
    },
    stale: () => mine !== generation,
    heading,
  };
  if (shown++ > 0) heading.focus();
  try {
    const cleanup = await page.render(main, ctx);
    if (typeof cleanup === 'function') {
      if (mine === generation) stop = cleanup;
      else cleanup();
    }
  } catch (err) {
    if (mine === generation) main.append(errorNotice(err));
  }
}

select.addEventListener('change', async () => {
  setTenant(select.value);
  const t = currentTenant();
  toast(`Showing tenant ${t ? t.displayName : ''}`);
  await show();
});

window.addEventListener('hashchange', show);

async function start() {
  try {
    const health = await admin('GET', '/_mock/health');
    document.getElementById('version').textContent = `v${health.version}`;
    await loadTenants();
  } catch (err) {
    main.replaceChildren(errorNotice(err));
    return;
  }
  await show();
}

start();
