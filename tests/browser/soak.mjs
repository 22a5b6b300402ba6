// Reliability soak (not a CI test): seeded random sequences of edit / instant
// reload / close tab / second tab / offline reload in headless Chromium. After
// each sequence every acknowledged edit must be in storage and on screen.
//   node tests/browser/soak.mjs [sequences=1000] [seed=1]   (after `bash tools/build.sh`)
import { launch, startServer } from './harness.mjs';

const SEQUENCES = Number(process.argv[2] ?? 1000);
let seed = Number(process.argv[3] ?? 1) >>> 0;
const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const pick = (xs) => xs[Math.floor(random() * xs.length)];
const PROJECTS = ['hc-01', 'hc-05', 'hc-07', 'ta-02', 'xy-03', 'td-01', 'tx-04', 'ls-02', 'qs-03', 'gx-05', 'jk-06', 'wz-03'];

let server = await startServer();
const port = server.port;
const browser = await launch();
const context = await browser.newContext();
const acknowledged = new Map();
let counter = 0;
let lost = 0;
const kinds = {};

async function open(project) {
  const page = await context.newPage();
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

/** Last-writer-wins Notes per project, read straight from the stored log. */
function storedNotes(page) {
  return page.evaluate(() => {
    const edits = Object.keys(localStorage).filter((k) => k.startsWith('ledger.v1.log.')).flatMap((k) => {
      try { return JSON.parse(localStorage.getItem(k)); } catch { return []; }
    });
    edits.sort((a, b) => (a.t - b.t) || (a.i < b.i ? -1 : a.i > b.i ? 1 : 0));
    const notes = {};
    for (const e of edits) if (e.c && typeof e.c === 'object' && 'Notes' in e.c) notes[e.p] = e.c.Notes;
    return notes;
  });
}

let page = await open(PROJECTS[0]);
const started = Date.now();
for (let sequence = 1; sequence <= SEQUENCES; sequence += 1) {
  const kind = pick(['edit', 'instant reload', 'close tab', 'second tab', 'offline reload']);
  kinds[kind] = (kinds[kind] ?? 0) + 1;
  const project = pick(PROJECTS);
  if (kind === 'edit') {
    await edit(page, project);
  } else if (kind === 'instant reload') {
    await edit(page, project);
    await page.reload();
  } else if (kind === 'close tab') {
    await edit(page, project);
    await page.close({ runBeforeUnload: true });
    page = await open(project);
  } else if (kind === 'second tab') {
    const second = await open(project);
    await edit(second, project);
    await second.close({ runBeforeUnload: true });
  } else {
    await server.close();
    await page.reload();
    await page.waitForSelector('#notes');
    await edit(page, project);
    await page.reload();
    server = await startServer(port);
  }
  await page.waitForSelector('#notes');
  const stored = await storedNotes(page);
  for (const [p, value] of acknowledged) {
    if (stored[p] !== value) {
      lost += 1;
      console.log(`sequence ${sequence} (${kind}): ${p} stored ${JSON.stringify(stored[p])}, acknowledged ${value}`);
    }
  }
  // And on screen, for the project this sequence touched (the first page may have
  // to learn of a second tab's edit through the storage event).
  await page.goto(`http://127.0.0.1:${port}/#/p/${project}`);
  await page.waitForSelector('#notes');
  const shown = await page.waitForFunction((v) => document.querySelector('#notes')?.value === v, acknowledged.get(project), { timeout: 3000 })
    .then(() => true, () => false);
  if (!shown) {
    lost += 1;
    console.log(`sequence ${sequence} (${kind}): ${project} not shown as ${acknowledged.get(project)}`);
  }
  if (sequence % 100 === 0) console.log(`${sequence} sequences, ${lost} lost so far`);
}
console.log(`soak: ${SEQUENCES} sequences (${Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(', ')}), ${counter} acknowledged edits, ${lost} lost, ${((Date.now() - started) / 1000).toFixed(0)} s`);
await browser.close();
await server.close();
process.exit(lost === 0 ? 0 : 1);
