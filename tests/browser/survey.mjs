// survey.mjs — the survey pages in the browser (t-survey.sh sets up the demo and a round): a
// citizen answers the questionnaire on a phone (390 px) with the keyboard and taps, once; Mỹ
// Tho's leader sees the ward's result and its per-question figures; the public results page
// shows the round; every page in Vietnamese, without raw keys, "null" or "(verify)".
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, check, finish, launch, runStory, signIn as libSignIn, rawWords, shots as libShots } from './lib.mjs';

const { base, artifacts, exe } = parseArgs('survey.mjs');
const TOKEN = process.env.CCHC_TOKEN, UNIT = process.env.CCHC_UNIT;
const signIn = (page, hash, user, pass) => libSignIn(page, base, hash, user, pass);

// No raw key, null or (verify) on a Vietnamese page.
async function clean(page, what) {
  const bad = await rawWords(page, ['null', 'undefined', '(verify)', 'verify', 'survey.', 'NaN']);
  check(!bad.length, `${what}: no raw text`, bad.join(', '));
}

const shots = (page, name) => libShots(page, artifacts, name, [1366, 390], { width: 1366, height: 900 });

async function story(ctx) {
  const page = ctx.pages()[0] || (await ctx.newPage());
  // the citizen, on a phone: the link from the result slip's QR code
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/#/khao-sat/${TOKEN}`);
  await page.waitForSelector('#survey-form');
  await clean(page, 'questionnaire');
  const groups = await page.$$eval('fieldset.sv-question', (fs) => fs.map((f) => ({
    labelled: !!f.getAttribute('aria-labelledby') && !!document.getElementById(f.getAttribute('aria-labelledby')),
    radios: f.querySelectorAll('input[type=radio]').length,
    labels: [...f.querySelectorAll('input[type=radio]')].every((r) => r.labels && r.labels.length === 1),
  })));
  check(groups.length >= 15, 'every question is a group', String(groups.length));
  check(groups.every((g) => g.labelled && g.radios >= 5 && g.labels), 'each group labelled, each option with its label', JSON.stringify(groups[0]));
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  check(scroll <= 390, 'no sideways scrolling at 390 px', String(scroll));
  // keyboard: focus the first option of the first group, arrow to the next option (4 -> 5)
  await page.focus('fieldset.sv-question input[type=radio][value="4"]');
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  const first = await page.$eval('fieldset.sv-question', (f) => (f.querySelector('input:checked') || {}).value);
  check(first === '5', 'arrow keys move within a radio group', String(first));
  // taps for the other groups: "Hài lòng" / "Đồng ý" (4)
  const codes = await page.$$eval('fieldset.sv-question', (fs) => fs.map((f) => f.dataset.code));
  for (const c of codes.slice(1)) await page.click(`label[for="q-${c}-4"]`);
  await page.screenshot({ path: path.join(artifacts, 'survey-form-390.png'), fullPage: true });
  await page.click('#survey-send');
  await page.waitForSelector('#sv-done');
  const done = await page.textContent('#sv-done');
  check(/Cảm ơn/.test(done), 'the citizen is thanked', done);
  await page.screenshot({ path: path.join(artifacts, 'survey-thanks-390.png'), fullPage: true });
  // the same link again: used
  await page.goto(`${base}/#/khao-sat/ket-qua/BT`);
  await page.goto(`${base}/#/khao-sat/${TOKEN}`);
  await page.waitForSelector('#sv-done');
  check(/đã được dùng/.test(await page.textContent('#sv-done')), 'a used link says so');
  // an unknown link
  await page.goto(`${base}/#/khao-sat/${'a'.repeat(26)}`);
  await page.waitForSelector('#sv-error');
  check(/không hợp lệ/.test(await page.textContent('#sv-error')), 'an unknown link is refused in Vietnamese');

  // the ward's leader, on a desktop
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, '#/khao-sat', 'lanhdao.mytho', 'demo-lanhdao-2025');
  await page.waitForSelector('#survey-rounds');
  await page.click('#survey-rounds a[data-round="BT"]');
  await page.waitForSelector('#survey-results');
  const rows = await page.$$eval('#survey-results tbody tr', (rs) => rs.map((r) => ({
    unit: r.dataset.unit, cells: [...r.cells].map((c) => c.textContent.trim()),
  })));
  const mine = rows.find((r) => r.unit === UNIT);
  check(!!mine, "the leader sees the ward's result", JSON.stringify(rows));
  if (mine) {
    check(mine.cells[2].startsWith('1'), 'one response, counted', mine.cells[2]);
    check(/dưới mẫu tối thiểu/.test(mine.cells[2]), 'flagged below the minimum sample', mine.cells[2]);
    check(/^\d{1,3},\d\d$/.test(mine.cells[3]), 'the index in Vietnamese notation', mine.cells[3]);
  }
  await clean(page, 'results');
  await page.click(`#survey-results tr[data-unit="${UNIT}"] a`);
  await page.waitForSelector('#survey-unit');
  const q = await page.$$eval('#survey-unit tbody tr', (rs) => rs.map((r) => [...r.cells].map((c) => c.textContent.trim())));
  check(q.length >= 15 && q.some((r) => r[1] === '100,00' && r[2] === '1'), 'per-question satisfaction with counts', JSON.stringify(q.slice(0, 3)));
  await shots(page, 'survey-results');
  // the public page, without an account
  await page.click('#logout');
  await page.waitForSelector('#logout', { state: 'detached' });
  await page.goto(`${base}/#/khao-sat/ket-qua/BT`);
  await page.waitForSelector('#survey-results');
  const pub = await page.$$eval('#survey-results tbody tr', (rs) => rs.map((r) => r.dataset.unit));
  check(pub.includes(UNIT), 'the public results page lists the ward', JSON.stringify(pub));
  await clean(page, 'public results');
  await shots(page, 'survey-public');
}

const { ctx, close } = await launch(exe, { viewport: { width: 1366, height: 900 } });
await runStory(ctx, artifacts, async () => {
  await story(ctx);
}, 'failure');
await close();
finish();
