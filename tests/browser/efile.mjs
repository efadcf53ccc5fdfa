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
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const [base, artifacts, chromiumPath, cchc, db, sink, codeFile] = process.argv.slice(2);
const PROC = '2.000635'; // Cấp bản sao Trích lục hộ tịch: online = full, one document
const UNIT = 'DT.MYTHO'; // motcua.mytho's unit
const PHONE = '0912345678';
const T = 15000;
let n = 0;
let failed = 0;
function check(cond, what, detail) {
  n++;
  if (!cond) failed++;
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${what}${!cond && detail !== undefined ? `: ${detail}` : ''}`);
  return cond;
}

// What a Vietnamese page may not show: untranslated keys, null/undefined.
async function problems(page) {
  return page.evaluate(() => {
    const out = [];
    const text = document.body.innerText;
    for (const m of text.matchAll(/\b(?:efile|catalog|nav|desk|err|action|col|citizen)\.[a-z][a-z0-9_.-]*\b/g)) out.push(`untranslated key "${m[0]}"`);
    for (const m of text.matchAll(/(^|[\s(:,])(null|undefined|NaN)(?=$|[\s),.;])/g)) out.push(`literal "${m[2]}"`);
    return out;
  });
}

// The one-time code for PHONE: delivered by `cchc notify run --once` to the sink, read there.
function otpFromSink() {
  execFileSync(cchc, ['notify', 'run', '--once', '--db', db, '--notify-sink', sink], { stdio: 'ignore', timeout: 30000 });
  const lines = fs.existsSync(sink) ? fs.readFileSync(sink, 'utf8').trim().split('\n').filter(Boolean) : [];
  const msg = lines.map((l) => JSON.parse(l)).filter((m) => m.event === 'otp').pop();
  const m = msg && /\b(\d{6})\b/.exec(msg.body);
  return m ? m[1] : null;
}

// A small but real PDF (header, one empty page, cross-reference table, trailer).
function realPdf() {
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'];
  let out = '%PDF-1.4\n';
  const offs = [];
  objs.forEach((o, i) => {
    offs.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offs.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return out;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'efile-'));
const pdf = path.join(tmp, 'to-khai.pdf');
const fake = path.join(tmp, 'gia-mao.pdf');
fs.writeFileSync(pdf, realPdf());
fs.writeFileSync(fake, 'chỉ là văn bản, không phải PDF\n');

const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
let code = null;
try {
  // --- the citizen, on a phone
  const ctx = await browser.newContext({ locale: 'vi-VN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  ctx.setDefaultTimeout(T);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // the list of procedures offered online, from the citizens' menu
  await page.goto(`${base}/#/nop-truc-tuyen`);
  await page.waitForSelector('#efile-list');
  check(await page.$(`#efile-list a[href="#/nop-truc-tuyen/${PROC}"]`) !== null, 'the online procedures listed');
  check(await page.$('#nav-g-citizen a[href="#/nop-truc-tuyen"]') !== null, 'a link in the citizens\' menu');
  let p = await problems(page);
  check(!p.length, 'the list as drawn', p.join('; '));
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
  await page.screenshot({ path: path.join(artifacts, 'efile-1-applicant.png'), fullPage: true });
  await page.click('#ef-start');
  await page.waitForSelector('#ef-doc-1');
  // a text file renamed .pdf: refused next to its document
  await page.setInputFiles('#ef-doc-1-input', fake);
  await page.waitForSelector('#ef-doc-1-msg .field-error');
  const refusal = await page.textContent('#ef-doc-1-msg');
  check(/định dạng/.test(refusal) && refusal.includes('chỉ nhận PDF, JPEG hoặc PNG'), 'a text file renamed .pdf is refused next to the document', refusal);
  check((await page.textContent('#ef-doc-1-file')).includes('Chưa tải lên'), 'the refused file is not listed');
  await page.screenshot({ path: path.join(artifacts, 'efile-2-refused.png'), fullPage: true });
  await page.setInputFiles('#ef-doc-1-input', pdf);
  await page.waitForFunction(() => document.querySelector('#ef-doc-1-file').textContent.includes('to-khai.pdf'));
  check(!(await page.$('#ef-doc-1-msg .field-error')), 'the real PDF is accepted');
  p = await problems(page);
  check(!p.length, 'the filing page as drawn', p.join('; '));
  const vw = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  check(vw[0] <= vw[1] + 1, 'no sideways scrolling on the phone', vw.join(' > '));
  await page.click('#ef-submit');
  await page.waitForSelector('#ef-code');
  code = (await page.textContent('#ef-code')).trim();
  check(/\S/.test(code), 'the dossier code shown', code);
  const lookup = await page.getAttribute('#ef-lookup', 'href');
  check(lookup === `#/tra-cuu?code=${encodeURIComponent(code)}`, 'a link to the lookup page', lookup);
  p = await problems(page);
  check(!p.length, 'the submitted page as drawn', p.join('; '));
  await page.screenshot({ path: path.join(artifacts, 'efile-3-submitted.png'), fullPage: true });
  check(!errors.length, 'no script error (citizen)', errors.join('; '));
  await ctx.close();

  // --- the desk officer
  const dctx = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1366, height: 900 } });
  dctx.setDefaultTimeout(T);
  const desk = await dctx.newPage();
  const derrors = [];
  desk.on('pageerror', (e) => derrors.push(e.message));
  await desk.goto(`${base}/#/mot-cua?tab=efile`);
  await desk.waitForSelector('#login-submit');
  await desk.fill('input[name="username"]', 'motcua.mytho');
  await desk.fill('input[name="password"]', 'demo-motcua-2025');
  await desk.click('#login-submit');
  await desk.waitForSelector('#tab-efile');
  await desk.click('#tab-efile');
  const row = `#efile-table tr[data-code="${code}"]`;
  await desk.waitForSelector(row);
  check((await desk.textContent(row)).includes('Nguyễn Thị Trực Tuyến'), 'the dossier is in the list to check');
  check((await desk.textContent('#tab-efile')).includes('Hồ sơ trực tuyến'), 'the tab in Vietnamese');
  await desk.click(`${row} button`);
  await desk.waitForSelector('#efile-filing');
  const href = await desk.getAttribute('#efile-docs a.efile-doc-link', 'href');
  const res = await dctx.request.get(`${base}${href}`);
  const body = await res.body();
  check(res.status() === 200 && body.subarray(0, 5).toString() === '%PDF-', 'the document opens as the PDF uploaded', `${res.status()} ${href}`);
  p = await problems(desk);
  check(!p.length, 'the desk page as drawn', p.join('; '));
  await desk.screenshot({ path: path.join(artifacts, 'efile-4-desk.png'), fullPage: true });
  await desk.click('#efile-receive');
  await desk.waitForSelector('#efile-done');
  const st = await desk.evaluate(async (c) => (await (await fetch(`/api/dossiers/${encodeURIComponent(c)}`)).json()).status, code);
  check(st === 'received', 'received by the desk', st);
  check(!(await desk.$(row)), 'no longer in the list to check');
  await desk.screenshot({ path: path.join(artifacts, 'efile-5-received.png'), fullPage: true });
  check(!derrors.length, 'no script error (desk)', derrors.join('; '));
  await dctx.close();
} catch (e) {
  check(false, 'the online filing run', e.stack || String(e));
} finally {
  await browser.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
if (code) fs.writeFileSync(codeFile, code);
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
