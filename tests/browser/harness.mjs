// Shared by the browser tests and benchmarks: a static server for dist/ on
// loopback (so a test can stop it) and Debian's headless Chromium.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { serveFolder } from '../../tools/static-server.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = join(ROOT, 'dist');

/** Serves dist/ (or `root`) on loopback like a plain static host: no rewrite rules. */
export function startServer(port = 0, root = DIST) {
  return serveFolder(root, port);
}

export function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic', ...extraArgs],
  });
}

/**
 * Writes generated edits into localStorage the way the app stores them
 * (segments of 256 per writer), before the app loads. Runs in the page.
 */
export function storeEdits(page, edits) {
  return page.evaluate((all) => {
    let bytes = 0;
    for (let s = 0; s * 256 < all.length; s += 1) {
      const writer = `gen${s}`;
      const segment = all.slice(s * 256, (s + 1) * 256).map((e, j) => ({ ...e, i: `${writer}:${j + 1}` }));
      const json = JSON.stringify(segment);
      bytes += json.length;
      localStorage.setItem(`ledger.v1.log.${writer}.0`, json);
    }
    return bytes;
  }, edits);
}

/** A page that fails the test on any uncaught error or console error. */
export async function openApp(context, url, hash = '#/') {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.errors = errors;
  await page.goto(url + hash);
  await page.waitForSelector('main h1');
  return page;
}

/** Every ledger key and value in localStorage, sorted, for before/after comparisons. */
export function storedLedger(page) {
  return page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ledger.')).sort()
    .map((k) => [k, localStorage.getItem(k)]));
}

/** Project ids and names of the shipped registry, read from data/registry.csv. */
export async function registryRows() {
  const text = await readFile(join(ROOT, 'data/registry.csv'), 'utf8');
  // Rows start with an id; no field of this file spans lines.
  return text.split('\n').slice(1).filter(Boolean).map((line) => {
    const [id, name] = line.split(',');
    return { id, name: name.replace(/^"|"$/g, '') };
  });
}

/** For a test file: one server and one browser, started before its tests and stopped after. */
export function withApp() {
  const app = {};
  before(async () => {
    app.server = await startServer();
    app.browser = await launch();
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.close();
  });
  return app;
}
