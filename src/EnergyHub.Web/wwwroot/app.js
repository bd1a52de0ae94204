// @ts-check: checked against the API's generated declarations (client/api.d.ts, client/tsconfig.json) in the tests.
'use strict';
// The dashboard. Everything from the site (names, units, decision details, cloud payloads) is shown as text:
// elements are built with createElement and textContent, never from HTML strings.
/** @type {(id: string) => any} */
const byId = id => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
const number = v => typeof v === 'number' && Number.isFinite(v) ? v : undefined;

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child instanceof Node ? child : String(child));
  return node;
}
function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---- Units, named for people -------------------------------------------------------------------------------------
let currency = '';
let zone;   // the site's time zone (IANA), from /api/state
const fmt = v => v === undefined || v === null ? '–' : (Math.abs(v) >= 100 ? Math.round(v).toString() : Number(v).toFixed(2));
function watts(w) {
  if (number(w) === undefined) return '–';
  return Math.abs(w) >= 1000 ? `${(w / 1000).toFixed(2)} kW` : `${Math.round(w)} W`;
}
const kwh = v => number(v) === undefined ? '–' : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} kWh`;
function duration(seconds) {
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : minutes < 48 * 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${Math.round(minutes / 1440)} days`;
}
function money(v, decimals = 2) {
  if (number(v) === undefined) return '–';
  try { return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency || 'EUR', minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(v); }
  catch { return `${v.toFixed(decimals)} ${currency}`; }
}
const perKwh = v => number(v) === undefined ? '–' : `${money(v, 4)}/kWh`;
function localTime(iso, withDate = false) {
  /** @type {Intl.DateTimeFormatOptions} */
  const options = { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: zone };
  if (withDate) Object.assign(options, { weekday: 'short', day: 'numeric', month: 'short' });
  try { return new Date(iso).toLocaleString([], options); } catch { return new Date(iso).toLocaleString(); }
}
// A series name (Meter.L1.CurrentA) as a label and a formatted value, from its unit suffix.
const LABELS = {
  'Inverter.AcPowerW': 'AC power', 'Inverter.PvPowerW': 'PV power', 'Inverter.ActivePowerLimitPct': 'Power limit', 'Inverter.CurtailedPowerW': 'Curtailed',
  'Inverter.DailyEnergyWh': 'Produced today', 'Inverter.TotalEnergyWh': 'Produced in total', 'Meter.ImportEnergyWh': 'Imported in total',
  'Meter.ExportEnergyWh': 'Exported in total', 'Battery.SocPct': 'State of charge', 'Battery.ChargeLimitW': 'Charge limit',
  'Prices.ImportPerKwh': 'Import price', 'Prices.FeedInPerKwh': 'Feed-in price', 'Charger.CurrentA': 'Charging current', 'Consumer.IsOn': 'Switched on',
};
function label(series, role) {
  if (LABELS[series]) return LABELS[series];
  const parts = series.split('.');
  const last = parts.pop().replace(/(PerKwh|Pct|Wh|W|A|V|Hz|C)$/, '');
  const words = last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const phase = parts.find(p => /^L\d$/.test(p));
  const head = parts[0] === 'Meter' && !phase ? (role === 'Grid' ? 'Grid ' : '') : parts[0] === 'Battery' && words === 'power' ? 'Battery ' : '';
  const text = `${phase ? phase + ' ' : ''}${head}${words}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
function formatValue(series, value, unit) {
  if (series.endsWith('IsOn')) return value ? 'yes' : 'no';
  if (series.endsWith('PerKwh')) return perKwh(value);
  if (series.endsWith('Wh')) return kwh(value / 1000);
  if (series.endsWith('W')) return watts(value);
  if (series.endsWith('Pct')) return `${value.toFixed(1)} %`;
  if (series.endsWith('C')) return `${value.toFixed(1)} °C`;
  if (series.endsWith('Hz')) return `${value.toFixed(2)} Hz`;
  if (series.endsWith('A') || series.endsWith('V')) return `${value.toFixed(1)} ${unit}`;
  return `${fmt(value)} ${unit}`;
}
const age = seconds => number(seconds) === undefined ? 'never read' : seconds < 90 ? `${Math.round(seconds)} s ago` : seconds < 5400 ? `${Math.round(seconds / 60)} min ago` : `${(seconds / 3600).toFixed(1)} h ago`;

// ---- The site ----------------------------------------------------------------------------------------------------
const devices = {};   // id -> { health, roles, displayName, ageSeconds, lastError, timestamp, values: { series: {value, unit} } }
let site = {};        // the site's totals: each flow from the device that plays its role, counted once
const doing = {};     // service -> its latest decision in one sentence

function setValues(id, values, timestamp) {
  const d = devices[id] ??= { health: 'Unknown', roles: [], values: {} };
  d.values = {};
  for (const v of values) d.values[v.series] = { value: v.value, unit: v.unit };
  if (timestamp) { d.timestamp = timestamp; d.ageSeconds = 0; }
}
const playing = role => Object.entries(devices).filter(([, d]) => d.roles.includes(role));
const healthy = ids => ids.every(id => devices[id]?.health === 'Online');

// The power flow: PV, grid and battery around the house, each EV charger and controlled consumer beside it. Lines run
// while power flows, in its direction; numbers come from the site's totals, so they balance.
function drawFlow() {
  const flow = byId('flow');
  const chargers = playing('IEvCharger'), consumers = playing('IConsumer').filter(([id]) => !chargers.some(([c]) => c === id));
  /** @type {{ id: string, kind: string, w: number, x?: number, y?: number }[]} */
  const extras = [...chargers.map(([id, d]) => ({ id, kind: 'ev', w: d.values['Charger.PowerW']?.value })),
    ...consumers.map(([id, d]) => ({ id, kind: 'relay', w: d.values['Consumer.PowerW']?.value }))].slice(0, 4);
  const home = { x: 180, y: 145 };
  const nodes = [
    { key: 'pv', name: 'PV', x: 180, y: 40, w: site.pvW, toHome: site.pvW, ids: playing('IInverter').map(([id]) => id), valueId: 'pv' },
    { key: 'grid', name: site.gridW < 0 ? 'Grid (export)' : 'Grid', x: 50, y: 145, w: site.gridW, toHome: site.gridW, ids: site.gridMeter ? [site.gridMeter] : [], valueId: 'grid' },
    { key: 'battery', name: 'Battery', x: 180, y: 235, w: site.batteryW, toHome: -(site.batteryW ?? 0),
      ids: playing('IBattery').map(([id]) => id), valueId: 'battery-power' },
  ];
  const parts = [];
  const link = (from, to, kind, w) => {
    const on = Math.abs(w ?? 0) >= 10;
    const line = svg('path', { class: `link ${kind}${on ? ' on' : ''}${on && w < 0 ? ' reverse' : ''}`, d: `M${from.x},${from.y} L${to.x},${to.y}` });
    line.style.animationDelay = `${-(performance.now() % 1000)}ms`;   // a redrawn line goes on where the old one was
    parts.push(line);
  };
  for (const n of nodes) link(n, home, n.key, n.toHome);
  extras.forEach((x, i) => { x.x = 310; x.y = 55 + i * (190 / Math.max(1, extras.length - 1 || 1)); link(home, x, x.kind, x.w); });
  const node = (n, kind, valueId) => {
    const g = svg('g', { class: `node ${kind}${n.ids && n.ids.length && !healthy(n.ids) ? ' stale' : ''}`, 'data-w': number(n.w) ?? '' });
    g.append(svg('circle', { cx: n.x, cy: n.y, r: 30 }), svg('text', { class: 'name', x: n.x, y: n.y - 6 }, n.name));
    const value = svg('text', { x: n.x, y: n.y + 12 }, watts(n.w === undefined ? undefined : Math.abs(n.w ?? 0)));
    if (valueId) value.id = valueId;
    g.append(value);
    parts.push(g);
  };
  for (const n of nodes) node(n, n.key, n.valueId);
  node({ name: 'House', x: home.x, y: home.y, w: site.loadW }, 'home', 'load');
  extras.forEach(x => node({ name: x.id, x: x.x, y: x.y, w: x.w, ids: [x.id] }, x.kind));
  const soc = svg('text', { x: 180, y: 285, class: 'soc' }, 'state of charge ');
  soc.append(svg('tspan', { id: 'battery-soc' }, site.socPct == null ? '–' : site.socPct.toFixed(1)), svg('tspan', {}, ' %'),
    svg('tspan', { id: 'battery-time-to-go' }, site.batteryTimeToGoS == null ? '' : ` · ${site.batteryGoal === 'Full' ? 'full' : 'reserve'} in ${duration(site.batteryTimeToGoS)}`));
  parts.push(soc);
  flow.replaceChildren(...parts);
  const prices = Object.values(devices).map(d => d.values).find(v => v['Prices.ImportPerKwh']);
  byId('import-price').textContent = prices ? `Import ${perKwh(prices['Prices.ImportPerKwh'].value)}` : '';
  byId('feed-in').textContent = prices ? `· feed-in ${perKwh(prices['Prices.FeedInPerKwh']?.value)}` : '';
}

function drawDevices() {
  const cards = Object.entries(devices).sort(([a], [b]) => a.localeCompare(b)).map(([id, d]) => {
    const role = d.roles.includes('IMeter') && site.gridMeter === id ? 'Grid' : '';
    const values = Object.entries(d.values);
    // A wallbox is a consumer too: the same power under the same name is shown once.
    const shown = new Set();
    const rows = values.map(([s, v]) => [label(s, role), formatValue(s, v.value, v.unit)]).filter(([l, f]) => !shown.has(`${l}=${f}`) && shown.add(`${l}=${f}`));
    const dl = rows.length ? el('dl', {}, ...rows.flatMap(([l, f]) => [el('dt', {}, l), el('dd', {}, f)]))
      : el('p', { class: 'muted' }, 'No values of its own (it drives or serves the devices above).');
    const raw = el('details', {}, el('summary', {}, 'Details'),
      el('pre', {}, values.map(([s, v]) => `${s} = ${v.value} ${v.unit}`).join('\n') || 'no values'));
    return el('div', { class: `device ${String(d.health).toLowerCase()}`, 'data-device': id },
      el('h3', {}, `${d.displayName ?? id} `, el('span', { class: `health ${d.health}` }, d.health)),
      el('div', { class: 'muted' }, `${id} · ${age(d.ageSeconds)}`),
      d.lastError ? el('div', { class: 'error' }, d.lastError) : el('span', {}),
      dl, raw);
  });
  byId('devices').replaceChildren(...cards);
}

function drawDoing() {
  byId('doing').replaceChildren(...Object.entries(doing).sort().map(([service, text]) => el('li', {}, el('strong', {}, `${service}: `), text)));
}
// The services' codes for what they do, in plain words (an unknown code is shown with spaces for underscores).
const WORDS = {
  export_allowed: 'exporting allowed', limiting: 'limiting export', prices_stale: 'no fresh prices: limiting export',
  telemetry_stale: 'no fresh readings: limiting export', paused: 'paused', setting_changed: 'setting changed',
  Auto: 'self-consumption', Hold: 'holding the battery', ChargeFromGrid: 'charging from the grid', Discharge: 'discharging',
  PvOnly: 'PV only', PvAll: 'PV + grid', Max: 'maximum current', Manual: 'manual', Off: 'off',
};
function plain(code) { return WORDS[code] ?? String(code ?? '').replaceAll('_', ' '); }
function sentence(d) {
  const x = d.details ?? {};
  const what = plain(d.decision);
  if (typeof x.why === 'string') return `${what}: ${x.why}`;
  if (typeof x.allowances === 'string') return `${what}: ${watts(x.surplusW)} surplus, ${watts(x.reservationW)} kept for the battery; ${x.allowances}`;
  if (d.service === 'ExportGuard') return `${what}${number(x.limitPct) !== undefined ? `, inverter limit ${x.limitPct} %` : ''}${number(x.feedInPerKwh) !== undefined ? ` at a feed-in price of ${perKwh(x.feedInPerKwh)}` : ''}`;
  return what;
}

let drawQueued = false;
function render() {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => { drawQueued = false; drawFlow(); drawDevices(); });
}

// ---- Today -------------------------------------------------------------------------------------------------------
async function showToday() {
  const response = await fetch('/api/today');
  if (!response.ok) return;
  const t = await response.json();
  if (t.currency) currency = t.currency;
  byId('today-day').textContent = t.day;
  const kpi = (key, name, text) => el('div', { class: 'kpi', 'data-kpi': key }, el('div', { class: 'label' }, name), el('div', { class: 'value' }, text));
  byId('today-energy').replaceChildren(
    kpi('pvKwh', 'PV produced', kwh(t.pvKwh)), kpi('selfConsumedKwh', 'PV used here', kwh(t.selfConsumedKwh)),
    kpi('exportKwh', 'Exported', kwh(t.exportKwh)), kpi('importKwh', 'Imported', kwh(t.importKwh)),
    kpi('batteryInKwh', 'Into the battery', kwh(t.batteryInKwh)), kpi('batteryOutKwh', 'Out of the battery', kwh(t.batteryOutKwh)),
    kpi('loadKwh', 'House used', kwh(t.loadKwh)), kpi('evKwh', 'EV from PV / grid', `${kwh(t.evFromPvKwh)} / ${kwh(t.evFromGridKwh)}`),
    kpi('selfSufficiencyPct', 'Self-sufficiency', t.selfSufficiencyPct == null ? '–' : `${t.selfSufficiencyPct.toFixed(0)} %`));
  byId('today-money').replaceChildren(
    kpi('importCost', 'Import cost', money(t.importCost)), kpi('feedInRevenue', 'Feed-in revenue', money(t.feedInRevenue)),
    kpi('netCost', t.netCost > 0 ? 'You paid' : 'You earned', money(Math.abs(t.netCost))),
    kpi('withoutCost', 'Without EnergyHub', t.withoutCost > 0 ? `paid ${money(t.withoutCost)}` : `earned ${money(-t.withoutCost)}`));
  // The headline a home owner reads first: what the control saved against the same day without it, and where power came from.
  const share = t.selfSufficiencyPct == null ? '' : `; ${t.selfSufficiencyPct.toFixed(0)} % of what the house used came from the sun and the battery`;
  const saved = Math.round(t.saved * 100) / 100 || 0; // a fraction of a cent (or -0) is nothing either way
  byId('headline-saved').textContent = saved >= 0 ? `Saved ${money(saved)} today` : `Cost ${money(-saved)} more today`;
  byId('headline-saved').title = 'Against the same day without EnergyHub: the same loads, no PV curtailed, the battery on its own self-consumption';
  byId('headline-net').textContent = `${t.netCost > 0 ? `you paid ${money(t.netCost)}` : `you earned ${money(-t.netCost)}`} (without EnergyHub: ${t.withoutCost > 0 ? `paid ${money(t.withoutCost)}` : `earned ${money(-t.withoutCost)}`})${share}`;
}

// ---- History (uPlot) -----------------------------------------------------------------------------------------------
const HISTORY = [
  ['balance/PvW', 'PV', 'pv', 'W'], ['balance/LoadW', 'House', 'home', 'W'], ['balance/GridW', 'Grid (+ import)', 'grid', 'W'],
  ['balance/BatteryW', 'Battery (+ charging)', 'battery', 'W'], ['balance/SocPct', 'State of charge', 'battery', '%'],
];
const historyView = { span: 'day', end: null, chart: null, known: [] };
const spanMs = () => historyView.span === 'week' ? 7 * 86400e3 : 86400e3;
const css = name => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
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
async function showHistory() {
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
    width, height: width < 500 ? 260 : 320, series, tzDate: ts => zone ? uPlot.tzDate(new Date(ts * 1e3), zone) : new Date(ts * 1e3),
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
function siteNow() { return Date.now() + clockOffset; }
let clockOffset = 0;   // the site's clock minus the browser's (a simulated site runs on its own clock)

// ---- Decisions ---------------------------------------------------------------------------------------------------
// One line per change: a service saying the same again (every few seconds) counts up its last line instead.
const services = new Set();
const lastLine = {};   // service -> { said, item, repeats }
function addDecision(d) {
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

// ---- Writes: the API key, asked for once and kept by the browser as a cookie -------------------------------------
async function write(url, body, method = 'PUT') {
  const response = await fetch(url, { method, body });
  if (response.status === 401) { askForKey(); return { ok: false, text: 'needs the API key: enter it above, then try again' }; }
  if (response.ok) return { ok: true };
  return { ok: false, text: (await response.json().catch(() => ({}))).detail ?? response.statusText };
}

// ---- The export guard ----------------------------------------------------------------------------------------------
const GUARD_HOURS = 3;
const guardPoints = [];
const FLOWS = [['pv', 'PV', 'pv'], ['load', 'Load', 'home'], ['grid', 'Grid', 'grid'], ['battery', 'Battery', 'battery'], ['limit', 'Limit (read back)', 'bad']];
function guardPoint(d) {
  const x = d.details, rated = number(x.ratedPowerW), readBack = number(x.limitReadBackPct);
  return { t: Date.parse(d.time), pv: number(x.inverterW), load: number(x.loadW), grid: number(x.gridW), battery: number(x.batteryW),
           limit: readBack !== undefined && rated ? readBack / 100 * rated : undefined };
}
function showGuard(d) {
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
async function loadGuardHistory() {
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

// ---- The surplus distributor: each consumer as a bar of its allowance against its request, with its owner's switch -
async function showSurplus() {
  const response = await fetch('/api/services/SurplusDistributor/status');
  if (!response.ok) return;
  /** @type {import('../client/api').SurplusStatus} */
  const s = await response.json();
  byId('surplus').hidden = false;
  byId('surplus-summary').textContent =
    `${watts(s.surplusW)} counted, ${watts(s.reservationW)} kept for the battery, ${watts(s.assignedW)} handed out`;
  byId('surplus-consumers').replaceChildren(...s.consumers.map(c => {
    const share = c.requestW > 0 ? Math.min(100, c.allowanceW / c.requestW * 100) : 0;
    const toggle = el('button', { type: 'button' }, c.automatic ? 'Automatic' : 'Manual');
    if (c.kind === 'scripted') toggle.disabled = true;
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

// ---- EvCharging: one card per charger, its choices as buttons, why, and the result of the owner's last change ------
/** @type {[string, string, string, string[], Record<string, string>][]} */
const EV_CHOICES = [
  ['mode', 'Mode', 'desiredMode', ['Off', 'PvOnly', 'PvAll', 'Max', 'Manual'], { PvOnly: 'PV only', PvAll: 'PV + grid' }],
  ['phase-mode', 'Phases', 'phaseMode', ['Auto', 'OnePhase', 'ThreePhase'], { OnePhase: '1 phase', ThreePhase: '3 phases' }],
  ['priority', 'Priority', 'chargePriority', ['Auto', 'HomeBattery', 'Car'], { HomeBattery: 'Home battery' }],
];
const evResults = {};
async function showEv() {
  const response = await fetch('/api/services/EvCharging/status');
  if (!response.ok) return;
  /** @type {import('../client/api').EvChargingStatus} */
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
      el('div', { class: 'why' }, `This session ${kwh((e.sessionPvWh + e.sessionGridWh) / 1000)} ` +
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

// ---- BatteryScheduler: its plan over the import price, each slot's action as a band with its reason as tooltip ------
const PLAN_COLOURS = { ChargeFromGrid: '#f9ab00', Discharge: '#c5221f', Hold: '#9aa0a6' };
async function showPlan() {
  const response = await fetch('/api/services/BatteryScheduler/status');
  if (!response.ok) return;
  /** @type {import('../client/api').BatteryScheduleStatus} */
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

// ---- Start-up, the API key, the live stream ----------------------------------------------------------------------
async function showWarnings() {
  const response = await fetch('/api/health');
  if (!response.ok) return;
  const health = await response.json();
  const web = health.web;
  if (web && !web.loopbackOnly && !web.apiKey) {
    const banner = byId('banner');
    banner.textContent = 'This EnergyHub is open to the network without an API key of your own: anyone who can reach it may read it, ' +
      'and only the key generated into its data folder guards changes. Set [Web] ApiKey and ProtectReads = true in the config, or listen on 127.0.0.1 only.';
    banner.hidden = false;
  }
  for (const d of health.devices) Object.assign(devices[d.id] ??= { health: d.health, roles: [], values: {} }, { lastError: d.lastError });
}
let asking = false;
function askForKey() {
  const form = byId('login');
  form.hidden = false;
  byId('login-key').focus();
  if (asking) return;
  asking = true;
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const response = await fetch('/api/login', { method: 'POST', headers: { 'X-Api-Key': byId('login-key').value } });
    if (response.ok) location.reload();
    else byId('login-error').textContent = 'That is not the key.';
  });
}
function setStatus(text, kind) {
  const status = byId('status');
  status.textContent = text;
  status.className = `status ${kind}`;
}
async function start() {
  const response = await fetch('/api/state');
  if (response.status === 401) { askForKey(); setStatus('needs the API key', ''); return; }
  const state = await response.json();
  zone = state.timeZone;
  clockOffset = Date.parse(state.time) - Date.now();
  byId('site-name').textContent = state.siteName;
  document.title = `${state.siteName} · EnergyHub`;
  for (const [id, d] of Object.entries(state.devices)) {
    setValues(id, d.values);
    Object.assign(devices[id], { health: d.health, roles: d.roles, ageSeconds: d.ageSeconds, timestamp: d.timestamp });
  }
  site = state.site;
  render();
  // Everything else at once: the flow is up, the rest fills in as it arrives.
  const [described, services] = await Promise.all([
    fetch('/api/devices').then(r => r.ok ? r.json() : []), fetch('/api/services').then(r => r.ok ? r.json() : []), showWarnings(), showToday()]);
  for (const d of described) if (devices[d.id]) devices[d.id].displayName = d.displayName;
  render();
  const running = new Set(services.map(s => s.name));
  /** @type {[string, () => Promise<void>][]} */
  const panels = [['ExportGuard', loadGuardHistory], ['SurplusDistributor', showSurplus], ['EvCharging', showEv], ['BatteryScheduler', showPlan]];
  await Promise.all([
    fetch(`/api/events?from=${new Date(siteNow() - 600e3).toISOString()}&limit=500`).then(r => r.ok ? r.json() : []).then(recent => {
      for (const d of recent.slice(-60)) addDecision(d);
      drawDoing();
    }),
    ...panels.filter(([name]) => running.has(name)).map(([, show]) => show()), showHistory()]);

  const stream = new EventSource('/api/stream');   // reconnects by itself, resuming with Last-Event-ID
  stream.onopen = () => setStatus('live', 'live');
  stream.onerror = () => setStatus('reconnecting…', 'reconnecting');
  stream.addEventListener('site', e => { site = JSON.parse(e.data); render(); });
  stream.addEventListener('reading', e => {
    const r = JSON.parse(e.data);
    setValues(r.device, r.values, r.timestamp);
    if (devices[r.device].health === 'Unknown') devices[r.device].health = 'Online';
    clockOffset = Date.parse(r.timestamp) - Date.now();
    byId('clock').textContent = localTime(r.timestamp, true);
    setStatus('live', 'live');
    render();
  });
  stream.addEventListener('health', e => {
    const h = JSON.parse(e.data);
    Object.assign(devices[h.device] ??= { roles: [], values: {} }, { health: h.after, lastError: h.error ?? undefined });
    render();
  });
  const refresh = { SurplusDistributor: showSurplus, EvCharging: showEv, BatteryScheduler: showPlan };
  const pending = new Set();
  stream.addEventListener('decision', e => {
    const d = JSON.parse(e.data);
    if (d.service === 'ExportGuard') showGuard(d);
    if (refresh[d.service] && !pending.has(d.service)) {
      pending.add(d.service);   // at most one refresh of a panel in flight
      refresh[d.service]().finally(() => pending.delete(d.service));
    }
    addDecision(d);
    drawDoing();
  });
  setInterval(() => { for (const d of Object.values(devices)) if (number(d.ageSeconds) !== undefined) d.ageSeconds += 5; render(); showToday(); }, 5000);
  setInterval(() => { if (historyView.end === null) showHistory(); }, 60000);
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
start();
