// page-apps.js - enterprise apps (service principals) through Graph: add one
// from the application gallery (instantiate a template); one app with its
// app roles and who holds them (appRoleAssignedTo), assigning a role to a
// user or group and removing an assignment.
import { graph, graphAll, qs, resolvePrincipal } from './api.js';
import { busy, errorNotice, field, h, props, section, table, time, toast } from './dom.js';

const DEFAULT_ACCESS = '00000000-0000-0000-0000-000000000000';

async function renderList(main, ctx) {
  const out = h('div');
  const sps = await graphAll(`/v1.0/servicePrincipals?${qs({
    $select: 'id,appId,displayName,servicePrincipalType,appRoles,tags,accountEnabled',
    $top: 100,
  })}`);
  if (ctx.stale()) return;
  main.append(
    h('p', { class: 'lead' }, 'Service principals of this tenant (GET /v1.0/servicePrincipals). ',
      'Open one to see its app roles and assign them.'),
    out,
    table({
      caption: `Enterprise apps (${sps.length})`,
      rows: sps,
      columns: [
        { label: 'Name', cell: (s) => h('a', { href: `#/apps/${encodeURIComponent(s.id)}` }, s.displayName || s.appId) },
        { label: 'App id', cell: (s) => h('code', {}, s.appId), class: 'hide-narrow' },
        { label: 'Kind', cell: (s) => s.servicePrincipalType || '—', class: 'hide-narrow' },
        { label: 'App roles', cell: (s) => String((s.appRoles || []).length), class: 'num' },
      ],
    }));

  const templates = await graphAll('/v1.0/applicationTemplates?$select=id,displayName,publisher').catch((e) => e);
  if (ctx.stale()) return;
  if (templates instanceof Error) {
    main.append(section('Add from the gallery', errorNotice(templates)));
    return;
  }
  const pick = h('select', {}, templates.map((t) => h('option', { value: t.id }, `${t.displayName}${t.publisher ? ` (${t.publisher})` : ''}`)));
  const name = h('input', { type: 'text', autocomplete: 'off', placeholder: 'as in the gallery' });
  const addOut = h('div');
  const add = h('button', { type: 'submit' }, 'Add app');
  main.append(section('Add from the gallery', h('form', {
    class: 'card',
    onsubmit: (e) => {
      e.preventDefault();
      busy(add, async () => {
        const t = templates.find((x) => x.id === pick.value);
        const made = await graph('POST', `/v1.0/applicationTemplates/${encodeURIComponent(pick.value)}/instantiate`, {
          displayName: name.value.trim() || t.displayName,
        });
        toast(`Added ${made.servicePrincipal.displayName}`);
        location.hash = `#/apps/${encodeURIComponent(made.servicePrincipal.id)}`;
      }, addOut);
    },
  },
  h('p', {}, 'POST /applicationTemplates/{id}/instantiate: an application and its service principal, with the template\'s app roles.'),
  addOut,
  h('div', { class: 'grid-2' }, field('Template', pick), field('Display name (optional)', name)),
  add)));
}

async function renderApp(main, ctx, id) {
  const base = `/v1.0/servicePrincipals/${encodeURIComponent(id)}`;
  const sp = await graph('GET', `${base}?$select=id,appId,displayName,servicePrincipalType,appRoles,tags,accountEnabled,appRoleAssignmentRequired`);
  if (ctx.stale()) return;
  ctx.heading.textContent = sp.displayName || sp.appId;
  const roles = sp.appRoles || [];
  const roleName = (rid) => (rid === DEFAULT_ACCESS ? 'Default access' : roles.find((r) => r.id === rid)?.displayName || rid);
  const out = h('div');
  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/apps' }, '← All enterprise apps')),
    h('div', { class: 'card' }, props([
      ['App id', h('code', {}, sp.appId)],
      ['Object id', h('code', {}, sp.id)],
      ['Kind', sp.servicePrincipalType],
      ['Assignment required', sp.appRoleAssignmentRequired === undefined ? null : String(sp.appRoleAssignmentRequired)],
      ['Tags', (sp.tags || []).join(', ') || null],
    ])),
    section('App roles', table({
      rows: roles,
      empty: 'This app defines no app roles; users get default access.',
      columns: [
        { label: 'Role', cell: (r) => r.displayName },
        { label: 'Value', cell: (r) => (r.value ? h('code', {}, r.value) : '—') },
        { label: 'Members', cell: (r) => (r.allowedMemberTypes || []).join(', ') },
        { label: 'Enabled', cell: (r) => (r.isEnabled === false ? 'no' : 'yes') },
        { label: 'Id', cell: (r) => h('code', {}, r.id), class: 'hide-narrow' },
      ],
    })),
    out,
  );

  const assignedBox = h('div', { 'aria-live': 'polite' });
  async function loadAssigned() {
    try {
      const list = await graphAll(`${base}/appRoleAssignedTo`);
      if (ctx.stale()) return;
      assignedBox.replaceChildren(table({
        caption: `Assignments (${list.length})`,
        rows: list,
        empty: 'Nobody holds a role of this app.',
        columns: [
          {
            label: 'Principal',
            cell: (a) => {
              const href = a.principalType === 'User' ? `#/users/${encodeURIComponent(a.principalId)}`
                : a.principalType === 'Group' ? `#/groups/${encodeURIComponent(a.principalId)}` : null;
              return href ? h('a', { href }, a.principalDisplayName || a.principalId) : (a.principalDisplayName || a.principalId);
            },
          },
          { label: 'Kind', cell: (a) => a.principalType || '—' },
          { label: 'Role', cell: (a) => roleName(a.appRoleId) },
          { label: 'Assigned', cell: (a) => time(a.createdDateTime), class: 'hide-narrow' },
          {
            label: 'Actions',
            class: 'actions',
            cell: (a) => h('button', {
              class: 'small danger',
              'aria-label': `Remove ${roleName(a.appRoleId)} from ${a.principalDisplayName || a.principalId}`,
              onclick: (e) => busy(e.currentTarget, async () => {
                await graph('DELETE', `${base}/appRoleAssignedTo/${encodeURIComponent(a.id)}`);
                toast('Assignment removed');
                await loadAssigned();
              }, out),
            }, 'Remove'),
          },
        ],
      }));
    } catch (err) {
      assignedBox.replaceChildren(errorNotice(err));
    }
  }

  const who = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', required: true });
  const role = h('select', {},
    roles.filter((r) => r.isEnabled !== false).map((r) => h('option', { value: r.id }, r.displayName)),
    h('option', { value: DEFAULT_ACCESS }, 'Default access'));
  const assign = h('button', { type: 'submit' }, 'Assign role');
  main.append(section('Who holds its roles', assignedBox, h('form', {
    class: 'card',
    onsubmit: (e) => {
      e.preventDefault();
      busy(assign, async () => {
        const p = await resolvePrincipal(who.value);
        await graph('POST', `${base}/appRoleAssignedTo`, { principalId: p.id, resourceId: sp.id, appRoleId: role.value });
        toast(`${roleName(role.value)} assigned to ${p.displayName}`);
        who.value = '';
        await loadAssigned();
      }, out);
    },
  },
  h('div', { class: 'grid-2' },
    field('User or group', who, 'An object id, a userPrincipalName, an email address or a group name.'),
    field('Role', role)),
  assign)));
  await loadAssigned();
}

export default {
  title: 'Enterprise apps',
  render: async (main, ctx) => (ctx.params[0] ? renderApp(main, ctx, ctx.params[0]) : renderList(main, ctx)),
};
