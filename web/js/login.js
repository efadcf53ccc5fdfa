// login.js — the sign-in form the desk and the dashboard show to a visitor without a session.
// A wrong password and a rate limit are answered by the server; the message appears at the top
// of the form (the server names no field, so that it tells nothing about which part was wrong).
// An account with a second factor (docs/http.md) is asked for its code in a second step: the
// server answers totp_required, the code field appears and the same form is sent again with it.
// A username locked for new devices also takes the code (rule auth.user_locked).

import { login } from './api.js';
import { h, tx, field, showError, busy, clearErrors } from './dom.js';

export function loginCard(root, ctx, purposeKey) {
  const user = h('input', { type: 'text', name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { type: 'password', name: 'password', autocomplete: 'current-password' });
  const code = h('input', { type: 'text', name: 'code', autocomplete: 'one-time-code', inputmode: 'numeric', autocapitalize: 'none', spellcheck: 'false', maxlength: '16' });
  const codeField = field('login.code', code, { required: true, hint: 'login.code_hint' });
  codeField.hidden = true;
  const submit = h('button', { type: 'submit', class: 'btn', id: 'login-submit' }, tx('span', 'login.submit'));
  const form = h('form', { class: 'card login', novalidate: true, 'aria-labelledby': 'login-title' },
    tx('h1', 'login.title', null, { id: 'login-title' }),
    tx('p', purposeKey, null, { class: 'muted' }),
    field('login.username', user, { required: true }),
    field('login.password', pass, { required: true }),
    codeField,
    h('div', { class: 'actions' }, submit),
    tx('p', 'login.demo_hint', null, { class: 'hint' }));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(submit, async () => {
      try {
        await login(user.value.trim(), pass.value, codeField.hidden ? '' : code.value.trim());
        ctx.refreshUser();
        await ctx.rerender();
      } catch (e) {
        // the code step: the password stays, the code field opens and takes the focus
        if ((e.code === 'totp_required' || e.rule === 'auth.user_locked') && codeField.hidden) {
          codeField.hidden = false;
          showError(form, e, { code: 'code' });
          code.focus();
          return;
        }
        if (codeField.hidden) pass.value = '';
        code.value = '';
        showError(form, e, { username: 'username', password: 'password', code: 'code' });
      }
    });
  });
  root.append(form);
  user.focus();
}
