// efile.js — online filing (nộp hồ sơ trực tuyến, docs/efile.md), phone first:
//   #/nop-truc-tuyen             the procedures offered online (full or partial)
//   #/nop-truc-tuyen/<procedure> the citizen confirms a phone or e-mail by a one-time code,
//                                fills the applicant and the receiving unit, uploads each listed
//                                document (the raw file; the server reads its type from the
//                                content and refuses 415/413 next to that document), submits and
//                                gets the dossier's code
//   #/nop-truc-tuyen/<procedure>?ho-so=<id>  one of the citizen's own filings, reopened: the
//                                supplement the desk asks for, or the electronic result to take
// The list page also shows the confirmed citizen's own filings (GET /api/public/efile) with
// "Tải kết quả điện tử" where the result is available online; the lookup page (citizen.js)
// shows the same button for a dossier of theirs (efileLookupCard).
// and, for the desk (desk.js's tab "Hồ sơ trực tuyến"), the online dossiers to check with their
// documents and the receive / request-supplement actions.

import { api, apiUpload, procedure, units, unitName } from './api.js';
import { h, tx, field, showError, clearErrors, busy, fmtInstant, statusBadge, errorNotice, toast } from './dom.js';
import { t, fmtInt, currentLang } from './i18n.js';
import { exportButtons } from './export.js';

const ONLINE = ['full', 'partial'];
// unit kinds that receive a procedure of a level (a hint for the list; the server decides)
const KINDS = {
  commune: ['commune', 'ward', 'town', 'special_zone'],
  district: ['district'],
  province: ['province', 'department', 'agency'],
};

function sizeText(n) {
  return n >= 1048576 ? t('efile.size.mb', { n: (n / 1048576).toFixed(1).replace('.', ',') }) : t('efile.size.kb', { n: fmtInt(Math.max(1, Math.round(n / 1024))) });
}

export default async function efile(root, params) {
  if (!params.proc) return listPage(root);
  return filingPage(root, params.proc, params.filing);
}

async function listPage(root) {
  root.append(tx('h1', 'efile.list.title'), tx('p', 'efile.list.lead', null, { class: 'muted' }));
  let r;
  try {
    r = await api('GET', '/api/procedures');
  } catch (e) {
    root.append(errorNotice(e));
    return;
  }
  const procs = r.procedures.filter((p) => ONLINE.includes(p.online));
  const mine = await myFilings();
  if (mine && mine.items.length) root.append(mineCard(mine));
  if (!procs.length) {
    root.append(tx('p', 'efile.list.empty', null, { class: 'notice info' }));
    return;
  }
  root.append(h('ul', { class: 'ef-list', id: 'efile-list' }, procs.map((p) => h('li', { class: 'card' },
    h('strong', {}, p.name),
    h('div', { class: 'muted small' }, `${p.code} · ${p.field} · ${p.online_label}`),
    h('p', {}, h('a', { class: 'btn', href: `#/nop-truc-tuyen/${encodeURIComponent(p.code)}`, i18n: 'efile.start' }))))));
}

// --- the citizen's filing

async function filingPage(root, code, filingId) {
  const box = h('div', { class: 'narrow', id: 'efile' });
  root.append(box);
  let proc;
  try {
    proc = await procedure(code);
  } catch (e) {
    box.append(errorNotice(e));
    return;
  }
  box.append(tx('p', 'efile.kicker', null, { class: 'muted small' }), h('h1', { id: 'efile-title' }, proc.name),
    h('p', { class: 'muted' }, `${proc.code} · ${proc.online_label} · ${proc.time_text}`));
  if (!ONLINE.includes(proc.online)) {
    box.append(tx('p', 'efile.not_online', null, { class: 'notice warn', id: 'efile-not-online' }));
    return;
  }
  const idCard = h('section', { class: 'card', id: 'ef-identity', 'aria-labelledby': 'ef-id-title' });
  const work = h('div', { id: 'ef-work' });
  box.append(idCard, work);
  let contact = null;
  try {
    contact = (await api('GET', '/api/public/citizen')).contact;
  } catch (e) {
    if (e.status !== 401) {
      idCard.append(errorNotice(e));
      return;
    }
  }
  const proceed = async (c) => {
    idCard.replaceChildren(tx('h2', 'efile.id.title', null, { id: 'ef-id-title' }),
      h('p', { class: 'notice ok', id: 'ef-confirmed' }, tx('span', 'efile.id.confirmed', { contact: c })));
    await resume(work, proc, c, filingId);
  };
  if (contact) return proceed(contact);
  identityForm(idCard, proceed);
}

// (a) a phone or e-mail proved by a one-time code
function identityForm(card, done) {
  const contact = h('input', { type: 'text', name: 'contact', autocomplete: 'tel', spellcheck: 'false' });
  const send = h('button', { type: 'submit', class: 'btn', id: 'ef-otp-send' }, tx('span', 'efile.id.send'));
  const code = h('input', { type: 'text', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6 });
  const verify = h('button', { type: 'submit', class: 'btn', id: 'ef-otp-verify' }, tx('span', 'efile.id.verify'));
  const codeForm = h('form', { novalidate: true, id: 'ef-otp-code', class: 'hidden' },
    h('p', { class: 'notice info', id: 'ef-otp-sent', role: 'status' }),
    field('efile.id.code', code, { required: true }),
    h('div', { class: 'actions' }, verify));
  const form = h('form', { novalidate: true, id: 'ef-otp-form' },
    field('efile.id.contact', contact, { required: true, hint: 'efile.id.contact.hint' }),
    h('div', { class: 'actions' }, send));
  card.replaceChildren(tx('h2', 'efile.id.title', null, { id: 'ef-id-title' }), tx('p', 'efile.id.lead', null, { class: 'muted' }), form, codeForm);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(send, async () => {
      try {
        await api('POST', '/api/public/otp', { contact: contact.value.trim() });
      } catch (e) {
        showError(form, e);
        return;
      }
      codeForm.querySelector('#ef-otp-sent').replaceChildren(tx('span', 'efile.id.sent', { contact: contact.value.trim() }));
      codeForm.classList.remove('hidden');
      code.focus();
    });
  });
  codeForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(codeForm);
    await busy(verify, async () => {
      let r;
      try {
        r = await api('POST', '/api/public/otp/verify', { contact: contact.value.trim(), code: code.value.trim() });
      } catch (e) {
        showError(codeForm, e, { contact: 'code' });
        return;
      }
      await done(r.contact);
    });
  });
  contact.focus();
}

const storeKey = (proc) => `cchc.efile.${proc}`;

// A filing started earlier in this tab goes on where it stopped; else the applicant form.
async function resume(work, proc, contact, filingId) {
  const id = filingId || sessionStorage.getItem(storeKey(proc.code));
  if (id) {
    try {
      return showFiling(work, proc, await api('GET', `/api/public/efile/${encodeURIComponent(id)}`));
    } catch (e) {
      sessionStorage.removeItem(storeKey(proc.code));
      if (filingId) {
        work.replaceChildren(errorNotice(e));
        return null;
      }
    }
  }
  return applicantForm(work, proc, contact);
}

// (b) the applicant and the receiving unit
async function applicantForm(work, proc, contact) {
  const name = h('input', { type: 'text', name: 'applicant_name', autocomplete: 'name', maxlength: 199 });
  const idno = h('input', { type: 'text', name: 'applicant_idno', inputmode: 'numeric', autocomplete: 'off', maxlength: 12 });
  const phone = h('input', { type: 'tel', name: 'applicant_phone', inputmode: 'tel', autocomplete: 'tel', maxlength: 15, value: /^[+\d][\d .-]*$/.test(contact) ? contact : '' });
  const address = h('input', { type: 'text', name: 'applicant_address', autocomplete: 'street-address', maxlength: 299 });
  const unit = h('select', { name: 'unit', id: 'ef-unit' }, h('option', { value: '', i18n: 'efile.unit.pick' }));
  try {
    const map = await units();
    const kinds = KINDS[proc.level];
    let list = [...map.values()].filter((u) => u.kind !== 'desk' && (!kinds || kinds.includes(u.kind)));
    if (!list.length) list = [...map.values()].filter((u) => u.kind !== 'desk');
    list.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    unit.append(...list.map((u) => h('option', { value: u.code }, u.name)));
  } catch (e) {
    work.append(errorNotice(e));
  }
  const start = h('button', { type: 'submit', class: 'btn', id: 'ef-start' }, tx('span', 'efile.applicant.submit'));
  const form = h('form', { class: 'card', novalidate: true, id: 'ef-applicant', 'aria-labelledby': 'ef-app-title' },
    tx('h2', 'efile.applicant.title', null, { id: 'ef-app-title' }),
    field('efile.applicant.name', name, { required: true }),
    field('efile.applicant.idno', idno),
    field('efile.applicant.phone', phone),
    field('efile.applicant.address', address),
    field('efile.unit', unit, { required: true, hint: 'efile.unit.hint' }),
    h('div', { class: 'actions' }, start));
  work.replaceChildren(form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = { procedure: proc.code, unit: unit.value, applicant_name: name.value.trim() };
    if (idno.value.trim()) body.applicant_idno = idno.value.trim();
    if (phone.value.trim()) body.applicant_phone = phone.value.trim();
    if (address.value.trim()) body.applicant_address = address.value.trim();
    if (!body.unit) {
      showError(form, { code: 'missing_field', field: 'unit', rule: 'ui', message: t('efile.unit.pick') });
      return;
    }
    await busy(start, async () => {
      let f;
      try {
        f = await api('POST', '/api/public/efile', body);
      } catch (e) {
        showError(form, e, { decider: 'unit' });
        return;
      }
      sessionStorage.setItem(storeKey(proc.code), f.id);
      showFiling(work, proc, f);
    });
  });
  name.focus();
}

// (c) the documents, (d) submission; or the dossier once submitted
function showFiling(work, proc, f) {
  const d = f.dossier;
  if (d && d.status !== 'supplement_requested') return showSubmitted(work, f);
  const partial = f.procedure.online === 'partial';
  const docsCard = h('section', { class: 'card', id: 'ef-docs', 'aria-labelledby': 'ef-docs-title' },
    tx('h2', 'efile.docs.title', null, { id: 'ef-docs-title' }),
    tx('p', 'efile.docs.lead', { max: sizeText(f.limits.file_max), total: sizeText(f.limits.dossier_max) }, { class: 'muted small' }));
  if (d) {
    docsCard.prepend(h('div', { class: 'notice warn', id: 'ef-reason' }, tx('strong', 'efile.supplement.asks', { code: d.code }),
      d.reason ? h('p', {}, d.reason) : null));
  }
  const list = h('ol', { class: 'ef-doclist' });
  for (const doc of f.documents) list.append(docItem(f, doc, partial && !d));
  docsCard.append(list);
  const submit = h('button', { type: 'button', class: 'btn ok', id: 'ef-submit' }, tx('span', d ? 'efile.resubmit' : 'efile.submit'));
  const form = h('form', { novalidate: true, id: 'ef-submit-form' }, h('div', { class: 'actions' }, submit));
  docsCard.append(form);
  submit.addEventListener('click', async () => {
    clearErrors(form);
    const paper = [...list.querySelectorAll('input[data-paper]:checked')].map((c) => Number(c.dataset.paper));
    await busy(submit, async () => {
      let r;
      try {
        r = await api('POST', `/api/public/efile/${encodeURIComponent(f.id)}/submit`, paper.length ? { paper } : undefined);
      } catch (e) {
        // a document still missing: the server names it; shown above the button
        showError(form, e);
        return;
      }
      showSubmitted(work, r);
    });
  });
  work.replaceChildren(docsCard);
}

function fileLine(file) {
  if (!file) return tx('span', 'efile.doc.none', null, { class: 'muted' });
  return h('span', { class: 'ef-file' }, '✓ ', file.name, ` (${sizeText(file.size)}, ${fmtInstant(file.uploaded_at)})`);
}

function docItem(f, doc, paperAllowed) {
  const status = h('div', { class: 'small', id: `ef-doc-${doc.doc}-file` }, fileLine(doc.file));
  const input = h('input', { type: 'file', name: `doc-${doc.doc}`, id: `ef-doc-${doc.doc}-input`, accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png' });
  const msg = h('div', { id: `ef-doc-${doc.doc}-msg`, 'aria-live': 'polite' });
  const paper = paperAllowed ? h('label', { class: 'choice small' },
    h('input', { type: 'checkbox', dataset: { paper: String(doc.doc) }, checked: doc.paper }), ' ', tx('span', 'efile.doc.paper')) : null;
  const li = h('li', { id: `ef-doc-${doc.doc}`, class: 'ef-doc' },
    h('div', {}, h('strong', {}, doc.title), doc.optional ? tx('span', 'efile.doc.optional', null, { class: 'muted small' }) : null),
    status,
    h('label', { class: 'btn secondary small', for: input.id }, tx('span', doc.file ? 'efile.doc.replace' : 'efile.doc.choose')),
    input, msg, paper);
  input.classList.add('sr-only');
  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    msg.replaceChildren(tx('p', 'efile.doc.uploading', { name: file.name }, { class: 'small muted' }));
    try {
      const up = await apiUpload('PUT', `/api/public/efile/${encodeURIComponent(f.id)}/documents/${doc.doc}?name=${encodeURIComponent(file.name)}`, file);
      status.replaceChildren(fileLine(up));
      msg.replaceChildren(tx('p', 'efile.doc.uploaded', null, { class: 'small ef-ok', role: 'status' }));
    } catch (e) {
      msg.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, uploadError(e)));
    }
    input.value = '';
  });
  return li;
}

// The server's refusal as the citizen reads it: its own message (in the page's language, naming
// the type found or the size and the limit) when it has one, else the type or the size.
function uploadError(e) {
  if (e.rule && e.message) return h('strong', {}, e.message);
  const key = { 415: 'efile.doc.bad_type', 413: 'efile.doc.too_large' }[e.status];
  return tx('strong', key || (e.code === 'network' ? 'err.network' : 'efile.doc.failed'));
}

function showSubmitted(work, f) {
  const d = f.dossier;
  sessionStorage.removeItem(storeKey(f.procedure.code));
  const fresh = d.status === 'submitted' && !d.supplements;
  work.replaceChildren(h('section', { class: 'card', id: 'ef-done', 'aria-labelledby': 'ef-done-title' },
    tx('h2', fresh ? 'efile.done.title' : 'efile.filing.title', null, { id: 'ef-done-title', tabindex: '-1' }),
    h('p', {}, tx('span', 'efile.done.code'), ' ', h('span', { class: 'code-big', id: 'ef-code' }, d.code)),
    h('p', { id: 'ef-status' }, statusBadge(d.status)),
    fresh ? tx('p', 'efile.done.next', null, { class: 'muted' }) : null,
    resultBlock(f, 'ef-result'),
    h('p', {}, h('a', { class: 'btn secondary', id: 'ef-lookup', href: `#/tra-cuu?code=${encodeURIComponent(d.code)}`, i18n: 'efile.done.lookup' }))));
  work.querySelector('#ef-done-title').focus();
}

// --- the citizen's own filings and the electronic result

const filingHref = (f) => `#/nop-truc-tuyen/${encodeURIComponent(f.procedure.code)}?ho-so=${encodeURIComponent(f.id)}`;

// The confirmed citizen's filings, or null without a confirmed session (or on an error: the
// pages that show them work without).
async function myFilings() {
  try {
    return await api('GET', '/api/public/efile');
  } catch {
    return null;
  }
}

function mineCard(mine) {
  const items = [...mine.items].reverse().map((f) => {
    const d = f.dossier;
    const action = !d ? 'efile.mine.continue' : d.status === 'supplement_requested' ? 'efile.mine.supplement' : 'efile.mine.open';
    return h('li', { class: 'ef-mine-item', dataset: { id: f.id, code: d ? d.code : '' } },
      h('strong', {}, f.procedure.name),
      h('div', { class: 'small' }, d ? [h('span', { class: 'mono' }, d.code), ' ', statusBadge(d.status)] : tx('span', 'efile.mine.draft', null, { class: 'muted' })),
      h('div', { class: 'muted small' }, fmtInstant(f.submitted_at || f.created_at)),
      h('div', { class: 'actions' },
        h('a', { class: `btn ${d && d.status === 'supplement_requested' ? '' : 'secondary'} small ef-mine-open`, href: filingHref(f), i18n: action }),
        resultBlock(f)));
  });
  return h('section', { class: 'card', id: 'ef-mine', 'aria-labelledby': 'ef-mine-title' },
    tx('h2', 'efile.mine.title', null, { id: 'ef-mine-title' }),
    tx('p', 'efile.mine.lead', { contact: mine.contact }, { class: 'muted small' }),
    h('ul', { class: 'ef-mine' }, items));
}

// "Tải kết quả điện tử" with its message line, only when the server says the dossier's result
// can be taken online now (a fully online procedure whose electronic result is registered).
function resultBlock(f, id) {
  if (!f.result || !f.result.available) return null;
  const btn = h('button', { type: 'button', class: 'btn ok ef-result', id: id || null, dataset: { id: f.id } }, tx('span', 'efile.result.take'));
  const msg = h('div', { class: 'ef-result-msg', 'aria-live': 'polite' },
    f.result.taken_online_at ? tx('p', 'efile.result.taken_at', { at: fmtInstant(f.result.taken_online_at) }, { class: 'small muted' }) : null);
  btn.addEventListener('click', () => takeResult(f, btn, msg));
  return h('div', { class: 'ef-result-box' }, btn, msg);
}

// POST …/result answers with the file (and records that it was taken online): saved through
// an object URL under the server's file name.
async function takeResult(f, btn, msg) {
  await busy(btn, async () => {
    let res;
    try {
      res = await fetch(`/api/public/efile/${encodeURIComponent(f.id)}/result`, {
        method: 'POST', credentials: 'same-origin', headers: { 'Accept-Language': currentLang() },
      });
    } catch {
      msg.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, tx('strong', 'err.network')));
      return;
    }
    if (!res.ok) {
      let e = {};
      try {
        e = (await res.json()).error || {};
      } catch {
        e = {};
      }
      msg.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, e.rule && e.message ? h('strong', {}, e.message) : tx('strong', 'efile.result.failed')));
      return;
    }
    const blob = await res.blob();
    const cd = res.headers.get('Content-Disposition') || '';
    const m = /filename\*=UTF-8''([^;]+)/i.exec(cd) || /filename="([^"]+)"/i.exec(cd);
    const name = m ? decodeURIComponent(m[1]) : 'ket-qua';
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: name, class: 'hidden' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    msg.replaceChildren(tx('p', 'efile.result.taken', { name }, { class: 'small ef-ok', role: 'status' }));
  });
}

// On the lookup page (citizen.js): the electronic result, or the way back to the filing, for
// a dossier the confirmed citizen filed online; null otherwise.
export async function efileLookupCard(code) {
  const mine = await myFilings();
  const f = mine && mine.items.find((x) => x.dossier && x.dossier.code === code);
  if (!f) return null;
  const supp = f.dossier.status === 'supplement_requested';
  return h('section', { class: 'card', id: 'ef-lookup-card', 'aria-labelledby': 'ef-lookup-title' },
    tx('h2', 'efile.lookup.title', null, { id: 'ef-lookup-title' }),
    resultBlock(f, 'ef-result'),
    h('p', {}, h('a', { class: `btn ${supp ? '' : 'secondary'}`, id: 'ef-lookup-open', href: filingHref(f), i18n: supp ? 'efile.mine.supplement' : 'efile.mine.open' })));
}

// --- the desk: online dossiers to check

// A click on the tab while it loads starts another load: only the newest one draws the panel
// (an older answer arriving later would wipe a filing the officer has opened meanwhile), and the
// panel is aria-busy until it is drawn.
export async function deskEfilePanel(panel, tabItem, setCount) {
  const gen = String((Number(panel.dataset.gen) || 0) + 1);
  panel.dataset.gen = gen;
  panel.setAttribute('aria-busy', 'true');
  let r;
  let unitMap;
  try {
    [r, unitMap] = await Promise.all([api('GET', '/api/efile'), units()]);
  } catch (e) {
    if (panel.dataset.gen !== gen) return;
    panel.removeAttribute('aria-busy');
    panel.replaceChildren(errorNotice(e));
    return;
  }
  if (panel.dataset.gen !== gen) return;
  panel.removeAttribute('aria-busy');
  if (setCount) setCount(tabItem, r.items.length, false, false);
  const detail = h('div', { id: 'efile-detail' });
  const head = ['col.code', 'col.applicant', 'col.procedure', 'efile.desk.submitted', 'col.status'];
  const rows = r.items.map((x) => {
    const open = h('button', { type: 'button', class: 'linklike', dataset: { code: x.code } }, x.code);
    open.addEventListener('click', () => openFiling(detail, x.code, unitMap, () => deskEfilePanel(panel, tabItem, setCount)));
    return h('tr', { dataset: { code: x.code } },
      h('td', { class: 'nowrap' }, open),
      h('td', {}, x.applicant_name),
      procTd(x.procedure),
      h('td', { class: 'nowrap' }, fmtInstant(x.submitted_at)),
      h('td', {}, statusBadge(x.status)));
  });
  panel.replaceChildren(tx('p', 'efile.desk.lead', null, { class: 'muted' }), h('div', { class: 'actions' },
    rows.length ? exportButtons('/api/efile', 'export-efile') : null),
    h('div', { class: 'table-wrap' }, h('table', { id: 'efile-table' },
      tx('caption', 'desk.tab.efile', null, { class: 'sr-only' }),
      h('thead', {}, h('tr', {}, head.map((k) => h('th', { scope: 'col', i18n: k })))),
      h('tbody', {}, rows.length ? rows : h('tr', { class: 'empty-row' }, h('td', { colspan: head.length, i18n: 'efile.desk.empty' }))))),
    detail);
}

// The procedure's name (from the cached catalogue) beside its code.
function procTd(code) {
  const td = h('td', {}, code);
  procedure(code).then((p) => td.replaceChildren(p.name, h('div', { class: 'muted small' }, code))).catch(() => {});
  return td;
}

async function openFiling(box, code, unitMap, reload) {
  let f;
  try {
    f = await api('GET', `/api/efile/${encodeURIComponent(code)}`);
  } catch (e) {
    box.replaceChildren(errorNotice(e));
    return;
  }
  const a = f.applicant;
  const docs = h('ol', { id: 'efile-docs' }, f.documents.map((doc) => h('li', {},
    h('div', {}, doc.title),
    doc.file
      ? h('a', { href: `/api/efile/${encodeURIComponent(code)}/documents/${doc.doc}`, target: '_blank', rel: 'noopener', class: 'efile-doc-link' },
        `${doc.file.name} (${sizeText(doc.file.size)})`)
      : tx('span', doc.paper ? 'efile.desk.paper' : 'efile.doc.none', null, { class: 'muted small' }))));
  const receive = h('button', { type: 'button', class: 'btn', id: 'efile-receive' }, tx('span', 'action.receive'));
  const askBtn = h('button', { type: 'button', class: 'btn secondary', id: 'efile-ask' }, tx('span', 'action.request-supplement'));
  const note = h('textarea', { name: 'note', maxlength: 1000 });
  const askSend = h('button', { type: 'submit', class: 'btn', id: 'efile-ask-send' }, tx('span', 'desk.actions.confirm', { action: t('action.request-supplement') }));
  const askForm = h('form', { novalidate: true, class: 'hidden', id: 'efile-ask-form' },
    field('desk.actions.missing', note, { required: true }), h('div', { class: 'actions' }, askSend));
  const form = h('form', { novalidate: true, id: 'efile-actions', onsubmit: (ev) => ev.preventDefault() });
  const submitted = f.dossier && f.dossier.status === 'submitted';
  const card = h('section', { class: 'card', id: 'efile-filing', 'aria-labelledby': 'efile-filing-title' },
    h('div', { class: 'card-head' },
      h('h2', { id: 'efile-filing-title' }, tx('span', 'efile.desk.filing'), ' ', h('span', { class: 'code-big' }, code)),
      f.dossier ? statusBadge(f.dossier.status) : null),
    h('p', {}, h('strong', {}, f.procedure.name), h('span', { class: 'muted' }, ` · ${f.procedure.online_label}`)),
    h('dl', { class: 'kv' },
      tx('dt', 'desk.applicant_name'), h('dd', {}, a.name),
      tx('dt', 'desk.applicant_idno'), h('dd', {}, a.idno || '—'),
      tx('dt', 'desk.applicant_phone'), h('dd', {}, a.phone || '—'),
      tx('dt', 'desk.applicant_address'), h('dd', {}, a.address || '—'),
      tx('dt', 'desk.unit'), h('dd', {}, unitName(unitMap, f.unit)),
      tx('dt', 'efile.desk.submitted'), h('dd', {}, fmtInstant(f.submitted_at))),
    tx('h3', 'desk.history.documents'), docs,
    form,
    h('p', {}, h('a', { href: `#/mot-cua/ho-so/${encodeURIComponent(code)}`, i18n: 'efile.desk.open' })));
  if (submitted) form.append(h('div', { class: 'actions' }, receive, askBtn), askForm);
  askBtn.addEventListener('click', () => {
    askForm.classList.remove('hidden');
    note.focus();
  });
  const act = async (button, path, body, f2) => {
    clearErrors(f2);
    await busy(button, async () => {
      try {
        await api('POST', `/api/dossiers/${encodeURIComponent(code)}/${path}`, body);
      } catch (e) {
        showError(f2, e);
        return;
      }
      toast('desk.actions.done', { action: t(`action.${path}`), code });
      await reload();
      const done = document.getElementById('efile-detail');
      if (done) done.replaceChildren(h('p', { class: 'notice ok', id: 'efile-done', role: 'status' },
        tx('span', 'desk.actions.done', { action: t(`action.${path}`), code }), ' ',
        h('a', { href: `#/mot-cua/ho-so/${encodeURIComponent(code)}`, i18n: 'efile.desk.open' })));
    });
  };
  receive.addEventListener('click', () => act(receive, 'receive', undefined, form));
  askForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(askSend, 'request-supplement', note.value.trim() ? { note: note.value.trim() } : {}, askForm);
  });
  box.replaceChildren(card);
  card.scrollIntoView({ block: 'nearest' });
}
