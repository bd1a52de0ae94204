// @ts-check
import { byId, el, svg, number, fmt, watts, perKwh, localTime, plain, css, siteNow, write } from './common.js';

// ---- The export guard ----------------------------------------------------------------------------------------------
const GUARD_HOURS = 3;
const guardPoints = [];
const FLOWS = [['pv', 'PV', 'pv'], ['load', 'Load', 'home'], ['grid', 'Grid', 'grid'], ['battery', 'Battery', 'battery'], ['limit', 'Limit (read back)', 'bad']];
function guardPoint(d) {
  const x = d.details, rated = number(x.ratedPowerW), readBack = number(x.limitReadBackPct);
  return { t: Date.parse(d.time), pv: number(x.inverterW), load: number(x.loadW), grid: number(x.gridW), battery: number(x.batteryW),
           limit: readBack !== undefined && rated ? readBack / 100 * rated : undefined };
}
export function showGuard(d) {
  const x = d.details;
  if (x === null || typeof x !== 'object' || x.costly === undefined) return;
  byId('guard').hidden = false;
  const costly = byId('guard-costly');
  costly.textContent = d.decision === 'paused' ? `paused until ${localTime(x.pausedUntil)}` : x.costly ? 'exporting costs money now' : 'exporting pays now';
  costly.className = x.costly ? 'costly' : 'free';
  byId('guard-reason').textContent = plain(d.decision);
  byId('guard-target').textContent = `${watts(number(x.targetW))} (${fmt(number(x.targetPct))} %)`;
  byId('guard-limit').textContent = `${fmt(number(x.limitPct))} % / ${fmt(number(x.limitReadBackPct))} %`;
  byId('guard-price').textContent = `${perKwh(number(x.feedInPerKwh))} vs ${perKwh(number(x.thresholdPerKwh))}`;
  byId('guard-age').textContent = `${fmt(number(x.priceAgeSeconds))} s / ${fmt(number(x.telemetryAgeSeconds))} s`;
  if (x.writePct != null) byId('guard-write').textContent = `${x.writePct} % at ${localTime(d.time)}: ${x.writeResult ?? 'not sent'}`;
  const point = guardPoint(d);
  guardPoints.push(point);
  while (guardPoints.length && guardPoints[0].t < point.t - GUARD_HOURS * 3600e3) guardPoints.shift();
  drawFlows();
}
function drawFlows() {
  const chart = byId('flows');
  if (guardPoints.length < 2) return;
  const W = 960, H = 300, L = 60, T = 10, B = 30;
  const t0 = guardPoints[0].t, t1 = guardPoints[guardPoints.length - 1].t;
  const values = guardPoints.flatMap(p => FLOWS.map(([k]) => p[k])).filter(v => v !== undefined);
  const low = Math.min(0, ...values), high = Math.max(1, ...values);
  const x = t => L + (W - L - 10) * (t - t0) / (t1 - t0 || 1);
  const y = v => T + (H - T - B) * (1 - (v - low) / (high - low || 1));
  const lines = FLOWS.map(([key, , colour]) => svg('polyline', {
    'data-series': key, fill: 'none', stroke: css(`--${colour}`), 'stroke-width': 1.5,
    points: guardPoints.filter(p => p[key] !== undefined).map(p => `${x(p.t).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' '),
  }));
  const label = { 'font-size': 11, fill: css('--muted') };
  // A time axis: five times of day along the bottom, the site's local time.
  const times = [0, 0.25, 0.5, 0.75, 1].map((f, i, all) => svg('text', {
    ...label, class: 'time', x: x(t0 + f * (t1 - t0)), y: H - 8, 'text-anchor': i === 0 ? 'start' : i === all.length - 1 ? 'end' : 'middle',
  }, localTime(t0 + f * (t1 - t0)).slice(0, 5)));
  chart.replaceChildren(svg('line', { x1: L, x2: W - 10, y1: y(0), y2: y(0), stroke: css('--line') }),
    svg('text', { ...label, x: 4, y: y(high) + 10 }, watts(high)), svg('text', { ...label, x: 4, y: y(low) }, watts(low)), ...times, ...lines);
  // Each name in its line's colour (the swatch is drawn in the text's colour).
  byId('flows-legend').replaceChildren(...FLOWS.map(([, name, colour]) => el('span', { class: `c-${colour}` }, name)));
}
export async function loadGuardHistory() {
  const from = new Date(siteNow() - GUARD_HOURS * 3600e3).toISOString();
  const response = await fetch(`/api/events?service=ExportGuard&from=${from}&limit=10000`);
  if (response.ok) for (const d of await response.json()) showGuard(d);
}
async function pauseGuard(hours) {
  const result = await write('/api/services/ExportGuard/settings/PauseHours', String(hours));
  const out = byId('guard-pause-result');
  out.hidden = false;
  out.className = result.ok ? 'result' : 'result refused';
  out.textContent = result.ok ? (hours > 0 ? `Paused for ${hours} h: the inverter's limit is lifted.` : 'Resumed.') : `Refused: ${result.text}`;
}
byId('guard-pause').addEventListener('submit', e => { e.preventDefault(); pauseGuard(Number(byId('guard-pause-hours').value)); });
byId('guard-resume').addEventListener('click', () => pauseGuard(0));
