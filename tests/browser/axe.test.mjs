// Accessibility, measured: axe-core (npm) on every screen of both apps, at
// 375 px and 1280 px, on screen and as printed, with a ledger that has a
// steward, a blocker and a visit so every part of a page is drawn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { openApp, storeEdits, withApp } from './harness.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const app = withApp();

const FIELD = ['#/', '#/?d=Haicheng&st=Started', '#/p/hc-02', '#/sync'];
const OFFICE = ['#/', '#/people', '#/people/s-1', '#/blockers', '#/blockers/gen0%3A4', '#/agenda', '#/changes',
  '#/rules', '#/exchange', '#/new', '#/sync'];
const PRINTED = ['#/print/districts?d=Haicheng', '#/print/city', '#/print/people/s-1', '#/agenda', '#/blockers/gen0%3A4', '#/changes'];

/** axe-core's violations on the page as it is now: rule, impact, and where. */
async function violations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

for (const width of [375, 1280]) {
  test(`axe-core finds no violations on any screen at ${width} px, print views included`, async () => {
    const context = await app.browser.newContext({ viewport: { width, height: 900 } });
    const page = await openApp(context, app.server.url, '#/');
    const t = Date.now();
    await storeEdits(page, [
      { d: 't', p: 's-1', t, c: { SavePerson: { name: '孙管家', role: 'CityLeader', district: 'Haicheng', unit: '市发改委', phone: '' } } },
      { d: 't', p: 'hc-02', t: t + 1, c: { Assign: 's-1' } },
      { d: 't', p: 'hc-02', t: t + 2, c: { AddRecord: { date: '2024-03-01', kind: 'Visit', who: 's-1', notes: '现场走访' } } },
      { d: 't', p: 'hc-02', t: t + 3, c: { OpenBlocker: { description: '用地指标未落实', level: 'District', unit: '自然资源局', opened: '2024-03-01' } } },
    ]);
    const found = [];
    const check = async (url, hash, selector, print = false) => {
      await page.goto(url + hash);
      await page.reload();
      await page.waitForSelector(selector);
      await page.waitForTimeout(100);
      if (print) await page.emulateMedia({ media: 'print' });
      for (const v of await violations(page)) found.push(`${print ? 'print ' : ''}${hash}: ${v}`);
      if (print) await page.emulateMedia({ media: 'screen' });
    };
    for (const hash of FIELD) await check(app.server.url, hash, 'main h1');
    for (const hash of OFFICE) await check(`${app.server.url}office/`, hash, 'main h1, main h2');
    for (const hash of PRINTED) await check(`${app.server.url}office/`, hash, 'section.sheet', true);
    assert.deepEqual(found, []);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
}

test('at 375 px every control is at least 44 × 44 px to a thumb, on every screen', async () => {
  const context = await app.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await openApp(context, app.server.url, '#/');
  const t = Date.now();
  await storeEdits(page, [
    { d: 't', p: 's-1', t, c: { SavePerson: { name: '孙管家', role: 'CityLeader', district: 'Haicheng', unit: '市发改委', phone: '' } } },
    { d: 't', p: 'hc-02', t: t + 1, c: { Assign: 's-1' } },
    { d: 't', p: 'hc-02', t: t + 2, c: { AddRecord: { date: '2024-03-01', kind: 'Visit', who: 's-1', notes: '现场走访' } } },
    { d: 't', p: 'hc-02', t: t + 3, c: { OpenBlocker: { description: '用地指标未落实', level: 'District', unit: '自然资源局', opened: '2024-03-01' } } },
  ]);
  const small = [];
  const screens = [...FIELD.map((h) => h), ...OFFICE.map((h) => `office/${h}`)];
  for (const hash of screens) {
    await page.goto(app.server.url + hash);
    await page.reload();
    await page.waitForSelector('main h1, main h2');
    await page.waitForTimeout(100);
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    const found = await page.evaluate(() => [...document.querySelectorAll('a, button, input, select, summary, textarea')].filter((e) => {
      const r = e.getBoundingClientRect();
      if (!r.width || !r.height || getComputedStyle(e).visibility === 'hidden') return false;
      // A control inside its label: the label is what a thumb hits.
      const label = e.closest('label') ?? (e.id && document.querySelector(`label[for="${e.id}"]`));
      if (label && e.tagName === 'INPUT') {
        const l = label.getBoundingClientRect();
        if (l.height >= 44 && l.width >= 44) return false;
      }
      // Links inside running text keep the line's height (WCAG 2.5.8's inline exception).
      if (e.tagName === 'A' && [...e.parentElement.childNodes].some((n) => n !== e && n.nodeType === 3 && n.textContent.trim())) return false;
      return r.width < 44 || r.height < 44;
    }).map((e) => `${e.tagName.toLowerCase()} "${(e.textContent || e.value || '').trim().slice(0, 12)}" ${Math.round(e.getBoundingClientRect().width)}×${Math.round(e.getBoundingClientRect().height)}`));
    for (const f of new Set(found)) small.push(`${hash}: ${f}`);
  }
  assert.deepEqual(small, []);
  assert.deepEqual(page.errors, []);
  await context.close();
});
