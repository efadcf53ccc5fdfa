// desk.js — the one-stop desk (Bộ phận Một cửa, Decree 61/2018/NĐ-CP): receive a dossier
// (procedure search without diacritics, applicant, the procedure's documents checklist) and
// print the receipt (Mẫu 01); today's queue; overdue dossiers with who holds them and at which
// step; one dossier with its history and the lifecycle actions the signed-in role may take.
// The server decides everything (state machine, deadlines, scope); this page shows its answers
// and puts its errors next to the field they name.

import { api, qs, session, procedure, units, unitName } from './api.js';
import {
  h, tx, field, showError, clearErrors, busy, fmtInstant, statusBadge, outcomeBadge, errorNotice,
  toast, todayVN, daysBetween, nowVNInstant,
} from './dom.js';
import { t } from './i18n.js';
import { loginCard } from './login.js';
import { receiptEl, printReceipt } from './receipt.js';
import { slipButton } from './survey2.js';
import { deskEfilePanel } from './efile.js';
import { exportButtons } from './export.js';

const OFFICER_ROLES = ['desk_officer', 'specialist', 'leader', 'admin'];

// Who may take which action from which status: routes.c (roles) and src/core/dossier.c
// (transitions). Only used to offer buttons; the server checks both again.
const OPEN = ['submitted', 'received', 'processing', 'supplement_requested', 'paused'];
const ACTIONS = [
  { act: 'receive', roles: ['desk_officer'], from: ['submitted'] },
  { act: 'advance', roles: ['desk_officer', 'specialist', 'leader'], from: ['received', 'processing'], officer: true, when: (d) => d.status === 'received' || d.step < d.n_steps },
  { act: 'finish', roles: ['specialist', 'leader'], from: ['processing'], kind: 'ok' },
  { act: 'return', roles: ['desk_officer'], from: ['result_ready'], kind: 'ok' },
  { act: 'request-supplement', roles: ['desk_officer', 'specialist'], from: ['submitted', 'received', 'processing'], note: true },
  { act: 'supplement-received', roles: ['desk_officer'], from: ['supplement_requested'] },
  { act: 'pause', roles: ['specialist', 'leader'], from: ['received', 'processing'], note: true },
  { act: 'resume', roles: ['specialist', 'leader'], from: ['paused'] },
  { act: 'apologise', roles: ['leader'], from: ['received', 'processing'], note: true, due: true, when: (d) => d.outcome === 'overdue' },
  { act: 'refuse', roles: ['desk_officer', 'specialist', 'leader'], from: ['submitted', 'received', 'processing'], note: true, kind: 'danger' },
  { act: 'withdraw', roles: ['desk_officer'], from: OPEN, note: true, kind: 'danger' },
  { act: 'cancel', roles: ['desk_officer', 'leader'], from: OPEN, note: true, kind: 'danger' },
];

// The API names some fields differently from the request (core's applicant check says "name",
// "idno", "phone"; a missing procedure is reported on "code"): map them to the form's controls.
const RECEIVE_ALIASES = {
  name: 'applicant_name', idno: 'applicant_idno', phone: 'applicant_phone', address: 'applicant_address',
  procedure: 'procedure_search', code: 'procedure_search',
};

export default async function desk(root, params, ctx) {
  if (!session.user) return loginCard(root, ctx, 'login.for_desk');
  if (!OFFICER_ROLES.includes(session.user.role)) {
    root.append(h('div', { class: 'notice warn' }, tx('span', 'desk.not_officer')));
    return;
  }
  if (params.code) return dossierPage(root, params.code, ctx);
  const unitMap = await units();
  root.append(h('div', { class: 'page-title' },
    h('div', {}, tx('h1', 'desk.title'), h('p', { class: 'muted', id: 'desk-unit' }, unitName(unitMap, session.user.unit)))));
  const defs = [];
  if (session.user.role === 'desk_officer') defs.push({ id: 'receive', label: 'desk.tab.receive', load: (p) => receiveForm(p, unitMap) });
  defs.push({ id: 'queue', label: 'desk.tab.queue', load: (p, tab) => queuePanel(p, tab), reload: true });
  defs.push({ id: 'overdue', label: 'desk.tab.overdue', load: (p, tab) => overduePanel(p, tab), reload: true });
  defs.push({ id: 'cross', label: 'desk.tab.cross', load: (p) => crossPanel(p, unitMap), reload: true });
  defs.push({ id: 'find', label: 'desk.tab.find', load: (p) => findPanel(p) });
  // online dossiers to check before reception (efile.js, docs/efile.md)
  defs.push({ id: 'efile', label: 'desk.tab.efile', load: (p, tab) => deskEfilePanel(p, tab, setCount), reload: true });
  tabs(root, defs, params.tab);
}

// --- tabs (WAI-ARIA tabs pattern: arrows, Home, End move between tabs)

function tabs(root, defs, initial) {
  const list = h('div', { class: 'tabs', role: 'tablist', i18nAttr: 'aria-label:desk.tabs' });
  const items = defs.map((d) => {
    const count = h('span', { class: 'count hidden', id: `count-${d.id}` });
    const tab = h('button', { type: 'button', role: 'tab', id: `tab-${d.id}`, 'aria-controls': `panel-${d.id}`, 'aria-selected': 'false', tabindex: '-1' },
      tx('span', d.label), count);
    const panel = h('section', { role: 'tabpanel', id: `panel-${d.id}`, 'aria-labelledby': `tab-${d.id}`, hidden: true });
    list.append(tab);
    return { d, tab, panel, count, loaded: false };
  });
  const select = (i, focus) => {
    items.forEach((it, k) => {
      const on = k === i;
      it.tab.setAttribute('aria-selected', String(on));
      it.tab.tabIndex = on ? 0 : -1;
      it.panel.hidden = !on;
    });
    const it = items[i];
    if (focus) it.tab.focus();
    if (!it.loaded || it.d.reload) {
      it.loaded = true;
      it.panel.replaceChildren(tx('p', 'loading', null, { class: 'loading' }));
      Promise.resolve(it.d.load(it.panel, it)).catch((e) => it.panel.replaceChildren(errorNotice(e)));
    }
  };
  items.forEach((it, i) => {
    it.tab.addEventListener('click', () => select(i, false));
    it.tab.addEventListener('keydown', (ev) => {
      const n = items.length;
      const k = { ArrowRight: (i + 1) % n, ArrowLeft: (i - 1 + n) % n, Home: 0, End: n - 1 }[ev.key];
      if (k !== undefined) {
        ev.preventDefault();
        select(k, true);
      }
    });
  });
  root.append(list, ...items.map((it) => it.panel));
  const start = Math.max(0, items.findIndex((it) => it.d.id === initial));
  select(start, false);
  // counts for the queue and overdue tabs, so the officer sees them without opening the tab
  for (const it of items) {
    if (it.d.id === 'overdue' && start !== items.indexOf(it)) {
      api('GET', `/api/dossiers${qs({ outcome: 'overdue', limit: 500 })}`)
        .then((r) => setCount(it, r.dossiers.length, r.next_offset !== null, true)).catch(() => {});
    }
  }
}

function setCount(tabItem, n, more, alert) {
  tabItem.count.textContent = more ? `${n}+` : String(n);
  tabItem.count.classList.toggle('hidden', false);
  tabItem.count.classList.toggle('alert', !!alert && n > 0);
}

// --- units within the signed-in user's scope (the unit and everything below it)

function scopeUnits(unitMap) {
  const root = session.user.unit;
  const inScope = (u) => {
    for (let c = u; c; c = unitMap.get(c.parent)) if (c.code === root) return true;
    return false;
  };
  return [...unitMap.values()].filter(inScope).sort((a, b) => a.code.localeCompare(b.code));
}

// --- receive a dossier

function receiveForm(panel, unitMap) {
  const scoped = scopeUnits(unitMap);
  const unitSel = h('select', { name: 'unit' },
    scoped.map((u) => h('option', { value: u.code, selected: u.code === session.user.unit }, `${u.name} (${u.code})`)));

  // procedure search: a combobox whose options come from GET /api/procedures?q=
  const search = h('input', {
    type: 'text', name: 'procedure_search', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
    'aria-controls': 'proc-list', autocomplete: 'off', spellcheck: 'false', i18nAttr: 'placeholder:desk.proc.placeholder',
  });
  const listbox = h('ul', { class: 'combo-list hidden', id: 'proc-list', role: 'listbox', i18nAttr: 'aria-label:desk.proc.results' });
  const procCard = h('div', { id: 'proc-card', 'aria-live': 'polite' });
  // The deciding authority, for a procedure received regardless of residence (Decree
  // 118/2025/NĐ-CP; the province's list is the catalogue's "receive" column): empty when the
  // receiving unit decides. Hidden for the other procedures.
  const deciderSel = h('select', { name: 'decider', id: 'f-decider' });
  const deciderBox = h('div', { id: 'decider-box', hidden: true },
    field('desk.decider', deciderSel, { hint: 'desk.decider.hint' }));
  const LEVEL_KINDS = { commune: ['commune', 'ward'], district: ['district'], province: ['province', 'department'] };
  const showDecider = (p) => {
    const wide = p && (p.receive === 'province' || p.receive === 'nation');
    deciderBox.hidden = !wide;
    if (!wide) {
      deciderSel.replaceChildren();
      return;
    }
    const kinds = LEVEL_KINDS[p.level] || [];
    const cands = [...unitMap.values()].filter((u) => kinds.includes(u.kind) && u.code !== unitSel.value)
      .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    deciderSel.replaceChildren(h('option', { value: '', i18n: 'desk.decider.self' }),
      ...cands.map((u) => h('option', { value: u.code }, u.name)));
  };
  const docsBox = h('div', { id: 'docs-box' });
  let chosen = null;
  let options = [];
  let active = -1;
  let timer = null;
  let seq = 0;

  const close = () => {
    listbox.classList.add('hidden');
    search.setAttribute('aria-expanded', 'false');
    search.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const mark = (i) => {
    active = i;
    listbox.querySelectorAll('[role="option"]').forEach((li, k) => li.setAttribute('aria-selected', String(k === i)));
    const li = listbox.querySelector(`#proc-opt-${i}`);
    if (li) {
      search.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    }
  };
  const choose = async (p) => {
    close();
    search.value = `${p.code} — ${p.name}`;
    chosen = await procedure(p.code);
    // the "no procedure chosen" error, if shown, no longer holds
    const err = search.closest('.field').querySelector('.field-error');
    if (err) {
      err.remove();
      search.removeAttribute('aria-invalid');
      search.setAttribute('aria-describedby', 'proc-hint');
    }
    showProcedure(chosen);
    showDecider(chosen);
  };
  const lookup = async () => {
    const q = search.value.trim();
    const my = ++seq;
    if (!q) {
      close();
      return;
    }
    let r;
    try {
      r = await api('GET', `/api/procedures${qs({ q })}`);
    } catch (e) {
      showError(form, e, { q: 'procedure_search' });
      return;
    }
    if (my !== seq) return;
    options = r.procedures.slice(0, 30);
    listbox.replaceChildren(...(options.length
      ? options.map((p, i) => h('li', { role: 'option', id: `proc-opt-${i}`, 'aria-selected': 'false', onmousedown: (ev) => { ev.preventDefault(); choose(p); } },
        h('span', {}, p.name), h('span', { class: 'meta' }, `${p.code} · ${p.field} · ${p.time_text}`)))
      : [tx('li', 'desk.proc.none', null, { class: 'empty', role: 'option', 'aria-disabled': 'true' })]));
    listbox.classList.remove('hidden');
    search.setAttribute('aria-expanded', 'true');
    active = -1;
  };
  search.addEventListener('input', () => {
    chosen = null;
    procCard.replaceChildren();
    docsBox.replaceChildren();
    showDecider(null);
    clearTimeout(timer);
    timer = setTimeout(lookup, 180);
  });
  search.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' && options.length) {
      ev.preventDefault();
      if (listbox.classList.contains('hidden')) lookup();
      mark(Math.min(active + 1, options.length - 1));
    } else if (ev.key === 'ArrowUp' && options.length) {
      ev.preventDefault();
      mark(Math.max(active - 1, 0));
    } else if (ev.key === 'Enter' && !listbox.classList.contains('hidden')) {
      ev.preventDefault();
      if (active >= 0 && options[active]) choose(options[active]);
      else if (options.length === 1) choose(options[0]);
    } else if (ev.key === 'Escape') {
      close();
    }
  });
  search.addEventListener('blur', () => setTimeout(close, 150));

  const showProcedure = (p) => {
    procCard.replaceChildren(h('div', { class: 'proc-card' },
      h('strong', {}, p.name),
      h('dl', {},
        tx('dt', 'proc.code'), h('dd', { class: 'mono' }, p.code),
        tx('dt', 'proc.field'), h('dd', {}, p.field),
        tx('dt', 'proc.time'), h('dd', {}, p.time_text),
        tx('dt', 'proc.fee'), h('dd', {}, p.fee_vnd === null ? (p.fee_note || '—') : p.fee_vnd === 0 ? t('proc.free') : `${p.fee_vnd.toLocaleString('vi-VN')} đ`),
        tx('dt', 'proc.online'), tx('dd', `online.${p.online}`),
        p.legal_basis ? [tx('dt', 'proc.legal'), h('dd', {}, p.legal_basis)] : null)));
    const boxes = p.documents.map((name, i) => h('div', { class: 'choice' },
      h('input', { type: 'checkbox', name: 'documents', value: String(i + 1), id: `doc-${i + 1}` }),
      h('label', { for: `doc-${i + 1}` }, name)));
    const all = h('button', { type: 'button', class: 'btn secondary', id: 'docs-all' }, tx('span', 'desk.docs.all'));
    const count = h('p', { class: 'hint', id: 'docs-count', 'aria-live': 'polite' });
    const recount = () => {
      const n = docsBox.querySelectorAll('input[name="documents"]:checked').length;
      count.dataset.i18n = 'desk.docs.count';
      count.dataset.i18nVars = JSON.stringify({ n, total: p.documents.length });
      count.textContent = t('desk.docs.count', { n, total: p.documents.length });
    };
    all.addEventListener('click', () => {
      docsBox.querySelectorAll('input[name="documents"]').forEach((c) => { c.checked = true; });
      recount();
    });
    docsBox.replaceChildren(h('fieldset', {},
      tx('legend', 'desk.docs.legend'),
      p.documents.length ? boxes : tx('p', 'desk.docs.none', null, { class: 'muted' }),
      p.documents.length ? h('div', { class: 'actions' }, all, count) : null));
    docsBox.addEventListener('change', recount);
    recount();
  };

  const name = h('input', { type: 'text', name: 'applicant_name', autocomplete: 'name' });
  const idno = h('input', { type: 'text', name: 'applicant_idno', inputmode: 'numeric', autocomplete: 'off' });
  const phone = h('input', { type: 'tel', name: 'applicant_phone', autocomplete: 'tel' });
  const address = h('input', { type: 'text', name: 'applicant_address', autocomplete: 'street-address' });
  const channel = h('fieldset', {}, tx('legend', 'desk.channel'),
    h('div', { class: 'inline-choices' }, ['direct', 'online', 'postal'].map((c) => h('div', { class: 'choice' },
      h('input', { type: 'radio', name: 'channel', value: c, id: `ch-${c}`, checked: c === 'direct' }),
      h('label', { for: `ch-${c}`, i18n: `channel.${c}` })))));
  const flags = h('fieldset', {}, tx('legend', 'desk.flags'),
    h('div', { class: 'choice' }, h('input', { type: 'checkbox', name: 'digitised', id: 'f-digitised' }), h('label', { for: 'f-digitised', i18n: 'desk.digitised' })),
    h('div', { class: 'choice' }, h('input', { type: 'checkbox', name: 'fee_paid_online', id: 'f-fee' }), h('label', { for: 'f-fee', i18n: 'desk.fee_paid_online' })));
  const submit = h('button', { type: 'submit', class: 'btn', id: 'receive-submit' }, tx('span', 'desk.receive.submit'));

  const form = h('form', { class: 'card', novalidate: true, id: 'receive-form', 'aria-labelledby': 'receive-title' },
    h('div', { class: 'card-head' }, tx('h2', 'desk.receive.title', null, { id: 'receive-title' }), tx('span', 'desk.receive.required', null, { class: 'small muted' })),
    h('div', { class: 'grid grid-side' },
      h('div', {},
        field('desk.unit', unitSel, { required: true }),
        h('div', { class: 'field combo' },
          h('label', { for: 'f-procedure_search' }, tx('span', 'desk.proc.label'), h('span', { class: 'req', 'aria-hidden': 'true' }, '*')),
          Object.assign(search, { id: 'f-procedure_search' }), listbox,
          tx('p', 'desk.proc.hint', null, { class: 'hint', id: 'proc-hint' })),
        procCard, deciderBox, docsBox),
      h('div', {},
        h('fieldset', {}, tx('legend', 'desk.applicant'),
          field('desk.applicant_name', name, { required: true }),
          field('desk.applicant_idno', idno, { hint: 'desk.applicant_idno.hint' }),
          field('desk.applicant_phone', phone, { hint: 'desk.applicant_phone.hint' }),
          field('desk.applicant_address', address)),
        channel, flags)),
    h('div', { class: 'actions' }, submit));
  search.setAttribute('aria-describedby', 'proc-hint');

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    if (!chosen) {
      showError(form, { code: 'missing_field', field: 'procedure', rule: 'ui', message: t('desk.proc.pick') }, RECEIVE_ALIASES);
      return;
    }
    const body = {
      unit: unitSel.value,
      procedure: chosen.code,
      channel: form.querySelector('input[name="channel"]:checked').value,
      applicant_name: name.value.trim(),
      documents: [...form.querySelectorAll('input[name="documents"]:checked')].map((c) => Number(c.value)),
      digitised: form.querySelector('#f-digitised').checked,
      fee_paid_online: form.querySelector('#f-fee').checked,
    };
    for (const [k, el] of [['applicant_idno', idno], ['applicant_phone', phone], ['applicant_address', address]])
      if (el.value.trim()) body[k] = el.value.trim();
    if (!deciderBox.hidden && deciderSel.value) body.decider = deciderSel.value;
    await busy(submit, async () => {
      let d;
      try {
        d = await api('POST', '/api/dossiers', body);
      } catch (e) {
        showError(form, e, RECEIVE_ALIASES);
        return;
      }
      toast('desk.received', { code: d.code });
      const docs = body.documents.map((i) => chosen.documents[i - 1]);
      await showReceipt(panel, d, chosen, docs, unitMap, () => receiveForm(panel, unitMap));
    });
  });
  panel.replaceChildren(form);
}

async function showReceipt(panel, d, proc, docs, unitMap, again) {
  const unit = unitMap.get(d.unit);
  const parent = unit && unit.parent ? unitMap.get(unit.parent) : null;
  const decider = d.decider ? unitMap.get(d.decider) || { code: d.decider, name: d.decider } : null;
  const el = await receiptEl({ d, proc, docs, unit, parent, decider, officer: session.user.full_name || session.user.username });
  const printBtn = h('button', { type: 'button', class: 'btn', id: 'print-receipt' }, tx('span', 'desk.receipt.print'));
  printBtn.addEventListener('click', () => printReceipt(el));
  const newBtn = h('button', { type: 'button', class: 'btn secondary', id: 'receive-another' }, tx('span', 'desk.receipt.another'));
  newBtn.addEventListener('click', again);
  panel.replaceChildren(
    h('div', { class: 'notice ok no-print', role: 'status' }, tx('span', 'desk.received', { code: d.code })),
    h('div', { class: 'actions no-print' }, printBtn, newBtn,
      h('a', { class: 'btn secondary', href: `#/mot-cua/ho-so/${encodeURIComponent(d.code)}`, id: 'open-dossier' }, tx('span', 'desk.receipt.open'))),
    h('div', { class: 'receipt-holder' }, el));
  printBtn.focus();
}

// --- lists

function codeLink(code) {
  return h('a', { href: `#/mot-cua/ho-so/${encodeURIComponent(code)}`, class: 'mono' }, code);
}

// A cell that shows the procedure's name once it is known (procedures are cached).
function procCell(code, stepOf) {
  const td = h('td', {}, h('span', { class: 'mono small' }, code));
  procedure(code).then((p) => {
    const kids = [h('span', {}, p.name)];
    if (stepOf) {
      const s = stepOf > 0 && stepOf <= p.steps.length ? p.steps[stepOf - 1] : null;
      if (s) kids.push(h('span', { class: 'small muted' }, ` — ${s.name}`));
    }
    td.replaceChildren(...kids);
  }).catch(() => {});
  return td;
}

function stepText(d) {
  if (d.status !== 'processing') return null;
  return t('desk.step_of', { k: d.step, n: d.n_steps });
}

function dossierTable(rows, kind, captionKey) {
  const head = {
    queue: ['col.code', 'col.applicant', 'col.procedure', 'col.received', 'col.due', 'col.status'],
    overdue: ['col.code', 'col.applicant', 'col.procedure_step', 'col.due', 'col.late_by', 'col.officer', 'col.status'],
  }[kind];
  const body = rows.length
    ? rows.map((d) => {
      if (kind === 'overdue') {
        const late = daysBetween(d.due_at, nowVNInstant());
        return h('tr', { dataset: { code: d.code } },
          h('td', {}, codeLink(d.code)),
          h('td', {}, d.applicant.name),
          procCell(d.procedure, d.status === 'processing' ? d.step : 0),
          h('td', { class: 'nowrap' }, fmtInstant(d.due_at)),
          h('td', { class: 'num' }, late === null ? '—' : tx('span', 'desk.days', { n: Math.max(late, 0) })),
          h('td', {}, d.officer || '—', stepText(d) ? h('div', { class: 'small muted' }, stepText(d)) : null),
          h('td', {}, statusBadge(d.status)));
      }
      return h('tr', { dataset: { code: d.code } },
        h('td', {}, codeLink(d.code)),
        h('td', {}, d.applicant.name),
        procCell(d.procedure, 0),
        h('td', { class: 'nowrap' }, fmtInstant(d.received_at || d.submitted_at)),
        h('td', { class: 'nowrap' }, fmtInstant(d.due_at)),
        h('td', {}, statusBadge(d.status), ' ', outcomeBadge(d.outcome)));
    })
    : [h('tr', { class: 'empty-row' }, h('td', { colspan: head.length, i18n: 'desk.list.empty' }))];
  return h('div', { class: 'table-wrap' }, h('table', {},
    captionKey ? h('caption', { class: 'sr-only', i18n: captionKey }) : null,
    h('thead', {}, h('tr', {}, head.map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', {}, body)));
}

async function queuePanel(panel, tabItem) {
  const today = todayVN();
  const sections = [
    { key: 'desk.queue.today', q: { from: today, to: today, limit: 500 } },
    { key: 'desk.queue.to_return', q: { status: 'result_ready', limit: 500 } },
    { key: 'desk.queue.submitted', q: { status: 'submitted', limit: 500 } },
    { key: 'desk.queue.supplement', q: { status: 'supplement_requested', limit: 500 } },
  ];
  const results = await Promise.all(sections.map((s) => api('GET', `/api/dossiers${qs(s.q)}`)));
  setCount(tabItem, results[0].dossiers.length, results[0].next_offset !== null, false);
  panel.replaceChildren(...sections.map((s, i) => h('div', { class: 'card', id: `queue-${i}` },
    h('div', { class: 'card-head' }, tx('h2', s.key), tx('span', 'desk.list.count', { n: results[i].dossiers.length }, { class: 'small muted' }),
      results[i].dossiers.length ? exportButtons(`/api/dossiers${qs(s.q)}`, `export-queue-${i}`) : null),
    dossierTable(results[i].dossiers, 'queue', s.key))));
}

async function overduePanel(panel, tabItem) {
  const r = await api('GET', `/api/dossiers${qs({ outcome: 'overdue', limit: 500 })}`);
  const rows = r.dossiers.slice().sort((a, b) => (a.step_due_at || a.due_at || '').localeCompare(b.step_due_at || b.due_at || ''));
  setCount(tabItem, rows.length, r.next_offset !== null, true);
  panel.replaceChildren(h('div', { class: 'card' },
    h('div', { class: 'card-head' }, tx('h2', 'desk.overdue.title'), tx('span', 'desk.list.count', { n: rows.length }, { class: 'small muted' }),
      rows.length ? exportButtons(`/api/dossiers${qs({ outcome: 'overdue', limit: 500 })}`, 'export-overdue') : null),
    tx('p', 'desk.overdue.lead', null, { class: 'muted' }),
    dossierTable(rows, 'overdue', 'desk.overdue.title')));
}

// Dossiers received regardless of residence (Decree 118/2025/NĐ-CP) in the last twelve months
// where the officer's unit is one side: received here for another unit to decide, or received
// at another unit's desk for this one (GET /api/reports/receiving_dossiers). Those decided here
// are processed like the unit's own: the code opens the dossier.
async function crossPanel(panel, unitMap) {
  const to = todayVN();
  const d = new Date(`${to}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 364);
  const from = d.toISOString().slice(0, 10);
  const r = await api('GET', `/api/reports/receiving_dossiers${qs({ period: `${from}..${to}` })}`);
  const mine = new Set([...unitMap.values()].filter((u) => {
    for (let c = u; c; c = unitMap.get(c.parent)) if (c.code === session.user.unit) return true;
    return false;
  }).map((u) => u.name));
  const rows = (r.rows || []).slice().sort((a, b) => (b.received_at || '').localeCompare(a.received_at || ''));
  const forUs = rows.filter((x) => mine.has(x.decider) && !mine.has(x.unit)).length;
  const head = ['col.code', 'col.procedure', 'desk.cross.received_by', 'desk.cross.decided_by', 'col.received', 'col.due', 'col.status'];
  const table = h('div', { class: 'table-wrap' }, h('table', { id: 'cross-table' },
    tx('caption', 'desk.tab.cross', null, { class: 'sr-only' }),
    h('thead', {}, h('tr', {}, head.map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', {}, rows.length
      ? rows.map((x) => h('tr', { dataset: { code: x.code }, class: mine.has(x.decider) && !mine.has(x.unit) ? 'for-us' : null },
        h('td', {}, codeLink(x.code)),
        procCell(x.procedure, 0),
        h('td', {}, x.unit),
        h('td', {}, mine.has(x.decider) ? h('strong', {}, x.decider) : x.decider),
        h('td', { class: 'nowrap' }, fmtInstant(x.received_at)),
        h('td', { class: 'nowrap' }, fmtInstant(x.due_at)),
        h('td', {}, x.status)))
      : [h('tr', { class: 'empty-row' }, h('td', { colspan: head.length, i18n: 'desk.list.empty' }))])));
  panel.replaceChildren(h('div', { class: 'card' },
    h('div', { class: 'card-head' }, tx('h2', 'desk.cross.title'),
      tx('span', 'desk.cross.count', { n: rows.length, us: forUs }, { class: 'small muted', id: 'cross-count' }),
      rows.length ? exportButtons(`/api/reports/receiving_dossiers${qs({ period: `${from}..${to}` })}`, 'export-cross') : null),
    tx('p', 'desk.cross.lead', null, { class: 'muted' }),
    table));
}

function findPanel(panel) {
  const input = h('input', { type: 'search', name: 'q', autocomplete: 'off' });
  const submit = h('button', { type: 'submit', class: 'btn' }, tx('span', 'desk.find.submit'));
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card', novalidate: true, role: 'search' },
    field('desk.find.label', input, { hint: 'desk.find.hint' }), h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const q = input.value.trim();
    if (/^[0-9A-Za-z.]+-\d{6}-\d{4}$/.test(q)) {
      location.hash = `#/mot-cua/ho-so/${encodeURIComponent(q)}`;
      return;
    }
    await busy(submit, async () => {
      try {
        const r = await api('GET', `/api/dossiers${qs({ name: q, limit: 100 })}`);
        out.replaceChildren(dossierTable(r.dossiers, 'queue', 'desk.tab.find'));
      } catch (e) {
        showError(form, e, { name: 'q' });
      }
    });
  });
  panel.replaceChildren(form, out);
  input.focus();
}

// --- one dossier

async function dossierPage(root, code, ctx) {
  const back = h('a', { href: '#/mot-cua', class: 'no-print' }, tx('span', 'desk.back'));
  root.append(h('p', {}, back));
  let d;
  let hist;
  try {
    [d, hist] = await Promise.all([
      api('GET', `/api/dossiers/${encodeURIComponent(code)}`),
      api('GET', `/api/dossiers/${encodeURIComponent(code)}/history`),
    ]);
  } catch (e) {
    root.append(errorNotice(e));
    return;
  }
  const [proc, unitMap] = await Promise.all([procedure(d.procedure).catch(() => null), units()]);
  const stepName = proc && d.step >= 1 && d.step <= proc.steps.length ? proc.steps[d.step - 1].name : null;
  // a dossier whose story is over (or waiting at the desk to be handed over) has no step held
  const closed = ['result_ready', 'returned', 'refused', 'withdrawn', 'cancelled'].includes(d.status);
  const a = d.applicant;
  const info = h('section', { class: 'card', 'aria-labelledby': 'dossier-title' },
    h('div', { class: 'card-head' },
      h('h1', { id: 'dossier-title' }, tx('span', 'desk.dossier.title'), ' ', h('span', { class: 'code-big', id: 'dossier-code' }, d.code)),
      h('span', { id: 'dossier-status' }, statusBadge(d.status), ' ', outcomeBadge(d.outcome))),
    h('p', {}, h('strong', {}, proc ? proc.name : d.procedure), proc ? h('span', { class: 'muted' }, ` (${proc.code} · ${proc.time_text})`) : null),
    h('div', { class: 'grid grid-2' },
      h('dl', { class: 'kv' },
        tx('dt', 'desk.applicant_name'), h('dd', {}, a.name),
        tx('dt', 'desk.applicant_idno'), h('dd', {}, a.idno || '—'),
        tx('dt', 'desk.applicant_phone'), h('dd', {}, a.phone || '—'),
        tx('dt', 'desk.applicant_address'), h('dd', {}, a.address || '—'),
        tx('dt', 'desk.unit'), h('dd', {}, unitName(unitMap, d.unit)),
        tx('dt', 'desk.channel'), tx('dd', `channel.${d.channel}`)),
      h('dl', { class: 'kv' },
        tx('dt', 'col.received'), h('dd', {}, fmtInstant(d.received_at)),
        tx('dt', 'col.due'), h('dd', { id: 'dossier-due' }, fmtInstant(d.due_at)),
        d.apology_due_at ? [tx('dt', 'desk.apology_due'), h('dd', {}, fmtInstant(d.apology_due_at))] : null,
        tx('dt', 'desk.step'), h('dd', { id: 'dossier-step' }, closed
          ? tx('span', `desk.closed.${d.status}`)
          : d.status === 'processing' || d.step
            ? [t('desk.step_of', { k: d.step, n: d.n_steps }), stepName ? ` — ${stepName}` : ''] : '—'),
        closed ? null : [tx('dt', 'desk.step_due'), h('dd', {}, fmtInstant(d.step_due_at)),
          tx('dt', 'col.officer'), h('dd', {}, d.officer ? personName(hist, d.officer) : '—')],
        d.result_at ? [tx('dt', 'desk.result_at'), h('dd', {}, fmtInstant(d.result_at))] : null,
        d.returned_at ? [tx('dt', 'desk.returned_at'), h('dd', {}, fmtInstant(d.returned_at))] : null)));

  const actions = actionsCard(d, () => ctx.rerender());
  const docs = hist.documents.map((x) => x.text);
  const printBtn = h('button', { type: 'button', class: 'btn secondary', id: 'reprint-receipt' }, tx('span', 'desk.receipt.print'));
  printBtn.addEventListener('click', async () => {
    const unit = unitMap.get(d.unit);
    const parent = unit && unit.parent ? unitMap.get(unit.parent) : null;
    const decider = d.decider ? unitMap.get(d.decider) || { code: d.decider, name: d.decider } : null;
    printReceipt(await receiptEl({ d, proc, docs, unit, parent, decider, officer: firstActorName(hist) }));
  });
  // The receipt as the server's PDF (Mẫu 01 of the circular of its date, with the QR code that
  // proves it; docs/forms.md).
  const pdfLink = h('a', { class: 'btn secondary', id: 'download-receipt-pdf', download: '',
    href: `/api/dossiers/${encodeURIComponent(d.code)}/forms/01` }, tx('span', 'desk.receipt.pdf'));
  const history = h('section', { class: 'card', 'aria-labelledby': 'hist-title' },
    h('div', { class: 'card-head' }, tx('h2', 'desk.history', null, { id: 'hist-title' }),
      d.received_at ? printBtn : null, d.received_at ? pdfLink : null,
      d.status === 'returned' || d.status === 'result_ready' ? slipButton(d.code) : null),
    h('div', { class: 'grid grid-2' },
      h('div', {},
        tx('h3', 'desk.history.events'),
        h('ol', { class: 'timeline', id: 'history-events' }, hist.events.map((ev) => h('li', {},
          h('div', {}, h('strong', { i18n: actionKey(ev.action) }), ' → ', statusBadge(ev.to)),
          h('div', { class: 'when' }, `${fmtInstant(ev.at)} · ${personName(hist, ev.actor)}`),
          // a backdated action (docs/dossiers.md): the mark, and when it was really recorded
          ev.backdated ? h('div', { class: 'backdated' },
            h('span', { class: 'badge backdated', i18n: 'desk.history.backdated' }), ' ',
            tx('span', 'desk.history.recorded_at', { at: fmtInstant(ev.at), rec: fmtInstant(ev.recorded_at) }, { class: 'small' }))
            : null,
          ev.note ? h('div', { class: 'small' }, ev.note) : null)))),
      h('div', {},
        tx('h3', 'desk.history.documents'),
        docs.length ? h('ol', {}, docs.map((x) => h('li', {}, x))) : tx('p', 'desk.docs.none', null, { class: 'muted' }),
        tx('h3', 'desk.history.steps'),
        h('div', { class: 'table-wrap' }, h('table', {},
          h('thead', {}, h('tr', {}, ['col.step', 'col.officer', 'col.due', 'col.finished', 'col.outcome'].map((k) => h('th', { scope: 'col', i18n: k })))),
          h('tbody', {}, hist.steps.length ? hist.steps.map((s) => h('tr', {},
            h('td', {}, `${s.seq}. ${proc && proc.steps[s.seq - 1] ? proc.steps[s.seq - 1].name : ''}`),
            h('td', {}, s.officer ? personName(hist, s.officer) : '—'),
            h('td', { class: 'nowrap' }, fmtInstant(s.due_at)),
            h('td', { class: 'nowrap' }, fmtInstant(s.finished_at)),
            h('td', {}, outcomeBadge(s.outcome) || '—')))
            : h('tr', { class: 'empty-row' }, h('td', { colspan: 5, i18n: 'desk.list.empty' }))))))));
  root.append(info, actions, history);
}

// The officer who received the dossier, by the full name of the account (the history's
// names), so a reprinted receipt is signed as the first print was.
function firstActorName(hist) {
  const ev = hist.events.find((e) => e.action === 'receive');
  return ev ? personName(hist, ev.actor) : '';
}

// An account's full name from the history's names, else the login as recorded.
function personName(hist, username) {
  return (hist.names && hist.names[username]) || username;
}

// The API spells actions with underscores (request_supplement), the routes and the texts with
// hyphens (action.request-supplement).
function actionKey(action) {
  return `action.${String(action).replace(/_/g, '-')}`;
}

function actionsCard(d, reload) {
  const role = session.user.role;
  const allowed = ACTIONS.filter((a) => a.roles.includes(role) && a.from.includes(d.status) && (!a.when || a.when(d)));
  const card = h('section', { class: 'card no-print', id: 'actions', 'aria-labelledby': 'actions-title' },
    h('div', { class: 'card-head' }, tx('h2', 'desk.actions', null, { id: 'actions-title' })));
  if (!allowed.length) {
    if (d.status === 'processing' && d.step >= d.n_steps)
      card.append(tx('p', 'desk.hint.wait_finish', null, { class: 'notice info', id: 'next-hint' }));
    else
      card.append(tx('p', ['returned', 'refused', 'withdrawn', 'cancelled'].includes(d.status) ? 'desk.actions.closed' : 'desk.actions.none', null, { class: 'muted' }));
    return card;
  }
  // what must happen next, and who does it
  if (d.status === 'processing' && d.step >= d.n_steps && !allowed.some((a) => a.act === 'finish'))
    card.append(tx('p', 'desk.hint.wait_finish', null, { class: 'notice info', id: 'next-hint' }));
  else if (d.status === 'result_ready' && role === 'desk_officer')
    card.append(tx('p', 'desk.hint.return', null, { class: 'notice info', id: 'next-hint' }));
  const buttons = h('div', { class: 'actions' });
  const panel = h('div', { class: 'action-panel hidden', id: 'action-panel' });
  for (const a of allowed) {
    const b = h('button', { type: 'button', class: `btn ${a.kind || (a.act === 'advance' ? '' : 'secondary')}`, id: `act-${a.act}`, dataset: { act: a.act } },
      tx('span', `action.${a.act}`));
    b.addEventListener('click', () => openAction(a, d, panel, reload));
    buttons.append(b);
  }
  card.append(buttons, panel);
  return card;
}

function openAction(a, d, panel, reload) {
  const note = a.note ? h('textarea', { name: 'note', maxlength: 1000 }) : null;
  const due = a.due ? h('input', { type: 'datetime-local', name: 'new_due_at' }) : null;
  // the officer for the next step: picked among those who can take it (GET …/assignees:
  // the step's role, the dossier's units, closest first); the first is preselected
  const officer = a.officer ? h('select', { name: 'officer', id: 'act-officer' }, tx('option', 'loading', null, { value: '' })) : null;
  const stepHint = a.officer ? h('p', { class: 'small muted', id: 'act-next-step' }) : null;
  const confirm = h('button', { type: 'submit', class: `btn ${a.kind === 'danger' ? 'danger' : ''}`, id: 'act-confirm' },
    tx('span', 'desk.actions.confirm', { action: t(`action.${a.act}`) }));
  const cancel = h('button', { type: 'button', class: 'btn secondary' }, tx('span', 'desk.actions.cancel'));
  const form = h('form', { novalidate: true, id: 'action-form' },
    tx('h3', `action.${a.act}`),
    tx('p', `action.${a.act}.help`, null, { class: 'muted' }),
    officer ? field('desk.actions.officer', officer) : null,
    stepHint,
    due ? field('desk.actions.new_due', due, { required: true }) : null,
    note ? field(a.act === 'request-supplement' ? 'desk.actions.missing' : 'desk.actions.reason', note, { required: true }) : null,
    h('div', { class: 'actions' }, confirm, cancel));
  cancel.addEventListener('click', () => panel.classList.add('hidden'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = {};
    if (note && note.value.trim()) body.note = note.value.trim();
    if (officer && officer.value.trim()) body.officer = officer.value.trim();
    if (due && due.value) body.new_due_at = due.value;
    await busy(confirm, async () => {
      try {
        await api('POST', `/api/dossiers/${encodeURIComponent(d.code)}/${a.act}`, Object.keys(body).length ? body : undefined);
      } catch (e) {
        showError(form, e, { at: 'new_due_at' });
        return;
      }
      toast('desk.actions.done', { action: t(`action.${a.act}`), code: d.code });
      await reload();
    });
  });
  panel.replaceChildren(form);
  panel.classList.remove('hidden');
  (officer || due || note || confirm).focus();
  if (officer) fillAssignees(d, officer, stepHint);
}

async function fillAssignees(d, sel, hint) {
  let res;
  try {
    res = await api('GET', `/api/dossiers/${encodeURIComponent(d.code)}/assignees`);
  } catch (e) {
    sel.replaceChildren(h('option', { value: '' }, t('desk.actions.officer.self')));
    hint.replaceChildren(errorNotice(e));
    return;
  }
  const mine = session.user.username;
  const opts = res.officers.map((o) => h('option', { value: o.username },
    `${o.full_name} — ${o.role_label}, ${o.unit_name}${o.username === mine ? ` (${t('desk.actions.officer.you')})` : ''}`));
  if (!res.officers.some((o) => o.username === mine)) opts.push(h('option', { value: '' }, t('desk.actions.officer.self')));
  sel.replaceChildren(...opts);
  hint.replaceChildren(res.step
    ? tx('span', 'desk.actions.officer.next', { n: res.step, step: res.step_name, role: res.step_role_label })
    : tx('span', 'desk.actions.officer.last'));
  if (!res.officers.length) hint.append(' ', tx('span', 'desk.actions.officer.none'));
}
