// backdate.mjs — the backdated mark of a dossier's history in a real browser (t-backdate.sh):
// the demo leader finishes CCHC_CODE with a claimed time on CCHC_DAY and a reason, and the
// history shows "ghi lùi thời gian" with the claimed and the recorded time; a desk officer's
// attempt (a backdated supplement request) is refused with the Vietnamese message and changes nothing.
// Usage: CCHC_CODE=… CCHC_DAY=YYYY-MM-DD node backdate.mjs BASE_URL ARTIFACT_DIR [CHROMIUM]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [base, artifacts, exe = '/usr/bin/chromium'] = process.argv.slice(2);
const code = process.env.CCHC_CODE;
const day = process.env.CCHC_DAY;
const DESK = { user: 'motcua.mytho', pass: 'demo-motcua-2025' };
const LEADER = { user: 'lanhdao.mytho', pass: 'demo-lanhdao-2025' };
let passed = 0;
let failed = 0;
function check(cond, what, detail) {
  if (cond) passed++;
  else failed++;
  console.log(`${cond ? 'ok' : 'not ok'} ${passed + failed} - ${what}${!cond && detail !== undefined ? `: ${detail}` : ''}`);
}

async function signIn(page, who) {
  await page.goto(`${base}/#/mot-cua`);
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
// POST an action with the session's CSRF token, from the page (the UI itself never backdates)
const post = (page, action, body) => page.evaluate(async ({ code, action, body }) => {
  const s = await (await fetch('/api/session')).json();
  const r = await fetch(`/api/dossiers/${encodeURIComponent(code)}/${action}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf, 'Accept-Language': 'vi' },
    body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}, { code, action, body });

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: exe, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh',
  });
  ctx.setDefaultTimeout(30000);
  const errors = [];
  try {
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    const [y, m, d] = day.split('-');
    await signIn(page, DESK);
    const refused = await post(page, 'request-supplement', { at: `${day}T09:30`, note: 'Thiếu bản sao' });
    check(refused.status === 403 && refused.body.error.rule === 'dossier.backdate_role' &&
      refused.body.error.message.startsWith('Thời điểm'), 'a desk officer may not backdate: 403 in Vietnamese', JSON.stringify(refused));
    await signOut(page);
    await signIn(page, LEADER);
    const ok = await post(page, 'finish', { at: `${day}T10:00`, note: 'Kết quả đã ký, nhập bù' });
    check(ok.status === 200, 'the leader backdates the finish with a reason', JSON.stringify(ok));
    await page.goto(`${base}/#/mot-cua/ho-so/${encodeURIComponent(code)}`);
    await page.waitForSelector('#history-events');
    const marks = await page.$$eval('#history-events .badge.backdated', (xs) => xs.map((x) => x.textContent));
    check(marks.length === 1 && marks[0] === 'ghi lùi thời gian', 'the backdated event carries the mark "ghi lùi thời gian"', JSON.stringify(marks));
    const lines = await page.$$eval('#history-events div.backdated', (xs) => xs.map((x) => x.textContent));
    const line = lines.find((x) => x.includes('10:00')) || '';
    const now = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10).split('-');
    check(line.includes(`Thời điểm khai 10:00 ${d}/${m}/${y}`) && line.includes(`ghi nhận vào hệ thống lúc`) &&
      line.includes(`${now[2]}/${now[1]}/${now[0]}`), 'the mark shows the claimed and the recorded time', line);
    const visible = await page.isVisible('#history-events .badge.backdated');
    check(visible, 'the mark is visible');
    await page.screenshot({ path: path.join(artifacts, 'backdated-history.png'), fullPage: true });
    check(!errors.length, 'no uncaught script error', errors.join(' | '));
  } catch (e) {
    failed++;
    console.log(`not ok ${passed + failed} - stopped: ${e.message.split('\n')[0]}`);
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
main();
