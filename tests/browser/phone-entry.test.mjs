// Entry on a phone (#30 item 6): a record's free text is several lines;
// Enter makes a new line and never submits half a note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, withApp } from './harness.mjs';

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
  const lines = await page.locator('[data-record]').evaluate((li) => li.innerText.split('\n').map((l) => l.trim()).filter(Boolean));
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
