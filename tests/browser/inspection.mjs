// inspection.mjs — the CCHC inspection pages in the browser (t-inspection.sh sets up the demo
// and Sa Đéc's plan), on a phone (390 px): the province's administrator plans an inspection of
// Sa Đéc ward, starts it, answers the checklist, is refused the conclusion without findings,
// records a shortcoming with an evidence file, assigns its remedy and concludes; the share of
// units inspected then counts the ward; Mỹ Tho's leader reads its inspection (an overdue
// remedy shown) without the recording controls. Every page in Vietnamese, without raw keys,
// "null" or "(verify)", and without sideways scrolling at 390 px.
import path from 'node:path';
import { parseArgs, check, finish, launch, runStory, signIn as libSignIn, clean as libClean, shots as libShots } from './lib.mjs';

const { base, artifacts, exe } = parseArgs('inspection.mjs');

const today = new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
const year = today.slice(0, 4);
function plusDays(n) {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  const s = d.toISOString().slice(0, 10);
  return s.slice(0, 4) === year ? s : `${year}-12-31`;
}

const signIn = (page, hash, user, pass) => libSignIn(page, base, hash, user, pass);
const clean = (page, what) => libClean(page, what, ['null', 'undefined', '(verify)', 'verify', 'insp.', 'reform.', 'NaN']);
const shots = (page, name) => libShots(page, artifacts, name);

async function status(page) {
  return page.getAttribute('#insp-status', 'data-status');
}

async function story(page) {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, '#/kiem-tra', 'admin', 'demo-admin-2025');
  await page.waitForSelector('#insp-list');
  const rows = await page.$$eval('#insp-list tbody tr', (rs) => rs.map((r) => r.dataset.status));
  check(rows.join(',') === 'closed,concluded,planned', "the demo's inspection plan: closed, concluded, planned", rows.join(','));
  const share = await page.textContent('#insp-share-figure');
  check(/^2\/\d+ đơn vị trực thuộc Tỉnh Đồng Tháp đã được kiểm tra/.test(share.trim()), 'the share of units inspected', share);
  await clean(page, 'the inspection plan');
  await shots(page, 'inspection-list');

  // plan an inspection of Sa Đéc ward
  await page.selectOption('#plan-unit', 'DT.SADEC');
  await page.fill('#plan-from', today);
  await page.fill('#plan-to', plusDays(1));
  await page.fill('#plan-items', 'Niêm yết TTHC tại Bộ phận Một cửa\nKý số văn bản 2 lớp');
  await page.click('#plan-submit');
  await page.waitForSelector('#insp-title');
  check(/Sa Đéc/.test(await page.textContent('#insp-title')), 'the new inspection opens', await page.textContent('#insp-title'));
  check((await status(page)) === 'planned', 'it is planned');
  await page.click('#insp-start');
  await page.waitForSelector('#insp-status[data-status="in_progress"]');
  check(true, 'the team starts');

  // the checklist
  await page.selectOption('#check-1-result', 'met');
  await page.click('#check-1-save');
  await page.waitForSelector('#check-1-save:has-text("Đã lưu")');
  await page.selectOption('#check-2-result', 'not_met');
  await page.fill('#check-2-note', 'Còn văn bản chỉ ký 1 lớp');
  await page.click('#check-2-save');
  await page.waitForSelector('#check-2-save:has-text("Đã lưu")');
  check(true, 'two checklist items answered');

  // the conclusion is refused without findings, in Vietnamese
  await page.click('#insp-conclude');
  await page.waitForSelector('#insp-actions .form-error');
  const refusal = await page.textContent('#insp-actions .form-error');
  check(/Chưa ghi nhận ưu điểm, tồn tại nào/.test(refusal), 'the refusal in Vietnamese', refusal);

  // a shortcoming with its evidence file
  await page.selectOption('#finding-kind', 'shortcoming');
  await page.fill('#finding-text', 'Chưa công khai đầy đủ TTHC trên Cổng dịch vụ công');
  await page.setInputFiles('#finding-file', {
    name: 'bien-ban-kiem-tra.pdf', mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n'),
  });
  await page.click('#finding-submit');
  await page.waitForSelector('#insp-findings li[data-kind="shortcoming"]');
  const fid = await page.getAttribute('#insp-findings li[data-kind="shortcoming"]', 'data-id');
  check(!!(await page.$(`#insp-findings li[data-id="${fid}"] a[download]`)), 'the evidence file is linked');
  // its remedy, a task of Sa Đéc's plan
  await page.click(`#insp-findings li[data-id="${fid}"] details summary`);
  await page.fill(`#remedy-${fid}-title`, 'Công khai đầy đủ TTHC trên Cổng dịch vụ công');
  await page.fill(`#remedy-${fid}-due`, plusDays(30));
  await page.screenshot({ path: path.join(artifacts, 'inspection-remedy-form-390.png'), fullPage: true });
  await page.click(`#remedy-${fid}-submit`);
  await page.waitForSelector(`#insp-findings li[data-id="${fid}"] li[data-task]`);
  const task = await page.getAttribute(`#insp-findings li[data-id="${fid}"] li[data-task] a`, 'href');
  check(/^#\/cai-cach\/nhiem-vu\/\d+$/.test(task), 'the remedy links to its task', task);

  await page.click('#insp-conclude');
  await page.waitForSelector('#insp-status[data-status="concluded"]');
  check((await page.textContent('#insp-open')).includes('1 chưa xong / 1'), 'concluded with its remedy open', await page.textContent('#insp-open'));
  await clean(page, 'the concluded inspection');
  await shots(page, 'inspection-detail');

  // the share now counts Sa Đéc
  await page.click('a[href^="#/kiem-tra?year="]');
  await page.waitForSelector('#insp-share-figure');
  const after = await page.textContent('#insp-share-figure');
  check(/^3\/\d+ /.test(after.trim()), 'the share counts the ward', after);
  await page.click('#insp-share summary');
  check(await page.getAttribute('#insp-share-units tr[data-unit="DT.SADEC"]', 'data-inspected') === 'true', 'Sa Đéc inspected in the drill-down');
  check(await page.getAttribute('#insp-share-units tr[data-unit="DT.CAOLANH"]', 'data-inspected') === 'false', 'Cao Lãnh not yet');
  await shots(page, 'inspection-share');

  // Mỹ Tho's leader reads its inspection: no recording controls, an overdue remedy shown
  await signIn(page, '#/kiem-tra', 'lanhdao.mytho', 'demo-lanhdao-2025');
  await page.waitForSelector('#insp-list');
  await page.click('#insp-list tr[data-status="concluded"] a');
  await page.waitForSelector('#insp-title');
  check(!!(await page.$('#insp-readonly')) && !(await page.$('#insp-actions')) && !(await page.$('#finding-form')),
    'the inspected ward reads without recording');
  check((await page.$$('#insp-findings .badge.out-overdue')).length === 1, 'one overdue remedy');
  check((await page.$$('#insp-findings li[data-task]')).length === 3, 'three remedies');
  await clean(page, "the ward's inspection");
  await shots(page, 'inspection-ward');
}

const { ctx, close } = await launch(exe, { viewport: { width: 390, height: 844 } });
await runStory(ctx, artifacts, async () => {
  const page = ctx.pages()[0] || (await ctx.newPage());
  page.on('pageerror', (e) => check(false, 'no script error', String(e)));
  await story(page);
});
await close();
finish();
