// catalog.mjs — the published catalogue page in a real browser (t-catalog.sh starts the
// server): without an account, at a phone's width (390 px) and a desktop's (1366 px), the page
// lists the procedures by field, finds "Chứng thực" when typed without diacritics, filters by
// level, opens a procedure with its decision, posting dates, fees and documents, and shows no
// untranslated key, "null", "(verify)" note or sideways scrolling.
// Usage: node catalog.mjs BASE_URL ARTIFACT_DIR [CHROMIUM]
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, check, finish, launch, runStory, signIn, shot } from './lib.mjs';

const { base, artifacts, exe } = parseArgs('catalog.mjs');
const RAW = '\\b(?:catalog|nav|book)\\.[a-z]';

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
  await shot(page, artifacts, `catalog-${width}`, RAW);
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
  if (await page.locator('#logout').count() === 0) await signIn(page, base, '#/thong-ke', 'lanhdao', 'mat-khau-thu-nghiem');
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
  await shot(page, artifacts, `dashboard-${width}`, RAW);
  check(!errors.length, `${width}: no script error on the dashboard`, errors.join('; '));
  await page.close();
}

const { ctx, close } = await launch(exe, { acceptDownloads: true });
ctx.setDefaultTimeout(20000);
await runStory(ctx, artifacts, async () => {
  for (const w of [390, 1366]) await catalogAt(ctx, w);
  for (const w of [390, 1366]) await bookAt(ctx, w);
}, 'catalog-failure');
await close();
finish();
