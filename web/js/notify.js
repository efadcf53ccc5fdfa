// notify.js — notifications (docs/notify.md):
//   #/thong-bao          the operators' view of the outbox (admin): counts per state, the latest
//                        messages, the dead letters with a replay button
//   #/huy-thong-bao      a citizen's opt-out by the token of a message's link (?token=…)
// The texts of this page are kept here in both languages (vi first).

import { api, session } from './api.js';
import { h, errorNotice } from './dom.js';
import { currentLang, onLangChange } from './i18n.js';
import { loginCard } from './login.js';

const TEXT = {
  vi: {
    title: 'Thông báo cho người dân',
    counts: 'Số thông báo theo trạng thái',
    latest: 'Thông báo gần nhất',
    dead: 'Thông báo không gửi được',
    noDead: 'Không có thông báo nào bị dừng gửi.',
    replay: 'Gửi lại',
    replayed: 'Đã đưa vào hàng đợi gửi lại.',
    id: 'Số', event: 'Sự kiện', channel: 'Kênh', state: 'Trạng thái', to: 'Người nhận',
    dossier: 'Hồ sơ', attempts: 'Số lần gửi', reason: 'Lý do', created: 'Tạo lúc',
    optTitle: 'Ngừng nhận thông báo',
    optText: 'Bấm nút dưới đây để ngừng nhận thông báo về hồ sơ và phản ánh, kiến nghị. Mã xác nhận và mã hồ sơ do Ông/Bà yêu cầu vẫn được gửi.',
    optButton: 'Ngừng nhận thông báo',
    optDone: 'Đã ngừng gửi thông báo đến',
    states: { pending: 'Chờ gửi', sent: 'Đã gửi', failed: 'Gửi lỗi, sẽ thử lại', dead: 'Dừng gửi', skipped: 'Không gửi' },
    events: {
      received: 'Tiếp nhận hồ sơ', supplement_requested: 'Yêu cầu bổ sung', result_ready: 'Có kết quả',
      apology: 'Thư xin lỗi, hẹn lại', payment_confirmed: 'Đã nộp phí, lệ phí',
      feedback_answered: 'Trả lời phản ánh, kiến nghị', otp: 'Mã xác nhận', lost_code: 'Gửi lại mã hồ sơ',
    },
    channels: { email: 'Thư điện tử', sms: 'Tin nhắn SMS', zalo: 'Zalo' },
    reasons: { noContact: 'Không có số di động hoặc thư điện tử', optedOut: 'Người dân đã ngừng nhận',
      replayed: 'Gửi lại theo yêu cầu', error: 'Lỗi kênh gửi (xem chi tiết)' },
  },
  en: {
    title: 'Notifications to citizens',
    counts: 'Messages per state',
    latest: 'Latest messages',
    dead: 'Dead letters',
    noDead: 'No dead letters.',
    replay: 'Send again',
    replayed: 'Queued to be sent again.',
    id: 'No.', event: 'Event', channel: 'Channel', state: 'State', to: 'Recipient',
    dossier: 'Dossier', attempts: 'Attempts', reason: 'Reason', created: 'Created',
    optTitle: 'Stop notifications',
    optText: 'Press the button below to stop notifications about dossiers and feedback. Codes you ask for are still sent.',
    optButton: 'Stop notifications',
    optDone: 'Notifications stopped for',
    states: { pending: 'Pending', sent: 'Sent', failed: 'Failed, will retry', dead: 'Dead', skipped: 'Skipped' },
    events: {
      received: 'Dossier received', supplement_requested: 'Supplement requested', result_ready: 'Result ready',
      apology: 'Apology, new date', payment_confirmed: 'Payment confirmed',
      feedback_answered: 'Feedback answered', otp: 'One-time code', lost_code: 'Lost dossier code',
    },
    channels: { email: 'E-mail', sms: 'SMS', zalo: 'Zalo' },
    reasons: { noContact: 'No mobile phone or e-mail', optedOut: 'The citizen opted out',
      replayed: 'Sent again on request', error: 'Channel error (see details)' },
  },
};
// the server's reason, in the page's language; a channel's own error text stays in the tooltip
function reason(r) {
  if (!r) return h('span', {});
  const k = r.startsWith('no contact') ? 'noContact' : r === 'opted out' ? 'optedOut' : r === 'replayed' ? 'replayed' : 'error';
  return h('span', { title: r }, T('reasons')[k]);
}
const T = (k) => (TEXT[currentLang()] || TEXT.vi)[k];
const label = (group, k) => T(group)[k] || k;
const num = (n) => Number(n).toLocaleString(currentLang() === 'en' ? 'en-GB' : 'vi-VN');
const when = (s) => (s ? new Date(s * 1000).toLocaleString(currentLang() === 'en' ? 'en-GB' : 'vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }) : '');

function table(items, withReplay, draw) {
  const head = ['id', 'event', 'channel', 'state', 'to', 'dossier', 'attempts', 'reason', 'created'];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
    h('thead', {}, h('tr', {}, ...head.map((k) => h('th', {}, T(k))), withReplay ? h('th', {}) : null)),
    h('tbody', {}, ...items.map((m) => h('tr', { 'data-id': String(m.id) },
      h('td', {}, String(m.id)), h('td', {}, label('events', m.event)), h('td', {}, label('channels', m.channel)),
      h('td', { class: `state-${m.state}` }, label('states', m.state)), h('td', { class: 'mono' }, m.to || ''),
      h('td', { class: 'mono' }, m.dossier || ''), h('td', {}, num(m.attempts)), h('td', {}, reason(m.reason)),
      h('td', {}, when(m.created_at)),
      withReplay ? h('td', {}, h('button', { type: 'button', class: 'nt-replay', onclick: async (ev) => {
        ev.target.disabled = true;
        try { await api('POST', `/api/notify/${m.id}/replay`); await draw(T('replayed')); }
        catch (e) { ev.target.replaceWith(errorNotice(e)); }
      } }, T('replay'))) : null)))));
}

async function outbox(root) {
  const draw = async (notice) => {
    try {
      const [all, dead] = await Promise.all([api('GET', '/api/notify?limit=50'), api('GET', '/api/notify/dead')]);
      const counts = h('dl', { class: 'kv', id: 'nt-counts' },
        ...Object.entries(all.counts).flatMap(([k, v]) => [h('dt', {}, label('states', k)), h('dd', { 'data-state': k }, num(v))]));
      root.replaceChildren(h('h1', {}, T('title')), notice ? h('p', { class: 'notice', role: 'status' }, notice) : '',
        h('section', { class: 'card' }, h('h2', {}, T('counts')), counts),
        h('section', { class: 'card', id: 'nt-dead' }, h('h2', {}, T('dead')),
          dead.items.length ? table(dead.items, true, draw) : h('p', {}, T('noDead'))),
        h('section', { class: 'card', id: 'nt-latest' }, h('h2', {}, T('latest')), table(all.items, false, draw)));
    } catch (e) {
      root.replaceChildren(h('h1', {}, T('title')), errorNotice(e));
    }
  };
  await draw();
}

function optout(root, token) {
  const out = h('div', { role: 'status' });
  root.append(h('h1', {}, T('optTitle')), h('p', {}, T('optText')),
    h('button', { type: 'button', id: 'nt-optout', onclick: async (ev) => {
      ev.target.disabled = true;
      try {
        const r = await api('POST', '/api/public/optout', token ? { token } : undefined);
        out.replaceChildren(h('p', {}, `${T('optDone')} ${r.contact}.`));
      } catch (e) { out.replaceChildren(errorNotice(e)); ev.target.disabled = false; }
    } }, T('optButton')), out);
}

export default async function view(root, params, ctx) {
  onLangChange(() => ctx.rerender());
  if (params.page === 'optout') return optout(root, params.token);
  if (!session.user) return loginCard(root, ctx, 'login.for_desk');
  await outbox(root);
}
