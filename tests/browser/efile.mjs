// efile.mjs — online filing in a real browser (t-efile.sh starts `cchc demo`): a citizen on a
// 390 px phone opens the catalogue's "Nộp hồ sơ trực tuyến" of a fully online procedure,
// confirms the phone by the one-time code delivered to the loopback sink, fills the applicant
// and the receiving unit, sees a text file renamed .pdf refused (415) next to its document,
// uploads a real PDF, submits and gets the dossier code; the desk officer sees the dossier in
// the online dossiers to check, opens its document and receives it. No script error, no raw
// i18n key, no "null" on the pages. Prints TAP; exit 1 on a failure.
// (The list #/nop-truc-tuyen is checked first.)
// usage: node efile.mjs BASE ARTIFACTS CHROMIUM CCHC DB SINK CODE_FILE
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, check, finish, launch, runStory, signIn, screenProblems, screens, shot, tinyPdf, sinkMessages } from './lib.mjs';

const { base, artifacts, exe, rest: [cchc, db, sink, codeFile] } = parseArgs('efile.mjs');
const PROC = '2.000635'; // Cấp bản sao Trích lục hộ tịch: online = full, one document
const UNIT = 'DT.MYTHO'; // motcua.mytho's unit
const PHONE = '0912345678';
const T = 15000;
// What a Vietnamese page may not show: untranslated keys (and lib.mjs's null, undefined, NaN,
// "(verify)", sideways scrolling).
const RAW = '\\b(?:efile|catalog|nav|desk|err|action|col|citizen)\\.[a-z]';
const problems = (page) => screenProblems(page, RAW);

// The one-time code for PHONE, delivered to the sink.
function otpFromSink() {
  const msg = sinkMessages(cchc, db, sink).filter((m) => m.event === 'otp').pop();
  const m = msg && /\b(\d{6})\b/.exec(msg.body);
  return m ? m[1] : null;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'efile-'));
const pdf = path.join(tmp, 'to-khai.pdf');
const fake = path.join(tmp, 'gia-mao.pdf');
fs.writeFileSync(pdf, tinyPdf());
fs.writeFileSync(fake, 'chỉ là văn bản, không phải PDF\n');

let code = null;
const citizen = await launch(exe, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
const deskBrowser = await launch(exe, { viewport: { width: 1366, height: 900 } });
await runStory(citizen.ctx, artifacts, async () => {
  // --- the citizen, on a phone
  const { ctx } = citizen;
  ctx.setDefaultTimeout(T);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // the list of procedures offered online, from the citizens' menu
  await page.goto(`${base}/#/nop-truc-tuyen`);
  await page.waitForSelector('#efile-list');
  check(await page.$(`#efile-list a[href="#/nop-truc-tuyen/${PROC}"]`) !== null, 'the online procedures listed');
  check(await page.$('#nav-g-citizen a[href="#/nop-truc-tuyen"]') !== null, 'a link in the citizens\' menu');
  await screens(page, artifacts, 'efile-0-list', RAW, [1366, 390]);
  await page.goto(`${base}/#/thu-tuc`);
  await page.waitForSelector(`#proc-${PROC.replace('.', '\\.')}`);
  await page.click(`#proc-${PROC.replace('.', '\\.')} summary`);
  const btn = page.locator(`#efile-${PROC.replace('.', '\\.')}`);
  check((await btn.textContent()) === 'Nộp hồ sơ trực tuyến', 'the catalogue offers "Nộp hồ sơ trực tuyến"');
  await btn.click();
  await page.waitForSelector('#ef-otp-form');
  check(page.url().endsWith(`#/nop-truc-tuyen/${PROC}`), 'the button opens the filing page', page.url());
  check(/Trích lục hộ tịch/.test(await page.textContent('#efile-title')), 'the procedure named');
  await page.fill('input[name="contact"]', PHONE);
  await page.click('#ef-otp-send');
  await page.waitForSelector('#ef-otp-code:not(.hidden)');
  const otp = otpFromSink();
  check(!!otp, 'the one-time code reached the sink');
  await page.fill('input[name="code"]', otp || '000000');
  await page.click('#ef-otp-verify');
  await page.waitForSelector('#ef-confirmed');
  check((await page.textContent('#ef-confirmed')).includes(PHONE), 'the phone is confirmed');
  await page.waitForSelector('#ef-applicant');
  check((await page.inputValue('input[name="applicant_phone"]')) === PHONE, 'the applicant phone prefilled');
  await page.fill('input[name="applicant_name"]', 'Nguyễn Thị Trực Tuyến');
  await page.fill('input[name="applicant_address"]', 'Phường 5, Mỹ Tho');
  await page.selectOption('#ef-unit', UNIT);
  await shot(page, artifacts, 'efile-1-applicant', RAW);
  await page.click('#ef-start');
  await page.waitForSelector('#ef-doc-1');
  // a text file renamed .pdf: refused next to its document
  await page.setInputFiles('#ef-doc-1-input', fake);
  await page.waitForSelector('#ef-doc-1-msg .field-error');
  const refusal = await page.textContent('#ef-doc-1-msg');
  check(/định dạng/.test(refusal) && refusal.includes('chỉ nhận PDF, JPEG hoặc PNG'), 'a text file renamed .pdf is refused next to the document', refusal);
  check((await page.textContent('#ef-doc-1-file')).includes('Chưa tải lên'), 'the refused file is not listed');
  await shot(page, artifacts, 'efile-2-refused', RAW);
  await page.setInputFiles('#ef-doc-1-input', pdf);
  await page.waitForFunction(() => document.querySelector('#ef-doc-1-file').textContent.includes('to-khai.pdf'));
  check(!(await page.$('#ef-doc-1-msg .field-error')), 'the real PDF is accepted');
  let p = await problems(page);
  check(!p.length, 'the filing page as drawn, no sideways scrolling on the phone', p.join('; '));
  await page.click('#ef-submit');
  await page.waitForSelector('#ef-code');
  code = (await page.textContent('#ef-code')).trim();
  check(/\S/.test(code), 'the dossier code shown', code);
  const lookup = await page.getAttribute('#ef-lookup', 'href');
  check(lookup === `#/tra-cuu?code=${encodeURIComponent(code)}`, 'a link to the lookup page', lookup);
  await screens(page, artifacts, 'efile-3-submitted', RAW, [1366, 390]);
  check(!errors.length, 'no script error (citizen)', errors.join('; '));
}, 'efile-citizen-failure');

// --- the desk officer
if (code) await runStory(deskBrowser.ctx, artifacts, async () => {
  const dctx = deskBrowser.ctx;
  dctx.setDefaultTimeout(T);
  const desk = await dctx.newPage();
  const derrors = [];
  desk.on('pageerror', (e) => derrors.push(e.message));
  await signIn(desk, base, '#/mot-cua?tab=efile', 'motcua.mytho', 'demo-motcua-2025');
  await desk.waitForSelector('#tab-efile');
  await desk.click('#tab-efile');
  // the row of the list the tab's last load drew (an earlier load's row may be replaced under the click)
  const row = `#panel-efile:not([aria-busy]) #efile-table tr[data-code="${code}"]`;
  await desk.waitForSelector(row);
  check((await desk.textContent(row)).includes('Nguyễn Thị Trực Tuyến'), 'the dossier is in the list to check');
  check((await desk.textContent('#tab-efile')).includes('Hồ sơ trực tuyến'), 'the tab in Vietnamese');
  await desk.click(`${row} button`);
  await desk.waitForSelector('#efile-filing');
  const href = await desk.getAttribute('#efile-docs a.efile-doc-link', 'href');
  const res = await dctx.request.get(`${base}${href}`);
  const body = await res.body();
  check(res.status() === 200 && body.subarray(0, 5).toString() === '%PDF-', 'the document opens as the PDF uploaded', `${res.status()} ${href}`);
  await screens(desk, artifacts, 'efile-4-desk', RAW, [390, 1366]);
  await desk.click('#efile-receive');
  await desk.waitForSelector('#efile-done');
  const st = await desk.evaluate(async (c) => (await (await fetch(`/api/dossiers/${encodeURIComponent(c)}`)).json()).status, code);
  check(st === 'received', 'received by the desk', st);
  check(!(await desk.$(row)), 'no longer in the list to check');
  await shot(desk, artifacts, 'efile-5-received', RAW);
  check(!derrors.length, 'no script error (desk)', derrors.join('; '));
}, 'efile-desk-failure');
else check(false, 'the citizen\'s dossier reached the desk');
await citizen.close();
await deskBrowser.close();
fs.rmSync(tmp, { recursive: true, force: true });
if (code) fs.writeFileSync(codeFile, code);
finish();
