// Finding projects: facets, search, URL state, Back, saved views, selection.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, registryRows, storeEdits, withApp } from './harness.mjs';

const app = withApp();

const shownIds = (page) => page.$$eval('[data-project]', (as) => as.map((a) => a.dataset.project));
const count = async (page) => Number((await page.textContent('[data-testid=result-count]')).match(/符合条件 (\d+)/)[1]);
const facet = (page, param, value) => page.locator(`input[data-facet="${param}"][value="${value}"]`);
const desk = () => app.browser.newContext({ viewport: { width: 1280, height: 900 } });

describe('finding projects', () => {
  test('district + stage narrows the list, and the URL carries the view to a new page', async () => {
    const context = await desk();
    const page = await openApp(context, app.server.url);
    await facet(page, 'd', 'Haicheng').check();
    await page.waitForFunction(() => location.hash.includes('d=Haicheng'));
    assert.equal(await count(page), 10);
    await facet(page, 's', 'Started').check();
    await page.waitForFunction(() => location.hash.includes('s=Started'));
    assert.deepEqual(await shownIds(page), ['hc-07']);
    assert.equal(await count(page), 1);
    // Counts follow the painted list by a frame.
    await page.waitForFunction(() => /海城市\s*1/.test(document.querySelector('input[data-facet="d"][value="Haicheng"]').closest('label').textContent));
    // A value with no match given the other filters is greyed, not hidden.
    assert.equal(await page.locator('label.facet-value.zero', { has: facet(page, 's', 'FullCapacity') }).count(), 1);
    // Counts ignore their own facet: 台安县 offers its started projects (none yet).
    assert.match(await page.locator('label.facet-value', { has: facet(page, 'd', 'Haicheng') }).textContent(), /海城市\s*1/);

    const copied = await context.newPage();
    await copied.goto(page.url());
    await copied.waitForSelector('[data-project]');
    assert.deepEqual(await shownIds(copied), ['hc-07']);
    assert.ok(await facet(copied, 'd', 'Haicheng').isChecked());

    await page.goBack();
    await page.waitForFunction(() => !location.hash.includes('s=Started'));
    assert.equal(await count(page), 10, 'Back restores the district-only view');
    assert.equal(await facet(page, 's', 'Started').isChecked(), false);
    await page.goForward();
    await page.waitForFunction(() => location.hash.includes('s=Started'));
    assert.deepEqual(await shownIds(page), ['hc-07']);

    await page.getByRole('button', { name: '清除全部筛选' }).click();
    await page.waitForFunction(() => !location.hash.includes('d='));
    assert.equal(await count(page), 51);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('search for 镁 finds exactly the projects whose name, owner or notes hold it', async () => {
    const context = await desk();
    const page = await openApp(context, app.server.url);
    await page.getByLabel('搜索项目').fill('镁');
    await page.waitForFunction(() => decodeURIComponent(location.hash).includes('q=镁'));
    const expected = (await registryRows()).filter((r) => r.name.includes('镁')).map((r) => r.id);
    assert.deepEqual(expected.sort(), ["hc-07", "hc-10"]);
    assert.deepEqual((await shownIds(page)).sort(), expected.sort());
    await page.getByLabel('搜索项目').fill('镁 天顺');
    await page.waitForFunction(() => decodeURIComponent(location.hash).includes('天顺'));
    assert.deepEqual(await shownIds(page), ['hc-10'], 'all terms required');
    await page.getByLabel('搜索项目').fill('不存在的项目xyz');
    await page.waitForSelector('text=没有符合条件的项目');
    assert.equal(await count(page), 0);
    await context.close();
  });

  test('a name with a line break does not shift the initials of the names after it', async () => {
    const context = await desk();
    const page = await openApp(context, app.server.url);
    await storeEdits(page, [
      { d: 't', p: 'u-nl', t: Date.now(), c: { Create: { name: '新建\n项目', district: null } } },
      { d: 't', p: 'u-after', t: Date.now() + 1, c: { Create: { name: '铁西锻造厂', district: null } } },
    ]);
    await page.reload();
    await page.waitForSelector('[data-project]');
    await page.getByLabel('搜索项目').fill('txdzc');
    await page.waitForFunction(() => location.hash.includes('q=txdzc'));
    const ids = await shownIds(page);
    assert.ok(ids.includes('u-after') && !ids.includes('u-nl'), ids.join());
    await context.close();
  });

  test('Latin letters find a name by its pinyin initials, as the browser reads them', async () => {
    const context = await desk();
    const page = await openApp(context, app.server.url);
    // 海城华宇镁砖…: h, c, … m, z, in order.
    await page.getByLabel('搜索项目').fill('hcmz');
    await page.waitForFunction(() => location.hash.includes('q=hcmz'));
    const ids = await shownIds(page);
    assert.ok(ids.includes('hc-07'), ids.join());
    assert.ok(ids.length <= 5, `few names have h, c, m, z in order: ${ids.join()}`);
    await page.getByLabel('搜索项目').fill('zmch');
    await page.waitForFunction(() => location.hash.includes('q=zmch'));
    assert.ok(!(await shownIds(page)).includes('hc-07'), 'out of order is another word');
    assert.deepEqual(page.errors, []);
    // The office's print view of the same query reads the initials the same way.
    const print = await context.newPage();
    await print.goto(`${app.server.url}office/#/print/districts?q=hcmz`);
    await print.waitForSelector('section.sheet');
    assert.match(await print.textContent('main'), /海城华宇镁砖/);
    await context.close();
  });

  test('the missing-procedure facet answers "which still lack land approval"', async () => {
    const context = await desk();
    const page = await openApp(context, app.server.url, '#/?d=Haicheng&m=Land');
    const ids = await shownIds(page);
    assert.equal(ids.length, 9);
    assert.ok(!ids.includes('hc-07'), '海城华宇 has its land');
    await context.close();
  });

  test('sorting by name uses Chinese collation and is in the URL', async () => {
    const context = await desk();
    const page = await openApp(context, app.server.url, '#/?d=Tiedong');
    await page.getByLabel('排序').selectOption('name');
    await page.waitForFunction(() => location.hash.includes('sort=name'));
    const names = await page.$$eval('[data-project] .row-name', (els) => els.map((e) => e.textContent));
    const collated = [...names].sort(new Intl.Collator('zh-CN').compare);
    assert.deepEqual(names, collated);
    await context.close();
  });

  test('a saved view survives reload and reopens the same view', async () => {
    const context = await desk();
    const page = await openApp(context, app.server.url, '#/?d=Taian&s=none');
    await page.locator('.views summary').click();
    await page.getByLabel('视图名称').fill('台安未填阶段');
    await page.getByRole('button', { name: '保存当前视图' }).click();
    await page.goto(app.server.url + '#/');
    await page.reload();
    await page.waitForSelector('[data-project]');
    await page.locator('.views summary').click();
    await page.getByRole('link', { name: '台安未填阶段' }).click();
    await page.waitForFunction(() => location.hash.includes('d=Taian'));
    // The URL changes before its hashchange task redraws the list.
    await page.waitForFunction(() => document.querySelectorAll('[data-project]').length < 10);
    assert.deepEqual(await shownIds(page), ['ta-01', 'ta-02', 'ta-03', 'ta-04']);
    await context.close();
  });

  test('select all matching, then clear', async () => {
    const context = await desk();
    const page = await openApp(context, app.server.url, '#/?d=Lishan');
    await page.getByRole('button', { name: /全选符合条件的项目（5）/ }).click();
    assert.match(await page.textContent('[data-testid=selection]'), /已选 5 个项目/);
    assert.equal(await page.locator('.row-item input.select:checked').count(), 5);
    await page.locator('.row-item input.select').first().uncheck();
    assert.match(await page.textContent('[data-testid=selection]'), /已选 4 个项目/);
    await page.getByRole('button', { name: '取消选择' }).click();
    assert.match(await page.textContent('[data-testid=selection]'), /已选 0 个项目/);
    await context.close();
  });

  test('on a phone the filters fold away and the list fits 375 px', async () => {
    const context = await app.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    const page = await openApp(context, app.server.url);
    assert.equal(await page.locator('details.filters').getAttribute('open'), null);
    await page.locator('details.filters summary').click();
    await facet(page, 'd', 'Xiuyan').check();
    await page.waitForFunction(() => location.hash.includes('d=Xiuyan'));
    assert.equal(await count(page), 4);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375);
    await context.close();
  });
});
