// page-tenants.js - every tenant with its object counts: switch to one,
// create one (a copy of the first fixture tenant), reset or delete one; and
// the app whose token the dashboard uses when graphmock runs with --auth jwt.
import { admin, currentTenant, DEFAULT_CLIENT_ID, session, setClientId, setTenant } from './api.js';
import { busy, field, h, section, table, toast } from './dom.js';

async function render(main, ctx) {
  await ctx.loadTenants();
  const current = currentTenant();
  const out = h('div');

  const rows = session.tenants;
  main.append(
    h('p', { class: 'lead' },
      'Each tenant has its own users, groups, apps, invitations and mailbox. The dashboard acts on the ',
      'tenant chosen here or in the top bar (it sends X-Graphmock-Tenant).'),
    out,
    table({
      caption: `Tenants (${rows.length})`,
      rows,
      columns: [
        { label: 'Name', cell: (t) => [t.displayName, t.id === current?.id ? [' ', h('span', { class: 'badge info' }, 'current')] : null] },
        { label: 'Domain', cell: (t) => t.domain },
        { label: 'Id', cell: (t) => h('code', {}, t.id), class: 'hide-narrow' },
        { label: 'Users', cell: (t) => String(t.objects?.users ?? ''), class: 'num' },
        { label: 'Groups', cell: (t) => String(t.objects?.groups ?? ''), class: 'num' },
        { label: 'Apps', cell: (t) => String(t.objects?.servicePrincipals ?? ''), class: 'num hide-narrow' },
        {
          label: 'Actions',
          class: 'actions',
          cell: (t) => [
            h('button', {
              class: 'small secondary',
              disabled: t.id === current?.id,
              'aria-label': `Switch to ${t.displayName}`,
              onclick: async () => {
                setTenant(t.id);
                toast(`Showing tenant ${t.displayName}`);
                await ctx.reloadTenants();
              },
            }, 'Switch'),
            h('button', {
              class: 'small secondary',
              'aria-label': `Reset ${t.displayName} to the fixtures`,
              onclick: (e) => busy(e.currentTarget, async () => {
                if (!window.confirm(`Give ${t.displayName} back its fixture contents? Everything else in it is lost.`)) return;
                await admin('POST', `/_mock/tenants/${encodeURIComponent(t.id)}/reset`);
                toast(`${t.displayName} reset to the fixtures`);
                await ctx.reloadTenants();
              }, out),
            }, 'Reset'),
            h('button', {
              class: 'small danger',
              'aria-label': `Delete ${t.displayName}`,
              onclick: (e) => busy(e.currentTarget, async () => {
                if (!window.confirm(`Delete tenant ${t.displayName} and everything in it?`)) return;
                await admin('DELETE', `/_mock/tenants/${encodeURIComponent(t.id)}`);
                if (t.id === session.tenant) setTenant('');
                toast(`${t.displayName} deleted`);
                await ctx.reloadTenants();
              }, out),
            }, 'Delete'),
          ],
        },
      ],
    }),
  );

  const name = h('input', { type: 'text', name: 'displayName', autocomplete: 'off' });
  const domain = h('input', { type: 'text', name: 'domain', autocomplete: 'off', placeholder: 'fabrikam.onmicrosoft.com' });
  const createOut = h('div');
  const createButton = h('button', { type: 'submit' }, 'Create tenant');
  main.append(section('New tenant',
    h('form', {
      class: 'card',
      onsubmit: (e) => {
        e.preventDefault();
        busy(createButton, async () => {
          const body = {};
          if (name.value.trim()) body.displayName = name.value.trim();
          if (domain.value.trim()) body.domain = domain.value.trim();
          const t = await admin('POST', '/_mock/tenants', body);
          setTenant(t.id);
          toast(`Created ${t.displayName}; now showing it`);
          await ctx.reloadTenants();
        }, createOut);
      },
    },
    h('p', {}, 'A copy of the first fixture tenant, with new ids for the tenant only.'),
    createOut,
    h('div', { class: 'grid-2' },
      field('Display name (optional)', name),
      field('Domain (optional)', domain, 'Must not be used by another tenant.')),
    createButton)));

  const client = h('input', { type: 'text', value: session.clientId, autocomplete: 'off', spellcheck: 'false' });
  const saveButton = h('button', { type: 'submit', class: 'secondary' }, 'Use this app');
  main.append(section('Graph token (only with --auth jwt)',
    h('form', {
      class: 'card',
      onsubmit: (e) => {
        e.preventDefault();
        setClientId(client.value.trim() === DEFAULT_CLIENT_ID ? '' : client.value.trim());
        toast('The next Graph call asks for a token for this app');
      },
    },
    h('p', {}, 'When graphmock checks tokens, the dashboard asks its token endpoint for an app-only token ',
      '(client credentials) for this app id; its Graph app roles decide what the pages may do.'),
    field('Client id (appId)', client, `Default: ${DEFAULT_CLIENT_ID} (Guest onboarding automation).`),
    saveButton)));
}

export default {
  title: 'Tenants',
  render: async (main, ctx) => render(main, ctx),
};
