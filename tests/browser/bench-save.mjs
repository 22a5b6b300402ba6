// Benchmark (not a test): with 20,000 edits already stored, how long one more
// edit takes to store and to show; plus load times. Prints measurements.
//   node tests/browser/bench-save.mjs    (after `bash tools/build.sh`)
import { launch, startServer } from './harness.mjs';

const EDITS = 20_000;
const SAMPLES = 60;
const server = await startServer();
const browser = await launch();
const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${s[s.length - 1].toFixed(2)} ms`;
};
const firstRender = (page) => page.waitForSelector('[data-project]').then(() => page.evaluate(() => performance.now()));

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(server.url);
  console.log(`first load, empty storage: list rendered at ${(await firstRender(page)).toFixed(0)} ms after navigation`);

  const bytes = await page.evaluate((count) => {
    const ids = ['hc-01', 'hc-07', 'ta-01', 'xy-02', 'td-03', 'tx-04', 'ls-05', 'qs-01', 'gx-02', 'jk-06'];
    const changes = [
      (i) => ({ Notes: `第${i}次走访记录：现场施工正常，协调用电问题。` }),
      () => ({ Stage: 'Started' }),
      (i) => ({ Procedure: { procedure: 'Land', done: i % 2 === 0, date: '2024-03-01' } }),
      (i) => ({ InvestmentWan: 1000 + i }),
    ];
    let total = 0;
    const perSegment = 256;
    const start = Date.now() - count * 1000;
    for (let s = 0; s * perSegment < count; s += 1) {
      const writer = `bench${s}`;
      const segment = [];
      for (let j = 0; j < perSegment && s * perSegment + j < count; j += 1) {
        const i = s * perSegment + j;
        segment.push({ i: `${writer}:${j + 1}`, d: 'benchdevice', p: ids[i % ids.length], t: start + i * 1000, c: changes[i % changes.length](i) });
      }
      const json = JSON.stringify(segment);
      total += json.length;
      localStorage.setItem(`ledger.v1.log.${writer}.0`, json);
    }
    return total;
  }, EDITS);
  console.log(`stored ${EDITS} edits: ${(bytes / 1024).toFixed(0)} KB of JSON in localStorage`);

  await page.goto(server.url + '#/p/hc-07');
  await page.reload();
  await page.waitForSelector('#notes');
  const loadMs = await page.evaluate(() => performance.now());
  console.log(`load with ${EDITS} edits: project page ready at ${loadMs.toFixed(0)} ms after navigation`);

  const samples = await page.evaluate(async (n) => {
    const real = Storage.prototype.setItem;
    let writeMs = 0;
    let written = 0;
    Storage.prototype.setItem = function (k, v) {
      const t = performance.now();
      real.call(this, k, v);
      writeMs += performance.now() - t;
      written = v.length;
    };
    const notes = document.querySelector('#notes');
    const out = [];
    for (let i = 0; i < n; i += 1) {
      writeMs = 0;
      notes.value = `基准测试备注 ${i}`;
      const t0 = performance.now();
      notes.dispatchEvent(new Event('change', { bubbles: true }));
      const handled = performance.now() - t0;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      out.push({ handled, write: writeMs, painted: performance.now() - t0, written });
    }
    Storage.prototype.setItem = real;
    return out;
  }, SAMPLES);
  console.log(`one more edit, ${SAMPLES} samples:`);
  console.log(`  localStorage write of its segment: ${stat(samples.map((s) => s.write))} (segment ≤ ${Math.max(...samples.map((s) => s.written))} chars)`);
  console.log(`  whole change handler (validate, fold, store, render): ${stat(samples.map((s) => s.handled))}`);
  console.log(`  change to next painted frame: ${stat(samples.map((s) => s.painted))}`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
