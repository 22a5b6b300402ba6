// Entry on a phone (#30 item 6): a record's free text is several lines;
// Enter makes a new line and never submits half a note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, storeEdits, withApp } from './harness.mjs';

const app = withApp();

test('Enter in 情况 adds a line; the record keeps both lines and is added only by its button', async () => {
  const context = await app.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await openApp(context, app.server.url, '#/p/hc-05');
  const notes = page.getByLabel('情况');
  await notes.click();
  await page.keyboard.type('设备进场');
  await page.keyboard.press('Enter');
  await page.keyboard.type('协调用电');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('[data-record]').count(), 0, 'Enter saved nothing');
  assert.equal(await notes.inputValue(), '设备进场\n协调用电');
  await page.getByRole('button', { name: '添加记录' }).click();
  await page.waitForSelector('[data-record]');
  // Shown on two lines, as typed.
  // (Its own 作废 follows the note.)
  const lines = await page.locator('[data-record]').evaluate((li) => li.innerText.split('\n').map((l) => l.trim()).filter((l) => l && l !== '作废'));
  assert.deepEqual(lines.slice(-2), ['设备进场', '协调用电']);
  // The blocker's description is several lines too.
  await page.getByLabel('问题', { exact: true }).click();
  await page.keyboard.type('用电未接入');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('[data-blocker]').count(), 0, 'Enter opened no blocker');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the project page has a row of jump links near the top to the forms a phone scrolls far for', async () => {
  const context = await app.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await openApp(context, app.server.url, '#/p/hc-06');
  const jump = page.getByRole('navigation', { name: '跳到' });
  const top = await jump.evaluate((nav) => nav.getBoundingClientRect().top + scrollY);
  assert.ok(top < 400, `near the top: ${top} px`);
  assert.equal(await jump.evaluate((nav) => nav.getBoundingClientRect().height < 50), true, 'one row at 375 px');
  for (const [label, target] of [['记走访', '#records'], ['记问题', '#blockers'], ['手续', '#procedures'], ['包保', '#stewards']]) {
    await page.evaluate(() => scrollTo(0, 0));
    await jump.getByRole('button', { name: label }).click();
    await page.waitForFunction((sel) => {
      const r = document.querySelector(sel).getBoundingClientRect();
      return r.top >= -2 && r.top < innerHeight / 2;
    }, target);
  }
  // The forms are far down a phone's page: the jump is what saves the scroll.
  assert.ok(await page.locator('#blockers').evaluate((s) => s.getBoundingClientRect().top + scrollY) > 1000);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the header keeps its height at 375 px in every state the device can be in without a server', async () => {
  const context = await app.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await openApp(context, app.server.url, '#/p/hc-07');
  const header = () => page.locator('header.top').evaluate((h) => h.getBoundingClientRect().height);
  const status = () => page.textContent('[data-testid=sync-status]');
  await page.waitForFunction(() => document.querySelector('[data-testid=hand-over]'));
  const heights = {};
  heights[await status()] = await header();
  // Edits waiting to be handed over: 1, then 12 (two digits).
  const notes = page.getByLabel('备注');
  for (let n = 1; n <= 12; n += 1) {
    await notes.fill(`第 ${n} 次`);
    await notes.press('Tab');
    await page.waitForFunction((k) => new RegExp(`待报送 ${k} 条`).test(document.querySelector('[data-testid=sync-status]')?.textContent ?? ''), n);
    if (n === 1 || n === 12) heights[await status()] = await header();
  }
  // Offline, with them still waiting: the longest line the header says here.
  await context.setOffline(true);
  await page.waitForFunction(() => /离线/.test(document.querySelector('[data-testid=sync-status]')?.textContent ?? ''));
  heights[await status()] = await header();
  await context.setOffline(false);
  const values = Object.values(heights);
  assert.equal(Object.keys(heights).length, 4, JSON.stringify(heights));
  assert.ok(values.every((h) => h === values[0]), `one height in every state: ${JSON.stringify(heights)}`);
  // The status stays whole: nothing of it is cut off.
  assert.equal(await page.locator('[data-testid=sync-status]').evaluate((s) => s.scrollWidth <= s.clientWidth + 1), true);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('Back from a project (the browser\'s, or ← 返回列表) puts the list where it was scrolled, 10 of 10 times', async () => {
  const context = await app.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await openApp(context, app.server.url, '#/');
  await page.waitForSelector('.results a[href^="#/p/"]');
  // A steward who uses the app has put the first screen's welcome away.
  await page.getByRole('button', { name: '知道了，不再显示' }).click();
  const tries = [];
  for (let i = 0; i < 10; i += 1) {
    const room = await page.evaluate(() => document.documentElement.scrollHeight - innerHeight);
    const y = Math.round(300 + (i * (room - 400)) / 9);
    await page.evaluate((to) => scrollTo(0, to), y);
    await page.waitForTimeout(50);
    // The project row in the middle of the screen, as a thumb would tap it.
    const link = await page.evaluateHandle(() => [...document.querySelectorAll('.results a[href^="#/p/"]')]
      .find((a) => { const r = a.getBoundingClientRect(); return r.top > innerHeight / 3 && r.bottom < innerHeight; }));
    const id = await link.evaluate((a) => a.getAttribute('href'));
    // Where the screen stood: its rows and the tapped one's place on it. The
    // scroll offset itself may differ after: rows far from the screen are
    // laid out only when near it, at an estimated height meanwhile.
    const onScreen = (tapped) => page.evaluate((href) => ({
      top: Math.round(document.querySelector(`.results a[href="${href}"]`).getBoundingClientRect().top),
      // Rows more than 2 px on screen: the place may move by that much.
      rows: [...document.querySelectorAll('.results a[href^="#/p/"]')]
        .filter((a) => { const r = a.getBoundingClientRect(); return r.bottom > 2 && r.top < innerHeight - 2; })
        .map((a) => a.getAttribute('href')).join(' '),
    }), tapped);
    const before = await onScreen(id);
    await link.click();
    await page.waitForSelector('[data-testid=project-name]');
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(100);
    if (i % 2 === 0) await page.goBack();
    else await page.getByRole('link', { name: '← 返回列表' }).click();
    await page.waitForSelector(`.results a[href="${id}"]`);
    await page.waitForTimeout(300);
    const after = await onScreen(id);
    const visible = await page.$eval(`.results a[href="${id}"]`, (a) => { const r = a.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; });
    tries.push({ by: i % 2 === 0 ? 'Back' : '返回列表', before, after, visible });
  }
  const kept = tries.filter((t) => Math.abs(t.after.top - t.before.top) <= 2 && t.after.rows === t.before.rows && t.visible).length;
  assert.equal(kept, 10, JSON.stringify(tries));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('我的项目 is titled so and shows the person\'s projects first, search and filters folded away', async () => {
  const context = await app.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await openApp(context, app.server.url, '#/');
  const details = { name: '孙管家', role: 'ServiceTeam', district: 'Haicheng', unit: '', phone: '' };
  await storeEdits(page, [
    { d: 'x', p: 'person-sun', t: 1, c: { SavePerson: details } },
    { d: 'x', p: 'hc-03', t: 2, c: { Assign: 'person-sun' } },
    { d: 'x', p: 'hc-06', t: 3, c: { Assign: 'person-sun' } },
  ]);
  await page.evaluate(() => localStorage.setItem('ledger.v1.me', 'person-sun'));
  await page.goto(`${app.server.url}#`);
  await page.reload();
  await page.waitForSelector('.results a[href^="#/p/"]');
  assert.equal(await page.textContent('h1.page-title'), '我的项目');
  assert.equal(await page.getAttribute('[data-testid=nav-mine]', 'aria-current'), 'page', 'the menu says where the person is');
  const rows = await page.$$eval('.results a[href^="#/p/"]', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(rows.sort(), ['#/p/hc-03', '#/p/hc-06']);
  // The first project is the first thing under the title: search, facets and the tools wait.
  const search = page.getByRole('searchbox');
  assert.equal(await search.isVisible(), false, 'search folded away');
  const first = await page.locator('.results a[href^="#/p/"]').first().boundingBox();
  assert.ok(first.y < 740, `the first project on the first screen: y=${first.y}`);
  for (const tool of ['导出Excel（.xlsx）', '全选']) {
    const control = page.getByRole('button', { name: tool });
    if (await control.count()) {
      const box = await control.first().boundingBox();
      assert.ok(box.y > first.y, `${tool} below the projects`);
    }
  }
  await page.getByText('查找与筛选').click();
  assert.equal(await search.isVisible(), true);
  // The whole list is still one tap away, under its own title.
  await page.getByRole('link', { name: '项目列表' }).click();
  await page.waitForFunction(() => document.querySelector('h1.page-title')?.textContent === '项目列表');
  assert.equal(await page.getByRole('searchbox').isVisible(), true);
  assert.deepEqual(page.errors, []);
  await context.close();
});
