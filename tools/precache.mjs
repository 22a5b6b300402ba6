// trunk post_build hook: in release builds, writes sw.js with the list of every
// file of the build (trunk hashes their names, so the list is never written by
// hand) and adds the service-worker registration to index.html. Debug builds
// (the development server) get neither.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('run me as a trunk hook');
if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const walk = (dir) => readdirSync(dir).flatMap((f) => {
  const path = join(dir, f);
  return statSync(path).isDirectory() ? walk(path) : [path];
});
const tools = new URL('.', import.meta.url).pathname;
const registration = readFileSync(join(tools, 'sw-register.html'), 'utf8');
const indexPath = join(staging, 'index.html');
writeFileSync(indexPath, readFileSync(indexPath, 'utf8').replace('</head>', `${registration}</head>`));

const files = walk(staging).filter((f) => !f.endsWith('sw.js')).map((f) => relative(staging, f)).sort();
const hash = createHash('sha256');
for (const f of files) hash.update(f).update(readFileSync(join(staging, f)));
const version = hash.digest('hex').slice(0, 16);
const urls = files.map((f) => `./${f.split('\\').join('/')}`);
const sw = readFileSync(join(tools, 'sw-template.js'), 'utf8')
  .replace('__VERSION__', version)
  .replace('__FILES__', JSON.stringify(urls, null, 2));
writeFileSync(join(staging, 'sw.js'), sw);
console.log(`sw.js: version ${version}, ${urls.length} files precached`);
