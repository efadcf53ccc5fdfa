// lib.mjs — what the browser scripts (tests/browser/*.mjs) share: the command line, TAP-style
// check() with its counts, Debian's chromium through playwright-core, signing in, the screen
// checks (no raw key, "null", "undefined" or "(verify)" in the text, nothing wider than the
// screen) and screenshots at 390 and 1366 px. Each script keeps its own story.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

// node SCRIPT BASE_URL ARTIFACT_DIR [CHROMIUM]: the arguments run_browser (lib.sh) passes.
export function parseArgs(script) {
  const [base, artifacts, exe = '/usr/bin/chromium', ...rest] = process.argv.slice(2);
  if (!base || !artifacts) {
    console.error(`usage: node ${script} BASE_URL ARTIFACT_DIR [CHROMIUM]`);
    process.exit(2);
  }
  fs.mkdirSync(artifacts, { recursive: true });
  return { base, artifacts, exe, rest };
}

const counts = { passed: 0, failed: 0 };

// One TAP line: "ok N - what" or "not ok N - what: detail". Returns cond.
export function check(cond, what, detail) {
  if (cond) counts.passed++;
  else counts.failed++;
  const why = !cond && detail !== undefined && detail !== '' ? `: ${detail}` : '';
  console.log(`${cond ? 'ok' : 'not ok'} ${counts.passed + counts.failed} - ${what}${why}`);
  return cond;
}

export function failures() {
  return counts.failed;
}

// Prints the totals and exits 1 on any failure.
export function finish() {
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed ? 1 : 0);
}

// A fresh headless chromium profile in Vietnamese, Vietnam's time zone; close() removes it.
export async function launch(exe, options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: exe,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    ...options,
  });
  ctx.setDefaultTimeout(30000);
  return {
    ctx,
    close: async () => {
      await ctx.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Runs story(); a throw counts as one failure with a screenshot of the last page (NAME.png).
export async function runStory(ctx, artifacts, story, name = 'failure') {
  try {
    await story();
  } catch (e) {
    // the first line and the call log's (which selector, which step) say where it stopped
    const lines = e.message.split('\n').map((l) => l.trim()).filter(Boolean);
    check(false, `the story stopped: ${lines.slice(0, 3).join(' · ')}`);
    const pg = ctx.pages()[ctx.pages().length - 1];
    if (pg) await pg.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true }).catch(() => {});
  }
}

// Opens base/hash signed in as user (signing out whoever was signed in).
export async function signIn(page, base, hash, user, pass) {
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector('body[data-ready="1"]');
  if (await page.$('#logout')) {
    await page.click('#logout');
    await page.waitForSelector('#logout', { state: 'detached' });
    await page.goto(`${base}/${hash}`);
  }
  await page.waitForSelector('#login-submit');
  await page.fill('input[name="username"]', user);
  await page.fill('input[name="password"]', pass);
  await page.click('#login-submit');
  await page.waitForSelector('#logout');
}

// The words of `words` found in main's text (raw keys, null, (verify) …).
export async function rawWords(page, words) {
  const text = await page.textContent('main');
  return words.filter((w) => text.includes(w));
}

// No raw word in main, and no sideways scrolling at the page's width.
export async function clean(page, what, words) {
  const bad = await rawWords(page, words);
  check(!bad.length, `${what}: no raw text`, bad.join(', '));
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  const width = page.viewportSize().width;
  check(scroll <= width, `${what}: no sideways scrolling at ${width} px`, String(scroll));
}

// The screen's problems: elements of main wider than the screen (outside a scrolling table), a
// page that scrolls sideways, and null / undefined / NaN / (verify) in the visible text of the
// page, or what the regular expression source `raw` matches (a page's raw keys:
// 'totp\\.|login\\.'; a key is named in the problem).
export async function screenProblems(page, raw = '') {
  return page.evaluate((raw) => {
    const vw = document.documentElement.clientWidth;
    const out = [];
    const wide = new Set(); // the outermost wider element is named, not each of its children
    for (const el of document.querySelectorAll('main *')) {
      const r = el.getBoundingClientRect();
      if (!r.width || r.right <= vw + 1 || el.closest('.table-wrap')) continue;
      wide.add(el);
      if (!wide.has(el.parentElement) && out.length < 10) out.push(`<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}> wider`);
    }
    const sw = document.documentElement.scrollWidth;
    if (sw > vw + 1) out.push(`the page scrolls sideways (${sw} > ${vw})`);
    const text = document.body.innerText;
    const lit = /\b(null|undefined|NaN)\b|\(verify/.exec(text);
    if (lit) out.push(`"${lit[1] || '(verify'}" in the text: …${text.slice(Math.max(0, lit.index - 40), lit.index + 20).replace(/\s+/g, ' ')}…`);
    const key = raw && new RegExp(raw).exec(text);
    if (key) out.push(`raw key "${key[0]}" in the text`);
    return out;
  }, raw);
}

// Screenshots NAME-WIDTH.png at a phone's and a desktop's width, each checked (screenProblems);
// the page is left at the last width.
export async function screens(page, artifacts, name, raw = '', widths = [390, 1366]) {
  for (const width of widths) {
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
    await shot(page, artifacts, `${name}-${width}`, raw);
  }
}

// POSTs JSON to path from a signed-in page, with the session's CSRF token and Vietnamese
// messages: { status, body } (body null when not JSON).
export function post(page, p, body) {
  return page.evaluate(async ({ p, body }) => {
    const s = await (await fetch('/api/session')).json();
    const r = await fetch(p, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf, 'Accept-Language': 'vi' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, body: await r.json().catch(() => null) };
  }, { p, body });
}

// A small but real PDF (catalog, one empty A4 page, cross-reference table, trailer), `text` in a
// comment of its page so that two files differ.
export function tinyPdf(text = '') {
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>${text ? ` % ${text}` : ''}`];
  let out = '%PDF-1.4\n';
  const offs = [];
  objs.forEach((o, i) => {
    offs.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offs.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return out;
}

// Delivers the outbox once (`cchc notify run --once`) to the sink file; its messages so far.
export function sinkMessages(cchc, db, sink) {
  execFileSync(cchc, ['notify', 'run', '--once', '--db', db, '--notify-sink', sink], { stdio: 'ignore', timeout: 30000 });
  const lines = fs.existsSync(sink) ? fs.readFileSync(sink, 'utf8').trim().split('\n').filter(Boolean) : [];
  return lines.map((l) => JSON.parse(l));
}

// A full-page screenshot NAME.png, then the screen checks.
export async function shot(page, artifacts, name, raw = '') {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  const bad = await screenProblems(page, raw);
  check(!bad.length, `${name}: fits the screen, no raw text`, bad.join(', '));
}

// Full-page screenshots NAME-WIDTH.png at each width (900 px high); the page is then left at
// the size `after` (390 × 844 unless told).
export async function shots(page, artifacts, name, widths = [390, 1366], after = { width: 390, height: 844 }) {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(artifacts, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(after);
}
