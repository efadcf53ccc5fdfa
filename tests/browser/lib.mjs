// lib.mjs — what the browser scripts (tests/browser/*.mjs) share: the command line, TAP-style
// check() with its counts, Debian's chromium through playwright-core, signing in, the screen
// checks (no raw key, "null", "undefined" or "(verify)" in the text, nothing wider than the
// screen) and screenshots at 390 and 1366 px. Each script keeps its own story.
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
    check(false, `the story stopped: ${e.message.split('\n')[0]}`);
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

// The screen's problems: elements of main wider than the screen (outside a scrolling table),
// and null / undefined / (verify) in its text, or what the regular expression source `raw`
// matches (a page's raw keys: 'totp\\.|login\\.').
export async function screenProblems(page, raw = '') {
  return page.evaluate((raw) => {
    const vw = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll('main *')) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > vw + 1 && !el.closest('.table-wrap')) out.push(`<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}> wider`);
    }
    const text = document.querySelector('main').innerText;
    if (/\bnull\b|undefined|\(verify/.test(text)) out.push('null/undefined/(verify) in the text');
    else if (raw && new RegExp(raw).test(text)) out.push('null/undefined/raw key in the text');
    return out;
  }, raw);
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
