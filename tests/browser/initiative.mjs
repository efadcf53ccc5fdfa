// initiative.mjs — the initiatives page in the browser (t-initiative.sh serves `cchc demo`):
// Mỹ Tho's specialist reads the registry and proposes an initiative (a refusal shown next to its
// field first); the province's administrator, for the council, accepts and recognises it; Mỹ
// Tho's leader applies it; list and detail without sideways scrolling at 390 px; every page in
// Vietnamese, without raw keys, "null" or "(verify)".
import path from 'node:path';
import { parseArgs, check, finish, launch, runStory, signIn as libSignIn, rawWords } from './lib.mjs';

const { base, artifacts, exe } = parseArgs('initiative.mjs');
const signIn = (page, hash, user, pass) => libSignIn(page, base, hash, user, pass);

async function clean(page, what) {
  const bad = await rawWords(page, ['null', 'undefined', '(verify)', 'verify', 'init.', 'NaN', 'recognized', 'proposed', 'accepted']);
  check(!bad.length, `${what}: no raw text`, bad.join(', '));
}

async function narrow(page, what) {
  await page.setViewportSize({ width: 390, height: 844 });
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  check(scroll <= 390, `${what}: no sideways scrolling at 390 px`, String(scroll));
  await page.screenshot({ path: path.join(artifacts, `${what}-390.png`), fullPage: true });
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.screenshot({ path: path.join(artifacts, `${what}-1366.png`), fullPage: true });
}

async function story(ctx) {
  const page = ctx.pages()[0] || (await ctx.newPage());
  // the ward's specialist: the registry
  await signIn(page, '#/sang-kien', 'chuyenvien.mytho', 'demo-chuyenvien-2025');
  await page.waitForSelector('#init-table');
  const nav = await page.getAttribute('a[data-route="initiative"]', 'aria-current');
  check(nav === 'page', 'the menu marks "Sáng kiến CCHC" as the current page', String(nav));
  const rows = await page.$$eval('#init-table tbody tr', (rs) => rs.map((r) => [...r.cells].map((c) => c.textContent.trim())));
  const model = rows.find((r) => r[0].startsWith('Tổ công nghệ số cộng đồng'));
  check(!!model && model[1].includes('Đã công nhận') && model[1].includes('Cấp tỉnh') && model[5] === '2',
    'the demo model: recognised at province level, applied by two wards', JSON.stringify(model));
  check(rows.some((r) => r[1].includes('Không công nhận')), 'a rejected one is listed in Vietnamese', JSON.stringify(rows.map((r) => r[1])));
  await clean(page, 'the registry');
  await narrow(page, 'initiative-list');

  // a proposal without authors: refused next to the field, in Vietnamese, nothing added
  const before = rows.length;
  await page.fill('#init-title', 'Thử nghiệm: Zalo OA nhắc lịch hẹn trả kết quả');
  await page.selectOption('#init-area', '3');
  await page.fill('#init-description', 'Tin nhắn Zalo OA nhắc người dân ngày hẹn trả kết quả.');
  await page.click('#init-submit');
  await page.waitForSelector('#init-authors-err');
  const err = await page.textContent('#init-authors-err');
  check(/tác giả/i.test(err) && !/required|field/.test(err), 'the missing authors are named next to the field, in Vietnamese', err);
  check((await page.getAttribute('#init-authors', 'aria-invalid')) === 'true', 'the authors field is marked invalid');
  await page.fill('#init-authors', 'Trần Văn Hùng');
  await page.fill('#init-effect', 'Giảm hồ sơ trễ hẹn nhận kết quả');
  await page.click('#init-submit');
  await page.waitForSelector('#init-facts');
  check((await page.textContent('#init-status')).includes('Đã đề xuất'), 'proposed: the detail page opens', await page.textContent('#init-status'));
  const id = (await page.evaluate(() => location.hash)).split('/').pop();
  check(!(await page.$('#init-evaluate')), 'the ward cannot evaluate its own proposal');
  await clean(page, 'the new proposal');
  await page.goto(`${base}/#/sang-kien`);
  await page.waitForSelector('#init-table');
  check((await page.$$('#init-table tbody tr')).length === before + 1, 'one proposal added, not two');

  // the province, for the council: accept with a score, then the decision
  await signIn(page, `#/sang-kien/${id}`, 'admin', 'demo-admin-2025');
  await page.waitForSelector('#init-evaluate');
  await page.selectOption('#eval-result', 'accepted');
  await page.fill('#eval-score', '90');
  await page.fill('#eval-note', 'Có tính mới, dễ nhân rộng');
  await page.click('#eval-submit');
  await page.waitForSelector('#init-recognize');
  check((await page.textContent('#init-score')).includes('90/100'), 'the council\'s score is shown', await page.textContent('#init-score'));
  await page.fill('#rec-no', '88/QĐ-UBND');
  await page.selectOption('#rec-level', 'province');
  await page.click('#rec-submit');
  await page.waitForSelector('#init-decision');
  check((await page.textContent('#init-status')).includes('Đã công nhận'), 'recognised', await page.textContent('#init-status'));
  check((await page.textContent('#init-decision')).includes('88/QĐ-UBND'), 'the decision is shown', await page.textContent('#init-decision'));
  await narrow(page, 'initiative-council');

  // the ward's leader applies it
  await signIn(page, `#/sang-kien/${id}`, 'lanhdao.mytho', 'demo-lanhdao-2025');
  await page.waitForSelector('#init-apply');
  await page.selectOption('#apply-unit', 'DT.MYTHO');
  await page.fill('#apply-result', 'Áp dụng cho hồ sơ đất đai');
  await page.click('#apply-submit');
  await page.waitForSelector('#init-units table');
  const units = await page.$$eval('#init-units tbody tr', (rs) => rs.map((r) => r.cells[0].textContent.trim()));
  check(units.length === 1 && /Mỹ Tho/.test(units[0]), 'the applying ward is listed by name', JSON.stringify(units));
  const hist = await page.textContent('#init-history');
  check(/đề xuất/.test(hist) && /quyết định công nhận/.test(hist) && /đăng ký áp dụng/.test(hist), 'the history in Vietnamese', hist);
  await clean(page, 'the recognised initiative');
  await narrow(page, 'initiative-detail');

  // the ward's PAR page: criterion 1.6 counts its recognised initiatives (the demo's and this one)
  const year = Number((await page.evaluate(() => new Date(Date.now() + 7 * 3600 * 1000).toISOString())).slice(0, 4));
  await page.goto(`${base}/#/chi-so-cchc/XA-${year}/don-vi/DT.MYTHO`);
  await page.waitForSelector('#par-tree, #par-by-code-form');
  const par = await page.textContent('main');
  check(par.includes('được công nhận trong kỳ: 2') && par.includes('Xem các sáng kiến'),
    'the PAR page shows criterion 1.6 as the count of recognised initiatives, with a link', par.slice(par.indexOf('Sáng kiến'), par.indexOf('Sáng kiến') + 300));
  check(!/initiatives_count|\d%\s*\(\d+\/\d+ initiatives/.test(par), 'no metric identifier or percentage for the count');
}

const { ctx, close } = await launch(exe, { viewport: { width: 1366, height: 900 } });
await runStory(ctx, artifacts, async () => {
  await story(ctx);
}, 'failure');
await close();
finish();
