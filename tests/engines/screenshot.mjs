// Screenshots of one page in one engine, for looking at: node screenshot.mjs ENGINE HASH OUT.png [WIDTH]
// (WebKitGTK needs a display: run it under xvfb-run.)
import { writeFileSync } from 'node:fs';
import { serveFolder } from '../../tools/static-server.mjs';
import { DIST } from '../browser/harness.mjs';
import { open } from './drivers.mjs';

const [engine, hash, out, width = '1280'] = process.argv.slice(2);
const server = await serveFolder(DIST);
const d = await open(engine);
try {
  await d.viewport(Number(width), 900).catch((e) => console.error(String(e)));
  await d.goto(`${server.url}${hash}`);
  await new Promise((ok) => setTimeout(ok, 1500));
  writeFileSync(out, await d.screenshot());
  console.log(`${engine} ${hash} → ${out}`);
} finally {
  await d.close();
  await server.close();
}
