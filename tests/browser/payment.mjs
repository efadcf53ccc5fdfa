// payment.mjs — online payment in a real browser (t-payment.sh starts the server with its test
// provider and receives two dossiers with a fixed fee). At a phone's width (390 px):
// 1. the citizen looks dossier 1 up, sees the fee and "Thanh toán trực tuyến", goes to the
//    provider's page "Cổng thanh toán thử nghiệm", pays, and closes the tab on the provider's
//    "success" page, before it sends them back; in a new tab the lookup shows the fee paid and
//    the receipt, which opens with its number;
// 2. for dossier 2 the payer ticks "lose the callback", pays and lets the provider send them
//    back: the return page asks the provider (status query) and shows the payment paid.
// No page shows an untranslated key, "null" or a "(verify)" note.
// Usage: node payment.mjs BASE_URL ARTIFACT_DIR CHROMIUM CODE1 CODE2 PHONE FEE
import path from 'node:path';
import { parseArgs, check, finish, launch, runStory, screens } from './lib.mjs';

const { base, artifacts, exe, rest: [code1, code2, phone, fee] } = parseArgs('payment.mjs');
const RAW = '\\b(?:payment|citizen|nav)\\.[a-z]';
const vnd = (n) => Number(n).toLocaleString('vi-VN');

async function lookup(page, code) {
  await page.goto(`${base}/#/tra-cuu`);
  await page.fill('input[name="code"]', code);
  await page.fill('input[name="phone"]', phone);
  await page.click('#lookup-submit');
  await page.waitForSelector('#result-title');
}

const { ctx, close } = await launch(exe, { viewport: { width: 390, height: 844 } });
await runStory(ctx, artifacts, async () => {
  let page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await lookup(page, code1);
  await page.waitForSelector('#payment-card:not([hidden]) #pay-online');
  const card = await page.locator('#payment-card').innerText();
  check(card.includes('Thanh toán phí, lệ phí trực tuyến') && card.includes(`${vnd(fee)} đồng`), 'the fee and the button on the lookup page', card);
  await screens(page, artifacts, 'payment-fee', RAW, [1366, 390]);
  await Promise.all([page.waitForURL(/\/pay\/TP/), page.click('#pay-online')]);
  check((await page.title()) === 'Cổng thanh toán thử nghiệm', 'the provider page', await page.title());
  check((await page.locator('#tp-amount').innerText()).includes(vnd(fee)), 'the amount on the provider page');
  await page.click('#tp-pay');
  await page.waitForSelector('#tp-result');
  check((await page.locator('#tp-result').innerText()) === 'Giao dịch thành công.', 'the provider says paid');
  await page.close(); // before the provider sends the payer back (3 s)
  page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await lookup(page, code1);
  await page.waitForSelector('#payment-paid');
  check(true, 'after the closed tab, the lookup shows the fee paid');
  const link = page.locator('#payment-list .receipt-link').first();
  const no = (await link.innerText()).replace('Biên lai số ', '');
  check(/^BL-\d{4}-0000001$/.test(no), 'receipt number 1 of the unit and year', no);
  check((await page.locator('#pay-online').count()) === 0, 'no payment button once paid');
  await screens(page, artifacts, 'payment-paid', RAW, [1366, 390]);
  const [receipt] = await Promise.all([ctx.waitForEvent('page'), link.click()]);
  await receipt.waitForSelector('#receipt-no');
  check((await receipt.locator('#receipt-no').innerText()) === no, 'the receipt opens with its number');
  check((await receipt.locator('h1').innerText()) === 'BIÊN LAI THU PHÍ, LỆ PHÍ ĐIỆN TỬ', 'the receipt title');
  await receipt.screenshot({ path: path.join(artifacts, 'payment-390-receipt.png'), fullPage: true });
  await receipt.close();

  // 2. the callback is lost; the payer comes back and the status query settles it
  await lookup(page, code2);
  await page.waitForSelector('#payment-card:not([hidden]) #pay-online');
  await Promise.all([page.waitForURL(/\/pay\/TP/), page.click('#pay-online')]);
  await page.check('#tp-lose');
  await page.click('#tp-pay');
  await page.waitForSelector('#tp-callback');
  check((await page.locator('#tp-callback').innerText()).startsWith('Không gửi thông báo'), 'the provider lost the callback');
  await page.waitForURL(/thanh_toan=/, { timeout: 15000 });
  const settled = await page.waitForSelector('#payment-outcome[data-status="paid"]', { timeout: 15000 }).then(() => true, () => false);
  if (!check(settled, 'back from the provider, the status query settles the payment', await page.locator('main').innerText())) {
    await page.screenshot({ path: path.join(artifacts, 'payment-390-return-failed.png'), fullPage: true });
    throw new Error('not settled');
  }
  check((await page.locator('#payment-receipt').innerText()).endsWith('0000002'), 'receipt number 2');
  await screens(page, artifacts, 'payment-return', RAW, [1366, 390]);
  check(errors.length === 0, 'no script errors', JSON.stringify(errors));
}, 'payment-failure');
await close();
finish();
