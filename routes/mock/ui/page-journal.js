// page-journal.js - the request journal (GET /_mock/requests), newest first,
// with filters, and live: while "Live" is on the page asks every second for
// the entries after the last one it has (?after=<lastSeq>), so nothing is
// missed or shown twice.
import { admin, currentTenant, qs } from './api.js';
import { busy, check, errorNotice, field, h, tableRow, toast } from './dom.js';

const MAX_ROWS = 300;
const filters = { method: '', path: '', status: '', mine: true, hideAdmin: true, live: true };

function statusCell(e) {
  const s = e.status;
  return h('span', { class: `badge status-${s ? Math.floor(s / 100) : 0}` }, s ? String(s) : 'dropped');
}

function detail(e) {
  const lines = [`${e.method} ${e.path}${e.query ? `?${e.query}` : ''}`];
  for (const [k, v] of Object.entries(e.headers || {})) lines.push(`${k}: ${v}`);
  if (e.body) lines.push('', e.body + (e.bodyTruncated ? ' …(truncated)' : ''));
  return h('details', {}, h('summary', {}, e.path, e.query ? h('span', { class: 'query' }, `?${e.query}`) : null),
    h('pre', {}, lines.join('\n')),
    h('p', {}, 'request-id ', h('code', {}, e.requestId), ' · tenant ', h('code', {}, e.tenant || '—')));
}

const columns = [
  { label: 'Time', class: 'nowrap', cell: (e) => h('time', { datetime: e.time, title: e.time }, e.time.replace('T', ' ').slice(11, 23)) },
  { label: 'Method', cell: (e) => e.method },
  { label: 'Path', cell: detail },
  { label: 'Status', cell: statusCell },
  { label: 'Took', class: 'num hide-narrow', cell: (e) => `${(e.durationMicros / 1000).toFixed(1)} ms` },
  { label: 'Fault', class: 'nowrap', cell: (e) => (e.fault ? `${e.fault.action} ${e.fault.detail}${e.fault.ruleId ? ` (${e.fault.ruleId})` : ''}` : '—') },
];

async function render(main, ctx) {
  const out = h('div');
  const method = h('select', {}, ['', 'GET', 'POST', 'PATCH', 'PUT', 'DELETE'].map((m) =>
    h('option', { value: m, selected: filters.method === m }, m || 'Any')));
  const path = h('input', { type: 'text', id: 'journal-path', value: filters.path, placeholder: '/v1.0/users*', autocomplete: 'off', spellcheck: 'false' });
  const status = h('input', { type: 'number', min: '100', max: '599', value: filters.status, inputmode: 'numeric' });
  const tenant = currentTenant();
  const mine = check(`Only tenant ${tenant ? tenant.displayName : ''}`, { checked: filters.mine });
  const hideAdmin = check('Hide /_mock calls', { checked: filters.hideAdmin });
  const live = check('Live', { checked: filters.live });
  const count = h('p', { class: 'lead', 'aria-live': 'off' });
  const tbody = h('tbody');
  let lastSeq = 0;
  let shown = 0;
  let timer = null;
  let polling = false;

  function query(after) {
    return qs({
      method: filters.method,
      path: filters.path,
      status: filters.status,
      tenant: filters.mine && tenant ? tenant.id : '',
      exclude: filters.hideAdmin ? '/_mock/*' : '',
      after: after || '',
      last: after ? '' : MAX_ROWS,
    });
  }

  function add(entries, fresh) {
    if (shown === 0 && entries.length) tbody.replaceChildren();
    for (const e of entries) {
      const tr = tableRow(columns, e, () => ({ 'data-seq': e.seq, 'data-status': e.status ?? 0, class: fresh ? 'fresh' : null }));
      tbody.prepend(tr);
      shown += 1;
    }
    while (tbody.children.length > MAX_ROWS) tbody.lastElementChild.remove();
    shown = Math.min(shown, MAX_ROWS);
    if (shown === 0) tbody.replaceChildren(h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, 'No request matches.')));
    count.textContent = `${shown} request${shown === 1 ? '' : 's'} shown, newest first${filters.live ? '; live' : ''}.`;
  }

  async function reload() {
    shown = 0;
    tbody.replaceChildren();
    try {
      const page = await admin('GET', `/_mock/requests?${query(0)}`);
      if (ctx.stale()) return;
      lastSeq = page.lastSeq || 0;
      out.replaceChildren();
      add(page.value || [], false);
    } catch (err) {
      out.replaceChildren(errorNotice(err));
    }
  }

  async function poll() {
    if (polling || document.hidden || ctx.stale()) return;
    polling = true;
    try {
      const page = await admin('GET', `/_mock/requests?${query(lastSeq)}`);
      if (ctx.stale()) return;
      if (page.lastSeq < lastSeq) {
        await reload(); // the server restarted
      } else {
        lastSeq = page.lastSeq;
        if (page.value && page.value.length) add(page.value, true);
      }
      out.replaceChildren();
    } catch (err) {
      out.replaceChildren(errorNotice(err));
    } finally {
      polling = false;
    }
  }

  function setLive() {
    clearInterval(timer);
    timer = filters.live ? setInterval(poll, 1000) : null;
  }

  const form = h('form', {
    class: 'toolbar',
    onsubmit: (e) => {
      e.preventDefault();
      filters.method = method.value;
      filters.path = path.value.trim();
      filters.status = status.value.trim();
      filters.mine = mine.input.checked;
      filters.hideAdmin = hideAdmin.input.checked;
      reload();
    },
  },
  field('Method', method),
  h('div', { class: 'field grow' }, h('label', { for: path.id }, 'Path pattern'), path),
  field('Status', status),
  h('div', { class: 'row' }, mine.el, hideAdmin.el),
  h('button', { type: 'submit' }, 'Apply'));

  live.input.addEventListener('change', () => {
    filters.live = live.input.checked;
    setLive();
    count.textContent = count.textContent.replace(/; live\.$|\.$/, filters.live ? '; live.' : '.');
  });

  main.append(
    h('p', { class: 'lead' }, 'Every request graphmock answered: what your client sent and what it got. ',
      'Path patterns take * (any characters) and {id} (one segment).'),
    form,
    h('div', { class: 'row' }, live.el,
      h('button', { type: 'button', class: 'secondary small', onclick: reload }, 'Reload'),
      h('button', {
        type: 'button',
        class: 'danger small',
        onclick: (e) => busy(e.currentTarget, async () => {
          await admin('DELETE', '/_mock/requests');
          toast('Journal cleared');
          await reload();
        }, out),
      }, 'Clear the journal')),
    out,
    count,
    h('div', { class: 'table-wrap' }, h('table', { class: 'stack' },
      h('caption', {}, 'Requests'),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)))),
      tbody)),
  );
  await reload();
  setLive();
  return () => clearInterval(timer);
}

export default { title: 'Request journal', render };
