// Stewardship (包保): roster, bulk assignment, quota, removal with reassignment.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, startServer } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function addPerson(page, name, role, district = '') {
  await page.goto(`${server.url}office/#/people`);
  await page.waitForSelector('#add-person-name');
  await page.locator('#add-person-name').fill(name);
  await page.locator('#add-person-name').press('Tab');
  await page.locator('#add-person-role').selectOption(role);
  if (district) await page.locator('#add-person-district').selectOption(district);
  await page.getByRole('button', { name: '添加人员' }).click();
  await page.waitForSelector(`table.workload a:text-is("${name}")`);
}

test('a city leader takes 10 filtered projects, is removed, and the projects pass to another', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await openApp(context, `${server.url}office/`, '#/people');
  assert.match(await page.textContent('main'), /名单还是空的/);
  await page.goto(server.url + '#/');
  await page.waitForSelector('[data-project]');
  assert.equal(await page.locator('fieldset.facet legend', { hasText: '包保人' }).count(), 0, 'no steward facet without a roster');
  await addPerson(page, '王市长', 'city');
  await addPerson(page, '李市长', 'city');

  // Filter to 海城市's ten projects, select them all, assign 王市长.
  await page.goto(server.url + '#/?d=Haicheng');
  await page.waitForSelector('[data-project]');
  await page.getByRole('button', { name: /全选符合条件的项目（10）/ }).click();
  await page.getByLabel('选择人员').selectOption({ label: '王市长（市级领导）' });
  await page.getByRole('button', { name: '指派给所选项目' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-project]')].every((a) => a.textContent.includes('包保 王市长')));

  await page.goto(`${server.url}office/#/people`);
  const row = page.locator('tr', { has: page.locator('a:text-is("王市长")') });
  await row.waitFor();
  assert.match(await row.textContent(), /10.*达标（应为 10 个）/);
  assert.match(await page.locator('tr', { has: page.locator('a:text-is("李市长")') }).textContent(), /0.*不足/);
  assert.match(await page.textContent('[data-gap=no_city]'), /41 个项目/);

  // Remove 王市长, handing the projects to 李市长.
  await row.locator('a:text-is("王市长")').click();
  await page.waitForSelector('[data-testid=person-name]');
  assert.equal(await page.locator('[data-project]').count(), 10, 'his own page lists his projects');
  await page.getByRole('button', { name: '移除此人' }).click();
  await page.getByLabel('把此人的项目转给').selectOption({ label: '李市长（市级领导）' });
  await page.getByRole('button', { name: '确认移除' }).click();
  await page.waitForURL(/#\/people$/);
  assert.equal(await page.locator('a:text-is("王市长")').count(), 0);

  await page.reload();
  await page.goto(server.url + '#/?d=Haicheng');
  await page.waitForSelector('[data-project]');
  const rows = await page.$$eval('[data-project]', (as) => as.map((a) => a.textContent));
  assert.equal(rows.length, 10);
  assert.ok(rows.every((r) => r.includes('包保 李市长')), rows.join('\n'));
  await page.goto(server.url + '#/p/hc-07');
  await page.waitForSelector('.stewards');
  assert.match(await page.textContent('.history'), /指派包保：王市长/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a project page assigns a service team with a responsible member, and the filter finds gaps', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const page = await openApp(context, `${server.url}office/`, '#/people');
  await addPerson(page, '赵管家', 'service', 'Taian');
  await page.locator('#add-person-name').fill('台安区长');
  await page.locator('#add-person-role').selectOption('government');
  await page.locator('#add-person-district').selectOption('');
  await page.getByRole('button', { name: '添加人员' }).click();
  assert.match(await page.textContent('[data-testid=person-error]'), /须选择所在区县/, 'a district leader needs a district');
  await page.locator('#add-person-district').selectOption('Haicheng');
  await page.getByRole('button', { name: '添加人员' }).click();
  await page.waitForSelector('table.workload a:text-is("台安区长")');

  await page.goto(server.url + '#/p/ta-01');
  await page.getByLabel('添加包保人').selectOption({ label: '赵管家（台安县·项目管家/服务专班成员）' });
  await page.waitForSelector('[data-steward] >> text=赵管家');
  await page.getByLabel('添加包保人').selectOption({ label: '台安区长（海城市·区县政府主要领导）' });
  await page.waitForSelector('[data-steward] >> text=台安区长');
  await page.locator('[data-steward] input[type=radio]').check();
  await page.reload();
  await page.waitForSelector('[data-steward]');
  assert.ok(await page.locator('[data-steward] input[type=radio]').isChecked());
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375);

  await page.goto(server.url + '#/?g=foreign');
  await page.waitForSelector('[data-project]');
  assert.deepEqual(await page.$$eval('[data-project]', (as) => as.map((a) => a.dataset.project)), ['ta-01']);
  await context.close();
});
