// @ts-check
import { byId, el, page, watts, perKwh, localTime, css, siteNow } from './common.js';
import { devices } from './site.js';

// ---- History (uPlot) -----------------------------------------------------------------------------------------------
const HISTORY = [
  ['balance/PvW', 'PV', 'pv', 'W'], ['balance/LoadW', 'House', 'home', 'W'], ['balance/GridW', 'Grid (+ import)', 'grid', 'W'],
  ['balance/BatteryW', 'Battery (+ charging)', 'battery', 'W'], ['balance/SocPct', 'State of charge', 'battery', '%'],
];
export const historyView = { span: 'day', end: null, chart: null, known: [] };
export const spanMs = () => historyView.span === 'week' ? 7 * 86400e3 : 86400e3;
function historySeries() {
  const extra = [];
  const prices = Object.entries(devices).find(([, d]) => d.values['Prices.ImportPerKwh']);
  if (prices) extra.push([`${prices[0]}/Prices.ImportPerKwh`, 'Import price', 'grid', '/kWh']);
  const inverter = Object.entries(devices).find(([, d]) => d.values['Inverter.ActivePowerLimitPct']);
  if (inverter) extra.push([`${inverter[0]}/Inverter.ActivePowerLimitPct`, 'Inverter limit', 'consumer', '%']);
  for (const [id, d] of Object.entries(devices)) if (d.values['Charger.CurrentA']) extra.push([`${id}/Charger.CurrentA`, `${id} current`, 'ev', 'A']);
  // What the services set: each consumer's allowance as the surplus distributor granted it.
  for (const s of historyView.known.filter(s => s.series.startsWith('command/') && s.series.endsWith('.AllowanceW'))) {
    extra.push([s.series, `${s.series.slice(8, -11)} allowance`, 'consumer', 'W']);
  }
  return [...HISTORY, ...extra];
}
export async function showHistory() {
  historyView.known = await fetch('/api/history/series').then(r => r.ok ? r.json() : []).catch(() => []);
  const end = historyView.end ?? siteNow();
  const from = new Date(end - spanMs()), to = new Date(end);
  byId('history-range').textContent = `${localTime(from, true)} – ${localTime(to, true)}`;
  const wanted = historySeries();
  const answers = await Promise.all(wanted.map(([series]) =>
    fetch(`/api/history?series=${encodeURIComponent(series)}&from=${from.toISOString()}&to=${to.toISOString()}&points=600`).then(r => r.ok ? r.json() : null).catch(() => null)));
  const present = wanted.map((w, i) => [w, answers[i]]).filter(([, a]) => a && a.points.length);
  // The span asked for is always on the axis (empty at its ends): one point alone would be stretched over years.
  const recorded = present.flatMap(([, a]) => a.points.map(p => Date.parse(p.start) / 1000));
  /** @type {number[]} */
  const times = [...new Set(recorded.length ? [from.getTime() / 1000, ...recorded, to.getTime() / 1000] : [])].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const data = [times, ...present.map(([, a]) => {
    const column = new Array(times.length).fill(null);
    for (const p of a.points) column[index.get(Date.parse(p.start) / 1000)] = p.avg;
    return column;
  })];
  const scaleOf = unit => unit === 'W' ? 'W' : unit === '%' ? '%' : unit === 'A' ? 'A' : 'price';
  const series = [{}, ...present.map(([[, name, colour, unit]]) => ({
    label: name, stroke: css(`--${colour}`), width: 1.5, scale: scaleOf(unit), spanGaps: false, paths: unit === '%' || unit === '/kWh' ? uPlot.paths.stepped({ align: 1 }) : undefined,
    value: (u, v) => v == null ? '–' : unit === 'W' ? watts(v) : unit === '/kWh' ? perKwh(v) : `${v.toFixed(1)} ${unit}`,
  }))];
  const box = byId('history-chart');
  const width = Math.max(240, box.clientWidth);
  const options = {
    width, height: width < 500 ? 260 : 320, series, tzDate: ts => page.zone ? uPlot.tzDate(new Date(ts * 1e3), page.zone) : new Date(ts * 1e3),
    scales: { x: { time: true }, '%': { range: [0, 100] } },
    axes: [{ stroke: css('--muted') }, { scale: 'W', stroke: css('--muted'), values: (u, vals) => vals.map(v => watts(v)), size: 70 },
      { scale: '%', side: 1, stroke: css('--muted'), grid: { show: false }, values: (u, vals) => vals.map(v => `${v} %`) }],
    legend: { live: true },
  };
  historyView.chart?.destroy();
  box.replaceChildren();
  if (!times.length) { box.append(el('p', { class: 'muted' }, 'Nothing recorded in this range yet.')); historyView.chart = null; return; }
  historyView.chart = new uPlot(options, data, box);
}
for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('#history [data-span]'))) {
  button.addEventListener('click', () => {
    historyView.span = button.dataset.span;
    for (const b of document.querySelectorAll('#history [data-span]')) b.setAttribute('aria-pressed', String(b === button));
    showHistory();
  });
}
const shift = direction => {
  const end = (historyView.end ?? siteNow()) + direction * spanMs();
  historyView.end = end >= siteNow() ? null : end;
  showHistory();
};
byId('history-back').addEventListener('click', () => shift(-1));
byId('history-forward').addEventListener('click', () => shift(1));
new ResizeObserver(() => historyView.chart?.setSize({ width: Math.max(240, byId('history-chart').clientWidth), height: historyView.chart.height })).observe(byId('history-chart'));
