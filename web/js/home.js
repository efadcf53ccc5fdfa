// home.js — the first page: what the system is for and its doors, in two groups as in the menu:
// the citizen's (lookup, catalogue, online filing, a queue number, feedback, published results) and the
// staff's (the desk, the dashboard, the PAR index, the CCHC plan). Each door is a large link that
// works with the keyboard and on a phone.

import { h, tx } from './dom.js';
import { session } from './api.js';

function tile(href, icon, titleKey, textKey, id) {
  return h('a', { class: 'tile', href, id },
    h('img', { class: 'icon', src: `/assets/img/${icon}.svg`, alt: '', width: 48, height: 48 }),
    h('span', { class: 'tile-text' }, tx('strong', titleKey), tx('span', textKey)));
}

function group(titleKey, id, tiles) {
  return h('section', { class: 'tile-group', 'aria-labelledby': id },
    tx('h2', titleKey, {}, { id }),
    h('nav', { class: 'tiles', 'aria-labelledby': id }, ...tiles));
}

export default function home(root) {
  // a signed-in officer sees the staff's doors first
  const staffFirst = !!session.user;
  const citizen = group('home.g.citizen', 'home-g-citizen', [
    tile('#/tra-cuu', 'search', 'home.citizen.title', 'home.citizen.text', 'tile-citizen'),
    tile('#/thu-tuc', 'book', 'home.catalog.title', 'home.catalog.text', 'tile-catalog'),
    tile('#/nop-truc-tuyen', 'upload', 'home.efile.title', 'home.efile.text', 'tile-efile'),
    tile('#/boc-so', 'ticket', 'home.queue.title', 'home.queue.text', 'tile-queue'),
    tile('#/phan-anh', 'feedback', 'home.feedback.title', 'home.feedback.text', 'tile-feedback'),
    tile('#/cong-khai', 'chart', 'home.public.title', 'home.public.text', 'tile-public'),
  ]);
  const staff = group('home.g.staff', 'home-g-staff', [
    tile('#/mot-cua', 'desk', 'home.desk.title', 'home.desk.text', 'tile-desk'),
    tile('#/thong-ke', 'chart', 'home.dashboard.title', 'home.dashboard.text', 'tile-dashboard'),
    tile('#/chi-so-cchc', 'par', 'home.par.title', 'home.par.text', 'tile-par'),
    tile('#/cai-cach', 'plan', 'home.reform.title', 'home.reform.text', 'tile-reform'),
  ]);
  root.append(
    h('section', { class: 'hero' },
      tx('h1', 'home.title'),
      tx('p', 'home.lead'),
      session.user
        ? tx('p', 'home.signed_in', { name: session.user.full_name || session.user.username }, { class: 'muted' })
        : null),
    ...(staffFirst ? [staff, citizen] : [citizen, staff]));
}
