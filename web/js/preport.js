// preport.js — the periodic CCHC reports (docs/reports.md):
//   #/bao-cao-dinh-ky            a period (quarter I, 6 months, quarter III, year; the last finished
//                                one by default): the unit's own report (open it, or create it), and
//                                its children's reports with their status (GET /api/preports/children),
//                                from which a parent creates or refreshes its consolidated report
//   #/bao-cao-dinh-ky/ID         one report: the frozen figures, the merged units and the children,
//                                the four sections (written while a draft), submit / accept / return /
//                                reopen / refresh, the .xlsx and PDF, the history
// A refusal of the server is shown in Vietnamese next to the form it concerns.

import { api, session, allUnits, unitName } from './api.js';
import { h, tx, field, errorNotice, showError, clearErrors, busy, fmtDay, fmtInstant } from './dom.js';
import { t } from './i18n.js';
import { loginCard } from './login.js';

const STAFF = ['desk_officer', 'specialist', 'leader', 'admin'];
const WRITERS = ['specialist', 'leader', 'admin'];
const DECIDERS = ['leader', 'admin'];
const SECTIONS = ['results', 'shortcomings', 'causes', 'next'];
const enc = encodeURIComponent;
const href = (id) => `#/bao-cao-dinh-ky/${enc(id)}`;

// The periods' last days (report_period.c): Q1 14/3, 6M 14/6, Q3 14/9, Y 14/12.
const ENDS = [['Q1', 3], ['6M', 6], ['Q3', 9], ['Y', 12]];

function periods() {
  const today = new Date();
  const y = today.getFullYear();
  const list = [];
  for (const year of [y + 1, y, y - 1]) {
    for (const [code, m] of [...ENDS].reverse()) {
      const end = new Date(year, m - 1, 14);
      const start = new Date(code === 'Q3' ? year : year - 1, code === 'Q3' ? 5 : 11, 15);
      if (start > today) continue;
      list.push({ id: `${year}-CCHC-${code}`, code, year, done: end < today });
    }
  }
  return list;
}

const periodLabel = (p) => t(`preport.period.${p.code || p.split('-').pop()}`, { year: String(p.year || p.slice(0, 4)) });

const BADGE = { draft: 'st-submitted', submitted: 'st-received', accepted: 'st-returned', returned: 'out-late' };
function statusBadge(s) {
  return tx('span', `preport.st.${s}`, null, { class: `badge ${BADGE[s] || ''}` });
}

const num = (v) => (v === undefined || v === null ? '—' : Number(v).toLocaleString('vi-VN'));
const rate = (n, d) => (d ? `${(Math.round((n * 1000) / d) / 10).toLocaleString('vi-VN')}%` : '—');

async function listPage(root, params, ctx) {
  const unit = session.user.unit;
  const all = periods();
  const period = params.period || (all.find((p) => p.done) || all[0]).id;
  const [names, kids] = await Promise.all([
    allUnits(),
    api('GET', `/api/preports/children?unit=${enc(unit)}&period=${enc(period)}`),
  ]);
  const select = h('select', { id: 'pr-period', name: 'period' },
    all.map((p) => h('option', { value: p.id, selected: p.id === period }, periodLabel(p))));
  select.addEventListener('change', () => { location.hash = `#/bao-cao-dinh-ky?period=${enc(select.value)}`; });
  const own = h('div', { class: 'card', id: 'pr-own' }, tx('h2', 'preport.own', { unit: unitName(names, unit) }));
  const form = h('form', { novalidate: true });
  const create = async (button, consolidate) => {
    clearErrors(form);
    await busy(button, async () => {
      try {
        const r = await api('POST', '/api/preports', { unit, period, consolidate });
        location.hash = href(r.id);
      } catch (e) {
        showError(form, e, {}, 'preport');
      }
    });
  };
  if (kids.report) {
    own.append(h('p', {}, h('a', { href: href(kids.report), id: 'pr-own-link' }, tx('span', 'preport.open'))));
  } else {
    own.append(tx('p', 'preport.none', null, { class: 'muted' }));
    if (WRITERS.includes(session.user.role)) {
      const b = h('button', { type: 'button', class: 'btn', id: 'pr-create' }, tx('span', 'preport.create'));
      b.addEventListener('click', () => create(b, kids.children.length > 0));
      form.append(h('div', { class: 'actions' }, b));
      if (kids.children.length) form.append(tx('p', 'preport.create_consolidated', null, { class: 'muted' }));
    }
    own.append(form);
  }
  root.append(
    h('div', { class: 'card' }, tx('h1', 'preport.title'), tx('p', 'preport.lead', null, { class: 'muted' }),
      field('preport.period', select)),
    own);
  if (kids.children.length) {
    const submitted = kids.children.filter((k) => k.status === 'submitted' || k.status === 'accepted').length;
    root.append(h('div', { class: 'card', id: 'pr-children' },
      tx('h2', 'preport.children'),
      tx('p', 'preport.children_count', { n: String(submitted), total: String(kids.children.length) }, { class: 'muted' }),
      h('div', { class: 'table-wrap' }, h('table', { id: 'pr-children-table' },
        h('thead', {}, h('tr', {}, tx('th', 'preport.unit'), tx('th', 'preport.status'), tx('th', 'preport.submitted_at'))),
        h('tbody', {}, kids.children.map((k) => h('tr', { 'data-unit': k.unit },
          h('td', {}, k.report ? h('a', { href: href(k.report) }, k.name) : k.name),
          h('td', {}, k.status === 'missing' ? tx('span', 'preport.st.missing', null, { class: 'badge out-overdue' }) : statusBadge(k.status)),
          h('td', {}, k.submitted_at ? fmtInstant(k.submitted_at) : '—'))))))));
  }
  void ctx;
}

function figuresCard(f) {
  const d = f.dossiers || {};
  const all = f.dossiers_all || d;
  const dl = h('dl', { class: 'facts', id: 'pr-figures' });
  const fact = (key, value, vars) => dl.append(tx('dt', key, vars), h('dd', {}, value));
  fact('preport.f.received', num(d.received));
  fact('preport.f.solved', num(d.solved));
  fact('preport.f.ontime', rate(d.ontime_num, d.ontime_den));
  fact('preport.f.overdue', num(d.in_progress_overdue));
  if (f.merged && f.merged.length) fact('preport.f.received_all', num(all.received));
  if (f.index) fact('preport.f.index', `${(f.index.total / f.index.scale).toLocaleString('vi-VN', { maximumFractionDigits: 2 })} / ${(f.index.judged / f.index.scale).toLocaleString('vi-VN', { maximumFractionDigits: 2 })}`);
  if (f.feedback) fact('preport.f.feedback', num(f.feedback.items));
  if (f.tasks) fact('preport.f.tasks', `${num(f.tasks.done)} / ${num(f.tasks.total)}`);
  if (f.inspections) fact('preport.f.inspections', num(f.inspections.carried_out.total + f.inspections.received.total));
  fact('preport.f.par', f.par ? `${(f.par.self / f.par.scale).toLocaleString('vi-VN')} / ${(f.par.max / f.par.scale).toLocaleString('vi-VN')}` : '—');
  const card = h('div', { class: 'card' }, tx('h2', 'preport.figures'),
    tx('p', 'preport.frozen', { day: fmtDay(f.as_of) }, { class: 'muted' }), dl);
  if (f.merged && f.merged.length) {
    card.append(tx('h3', 'preport.merged'), h('ul', { id: 'pr-merged' }, f.merged.map((m) =>
      h('li', {}, m.name, ' ', tx('span', 'preport.merged_until', { day: fmtDay(m.valid_to) }, { class: 'muted' }),
        `: ${num(m.dossiers.received)} `, tx('span', 'preport.f.dossiers')))));
  }
  return card;
}

function childrenCard(c) {
  return h('div', { class: 'card', id: 'pr-consolidated' }, tx('h2', 'preport.consolidated'),
    tx('p', 'preport.children_count', { n: String(c.submitted), total: String(c.submitted + c.missing) }, { class: 'muted' }),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, tx('th', 'preport.unit'), tx('th', 'preport.status'), tx('th', 'preport.f.received'),
        tx('th', 'preport.f.solved'), tx('th', 'preport.f.ontime'))),
      h('tbody', {}, c.units.map((k) => h('tr', { 'data-unit': k.unit },
        h('td', {}, k.name),
        h('td', {}, k.status === 'missing' ? tx('span', 'preport.st.missing', null, { class: 'badge out-overdue' }) : statusBadge(k.status)),
        h('td', { class: 'num' }, k.dossiers ? num(k.dossiers.received) : '—'),
        h('td', { class: 'num' }, k.dossiers ? num(k.dossiers.solved) : '—'),
        h('td', { class: 'num' }, k.dossiers ? rate(k.dossiers.ontime_num, k.dossiers.ontime_den) : '—')))),
      h('tfoot', {}, h('tr', {}, tx('th', 'preport.total'), h('td', {}),
        h('td', { class: 'num' }, num(c.total.dossiers.received)), h('td', { class: 'num' }, num(c.total.dossiers.solved)),
        h('td', { class: 'num' }, rate(c.total.dossiers.ontime_num, c.total.dossiers.ontime_den)))))));
}

async function reportPage(root, id, ctx) {
  const [names, r] = await Promise.all([allUnits(), api('GET', `/api/preports/${enc(id)}`)]);
  const role = session.user.role;
  const writable = r.can.write && r.status === 'draft' && WRITERS.includes(role);
  const act = async (button, form, action, body) => {
    clearErrors(form);
    await busy(button, async () => {
      try {
        await api('POST', `/api/preports/${enc(r.id)}/${action}`, body || {});
        await ctx.rerender();
      } catch (e) {
        showError(form, e, { note: 'note' }, 'preport');
      }
    });
  };
  root.append(
    h('p', {}, h('a', { href: `#/bao-cao-dinh-ky?period=${enc(r.period)}` }, tx('span', 'preport.back'))),
    h('div', { class: 'card' },
      h('h1', { id: 'pr-title' }, t(r.consolidated ? 'preport.h1_consolidated' : 'preport.h1', { period: periodLabel(r.period) })),
      h('p', {}, unitName(names, r.unit), ' — ', tx('span', 'preport.data', { from: fmtDay(r.from), to: fmtDay(r.to) })),
      h('p', { id: 'pr-status' }, statusBadge(r.status),
        r.submitted_at ? [' ', tx('span', 'preport.sent', { at: fmtInstant(r.submitted_at) }, { class: 'muted' })] : null),
      r.status === 'returned' && r.return_reason
        ? h('div', { class: 'notice warn', id: 'pr-reason' }, tx('strong', 'preport.returned_reason'), ' ', r.return_reason) : null,
      h('p', { class: 'actions' },
        h('a', { class: 'btn secondary', href: `/api/preports/${enc(r.id)}/pdf`, id: 'pr-pdf', download: '' }, tx('span', 'preport.pdf')),
        h('a', { class: 'btn secondary', href: `/api/preports/${enc(r.id)}/xlsx`, id: 'pr-xlsx', download: '' }, tx('span', 'preport.xlsx')))),
    figuresCard(r.figures || {}));
  if (r.figures && r.figures.children) root.append(childrenCard(r.figures.children));

  // sections: a form while the unit may write, else the text
  const sform = h('form', { class: 'card', id: 'pr-sections', novalidate: true }, tx('h2', 'preport.sections'));
  const areas = {};
  for (const [i, key] of SECTIONS.entries()) {
    const title = `${['I', 'II', 'III', 'IV'][i]}. ${t(`preport.s.${key}`)}`;
    if (writable) {
      areas[key] = h('textarea', { name: key, id: `pr-s-${key}`, rows: '5' });
      areas[key].value = r.sections[key] || '';
      sform.append(h('div', { class: 'field' }, h('label', { for: `pr-s-${key}` }, title), areas[key]));
    } else {
      const text = r.sections[key] || t('preport.empty');
      sform.append(h('h3', {}, title), h('div', { id: `pr-t-${key}` }, text.split('\n').map((line) => h('p', {}, line))));
    }
  }
  if (writable) {
    const save = h('button', { type: 'button', class: 'btn', id: 'pr-save' }, tx('span', 'preport.save'));
    save.addEventListener('click', async () => {
      clearErrors(sform);
      await busy(save, async () => {
        try {
          const body = {};
          for (const k of SECTIONS) body[k] = areas[k].value;
          await api('PUT', `/api/preports/${enc(r.id)}/sections`, body);
          await ctx.rerender();
        } catch (e) {
          showError(sform, e, {}, 'preport');
        }
      });
    });
    sform.append(h('div', { class: 'actions' }, save));
  }
  root.append(sform);

  // actions
  const aform = h('form', { class: 'card', id: 'pr-actions', novalidate: true }, tx('h2', 'preport.act'));
  const button = (key, cls, id, action, body) => {
    const b = h('button', { type: 'button', class: `btn ${cls}`, id }, tx('span', key));
    b.addEventListener('click', () => act(b, aform, action, typeof body === 'function' ? body() : body));
    return b;
  };
  const buttons = [];
  if (writable) {
    buttons.push(button(r.consolidated ? 'preport.consolidate' : 'preport.refresh', 'secondary', 'pr-refresh', r.consolidated ? 'consolidate' : 'refresh'));
    if (DECIDERS.includes(role)) buttons.push(button('preport.submit', 'ok', 'pr-submit', 'submit'));
  }
  if (r.can.write && r.status === 'returned' && WRITERS.includes(role)) buttons.push(button('preport.reopen', '', 'pr-reopen', 'reopen'));
  if (r.can.decide && r.status === 'submitted' && DECIDERS.includes(role)) {
    const note = h('textarea', { name: 'note', id: 'pr-note', rows: '2' });
    aform.append(field('preport.note', note));
    buttons.push(button('preport.accept', 'ok', 'pr-accept', 'accept'), button('preport.return', 'danger', 'pr-return', 'return', () => ({ note: note.value })));
  }
  if (buttons.length) {
    aform.append(h('div', { class: 'actions' }, buttons));
    root.append(aform);
  }
  root.append(h('div', { class: 'card', id: 'pr-history' }, tx('h2', 'preport.history'),
    h('ol', {}, r.history.map((ev) => h('li', {}, `${fmtInstant(ev.at)} — ${ev.actor}: `,
      tx('span', `preport.ev.${ev.action}`), ev.note ? [' ', h('q', {}, ev.note)] : null)))));
}

export default async function preport(root, params, ctx) {
  if (!session.user) return loginCard(root, ctx, 'login.for_preport');
  if (!STAFF.includes(session.user.role)) {
    root.append(h('div', { class: 'notice warn' }, tx('span', 'preport.not_staff')));
    return;
  }
  try {
    if (params.id) await reportPage(root, params.id, ctx);
    else await listPage(root, params, ctx);
  } catch (e) {
    root.append(errorNotice(e));
  }
}
