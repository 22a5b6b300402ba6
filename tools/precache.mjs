// trunk post_build hook: in release builds of the field app, copies the office
// app (built first by tools/build.sh into target/office-dist) to office/, writes
// sw.js with the list of every file of both (trunk hashes their names, so the
// list is never written by hand) and adds the service-worker registration to
// both index.html files. Debug builds (the development server) get none of it;
// the office app's own build is left as it is (this hook finishes it).
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { minify } from 'terser';
import { dropUnused } from './drop-unused.mjs';
import { slimGlue } from './slim-glue.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('run me as a trunk hook');
if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);
const input = process.env.TRUNK_HTML_FILE ?? '';
if (['office.html', 'engine.html', 'sheets.html'].some((page) => input.endsWith(page))) process.exit(0);

const walk = (dir) => readdirSync(dir).flatMap((f) => {
  const path = join(dir, f);
  return statSync(path).isDirectory() ? walk(path) : [path];
});
const tools = new URL('.', import.meta.url).pathname;
// The registration script, minified: its comments are for this repository.
const registrationSource = readFileSync(join(tools, 'sw-register.html'), 'utf8').match(/<script>([\s\S]*)<\/script>/)[1];
const registration = async (worker) => {
  const source = registrationSource.replace("register('./sw.js')", `register('${worker}')`);
  if (!source.includes(worker)) throw new Error('sw-register.html no longer registers ./sw.js');
  return `<script>${(await minify(source, { compress: true, mangle: true })).code}</script>`;
};
const office = new URL('../target/office-dist/', import.meta.url).pathname;
if (!existsSync(join(office, 'index.html'))) {
  throw new Error('the office app is not built: run `bash tools/build.sh` for release builds');
}
cpSync(office, join(staging, 'office'), { recursive: true });
// The sync engine: its script, wasm and snippets; its page is only trunk's input.
const engine = new URL('../target/engine-dist/', import.meta.url).pathname;
if (!existsSync(join(engine, 'sync-engine.js'))) {
  throw new Error('the sync engine is not built: run `bash tools/build.sh` for release builds');
}
cpSync(engine, join(staging, 'engine'), { recursive: true, filter: (from) => !from.endsWith('index.html') });
// The spreadsheet module, likewise (the office app imports it when an .xlsx is exported or imported).
const sheets = new URL('../target/sheets-dist/', import.meta.url).pathname;
if (!existsSync(join(sheets, 'ledger-sheets.js'))) {
  throw new Error('the spreadsheet module is not built: run `bash tools/build.sh` for release builds');
}
cpSync(sheets, join(staging, 'sheets'), { recursive: true, filter: (from) => !from.endsWith('index.html') && !from.includes('snippets') });

// trunk's own JS minifier cannot parse wasm-bindgen's output (it stops at
// `export { … as default }`) and ships it unminified: terser does it here, and
// the integrity hashes in both index.html files follow the new bytes.
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const pages = ['index.html', 'office/index.html'].map((page) => [page, readFileSync(join(staging, page), 'utf8')]);
// JS classes a dependency exports and no app uses, gone from each wasm and its glue (tools/drop-unused.mjs).
const wasmOpt = join(tools, 'node_modules/.bin/wasm-opt');
for (const wasmPath of walk(staging).filter((f) => f.endsWith('_bg.wasm'))) {
  const jsPath = wasmPath.replace(/_bg\.wasm$/, '.js');
  const [wasm, js] = [readFileSync(wasmPath), readFileSync(jsPath)];
  const [lean, leanJs] = dropUnused(wasm, js.toString('utf8'), wasmOpt);
  writeFileSync(wasmPath, lean);
  writeFileSync(jsPath, leanJs);
  for (const page of pages) page[1] = page[1].replaceAll(sri(wasm), sri(lean)).replaceAll(sri(js), sri(Buffer.from(leanJs)));
}
for (const path of walk(staging).filter((f) => f.endsWith('.js'))) {
  const before = readFileSync(path);
  const { code } = await minify(before.toString('utf8'), { module: true, compress: true, mangle: true });
  writeFileSync(path, code);
  for (const page of pages) page[1] = page[1].replaceAll(sri(before), sri(code));
}
// Each app's wasm and its glue, with wasm-bindgen's long names made short (tools/slim-glue.mjs).
for (const wasmPath of walk(staging).filter((f) => f.endsWith('_bg.wasm'))) {
  const jsPath = wasmPath.replace(/_bg\.wasm$/, '.js');
  const [wasm, js] = [readFileSync(wasmPath), readFileSync(jsPath)];
  const [shortWasm, shortJs] = slimGlue(wasm, js.toString('utf8'));
  writeFileSync(wasmPath, shortWasm);
  writeFileSync(jsPath, shortJs);
  for (const page of pages) page[1] = page[1].replaceAll(sri(wasm), sri(shortWasm)).replaceAll(sri(js), sri(shortJs));
}
// trunk preloads every snippet of the crate in both pages: the other app's and
// the engine's too, which a phone would then fetch at its first visit. Only the
// snippets the page's own glue imports keep their preload (all are precached).
for (const page of pages) {
  const folder = dirname(join(staging, page[0]));
  const glue = readdirSync(folder).filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(folder, f), 'utf8')).join('\n');
  page[1] = page[1].replace(/<link [^>]*?href="?\.\/(snippets\/[^ ">]+)"?[^>]*?rel="?modulepreload"?[^>]*>/g,
    (link, snippet) => (glue.includes(snippet) ? link : ''));
}
for (const [page, html] of pages) writeFileSync(join(staging, page), html);
const register = (page, script) => {
  const path = join(staging, page);
  writeFileSync(path, readFileSync(path, 'utf8').replace('</head>', `${script}</head>`));
};
register('index.html', await registration('./sw.js'));
// The worker lives at the top, so its scope covers office/ too.
register('office/index.html', await registration('../sw.js'));

const files = walk(staging).filter((f) => !f.endsWith('sw.js')).map((f) => relative(staging, f)).sort();
const hash = createHash('sha256');
for (const f of files) hash.update(f).update(readFileSync(join(staging, f)));
const version = hash.digest('hex').slice(0, 16);
const url = (f) => `./${f.split('\\').join('/')}`;
// The spreadsheet module is cached when first used, not at install: a phone
// never exports a workbook, and it is larger than both apps together.
const lazy = (f) => f.startsWith('sheets');
const urls = files.filter((f) => !lazy(f)).map(url);
const sw = readFileSync(join(tools, 'sw-template.js'), 'utf8')
  .replace('__VERSION__', version)
  .replace('__FILES__', JSON.stringify(urls, null, 2))
  .replace('__WHEN_USED__', JSON.stringify(files.filter(lazy).map(url), null, 2));
writeFileSync(join(staging, 'sw.js'), sw);
console.log(`sw.js: version ${version}, ${urls.length} files precached, ${files.length - urls.length} cached when first used`);
