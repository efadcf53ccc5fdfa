// par.js — the PAR index pages (Chỉ số CCHC, docs/par.md):
//   #/chi-so-cchc                      the assessment rounds and their phases (GET /api/par/rounds)
//   #/chi-so-cchc/R                    a round's results: the ranking (ties share a rank), index %,
//                                      points per area, change of rank against last year, targets,
//                                      and a chart of the area points (GET …/rounds/R/results)
//   #/chi-so-cchc/R/don-vi/U           one unit: the criteria tree with each criterion's maximum;
//                                      unit officers (specialist, leader) self-assess during the
//                                      self phase (POST …/units/U/self), the council's assessors
//                                      re-score during appraisal (POST …/units/U/appraisal).
// Every criterion is saved on its own and the server's refusal (over the maximum, too many
// decimals, wrong phase …) is shown next to that criterion's points.
// The criteria tree and a unit's stored scores come from GET /api/par/rounds/R and
// GET /api/par/rounds/R/units/U where the server has them; without them the unit page still
// lets an officer score a criterion by its code (the results list the unscored ones) and says
// what is missing, and the results page names areas by their code.

import { api, session, allUnits, unitName } from './api.js';
import { h, tx, field, errorNotice, showError, clearErrors, busy, fmtInstant, fmtDay, toast } from './dom.js';
import { t, has, currentLang, onLangChange, fmtInt } from './i18n.js';
import { loginCard } from './login.js';
import { loadChart } from './charts.js';
import { loadActions, linksFor, actionBox, canAct } from './action.js';
import { exportButtons } from './export.js';

const PAR_ROLES = ['desk_officer', 'specialist', 'leader', 'par_assessor', 'admin'];
const SELF_ROLES = ['specialist', 'leader'];
const AREA_COLORS = ['#0b4f94', '#2e7d32', '#a31d1d', '#8a5200', '#6a1b9a', '#00695c', '#ad1457', '#37474f', '#5d4037', '#1565c0'];
const ERR_FIELDS = { self: 'points', appraised: 'points', points: 'points', node: 'points', comment: 'comment' };

// --- small helpers

const enc = encodeURIComponent;
const roundHref = (r) => `#/chi-so-cchc/${enc(r)}`;
const unitHref = (r, u) => `#/chi-so-cchc/${enc(r)}/don-vi/${enc(u)}`;

// Points as the language writes them, two decimals: 12,50 / 12.50. Accepts numbers and the
// API's decimal strings ("3.50").
export function fmtPts(v, decimals = 2) {
  if (v === null || v === undefined || v === '') return '—';
  const n = typeof v === 'number' ? v : Number(String(v).replace(',', '.'));
  if (!Number.isFinite(n)) return String(v);
  return new Intl.NumberFormat(currentLang() === 'vi' ? 'vi-VN' : 'en-GB', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(n);
}

function phaseBadge(round) {
  return h('span', { class: `badge par-${round.phase}`, i18n: `par.phase.${round.phase}` });
}

// An API call whose absence (404 without a field: no such route) is an answer, not an error.
async function optional(path) {
  try {
    return { data: await api('GET', path) };
  } catch (e) {
    if (e.status === 404 && !e.field) return { missing: true, error: e };
    if (e.status === 405 || e.code === 'not_implemented') return { missing: true, error: e };
    return { error: e };
  }
}

// The criteria tree from a round's detail, whatever its wrapping: nested "children" (as
// `cchc par export-set --format json` writes it) or flat rows with "parent".
export function criteriaTree(detail) {
  if (!detail) return null;
  const set = detail.set && typeof detail.set === 'object' ? detail.set : detail.criteria_set || detail;
  let nodes = set.nodes || set.criteria || set.tree || detail.nodes || detail.criteria || detail.tree;
  if (!Array.isArray(nodes) || !nodes.length) return null;
  if (!nodes.some((n) => Array.isArray(n.children)) && nodes.some((n) => n.parent)) {
    const byCode = new Map(nodes.map((n) => [n.code, { ...n, children: [] }]));
    const roots = [];
    for (const n of byCode.values()) {
      const p = n.parent && byCode.get(n.parent);
      if (p) p.children.push(n);
      else roots.push(n);
    }
    nodes = roots;
  }
  const info = {
    code: set.code || detail.set_code || null,
    title: set.title || null,
    version: set.version || null,
    decimals: set.decimals ?? 2,
    max: set.max ?? null,
    legal: set.legal_source || null,
  };
  return { info, nodes };
}

function walk(nodes, fn, depth = 0) {
  for (const n of nodes || []) {
    fn(n, depth);
    walk(n.children, fn, depth + 1);
  }
}

// A unit's stored scores: Map node -> {self, appraised, survey, computed, comments, evidence}.
export function cellsOf(data) {
  const out = new Map();
  if (!data) return out;
  let cells = data.leaves || data.cells || data.scores || data.nodes || data.criteria || (data.unit && data.unit.cells) || [];
  if (!Array.isArray(cells) && typeof cells === 'object') cells = Object.entries(cells).map(([node, c]) => ({ node, ...c }));
  walk(cells, (c) => {
    const node = c.node || c.code;
    if (node) out.set(node, c);
  });
  return out;
}

// --- the pages

export default async function par(root, params, ctx) {
  if (!session.user) return loginCard(root, ctx, 'login.for_par');
  if (!PAR_ROLES.includes(session.user.role)) {
    root.append(h('div', { class: 'notice warn' }, tx('span', 'par.not_staff')));
    return;
  }
  if (params.round && params.unit) return unitPage(root, params.round, params.unit);
  if (params.round) return resultsPage(root, params.round);
  return roundsPage(root);
}

// The rounds, newest year first, with what the signed-in user can do in each.
async function roundsPage(root) {
  root.append(h('div', { class: 'page-title' }, tx('h1', 'par.title')), tx('p', 'par.lead', null, { class: 'muted' }));
  let r;
  try {
    r = await api('GET', '/api/par/rounds');
  } catch (e) {
    root.append(errorNotice(e));
    return;
  }
  const me = session.user;
  const rows = r.rounds || [];
  const table = h('table', { id: 'par-rounds' },
    tx('caption', 'par.rounds.caption', { n: rows.length }, { class: 'sr-only' }),
    h('thead', {}, h('tr', {}, ['par.round', 'par.year', 'par.set', 'par.phase', 'par.units', 'par.period', 'par.actions']
      .map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', {}, rows.length ? rows.map((x) => h('tr', { dataset: { round: x.code } },
      h('th', { scope: 'row' }, h('a', { href: roundHref(x.code), class: 'mono' }, x.code), x.title ? h('div', { class: 'small' }, x.title) : null),
      h('td', {}, String(x.year)),
      h('td', { class: 'small' }, h('span', { class: 'mono' }, x.set), x.set_version ? ` (${x.set_version})` : ''),
      h('td', {}, phaseBadge(x), closedNote(x)),
      h('td', { class: 'num' }, fmtInt(x.units)),
      h('td', { class: 'nowrap small' }, `${fmtDay(x.period_from)} – ${fmtDay(x.period_to)}`),
      h('td', { class: 'actions-cell' },
        h('a', { class: 'btn secondary', href: roundHref(x.code), id: `results-${x.code}` }, tx('span', 'par.results.open')),
        SELF_ROLES.includes(me.role) && me.unit && x.phase !== 'published'
          ? h('a', { class: 'btn', href: unitHref(x.code, me.unit), id: `self-${x.code}` }, tx('span', 'par.self.open'))
          : null)))
      : h('tr', { class: 'empty-row' }, h('td', { colspan: 7, i18n: 'par.rounds.empty' }))));
  root.append(h('section', { class: 'card', 'aria-labelledby': 'rounds-title' },
    h('div', { class: 'card-head' }, tx('h2', 'par.rounds', null, { id: 'rounds-title' }), rows.length ? exportButtons('/api/par/rounds', 'export-rounds') : null),
    h('div', { class: 'table-wrap' }, table),
    tx('p', 'par.phases.note', null, { class: 'small muted' })));
  if (me.role === 'admin') root.append(await newRoundForm(rows));
}

// The administrator's new round (POST /api/par/rounds): a criteria set stored in the system,
// the year and its code; the units assessed are those of the set's scope (communes and wards
// for a commune set …) under the administrator's unit or under a unit chosen in that scope.
async function newRoundForm(rounds) {
  let sets = [];
  let scoped = [];
  try {
    sets = (await api('GET', '/api/par/sets')).sets || [];
    const all = await allUnits();
    const under = (u) => {
      for (let c = u; c; c = all.get(c.parent)) if (c.code === session.user.unit) return true;
      return false;
    };
    scoped = [...all.values()].filter((u) => !u.valid_to && u.kind !== 'desk' && under(u));
  } catch (e) {
    return h('section', { class: 'card' }, tx('h2', 'par.new.title'), errorNotice(e));
  }
  const year = new Date().getFullYear();
  const setSel = h('select', { name: 'set', id: 'new-round-set' },
    sets.map((s) => h('option', { value: `${s.code}@${s.version}` },
      `${s.title} (${t(`par.scope.${s.scope}`)}, ${s.year})`)));
  const yearIn = h('input', { type: 'number', name: 'year', id: 'new-round-year', min: 2000, max: 2100, value: String(year), inputmode: 'numeric' });
  const code = h('input', { type: 'text', name: 'round', id: 'new-round-code', maxlength: 31, autocomplete: 'off', class: 'mono' });
  const title = h('input', { type: 'text', name: 'title', id: 'new-round-title', maxlength: 199, autocomplete: 'off' });
  const underSel = h('select', { name: 'under', id: 'new-round-under' },
    scoped.sort((a, b) => (a.code === session.user.unit ? -1 : b.code === session.user.unit ? 1 : a.name.localeCompare(b.name, 'vi')))
      .map((u) => h('option', { value: u.code }, u.name)));
  // a code and a title proposed from the set and the year, until the administrator types one
  const taken = new Set(rounds.map((r) => r.code));
  let codeTyped = false;
  let titleTyped = false;
  const propose = () => {
    const s = sets.find((x) => `${x.code}@${x.version}` === setSel.value);
    if (!s) return;
    const base = `${s.scope === 'commune' ? 'XA' : s.scope === 'province' ? 'TINH' : s.code}-${yearIn.value}`;
    let c = base;
    for (let i = 2; taken.has(c); i++) c = `${base}-${i}`;
    if (!codeTyped) code.value = c;
    if (!titleTyped) title.value = t('par.new.title_auto', { set: s.title, year: yearIn.value });
  };
  code.addEventListener('input', () => { codeTyped = true; });
  title.addEventListener('input', () => { titleTyped = true; });
  setSel.addEventListener('change', propose);
  yearIn.addEventListener('input', propose);
  propose();
  const submit = h('button', { type: 'submit', class: 'btn', id: 'new-round-submit' }, tx('span', 'par.new.submit'));
  const form = h('form', { class: 'card', novalidate: true, id: 'new-round', 'aria-labelledby': 'new-round-title-h' },
    tx('h2', 'par.new.title', null, { id: 'new-round-title-h' }),
    sets.length ? null : h('div', { class: 'notice warn' }, tx('span', 'par.new.no_sets')),
    h('div', { class: 'row' },
      field('par.set', setSel, { required: true }),
      field('par.year', yearIn, { required: true }),
      field('par.new.code', code, { required: true, hint: 'par.new.code.hint' }),
      field('par.new.name', title),
      field('par.new.under', underSel, { hint: 'par.new.under.hint' })),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = { round: code.value.trim(), year: Number(yearIn.value), set: setSel.value, under: underSel.value };
    if (title.value.trim()) body.title = title.value.trim();
    await busy(submit, async () => {
      let r;
      try {
        r = await api('POST', '/api/par/rounds', body);
      } catch (e) {
        showError(form, e);
        return;
      }
      toast('par.new.done', { round: r.code, units: fmtInt(r.units) });
      location.hash = roundHref(r.code);
    });
  });
  return form;
}

function closedNote(round) {
  const closed = round.closed || {};
  const last = Object.entries(closed).pop();
  if (!last) return null;
  const [phase, c] = last;
  return h('div', { class: 'small muted' }, tx('span', 'par.closed', { phase: t(`par.phase.${phase}`), at: fmtInstant(c.at), by: c.by }));
}

// --- results

async function resultsPage(root, round) {
  const head = h('div', { class: 'page-title' }, tx('h1', 'par.results.title', { round }, { id: 'par-title' }));
  const out = h('div', { id: 'par-out', 'aria-live': 'polite' }, tx('p', 'loading', null, { class: 'loading' }));
  root.append(h('p', { class: 'small' }, h('a', { href: '#/chi-so-cchc', i18n: 'par.back' })), head, out);
  const [res, detail, names] = await Promise.all([
    optional(`/api/par/rounds/${enc(round)}/results`),
    optional(`/api/par/rounds/${enc(round)}`),
    allUnits().catch(() => new Map()),
  ]);
  if (!res.data) {
    out.replaceChildren(errorNotice(res.error));
    return;
  }
  const tree = criteriaTree(detail.data);
  let chart = null;
  const draw = async () => {
    if (chart) {
      chart.destroy();
      chart = null;
    }
    out.replaceChildren(...renderResults(res.data, tree, detail, names));
    const canvas = out.querySelector('#par-chart');
    if (!canvas) return;
    try {
      chart = resultsChart(await loadChart(), canvas, res.data, tree);
    } catch (e) {
      canvas.replaceWith(errorNotice({ code: 'other', field: null, message: String(e.message || e) }));
    }
  };
  const off = onLangChange(() => (root.isConnected ? draw() : off()));
  await draw();
}

function areaList(data, tree) {
  const codes = Object.keys((data.results.units[0] || {}).areas || {});
  const titles = new Map();
  if (tree) for (const n of tree.nodes) titles.set(n.code, n);
  return codes.map((code) => ({ code, title: titles.get(code) ? titles.get(code).title : null, max: titles.get(code) ? titles.get(code).max : null }));
}

function rankChange(u) {
  const p = u.previous;
  if (!p) return h('span', { class: 'muted' }, '—');
  if (p.merged) return h('span', { class: 'badge par-merged', title: t('par.merged.title', { n: p.predecessors }) }, tx('span', 'par.merged'));
  const c = p.rank_change;
  if (c === null || c === undefined) return h('span', { class: 'muted' }, '—');
  if (c === 0) return h('span', { class: 'chg same', 'aria-label': t('par.change.same') }, '=');
  return h('span', { class: `chg ${c > 0 ? 'up' : 'down'}`, 'aria-label': t(c > 0 ? 'par.change.up' : 'par.change.down', { n: Math.abs(c) }) },
    `${c > 0 ? '▲' : '▼'} ${Math.abs(c)}`);
}

function targetCell(u) {
  const tg = u.target;
  if (!tg) return '—';
  const what = [tg.rank ? t('par.target.rank', { n: tg.rank }) : null, tg.index !== null && tg.index !== undefined ? `${fmtPts(tg.index)}%` : null].filter(Boolean).join(' · ');
  const met = tg.met === true ? tx('span', 'par.target.met', null, { class: 'badge par-met' })
    : tg.met === false ? tx('span', 'par.target.not_met', null, { class: 'badge par-not-met' }) : tx('span', 'par.target.unknown', null, { class: 'muted' });
  return h('span', {}, what, ' ', met);
}

function renderResults(data, tree, detail, names) {
  const { round, results } = data;
  const units = results.units || [];
  const areas = areaList(data, tree);
  const rankCount = new Map();
  for (const u of units) rankCount.set(u.rank, (rankCount.get(u.rank) || 0) + 1);
  const withPrev = units.some((u) => u.previous);
  const withTarget = units.some((u) => u.target);
  const missingBy = new Map();
  for (const m of results.missing || []) missingBy.set(m.unit, [...(missingBy.get(m.unit) || []), m.node]);

  const info = h('section', { class: 'card', id: 'par-round-info', 'aria-labelledby': 'round-info-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'round-info-title' }, round.title || round.code), phaseBadge(round)),
    h('dl', { class: 'kv' },
      tx('dt', 'par.year'), h('dd', {}, String(round.year)),
      tx('dt', 'par.set'), h('dd', {}, h('span', { class: 'mono' }, round.set), round.set_version ? ` (${round.set_version})` : '', tree && tree.info.title ? ` — ${tree.info.title}` : ''),
      tx('dt', 'par.period'), h('dd', {}, `${fmtDay(round.period_from)} – ${fmtDay(round.period_to)}`),
      tx('dt', 'par.max'), h('dd', {}, fmtPts(results.max)),
      tx('dt', 'par.previous'), h('dd', {}, data.previous ? h('a', { href: roundHref(data.previous), class: 'mono' }, data.previous) : tx('span', 'par.previous.none'))),
    data.scope_only ? h('div', { class: 'notice info', id: 'par-scope-only' }, tx('span', 'par.scope_only')) : null,
    round.phase !== 'published' ? h('div', { class: 'notice warn' }, tx('span', 'par.not_published')) : null,
    publishBox(round));

  const legend = h('ul', { class: 'par-areas', id: 'par-area-legend' }, areas.map((a, i) => h('li', {},
    h('span', { class: 'swatch', dataset: { i: String(i % AREA_COLORS.length) } }),
    h('strong', {}, t('par.area.short', { code: a.code })), ' ',
    a.title ? `${a.title}${a.max !== null ? ` (${t('par.max.short', { max: fmtPts(a.max) })})` : ''}` : null)));
  paintSwatches(legend);

  const chartCard = h('section', { class: 'card', 'aria-labelledby': 'par-chart-title' },
    h('div', { class: 'card-head' }, tx('h2', 'par.chart', null, { id: 'par-chart-title' }), tx('span', 'par.chart.note', null, { class: 'small muted' })),
    units.length ? h('div', { class: 'chart-box', id: 'par-chart-box' }, h('canvas', { id: 'par-chart', role: 'img', 'aria-label': t('par.chart.alt') })) : tx('p', 'par.no_units', null, { class: 'muted' }),
    legend,
    detail && detail.missing ? h('p', { class: 'small muted', id: 'par-no-tree' }, tx('span', 'par.tree.missing', { round: round.code })) : null);

  const table = h('table', { id: 'par-ranking' },
    tx('caption', 'par.ranking.caption', null, { class: 'sr-only' }),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'num', i18n: 'par.rank' }),
      h('th', { scope: 'col', i18n: 'par.unit' }),
      h('th', { scope: 'col', class: 'num', i18n: 'par.total' }),
      h('th', { scope: 'col', class: 'num', i18n: 'par.index' }),
      areas.map((a) => h('th', { scope: 'col', class: 'num', title: a.title || '' }, t('par.area.short', { code: a.code }))),
      h('th', { scope: 'col', class: 'num', i18n: 'par.survey' }),
      h('th', { scope: 'col', class: 'num', i18n: 'par.missing' }),
      withPrev ? [h('th', { scope: 'col', class: 'num', i18n: 'par.prev_rank' }), h('th', { scope: 'col', class: 'num', i18n: 'par.rank_change' }), h('th', { scope: 'col', class: 'num', i18n: 'par.index_change' })] : null,
      withTarget ? h('th', { scope: 'col', i18n: 'par.target' }) : null)),
    h('tbody', {}, units.length ? units.map((u) => {
      const tie = rankCount.get(u.rank) > 1;
      return h('tr', { dataset: { unit: u.unit, rank: String(u.rank) }, class: u.rank <= 3 ? `rank-${u.rank}` : null },
        h('td', { class: 'num' }, h('strong', {}, String(u.rank)), tie ? tx('span', 'par.tie', null, { class: 'badge par-tie' }) : null),
        h('th', { scope: 'row' }, h('a', { href: unitHref(round.code, u.unit) }, u.name || unitName(names, u.unit)), h('div', { class: 'small muted mono' }, u.unit)),
        h('td', { class: 'num' }, fmtPts(u.total)),
        h('td', { class: 'num' }, h('strong', {}, `${fmtPts(u.index)}%`)),
        areas.map((a) => h('td', { class: 'num' }, fmtPts(u.areas[a.code]))),
        h('td', { class: 'num' }, fmtPts(u.survey)),
        h('td', { class: 'num' }, u.missing ? h('span', { title: (missingBy.get(u.unit) || []).join(', ') }, fmtInt(u.missing)) : '0'),
        withPrev ? [
          h('td', { class: 'num' }, u.previous && u.previous.rank ? String(u.previous.rank) : '—'),
          h('td', { class: 'num' }, rankChange(u)),
          h('td', { class: 'num' }, u.previous && u.previous.index_change !== null && u.previous.index_change !== undefined
            ? `${u.previous.index_change > 0 ? '+' : ''}${fmtPts(u.previous.index_change)}` : '—')] : null,
        withTarget ? h('td', { class: 'small' }, targetCell(u)) : null);
    }) : h('tr', { class: 'empty-row' }, h('td', { colspan: 6 + areas.length, i18n: 'par.no_units' }))));

  const ranking = h('section', { class: 'card', 'aria-labelledby': 'par-ranking-title' },
    h('div', { class: 'card-head' }, tx('h2', 'par.ranking', null, { id: 'par-ranking-title' }), tx('span', 'par.ranking.rule', null, { class: 'small muted' }),
      units.length ? exportButtons(`/api/par/rounds/${enc(round.code)}/results`, 'export-ranking') : null),
    h('div', { class: 'table-wrap' }, table),
    withPrev ? tx('p', 'par.change.note', null, { class: 'small muted' }) : null);
  return [info, ranking, chartCard];
}

function paintSwatches(el) {
  el.querySelectorAll('.swatch').forEach((s) => {
    s.style.background = AREA_COLORS[Number(s.dataset.i)];
  });
}

// Moving a round on: an administrator closes the self-assessment and appraisal phases and
// publishes (which freezes every score), each with a confirmation; during the survey phase an
// assessor imports the sociological-survey points from a CSV file (unit,node,survey). The
// server's refusal is shown in the box, by the file field for the survey.
function publishBox(round) {
  const role = session.user.role;
  const rerender = () => window.dispatchEvent(new HashChangeEvent('hashchange'));
  if (role === 'admin' && round.phase !== 'published') {
    const closing = round.phase === 'self' || round.phase === 'appraisal';
    const btn = h('button', { type: 'button', class: `btn ${closing ? 'secondary' : 'danger'}`, id: closing ? 'par-close-phase' : 'par-publish' },
      closing ? tx('span', 'par.close_phase', { phase: t(`par.phase.${round.phase}`) }) : tx('span', 'par.publish'));
    const box = h('form', { class: 'par-publish', novalidate: true },
      tx('p', closing ? 'par.close_phase.note' : 'par.publish.note', null, { class: 'small' }), btn);
    btn.addEventListener('click', () => busy(btn, async () => {
      clearErrors(box);
      const ask = closing ? t('par.close_phase.confirm', { round: round.code, phase: t(`par.phase.${round.phase}`) }) : t('par.publish.confirm', { round: round.code });
      if (!window.confirm(ask)) return;
      try {
        if (closing) await api('POST', `/api/par/rounds/${enc(round.code)}/close-phase`, { phase: round.phase });
        else await api('POST', `/api/par/rounds/${enc(round.code)}/publish`, {});
        rerender();
      } catch (e) {
        showError(box, e, {});
      }
    }));
    return box;
  }
  if (role === 'par_assessor' && round.phase === 'survey') {
    const file = h('input', { type: 'file', name: 'file', id: 'survey-file', accept: '.csv,text/csv' });
    const send = h('button', { type: 'submit', class: 'btn', id: 'survey-send' }, tx('span', 'par.survey.import'));
    const done = h('p', { class: 'small par-saved', role: 'status' });
    const box = h('form', { class: 'par-publish', novalidate: true, id: 'survey-form' },
      tx('p', 'par.survey.note', null, { class: 'small' }),
      h('div', { class: 'filters' }, field('par.survey.file', file, { required: true }), h('div', { class: 'field' }, send)), done);
    box.addEventListener('submit', (ev) => {
      ev.preventDefault();
      clearErrors(box);
      busy(send, async () => {
        const fields = { rows: 'file', unit: 'file', node: 'file', points: 'file', survey: 'file' };
        const f = file.files && file.files[0];
        if (!f) return showError(box, { code: 'missing_field', field: 'file', message: '' }, fields);
        const rows = surveyRows(await f.text());
        if (rows.error) return showError(box, { code: 'invalid', field: 'file', message: rows.error }, fields);
        try {
          await api('POST', `/api/par/rounds/${enc(round.code)}/survey`, { rows: rows.rows });
          done.replaceChildren(tx('span', 'par.survey.done', { n: rows.rows.length }));
          setTimeout(rerender, 800);
        } catch (e) {
          showError(box, e, fields, 'par_survey');
        }
      });
    });
    return box;
  }
  return null;
}

// "unit,node,survey" CSV (header first; ',' or ';' separated, quotes allowed) -> {rows} or {error}.
export function surveyRows(text) {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('#'));
  if (!lines.length) return { error: 'the file is empty' };
  const split = (l) => (l.match(/("([^"]|"")*"|[^,;]*)([,;]|$)/g) || []).slice(0, -1)
    .map((c) => c.replace(/[,;]$/, '').trim().replace(/^"(.*)"$/, '$1').replace(/""/g, '"'));
  const head = split(lines[0]).map((x) => x.toLowerCase());
  const iu = head.indexOf('unit');
  const inode = head.indexOf('node');
  const ip = head.indexOf('survey') >= 0 ? head.indexOf('survey') : head.indexOf('points');
  if (iu < 0 || inode < 0 || ip < 0) return { error: `line 1: the header must name unit, node and survey (got: ${lines[0]})` };
  const rows = lines.slice(1).map((l) => {
    const c = split(l);
    return { unit: c[iu] || '', node: c[inode] || '', points: c[ip] || '' };
  });
  if (!rows.length) return { error: 'no rows after the header' };
  return { rows };
}

function resultsChart(Chart, canvas, data, tree) {
  const units = data.results.units;
  const areas = areaList(data, tree);
  canvas.parentElement.style.height = `${Math.max(240, 80 + units.length * 30)}px`;
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: units.map((u) => `${u.rank}. ${u.name || u.unit}`),
      datasets: areas.map((a, i) => ({
        label: a.title ? `${t('par.area.short', { code: a.code })} ${a.title}` : t('par.area.short', { code: a.code }),
        data: units.map((u) => u.areas[a.code]),
        backgroundColor: AREA_COLORS[i % AREA_COLORS.length],
        borderWidth: 0,
      })),
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: true, min: 0, max: Number(data.results.max) || undefined, title: { display: true, text: t('par.points') } }, y: { stacked: true } },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { footer: (items) => (items.length ? `${t('par.index')}: ${fmtPts(units[items[0].dataIndex].index)}%` : '') } },
      },
    },
  });
}

// --- one unit: self-assessment (unit officers) or appraisal (assessors)

function modeOf(role) {
  if (SELF_ROLES.includes(role)) return 'self';
  if (role === 'par_assessor') return 'appraisal';
  return null;
}

async function unitPage(root, round, unit) {
  const mode = modeOf(session.user.role);
  root.append(h('p', { class: 'small' }, h('a', { href: roundHref(round), i18n: 'par.back.results', vars: { round } })));
  const title = h('h1', { id: 'par-unit-title' }, unit);
  root.append(h('div', { class: 'page-title' }, title));
  const out = h('div', { id: 'par-unit-out' }, tx('p', 'loading', null, { class: 'loading' }));
  root.append(out);
  const unitPath = `/api/par/rounds/${enc(round)}/units/${enc(unit)}`;
  const [res, detail, cellsR, names] = await Promise.all([
    optional(`/api/par/rounds/${enc(round)}/results`),
    optional(`/api/par/rounds/${enc(round)}`),
    optional(unitPath),
    allUnits().catch(() => new Map()),
  ]);
  if (!res.data) {
    out.replaceChildren(errorNotice(res.error));
    return;
  }
  const row = (res.data.results.units || []).find((u) => u.unit === unit);
  const r = res.data.round;
  const ud = cellsR.data || null; // the unit's scores, metrics, evidence and what the user may do
  const uname = (ud && ud.unit && ud.unit.name) || (row && row.name) || unitName(names, unit);
  title.replaceChildren(tx('span', mode === 'appraisal' ? 'par.appraisal.title' : mode === 'self' ? 'par.self.title' : 'par.unit.title',
    { unit: uname, round: r.code }));
  if (!row && !ud) {
    out.replaceChildren(h('div', { class: 'notice warn', role: 'alert' }, tx('span', 'par.unit.not_in_round', { unit, round: r.code })));
    return;
  }
  const tree = criteriaTree(detail.data);
  const cells = cellsOf(ud);
  const missing = new Set((res.data.results.missing || []).filter((m) => m.unit === unit).map((m) => m.node));
  // the server says what this user may do here; without it, the role and the phase
  const may = ud && ud.may ? ud.may : {
    self: mode === 'self' && r.phase === 'self',
    appraise: mode === 'appraisal' && r.phase === 'appraisal',
    evidence: false,
  };
  const open = (mode === 'self' && !!may.self) || (mode === 'appraisal' && !!may.appraise);
  const summary = h('div', { id: 'par-unit-summary' });
  let rank = row ? row.rank : null;
  const setSummary = (u) => summary.replaceChildren(u ? h('div', { class: 'kpis par-kpis' },
    kpi('par.rank', rank ? String(rank) : '—'), kpi('par.total', `${fmtPts(u.total)} / ${fmtPts(u.max ?? res.data.results.max)}`),
    kpi('par.index', `${fmtPts(u.index)}%`), kpi('par.missing', fmtInt(Number(u.missing)))) : null);
  setSummary(ud || row);
  const refresh = async () => {
    try {
      const [again, u] = await Promise.all([api('GET', `/api/par/rounds/${enc(round)}/results`), ud ? api('GET', unitPath) : null]);
      const mine = (again.results.units || []).find((x) => x.unit === unit);
      rank = mine ? mine.rank : rank;
      setSummary(u || mine);
    } catch {
      /* the summary keeps its last figures */
    }
  };

  const notices = [h('div', { class: 'notice info', id: 'par-phase-note' }, phaseBadge(r), ' ', tx('span', open ? `par.open.${mode}` : mode ? `par.closed.${mode}` : 'par.readonly'))];
  if (detail.missing) notices.push(h('div', { class: 'notice warn', id: 'par-tree-missing' }, tx('span', 'par.tree.missing.unit', { round: r.code })));
  if (cellsR.missing) notices.push(h('div', { class: 'notice warn', id: 'par-cells-missing' }, tx('span', 'par.cells.missing', { round: r.code, unit })));
  if (cellsR.error && !cellsR.missing) notices.push(errorNotice(cellsR.error));
  if (detail.error && !detail.missing) notices.push(errorNotice(detail.error));

  const actions = await loadActions({ unit, round, kind: 'par' });
  const ctx = { round, unit, unitName: uname, unitPath, mode, open, may, hasCells: !!ud, onSaved: refresh, actions };
  const body = tree ? treeView(tree, cells, missing, ctx) : byCodeForm([...missing], ctx);
  out.replaceChildren(summary, ...notices, body);
}

function kpi(label, value) {
  return h('div', { class: 'kpi' }, tx('div', label, null, { class: 'label' }), h('div', { class: 'value' }, value));
}

const METHOD_KEYS = { manual: 'par.method.manual', computed: 'par.method.computed', survey: 'par.method.survey' };

// The criteria tree: areas as sections, criteria as rows. While the phase is open each area is
// one form with one Save button (Enter in any points field saves too): the criteria whose
// points or comment changed are sent one after the other, and a refusal stops there, next to
// the criterion's points. The inputs belong to the area's form by their form attribute, so the
// evidence forms inside the rows stay forms of their own.
function treeView(tree, cells, missing, ctx) {
  const sections = tree.nodes.map((area) => {
    const rows = [];
    const actx = { ...ctx, formId: `area-form-${area.code}` };
    walk(area.children, (n, depth) => rows.push(criterionRow(n, depth, cells.get(n.code), missing.has(n.code), tree.info.decimals, actx)));
    const section = h('section', { class: 'card par-area', id: `area-${area.code}`, 'aria-labelledby': `area-${area.code}-title` },
      h('div', { class: 'card-head' },
        h('h2', { id: `area-${area.code}-title` }, `${area.code}. ${area.title || ''}`),
        h('span', { class: 'small muted' }, t('par.max.short', { max: fmtPts(area.max) }))),
      h('ol', { class: 'par-tree' }, rows.length ? rows : criterionRow(area, 0, cells.get(area.code), missing.has(area.code), tree.info.decimals, actx)));
    if (section.querySelector('.par-score')) section.append(areaForm(section, area, actx));
    return section;
  });
  return h('div', { id: 'par-tree' },
    tree.info.legal ? h('p', { class: 'small muted' }, tx('span', 'par.legal'), ' ', tree.info.legal) : null,
    sections);
}

// The area's form: its Save button, and the saving of every changed criterion in the area.
function areaForm(section, area, ctx) {
  const save = h('button', { type: 'submit', class: 'btn', id: `save-area-${area.code}` }, tx('span', 'par.save.area', { area: area.code }));
  const status = h('span', { class: 'small par-saved', role: 'status', id: `saved-area-${area.code}` });
  const form = h('form', { class: 'par-area-form', id: ctx.formId, novalidate: true },
    h('div', { class: 'actions' }, save, status));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    status.textContent = '';
    busy(save, async () => {
      const boxes = [...section.querySelectorAll('.par-score')];
      boxes.forEach((b) => clearErrors(b));
      const changed = boxes.filter((b) => b.querySelector('[name="points"]').value.trim() !== b.dataset.points
        || b.querySelector('[name="comment"]').value.trim() !== b.dataset.comment);
      if (!changed.length) {
        status.replaceChildren(tx('span', 'par.save.nothing'));
        return;
      }
      let n = 0;
      for (const b of changed) {
        try {
          await b.saveScore();
          n++;
        } catch (e) {
          showError(b, e, ERR_FIELDS, 'par');
          status.replaceChildren(tx('span', 'par.save.stopped', { n, all: changed.length }));
          return;
        }
      }
      status.replaceChildren(tx('span', 'par.save.done', { n }));
      ctx.onSaved();
    });
  });
  return form;
}

function scoreOf(cell, key) {
  return cell && cell[key] !== null && cell[key] !== undefined ? cell[key] : null;
}

function criterionRow(n, depth, cell, isMissing, decimals, ctx) {
  const leaf = !n.children || !n.children.length;
  const head = h('div', { class: 'par-crit-head' },
    h('span', { class: 'mono par-code' }, n.code),
    h('span', { class: 'par-crit-title' }, n.title || ''),
    h('span', { class: 'par-max', id: `max-${n.code}` }, t('par.max.short', { max: fmtPts(n.max) })));
  const li = h('li', { class: `par-crit depth-${depth}${leaf ? ' leaf' : ''}`, dataset: { node: n.code } }, head);
  if (!leaf) return li;
  if (n.method && METHOD_KEYS[n.method]) head.append(tx('span', METHOD_KEYS[n.method], null, { class: `badge par-m-${n.method}` }));
  if (n.evidence) li.append(h('p', { class: 'small muted par-evidence' }, tx('span', 'par.evidence'), ' ', n.evidence));
  const unscored = cell ? scoreOf(cell, 'points') === null : isMissing;
  const vals = h('p', { class: 'small par-vals' },
    tx('span', 'par.score.self'), ': ', h('strong', { class: 'v-self' }, fmtPts(scoreOf(cell, 'self'), decimals)), ' · ',
    tx('span', 'par.score.appraised'), ': ', h('strong', { class: 'v-appraised' }, fmtPts(scoreOf(cell, 'appraised'), decimals)),
    n.method === 'survey' ? [' · ', tx('span', 'par.score.survey'), ': ', h('strong', {}, fmtPts(scoreOf(cell, 'survey'), decimals))] : null,
    cell ? [' · ', tx('span', 'par.score.counted'), ': ', h('strong', { class: 'v-points' }, fmtPts(scoreOf(cell, 'points'), decimals))] : null,
    unscored ? [' ', tx('span', 'par.unscored', null, { class: 'badge par-unscored' })] : null);
  li.append(vals);
  if (n.method === 'computed' && cell && cell.metric) li.append(metricLine(cell.metric, decimals));
  const known = cell && cell.metric && cell.metric.known;
  const scorable = ctx.open && (n.method === 'manual' || !n.method || (n.method === 'computed' && (ctx.mode === 'appraisal' || !known)));
  if (scorable) li.append(scoreForm(n.code, n.max, cell, vals, ctx));
  if (ctx.hasCells && (cell && (cell.evidence || []).length || ctx.may.evidence)) li.append(evidenceBox(n.code, cell, ctx));
  // below its maximum: the tasks made from it (action tracker), and a leader's button to make one
  const pts = scoreOf(cell, 'points');
  const links = linksFor(ctx.actions, 'par', ctx.unit, ctx.round, n.code);
  if (ctx.actions && n.method !== 'survey' && (links.length || (pts !== null && Number(pts) < Number(n.max) && canAct()))) {
    const value = `${fmtPts(pts, decimals)}/${fmtPts(n.max)}`;
    li.append(h('div', { class: 'par-action small' }, tx('span', 'par.action'), ': ', actionBox(ctx.actions, {
      kind: 'par', unit: ctx.unit, unitName: ctx.unitName, round: ctx.round, ref: n.code, refLabel: n.code, value, title: n.title || n.code,
    })));
  }
  return li;
}

// A computed criterion: the metric from the dossiers, the points the rule gives, and the
// dossiers behind it on demand.
function metricLine(m, decimals) {
  const box = h('div', { class: 'par-metric small' });
  // the metric by its name for people, never its identifier (on_time_pct)
  const name = has(`parmetric.${m.name}`) ? t(`parmetric.${m.name}`) : t('parmetric.other');
  if (!m.known) {
    box.append(tx('span', 'par.metric.unknown', { name }, { class: 'muted' }));
    return box;
  }
  if (m.count !== undefined && m.count !== null) { // a count, not a rate (initiatives_count)
    box.append(tx('span', 'par.metric.count', { n: fmtInt(m.count), den: fmtInt(m.den) }), ' → ',
      h('strong', {}, t('par.points.n', { pts: fmtPts(m.points, decimals) })), ' ',
      h('a', { href: '#/sang-kien' }, tx('span', 'par.metric.initiatives')));
    return box;
  }
  const denom = m.denominator && has(`denom.${m.denominator}.long`) ? t(`denom.${m.denominator}.long`) : (m.denominator || '');
  box.append(tx('span', 'par.metric', { name }), ' ',
    h('strong', {}, `${fmtPts(m.percent)}%`), ` (${fmtInt(m.num)}/${fmtInt(m.den)} ${denom}) → `,
    h('strong', {}, t('par.points.n', { pts: fmtPts(m.points, decimals) })));
  if (m.dossiers) {
    const list = h('div', { class: 'par-dossiers' });
    const btn = h('button', { type: 'button', class: 'btn link' }, tx('span', 'par.metric.dossiers', { n: fmtInt(m.den) }));
    btn.addEventListener('click', () => busy(btn, async () => {
      try {
        const r = await api('GET', m.dossiers);
        list.replaceChildren(h('ul', { class: 'par-dossier-list' }, r.dossiers.map((d) => h('li', {},
          h('a', { class: 'mono', href: `#/mot-cua/ho-so/${enc(d.code)}` }, d.code),
          d.in_numerator === false ? [' ', tx('span', 'par.metric.not_counted', null, { class: 'muted' })] : null))),
        r.total > r.dossiers.length ? tx('p', 'dash.drill.truncated', { n: r.dossiers.length }, { class: 'muted' }) : null);
      } catch (e) {
        list.replaceChildren(errorNotice(e));
      }
    }));
    box.append(' ', btn, list);
  }
  return box;
}

const EVIDENCE_FIELDS = { type: 'file', name: 'file', content_base64: 'file', size: 'file', node: 'file', file: 'file' };

function fileBase64(file) {
  return new Promise((resolve, reject) => {
    const rd = new FileReader();
    rd.onload = () => resolve(String(rd.result).replace(/^data:[^,]*,/, ''));
    rd.onerror = () => reject(rd.error);
    rd.readAsDataURL(file);
  });
}

// Evidence files (tài liệu kiểm chứng) of one criterion: the list, and for unit officers while
// the round accepts them, an upload whose refusal (type, size) shows by the file field.
function evidenceBox(code, cell, ctx) {
  const list = h('ul', { class: 'par-evidence-list', id: `ev-${code}` });
  const add = (ev) => list.append(h('li', {},
    h('a', { href: ev.url, download: ev.name }, ev.name), ' ',
    h('span', { class: 'muted' }, `(${fmtInt(Math.ceil(ev.size / 1024))} KB · ${ev.added_by || ''} · ${fmtInstant(ev.added_at)})`)));
  ((cell && cell.evidence) || []).forEach(add);
  const box = h('div', { class: 'par-evidence-box' }, list);
  if (!ctx.may.evidence) return box;
  const file = h('input', { type: 'file', name: 'file', id: `file-${code}`, accept: '.pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.odt,.ods' });
  const send = h('button', { type: 'submit', class: 'btn secondary', id: `attach-${code}` }, tx('span', 'par.evidence.attach'));
  const form = h('form', { class: 'par-evidence-form', novalidate: true, dataset: { node: code } },
    h('div', { class: 'filters' }, field('par.evidence.file', file), h('div', { class: 'field' }, send)));
  const more = h('details', { class: 'par-evidence-add' }, tx('summary', 'par.evidence.add'), form);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors(form);
    busy(send, async () => {
      const f = file.files && file.files[0];
      if (!f) {
        showError(form, { code: 'missing_field', field: 'file', message: '' }, EVIDENCE_FIELDS);
        return;
      }
      try {
        const r = await api('POST', `${ctx.unitPath}/evidence`, { node: code, name: f.name, content_base64: await fileBase64(f) });
        add(r);
        file.value = '';
      } catch (e) {
        showError(form, e, EVIDENCE_FIELDS, 'par_evidence');
      }
    });
  });
  box.append(more);
  return box;
}

// One criterion's points (shown with comma decimals, its maximum beside) and comment, part of
// its area's form (treeView); box.saveScore() sends them, the server's refusal is thrown.
function scoreForm(code, max, cell, vals, ctx) {
  const key = ctx.mode === 'appraisal' ? 'appraised' : 'self';
  const cur = scoreOf(cell, key);
  const shown = cur !== null ? fmtPts(cur) : '';
  const pts = h('input', {
    type: 'text', name: 'points', id: `pts-${code}`, inputmode: 'decimal', autocomplete: 'off', class: 'pts',
    value: shown, form: ctx.formId,
  });
  const note = (cell && cell[`${key === 'self' ? 'self' : 'appraisal'}_comment`]) || '';
  const comment = h('input', { type: 'text', name: 'comment', id: `cmt-${code}`, maxlength: 399, value: note, form: ctx.formId });
  const saved = h('span', { class: 'small par-saved', role: 'status', id: `saved-${code}` });
  const box = h('div', { class: 'par-score', dataset: { node: code, points: shown, comment: note } },
    h('div', { class: 'filters' },
      fieldWithMax(ctx.mode === 'appraisal' ? 'par.points.appraised' : 'par.points.self', pts, max, code),
      field('par.comment', comment),
      h('div', { class: 'field' }, saved)));
  box.saveScore = async () => {
    saved.textContent = '';
    const r = await postScore(ctx, code, pts.value, comment.value);
    vals.querySelector('.v-self').textContent = fmtPts(r.self);
    vals.querySelector('.v-appraised').textContent = fmtPts(r.appraised);
    const counted = vals.querySelector('.v-points');
    if (counted) counted.textContent = fmtPts(r.appraised ?? r.self);
    const badge = vals.querySelector('.par-unscored');
    if (badge) badge.remove();
    box.dataset.points = pts.value = fmtPts(r[key]);
    box.dataset.comment = comment.value.trim();
    saved.replaceChildren(tx('span', 'par.saved', { pts: fmtPts(r[key]) }));
  };
  return box;
}

// One criterion's points and comment, as the unit's officers (self) or the assessors
// (appraisal) give them, by the page's mode.
function postScore(ctx, node, points, comment) {
  return api('POST', `/api/par/rounds/${enc(ctx.round)}/units/${enc(ctx.unit)}/${ctx.mode === 'appraisal' ? 'appraisal' : 'self'}`,
    { node: node.trim(), points: points.trim(), comment: comment.trim() });
}

function fieldWithMax(labelKey, control, max, code) {
  const f = field(labelKey, control, { required: true });
  if (max !== null && max !== undefined) {
    const hint = h('p', { class: 'hint', id: `pts-${code}-hint` }, t('par.points.hint', { max: fmtPts(max) }));
    control.setAttribute('aria-describedby', hint.id);
    f.append(hint);
  }
  return f;
}

// Without the criteria tree: score a criterion by its code (the unscored ones offered).
function byCodeForm(unscored, ctx) {
  const card = h('section', { class: 'card', id: 'par-by-code', 'aria-labelledby': 'par-by-code-title' },
    tx('h2', 'par.by_code.title', null, { id: 'par-by-code-title' }));
  if (!ctx.open) {
    card.append(tx('p', 'par.by_code.readonly', null, { class: 'muted' }));
  } else {
    const list = h('datalist', { id: 'par-unscored' }, unscored.map((c) => h('option', { value: c })));
    const node = h('input', { type: 'text', name: 'node', id: 'par-node', list: 'par-unscored', autocomplete: 'off' });
    const pts = h('input', { type: 'text', name: 'points', id: 'par-points', inputmode: 'decimal', autocomplete: 'off' });
    const comment = h('input', { type: 'text', name: 'comment', id: 'par-comment', maxlength: 399 });
    const save = h('button', { type: 'submit', class: 'btn', id: 'par-by-code-save' }, tx('span', 'par.save'));
    const saved = h('p', { class: 'small par-saved', role: 'status', id: 'par-by-code-saved' });
    const form = h('form', { novalidate: true, id: 'par-by-code-form' },
      h('div', { class: 'filters' },
        field('par.node', node, { required: true }),
        field(ctx.mode === 'appraisal' ? 'par.points.appraised' : 'par.points.self', pts, { required: true }),
        field('par.comment', comment),
        h('div', { class: 'field' }, save)),
      list, saved);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      clearErrors(form);
      saved.textContent = '';
      busy(save, async () => {
        try {
          const r = await postScore(ctx, node.value, pts.value, comment.value);
          saved.replaceChildren(tx('span', 'par.saved.node', { node: r.node, pts: fmtPts(ctx.mode === 'appraisal' ? r.appraised : r.self) }));
          ctx.onSaved();
        } catch (e) {
          showError(form, e, { ...ERR_FIELDS, node: 'node' }, 'par');
        }
      });
    });
    card.append(form);
  }
  card.append(h('p', { class: 'small muted' }, tx('span', 'par.by_code.unscored', { n: unscored.length }), ' ', h('span', { class: 'mono', id: 'par-unscored-list' }, unscored.join(', '))));
  return card;
}

