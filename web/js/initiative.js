// initiative.js — CCHC initiatives and models (sáng kiến, mô hình mới; docs/initiatives.md):
//   #/sang-kien          the registry of the user's unit and below (proposed, evaluated or
//                        applied there) and every recognised one, filtered by status and year;
//                        officers propose one (POST /api/reform/initiatives)
//   #/sang-kien/ID       one initiative: its proposal, the council's evaluation, the recognition
//                        decision, the units applying it, evidence and history; the forms the
//                        server's "may" allows (evaluate, recognise, apply, withdraw, resubmit)
// The server's refusal is shown next to the field it names, in the page's language.

import { api, session, units, allUnits, unitName } from './api.js';
import { h, tx, field, errorNotice, showError, clearErrors, busy, fmtDay, fmtInstant, todayVN } from './dom.js';
import { t } from './i18n.js';
import { loginCard } from './login.js';
import { exportButtons } from './export.js';

const STAFF = ['desk_officer', 'specialist', 'leader', 'admin'];
const WRITERS = ['specialist', 'leader', 'admin'];
const STATUSES = ['proposed', 'accepted', 'recognized', 'rejected', 'withdrawn'];
const enc = encodeURIComponent;
const href = (id) => `#/sang-kien/${enc(id)}`;

function statusBadge(s) {
  const cls = { proposed: 'st-received', accepted: 'st-processing', recognized: 'st-returned', rejected: 'out-overdue', withdrawn: 'st-paused' }[s] || '';
  return tx('span', `init.st.${s}`, null, { class: `badge ${cls}` });
}

function areaText(x) {
  return x.area_title ? `${x.area}. ${x.area_title}` : x.area;
}

// The unit and the units above it, nearest first: who may evaluate its proposal.
function unitAndAbove(tree, code) {
  const out = [];
  for (let u = tree.get(code); u && out.length < 10; u = u.parent ? tree.get(u.parent) : null) out.push(u);
  return out;
}

// The unit and every unit below it: who the user may record as applying.
function unitAndBelow(tree, code) {
  const out = [];
  const walk = (c) => {
    const u = tree.get(c);
    if (!u || out.includes(u)) return;
    out.push(u);
    for (const v of tree.values()) if (v.parent === c && v.kind !== 'desk') walk(v.code);
  };
  walk(code);
  return out;
}

function table(list, names) {
  if (!list.length) return tx('p', 'init.none', null, { class: 'muted', id: 'init-empty' });
  return h('div', { class: 'table-wrap' }, h('table', { id: 'init-table' },
    h('thead', {}, h('tr', {},
      tx('th', 'init.name'), tx('th', 'init.status'), tx('th', 'init.unit'), tx('th', 'init.area'),
      tx('th', 'init.proposed'), tx('th', 'init.applied'))),
    h('tbody', {}, list.map((x) => h('tr', { 'data-id': String(x.id) },
      h('td', {}, h('a', { href: href(x.id) }, x.title)),
      h('td', {}, statusBadge(x.status), x.level ? [' ', tx('span', `init.level.${x.level}`, null, { class: 'muted small' })] : null),
      h('td', {}, unitName(names, x.unit)),
      h('td', {}, areaText(x)),
      h('td', {}, fmtDay(x.proposed)),
      h('td', { class: 'num' }, String(x.applied)))))));
}

function proposeForm(areas, tree, names, ctx) {
  const unit = session.user.unit;
  const form = h('form', { class: 'card', id: 'init-propose', novalidate: true });
  const title = h('input', { type: 'text', name: 'title', id: 'init-title', maxlength: '399', autocomplete: 'off' });
  const area = h('select', { name: 'area', id: 'init-area' },
    areas.map((a) => h('option', { value: a.code }, `${a.code}. ${a.title}`)));
  const evaluator = h('select', { name: 'evaluator', id: 'init-evaluator' },
    unitAndAbove(tree, unit).map((u, i) => h('option', { value: u.code, selected: i === 1 || null }, u.name)));
  const authors = h('input', { type: 'text', name: 'authors', id: 'init-authors', maxlength: '399', autocomplete: 'off' });
  const description = h('textarea', { name: 'description', id: 'init-description', rows: '3' });
  const effect = h('textarea', { name: 'effect', id: 'init-effect', rows: '2' });
  const proposed = h('input', { type: 'date', name: 'proposed', id: 'init-proposed', value: todayVN(), max: todayVN() });
  const submit = h('button', { type: 'submit', class: 'btn', id: 'init-submit' }, tx('span', 'init.propose'));
  form.append(tx('h2', 'init.propose_title'),
    tx('p', 'init.propose_lead', { unit: unitName(names, unit) }, { class: 'muted' }),
    field('init.name', title, { required: true }), field('init.area', area, { required: true }),
    field('init.authors', authors, { required: true, hint: 'init.authors_hint' }),
    field('init.description', description, { required: true }), field('init.effect', effect),
    field('init.evaluator', evaluator, { required: true, hint: 'init.evaluator_hint' }),
    field('init.proposed', proposed), h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(submit, async () => {
      try {
        const body = { unit, evaluator: evaluator.value, area: area.value, title: title.value.trim(), authors: authors.value.trim(), description: description.value.trim(), proposed: proposed.value };
        if (effect.value.trim()) body.effect = effect.value.trim();
        for (const k of ['title', 'authors', 'description']) if (!body[k]) delete body[k];
        const r = await api('POST', '/api/reform/initiatives', body);
        location.hash = href(r.id);
      } catch (e) {
        showError(form, e, null, 'init');
      }
    });
  });
  if (!areas.length) {
    submit.disabled = true;
    form.append(tx('p', 'init.no_set', null, { class: 'notice warn' }));
  }
  return form;
}

async function listPage(root, params, ctx) {
  const unit = session.user.unit;
  const status = STATUSES.includes(params.status) ? params.status : '';
  const year = /^\d{4}$/.test(params.year || '') ? params.year : '';
  const q = new URLSearchParams({ unit });
  if (status) q.set('status', status);
  if (year) q.set('year', year);
  const [names, tree, r] = await Promise.all([allUnits(), units(), api('GET', `/api/reform/initiatives?${q}`)]);
  const statusSel = h('select', { name: 'status', id: 'init-filter-status' },
    h('option', { value: '' }, t('init.all')),
    STATUSES.map((s) => h('option', { value: s, selected: s === status || null }, t(`init.st.${s}`))));
  const yearIn = h('input', { type: 'number', name: 'year', id: 'init-filter-year', min: '2000', max: '2100', value: year, placeholder: t('init.any_year') });
  const filter = h('form', { class: 'filters', id: 'init-filter' },
    field('init.status', statusSel), field('init.year', yearIn),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn secondary' }, tx('span', 'init.filter'))));
  filter.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    if (statusSel.value) p.set('status', statusSel.value);
    if (yearIn.value) p.set('year', yearIn.value);
    location.hash = `#/sang-kien${p.toString() ? `?${p}` : ''}`;
  });
  root.append(h('div', { class: 'card' },
    tx('h1', 'init.title'),
    tx('p', 'init.lead', { unit: unitName(names, unit) }, { class: 'muted' }),
    filter,
    h('div', { class: 'actions' }, tx('p', 'init.count', { n: String(r.initiatives.length) }, { class: 'small', id: 'init-count' }),
      r.initiatives.length ? exportButtons(`/api/reform/initiatives?${q}`, 'export-init') : null),
    table(r.initiatives, names)));
  if (WRITERS.includes(session.user.role)) root.append(proposeForm(r.areas, tree, names, ctx));
}

function actionForms(x, tree, names, ctx) {
  const out = [];
  const post = (form, button, path, body, aliases) => busy(button, async () => {
    clearErrors(form);
    try {
      await api('POST', `/api/reform/initiatives/${enc(x.id)}/${path}`, body);
      await ctx.rerender();
    } catch (e) {
      showError(form, e, aliases, 'init');
    }
  });
  if (x.may.evaluate) {
    const form = h('form', { class: 'card', id: 'init-evaluate', novalidate: true });
    const result = h('select', { name: 'result', id: 'eval-result' },
      h('option', { value: 'accepted' }, t('init.accept')), h('option', { value: 'rejected' }, t('init.reject')));
    const score = h('input', { type: 'number', name: 'score', id: 'eval-score', min: '0', max: '100', step: '1' });
    const note = h('textarea', { name: 'note', id: 'eval-note', rows: '2' });
    const day = h('input', { type: 'date', name: 'day', id: 'eval-day', value: todayVN(), max: todayVN() });
    const b = h('button', { type: 'submit', class: 'btn', id: 'eval-submit' }, tx('span', 'init.evaluate'));
    form.append(tx('h2', 'init.council'), tx('p', 'init.council_lead', { unit: unitName(names, x.evaluator) }, { class: 'muted' }),
      field('init.result', result), field('init.score', score, { hint: 'init.score_hint' }),
      field('init.opinion_or_reason', note), field('init.council_day', day), h('div', { class: 'actions' }, b));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const body = { result: result.value, day: day.value };
      if (score.value !== '') body.score = Number(score.value);
      if (note.value.trim()) body[result.value === 'accepted' ? 'opinion' : 'reason'] = note.value.trim();
      return post(form, b, 'evaluate', body, { opinion: 'note', reason: 'note' });
    });
    out.push(form);
  }
  if (x.may.recognize) {
    const form = h('form', { class: 'card', id: 'init-recognize', novalidate: true });
    const no = h('input', { type: 'text', name: 'decision_no', id: 'rec-no', maxlength: '63', placeholder: '125/QĐ-UBND' });
    const day = h('input', { type: 'date', name: 'decision_day', id: 'rec-day', value: todayVN(), max: todayVN() });
    const level = h('select', { name: 'level', id: 'rec-level' },
      ['unit', 'district', 'province'].map((l) => h('option', { value: l }, t(`init.level.${l}`))));
    const b = h('button', { type: 'submit', class: 'btn ok', id: 'rec-submit' }, tx('span', 'init.recognize'));
    form.append(tx('h2', 'init.recognition'), field('init.decision_no', no, { required: true }),
      field('init.decision_day', day, { required: true }), field('init.level', level), h('div', { class: 'actions' }, b));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      post(form, b, 'recognize', { decision_no: no.value.trim(), decision_day: day.value, level: level.value });
    });
    out.push(form);
  }
  if (x.may.apply) {
    const applied = new Set(x.units.map((u) => u.unit));
    const choices = unitAndBelow(tree, session.user.unit).filter((u) => !applied.has(u.code));
    if (choices.length) {
      const form = h('form', { class: 'card', id: 'init-apply', novalidate: true });
      const unit = h('select', { name: 'unit', id: 'apply-unit' }, choices.map((u) => h('option', { value: u.code }, u.name)));
      const from = h('input', { type: 'date', name: 'from', id: 'apply-from', value: todayVN() });
      const result = h('textarea', { name: 'result', id: 'apply-result', rows: '2' });
      const b = h('button', { type: 'submit', class: 'btn', id: 'apply-submit' }, tx('span', 'init.apply'));
      form.append(tx('h2', 'init.apply_title'), field('init.apply_unit', unit), field('init.from', from),
        field('init.result_note', result), h('div', { class: 'actions' }, b));
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const body = { unit: unit.value, from: from.value };
        if (result.value.trim()) body.result = result.value.trim();
        post(form, b, 'units', body);
      });
      out.push(form);
    }
  }
  for (const action of ['withdraw', 'resubmit']) {
    if (!x.may[action]) continue;
    const form = h('form', { class: 'card', id: `init-${action}`, novalidate: true });
    const note = h('textarea', { name: 'note', id: `${action}-note`, rows: '2' });
    const b = h('button', { type: 'submit', class: `btn ${action === 'withdraw' ? 'secondary' : ''}`, id: `${action}-submit` }, tx('span', `init.${action}`));
    form.append(tx('h2', `init.${action}_title`), field('init.reason', note, { required: true }), h('div', { class: 'actions' }, b));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      post(form, b, action, note.value.trim() ? { note: note.value.trim() } : {});
    });
    out.push(form);
  }
  return out;
}

async function detailPage(root, id, ctx) {
  const [names, tree, x] = await Promise.all([allUnits(), units(), api('GET', `/api/reform/initiatives/${enc(id)}`)]);
  const dl = h('dl', { class: 'facts', id: 'init-facts' });
  const fact = (key, value, attrs) => dl.append(tx('dt', key), h('dd', attrs || {}, value));
  fact('init.status', statusBadge(x.status), { id: 'init-status' });
  fact('init.unit', unitName(names, x.unit));
  fact('init.area', areaText(x));
  fact('init.authors', x.authors);
  fact('init.proposed', fmtDay(x.proposed));
  fact('init.evaluator', unitName(names, x.evaluator));
  if (x.score !== null) fact('init.score', `${x.score}/100`, { id: 'init-score' });
  if (x.evaluated) fact('init.council_day', fmtDay(x.evaluated));
  if (x.opinion) fact('init.opinion', x.opinion);
  if (x.reason) fact(x.status === 'withdrawn' ? 'init.reason_withdrawn' : 'init.reason_rejected', x.reason);
  if (x.decision_no) {
    fact('init.decision', tx('span', 'init.decision_text', { no: x.decision_no, day: fmtDay(x.decision_day) }), { id: 'init-decision' });
    fact('init.level', tx('span', `init.level.${x.level}`));
  }
  root.append(
    h('p', {}, h('a', { href: '#/sang-kien' }, tx('span', 'init.back'))),
    h('div', { class: 'card' }, h('h1', { id: 'init-name' }, x.title), dl,
      tx('h2', 'init.description'), h('p', { style: 'white-space: pre-wrap' }, x.description),
      x.effect ? [tx('h2', 'init.effect'), h('p', { style: 'white-space: pre-wrap' }, x.effect)] : null),
    h('div', { class: 'card', id: 'init-units' }, tx('h2', 'init.units'),
      x.units.length
        ? h('div', { class: 'table-wrap' }, h('table', {},
          h('thead', {}, h('tr', {}, tx('th', 'init.apply_unit'), tx('th', 'init.from'), tx('th', 'init.result_note'))),
          h('tbody', {}, x.units.map((u) => h('tr', {},
            h('td', {}, unitName(names, u.unit)), h('td', {}, fmtDay(u.from)), h('td', {}, u.result || '—'))))))
        : tx('p', 'init.no_units', null, { class: 'muted' })));
  if (x.evidence.length) {
    root.append(h('div', { class: 'card', id: 'init-evidence' }, tx('h2', 'init.evidence'),
      h('ul', {}, x.evidence.map((f) => h('li', {}, h('a', { href: f.url, download: f.name }, f.name))))));
  }
  if (WRITERS.includes(session.user.role)) root.append(...actionForms(x, tree, names, ctx));
  root.append(h('div', { class: 'card', id: 'init-history' }, tx('h2', 'init.history'),
    h('ol', {}, x.history.map((ev) => h('li', {},
      `${fmtInstant(ev.at)} — ${ev.actor}: `, tx('span', `init.ev.${ev.action}`),
      ev.note && ev.action !== 'apply' ? [' ', h('q', {}, ev.note)] : null,
      ev.action === 'apply' ? ` ${unitName(names, ev.note)}` : null)))));
}

export default async function initiative(root, params, ctx) {
  if (!session.user) return loginCard(root, ctx, 'login.for_initiative');
  if (!STAFF.includes(session.user.role)) {
    root.append(h('div', { class: 'notice warn' }, tx('span', 'init.not_staff')));
    return;
  }
  try {
    if (params.id) await detailPage(root, params.id, ctx);
    else await listPage(root, params, ctx);
  } catch (e) {
    root.append(errorNotice(e));
  }
}
