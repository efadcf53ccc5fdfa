// queue.mjs — the desk queue in a real browser (playwright-core, Debian's chromium, headless)
// against `cchc demo` (t-queue.sh): the hall's display (#/man-hinh, 1366 px) is open; a citizen
// on a phone (390 px, #/boc-so) picks a field and takes a number; the officer at the counter
// (#/quay, 1366 px) signs in and calls numbers until theirs; the display shows it and speaks
// "Mời số … đến quầy số 3" — the page's own speechSynthesis.speak is wrapped (not replaced) to
// record each utterance's text and language; the citizen's page says it is their turn; the
// counter page's waiting-time card shows the demo's figures. Screenshots at both widths go to
// ARTIFACT_DIR. Any uncaught script error, or a request leaving the origin, fails the run.
// Usage: node queue.mjs BASE_URL ARTIFACT_DIR [CHROMIUM]
import { parseArgs, check, finish, launch, runStory, shot as libShot } from './lib.mjs';

const { base, artifacts, exe } = parseArgs('queue.mjs');
const DESK = { user: 'motcua.mytho', pass: 'demo-motcua-2025' };
const FIELD = 'Thành lập và hoạt động của hộ kinh doanh'; // only counter 3 of Mỹ Tho serves it
// a screenshot, then nothing wider than the screen, no raw key or "null" on the page
const shot = (page, name) => libShot(page, artifacts, name, 'queue\\.[a-z_]');

async function story(ctx, errors) {
  // --- the hall's display, recording what it speaks ---
  const tv = await ctx.newPage();
  await tv.setViewportSize({ width: 1366, height: 768 });
  tv.on('pageerror', (e) => errors.push(String(e)));
  await tv.addInitScript(() => {
    window.__spoken = [];
    if (window.speechSynthesis) {
      const speak = window.speechSynthesis.speak.bind(window.speechSynthesis);
      window.speechSynthesis.speak = (u) => {
        window.__spoken.push({ text: u.text, lang: u.lang });
        return speak(u);
      };
    }
  });
  await tv.goto(`${base}/#/man-hinh?unit=DT.MYTHO`);
  await tv.waitForSelector('#q-display .q-tile[data-counter="3"]');
  check(await tv.evaluate(() => !!window.speechSynthesis), 'the browser has speech synthesis');
  check(await tv.evaluate(() => getComputedStyle(document.querySelector('.topbar')).display === 'none'), 'the display hides the header');
  await shot(tv, 'q-01-display-1366');

  // --- the citizen, on a phone ---
  const phone = await ctx.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  phone.on('pageerror', (e) => errors.push(String(e)));
  await phone.goto(`${base}/#/boc-so?unit=DT.MYTHO`);
  await phone.waitForSelector('#q-take .q-field');
  check((await phone.textContent('main h1')) === 'Lấy số thứ tự', 'the phone page opens in Vietnamese');
  await shot(phone, 'q-02-take-390');
  await phone.click(`#q-take button[data-field="${FIELD}"]`);
  await phone.waitForSelector('#q-number');
  const number = (await phone.textContent('#q-number')).trim();
  check(/^3\d{3}$/.test(number), 'the number belongs to counter 3', number);
  check(/Còn \d+ người trước bạn/.test(await phone.textContent('#q-ticket')), 'the page says how many are ahead', await phone.textContent('#q-ticket'));
  await shot(phone, 'q-03-ticket-390');

  // --- the officer at counter 3 ---
  const desk = await ctx.newPage();
  await desk.setViewportSize({ width: 1366, height: 900 });
  desk.on('pageerror', (e) => errors.push(String(e)));
  await desk.goto(`${base}/#/quay?counter=3`);
  await desk.waitForSelector('#login-submit');
  await desk.fill('input[name="username"]', DESK.user);
  await desk.fill('input[name="password"]', DESK.pass);
  await desk.click('#login-submit');
  await desk.waitForSelector('#q-call');
  await desk.waitForSelector('#q-stats table');
  const stats = await desk.textContent('#q-stats');
  check(/Thời gian chờ hôm nay/.test(stats) && /\d+,\d/.test(stats), 'the waiting-time card shows the demo figures, decimals with a comma', stats.slice(0, 200));
  let serving = '';
  for (let i = 0; i < 60 && serving !== number; i++) {
    const before = serving;
    await desk.click('#q-call');
    await desk.waitForFunction((b) => {
      const el = document.querySelector('#q-serving');
      return el && el.textContent.trim() !== b;
    }, before);
    serving = (await desk.textContent('#q-serving')).trim();
  }
  check(serving === number, 'the officer calls the citizen\'s number', serving);
  await shot(desk, 'q-04-counter-1366');

  // --- the display shows and speaks it ---
  const digits = number.split('').join(' ');
  const want = `Mời số ${digits} đến quầy số 3`;
  await tv.waitForFunction((n) => document.querySelector('#q-display .q-tile[data-counter="3"] .q-tile-number').textContent.trim() === n, number);
  check(true, 'the display shows the number at counter 3');
  await tv.waitForFunction((w) => window.__spoken.some((u) => u.text === w), want, { timeout: 10000 }).catch(() => {});
  const spoken = await tv.evaluate(() => window.__spoken);
  const said = spoken.find((u) => u.text === want);
  check(!!said, `the display speaks "${want}"`, JSON.stringify(spoken.slice(-3)));
  check(said && said.lang === 'vi-VN', 'in Vietnamese (vi-VN)', said && said.lang);
  check(spoken.every((u) => /^Mời số [\d ]+ đến quầy số \d+$/.test(u.text)), 'every utterance is a Vietnamese call', JSON.stringify(spoken));
  await shot(tv, 'q-05-display-called-1366');

  // --- the citizen's page follows the number ---
  await phone.waitForSelector('#q-called', { timeout: 15000 });
  check((await phone.textContent('#q-called')).includes('quầy số 3'), 'the phone says it is their turn at counter 3');
  await shot(phone, 'q-06-called-390');
  // recall: the display speaks it again
  const n0 = spoken.filter((u) => u.text === want).length;
  await desk.click('#q-recall');
  await tv.waitForFunction(([w, k]) => window.__spoken.filter((u) => u.text === w).length > k, [want, n0], { timeout: 10000 }).catch(() => {});
  check((await tv.evaluate((w) => window.__spoken.filter((u) => u.text === w).length, want)) > n0, 'a recall is spoken again');
  await desk.click('#q-serve');
  await desk.waitForFunction(() => !document.querySelector('#q-serving'));
  check(true, 'the officer marks it served');
  // the phone page at desktop width and the counter at phone width
  await phone.setViewportSize({ width: 1366, height: 900 });
  await shot(phone, 'q-07-take-1366');
  await desk.setViewportSize({ width: 390, height: 844 });
  await shot(desk, 'q-08-counter-390');
}

const { ctx, close } = await launch(exe);
const errors = [];
const outside = [];
ctx.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url()); });
await runStory(ctx, artifacts, () => story(ctx, errors), 'q-failure');
check(!errors.length, 'no uncaught script error', errors.join(' | '));
check(!outside.length, 'no request left the server\'s origin', outside.join(' '));
await close();
finish();
