// calendar.js — the working-day calendar for the administrator (#/quan-tri/lich): a year's
// twelve months as deadlines are counted (GET /api/calendar/{year}: weekends, public holidays
// and compensatory days, swapped days off and the Saturdays worked instead, each with its
// name and the document cited), the Government's decisions recorded in the database (GET
// /api/calendar/decisions) and a form to record one with its days off and swaps (POST; the
// server's refusal next to the field it names). A decision not yet in effect can be deleted.
// Deadlines counted from then on, on every server, use the decisions; an appointment date
// already given on a receipt is not moved (docs/calendar.md).

import { api, session } from './api.js';
import { h, tx, field, showError, clearErrors, busy, errorNotice, toast, fmtDay, fmtInstant, todayVN } from './dom.js';
import { loginCard } from './login.js';
import { t } from './i18n.js';

const KINDS = ['work', 'weekend', 'holiday', 'compensatory', 'swap', 'workday'];

export default async function calendarPage(root, params, ctx) {
  if (!session.user) return loginCard(root, ctx, 'login.for_admin');
  if (session.user.role !== 'admin') {
    root.append(h('div', { class: 'notice warn' }, tx('span', 'admin.not_admin')));
    return;
  }
  let year = /^\d{4}$/.test(params.year || '') ? Number(params.year) : Number(todayVN().slice(0, 4));
  const yearBox = h('section', { class: 'card', id: 'cal-year', 'aria-labelledby': 'cal-year-title' });
  const decBox = h('div', { id: 'cal-decisions' });
  const formBox = h('div', {});
  root.append(h('div', { class: 'page-title' }, tx('h1', 'cal.title')),
    h('p', {}, h('a', { href: '#/quan-tri', i18n: 'cal.back' })),
    tx('p', 'cal.lead', null, { class: 'muted' }),
    yearBox,
    h('div', { class: 'grid grid-side' }, decBox, formBox));
  const drawYear = async () => {
    yearBox.replaceChildren(tx('p', 'loading', null, { class: 'loading' }));
    try {
      const y = await api('GET', `/api/calendar/${year}`);
      yearBox.replaceChildren(...yearView(y, (d) => { year += d; drawYear(); }));
    } catch (e) {
      yearBox.replaceChildren(errorNotice(e));
    }
  };
  const drawDecisions = async () => {
    try {
      const r = await api('GET', '/api/calendar/decisions');
      decBox.replaceChildren(decisionsCard(r.decisions, async () => { await drawDecisions(); await drawYear(); }));
    } catch (e) {
      decBox.replaceChildren(errorNotice(e));
    }
  };
  formBox.replaceChildren(addForm(async (d) => {
    const y = Number(d.changes[0].day.slice(0, 4));
    if (y !== year) year = y;
    await drawDecisions();
    await drawYear();
  }));
  await Promise.all([drawYear(), drawDecisions()]);
}

const pad = (n) => String(n).padStart(2, '0');

function yearView(y, move) {
  const byDate = new Map(y.days.map((d) => [d.date, d]));
  const legend = h('ul', { class: 'cal-legend', id: 'cal-legend' },
    KINDS.map((k) => h('li', {}, h('span', { class: `cal-swatch cal-${k}`, 'aria-hidden': 'true' }), tx('span', `cal.kind.${k}`))),
    h('li', {}, h('span', { class: 'cal-swatch cal-work cal-db', 'aria-hidden': 'true' }), tx('span', 'cal.kind.db')));
  const months = h('div', { class: 'cal-months' });
  for (let m = 1; m <= 12; m++) {
    const first = new Date(Date.UTC(y.year, m - 1, 1));
    const ndays = new Date(Date.UTC(y.year, m, 0)).getUTCDate();
    const lead = (first.getUTCDay() + 6) % 7; // Monday first
    const cells = [];
    for (let i = 0; i < lead; i++) cells.push(h('td', { class: 'cal-pad' }));
    for (let d = 1; d <= ndays; d++) {
      const date = `${y.year}-${pad(m)}-${pad(d)}`;
      const day = byDate.get(date) || { kind: 'work' };
      const label = [`${pad(d)}/${pad(m)}/${y.year}`, t(`cal.kind.${day.kind}`), day.name, day.source].filter(Boolean).join(' — ');
      cells.push(h('td', { class: `cal-day cal-${day.kind}${day.decision ? ' cal-db' : ''}`, title: label, dataset: { date, kind: day.kind } },
        h('span', { 'aria-hidden': 'true' }, String(d)), h('span', { class: 'sr-only' }, label)));
    }
    const rows = [];
    for (let i = 0; i < cells.length; i += 7) rows.push(h('tr', {}, cells.slice(i, i + 7)));
    months.append(h('table', { class: 'cal-month' },
      h('caption', {}, t(`cal.month.${m}`)),
      h('thead', {}, h('tr', {}, [1, 2, 3, 4, 5, 6, 7].map((w) => h('th', { scope: 'col', abbr: t(`cal.wd.${w}`) }, t(`cal.wd.short.${w}`))))),
      h('tbody', {}, rows)));
  }
  const special = y.days.filter((d) => d.kind !== 'work' && d.kind !== 'weekend');
  const list = h('div', { class: 'table-wrap' }, h('table', { id: 'cal-days' },
    h('thead', {}, h('tr', {}, ['cal.date', 'cal.kind', 'cal.name', 'cal.source'].map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', {}, special.map((d) => h('tr', { dataset: { date: d.date } },
      h('td', { class: 'nowrap' }, fmtDay(d.date)),
      h('td', {}, h('span', { class: `cal-swatch cal-${d.kind}`, 'aria-hidden': 'true' }), ' ', tx('span', `cal.kind.${d.kind}`)),
      h('td', {}, d.name || '—'),
      h('td', { class: 'small' }, d.source || '—'))))));
  return [
    h('div', { class: 'cal-head' },
      h('button', { type: 'button', class: 'btn secondary', id: 'cal-prev', 'aria-label': t('cal.prev'), onclick: () => move(-1) }, '←'),
      h('h2', { id: 'cal-year-title' }, t('cal.year', { y: y.year })),
      h('button', { type: 'button', class: 'btn secondary', id: 'cal-next', 'aria-label': t('cal.next'), onclick: () => move(1) }, '→')),
    tx('p', y.decision_file ? 'cal.summary' : 'cal.summary.statutory', { n: y.working_days.toLocaleString('vi-VN'), y: y.year }, { class: 'muted', id: 'cal-summary' }),
    legend, months,
    tx('h3', 'cal.days'), list,
  ];
}

function decisionsCard(list, changed) {
  const today = todayVN();
  const body = list.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'cal-dec-table' },
    h('thead', {}, h('tr', {}, ['cal.d.citation', 'cal.d.dates', 'cal.d.changes', 'cal.d.actions'].map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', {}, list.map((d) => h('tr', { dataset: { id: String(d.id) } },
      h('th', { scope: 'row' }, d.citation, h('div', { class: 'small muted' }, d.issuer)),
      h('td', { class: 'small' }, tx('div', 'cal.d.signed', { d: fmtDay(d.signed_on) }), tx('div', 'cal.d.effective', { d: fmtDay(d.effective) }),
        tx('div', 'cal.d.recorded', { who: d.recorded_by, at: fmtInstant(d.recorded_at) }, { class: 'muted' })),
      h('td', { class: 'small' }, h('ul', { class: 'plain' }, d.changes.map((c) => h('li', {},
        c.kind === 'swap' ? tx('span', 'cal.d.swap', { day: fmtDay(c.day), work: fmtDay(c.work_day) }) : tx('span', 'cal.d.holiday', { day: fmtDay(c.day) }),
        ' — ', c.name)))),
      h('td', {}, d.deletable && d.effective > today
        ? h('button', { type: 'button', class: 'btn secondary', dataset: { del: String(d.id) }, onclick: async (ev) => {
          if (!confirm(t('cal.d.confirm', { c: d.citation }))) return;
          await busy(ev.currentTarget, async () => {
            try {
              await api('DELETE', `/api/calendar/decisions/${d.id}`);
              toast('cal.deleted', { c: d.citation });
              await changed();
            } catch (e) {
              toast('cal.delete_failed', { c: d.citation }, 'error');
            }
          });
        } }, tx('span', 'cal.d.delete'))
        : tx('span', 'cal.d.in_effect', null, { class: 'small muted' }))))))) : tx('p', 'cal.d.none', null, { class: 'muted' });
  return h('section', { class: 'card', 'aria-labelledby': 'cal-dec-title' }, tx('h2', 'cal.decisions', null, { id: 'cal-dec-title' }), body);
}

function addForm(saved) {
  const inp = (name, attrs = {}) => h('input', { type: 'text', name, autocomplete: 'off', ...attrs });
  const c = {
    citation: inp('citation', { placeholder: t('cal.f.citation.ph') }),
    issuer: inp('issuer', { placeholder: t('cal.f.issuer.ph') }),
    signed_on: inp('signed_on', { type: 'date' }),
    effective: inp('effective', { type: 'date' }),
  };
  const rows = h('div', { id: 'cal-changes' });
  const addRow = () => {
    const i = rows.children.length;
    const kind = h('select', { name: `changes[${i}].kind` },
      ['swap', 'holiday'].map((k) => h('option', { value: k, i18n: `cal.f.kind.${k}` })));
    const work = field('cal.f.work_day', inp(`changes[${i}].work_day`, { type: 'date' }));
    kind.addEventListener('change', () => { work.hidden = kind.value !== 'swap'; });
    const fs = h('fieldset', { class: 'cal-change' },
      h('legend', {}, t('cal.f.change', { n: i + 1 })),
      field('cal.f.kind', kind),
      field('cal.f.day', inp(`changes[${i}].day`, { type: 'date' })),
      work,
      field('cal.f.name', inp(`changes[${i}].name`, { placeholder: t('cal.f.name.ph') })));
    rows.append(fs);
  };
  addRow();
  const save = h('button', { type: 'submit', class: 'btn', id: 'cal-save' }, tx('span', 'cal.f.save'));
  const more = h('button', { type: 'button', class: 'btn secondary', id: 'cal-more', onclick: addRow }, tx('span', 'cal.f.more'));
  const form = h('form', { class: 'card', novalidate: true, id: 'cal-form', 'aria-labelledby': 'cal-form-title' },
    tx('h2', 'cal.f.title', null, { id: 'cal-form-title' }),
    tx('p', 'cal.f.lead', null, { class: 'small muted' }),
    field('cal.f.citation', c.citation, { required: true }),
    field('cal.f.issuer', c.issuer, { required: true }),
    field('cal.f.signed_on', c.signed_on, { required: true }),
    field('cal.f.effective', c.effective, { hint: 'cal.f.effective.hint' }),
    rows,
    h('div', { class: 'actions' }, more, save));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = { citation: c.citation.value.trim(), issuer: c.issuer.value.trim(), signed_on: c.signed_on.value };
    if (c.effective.value) body.effective = c.effective.value;
    body.changes = [...rows.children].map((fs, i) => {
      const v = (n) => fs.querySelector(`[name="changes[${i}].${n}"]`).value.trim();
      const ch = { kind: v('kind'), day: v('day'), name: v('name') };
      if (ch.kind === 'swap') ch.work_day = v('work_day');
      return ch;
    });
    await busy(save, async () => {
      let d;
      try {
        d = await api('POST', '/api/calendar/decisions', body);
      } catch (e) {
        showError(form, e);
        return;
      }
      toast('cal.saved', { c: d.citation });
      form.reset();
      rows.replaceChildren();
      addRow();
      await saved(d);
    });
  });
  return form;
}
