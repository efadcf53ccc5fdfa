// notify.mjs — the notifications page in a real browser (t-notify.sh): the administrator opens
// #/thong-bao, sees the counts in Vietnamese and the dead letter, replays it. Prints TAP; exit
// 1 on a failure.
// usage: node notify.mjs BASE ARTIFACTS CHROMIUM DEAD_ID
import { parseArgs, check, finish, launch, runStory, signIn, screens } from './lib.mjs';

const { base, artifacts, exe, rest: [deadId] } = parseArgs('notify.mjs');
const RAW = '\\b(?:nav|err|app)\\.[a-z]';
const { ctx, close } = await launch(exe, { viewport: { width: 390, height: 844 } });
await runStory(ctx, artifacts, async () => {
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, base, '#/thong-bao', 'admin', 'demo-admin-2025');
  await page.waitForSelector('#nt-counts');
  const labels = await page.$$eval('#nt-counts dt', (d) => d.map((x) => x.textContent));
  check(labels.includes('Dừng gửi') && labels.includes('Đã gửi'), 'states in Vietnamese', labels.join(', '));
  const dead = await page.textContent('#nt-counts dd[data-state="dead"]');
  check(dead === '1', 'one dead letter counted', dead);
  const row = await page.textContent(`#nt-dead tr[data-id="${deadId}"]`);
  check(row.includes('Tiếp nhận hồ sơ') && row.includes('09******78') && !row.includes('0912345678'),
    'the dead letter, recipient masked', row);
  await screens(page, artifacts, 'notify-1-dead', RAW, [1366, 390]);
  await page.click(`#nt-dead tr[data-id="${deadId}"] .nt-replay`);
  await page.waitForSelector('p.notice');
  check((await page.textContent('p.notice')) === 'Đã đưa vào hàng đợi gửi lại.', 'replayed');
  check((await page.textContent('#nt-counts dd[data-state="dead"]')) === '0', 'no dead letter left');
  await screens(page, artifacts, 'notify-2-replayed', RAW);
  check(!errors.length, 'no script error', errors.join('; '));
}, 'notify-failure');
await close();
finish();
