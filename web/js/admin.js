// admin.js — administration (#/quan-tri): the accounts and their roles, for the administrator
// (GET/POST /api/users). The list shows each account's name, role and unit scope by name; the
// form adds an account with its role and unit, the server's refusal next to the field it names.
// Units, procedures, PAR rounds and calendars are still managed with the CLI (docs/web.md).

import { api, qs, session, units, unitName } from './api.js';
import { h, tx, field, showError, clearErrors, busy, errorNotice, toast } from './dom.js';
import { loginCard } from './login.js';

const ROLES = ['desk_officer', 'specialist', 'leader', 'par_assessor', 'admin', 'citizen'];

export default async function admin(root, params, ctx) {
  if (!session.user) return loginCard(root, ctx, 'login.for_admin');
  if (session.user.role !== 'admin') {
    root.append(h('div', { class: 'notice warn' }, tx('span', 'admin.not_admin')));
    return;
  }
  const unitMap = await units();
  const scoped = [...unitMap.values()].filter((u) => {
    for (let c = u; c; c = unitMap.get(c.parent)) if (c.code === session.user.unit) return true;
    return false;
  }).sort((a, b) => a.code.localeCompare(b.code));
  const list = h('div', { id: 'users-list' }, tx('p', 'loading', null, { class: 'loading' }));
  root.append(h('div', { class: 'page-title' }, tx('h1', 'admin.title')),
    tx('p', 'admin.lead', null, { class: 'muted' }),
    h('div', { class: 'grid grid-side' }, h('div', {}, list), h('div', {}, addForm(scoped, () => load()))));
  const load = async () => {
    try {
      const r = await api('GET', `/api/users${qs({})}`);
      list.replaceChildren(usersTable(r.users, unitMap));
    } catch (e) {
      list.replaceChildren(errorNotice(e));
    }
  };
  await load();
}

function usersTable(users, unitMap) {
  return h('section', { class: 'card', 'aria-labelledby': 'users-title' },
    h('div', { class: 'card-head' }, tx('h2', 'admin.users', null, { id: 'users-title' }),
      tx('span', 'desk.list.count', { n: users.length }, { class: 'small muted' })),
    h('div', { class: 'table-wrap' }, h('table', { id: 'users-table' },
      h('thead', {}, h('tr', {}, ['admin.full_name', 'admin.username', 'admin.role', 'admin.unit', 'admin.state']
        .map((k) => h('th', { scope: 'col', i18n: k })))),
      h('tbody', {}, users.map((u) => h('tr', { dataset: { user: u.username } },
        h('th', { scope: 'row' }, u.full_name || '—'),
        h('td', { class: 'mono small' }, u.username),
        h('td', {}, tx('span', `role.${u.role}`)),
        h('td', {}, u.unit ? unitName(unitMap, u.unit) : '—'),
        h('td', {}, tx('span', u.disabled ? 'admin.disabled' : 'admin.active', null, { class: `badge ${u.disabled ? 'st-cancelled' : 'st-returned'}` }))))))));
}

function addForm(scoped, reload) {
  const username = h('input', { type: 'text', name: 'username', autocomplete: 'off', spellcheck: 'false' });
  const fullName = h('input', { type: 'text', name: 'full_name', autocomplete: 'off' });
  const role = h('select', { name: 'role' }, ROLES.map((r) => h('option', { value: r, i18n: `role.${r}` })));
  const unit = h('select', { name: 'unit' }, h('option', { value: '', i18n: 'admin.unit.none' }),
    scoped.map((u) => h('option', { value: u.code }, u.name)));
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password' });
  const submit = h('button', { type: 'submit', class: 'btn', id: 'user-add' }, tx('span', 'admin.add.submit'));
  const form = h('form', { class: 'card', novalidate: true, id: 'user-form', 'aria-labelledby': 'user-form-title' },
    tx('h2', 'admin.add', null, { id: 'user-form-title' }),
    field('admin.full_name', fullName, { required: true }),
    field('admin.username', username, { required: true, hint: 'admin.username.hint' }),
    field('admin.role', role, { required: true }),
    field('admin.unit', unit, { hint: 'admin.unit.hint' }),
    field('admin.password', password, { required: true, hint: 'admin.password.hint' }),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = { username: username.value.trim(), full_name: fullName.value.trim(), role: role.value, password: password.value };
    if (unit.value) body.unit = unit.value;
    await busy(submit, async () => {
      try {
        await api('POST', '/api/users', body);
      } catch (e) {
        showError(form, e);
        return;
      }
      toast('admin.added', { name: body.full_name || body.username });
      form.reset();
      await reload();
    });
  });
  return form;
}
