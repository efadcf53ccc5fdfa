// payment.js — online payment of a dossier's fees (docs/payment.md). For the citizen (no
// account): paymentCard(query) under the lookup result — the fee, the payments made, and a
// "Thanh toán trực tuyến" button that sends the payer to the provider's page; paymentReturn()
// on the lookup page the provider sends the payer back to (#/tra-cuu?thanh_toan=REF): the
// payment's outcome — the provider asked now (a lost callback is settled here), and again for
// a while if it has not confirmed yet. For
// officers, the default view (#/thanh-toan): the daily reconciliation of paid, pending, failed
// and mismatched payments with their receipts.

import { api, qs } from './api.js';
import { h, tx, busy, fmtInstant, errorNotice, todayVN, field } from './dom.js';
import { t, fmtInt } from './i18n.js';
import { exportButtons } from './export.js';

const money = (v) => (v === null || v === undefined ? '—' : `${fmtInt(v)} ${t('payment.vnd')}`);
const receiptLink = (p, id) => h('a', { href: `/api/public/payments/${encodeURIComponent(p.ref)}/receipt`, target: '_blank', rel: 'noopener', id, class: 'receipt-link' }, tx('span', 'payment.receipt', { no: p.receipt_no }));

function paymentList(list) {
  if (!list.length) return null;
  return h('ul', { class: 'payments', id: 'payment-list' }, list.map((p) =>
    h('li', { 'data-status': p.status }, h('strong', {}, tx('span', `payment.status.${p.status}`)), ' · ', money(p.amount_vnd), ' · ', fmtInstant(p.created_at),
      p.receipt_no ? [' · ', receiptLink(p)] : null)));
}

// The fee card of a dossier the citizen looked up (query: the lookup's code and second factor).
export function paymentCard(query) {
  const box = h('section', { class: 'card', id: 'payment-card', 'aria-labelledby': 'payment-title', hidden: true });
  (async () => {
    let r;
    try {
      r = await api('POST', '/api/lookup/payments', query);
    } catch {
      return; // the lookup above already said what went wrong
    }
    if (r.amount_vnd === null && !r.paid && !r.payments.length) return; // no fee to pay online
    const kids = [tx('h2', 'payment.title', null, { id: 'payment-title' })];
    if (r.paid) kids.push(h('div', { class: 'notice ok', id: 'payment-paid' }, tx('strong', 'payment.paid')));
    else if (r.amount_vnd !== null) kids.push(h('p', {}, tx('span', 'payment.amount'), ' ', h('strong', { id: 'payment-amount' }, money(r.amount_vnd))));
    else kids.push(h('p', { class: 'muted' }, tx('span', 'payment.no_amount')));
    if (r.payable && r.online) {
      const btn = h('button', { type: 'button', class: 'btn', id: 'pay-online' }, tx('span', 'payment.pay'));
      const err = h('div', { 'aria-live': 'polite' });
      btn.addEventListener('click', () => busy(btn, async () => {
        try {
          const p = await api('POST', '/api/lookup/payment', query);
          location.assign(p.pay_url);
        } catch (e) {
          err.replaceChildren(errorNotice(e));
        }
      }));
      kids.push(h('div', { class: 'actions' }, btn), tx('p', 'payment.pay.hint', null, { class: 'small muted' }), err);
    } else if (r.payable) {
      kids.push(tx('p', 'payment.offline', null, { class: 'muted' }));
    }
    kids.push(paymentList(r.payments));
    box.replaceChildren(...kids.filter(Boolean));
    box.hidden = false;
  })();
  return box;
}

// The outcome after the provider sent the payer back (null when the address names no payment).
export function paymentReturn() {
  const ref = new URLSearchParams((location.hash.split('?')[1]) || '').get('thanh_toan');
  if (!ref || !/^[0-9a-f]{32}$/.test(ref)) return null;
  const box = h('section', { class: 'card', id: 'payment-return', 'aria-live': 'polite' }, tx('p', 'payment.checking'));
  let tries = 0;
  const show = async () => {
    let p;
    try {
      p = await api('POST', `/api/public/payments/${ref}/check`);
    } catch (e) {
      box.replaceChildren(errorNotice(e));
      return;
    }
    const kind = p.status === 'paid' ? 'ok' : p.status === 'pending' ? 'info' : 'warn';
    box.replaceChildren(...[tx('h2', 'payment.title'),
      h('div', { class: `notice ${kind}`, id: 'payment-outcome', 'data-status': p.status }, tx('strong', `payment.status.${p.status}`)),
      h('dl', { class: 'kv' }, tx('dt', 'payment.dossier'), h('dd', {}, p.dossier),
        tx('dt', 'payment.amount'), h('dd', {}, money(p.amount_vnd))),
      p.receipt_no ? h('p', {}, receiptLink(p, 'payment-receipt')) : null,
      p.status === 'pending' ? tx('p', 'payment.pending.hint', null, { class: 'small muted' }) : null].filter(Boolean));
    if (p.status === 'pending' && ++tries < 20) setTimeout(show, 2000);
  };
  show();
  return box;
}

// Officers: the reconciliation of a day.
export default function payments(root, params) {
  const day = h('input', { type: 'date', name: 'day', value: params.day || todayVN(), id: 'recon-day' });
  const out = h('div', { id: 'recon-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'card', id: 'recon-form' }, tx('h1', 'payment.recon.title'),
    field('payment.recon.day', day), h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, tx('span', 'payment.recon.show'))));
  const load = async () => {
    let r;
    try {
      r = await api('GET', `/api/payments/reconciliation${qs({ day: day.value })}`);
    } catch (e) {
      out.replaceChildren(errorNotice(e));
      return;
    }
    const groups = ['paid', 'pending', 'failed', 'mismatched'];
    out.replaceChildren(h('section', { class: 'card' },
      r.payments.length ? h('div', { class: 'card-head' }, tx('h2', 'payment.recon.rows'),
        exportButtons(`/api/payments/reconciliation${qs({ day: day.value })}`, 'export-recon')) : null,
      h('table', { class: 'table', id: 'recon-totals' },
        h('thead', {}, h('tr', {}, tx('th', 'payment.recon.group'), tx('th', 'payment.recon.count'), tx('th', 'payment.recon.amount'))),
        h('tbody', {}, groups.map((g) => h('tr', { 'data-group': g }, tx('td', `payment.group.${g}`), h('td', { class: 'num' }, fmtInt(r.totals[g].count)), h('td', { class: 'num' }, money(r.totals[g].amount_vnd)))))),
      r.payments.length ? h('table', { class: 'table', id: 'recon-rows' },
        h('thead', {}, h('tr', {}, tx('th', 'payment.dossier'), tx('th', 'payment.unit'), tx('th', 'payment.recon.status'), tx('th', 'payment.amount'), tx('th', 'payment.paid_amount'), tx('th', 'payment.receipt_no'))),
        h('tbody', {}, r.payments.map((p) => h('tr', { 'data-status': p.status },
          h('td', {}, p.dossier), h('td', {}, p.unit), tx('td', `payment.status.${p.status}`), h('td', { class: 'num' }, money(p.amount_vnd)),
          h('td', { class: 'num' }, money(p.paid_amount_vnd)),
          h('td', {}, p.receipt_no ? h('a', { href: `/api/payments/${encodeURIComponent(p.ref)}/receipt`, target: '_blank', rel: 'noopener' }, p.receipt_no) : '—')))))
        : tx('p', 'payment.recon.none', null, { class: 'muted' })));
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    load();
  });
  root.append(form, out);
  load();
}
