// survey3.js — DDCI's businesses of a survey round (docs/surveys.md), on a round's results in
// #/khao-sat for leaders and administrators: draw a unit's businesses from its business-
// registration dossiers (one invitation per business), or import a CSV list of businesses
// (tax_code,name,contact,sector); a list with problems shows each line's problem and nothing
// is added. The new invitations' links are shown once, with a CSV to download for the letters.

import { api, session } from './api.js';
import { h, busy } from './dom.js';
import { currentLang, fmtInt } from './i18n.js';

const enc = encodeURIComponent;
const TEXT = {
  vi: {
    title: 'Doanh nghiệp được khảo sát (DDCI)',
    intro: 'Mỗi đơn vị được chọn mẫu một lần trong đợt, theo sai số và hạt giống của đợt. Mỗi doanh nghiệp nhận một lời mời.',
    unit: 'Đơn vị được đánh giá (mã)',
    source: 'Nguồn doanh nghiệp',
    dossiers: 'Hồ sơ đăng ký kinh doanh đã trả kết quả trong kỳ',
    list: 'Danh sách nhập từ tệp CSV (tax_code, name, contact, sector)',
    file: 'Tệp CSV',
    go: 'Chọn mẫu doanh nghiệp',
    done: (n, u) => `Đã mời ${fmtInt(n)} doanh nghiệp của ${u}. Đường dẫn chỉ hiện một lần: hãy tải danh sách.`,
    download: 'Tải danh sách lời mời (CSV)',
    who: 'Hồ sơ / mã số thuế', stratum: 'Tầng', link: 'Đường dẫn',
    problems: 'Danh sách có lỗi, chưa doanh nghiệp nào được thêm:',
    nofile: 'Chọn tệp CSV của danh sách.',
    nounit: 'Nhập mã đơn vị.',
    failed: 'Chưa chọn được mẫu. Vui lòng thử lại.',
    notfound: 'Không có đơn vị này trong phạm vi của bạn.',
  },
  en: {
    title: 'Businesses surveyed (DDCI)',
    intro: "Each unit is sampled once per round, with the round's margin and seed. Each business gets one invitation.",
    unit: 'Unit rated (code)',
    source: 'Businesses from',
    dossiers: 'Business-registration dossiers returned in the period',
    list: 'A list imported from a CSV file (tax_code, name, contact, sector)',
    file: 'CSV file',
    go: 'Sample businesses',
    done: (n, u) => `${fmtInt(n)} businesses of ${u} invited. The links are shown once: download the list.`,
    download: 'Download the invitations (CSV)',
    who: 'Dossier / tax code', stratum: 'Stratum', link: 'Link',
    problems: 'The list has problems; no business was added:',
    nofile: 'Choose the CSV file of the list.',
    nounit: 'Enter the unit code.',
    failed: 'The sample could not be drawn. Please try again.',
    notfound: 'No such unit in your scope.',
  },
};
const T = (k) => (TEXT[currentLang()] || TEXT.vi)[k] || TEXT.vi[k];

// The list checker's rules (src/core/survey_business.c) in Vietnamese; FILE:LINE stays.
const RULES_VI = [
  [/: tax_code: /, ': mã số thuế: '], [/: name: /, ': tên: '], [/: contact: /, ': liên hệ: '],
  [/: sector: /, ': ngành: '], [/: header: /, ': dòng tiêu đề: '],
  [/10 digits, 10 digits-3 digits \(a branch\) or 12 digits/, 'mã số thuế gồm 10 chữ số, 10 chữ số-3 chữ số (chi nhánh) hoặc 12 chữ số (số định danh cá nhân)'],
  [/is required/, 'bắt buộc'], [/already on line (\d+): one row per business/, 'đã có ở dòng $1: mỗi doanh nghiệp một dòng'],
  [/unknown column \(tax_code, name, contact, sector\)/, 'cột không có trong mẫu (tax_code, name, contact, sector)'],
  [/column missing/, 'thiếu cột'], [/twice/, 'lặp lại'], [/longer than (\d+) bytes/, 'dài quá $1 byte'],
  [/holds a control character/, 'chứa ký tự điều khiển'], [/not UTF-8/, 'không phải UTF-8'],
  [/no businesses: a header and at least one row/, 'không có doanh nghiệp: cần dòng tiêu đề và ít nhất một dòng'],
  [/malformed CSV/, 'tệp CSV sai định dạng'],
];
const problemText = (p) => (currentLang() === 'en' ? p : RULES_VI.reduce((s, [re, to]) => s.replace(re, to), p));

function note(kind, text, id) {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status', id }, text);
}

const csvCell = (v) => (/[",\n]/.test(v) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

function invitationsTable(r) {
  const rows = [['unit', 'stratum', 'who', 'token', 'link'], ...r.invitations.map((i) => [r.unit, i.stratum, i.who, i.token, i.link])];
  const url = URL.createObjectURL(new Blob([`\ufeff${rows.map((x) => x.map(csvCell).join(',')).join('\r\n')}\r\n`], { type: 'text/csv' }));
  return h('div', {},
    h('p', {}, h('a', { href: url, download: `loi-moi-${r.round}-${r.unit}.csv`, id: 'survey-biz-download', class: 'btn secondary' }, T('download'))),
    h('div', { class: 'table-wrap' }, h('table', { id: 'survey-biz-invitations' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, T('who')), h('th', { scope: 'col' }, T('stratum')), h('th', { scope: 'col' }, T('link')))),
      h('tbody', {}, r.invitations.map((i) => h('tr', {}, h('td', {}, i.who), h('td', {}, i.stratum.replace(/\|/g, ' · ')),
        h('td', { class: 'small' }, h('a', { href: i.link }, i.link))))))));
}

// POST with the body's problems kept (api() keeps only the error object).
async function post(round, body) {
  const res = await fetch(`/api/surveys/${enc(round)}/businesses`, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf || '', 'Accept-Language': currentLang() },
    body: JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  return { status: res.status, data };
}

export function businessCard(round, data) {
  const role = session.user ? session.user.role : '';
  if (data.kind !== 'ddci' || (role !== 'leader' && role !== 'admin')) return null;
  const unit = h('input', { id: 'survey-biz-unit', name: 'unit', list: 'survey-biz-units', required: true, autocomplete: 'off' });
  const units = h('datalist', { id: 'survey-biz-units' });
  api('GET', '/api/units').then((r) => {
    const all = Array.isArray(r) ? r : r.units || [];
    units.replaceChildren(...all.map((u) => h('option', { value: u.code }, u.name)));
  }).catch(() => {});
  const radio = (v, label, checked) => h('label', { class: 'radio' },
    h('input', { type: 'radio', name: 'survey-biz-source', value: v, checked: checked || null }), ` ${label}`);
  const file = h('input', { type: 'file', id: 'survey-biz-file', accept: '.csv,text/csv' });
  const fileRow = h('p', { hidden: true }, h('label', { for: 'survey-biz-file' }, T('file')), ' ', file);
  const btn = h('button', { type: 'submit', class: 'btn', id: 'survey-biz-go' }, T('go'));
  const out = h('div', { 'aria-live': 'polite', id: 'survey-biz-result' });
  const form = h('form', { id: 'survey-biz-form', novalidate: true },
    h('p', {}, h('label', { for: 'survey-biz-unit' }, T('unit')), ' ', unit, units),
    h('fieldset', {}, h('legend', {}, T('source')), radio('dossiers', T('dossiers'), true), h('br'), radio('list', T('list'))),
    fileRow, h('p', {}, btn));
  form.addEventListener('change', () => {
    fileRow.hidden = form.querySelector('input[name="survey-biz-source"]:checked').value !== 'list';
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(btn, async () => {
      const source = form.querySelector('input[name="survey-biz-source"]:checked').value;
      if (!unit.value.trim()) return out.replaceChildren(note('error', T('nounit')));
      const body = { unit: unit.value.trim(), source };
      if (source === 'list') {
        if (!file.files.length) return out.replaceChildren(note('error', T('nofile')));
        body.csv = await file.files[0].text();
        body.file = file.files[0].name.slice(0, 80);
      }
      try {
        const { status, data: r } = await post(round, body);
        if (status === 201) {
          out.replaceChildren(note('ok', T('done')(r.invited, r.unit), 'survey-biz-done'), invitationsTable(r));
        } else if (r.problems) {
          out.replaceChildren(note('error', T('problems'), 'survey-biz-error'),
            h('ul', { id: 'survey-biz-problems' }, r.problems.map((p) => h('li', {}, problemText(p)))));
        } else {
          const m = r.error && r.error.rule ? r.error.message : status === 404 ? T('notfound') : T('failed');
          out.replaceChildren(note('error', m, 'survey-biz-error'));
        }
      } catch {
        out.replaceChildren(note('error', T('failed'), 'survey-biz-error'));
      }
    });
  });
  return h('div', { class: 'card', id: 'survey-biz' }, h('h3', {}, T('title')), h('p', { class: 'muted small' }, T('intro')), form, out);
}
