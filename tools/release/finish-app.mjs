// trunk post_build hook, for each of the four release builds (tools/build.sh):
// makes that build's own files ready to ship, in its staging folder. Debug
// builds (the development server) are left as they are. The apps are put
// together and given the service worker afterwards (tools/release/assemble.mjs).
//   1. JS classes a dependency exports and no app uses, gone from the wasm
//      and its glue (drop-unused.mjs);
//   2. every JS file minified with terser: trunk's own minifier cannot parse
//      wasm-bindgen's output (it stops at `export { … as default }`);
//   3. wasm-bindgen's long import and export names made short (slim-glue.mjs);
//   4. the page's integrity hashes following the new bytes, and its
//      modulepreload links kept only for the snippets its own glue imports
//      (trunk preloads every snippet of the crate: the other apps' too).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';
import { dropUnused } from './drop-unused.mjs';
import { slimGlue } from './slim-glue.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('run me as a trunk hook');
if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const walk = (dir) => readdirSync(dir).flatMap((f) => {
  const path = join(dir, f);
  return statSync(path).isDirectory() ? walk(path) : [path];
});
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const pagePath = join(staging, 'index.html');
let page = readFileSync(pagePath, 'utf8');
const wasmOpt = new URL('../node_modules/.bin/wasm-opt', import.meta.url).pathname;

/** Rewrites each wasm and its glue with `step`, and the page's hashes after them. */
const eachWasm = (step) => {
  for (const wasmPath of walk(staging).filter((f) => f.endsWith('_bg.wasm'))) {
    const jsPath = wasmPath.replace(/_bg\.wasm$/, '.js');
    const [wasm, js] = [readFileSync(wasmPath), readFileSync(jsPath)];
    const [newWasm, newJs] = step(wasm, js.toString('utf8'));
    writeFileSync(wasmPath, newWasm);
    writeFileSync(jsPath, newJs);
    page = page.replaceAll(sri(wasm), sri(newWasm)).replaceAll(sri(js), sri(Buffer.from(newJs)));
  }
};

eachWasm((wasm, js) => dropUnused(wasm, js, wasmOpt));
for (const path of walk(staging).filter((f) => f.endsWith('.js'))) {
  const before = readFileSync(path);
  const { code } = await minify(before.toString('utf8'), { module: true, compress: true, mangle: true });
  writeFileSync(path, code);
  page = page.replaceAll(sri(before), sri(code));
}
eachWasm(slimGlue);
const glue = readdirSync(staging).filter((f) => f.endsWith('.js'))
  .map((f) => readFileSync(join(staging, f), 'utf8')).join('\n');
page = page.replace(/<link [^>]*?href="?\.\/(snippets\/[^ ">]+)"?[^>]*?rel="?modulepreload"?[^>]*>/g,
  (link, snippet) => (glue.includes(snippet) ? link : ''));
writeFileSync(pagePath, page);
