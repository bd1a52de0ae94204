// @ts-check
// What every panel of the dashboard uses: building elements (everything from the site is shown as text: elements are
// built with createElement and textContent, never from HTML strings), units named for people, the site's clock and zone,
// and writes with the API key.
/** @type {(id: string) => any} */
export const byId = id => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
export const number = v => typeof v === 'number' && Number.isFinite(v) ? v : undefined;

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child instanceof Node ? child : String(child));
  return node;
}
export function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** What the page knows about the site as a whole: its currency, its time zone (IANA, from /api/state), its clock minus
 * the browser's (a simulated site runs on its own clock) and its totals (each flow from the device that plays its role). */
export const page = { currency: '', zone: undefined, clockOffset: 0, site: /** @type {any} */ ({}) };
export const fmt = v => v === undefined || v === null ? '–' : (Math.abs(v) >= 100 ? Math.round(v).toString() : Number(v).toFixed(2));
export function watts(w) {
  if (number(w) === undefined) return '–';
  return Math.abs(w) >= 1000 ? `${(w / 1000).toFixed(2)} kW` : `${Math.round(w)} W`;
}
export const kwh = v => number(v) === undefined ? '–' : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} kWh`;
export function duration(seconds) {
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : minutes < 48 * 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${Math.round(minutes / 1440)} days`;
}
export function money(v, decimals = 2) {
  if (number(v) === undefined) return '–';
  try { return new Intl.NumberFormat(undefined, { style: 'currency', currency: page.currency || 'EUR', minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(v); }
  catch { return `${v.toFixed(decimals)} ${page.currency}`; }
}
export const perKwh = v => number(v) === undefined ? '–' : `${money(v, 4)}/kWh`;
export function localTime(iso, withDate = false) {
  /** @type {Intl.DateTimeFormatOptions} */
  const options = { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: page.zone };
  if (withDate) Object.assign(options, { weekday: 'short', day: 'numeric', month: 'short' });
  try { return new Date(iso).toLocaleString([], options); } catch { return new Date(iso).toLocaleString(); }
}
// A series name (Meter.L1.CurrentA) as a label and a formatted value, from its unit suffix.
export const LABELS = {
  'Inverter.AcPowerW': 'AC power', 'Inverter.PvPowerW': 'PV power', 'Inverter.ActivePowerLimitPct': 'Power limit', 'Inverter.CurtailedPowerW': 'Curtailed',
  'Inverter.DailyEnergyWh': 'Produced today', 'Inverter.TotalEnergyWh': 'Produced in total', 'Meter.ImportEnergyWh': 'Imported in total',
  'Meter.ExportEnergyWh': 'Exported in total', 'Battery.SocPct': 'State of charge', 'Battery.ChargeLimitW': 'Charge limit',
  'Prices.ImportPerKwh': 'Import price', 'Prices.FeedInPerKwh': 'Feed-in price', 'Charger.CurrentA': 'Charging current', 'Consumer.IsOn': 'Switched on',
};
export function label(series, role) {
  if (LABELS[series]) return LABELS[series];
  const parts = series.split('.');
  const last = parts.pop().replace(/(PerKwh|Pct|Wh|W|A|V|Hz|C)$/, '');
  const words = last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const phase = parts.find(p => /^L\d$/.test(p));
  const head = parts[0] === 'Meter' && !phase ? (role === 'Grid' ? 'Grid ' : '') : parts[0] === 'Battery' && words === 'power' ? 'Battery ' : '';
  const text = `${phase ? phase + ' ' : ''}${head}${words}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
export function formatValue(series, value, unit) {
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
export const age = seconds => number(seconds) === undefined ? 'never read' : seconds < 90 ? `${Math.round(seconds)} s ago` : seconds < 5400 ? `${Math.round(seconds / 60)} min ago` : `${(seconds / 3600).toFixed(1)} h ago`;
// The services' codes for what they do, in plain words (an unknown code is shown with spaces for underscores).
export const WORDS = {
  export_allowed: 'exporting allowed', limiting: 'limiting export', prices_stale: 'no fresh prices: limiting export',
  telemetry_stale: 'no fresh readings: limiting export', paused: 'paused', setting_changed: 'setting changed',
  Auto: 'self-consumption', Hold: 'holding the battery', ChargeFromGrid: 'charging from the grid', Discharge: 'discharging',
  PvOnly: 'PV only', PvAll: 'PV + grid', Max: 'maximum current', Manual: 'manual', Off: 'off',
};
export function plain(code) { return WORDS[code] ?? String(code ?? '').replaceAll('_', ' '); }
export const css = name => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
export function siteNow() { return Date.now() + page.clockOffset; }

// ---- Writes: the API key, asked for once and kept by the browser as a cookie -------------------------------------
export async function write(url, body, method = 'PUT') {
  const response = await fetch(url, { method, body });
  if (response.status === 401) { askForKey(); return { ok: false, text: 'needs the API key: enter it above, then try again' }; }
  if (response.ok) return { ok: true };
  return { ok: false, text: (await response.json().catch(() => ({}))).detail ?? response.statusText };
}
let asking = false;
export function askForKey() {
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
