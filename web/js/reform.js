// reform.js — CCHC plans and tasks (docs/reform.md):
//   #/cai-cach                 the tasks owned in the user's unit and below, with the overdue and
//                              near-due lists (GET /api/reform/tasks) and the unit's plans
//                              specialists and leaders create the year's plan (POST
//                              /api/reform/plans) and add its tasks (POST /api/reform/tasks)
//   #/cai-cach/nhiem-vu/ID     one task: its fields, progress (rolled up from its child tasks
//                              when it has some), child tasks, history and comments; officers
//                              report progress, complete it or comment (POST …/tasks/ID/ACTION),
//                              and split it to units below the owner (a child task)
// The server's refusal (an illegal step, a missing reason, a parent's own progress) is shown
// next to the field it names.

import { api, session, allUnits, unitName, units as liveUnits } from './api.js';
import { h, tx, field, errorNotice, showError, clearErrors, busy, fmtDay, fmtInstant, todayVN, toast } from './dom.js';
import { t } from './i18n.js';
import { loginCard } from './login.js';
import { exportButtons } from './export.js';

const STAFF = ['desk_officer', 'specialist', 'leader', 'admin'];
const WRITERS = ['specialist', 'leader', 'admin'];
const enc = encodeURIComponent;
const taskHref = (id) => `#/cai-cach/nhiem-vu/${enc(id)}`;

function statusBadge(s) {
  return tx('span', `reform.st.${s}`, null, { class: `badge rf-${s}` });
}

function dueBadge(d) {
  return tx('span', `reform.due.${d}`, null, { class: `badge ${d === 'overdue' ? 'out-overdue' : d === 'near' ? 'st-paused' : 'st-returned'}` });
}

function progressCell(p) {
  return h('span', { class: 'rf-progress' },
    h('progress', { max: '100', value: String(p), 'aria-label': t('reform.progress') }), ` ${p}%`);
}

function tasksTable(id, tasks, names) {
  if (!tasks.length) return tx('p', 'reform.none', null, { class: 'muted', id: `${id}-empty` });
  return h('div', { class: 'table-wrap' }, h('table', { id },
    h('thead', {}, h('tr', {},
      tx('th', 'reform.task'), tx('th', 'reform.owner'), tx('th', 'reform.due'),
      tx('th', 'reform.status'), tx('th', 'reform.progress'))),
    h('tbody', {}, tasks.map((x) => h('tr', { 'data-id': String(x.id) },
      h('td', {}, h('a', { href: taskHref(x.id) }, x.title)),
      h('td', {}, unitName(names, x.owner)),
      h('td', {}, fmtDay(x.due), ' ', x.due_class === 'closed' ? null : dueBadge(x.due_class)),
      h('td', {}, statusBadge(x.status)),
      h('td', {}, progressCell(x.progress)))))));
}

async function listPage(root, ctx) {
  const unit = session.user.unit;
  const year = new Date().getFullYear();
  const [names, all, plans] = await Promise.all([
    allUnits(),
    api('GET', `/api/reform/tasks?unit=${enc(unit)}&year=${year}`),
    api('GET', `/api/reform/plans?unit=${enc(unit)}&year=${year}`),
  ]);
  const tasks = all.tasks;
  const groups = {
    overdue: tasks.filter((x) => x.due_class === 'overdue'),
    near: tasks.filter((x) => x.due_class === 'near'),
    all: tasks,
  };
  const body = h('div', { id: 'reform-tab' });
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const show = (name) => {
    tabs.querySelectorAll('[role="tab"]').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.tab === name)));
    body.replaceChildren(tasksTable('reform-tasks', groups[name], names));
  };
  for (const name of ['overdue', 'near', 'all']) {
    const b = h('button', { type: 'button', role: 'tab', id: `tab-${name}`, dataset: { tab: name }, onclick: () => show(name) },
      tx('span', `reform.tab.${name}`),
      h('span', { class: `count${name === 'overdue' && groups.overdue.length ? ' alert' : ''}` }, String(groups[name].length)));
    tabs.append(b);
  }
  root.append(
    h('div', { class: 'card' },
      tx('h1', 'reform.title', { year: String(year) }),
      tx('p', 'reform.lead', { unit: unitName(names, unit) }, { class: 'muted' }),
      h('p', {}, h('a', { href: '#/kiem-tra', id: 'to-inspections' }, tx('span', 'reform.to_inspections'))),
      tasks.length ? exportButtons(`/api/reform/tasks?unit=${enc(unit)}&year=${year}`, 'export-tasks') : null,
      tabs, body),
    h('div', { class: 'card', id: 'reform-plans' },
      tx('h2', 'reform.plans'),
      plans.plans.length
        ? h('ul', {}, plans.plans.map((p) => h('li', {}, `${p.title} — ${unitName(names, p.unit)} `,
          tx('span', 'reform.plan_tasks', { n: String(p.tasks) }, { class: 'muted' }))))
        : tx('p', 'reform.no_plan', null, { class: 'muted' })));
  show(groups.overdue.length ? 'overdue' : 'all');
  if (WRITERS.includes(session.user.role)) {
    const mine = plans.plans.find((p) => p.unit === unit);
    root.append(mine ? await taskForm({ plan: await api('GET', `/api/reform/plans/${enc(mine.id)}`), owners: await unitsBelow(unit), names, year })
      : planForm(unit, year, ctx.rerender));
  }
}

// The units a task may be given to: root and every unit below it today, root first.
async function unitsBelow(root) {
  const live = await liveUnits();
  const below = (code) => {
    for (let u = live.get(code); u; u = live.get(u.parent)) if (u.code === root) return true;
    return false;
  };
  return [...live.values()].filter((u) => below(u.code)).sort((a, b) => (a.code === root ? -1 : b.code === root ? 1 : a.code.localeCompare(b.code)));
}

function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const select = (name, options, value) => h('select', { name },
  options.map(([v, label]) => h('option', { value: v, selected: v === value ? true : null }, label)));

function planForm(unit, year, rerender) {
  const form = h('form', { class: 'card', id: 'plan-form', novalidate: true },
    tx('h2', 'reform.new_plan', { year: String(year) }), tx('p', 'reform.new_plan_text', null, { class: 'muted small' }));
  const ok = h('button', { type: 'submit', class: 'btn', id: 'plan-submit' }, tx('span', 'reform.new_plan', { year: String(year) }));
  form.append(h('div', { class: 'actions' }, ok));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(ok, async () => {
      try {
        await api('POST', '/api/reform/plans', { unit, year });
        toast('reform.plan_made', { year: String(year) });
        await rerender();
      } catch (e) {
        showError(form, e, { unit: 'plan', year: 'plan', set: 'plan' }, 'reform');
      }
    });
  });
  return form;
}

// A new task: top-level in opts.plan (its area picked from the plan's), or split from
// opts.parent (it keeps the parent's area, lies within its dates).
async function taskForm(opts) {
  const { plan, parent, owners, names } = opts;
  const today = todayVN();
  const form = h('form', { class: 'card', id: parent ? 'split-form' : 'task-form', novalidate: true },
    tx('h2', parent ? 'reform.split' : 'reform.new_task'),
    parent ? tx('p', 'reform.split_text', null, { class: 'muted small' }) : null);
  const title = h('input', { name: 'title', type: 'text', maxlength: '399', id: parent ? 'split-title' : 'task-title-in' });
  const area = parent ? null : select('area', plan.areas.map((a) => [a.code, `${a.code}. ${a.title}`]), plan.areas[0] && plan.areas[0].code);
  if (area) area.id = 'task-area';
  const owner = select('owner', owners.map((u) => [u.code, unitName(names, u.code)]), parent ? (owners[1] || owners[0] || {}).code : owners[0] && owners[0].code);
  owner.id = parent ? 'split-owner' : 'task-owner';
  const lead = h('input', { name: 'lead', type: 'text', maxlength: '63', autocomplete: 'name' });
  const product = h('input', { name: 'product', type: 'text', maxlength: '399' });
  const start = h('input', { name: 'start', type: 'date', value: parent ? (parent.start > today ? parent.start : today) : today });
  const due = h('input', { name: 'due', type: 'date', value: parent ? parent.due : addDays(today, 30) });
  if (parent) {
    start.min = parent.start;
    start.max = parent.due;
    due.min = parent.start;
    due.max = parent.due;
  }
  const weight = parent ? h('input', { name: 'weight', type: 'number', min: '1', max: '1000', step: '1', value: '1' }) : null;
  const ok = h('button', { type: 'submit', class: 'btn', id: parent ? 'split-submit' : 'task-submit' }, tx('span', 'reform.f.submit'));
  form.append(...[field('reform.f.title', title, { required: true }), area ? field('reform.f.area', area, { required: true }) : null,
    field('reform.f.owner', owner, { required: true }), field('reform.f.lead', lead), parent ? null : field('reform.f.product', product),
    h('div', { class: 'grid grid-2' }, field('reform.f.start', start, { required: true }), field('reform.f.due', due, { required: true })),
    weight ? field('reform.f.weight', weight) : null, h('div', { class: 'actions' }, ok)].filter(Boolean));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(ok, async () => {
      try {
        const body = { title: title.value.trim(), owner: owner.value, start: start.value, due: due.value };
        if (parent) body.parent = parent.id;
        else {
          body.plan = plan.id;
          body.area = area.value;
        }
        if (lead.value.trim()) body.lead = lead.value.trim();
        if (!parent && product.value.trim()) body.product = product.value.trim();
        if (weight && weight.value) body.weight = Number(weight.value);
        const x = await api('POST', '/api/reform/tasks', body);
        toast('reform.task_made', { id: String(x.id) });
        if (opts.rerender) await opts.rerender();
        else location.hash = taskHref(x.id);
      } catch (e) {
        showError(form, e, { plan: 'title', parent: 'title' }, 'reform');
      }
    });
  });
  return form;
}

function actionForm(task, rerender) {
  const closed = task.status === 'done' || task.status === 'cancelled';
  const form = h('form', { class: 'card', id: 'task-actions', novalidate: true });
  const note = h('textarea', { name: 'note', rows: '2', id: 'task-note' });
  const submit = async (button, action, body) => {
    clearErrors(form);
    await busy(button, async () => {
      try {
        await api('POST', `/api/reform/tasks/${enc(task.id)}/${action}`, body);
        await rerender();
      } catch (e) {
        showError(form, e, { progress: 'progress', note: 'note' }, 'reform');
      }
    });
  };
  form.append(tx('h2', 'reform.act'));
  if (!closed && !task.children) {
    const progress = h('input', { type: 'number', name: 'progress', min: '0', max: '99', step: '1', id: 'report-progress', value: String(task.progress) });
    const report = h('button', { type: 'button', class: 'btn', id: 'report-submit' }, tx('span', 'reform.report'));
    report.addEventListener('click', () => submit(report, 'report', { progress: Number(progress.value) }));
    form.append(field('reform.progress_pct', progress), h('div', { class: 'actions' }, report));
  }
  if (!closed) {
    const done = h('button', { type: 'button', class: 'btn ok', id: 'complete-submit' }, tx('span', 'reform.complete'));
    done.addEventListener('click', () => submit(done, 'complete', {}));
    form.append(h('div', { class: 'actions' }, done));
  }
  const comment = h('button', { type: 'button', class: 'btn secondary', id: 'comment-submit' }, tx('span', 'reform.comment'));
  comment.addEventListener('click', () => submit(comment, 'comment', { note: note.value }));
  form.append(field('reform.note', note), h('div', { class: 'actions' }, comment));
  return form;
}

async function taskPage(root, id, ctx) {
  const [names, task] = await Promise.all([allUnits(), api('GET', `/api/reform/tasks/${enc(id)}`)]);
  // the area's title comes with the plan, which a unit below the plan's may not open: then its code
  const plan = await api('GET', `/api/reform/plans/${enc(task.plan)}`).catch(() => null);
  const area = plan && plan.areas.find((a) => a.code === task.area);
  const dl = h('dl', { class: 'facts', id: 'task-facts' });
  const fact = (key, value, attrs) => dl.append(tx('dt', key), h('dd', attrs || {}, value));
  fact('reform.area', area ? `${area.code}. ${area.title}` : task.area);
  fact('reform.owner', unitName(names, task.owner));
  fact('reform.lead_officer', task.lead || '—');
  fact('reform.product', task.product || '—');
  fact('reform.start', fmtDay(task.start));
  fact('reform.due', [fmtDay(task.due), ' ', task.due_class === 'closed' ? null : dueBadge(task.due_class)]);
  fact('reform.status', statusBadge(task.status), { id: 'task-status' });
  fact('reform.progress', progressCell(task.progress), { id: 'task-progress', 'data-progress': String(task.progress) });
  if (task.done) fact('reform.done', fmtDay(task.done));
  if (task.children) fact('reform.rolled_up', tx('span', 'reform.rolled_up_text'));
  // the weak figure the task was made from (action tracker), with the value it showed then
  const fig = await api('GET', `/api/reform/actions?task=${enc(task.id)}&unit=${enc(session.user.unit)}`).then((r) => r.links[0]).catch(() => null);
  if (fig) {
    const href = fig.kind === 'par' ? `#/chi-so-cchc/${enc(fig.round)}/don-vi/${enc(fig.unit)}` : fig.kind === 'late' ? '#/viec-can-xu-ly' : '#/thong-ke';
    fact('reform.figure', [h('a', { href }, tx('span', `reform.fig.${fig.kind}`, { ref: (fig.ref || '').replace(/^group_/, ''), round: fig.round || '', unit: unitName(names, fig.unit) })),
      fig.value ? ` — ${fig.value}` : null], { id: 'task-figure' });
  }
  root.append(
    h('p', {}, h('a', { href: '#/cai-cach' }, tx('span', 'reform.back'))),
    h('div', { class: 'card' }, h('h1', { id: 'task-title' }, task.title), dl),
    h('div', { class: 'card', id: 'task-children' }, tx('h2', 'reform.children'),
      tasksTable('child-tasks', task.child_tasks, names)));
  if (WRITERS.includes(session.user.role)) root.append(actionForm(task, ctx.rerender));
  // a writer whose scope covers the owner may split the task to a unit below it
  const live = await liveUnits().catch(() => new Map());
  if (WRITERS.includes(session.user.role) && task.status !== 'done' && task.status !== 'cancelled' && live.has(task.owner)) {
    const owners = await unitsBelow(task.owner);
    if (owners.length > 1) root.append(await taskForm({ parent: task, owners, names, rerender: ctx.rerender }));
  }
  root.append(h('div', { class: 'card', id: 'task-history' }, tx('h2', 'reform.history'),
    h('ol', {}, task.history.map((ev) => h('li', {},
      `${fmtInstant(ev.at)} — ${ev.actor}: `, tx('span', `reform.ev.${ev.action}`), ` → `, statusBadge(ev.to),
      ` ${ev.progress}%`, ev.note ? h('q', {}, ev.note) : null)))));
}

export default async function reform(root, params, ctx) {
  if (!session.user) return loginCard(root, ctx, 'login.for_reform');
  if (!STAFF.includes(session.user.role)) {
    root.append(h('div', { class: 'notice warn' }, tx('span', 'reform.not_staff')));
    return;
  }
  try {
    if (params.task) await taskPage(root, params.task, ctx);
    else await listPage(root, ctx);
  } catch (e) {
    root.append(errorNotice(e));
  }
}
