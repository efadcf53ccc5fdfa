// i18n.js — the UI's two languages. Texts live in /assets/i18n/{vi,en}.json as flat
// "key": "text" maps with {name} placeholders; Vietnamese is the default and the fallback.
// An element carrying data-i18n="key" (and data-i18n-vars='{"n":3}') gets its text from the
// current language, data-i18n-attr="placeholder:key;aria-label:key2" its attributes, so a
// language switch re-translates the page in place without losing what was typed.

const LANGS = ['vi', 'en'];
const STORE_KEY = 'cchc.lang';
let lang = 'vi';
let dict = {};
let fallback = {};
const listeners = new Set();

async function fetchDict(l) {
  const res = await fetch(`/assets/i18n/${l}.json`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`i18n ${l}: HTTP ${res.status}`);
  return res.json();
}

export function currentLang() {
  return lang;
}

export function savedLang() {
  try {
    const l = localStorage.getItem(STORE_KEY);
    return LANGS.includes(l) ? l : 'vi';
  } catch {
    return 'vi';
  }
}

// Loads language l (and Vietnamese as the fallback), then re-translates the document.
export async function setLang(l) {
  if (!LANGS.includes(l)) l = 'vi';
  if (!Object.keys(fallback).length) fallback = await fetchDict('vi');
  dict = l === 'vi' ? fallback : await fetchDict(l);
  lang = l;
  try {
    localStorage.setItem(STORE_KEY, l);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  document.documentElement.lang = l;
  applyI18n(document);
  for (const fn of listeners) fn(l);
}

// Calls fn(lang) after every language switch; returns the function that removes it.
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// The text of key in the current language, with {name} placeholders filled from vars.
export function t(key, vars) {
  let s = dict[key] ?? fallback[key];
  if (s === undefined) {
    console.warn(`i18n: no text for '${key}'`);
    s = key;
  }
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
  return s;
}

// 1 if key has a text (for optional texts such as an error code's explanation).
export function has(key) {
  return dict[key] !== undefined || fallback[key] !== undefined;
}

// Data files mark facts not yet confirmed against the legal text "(verify …)" for the
// developers (ARCHITECTURE.md); the note is theirs, not the user's: texts from the API are
// shown without it (dom.js's h() and every translated text pass through here).
// "(verify)" and "(verify the article)" go; "(Decree 168/2025, verify the date)" keeps its
// citation: "(Decree 168/2025)".
const VERIFY = /(\s*)\(([^()]*?)(?:[,;]\s*)?\bverify\b[^()]*\)/gi;
export function userText(s) {
  return /verify/i.test(s) ? s.replace(VERIFY, (m, sp, keep) => (keep.trim() ? `${sp}(${keep.trim()})` : '')) : s;
}

export function translateEl(el) {
  if (el.dataset.i18n) {
    const vars = el.dataset.i18nVars ? JSON.parse(el.dataset.i18nVars) : undefined;
    el.textContent = userText(t(el.dataset.i18n, vars));
  }
  if (el.dataset.i18nAttr) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
}

export function applyI18n(root) {
  if (root.nodeType === 1 && (root.dataset.i18n || root.dataset.i18nAttr)) translateEl(root);
  root.querySelectorAll('[data-i18n], [data-i18n-attr]').forEach(translateEl);
}

// Numbers as each language writes them: 2.907 and 99,4 % in Vietnamese, 2,907 and 99.4 % in
// English.
export function fmtInt(n) {
  if (n === null || n === undefined) return '—';
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB').format(n);
}

export function fmtPermille(pm) {
  if (pm === null || pm === undefined || pm < 0) return '—';
  const v = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(pm / 10);
  return `${v}%`;
}
