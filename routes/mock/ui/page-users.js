// page-users.js - the tenant's users through Graph's own /users: guests and
// their invitation state (PendingAcceptance, Accepted), search ($search with
// ConsistencyLevel: eventual, as Graph wants), members/guests, paging by
// @odata.nextLink; and one user with its groups and app roles.
import { admin, graph, graphAll, qs, searchTerm } from './api.js';
import { badge, busy, errorNotice, field, guestBadge, h, props, section, table, time, toast } from './dom.js';
import { deliveryCell } from './page-mail.js';

const PAGE_SIZE = 15;
const SELECT = 'id,displayName,userPrincipalName,mail,userType,externalUserState,' +
  'externalUserStateChangeDateTime,createdDateTime,accountEnabled';

/* The list's query, kept across visits so Back returns to the same search. */
const view = { search: '', type: '', pages: [], page: 0 };

function listUrl() {
  const params = { $select: SELECT, $top: PAGE_SIZE, $count: 'true' };
  const term = searchTerm(view.search);
  if (term) {
    params.$search = ['displayName', 'mail', 'userPrincipalName'].map((p) => `"${p}:${term}"`).join(' OR ');
  } else {
    params.$orderby = 'displayName';
  }
  if (view.type) params.$filter = `userType eq '${view.type}'`;
  return `/v1.0/users?${qs(params)}`;
}

const ADVANCED = { ConsistencyLevel: 'eventual' };

async function renderList(main, ctx) {
  const search = h('input', { type: 'search', id: 'user-search', name: 'search', value: view.search, autocomplete: 'off', placeholder: 'name or email' });
  const type = h('select', { name: 'type' },
    h('option', { value: '' }, 'Everyone'),
    h('option', { value: 'Guest', selected: view.type === 'Guest' }, 'Guests'),
    h('option', { value: 'Member', selected: view.type === 'Member' }, 'Members'));
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', {
    class: 'toolbar',
    role: 'search',
    onsubmit: (e) => {
      e.preventDefault();
      view.search = search.value;
      view.type = type.value;
      view.pages = [listUrl()];
      view.page = 0;
      load();
    },
  },
  h('div', { class: 'field grow' }, h('label', { for: 'user-search' }, 'Search users'), search),
  field('Show', type),
  h('button', { type: 'submit' }, 'Search'));
  main.append(
    h('p', { class: 'lead' }, 'Read through Graph (GET /v1.0/users). Guests appear here as soon as they are invited; ',
      'their state turns Accepted when the link in the invitation email is followed.'),
    form, out);

  view.pages = [listUrl()]; // the search stays, paging starts over (another tenant?)
  view.page = 0;

  async function load() {
    let page;
    try {
      page = await graph('GET', view.pages[view.page], undefined, ADVANCED);
    } catch (err) {
      out.replaceChildren(errorNotice(err));
      return;
    }
    if (ctx.stale()) return;
    const rows = page.value || [];
    const count = page['@odata.count'];
    const next = page['@odata.nextLink'];
    const first = view.page * PAGE_SIZE + 1;
    const range = rows.length ? `${first}–${first + rows.length - 1}${count !== undefined ? ` of ${count}` : ''}` : '0';
    const prevButton = h('button', {
      class: 'secondary small', disabled: view.page === 0,
      onclick: () => { view.page -= 1; load(); },
    }, 'Previous page');
    const nextButton = h('button', {
      class: 'secondary small', disabled: !next,
      onclick: () => {
        view.pages = view.pages.slice(0, view.page + 1).concat(next);
        view.page += 1;
        load();
      },
    }, 'Next page');
    out.replaceChildren(
      table({
        caption: `Users ${range}`,
        rows,
        empty: view.search ? `No user matches “${view.search}”.` : 'No users.',
        rowAttrs: (u) => ({ 'data-user': u.id }),
        columns: [
          { label: 'Name', cell: (u) => h('a', { href: `#/users/${encodeURIComponent(u.id)}` }, u.displayName || u.userPrincipalName) },
          { label: 'User principal name', cell: (u) => h('span', { class: 'mono' }, u.userPrincipalName), class: 'hide-narrow' },
          { label: 'Type', cell: (u) => u.userType || '—' },
          { label: 'Guest state', cell: (u) => guestBadge(u.externalUserState) },
          { label: 'State changed', cell: (u) => time(u.externalUserStateChangeDateTime), class: 'hide-narrow' },
          { label: 'Created', cell: (u) => time(u.createdDateTime), class: 'hide-narrow' },
        ],
      }),
      h('div', { class: 'pager' }, prevButton, h('span', { class: 'where' }, `Page ${view.page + 1}`), nextButton),
    );
  }
  await load();
}

async function renderUser(main, ctx, id) {
  const base = `/v1.0/users/${encodeURIComponent(id)}`;
  const user = await graph('GET', `${base}?$select=${SELECT},identities,otherMails,creationType`);
  if (ctx.stale()) return;
  ctx.heading.textContent = user.displayName || user.userPrincipalName;
  const out = h('div');
  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/users' }, '← All users')),
    out,
    h('div', { class: 'card' }, props([
      ['Guest state', guestBadge(user.externalUserState)],
      ['State changed', time(user.externalUserStateChangeDateTime)],
      ['Type', user.userType],
      ['User principal name', h('span', { class: 'mono' }, user.userPrincipalName)],
      ['Mail', user.mail],
      ['Other mails', (user.otherMails || []).join(', ') || null],
      ['Created by', user.creationType],
      ['Sign-in identities', (user.identities || []).map((i) => `${i.signInType} (${i.issuer})`).join(', ') || null],
      ['Account enabled', String(user.accountEnabled)],
      ['Created', time(user.createdDateTime)],
      ['Id', h('code', {}, user.id)],
    ])),
  );
  const [groups, roles, invitations] = await Promise.all([
    graphAll(`${base}/memberOf?$select=id,displayName`).catch((e) => e),
    graphAll(`${base}/appRoleAssignments`).catch((e) => e),
    user.creationType === 'Invitation'
      ? admin('GET', '/_mock/invitations').then((r) => r.value.filter((i) => i.userId === user.id)).catch((e) => e)
      : null,
  ]);
  if (ctx.stale()) return;
  if (invitations) {
    main.append(section('Invitations',
      invitations instanceof Error ? errorNotice(invitations) : table({
        rows: invitations,
        empty: 'No invitation recorded (loaded from a fixture?).',
        columns: [
          { label: 'Sent to', cell: (i) => [i.invitedUserEmailAddress, i.superseded ? [' ', badge('superseded')] : null] },
          { label: 'Status', cell: (i) => (i.status === 'Completed' ? badge('Completed', 'ok') : badge(i.status, 'warn')) },
          { label: 'Email', cell: (i) => deliveryCell(i.mail) },
          {
            label: 'Message',
            cell: (i) => (i.mail && i.mail.messageId && i.mail.arrived
              ? h('a', { href: `#/mail/${encodeURIComponent(i.mail.messageId)}` }, 'Open the email')
              : '—'),
          },
        ],
      })));
  }
  main.append(section('Groups',
    groups instanceof Error ? errorNotice(groups) : table({
      rows: groups,
      empty: 'Not a member of any group.',
      columns: [
        { label: 'Group', cell: (g) => h('a', { href: `#/groups/${encodeURIComponent(g.id)}` }, g.displayName || g.id) },
        { label: 'Kind', cell: (g) => (g['@odata.type'] || '').replace('#microsoft.graph.', '') },
      ],
    })));
  main.append(section('App role assignments',
    roles instanceof Error ? errorNotice(roles) : table({
      rows: roles,
      empty: 'No app roles assigned.',
      columns: [
        { label: 'App', cell: (a) => h('a', { href: `#/apps/${encodeURIComponent(a.resourceId)}` }, a.resourceDisplayName || a.resourceId) },
        { label: 'Role id', cell: (a) => h('code', {}, a.appRoleId) },
        { label: 'Assigned', cell: (a) => time(a.createdDateTime) },
      ],
    })));
  const del = h('button', {
    class: 'danger',
    onclick: () => busy(del, async () => {
      if (!window.confirm(`Delete ${user.displayName || user.userPrincipalName}? Graph deletes are permanent here.`)) return;
      await graph('DELETE', base);
      toast('User deleted');
      location.hash = '#/users';
    }, out),
  }, 'Delete user');
  main.append(section('Danger zone', del));
}

export default {
  title: 'Users',
  render: async (main, ctx) => (ctx.params[0] ? renderUser(main, ctx, ctx.params[0]) : renderList(main, ctx)),
};
