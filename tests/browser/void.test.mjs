// A person voids their own visit record or blocker (#30 item 5): it leaves
// the project's lists and the counts the ranking is built on, stays in the
// history with its reason; someone else's record offers no 作废.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, storeEdits, withApp } from './harness.mjs';

const app = withApp();

/** The day `days` from today in Anshan, as the app dates it. */
const day = (days) => new Date(Date.now() + 8 * 3600 * 1000 + days * 86400000).toISOString().slice(0, 10);

/** The city print's 超期问题 cell of one district. */
async function overdueCell(page, district) {
  await page.goto(`${app.server.url}office/#/print/city`);
  await page.waitForSelector('[data-testid=ranking]');
  return page.$eval('[data-testid=ranking] tbody', (body, name) => {
    const row = [...body.rows].find((r) => r.querySelector('th').textContent === name);
    return row.querySelector('[data-testid=overdue]').textContent;
  }, district);
}

test('a visit voided by the person who recorded it leaves the list and the ranking\'s counts, and stays in history', async () => {
  const context = await app.browser.newContext({ viewport: { width: 375, height: 812 } });
  const page = await openApp(context, app.server.url, '#/');
  // A record from another device, by someone else, on the same project:
  // two months old, so 台安县 has no recent record.
  await storeEdits(page, [{ v: 3, d: 'otherdevice', p: 'ta-01', t: Date.now() - 60000, a: { n: '另一位管家' },
    c: { AddRecord: { date: day(-60), kind: 'Visit', who: null, notes: '别人的走访' } } }]);
  await page.reload();
  assert.equal(await overdueCell(page, '台安县'), '无记录');

  await page.goto(`${app.server.url}#/p/ta-01`);
  await page.getByLabel('情况').fill('我的走访，录重了');
  await page.getByRole('button', { name: '添加记录' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#records li[data-record]').length === 2);
  assert.equal(await overdueCell(page, '台安县'), '0', 'a record this month: compared on overdue blockers');
  await page.goto(`${app.server.url}#/p/ta-01`);
  await page.waitForFunction(() => document.querySelectorAll('#records li[data-record]').length === 2);
  const theirs = page.locator('#records li[data-record]', { hasText: '别人的走访' });
  const mine = page.locator('#records li[data-record]', { hasText: '我的走访' });
  await mine.locator('details.void').waitFor();
  assert.equal(await theirs.locator('details.void').count(), 0, 'no 作废 on someone else\'s record');

  await mine.locator('summary', { hasText: '作废' }).click();
  await mine.getByLabel('作废原因（如录错、重复）').fill('重复录入');
  await mine.getByRole('button', { name: '确认作废' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#records li[data-record]').length === 1);
  assert.match(await page.textContent('#records'), /别人的走访/);
  assert.doesNotMatch(await page.textContent('#records'), /我的走访/);
  await page.waitForFunction(() => /作废了一条记录（原因：重复录入） ← 走访：/.test(document.querySelector('.history')?.textContent ?? ''));
  assert.equal(await overdueCell(page, '台安县'), '无记录', 'the voided visit no longer counts');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a blocker voided by the person who opened it no longer turns the project red', async () => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await openApp(context, app.server.url, '#/p/ta-02');
  await page.getByLabel('问题', { exact: true }).fill('录错项目的问题');
  await page.getByLabel('提出日期').fill('2026-01-05');
  await page.getByRole('button', { name: '记录问题' }).click();
  await page.waitForSelector('.light-card[data-light=red]');
  const blocker = page.locator('#blockers li[data-blocker]');
  await blocker.locator('summary', { hasText: '作废' }).click();
  await blocker.getByRole('button', { name: '确认作废' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#blockers li[data-blocker]').length === 0);
  assert.notEqual(await page.getAttribute('.light-card', 'data-light'), 'red');
  await page.waitForFunction(() => /作废了一条记录 ← 问题：录错项目的问题/.test(document.querySelector('.history')?.textContent ?? ''));
  assert.deepEqual(page.errors, []);
  await context.close();
});
