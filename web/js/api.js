// api.js — the only place the UI talks to cchc serve (docs/openapi.yaml). Every answer that is
// not 2xx becomes an ApiError carrying the server's {"error": {code, field, message}}, so views
// can put the message next to the field it names. The session cookie is HttpOnly; the CSRF
// token the server gives at sign-in (and on GET /api/session) goes in X-CSRF-Token on every
// state-changing request.

import { currentLang } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, field, message, rule, params) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.rule = rule || null; // the server's message catalogue entry (messages.c), if any
    this.params = params || {};
  }
}

export const session = { user: null, csrf: null };

export async function api(method, path, body) {
  // the server writes its error messages in the UI's language
  const opt = { method, headers: { Accept: 'application/json', 'Accept-Language': currentLang() }, credentials: 'same-origin' };
  if (body !== undefined) {
    opt.headers['Content-Type'] = 'application/json';
    opt.body = JSON.stringify(body);
  }
  if (method !== 'GET' && session.csrf) opt.headers['X-CSRF-Token'] = session.csrf;
  let res;
  try {
    res = await fetch(path, opt);
  } catch (e) {
    throw new ApiError(0, 'network', null, String(e && e.message ? e.message : e));
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    throw new ApiError(res.status, e.code || `http_${res.status}`, e.field || null,
      e.message || `HTTP ${res.status}`, e.rule, e.params);
  }
  return data;
}

// Query string from an object, leaving out empty values.
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

// Restores the session from the cookie (null when signed out).
export async function loadSession() {
  try {
    const r = await api('GET', '/api/session');
    session.user = r.user;
    session.csrf = r.csrf;
  } catch (e) {
    if (e.status !== 401) throw e;
    session.user = null;
    session.csrf = null;
  }
  return session.user;
}

// code: the second factor's 6 digits or a recovery code, for an account that has one
export async function login(username, password, code) {
  const body = { username, password };
  if (code) body.code = code;
  const r = await api('POST', '/api/session', body);
  session.user = r.user;
  session.csrf = r.csrf;
  return r.user;
}

export async function logout() {
  try {
    await api('DELETE', '/api/session');
  } finally {
    session.user = null;
    session.csrf = null;
  }
}

// Procedures are read often (names, steps, documents) and change rarely: one fetch each.
const procCache = new Map();
export function procedure(code) {
  if (!procCache.has(code)) {
    const p = api('GET', `/api/procedures/${encodeURIComponent(code)}`);
    p.catch(() => procCache.delete(code));
    procCache.set(code, p);
  }
  return procCache.get(code);
}

let unitsPromise = null;
// The unit tree as of today: a Map code -> unit.
export function units() {
  if (!unitsPromise) {
    unitsPromise = api('GET', '/api/units').then((r) => new Map(r.units.map((u) => [u.code, u])));
    unitsPromise.catch(() => {
      unitsPromise = null;
    });
  }
  return unitsPromise;
}

let allUnitsPromise = null;
// Every unit that ever existed (merged and dissolved ones too): a Map code -> unit, for names.
export function allUnits() {
  if (!allUnitsPromise) {
    allUnitsPromise = api('GET', '/api/units?as_of=all').then((r) => new Map(r.units.map((u) => [u.code, u])));
    allUnitsPromise.catch(() => {
      allUnitsPromise = null;
    });
  }
  return allUnitsPromise;
}

// After a unit is created, edited or merged: the next units() / allUnits() read them again.
export function forgetUnits() {
  unitsPromise = null;
  allUnitsPromise = null;
}

export function unitName(map, code) {
  const u = map && map.get(code);
  return u ? u.name : code;
}

// A file sent as the raw request body (online filing's documents, docs/efile.md): one request
// per file, no multipart; the server reads the type from the content. Public routes take no
// CSRF token; a signed-in officer's token is sent as for api().
export async function apiUpload(method, path, file) {
  const opt = {
    method,
    headers: { Accept: 'application/json', 'Accept-Language': currentLang(), 'Content-Type': file.type || 'application/octet-stream' },
    credentials: 'same-origin',
    body: file,
  };
  if (session.csrf) opt.headers['X-CSRF-Token'] = session.csrf;
  let res;
  try {
    res = await fetch(path, opt);
  } catch (e) {
    throw new ApiError(0, 'network', null, String(e && e.message ? e.message : e));
  }
  let data = null;
  try {
    data = JSON.parse(await res.text());
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    throw new ApiError(res.status, e.code || `http_${res.status}`, e.field || null,
      e.message || `HTTP ${res.status}`, e.rule, e.params);
  }
  return data;
}
