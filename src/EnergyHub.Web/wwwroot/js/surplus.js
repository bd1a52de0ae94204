// @ts-check
import { byId, el, watts, kwh, write, askForKey } from './common.js';

// ---- The surplus distributor: each consumer as a bar of its allowance against its request, with its owner's switch -
export async function showSurplus() {
  const response = await fetch('/api/services/SurplusDistributor/status');
  if (!response.ok) return;
  /** @type {import('../../client/api').SurplusStatus} */
  const s = await response.json();
  byId('surplus').hidden = false;
  byId('surplus-summary').textContent =
    `${watts(s.surplusW)} counted, ${watts(s.reservationW)} kept for the battery, ${watts(s.assignedW)} handed out`;
  byId('surplus-consumers').replaceChildren(...s.consumers.map(c => {
    const share = c.requestW > 0 ? Math.min(100, c.allowanceW / c.requestW * 100) : 0;
    const toggle = el('button', { type: 'button' }, c.automatic ? 'Automatic' : 'Manual');
    toggle.addEventListener('click', async () => {
      const result = await fetch(`/api/surplus/consumers/${encodeURIComponent(c.key)}/automatic`, { method: 'PUT', body: String(!c.automatic) });
      if (result.status === 401) askForKey();
      await showSurplus();
    });
    const fill = el('div', { class: 'fill' });
    fill.style.width = `${share}%`; // through the CSSOM: the page's CSP allows no inline style attribute
    const priority = el('input', { type: 'number', min: '1', max: '100', step: '1', value: String(c.priority), 'aria-label': `${c.name} priority` });
    priority.addEventListener('change', async () => {
      const result = await write(`/api/surplus/consumers/${encodeURIComponent(c.key)}/priority`, priority.value);
      surplusResults[c.key] = result.ok ? { ok: true, text: `Priority set to ${priority.value}.` } : { ok: false, text: `Priority ${priority.value} refused: ${result.text}` };
      await showSurplus();
    });
    const result = surplusResults[c.key];
    return el('div', { class: 'consumer' },
      el('span', {}, `${c.name} (priority ${c.priority})`),
      el('span', { class: 'toolbar' }, el('label', {}, 'priority ', priority), toggle),
      el('div', { class: 'bar', title: `${watts(c.allowanceW)} of ${watts(c.requestW)}` }, fill),
      el('span', { class: 'why' }, `${watts(c.allowanceW)} of ${watts(c.requestW)}, drawing ${watts(c.consumptionW)}: ${c.why}. ` +
        `Today ${kwh(c.statistics.energyTodayWh / 1000)} in ${(c.statistics.runtimeTodayS / 3600).toFixed(1)} h, ` +
        `yesterday ${kwh(c.statistics.energyYesterdayWh / 1000)}, in total ${(c.statistics.energyTotalWh / 1000).toFixed(1)} kWh`),
      result ? el('div', { class: result.ok ? 'result' : 'result refused' }, result.text) : el('span', {}));
  }));
}
const surplusResults = {};

