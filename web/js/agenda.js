// agenda.js — the leaders' page (#/viec-can-xu-ly, GET /api/agenda): what is late in the
// unit and below, together — the CCHC tasks past their due day, the inspections' remedies
// still open, the feedback and petitions past their answer deadline, and the dossiers past
// their due time counted per unit, the unit with most first. Every item links to its page;
// beside each unit's late dossiers a leader can make a task (action.js) and sees the tasks
// already made. Above them, the officer's own reminders and escalations (remind.js).

import { api, session, allUnits, unitName } from './api.js';
import { h, tx, fmtDay, fmtInstant, errorNotice } from './dom.js';
import { t } from './i18n.js';
import { loginCard } from './login.js';
import { loadActions, actionBox } from './action.js';
import { remindersCard } from './remind.js';

const STAFF = ['desk_officer', 'specialist', 'leader', 'admin'];
const enc = encodeURIComponent;
const fmtInt = (n) => Number(n).toLocaleString('vi-VN');

function section(id, titleKey, count, body, moreHref) {
  const shown = body && body.length !== undefined ? body : [body];
  return h('section', { class: 'card agenda-card', id, 'aria-labelledby': `${id}-title` },
    h('div', { class: 'card-head' },
      h('h2', { id: `${id}-title` }, tx('span', titleKey), ' ',
        h('span', { class: `agenda-count${count ? ' alert' : ''}`, dataset: { count: String(count) } }, fmtInt(count))),
      moreHref ? h('a', { href: moreHref, class: 'small' }, tx('span', 'agenda.open_page')) : null),
    count ? shown : tx('p', 'agenda.none', null, { class: 'muted' }));
}

// One item as a block: its title line, then what it is about (one line each, so it reads on a
// phone as on a desktop).
function item(attrs, title, ...lines) {
  return h('li', attrs, h('div', { class: 'agenda-item-title' }, title), ...lines.filter(Boolean).map((l) => h('div', { class: 'small muted' }, l)));
}

function progress(p) {
  return h('span', { class: 'rf-progress' }, h('progress', { max: '100', value: String(p), 'aria-label': t('reform.progress') }), ` ${p}%`);
}

function more(count, items) {
  return count > items.length ? tx('p', 'agenda.more', { shown: fmtInt(items.length), count: fmtInt(count) }, { class: 'small muted' }) : null;
}

export default async function agenda(root, params, ctx) {
  if (!session.user) return loginCard(root, ctx, 'login.for_agenda');
  if (!STAFF.includes(session.user.role)) {
    root.append(h('div', { class: 'notice warn' }, tx('span', 'agenda.not_staff')));
    return;
  }
  const unit = params.unit || session.user.unit;
  let a, names, actions;
  try {
    [a, names, actions] = await Promise.all([
      api('GET', `/api/agenda?unit=${enc(unit)}`), allUnits(), loadActions({ unit, kind: 'late' })]);
  } catch (e) {
    root.append(errorNotice(e));
    return;
  }
  const total = a.tasks.count + a.remedies.count + a.feedback.count + a.dossiers.count;
  root.append(h('div', { class: 'card' },
    tx('h1', 'agenda.title'),
    tx('p', total ? 'agenda.lead' : 'agenda.lead_none', { unit: unitName(names, a.unit), day: fmtDay(a.today) }, { class: 'muted', id: 'agenda-lead' }),
    h('div', { class: 'kpis', id: 'agenda-kpis' }, [
      ['tasks', 'agenda.k.tasks', '#agenda-tasks'], ['remedies', 'agenda.k.remedies', '#agenda-remedies'],
      ['feedback', 'agenda.k.feedback', '#agenda-feedback'], ['dossiers', 'agenda.k.dossiers', '#agenda-dossiers'],
    ].map(([k, label]) => h('div', { class: `kpi${a[k].count ? ' overdue' : ''}`, id: `agenda-kpi-${k}` },
      tx('div', label, null, { class: 'label' }), h('div', { class: 'value' }, fmtInt(a[k].count)))))));

  root.append(await remindersCard(names, unitName));

  const d = a.dossiers;
  root.append(section('agenda-dossiers', 'agenda.dossiers', d.count, [
    h('ul', { class: 'agenda-list', id: 'agenda-late-units' }, d.units.map((u) => h('li', { dataset: { unit: u.unit } },
      h('div', { class: 'agenda-item-title' }, h('strong', {}, unitName(names, u.unit)), ': ',
        tx('span', 'agenda.late_value', { n: fmtInt(u.count) })),
      h('div', { class: 'small' }, actionBox(actions, {
        kind: 'late', unit: u.unit, unitName: unitName(names, u.unit), value: t('agenda.late_value', { n: fmtInt(u.count) }),
        title: t('agenda.late_task', { unit: unitName(names, u.unit) }),
      }))))),
    tx('h3', 'agenda.oldest'),
    h('ul', { class: 'agenda-list', id: 'agenda-dossier-list' }, d.items.map((x) => h('li', {},
      h('a', { class: 'mono', href: `#/mot-cua/ho-so/${enc(x.code)}` }, x.code), ' — ', unitName(names, x.unit), ' · ',
      tx('span', 'agenda.due_at', { at: fmtInstant(x.due) }, { class: 'muted' })))),
    more(d.count, d.items)]));

  root.append(section('agenda-tasks', 'agenda.tasks', a.tasks.count, [
    h('ul', { class: 'agenda-list', id: 'agenda-task-list' }, a.tasks.items.map((x) => item({ dataset: { id: String(x.id) } },
      h('a', { href: `#/cai-cach/nhiem-vu/${enc(x.id)}` }, x.title),
      [unitName(names, x.owner), ' · ', tx('span', 'agenda.due_day', { day: fmtDay(x.due) }), ' · ', progress(x.progress)]))),
    more(a.tasks.count, a.tasks.items)], '#/cai-cach'));

  root.append(section('agenda-remedies', 'agenda.remedies', a.remedies.count, [
    h('ul', { class: 'agenda-list', id: 'agenda-remedy-list' }, a.remedies.items.map((x) => item({ dataset: { id: String(x.id) } },
      h('a', { href: `#/cai-cach/nhiem-vu/${enc(x.id)}` }, x.title),
      [tx('span', 'agenda.finding'), ': ', x.finding],
      tx('span', 'agenda.inspected_by', { unit: unitName(names, x.inspected), by: unitName(names, x.inspector) }),
      [unitName(names, x.owner), ' · ', tx('span', 'agenda.due_day', { day: fmtDay(x.due) }),
        x.due_class === 'overdue' ? [' ', tx('span', 'reform.due.overdue', null, { class: 'badge out-overdue' })] : null, ' · ', progress(x.progress)]))),
    more(a.remedies.count, a.remedies.items)]));

  root.append(section('agenda-feedback', 'agenda.feedback', a.feedback.count, [
    h('ul', { class: 'agenda-list', id: 'agenda-feedback-list' }, [...a.feedback.items].sort((x, y) => String(x.due || '').localeCompare(String(y.due || ''))).map((x) => item({ dataset: { code: x.code } },
      [h('span', { class: 'mono' }, x.code), ' — ', tx('span', `agenda.fb.${x.kind}`)],
      [unitName(names, x.unit), ' · ', tx('span', 'agenda.fb_due_at', { at: x.due ? fmtInstant(x.due) : '—' })]))),
    more(a.feedback.count, a.feedback.items)], '#/phan-anh/xu-ly'));
}
