// eloop.mjs — the citizen's online loop end to end (t-eloop.sh starts `cchc demo` without the
// delivery thread; each step's messages are delivered here by `cchc notify run --once` to the
// loopback sink). The citizen uses a 390 px phone; the desk and the leader a desktop.
//  1. the citizen files a fully online procedure (one-time code from the sink, applicant, PDF,
//     submit) and gets the dossier code;
//  2. the desk opens it among the online dossiers to check and asks for a supplement;
//  3. the sink receives "cần bổ sung" for the citizen's phone; its link opens the lookup,
//     which shows the reason and "Bổ sung hồ sơ" but no result button yet;
//  4. the citizen reopens the filing, uploads the requested document and submits again;
//  5. the desk receives it (the sink gets "đã được tiếp nhận"); the leader finishes it and the
//     desk registers the electronic result; the sink receives "đã có kết quả";
//  6. that message's link opens the lookup, which shows "Tải kết quả điện tử"; the download is
//     the file the desk registered; the citizen's list of filings shows it taken.
// No page shows an untranslated key or "null"; no script error. Prints TAP; exit 1 on failure.
// usage: node eloop.mjs BASE ARTIFACTS CHROMIUM CCHC DB SINK CODE_FILE
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, check, finish, launch, runStory, signIn as libSignIn, post, screenProblems, screens, shot, tinyPdf, sinkMessages } from './lib.mjs';

const { base, artifacts, exe, rest: [cchc, db, sink, codeFile] } = parseArgs('eloop.mjs');
const PROC = '2.000635'; // Cấp bản sao Trích lục hộ tịch: online = full, one document
const UNIT = 'DT.MYTHO';
const PHONE = '0912345679';
const REASON = 'Tờ khai chưa có chữ ký của người yêu cầu';
const T = 20000;
const RAW = '\\b(?:efile|catalog|nav|desk|err|action|col|citizen|payment)\\.[a-z]';
// a step that cannot go on when it fails
function must(cond, what, detail) {
  if (!check(cond, what, detail)) throw new Error(`stopped at: ${what}`);
}
async function clean(page, what) {
  const p = await screenProblems(page, RAW);
  check(!p.length, `${what} reads clean`, p.join('; '));
}

// Delivers the outbox to the sink; the messages of event ev to PHONE.
const deliver = (ev) => sinkMessages(cchc, db, sink).filter((m) => m.event === ev && m.to === PHONE);
// The page address of a message's link (the sink's links carry the configured public address)
function linkOf(msg) {
  const m = /https?:\/\/\S+?(#\/\S+)/.exec(msg.body);
  return m ? m[1] : null;
}

// The dossier's button in the list the online tab's last load drew: clicking the tab while it
// loads starts another load, and a row of the earlier one could be replaced under the click
// (the opened filing then vanished: the flake of browser.t-eloop).
const rowButton = (code) => `#panel-efile:not([aria-busy]) #efile-table tr[data-code="${code}"] button`;

// A new page of ctx signed in as user, on the desk's online dossiers.
async function signIn(ctx, user, password) {
  const page = await ctx.newPage();
  await libSignIn(page, base, '#/mot-cua?tab=efile', user, password);
  return page;
}

async function lookup(page, hashLink) {
  await page.goto(`${base}/${hashLink}`);
  await page.waitForSelector('#lookup-form');
  await page.fill('input[name="phone"]', PHONE);
  await page.click('#lookup-submit');
  await page.waitForSelector('#result-title');
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eloop-'));
const first = path.join(tmp, 'to-khai.pdf');
const signed = path.join(tmp, 'to-khai-da-ky.pdf');
const resultPdf = tinyPdf('Ket qua dien tu: ban sao trich luc ho tich');
fs.writeFileSync(first, tinyPdf('To khai'));
fs.writeFileSync(signed, tinyPdf('To khai da ky'));

let code = null;
const citizen = await launch(exe, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, acceptDownloads: true });
const deskBrowser = await launch(exe, { viewport: { width: 1366, height: 900 } });
const leaderBrowser = await launch(exe, { viewport: { width: 1366, height: 900 } });
await runStory(citizen.ctx, artifacts, async () => {
  const { ctx } = citizen;
  ctx.setDefaultTimeout(T);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const dctx = deskBrowser.ctx;
  dctx.setDefaultTimeout(T);
  const derrors = [];

  // 1. file online
  await page.goto(`${base}/#/nop-truc-tuyen/${PROC}`);
  await page.waitForSelector('#ef-otp-form');
  await page.fill('input[name="contact"]', PHONE);
  await page.click('#ef-otp-send');
  await page.waitForSelector('#ef-otp-code:not(.hidden)');
  const otpMsg = deliver('otp').pop();
  const otp = otpMsg && /\b(\d{6})\b/.exec(otpMsg.body);
  must(!!otp, 'the one-time code reached the sink');
  await page.fill('input[name="code"]', otp[1]);
  await page.click('#ef-otp-verify');
  await page.waitForSelector('#ef-applicant');
  await page.fill('input[name="applicant_name"]', 'Phan Thị Vòng Lặp');
  await page.fill('input[name="applicant_address"]', 'Phường 1, Mỹ Tho');
  await page.selectOption('#ef-unit', UNIT);
  await page.click('#ef-start');
  await page.waitForSelector('#ef-doc-1');
  await page.setInputFiles('#ef-doc-1-input', first);
  await page.waitForFunction(() => document.querySelector('#ef-doc-1-file').textContent.includes('to-khai.pdf'));
  await page.click('#ef-submit');
  await page.waitForSelector('#ef-code');
  code = (await page.textContent('#ef-code')).trim();
  must(/^[\w.]+-\d{6}-\d{4}$/.test(code), 'filed online: the dossier code shown', code);
  check(!(await page.$('#ef-result')), 'no result button on a dossier just submitted');
  await shot(page, artifacts, 'eloop-1-submitted', RAW);

  // 2. the desk asks for a supplement
  const desk = await signIn(dctx, 'motcua.mytho', 'demo-motcua-2025');
  desk.on('pageerror', (e) => derrors.push(e.message));
  await desk.click('#tab-efile');
  await desk.click(rowButton(code));
  await desk.waitForSelector('#efile-filing');
  await desk.click('#efile-ask');
  await desk.fill('#efile-ask-form textarea[name="note"]', REASON);
  await desk.click('#efile-ask-send');
  await desk.waitForSelector('#efile-done');
  await shot(desk, artifacts, 'eloop-2-desk-asks', RAW);

  // 3. notified; the message's link opens the lookup
  const supp = deliver('supplement_requested').filter((m) => m.dossier === code);
  must(supp.length === 1, 'the sink received "cần bổ sung" for the citizen', JSON.stringify(supp));
  check(supp[0].subject.includes(code) && supp[0].body.includes('cần bổ sung'), 'the message names the dossier and the supplement', supp[0].body);
  const link1 = linkOf(supp[0]);
  must(link1 === `#/tra-cuu?code=${code}`, 'the message links to the dossier\'s lookup', supp[0].body);
  await lookup(page, link1);
  await page.waitForSelector('#ef-lookup-card');
  check((await page.textContent('#stop-notice')).includes(REASON), 'the lookup shows the desk\'s reason');
  check(!(await page.$('#ef-result')), 'no result button while a supplement is asked');
  check((await page.textContent('#ef-lookup-open')).trim() === 'Bổ sung hồ sơ', 'the lookup offers "Bổ sung hồ sơ"');
  await clean(page, 'the lookup (supplement asked)');
  await screens(page, artifacts, 'eloop-3-lookup-supplement', RAW, [1366, 390]);

  // 4. the supplement, online
  await page.click('#ef-lookup-open');
  await page.waitForSelector('#ef-reason');
  check((await page.textContent('#ef-reason')).includes(REASON), 'the filing shows the reason');
  await page.setInputFiles('#ef-doc-1-input', signed);
  await page.waitForFunction(() => document.querySelector('#ef-doc-1-file').textContent.includes('to-khai-da-ky.pdf'));
  check(!(await page.$('#ef-doc-1-msg .field-error')), 'the requested document uploaded');
  await clean(page, 'the supplement page, no sideways scrolling on the phone');
  await shot(page, artifacts, 'eloop-4-supplement', RAW);
  await page.click('#ef-submit');
  await page.waitForSelector('#ef-done');
  check((await page.textContent('#ef-status')).includes('Chờ'), 'submitted again: the desk checks it', await page.textContent('#ef-status'));

  // 5. received, finished, the electronic result registered
  await desk.goto(`${base}/#/mot-cua?tab=efile`);
  await desk.waitForSelector('#tab-efile');
  await desk.click('#tab-efile');
  await desk.click(rowButton(code));
  await desk.waitForSelector('#efile-filing');
  const doc = await desk.getAttribute('#efile-docs a.efile-doc-link', 'href');
  const got = await (await dctx.request.get(`${base}${doc}`)).body();
  check(got.toString('latin1').includes('To khai da ky'), 'the desk opens the supplemented document');
  await desk.click('#efile-receive');
  await desk.waitForSelector('#efile-done');
  must(deliver('received').some((m) => m.dossier === code), 'the sink received "đã được tiếp nhận"');
  const lctx = leaderBrowser.ctx;
  lctx.setDefaultTimeout(T);
  const leader = await signIn(lctx, 'lanhdao.mytho', 'demo-lanhdao-2025');
  let st = 'received';
  for (let i = 0; i < 8 && st !== 'result_ready'; i++) {
    let r = await post(leader, `/api/dossiers/${encodeURIComponent(code)}/finish`);
    if (r.status !== 200) r = await post(leader, `/api/dossiers/${encodeURIComponent(code)}/advance`);
    must(r.status === 200, 'the leader moves the dossier on', JSON.stringify(r));
    st = r.body.status;
  }
  must(st === 'result_ready', 'the dossier has its result', st);
  const reg = await post(desk, `/api/dossiers/${encodeURIComponent(code)}/result`,
    { result_no: 'KQ-15/2026', title: 'Bản sao trích lục hộ tịch', content_base64: Buffer.from(resultPdf).toString('base64') });
  must(reg.status === 201, 'the desk registers the electronic result', JSON.stringify(reg));
  const ready = deliver('result_ready').filter((m) => m.dossier === code);
  must(ready.length === 1, 'the sink received "đã có kết quả"', JSON.stringify(ready));

  // 6. the result, online
  await lookup(page, linkOf(ready[0]));
  await page.waitForSelector('#ef-lookup-card #ef-result');
  check((await page.textContent('#ef-result')).trim() === 'Tải kết quả điện tử', 'the lookup offers "Tải kết quả điện tử"');
  // the history says the result is ready, not that a step is still being processed
  check(await page.$('#event-result-ready') !== null && !/Đang xử lý: bước/.test(await page.textContent('#lookup-result')),
    'the history says "Đã có kết quả", not "Đang xử lý: bước k/n"');
  await clean(page, 'the lookup (result ready)');
  await shot(page, artifacts, 'eloop-5-result', RAW);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#ef-result')]);
  const saved = path.join(tmp, 'ket-qua');
  await dl.saveAs(saved);
  check(/^ket-qua-KQ-15.2026\.pdf$/.test(dl.suggestedFilename()), 'the file named after the result', dl.suggestedFilename());
  check(fs.readFileSync(saved, 'latin1') === resultPdf, 'the download is the electronic result the desk registered');
  await page.waitForSelector('#ef-lookup-card .ef-result-msg [role="status"]');
  // the citizen's own filings: the result taken
  await page.goto(`${base}/#/nop-truc-tuyen`);
  await page.waitForSelector('#ef-mine');
  const item = page.locator(`#ef-mine li[data-code="${code}"]`);
  const text = await item.innerText();
  check(text.includes('Đã nhận kết quả trực tuyến lúc') && (await item.locator('.ef-result').count()) === 1, 'my filings show the result taken, with the button', text);
  await clean(page, 'my filings');
  await shot(page, artifacts, 'eloop-6-mine', RAW);
  // the same list on a desktop screen (1366 px), for the eye
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.reload();
  await page.waitForSelector('#ef-mine .ef-result');
  await shot(page, artifacts, 'eloop-7-mine-1366', RAW);
  check(!errors.length, 'no script error (citizen)', errors.join('; '));
  check(!derrors.length, 'no script error (desk)', derrors.join('; '));
}, 'eloop-failure');
await citizen.close();
await deskBrowser.close();
await leaderBrowser.close();
fs.rmSync(tmp, { recursive: true, force: true });
if (code) fs.writeFileSync(codeFile, code);
finish();
