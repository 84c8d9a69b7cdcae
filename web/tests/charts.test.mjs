// Browser check of the charts drawn on the server (programmes, operations): in English,
// Arabic and Sorani, no label runs outside its chart, into another label, or across a
// line of the drawing — measured by the browser (getBBox), not estimated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { base, shots, signedIn } from './harness.mjs';

/** Each chart's labels that leave the chart, meet another label, or cross a line. */
function layoutProblems() {
  const out = [];
  const meets = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  for (const svg of document.querySelectorAll('svg.chart')) {
    const vb = svg.viewBox.baseVal;
    const texts = [...svg.querySelectorAll('text')].map((t) => ({ box: t.getBBox(), s: t.textContent }));
    const lines = [...svg.querySelectorAll('line')].map((l) => ({ box: l.getBBox(), s: l.getAttribute('class') }));
    for (const [i, { box, s }] of texts.entries()) {
      if (box.width === 0) out.push(`${svg.id}: "${s}" is not drawn`);
      if (box.x < vb.x || box.y < vb.y || box.x + box.width > vb.x + vb.width || box.y + box.height > vb.y + vb.height) {
        out.push(`${svg.id}: "${s}" leaves the chart (${[box.x, box.y, box.width, box.height].map(Math.round)} in ${vb.width}×${vb.height})`);
      }
      for (const other of texts.slice(i + 1)) if (meets(box, other.box)) out.push(`${svg.id}: "${s}" meets "${other.s}"`);
      for (const line of lines) if (meets(box, line.box)) out.push(`${svg.id}: "${s}" crosses a ${line.s} line`);
    }
  }
  return out;
}

test('chart labels stay inside their charts and off one another and the lines, in every language', async () => {
  const found = [];
  for (const lang of ['en', 'ar', 'ckb']) {
    const { context, page } = await signedIn('mopa', { lang });
    for (const path of ['/programmes/reform-plan-mopa', '/programmes/coalition-transition', '/operations/election-security-2025']) {
      await page.goto(`${base}${path}`);
      const charts = page.locator('svg.chart');
      assert.ok(await charts.count() > 0, `${lang} ${path} has charts`);
      for (let i = 0; i < await charts.count(); i++) {
        await charts.nth(i).screenshot({ path: join(shots, `chart-${lang}-${path.split('/').pop()}-${i}.png`) });
      }
      found.push(...(await page.evaluate(layoutProblems)).map((p) => `${lang} ${path}: ${p}`));
    }
    await context.close();
  }
  assert.deepEqual(found, []);
});
