// The edit log as a shared format, in the real app: concurrent edits of one
// field are a conflict on every device whatever the route, a wrong clock in a
// bundle poisons nothing, oversized bundles are refused whole, and an edit of
// a newer version is kept, counted and passed on while its neighbours show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openApp, storedLedger, withApp } from './harness.mjs';

const app = withApp();
const exchange = (context) => openApp(context, `${app.server.url}office/`, '#/exchange');
const choose = (page, selector, name, text) =>
  page.setInputFiles(selector, { name, mimeType: 'application/json', buffer: Buffer.from(text) });
const deviceOf = async (page) => JSON.parse(Object.fromEntries(await storedLedger(page))['indexeddb.state.meta']).device;

/** Exports a bundle to `recipient` (only what is new to them when `since`); returns its text. */
async function exportBundle(page, recipient, since) {
  await page.goto(`${app.server.url}office/#/exchange`);
  await page.getByLabel('交给谁（用于记住已发送的部分）').fill(recipient);
  if (since) await page.getByLabel('只导出上次交给此人之后的修改').check();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出修改包' }).click()]);
  return readFileSync(await download.path(), 'utf8');
}

async function importBundle(page, text) {
  await page.goto(`${app.server.url}office/#/exchange`);
  await choose(page, '#import-bundle', 'bundle.json', text);
  await page.waitForSelector('[data-testid=bundle-preview]');
  await page.getByRole('button', { name: '合并这些修改' }).click();
  await page.waitForSelector('[data-testid=bundle-done]:has-text("已合并")');
}

async function setStage(page, stage) {
  await page.goto(`${app.server.url}#/p/hc-07`);
  await page.getByLabel('阶段').selectOption(stage);
}

/** The conflict on hc-07's stage as the exchange page lists it. */
async function stageConflict(page) {
  await page.goto(`${app.server.url}office/#/exchange`);
  const item = page.locator('[data-testid=conflicts] li[data-conflict=stage][data-subject=hc-07]');
  await item.waitFor({ timeout: 5000 });
  return item.textContent();
}

for (const officeFirst of [true, false]) {
  test(`a stage set on two devices without seeing each other is a conflict on both (${officeFirst ? 'office' : 'phone'} sends first)`, async () => {
    const officeContext = await app.browser.newContext({ acceptDownloads: true });
    const phoneContext = await app.browser.newContext({ acceptDownloads: true, viewport: { width: 375, height: 800 } });
    const office = await openApp(officeContext, app.server.url, '#/p/hc-07');
    const phone = await openApp(phoneContext, app.server.url, '#/p/hc-07');
    // The steward's phone sets 投产; the district office, not having seen it, sets 竣工 and then back to 开工.
    await setStage(phone, 'Producing');
    await setStage(office, 'Completed');
    await setStage(office, 'Started');
    const [first, second] = officeFirst ? [office, phone] : [phone, office];
    await importBundle(second, await exportBundle(first, 'other', false));
    assert.match(await stageConflict(second), /开工.*投产|投产.*开工/s, 'the receiver lists it');
    // The answer comes back as "since last time", carrying the first device's own edits back.
    const reply = await exportBundle(second, 'first', true);
    assert.ok(JSON.parse(reply).edits.length >= 3, 'the reply carries the first device\'s edits back');
    await importBundle(first, reply);
    const listed = await stageConflict(first);
    assert.match(listed, /当前显示：阶段：/);
    assert.match(listed, /开工/);
    assert.match(listed, /投产/);
    for (const device of [await deviceOf(office), await deviceOf(phone)]) {
      assert.match(listed, new RegExp(device), 'each side names its device');
    }
    // Both show the same value, and one click on either device settles it for both.
    const shown = async (page) => { await page.goto(`${app.server.url}#/p/hc-07`); return page.getByLabel('阶段').inputValue(); };
    assert.equal(await shown(office), await shown(phone));
    await office.goto(`${app.server.url}office/#/exchange`);
    await office.locator('[data-testid=conflicts] li[data-conflict=stage]').getByRole('button', { name: '改用此值' }).click();
    await office.waitForSelector('[data-testid=conflicts]', { state: 'detached' });
    await importBundle(phone, await exportBundle(office, 'phone', true));
    assert.equal(await phone.locator('[data-testid=conflicts]').count(), 0, 'settled on the phone too');
    assert.equal(await shown(office), await shown(phone));
    assert.deepEqual([...office.errors, ...phone.errors], []);
    await officeContext.close();
    await phoneContext.close();
  });
}

/** A bundle of hand-written edit texts (numbers stay exact, unlike JSON.stringify of a JS number). */
const bundleOf = (device, edits) =>
  `{"format":"project-ledger-bundle","version":1,"device":"${device}","created":0,"edits":[${edits.join(',')}]}`;

test('edits stamped in year 9999 and at i64::MAX merge, are listed as time anomalies, and never outrank later local edits', async () => {
  const context = await app.browser.newContext();
  const page = await exchange(context);
  const year9999 = 253402300799999;
  await choose(page, '#import-bundle', 'future.json', bundleOf('wrongclock', [
    `{"v":2,"i":"fut1:1","d":"wrongclock","p":"hc-05","t":${year9999},"c":{"Notes":"来自9999年"}}`,
    '{"v":2,"i":"fut1:2","d":"wrongclock","p":"hc-06","t":9223372036854775807,"c":{"Stage":"Producing"}}',
    '{"i":"fut1:3","d":"wrongclock","p":"hc-08","t":-5,"c":{"Notes":"1969年"}}',
    '{"i":"fut1:4","d":"wrongclock","p":"hc-09","t":0,"c":{"Notes":"1970年"}}',
  ]));
  await page.waitForSelector('[data-testid=bundle-preview]');
  await page.getByRole('button', { name: '合并这些修改' }).click();
  await page.waitForSelector('[data-testid=time-anomalies] li');
  assert.equal(await page.locator('[data-testid=time-anomalies] li').count(), 2, 'the two from the future, not 1969 or 1970');
  assert.match(await page.textContent('[data-testid=time-anomalies]'), /wrongclock/);
  // The imported values show…
  await page.goto(`${app.server.url}#/p/hc-05`);
  assert.equal(await page.getByLabel('备注').inputValue(), '来自9999年');
  // …and later local edits of the same fields, and of others, are stored with the real time and win.
  const before = Date.now();
  await page.getByLabel('备注').fill('本机之后写的');
  await page.getByLabel('备注').press('Tab');
  await page.goto(`${app.server.url}#/p/hc-06`);
  await page.getByLabel('阶段').selectOption('Signed');
  await page.goto(`${app.server.url}#/p/hc-10`);
  await page.getByLabel('阶段').selectOption('Listed');
  // Storage takes them a moment after the page shows them.
  let stamps = [];
  for (const end = Date.now() + 3000; stamps.length < 3 && Date.now() < end; await page.waitForTimeout(50)) {
    const stored = Object.fromEntries(await storedLedger(page));
    stamps = (stored['indexeddb.edits'] ?? []).map((text) => JSON.parse(text)).filter((e) => !e.i.startsWith('fut1:')).map((e) => e.t);
  }
  assert.equal(stamps.length, 3, 'every later local edit is stored');
  for (const t of stamps) assert.ok(t >= before - 1000 && t <= Date.now() + 1000, `stamped now, not dragged forward: ${t}`);
  await page.reload();
  await page.goto(`${app.server.url}#/p/hc-05`);
  assert.equal(await page.getByLabel('备注').inputValue(), '本机之后写的', 'a later edit beats one stamped in 9999');
  await page.goto(`${app.server.url}#/p/hc-06`);
  assert.equal(await page.getByLabel('阶段').inputValue(), 'Signed', 'and one stamped at i64::MAX');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a bundle with a device name of six million characters is refused whole, and later edits are stored', async () => {
  const context = await app.browser.newContext();
  const page = await exchange(context);
  const before = await storedLedger(page);
  const huge = 'x'.repeat(6_000_000);
  await choose(page, '#import-bundle', 'huge.json', bundleOf('x', [
    '{"v":2,"i":"ok1:1","d":"fine","p":"hc-01","t":1,"c":{"Notes":"正常"}}',
    `{"v":2,"i":"big1:1","d":"${huge}","p":"hc-01","t":2,"c":{"Notes":"巨大"}}`,
  ]));
  await page.waitForSelector('[data-testid=bundle-error]:has-text("第 2 条修改")');
  assert.match(await page.textContent('[data-testid=bundle-error]'), /第 2 条修改（编号 big1:1）不合规：设备名超过 64 个字符/);
  assert.equal(await page.locator('[data-testid=bundle-preview]').count(), 0);
  assert.deepEqual(await storedLedger(page), before, 'nothing stored');
  await page.goto(`${app.server.url}#/p/hc-01`);
  await page.getByLabel('备注').fill('之后的修改');
  await page.getByLabel('备注').press('Tab');
  await page.reload();
  assert.equal(await page.getByLabel('备注').inputValue(), '之后的修改');
  await context.close();
});

test('an edit of a newer version is kept verbatim, counted on screen, passed on in bundles and backups, and its neighbours show', async () => {
  const unknown = '{"v":7,"i":"nw1:2","d":"newer","p":"hc-01","t":2,"c":{"Teleport":{"to":"月球"}},"a":"王晓明"}';
  const segment = `[{"i":"nw1:1","d":"newer","p":"hc-01","t":1,"c":{"Notes":"新版本旁边的修改"}},${unknown},{"i":"nw1:3","d":"newer","p":"hc-02","t":3,"c":{"Stage":"Signed"}}]`;
  const context = await app.browser.newContext({ acceptDownloads: true });
  await context.addInitScript((raw) => { if (!localStorage.getItem('ledger.v1.log.nw1.0')) localStorage.setItem('ledger.v1.log.nw1.0', raw); }, segment);
  const page = await openApp(context, app.server.url, '#/p/hc-01');
  assert.equal(await page.getByLabel('备注').inputValue(), '新版本旁边的修改');
  assert.match(await page.textContent('[data-testid=unreadable]'), /^1 条修改来自更新的版本，本机无法显示/);
  await page.goto(`${app.server.url}#/p/hc-02`);
  assert.equal(await page.getByLabel('阶段').inputValue(), 'Signed');
  const stored = Object.fromEntries(await storedLedger(page));
  assert.ok(stored['indexeddb.edits'].includes(unknown), 'moved into IndexedDB verbatim');
  assert.equal(Object.keys(stored).filter((k) => k.startsWith('ledger.quarantine.')).length, 0, 'not quarantined');
  const bundle = await exportBundle(page, 'someone', false);
  assert.ok(bundle.includes(unknown), 'the bundle carries it verbatim');

  const other = await app.browser.newContext({ acceptDownloads: true });
  const second = await exchange(other);
  await importBundle(second, bundle);
  assert.match(await second.textContent('[data-testid=unreadable]'), /^1 条修改来自更新的版本/);
  await second.goto(`${app.server.url}#/p/hc-01`);
  assert.equal(await second.getByLabel('备注').inputValue(), '新版本旁边的修改');
  await second.goto(`${app.server.url}office/#/exchange`);
  const [backup] = await Promise.all([second.waitForEvent('download'), second.getByRole('button', { name: '下载完整备份' }).click()]);
  assert.ok(readFileSync(await backup.path(), 'utf8').includes(unknown), 'and so does a backup');
  assert.deepEqual([...page.errors, ...second.errors], []);
  await context.close();
  await other.close();
});
