// Screenshots of the release build for looking at, not a test:
//   node tests/browser/screenshot.mjs OUT_DIR [hash ...]
// Each hash is shot at 375 px and 1280 px wide (FULL=1: the whole page).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, startServer } from './harness.mjs';

const [out = 'tests/browser/artifacts', ...hashes] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const server = await startServer();
const browser = await launch();
try {
  for (const width of [375, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: width === 375 ? 740 : 900 }, deviceScaleFactor: 1, locale: 'zh-CN' });
    const page = await context.newPage();
    for (const hash of hashes.length ? hashes : ['#/', '#/p/hc-07', 'office/#/']) {
      await page.goto(server.url + hash);
      await page.waitForSelector('main h1');
      const name = `${hash.replace(/[^a-z0-9-]+/gi, '_') || 'root'}-${width}.png`;
      await page.screenshot({ path: join(out, name), fullPage: process.env.FULL === '1' });
      console.log(join(out, name));
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
