// feedback.js — feedback and petitions (phản ánh, kiến nghị), three pages:
//   #/phan-anh            the citizen's form (no account; contact optional; a photo or PDF),
//                         then the follow-up code; following an item by its code and rating
//                         its answer once
//   #/phan-anh/cong-khai  the published answers, searchable without diacritics
//   #/phan-anh/xu-ly      the officers' queue of their units, one item's actions (accept,
//                         refuse, forward, start, answer from a template, publish)
// The page's texts live here (Vietnamese first, English), so the resource stays in its file.

import { api, qs, session } from './api.js';
import { h, append, showError, clearErrors, busy, fmtInstant, errorNotice } from './dom.js';
import { currentLang, onLangChange } from './i18n.js';
import { exportButtons } from './export.js';

const TEXT = {
  vi: {
    title: 'Gửi phản ánh, kiến nghị',
    lead: 'Không cần tài khoản. Để nhận trả lời qua điện thoại hoặc thư điện tử, hãy để lại thông tin liên hệ (không bắt buộc).',
    kind: 'Loại', unit: 'Đơn vị tiếp nhận', dossier: 'Mã hồ sơ liên quan (nếu có)', body: 'Nội dung',
    name: 'Họ tên', phone: 'Số điện thoại', email: 'Thư điện tử', consent: 'Tôi đồng ý công khai câu trả lời (thông tin cá nhân được che)',
    file: 'Ảnh hoặc tệp PDF (không bắt buộc, tối đa 5 MB)', send: 'Gửi phản ánh',
    sent: 'Đã gửi. Mã theo dõi của ông/bà:', dup: 'Nội dung này đã được gửi trong ngày; mã theo dõi:',
    keep: 'Hãy ghi lại mã này để tra cứu tiến độ và câu trả lời.',
    follow: 'Tra cứu phản ánh', code: 'Mã theo dõi', look: 'Tra cứu',
    status: 'Trạng thái', received: 'Ngày tiếp nhận', due: 'Hạn trả lời', answer: 'Câu trả lời', none: 'Chưa có',
    rate: 'Đánh giá câu trả lời', rated: 'Cảm ơn ông/bà đã đánh giá.',
    published: 'Câu trả lời đã công khai', search: 'Tìm kiếm', q: 'Từ khóa (có thể gõ không dấu)', empty: 'Không có câu trả lời nào khớp.',
    queue: 'Phản ánh, kiến nghị cần xử lý', signin: 'Vui lòng đăng nhập tại trang Một cửa để xử lý phản ánh.',
    all: 'Tất cả', overdue: 'Quá hạn', act: 'Xử lý', note: 'Lý do', to_unit: 'Chuyển đến đơn vị', template: 'Mẫu trả lời',
    accept: 'Thụ lý', refuse: 'Không thụ lý', forward: 'Chuyển', start: 'Bắt đầu xử lý', answer_btn: 'Trả lời', publish: 'Công khai',
    done: 'Đã cập nhật.', contact: 'Liên hệ', rating: 'Đánh giá', nav_form: 'Gửi phản ánh', nav_pub: 'Câu trả lời đã công khai', nav_queue: 'Xử lý phản ánh',
    kinds: { regulation: 'Về quy định hành chính', handling: 'Về giải quyết hồ sơ, thái độ cán bộ', suggestion: 'Góp ý, đề xuất' },
    outcomes: { on_time: 'Đúng hạn', late: 'Trễ hạn', in_time: 'Trong hạn', overdue: 'Quá hạn', none: '' },
    statuses: { received: 'Đã tiếp nhận', accepted: 'Đã thụ lý', refused: 'Không thụ lý', forwarded: 'Đã chuyển', in_progress: 'Đang xử lý', answered: 'Đã trả lời', published: 'Đã công khai' },
  },
  en: {
    title: 'Send feedback or a petition',
    lead: 'No account needed. To get the answer by phone or e-mail, leave your contact (optional).',
    kind: 'Kind', unit: 'Receiving unit', dossier: 'Related dossier code (if any)', body: 'Text',
    name: 'Name', phone: 'Phone', email: 'E-mail', consent: 'The answer may be published (personal data masked)',
    file: 'Photo or PDF (optional, up to 5 MB)', send: 'Send',
    sent: 'Sent. Your follow-up code:', dup: 'This text was already sent today; follow-up code:',
    keep: 'Keep this code to follow the progress and the answer.',
    follow: 'Follow an item', code: 'Follow-up code', look: 'Look up',
    status: 'Status', received: 'Received', due: 'Answer due', answer: 'Answer', none: 'None yet',
    rate: 'Rate the answer', rated: 'Thank you for your rating.',
    published: 'Published answers', search: 'Search', q: 'Words (diacritics optional)', empty: 'No answer matches.',
    queue: 'Feedback to handle', signin: 'Please sign in on the one-stop desk page to handle feedback.',
    all: 'All', overdue: 'Overdue', act: 'Handle', note: 'Reason', to_unit: 'Forward to unit', template: 'Reply template',
    accept: 'Accept', refuse: 'Refuse', forward: 'Forward', start: 'Start', answer_btn: 'Answer', publish: 'Publish',
    done: 'Updated.', contact: 'Contact', rating: 'Rating', nav_form: 'Send feedback', nav_pub: 'Published answers', nav_queue: 'Handle feedback',
    kinds: { regulation: 'On an administrative regulation', handling: 'On a dossier\'s handling or an officer', suggestion: 'Suggestion' },
    outcomes: { on_time: 'On time', late: 'Late', in_time: 'In time', overdue: 'Overdue', none: '' },
    statuses: { received: 'Received', accepted: 'Accepted', refused: 'Refused', forwarded: 'Forwarded', in_progress: 'In progress', answered: 'Answered', published: 'Published' },
  },
};
const T = () => TEXT[currentLang()] || TEXT.vi;

let langHooked = false;

export default async function feedback(root, params, ctx) {
  if (!langHooked) {
    langHooked = true;
    onLangChange(() => { if (/^#\/phan-anh/.test(location.hash)) ctx.rerender(); });
  }
  const nav = h('nav', { class: 'tabs', 'aria-label': T().title },
    ...[['form', '#/phan-anh', T().nav_form], ['public', '#/phan-anh/cong-khai', T().nav_pub], ['queue', '#/phan-anh/xu-ly', T().nav_queue]]
      .map(([p, href, text]) => h('a', { href, role: 'tab', 'aria-selected': String(params.page === p), 'aria-current': params.page === p ? 'page' : null }, text)));
  root.append(nav);
  if (params.page === 'public') return publicList(root);
  if (params.page === 'queue') return queue(root);
  return citizenForm(root, params);
}

function labelled(text, control, req) {
  control.id = control.id || `fb-${control.name}`;
  return h('div', { class: 'field' }, h('label', { for: control.id }, text, req ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null), control);
}

function badge(status) {
  return h('span', { class: `badge st-${status}` }, T().statuses[status] || status);
}

async function unitOptions(select, preferKinds) {
  try {
    const r = await api('GET', '/api/units');
    const list = (r.units || []).filter((u) => preferKinds.includes(u.kind) && !u.valid_to);
    for (const u of list) select.append(h('option', { value: u.code }, u.name));
  } catch {
    /* the field stays empty: the server names the problem */
  }
}

function fileBase64(file) {
  return new Promise((resolve, reject) => {
    const rd = new FileReader();
    rd.onload = () => resolve(String(rd.result).replace(/^data:[^,]*,/, ''));
    rd.onerror = () => reject(rd.error);
    rd.readAsDataURL(file);
  });
}

function citizenForm(root, params) {
  const tt = T();
  const kind = h('select', { name: 'kind' }, ...Object.entries(tt.kinds).map(([k, v]) => h('option', { value: k }, v)));
  const unit = h('select', { name: 'unit' });
  unitOptions(unit, ['ward', 'commune', 'department']);
  const dossier = h('input', { type: 'text', name: 'dossier', autocomplete: 'off', value: params.dossier || '' });
  const body = h('textarea', { name: 'body', rows: 6, maxlength: 4000 });
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'name' });
  const phone = h('input', { type: 'tel', name: 'phone', autocomplete: 'tel', inputmode: 'tel' });
  const email = h('input', { type: 'text', name: 'email', autocomplete: 'email', inputmode: 'email' });
  const consent = h('input', { type: 'checkbox', name: 'consent', id: 'fb-consent' });
  const file = h('input', { type: 'file', name: 'files', accept: 'image/jpeg,image/png,application/pdf' });
  const send = h('button', { type: 'submit', class: 'btn', id: 'fb-send' }, tt.send);
  const result = h('div', { id: 'fb-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'card', novalidate: true, id: 'fb-form' },
    h('h1', {}, tt.title), h('p', { class: 'muted' }, tt.lead),
    labelled(tt.kind, kind, true), labelled(tt.unit, unit, !params.dossier), labelled(tt.dossier, dossier),
    labelled(tt.body, body, true), labelled(tt.name, name), labelled(tt.phone, phone), labelled(tt.email, email),
    h('div', { class: 'choice' }, consent, h('label', { for: 'fb-consent' }, tt.consent)),
    labelled(tt.file, file),
    h('div', { class: 'actions' }, send));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const req = { kind: kind.value, body: body.value.trim(), consent: consent.checked };
    if (dossier.value.trim()) req.dossier = dossier.value.trim();
    else if (unit.value) req.unit = unit.value;
    for (const [k, el] of [['name', name], ['phone', phone], ['email', email]]) if (el.value.trim()) req[k] = el.value.trim();
    await busy(send, async () => {
      try {
        if (file.files[0]) req.files = [{ name: file.files[0].name, content_base64: await fileBase64(file.files[0]) }];
        const r = await api('POST', '/api/public/feedback', req);
        result.replaceChildren(h('div', { class: 'notice ok', id: 'fb-code-box' },
          h('p', {}, r.duplicate ? tt.dup : tt.sent, ' ', h('strong', { id: 'fb-code' }, r.code)), h('p', {}, tt.keep)));
        form.reset();
      } catch (e) {
        showError(form, e, { files: 'files', file: 'files' });
      }
    });
  });
  root.append(h('div', { class: 'narrow' }, form, result, followBox(params.code)));
}

function followBox(initial) {
  const tt = T();
  const code = h('input', { type: 'text', name: 'code', autocomplete: 'off', autocapitalize: 'characters', value: initial || '' });
  const go = h('button', { type: 'submit', class: 'btn secondary' }, tt.look);
  const out = h('div', { id: 'fb-follow-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'card', novalidate: true, id: 'fb-follow' }, h('h2', {}, tt.follow), labelled(tt.code, code, true), h('div', { class: 'actions' }, go));
  const show = async () => {
    clearErrors(form);
    try {
      const r = await api('GET', `/api/public/feedback/${encodeURIComponent(code.value.trim())}`);
      const rows = [[tt.status, badge(r.status)], [tt.received, fmtInstant(r.received_at)], [tt.due, r.answer_due_at ? fmtInstant(r.answer_due_at) : tt.none],
        [tt.answer, r.answer || tt.none]];
      const dl = h('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
      out.replaceChildren(h('div', { class: 'card' }, dl, r.can_rate ? rateBox(r.code, out) : null));
    } catch (e) {
      out.replaceChildren();
      showError(form, e);
    }
  };
  form.addEventListener('submit', (ev) => { ev.preventDefault(); busy(go, show); });
  if (initial) show();
  return h('div', {}, form, out);
}

function rateBox(code, out) {
  const tt = T();
  const box = h('div', { class: 'rating', id: 'fb-rate' }, h('p', {}, tt.rate));
  for (let s = 1; s <= 5; s++) {
    const b = h('button', { type: 'button', class: 'btn secondary', 'data-score': s }, '★'.repeat(s));
    b.addEventListener('click', async () => {
      try {
        await api('POST', `/api/public/feedback/${encodeURIComponent(code)}/rating`, { score: s });
        box.replaceChildren(h('p', { class: 'notice ok' }, tt.rated));
      } catch (e) {
        out.append(errorNotice(e));
      }
    });
    box.append(b);
  }
  return box;
}

async function publicList(root) {
  const tt = T();
  const q = h('input', { type: 'search', name: 'q' });
  const go = h('button', { type: 'submit', class: 'btn' }, tt.search);
  const list = h('div', { id: 'fb-published', 'aria-live': 'polite' });
  const form = h('form', { class: 'card', role: 'search' }, h('h1', {}, tt.published), labelled(tt.q, q), h('div', { class: 'actions' }, go));
  const load = async () => {
    try {
      const r = await api('GET', `/api/public/feedback-answers${qs({ q: q.value.trim() })}`);
      list.replaceChildren(...(r.items.length ? r.items.map((it) => h('article', { class: 'card fb-answer' },
        h('p', { class: 'muted' }, `${it.code} · ${tt.kinds[it.kind] || it.kind_label} · ${fmtInstant(it.answered_at)}`),
        h('p', {}, it.body), h('p', {}, h('strong', {}, `${tt.answer}: `), it.answer))) : [h('p', { class: 'muted' }, tt.empty)]));
    } catch (e) {
      list.replaceChildren(errorNotice(e));
    }
  };
  form.addEventListener('submit', (ev) => { ev.preventDefault(); busy(go, load); });
  root.append(h('div', { class: 'narrow' }, form, list));
  await load();
}

async function queue(root) {
  const tt = T();
  if (!session.user || !['desk_officer', 'specialist', 'leader', 'admin'].includes(session.user.role)) {
    root.append(h('div', { class: 'card' }, h('h1', {}, tt.queue), h('p', {}, h('a', { href: '#/mot-cua' }, tt.signin))));
    return;
  }
  const filter = h('select', { name: 'filter' }, h('option', { value: '' }, tt.all), h('option', { value: 'overdue' }, tt.overdue),
    ...Object.entries(tt.statuses).map(([k, v]) => h('option', { value: k }, v)));
  const list = h('div', { id: 'fb-queue' });
  const detail = h('div', { id: 'fb-detail' });
  const load = async () => {
    const f = filter.value;
    try {
      const path = `/api/feedback${qs({ status: f && f !== 'overdue' ? f : '', outcome: f === 'overdue' ? 'overdue' : '', limit: 200 })}`;
      const r = await api('GET', path);
      const rows = r.items.slice().reverse().map((it) => {
        const tr = h('tr', {},
          h('td', {}, h('a', { href: '#/phan-anh/xu-ly', 'data-code': it.code }, it.code)),
          h('td', {}, tt.kinds[it.kind] || it.kind), h('td', {}, badge(it.status)),
          h('td', {}, it.answer_due_at ? fmtInstant(it.answer_due_at) : fmtInstant(it.decide_due_at)),
          h('td', {}, tt.outcomes[it.outcome] || ''), h('td', { class: 'clip' }, it.body));
        tr.querySelector('a').addEventListener('click', (ev) => { ev.preventDefault(); openItem(it.code, detail, load); });
        return tr;
      });
      list.replaceChildren(r.items.length ? exportButtons(path, 'export-feedback') : '', h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
        h('thead', {}, h('tr', {}, ...[tt.code, tt.kind, tt.status, tt.due, '', tt.body].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, ...rows))));
    } catch (e) {
      list.replaceChildren(errorNotice(e));
    }
  };
  filter.addEventListener('change', load);
  root.append(h('div', { class: 'card' }, h('h1', {}, tt.queue), labelled(tt.status, filter)), detail, list);
  await load();
}

async function openItem(code, detail, reload) {
  const tt = T();
  let it;
  try {
    it = await api('GET', `/api/feedback/${encodeURIComponent(code)}`);
  } catch (e) {
    detail.replaceChildren(errorNotice(e));
    return;
  }
  const note = h('input', { type: 'text', name: 'note', maxlength: 399 });
  const toUnit = h('select', { name: 'to_unit' }, h('option', { value: '' }, '—'));
  unitOptions(toUnit, ['ward', 'commune', 'department']);
  const answer = h('textarea', { name: 'answer', rows: 5, maxlength: 4000 });
  const tpl = h('select', { name: 'template' }, h('option', { value: '' }, '—'));
  try {
    const r = await api('GET', '/api/feedback-templates');
    for (const t of r.templates) tpl.append(h('option', { value: t.code, 'data-body': t.body }, t.title));
  } catch { /* no templates */ }
  tpl.addEventListener('change', () => {
    const o = tpl.selectedOptions[0];
    if (o && o.dataset.body) answer.value = o.dataset.body;
  });
  const form = h('form', { class: 'card', novalidate: true, id: 'fb-act' });
  const act = (action, body) => async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      await api('POST', `/api/feedback/${encodeURIComponent(code)}/${action}`, body());
      document.getElementById('toast').replaceChildren(h('div', { class: 'notice ok' }, tt.done));
      await reload();
      await openItem(code, detail, reload);
    } catch (e) {
      showError(form, e);
    }
  };
  const btn = (action, label, body) => {
    const b = h('button', { type: 'button', class: 'btn secondary', id: `fb-do-${action}` }, label);
    b.addEventListener('click', act(action, body));
    return b;
  };
  const s = it.status;
  const decide = s === 'received' || s === 'forwarded';
  const c = it.contact || {};
  append(form, [
    h('h2', {}, `${it.code} · `, badge(s)),
    h('p', {}, it.body),
    h('p', { class: 'muted' }, `${tt.contact}: ${[c.name, c.phone, c.email].filter(Boolean).join(' · ') || tt.none}`),
    it.answer ? h('p', {}, h('strong', {}, `${tt.answer}: `), it.answer) : null,
    it.rating ? h('p', {}, `${tt.rating}: ${'★'.repeat(it.rating)}`) : null,
    decide ? labelled(tt.note, note) : null,
    decide ? labelled(tt.to_unit, toUnit) : null,
    s === 'accepted' || s === 'in_progress' ? labelled(tt.template, tpl) : null,
    s === 'accepted' || s === 'in_progress' ? labelled(tt.answer, answer) : null,
    h('div', { class: 'actions' },
      decide ? btn('accept', tt.accept, () => ({})) : null,
      decide ? btn('refuse', tt.refuse, () => ({ note: note.value.trim() })) : null,
      decide ? btn('forward', tt.forward, () => ({ note: note.value.trim(), to_unit: toUnit.value })) : null,
      s === 'accepted' ? btn('start', tt.start, () => ({})) : null,
      s === 'accepted' || s === 'in_progress' ? btn('answer', tt.answer_btn, () => ({ answer: answer.value.trim() })) : null,
      s === 'answered' && it.consent ? btn('publish', tt.publish, () => ({})) : null)]);
  detail.replaceChildren(form);
  form.querySelector('h2').setAttribute('tabindex', '-1');
  form.querySelector('h2').focus();
}
