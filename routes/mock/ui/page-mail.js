// page-mail.js - invitations and the invitation mailbox: invite a guest
// (POST /v1.0/invitations, as a tool would), every invitation with what
// became of its email (GET /_mock/invitations: delivered, bounced with the
// reason, delayed, dropped), the mailbox (GET /_mock/mailbox), and one
// message rendered as the guest would see it: its HTML in a sandboxed
// frame (no scripts, no same-origin access; links open a new tab), with a
// working redemption link.
import { admin, call, graph, qs } from './api.js';
import { badge, busy, check, errorNotice, field, h, notice, props, section, table, time, toast } from './dom.js';

/** What became of an invitation's email, as a table cell. */
export function deliveryCell(mail) {
  if (!mail) return h('span', { class: 'empty' }, 'no email sent');
  const by = mail.ruleId ? ` (rule ${mail.ruleId})` : '';
  switch (mail.outcome) {
    case 'delivered':
      return badge('delivered', 'ok');
    case 'bounced':
      return [badge('bounced', 'bad'), ' ', mail.reason || '', by];
    case 'delayed':
      return mail.arrived
        ? [badge('delivered late', 'ok'), ' at ', time(mail.visibleAt), by]
        : [badge('delayed', 'warn'), ' until ', time(mail.visibleAt), by];
    case 'dropped':
      return [badge('dropped', 'bad'), ' never delivered', by];
    default:
      return mail.outcome;
  }
}

function messageStatus(m) {
  return m.status === 'bounced' ? [badge('bounced', 'bad'), ' ', m.reason || ''] : badge(m.status || 'delivered', 'ok');
}

function addresses(list) {
  return (list || []).map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');
}

async function renderOverview(main, ctx) {
  const out = h('div');
  const email = h('input', { type: 'email', required: true, autocomplete: 'off', placeholder: 'dev@fabrikam.com' });
  const display = h('input', { type: 'text', autocomplete: 'off' });
  const redirect = h('input', { type: 'url', required: true, value: `${location.origin}/_mock/ui#/users` });
  const body = h('textarea', { rows: '3', class: 'short', placeholder: 'Welcome aboard!' });
  const send = check('Send the invitation email', { checked: true });
  const inviteButton = h('button', { type: 'submit' }, 'Invite guest');
  const inviteOut = h('div', { 'aria-live': 'polite' });
  const invitations = h('div');
  const mailbox = h('div');
  const filter = h('input', { type: 'search', id: 'mail-filter', autocomplete: 'off', placeholder: 'address' });

  async function load() {
    const to = filter.value.trim();
    const [invs, msgs] = await Promise.all([
      admin('GET', `/_mock/invitations?${qs({ to })}`).catch((e) => e),
      admin('GET', `/_mock/mailbox?${qs({ to })}`).catch((e) => e),
    ]);
    if (ctx.stale()) return;
    invitations.replaceChildren(invs instanceof Error ? errorNotice(invs) : table({
      caption: `Invitations (${invs.value.length})`,
      rows: invs.value,
      empty: 'No invitations yet.',
      rowAttrs: (i) => ({ 'data-invitation': i.id }),
      columns: [
        {
          label: 'Invitee',
          cell: (i) => [h('a', { href: `#/users/${encodeURIComponent(i.userId)}` }, i.invitedUserEmailAddress),
            i.superseded ? [' ', badge('superseded')] : null],
        },
        { label: 'Status', cell: (i) => (i.status === 'Completed' ? badge('Completed', 'ok') : badge(i.status, 'warn')) },
        { label: 'Email', cell: (i) => deliveryCell(i.mail) },
        {
          label: 'Actions',
          class: 'actions',
          cell: (i) => [
            i.mail && i.mail.messageId && i.mail.arrived
              ? h('a', { class: 'button small secondary', href: `#/mail/${encodeURIComponent(i.mail.messageId)}` }, 'Open email')
              : null,
            i.status !== 'Completed' && !i.superseded
              ? h('button', {
                class: 'small secondary',
                'aria-label': `Redeem the invitation of ${i.invitedUserEmailAddress} without the link`,
                onclick: (e) => busy(e.currentTarget, async () => {
                  await admin('POST', `/_mock/invitations/${encodeURIComponent(i.id)}/redeem`);
                  toast(`${i.invitedUserEmailAddress} accepted the invitation`);
                  await load();
                }, out),
              }, 'Redeem')
              : null,
          ],
        },
      ],
    }));
    mailbox.replaceChildren(msgs instanceof Error ? errorNotice(msgs) : table({
      caption: `Messages (${msgs.value.length})`,
      rows: msgs.value,
      empty: to ? `No message to ${to}.` : 'The mailbox is empty.',
      rowAttrs: (m) => ({ 'data-message': m.id }),
      columns: [
        { label: 'Received', cell: (m) => time(m.createdDateTime) },
        { label: 'To', cell: (m) => addresses(m.to) },
        { label: 'Subject', cell: (m) => h('a', { href: `#/mail/${encodeURIComponent(m.id)}` }, m.subject) },
        { label: 'Delivery', cell: messageStatus },
      ],
    }));
  }

  main.append(
    h('p', { class: 'lead' }, 'graphmock keeps the email Graph would have sent for each invitation. ',
      'Open one and follow its link to play the guest.'),
    out,
    h('form', {
      class: 'toolbar',
      role: 'search',
      onsubmit: (e) => {
        e.preventDefault();
        load();
      },
    },
    h('div', { class: 'field grow' }, h('label', { for: filter.id }, 'Only this address'), filter),
    h('button', { type: 'submit' }, 'Filter'),
    h('button', { type: 'button', class: 'secondary', onclick: () => load() }, 'Refresh')),
    section('Mailbox', mailbox, h('button', {
      class: 'danger',
      onclick: (e) => busy(e.currentTarget, async () => {
        if (!window.confirm('Delete every message of this tenant\'s mailbox?')) return;
        await admin('DELETE', '/_mock/mailbox');
        toast('Mailbox emptied');
        await load();
      }, out),
    }, 'Empty the mailbox')),
    section('Invitations', invitations),
    section('Invite a guest', h('form', {
      class: 'card',
      onsubmit: (e) => {
        e.preventDefault();
        busy(inviteButton, async () => {
          const inv = {
            invitedUserEmailAddress: email.value.trim(),
            inviteRedirectUrl: redirect.value.trim(),
            sendInvitationMessage: send.input.checked,
          };
          if (display.value.trim()) inv.invitedUserDisplayName = display.value.trim();
          if (body.value.trim()) inv.invitedUserMessageInfo = { customizedMessageBody: body.value.trim() };
          const made = await graph('POST', '/v1.0/invitations', inv);
          inviteOut.replaceChildren(notice(`Invited ${made.invitedUserEmailAddress}: guest ${made.invitedUser.id}, ${made.status}.`, 'ok'));
          email.value = '';
          await load();
        }, inviteOut);
      },
    },
    h('p', {}, 'POST /v1.0/invitations through Graph, as your tool would.'),
    inviteOut,
    h('div', { class: 'grid-2' },
      field('Guest email', email),
      field('Display name (optional)', display)),
    field('Redirect after redemption', redirect, 'Where the link sends the guest (inviteRedirectUrl).'),
    field('Message (optional)', body),
    h('p', {}, send.el),
    inviteButton)),
  );
  await load();
}

async function renderMessage(main, ctx, id) {
  const m = await call('GET', `/_mock/mailbox/${encodeURIComponent(id)}`);
  if (ctx.stale()) return;
  ctx.heading.textContent = m.subject;
  const frame = h('iframe', {
    class: 'mail-frame',
    title: `Message body: ${m.subject}`,
    // No allow-scripts, no allow-same-origin: the message cannot run code or
    // reach the dashboard. Links open in a new tab, outside the sandbox.
    sandbox: 'allow-popups allow-popups-to-escape-sandbox',
    referrerpolicy: 'no-referrer',
  });
  frame.srcdoc = `<!doctype html><meta charset="utf-8"><base target="_blank">${m.html || ''}`;
  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/mail' }, '← Invitations and mailbox')),
    ...(m.status === 'bounced'
      ? [notice(`This message bounced (${m.reason || 'no reason given'}): the guest never received it.`, 'warn')]
      : []),
    h('div', { class: 'card' }, props([
      ['From', addresses([m.from])],
      ['To', addresses(m.to)],
      m.cc && m.cc.length ? ['Cc', addresses(m.cc)] : null,
      ['Received', time(m.createdDateTime)],
      ['Delivery', messageStatus(m)],
      ['Guest', h('a', { href: `#/users/${encodeURIComponent(m.userId)}` }, `the guest user of ${m.to?.[0]?.address || m.userId}`)],
      ['Redemption link', h('a', { href: m.redeemUrl, target: '_blank', rel: 'noopener noreferrer', class: 'mono' }, m.redeemUrl)],
    ])),
    section('As the guest sees it', frame),
    h('details', {}, h('summary', {}, 'Plain-text version'), h('pre', {}, m.text || '')),
  );
}

export default {
  title: 'Invitations & mailbox',
  render: async (main, ctx) => (ctx.params[0] ? renderMessage(main, ctx, ctx.params[0]) : renderOverview(main, ctx)),
};
