// The pictures: lights and shares by district on the dashboard and in the
// ranking print, each an SVG drawn from the numbers of the table beside it,
// readable without colour, hidden from screen readers (the table says it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, withApp } from './harness.mjs';

const app = withApp();

/** Each chart table's rows as numbers, and what the SVG before it says and draws per row. */
const charts = (page) => page.$$eval('table[data-chart]', (tables) => tables.map((table) => {
  const svg = table.previousElementSibling;
  const rows = [...table.tBodies[0].rows].map((tr) => [tr.cells[0].textContent, [...tr.cells].slice(1).map((td) => parseInt(td.textContent, 10))]);
  const texts = svg?.tagName === 'svg' ? [...svg.querySelectorAll(':scope > text')].map((t) => t.textContent) : [];
  // The bars, by the row (y) they are on, after the key.
  const bars = svg?.tagName === 'svg' ? [...svg.querySelectorAll(':scope > rect')].map((r) => ({
    y: Number(r.getAttribute('y')), width: Number(r.getAttribute('width')), series: r.getAttribute('class'),
    fill: getComputedStyle(r).fill, stroke: getComputedStyle(r).stroke, dashes: getComputedStyle(r).strokeDasharray,
  })) : [];
  return { kind: table.dataset.chart, hidden: svg?.getAttribute('aria-hidden'), rows, texts, bars };
}));

test('the dashboard draws lights and shares by district from its tables, and redraws when the scope changes', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, `${app.server.url}office/`, '#/');
  await page.waitForSelector('[data-testid=pictures] svg.chart');
  const [lights, shares] = await charts(page);
  assert.equal(lights.kind, 'stack');
  assert.equal(lights.hidden, 'true', 'screen readers read the table instead');
  assert.equal(lights.rows.length, 10, 'nine districts and 区县未说明');
  // Every project once, and the same totals as the dashboard's own light counts.
  const counted = await page.$$eval('[data-count]', (links) => links.map((a) => Number(a.querySelector('strong').textContent)));
  const summed = [0, 1, 2, 3].map((i) => lights.rows.reduce((sum, [, n]) => sum + n[i], 0));
  assert.deepEqual(summed, counted);
  assert.equal(summed.reduce((a, b) => a + b), 51);
  // Each row's words at the bar's end say its numbers, so paper without colour still reads.
  for (const [name, [red, yellow, unknown, green]] of lights.rows) {
    assert.ok(lights.texts.includes(name), name);
    assert.ok(lights.texts.includes(`红${red} 黄${yellow} 待${unknown} 绿${green}`), `${name}: ${lights.texts.join('|')}`);
  }
  // Bars scaled to the district with the most projects (190 units), stacked.
  const keyEnds = 4 + 12;
  const rows = new Map();
  for (const bar of lights.bars.filter((b) => b.y > keyEnds)) rows.set(bar.y, (rows.get(bar.y) ?? 0) + bar.width);
  const totals = lights.rows.map(([, n]) => n[0] + n[1] + n[2] + n[3]);
  const most = Math.max(...totals);
  assert.deepEqual([...rows.values()].map((w) => Math.round(w / 190 * most)), totals.filter((t) => t > 0));
  // Told apart without colour: dark; light with a dashed edge; white with a solid edge.
  const style = (series) => lights.bars.find((b) => b.series === series);
  const grey = (colour) => { const [r, g, b] = colour.match(/\d+/g).map(Number); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  assert.ok(grey(style('red').fill) < 80, `red is dark on paper: ${style('red').fill}`);
  assert.ok(grey(style('yellow').fill) > 150 && style('yellow').dashes !== 'none', `yellow is light, dashed: ${JSON.stringify(style('yellow'))}`);
  assert.equal(style('green').fill, 'rgb(255, 255, 255)', 'green is white');
  assert.ok(style('green').stroke !== 'none' && style('green').dashes === 'none', 'with a solid edge');

  assert.equal(shares.kind, 'share');
  for (const [name, [started, procedures]] of shares.rows) {
    assert.ok(shares.texts.includes(name), name);
    assert.ok(shares.texts.includes(`${started}%`) && shares.texts.includes(`${procedures}%`), name);
  }
  const widths = shares.bars.filter((b) => b.y > keyEnds).map((b) => b.width);
  const percents = shares.rows.flatMap(([, n]) => n).filter((n) => n > 0);
  assert.deepEqual(widths, percents.map((p) => Math.round(p * 190 / 100)));

  // A district office's scope: the tables and the charts with them show that district alone.
  await page.selectOption('#office-district', { label: '海城市' });
  await page.waitForFunction(() => document.querySelector('table[data-chart=stack] tbody').rows.length === 1);
  await page.waitForFunction(() => document.querySelector('table[data-chart=stack]').previousElementSibling.querySelectorAll(':scope > text').length === 4 + 2);
  const [scoped] = await charts(page);
  assert.deepEqual(scoped.rows.map(([name]) => name), ['海城市']);
  assert.ok(scoped.texts.includes('海城市') && !scoped.texts.includes('台安县'));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the ranking print carries both pictures onto paper', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, `${app.server.url}office/`, '#/print/city');
  await page.waitForSelector('section.sheet svg.chart');
  assert.equal(await page.locator('section.sheet svg.chart').count(), 2);
  await page.emulateMedia({ media: 'print' });
  const dir = mkdtempSync(join(tmpdir(), 'ledger-pictures-'));
  const pdf = join(dir, 'city.pdf');
  writeFileSync(pdf, await page.pdf({ format: 'A4', preferCSSPageSize: true }));
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  assert.match(text, /各区县红黄绿灯/);
  assert.match(text, /各区县已开工占比与手续办结率/);
  // The chart's own words (drawn text, not only the table's cells) reach the paper.
  const [lights] = await charts(page);
  const [name, [red, yellow, unknown, green]] = lights.rows[0];
  assert.ok(text.includes(`红${red} 黄${yellow} 待${unknown} 绿${green}`), `${name}'s bar words on paper`);
  assert.deepEqual(page.errors, []);
  await context.close();
});
