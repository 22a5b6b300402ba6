// The core flows, written once and run in Chromium, Firefox ESR and WebKitGTK
// against the release build (dist/): load, search (镁 and pinyin initials),
// a facet and its URL, an edit kept across reload, an invalid value refused,
// Back to a scrolled list, a steward assigned, a district's printed summary,
// 375 px, and offline after one visit. Each engine has its own server (its own origin, so its own
// storage) and one browser for all its flows, in this order.
// Where an engine cannot do a step, the step says so in the output
// (`# webkit: …`) and checks what it can instead; nothing is skipped.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, registryRows } from '../browser/harness.mjs';
import { serveFolder } from '../../tools/static-server.mjs';
import { ENGINES, Unsupported, open } from './drivers.mjs';

/** Polls `fn(arg)` in the page until it returns something truthy, and returns it. */
async function waitFor(d, what, fn, arg, timeout = 15000) {
  const until = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await d.evaluate(fn, arg);
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`${d.name}: waited ${timeout} ms for ${what}; last: ${last}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

const shownIds = (d) => d.evaluate(() => [...document.querySelectorAll('[data-project]')].map((a) => a.dataset.project));
const hash = (d) => d.evaluate(() => decodeURIComponent(location.hash));
const listShown = (d) => waitFor(d, 'the list', () => document.querySelectorAll('[data-project]').length > 0);

/** Plain text of a PDF, through poppler's pdftotext. */
function pdfText(pdf) {
  const file = join(mkdtempSync(join(tmpdir(), 'ledger-pdf-')), 'sheet.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

for (const engine of ENGINES) {
  describe(engine, () => {
    let d;
    let server;
    let url;
    const said = [];
    /** A step this engine cannot take, said by name in the test output. */
    const say = (t, text) => {
      said.push(text);
      t.diagnostic(`${engine}: ${text}`);
    };

    before(async () => {
      server = await serveFolder(DIST);
      url = server.url;
      d = await open(engine);
    });
    after(async () => {
      await d?.close();
      await server?.close();
    });

    test('load: the list of every shipped project, no errors', async (t) => {
      t.diagnostic(`${engine}: ${d.binaryVersion}`);
      if (d.errorsMissed) say(t, d.errorsMissed);
      await d.goto(`${url}#/`);
      await listShown(d);
      const count = await d.evaluate(() => document.querySelector('[data-testid=project-count]').textContent);
      assert.match(count, new RegExp(`共 ${(await registryRows()).length} 个项目`));
      assert.equal(await d.evaluate(() => document.querySelector('main h1') !== null), true);
      assert.deepEqual(await d.errors(), []);
    });

    test('search: 镁 finds the projects named with it, hcmz finds 海城华宇镁砖 by its initials', async () => {
      await d.goto(`${url}#/`);
      await listShown(d);
      await d.type('input[type=search]', '镁');
      await waitFor(d, 'q=镁 in the URL', () => decodeURIComponent(location.hash).includes('q=镁'));
      const named = (await registryRows()).filter((r) => r.name.includes('镁')).map((r) => r.id);
      await waitFor(d, 'the 镁 results', (n) => document.querySelectorAll('[data-project]').length >= n, named.length);
      const ids = await shownIds(d);
      for (const id of named) assert.ok(ids.includes(id), `${id} is found: ${ids}`);
      await d.type('input[type=search]', 'hcmz');
      await waitFor(d, 'q=hcmz in the URL', () => location.hash.includes('q=hcmz'));
      await waitFor(d, 'hc-07 found', () => !!document.querySelector('[data-project=hc-07]'));
      assert.ok((await shownIds(d)).length <= 5, 'few names have h, c, m, z in order');
      assert.deepEqual(await d.errors(), []);
    });

    test('a facet: 海城市 narrows the list to its 10 projects, in the URL and after reload', async () => {
      await d.goto(`${url}#/`);
      await listShown(d);
      await d.click('input[data-facet][value=Haicheng]');
      await waitFor(d, 'd=Haicheng in the URL', () => location.hash.includes('d=Haicheng'));
      await waitFor(d, '10 projects', () => document.querySelectorAll('[data-project]').length === 10);
      assert.ok((await shownIds(d)).every((id) => id.startsWith('hc-')));
      await d.reload();
      await waitFor(d, '10 projects after reload', () => document.querySelectorAll('[data-project]').length === 10);
      assert.equal(await d.evaluate(() => document.querySelector('input[data-facet][value=Haicheng]').checked), true);
      assert.match(await hash(d), /d=Haicheng/);
    });

    test('an edit is kept across reload', async () => {
      await d.goto(`${url}#/p/hc-07`);
      await waitFor(d, 'the project page', () => document.querySelector('#stage')?.value === 'Started');
      // Empty dates carry the mark that hides what WebKitGTK draws in them (main.css).
      const dates = await d.evaluate(() => [...document.querySelectorAll('.procedure input[type=date]')].map((i) => [i.value, i.hasAttribute('data-empty')]));
      assert.ok(dates.length >= 6, `${dates.length} date fields`);
      for (const [value, marked] of dates) assert.equal(marked, value === '', `a date of "${value}" is ${marked ? '' : 'not '}marked empty`);
      assert.equal(await d.evaluate(() => document.querySelector('#blocker-deadline').hasAttribute('data-empty')), true, 'the blocker form starts with an empty deadline');
      await d.select('#stage', 'Completed');
      await waitFor(d, 'the edit in the history', () => /阶段：竣工/.test(document.querySelector('.history')?.textContent ?? ''));
      await d.reload();
      await waitFor(d, 'the stage after reload', () => document.querySelector('#stage')?.value === 'Completed');
      await d.goto(`${url}#/`);
      await waitFor(d, 'the list row', () => /竣工/.test(document.querySelector('[data-project=hc-07]')?.textContent ?? ''));
    });

    test('an invalid investment is refused with a message, and nothing is stored', async () => {
      await d.goto(`${url}#/p/hc-02`);
      await waitFor(d, 'the project page', () => !!document.querySelector('#investment'));
      const before = await d.evaluate(() => Object.keys(localStorage).sort().map((k) => [k, localStorage.getItem(k)]));
      await d.type('#investment', 'abc');
      await d.press('#investment', 'Tab');
      await waitFor(d, 'the message', () => /请输入数字/.test(document.querySelector('#investment-error')?.textContent ?? ''));
      assert.equal(await d.evaluate(() => document.querySelector('#investment').getAttribute('aria-invalid')), 'true');
      await d.reload();
      await waitFor(d, 'the project page again', () => !!document.querySelector('#investment'));
      assert.equal(await d.evaluate(() => document.querySelector('#investment').value), '', 'nothing was stored');
      const after = await d.evaluate(() => Object.keys(localStorage).sort().map((k) => [k, localStorage.getItem(k)]));
      assert.deepEqual(after.filter(([k]) => k.startsWith('ledger.v1.log')), before.filter(([k]) => k.startsWith('ledger.v1.log')));
    });

    test('a steward: a person added to the roster takes a project, kept across reload', async () => {
      await d.goto(`${url}office/#/people`);
      await waitFor(d, 'the roster form', () => !!document.querySelector('#add-person-name'));
      await d.type('#add-person-name', '王市长');
      await d.press('#add-person-name', 'Tab');
      await d.select('#add-person-role', 'city');
      await d.click('form.person-form button[type=submit]');
      await waitFor(d, '王市长 on the roster', () => [...document.querySelectorAll('table.workload a')].some((a) => a.textContent === '王市长'));
      await d.goto(`${url}#/p/hc-03`);
      await waitFor(d, 'the steward picker', () => document.querySelector('#add-steward')?.options.length > 1);
      const id = await d.evaluate(() => [...document.querySelector('#add-steward').options].find((o) => o.textContent.startsWith('王市长')).value);
      await d.select('#add-steward', id);
      const stewarded = () => [...document.querySelectorAll('main section.card')].some((s) => /包保/.test(s.querySelector('h2')?.textContent ?? '') && /王市长/.test(s.textContent));
      await waitFor(d, '王市长 as steward', stewarded);
      await d.reload();
      await waitFor(d, '王市长 after reload', stewarded);
    });

    test('print: the district summary of 海城市 names its district and date in each sheet heading', async (t) => {
      await d.goto(`${url}office/#/print/districts?d=Haicheng`);
      await waitFor(d, 'the sheet', () => document.querySelectorAll('section.sheet').length === 1);
      const heading = await d.evaluate(() => document.querySelector('section.sheet .sheet-head').textContent);
      const title = await d.evaluate(() => document.querySelector('section.sheet .sheet-head h2').textContent);
      // As a 公文 writes it: 2026年12月7日.
      const day = await d.evaluate(() => { const n = new Date(); return `${n.getFullYear()}年${n.getMonth() + 1}月${n.getDate()}日`; });
      assert.match(title, /^海城市 · /);
      assert.ok(heading.includes(day), `${heading} has ${day}`);
      try {
        const text = pdfText(await d.pdf());
        assert.match(text, /海城华宇镁砖/);
        const pages = text.split('\f').filter((p) => p.trim());
        assert.ok(pages.length >= 2, `海城市's ten projects take ${pages.length} page(s)`);
        // Every page, not only the first, says which district and which day.
        pages.forEach((p, n) => {
          assert.ok(p.replace(/\s+/g, '').includes(title.replace(/\s+/g, '')), `page ${n + 1} says ${title}`);
          assert.ok(p.replace(/\s+/g, '').includes(day), `page ${n + 1} has the date`);
        });
        t.diagnostic(`${engine}: printed to PDF, ${pages.length} pages, each with 海城市 and ${day} (pdftotext)`);
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e;
        say(t, `cannot print to PDF (${e.message}); the print view's page was checked instead`);
      }
    });

    test('Back to the list: the same rows on screen, the opened one where it was', async () => {
      await d.goto(`${url}#/`);
      await listShown(d);
      const onScreen = (href) => d.evaluate((h) => ({
        top: Math.round(document.querySelector(`.results a[href="${h}"]`)?.getBoundingClientRect().top ?? -1),
        rows: [...document.querySelectorAll('.results a[href^="#/p/"]')]
          .filter((a) => { const r = a.getBoundingClientRect(); return r.bottom > 2 && r.top < innerHeight - 2; })
          .map((a) => a.getAttribute('href')).join(' '),
      }), href);
      for (const [depth, back] of [[0.4, 'history'], [0.8, 'link']]) {
        await d.evaluate((f) => scrollTo(0, f * (document.documentElement.scrollHeight - innerHeight)), depth);
        await new Promise((ok) => setTimeout(ok, 200));
        const href = await d.evaluate(() => [...document.querySelectorAll('.results a[href^="#/p/"]')]
          .find((a) => { const r = a.getBoundingClientRect(); return r.top > innerHeight / 3 && r.bottom < innerHeight; })
          ?.getAttribute('href'));
        assert.ok(href, 'a row in the middle of the screen');
        const before = await onScreen(href);
        await d.click(`.results a[href="${href}"]`);
        await waitFor(d, 'the project page', () => !!document.querySelector('[data-testid=project-name]'));
        if (back === 'history') await d.evaluate(() => history.back());
        else await d.evaluate(() => [...document.querySelectorAll('main a')].find((a) => a.textContent.includes('返回列表')).click());
        await waitFor(d, 'the list again', (h) => !!document.querySelector(`.results a[href="${h}"]`), href);
        await new Promise((ok) => setTimeout(ok, 400));
        const after = await onScreen(href);
        assert.equal(after.rows, before.rows, `the rows on screen after ${back}`);
        assert.ok(Math.abs(after.top - before.top) <= 2, `the opened row at ${after.top} px, was ${before.top} px (${back})`);
      }
    });

    test('375 px: no page of the list or a project overflows sideways', async (t) => {
      let frame = false;
      try {
        await d.viewport(375, 740);
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e;
        say(t, `cannot size the window to 375 px (${e.message}); the pages were checked in a 375 px frame instead`);
        frame = true;
      }
      for (const page of ['#/', '#/p/hc-07', 'office/#/']) {
        if (frame) {
          await d.goto(`${url}#/`);
          await listShown(d);
          await d.evaluate((src) => {
            const f = document.createElement('iframe');
            f.id = 'narrow';
            f.style.cssText = 'width:375px;height:740px;border:0;position:fixed;top:0;left:0;z-index:99;background:#fff';
            f.src = src;
            document.body.append(f);
          }, `${url}${page}`);
          const width = await waitFor(d, `${page} in the frame`, () => {
            const doc = document.querySelector('#narrow').contentDocument;
            return doc?.querySelector('main h1') && doc.readyState === 'complete' && [doc.documentElement.clientWidth, doc.documentElement.scrollWidth];
          });
          assert.equal(width[0], 375, 'the frame is 375 px wide');
          assert.ok(width[1] <= 375, `${page} is ${width[1]} px wide`);
        } else {
          await d.goto(`${url}${page}`);
          await waitFor(d, page, () => !!document.querySelector('main h1'));
          const width = await d.evaluate(() => [innerWidth, document.documentElement.scrollWidth]);
          assert.equal(width[0], 375);
          assert.ok(width[1] <= 375, `${page} is ${width[1]} px wide`);
        }
      }
      if (!frame) await d.viewport(1280, 900);
    });

    test('offline: after one visit the app opens with the server gone, edits and all', async () => {
      await d.goto(`${url}#/`);
      await listShown(d);
      await waitFor(d, 'the service worker in control', () => !!navigator.serviceWorker?.controller, undefined, 30000);
      await server.close();
      server = null;
      await d.goto(`${url}#/p/hc-07`);
      await waitFor(d, 'the project page offline', () => document.querySelector('#stage')?.value === 'Completed');
      await d.goto(`${url}#/`);
      await listShown(d);
      assert.deepEqual(await d.errors(), []);
    });
  });
}
