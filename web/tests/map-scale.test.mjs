// The map at scale: 20 000 generated incidents (`hawkari demo generate`), read by a
// viewer of one synthetic organisation, to whom only some are released. At every view
// the number the map says is in view is the number the incident list API gives for the
// same window, box and filters, paged to its end — two different code paths (the
// clusters' in-memory index and the store's list) that must agree, releasability
// included. Two years hold more than the 2 000 incidents the map once fetched at most.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { bin, base, setup, signedIn, apiJson } from './harness.mjs';

const GENERATED = 20000;

setup.prepare = (dir) => {
  const db = `sqlite://${join(dir, 'hawkari.db')}`;
  execFileSync(bin, ['--database-url', db, 'demo', 'generate', '--incidents', String(GENERATED)],
    { stdio: 'ignore' });
  const password = 'analyst-password-2026';
  execFileSync(bin, ['--database-url', db, 'user', 'create', '--username', 'analyst',
    '--organisation', 'syn-org-00002', '--role', 'viewer', '--password-stdin'],
  { input: `${password}\n`, stdio: ['pipe', 'ignore', 'inherit'] });
  return { analyst: password };
};

/** The incident list API's count for the query the map last sent, paged to its end. */
async function listed(page, query) {
  const p = new URLSearchParams(query);
  p.delete('zoom');
  p.set('limit', '500');
  let n = 0;
  for (let pages = 0; pages < 100; pages += 1) {
    const r = await apiJson(page, `/api/v1/incidents?${p}`);
    n += r.items.length;
    if (!r.next_cursor) return n;
    p.set('cursor', r.next_cursor);
  }
  throw new Error('more than 100 pages');
}

test('the map counts every incident in view, as the list API does, at any zoom and filter', async () => {
  const { context, page } = await signedIn('analyst');
  let lastQuery = null;
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname === '/api/v1/incident-clusters') lastQuery = u.search.slice(1);
  });
  // What the map says once it has drawn: its status line's number and the query it sent.
  const settled = async () => {
    const n = Number(await (await page.waitForFunction(() => {
      const m = document.getElementById('map-status').textContent.match(/^(\d+) incidents on the map/);
      return m && m[1];
    })).jsonValue());
    return { shown: n, query: lastQuery };
  };

  await page.goto(`${base}/map?days=730`);
  await page.waitForFunction(() => document.getElementById('map').dataset.drawn);
  const country = await settled();
  assert.ok(country.query.includes('bbox='), country.query);
  const countryListed = await listed(page, country.query);
  assert.equal(country.shown, countryListed, `map ${country.shown}, list ${countryListed}`);
  assert.ok(country.shown > 2000, `two years in view: ${country.shown}`);
  assert.ok(country.shown < GENERATED, 'only what is released to the viewer, within the window');

  // Every incident ever generated, over the whole span the viewer may read, is counted
  // too, never more than were generated.
  const all = await listed(page, 'from=2000-01-01&to=2030-12-31');
  assert.ok(all < GENERATED && all > country.shown, `released to the viewer: ${all} of ${GENERATED}`);

  // Zoomed in on a cluster: fewer in view, and still the list's count for that box.
  await page.locator('#map .marker-cluster').first().click();
  await page.waitForFunction((before) => {
    const m = document.getElementById('map-status').textContent.match(/^(\d+) incidents on the map/);
    return m && Number(m[1]) < before;
  }, country.shown);
  const zoomed = await settled();
  assert.notEqual(zoomed.query, country.query);
  assert.equal(zoomed.shown, await listed(page, zoomed.query));

  // One type only, back at the whole window: the filter reaches both the same way.
  await page.goto(`${base}/map?days=730&type=ied`);
  await page.waitForFunction(() => document.getElementById('map').dataset.drawn);
  const ieds = await settled();
  assert.ok(ieds.query.includes('type=ied'), ieds.query);
  assert.ok(ieds.shown > 0 && ieds.shown < country.shown, `IEDs: ${ieds.shown}`);
  assert.equal(ieds.shown, await listed(page, ieds.query));
  await context.close();
});
