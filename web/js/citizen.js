// citizen.js — the citizen's page, no account needed (ARCHITECTURE.md §8): the dossier code
// (typed, or from the receipt's QR: /?code=…) plus a second factor, the phone number or the
// last digits of the ID number; shows the status, the due date, where the dossier is, and once
// the result is returned, one satisfaction rating. Made for a phone first.

import { api } from './api.js';
import { h, tx, field, showError, clearErrors, busy, fmtInstant, statusBadge, outcomeBadge } from './dom.js';
import { t } from './i18n.js';
import { paymentCard, paymentReturn } from './payment.js';
import { efileLookupCard } from './efile.js';

const STAGES = ['received', 'processing', 'result_ready', 'returned'];
const STAGE_OF = {
  submitted: -1, received: 0, processing: 1, supplement_requested: 1, paused: 1, result_ready: 2, returned: 4,
};
const CLOSED = ['refused', 'withdrawn', 'cancelled'];

export default function citizen(root, params) {
  const code = h('input', { type: 'text', name: 'code', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters', value: params.code || '' });
  const phone = h('input', { type: 'tel', name: 'phone', autocomplete: 'tel', inputmode: 'tel' });
  const suffix = h('input', { type: 'text', name: 'id_suffix', inputmode: 'numeric', autocomplete: 'off', maxlength: 12 });
  const phoneField = field('citizen.phone', phone, { required: true });
  const suffixField = field('citizen.id_suffix', suffix, { required: true, hint: 'citizen.id_suffix.hint' });
  suffixField.classList.add('hidden');
  const factor = h('fieldset', {}, tx('legend', 'citizen.factor'),
    h('div', { class: 'inline-choices' },
      h('div', { class: 'choice' }, h('input', { type: 'radio', name: 'factor', value: 'phone', id: 'factor-phone', checked: true }), h('label', { for: 'factor-phone', i18n: 'citizen.factor.phone' })),
      h('div', { class: 'choice' }, h('input', { type: 'radio', name: 'factor', value: 'id_suffix', id: 'factor-id' }), h('label', { for: 'factor-id', i18n: 'citizen.factor.id' }))));
  const activeName = () => (factor.querySelector('input[name="factor"]:checked').value);
  factor.addEventListener('change', () => {
    const byPhone = activeName() === 'phone';
    phoneField.classList.toggle('hidden', !byPhone);
    suffixField.classList.toggle('hidden', byPhone);
  });
  const submit = h('button', { type: 'submit', class: 'btn', id: 'lookup-submit' }, tx('span', 'citizen.submit'));
  const result = h('div', { id: 'lookup-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'card', novalidate: true, id: 'lookup-form', 'aria-labelledby': 'citizen-title' },
    tx('h1', 'citizen.title', null, { id: 'citizen-title' }),
    tx('p', 'citizen.lead', null, { class: 'muted' }),
    params.code ? h('div', { class: 'notice info' }, tx('span', 'citizen.from_qr')) : null,
    field('citizen.code', code, { required: true, hint: 'citizen.code.hint' }),
    factor, phoneField, suffixField,
    h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const which = activeName();
    const query = { code: code.value.trim() };
    query[which] = (which === 'phone' ? phone : suffix).value.trim();
    const aliases = { phone: which, id_suffix: which };
    await busy(submit, async () => {
      try {
        const r = await api('POST', '/api/lookup', query);
        showResult(result, r, query);
      } catch (e) {
        result.replaceChildren();
        showError(form, e, aliases, 'lookup');
      }
    });
  });
  root.append(h('div', { class: 'narrow' }, paymentReturn(), form, result));
  (params.code ? (activeName() === 'phone' ? phone : suffix) : code).focus();
}

// The four stages; while a supplement or a pause holds the dossier, the current stage says so
// instead of "being processed".
function stepper(status) {
  const cur = STAGE_OF[status];
  const waiting = { supplement_requested: 'waiting', paused: 'paused' }[status];
  return h('ol', { class: 'steps', id: 'progress' }, STAGES.map((s, i) => {
    const cls = i < cur ? 'done' : i === cur ? `current${waiting ? ' waiting' : ''}` : '';
    return h('li', { class: cls, 'aria-current': i === cur ? 'step' : null }, tx('span', `citizen.stage.${i === cur && waiting ? waiting : s}`));
  }));
}

// What the open supplement request (or pause) says, and that the clock stands still.
function stopNotice(r) {
  const open = (r.stops || []).filter((s) => !s.ended_at).pop();
  if (!open && !r.clock_stopped) return null;
  const supp = open ? open.kind === 'supplement' : r.status === 'supplement_requested';
  return h('div', { class: 'notice warn', id: 'stop-notice' },
    open ? tx('strong', supp ? 'citizen.supplement.asks' : 'citizen.paused.why', { at: fmtInstant(open.started_at) }) : tx('span', 'citizen.supplement'),
    open && open.reason ? h('p', { id: 'stop-reason' }, open.reason) : null,
    supp ? tx('p', 'citizen.supplement.where') : null,
    tx('p', 'citizen.clock_stopped', null, { class: 'small' }));
}

function showResult(box, r, query) {
  const step = r.current_step;
  const events = [];
  if (r.received_at) events.push(h('li', {}, tx('strong', 'citizen.event.received'), h('div', { class: 'when' }, fmtInstant(r.received_at))));
  for (const s of r.stops || []) {
    const supp = s.kind === 'supplement';
    events.push(h('li', {}, tx('strong', supp ? 'citizen.event.supplement' : 'citizen.event.pause'),
      h('div', { class: 'when' }, fmtInstant(s.started_at)), s.reason ? h('div', { class: 'small' }, s.reason) : null));
    if (s.ended_at) events.push(h('li', {}, tx('strong', supp ? 'citizen.event.supplement_done' : 'citizen.event.resume'), h('div', { class: 'when' }, fmtInstant(s.ended_at))));
  }
  // with the result ready no step is being processed any more: the history says so
  if (r.status === 'result_ready') events.push(h('li', { id: 'event-result-ready' }, tx('strong', 'citizen.event.result_ready')));
  else if (step && r.status !== 'returned' && !CLOSED.includes(r.status))
    events.push(h('li', {}, tx('strong', 'citizen.event.step', { k: step.seq, n: step.of }), h('div', {}, step.name)));
  if (r.apology_due_at) events.push(h('li', {}, tx('strong', 'citizen.event.apology'), h('div', { class: 'when' }, fmtInstant(r.apology_due_at))));
  if (r.returned_at) events.push(h('li', {}, tx('strong', 'citizen.event.returned'), h('div', { class: 'when' }, fmtInstant(r.returned_at))));
  const card = h('section', { class: 'card', 'aria-labelledby': 'result-title' },
    h('div', { class: 'card-head' },
      h('h2', { id: 'result-title' }, tx('span', 'citizen.result'), ' ', h('span', { class: 'code-big' }, r.code)),
      h('span', { id: 'result-status' }, statusBadge(r.status), ' ', outcomeBadge(r.outcome))),
    r.procedure ? h('p', {}, h('strong', {}, r.procedure.name)) : null,
    CLOSED.includes(r.status) ? h('div', { class: 'notice warn' }, tx('span', `citizen.closed.${r.status}`)) : stepper(r.status),
    stopNotice(r),
    h('dl', { class: 'kv' },
      tx('dt', 'citizen.received_at'), h('dd', {}, fmtInstant(r.received_at)),
      tx('dt', r.clock_stopped ? 'citizen.due_at.paused' : 'citizen.due_at'), h('dd', { id: 'result-due' }, h('strong', {}, fmtInstant(r.apology_due_at || r.due_at))),
      r.apology_due_at ? [tx('dt', 'citizen.first_due_at'), h('dd', {}, fmtInstant(r.due_at))] : null,
      r.returned_at ? [tx('dt', 'citizen.returned_at'), h('dd', {}, fmtInstant(r.returned_at))] : null),
    tx('h3', 'citizen.history'),
    h('ol', { class: 'timeline', id: 'result-history' }, events),
    deskCard(r.desk));
  box.replaceChildren(card, paymentCard(query));
  // filed online by the confirmed citizen: the electronic result or the way back to the filing
  efileLookupCard(r.code).then((c) => c && card.after(c)).catch(() => {});
  if (r.can_rate) box.append(ratingForm(query));
  // feedback about this dossier goes to its unit, linked to its code (feedback.js)
  box.append(h('p', {}, h('a', { href: `#/phan-anh?dossier=${encodeURIComponent(r.code)}`, id: 'result-feedback', i18n: 'citizen.feedback' })));
}

// Where to go and whom to call: the receiving unit's one-stop desk, the phone a link to dial.
function deskCard(desk) {
  if (!desk) return null;
  const tel = desk.phone.replace(/[^\d+]/g, '');
  return h('section', { class: 'desk-contact', id: 'desk-contact', 'aria-labelledby': 'desk-contact-title' },
    tx('h3', 'citizen.desk', null, { id: 'desk-contact-title' }),
    h('p', {}, h('strong', {}, desk.name)),
    h('dl', { class: 'kv' },
      tx('dt', 'citizen.desk.address'), h('dd', {}, desk.address),
      tx('dt', 'citizen.desk.phone'), h('dd', {}, h('a', { href: `tel:${tel}`, id: 'desk-phone' }, desk.phone)),
      desk.hours ? [tx('dt', 'citizen.desk.hours'), h('dd', {}, desk.hours)] : null));
}

function ratingForm(query) {
  const choices = [5, 4, 3, 2, 1].map((s) => [
    h('input', { type: 'radio', name: 'score', value: String(s), id: `score-${s}` }),
    h('label', { for: `score-${s}` }, h('span', { class: 'face', 'aria-hidden': 'true' }, '★'.repeat(s)), tx('span', `citizen.score.${s}`)),
  ]);
  const comment = h('textarea', { name: 'comment', maxlength: 400 });
  const submit = h('button', { type: 'submit', class: 'btn ok', id: 'rating-submit' }, tx('span', 'citizen.rate.submit'));
  const form = h('form', { class: 'card', novalidate: true, id: 'rating-form', 'aria-labelledby': 'rating-title' },
    tx('h2', 'citizen.rate.title', null, { id: 'rating-title' }),
    h('fieldset', {}, tx('legend', 'citizen.rate.question'), h('div', { class: 'rating', role: 'radiogroup' }, choices)),
    field('citizen.rate.comment', comment, { hint: 'citizen.rate.comment.hint' }),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const picked = form.querySelector('input[name="score"]:checked');
    const body = { ...query, score: picked ? Number(picked.value) : undefined };
    if (!picked) {
      showError(form, { code: 'missing_field', field: 'score', rule: 'ui', message: t('citizen.rate.pick') });
      return;
    }
    if (comment.value.trim()) body.comment = comment.value.trim();
    await busy(submit, async () => {
      try {
        await api('POST', '/api/lookup/rating', body);
      } catch (e) {
        showError(form, e, { code: 'score', phone: 'score', id_suffix: 'score' });
        return;
      }
      form.replaceWith(h('div', { class: 'notice ok', id: 'rating-thanks', role: 'status' }, tx('strong', 'citizen.rate.thanks')));
    });
  });
  return form;
}
