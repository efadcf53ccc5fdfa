// remind.js — the officer's reminders (docs/reminders.md) at the top of the leaders' page
// (#/viec-can-xu-ly): what of theirs is due soon or overdue, and for leaders the overdue items
// of the units below (escalated), newest first, unread in bold, each linking to its page; a
// button marks them read. Below, where the reminders also go: the officer's own e-mail and
// mobile phone (GET/PUT /api/session/contact), the server's refusal beside the field it names.

import { api } from './api.js';
import { h, tx, field, showError, clearErrors, busy, fmtDay, errorNotice, toast } from './dom.js';
import { t } from './i18n.js';

const enc = encodeURIComponent;

function itemHref(r) {
  if (r.kind === 'task') return `#/cai-cach/nhiem-vu/${enc(r.item)}`;
  if (r.kind === 'feedback') return '#/phan-anh/xu-ly';
  return '#/doi-thoai';
}

function reminderRow(r, names, unitName) {
  const stage = r.escalated ? 'escalated' : r.stage;
  return h('li', { class: `remind-item${r.read ? '' : ' unread'}`, dataset: { id: String(r.id), stage } },
    h('div', { class: 'agenda-item-title' },
      h('span', { class: `badge remind-${stage}` }, t(`remind.stage.${stage}`)), ' ',
      tx('span', `remind.kind.${r.kind}`), ': ',
      h('a', { href: itemHref(r) }, r.title)),
    h('div', { class: 'small muted' }, unitName(names, r.unit), ' · ',
      tx('span', 'agenda.due_day', { day: fmtDay(r.due) }),
      r.sent ? [' · ', tx('span', 'remind.sent')] : null));
}

function contactText(c) {
  return c.email || c.phone ? [c.email, c.phone].filter(Boolean).join(', ') : t('remind.contact_none');
}

function contactForm(c, shown) {
  const email = h('input', { type: 'email', name: 'email', value: c.email, autocomplete: 'email', inputmode: 'email' });
  const phone = h('input', { type: 'tel', name: 'phone', value: c.phone, autocomplete: 'tel', inputmode: 'tel' });
  const save = h('button', { type: 'submit', class: 'btn secondary', id: 'remind-contact-save' }, tx('span', 'remind.contact_save'));
  const form = h('form', { class: 'remind-contact', id: 'remind-contact', novalidate: true },
    tx('p', 'remind.contact_lead', null, { class: 'small muted' }),
    h('div', { class: 'grid grid-2' }, field('remind.email', email), field('remind.phone', phone)),
    h('div', { class: 'actions' }, save));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors(form);
    busy(save, async () => {
      try {
        const r = await api('PUT', '/api/session/contact', { email: email.value.trim(), phone: phone.value.trim() });
        email.value = r.email;
        phone.value = r.phone;
        shown.textContent = contactText(r);
        toast('remind.contact_saved');
      } catch (e) {
        showError(form, e);
      }
    });
  });
  return form;
}

export async function remindersCard(names, unitName) {
  const card = h('section', { class: 'card agenda-card', id: 'agenda-reminders', 'aria-labelledby': 'agenda-reminders-title' });
  let list, contact;
  try {
    [list, contact] = await Promise.all([api('GET', '/api/reminders?limit=30'), api('GET', '/api/session/contact')]);
  } catch (e) {
    card.append(errorNotice(e));
    return card;
  }
  const count = h('span', { class: `agenda-count${list.unread ? ' alert' : ''}`, id: 'remind-unread', dataset: { count: String(list.unread) } },
    String(list.unread));
  const readAll = list.unread
    ? h('button', { type: 'button', class: 'btn secondary small', id: 'remind-read-all' }, tx('span', 'remind.read_all'))
    : null;
  const shown = h('span', { id: 'remind-contact-shown' }, contactText(contact));
  const ul = h('ul', { class: 'agenda-list', id: 'remind-list' }, list.reminders.map((r) => reminderRow(r, names, unitName)));
  card.append(h('div', { class: 'card-head' },
    h('h2', { id: 'agenda-reminders-title' }, tx('span', 'remind.title'), ' ', count), readAll),
  list.reminders.length ? ul : tx('p', 'remind.none', null, { class: 'muted' }),
  h('details', { class: 'remind-contact-box' }, h('summary', {}, tx('span', 'remind.contact_title'), ': ', shown),
    contactForm(contact, shown)));
  if (readAll) {
    readAll.addEventListener('click', () => busy(readAll, async () => {
      try {
        await api('POST', '/api/reminders/read', {});
        ul.querySelectorAll('.unread').forEach((li) => li.classList.remove('unread'));
        count.textContent = '0';
        count.dataset.count = '0';
        count.classList.remove('alert');
        readAll.remove();
      } catch (e) {
        card.append(errorNotice(e));
      }
    }));
  }
  return card;
}
