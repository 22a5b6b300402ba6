// Storage in the real browser: the log in IndexedDB, faults shown and
// retried, corrupt and foreign data kept, read-only mode writing nothing, two
// tabs, the move from the first release's localStorage, and nothing typed lost.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillIndexedDb, openApp, registryRows, ROOT, room, storedLedger, withApp } from './harness.mjs';
import { generate } from './generate.mjs';

const app = withApp();
const context = (options = {}) => app.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, ...options });
const statusText = (page) => page.textContent('.status');
/** localStorage values written before the app's first load in this context (and only then). */
const seed = (ctx, values) => ctx.addInitScript((v) => {
  if (sessionStorage.getItem('seeded')) return;
  sessionStorage.setItem('seeded', '1');
  for (const [k, value] of Object.entries(v)) localStorage.setItem(k, value);
}, values);
/** The stored edit texts (IndexedDB), once `done(texts)` holds or 3 s have passed. */
async function storedEdits(page, done = () => true) {
  let texts = [];
  for (const end = Date.now() + 3000; Date.now() < end; await page.waitForTimeout(50)) {
    texts = Object.fromEntries(await storedLedger(page))['indexeddb.edits'] ?? [];
    if (done(texts)) break;
  }
  return texts;
}
const savedViewError = (page) => page.locator('details:has(summary:has-text("已保存的视图")) .error');
async function saveView(page, name) {
  await page.locator('summary:has-text("已保存的视图")').click();
  await page.getByLabel('视图名称').fill(name);
  await page.getByRole('button', { name: '保存当前视图' }).click();
}

describe('a full storage, in each browser spelling', () => {
  const indexedDbSpellings = {
    'IndexedDB: QuotaExceededError as the transaction\'s error': "new DOMException('full', 'QuotaExceededError')",
    'IndexedDB: an AbortError whose error is a QuotaExceededError':
      "Object.assign(new DOMException('aborted', 'AbortError'), { error: new DOMException('full', 'QuotaExceededError') })",
  };
  for (const [name, error] of Object.entries(indexedDbSpellings)) {
    test(name, async () => {
      const ctx = await context();
      const page = await openApp(ctx, app.server.url, '#/p/hc-06');
      const before = await storedLedger(page);
      await fillIndexedDb(page, error);
      const started = Date.now();
      await page.getByLabel('阶段').selectOption('Listed');
      await page.waitForSelector('.problem[data-problem=write]', { timeout: 1000 });
      assert.ok(Date.now() - started < 1000, 'shown within a second');
      assert.match(await page.textContent('.problem[data-problem=write]'), /存储空间已满/);
      assert.deepEqual(await storedLedger(page), before, 'stored data unchanged');
      await room(page);
      assert.equal((await storedEdits(page, (t) => t.length === 1)).length, 1, 'retried and stored once there is room');
      await ctx.close();
    });
  }
  // Settings stay in localStorage, whose spellings differ by browser.
  const localStorageSpellings = {
    'localStorage: QuotaExceededError (Chromium, Safari)': "throw new DOMException('full', 'QuotaExceededError')",
    'localStorage: NS_ERROR_DOM_QUOTA_REACHED (old Firefox)': "throw Object.assign(new Error('full'), { name: 'NS_ERROR_DOM_QUOTA_REACHED' })",
    'localStorage: legacy code 22': "throw Object.assign(new Error('full'), { code: 22 })",
    'localStorage: legacy code 1014': "throw Object.assign(new Error('full'), { code: 1014 })",
  };
  for (const [name, thrower] of Object.entries(localStorageSpellings)) {
    test(`${name}, saving a view`, async () => {
      const ctx = await context();
      const page = await openApp(ctx, app.server.url, '#/?district=Haicheng');
      const before = await storedLedger(page);
      await page.evaluate((body) => { Storage.prototype.setItem = new Function(body); }, thrower);
      await saveView(page, '海城的项目');
      assert.match(await savedViewError(page).textContent(), /存储空间已满/);
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
      await seed(ctx, { [key]: raw });
      const page = await openApp(ctx, app.server.url);
      await page.waitForSelector('[data-project]');
      assert.match(await statusText(page), /无法读取的数据，已原样另存/);
      const stored = Object.fromEntries(await storedLedger(page));
      assert.equal(stored[`ledger.quarantine.${key}`], raw, 'copied aside verbatim');
      assert.equal(stored[key], raw, 'and not overwritten');
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-quarantine="${key}"]`).click()]);
      assert.equal(readFileSync(await download.path(), 'utf8'), raw);
      // Editing afterwards writes elsewhere; the quarantine copy is never overwritten.
      await page.goto(app.server.url + '#/p/hc-01');
      await page.getByLabel('阶段').selectOption('Signed');
      assert.equal((await storedEdits(page, (t) => t.length > 0)).length, key.includes('4444') ? 2 : 1);
      assert.equal(Object.fromEntries(await storedLedger(page))[`ledger.quarantine.${key}`], raw);
      await ctx.close();
    });
  }

  test('a corrupt value that cannot be copied aside says so, and is still offered for download', async () => {
    const ctx = await context();
    const [key, raw] = fixtures['bad JSON'];
    await seed(ctx, { [key]: raw });
    await ctx.addInitScript(() => {
      const set = Storage.prototype.setItem;
      Storage.prototype.setItem = function (k, v) {
        if (k.startsWith('ledger.quarantine.')) throw new DOMException('full', 'QuotaExceededError');
        return set.call(this, k, v);
      };
    });
    const page = await openApp(ctx, app.server.url);
    assert.match(await statusText(page), /未能另存副本，原数据保持原样/);
    assert.doesNotMatch(await statusText(page), /已原样另存/);
    const stored = Object.fromEntries(await storedLedger(page));
    assert.equal(stored[key], raw);
    assert.equal(stored[`ledger.quarantine.${key}`], undefined);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-quarantine="${key}"]`).click()]);
    assert.equal(readFileSync(await download.path(), 'utf8'), raw);
    await ctx.close();
  });

  test('unreadable saved views are said at once and kept, not dropped', async () => {
    const ctx = await context();
    await seed(ctx, { 'ledger.v1.views': '[{"name":"半截' });
    const page = await openApp(ctx, app.server.url);
    await page.locator('summary:has-text("已保存的视图")').click();
    assert.match(await savedViewError(page).textContent(), /无法读取/);
    const stored = Object.fromEntries(await storedLedger(page));
    assert.equal(stored['ledger.v1.views'], '[{"name":"半截');
    assert.equal(stored['ledger.quarantine.ledger.v1.views'], '[{"name":"半截');
    await ctx.close();
  });

  test('an unreadable record of what was sent is said and kept, not replaced', async () => {
    const ctx = await context();
    await seed(ctx, { 'ledger.v1.sent': '{"张三":' });
    const page = await openApp(ctx, `${app.server.url}office/`, '#/exchange');
    await page.getByLabel('交给谁（用于记住已发送的部分）').fill('张三');
    await page.getByLabel('只导出上次交给此人之后的修改').check();
    await page.getByRole('button', { name: '导出修改包' }).click();
    await page.waitForFunction(() => /无法读取/.test(document.body.textContent));
    const stored = Object.fromEntries(await storedLedger(page));
    assert.equal(stored['ledger.v1.sent'], '{"张三":', 'not replaced');
    assert.equal(stored['ledger.quarantine.ledger.v1.sent'], '{"张三":');
    await ctx.close();
  });

  // Metas this version cannot take as its own: a newer schema, or a shape it
  // cannot parse (which a newer version may have written).
  const foreignMetas = {
    'a newer schema': JSON.stringify({ schema: 99, device: 'future' }),
    'a schema without a device': '{"schema":2}',
    'a string': '"2"',
    'a float': '2.0',
    'a schema of 2^32': JSON.stringify({ schema: 2 ** 32, device: 'big' }),
  };
  for (const [name, meta] of Object.entries(foreignMetas)) {
    test(`a meta with ${name}: read-only, and nothing at all is written`, async () => {
      const ctx = await context();
      await seed(ctx, { 'ledger.v1.meta': meta });
      const page = await openApp(ctx, app.server.url, '#/p/hc-01');
      assert.match(await statusText(page), /此版本不写入任何数据/);
      const before = await storedLedger(page);
      assert.deepEqual(before, [['ledger.v1.meta', meta]], 'no copy, no database, nothing else');
      await page.getByLabel('阶段').selectOption('Signed');
      assert.equal(await page.getByLabel('阶段').inputValue(), 'Signed', 'shown in this page');
      await page.goto(`${app.server.url}#/`);
      await saveView(page, '只在本页');
      await page.goto(`${app.server.url}office/#/exchange`);
      await page.waitForSelector('main h1');
      await page.getByLabel('交给谁（用于记住已发送的部分）').fill('李四');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出修改包' }).click()]);
      assert.ok(await download.path());
      await page.getByRole('button', { name: '已保存' }).click();
      await page.waitForTimeout(300);
      assert.deepEqual(await storedLedger(page), before, 'no edit, view, sent record or database');
      await ctx.close();
    });
  }

  test('a newer schema in IndexedDB: read-only, and nothing at all is written', async () => {
    const ctx = await context();
    const page = await openApp(ctx, app.server.url, '#/p/hc-01');
    await page.evaluate(async () => {
      const db = await new Promise((ok) => { const r = indexedDB.open('project-ledger'); r.onsuccess = () => ok(r.result); });
      await new Promise((ok) => {
        const tx = db.transaction('state', 'readwrite');
        tx.objectStore('state').put(JSON.stringify({ schema: 99, device: 'future' }), 'meta');
        tx.oncomplete = ok;
      });
      db.close();
    });
    await page.reload();
    await page.waitForSelector('main h1');
    assert.match(await statusText(page), /此版本不写入任何数据/);
    const before = await storedLedger(page);
    await page.getByLabel('阶段').selectOption('Signed');
    await page.waitForTimeout(300);
    assert.deepEqual(await storedLedger(page), before);
    await ctx.close();
  });

  test('a snapshot this version cannot read is not trusted: every stored edit still shows', async () => {
    const ctx = await context();
    const page = await openApp(ctx, app.server.url, '#/p/hc-01');
    await page.locator('#notes').fill('快照之前的备注');
    await page.locator('#notes').blur();
    await storedEdits(page, (texts) => texts.some((t) => t.includes('快照之前的备注')));
    // A mark past every edit, with no text (another version's shape), then
    // with an older format's text.
    for (const snapshot of [{ mark: 1e6, bytes: 'x' }, { mark: 1e6, text: '[2,"0:0",[]]' }]) {
      await page.evaluate(async (value) => {
        const db = await new Promise((ok) => { const r = indexedDB.open('project-ledger'); r.onsuccess = () => ok(r.result); });
        await new Promise((ok) => {
          const tx = db.transaction('state', 'readwrite');
          tx.objectStore('state').put(value, 'snapshot');
          tx.oncomplete = ok;
        });
        db.close();
      }, snapshot);
      await page.reload();
      await page.waitForSelector('#notes');
      assert.equal(await page.inputValue('#notes'), '快照之前的备注', JSON.stringify(snapshot));
    }
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });

  test('with localStorage unavailable the app runs in memory and says so', async () => {
    const ctx = await context();
    await ctx.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });
    });
    const page = await openApp(ctx, app.server.url, '#/p/hc-01');
    await page.getByLabel('阶段').selectOption('Signed');
    assert.equal(await page.getByLabel('阶段').inputValue(), 'Signed');
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });

  test('with IndexedDB unavailable the app runs in memory and says so', async () => {
    const ctx = await context();
    await ctx.addInitScript(() => {
      IDBFactory.prototype.open = () => { throw new DOMException('denied', 'SecurityError'); };
    });
    const page = await openApp(ctx, app.server.url, '#/p/hc-01');
    assert.match(await statusText(page), /不允许本地存储/);
    await page.getByLabel('阶段').selectOption('Signed');
    await page.goto(`${app.server.url}#/p/hc-02`);
    await page.goto(`${app.server.url}#/p/hc-01`);
    assert.equal(await page.getByLabel('阶段').inputValue(), 'Signed', 'kept in this page');
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });
});

describe('the move from the first release\'s localStorage', () => {
  const v1 = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/storage-v1.json'), 'utf8'));
  const segment = (file) => readFileSync(join(ROOT, 'tests/fixtures', file), 'utf8');
  const released = {
    'storage-v1.json (the first release\'s store)': v1,
    'edits-format1.json as a stored segment': { 'ledger.v1.meta': '{"schema":1,"device":"fixturedevice"}', 'ledger.v1.log.fw1.0': segment('edits-format1.json') },
    'edits-format2.json as a stored segment': { 'ledger.v1.meta': '{"schema":1,"device":"fixturedevice2"}', 'ledger.v1.log.fw2.0': segment('edits-format2.json') },
  };
  for (const [name, values] of Object.entries(released)) {
    test(`${name} moves into IndexedDB, verified, and the old segments are retired`, async () => {
      const ctx = await context();
      await seed(ctx, values);
      const ids = Object.entries(values).filter(([k]) => k.startsWith('ledger.v1.log.'))
        .flatMap(([, v]) => JSON.parse(v).map((e) => e.i));
      const page = await openApp(ctx, app.server.url);
      await page.waitForSelector('[data-project]');
      const stored = Object.fromEntries(await storedLedger(page));
      assert.deepEqual(stored['indexeddb.edits'].map((t) => JSON.parse(t).i).sort(), [...ids].sort(), 'every id, once');
      assert.equal(Object.keys(stored).filter((k) => k.startsWith('ledger.v1.log.')).length, 0, 'old segments retired');
      const device = JSON.parse(values['ledger.v1.meta']).device;
      assert.deepEqual(JSON.parse(stored['ledger.v1.meta']), { schema: 3, device, moved: 'indexeddb' });
      assert.equal(JSON.parse(stored['indexeddb.state.meta']).device, device, 'the device keeps its name');
      await page.reload();
      await page.waitForSelector('[data-project]');
      assert.deepEqual(Object.fromEntries(await storedLedger(page))['indexeddb.edits'].length, ids.length, 'nothing doubled');
      await ctx.close();
    });
  }

  test('the first release\'s store shows its edits after the move', async () => {
    const ctx = await context();
    await seed(ctx, v1);
    const page = await openApp(ctx, app.server.url, '#/p/hc-07');
    assert.equal(await page.getByLabel('阶段').inputValue(), 'Completed');
    assert.equal(await page.getByLabel('备注').inputValue(), '第一版写入的备注');
    await page.goto(app.server.url + '#/');
    await page.waitForSelector('[data-project]');
    assert.match(await page.textContent('[data-testid=project-count]'), /自建 1/);
    await ctx.close();
  });

  test('a half-done move (old segments still there, some ids moved) resumes without doubling', async () => {
    const ctx = await context();
    await seed(ctx, v1);
    const page = await openApp(ctx, app.server.url, '#/p/hc-07');
    const ids = JSON.parse(v1['ledger.v1.log.fixtw1.0']).map((e) => e.i);
    // As if the tab had closed after the copy and before the retirement.
    await page.evaluate((v) => { for (const [k, value] of Object.entries(v)) localStorage.setItem(k, value); }, v1);
    await page.reload();
    await page.waitForSelector('main h1');
    const stored = Object.fromEntries(await storedLedger(page));
    assert.deepEqual(stored['indexeddb.edits'].map((t) => JSON.parse(t).i).sort(), [...ids].sort());
    assert.equal(Object.keys(stored).filter((k) => k.startsWith('ledger.v1.log.')).length, 0);
    await ctx.close();
  });

  test('a long move shows its progress', async () => {
    const ctx = await context();
    const edits = generate(2000, 8000).map((e, n) => ({ ...e, i: `gen${Math.floor(n / 256)}:${(n % 256) + 1}` }));
    const values = { 'ledger.v1.meta': '{"schema":1,"device":"generated"}' };
    for (let s = 0; s * 256 < edits.length; s += 1) values[`ledger.v1.log.gen${s}.0`] = JSON.stringify(edits.slice(s * 256, (s + 1) * 256));
    await seed(ctx, values);
    await ctx.addInitScript(() => {
      new MutationObserver(() => {
        if (document.body?.textContent.includes('正在把本机数据迁移到新的存储')) window.__sawProgress = true;
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    const page = await openApp(ctx, app.server.url);
    await page.waitForSelector('[data-project]');
    assert.equal(await page.evaluate(() => window.__sawProgress), true, 'the move was said while it ran');
    assert.equal((await storedEdits(page)).length, edits.length);
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
    await a.waitForFunction(() => /阶段：签约/.test(document.querySelector('.history')?.textContent));
    await a.reload();
    await a.waitForSelector('#stage');
    assert.equal(await a.getByLabel('阶段').inputValue(), 'Started');
    await ctx.close();
  });

  test('a field being typed in is not overwritten by the other tab: keep mine, or take theirs', async () => {
    const ctx = await context();
    const a = await openApp(ctx, app.server.url, '#/p/hc-04');
    const b = await openApp(ctx, app.server.url, '#/p/hc-04');
    for (const [mine, theirs, choice, winner] of [
      ['乙正在写的', '甲保存的', '采用新值', '甲保存的'],
      ['乙第二次写的', '甲第二次保存的', '保留我的', '乙第二次写的'],
    ]) {
      await b.getByLabel('备注').fill(mine);
      await a.getByLabel('备注').fill(theirs);
      await a.getByLabel('备注').press('Tab');
      await b.waitForSelector('text=另一窗口已修改此项');
      assert.equal(await b.getByLabel('备注').inputValue(), mine, 'what B types stays');
      assert.match(await b.locator('.other-tab').textContent(), new RegExp(theirs));
      await b.getByRole('button', { name: choice }).click();
      await b.getByLabel('备注').press('Tab');
      await b.waitForSelector('text=另一窗口已修改此项', { state: 'detached' });
      assert.equal(await b.getByLabel('备注').inputValue(), winner);
      await a.waitForFunction((w) => document.querySelector('#notes').value === w, winner);
    }
    await ctx.close();
  });

  test('a restore in one tab stops the other from writing back what was replaced', async () => {
    const source = await context();
    const s = await openApp(source, app.server.url, '#/p/ta-01');
    await s.getByLabel('阶段').selectOption('Signed');
    await s.goto(`${app.server.url}office/#/exchange`);
    const [download] = await Promise.all([s.waitForEvent('download'), s.getByRole('button', { name: '下载完整备份' }).click()]);
    const backup = readFileSync(await download.path());

    const ctx = await context();
    const b = await openApp(ctx, app.server.url, '#/p/ta-02');
    await b.getByLabel('备注').fill('恢复前写的');
    await b.getByLabel('备注').press('Tab');
    const a = await openApp(ctx, `${app.server.url}office/`, '#/exchange');
    await a.setInputFiles('#restore-file', { name: 'backup.json', mimeType: 'application/json', buffer: backup });
    await a.waitForSelector('[data-testid=restore-preview]');
    await Promise.all([a.waitForEvent('load'), a.getByRole('button', { name: '确认恢复（替换本机数据）' }).click()]);
    await b.waitForFunction(() => /另一窗口已用备份替换了本机数据/.test(document.querySelector('.status').textContent));
    await b.getByLabel('备注').fill('恢复后这个窗口写的');
    await b.getByLabel('备注').press('Tab');
    await b.waitForTimeout(500);
    const texts = Object.fromEntries(await storedLedger(a))['indexeddb.edits'];
    assert.ok(!texts.some((t) => t.includes('恢复前写的') || t.includes('恢复后这个窗口写的')), 'the stale tab wrote nothing back');
    assert.ok(texts.some((t) => t.includes('"Signed"')), 'the backup is there');
    await b.reload();
    await b.waitForSelector('#notes');
    assert.equal(await b.getByLabel('备注').inputValue(), '');
    await source.close();
    await ctx.close();
  });
});

describe('nothing typed is lost', () => {
  test('a note being typed is kept when Back leaves the page, and when the hash changes', async () => {
    const ctx = await context();
    const page = await openApp(ctx, app.server.url, '#/');
    await page.goto(`${app.server.url}#/p/hc-05`);
    await page.getByLabel('备注').fill('按返回键之前写的');
    await page.goBack();
    await page.waitForSelector('[data-project]');
    await page.goto(`${app.server.url}#/p/hc-08`);
    await page.getByLabel('备注').fill('改地址之前写的');
    await page.evaluate(() => { location.hash = '#/'; });
    await page.waitForSelector('[data-project]');
    await page.reload();
    await page.goto(`${app.server.url}#/p/hc-05`);
    assert.equal(await page.getByLabel('备注').inputValue(), '按返回键之前写的');
    await page.goto(`${app.server.url}#/p/hc-08`);
    assert.equal(await page.getByLabel('备注').inputValue(), '改地址之前写的');
    await ctx.close();
  });

  test('an unsubmitted visit and blocker keep a draft until submitted or discarded', async () => {
    const ctx = await context();
    const page = await openApp(ctx, app.server.url, '#/p/hc-06');
    await page.locator('#record-notes').fill('现场走访，还没写完');
    await page.locator('#blocker-description').fill('用电指标未落实');
    await page.reload();
    await page.waitForSelector('#record-notes');
    assert.equal(await page.locator('#record-notes').inputValue(), '现场走访，还没写完');
    assert.equal(await page.locator('#blocker-description').inputValue(), '用电指标未落实');
    assert.equal(await page.getByText('未提交的内容已作为草稿保存在本机。').count(), 2);
    // Discarded: gone, also after reload.
    await page.locator('form:has(#record-notes)').getByRole('button', { name: '放弃草稿' }).click();
    assert.equal(await page.locator('#record-notes').inputValue(), '');
    // Submitted: stored as a blocker, and the draft is gone.
    await page.getByRole('button', { name: '记录问题' }).click();
    await page.waitForSelector('text=用电指标未落实');
    await page.reload();
    await page.waitForSelector('#record-notes');
    assert.equal(await page.locator('#record-notes').inputValue(), '');
    assert.equal(await page.locator('#blocker-description').inputValue(), '');
    assert.equal(await page.getByText('未提交的内容已作为草稿保存在本机。').count(), 0);
    assert.match(await page.textContent('main'), /用电指标未落实/);
    await ctx.close();
  });

  test('a CSV import is all or nothing on disk: a full disk halfway through stores none of it', async () => {
    const ctx = await context();
    const page = await openApp(ctx, `${app.server.url}office/`, '#/exchange');
    const registry = await registryRows();
    const ids = registry.map((r) => r.id);
    const quoted = (text) => `"${text.replaceAll('"', '""')}"`;
    const csv = `编号,项目名称,备注\r\n${registry.map((r) => `${r.id},${quoted(r.name)},导入的备注 ${r.id}`).join('\r\n')}\r\n`;
    const before = await storedLedger(page);
    // The disk fills after a third of the records of a transaction.
    await fillIndexedDb(page, "new DOMException('full', 'QuotaExceededError')", Math.floor(ids.length / 3));
    await page.setInputFiles('#import-csv', { name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('[data-testid=import-preview]');
    await page.getByRole('button', { name: '应用导入' }).click();
    await page.waitForSelector('.problem[data-problem=write]');
    assert.deepEqual(await storedLedger(page), before, 'none of it on disk');
    await page.close();
    const again = await openApp(ctx, app.server.url, `#/p/${ids[0]}`);
    assert.equal(await again.getByLabel('备注').inputValue(), '', 'closed before there was room: none of it');
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
    assert.match(await footer.textContent(), /待报送：0 条/);
    await page.getByLabel('阶段').selectOption('Signed');
    assert.match(await footer.textContent(), /待报送：1 条/);
    await ctx.close();
  });

  test('a backup not saved is not counted as exported', async () => {
    const ctx = await context();
    const page = await openApp(ctx, app.server.url, '#/p/hc-09');
    await page.getByLabel('阶段').selectOption('Signed');
    await page.goto(`${app.server.url}office/#/exchange`);
    await page.waitForSelector('[data-testid=unexported]');
    await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载完整备份' }).click()]);
    await page.getByRole('button', { name: '没有保存' }).click();
    await page.reload();
    await page.waitForSelector('[data-testid=unexported]');
    assert.match(await page.textContent('[data-testid=unexported]'), /待报送：1 条/);
    await ctx.close();
  });
});
