// Sync through CouchDB, in the browser: a device is a browser context (its
// own storage and cookies) with the office app open, where sync runs, and
// the field app beside it, where people edit (one storage: each folds the
// other's edits). The server is the in-memory test server in both flavours
// (tests/server/couch.mjs), set up by server/couchdb/setup.mjs.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openApp, startServer } from './harness.mjs';
import { startCouch } from '../server/couch.mjs';
import { setup } from '../../server/couchdb/setup.mjs';
import { generate } from './generate.mjs';

const PASSWORD = 'example-pw';
const DB = 'project-ledger';

const statusText = (page) => page.textContent('[data-testid=sync-status]');
/** The header's status line asks for the person's attention (red). */
const urgent = (page) => page.$eval('[data-testid=sync-status]', (e) => e.classList.contains('urgent'));

/**
 * Every edit the sync page says it downloaded, new here or held already
 * (the field app's tab may have stored some first): "已下载 N 条（另有 M 条本机已有）"
 * or "下载的 M 条本机均已有".
 */
function pulledTotal(details) {
  const some = details.match(/已下载 (\d+) 条(?:（另有 (\d+) 条本机已有）)?/);
  const held = details.match(/下载的 (\d+) 条本机均已有/);
  return some ? Number(some[1]) + Number(some[2] ?? 0) : held ? Number(held[1]) : 0;
}

async function waitStatus(page, pattern, timeout = 10000) {
  try {
    await page.waitForFunction((source) => new RegExp(source).test(document.querySelector('[data-testid=sync-status]')?.textContent ?? ''),
      pattern.source, { timeout });
  } catch (e) {
    const message = await page.evaluate(() => document.querySelector('[data-testid=sync-message]')?.textContent).catch(() => null);
    // What the server refused, with its reasons, when the page lists any.
    const refused = await page.evaluate(() => document.querySelector('[data-testid=sync-refused]')?.textContent).catch(() => null);
    throw new Error(`status "${await statusText(page).catch(() => '?')}" (message: ${message}; refused: ${refused || 'none'}) never matched ${pattern}: ${e.message}`);
  }
}

async function signIn(office, couch, user) {
  await office.goto(office.url().replace(/#.*$/, '#/sync'));
  await office.getByLabel('服务器地址').fill(`${couch.url}/${couch.db ?? DB}`);
  await office.getByLabel('用户名').fill(user);
  await office.getByLabel('密码').fill(PASSWORD);
  await office.getByRole('button', { name: '登录并同步' }).click();
  await waitStatus(office, /已同步/);
}

/** A device: the office app signed in as `user` (or not), and the field app. */
async function device(browser, app, couch, user, options = {}) {
  const context = await browser.newContext(options);
  const office = await openApp(context, app.url, 'office/#/sync');
  if (user) await signIn(office, couch, user);
  const field = await openApp(context, app.url, '#/');
  return { context, office, field, errors: () => [...office.errors, ...field.errors] };
}

/** The server's edit documents, read as the admin. */
async function serverEdits(couch) {
  const auth = 'Basic ' + Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64');
  const res = await fetch(`${couch.url}/${couch.db ?? DB}/_all_docs?include_docs=true`, { headers: { Authorization: auth } });
  const all = await res.json();
  return all.rows.filter((r) => !r.id.startsWith('_design/')).map((r) => r.doc);
}

async function stage(page, id) {
  await page.goto(page.url().replace(/#.*$/, `#/p/${id}`));
  await page.waitForSelector('#stage');
  return page.getByLabel('阶段');
}

/** Waits until a project's page on `page` shows `value` as its stage. */
async function showsStage(page, id, value) {
  await stage(page, id);
  await page.waitForFunction((v) => document.querySelector('#stage')?.value === v, value, { timeout: 10000 });
}

/**
 * Runs `body` with the app served, a browser, and (unless `couch` is null) a
 * test server of those options set up with the example users; closes them all.
 */
function withServers(couch, body) {
  return async () => {
    const app = await startServer();
    const browser = await launch();
    const server = couch && await startCouch(couch);
    try {
      if (server) await setup({ url: server.url, admin: server.admin.name, password: server.admin.password, db: DB, exampleUsers: true, examplePassword: PASSWORD });
      await body({ app, browser, couch: server });
    } finally {
      await browser.close();
      await app.close();
      await server?.close();
    }
  };
}

const wake = (devices) => Promise.all(devices.map((d) => d.office.evaluate(() => window.dispatchEvent(new Event('online')))));

// CouchDB 3 with 8 shards, as clusters are set up: edits arrive out of the
// order they were written. With COUCHDB_URL (and COUCHDB_ADMIN_USER /
// COUCHDB_ADMIN_PASSWORD) set, the same tests run against that real CouchDB
// too, in a database of their own (as tests/server/design.test.mjs does).
const REAL = process.env.COUCHDB_URL ? [['real', 1]] : [];
for (const [flavour, shards] of [['pouch', 1], ['couch3', 1], ['couch3', 8], ...REAL]) {
  describe(`sync through the ${flavour === 'real' ? `real CouchDB at ${process.env.COUCHDB_URL}` : 'test server'} (${flavour}${shards > 1 ? `, ${shards} shards` : ''})`, () => {
    let app; let browser; let couch;
    before(async () => {
      app = await startServer();
      browser = await launch();
      couch = await startCouch({ flavour, shards });
      await setup({ url: couch.url, admin: couch.admin.name, password: couch.admin.password, db: couch.db ?? DB, exampleUsers: true, examplePassword: PASSWORD });
    });
    after(async () => {
      await browser?.close();
      await app?.close();
      await couch?.close();
    });

    test('an edit on one device shows on another within 5 s, under its author\'s name', async () => {
      const a = await device(browser, app, couch, null);
      assert.equal(await statusText(a.office), '仅存本机', 'sync is off until a server is entered');
      await signIn(a.office, couch, 'district-Haicheng-1');
      const b = await device(browser, app, couch, 'city-office-1');
      await stage(b.field, 'hc-02');
      await (await stage(a.field, 'hc-02')).selectOption('Signed');
      const made = Date.now();
      await b.field.waitForFunction(() => document.querySelector('#stage')?.value === 'Signed', null, { timeout: 5000 });
      console.log(`# ${flavour}: edit on A shown on B after ${Date.now() - made} ms`);
      const pushed = (await serverEdits(couch)).find((d) => d.edit.p === 'hc-02' && d.edit.c.Stage === 'Signed');
      assert.ok(pushed, 'the edit is on the server');
      assert.equal(pushed.author, 'district-Haicheng-1');
      assert.equal(pushed.district, 'Haicheng');
      // History names the person on both devices.
      for (const d of [a, b]) {
        await d.field.waitForFunction(() => /district-Haicheng-1 · /.test(document.querySelector('.history')?.textContent ?? ''), null, { timeout: 5000 });
      }
      await waitStatus(a.office, /已同步/);
      assert.equal(await urgent(a.office), false, '已同步 asks for nothing');
      // The sync page counts what it did (#30 item 7): A's edit went up
      // (from this tab, or from the field app's tab, which this one then
      // finds on the server); B downloaded it (in this tab, or the field
      // app's tab did and this one found it held). Each is counted, never 0.
      await a.office.waitForFunction(() => /已上传 1 条|服务器已有本机的 1 条/.test(document.querySelector('[data-testid=sync-details]')?.textContent ?? ''), null, { timeout: 5000 });
      await b.office.waitForFunction(() => /已下载 1 条|下载的 1 条本机均已有/.test(document.querySelector('[data-testid=sync-details]')?.textContent ?? ''), null, { timeout: 5000 })
        .catch(async (e) => { throw new Error(`B's sync page said "${await b.office.textContent('[data-testid=sync-details]')}", status "${await statusText(b.office)}": ${e.message}`); });
      assert.doesNotMatch(await b.office.textContent('[data-testid=sync-details]'), /已上传/, 'B uploaded nothing');
      assert.deepEqual([...a.errors(), ...b.errors()], []);
      await a.context.close();
      await b.context.close();
    });

    test('an edit the server refuses is listed with its reason and kept on the device', async () => {
      const a = await device(browser, app, couch, 'district-Haicheng-1');
      await (await stage(a.field, 'tx-01')).selectOption('Started');
      await waitStatus(a.office, /服务器拒绝 1 条/);
      assert.equal(await urgent(a.office), true, 'a refused edit asks for attention');
      await a.office.waitForSelector('[data-testid=sync-refused] li');
      const listed = await a.office.textContent('[data-testid=sync-refused]');
      assert.match(listed, /本区县用户只能修改本区县的项目和人员/);
      assert.match(listed, /^.{4,}：/, 'names the project');
      await a.office.reload();
      await waitStatus(a.office, /服务器拒绝 1 条/);
      await a.field.reload();
      assert.equal(await (await stage(a.field, 'tx-01')).inputValue(), 'Started', 'kept on the device');
      assert.ok(!(await serverEdits(couch)).some((d) => d.edit.p === 'tx-01'), 'not on the server');
      await a.context.close();
    });

    test('both devices edit while the server is down; it comes back and they converge, nothing lost or doubled', async () => {
      const a = await device(browser, app, couch, 'district-Haicheng-1');
      const b = await device(browser, app, couch, 'city-leader-1');
      const before = (await serverEdits(couch)).length;
      await couch.down();
      await (await stage(a.field, 'hc-03')).selectOption('Signed');
      await (await stage(a.field, 'hc-04')).selectOption('Started');
      await (await stage(b.field, 'tx-02')).selectOption('Completed');
      await waitStatus(a.office, /离线 · 待报送 2 条/, 15000);
      await waitStatus(b.office, /离线/, 15000);
      await couch.up();
      // The browser's online event ends the wait (here the network itself never went away).
      await wake([a, b]);
      await waitStatus(a.office, /已同步/, 15000);
      await waitStatus(b.office, /已同步/, 15000);
      // Each may say 已同步 before the other's push has landed: wait for the values.
      await showsStage(b.field, 'hc-03', 'Signed');
      await showsStage(b.field, 'hc-04', 'Started');
      await showsStage(a.field, 'tx-02', 'Completed');
      const docs = await serverEdits(couch);
      assert.equal(docs.length, before + 3, 'each edit once on the server');
      assert.equal(new Set(docs.map((d) => d._id)).size, docs.length);
      await a.context.close();
      await b.context.close();
    });

    test('the server dies in the middle of a push batch, having written it; back up, every edit is there once and reaches another device', async () => {
      const a = await device(browser, app, couch, 'city-office-1');
      const before = (await serverEdits(couch)).length;
      // 450 new projects from a device that never syncs: three batches of at most 200.
      const made = Array.from({ length: 450 }, (_, n) => `{"v":2,"i":"cut${flavour}:${n + 1}","d":"cutdevice","p":"u-hc-cut${flavour}-${n}","t":${1764000000000 + n},"c":{"Create":{"name":"批量项目 ${n}","district":"Haicheng"}}}`);
      const bundle = `{"format":"project-ledger-bundle","version":1,"device":"cutdevice","created":0,"edits":[${made.join(',')}]}`;
      const died = couch.cutNextPush();
      await a.office.goto(`${app.url}office/#/exchange`);
      await a.office.setInputFiles('#import-bundle', { name: 'bundle.json', mimeType: 'application/json', buffer: Buffer.from(bundle) });
      await a.office.getByRole('button', { name: '合并这些修改' }).click();
      await died;
      const written = (await serverEdits(couch).catch(() => null));
      assert.equal(written, null, 'the server is down');
      await (await stage(a.field, 'hc-08')).selectOption('Signed');
      await waitStatus(a.office, /离线 · 待报送/, 15000);
      await couch.up();
      await wake([a]);
      await waitStatus(a.office, /已同步/, 30000);
      const docs = await serverEdits(couch);
      assert.equal(docs.length, before + 451, 'every edit on the server');
      assert.equal(new Set(docs.map((d) => d._id)).size, docs.length, 'none twice');
      const b = await device(browser, app, couch, 'city-leader-1');
      await b.field.goto(`${app.url}#/p/u-hc-cut${flavour}-449`);
      await b.field.waitForFunction(() => document.querySelector('h1')?.textContent.includes('批量项目 449'), null, { timeout: 10000 });
      assert.deepEqual([...a.errors(), ...b.errors()].filter((e) => !/Failed to load resource|ERR_CONNECTION/.test(e)), []);
      await a.context.close();
      await b.context.close();
    });

    test('the same field changed on two devices unseen is a conflict listed on both with both people\'s names', async () => {
      const a = await device(browser, app, couch, 'district-Haicheng-1');
      const b = await device(browser, app, couch, 'city-office-1');
      await couch.down();
      await (await stage(a.field, 'hc-07')).selectOption('Signed');
      await (await stage(b.field, 'hc-07')).selectOption('Started');
      await waitStatus(a.office, /离线/, 15000);
      await couch.up();
      await wake([a, b]);
      for (const d of [a, b]) {
        await waitStatus(d.office, /已同步/, 15000);
        await d.field.goto(`${app.url}office/#/exchange`);
        await d.field.waitForSelector('[data-testid=conflicts] li[data-subject=hc-07]', { timeout: 10000 });
        await d.field.waitForFunction(() => {
          const text = document.querySelector('[data-testid=conflicts] li[data-subject=hc-07]')?.textContent ?? '';
          return /district-Haicheng-1 · /.test(text) && /city-office-1 · /.test(text);
        }, null, { timeout: 5000 });
      }
      await a.context.close();
      await b.context.close();
    });

    test('a bundle from a device that never syncs reaches a third device through the server', async () => {
      const island = await device(browser, app, couch, null, { acceptDownloads: true });
      await (await stage(island.field, 'xy-01')).selectOption('Signed');
      await island.office.goto(`${app.url}office/#/exchange`);
      await island.office.getByLabel('交给谁（用于记住已发送的部分）').fill('市项目办');
      const [download] = await Promise.all([island.office.waitForEvent('download'), island.office.getByRole('button', { name: '导出修改包' }).click()]);
      const bundle = readFileSync(await download.path());

      const a = await device(browser, app, couch, 'city-office-1');
      const c = await device(browser, app, couch, 'district-Xiuyan-1');
      await stage(c.field, 'xy-01');
      await a.field.goto(`${app.url}office/#/exchange`);
      await a.field.setInputFiles('#import-bundle', { name: 'bundle.json', mimeType: 'application/json', buffer: bundle });
      await a.field.getByRole('button', { name: '合并这些修改' }).click();
      await c.field.waitForFunction(() => document.querySelector('#stage')?.value === 'Signed', null, { timeout: 5000 });
      const pushed = (await serverEdits(couch)).find((d) => d.edit.p === 'xy-01');
      assert.equal(pushed.author, 'city-office-1', 'pushed under the person who imported it');
      for (const d of [island, a, c]) await d.context.close();
    });
  });
}

test('on a 375 px phone the office header shows the sync status whole, with the menu on a row of its own', withServers(null, async ({ app, browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
  const office = await openApp(context, app.url, 'office/#/');
  const box = (selector) => office.locator(selector).boundingBox();
  const [status, nav, brand] = [await box('[data-testid=sync-status]'), await box('header nav'), await box('header .brand')];
  assert.ok(status.x >= 0 && status.x + status.width <= 375, `status within the screen: ${JSON.stringify(status)}`);
  assert.ok(Math.abs(status.y - brand.y) < brand.height, 'status beside the name');
  assert.ok(nav.y >= status.y + status.height - 1, 'menu below them');
  assert.ok(nav.width >= 375 - 2 * 16, `menu as wide as the screen: ${nav.width}`);
  assert.deepEqual(office.errors, []);
}));

test('a first download gives way while a search is typed in another tab, then finishes', withServers({ flavour: 'pouch' }, async ({ app, browser, couch }) => {
  // 3,000 edits: six pages of 500.
  const auth = 'Basic ' + Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64');
  const docs = generate(300, 2700).map((e, n) => ({ _id: `gen:${n + 1}`, author: couch.admin.name, district: null, edit: { v: 2, i: `gen:${n + 1}`, ...e } }));
  const res = await fetch(`${couch.url}/${DB}/_bulk_docs`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ docs }) });
  assert.equal(res.status, 201);
  const a = await device(browser, app, couch, null);
  await a.field.goto(`${app.url}#/`);
  await a.field.waitForSelector('[data-project]');
  const search = a.field.getByLabel('搜索项目');
  await search.click();
  await a.field.keyboard.type('海');
  await a.office.getByLabel('服务器地址').fill(`${couch.url}/${DB}`);
  await a.office.getByLabel('用户名').fill('city-office-1');
  await a.office.getByLabel('密码').fill(PASSWORD);
  await a.office.getByRole('button', { name: '登录并同步' }).click();
  // Typing for 3 s, a key every 150 ms: the download holds still.
  for (let n = 0; n < 20; n += 1) {
    await a.field.keyboard.press(n % 2 ? 'Backspace' : 'a');
    await a.field.waitForTimeout(150);
  }
  assert.match(await statusText(a.office), /正在下载/, 'still downloading when the typing stops');
  const held = await a.office.evaluate(() => document.querySelector('.sync-progress progress')?.value);
  assert.ok(Number(held) < 600, `at most a page came in while typing (the edits held: ${held})`);
  await waitStatus(a.office, /已同步/, 20000);
  assert.equal(pulledTotal(await a.office.textContent('[data-testid=sync-details]')), 3000);
  assert.deepEqual(a.errors(), []);
}));

// A second tab's engine starts with what sync knew when it loaded: the
// records the first tab pulled since are no edits of this device to push
// (pushed under this user they would be someone else's edits in its name).
test('an engine that starts knowing nothing of the server pushes none of the edits pulled from it', withServers({ flavour: 'pouch' }, async ({ app, browser, couch }) => {
  const auth = 'Basic ' + Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64');
  const docs = generate(20, 280).map((e, n) => ({ _id: `gen:${n + 1}`, author: couch.admin.name, district: null, edit: { v: 2, i: `gen:${n + 1}`, ...e } }));
  const res = await fetch(`${couch.url}/${DB}/_bulk_docs`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ docs }) });
  assert.equal(res.status, 201);
  const a = await device(browser, app, couch, 'city-office-1');
  await waitStatus(a.office, /已同步/);
  assert.equal(pulledTotal(await a.office.textContent('[data-testid=sync-details]')), 300);
  // What sync knew is gone (as for a tab that loaded before the download).
  await a.office.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ledger.sync.')).forEach((k) => localStorage.removeItem(k)));
  const pushes = [];
  a.office.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/_bulk_docs')) pushes.push(r.postData()); });
  await a.office.reload();
  await waitStatus(a.office, /已同步/);
  await wake([a]);
  await a.office.waitForTimeout(2500);
  assert.match(await statusText(a.office), /已同步/);
  assert.deepEqual(pushes, [], 'nothing pushed');
  assert.equal((await serverEdits(couch)).length, 300);
  assert.deepEqual(a.errors(), []);
}));

// A pulled page is stored as records of up to 50 edits (src/storage/idb_sync.js,
// PAGE_RECORD): IndexedDB costs per record. A database an earlier version
// made keeps one record an edit. Either way every edit is held once, and a
// project's history and page read the same.
test('pulled edits are stored as records of up to 50 (one an edit in an earlier version\'s database), and read the same', withServers({ flavour: 'couch3', shards: 8 }, async ({ app, browser, couch }) => {
  const auth = 'Basic ' + Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64');
  const generated = generate(20, 580);
  const docs = generated.map((e, n) => ({ _id: `gen:${n + 1}`, author: couch.admin.name, district: null, edit: { v: 2, i: `gen:${n + 1}`, ...e } }));
  const res = await fetch(`${couch.url}/${DB}/_bulk_docs`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ docs }) });
  assert.equal(res.status, 201);
  const records = (page) => page.evaluate(async () => {
    const db = await new Promise((ok) => { const r = indexedDB.open('project-ledger'); r.onsuccess = () => ok(r.result); });
    const all = await new Promise((ok) => { const r = db.transaction('edits').objectStore('edits').getAll(); r.onsuccess = () => ok(r.result); });
    db.close();
    return all;
  });
  // Device B's database as the previous version made it: plain indexes, schema 2.
  const old = await browser.newContext();
  const blank = await old.newPage();
  await blank.goto(`${app.url}manifest.webmanifest`);
  await blank.evaluate(() => new Promise((ok, fail) => {
    const r = indexedDB.open('project-ledger', 1);
    r.onupgradeneeded = () => {
      const edits = r.result.createObjectStore('edits', { autoIncrement: true });
      edits.createIndex('i', 'i', { unique: true });
      edits.createIndex('p', 'p');
      r.result.createObjectStore('state').put('{"schema":2,"device":"olddevice001"}', 'meta');
    };
    r.onsuccess = () => { r.result.close(); ok(); };
    r.onerror = () => fail(r.error);
  }));
  await blank.close();
  const a = await device(browser, app, couch, 'city-office-1');
  const office = await openApp(old, app.url, 'office/#/sync');
  await signIn(office, couch, 'city-office-1');
  const b = { office, field: await openApp(old, app.url, '#/'), errors: () => office.errors };
  for (const d of [a, b]) assert.equal(pulledTotal(await d.office.textContent('[data-testid=sync-details]')), 600);

  const paged = (await records(a.field)).filter((r) => r.s === true);
  const held = paged.flatMap((r) => r.i);
  assert.equal(new Set(held).size, 600, 'each pulled edit once');
  assert.equal(held.length, 600);
  assert.ok(paged.every((r) => Array.isArray(r.j) && r.j.length <= 50 && r.i.length === r.j.length && r.a.every((x) => x === couch.admin.name)), 'pages of at most 50, each edit with its author');
  assert.ok(paged.length >= 12 && paged.length <= 30, `records: ${paged.length}`);
  const single = (await records(b.field)).filter((r) => r.s === true);
  assert.equal(single.length, 600, 'one record an edit in the earlier database');
  assert.ok(single.every((r) => typeof r.j === 'string'));
  assert.deepEqual(paged.flatMap((r) => r.j).sort(), single.map((r) => r.j).sort(), 'the same texts');

  // A project's page and history (read by subject) from either store.
  const subject = 'u-gen-7';
  const expected = generated.filter((e) => e.p === subject).length;
  const shown = [];
  for (const d of [a, b]) {
    await d.field.goto(`${app.url}#/p/${subject}`);
    await d.field.waitForSelector('.history li');
    shown.push(await d.field.evaluate(() => [document.querySelector('h1')?.textContent, document.querySelector('.history').textContent, document.querySelectorAll('.history li').length]));
  }
  assert.deepEqual(shown[0], shown[1]);
  assert.match(shown[0][1], new RegExp(`${couch.admin.name} · `));
  assert.equal(shown[0][2], Math.min(expected, 20), `history of ${expected} edits (20 shown at first)`);
  assert.deepEqual(a.errors(), []);
  assert.deepEqual(b.errors(), []);
}));

test('我是 defaults to the roster\'s person named as the user signed in', withServers({ flavour: 'pouch' }, async ({ app, browser, couch }) => {
  const a = await device(browser, app, couch, null);
  await a.office.goto(`${app.url}office/#/people`);
  await a.office.locator('#add-person-name').fill('city-leader-1');
  await a.office.locator('#add-person-role').selectOption('city');
  await a.office.getByRole('button', { name: '添加人员' }).click();
  await a.office.waitForSelector('table.workload a:text-is("city-leader-1")');
  const chosen = async () => {
    await a.office.goto(`${app.url}office/#/`);
    await a.office.waitForSelector('#me');
    return a.office.locator('#me option:checked').textContent();
  };
  assert.equal(await chosen(), '（无）', 'nobody before anyone signs in');
  await signIn(a.office, couch, 'city-leader-1');
  assert.match(await chosen(), /city-leader-1/);
  assert.deepEqual(a.errors(), []);
}));

test('an expired session pauses sync and asks for the password again; editing goes on', withServers({ flavour: 'pouch', sessionSeconds: 3 }, async ({ app, browser, couch }) => {
  const a = await device(browser, app, couch, 'district-Haicheng-1');
  await a.field.waitForTimeout(4500);
  await (await stage(a.field, 'hc-05')).selectOption('Signed');
  await waitStatus(a.office, /需要重新登录/);
  assert.equal(await (await stage(a.field, 'hc-05')).inputValue(), 'Signed', 'the edit stays');
  await (await stage(a.field, 'hc-06')).selectOption('Started');
  assert.equal((await serverEdits(couch)).length, 0, 'nothing pushed without a session');
  await signIn(a.office, couch, 'district-Haicheng-1');
  for (let i = 0; i < 50 && (await serverEdits(couch)).length < 2; i += 1) await a.field.waitForTimeout(200);
  assert.equal((await serverEdits(couch)).length, 2, 'both pushed once signed in again');
  assert.deepEqual(a.errors(), []);
}));

test('the field app syncs on its own: signed in on its 同步 page, an edit on one phone reaches the other, the header says so', withServers({ flavour: 'couch3' }, async ({ app, browser, couch }) => {
  const phone = async (user) => {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
    const field = await openApp(context, app.url, '#/sync');
    await signIn(field, couch, user);
    return { context, field };
  };
  const a = await phone('district-Haicheng-1');
  const b = await phone('city-leader-1');
  await (await stage(a.field, 'hc-09')).selectOption('Started');
  await waitStatus(a.field, /已同步/);
  await showsStage(b.field, 'hc-09', 'Started');
  // History names the person, not the device.
  await b.field.reload();
  await b.field.waitForFunction(() => /district-Haicheng-1 · /.test(document.querySelector('.history')?.textContent ?? ''), null, { timeout: 5000 });
  const docs = await serverEdits(couch);
  assert.deepEqual(docs.map((d) => [d.edit.p, d.author]), [['hc-09', 'district-Haicheng-1']]);
  // The status sits whole in the phone's header.
  const status = await a.field.locator('[data-testid=sync-status]').boundingBox();
  assert.ok(status.x >= 0 && status.x + status.width <= 375, `status within the screen: ${JSON.stringify(status)}`);
  assert.deepEqual([...a.field.errors, ...b.field.errors], []);
}));

test('with no server set the field app never downloads the sync engine; opening 同步 loads it', withServers(null, async ({ app, browser }) => {
  const context = await browser.newContext();
  const engine = [];
  // The page's own requests: the service worker caches the engine for offline use, as it does the office app.
  context.on('request', (r) => { if (r.url().includes('/engine/') && !r.serviceWorker()) engine.push(r.url()); });
  const field = await openApp(context, app.url, '#/');
  await (await stage(field, 'hc-02')).selectOption('Signed');
  await field.goto(`${app.url}#/`);
  await field.waitForSelector('[data-project]');
  assert.deepEqual(engine, [], 'nothing of the engine loaded');
  // With no server the header says what waits to be handed over by hand.
  assert.equal(await statusText(field), '仅存本机 · 待报送 1 条');
  await field.goto(`${app.url}#/sync`);
  await field.getByLabel('服务器地址').waitFor();
  assert.ok(engine.some((u) => u.endsWith('sync-engine_bg.wasm')), `the engine loads with its page: ${engine}`);
  // A bad address is refused in the person's language and saves nothing.
  await field.getByLabel('服务器地址').fill('ftp://example');
  await field.getByLabel('用户名').fill('x');
  await field.getByLabel('密码').fill('y');
  await field.getByRole('button', { name: '登录并同步' }).click();
  await field.waitForFunction(() => /https:\/\//.test(document.querySelector('[data-testid=sync-message]')?.textContent ?? ''));
  assert.equal(await field.evaluate(() => localStorage.getItem('ledger.v1.sync')), null);
  assert.equal(await field.getByLabel('密码').inputValue(), '', 'the password is not kept in the form');
  assert.equal(await statusText(field), '仅存本机 · 待报送 1 条');
  assert.equal(await urgent(field), false);
  assert.deepEqual(field.errors, []);
  // An engine that cannot load (offline before it was ever cached): said so,
  // in red, never as if sync were fine.
  const cut = await browser.newContext();
  await cut.route('**/engine/**', (route) => route.abort());
  const lost = await openApp(cut, app.url, '#/sync');
  await lost.waitForFunction(() => /同步模块没能载入/.test(document.querySelector('[data-testid=sync-status]')?.textContent ?? ''));
  assert.equal(await urgent(lost), true);
  await cut.close();
}));

test('signing in in one tab starts sync in the device\'s other tab, which syncs on once the first is closed; signing out there stops both', withServers({ flavour: 'pouch' }, async ({ app, browser, couch }) => {
  const context = await browser.newContext();
  const field = await openApp(context, app.url, '#/');
  const office = await openApp(context, app.url, 'office/#/sync');
  assert.equal(await statusText(field), '仅存本机');
  await signIn(office, couch, 'district-Haicheng-1');
  await waitStatus(field, /已同步/);
  await office.close();
  await (await stage(field, 'hc-10')).selectOption('Started');
  for (let i = 0; i < 50 && (await serverEdits(couch)).length < 1; i += 1) await field.waitForTimeout(200);
  assert.deepEqual((await serverEdits(couch)).map((d) => [d.edit.p, d.author]), [['hc-10', 'district-Haicheng-1']]);
  const office2 = await openApp(context, app.url, 'office/#/sync');
  await waitStatus(office2, /已同步/);
  await office2.getByRole('button', { name: '退出登录' }).click();
  await waitStatus(office2, /仅存本机/);
  await waitStatus(field, /仅存本机/);
  await (await stage(field, 'hc-09')).selectOption('Started');
  await field.waitForTimeout(2500);
  assert.equal((await serverEdits(couch)).length, 1, 'nothing pushed once signed out');
  assert.deepEqual([...field.errors, ...office.errors, ...office2.errors], []);
}));

test('an edit on the server past the bounds (written before the rules had them) is listed, never stored or shown; its neighbours are', withServers({ flavour: 'pouch' }, async ({ app, browser, couch }) => {
  const asAdmin = { 'Content-Type': 'application/json', Authorization: 'Basic ' + Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64') };
  // A server whose rules did not bound texts yet: the design document goes,
  // the edits are written, setup puts today's rules back.
  const design = await (await fetch(`${couch.url}/${DB}/_design/ledger`, { headers: asAdmin })).json();
  assert.equal((await fetch(`${couch.url}/${DB}/_design/ledger?rev=${design._rev}`, { method: 'DELETE', headers: asAdmin })).status, 200);
  const doc = (n, p, notes) => ({ _id: `oldrule1:${n}`, author: 'city-office-1', district: 'Haicheng',
    edit: { v: 2, i: `oldrule1:${n}`, d: 'olddevice', p, t: 1764547200000 + n, r: [], c: { Notes: notes } } });
  const long = '长'.repeat(6000);
  const written = await fetch(`${couch.url}/${DB}/_bulk_docs`, { method: 'POST', headers: asAdmin,
    body: JSON.stringify({ docs: [doc(1, 'hc-01', '前面的邻居'), doc(2, 'hc-02', long), doc(3, 'hc-03', '后面的邻居')] }) });
  assert.equal(written.status, 201);
  await setup({ url: couch.url, admin: couch.admin.name, password: couch.admin.password, db: DB });
  const d = await device(browser, app, couch, 'city-leader-1');
  await d.office.waitForSelector('[data-testid=sync-rejected] li');
  const listed = await d.office.textContent('[data-testid=sync-rejected]');
  assert.match(listed, /不能超过 5000 个字/);
  assert.match(listed, /oldrule1:2/);
  assert.doesNotMatch(listed, /oldrule1:[13]/);
  for (const [id, notes] of [['hc-01', '前面的邻居'], ['hc-03', '后面的邻居'], ['hc-02', '']]) {
    await d.field.goto(d.field.url().replace(/#.*$/, `#/p/${id}`));
    await d.field.waitForSelector('#notes');
    if (notes) await d.field.waitForFunction((v) => document.querySelector('#notes')?.value === v, notes, { timeout: 5000 });
    else assert.equal(await d.field.inputValue('#notes'), '', 'the over-long note is not shown');
  }
  // Still listed after a reload: the device remembers what it did not take.
  await d.office.reload();
  await d.office.waitForSelector('[data-testid=sync-rejected] li');
  assert.deepEqual(d.errors(), []);
  await d.context.close();
}));

test('a restore from a backup taken before some edits: the device notices, pushes again what it lacks, and a device signing in afterwards gets every edit', withServers({ flavour: 'couch3' }, async ({ app, browser, couch }) => {
  const admin = { url: couch.url, admin: couch.admin.name, password: couch.admin.password };
  const asAdmin = { Authorization: 'Basic ' + Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64') };
  const onServer = async (p, stageValue) => (await serverEdits(couch)).some((d) => d.edit.p === p && d.edit.c.Stage === stageValue);
  const until = async (p, stageValue, ms) => {
    for (const end = Date.now() + ms; !(await onServer(p, stageValue)) && Date.now() < end;) await new Promise((ok) => setTimeout(ok, 100));
    return onServer(p, stageValue);
  };
  const a = await device(browser, app, couch, 'district-Haicheng-1');
  await (await stage(a.field, 'hc-01')).selectOption('Signed');
  assert.ok(await until('hc-01', 'Signed', 10000));
  // The night's backup, then an edit after it.
  await setup({ ...admin, db: `${DB}-backup`, restoreFrom: DB });
  await (await stage(a.field, 'hc-02')).selectOption('Started');
  assert.ok(await until('hc-02', 'Started', 10000), 'pushed before the loss');
  // The database is lost and restored from the backup: the later edit is gone from it.
  assert.equal((await fetch(`${couch.url}/${DB}`, { method: 'DELETE', headers: asAdmin })).status, 200);
  await setup({ ...admin, db: DB, restoreFrom: `${DB}-backup` });
  assert.ok(await onServer('hc-01', 'Signed') && !(await onServer('hc-02', 'Started')), 'the restore lacks the later edit');
  const restored = Date.now();
  // Nothing wakes the device (no tab shown, no network back): the longpoll
  // out when the database went runs out (at most 25 s), and the device asks
  // whether the database is the one it synced with before the next.
  assert.ok(await until('hc-02', 'Started', 45000), 'pushed again by the device that made it');
  console.log(`# restore: the device whole again on the server after ${Date.now() - restored} ms`);
  await waitStatus(a.office, /已同步/);
  assert.equal((await serverEdits(couch)).filter((d) => d.edit.p === 'hc-02').length, 1, 'nothing doubled');
  const c = await device(browser, app, couch, 'city-office-1');
  await showsStage(c.field, 'hc-02', 'Started');
  await showsStage(c.field, 'hc-01', 'Signed');
  assert.doesNotMatch(await statusText(a.office), /重新登录/);
  assert.deepEqual([...a.errors(), ...c.errors()].filter((e) => !/Failed to load resource/.test(e)), []);
  await a.context.close();
  await c.context.close();
}));

test('a server restarted empty: each device pushes its own edits again once signed in, nothing doubled, nothing pulled twice', withServers({ flavour: 'couch3', shards: 8 }, async ({ app, browser, couch }) => {
  const admin = { url: couch.url, admin: couch.admin.name, password: couch.admin.password, db: DB, exampleUsers: true, examplePassword: PASSWORD };
  const a = await device(browser, app, couch, 'district-Haicheng-1');
  const b = await device(browser, app, couch, 'city-office-1');
  await (await stage(a.field, 'hc-01')).selectOption('Signed');
  await (await stage(b.field, 'hc-02')).selectOption('Started');
  await showsStage(a.field, 'hc-02', 'Started');
  await showsStage(b.field, 'hc-01', 'Signed');
  await couch.loseEverything();
  await setup(admin);
  assert.equal((await serverEdits(couch)).length, 0, 'the server holds nothing');
  // Woken (the network back), each device asks about the database at once,
  // its longpoll cut short: within seconds none says 已同步 any more.
  await wake([a, b]);
  for (const [d, user] of [[a, 'district-Haicheng-1'], [b, 'city-office-1']]) {
    await waitStatus(d.office, /^(?!已同步)/, 5000);
    const said = await statusText(d.office);
    console.log(`# after the loss, ${user}'s device said "${said}"`);
    if (/重新登录|仅存本机/.test(said)) await signIn(d.office, couch, user);
  }
  // Each device finds its mark gone (at once, or at its longpoll's end).
  const whole = async () => {
    const docs = await serverEdits(couch);
    return docs.some((d) => d.edit.p === 'hc-01') && docs.some((d) => d.edit.p === 'hc-02');
  };
  const back = Date.now();
  for (const end = Date.now() + 45000; !(await whole()) && Date.now() < end;) await new Promise((ok) => setTimeout(ok, 200));
  assert.ok(await whole(), 'both edits are on the server again');
  console.log(`# restarted empty: both devices' edits on the server again ${Date.now() - back} ms after the devices were signed in again`);
  await waitStatus(a.office, /已同步/, 45000);
  await waitStatus(b.office, /已同步/, 45000);
  const held = await serverEdits(couch);
  const one = held.filter((d) => d.edit.p === 'hc-01' && d.edit.c.Stage === 'Signed');
  const two = held.filter((d) => d.edit.p === 'hc-02' && d.edit.c.Stage === 'Started');
  assert.equal(one.length, 1);
  assert.equal(two.length, 1);
  assert.equal(one[0].author, 'district-Haicheng-1', 'pushed again by the device that made it, in its name');
  assert.equal(two[0].author, 'city-office-1');
  // A device that arrives now gets both.
  const c = await device(browser, app, couch, 'city-leader-1');
  await showsStage(c.field, 'hc-01', 'Signed');
  await showsStage(c.field, 'hc-02', 'Started');
  for (const d of [a, b]) assert.doesNotMatch(await statusText(d.office), /拒绝/);
  assert.deepEqual([...a.errors(), ...b.errors(), ...c.errors()].filter((e) => !/Failed to load resource/.test(e)), []);
}));

test('an edit made on a desk that never syncs, carried in a 修改包 and uploaded from a steward\'s phone, names its maker everywhere (#30 item 4)', withServers({ flavour: 'pouch' }, async ({ app, browser, couch }) => {
  const desk = await device(browser, app, couch, null, { acceptDownloads: true });
  // The desk's 我是: a person of its roster, of the district the phone writes for.
  await desk.office.goto(`${app.url}office/#/people`);
  await desk.office.locator('#add-person-name').fill('孙立新');
  await desk.office.locator('#add-person-name').press('Tab');
  await desk.office.locator('#add-person-role').selectOption('service');
  await desk.office.locator('#add-person-district').selectOption('Haicheng');
  await desk.office.getByRole('button', { name: '添加人员' }).click();
  await desk.office.waitForSelector('table.workload a:text-is("孙立新")');
  await desk.office.goto(`${app.url}office/#/`);
  await desk.office.waitForSelector('#me option:has-text("孙立新")', { state: 'attached' });
  const me = await desk.office.$eval('#me', (s) => [...s.options].find((o) => o.textContent.includes('孙立新')).value);
  await desk.office.locator('#me').selectOption(me);
  await (await stage(desk.field, 'hc-04')).selectOption('Signed');
  await desk.field.waitForFunction(() => /孙立新 · /.test(document.querySelector('.history')?.textContent ?? ''), null, { timeout: 5000 });
  await desk.office.goto(`${app.url}office/#/exchange`);
  await desk.office.getByLabel('交给谁（用于记住已发送的部分）').fill('海城市');
  const [download] = await Promise.all([desk.office.waitForEvent('download'), desk.office.getByRole('button', { name: '导出修改包' }).click()]);
  const bundle = readFileSync(await download.path());

  // The steward's phone merges it and, signed in, uploads it.
  const phone = await device(browser, app, couch, 'district-Haicheng-1');
  const office = await device(browser, app, couch, 'city-office-1');
  await phone.field.goto(`${app.url}office/#/exchange`);
  await phone.field.setInputFiles('#import-bundle', { name: 'bundle.json', mimeType: 'application/json', buffer: bundle });
  await phone.field.getByRole('button', { name: '合并这些修改' }).click();
  await showsStage(office.field, 'hc-04', 'Signed');
  const pushed = (await serverEdits(couch)).find((d) => d.edit.p === 'hc-04');
  assert.equal(pushed.author, 'district-Haicheng-1', 'the server records who uploaded it');
  assert.deepEqual(pushed.edit.a, { n: '孙立新' }, 'and the edit who made it');

  // The phone names the maker, never its own login; every device that pulls
  // it names the maker and the uploader (the one the server vouches for).
  const named = async (d, pattern, digestPattern) => {
    await d.field.goto(`${app.url}#/p/hc-04`);
    await showsStage(d.field, 'hc-04', 'Signed');
    await d.field.waitForFunction((source) => new RegExp(source).test(document.querySelector('.history')?.textContent ?? ''), pattern.source, { timeout: 5000 });
    await d.field.goto(`${app.url}office/#/changes`);
    await d.field.waitForSelector('[data-testid=changes] > li[data-project=hc-04]');
    assert.match(await d.field.textContent('[data-testid=changes] > li[data-project=hc-04]'), digestPattern, '变化摘要');
  };
  await named(phone, /孙立新 · 阶段：签约/, /填写阶段：签约（孙立新，/);
  assert.doesNotMatch(await phone.field.textContent('[data-testid=changes]'), /district-Haicheng-1/);
  await named(office, /孙立新 录入 · 由 district-Haicheng-1 上传 · 阶段：签约/, /填写阶段：签约（孙立新 录入 · 由 district-Haicheng-1 上传，/);
  assert.deepEqual([...desk.errors(), ...phone.errors(), ...office.errors()], []);
  for (const d of [desk, phone, office]) await d.context.close();
}));

for (const flavour of ['pouch', 'couch3']) {
  test(`a user whose role is misspelt is told exactly that on sign-in, never 需要重新登录 (#31 item 4, ${flavour})`, withServers({ flavour }, async ({ app, browser, couch }) => {
    const auth = 'Basic ' + Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64');
    const made = await fetch(`${couch.url}/_users/org.couchdb.user:district-Tiedong-9`, {
      method: 'PUT', headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'district-Tiedong-9', password: PASSWORD, roles: ['district-铁东区'], type: 'user' }),
    });
    assert.ok(made.ok, `user made: ${made.status}`);
    const a = await device(browser, app, couch, null);
    await a.office.getByLabel('服务器地址').fill(`${couch.url}/${DB}`);
    await a.office.getByLabel('用户名').fill('district-Tiedong-9');
    await a.office.getByLabel('密码').fill(PASSWORD);
    await a.office.getByRole('button', { name: '登录并同步' }).click();
    await a.office.waitForFunction(() => /不是台账的角色/.test(document.querySelector('[data-testid=sync-message]')?.textContent ?? ''));
    const said = await a.office.textContent('[data-testid=sync-message]');
    assert.match(said, /district-铁东区/);
    assert.match(said, /district-Tiedong/, 'the roles that exist');
    await a.office.waitForTimeout(1500);
    assert.equal(await statusText(a.office), '仅存本机', 'not signed in, and not told to sign in again');
    assert.doesNotMatch(await a.office.textContent('body'), /需要重新登录/);
    assert.deepEqual(a.errors(), []);
    await a.context.close();
  }));
}
