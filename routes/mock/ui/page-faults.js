// page-faults.js - fault rules (docs/faults.md): add one from a preset or
// as JSON (POST /_mock/faults), switch it on or off (PATCH
// /_mock/faults/{id} {"enabled"}), delete it, and watch its counters
// (GET /_mock/faults/stats, every 2 s while the page is open).
import { admin, currentTenant } from './api.js';
import { badge, busy, check, errorNotice, field, h, section, tableRow, toast } from './dom.js';

const BOUNCE = '550 5.1.1 The email account that you tried to reach does not exist.';

/* Each preset is a rule as POST /_mock/faults takes it; tenant: false = global only. */
const PRESETS = [
  { label: 'Throttle the next 2 calls', rule: { when: { times: 2 }, action: { error: 'throttled', retryAfter: 1 } } },
  { label: 'Bounce mail to *@example.com', rule: { mail: { to: '*@example.com', outcome: 'bounced', reason: BOUNCE } } },
  { label: 'Delay mail to *@example.org by 1 min', rule: { mail: { to: '*@example.org', outcome: 'delayed', delayMs: 60000 } } },
  { label: 'Drop mail to *@spam-trap.example', rule: { mail: { to: '*@spam-trap.example', outcome: 'dropped' } } },
  { label: 'Replication lag 2 s (new users)', rule: { lag: { kind: 'user', ms: 2000 } }, tenant: false },
  { label: 'New users unseen for 2 reads', rule: { lag: { kind: 'user', reads: 2 } }, tenant: false },
  { label: '503 on 20% of calls', rule: { when: { probability: 0.2 }, action: { error: 'serviceUnavailable' } } },
  { label: 'Slow calls: 200–800 ms', rule: { action: { latency: { min: 200, max: 800 } } } },
  { label: 'Reset the next connection', rule: { when: { times: 1 }, action: { connection: 'reset' } } },
  { label: 'Next POST: written, then 504', rule: { match: { method: 'POST' }, when: { times: 1 }, action: { ghostWrite: 504 } } },
  { label: 'At most 10 calls per 10 s per client', rule: { throttle: { limit: 10, windowMs: 10000, per: 'client' } } },
];

/* A one-line reading of a rule for people. */
export function describe(rule) {
  const parts = [];
  const a = rule.action || {};
  if (rule.mail) {
    const m = rule.mail;
    parts.push(`mail to ${m.to}: ${m.outcome}${m.delayMs ? ` by ${m.delayMs / 1000} s` : ''}${m.reason ? ` (${m.reason})` : ''}`);
  } else if (rule.lag) {
    const l = rule.lag;
    parts.push(`new ${l.kind} objects unseen${l.ms ? ` for ${l.ms / 1000} s` : ''}${l.reads ? `${l.ms ? ' and' : ''} for ${l.reads} reads` : ''}`);
  } else if (rule.throttle || a.throttle) {
    const t = rule.throttle || a.throttle;
    parts.push(`429 beyond ${t.limit} calls per ${(t.windowMs || 0) / 1000} s per ${t.per || 'client'}`);
  } else if (a.error !== undefined) {
    parts.push(`error ${a.error}${a.retryAfter !== undefined && a.retryAfter !== null ? `, Retry-After ${a.retryAfter}` : ''}`);
  } else if (a.status !== undefined) {
    parts.push(`status ${a.status}${a.code ? ` ${a.code}` : ''}`);
  } else if (a.latency !== undefined) {
    parts.push(typeof a.latency === 'number' ? `${a.latency} ms late` : `${a.latency.min}–${a.latency.max} ms late`);
  } else if (a.connection) {
    parts.push(`connection ${a.connection}`);
  } else if (a.ghostWrite !== undefined) {
    parts.push(`written, then ${a.ghostWrite}`);
  }
  const m = rule.match || {};
  if (!rule.mail && !rule.lag) {
    const methods = Array.isArray(m.method) ? m.method.join('/') : m.method;
    parts.push(`on ${methods ? `${methods} ` : ''}${m.path || 'any call outside /_mock'}`);
  }
  if (m.tenant) parts.push(`tenant ${m.tenant}`);
  if (m.header) parts.push(`with header ${m.header.name}`);
  const w = rule.when || {};
  if (w.after) parts.push(`after ${w.after}`);
  if (w.every) parts.push(`every ${w.every}th`);
  if (w.probability !== undefined) parts.push(`${Math.round(w.probability * 100)}% of the time`);
  if (w.times) parts.push(`${w.times} time${w.times === 1 ? '' : 's'} only`);
  return parts.join(' · ');
}

async function render(main, ctx) {
  const out = h('div', { 'aria-live': 'polite' });
  const editor = h('textarea', { id: 'rule-json', rows: '8', spellcheck: 'false', autocomplete: 'off' });
  const tenant = currentTenant();
  const scoped = check(`Only in tenant ${tenant ? tenant.displayName : ''}`);
  let chosen = null;
  function fill() {
    if (!chosen) return;
    const rule = { description: chosen.label, ...structuredClone(chosen.rule) };
    if (scoped.input.checked && chosen.tenant !== false && tenant) rule.match = { ...(rule.match || {}), tenant: tenant.id };
    editor.value = JSON.stringify(rule, null, 2);
  }
  scoped.input.addEventListener('change', fill);
  const addButton = h('button', { type: 'submit' }, 'Add rule');
  const tbody = h('tbody');
  const summary = h('p', { class: 'lead' });
  let rows = new Map(); // id -> {cells}

  function columnsFor(statsById) {
    return [
      { label: 'Rule', cell: (r) => [h('code', {}, r.id), r.description ? [h('br'), r.description] : null] },
      { label: 'Does', cell: (r) => describe(r) },
      {
        label: 'On',
        cell: (r) => {
          const st = statsById.get(r.id);
          const on = r.enabled !== false;
          const box = h('input', {
            type: 'checkbox',
            role: 'switch',
            checked: on,
            'aria-label': `Rule ${r.id} on`,
            'data-rule-toggle': r.id,
            onchange: async (e) => {
              const want = e.currentTarget.checked;
              await busy(e.currentTarget, async () => {
                await admin('PATCH', `/_mock/faults/${encodeURIComponent(r.id)}`, { enabled: want });
                toast(`Rule ${r.id} ${want ? 'on' : 'off'}`);
              }, out);
              await refresh(true);
            },
          });
          return [box, st && st.expired ? [' ', badge('expired', 'warn')] : null];
        },
      },
      { label: 'Matches', class: 'num', cell: (r) => String(statsById.get(r.id)?.matches ?? 0) },
      { label: 'Injected', class: 'num', cell: (r) => String(statsById.get(r.id)?.injections ?? 0) },
      { label: 'Early retries', class: 'num hide-narrow', cell: (r) => String(statsById.get(r.id)?.retryAfterViolations ?? 0) },
      {
        label: 'Actions',
        class: 'actions',
        cell: (r) => h('button', {
          class: 'small danger',
          'aria-label': `Delete rule ${r.id}`,
          onclick: (e) => busy(e.currentTarget, async () => {
            await admin('DELETE', `/_mock/faults/${encodeURIComponent(r.id)}`);
            toast(`Rule ${r.id} deleted`);
            await refresh(true);
          }, out),
        }, 'Delete'),
      },
    ];
  }
  const headers = ['Rule', 'Does', 'On', 'Matches', 'Injected', 'Early retries', 'Actions'];
  const headerClass = ['', '', '', 'num', 'num', 'num hide-narrow', ''];

  /* Rebuild the rows when the set of rules changed, else only the counters. */
  async function refresh(rebuild = false) {
    let list;
    let stats;
    try {
      [list, stats] = await Promise.all([admin('GET', '/_mock/faults'), admin('GET', '/_mock/faults/stats')]);
    } catch (err) {
      out.replaceChildren(errorNotice(err));
      return;
    }
    if (ctx.stale()) return;
    const statsById = new Map((stats.value || []).map((s) => [s.id, s]));
    const rules = list.value || [];
    summary.textContent = `${rules.length} rule${rules.length === 1 ? '' : 's'}; ${stats.requests} requests seen by the fault engine.`;
    const same = !rebuild && rules.length === rows.size && rules.every((r) => rows.has(r.id));
    const columns = columnsFor(statsById);
    if (same) {
      for (const r of rules) {
        const cells = rows.get(r.id);
        for (const i of [3, 4, 5]) cells[i].textContent = columns[i].cell(r);
        const expired = statsById.get(r.id)?.expired;
        if (expired && !cells[2].querySelector('.badge')) cells[2].firstChild.append(' ', badge('expired', 'warn'));
      }
      return;
    }
    rows = new Map();
    tbody.replaceChildren();
    if (!rules.length) tbody.append(h('tr', {}, h('td', { colspan: headers.length, class: 'empty' }, 'No rules: every call is answered normally.')));
    for (const r of rules) {
      const tr = tableRow(columns, r, (x) => ({ 'data-rule': x.id }));
      rows.set(r.id, [...tr.children]);
      tbody.append(tr);
    }
  }

  main.append(
    h('p', { class: 'lead' }, 'Rules make graphmock fail the way Graph fails on a bad day. They are checked in order; ',
      'the first that matches and fires decides the call. Rules are global unless they name a tenant; ',
      '/_mock calls are never faulted unless a rule names a /_mock path.'),
    out,
    section('Add a rule', h('form', {
      class: 'card',
      onsubmit: (e) => {
        e.preventDefault();
        busy(addButton, async () => {
          let rule;
          try {
            rule = JSON.parse(editor.value);
          } catch (err) {
            throw new Error(`The rule is not JSON: ${err.message}`);
          }
          const added = await admin('POST', '/_mock/faults', rule);
          toast(`Added ${added.value.map((r) => r.id).join(', ')}`);
          editor.value = '';
          chosen = null;
          await refresh(true);
        }, out);
      },
    },
    h('p', { id: 'preset-label' }, 'Start from a preset, then edit the JSON if you like:'),
    h('ul', { class: 'presets', 'aria-labelledby': 'preset-label' }, PRESETS.map((p) => h('li', {},
      h('button', {
        type: 'button',
        class: 'secondary small',
        onclick: () => {
          chosen = p;
          fill();
          editor.focus();
        },
      }, p.label)))),
    h('p', {}, scoped.el),
    field('Rule (JSON)', editor, 'match + when + action, or a mail, lag or throttle rule (docs/faults.md).'),
    addButton)),
    section('Rules',
      summary,
      h('div', { class: 'table-wrap' }, h('table', { class: 'stack' },
        h('caption', {}, 'Fault rules and their counters'),
        h('thead', {}, h('tr', {}, headers.map((t, i) => h('th', { scope: 'col', class: headerClass[i] || null }, t)))),
        tbody)),
      h('button', {
        class: 'danger',
        onclick: (e) => busy(e.currentTarget, async () => {
          if (!window.confirm('Delete every fault rule (and reseed the fault PRNG)?')) return;
          await admin('DELETE', '/_mock/faults');
          toast('Every rule deleted');
          await refresh(true);
        }, out),
      }, 'Delete every rule')),
  );
  await refresh(true);
  const timer = setInterval(() => {
    if (!document.hidden) refresh();
  }, 2000);
  return () => clearInterval(timer);
}

export default { title: 'Fault rules', render };
