// The map page: draws, with Leaflet, the boundaries shipped with Hawkari, the areas of
// responsibility and coordination lines in force, the gaps and overlaps of the coverage
// analysis and the incidents of the time window (clustered), all from the JSON API with
// the reader's session — so only what is released to their organisation. Incidents come
// counted per grid cell by the server (/api/v1/incident-clusters) at the map's zoom, so
// every incident of the window is on the map at any zoom: a cell of many is a numbered
// circle (a click zooms in), an incident alone is a dot that opens it. The filters form
// and the time slider redraw it; the server-rendered lists stay as they are.
(function () {
  'use strict';
  const el = document.getElementById('map');
  if (!el || typeof L === 'undefined') return;

  const data = el.dataset;
  const labels = JSON.parse(data.labels || '{}');
  const form = document.getElementById('map-filters');
  const slider = document.getElementById('m-slider');
  const output = document.getElementById('m-window');
  const status = document.getElementById('map-status');
  const arabicDigits = data.lang !== 'en';

  const digits = (s) => arabicDigits
    ? String(s).replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)))
    : String(s);
  const escape = (s) => String(s).replace(/[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

  const map = L.map(el, { preferCanvas: true, minZoom: 5, maxZoom: 14 })
    .fitBounds([[29.0, 38.8], [37.4, 48.6]]);
  map.attributionControl.setPrefix('Leaflet');
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: escape(data.tileAttribution || '') }).addTo(map);
  }

  const boundaryStyle = { color: '#6b7785', weight: 1, fill: false };
  const governorates = L.geoJSON(null, { style: () => boundaryStyle, interactive: false }).addTo(map);
  const districts = L.geoJSON(null, {
    style: () => ({ color: '#9aa5b1', weight: 0.6, fill: false, dashArray: '2 3' }),
    interactive: false,
  });
  const responsibility = L.geoJSON(null, {
    style: () => ({ color: '#0b5394', weight: 1.5, fillColor: '#0b5394', fillOpacity: 0.08 }),
    onEachFeature: (f, layer) => layer.bindTooltip(escape(f.properties.name)),
  }).addTo(map);
  // Few shapes: drawn as SVG (not on the canvas), each with a class naming what it is.
  const coverageStyles = {
    gap: { color: '#c81e1e', weight: 1, fillColor: '#c81e1e', fillOpacity: 0.3 },
    overlap: { color: '#e68c00', weight: 1, fillColor: '#e68c00', fillOpacity: 0.4 },
    unassigned_line: { color: '#c81e1e', weight: 5, dashArray: '8 6' },
    line: { color: '#222', weight: 3 },
    concern: { color: '#0d2b45', weight: 2, dashArray: '6 4', fill: false },
  };
  const coverage = L.geoJSON(null, {
    renderer: L.svg(),
    style: (f) => ({ className: `coverage-${f.properties.coverage}`, ...coverageStyles[f.properties.coverage] }),
    interactive: false,
  }).addTo(map);
  const incidents = L.layerGroup().addTo(map);

  async function json(url) {
    const r = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(`${url}: ${r.status}`);
    return r.json();
  }

  // The boundaries: governorates at once, districts from zoom 8.
  json('/api/v1/boundaries/1?detail=display').then((fc) => {
    governorates.addData(fc);
    map.attributionControl.addAttribution(escape(fc.attribution));
  }).catch(fail);
  let districtsLoaded = false;
  map.on('zoomend', () => {
    if (map.getZoom() >= 8) {
      if (!districtsLoaded) {
        districtsLoaded = true;
        json('/api/v1/boundaries/2?detail=display').then((fc) => districts.addData(fc)).catch(fail);
      }
      districts.addTo(map);
    } else {
      districts.remove();
    }
  });

  function fail(e) {
    console.error(e);
    status.textContent = data.failed;
  }

  // The window: the slider moves its end; the form holds the rest.
  const dayMs = 86400000;
  const start = Date.parse(slider.dataset.start + 'T00:00:00Z');
  const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
  function windowOf() {
    const days = Number(form.elements.days.value);
    const to = form.elements.to.value || iso(start + Number(slider.value) * dayMs);
    const from = iso(Date.parse(to + 'T00:00:00Z') - days * dayMs);
    return { from, to, days };
  }
  // Dates as the server writes them: "3 July 2022", with the reader's month names.
  const months = JSON.parse(data.months || '[]');
  const showDate = (d) => {
    const [y, m, day] = d.split('-').map(Number);
    return digits(`${day} ${months[m - 1] || m} ${y}`);
  };

  function params(extra) {
    const w = windowOf();
    const p = new URLSearchParams({ from: w.from, to: w.to + 'T23:59:59Z', ...extra });
    const type = form.elements.type.value;
    const actor = form.elements.actor.value;
    const q = form.elements.q.value.trim();
    if (type) p.set('type', type);
    if (actor) p.set('organisation_id', actor);
    if (q) p.set('q', q);
    return p;
  }

  let generation = 0;
  async function drawIncidents() {
    const mine = ++generation;
    status.textContent = data.loading;
    const b = map.getBounds();
    const bbox = [Math.max(b.getWest(), -180), Math.max(b.getSouth(), -90),
      Math.min(b.getEast(), 180), Math.min(b.getNorth(), 90)].map((v) => v.toFixed(4)).join(',');
    const fc = await json('/api/v1/incident-clusters?' + params({ bbox, zoom: String(map.getZoom()) }));
    if (mine !== generation) return;
    incidents.clearLayers();
    for (const f of fc.features) incidents.addLayer(f.properties.count > 1 ? cluster(f) : marker(f));
    status.textContent = `${digits(fc.total)} ${data.shown}`;
    el.dataset.incidents = String(fc.total);
    el.dataset.zoom = String(map.getZoom());
  }

  // A cell of many: a numbered circle in markercluster's style; a click zooms in on it.
  function cluster(f) {
    const [lon, lat] = f.geometry.coordinates;
    const n = f.properties.count;
    const size = n < 10 ? 'small' : n < 100 ? 'medium' : 'large';
    const side = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 50;
    const m = L.marker([lat, lon], {
      icon: L.divIcon({
        html: `<div><span>${escape(digits(n))}</span></div>`,
        className: `marker-cluster marker-cluster-${size}`,
        iconSize: L.point(side, side),
      }),
      keyboard: false,
    });
    m.on('click', () => map.setView([lat, lon], Math.min(map.getZoom() + 2, map.getMaxZoom())));
    return m;
  }

  const typeColour = {
    armed_clash: '#7a1f5c', hit_and_run: '#b35c00', ied: '#8a1c1c', suicide_bombing: '#5c0000',
    vehicle_borne_bomb: '#5c0000', indirect_fire: '#6b4e00', abduction: '#3d3d99',
    assassination: '#3d3d99', arson: '#a34700', attack_on_infrastructure: '#555',
    security_operation: '#1e6b34', strategic_development: '#0b5394', other: '#555',
  };
  function marker(f) {
    const [lon, lat] = f.geometry.coordinates;
    const p = f.properties;
    const m = L.circleMarker([lat, lon], {
      radius: 6, weight: 1, color: '#fff', fillColor: typeColour[p.type] || '#b35c00', fillOpacity: 0.9,
    });
    const day = p.start ? showDate(p.start.slice(0, 10)) : '';
    m.bindPopup(`<strong>${escape(labels[p.type] || p.type)}</strong><br>${escape(day)}<br>` +
      `<a href="/incidents/${encodeURIComponent(p.id)}">${escape(data.open)}</a>`);
    return m;
  }

  // Each redraw has a number; what a superseded one fetched is dropped, not drawn.
  let current = 0;
  const stale = (token) => token !== current;

  async function drawAreas(token) {
    const { to } = windowOf();
    const areas = [];
    for (const kind of ['responsibility', 'coordination_line']) {
      const list = await json(`/api/v1/areas?kind=${kind}&on=${to}&limit=500`);
      for (const a of list.items) {
        if (!a.geometry) continue;
        const names = a.names || {};
        areas.push({
          type: 'Feature', geometry: a.geometry,
          properties: { name: names[data.lang] || names.en || names.ar || names.ckb || a.id, kind },
        });
      }
    }
    if (stale(token)) return [];
    responsibility.clearLayers();
    responsibility.addData({ type: 'FeatureCollection', features: areas.filter((a) => a.properties.kind === 'responsibility') });
    return areas.filter((a) => a.properties.kind === 'coordination_line');
  }

  let framed = false;
  async function drawCoverage(token, lines) {
    const area = form.elements.area.value;
    const { to, days } = windowOf();
    const concern = area ? await json(`/api/v1/areas/${encodeURIComponent(area)}`) : null;
    const fc = area
      ? await json(`/api/v1/coverage?area=${encodeURIComponent(area)}&date=${to}&days=${days}&buffer_km=${data.buffer}`)
      : null;
    if (stale(token)) return;
    coverage.clearLayers();
    for (const l of lines) coverage.addData({ ...l, properties: { coverage: 'line' } });
    if (concern && concern.geometry) {
      coverage.addData({ type: 'Feature', geometry: concern.geometry, properties: { coverage: 'concern' } });
      // The first time, frame the area of concern; later the reader's view is kept.
      if (!framed) {
        framed = true;
        map.fitBounds(L.geoJSON(concern.geometry).getBounds(), { padding: [20, 20] });
      }
    }
    if (fc) coverage.addData({ type: 'FeatureCollection', features: fc.features.filter((f) => f.geometry) });
  }

  // The figures and the list under the map are the server's words: fetch the page for
  // the new window and take those two sections from it.
  async function redrawLists(token, query) {
    const r = await fetch('/map?' + query, { credentials: 'same-origin' });
    if (!r.ok) throw new Error(`/map: ${r.status}`);
    const doc = new DOMParser().parseFromString(await r.text(), 'text/html');
    if (stale(token)) return;
    for (const id of ['coverage', 'incidents']) {
      const fresh = doc.getElementById(id);
      const here = document.getElementById(id);
      if (fresh && here) here.replaceChildren(...fresh.childNodes);
    }
  }

  let timer = null;
  function redraw(delay) {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const w = windowOf();
      output.textContent = `${showDate(w.from)} – ${showDate(w.to)}`;
      const url = new URL(window.location.href);
      for (const [k, v] of new FormData(form)) {
        if (v) url.searchParams.set(k, v); else url.searchParams.delete(k);
      }
      history.replaceState(null, '', url);
      const token = ++current;
      try {
        const lines = await drawAreas(token);
        await Promise.all([drawIncidents(), drawCoverage(token, lines), redrawLists(token, url.searchParams.toString())]);
        if (!stale(token)) el.dataset.drawn = w.to;
      } catch (e) {
        fail(e);
      }
    }, delay);
  }

  slider.addEventListener('input', () => {
    form.elements.to.value = iso(start + Number(slider.value) * dayMs);
    redraw(250);
  });
  form.addEventListener('change', (e) => {
    if (e.target.tagName === 'SELECT') redraw(0);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const to = form.elements.to.value;
    if (to) slider.value = String(Math.round((Date.parse(to + 'T00:00:00Z') - start) / dayMs));
    redraw(0);
  });
  let moveTimer = null;
  map.on('moveend', () => {
    clearTimeout(moveTimer);
    moveTimer = setTimeout(() => drawIncidents().catch(fail), 250);
  });
  redraw(0);
}());
