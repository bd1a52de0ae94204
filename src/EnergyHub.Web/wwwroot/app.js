'use strict';
// The live page. Everything from the site (names, units, decision details, cloud payloads) is shown as text:
// elements are built with createElement and textContent, never from HTML strings.
const devices = {};   // id -> { health, values: { series: {value, unit} } }
const fmt = v => v === undefined || v === null ? '–' : (Math.abs(v) >= 100 ? Math.round(v).toString() : Number(v).toFixed(2));
const byId = id => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';

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
let site = {};   // the site's totals from the server: each flow from the device that plays its role, counted once
function render() {
  byId('pv').textContent = fmt(site.pvW);
  byId('grid').textContent = fmt(site.gridW);
  byId('battery-power').textContent = fmt(site.batteryW);
  byId('load').textContent = fmt(site.loadW);
  byId('battery-soc').textContent = site.socPct === undefined || site.socPct === null ? '–' : site.socPct.toFixed(1);
  const feedIn = Object.values(devices).map(d => d.values['Prices.FeedInPerKwh']).find(v => v);
  byId('feed-in').textContent = feedIn ? feedIn.value.toFixed(4) : '–';
  const rows = Object.entries(devices).sort().map(([id, d]) => el('tr', {},
    el('td', {}, id),
    el('td', { class: String(d.health) }, d.health),
    el('td', {}, Object.entries(d.values).map(([s, v]) => `${s} ${fmt(v.value)} ${v.unit}`).join(' · '))));
  byId('devices').replaceChildren(...rows);
}
// The export guard: its latest decision, and its decisions of the last hours as a chart of power flows and the limit.
const GUARD_HOURS = 3;
const guardPoints = [];
const FLOWS = [['pv', 'PV', '#f9ab00'], ['load', 'Load', '#5f6368'], ['grid', 'Grid', '#1a73e8'], ['battery', 'Battery', '#137333'], ['limit', 'Limit (read back)', '#c5221f']];
const number = v => typeof v === 'number' && Number.isFinite(v) ? v : undefined;
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
  costly.textContent = x.costly ? 'exporting costs money now' : 'exporting pays now';
  costly.className = x.costly ? 'costly' : 'free';
  byId('guard-reason').textContent = d.decision;
  byId('guard-target').textContent = `${fmt(number(x.targetW))} W (${fmt(number(x.targetPct))} %)`;
  byId('guard-limit').textContent = `${fmt(number(x.limitPct))} % / ${fmt(number(x.limitReadBackPct))} %`;
  const price = number(x.feedInPerKwh);
  byId('guard-price').textContent = `${price === undefined ? 'unknown' : price.toFixed(4)} vs ${x.thresholdPerKwh}`;
  byId('guard-age').textContent = `${fmt(number(x.priceAgeSeconds))} s / ${fmt(number(x.telemetryAgeSeconds))} s`;
  if (x.writePct != null) byId('guard-write').textContent = `${x.writePct} % at ${d.time}: ${x.writeResult ?? 'not sent'}`;
  const point = guardPoint(d);
  if (!Number.isFinite(point.t)) return;
  if (guardPoints.length && point.t <= guardPoints[guardPoints.length - 1].t) return; // replayed by the stream
  guardPoints.push(point);
  const oldest = guardPoints[guardPoints.length - 1].t - GUARD_HOURS * 3600e3;
  while (guardPoints.length && guardPoints[0].t < oldest) guardPoints.shift();
  drawFlows();
}
function drawFlows() {
  const W = 960, H = 300, L = 60, R = 10, T = 10, B = 30;
  if (guardPoints.length < 2) return;
  const t0 = guardPoints[0].t, t1 = guardPoints[guardPoints.length - 1].t;
  const values = guardPoints.flatMap(p => FLOWS.map(([k]) => p[k]).filter(v => v != null));
  const lo = Math.min(0, ...values), hi = Math.max(1, ...values);
  const X = t => L + (t - t0) / Math.max(1, t1 - t0) * (W - L - R), Y = v => T + (hi - v) / (hi - lo) * (H - T - B);
  const parts = [svg('line', { x1: L, x2: W - R, y1: Y(0), y2: Y(0), stroke: '#ccc' })];
  for (const v of [lo, (lo + hi) / 2, hi]) parts.push(svg('text', { x: L - 6, y: Y(v) + 4, 'text-anchor': 'end', 'font-size': 12 }, `${Math.round(v)} W`));
  parts.push(svg('text', { x: L, y: H - 8, 'font-size': 12 }, `${new Date(t0).toISOString().slice(11, 16)} UTC`));
  parts.push(svg('text', { x: W - R, y: H - 8, 'text-anchor': 'end', 'font-size': 12 }, `${new Date(t1).toISOString().slice(11, 16)} UTC`));
  for (const [key, , colour] of FLOWS) {
    const pts = guardPoints.filter(p => p[key] != null).map(p => `${X(p.t).toFixed(1)},${Y(p[key]).toFixed(1)}`);
    if (pts.length < 2) continue;
    const line = svg('polyline', { 'data-series': key, points: pts.join(' '), fill: 'none', stroke: colour, 'stroke-width': key === 'limit' ? 2 : 1.2 });
    if (key === 'limit') line.setAttribute('stroke-dasharray', '6 3');
    parts.push(line);
  }
  byId('flows').replaceChildren(...parts);
  byId('flows-legend').replaceChildren(...FLOWS.map(([, name, colour]) => { const s = el('span', {}, `■ ${name}`); s.style.color = colour; return s; }));
}
function addDecision(d) {
  const body = byId('decisions');
  body.prepend(el('tr', {}, el('td', {}, d.time), el('td', {}, d.service), el('td', {}, d.decision), el('td', {}, JSON.stringify(d.details))));
  while (body.rows.length > 50) body.deleteRow(-1);
}
async function loadGuardHistory() {
  const from = new Date(Date.now() - GUARD_HOURS * 3600e3).toISOString();
  const response = await fetch(`/api/events?service=ExportGuard&from=${from}&limit=10000`);
  if (response.ok) for (const d of await response.json()) showGuard(d);
}
function setValues(id, values) {
  const d = devices[id] ??= { health: 'Unknown', values: {} };
  d.values = {};
  for (const v of values) d.values[v.series] = { value: v.value, unit: v.unit };
}
// The surplus distributor: each consumer as a bar of its allowance against its request, with why, and its owner's switch.
async function showSurplus() {
  const response = await fetch('/api/surplus');
  if (!response.ok) return;
  const s = await response.json();
  byId('surplus').hidden = false;
  byId('surplus-summary').textContent =
    `${fmt(s.surplusW)} W counted, ${fmt(s.reservationW)} W kept for the battery, ${fmt(s.assignedW)} W handed out`;
  byId('surplus-consumers').replaceChildren(...s.consumers.map(c => {
    const share = c.requestW > 0 ? Math.min(100, c.allowanceW / c.requestW * 100) : 0;
    const toggle = el('button', { type: 'button' }, c.automatic ? 'Automatic' : 'Manual');
    if (c.kind === 'scripted') toggle.disabled = true;
    toggle.addEventListener('click', async () => {
      await fetch(`/api/surplus/consumers/${encodeURIComponent(c.key)}/automatic`, { method: 'PUT', body: String(!c.automatic) });
      await showSurplus();
    });
    const fill = el('div', { class: 'fill' });
    fill.style.width = `${share}%`; // through the CSSOM: the page's CSP allows no inline style attribute
    return el('div', { class: 'consumer' },
      el('span', {}, `${c.name} (priority ${c.priority})`),
      el('div', { class: 'bar', title: `${fmt(c.allowanceW)} of ${fmt(c.requestW)} W` }, fill),
      toggle,
      el('span', { class: 'why' }, `${fmt(c.allowanceW)} of ${fmt(c.requestW)} W, drawing ${fmt(c.consumptionW)} W: ${c.why}. ` +
        `Today ${(c.statistics.energyTodayWh / 1000).toFixed(2)} kWh in ${(c.statistics.runtimeTodayS / 3600).toFixed(1)} h, ` +
        `yesterday ${(c.statistics.energyYesterdayWh / 1000).toFixed(2)} kWh, in total ${(c.statistics.energyTotalWh / 1000).toFixed(1)} kWh`));
  }));
}
// EvCharging: one card per charger with its mode, phase mode and priority as buttons, why it is (not) charging, and the
// result of the owner's last change (accepted, or refused and why).
const EV_CHOICES = [
  ['mode', 'Mode', 'desiredMode', ['Off', 'PvOnly', 'PvAll', 'Max', 'Manual'], { PvOnly: 'PV only', PvAll: 'PV + grid' }],
  ['phase-mode', 'Phases', 'phaseMode', ['Auto', 'OnePhase', 'ThreePhase'], { OnePhase: '1 phase', ThreePhase: '3 phases' }],
  ['priority', 'Priority', 'chargePriority', ['Auto', 'HomeBattery', 'Car'], { HomeBattery: 'Home battery' }],
];
const evResults = {};
async function showEv() {
  const response = await fetch('/api/ev');
  if (!response.ok) return;
  const ev = await response.json();
  byId('ev').hidden = false;
  byId('ev-chargers').replaceChildren(...ev.chargers.map(c => {
    const rows = EV_CHOICES.map(([path, label, field, values, names]) => el('div', { class: 'choices', role: 'group', 'aria-label': label },
      el('span', { class: 'label' }, label),
      ...values.map(value => {
        const button = el('button', { type: 'button', 'aria-pressed': String(c[field] === value) }, names[value] ?? value);
        button.addEventListener('click', async () => {
          const put = await fetch(`/api/ev/${encodeURIComponent(c.charger)}/${path}`, { method: 'PUT', body: JSON.stringify(value) });
          evResults[c.charger] = put.ok ? { ok: true, text: `${label} set to ${names[value] ?? value}.` }
            : { ok: false, text: `${label} ${names[value] ?? value} refused: ${(await put.json().catch(() => ({}))).detail ?? put.statusText}` };
          await showEv();
        });
        return button;
      })));
    const e = c.energy;
    const result = evResults[c.charger];
    return el('div', { class: 'charger' },
      el('h3', {}, `${c.charger}${c.key ? ` (${c.key})` : ''}: ${c.mode}, car ${c.car}`),
      ...rows,
      el('div', { class: 'why' }, `${c.currentA > 0 ? `${fmt(c.currentA)} A on ${c.phases} phase(s), ${fmt(c.powerW)} W` : 'not charging'}: ${c.why}` +
        (c.error ? `. Charger error: ${c.error}` : '')),
      el('div', { class: 'why' }, `This session ${((e.sessionPvWh + e.sessionGridWh) / 1000).toFixed(2)} kWh ` +
        `(${(e.sessionPvWh / 1000).toFixed(2)} from PV, ${(e.sessionGridWh / 1000).toFixed(2)} from the grid); ` +
        `in total ${(e.totalPvWh / 1000).toFixed(1)} kWh from PV, ${(e.totalGridWh / 1000).toFixed(1)} from the grid`),
      result ? el('div', { class: result.ok ? 'result' : 'result refused' }, result.text) : el('span', {}));
  }));
}
// BatteryScheduler: its plan over the import price: the price as steps, the state of charge as a line, each slot's
// action as a coloured band at the foot, each slot's reason as its tooltip.
const PLAN_COLOURS = { ChargeFromGrid: '#f9ab00', Discharge: '#c5221f', Hold: '#9aa0a6' };
async function showPlan() {
  const response = await fetch('/api/battery/plan');
  if (!response.ok) return;
  const p = await response.json();
  byId('plan').hidden = false;
  byId('plan-now').textContent = `${p.mode}${p.powerW ? ` at ${fmt(p.powerW)} W` : ''}: ${p.why}`;
  const chart = byId('plan-chart');
  const slots = p.slots;
  if (!slots.length) { chart.replaceChildren(); return; }
  const W = 960, H = 220, L = 50, R = 40, T = 10, B = 40;
  const prices = slots.map(s => s.importPerKwh);
  const low = Math.min(0, ...prices), high = Math.max(...prices) || 1;
  const x = i => L + (W - L - R) * i / slots.length;
  const yPrice = v => T + (H - T - B) * (1 - (v - low) / (high - low || 1));
  const ySoc = v => T + (H - T - B) * (1 - v / 100);
  const parts = [];
  slots.forEach((s, i) => {
    const band = svg('rect', { x: x(i), y: H - B + 4, width: Math.max(1, x(i + 1) - x(i) - 1), height: 10, fill: PLAN_COLOURS[s.action] ?? '#e6e8eb' });
    band.append(svg('title', {}, `${new Date(s.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false })}: ${s.why}`));
    parts.push(band);
  });
  parts.push(svg('path', { d: slots.map((s, i) => `${i ? 'L' : 'M'}${x(i)},${yPrice(s.importPerKwh)} L${x(i + 1)},${yPrice(s.importPerKwh)}`).join(' '), fill: 'none', stroke: '#1a73e8', 'stroke-width': 2 }));
  parts.push(svg('path', { d: [`M${x(0)},${ySoc(slots[0].socStartPct)}`, ...slots.map((s, i) => `L${x(i + 1)},${ySoc(s.socEndPct)}`)].join(' '), fill: 'none', stroke: '#137333', 'stroke-width': 2 }));
  parts.push(svg('text', { x: 4, y: yPrice(high) + 10, 'font-size': 11 }, `${high.toFixed(3)} ${p.currency}`));
  parts.push(svg('text', { x: 4, y: yPrice(low), 'font-size': 11 }, `${low.toFixed(3)}`));
  parts.push(svg('text', { x: W - R + 4, y: ySoc(100) + 10, 'font-size': 11 }, '100 %'));
  parts.push(svg('text', { x: W - R + 4, y: ySoc(0), 'font-size': 11 }, '0 %'));
  [0, Math.floor(slots.length / 2), slots.length - 1].forEach(i => parts.push(svg('text', { x: x(i), y: H - 8, 'font-size': 11 },
    new Date(slots[i].start).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false }))));
  chart.replaceChildren(...parts);
}
async function showWarnings() {
  const response = await fetch('/api/health');
  if (!response.ok) return;
  const web = (await response.json()).web;
  if (web && !web.loopbackOnly && !web.apiKey) {
    const banner = byId('banner');
    banner.textContent = 'This EnergyHub is open to the network without an API key: anyone who can reach it may use it. ' +
      'Set [Web] ApiKey in the config, or listen on 127.0.0.1 only.';
    banner.hidden = false;
  }
}
function askForKey() {
  const form = byId('login');
  form.hidden = false;
  byId('status').textContent = 'needs the API key';
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const response = await fetch('/api/login', { method: 'POST', headers: { 'X-Api-Key': byId('login-key').value } });
    if (response.ok) location.reload();
    else byId('login-error').textContent = 'That is not the key.';
  });
}
async function start() {
  const response = await fetch('/api/state');
  if (response.status === 401) { askForKey(); return; }
  const state = await response.json();
  for (const [id, d] of Object.entries(state.devices)) { setValues(id, d.values); devices[id].health = d.health; }
  site = state.site;
  render();
  await showWarnings();
  await loadGuardHistory();
  // Only the panels of the services that run: asking the others would answer 404.
  const running = new Set((await (await fetch('/api/services')).json()).map(s => s.name));
  if (running.has('SurplusDistributor')) await showSurplus();
  if (running.has('EvCharging')) await showEv();
  if (running.has('BatteryScheduler')) await showPlan();
  const stream = new EventSource('/api/stream');
  stream.onopen = () => byId('status').textContent = 'live';
  stream.onerror = () => byId('status').textContent = 'reconnecting…';
  stream.addEventListener('site', e => { site = JSON.parse(e.data); render(); });
  stream.addEventListener('reading', e => {
    const r = JSON.parse(e.data);
    setValues(r.device, r.values);
    if (devices[r.device].health === 'Unknown') devices[r.device].health = 'Online';
    render();
    byId('status').textContent = 'live, last reading ' + r.timestamp;
  });
  stream.addEventListener('health', e => { const h = JSON.parse(e.data); (devices[h.device] ??= { values: {} }).health = h.after; render(); });
  stream.addEventListener('decision', e => {
    const d = JSON.parse(e.data);
    if (d.service === 'ExportGuard') showGuard(d);
    if (d.service === 'SurplusDistributor') showSurplus();
    if (d.service === 'EvCharging') showEv();
    if (d.service === 'BatteryScheduler') showPlan();
    addDecision(d);
  });
}
start();
