// @ts-check: the page's modules are checked against the API's generated declarations (client/api.d.ts, client/tsconfig.json) in the tests.
// The dashboard's entry: reads the site once, fills every panel of a service that runs, then follows the live stream.
// Each panel is a module of its own under js/; what they share about the site is common.js's `page`.
import { byId, number, page, localTime, siteNow, askForKey } from './js/common.js';
import { devices, setValues, render, drawDoing, showToday, showWarnings } from './js/site.js';
import { historyView, showHistory } from './js/history.js';
import { addDecision } from './js/decisions.js';
import { showGuard, loadGuardHistory } from './js/guard.js';
import { showSurplus } from './js/surplus.js';
import { showEv } from './js/ev.js';
import { showPlan } from './js/battery.js';

function setStatus(text, kind) {
  const status = byId('status');
  status.textContent = text;
  status.className = `status ${kind}`;
}
async function start() {
  const response = await fetch('/api/state');
  if (response.status === 401) { askForKey(); setStatus('needs the API key', ''); return; }
  const state = await response.json();
  page.zone = state.timeZone;
  page.clockOffset = Date.parse(state.time) - Date.now();
  byId('site-name').textContent = state.siteName;
  document.title = `${state.siteName} · EnergyHub`;
  for (const [id, d] of Object.entries(state.devices)) {
    setValues(id, d.values);
    Object.assign(devices[id], { health: d.health, roles: d.roles, ageSeconds: d.ageSeconds, timestamp: d.timestamp });
  }
  page.site = state.site;
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
  stream.addEventListener('site', e => { page.site = JSON.parse(e.data); render(); });
  stream.addEventListener('reading', e => {
    const r = JSON.parse(e.data);
    setValues(r.device, r.values, r.timestamp);
    if (devices[r.device].health === 'Unknown') devices[r.device].health = 'Online';
    page.clockOffset = Date.parse(r.timestamp) - Date.now();
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
start();
