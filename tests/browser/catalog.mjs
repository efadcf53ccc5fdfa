// catalog.mjs — the published catalogue page in a real browser (t-catalog.sh starts the
// server): without an account, at a phone's width (390 px) and a desktop's (1366 px), the page
// lists the procedures by field, finds "Chứng thực" when typed without diacritics, filters by
// level, opens a procedure with its decision, posting dates, fees and documents, and shows no
// untranslated key, "null", "(verify)" note or sideways scrolling.
// Usage: node catalog.mjs BASE_URL ARTIFACT_DIR [CHROMIUM]
import fs from 'node:fs';
import os from 'node:os';
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

// What a Vietnamese page may not show (as tests/browser/run.mjs checks every page).
async function problems(page) {
  return page.evaluate(() => {
    const out = [];
    const text = document.body.innerText;
    for (const m of text.matchAll(/\b(?:catalog|nav|book)\.[a-z][a-z0-9_.-]*\b/g)) out.push(`untranslated key "${m[0]}"`);
    for (const m of text.matchAll(/(^|[\s(:,])(null|undefined|NaN)(?=$|[\s),.;])/g)) out.push(`literal "${m[2]}"`);
    if (/\bverify\b/i.test(text)) out.push('a "(verify)" note');
    const vw = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > vw + 1) out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${vw})`);
    return out;
  });
}

async function catalogAt(ctx, width) {
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
  await page.goto(`${base}/#/thu-tuc`);
  await page.waitForSelector('#catalog-list section');
  check(await page.locator('h1').innerText() === 'Danh mục thủ tục hành chính', `${width}: the title in Vietnamese`);
  const all = await page.locator('#catalog-list details').count();
  check(all === 27, `${width}: the 27 procedures of the catalogue, without an account`, all);
  check(await page.locator('#logout').count() === 0, `${width}: nobody signed in`);
  await page.fill('#catalog-q', 'chung thuc');
  await page.waitForFunction(() => document.querySelectorAll('#catalog-list details').length === 2);
  check(true, `${width}: "chung thuc" finds the two Chứng thực procedures`);
  await page.click('#proc-2\\.000815 summary');
  const text = await page.locator('#proc-2\\.000815').innerText();
  for (const s of ['Quyết định số 851/QĐ-UBND ngày 02/06/2025', 'Không phụ thuộc địa giới hành chính trên toàn quốc',
    'Bản chính giấy tờ, văn bản', '16/06/2025', 'Một phần']) check(text.includes(s), `${width}: the procedure shows "${s}"`, text);
  check(!/verify/i.test(text), `${width}: no "(verify)" in the procedure`, text);
  await page.screenshot({ path: path.join(artifacts, `catalog-${width}-search.png`), fullPage: true });
  await page.fill('#catalog-q', '');
  await page.selectOption('#catalog-level', 'province');
  await page.waitForFunction(() => document.querySelectorAll('#catalog-list details').length === 2);
  check(true, `${width}: the province level has its 2 procedures`);
  await page.selectOption('#catalog-level', '');
  await page.selectOption('#catalog-field', 'Hộ tịch');
  await page.waitForFunction(() => document.querySelectorAll('#catalog-list details').length === 11);
  check(true, `${width}: the field Hộ tịch has its 11 procedures`);
  await page.selectOption('#catalog-field', '');
  await page.waitForFunction(() => document.querySelectorAll('#catalog-list details').length === 27);
  await page.click('#proc-1\\.001193 summary');
  const p = await problems(page);
  check(!p.length, `${width}: the page as drawn`, p.join('; '));
  await page.screenshot({ path: path.join(artifacts, `catalog-${width}.png`), fullPage: width > 600 });
  check(!errors.length, `${width}: no script error`, errors.join('; '));
  await page.close();
}

// The dashboard's tracking book card: the PDF button downloads the book of the unit and
// period shown (GET /api/reports/book?format=pdf), a real PDF.
async function bookAt(ctx, width) {
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
  await page.goto(`${base}/#/thong-ke`);
  // The second width keeps the first one's session: wait until the page has drawn either the
  // sign-in form or the signed-in menu before deciding (counting at once raced the drawing).
  await page.waitForSelector('#logout, #login-submit');
  if (await page.locator('#logout').count() === 0) {
    await page.fill('input[name="username"]', 'lanhdao');
    await page.fill('input[name="password"]', 'mat-khau-thu-nghiem');
    await page.click('#login-submit');
    await page.waitForSelector('#logout');
  }
  await page.waitForSelector('#book-pdf');
  check((await page.locator('#book-card h2').innerText()) === 'Sổ theo dõi hồ sơ', `${width}: the book card in Vietnamese`);
  const href = await page.locator('#book-pdf').getAttribute('href');
  check(/^\/api\/reports\/book\?unit=DT&period=[^&]+&format=pdf$/.test(href), `${width}: the PDF button asks the unit's book`, href);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#book-pdf')]);
  const file = path.join(artifacts, `book-${width}.pdf`);
  await dl.saveAs(file);
  const head = fs.readFileSync(file).subarray(0, 5).toString();
  check(head === '%PDF-' && dl.suggestedFilename().endsWith('.pdf'), `${width}: the button downloads a PDF`, `${head} ${dl.suggestedFilename()}`);
  await page.locator('#book-card').scrollIntoViewIfNeeded();
  await page.locator('#book-card').screenshot({ path: path.join(artifacts, `book-card-${width}.png`) });
  await page.screenshot({ path: path.join(artifacts, `dashboard-${width}.png`), fullPage: true });
  check(!errors.length, `${width}: no script error on the dashboard`, errors.join('; '));
  await page.close();
}

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: exe,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    acceptDownloads: true,
  });
  ctx.setDefaultTimeout(20000);
  try {
    for (const w of [390, 1366]) await catalogAt(ctx, w);
    for (const w of [390, 1366]) await bookAt(ctx, w);
  } catch (e) {
    failed++;
    console.log(`not ok ${passed + failed} - stopped: ${e.message.split('\n')[0]}`);
    const p = ctx.pages()[ctx.pages().length - 1];
    if (p) await p.screenshot({ path: path.join(artifacts, 'failure.png'), fullPage: true }).catch(() => {});
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
main();
