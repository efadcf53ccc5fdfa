// procadmin.js — the procedures catalogue for the administrator (#/quan-tri/thu-tuc): search
// the procedures (GET /api/procedures?q=), change one's attributes (PUT /api/procedures/{code}:
// the fields of `cchc import procedures` but the steps, the server's refusal next to the field
// it names) and its process steps (GET/PUT /api/procedures/{code}/steps). Steps are versioned
// by the day they take effect: a dossier keeps the steps in force on the day it was received,
// so a new version starts after the last day a dossier was received, never in the past; the
// page proposes that first day and lists the versions and the log of changes.

import { api, qs, session } from './api.js';
import { h, tx, field, showError, clearErrors, busy, errorNotice, toast, fmtDay, fmtInstant } from './dom.js';
import { loginCard } from './login.js';
import { t } from './i18n.js';
import { exportButtons } from './export.js';

const LEVELS = ['central', 'province', 'district', 'commune'];
const UNITS = ['wd', 'wh', 'cd'];
const ONLINE = ['full', 'partial', 'none'];
const RECEIVE = ['unit', 'province', 'nation'];
const ROLES = ['desk', 'specialist', 'leader', 'clerk', 'other'];
const KINDS = ['province', 'department', 'commune', 'ward', 'special_zone', 'agency', 'desk', 'district', 'town'];

export default async function procadmin(root, params, ctx) {
  if (!session.user) return loginCard(root, ctx, 'login.for_admin');
  if (session.user.role !== 'admin') {
    root.append(h('div', { class: 'notice warn' }, tx('span', 'admin.not_admin')));
    return;
  }
  const q = h('input', { type: 'search', id: 'pa-q', name: 'q', autocomplete: 'off', value: params.q || '' });
  const list = h('div', { id: 'pa-list' });
  const detail = h('div', { id: 'pa-detail' });
  root.append(h('div', { class: 'page-title' }, tx('h1', 'pa.title')),
    h('p', {}, h('a', { href: '#/quan-tri', i18n: 'pa.back' })),
    tx('p', 'pa.lead', null, { class: 'muted' }),
    h('section', { class: 'card', 'aria-labelledby': 'pa-search-title' },
      tx('h2', 'pa.search', null, { id: 'pa-search-title' }), field('pa.search.label', q), list),
    detail);
  let timer = null;
  const search = async () => {
    try {
      const r = await api('GET', `/api/procedures${qs({ q: q.value.trim() })}`);
      list.replaceChildren(procTable(r.procedures, q.value.trim()));
    } catch (e) {
      list.replaceChildren(errorNotice(e));
    }
  };
  q.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(search, 250); });
  await search();
  if (params.code) await showProcedure(detail, params.code);
}

function procTable(procs, q) {
  if (!procs.length) return tx('p', 'pa.none', null, { class: 'muted' });
  return h('div', {}, h('div', { class: 'actions' }, exportButtons(`/api/procedures${qs({ q: q || undefined })}`, 'export-procs')),
    h('div', { class: 'table-wrap' }, h('table', { id: 'pa-table' },
    h('thead', {}, h('tr', {}, ['pa.code', 'pa.name', 'pa.field', 'pa.time', 'pa.actions'].map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', {}, procs.map((p) => h('tr', { dataset: { code: p.code } },
      h('td', { class: 'mono small' }, p.code),
      h('th', { scope: 'row' }, p.name),
      h('td', { class: 'small' }, p.field),
      h('td', { class: 'small' }, p.time_text),
      h('td', {}, h('a', { class: 'btn secondary', href: `#/quan-tri/thu-tuc${qs({ code: p.code, q: q || undefined })}`, i18n: 'pa.edit' }))))))));
}

const sel = (name, values, cur, prefix) => h('select', { name }, values.map((v) => h('option', { value: v, selected: v === cur, i18n: `${prefix}.${v}` })));
const inp = (name, value, attrs = {}) => h('input', { type: 'text', name, value: value ?? '', autocomplete: 'off', ...attrs });

async function showProcedure(box, code) {
  let p, s;
  try {
    [p, s] = await Promise.all([api('GET', `/api/procedures/${encodeURIComponent(code)}`),
      api('GET', `/api/procedures/${encodeURIComponent(code)}/steps`)]);
  } catch (e) {
    box.replaceChildren(errorNotice(e));
    return;
  }
  const steps = h('div', {});
  const log = h('div', {});
  box.replaceChildren(steps, h('div', { class: 'grid grid-side' },
    h('div', {}, attrForm(p, async (np) => { p = np; await reload(); })), h('div', {}, log)));
  const reload = async () => {
    s = await api('GET', `/api/procedures/${encodeURIComponent(code)}/steps`);
    draw();
  };
  const draw = () => {
    steps.replaceChildren(stepsCard(p, s, async (ns) => { s = ns; draw(); }));
    log.replaceChildren(logCard(s));
  };
  draw();
}

function attrForm(p, saved) {
  const c = {
    name: h('textarea', { name: 'name', rows: 2 }, p.name),
    field: inp('field', p.field),
    level: sel('level', LEVELS, p.level, 'pa.level'),
    time_amount: inp('time_amount', p.time_amount, { type: 'number', min: 0, inputmode: 'numeric' }),
    time_unit: sel('time_unit', UNITS, p.time_unit, 'pa.unit'),
    time_note: inp('time_note', p.time_note),
    fee_vnd: inp('fee_vnd', p.fee_vnd ?? '', { inputmode: 'numeric' }),
    fee_note: inp('fee_note', p.fee_note),
    online: sel('online', ONLINE, p.online, 'pa.online'),
    legal_basis: h('textarea', { name: 'legal_basis', rows: 2 }, p.legal_basis || ''),
    documents: h('textarea', { name: 'documents', rows: 4 }, (p.documents || []).join('\n')),
    decision: inp('decision', p.decision),
    decision_date: inp('decision_date', p.decision_date, { type: 'date' }),
    basis_effective: inp('basis_effective', p.basis_effective, { type: 'date' }),
    posted_portal: inp('posted_portal', p.posted_portal, { type: 'date' }),
    posted_desk: inp('posted_desk', p.posted_desk, { type: 'date' }),
    receive: sel('receive', RECEIVE, p.receive, 'pa.receive'),
    receive_basis: inp('receive_basis', p.receive_basis),
  };
  const save = h('button', { type: 'submit', class: 'btn', id: 'pa-save' }, tx('span', 'pa.save'));
  const form = h('form', { class: 'card', novalidate: true, id: 'pa-form', 'aria-labelledby': 'pa-form-title' },
    h('h2', { id: 'pa-form-title' }, `${p.code} — ${t('pa.attributes')}`),
    ...Object.entries(c).map(([k, el]) => field(`pa.f.${k}`, el, { required: k === 'name', hint: ['documents', 'fee_vnd'].includes(k) ? `pa.f.${k}.hint` : null })),
    h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = {};
    for (const k of ['name', 'field', 'level', 'time_unit', 'time_note', 'fee_note', 'online', 'legal_basis', 'decision',
      'decision_date', 'basis_effective', 'posted_portal', 'posted_desk', 'receive', 'receive_basis']) body[k] = c[k].value.trim();
    const amount = c.time_amount.value.trim();
    body.time_amount = /^\d+$/.test(amount) ? Number(amount) : -1; // the server names the field
    const fee = c.fee_vnd.value.replace(/[.\s]/g, '');
    body.fee_vnd = fee === '' ? -1 : (/^\d+$/.test(fee) ? Number(fee) : -2);
    body.documents = c.documents.value.split('\n').map((x) => x.trim()).filter(Boolean);
    await busy(save, async () => {
      let np;
      try {
        np = await api('PUT', `/api/procedures/${encodeURIComponent(p.code)}`, body);
      } catch (e) {
        showError(form, e);
        return;
      }
      toast('pa.saved', { code: p.code });
      await saved(np);
    });
  });
  return form;
}

// One editable row per step; ↑ ↓ move it, ✕ removes it.
function stepsCard(p, s, saved) {
  const cur = s.versions.filter((v) => !v.planned).pop() || s.versions[0];
  const planned = s.versions.filter((v) => v.planned);
  const start = planned.length ? planned[planned.length - 1] : cur;
  const rows = h('tbody', {});
  const days = (share) => {
    const m = /^(\d+)%$/.exec(share.trim());
    if (!m || p.time_unit !== 'wd') return '';
    return t('pa.days', { n: (Math.round(p.time_amount * Number(m[1])) / 100).toLocaleString('vi-VN', { maximumFractionDigits: 2 }) });
  };
  const addRow = (st) => {
    const share = inp('share', st.share, { size: 5 });
    const hint = h('span', { class: 'small muted' }, days(st.share || ''));
    share.addEventListener('input', () => { hint.textContent = days(share.value); });
    const kind = h('select', { name: 'unit_kind' }, h('option', { value: '', i18n: 'pa.kind.none' }),
      KINDS.map((k) => h('option', { value: k, selected: k === st.unit_kind, i18n: `pa.kind.${k}` })));
    const tr = h('tr', { class: 'pa-step' },
      h('td', { class: 'pa-n' }),
      h('td', {}, inp('name', st.name, { 'aria-label': t('pa.step.name') })),
      h('td', {}, sel('role', ROLES, st.role, 'pa.role')),
      h('td', {}, kind),
      h('td', {}, share, ' ', hint),
      h('td', { class: 'nowrap' },
        h('button', { type: 'button', class: 'btn secondary', title: t('pa.up'), 'aria-label': t('pa.up'), onclick: () => { if (tr.previousSibling) rows.insertBefore(tr, tr.previousSibling); renumber(); } }, '↑'),
        h('button', { type: 'button', class: 'btn secondary', title: t('pa.down'), 'aria-label': t('pa.down'), onclick: () => { if (tr.nextSibling) rows.insertBefore(tr.nextSibling, tr); renumber(); } }, '↓'),
        h('button', { type: 'button', class: 'btn secondary', title: t('pa.remove'), 'aria-label': t('pa.remove'), onclick: () => { tr.remove(); renumber(); } }, '✕')));
    rows.append(tr);
  };
  const renumber = () => [...rows.children].forEach((tr, i) => {
    tr.querySelector('.pa-n').textContent = String(i + 1);
    for (const el of tr.querySelectorAll('input, select')) el.name = `steps[${i}].${el.name.replace(/^steps\[\d+\]\./, '')}`;
  });
  start.steps.forEach(addRow);
  renumber();
  const from = inp('effective_from', s.earliest, { type: 'date', min: s.earliest, id: 'pa-from' });
  const save = h('button', { type: 'submit', class: 'btn', id: 'pa-steps-save' }, tx('span', 'pa.steps.save'));
  const add = h('button', { type: 'button', class: 'btn secondary', id: 'pa-step-add', onclick: () => { addRow({ name: '', role: 'specialist', unit_kind: null, share: '' }); renumber(); } }, tx('span', 'pa.step.add'));
  const form = h('form', { class: 'card', novalidate: true, id: 'pa-steps', 'aria-labelledby': 'pa-steps-title' },
    tx('h2', 'pa.steps', null, { id: 'pa-steps-title' }),
    versionsList(s),
    tx('p', s.last_received ? 'pa.steps.rule' : 'pa.steps.rule_none', { last: fmtDay(s.last_received), earliest: fmtDay(s.earliest) }, { class: 'small muted', id: 'pa-rule' }),
    h('div', { class: 'table-wrap' }, h('table', { id: 'pa-steps-table' },
      h('thead', {}, h('tr', {}, ['pa.step.n', 'pa.step.name', 'pa.step.role', 'pa.step.kind', 'pa.step.share', 'pa.step.move'].map((k) => h('th', { scope: 'col', i18n: k })))),
      rows)),
    tx('p', 'pa.step.share.hint', null, { class: 'hint' }),
    h('div', { class: 'actions' }, add),
    field('pa.from', from, { required: true }),
    h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = {
      effective_from: from.value,
      steps: [...rows.children].map((tr) => {
        const v = (n) => tr.querySelector(`[name$=".${n}"]`).value.trim();
        const st = { name: v('name'), role: v('role'), share: v('share') };
        if (v('unit_kind')) st.unit_kind = v('unit_kind');
        return st;
      }),
    };
    await busy(save, async () => {
      let ns;
      try {
        ns = await api('PUT', `/api/procedures/${encodeURIComponent(p.code)}/steps`, body);
      } catch (e) {
        showError(form, e, { effective_from: 'effective_from' });
        return;
      }
      toast('pa.steps.saved', { day: fmtDay(body.effective_from) });
      await saved(ns);
    });
  });
  return form;
}

function versionsList(s) {
  return h('ul', { id: 'pa-versions', class: 'small' }, s.versions.map((v) => h('li', {},
    tx('strong', v.effective_from ? (v.planned ? 'pa.version.planned' : 'pa.version.from') : 'pa.version.base', { day: fmtDay(v.effective_from) }),
    ': ', v.steps.map((st) => `${st.name} (${st.share})`).join(' → '))));
}

function logCard(s) {
  return h('section', { class: 'card', 'aria-labelledby': 'pa-log-title' },
    tx('h2', 'pa.log', null, { id: 'pa-log-title' }),
    s.changes.length
      ? h('ul', { id: 'pa-log', class: 'small' }, s.changes.map((c) => h('li', {},
        `${fmtInstant(c.at)} — ${c.actor}: `,
        tx('span', c.what === 'steps' ? 'pa.log.steps' : 'pa.log.attributes', { day: fmtDay(c.effective_from) }))))
      : tx('p', 'pa.log.none', null, { class: 'muted small' }));
}
