// units-admin.mjs — the units page of the administrator (t-units-admin.sh starts the demo): at
// a desktop's width (1366 px) and a phone's (390 px) the province's administrator opens
// #/quan-tri, follows the link to #/quan-tri/don-vi, sees the units of the province; a unit
// code with a space is refused in Vietnamese next to the code, then the unit is added (1366 px:
// and edited, the log saying who changed what); a merger is recorded — two wards end tomorrow
// (their one-stop desks ticked with them) into a new ward at 1366 px, one ward into an existing
// one at 390 px — and listed in the merger history with the successor. Every screen is checked
// for raw keys, null/undefined, "(verify)" and anything wider than the screen.
// Usage: node units-admin.mjs BASE_URL ARTIFACT_DIR [CHROMIUM]
import { parseArgs, check, finish, launch, runStory, signIn, shot } from './lib.mjs';

const { base, artifacts, exe } = parseArgs('units-admin.mjs');
const RAW = '\\b(?:ua|admin|err|nav)\\.[a-z]';
const tomorrow = new Date(Date.now() + 31 * 3600e3).toISOString().slice(0, 10);

async function at(ctx, width, story) {
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => d.accept());
  await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
  await signIn(page, base, '#/quan-tri', 'admin', 'demo-admin-2025');
  await page.waitForSelector('#admin-units');
  check(await page.locator('#admin-units').isVisible(), `${width}: the link to the units page`);
  await page.click('#admin-units');
  await page.waitForSelector('#ua-tree tbody tr');
  check((await page.locator('h1').innerText()) === 'Đơn vị hành chính và sáp nhập', `${width}: the title in Vietnamese`);
  check(await page.locator('#ua-tree tr[data-unit="DT.MYTHO"]').count() === 1, `${width}: the province's wards listed`);
  await shot(page, artifacts, `units-${width}-page`, RAW);
  await story(page);
  check(!errors.length, `${width}: no script error`, errors.join('; '));
  await page.close();
}

// Adds unit code (refused first with a space in its code).
async function addUnit(page, width, code, name) {
  const f = '#ua-add';
  await page.fill(`${f} [name="code"]`, `${code} X`);
  await page.fill(`${f} [name="name"]`, name);
  await page.selectOption(`${f} [name="kind"]`, 'agency');
  await page.selectOption(`${f} [name="parent"]`, 'DT.MYTHO');
  await page.click('#ua-add-save');
  await page.waitForSelector(`${f} .field-error`);
  const err = await page.locator(`${f} .field-error`).innerText();
  const near = await page.locator(`${f} .field-error`).evaluate((el) => el.closest('.field').querySelector('input, select').name);
  check(near === 'code' && /^Mã đơn vị “.+ X” chỉ gồm chữ cái không dấu/.test(err), `${width}: a code with a space refused next to it`, `${near}: ${err}`);
  await page.locator(`${f} .field-error`).scrollIntoViewIfNeeded();
  await shot(page, artifacts, `units-${width}-refused`, RAW);
  await page.fill(`${f} [name="code"]`, code);
  await page.click('#ua-add-save');
  await page.waitForSelector(`#ua-tree tr[data-unit="${code}"]`);
  check(/Đã thêm đơn vị/.test(await page.locator('#toast').innerText()), `${width}: the unit is added`);
}

// Ticks `ending` (their units below come along), picks the successor and records the merger.
async function merge(page, width, ending, below, successor) {
  const f = '#ua-merge';
  for (const c of ending) await page.check(`${f} input[name="units"][value="${c}"]`);
  for (const c of below) check(await page.isChecked(`${f} input[name="units"][value="${c}"]`), `${width}: ${c} ticked with the unit above it`);
  await page.fill(`${f} [name="effective"]`, tomorrow);
  if (successor.existing) {
    await page.check(`${f} input[name="succ_mode"][value="existing"]`);
    await page.selectOption(`${f} [name="successor"]`, successor.existing);
  } else {
    await page.fill(`${f} [name="successor_new.code"]`, successor.code);
    await page.fill(`${f} [name="successor_new.name"]`, successor.name);
    await page.selectOption(`${f} [name="successor_new.kind"]`, 'ward');
    await page.selectOption(`${f} [name="successor_new.parent"]`, 'DT');
  }
  await page.locator('#ua-merge-save').scrollIntoViewIfNeeded();
  await shot(page, artifacts, `units-${width}-merger-form`, RAW);
  await page.click('#ua-merge-save');
  await page.waitForSelector(`#ua-ended tr[data-unit="${ending[0]}"]`);
  check(/Đã ghi nhận sáp nhập/.test(await page.locator('#toast').innerText()), `${width}: the merger is recorded`, await page.locator('#toast').innerText());
  const succName = successor.name;
  for (const c of [...ending, ...below]) {
    const row = await page.locator(`#ua-ended tr[data-unit="${c}"]`).innerText();
    check(row.includes(succName), `${width}: ${c} in the merger history with its successor`, row);
  }
  await page.locator('#ua-ended').scrollIntoViewIfNeeded();
  await shot(page, artifacts, `units-${width}-merged`, RAW);
}

const { ctx, close } = await launch(exe);
await runStory(ctx, artifacts, async () => {
  await at(ctx, 1366, async (page) => {
    // the 2025 merger's history: the old Tiền Giang wards ended on 30/06/2025 into Mỹ Tho
    const before = await page.locator('#ua-ended tr[data-unit="TG0.MYTHO.P1"]').innerText();
    check(/30\/06\/2025/.test(before) && /Phường Mỹ Tho/.test(before), '1366: the merger history shows the 2025 mergers into the scope', before);
    await addUnit(page, 1366, 'DT.MYTHO.TN', 'Tổ tiếp nhận Mỹ Tho');
    // edit: the name; the log says who changed what
    await page.selectOption('#ua-edit-unit', 'DT.MYTHO.TN');
    await page.waitForSelector('#ua-log-list li');
    await page.fill('#ua-edit-name', 'Tổ tiếp nhận và trả kết quả Mỹ Tho');
    await page.click('#ua-edit-save');
    await page.waitForSelector('#ua-tree tr[data-unit="DT.MYTHO.TN"]:has-text("Tổ tiếp nhận và trả kết quả Mỹ Tho")');
    await page.waitForSelector('#ua-log-list li:has-text("sửa tên")');
    check(/admin: sửa tên/.test(await page.locator('#ua-log-list').innerText()), '1366: the log names who changed what');
    await merge(page, 1366, ['DT.GOCONG', 'DT.CAILAY'], ['DT.GOCONG.MC', 'DT.CAILAY.MC'], { code: 'DT.GCCL', name: 'Phường Gò Công – Cai Lậy' });
  });
  await at(ctx, 390, async (page) => {
    await addUnit(page, 390, 'DT.MYTHO.TN2', 'Tổ tiếp nhận số 2');
    await merge(page, 390, ['DT.HONGNGU'], ['DT.HONGNGU.MC'], { existing: 'DT.SADEC', name: 'Phường Sa Đéc' });
  });
}, 'units-admin-failure');
await close();
finish();
