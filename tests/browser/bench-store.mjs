// Benchmark (not a test): the store at a city's volume in headless Chromium.
// With 200,000 edits (10,000 generated projects plus field edits) in
// IndexedDB: cold start to the first list row, online and offline (median of
// 5, by reload and in a new tab); JS heap plus wasm memory after load; one more edit until its
// transaction has committed, at 1,000, 20,000 and 200,000 edits; and the move
// of 48,000 edits from the first release's localStorage. Prints measurements.
//   node tests/browser/bench-store.mjs    (after `bash tools/build.sh`)
import { generate } from './generate.mjs';
import { launch, startServer, storeEdits } from './harness.mjs';

const COLD_STARTS = 5;
const SAMPLES = 30;
let server = await startServer();
const port = server.port;
const browser = await launch(['--enable-precise-memory-info']);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${median(s).toFixed(1)} ms, p95 ${s[Math.min(s.length - 1, Math.floor(0.95 * s.length))].toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms (n=${s.length})`;
};

// In the page: the wasm instance (for its memory) and when each write of the
// log commits.
const INSTRUMENT = () => {
  addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
  window.__commits = [];
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (stores, mode, ...rest) {
    const tx = transaction.call(this, stores, mode, ...rest);
    if (mode === 'readwrite' && [].concat(stores).includes('edits')) {
      tx.addEventListener('complete', () => window.__commits.push(performance.now()));
    }
    return tx;
  };
};

/** Writes `edits` straight into the app's IndexedDB log, as the app stores them. */
async function storeInIndexedDb(page, edits) {
  const CHUNK = 20_000;
  for (let start = 0; start < edits.length; start += CHUNK) {
    const chunk = edits.slice(start, start + CHUNK).map((e, n) => {
      const at = start + n;
      const id = `gen${Math.floor(at / 1000)}:${(at % 1000) + 1}`;
      return { i: id, p: e.p, j: JSON.stringify({ ...e, i: id }) };
    });
    await page.evaluate(async (records) => {
      const db = await new Promise((ok, fail) => {
        const r = indexedDB.open('project-ledger');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      await new Promise((ok, fail) => {
        const tx = db.transaction('edits', 'readwrite');
        const store = tx.objectStore('edits');
        for (const r of records) store.add(r);
        tx.oncomplete = ok;
        tx.onabort = () => fail(tx.error);
      });
      db.close();
    }, chunk);
  }
}

/** Whether the app has written a snapshot (it does a few seconds after a fold of everything). */
const hasSnapshot = (page) => page.evaluate(async () => {
  const db = await new Promise((ok) => { const r = indexedDB.open('project-ledger'); r.onsuccess = () => ok(r.result); });
  const found = await new Promise((ok) => {
    const r = db.transaction('state').objectStore('state').get('snapshot');
    r.onsuccess = () => ok(r.result !== undefined);
  });
  db.close();
  return found;
});

const firstRow = (page) => page.waitForSelector('[data-project]', { timeout: 120_000 }).then(() => page.evaluate(() => performance.now()));

/** A context whose store holds `total` edits, opened once and snapshotted. */
async function ledgerOf(total) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(INSTRUMENT);
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForSelector('[data-project]');
  const projects = Math.min(10_000, Math.floor(total / 2));
  await storeInIndexedDb(page, generate(projects, total - projects));
  await page.reload();
  const firstOpen = await firstRow(page);
  const end = Date.now() + 120_000;
  while (!(await hasSnapshot(page)) && Date.now() < end) await page.waitForTimeout(200);
  return { context, page, firstOpen };
}

/** One more edit on a project page, from the change event to its committed transaction. */
async function oneMoreEdit(page) {
  await page.goto(`http://127.0.0.1:${port}/#/p/hc-07`);
  await page.waitForSelector('#notes');
  return page.evaluate(async (n) => {
    const notes = document.querySelector('#notes');
    const out = [];
    for (let i = 0; i < n; i += 1) {
      const seen = window.__commits.length;
      notes.value = `基准测试备注 ${i} ${Math.random()}`;
      const t0 = performance.now();
      notes.dispatchEvent(new Event('change', { bubbles: true }));
      while (window.__commits.length === seen) await new Promise((r) => setTimeout(r, 0));
      out.push(window.__commits[seen] - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
    return out;
  }, SAMPLES);
}

try {
  for (const total of [1_000, 20_000, 200_000]) {
    const { context, page, firstOpen } = await ledgerOf(total);
    console.log(`${total} edits: first open (no snapshot yet, folds every edit) ${firstOpen.toFixed(0)} ms`);
    console.log(`  one more edit, change → committed: ${stat(await oneMoreEdit(page))}`);
    if (total === 200_000) {
      // Two kinds of cold start: a reload of the tab (the measure; the
      // renderer keeps the wasm's optimised code), and a new tab, whose
      // renderer starts on baseline code and holds no garbage of the page
      // that generated the data (memory is read there).
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForSelector('[data-project]');
      const series = (times) => `median ${median(times).toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')})`;
      const reloads = async () => {
        const times = [];
        for (let n = 0; n < COLD_STARTS; n += 1) {
          await page.reload();
          times.push(await firstRow(page));
        }
        return series(times);
      };
      const newTabs = async (check) => {
        const times = [];
        for (let n = 0; n < COLD_STARTS; n += 1) {
          const tab = await context.newPage();
          await tab.goto(`http://127.0.0.1:${port}/`);
          times.push(await firstRow(tab));
          if (n === 0) await check?.(tab);
          await tab.close();
        }
        return series(times);
      };
      const memory = async (tab) => {
        const m = await tab.evaluate(() => ({
          js: performance.memory?.usedJSHeapSize ?? 0,
          wasm: window.__wasm?.memory?.buffer?.byteLength ?? 0,
        }));
        return `JS heap ${(m.js / 1048576).toFixed(1)} MB + wasm ${(m.wasm / 1048576).toFixed(1)} MB = ${((m.js + m.wasm) / 1048576).toFixed(1)} MB`;
      };
      const memoryOf = async (tab) => {
        console.log(`  memory after load (new tab): ${await memory(tab)}`);
        // What stays: the temporaries of opening collected.
        await (await context.newCDPSession(tab)).send('HeapProfiler.collectGarbage');
        console.log(`  memory after load and a garbage collection: ${await memory(tab)}`);
      };
      console.log(`  cold start to the first list row, online, reload: ${await reloads()}`);
      console.log(`  cold start to the first list row, online, new tab: ${await newTabs(memoryOf)}`);
      await server.close();
      console.log(`  cold start to the first list row, offline (server stopped), reload: ${await reloads()}`);
      console.log(`  cold start to the first list row, offline (server stopped), new tab: ${await newTabs()}`);
      server = await startServer(port);
    }
    await context.close();
  }

  // The move from localStorage: 48,000 edits (about as many as it holds).
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/manifest.webmanifest`);
  const edits = generate(10_000, 38_000);
  const bytes = await storeEdits(page, edits);
  await page.goto(`http://127.0.0.1:${port}/`);
  const moved = await page.evaluate(async () => {
    while (!(localStorage.getItem('ledger.v1.meta') ?? '').includes('indexeddb')) await new Promise((r) => setTimeout(r, 5));
    return performance.now();
  });
  const shown = await firstRow(page);
  console.log(`move of ${edits.length} edits (${(bytes / 1048576).toFixed(1)} MB of JSON) from localStorage: copied, verified and retired ${moved.toFixed(0)} ms after navigation; first list row at ${shown.toFixed(0)} ms`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
