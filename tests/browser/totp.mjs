// totp.mjs — the second factor in a real browser (playwright-core, Debian's chromium, headless)
// against `cchc demo` (t-totp.sh). On a phone (390 px) a leader opens #/bao-mat, signs in,
// starts the enrolment, sees the QR code and the secret, types the app's code (computed here
// by RFC 6238 from the secret) and gets ten recovery codes; signed out, the sign-in form asks
// for the code in a second step (Vietnamese message), refuses a wrong one and lets the leader
// in with the next one. The enrolled page at 1366 px. Screenshots go to ARTIFACT_DIR; any
// uncaught script error, or a request leaving the origin, fails the run.
// Usage: node totp.mjs BASE_URL ARTIFACT_DIR [CHROMIUM]
import crypto from 'node:crypto';
import { parseArgs, check, finish, launch, runStory, shot as libShot } from './lib.mjs';

const { base, artifacts, exe } = parseArgs('totp.mjs');
const LEADER = { user: 'lanhdao.mytho', pass: 'demo-lanhdao-2025' };
const stepNow = () => Math.floor(Date.now() / 1000 / 30);
// the RFC 6238 code of a 30-second step (the current one by default)
function totp(secretB32, step = stepNow()) {
  const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretB32.replace(/[\s=]/g, '').toUpperCase()) bits += alpha.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', key).update(counter).digest();
  const o = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// a screenshot, then nothing wider than the screen, no raw key or "null" on the page
const shot = (page, name) => libShot(page, artifacts, name, 'totp\\.|login\\.');

async function signIn(page, code) {
  await page.fill('input[name="username"]', LEADER.user);
  await page.fill('input[name="password"]', LEADER.pass);
  if (code !== undefined) await page.fill('input[name="code"]', code);
  await page.click('#login-submit');
}

async function story(ctx, errors) {
  const phone = await ctx.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  phone.on('pageerror', (e) => errors.push(String(e)));
  await phone.goto(`${base}/#/bao-mat`);
  await phone.waitForSelector('input[name="username"]');
  await signIn(phone);
  await phone.waitForSelector('#totp-start');
  check((await phone.textContent('main h1')) === 'Xác thực hai lớp', 'the page opens in Vietnamese');
  await shot(phone, 'totp-01-off-390');
  await phone.click('#totp-start');
  await phone.waitForSelector('#totp-qr');
  const secret = (await phone.textContent('#totp-secret')).replace(/\s/g, '');
  check(/^[A-Z2-7]{32}$/.test(secret), 'the secret is shown in base32', secret);
  const qr = await phone.$eval('#totp-qr', (img) => ({ w: img.naturalWidth, ok: img.complete }));
  check(qr.ok && qr.w > 0, 'the QR code image loads', JSON.stringify(qr));
  await shot(phone, 'totp-02-enrol-390');
  await phone.fill('#totp-code', '000000');
  await phone.click('#totp-confirm');
  await phone.waitForSelector('.field-error');
  check((await phone.textContent('.field-error')).includes('Mã xác thực không đúng'), 'a wrong code: a Vietnamese message at the field',
    await phone.textContent('.field-error'));
  const enrolStep = stepNow();
  await phone.fill('#totp-code', totp(secret, enrolStep));
  await phone.click('#totp-confirm');
  await phone.waitForSelector('#totp-codes');
  const codes = await phone.$$eval('#totp-codes code', (els) => els.map((e) => e.textContent));
  check(codes.length === 10 && codes.every((c) => /^[a-z2-9]{5}-[a-z2-9]{5}$/.test(c)), 'ten recovery codes', codes.join(' '));
  await shot(phone, 'totp-03-codes-390');

  // signed out, the form's code step
  // the sign-out's render (of #/bao-mat's sign-in form) and the desk's both draw a form: fill
  // the desk's, or a render landing after the fill replaces the form the story is using
  await phone.click('#logout');
  await phone.waitForSelector('#logout', { state: 'detached' });
  await phone.goto(`${base}/#/mot-cua`);
  await phone.waitForSelector('.view-desk input[name="username"]');
  check(await phone.isHidden('input[name="code"]'), 'the code field is hidden at first');
  await signIn(phone);
  await phone.waitForSelector('input[name="code"]', { state: 'visible' });
  const msg = await phone.textContent('.field-error');
  check(msg.includes('xác thực hai lớp'), 'the code step says why, in Vietnamese', msg);
  await shot(phone, 'totp-04-code-step-390');
  await phone.fill('input[name="code"]', '123456');
  await phone.click('#login-submit');
  await phone.waitForFunction(() => document.querySelector('.field-error')?.textContent.includes('không đúng'));
  check(await phone.isVisible('input[name="code"]'), 'a wrong code keeps the code step');
  // the server refuses a step already used (the enrolment's), and accepts one step ahead: the
  // next step after the enrolment's, or the current one if the clock has moved past it
  await phone.fill('input[name="code"]', totp(secret, Math.max(enrolStep + 1, stepNow())));
  await phone.click('#login-submit');
  await phone.waitForSelector('#logout');
  check(true, 'signed in with password and code');

  const desk = await ctx.newPage();
  await desk.setViewportSize({ width: 1366, height: 900 });
  desk.on('pageerror', (e) => errors.push(String(e)));
  await desk.goto(`${base}/#/bao-mat`);
  await desk.waitForSelector('#totp-state');
  check((await desk.textContent('#totp-state')).includes('đang bật'), 'the enrolled state', await desk.textContent('#totp-state'));
  check((await desk.textContent('main')).includes('Còn 10 mã khôi phục'), 'the recovery codes left');
  await shot(desk, 'totp-05-enrolled-1366');
  await desk.click('#logout');
  await desk.waitForSelector('#logout', { state: 'detached' });
  await desk.goto(`${base}/#/bao-mat`);
  await desk.waitForSelector('.view-security input[name="username"]');
  await signIn(desk);
  await desk.waitForSelector('input[name="code"]', { state: 'visible' });
  await shot(desk, 'totp-06-code-step-1366');
}

const { ctx, close } = await launch(exe);
const errors = [];
const outside = [];
ctx.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url()); });
await runStory(ctx, artifacts, () => story(ctx, errors), 'totp-failure');
check(!errors.length, 'no uncaught script error', errors.join(' | '));
check(!outside.length, 'no request left the server\'s origin', outside.join(' '));
await close();
finish();
