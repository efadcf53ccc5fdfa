// backdate.mjs — the backdated mark of a dossier's history in a real browser (t-backdate.sh):
// the demo leader finishes CCHC_CODE with a claimed time on CCHC_DAY and a reason, and the
// history shows "ghi lùi thời gian" with the claimed and the recorded time; a desk officer's
// attempt (a backdated supplement request) is refused with the Vietnamese message and changes nothing.
// Usage: CCHC_CODE=… CCHC_DAY=YYYY-MM-DD node backdate.mjs BASE_URL ARTIFACT_DIR [CHROMIUM]
import { parseArgs, check, finish, launch, runStory, signIn, post as postTo, screens } from './lib.mjs';

const { base, artifacts, exe } = parseArgs('backdate.mjs');
const code = process.env.CCHC_CODE;
const day = process.env.CCHC_DAY;
const DESK = { user: 'motcua.mytho', pass: 'demo-motcua-2025' };
const LEADER = { user: 'lanhdao.mytho', pass: 'demo-lanhdao-2025' };
const RAW = '\\b(?:desk|action|col|nav|err|status)\\.[a-z]';
// POST an action on the dossier (the UI itself never backdates)
const post = (page, action, body) => postTo(page, `/api/dossiers/${encodeURIComponent(code)}/${action}`, body);

const { ctx, close } = await launch(exe, { viewport: { width: 1280, height: 900 } });
await runStory(ctx, artifacts, async () => {
  const errors = [];
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  const [y, m, d] = day.split('-');
  await signIn(page, base, '#/mot-cua', DESK.user, DESK.pass);
  const refused = await post(page, 'request-supplement', { at: `${day}T09:30`, note: 'Thiếu bản sao' });
  check(refused.status === 403 && refused.body.error.rule === 'dossier.backdate_role' &&
    refused.body.error.message.startsWith('Thời điểm'), 'a desk officer may not backdate: 403 in Vietnamese', JSON.stringify(refused));
  await signIn(page, base, '#/mot-cua', LEADER.user, LEADER.pass);
  const ok = await post(page, 'finish', { at: `${day}T10:00`, note: 'Kết quả đã ký, nhập bù' });
  check(ok.status === 200, 'the leader backdates the finish with a reason', JSON.stringify(ok));
  await page.goto(`${base}/#/mot-cua/ho-so/${encodeURIComponent(code)}`);
  await page.waitForSelector('#history-events');
  const marks = await page.$$eval('#history-events .badge.backdated', (xs) => xs.map((x) => x.textContent));
  check(marks.length === 1 && marks[0] === 'ghi lùi thời gian', 'the backdated event carries the mark "ghi lùi thời gian"', JSON.stringify(marks));
  const lines = await page.$$eval('#history-events div.backdated', (xs) => xs.map((x) => x.textContent));
  const line = lines.find((x) => x.includes('10:00')) || '';
  const now = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10).split('-');
  check(line.includes(`Thời điểm khai 10:00 ${d}/${m}/${y}`) && line.includes(`ghi nhận vào hệ thống lúc`) &&
    line.includes(`${now[2]}/${now[1]}/${now[0]}`), 'the mark shows the claimed and the recorded time', line);
  const visible = await page.isVisible('#history-events .badge.backdated');
  check(visible, 'the mark is visible');
  await screens(page, artifacts, 'backdated-history', RAW);
  check(!errors.length, 'no uncaught script error', errors.join(' | '));
}, 'backdate-failure');
await close();
finish();
