// The team set up from the roster (#31): the city office gives two people a
// 用户名 and exports the accounts file; the IT person runs the accounts
// command against the test server; each person opens the sign-in link of
// their printed account card on a fresh phone, types the password handed to
// them, and finds 我是 and their district chosen. A role-less account is
// told so, not asked to sign in again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { launch, openApp, startServer } from './harness.mjs';
import { startCouch } from '../server/couch.mjs';
import { setup } from '../../server/couchdb/setup.mjs';

const DB = 'project-ledger';
const run = promisify(execFile);
let browser, app, couch, dir;

before(async () => {
  browser = await launch();
  app = await startServer();
  couch = await startCouch({ flavour: 'couch3' });
  await setup({ url: couch.url, admin: couch.admin.name, password: couch.admin.password, db: DB, exampleUsers: true, examplePassword: 'example-pw' });
  dir = mkdtempSync(join(tmpdir(), 'team-'));
});
after(async () => {
  await browser?.close();
  await app?.close();
  await couch?.close();
});

const status = (page) => page.textContent('[data-testid=sync-status]');
const waitStatus = (page, pattern, timeout = 15000) => page.waitForFunction((source) =>
  new RegExp(source).test(document.querySelector('[data-testid=sync-status]')?.textContent ?? ''), pattern.source, { timeout });

async function addPerson(office, { name, role, district, login }) {
  await office.fill('#add-person-name', name);
  await office.selectOption('#add-person-role', { label: role });
  if (district) await office.selectOption('#add-person-district', { label: district });
  await office.fill('#add-person-login', login);
  await office.locator('#add-person-login').blur();
  await office.getByRole('button', { name: '添加人员' }).click();
  await office.waitForSelector(`tr[data-person]:has-text("${name}")`);
}

/** What the QR code on the card says, read back from its pixels. */
async function qrText(card) {
  const png = PNG.sync.read(await card.locator('[data-testid=sign-in-qr]').screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

test('a roster becomes accounts, cards and signed-in phones with 我是 and the district chosen', async () => {
  // The city office's desk, signed in.
  const desk = await browser.newContext();
  const office = await openApp(desk, app.url, 'office/#/sync');
  await office.getByLabel('服务器地址').fill(`${couch.url}/${DB}`);
  await office.getByLabel('用户名').fill('city-office-1');
  await office.getByLabel('密码').fill('example-pw');
  await office.getByRole('button', { name: '登录并同步' }).click();
  await waitStatus(office, /已同步/);

  await office.goto(`${app.url}office/#/people`);
  await office.waitForSelector('#add-person-login');
  // A 用户名 a phone or a link would mangle is refused, in words.
  await office.fill('#add-person-login', 'Wang XM');
  await office.locator('#add-person-login').blur();
  assert.match(await office.textContent('#add-person-login-error'), /用户名只能用小写字母、数字/);
  await addPerson(office, { name: '王晓明', role: '项目管家/服务专班成员', district: '海城市', login: 'wangxm' });
  await addPerson(office, { name: '刘洋', role: '市级领导', login: 'liuyang' });
  await addPerson(office, { name: '赵敏', role: '项目管家/服务专班成员', district: '台安县', login: '' });
  // Two people cannot share one.
  await office.fill('#add-person-name', '王小明');
  await office.selectOption('#add-person-district', { label: '海城市' });
  await office.fill('#add-person-login', 'wangxm');
  await office.locator('#add-person-login').blur();
  await office.getByRole('button', { name: '添加人员' }).click();
  await office.waitForFunction(() => /已分配给王晓明/.test(document.querySelector('[data-testid=person-error]')?.textContent ?? ''));
  assert.match(await office.textContent('[data-testid=accounts-count]'), /2 人可建账号，1 人暂不能建/);

  // The accounts file, as the IT person gets it.
  const [download] = await Promise.all([office.waitForEvent('download'), office.click('[data-testid=export-accounts]')]);
  assert.match(download.suggestedFilename(), /^项目台账-账号名单-\d{4}-\d{2}-\d{2}\.json$/);
  const accountsFile = join(dir, 'accounts.json');
  await download.saveAs(accountsFile);

  // The IT person runs the command; the passwords are in the file only.
  const passwordsFile = join(dir, 'passwords.csv');
  const { stdout } = await run('node', [new URL('../../server/couchdb/accounts.mjs', import.meta.url).pathname,
    '--accounts', accountsFile, '--passwords-out', passwordsFile],
  { env: { ...process.env, COUCHDB_URL: couch.url, COUCHDB_ADMIN_USER: couch.admin.name, COUCHDB_ADMIN_PASSWORD: couch.admin.password } });
  assert.match(stdout, /created wangxm \(王晓明, district-Haicheng\)/);
  assert.match(stdout, /created liuyang \(刘洋, city-leader\)/);
  assert.match(stdout, /no account for 赵敏: 未填同步用户名/);
  const passwords = Object.fromEntries(readFileSync(passwordsFile, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n').slice(1)
    .map((l) => l.split(',')).map(([, login, password]) => [login, password]));
  assert.deepEqual(Object.keys(passwords).sort(), ['liuyang', 'wangxm']);

  // The cards: one per person with an account, the link as text and QR, no password.
  await office.goto(`${app.url}office/#/print/accounts`);
  await office.waitForSelector('.account-card');
  assert.equal(await office.locator('.account-card').count(), 2);
  const links = {};
  for (const login of ['wangxm', 'liuyang']) {
    const card = office.locator(`.account-card:has([data-testid=card-login]:text-is("${login}"))`);
    const link = (await card.locator('[data-testid=card-link]').textContent()).trim();
    assert.ok(link.startsWith(`${app.url}#/sync?server=${encodeURIComponent(`${couch.url}/${DB}`)}&user=${login}`), link);
    assert.equal(await qrText(card), link, `${login}'s QR code`);
    assert.ok(!(await card.textContent()).includes(passwords[login]), 'a password on the card');
    links[login] = link;
  }
  assert.match(await office.locator('.account-card', { hasText: 'wangxm' }).textContent(), /海城市的项目和人员/);
  const pdf = await office.pdf({ format: 'A4' });
  assert.ok(pdf.length > 1000);

  // Each person: a fresh phone, the link, the password, nothing else.
  for (const [login, me, district] of [['wangxm', '王晓明', '海城市'], ['liuyang', '刘洋', '全市']]) {
    const phone = await browser.newContext({ viewport: { width: 375, height: 740 } });
    const page = await phone.newPage();
    await page.goto(links[login]);
    await page.waitForFunction((l) => document.querySelector('#sync-user')?.value === l, login);
    assert.equal(await page.inputValue('#sync-url'), `${couch.url}/${DB}`);
    assert.match(await page.textContent('[data-testid=sync-message]'), /登录链接已填好服务器地址.*请核对服务器地址/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'sync-password');
    await page.fill('#sync-password', passwords[login]);
    await page.getByRole('button', { name: '登录并同步' }).click();
    await waitStatus(page, /已同步/);
    // The roster arrived; the field app offers 我的项目 for the person signed in.
    await page.goto(`${app.url}#/`);
    await page.waitForSelector('[data-testid=nav-mine]', { timeout: 15000 });
    const dashboard = await openApp(phone, app.url, 'office/#/');
    await dashboard.waitForFunction((name) => document.querySelector('#me')?.selectedOptions[0]?.textContent.includes(name), me, { timeout: 15000 });
    await dashboard.waitForFunction((d) => document.querySelector('#office-district')?.selectedOptions[0]?.textContent === d, district);
    assert.equal(await dashboard.textContent('h1.page-title'), `总览 · ${district}`);
    // The field app's links to the office open on the person's district.
    await page.goto(`${app.url}#/`);
    const people = await page.getAttribute('nav a:text-is("包保")', 'href');
    assert.equal(people, district === '全市' ? 'office/#/people' : 'office/#/people?d=Haicheng');
    // Another district's project says, before anything is typed, that the
    // server will refuse this person's edits there; their own does not.
    await page.goto(`${app.url}#/p/ta-01`);
    await page.waitForSelector('#records');
    const readOnly = await page.locator('[data-testid=read-only]').count();
    assert.equal(readOnly, district === '全市' ? 0 : 1, `${login} on ta-01`);
    if (readOnly) assert.match(await page.textContent('[data-testid=read-only]'), /只读：本项目属于台安县，您的同步账号只能修改海城市的项目和人员/);
    // An edit made here names the person, not only the login.
    await page.goto(`${app.url}#/p/hc-07`);
    await page.waitForSelector('#records');
    assert.equal(await page.locator('[data-testid=read-only]').count(), 0);
    await page.fill('#record-notes', `${me}的走访`);
    await page.getByRole('button', { name: '添加记录' }).click();
    await page.waitForSelector(`text=${me}的走访`);
    await phone.close();
  }
  const docs = await (await fetch(`${couch.url}/${DB}/_all_docs?include_docs=true`, {
    headers: { Authorization: 'Basic ' + Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64') } })).json();
  const makers = docs.rows.map((r) => r.doc?.edit?.a).filter((a) => a?.u === 'wangxm' || a?.u === 'liuyang');
  assert.ok(makers.some((a) => a.u === 'wangxm' && a.n === '王晓明'), JSON.stringify(makers));
  await desk.close();
});

test('an account without a ledger role is told so, not asked to sign in again', async () => {
  const admin = 'Basic ' + Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64');
  const made = await fetch(`${couch.url}/_users/org.couchdb.user:norole`, { method: 'PUT', headers: { Authorization: admin, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'norole', type: 'user', roles: ['district-铁东区'], password: 'pw-norole' }) });
  assert.equal(made.status, 201);
  const phone = await browser.newContext();
  const page = await phone.newPage();
  await page.goto(`${app.url}#/sync?server=${encodeURIComponent(`${couch.url}/${DB}`)}&user=norole`);
  await page.waitForFunction(() => document.querySelector('#sync-user')?.value === 'norole');
  await page.fill('#sync-password', 'pw-norole');
  await page.getByRole('button', { name: '登录并同步' }).click();
  await page.waitForFunction(() => /district-铁东区/.test(document.querySelector('[data-testid=sync-message]')?.textContent ?? ''));
  const message = await page.textContent('[data-testid=sync-message]');
  assert.match(message, /district-Haicheng/);
  assert.doesNotMatch(await status(page), /需要重新登录/);
  await phone.close();
});

test('without a server, a phone takes the office\'s 修改包 on its 同步 page and finds the names for 我是', async () => {
  const desk = await browser.newContext();
  const office = await openApp(desk, app.url, 'office/#/people');
  await office.waitForSelector('#add-person-login');
  await addPerson(office, { name: '孙立新', role: '项目管家/服务专班成员', district: '台安县', login: '' });
  await office.goto(`${app.url}office/#/exchange`);
  const [download] = await Promise.all([office.waitForEvent('download'), office.getByRole('button', { name: '导出修改包' }).click()]);
  const bundle = join(dir, 'office-bundle.json');
  await download.saveAs(bundle);
  await desk.close();

  const phone = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const dashboard = await openApp(phone, app.url, 'office/#/');
  // An empty roster says where names come from.
  assert.match(await dashboard.textContent('[data-testid=me-hint]'), /“同步”页.*导入办公室发来的修改包/);
  const page = await openApp(phone, app.url, '#/sync');
  await page.waitForSelector('#receive-bundle');
  // A file that is not a 修改包 is refused in words and changes nothing.
  await page.setInputFiles('#receive-bundle', { name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something-else"}') });
  await page.waitForFunction(() => /[\u4e00-\u9fff]/.test(document.querySelector('[data-testid=receive-said]')?.textContent ?? '')
    && !/正在读取/.test(document.querySelector('[data-testid=receive-said]').textContent));
  const refused = await page.textContent('[data-testid=receive-said]');
  assert.doesNotMatch(refused, /已合并/);
  await page.setInputFiles('#receive-bundle', bundle);
  await page.waitForFunction(() => /已合并 \d+ 条修改/.test(document.querySelector('[data-testid=receive-said]')?.textContent ?? ''));
  // The app folds them: 我是 offers the person, with no server and no office page visited.
  await dashboard.reload();
  await dashboard.waitForFunction(() => [...document.querySelectorAll('#me option')].some((o) => o.textContent.includes('孙立新')), null, { timeout: 10000 });
  assert.equal(await dashboard.locator('[data-testid=me-hint]').textContent(), '');
  // Taken again, nothing is stored twice.
  await page.setInputFiles('#receive-bundle', bundle);
  await page.waitForFunction(() => /另有 \d+ 条本机已有|已合并 0 条/.test(document.querySelector('[data-testid=receive-said]')?.textContent ?? ''));
  await phone.close();
});
