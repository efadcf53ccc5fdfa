// login.js — the sign-in form the desk and the dashboard show to a visitor without a session.
// A wrong password and a rate limit are answered by the server; the message appears at the top
// of the form (the server names no field, so that it tells nothing about which part was wrong).

import { login } from './api.js';
import { h, tx, field, showError, busy, clearErrors } from './dom.js';

export function loginCard(root, ctx, purposeKey) {
  const user = h('input', { type: 'text', name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { type: 'password', name: 'password', autocomplete: 'current-password' });
  const submit = h('button', { type: 'submit', class: 'btn', id: 'login-submit' }, tx('span', 'login.submit'));
  const form = h('form', { class: 'card login', novalidate: true, 'aria-labelledby': 'login-title' },
    tx('h1', 'login.title', null, { id: 'login-title' }),
    tx('p', purposeKey, null, { class: 'muted' }),
    field('login.username', user, { required: true }),
    field('login.password', pass, { required: true }),
    h('div', { class: 'actions' }, submit),
    tx('p', 'login.demo_hint', null, { class: 'hint' }));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(submit, async () => {
      try {
        await login(user.value.trim(), pass.value);
        ctx.refreshUser();
        await ctx.rerender();
      } catch (e) {
        pass.value = '';
        showError(form, e, { username: 'username', password: 'password' });
      }
    });
  });
  root.append(form);
  user.focus();
}
