// survey2.js — the survey pages beyond the questionnaire (docs/surveys.md):
//   #/khao-sat/phieu-giay/<round>   paper forms: an entry (1 or 2, typed by two officers), the
//                                   forms with their state, the differences of a form per
//                                   question and their resolution (only then it counts)
//   roundActions(code)              on a round's results: paper entry, invitations by SMS
//                                   (leaders), survey points into a PAR round (assessors)
//   downloads(round)                xlsx / PDF / CSV links of the public results
//   slipButton(code)                the desk's result slip with the survey QR code (PDF)
// Texts are this module's own (Vietnamese first, English); errors are shown by their field and
// status in the page's language.

import { api, session } from './api.js';
import { h, busy } from './dom.js';
import { currentLang, fmtInt } from './i18n.js';
import { loginCard } from './login.js';

const enc = encodeURIComponent;
const TEXT = {
  vi: {
    paper: 'Nhập phiếu khảo sát giấy',
    paperhint: 'Mỗi phiếu được hai cán bộ khác nhau nhập độc lập (lần 1 và lần 2). Phiếu chỉ được tính khi hai lần nhập khớp nhau, hoặc khi các chỗ lệch đã được đối chiếu với phiếu giấy.',
    form: 'Số phiếu',
    pass: 'Lần nhập',
    pass1: 'Lần 1',
    pass2: 'Lần 2',
    unit: 'Đơn vị',
    stratum: 'Tầng mẫu (lĩnh vực · kênh nộp · kết quả)',
    noanswer: '— không trả lời —',
    save: 'Lưu lần nhập',
    forms: 'Phiếu đã nhập',
    state: 'Tình trạng',
    by: 'Người nhập',
    waiting: 'Chờ lần nhập thứ hai',
    matched: 'Khớp, đã tính',
    differ: 'Lệch, cần đối chiếu',
    resolved: 'Đã đối chiếu, đã tính',
    noforms: 'Chưa có phiếu giấy nào.',
    saved_waiting: 'Đã lưu; chờ lần nhập thứ hai do cán bộ khác nhập.',
    saved_matched: 'Hai lần nhập khớp nhau: phiếu đã được tính.',
    saved_differ: 'Hai lần nhập khác nhau: đối chiếu với phiếu giấy ở danh sách bên dưới.',
    resolve: 'Đối chiếu',
    resolvehint: 'Chọn giá trị ghi trên phiếu giấy cho từng chỗ lệch.',
    field: 'Mục',
    first: 'Lần 1',
    second: 'Lần 2',
    confirm: 'Xác nhận đối chiếu',
    resolvedok: 'Đã đối chiếu: phiếu đã được tính.',
    samepass: 'Lần nhập này phải do một cán bộ khác với người nhập lần kia thực hiện.',
    dup: 'Lần nhập này của phiếu đã có.',
    other: 'Số phiếu này thuộc đơn vị khác.',
    bad: 'Có giá trị không hợp lệ: ',
    failed: 'Chưa thực hiện được. Vui lòng thử lại.',
    need: 'Vui lòng nhập số phiếu, chọn đơn vị, tầng mẫu và ít nhất một câu trả lời.',
    notify: 'Gửi lời mời qua tin nhắn',
    notified: (q, s) => `Đã xếp ${fmtInt(q)} lời mời vào hàng gửi; ${fmtInt(s)} hồ sơ không có số di động.`,
    topar: 'Chuyển điểm vào Chỉ số CCHC',
    parround: 'Đợt đánh giá Chỉ số CCHC',
    parnode: 'Tiêu chí điều tra xã hội học (mã)',
    surveynode: 'Lấy từ',
    index: 'Chỉ số chung',
    add: 'Thêm dòng',
    moved: (n) => `Đã chuyển ${fmtInt(n)} điểm vào đợt đánh giá.`,
    notsurveyphase: 'Đợt đánh giá chưa ở giai đoạn nhập điểm điều tra xã hội học.',
    notfound: 'Không tìm thấy.',
    downloads: 'Tải kết quả',
    slip: 'In phiếu trả kết quả',
    slipdone: 'Đã tạo phiếu trả kết quả (có mã QR mời khảo sát).',
    slipnone: 'Đã tạo phiếu trả kết quả (hồ sơ không thuộc mẫu khảo sát).',
    back: 'Quay lại kết quả',
  },
  en: {
    paper: 'Paper survey forms',
    paperhint: 'Each form is typed independently by two different officers (entry 1 and entry 2). It counts only when both entries agree, or once the differences have been checked against the paper.',
    form: 'Form number',
    pass: 'Entry',
    pass1: 'Entry 1',
    pass2: 'Entry 2',
    unit: 'Unit',
    stratum: 'Stratum (field · channel · outcome)',
    noanswer: '— no answer —',
    save: 'Save entry',
    forms: 'Forms entered',
    state: 'State',
    by: 'Typed by',
    waiting: 'Waiting for entry 2',
    matched: 'Matched, counted',
    differ: 'Differ: check the paper',
    resolved: 'Resolved, counted',
    noforms: 'No paper form yet.',
    saved_waiting: 'Saved; waiting for the second entry by another officer.',
    saved_matched: 'Both entries agree: the form is counted.',
    saved_differ: 'The entries differ: check the paper in the list below.',
    resolve: 'Resolve',
    resolvehint: 'Choose what the paper form shows for each difference.',
    field: 'Field',
    first: 'Entry 1',
    second: 'Entry 2',
    confirm: 'Confirm',
    resolvedok: 'Resolved: the form is counted.',
    samepass: 'This entry must be typed by another officer than the other entry.',
    dup: 'This entry of the form exists already.',
    other: 'This form number belongs to another unit.',
    bad: 'A value is not valid: ',
    failed: 'That did not work. Please try again.',
    need: 'Please give the form number, unit, stratum and at least one answer.',
    notify: 'Send invitations by SMS',
    notified: (q, s) => `${fmtInt(q)} invitations queued; ${fmtInt(s)} dossiers have no mobile number.`,
    topar: 'Survey points into the PAR index',
    parround: 'PAR assessment round',
    parnode: 'Survey criterion (code)',
    surveynode: 'Taken from',
    index: 'Overall index',
    add: 'Add a row',
    moved: (n) => `${fmtInt(n)} scores moved into the assessment round.`,
    notsurveyphase: 'The assessment round is not in its survey phase.',
    notfound: 'Not found.',
    downloads: 'Download the results',
    slip: 'Print the result slip',
    slipdone: 'Result slip created (with the survey QR code).',
    slipnone: 'Result slip created (the dossier is not in a survey sample).',
    back: 'Back to the results',
  },
};
const T = (k) => (TEXT[currentLang()] || TEXT.vi)[k] || TEXT.vi[k];

function note(kind, text, id) {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status', id }, text);
}

function errText(e) {
  if (e.status === 409 && e.field === 'pass' && /another|khác/i.test(e.message || '') && !/entered already|đã có/.test(e.message || '')) return T('samepass');
  if (e.status === 409 && e.field === 'pass') return T('dup');
  if (e.status === 404 && e.field === 'form') return T('other');
  if (e.status === 404) return T('notfound');
  if (e.status === 400) return T('bad') + (e.field || '');
  if (e.status === 409) return e.message || T('failed');
  return T('failed');
}

// "Chứng thực|postal|on_time" -> "Chứng thực · bưu chính · đúng hạn"
const WORDS = {
  vi: { direct: 'trực tiếp', online: 'trực tuyến', postal: 'bưu chính', early: 'trước hạn', on_time: 'đúng hạn', late: 'quá hạn', none: 'chưa xác định' },
  en: { direct: 'in person', online: 'online', postal: 'by post', early: 'early', on_time: 'on time', late: 'late', none: 'not known' },
};
function stratumText(s) {
  const w = WORDS[currentLang()] || WORDS.vi;
  return s.split('|').map((p, i) => (i ? w[p] || p : p)).join(' · ');
}

function field(label, control) {
  const id = control.id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

// ---- paper forms ---------------------------------------------------------------------------

function entryForm(data, reload) {
  const names = new Map(data.strata.map((s) => [s.unit, s.name || s.unit]));
  const units = [...names.keys()];
  const formNo = h('input', { id: 'pf-form', type: 'text', maxlength: 31, autocomplete: 'off', required: true });
  const pass = h('select', { id: 'pf-pass' }, h('option', { value: '1' }, T('pass1')), h('option', { value: '2' }, T('pass2')));
  const unit = h('select', { id: 'pf-unit' }, units.map((u) => h('option', { value: u }, names.get(u))));
  const stratum = h('select', { id: 'pf-stratum' });
  const fillStrata = () => stratum.replaceChildren(...data.strata.filter((s) => s.unit === unit.value)
    .map((s) => h('option', { value: s.stratum }, stratumText(s.stratum))));
  unit.addEventListener('change', fillStrata);
  fillStrata();
  const qs = data.questions.map((q) => {
    const sel = h('select', { id: `pf-q-${q.code}`, 'data-code': q.code },
      h('option', { value: '' }, T('noanswer')), q.options.map((o) => h('option', { value: o.value }, `${o.value} · ${o.label}`)));
    return field(`${q.code}. ${q.title}`, sel);
  });
  const msg = h('div', { 'aria-live': 'polite', id: 'pf-msg' });
  const save = h('button', { type: 'submit', class: 'btn', id: 'pf-save' }, T('save'));
  const f = h('form', { id: 'paper-entry', novalidate: true },
    h('div', { class: 'grid grid-2' }, field(T('form'), formNo), field(T('pass'), pass),
      field(T('unit'), unit), field(T('stratum'), stratum)),
    h('div', { class: 'sv-paper-questions' }, qs), msg, h('div', { class: 'actions' }, save), h('hr'));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const answers = {};
    f.querySelectorAll('select[data-code]').forEach((s) => { if (s.value) answers[s.dataset.code] = s.value; });
    if (!formNo.value.trim() || !unit.value || !stratum.value || !Object.keys(answers).length) {
      msg.replaceChildren(note('error', T('need'), 'pf-error'));
      return;
    }
    busy(save, async () => {
      try {
        const r = await api('POST', `/api/surveys/${enc(data.round)}/paper`, {
          form: formNo.value.trim(), pass: Number(pass.value), unit: unit.value, stratum: stratum.value, answers,
        });
        await reload(note(r.state === 'differ' ? 'warn' : 'ok', T(`saved_${r.state}`), 'pf-done'));
      } catch (e) {
        msg.replaceChildren(note('error', errText(e), 'pf-error'));
      }
    });
  });
  return f;
}

function resolveForm(data, form, reload) {
  const msg = h('div', { 'aria-live': 'polite' });
  const rows = form.differences.map((d, i) => {
    const name = `rs-${form.form}-${i}`;
    const opts = [d.first, d.second].filter((v, k, a) => a.indexOf(v) === k);
    if (d.field !== 'unit' && d.field !== 'stratum' && !opts.includes('-')) opts.push('-');
    return h('fieldset', { class: 'sv-question', 'data-field': d.field },
      h('legend', {}, `${d.field} — ${T('first')}: ${d.field === 'stratum' ? stratumText(d.first) : d.first}; ${T('second')}: ${d.field === 'stratum' ? stratumText(d.second) : d.second}`),
      h('div', { class: 'sv-options' }, opts.map((v, k) => h('label', { class: 'sv-option', for: `${name}-${k}` },
        h('input', { type: 'radio', name, id: `${name}-${k}`, value: v }), h('span', {}, v === '-' ? T('noanswer') : d.field === 'stratum' ? stratumText(v) : v)))));
  });
  const ok = h('button', { type: 'submit', class: 'btn', 'data-resolve': form.form }, T('confirm'));
  const f = h('form', { class: 'sv-resolve', novalidate: true }, h('p', { class: 'hint' }, T('resolvehint')), rows, msg,
    h('div', { class: 'actions' }, ok));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const values = {};
    f.querySelectorAll('fieldset[data-field]').forEach((fs) => {
      const c = fs.querySelector('input:checked');
      if (c) values[fs.dataset.field] = c.value;
    });
    busy(ok, async () => {
      try {
        await api('POST', `/api/surveys/${enc(data.round)}/paper/${enc(form.form)}/resolve`, { values });
        await reload(note('ok', T('resolvedok'), 'pf-done'));
      } catch (e) {
        msg.replaceChildren(note('error', errText(e), 'pf-error'));
      }
    });
  });
  return f;
}

function formsTable(data, reload) {
  const names = new Map(data.strata.map((s) => [s.unit, s.name || s.unit]));
  if (!data.forms.length) return h('p', { class: 'muted', id: 'paper-none' }, T('noforms'));
  return h('div', { class: 'table-wrap' }, h('table', { id: 'paper-forms' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, T('form')), h('th', { scope: 'col' }, T('unit')),
      h('th', { scope: 'col' }, T('state')), h('th', { scope: 'col' }, T('by')))),
    h('tbody', {}, data.forms.map((f) => [
      h('tr', { 'data-form': f.form, 'data-state': f.state },
        h('td', {}, f.form), h('td', {}, names.get(f.unit) || f.unit),
        h('td', {}, h('span', { class: `badge ${f.state === 'differ' ? 'st-paused' : f.state === 'waiting' ? 'st-processing' : 'st-returned'}` }, T(f.state))),
        h('td', {}, [f.by1, f.by2, f.resolved_by].filter(Boolean).join(' · '))),
      f.state === 'differ' ? h('tr', { class: 'sv-resolve-row' }, h('td', { colspan: 4 }, resolveForm(data, f, reload))) : null,
    ]))));
}

async function paperPage(root, round, ctx) {
  if (!session.user || session.user.role === 'citizen') {
    loginCard(root, ctx, 'login.for_dashboard');
    return;
  }
  const card = h('div', { class: 'card' });
  root.append(card);
  const list = h('section', { 'aria-labelledby': 'pf-forms-title' });
  const entry = h('section');
  const status = h('div', { 'aria-live': 'polite' });
  const reload = async (msg) => {
    const data = await api('GET', `/api/surveys/${enc(round)}/paper`);
    if (!entry.firstChild) entry.append(entryForm(data, reload));
    status.replaceChildren(msg || '');
    list.replaceChildren(h('h2', { id: 'pf-forms-title' }, T('forms')), formsTable(data, reload));
    if (msg) {
      entry.replaceChildren(entryForm(data, reload));
      status.querySelector('p')?.focus?.();
    }
  };
  card.append(h('h1', {}, `${T('paper')} · ${round}`),
    h('p', {}, h('a', { href: `#/khao-sat?round=${enc(round)}` }, T('back'))),
    h('p', { class: 'hint' }, T('paperhint')), status, entry, list);
  try {
    await reload();
  } catch (e) {
    card.append(note('error', errText(e)));
  }
}

// ---- on a round's results -------------------------------------------------------------------

function toParForm(code, nodes) {
  const round = h('input', { id: 'tp-round', type: 'text', maxlength: 63, autocomplete: 'off' });
  const choices = [['index', T('index')], ...nodes.filter((n) => n.level !== 'question').map((n) => [n.code, `${n.code} ${n.title}`])];
  let k = 0;
  const row = () => {
    k += 1;
    return h('div', { class: 'grid grid-2 tp-row' },
      field(T('parnode'), h('input', { id: `tp-par-${k}`, type: 'text', maxlength: 31, class: 'tp-par' })),
      field(T('surveynode'), h('select', { id: `tp-node-${k}`, class: 'tp-node' }, choices.map(([v, l]) => h('option', { value: v }, l)))));
  };
  const rows = h('div', {}, row());
  const addBtn = h('button', { type: 'button', class: 'btn secondary' }, T('add'));
  addBtn.addEventListener('click', () => rows.append(row()));
  const msg = h('div', { 'aria-live': 'polite' });
  const go = h('button', { type: 'submit', class: 'btn', id: 'tp-go' }, T('topar'));
  const f = h('form', { id: 'survey-to-par', novalidate: true }, h('h3', {}, T('topar')), field(T('parround'), round), rows,
    msg, h('div', { class: 'actions' }, addBtn, go));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const map = {};
    rows.querySelectorAll('.tp-row').forEach((r) => {
      const p = r.querySelector('.tp-par').value.trim();
      if (p) map[p] = r.querySelector('.tp-node').value;
    });
    busy(go, async () => {
      try {
        const r = await api('POST', `/api/surveys/${enc(code)}/to-par`, { par_round: round.value.trim(), map });
        msg.replaceChildren(note('ok', T('moved')(r.rows), 'tp-done'));
      } catch (e) {
        msg.replaceChildren(note('error', e.status === 409 ? T('notsurveyphase') : errText(e), 'tp-error'));
      }
    });
  });
  return f;
}

export function roundActions(code, data) {
  const role = session.user ? session.user.role : '';
  const box = h('div', { class: 'actions no-print', id: 'survey-actions' });
  const msg = h('div', { 'aria-live': 'polite' });
  if (role !== 'par_assessor') box.append(h('a', { class: 'btn secondary', id: 'survey-paper-link', href: `#/khao-sat/phieu-giay/${enc(code)}` }, T('paper')));
  if (role === 'leader' || role === 'admin') {
    const b = h('button', { type: 'button', class: 'btn secondary', id: 'survey-notify' }, T('notify'));
    b.addEventListener('click', () => busy(b, async () => {
      try {
        const r = await api('POST', `/api/surveys/${enc(code)}/notify`);
        msg.replaceChildren(note('ok', T('notified')(r.queued, r.skipped), 'survey-notified'));
      } catch (e) {
        msg.replaceChildren(note('error', errText(e)));
      }
    }));
    box.append(b);
  }
  box.append(downloads(code));
  return h('div', {}, box, msg, role === 'par_assessor' ? toParForm(code, data.nodes) : null);
}

export function downloads(round) {
  return h('span', { class: 'sv-downloads', id: 'survey-downloads' }, `${T('downloads')}: `,
    ['xlsx', 'pdf', 'csv'].map((f, i) => [i ? ' · ' : '', h('a', { href: `/api/public/surveys/${enc(round)}/export?format=${f}`, download: '', 'data-format': f }, f.toUpperCase())]));
}

// The desk's result slip: a POST (the invitation gets a new token), the PDF opened for print.
export function slipButton(code) {
  const b = h('button', { type: 'button', class: 'btn secondary', id: 'result-slip' }, T('slip'));
  const msg = h('span', { 'aria-live': 'polite', class: 'small' });
  b.addEventListener('click', () => busy(b, async () => {
    try {
      const res = await fetch(`/api/dossiers/${enc(code)}/result-slip`, {
        method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': session.csrf || '', 'Accept-Language': currentLang() },
      });
      if (!res.ok) throw Object.assign(new Error('slip'), { status: res.status });
      const invited = res.headers.get('X-Cchc-Survey') === 'invited';
      const url = URL.createObjectURL(await res.blob());
      const a = h('a', { href: url, download: `phieu-tra-ket-qua-${code}.pdf`, id: 'result-slip-file' });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      msg.replaceChildren(T(invited ? 'slipdone' : 'slipnone'));
    } catch (e) {
      msg.replaceChildren(errText(e));
    }
  }));
  return h('span', {}, b, ' ', msg);
}

export default async function survey2(root, params, ctx) {
  return paperPage(root, params.round, ctx);
}
