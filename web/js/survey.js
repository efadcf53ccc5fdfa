// survey.js — satisfaction (SIPAS) and DDCI surveys (docs/surveys.md):
//   #/khao-sat/<token>            the citizen's questionnaire a one-time link or QR code opens:
//                                 phone first, one question group per component, radio groups
//                                 with labels (keyboard: Tab between groups, arrows inside),
//                                 answered once (GET/POST /api/survey-form/TOKEN)
//   #/khao-sat                    leaders and officers: the rounds, then a round's results for
//                                 the units of their scope, and a unit's per-question figures
//   #/khao-sat/ket-qua/<round>    the public results page (no account)
// Texts are this module's own (Vietnamese first, English); server errors are shown by their
// status in the page's language, never as the server's words.

import { api, session } from './api.js';
import { h, busy, fmtDay } from './dom.js';
import { currentLang, fmtInt } from './i18n.js';
import { loginCard } from './login.js';
import { roundActions, downloads } from './survey2.js';
import { businessCard } from './survey3.js';
import { exportButtons } from './export.js';

const enc = encodeURIComponent;
const TEXT = {
  vi: {
    title: 'Phiếu khảo sát sự hài lòng',
    intro: 'Phiếu ẩn danh: câu trả lời không gắn với hồ sơ hay tên của ông/bà. Mỗi đường dẫn chỉ trả lời được một lần.',
    unit: 'Cơ quan giải quyết',
    send: 'Gửi phiếu',
    thanks: 'Cảm ơn ông/bà đã trả lời phiếu khảo sát.',
    used: 'Đường dẫn này đã được dùng để trả lời. Cảm ơn ông/bà.',
    invalid: 'Đường dẫn khảo sát không hợp lệ. Vui lòng kiểm tra lại đường dẫn hoặc mã QR trên phiếu trả kết quả.',
    none: 'Vui lòng trả lời ít nhất một câu hỏi.',
    bad: 'Có câu trả lời không hợp lệ. Vui lòng chọn lại.',
    failed: 'Chưa gửi được phiếu. Vui lòng thử lại.',
    rounds: 'Khảo sát sự hài lòng',
    round: 'Đợt',
    period: 'Thời gian',
    invited: 'Lời mời',
    responses: 'Phiếu',
    results: 'Kết quả',
    unitcol: 'Đơn vị',
    index: 'Chỉ số (%)',
    ci: 'Khoảng tin cậy 95%',
    rank: 'Hạng',
    n: 'Số phiếu',
    below: 'dưới mẫu tối thiểu',
    question: 'Câu hỏi',
    satisfied: 'Hài lòng (%)',
    answers: 'Số trả lời',
    norounds: 'Chưa có đợt khảo sát nào.',
    publictitle: 'Kết quả khảo sát sự hài lòng',
    source: 'Nguồn phương pháp',
    signin: 'Đăng nhập để xem kết quả khảo sát của đơn vị.',
    back: 'Quay lại danh sách',
    prevrank: 'Hạng năm trước',
    change: 'Thay đổi so với năm trước',
    compared: 'So với đợt',
    up: 'tăng', down: 'giảm', same: 'giữ nguyên', places: 'bậc', points: 'điểm',
  },
  en: {
    title: 'Satisfaction survey',
    intro: 'Anonymous: your answers are not linked to your dossier or your name. Each link can be answered once.',
    unit: 'Handling office',
    send: 'Send',
    thanks: 'Thank you for answering the survey.',
    used: 'This link has already been used to answer. Thank you.',
    invalid: 'This survey link is not valid. Please check the link or the QR code on your result slip.',
    none: 'Please answer at least one question.',
    bad: 'An answer is not valid. Please choose again.',
    failed: 'The form could not be sent. Please try again.',
    rounds: 'Satisfaction surveys',
    round: 'Round',
    period: 'Period',
    invited: 'Invitations',
    responses: 'Responses',
    results: 'Results',
    unitcol: 'Unit',
    index: 'Index (%)',
    ci: '95% interval',
    rank: 'Rank',
    n: 'Responses',
    below: 'below the minimum sample',
    question: 'Question',
    satisfied: 'Satisfied (%)',
    answers: 'Answers',
    norounds: 'No survey round yet.',
    publictitle: 'Satisfaction survey results',
    source: 'Method',
    signin: 'Sign in to see your units’ survey results.',
    back: 'Back to the list',
    prevrank: 'Rank last year',
    change: 'Change from last year',
    compared: 'Compared with round',
    up: 'up', down: 'down', same: 'unchanged', places: 'places', points: 'points',
  },
};
const T = (k) => (TEXT[currentLang()] || TEXT.vi)[k] || TEXT.vi[k];

// 82.66 -> "82,66" (vi) / "82.66" (en)
function pct(v) {
  if (v === null || v === undefined) return '—';
  return new Intl.NumberFormat(currentLang() === 'en' ? 'en-GB' : 'vi-VN', {
    minimumFractionDigits: 2, maximumFractionDigits: 2,
  }).format(v);
}

function note(kind, text, id) {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status', id }, text);
}

// ---- the citizen's questionnaire ------------------------------------------------------------

function questionGroup(q, idx) {
  const name = `q-${q.code}`;
  const legendId = `${name}-legend`;
  return h('fieldset', { class: 'sv-question', 'data-code': q.code, role: 'radiogroup', 'aria-labelledby': legendId },
    h('legend', { id: legendId }, `${idx}. ${q.title}`),
    h('div', { class: 'sv-options' }, q.options.map((o) => {
      const id = `${name}-${o.value}`;
      return h('label', { class: 'sv-option', for: id },
        h('input', { type: 'radio', name, id, value: o.value }), h('span', {}, o.label));
    })));
}

async function formPage(root, token) {
  let form;
  try {
    form = await api('GET', `/api/survey-form/${enc(token)}`);
  } catch (e) {
    root.append(h('div', { class: 'card sv-card' }, h('h1', {}, T('title')),
      note('error', e.status === 404 ? T('invalid') : T('failed'), 'sv-error')));
    return;
  }
  const card = h('div', { class: 'card sv-card' });
  root.append(card);
  card.append(h('h1', {}, T('title')), h('p', { class: 'muted' }, form.title),
    h('p', {}, h('strong', {}, `${T('unit')}: `), form.unit));
  if (form.answered) {
    card.append(note('ok', T('used'), 'sv-done'));
    return;
  }
  card.append(h('p', { class: 'hint' }, T('intro')));
  const nodes = form.nodes;
  const f = h('form', { id: 'survey-form', novalidate: true });
  let i = 0;
  for (const c of nodes.filter((n) => n.level === 'component')) {
    const crits = nodes.filter((n) => n.parent === c.code).map((n) => n.code);
    const qs = nodes.filter((n) => n.level === 'question' && crits.includes(n.parent));
    f.append(h('section', { class: 'sv-component', 'aria-label': c.title },
      h('h2', {}, c.title), qs.map((q) => questionGroup(q, ++i))));
  }
  const msg = h('div', { 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'btn sv-send', id: 'survey-send' }, T('send'));
  f.append(msg, h('div', { class: 'actions' }, send));
  card.append(f);
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const answers = {};
    f.querySelectorAll('input[type=radio]:checked').forEach((x) => {
      answers[x.name.slice(2)] = x.value;
    });
    if (!Object.keys(answers).length) {
      msg.replaceChildren(note('error', T('none'), 'sv-error'));
      return;
    }
    busy(send, async () => {
      try {
        await api('POST', `/api/survey-form/${enc(token)}`, { answers });
        card.replaceChildren(h('h1', {}, T('title')), note('ok', T('thanks'), 'sv-done'));
        card.querySelector('#sv-done').focus?.();
      } catch (e) {
        const text = e.status === 409 ? T('used') : e.status === 404 ? T('invalid') : e.status === 400 ? T('bad') : T('failed');
        msg.replaceChildren(note('error', text, 'sv-error'));
      }
    });
  });
}

// ---- results --------------------------------------------------------------------------------

// The change from last year's round: "▲ 2 bậc · +1,25 điểm" (rank moved up, index gained).
function changeText(u) {
  const parts = [];
  if (u.rank_change !== null && u.rank_change !== undefined) {
    const k = u.rank_change > 0 ? 'up' : u.rank_change < 0 ? 'down' : 'same';
    const sign = { up: '▲', down: '▼', same: '=' }[k];
    parts.push(u.rank_change ? `${sign} ${T(k)} ${fmtInt(Math.abs(u.rank_change))} ${T('places')}` : `${sign} ${T('same')}`);
  }
  if (u.change !== null && u.change !== undefined) parts.push(`${u.change > 0 ? '+' : ''}${pct(u.change)} ${T('points')}`);
  return parts.length ? parts.join(' · ') : '—';
}

function resultsTable(data, onUnit) {
  const comps = data.nodes.filter((n) => n.level === 'component');
  const prev = !!data.previous_round;
  return h('div', { class: 'table-wrap' }, h('table', { id: 'survey-results' },
    h('caption', {}, `${T('round')} ${data.round.code} · ${data.title}${prev ? ` · ${T('compared')} ${data.previous_round}` : ''}`),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, T('rank')), h('th', { scope: 'col' }, T('unitcol')),
      h('th', { scope: 'col' }, T('n')), h('th', { scope: 'col' }, T('index')),
      h('th', { scope: 'col' }, T('ci')),
      prev ? [h('th', { scope: 'col' }, T('prevrank')), h('th', { scope: 'col' }, T('change'))] : null,
      comps.map((c) => h('th', { scope: 'col' }, c.title)))),
    h('tbody', {}, data.units.map((u) => h('tr', { 'data-unit': u.unit },
      h('td', {}, u.rank ? String(u.rank) : '—'),
      h('td', {}, onUnit ? h('a', { href: '#', onclick: (ev) => { ev.preventDefault(); onUnit(u); } }, u.name || u.unit) : (u.name || u.unit)),
      h('td', {}, fmtInt(u.responses), u.below_min ? h('span', { class: 'badge st-paused sv-below' }, ` ${T('below')}`) : null),
      h('td', { class: 'num sv-index' }, pct(u.index)),
      h('td', { class: 'num' }, u.index === null ? '—' : `± ${pct(u.ci)}`),
      prev ? [h('td', { class: 'num sv-prevrank' }, u.previous_rank ? String(u.previous_rank) : '—'),
        h('td', { class: 'sv-change' }, changeText(u))] : null,
      comps.map((c) => h('td', { class: 'num' }, pct(u.components[c.code]))))))));
}

function unitDetail(data, u) {
  const qs = data.nodes.filter((n) => n.level === 'question');
  return h('div', { class: 'card', id: 'survey-unit' },
    h('h2', {}, u.name || u.unit),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, T('question')),
        h('th', { scope: 'col' }, T('satisfied')), h('th', { scope: 'col' }, T('answers')))),
      h('tbody', {}, qs.map((q) => h('tr', {},
        h('td', {}, `${q.code} ${q.title}`),
        h('td', { class: 'num' }, pct(u.questions[q.code].value)),
        h('td', { class: 'num' }, String(u.questions[q.code].n))))))));
}

async function leaderPage(root, params, ctx) {
  if (!session.user || session.user.role === 'citizen') {
    root.append(h('p', { class: 'muted', id: 'survey-signin' }, T('signin')));
    loginCard(root, ctx, 'login.for_dashboard');
    return;
  }
  const card = h('div', { class: 'card' }, h('h1', {}, T('rounds')));
  root.append(card);
  const { rounds } = await api('GET', '/api/surveys');
  if (!rounds.length) {
    card.append(h('p', { class: 'muted' }, T('norounds')));
    return;
  }
  const out = h('div', { id: 'survey-round' });
  const show = async (code) => {
    const data = await api('GET', `/api/surveys/${enc(code)}/results`);
    const detail = h('div');
    out.replaceChildren(h('h2', {}, `${T('results')} ${code}`),
      h('p', { class: 'muted' }, `${T('source')}: ${data.source}`), roundActions(code, data),
      ...[businessCard(code, data)].filter(Boolean), // none on a citizens' round (replaceChildren would write "null")
      resultsTable(data, (u) => detail.replaceChildren(unitDetail(data, u))), detail);
  };
  if (rounds.length) card.append(exportButtons('/api/surveys', 'export-surveys'));
  card.append(h('div', { class: 'table-wrap' }, h('table', { id: 'survey-rounds' },
    h('thead', {}, h('tr', {}, h('th', {}, T('round')), h('th', {}, T('period')),
      h('th', {}, T('invited')), h('th', {}, T('responses')))),
    h('tbody', {}, rounds.map((r) => h('tr', {},
      h('td', {}, h('a', { href: '#', 'data-round': r.code, onclick: (ev) => { ev.preventDefault(); show(r.code); } }, `${r.code} (${r.set})`)),
      h('td', {}, `${fmtDay(r.from)} – ${fmtDay(r.to)}`), h('td', { class: 'num' }, fmtInt(r.invited)),
      h('td', { class: 'num' }, fmtInt(r.responses))))))), out);
  if (params.round) await show(params.round);
}

async function publicPage(root, round) {
  const card = h('div', { class: 'card' }, h('h1', {}, T('publictitle')));
  root.append(card);
  try {
    const data = await api('GET', `/api/public/surveys/${enc(round)}`);
    card.append(h('p', { class: 'muted' }, `${T('source')}: ${data.source}`), h('p', {}, downloads(round)), resultsTable(data, null));
  } catch (e) {
    card.append(note('error', e.status === 404 ? T('norounds') : T('failed')));
  }
}

export default async function survey(root, params, ctx) {
  if (params.token) return formPage(root, params.token);
  if (params.publicRound) return publicPage(root, params.publicRound);
  return leaderPage(root, params, ctx);
}
