// admin2.mjs — the procedures page of the administrator (t-admin2.sh starts the demo): at a
// desktop's width (1366 px) and a phone's (390 px) the administrator opens #/quan-tri, follows
// the link to the procedures, finds "khai sinh" typed without diacritics, opens the first one,
// saves a note on its time, is refused steps whose shares add up to 105 % and a first day in
// the past — each time in Vietnamese, next to the field — then saves the steps from the first
// day the page proposes and sees them as planned, with a line in the log. Every page is
// checked for untranslated keys, null/undefined, "(verify)" and sideways scrolling.
// Usage: node admin2.mjs BASE_URL ARTIFACT_DIR [CHROMIUM]
import path from 'node:path';
import { parseArgs, check, finish, launch, runStory, signIn as libSignIn, screenProblems, shot } from './lib.mjs';

const { base, artifacts, exe } = parseArgs('admin2.mjs');
const RAW = '\\b(?:pa|admin|role|err)\\.[a-z]';
const problems = (page) => screenProblems(page, RAW);
const signIn = (page, hash) => libSignIn(page, base, hash, 'admin', 'demo-admin-2025');

async function at(ctx, width, edit) {
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
  await signIn(page, '#/quan-tri');
  await page.waitForSelector('#admin-procedures');
  await page.waitForSelector('#users-table');
  await shot(page, artifacts, `admin2-${width}-admin`, RAW);
  check(await page.locator('#admin-procedures').isVisible(), `${width}: the link to the procedures page`);
  await page.click('#admin-procedures');
  await page.waitForSelector('#pa-table');
  check((await page.locator('h1').innerText()) === 'Thủ tục hành chính và quy trình xử lý', `${width}: the title in Vietnamese`);
  await page.fill('#pa-q', 'khai sinh');
  await page.waitForFunction(() => [...document.querySelectorAll('#pa-table tbody th')].every((th) => /khai sinh/i.test(th.textContent)) &&
    document.querySelectorAll('#pa-table tbody tr').length >= 1);
  check(true, `${width}: "khai sinh" finds the birth registration procedures`);
  await shot(page, artifacts, `admin2-${width}-list`, RAW);
  const code = await page.locator('#pa-table tbody tr').first().getAttribute('data-code');
  await page.locator('#pa-table tbody tr').first().locator('a').click();
  await page.waitForSelector('#pa-steps-table tbody tr');
  const nsteps = await page.locator('#pa-steps-table tbody tr').count();
  check(nsteps >= 1, `${width}: ${code} shows its ${nsteps} steps`);
  const rule = await page.locator('#pa-rule').innerText();
  check(/sớm nhất/.test(rule), `${width}: the page says from which day new steps may apply`, rule);
  await shot(page, artifacts, `admin2-${width}-procedure`, RAW);
  if (edit) {
    // attributes
    await page.fill('#pa-form [name="time_note"]', 'Trường hợp tiếp nhận sau 15 giờ thì tính từ ngày làm việc tiếp theo');
    await page.click('#pa-save');
    await page.waitForSelector('#toast .notice');
    check(/Đã lưu thông tin thủ tục/.test(await page.locator('#toast').innerText()), `${width}: the attributes are saved`);
    await page.waitForSelector('#pa-log li');
    // steps: shares that add up to 105 %
    const share0 = page.locator('#pa-steps-table [name="steps[0].share"]');
    const before = await share0.inputValue();
    const m = /^(\d+)%$/.exec(before);
    if (m) {
      await share0.fill(`${Number(m[1]) + 5}%`);
      await page.click('#pa-steps-save');
      await page.waitForSelector('#pa-steps .form-error');
      const msg = await page.locator('#pa-steps .form-error').innerText();
      check(/phải đúng 100%/.test(msg) && /105%/.test(msg), `${width}: shares over 100 % refused in Vietnamese`, msg);
      await share0.fill(before);
    }
    // a first day in the past
    const earliest = await page.locator('#pa-from').inputValue();
    await page.fill('#pa-from', '2020-01-01');
    await page.click('#pa-steps-save');
    await page.waitForSelector('#pa-from[aria-invalid="true"]');
    const err = await page.locator('#pa-from-err').innerText();
    check(/đã qua/.test(err), `${width}: a day in the past refused next to the field`, err);
    await shot(page, artifacts, `admin2-${width}-refused`, RAW);
    // saved from the first day proposed, with a step renamed and one added
    await page.fill('#pa-from', earliest);
    await page.fill('#pa-steps-table [name="steps[0].name"]', 'Tiếp nhận, kiểm tra hồ sơ');
    await page.click('#pa-steps-save');
    await page.waitForSelector('#toast .notice:has-text("Đã lưu quy trình")');
    const versions = await page.locator('#pa-versions').innerText();
    const day = earliest.split('-').reverse().join('/');
    check(versions.includes('Tiếp nhận, kiểm tra hồ sơ') && versions.toLowerCase().includes(`áp dụng từ ${day}`),
      `${width}: the new version is listed from ${day}`, versions);
    const log = await page.locator('#pa-log').innerText();
    check(/sửa quy trình, áp dụng từ/.test(log) && /sửa thông tin thủ tục/.test(log), `${width}: both changes in the log`, log);
  }
  const p = await problems(page);
  check(!p.length, `${width}: the page after the changes`, p.join('; '));
  if (edit) {
    // the dashboard's units table exports to PDF beside Excel (GET /api/reports/summary?format=pdf;
    // the 766 index answers xlsx only, so its table keeps Excel alone)
    await page.goto(`${base}/#/thong-ke`);
    for (const id of ['export-summary-pdf']) {
      await page.waitForSelector(`#${id}`);
      const href = await page.getAttribute(`#${id}`, 'href');
      const res = await page.request.get(`${base}${href}`);
      const body = await res.body();
      check(res.status() === 200 && /application\/pdf/.test(res.headers()['content-type'] || '') && body.subarray(0, 4).toString() === '%PDF',
        `${width}: the dashboard's ${id} is a PDF`, `${res.status()} ${res.headers()['content-type']} ${href}`);
      check((await page.locator(`#${id}`).innerText()) === 'Xuất PDF', `${width}: ${id} says Xuất PDF`);
    }
    await shot(page, artifacts, `admin2-${width}-dashboard`, RAW);
  }
  await page.screenshot({ path: path.join(artifacts, `admin2-${width}.png`), fullPage: true });
  check(!errors.length, `${width}: no script error`, errors.join('; '));
  await page.close();
}

const { ctx, close } = await launch(exe);
await runStory(ctx, artifacts, async () => {
  await at(ctx, 1366, true);
  await at(ctx, 390, false);
}, 'admin2-failure');
await close();
finish();
