// Programmes and operations in the browser: a value observed added to an indicator from
// the programme's page on a phone, in English, Arabic (Arabic-Indic digits) and Sorani,
// checked on the page and through the API; the new forms without serious or critical
// accessibility violations and within 390 px, in the three languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { apiJson, axeViolations, base, fitsWidth, shots, signedIn } from './harness.mjs';

const programme = '/programmes/reform-plan-mopa';
const indicator = '#indicator-peshmerga-under-mopa';
const arabic = (s) => s.replace(/[0-9]/g, (d) => '٠١٢٣٤٥٦٧٨٩'[d]);

test('a programme observation added on a phone in English, Arabic and Sorani shows on the page and in the API', async () => {
  // Each later than the one before, so each is the newest the page shows.
  const runs = [
    { lang: 'en', value: 80000, date: '2025-09-30' },
    { lang: 'ar', value: 81000, date: '2025-10-31' },
    { lang: 'ckb', value: 82000, date: '2025-11-30' },
  ];
  for (const { lang, value, date } of runs) {
    const typed = (s) => (lang === 'en' ? s : arabic(s));
    const { context, page } = await signedIn('mopa', { lang });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}${programme}`);
    await page.click(`${indicator} details.quick summary`);
    await page.fill(`${indicator} input[name=value]`, typed(String(value)));
    await page.fill(`${indicator} input[name=date]`, typed(date));
    await page.fill(`${indicator} input[name=publisher]`, `Field report ${lang}`);
    await fitsWidth(page, `${lang} the short observation form`);
    await page.screenshot({ path: join(shots, `390-${lang}-programme-observation.png`), fullPage: true });
    await page.click(`${indicator} form.quick-observation button[type=submit]`);
    await page.waitForURL(new RegExp(`${programme}#indicator-`));
    // The page: the newest value, in the reader's digits.
    const headline = (await page.textContent(`${indicator} .headline`)).replace(/\u202f/g, '');
    assert.ok(headline.includes(typed(String(value))), `${lang}: ${headline}`);
    // The API: the value, the date and the source, as typed.
    const stored = await apiJson(page, `/api/v1${programme}`);
    const observations = stored.indicators.find((i) => i.key === 'peshmerga-under-mopa').observations;
    const last = observations.at(-1);
    assert.equal(last.value, value, lang);
    assert.equal(last.date.value, date, lang);
    assert.equal(last.source.publisher, `Field report ${lang}`);
    assert.equal(stored.judged.trends['peshmerga-under-mopa'].latest_value, value);
    // A bad date is refused at its field, with the value typed kept.
    await page.click(`${indicator} details.quick summary`);
    await page.fill(`${indicator} input[name=value]`, typed('90000'));
    await page.fill(`${indicator} input[name=date]`, 'soon');
    await page.fill(`${indicator} input[name=publisher]`, 'Anyone');
    await page.click(`${indicator} form.quick-observation button[type=submit]`);
    assert.ok(await page.isVisible('#date-error'), `${lang}: the problem at the date`);
    assert.equal(await page.inputValue(`${indicator} input[name=value]`), typed('90000'));
    assert.equal((await apiJson(page, `/api/v1${programme}`)).version, stored.version, 'nothing saved');
    await context.close();
  }
});

test('the programme and operation forms have no serious accessibility violations and fit 390 px, in three languages', async () => {
  const pages = [
    ['mopa', 'programme', programme],
    ['mopa', 'programme-new', '/programmes/new'],
    ['mopa', 'programme-edit', `${programme}/edit`],
    ['mopa', 'programme-delete', `${programme}/delete`],
    ['mopa', 'operation-new', '/operations/new'],
    ['election-security-committee', 'operation-edit', '/operations/election-security-2025/edit'],
    ['election-security-committee', 'operation', '/operations/election-security-2025'],
  ];
  const violations = [];
  for (const lang of ['en', 'ar', 'ckb']) {
    for (const user of ['mopa', 'election-security-committee']) {
      const { context, page } = await signedIn(user, { lang, bypassCSP: true });
      await page.setViewportSize({ width: 390, height: 844 });
      for (const [who, name, path] of pages.filter((p) => p[0] === user)) {
        const response = await page.goto(`${base}${path}`);
        assert.equal(response.status(), 200, `${who} ${path}`);
        // Open every folded part, so that axe and the width check see all of it.
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
        await fitsWidth(page, `${lang} ${path}`);
        await page.screenshot({ path: join(shots, `390-${lang}-${name}.png`), fullPage: true });
        violations.push(...(await axeViolations(page)).map((v) => `${lang} ${v}`));
      }
      await context.close();
    }
  }
  assert.deepEqual(violations, []);
});
