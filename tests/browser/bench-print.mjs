// Benchmark (not a test): the print view of all districts with 10,000
// generated projects and 20,000 edits. Prints the time from navigation to
// every sheet being in the DOM and the first screen painted (sheets below the
// fold are laid out when they scroll near, or for print), and the time and page
// count of printing all of it to PDF.
//   node tests/browser/bench-print.mjs [runs=5]    (after `bash tools/build.sh`)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from './generate.mjs';
import { launch, startServer, storeEdits } from './harness.mjs';

const runs = Number(process.argv[2] ?? 5);
const server = await startServer();
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => addEventListener('TrunkApplicationStarted', () => { window.__started = performance.now(); }));
  const page = await context.newPage();
  await page.goto(`${server.url}office/#/`);
  await page.waitForSelector('main h1');
  const edits = generate(10_000, 10_000);
  await storeEdits(page, edits);
  const times = [];
  const started = [];
  let sheets = 0;
  let rows = 0;
  for (let run = 0; run < runs; run += 1) {
    await page.goto('about:blank');
    const t0 = Date.now();
    await page.goto(`${server.url}office/#/print/districts`);
    await page.waitForSelector('section.sheet');
    // After the DOM is complete: one frame painted.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
    times.push(Date.now() - t0);
    started.push(await page.evaluate(() => window.__started));
    [sheets, rows] = await page.evaluate(() => [document.querySelectorAll('section.sheet').length,
      document.querySelectorAll('section.sheet tbody tr[data-project]').length]);
  }
  times.sort((a, b) => a - b);
  console.log(`print view of all districts, ${edits.length} edits (10,000 generated projects + the registry):`);
  console.log(`  navigation → every sheet in the DOM, first screen painted: median ${times[Math.floor(times.length / 2)]} ms, max ${times[times.length - 1]} ms (n=${runs})`);
  started.sort((a, b) => a - b);
  console.log(`  of which wasm loaded and started (sheets drawn during start-up): median ${started[Math.floor(started.length / 2)].toFixed(0)} ms`);
  console.log(`  ${sheets} sheets, ${rows} project rows`);
  await page.emulateMedia({ media: 'print' });
  const t1 = Date.now();
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  const path = join(mkdtempSync(join(tmpdir(), 'ledger-bench-')), 'all.pdf');
  writeFileSync(path, pdf);
  const pages = execFileSync('pdfinfo', [path], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)[1];
  console.log(`  page.pdf(): ${pages} A4 pages in ${Date.now() - t1} ms`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
