// survey3.mjs — DDCI's businesses on a round's page (web/js/survey3.js): the ward's leader
// uploads a list with problems (each line's problem in Vietnamese, nothing added), then a good
// list (the invitations and their CSV). t-survey3.sh sets up the demo and round DB.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, check, finish, launch, runStory, signIn as libSignIn, rawWords, shots as libShots } from './lib.mjs';

const { base, artifacts, exe } = parseArgs('survey3.mjs');
const UNIT = process.env.CCHC_UNIT;
const signIn = (page, hash, user, pass) => libSignIn(page, base, hash, user, pass);

async function clean(page, what) {
  const bad = await rawWords(page, ['null', 'undefined', '(verify)', 'NaN', 'survey.']);
  check(!bad.length, `${what}: no raw text`, bad.join(', '));
}

const shots = (page, name) => libShots(page, artifacts, name, [1366, 390], { width: 1366, height: 900 });

async function story(ctx) {
  const page = ctx.pages()[0] || (await ctx.newPage());
  await signIn(page, '#/khao-sat', 'lanhdao.mytho', 'demo-lanhdao-2025');
  await page.click('a[data-round="DB"]');
  await page.waitForSelector('#survey-biz-form');
  await page.fill('#survey-biz-unit', UNIT);
  await page.check('input[name="survey-biz-source"][value="list"]');
  const bad = path.join(os.tmpdir(), `ds-bad-${process.pid}.csv`);
  fs.writeFileSync(bad, 'tax_code,name,contact,sector\n0101234567,Công ty A,,Sản xuất\n0101,Công ty B,,\n');
  await page.setInputFiles('#survey-biz-file', bad);
  await page.click('#survey-biz-go');
  await page.waitForSelector('#survey-biz-problems li');
  const probs = await page.$$eval('#survey-biz-problems li', (l) => l.map((x) => x.textContent));
  check(probs.length === 2 && probs.some((p) => p.includes(':3: mã số thuế:')) && probs.some((p) => p.includes('ngành') && p.includes('bắt buộc')),
    'each problem of the list, in Vietnamese', JSON.stringify(probs));
  await shots(page, 'biz-problems');
  await clean(page, 'the problems');
  const good = path.join(os.tmpdir(), `ds-good-${process.pid}.csv`);
  let csv = 'tax_code,name,contact,sector\n';
  for (let i = 10; i < 50; i++) csv += `01000000${i},Công ty ${i},,${i % 2 ? 'Dịch vụ' : 'Sản xuất'}\n`;
  fs.writeFileSync(good, csv);
  await page.setInputFiles('#survey-biz-file', good);
  await page.click('#survey-biz-go');
  await page.waitForSelector('#survey-biz-done');
  const rows = await page.$$eval('#survey-biz-invitations tbody tr', (l) => l.length);
  check(rows >= 30 && rows <= 40, 'the invitations of the list', String(rows));
  check(!!(await page.$('#survey-biz-download[download]')), 'the invitations as a CSV');
  await shots(page, 'biz-done');
  await clean(page, 'the invitations');
  fs.rmSync(bad, { force: true });
  fs.rmSync(good, { force: true });
}
const { ctx, close } = await launch(exe, { viewport: { width: 1366, height: 900 } });
await runStory(ctx, artifacts, async () => {
  await story(ctx);
}, 'failure');
await close();
finish();
