// Samples for looking at (and the README's pictures), not a test: seeds example
// stewards, a visit and a blocker (named 示例…, never shipped), prints the print
// views (summaries, ranking, steward's sheet, agenda, blockers, 督办单, digest) to PDF and takes a screenshot of the dashboard, all in OUT_DIR.
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
  const day = (n) => new Date(t + n * 86_400_000).toISOString().slice(0, 10);
  edits.push({ d: 's', p: 'hc-07', t: t + 41, c: { AddRecord: { date: day(-2), kind: 'Visit', who: 's-team', notes: '示例：设备调试' } } });
  edits.push({ d: 's', p: 'hc-02', t: t + 42, c: { OpenBlocker: { description: '示例：施工用电未接入', level: 'District', unit: '供电公司', opened: day(-9) } } });
  edits.push({ d: 's', p: 'hc-02', t: t + 43, c: { PlannedStart: day(-20) } });
  await storeEdits(page, edits);
  // The blocker's id is the id of the edit that opened it (storeEdits numbers them gen0:1, …).
  const blocker = `gen0%3A${edits.findIndex((e) => e.c.OpenBlocker) + 1}`;
  for (const [name, hash] of [['districts', '#/print/districts'], ['haicheng', '#/print/districts?d=Haicheng'], ['city', '#/print/city'],
    ['steward', '#/print/people/s-team'], ['agenda', '#/agenda?d=Haicheng'], ['blockers', '#/blockers'], ['supervision', `#/blockers/${blocker}`],
    ['changes', `#/changes?date=${day(-30)}`]]) {
    await page.goto(`${server.url}office/${hash}`);
    await page.reload();
    await page.waitForSelector('section.sheet');
    await page.emulateMedia({ media: 'print' });
    writeFileSync(join(out, `${name}.pdf`), await page.pdf({ format: 'A4', preferCSSPageSize: true }));
    await page.emulateMedia({ media: 'screen' });
    console.log(join(out, `${name}.pdf`));
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${server.url}office/#/`);
  await page.waitForSelector('[data-testid=campaign]');
  await page.screenshot({ path: join(out, 'dashboard.png') });
  console.log(join(out, 'dashboard.png'));
} finally {
  await browser.close();
  await server.close();
}
