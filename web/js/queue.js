// queue.js — the one-stop desk's queue and appointments (docs/queue.md):
//   #/boc-so?unit=U    the citizen's phone page: pick the field, take a number, see the people
//                      ahead and the expected wait (it follows the number until it is called);
//                      book an appointment in a slot, or cancel one with its code and phone
//   #/quay?unit=U      the desk officer at a counter: call the next number, recall, served,
//                      absent, transfer; take a number at the desk; check an appointment in;
//                      the waiting-time figures of the day
//   #/man-hinh?unit=U  the hall's display (a TV): the number each counter serves and the last
//                      calls in big type, each new call spoken in Vietnamese by the browser's
//                      speech synthesis; polls the board every 2 seconds
// The server's refusals (a field no counter serves, a full slot, the daily limit) are shown
// next to the field they name.

import { api, session, units } from './api.js';
import { h, tx, field, errorNotice, showError, clearErrors, busy, todayVN } from './dom.js';
import { t, fmtInt } from './i18n.js';
import { loginCard } from './login.js';
import { exportButtons } from './export.js';

const enc = encodeURIComponent;
const STAFF = ['desk_officer', 'specialist', 'leader', 'admin'];
const POLL_MS = 2000;
let timers = [];

function stopTimers() {
  timers.forEach((x) => clearInterval(x));
  timers = [];
}
window.addEventListener('hashchange', stopTimers);

function every(ms, fn) {
  const id = setInterval(() => {
    if (!document.body.contains(document.querySelector('.view-queue'))) {
      clearInterval(id);
      return;
    }
    fn();
  }, ms);
  timers.push(id);
}

// "khoảng 15 phút" from seconds
function waitText(s) {
  const min = Math.max(1, Math.ceil((s || 0) / 60));
  return s > 0 ? t('queue.wait_min', { n: fmtInt(min) }) : t('queue.wait_none');
}

function minutes(s) {
  if (s === null || s === undefined) return '—';
  return new Intl.NumberFormat(document.documentElement.lang === 'en' ? 'en-GB' : 'vi-VN',
    { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(s / 60);
}

function decimal(v) {
  if (v === null || v === undefined) return '—';
  return new Intl.NumberFormat(document.documentElement.lang === 'en' ? 'en-GB' : 'vi-VN',
    { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v);
}

async function unitPicker(params, hash) {
  const map = await units();
  const list = [...map.values()].filter((u) => ['ward', 'commune', 'province', 'department', 'agency'].includes(u.kind));
  const sel = h('select', { name: 'unit', id: 'q-unit' },
    list.map((u) => h('option', { value: u.code, selected: u.code === params.unit }, u.name)));
  sel.addEventListener('change', () => { location.hash = `${hash}?unit=${enc(sel.value)}`; });
  return { sel, unit: params.unit || (session.user && session.user.unit) || (list[0] && list[0].code), map };
}

// ---------------------------------------------------------------- the phone page

function ticketCard(tk) {
  const box = h('div', { class: 'card q-ticket', id: 'q-ticket', 'aria-live': 'polite' });
  const draw = (x) => {
    const called = x.status === 'called';
    box.replaceChildren(
      tx('p', 'queue.your_number', null, { class: 'muted' }),
      h('p', { class: 'q-big', id: 'q-number' }, String(x.number)),
      h('p', {}, tx('span', 'queue.counter_n', { n: x.counter }), x.counter_name ? ` — ${x.counter_name}` : ''),
      h('p', {}, x.field),
      called ? tx('p', 'queue.now_called', { n: x.counter }, { class: 'notice ok', id: 'q-called' })
        : x.status === 'waiting'
          ? h('p', { id: 'q-ahead' }, tx('span', 'queue.ahead', { n: fmtInt(x.ahead ?? 0) }), ' · ', waitText(x.expected_wait_s))
          : tx('p', `queue.st.${x.status}`, null, { class: 'muted' }));
  };
  draw(tk);
  return { box, draw };
}

async function phonePage(root, params) {
  const { sel, unit } = await unitPicker(params, '#/boc-so');
  const board = await api('GET', `/api/public/queue/${enc(unit)}`);
  root.append(h('div', { class: 'card' }, tx('h1', 'queue.take_title'),
    h('p', {}, board.unit_name),
    field('queue.unit', sel)));
  if (!board.counters.length) {
    root.append(tx('p', 'queue.no_counters', null, { class: 'notice' }));
    return;
  }
  const phone = h('input', { type: 'tel', name: 'phone', inputmode: 'tel', autocomplete: 'tel' });
  const out = h('div', { id: 'q-out' });
  const form = h('form', { class: 'card', novalidate: true, id: 'q-take' },
    tx('h2', 'queue.pick_field'),
    field('queue.phone', phone, { hint: 'queue.phone_hint' }),
    h('div', { class: 'q-fields' }, board.fields.map((f) => {
      const c = board.counters.find((x) => x.fields.includes(f));
      const b = h('button', { type: 'submit', class: 'btn q-field', value: f, dataset: { field: f } }, f,
        c ? h('small', {}, ` · ${t('queue.waiting_n', { n: fmtInt(c.waiting) })}`) : null);
      return b;
    })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const btn = ev.submitter;
    await busy(btn, async () => {
      try {
        const body = { field: btn.dataset.field };
        if (phone.value.trim()) body.phone = phone.value.trim();
        const tk = await api('POST', `/api/public/queue/${enc(unit)}/tickets`, body);
        const card = ticketCard(tk);
        out.replaceChildren(card.box);
        card.box.scrollIntoView({ block: 'nearest' });
        every(5000, async () => {
          try {
            card.draw(await api('GET', `/api/public/queue/${enc(unit)}/tickets/${tk.number}`));
          } catch { /* the next poll tries again */ }
        });
      } catch (e) {
        showError(form, e, { field: 'phone', phone: 'phone' });
      }
    });
  });
  root.append(form, out);
  root.append(await bookingCard(unit, board));
}

async function bookingCard(unit, board) {
  const counter = h('select', { name: 'counter' }, board.counters.map((c) => h('option', { value: String(c.no) }, `${t('queue.counter_n', { n: c.no })} — ${c.name}`)));
  const fieldSel = h('select', { name: 'field' });
  const fillFields = () => {
    const c = board.counters.find((x) => String(x.no) === counter.value);
    fieldSel.replaceChildren(...(c ? c.fields : []).map((f) => h('option', { value: f }, f)));
  };
  fillFields();
  // proposed day: today, or the next day when today is a Sunday (no desk opens then); a
  // holiday is still refused by the server with its reason
  const firstDay = (() => {
    const d = new Date(`${todayVN()}T00:00:00Z`);
    if (d.getUTCDay() === 0) d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  })();
  const day = h('input', { type: 'date', name: 'day', min: todayVN(), value: firstDay });
  const time = h('select', { name: 'time' });
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'name' });
  const phone = h('input', { type: 'tel', name: 'phone', inputmode: 'tel' });
  const result = h('div', { id: 'q-booked', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn' }, tx('span', 'queue.book'));
  const form = h('form', { class: 'card', novalidate: true, id: 'q-book' }, tx('h2', 'queue.book_title'),
    tx('p', 'queue.book_hint', null, { class: 'muted' }),
    h('div', { class: 'grid grid-2' }, field('queue.counter', counter), field('queue.field', fieldSel),
      field('queue.day', day, { required: true }), field('queue.time', time, { required: true }),
      field('queue.name', name, { required: true }), field('queue.phone', phone, { required: true })),
    h('div', { class: 'actions' }, submit), result);
  const loadSlots = async () => {
    clearErrors(form);
    try {
      const r = await api('GET', `/api/public/queue/${enc(unit)}/slots?day=${enc(day.value)}&counter=${enc(counter.value)}`);
      time.replaceChildren(...r.slots.map((s) => h('option', { value: s.time, disabled: s.free <= 0 },
        `${s.time} — ${s.free > 0 ? t('queue.free_n', { n: s.free }) : t('queue.full')}`)));
      if (!r.slots.length) time.replaceChildren(h('option', { value: '' }, t('queue.no_slots')));
    } catch (e) {
      time.replaceChildren();
      showError(form, e, { day: 'day' });
    }
  };
  counter.addEventListener('change', () => { fillFields(); loadSlots(); });
  day.addEventListener('change', loadSlots);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(submit, async () => {
      try {
        const a = await api('POST', `/api/public/queue/${enc(unit)}/appointments`, {
          counter: Number(counter.value), field: fieldSel.value, day: day.value, time: time.value,
          name: name.value.trim(), phone: phone.value.trim() });
        result.replaceChildren(h('div', { class: 'notice ok' },
          tx('p', 'queue.booked', { code: a.code, time: a.time, n: a.counter }),
          tx('p', 'queue.booked_hint')));
        loadSlots();
      } catch (e) {
        showError(form, e, { day: 'day', time: 'time', slot: 'time', name: 'name', phone: 'phone', field: 'field', counter: 'counter' });
      }
    });
  });
  loadSlots();
  const code = h('input', { type: 'text', name: 'code', autocapitalize: 'characters' });
  const cphone = h('input', { type: 'tel', name: 'phone', id: 'q-cancel-phone' });
  const csubmit = h('button', { type: 'submit', class: 'btn secondary' }, tx('span', 'queue.cancel'));
  const cform = h('form', { class: 'card', novalidate: true, id: 'q-cancel' }, tx('h2', 'queue.cancel_title'),
    h('div', { class: 'grid grid-2' }, field('queue.code', code, { required: true }), field('queue.phone', cphone, { required: true })),
    h('div', { class: 'actions' }, csubmit));
  cform.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(cform);
    await busy(csubmit, async () => {
      try {
        await api('POST', `/api/public/appointments/${enc(code.value.trim())}/cancel`, { phone: cphone.value.trim() });
        cform.append(tx('p', 'queue.cancelled', null, { class: 'notice ok' }));
      } catch (e) {
        showError(cform, e, { code: 'code', phone: 'phone' });
      }
    });
  });
  return h('div', {}, form, cform);
}

// ---------------------------------------------------------------- the counter

function statsCard(st, unit) {
  const row = (label, x) => h('tr', {},
    h('th', { scope: 'row' }, label), h('td', {}, fmtInt(x.taken)), h('td', {}, fmtInt(x.served)),
    h('td', {}, fmtInt(x.no_show)), h('td', {}, fmtInt(x.waiting)), h('td', {}, minutes(x.avg_wait_s)),
    h('td', {}, minutes(x.p90_wait_s)), h('td', {}, minutes(x.avg_service_s)), h('td', {}, decimal(x.served_per_hour)));
  return h('div', { class: 'card', id: 'q-stats' },
    h('div', { class: 'card-head' }, tx('h2', 'queue.stats_title'), exportButtons(`/api/queue/stats?unit=${enc(unit)}`, 'export-qstats')),
    tx('p', 'queue.stats_hint', null, { class: 'muted' }),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, tx('th', 'queue.counter'), tx('th', 'queue.s.taken'), tx('th', 'queue.s.served'),
        tx('th', 'queue.s.no_show'), tx('th', 'queue.s.waiting'), tx('th', 'queue.s.avg_wait'),
        tx('th', 'queue.s.p90_wait'), tx('th', 'queue.s.avg_service'), tx('th', 'queue.s.per_hour'))),
      h('tbody', {}, st.counters.map((c) => row(t('queue.counter_n', { n: c.counter }), c)),
        row(t('queue.s.total'), st.total)))));
}

async function counterPage(root, params, ctx) {
  if (!session.user || !STAFF.includes(session.user.role)) {
    loginCard(root, ctx, 'queue.login_purpose');
    return;
  }
  const unit = params.unit || session.user.unit;
  const { counters } = await api('GET', `/api/queue/${enc(unit)}/counters`);
  if (!counters.length) {
    root.append(h('div', { class: 'card' }, tx('h1', 'queue.counter_title'), tx('p', 'queue.no_counters', null, { class: 'notice' })));
    return;
  }
  const no = Number(params.counter) || counters[0].no;
  const desk = session.user.role === 'desk_officer';
  const pick = h('select', { name: 'counter', id: 'q-counter' }, counters.map((c) => h('option', { value: String(c.no), selected: c.no === no }, `${t('queue.counter_n', { n: c.no })} — ${c.name}`)));
  pick.addEventListener('change', () => { location.hash = `#/quay?unit=${enc(unit)}&counter=${pick.value}`; });
  const current = h('div', { id: 'q-current', 'aria-live': 'polite' });
  const waitList = h('div', { id: 'q-waiting' });
  const msg = h('div', { id: 'q-msg' });
  const statsBox = h('div');
  const head = h('div', { class: 'card' }, tx('h1', 'queue.counter_title'), field('queue.counter', pick),
    h('p', {}, h('a', { href: `#/man-hinh?unit=${enc(unit)}`, target: '_blank' }, tx('span', 'queue.open_display'))));
  root.append(head);
  let cur = null;
  const act = async (btn, method, path, body) => {
    msg.replaceChildren();
    await busy(btn, async () => {
      try {
        await api(method, path, body);
      } catch (e) {
        msg.replaceChildren(errorNotice(e));
      }
      await refresh();
    });
  };
  const transferTo = h('select', { name: 'to_counter', 'aria-label': t('queue.transfer_to') },
    counters.filter((c) => c.no !== no && c.active).map((c) => h('option', { value: String(c.no) }, t('queue.counter_n', { n: c.no }))));
  const callBtn = h('button', { type: 'button', class: 'btn', id: 'q-call' }, tx('span', 'queue.call_next'));
  callBtn.addEventListener('click', () => act(callBtn, 'POST', `/api/queue/${enc(unit)}/counters/${no}/call`));
  const refresh = async () => {
    try {
      const [mine, st] = await Promise.all([
        api('GET', `/api/queue/${enc(unit)}/tickets?counter=${no}`),
        api('GET', `/api/queue/stats?unit=${enc(unit)}`)]);
      cur = mine.tickets.find((x) => x.status === 'called') || null;
      const waiting = mine.tickets.filter((x) => x.status === 'waiting');
      const btn = (key, cls, fn) => {
        const b = h('button', { type: 'button', class: `btn ${cls}`, id: `q-${key}` }, tx('span', `queue.${key}`));
        b.addEventListener('click', () => fn(b));
        return b;
      };
      current.replaceChildren(h('div', { class: 'card' }, tx('h2', 'queue.serving'),
        cur ? h('p', { class: 'q-big', id: 'q-serving' }, String(cur.number)) : tx('p', 'queue.none_called', null, { class: 'muted' }),
        cur ? h('p', {}, cur.field, cur.priority ? [' · ', tx('span', 'queue.priority')] : null) : null,
        desk ? h('div', { class: 'actions q-actions' }, callBtn,
          cur ? [btn('recall', 'secondary', (b) => act(b, 'POST', `/api/queue/${enc(unit)}/tickets/${cur.number}/recall`)),
            btn('serve', 'ok', (b) => act(b, 'POST', `/api/queue/${enc(unit)}/tickets/${cur.number}/serve`)),
            btn('no_show', 'danger', (b) => act(b, 'POST', `/api/queue/${enc(unit)}/tickets/${cur.number}/no-show`)),
            transferTo.options.length ? [transferTo, btn('transfer', 'secondary', (b) => act(b, 'POST',
              `/api/queue/${enc(unit)}/tickets/${cur.number}/transfer`, { to_counter: Number(transferTo.value) }))] : null] : null) : null,
        msg));
      waitList.replaceChildren(h('div', { class: 'card' }, tx('h2', 'queue.waiting_list', { n: fmtInt(waiting.length) }),
        waiting.length ? h('ol', { class: 'q-list' }, waiting.slice(0, 30).map((x) => h('li', {}, h('strong', {}, String(x.number)), ` · ${x.field}`,
          x.priority ? [' · ', tx('span', 'queue.priority')] : null))) : tx('p', 'queue.nobody', null, { class: 'muted' })));
      statsBox.replaceChildren(statsCard(st, unit));
    } catch (e) {
      msg.replaceChildren(errorNotice(e));
    }
  };
  root.append(current, waitList);
  if (desk) root.append(deskTools(unit, counters, refresh));
  root.append(statsBox);
  await refresh();
  every(5000, refresh);
}

function deskTools(unit, counters, refresh) {
  const fields = [...new Set(counters.filter((c) => c.active).flatMap((c) => c.fields))];
  const f = h('select', { name: 'field' }, fields.map((x) => h('option', { value: x }, x)));
  const pri = h('input', { type: 'checkbox', name: 'priority', id: 'q-priority' });
  const out = h('p', { 'aria-live': 'polite' });
  const take = h('button', { type: 'submit', class: 'btn' }, tx('span', 'queue.take'));
  const form = h('form', { class: 'card', novalidate: true, id: 'q-desk-take' }, tx('h2', 'queue.desk_take'),
    field('queue.field', f), h('label', { class: 'check' }, pri, ' ', tx('span', 'queue.priority_hint')),
    h('div', { class: 'actions' }, take), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(take, async () => {
      try {
        const tk = await api('POST', `/api/queue/${enc(unit)}/tickets`, { field: f.value, priority: pri.checked });
        out.replaceChildren(tx('span', 'queue.taken', { number: tk.number, n: tk.counter }));
        await refresh();
      } catch (e) {
        showError(form, e, { field: 'field' });
      }
    });
  });
  const code = h('input', { type: 'text', name: 'code' });
  const phone = h('input', { type: 'tel', name: 'phone', id: 'q-ci-phone' });
  const ci = h('button', { type: 'submit', class: 'btn secondary' }, tx('span', 'queue.check_in'));
  const cform = h('form', { class: 'card', novalidate: true, id: 'q-checkin' }, tx('h2', 'queue.check_in_title'),
    h('div', { class: 'grid grid-2' }, field('queue.code', code), field('queue.phone', phone)),
    h('div', { class: 'actions' }, ci));
  cform.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(cform);
    await busy(ci, async () => {
      try {
        const tk = await api('POST', `/api/queue/${enc(unit)}/appointments/${enc(code.value.trim())}/check-in`, { phone: phone.value.trim() });
        cform.append(tx('p', 'queue.taken', { number: tk.number, n: tk.counter }, { class: 'notice ok' }));
        await refresh();
      } catch (e) {
        showError(cform, e, { code: 'code', phone: 'phone' });
      }
    });
  });
  return h('div', { class: 'grid grid-2' }, form, cform);
}

// ---------------------------------------------------------------- the display

// Speaks text in Vietnamese with the browser's speech synthesis (a Vietnamese voice if the
// system has one); the TV's browser needs one click ("Bật đọc số") before it may speak.
function speak(text) {
  const synth = window.speechSynthesis;
  if (!synth || typeof SpeechSynthesisUtterance === 'undefined') return;
  const u = new SpeechSynthesisUtterance(text);
  u.lang = 'vi-VN';
  const voice = synth.getVoices().find((v) => /^vi/i.test(v.lang));
  if (voice) u.voice = voice;
  u.rate = 0.9;
  synth.speak(u);
}

async function displayPage(root, params) {
  document.body.classList.add('q-display-mode');
  window.addEventListener('hashchange', () => document.body.classList.remove('q-display-mode'), { once: true });
  const unit = params.unit || (session.user && session.user.unit);
  if (!unit) {
    const { sel } = await unitPicker(params, '#/man-hinh');
    root.append(h('div', { class: 'card' }, tx('h1', 'queue.display_title'), field('queue.unit', sel)));
    return;
  }
  const title = h('h1', { class: 'q-display-title' });
  const clock = h('span', { class: 'q-clock' });
  const grid = h('div', { class: 'q-display-grid', id: 'q-display' });
  const calls = h('ol', { class: 'q-calls', id: 'q-calls' });
  const sound = h('button', { type: 'button', class: 'btn secondary q-sound', id: 'q-sound' }, tx('span', 'queue.sound_on'));
  sound.addEventListener('click', () => {
    speak(t('queue.sound_test'));
    sound.hidden = true;
  });
  root.append(h('div', { class: 'q-display' }, h('div', { class: 'q-display-head' }, title, clock, sound), grid,
    tx('h2', 'queue.recent_calls'), calls));
  const heard = new Set();
  let first = true;
  const draw = async () => {
    let b;
    try {
      b = await api('GET', `/api/public/queue/${enc(unit)}`);
    } catch (e) {
      grid.replaceChildren(errorNotice(e));
      return;
    }
    title.textContent = b.unit_name;
    clock.textContent = new Date().toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' });
    grid.replaceChildren(...b.counters.map((c) => h('div', { class: `q-tile${c.serving ? ' on' : ''}`, dataset: { counter: String(c.no) } },
      h('div', { class: 'q-tile-counter' }, t('queue.counter_n', { n: c.no })),
      h('div', { class: 'q-tile-number' }, c.serving ? String(c.serving.number) : '—'),
      h('div', { class: 'q-tile-name' }, c.name),
      h('div', { class: 'q-tile-wait' }, t('queue.waiting_n', { n: fmtInt(c.waiting) })))));
    calls.replaceChildren(...b.calls.map((x) => h('li', {}, h('strong', {}, String(x.number)), ' → ', t('queue.counter_n', { n: x.counter }))));
    // speak each call not heard yet (a recall is a new call), oldest first; not the history
    // the page finds when it opens
    for (const x of [...b.calls].reverse()) {
      const key = `${x.number}:${x.calls}`;
      if (heard.has(key)) continue;
      heard.add(key);
      if (!first) speak(x.speech);
    }
    first = false;
  };
  await draw();
  every(POLL_MS, draw);
}

export default async function queueView(root, params, ctx) {
  stopTimers();
  root.classList.add('view-queue');
  if (params.page === 'counter') return counterPage(root, params, ctx);
  if (params.page === 'display') return displayPage(root, params);
  return phonePage(root, params);
}
