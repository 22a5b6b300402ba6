// The foundation in a real headless Chromium against the release build.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, registryRows, storedLedger, fillIndexedDb, room, withApp } from './harness.mjs';

const app = withApp();

async function freshContext(options = {}) {
  return app.browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
}

describe('registry', () => {
  test('the list shows every shipped project, grouped by district', async () => {
    const context = await freshContext();
    const page = await openApp(context, app.server.url);
    const rows = await registryRows();
    assert.equal(rows.length, 51);
    // Walk the pages: the DOM holds one page of rows at a time.
    const shown = [];
    const districts = [];
    for (;;) {
      shown.push(...await page.$$eval('[data-project]', (as) => as.map((a) => [a.dataset.project, a.querySelector('.row-name').textContent])));
      for (const d of await page.$$eval('.district h2', (hs) => hs.map((h) => h.firstChild.textContent.trim()))) {
        if (districts.at(-1) !== d) districts.push(d);
      }
      const next = page.getByRole('button', { name: '下一页' });
      if (!(await next.count()) || await next.isDisabled()) break;
      await next.click();
    }
    assert.deepEqual(new Map(shown), new Map(rows.map((r) => [r.id, r.name])));
    assert.equal(shown.length, 51, 'each project once');
    assert.deepEqual(districts, ['海城市', '台安县', '岫岩县', '铁东区', '铁西区', '立山区', '千山区', '鞍山高新区', '鞍山经济开发区', '区县未说明']);
    assert.match(await page.textContent('[data-testid=project-count]'), /共 51 个项目/);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('a project URL opens the project directly on a plain static server', async () => {
    const context = await freshContext();
    const page = await openApp(context, app.server.url, '#/p/hc-07');
    assert.match(await page.textContent('[data-testid=project-name]'), /海城华宇镁砖/);
    assert.equal(await page.getByLabel('阶段').inputValue(), 'Started');
    assert.ok(await page.getByLabel('立项', { exact: true }).isChecked());
    assert.match(await page.textContent('.facts'), /14504/);
    await context.close();
  });
});

describe('edits survive', () => {
  test('stage and a procedure of 海城华宇镁砖 are still there after reload', async () => {
    const context = await freshContext();
    const page = await openApp(context, app.server.url, '#/p/hc-07');
    await page.getByLabel('阶段').selectOption('Completed');
    await page.getByLabel('规划许可', { exact: true }).check();
    await page.getByLabel('规划许可 办结日期').fill('2024-03-15');
    await page.getByLabel('规划许可 办结日期').press('Tab');
    await page.reload();
    await page.waitForSelector('main h1');
    assert.equal(await page.getByLabel('阶段').inputValue(), 'Completed');
    assert.ok(await page.getByLabel('规划许可', { exact: true }).isChecked());
    assert.equal(await page.getByLabel('规划许可 办结日期').inputValue(), '2024-03-15');
    // The mark main.css hides an empty date's drawn placeholder by follows the value.
    assert.equal(await page.getByLabel('规划许可 办结日期').getAttribute('data-empty'), null);
    assert.equal(await page.getByLabel('施工许可 办结日期').getAttribute('data-empty'), '');
    // A form's own date field is marked as it is typed in (src/date_fields.js).
    const deadline = page.locator('#blocker-deadline');
    assert.equal(await deadline.getAttribute('data-empty'), '');
    await deadline.fill('2026-12-31');
    assert.equal(await deadline.getAttribute('data-empty'), null);
    await deadline.fill('');
    assert.equal(await deadline.getAttribute('data-empty'), '');
    assert.match(await page.textContent('.history'), /阶段：竣工/);
    await page.goto(app.server.url + '#/');
    await page.waitForSelector('[data-project=hc-07]');
    assert.match(await page.textContent('[data-project=hc-07]'), /竣工.*手续 5\/6/);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('an edit made just before the page closes is there when it reopens', async () => {
    const context = await freshContext();
    const page = await openApp(context, app.server.url, '#/p/ta-01');
    await page.getByLabel('备注').fill('关页前写的备注');
    await page.getByLabel('备注').press('Tab');
    await page.close();
    const reopened = await openApp(context, app.server.url, '#/p/ta-01');
    assert.equal(await reopened.getByLabel('备注').inputValue(), '关页前写的备注');
    await context.close();
  });

  test('text typed but not yet committed is stored when the page is closed', async () => {
    const context = await freshContext();
    const page = await openApp(context, app.server.url, '#/p/ta-02');
    await page.getByLabel('备注').fill('还在输入框里');
    await page.close({ runBeforeUnload: true });
    const reopened = await openApp(context, app.server.url, '#/p/ta-02');
    await reopened.waitForFunction(() => document.querySelector('#notes')?.value !== undefined);
    assert.equal(await reopened.getByLabel('备注').inputValue(), '还在输入框里');
    await context.close();
  });

  test('an added project survives reload and can be removed', async () => {
    const context = await freshContext();
    const page = await openApp(context, `${app.server.url}office/`, '#/new');
    await page.getByLabel('项目名称').fill('名录外的新项目');
    await page.getByLabel('区县').selectOption({ label: '台安县' });
    await page.getByRole('button', { name: '添加' }).click();
    await page.waitForURL(/#\/p\/u-/);
    const url = page.url();
    await page.reload();
    await page.waitForSelector('main h1');
    assert.equal(await page.textContent('[data-testid=project-name]'), '名录外的新项目');
    await page.goto(app.server.url + '#/');
    await page.waitForSelector('[data-project]');
    assert.match(await page.textContent('[data-testid=project-count]'), /共 52 个项目.*自建 1/);
    assert.match(await page.locator('.row', { hasText: '名录外的新项目' }).textContent(), /自建/);
    await page.goto(url);
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: '删除此项目' }).click();
    await page.waitForSelector('[data-testid=project-count]');
    assert.match(await page.textContent('[data-testid=project-count]'), /共 51 个项目/);
    await context.close();
  });

  test('a registry project resets to its shipped values', async () => {
    const context = await freshContext();
    const page = await openApp(context, app.server.url, '#/p/hc-07');
    await page.getByLabel('阶段').selectOption('Producing');
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: '恢复为名录原值' }).click();
    await page.waitForFunction(() => document.querySelector('#stage').value === 'Started');
    assert.match(await page.textContent('.history'), /恢复为名录原值/);
    await context.close();
  });
});

describe('bad input changes nothing', () => {
  test('an invalid investment is refused beside the field and nothing is stored', async () => {
    const context = await freshContext();
    const page = await openApp(context, app.server.url, '#/p/hc-02');
    const before = await storedLedger(page);
    const field = page.getByLabel('总投资（万元）');
    for (const [typed, message] of [['abc', '请输入数字'], ['-5', '不能为负数']]) {
      await field.fill(typed);
      await field.press('Tab');
      assert.match(await page.textContent('#investment-error'), new RegExp(message));
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
    }
    assert.deepEqual(await storedLedger(page), before);
    await page.reload();
    await page.waitForSelector('main h1');
    assert.equal(await page.getByLabel('总投资（万元）').inputValue(), '');
    await field.fill('12600.5');
    await field.press('Tab');
    assert.equal(await page.textContent('#investment-error'), '');
    assert.notDeepEqual(await storedLedger(page), before);
    await context.close();
  });

  test('an actual start before signing is refused', async () => {
    const context = await freshContext();
    const page = await openApp(context, app.server.url, '#/p/hc-03');
    await page.getByLabel('签约日期').fill('2024-03-01');
    await page.getByLabel('签约日期').press('Tab');
    const before = await storedLedger(page);
    await page.getByLabel('实际开工日期').fill('2024-02-01');
    await page.getByLabel('实际开工日期').press('Tab');
    assert.match(await page.textContent('#actual-start-error'), /不能早于签约日期/);
    assert.deepEqual(await storedLedger(page), before);
    await context.close();
  });

  test('a 办结日期 or actual start after today is refused: what has not happened is not done', async () => {
    const context = await freshContext();
    const page = await openApp(context, app.server.url, '#/p/hc-05');
    const later = await page.evaluate(() => {
      const d = new Date();
      d.setDate(d.getDate() + 40);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    const before = await storedLedger(page);
    await page.getByLabel('施工许可 办结日期').fill(later);
    await page.getByLabel('施工许可 办结日期').press('Tab');
    assert.match(await page.textContent('#proc-ConstructionPermit-date-error'), /这个日期还没到：办结、开工或解决的日期不能晚于今天/);
    await page.getByLabel('实际开工日期').fill(later);
    await page.getByLabel('实际开工日期').press('Tab');
    assert.match(await page.textContent('#actual-start-error'), /这个日期还没到/);
    assert.deepEqual(await storedLedger(page), before, 'nothing stored');
    assert.equal(await page.getByLabel('施工许可', { exact: true }).isChecked(), false);
    await context.close();
  });

  test('user text is shown as text, never as HTML', async () => {
    const context = await freshContext();
    const page = await openApp(context, app.server.url, '#/p/hc-04');
    let dialogs = 0;
    page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
    const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    await page.getByLabel('项目名称').fill(evil);
    await page.getByLabel('项目名称').press('Tab');
    await page.goto(app.server.url + '#/');
    await page.waitForSelector('[data-project=hc-04]');
    assert.equal(await page.textContent('[data-project=hc-04] .row-name'), evil);
    assert.equal(await page.locator('main img').count(), 0);
    assert.equal(dialogs, 0);
    await context.close();
  });
});

describe('storage faults are shown', () => {
  test('a full storage shows an error, keeps the edit and saves it once space returns', async () => {
    const context = await freshContext();
    const page = await openApp(context, app.server.url, '#/p/hc-05');
    await page.getByLabel('备注').fill('先存一条');
    await page.getByLabel('备注').press('Tab');
    await page.waitForFunction(() => document.querySelector('[data-testid=device-storage]')?.textContent.includes('待报送：1 条'));
    // The field's draft goes once storage holds its edit, a moment after the count shows it.
    await page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('ledger.draft.field:')));
    const before = await storedLedger(page);
    await fillIndexedDb(page);
    await page.getByLabel('阶段').selectOption('Signed');
    await page.waitForSelector('.problem[data-problem=write]', { timeout: 1000 });
    assert.match(await page.textContent('.problem[data-problem=write]'), /存储空间已满/);
    assert.deepEqual(await storedLedger(page), before, 'stored data unchanged');
    assert.equal(await page.getByLabel('阶段').inputValue(), 'Signed', 'the edit is kept in memory');
    await room(page);
    await page.waitForSelector('.problem[data-problem=write]', { state: 'detached', timeout: 5000 });
    await page.reload();
    await page.waitForSelector('main h1');
    assert.equal(await page.getByLabel('阶段').inputValue(), 'Signed');
    await context.close();
  });
});

describe('people and devices', () => {
  test('at 375 px nothing overflows sideways and fields are labelled', async () => {
    const context = await freshContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    for (const hash of ['#/', '#/p/hc-07', 'office/#/new', 'office/#/', 'office/#/people', 'office/#/exchange']) {
      const page = await openApp(context, app.server.url, hash);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `${hash} is ${width}px wide`);
      const unlabelled = await page.$$eval('input, select, textarea', (els) => els.filter((el) => !el.labels?.length && !el.getAttribute('aria-label')).map((el) => el.outerHTML));
      assert.deepEqual(unlabelled, []);
      await page.close();
    }
    await context.close();
  });

  test('keyboard alone opens a project and changes its stage', async () => {
    const context = await freshContext();
    const page = await openApp(context, app.server.url);
    // Past the header: brand, eight menu links, the sync status and 报送.
    for (let i = 0; i < 16; i += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.classList.contains('skip'))) break;
    }
    await page.keyboard.press('Enter');
    for (let i = 0; i < 8; i += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.classList.contains('row'))) break;
    }
    const id = await page.evaluate(() => document.activeElement.dataset.project);
    assert.ok(id, 'a project row takes focus');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'focus is visible');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/p/${id}$`));
    await page.getByLabel('阶段').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    assert.notEqual(await page.getByLabel('阶段').inputValue(), '');
    await context.close();
  });
});
