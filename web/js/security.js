// security.js — #/bao-mat: the signed-in user's second factor (docs/http.md "Second factor").
// Not enrolled: a button draws a secret; the page shows its QR code (the server's SVG, as an
// image), the secret in groups of four to type by hand, and a field for the app's first code;
// confirmed, it shows the ten recovery codes once. Enrolled: the state and the codes left; a
// new phone needs an administrator's reset (`cchc user totp reset`), which the page says.

import { api, session } from './api.js';
import { h, tx, field, showError, busy, clearErrors, errorNotice } from './dom.js';
import { loginCard } from './login.js';

export default async function security(root, params, ctx) {
  if (!session.user) return loginCard(root, ctx, 'totp.login_purpose');
  const card = h('section', { class: 'card totp', 'aria-labelledby': 'totp-title' },
    tx('h1', 'totp.title', null, { id: 'totp-title' }),
    tx('p', 'totp.intro', null, { class: 'muted' }));
  root.append(card);
  let st;
  try {
    st = await api('GET', '/api/session/totp');
  } catch (e) {
    card.append(errorNotice(e));
    return;
  }
  if (st.enrolled) {
    card.append(h('p', { class: 'notice ok', id: 'totp-state' }, tx('strong', 'totp.enrolled')),
      tx('p', 'totp.recovery_left', { n: st.recovery_left }),
      tx('p', 'totp.reset_hint', null, { class: 'hint' }));
    return;
  }
  card.append(tx('p', st.pending ? 'totp.pending' : 'totp.none', null, { id: 'totp-state' }));
  const start = h('button', { type: 'button', class: 'btn', id: 'totp-start' }, tx('span', 'totp.start'));
  const step = h('div', { class: 'totp-step' });
  card.append(h('div', { class: 'actions' }, start), step);
  start.addEventListener('click', () => busy(start, async () => {
    try {
      const r = await api('POST', '/api/session/totp');
      start.closest('.actions').remove();
      enrolForm(step, r);
    } catch (e) {
      step.replaceChildren(errorNotice(e));
    }
  }));
}

function enrolForm(step, r) {
  const img = h('img', { class: 'totp-qr', id: 'totp-qr', alt: '', width: '220', height: '220',
    src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(r.qr_svg)}` });
  img.setAttribute('alt', '');
  const secret = r.secret.replace(/(.{4})/g, '$1 ').trim();
  const code = h('input', { type: 'text', name: 'code', id: 'totp-code', autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: '6', pattern: '[0-9]{6}' });
  const submit = h('button', { type: 'submit', class: 'btn', id: 'totp-confirm' }, tx('span', 'totp.confirm'));
  const form = h('form', { class: 'totp-form', novalidate: true },
    tx('p', 'totp.scan'),
    h('div', { class: 'totp-qr-box' }, img),
    tx('p', 'totp.or_type', null, { class: 'hint' }),
    h('p', {}, h('code', { class: 'totp-secret', id: 'totp-secret' }, secret)),
    field('totp.code', code, { required: true, hint: 'totp.code_hint' }),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(submit, async () => {
      try {
        const done = await api('POST', '/api/session/totp/confirm', { code: code.value.trim() });
        document.getElementById('totp-state')?.remove(); // "off" no longer holds
        step.replaceChildren(h('p', { class: 'notice ok', id: 'totp-done' }, tx('strong', 'totp.done')),
          tx('p', 'totp.codes_intro'),
          h('ol', { class: 'totp-codes', id: 'totp-codes' }, ...done.recovery_codes.map((c) => h('li', {}, h('code', {}, c)))),
          tx('p', 'totp.codes_keep', null, { class: 'hint' }));
      } catch (e) {
        code.value = '';
        showError(form, e, { code: 'code' });
      }
    });
  });
  step.replaceChildren(form);
  code.focus();
}
