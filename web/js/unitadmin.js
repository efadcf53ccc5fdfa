// unitadmin.js — the units of the administrator's scope (#/quan-tri/don-vi): the tree as of
// today with each unit's merger history, the units that have ended and their successors
// (GET /api/units?as_of=all), and three forms: add a unit (POST /api/units), edit one — name,
// kind, parent, identifier code; the code never changes (PUT /api/units/{unit}, with the log of
// who changed it, GET /api/units/{unit}/changes) — and record a merger: the units that end, the
// day the successor takes over, the successor existing or new (POST /api/unit-mergers, one
// transaction). The server's refusal is shown next to the field it names (docs/units-admin.md).

import { api, session, forgetUnits } from './api.js';
import { h, tx, field, showError, clearErrors, busy, errorNotice, toast, fmtDay, fmtInstant, todayVN } from './dom.js';
import { loginCard } from './login.js';
import { t } from './i18n.js';
import { exportButtons } from './export.js';

const KINDS = ['province', 'department', 'commune', 'ward', 'special_zone', 'agency', 'desk', 'district', 'town'];

export default async function unitAdminPage(root, params, ctx) {
  if (!session.user) return loginCard(root, ctx, 'login.for_admin');
  if (session.user.role !== 'admin') {
    root.append(h('div', { class: 'notice warn' }, tx('span', 'admin.not_admin')));
    return;
  }
  const body = h('div', { id: 'ua-body' }, tx('p', 'loading', null, { class: 'loading' }));
  root.append(h('div', { class: 'page-title' }, tx('h1', 'ua.title')),
    h('p', {}, h('a', { href: '#/quan-tri', i18n: 'ua.back' })),
    tx('p', 'ua.lead', null, { class: 'muted' }),
    body);
  const draw = async (focus) => {
    let all;
    try {
      all = (await api('GET', '/api/units?as_of=all')).units;
    } catch (e) {
      body.replaceChildren(errorNotice(e));
      return;
    }
    const s = scopeOf(all);
    const redraw = async (code) => {
      forgetUnits();
      await draw(code);
    };
    body.replaceChildren(
      // the forms first: a province has some sixty units, the tree is long
      h('div', { class: 'grid grid-side' }, h('div', {}, mergeForm(s, redraw)), h('div', {}, addForm(s, redraw), editForm(s, redraw, focus))),
      treeCard(s), endedCard(s));
  };
  await draw(params.unit);
}

// The units of the scope: by code, today's tree in order with depths, the ended ones.
function scopeOf(all) {
  const byCode = new Map(all.map((u) => [u.code, u]));
  const today = todayVN();
  const root = session.user.unit;
  // below the root, or merged into a unit that is (the 2025 mergers: Tiền Giang's wards and the
  // old province itself, whose successor is Đồng Tháp), so the history shows what came before
  const memo = new Map();
  const inScope = (u, n = 0) => {
    if (!u || n > 64) return false;
    if (memo.has(u.code)) return memo.get(u.code);
    const r = u.code === root || inScope(byCode.get(u.parent), n + 1) || (!!u.successor && inScope(byCode.get(u.successor), n + 1));
    memo.set(u.code, r);
    return r;
  };
  const live = (u) => (!u.valid_from || u.valid_from <= today) && (!u.valid_to || u.valid_to >= today);
  const scoped = all.filter(inScope);
  const current = scoped.filter(live);
  const order = [];
  const depth = new Map();
  const walk = (code, d) => {
    const u = byCode.get(code);
    if (!u || !live(u)) return;
    order.push(u);
    depth.set(code, d);
    current.filter((c) => c.parent === code).sort((a, b) => a.name.localeCompare(b.name, 'vi')).forEach((c) => walk(c.code, d + 1));
  };
  walk(root, 0);
  const preds = new Map();
  for (const u of all) {
    if (!u.successor) continue;
    if (!preds.has(u.successor)) preds.set(u.successor, []);
    preds.get(u.successor).push(u);
  }
  const ended = scoped.filter((u) => u.valid_to && u.valid_to < today)
    .sort((a, b) => (b.valid_to.localeCompare(a.valid_to) || a.name.localeCompare(b.name, 'vi')));
  const planned = scoped.filter((u) => u.valid_to && u.valid_to >= today);
  return { byCode, order, depth, preds, ended, planned, root, name: (c) => (byCode.get(c) ? byCode.get(c).name : c) };
}

const kindLabel = (k) => t(`ua.kind.${k}`);
const indent = (s, u) => `${'· '.repeat(s.depth.get(u.code) || 0)}${u.name}`;

function treeCard(s) {
  return h('section', { class: 'card', 'aria-labelledby': 'ua-tree-title' },
    h('div', { class: 'card-head' }, tx('h2', 'ua.tree', null, { id: 'ua-tree-title' }),
      tx('span', 'admin.units.count', { n: s.order.length }, { class: 'small muted' }),
      exportButtons(`/api/units?under=${encodeURIComponent(s.root)}`, 'export-units')),
    h('div', { class: 'table-wrap' }, h('table', { id: 'ua-tree' },
      h('thead', {}, h('tr', {}, ['ua.unit', 'ua.kind', 'ua.since', 'ua.merged_from'].map((k) => h('th', { scope: 'col', i18n: k })))),
      h('tbody', {}, s.order.map((u) => h('tr', { dataset: { unit: u.code } },
        h('th', { scope: 'row', class: `ua-depth-${Math.min(s.depth.get(u.code), 3)}` }, u.name,
          h('div', { class: 'small muted' }, [u.code, u.ident_code].filter(Boolean).join(' · '))),
        h('td', { dataset: { label: t('ua.kind') } }, kindLabel(u.kind), u.valid_to ? h('div', { class: 'small muted' }, t('ua.ends_on', { d: fmtDay(u.valid_to) })) : null),
        h('td', { class: 'small nowrap', dataset: { label: t('ua.since') } }, u.valid_from ? fmtDay(u.valid_from) : '—'),
        h('td', { class: 'small', dataset: { label: t('ua.merged_from') } }, (s.preds.get(u.code) || []).length
          ? h('ul', { class: 'plain' }, s.preds.get(u.code).map((p) => h('li', {}, t('ua.pred', { name: p.name, d: fmtDay(p.valid_to) }))))
          : '—')))))));
}

function endedCard(s) {
  const rows = [...s.planned, ...s.ended];
  const body = rows.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'ua-ended' },
    h('thead', {}, h('tr', {}, ['ua.unit', 'ua.last_day', 'ua.successor'].map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', {}, rows.map((u) => h('tr', { dataset: { unit: u.code } },
      h('th', { scope: 'row' }, u.name, h('div', { class: 'small muted' }, kindLabel(u.kind))),
      h('td', { class: 'small nowrap', dataset: { label: t('ua.last_day') } }, fmtDay(u.valid_to)),
      h('td', { class: 'small', dataset: { label: t('ua.successor') } }, u.successor ? s.name(u.successor) : t('ua.no_successor'))))))) : tx('p', 'ua.ended.none', null, { class: 'muted' });
  return h('section', { class: 'card', 'aria-labelledby': 'ua-ended-title' }, tx('h2', 'ua.ended', null, { id: 'ua-ended-title' }),
    tx('p', 'ua.ended.lead', null, { class: 'small muted' }), body);
}

const inp = (name, attrs = {}) => h('input', { type: 'text', name, autocomplete: 'off', ...attrs });
const kindSel = (name) => h('select', { name }, h('option', { value: '', i18n: 'ua.kind.choose' }), KINDS.map((k) => h('option', { value: k }, kindLabel(k))));
const parentSel = (s, name, opts = {}) => h('select', { name },
  opts.none ? h('option', { value: '' }, t('ua.parent.none')) : null,
  s.order.filter((u) => !opts.skip || !opts.skip(u)).map((u) => h('option', { value: u.code }, indent(s, u))));

function addForm(s, saved) {
  const c = {
    code: inp('code', { maxlength: 31, placeholder: t('ua.code.ph'), spellcheck: 'false' }),
    name: inp('name', { maxlength: 199, placeholder: t('ua.name.ph') }),
    kind: kindSel('kind'),
    parent: parentSel(s, 'parent'),
    valid_from: inp('valid_from', { type: 'date', value: todayVN() }),
    ident_code: inp('ident_code', { maxlength: 15, placeholder: '000.00.31.H99', spellcheck: 'false' }),
  };
  const save = h('button', { type: 'submit', class: 'btn', id: 'ua-add-save' }, tx('span', 'ua.add.save'));
  const form = h('form', { class: 'card', novalidate: true, id: 'ua-add', 'aria-labelledby': 'ua-add-title' },
    tx('h2', 'ua.add', null, { id: 'ua-add-title' }),
    field('ua.code', c.code, { required: true, hint: 'ua.code.hint' }),
    field('ua.name', c.name, { required: true }),
    field('ua.kind', c.kind, { required: true }),
    field('ua.parent', c.parent, { required: true }),
    field('ua.valid_from', c.valid_from),
    field('ua.ident_code', c.ident_code, { hint: 'ua.ident_code.hint' }),
    h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const b = {};
    for (const [k, el] of Object.entries(c)) if (el.value.trim()) b[k] = el.value.trim();
    await busy(save, async () => {
      let u;
      try {
        u = await api('POST', '/api/units', b);
      } catch (e) {
        showError(form, e);
        return;
      }
      toast('ua.added', { name: u.name });
      await saved(u.code);
    });
  });
  return form;
}

function editForm(s, saved, focus) {
  const unit = h('select', { name: 'unit', id: 'ua-edit-unit' }, s.order.map((u) => h('option', { value: u.code }, indent(s, u))));
  if (focus && s.byCode.has(focus) && s.order.some((u) => u.code === focus)) unit.value = focus;
  const c = {
    name: inp('name', { maxlength: 199, id: 'ua-edit-name' }),
    kind: kindSel('kind'),
    parent: null,
    ident_code: inp('ident_code', { maxlength: 15, id: 'ua-edit-ident', spellcheck: 'false' }),
  };
  c.kind.id = 'ua-edit-kind';
  const parentBox = h('div', {});
  const code = h('p', { class: 'small muted', id: 'ua-edit-code' });
  const log = h('div', { id: 'ua-log' });
  const save = h('button', { type: 'submit', class: 'btn', id: 'ua-edit-save' }, tx('span', 'ua.edit.save'));
  const form = h('form', { class: 'card', novalidate: true, id: 'ua-edit', 'aria-labelledby': 'ua-edit-title' },
    tx('h2', 'ua.edit', null, { id: 'ua-edit-title' }),
    field('ua.unit', unit), code,
    field('ua.name', c.name, { required: true }),
    field('ua.kind', c.kind, { required: true }),
    parentBox,
    field('ua.ident_code', c.ident_code, { hint: 'ua.ident_code.hint' }),
    h('div', { class: 'actions' }, save), log);
  const below = (u, code) => {
    for (let x = u; x; x = s.byCode.get(x.parent)) if (x.code === code) return true;
    return false;
  };
  const show = async () => {
    clearErrors(form);
    const u = s.byCode.get(unit.value);
    if (!u) return;
    code.replaceChildren(t('ua.code.fixed', { code: u.code }));
    c.name.value = u.name;
    c.kind.value = u.kind;
    c.ident_code.value = u.ident_code || '';
    // the scope's own unit keeps its parent (outside the scope); another moves within it
    if (u.code === s.root) {
      c.parent = null;
      parentBox.replaceChildren(...(u.parent ? [tx('p', 'ua.parent.fixed', { name: s.name(u.parent) }, { class: 'small muted' })] : []));
    } else {
      c.parent = parentSel(s, 'parent', { skip: (p) => below(p, u.code) });
      c.parent.id = 'ua-edit-parent';
      c.parent.value = u.parent;
      parentBox.replaceChildren(field('ua.parent', c.parent, { required: true }));
    }
    log.replaceChildren();
    try {
      const r = await api('GET', `/api/units/${encodeURIComponent(u.code)}/changes`);
      log.replaceChildren(logList(s, r.changes));
    } catch (e) {
      log.replaceChildren(errorNotice(e));
    }
  };
  unit.addEventListener('change', show);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const u = s.byCode.get(unit.value);
    const b = { name: c.name.value.trim(), kind: c.kind.value, ident_code: c.ident_code.value.trim() };
    b.parent = c.parent ? c.parent.value : u.parent || '';
    await busy(save, async () => {
      let r;
      try {
        r = await api('PUT', `/api/units/${encodeURIComponent(u.code)}`, b);
      } catch (e) {
        showError(form, e);
        return;
      }
      toast('ua.edited', { name: r.name });
      await saved(r.code);
    });
  });
  show();
  return form;
}

// The log of a unit: who, when, what ("merge" with its successor or the units merged into it).
function logList(s, changes) {
  if (!changes.length) return tx('p', 'ua.log.none', null, { class: 'small muted' });
  const what = (c) => {
    const kv = Object.fromEntries(c.summary.split(';').map((p) => p.split('=')));
    if (c.what === 'merge' && kv.successor) return t('ua.log.merged_into', { name: s.name(kv.successor), d: fmtDay(kv.effective) });
    if (c.what === 'merge') return t('ua.log.merged_from', { names: (kv.from || '').split(',').map(s.name).join(', '), d: fmtDay(kv.effective) });
    if (c.what === 'edit') return t('ua.log.edit', { fields: c.summary.split(',').map((f) => t(`ua.f.${f}`)).join(', ') });
    return t('ua.log.create');
  };
  return h('div', {}, tx('h3', 'ua.log'), h('ul', { class: 'plain small', id: 'ua-log-list' }, changes.map((c) => h('li', {},
    h('span', { class: 'muted' }, `${fmtInstant(c.at)} · ${c.actor}: `), what(c)))));
}

function mergeForm(s, saved) {
  const boxes = h('div', { class: 'ua-checks', id: 'ua-merge-units' });
  const byCode = new Map();
  for (const u of s.order) {
    if (u.code === s.root || u.valid_to) continue;
    const cb = h('input', { type: 'checkbox', name: 'units', value: u.code });
    byCode.set(u.code, cb);
    // a unit that ends takes the units below it along (the server asks for them too)
    cb.addEventListener('change', () => {
      for (const v of s.order) {
        let x = s.byCode.get(v.parent);
        while (x && x.code !== u.code) x = s.byCode.get(x.parent);
        if (x && byCode.has(v.code)) byCode.get(v.code).checked = cb.checked;
      }
      fillSucc();
    });
    boxes.append(h('label', { class: `ua-check ua-depth-${Math.min(s.depth.get(u.code), 3)}` }, cb, ' ', u.name));
  }
  const effective = inp('effective', { type: 'date' });
  const mode = (v) => h('input', { type: 'radio', name: 'succ_mode', value: v, checked: v === 'new' });
  const modeNew = mode('new');
  const modeOld = mode('existing');
  const succ = h('select', { name: 'successor', id: 'ua-merge-successor' });
  const fillSucc = () => {
    const keep = succ.value;
    succ.replaceChildren(...s.order.filter((u) => !byCode.get(u.code) || !byCode.get(u.code).checked).map((u) => h('option', { value: u.code }, indent(s, u))));
    if ([...succ.options].some((o) => o.value === keep)) succ.value = keep;
  };
  fillSucc();
  const n = {
    code: inp('successor_new.code', { maxlength: 31, id: 'ua-new-code', spellcheck: 'false' }),
    name: inp('successor_new.name', { maxlength: 199, id: 'ua-new-name' }),
    kind: kindSel('successor_new.kind'),
    parent: parentSel(s, 'successor_new.parent'),
    ident_code: inp('successor_new.ident_code', { maxlength: 15, id: 'ua-new-ident', spellcheck: 'false' }),
  };
  n.kind.id = 'ua-new-kind';
  n.parent.id = 'ua-new-parent';
  const oldBox = h('div', { hidden: true }, field('ua.successor.existing', succ));
  const newBox = h('fieldset', { id: 'ua-new' }, tx('legend', 'ua.successor.new'),
    field('ua.code', n.code, { required: true }), field('ua.name', n.name, { required: true }),
    field('ua.kind', n.kind, { required: true }), field('ua.parent', n.parent, { required: true }),
    field('ua.ident_code', n.ident_code, { hint: 'ua.ident_code.hint' }));
  const toggle = () => {
    oldBox.hidden = !modeOld.checked;
    newBox.hidden = !modeNew.checked;
  };
  modeNew.addEventListener('change', toggle);
  modeOld.addEventListener('change', toggle);
  const save = h('button', { type: 'submit', class: 'btn', id: 'ua-merge-save' }, tx('span', 'ua.merge.save'));
  const form = h('form', { class: 'card', novalidate: true, id: 'ua-merge', 'aria-labelledby': 'ua-merge-title' },
    tx('h2', 'ua.merge', null, { id: 'ua-merge-title' }),
    tx('p', 'ua.merge.lead', null, { class: 'small muted' }),
    h('fieldset', {}, tx('legend', 'ua.merge.units'), byCode.size ? boxes : tx('p', 'ua.merge.nothing', null, { class: 'small muted' })),
    field('ua.merge.effective', effective, { required: true, hint: 'ua.merge.effective.hint' }),
    h('fieldset', { class: 'ua-modes' }, tx('legend', 'ua.successor'),
      h('label', { class: 'ua-check' }, modeNew, ' ', t('ua.successor.new')),
      h('label', { class: 'ua-check' }, modeOld, ' ', t('ua.successor.existing'))),
    newBox, oldBox,
    h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const b = { units: [...byCode.values()].filter((cb) => cb.checked).map((cb) => cb.value), effective: effective.value };
    if (modeOld.checked) b.successor = succ.value;
    else {
      b.successor_new = {};
      for (const [k, el] of Object.entries(n)) if (el.value.trim()) b.successor_new[k] = el.value.trim();
    }
    const names = b.units.map(s.name).join(', ');
    if (b.units.length && b.effective && !confirm(t('ua.merge.confirm', { names, d: fmtDay(b.effective) }))) return;
    await busy(save, async () => {
      let r;
      try {
        r = await api('POST', '/api/unit-mergers', b);
      } catch (e) {
        showError(form, e, { units: 'units' });
        return;
      }
      toast('ua.merged', { n: r.ended.length, name: r.successor.name, d: fmtDay(r.effective) });
      await saved(r.successor.code);
    });
  });
  return form;
}
