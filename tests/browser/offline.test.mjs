// Offline start and updates: the service worker of the release build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, launch, startServer } from './harness.mjs';

async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null && navigator.serviceWorker?.controller !== undefined, null, { timeout: 15000 });
}

test('after one online visit the app opens and keeps edits with the server gone', async () => {
  const server = await startServer();
  const browser = await launch();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url + '#/');
    await page.waitForSelector('[data-project]');
    await controlled(page);
    const manifest = await page.evaluate(async () => {
      const link = document.querySelector('link[rel=manifest]');
      const json = await (await fetch(link.href)).json();
      const icons = await Promise.all(json.icons.map(async (i) => [i.sizes, (await fetch(new URL(i.src, link.href))).ok]));
      return { json, icons };
    });
    assert.equal(manifest.json.display, 'standalone');
    assert.deepEqual(manifest.icons.map(([size]) => size).sort(), ['192x192', '512x512', '512x512']);
    assert.ok(manifest.icons.every(([, ok]) => ok), 'every icon is served');
    await server.close();

    await page.reload();
    await page.waitForSelector('[data-project]');
    await page.goto(server.url + '#/p/hc-01');
    await page.getByLabel('阶段').selectOption('Signed');
    await page.reload();
    await page.waitForSelector('#stage');
    assert.equal(await page.getByLabel('阶段').inputValue(), 'Signed', 'an edit made offline survives a reload');
    const fresh = await context.newPage();
    await fresh.goto(server.url + '#/p/hc-01');
    await fresh.waitForSelector('#stage');
    assert.equal(await fresh.getByLabel('阶段').inputValue(), 'Signed', 'a new tab opens offline too');
    // The office app was never opened online, yet the worker precached it.
    await fresh.goto(`${server.url}office/#/print/districts?d=Haicheng`);
    await fresh.waitForSelector('section.sheet');
    assert.match(await fresh.textContent('section.sheet'), /海城市 · 重点项目汇总/);
    await fresh.goto(`${server.url}office/#/people`);
    await fresh.waitForSelector('#add-person-name');
    assert.deepEqual(fresh.errors ?? [], []);
    await context.close();
  } finally {
    await browser.close();
    await server.close().catch(() => {});
  }
});

test('a new version shows a banner and reloads only when asked', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ledger-dist-'));
  cpSync(DIST, root, { recursive: true });
  const server = await startServer(0, root);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(server.url + '#/');
    await page.waitForSelector('[data-project]');
    await controlled(page);
    assert.equal(await page.locator('[data-testid=update-banner]').count(), 0);
    // Publish a "new version": a different sw.js.
    const swPath = join(root, 'sw.js');
    writeFileSync(swPath, readFileSync(swPath, 'utf8').replace(/const VERSION = '([0-9a-f]+)'/, "const VERSION = '$1-next'"));
    await page.evaluate(() => { window.stillTheSamePage = true; });
    await page.evaluate(() => window.ledgerCheckForUpdate());
    await page.waitForSelector('[data-testid=update-banner]', { timeout: 15000 });
    await page.waitForTimeout(1000);
    assert.equal(await page.evaluate(() => window.stillTheSamePage), true, 'no reload by itself');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: '刷新' }).click()]);
    await page.waitForSelector('[data-project]');
    assert.equal(await page.evaluate(() => window.stillTheSamePage), undefined, 'reloaded when asked');
    await page.waitForFunction(async () => (await caches.keys()).every((k) => k.endsWith('-next')), null, { timeout: 10000 });
  } finally {
    await browser.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
});
