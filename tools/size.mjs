// Prints the gzip -9 size of what a first visit loads (html, js, wasm, css), and
// of what the office app loads when opened, and fails when either is over its budget.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

// Budgets are alarms that catch an accident (a crate linked by mistake, a
// table compiled in twice), not targets to fill: below them, clarity wins
// over bytes. What users feel is time (tests/browser/bench-*.mjs). The
// owners set these ceilings; each app sits well under its own.
// The field app: what a phone loads on its first visit.
const BUDGET_KB = 300;
// The office app, everything it loads when first opened.
const OFFICE_BUDGET_KB = 420;
// The sync engine, loaded by either app only once a server is set.
const ENGINE_BUDGET_KB = 110;
// The spreadsheet module, loaded by the office app only when an .xlsx is
// exported or imported (and never precached): rust_xlsxwriter and calamine
// with their zip and deflate, and encoding_rs's tables, which calamine links
// whole (about 290 KB of the wasm's 1 MB before gzip).
const SHEETS_BUDGET_KB = 520;
const dist = process.argv[2] ?? 'dist';
// Everything the page loads at start: top-level files and wasm-bindgen snippets.
const walk = (dir) => readdirSync(join(dist, dir)).flatMap((f) => {
  const path = join(dir, f);
  return statSync(join(dist, path)).isDirectory() ? walk(path) : [path];
});
// The office app (office/) loads only when an office screen opens, the sync
// engine (engine/) only once a server is set; each is listed apart.
const files = walk('').filter((f) => /\.(html|js|wasm|css)$/.test(f) && f !== 'sw.js');
// A snippet loads only when an app's glue imports it: each build writes the
// snippets of every crate it links (snippets/<crate>-<hash>/), used or not.
const glue = files.filter((f) => /\.js$/.test(f) && !f.includes('snippets')).map((f) => [f, readFileSync(join(dist, f), 'utf8')]);
const part = (f) => (/^(office|engine|sheets)\//.exec(f) ?? [''])[0];
const imported = (snippet) => glue.some(([f, text]) => part(f) === part(snippet)
  && text.includes(snippet.slice(snippet.indexOf('snippets'))));
const loads = files.filter((f) => !f.includes('snippets') || imported(f));
const firstLoad = loads.filter((f) => part(f) === '');
const officeLoad = loads.filter((f) => part(f) === 'office/');
const engineLoad = loads.filter((f) => part(f) === 'engine/');
const sheetsLoad = loads.filter((f) => part(f) === 'sheets/');
const report = (files) => {
  let total = 0;
  for (const file of files) {
    const raw = readFileSync(join(dist, file));
    const gz = gzipSync(raw, { level: 9 }).length;
    total += gz;
    console.log(`${file.padEnd(56)} ${(raw.length / 1024).toFixed(1).padStart(8)} KB raw ${(gz / 1024).toFixed(1).padStart(8)} KB gzip`);
  }
  return total;
};
const office = report(officeLoad);
console.log(`office app (loaded when opened): ${office} bytes gzip -9, ${(office / 1024).toFixed(1)} KB (budget ${OFFICE_BUDGET_KB} KB)`);
const engine = report(engineLoad);
console.log(`sync engine (loaded once a server is set): ${engine} bytes gzip -9, ${(engine / 1024).toFixed(1)} KB (budget ${ENGINE_BUDGET_KB} KB)`);
const sheets = report(sheetsLoad);
console.log(`spreadsheet module (loaded when an .xlsx is exported or imported): ${sheets} bytes gzip -9, ${(sheets / 1024).toFixed(1)} KB (budget ${SHEETS_BUDGET_KB} KB)`);
if (engine === 0 || sheets === 0) {
  console.error(`the ${engine === 0 ? 'sync engine' : 'spreadsheet module'} is missing from the build`);
  process.exit(1);
}
const total = report(firstLoad);
console.log(`first load: ${total} bytes gzip -9`);
console.log(`first load, gzip -9: ${(total / 1024).toFixed(1)} KB (budget ${BUDGET_KB} KB)`);
const over = [[total, BUDGET_KB, 'first load'], [office, OFFICE_BUDGET_KB, 'office app'],
  [engine, ENGINE_BUDGET_KB, 'sync engine'], [sheets, SHEETS_BUDGET_KB, 'spreadsheet module']]
  .filter(([bytes, budget]) => bytes > budget * 1024);
if (over.length > 0) {
  console.error(over.map(([, , what]) => `${what} over budget`).join('; '));
  process.exit(1);
}
