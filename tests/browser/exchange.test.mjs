// Exchange in the browser: CSV import (GB18030) with preview, bundles between
// two browsers, backup and restore, and files that must change nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, openApp, storedLedger, withApp } from './harness.mjs';

const app = withApp();
const exchangePage = (context) => openApp(context, `${app.server.url}office/`, '#/exchange');

/** Sets a file input to in-memory bytes. */
const choose = (page, selector, name, bytes, mimeType = 'text/csv') =>
  page.setInputFiles(selector, { name, mimeType, buffer: Buffer.from(bytes) });

test('a GB18030 CSV from Chinese Excel previews, then imports with its Chinese intact', async () => {
  const context = await app.browser.newContext();
  const page = await exchangePage(context);
  await choose(page, '#import-csv', 'excel.csv', readFileSync(join(ROOT, 'tests/fixtures/import-gb18030.csv')));
  await page.waitForSelector('[data-testid=import-preview]');
  assert.match(await page.textContent('[data-testid=import-added]'), /鞍山市名录外补录项目/);
  assert.match(await page.textContent('[data-testid=import-updated]'), /海城华宇镁砖.*\n?.*阶段：开工 → 竣工/s, 'old → new');
  assert.match(await page.textContent('[data-testid=unknown-columns]'), /来源说明/);
  assert.deepEqual(await storedLedger(page).then((s) => s.filter(([k, v]) => k.includes('.log.') || (k === 'indexeddb.edits' && v.length > 0))), [], 'nothing stored before applying');
  await page.getByRole('button', { name: '应用导入' }).click();
  await page.waitForSelector('[data-testid=import-done]:has-text("已导入")');
  assert.match(await page.textContent('[data-testid=import-done]'), /^已导入：新增 1 个项目，更新 1 个项目，共 \d+ 项修改/);
  await page.goto(`${app.server.url}#/?q=${encodeURIComponent('名录外补录')}`);
  await page.waitForSelector('[data-project]');
  assert.match(await page.textContent('[data-project]'), /鞍山市名录外补录项目/);
  await page.goto(`${app.server.url}#/p/hc-07`);
  await page.waitForSelector('#stage');
  assert.equal(await page.locator('#stage').inputValue(), 'Completed');
  assert.equal(await page.getByLabel('备注').inputValue(), '天然气管线已接入');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('bad files get a message, change nothing and run nothing', async () => {
  const context = await app.browser.newContext();
  const page = await exchangePage(context);
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await page.evaluate(() => { window.__pwned = 0; });
  const before = await storedLedger(page);
  const random = Buffer.alloc(4096);
  for (let i = 0; i < random.length; i += 1) random[i] = (i * 7919 + 13) % 256;
  const cases = [
    ['#import-csv', 'empty.csv', Buffer.alloc(0), /文件是空的/],
    ['#import-csv', 'random.csv', random, /不是项目台账的CSV/],
    ['#import-csv', 'broken.csv', Buffer.from('编号,项目名称,备注\r\nhc-01,x,"没有闭合\r\n'), /第 2 行有未闭合的引号/],
    ['#import-csv', 'huge.csv', Buffer.alloc(20 * 1024 * 1024, 0x41), /文件过大/],
    ['#import-bundle', 'newer.json', Buffer.from('{"format":"project-ledger-bundle","version":9,"device":"x","created":0,"edits":[]}'), /更新版本的应用/],
    ['#import-bundle', 'random.json', random, /不是本应用导出的修改包/],
    ['#restore-file', 'empty.json', Buffer.alloc(0), /文件是空的/],
  ];
  for (const [input, name, bytes, message] of cases) {
    await choose(page, input, name, bytes);
    const box = { '#import-csv': 'import-error', '#import-bundle': 'bundle-error', '#restore-file': 'restore-error' }[input];
    await page.waitForFunction((id) => document.querySelector(`[data-testid=${id}]`).textContent.length > 0, box);
    assert.match(await page.textContent(`[data-testid=${box}]`), message, name);
  }
  // Script text in a file is shown as text and stored as text, never run.
  const evil = '编号,项目名称,备注\r\nhc-01,"<img src=x onerror=""window.__pwned=1"">",<script>window.__pwned=2</script> <a href="javascript:window.__pwned=3">x</a>\r\n';
  await choose(page, '#import-csv', 'evil.csv', evil);
  await page.waitForSelector('[data-testid=import-preview]');
  assert.match(await page.textContent('[data-testid=import-updated]'), /<img src=x onerror="window.__pwned=1">/);
  assert.equal(await page.locator('[data-testid=import-preview] img, [data-testid=import-preview] script').count(), 0);
  assert.deepEqual(await storedLedger(page), before, 'nothing stored by a preview or a refused file');
  await page.getByRole('button', { name: '应用导入' }).click();
  await page.goto(`${app.server.url}#/p/hc-01`);
  await page.waitForSelector('[data-testid=project-name]');
  assert.match(await page.textContent('[data-testid=project-name]'), /<img src=x/);
  assert.equal(await page.locator('main img').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned ?? 0), 0);
  assert.equal(dialogs, 0);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a merge counts every edit it kept, even edits older than one made here (#30 item 7)', async () => {
  const other = await app.browser.newContext({ acceptDownloads: true });
  const addPerson = async (page, name) => {
    await page.goto(`${app.server.url}office/#/people`);
    await page.locator('#add-person-name').fill(name);
    await page.locator('#add-person-role').selectOption('city');
    await page.getByRole('button', { name: '添加人员' }).click();
    await page.waitForSelector(`table.workload a:text-is("${name}")`);
  };
  const theirs = await openApp(other, app.server.url, '#/p/hc-03');
  await theirs.getByLabel('阶段').selectOption('Started');
  await theirs.getByLabel('备注').fill('对方设备先写的备注');
  await theirs.getByLabel('备注').press('Tab');
  await addPerson(theirs, '先来的市长');
  await theirs.waitForTimeout(20);
  // This device edits the same project and the roster later: the bundle's
  // edits are older (a person's late edit folds the whole log again).
  const mine = await app.browser.newContext();
  const page = await openApp(mine, app.server.url, '#/p/hc-03');
  await page.getByLabel('阶段').selectOption('Signed');
  await page.getByLabel('备注').fill('本机后写的备注');
  await page.getByLabel('备注').press('Tab');
  await addPerson(page, '后来的市长');
  await theirs.goto(`${app.server.url}office/#/exchange`);
  await theirs.getByLabel('交给谁（用于记住已发送的部分）').fill('我');
  const [download] = await Promise.all([theirs.waitForEvent('download'), theirs.getByRole('button', { name: '导出修改包' }).click()]);
  const bundle = readFileSync(await download.path());
  assert.equal(JSON.parse(bundle).edits.length, 3);

  await page.goto(`${app.server.url}office/#/exchange`);
  await choose(page, '#import-bundle', 'bundle.json', bundle, 'application/json');
  await page.waitForSelector('[data-testid=bundle-preview]');
  await page.getByRole('button', { name: '合并这些修改' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=bundle-done]')?.textContent.length > 0);
  assert.equal(await page.textContent('[data-testid=bundle-done]'), '已合并 3 条修改。');
  // All kept: this device's later values show, theirs are in the history.
  await page.goto(`${app.server.url}#/p/hc-03`);
  await page.waitForSelector('#stage');
  assert.equal(await page.locator('#stage').inputValue(), 'Signed');
  await page.waitForFunction(() => /对方设备先写的备注/.test(document.querySelector('.history')?.textContent ?? ''));
  await page.goto(`${app.server.url}office/#/people`);
  await page.waitForSelector('table.workload a:text-is("先来的市长")');
  assert.deepEqual(page.errors, []);
  await other.close();
  await mine.close();
});

test('a bundle from a second browser merges, twice changes nothing, and a conflict can be flipped', async () => {
  const other = await app.browser.newContext({ acceptDownloads: true });
  const theirs = await openApp(other, app.server.url, '#/p/hc-01');
  await theirs.getByLabel('阶段').selectOption('Started');
  await theirs.getByLabel('备注').fill('对方设备的备注');
  await theirs.getByLabel('备注').press('Tab');
  const mine = await app.browser.newContext();
  const page = await openApp(mine, app.server.url, '#/p/hc-01');
  await page.getByLabel('阶段').selectOption('Signed');
  await theirs.waitForTimeout(20);
  // The other device changes the stage later, so its value wins the fold.
  await theirs.getByLabel('阶段').selectOption('Completed');

  await theirs.goto(`${app.server.url}office/#/exchange`);
  await theirs.getByLabel('交给谁（用于记住已发送的部分）').fill('我');
  const [download] = await Promise.all([theirs.waitForEvent('download'), theirs.getByRole('button', { name: '导出修改包' }).click()]);
  assert.match(download.suggestedFilename(), /^项目台账-修改包-.+-\d{4}-\d{2}-\d{2}\.json$/);
  const bundle = readFileSync(await download.path());
  assert.equal(JSON.parse(bundle).edits.length, 3);
  // Counted as sent once the person says the file was saved.
  await theirs.getByRole('button', { name: '已保存' }).click();

  await page.goto(`${app.server.url}office/#/exchange`);
  await choose(page, '#import-bundle', 'bundle.json', bundle, 'application/json');
  await page.waitForSelector('[data-testid=bundle-preview]');
  assert.match(await page.textContent('[data-testid=bundle-preview]'), /共 3 条修改，其中 3 条本机还没有/);
  await page.getByRole('button', { name: '合并这些修改' }).click();
  await page.waitForSelector('[data-testid=conflicts] li');
  assert.match(await page.textContent('[data-testid=conflicts]'), /当前显示：阶段：竣工.*另一个值：阶段：签约/s);
  await page.getByRole('button', { name: '改用此值' }).click();

  await choose(page, '#import-bundle', 'bundle.json', bundle, 'application/json');
  await page.waitForSelector('[data-testid=bundle-preview]');
  assert.match(await page.textContent('[data-testid=bundle-preview]'), /其中 0 条本机还没有/, 'the same bundle again adds nothing');

  await page.goto(`${app.server.url}#/p/hc-01`);
  await page.waitForSelector('#stage');
  assert.equal(await page.locator('#stage').inputValue(), 'Signed', 'flipped back: one more edit');
  assert.equal(await page.getByLabel('备注').inputValue(), '对方设备的备注');

  // A second bundle to the same person carries only what is new.
  await theirs.goto(`${app.server.url}#/p/hc-02`);
  await theirs.getByLabel('阶段').selectOption('Signed');
  await theirs.goto(`${app.server.url}office/#/exchange`);
  await theirs.getByLabel('交给谁（用于记住已发送的部分）').fill('我');
  await theirs.getByLabel('只导出上次交给此人之后的修改').check();
  const [second] = await Promise.all([theirs.waitForEvent('download'), theirs.getByRole('button', { name: '导出修改包' }).click()]);
  assert.equal(JSON.parse(readFileSync(await second.path())).edits.length, 1);
  await other.close();
  await mine.close();
});

test('a full backup restores on a fresh browser after it says what it replaces', async () => {
  const source = await app.browser.newContext({ acceptDownloads: true });
  const page = await openApp(source, app.server.url, '#/p/ta-03');
  await page.getByLabel('阶段').selectOption('LandAcquired');
  await page.goto(`${app.server.url}office/#/exchange`);
  await page.waitForSelector('[data-testid=unexported]');
  assert.match(await page.textContent('[data-testid=unexported]'), /待报送：1 条/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载完整备份' }).click()]);
  const backup = readFileSync(await download.path());
  // Offered is not saved: a browser may refuse a download without a word.
  await page.waitForSelector('[data-testid=saved-yet]');
  assert.match(await page.textContent('[data-testid=unexported]'), /待报送：1 条/, 'not counted before the person says it was saved');
  await page.getByRole('button', { name: '已保存' }).click();
  await page.reload();
  await page.waitForSelector('[data-testid=unexported]');
  assert.match(await page.textContent('[data-testid=unexported]'), /待报送：0 条/, 'the backup carried it');

  const fresh = await app.browser.newContext();
  const target = await openApp(fresh, app.server.url, '#/p/ta-04');
  await target.getByLabel('阶段').selectOption('Planning');
  await target.goto(`${app.server.url}office/#/exchange`);
  await choose(target, '#restore-file', 'backup.json', backup, 'application/json');
  await target.waitForSelector('[data-testid=restore-preview]');
  assert.match(await target.textContent('[data-testid=restore-preview]'), /本机现有 1 条修改.*备份.*中有 1 条修改/);
  await Promise.all([target.waitForEvent('load'), target.getByRole('button', { name: '确认恢复（替换本机数据）' }).click()]);
  await target.goto(`${app.server.url}#/p/ta-03`);
  await target.waitForSelector('#stage');
  assert.equal(await target.locator('#stage').inputValue(), 'LandAcquired');
  await target.goto(`${app.server.url}#/p/ta-04`);
  await target.waitForSelector('#stage');
  assert.equal(await target.locator('#stage').inputValue(), '', 'the local edit was replaced');
  await source.close();
  await fresh.close();
});
