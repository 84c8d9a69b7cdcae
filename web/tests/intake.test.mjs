// Browser tests of report intake (/intake): one of the project's own intake reports pasted,
// its drafts shown with their sentences, one engagement edited and confirmed with the
// incident, the rest dropped, and the records found through the API citing the report —
// in English and Arabic; axe and the width of a phone (390 px) on both pages in three
// languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiJson, axeViolations, base, fitsWidth, root, shots, signedIn } from './harness.mjs';

const report = readFileSync(join(root, 'data', 'intake', 'reports', 'en-2025-03-budget-talks.txt'), 'utf8');

async function readReport(page, tag) {
  await page.goto(`${base}/intake`);
  await page.fill('#text', report);
  await page.fill('#published', '٢٠٢٥-٠٣-١٢');
  await page.fill('#publisher', `Test wire ${tag}`);
  await page.fill('#title', `Budget talks ${tag}`);
  await page.fill('#url', `https://example.org/budget-talks-${tag}`);
  await Promise.all([page.waitForURL(`${base}/intake`), page.click('#intake-form button[type=submit]')]);
  await page.waitForSelector('#drafts-form');
}

/** The prefixes of the drafts on the page (e1, c1, i1, o1 …). */
const prefixes = (page) => page.locator('#drafts-form fieldset.draft').evaluateAll((els) => els.map((e) => e.id));

for (const lang of ['en', 'ar']) {
  test(`a pasted report's drafts are edited, confirmed and saved citing it (${lang})`, async () => {
    const { context, page } = await signedIn('mopa', { lang });
    await page.goto(`${base}/`);
    assert.equal(await page.locator('nav a[href="/intake"]').count(), 1, 'the navigation links it');
    await readReport(page, lang);
    // Each draft with the sentence it came from.
    const marks = await page.locator('blockquote.cite mark').allInnerTexts();
    assert.ok(marks.some((m) => m.startsWith('A roadside bomb killed two soldiers in Diyala')), marks.join('\n'));
    const all = await prefixes(page);
    const engagement = all.find((p) => p.startsWith('e'));
    const incident = all.find((p) => p.startsWith('i'));
    assert.ok(engagement && incident, all.join(' '));
    for (const p of all) await page.check(`#${p}_${p === engagement || p === incident ? 'confirm' : 'drop'}`);
    const title = `Talks on the budget (${lang})`;
    await page.fill(`#${engagement}_title`, title);
    await page.screenshot({ path: join(shots, `intake-drafts-${lang}.png`), fullPage: true });
    await Promise.all([page.waitForURL(`${base}/intake/save`), page.click('#save-drafts')]);
    const saved = page.locator('#intake-saved a');
    assert.equal(await saved.count(), 2, await page.locator('main').innerText());
    const links = await saved.evaluateAll((els) => els.map((a) => a.getAttribute('href')));
    const eid = links.find((l) => l.startsWith('/engagements/')).split('/')[2];
    const iid = links.find((l) => l.startsWith('/incidents/')).split('/')[2];
    const e = await apiJson(page, `/api/v1/engagements/${eid}`);
    assert.equal(e.title, title);
    assert.equal(e.owner_org_id, 'mopa');
    assert.deepEqual(
      [e.sources[0].publisher, e.sources[0].title, e.sources[0].date, e.sources[0].url],
      [`Test wire ${lang}`, `Budget talks ${lang}`, '2025-03-12', `https://example.org/budget-talks-${lang}`]);
    const i = await apiJson(page, `/api/v1/incidents/${iid}`);
    assert.equal(i.sources[0].publisher, `Test wire ${lang}`);
    assert.equal(i.casualties[0].killed.best, 2);
    // The engagement's page shows the citation.
    await page.goto(`${base}/engagements/${eid}`);
    assert.match(await page.locator('main').innerText(), new RegExp(`Test wire ${lang}`));
    await context.close();
  });
}

test('the intake pages pass axe and fit a phone in three languages', async () => {
  const problems = [];
  for (const lang of ['en', 'ar', 'ckb']) {
    const { context, page } = await signedIn('mopa', { lang, bypassCSP: true });
    await page.setViewportSize({ width: 390, height: 844 });
    const check = async (label) => {
      problems.push(...(await axeViolations(page)).map((v) => `${lang} ${label}: ${v}`));
      await fitsWidth(page, `${lang} ${label}`);
    };
    await page.goto(`${base}/intake`);
    await check('report');
    await readReport(page, `phone-${lang}`);
    await check('drafts');
    await page.screenshot({ path: join(shots, `intake-phone-${lang}.png`), fullPage: true });
    await context.close();
  }
  assert.deepEqual(problems, []);
});
