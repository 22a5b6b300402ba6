// .xlsx out and in through the office app: the workbook it downloads comes
// back unchanged, a LibreOffice-saved one imports, a bad one changes nothing,
// and the spreadsheet module (a wasm of its own) loads only when used and
// then works offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch, openApp, startServer, storedLedger, withApp } from './harness.mjs';

const app = withApp();
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const choose = (page, name, buffer) => page.setInputFiles('#import-csv', { name, mimeType: XLSX, buffer });
const sheetsRequested = (page) => {
  const seen = [];
  page.on('request', (r) => { if (/\/sheets\//.test(r.url())) seen.push(r.url()); });
  return seen;
};

// Text a round trip through a spreadsheet could change.
const TRICKY = "=1+1 '撇号 ";

test('the downloaded workbook re-imports as unchanged here and carries its text to another device', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, app.server.url, '#/p/hc-07');
  await page.getByLabel('备注').fill(TRICKY);
  await page.getByLabel('备注').blur();
  await page.goto(`${app.server.url}office/#/exchange?d=Haicheng`);
  const requested = sheetsRequested(page);
  await page.getByText('将导出项目列表当前筛选出的 10 个项目').waitFor();
  assert.deepEqual(requested, [], 'the spreadsheet module is not loaded before it is needed');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出Excel（.xlsx）' }).click()]);
  assert.match(download.suggestedFilename(), /^项目台账-海城市-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'a zip, as .xlsx is');
  await page.getByText(/已导出 项目台账-海城市-.*\.xlsx：10 个项目/).waitFor();
  assert.ok(requested.some((u) => u.endsWith('_bg.wasm')), 'the module loaded on export');

  await choose(page, 'back.xlsx', bytes);
  await page.waitForSelector('[data-testid=import-preview]');
  assert.match(await page.textContent('[data-testid=import-preview]'), /将新增 0[\s\S]*将更新 0[\s\S]*10 行与台账相同/);
  assert.equal(await page.getByRole('button', { name: '应用导入' }).isDisabled(), true);
  assert.deepEqual(page.errors, []);

  // Another device (its own storage) takes the workbook: hc-07's note arrives exactly.
  const other = await app.browser.newContext();
  const desk = await openApp(other, `${app.server.url}office/`, '#/exchange');
  await choose(desk, 'from-haicheng.xlsx', bytes);
  await desk.waitForSelector('[data-testid=import-preview]');
  assert.match(await desk.textContent('[data-testid=import-updated]'), /海城华宇镁砖/);
  await desk.getByRole('button', { name: '应用导入' }).click();
  await desk.waitForSelector('[data-testid=import-done]:has-text("已导入")');
  assert.match(await desk.textContent('[data-testid=import-done]'), /^已导入：新增 0 个项目，更新 1 个项目，共 1 项修改；9 行与台账相同，不变。$/);
  await desk.goto(`${app.server.url}#/p/hc-07`);
  await desk.waitForSelector('#stage');
  assert.equal(await desk.getByLabel('备注').inputValue(), TRICKY);
  assert.deepEqual(desk.errors, []);
  await other.close();
  await context.close();
});

test('a workbook LibreOffice saved imports; a damaged one or an old .xls changes nothing', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, `${app.server.url}office/`, '#/exchange');
  const before = await storedLedger(page);
  for (const [name, bytes] of [
    ['damaged.xlsx', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)])],
    ['old.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), Buffer.alloc(200)])],
  ]) {
    await choose(page, name, bytes);
    await page.waitForFunction(() => document.querySelector('[data-testid=import-error]').textContent.length > 0);
    assert.match(await page.textContent('[data-testid=import-error]'), /无法读取这个 Excel 文件/, name);
    assert.equal(await page.locator('[data-testid=import-preview]').count(), 0);
  }
  assert.deepEqual(await storedLedger(page), before, 'nothing stored');

  await choose(page, 'resaved.xlsx', readFileSync(join(ROOT, 'tests/fixtures/libreoffice-resaved.xlsx')));
  await page.waitForSelector('[data-testid=import-preview]');
  const updated = await page.textContent('[data-testid=import-updated]');
  assert.match(updated, /总投资（万元）：（空） → 12600\.5/);
  assert.match(await page.textContent('[data-testid=import-preview]'), /包保市级领导/, 'read-only columns are named as ignored');
  await page.getByRole('button', { name: '应用导入' }).click();
  await page.waitForSelector('[data-testid=import-done]:has-text("已导入")');
  await page.goto(`${app.server.url}#/p/hc-04`);
  await page.waitForSelector('#stage');
  assert.equal(await page.getByLabel('备注').inputValue(), '=1+1', 'formula-like text stays text');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('once used online, the spreadsheet module works with the server gone', async () => {
  const server = await startServer();
  const browser = await launch();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}office/#/exchange`);
    await page.waitForFunction(() => navigator.serviceWorker?.controller, null, { timeout: 15000 });
    const cached = () => page.evaluate(async () => (await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => r.url)))).flat().filter((u) => u.includes('/sheets/')));
    assert.deepEqual(await cached(), [], 'not precached: a phone never downloads it');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出Excel（.xlsx）' }).click()]);
    const bytes = readFileSync(await download.path());
    assert.ok((await cached()).some((u) => u.endsWith('.wasm')), 'cached once used');
    await server.close();
    await page.reload();
    await page.waitForSelector('#import-csv');
    await choose(page, 'offline.xlsx', bytes);
    await page.waitForSelector('[data-testid=import-preview]');
    assert.match(await page.textContent('[data-testid=import-preview]'), /51 行与台账相同/);
    await context.close();
  } finally {
    await browser.close();
    await server.close().catch(() => {});
  }
});
