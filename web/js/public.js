// public.js — "Công khai kết quả": what a province publishes for everyone, without a login
// (GET /api/public/stats): a unit's results for a period (early, on time, late, overdue, and
// the on-time rate with its numerator and denominator), the same for each of its child units
// ranked by that rate, and the Decision 766 service index ranking of the children. Only
// aggregates; the dossiers behind a figure are for signed-in staff (the dashboard).

import { api, qs } from './api.js';
import { h, tx, field, errorNotice, fmtDay } from './dom.js';
import { t, currentLang, onLangChange, fmtInt, fmtPermille, userText } from './i18n.js';
import { periodOf, fmtDec } from './dashboard.js';
import { exportButtons } from './export.js';

const FIGS = ['received', 'solved', 'solved_early', 'solved_on_time', 'solved_late', 'in_progress_overdue'];

function rateText(r) {
  if (!r) return '—';
  if (currentLang() === 'vi' && r.text) return r.text;
  const pct = r.permille === null || r.permille === undefined ? '—' : fmtPermille(r.permille);
  return `${pct} (${fmtInt(r.numerator)}/${fmtInt(r.denominator_value)} ${t('denom.solved.long')})`;
}

function pct(r) {
  return r && r.permille !== null && r.permille !== undefined ? fmtPermille(r.permille) : '—';
}

export default async function publicStats(root, params, ctx) {
  const periodSel = h('select', { name: 'period', id: 'pub-period' }, ['month', 'last_month', 'quarter', 'year', 'last12', 'last_year'].map((p) =>
    h('option', { value: p, selected: p === (params.period || 'year'), i18n: `dash.period.${p}` })));
  const apply = h('button', { type: 'submit', class: 'btn', id: 'pub-apply' }, tx('span', 'dash.apply'));
  const form = h('form', { class: 'card no-print', novalidate: true, id: 'pub-filters', role: 'search' },
    h('div', { class: 'filters' }, field('dash.period', periodSel), h('div', { class: 'field' }, apply)));
  const out = h('div', { id: 'pub-out', 'aria-live': 'polite' });
  root.append(h('div', { class: 'page-title' }, tx('h1', 'pub.title')), tx('p', 'pub.lead', null, { class: 'muted' }), form, out);

  let unit = params.unit || null;
  let last = null;
  const draw = () => {
    if (last) out.replaceChildren(...render(last, (code) => {
      unit = code;
      location.hash = `#/cong-khai?${new URLSearchParams({ unit: code, period: periodSel.value })}`;
    }));
  };
  let seq = 0;
  const load = async () => {
    const my = ++seq;
    out.replaceChildren(tx('p', 'loading', null, { class: 'loading' }));
    let data;
    try {
      const path = `/api/public/stats${qs({ period: periodOf(periodSel.value, {}), unit })}`;
      data = await api('GET', path);
      data.path = path;
    } catch (e) {
      if (my === seq) out.replaceChildren(errorNotice(e));
      return;
    }
    if (my !== seq) return;
    last = data;
    draw();
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    load();
  });
  const off = onLangChange(() => {
    if (!root.isConnected) {
      off();
      return;
    }
    draw();
  });
  await load();
}

function render(d, pick) {
  const u = d.unit;
  const f = u.figures;
  const head = h('section', { class: 'card', id: 'pub-headline' },
    h('h2', {}, u.name),
    tx('p', 'pub.scope', { from: fmtDay(d.period.from), to: fmtDay(d.period.to) }, { class: 'muted' }),
    h('p', { class: 'rate', id: 'pub-rate' }, tx('span', 'pub.ontime'), ': ', h('strong', {}, rateText(u.ontime))),
    h('div', { class: 'kpis', id: 'pub-kpis' }, FIGS.map((k) => h('div', { class: `kpi ${k.replace('solved_', '').replace('in_progress_', '')}`, id: `pub-kpi-${k}` },
      h('div', { class: 'label' }, t(`fig.${k}`)),
      h('div', { class: 'value' }, fmtInt(f[k]))))));

  const rows = [...d.units].sort((a, b) => (b.ontime ? b.ontime.permille ?? -1 : -1) - (a.ontime ? a.ontime.permille ?? -1 : -1) || b.figures.solved - a.figures.solved);
  const unitsCard = h('section', { class: 'card', 'aria-labelledby': 'pub-units-title' },
    h('div', { class: 'card-head' }, tx('h2', 'pub.units', null, { id: 'pub-units-title' }), tx('span', 'pub.units.note', null, { class: 'small muted' }),
      rows.length && d.path ? exportButtons(d.path, 'export-pub') : null),
    rows.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'pub-units-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', i18n: 'dash.unit' }),
        h('th', { scope: 'col', class: 'num', i18n: 'pub.ontime.short' }),
        FIGS.map((k) => h('th', { scope: 'col', class: 'num' }, t(`pub.col.${k}`))))),
      h('tbody', {}, rows.map((r) => h('tr', { dataset: { unit: r.unit } },
        h('th', { scope: 'row' }, h('a', { href: `#/cong-khai?unit=${encodeURIComponent(r.unit)}`, onclick: (ev) => { ev.preventDefault(); pick(r.unit); } }, r.name)),
        h('td', { class: 'num', title: rateText(r.ontime) }, h('strong', {}, pct(r.ontime))),
        FIGS.map((k) => h('td', { class: 'num' }, fmtInt(r.figures[k])))))))) : tx('p', 'dash.no_data', null, { class: 'muted' }));

  return [head, unitsCard, indexCard(d.index)];
}

function indexCard(index) {
  if (!index) return null;
  const card = h('section', { class: 'card', id: 'pub-index', 'aria-labelledby': 'pub-index-title' },
    h('div', { class: 'card-head' }, tx('h2', 'dash.index', null, { id: 'pub-index-title' }), tx('span', 'dash.index.source', null, { class: 'small muted' })));
  const rows = index.rows || [];
  const groups = (index.columns || []).filter((c) => /^group_/.test(c.key));
  const pts = (v) => (v === null || v === undefined ? '—' : fmtDec(v));
  card.append(h('div', { class: 'table-wrap' }, h('table', { id: 'pub-index-table' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'num', i18n: 'dash.index.rank' }), h('th', { scope: 'col', i18n: 'dash.unit' }),
      h('th', { scope: 'col', class: 'num', i18n: 'dash.index.points' }), h('th', { scope: 'col', class: 'num', i18n: 'dash.index.judged' }),
      groups.map((g) => h('th', { scope: 'col', class: 'num' }, h('abbr', { title: userText(g.header) }, g.key.replace('group_', 'N')))))),
    h('tbody', {}, rows.length ? rows.map((r) => h('tr', { dataset: { unit: r.unit } },
      h('td', { class: 'num' }, r.rank || '—'),
      h('th', { scope: 'row' }, r.name || r.unit),
      h('td', { class: 'num' }, h('strong', {}, pts(r.points))),
      h('td', { class: 'num' }, pts(r.judged)),
      groups.map((g) => h('td', { class: 'num' }, pts(r[g.key])))))
      : h('tr', { class: 'empty-row' }, h('td', { colspan: 4 + groups.length, i18n: 'dash.no_data' }))))),
  groups.length ? h('ul', { class: 'small muted index-groups' }, groups.map((g) => h('li', {}, `${g.key.replace('group_', 'N')}: ${userText(g.header)}`))) : null,
  tx('p', 'dash.index.judged.note', null, { class: 'small muted' }));
  return card;
}
