// digitise.js — digitisation at the desk (docs/digitisation.md):
//   #/so-hoa              open a dossier by its code
//   #/so-hoa/ho-so/CODE   the dossier's document list: scan or upload each component
//                         (POST /api/dossiers/CODE/components), what is digitised, by whom and
//                         when; its electronic result: register the PDF once solved, sign layer
//                         1 (the leader: sign-person) and layer 2 (the desk officer as clerk,
//                         sign-clerk), and the verification of both layers.
// The texts of this page are kept here in both languages (vi first).

import { api, session, procedure } from './api.js';
import { h, errorNotice, fmtInstant } from './dom.js';
import { currentLang, onLangChange } from './i18n.js';
import { loginCard } from './login.js';

const TEXT = {
  vi: {
    title: 'Số hóa hồ sơ và kết quả điện tử',
    open: 'Mở hồ sơ',
    code: 'Mã hồ sơ',
    components: 'Thành phần hồ sơ',
    doc: 'Giấy tờ',
    file: 'Tệp số hóa',
    by: 'Người số hóa',
    at: 'Thời điểm',
    none: 'Chưa số hóa',
    upload: 'Quét / tải lên',
    uploaded: 'Đã số hóa',
    reused: 'Tái sử dụng kết quả',
    result: 'Kết quả giải quyết điện tử',
    noResult: 'Chưa có kết quả điện tử.',
    resultNo: 'Số kết quả',
    resultTitle: 'Tên giấy tờ kết quả',
    resultFile: 'Tệp kết quả (PDF)',
    register: 'Lưu kết quả điện tử',
    sign1: 'Ký số lớp 1 (người có thẩm quyền)',
    sign2: 'Ký số lớp 2 (văn thư, chứng thư cơ quan)',
    layers: 'Số lớp chữ ký',
    layer: 'Lớp',
    signer: 'Người ký',
    signedAt: 'Thời điểm ký',
    unchanged: 'Nội dung không đổi',
    chain: 'Chứng thư hợp lệ',
    valid: 'Hai lớp chữ ký hợp lệ',
    invalid: 'Chữ ký chưa đủ hoặc không hợp lệ',
    yes: 'có',
    no: 'không',
    download: 'Tải về',
  },
  en: {
    title: 'Digitisation and electronic results',
    open: 'Open dossier',
    code: 'Dossier code',
    components: 'Dossier components',
    doc: 'Document',
    file: 'Digitised file',
    by: 'Digitised by',
    at: 'When',
    none: 'Not digitised',
    upload: 'Scan / upload',
    uploaded: 'Digitised',
    reused: 'Reused result',
    result: 'Electronic result',
    noResult: 'No electronic result yet.',
    resultNo: 'Result number',
    resultTitle: 'Title of the result',
    resultFile: 'Result file (PDF)',
    register: 'Register the electronic result',
    sign1: 'Sign layer 1 (competent person)',
    sign2: 'Sign layer 2 (clerk, agency certificate)',
    layers: 'Signature layers',
    layer: 'Layer',
    signer: 'Signer',
    signedAt: 'Signed at',
    unchanged: 'Content unchanged',
    chain: 'Certificate valid',
    valid: 'Both signature layers are valid',
    invalid: 'Signatures incomplete or not valid',
    yes: 'yes',
    no: 'no',
    download: 'Download',
  },
};
const T = (k) => (TEXT[currentLang()] || TEXT.vi)[k];
const enc = encodeURIComponent;

function fileBase64(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

function fmtUnix(s) {
  if (!s) return '—';
  const d = new Date((s + 7 * 3600) * 1000); // Vietnam, UTC+7
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())} ${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

function openForm(ctx) {
  const input = h('input', { id: 'dg-code', name: 'code', class: 'mono', autocomplete: 'off' });
  const form = h('form', { class: 'card', id: 'dg-open' },
    h('h1', {}, T('title')),
    h('div', { class: 'field' }, h('label', { for: 'dg-code' }, T('code')), input),
    h('button', { type: 'submit', class: 'btn' }, T('open')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (input.value.trim()) location.hash = `#/so-hoa/ho-so/${enc(input.value.trim())}`;
    ctx.rerender();
  });
  return form;
}

async function componentsCard(code, d, draw) {
  const [list, proc] = await Promise.all([
    api('GET', `/api/dossiers/${enc(code)}/components`),
    procedure(d.procedure).catch(() => null),
  ]);
  const byIndex = new Map(list.components.map((c) => [c.doc_index, c]));
  const docs = proc && proc.documents && proc.documents.length ? proc.documents : list.components.map((c) => c.doc_name);
  const rows = docs.map((name, i) => {
    const c = byIndex.get(i + 1);
    const cell = [];
    if (c) {
      cell.push(h('a', { href: `/api/dossiers/${enc(code)}/components/${i + 1}`, class: 'dg-file' }, c.name),
        c.reused_from ? h('span', { class: 'badge' }, `${T('reused')} ${c.reused_from}`) : null);
    } else if (session.user.role === 'desk_officer') {
      const input = h('input', { type: 'file', id: `dg-file-${i + 1}`, accept: '.pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/*' });
      const err = h('div', { class: 'dg-err' });
      const btn = h('button', { type: 'button', class: 'btn light', id: `dg-up-${i + 1}` }, T('upload'));
      btn.addEventListener('click', async () => {
        err.replaceChildren();
        if (!input.files.length) return;
        btn.disabled = true;
        try {
          const f = input.files[0];
          await api('POST', `/api/dossiers/${enc(code)}/components`,
            { doc_index: i + 1, name: f.name, content_base64: await fileBase64(f) });
          await draw();
        } catch (e) {
          err.replaceChildren(errorNotice(e));
          btn.disabled = false;
        }
      });
      cell.push(input, btn, err);
    } else {
      cell.push(T('none'));
    }
    return h('tr', { 'data-doc': i + 1, class: c ? 'dg-done' : 'dg-todo' },
      h('td', {}, String(i + 1)), h('td', {}, name), h('td', {}, cell),
      h('td', {}, c ? c.digitised_by : '—'), h('td', {}, c ? fmtInstant(c.digitised_at) : '—'));
  });
  return h('section', { class: 'card', id: 'dg-components' },
    h('h2', {}, T('components')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, T('doc')), h('th', {}, T('file')),
        h('th', {}, T('by')), h('th', {}, T('at')))),
      h('tbody', {}, rows))));
}

function verification(v) {
  if (!v) return null;
  return h('div', { id: 'dg-verify' },
    h('p', { class: `notice ${v.valid ? 'ok' : 'error'}`, id: 'dg-valid' }, v.valid ? T('valid') : T('invalid')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', {}, T('layer')), h('th', {}, T('signer')), h('th', {}, T('signedAt')),
        h('th', {}, T('unchanged')), h('th', {}, T('chain')))),
      h('tbody', {}, v.layers.filter((l) => l.present).map((l) =>
        h('tr', { 'data-layer': l.layer }, h('td', {}, String(l.layer)), h('td', {}, l.signer),
          h('td', {}, fmtUnix(l.signed_at)), h('td', {}, l.unchanged ? T('yes') : T('no')),
          h('td', {}, l.chain_ok ? T('yes') : `${T('no')} (${l.chain_error})`)))))));
}

async function resultCard(code, d, draw) {
  let r = null;
  try {
    r = await api('GET', `/api/dossiers/${enc(code)}/result`);
  } catch (e) {
    if (e.status !== 404) throw e;
  }
  const err = h('div', { class: 'dg-err', id: 'dg-result-err' });
  const sec = h('section', { class: 'card', id: 'dg-result' }, h('h2', {}, T('result')));
  const act = (label, id, fn) => {
    const b = h('button', { type: 'button', class: 'btn', id }, label);
    b.addEventListener('click', async () => {
      err.replaceChildren();
      b.disabled = true;
      try {
        await fn();
        await draw();
      } catch (e) {
        err.replaceChildren(errorNotice(e));
        b.disabled = false;
      }
    });
    return b;
  };
  if (!r) {
    sec.append(h('p', {}, T('noResult')));
    const solved = d.status === 'result_ready' || d.status === 'returned';
    if (solved && ['desk_officer', 'specialist'].includes(session.user.role)) {
      const no = h('input', { id: 'dg-no', name: 'result_no' });
      const title = h('input', { id: 'dg-title', name: 'title' });
      const file = h('input', { id: 'dg-result-file', type: 'file', accept: 'application/pdf,.pdf' });
      sec.append(
        h('div', { class: 'field' }, h('label', { for: 'dg-no' }, T('resultNo')), no),
        h('div', { class: 'field' }, h('label', { for: 'dg-title' }, T('resultTitle')), title),
        h('div', { class: 'field' }, h('label', { for: 'dg-result-file' }, T('resultFile')), file),
        act(T('register'), 'dg-register', async () => {
          const f = file.files[0];
          await api('POST', `/api/dossiers/${enc(code)}/result`, {
            result_no: no.value.trim(), title: title.value.trim(),
            content_base64: f ? await fileBase64(f) : '',
          });
        }));
    }
  } else {
    sec.append(h('dl', { class: 'kv' },
      h('dt', {}, T('resultNo')), h('dd', { id: 'dg-result-no' }, r.result_no),
      h('dt', {}, T('resultTitle')), h('dd', {}, r.title),
      h('dt', {}, T('layers')), h('dd', { id: 'dg-layers' }, String(r.layers))),
    h('p', {}, h('a', { href: `/api/dossiers/${enc(code)}/result/file` }, T('download'))));
    if (r.layers === 0 && session.user.role === 'leader')
      sec.append(act(T('sign1'), 'dg-sign1', () => api('POST', `/api/dossiers/${enc(code)}/result/sign-person`)));
    if (r.layers < 2 && session.user.role === 'desk_officer')
      sec.append(act(T('sign2'), 'dg-sign2', () => api('POST', `/api/dossiers/${enc(code)}/result/sign-clerk`)));
    const v = verification(r.verification);
    if (v) sec.append(v);
  }
  sec.append(err);
  return sec;
}

export default async function view(root, params, ctx) {
  if (!session.user) return loginCard(root, ctx, 'login.for_desk');
  onLangChange(() => ctx.rerender());
  if (!params.code) {
    root.append(openForm(ctx));
    return;
  }
  const code = params.code;
  const draw = async () => {
    try {
      const d = await api('GET', `/api/dossiers/${enc(code)}`);
      const cards = await Promise.all([componentsCard(code, d, draw), resultCard(code, d, draw)]);
      root.replaceChildren(h('h1', {}, T('title')), h('p', { class: 'mono', id: 'dg-code-shown' }, code), ...cards);
    } catch (e) {
      root.replaceChildren(h('h1', {}, T('title')), errorNotice(e));
    }
  };
  await draw();
}
