// inspection.js — CCHC inspections (kiểm tra công tác CCHC, docs/reform.md "Inspections"):
//   #/kiem-tra[?year=Y]   the year's inspection plan of the user's unit and below, with status
//                         badges, the share of the units below inspected (unit by unit), and the
//                         form that plans an inspection (GET/POST /api/reform/inspections)
//   #/kiem-tra/ID         one inspection: its facts and state buttons, the checklist answered
//                         item by item, the findings (strengths, shortcomings with an evidence
//                         file) and each shortcoming's remedies, tasks of the inspected unit's
//                         plan linked to #/cai-cach/nhiem-vu/ID
// The inspecting unit records; the inspected unit reads and adds remedies. A refusal is shown
// next to the field it names, in the server's Vietnamese.

import { api, session, allUnits, unitName } from './api.js';
import { h, tx, field, errorNotice, showError, clearErrors, busy, fmtDay, todayVN } from './dom.js';
import { t } from './i18n.js';
import { loginCard } from './login.js';
import { exportButtons } from './export.js';

const STAFF = ['desk_officer', 'specialist', 'leader', 'admin'];
const WRITERS = ['specialist', 'leader', 'admin'];
const enc = encodeURIComponent;
const inspHref = (id) => `#/kiem-tra/${enc(id)}`;
const BADGE = { planned: 'st-submitted', in_progress: 'st-processing', concluded: 'st-result_ready', closed: 'st-returned', cancelled: 'st-cancelled' };
// state buttons: which actions each state offers (src/core/inspection.c's table) and whether a note is needed
const ACTIONS = {
  planned: [['start', false], ['cancel', true]],
  in_progress: [['conclude', false], ['cancel', true]],
  concluded: [['close', false]],
  closed: [['reopen', true]],
  cancelled: [],
};

function inspBadge(s) {
  return tx('span', `insp.st.${s}`, null, { class: `badge ${BADGE[s] || ''}` });
}

const TASK_BADGE = { planned: 'st-submitted', in_progress: 'st-processing', paused: 'st-paused', done: 'st-returned', cancelled: 'st-cancelled' };
function taskBadge(s) {
  return tx('span', `reform.st.${s}`, null, { class: `badge rf-${s} ${TASK_BADGE[s] || ''}` });
}

function kindBadge(k) {
  return tx('span', `insp.kind.${k}`, null, { class: `badge ${k === 'strength' ? 'par-met' : 'par-not-met'}` });
}

function below(names, root) {
  // the units under root today (not root itself), by code
  const out = [];
  for (const u of names.values()) {
    if (u.valid_to && u.valid_to < todayVN()) continue;
    for (let p = u.parent; p; p = names.get(p) && names.get(p).parent) {
      if (p === root) {
        out.push(u);
        break;
      }
    }
  }
  return out.sort((a, b) => a.code.localeCompare(b.code));
}

function yearOf(params) {
  const y = Number(params.year);
  return y >= 2000 && y <= 2100 ? y : Number(todayVN().slice(0, 4));
}

// ---- the list ---------------------------------------------------------------------------

function inspTable(list, names) {
  if (!list.length) return tx('p', 'insp.none', null, { class: 'muted', id: 'insp-empty' });
  return h('div', { class: 'table-wrap' }, h('table', { id: 'insp-list' },
    h('thead', {}, h('tr', {},
      tx('th', 'insp.unit'), tx('th', 'insp.inspector'), tx('th', 'insp.dates'),
      tx('th', 'insp.status'), tx('th', 'insp.findings'), tx('th', 'insp.remedies'))),
    h('tbody', {}, list.map((x) => h('tr', { 'data-id': String(x.id), 'data-status': x.status },
      h('td', {}, h('a', { href: inspHref(x.id) }, unitName(names, x.unit))),
      h('td', {}, unitName(names, x.inspector)),
      h('td', {}, `${fmtDay(x.from)} – ${fmtDay(x.to)}`),
      h('td', {}, inspBadge(x.status)),
      h('td', {}, String(x.findings)),
      h('td', {}, x.remedies ? tx('span', 'insp.open_of', { open: String(x.open_remedies), n: String(x.remedies) }) : '—'))))));
}

function shareCard(share, names) {
  const pct = share.percent === null ? '—' : `${Number(share.percent).toFixed(2).replace('.', ',')}%`;
  const rows = share.units.map((u) => h('tr', { 'data-unit': u.code, 'data-inspected': String(u.inspected) },
    h('td', {}, u.name),
    h('td', {}, u.inspected
      ? tx('span', 'insp.share.yes', null, { class: 'badge par-met' })
      : tx('span', 'insp.share.no', null, { class: 'badge st-cancelled' })),
    h('td', {}, u.inspections.length
      ? u.inspections.map((i) => h('span', { class: 'insp-chip' }, h('a', { href: inspHref(i.id) }, fmtDay(i.from)), ' ', inspBadge(i.status), ' '))
      : '—')));
  return h('div', { class: 'card', id: 'insp-share' },
    tx('h2', 'insp.share.title'),
    h('p', { id: 'insp-share-figure' },
      tx('strong', 'insp.share.figure', { num: String(share.num), den: String(share.den), pct, unit: unitName(names, share.unit) })),
    tx('p', 'insp.share.rule', null, { class: 'muted' }),
    share.units.length
      ? h('details', {}, tx('summary', 'insp.share.units'),
        h('div', { class: 'table-wrap' }, h('table', { id: 'insp-share-units' },
          h('thead', {}, h('tr', {}, tx('th', 'insp.unit'), tx('th', 'insp.share.state'), tx('th', 'insp.share.inspections'))),
          h('tbody', {}, rows))))
      : null);
}

function planForm(names, year, rerender) {
  const mine = session.user.unit;
  const form = h('form', { class: 'card', id: 'insp-plan', novalidate: true });
  const unit = h('select', { name: 'unit', id: 'plan-unit' },
    h('option', { value: '' }, t('insp.pick_unit')),
    below(names, mine).map((u) => h('option', { value: u.code }, u.name)));
  const team = h('input', { type: 'text', name: 'team', id: 'plan-team', value: t('insp.team_default') });
  const from = h('input', { type: 'date', name: 'from', id: 'plan-from', min: `${year}-01-01`, max: `${year}-12-31` });
  const to = h('input', { type: 'date', name: 'to', id: 'plan-to', min: `${year}-01-01`, max: `${year}-12-31` });
  const set = h('input', { type: 'text', name: 'set', id: 'plan-set', placeholder: 'HT-XA-2021' });
  const items = h('textarea', { name: 'items', id: 'plan-items', rows: '3' });
  const submit = h('button', { type: 'submit', class: 'btn', id: 'plan-submit' }, tx('span', 'insp.plan.submit'));
  form.append(tx('h2', 'insp.plan.title', { year: String(year), unit: unitName(names, mine) }),
    field('insp.unit', unit, { required: true }),
    field('insp.team', team),
    h('div', { class: 'row' }, field('insp.from', from, { required: true }), field('insp.to', to, { required: true })),
    field('insp.set', set, { hint: 'insp.set.hint' }),
    field('insp.items', items, { hint: 'insp.items.hint' }),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = {
      inspector: mine, unit: unit.value, year, team: team.value.trim(), from: from.value, to: to.value,
      items: items.value.split('\n').map((s) => s.trim()).filter(Boolean),
    };
    if (set.value.trim()) body.set = set.value.trim();
    await busy(submit, async () => {
      try {
        const made = await api('POST', '/api/reform/inspections', body);
        location.hash = inspHref(made.id);
        await rerender();
      } catch (e) {
        showError(form, e, { planned_from: 'from', planned_to: 'to', inspector: 'unit' }, 'insp');
      }
    });
  });
  return form;
}

async function listPage(root, params, ctx) {
  const unit = session.user.unit;
  const year = yearOf(params);
  const [names, list, share] = await Promise.all([
    allUnits(),
    api('GET', `/api/reform/inspections?unit=${enc(unit)}&year=${year}`),
    api('GET', `/api/reform/inspection-share?unit=${enc(unit)}&year=${year}`),
  ]);
  const years = h('select', { id: 'insp-year', 'aria-label': t('insp.year') },
    [year - 1, year, year + 1].map((y) => h('option', { value: String(y), selected: y === year }, String(y))));
  years.addEventListener('change', () => { location.hash = `#/kiem-tra?year=${years.value}`; });
  root.append(
    h('p', {}, h('a', { href: '#/cai-cach' }, tx('span', 'insp.to_plan'))),
    h('div', { class: 'card' },
      h('div', { class: 'insp-head' }, tx('h1', 'insp.title', { year: String(year) }), years),
      tx('p', 'insp.lead', { unit: unitName(names, unit) }, { class: 'muted' }),
      list.inspections.length ? exportButtons(`/api/reform/inspections?unit=${enc(unit)}&year=${year}`, 'export-insp') : null,
      inspTable(list.inspections, names)),
    shareCard(share, names));
  if (WRITERS.includes(session.user.role) && below(names, unit).length) root.append(planForm(names, year, ctx.rerender));
}

// ---- one inspection -------------------------------------------------------------------------

function stateCard(x, rerender) {
  const form = h('form', { class: 'card', id: 'insp-actions', novalidate: true });
  const acts = ACTIONS[x.status] || [];
  if (!acts.length) return null;
  const note = h('textarea', { name: 'note', rows: '2', id: 'insp-note' });
  const buttons = acts.map(([a]) => {
    const b = h('button', { type: 'button', class: `btn${a === 'cancel' ? ' secondary' : ''}`, id: `insp-${a}` }, tx('span', `insp.act.${a}`));
    b.addEventListener('click', async () => {
      clearErrors(form);
      await busy(b, async () => {
        try {
          await api('POST', `/api/reform/inspections/${enc(x.id)}/${a}`, note.value.trim() ? { note: note.value.trim() } : {});
          await rerender();
        } catch (e) {
          showError(form, e, { note: 'note' }, 'insp');
        }
      });
    });
    return b;
  });
  form.append(tx('h2', 'insp.act.title'));
  if (acts.some(([, needs]) => needs)) form.append(field('insp.note', note, { hint: 'insp.note.hint' }));
  form.append(h('div', { class: 'actions' }, buttons));
  return form;
}

function checklistCard(x, canCheck) {
  const rows = x.checklist.map((it) => {
    const tr = h('tr', { 'data-seq': String(it.seq), 'data-result': it.result || '' },
      h('td', {}, String(it.seq)),
      h('td', {}, it.item, it.node ? h('span', { class: 'muted' }, ` (${t('insp.node', { node: it.node })})`) : null));
    if (!canCheck) {
      tr.append(h('td', {}, it.result ? tx('span', `insp.result.${it.result}`, null, { class: `badge ${it.result === 'met' ? 'par-met' : 'par-not-met'}` }) : '—'),
        h('td', {}, it.note || ''));
      return tr;
    }
    const form = h('form', { class: 'insp-check', novalidate: true });
    const result = h('select', { name: 'result', id: `check-${it.seq}-result`, 'aria-label': t('insp.result') },
      h('option', { value: '' }, '—'),
      ['met', 'not_met'].map((r) => h('option', { value: r, selected: it.result === r }, t(`insp.result.${r}`))));
    const note = h('input', { type: 'text', name: 'note', id: `check-${it.seq}-note`, value: it.note, 'aria-label': t('insp.note') });
    const save = h('button', { type: 'submit', class: 'btn secondary small', id: `check-${it.seq}-save` }, tx('span', 'insp.save'));
    form.append(result, note, save);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      await busy(save, async () => {
        try {
          const r = await api('PUT', `/api/reform/inspections/${enc(x.id)}/checklist/${it.seq}`, { result: result.value, note: note.value });
          tr.dataset.result = r.result || '';
          save.replaceChildren(tx('span', 'insp.saved'));
        } catch (e) {
          showError(form, e, {}, 'insp');
        }
      });
    });
    tr.append(h('td', { colspan: '2' }, form));
    return tr;
  });
  return h('div', { class: 'card', id: 'insp-checklist' },
    tx('h2', 'insp.checklist', { n: String(x.checklist.length) }),
    x.checklist.length
      ? h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, tx('th', 'insp.seq'), tx('th', 'insp.item'),
          canCheck ? tx('th', 'insp.answer', null, { colspan: '2' }) : [tx('th', 'insp.result'), tx('th', 'insp.note')])),
        h('tbody', {}, rows)))
      : tx('p', 'insp.no_items', null, { class: 'muted' }));
}

function remedyForm(x, f, names, rerender) {
  const plan = x.remedy_plan;
  const form = h('form', { class: 'insp-remedy', id: `remedy-form-${f.id}`, novalidate: true });
  if (!plan) {
    form.append(tx('p', 'insp.no_plan', { unit: unitName(names, x.unit), year: String(x.year) }, { class: 'muted' }));
    return form;
  }
  const id = (n) => `remedy-${f.id}-${n}`;
  const area = h('select', { name: 'area', id: id('area') }, plan.areas.map((a) => h('option', { value: a.code }, `${a.code}. ${a.title}`)));
  const title = h('input', { type: 'text', name: 'title', id: id('title') });
  const owner = h('select', { name: 'owner', id: id('owner') },
    [names.get(x.unit), ...below(names, x.unit)].filter(Boolean).map((u) => h('option', { value: u.code }, u.name)));
  const lead = h('input', { type: 'text', name: 'lead', id: id('lead') });
  const start = h('input', { type: 'date', name: 'start', id: id('start'), value: todayVN() });
  const due = h('input', { type: 'date', name: 'due', id: id('due') });
  const submit = h('button', { type: 'submit', class: 'btn', id: id('submit') }, tx('span', 'insp.remedy.submit'));
  form.append(tx('h4', 'insp.remedy.title'),
    field('reform.area', area), field('insp.remedy.task', title, { required: true }),
    h('div', { class: 'row' }, field('reform.owner', owner), field('reform.lead_officer', lead)),
    h('div', { class: 'row' }, field('reform.start', start, { required: true }), field('reform.due', due, { required: true })),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = { area: area.value, title: title.value.trim(), owner: owner.value, start: start.value, due: due.value };
    if (lead.value.trim()) body.lead = lead.value.trim();
    await busy(submit, async () => {
      try {
        await api('POST', `/api/reform/inspections/${enc(x.id)}/findings/${enc(f.id)}/remedies`, body);
        await rerender();
      } catch (e) {
        showError(form, e, {}, 'insp');
      }
    });
  });
  return form;
}

function findingsCard(x, names, canRecord, canRemedy, rerender) {
  const list = h('ol', { class: 'insp-findings', id: 'insp-findings' }, x.finding_list.map((f) => h('li', { 'data-id': String(f.id), 'data-kind': f.kind },
    h('p', {}, kindBadge(f.kind), ' ', f.text,
      f.evidence ? [' · ', h('a', { href: f.evidence.url, download: f.evidence.name || '' }, tx('span', 'insp.evidence'), f.evidence.name ? `: ${f.evidence.name}` : '')] : null),
    f.kind === 'shortcoming'
      ? h('div', { class: 'insp-remedies' },
        tx('h3', 'insp.remedies_of'),
        f.remedies.length
          ? h('ul', {}, f.remedies.map((r) => h('li', { 'data-task': String(r.id) },
            h('a', { href: `#/cai-cach/nhiem-vu/${enc(r.id)}` }, r.title), ' — ', unitName(names, r.owner), ', ',
            tx('span', 'insp.due_on', { day: fmtDay(r.due) }), ' ', taskBadge(r.status),
            r.due_class === 'overdue' ? [' ', tx('span', 'reform.due.overdue', null, { class: 'badge out-overdue' })] : null,
            ` ${r.progress}%`)))
          : tx('p', 'insp.no_remedies', null, { class: 'muted' }),
        canRemedy ? h('details', {}, tx('summary', 'insp.remedy.add'), remedyForm(x, f, names, rerender)) : null)
      : null)));
  const card = h('div', { class: 'card', id: 'insp-findings-card' }, tx('h2', 'insp.findings_title'),
    x.finding_list.length ? list : tx('p', 'insp.no_findings', null, { class: 'muted' }));
  if (canRecord) card.append(findingForm(x, rerender));
  return card;
}

function readFile(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

function findingForm(x, rerender) {
  const form = h('form', { id: 'finding-form', novalidate: true });
  const kind = h('select', { name: 'kind', id: 'finding-kind' },
    ['shortcoming', 'strength'].map((k) => h('option', { value: k }, t(`insp.kind.${k}`))));
  const text = h('textarea', { name: 'text', id: 'finding-text', rows: '2' });
  const file = h('input', { type: 'file', name: 'file_name', id: 'finding-file', accept: '.pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.odt,.ods' });
  const submit = h('button', { type: 'submit', class: 'btn', id: 'finding-submit' }, tx('span', 'insp.finding.submit'));
  form.append(tx('h3', 'insp.finding.title'), field('insp.kind', kind), field('insp.finding.text', text, { required: true }),
    field('insp.finding.file', file, { hint: 'insp.finding.file_hint' }), h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(submit, async () => {
      try {
        const body = { kind: kind.value, text: text.value.trim() };
        if (file.files && file.files[0]) {
          body.file_name = file.files[0].name;
          body.content_base64 = await readFile(file.files[0]);
        }
        await api('POST', `/api/reform/inspections/${enc(x.id)}/findings`, body);
        await rerender();
      } catch (e) {
        showError(form, e, { content_base64: 'file_name', size: 'file_name', type: 'file_name', name: 'file_name' }, 'insp');
      }
    });
  });
  return form;
}

async function detailPage(root, id, ctx) {
  const [names, x] = await Promise.all([allUnits(), api('GET', `/api/reform/inspections/${enc(id)}`)]);
  const writer = WRITERS.includes(session.user.role);
  const canRecord = writer && x.may_record;
  const dl = h('dl', { class: 'facts', id: 'insp-facts' });
  const fact = (key, value, attrs) => dl.append(tx('dt', key), h('dd', attrs || {}, value));
  fact('insp.inspector', unitName(names, x.inspector));
  fact('insp.team', x.team || '—');
  fact('insp.dates', `${fmtDay(x.from)} – ${fmtDay(x.to)}`);
  fact('insp.status', inspBadge(x.status), { id: 'insp-status', 'data-status': x.status });
  if (x.concluded) fact('insp.concluded', fmtDay(x.concluded));
  fact('insp.remedies', x.remedies ? tx('span', 'insp.open_of', { open: String(x.open_remedies), n: String(x.remedies) }) : '—', { id: 'insp-open' });
  if (x.status === 'concluded' && x.open_remedies) fact('insp.closing', tx('span', 'insp.closing_text'));
  root.append(
    h('p', {}, h('a', { href: `#/kiem-tra?year=${x.year}` }, tx('span', 'insp.back'))),
    h('div', { class: 'card' },
      h('h1', { id: 'insp-title' }, t('insp.of', { unit: unitName(names, x.unit), year: String(x.year) })), dl,
      !x.may_record ? tx('p', 'insp.read_only', { unit: unitName(names, x.inspector) }, { class: 'muted', id: 'insp-readonly' }) : null));
  if (canRecord) {
    const card = stateCard(x, ctx.rerender);
    if (card) root.append(card);
  }
  root.append(checklistCard(x, canRecord && x.status === 'in_progress'));
  const canRemedy = writer && (x.status === 'in_progress' || x.status === 'concluded');
  root.append(findingsCard(x, names, canRecord && x.status === 'in_progress', canRemedy, ctx.rerender));
}

export default async function inspection(root, params, ctx) {
  if (!session.user) return loginCard(root, ctx, 'login.for_reform');
  if (!STAFF.includes(session.user.role)) {
    root.append(h('div', { class: 'notice warn' }, tx('span', 'reform.not_staff')));
    return;
  }
  try {
    if (params.id) await detailPage(root, params.id, ctx);
    else await listPage(root, params, ctx);
  } catch (e) {
    root.append(errorNotice(e));
  }
}
