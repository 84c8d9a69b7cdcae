// Browser tests of the lists people work from: the incident list filtered and its CSV
// and GeoJSON downloads read back, a person found by the post they hold, and every list
// page through axe and at 390 px wide in English, Arabic and Sorani (the server and
// browser come from harness.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations, base, fitsWidth, shots, signedIn } from './harness.mjs';

/** Rows of a CSV text (RFC 4180: quoted fields may hold commas, quotes and newlines). */
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else if (c !== '\r') field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** The ids the list on the page links to, in order. */
const listed = (page, list, prefix) => page.locator(`${list} a[href^="${prefix}"]`)
  .evaluateAll((as, p) => as.map((a) => a.getAttribute('href').slice(p.length)), prefix);

/** A download started by clicking `selector`, read as text. */
async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

test('the incident list filters as the map does, and its CSV and GeoJSON hold exactly what it shows', async () => {
  const { context, page } = await signedIn('iraqi-army');
  // From the map, with its window, to the list.
  await page.goto(`${base}/map?type=ied`);
  await page.click('#incidents-list');
  await page.waitForURL(/\/incidents\?from=.*type=ied/);
  assert.equal(await page.inputValue('#f-type'), 'ied');

  await page.goto(`${base}/incidents`);
  await page.fill('#f-from', '2025-07');
  await page.fill('#f-to', '2025-09');
  await page.selectOption('#f-type', 'ied');
  await page.selectOption('#f-sort', 'killed');
  await page.click('#list-filters button[type="submit"]');
  await page.waitForURL(/sort=killed/);
  const ids = await listed(page, 'ol.incidents', '/incidents/');
  assert.ok(ids.length > 1 && ids.length < 50, `${ids.length} incidents`);
  assert.equal(await page.locator('#list-count').innerText(), `${ids.length} records match · ${ids.length} on this page`);
  const kinds = await page.locator('ol.incidents li > a').allInnerTexts();
  assert.ok(kinds.every((k) => k === 'IED / roadside bomb'), kinds.join(', '));

  const csv = await download(page, '#export-csv');
  assert.equal(csv.name, 'hawkari-incidents.csv');
  const rows = parseCsv(csv.text);
  assert.deepEqual(rows[0].slice(0, 3), ['id', 'date', 'date_end']);
  assert.deepEqual(rows[1].slice(0, 3), ['#meta+id', '#date', '#date+end']);
  const body = rows.slice(2).filter((r) => r.length > 1);
  assert.deepEqual(body.map((r) => r[0]), ids, 'the CSV rows are the list, in its order');
  const type = rows[0].indexOf('type');
  const killed = rows[0].indexOf('killed');
  assert.ok(body.every((r) => r[type] === 'ied'));
  assert.ok(body.every((r) => r[1] >= '2025-07-01' && r[1] <= '2025-09-30'), 'within the dates');
  const deaths = body.map((r) => Number(r[killed]));
  assert.deepEqual(deaths, [...deaths].sort((a, b) => b - a), 'most killed first');

  const geo = await download(page, '#export-geojson');
  assert.equal(geo.name, 'hawkari-incidents.geojson');
  const fc = JSON.parse(geo.text);
  assert.equal(fc.type, 'FeatureCollection');
  assert.deepEqual(fc.features.map((f) => f.id), ids, 'the features are the list, in its order');
  for (const f of fc.features) {
    assert.equal(f.geometry.type, 'Point');
    const [lon, lat] = f.geometry.coordinates;
    assert.ok(lon > 38 && lon < 49 && lat > 29 && lat < 38, `${f.id} in Iraq`);
    assert.equal(f.properties.type, 'ied');
  }
  await context.close();
});

test('a person is found by the post they hold, in any interface language', async () => {
  for (const lang of ['en', 'ar']) {
    const { context, page } = await signedIn('iraqi-army', { lang });
    await page.goto(`${base}/people`);
    await page.fill('#people-q', 'Chief of Staff');
    await page.click('#list-filters button[type="submit"]');
    await page.waitForURL(/q=Chief/);
    assert.deepEqual(await listed(page, 'ul.people', '/people/'), ['abdul-amir-yarallah']);
    assert.match(await page.locator('ul.people').innerText(), /Army Chief of Staff/);
    await page.click('ul.people a');
    await page.waitForURL(/\/people\/abdul-amir-yarallah$/);
    await context.close();
  }
});

test('the list pages pass axe and fit 390 px in English, Arabic and Sorani', async () => {
  const found = [];
  const paths = [
    ['incidents', '/incidents'],
    ['incidents-filtered', '/incidents?type=ied&sort=killed&admin=IQG13'],
    ['people', '/people'],
    ['people-found', '/people?q=chief+of+staff&sort=name_desc'],
    ['organisations', '/organisations'],
    ['organisations-filtered', '/organisations?kind=federal&sort=name'],
    ['engagements-oldest', '/engagements?sort=oldest'],
  ];
  for (const lang of ['en', 'ar', 'ckb']) {
    const { context, page } = await signedIn('mopa', { lang, bypassCSP: true });
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [name, path] of paths) {
      const response = await page.goto(`${base}${path}`);
      assert.equal(response.status(), 200, `${lang} ${path}`);
      await page.screenshot({ path: join(shots, `390-${lang}-list-${name}.png`), fullPage: true });
      await fitsWidth(page, `${lang} ${path}`);
      found.push(...(await axeViolations(page)).map((v) => `${lang} ${v}`));
    }
    await context.close();
  }
  assert.deepEqual(found, []);
});
