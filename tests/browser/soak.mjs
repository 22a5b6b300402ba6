// Reliability soak: seeded random sequences of edit / instant reload / close
// tab / second tab / offline reload / close during the move from localStorage
// / restore with a second tab, in headless Chromium, optionally with the CPU
// throttled (a slow phone). After each sequence every acknowledged edit must
// be in storage and on screen, and every moved edit there exactly once.
//   node tests/browser/soak.mjs [sequences=1000] [seed=1] [cpu slowdown=1]   (after `bash tools/build.sh`;
//   DIST=folder soaks another build)
// tools/test.sh runs a shorter soak at both speeds.
import { readFileSync } from 'node:fs';
import { launch, startServer, storedLedger } from './harness.mjs';

const SEQUENCES = Number(process.argv[2] ?? 1000);
let seed = Number(process.argv[3] ?? 1) >>> 0;
const SLOWDOWN = Number(process.argv[4] ?? 1);
const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const pick = (xs) => xs[Math.floor(random() * xs.length)];
const PROJECTS = ['hc-01', 'hc-05', 'hc-07', 'ta-02', 'xy-03', 'td-01', 'tx-04', 'ls-02', 'qs-03', 'gx-05', 'jk-06', 'wz-03'];

let server = await startServer(0, process.env.DIST);
const port = server.port;
const browser = await launch();
const context = await browser.newContext({ acceptDownloads: true });
// DevTools' CPU throttling, page by page: as slow as a cheap phone.
const slow = async (page) => {
  if (SLOWDOWN > 1) await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: SLOWDOWN });
  return page;
};
const moved = new Set();
const acknowledged = new Map();
let counter = 0;
let lost = 0;
let leftOpen = 0;
const kinds = {};

/**
 * Closes a tab as a person would, its pagehide handlers run. A tab still
 * loading may ignore that and stay open (running on at the slowed speed
 * beside every later step), so one not closed by then is closed outright.
 */
async function closeTab(tab) {
  const closed = tab.waitForEvent('close', { timeout: 2000 * SLOWDOWN }).catch(() => {});
  await tab.close({ runBeforeUnload: true });
  await closed;
  if (!tab.isClosed()) {
    leftOpen += 1;
    await tab.close();
  }
}

async function open(project) {
  const page = await slow(await context.newPage());
  await page.goto(`http://127.0.0.1:${port}/#/p/${project}`);
  await page.waitForSelector('#notes');
  return page;
}

/** Edits a project's notes; once the change handler has run, the edit is acknowledged. */
async function edit(page, project) {
  await page.goto(`http://127.0.0.1:${port}/#/p/${project}`);
  await page.waitForSelector('#notes');
  const value = `soak-${(counter += 1)}`;
  await page.fill('#notes', value);
  await page.press('#notes', 'Tab');
  acknowledged.set(project, value);
  return value;
}

/** Last-writer-wins Notes per project, and how often each id is held, read straight from the stored log. */
async function storedNotes(page) {
  const texts = Object.fromEntries(await storedLedger(page))['indexeddb.edits'] ?? [];
  const edits = texts.map((t) => JSON.parse(t));
  edits.sort((a, b) => (a.t - b.t) || (a.i < b.i ? -1 : a.i > b.i ? 1 : 0));
  const notes = {};
  const held = new Map();
  for (const e of edits) {
    held.set(e.i, (held.get(e.i) ?? 0) + 1);
    if (e.c && typeof e.c === 'object' && 'Notes' in e.c) notes[e.p] = e.c.Notes;
  }
  return { notes, held };
}

/** The first release's store with a few edits of its own (on a project the other steps leave alone). */
function oldStore(n) {
  const writer = `old${n}`;
  const edits = [1, 2, 3].map((j) => ({ i: `${writer}:${j}`, d: 'olddevice', p: 'hc-02', t: n * 10 + j, c: { Notes: `moved-${n}-${j}` } }));
  for (const e of edits) moved.add(e.i);
  return { [`ledger.v1.log.${writer}.0`]: JSON.stringify(edits) };
}

/** A full backup of what this device holds, downloaded from the office app. */
async function backup(page) {
  await page.goto(`http://127.0.0.1:${port}/office/#/exchange`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载完整备份' }).click()]);
  return readFileSync(await download.path());
}

let page = await open(PROJECTS[0]);
const started = Date.now();
for (let sequence = 1; sequence <= SEQUENCES; sequence += 1) {
  const kind = pick(['edit', 'instant reload', 'close tab', 'second tab', 'offline reload', 'close during migration', 'restore with a second tab']);
  kinds[kind] = (kinds[kind] ?? 0) + 1;
  const project = pick(PROJECTS);
  if (kind === 'edit') {
    await edit(page, project);
  } else if (kind === 'instant reload') {
    await edit(page, project);
    await page.reload();
  } else if (kind === 'close tab') {
    await edit(page, project);
    await closeTab(page);
    page = await open(project);
  } else if (kind === 'second tab') {
    const second = await open(project);
    await edit(second, project);
    await closeTab(second);
  } else if (kind === 'close during migration') {
    // Old segments appear (as if the first release wrote them); the tab that
    // moves them closes after a random moment, and the next one finishes.
    await page.evaluate((values) => { for (const [k, v] of Object.entries(values)) localStorage.setItem(k, v); }, oldStore(sequence));
    const mover = await slow(await context.newPage());
    mover.goto(`http://127.0.0.1:${port}/#/p/${project}`).catch(() => {});
    await mover.waitForTimeout(Math.floor(random() * 400));
    await closeTab(mover);
    await closeTab(page);
    page = await open(project);
    await edit(page, project);
  } else if (kind === 'restore with a second tab') {
    // A backup of everything, restored in a second tab while this one is open:
    // this one must write nothing back, and nothing acknowledged is lost.
    const file = await backup(page);
    await page.goto(`http://127.0.0.1:${port}/#/p/${project}`);
    await page.waitForSelector('#notes');
    const restorer = await slow(await context.newPage());
    await restorer.goto(`http://127.0.0.1:${port}/office/#/exchange`);
    await restorer.setInputFiles('#restore-file', { name: 'backup.json', mimeType: 'application/json', buffer: file });
    await restorer.waitForSelector('[data-testid=restore-preview]');
    await Promise.all([restorer.waitForEvent('load'), restorer.getByRole('button', { name: '确认恢复（替换本机数据）' }).click()]);
    await page.waitForFunction(() => /另一窗口已用备份替换了本机数据/.test(document.querySelector('.status')?.textContent ?? ''));
    await restorer.close();
    await page.reload();
    await page.waitForSelector('#notes');
    await edit(page, project);
  } else {
    await server.close();
    await page.reload();
    await page.waitForSelector('#notes');
    await edit(page, project);
    await page.reload();
    server = await startServer(port, process.env.DIST);
  }
  await page.waitForSelector('#notes');
  // Storage commits a moment after the page shows an edit.
  let stored;
  for (const end = Date.now() + 5000 * SLOWDOWN; ; await page.waitForTimeout(50)) {
    stored = await storedNotes(page);
    const missing = [...acknowledged].some(([p, value]) => stored.notes[p] !== value) || [...moved].some((i) => stored.held.get(i) !== 1);
    if (!missing || Date.now() > end) break;
  }
  for (const [p, value] of acknowledged) {
    if (stored.notes[p] !== value) {
      lost += 1;
      console.log(`sequence ${sequence} (${kind}): ${p} stored ${JSON.stringify(stored.notes[p])}, acknowledged ${value}`);
    }
  }
  for (const i of moved) {
    if (stored.held.get(i) !== 1) {
      lost += 1;
      console.log(`sequence ${sequence} (${kind}): moved edit ${i} held ${stored.held.get(i) ?? 0} times`);
    }
  }
  // And on screen, for the project this sequence touched (the first page may have
  // to learn of a second tab's edit through the storage event).
  await page.goto(`http://127.0.0.1:${port}/#/p/${project}`);
  await page.waitForSelector('#notes');
  const shown = await page.waitForFunction((v) => document.querySelector('#notes')?.value === v, acknowledged.get(project), { timeout: 3000 * SLOWDOWN })
    .then(() => true, () => false);
  if (!shown) {
    lost += 1;
    console.log(`sequence ${sequence} (${kind}): ${project} not shown as ${acknowledged.get(project)}`);
  }
  if (sequence % 100 === 0) console.log(`${sequence} sequences, ${lost} lost so far`);
}
console.log(`soak${SLOWDOWN > 1 ? ` (CPU ${SLOWDOWN}× slower)` : ''}: ${SEQUENCES} sequences (${Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(', ')}), ${counter} acknowledged edits, ${lost} lost, ${leftOpen} tabs closed outright, ${((Date.now() - started) / 1000).toFixed(0)} s`);
await browser.close();
await server.close();
process.exit(lost === 0 ? 0 : 1);
