// action.js — the action tracker on the pages that show figures (docs/reform.md "Action
// tracker"): beside a weak figure (a PAR criterion below its maximum, a Decision 766 group
// losing points, a unit's late dossiers) the tasks made from it, with their progress, and for
// leaders a button that makes one (POST /api/reform/actions). The task goes into the leader's
// unit's CCHC plan, owned by the figure's unit; the button's form asks for what a leader
// decides — what to do, by when, who leads it — and prefills the rest.

import { api, session } from './api.js';
import { h, tx, field, showError, clearErrors, busy, fmtDay, todayVN, toast } from './dom.js';
import { t } from './i18n.js';

const enc = encodeURIComponent;
export const ACTORS = ['leader', 'admin'];
export const canAct = () => !!session.user && ACTORS.includes(session.user.role);

const key = (kind, unit, round, ref) => `${kind}|${unit}|${round || ''}|${ref || ''}`;

// The links of a unit's subtree as a Map from figure to its tasks; an empty Map when the
// server has no tracker or the request fails (the figures still show).
export async function loadActions(params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v));
  try {
    const r = await api('GET', `/api/reform/actions?${q}`);
    const m = new Map();
    for (const l of r.links) {
      const k = key(l.kind, l.unit, l.round, l.ref);
      m.set(k, [...(m.get(k) || []), l]);
    }
    return m;
  } catch {
    return new Map();
  }
}

export function linksFor(map, kind, unit, round, ref) {
  return (map && map.get(key(kind, unit, round, ref))) || [];
}

function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// One task made from the figure: its title (to the task), progress and due class.
function chip(l) {
  const x = l.task;
  const cls = x.status === 'done' ? 'rf-done' : x.due_class === 'overdue' ? 'out-overdue' : 'st-returned';
  return h('a', { class: `badge action-chip ${cls}`, href: `#/cai-cach/nhiem-vu/${enc(x.id)}`, dataset: { task: String(x.id) },
    title: `${x.title} — ${t('action.due', { day: fmtDay(x.due) })}` },
  tx('span', 'action.chip', { progress: String(x.progress) }),
  x.status === 'done' ? [' ', tx('span', 'reform.st.done')] : x.due_class === 'overdue' ? [' ', tx('span', 'reform.due.overdue')] : null);
}

// The figure's tasks and, for leaders, the button making one. fig: {kind, unit, round?, ref?,
// value?, title (the proposed task title)}; onMade(link) after a task is made.
export function actionBox(map, fig, onMade, opts = {}) {
  const box = h('span', { class: 'action-box', dataset: { kind: fig.kind, unit: fig.unit, ref: fig.ref || '' } });
  const draw = () => {
    const links = linksFor(map, fig.kind, fig.unit, fig.round, fig.ref);
    box.replaceChildren(...links.map(chip));
    if (canAct() && !opts.readonly) {
      const b = h('button', { type: 'button', class: 'btn small secondary action-make', 'aria-expanded': 'false' },
        tx('span', opts.compact ? 'action.make_short' : links.length ? 'action.make_more' : 'action.make'));
      if (opts.compact) b.setAttribute('aria-label', `${t('action.make')} — ${fig.unitName || fig.unit}`);
      b.addEventListener('click', () => {
        if (box.querySelector('form')) return;
        b.setAttribute('aria-expanded', 'true');
        box.append(makeForm(fig, (l) => {
          const k = key(l.kind, l.unit, l.round, l.ref);
          map.set(k, [...(map.get(k) || []), l]);
          draw();
          if (onMade) onMade(l);
        }, () => { b.setAttribute('aria-expanded', 'false'); draw(); }));
        box.querySelector('form input[name="title"]').focus();
      });
      box.append(b);
    }
  };
  draw();
  return box;
}

function makeForm(fig, done, cancel) {
  const today = todayVN();
  const form = h('form', { class: 'action-form card', novalidate: true });
  const title = h('input', { name: 'title', type: 'text', value: fig.title || '', maxlength: '399', required: true });
  const due = h('input', { name: 'due', type: 'date', value: addDays(today, 30), min: today, required: true });
  const lead = h('input', { name: 'lead', type: 'text', maxlength: '63', autocomplete: 'name' });
  const ok = h('button', { type: 'submit', class: 'btn' }, tx('span', 'action.submit'));
  const no = h('button', { type: 'button', class: 'btn secondary' }, tx('span', 'action.cancel'));
  no.addEventListener('click', () => cancel());
  form.append(
    tx('p', `action.for.${fig.kind}`, { unit: fig.unitName || fig.unit, ref: fig.refLabel || fig.ref || '', value: fig.value || '' }, { class: 'small muted' }),
    field('action.title', title, { required: true }),
    field('action.due_label', due, { required: true }),
    field('action.lead', lead),
    h('div', { class: 'actions' }, ok, no));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(ok, async () => {
      try {
        const body = { kind: fig.kind, unit: fig.unit, title: title.value.trim(), due: due.value };
        if (fig.round) body.round = fig.round;
        if (fig.ref) body.ref = fig.ref;
        if (fig.value) body.value = fig.value;
        if (lead.value.trim()) body.lead = lead.value.trim();
        const l = await api('POST', '/api/reform/actions', body);
        toast('action.made', { id: String(l.task.id) });
        done(l);
      } catch (e) {
        showError(form, e, { kind: 'title', unit: 'title', ref: 'title', round: 'title', area: 'title', start: 'due' }, 'action');
      }
    });
  });
  return form;
}
