// dom.js — building the page safely and the small helpers every view shares. h() creates
// elements and puts data in as text nodes or attributes only (never as HTML), so a name or a
// message from the API cannot inject markup. Also: dates as the API gives them (local UTC+7
// "YYYY-MM-DDTHH:MM+07:00") in Vietnamese order, and errors shown next to the field they name.

import { t, has, translateEl, userText } from './i18n.js';

// h('p', {class: 'x', i18n: 'desk.title', vars: {...}, onclick: fn}, child, 'text', [more]) -> Element
export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'i18n') el.dataset.i18n = v;
    else if (k === 'vars') el.dataset.i18nVars = JSON.stringify(v);
    else if (k === 'i18nAttr') el.dataset.i18nAttr = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, kids);
  if (el.dataset.i18n || el.dataset.i18nAttr) translateEl(el);
  return el;
}

export function append(el, kids) {
  for (const k of kids.flat(Infinity)) {
    if (k === null || k === undefined || k === false) continue;
    el.append(k instanceof Node ? k : document.createTextNode(userText(String(k))));
  }
  return el;
}


// A text element translated by key: tx('h2', 'desk.title', {n: 3}, {class: 'x'})
export function tx(tag, key, vars, attrs) {
  return h(tag, { ...(attrs || {}), i18n: key, vars });
}

// --- dates: the API speaks local civil time (UTC+7); shown as given, whatever the browser's zone

const INSTANT = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d))?/;

export function fmtInstant(s) {
  const m = s && INSTANT.exec(s);
  if (!m) return '—';
  return m[4] ? `${m[4]}:${m[5]} ${m[3]}/${m[2]}/${m[1]}` : `${m[3]}/${m[2]}/${m[1]}`;
}

export function fmtDay(s) {
  const m = s && INSTANT.exec(s);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '—';
}

// "17 giờ 00 phút, ngày 24 tháng 11 năm 2026" as the forms write it (vi), or "17:00, 24 Nov 2026".
export function fmtInstantLong(s) {
  const m = s && INSTANT.exec(s);
  if (!m) return '…';
  return t('date.long', { h: m[4] || '00', mi: m[5] || '00', d: m[3], mo: m[2], y: m[1] });
}

// Today in Vietnam (UTC+7), "YYYY-MM-DD".
export function todayVN() {
  return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

// Working-clock-free difference in calendar days between two API instants (b - a).
export function daysBetween(a, b) {
  const ma = a && INSTANT.exec(a);
  const mb = b && INSTANT.exec(b);
  if (!ma || !mb) return null;
  const da = Date.UTC(+ma[1], +ma[2] - 1, +ma[3]);
  const db = Date.UTC(+mb[1], +mb[2] - 1, +mb[3]);
  return Math.round((db - da) / 86400000);
}

export function nowVNInstant() {
  return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 16);
}

// --- status and outcome badges

export function statusBadge(status) {
  return h('span', { class: `badge st-${status}`, i18n: `status.${status}` });
}

export function outcomeBadge(outcome) {
  if (!outcome || outcome === 'none') return null;
  return h('span', { class: `badge out-${outcome}`, i18n: `outcome.${outcome}` });
}

// --- errors next to their field

// The text for an API error. The server writes its message in the UI's language from its
// catalogue (Accept-Language, src/http/messages.c: "tối đa 1,00 điểm", "thử lại sau khoảng 15
// phút"); the UI's own words for the code are used when the answer has no catalogue message
// (a network failure, a proxy's page). scope (e.g. 'lookup') picks a page's own wording first.
// Returns {key} for a UI text or {text} for the server's message; never the English detail.
export function errorParts(err, scope) {
  if (err.rule && err.message) return { text: err.message };
  const keys = [scope && `err.${scope}.${err.code}`, `err.${err.code}`, 'err.other'];
  return { key: keys.find((k) => k && has(k)) };
}

function errorText(tag, parts, attrs) {
  return parts.key ? tx(tag, parts.key, null, attrs) : h(tag, attrs || {}, parts.text);
}

export function clearErrors(form) {
  form.querySelectorAll('.field-error, .form-error').forEach((e) => e.remove());
  form.querySelectorAll('[aria-invalid="true"]').forEach((e) => {
    e.removeAttribute('aria-invalid');
    const ids = (e.getAttribute('aria-describedby') || '').split(' ').filter((x) => !x.endsWith('-err'));
    if (ids.length) e.setAttribute('aria-describedby', ids.join(' '));
    else e.removeAttribute('aria-describedby');
  });
}

// Shows err next to the control named by err.field (through aliases: the API's field name ->
// the form's control name), or at the top of the form when no control matches. Focuses it.
export function showError(form, err, aliases, scope) {
  clearErrors(form);
  const parts = errorParts(err, scope);
  const name = err.field ? (aliases && aliases[err.field]) || err.field : null;
  const control = name ? form.querySelector(`[name="${CSS.escape(name)}"]`) : null;
  if (control) {
    const id = `${control.id || name}-err`;
    const msg = h('p', { class: 'field-error', id, role: 'alert' }, errorText('span', parts));
    const holder = control.closest('.field, fieldset') || control.parentElement;
    holder.append(msg);
    control.setAttribute('aria-invalid', 'true');
    const ids = (control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    ids.push(id);
    control.setAttribute('aria-describedby', ids.join(' '));
    control.focus();
    return;
  }
  const box = h('div', { class: 'form-error', role: 'alert', tabindex: '-1' }, errorText('strong', parts));
  form.prepend(box);
  box.focus();
}

// A notice for errors outside forms (a list that failed to load …).
export function errorNotice(err) {
  return h('div', { class: 'notice error', role: 'alert' }, errorText('strong', errorParts(err)));
}

let toastTimer = null;
export function toast(key, vars, kind) {
  const box = document.getElementById('toast');
  box.replaceChildren(h('div', { class: `notice ${kind || 'ok'}` }, tx('span', key, vars)));
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => box.replaceChildren(), 6000);
}

// Runs fn with the button disabled (no double submission of a dossier).
export async function busy(button, fn) {
  if (button) button.disabled = true;
  try {
    return await fn();
  } finally {
    if (button) button.disabled = false;
  }
}

export function field(labelKey, control, opts = {}) {
  const id = control.id || `f-${control.name}`;
  control.id = id;
  if (opts.required) control.setAttribute('aria-required', 'true');
  if (opts.hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' },
    h('label', { for: id }, tx('span', labelKey), opts.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
    control,
    opts.hint ? tx('p', opts.hint, null, { class: 'hint', id: `${id}-hint` }) : null);
}
