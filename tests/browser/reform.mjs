// reform.mjs — the CCHC plan pages in the browser (t-reform.sh starts the demo): the province's
// administrator adds a task to the province's plan and splits it to Mỹ Tho (due in 3 days) and
// Cao Lãnh, reporting Cao Lãnh's part at 20 %; Mỹ Tho's leader finds the ward's task among the
// near-due ones, reports 60 % on it; the administrator sees 40 % rolled up from the two wards'
// 60 % and 20 %, the parent taking no report of its own; from the dashboard's 766 ranking the
// administrator makes a task for a unit of the weak half, which then shows beside the figure,
// names its figure on its page, and the leaders' page (#/viec-can-xu-ly) lists what is late;
// the ward leader reads the reminders the server's sweep wrote and gives an e-mail for them.
// Every page at 390 and 1366 px, in Vietnamese, without raw keys, "null" or "(verify)". The ids
// go to ARTIFACTS/ids.txt for the shell to check the store.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, check, finish, launch, runStory, signIn as libSignIn, rawWords, shots as libShots } from './lib.mjs';

const { base, artifacts, exe } = parseArgs('reform.mjs');
const day = (n) => new Date(Date.now() + 7 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
const signIn = (page, hash, user, pass) => libSignIn(page, base, hash, user, pass);

// No raw key, null or (verify) on a Vietnamese page.
async function clean(page, what) {
  const bad = await rawWords(page, ['null', 'undefined', '(verify)', 'reform.', 'in_progress', 'agenda.', 'action.', 'group_']);
  check(!bad.length, `${what}: no raw text`, bad.join(', '));
}

const shots = (page, name) => libShots(page, artifacts, name, [1366, 390], { width: 1366, height: 900 });

// A child task on the task page's split form; its id from the children's table.
async function split(page, owner, title, due) {
  const before = await page.$$eval('#child-tasks tbody tr', (rows) => rows.map((r) => r.dataset.id));
  await page.fill('#split-title', title);
  await page.selectOption('#split-owner', owner);
  await page.fill('#split-form input[name="due"]', due);
  await page.click('#split-submit');
  await page.waitForFunction((n) => document.querySelectorAll('#child-tasks tbody tr').length > n, before.length);
  const after = await page.$$eval('#child-tasks tbody tr', (rows) => rows.map((r) => r.dataset.id));
  return after.find((id) => !before.includes(id));
}

async function story(ctx) {
  const page = ctx.pages()[0] || (await ctx.newPage());
  // the province: a task of the plan, added on the page, then split to two wards
  await signIn(page, '#/cai-cach', 'admin', 'demo-admin-2025');
  await page.waitForSelector('#task-form');
  // the tasks table exports: the Excel link answers a workbook with the task file's name
  const xl = await page.getAttribute('#export-tasks-xlsx', 'href');
  const xr = await page.request.get(`${base}${xl}`);
  check(xr.status() === 200 && (xr.headers()['content-disposition'] || '').includes('nhiem-vu-cchc-DT-') && (await xr.body()).subarray(0, 2).toString() === 'PK',
    'the tasks table offers "Xuất Excel", which downloads the tasks as a workbook', `${xl} ${xr.status()} ${xr.headers()['content-disposition']}`);
  check(await page.isVisible('#export-tasks-pdf'), 'and "Xuất PDF"');
  await page.fill('#task-title-in', 'Công khai thủ tục hành chính trên Cổng dịch vụ công');
  await page.selectOption('#task-area', '3');
  await page.selectOption('#task-owner', 'DT');
  await page.fill('#task-form input[name="lead"]', 'Trần Thị Mai');
  await page.fill('#task-form input[name="start"]', day(-30));
  await page.fill('#task-form input[name="due"]', day(20));
  // a due day before the start is refused beside the field, in Vietnamese, and adds nothing
  await page.fill('#task-form input[name="due"]', day(-31));
  await page.click('#task-submit');
  await page.waitForSelector('#task-form .field-error, #task-form .form-error');
  check((await page.textContent('#task-form')).includes('Hạn hoàn thành sớm hơn ngày bắt đầu'), 'a due day before the start is refused in Vietnamese',
    await page.textContent('#task-form .form-error, #task-form .field-error'));
  await shots(page, 'reform-new-task');
  await page.fill('#task-form input[name="due"]', day(20));
  await page.click('#task-submit');
  await page.waitForSelector('#split-form');
  const TOP = /nhiem-vu\/(\d+)/.exec(page.url())[1];
  check(!!TOP, 'the new task opens on its page', page.url());
  const MYTHO = await split(page, 'DT.MYTHO', 'Phường Mỹ Tho công khai TTHC', day(3));
  const CAOLANH = await split(page, 'DT.CAOLANH', 'Phường Cao Lãnh công khai TTHC', day(15));
  check(MYTHO && CAOLANH && MYTHO !== CAOLANH, 'two child tasks made on the split form', `${MYTHO} ${CAOLANH}`);
  await clean(page, 'new province task');
  await shots(page, 'reform-split');
  await page.goto(`${base}/#/cai-cach/nhiem-vu/${CAOLANH}`);
  await page.waitForSelector('#report-progress');
  await page.fill('#report-progress', '20');
  await page.click('#report-submit');
  await page.waitForSelector('#task-progress[data-progress="20"]');

  // the ward leader: the ward's part among its tasks (due in 3 days: near due)
  await signIn(page, '#/cai-cach', 'lanhdao.mytho', 'demo-lanhdao-2025');
  await page.waitForSelector('#reform-tasks, #reform-tasks-empty');
  await page.click('#tab-near');
  const near = await page.$$eval('#reform-tasks tbody tr', (rows) => rows.map((r) => r.dataset.id));
  check(near.includes(MYTHO), 'the ward task is in the near-due list', JSON.stringify(near));
  check(!near.includes(CAOLANH), "another ward's task is not listed", JSON.stringify(near));
  await clean(page, 'task list');
  await shots(page, 'reform-list');
  await page.click(`#reform-tasks tr[data-id="${MYTHO}"] a`);
  await page.waitForSelector('#report-progress');
  await page.fill('#report-progress', '60');
  await page.click('#report-submit');
  await page.waitForSelector('#task-progress[data-progress="60"]');
  check((await page.textContent('#task-status')).includes('Đang thực hiện'), 'the ward task is in progress');
  check((await page.textContent('#task-history')).includes('báo cáo tiến độ'), 'the report is in the history');
  // a refused value is shown beside the field, in Vietnamese
  await page.fill('#report-progress', '100');
  await page.click('#report-submit');
  await page.waitForSelector('.field-error');
  check((await page.textContent('.field-error')).includes('Hoàn thành'), 'progress 100 is refused with the way to complete',
    await page.textContent('.field-error'));
  await shots(page, 'reform-ward-task');

  // the province: the task rolled up from both wards
  await signIn(page, `#/cai-cach/nhiem-vu/${TOP}`, 'admin', 'demo-admin-2025');
  await page.waitForSelector('#task-progress');
  const p = await page.getAttribute('#task-progress', 'data-progress');
  check(p === '40', 'the province task shows (60 + 20) / 2 = 40 %', p);
  const kids = await page.$$eval('#child-tasks tbody tr', (rows) => rows.map((r) => r.dataset.id + ':' + r.querySelector('progress').value));
  check(kids.join(' ') === `${MYTHO}:60 ${CAOLANH}:20`, 'both wards\' parts with their progress', kids.join(' '));
  check(!(await page.$('#report-progress')), 'the province task takes no report of its own');
  await clean(page, 'province task');
  await shots(page, 'reform-province-task');

  // the action tracker: a task from the 766 ranking's weak half, shown beside the figure
  await page.goto(`${base}/#/thong-ke`);
  await page.waitForSelector('#index-table .action-make');
  const row = page.locator('#index-table tbody tr', { has: page.locator('.action-make') }).last();
  const unit = await row.getAttribute('data-unit');
  await row.locator('.action-make').click();
  await row.locator('.action-form input[name="title"]').waitFor();
  const proposed = await row.locator('.action-form input[name="title"]').inputValue();
  check(proposed.startsWith('Cải thiện điểm “'), 'the form proposes the weakest group', proposed);
  await shots(page, 'action-form');
  await row.locator('.action-form button[type="submit"]').click();
  await row.locator('.action-chip').waitFor();
  const FIG = await row.locator('.action-chip').first().getAttribute('data-task');
  check(/^\d+$/.test(FIG || ''), `a task made for ${unit} shows beside its figure`, FIG);
  await page.goto(`${base}/#/cai-cach/nhiem-vu/${FIG}`);
  await page.waitForSelector('#task-figure');
  check((await page.textContent('#task-figure')).includes('Nhóm chỉ số'), 'the task names the figure it answers', await page.textContent('#task-figure'));
  await clean(page, 'task from a figure');

  // the leaders' page: the late work of the province together
  await page.goto(`${base}/#/viec-can-xu-ly`);
  await page.waitForSelector('#agenda-kpis');
  const n = await page.getAttribute('#agenda-tasks .agenda-count', 'data-count');
  check(Number(n) >= 1, "the demo's overdue tasks are on the leaders' page", n);
  check(await page.isVisible('#agenda-remedies'), "open remedies have their section");
  await clean(page, "leaders' page");
  await shots(page, 'agenda');

  // the ward leader's reminders: the demo's overdue work of Mỹ Tho and of its desk (escalated),
  // written by the server's sweep at start; read them all, then give an e-mail for them
  await signIn(page, '#/viec-can-xu-ly', 'lanhdao.mytho', 'demo-lanhdao-2025');
  await page.waitForSelector('#agenda-reminders');
  const unread = Number(await page.getAttribute('#remind-unread', 'data-count'));
  check(unread >= 1 && (await page.locator('#remind-list .remind-item.unread').count()) === unread,
    'the ward leader has unread reminders', unread);
  check((await page.locator('#remind-list .badge.remind-escalated').count()) >= 1,
    "an overdue task of the ward's desk is escalated to the ward's leader");
  await clean(page, 'reminders');
  await page.click('#remind-read-all');
  await page.waitForSelector('#remind-unread[data-count="0"]');
  check((await page.locator('#remind-list .remind-item.unread').count()) === 0, 'all read');
  await page.click('.remind-contact-box summary');
  await page.fill('#remind-contact input[name="email"]', 'khong-phai-thu');
  await page.click('#remind-contact-save');
  await page.waitForSelector('#remind-contact .field-error');
  check((await page.textContent('#remind-contact .field-error')).includes('thư điện tử'), 'a bad e-mail is refused beside its field',
    await page.textContent('#remind-contact .field-error'));
  await page.fill('#remind-contact input[name="email"]', 'LanhDao.MyTho@Example.vn');
  await page.click('#remind-contact-save');
  await page.waitForFunction(() => document.querySelector('#remind-contact input[name="email"]').value === 'lanhdao.mytho@example.vn');
  await clean(page, 'reminder contact');
  await shots(page, 'reminders');
  fs.writeFileSync(path.join(artifacts, 'ids.txt'), `top=${TOP}\nfigure=${FIG}\n`);
}

const { ctx, close } = await launch(exe, { viewport: { width: 1366, height: 900 } });
await runStory(ctx, artifacts, () => story(ctx));
await close();
finish();
