// The small maps of the record forms and the area page, drawn with Leaflet (and, on the
// area form, Leaflet-Geoman's drawing tools), both from the npm registry and served by
// Hawkari. Every map only fills in the form's own fields, so the forms work the same
// without it:
// - #point-map (incident form): a click places the point and fills latitude and
//   longitude; typed coordinates move the mark; "Find" looks a name up in the gazetteer
//   and the registry's places and offers what it found.
// - #area-map (area form): a click on a governorate, district or sub-district adds it to
//   (or takes it from) the admin units list; a shape drawn or edited with the tools is
//   written as GeoJSON into the `geometry` field.
// - #area-view (area page): the area's shape.
(function () {
  'use strict';
  if (typeof L === 'undefined') return;

  const IRAQ = [[29.0, 38.8], [37.4, 48.6]];
  const boundaryStyle = { color: '#6b7785', weight: 1, fill: false };
  const shapeStyle = { color: '#0b5394', weight: 2, fillColor: '#0b5394', fillOpacity: 0.2 };

  async function json(url) {
    const r = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(`${url}: ${r.status}`);
    return r.json();
  }

  function baseMap(el) {
    const map = L.map(el, { minZoom: 5, maxZoom: 14 }).fitBounds(IRAQ);
    map.attributionControl.setPrefix('Leaflet');
    const governorates = L.geoJSON(null, { style: () => boundaryStyle, interactive: false, pmIgnore: true }).addTo(map);
    json('/api/v1/boundaries/1?detail=display').then((fc) => {
      governorates.addData(fc);
      map.attributionControl.addAttribution(String(fc.attribution).replace(/[<>&]/g, ''));
    }).catch((e) => console.error(e));
    return map;
  }

  // Numbers as typed in any script: Arabic-Indic and Persian digits, the Arabic decimal
  // separator.
  function number(s) {
    const ascii = String(s).trim()
      .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
      .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06F0))
      .replace(/[\u066B,]/g, '.');
    return ascii === '' ? NaN : Number(ascii);
  }

  // ------------------------------------------------------------ the incident's point
  const pointEl = document.getElementById('point-map');
  if (pointEl) {
    const words = JSON.parse(pointEl.dataset.words || '{}');
    const lat = document.getElementById('lat');
    const lon = document.getElementById('lon');
    const precision = document.getElementById('location_precision');
    const placeName = document.getElementById('place_name');
    const query = document.getElementById('place_query');
    const find = document.getElementById('find-place');
    const results = document.getElementById('place-results');
    const map = baseMap(pointEl);
    let mark = null;
    const show = (latlng) => {
      if (mark) mark.setLatLng(latlng);
      else mark = L.circleMarker(latlng, { radius: 8, color: '#8a1c1c', weight: 3, fillColor: '#b35c00', fillOpacity: 0.9 }).addTo(map);
      pointEl.dataset.point = `${latlng.lat},${latlng.lng}`;
    };
    const fromFields = (zoom) => {
      const la = number(lat.value);
      const lo = number(lon.value);
      if (Number.isFinite(la) && Number.isFinite(lo) && Math.abs(la) <= 90 && Math.abs(lo) <= 180) {
        show(L.latLng(la, lo));
        if (zoom) map.setView([la, lo], Math.max(map.getZoom(), 8));
      }
    };
    const setPoint = (latlng) => {
      lat.value = latlng.lat.toFixed(5);
      lon.value = L.Util.wrapNum(latlng.lng, [-180, 180], true).toFixed(5);
      show(latlng);
    };
    map.on('click', (e) => {
      setPoint(e.latlng);
      if (precision && precision.value !== 'near') precision.value = 'exact';
    });
    lat.addEventListener('change', () => fromFields(true));
    lon.addEventListener('change', () => fromFields(true));
    fromFields(true);

    const name = (x) => (words.lang === 'ar' ? x.name_ar : words.lang === 'ckb' ? (x.name_ckb || x.name_ar) : x.name_en) || x.name_en;
    const levels = { 1: 'governorate', 2: 'district', 3: 'sub_district' };
    async function lookup() {
      const q = query.value.trim();
      results.textContent = '';
      if (!q) return;
      const [units, places] = await Promise.all([
        json(`/api/v1/gazetteer?q=${encodeURIComponent(q)}`).catch(() => []),
        json(`/api/v1/places?q=${encodeURIComponent(q)}&limit=10`).then((r) => r.items || []).catch(() => []),
      ]);
      const found = [];
      for (const u of units.slice(0, 10)) {
        if (!u.centroid) continue;
        found.push({ label: `${name(u)} (${words[levels[u.level]]})`, point: u.centroid, precision: levels[u.level], place: '' });
      }
      for (const p of places) {
        if (!p.point) continue;
        const n = (p.names && (p.names[words.lang] || p.names.en || p.names.ar || p.names.ckb)) || p.id;
        found.push({ label: `${n} (${words.place})`, point: p.point, precision: 'near', place: n });
      }
      if (!found.length) {
        const p = document.createElement('p');
        p.textContent = words.none;
        results.append(p);
        return;
      }
      const list = document.createElement('ul');
      list.className = 'choices';
      for (const f of found) {
        const li = document.createElement('li');
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'link';
        b.textContent = f.label;
        b.addEventListener('click', () => {
          setPoint(L.latLng(f.point.lat, f.point.lon));
          map.setView([f.point.lat, f.point.lon], f.precision === 'governorate' ? 7 : 9);
          if (precision) precision.value = f.precision;
          if (placeName && f.place) placeName.value = f.place;
          results.textContent = '';
          const done = document.createElement('p');
          done.setAttribute('role', 'status');
          done.textContent = words.picked.replace('{place}', f.label);
          results.append(done);
        });
        li.append(b);
        list.append(li);
      }
      results.append(list);
    }
    find.addEventListener('click', (e) => { e.preventDefault(); lookup(); });
    query.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); lookup(); }
    });
  }

  // ------------------------------------------------------------ the area's shape
  const areaEl = document.getElementById('area-map');
  if (areaEl) {
    const words = JSON.parse(areaEl.dataset.words || '{}');
    const units = document.getElementById('units');
    const geometry = document.getElementById('geometry');
    const byUnits = document.getElementById('shape_from_units');
    const byGeometry = document.getElementById('shape_from_geometry');
    const level = document.getElementById('pick-level');
    const file = document.getElementById('geometry_file');
    document.getElementById('pick-level-p').hidden = false;
    const map = baseMap(areaEl);

    // Admin units: the chosen level's units, each toggled by a click.
    const option = (pcode) => units.querySelector(`option[value="${CSS.escape(pcode)}"]`);
    const picked = (pcode) => { const o = option(pcode); return !!(o && o.selected); };
    const unitStyle = (f) => ({
      className: 'unit',
      ...(picked(f.properties.pcode)
        ? { color: '#0b5394', weight: 2, fillColor: '#0b5394', fillOpacity: 0.35 }
        : { color: '#9aa5b1', weight: 0.8, fillColor: '#ffffff', fillOpacity: 0.01 }),
    });
    const unitLayer = L.geoJSON(null, {
      style: unitStyle,
      pmIgnore: true,
      onEachFeature: (f, layer) => {
        layer.bindTooltip(name(f.properties), { sticky: true });
        layer.on('click', () => {
          // While a drawing tool is in use, a click is the tool's.
          if (map.pm && (map.pm.globalDrawModeEnabled() || map.pm.globalEditModeEnabled()
            || map.pm.globalRemovalModeEnabled())) return;
          const o = option(f.properties.pcode);
          if (!o) return;
          o.selected = !o.selected;
          byUnits.checked = true;
          unitLayer.setStyle(unitStyle);
          areaEl.dataset.picked = units.selectedOptions.length;
        });
      },
    }).addTo(map);
    function name(p) {
      return (words.lang === 'ar' ? p.name_ar : words.lang === 'ckb' ? (p.name_ckb || p.name_ar) : p.name_en) || p.name_en;
    }
    const loaded = {};
    async function showLevel() {
      const n = level.value;
      loaded[n] = loaded[n] || json(`/api/v1/boundaries/${n}?detail=display`);
      const fc = await loaded[n];
      if (level.value !== n) return;
      unitLayer.clearLayers();
      unitLayer.addData(fc);
      unitLayer.bringToBack();
      areaEl.dataset.level = n;
    }
    level.addEventListener('change', showLevel);
    units.addEventListener('change', () => { byUnits.checked = true; unitLayer.setStyle(unitStyle); });
    showLevel().catch((e) => console.error(e));

    // A shape of its own: drawn and edited with Leaflet-Geoman, kept as GeoJSON.
    const drawn = L.featureGroup().addTo(map);
    function load() {
      drawn.clearLayers();
      const text = geometry.value.trim();
      if (!text) return;
      try {
        L.geoJSON(JSON.parse(text), { style: () => shapeStyle }).eachLayer((l) => {
          l.on('pm:edit', write);
          drawn.addLayer(l);
        });
        if (drawn.getLayers().length) map.fitBounds(drawn.getBounds(), { maxZoom: 10 });
      } catch (e) { /* not GeoJSON: the server says so at the field */ }
    }
    function write() {
      const polygons = [];
      const lines = [];
      drawn.eachLayer((l) => {
        const g = l.toGeoJSON(7).geometry;
        if (g.type === 'Polygon') polygons.push(g.coordinates);
        else if (g.type === 'MultiPolygon') polygons.push(...g.coordinates);
        else if (g.type === 'LineString') lines.push(g.coordinates);
      });
      let g = null;
      if (polygons.length === 1) g = { type: 'Polygon', coordinates: polygons[0] };
      else if (polygons.length > 1) g = { type: 'MultiPolygon', coordinates: polygons };
      else if (lines.length === 1) g = { type: 'LineString', coordinates: lines[0] };
      else if (lines.length > 1) g = { type: 'MultiLineString', coordinates: lines };
      geometry.value = g ? JSON.stringify(g) : '';
      byGeometry.checked = true;
      areaEl.dataset.drawn = drawn.getLayers().length;
    }
    load();
    geometry.addEventListener('change', () => { byGeometry.checked = true; load(); });
    file.addEventListener('change', () => { if (file.files.length) byGeometry.checked = true; });
    // The drawing tools (Leaflet-Geoman, 109 KB) are fetched only when wanted: at once
    // for a record that has a shape of its own, else when "Draw" is pressed.
    function drawingTools() {
      // Loaded after the map and its layers were made: give them the plugin's handlers.
      if (!map.pm) map.pm = new L.PM.Map(map);
      load();
      map.pm.setLang('hawkari', {
        tooltips: {
          firstVertex: words.firstVertex, continueLine: words.continueLine, finishLine: words.finishLine,
          finishPoly: words.finishPoly, finishRect: words.finishRect,
        },
        actions: { finish: words.finish, cancel: words.cancel, removeLastVertex: words.removeLastVertex },
        buttonTitles: {
          drawPolyButton: words.drawPolygon, drawLineButton: words.drawLine, drawRectButton: words.drawRectangle,
          editButton: words.edit, deleteButton: words.remove,
        },
      }, 'en');
      map.pm.setGlobalOptions({ pathOptions: shapeStyle });
      map.pm.addControls({
        position: 'topleft', drawMarker: false, drawCircleMarker: false, drawCircle: false, drawText: false,
        drawPolygon: true, drawPolyline: true, drawRectangle: true,
        editMode: true, dragMode: false, cutPolygon: false, removalMode: true, rotateMode: false,
      });
      // Geoman titles the buttons' boxes; the buttons themselves need the name.
      areaEl.querySelectorAll('.leaflet-pm-toolbar .button-container').forEach((c) => {
        const a = c.querySelector('a.leaflet-buttons-control-button');
        if (a && c.title) a.setAttribute('aria-label', c.title);
      });
      map.on('pm:create', (e) => {
        map.removeLayer(e.layer);
        e.layer.on('pm:edit', write);
        drawn.addLayer(e.layer);
        write();
      });
      map.on('pm:remove', (e) => { drawn.removeLayer(e.layer); write(); });
      areaEl.dataset.tools = '1';
    }
    function loadTools() {
      if (areaEl.dataset.tools) return Promise.resolve();
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = areaEl.dataset.drawStyle;
      document.head.appendChild(css);
      return new Promise((resolve, reject) => {
        const js = document.createElement('script');
        js.src = areaEl.dataset.drawScript;
        js.onload = () => { drawingTools(); resolve(); };
        js.onerror = reject;
        document.head.appendChild(js);
      });
    }
    if (areaEl.dataset.drawScript) {
      if (geometry.value.trim()) {
        loadTools().catch((e) => console.error(e));
      } else {
        const Start = L.Control.extend({
          options: { position: 'topleft' },
          onAdd() {
            const b = L.DomUtil.create('button', 'map-draw-start');
            b.type = 'button';
            b.textContent = words.drawStart;
            L.DomEvent.disableClickPropagation(b);
            b.addEventListener('click', () => {
              b.disabled = true;
              loadTools().then(() => start.remove()).catch((e) => { b.disabled = false; console.error(e); });
            });
            return b;
          },
        });
        const start = new Start().addTo(map);
      }
    }
  }

  // ------------------------------------------------------------ an area's page
  const viewEl = document.getElementById('area-view');
  if (viewEl) {
    const map = baseMap(viewEl);
    json(`/api/v1/areas/${encodeURIComponent(viewEl.dataset.area)}`).then((a) => {
      if (!a.geometry) return;
      const layer = L.geoJSON(a.geometry, { style: () => shapeStyle }).addTo(map);
      map.fitBounds(layer.getBounds(), { maxZoom: 10 });
      viewEl.dataset.drawn = '1';
    }).catch((e) => console.error(e));
  }
})();
