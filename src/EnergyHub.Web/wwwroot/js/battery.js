// @ts-check
import { byId, el, svg, watts, localTime, plain, css, write } from './common.js';

// ---- The battery: the owner's word over the plan (charge now to a state of charge, or no grid charging for a while) -
async function batterySetting(name, value, done) {
  const result = await write(`/api/services/BatteryScheduler/settings/${name}`, String(value));
  const out = byId('plan-charge-result');
  out.hidden = false;
  out.className = result.ok ? 'result' : 'result refused';
  out.textContent = result.ok ? done : `Refused: ${result.text}`;
  return result.ok;
}
byId('plan-charge').addEventListener('submit', e => {
  e.preventDefault();
  const pct = Number(byId('plan-charge-pct').value);
  batterySetting('ChargeNowToPct', pct, `Charging now to ${pct} %; the plan resumes there.`);
});
byId('plan-nogrid').addEventListener('click', () => {
  const hours = Number(byId('plan-nogrid-hours').value);
  batterySetting('NoGridChargingHours', hours, `No grid charging for ${hours} h.`);
});
byId('plan-resume').addEventListener('click', async () => {
  if (await batterySetting('ChargeNowToPct', 0, '')) await batterySetting('NoGridChargingHours', 0, 'Following the plan.');
});

// ---- BatteryScheduler: its plan over the import price, each slot's action as a band with its reason as tooltip ------
const PLAN_COLOURS = { ChargeFromGrid: '#f9ab00', Discharge: '#c5221f', Hold: '#9aa0a6' };
export async function showPlan() {
  const response = await fetch('/api/services/BatteryScheduler/status');
  if (!response.ok) return;
  /** @type {import('../../client/api').BatteryScheduleStatus} */
  const p = await response.json();
  byId('plan').hidden = false;
  byId('plan-now').textContent = `${plain(p.mode)}${p.powerW ? ` at ${watts(p.powerW)}` : ''}: ${p.why}`;
  const chart = byId('plan-chart');
  const slots = p.slots;
  if (!slots.length) { chart.replaceChildren(); return; }
  const W = 960, H = 220, L = 50, R = 40, T = 10, B = 40;
  const prices = slots.map(s => s.importPerKwh);
  const low = Math.min(0, ...prices), high = Math.max(...prices) || 1;
  const x = i => L + (W - L - R) * i / slots.length;
  const yPrice = v => T + (H - T - B) * (1 - (v - low) / (high - low || 1));
  const ySoc = v => T + (H - T - B) * (1 - v / 100);
  const hhmm = iso => localTime(iso).slice(0, 5);
  const parts = [];
  slots.forEach((s, i) => {
    const band = svg('rect', { x: x(i), y: H - B + 4, width: Math.max(1, x(i + 1) - x(i) - 1), height: 10, fill: PLAN_COLOURS[s.action] ?? '#e6e8eb' });
    band.append(svg('title', {}, `${hhmm(s.start)}: ${s.why}`));
    parts.push(band);
  });
  parts.push(svg('path', { d: slots.map((s, i) => `${i ? 'L' : 'M'}${x(i)},${yPrice(s.importPerKwh)} L${x(i + 1)},${yPrice(s.importPerKwh)}`).join(' '), fill: 'none', stroke: css('--grid'), 'stroke-width': 2 }));
  parts.push(svg('path', { d: [`M${x(0)},${ySoc(slots[0].socStartPct)}`, ...slots.map((s, i) => `L${x(i + 1)},${ySoc(s.socEndPct)}`)].join(' '), fill: 'none', stroke: css('--battery'), 'stroke-width': 2 }));
  parts.push(svg('text', { x: 4, y: yPrice(high) + 10, 'font-size': 11 }, `${high.toFixed(3)} ${p.currency}`));
  parts.push(svg('text', { x: 4, y: yPrice(low), 'font-size': 11 }, `${low.toFixed(3)}`));
  parts.push(svg('text', { x: W - R + 4, y: ySoc(100) + 10, 'font-size': 11 }, '100 %'));
  parts.push(svg('text', { x: W - R + 4, y: ySoc(0), 'font-size': 11 }, '0 %'));
  [0, Math.floor(slots.length / 2), slots.length - 1].forEach(i => parts.push(svg('text', { x: x(i), y: H - 8, 'font-size': 11 }, localTime(slots[i].start, true).slice(0, -3))));
  chart.replaceChildren(...parts);
}
