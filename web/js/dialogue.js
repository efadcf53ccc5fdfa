// dialogue.js — dialogues with citizens and businesses (đối thoại) and the follow-up of what
// was promised there (docs/feedback.md; Decree 118/2025/NĐ-CP and the provinces' CCHC plans ask
// units to hold them):
//   #/doi-thoai   the commitments of the user's scope by due day, open / overdue / closed on
//                 time or late (GET /api/commitments); specialists, leaders and administrators
//                 close one with what was done (POST /api/commitments/ID/close), record a
//                 dialogue already held (POST /api/dialogues) and add its commitments one by one
//                 (POST /api/dialogues/ID/commitments), each saved when added.
// Every refusal of the server is shown next to the field it names.

import { api, qs, session, allUnits, unitName } from './api.js';
import { h, tx, field, errorNotice, showError, clearErrors, busy, fmtDay, toast, todayVN } from './dom.js';
import { loginCard } from './login.js';
import { exportButtons } from './export.js';

const STAFF = ['desk_officer', 'specialist', 'leader', 'admin'];
const WRITERS = ['specialist', 'leader', 'admin'];
const OUTCOME_CLASS = { open: 'st-processing', overdue: 'out-overdue', on_time: 'st-returned', late: 'out-late' };

function outcomeBadge(o) {
  return tx('span', `dlg.outcome.${o}`, null, { class: `badge ${OUTCOME_CLASS[o] || ''}` });
}

export default async function dialogue(root, params, ctx) {
  if (!session.user) return loginCard(root, ctx, 'login.for_dialogue');
  if (!STAFF.includes(session.user.role)) {
    root.append(h('div', { class: 'notice warn' }, tx('span', 'dlg.not_staff')));
    return;
  }
  const names = await allUnits();
  const listBox = h('div', { id: 'dlg-list-box' });
  const onlyOpen = h('input', { type: 'checkbox', id: 'dlg-open', checked: true });
  const load = async () => {
    let r;
    try {
      r = await api('GET', `/api/commitments${qs(onlyOpen.checked ? { open: 1 } : {})}`);
    } catch (e) {
      listBox.replaceChildren(errorNotice(e));
      return;
    }
    listBox.replaceChildren(r.commitments.length ? h('div', { class: 'actions' },
      exportButtons(`/api/commitments${qs(onlyOpen.checked ? { open: 1 } : {})}`, 'export-dlg')) : '',
    commitmentsTable(r.commitments, names, load));
  };
  onlyOpen.addEventListener('change', load);
  root.append(h('div', { class: 'page-title' }, tx('h1', 'dlg.title')),
    tx('p', 'dlg.lead', null, { class: 'muted' }),
    h('section', { class: 'card', 'aria-labelledby': 'dlg-list-title' },
      h('div', { class: 'card-head' }, tx('h2', 'dlg.commitments', null, { id: 'dlg-list-title' }),
        h('label', { class: 'choice-inline' }, onlyOpen, ' ', tx('span', 'dlg.only_open'))),
      listBox));
  if (WRITERS.includes(session.user.role)) root.append(newDialogueCard(names, load));
  await load();
}

function commitmentsTable(rows, names, reload) {
  if (!rows.length) return tx('p', 'dlg.none', null, { class: 'muted', id: 'dlg-none' });
  const canWrite = WRITERS.includes(session.user.role);
  return h('div', { class: 'table-wrap' }, h('table', { id: 'dlg-table' },
    h('thead', {}, h('tr', {}, ['dlg.dialogue', 'dlg.commitment', 'dlg.owner', 'dlg.due', 'dlg.state']
      .map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', {}, rows.map((c) => {
      const state = h('td', {}, outcomeBadge(c.outcome),
        c.closed ? h('div', { class: 'small' }, tx('span', 'dlg.closed_on', { day: fmtDay(c.closed) }), ': ', c.result) : null);
      if (canWrite && !c.closed) state.append(closeForm(c, reload));
      return h('tr', { dataset: { id: String(c.id) } },
        h('td', {}, h('div', {}, h('strong', {}, c.dialogue.title)),
          h('div', { class: 'small muted' }, `${fmtDay(c.dialogue.day)} · ${unitName(names, c.dialogue.unit)}`)),
        h('td', {}, c.text),
        h('td', {}, c.owner),
        h('td', { class: 'nowrap' }, fmtDay(c.due)),
        state);
    }))));
}

// Closing a commitment: what was done, today.
function closeForm(c, reload) {
  const result = h('textarea', { name: 'result', rows: 2, maxlength: 1999, id: `dlg-result-${c.id}` });
  const submit = h('button', { type: 'submit', class: 'btn secondary', id: `dlg-close-${c.id}` }, tx('span', 'dlg.close'));
  const form = h('form', { class: 'dlg-close', novalidate: true },
    field('dlg.result', result), h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(submit, async () => {
      try {
        await api('POST', `/api/commitments/${c.id}/close`, { result: result.value.trim() });
      } catch (e) {
        showError(form, e);
        return;
      }
      toast('dlg.closed');
      await reload();
    });
  });
  return h('details', { class: 'dlg-close-box' }, tx('summary', 'dlg.close'), form);
}

// Recording a dialogue already held, then its commitments one by one (each saved when added).
function newDialogueCard(names, reload) {
  const root = session.user.unit;
  const under = (u) => {
    for (let c = u; c; c = names.get(c.parent)) if (c.code === root) return true;
    return false;
  };
  const scoped = [...names.values()].filter((u) => !u.valid_to && u.kind !== 'desk' && under(u))
    .sort((a, b) => (a.code === root ? -1 : b.code === root ? 1 : a.name.localeCompare(b.name, 'vi')));
  const unit = h('select', { name: 'unit', id: 'dlg-unit' }, scoped.map((u) => h('option', { value: u.code }, u.name)));
  const day = h('input', { type: 'date', name: 'day', id: 'dlg-day', max: todayVN(), value: todayVN() });
  const title = h('input', { type: 'text', name: 'title', id: 'dlg-title', maxlength: 199, autocomplete: 'off' });
  const participants = h('textarea', { name: 'participants', id: 'dlg-participants', rows: 2, maxlength: 1999 });
  const questions = h('textarea', { name: 'questions', id: 'dlg-questions', rows: 3, maxlength: 1999 });
  const submit = h('button', { type: 'submit', class: 'btn', id: 'dlg-add' }, tx('span', 'dlg.add.submit'));
  const card = h('section', { class: 'card', id: 'dlg-new', 'aria-labelledby': 'dlg-new-title' });
  const form = h('form', { novalidate: true, id: 'dlg-form' },
    h('div', { class: 'row' }, field('dlg.unit', unit, { required: true }), field('dlg.day', day, { required: true })),
    field('dlg.title_f', title, { required: true }),
    field('dlg.participants', participants, { hint: 'dlg.participants.hint' }),
    field('dlg.questions', questions),
    h('div', { class: 'actions' }, submit));
  card.append(tx('h2', 'dlg.add', null, { id: 'dlg-new-title' }), form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = { unit: unit.value, day: day.value, title: title.value.trim() };
    if (participants.value.trim()) body.participants = participants.value.trim();
    if (questions.value.trim()) body.questions = questions.value.trim();
    await busy(submit, async () => {
      let d;
      try {
        d = await api('POST', '/api/dialogues', body);
      } catch (e) {
        showError(form, e);
        return;
      }
      toast('dlg.added');
      card.replaceChildren(tx('h2', 'dlg.commit.title', { title: d.title }, { id: 'dlg-new-title' }),
        tx('p', 'dlg.commit.lead', { day: fmtDay(d.day), unit: unitName(names, d.unit) }, { class: 'muted' }),
        commitmentForm(d, reload, () => card.replaceWith(newDialogueCard(names, reload))));
    });
  });
  return card;
}

function commitmentForm(d, reload, done) {
  const text = h('textarea', { name: 'text', id: 'dlg-c-text', rows: 2, maxlength: 1999 });
  const owner = h('input', { type: 'text', name: 'owner', id: 'dlg-c-owner', maxlength: 63, autocomplete: 'off' });
  const due = h('input', { type: 'date', name: 'due', id: 'dlg-c-due', min: d.day });
  const added = h('ol', { id: 'dlg-c-added' });
  const submit = h('button', { type: 'submit', class: 'btn', id: 'dlg-c-add' }, tx('span', 'dlg.commit.submit'));
  const finish = h('button', { type: 'button', class: 'btn secondary', id: 'dlg-c-done' }, tx('span', 'dlg.commit.done'));
  finish.addEventListener('click', done);
  const form = h('form', { novalidate: true, id: 'dlg-c-form' },
    field('dlg.commitment', text, { required: true }),
    h('div', { class: 'row' }, field('dlg.owner', owner, { required: true }), field('dlg.due', due, { required: true })),
    h('div', { class: 'actions' }, submit, finish));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(submit, async () => {
      let c;
      try {
        c = await api('POST', `/api/dialogues/${d.id}/commitments`, { text: text.value.trim(), owner: owner.value.trim(), due: due.value });
      } catch (e) {
        showError(form, e);
        return;
      }
      added.append(h('li', {}, `${c.text} — ${c.owner}, ${fmtDay(c.due)}`));
      form.reset();
      text.focus();
      await reload();
    });
  });
  return h('div', {}, added, form);
}
