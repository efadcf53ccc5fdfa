// exports.mjs — "Xuất Excel" and "Xuất PDF" beside the tables (issue 13, t-exports.sh): on the
// dashboard (rates, units and the 766 index as PDF too, officers, a drill-down list), the public statistics page (no
// sign-in), the PAR rounds, the inspection plan, the reform tasks, the initiatives, the dialogues'
// commitments, the feedback queue, the queue's waiting times and the accounts, at 1366 and 390 px, both buttons are on
// screen and a click downloads a file: an xlsx (a zip, "PK") and a PDF ("%PDF-") named after
// the table, the unit and the period. Screenshots of each page at both widths; no raw text and
// nothing wider than the screen. Usage: node exports.mjs BASE_URL ARTIFACT_DIR [CHROMIUM]
import fs from 'node:fs';
import { parseArgs, check, finish, launch, runStory, signIn, shot } from './lib.mjs';

const { base, artifacts, exe } = parseArgs('exports.mjs');

// Clicks the link #ID and checks the file it downloads.
async function download(page, id, name, magic) {
  const link = await page.$(`#${id}`);
  if (!check(!!link && (await link.isVisible()), `${id}: the button is on screen`)) return;
  const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const file = await dl.path();
  const head = file ? fs.readFileSync(file).subarray(0, magic.length).toString('latin1') : '';
  check(head === magic, `${id}: the download is a ${magic === 'PK' ? 'zip (xlsx)' : 'PDF'}`, head);
  check(name.test(dl.suggestedFilename()), `${id}: the file name`, dl.suggestedFilename());
}

async function both(page, prefix, stem) {
  await download(page, `${prefix}-xlsx`, new RegExp(`^${stem}.*\\.xlsx$`), 'PK');
  await download(page, `${prefix}-pdf`, new RegExp(`^${stem}.*\\.pdf$`), '%PDF-');
}

// The pages of the PAR, the reform and the administration: address, what shows it drawn, the buttons'
// prefix, the file name's start, the screenshot's name.
const PAGES = [
  ['#/chi-so-cchc', '#par-rounds', 'export-rounds', 'dot-danh-gia-par-DT-', 'par-rounds'],
  ['#/kiem-tra', '#insp-list', 'export-insp', 'kiem-tra-cchc-DT-', 'inspections'],
  ['#/cai-cach', '#export-tasks-xlsx', 'export-tasks', 'nhiem-vu-cchc-DT-', 'reform'],
  ['#/sang-kien', '#init-table', 'export-init', 'sang-kien-cchc-DT-', 'initiatives'],
  ['#/doi-thoai', '#dlg-table', 'export-dlg', 'cam-ket-doi-thoai-DT-', 'dialogue'],
  ['#/phan-anh/xu-ly', '#export-feedback-xlsx', 'export-feedback', 'phan-anh-kien-nghi-', 'feedback'],
  ['#/quay?unit=DT.MYTHO', '#q-stats', 'export-qstats', 'thoi-gian-cho-DT.MYTHO-', 'queue'],
  ['#/mot-cua?tab=cross', '#cross-table tbody tr[data-code]', 'export-cross', 'cchc-receiving_dossiers-', 'desk-cross'],
  ['#/quan-tri', '#users-table', 'export-users', 'tai-khoan-DT-', 'admin'],
  ['#/quan-tri/thu-tuc', '#pa-table', 'export-procs', 'thu-tuc-hanh-chinh-', 'procedures'],
  ['#/quan-tri/don-vi', '#ua-tree', 'export-units', 'don-vi-DT-', 'units'],
];

async function story(ctx) {
  const page = ctx.pages()[0] || (await ctx.newPage());
  page.on('pageerror', (e) => check(false, 'no script error', String(e)));
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: width > 1000 ? 900 : 844 });
    await signIn(page, base, '#/thong-ke', 'admin', 'demo-admin-2025');
    await page.waitForSelector('#units-table');
    await page.waitForSelector('#officers-card');
    await both(page, 'export-rates', 'cac-ty-le-DT-');
    // the units table keeps the periodic report's links (GET /api/reports/summary)
    await download(page, 'export-summary', /^cchc-summary-.*\.xlsx$/, 'PK');
    await download(page, 'export-summary-pdf', /^cchc-summary-.*\.pdf$/, '%PDF-');
    await download(page, 'export-index-pdf', /^cchc-index-.*\.pdf$/, '%PDF-');
    await both(page, 'export-officers', 'theo-cong-chuc-DT-');
    await shot(page, artifacts, `exports-dashboard-${width}`);
    await page.click('#units-table tbody tr button.num');
    await page.waitForSelector('#drill-table');
    await both(page, 'export-drill', 'ho-so-chi-tiet-');
    await shot(page, artifacts, `exports-drill-${width}`);

    // the PAR rounds, the reform pages and the administration (issue 13's "every table")
    for (const [hash, ready, prefix, stem, name] of PAGES) {
      await page.goto(`${base}/${hash}`);
      await page.waitForSelector(ready);
      await both(page, prefix, stem);
      await shot(page, artifacts, `exports-${name}-${width}`);
    }

    await page.click('#logout');
    await page.waitForSelector('#logout', { state: 'detached' });
    await page.goto(`${base}/#/cong-khai`);
    await page.waitForSelector('#pub-units-table');
    await both(page, 'export-pub', 'thong-ke-cong-khai-');
    await shot(page, artifacts, `exports-public-${width}`);
  }
}

const { ctx, close } = await launch(exe, { acceptDownloads: true });
await runStory(ctx, artifacts, () => story(ctx), 'exports-failure');
await close();
finish();
