"use strict";
// The fleet page: /api/fleet every 5 s, one row per site, every cell built with textContent.
const body = document.querySelector("#sites tbody");
const kw = w => (w === null || w === undefined) ? "–" : (w / 1000).toFixed(2);
const kwh = v => (v === null || v === undefined) ? "–" : v.toFixed(1);
const pct = v => (v === null || v === undefined) ? "–" : `${Math.round(v)} %`;

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function render(fleet) {
  const rows = fleet.sites.map(site => {
    const row = document.createElement("tr");
    row.dataset.site = site.id;
    const name = cell(row, "");
    if (site.page) {
      const link = document.createElement("a");
      link.href = site.page;
      link.textContent = site.name;
      name.appendChild(link);
    } else {
      name.textContent = site.name;
    }
    const status = cell(row, "");
    const badge = document.createElement("span");
    badge.className = `status ${site.status}`;
    const offline = Object.entries(site.devices || {}).filter(([, health]) => health !== "Online").map(([id, health]) => `${id} ${health}`);
    badge.textContent = site.status;
    badge.title = offline.length ? offline.join(", ") : (site.ageS === null ? "no summary yet" : `last summary ${Math.round(site.ageS)} s ago`);
    status.appendChild(badge);
    cell(row, kw(site.pvW));
    cell(row, kw(site.gridW));
    cell(row, kw(site.batteryW));
    cell(row, pct(site.socPct));
    cell(row, kw(site.loadW));
    const today = site.today || {};
    cell(row, kwh(today.pvKwh));
    cell(row, kwh(today.importKwh));
    cell(row, kwh(today.exportKwh));
    cell(row, pct(today.selfSufficiencyPct));
    cell(row, today.netCost === undefined ? "–" : `${today.netCost.toFixed(2)} ${today.currency || ""}`.trim());
    cell(row, site.lagMs === null ? "–" : `${Math.round(site.lagMs)} ms`);
    return row;
  });
  body.replaceChildren(...rows);
  document.querySelector("#empty").hidden = fleet.sites.length > 0;
  const online = fleet.sites.filter(s => s.status === "Online").length;
  document.querySelector("#summary").textContent = `${fleet.sites.length} site(s), ${online} online · ${new Date(fleet.time).toLocaleTimeString()}`;
  const j = fleet.journal;
  document.querySelector("#journal").textContent = j
    ? `Journal ${j.location}: ${j.written} records written, ${j.queueDepth} waiting, ${j.dropped} dropped${j.failing ? " — writes are failing" : ""}`
    : "No journal ([Journal] Enabled = false)";
}

async function refresh() {
  const banner = document.querySelector("#banner");
  try {
    const response = await fetch("/api/fleet", { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`the fleet answered ${response.status}`);
    render(await response.json());
    banner.hidden = true;
  } catch (error) {
    banner.textContent = `Cannot reach the fleet (${error.message}); retrying every 5 s.`;
    banner.hidden = false;
  }
}

refresh();
setInterval(refresh, 5000);
