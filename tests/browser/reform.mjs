// reform.mjs — the CCHC plan page in the browser (t-reform.sh sets up the demo and the tasks):
// Mỹ Tho's leader finds the ward's task among the near-due ones, reports 60 % on it; the
// province's administrator opens the province task and sees 40 % rolled up from the two wards'
// 60 % and 20 %, the parent taking no report of its own; every page at 390 and 1366 px, in
// Vietnamese, without raw keys, "null" or "(verify)".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [base, artifacts, exe] = process.argv.slice(2);
const TOP = process.env.CCHC_TOP, MYTHO = process.env.CCHC_MYTHO, CAOLANH = process.env.CCHC_CAOLANH;
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
    await page.goto(`${base}/${hash}`);
  }
  await page.waitForSelector('#login-submit');
  await page.fill('input[name="username"]', user);
  await page.fill('input[name="password"]', pass);
  await page.click('#login-submit');
  await page.waitForSelector('#logout');
}

// No raw key, null or (verify) on a Vietnamese page.
async function clean(page, what) {
  const text = await page.textContent('main');
  const bad = ['null', 'undefined', '(verify)', 'reform.', 'in_progress'].filter((w) => text.includes(w));
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
  // the ward leader: the ward's part among its tasks (due in 3 days: near due)
  await signIn(page, '#/cai-cach', 'lanhdao.mytho', 'demo-lanhdao-2025');
  await page.waitForSelector('#reform-tasks, #reform-tasks-empty');
  await page.click('#tab-near');
  const near = await page.$$eval('#reform-tasks tbody tr', (rows) => rows.map((r) => r.dataset.id));
  check(near.includes(MYTHO), 'the ward task is in the near-due list', JSON.stringify(near));
  check(!near.includes(CAOLANH), "another ward's task is not listed", JSON.stringify(near));
  await clean(page, 'task list');
  await shots(page, 'reform-list');
  await page.click(`#reform-tasks tr[data-id="${MYTHO}"] a`);
  await page.waitForSelector('#report-progress');
  await page.fill('#report-progress', '60');
  await page.click('#report-submit');
  await page.waitForSelector('#task-progress[data-progress="60"]');
  check((await page.textContent('#task-status')).includes('Đang thực hiện'), 'the ward task is in progress');
  check((await page.textContent('#task-history')).includes('báo cáo tiến độ'), 'the report is in the history');
  // a refused value is shown beside the field, in Vietnamese
  await page.fill('#report-progress', '100');
  await page.click('#report-submit');
  await page.waitForSelector('.field-error');
  check((await page.textContent('.field-error')).includes('Hoàn thành'), 'progress 100 is refused with the way to complete',
    await page.textContent('.field-error'));
  await shots(page, 'reform-ward-task');

  // the province: the task rolled up from both wards
  await signIn(page, `#/cai-cach/nhiem-vu/${TOP}`, 'admin', 'demo-admin-2025');
  await page.waitForSelector('#task-progress');
  const p = await page.getAttribute('#task-progress', 'data-progress');
  check(p === '40', 'the province task shows (60 + 20) / 2 = 40 %', p);
  const kids = await page.$$eval('#child-tasks tbody tr', (rows) => rows.map((r) => r.dataset.id + ':' + r.querySelector('progress').value));
  check(kids.join(' ') === `${MYTHO}:60 ${CAOLANH}:20`, 'both wards\' parts with their progress', kids.join(' '));
  check(!(await page.$('#report-progress')), 'the province task takes no report of its own');
  await clean(page, 'province task');
  await shots(page, 'reform-province-task');
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
