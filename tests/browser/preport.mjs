// preport.mjs — the periodic CCHC reports in the browser (t-preport.sh starts the demo): Mỹ Tho's
// leader creates the ward's report of the last finished period, writes the sections and submits
// it; the province's administrator sees the children's status, consolidates the province's
// draft (Mỹ Tho's and Thanh Bình's figures, Cao Lãnh missing), accepts Mỹ Tho's report and is
// refused a return without a reason, in Vietnamese; every page at 390 and 1366 px, without raw
// keys, "null" or "(verify)".
import { parseArgs, check, finish, launch, runStory, signIn as libSignIn, rawWords, shots as libShots } from './lib.mjs';

const { base, artifacts, exe } = parseArgs('preport.mjs');
const signIn = (page, hash, user, pass) => libSignIn(page, base, hash, user, pass);

async function clean(page, what) {
  const bad = await rawWords(page, ['null', 'undefined', '(verify)', 'preport.', 'NaN', 'submitted', 'draft']);
  check(!bad.length, `${what}: no raw text`, bad.join(', '));
}

const shots = (page, name) => libShots(page, artifacts, name, [1366, 390], { width: 1366, height: 900 });

const rowText = (page, sel, unit) => page.textContent(`${sel} tr[data-unit="${unit}"]`);

async function story(ctx) {
  const page = ctx.pages()[0] || (await ctx.newPage());
  // the ward: create, write, submit
  await signIn(page, '#/bao-cao-dinh-ky', 'lanhdao.mytho', 'demo-lanhdao-2025');
  await page.waitForSelector('#pr-own');
  const period = await page.inputValue('#pr-period');
  check(/^\d{4}-CCHC-(Q1|6M|Q3|Y)$/.test(period), 'the last finished period is chosen', period);
  await clean(page, 'ward list');
  await shots(page, 'preport-ward-list');
  await page.click('#pr-create');
  await page.waitForSelector('#pr-sections textarea');
  check((await page.textContent('#pr-figures')).includes('Hồ sơ tiếp nhận mới'), 'the figures are shown');
  await page.fill('#pr-s-results', 'Phường hoàn thành các nhiệm vụ cải cách hành chính của kỳ.');
  await page.fill('#pr-s-next', 'Đẩy mạnh dịch vụ công trực tuyến toàn trình.');
  await page.click('#pr-save');
  await page.waitForFunction(() => document.querySelector('#pr-history')?.textContent.includes('sửa nội dung'));
  check((await page.inputValue('#pr-s-results')).startsWith('Phường hoàn thành'), 'the sections are saved');
  await clean(page, 'ward draft');
  await shots(page, 'preport-ward-draft');
  await page.click('#pr-submit');
  await page.waitForFunction(() => document.querySelector('#pr-status')?.textContent.includes('Đã gửi cấp trên'));
  check(!(await page.$('#pr-save')), 'a submitted report is not editable');
  check((await page.textContent('#pr-t-results')).includes('Phường hoàn thành'), 'its text is shown');
  const wardUrl = page.url();
  await shots(page, 'preport-ward-submitted');

  // the province: the children, consolidation, accept, a refused return
  await signIn(page, `#/bao-cao-dinh-ky?period=${period}`, 'admin', 'demo-admin-2025');
  await page.waitForSelector('#pr-children-table');
  check((await rowText(page, '#pr-children-table', 'DT.MYTHO')).includes('Đã gửi cấp trên'), 'Mỹ Tho submitted');
  check((await rowText(page, '#pr-children-table', 'DT.THANHBINH')).includes('Đã gửi cấp trên'), 'Thanh Bình submitted (demo)');
  check((await rowText(page, '#pr-children-table', 'DT.CAOLANH')).includes('Chưa có báo cáo'), 'Cao Lãnh missing');
  await clean(page, 'province list');
  await shots(page, 'preport-province-list');
  await page.click('#pr-own-link');
  await page.waitForSelector('#pr-refresh');
  await page.click('#pr-refresh');
  await page.waitForSelector('#pr-consolidated tr[data-unit="DT.MYTHO"]');
  // the table drawn before the refresh answers has Mỹ Tho's old (draft) state: wait for the new
  // one, bounded; the check below fails if it never comes
  await page.waitForFunction(() => {
    const row = document.querySelector('#pr-consolidated tr[data-unit="DT.MYTHO"]');
    return row && row.textContent.includes('Đã gửi cấp trên');
  }, null, { timeout: 30000 }).catch(() => {});
  check((await rowText(page, '#pr-consolidated', 'DT.MYTHO')).includes('Đã gửi cấp trên'), "Mỹ Tho's figures consolidated");
  check((await rowText(page, '#pr-consolidated', 'DT.CAOLANH')).includes('Chưa có báo cáo'), 'Cao Lãnh listed as missing');
  check((await page.textContent('#pr-title')).startsWith('Báo cáo tổng hợp'), 'the consolidated title');
  const pdf = await page.request.get(await page.$eval('#pr-pdf', (a) => a.href));
  check(pdf.status() === 200 && (pdf.headers()['content-type'] || '').includes('pdf'), 'the PDF downloads');
  await clean(page, 'province report');
  await shots(page, 'preport-province-report');

  await page.goto(wardUrl);
  await page.waitForSelector('#pr-accept');
  await page.click('#pr-return');
  await page.waitForSelector('.field-error, .form-error');
  const err = await page.textContent('.field-error, .form-error');
  check(err.includes('lý do'), 'a return without a reason is refused in Vietnamese', err);
  await page.click('#pr-accept');
  await page.waitForFunction(() => document.querySelector('#pr-status')?.textContent.includes('Đã tiếp nhận'));
  check(!(await page.$('#pr-accept')), 'an accepted report takes no more decisions');
  await clean(page, 'accepted report');
  await shots(page, 'preport-ward-accepted');
}

const { ctx, close } = await launch(exe, { viewport: { width: 1366, height: 900 } });
await runStory(ctx, artifacts, async () => {
  await story(ctx);
}, 'failure');
await close();
finish();
