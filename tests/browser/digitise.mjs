// digitise.mjs — the digitisation page in a real browser (t-digitise.sh): the desk officer
// scans two components of a dossier and registers its electronic result, the leader signs
// layer 1, then a second officer — the desk officer as clerk — signs layer 2 with the agency
// certificate, and the page shows both layers verified. Prints TAP; exit 1 on a failure.
// usage: node digitise.mjs BASE ARTIFACTS CHROMIUM CODE CLI_SOLVE_SCRIPT
import { execFileSync } from 'node:child_process';
import { parseArgs, check, finish, launch, runStory, signIn as libSignIn, screens } from './lib.mjs';

const { base, artifacts, exe, rest: [code, solve] } = parseArgs('digitise.mjs');
const DESK = { user: 'motcua.mytho', pass: 'demo-motcua-2025' };
const LEADER = { user: 'lanhdao.mytho', pass: 'demo-lanhdao-2025' };
const RAW = '\\b(?:desk|action|col|nav|err|dg|digitise)\\.[a-z]';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de', 'hex');
const page0 = `${base}/#/so-hoa/ho-so/${encodeURIComponent(code)}`;

const { ctx, close } = await launch(exe, { viewport: { width: 1280, height: 900 } });
await runStory(ctx, artifacts, async () => {
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const signIn = async (who) => {
    await libSignIn(page, base, page0.slice(base.length + 1), who.user, who.pass);
    await page.waitForSelector('#dg-components');
  };

  await signIn(DESK);
  await page.setInputFiles('#dg-file-1', { name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.click('#dg-up-1');
  await page.waitForSelector('tr[data-doc="1"].dg-done');
  await page.setInputFiles('#dg-file-2', { name: 'giay-to.png', mimeType: 'image/png', buffer: PNG });
  await page.click('#dg-up-2');
  await page.waitForSelector('tr[data-doc="2"].dg-done');
  const rows = await page.$$eval('#dg-components tr.dg-done', (t) => t.map((r) => r.textContent));
  check(rows.length === 2 && rows[0].includes('to-khai.pdf') && rows[1].includes('giay-to.png') &&
    rows[0].includes(DESK.user), 'two components scanned, with who', rows.join(' | '));
  await screens(page, artifacts, 'digitise-1-scanned', RAW, [390, 1366]);

  // the dossier is solved (its processing steps, by the CLI), then the result is registered
  execFileSync('bash', [solve], { stdio: 'inherit' });
  await page.reload();
  await page.waitForSelector('#dg-register');
  await page.fill('#dg-no', 'KQ-1/2026');
  await page.fill('#dg-title', 'Giấy xác nhận tình trạng hôn nhân');
  await page.setInputFiles('#dg-result-file', { name: 'kq.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.click('#dg-register');
  await page.waitForSelector('#dg-result-no');
  check(await page.textContent('#dg-layers') === '0', 'result registered, not signed yet');

  // the leader signs layer 1
  await signIn(LEADER);
  await page.waitForSelector('#dg-sign1');
  check(!(await page.$('#dg-sign2')), 'the leader is not offered the clerk layer');
  await page.click('#dg-sign1');
  await page.waitForFunction(() => document.querySelector('#dg-layers')?.textContent === '1');
  check(await page.textContent('#dg-valid') === 'Chữ ký chưa đủ hoặc không hợp lệ', 'one layer is not enough');

  // a second officer, the desk officer as clerk, signs layer 2
  await signIn(DESK);
  await page.waitForSelector('#dg-sign2');
  await page.click('#dg-sign2');
  await page.waitForFunction(() => document.querySelector('#dg-layers')?.textContent === '2');
  const valid = await page.textContent('#dg-valid');
  const signers = await page.$$eval('#dg-verify tbody tr', (t) => t.map((r) => r.children[1].textContent));
  check(valid === 'Hai lớp chữ ký hợp lệ', 'both layers verified', valid);
  check(signers.length === 2 && signers[0].includes('Nguyễn Văn An') && signers[1].includes('UBND phường Mỹ Tho'),
    'the person signed layer 1, the agency layer 2', signers.join(' | '));
  await screens(page, artifacts, 'digitise-2-signed', RAW);
  check(!errors.length, 'no script error', errors.join('; '));
}, 'digitise-failure');
await close();
finish();
