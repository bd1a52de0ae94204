// @ts-check
// The site: its devices and their values, the power flow, the device cards, today's energy and money, and warnings.
import { byId, el, svg, number, page, watts, kwh, duration, money, perKwh, label, formatValue, age, plain } from './common.js';

// ---- The site ----------------------------------------------------------------------------------------------------
export const devices = {};   // id -> { health, roles, displayName, ageSeconds, lastError, timestamp, values: { series: {value, unit} } }
export const doing = {};     // service -> its latest decision in one sentence

export function setValues(id, values, timestamp) {
  const d = devices[id] ??= { health: 'Unknown', roles: [], values: {} };
  d.values = {};
  for (const v of values) d.values[v.series] = { value: v.value, unit: v.unit };
  if (timestamp) { d.timestamp = timestamp; d.ageSeconds = 0; }
}
export const playing = role => Object.entries(devices).filter(([, d]) => d.roles.includes(role));
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
    { key: 'pv', name: 'PV', x: 180, y: 40, w: page.site.pvW, toHome: page.site.pvW, ids: playing('IInverter').map(([id]) => id), valueId: 'pv' },
    { key: 'grid', name: page.site.gridW < 0 ? 'Grid (export)' : 'Grid', x: 50, y: 145, w: page.site.gridW, toHome: page.site.gridW, ids: page.site.gridMeter ? [page.site.gridMeter] : [], valueId: 'grid' },
    { key: 'battery', name: 'Battery', x: 180, y: 235, w: page.site.batteryW, toHome: -(page.site.batteryW ?? 0),
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
  node({ name: 'House', x: home.x, y: home.y, w: page.site.loadW }, 'home', 'load');
  extras.forEach(x => node({ name: x.id, x: x.x, y: x.y, w: x.w, ids: [x.id] }, x.kind));
  const soc = svg('text', { x: 180, y: 285, class: 'soc' }, 'state of charge ');
  soc.append(svg('tspan', { id: 'battery-soc' }, page.site.socPct == null ? '–' : page.site.socPct.toFixed(1)), svg('tspan', {}, ' %'),
    svg('tspan', { id: 'battery-time-to-go' }, page.site.batteryTimeToGoS == null ? '' : ` · ${page.site.batteryGoal === 'Full' ? 'full' : 'reserve'} in ${duration(page.site.batteryTimeToGoS)}`));
  parts.push(soc);
  flow.replaceChildren(...parts);
  const prices = Object.values(devices).map(d => d.values).find(v => v['Prices.ImportPerKwh']);
  byId('import-price').textContent = prices ? `Import ${perKwh(prices['Prices.ImportPerKwh'].value)}` : '';
  byId('feed-in').textContent = prices ? `· feed-in ${perKwh(prices['Prices.FeedInPerKwh']?.value)}` : '';
}

function drawDevices() {
  const cards = Object.entries(devices).sort(([a], [b]) => a.localeCompare(b)).map(([id, d]) => {
    const role = d.roles.includes('IMeter') && page.site.gridMeter === id ? 'Grid' : '';
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

export function drawDoing() {
  byId('doing').replaceChildren(...Object.entries(doing).sort().map(([service, text]) => el('li', {}, el('strong', {}, `${service}: `), text)));
}
export function sentence(d) {
  const x = d.details ?? {};
  const what = plain(d.decision);
  if (typeof x.why === 'string') return `${what}: ${x.why}`;
  if (typeof x.allowances === 'string') return `${what}: ${watts(x.surplusW)} surplus, ${watts(x.reservationW)} kept for the battery; ${x.allowances}`;
  if (d.service === 'ExportGuard') return `${what}${number(x.limitPct) !== undefined ? `, inverter limit ${x.limitPct} %` : ''}${number(x.feedInPerKwh) !== undefined ? ` at a feed-in price of ${perKwh(x.feedInPerKwh)}` : ''}`;
  return what;
}

let drawQueued = false;
export function render() {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => { drawQueued = false; drawFlow(); drawDevices(); });
}

// ---- Today -------------------------------------------------------------------------------------------------------
export async function showToday() {
  const response = await fetch('/api/today');
  if (!response.ok) return;
  const t = await response.json();
  if (t.currency) page.currency = t.currency;
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

export async function showWarnings() {
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
