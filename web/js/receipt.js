// receipt.js — the receipt handed to the applicant: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
// Mẫu số 01 of Circular 01/2018/TT-VPCP (Appendix; layout and wording from the published form
// as we know it (verify against the Circular's appendix)). It is a legal form, so it is always
// in Vietnamese whatever the UI language. The QR code carries the citizen page's address with
// the dossier code (?code=…), drawn by the qrcode-generator npm package served from
// /assets/vendor/ (no network at run time). print.css lays it out on A4.

import { h } from './dom.js';

const INSTANT = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)/;

function longVi(s) {
  const m = s && INSTANT.exec(s);
  if (!m) return '…';
  return `${m[4]} giờ ${m[5]} phút, ngày ${m[3]} tháng ${m[2]} năm ${m[1]}`;
}

// "Mỹ Tho, ngày 05 tháng 12 năm 2026": the place (the committee's name without its kind,
// as administrative documents write it: Decree 30/2020/NĐ-CP, Appendix I) and the date.
function dateLineVi(s, place) {
  const m = s && INSTANT.exec(s);
  const date = m ? `ngày ${m[3]} tháng ${m[2]} năm ${m[1]}` : 'ngày … tháng … năm …';
  return place ? `${place}, ${date}` : date;
}

function placeName(name) {
  return (name || '').replace(/^(Ủy ban nhân dân|UBND|Tỉnh|Thành phố|Phường|Xã|Thị trấn|Đặc khu)\s+/i, '').trim();
}

// The address a phone opens from the QR code: this server's citizen page.
export function lookupUrl(code) {
  return `${location.origin}/?code=${encodeURIComponent(code)}`;
}

async function qrImage(text) {
  const { default: qrcode } = await import('/assets/vendor/qrcode.mjs');
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  return h('img', { src: qr.createDataURL(4, 2), alt: `QR: ${text}`, width: 120, height: 120, id: 'receipt-qr' });
}

// d: the dossier (GET /api/dossiers/{code}); proc: its procedure; docs: names of the documents
// received; unit: the receiving unit; parent: the unit above it (the People's Committee the
// desk belongs to), or null; decider: the deciding authority when another unit decides (a
// procedure received regardless of residence, Decree 118/2025/NĐ-CP), or null; officer: the
// receiving officer's full name.
export async function receiptEl({ d, proc, docs, unit, parent, decider, officer }) {
  const url = lookupUrl(d.code);
  let qr;
  try {
    qr = h('div', { class: 'rc-qr' }, await qrImage(url), h('span', {}, 'Quét để tra cứu'));
  } catch (e) {
    console.warn('qr', e);
    qr = null;
  }
  // The desk works for the People's Committee of its commune, ward or province (Decree
  // 61/2018/NĐ-CP, on how one-stop desks are organised (verify article)): the form's heading
  // names that committee.
  const committee = unit && unit.kind === 'desk' && parent ? parent : unit;
  const unitName = committee ? committee.name : d.unit;
  const upper = committee && ['province', 'commune', 'ward'].includes(committee.kind) ? `Ủy ban nhân dân ${committee.name}` : unitName;
  const a = d.applicant || {};
  return h('article', { class: 'receipt', id: 'receipt', lang: 'vi', 'aria-label': 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả' },
    h('div', { class: 'rc-head' },
      h('div', { class: 'org' }, h('span', {}, upper), h('strong', {}, 'Bộ phận tiếp nhận và trả kết quả'),
        h('div', { class: 'rc-no' }, 'Số: ', h('span', { class: 'mono' }, d.code))),
      h('div', { class: 'nation' }, h('strong', {}, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'),
        h('span', { class: 'motto' }, 'Độc lập - Tự do - Hạnh phúc'),
        h('div', { class: 'place' }, dateLineVi(d.received_at, placeName(committee ? committee.name : ''))))),
    h('h2', {}, 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả'),
    h('div', { class: 'rc-code' }, 'Mã hồ sơ: ', h('strong', { class: 'mono', id: 'receipt-code' }, d.code)),
    h('div', { class: 'rc-body' },
      qr,
      h('p', {}, `Bộ phận tiếp nhận và trả kết quả ${unitName}`),
      h('p', {}, 'Tiếp nhận hồ sơ của: ', h('strong', {}, a.name || '…')),
      h('p', {}, 'Địa chỉ: ', a.address || '…'),
      h('p', {}, 'Số điện thoại: ', a.phone || '…'),
      h('p', {}, 'Số định danh cá nhân: ', a.idno || '…'),
      h('p', {}, 'Nội dung yêu cầu giải quyết: ', h('strong', {}, proc ? proc.name : d.procedure),
        proc ? ` (mã thủ tục ${proc.code})` : ''),
      decider ? h('p', { id: 'receipt-decider' }, 'Cơ quan giải quyết: ', h('strong', {}, decider.name),
        ' (tiếp nhận không phụ thuộc địa giới hành chính)') : null,
      h('p', {}, '1. Thành phần hồ sơ và số lượng mỗi loại giấy tờ gồm:'),
      docs && docs.length
        ? h('ol', {}, docs.map((x) => h('li', {}, x)))
        : h('p', {}, '(không có giấy tờ nào được đánh dấu đã nhận)'),
      h('p', {}, '2. Số lượng hồ sơ: 01 (bộ)'),
      h('p', {}, '3. Thời gian giải quyết hồ sơ theo quy định là: ', proc ? proc.time_text : '…'),
      h('p', {}, '4. Thời gian nhận hồ sơ: ', longVi(d.received_at)),
      h('p', {}, '5. Thời gian trả kết quả giải quyết hồ sơ: ', h('strong', { id: 'receipt-due' }, longVi(d.due_at))),
      h('p', {}, `6. Đăng ký nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả ${unitName}`),
      h('p', {}, '7. Vào Sổ theo dõi hồ sơ (Mẫu số 06), số thứ tự: ', d.code.split('-').pop())),
    h('div', { class: 'rc-sign' },
      h('div', {}, h('div', { class: 'who' }, 'Người nộp hồ sơ'), h('div', { class: 'how' }, '(Ký và ghi rõ họ tên)'),
        h('div', { class: 'name' }, a.name || '')),
      h('div', {}, h('div', { class: 'who' }, 'Người tiếp nhận hồ sơ'), h('div', { class: 'how' }, '(Ký và ghi rõ họ tên)'),
        h('div', { class: 'name' }, officer || ''))),
    h('div', { class: 'rc-foot' },
      'Tra cứu tình trạng hồ sơ: quét mã QR hoặc vào ', h('span', { class: 'mono' }, `${location.origin}/#/tra-cuu`),
      ', nhập mã hồ sơ và số điện thoại (hoặc 4 số cuối số định danh).'));
}

// Prints the receipt alone: a copy goes into #print-root (a child of <body>), which print.css
// shows instead of the page while body has the class print-receipt.
export function printReceipt(el) {
  let rootEl = document.getElementById('print-root');
  if (!rootEl) {
    rootEl = h('div', { id: 'print-root' });
    document.body.append(rootEl);
  }
  rootEl.replaceChildren(el.cloneNode(true));
  document.body.classList.add('print-receipt');
  window.addEventListener('afterprint', () => document.body.classList.remove('print-receipt'), { once: true });
  window.print();
}
