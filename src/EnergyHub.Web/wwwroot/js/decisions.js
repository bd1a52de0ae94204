// @ts-check
import { byId, el, localTime } from './common.js';
import { doing, sentence } from './site.js';

// ---- Decisions ---------------------------------------------------------------------------------------------------
// One line per change: a service saying the same again (every few seconds) counts up its last line instead.
const services = new Set();
const lastLine = {};   // service -> { said, item, repeats }
export function addDecision(d) {
  const said = sentence(d);
  doing[d.service] = said;
  if (!services.has(d.service)) {
    services.add(d.service);
    byId('decision-filter').append(el('option', { value: d.service }, d.service));
  }
  const filter = byId('decision-filter').value;
  const details = d.details && typeof d.details === 'object' ? d.details : {};
  const plain = Object.entries(details).filter(([k, v]) => k !== 'why' && k !== 'rawPayload' && (v === null || typeof v !== 'object'));
  const list = byId('decisions');
  const last = lastLine[d.service];
  const repeats = last && last.said === said && last.item.isConnected ? last.repeats + 1 : 0;
  const item = el('li', { 'data-service': d.service, 'data-repeats': String(repeats) },
    el('span', { class: 'when' }, localTime(d.time)), el('span', { class: 'service' }, d.service), el('span', { class: 'said' }, said),
    repeats > 0 ? el('span', { class: 'repeats', title: `said ${repeats + 1} times in a row; the time is the latest` }, `×${repeats + 1}`) : '',
    el('details', {}, el('summary', {}, 'details'), el('pre', {}, plain.map(([k, v]) => `${k}: ${v}`).join('\n')),
      el('details', { class: 'raw' }, el('summary', {}, 'raw'), el('pre', {}, JSON.stringify(d.details, null, 1)))));
  item.hidden = filter !== '' && filter !== d.service;
  if (repeats > 0) last.item.remove();
  lastLine[d.service] = { said, item, repeats };
  list.prepend(item);
  while (list.children.length > 60) list.lastElementChild.remove();
}
byId('decision-filter').addEventListener('change', () => {
  const filter = byId('decision-filter').value;
  for (const item of byId('decisions').children) item.hidden = filter !== '' && filter !== item.dataset.service;
});
