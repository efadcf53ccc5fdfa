// admin2.mjs — the procedures page of the administrator (t-admin2.sh starts the demo): at a
// desktop's width (1366 px) and a phone's (390 px) the administrator opens #/quan-tri, follows
// the link to the procedures, finds "khai sinh" typed without diacritics, opens the first one,
// saves a note on its time, is refused steps whose shares add up to 105 % and a first day in
// the past — each time in Vietnamese, next to the field — then saves the steps from the first
// day the page proposes and sees them as planned, with a line in the log. Every page is
// checked for untranslated keys, null/undefined, "(verify)" and sideways scrolling.
// Usage: node admin2.mjs BASE_URL ARTIFACT_DIR [CHROMIUM]
import path from 'node:path';
import { chromium } from 'playwright-core';

const [base, artifacts, exe = '/usr/bin/chromium'] = process.argv.slice(2);
let passed = 0;
let failed = 0;
function check(cond, what, detail) {
  if (cond) passed++;
  else failed++;
  console.log(`${cond ? 'ok' : 'not ok'} ${passed + failed} - ${what}${!cond && detail !== undefined ? `: ${detail}` : ''}`);
  return cond;
}

async function problems(page) {
  return page.evaluate(() => {
    const out = [];
    const text = document.body.innerText;
    for (const m of text.matchAll(/\b(?:pa|admin|role|err)\.[a-z][a-z0-9_.-]*\b/g)) out.push(`untranslated key "${m[0]}"`);
    for (const m of text.matchAll(/(^|[\s(:,])(null|undefined|NaN)(?=$|[\s),.;])/g)) out.push(`literal "${m[2]}"`);
    if (/\bverify\b/i.test(text)) out.push('a "(verify)" note');
    const vw = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > vw + 1) out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${vw})`);
    return out;
  });
}

async function signIn(page, hash) {
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector('body[data-ready="1"]');
  await page.waitForSelector('#login-submit');
  await page.fill('input[name="username"]', 'admin');
  await page.fill('input[name="password"]', 'demo-admin-2025');
  await page.click('#login-submit');
  await page.waitForSelector('#logout');
}

async function at(browser, width, edit) {
  const ctx = await browser.newContext({ locale: 'vi-VN' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
  await signIn(page, '#/quan-tri');
  await page.waitForSelector('#admin-procedures');
  await page.waitForSelector('#users-table');
  await page.screenshot({ path: path.join(artifacts, `admin2-${width}-admin.png`) });
  check(await page.locator('#admin-procedures').isVisible(), `${width}: the link to the procedures page`);
  await page.click('#admin-procedures');
  await page.waitForSelector('#pa-table');
  check((await page.locator('h1').innerText()) === 'Thủ tục hành chính và quy trình xử lý', `${width}: the title in Vietnamese`);
  await page.fill('#pa-q', 'khai sinh');
  await page.waitForFunction(() => [...document.querySelectorAll('#pa-table tbody th')].every((th) => /khai sinh/i.test(th.textContent)) &&
    document.querySelectorAll('#pa-table tbody tr').length >= 1);
  check(true, `${width}: "khai sinh" finds the birth registration procedures`);
  await page.screenshot({ path: path.join(artifacts, `admin2-${width}-list.png`), fullPage: true });
  const code = await page.locator('#pa-table tbody tr').first().getAttribute('data-code');
  await page.locator('#pa-table tbody tr').first().locator('a').click();
  await page.waitForSelector('#pa-steps-table tbody tr');
  const nsteps = await page.locator('#pa-steps-table tbody tr').count();
  check(nsteps >= 1, `${width}: ${code} shows its ${nsteps} steps`);
  const rule = await page.locator('#pa-rule').innerText();
  check(/sớm nhất/.test(rule), `${width}: the page says from which day new steps may apply`, rule);
  let p = await problems(page);
  check(!p.length, `${width}: the procedure page as drawn`, p.join('; '));
  await page.screenshot({ path: path.join(artifacts, `admin2-${width}-procedure.png`), fullPage: true });
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
    await page.screenshot({ path: path.join(artifacts, `admin2-${width}-refused.png`), fullPage: true });
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
  p = await problems(page);
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
    await page.screenshot({ path: path.join(artifacts, `admin2-${width}-dashboard.png`) });
  }
  await page.screenshot({ path: path.join(artifacts, `admin2-${width}.png`), fullPage: true });
  check(!errors.length, `${width}: no script error`, errors.join('; '));
  await ctx.close();
}

const browser = await chromium.launch({
  executablePath: exe,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  await at(browser, 1366, true);
  await at(browser, 390, false);
} catch (e) {
  check(false, 'the run', e.stack);
} finally {
  await browser.close();
}
console.log(`# ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
