// Benchmark (not a test): a phone's first visit, its repeat visit and the office
// app opened afterwards, on Lighthouse's slow mobile profile: 1.6 Mbit/s down,
// 150 ms round trip (tests/browser/slow-link.mjs), the CPU 4× slower (Chromium's
// CPU throttling), a 375 px screen. Prints the time to the first project row
// against the transfer floor of the same run: the bytes the page fetched
// before that row over the link, plus the round trips no page can avoid.
// Each run is made on two links:
// - "requests": every request costs one round trip, connections are free, as
//   with Chromium's own throttling (DevTools' presets): floor = bytes + two
//   round trips (the page; its files, which the page names at once);
// - "HTTP/1.1": a new connection costs a round trip more, so the browser's
//   second to sixth connections start later: floor = bytes + three (the
//   connection, the page, its files).
//   node tests/browser/bench-first-visit.mjs    (after `bash tools/build.sh`; DIST=folder
//   measures another build; MBPS, RTT and CPU change the profile; RUNS repeats it)
import { launch, DIST } from './harness.mjs';
import { serveSlow } from './slow-link.mjs';

const MBPS = Number(process.env.MBPS ?? 1.6);
const RTT = Number(process.env.RTT ?? 150);
const CPU = Number(process.env.CPU ?? 4);
const RUNS = Number(process.env.RUNS ?? 3);
const LINKS = [
  { name: 'requests', connecting: false, roundTrips: 2 },
  { name: 'HTTP/1.1', connecting: true, roundTrips: 3 },
];

// In the page: the end of the frame that first shows an element matching
// `selector` (performance.now(), from the start of the navigation): a
// MutationObserver sees it inserted; rAF and a task after it are after paint.
const watchFor = (selector) => {
  let inserted = false;
  const seen = () => {
    if (inserted || !document.querySelector(selector)) return;
    inserted = true;
    requestAnimationFrame(() => setTimeout(() => { window.__shown = performance.now(); }, 0));
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
  window.__marks = {};
  for (const name of ['TrunkApplicationStarted', 'ledger-ready', 'DOMContentLoaded', 'load']) {
    addEventListener(name, () => { window.__marks[name] = performance.now(); });
  }
};

async function visit(context, url, selector) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU });
  await page.addInitScript(watchFor, selector);
  const started = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__shown !== undefined, null, { timeout: 60_000, polling: 50 });
  const shown = await page.evaluate(() => window.__shown);
  return { page, cdp, started, shown, at: (await page.evaluate(() => performance.timeOrigin)) + shown };
}

const browser = await launch();
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const results = [];
try {
  for (let run = 1; run <= RUNS; run += 1) for (const model of LINKS) {
    const link = await serveSlow(DIST, { bitsPerSecond: MBPS * 1e6, rttMs: RTT, connecting: model.connecting });
    const ROUND_TRIPS = model.roundTrips;
    const say = (text) => console.log(`run ${run}, ${model.name}: ${text}`);
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    try {
      // First visit: an empty profile.
      const first = await visit(context, link.url, '[data-project]');
      const before = link.log.filter((e) => e.done !== null && e.done <= first.at);
      const pageBytes = before.filter((e) => e.by === 'page').reduce((sum, e) => sum + e.bytes, 0);
      const workerBytes = link.log.filter((e) => e.by === 'worker' && e.asked <= first.at).reduce((sum, e) => sum + e.bytes, 0);
      const floor = (pageBytes * 8) / (MBPS * 1e6) * 1000 + ROUND_TRIPS * RTT;
      say(`first visit: first project row at ${s(first.shown)}; floor ${s(floor)} `
        + `(${kb(pageBytes)} the page fetched before it, ${ROUND_TRIPS} round trips); ${(first.shown / floor).toFixed(2)}× the floor; `
        + `the service worker asked for ${kb(workerBytes)} before the row`);
      if (process.env.VERBOSE) {
        const marks = await first.page.evaluate(() => window.__marks);
        console.log(`  in the page: ${Object.entries(marks).map(([k, v]) => `${k} ${s(v)}`).join(', ')}`);
        const wasm = await first.page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm'))
          .map((e) => `${e.name.split('/').pop()} ${e.initiatorType} start ${(e.startTime / 1000).toFixed(2)} s end ${(e.responseEnd / 1000).toFixed(2)} s`));
        console.log(`  wasm in the page: ${wasm.join('; ')}`);
        for (const e of link.log) {
          console.log(`  ${e.by.padEnd(6)} ${e.path.padEnd(60)} ${kb(e.bytes).padStart(9)} asked ${s(e.asked - first.started)} done ${e.done ? s(e.done - first.started) : '-'}`);
        }
      }
      // The worker holds everything once it controls the page (clients.claim).
      await first.page.waitForFunction(() => navigator.serviceWorker?.controller, null, { timeout: 120_000 });
      const cached = Date.now() - first.started;
      await first.page.close();
      // Repeat visit: the same profile, served by the service worker.
      const sent = link.log.length;
      const again = await visit(context, link.url, '[data-project]');
      say(`repeat visit: first project row at ${s(again.shown)} (${link.log.length - sent} requests reached the server; `
        + `the first visit was cached ${s(cached)} after it began)`);
      if (process.env.VERBOSE) {
        const marks = await again.page.evaluate(() => window.__marks);
        console.log(`  in the page: ${Object.entries(marks).map(([k, v]) => `${k} ${s(v)}`).join(', ')}`);
      }
      await again.page.close();
      const office = await visit(context, `${link.url}office/`, '[data-count]');
      say(`office app opened afterwards: dashboard at ${s(office.shown)}`);
      await office.page.close();
      results.push({ model: model.name, first: first.shown, floor, again: again.shown, office: office.shown });
    } finally {
      await context.close();
      await link.close();
    }
  }
  for (const model of LINKS) {
    const mine = results.filter((r) => r.model === model.name);
    const median = (key) => {
      const xs = mine.map((r) => r[key]).sort((a, b) => a - b);
      return xs[Math.floor(xs.length / 2)];
    };
    const ratios = mine.map((r) => `${(r.first / r.floor).toFixed(2)}×`).join(', ');
    console.log(`${model.name}, median of ${RUNS} (${MBPS} Mbit/s, ${RTT} ms round trip, CPU ${CPU}× slower, 375 px): `
      + `first row ${s(median('first'))}, floor ${s(median('floor'))} (runs: ${ratios} the floor), `
      + `repeat visit ${s(median('again'))}, office dashboard ${s(median('office'))}`);
  }
} finally {
  await browser.close();
}
