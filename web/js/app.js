// app.js — starts the UI: the language, the session, the header (organisation name, user box,
// language switch) and the router that draws a view into <main> from the address's #/route:
//   #/            home: the three doors
//   #/mot-cua     the one-stop desk (sign-in, receive, queue, overdue, one dossier)
//   #/thu-tuc     the published catalogue of procedures (no account)
//   #/nop-truc-tuyen[/<procedure>] online filing (efile.js): a citizen confirmed by a one-time code
//   #/tra-cuu     the citizen's lookup and rating (also opened by ?code=… from a receipt's QR)
//   #/thong-ke    the leaders' dashboard
//   #/chi-so-cchc the PAR index: rounds, a round's results, a unit's self-assessment/appraisal
//   #/cai-cach    CCHC plans and tasks (reform.js): overdue / near due, one task
//   #/kiem-tra    CCHC inspections (inspection.js): the year's plan, the share inspected, one inspection
//   #/bao-cao-dinh-ky  periodic CCHC reports (preport.js): by period, one report, consolidation
//   #/sang-kien   CCHC initiatives and models (initiative.js): the registry, one initiative
//   #/quan-tri    administration: accounts and roles (the administrator)
//   #/quan-tri/thu-tuc  procedures and their steps (the administrator)
//   #/quan-tri/don-vi  the units of the scope: add, edit, record a merger
//   #/quan-tri/lich  the working-day calendar and the Government's decisions on days off
//   #/thong-bao   notifications: the outbox and its dead letters (admin); #/huy-thong-bao opt-out
//   #/so-hoa      digitisation: components, the electronic result and its two signature layers
//   #/phan-anh    feedback and petitions: the citizen's form, published answers, the queue
//   #/doi-thoai   dialogues with citizens and the follow-up of their commitments
//   #/boc-so      the desk queue (queue.js): take a number from a phone, book an appointment;
//   #/quay        the officer at a counter; #/man-hinh the hall's display that calls numbers
//   #/bao-mat     the signed-in user's second factor (security.js): enrol with a QR code
//   #/khao-sat    surveys (survey.js): the citizen's questionnaire by token, results, public results
//   #/khao-sat/phieu-giay/R  paper survey forms typed twice and resolved (survey2.js)
// A view that fails to load shows the error in the page, never a blank page.

import { session, loadSession, logout, units } from './api.js';
import { h, tx, errorNotice } from './dom.js';
import { setLang, savedLang, currentLang } from './i18n.js';

const main = document.getElementById('main');

const views = {
  home: () => import('./home.js'),
  desk: () => import('./desk.js'),
  citizen: () => import('./citizen.js'),
  catalog: () => import('./catalog.js'),
  dashboard: () => import('./dashboard.js'),
  par: () => import('./par.js'),
  reform: () => import('./reform.js'),
  agenda: () => import('./agenda.js'),
  inspection: () => import('./inspection.js'),
  preport: () => import('./preport.js'),
  initiative: () => import('./initiative.js'),
  admin: () => import('./admin.js'),
  procadmin: () => import('./procadmin.js'),
  calendar: () => import('./calendar.js'),
  unitadmin: () => import('./unitadmin.js'),
  public: () => import('./public.js'),
  digitise: () => import('./digitise.js'),
  feedback: () => import('./feedback.js'),
  dialogue: () => import('./dialogue.js'),
  queue: () => import('./queue.js'),
  survey: () => import('./survey.js'),
  survey2: () => import('./survey2.js'),
  notify: () => import('./notify.js'),
  payments: () => import('./payment.js'),
  efile: () => import('./efile.js'),
  security: () => import('./security.js'),
};

// route: [name, params] from the address
function parseRoute() {
  // "#/mot-cua?tab=queue": the route, then its own query; ?code= of the page address too
  const [hash, hq] = (location.hash || '').split('?');
  const params = new URLSearchParams(location.search);
  for (const [k, v] of new URLSearchParams(hq || '')) params.set(k, v);
  let m;
  if ((m = /^#\/mot-cua\/ho-so\/(.+)$/.exec(hash))) return ['desk', { code: decodeURIComponent(m[1]) }];
  if (/^#\/mot-cua\/?$/.test(hash)) return ['desk', { tab: params.get('tab') }];
  if (/^#\/tra-cuu\/?$/.test(hash)) return ['citizen', { code: params.get('code') }];
  if (/^#\/thu-tuc\/?$/.test(hash)) return ['catalog', {}];
  if ((m = /^#\/nop-truc-tuyen\/([^/]+)$/.exec(hash))) return ['efile', { proc: decodeURIComponent(m[1]), filing: params.get('ho-so') }];
  if (/^#\/nop-truc-tuyen\/?$/.test(hash)) return ['efile', {}];
  if (/^#\/thong-ke\/?$/.test(hash)) return ['dashboard', {}];
  if ((m = /^#\/chi-so-cchc\/([^/]+)\/don-vi\/([^/]+)$/.exec(hash))) return ['par', { round: decodeURIComponent(m[1]), unit: decodeURIComponent(m[2]) }];
  if ((m = /^#\/chi-so-cchc\/([^/]+)$/.exec(hash))) return ['par', { round: decodeURIComponent(m[1]) }];
  if (/^#\/chi-so-cchc\/?$/.test(hash)) return ['par', {}];
  if ((m = /^#\/cai-cach\/nhiem-vu\/([^/]+)$/.exec(hash))) return ['reform', { task: decodeURIComponent(m[1]) }];
  if (/^#\/cai-cach\/?$/.test(hash)) return ['reform', {}];
  if (/^#\/viec-can-xu-ly\/?$/.test(hash)) return ['agenda', { unit: params.get('unit') }];
  if ((m = /^#\/kiem-tra\/(\d+)$/.exec(hash))) return ['inspection', { id: m[1] }];
  if (/^#\/kiem-tra\/?$/.test(hash)) return ['inspection', { year: params.get('year') }];
  if ((m = /^#\/bao-cao-dinh-ky\/([^/?]+)$/.exec(hash))) return ['preport', { id: decodeURIComponent(m[1]) }];
  if (/^#\/bao-cao-dinh-ky\/?$/.test(hash)) return ['preport', { period: params.get('period') }];
  if ((m = /^#\/sang-kien\/(\d+)$/.exec(hash))) return ['initiative', { id: m[1] }];
  if (/^#\/sang-kien\/?$/.test(hash)) return ['initiative', { status: params.get('status'), year: params.get('year') }];
  if (/^#\/quan-tri\/don-vi\/?$/.test(hash)) return ['unitadmin', { unit: params.get('unit') }];
  if (/^#\/quan-tri\/lich\/?$/.test(hash)) return ['calendar', { year: params.get('nam') }];
  if (/^#\/quan-tri\/thu-tuc\/?$/.test(hash)) return ['procadmin', { code: params.get('code'), q: params.get('q') }];
  if (/^#\/quan-tri\/?$/.test(hash)) return ['admin', {}];
  if (/^#\/thanh-toan\/?$/.test(hash)) return ['payments', { day: params.get('day') }];
  if (/^#\/cong-khai\/?$/.test(hash)) return ['public', { unit: params.get('unit'), period: params.get('period') }];
  if ((m = /^#\/so-hoa\/ho-so\/(.+)$/.exec(hash))) return ['digitise', { code: decodeURIComponent(m[1]) }];
  if (/^#\/so-hoa\/?$/.test(hash)) return ['digitise', {}];
  if (/^#\/phan-anh\/cong-khai\/?$/.test(hash)) return ['feedback', { page: 'public' }];
  if (/^#\/phan-anh\/xu-ly\/?$/.test(hash)) return ['feedback', { page: 'queue' }];
  if (/^#\/phan-anh\/?$/.test(hash)) return ['feedback', { page: 'form', code: params.get('code'), dossier: params.get('dossier') }];
  if (/^#\/doi-thoai\/?$/.test(hash)) return ['dialogue', {}];
  if (/^#\/boc-so\/?$/.test(hash)) return ['queue', { page: 'take', unit: params.get('unit') }];
  if (/^#\/quay\/?$/.test(hash)) return ['queue', { page: 'counter', unit: params.get('unit'), counter: params.get('counter') }];
  if (/^#\/man-hinh\/?$/.test(hash)) return ['queue', { page: 'display', unit: params.get('unit') }];
  if ((m = /^#\/khao-sat\/ket-qua\/([^/]+)$/.exec(hash))) return ['survey', { publicRound: decodeURIComponent(m[1]) }];
  if ((m = /^#\/khao-sat\/phieu-giay\/([^/]+)$/.exec(hash))) return ['survey2', { round: decodeURIComponent(m[1]) }];
  if ((m = /^#\/khao-sat\/([a-z2-7]{26})$/.exec(hash))) return ['survey', { token: m[1] }];
  if (/^#\/khao-sat\/?$/.test(hash)) return ['survey', { round: params.get('round') }];
  if (/^#\/bao-mat\/?$/.test(hash)) return ['security', {}];
  if (/^#\/thong-bao\/?$/.test(hash)) return ['notify', {}];
  if (/^#\/huy-thong-bao\/?$/.test(hash)) return ['notify', { page: 'optout', token: params.get('token') }];
  if (!hash && params.get('code')) return ['citizen', { code: params.get('code') }];
  return ['home', {}];
}

let renderSeq = 0;
export async function render() {
  const seq = ++renderSeq;
  const [name, params] = parseRoute();
  // the queue's counter page sits in the desk's menu group, its other pages in the citizen's
  const navName = name === 'queue' && params.page === 'counter' ? 'queue-counter' : name;
  document.querySelectorAll('.mainnav a[data-route]').forEach((a) => {
    if (a.dataset.route === navName) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  document.querySelectorAll('.navgroup').forEach((g) => {
    g.classList.toggle('current', !!g.querySelector('a[aria-current="page"]'));
  });
  closeMenus(true);
  document.body.classList.remove('print-receipt');
  try {
    const mod = await views[name]();
    if (seq !== renderSeq) return;
    const root = h('div', { class: `view view-${name}` });
    main.replaceChildren(root);
    await mod.default(root, params, { rerender: render, refreshUser });
  } catch (e) {
    if (seq !== renderSeq) return;
    console.error(e);
    main.replaceChildren(h('div', { class: 'card' }, tx('h1', 'err.page'),
      errorNotice(e.code ? e : { code: 'other', field: null, message: String(e) }),
      h('p', {}, h('a', { href: '#/' , i18n: 'nav.home' }))));
  }
}

export function refreshUser() {
  // the administration menu is the administrator's
  document.getElementById('nav-admin').hidden = !(session.user && session.user.role === 'admin');
  const box = document.getElementById('userbox');
  if (!session.user) {
    box.replaceChildren();
    return;
  }
  const u = session.user;
  const out = h('button', { type: 'button', class: 'btn light', id: 'logout' }, tx('span', 'login.signout'));
  out.addEventListener('click', async () => {
    try {
      await logout();
    } catch {
      /* the session is forgotten here whatever the server said */
    }
    refreshUser();
    render();
  });
  box.replaceChildren(
    h('span', { class: 'who' }, h('strong', {}, u.full_name || u.username), ' · ',
      tx('span', `role.${u.role}`), u.unit ? ` · ${u.unit}` : ''),
    h('a', { href: '#/bao-mat', class: 'btn light', id: 'nav-security' }, tx('span', 'totp.nav')),
    out);
}

async function showOrgName() {
  try {
    const map = await units();
    const roots = [...map.values()].filter((u) => !u.parent);
    const root = roots.find((u) => u.kind === 'province') || roots[0];
    if (root) {
      const el = document.getElementById('org-name');
      delete el.dataset.i18n;
      el.textContent = root.name;
    }
  } catch {
    /* the subtitle keeps its generic text */
  }
}

function wireLanguage() {
  const buttons = document.querySelectorAll('.lang button');
  const mark = () => buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === currentLang())));
  buttons.forEach((b) => b.addEventListener('click', async () => {
    await setLang(b.dataset.lang);
    mark();
  }));
  mark();
}

// The grouped menu: a group's button opens its drop-down (one at a time); a click elsewhere, a
// chosen page or Escape closes it. On a phone the "Danh mục" button opens the whole list.
function closeMenus(all) {
  document.querySelectorAll('.navgroup.open').forEach((g) => {
    g.classList.remove('open');
    g.querySelector('button').setAttribute('aria-expanded', 'false');
  });
  if (all) {
    document.querySelector('.mainnav').classList.remove('open');
    document.getElementById('navtoggle').setAttribute('aria-expanded', 'false');
  }
}

function wireMenu() {
  const nav = document.querySelector('.mainnav');
  const toggle = document.getElementById('navtoggle');
  toggle.addEventListener('click', () => {
    const open = !nav.classList.contains('open');
    nav.classList.toggle('open', open);
    toggle.setAttribute('aria-expanded', String(open));
  });
  document.querySelectorAll('.navgroup > button').forEach((b) => b.addEventListener('click', () => {
    const g = b.parentElement;
    const open = !g.classList.contains('open');
    closeMenus(false);
    g.classList.toggle('open', open);
    b.setAttribute('aria-expanded', String(open));
  }));
  document.addEventListener('click', (e) => {
    if (!e.target.closest('.navgroup')) closeMenus(false);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    const g = document.querySelector('.navgroup.open');
    closeMenus(false);
    if (g) g.querySelector('button').focus();
  });
}

async function start() {
  wireMenu();
  await setLang(savedLang());
  wireLanguage();
  try {
    await loadSession();
  } catch (e) {
    console.warn('session', e);
  }
  refreshUser();
  showOrgName();
  window.addEventListener('hashchange', () => {
    render().then(() => {
      const h1 = main.querySelector('h1');
      if (h1) {
        h1.setAttribute('tabindex', '-1');
        h1.focus();
      }
    });
  });
  await render();
  document.body.dataset.ready = '1';
}

start();
