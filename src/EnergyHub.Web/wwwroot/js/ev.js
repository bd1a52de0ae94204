// @ts-check
import { byId, el, fmt, watts, kwh, duration, localTime, plain, write } from './common.js';

// ---- EvCharging: one card per charger, its choices as buttons, why, and the result of the owner's last change ------
/** @type {[string, string, string, string[], Record<string, string>][]} */
const EV_CHOICES = [
  ['mode', 'Mode', 'desiredMode', ['Off', 'PvOnly', 'PvAll', 'Max', 'Manual'], { PvOnly: 'PV only', PvAll: 'PV + grid' }],
  ['phase-mode', 'Phases', 'phaseMode', ['Auto', 'OnePhase', 'ThreePhase'], { OnePhase: '1 phase', ThreePhase: '3 phases' }],
  ['priority', 'Priority', 'chargePriority', ['Auto', 'HomeBattery', 'Car'], { HomeBattery: 'Home battery' }],
];
const evResults = {};
export async function showEv() {
  const response = await fetch('/api/services/EvCharging/status');
  if (!response.ok) return;
  /** @type {import('../../client/api').EvChargingStatus} */
  const ev = await response.json();
  byId('ev').hidden = false;
  byId('ev-chargers').replaceChildren(...ev.chargers.map(c => {
    const rows = EV_CHOICES.map(([path, name, field, values, names]) => el('div', { class: 'choices', role: 'group', 'aria-label': name },
      el('span', { class: 'label' }, name),
      ...values.map(value => {
        const button = el('button', { type: 'button', 'aria-pressed': String(c[field] === value) }, names[value] ?? value);
        button.addEventListener('click', async () => {
          const result = await write(`/api/ev/${encodeURIComponent(c.charger)}/${path}`, JSON.stringify(value));
          evResults[c.charger] = result.ok ? { ok: true, text: `${name} set to ${names[value] ?? value}.` }
            : { ok: false, text: `${name} ${names[value] ?? value} refused: ${result.text}` };
          await showEv();
        });
        return button;
      })));
    const e = c.energy;
    const result = evResults[c.charger];
    return el('div', { class: c.stale ? 'charger stale' : 'charger' },
      el('h3', {}, `${c.charger}${c.key ? ` (${c.key})` : ''}: ${plain(c.mode)}, car ${String(c.car ?? '').toLowerCase()}`),
      c.stale ? el('div', { class: 'stale-mark' }, `Not seen for ${fmt(c.readingAgeS)} s: what follows is how it was last seen`) : el('span', {}),
      ...rows,
      evPlan(c),
      el('div', { class: 'why' }, `${c.currentA > 0 ? `${fmt(c.currentA)} A on ${c.phases} phase(s), ${watts(c.powerW)}` : 'not charging'}: ${c.why}` +
        (c.error ? `. Charger error: ${c.error}` : '')),
      el('div', { class: 'why' }, `This session ${kwh((e.sessionPvWh + e.sessionGridWh) / 1000)} in ${duration(e.sessionChargingS)} of charging ` +
        `(${kwh(e.sessionPvWh / 1000)} from PV, ${kwh(e.sessionGridWh / 1000)} from the grid); ` +
        `in total ${(e.totalPvWh / 1000).toFixed(1)} kWh from PV, ${(e.totalGridWh / 1000).toFixed(1)} from the grid`),
      result ? el('div', { class: result.ok ? 'result' : 'result refused' }, result.text) : el('span', {}));
  }));
}

// A charge plan ("20 kWh by 07:00"): where it stands, the hours it charges in, a form to set one and a button to end it.
function evPlan(c) {
  const url = `/api/ev/${encodeURIComponent(c.charger)}/plan`;
  const energy = el('input', { type: 'number', min: '1', max: '500', step: '1', value: String(c.plan?.energyKwh ?? 20), 'aria-label': 'kWh', class: 'kwh' });
  const by = el('input', { type: 'time', value: c.plan ? localTime(c.plan.by).slice(0, 5) : '07:00', 'aria-label': 'by' });
  const set = el('button', { type: 'button' }, c.plan ? 'Change plan' : 'Plan');
  set.addEventListener('click', async () => {
    const result = await write(url, JSON.stringify({ energyKwh: Number(energy.value), by: by.value }));
    evResults[c.charger] = result.ok ? { ok: true, text: `Plan set: ${energy.value} kWh by ${by.value}.` } : { ok: false, text: `Plan refused: ${result.text}` };
    await showEv();
  });
  const parts = [el('span', { class: 'label' }, 'Plan'), energy, el('span', {}, 'kWh by'), by, set];
  if (c.plan) {
    const end = el('button', { type: 'button' }, 'End plan');
    end.addEventListener('click', async () => {
      const result = await write(url, undefined, 'DELETE');
      evResults[c.charger] = result.ok ? { ok: true, text: 'Plan ended.' } : { ok: false, text: `Ending the plan refused: ${result.text}` };
      await showEv();
    });
    parts.push(end);
  }
  const hours = c.plan?.slots ?? [];
  return el('div', {},
    el('div', { class: 'choices', role: 'group', 'aria-label': 'Charge plan' }, ...parts),
    c.plan ? el('div', { class: 'why' }, `${kwh(c.plan.chargedKwh)} of ${kwh(c.plan.energyKwh)} charged; ` +
      `${c.plan.chargingNow ? `charging at ${c.plan.powerW == null ? 'full power' : watts(c.plan.powerW)} now` : 'waiting'}` +
      `${c.plan.plannedBy ? ` (planned with the battery by ${c.plan.plannedBy})` : ''}: ` +
      c.plan.why + (hours.length ? `. Planned: ${hours.map(planHour).join(', ')}` : '')) : el('span', {}));
}

// One stretch of a charge plan: its hours, its power (and what of it is PV) when planned with the battery, its price.
function planHour(h) {
  const when = `${localTime(h.start).slice(0, 5)}–${localTime(h.end).slice(0, 5)}`;
  const power = h.powerW == null ? '' : ` ${watts(h.powerW)}${h.gridW < h.powerW ? ` (${watts(h.powerW - h.gridW)} not from the grid)` : ''}`;
  return when + power + (h.importPerKwh === null ? ' (price not published yet)' : ` at ${h.importPerKwh.toFixed(3)}`);
}

