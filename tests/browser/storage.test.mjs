// Storage faults, corrupt data, two tabs: nothing is lost, nothing overwritten silently.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, ROOT, storedLedger, withApp } from './harness.mjs';

const app = withApp();
const context = () => app.browser.newContext({ viewport: { width: 1280, height: 900 } });

describe('a full storage, in each browser spelling', () => {
  const spellings = {
    'QuotaExceededError (Chromium, Safari)': "throw new DOMException('full', 'QuotaExceededError')",
    'NS_ERROR_DOM_QUOTA_REACHED (old Firefox)': "throw Object.assign(new Error('full'), { name: 'NS_ERROR_DOM_QUOTA_REACHED' })",
    'legacy code 22': "throw Object.assign(new Error('full'), { code: 22 })",
    'legacy code 1014': "throw Object.assign(new Error('full'), { code: 1014 })",
  };
  for (const [name, thrower] of Object.entries(spellings)) {
    test(name, async () => {
      const ctx = await context();
      const page = await openApp(ctx, app.server.url, '#/p/hc-06');
      const before = await storedLedger(page);
      await page.evaluate((body) => { Storage.prototype.setItem = new Function(body); }, thrower);
      const started = Date.now();
      await page.getByLabel('阶段').selectOption('Listed');
      await page.waitForSelector('.problem[data-problem=write]', { timeout: 1000 });
      assert.ok(Date.now() - started < 1000, 'shown within a second');
      assert.match(await page.textContent('.problem[data-problem=write]'), /存储空间已满/);
      assert.deepEqual(await storedLedger(page), before, 'stored bytes unchanged');
      await ctx.close();
    });
  }
});

describe('corrupt or foreign stored data', () => {
  const fixtures = {
    'bad JSON': ['ledger.v1.log.zzzz1111.0', '[{"i":"zzzz1111:1",'],
    'wrong types': ['ledger.v1.log.zzzz2222.0', '{"not":"a list"}'],
    'truncated': ['ledger.v1.log.zzzz3333.0', '[{"i":"zzzz3333:1","d":"x","p":"hc-01","t":1,"c":{"Notes":"半截'],
    // An edit of a newer version is no corruption: see log-format.test.mjs.
    'an element that is no edit at all': ['ledger.v1.log.zzzz4444.0', '[{"i":"zzzz4444:1","d":"x","p":"hc-01","t":1,"c":{"Notes":"好"}},42]'],
  };
  for (const [name, [key, raw]] of Object.entries(fixtures)) {
    test(`${name}: the app boots, the value is quarantined and offered for download`, async () => {
      const ctx = await context();
      await ctx.addInitScript(([k, v]) => { if (!sessionStorage.getItem('seeded')) { localStorage.setItem(k, v); sessionStorage.setItem('seeded', '1'); } }, [key, raw]);
      const page = await openApp(ctx, app.server.url);
      await page.waitForSelector('[data-project]');
      assert.match(await page.textContent('.status'), /无法读取的数据/);
      const stored = Object.fromEntries(await storedLedger(page));
      assert.equal(stored[`ledger.quarantine.${key}`], raw, 'copied aside verbatim');
      assert.equal(stored[key], raw, 'and not overwritten');
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-quarantine="ledger.quarantine.${key}"]`).click()]);
      assert.equal(readFileSync(await download.path(), 'utf8'), raw);
      // Editing afterwards writes elsewhere; the quarantine copy is never overwritten.
      await page.goto(app.server.url + '#/p/hc-01');
      await page.getByLabel('阶段').selectOption('Signed');
      assert.equal(Object.fromEntries(await storedLedger(page))[`ledger.quarantine.${key}`], raw);
      await ctx.close();
    });
  }

  test('data from a newer schema is never written over', async () => {
    const ctx = await context();
    await ctx.addInitScript(() => { localStorage.setItem('ledger.v1.meta', JSON.stringify({ schema: 99, device: 'future' })); });
    const page = await openApp(ctx, app.server.url, '#/p/hc-01');
    assert.match(await page.textContent('.status'), /更新版本/);
    const before = await storedLedger(page);
    assert.equal(Object.fromEntries(before)['ledger.quarantine.ledger.v1.meta'], JSON.stringify({ schema: 99, device: 'future' }));
    assert.equal(await page.locator('[data-quarantine="ledger.quarantine.ledger.v1.meta"]').count(), 1);
    await page.getByLabel('阶段').selectOption('Signed');
    assert.deepEqual(await storedLedger(page), before);
    await ctx.close();
  });

  test('with localStorage unavailable the app runs in memory and says so', async () => {
    const ctx = await context();
    await ctx.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });
    });
    const page = await openApp(ctx, app.server.url, '#/p/hc-01');
    assert.match(await page.textContent('.status'), /不允许本地存储/);
    await page.getByLabel('阶段').selectOption('Signed');
    assert.equal(await page.getByLabel('阶段').inputValue(), 'Signed');
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });

  test('stored data of schema 1 (the committed fixture) loads', async () => {
    const fixture = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/storage-v1.json'), 'utf8'));
    const ctx = await context();
    await ctx.addInitScript((data) => {
      if (!localStorage.getItem('ledger.v1.meta')) for (const [k, v] of Object.entries(data)) localStorage.setItem(k, v);
    }, fixture);
    const page = await openApp(ctx, app.server.url, '#/p/hc-07');
    assert.equal(await page.getByLabel('阶段').inputValue(), 'Completed');
    assert.equal(await page.getByLabel('备注').inputValue(), '第一版写入的备注');
    await page.goto(app.server.url + '#/');
    await page.waitForSelector('[data-project]');
    assert.match(await page.textContent('[data-testid=project-count]'), /自建 1/);
    await ctx.close();
  });
});

describe('two tabs', () => {
  test('see each other\'s edits without reload and lose none', async () => {
    const ctx = await context();
    const a = await openApp(ctx, app.server.url, '#/p/hc-01');
    const b = await openApp(ctx, app.server.url, '#/p/hc-02');
    await a.getByLabel('备注').fill('甲标签页写的');
    await a.getByLabel('备注').press('Tab');
    await b.getByLabel('备注').fill('乙标签页写的');
    await b.getByLabel('备注').press('Tab');
    await b.goto(app.server.url + '#/p/hc-01');
    await b.waitForFunction(() => document.querySelector('#notes')?.value === '甲标签页写的');
    await a.goto(app.server.url + '#/p/hc-02');
    await a.waitForFunction(() => document.querySelector('#notes')?.value === '乙标签页写的');
    // The same field from both tabs: both end with the same winner, and the loser stays in history.
    await a.goto(app.server.url + '#/p/hc-03');
    await b.goto(app.server.url + '#/p/hc-03');
    await a.getByLabel('阶段').selectOption('Signed');
    await b.getByLabel('阶段').selectOption('Started');
    await a.waitForFunction(() => document.querySelector('#stage').value === 'Started');
    assert.equal(await b.getByLabel('阶段').inputValue(), 'Started');
    assert.match(await a.textContent('.history'), /阶段：签约/);
    await a.reload();
    await a.waitForSelector('#stage');
    assert.equal(await a.getByLabel('阶段').inputValue(), 'Started');
    await ctx.close();
  });
});

describe('durability', () => {
  test('the footer shows the persistence answer, storage use and unexported edits', async () => {
    const ctx = await context();
    const page = await openApp(ctx, app.server.url, '#/p/hc-09');
    const footer = page.locator('[data-testid=device-storage]');
    await page.waitForFunction(() => /本机存储已用 [\d.]+ MB/.test(document.querySelector('[data-testid=device-storage]').textContent));
    assert.match(await footer.textContent(), /持久保存/);
    assert.match(await footer.textContent(), /未导出的修改：0 条/);
    await page.getByLabel('阶段').selectOption('Signed');
    assert.match(await footer.textContent(), /未导出的修改：1 条/);
    await ctx.close();
  });
});
