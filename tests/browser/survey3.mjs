// survey3.mjs — DDCI's businesses on a round's page (web/js/survey3.js): the ward's leader
// uploads a list with problems (each line's problem in Vietnamese, nothing added), then a good
// list (the invitations and their CSV). t-survey3.sh sets up the demo and round DB.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [base, artifacts, exe] = process.argv.slice(2);
const UNIT = process.env.CCHC_UNIT;
let passed = 0, failed = 0;
function check(cond, what, detail) {
  if (cond) { passed++; console.log(`ok ${passed + failed} - ${what}`); }
  else { failed++; console.log(`not ok ${passed + failed} - ${what}${detail ? `: ${detail}` : ''}`); }
}

async function signIn(page, hash, user, pass) {
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector('body[data-ready="1"]');
  if (await page.$('#logout')) {
    await page.click('#logout');
    await page.waitForSelector('#logout', { state: 'detached' });
  }
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector('#login-submit');
  await page.fill('input[name="username"]', user);
  await page.fill('input[name="password"]', pass);
  await page.click('#login-submit');
  await page.waitForSelector('#logout');
}

async function clean(page, what) {
  const text = await page.textContent('main');
  const bad = ['null', 'undefined', '(verify)', 'NaN', 'survey.'].filter((w) => text.includes(w));
  check(!bad.length, `${what}: no raw text`, bad.join(', '));
}

async function shots(page, name) {
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(artifacts, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

async function story(ctx) {
  const page = ctx.pages()[0] || (await ctx.newPage());
  await signIn(page, '#/khao-sat', 'lanhdao.mytho', 'demo-lanhdao-2025');
  await page.click('a[data-round="DB"]');
  await page.waitForSelector('#survey-biz-form');
  await page.fill('#survey-biz-unit', UNIT);
  await page.check('input[name="survey-biz-source"][value="list"]');
  const bad = path.join(os.tmpdir(), `ds-bad-${process.pid}.csv`);
  fs.writeFileSync(bad, 'tax_code,name,contact,sector\n0101234567,Công ty A,,Sản xuất\n0101,Công ty B,,\n');
  await page.setInputFiles('#survey-biz-file', bad);
  await page.click('#survey-biz-go');
  await page.waitForSelector('#survey-biz-problems li');
  const probs = await page.$$eval('#survey-biz-problems li', (l) => l.map((x) => x.textContent));
  check(probs.length === 2 && probs.some((p) => p.includes(':3: mã số thuế:')) && probs.some((p) => p.includes('ngành') && p.includes('bắt buộc')),
    'each problem of the list, in Vietnamese', JSON.stringify(probs));
  await shots(page, 'biz-problems');
  await clean(page, 'the problems');
  const good = path.join(os.tmpdir(), `ds-good-${process.pid}.csv`);
  let csv = 'tax_code,name,contact,sector\n';
  for (let i = 10; i < 50; i++) csv += `01000000${i},Công ty ${i},,${i % 2 ? 'Dịch vụ' : 'Sản xuất'}\n`;
  fs.writeFileSync(good, csv);
  await page.setInputFiles('#survey-biz-file', good);
  await page.click('#survey-biz-go');
  await page.waitForSelector('#survey-biz-done');
  const rows = await page.$$eval('#survey-biz-invitations tbody tr', (l) => l.length);
  check(rows >= 30 && rows <= 40, 'the invitations of the list', String(rows));
  check(!!(await page.$('#survey-biz-download[download]')), 'the invitations as a CSV');
  await shots(page, 'biz-done');
  await clean(page, 'the invitations');
  fs.rmSync(bad, { force: true });
  fs.rmSync(good, { force: true });
}
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-chromium-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: exe,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  viewport: { width: 1366, height: 900 },
  locale: 'vi-VN',
  timezoneId: 'Asia/Ho_Chi_Minh',
});
ctx.setDefaultTimeout(30000);
try {
  await story(ctx);
} catch (e) {
  failed++;
  console.log(`not ok ${passed + failed} - the story stopped: ${e.message.split('\n')[0]}`);
  const pg = ctx.pages()[ctx.pages().length - 1];
  if (pg) await pg.screenshot({ path: path.join(artifacts, 'failure.png'), fullPage: true }).catch(() => {});
} finally {
  await ctx.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
