// page-state.js - the whole server's state: export it as a file (GET
// /_mock/state), import one (PUT /_mock/state, validated first: a bad file
// changes nothing), reset every tenant to the fixtures (POST /_mock/reset),
// save to --state-file; and the mock clock (GET/POST /_mock/clock).
import { admin } from './api.js';
import { busy, errorNotice, field, h, notice, props, section, time, toast } from './dom.js';

async function render(main, ctx) {
  const out = h('div', { 'aria-live': 'polite' });

  const exportButton = h('button', { type: 'button' }, 'Download state');
  exportButton.addEventListener('click', () => busy(exportButton, async () => {
    const res = await fetch('/_mock/state', { cache: 'no-store' });
    if (!res.ok) throw new Error(`GET /_mock/state answered ${res.status}`);
    const blob = await res.blob();
    const a = h('a', {
      href: URL.createObjectURL(blob),
      download: `graphmock-state-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    toast(`Exported ${(blob.size / 1024).toFixed(1)} KiB`);
  }, out));

  const file = h('input', { type: 'file', accept: 'application/json,.json' });
  const importButton = h('button', { type: 'submit' }, 'Replace all state');
  const importForm = h('form', {
    class: 'card',
    onsubmit: (e) => {
      e.preventDefault();
      busy(importButton, async () => {
        if (!file.files || !file.files[0]) throw new Error('Choose a state file first.');
        if (!window.confirm('Replace every tenant with the contents of this file?')) return;
        await admin('PUT', '/_mock/state', await file.files[0].text());
        toast('State replaced');
        await ctx.reloadTenants();
      }, out);
    },
  },
  h('p', {}, 'The file is checked whole before anything changes; a bad one answers 400 with the JSON path of the problem.'),
  field('State file (JSON, as exported)', file),
  importButton);

  const resetButton = h('button', {
    type: 'button',
    class: 'danger',
    onclick: () => busy(resetButton, async () => {
      if (!window.confirm('Give every tenant back its fixture contents? Tenants made since are kept, reset too.')) return;
      await admin('POST', '/_mock/reset');
      toast('Every tenant reset to the fixtures');
      await ctx.reloadTenants();
    }, out),
  }, 'Reset every tenant');

  const saveButton = h('button', {
    type: 'button',
    class: 'secondary',
    onclick: () => busy(saveButton, async () => {
      const r = await admin('POST', '/_mock/state/save');
      out.replaceChildren(notice(`Saved to ${r.savedTo}`, 'ok'));
    }, out),
  }, 'Save to --state-file');

  const clockBox = h('div');
  async function loadClock() {
    try {
      const [clock, health] = await Promise.all([admin('GET', '/_mock/clock'), admin('GET', '/_mock/health')]);
      if (ctx.stale()) return;
      clockBox.replaceChildren(props([
        ['Mock time', time(clock.now)],
        ['Frozen', clock.frozen ? 'yes' : 'no'],
        ['Offset from real time', `${(clock.offsetMs / 1000).toFixed(1)} s`],
        ['Server', `graphmock ${health.version}, up ${health.uptimeSeconds} s`],
      ]));
    } catch (err) {
      clockBox.replaceChildren(errorNotice(err));
    }
  }
  const clockAction = (label, body) => {
    const b = h('button', {
      type: 'button',
      class: 'secondary small',
      onclick: () => busy(b, async () => {
        await admin('POST', '/_mock/clock', body);
        toast(`Clock: ${label}`);
        await loadClock();
      }, out),
    }, label);
    return b;
  };

  main.append(
    h('p', { class: 'lead' }, 'State covers every tenant: users, groups, apps, assignments, invitations and mailboxes.'),
    out,
    section('Export', h('div', { class: 'card' },
      h('p', {}, 'Everything, in the fixture format (GET /_mock/state). Import it later, or start graphmock with it as --fixtures.'),
      h('div', { class: 'row' }, exportButton, saveButton))),
    section('Import', importForm),
    section('Reset', h('div', { class: 'card' },
      h('p', {}, 'POST /_mock/reset: every tenant back to the fixtures graphmock started with.'),
      resetButton)),
    section('Mock clock', h('div', { class: 'card' },
      h('p', {}, 'Timestamps, replication lag, delayed mail and throttling windows follow this clock.'),
      clockBox,
      h('div', { class: 'row' },
        clockAction('Freeze', { freeze: true }),
        clockAction('Unfreeze', { freeze: false }),
        clockAction('+1 minute', { shiftMs: 60000 }),
        clockAction('+1 hour', { shiftMs: 3600000 }),
        clockAction('+1 day', { shiftMs: 86400000 }),
        clockAction('Back to real time', { reset: true })))),
  );
  await loadClock();
}

export default { title: 'State & clock', render };
