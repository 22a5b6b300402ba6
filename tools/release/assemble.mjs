// The last release step (tools/build.sh runs it after the four trunk builds):
// puts the office app, the sync engine and the spreadsheet module under the
// field app's dist/, writes sw.js with the list of every file (trunk hashes
// their names, so the list is never written by hand) and adds the service
// worker's registration to both apps' pages.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { minify } from 'terser';

const root = new URL('../../', import.meta.url).pathname;
const dist = join(root, 'dist');
const here = new URL('.', import.meta.url).pathname;
const walk = (dir) => readdirSync(dir).flatMap((f) => {
  const path = join(dir, f);
  return statSync(path).isDirectory() ? walk(path) : [path];
});

/** Copies a built app from target/ to dist/`to`, but what `skip` says. */
const place = (built, marker, to, skip = () => false) => {
  const from = join(root, 'target', built);
  if (!existsSync(join(from, marker))) throw new Error(`${built} is not built: run \`bash tools/build.sh\``);
  cpSync(from, join(dist, to), { recursive: true, filter: (path) => !skip(path) });
};
if (!existsSync(join(dist, 'index.html'))) throw new Error('the field app is not built: run `bash tools/build.sh`');
place('office-dist', 'index.html', 'office');
// The engine's and the spreadsheet module's pages are only trunk's input.
place('engine-dist', 'sync-engine.js', 'engine', (path) => path.endsWith('index.html'));
place('sheets-dist', 'ledger-sheets.js', 'sheets', (path) => path.endsWith('index.html') || path.includes('snippets'));

// The registration script, minified: its comments are for this repository.
const registrationSource = readFileSync(join(here, 'sw-register.html'), 'utf8').match(/<script>([\s\S]*)<\/script>/)[1];
const register = async (page, worker) => {
  const source = registrationSource.replace("register('./sw.js')", `register('${worker}')`);
  if (!source.includes(worker)) throw new Error('sw-register.html no longer registers ./sw.js');
  const script = `<script>${(await minify(source, { compress: true, mangle: true })).code}</script>`;
  const path = join(dist, page);
  writeFileSync(path, readFileSync(path, 'utf8').replace('</head>', `${script}</head>`));
};
await register('index.html', './sw.js');
// The worker lives at the top, so its scope covers office/ too.
await register('office/index.html', '../sw.js');

const files = walk(dist).filter((f) => !f.endsWith('sw.js')).map((f) => relative(dist, f)).sort();
const hash = createHash('sha256');
for (const f of files) hash.update(f).update(readFileSync(join(dist, f)));
const version = hash.digest('hex').slice(0, 16);
const url = (f) => `./${f.split('\\').join('/')}`;
// The spreadsheet module is cached when first used, not at install: a phone
// never exports a workbook, and it is larger than both apps together.
const lazy = (f) => f.startsWith('sheets');
const urls = files.filter((f) => !lazy(f)).map(url);
const sw = readFileSync(join(here, 'sw-template.js'), 'utf8')
  .replace('__VERSION__', version)
  .replace('__FILES__', JSON.stringify(urls, null, 2))
  .replace('__WHEN_USED__', JSON.stringify(files.filter(lazy).map(url), null, 2));
writeFileSync(join(dist, 'sw.js'), sw);
console.log(`sw.js: version ${version}, ${urls.length} files precached, ${files.length - urls.length} cached when first used`);
