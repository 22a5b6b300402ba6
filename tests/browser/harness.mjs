// Shared by the browser tests and benchmarks: a static server for dist/ on
// loopback (so a test can stop it) and Debian's headless Chromium.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { serveFolder } from '../../tools/static-server.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = process.env.DIST ?? join(ROOT, 'dist');

/** Serves dist/ (or `root`) on loopback like a plain static host: no rewrite rules. */
export function startServer(port = 0, root = DIST) {
  return serveFolder(root, port);
}

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];

export function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [...chromiumArgs, ...extraArgs],
  });
}

/** A whole browser with its profile in `dir`: closing it quits the browser, as a person does; the next launch finds what it kept. */
export function launchProfile(dir, options = {}) {
  return chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: chromiumArgs,
    ...options,
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
  // With its stack: a wasm panic is only "unreachable" without it.
  page.on('pageerror', (e) => errors.push(e.stack && !String(e.stack).startsWith(String(e)) ? `${e}\n${e.stack}` : String(e.stack ?? e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.errors = errors;
  await page.goto(url + hash);
  await page.waitForSelector('main h1');
  return page;
}

/**
 * Everything the app stores, sorted, for before/after comparisons: each
 * `ledger.` key of localStorage, and the IndexedDB database (its edit records
 * in arrival order and its state) when there is one. Opening a database that
 * does not exist would create it, so that is asked first.
 */
export function storedLedger(page) {
  return page.evaluate(async () => {
    const stored = Object.keys(localStorage).filter((k) => k.startsWith('ledger.')).sort()
      .map((k) => [k, localStorage.getItem(k)]);
    if (!(await indexedDB.databases()).some((d) => d.name === 'project-ledger')) return stored;
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('project-ledger');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const all = (store, what) => new Promise((ok, fail) => {
      const r = db.transaction(store).objectStore(store)[what]();
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const [edits, stateKeys, state] = [await all('edits', 'getAll'), await all('state', 'getAllKeys'), await all('state', 'getAll')];
    db.close();
    // Each edit's text, a pulled page's one by one; a record of no edit's
    // shape (a fault test's null or number) as it is.
    stored.push(['indexeddb.edits', edits.flatMap((e) => (typeof e?.j === 'string' ? [e.j] : Array.isArray(e?.j) ? e.j : [e]))]);
    stateKeys.forEach((k, n) => stored.push([`indexeddb.state.${k}`, state[n]]));
    return stored;
  });
}

/**
 * Makes IndexedDB refuse writes as a full disk does: a transaction that adds
 * more than `after` records aborts when it would commit, told to or not, its
 * `error` being `error` (by default a QuotaExceededError), and keeps none of
 * them. `room(page)` gives the space back. Runs in the page.
 */
export function fillIndexedDb(page, error = "new DOMException('full', 'QuotaExceededError')", after = 0) {
  return page.evaluate(([make, room]) => {
    const proto = IDBTransaction.prototype;
    if (!window.__idb) {
      const add = IDBObjectStore.prototype.add;
      const commit = proto.commit;
      const errorOf = Object.getOwnPropertyDescriptor(proto, 'error').get;
      window.__idb = { full: null };
      IDBObjectStore.prototype.add = function (...args) {
        const tx = this.transaction;
        tx.__adds = (tx.__adds ?? 0) + 1;
        if (window.__idb.full && tx.__adds > window.__idb.after) tx.__refused ??= window.__idb.full();
        const request = add.apply(this, args);
        // A transaction never told to commit commits once its requests are
        // done: it is refused then, after the add.
        if (tx.__refused) request.addEventListener('success', () => { try { tx.abort(); } catch { /* finished already */ } });
        return request;
      };
      proto.commit = function () {
        if (this.__refused) return this.abort();
        return commit.call(this);
      };
      Object.defineProperty(proto, 'error', { configurable: true, get() { return this.__refused ?? errorOf.call(this); } });
    }
    window.__idb.full = new Function(`return ${make}`);
    window.__idb.after = room;
  }, [error, after]);
}

export function room(page) {
  return page.evaluate(() => { window.__idb.full = null; });
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
