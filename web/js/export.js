// export.js — "Xuất Excel" and "Xuất PDF" beside a table (issue 13): two links to the address
// the table's JSON came from, with format=xlsx|pdf. The server runs the same handler with the
// same filters and scope and lays its answer out as a file (src/http/export.c, docs/exports.md),
// so a download never holds more than the table the user reads.
import { h, tx } from './dom.js';

// path: the table's GET address with its query ("/api/stats/units?unit=DT&period=2026");
// id: a prefix for the links' ids (ID-xlsx, ID-pdf).
export function exportButtons(path, id) {
  const sep = path.includes('?') ? '&' : '?';
  const link = (format) => h('a', {
    class: 'btn secondary no-print', id: id ? `${id}-${format}` : null,
    href: `${path}${sep}format=${format}`, download: '', dataset: { export: format },
  }, tx('span', `dash.export.${format}`));
  return h('span', { class: 'export-buttons no-print' }, link('xlsx'), ' ', link('pdf'));
}
