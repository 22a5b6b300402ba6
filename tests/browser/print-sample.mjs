// A printed sample for looking at, not a test: seeds example stewards (named
// 示例…, never shipped) and prints the print views to PDF in OUT_DIR.
//   node tests/browser/print-sample.mjs OUT_DIR     then: pdftoppm -png -r 60 OUT_DIR/districts.pdf OUT_DIR/page
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, startServer, storeEdits } from './harness.mjs';

const out = process.argv[2] ?? 'tests/browser/artifacts';
mkdirSync(out, { recursive: true });
const server = await startServer();
const browser = await launch();
try {
  const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await page.goto(`${server.url}office/#/`);
  await page.waitForSelector('main h1');
  const t = Date.now();
  const person = (p, name, role, district) => ({ d: 's', p, t, c: { SavePerson: { name, role, district, unit: '', phone: '' } } });
  const edits = [
    person('s-city', '示例市领导', 'CityLeader', null),
    person('s-party', '示例书记', 'DistrictParty', 'Haicheng'),
    person('s-team', '示例管家', 'ServiceTeam', 'Haicheng'),
  ];
  for (const [i, id] of ['hc-01', 'hc-02', 'hc-07', 'hc-08'].entries()) {
    edits.push({ d: 's', p: id, t: t + 10 + i * 3, c: { Assign: 's-city' } });
    edits.push({ d: 's', p: id, t: t + 11 + i * 3, c: { Assign: 's-team' } });
    if (i < 2) edits.push({ d: 's', p: id, t: t + 12 + i * 3, c: { Assign: 's-party' } });
  }
  edits.push({ d: 's', p: 'hc-07', t: t + 40, c: { Responsible: 's-team' } });
  await storeEdits(page, edits);
  for (const [name, hash] of [['districts', '#/print/districts'], ['haicheng', '#/print/districts?d=Haicheng'], ['city', '#/print/city'], ['steward', '#/print/people/s-team']]) {
    await page.goto(`${server.url}office/${hash}`);
    await page.reload();
    await page.waitForSelector('section.sheet');
    await page.emulateMedia({ media: 'print' });
    writeFileSync(join(out, `${name}.pdf`), await page.pdf({ format: 'A4', preferCSSPageSize: true }));
    await page.emulateMedia({ media: 'screen' });
    console.log(join(out, `${name}.pdf`));
  }
} finally {
  await browser.close();
  await server.close();
}
