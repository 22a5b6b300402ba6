// The device's own storage under the faults browsers and people cause: the
// whole browser quitting while a note is typed, stored records of no edit's
// shape, and an IndexedDB open that never answers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchProfile, openApp, storedLedger, withApp } from './harness.mjs';

const app = withApp();
const context = () => app.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
/** src/ui/fields.rs DRAFT_EVERY: at most this much typing is lost in a quit (README). */
const DRAFT_EVERY_MS = 300;
/** src/ui/store.rs STORAGE_PATIENCE. */
const STORAGE_PATIENCE_MS = 3000;

/** Adds raw values to the `edits` store as they are, beside the app's records. */
function addRawRecords(page, values) {
  return page.evaluate(async (raw) => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('project-ledger');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    await new Promise((ok, fail) => {
      const tx = db.transaction('edits', 'readwrite');
      for (const value of raw) tx.objectStore('edits').add(value);
      tx.oncomplete = ok;
      tx.onabort = () => fail(tx.error);
    });
    db.close();
  }, values);
}

async function note(page, id, text) {
  await page.goto(`${app.server.url}#/p/${id}`);
  await page.locator('#notes').fill(text);
  await page.locator('#notes').blur();
}

describe('a note typed when the whole browser quits', () => {
  test(`survives 20 quits of 20, each ${DRAFT_EVERY_MS + 100} ms after the last keystroke, the field still focused`, async () => {
    const profile = mkdtempSync(join(tmpdir(), 'ledger-quit-'));
    const rounds = 20;
    const survived = [];
    try {
      let previous = null;
      for (let round = 0; round <= rounds; round += 1) {
        const browser = await launchProfile(profile, { viewport: { width: 1280, height: 900 } });
        const page = browser.pages()[0] ?? await browser.newPage();
        await page.goto(`${app.server.url}#/p/hc-05`);
        await page.waitForSelector('#notes');
        if (previous !== null) {
          // What the quit left: the note stored, or offered as unsaved input to save.
          const stored = await page.inputValue('#notes');
          // The offer is drawn with the field, from what the quit left.
          const offer = page.locator('[data-testid=unsaved-input]');
          const offered = (await offer.count()) ? await offer.textContent() : '';
          survived.push(stored === previous || offered.includes(previous));
          if (stored !== previous && offered.includes(previous)) {
            await page.getByRole('button', { name: '保存这段输入' }).click();
            assert.equal(await page.inputValue('#notes'), previous, 'saved from the offer');
          }
        }
        if (round < rounds) {
          previous = `第${round + 1}轮：现场塔吊已进场，下周浇筑基础`;
          await page.locator('#notes').click();
          await page.keyboard.press('Control+A');
          await page.keyboard.type(previous, { delay: 5 });
          await page.waitForTimeout(DRAFT_EVERY_MS + 100);
          assert.equal(await page.evaluate(() => document.activeElement?.id), 'notes', 'still typing in the field');
        }
        await browser.close();
      }
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
    assert.equal(survived.filter(Boolean).length, rounds, `rounds that kept the note: ${survived.map((s) => (s ? 1 : 0)).join('')}`);
  });

  test('a draft that became a stored edit is not offered again, and one discarded is gone', async () => {
    const ctx = await context();
    const page = await openApp(ctx, app.server.url, '#/p/hc-04');
    await page.locator('#notes').fill('存好了的备注');
    await page.locator('#notes').blur();
    await page.reload();
    await page.waitForSelector('#notes');
    assert.equal(await page.inputValue('#notes'), '存好了的备注');
    assert.equal(await page.locator('[data-testid=unsaved-input]').count(), 0, 'nothing offered once stored');
    // A draft left by a quit, to discard.
    await page.evaluate(() => localStorage.setItem(`ledger.draft.field:${location.pathname}#/p/hc-04:notes`, '没存上的半句'));
    await page.reload();
    await page.waitForSelector('[data-testid=unsaved-input]');
    assert.match(await page.textContent('[data-testid=unsaved-input]'), /没存上的半句/);
    await page.locator('[data-testid=unsaved-input]').getByRole('button', { name: '放弃草稿' }).click();
    await page.reload();
    await page.waitForSelector('#notes');
    assert.equal(await page.locator('[data-testid=unsaved-input]').count(), 0);
    assert.equal(await page.inputValue('#notes'), '存好了的备注');
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });
});

describe('stored records of no edit\'s shape', () => {
  test('a page of pulled edits in one record is read edit by edit; a page of no edit\'s shape is quarantined whole', async () => {
    const ctx = await context();
    const page = await openApp(ctx, app.server.url, '#/');
    await note(page, 'hc-01', '本机的备注');
    const at = Date.now() - 3_600_000;
    const edit = (n, p, text) => JSON.stringify({ v: 2, i: `pg:${n}`, d: 'pg', p, t: at + n, c: { Notes: text } });
    const bad = { i: ['pg:9'], p: ['hc-08'], j: [7], a: [''], s: true };
    await addRawRecords(page, [
      { i: ['pg:1', 'pg:2'], p: ['hc-06', 'hc-07'], j: [edit(1, 'hc-06', '页里的第一条'), edit(2, 'hc-07', '页里的第二条')], a: ['wangxm', 'liuyang'], s: true },
      bad,
    ]);
    await page.reload();
    await page.waitForSelector('#notes');
    for (const [id, text, who] of [['hc-06', '页里的第一条', 'wangxm'], ['hc-07', '页里的第二条', 'liuyang'], ['hc-01', '本机的备注', null]]) {
      await page.goto(`${app.server.url}#/p/${id}`);
      await page.waitForFunction((t) => document.querySelector('#notes')?.value === t, text);
      if (who) assert.match(await page.textContent('.history'), new RegExp(`${who} · `), `${id}'s history names who pulled it`);
    }
    const offered = await page.locator('[data-quarantine]').evaluateAll((links) => links.map((a) => a.dataset.quarantine));
    assert.equal(offered.length, 1, `offered: ${offered}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-quarantine="${offered[0]}"]`).click()]);
    assert.deepEqual(JSON.parse(readFileSync(await download.path(), 'utf8')), bad);
    // The office's digest reads the whole log, pages too.
    await page.goto(`${app.server.url}office/#/changes?since=2000-01-01`);
    await page.waitForFunction(() => /页里的第一条/.test(document.body.textContent) && /页里的第二条/.test(document.body.textContent));
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });

  test('null, a number and a foreign object are quarantined, offered raw, and the neighbours still show', async () => {
    const ctx = await context();
    const page = await openApp(ctx, app.server.url, '#/');
    await note(page, 'hc-01', '前面的邻居');
    await addRawRecords(page, [null, 42, { foreign: true }]);
    await page.reload();
    await page.waitForSelector('#notes');
    assert.equal(await page.inputValue('#notes'), '前面的邻居', 'the edit stored before them shows');
    const status = await page.textContent('.status');
    assert.match(status, /无法读取的数据，已原样另存/);
    assert.doesNotMatch(status, /保存失败/, 'a read is not called a failed save');
    const offered = await page.locator('[data-quarantine]').evaluateAll((links) => links.map((a) => a.dataset.quarantine));
    assert.equal(offered.length, 3, `offered: ${offered}`);
    const raws = [];
    for (const key of offered) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-quarantine="${key}"]`).click()]);
      raws.push(readFileSync(await download.path(), 'utf8'));
    }
    assert.deepEqual(raws.sort(), ['42', 'null', '{"foreign":true}']);
    // An edit after them is stored and shows beside the one before.
    await note(page, 'hc-03', '后面的邻居');
    await page.reload();
    await page.waitForSelector('#notes');
    assert.equal(await page.inputValue('#notes'), '后面的邻居');
    await page.goto(`${app.server.url}#/p/hc-01`);
    await page.waitForSelector('#notes');
    assert.equal(await page.inputValue('#notes'), '前面的邻居');
    // The office reads the whole log: its digest shows both.
    await page.goto(`${app.server.url}office/#/changes?since=2000-01-01`);
    await page.waitForFunction(() => /前面的邻居/.test(document.body.textContent) && /后面的邻居/.test(document.body.textContent));
    const stored = Object.fromEntries(await storedLedger(page))['indexeddb.edits'];
    assert.ok(stored.includes(null) && stored.includes(42), 'left where they were, never written over');
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });
});

describe('an IndexedDB open that never answers', () => {
  test(`is named within ${STORAGE_PATIENCE_MS / 1000} s, the registry shows read-only, and the app goes on once it answers`, async () => {
    const ctx = await context();
    const page = await openApp(ctx, app.server.url, '#/');
    await note(page, 'hc-05', '存储响应前已保存的备注');
    // From now on this context's opens of the ledger's database hang until
    // the test lets them through, as Safari 14's did (WebKit bug 226547).
    await ctx.addInitScript(() => {
      const open = IDBFactory.prototype.open;
      const held = [];
      window.__answerIndexedDb = () => { window.__answered = true; held.splice(0).forEach((go) => go()); };
      IDBFactory.prototype.open = function (name, ...rest) {
        if (window.__answered || name !== 'project-ledger') return open.call(this, name, ...rest);
        const factory = this;
        const request = { onsuccess: null, onerror: null, onupgradeneeded: null, onblocked: null };
        let real = null;
        for (const key of ['result', 'transaction', 'error', 'readyState']) {
          Object.defineProperty(request, key, { get: () => (real ? real[key] : (key === 'readyState' ? 'pending' : null)) });
        }
        held.push(() => {
          real = open.call(factory, name, ...rest);
          for (const on of ['onsuccess', 'onerror', 'onupgradeneeded', 'onblocked']) {
            real[on] = (e) => request[on]?.(e);
          }
        });
        return request;
      };
    });
    const started = Date.now();
    await page.reload({ waitUntil: 'commit' });
    await page.waitForSelector('[data-problem=not-answering]', { timeout: STORAGE_PATIENCE_MS + 2000 });
    const after = Date.now() - started;
    assert.ok(after < STORAGE_PATIENCE_MS + 1500, `named after ${after} ms`);
    assert.match(await page.textContent('[data-problem=not-answering]'), /存储没有响应.*只能查看.*关闭本应用的其他标签页.*重启浏览器/s);
    // The shipped registry shows; nothing typed now is taken as stored.
    await page.waitForSelector('main h1');
    assert.match(await page.textContent('main h1'), /\S/);
    assert.equal(await page.inputValue('#notes'), '', 'the registry alone, before storage answers');
    await page.locator('#notes').fill('存储无响应时输入的');
    await page.locator('#notes').blur();
    assert.match(await page.textContent('#notes-error'), /本机存储还没有响应/);
    // Storage answers: the app opens as usual, with what it had stored.
    await page.evaluate(() => window.__answerIndexedDb());
    await page.waitForSelector('[data-problem=not-answering]', { state: 'detached', timeout: 5000 });
    await page.waitForFunction(() => document.querySelector('#notes')?.value === '存储响应前已保存的备注', null, { timeout: 5000 });
    await page.locator('#notes').fill('存储响应后输入的');
    await page.locator('#notes').blur();
    await page.reload();
    await page.evaluate(() => window.__answerIndexedDb());
    await page.waitForFunction(() => document.querySelector('#notes')?.value === '存储响应后输入的', null, { timeout: 5000 });
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });
});
