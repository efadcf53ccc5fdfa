// survey2.mjs — paper forms typed twice and resolved, invitations and downloads, in the browser
// (t-survey2.sh sets up the demo and round BP); every page in Vietnamese without raw keys.
import { parseArgs, check, finish, launch, runStory, signIn as libSignIn, rawWords, shots as libShots } from './lib.mjs';

const { base, artifacts, exe } = parseArgs('survey2.mjs');
const UNIT = process.env.CCHC_UNIT;
const signIn = (page, hash, user, pass) => libSignIn(page, base, hash, user, pass);

async function clean(page, what) {
  const bad = await rawWords(page, ['null', 'undefined', '(verify)', 'NaN', 'survey.']);
  check(!bad.length, `${what}: no raw text`, bad.join(', '));
}

const shots = (page, name) => libShots(page, artifacts, name, [1366, 390], { width: 1366, height: 900 });

async function entry(page, pass, kq) {
  await page.waitForSelector('#paper-entry');
  await page.fill('#pf-form', 'P-1');
  await page.selectOption('#pf-pass', String(pass));
  await page.selectOption('#pf-unit', UNIT);
  await page.selectOption('#pf-q-TC\\.1\\.1', '4');
  await page.selectOption('#pf-q-TT\\.2\\.1', '5');
  await page.selectOption('#pf-q-KQ\\.2\\.1', kq);
  await page.click('#pf-save');
  await page.waitForSelector('#pf-done');
  return page.textContent('#pf-done');
}

async function story(ctx) {
  const page = ctx.pages()[0] || (await ctx.newPage());
  const hash = '#/khao-sat/phieu-giay/BP';
  await signIn(page, hash, 'motcua.mytho', 'demo-motcua-2025');
  check(/chờ lần nhập thứ hai/.test(await entry(page, 1, '3')), 'entry 1 waits for entry 2');
  await clean(page, 'paper page');
  await signIn(page, hash, 'chuyenvien.mytho', 'demo-chuyenvien-2025');
  check(/khác nhau/.test(await entry(page, 2, '2')), 'entry 2 differs');
  await page.waitForSelector('#paper-forms tr[data-form="P-1"][data-state="differ"]');
  const legend = await page.textContent('.sv-resolve fieldset[data-field] legend');
  check(/KQ\.2\.1/.test(legend) && /3/.test(legend) && /2/.test(legend), 'the difference per question, both values', legend);
  await shots(page, 'survey-paper-differ');
  await page.click('.sv-resolve fieldset[data-field="KQ.2.1"] input[value="3"]');
  await page.click('.sv-resolve button[type=submit]');
  await page.waitForSelector('#paper-forms tr[data-form="P-1"][data-state="resolved"]');
  check(/Đã đối chiếu/.test(await page.textContent('#pf-done')), 'resolved, counted');
  await clean(page, 'paper page after resolution');
  await shots(page, 'survey-paper');

  await signIn(page, '#/khao-sat', 'lanhdao.mytho', 'demo-lanhdao-2025');
  await page.waitForSelector('#survey-rounds');
  await page.click('#survey-rounds a[data-round="BP"]');
  await page.waitForSelector('#survey-actions');
  check(!!(await page.$('#survey-paper-link')), 'the paper entry link');
  await page.click('#survey-notify');
  await page.waitForSelector('#survey-notified');
  check(/lời mời vào hàng gửi/.test(await page.textContent('#survey-notified')), 'invitations queued', await page.textContent('#survey-notified'));
  const formats = await page.$$eval('#survey-downloads a', (as) => as.map((a) => a.dataset.format));
  check(formats.join(',') === 'xlsx,pdf,csv', 'download links', formats.join(','));
  await clean(page, 'results with actions');
  await shots(page, 'survey-round-actions');

  await page.click('#logout');
  await page.waitForSelector('#logout', { state: 'detached' });
  await page.goto(`${base}/#/khao-sat/ket-qua/BP`);
  await page.waitForSelector('#survey-downloads a[data-format="xlsx"]');
  const href = await page.getAttribute('#survey-downloads a[data-format="xlsx"]', 'href');
  const res = await page.request.get(`${base}${href}`);
  check(res.status() === 200 && (res.headers()['content-type'] || '').includes('spreadsheetml'), 'the public xlsx download', `${res.status()}`);
  await shots(page, 'survey-public-downloads');
}

const { ctx, close } = await launch(exe, { viewport: { width: 1366, height: 900 } });
await runStory(ctx, artifacts, async () => {
  await story(ctx);
}, 'failure');
await close();
finish();
