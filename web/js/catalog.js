// catalog.js — the published catalogue of administrative procedures, no account needed
// (issue 20, part 4): procedures by field and level, searched without regard to case or
// diacritics (the server folds both, src/core/vntext.h); each shows the legal time, the fees,
// the documents to file, the online level, where it may be filed (regardless of residence
// when the province's list says so) and the decision that published it with its posting dates.

import { api } from './api.js';
import { h, tx, fmtDay, errorNotice } from './dom.js';
import { t, fmtInt } from './i18n.js';

const LEVELS = ['province', 'commune', 'district', 'central'];

function fee(p) {
  if (p.fee_vnd === null) return t('catalog.fee.varies');
  if (p.fee_vnd === 0) return t('catalog.fee.none');
  return t('catalog.fee.amount', { n: fmtInt(p.fee_vnd) });
}

function row(labelKey, ...value) {
  return [tx('dt', labelKey), h('dd', {}, ...value)];
}

function procedureCard(p) {
  const decision = p.decision
    ? t('catalog.decision.text', { no: p.decision, date: fmtDay(p.decision_date) })
    : t('catalog.decision.none');
  return h('details', { class: 'card proc', id: `proc-${p.code}` },
    h('summary', {},
      h('strong', {}, p.name),
      h('span', { class: 'muted' }, ` · ${p.code} · ${p.level_label} · ${p.time_text}`)),
    h('dl', { class: 'kv' },
      row('catalog.time', p.time_text, p.time_note ? h('div', { class: 'muted' }, p.time_note) : null),
      row('catalog.fee', fee(p), p.fee_note ? h('div', { class: 'muted' }, p.fee_note) : null),
      row('catalog.online', p.online_label),
      row('catalog.where', p.receive_label, p.receive_basis ? h('div', { class: 'muted' }, p.receive_basis) : null),
      row('catalog.decision', decision),
      row('catalog.posted_portal', fmtDay(p.posted_portal)),
      row('catalog.posted_desk', fmtDay(p.posted_desk)),
      p.legal_basis ? row('catalog.basis', p.legal_basis) : null),
    tx('h3', 'catalog.documents'),
    p.documents.length ? h('ol', {}, p.documents.map((d) => h('li', {}, d))) : tx('p', 'catalog.documents.none', null, { class: 'muted' }),
    // filed online (efile.js) when the procedure is offered fully or partly online
    p.online === 'full' || p.online === 'partial'
      ? h('p', {}, h('a', { class: 'btn', href: `#/nop-truc-tuyen/${encodeURIComponent(p.code)}`, id: `efile-${p.code}`, i18n: 'catalog.efile' })) : null);
}

export default async function catalog(root) {
  const q = h('input', { type: 'search', id: 'catalog-q', name: 'q', autocomplete: 'off', i18nAttr: 'placeholder:catalog.search.hint' });
  const field = h('select', { id: 'catalog-field', name: 'field' }, h('option', { value: '', i18n: 'catalog.all_fields' }));
  const level = h('select', { id: 'catalog-level', name: 'level' }, h('option', { value: '', i18n: 'catalog.all_levels' }),
    LEVELS.map((l) => h('option', { value: l, i18n: `catalog.level.${l}` })));
  const count = h('p', { class: 'muted', id: 'catalog-count', 'aria-live': 'polite' });
  const list = h('div', { id: 'catalog-list' });
  const form = h('form', { class: 'card filters', role: 'search', id: 'catalog-form', onsubmit: (ev) => ev.preventDefault() },
    h('label', { for: 'catalog-q' }, tx('span', 'catalog.search')), q,
    h('div', { class: 'inline-choices' },
      h('label', {}, tx('span', 'catalog.field'), ' ', field),
      h('label', {}, tx('span', 'catalog.level'), ' ', level)));
  root.append(tx('h1', 'catalog.title'), tx('p', 'catalog.lead', null, { class: 'muted' }), form, count, list);

  let seq = 0;
  async function load() {
    const my = ++seq;
    const params = new URLSearchParams();
    if (q.value.trim()) params.set('q', q.value.trim());
    if (field.value) params.set('field', field.value);
    if (level.value) params.set('level', level.value);
    try {
      const r = await api('GET', `/api/procedures${params.toString() ? `?${params}` : ''}`);
      if (my !== seq) return;
      if (field.options.length === 1 && !params.toString()) {
        const fields = [...new Set(r.procedures.map((p) => p.field))].sort((a, b) => a.localeCompare(b, 'vi'));
        field.append(...fields.map((f) => h('option', { value: f }, f)));
      }
      show(r.procedures);
    } catch (e) {
      list.replaceChildren(errorNotice(e));
    }
  }

  function show(procs) {
    count.textContent = t('catalog.count', { n: fmtInt(procs.length) });
    const byField = new Map();
    for (const p of procs) {
      if (!byField.has(p.field)) byField.set(p.field, []);
      byField.get(p.field).push(p);
    }
    const groups = [...byField.keys()].sort((a, b) => a.localeCompare(b, 'vi'));
    list.replaceChildren(...groups.map((f) => h('section', { class: 'catalog-field' },
      h('h2', {}, f, h('span', { class: 'muted' }, ` (${fmtInt(byField.get(f).length)})`)),
      byField.get(f).map(procedureCard))));
    if (!procs.length) list.replaceChildren(tx('p', 'catalog.empty', null, { class: 'notice info' }));
  }

  let timer = null;
  q.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(load, 250);
  });
  field.addEventListener('change', load);
  level.addEventListener('change', load);
  await load();
}
