// notify.mjs — the notifications page in a real browser (t-notify.sh): the administrator opens
// #/thong-bao, sees the counts in Vietnamese and the dead letter, replays it. Prints TAP; exit
// 1 on a failure.
// usage: node notify.mjs BASE ARTIFACTS CHROMIUM DEAD_ID
import path from 'node:path';
import { chromium } from 'playwright-core';

const [base, artifacts, chromiumPath, deadId] = process.argv.slice(2);
let n = 0;
let failed = 0;
function check(cond, what, detail) {
  n++;
  if (!cond) failed++;
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${what}${!cond && detail !== undefined ? `: ${detail}` : ''}`);
}

const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
try {
  const page = await (await browser.newContext({ locale: 'vi-VN', viewport: { width: 390, height: 844 } })).newPage();
  await page.goto(`${base}/#/thong-bao`);
  await page.waitForSelector('#login-submit');
  await page.fill('input[name="username"]', 'admin');
  await page.fill('input[name="password"]', 'demo-admin-2025');
  await page.click('#login-submit');
  await page.waitForSelector('#nt-counts');
  const labels = await page.$$eval('#nt-counts dt', (d) => d.map((x) => x.textContent));
  check(labels.includes('Dừng gửi') && labels.includes('Đã gửi'), 'states in Vietnamese', labels.join(', '));
  const dead = await page.textContent('#nt-counts dd[data-state="dead"]');
  check(dead === '1', 'one dead letter counted', dead);
  const row = await page.textContent(`#nt-dead tr[data-id="${deadId}"]`);
  check(row.includes('Tiếp nhận hồ sơ') && row.includes('09******78') && !row.includes('0912345678'),
    'the dead letter, recipient masked', row);
  await page.screenshot({ path: path.join(artifacts, 'notify-1-dead.png'), fullPage: true });
  await page.click(`#nt-dead tr[data-id="${deadId}"] .nt-replay`);
  await page.waitForSelector('p.notice');
  check((await page.textContent('p.notice')) === 'Đã đưa vào hàng đợi gửi lại.', 'replayed');
  check((await page.textContent('#nt-counts dd[data-state="dead"]')) === '0', 'no dead letter left');
  await page.screenshot({ path: path.join(artifacts, 'notify-2-replayed.png'), fullPage: true });
} catch (e) {
  check(false, 'the notifications run', e.stack || String(e));
} finally {
  await browser.close();
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
