// page-groups.js - the tenant's groups through Graph (/groups): search,
// create a security group; one group with its members, adding one by id,
// userPrincipalName or mail (POST members/$ref) and removing one
// (DELETE members/{id}/$ref), as an onboarding tool does.
import { graph, graphAll, qs, resolvePrincipal, searchTerm } from './api.js';
import { busy, errorNotice, field, h, props, section, table, time, toast } from './dom.js';

const SELECT = 'id,displayName,description,groupTypes,securityEnabled,mailEnabled,mailNickname,createdDateTime';

function kind(g) {
  if ((g.groupTypes || []).includes('Unified')) return 'Microsoft 365';
  if (g.securityEnabled && g.mailEnabled) return 'Mail-enabled security';
  if (g.securityEnabled) return 'Security';
  if (g.mailEnabled) return 'Distribution';
  return '—';
}

let lastSearch = '';

async function renderList(main, ctx) {
  const search = h('input', { type: 'search', id: 'group-search', value: lastSearch, autocomplete: 'off' });
  const out = h('div', { 'aria-live': 'polite' });
  async function load() {
    const term = searchTerm(lastSearch);
    const params = { $select: SELECT, $top: 100, $count: 'true' };
    if (term) params.$search = `"displayName:${term}"`;
    else params.$orderby = 'displayName';
    try {
      const groups = await graphAll(`/v1.0/groups?${qs(params)}`, { ConsistencyLevel: 'eventual' });
      if (ctx.stale()) return;
      out.replaceChildren(table({
        caption: `Groups (${groups.length})`,
        rows: groups,
        empty: term ? `No group matches “${lastSearch}”.` : 'No groups.',
        columns: [
          { label: 'Name', cell: (g) => h('a', { href: `#/groups/${encodeURIComponent(g.id)}` }, g.displayName) },
          { label: 'Kind', cell: kind },
          { label: 'Description', cell: (g) => g.description || '—', class: 'hide-narrow' },
          { label: 'Created', cell: (g) => time(g.createdDateTime), class: 'hide-narrow' },
        ],
      }));
    } catch (err) {
      out.replaceChildren(errorNotice(err));
    }
  }
  main.append(
    h('form', {
      class: 'toolbar',
      role: 'search',
      onsubmit: (e) => {
        e.preventDefault();
        lastSearch = search.value;
        load();
      },
    },
    h('div', { class: 'field grow' }, h('label', { for: search.id }, 'Search groups by name'), search),
    h('button', { type: 'submit' }, 'Search')),
    out,
  );
  await load();

  const name = h('input', { type: 'text', required: true, autocomplete: 'off' });
  const nick = h('input', { type: 'text', autocomplete: 'off', pattern: '[A-Za-z0-9._-]+' });
  const desc = h('input', { type: 'text', autocomplete: 'off' });
  const createOut = h('div');
  const button = h('button', { type: 'submit' }, 'Create group');
  main.append(section('New security group', h('form', {
    class: 'card',
    onsubmit: (e) => {
      e.preventDefault();
      busy(button, async () => {
        const body = {
          displayName: name.value.trim(),
          mailEnabled: false,
          securityEnabled: true,
          mailNickname: nick.value.trim() || name.value.trim().replace(/[^A-Za-z0-9._-]+/g, '-').toLowerCase() || 'group',
        };
        if (desc.value.trim()) body.description = desc.value.trim();
        const g = await graph('POST', '/v1.0/groups', body);
        toast(`Created ${g.displayName}`);
        location.hash = `#/groups/${encodeURIComponent(g.id)}`;
      }, createOut);
    },
  },
  createOut,
  h('div', { class: 'grid-2' },
    field('Display name', name),
    field('Mail nickname (optional)', nick, 'Letters, digits, . _ -; made from the name when empty.')),
  field('Description (optional)', desc),
  button)));
}

async function renderGroup(main, ctx, id) {
  const base = `/v1.0/groups/${encodeURIComponent(id)}`;
  const group = await graph('GET', `${base}?$select=${SELECT}`);
  if (ctx.stale()) return;
  ctx.heading.textContent = group.displayName;
  const out = h('div');
  const membersBox = h('div', { 'aria-live': 'polite' });
  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/groups' }, '← All groups')),
    h('div', { class: 'card' }, props([
      ['Kind', kind(group)],
      ['Description', group.description],
      ['Mail nickname', group.mailNickname],
      ['Created', time(group.createdDateTime)],
      ['Id', h('code', {}, group.id)],
    ])),
    out,
  );

  async function loadMembers() {
    try {
      const members = await graphAll(`${base}/members?$select=id,displayName,userPrincipalName,userType`);
      if (ctx.stale()) return;
      membersBox.replaceChildren(table({
        caption: `Members (${members.length})`,
        rows: members,
        empty: 'No members.',
        columns: [
          {
            label: 'Name',
            cell: (m) => {
              const type = (m['@odata.type'] || '').replace('#microsoft.graph.', '');
              const href = type === 'user' ? `#/users/${encodeURIComponent(m.id)}`
                : type === 'group' ? `#/groups/${encodeURIComponent(m.id)}` : null;
              return href ? h('a', { href }, m.displayName || m.id) : (m.displayName || m.id);
            },
          },
          { label: 'Kind', cell: (m) => [(m['@odata.type'] || '').replace('#microsoft.graph.', ''), m.userType ? ` (${m.userType})` : ''] },
          { label: 'User principal name', cell: (m) => (m.userPrincipalName ? h('span', { class: 'mono' }, m.userPrincipalName) : '—'), class: 'hide-narrow' },
          {
            label: 'Actions',
            class: 'actions',
            cell: (m) => h('button', {
              class: 'small danger',
              'aria-label': `Remove ${m.displayName || m.id} from ${group.displayName}`,
              onclick: (e) => busy(e.currentTarget, async () => {
                await graph('DELETE', `${base}/members/${encodeURIComponent(m.id)}/$ref`);
                toast(`Removed ${m.displayName || m.id}`);
                await loadMembers();
              }, out),
            }, 'Remove'),
          },
        ],
      }));
    } catch (err) {
      membersBox.replaceChildren(errorNotice(err));
    }
  }

  const who = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', required: true });
  const add = h('button', { type: 'submit' }, 'Add member');
  main.append(section('Members', membersBox, h('form', {
    class: 'card',
    onsubmit: (e) => {
      e.preventDefault();
      busy(add, async () => {
        const p = await resolvePrincipal(who.value);
        await graph('POST', `${base}/members/$ref`, {
          '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${p.id}`,
        });
        toast(`Added ${p.displayName}`);
        who.value = '';
        await loadMembers();
      }, out);
    },
  },
  field('User or group to add', who, 'An object id, a userPrincipalName, an email address or a group name.'),
  add)));
  await loadMembers();
}

export default {
  title: 'Groups',
  render: async (main, ctx) => (ctx.params[0] ? renderGroup(main, ctx, ctx.params[0]) : renderList(main, ctx)),
};
