// reform.js — CCHC plans and tasks (docs/reform.md):
//   #/cai-cach                 the tasks owned in the user's unit and below, with the overdue and
//                              near-due lists (GET /api/reform/tasks) and the unit's plans
//   #/cai-cach/nhiem-vu/ID     one task: its fields, progress (rolled up from its child tasks
//                              when it has some), child tasks, history and comments; officers
//                              report progress, complete it or comment (POST …/tasks/ID/ACTION)
// The server's refusal (an illegal step, a missing reason, a parent's own progress) is shown
// next to the field it names.

import { api, session, allUnits, unitName } from './api.js';
import { h, tx, field, errorNotice, showError, clearErrors, busy, fmtDay, fmtInstant } from './dom.js';
import { t } from './i18n.js';
import { loginCard } from './login.js';

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

async function listPage(root) {
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
      tabs, body),
    h('div', { class: 'card', id: 'reform-plans' },
      tx('h2', 'reform.plans'),
      plans.plans.length
        ? h('ul', {}, plans.plans.map((p) => h('li', {}, `${p.title} — ${unitName(names, p.unit)} `,
          tx('span', 'reform.plan_tasks', { n: String(p.tasks) }, { class: 'muted' }))))
        : tx('p', 'reform.no_plan', null, { class: 'muted' })));
  show(groups.overdue.length ? 'overdue' : 'all');
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
  root.append(
    h('p', {}, h('a', { href: '#/cai-cach' }, tx('span', 'reform.back'))),
    h('div', { class: 'card' }, h('h1', { id: 'task-title' }, task.title), dl),
    h('div', { class: 'card', id: 'task-children' }, tx('h2', 'reform.children'),
      tasksTable('child-tasks', task.child_tasks, names)));
  if (WRITERS.includes(session.user.role)) root.append(actionForm(task, ctx.rerender));
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
    else await listPage(root);
  } catch (e) {
    root.append(errorNotice(e));
  }
}
