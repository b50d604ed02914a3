// dom.js - building the page from data without ever parsing data as HTML:
// h() makes elements (text always goes in as text), plus the pieces every
// page uses: tables, form fields, badges, notices, times.

/**
 * h('button', {class: 'secondary', onclick: fn}, 'Save') - an element.
 * Attributes: on* take functions; true/false toggle boolean attributes;
 * null/undefined are skipped. Children: strings and numbers become text
 * nodes, arrays are flattened, null and false are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'value' && 'value' in el) {
      el.value = value;
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.append(c);
    else el.append(document.createTextNode(String(c)));
  }
}

let uid = 0;
/** A unique id for label/control pairs. */
export function nextId(prefix = 'f') {
  uid += 1;
  return `${prefix}-${uid}`;
}

/**
 * A labelled control: field('Email', h('input', {...}), 'hint'). The label
 * is tied to the control by id; a hint is tied by aria-describedby.
 */
export function field(label, control, hint) {
  if (!control.id) control.id = nextId();
  const parts = [h('label', { for: control.id }, label)];
  if (hint) {
    const hintId = nextId('hint');
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('span', { class: 'hint', id: hintId }, hint));
  }
  parts.push(control);
  return h('div', { class: 'field' }, parts);
}

/** A checkbox with its label after it. */
export function check(label, attrs = {}) {
  const input = h('input', { type: 'checkbox', ...attrs });
  return { input, el: h('label', { class: 'check' }, input, label) };
}

export function badge(text, kind = '') {
  return h('span', { class: `badge ${kind}`.trim() }, text);
}

/** The badge for a guest's externalUserState. */
export function guestBadge(state) {
  if (!state) return h('span', { class: 'empty' }, '—');
  if (state === 'Accepted') return badge('Accepted', 'ok');
  if (state === 'PendingAcceptance') return badge('PendingAcceptance', 'warn');
  return badge(state);
}

/** An error box; role=alert so screen readers hear it at once. */
export function errorNotice(err) {
  const status = err && err.status ? `${err.status}: ` : '';
  return h('div', { class: 'notice error', role: 'alert' }, status + (err?.message || String(err)));
}

export function notice(text, kind = 'info') {
  return h('div', { class: `notice ${kind}` }, text);
}

/**
 * table({caption, columns: [{label, cell(row), class}], rows, empty}) - a
 * data table with a caption and column headers, in a scrolling wrapper.
 */
export function table({ caption, columns, rows, empty = 'Nothing here yet.', rowAttrs }) {
  const head = h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)));
  const body = h('tbody');
  if (!rows.length) {
    body.append(h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, empty)));
  }
  for (const row of rows) body.append(tableRow(columns, row, rowAttrs));
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'stack' }, caption ? h('caption', {}, caption) : null, h('thead', {}, head), body));
}

/* One row; each cell carries its column's label, shown beside it on phones (table.stack). */
export function tableRow(columns, row, rowAttrs) {
  return h('tr', rowAttrs ? rowAttrs(row) : {},
    columns.map((c) => h('td', { class: c.class, 'data-label': c.label }, h('div', {}, c.cell(row)))));
}

/** Definition list of [label, value] pairs; values may be nodes. */
export function props(pairs) {
  return h('dl', { class: 'props' },
    pairs.filter(Boolean).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')]));
}

/** "2026-05-01 10:22:31" from an ISO time, in the browser's zone; "—" when empty. */
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A <time> element showing when(iso), with the exact value as its datetime. */
export function time(iso) {
  return iso ? h('time', { datetime: iso, title: iso }, when(iso)) : h('span', { class: 'empty' }, '—');
}

/** Shows a short message in the polite live region at the bottom right. */
export function toast(text, kind = 'ok') {
  const box = document.getElementById('toast');
  if (!box) return;
  box.replaceChildren(h('div', { class: `notice ${kind}` }, text));
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.replaceChildren(), 5000);
}

/** Runs fn while the button is disabled, showing any error in @out (or a toast). */
export async function busy(button, fn, out) {
  if (button) button.disabled = true;
  try {
    if (out) out.replaceChildren();
    return await fn();
  } catch (err) {
    if (out) out.replaceChildren(errorNotice(err));
    else toast(`${err.status ? err.status + ': ' : ''}${err.message}`, 'error');
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

/** A section with its heading (h2 by default) and content. */
export function section(title, ...children) {
  const id = nextId('sec');
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), children);
}
