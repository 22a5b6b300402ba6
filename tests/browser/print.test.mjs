// Printing from the browser: each print view to PDF with page.pdf(), read back
// with pdftotext (Debian's poppler-utils), checked against the registry CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, openApp, storeEdits, withApp } from './harness.mjs';

const app = withApp();
const DISTRICTS = ['海城市', '台安县', '岫岩县', '铁东区', '铁西区', '立山区', '千山区', '鞍山高新区', '鞍山经济开发区'];
const STARTED = ['开工', '竣工', '投产', '达产'];
const NAV = ['项目列表', '区县汇总', '全市排名', '回到列表改筛选', '打印', '新增项目'];

/** data/registry.csv as objects (quoted fields may hold commas). */
function registry() {
  const rows = [];
  for (const line of readFileSync(join(ROOT, 'data/registry.csv'), 'utf8').split('\n').filter(Boolean)) {
    const cells = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) { cells.push(cell); cell = ''; } else cell += c;
    }
    cells.push(cell);
    rows.push(cells);
  }
  const [head, ...body] = rows;
  return body.map((cells) => Object.fromEntries(head.map((h, i) => [h, cells[i] ?? ''])));
}

/** Prints the page to A4 PDF and returns each page's text. */
async function printPages(page) {
  await page.emulateMedia({ media: 'print' });
  const dir = mkdtempSync(join(tmpdir(), 'ledger-print-'));
  const pdf = join(dir, 'out.pdf');
  writeFileSync(pdf, await page.pdf({ format: 'A4', preferCSSPageSize: true }));
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  page.pdfPath = pdf;
  return text.split('\f').filter((p) => p.trim() !== '');
}

test('a district summary prints the district, its counts and no navigation', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, `${app.server.url}office/`, '#/print/districts?d=Haicheng');
  await page.waitForSelector('section.sheet');
  const pages = await printPages(page);
  const all = pages.join('\n');
  const haicheng = registry().filter((r) => r.district === '海城市');
  const started = haicheng.filter((r) => STARTED.includes(r.stage)).length;
  assert.equal(haicheng.length, 10);
  assert.match(pages[0], /海城市 · 重点项目汇总/);
  assert.match(all, new RegExp(`共 ${haicheng.length} 个项目，已开工 ${started} 个`));
  assert.match(all, /截至 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
  assert.match(all, /数据指纹 [0-9a-f]{8}/);
  for (const other of DISTRICTS.slice(1)) assert.ok(!all.includes(`${other} · 重点项目汇总`), `only 海城市, not ${other}`);
  for (const word of NAV) assert.ok(!all.includes(word), `no "${word}" on paper`);
  // Procedure counts, one column per procedure: done as the registry says, done + not done = 10.
  const row = (label) => all.match(new RegExp(`${label}((?:\\s+\\d+){6})`))[1].trim().split(/\s+/).map(Number);
  const done = row('已办');
  const notDone = row('未办');
  const PROCEDURES = ['立项', '土地', '环评', '能评', '规划许可', '施工许可'];
  assert.deepEqual(done, PROCEDURES.map((p) => haicheng.filter((r) => r.procedures_done.split(';').includes(p)).length));
  assert.deepEqual(done.map((d, i) => d + notDone[i]), Array(6).fill(10));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('printing all districts starts each district on a page of its own', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, `${app.server.url}office/`, '#/print/districts');
  await page.waitForSelector('section.sheet');
  const pages = await printPages(page);
  assert.ok(pages.length >= DISTRICTS.length + 1, `${pages.length} pages for 9 districts and the unstated group`);
  const heads = pages.map((p) => p.trim().split('\n')[0]);
  const titles = [...DISTRICTS, '区县未说明'].map((d) => `${d} · 重点项目汇总`);
  // Every page names exactly one district: no page holds two, and a sheet
  // running onto more pages names its district and date atop each.
  pages.forEach((p, n) => assert.equal(titles.filter((title) => p.includes(title)).length, 1, `page ${n + 1}: ${p.slice(0, 80)}`));
  for (const title of titles) {
    const first = heads.findIndex((h) => h.includes(title));
    assert.ok(first >= 0, `${title} heads a page`);
    const on = pages.map((p, n) => (p.includes(title) ? n : -1)).filter((n) => n >= 0);
    assert.deepEqual(on, on.map((_, k) => first + k), `${title}'s pages follow one another from its first`);
  }
  await context.close();
});

test('a 300-character name and long notes stay inside the page', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, `${app.server.url}office/`, '#/');
  const long = '鞍山'.repeat(60) + '超长项目名称测试'.repeat(20) + 'ABCDEFGHIJ'.repeat(2);
  assert.equal([...long].length, 300);
  await storeEdits(page, [
    { d: 't', p: 'hc-03', t: Date.now(), c: { Name: long } },
    { d: 't', p: 'hc-03', t: Date.now() + 1, c: { Notes: '备注'.repeat(400) } },
  ]);
  await page.goto(`${app.server.url}office/#/print/districts?d=Haicheng`);
  await page.reload();
  await page.waitForSelector('section.sheet');
  const pages = await printPages(page);
  // Content-stream order keeps a table cell's lines together (layout mode interleaves columns).
  const raw = execFileSync('pdftotext', ['-raw', page.pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  assert.ok(raw.includes(long), 'the whole name is printed');
  assert.ok(pages.length >= 1);
  const bbox = execFileSync('pdftotext', ['-bbox', page.pdfPath, '-'], { encoding: 'utf8' });
  const xMax = Math.max(...[...bbox.matchAll(/xMax="([\d.]+)"/g)].map((m) => Number(m[1])));
  const pageWidth = Number(bbox.match(/<page width="([\d.]+)"/)[1]);
  assert.ok(pageWidth < 600, 'A4 portrait');
  assert.ok(xMax <= pageWidth - 20, `text ends at ${xMax} pt, inside ${pageWidth} pt less the margin`);
  await context.close();
});

test('the city summary prints the article targets, the scope and the ranking with its rule', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, `${app.server.url}office/`, '#/print/city');
  await page.waitForSelector('[data-testid=ranking]');
  const pages = await printPages(page);
  const all = pages.join('\n');
  for (const target of ['700', '150', '188', '500 亿元']) assert.ok(all.includes(target), target);
  assert.match(all, new RegExp(`共 ${registry().length} 个`));
  assert.match(all, /不是全市项目的全部/);
  // By rates, not by how many projects the newspaper listed; the weighting is said to be the app's.
  const flat = all.replace(/\s+/g, '');
  assert.match(flat, /排序规则：按比率而不按数量比较/);
  assert.match(flat, /各项权重是本应用的设定/);
  const rows = await page.$$eval('[data-testid=ranking] tbody tr', (trs) => trs.map((r) => [r.querySelector('th').textContent, Number(r.lastElementChild.textContent)]));
  assert.deepEqual(rows.map(([d]) => d).sort(), [...DISTRICTS].sort());
  for (let i = 1; i < rows.length; i += 1) assert.ok(rows[i - 1][1] >= rows[i][1], `highest points first: ${JSON.stringify(rows)}`);
  // Equal points share a place, printed 并列; the next place skips the tied ones.
  const places = await page.$$eval('[data-testid=ranking] tbody tr', (trs) => trs.map((r) => [r.querySelector('[data-testid=place]').textContent, r.children[7].textContent]));
  for (let i = 1; i < places.length; i += 1) {
    const [[place, score], [before, scoreBefore]] = [places[i], places[i - 1]];
    if (score === scoreBefore) {
      assert.equal(parseInt(place, 10), parseInt(before, 10), `tied: ${JSON.stringify(places)}`);
      assert.match(place, /（并列）/);
      assert.match(before, /（并列）/);
    } else {
      assert.equal(parseInt(place, 10), i + 1, JSON.stringify(places));
    }
  }
  assert.ok(places.some(([place]) => /并列/.test(place)), `the shipped registry ties districts: ${JSON.stringify(places)}`);
  assert.match(all, /并列/);
  // No district has a record: none earns points for having no overdue blocker.
  const overdue = await page.$$eval('[data-testid=ranking] [data-testid=overdue]', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(overdue, Array(DISTRICTS.length).fill('无记录'));
  assert.match(flat, /记“无记录”、不得分/);
  // The projects whose district the article does not give are named, not dropped without a word.
  const unnamed = registry().filter((r) => !r.district);
  assert.equal(unnamed.length, 5);
  const left = (await page.textContent('[data-testid=unranked]')).replace(/\s+/g, '');
  assert.match(left, /5个项目/);
  for (const p of unnamed) assert.ok(left.includes(p.name.replace(/\s+/g, '')), p.name);
  await context.close();
});

test("a steward's sheet lists the person's projects", async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, `${app.server.url}office/`, '#/');
  await storeEdits(page, [
    { d: 't', p: 'pp', t: Date.now(), c: { SavePerson: { name: '周管家', role: 'ServiceTeam', district: null, unit: '铁西区发改局', phone: '' } } },
    { d: 't', p: 'tx-01', t: Date.now() + 1, c: { Assign: 'pp' } },
    { d: 't', p: 'tx-02', t: Date.now() + 2, c: { Assign: 'pp' } },
    { d: 't', p: 'tx-02', t: Date.now() + 3, c: { OpenBlocker: { description: '供电未接入', level: 'District', unit: '供电公司', opened: '2026-11-20' } } },
  ]);
  await page.goto(`${app.server.url}office/#/people/pp`);
  await page.reload();
  await page.getByTestId('steward-sheet').click();
  await page.waitForSelector('section.sheet');
  const all = (await printPages(page)).join('\n');
  assert.match(all, /周管家 · 包保项目清单/);
  assert.match(all, /2 个项目/);
  assert.match(all, /铁西区发改局\s*\n/, 'no separator after the unit when there is no phone');
  const names = registry().filter((r) => ['tx-01', 'tx-02'].includes(r.id)).map((r) => r.name.slice(0, 8));
  for (const n of names) assert.ok(all.replace(/\s+/g, '').includes(n), n);
  // Each project's light in words, with its reasons, and its open blockers.
  const flat = all.replace(/\s+/g, '');
  assert.equal((flat.match(/[红黄绿]灯/g) ?? []).length - 1, 2, 'a light per project (and the column heading)');
  assert.match(flat, /还没有走访或调度记录/);
  assert.match(flat, /供电未接入/);
  await context.close();
});

test('a visited project with no stage, procedure or planned start prints 待补 with what is missing, never 绿灯', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, `${app.server.url}office/`, '#/');
  const today = await page.evaluate(() => new Date().toISOString().slice(0, 10));
  await storeEdits(page, [
    { d: 't', p: 'hc-02', t: Date.now(), c: { AddRecord: { date: today, kind: 'Visit', who: null, notes: '' } } },
  ]);
  await page.goto(`${app.server.url}office/#/print/districts?d=Haicheng`);
  await page.reload();
  await page.waitForSelector('section.sheet');
  const all = (await printPages(page)).join('\n');
  const row = all.split('\n').find((line) => line.includes('待补'));
  assert.ok(row, `待补 on paper:\n${all}`);
  assert.ok(!/绿灯/.test(all), 'no project of 海城市 is green: none has its basic facts');
  // The dashboard counts it as 待补, and its list opens from there.
  await page.emulateMedia({ media: 'screen' });
  await page.goto(`${app.server.url}office/#/`);
  await page.waitForSelector('[data-count=unknown]');
  assert.equal(await page.textContent('[data-count=unknown] strong'), '1');
  await page.goto(`${app.server.url}#/p/hc-02`);
  await page.waitForSelector('.light-card');
  assert.match(await page.textContent('.light-card'), /待补：未填阶段、手续无任何记录、未填计划开工日期/);
  assert.deepEqual(page.errors, []);
  await context.close();
});
