// book.js — the tracking book (Sổ theo dõi hồ sơ, Mẫu 07 of Circular 03/2025/TT-VPCP; Mẫu 06
// of Circular 01/2018/TT-VPCP before 15/9/2025) of the dashboard's unit and period: every
// dossier received, downloaded as the printable PDF register or as an Excel workbook
// (GET /api/reports/book?format=pdf|xlsx, docs/forms.md).

import { qs } from './api.js';
import { h, tx } from './dom.js';

export function bookCard(q) {
  const link = (format, id, key) => h('a', {
    class: `btn ${format === 'pdf' ? '' : 'secondary '}no-print`, id,
    href: `/api/reports/book${qs({ unit: q.unit, period: q.period, format })}`,
    download: '',
  }, tx('span', key));
  return h('section', { class: 'card', id: 'book-card', 'aria-labelledby': 'book-title' },
    tx('h2', 'book.title', null, { id: 'book-title' }),
    tx('p', 'book.lead', null, { class: 'small muted' }),
    h('div', { class: 'actions' }, link('pdf', 'book-pdf', 'book.pdf'), link('xlsx', 'book-xlsx', 'book.xlsx')));
}
