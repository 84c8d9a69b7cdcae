// Browser tests of incident imports (/imports): a CSV whose columns are mapped, previewed,
// imported with its progress and summary shown, its rejected rows downloaded, and an
// imported incident found through the API — in English and Arabic; axe and the width of
// a phone (390 px) on the import pages in three languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiJson, axeViolations, base, fitsWidth, shots, signedIn } from './harness.mjs';

/** Line 4 has no type: rejected. */
const csv = (tag) => [
  'ref,day,y,x,what,killed,hurt,village,group,text,src',
  `R-1,2025-06-01,35.4681,44.3922,Roadside bomb,1,3,Laylan,ISIS,A device on the road (${tag}),JCC`,
  'R-2,2025-06-02,35.47,44.40,Rocket,0,0,,,,',
  'R-3,2025-06-03,35.47,44.40,,0,0,,,,',
].join('\n');

const ascii = (s) => s.replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));

async function uploadMapped(page, name, tag) {
  await page.goto(`${base}/imports`);
  await page.check('#format_mapped');
  await page.setInputFiles('#file', { name, mimeType: 'text/csv', buffer: Buffer.from(csv(tag)) });
  await Promise.all([page.waitForURL(/\/imports\/[0-9a-f]{32}$/), page.click('#upload-form button[type=submit]')]);
}

async function runAndWait(page) {
  await Promise.all([page.waitForURL(/\/imports\/[0-9a-f]{32}$/), page.click('#run-import')]);
  await page.waitForSelector('#rejected-report', { timeout: 20000 });
}

for (const lang of ['en', 'ar']) {
  test(`a CSV is mapped, previewed, imported and its rejected rows downloaded (${lang})`, async () => {
    const { context, page } = await signedIn('mopa', { lang });
    await page.goto(`${base}/`);
    assert.equal(await page.locator('nav a[href="/imports"]').count(), 1, 'the navigation links it');
    const file = `jcc-${lang}.csv`;
    await uploadMapped(page, file, lang);
    // The mapping step: every column offered, the obvious ones chosen.
    const options = await page.locator('#col_wounded option').allTextContents();
    for (const col of ['ref', 'day', 'y', 'x', 'what', 'killed', 'hurt', 'village']) assert.ok(options.includes(col), col);
    assert.equal(await page.inputValue('#col_external_id'), 'ref');
    assert.equal(await page.inputValue('#col_place_name'), 'village');
    assert.equal(await page.inputValue('#id_prefix'), `jcc-${lang}`);
    await page.selectOption('#col_wounded', 'hurt');
    const values = await page.locator('#type-values input[type=hidden][name$="_value"]').evaluateAll(
      (els) => els.map((e) => [e.name.replace('_value', '_code'), e.value]));
    for (const [name, value] of values) {
      const code = { 'Roadside bomb': 'ied', Rocket: 'indirect_fire' }[value];
      if (code) await page.selectOption(`#${name}`, code);
    }
    await page.check('#release_group_all_partners');
    await page.click('button[name=step][value=preview]');
    // The preview: the rows as they would be stored, the bad one with its problem.
    const rows = page.locator('#preview-rows tbody tr');
    assert.equal(await rows.count(), 3);
    assert.match(await rows.nth(0).innerText(), new RegExp(`jcc-${lang}-r-1-mopa`));
    assert.match(await rows.nth(2).innerText(), /what: is empty or missing/);
    assert.equal((await apiJson(page, `/api/v1/incidents/jcc-${lang}-r-1-mopa`)).id, undefined, 'nothing written yet');
    await page.screenshot({ path: join(shots, `import-preview-${lang}.png`), fullPage: true });

    await runAndWait(page);
    assert.match(ascii(await page.locator('#rows-done').innerText()), /3\D+3/);
    const counts = await page.locator('#import-counts dd').allInnerTexts();
    assert.deepEqual(counts.map(ascii), ['2', '0', '0', '1'], 'stored, updated, unchanged, rejected');
    assert.equal(await page.locator('meta[http-equiv=refresh]').count(), 0, 'no more refreshing');
    await page.screenshot({ path: join(shots, `import-done-${lang}.png`), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#rejected-report')]);
    const report = readFileSync(await download.path(), 'utf8').trim().split('\n');
    assert.equal(report[0], 'line,column,reason');
    assert.match(report[1], /^4,what,is empty or missing/);
    assert.equal(report.length, 2);

    const incident = await apiJson(page, `/api/v1/incidents/jcc-${lang}-r-1-mopa`);
    assert.equal(incident.type, 'ied');
    assert.equal(incident.place_name, 'Laylan');
    assert.equal(incident.casualties[0].injured.best, 3);
    assert.deepEqual(incident.release_groups, ['all_partners']);
    await context.close();
  });
}

test('the import pages pass axe and fit a phone in three languages', async () => {
  const problems = [];
  for (const lang of ['en', 'ar', 'ckb']) {
    const { context, page } = await signedIn('mopa', { lang, bypassCSP: true });
    await page.setViewportSize({ width: 390, height: 844 });
    const check = async (label) => {
      problems.push(...(await axeViolations(page)).map((v) => `${lang} ${label}: ${v}`));
      await fitsWidth(page, `${lang} ${label}`);
    };
    await page.goto(`${base}/imports`);
    await check('upload');
    await uploadMapped(page, `phone-${lang}.csv`, `phone ${lang}`);
    await page.click('button[name=step][value=preview]');
    await page.waitForSelector('#preview-rows');
    await check('mapping and preview');
    await page.screenshot({ path: join(shots, `import-phone-${lang}.png`), fullPage: true });
    await runAndWait(page);
    await check('summary');
    await context.close();
  }
  assert.deepEqual(problems, []);
});
