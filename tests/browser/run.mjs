// run.mjs — the web UI in a real browser: playwright-core drives Debian's chromium (headless,
// fresh profile) against a real `cchc serve` (started by t-browser.sh on a fresh demo
// database). The story of a day at the counter: a desk officer signs in, reads the dashboard,
// receives a dossier (procedure found without diacritics, a phone refused by the server and
// shown next to its field), prints the receipt, moves the dossier on; a leader finishes it; the
// desk returns it; the dashboard count has moved and drills down to the dossier; the citizen
// opens the receipt's QR address on a phone, looks the dossier up and rates it; the English
// switch re-translates the page in place. Any request leaving the server's origin fails the
// run (no asset from the internet), as does any uncaught script error.
// Usage: node run.mjs BASE_URL ARTIFACT_DIR [CHROMIUM]
// Prints one "ok"/"not ok" line per check and "N passed, M failed" at the end.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import jsQR from 'jsqr';

const [base, artifacts, exe = '/usr/bin/chromium'] = process.argv.slice(2);
if (!base || !artifacts) {
  console.error('usage: node run.mjs BASE_URL ARTIFACT_DIR [CHROMIUM]');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const webRoot = path.resolve(here, '../../web');
fs.mkdirSync(artifacts, { recursive: true });

const DESK = { user: 'motcua.mytho', pass: 'demo-motcua-2025' };
const LEADER = { user: 'lanhdao.mytho', pass: 'demo-lanhdao-2025' };
const ASSESSOR = { user: 'thamdinh', pass: 'demo-thamdinh-2025' };
const ADMIN = { user: 'admin', pass: 'demo-admin-2025' };
// the PAR rounds t-browser.sh made with the CLI: XA-Y open for self-assessment (every unit
// under DT), XA-(Y-1) published, TD-Y (DT.MYTHO, DT.CAIBE) in appraisal
const PAR_YEAR = Number(process.env.CCHC_PAR_YEAR || new Date().getFullYear() - 1);
// the routes this build serves (`cchc serve --print-routes`): steps that need a route another
// issue adds are skipped, and say so, when the build does not have it yet
const ROUTES = new Set(process.env.CCHC_ROUTES
  ? fs.readFileSync(process.env.CCHC_ROUTES, 'utf8').split('\n').map((l) => l.split('\t').slice(0, 2).join(' '))
  : []);
const served = (route) => {
  if (ROUTES.has(route)) return true;
  console.log(`# SKIP steps needing ${route}: not served by this build`);
  return false;
};
const PHONE = '0912345678';
let passed = 0;
let failed = 0;
const problems = [];

function check(cond, what, detail) {
  if (cond) {
    passed++;
    console.log(`ok ${passed + failed} - ${what}`);
  } else {
    failed++;
    console.log(`not ok ${passed + failed} - ${what}${detail !== undefined ? `: ${detail}` : ''}`);
  }
  return cond;
}

// --- 1. the strings: both languages have the same keys, and every key the code names exists

function i18nChecks() {
  const vi = JSON.parse(fs.readFileSync(path.join(webRoot, 'i18n/vi.json'), 'utf8'));
  const en = JSON.parse(fs.readFileSync(path.join(webRoot, 'i18n/en.json'), 'utf8'));
  const onlyVi = Object.keys(vi).filter((k) => !(k in en));
  const onlyEn = Object.keys(en).filter((k) => !(k in vi));
  check(!onlyVi.length && !onlyEn.length, 'vi.json and en.json have the same keys', JSON.stringify({ onlyVi, onlyEn }));
  const empty = Object.entries({ ...vi, ...en }).filter(([, v]) => typeof v !== 'string' || !v.trim());
  check(!empty.length, 'no empty text in vi.json / en.json', JSON.stringify(empty));
  const used = new Set();
  // i18n.js is the engine (its comments show the syntax with placeholder keys)
  const files = ['index.html', ...fs.readdirSync(path.join(webRoot, 'js')).filter((f) => f !== 'i18n.js').map((f) => `js/${f}`)];
  const patterns = [
    /data-i18n="([a-z][\w.-]+)"/g,
    /\bi18n: '([a-z][\w.-]+)'/g,
    /\btx\('\w+', '([a-z][\w.-]+)'/g,
    /\bt\('([a-z][\w.-]+)'/g,
    /\bfield\('([a-z][\w.-]+)'/g,
    /(?:i18nAttr: '|data-i18n-attr=")[\w-]+:([a-z][\w.-]+)/g,
    /\bhint: '([a-z][\w.-]+)'/g,
  ];
  for (const f of files) {
    const src = fs.readFileSync(path.join(webRoot, f), 'utf8');
    for (const re of patterns) for (const m of src.matchAll(re)) used.add(m[1]);
  }
  // keys built from API values: every value the API can send has its text
  const families = {
    status: ['submitted', 'received', 'processing', 'result_ready', 'returned', 'supplement_requested', 'paused', 'refused', 'withdrawn', 'cancelled'],
    outcome: ['early', 'on_time', 'late', 'in_time', 'overdue'],
    role: ['citizen', 'desk_officer', 'specialist', 'leader', 'par_assessor', 'admin'],
    channel: ['direct', 'online', 'postal'],
    online: ['full', 'partial', 'none'],
    action: ['submit', 'receive', 'advance', 'request-supplement', 'supplement-received', 'pause', 'resume', 'refuse', 'withdraw', 'cancel', 'finish', 'return', 'apologise'],
    metric: ['ontime', 'early', 'online_share', 'online_full', 'paid_online', 'digitised', 'result_digital', 'satisfaction_766', 'satisfaction'],
    err: ['bad_json', 'bad_utf8', 'unknown_field', 'wrong_type', 'missing_field', 'invalid', 'unauthorized', 'invalid_credentials', 'forbidden', 'csrf', 'not_found', 'method_not_allowed', 'conflict', 'too_large', 'unsupported_media_type', 'rate_limited', 'not_implemented', 'unavailable', 'internal', 'network', 'other'],
  };
  Object.assign(families, {
    'par.phase': ['self', 'appraisal', 'survey', 'published'],
    'par.open': ['self', 'appraisal'],
    'par.closed': ['self', 'appraisal'],
    'desk.closed': ['result_ready', 'returned', 'refused', 'withdrawn', 'cancelled'],
    parmetric: ['on_time_pct', 'early_pct', 'online_pct', 'online_full_pct', 'online_payment_pct', 'digitised_pct', 'result_digital_pct', 'satisfaction_pct', 'apology_pct', 'plan_done_pct', 'other'],
    'citizen.stage': ['received', 'processing', 'result_ready', 'returned', 'waiting', 'paused'],
    'par.method': ['manual', 'computed', 'survey'],
  });
  for (const [fam, vals] of Object.entries(families)) for (const v of vals) used.add(`${fam}.${v}`);
  const missing = [...used].filter((k) => !(k in vi));
  check(used.size > 150 && !missing.length, `every text key the UI names exists (${used.size} keys)`, missing.join(', '));
}

// --- helpers on a page

async function signIn(page, who) {
  await page.waitForSelector('#login-submit');
  await page.fill('input[name="username"]', who.user);
  await page.fill('input[name="password"]', who.pass);
  await page.click('#login-submit');
  await page.waitForSelector('#logout');
}

async function signOut(page) {
  await page.click('#logout');
  await page.waitForSelector('#logout', { state: 'detached' });
}

async function shot(page, name, opts = {}) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true, ...opts });
}

const digits = (s) => Number(String(s).replace(/[^\d]/g, ''));

async function dashboardFigure(page, fig) {
  await page.goto(`${base}/#/thong-ke`);
  await page.waitForSelector('#dash-filters');
  await page.selectOption('select[name="period"]', 'month');
  await page.click('#dash-apply');
  await page.waitForSelector(`#kpi-${fig} .value button`);
  return digits(await page.textContent(`#kpi-${fig} .value button`));
}

async function openDossier(page, code) {
  await page.goto(`${base}/#/mot-cua/ho-so/${encodeURIComponent(code)}`);
  await page.waitForSelector('#dossier-status');
}

// Takes a lifecycle action on the open dossier page and waits for the page to show the new state.
async function act(page, action, fields = {}) {
  await page.click(`#act-${action}`);
  await page.waitForSelector('#action-form');
  for (const [name, value] of Object.entries(fields)) await page.fill(`#action-form [name="${name}"]`, value);
  const answer = page.waitForResponse((r) => r.url().endsWith(`/${action}`) && r.request().method() === 'POST');
  await page.click('#act-confirm');
  const r = await answer;
  await page.waitForSelector('#action-form', { state: 'detached' });
  await page.waitForSelector('#dossier-status');
  return r.status();
}

const statusOf = (page) => page.getAttribute('#dossier-status .badge', 'class');

// Accessibility of what is on screen: every form control has a label, and every piece of text
// meets WCAG 2 AA contrast against the background it is drawn on (4.5:1, large text 3:1;
// disabled controls are exempt). Returns the problems found.
async function a11yProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    for (const el of document.querySelectorAll('input:not([type="hidden"]), select, textarea')) {
      if (!el.getClientRects().length) continue;
      if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) problems.push(`no label: ${el.name || el.id}`);
    }
    const rgba = (s) => (s.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const bgOf = (el) => {
      // the first opaque background colour up the tree (alpha blended over white when partial)
      let layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c.length === 4 && c[3] === 0) continue;
        layers.push(c);
        if (c.length === 3 || c[3] === 1) break;
      }
      let out = [255, 255, 255];
      for (const c of layers.reverse()) {
        const a = c.length === 4 ? c[3] : 1;
        out = out.map((v, i) => c[i] * a + v * (1 - a));
      }
      return out;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || seen.has(el)) continue;
      seen.add(el);
      if (!el.getClientRects().length || el.closest('[aria-hidden="true"], .sr-only, .skip, #print-root, :disabled')) continue;
      const cs = getComputedStyle(el);
      if (cs.visibility === 'hidden' || Number(cs.opacity) === 0) continue;
      const fg = rgba(cs.color);
      const bg = bgOf(el);
      const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(cs.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) problems.push(`contrast ${ratio.toFixed(2)} "${n.textContent.trim().slice(0, 30)}" (${cs.color} on rgb(${bg.map(Math.round)}))`);
    }
    return problems;
  });
}

const a11ySeen = {};
let a11yProbed = false;
async function a11y(page, name) {
  if (!a11yProbed) {
    // the check itself can fail: pale grey text and an unlabelled input are caught
    a11yProbed = true;
    const caught = await page.evaluate(() => {
      const p = document.createElement('p');
      p.id = 'a11y-probe';
      p.textContent = 'pale text';
      p.style.color = '#aaaaaa';
      p.style.background = '#ffffff';
      const i = document.createElement('input');
      i.name = 'probe-unlabelled';
      p.append(i);
      document.querySelector('main').append(p);
      return true;
    }) && (await a11yProblems(page));
    await page.evaluate(() => document.getElementById('a11y-probe').remove());
    check(caught.some((x) => x.includes('pale text')) && caught.some((x) => x.includes('probe-unlabelled')),
      'the accessibility check catches pale text and an unlabelled input', JSON.stringify(caught));
  }
  const p = await a11yProblems(page);
  a11ySeen[name] = p.length;
  check(!p.length, `accessibility (labels, contrast AA) of ${name}`, p.slice(0, 6).join('; '));
}


// What a user must never see, read from the page as drawn: a text key the UI did not translate
// (action.request_supplement), a literal null / undefined / NaN, a developer's "(verify)" note,
// an internal identifier (snake_case: on_time_pct, request_supplement, desk_officer), and any
// element reaching past the viewport's width that no scrolling box clips (tables scroll inside
// their box). Returns the problems found.
const KEY_PREFIXES = ['action', 'status', 'outcome', 'role', 'channel', 'online', 'metric', 'parmetric', 'fig', 'err', 'desk',
  'dash', 'par', 'citizen', 'denom', 'col', 'nav', 'home', 'login', 'proc', 'date', 'pub'];
async function screenProblems(page) {
  return page.evaluate((prefixes) => {
    const out = [];
    const text = document.body.innerText;
    const keyRe = new RegExp(`\\b(?:${prefixes.join('|')})\\.[a-z][a-z0-9_-]*(?:\\.[a-z0-9_-]+)*\\b`, 'g');
    for (const m of text.matchAll(keyRe)) {
      // a dotted key, not a user name (motcua.mytho) or a host: keys have a known prefix and no digits around
      out.push(`untranslated key "${m[0]}"`);
    }
    for (const m of text.matchAll(/(^|[\s(:,])(null|undefined|NaN)(?=$|[\s),.;])/g)) out.push(`literal "${m[2]}"`);
    if (/\(\s*verify/i.test(text) || /\bverify\b/i.test(text)) out.push('a "(verify)" note');
    for (const m of text.matchAll(/\b[a-z]+_[a-z0-9_]+\b/g)) out.push(`internal id "${m[0]}"`);
    const vw = document.documentElement.clientWidth;
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (!r.width || (r.right <= vw + 1 && r.left >= -1)) continue;
      const cs = getComputedStyle(el);
      if (cs.display === 'none' || cs.visibility === 'hidden' || cs.position === 'fixed') continue;
      if (el.closest('.sr-only, [aria-hidden="true"], #print-root')) continue;
      // inside a box the user can scroll sideways (a table's box) it is fine; cut off is not
      let clipped = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const ox = getComputedStyle(a).overflowX;
        if (ox !== 'visible') {
          const ar = a.getBoundingClientRect();
          if ((ox === 'auto' || ox === 'scroll') && ar.right <= vw + 1 && ar.left >= -1) clipped = true;
          break;
        }
      }
      if (!clipped) out.push(`wider than the viewport (${Math.round(r.left)}..${Math.round(r.right)} of ${vw}): <${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}>`);
    }
    return [...new Set(out)];
  }, KEY_PREFIXES);
}

let screenProbed = false;
// Checks the page as drawn (screenProblems) and keeps its screenshot.
async function screenCheck(page, name) {
  if (!screenProbed) {
    // the check itself can fail: each kind of problem planted once is caught
    screenProbed = true;
    await page.evaluate(() => {
      const p = document.createElement('div');
      p.id = 'screen-probe';
      p.innerHTML = '<p>action.request_supplement</p><p>Bước null</p><p>Nghị định 30 (verify)</p><p>plan_done_pct</p><div>x</div>';
      p.lastChild.style.width = '3000px'; // through the CSSOM: the page's CSP refuses style attributes
      document.querySelector('main').append(p);
    });
    const caught = await screenProblems(page);
    await page.evaluate(() => document.getElementById('screen-probe').remove());
    check(['untranslated key', 'literal "null"', '(verify)', 'internal id', 'wider than the viewport'].every((k) => caught.some((c) => c.includes(k))),
      'the screen check catches a raw key, a literal null, a (verify) note, an internal id and an element wider than the viewport', JSON.stringify(caught));
  }
  const p = await screenProblems(page);
  await shot(page, name);
  check(!p.length, `${name}: nothing untranslated, null, (verify), internal or too wide`, p.slice(0, 8).join('; '));
}

// The text a QR image carries: its pixels read in the page (canvas), decoded here by jsQR.
async function decodeQr(page, sel) {
  const img = await page.$eval(sel, async (el) => {
    if (el.decode) await el.decode();
    const pad = 16;
    const c = document.createElement('canvas');
    c.width = el.naturalWidth * 2 + 2 * pad;
    c.height = el.naturalHeight * 2 + 2 * pad;
    const g = c.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, c.width, c.height);
    g.imageSmoothingEnabled = false;
    g.drawImage(el, pad, pad, el.naturalWidth * 2, el.naturalHeight * 2);
    return { w: c.width, h: c.height, data: Array.from(g.getImageData(0, 0, c.width, c.height).data) };
  });
  const r = jsQR(Uint8ClampedArray.from(img.data), img.w, img.h);
  return r ? r.data : null;
}

// Signs whoever is signed in out, then who in, on the page at hash.
async function signInAt(page, hash, who) {
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector('body[data-ready="1"]');
  if (await page.$('#logout')) {
    await signOut(page);
    await page.goto(`${base}/${hash}`);
  }
  await signIn(page, who);
}

// The API's answer, read with the page's session (the tests compare the page with it).
const apiGet = (page, url) => page.evaluate(async (u) => (await fetch(u)).json(), url);

const parResults = (page, round) => apiGet(page, `/api/par/rounds/${round}/results`);

// Scores one criterion on the open unit page, in the criteria tree when the server gives it,
// else in the by-code form; returns the POST's status.
async function parScore(page, node, points, keyboard) {
  // in the tree each criterion is a box of its area's form (one Save per area)
  const tree = await page.$(`div.par-score[data-node="${node}"]`);
  const form = tree ? `div.par-score[data-node="${node}"]` : '#par-by-code-form';
  const submit = tree ? `#${await page.getAttribute(`${form} [name="points"]`, 'form')} button[type="submit"]` : `${form} button[type="submit"]`;
  if (!tree) await page.fill(`${form} [name="node"]`, node);
  await page.fill(`${form} [name="points"]`, keyboard ? '' : points);
  const answer = page.waitForResponse((r) => /\/api\/par\/rounds\/.+\/units\/.+\/(self|appraisal)$/.test(r.url()) && r.request().method() === 'POST');
  if (keyboard) {
    // by keyboard only: type into the focused field, Enter saves
    await page.focus(`${form} [name="points"]`);
    await page.keyboard.type(points);
    await page.keyboard.press('Enter');
  } else {
    await page.click(submit);
  }
  const r = await answer;
  return { status: r.status(), form, tree: !!tree };
}

// The error shown for a refused score: next to the points field of that form.
async function parFieldError(page, form) {
  await page.waitForSelector(`${form} [name="points"][aria-invalid="true"]`);
  return page.$eval(`${form} [name="points"]`, (el) => {
    const err = el.closest('.field').querySelector('.field-error');
    return { text: err && err.textContent, described: (el.getAttribute('aria-describedby') || '').includes(err && err.id), focused: document.activeElement === el };
  });
}

// The PAR index pages: the assessor reads the rounds and the ranking and appraises; the leader
// of a ward self-assesses, is refused a score over the maximum next to the field, then scores.
async function parStory(page) {
  const cur = `XA-${PAR_YEAR}`;
  const prev = `XA-${PAR_YEAR - 1}`;
  const td = `TD-${PAR_YEAR}`;
  await page.waitForSelector('#par-rounds');
  const listed = await page.$$eval('#par-rounds tbody tr', (trs) => trs.map((tr) => tr.dataset.round));
  check([cur, prev, td].every((r) => listed.includes(r)), `PAR: the rounds page lists ${cur}, ${prev}, ${td}`, JSON.stringify(listed));
  check((await page.textContent(`#par-rounds tr[data-round="${prev}"]`)).includes('Đã công bố'), 'PAR: the published round shows its phase');
  await shot(page, '16-par-rounds');

  // the results page against the API: every unit, its rank, total and index; ties marked
  await page.click(`#results-${cur}`);
  await page.waitForSelector('#par-ranking tbody tr[data-unit]');
  const api = await parResults(page, cur);
  const rows = await page.$$eval('#par-ranking tbody tr[data-unit]', (trs) => trs.map((tr) => ({
    unit: tr.dataset.unit, rank: Number(tr.dataset.rank), text: tr.textContent, tie: !!tr.querySelector('.par-tie'),
    chg: !!tr.querySelector('.chg, .par-merged'),
  })));
  const units = api.results.units;
  check(units.length >= 10 && rows.length === units.length, `PAR results: the ranking shows every unit of the round (${rows.length}/${units.length})`);
  const fmt = (v) => new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
  const wrong = units.filter((u, i) => !rows[i] || rows[i].unit !== u.unit || rows[i].rank !== u.rank
    || !rows[i].text.includes(fmt(u.total)) || !rows[i].text.includes(`${fmt(u.index)}%`));
  check(!wrong.length, 'PAR results: order, rank, total and index % of every row are the API\'s', JSON.stringify(wrong.slice(0, 3)));
  const sharing = units.filter((u) => units.filter((v) => v.rank === u.rank).length > 1).map((u) => u.unit);
  check(sharing.length >= 2 && rows.filter((r) => r.tie).map((r) => r.unit).join() === sharing.join(),
    `PAR results: the ${sharing.length} units sharing a rank are marked as ties`, JSON.stringify(rows.filter((r) => r.tie).map((r) => r.unit)));
  const competition = units.every((u, i) => (i === 0 ? u.rank === 1 : u.rank === (u.total === units[i - 1].total ? units[i - 1].rank : i + 1)));
  check(competition, 'PAR results: the API ranks by competition (1, 2, 2, 4)');
  const withPrev = units.filter((u) => u.previous).map((u) => u.unit);
  check(api.previous === prev && withPrev.length >= 1 && rows.filter((r) => r.chg).map((r) => r.unit).join() === withPrev.join(),
    `PAR results: the change against ${prev} is shown for the ${withPrev.length} units that have one`);
  const areaCols = await page.$$eval('#par-ranking thead th', (ths) => ths.filter((th) => /^LV /.test(th.textContent)).length);
  check(areaCols === Object.keys(units[0].areas).length, `PAR results: one column per area (${areaCols})`);
  await page.waitForTimeout(200);
  check(await page.isVisible('#par-chart'), 'PAR results: the chart of area points is drawn (Chart.js)');
  await shot(page, '17-par-results');
  await a11y(page, 'the PAR results');
  await page.click('button[data-lang="en"]');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  check((await page.textContent('#par-ranking thead')).includes('Rank') && (await page.textContent('#par-ranking-title')) === 'Ranking',
    'PAR results: the English switch translates the ranking');
  await shot(page, '18-par-results-english');
  await page.click('button[data-lang="vi"]');
  await page.waitForFunction(() => document.documentElement.lang === 'vi');

  // the assessor appraises a unit of the round in appraisal
  await page.goto(`${base}/#/chi-so-cchc/${td}/don-vi/DT.MYTHO`);
  await page.waitForSelector('#par-unit-summary');
  await page.waitForSelector('#par-tree, #par-by-code-form');
  check((await page.textContent('#par-unit-title')).startsWith('Thẩm định'), 'PAR: the assessor gets the appraisal view', await page.textContent('#par-unit-title'));
  let r = await parScore(page, '1.2', '3');
  check(r.status === 400, `PAR appraisal: 3 points on a 1-point criterion is refused (${r.status})`);
  let err = await parFieldError(page, r.form);
  check(err.text && err.text.includes('tối đa 1,00 điểm') && err.described && err.focused, 'PAR appraisal: the refusal is shown next to the points, in Vietnamese with the maximum', JSON.stringify(err));
  r = await parScore(page, '1.2', '0,5');
  check(r.status === 200, `PAR appraisal: 0,5 points accepted (${r.status})`);
  await page.waitForSelector(`${r.form} .par-saved:not(:empty), #par-by-code-saved:not(:empty)`);
  if (r.tree) check((await page.inputValue(`${r.form} [name="points"]`)) === '0,50', 'PAR appraisal: the saved points are shown with a decimal comma (0,50)', await page.inputValue(`${r.form} [name="points"]`));
  const cell = (await parResults(page, td)).results.units.find((u) => u.unit === 'DT.MYTHO');
  // area 1 also holds computed criteria: 1.1.2 from the ward's CCHC plan (plan_done_pct,
  // docs/reform.md) and 1.6 from its recognised initiatives (initiatives_count)
  const computed = ((await apiGet(page, `/api/par/rounds/${td}/units/DT.MYTHO`)).leaves || [])
    .filter((l) => l.code.startsWith('1.') && l.method === 'computed');
  const planPts = computed.reduce((n, l) => n + (l.points !== null && l.points !== undefined ? Number(l.points) : 0), 0);
  check(cell && Math.abs(cell.areas['1'] - (0.5 + planPts)) < 1e-9, 'PAR appraisal: the appraised 0,5 replaced the self score 1 in the results',
    JSON.stringify({ areas: cell && cell.areas, computed: computed.map((l) => `${l.code}:${l.points}`) }));
  await shot(page, '19-par-appraisal');

  // the ward's leader self-assesses: over the maximum is refused by the field, then accepted
  await signInAt(page, '#/chi-so-cchc', LEADER);
  await page.waitForSelector(`#self-${cur}`);
  const before = (await parResults(page, cur)).results.units.find((u) => u.unit === 'DT.MYTHO');
  await page.click(`#self-${cur}`);
  await page.waitForSelector('#par-tree, #par-by-code-form');
  const withTree = !!(await page.$('#par-tree'));
  if (ROUTES.size) check(withTree === ROUTES.has('GET /api/par/rounds/{round}'), `PAR self: the criteria tree is shown exactly when the server serves it (${withTree})`);
  if (withTree) {
    check((await page.textContent('[id="max-1.1.1"]')).includes('1,00'), 'PAR self: the tree shows each criterion\'s maximum');
  } else {
    console.log('# NOTE PAR self: the server gives no criteria tree (GET /api/par/rounds/R): the by-code form is used');
    check(await page.isVisible('#par-tree-missing'), 'PAR self: without the criteria tree the page says what is missing');
  }
  r = await parScore(page, '1.1.1', '5');
  check(r.status === 400, `PAR self: 5 points on the 1-point criterion 1.1.1 is refused (${r.status})`);
  err = await parFieldError(page, r.form);
  check(err.text && err.text.includes('tối đa 1,00 điểm') && !/exceed|max \d/.test(err.text) && err.described && err.focused,
    'PAR self: a score over the maximum shows the error next to the points, in Vietnamese only', JSON.stringify(err));
  if (withTree) {
    const saves = await page.$$eval('#par-tree button[type="submit"]', (bs) => bs.filter((b) => !b.closest('.par-evidence-form')).length);
    const areas = await page.$$eval('#par-tree section.par-area', (x) => x.filter((a) => a.querySelector('.par-score')).length);
    check(saves === areas && areas >= 2, `PAR self: one Save button per area with scorable criteria (${saves} for ${areas} areas), not one per criterion`);
  }
  await shot(page, '20-par-self-error');
  await a11y(page, 'the PAR self-assessment with an error');
  r = await parScore(page, '1.1.1', '1', true);
  check(r.status === 200, `PAR self: 1 point typed and saved with Enter, accepted (${r.status})`);
  await page.waitForFunction(() => !document.querySelector('[aria-invalid="true"]'));
  const after = (await parResults(page, cur)).results.units.find((u) => u.unit === 'DT.MYTHO');
  check(after.total === before.total + 1, `PAR self: the unit's total moved ${before.total} -> ${after.total}`);
  await page.waitForFunction((t) => document.querySelector('#par-unit-summary').textContent.includes(t),
    new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2 }).format(after.total));
  check(true, 'PAR self: the page\'s summary shows the new total');
  await shot(page, '21-par-self-saved');

  if (!withTree) console.log('# SKIP computed figures and evidence: no criteria tree from this build');
  if (withTree && served('GET /api/par/rounds/{round}/units/{unit}') && served('POST /api/par/rounds/{round}/units/{unit}/evidence')) {
    // a computed criterion shows its figure from the dossiers and opens them
    const m = await page.evaluate(async (cur) => {
      const u = await (await fetch(`/api/par/rounds/${cur}/units/DT.MYTHO`)).json();
      return (u.leaves || []).find((l) => l.method === 'computed' && l.metric && l.metric.known && l.metric.dossiers);
    }, cur);
    if (check(!!m, 'PAR self: the unit has a computed criterion with known data', JSON.stringify(m))) {
      const li = `li.par-crit[data-node="${m.code}"]`;
      check((await page.textContent(`${li} .par-metric`)).includes(`${m.metric.num}/${m.metric.den}`), `PAR self: criterion ${m.code} shows its figure ${m.metric.num}/${m.metric.den}`);
      await page.click(`${li} .par-metric button`);
      await page.waitForSelector(`${li} .par-dossier-list li`);
      const n = await page.$$eval(`${li} .par-dossier-list li`, (x) => x.length);
      check(n === Math.min(m.metric.den, 1000), `PAR self: the computed criterion drills down to its ${n} dossiers`);
    }
    // evidence: a PDF is attached and listed; an .exe is refused next to the file field
    const ev = `form.par-evidence-form[data-node="1.1.1"]`;
    await page.click('li.par-crit[data-node="1.1.1"] details.par-evidence-add summary');
    await page.setInputFiles(`${ev} input[type="file"]`, { name: 'ke-hoach-cchc.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    await page.click(`${ev} button[type="submit"]`);
    await page.waitForSelector('[id="ev-1.1.1"] li a');
    check((await page.textContent('[id="ev-1.1.1"]')).includes('ke-hoach-cchc.pdf'), 'PAR evidence: the attached PDF is listed');
    await page.setInputFiles(`${ev} input[type="file"]`, { name: 'virus.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
    await page.click(`${ev} button[type="submit"]`);
    await page.waitForSelector(`${ev} input[type="file"][aria-invalid="true"]`);
    check((await page.textContent(`${ev} .field-error`)).includes('chỉ nhận các loại tệp'), 'PAR evidence: a file of the wrong type is refused next to the file field, in Vietnamese', await page.textContent(`${ev} .field-error`));
    await shot(page, '21b-par-evidence');
  }

  // the round's life in the UI: the administrator closes the appraisal, the assessor imports
  // the survey points (a bad file refused by the file field), the administrator publishes
  if (!served('POST /api/par/rounds/{round}/close-phase') || !served('POST /api/par/rounds/{round}/survey')) {
    await signOut(page);
    return;
  }
  page.on('dialog', (d) => d.accept());
  await signInAt(page, `#/chi-so-cchc/${td}`, ADMIN);
  await page.waitForSelector('#par-close-phase');
  await page.click('#par-close-phase');
  await page.waitForFunction(() => document.querySelector('#round-info-title + .badge, .card-head .badge') && document.querySelector('.card-head .badge').className.includes('par-survey'));
  check(true, 'PAR: the administrator closes the appraisal: the round is in the survey phase');
  await signInAt(page, `#/chi-so-cchc/${td}`, ASSESSOR);
  await page.waitForSelector('#survey-form');
  await page.setInputFiles('#survey-file', { name: 'dieu-tra.csv', mimeType: 'text/csv', buffer: Buffer.from('unit,node,survey\nDT.MYTHO,8.1,12\n') });
  await page.click('#survey-send');
  await page.waitForSelector('#survey-file[aria-invalid="true"]');
  check((await page.textContent('#survey-form .field-error')).includes('tối đa 10,00 điểm'), 'PAR survey: 12 points on a 10-point criterion is refused by the file field', await page.textContent('#survey-form .field-error'));
  await shot(page, '21c-par-survey-error');
  await page.setInputFiles('#survey-file', { name: 'dieu-tra.csv', mimeType: 'text/csv', buffer: Buffer.from('unit,node,survey\nDT.MYTHO,8.1,"7,5"\nDT.CAIBE,8.1,9\nDT.CAIBE,8.2,8\n') });
  await page.click('#survey-send');
  await page.waitForSelector('#survey-form .par-saved:not(:empty), #survey-form .field-error');
  check(!(await page.$('#survey-form .field-error')), 'PAR survey: a good file is imported', await page.textContent('#survey-form'));
  await page.waitForFunction(() => /17,00/.test((document.querySelector('#par-ranking tr[data-unit="DT.CAIBE"]') || {}).textContent || ''));
  const surveyed = (await parResults(page, td)).results.units;
  const caibe = surveyed.find((u) => u.unit === 'DT.CAIBE');
  check(caibe.survey === 17 && surveyed.find((u) => u.unit === 'DT.MYTHO').survey === 7.5, 'PAR survey: the imported points are in the results (17 and 7,5)', JSON.stringify(surveyed.map((u) => [u.unit, u.survey])));
  check((await page.textContent('#par-ranking tr[data-unit="DT.CAIBE"]')).includes('17,00'), 'PAR survey: the ranking shows the survey column');
  await signInAt(page, `#/chi-so-cchc/${td}`, ADMIN);
  await page.waitForSelector('#par-publish');
  await page.click('#par-publish');
  await page.waitForSelector('.card-head .badge.par-published');
  check(!(await page.$('#par-publish')), 'PAR: the administrator publishes the round: published, nothing left to do');
  await shot(page, '21d-par-published');
  await signOut(page);
}

// Every main page at a phone's width (390 px): screenshots, and no sideways scrolling of the page.
async function phoneShots(ctx, errors) {
  const phone = await ctx.newPage();
  phone.on('pageerror', (e) => errors.push(e.message));
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`${base}/`);
  await phone.waitForSelector('body[data-ready="1"]');
  const widths = {};
  const visit = async (hash, sel, name) => {
    await phone.goto(`${base}/${hash}`);
    await phone.waitForSelector(sel);
    await phone.waitForTimeout(150);
    widths[name] = await phone.evaluate(() => document.documentElement.scrollWidth);
    await shot(phone, name);
  };
  await visit('#/', '#tile-desk', '22-phone-home');
  // the grouped menu (issue 13): one "Danh mục" line on a phone, the groups open stacked
  const navHeight = () => phone.evaluate(() => document.querySelector('.mainnav').getBoundingClientRect().height);
  const closedHeight = await navHeight();
  check(closedHeight <= 60 && !(await phone.locator('#navlist').isVisible()),
    'phone: the menu is one line, its list closed', `${closedHeight}px`);
  await phone.click('#navtoggle');
  check(await phone.locator('#nav-g-lead a[href="#/thong-ke"]').isVisible()
    && (await phone.locator('#navtoggle').getAttribute('aria-expanded')) === 'true',
  'phone: "Danh mục" opens the groups with their pages');
  await shot(phone, '22b-phone-menu');
  await phone.click('#nav-g-citizen a[href="#/thu-tuc"]');
  await phone.waitForSelector('#catalog-list section');
  check(!(await phone.locator('#navlist').isVisible()), 'phone: choosing a page closes the menu');
  await visit('#/mot-cua', '#login-submit', '23-phone-login');
  await signIn(phone, DESK);
  await visit('#/mot-cua', '#receive-form', '24-phone-desk');
  await visit('#/thong-ke', '#kpis', '25-phone-dashboard');
  await visit(`#/chi-so-cchc/XA-${PAR_YEAR}`, '#par-ranking', '26-phone-par-results');
  const wide = Object.entries(widths).filter(([, w]) => w > 390);
  check(!wide.length, 'at a phone\'s width no page scrolls sideways (tables scroll in their box)', JSON.stringify(widths));
  // the same menu at a desktop's width: one line of groups, each a drop-down that Escape closes
  await phone.setViewportSize({ width: 1366, height: 900 });
  const deskNav = await navHeight();
  check(deskNav <= 56, 'desktop: the grouped menu is one line', `${deskNav}px`);
  await phone.click('#navlist > li.navgroup > button[aria-controls="nav-g-desk"]');
  check(await phone.locator('#nav-g-desk a[href="#/mot-cua"]').isVisible(), 'desktop: a group opens its drop-down');
  await phone.keyboard.press('Escape');
  check(!(await phone.locator('#nav-g-desk').isVisible()), 'desktop: Escape closes the drop-down');
  await phone.setViewportSize({ width: 390, height: 844 });
  await signOut(phone);
  await phone.close();
}


// Each role at a phone's width (390 px) and a desktop's (1366 px): the pages that role works in,
// each checked as drawn (screenCheck) and kept as a screenshot (tour-WIDTH-ROLE-PAGE.png).
const SPECIALIST = { user: 'chuyenvien.mytho', pass: 'demo-chuyenvien-2025' };
const CITIZEN = { user: 'congdan', pass: 'demo-congdan-2025' };
const CITIZEN_CODES = (process.env.CCHC_CITIZEN_CODES || '').trim().split(/\s+/).filter(Boolean);
const CITIZEN_PHONE = '0901 234 567';

async function settle(page) {
  await page.waitForSelector('body[data-ready="1"]');
  await page.waitForFunction(() => !document.querySelector('main .loading'));
  await page.waitForTimeout(250);
}

async function citizenLookup(page, code) {
  await page.goto(`${base}/?code=${encodeURIComponent(code)}`);
  await page.waitForSelector('#lookup-form');
  await page.fill('input[name="phone"]', CITIZEN_PHONE);
  await page.click('#lookup-submit');
  await page.waitForSelector('#result-status');
}

async function roleTour(ctx, errors) {
  const cur = `XA-${PAR_YEAR}`;
  for (const width of [390, 1366]) {
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
    const visit = async (who, hash, sel, name) => {
      await page.goto(`${base}/${hash}`);
      await page.waitForSelector(sel);
      await settle(page);
      await screenCheck(page, `tour-${width}-${who}-${name}`);
    };
    // the public: home, and the demo citizen's dossiers by code and phone
    await visit('public', '#/', '#tile-desk', 'home');
    // the published results, without a login: the province's rate with its basis, its units
    // ranked, the service index; a unit's name opens that unit's own page
    await visit('public', '#/cong-khai', '#pub-units-table', 'published');
    check(/\d+,\d% \([\d.]+\/[\d.]+ hồ sơ đã giải quyết\)/.test(await page.textContent('#pub-rate')),
      `${width} px: the published on-time rate names its numerator and denominator`, await page.textContent('#pub-rate'));
    check((await page.$$('#pub-index-table tbody tr')).length > 3, `${width} px: the published page ranks the units by the service index`);
    const firstUnit = await page.textContent('#pub-units-table tbody th a');
    await page.click('#pub-units-table tbody th a');
    await page.waitForFunction((n) => document.querySelector('#pub-headline h2') && document.querySelector('#pub-headline h2').textContent === n, firstUnit);
    check(true, `${width} px: a unit's name on the published page opens that unit's figures`);
    let supp = null;
    for (const code of CITIZEN_CODES) {
      await citizenLookup(page, code);
      await settle(page);
      const st = (await page.getAttribute('#result-status .badge', 'class')) || '';
      if (st.includes('st-supplement_requested')) supp = code;
      await screenCheck(page, `tour-${width}-citizen-${st.replace(/.*st-/, '').split(' ')[0]}`);
    }
    if (check(!!supp, `${width} px: the demo citizen has a dossier waiting for a supplement (${CITIZEN_CODES.join(' ')})`)) {
      await citizenLookup(page, supp.toLowerCase()); // typed in lower case: the same dossier
      check((await page.textContent('#stop-reason')).includes('Bổ sung bản sao'), `${width} px: the citizen page says what the supplement request asks for`);
      check((await page.textContent('#progress li.current')).includes('Chờ bổ sung') && (await page.textContent('#stop-notice')).includes('tạm dừng'),
        `${width} px: the progress says it waits for a supplement and the clock is stopped`);
      check((await page.textContent('#result-history')).includes('Yêu cầu bổ sung'), `${width} px: the request is in the citizen's history`);
      const desk = await page.textContent('#desk-contact');
      check(/Bộ phận Một cửa/.test(desk) && /Điện thoại/.test(desk) && /Thời gian làm việc/.test(desk) && (await page.getAttribute('#desk-phone', 'href')).startsWith('tel:0277'),
        `${width} px: the citizen page says where the desk is, its phone (a link to call) and its hours`, desk);
    }
    // the citizen's account: signs in, is told the desk is for officers, follows the lookup
    await page.goto(`${base}/#/mot-cua`);
    await settle(page);
    if (await page.$('#logout')) await signOut(page);
    await signIn(page, CITIZEN);
    await visit('congdan', '#/mot-cua', '.notice', 'desk-refused');
    await signOut(page);

    const roles = [
      [DESK, 'motcua', [['#/mot-cua', '#receive-form', 'receive'], ['#/mot-cua?tab=queue', '#queue-0', 'queue'],
        ['#/mot-cua?tab=overdue', '#panel-overdue table', 'overdue'], ['#/thong-ke', '#kpis', 'dashboard']]],
      [SPECIALIST, 'chuyenvien', [['#/mot-cua?tab=queue', '#queue-0', 'queue'], ['#/chi-so-cchc', '#par-rounds', 'par-rounds'],
        [`#/chi-so-cchc/${cur}/don-vi/DT.MYTHO`, '#par-unit-summary', 'par-self']]],
      [LEADER, 'lanhdao', [['#/thong-ke', '#kpis', 'dashboard'], [`#/chi-so-cchc/${cur}`, '#par-ranking', 'par-results'],
        ['#/doi-thoai', '#dlg-table', 'dialogues']]],
      [ASSESSOR, 'thamdinh', [['#/chi-so-cchc', '#par-rounds', 'par-rounds'], [`#/chi-so-cchc/XA-${PAR_YEAR - 1}`, '#par-ranking', 'par-published'],
        [`#/chi-so-cchc/TD-${PAR_YEAR}/don-vi/DT.CAIBE`, '#par-unit-summary', 'par-appraisal']]],
      [ADMIN, 'admin', [['#/thong-ke', '#kpis', 'dashboard'], ['#/chi-so-cchc', '#par-rounds', 'par-rounds'], ['#/quan-tri', '#users-table', 'users']]],
    ];
    for (const [who, name, pages] of roles) {
      await page.goto(`${base}/#/mot-cua`);
      await settle(page);
      if (await page.$('#logout')) await signOut(page);
      await signIn(page, who);
      for (const [hash, sel, pname] of pages) await visit(name, hash, sel, pname);
      if (name === 'motcua' || name === 'lanhdao') {
        // a dossier of the demo citizen: steps and history by name, closed ones shown closed
        for (const code of CITIZEN_CODES) await visit(name, `#/mot-cua/ho-so/${encodeURIComponent(code)}`, '#dossier-status', `dossier-${code.slice(-11)}`);
      }
      if (name === 'admin' && width > 600) {
        // the administrator adds an account: a short password is refused next to it, in Vietnamese
        await page.goto(`${base}/#/quan-tri`);
        await page.waitForSelector('#user-form');
        // a province has hundreds of accounts: found by name without diacritics
        await page.fill('#users-q', 'nguyen thi lan');
        await page.waitForFunction(() => [...document.querySelectorAll('#users-table tbody tr')].length >= 1 &&
          [...document.querySelectorAll('#users-table tbody tr')].every((tr) => /Nguyễn Thị Lan/.test(tr.textContent)));
        check((await page.textContent('#users-table')).includes('Nguyễn Thị Lan') && (await page.textContent('#users-table')).includes('Công chức Một cửa'),
          'admin: the accounts are listed with names and roles, searched without diacritics');
        await page.fill('#user-form [name="full_name"]', 'Hồ Thị Thử');
        await page.fill('#user-form [name="username"]', 'thu.nghiem');
        await page.selectOption('#user-form [name="unit"]', 'DT.MYTHO');
        await page.fill('#user-form [name="password"]', 'ngan');
        await page.click('#user-add');
        await page.waitForSelector('#user-form [name="password"][aria-invalid="true"]');
        const perr = await page.textContent('#user-form .field-error');
        check(perr.includes('Mật khẩu phải dài từ 10'), 'admin: a short password is refused next to it, in Vietnamese', perr);
        await page.fill('#user-form [name="password"]', 'mat-khau-thu-nghiem');
        await page.click('#user-add');
        await page.waitForSelector('#users-table tr[data-user="thu.nghiem"]');
        check(true, 'admin: the new account is listed');
        await screenCheck(page, `tour-${width}-admin-user-added`);
        // the units with their merger history; the administrator sets where a ward's citizens go
        check((await page.textContent('#units-admin-table tr[data-unit="DT.MYTHO"]')).includes('Phường 1'),
          'admin: a ward lists the wards merged into it');
        await page.selectOption('#contact-unit', 'DT.MYTHO');
        await page.waitForFunction(() => /Bộ phận Một cửa phường Mỹ Tho/.test(document.querySelector('#contact-note').textContent));
        await page.fill('#contact-form [name="address"]', 'Số 9 đường Ấp Bắc');
        await page.fill('#contact-form [name="phone"]', 'gọi ngay');
        await page.click('#contact-save');
        await page.waitForSelector('#contact-form [name="phone"][aria-invalid="true"]');
        check(true, 'admin: a phone that is not a number is refused next to the field');
        await page.fill('#contact-form [name="phone"]', '0277 3 899 999');
        await page.click('#contact-save');
        await page.waitForFunction(() => /riêng của đơn vị: Số 9 đường Ấp Bắc/.test(document.querySelector('#contact-note').textContent));
        check(true, 'admin: the ward\'s own address is saved and shown as its own');
        // the administrator creates next year's commune round from the PAR page: a code already
        // used is refused next to the code, in Vietnamese; the proposed one creates the round
        await page.goto(`${base}/#/chi-so-cchc`);
        await page.waitForSelector('#new-round-set');
        const communeSet = await page.$eval('#new-round-set', (s) => [...s.options].map((o) => o.value).find((v) => v.startsWith('HT-XA')));
        await page.selectOption('#new-round-set', communeSet);
        await page.fill('#new-round-year', String(new Date().getFullYear() + 1));
        const proposed = await page.inputValue('#new-round-code');
        check(proposed === `XA-${new Date().getFullYear() + 1}`, 'admin: a round code is proposed from the set and the year', proposed);
        await page.fill('#new-round-code', `XA-${new Date().getFullYear()}`);
        await page.click('#new-round-submit');
        await page.waitForSelector('#new-round-code[aria-invalid="true"]');
        const rerr = await page.textContent('#new-round .field-error');
        check(rerr.includes('Đã có đợt đánh giá mã'), 'admin: a round code already used is refused next to it, in Vietnamese', rerr);
        await screenCheck(page, `tour-${width}-admin-par-new-refused`);
        await page.fill('#new-round-code', proposed);
        await page.click('#new-round-submit');
        await page.waitForFunction((c) => location.hash === `#/chi-so-cchc/${c}`, proposed);
        await page.waitForSelector('#par-title');
        check((await page.textContent('#par-title')).includes(proposed), 'admin: the new round opens on its results page', proposed);
      }
      if (name === 'lanhdao' && width > 600) {
        // the leader follows the commitments of the ward's dialogues: the overdue one is shown
        // as such; recording what was done closes it (late); an empty result is refused in place
        await page.goto(`${base}/#/doi-thoai`);
        await page.waitForSelector('#dlg-table');
        const overdueRow = page.locator('#dlg-table tbody tr', { hasText: 'Quá hạn' }).first();
        check(await overdueRow.count() === 1, 'dialogues: an overdue commitment is shown as overdue');
        const cid = await overdueRow.getAttribute('data-id');
        await overdueRow.locator('summary').click();
        await page.click(`#dlg-close-${cid}`);
        await page.waitForSelector(`#dlg-result-${cid}[aria-invalid="true"]`);
        check(true, 'dialogues: closing without a result is refused next to the field');
        await page.fill(`#dlg-result-${cid}`, 'Đã gửi văn bản kiến nghị lên UBND tỉnh');
        await page.click(`#dlg-close-${cid}`);
        await page.waitForFunction((id) => !document.querySelector(`#dlg-table tr[data-id="${id}"]`), cid);
        await page.uncheck('#dlg-open');
        await page.waitForFunction((id) => /Hoàn thành quá hạn/.test((document.querySelector(`#dlg-table tr[data-id="${id}"]`) || {}).textContent || ''), cid);
        check(true, 'dialogues: the closed commitment is listed as done late with what was done');
        await screenCheck(page, `tour-${width}-lanhdao-dialogue-closed`);
      }
      if (name === 'motcua' && width > 600) {
        // the dossiers received regardless of residence where Mỹ Tho is one side: those another
        // desk received for Mỹ Tho to decide are counted and open for processing
        await page.goto(`${base}/#/mot-cua?tab=cross`);
        await page.waitForSelector('#cross-table');
        const crossRows = await page.$$eval('#cross-table tbody tr[data-code]', (rs) => rs.length);
        const crossCount = await page.textContent('#cross-count');
        check(crossRows > 0 && /trong đó [1-9]\d* hồ sơ do đơn vị khác tiếp nhận/.test(crossCount),
          'desk: the dossiers received across units are listed, those decided here counted', `${crossRows} ${crossCount}`);
        await screenCheck(page, `tour-${width}-motcua-cross`);
        await page.click('#cross-table tbody tr.for-us a');
        await page.waitForSelector('#dossier-status');
        check(true, 'desk: a dossier received elsewhere for this unit opens for processing');
      }
      if (name === 'motcua' && width < 600) {
        // on a phone every tab of the desk is on screen
        await page.goto(`${base}/#/mot-cua`);
        await page.waitForSelector('#tab-overdue');
        const off = await page.$$eval('.tabs [role="tab"]', (ts) => ts.filter((t) => { const r = t.getBoundingClientRect(); return r.right > innerWidth || r.left < 0; }).map((t) => t.id));
        check(!off.length, `${width} px: every desk tab is on screen`, off.join(','));
      }
      await signOut(page);
    }
    await page.close();
  }
}

// --- the story

async function story(ctx) {
  const origin = new URL(base).origin;
  const outside = [];
  await ctx.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin) || u.startsWith('data:')) return route.continue();
    outside.push(u);
    return route.abort();
  });
  const errors = [];
  const page = ctx.pages()[0] || (await ctx.newPage());
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    window.__printed = 0;
    window.print = () => { window.__printed++; };
  });

  // home, in Vietnamese by default
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready="1"]');
  check((await page.getAttribute('html', 'lang')) === 'vi', 'the page opens in Vietnamese');
  check((await page.textContent('h1')).includes('một cửa'), 'home shows its Vietnamese title', await page.textContent('h1'));
  check((await page.textContent('#org-name')).includes('Đồng Tháp'), 'the header names the province from /api/units');
  await shot(page, '01-home');
  await a11y(page, 'the home page');

  // desk: a wrong password is answered in the form, then the desk officer signs in
  await page.click('#tile-desk');
  await page.waitForSelector('#login-submit');
  await page.fill('input[name="username"]', DESK.user);
  await page.fill('input[name="password"]', 'wrong-password-1');
  await page.click('#login-submit');
  await page.waitForSelector('.form-error');
  check((await page.textContent('.form-error')).includes('Sai tên đăng nhập'), 'a wrong password is reported in the sign-in form');
  await shot(page, '02-login-error');
  await signIn(page, DESK);

  // setup through the API with the officer's session: a dossier received 20 days ago and left
  // at its first step, so the overdue list has a known row (the UI cannot backdate, rightly)
  const late = await page.evaluate(async () => {
    const s = await (await fetch('/api/session')).json();
    const day = new Date(Date.now() + 7 * 3600e3 - 20 * 86400e3).toISOString().slice(0, 10);
    const post = async (url, body) => {
      const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf }, body: JSON.stringify(body) });
      return r.json();
    };
    const d = await post('/api/dossiers', { unit: 'DT.MYTHO', procedure: '1.001193', applicant_name: 'Trần Thị Quá Hạn', applicant_phone: '0909000111', at: `${day}T09:00` });
    await post(`/api/dossiers/${d.code}/advance`, { at: `${day}T09:30`, officer: 'chuyenvien.mytho' });
    return d.code;
  });
  check(/-\d{4}$/.test(late || ''), `setup: a dossier received 20 days ago (${late})`);

  const before = await dashboardFigure(page, 'received_total');
  const solvedBefore = digits(await page.textContent('#kpi-solved .value button'));
  check(Number.isInteger(before), `dashboard: ${before} dossiers received this month before`);
  await page.selectOption('select[name="period"]', 'last12');
  await page.click('#dash-apply');
  await page.waitForSelector('#units-table');
  check((await page.getAttribute('#export-summary', 'href')).includes('format=xlsx'), 'dashboard: the units table has its Excel export');
  await page.waitForTimeout(300);
  check(await page.isVisible('#unit-chart'), 'dashboard: the chart by unit is drawn (Chart.js from /assets/vendor/)');
  check((await page.textContent('#rate-ontime')).match(/\d+,\d%.*\(\d.*\/.*hồ sơ/) !== null,
    'dashboard: the on-time rate names its denominator', await page.textContent('#rate-ontime'));
  await shot(page, '03-dashboard-last-12-months');
  // a commune's one-stop desk is counted in the commune's row, not listed as its peer
  check((await page.$$('#units-table tr[data-unit$=".MC"]')).length === 0 && (await page.$$('#units-table tr[data-unit="DT.MYTHO"]')).length === 1,
    'dashboard: the one-stop desks are counted in their communes\' rows, not listed as peers');
  // a unit row counts the unit's own dossiers (with its desk's): its number drills down to exactly that many
  const rowBtn = '#units-table tr[data-unit="DT.MYTHO"] button[data-fig="received_total"]';
  const rowN = digits(await page.textContent(rowBtn));
  await page.click(rowBtn);
  await page.waitForSelector('#drill-table');
  const listedN = await page.$$eval('#drill-table tbody tr:not(.empty-row)', (x) => x.length);
  check(rowN > 0 && listedN === rowN, `dashboard: a unit row's number (${rowN}) drills down to as many dossiers (${listedN})`);
  if (served('GET /api/reports/{report}')) {
    await page.selectOption('select[name="period"]', 'year');
    await page.click('#dash-apply');
    await page.waitForSelector('#index-table');
    // ranked units first, by rank; a unit with nothing to judge this period is shown unranked (—)
    const idx = await page.$$eval('#index-table tbody tr[data-unit]', (trs) => trs.map((tr) => {
      const c = tr.querySelector('td').textContent.trim();
      return c.startsWith('—') ? null : Number(c.replace(/\D+.*$/, ''));
    }));
    const ranked = idx.filter((r) => r !== null);
    check(idx.length >= 1 && ranked.every((r, i) => r >= 1 && (i === 0 || r >= ranked[i - 1])) && idx.slice(0, ranked.length).every((r) => r !== null),
      `dashboard: the service index lists ${idx.length} units, ${ranked.length} ranked in order (Decision 766)`, JSON.stringify(idx));
  }
  if (served('GET /api/stats/officers')) {
    // steps per officer, most late first; a count drills down to exactly its dossiers
    await page.waitForSelector('#officers-table');
    const late = await page.$$eval('#officers-table button[data-fig="steps_late"]', (bs) => bs.map((b) => Number(b.textContent.replace(/\D/g, ''))));
    check(late.length >= 1 && late.every((v, i) => i === 0 || v <= late[i - 1]), `dashboard: steps by officer, most late first (${late.slice(0, 5)})`);
    const first = '#officers-table tbody tr:first-child button[data-fig="steps_done"]';
    const n = digits(await page.textContent(first));
    await page.click(first);
    await page.waitForFunction((want) => {
      const t = document.querySelector('#drill-title');
      return t && t.textContent.includes('Bước đã xong') && document.querySelectorAll('#drill-table tbody tr:not(.empty-row)').length === want;
    }, n);
    check(n > 0, `dashboard: an officer's ${n} finished steps drill down to ${n} dossiers`);
  }

  // receive: the procedure is found without diacritics
  await page.goto(`${base}/#/mot-cua`);
  await page.waitForSelector('#receive-form');
  // sent without a procedure: refused next to the search; the error goes once one is chosen
  await page.click('#receive-submit');
  await page.waitForSelector('#f-procedure_search[aria-invalid="true"]');
  await page.fill('#f-procedure_search', 'dang ky lai khai sinh');
  await page.waitForSelector('#proc-list li[role="option"]');
  const options = await page.$$eval('#proc-list li[role="option"]', (els) => els.map((e) => e.textContent));
  check(options.length >= 1 && options[0].startsWith('Đăng ký lại khai sinh'), 'procedure search without diacritics finds "Đăng ký lại khai sinh"', JSON.stringify(options));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#docs-all');
  check(!(await page.$('#f-procedure_search[aria-invalid="true"]')) && !(await page.$('.combo .field-error')),
    'the "no procedure chosen" error goes once a procedure is chosen');
  const ndocs = await page.$$eval('input[name="documents"]', (els) => els.length);
  check(ndocs >= 2, `the documents checklist comes from the procedure (${ndocs} documents)`);
  await page.click('#docs-all');
  await page.fill('#f-applicant_name', 'Nguyễn Văn Bình');
  await page.fill('#f-applicant_idno', '082090001234');
  await page.fill('#f-applicant_address', 'Số 12 đường Hùng Vương, phường Mỹ Tho');

  // the server refuses a malformed phone: the message appears next to the phone field
  await page.fill('#f-applicant_phone', '09123');
  await page.click('#receive-submit');
  await page.waitForSelector('#f-applicant_phone[aria-invalid="true"]');
  const phoneErr = await page.$eval('#f-applicant_phone', (el) => {
    const err = el.closest('.field').querySelector('.field-error');
    return { text: err && err.textContent, described: el.getAttribute('aria-describedby') || '', focused: document.activeElement === el, id: err && err.id };
  });
  check(phoneErr.text && phoneErr.text.includes('Số điện thoại') && !/phone|digits/.test(phoneErr.text), 'the API error on the phone is shown next to the phone field, in Vietnamese only', JSON.stringify(phoneErr));
  check(phoneErr.described.includes(phoneErr.id) && phoneErr.focused, 'the phone field is described by its error and has the focus', JSON.stringify(phoneErr));
  await shot(page, '04-desk-field-error');
  await page.fill('#f-applicant_phone', '0912 345 678'); // as people write it
  await shot(page, '05-desk-receive-form');
  await a11y(page, 'the desk\'s receive form');
  await page.click('#receive-submit');
  await page.waitForSelector('#receipt');
  const code = (await page.textContent('#receipt-code')).trim();
  check(/^[\d.A-Z]+-\d{6}-\d{4}$/.test(code), `a dossier was received: ${code}`);
  await page.waitForSelector('#receipt-qr');
  check((await page.getAttribute('#receipt-qr', 'src')).startsWith('data:image/'), 'the receipt carries a QR code (qrcode-generator from /assets/vendor/)');
  const qrUrl = await decodeQr(page, '#receipt-qr');
  let qrParsed = null;
  try {
    qrParsed = new URL(qrUrl);
  } catch {
    /* checked below */
  }
  check(qrParsed && qrParsed.origin === new URL(base).origin && qrParsed.searchParams.get('code') === code,
    'the QR code, decoded from its pixels (jsQR), is this server\'s citizen address with the dossier code', qrUrl);
  check((await page.textContent('#receipt-due')).includes('năm'), 'the receipt states the return date');
  check(/^Mỹ Tho, ngày \d\d tháng \d\d năm \d{4}$/.test((await page.textContent('#receipt .place')).trim()), 'the receipt\'s date line names the place', await page.textContent('#receipt .place'));
  check((await page.textContent('#receipt .rc-sign')).includes('Nguyễn Thị Lan'), 'the receipt is signed with the officer\'s full name');
  await shot(page, '06-receipt');
  await a11y(page, 'the receipt');
  await page.click('#print-receipt');
  check((await page.evaluate(() => window.__printed)) === 1 && (await page.$('body.print-receipt #print-root .receipt')) !== null,
    'Print sends the receipt alone to the printer');
  await page.emulateMedia({ media: 'print' });
  check(!(await page.isVisible('header.topbar')) && (await page.isVisible('#print-root .receipt')), 'the print stylesheet shows only the receipt');
  const printedWidth = await page.$eval('#print-root .receipt', (el) => el.getBoundingClientRect().width);
  check(printedWidth <= 643, `the printed receipt fits A4 portrait's printable width (${Math.round(printedWidth)} px <= 170 mm)`);
  await page.pdf({ path: path.join(artifacts, '07-receipt.pdf'), format: 'A4', printBackground: true, preferCSSPageSize: true });
  const pdfPages = (fs.readFileSync(path.join(artifacts, '07-receipt.pdf'), 'latin1').match(/\/Type\s*\/Page(?!s)/g) || []).length;
  check(pdfPages === 1, `the receipt prints on one A4 page (${pdfPages})`);
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => document.body.classList.remove('print-receipt'));

  // the desk moves the dossier on through its steps
  await page.click('#open-dossier');
  await page.waitForSelector('#dossier-status');
  check((await statusOf(page)).includes('st-received'), 'the dossier page shows it received');
  // the receipt as the server's PDF (Mẫu 01 with its verification QR code, docs/forms.md)
  {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#download-receipt-pdf')]);
    const file = path.join(artifacts, '07b-receipt-server.pdf');
    await dl.saveAs(file);
    const head = fs.readFileSync(file).subarray(0, 5).toString('latin1');
    check(head === '%PDF-' && dl.suggestedFilename().endsWith('.pdf'), 'the dossier page downloads the receipt as a PDF', dl.suggestedFilename());
  }
  // the officer for the next step is picked from those who can take it, by name, role and unit
  {
    await page.click('#act-advance');
    await page.waitForSelector('#act-officer option:not([value=""])', { state: 'attached' });
    const opts = await page.$$eval('#act-officer option', (os) => os.map((o) => `${o.value}=${o.textContent}`));
    const hint = await page.textContent('#act-next-step');
    check(opts.some((o) => o.startsWith('motcua.mytho=Nguyễn Thị Lan — Công chức Một cửa')) && hint.includes('Bước tiếp theo: bước 1'),
      'advancing offers the officers who can take the next step by name, role and unit, and names that step', `${opts.join(' | ')} / ${hint}`);
    check(!opts.some((o) => o.startsWith('motcua.caolanh=')), 'the picker offers no officer of another ward', opts.join(' | '));
    await page.click('#action-form .btn.secondary');
  }
  let steps = 0;
  while ((await page.$('#act-advance')) && steps < 10) {
    const st = await act(page, 'advance');
    if (!check(st === 200, `advance to step ${steps + 1} answered 200`, st)) break;
    steps++;
  }
  check(steps >= 1 && (await page.textContent('#dossier-step')).includes(`${steps}/`), `the desk advanced it through ${steps} steps`, await page.textContent('#dossier-step'));
  await shot(page, '08-dossier-processing');

  // today's queue lists it; the overdue list names who holds each dossier and at which step
  await page.goto(`${base}/#/mot-cua?tab=queue`);
  await page.waitForSelector(`#queue-0 tr[data-code="${code}"]`);
  check(true, 'today\'s queue lists the new dossier');
  await shot(page, '09-desk-queue');
  await page.click('#tab-overdue');
  await page.waitForSelector('#panel-overdue table');
  await page.waitForSelector(`#panel-overdue tr[data-code="${late}"]`);
  await page.waitForFunction((c) => /— /.test(document.querySelector(`#panel-overdue tr[data-code="${c}"]`).textContent), late);
  const row = await page.textContent(`#panel-overdue tr[data-code="${late}"]`);
  check(row.includes('chuyenvien.mytho') && /Bước 1\/\d+/.test(row) && row.includes('Tiếp nhận, kiểm tra hồ sơ'),
    'the overdue list names who holds the late dossier and at which step', row);
  await shot(page, '10-desk-overdue');
  await a11y(page, 'the desk\'s overdue list');

  // another dossier: the desk asks for a supplement, records it, then refuses the dossier
  const other = await page.evaluate(async () => {
    const s = await (await fetch('/api/session')).json();
    const r = await fetch('/api/dossiers', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf },
      body: JSON.stringify({ unit: 'DT.MYTHO', procedure: '1.001193', applicant_name: 'Phạm Văn Bổ Sung', applicant_phone: '0909000222' }) });
    return (await r.json()).code;
  });
  await openDossier(page, other);
  check(await act(page, 'request-supplement', { note: 'Thiếu bản sao giấy tờ tùy thân' }) === 200 && (await statusOf(page)).includes('st-supplement_requested'),
    'the desk asks for a supplement (Mẫu 02): waiting for documents');
  await screenCheck(page, '10b-dossier-supplement');
  check(await act(page, 'supplement-received') === 200 && (await statusOf(page)).includes('st-received'), 'the supplement is recorded: received again');
  check(await act(page, 'refuse', { note: 'Không thuộc thẩm quyền giải quyết' }) === 200 && (await statusOf(page)).includes('st-refused'), 'the desk refuses it (Mẫu 03): refused');
  check(!(await page.$('#act-advance')), 'a refused dossier offers no further step');
  check((await page.textContent('#dossier-step')).includes('Đã kết thúc'), 'a refused dossier is shown closed, with no step held', await page.textContent('#dossier-step'));
  await screenCheck(page, '10c-dossier-refused');
  await signOut(page);

  // a leader finishes it, the desk hands the result over
  await page.goto(`${base}/#/mot-cua`);
  await signIn(page, LEADER);
  await openDossier(page, code);
  check(await act(page, 'finish') === 200 && (await statusOf(page)).includes('st-result_ready'), 'the leader finishes it: result ready');
  await signOut(page);
  await page.goto(`${base}/#/mot-cua`);
  await signIn(page, DESK);
  await openDossier(page, code);
  check(await act(page, 'return') === 200 && (await statusOf(page)).includes('st-returned'), 'the desk returns the result');
  check((await page.$$('#history-events li')).length >= steps + 3, 'the history lists every event');
  await page.click('#reprint-receipt');
  check((await page.textContent('#print-root .rc-sign')).includes('Nguyễn Thị Lan'), 'a reprinted receipt is signed with the officer\'s full name, not the login');
  await page.evaluate(() => document.body.classList.remove('print-receipt'));
  await shot(page, '11-dossier-returned');
  await a11y(page, 'a dossier\'s page');

  // the dashboard count moved, and the number drills down to the dossier
  const after = await dashboardFigure(page, 'received_total');
  // two dossiers were received since: the one returned, and the one refused
  check(after === before + 2, `dashboard: received this month ${before} -> ${after} (+2: the returned and the refused dossier)`);
  const solvedAfter = digits(await page.textContent('#kpi-solved .value button'));
  check(solvedAfter === solvedBefore + 1, `dashboard: solved this month ${solvedBefore} -> ${solvedAfter}`);
  await page.click('#kpi-received_total .value button');
  await page.waitForSelector('#drill-table');
  check((await page.textContent('#drill-table')).includes(code), 'drill-down from the number lists the dossier');
  await shot(page, '12-dashboard-drilldown');
  await a11y(page, 'the dashboard');
  await signOut(page);

  // the citizen, on a phone, opens the receipt's QR address
  const phone = await ctx.newPage();
  phone.on('pageerror', (e) => errors.push(e.message));
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(qrUrl || `${base}/?code=${encodeURIComponent(code)}`);
  await phone.waitForSelector('#lookup-form');
  check((await phone.inputValue('input[name="code"]')) === code, 'the QR address opens the citizen page with the code filled in');
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
  check(wide <= 390, `the citizen page fits a phone's width (${wide} px)`);
  await phone.fill('input[name="phone"]', '0987000000');
  await phone.click('#lookup-submit');
  await phone.waitForSelector('.field-error');
  const codeErr = await phone.$eval('.field-error', (el) => el.closest('.field').querySelector('input').name);
  check(codeErr === 'code', 'a wrong second factor is reported next to the dossier code', codeErr);
  await shot(phone, '13-citizen-not-found');
  await phone.fill('input[name="phone"]', PHONE);
  await phone.click('#lookup-submit');
  await phone.waitForSelector('#result-status');
  check((await phone.getAttribute('#result-status .badge', 'class')).includes('st-returned'), 'the citizen sees the dossier returned');
  check((await phone.$$('#progress li.done')).length === 4, 'the progress shows all four stages done');
  await phone.waitForSelector('#rating-form');
  await phone.click('label[for="score-5"]');
  const rateAnswer = phone.waitForResponse((r) => r.url().endsWith('/api/lookup/rating'));
  await phone.click('#rating-submit');
  const rated = await rateAnswer;
  if (rated.status() === 501) {
    // The store has no ratings yet (src/http/lookup.c answers 501): the page must say so.
    await phone.waitForSelector('#rating-form .form-error');
    check((await phone.textContent('#rating-form .form-error')).includes('chưa hỗ trợ'), 'rating: the server\'s 501 is shown in the form, not a blank page');
    console.log('# SKIP rating stored: the server answers 501 not_implemented (ratings not stored yet)');
  } else {
    await phone.waitForSelector('#rating-thanks');
    check(rated.status() === 200 || rated.status() === 201, `the rating is accepted (${rated.status()})`);
    // once: the same lookup again offers no second rating
    const again = phone.waitForResponse((r) => r.url().endsWith('/api/lookup'));
    await phone.click('#lookup-submit');
    await again;
    await phone.waitForSelector('#rating-thanks', { state: 'detached' });
    await phone.waitForSelector('#result-status');
    check(!(await phone.$('#rating-form')), 'the service is rated once: looked up again, no rating form');
  }
  await shot(phone, '14-citizen-phone');
  await a11y(phone, 'the citizen page on a phone');

  // English, switched in place: the typed code stays
  await phone.click('button[data-lang="en"]');
  await phone.waitForFunction(() => document.documentElement.lang === 'en');
  check((await phone.textContent('#citizen-title')) === 'Track a dossier', 'the English switch translates the page', await phone.textContent('#citizen-title'));
  check((await phone.inputValue('input[name="code"]')) === code, 'switching language keeps what was typed');
  check((await phone.textContent('#result-status')).includes('Result returned'), 'statuses are translated too');
  await shot(phone, '15-citizen-english');
  await phone.click('button[data-lang="vi"]');
  await phone.waitForFunction(() => document.documentElement.lang === 'vi');

  // every form control has a label
  const unlabelled = await page.evaluate(async () => {
    location.hash = '#/tra-cuu';
    await new Promise((r) => setTimeout(r, 300));
    return [...document.querySelectorAll('input:not([type="hidden"]), select, textarea')]
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.name || el.id);
  });
  check(!unlabelled.length, 'every control of the citizen page has a label', unlabelled.join(','));

  await signInAt(page, '#/chi-so-cchc', ASSESSOR);
  await parStory(page);
  await phoneShots(ctx, errors);
  await roleTour(ctx, errors);

  check(!outside.length, 'no request left the server\'s origin', outside.join(' '));
  check(!errors.length, 'no uncaught script error', errors.join(' | '));
}

async function main() {
  i18nChecks();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: exe,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 900 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  ctx.setDefaultTimeout(30000);
  try {
    await story(ctx);
  } catch (e) {
    failed++;
    problems.push(e);
    console.log(`not ok ${passed + failed} - the story stopped: ${e.message.split('\n')[0]}`);
    const p = ctx.pages()[ctx.pages().length - 1];
    if (p) await p.screenshot({ path: path.join(artifacts, 'failure.png'), fullPage: true }).catch(() => {});
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
