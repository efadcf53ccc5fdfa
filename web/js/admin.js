// admin.js — administration (#/quan-tri): the accounts and their roles, for the administrator
// (GET/POST /api/users). The list shows each account's name, role and unit scope by name; the
// form adds an account with its role and unit, the server's refusal next to the field it names.
// The units of the scope: the tree as of today with each unit's merger history (the units merged
// into it on 1/7/2025 …, from GET /api/units?as_of=all) and where citizens go and call for it
// (PUT /api/units/{unit}/contact). Procedures and their steps: procadmin.js (#/quan-tri/thu-tuc);
// the working-day calendar and the decisions on days off: calendar.js (#/quan-tri/lich); adding,
// editing and merging units: unitadmin.js (#/quan-tri/don-vi).

import { api, qs, session, units, allUnits, unitName } from './api.js';
import { h, tx, field, showError, clearErrors, busy, errorNotice, toast } from './dom.js';
import { loginCard } from './login.js';
import { t } from './i18n.js';
import { exportButtons } from './export.js';

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
    h('p', {}, h('a', { href: '#/quan-tri/thu-tuc', class: 'btn secondary', id: 'admin-procedures', i18n: 'admin.procedures' }), ' ',
      h('a', { href: '#/quan-tri/lich', class: 'btn secondary', id: 'admin-calendar', i18n: 'admin.calendar' }), ' ',
      h('a', { href: '#/quan-tri/don-vi', class: 'btn secondary', id: 'admin-units', i18n: 'admin.units_page' })),
    h('div', { class: 'grid grid-side' }, h('div', {}, list), h('div', {}, addForm(scoped, (username) => load(username)))),
    await unitsCard(scoped, unitMap));
  const load = async (added = '') => {
    try {
      const r = await api('GET', `/api/users${qs({})}`);
      list.replaceChildren(usersTable(r.users, unitMap, scoped, added));
    } catch (e) {
      list.replaceChildren(errorNotice(e));
    }
  };
  await load();
}

// Lower case without diacritics (đ as d), for a search that ignores both.
const fold = (s) => String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'd').toLowerCase();
const USER_ROWS = 20;

// The accounts of the scope — a province has hundreds — with a search by name or username
// (diacritics and case ignored), a unit (with the units under it) and a role; USER_ROWS rows at
// a time, "more" for the next ones.
function usersTable(users, unitMap, scoped, added = '') {
  const q = h('input', { type: 'search', id: 'users-q', autocomplete: 'off', spellcheck: 'false', 'aria-label': t('admin.users.search') });
  q.value = added; // the account just added is found and shown
  q.placeholder = t('admin.users.search');
  const unit = h('select', { id: 'users-unit', 'aria-label': t('admin.unit') }, h('option', { value: '', i18n: 'admin.users.all_units' }),
    scoped.map((u) => h('option', { value: u.code }, u.name)));
  const role = h('select', { id: 'users-role', 'aria-label': t('admin.role') }, h('option', { value: '', i18n: 'admin.users.all_roles' }),
    ROLES.map((r) => h('option', { value: r, i18n: `role.${r}` })));
  const count = h('span', { class: 'small muted', id: 'users-count' });
  const body = h('tbody', {});
  const more = h('button', { type: 'button', class: 'btn secondary', id: 'users-more' });
  let shown = USER_ROWS;
  const under = (code, top) => {
    for (let c = unitMap.get(code); c; c = unitMap.get(c.parent)) if (c.code === top) return true;
    return code === top;
  };
  const sorted = [...users].sort((a, b) => (a.full_name || a.username).localeCompare(b.full_name || b.username, 'vi'));
  const render = () => {
    const words = fold(q.value).split(/\s+/).filter(Boolean);
    const hits = sorted.filter((u) => (!unit.value || (u.unit && under(u.unit, unit.value))) && (!role.value || u.role === role.value) &&
      words.every((w) => fold(`${u.full_name} ${u.username}`).includes(w)));
    const rows = hits.slice(0, shown);
    body.replaceChildren(...(rows.length ? rows.map((u) => h('tr', { dataset: { user: u.username } },
      h('th', { scope: 'row' }, u.full_name || '—'),
      h('td', { class: 'mono small' }, u.username),
      h('td', {}, tx('span', `role.${u.role}`)),
      h('td', {}, u.unit ? unitName(unitMap, u.unit) : '—'),
      h('td', {}, tx('span', u.disabled ? 'admin.disabled' : 'admin.active', null, { class: `badge ${u.disabled ? 'st-cancelled' : 'st-returned'}` }))))
      : [h('tr', { class: 'empty-row' }, h('td', { colspan: 5, i18n: 'admin.users.none' }))]));
    count.textContent = rows.length === users.length ? t('admin.users.count', { n: users.length })
      : hits.length === users.length ? t('admin.users.shown_all', { n: rows.length, all: users.length })
        : rows.length === hits.length ? t('admin.users.matched', { hits: hits.length, all: users.length })
          : t('admin.users.shown', { n: rows.length, hits: hits.length, all: users.length });
    more.style.display = rows.length >= hits.length ? 'none' : '';
    more.textContent = t('admin.users.more', { n: Math.min(USER_ROWS, hits.length - rows.length) });
  };
  const again = () => { shown = USER_ROWS; render(); };
  q.addEventListener('input', again);
  unit.addEventListener('change', again);
  role.addEventListener('change', again);
  more.addEventListener('click', () => { shown += USER_ROWS; render(); });
  render();
  return h('section', { class: 'card', 'aria-labelledby': 'users-title' },
    h('div', { class: 'card-head' }, tx('h2', 'admin.users', null, { id: 'users-title' }), count,
      users.length ? exportButtons('/api/users', 'export-users') : null),
    h('div', { class: 'filters users-filters' }, q, unit, role),
    h('div', { class: 'table-wrap' }, h('table', { id: 'users-table' },
      h('thead', {}, h('tr', {}, ['admin.full_name', 'admin.username', 'admin.role', 'admin.unit', 'admin.state']
        .map((k) => h('th', { scope: 'col', i18n: k })))),
      body)),
    h('div', { class: 'actions' }, more));
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
      await reload(body.username);
    });
  });
  return form;
}

// The scope's units as of today, indented under their parents, with the units merged into each
// (its predecessors, whatever their period) and a form for the contact citizens see.
async function unitsCard(scoped, unitMap) {
  const every = await allUnits().catch(() => unitMap);
  const preds = new Map();
  for (const u of every.values()) {
    if (!u.successor) continue;
    if (!preds.has(u.successor)) preds.set(u.successor, []);
    preds.get(u.successor).push(u);
  }
  const depth = (u) => {
    let d = 0;
    for (let c = u; c && c.code !== session.user.unit; c = unitMap.get(c.parent)) d++;
    return d;
  };
  const order = [];
  const walk = (code) => {
    const u = unitMap.get(code);
    if (!u) return;
    order.push(u);
    scoped.filter((c) => c.parent === code).sort((a, b) => a.name.localeCompare(b.name, 'vi')).forEach((c) => walk(c.code));
  };
  walk(session.user.unit);
  const fmtDate = (d) => (d ? d.split('-').reverse().join('/') : '');
  const unitSel = h('select', { name: 'unit', id: 'contact-unit' }, order.map((u) => h('option', { value: u.code }, `${'· '.repeat(depth(u))}${u.name}`)));
  const address = h('input', { type: 'text', name: 'address', maxlength: 299, autocomplete: 'off' });
  const phone = h('input', { type: 'tel', name: 'phone', maxlength: 31, autocomplete: 'off' });
  const hours = h('input', { type: 'text', name: 'hours', maxlength: 199, autocomplete: 'off' });
  const note = h('p', { class: 'small muted', id: 'contact-note' });
  const save = h('button', { type: 'submit', class: 'btn', id: 'contact-save' }, tx('span', 'admin.contact.save'));
  const form = h('form', { class: 'card', novalidate: true, id: 'contact-form', 'aria-labelledby': 'contact-title' },
    tx('h2', 'admin.contact', null, { id: 'contact-title' }),
    tx('p', 'admin.contact.lead', null, { class: 'small muted' }),
    field('admin.unit', unitSel), note,
    field('citizen.desk.address', address, { required: true }),
    field('citizen.desk.phone', phone, { required: true }),
    field('citizen.desk.hours', hours),
    h('div', { class: 'actions' }, save));
  const show = async () => {
    clearErrors(form);
    note.replaceChildren();
    let u;
    try {
      u = await api('GET', `/api/units/${encodeURIComponent(unitSel.value)}`);
    } catch (e) {
      note.replaceChildren(errorNotice(e));
      return;
    }
    const c = u.contact;
    address.value = c && c.own ? c.address : '';
    phone.value = c && c.own ? c.phone : '';
    hours.value = c && c.own ? c.hours || '' : '';
    note.replaceChildren(c
      ? tx('span', c.own ? 'admin.contact.own' : 'admin.contact.inherited', { unit: unitName(every, c.unit), address: c.address, phone: c.phone })
      : tx('span', 'admin.contact.none'));
  };
  unitSel.addEventListener('change', show);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = { address: address.value.trim(), phone: phone.value.trim() };
    if (hours.value.trim()) body.hours = hours.value.trim();
    await busy(save, async () => {
      try {
        await api('PUT', `/api/units/${encodeURIComponent(unitSel.value)}/contact`, body);
      } catch (e) {
        showError(form, e);
        return;
      }
      toast('admin.contact.saved', { unit: unitName(unitMap, unitSel.value) });
      await show();
    });
  });
  const table = h('section', { class: 'card', 'aria-labelledby': 'units-admin-title' },
    h('div', { class: 'card-head' }, tx('h2', 'admin.units', null, { id: 'units-admin-title' }),
      tx('span', 'admin.units.count', { n: order.length }, { class: 'small muted' })),
    h('div', { class: 'table-wrap' }, h('table', { id: 'units-admin-table' },
      h('thead', {}, h('tr', {}, ['admin.unit', 'admin.unit.kind', 'admin.unit.since', 'admin.unit.merged']
        .map((k) => h('th', { scope: 'col', i18n: k })))),
      h('tbody', {}, order.map((u) => h('tr', { dataset: { unit: u.code } },
        h('th', { scope: 'row', class: `depth-${Math.min(depth(u), 3)}` }, u.name),
        h('td', {}, u.kind_label),
        h('td', { class: 'small' }, fmtDate(u.valid_from) || '—'),
        h('td', { class: 'small' }, (preds.get(u.code) || []).length
          ? preds.get(u.code).map((p) => `${p.name} (${t('admin.unit.until')}${fmtDate(p.valid_to)})`).join('; ')
          : '—')))))));
  await show();
  return h('div', { class: 'grid grid-side' }, h('div', {}, table), h('div', {}, form));
}
