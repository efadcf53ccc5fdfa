// dashboard.js — the leaders' dashboard: received / solved early, on time, late / in progress
// and overdue for a unit's subtree and a period (GET /api/stats), the same by unit with a chart
// (GET /api/stats/units), every rate with its numerator and the name of its denominator
// (docs/statistics.md: published rates do not share one denominator), the Decision 766 service
// index ranking, and drill-down: every number is a button that lists the dossiers it counts
// (GET /api/stats/dossiers). Charts come from Chart.js, served from /assets/vendor/.

import { api, qs, session, units, allUnits, unitName, procedure } from './api.js';
import { bookCard } from './book.js';
import { h, tx, field, errorNotice, fmtInstant, statusBadge } from './dom.js';
import { t, currentLang, onLangChange, fmtInt, fmtPermille } from './i18n.js';
import { loginCard } from './login.js';
import { loadChart } from './charts.js';
import { loadActions, linksFor, actionBox } from './action.js';
import { exportButtons } from './export.js';

const STAFF = ['desk_officer', 'specialist', 'leader', 'admin'];
const KPIS = [
  { fig: 'received_total', cls: '', sub: ['received', 'carried_over'] },
  { fig: 'solved', cls: '' },
  { fig: 'solved_early', cls: 'early' },
  { fig: 'solved_on_time', cls: 'on_time' },
  { fig: 'solved_late', cls: 'late' },
  { fig: 'in_progress_overdue', cls: 'overdue', sub: ['in_progress'] },
];
const UNIT_COLS = ['received_total', 'solved', 'solved_early', 'solved_on_time', 'solved_late', 'in_progress', 'in_progress_overdue'];
const CHART_SERIES = [
  { fig: 'solved_early', color: '#2e7d32' },
  { fig: 'solved_on_time', color: '#1565c0' },
  { fig: 'solved_late', color: '#c62828' },
  { fig: 'in_progress_overdue', color: '#f29900' },
];

// Period choices -> the API's period syntax (stats_period_parse).
export function periodOf(kind, custom) {
  const now = new Date(Date.now() + 7 * 3600 * 1000);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() + 1;
  const mm = (x) => String(x).padStart(2, '0');
  switch (kind) {
    case 'month': return `${y}-${mm(m)}`;
    case 'last_month': return m === 1 ? `${y - 1}-12` : `${y}-${mm(m - 1)}`;
    case 'quarter': return `${y}-Q${Math.ceil(m / 3)}`;
    case 'year': return `${y}`;
    case 'last_year': return `${y - 1}`;
    case 'last12': {
      // the twelve months up to today: from the day after this date a year ago
      const start = new Date(Date.UTC(y - 1, m - 1, now.getUTCDate() + 1));
      return `${start.toISOString().slice(0, 10)}..${now.toISOString().slice(0, 10)}`;
    }
    default: return custom.from && custom.to ? `${custom.from}..${custom.to}` : `${y}`;
  }
}

export default async function dashboard(root, params, ctx) {
  if (!session.user) return loginCard(root, ctx, 'login.for_dashboard');
  if (!STAFF.includes(session.user.role)) {
    root.append(h('div', { class: 'notice warn' }, tx('span', 'dash.not_staff')));
    return;
  }
  const unitMap = await units();
  // names of units that no longer exist too (a past period shows the units of its day)
  const nameMap = await allUnits().catch(() => unitMap);
  const scoped = [...unitMap.values()].filter((u) => {
    for (let c = u; c; c = unitMap.get(c.parent)) if (c.code === session.user.unit) return true;
    return false;
  }).sort((a, b) => a.code.localeCompare(b.code));

  const unitSel = h('select', { name: 'unit' }, scoped.map((u) => h('option', { value: u.code, selected: u.code === session.user.unit }, u.name)));
  const periodSel = h('select', { name: 'period' }, ['month', 'last_month', 'quarter', 'year', 'last12', 'last_year', 'custom'].map((p) =>
    h('option', { value: p, selected: p === 'year', i18n: `dash.period.${p}` })));
  const from = h('input', { type: 'date', name: 'from' });
  const to = h('input', { type: 'date', name: 'to' });
  const customBox = h('div', { class: 'filters hidden' }, field('dash.from', from), field('dash.to', to));
  const denomSel = h('select', { name: 'denominator' }, ['solved', 'due', 'received', 'handled'].map((d) =>
    h('option', { value: d, i18n: `denom.${d}` })));
  const apply = h('button', { type: 'submit', class: 'btn', id: 'dash-apply' }, tx('span', 'dash.apply'));
  const form = h('form', { class: 'card no-print', novalidate: true, id: 'dash-filters', role: 'search' },
    h('div', { class: 'filters' },
      field('dash.unit', unitSel), field('dash.period', periodSel), field('dash.denominator', denomSel, { hint: 'dash.denominator.hint' }),
      h('div', { class: 'field' }, apply)),
    customBox);
  const out = h('div', { id: 'dash-out', 'aria-live': 'polite' });
  const drill = h('div', { id: 'drill' });
  // overdue feedback and petitions in the user's scope (feedback.js), with the way to the queue
  const fbBox = h('div', { id: 'dash-feedback' });
  root.append(h('div', { class: 'page-title' }, tx('h1', 'dash.title')), fbBox, form, out, drill);
  api('GET', '/api/feedback-stats').then((r) => {
    if (r.overdue > 0) {
      fbBox.replaceChildren(h('div', { class: 'notice warn' }, tx('span', 'dash.feedback_overdue', { n: fmtInt(r.overdue) }), ' ',
        h('a', { href: '#/phan-anh/xu-ly', i18n: 'dash.feedback_open' })));
    }
  }).catch(() => { /* the dashboard stands without it */ });

  let last = null; // the data on screen, redrawn on a language switch
  let chart = null;
  const query = () => ({
    unit: unitSel.value,
    period: periodOf(periodSel.value, { from: from.value, to: to.value }),
    denominator: denomSel.value,
  });

  const draw = async () => {
    if (!last) return;
    if (chart) {
      chart.destroy();
      chart = null;
    }
    out.replaceChildren(...renderAll(last, nameMap, (unit, fig, tmpl) => drillDown(drill, last.q, unit, fig, nameMap, tmpl)));
    const canvas = out.querySelector('#unit-chart');
    if (canvas && last.byUnit.length) {
      try {
        const Chart = await loadChart();
        chart = unitChart(Chart, canvas, last, nameMap, (unit, fig, tmpl) => drillDown(drill, last.q, unit, fig, nameMap, tmpl));
      } catch (e) {
        canvas.replaceWith(errorNotice({ code: 'other', field: null, message: String(e.message || e) }));
      }
    }
  };

  // a later choice wins: an answer to an earlier load that arrives late is dropped (else the
  // first load's "this year" could overwrite the "this month" asked for since)
  let loadSeq = 0;
  const load = async () => {
    const seq = ++loadSeq;
    const q = query();
    out.replaceChildren(tx('p', 'loading', null, { class: 'loading' }));
    drill.replaceChildren();
    let stats;
    let byUnit;
    try {
      [stats, byUnit] = await Promise.all([
        api('GET', `/api/stats${qs(q)}`),
        api('GET', `/api/stats/units${qs({ unit: q.unit, period: q.period })}`),
      ]);
    } catch (e) {
      if (seq !== loadSeq) return;
      out.replaceChildren(errorNotice(e));
      if (e.field && form.querySelector(`[name="${e.field}"]`)) form.querySelector(`[name="${e.field}"]`).setAttribute('aria-invalid', 'true');
      return;
    }
    let index = null;
    try {
      index = await api('GET', `/api/reports/index${qs({ parent: q.unit, period: q.period })}`);
    } catch (e) {
      index = { error: e };
    }
    let officers = null;
    try {
      officers = await api('GET', `/api/stats/officers${qs({ unit: q.unit, period: q.period })}`);
    } catch (e) {
      officers = { error: e };
    }
    if (seq !== loadSeq) return;
    const actions = await loadActions({ unit: q.unit });
    if (seq !== loadSeq) return;
    const rows = foldDesks(byUnit.units, nameMap, q).filter((u) => u.figures.received_total > 0 || u.figures.solved > 0);
    last = { q, stats, byUnit: rows, index, officers, actions };
    await draw();
  };

  periodSel.addEventListener('change', () => customBox.classList.toggle('hidden', periodSel.value !== 'custom'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    form.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    load();
  });
  const off = onLangChange(() => {
    if (!root.isConnected) {
      off();
      return;
    }
    draw();
  });
  if (params.period) periodSel.value = params.period;
  await load();
}

// A rate's value: the API gives it in permille (null when the denominator is 0).
function ratePermille(r) {
  const pm = r.permille ?? (typeof r.percent === 'number' ? Math.round(r.percent * 10) : null);
  return pm === null || pm === undefined ? '—' : fmtPermille(pm);
}

function figLabel(stats, fig) {
  if (currentLang() === 'vi' && stats.labels && stats.labels[fig]) return stats.labels[fig];
  return t(`fig.${fig}`);
}

// "99,4% (2.890/2.907 hồ sơ đã giải quyết)": the server's text in Vietnamese; rebuilt from the
// numbers in English.
function rateText(r) {
  if (!r) return '—';
  if (currentLang() === 'vi' && r.text) return r.text;
  const pct = ratePermille(r);
  return `${pct} (${fmtInt(r.numerator)}/${fmtInt(r.denominator_value)} ${t(`denom.${r.denominator}.long`)})`;
}

function numButton(value, unit, fig, onDrill, label) {
  return h('button', {
    type: 'button', class: 'btn num', dataset: { unit, fig },
    'aria-label': `${label}: ${fmtInt(value)} — ${t('dash.drill.action')}`,
    onclick: () => onDrill(unit, fig),
  }, fmtInt(value));
}

function renderAll(data, unitMap, onDrill) {
  const { q, stats, byUnit, index } = data;
  const f = stats.figures;
  const head = h('p', { class: 'muted', id: 'dash-scope' },
    tx('span', 'dash.scope', { unit: unitName(unitMap, stats.unit), from: fmtInstant(stats.period.from), to: fmtInstant(stats.period.to) }));
  const kpis = h('div', { class: 'kpis', id: 'kpis' }, KPIS.map((k) => h('div', { class: `kpi ${k.cls}`, id: `kpi-${k.fig}` },
    h('div', { class: 'label' }, figLabel(stats, k.fig)),
    h('div', { class: 'value' }, numButton(f[k.fig], q.unit, k.fig, onDrill, figLabel(stats, k.fig))),
    k.sub ? h('div', { class: 'small muted' }, k.sub.map((s, i) => [i ? ' · ' : '', `${figLabel(stats, s)}: `, numButton(f[s], q.unit, s, onDrill, figLabel(stats, s))])) : null)));

  const ontime = stats.rates.find((r) => r.metric === 'ontime');
  const rates = h('section', { class: 'card', 'aria-labelledby': 'rates-title' },
    h('div', { class: 'card-head' }, tx('h2', 'dash.rates', null, { id: 'rates-title' }), tx('span', 'dash.rates.note', null, { class: 'small muted' }),
      exportButtons(`/api/stats${qs(q)}`, 'export-rates')),
    ontime ? h('p', { class: 'rate', id: 'rate-ontime' }, tx('span', 'metric.ontime'), ': ', h('strong', {}, rateText(ontime))) : null,
    h('div', { class: 'table-wrap' }, h('table', { id: 'rates-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', i18n: 'dash.rate.metric' }), h('th', { scope: 'col', class: 'num', i18n: 'dash.rate.value' }), h('th', { scope: 'col', i18n: 'dash.rate.basis' }))),
      h('tbody', {}, stats.rates.map((r) => h('tr', { dataset: { metric: r.metric } },
        h('th', { scope: 'row' }, t(`metric.${r.metric}`)),
        h('td', { class: 'num' }, ratePermille(r)),
        h('td', {}, `${fmtInt(r.numerator)} / ${fmtInt(r.denominator_value)} `, h('span', { class: 'muted' }, currentLang() === 'vi' ? r.denominator_label : t(`denom.${r.denominator}.long`)))))))));

  const chartCard = h('section', { class: 'card', 'aria-labelledby': 'units-title' },
    h('div', { class: 'card-head' }, tx('h2', 'dash.by_unit', null, { id: 'units-title' }), tx('span', 'dash.by_unit.note', null, { class: 'small muted' }),
      exportLink(q, 'summary', 'export-summary'), ' ', exportLink(q, 'summary', 'export-summary-pdf', 'pdf')),
    byUnit.length
      ? h('div', { class: 'chart-box', style: null }, h('canvas', { id: 'unit-chart', role: 'img', 'aria-label': t('dash.chart.alt') }))
      : tx('p', 'dash.no_data', null, { class: 'muted' }),
    byUnit.length ? h('div', { class: 'table-wrap', style: null }, h('table', { id: 'units-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', i18n: 'dash.unit' }), UNIT_COLS.map((c) => h('th', { scope: 'col', class: 'num' }, figLabel(stats, c))), h('th', { scope: 'col' }, t('metric.ontime')),
        h('th', { scope: 'col', i18n: 'dash.late_tasks' }))),
      h('tbody', {}, byUnit.map((u) => h('tr', { dataset: { unit: u.unit } },
        h('th', { scope: 'row' }, unitName(unitMap, u.unit)),
        UNIT_COLS.map((c) => h('td', { class: 'num' }, numButton(u.figures[c], u.unit, c, (unit, fig) => onDrill(unit, fig, u.drill), `${unitName(unitMap, u.unit)} — ${figLabel(stats, c)}`))),
        h('td', { class: 'small' }, rateText(u.ontime)),
        h('td', { class: 'small' }, lateAction(data.actions, u, unitMap, stats))))))) : null);

  // the units' table takes the page's width (its figures are the leaders' first read); the
  // officers, rates and the service index share the row below
  return [head, kpis, chartCard, h('div', { class: 'grid grid-side' }, h('div', {}, officersCard(data.officers, unitMap, onDrill, data.q)), h('div', {}, rates, indexCard(index, unitMap, q, data.actions), bookCard(q)))];
}

// A unit's late dossiers as a figure of the action tracker: the tasks made from them, and a
// leader's button while some are overdue.
function lateAction(actions, u, unitMap, stats) {
  const n = u.figures.in_progress_overdue || 0;
  if (!n && !linksFor(actions, 'late', u.unit).length) return null;
  return actionBox(actions, {
    kind: 'late', unit: u.unit, unitName: unitName(unitMap, u.unit),
    value: `${fmtInt(n)} ${figLabel(stats, 'in_progress_overdue').toLowerCase()}`,
    title: t('agenda.late_task', { unit: unitName(unitMap, u.unit) }),
  }, null, { compact: true });
}

// A unit's weakest Decision 766 group (the lowest share of its maximum, read from the column's
// header "… (tối đa 20)" when it names one, else the lowest points) as a figure of the action
// tracker: the tasks made from its groups, and a leader's button for the weakest.
function indexAction(actions, r, groups, unitMap) {
  const made = groups.flatMap((g) => linksFor(actions, 'indicator', r.unit, '', g.key));
  const share = (g) => {
    const m = /\((\d+(?:[.,]\d+)?)[^\d()]*\)\s*$/.exec(g.header || '');
    const v = Number(r[g.key]);
    return m ? v / Number(m[1].replace(',', '.')) : v;
  };
  const scored = groups.filter((g) => r[g.key] !== null && r[g.key] !== undefined);
  if (!scored.length) return made.length ? actionBox(actions, { kind: 'indicator', unit: r.unit, ref: made[0].ref }) : null;
  const weak = scored.reduce((a, b) => (share(b) < share(a) ? b : a));
  const fig = {
    kind: 'indicator', unit: r.unit, unitName: r.name || unitName(unitMap, r.unit), ref: weak.key, refLabel: weak.header,
    value: `${fmtDec(r[weak.key])}`, title: t('dash.index.task', { group: weak.header }),
  };
  const others = made.filter((l) => l.ref !== weak.key);
  const box = actionBox(actions, fig, null, { compact: true });
  return others.length ? h('span', {}, ...others.map((l) => actionBox(actions, { kind: 'indicator', unit: r.unit, ref: l.ref })), box) : box;
}

// The tasks already made from a unit's groups, for a unit outside the weak half.
function indexLinks(actions, r, groups) {
  const made = groups.filter((g) => linksFor(actions, 'indicator', r.unit, '', g.key).length);
  return made.length ? h('div', { class: 'small' }, made.map((g) => actionBox(actions, { kind: 'indicator', unit: r.unit, ref: g.key }, null, { readonly: true }))) : null;
}

// The Decision 766 service index ranking of the unit's children (GET /api/reports/index: rank,
// points out of 100, the maximum the available data could judge, points per group). A server
// without that route gets a notice saying so instead of a blank card.
function indexCard(index, unitMap, q, actions) {
  const card = h('section', { class: 'card', id: 'index-card', 'aria-labelledby': 'index-title' },
    h('div', { class: 'card-head' }, tx('h2', 'dash.index', null, { id: 'index-title' }), tx('span', 'dash.index.source', null, { class: 'small muted' }),
      index && !index.error ? [exportLink(q, 'index', 'export-index'), ' ', exportLink(q, 'index', 'export-index-pdf', 'pdf')] : null));
  if (!index || index.error) {
    const e = index && index.error;
    card.append(e && e.status === 404 && !e.field
      ? h('div', { class: 'notice info' }, tx('span', 'dash.index.missing'))
      : errorNotice(e || { code: 'other', field: null, message: '' }));
    return card;
  }
  const rows = index.rows || index.units || [];
  const groups = (index.columns || []).filter((c) => /^group_/.test(c.key));
  const ranks = new Map();
  for (const r of rows) ranks.set(r.rank, (ranks.get(r.rank) || 0) + 1);
  const pts = (v) => (v === null || v === undefined ? '—' : fmtDec(v));
  // the weak half of the ranking (below the median points) gets the leader's button
  const sorted = rows.map((r) => Number(r.points)).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0;
  if (index.subtitle) card.append(h('p', { class: 'small muted' }, index.subtitle));
  card.append(h('div', { class: 'table-wrap' }, h('table', { id: 'index-table' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'num', i18n: 'dash.index.rank' }), h('th', { scope: 'col', i18n: 'dash.unit' }),
      h('th', { scope: 'col', class: 'num', i18n: 'dash.index.points' }), h('th', { scope: 'col', class: 'num', i18n: 'dash.index.judged' }),
      groups.map((g) => h('th', { scope: 'col', class: 'num', title: g.header }, h('abbr', { title: g.header }, g.key.replace('group_', 'N')))))),
    h('tbody', {}, rows.length ? rows.map((r) => h('tr', { class: r.rank ? `rank-${r.rank}` : '', dataset: { unit: r.unit } },
      h('td', { class: 'num' }, r.rank || '—', ranks.get(r.rank) > 1 ? tx('span', 'par.tie', null, { class: 'badge par-tie' }) : null),
      h('th', { scope: 'row' }, r.name || unitName(unitMap, r.unit),
        r.points !== null && r.points !== undefined && Number(r.points) < median ? h('div', { class: 'small' }, indexAction(actions, r, groups, unitMap)) : indexLinks(actions, r, groups)),
      h('td', { class: 'num' }, h('strong', {}, pts(r.points))),
      h('td', { class: 'num' }, pts(r.judged)),
      groups.map((g) => h('td', { class: 'num' }, pts(r[g.key])))))
      : h('tr', { class: 'empty-row' }, h('td', { colspan: 4 + groups.length, i18n: 'dash.no_data' }))))),
  groups.length ? h('ul', { class: 'small muted index-groups' }, groups.map((g) => h('li', {}, `${g.key.replace('group_', 'N')}: ${g.header}`))) : null,
  tx('p', 'dash.index.judged.note', null, { class: 'small muted' }));
  return card;
}

// Steps finished and finished late (against the step's own deadline) per officer and step
// (GET /api/stats/officers, most late first): who holds things up, and where. Each count
// drills down to its dossiers through the address the server gives. Shows the first 15.
const OFFICER_ROWS = 15;
function officersCard(data, unitMap, onDrill, q) {
  const card = h('section', { class: 'card', id: 'officers-card', 'aria-labelledby': 'officers-title' },
    h('div', { class: 'card-head' }, tx('h2', 'dash.officers', null, { id: 'officers-title' }), tx('span', 'dash.officers.note', null, { class: 'small muted' }),
      data && !data.error && q ? exportButtons(`/api/stats/officers${qs({ unit: q.unit, period: q.period })}`, 'export-officers') : null));
  if (!data || data.error) {
    const e = data && data.error;
    card.append(e && e.status === 404 && !e.field ? h('div', { class: 'notice info' }, tx('span', 'dash.officers.missing')) : errorNotice(e || { code: 'other', field: null, message: '' }));
    return card;
  }
  const rows = [...(data.officers || [])].sort((a, b) => b.steps_late - a.steps_late || b.steps_done - a.steps_done).slice(0, OFFICER_ROWS);
  const btn = (r, fig) => h('button', {
    type: 'button', class: 'btn num', dataset: { fig },
    'aria-label': `${r.name || r.officer || t('dash.officers.none')} — ${t('dash.officers.step', { n: r.step })}: ${fmtInt(r[fig])} — ${t('dash.drill.action')}`,
    onclick: () => onDrill(r.unit, fig, r.drill && r.drill[fig]),
  }, fmtInt(r[fig]));
  card.append(h('div', { class: 'table-wrap' }, h('table', { id: 'officers-table' },
    h('thead', {}, h('tr', {}, ['dash.officers.officer', 'dash.unit', 'dash.officers.step_col', 'fig.steps_done', 'fig.steps_late']
      .map((k, i) => h('th', { scope: 'col', class: i >= 2 ? 'num' : null, i18n: k })))),
    h('tbody', {}, rows.length ? rows.map((r) => h('tr', { dataset: { officer: r.officer || '' } },
      // the account's full name, its username beneath; a bare username when it has no account
      r.name ? h('th', { scope: 'row', class: 'small' }, h('span', { class: 'officer-name' }, r.name), h('br'), h('span', { class: 'mono muted' }, r.officer))
        : h('th', { scope: 'row', class: 'mono small' }, r.officer || t('dash.officers.none')),
      h('td', { class: 'small' }, unitName(unitMap, r.unit)),
      h('td', { class: 'num' }, r.step === null || r.step === undefined ? '—' : String(r.step)),
      h('td', { class: 'num' }, btn(r, 'steps_done')),
      h('td', { class: 'num' }, r.steps_late ? h('strong', { class: 'late-count' }, btn(r, 'steps_late')) : btn(r, 'steps_late'))))
      : h('tr', { class: 'empty-row' }, h('td', { colspan: 5, i18n: 'dash.no_data' }))))),
  // '' not null: append() writes a null as the text "null"
  (data.officers || []).length > OFFICER_ROWS ? tx('p', 'dash.officers.more', { n: OFFICER_ROWS, all: data.officers.length }, { class: 'small muted' }) : '');
  return card;
}

// Points with two decimals, always (a column reads evenly), as the language writes them.
export function fmtDec(v) {
  return new Intl.NumberFormat(currentLang() === 'vi' ? 'vi-VN' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
}

// A commune's (ward's …) one-stop desk is a counter of that commune, not a peer: its dossiers
// are counted in the commune's row, whose drill-down then lists the commune's subtree (the
// commune and its desks: only units whose children are all desks are folded, so the subtree is
// exactly the row). Rates are recomputed from the summed figures.
export function foldDesks(rows, unitMap, q) {
  const kids = new Map();
  for (const u of unitMap.values()) {
    if (!u.parent) continue;
    if (!kids.has(u.parent)) kids.set(u.parent, []);
    kids.get(u.parent).push(u);
  }
  const foldable = (code) => (kids.get(code) || []).length > 0 && kids.get(code).every((k) => k.kind === 'desk');
  const out = new Map();
  for (const r of rows) {
    const u = unitMap.get(r.unit);
    const target = u && u.kind === 'desk' && u.parent && foldable(u.parent) ? u.parent : r.unit;
    let row = out.get(target);
    if (!row) {
      row = { unit: target, figures: {}, drill: r.drill, ontime: r.ontime };
      if (foldable(target)) row.drill = `/api/stats/dossiers${qs({ period: q.period, unit: target })}&figure={figure}`;
      out.set(target, row);
    }
    for (const [k, v] of Object.entries(r.figures)) row.figures[k] = (row.figures[k] || 0) + v;
  }
  for (const row of out.values()) {
    if (!foldable(row.unit)) continue;
    const f = row.figures;
    const num = (f.solved_early || 0) + (f.solved_on_time || 0);
    row.ontime = { metric: 'ontime', denominator: 'solved', numerator: num, denominator_value: f.solved || 0, permille: f.solved ? Math.round((num * 1000) / f.solved) : null };
  }
  return [...out.values()];
}

// The peers ranked by their on-time rate: each bar is the unit's solved dossiers, 100%, split
// into early, on time and late (the counts in the tooltip); units without a solved dossier last.
const SOLVED_SERIES = CHART_SERIES.filter((s) => s.fig !== 'in_progress_overdue');
function unitChart(Chart, canvas, data, unitMap, onDrill) {
  const pm = (u) => (u.figures.solved ? ((u.figures.solved_early + u.figures.solved_on_time) * 1000) / u.figures.solved : -1);
  const rows = [...data.byUnit].sort((a, b) => pm(b) - pm(a) || b.figures.solved - a.figures.solved);
  const labels = rows.map((u) => unitName(unitMap, u.unit));
  canvas.parentElement.style.height = `${Math.max(220, 70 + rows.length * 26)}px`;
  const share = (u, fig) => (u.figures.solved ? (u.figures[fig] * 100) / u.figures.solved : 0);
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: SOLVED_SERIES.map((s) => ({
        label: figLabel(data.stats, s.fig),
        data: rows.map((u) => share(u, s.fig)),
        backgroundColor: s.color,
        borderWidth: 0,
        fig: s.fig,
      })),
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true, min: 0, max: 100, ticks: { callback: (v) => `${v}%` } },
        y: { stacked: true, ticks: { autoSkip: false } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            label: (c) => `${c.dataset.label}: ${fmtInt(rows[c.dataIndex].figures[c.dataset.fig])} (${fmtPermille(Math.round(c.raw * 10))})`,
          },
        },
      },
      onClick: (ev, els) => {
        if (!els.length) return;
        const { datasetIndex, index } = els[0];
        onDrill(rows[index].unit, SOLVED_SERIES[datasetIndex].fig, rows[index].drill);
      },
    },
  });
}

// A cell with the procedure's name (fetched once per procedure), its code beside it small.
function procNameCell(code) {
  const td = h('td', {}, h('span', { class: 'mono small' }, code));
  procedure(code).then((p) => td.replaceChildren(h('span', {}, p.name), ' ', h('span', { class: 'mono small muted' }, p.code))).catch(() => {});
  return td;
}

// The report of the dashboard's unit and period as an Excel workbook or a PDF (GET
// /api/reports/summary?format=xlsx|pdf, the periodic report, with its Vietnamese headers).
function exportLink(q, kind, id, format = 'xlsx') {
  return h('a', {
    class: 'btn secondary no-print', id,
    href: `/api/reports/${kind}${qs(kind === 'index' ? { parent: q.unit, period: q.period, format } : { unit: q.unit, period: q.period, format })}`,
    download: '',
  }, tx('span', `dash.export.${format}`));
}

// tmpl: a row's own drill-down address from the server ("…&own=1&figure={figure}": the rows
// count each unit's own dossiers, not its subtree's); without it, the unit's subtree.
async function drillDown(box, q, unit, fig, unitMap, tmpl) {
  box.replaceChildren(h('section', { class: 'card' }, tx('p', 'loading', null, { class: 'loading' })));
  let r;
  const url = tmpl ? `${tmpl.replace('{figure}', encodeURIComponent(fig))}&limit=500`
    : `/api/stats/dossiers${qs({ unit, period: q.period, figure: fig, limit: 500 })}`;
  try {
    r = await api('GET', url);
  } catch (e) {
    box.replaceChildren(h('section', { class: 'card' }, errorNotice(e)));
    return;
  }
  const title = h('h2', { id: 'drill-title', tabindex: '-1' }, tx('span', 'dash.drill.title', { fig: t(`fig.${fig}`), n: fmtInt(r.count), unit: unitName(unitMap, unit) }));
  const close = h('button', { type: 'button', class: 'btn secondary' }, tx('span', 'dash.drill.close'));
  close.addEventListener('click', () => box.replaceChildren());
  box.replaceChildren(h('section', { class: 'card', id: 'drill-card', 'aria-labelledby': 'drill-title' },
    h('div', { class: 'card-head' }, title, exportButtons(url, 'export-drill'), close),
    r.truncated ? h('div', { class: 'notice warn' }, tx('span', 'dash.drill.truncated', { n: r.dossiers.length })) : null,
    h('div', { class: 'table-wrap' }, h('table', { id: 'drill-table' },
      h('thead', {}, h('tr', {}, ['col.code', 'dash.unit', 'col.procedure', 'col.received', 'col.due', 'col.status'].map((k) => h('th', { scope: 'col', i18n: k })))),
      h('tbody', {}, r.dossiers.length ? r.dossiers.map((d) => h('tr', {},
        h('td', {}, h('a', { class: 'mono', href: `#/mot-cua/ho-so/${encodeURIComponent(d.code)}` }, d.code)),
        h('td', {}, unitName(unitMap, d.unit)),
        procNameCell(d.procedure),
        h('td', { class: 'nowrap' }, fmtInstant(d.received_at)),
        h('td', { class: 'nowrap' }, fmtInstant(d.due_at)),
        h('td', {}, statusBadge(d.status))))
        : h('tr', { class: 'empty-row' }, h('td', { colspan: 6, i18n: 'desk.list.empty' })))))));
  title.focus();
  title.scrollIntoView({ block: 'start' });
}
