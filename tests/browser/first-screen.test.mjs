// A newcomer's first screen (#31 item 8): it says what this is and each
// role's first two steps until put away; and one menu for both apps, the
// same places in the same order, that fits a 375 px phone without
// scrolling sideways and folds what does not fit under 更多.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, startServer } from './harness.mjs';

let browser, app;
before(async () => { browser = await launch(); app = await startServer(); });
after(async () => { await browser?.close(); await app?.close(); });

const PLACES = ['项目列表', '总览', '问题清单', '调度议程', '变化摘要', '包保', '区县汇总', '全市排名', '新增项目', '导入导出', '同步'];

/** Every place the menu offers, in order, as a person finds them: in the bar, then under 更多. */
async function menuPlaces(page) {
  const nav = page.locator('header nav');
  const more = nav.locator('details.more');
  if (await more.isVisible()) {
    await more.locator('summary').click();
    await page.waitForFunction(() => document.querySelector('header nav details.more')?.open);
  }
  const places = await nav.locator('a').evaluateAll((links) => links
    .filter((a) => a.getClientRects().length > 0)
    .map((a) => ({ text: a.textContent.trim(), folded: !!a.closest('details') })));
  if (await more.isVisible()) await more.locator('summary').click();
  // The bar's own places first, the folded ones in their place of the order.
  return places;
}

/** The page does not scroll sideways, and no menu link lies outside the screen. */
async function fitsSideways(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const over = [...document.querySelectorAll('header nav > a, header nav > details > summary')]
      .filter((e) => e.getClientRects().length > 0)
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .map((e) => e.textContent.trim());
    return { scrolls: document.documentElement.scrollWidth > width, over };
  });
}

for (const width of [375, 1280, 1600]) {
  test(`both apps offer the same menu, in one order, at ${width} px, without sideways scrolling`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const field = await openApp(context, app.url, '#/');
    const office = await openApp(context, app.url, 'office/#/');
    const orders = [];
    for (const page of [field, office]) {
      const places = await menuPlaces(page);
      const order = places.map((p) => p.text);
      assert.deepEqual(order.filter((p) => PLACES.includes(p)).sort(), [...PLACES].sort(), `${page.url()}: ${order}`);
      orders.push(places);
      const fit = await fitsSideways(page);
      assert.deepEqual(fit, { scrolls: false, over: [] }, page.url());
      // Narrow: the first places in the bar, the rest folded; wide: all in the bar.
      const folded = places.filter((p) => p.folded).map((p) => p.text);
      if (width >= 1440) assert.deepEqual(folded, []);
      else assert.deepEqual(folded, ['问题清单', '调度议程', '变化摘要', '包保', '区县汇总', '全市排名', '新增项目', '导入导出']);
    }
    assert.deepEqual(orders[0], orders[1], 'the two apps\' menus');
    // A folded place, once open, is named beside 更多 (when there is room) and marked current.
    await office.goto(`${app.url}office/#/agenda`);
    await office.waitForSelector('main h1');
    if (width < 1440) {
      assert.equal(await office.locator('header nav summary.here').count(), 1);
      if (width > 420) assert.match(await office.textContent('header nav summary'), /更多 · 调度议程/);
      // Choosing a place under 更多 goes there and folds it again.
      await office.locator('header nav summary').click();
      await office.locator('header nav details a', { hasText: '包保' }).click();
      await office.waitForFunction(() => location.hash.startsWith('#/people'));
      assert.equal(await office.evaluate(() => document.querySelector('header nav details').open), false);
    } else {
      assert.equal(await office.getAttribute('header nav a:text-is("调度议程")', 'aria-current'), 'page');
    }
    await context.close();
  });
}

test('the first screen says what this is and what each role does first, until put away', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const page = await openApp(context, app.url, '#/');
  const welcome = page.getByTestId('welcome');
  assert.ok(await welcome.isVisible());
  const text = await welcome.textContent();
  assert.match(text, /项目台账：鞍山市今年重点项目的共同台账/);
  assert.match(text, /没有网络也能用/);
  for (const role of ['包保人员、项目管家', '区县办公室', '市领导、市项目办']) {
    const steps = await page.locator('.first-steps dt', { hasText: role }).evaluate((dt) => dt.nextElementSibling.textContent);
    assert.match(steps, /①.*②/, role);
  }
  // Above the list: a newcomer reads it first.
  const [welcomeTop, firstRow] = await Promise.all([welcome.evaluate((e) => e.getBoundingClientRect().top),
    page.locator('.row').first().evaluate((e) => e.getBoundingClientRect().top)]);
  assert.ok(welcomeTop < firstRow);
  await page.getByRole('button', { name: '知道了，不再显示' }).click();
  assert.equal(await welcome.count(), 0);
  await page.reload();
  await page.waitForSelector('.row');
  assert.equal(await page.getByTestId('welcome').count(), 0, 'put away for good on this device');
  await context.close();
});
