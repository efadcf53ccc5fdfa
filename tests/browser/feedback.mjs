// feedback.mjs — feedback and petitions in a real browser (playwright-core, Debian's chromium,
// headless) against `cchc demo` (t-feedback.sh): a citizen on a phone (390 px) files feedback
// without an account and gets a follow-up code; the ward's leader at a desk (1366 px) finds it
// in the queue, accepts it, answers from a reply template and publishes it; the published
// answer is found without diacritics with the phone masked; the citizen looks the item up by
// its code and rates the answer once. Screenshots of each page at both widths go to
// ARTIFACT_DIR. Any uncaught script error, or a request leaving the origin, fails the run.
// Usage: node feedback.mjs BASE_URL ARTIFACT_DIR [CHROMIUM]
import { parseArgs, check, finish, launch, runStory, shot as libShot } from './lib.mjs';

const { base, artifacts, exe } = parseArgs('feedback.mjs');
const LEADER = { user: 'lanhdao.mytho', pass: 'demo-lanhdao-2025' };
const TEXT = 'Đèn đường trước chợ Mỹ Tho hỏng đã hai tuần, gọi tôi 0912 345 678 nếu cần';
// a screenshot, then nothing wider than the screen, no raw key or "null" on the page
const shot = (page, name) => libShot(page, artifacts, name);

async function story(ctx, errors) {
  // --- the citizen, on a phone ---
  const phone = await ctx.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  phone.on('pageerror', (e) => errors.push(String(e)));
  await phone.goto(`${base}/#/phan-anh`);
  await phone.waitForSelector('#fb-form select[name="unit"] option[value="DT.MYTHO"]', { state: 'attached' });
  check((await phone.textContent('main h1')) === 'Gửi phản ánh, kiến nghị', 'the form opens in Vietnamese');
  await shot(phone, 'fb-01-form-390');
  await phone.selectOption('select[name="kind"]', 'suggestion');
  await phone.selectOption('select[name="unit"]', 'DT.MYTHO');
  // the server's check shown next to its field, in Vietnamese
  await phone.fill('input[name="phone"]', '12345');
  await phone.fill('textarea[name="body"]', TEXT);
  await phone.click('#fb-send');
  await phone.waitForSelector('.field-error');
  check(/Số điện thoại không hợp lệ/.test(await phone.textContent('.field-error')), 'a bad phone is refused next to its field, in Vietnamese');
  await phone.fill('input[name="phone"]', '0912 345 678');
  await phone.check('#fb-consent');
  await phone.click('#fb-send');
  // the answer replaces the busy button with the code; wait for the code itself, not only its
  // element (on a loaded machine the element was once read before its text)
  await phone.waitForFunction(() => /^PA-/.test((document.querySelector('#fb-code') || {}).textContent || ''));
  const code = (await phone.textContent('#fb-code')).trim();
  check(/^PA-\d{6}-[2-9A-Z]{6}$/.test(code), 'the citizen gets a follow-up code', code);
  await shot(phone, 'fb-02-sent-390');

  // --- the leader, at a desk ---
  const desk = await ctx.newPage();
  await desk.setViewportSize({ width: 1366, height: 900 });
  desk.on('pageerror', (e) => errors.push(String(e)));
  await desk.goto(`${base}/#/mot-cua`);
  await desk.waitForSelector('#login-submit');
  await desk.fill('input[name="username"]', LEADER.user);
  await desk.fill('input[name="password"]', LEADER.pass);
  await desk.click('#login-submit');
  await desk.waitForSelector('#logout');
  await desk.goto(`${base}/#/phan-anh/xu-ly`);
  await desk.waitForSelector('#fb-queue table');
  await desk.selectOption('select[name="filter"]', 'received');
  await desk.waitForSelector(`#fb-queue a[data-code="${code}"]`);
  await shot(desk, 'fb-03-queue-1366');
  await desk.click(`#fb-queue a[data-code="${code}"]`);
  await desk.waitForSelector('#fb-do-accept');
  await desk.click('#fb-do-accept');
  await desk.waitForSelector('#fb-do-answer');
  await desk.selectOption('select[name="template"]', 'TIEP-THU');
  check((await desk.inputValue('textarea[name="answer"]')).startsWith('Cảm ơn ông/bà'), 'the answer starts from the reply template');
  await desk.click('#fb-do-answer');
  await desk.waitForSelector('#fb-do-publish');
  await shot(desk, 'fb-04-answered-1366');
  await desk.click('#fb-do-publish');
  await desk.waitForFunction(() => !document.querySelector('#fb-do-publish') && /Đã công khai/.test(document.querySelector('#fb-act h2').textContent));
  check(true, 'the leader accepts, answers from a template and publishes');

  // --- the published answers, searched without diacritics ---
  await desk.goto(`${base}/#/phan-anh/cong-khai`);
  await desk.fill('input[name="q"]', 'den duong truoc cho my tho');
  await desk.click('form[role="search"] button');
  await desk.waitForFunction((c) => document.querySelector('#fb-published').textContent.includes(c), code);
  const pub = await desk.textContent('#fb-published');
  check(!pub.includes('0912') && pub.includes('***'), 'the published text has the phone masked', pub.slice(0, 200));
  await shot(desk, 'fb-05-published-1366');

  // --- the citizen follows the code and rates once ---
  await phone.goto(`${base}/#/phan-anh?code=${code.toLowerCase()}`);
  await phone.waitForSelector('#fb-rate button[data-score="5"]');
  check(/Đã công khai/.test(await phone.textContent('#fb-follow-result')), 'the citizen sees the progress by code');
  await shot(phone, 'fb-06-follow-390');
  await phone.click('#fb-rate button[data-score="5"]');
  await phone.waitForSelector('#fb-rate .notice.ok');
  await phone.reload();
  await phone.waitForSelector('#fb-follow-result dl');
  check(!(await phone.$('#fb-rate')), 'the answer can be rated only once');
  await phone.goto(`${base}/#/phan-anh/cong-khai`);
  await phone.waitForSelector('#fb-published article');
  await shot(phone, 'fb-07-published-390');
  await desk.setViewportSize({ width: 390, height: 844 });
  await desk.goto(`${base}/#/phan-anh/xu-ly`);
  await desk.waitForSelector('#fb-queue table');
  await shot(desk, 'fb-08-queue-390');
  await phone.setViewportSize({ width: 1366, height: 900 });
  await phone.goto(`${base}/#/phan-anh`);
  await phone.waitForSelector('#fb-form');
  await shot(phone, 'fb-09-form-1366');
}

const { ctx, close } = await launch(exe);
const errors = [];
const outside = [];
ctx.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url()); });
await runStory(ctx, artifacts, () => story(ctx, errors), 'fb-failure');
check(!errors.length, 'no uncaught script error', errors.join(' | '));
check(!outside.length, 'no request left the server\'s origin', outside.join(' '));
await close();
finish();
