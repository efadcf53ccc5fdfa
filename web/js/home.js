// home.js — the first page: what the system is for and the four doors (desk, citizen lookup,
// dashboard, PAR index), each a large link that works with the keyboard and on a phone.

import { h, tx } from './dom.js';
import { session } from './api.js';

function tile(href, icon, titleKey, textKey, id) {
  return h('a', { class: 'tile', href, id },
    h('img', { class: 'icon', src: `/assets/img/${icon}.svg`, alt: '', width: 48, height: 48 }),
    tx('strong', titleKey),
    tx('span', textKey));
}

export default function home(root) {
  root.append(
    h('section', { class: 'hero' },
      tx('h1', 'home.title'),
      tx('p', 'home.lead'),
      session.user
        ? tx('p', 'home.signed_in', { name: session.user.full_name || session.user.username }, { class: 'muted' })
        : null),
    h('nav', { class: 'tiles', 'aria-label': 'doors', i18nAttr: 'aria-label:home.doors' },
      tile('#/mot-cua', 'desk', 'home.desk.title', 'home.desk.text', 'tile-desk'),
      tile('#/tra-cuu', 'search', 'home.citizen.title', 'home.citizen.text', 'tile-citizen'),
      tile('#/thong-ke', 'chart', 'home.dashboard.title', 'home.dashboard.text', 'tile-dashboard'),
      tile('#/chi-so-cchc', 'par', 'home.par.title', 'home.par.text', 'tile-par'),
      tile('#/cong-khai', 'chart', 'home.public.title', 'home.public.text', 'tile-public')));
}
