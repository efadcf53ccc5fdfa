// calendar.mjs — the calendar page of the administrator (t-calendar.sh starts the demo): at a
// desktop's width (1366 px) and a phone's (390 px) the administrator opens #/quan-tri, follows
// the link to the calendar, sees twelve month grids where weekends, holidays, swapped days off
// and worked Saturdays differ (colour and border) with a legend; at 1366 px a swap whose
// "worked instead" day is a weekday is refused in Vietnamese next to that field, then the
// decision is recorded with a Saturday, listed with its citation and drawn as a swap. Every
// page is checked for untranslated keys, null/undefined, "(verify)" and sideways scrolling.
// Usage: node calendar.mjs BASE_URL ARTIFACT_DIR [CHROMIUM]
import path from 'node:path';
import { chromium } from 'playwright-core';
import { parseArgs, check, finish, signIn as libSignIn } from './lib.mjs';

const { base, artifacts, exe } = parseArgs('calendar.mjs');
const signIn = (page, hash) => libSignIn(page, base, hash, 'admin', 'demo-admin-2025');

async function problems(page) {
  return page.evaluate(() => {
    const out = [];
    const text = document.body.innerText;
    for (const m of text.matchAll(/\b(?:cal|admin|nav|err)\.[a-z][a-z0-9_.-]*\b/g)) out.push(`untranslated key "${m[0]}"`);
    for (const m of text.matchAll(/(^|[\s(:,])(null|undefined|NaN)(?=$|[\s),.;])/g)) out.push(`literal "${m[2]}"`);
    if (/\bverify\b/i.test(text)) out.push('a "(verify)" note');
    const vw = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > vw + 1) out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${vw})`);
    return out;
  });
}

// A working day at least 10 days ahead and the first Saturday after it, from the API.
async function days(page) {
  const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
  const y = Number(today.slice(0, 4));
  const all = [];
  for (const yy of [y, y + 1]) all.push(...(await (await page.request.get(`${base}/api/calendar/${yy}`)).json()).days);
  const ahead = new Date(Date.parse(today) + 10 * 86400e3).toISOString().slice(0, 10);
  const off = all.find((d) => d.date >= ahead && d.kind === 'work');
  const sat = all.find((d) => d.date > off.date && d.kind === 'weekend' && new Date(`${d.date}T00:00Z`).getUTCDay() === 6);
  const weekday = all.find((d) => d.date > sat.date && d.kind === 'work');
  return { today, off: off.date, sat: sat.date, weekday: weekday.date };
}

async function at(browser, width, edit) {
  const ctx = await browser.newContext({ locale: 'vi-VN' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
  await signIn(page, '#/quan-tri');
  await page.waitForSelector('#admin-calendar');
  check(await page.locator('#admin-calendar').isVisible(), `${width}: the link to the calendar page`);
  await page.click('#admin-calendar');
  await page.waitForSelector('.cal-month');
  check((await page.locator('h1').innerText()) === 'Lịch làm việc và ngày nghỉ', `${width}: the title in Vietnamese`);
  check((await page.locator('.cal-month').count()) === 12, `${width}: twelve months`);
  // 2026 (the shipped decision file): 2/9 a holiday, 31/8 swapped, Saturday 22/8 worked
  await page.goto(`${base}/#/quan-tri/lich?nam=2026`);
  await page.waitForSelector('.cal-day[data-date="2026-09-02"]');
  const kinds = {};
  for (const [k, date] of [['work', '2026-09-03'], ['weekend', '2026-09-05'], ['holiday', '2026-09-02'], ['swap', '2026-08-31'], ['workday', '2026-08-22'], ['compensatory', '2026-04-27']]) {
    const cell = page.locator(`.cal-day[data-date="${date}"]`);
    kinds[k] = await cell.evaluate((el) => { const s = getComputedStyle(el); return `${el.dataset.kind}|${s.backgroundColor}|${s.borderTopStyle}`; });
    check(kinds[k].startsWith(`${k}|`), `${width}: ${date} is drawn as ${k}`, kinds[k]);
  }
  const looks = new Set(Object.values(kinds).map((v) => v.split('|').slice(1).join('|')));
  check(looks.size === 6, `${width}: the six kinds of day look different`, JSON.stringify(kinds));
  check((await page.locator('#cal-legend li').count()) === 7, `${width}: the legend names every kind`);
  const title = await page.locator('.cal-day[data-date="2026-08-31"]').getAttribute('title');
  check(/Nghỉ hoán đổi/.test(title) && /Thông báo 9441\/TB-BNV/.test(title), `${width}: a swapped day names its decision`, title);
  check(await page.locator('#cal-days tr[data-date="2026-09-02"]').count() === 1, `${width}: the list of days off`);
  let p = await problems(page);
  check(!p.length, `${width}: the year as drawn`, p.join('; '));
  await page.screenshot({ path: path.join(artifacts, `calendar-${width}-year.png`), fullPage: true });
  await page.locator('.cal-month').nth(7).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(artifacts, `calendar-${width}-months.png`) });
  const box = await page.locator('.cal-month').first().boundingBox();
  check(box && box.width <= width, `${width}: a month fits the screen`, JSON.stringify(box));
  if (edit) {
    const d = await days(page);
    await page.fill('#cal-form [name="citation"]', 'Thông báo 9001/TB-BNV ngày thử nghiệm');
    await page.fill('#cal-form [name="issuer"]', 'Bộ Nội vụ');
    await page.fill('#cal-form [name="signed_on"]', d.today);
    await page.selectOption('#cal-form [name="changes[0].kind"]', 'swap');
    await page.fill('#cal-form [name="changes[0].day"]', d.off);
    await page.fill('#cal-form [name="changes[0].work_day"]', d.weekday);
    await page.fill('#cal-form [name="changes[0].name"]', 'Nghỉ hoán đổi thử nghiệm');
    await page.click('#cal-save');
    await page.waitForSelector('#cal-form .field-error');
    const err = await page.locator('#cal-form .field-error').innerText();
    const near = await page.locator('#cal-form .field-error').evaluate((el) => el.closest('.field').querySelector('input').name);
    check(near === 'changes[0].work_day' && /thứ Bảy hoặc Chủ nhật/.test(err), `${width}: a weekday worked instead is refused next to its field`, `${near}: ${err}`);
    await page.screenshot({ path: path.join(artifacts, `calendar-${width}-refused.png`), fullPage: true });
    await page.fill('#cal-form [name="changes[0].work_day"]', d.sat);
    await page.click('#cal-save');
    await page.waitForSelector('#toast .notice');
    check(/Đã ghi văn bản Thông báo 9001\/TB-BNV/.test(await page.locator('#toast').innerText()), `${width}: the decision is recorded`);
    await page.waitForSelector('#cal-dec-table tbody tr');
    check(/Thông báo 9001\/TB-BNV/.test(await page.locator('#cal-dec-table').innerText()), `${width}: listed with its citation`);
    await page.waitForSelector(`.cal-day.cal-swap.cal-db[data-date="${d.off}"]`);
    await page.waitForSelector(`.cal-day.cal-workday.cal-db[data-date="${d.sat}"]`);
    check(true, `${width}: ${d.off} drawn as swapped, ${d.sat} as worked`);
    p = await problems(page);
    check(!p.length, `${width}: the page after recording`, p.join('; '));
    await page.screenshot({ path: path.join(artifacts, `calendar-${width}-recorded.png`), fullPage: true });
  }
  await page.screenshot({ path: path.join(artifacts, `calendar-${width}.png`) });
  check(!errors.length, `${width}: no script error`, errors.join('; '));
  await ctx.close();
}

const browser = await chromium.launch({
  executablePath: exe,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  await at(browser, 1366, true);
  await at(browser, 390, false);
} catch (e) {
  check(false, 'the run', e.stack);
} finally {
  await browser.close();
}
finish();
