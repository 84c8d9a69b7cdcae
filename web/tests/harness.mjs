// What every browser test file shares: a real `hawkari serve --demo` on a random
// port (one per test file, started before its tests and stopped after), over HTTPS with the self-signed certificate it makes (Chromium is told to accept
// that one key, found by the fingerprint the server prints), Debian's chromium driven by
// playwright-core, axe-core for accessibility.
// Screenshots (and the print PDF) go to target/screenshots/; measured page weights to
// target/screenshots/page-weights.json.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

export const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
export const shots = join(root, 'target', 'screenshots');
mkdirSync(shots, { recursive: true });
const require = createRequire(import.meta.url);
export const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const bin = process.env.HAWKARI_BIN || join(root, 'target', 'debug', 'hawkari');

let server;
export let base, port, browser;
export const accounts = {};
/** A name that is not localhost, mapped to 127.0.0.1 inside Chromium. */
export const otherName = 'hawkari.test';

/** A test file that needs a database of its own (not the demo) sets this, before its
 * tests run, to a function that fills a fresh directory's `hawkari.db` and returns the
 * accounts it made ({ username: password }); the server then starts without `--demo`. */
export const setup = { prepare: null };

before(async () => {
  // A top-level `before` starts as it is declared, before the test file's own body has
  // run: wait a turn, so that a file's `setup.prepare` is seen.
  await new Promise((resolve) => { setImmediate(resolve); });
  const dir = mkdtempSync(join(tmpdir(), 'hawkari-ui-'));
  const modules = join(here, '..', 'node_modules');
  let args = ['serve', '--demo', '--bind', '127.0.0.1:0'];
  if (setup.prepare) {
    Object.assign(accounts, await setup.prepare(dir));
    args = ['--database-url', `sqlite://${join(dir, 'hawkari.db')}`, 'serve', '--bind', '127.0.0.1:0'];
  }
  server = spawn(bin, args, {
    cwd: dir, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, HAWKARI_WEB_MODULES: modules },
  });
  let fingerprint;
  base = await new Promise((resolve, reject) => {
    let buffer = '';
    server.stdout.on('data', (chunk) => {
      buffer += chunk;
      for (const line of buffer.split('\n')) {
        const f = line.trim().split(/\s+/);
        if (f.length === 4 && !line.includes('http')) accounts[f[0]] = f[3];
        const fp = line.match(/SHA-256 fingerprint ([0-9A-F:]+)/);
        if (fp) fingerprint = fp[1];
        const m = line.match(/https:\/\/[0-9.:]+/);
        if (m) resolve(m[0]);
      }
    });
    server.on('exit', (code) => reject(new Error(`hawkari exited with ${code}`)));
    setTimeout(() => reject(new Error('hawkari did not start')), 30000);
  });
  port = new URL(base).port;
  // The certificate the server made beside its database is the one whose fingerprint it
  // printed; Chromium accepts it (and no other) by the hash of its public key.
  const cert = new X509Certificate(readFileSync(join(dir, 'hawkari-cert.pem')));
  assert.equal(cert.fingerprint256, fingerprint, 'the printed fingerprint is the certificate\'s');
  const spki = createHash('sha256')
    .update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--ignore-certificate-errors-spki-list=${spki}`,
      `--host-resolver-rules=MAP ${otherName} 127.0.0.1`],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

/** A signed-in page as `user`, in `lang`; `bypassCSP` only to inject axe; `origin` to
 * sign in somewhere other than the printed address. */
export async function signedIn(user, { lang = 'en', bypassCSP = false, origin = base } = {}) {
  const context = await browser.newContext({ bypassCSP, locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${origin}/login`);
  if (lang !== 'en') {
    await page.selectOption('#lang-select', lang);
    await page.click('form.lang button');
  }
  await page.fill('#username', user);
  await page.fill('#password', accounts[user]);
  await page.click('form[action="/login"] button');
  await page.waitForURL(`${origin}/`);
  return { context, page };
}

/** The API's JSON of `path`, read with the page's session. */
export const apiJson = (page, path) => page.evaluate(async (u) => (await fetch(u)).json(), `${base}${path}`);

/** Fails on a page wider than its window (sideways scrolling), naming what sticks out. */
export async function fitsWidth(page, label) {
  const over = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => { const r = e.getBoundingClientRect(); return r.right > width + 1 || r.left < -1; })
      .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`);
    return `${document.documentElement.scrollWidth}px: ${wide.join(', ')}`;
  });
  assert.equal(over, null, `${label} scrolls sideways`);
}

/** Every axe violation of the page as it is now, whatever its impact (the context must
 * have been opened with `bypassCSP`), as "path: rule (impact) nodes" strings. */
export async function axeViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  const path = new URL(page.url()).pathname;
  return result.violations
    .map((v) => `${path}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
}
